//! The suggestion cache: what each rule matched in each document, keyed by
//! the rule (a hash of everything that decides what it matches) and the
//! document's content key (the hash the index keeps for it). A rule
//! matches a turn or not by the turn's text and attributes alone, so a
//! cached result is exactly what running the rule again would give; only
//! changed rules run over the whole index, and unchanged rules run only on
//! added or changed documents.
//!
//! The cache lives in `.spor/cache/suggestions.json`. It is disposable: a
//! missing, unreadable or outdated cache is rebuilt, never an error.

use serde::{Deserialize, Serialize};
use spor_codebook::{Code, Codebook, Rule};
use std::collections::BTreeMap;
use std::path::Path;

/// Bump when what a cached entry means changes.
const CACHE_VERSION: u32 = 2;

/// Where the cache lives, relative to the study folder.
pub const CACHE_FILE: &str = ".spor/cache/suggestions.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Cache {
    version: u32,
    /// Rule key -> what it matched.
    pub(crate) rules: BTreeMap<String, RuleEntry>,
}

/// What one rule matched, per document.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct RuleEntry {
    /// Document id -> its content key and the rule's hits in it.
    pub(crate) docs: BTreeMap<String, DocEntry>,
}

/// A rule's hits in one document version.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct DocEntry {
    /// The document's content key when the rule ran.
    pub(crate) key: String,
    /// Turn number and the words the rule matched there (sorted,
    /// separated by spaces).
    pub(crate) hits: Vec<(usize, String)>,
}

impl Cache {
    /// Read the cache; an empty one when it is missing, unreadable or from
    /// another cache version.
    /// Read the cache; an empty one when it is missing or from another
    /// cache version, and an empty one with the reason when it exists but
    /// cannot be read (damaged, unreadable): it is then rebuilt.
    pub(crate) fn load(path: &Path) -> (Cache, Option<String>) {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Cache::default(), None),
            Err(e) => return (Cache::default(), Some(e.to_string())),
        };
        match serde_json::from_slice::<Cache>(&bytes) {
            Ok(c) if c.version == CACHE_VERSION => (c, None),
            Ok(_) => (Cache::default(), None),
            // an older cache layout is not damage: only say so when it is
            // not even JSON with our version field
            Err(e) => match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(v)
                    if v.get("version").and_then(|v| v.as_u64()) != Some(CACHE_VERSION as u64) =>
                {
                    (Cache::default(), None)
                }
                _ => (Cache::default(), Some(e.to_string())),
            },
        }
    }

    /// Write the cache atomically.
    pub(crate) fn save(mut self, path: &Path) -> Result<(), spor_corpus::CorpusError> {
        self.version = CACHE_VERSION;
        let bytes = serde_json::to_vec(&self).expect("the cache serialises");
        spor_corpus::fsutil::write_atomic(path, &bytes)
    }
}

/// The key of a rule: a hash of everything that decides what it matches
/// (spor's and the index's versions included).
pub(crate) fn rule_key(book: &Codebook, code: &Code, rule: &Rule) -> String {
    let text = format!(
        "{CACHE_VERSION}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{:?}\n{:?}",
        env!("CARGO_PKG_VERSION"),
        spor_index::index::SCHEMA_VERSION,
        spor_index::analyzer::ANALYZER_VERSION,
        book.id,
        code.id,
        rule.id,
        rule.query_text,
        rule.roles,
        rule.scope,
    );
    spor_corpus::sha256_hex(text.as_bytes())
}

/// What a coding run reused and recomputed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CacheReport {
    /// Rules run over the whole index (new or changed rules, or no cache).
    pub rules_run: usize,
    /// Rules whose results were reused, run only on changed documents.
    pub rules_reused: usize,
    /// Documents (added or changed) the reused rules ran on.
    pub documents_rerun: usize,
    /// Why the cache could not be written, if it could not.
    pub write_error: Option<String>,
    /// Why the cache could not be read, if it existed and could not (it
    /// was rebuilt).
    pub read_error: Option<String>,
}
