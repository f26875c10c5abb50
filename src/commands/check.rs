//! `spor check`.

use crate::Outcome;
use crate::args::{CheckArgs, Cli};
use anyhow::Result;
use spor_corpus::{Corpus, Diagnostic, Location, Severity};

/// The codebooks, the curriculum and the coders' files, as diagnostics
/// (each reader's error names its file and line).
fn inputs(study: &spor_corpus::Study, corpus: &Corpus) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let as_diag = |e: &spor_pipeline::PipelineError| -> Vec<Diagnostic> {
        let problems = match e {
            spor_pipeline::PipelineError::Codebook(cb) => cb.problems(),
            _ => Default::default(),
        };
        if problems.is_empty() {
            return vec![Diagnostic::error(
                Location::file(std::path::Path::new("spor.toml")),
                format!("{e:#}"),
            )];
        }
        problems
            .iter()
            .map(|p| {
                let d = Diagnostic::error(
                    Location::line(&p.path, p.line),
                    format!("column {}: {}", p.column, p.message),
                );
                match &p.hint {
                    Some(h) => d.with_hint(h.clone()),
                    None => d,
                }
            })
            .collect()
    };
    if study.manifest.study.codebooks.is_empty() {
        // a new study: nothing to code with yet, so no coder files to read
        return out;
    }
    let books = match super::code::load_codebooks(study) {
        Ok(b) => Some(b),
        Err(e) => {
            out.extend(as_diag(&e));
            None
        }
    };
    if let Err(e) = super::analysis::load_curriculum(study) {
        out.extend(as_diag(&e));
    }
    if let Some(books) = books {
        let files = spor_coding::coders::read_all(study, corpus, &books);
        out.extend(files.diagnostics);
    }
    out
}

pub fn run(cli: &Cli, a: &CheckArgs) -> Result<Outcome> {
    let study = super::open_study(cli)?;
    let corpus = Corpus::read(&study);
    let mut diags = corpus.diagnostics.clone();
    diags.extend(inputs(&study, &corpus));
    let shown: Vec<_> = diags
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
        crate::output::json(&out)?;
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
