//! `spor report`: the evidence report as one HTML page.

use super::analysis::analyse;
use crate::Outcome;
use crate::args::{Cli, ReportArgs};
use anyhow::Result;

pub fn run(cli: &Cli, a: &ReportArgs) -> Result<Outcome> {
    let an = analyse(cli, None)?;
    let min_cell = match a.min_cell {
        Some(k) => k,
        None => spor_pipeline::open::min_cell(None, &an.coded.study),
    };
    let lang = spor_pipeline::report::language(&an.coded.study, a.lang.as_deref())?;
    let html = spor_export::report::render(&spor_pipeline::report::data(
        &an,
        &an.evidence().with_min_cell(min_cell),
        min_cell,
        lang,
    )?)?;
    let path = a
        .output
        .clone()
        .unwrap_or_else(|| an.coded.study.root.join("out").join("report.html"));
    spor_corpus::fsutil::write_atomic(&path, html.as_bytes())?;
    if !cli.quiet {
        eprintln!("wrote {} ({} KB)", path.display(), html.len() / 1024);
    }
    Ok(Outcome::Ok)
}
