//! Traces: from a learning goal or format element down to the codes it
//! answers and every transcript line behind them, with the source files'
//! hashes; or from a code up to the goals that rest on it.

use crate::translation::Link;
use crate::{AnalysisError, Evidence, MemoNote, Quote};
use serde::Serialize;
use std::collections::BTreeSet;

/// A code in a trace, with its supporting segments.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TracedCode {
    /// Code id.
    pub code: String,
    /// Danish label.
    pub label: String,
    /// Finding (cue codes).
    pub finding: Option<String>,
    /// Cue (cue codes).
    pub cue: Option<String>,
    /// Translation (cue codes).
    pub translation: Option<String>,
    /// Whether the code exists in the study's codebooks.
    pub exists: bool,
    /// Every counted participant turn coded with it: the reviewed ones
    /// first, each part in corpus order.
    pub segments: Vec<Quote>,
    /// How many counted turns carry the code (`segments` may show fewer,
    /// as in the report).
    pub total: usize,
    /// Of `total`: turns a person coded or whose suggestion a person
    /// accepted.
    pub reviewed_segments: usize,
    /// Of `total`: turns resting only on rule suggestions nobody reviewed.
    pub unreviewed_segments: usize,
    /// Memos coders wrote on the code.
    pub memos: Vec<MemoNote>,
}

/// Memos on a document a trace quotes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocumentMemos {
    /// Document id.
    pub document: String,
    /// Its memos.
    pub memos: Vec<MemoNote>,
}

/// A transcript file a trace rests on.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Source {
    /// Document id.
    pub document: String,
    /// File, relative to the study.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// A trace.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Trace {
    /// The goal, element or code traced.
    pub id: String,
    /// `learning goal`, `format element` or `code`.
    pub what: String,
    /// For goals and elements: their kind and text.
    pub element: Option<Link>,
    /// For a code traced upward: the goals and elements that answer it.
    pub answered_by: Vec<Link>,
    /// The codes and their evidence.
    pub codes: Vec<TracedCode>,
    /// The transcripts behind the evidence.
    pub sources: Vec<Source>,
    /// Memos on the documents the trace quotes, in source order.
    pub document_memos: Vec<DocumentMemos>,
    /// The counting policy the evidence was counted under.
    pub policy: String,
    /// Of all counted turns of all codes: reviewed by a person.
    pub reviewed_segments: usize,
    /// Of all counted turns of all codes: unreviewed rule suggestions.
    pub unreviewed_segments: usize,
}

impl Trace {
    fn new(
        ev: &Evidence,
        id: &str,
        what: &str,
        element: Option<Link>,
        answered_by: Vec<Link>,
        codes: Vec<TracedCode>,
        all_sources: bool,
    ) -> Trace {
        let sources = sources(ev, &codes, all_sources);
        let document_memos = sources
            .iter()
            .map(|s| DocumentMemos {
                document: s.document.clone(),
                memos: ev.document_memos(&s.document),
            })
            .filter(|d| !d.memos.is_empty())
            .collect();
        Trace {
            id: id.to_owned(),
            what: what.to_owned(),
            element,
            answered_by,
            reviewed_segments: codes.iter().map(|c| c.reviewed_segments).sum(),
            unreviewed_segments: codes.iter().map(|c| c.unreviewed_segments).sum(),
            sources,
            document_memos,
            codes,
            policy: ev.codings.policy.as_str().to_owned(),
        }
    }
}

/// A code's trace: at most `limit` turns, quoted.
fn traced(ev: &Evidence, id: &str, limit: usize) -> TracedCode {
    let code = ev.books.code(id).map(|(_, c)| c);
    // reviewed first, each part in corpus order (a stable partition)
    let (segs, reviewed) = ev.reviewed_first(id);
    TracedCode {
        code: id.to_owned(),
        label: code.map(|c| c.label.clone()).unwrap_or_default(),
        finding: code.and_then(|c| c.finding.clone()),
        cue: code.and_then(|c| c.cue.clone()),
        translation: code.and_then(|c| c.translation.clone()),
        exists: code.is_some(),
        segments: segs.iter().take(limit).map(|s| ev.quote(s, id)).collect(),
        total: segs.len(),
        reviewed_segments: reviewed,
        unreviewed_segments: segs.len() - reviewed,
        memos: ev.code_memos(id),
    }
}

/// The transcripts behind the codes' turns: those the trace shows, or
/// with `all`, every counted turn of the codes.
fn sources(ev: &Evidence, codes: &[TracedCode], all: bool) -> Vec<Source> {
    let docs: BTreeSet<&str> = if all {
        codes
            .iter()
            .flat_map(|c| ev.counted_segments(&c.code).iter())
            .map(|s| s.document().as_str())
            .collect()
    } else {
        codes
            .iter()
            .flat_map(|c| c.segments.iter().map(|q| q.document.as_str()))
            .collect()
    };
    ev.corpus
        .documents
        .iter()
        .filter(|d| docs.contains(d.meta.id.as_str()))
        .map(|d| Source {
            document: d.meta.id.clone(),
            file: d.meta.file.clone(),
            sha256: d.sha256.clone(),
        })
        .collect()
}

/// Trace a learning goal or format element down to its evidence.
pub fn trace_element(ev: &Evidence, id: &str) -> Result<Trace, AnalysisError> {
    trace_element_limited(ev, id, usize::MAX)
}

/// [`trace_element`] quoting at most `limit` turns per code (`total` still
/// counts them all), for views that cannot show every turn.
pub fn trace_element_limited(
    ev: &Evidence,
    id: &str,
    limit: usize,
) -> Result<Trace, AnalysisError> {
    trace_element_with(ev, id, limit, false)
}

/// [`trace_element`] with only the first `quoted` turns of each code, and
/// the sources of every turn: what `spor_export::trace::markdown_cited`
/// needs, which cites the other turns straight from the evidence
/// ([`Evidence::cite`]) instead of from the trace.
pub fn trace_element_quoted(
    ev: &Evidence,
    id: &str,
    quoted: usize,
) -> Result<Trace, AnalysisError> {
    trace_element_with(ev, id, quoted, true)
}

fn trace_element_with(
    ev: &Evidence,
    id: &str,
    limit: usize,
    all_sources: bool,
) -> Result<Trace, AnalysisError> {
    let e = ev
        .curriculum
        .and_then(|c| c.element(id))
        .ok_or_else(|| AnalysisError::UnknownId(id.to_owned()))?;
    let codes: Vec<TracedCode> = e.codes.iter().map(|c| traced(ev, c, limit)).collect();
    Ok(Trace::new(
        ev,
        id,
        e.what(),
        Some(Link::to(e)),
        Vec::new(),
        codes,
        all_sources,
    ))
}

/// Trace a code up to the goals and elements that answer it, and down to
/// its evidence.
pub fn trace_code(ev: &Evidence, id: &str) -> Result<Trace, AnalysisError> {
    if ev.books.code(id).is_none() {
        return Err(AnalysisError::UnknownId(id.to_owned()));
    }
    let codes = vec![traced(ev, id, usize::MAX)];
    let answered_by = ev
        .curriculum
        .map(|c| {
            c.elements()
                .filter(|e| e.codes.iter().any(|x| x == id))
                .map(Link::to)
                .collect()
        })
        .unwrap_or_default();
    Ok(Trace::new(ev, id, "code", None, answered_by, codes, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use spor_coding::{Coding, Codings, Memo, MemoTarget, Policy, Status};
    use std::path::Path;

    fn row(segment: &str, origin: &str, status: Status) -> Coding {
        Coding {
            segment: segment.into(),
            code: "context".into(),
            codebook: "sundtek-cues".into(),
            origin: spor_coding::Origin::parse(origin).expect("a written origin"),
            status,
            rules: Default::default(),
            matched: "kontekst".into(),
            score: Some(1.0),
            notes: None,
        }
    }

    fn memo(coder: &str, target: MemoTarget, text: &str, line: usize) -> Memo {
        Memo {
            coder: coder.into(),
            target,
            text: text.into(),
            line,
        }
    }

    #[test]
    fn a_trace_splits_its_counts_lists_reviewed_first_and_shows_memos() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let study = spor_corpus::Study::open(&root.join("examples/sundtek")).unwrap();
        let corpus = spor_corpus::Corpus::read(&study);
        let books = spor_codebook::CodebookSet::read(&[(
            root.join("codebooks/sundtek-cues.toml"),
            "sundtek-cues.toml".into(),
        )])
        .unwrap();
        let curriculum = spor_codebook::Curriculum::read(
            &root.join("examples/sundtek/curriculum.toml"),
            Path::new("curriculum.toml"),
        )
        .unwrap();
        let turns: Vec<&spor_corpus::Segment> = corpus
            .segments()
            .filter(|s| s.role() == spor_corpus::Role::Participant)
            .take(3)
            .collect();
        let (a, b, c) = (&turns[0].segment, &turns[1].segment, &turns[2].segment);
        let coding = |s: &str| MemoTarget::Coding {
            segment: s.into(),
            code: "context".into(),
        };
        let codings = Codings {
            rows: vec![
                // a: an undecided suggestion; b: a suggestion a coder
                // accepted; c: a rejected suggestion (not counted)
                row(a, "rule:r1", Status::Suggested),
                row(b, "rule:r1", Status::Accepted),
                row(b, "coder:R01", Status::Accepted),
                row(c, "rule:r1", Status::Rejected),
                row(c, "coder:R01", Status::Rejected),
            ],
            policy: Policy::SuggestedAndHuman,
            coverage: Default::default(),
            memos: vec![
                memo("R01", coding(b), "først", 3),
                memo("R01", coding(b), "siden", 7),
                memo(
                    "R01",
                    MemoTarget::Code {
                        code: "context".into(),
                    },
                    "bred",
                    9,
                ),
                memo(
                    "R02",
                    MemoTarget::Document {
                        document: turns[0].document().to_string(),
                    },
                    "afbrudt",
                    2,
                ),
            ],
        };
        let private = Default::default();
        let ev = Evidence::new(&corpus, &books, Some(&curriculum), &codings, &private);
        let t = trace_element(&ev, "LG-V1").unwrap();
        let tc = &t.codes[0];
        assert_eq!(
            (tc.total, tc.reviewed_segments, tc.unreviewed_segments),
            (2, 1, 1)
        );
        assert_eq!((t.reviewed_segments, t.unreviewed_segments), (1, 1));
        // reviewed first, whatever the corpus order
        assert_eq!(tc.segments[0].segment, *b);
        assert!(tc.segments[0].reviewed && !tc.segments[1].reviewed);
        assert_eq!(tc.segments[1].matched, vec!["kontekst".to_owned()]);
        let texts: Vec<&str> = tc.segments[0]
            .memos
            .iter()
            .map(|m| m.text.as_str())
            .collect();
        assert_eq!(texts, ["først", "siden"]);
        assert!(tc.segments[1].memos.is_empty());
        assert_eq!(tc.memos.len(), 1);
        assert_eq!(tc.memos[0].text, "bred");
        assert_eq!(t.document_memos.len(), 1);
        assert_eq!(t.document_memos[0].memos[0].coder, "R02");
        // the same split in the translation table and the matrix
        let row = crate::translation::table(&ev)
            .into_iter()
            .find(|r| r.code == "context")
            .unwrap();
        assert_eq!(
            (row.segments, row.reviewed_segments, row.unreviewed_segments),
            (2, 1, 1)
        );
        assert!(row.quotes[0].reviewed);
        let m = crate::matrix::matrix(
            &ev,
            &crate::matrix::Options {
                by: "profession".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let (r, u): (usize, usize) = m
            .cells
            .iter()
            .filter(|c| c.code == "context")
            .fold((0, 0), |acc, c| {
                (acc.0 + c.reviewed_segments, acc.1 + c.unreviewed_segments)
            });
        assert_eq!((r, u), (1, 1));
    }
}
