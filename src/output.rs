//! Standard output. Every result spor prints goes through [`print`] (the
//! crate's `println!` and `print!` macros in `main.rs` call it), as ripgrep
//! does: a closed pipe (`spor search x | head -1`) ends spor quietly with
//! exit 0, and any other write error (a full disk) is reported once, with
//! exit 2, instead of a panic.

use std::io::{self, Write};

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
