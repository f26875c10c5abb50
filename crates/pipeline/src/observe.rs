//! How the pipeline tells its caller what it is doing: progress, notes and
//! warnings, stage timings. The command line draws bars and prints to
//! stderr; the workbench logs; tests stay silent.

use std::time::Instant;

/// How serious a message is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
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

/// An observer that passes everything on to another and keeps the
/// warnings and errors, so that a command can report them again when its
/// result is reused ([`crate::fresh`]). Notes say what the work did (the
/// index updated, codings anchored) and are not kept.
pub struct Recorder<'a> {
    inner: &'a dyn Observer,
    kept: std::sync::Mutex<Vec<(Level, String)>>,
}

impl<'a> Recorder<'a> {
    /// Pass everything on to `inner`.
    pub fn new(inner: &'a dyn Observer) -> Self {
        Recorder {
            inner,
            kept: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The warnings and errors passed on, in order.
    pub fn kept(&self) -> Vec<(Level, String)> {
        self.kept.lock().map(|k| k.clone()).unwrap_or_default()
    }
}

impl Observer for Recorder<'_> {
    fn start(&self, stage: &str, len: u64, unit: &str) {
        self.inner.start(stage, len, unit);
    }
    fn tick(&self) {
        self.inner.tick();
    }
    fn finish(&self) {
        self.inner.finish();
    }
    fn step(&self, n: u64, of: u64, what: &str) {
        self.inner.step(n, of, what);
    }
    fn message(&self, level: Level, text: &str) {
        if level > Level::Note
            && let Ok(mut k) = self.kept.lock()
        {
            k.push((level, text.to_owned()));
        }
        self.inner.message(level, text);
    }
    fn timing(&self, stage: &str, seconds: f64) {
        self.inner.timing(stage, seconds);
    }
}

/// Run `f` and report its wall time as `stage`.
pub fn timed<T>(obs: &dyn Observer, stage: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    obs.timing(stage, t.elapsed().as_secs_f64());
    r
}
