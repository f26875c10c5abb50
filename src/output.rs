//! Standard output. Every result spor prints goes through [`print`] (the
//! crate's `println!` and `print!` macros in `main.rs` call it), as ripgrep
//! does: a closed pipe (`spor search x | head -1`) ends spor quietly with
//! exit 0, and any other write error (a full disk) is reported once, with
//! exit 2, instead of a panic.

use std::io::{self, Write};

/// How a matched word is marked on a terminal: bold red.
pub const HIT: anstyle::Style = anstyle::Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(anstyle::AnsiColor::Red)));

/// Write formatted text to standard output, or end the process (see the
/// module documentation) when it cannot be written.
pub fn print(args: std::fmt::Arguments<'_>) {
    if let Err(e) = io::stdout().lock().write_fmt(args) {
        fail(&e);
    }
}

/// Write bytes to standard output, as [`print`].
pub fn bytes(b: &[u8]) {
    if let Err(e) = io::stdout().lock().write_all(b) {
        fail(&e);
    }
}

/// Flush standard output (at the end of every command), as [`print`].
pub fn flush() {
    if let Err(e) = io::stdout().lock().flush() {
        fail(&e);
    }
}

/// End the process after a failed write to standard output: quietly with
/// exit 0 on a broken pipe (the reader has all it wanted), else with a
/// message and exit 2.
pub fn fail(e: &io::Error) -> ! {
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("error: cannot write to standard output: {e}");
    std::process::exit(2);
}

/// Whether an error is (caused by) a broken pipe, which ends spor with exit
/// 0 wherever it surfaces (a command that wrote to a locked stdout itself).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Print a command's `--json` report: one JSON object carrying the
/// `spor_version` that made it (a list is wrapped as `{"items": [...],
/// "total": n}`, so every report is an object).
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let v = with_version(serde_json::to_value(value)?);
    print(format_args!("{}\n", serde_json::to_string_pretty(&v)?));
    Ok(())
}

/// `value` as an object with `spor_version` (see [`json`]).
pub fn with_version(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    let mut map = match value {
        Value::Object(m) => m,
        Value::Array(items) => {
            let mut m = serde_json::Map::new();
            m.insert("total".into(), Value::from(items.len()));
            m.insert("items".into(), Value::Array(items));
            m
        }
        other => {
            let mut m = serde_json::Map::new();
            m.insert("value".into(), other);
            m
        }
    };
    map.insert(
        "spor_version".into(),
        Value::from(env!("CARGO_PKG_VERSION")),
    );
    Value::Object(map)
}
