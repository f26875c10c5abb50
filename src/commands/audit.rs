//! `spor audit`, and the audit `spor run` shares.

use super::analysis::analyse;
use crate::Outcome;
use crate::args::{AuditArgs, Cli};
use anyhow::Result;

pub fn run(cli: &Cli, a: &AuditArgs) -> Result<Outcome> {
    let an = analyse(cli, None)?;
    let audit = spor_pipeline::audit::full(&an)?;
    if a.json {
        crate::output::json(&audit)?;
    } else {
        print!("{}", spor_pipeline::audit::report(&audit, &an));
    }
    Ok(if audit.ok {
        Outcome::Ok
    } else {
        Outcome::Problems
    })
}
