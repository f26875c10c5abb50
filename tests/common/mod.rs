//! Helpers for the end-to-end CLI tests: temp copies of example studies.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copy a folder recursively (skipping generated `out/` and `.spor/`).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "out" || name == ".spor" {
            continue;
        }
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(&name));
        } else {
            std::fs::copy(&p, to.join(&name)).unwrap();
        }
    }
}

/// A temp copy of an example study, laid out as in the repository
/// (`examples/<name>` beside `codebooks/`), so that its relative paths hold.
pub struct TempStudy {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl TempStudy {
    /// The study folder.
    pub fn path(&self) -> &Path {
        &self.root
    }
}

/// A temp copy of `examples/sundtek` (and `codebooks/`).
pub fn sundtek() -> TempStudy {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("examples/sundtek");
    copy_dir(&self::root().join("examples/sundtek"), &root);
    copy_dir(
        &self::root().join("codebooks"),
        &dir.path().join("codebooks"),
    );
    TempStudy { _dir: dir, root }
}

/// `spor --study DIR` ready for arguments.
pub fn spor(study: &Path) -> Command {
    let mut c = Command::cargo_bin("spor").unwrap();
    c.arg("--study").arg(study);
    c
}

/// Run and return (exit code, stdout, stderr).
pub fn run(mut c: Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Replace the first occurrence of `from` in a study file.
pub fn edit(study: &Path, file: &str, from: &str, to: &str) {
    let p = study.join(file);
    let s = std::fs::read_to_string(&p).unwrap();
    assert!(s.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&p, s.replacen(from, to, 1)).unwrap();
}

/// `spor --study DIR ARGS...`: exit code, stdout, stderr.
pub fn spor_run(study: &Path, args: &[&str]) -> (i32, String, String) {
    let mut c = spor(study);
    c.args(args);
    run(c)
}

/// Remove the rows of a study sheet whose line starts with `prefix`.
pub fn drop_rows(study: &Path, file: &str, prefix: &str) {
    let p = study.join(file);
    let kept: String = std::fs::read_to_string(&p)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with(prefix))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&p, kept).unwrap();
}
