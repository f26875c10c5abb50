//! Progress bars on stderr for long work: shown only when stderr is a
//! terminal and `--quiet` is not given.

use crate::args::Cli;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A bar of `len` steps with a message, counts and rate; hidden when not
/// wanted.
pub fn bar(cli: &Cli, len: u64, message: &str, unit: &str) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if cli.quiet || !std::io::stderr().is_terminal() {
        pb.set_draw_target(ProgressDrawTarget::hidden());
    }
    pb.set_style(
        ProgressStyle::with_template(&format!(
            "{{msg:>12}} [{{bar:30}}] {{pos}}/{{len}} {unit}, {{rate}} ({{eta}})"
        ))
        .expect("valid template")
        .with_key(
            "rate",
            |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}/s", s.per_sec());
            },
        )
        .progress_chars("=> "),
    );
    pb.set_message(message.to_owned());
    pb
}

/// A bar over the named steps of a pipeline (`spor run` after coding):
/// which step runs, how many are done, and the time so far.
pub fn steps(cli: &Cli, len: u64) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if cli.quiet || !std::io::stderr().is_terminal() {
        pb.set_draw_target(ProgressDrawTarget::hidden());
    }
    pb.set_style(
        ProgressStyle::with_template("{msg:>20} [{bar:30}] step {pos}/{len}, {elapsed}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    if !pb.is_hidden() {
        pb.enable_steady_tick(std::time::Duration::from_millis(200));
    }
    pb
}

/// The command line's [`spor_pipeline::Observer`]: one bar at a time on
/// stderr, messages on stderr (errors always, the rest unless `--quiet`),
/// stage timings when `SPOR_TIMINGS` is set.
pub struct CliObserver<'a> {
    cli: &'a Cli,
    bar: std::sync::Mutex<Option<ProgressBar>>,
}

impl<'a> CliObserver<'a> {
    /// An observer for this command line.
    pub fn new(cli: &'a Cli) -> CliObserver<'a> {
        CliObserver {
            cli,
            bar: std::sync::Mutex::new(None),
        }
    }

    fn with_bar(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        let mut guard = self.bar.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard);
    }
}

impl spor_pipeline::Observer for CliObserver<'_> {
    fn start(&self, stage: &str, len: u64, unit: &str) {
        let pb = bar(self.cli, len, stage, unit);
        self.with_bar(|b| {
            if let Some(old) = b.replace(pb) {
                old.finish_and_clear();
            }
        });
    }

    fn tick(&self) {
        self.with_bar(|b| {
            if let Some(pb) = b {
                pb.inc(1);
            }
        });
    }

    fn finish(&self) {
        self.with_bar(|b| {
            if let Some(pb) = b.take() {
                pb.finish_and_clear();
            }
        });
    }

    fn step(&self, n: u64, of: u64, what: &str) {
        self.with_bar(|b| {
            let pb = b.get_or_insert_with(|| steps(self.cli, of));
            pb.set_position(n.saturating_sub(1));
            pb.set_message(what.to_owned());
        });
    }

    fn message(&self, level: spor_pipeline::Level, text: &str) {
        if level == spor_pipeline::Level::Error || !self.cli.quiet {
            self.with_bar(|b| match b {
                Some(pb) => pb.suspend(|| eprintln!("{text}")),
                None => eprintln!("{text}"),
            });
        }
    }

    fn timing(&self, stage: &str, seconds: f64) {
        if std::env::var_os("SPOR_TIMINGS").is_some() {
            eprintln!("timing: {stage}: {seconds:.3} s{}", memory());
        }
    }
}

/// The process's resident memory now and at its peak, from
/// `/proc/self/status` (Linux; empty elsewhere), for `SPOR_TIMINGS`.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().strip_suffix("kB"))
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(" (rss {} MiB, peak {} MiB)", now / 1024, peak / 1024),
        _ => String::new(),
    }
}
