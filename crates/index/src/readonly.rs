//! Opening an index that spor may not write: tantivy takes a lock file in
//! the index folder even to read it, which a read-only `.spor/` refuses.
//! [`Lenient`] is tantivy's own memory-mapped folder, except that a lock
//! it is not allowed to create is treated as held: nothing can write a
//! folder nobody may write, so there is no writer to exclude. Writing
//! still fails, with the system's error, when an update is needed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// A memory-mapped index folder whose locks give way on a read-only folder.
#[derive(Debug, Clone)]
pub struct Lenient(MmapDirectory);

impl Lenient {
    /// Open `dir` (it must exist).
    pub fn open(dir: &Path) -> tantivy::Result<Lenient> {
        Ok(Lenient(MmapDirectory::open(dir)?))
    }
}

fn refused(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

impl Directory for Lenient {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }
    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(watch_callback)
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(e)) if refused(&e) => Ok(DirectoryLock::from(Box::new(
                ReadOnly(PathBuf::from(&lock.filepath)),
            ))),
            other => other,
        }
    }
}

/// The stand-in for a lock file that could not be created.
struct ReadOnly(#[allow(dead_code)] PathBuf);
