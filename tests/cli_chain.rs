//! End-to-end tests of the chain from findings to format: `spor run`,
//! `matrix`, `export translation`, `trace` and `audit`, on temp copies of
//! the example study, intact and broken.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn run_ok(study: &Path) {
    let (code, out, err) = spor_run(study, &["run"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("audit passed"), "{out}");
}

fn audit(study: &Path) -> (i32, Value) {
    let (code, out, err) = spor_run(study, &["audit", "--json"]);
    assert!(code == 0 || code == 1, "{err}");
    (code, serde_json::from_str(&out).unwrap())
}

fn checks(v: &Value) -> Vec<String> {
    v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            format!(
                "{} {}",
                x["check"].as_str().unwrap(),
                x["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn run_writes_every_output_and_audit_holds() {
    let s = sundtek();
    run_ok(s.path());
    let out = s.path().join("out");
    for f in [
        "codings.csv",
        "matrix-profession.csv",
        "matrix-profession.json",
        "matrix-profession.md",
        "cooccurrence.csv",
        "cooccurrence.json",
        "cooccurrence.md",
        "translation.md",
        "translation.csv",
        "translation.json",
        "translation.xlsx",
        "trace/LG-V1.md",
        "trace/FE-1.md",
        "audit.json",
        "audit.md",
        "manifest.json",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let (code, v) = audit(s.path());
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["ok"], true);
    // the manifest hashes every input and output
    let m: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let inputs: Vec<&str> = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    for p in [
        "spor.toml",
        "documents.csv",
        "participants.csv",
        "transcripts/int-01.txt",
        "../../codebooks/sundtek-cues.toml",
        "curriculum.toml",
        "codings/R01.csv",
    ] {
        assert!(inputs.contains(&p), "{p} in {inputs:?}");
    }
    assert_eq!(m["codebooks"][0]["id"], "sundtek-cues");
    assert!(
        m["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "out/translation.xlsx")
    );
    let sha = m["inputs"][0]["sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
}

#[test]
fn run_is_deterministic() {
    let s = sundtek();
    run_ok(s.path());
    let read = |p: &str| std::fs::read(s.path().join("out").join(p)).unwrap();
    let first: Vec<Vec<u8>> = [
        "translation.xlsx",
        "translation.json",
        "manifest.json",
        "codings.csv",
        "trace/LG-K2.md",
    ]
    .iter()
    .map(|p| read(p))
    .collect();
    std::fs::remove_dir_all(s.path().join(".spor")).unwrap();
    let (code, _, _) = spor_run(s.path(), &["--threads", "1", "run"]);
    assert_eq!(code, 0);
    let second: Vec<Vec<u8>> = [
        "translation.xlsx",
        "translation.json",
        "manifest.json",
        "codings.csv",
        "trace/LG-K2.md",
    ]
    .iter()
    .map(|p| read(p))
    .collect();
    assert!(first == second, "outputs differ between runs");
}

#[test]
fn translation_json_has_the_pinned_fields() {
    let s = sundtek();
    let (code, out, err) = spor_run(s.path(), &["export", "translation", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(v.len(), 8, "one row per cue code");
    for r in &v {
        for f in [
            "code",
            "finding",
            "cue",
            "translation",
            "learning_goals",
            "format_elements",
            "segments",
            "participants",
            "professions",
            "quotes",
        ] {
            assert!(r.get(f).is_some(), "{f}");
        }
        let quotes = r["quotes"].as_array().unwrap();
        assert!(!quotes.is_empty() && quotes.len() <= 3);
        let profs: std::collections::BTreeSet<&str> = quotes
            .iter()
            .map(|q| q["profession"].as_str().unwrap())
            .collect();
        assert_eq!(profs.len(), quotes.len(), "quotes span professions");
        for q in quotes {
            for f in [
                "segment",
                "participant",
                "profession",
                "text",
                "line_start",
                "line_end",
            ] {
                assert!(q.get(f).is_some(), "{f}");
            }
        }
        let total: u64 = r["professions"]
            .as_object()
            .unwrap()
            .values()
            .map(|n| n.as_u64().unwrap())
            .sum();
        assert_eq!(total, r["segments"].as_u64().unwrap());
    }
    let ctx = v.iter().find(|r| r["code"] == "context").unwrap();
    assert!(
        ctx["learning_goals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["id"] == "LG-V1")
    );
}

#[test]
fn matrix_json_csv_md_and_cooccurrence() {
    let s = sundtek();
    let (code, out, err) = spor_run(
        s.path(),
        &["matrix", "--by", "profession", "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let cells: Vec<Value> = serde_json::from_str(&out).unwrap();
    for c in &cells {
        for f in ["code", "value", "segments", "participants", "documents"] {
            assert!(c.get(f).is_some(), "{f}");
        }
        assert!(c["participants"].as_u64() <= c["segments"].as_u64());
    }
    // --min-cell hides small cells
    let (_, out, _) = spor_run(s.path(), &["matrix", "--format", "json", "--min-cell", "2"]);
    let hidden: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(hidden.len() < cells.len());
    assert!(
        hidden
            .iter()
            .all(|c| c["participants"].as_u64().unwrap() >= 2)
    );
    // other attributes, normalisation, coder filter
    let (code, out, _) = spor_run(
        s.path(),
        &["matrix", "--by", "phase", "--normalize", "--format", "md"],
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("# Codes by phase") && out.contains(" % · "),
        "{out}"
    );
    let (_, out, _) = spor_run(
        s.path(),
        &[
            "matrix", "--by", "setting", "--coder", "R01", "--format", "json",
        ],
    );
    let r01: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(!r01.is_empty() && r01.iter().all(|c| c["counted"] == "coder:R01"));
    let (code, _, err) = spor_run(s.path(), &["matrix", "--by", "nosuch"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown attribute \"nosuch\""), "{err}");
    let (code, out, _) = spor_run(
        s.path(),
        &[
            "matrix",
            "--cooccurrence",
            "--codebook",
            "sundtek-cues",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0);
    assert!(
        out.starts_with(
            "code,other,segments,reviewed_segments,unreviewed_segments,participants,counted\n"
        ),
        "{out}"
    );
    assert!(out.contains("\ncontext,context,"), "{out}");
}

#[test]
fn trace_goes_down_and_up() {
    let s = sundtek();
    let (code, out, err) = spor_run(s.path(), &["trace", "LG-K2", "--json"]);
    assert_eq!(code, 0, "{err}");
    let t: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(t["what"], "learning goal");
    let codes = t["codes"].as_array().unwrap();
    assert!(codes.iter().any(|c| c["code"] == "interprofessional"));
    let seg = &codes[0]["segments"][0];
    for f in [
        "segment",
        "participant",
        "profession",
        "line_start",
        "line_end",
        "file",
        "origins",
        "reviewed",
    ] {
        assert!(seg.get(f).is_some(), "{f}");
    }
    assert_eq!(t["sources"][0]["sha256"].as_str().unwrap().len(), 64);
    let (code, out, _) = spor_run(s.path(), &["trace", "LG-K2"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("# Evidence dossier: learning goal LG-K2"),
        "{out}"
    );
    assert!(
        out.contains("## Sources") && out.contains("Coded by: "),
        "{out}"
    );
    let (code, out, _) = spor_run(
        s.path(),
        &["trace", "--code", "technofix", "--format", "json"],
    );
    assert_eq!(code, 0);
    let t: Value = serde_json::from_str(&out).unwrap();
    assert!(!t["answered_by"].as_array().unwrap().is_empty());
    let (code, _, err) = spor_run(s.path(), &["trace", "LG-X9"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no learning goal, format element or code has the id \"LG-X9\""),
        "{err}"
    );
}

#[test]
fn exports_cite_participants_never_speaker_labels() {
    let s = sundtek();
    run_ok(s.path());
    // ws-02's speaker labels are first names
    let names = [
        "Mette", "Jonas", "Hanne", "Lars", "Birgitte", "Karim", "Susanne", "Peter", "Rikke", "Ole",
    ];
    let mut files = vec![
        "translation.md",
        "translation.csv",
        "translation.json",
        "matrix-profession.md",
        "matrix-profession.json",
        "cooccurrence.md",
    ]
    .into_iter()
    .map(|f| f.to_owned())
    .collect::<Vec<_>>();
    for e in std::fs::read_dir(s.path().join("out/trace")).unwrap() {
        files.push(format!(
            "trace/{}",
            e.unwrap().file_name().to_string_lossy()
        ));
    }
    for f in &files {
        let text = std::fs::read_to_string(s.path().join("out").join(f)).unwrap();
        for n in names {
            let re_word = text.split(|c: char| !c.is_alphanumeric()).any(|w| w == n);
            assert!(!re_word, "{f} names speaker label {n}");
        }
        assert!(!text.contains("\"speaker\""), "{f}");
        assert!(!text.contains("transskriberet"), "{f} holds a preamble");
    }
    // quotes from ws-02 are there, by participant id
    let t = std::fs::read_to_string(s.path().join("out/trace/FE-2.md")).unwrap();
    assert!(t.contains("ws-02#"), "{t}");
}

#[test]
fn private_attributes_never_leave() {
    let s = sundtek();
    let p = s.path().join("participants.csv");
    let t = std::fs::read_to_string(&p).unwrap();
    let t: String = t
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l},private:initialer\n")
            } else {
                format!("{l},XY\n")
            }
        })
        .collect();
    std::fs::write(&p, t).unwrap();
    let (code, _, err) = spor_run(s.path(), &["matrix", "--by", "initialer"]);
    assert_eq!(code, 2);
    assert!(err.contains("marked private"), "{err}");
    let (code, _, err) = spor_run(s.path(), &["check", "--strict"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn audit_fails_on_a_goal_with_no_code() {
    let s = sundtek();
    run_ok(s.path());
    edit(
        s.path(),
        "curriculum.toml",
        "codes = [\"interprofessional\", \"user-involvement\"]",
        "codes = []",
    );
    let (code, v) = audit(s.path());
    assert_eq!(code, 1);
    let c = checks(&v);
    assert!(
        c.iter()
            .any(|x| x.starts_with("goal-without-code learning goal LG-K2 links no code")),
        "{c:?}"
    );
    assert!(
        c.iter().any(|x| x
            == "input-changed curriculum.toml was changed since out/manifest.json was written"),
        "{c:?}"
    );
    let (code, out, _) = spor_run(s.path(), &["audit"]);
    assert_eq!(code, 1);
    assert!(out.contains("fix: curriculum.toml:"), "{out}");
}

#[test]
fn audit_fails_on_unknown_and_unanswered_codes() {
    let s = sundtek();
    let p = s.path().join("curriculum.toml");
    let t = std::fs::read_to_string(&p)
        .unwrap()
        .replace("\"evaluation\"", "\"evalueringen\"");
    std::fs::write(&p, t).unwrap();
    let (code, v) = audit(s.path());
    assert_eq!(code, 1);
    let c = checks(&v);
    assert!(
        c.iter()
            .any(|x| x.starts_with("unknown-code") && x.contains("\"evalueringen\"")),
        "{c:?}"
    );
    assert!(
        c.iter()
            .any(|x| x.starts_with("unanswered-cue cue code evaluation")),
        "{c:?}"
    );
    assert!(c.iter().any(|x| x.starts_with("no-manifest")), "{c:?}");
}

#[test]
fn audit_fails_on_a_code_with_no_evidence() {
    let s = sundtek();
    let m = s.path().join("spor.toml");
    let t = std::fs::read_to_string(&m).unwrap()
        + "\n[audit]\nmin_segments = 3\nmin_participants = 30\n";
    std::fs::write(&m, t).unwrap();
    let (code, out, _) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("audit found"), "{out}");
    let (code, v) = audit(s.path());
    assert_eq!(code, 1);
    let c = checks(&v);
    assert!(
        c.iter()
            .any(|x| x.starts_with("thin-evidence code readiness rests on")
                && x.contains("the minimum is 3 from 30")),
        "{c:?}"
    );
    // human-only with no human codings at all: no evidence for any code
    for f in ["R01", "R02"] {
        std::fs::remove_file(s.path().join(format!("codings/{f}.csv"))).unwrap();
    }
    let t = std::fs::read_to_string(&m)
        .unwrap()
        .replace("min_participants = 30", "min_participants = 2")
        + "\n[coding]\npolicy = \"human-only\"\n";
    std::fs::write(&m, t).unwrap();
    let (code, v) = audit(s.path());
    assert_eq!(code, 1);
    assert!(
        checks(&v).iter().any(|x| x
            .starts_with("thin-evidence code context rests on 0 segment(s) from 0 participant(s)")),
        "{v}"
    );
}

#[test]
fn audit_names_each_changed_added_or_missing_input() {
    let s = sundtek();
    run_ok(s.path());
    edit(
        s.path(),
        "transcripts/int-05.txt",
        "Chefkonsulent: ",
        "Chefkonsulent: Og så ",
    );
    std::fs::write(
        s.path().join("codings/Z.csv"),
        "segment,code\nint-01#2,context\n",
    )
    .unwrap();
    let (code, v) = audit(s.path());
    assert_eq!(code, 1);
    let c = checks(&v);
    assert!(
        c.contains(
            &"input-changed transcripts/int-05.txt was changed since out/manifest.json was written"
                .to_owned()
        ),
        "{c:?}"
    );
    assert!(
        c.contains(
            &"input-added codings/Z.csv was added since out/manifest.json was written".to_owned()
        ),
        "{c:?}"
    );
    std::fs::remove_file(s.path().join("codings/Z.csv")).unwrap();
    std::fs::remove_file(s.path().join("codings/R01.csv")).unwrap();
    let (_, v) = audit(s.path());
    assert!(
        checks(&v).contains(
            &"input-missing codings/R01.csv was missing since out/manifest.json was written"
                .to_owned()
        ),
        "{v}"
    );
}

#[test]
fn audit_fails_on_a_dangling_coding() {
    let s = sundtek();
    std::fs::write(
        s.path().join("codings/Y.csv"),
        "segment,code\nint-01#2,context\nint-01#999,context\n",
    )
    .unwrap();
    let (code, v) = audit(s.path());
    assert_eq!(code, 1);
    assert!(
        checks(&v)
            .iter()
            .any(|x| x.starts_with("dangling-coding codings/Y.csv:3:")),
        "{v}"
    );
}

#[test]
fn a_failing_run_leaves_the_previous_out_intact() {
    let s = sundtek();
    run_ok(s.path());
    let before = std::fs::read(s.path().join("out/manifest.json")).unwrap();
    edit(s.path(), "transcripts/int-02.txt", "\nS: ", "\nR: ");
    let (code, _, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown speaker \"R\""), "{err}");
    assert_eq!(
        std::fs::read(s.path().join("out/manifest.json")).unwrap(),
        before
    );
    assert!(std::fs::read_dir(s.path()).unwrap().all(|e| {
        !e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".out.")
    }));
}

#[test]
fn xlsx_is_a_workbook_with_two_sheets() {
    let s = sundtek();
    let f = s.path().join("t.xlsx");
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "export",
            "translation",
            "--format",
            "xlsx",
            "-o",
            f.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&f).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("xl/worksheets/sheet2.xml"), "two sheets");
}

#[test]
fn report_is_one_self_contained_page() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["report"]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(s.path().join("out/report.html")).unwrap();
    assert!(html.len() < 5_000_000, "{} bytes", html.len());
    for id in [
        "overview",
        "translation",
        "heatmap",
        "cooccurrence",
        "traces",
        "agreement",
        "saturation",
        "audit",
        "manifest",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{id}\"")),
            "section {id}"
        );
    }
    // nothing loaded from elsewhere
    for bad in ["<script src", "<link ", "@import", "url(http", "src=\"http"] {
        assert!(!html.contains(bad), "{bad}");
    }
    assert!(html.contains("id=\"trace-LG-V1\"") && html.contains("href=\"#trace-LG-V1\""));
    assert!(html.contains("data-profession=\"radiograf\""));
    assert!(html.contains("10 ECTS"));
    // pseudonymous ids, never the speaker labels of ws-02
    for n in ["Mette", "Jonas", "Birgitte", "Susanne"] {
        assert!(
            !html.split(|c: char| !c.is_alphanumeric()).any(|w| w == n),
            "{n}"
        );
    }
    // --min-cell hides small cells in the heat map
    let r3 = s.path().join("r3.html");
    let (code, _, _) = spor_run(
        s.path(),
        &["report", "--min-cell", "3", "-o", r3.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    let r3 = std::fs::read_to_string(&r3).unwrap();
    assert!(r3.contains("Celler med færre end 3 deltagere er skjult"));
}
