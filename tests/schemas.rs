//! spor's outputs and the example study's files validate against the JSON
//! Schemas in corpus-schema/.

mod common;
use common::*;
use serde_json::{Map, Value};

fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("corpus-schema").join(name)).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&v).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn assert_valid(v: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = v.iter_errors(instance).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{what}: {errors:?}\n{instance}");
}

fn csv_rows(path: &std::path::Path) -> Vec<Value> {
    // flexible: a coder's row may stop before trailing passage columns
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    let h = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let m: Map<String, Value> = h
                .iter()
                .zip(rec.iter())
                .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
                .collect();
            Value::Object(m)
        })
        .collect()
}

#[test]
fn segments_export_validates() {
    let s = sundtek();
    let (code, out, err) = spor_run(s.path(), &["export", "segments", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let seg = schema("segment.schema.json");
    for item in v.as_array().unwrap() {
        assert_valid(&seg, item, "segment");
    }
    // a segment with a missing field is rejected
    let mut bad = v[0].clone();
    bad.as_object_mut().unwrap().remove("char_end");
    assert!(!seg.is_valid(&bad));
}

#[test]
fn example_sheets_validate() {
    let docs = schema("document-row.schema.json");
    for row in csv_rows(&root().join("examples/sundtek/documents.csv")) {
        assert_valid(&docs, &row, "documents.csv");
    }
    let parts = schema("participant-row.schema.json");
    for row in csv_rows(&root().join("examples/sundtek/participants.csv")) {
        assert_valid(&parts, &row, "participants.csv");
    }
    let mut bad = csv_rows(&root().join("examples/sundtek/participants.csv"))[0].clone();
    bad["role"] = Value::String("boss".into());
    assert!(!parts.is_valid(&bad));
}

#[test]
fn coding_row_schemas_accept_and_reject() {
    let coder = schema("coder-coding-row.schema.json");
    let ok = serde_json::json!({"segment": "int-07#12", "code": "technofix", "status": "", "memo": "tydeligt"});
    assert_valid(&coder, &ok, "coder row");
    assert!(!coder.is_valid(&serde_json::json!({"segment": "int-07", "code": "x"})));
    for ok in [
        serde_json::json!({"segment": "int-07", "code": "", "status": "done"}),
        serde_json::json!({"segment": "int-07", "code": "", "status": "memo", "memo": "m"}),
        serde_json::json!({"segment": "", "code": "technofix", "status": "memo", "memo": "m"}),
        serde_json::json!({"segment": "int-07#2", "code": "x", "status": "accepted", "anchor": "0123456789abcdef"}),
        serde_json::json!({"segment": "int-07#2", "code": "x", "status": "accepted", "start": "3", "end": "12", "quote": "vi prøvede"}),
    ] {
        assert_valid(&coder, &ok, "coder row");
    }
    for bad in [
        serde_json::json!({"segment": "", "code": "", "status": "memo", "memo": "m"}),
        serde_json::json!({"segment": "int-07#2", "code": "x", "status": "done"}),
        serde_json::json!({"segment": "int-07#2", "code": "x", "anchor": "xyz"}),
        serde_json::json!({"segment": "int-07#2", "code": "x", "start": "-3", "end": "12", "quote": "q"}),
    ] {
        assert!(!coder.is_valid(&bad), "{bad}");
    }
    let out = schema("coding-row.schema.json");
    let ok = serde_json::json!({"segment": "int-07#12", "document": "int-07", "turn": "12", "speaker": "Underviser",
        "participant": "P07", "profession": "underviser", "code": "technofix", "origin": "rule:technofix-1", "status": "suggested"});
    assert_valid(&out, &ok, "out/codings row");
    let mut bad = ok.clone();
    bad["origin"] = Value::String("magic".into());
    assert!(!out.is_valid(&bad));
}

#[test]
fn shipped_codebooks_validate() {
    let v = schema("codebook.schema.json");
    for name in ["sundtek-cues.toml", "mtv-domains.toml"] {
        let text = std::fs::read_to_string(root().join("codebooks").join(name)).unwrap();
        let t: toml::Value = toml::from_str(&text).unwrap();
        let j = serde_json::to_value(t).unwrap();
        assert_valid(&v, &j, name);
    }
}

#[test]
fn codings_output_validates() {
    let s = sundtek();
    let (code, _, err) = spor_run(s.path(), &["code"]);
    assert_eq!(code, 0, "{err}");
    let v = schema("coding-row.schema.json");
    let rows = csv_rows(&s.path().join("out/codings.csv"));
    assert!(rows.len() > 100);
    for r in &rows {
        assert_valid(&v, r, "out/codings.csv");
    }
    let coder = schema("coder-coding-row.schema.json");
    for r in csv_rows(&root().join("examples/sundtek/codings/R01.csv")) {
        assert_valid(&coder, &r, "codings/R01.csv");
    }
}

#[test]
fn example_curriculum_validates() {
    let v = schema("curriculum.schema.json");
    let text = std::fs::read_to_string(root().join("examples/sundtek/curriculum.toml")).unwrap();
    let t: toml::Value = toml::from_str(&text).unwrap();
    assert_valid(&v, &serde_json::to_value(t).unwrap(), "curriculum.toml");
    let t: toml::Value =
        toml::from_str(&text.replacen("kind = \"viden\"", "kind = \"evner\"", 1)).unwrap();
    assert!(!v.is_valid(&serde_json::to_value(t).unwrap()));
}
