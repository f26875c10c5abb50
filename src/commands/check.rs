//! `spor check`.

use crate::Outcome;
use crate::args::{CheckArgs, Cli};
use anyhow::Result;
use spor_corpus::{Corpus, Severity};

pub fn run(cli: &Cli, a: &CheckArgs) -> Result<Outcome> {
    let study = super::open_study(cli)?;
    let corpus = Corpus::read(&study);
    let shown: Vec<_> = corpus
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note || a.verbose)
        .collect();
    let errors = shown
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = shown
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    if a.json {
        let out = serde_json::json!({
            "study": study.manifest.study.name,
            "documents": corpus.documents.len(),
            "segments": corpus.segments().count(),
            "errors": errors,
            "warnings": warnings,
            "diagnostics": shown,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for d in &shown {
            println!("{d}");
            if let Some(h) = &d.hint {
                println!("  hint: {h}");
            }
        }
        if !cli.quiet {
            eprintln!(
                "checked {} documents ({} segments): {} error(s), {} warning(s)",
                study.documents.len(),
                corpus.segments().count(),
                errors,
                warnings
            );
        }
    }
    Ok(if errors > 0 || (a.strict && warnings > 0) {
        Outcome::Problems
    } else {
        Outcome::Ok
    })
}
