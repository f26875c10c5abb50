//! Anchors: what ties a human coding to the text it was made on, so that a
//! coding follows its text when a transcript is edited, and is reported as
//! orphaned (never silently applied to other text) when its text is gone.
//!
//! An anchor is a fingerprint of the turn's text: the first 16 hex digits
//! of the SHA-256 of the text with every run of whitespace made one space,
//! trimmed (the text is already NFC). It is written in the `anchor` column
//! of every row spor appends to a coder's file.
//!
//! Re-finding a coding whose segment no longer holds its anchor's text:
//! 1. the same fingerprint at another turn of the same document (the
//!    nearest one to the old turn number when the text occurs twice);
//! 2. else, when the text the anchor was made on is known (spor keeps the
//!    text of every human-coded turn in `.spor/anchors.json`), the most
//!    similar turn of the document, if its similarity is at least
//!    [`SIMILARITY_THRESHOLD`] and clearly above the runner-up;
//! 3. else the coding is orphaned.
//!
//! ```
//! use spor_coding::anchor::{fingerprint, similarity};
//! assert_eq!(fingerprint("Ja,  altså\nvi prøvede"), fingerprint("Ja, altså vi prøvede"));
//! assert!(similarity("vi prøvede det nye system i en uge", "vi prøvde det nye system i en uge") > 0.6);
//! ```

use serde::{Deserialize, Serialize};
use spor_corpus::{Corpus, Segment};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Word-bigram similarity (Jaccard) a changed turn must reach to keep its
/// codings.
pub const SIMILARITY_THRESHOLD: f64 = 0.6;

/// How far the best candidate must be ahead of the second best.
pub const SIMILARITY_MARGIN: f64 = 0.1;

/// The file, under the study, that keeps the text of anchored turns.
pub const ANCHOR_FILE: &str = ".spor/anchors.json";

/// The fingerprint of a turn's text: [`fingerprint_bytes`] as 16 hex
/// digits.
pub fn fingerprint(text: &str) -> String {
    spor_corpus::hex(&fingerprint_bytes(text))
}

/// The fingerprint of a turn's text as bytes: the first 8 bytes of the
/// SHA-256 of its words separated by single spaces (so that re-wrapping a
/// turn does not change it).
pub fn fingerprint_bytes(text: &str) -> [u8; 8] {
    thread_local! {
        // the words are joined in a buffer kept from turn to turn and
        // hashed at once: many small updates of the hasher cost more
        static WORDS: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    WORDS.with_borrow_mut(|buf| {
        buf.clear();
        for w in text.split_whitespace() {
            if !buf.is_empty() {
                buf.push(' ');
            }
            buf.push_str(w);
        }
        let digest = spor_corpus::sha256(buf.as_bytes());
        let mut out = [0; 8];
        out.copy_from_slice(&digest[..8]);
        out
    })
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn shingles(text: &str) -> BTreeSet<String> {
    let w = words(text);
    if w.len() < 3 {
        return w.into_iter().collect();
    }
    w.windows(2).map(|p| format!("{} {}", p[0], p[1])).collect()
}

/// Texts up to this many characters are also compared letter by letter.
const SHORT: usize = 500;

/// Similarity of two texts, case-insensitive, 1.0 for equal texts: the
/// Jaccard index of their word bigrams (of their words, for texts under
/// three words), or, when both are short, their normalised Levenshtein
/// similarity if that is higher (one mistyped word moves few letters but
/// two of a short turn's few word pairs).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (shingles(a), shingles(b));
    let jaccard = if x.is_empty() && y.is_empty() {
        if a.trim() == b.trim() { 1.0 } else { 0.0 }
    } else {
        let inter = x.intersection(&y).count();
        inter as f64 / (x.len() + y.len() - inter) as f64
    };
    let (na, nb) = (normal(a), normal(b));
    if na.chars().count() <= SHORT && nb.chars().count() <= SHORT {
        jaccard.max(strsim::normalized_levenshtein(&na, &nb))
    } else {
        jaccard
    }
}

fn normal(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Where an anchored coding is now.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// Its segment still holds its text.
    InPlace,
    /// Its text is now at another segment.
    Moved {
        /// The new segment id.
        to: String,
        /// 1.0 when the text is unchanged, else its similarity.
        similarity: f64,
    },
    /// Its text is nowhere in the document.
    Orphaned {
        /// Why.
        reason: String,
    },
}

/// Find where a coding anchored on `anchor` at `segment` is in `corpus`.
/// `old_text` is the text the anchor was made on, when known.
pub fn place(corpus: &Corpus, segment: &str, anchor: &str, old_text: Option<&str>) -> Placement {
    let Some((doc, turn)) = segment.rsplit_once('#') else {
        return Placement::Orphaned {
            reason: "not a segment id".into(),
        };
    };
    let turn: u32 = turn.parse().unwrap_or(0);
    if let Some(s) = corpus.segment(segment)
        && fingerprint(&s.text) == anchor
    {
        return Placement::InPlace;
    }
    let Some(d) = corpus.documents.iter().find(|d| d.meta.id == doc) else {
        return Placement::Orphaned {
            reason: format!("document {doc} is not in the study"),
        };
    };
    let distance = |s: &Segment| s.turn.abs_diff(turn);
    if let Some(s) = d
        .segments
        .iter()
        .filter(|s| fingerprint(&s.text) == anchor)
        .min_by_key(|s| (distance(s), s.turn))
    {
        return Placement::Moved {
            to: s.segment.to_string(),
            similarity: 1.0,
        };
    }
    let Some(old) = old_text else {
        return Placement::Orphaned {
            reason:
                "its text changed, and the text it was coded on is not known (.spor/ was deleted)"
                    .into(),
        };
    };
    let mut scored: Vec<(f64, &Segment)> = d
        .segments
        .iter()
        .map(|s| (similarity(old, &s.text), s))
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(distance(a.1).cmp(&distance(b.1)))
            .then(a.1.turn.cmp(&b.1.turn))
    });
    match scored.as_slice() {
        [(best, s), rest @ ..]
            if *best >= SIMILARITY_THRESHOLD
                && rest.first().is_none_or(|r| best - r.0 >= SIMILARITY_MARGIN) =>
        {
            if s.segment == segment {
                Placement::InPlace
            } else {
                Placement::Moved {
                    to: s.segment.to_string(),
                    similarity: *best,
                }
            }
        }
        [(best, _), ..] => Placement::Orphaned {
            reason: format!(
                "its text is gone (the most similar turn shares {:.0} % of its word pairs; {:.0} % needed)",
                best * 100.0,
                SIMILARITY_THRESHOLD * 100.0
            ),
        },
        [] => Placement::Orphaned {
            reason: "the document has no turns".into(),
        },
    }
}

/// What spor remembers of anchored text between runs (`.spor/anchors.json`):
/// the text of every fingerprint a human coding is anchored on, and the
/// anchor given to each coder-file row that was written without one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AnchorStore {
    /// Format version.
    pub version: u32,
    /// Fingerprint -> the turn's text.
    pub texts: BTreeMap<String, String>,
    /// `coder|line|segment|code` -> the anchor implied for a row without one
    /// (taken from the text its segment held when spor first read it).
    pub implied: BTreeMap<String, String>,
}

impl AnchorStore {
    /// Read the store of a study; a missing or unreadable store is empty
    /// (it is a cache: `.spor/` is safe to delete).
    pub fn load(root: &Path) -> AnchorStore {
        AnchorStore::load_checked(root).0
    }

    /// [`AnchorStore::load`], with the reason when the file exists but
    /// cannot be read (damaged, unreadable): the store then starts empty.
    pub fn load_checked(root: &Path) -> (AnchorStore, Option<String>) {
        let bytes = match std::fs::read(root.join(ANCHOR_FILE)) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (AnchorStore::default(), None);
            }
            Err(e) => return (AnchorStore::default(), Some(e.to_string())),
        };
        match serde_json::from_slice::<AnchorStore>(&bytes) {
            Ok(s) if s.version == 1 => (s, None),
            Ok(s) => (
                AnchorStore::default(),
                Some(format!("unknown version {}", s.version)),
            ),
            Err(e) => (AnchorStore::default(), Some(e.to_string())),
        }
    }

    /// Write the store atomically (a failure is returned for a warning).
    pub fn save(&self, root: &Path) -> spor_corpus::Result<()> {
        let mut s = self.clone();
        s.version = 1;
        let bytes = serde_json::to_vec(&s).expect("serialisable");
        spor_corpus::fsutil::write_atomic(&root.join(ANCHOR_FILE), &bytes)
    }

    /// The key of an unanchored row.
    pub fn row_key(coder: &str, line: usize, segment: &str, code: &str) -> String {
        format!("{coder}|{line}|{segment}|{code}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fingerprint hashes the words joined by single spaces, as
        /// one string built first would (the form `.spor/` files keep).
        #[test]
        fn fingerprint_is_the_hash_of_the_joined_words(
            text in "[ \t\n\u{a0}\u{3000}aæøå.,-]{0,40}"
        ) {
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let want = spor_corpus::sha256_hex(joined.as_bytes())[..16].to_owned();
            proptest::prop_assert_eq!(fingerprint(&text), want);
        }
    }

    #[test]
    fn fingerprint_ignores_whitespace_only() {
        assert_eq!(fingerprint(" a  b\n c "), fingerprint("a b c"));
        assert_ne!(fingerprint("a b c"), fingerprint("a b d"));
        assert_eq!(fingerprint("x").len(), 16);
    }

    #[test]
    fn similarity_of_a_typo_fix_passes_and_of_other_text_fails() {
        let a = "Vi fik et nyt system, og ingen havde spurgt os om arbejdsgangene først";
        let b = "Vi fik et nyt system, og ingen havde spurgt os om arbejdsgangene forst";
        assert!(
            similarity(a, b) >= SIMILARITY_THRESHOLD,
            "{}",
            similarity(a, b)
        );
        let c = "Kan du fortælle lidt mere om det?";
        assert!(similarity(a, c) < 0.4, "{}", similarity(a, c));
        assert_eq!(similarity(a, a), 1.0);
        // short answers: one typo keeps them alike, another answer does not
        let (s1, s2) = ("Ja, det gjorde vi.", "Ja, det gjore vi.");
        assert!(similarity(s1, s2) >= SIMILARITY_THRESHOLD);
        assert!(similarity(s1, "Nej, aldrig nogensinde.") < SIMILARITY_THRESHOLD);
        assert!(
            similarity(
                "Vi brugte tabletten hver dag i starten",
                "Lederen bestemte det hele uden at spørge"
            ) < SIMILARITY_THRESHOLD
        );
    }
}
