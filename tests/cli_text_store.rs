//! The text store: commands that code a study keep each transcript's
//! decoded text in `.spor/cache/text` (mapped, not held), and the store
//! never changes a result: a study whose store cannot be written, or holds
//! damaged files, gives the same outputs byte for byte.

mod common;

use common::{edit, spor_run, sundtek};
use std::collections::BTreeMap;
use std::path::Path;

const STORE: &str = ".spor/cache/text";

/// Every file under `dir`, by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The store's file names, sorted.
fn stored(study: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(study.join(STORE))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

/// The store file name of a transcript: its file's SHA-256.
fn name_of(study: &Path, transcript: &str) -> String {
    let bytes = std::fs::read(study.join(transcript)).unwrap();
    format!("{}.txt", spor_corpus::sha256_hex(&bytes))
}

#[test]
fn a_run_keeps_each_text_in_the_store_and_the_outputs_do_not_depend_on_it() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 0, "{err}");
    let files = stored(s.path());
    assert_eq!(files.len(), 25, "one per transcript: {files:?}");
    let int03 = name_of(s.path(), "transcripts/int-03.txt");
    assert!(files.contains(&int03), "{files:?}");
    // the decoded text: int-03 has CRLF line endings, stored as LF
    let lf = || {
        std::fs::read_to_string(s.path().join("transcripts/int-03.txt"))
            .unwrap()
            .replace("\r\n", "\n")
    };
    assert_eq!(
        std::fs::read_to_string(s.path().join(STORE).join(&int03)).unwrap(),
        lf()
    );
    let with_store = tree(&s.path().join("out"));

    // the same study where the store cannot be written: texts in memory
    let t = sundtek();
    std::fs::create_dir_all(t.path().join(".spor/cache")).unwrap();
    std::fs::write(t.path().join(STORE), "not a folder").unwrap();
    let (code, _, err) = spor_run(t.path(), &["run"]);
    assert_eq!(code, 0, "{err}");
    assert!(t.path().join(STORE).is_file(), "left as it was");
    assert_eq!(tree(&t.path().join("out")), with_store);

    // a damaged store file (same name and size, other bytes) is rewritten,
    // and nothing it held reaches the outputs
    let damaged = s.path().join(STORE).join(&int03);
    let mut bytes = std::fs::read(&damaged).unwrap();
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    std::fs::write(&damaged, &bytes).unwrap();
    let (code, _, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&damaged).unwrap(), lf());
    assert_eq!(tree(&s.path().join("out")), with_store);
}

#[test]
fn a_changed_transcript_replaces_its_stored_text_and_a_check_writes_nothing() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["check"]);
    assert!(code <= 1, "{err}");
    assert!(!s.path().join(STORE).exists(), "spor check writes no store");
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let old = name_of(s.path(), "transcripts/int-03.txt");
    assert!(stored(s.path()).contains(&old));
    edit(
        s.path(),
        "transcripts/int-03.txt",
        "teknologi",
        "teknologien",
    );
    let new = name_of(s.path(), "transcripts/int-03.txt");
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let files = stored(s.path());
    assert!(files.contains(&new), "{files:?}");
    assert!(!files.contains(&old), "the old text is removed: {files:?}");
    assert_eq!(files.len(), 25);
}
