//! End-to-end tests of `spor index` and `spor search` on temp copies of the
//! example study.

mod common;
use common::*;
use serde_json::Value;

fn index_json(s: &std::path::Path) -> Value {
    let (code, out, err) = spor_run(s, &["index", "--json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn search_json(s: &std::path::Path, args: &[&str]) -> Vec<Value> {
    let mut c = spor(s);
    c.arg("search").args(args).arg("--json");
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    // the output contract pins an array of hits (docs/FORMAT.md)
    serde_json::from_str(&out).unwrap()
}

#[test]
fn incremental_index_touches_only_changed_documents() {
    let s = sundtek();
    let r = index_json(s.path());
    assert_eq!(r["added"].as_array().unwrap().len(), 25);
    assert_eq!(r["rebuilt"], true);
    let r = index_json(s.path());
    assert_eq!(r["unchanged"], 25);
    assert_eq!(r["changed"].as_array().unwrap().len(), 0);
    // change one transcript
    edit(
        s.path(),
        "transcripts/int-05.txt",
        "Chefkonsulent: ",
        "Chefkonsulent: Zebrafinken ",
    );
    let r = index_json(s.path());
    assert_eq!(r["changed"], serde_json::json!(["int-05"]));
    assert_eq!(r["unchanged"], 24);
    assert_eq!(r["rebuilt"], false);
    assert_eq!(search_json(s.path(), &["zebrafinken"]).len(), 1);
    // a change in the sheets re-indexes the document it concerns
    edit(
        s.path(),
        "participants.csv",
        "int-09,Læge,P09,læge",
        "int-09,Læge,P09,overlæge",
    );
    let r = index_json(s.path());
    assert_eq!(r["changed"], serde_json::json!(["int-09"]));
    assert!(search_json(s.path(), &["profession:overlæge"]).len() > 5);
    // removing a document removes its segments
    drop_rows(s.path(), "documents.csv", "int-13,");
    drop_rows(s.path(), "participants.csv", "int-13,");
    let r = index_json(s.path());
    assert_eq!(r["removed"], serde_json::json!(["int-13"]));
}

#[test]
fn search_brings_index_up_to_date_and_unknown_versions_are_rebuilt() {
    let s = sundtek();
    assert!(!search_json(s.path(), &["oplæring"]).is_empty());
    let meta = s.path().join(".spor/index/spor-index.json");
    assert!(meta.is_file());
    std::fs::write(&meta, r#"{"schema": 999, "analyzer": 1, "documents": {}}"#).unwrap();
    let r = index_json(s.path());
    assert_eq!(r["rebuilt"], true);
    assert!(r["reason"].as_str().unwrap().contains("another version"));
    std::fs::write(&meta, "garbage").unwrap();
    let r = index_json(s.path());
    assert_eq!(r["rebuilt"], true);
    assert_eq!(r["added"].as_array().unwrap().len(), 25);
}

#[test]
fn stemming_exact_forms_and_compounds() {
    let s = sundtek();
    // stemmed: a word finds its inflections
    let hits = search_json(s.path(), &["implementering", "--limit", "100"]);
    assert!(
        hits.iter()
            .any(|h| h["text"].as_str().unwrap().contains("implementeringen"))
    );
    // exact form: only that form
    let exact = search_json(s.path(), &["=implementering", "--limit", "100"]);
    assert!(exact.len() < hits.len());
    for h in &exact {
        let t = h["text"].as_str().unwrap().to_lowercase();
        let hl = h["highlights"].as_array().unwrap();
        assert!(!hl.is_empty());
        for r in hl {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            let w: String = t.chars().skip(a).take(b - a).collect();
            assert_eq!(w, "implementering");
        }
    }
    // a word inside Danish compounds
    let hits = search_json(s.path(), &["*teknologi", "--limit", "500"]);
    let words: Vec<String> = hits
        .iter()
        .flat_map(|h| {
            let t: Vec<char> = h["text"].as_str().unwrap().chars().collect();
            h["highlights"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    t[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize]
                        .iter()
                        .collect::<String>()
                        .to_lowercase()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        words
            .iter()
            .any(|w| w.len() > "teknologi".len() && w.ends_with("teknologi")),
        "{words:?}"
    );
    // compounds in any inflection: every word is a form of a word ending
    // in teknologi (teknologien, teknologierne), never teknologisk
    assert!(
        words.iter().any(|w| w.ends_with("teknologien")),
        "{words:?}"
    );
    assert!(
        words
            .iter()
            .all(|w| w.contains("teknologi") && !w.contains("teknologisk")),
        "{words:?}"
    );
}

#[test]
fn filters_roles_sort_and_counts() {
    let s = sundtek();
    let all = search_json(s.path(), &["teknologi", "--limit", "1000"]);
    assert!(all.iter().all(|h| h["role"] == "participant"));
    let rad = search_json(
        s.path(),
        &["teknologi AND profession:radiograf", "--limit", "1000"],
    );
    assert!(!rad.is_empty() && rad.iter().all(|h| h["profession"] == "radiograf"));
    let rad2 = search_json(
        s.path(),
        &[
            "teknologi",
            "--where",
            "profession=radiograf",
            "--limit",
            "1000",
        ],
    );
    assert_eq!(rad.len(), rad2.len());
    let not_rad = search_json(
        s.path(),
        &["teknologi -profession:radiograf", "--limit", "1000"],
    );
    assert_eq!(not_rad.len() + rad.len(), all.len());
    let ws = search_json(
        s.path(),
        &["teknologi", "--where", "phase=2", "--limit", "1000"],
    );
    assert!(
        ws.iter()
            .all(|h| h["document"].as_str().unwrap().starts_with("ws-"))
    );
    let iv = search_json(
        s.path(),
        &[
            "teknologi",
            "--roles",
            "interviewer,facilitator",
            "--limit",
            "1000",
        ],
    );
    assert!(iv.iter().all(|h| h["role"] != "participant"));
    let by_doc = search_json(
        s.path(),
        &["teknologi", "--sort", "document", "--limit", "1000"],
    );
    let keys: Vec<(String, u64)> = by_doc
        .iter()
        .map(|h| {
            (
                h["document"].as_str().unwrap().to_owned(),
                h["turn"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // scores descending by default
    assert!(
        all.windows(2)
            .all(|w| w[0]["score"].as_f64() >= w[1]["score"].as_f64())
    );
    // counts by profession add up
    let (_, out, _) = spor_run(s.path(), &["search", "teknologi", "--count", "--json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["total"].as_u64().unwrap() as usize, all.len());
    let sum: u64 = v["professions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["segments"].as_u64().unwrap())
        .sum();
    assert_eq!(sum as usize, all.len());
    // same query, same output
    assert_eq!(
        all,
        search_json(s.path(), &["teknologi", "--limit", "1000"])
    );
}

#[test]
fn phrases_and_proximity() {
    let s = sundtek();
    let near = search_json(s.path(), &["\"sygeplejersker læger\"~4", "--limit", "1000"]);
    let exact_phrase = search_json(
        s.path(),
        &["\"sygeplejersker og læger\"", "--limit", "1000"],
    );
    assert!(near.len() >= exact_phrase.len());
    for h in &exact_phrase {
        assert!(
            h["text"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("og læge"),
            "{h}"
        );
    }
}

#[test]
fn bad_queries_point_at_the_position() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["search", "teknologi AND (profession:læge"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("error: teknologi AND (profession:læge\n                     ^\n"),
        "{err}"
    );
    let (code, _, err) = spor_run(s.path(), &["search", "profesion:læge"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `profession`"), "{err}");
    let (code, _, err) = spor_run(s.path(), &["search", "laege"]);
    assert_eq!(code, 0);
    assert!(err.contains("hint:") && err.contains("læge"), "{err}");
}

#[test]
fn keyword_in_context_output() {
    let s = sundtek();
    let (code, out, _) = spor_run(s.path(), &["search", "oplæring", "--limit", "2"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[0].contains("transcripts/") && lines[0].contains("score"),
        "{out}"
    );
    assert!(lines[1].to_lowercase().contains("[[oplæring"), "{out}");
}

#[test]
fn progress_is_silent_when_not_a_terminal() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["index"]);
    assert_eq!(code, 0);
    assert!(
        !err.contains('\r') && !err.contains("reading") && !err.contains("indexing ["),
        "{err:?}"
    );
}

#[test]
fn lemmas_compounds_and_explain() {
    let s = sundtek();
    edit(
        s.path(),
        "transcripts/int-05.txt",
        "Chefkonsulent: ",
        "Chefkonsulent: Velfærdsteknologien og sundhedsteknologier gik godt, men børnene mente noget andet. ",
    );
    let turn = |args: &[&str]| -> Vec<String> {
        search_json(s.path(), args)
            .iter()
            .map(|h| h["segment"].as_str().unwrap().to_owned())
            .collect()
    };
    let edited = turn(&["zzz OR =velfærdsteknologien"]);
    assert_eq!(edited.len(), 1);
    // compounds in any inflection
    assert!(turn(&["*teknologi", "--limit", "1000"]).contains(&edited[0]));
    assert!(turn(&["=sundhedsteknologier"]).contains(&edited[0]));
    // irregular forms by lemma
    for q in ["barn", "gå", "mene", "børn"] {
        assert!(turn(&[q, "--limit", "1000"]).contains(&edited[0]), "{q}");
    }
    // --explain lists the forms a term matched, with their turns; `mene`
    // does not match the conjunction `men`
    let (code, _, err) = spor_run(s.path(), &["search", "mene", "--explain"]);
    assert_eq!(code, 0, "{err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("mene matches"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("mente ("), "{line}");
    assert!(
        !line.contains(" men (") && !line.contains(": men ("),
        "{line}"
    );
    let (_, _, err) = spor_run(s.path(), &["search", "*teknologi", "--explain"]);
    assert!(err.contains("velfærdsteknologien (1)"), "{err}");
    // a plain word finds compounds only with --compounds
    assert!(!turn(&["teknologi", "--limit", "1000"]).contains(&edited[0]));
    assert!(turn(&["teknologi", "--compounds", "--limit", "1000"]).contains(&edited[0]));
    let (_, _, err) = spor_run(
        s.path(),
        &["search", "teknologi", "--compounds", "--explain"],
    );
    assert!(err.contains("velfærdsteknologien (1)"), "{err}");
    assert!(err.contains("teknologien ("), "{err}");
}

#[test]
fn search_says_when_results_are_cut_and_hints() {
    let s = sundtek();
    let (code, out, err) = spor_run(s.path(), &["search", "teknologi", "--limit", "3"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 6, "{out}");
    let total = search_json(s.path(), &["teknologi", "--limit", "100000"]).len();
    assert!(
        err.contains(&format!("3 of {total} hits shown; --limit")),
        "{err}"
    );
    // the å/ø/æ hint keeps the operators
    let (_, _, err) = spor_run(s.path(), &["search", "*traenings* AND \"paa skaermen\""]);
    assert!(err.contains("try: *trænings* AND \"på skærmen\""), "{err}");
    // no participant hit, but the interviewer's turns match
    let (code, out, err) = spor_run(s.path(), &["search", "=Zebrafinken"]);
    assert_eq!((code, out.as_str()), (0, ""));
    assert!(!err.contains("other roles"), "{err}");
    edit(
        s.path(),
        "transcripts/int-05.txt",
        "Interviewer: ",
        "Interviewer: Zebrafinken ",
    );
    let (_, _, err) = spor_run(s.path(), &["search", "=Zebrafinken"]);
    assert!(
        err.contains("other roles match (interviewer: 1); try --roles participant,interviewer"),
        "{err}"
    );
}

/// `index` and `search` report the same errors as `check`, not only those
/// of the transcripts they had to read.
#[test]
fn every_command_reports_the_same_errors() {
    let s = sundtek();
    assert_eq!(spor_run(s.path(), &["index"]).0, 0);
    // an error in the sheets and two in transcripts
    edit(s.path(), "transcripts/int-02.txt", "\nS: ", "\nR: ");
    edit(
        s.path(),
        "transcripts/int-07.txt",
        "\nInterviewer: ",
        "\nI9: ",
    );
    edit(s.path(), "documents.csv", "2024-02-06", "2024-13-06");
    let errors = |args: &[&str]| -> Vec<String> {
        let (code, out, err) = spor_run(s.path(), args);
        assert_ne!(code, 0, "{args:?}");
        format!("{out}{err}")
            .lines()
            .filter(|l| l.contains(": error: "))
            .map(|l| l.trim_start_matches("error: ").to_owned())
            .collect()
    };
    let check = errors(&["check"]);
    assert_eq!(check.len(), 3, "{check:?}");
    assert_eq!(errors(&["index"]), check);
    assert_eq!(errors(&["search", "teknologi"]), check);
}
