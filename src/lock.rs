//! The study's lock for the command line: [`spor_pipeline::lock`], with
//! the wait said on stderr and the timeout from `SPOR_LOCK_TIMEOUT`
//! (seconds, default 600).

use anyhow::Result;
use std::path::Path;
use std::time::Duration;

pub use spor_pipeline::lock::StudyLock;

/// Take the study's lock, waiting for another spor command if needed.
pub fn acquire(root: &Path, quiet: bool) -> Result<StudyLock> {
    let timeout = std::env::var("SPOR_LOCK_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(600);
    Ok(spor_pipeline::lock::acquire(
        root,
        Duration::from_secs(timeout),
        &|path| {
            if !quiet {
                eprintln!(
                    "waiting for another spor command on this study to finish (lock: {})",
                    path.display()
                );
            }
        },
    )?)
}
