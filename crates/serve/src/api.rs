//! The read side: JSON built from the study for the page (documents,
//! a transcript with its codings and suggestions, search, the review
//! queue, disagreements). Every request first reads again what changed on
//! disk.

use crate::Shared;
use crate::session::Session;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use spor_coding::MemoTarget;
use spor_coding::coders::{Covered, Decision};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// An error answer: status and message.
pub type Failure = (StatusCode, String);

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/state", get(state))
        .route("/api/documents", get(documents))
        .route("/api/doc/{id}", get(document))
        .route("/api/search", get(search))
        .route("/api/review", get(review))
        .route("/api/disagree", get(disagree))
}

/// Run `f` on the session (read again from disk first) on a blocking
/// thread, and answer its JSON.
pub async fn with_session(
    app: Shared,
    f: impl FnOnce(&mut Session, &crate::App) -> Result<Value, Failure> + Send + 'static,
) -> Response {
    run(app, true, f).await
}

/// [`with_session`] for appending a row: only a changed input (not a
/// coder's file) is read again first, so an action stays fast however
/// long the coders' files grow.
pub async fn for_append(
    app: Shared,
    f: impl FnOnce(&mut Session, &crate::App) -> Result<Value, Failure> + Send + 'static,
) -> Response {
    run(app, false, f).await
}

async fn run(
    app: Shared,
    coders: bool,
    f: impl FnOnce(&mut Session, &crate::App) -> Result<Value, Failure> + Send + 'static,
) -> Response {
    let r = tokio::task::spawn_blocking(move || {
        let mut s = app
            .session
            .lock()
            .map_err(|_| (StatusCode::INTERNAL_SERVER_ERROR, "poisoned".to_owned()))?;
        if coders {
            s.refresh()
        } else {
            s.refresh_inputs()
        }
        .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        f(&mut s, &app)
    })
    .await;
    match r {
        Ok(Ok(v)) => Json(v).into_response(),
        Ok(Err((status, msg))) => (status, Json(json!({ "error": msg }))).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({ "error": e.to_string() })),
        )
            .into_response(),
    }
}

pub fn bad(msg: impl Into<String>) -> Failure {
    (StatusCode::BAD_REQUEST, msg.into())
}

fn not_found(msg: impl Into<String>) -> Failure {
    (StatusCode::NOT_FOUND, msg.into())
}

/// Every code, in codebook order, numbered from 1.
fn codes(s: &Session) -> Vec<Value> {
    s.books
        .codes()
        .enumerate()
        .map(|(i, (b, c))| {
            json!({
                "n": i + 1,
                "id": c.id,
                "codebook": b.id,
                "label": c.label,
                "label_en": c.label_en,
                "parent": c.parent,
                "aliases": c.aliases,
                "definition": c.definition,
                "include": c.include,
                "exclude": c.exclude,
                "examples": c.examples.iter().map(|e| &e.text).collect::<Vec<_>>(),
                "rules": c.rules.len(),
            })
        })
        .collect()
}

fn coders(s: &Session, me: &str) -> Vec<String> {
    let mut v: BTreeSet<String> = spor_coding::coders::coder_names(&s.study)
        .into_iter()
        .collect();
    v.insert(me.to_owned());
    v.into_iter().collect()
}

fn memos_of(s: &Session, pick: impl Fn(&MemoTarget) -> bool) -> Vec<Value> {
    s.codings
        .memos
        .iter()
        .filter(|m| pick(&m.target))
        .map(|m| json!({ "coder": m.coder, "target": m.target, "text": m.text }))
        .collect()
}

async fn state(State(app): State<Shared>) -> Response {
    with_session(app, |s, app| {
        Ok(json!({
            "study": s.study.manifest.study.name,
            "coder": app.coder,
            "csrf": app.guard.csrf,
            "coders": coders(s, &app.coder),
            "codes": codes(s),
            "codebooks": s.books.books.iter().map(|b| json!({"id": b.id, "title": b.title})).collect::<Vec<_>>(),
            "code_memos": memos_of(s, |t| matches!(t, MemoTarget::Code { .. })),
            "language": app.lang.code(),
            "texts": crate::texts::texts(app.lang),
        }))
    })
    .await
}

async fn documents(State(app): State<Shared>) -> Response {
    with_session(app, |s, app| {
        let ids: Vec<String> = s.study.documents.iter().map(|d| d.id.clone()).collect();
        let all_coders = coders(s, &app.coder);
        let listing: BTreeMap<&str, BTreeMap<String, Covered>> = all_coders
            .iter()
            .map(|c| (c.as_str(), s.files.coverage.listing(c, &ids)))
            .collect();
        // turns each coder coded (accepted), per document
        let mut coded: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
        for h in &s.files.codings {
            if h.decision == Decision::Accepted {
                let doc = h.segment.rsplit_once('#').map(|x| x.0).unwrap_or("");
                coded
                    .entry((h.coder.as_str(), doc))
                    .or_default()
                    .insert(h.segment.as_str());
            }
        }
        let docs: Vec<Value> = s
            .corpus
            .documents
            .iter()
            .map(|d| {
                let participants: BTreeSet<&str> = s
                    .study
                    .speakers_of(&d.meta.id)
                    .filter(|sp| sp.role == spor_corpus::study::Role::Participant)
                    .map(|sp| sp.participant.as_str())
                    .collect();
                let progress: Vec<Value> = all_coders
                    .iter()
                    .map(|c| {
                        let cov = listing.get(c.as_str()).and_then(|l| l.get(&d.meta.id));
                        json!({
                            "coder": c,
                            "done": match cov {
                                Some(Covered::All(_)) => json!("all"),
                                Some(Covered::Codes(v)) => json!(v),
                                None => Value::Null,
                            },
                            "coded_turns": coded.get(&(c.as_str(), d.meta.id.as_str())).map_or(0, |s| s.len()),
                        })
                    })
                    .collect();
                json!({
                    "id": d.meta.id,
                    "kind": d.meta.kind,
                    "phase": d.meta.phase,
                    "date": d.meta.date,
                    "participants": participants,
                    "turns": d.segments.len(),
                    "progress": progress,
                })
            })
            .collect();
        Ok(json!({ "documents": docs }))
    })
    .await
}

fn turn_json(seg: &spor_corpus::Segment) -> Value {
    json!({
        "segment": seg.segment,
        "turn": seg.turn,
        "speaker": seg.speaker(),
        "participant": seg.participant(),
        "profession": seg.profession(),
        "role": seg.role(),
        "timestamp": seg.timestamp,
        "line_start": seg.line_start,
        "line_end": seg.line_end,
        "text": seg.text,
    })
}

/// The human codings of the turns in `wanted`: segment -> list.
fn human_codings<'a>(s: &'a Session, wanted: &HashSet<&str>) -> BTreeMap<&'a str, Vec<Value>> {
    let mut out: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for h in &s.files.codings {
        if !wanted.contains(h.segment.as_str()) {
            continue;
        }
        out.entry(h.segment.as_str()).or_default().push(json!({
            "coder": h.coder,
            "code": h.code,
            "decision": h.decision.as_str(),
            "memo": h.memo,
            "passages": crate::write::passages_of(h),
        }));
    }
    out
}

/// `?turn=SEGMENT`: only that turn (what the page reads after an action).
#[derive(Deserialize)]
struct DocQ {
    turn: Option<String>,
    /// Only the turns `from..to` (0-based, `to` excluded): a long
    /// transcript's first screen comes before the rest.
    from: Option<usize>,
    to: Option<usize>,
}

async fn document(
    State(app): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<DocQ>,
) -> Response {
    with_session(app, move |s, app| {
        let Some(d) = s.corpus.documents.iter().find(|d| d.meta.id == id) else {
            return Err(not_found(format!("no document {id:?}")));
        };
        // only the turns asked for: one (`?turn=`), a window (`?from=&to=`,
        // a long transcript's first screen and then the rest in chunks), or all
        let n = d.segments.len();
        let (from, part): (usize, &[spor_corpus::Segment]) = match &q.turn {
            Some(one) => {
                let Some(seg) = d.segments.iter().find(|x| &x.segment == one) else {
                    return Err(not_found(format!("no turn {one:?} in {id}")));
                };
                (0, std::slice::from_ref(seg))
            }
            None => {
                let from = q.from.unwrap_or(0).min(n);
                (from, &d.segments[from..q.to.unwrap_or(n).clamp(from, n)])
            }
        };
        let wanted: HashSet<&str> = part.iter().map(|x| x.segment.as_str()).collect();
        let human = human_codings(s, &wanted);
        let mine = spor_coding::Origin::Coder(app.coder.as_str().into());
        let mut sugg: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
        let decided: BTreeMap<(&str, &str), &str> = s
            .codings
            .rows
            .iter()
            .filter(|r| r.origin == mine && wanted.contains(r.segment.as_str()))
            .map(|r| ((r.segment.as_str(), r.code.as_str()), r.status.as_str()))
            .collect();
        for r in &s.codings.rows {
            if (r.is_suggestion() || r.is_learned()) && wanted.contains(r.segment.as_str()) {
                sugg.entry(r.segment.as_str()).or_default().push(json!({
                    "code": r.code,
                    "origin": r.origin,
                    "rules": r.rules,
                    "matched": r.matched,
                    "probability": r.is_learned().then_some(r.score).flatten(),
                    "status": r.status.as_str(),
                    "mine": decided.get(&(r.segment.as_str(), r.code.as_str())),
                }));
            }
        }
        let mut memos: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
        for m in &s.codings.memos {
            if let MemoTarget::Coding { segment, .. } = &m.target
                && wanted.contains(segment.as_str())
            {
                memos.entry(segment.as_str()).or_default().push(
                    json!({ "coder": m.coder, "target": m.target, "text": m.text }),
                );
            }
        }
        let turn = |seg: &spor_corpus::Segment| {
            let key = seg.segment.as_str();
            let mut t = turn_json(seg);
            t["codings"] = json!(human.get(key).cloned().unwrap_or_default());
            t["suggestions"] = json!(sugg.get(key).cloned().unwrap_or_default());
            t["memos"] = json!(memos.get(key).cloned().unwrap_or_default());
            t
        };
        if q.turn.is_some() {
            return Ok(json!({ "turn": turn(&part[0]) }));
        }
        let turns: Vec<Value> = part.iter().map(turn).collect();
        Ok(json!({
            "id": d.meta.id,
            "offset": from,
            "total": n,
            "file": d.meta.file,
            "kind": d.meta.kind,
            "phase": d.meta.phase,
            "date": d.meta.date,
            "turns": turns,
            "memos": memos_of(s, |m| matches!(m, MemoTarget::Document { document } if *document == id)),
        }))
    })
    .await
}

#[derive(Deserialize)]
struct SearchQ {
    q: String,
}

async fn search(State(app): State<Shared>, Query(q): Query<SearchQ>) -> Response {
    with_session(app, move |s, _| {
        let query = spor_query::parse(&q.q).map_err(|e| bad(e.render(&q.q)))?;
        let known = crate::session::known_attributes(&s.study);
        let known_ref: Vec<&str> = known.iter().map(String::as_str).collect();
        spor_query::validate(&query, &known_ref).map_err(|e| bad(e.render(&q.q)))?;
        if let Some(p) = query
            .attr_names()
            .into_iter()
            .find(|n| s.study.private.contains(*n))
        {
            return Err(bad(format!(
                "the attribute {p:?} is private ([privacy]) and cannot be searched"
            )));
        }
        let (hits, total) = s
            .index
            .search_total(&query, &spor_index::Filters::default(), Some(200))
            .map_err(|e| bad(e.to_string()))?;
        let mut hl = spor_index::Highlighter::new(&query);
        let hits: Vec<Value> = hits
            .iter()
            .filter_map(|h| {
                let seg = s.corpus.segment(&h.segment)?;
                let mut t = turn_json(seg);
                t["document"] = json!(seg.document());
                t["score"] = json!(h.score);
                t["highlights"] = json!(hl.ranges(&seg.text));
                Some(t)
            })
            .collect();
        Ok(json!({ "total": total, "hits": hits }))
    })
    .await
}

#[derive(Deserialize)]
struct ReviewQ {
    code: String,
}

async fn review(State(app): State<Shared>, Query(q): Query<ReviewQ>) -> Response {
    with_session(app, move |s, app| {
        let Some((_, code)) = s.books.resolve(&q.code) else {
            return Err(not_found(format!("no code {:?}", q.code)));
        };
        // the learned model's probability of each turn: the queue asks
        // first where it is least sure, as `spor review --order
        // uncertainty` does (document order without a model)
        let probability = |segment: &str| {
            s.learned
                .as_ref()
                .and_then(|l| l.probability(&code.id, segment, &s.corpus))
        };
        let mut pending = s.codings.pending(&app.coder, &code.id);
        spor_learn::order_by_uncertainty(&mut pending, |r| probability(&r.segment));
        let mut items: Vec<Value> = Vec::new();
        for r in pending {
            let Some(seg) = s.corpus.segment(&r.segment) else {
                continue;
            };
            let near = |turn: u32| {
                s.corpus
                    .segment(&format!("{}#{turn}", seg.document()))
                    .map(turn_json)
            };
            items.push(json!({
                "turn": turn_json(seg),
                "document": seg.document(),
                "before": seg.turn.checked_sub(1).and_then(near),
                "after": near(seg.turn + 1),
                "origin": r.origin,
                "rules": r.rules,
                "matched": r.matched,
                "probability": probability(&r.segment),
            }));
        }
        Ok(json!({
            "code": code.id,
            "items": items,
        }))
    })
    .await
}

/// A coder's decision and memo.
type Decided<'a> = (&'a str, &'a str);

#[derive(Deserialize)]
struct DisagreeQ {
    a: String,
    b: String,
}

async fn disagree(State(app): State<Shared>, Query(q): Query<DisagreeQ>) -> Response {
    with_session(app, move |s, _| {
        // each coder's decision per (segment, code), with the memo
        let mut dec: BTreeMap<(&str, &str), [Option<Decided>; 2]> = BTreeMap::new();
        for h in &s.files.codings {
            let i = if h.coder == q.a {
                0
            } else if h.coder == q.b {
                1
            } else {
                continue;
            };
            dec.entry((h.segment.as_str(), h.code.as_str()))
                .or_default()[i] = Some((h.decision.as_str(), h.memo.as_str()));
        }
        let cov = &s.files.coverage;
        let mut out: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
        let order = spor_coding::suggest::segment_order(&s.corpus);
        let mut keys: Vec<_> = dec.keys().copied().collect();
        keys.sort_by_key(|(seg, code)| (order.get(seg).copied().unwrap_or(usize::MAX), *code));
        for (seg, code) in keys {
            let [a, b] = dec[&(seg, code)];
            let applied = |x: Option<(&str, &str)>| x.is_some_and(|(d, _)| d == "accepted");
            if applied(a) == applied(b) {
                continue;
            }
            let doc = seg.rsplit_once('#').map(|x| x.0).unwrap_or("");
            // only where both coders coded this code in this document
            if !(cov.covers(&q.a, doc, code) && cov.covers(&q.b, doc, code)) {
                continue;
            }
            let Some(segment) = s.corpus.segment(seg) else {
                continue;
            };
            out.entry((code.to_owned(), doc.to_owned()))
                .or_default()
                .push(json!({
                    "turn": turn_json(segment),
                    "a": { "decision": a.map(|x| x.0), "memo": a.map(|x| x.1) },
                    "b": { "decision": b.map(|x| x.0), "memo": b.map(|x| x.1) },
                }));
        }
        let cells: Vec<Value> = out
            .into_iter()
            .map(|((code, doc), items)| json!({ "code": code, "document": doc, "items": items }))
            .collect();
        Ok(json!({ "a": q.a, "b": q.b, "cells": cells }))
    })
    .await
}
