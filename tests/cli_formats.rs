//! Word and subtitle versions of an example transcript read to the same
//! turns as its .txt; broken archives get clear errors.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn turns(study: &Path, doc: &str) -> Vec<(String, String)> {
    let (code, out, err) = spor_run(study, &["export", "segments", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Vec<Value> = serde_json::from_str(&out).unwrap();
    v.iter()
        .filter(|s| s["document"] == doc)
        .map(|s| {
            let words: Vec<&str> = s["text"].as_str().unwrap().split_whitespace().collect();
            (s["speaker"].as_str().unwrap().to_owned(), words.join(" "))
        })
        .collect()
}

fn use_file(study: &Path, name: &str) {
    std::fs::copy(
        root().join("tests/data").join(name),
        study.join("transcripts").join(name),
    )
    .unwrap();
    edit(
        study,
        "documents.csv",
        "transcripts/int-04.txt",
        &format!("transcripts/{name}"),
    );
}

#[test]
fn docx_reads_to_the_same_turns_as_txt() {
    let s = sundtek();
    let want = turns(s.path(), "int-04");
    assert_eq!(want.len(), 22);
    use_file(s.path(), "int-04.docx");
    let (code, out, err) = spor_run(s.path(), &["check", "--strict", "--verbose"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("transcripts/int-04.docx: note: read as docx"),
        "{out}"
    );
    assert_eq!(turns(s.path(), "int-04"), want);
}

#[test]
fn vtt_reads_to_the_same_turns_as_txt_with_times() {
    let s = sundtek();
    let want = turns(s.path(), "int-04");
    use_file(s.path(), "int-04.vtt");
    assert_eq!(turns(s.path(), "int-04"), want);
    let (_, out, _) = spor_run(s.path(), &["export", "segments", "--format", "json"]);
    let v: Vec<Value> = serde_json::from_str(&out).unwrap();
    let seg = v.iter().find(|x| x["segment"] == "int-04#2").unwrap();
    assert_eq!(seg["start_seconds"], 5);
    assert!(seg["end_seconds"].as_u64().unwrap() > 5);
    assert_eq!(seg["timestamp"], "00:00:05");
}

#[test]
fn broken_archives_and_empty_documents() {
    let s = sundtek();
    let docx = std::fs::read(root().join("tests/data/int-04.docx")).unwrap();
    // truncated zip
    std::fs::write(
        s.path().join("transcripts/int-04.docx"),
        &docx[..docx.len() / 2],
    )
    .unwrap();
    edit(
        s.path(),
        "documents.csv",
        "transcripts/int-04.txt",
        "transcripts/int-04.docx",
    );
    let (code, out, _) = spor_run(s.path(), &["check"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("transcripts/int-04.docx: error: not a readable .docx (zip)"),
        "{out}"
    );
    // a docx without paragraphs
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    use std::io::Write;
    w.write_all(b"<w:document xmlns:w=\"x\"><w:body></w:body></w:document>")
        .unwrap();
    std::fs::write(
        s.path().join("transcripts/int-04.docx"),
        w.finish().unwrap().into_inner(),
    )
    .unwrap();
    let (code, out, _) = spor_run(s.path(), &["check"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("the .docx has no paragraphs with text"),
        "{out}"
    );
    // a zip bomb: 50 MB of zeros
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(&vec![b' '; 50_000_000]).unwrap();
    std::fs::write(
        s.path().join("transcripts/int-04.docx"),
        w.finish().unwrap().into_inner(),
    )
    .unwrap();
    let (code, out, _) = spor_run(s.path(), &["check"]);
    assert_eq!(code, 1);
    assert!(out.contains("exceeds spor's limits (zip bomb?)"), "{out}");
}

#[test]
fn xml_entities_are_never_resolved() {
    let s = sundtek();
    let xml = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>Radiograf: hej &xxe; &amp; farvel</w:t></w:r></w:p></w:body></w:document>";
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    use std::io::Write;
    w.write_all(xml.as_bytes()).unwrap();
    std::fs::write(
        s.path().join("transcripts/int-04.docx"),
        w.finish().unwrap().into_inner(),
    )
    .unwrap();
    edit(
        s.path(),
        "documents.csv",
        "transcripts/int-04.txt",
        "transcripts/int-04.docx",
    );
    let t = turns(s.path(), "int-04");
    assert_eq!(t, vec![("Radiograf".to_owned(), "hej & farvel".to_owned())]);
}

#[test]
fn danish_excel_dialect_on_every_csv_output() {
    let s = sundtek();
    let (code, out, _) = spor_run(
        s.path(),
        &["--csv-dialect", "excel-da", "matrix", "--format", "csv"],
    );
    assert_eq!(code, 0);
    assert!(
        out.starts_with("\u{feff}code;profession;segments;"),
        "{out}"
    );
    let line = out.lines().nth(1).unwrap();
    assert!(
        line.split(';')
            .any(|f| f.contains(',') && f.chars().all(|c| c.is_ascii_digit() || c == ',')),
        "{line}"
    );
    // from spor.toml, for spor run
    let m = s.path().join("spor.toml");
    std::fs::write(
        &m,
        std::fs::read_to_string(&m).unwrap() + "\n[output]\ncsv_dialect = \"excel-da\"\n",
    )
    .unwrap();
    let (code, _, err) = spor_run(s.path(), &["run"]);
    assert_eq!(code, 0, "{err}");
    for f in [
        "codings.csv",
        "translation.csv",
        "matrix-profession.csv",
        "cooccurrence.csv",
    ] {
        let b = std::fs::read(s.path().join("out").join(f)).unwrap();
        assert!(b.starts_with(b"\xEF\xBB\xBF") && b.contains(&b';'), "{f}");
    }
    let (code, out, _) = spor_run(s.path(), &["export", "segments", "--format", "csv"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("\u{feff}segment;document;turn;"),
        "{}",
        &out[..50]
    );
    let (code, _, err) = spor_run(s.path(), &["--csv-dialect", "excel", "matrix"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown CSV dialect"), "{err}");
}

fn xmllint(schema: &Path, file: &Path) -> Option<(bool, String)> {
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .arg(file)
        .output();
    match out {
        Ok(o) => Some((
            o.status.success(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )),
        Err(_) => {
            assert!(
                std::env::var("SPOR_REQUIRE_XMLLINT").is_err(),
                "xmllint is required"
            );
            eprintln!("skipped: xmllint is not installed");
            None
        }
    }
}

#[test]
fn qdpx_and_qdc_export_validate_and_are_reproducible() {
    let s = sundtek();
    let a = s.path().join("a.qdpx");
    let b = s.path().join("b.qdpx");
    for f in [&a, &b] {
        let (code, _, err) = spor_run(s.path(), &["export", "qdpx", "-o", f.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        "byte-identical"
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&a).unwrap()).unwrap();
    let mut qde = String::new();
    use std::io::Read;
    zip.by_name("project.qde")
        .unwrap()
        .read_to_string(&mut qde)
        .unwrap();
    assert!(qde.contains("<Project") && qde.contains("urn:QDA-XML:project:1.0"));
    assert!(qde.contains("<Case ") && qde.contains("name=\"P01\""));
    assert!(!qde.contains("\"Mette\""), "no speaker labels as names");
    assert_eq!(zip.len(), 26, "project.qde and 25 sources");
    let qdc = s.path().join("c.qdc");
    let (code, _, _) = spor_run(s.path(), &["export", "qdc", "-o", qdc.to_str().unwrap()]);
    assert_eq!(code, 0);
    let shared = root().join("../shared/data/refi-qda");
    if !shared.is_dir() {
        eprintln!("skipped: ../shared/data/refi-qda is absent");
        return;
    }
    let qde_file = s.path().join("project.qde");
    std::fs::write(&qde_file, &qde).unwrap();
    if let Some((ok, msg)) = xmllint(&shared.join("Project.xsd"), &qde_file) {
        assert!(ok, "{msg}");
    }
    if let Some((ok, msg)) = xmllint(&shared.join("Codebook.xsd"), &qdc) {
        assert!(ok, "{msg}");
    }
}
