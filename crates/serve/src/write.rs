//! The write side for codings: every action the page takes is one row
//! appended to the coder's file through `spor_coding::coders::append`
//! (under the file's own lock), never a rewrite. Undo is a `withdrawn`
//! row.

use crate::Shared;
use crate::api::{Failure, bad, for_append};
use crate::session::Session;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use spor_coding::coders::{Entry, HumanCoding, RowStatus, append_entry};
use spor_coding::passage::Passage;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/code", post(code))
        .route("/api/memo", post(memo))
        .route("/api/done", post(done))
}

/// The passages a human coding carries (empty: the whole turn).
pub fn passages_of(h: &HumanCoding) -> Vec<Value> {
    h.passages
        .iter()
        .map(|p| json!({ "start": p.start, "end": p.end, "quote": p.quote }))
        .collect()
}

/// A coding action.
#[derive(Deserialize)]
pub struct CodeAction {
    /// Segment id.
    pub segment: String,
    /// Code id (or a former id).
    pub code: String,
    /// `accepted`, `rejected` or `withdrawn`.
    pub status: String,
    /// A memo on the coding.
    #[serde(default)]
    pub memo: String,
    /// Start of the passage, in chars of the turn's text.
    pub start: Option<usize>,
    /// End of the passage (exclusive).
    pub end: Option<usize>,
    /// The passage's text, as the page saw it.
    pub quote: Option<String>,
}

/// A checked passage: start, end (chars) and its text.
pub type Span = (usize, usize, String);

/// Check a passage against the turn's text: in bounds, not empty, and
/// (when the page sent one) the same quote. The whole turn is no passage.
pub fn passage(text: &str, a: &CodeAction) -> Result<Option<Span>, Failure> {
    let (start, end) = match (a.start, a.end) {
        (None, None) => return Ok(None),
        (Some(s), Some(e)) => (s, e),
        _ => return Err(bad("a passage needs both start and end")),
    };
    let len = text.chars().count();
    if start >= end || end > len {
        return Err(bad(format!(
            "passage {start}..{end} is not within the turn (0..{len})"
        )));
    }
    let quote: String = text.chars().skip(start).take(end - start).collect();
    if let Some(q) = &a.quote
        && *q != quote
    {
        return Err(bad(format!(
            "the quote does not match the turn's text at {start}..{end} (the transcript changed? reload)"
        )));
    }
    if start == 0 && end == len {
        return Ok(None);
    }
    if quote.trim().is_empty() {
        return Err(bad(format!("passage {start}..{end} holds only whitespace")));
    }
    Ok(Some((start, end, quote)))
}

fn status_of(s: &str) -> Result<RowStatus, Failure> {
    Ok(match s {
        "accepted" => RowStatus::Accepted,
        "rejected" => RowStatus::Rejected,
        "withdrawn" => RowStatus::Withdrawn,
        _ => return Err(bad(format!("unknown status {s:?}"))),
    })
}

fn append(study: &spor_corpus::Study, coder: &str, e: &Entry) -> Result<Value, Failure> {
    // the coder's file refused the row (read-only, an unclosed quote, no
    // passage columns): the message says what to do
    let shown = append_entry(study, coder, e).map_err(|e| {
        let msg = match e.hint() {
            Some(h) => format!("{e} ({h})"),
            None => e.to_string(),
        };
        (axum::http::StatusCode::CONFLICT, msg)
    })?;
    Ok(json!({ "ok": true, "file": shown }))
}

async fn code(State(app): State<Shared>, Json(a): Json<CodeAction>) -> Response {
    for_append(app, move |s, app| {
        let Some(seg) = s.corpus.segment(&a.segment) else {
            return Err(bad(format!("no segment {:?}", a.segment)));
        };
        let Some((_, code)) = s.books.resolve(&a.code) else {
            return Err(bad(format!("no code {:?}", a.code)));
        };
        let status = status_of(&a.status)?;
        let span = passage(&seg.text, &a)?;
        let entry = entry(
            a.segment.clone(),
            code.id.clone(),
            status,
            a.memo.clone(),
            spor_coding::anchor::fingerprint(&seg.text),
            span,
        );
        append(&s.study, &app.coder, &entry)
    })
    .await
}

/// The row for a coding action.
fn entry(
    segment: String,
    code: String,
    status: RowStatus,
    memo: String,
    anchor: String,
    span: Option<Span>,
) -> Entry {
    Entry {
        segment,
        code,
        status,
        memo,
        anchor,
        passage: span.map(|(start, end, quote)| Passage { start, end, quote }),
    }
}

/// A memo: on a coding (`segment` and `code`), a document (`document`) or
/// a code (`code` alone).
#[derive(Deserialize)]
struct MemoAction {
    #[serde(default)]
    segment: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    document: String,
    text: String,
}

/// A code named by the page, as its id now (a former id resolves); empty
/// stays empty (a memo or `done` row about no code).
fn code_id_or_none(s: &Session, code: &str) -> Result<String, Failure> {
    if code.is_empty() {
        return Ok(String::new());
    }
    match s.books.resolve(code) {
        Some((_, c)) => Ok(c.id.clone()),
        None => Err(bad(format!("no code {code:?}"))),
    }
}

async fn memo(State(app): State<Shared>, Json(a): Json<MemoAction>) -> Response {
    for_append(app, move |s, app| {
        if a.text.trim().is_empty() {
            return Err(bad("the memo is empty"));
        }
        let code = code_id_or_none(s, &a.code)?;
        let (segment, anchor) = if !a.segment.is_empty() {
            let Some(seg) = s.corpus.segment(&a.segment) else {
                return Err(bad(format!("no segment {:?}", a.segment)));
            };
            if code.is_empty() {
                return Err(bad("a memo on a coding names its code"));
            }
            (
                a.segment.clone(),
                spor_coding::anchor::fingerprint(&seg.text),
            )
        } else if !a.document.is_empty() {
            if !s.study.documents.iter().any(|d| d.id == a.document) {
                return Err(bad(format!("no document {:?}", a.document)));
            }
            if !code.is_empty() {
                return Err(bad("a document memo names no code"));
            }
            (a.document.clone(), String::new())
        } else if !code.is_empty() {
            (String::new(), String::new())
        } else {
            return Err(bad("a memo is on a coding, a document or a code"));
        };
        append(
            &s.study,
            &app.coder,
            &Entry {
                segment,
                code,
                status: RowStatus::Memo,
                memo: a.text.clone(),
                anchor,
                passage: None,
            },
        )
    })
    .await
}

/// The coder has coded a document (for one code, or every code).
#[derive(Deserialize)]
struct DoneAction {
    document: String,
    #[serde(default)]
    code: String,
}

async fn done(State(app): State<Shared>, Json(a): Json<DoneAction>) -> Response {
    for_append(app, move |s, app| {
        if !s.study.documents.iter().any(|d| d.id == a.document) {
            return Err(bad(format!("no document {:?}", a.document)));
        }
        let code = code_id_or_none(s, &a.code)?;
        append(
            &s.study,
            &app.coder,
            &Entry {
                segment: a.document.clone(),
                code,
                status: RowStatus::Done,
                memo: String::new(),
                anchor: String::new(),
                passage: None,
            },
        )
    })
    .await
}
