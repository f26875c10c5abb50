//! `spor export segments`.

use crate::Outcome;
use crate::args::{Cli, SegmentFormat, SegmentsArgs, Unit};
use anyhow::{Result, bail};
use serde::Serialize;
use spor_corpus::{Corpus, Role, Segment};
use std::collections::BTreeSet;

/// A sentence row of `--unit sentence`.
#[derive(Serialize)]
struct SentenceRow<'a> {
    sentence: String,
    segment: &'a str,
    document: &'a str,
    turn: usize,
    index: usize,
    speaker: &'a str,
    participant: &'a str,
    profession: &'a str,
    role: &'a str,
    text: String,
    line_start: usize,
    line_end: usize,
    char_start: usize,
    char_end: usize,
}

pub fn segments(cli: &Cli, a: &SegmentsArgs) -> Result<Outcome> {
    for r in &a.roles {
        if Role::parse(r).is_none() {
            bail!("unknown role {r:?} (roles are participant, interviewer, facilitator, observer)");
        }
    }
    let (study, corpus) = super::read_corpus(cli)?;
    let dialect = super::csv_dialect(cli, &study)?;
    let roles: BTreeSet<&str> = a
        .roles
        .iter()
        .filter_map(|r| Role::parse(r))
        .map(|r| r.as_str())
        .collect();
    let keep = |s: &&Segment| roles.is_empty() || roles.contains(s.role.as_str());
    let bytes = match a.unit {
        Unit::Segment => {
            let segs: Vec<&Segment> = corpus.segments().filter(keep).collect();
            match a.format {
                SegmentFormat::Json => json_array(&segs)?,
                SegmentFormat::Jsonl => jsonl(&segs)?,
                SegmentFormat::Csv => dialect.apply(segments_csv(&segs)?),
            }
        }
        Unit::Sentence => {
            let rows = sentence_rows(&corpus, &keep);
            match a.format {
                SegmentFormat::Json => json_array(&rows)?,
                SegmentFormat::Jsonl => jsonl(&rows)?,
                SegmentFormat::Csv => {
                    let mut w = csv::Writer::from_writer(Vec::new());
                    for r in &rows {
                        w.serialize(r)?;
                    }
                    dialect.apply(w.into_inner()?)
                }
            }
        }
    };
    match &a.output {
        Some(path) => spor_corpus::fsutil::write_atomic(path, &bytes)?,
        None => crate::output::bytes(&bytes),
    }
    Ok(Outcome::Ok)
}

fn json_array<T: Serialize>(items: &[T]) -> Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(items)?;
    v.push(b'\n');
    Ok(v)
}

fn jsonl<T: Serialize>(items: &[T]) -> Result<Vec<u8>> {
    let mut v = Vec::new();
    for i in items {
        serde_json::to_writer(&mut v, i)?;
        v.push(b'\n');
    }
    Ok(v)
}

const PINNED: [&str; 19] = [
    "segment",
    "document",
    "turn",
    "speaker",
    "participant",
    "profession",
    "role",
    "text",
    "line_start",
    "line_end",
    "char_start",
    "char_end",
    "timestamp",
    "start_seconds",
    "end_seconds",
    "words",
    "kind",
    "phase",
    "date",
];

/// CSV: the pinned fields, then document attributes, then participant
/// attributes (a name that clashes with an earlier column gets a
/// `document.` or `participant.` prefix).
fn segments_csv(segs: &[&Segment]) -> Result<Vec<u8>> {
    let doc_attrs: BTreeSet<&str> = segs
        .iter()
        .flat_map(|s| s.document_attributes.keys().map(String::as_str))
        .collect();
    let part_attrs: BTreeSet<&str> = segs
        .iter()
        .flat_map(|s| s.participant_attributes.keys().map(String::as_str))
        .collect();
    let mut header: Vec<String> = PINNED.iter().map(|s| s.to_string()).collect();
    for d in &doc_attrs {
        let name = if header.iter().any(|h| h == d) {
            format!("document.{d}")
        } else {
            d.to_string()
        };
        header.push(name);
    }
    for p in &part_attrs {
        let name = if header.iter().any(|h| h == p) {
            format!("participant.{p}")
        } else {
            p.to_string()
        };
        header.push(name);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header)?;
    let opt = |o: Option<u32>| o.map(|x| x.to_string()).unwrap_or_default();
    for s in segs {
        let mut row = vec![
            s.segment.clone(),
            s.document.clone(),
            s.turn.to_string(),
            s.speaker.clone(),
            s.participant.clone(),
            s.profession.clone(),
            s.role.as_str().to_owned(),
            s.text.clone(),
            s.line_start.to_string(),
            s.line_end.to_string(),
            s.char_start.to_string(),
            s.char_end.to_string(),
            s.timestamp.clone().unwrap_or_default(),
            opt(s.start_seconds),
            opt(s.end_seconds),
            s.words.to_string(),
            s.kind.clone(),
            s.phase.clone(),
            s.date.clone(),
        ];
        for d in &doc_attrs {
            row.push(
                s.document_attributes
                    .get(*d)
                    .map(|v| v.key())
                    .unwrap_or_default(),
            );
        }
        for p in &part_attrs {
            row.push(
                s.participant_attributes
                    .get(*p)
                    .map(|v| v.key())
                    .unwrap_or_default(),
            );
        }
        w.write_record(&row)?;
    }
    Ok(w.into_inner()?)
}

fn sentence_rows<'a>(corpus: &'a Corpus, keep: &dyn Fn(&&Segment) -> bool) -> Vec<SentenceRow<'a>> {
    let mut rows = Vec::new();
    for doc in &corpus.documents {
        for s in doc.segments.iter().filter(|s| keep(s)) {
            // line of each char in the segment: count breaks before it
            for sent in s.sentences() {
                let before: String = s.text.chars().take(sent.char_start).collect();
                let inside: String = s
                    .text
                    .chars()
                    .skip(sent.char_start)
                    .take(sent.char_end - sent.char_start)
                    .collect();
                let first_line = s.line_end - s.text.matches('\n').count();
                let line_start = first_line + before.matches('\n').count();
                rows.push(SentenceRow {
                    sentence: format!("{}.{}", s.segment, sent.index),
                    segment: &s.segment,
                    document: &s.document,
                    turn: s.turn,
                    index: sent.index,
                    speaker: &s.speaker,
                    participant: &s.participant,
                    profession: &s.profession,
                    role: s.role.as_str(),
                    line_start,
                    line_end: line_start + inside.matches('\n').count(),
                    char_start: s.char_start + sent.char_start,
                    char_end: s.char_start + sent.char_end,
                    text: sent.text,
                });
            }
        }
    }
    rows
}
