//! One lock per study: commands that write `.spor/` or `out/` hold an
//! advisory lock on `.spor/lock` (flock on Unix, LockFileEx on Windows,
//! through the standard library's `File::try_lock`) for as long as they
//! run. A second such command waits,
//! saying so on stderr, and gives up with a clear error after
//! `SPOR_LOCK_TIMEOUT` seconds (default 600). The operating system releases
//! the lock when a process ends, however it ends, so a killed spor never
//! leaves a stale lock behind.
//!
//! A study whose `.spor/` cannot be written (a read-only copy) is not
//! locked: nothing can write it, and read-only commands still work there.

use anyhow::{Result, bail};
use std::path::Path;
use std::time::{Duration, Instant};

/// The held lock; dropping it (or the process ending) releases it.
pub struct StudyLock {
    _file: Option<std::fs::File>,
}

/// Take the study's lock, waiting for another spor command if needed.
pub fn acquire(root: &Path, quiet: bool) -> Result<StudyLock> {
    let dir = root.join(".spor");
    let path = dir.join("lock");
    let file = match std::fs::create_dir_all(&dir).and_then(|_| {
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
    }) {
        Ok(f) => f,
        // read-only study: nobody can write it, so nothing to guard
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            return Ok(StudyLock { _file: None });
        }
        Err(e) => bail!("cannot open the study's lock {}: {e}", path.display()),
    };
    if try_lock(&file, &path)? {
        return Ok(StudyLock { _file: Some(file) });
    }
    let timeout = std::env::var("SPOR_LOCK_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(600);
    if !quiet {
        eprintln!(
            "waiting for another spor command on this study to finish (lock: {})",
            path.display()
        );
    }
    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(100));
        if try_lock(&file, &path)? {
            return Ok(StudyLock { _file: Some(file) });
        }
        if start.elapsed() >= Duration::from_secs(timeout) {
            bail!(
                "another spor command has held this study's lock ({}) for more than {timeout} s; \
                 wait for it to finish, or set SPOR_LOCK_TIMEOUT to wait longer",
                path.display()
            );
        }
    }
}

/// Take the lock if it is free: `Ok(false)` when another process holds it.
fn try_lock(file: &std::fs::File, path: &Path) -> Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(std::fs::TryLockError::WouldBlock) => Ok(false),
        Err(std::fs::TryLockError::Error(e)) => {
            bail!("cannot lock the study's lock {}: {e}", path.display())
        }
    }
}
