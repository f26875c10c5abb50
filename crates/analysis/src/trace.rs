//! Traces: from a learning goal or format element down to the codes it
//! answers and every transcript line behind them, with the source files'
//! hashes; or from a code up to the goals that rest on it.

use crate::translation::Link;
use crate::{AnalysisError, Evidence, Quote};
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
    /// Every counted participant turn coded with it, in corpus order.
    pub segments: Vec<Quote>,
    /// How many counted turns carry the code (`segments` may show fewer,
    /// as in the report).
    pub total: usize,
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
    /// The counting policy the evidence was counted under.
    pub policy: String,
}

fn traced(ev: &Evidence, id: &str, limit: usize) -> TracedCode {
    let code = ev.books.code(id).map(|(_, c)| c);
    let segs = ev.counted_segments(id);
    TracedCode {
        code: id.to_owned(),
        label: code.map(|c| c.label.clone()).unwrap_or_default(),
        finding: code.and_then(|c| c.finding.clone()),
        cue: code.and_then(|c| c.cue.clone()),
        translation: code.and_then(|c| c.translation.clone()),
        exists: code.is_some(),
        segments: segs.iter().take(limit).map(|s| ev.quote(s, id)).collect(),
        total: segs.len(),
    }
}

fn sources(ev: &Evidence, codes: &[TracedCode]) -> Vec<Source> {
    let docs: BTreeSet<&str> = codes
        .iter()
        .flat_map(|c| c.segments.iter().map(|q| q.document.as_str()))
        .collect();
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
    let e = ev
        .curriculum
        .and_then(|c| c.element(id))
        .ok_or_else(|| AnalysisError::UnknownId(id.to_owned()))?;
    let codes: Vec<TracedCode> = e.codes.iter().map(|c| traced(ev, c, limit)).collect();
    Ok(Trace {
        id: id.to_owned(),
        what: e.what().to_owned(),
        element: Some(Link::to(e)),
        answered_by: Vec::new(),
        sources: sources(ev, &codes),
        codes,
        policy: ev.codings.policy.as_str().to_owned(),
    })
}

/// Trace a code up to the goals and elements that answer it, and down to
/// its evidence.
pub fn trace_code(ev: &Evidence, id: &str) -> Result<Trace, AnalysisError> {
    if ev.books.code(id).is_none() {
        return Err(AnalysisError::UnknownId(id.to_owned()));
    }
    let codes = vec![traced(ev, id, usize::MAX)];
    Ok(Trace {
        id: id.to_owned(),
        what: "code".to_owned(),
        element: None,
        answered_by: ev
            .curriculum
            .map(|c| {
                c.elements()
                    .filter(|e| e.codes.iter().any(|x| x == id))
                    .map(Link::to)
                    .collect()
            })
            .unwrap_or_default(),
        sources: sources(ev, &codes),
        codes,
        policy: ev.codings.policy.as_str().to_owned(),
    })
}
