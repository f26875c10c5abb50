//! How the pipeline tells its caller what it is doing: progress, notes and
//! warnings, stage timings. The command line draws bars and prints to
//! stderr; the workbench logs; tests stay silent.

use std::time::Instant;

/// How serious a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Information (what the index did, which codings were anchored).
    Note,
    /// Something the user should look at; the work went on.
    Warning,
    /// A problem that makes results incomplete (a bad row in a coder's
    /// file); the work went on without it.
    Error,
}

/// Receives what the pipeline reports while it works. Every method has a
/// silent default, so [`Silent`] is an empty implementation.
pub trait Observer: Sync {
    /// Work of `len` units (`unit`: "documents", "rules") starts under the
    /// name `stage`.
    fn start(&self, stage: &str, len: u64, unit: &str) {
        let _ = (stage, len, unit);
    }
    /// One unit of the current work is done (called from any thread).
    fn tick(&self) {}
    /// The current work is done.
    fn finish(&self) {}
    /// Step `n` (1-based) of `of` named steps starts (`spor run`'s
    /// outputs); [`Observer::finish`] ends them.
    fn step(&self, n: u64, of: u64, what: &str) {
        let _ = (n, of, what);
    }
    /// A message for the user (already formatted, may span lines).
    fn message(&self, level: Level, text: &str) {
        let _ = (level, text);
    }
    /// A stage took `seconds` (for profiling).
    fn timing(&self, stage: &str, seconds: f64) {
        let _ = (stage, seconds);
    }
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {}

/// Run `f` and report its wall time as `stage`.
pub fn timed<T>(obs: &dyn Observer, stage: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    obs.timing(stage, t.elapsed().as_secs_f64());
    r
}
