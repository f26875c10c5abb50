//! Features of a turn, from spor's own analysis: the index's analyzer
//! keys (lemma where spor's lexicon knows the word, Snowball stem
//! otherwise), pairs of neighbouring keys, the codes the study's rules
//! suggest on the turn, and the turn's place in its document.
//!
//! A feature is a string with a kind prefix (`w:`, `p:`, `r:`, `pos:`),
//! so that every order over features is the string order: models, sums
//! and explanations never depend on a hash map's order or a thread count.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Danish function words: pronouns, articles, common prepositions and
/// conjunctions, auxiliary and modal verbs, and discourse particles. As
/// single words, or two of them side by side (`det er`), they say how
/// someone talks, not what about, so they are not features (and so never
/// an explanation); beside a content word they stay (`en kollega`). Negations (`ikke`, `ingen`, `aldrig`) carry meaning
/// and are not listed. Written by hand for spor.
const FUNCTION_WORDS: &[&str] = &[
    // pronouns and determiners
    "jeg", "mig", "min", "mit", "mine", "du", "dig", "din", "dit", "dine", "han", "ham", "hans",
    "hun", "hende", "hendes", "den", "det", "dens", "dets", "vi", "os", "vores", "vor", "i", "jer",
    "jeres", "de", "dem", "deres", "sig", "sin", "sit", "sine", "man", "en", "et", "denne",
    "dette", "disse", "hvad", "hvem", "hvilken", "hvilket", "hvilke", "nogen", "noget", "nogle",
    "anden", "andet", "andre", "selv", "alle", "alt", // prepositions
    "på", "til", "af", "med", "for", "om", "fra", "ved", "over", "under", "efter", "mod", "hos",
    "uden", "mellem", "gennem", "ad", "omkring", "inden", "indtil",
    // conjunctions and subjunctions
    "og", "eller", "men", "at", "som", "der", "hvis", "når", "fordi", "end", "da", "mens", "både",
    "hverken", // auxiliary and modal verbs
    "er", "var", "være", "været", "har", "havde", "have", "haft", "bliver", "blev", "blive",
    "blevet", "vil", "ville", "kan", "kunne", "skal", "skulle", "må", "måtte", "gør", "gjorde",
    // adverbs and discourse particles of speech
    "så", "jo", "nu", "her", "der", "også", "vel", "bare", "lige", "nok", "da", "altså", "sådan",
    "meget", "mere", "mest", "lidt", "godt", "rigtig", "ja", "nej", "øh", "hmm",
];

/// The analyzer keys of [`FUNCTION_WORDS`], computed once.
fn function_keys() -> &'static rustc_hash::FxHashSet<String> {
    static KEYS: OnceLock<rustc_hash::FxHashSet<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut a = spor_index::analyzer::danish();
        FUNCTION_WORDS
            .iter()
            .flat_map(|w| spor_index::analyzer::tokens(&mut a, w))
            .map(|t| t.text)
            .collect()
    })
}

/// Which kinds of features a model uses (`[learn] features`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kinds {
    /// Analyzer keys of the turn's words (`w:<key>`).
    pub words: bool,
    /// Neighbouring pairs of keys (`p:<key> <key>`).
    pub pairs: bool,
    /// Codes the rules suggest on the turn (`r:<code>`).
    pub rules: bool,
    /// The turn's third of its document (`pos:start|middle|end`).
    pub position: bool,
}

impl Default for Kinds {
    /// All four: what measured best on the example study
    /// (docs/CODEBOOK.md), if only just.
    fn default() -> Kinds {
        Kinds {
            words: true,
            pairs: true,
            rules: true,
            position: true,
        }
    }
}

impl Kinds {
    /// Parse the names of `[learn] features`.
    pub fn parse(names: &[String]) -> Result<Kinds, String> {
        if names.is_empty() {
            return Err("[learn] features is empty (words, pairs, rules, position)".into());
        }
        let mut k = Kinds {
            words: false,
            pairs: false,
            rules: false,
            position: false,
        };
        for n in names {
            match n.as_str() {
                "words" => k.words = true,
                "pairs" => k.pairs = true,
                "rules" => k.rules = true,
                "position" => k.position = true,
                other => {
                    return Err(format!(
                        "unknown feature kind {other:?} in [learn] features (words, pairs, rules, position)"
                    ));
                }
            }
        }
        Ok(k)
    }

    /// The names of the kinds in use, in a fixed order.
    pub fn names(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        for (on, n) in [
            (self.words, "words"),
            (self.pairs, "pairs"),
            (self.rules, "rules"),
            (self.position, "position"),
        ] {
            if on {
                v.push(n);
            }
        }
        v
    }
}

/// One turn as the models see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Segment id.
    pub segment: String,
    /// Document id.
    pub document: String,
    /// Its distinct features, sorted.
    pub features: Vec<String>,
}

/// The distinct features of a text, sorted. `rule_codes` are the codes the
/// rules suggest on it; `position` is the turn's place in its document
/// (0.0 first turn, 1.0 last).
pub fn featurize(
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    text: &str,
    rule_codes: &[&str],
    position: f64,
    kinds: Kinds,
) -> Vec<String> {
    let keys: Vec<String> = spor_index::analyzer::tokens(analyzer, text)
        .into_iter()
        .map(|t| t.text)
        .collect();
    let tagged = |tag: &str, a: &str, b: Option<&str>| -> String {
        let mut t = String::with_capacity(tag.len() + a.len() + b.map_or(0, |b| b.len() + 1));
        t.push_str(tag);
        t.push_str(a);
        if let Some(b) = b {
            t.push(' ');
            t.push_str(b);
        }
        t
    };
    let mut f: Vec<String> = Vec::with_capacity(keys.len() * 2 + 4);
    if kinds.words {
        let function = function_keys();
        f.extend(
            keys.iter()
                .filter(|k| !function.contains(*k))
                .map(|k| tagged("w:", k, None)),
        );
    }
    if kinds.pairs {
        let function = function_keys();
        f.extend(
            keys.windows(2)
                .filter(|w| !(function.contains(&w[0]) && function.contains(&w[1])))
                .map(|w| tagged("p:", &w[0], Some(&w[1]))),
        );
    }
    if kinds.rules {
        f.extend(rule_codes.iter().map(|c| tagged("r:", c, None)));
    }
    if kinds.position {
        let third = if position < 1.0 / 3.0 {
            "start"
        } else if position < 2.0 / 3.0 {
            "middle"
        } else {
            "end"
        };
        f.push(tagged("pos:", third, None));
    }
    f.sort_unstable();
    f.dedup();
    f
}

/// How a feature reads in an explanation: the word, the pair of words,
/// `rule:<code>` or `position:<third>`.
pub fn display(feature: &str) -> String {
    if let Some(w) = feature.strip_prefix("w:") {
        w.to_owned()
    } else if let Some(p) = feature.strip_prefix("p:") {
        p.replace(' ', "+")
    } else if let Some(r) = feature.strip_prefix("r:") {
        format!("rule:{r}")
    } else if let Some(p) = feature.strip_prefix("pos:") {
        format!("position:{p}")
    } else {
        feature.to_owned()
    }
}

/// The vocabulary of one model: features in at least `min_df` of the
/// training units, at most `max` of them (the most frequent; ties by
/// name), in string order.
pub fn vocabulary<'a>(
    units: impl Iterator<Item = &'a Unit>,
    min_df: usize,
    max: usize,
) -> Vec<String> {
    let mut df: BTreeMap<&str, usize> = BTreeMap::new();
    for u in units {
        for f in &u.features {
            *df.entry(f.as_str()).or_default() += 1;
        }
    }
    let mut kept: Vec<(&str, usize)> = df.into_iter().filter(|(_, n)| *n >= min_df).collect();
    if kept.len() > max {
        kept.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        kept.truncate(max);
    }
    let mut v: Vec<String> = kept.into_iter().map(|(f, _)| f.to_owned()).collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_sorted_distinct_and_use_the_index_keys() {
        let mut a = spor_index::analyzer::danish();
        let f = featurize(
            &mut a,
            "Systemerne tager fejl, systemet tager fejl",
            &["technofix"],
            0.9,
            Kinds::default(),
        );
        let mut sorted = f.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(f, sorted);
        let system = format!("w:{}", spor_index::analyzer::stem("systemet"));
        assert!(f.contains(&system), "{f:?}");
        assert!(f.contains(&"r:technofix".to_owned()));
        assert!(f.contains(&"pos:end".to_owned()));
        assert!(f.iter().any(|x| x.starts_with("p:")));
    }

    #[test]
    fn function_words_are_no_features_alone_or_in_pairs_but_negations_are() {
        let mut a = spor_index::analyzer::danish();
        let key = |w: &str| {
            spor_index::analyzer::tokens(&mut spor_index::analyzer::danish(), w)[0]
                .text
                .clone()
        };
        let f = featurize(
            &mut a,
            "Det er jo ikke en kollega, der har tid på afdelingen",
            &[],
            0.0,
            Kinds::default(),
        );
        for w in ["det", "er", "jo", "en", "der", "har", "på"] {
            assert!(!f.contains(&format!("w:{}", key(w))), "{w}: {f:?}");
        }
        assert!(
            !f.contains(&format!("p:{} {}", key("det"), key("er"))),
            "{f:?}"
        );
        assert!(f.contains(&format!("w:{}", key("ikke"))), "{f:?}");
        assert!(f.contains(&format!("w:{}", key("kollega"))), "{f:?}");
        assert!(
            f.contains(&format!("p:{} {}", key("en"), key("kollega"))),
            "{f:?}"
        );
        assert!(
            f.contains(&format!("p:{} {}", key("jo"), key("ikke"))),
            "{f:?}"
        );
    }

    #[test]
    fn kinds_parse_and_refuse_unknown_names() {
        let k = Kinds::parse(&["words".into(), "rules".into()]).unwrap();
        assert!(k.words && k.rules && !k.pairs && !k.position);
        assert!(
            Kinds::parse(&["stems".into()])
                .unwrap_err()
                .contains("stems")
        );
        assert!(Kinds::parse(&[]).is_err());
    }
}
