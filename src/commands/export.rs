//! `spor export segments` and `spor export codings`.

use crate::Outcome;
use crate::args::{Cli, CodingsArgs, CodingsFormat, SegmentFormat, SegmentsArgs, Unit};
use anyhow::{Result, bail};
use serde::Serialize;
use spor_corpus::{Corpus, Role, Segment};
use spor_export::parquet::{Kind, TextTable};
use spor_export::segments::SegmentTable;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

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
    if a.format == SegmentFormat::Parquet {
        binary_output(&a.output, "segments.parquet")?;
    }
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
    let keep = |s: &&Segment| roles.is_empty() || roles.contains(s.role().as_str());
    let bytes = match a.unit {
        Unit::Segment => {
            let segs: Vec<&Segment> = corpus.segments().filter(keep).collect();
            match a.format {
                SegmentFormat::Json => json_array(&segs)?,
                SegmentFormat::Jsonl => jsonl(&segs)?,
                SegmentFormat::Csv => dialect.apply(SegmentTable::new(&segs).csv(&segs)),
                SegmentFormat::Parquet => {
                    let path = binary_output(&a.output, "segments.parquet")?;
                    let table = SegmentTable::new(&segs);
                    write_parquet(path, |w| table.parquet(&segs, w))?;
                    return Ok(Outcome::Ok);
                }
            }
        }
        Unit::Sentence => {
            let rows = sentence_rows(&corpus, &keep);
            let csv = || -> Result<Vec<u8>> {
                let mut w = csv::Writer::from_writer(Vec::new());
                for r in &rows {
                    w.serialize(r)?;
                }
                Ok(w.into_inner()?)
            };
            match a.format {
                SegmentFormat::Json => json_array(&rows)?,
                SegmentFormat::Jsonl => jsonl(&rows)?,
                SegmentFormat::Csv => dialect.apply(csv()?),
                SegmentFormat::Parquet => {
                    let path = binary_output(&a.output, "sentences.parquet")?;
                    let csv = csv()?;
                    write_parquet(path, |w| {
                        spor_export::parquet::csv_to_parquet(csv.as_slice(), &sentence_typing, w)
                    })?;
                    return Ok(Outcome::Ok);
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

/// Write a Parquet table to `path` atomically, streaming.
fn write_parquet(
    path: &Path,
    write: impl FnOnce(
        &mut (dyn Write + Send),
    ) -> Result<&mut (dyn Write + Send), spor_export::parquet::ParquetTableError>,
) -> Result<()> {
    spor_corpus::fsutil::write_atomic_with(path, |w| write(w).map(|_| ()).map_err(Into::into))?;
    Ok(())
}

/// The -o FILE a binary format needs.
fn binary_output<'a>(output: &'a Option<PathBuf>, example: &str) -> Result<&'a Path> {
    match output {
        Some(p) => Ok(p),
        None => bail!("parquet is binary: give a file with -o {example}"),
    }
}

/// `spor export codings`: the rows of out/codings.csv, as CSV or Parquet.
pub fn codings(cli: &Cli, a: &CodingsArgs) -> Result<Outcome> {
    if a.format == CodingsFormat::Parquet {
        binary_output(&a.output, "codings.parquet")?;
    }
    let c = super::code::code_study(cli, a.policy.as_deref())?;
    match (a.format, &a.output) {
        (CodingsFormat::Parquet, out) => {
            let path = binary_output(out, "codings.parquet")?;
            write_parquet(path, |w| {
                let mut table = TextTable::new(w, &spor_export::parquet::codings_typing);
                spor_coding::write_codings(&c.codings, &c.corpus, |r| table.record(r))?;
                table.finish()
            })?;
        }
        (CodingsFormat::Csv, Some(path)) => {
            let dialect = super::csv_dialect(cli, &c.study)?;
            spor_corpus::fsutil::write_atomic_with(path, |file| {
                spor_coding::stream_codings_csv(&c.codings, &c.corpus, dialect, file)
            })?;
        }
        (CodingsFormat::Csv, None) => {
            let csv = spor_coding::write_codings_csv(&c.codings, &c.corpus);
            crate::output::bytes(&super::csv_dialect(cli, &c.study)?.apply(csv));
        }
    }
    Ok(super::code::coder_outcome(&c))
}

/// The sentence export's typing for Parquet: its numbers are whole numbers.
fn sentence_typing(name: &str) -> (Kind, bool) {
    match name {
        "turn" | "index" | "line_start" | "line_end" | "char_start" | "char_end" => {
            (Kind::Int64, false)
        }
        _ => (Kind::Text, false),
    }
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
                let first_line = s.line_end as usize - s.text.matches('\n').count();
                let line_start = first_line + before.matches('\n').count();
                rows.push(SentenceRow {
                    sentence: format!("{}.{}", s.segment, sent.index),
                    segment: &s.segment,
                    document: s.document(),
                    turn: s.turn as usize,
                    index: sent.index,
                    speaker: s.speaker(),
                    participant: s.participant(),
                    profession: s.profession(),
                    role: s.role().as_str(),
                    line_start,
                    line_end: line_start + inside.matches('\n').count(),
                    char_start: s.char_start as usize + sent.char_start,
                    char_end: s.char_start as usize + sent.char_end,
                    text: sent.text,
                });
            }
        }
    }
    rows
}
