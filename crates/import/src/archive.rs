//! Reading a `.qdpx` archive tolerantly and safely: entries are read into
//! memory, never extracted; every entry name is checked (no `..`, no
//! absolute paths); the number of entries, each entry's unpacked size, the
//! total unpacked and the compression ratio are limited, as for Word files
//! in `spor_corpus::docx`.
//!
//! Tolerance: the project is any single `*.qde` at the archive root
//! (`project.qde`, or `Name.qde` as ATLAS.ti 26 writes); the sources folder
//! is matched without regard to case (`Sources/` from NVivo for Windows);
//! a source path may be `internal://name`, a relative path, or a bare file
//! name.

use crate::{ImportError, Result};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What spor accepts from an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most entries.
    pub max_entries: usize,
    /// Largest unpacked entry that spor reads (the spec allows 2^31-1 bytes).
    pub max_entry_bytes: u64,
    /// Most unpacked bytes read from one archive.
    pub max_total_bytes: u64,
    /// Largest unpacked/packed ratio of an entry larger than 64 KiB.
    pub max_ratio: u64,
    /// Largest project XML (`project.qde`): it is parsed into a tree in
    /// memory, which takes several times its size, so this keeps the
    /// import's memory bounded (a 575 MB archive once needed 7.7 GB).
    pub max_project_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 100_000,
            max_entry_bytes: 512 * 1024 * 1024,
            max_total_bytes: 2 * 1024 * 1024 * 1024,
            max_ratio: 200,
            max_project_bytes: 128 * 1024 * 1024,
        }
    }
}

/// Entries below this size are not checked for their ratio: a small file
/// of spaces compresses far better than 200:1 and is no bomb.
const RATIO_FLOOR: u64 = 64 * 1024;

/// An open archive.
pub struct Archive {
    path: PathBuf,
    zip: zip::ZipArchive<std::io::BufReader<std::fs::File>>,
    /// Lowercased name -> index, for case-insensitive lookups.
    by_folded: HashMap<String, usize>,
    names: Vec<String>,
    read_total: u64,
    limits: Limits,
}

/// Why a stored entry name is unsafe, if it is.
pub fn unsafe_name(name: &str) -> Option<&'static str> {
    if name.contains('\0') {
        return Some("the name holds a NUL character");
    }
    if name.starts_with('/') || name.starts_with('\\') {
        return Some("absolute path inside the archive");
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
        return Some("absolute path (drive letter) inside the archive");
    }
    if name.split(['/', '\\']).any(|c| c == "..") {
        return Some("path leaves the archive (`..`)");
    }
    None
}

impl Archive {
    /// Open `path`, checking every entry name and the entry count.
    pub fn open(path: &Path, limits: Limits) -> Result<Archive> {
        let f = std::fs::File::open(path).map_err(|source| ImportError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let zip =
            zip::ZipArchive::new(std::io::BufReader::new(f)).map_err(|e| ImportError::Archive {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        if zip.len() > limits.max_entries {
            return Err(ImportError::NoProject {
                path: path.to_path_buf(),
                message: format!(
                    "the archive has {} entries (limit {})",
                    zip.len(),
                    limits.max_entries
                ),
            });
        }
        let mut names = Vec::with_capacity(zip.len());
        let mut by_folded = HashMap::new();
        for i in 0..zip.len() {
            let name = zip.name_for_index(i).unwrap_or_default().to_owned();
            if let Some(why) = unsafe_name(&name) {
                return Err(ImportError::Entry {
                    path: path.to_path_buf(),
                    entry: name,
                    message: why.to_owned(),
                });
            }
            by_folded
                .entry(name.replace('\\', "/").to_lowercase())
                .or_insert(i);
            names.push(name);
        }
        Ok(Archive {
            path: path.to_path_buf(),
            zip,
            by_folded,
            names,
            read_total: 0,
            limits,
        })
    }

    /// The archive's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every entry name, in archive order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The project entry: the single `*.qde` at the root (`project.qde`
    /// wins when there are several).
    pub fn project_entry(&self) -> Result<String> {
        let qde: Vec<&String> = self
            .names
            .iter()
            .filter(|n| !n.contains('/') && !n.contains('\\'))
            .filter(|n| n.to_lowercase().ends_with(".qde"))
            .collect();
        match qde.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(ImportError::NoProject {
                path: self.path.clone(),
                message: "no project.qde (or other .qde) at the root of the archive".into(),
            }),
            many => {
                if let Some(p) = many.iter().find(|n| n.eq_ignore_ascii_case("project.qde")) {
                    return Ok((*p).clone());
                }
                Err(ImportError::NoProject {
                    path: self.path.clone(),
                    message: format!(
                        "{} .qde files at the root of the archive ({}); expected one",
                        many.len(),
                        many.iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })
            }
        }
    }

    /// The entry a source path attribute names, if the archive holds it:
    /// `internal://x.txt` (in `sources/`, any case), `relative:///a/x.txt`
    /// or a bare `x.txt` (in `sources/` or at the root).
    pub fn find_source(&self, reference: &str) -> Option<String> {
        let r = reference.trim();
        let r = r
            .strip_prefix("internal://")
            .or_else(|| r.strip_prefix("relative://"))
            .or_else(|| r.strip_prefix("absolute://"))
            .unwrap_or(r);
        let r = r.trim_start_matches('/').replace('\\', "/");
        if r.is_empty() {
            return None;
        }
        let folded = r.to_lowercase();
        let base = folded.rsplit('/').next().unwrap_or(&folded).to_owned();
        let candidates = [
            format!("sources/{folded}"),
            folded.clone(),
            format!("sources/{base}"),
            base,
        ];
        candidates
            .iter()
            .find_map(|c| self.by_folded.get(c))
            .map(|&i| self.names[i].clone())
    }

    /// Read an entry into memory within the limits.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>> {
        self.read_at_most(name, self.limits.max_entry_bytes)
    }

    /// Read the project entry, within [`Limits::max_project_bytes`] too.
    pub fn read_project(&mut self, name: &str) -> Result<Vec<u8>> {
        self.read_at_most(
            name,
            self.limits
                .max_project_bytes
                .min(self.limits.max_entry_bytes),
        )
    }

    /// Read an entry into memory within the limits and `max_entry` bytes.
    fn read_at_most(&mut self, name: &str, max_entry: u64) -> Result<Vec<u8>> {
        let entry_err = |message: String| ImportError::Entry {
            path: self.path.clone(),
            entry: name.to_owned(),
            message,
        };
        let idx = self
            .zip
            .index_for_name(name)
            .ok_or_else(|| entry_err("no such entry".into()))?;
        let mut f = self
            .zip
            .by_index(idx)
            .map_err(|e| entry_err(format!("cannot read: {e}")))?;
        let size = f.size();
        let packed = f.compressed_size().max(1);
        let l = Limits {
            max_entry_bytes: max_entry,
            ..self.limits
        };
        if size > l.max_entry_bytes {
            return Err(entry_err(format!(
                "{size} bytes unpacked exceeds spor's limit of {} bytes",
                l.max_entry_bytes
            )));
        }
        if size > RATIO_FLOOR && size / packed > l.max_ratio {
            return Err(entry_err(format!(
                "{size} bytes from {packed} compressed exceeds spor's limit on the compression ratio ({}:1; zip bomb?)",
                l.max_ratio
            )));
        }
        let budget = l.max_total_bytes.saturating_sub(self.read_total);
        let cap = l.max_entry_bytes.min(budget);
        let mut buf = Vec::with_capacity(size.min(cap) as usize);
        f.by_ref()
            .take(cap + 1)
            .read_to_end(&mut buf)
            .map_err(|e| entry_err(format!("cannot unpack: {e}")))?;
        drop(f);
        let n = buf.len() as u64;
        if n > cap {
            let what = if cap < l.max_entry_bytes {
                format!(
                    "the archive unpacks to more than spor's limit of {} bytes in all",
                    l.max_total_bytes
                )
            } else {
                format!(
                    "unpacks to more than its header says ({size} bytes) and beyond spor's limit of {} bytes",
                    l.max_entry_bytes
                )
            };
            return Err(entry_err(what));
        }
        if n > RATIO_FLOOR && n / packed > l.max_ratio {
            return Err(entry_err(format!(
                "{n} bytes from {packed} compressed exceeds spor's limit on the compression ratio ({}:1; zip bomb?)",
                l.max_ratio
            )));
        }
        self.read_total += n;
        Ok(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(entries: &[(&str, &[u8])]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (n, b) in entries {
            w.start_file(*n, o).unwrap();
            w.write_all(b).unwrap();
        }
        f.write_all(&w.finish().unwrap().into_inner()).unwrap();
        f
    }

    #[test]
    fn unsafe_names() {
        assert!(unsafe_name("sources/a.txt").is_none());
        assert!(unsafe_name("../a.txt").is_some());
        assert!(unsafe_name("sources/../../a.txt").is_some());
        assert!(unsafe_name("/etc/passwd").is_some());
        assert!(unsafe_name("C:/x.txt").is_some());
        assert!(unsafe_name("..\\x.txt").is_some());
        assert!(unsafe_name("a..b.txt").is_none());
    }

    #[test]
    fn finds_project_and_sources_tolerantly() {
        let f = zip_with(&[
            ("Trial.qde", b"<Project/>"),
            ("Sources/ABC.txt", b"x"),
            ("sources/.root", b""),
        ]);
        let mut a = Archive::open(f.path(), Limits::default()).unwrap();
        assert_eq!(a.project_entry().unwrap(), "Trial.qde");
        for r in [
            "internal://abc.txt",
            "internal://ABC.txt",
            "ABC.txt",
            "relative:///x/ABC.txt",
        ] {
            assert_eq!(a.find_source(r).as_deref(), Some("Sources/ABC.txt"), "{r}");
        }
        assert_eq!(a.find_source("internal://nope.txt"), None);
        assert_eq!(a.read("Sources/ABC.txt").unwrap(), b"x");
    }

    #[test]
    fn limits_hold() {
        let zeros = vec![b' '; 4 * 1024 * 1024];
        let f = zip_with(&[("project.qde", &zeros)]);
        let mut a = Archive::open(f.path(), Limits::default()).unwrap();
        let e = a.read("project.qde").unwrap_err().to_string();
        assert!(
            e.contains("entry project.qde") && e.contains("ratio"),
            "{e}"
        );
        let small = Limits {
            max_entry_bytes: 10,
            ..Limits::default()
        };
        let f = zip_with(&[("project.qde", b"0123456789abc")]);
        let mut a = Archive::open(f.path(), small).unwrap();
        assert!(
            a.read("project.qde")
                .unwrap_err()
                .to_string()
                .contains("limit")
        );
        let few = Limits {
            max_entries: 1,
            ..Limits::default()
        };
        let f = zip_with(&[("a.qde", b""), ("b", b"")]);
        assert!(Archive::open(f.path(), few).is_err());
        // the project XML has its own, lower limit
        let project = Limits {
            max_project_bytes: 10,
            ..Limits::default()
        };
        let f = zip_with(&[
            ("project.qde", b"0123456789abc"),
            ("sources/a.txt", b"0123456789abc"),
        ]);
        let mut a = Archive::open(f.path(), project).unwrap();
        let e = a.read_project("project.qde").unwrap_err().to_string();
        assert!(
            e.contains("entry project.qde") && e.contains("limit of 10 bytes"),
            "{e}"
        );
        assert!(a.read("sources/a.txt").is_ok());
    }
}
