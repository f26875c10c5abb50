//! Reading inputs safely: only regular files, each within a size limit, and
//! transcripts only from inside the study folder.
//!
//! A `documents.csv` row can name any path, and what spor reads from it ends
//! up in the report and the REFI-QDA export. So a transcript's `file` must
//! be relative, without `..`, and (after following symlinks) inside the
//! study folder, unless `[input] follow_symlinks = true` in `spor.toml`
//! allows symlinks inside the study that point elsewhere. A FIFO, a device
//! or a folder is never read (a FIFO would hang spor, `/dev/zero` would
//! fill memory), and every file is read through a size limit.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The largest transcript spor reads (bytes): far above any interview (a
/// 50 MB file of one line is tested), low enough that reading, decoding
/// and segmenting one stays within memory.
pub const MAX_TRANSCRIPT_BYTES: u64 = 256 << 20;

/// The largest sheet (`documents.csv`, `participants.csv`) spor reads.
pub const MAX_SHEET_BYTES: u64 = 64 << 20;

/// The largest TOML file (`spor.toml`, codebooks, curriculum) spor reads.
pub const MAX_TOML_BYTES: u64 = 16 << 20;

/// Read a whole file, refusing anything but a regular file (after
/// following symlinks) and anything larger than `limit` bytes. The error
/// says what is wrong; callers add the file's name.
pub fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let meta = regular_file(path)?;
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    let f = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // the file may grow between the stat and the read
    f.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// The metadata of `path` if it is a regular file; a folder, device, FIFO
/// or socket is an error (it is never read: a FIFO would hang the reader).
pub fn regular_file(path: &Path) -> std::io::Result<std::fs::Metadata> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a folder, device, FIFO or socket is never read)",
        ));
    }
    Ok(meta)
}

/// [`read_limited`] for UTF-8 text (TOML files).
pub fn read_text_limited(path: &Path, limit: u64) -> std::io::Result<String> {
    String::from_utf8(read_limited(path, limit)?)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

fn too_large(limit: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::FileTooLarge,
        format!(
            "larger than {} MB, spor's limit for this kind of file",
            limit >> 20
        ),
    )
}

/// Whether a transcript path from `documents.csv` stays inside the study
/// by its spelling: relative, and without `..` (or a drive or root).
pub fn is_confined_name(file: &str) -> bool {
    let p = Path::new(file);
    !file.starts_with(['/', '\\'])
        && p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        && !file.split(['/', '\\']).any(|part| part == "..")
}

/// The path of a transcript named `file` in the study at `root`, if it
/// stays inside the study once symlinks are followed (or `follow_symlinks`
/// allows symlinks to lead elsewhere). A file that does not exist is
/// returned as it is, for the caller's "not found".
pub fn confine(root: &Path, file: &str, follow_symlinks: bool) -> Result<PathBuf, String> {
    if !is_confined_name(file) {
        return Err(format!(
            "transcript file {file:?} is outside the study folder (`file` must be relative to it, without `..`)"
        ));
    }
    let joined = root.join(file);
    if follow_symlinks {
        return Ok(joined);
    }
    let (Ok(real), Ok(real_root)) = (joined.canonicalize(), root.canonicalize()) else {
        return Ok(joined);
    };
    if real.starts_with(&real_root) {
        Ok(joined)
    } else {
        Err(format!(
            "transcript file {file:?} is a symlink to {} outside the study folder",
            real.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_outside_the_study_are_refused() {
        for ok in ["transcripts/a.txt", "a.txt", "./x/y.docx", "a..b.txt"] {
            assert!(is_confined_name(ok), "{ok}");
        }
        for bad in [
            "../a.txt",
            "../../etc/passwd",
            "transcripts/../../x",
            "/etc/passwd",
            "\\\\server\\share\\x",
            "transcripts\\..\\..\\x",
        ] {
            assert!(!is_confined_name(bad), "{bad}");
        }
    }

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"0123456789").unwrap();
        assert_eq!(read_limited(&p, 10).unwrap(), b"0123456789");
        let e = read_limited(&p, 9).unwrap_err();
        assert!(e.to_string().contains("limit"), "{e}");
        let e = read_limited(dir.path(), 100).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        #[cfg(unix)]
        {
            let e = read_limited(Path::new("/dev/zero"), 100).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_study_are_refused_unless_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let study = dir.path().join("study");
        std::fs::create_dir_all(study.join("t")).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
        std::fs::write(study.join("t/in.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), study.join("t/out.txt")).unwrap();
        std::os::unix::fs::symlink(study.join("t/in.txt"), study.join("t/alias.txt")).unwrap();
        assert!(confine(&study, "t/in.txt", false).is_ok());
        assert!(confine(&study, "t/alias.txt", false).is_ok());
        let e = confine(&study, "t/out.txt", false).unwrap_err();
        assert!(e.contains("outside the study"), "{e}");
        assert!(confine(&study, "t/out.txt", true).is_ok());
        assert!(confine(&study, "../secret.txt", true).is_err());
    }
}
