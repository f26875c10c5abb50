//! The `spor` binary: parses arguments, dispatches to the library crates,
//! prints results, and renders errors in one place.

// Every `println!` and `print!` of the binary goes through `output`, so
// that a closed pipe ends spor quietly and a full disk is an error, never a
// panic. These shadow the standard macros in every module declared below.
macro_rules! println {
    () => {
        $crate::output::print(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::print(format_args!("{}\n", format_args!($($arg)*)))
    };
}
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::output::print(format_args!($($arg)*))
    };
}

mod output;

mod args;
mod commands;
mod lock;
mod progress;
mod timing;

use clap::Parser;
use std::process::ExitCode;

// spor allocates many small strings (segments, codings); mimalloc handles
// that markedly faster than the system allocator (docs/PERFORMANCE.md).
// Its `no_thp` feature (Cargo.toml) keeps it from asking for transparent
// huge pages, which raised peak memory without making spor faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What a command reports back: success, or problems found (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Ok,
    /// Exit 1: the command ran and found problems.
    Problems,
}

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if let Some(n) = cli.threads {
        // `--threads` is range-checked by clap (args::thread_count); this
        // only fails if a pool exists already, which it cannot here.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    let result = commands::run(&cli);
    output::flush();
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            render_error(&e);
            ExitCode::from(2)
        }
    }
}

/// Whether the command line asked for JSON (`--json` or `--format json`).
fn wants_json() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--json" || a == "--format=json")
        || args
            .windows(2)
            .any(|w| w[0] == "--format" && w[1] == "json")
}

/// Print an error the one way spor prints errors: `error:`, then each
/// cause as `caused by:`, then a `hint:` when one is known; with `--json`,
/// one JSON object on stderr with the same parts.
/// What a stage's error can add to its message: the other problems of a
/// list (every transcript error, every codebook problem) and a hint.
fn explain(e: &anyhow::Error) -> (Vec<String>, Option<String>) {
    use spor_corpus::CorpusError;
    let mut hint: Option<String> = None;
    let mut details: Vec<String> = Vec::new();
    // the pipeline's errors wrap a stage's error: look at that one too
    let causes = e.chain().flat_map(|c| {
        let inner = c
            .downcast_ref::<spor_pipeline::PipelineError>()
            .and_then(|p| p.inner());
        std::iter::once(c).chain(inner)
    });
    for cause in causes {
        if let Some(pe) = cause.downcast_ref::<spor_pipeline::PipelineError>()
            && hint.is_none()
        {
            hint = pe.hint().map(str::to_owned);
        }
        if let Some(ce) = cause.downcast_ref::<CorpusError>() {
            if let CorpusError::Diagnostics(diags) = ce {
                let errors: Vec<_> = diags
                    .iter()
                    .filter(|d| d.severity == spor_corpus::Severity::Error)
                    .collect();
                for d in errors.iter().take(20) {
                    details.push(d.to_string());
                }
                if errors.len() > 20 {
                    details.push(format!("... and {} more", errors.len() - 20));
                }
            }
            if hint.is_none() {
                hint = ce.hint().map(str::to_owned);
            }
        }
        if let Some(cb) = cause.downcast_ref::<spor_codebook::CodebookError>() {
            for p in cb.problems().iter().skip(1) {
                details.push(p.to_string());
            }
            if hint.is_none() {
                hint = cb.hint().map(str::to_owned);
            }
        }
        if let Some(ce) = cause.downcast_ref::<spor_coding::CodingError>()
            && hint.is_none()
        {
            hint = ce.hint().map(str::to_owned);
        }
        if let Some(ie) = cause.downcast_ref::<spor_import::ImportError>()
            && hint.is_none()
        {
            hint = ie.hint().map(str::to_owned);
        }
        if let Some(ie) = cause.downcast_ref::<spor_index::IndexError>()
            && hint.is_none()
        {
            hint = ie.hint().map(str::to_owned);
        }
    }
    (details, hint)
}

fn render_error(e: &anyhow::Error) {
    let (details, hint) = explain(e);
    let causes: Vec<String> = e.chain().skip(1).map(|c| c.to_string()).collect();
    if wants_json() {
        let v = serde_json::json!({
            "spor_version": env!("CARGO_PKG_VERSION"),
            "error": e.to_string(),
            "details": details,
            "causes": causes,
            "hint": hint,
        });
        eprintln!("{v}");
        return;
    }
    for d in &details {
        eprintln!("{d}");
    }
    // multi-line messages (a query with a caret under it) stay aligned
    let msg = e.to_string();
    let mut lines = msg.lines();
    eprintln!("error: {}", lines.next().unwrap_or(""));
    for l in lines {
        eprintln!("       {l}");
    }
    for cause in &causes {
        eprintln!("caused by: {cause}");
    }
    if let Some(h) = hint {
        eprintln!("hint: {h}");
    }
}
