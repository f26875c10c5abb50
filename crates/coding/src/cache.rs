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
//!
//! Its layout is compact, for studies with millions of hits: the content
//! key of every document is written once (every rule's results are for
//! those versions: the cache is written only after every rule is brought
//! up to date), a rule lists only the documents it matched in, and each
//! hit is two numbers, the turn and an index into the rule's distinct
//! matched-word strings.

use serde::{Deserialize, Serialize};
use spor_codebook::{Code, Codebook, Rule};
use spor_corpus::SharedStr;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Bump when what a cached entry means changes.
const CACHE_VERSION: u32 = 3;

/// Where the cache lives, relative to the study folder.
pub const CACHE_FILE: &str = ".spor/cache/suggestions.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Cache {
    version: u32,
    /// Document id -> its content key (the hash the index keeps for it)
    /// when the rules ran: every rule's entry is for these versions, and
    /// a document not listed was never run.
    pub(crate) documents: BTreeMap<String, String>,
    /// Rule key -> what it matched.
    pub(crate) rules: BTreeMap<String, RuleEntry>,
}

/// What one rule matched.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct RuleEntry {
    /// The distinct matched-word strings of its hits (words sorted,
    /// separated by spaces), in first-seen order.
    pub(crate) words: Vec<String>,
    /// Document id -> (turn number, index into `words`) of each hit,
    /// sorted; documents without a hit are not listed.
    pub(crate) docs: BTreeMap<SharedStr, Vec<(u32, u32)>>,
}

impl RuleEntry {
    /// Record a hit on turn `turn` of `doc`; `seen` interns the words.
    pub(crate) fn push(
        &mut self,
        seen: &mut HashMap<String, u32>,
        doc: &SharedStr,
        turn: u32,
        words: String,
    ) {
        let w = match seen.get(&words) {
            Some(&w) => w,
            None => {
                let w = u32::try_from(self.words.len()).expect("fewer than 2^32 word strings");
                self.words.push(words.clone());
                seen.insert(words, w);
                w
            }
        };
        match self.docs.get_mut(doc.as_str()) {
            Some(hits) => hits.push((turn, w)),
            None => {
                self.docs.insert(doc.clone(), vec![(turn, w)]);
            }
        }
    }

    /// Take in `fresh`'s documents (run again), replacing what this entry
    /// had for them, its word strings added to this entry's.
    pub(crate) fn absorb(&mut self, fresh: RuleEntry) {
        let mut seen: HashMap<&str, u32> = HashMap::new();
        let base = self.words.len();
        for (i, w) in self.words.iter().enumerate() {
            seen.entry(w.as_str()).or_insert(i as u32);
        }
        let mut added: Vec<String> = Vec::new();
        let map: Vec<u32> = fresh
            .words
            .iter()
            .map(|w| match seen.get(w.as_str()) {
                Some(&i) => i,
                None => {
                    let i = (base + added.len()) as u32;
                    added.push(w.clone());
                    i
                }
            })
            .collect();
        drop(seen);
        self.words.extend(added);
        for (doc, mut hits) in fresh.docs {
            for h in &mut hits {
                h.1 = map[h.1 as usize];
            }
            self.docs.insert(doc, hits);
        }
    }
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

    /// Write the cache atomically, as a stream.
    pub(crate) fn save(mut self, path: &Path) -> Result<(), spor_corpus::CorpusError> {
        self.version = CACHE_VERSION;
        spor_corpus::fsutil::write_atomic_with(path, |w| {
            serde_json::to_writer(w, &self).map_err(std::io::Error::other)
        })
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
