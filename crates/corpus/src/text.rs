//! A document's normalised text, shared by its turns: held in memory, or
//! mapped read-only from spor's text store (`.spor/cache/text/`), so that
//! a study's text is paged in by the system when a turn is read instead
//! of sitting in the process's memory.
//!
//! Reading a study still decodes every transcript (its turns, ids and
//! hash come from that); the store only decides where the decoded text is
//! kept afterwards. Each document's text is written to
//! `<store>/<sha256 of the file>.txt` the first time, compared with the
//! freshly decoded text on every later read (through `read`, not the
//! mapping, so the comparison does not count as the process's memory),
//! rewritten when it differs, and mapped. Anything that goes wrong (a
//! read-only study, a full disk) keeps the text in memory instead, as
//! without a store: the store changes memory, never results.
//!
//! ```
//! use spor_corpus::{DocText, TextStore};
//! let dir = tempfile::tempdir()?;
//! let store = TextStore::new(dir.path().join("text"));
//! let text = "Anna: Det er en teknofix.\n";
//! let mapped = store.keep("0a1b", text).expect("a writable store");
//! assert!(mapped.is_mapped());
//! assert_eq!(&*mapped, text);
//! assert_eq!(DocText::from(text), mapped);
//! # Ok::<(), std::io::Error>(())
//! ```

use std::fmt;
use std::io::{Read, Seek, Write};
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A document's whole normalised text. Clones share it. It reads as
/// `&str`; a text mapped from the store is checked to be UTF-8 on each
/// read of a range, so a store file changed under spor by another program
/// stops spor with its path (a panic) instead of yielding a broken string.
#[derive(Clone)]
pub struct DocText(Arc<Source>);

enum Source {
    Heap(Box<str>),
    Mapped(Mapped),
}

/// A store file's mapping, counted in [`MAPPED`] while it lives.
struct Mapped {
    map: memmap2::Mmap,
    path: PathBuf,
}

impl Drop for Mapped {
    fn drop(&mut self) {
        MAPPED.fetch_sub(1, Ordering::Relaxed);
    }
}

/// How many store files this process has mapped now. A system allows a
/// process a bounded number of mappings (Linux: 65,530 by default), which
/// the index and the allocator need too, so at most
/// [`TextStore::MAX_MAPPED`] texts are mapped; the others stay in memory.
static MAPPED: AtomicUsize = AtomicUsize::new(0);

impl DocText {
    /// The whole text (a mapped text is checked as a whole: prefer
    /// ranges, through [`crate::TextSlice`], for large texts).
    pub fn as_str(&self) -> &str {
        self.slice(0, self.len())
    }

    /// Its length in bytes (nothing is read).
    pub fn len(&self) -> usize {
        match &*self.0 {
            Source::Heap(s) => s.len(),
            Source::Mapped(m) => m.map.len(),
        }
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the text is mapped from the text store (else it is held in
    /// memory).
    pub fn is_mapped(&self) -> bool {
        matches!(&*self.0, Source::Mapped(_))
    }

    /// Let the system take back the pages of a mapped text this process
    /// has read, after a pass over a whole document (a fingerprint of every
    /// turn, the features of every turn): they stay in the system's page
    /// cache and are read again from there if needed, but no longer count
    /// as spor's memory, so a pass over the whole study does not hold the
    /// whole study's text. Does nothing for a text held in memory, or off
    /// Linux.
    pub fn release(&self) {
        #[cfg(target_os = "linux")]
        if let Source::Mapped(Mapped { map, .. }) = &*self.0 {
            // SAFETY: the mapping is read-only and shared, of a file no one
            // writes in place (see `TextStore::keep`): dropping its pages
            // from this process changes nothing it reads, since the next
            // read faults the same bytes back in from the file, so a `&str`
            // borrowed from it elsewhere stays valid and unchanged.
            let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        }
    }

    /// Bytes `start..end`.
    ///
    /// # Panics
    /// If the range is out of bounds or not on character boundaries, as
    /// slicing a `str` would; for a mapped text, also if the store's file
    /// was changed under spor so that the range is no longer UTF-8.
    pub(crate) fn slice(&self, start: usize, end: usize) -> &str {
        match &*self.0 {
            Source::Heap(s) => &s[start..end],
            Source::Mapped(Mapped { map, path }) => std::str::from_utf8(&map[start..end])
                .unwrap_or_else(|_| {
                    panic!(
                        "{} was changed while spor was using it (delete .spor/cache/text and run again)",
                        path.display()
                    )
                }),
        }
    }
}

impl Default for DocText {
    fn default() -> Self {
        DocText::from("")
    }
}

impl From<&str> for DocText {
    fn from(s: &str) -> Self {
        DocText(Arc::new(Source::Heap(s.into())))
    }
}

impl From<String> for DocText {
    fn from(s: String) -> Self {
        DocText(Arc::new(Source::Heap(s.into_boxed_str())))
    }
}

impl Deref for DocText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for DocText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for DocText {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.as_str() == other.as_str()
    }
}

impl Eq for DocText {}

impl fmt::Debug for DocText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            Source::Heap(s) => fmt::Debug::fmt(s, f),
            Source::Mapped(Mapped { map, path }) => {
                write!(f, "DocText({} bytes from {})", map.len(), path.display())
            }
        }
    }
}

/// Where a study's decoded texts are kept out of memory: one file per
/// transcript, named by the transcript file's SHA-256 (see the module
/// docs). The folder is a cache: deleting it costs one rewrite.
#[derive(Debug, Clone)]
pub struct TextStore {
    dir: PathBuf,
    max_mapped: usize,
}

impl TextStore {
    /// The store's folder inside a study.
    pub const DIR: &'static str = ".spor/cache/text";

    /// How many texts are mapped at most, by default: a quarter of the
    /// mappings Linux allows a process by default (65,530), the rest left
    /// to the index and the allocator. A study of more documents keeps the
    /// texts after these in memory.
    pub const MAX_MAPPED: usize = 16_384;

    /// A store in `dir` (created when first written).
    pub fn new(dir: impl Into<PathBuf>) -> TextStore {
        TextStore {
            dir: dir.into(),
            max_mapped: Self::MAX_MAPPED,
        }
    }

    /// The store of the study in `root`.
    pub fn of_study(root: &Path) -> TextStore {
        TextStore::new(root.join(Self::DIR))
    }

    /// `text`, the decoded text of the transcript whose hash is `key`,
    /// mapped from the store: the store's file is used when it holds
    /// exactly `text`, else (re)written first. `None` when the store
    /// cannot be used or `text` is empty: the caller keeps the text in
    /// memory.
    pub fn keep(&self, key: &str, text: &str) -> Option<DocText> {
        let valid = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric());
        if text.is_empty() || !valid {
            return None;
        }
        let path = self.dir.join(format!("{key}.txt"));
        let file = match std::fs::File::open(&path) {
            Ok(f) if holds(&f, text.as_bytes()).unwrap_or(false) => f,
            _ => self.write(&path, text).ok()?,
        };
        // SAFETY: the file is spor's own: written whole into a temporary
        // file and renamed into place, never written in place, and the
        // mapping is of the file (inode) just checked or written, whatever
        // is renamed over its name later. Every range read from it is
        // checked to be UTF-8 (`DocText::slice`), so another program
        // writing into the store under spor ends in a panic naming the file.
        if MAPPED.fetch_add(1, Ordering::Relaxed) >= self.max_mapped {
            MAPPED.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        let map = match unsafe { memmap2::Mmap::map(&file) } {
            Ok(m) => Mapped { map: m, path },
            Err(_) => {
                MAPPED.fetch_sub(1, Ordering::Relaxed);
                return None;
            }
        };
        (map.map.len() == text.len()).then(|| DocText(Arc::new(Source::Mapped(map))))
    }

    /// At most `n` texts mapped in this process at once (the count is the
    /// process's, whatever store mapped them); beyond it texts stay in
    /// memory.
    pub fn max_mapped(mut self, n: usize) -> TextStore {
        self.max_mapped = n;
        self
    }

    /// How many texts this process has mapped now.
    pub fn mapped_now() -> usize {
        MAPPED.load(Ordering::Relaxed)
    }

    fn write(&self, path: &Path, text: &str) -> std::io::Result<std::fs::File> {
        std::fs::create_dir_all(&self.dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(&self.dir)?;
        tmp.write_all(text.as_bytes())?;
        let file = tmp.persist(path).map_err(|e| e.error)?;
        Ok(file)
    }

    /// Remove the files of the store that no transcript in `keys` (their
    /// hashes) uses any more, and temporary files a stopped run left.
    /// Returns how many were removed; a file that cannot be removed is left.
    pub fn sweep<'a>(&self, keys: impl IntoIterator<Item = &'a str>) -> usize {
        let keep: rustc_hash::FxHashSet<String> =
            keys.into_iter().map(|k| format!("{k}.txt")).collect();
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        let mut removed = 0;
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(name) = name.to_str() else { continue };
            let ours = name.ends_with(".txt") || name.starts_with(".tmp-");
            let is_file = e.file_type().is_ok_and(|t| t.is_file());
            if ours && is_file && !keep.contains(name) && std::fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

/// Whether `f` holds exactly `want`, read in blocks from its start.
fn holds(mut f: &std::fs::File, want: &[u8]) -> std::io::Result<bool> {
    if f.metadata()?.len() != want.len() as u64 {
        return Ok(false);
    }
    f.rewind()?;
    let mut buf = vec![0u8; 1 << 16];
    let mut at = 0;
    while at < want.len() {
        let n = (want.len() - at).min(buf.len());
        f.read_exact(&mut buf[..n])?;
        if buf[..n] != want[at..at + n] {
            return Ok(false);
        }
        at += n;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_text_is_written_once_then_mapped_from_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = TextStore::new(dir.path().join("text"));
        let text = "Læge: Øjeblik, det er en teknofix.\nAnna: Ja.\n";
        let a = store.keep("abc", text).unwrap();
        assert!(a.is_mapped());
        assert_eq!(a.as_str(), text);
        assert_eq!(a.slice(7, 15), "Øjeblik");
        let path = dir.path().join("text/abc.txt");
        let written = std::fs::metadata(&path).unwrap().modified().unwrap();
        let b = store.keep("abc", text).unwrap();
        assert_eq!(b, a);
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            written,
            "an equal file is not rewritten"
        );
        assert_eq!(files(&dir.path().join("text")), ["abc.txt"]);
    }

    #[test]
    fn a_file_that_differs_is_replaced_and_an_old_mapping_keeps_its_text() {
        let dir = tempfile::tempdir().unwrap();
        let store = TextStore::new(dir.path());
        let old = store.keep("k", "Anna: gammel tekst.").unwrap();
        // same length, other content: a damaged or foreign file
        std::fs::write(dir.path().join("k.txt"), "Anna: gammel tekSt.").unwrap();
        let new = store.keep("k", "Anna: gammel tekst.").unwrap();
        assert_eq!(new.as_str(), "Anna: gammel tekst.");
        let other = store.keep("k", "Bo: ny og længere tekst.").unwrap();
        assert_eq!(other.as_str(), "Bo: ny og længere tekst.");
        assert_eq!(
            new.as_str(),
            "Anna: gammel tekst.",
            "a file renamed over the name leaves the mapped one as it was"
        );
        drop(old);
        assert_eq!(files(dir.path()), ["k.txt"], "no temporary file is left");
    }

    #[test]
    fn released_pages_read_back_the_same_text() {
        let dir = tempfile::tempdir().unwrap();
        let store = TextStore::new(dir.path());
        let text = "Læge: Øjeblik.\n".repeat(10_000);
        let t = store.keep("k", &text).unwrap();
        let turn = crate::TextSlice::new(t.clone(), 7..15);
        assert_eq!(turn, "Øjeblik");
        t.release();
        assert_eq!(turn, "Øjeblik");
        assert_eq!(t.as_str(), text);
        DocText::from("Anna: Ja.").release();
    }

    #[test]
    fn an_unusable_store_or_text_keeps_the_text_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let blocked = dir.path().join("file");
        std::fs::write(&blocked, "not a folder").unwrap();
        assert!(TextStore::new(&blocked).keep("k", "Anna: Ja.").is_none());
        let store = TextStore::new(dir.path().join("text"));
        assert!(store.keep("k", "").is_none(), "an empty text is not mapped");
        assert!(store.keep("../k", "Anna: Ja.").is_none(), "a key is a hash");
        assert!(store.keep("", "Anna: Ja.").is_none());
    }

    #[test]
    fn no_more_texts_are_mapped_than_allowed_and_a_dropped_one_is_uncounted() {
        let dir = tempfile::tempdir().unwrap();
        let before = TextStore::mapped_now();
        let none = TextStore::new(dir.path()).max_mapped(0);
        assert!(none.keep("a", "Anna: Ja.").is_none(), "kept in memory");
        let one_more = TextStore::new(dir.path()).max_mapped(before + 1);
        let a = one_more.keep("a", "Anna: Ja.").unwrap();
        assert_eq!(TextStore::mapped_now(), before + 1);
        assert!(one_more.keep("b", "Bo: Nej.").is_none(), "over the bound");
        let b = a.clone();
        drop(a);
        assert_eq!(TextStore::mapped_now(), before + 1, "a clone keeps it");
        drop(b);
        assert_eq!(TextStore::mapped_now(), before);
        assert!(one_more.keep("b", "Bo: Nej.").is_some(), "room again");
    }

    #[test]
    fn sweeping_removes_what_no_transcript_uses() {
        let dir = tempfile::tempdir().unwrap();
        let store = TextStore::new(dir.path());
        store.keep("a", "Anna: Ja.").unwrap();
        store.keep("b", "Bo: Nej.").unwrap();
        std::fs::write(dir.path().join(".tmp-left"), "x").unwrap();
        std::fs::write(dir.path().join("README"), "kept: not ours").unwrap();
        assert_eq!(store.sweep(["a"]), 2);
        assert_eq!(files(dir.path()), ["README", "a.txt"]);
        assert_eq!(TextStore::new(dir.path().join("none")).sweep(["a"]), 0);
    }

    #[test]
    #[should_panic(expected = "was changed while spor was using it")]
    fn a_mapped_file_changed_in_place_is_caught_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let store = TextStore::new(dir.path());
        let t = store.keep("k", "Anna: æ.").unwrap();
        // written in place (what spor never does): the mapping sees it
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(dir.path().join("k.txt"))
            .unwrap();
        f.write_all(&[0xff]).unwrap();
        f.sync_all().unwrap();
        let _ = t.as_str();
    }
}
