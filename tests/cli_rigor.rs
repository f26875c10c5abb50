//! End-to-end tests of `spor agree` and `spor saturation` on the example
//! study (coders R01 and R02).

mod common;
use common::*;
use serde_json::Value;

fn agree_json(s: &std::path::Path, coders: &str) -> Value {
    let (code, out, err) = spor_run(s, &["agree", "--coders", coders, "--json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn two_coders_per_code() {
    let s = sundtek();
    let v = agree_json(s.path(), "R01,R02");
    let codes = v["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 15);
    for c in codes {
        for f in ["code", "n_units", "percent_agreement", "alpha", "kappa"] {
            assert!(c.get(f).is_some(), "{f}");
        }
    }
    let ctx = codes.iter().find(|c| c["code"] == "context").unwrap();
    // units: participant turns of the documents both coded (R02 coded 4)
    assert_eq!(v["documents"]["R02"].as_array().unwrap().len(), 4);
    assert!(ctx["n_units"].as_u64().unwrap() > 30);
    assert!(ctx["kappa"].is_number() && ctx["alpha"].is_number());
    assert!(v["overall"]["alpha"].as_f64().unwrap() > 0.5);
}

#[test]
fn three_coders_have_no_kappa_and_rules_count_as_a_coder() {
    let s = sundtek();
    let v = agree_json(s.path(), "R01,R02,rules");
    assert!(v["codes"][0]["kappa"].is_null());
    assert!(v["codes"][0]["alpha"].is_number() || v["codes"][0]["alpha"].is_null());
    let v = agree_json(s.path(), "rules,R01");
    let r = v["rules"].as_array().unwrap();
    let ctx = r.iter().find(|c| c["code"] == "context").unwrap();
    for f in ["precision", "recall", "f1", "missed", "extra"] {
        assert!(ctx.get(f).is_some(), "{f}");
    }
}

#[test]
fn disagreements_for_the_consensus_meeting() {
    let s = sundtek();
    let (code, out, _) = spor_run(
        s.path(),
        &[
            "agree",
            "--coders",
            "R01,R02",
            "--disagreements",
            "--format",
            "md",
        ],
    );
    assert_eq!(code, 0);
    assert!(out.starts_with("# Intercoder agreement: R01, R02"), "{out}");
    assert!(out.contains("## Disagreements ("), "{out}");
    assert!(out.contains("disputed: "), "{out}");
    let (code, out, _) = spor_run(s.path(), &["agree", "--coders", "R01,R02"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("alpha >= 0.800 reliable, 0.667-0.800 tentative"),
        "{out}"
    );
}

#[test]
fn coded_documents_are_explicit() {
    let s = sundtek();
    let before = agree_json(s.path(), "R01,R02");
    let m = s.path().join("spor.toml");
    let t = std::fs::read_to_string(&m).unwrap() + "\n[coders.R02]\ndocuments = [\"int-15\"]\n";
    std::fs::write(&m, t).unwrap();
    let after = agree_json(s.path(), "R01,R02");
    assert_eq!(after["documents"]["R02"].as_array().unwrap().len(), 5);
    assert!(after["codes"][0]["n_units"].as_u64() > before["codes"][0]["n_units"].as_u64());
    let (code, _, err) = spor_run(s.path(), &["agree", "--coders", "R01,nobody"]);
    assert_eq!(code, 2);
    assert!(err.contains("no coder \"nobody\""), "{err}");
    let (code, _, _) = spor_run(s.path(), &["agree", "--coders", "R01"]);
    assert_eq!(code, 2);
}

#[test]
fn saturation_table_json_svg_and_by_group() {
    let s = sundtek();
    let svg = s.path().join("sat.svg");
    let (code, out, err) = spor_run(
        s.path(),
        &["saturation", "--json", "--svg", svg.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let g = &v["groups"][0];
    let docs = g["curve"]["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 25);
    assert_eq!(docs[0]["document"], "int-01", "date order");
    let last = docs.last().unwrap()["cumulative"].as_u64().unwrap();
    assert!(last >= 14);
    assert!(g["sensitivity"].as_array().unwrap().len() == 12);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("Code saturation"));
    let (code, out, _) = spor_run(s.path(), &["saturation", "--by", "profession"]);
    assert_eq!(code, 0);
    assert!(out.contains("== sygeplejerske =="), "{out}");
    assert!(out.contains("saturation: "), "{out}");
    let (code, _, err) = spor_run(s.path(), &["saturation", "--order", "nosuch"]);
    assert_eq!(code, 2);
    assert!(err.contains("no column \"nosuch\""), "{err}");
}

#[test]
fn run_adds_agreement_and_saturation() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 0, "{err}");
    for f in [
        "agreement.json",
        "agreement.md",
        "saturation.json",
        "saturation.txt",
        "saturation.svg",
    ] {
        assert!(s.path().join("out").join(f).is_file(), "{f}");
    }
}
