//! Where a coding comes from: a rule of a codebook, a model learned from
//! the coders, or a coder. Written in files as `rule:<rule id>`,
//! `model:<code>` and `coder:<name>`.

use serde::{Serialize, Serializer};
use std::fmt;

/// Where a coding comes from. Ordered as its written form sorts (`coder:`
/// < `model:` < `rule:`, then by name), so that sorting by origin gives
/// the same order as sorting the written strings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// A coder's decision (the coder's name).
    Coder(spor_corpus::SharedStr),
    /// A learned model's suggestion (the code it was trained for).
    Model(spor_corpus::SharedStr),
    /// A rule's suggestion (the rule's id).
    Rule(spor_corpus::SharedStr),
}

impl Origin {
    /// Read the written form; `None` when it has no known prefix.
    pub fn parse(s: &str) -> Option<Origin> {
        let (kind, name) = s.split_once(':')?;
        let name = spor_corpus::SharedStr::from(name);
        Some(match kind {
            "coder" => Origin::Coder(name),
            "model" => Origin::Model(name),
            "rule" => Origin::Rule(name),
            _ => return None,
        })
    }

    /// The coder's name, for a coder's decision.
    pub fn coder(&self) -> Option<&str> {
        match self {
            Origin::Coder(n) => Some(n),
            _ => None,
        }
    }

    /// The rule's id, for a rule's suggestion.
    pub fn rule(&self) -> Option<&str> {
        match self {
            Origin::Rule(n) => Some(n),
            _ => None,
        }
    }

    /// The code, for a learned model's suggestion.
    pub fn model(&self) -> Option<&str> {
        match self {
            Origin::Model(n) => Some(n),
            _ => None,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Coder(n) => write!(f, "coder:{n}"),
            Origin::Model(n) => write!(f, "model:{n}"),
            Origin::Rule(n) => write!(f, "rule:{n}"),
        }
    }
}

impl Serialize for Origin {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_form_round_trips_and_sorts_as_the_strings_do() {
        let mut v = [
            Origin::Rule("technofix-1".into()),
            Origin::Coder("R02".into()),
            Origin::Model("patient".into()),
            Origin::Coder("R01".into()),
            Origin::Rule("a".into()),
        ];
        let mut strings: Vec<String> = v.iter().map(|o| o.to_string()).collect();
        for (o, s) in v.iter().zip(&strings) {
            assert_eq!(Origin::parse(s).as_ref(), Some(o));
        }
        v.sort();
        strings.sort();
        assert_eq!(v.iter().map(|o| o.to_string()).collect::<Vec<_>>(), strings);
        assert_eq!(Origin::parse("nobody:x"), None);
        assert_eq!(
            serde_json::to_string(&Origin::Coder("MH".into())).unwrap(),
            "\"coder:MH\""
        );
    }
}
