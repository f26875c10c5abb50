//! One CLI convention: completions and a man page from the clap
//! definitions, `--json` where a command has JSON, and errors as JSON on
//! stderr when JSON was asked for.

mod common;
use common::*;

#[test]
fn completions_and_man_page_come_from_the_definitions() {
    let s = sundtek();
    let (code, out, err) = spor_run(s.path(), &["completions", "bash"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("_spor()") && out.contains("saturation"),
        "{out}"
    );
    let (code, out, _) = spor_run(s.path(), &["completions", "fish"]);
    assert_eq!(code, 0);
    assert!(out.contains("complete -c spor"));
    let (code, out, _) = spor_run(s.path(), &["man"]);
    assert_eq!(code, 0);
    assert!(out.contains(".TH spor 1") && out.contains("audit"), "{out}");
}

#[test]
fn json_flag_on_tables_and_errors_as_json() {
    let s = sundtek();
    let (code, out, err) = spor_run(s.path(), &["export", "translation", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(!v.as_array().unwrap().is_empty());
    let (code, out, err) = spor_run(s.path(), &["matrix", "--json"]);
    assert_eq!(code, 0, "{err}");
    let _: serde_json::Value = serde_json::from_str(&out).unwrap();
    // an error with --json is one JSON object on stderr
    let (code, out, err) = spor_run(&s.path().join("nosuch"), &["audit", "--json"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    let v: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
    assert!(v["error"].as_str().unwrap().contains("nosuch"), "{v}");
    assert_eq!(v["spor_version"], env!("CARGO_PKG_VERSION"));
    // without --json, the usual text
    let (_, _, err) = spor_run(&s.path().join("nosuch"), &["audit"]);
    assert!(err.starts_with("error: "), "{err}");
}

#[test]
fn every_json_report_is_an_object_with_the_version() {
    let s = sundtek();
    for args in [
        &["check", "--json"][..],
        &["stats", "--json"],
        &["index", "--json"],
        &["code", "--json"],
        &["search", "teknologi", "--count", "--json"],
        &["agree", "--coders", "R01,R02", "--json"],
        &["saturation", "--json"],
        &["codebook", "test", "--json"],
        &["codebook", "eval", "--coder", "R01", "--json"],
        &["audit", "--json"],
    ] {
        let (code, out, err) = spor_run(s.path(), args);
        assert!(code == 0 || code == 1, "{args:?}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"));
        assert!(v.is_object(), "{args:?}: {out}");
        assert_eq!(v["spor_version"], env!("CARGO_PKG_VERSION"), "{args:?}");
    }
}
