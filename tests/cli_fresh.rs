//! `spor code` reports its last result again when nothing changed since,
//! and does the work again after any change to what decides it.

mod common;

use common::{spor_run, sundtek};
use serde_json::Value;
use std::path::Path;

/// Wait past the racy margin (two seconds): files written just before a
/// run began are never trusted by the next one, so a study copied a
/// moment ago is coded anew twice.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(2_100));
}

fn code_json(study: &Path, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["code", "--json"];
    all.extend(args);
    let (code, out, err) = spor_run(study, &all);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (code, v, err)
}

/// The status of a file that says whether it was written again.
fn written(p: &Path) -> (std::time::SystemTime, u64) {
    let m = std::fs::metadata(p).unwrap();
    #[cfg(unix)]
    let ino = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let ino = 0;
    (m.modified().unwrap(), ino)
}

#[test]
fn nothing_changed_reports_the_last_result_without_writing() {
    let s = sundtek();
    settle();
    let out = s.path().join("out/codings.csv");
    let (code, first, err) = code_json(s.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(first["up_to_date"], false);
    let bytes = std::fs::read(&out).unwrap();
    let status = written(&out);
    // the table the full run prints
    let (code, table, _) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0);
    assert!(table.contains("is up to date"), "{table}");

    let (code, again, err) = code_json(s.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(again["up_to_date"], true, "{again}");
    assert_eq!(again["codes"], first["codes"]);
    assert_eq!(again["policy"], first["policy"]);
    assert_eq!(again["learned"], first["learned"]);
    assert_eq!(again["cache"]["rules_run"], 0);
    let rules = first["cache"]["rules_run"].as_u64().unwrap()
        + first["cache"]["rules_reused"].as_u64().unwrap();
    assert!(rules > 0);
    assert_eq!(again["cache"]["rules_reused"], rules);
    assert_eq!(
        written(&out),
        status,
        "out/codings.csv is not written again"
    );
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    // --quiet hides the note, not the result
    let (code, quiet, err) = spor_run(s.path(), &["--quiet", "code"]);
    assert_eq!(code, 0);
    assert!(err.is_empty(), "{err}");
    assert_eq!(quiet, table);
    let (_, _, err) = spor_run(s.path(), &["code"]);
    assert!(
        err.contains("nothing changed since the last `spor code`"),
        "{err}"
    );
}

#[test]
fn every_change_to_what_decides_the_codings_codes_again() {
    let s = sundtek();
    settle();
    let study = s.path();
    let out = study.join("out/codings.csv");
    let (code, first, err) = code_json(study, &[]);
    assert_eq!(code, 0, "{err}");
    let fresh = |args: &[&str]| {
        let (code, v, err) = code_json(study, args);
        assert_eq!(code, 0, "{err}");
        v["up_to_date"] == true
    };
    // an input changed a moment before a run began is not trusted by the
    // next run (git's racy rule); a run begun well after it leaves a stamp
    // the next run trusts
    let settled = || {
        settle();
        let _ = fresh(&[]);
        assert!(fresh(&[]), "settled");
    };
    // the output deleted or edited
    std::fs::remove_file(&out).unwrap();
    assert!(!fresh(&[]));
    assert!(out.is_file());
    std::fs::write(&out, "edited\n").unwrap();
    assert!(!fresh(&[]));
    assert_ne!(std::fs::read(&out).unwrap(), b"edited\n");
    assert!(fresh(&[]));
    // other settings
    assert!(!fresh(&["--policy", "human-only"]));
    let (_, v, _) = code_json(study, &["--policy", "human-only"]);
    assert_eq!(v["policy"], "human-only");
    assert!(!fresh(&[]));
    assert!(!fresh(&["--csv-dialect", "excel-da"]));
    assert!(std::fs::read_to_string(&out).unwrap().contains(';'));
    assert!(!fresh(&[]));
    assert!(fresh(&[]));
    // a coder's decision: the human count moves
    let human = |v: &Value, code: &str| {
        v["codes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .map(|c| c["human"].as_u64().unwrap())
            .unwrap()
    };
    let (code, _, err) = spor_run(
        study,
        &["code", "add", "int-01#2", "technofix", "--coder", "R09"],
    );
    assert_eq!(code, 0, "{err}");
    let (_, v, _) = code_json(study, &[]);
    assert_eq!(v["up_to_date"], false);
    assert_eq!(human(&v, "technofix"), human(&first, "technofix") + 1);
    settled();
    // a transcript, a codebook, a cache and the index as spor left them
    for file in [
        "transcripts/int-02.txt",
        "../../codebooks/sundtek-cues.toml",
        ".spor/cache/suggestions.json",
        ".spor/index/spor-index.json",
    ] {
        let p = study.join(file);
        let text = std::fs::read(&p).unwrap();
        std::fs::write(&p, &text).unwrap();
        assert!(!fresh(&[]), "{file}");
    }
    std::fs::remove_dir_all(study.join(".spor/cache")).unwrap();
    assert!(!fresh(&[]));
    assert!(study.join(".spor/cache/suggestions.json").is_file());
}

#[test]
fn a_coders_bad_rows_are_reported_again_with_the_same_exit_code() {
    let s = sundtek();
    std::fs::write(
        s.path().join("codings/A.csv"),
        "segment,code,status\nint-99#1,technofix,accepted\n",
    )
    .unwrap();
    settle();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("codings/A.csv:2: error: unknown segment \"int-99#1\""),
        "{err}"
    );
    for args in [&["code"][..], &["--quiet", "code"]] {
        let (code, out, again) = spor_run(s.path(), args);
        assert_eq!(code, 1, "{again}");
        assert!(out.contains("is up to date"), "{out}");
        assert!(
            again.contains("codings/A.csv:2: error: unknown segment \"int-99#1\""),
            "{again}"
        );
        assert!(
            again.contains("row(s) of the coders' files do not count"),
            "{again}"
        );
    }
}
