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
