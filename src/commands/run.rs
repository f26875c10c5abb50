//! `spor run`: the whole pipeline into out/, written to a temporary folder
//! and swapped in only when every step succeeded.

use crate::Outcome;
use crate::args::{Cli, RunArgs};
use anyhow::Result;

/// `spor run`: resolve the settings, run the pipeline, say what it wrote.
pub fn run(cli: &Cli, a: &RunArgs) -> Result<Outcome> {
    let study = super::open_study(cli)?;
    let obs = crate::progress::CliObserver::new(cli);
    let outcome = spor_pipeline::run::run(
        study,
        |study| {
            Ok(spor_pipeline::run::RunOptions {
                lang: spor_pipeline::report::language(study, a.lang.as_deref())?,
                min_cell: spor_pipeline::open::min_cell(a.min_cell, study),
                dialect: spor_pipeline::open::csv_dialect(cli.csv_dialect.as_deref(), study)?,
            })
        },
        &obs,
    )?;
    if let Some(e) = &outcome.state_error {
        eprintln!(
            "warning: {}: could not be written: {e}",
            spor_analysis::changes::LAST_RUN_FILE
        );
    }
    let an = &outcome.analysed;
    let counted = an.coded.codings.counted_pairs().len();
    println!(
        "spor run: {} documents, {} segments, {} codings ({} counted under {}), {} trace dossier(s)",
        an.coded.corpus.documents.len(),
        an.coded.corpus.segments().count(),
        an.coded.codings.rows.len(),
        counted,
        an.coded.codings.policy.as_str(),
        outcome.traces
    );
    println!(
        "wrote out/: codings.csv, matrix-profession.*, cooccurrence.*, translation.{{md,csv,json,xlsx}}, trace/, agreement.* (two or more coders), saturation.*, audit.*, report.html, manifest.json"
    );
    if outcome.audit.ok {
        println!("audit passed");
        Ok(Outcome::Ok)
    } else {
        println!(
            "audit found {} problem(s); see out/audit.md or run `spor audit`",
            outcome.audit.violations.len()
        );
        Ok(Outcome::Problems)
    }
}
