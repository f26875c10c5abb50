//! End-to-end tests of the learned suggestions (spor-learn): eval by
//! cross-validation, the `model:` rows of out/codings.csv, the counting
//! policy, the review order, determinism and bad input.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// out/codings.csv as (header, rows).
fn codings(study: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(study.join("out/codings.csv")).unwrap();
    let h = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (h, rows)
}

fn col(h: &[String], name: &str) -> usize {
    h.iter().position(|x| x == name).unwrap()
}

fn code_json(study: &Path) -> Value {
    let (code, out, err) = spor_run(study, &["code", "--json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn report<'a>(v: &'a Value, code: &str) -> &'a Value {
    v["learned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .unwrap()
}

#[test]
fn eval_compares_rules_model_and_both_by_leave_one_document_out() {
    let s = sundtek();
    let (code, out, err) = spor_run(s.path(), &["codebook", "eval", "--coder", "R01"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("leave-one-document-out"), "{out}");
    assert!(out.contains("macro-F1"), "{out}");
    assert!(
        out.contains("etik: no model: too few examples (2 positive"),
        "{out}"
    );
    assert!(
        out.contains("miljoe: no model: no positive examples"),
        "{out}"
    );
    let (code, out, err) = spor_run(s.path(), &["codebook", "eval", "--coder", "R01", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let l = &v["learned"];
    assert_eq!(l["method"], "leave-one-document-out cross-validation");
    let codes = l["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 15);
    let org = codes.iter().find(|c| c["code"] == "organisation").unwrap();
    assert!(org["positives"].as_u64().unwrap() >= 100, "{org}");
    for key in ["rules", "model", "both"] {
        assert!(org[key]["f1"].as_f64().unwrap() > 0.5, "{key}: {org}");
    }
    // both = rules or model: never fewer true positives than either
    for c in codes.iter().filter(|c| !c["model"].is_null()) {
        let tp = |k: &str| c[k]["true_positives"].as_u64().unwrap();
        assert!(tp("both") >= tp("rules").max(tp("model")), "{c}");
    }
    let m = &l["macro_f1"];
    assert_eq!(m["codes"], 14);
    assert!(m["rules"].as_f64().unwrap() > 0.0);
    // the rules' column is the one the rules' own table gives
    let q = v["codes"].as_array().unwrap();
    let tech = q.iter().find(|c| c["code"] == "technofix").unwrap();
    let tech_l = codes.iter().find(|c| c["code"] == "technofix").unwrap();
    assert_eq!(tech["true_positives"], tech_l["rules"]["true_positives"]);
}

#[test]
fn learned_suggestions_carry_probability_and_words_in_columns_at_the_end() {
    let s = sundtek();
    let (code, out, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("learned suggestions:"), "{out}");
    let (h, rows) = codings(s.path());
    let n = h.len();
    assert_eq!(
        &h[n - 6..],
        [
            "counted",
            "policy",
            "passages",
            "quotes",
            "probability",
            "model_words"
        ]
    );
    assert_eq!(
        &h[..9],
        [
            "segment",
            "document",
            "turn",
            "speaker",
            "participant",
            "profession",
            "code",
            "origin",
            "status"
        ]
    );
    let (origin, status, counted, prob, words, doc, codec) = (
        col(&h, "origin"),
        col(&h, "status"),
        col(&h, "counted"),
        col(&h, "probability"),
        col(&h, "model_words"),
        col(&h, "document"),
        col(&h, "code"),
    );
    let learned: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[origin].starts_with("model:"))
        .collect();
    assert!(!learned.is_empty());
    let r01 = [
        "int-13", "int-14", "int-15", "int-16", "int-17", "int-18", "int-19", "int-20", "ws-04",
        "ws-05",
    ];
    for r in &learned {
        assert_eq!(r[origin], format!("model:{}", r[codec]));
        assert_eq!(r[status], "suggested");
        assert_eq!(r[counted], "no", "not counted until reviewed: {r:?}");
        let p: f64 = r[prob].parse().unwrap();
        assert!((0.5..=1.0).contains(&p), "{r:?}");
        assert!(!r[words].is_empty(), "{r:?}");
        // never on turns a coder covered for that code
        assert!(!r01.contains(&r[doc].as_str()), "{r:?}");
    }
    // rule rows and human rows leave the new columns empty
    for r in rows.iter().filter(|r| !r[origin].starts_with("model:")) {
        assert!(r[prob].is_empty() && r[words].is_empty(), "{r:?}");
    }
    // a model that suggests names its rule hit among its words
    assert!(
        learned.iter().any(|r| r[words].contains("rule:")),
        "{learned:?}"
    );
}

#[test]
fn the_policy_counts_learned_suggestions_only_when_set_and_min_f1_gates_models() {
    let s = sundtek();
    let toml = s.path().join("spor.toml");
    let orig = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{orig}\n[learn]\ncount = true\n")).unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let (h, rows) = codings(s.path());
    let (origin, counted, policy) = (col(&h, "origin"), col(&h, "counted"), col(&h, "policy"));
    assert!(
        rows.iter()
            .all(|r| r[policy] == "suggested-learned-and-human")
    );
    assert!(
        rows.iter()
            .filter(|r| r[origin].starts_with("model:"))
            .all(|r| r[counted] == "yes")
    );
    // the traces name learned suggestions by their origin, apart
    let (code, _, err) = spor_run(s.path(), &["run"]);
    assert!(code == 0 || code == 1, "{err}");
    let traces: String = std::fs::read_dir(s.path().join("out/trace"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(traces.contains("model:"), "no learned origin in the traces");
    // the audit names the policy in words
    let (_, out, _) = spor_run(s.path(), &["audit", "--json"]);
    assert!(
        out.contains("learned (model:) suggestions no coder rejected"),
        "{out}"
    );
    // no model reaches F1 1.0: no learned rows, and every code says why
    std::fs::write(&toml, format!("{orig}\n[learn]\nmin_f1 = 1.0\n")).unwrap();
    let v = code_json(s.path());
    assert!(
        v["learned"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["used"] == false)
    );
    let (h, rows) = codings(s.path());
    let origin = col(&h, "origin");
    assert!(!rows.iter().any(|r| r[origin].starts_with("model:")));
    // a typo in [learn] is an input error with its line and a hint
    std::fs::write(&toml, format!("{orig}\n[learn]\nmin_f = 0.5\n")).unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("min_f") && err.contains("did you mean `min_f1`"),
        "{err}"
    );
    std::fs::write(&toml, format!("{orig}\n[learn]\nthreshold = 2\n")).unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("threshold = 2 is not between 0 and 1"),
        "{err}"
    );
    // learning off: no learned rows, nothing else changes
    std::fs::write(&toml, format!("{orig}\n[learn]\nenabled = false\n")).unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let (h, rows) = codings(s.path());
    let origin = col(&h, "origin");
    assert!(!rows.iter().any(|r| r[origin].starts_with("model:")));
}

#[test]
fn learned_rows_are_byte_identical_whatever_the_thread_count() {
    let s = sundtek();
    let mut bytes = Vec::new();
    for threads in ["1", "2", "1"] {
        let _ = std::fs::remove_file(s.path().join(".spor/cache/learn.json"));
        let mut c = spor(s.path());
        c.arg("code").env("RAYON_NUM_THREADS", threads);
        let (code, _, err) = run(c);
        assert_eq!(code, 0, "{err}");
        bytes.push(std::fs::read(s.path().join("out/codings.csv")).unwrap());
    }
    assert_eq!(bytes[0], bytes[1]);
    assert_eq!(bytes[0], bytes[2]);
    // and from the cache, the same again
    let (code, out, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("models from the cache"), "{out}");
    assert_eq!(
        bytes[0],
        std::fs::read(s.path().join("out/codings.csv")).unwrap()
    );
}

/// The `[i/n] segment` headers and model probabilities `spor review` shows.
fn review_items(study: &Path, code: &str, order: &str, answers: &str) -> Vec<(String, f64)> {
    let mut c = spor(study);
    c.args(["review", code, "--coder", "R03", "--order", order])
        .write_stdin(answers.to_owned());
    let (status, out, err) = run(c);
    assert_eq!(status, 0, "{err}");
    let mut items = Vec::new();
    let mut seg = None;
    for line in out.lines() {
        if line.starts_with('[') && line.contains("] ") {
            seg = line.split_whitespace().nth(1).map(str::to_owned);
        }
        if let Some(p) = line.trim().strip_prefix("model: p = ") {
            let p: f64 = p.split_whitespace().next().unwrap().parse().unwrap();
            items.push((seg.clone().unwrap(), p));
        }
    }
    items
}

#[test]
fn review_asks_first_where_the_model_is_least_sure_and_learns_from_the_answer() {
    let s = sundtek();
    let before = code_json(s.path());
    let positives = report(&before, "technofix")["positives"].as_u64().unwrap();
    let skips = "s\n".repeat(400);
    let items = review_items(s.path(), "technofix", "uncertainty", &skips);
    assert!(items.len() > 5, "{items:?}");
    let d: Vec<f64> = items.iter().map(|(_, p)| (p - 0.5).abs()).collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1] + 0.005), "{items:?}");
    let doc_order = review_items(s.path(), "technofix", "document", &skips);
    assert_eq!(items.len(), doc_order.len());
    assert_ne!(items, doc_order);
    // accept the least certain turn outside R01's documents: the next
    // spor code learns from it
    let r01 = [
        "int-13", "int-14", "int-15", "int-16", "int-17", "int-18", "int-19", "int-20", "ws-04",
        "ws-05",
    ];
    let i = items
        .iter()
        .position(|(seg, _)| !r01.contains(&seg.split('#').next().unwrap()))
        .unwrap();
    let answers = format!("{}a\nq\n", "s\n".repeat(i));
    let shown = review_items(s.path(), "technofix", "uncertainty", &answers);
    assert_eq!(shown[i].0, items[i].0);
    let csv = std::fs::read_to_string(s.path().join("codings/R03.csv")).unwrap();
    assert!(
        csv.contains(&format!("{},technofix,accepted", items[i].0)),
        "{csv}"
    );
    let after = code_json(s.path());
    assert_eq!(
        report(&after, "technofix")["positives"].as_u64().unwrap(),
        positives + 1
    );
}

/// Replace the coders' files with `R01.csv` holding `rows`.
fn only_coder(study: &Path, rows: &str) {
    std::fs::remove_file(study.join("codings/R02.csv")).unwrap();
    std::fs::write(
        study.join("codings/R01.csv"),
        format!("segment,code,status,memo,anchor,start,end,quote\n{rows}"),
    )
    .unwrap();
}

fn rule_rows(study: &Path) -> usize {
    let (h, rows) = codings(study);
    let origin = col(&h, "origin");
    rows.iter()
        .filter(|r| r[origin].starts_with("rule:"))
        .count()
}

#[test]
fn a_coder_who_coded_everything_as_one_code_gives_no_model_and_clear_reasons() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let rules_before = rule_rows(s.path());
    // every participant turn of int-13 and int-14 coded as organisation
    let (code, out, err) = spor_run(
        s.path(),
        &[
            "export",
            "segments",
            "--format",
            "jsonl",
            "--roles",
            "participant",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let mut rows = String::new();
    for l in out.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        let d = v["document"].as_str().unwrap();
        if d == "int-13" || d == "int-14" {
            rows.push_str(&format!(
                "{},organisation,accepted,,\n",
                v["segment"].as_str().unwrap()
            ));
        }
    }
    rows.push_str("int-13,,done,,\nint-14,,done,,\n");
    only_coder(s.path(), &rows);
    let v = code_json(s.path());
    let org = report(&v, "organisation");
    assert!(
        org["skipped"]
            .as_str()
            .unwrap()
            .starts_with("no negative examples"),
        "{org}"
    );
    let tech = report(&v, "technofix");
    assert!(
        tech["skipped"]
            .as_str()
            .unwrap()
            .starts_with("no positive examples"),
        "{tech}"
    );
    assert!(
        v["learned"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["used"] == false)
    );
    let (h, rows) = codings(s.path());
    let origin = col(&h, "origin");
    assert!(!rows.iter().any(|r| r[origin].starts_with("model:")));
    assert_eq!(
        rule_rows(s.path()),
        rules_before,
        "the rules are not affected"
    );
}

#[test]
fn examples_in_one_document_give_no_model_and_say_why() {
    let s = sundtek();
    let r01 = std::fs::read_to_string(s.path().join("codings/R01.csv")).unwrap();
    let rows: String = r01
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("ws-05"))
        .map(|l| format!("{l}\n"))
        .collect();
    only_coder(s.path(), &rows);
    let v = code_json(s.path());
    let org = report(&v, "organisation");
    assert!(
        org["skipped"]
            .as_str()
            .unwrap()
            .contains("all in one document (ws-05)"),
        "{org}"
    );
    let (code, out, err) = spor_run(s.path(), &["codebook", "eval", "--coder", "R01"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("organisation: no model: its examples are all in one document"),
        "{out}"
    );
}

#[test]
fn the_report_and_the_manifest_show_the_learned_models_apart() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["run", "--lang", "en"]);
    assert!(code == 0 || code == 1, "{err}");
    let html = std::fs::read_to_string(s.path().join("out/report.html")).unwrap();
    let i = html.find("id=\"learned\"").expect("a learned section");
    let section = &html[i..i + html[i..].find("</section>").unwrap()];
    assert!(
        section.contains("Learned suggestions do not count until a coder accepts them"),
        "{section}"
    );
    assert!(section.contains("rule:organisation:+"), "{section}");
    assert!(section.contains("too few examples"), "{section}");
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path().join("out/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(m["learned"]["model_version"], spor_learn::MODEL_VERSION);
    assert_eq!(m["learned"]["training_hash"].as_str().unwrap().len(), 64);
    assert!(
        m["learned"]["codes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "organisation")
    );
}

#[test]
fn more_covered_documents_than_folds_are_grouped_and_one_fold_is_refused() {
    let s = sundtek();
    let toml = s.path().join("spor.toml");
    let orig = std::fs::read_to_string(&toml).unwrap();
    let cv = |v: &Value| -> Vec<(String, Value)> {
        v["learned"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["code"].as_str().unwrap().to_owned(), r["cv"].clone()))
            .collect()
    };
    // the example's coders covered 10 documents: the default (at most 10
    // folds) and 0 (always one document per fold) are the same folds
    let hash = || -> Value {
        let (code, _, err) = spor_run(s.path(), &["run"]);
        assert!(code == 0 || code == 1, "{err}");
        let m = std::fs::read_to_string(s.path().join("out/manifest.json")).unwrap();
        let m: Value = serde_json::from_str(&m).unwrap();
        m["learned"]["training_hash"].clone()
    };
    let default = code_json(s.path());
    let default_hash = hash();
    std::fs::write(&toml, format!("{orig}\n[learn]\nfolds = 0\n")).unwrap();
    let lodo = code_json(s.path());
    assert_eq!(cv(&default), cv(&lodo));
    assert!(default_hash.is_string());
    assert_ne!(
        default_hash,
        hash(),
        "the folds setting is part of the training hash"
    );
    // three folds of three or four documents: other models, other figures
    std::fs::write(&toml, format!("{orig}\n[learn]\nfolds = 3\n")).unwrap();
    let grouped = code_json(s.path());
    assert_ne!(cv(&default), cv(&grouped));
    assert!(
        grouped["learned"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["cv"]["f1"].is_number())
    );
    std::fs::write(&toml, format!("{orig}\n[learn]\nfolds = 1\n")).unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("folds = 1 leaves nothing to train on"),
        "{err}"
    );
}

#[test]
fn learned_suggestions_come_from_the_cache_per_document_until_a_document_changes() {
    let s = sundtek();
    let cache = s.path().join(".spor/cache/learned.json");
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let first = std::fs::read(s.path().join("out/codings.csv")).unwrap();
    assert!(cache.is_file(), "spor code keeps the learned suggestions");
    // nothing changed: the same bytes, from the cache
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read(s.path().join("out/codings.csv")).unwrap(),
        first
    );
    // Mark every cached row: rows read from the cache show the mark.
    let mut v: Value = serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
    let mut marked = 0;
    for (_, d) in v["documents"].as_object_mut().unwrap() {
        for r in d["rows"].as_array_mut().unwrap() {
            r["words"] = Value::from("marked:+1.00");
            marked += 1;
        }
    }
    assert!(marked > 0);
    std::fs::write(&cache, serde_json::to_vec(&v).unwrap()).unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let (h, rows) = codings(s.path());
    let (origin, words, doc) = (
        col(&h, "origin"),
        col(&h, "model_words"),
        col(&h, "document"),
    );
    let learned = || rows.iter().filter(|r| r[origin].starts_with("model:"));
    assert!(learned().all(|r| r[words] == "marked:+1.00"));
    // Change one participant turn of int-01: only int-01 is predicted again.
    let t = s.path().join("transcripts/int-01.txt");
    let text = std::fs::read_to_string(&t).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let last = lines
        .iter()
        .rposition(|l| l.starts_with("Anæstesisygeplejerske:"))
        .unwrap();
    let edited: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == last {
                format!("{l} Det glemte jeg at sige om natten.")
            } else {
                (*l).to_owned()
            }
        })
        .collect();
    std::fs::write(&t, edited.join("\n") + "\n").unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let (h, rows) = codings(s.path());
    let learned: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[origin].starts_with("model:"))
        .collect();
    assert!(learned.iter().any(|r| r[doc] == "int-01"));
    for r in &learned {
        assert_eq!(
            r[words] == "marked:+1.00",
            r[doc] != "int-01",
            "{r:?} ({h:?})"
        );
    }
    // Without the cache every row is predicted again: what the first run
    // wrote for the unchanged documents.
    std::fs::remove_file(&cache).unwrap();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let (_, fresh) = codings(s.path());
    let before: Vec<Vec<String>> = csv::Reader::from_reader(&first[..])
        .records()
        .map(|x| x.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let other = |rows: &[Vec<String>]| -> Vec<Vec<String>> {
        rows.iter()
            .filter(|r| r[origin].starts_with("model:") && r[doc] != "int-01")
            .cloned()
            .collect()
    };
    assert_eq!(other(&fresh), other(&before));
}
