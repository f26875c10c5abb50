//! End-to-end tests of `spor check`, `stats`, `export segments` and `init`
//! on temp copies of the example study, intact and broken.

mod common;
use common::*;
use serde_json::Value;

#[test]
fn check_example_study_is_clean() {
    let s = sundtek();
    let (code, out, err) = spor_run(s.path(), &["check", "--strict"]);
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    assert_eq!(out, "", "no errors or warnings expected");
    assert!(err.contains("25 documents"), "{err}");
}

#[test]
fn check_verbose_reports_encodings() {
    let s = sundtek();
    let (code, out, _) = spor_run(s.path(), &["check", "--verbose"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("transcripts/int-11.txt: note: read as windows-1252, CRLF"),
        "{out}"
    );
    assert!(
        out.contains("transcripts/int-19.txt: note: read as UTF-16LE with BOM"),
        "{out}"
    );
    assert!(
        out.contains(
            "transcripts/int-15.txt: note: read as UTF-8, LF line endings, normalised to NFC"
        ),
        "{out}"
    );
    assert!(
        out.contains("transcripts/int-07.txt: note: read as UTF-8 with BOM"),
        "{out}"
    );
}

#[test]
fn study_found_upward_and_study_flag_after_command() {
    let s = sundtek();
    let mut c = assert_cmd::Command::cargo_bin("spor").unwrap();
    c.current_dir(s.path().join("transcripts"))
        .args(["check", "--quiet"]);
    assert_eq!(run(c).0, 0);
    let mut c = assert_cmd::Command::cargo_bin("spor").unwrap();
    c.args(["check", "--study"]).arg(s.path());
    assert_eq!(run(c).0, 0);
    let d = tempfile::tempdir().unwrap();
    let mut c = assert_cmd::Command::cargo_bin("spor").unwrap();
    c.current_dir(d.path()).arg("check");
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("error: no spor.toml found"), "{err}");
    assert!(err.contains("hint: run `spor init`"), "{err}");
}

#[test]
fn stats_by_profession() {
    let s = sundtek();
    let (code, out, err) = spor_run(s.path(), &["stats", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["documents"], 25);
    let kinds = v["by_kind_phase"].as_array().unwrap();
    assert_eq!(kinds.len(), 2);
    assert_eq!(kinds[0]["kind"], "interview");
    assert_eq!(kinds[0]["documents"], 20);
    assert_eq!(kinds[1]["documents"], 5);
    let profs = v["professions"].as_array().unwrap();
    let share: f64 = profs.iter().map(|p| p["share"].as_f64().unwrap()).sum();
    assert!((share - 1.0).abs() < 1e-9);
    let nurse = profs
        .iter()
        .find(|p| p["profession"] == "sygeplejerske")
        .unwrap();
    assert_eq!(nurse["participants"], 10);
    assert_eq!(nurse["under_represented"], false);
    let chef = profs
        .iter()
        .find(|p| p["profession"] == "chefkonsulent")
        .unwrap();
    assert_eq!(chef["participants"], 2);
    assert_eq!(chef["under_represented"], true);
    // interviewers and facilitators are not counted
    assert!(profs.iter().all(|p| p["profession"] != "forsker"));

    let (code, out, _) = spor_run(s.path(), &["stats"]);
    assert_eq!(code, 0);
    assert!(out.contains("under-represented (< 3)"), "{out}");
}

#[test]
fn export_segments_json_has_pinned_fields_and_exact_offsets() {
    let s = sundtek();
    let (code, out, err) = spor_run(s.path(), &["export", "segments", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(v.len() > 500);
    for f in [
        "segment",
        "document",
        "turn",
        "speaker",
        "participant",
        "profession",
        "role",
        "text",
        "line_start",
        "line_end",
        "char_start",
        "char_end",
    ] {
        assert!(v[0].get(f).is_some(), "missing {f}");
    }
    // offsets slice the normalised text back to the segment text: rebuild
    // the normalised text of one CRLF, one Windows-1252 and one NFD file
    for (doc, file, enc) in [
        ("int-03", "transcripts/int-03.txt", "utf-8"),
        ("int-11", "transcripts/int-11.txt", "cp1252"),
        ("int-05", "transcripts/int-05.txt", "utf-8"),
    ] {
        let bytes = std::fs::read(s.path().join(file)).unwrap();
        let text = if enc == "cp1252" {
            bytes.iter().map(|&b| cp1252(b)).collect::<String>()
        } else {
            String::from_utf8(bytes).unwrap()
        };
        let text = text.replace("\r\n", "\n");
        let chars: Vec<char> = text.chars().collect();
        let lines: Vec<&str> = text.split('\n').collect();
        let segs: Vec<&Value> = v.iter().filter(|x| x["document"] == doc).collect();
        assert!(segs.len() > 10);
        for (i, sg) in segs.iter().enumerate() {
            assert_eq!(sg["turn"], i + 1);
            assert_eq!(sg["segment"], format!("{doc}#{}", i + 1));
            let (a, b) = (
                sg["char_start"].as_u64().unwrap() as usize,
                sg["char_end"].as_u64().unwrap() as usize,
            );
            let slice: String = chars[a..b].iter().collect();
            assert_eq!(slice, sg["text"].as_str().unwrap());
            let l1 = sg["line_start"].as_u64().unwrap() as usize;
            assert!(lines[l1 - 1].contains(&format!("{}:", sg["speaker"].as_str().unwrap())));
            let l2 = sg["line_end"].as_u64().unwrap() as usize;
            let last_line = slice.rsplit('\n').next().unwrap();
            assert!(lines[l2 - 1].ends_with(last_line), "{doc} line {l2}");
        }
    }
    let ts = v.iter().find(|x| x["document"] == "int-05").unwrap();
    assert!(ts["timestamp"].is_string(), "int-05 has timestamps");
}

fn cp1252(b: u8) -> char {
    // the bytes used in int-11 (æøåÆØÅ, dashes and quotes)
    match b {
        0x80..=0x9F => match b {
            0x96 => '–',
            0x97 => '—',
            0x91 => '‘',
            0x92 => '’',
            0x93 => '“',
            0x94 => '”',
            0x85 => '…',
            0x80 => '€',
            _ => '\u{FFFD}',
        },
        _ => b as char,
    }
}

#[test]
fn export_segments_csv_jsonl_sentences_and_roles() {
    let s = sundtek();
    let out_file = s.path().join("out/segments.csv");
    let mut c = spor(s.path());
    c.args([
        "export",
        "segments",
        "--format",
        "csv",
        "--roles",
        "participant",
        "-o",
    ])
    .arg(&out_file);
    assert_eq!(run(c).0, 0);
    let mut r = csv::Reader::from_path(&out_file).unwrap();
    let h = r.headers().unwrap().clone();
    assert_eq!(&h[0], "segment");
    assert!(h.iter().any(|x| x == "setting") && h.iter().any(|x| x == "years"));
    let rows: Vec<_> = r.records().map(|x| x.unwrap()).collect();
    assert!(rows.iter().all(|x| &x[6] == "participant"));

    let (_, out, _) = spor_run(s.path(), &["export", "segments", "--format", "jsonl"]);
    let n = out.lines().count();
    assert!(n > rows.len());
    for l in out.lines() {
        serde_json::from_str::<Value>(l).unwrap();
    }

    let (code, out, _) = spor_run(
        s.path(),
        &[
            "export", "segments", "--unit", "sentence", "--format", "json",
        ],
    );
    assert_eq!(code, 0);
    let v: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(v.len() > n);
    assert!(v[0]["sentence"].as_str().unwrap().ends_with(".1"));
    // a sentence ends at "f.eks." only where its turn ends
    for w in v.windows(2) {
        if w[0]["segment"] == w[1]["segment"] {
            let t = w[0]["text"].as_str().unwrap();
            assert!(!t.ends_with(" f.eks.") && !t.ends_with(" bl.a."), "{t}");
        }
    }

    let mut c = spor(s.path());
    c.args(["export", "segments", "--roles", "chef"]);
    assert_eq!(run(c).0, 2);
}

#[test]
fn same_output_twice() {
    let s = sundtek();
    let get = || {
        let mut c = spor(s.path());
        c.args(["export", "segments", "--format", "jsonl"]);
        run(c).1
    };
    assert_eq!(get(), get());
}

#[test]
fn init_creates_a_valid_study_and_never_overwrites() {
    let d = tempfile::tempdir().unwrap();
    let study = d.path().join("ny");
    let mut c = assert_cmd::Command::cargo_bin("spor").unwrap();
    c.arg("init").arg(&study);
    assert_eq!(run(c).0, 0);
    for f in [
        "spor.toml",
        "documents.csv",
        "participants.csv",
        "curriculum.toml",
        "transcripts/int-01.txt",
    ] {
        assert!(study.join(f).is_file(), "{f}");
    }
    assert!(study.join("codings").is_dir());
    let (code, out, err) = spor_run(&study, &["check", "--strict"]);
    assert_eq!(code, 0, "{out}{err}");
    std::fs::write(study.join("documents.csv"), "mine").unwrap();
    let mut c = assert_cmd::Command::cargo_bin("spor").unwrap();
    c.arg("init").arg(&study);
    let (code, _, err) = run(c);
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(study.join("documents.csv")).unwrap(),
        "mine"
    );
}

#[test]
fn stats_table_snapshot() {
    let s = sundtek();
    let (code, out, _) = spor_run(s.path(), &["stats"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("stats_sundtek", out);
}

#[test]
fn check_diagnostics_snapshot() {
    let s = sundtek();
    edit(s.path(), "transcripts/int-02.txt", "\nS: ", "\nR: ");
    edit(
        s.path(),
        "transcripts/int-01.txt",
        "\nInterviewer: ",
        "\nBemærkning: noget\nInterviewer: ",
    );
    edit(
        s.path(),
        "participants.csv",
        "int-09,Læge,P09",
        "int-09,Overlæge,P09",
    );
    let (code, out, _) = spor_run(s.path(), &["check"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("check_broken_sundtek", out);
}

/// An invisible character before a declared label and a malformed
/// timestamp used to merge the turn into the previous speaker's silently;
/// an undeclared `Name (Party):` too. Now the turns are read, the first two
/// are warnings (so `check --strict` fails) and the third an error.
#[test]
fn invisible_characters_malformed_timestamps_and_party_labels() {
    let s = sundtek();
    let turns = |s: &std::path::Path| -> usize {
        let (code, out, err) = spor_run(s, &["export", "segments", "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .filter(|x| x["document"] == "int-05")
            .count()
    };
    let before = turns(s.path());
    edit(
        s.path(),
        "transcripts/int-05.txt",
        "[00:01:33] Interviewer:",
        "\u{200B}[00:01:33] Interviewer:",
    );
    edit(
        s.path(),
        "transcripts/int-05.txt",
        "[00:02:03] Interviewer:",
        "[100:00:00] Interviewer:",
    );
    assert_eq!(turns(s.path()), before);
    let (code, out, err) = spor_run(s.path(), &["check", "--strict"]);
    let err = format!("{out}{err}");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("int-05.txt:5: warning: invisible character U+200B"),
        "{err}"
    );
    assert!(
        err.contains("int-05.txt:7: warning: [100:00:00] is not a valid timestamp"),
        "{err}"
    );
    edit(
        s.path(),
        "transcripts/int-05.txt",
        "[00:03:04] Interviewer:",
        "Mai Villadsen (EL):",
    );
    let (code, out, err) = spor_run(s.path(), &["check"]);
    let err = format!("{out}{err}");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("int-05.txt:10: error: unknown speaker \"Mai Villadsen (EL)\""),
        "{err}"
    );
}
