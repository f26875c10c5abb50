//! `spor index`, and bringing the index up to date for other commands.

use crate::Outcome;
use crate::args::{Cli, IndexArgs};
use anyhow::Result;
use spor_corpus::Study;
use spor_index::SegmentIndex;

pub use spor_pipeline::index::index_dir;
use spor_pipeline::index::summary;

/// Open the study's index and bring it up to date; say what changed on
/// stderr unless `--quiet`.
pub fn ensure(cli: &Cli, study: &Study) -> Result<SegmentIndex> {
    Ok(spor_pipeline::index::ensure(
        study,
        &crate::progress::CliObserver::new(cli),
    )?)
}

pub fn run(cli: &Cli, a: &IndexArgs) -> Result<Outcome> {
    let study = super::open_study_strict(cli)?;
    let dir = index_dir(&study);
    if a.rebuild && dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let mut idx = SegmentIndex::open(&dir)?;
    let r =
        spor_pipeline::index::update(&study, &mut idx, &crate::progress::CliObserver::new(cli))?;
    if a.json {
        crate::output::json(&r)?;
    } else {
        println!("{}", summary(&r));
    }
    Ok(Outcome::Ok)
}
