//! One lock per study: everything that writes `.spor/` or `out/` (the
//! command line's writing commands, the workbench while it updates the
//! index) holds an advisory lock on `.spor/lock` (flock on Unix,
//! LockFileEx on Windows, through the standard library's `File::try_lock`)
//! for as long as it writes. A second writer waits, and gives up with a
//! clear error after its timeout. The operating system releases the lock
//! when a process ends, however it ends, so a killed spor never leaves a
//! stale lock behind.
//!
//! A study whose `.spor/` cannot be written (a read-only copy) is not
//! locked: nothing can write it, and read-only commands still work there.

use crate::error::{PipelineError, Result};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The held lock; dropping it (or the process ending) releases it.
#[derive(Debug)]
pub struct StudyLock {
    _file: Option<std::fs::File>,
}

/// The study's lock file.
pub fn lock_path(root: &Path) -> PathBuf {
    root.join(".spor").join("lock")
}

/// Take the study's lock, waiting up to `timeout` for another writer;
/// `waiting` is called once if the lock is busy.
pub fn acquire(root: &Path, timeout: Duration, waiting: &dyn Fn(&Path)) -> Result<StudyLock> {
    let path = lock_path(root);
    let file = match std::fs::create_dir_all(root.join(".spor")).and_then(|_| {
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
        Err(e) => return Err(PipelineError::io(&path, e)),
    };
    if try_lock(&file, &path)? {
        return Ok(StudyLock { _file: Some(file) });
    }
    waiting(&path);
    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(50));
        if try_lock(&file, &path)? {
            return Ok(StudyLock { _file: Some(file) });
        }
        if start.elapsed() >= timeout {
            return Err(PipelineError::Locked {
                path,
                seconds: timeout.as_secs(),
            });
        }
    }
}

/// Take the lock if it is free: `Ok(false)` when another process holds it.
fn try_lock(file: &std::fs::File, path: &Path) -> Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(std::fs::TryLockError::WouldBlock) => Ok(false),
        Err(std::fs::TryLockError::Error(e)) => Err(PipelineError::io(path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_then_gives_up_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path(), Duration::from_secs(1), &|_| {}).unwrap();
        let waited = std::sync::atomic::AtomicBool::new(false);
        let err = acquire(dir.path(), Duration::from_millis(200), &|_| {
            waited.store(true, std::sync::atomic::Ordering::SeqCst)
        })
        .unwrap_err();
        assert!(waited.load(std::sync::atomic::Ordering::SeqCst));
        assert!(matches!(err, PipelineError::Locked { .. }), "{err}");
        drop(first);
        // released: the next writer gets it at once
        acquire(dir.path(), Duration::from_millis(200), &|_| {
            panic!("no wait")
        })
        .unwrap();
    }
}
