//! `spor import qdpx|qdc`: parse the arguments, call `spor-import`, print
//! the summary and the warnings.

use crate::Outcome;
use crate::args::{Cli, ImportQdcArgs, ImportQdpxArgs, PositionUnit};
use anyhow::Result;
use spor_import::Unit;

pub fn qdpx(cli: &Cli, a: &ImportQdpxArgs) -> Result<Outcome> {
    let opts = spor_import::Options {
        unit: a.positions.map(|p| match p {
            PositionUnit::CodePoint => Unit::CodePoint,
            PositionUnit::Utf16 => Unit::Utf16,
            PositionUnit::CodePointCrlfOne => Unit::CodePointCrlfOne,
        }),
        ..spor_import::Options::default()
    };
    let s = spor_import::import_qdpx(&a.file, &a.into, &opts)?;
    if !cli.quiet {
        for w in &s.warnings {
            eprintln!("{w}");
        }
    }
    if a.json {
        crate::output::json(&s)?;
        return Ok(Outcome::Ok);
    }
    let from = if s.origin.is_empty() {
        String::new()
    } else {
        format!(" ({})", s.origin)
    };
    println!("imported {}{from} into {}", s.file, s.into);
    for (k, v) in summary_rows(&s) {
        println!("  {k:<13}{v}");
    }
    if !s.warnings.is_empty() {
        println!("{} warning(s) above", s.warnings.len());
    }
    println!("next: spor --study {} check", s.into);
    Ok(Outcome::Ok)
}

/// The summary's lines: what became of the documents, participants,
/// codes, users and selections, and the position unit used.
fn summary_rows(s: &spor_import::Summary) -> [(&'static str, String); 6] {
    [
        (
            "documents",
            format!(
                "{} of {} text sources ({} other sources not imported), {} turns{}",
                s.documents,
                s.text_sources,
                s.other_sources,
                s.turns,
                if s.documents_without_labels > 0 {
                    format!(
                        "; {} without speaker labels (a turn per paragraph)",
                        s.documents_without_labels
                    )
                } else {
                    String::new()
                }
            ),
        ),
        (
            "participants",
            format!(
                "{} ids on {} speaker labels; {} cases ({} linked to a speaker)",
                s.participants, s.speakers, s.cases, s.cases_linked
            ),
        ),
        (
            "codes",
            format!(
                "{} ({} categories) in {}",
                s.codes,
                s.categories,
                if s.codebooks.is_empty() {
                    "no codebook".to_owned()
                } else {
                    s.codebooks.join(", ")
                }
            ),
        ),
        (
            "users",
            format!(
                "{}; coder files: {} ({} codings){}",
                s.users,
                if s.coders.is_empty() {
                    "none".to_owned()
                } else {
                    s.coders.join(", ")
                },
                s.codings,
                if s.rule_suggestions > 0 {
                    format!("; {} rule suggestions apart", s.rule_suggestions)
                } else {
                    String::new()
                }
            ),
        ),
        ("selections", {
            let c = &s.selections;
            format!(
                "{} coded: {} in one turn, {} across turns (coded on each), {} clamped, {} out of range, {} outside turns, {} in sources without text, {} not text",
                c.total,
                c.mapped,
                c.cross_turn,
                c.clamped,
                c.out_of_range,
                c.outside_turns,
                c.no_text,
                c.not_text
            )
        }),
        ("positions", s.positions.describe().to_owned()),
    ]
}

pub fn qdc(cli: &Cli, a: &ImportQdcArgs) -> Result<Outcome> {
    let dir = match &cli.study {
        Some(s) => s.join("codebooks"),
        None => "codebooks".into(),
    };
    let s = spor_import::import_qdc(&a.file, a.output.as_deref(), &dir, a.force)?;
    if a.json {
        crate::output::json(&s)?;
        return Ok(Outcome::Ok);
    }
    if s.sets > 0 && !cli.quiet {
        eprintln!(
            "{}: warning: {} set(s) not imported (spor has no sets)",
            s.file, s.sets
        );
    }
    for w in &s.written {
        println!(
            "wrote {} (codebook {}: {} codes, {} categories)",
            w.path, w.id, w.codes, w.categories
        );
    }
    if !cli.quiet {
        eprintln!("note: name the codebook in spor.toml's `codebooks` to use it");
    }
    Ok(Outcome::Ok)
}
