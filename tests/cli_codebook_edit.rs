//! `spor codebook add|rename|merge`: codebook work without editing TOML,
//! and no coding orphaned by a rename or a merge.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn counted(study: &Path, code: &str) -> u64 {
    let (c, out, err) = spor_run(study, &["code", "--json"]);
    assert_eq!(c, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    v["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == code)
        .map(|x| x["human"].as_u64().unwrap())
        .unwrap_or_else(|| panic!("no code {code}: {v}"))
}

#[test]
fn rename_keeps_every_coding_and_the_file_layout() {
    let s = sundtek();
    let before = counted(s.path(), "readiness");
    assert!(before > 0);
    let book = s.path().join("../../codebooks/sundtek-cues.toml");
    let comments = |t: &str| {
        t.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
    };
    let old = std::fs::read_to_string(&book).unwrap();
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "codebook",
            "rename",
            "readiness",
            "teknologiparathed",
            "--label",
            "Teknologiparathed",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let new = std::fs::read_to_string(&book).unwrap();
    assert_eq!(comments(&old), comments(&new), "comments are kept");
    assert!(new.contains("aliases = [\"readiness\"]"), "{new}");
    assert_eq!(
        counted(s.path(), "teknologiparathed"),
        before,
        "codings follow the alias"
    );
    let cur = std::fs::read_to_string(s.path().join("curriculum.toml")).unwrap();
    let links: Vec<&str> = cur.lines().filter(|l| l.starts_with("codes =")).collect();
    assert!(
        !links.iter().any(|l| l.contains("\"readiness\"")),
        "{links:?}"
    );
    assert!(links.iter().any(|l| l.contains("\"teknologiparathed\"")));
    assert!(
        cur.contains("# Answers \"readiness\""),
        "comments stay as written"
    );
    let (code, out, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("unknown code"), "{err}");
    // a coder can keep writing the old id
    let (code, _, err) = spor_run(
        s.path(),
        &["code", "add", "int-01#4", "readiness", "--coder", "NY"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(counted(s.path(), "teknologiparathed"), before + 1);
}

#[test]
fn merge_moves_codings_rules_and_links() {
    let s = sundtek();
    let a = counted(s.path(), "readiness");
    let b = counted(s.path(), "technofix");
    let (code, _, err) = spor_run(s.path(), &["codebook", "merge", "readiness", "technofix"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = spor_run(s.path(), &["code", "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        !v["codes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["code"] == "readiness")
    );
    // turns both coded are counted once
    let merged = counted(s.path(), "technofix");
    assert!(
        merged >= a.max(b) && merged <= a + b,
        "{a} + {b} -> {merged}"
    );
    let book = std::fs::read_to_string(s.path().join("../../codebooks/sundtek-cues.toml")).unwrap();
    assert!(
        book.contains("id = \"readiness-klar\""),
        "the rules moved over"
    );
    assert!(!book.contains("id = \"readiness\""));
    let (code, _, err) = spor_run(s.path(), &["codebook", "test"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn add_derives_an_id_from_a_danish_label_and_refuses_clashes() {
    let s = sundtek();
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "codebook",
            "add",
            "Tillid til data & økonomi",
            "--definition",
            "Udsagn om tillid",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            "int-01#4",
            "tillid-til-data-oekonomi",
            "--coder",
            "NY",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = spor_run(
        s.path(),
        &["codebook", "add", "Technofix", "--id", "technofix"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("technofix"), "{err}");
    let (code, _, err) = spor_run(s.path(), &["codebook", "rename", "context", "technofix"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_new_study_codes_at_once_without_editing_a_file() {
    let d = tempfile::tempdir().unwrap();
    let study = d.path().join("ny");
    let mut c = assert_cmd::Command::cargo_bin("spor").unwrap();
    c.arg("init").arg(&study);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(study.join("codebooks/koder.toml").is_file());
    let (code, out, err) = spor_run(&study, &["check", "--strict"]);
    assert_eq!(code, 0, "{out}{err}");
    for args in [
        &["codebook", "add", "Usikkerhed ved ny teknologi"][..],
        &[
            "code",
            "add",
            "int-01#2",
            "usikkerhed-ved-ny-teknologi",
            "--coder",
            "MH",
        ],
        &[
            "code",
            "memo",
            "--segment",
            "int-01#2",
            "--code",
            "usikkerhed-ved-ny-teknologi",
            "--coder",
            "MH",
            "Første indtryk",
        ],
        &[
            "codebook",
            "rename",
            "usikkerhed-ved-ny-teknologi",
            "usikkerhed",
            "--label",
            "Usikkerhed",
        ],
        &["code", "done", "int-01", "--coder", "MH"],
    ] {
        let (code, _, err) = spor_run(&study, args);
        assert_eq!(code, 0, "{args:?}: {err}");
    }
    let (code, out, err) = spor_run(&study, &["code", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let row = v["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "usikkerhed")
        .unwrap()
        .clone();
    assert_eq!(row["human"], 1, "{v}");
    let codings = std::fs::read_to_string(study.join("out/codings.csv")).unwrap();
    assert!(codings.contains("Første indtryk"), "{codings}");
}
