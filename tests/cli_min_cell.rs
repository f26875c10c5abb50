//! `--min-cell` / `[privacy] min_cell` applies to every output of a run:
//! the matrix, the translation table in every format and the report.

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;

fn table(study: &std::path::Path) -> Vec<Value> {
    let (code, out, err) = spor_run(study, &["export", "translation", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str::<Vec<Value>>(&out).unwrap()
}

#[test]
fn small_groups_are_hidden_in_every_output() {
    let s = sundtek();
    let open = table(s.path());
    let toml = s.path().join("spor.toml");
    let mut t = std::fs::read_to_string(&toml).unwrap();
    t.push_str("\n[privacy]\nmin_cell = 2\n");
    std::fs::write(&toml, t).unwrap();
    let closed = table(s.path());
    let mut hidden: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (a, b) in open.iter().zip(&closed) {
        let pa = a["professions"].as_object().unwrap();
        let pb = b["professions"].as_object().unwrap();
        for (p, n) in pb {
            assert_eq!(pa.get(p), Some(n), "kept groups keep their counts");
        }
        let gone: Vec<String> = pa
            .keys()
            .filter(|p| !pb.contains_key(*p))
            .cloned()
            .collect();
        assert_eq!(
            b["hidden_professions"].as_u64().unwrap() as usize,
            gone.len()
        );
        if !gone.is_empty() {
            hidden.insert(a["code"].as_str().unwrap().to_owned(), gone);
        }
    }
    assert!(
        !hidden.is_empty(),
        "the example has professions with one participant"
    );
    let (code, out, err) = spor_run(s.path(), &["run"]);
    assert!(code <= 1, "{out}{err}");
    let md = std::fs::read_to_string(s.path().join("out/translation.md")).unwrap();
    let csv = std::fs::read_to_string(s.path().join("out/translation.csv")).unwrap();
    let html = std::fs::read_to_string(s.path().join("out/report.html")).unwrap();
    assert!(md.contains("more hidden (too few participants)"), "{md}");
    for (code, gone) in &hidden {
        let n = open.iter().find(|r| r["code"] == *code).unwrap()["professions"][&gone[0]]
            .as_u64()
            .unwrap();
        let cell = format!("{} {n}", gone[0]);
        let line = md
            .lines()
            .find(|l| l.contains(&format!("`{code}`")) || l.contains(code.as_str()));
        if let Some(line) = line {
            assert!(!line.contains(&cell), "{code}: {line}");
        }
        let csv_line = csv.lines().find(|l| l.starts_with(code.as_str())).unwrap();
        assert!(!csv_line.contains(&cell), "{csv_line}");
        assert!(
            !html.contains(&format!("<span class=\"tag\">{cell}</span>")),
            "{code} {cell}"
        );
    }
}

#[test]
fn one_huge_turn_does_not_blow_up_the_outputs() {
    let s = sundtek();
    let big = "meget lang tur om teknologi ".repeat(20_000); // 560,000 characters
    edit(
        s.path(),
        "transcripts/int-01.txt",
        "Anæstesisygeplejerske: Ja. ",
        &format!("Anæstesisygeplejerske: Ja. {big}"),
    );
    // a person codes it, so it is quoted first
    let (code, _, err) = spor_run(
        s.path(),
        &["code", "add", "int-01#2", "technofix", "--coder", "BIG"],
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = spor_run(s.path(), &["run"]);
    assert!(code <= 1, "{out}{err}");
    let report = std::fs::metadata(s.path().join("out/report.html"))
        .unwrap()
        .len();
    // the example's report is about 1.8 MB; the turn alone is 0.56 MB and
    // is quoted under a finding, several goals and elements and the code
    assert!(report < 2_500_000, "report.html is {report} bytes");
    for f in std::fs::read_dir(s.path().join("out/trace")).unwrap() {
        let n = f.unwrap().metadata().unwrap().len();
        assert!(n < 300_000, "a dossier of {n} bytes");
    }
    let (_, json, _) = spor_run(
        s.path(),
        &["trace", "--code", "technofix", "--format", "json"],
    );
    assert!(json.contains("\"cut\": "), "the quote says it was cut");
    assert!(json.len() < 2_000_000, "{}", json.len());
}
