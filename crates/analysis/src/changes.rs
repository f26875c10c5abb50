//! What changed since the last `spor run`, turn by turn: `spor run` keeps
//! the fingerprint of every turn and the counted codings in
//! `.spor/last-run.json`; the audit compares them with the study as it is
//! now and says which turns changed, were added or removed, which codings
//! sit on them, and which findings, goals and format elements lose or gain
//! evidence.

use serde::{Deserialize, Serialize};
use spor_codebook::{CodebookSet, Curriculum};
use spor_coding::Codings;
use spor_coding::anchor::fingerprint_bytes;
use spor_corpus::Corpus;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The file, under the study, that holds the last run's turns.
pub const LAST_RUN_FILE: &str = ".spor/last-run.json";

/// The turns and counted codings of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunState {
    /// Format version (1).
    pub version: u32,
    /// Document id -> the fingerprint of each turn, in turn order.
    pub documents: BTreeMap<String, Vec<String>>,
    /// Segment id -> the codes counted on it.
    pub counted: BTreeMap<String, Vec<String>>,
}

impl RunState {
    /// The state of a coded corpus.
    pub fn of(corpus: &Corpus, codings: &Codings) -> RunState {
        let mut counted: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (seg, code) in codings.counted_pairs() {
            counted
                .entry(seg.to_owned())
                .or_default()
                .push(code.to_owned());
        }
        RunState {
            version: 1,
            documents: fingerprints(corpus)
                .into_iter()
                .map(|(d, f)| {
                    (
                        d.to_owned(),
                        f.iter().map(|b| spor_corpus::hex(b)).collect(),
                    )
                })
                .collect(),
            counted,
        }
    }

    /// Write the state of a coded corpus to `.spor/last-run.json`, as
    /// `RunState::of(corpus, codings).save(root)` would, byte for byte,
    /// but streamed and from borrowed ids: no owned copy of every segment
    /// id and code is built, and the JSON is never held whole.
    pub fn save_of(corpus: &Corpus, codings: &Codings, root: &Path) -> spor_corpus::Result<()> {
        let docs = fingerprints(corpus);
        let counted = codings.counted_pairs();
        let view = StateView {
            version: 1,
            documents: Pairs(&docs),
            counted: Grouped(&counted),
        };
        spor_corpus::fsutil::write_atomic_with(&root.join(LAST_RUN_FILE), |w| {
            serde_json::to_writer(w, &view).map_err(std::io::Error::other)
        })
    }

    /// Read the last run's state, if there is a readable one.
    pub fn load(root: &Path) -> Option<RunState> {
        let bytes = std::fs::read(root.join(LAST_RUN_FILE)).ok()?;
        serde_json::from_slice::<RunState>(&bytes)
            .ok()
            .filter(|s| s.version == 1)
    }

    /// Write it atomically.
    pub fn save(&self, root: &Path) -> spor_corpus::Result<()> {
        let bytes = serde_json::to_vec(self).expect("serialisable");
        spor_corpus::fsutil::write_atomic(&root.join(LAST_RUN_FILE), &bytes)
    }
}

/// Each document's id and the fingerprint of each of its turns, taken in
/// parallel, sorted by id (ids are unique: documents.csv rejects a repeated
/// one). Kept as bytes (8 per turn) and written as hex.
fn fingerprints(corpus: &Corpus) -> Vec<(&str, Vec<[u8; 8]>)> {
    use rayon::prelude::*;
    let mut docs: Vec<(&str, Vec<[u8; 8]>)> = corpus
        .documents
        .par_iter()
        .map(|d| {
            let prints = d
                .segments
                .iter()
                .map(|s| fingerprint_bytes(&s.text))
                .collect();
            // every turn was read: a mapped text's pages go back to the system
            d.text.release();
            (d.meta.id.as_str(), prints)
        })
        .collect();
    docs.sort_unstable_by(|a, b| a.0.cmp(b.0));
    docs
}

/// [`RunState`] as it is written, from borrowed parts (same field order).
#[derive(Serialize)]
struct StateView<'a> {
    version: u32,
    documents: Pairs<'a>,
    counted: Grouped<'a>,
}

/// Sorted, distinct documents and their turns' fingerprints, written as a
/// JSON object of arrays of hex strings.
struct Pairs<'a>(&'a [(&'a str, Vec<[u8; 8]>)]);

impl Serialize for Pairs<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, HexList(v))))
    }
}

/// Fingerprints, written as a JSON array of hex strings.
struct HexList<'a>(&'a [[u8; 8]]);

impl Serialize for HexList<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|f| {
            let mut out = [0u8; 16];
            spor_corpus::hex_into(f, &mut out);
            HexStr(out)
        }))
    }
}

/// 16 hex digits, written as a string without an allocation.
struct HexStr([u8; 16]);

impl Serialize for HexStr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(std::str::from_utf8(&self.0).expect("hex digits are ASCII"))
    }
}

/// Sorted, distinct (segment, code) pairs, written as a JSON object of
/// each segment's codes.
struct Grouped<'a>(&'a [(&'a str, &'a str)]);

impl Serialize for Grouped<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        for group in self.0.chunk_by(|a, b| a.0 == b.0) {
            let codes: Vec<&str> = group.iter().map(|p| p.1).collect();
            map.serialize_entry(group[0].0, &codes)?;
        }
        map.end()
    }
}

/// A turn that changed, was added or was removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TurnChange {
    /// `changed`, `added` or `removed`.
    pub change: &'static str,
    /// The segment id at the last run (changed and removed turns).
    pub before: Option<String>,
    /// The segment id now (changed and added turns).
    pub now: Option<String>,
    /// Codes counted on the turn at the last run.
    pub codes_before: Vec<String>,
    /// Codes counted on the turn now.
    pub codes_now: Vec<String>,
}

/// The changes of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentChanges {
    /// Document id.
    pub document: String,
    /// Turns that kept their text but not their number (inserted or
    /// removed turns above them).
    pub renumbered: usize,
    /// The changed, added and removed turns, in order.
    pub turns: Vec<TurnChange>,
}

/// Codes, goals and format elements whose evidence changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// Codes that lose counted turns (a changed or removed turn carried them).
    pub codes_losing: Vec<String>,
    /// Codes that gain counted turns.
    pub codes_gaining: Vec<String>,
    /// Learning goals and format elements linked to a code in either list.
    pub elements: Vec<String>,
}

/// Compare the last run's state with the corpus and codings now. Documents
/// new since the run count every turn as added; removed documents every
/// turn as removed.
pub fn diff(old: &RunState, corpus: &Corpus, codings: &Codings) -> Vec<DocumentChanges> {
    let now = RunState::of(corpus, codings);
    let ids: BTreeSet<&String> = old.documents.keys().chain(now.documents.keys()).collect();
    let order: BTreeMap<&str, usize> = corpus
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.meta.id.as_str(), i))
        .collect();
    let mut ids: Vec<&String> = ids.into_iter().collect();
    ids.sort_by_key(|d| {
        (
            order.get(d.as_str()).copied().unwrap_or(usize::MAX),
            d.as_str(),
        )
    });
    let empty = Vec::new();
    let mut out = Vec::new();
    for doc in ids {
        let a = old.documents.get(doc).unwrap_or(&empty);
        let b = now.documents.get(doc).unwrap_or(&empty);
        if a == b {
            continue;
        }
        let codes = |state: &RunState, turn: usize| {
            state
                .counted
                .get(&format!("{doc}#{turn}"))
                .cloned()
                .unwrap_or_default()
        };
        let mut turns = Vec::new();
        let mut renumbered = 0;
        let pairs = lcs(a, b);
        let (mut i, mut j) = (0, 0);
        for &(pi, pj) in pairs.iter().chain(std::iter::once(&(a.len(), b.len()))) {
            let removed: Vec<usize> = (i..pi).collect();
            let added: Vec<usize> = (j..pj).collect();
            let paired = removed.len().min(added.len());
            for k in 0..paired {
                turns.push(TurnChange {
                    change: "changed",
                    before: Some(format!("{doc}#{}", removed[k] + 1)),
                    now: Some(format!("{doc}#{}", added[k] + 1)),
                    codes_before: codes(old, removed[k] + 1),
                    codes_now: codes(&now, added[k] + 1),
                });
            }
            for &r in &removed[paired..] {
                turns.push(TurnChange {
                    change: "removed",
                    before: Some(format!("{doc}#{}", r + 1)),
                    now: None,
                    codes_before: codes(old, r + 1),
                    codes_now: Vec::new(),
                });
            }
            for &n in &added[paired..] {
                turns.push(TurnChange {
                    change: "added",
                    before: None,
                    now: Some(format!("{doc}#{}", n + 1)),
                    codes_before: Vec::new(),
                    codes_now: codes(&now, n + 1),
                });
            }
            if pi < a.len() && pi != pj {
                renumbered += 1;
            }
            (i, j) = (pi + 1, pj + 1);
        }
        out.push(DocumentChanges {
            document: doc.clone(),
            renumbered,
            turns,
        });
    }
    out
}

/// Index pairs of a longest common subsequence of `a` and `b`, in order.
fn lcs(a: &[String], b: &[String]) -> Vec<(usize, usize)> {
    // Trim the common head and tail first: edits are usually local.
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let (n, m) = (ma.len(), mb.len());
    let mut out: Vec<(usize, usize)> = (0..head).map(|k| (k, k)).collect();
    if n * m <= 25_000_000 {
        let mut t = vec![0u32; (n + 1) * (m + 1)];
        for x in (0..n).rev() {
            for y in (0..m).rev() {
                t[x * (m + 1) + y] = if ma[x] == mb[y] {
                    t[(x + 1) * (m + 1) + y + 1] + 1
                } else {
                    t[(x + 1) * (m + 1) + y].max(t[x * (m + 1) + y + 1])
                };
            }
        }
        let (mut x, mut y) = (0, 0);
        while x < n && y < m {
            if ma[x] == mb[y] {
                out.push((head + x, head + y));
                x += 1;
                y += 1;
            } else if t[(x + 1) * (m + 1) + y] >= t[x * (m + 1) + y + 1] {
                x += 1;
            } else {
                y += 1;
            }
        }
    }
    out.extend((0..tail).map(|k| (a.len() - tail + k, b.len() - tail + k)));
    out
}

/// Which codes, goals and format elements the changes touch.
pub fn impact(
    changes: &[DocumentChanges],
    books: &CodebookSet,
    curriculum: Option<&Curriculum>,
) -> Impact {
    let mut losing = BTreeSet::new();
    let mut gaining = BTreeSet::new();
    for t in changes.iter().flat_map(|d| &d.turns) {
        for c in &t.codes_before {
            if !t.codes_now.contains(c) {
                losing.insert(c.clone());
            }
        }
        for c in &t.codes_now {
            if !t.codes_before.contains(c) {
                gaining.insert(c.clone());
            }
        }
    }
    let order: Vec<String> = books.codes().map(|(_, c)| c.id.clone()).collect();
    let sorted = |set: &BTreeSet<String>| -> Vec<String> {
        order.iter().filter(|c| set.contains(*c)).cloned().collect()
    };
    let elements = curriculum
        .map(|cur| {
            cur.elements()
                .filter(|e| {
                    e.codes
                        .iter()
                        .any(|c| losing.contains(c) || gaining.contains(c))
                })
                .map(|e| e.id.clone())
                .collect()
        })
        .unwrap_or_default();
    Impact {
        codes_losing: sorted(&losing),
        codes_gaining: sorted(&gaining),
        elements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.chars().map(|c| c.to_string()).collect()
    }

    #[test]
    fn the_streamed_state_is_the_owned_state_byte_for_byte() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let study = spor_corpus::Study::open(&root.join("examples/sundtek")).unwrap();
        let corpus = Corpus::read(&study);
        let seg = corpus.segments().nth(2).unwrap();
        let row = |code: &str| spor_coding::Coding {
            segment: seg.segment.clone(),
            code: code.into(),
            codebook: "sundtek-cues".into(),
            origin: spor_coding::Origin::Rule("r".into()),
            status: spor_coding::Status::Suggested,
            rules: "r".into(),
            matched: "ord".into(),
            score: Some(1.0),
            notes: None,
        };
        let codings = Codings {
            rows: vec![row("context"), row("technofix")],
            policy: Default::default(),
            memos: Vec::new(),
            coverage: Default::default(),
        };
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for d in [&a, &b] {
            std::fs::create_dir(d.path().join(".spor")).unwrap();
        }
        let owned = RunState::of(&corpus, &codings);
        owned.save(a.path()).unwrap();
        RunState::save_of(&corpus, &codings, b.path()).unwrap();
        let read = |d: &tempfile::TempDir| std::fs::read(d.path().join(LAST_RUN_FILE)).unwrap();
        assert_eq!(read(&a), read(&b));
        // every turn's fingerprint, as the anchors write it
        let doc = &owned.documents[seg.document().as_str()];
        assert_eq!(doc.len(), corpus.documents[0].segments.len());
        assert!(doc.contains(&spor_coding::anchor::fingerprint(&seg.text)));
        assert_eq!(RunState::load(b.path()), Some(owned));
    }

    #[test]
    fn lcs_finds_insertions_and_removals() {
        assert_eq!(lcs(&v("abc"), &v("xabc")), vec![(0, 1), (1, 2), (2, 3)]);
        assert_eq!(lcs(&v("abc"), &v("ac")), vec![(0, 0), (2, 1)]);
        assert_eq!(lcs(&v("abc"), &v("aXc")), vec![(0, 0), (2, 2)]);
        assert!(lcs(&v(""), &v("ab")).is_empty());
    }
}
