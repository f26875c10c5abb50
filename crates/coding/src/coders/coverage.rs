//! Coverage: which documents and codes each coder has coded, so that a turn
//! a coder did not code is missing data, never a guessed "no".
//!
//! A coder covers code X in document D when their file has an `accepted` or
//! `rejected` row of X on a turn of D (reviewing suggestions of X counts as
//! coding X there, and nothing else), or a `done` row for D and X. A coder
//! covers every code in D when their file has a `done` row for D without a
//! code (`spor code done D --coder NAME`), or `spor.toml` lists D under
//! `[coders.NAME] documents`. The rules cover everything.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Coverage of one coder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CoderCoverage {
    /// Documents coded for every code.
    pub documents: BTreeSet<String>,
    /// (document, code) cells coded one code at a time.
    pub cells: BTreeSet<(String, String)>,
}

/// Coverage of every coder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// By coder name.
    pub coders: BTreeMap<String, CoderCoverage>,
}

/// How a coder covers one document, as outputs list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Covered {
    /// Every code (`"all"`).
    All(&'static str),
    /// These codes.
    Codes(Vec<String>),
}

impl Coverage {
    /// Whether `coder` has coded `code` in `document` (`rules` has coded
    /// everything).
    pub fn covers(&self, coder: &str, document: &str, code: &str) -> bool {
        if coder == "rules" {
            return true;
        }
        self.coders.get(coder).is_some_and(|c| {
            c.documents.contains(document)
                || c.cells.contains(&(document.to_owned(), code.to_owned()))
        })
    }

    /// Whether `coder` has coded anything in `document`.
    pub fn touches(&self, coder: &str, document: &str) -> bool {
        coder == "rules"
            || self.coders.get(coder).is_some_and(|c| {
                c.documents.contains(document) || c.cells.iter().any(|(d, _)| d == document)
            })
    }

    /// Per document, what `coder` covers, in the order of `documents`.
    pub fn listing(&self, coder: &str, documents: &[String]) -> BTreeMap<String, Covered> {
        let mut out = BTreeMap::new();
        let Some(c) = self.coders.get(coder) else {
            if coder == "rules" {
                for d in documents {
                    out.insert(d.clone(), Covered::All("all"));
                }
            }
            return out;
        };
        for d in documents {
            if c.documents.contains(d) {
                out.insert(d.clone(), Covered::All("all"));
            } else {
                let codes: Vec<String> = c
                    .cells
                    .iter()
                    .filter(|(doc, _)| doc == d)
                    .map(|(_, code)| code.clone())
                    .collect();
                if !codes.is_empty() {
                    out.insert(d.clone(), Covered::Codes(codes));
                }
            }
        }
        out
    }

    pub(crate) fn add_document(&mut self, coder: &str, document: &str) {
        self.coders
            .entry(coder.to_owned())
            .or_default()
            .documents
            .insert(document.to_owned());
    }

    pub(crate) fn add_cell(&mut self, coder: &str, document: &str, code: &str) {
        self.coders
            .entry(coder.to_owned())
            .or_default()
            .cells
            .insert((document.to_owned(), code.to_owned()));
    }
}

/// `[coders.NAME] documents = [...]` in `spor.toml`: (coder, documents),
/// or an error message naming what is wrong.
pub fn listed_documents(
    study: &spor_corpus::Study,
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut out = BTreeMap::new();
    for (name, c) in &study.manifest.coders {
        for d in &c.documents {
            if !study.documents.iter().any(|m| &m.id == d) {
                return Err(format!(
                    "[coders.{name}] documents names unknown document {d:?}"
                ));
            }
        }
        if !c.documents.is_empty() {
            out.insert(name.clone(), c.documents.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cover_one_code_documents_all() {
        let mut c = Coverage::default();
        c.add_cell("A", "d1", "x");
        c.add_document("A", "d2");
        assert!(c.covers("A", "d1", "x"));
        assert!(!c.covers("A", "d1", "y"));
        assert!(c.covers("A", "d2", "y"));
        assert!(!c.covers("B", "d2", "y"));
        assert!(c.covers("rules", "d9", "z"));
        let l = c.listing("A", &["d1".into(), "d2".into(), "d3".into()]);
        assert_eq!(l.len(), 2);
        assert_eq!(l["d2"], Covered::All("all"));
        assert_eq!(l["d1"], Covered::Codes(vec!["x".into()]));
    }
}
