//! What a file's status says about its contents without reading it, as
//! git's index keeps it: size, modification and status-change times and
//! inode. Two equal statuses mean the same bytes unless the file was
//! changed within the file system's clock tick of the first look, which
//! git's "racy" rule guards against: a status whose times are not clearly
//! older than the moment it was taken is not trusted.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// The margin of git's racy rule: file times within it of the moment a
/// status was taken (or after it) are not trusted, so that a coarse file
/// system clock (FAT's two seconds) cannot hide an edit.
pub const RACY_NS: u128 = 2_000_000_000;

/// A file's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStatus {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: u128,
    /// Status change time (Unix; 0 elsewhere), nanoseconds since the
    /// epoch: restoring a file's modification time after an edit (`touch
    /// -d`, a copy tool) changes it, and nobody can set it back.
    pub ctime_ns: u128,
    /// Inode number (Unix; 0 elsewhere): a file replaced by another.
    pub ino: u64,
}

impl FileStatus {
    /// The status of the file at `path` (following links); `None` when it
    /// cannot be read or is not a regular file.
    pub fn of(path: &Path) -> Option<FileStatus> {
        let m = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
        let mtime_ns = m
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        #[cfg(unix)]
        let (ctime_ns, ino) = {
            use std::os::unix::fs::MetadataExt;
            let c = (m.ctime().max(0) as u128) * 1_000_000_000 + m.ctime_nsec().max(0) as u128;
            (c, m.ino())
        };
        #[cfg(not(unix))]
        let (ctime_ns, ino) = (0u128, 0u64);
        Some(FileStatus {
            size: m.len(),
            mtime_ns,
            ctime_ns,
            ino,
        })
    }

    /// Whether both times are clearly older than `taken_ns`, the moment
    /// the status was taken (git's racy rule): only then does an equal
    /// status later mean an unchanged file.
    pub fn settled_before(&self, taken_ns: u128) -> bool {
        self.mtime_ns + RACY_NS < taken_ns && self.ctime_ns + RACY_NS < taken_ns
    }
}

/// Now, in nanoseconds since the epoch (0 if the clock is before it).
pub fn now_ns() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_changes_the_status_and_a_fresh_file_is_not_settled() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "første").unwrap();
        let before = FileStatus::of(&p).unwrap();
        assert_eq!(before.size, "første".len() as u64);
        assert!(!before.settled_before(now_ns()), "just written: racy");
        assert!(before.settled_before(now_ns() + 3 * RACY_NS));
        // same size, other bytes: the times and (after a rename) the inode move
        std::fs::write(dir.path().join("b.txt"), "forste!").unwrap();
        std::fs::rename(dir.path().join("b.txt"), &p).unwrap();
        assert_ne!(FileStatus::of(&p).unwrap(), before);
        assert_eq!(
            FileStatus::of(dir.path()),
            None,
            "a folder has no status here"
        );
        assert_eq!(FileStatus::of(&dir.path().join("missing")), None);
    }
}
