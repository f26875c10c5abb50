//! Fuzzing the REFI-QDA readers (`.qdpx` archives, the project XML, `.qdc`
//! codebooks) with arbitrary input: no panic, and bounded time per input.
//! `PROPTEST_CASES` scales the number of cases (default 64).

use proptest::prelude::*;
use spor_import::archive::{Archive, Limits};
use std::io::Write;
use std::time::{Duration, Instant};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

const BOUND: Duration = Duration::from_secs(5);

/// XML-ish text: the project's elements and attributes, markup characters,
/// entities, and arbitrary characters.
fn xmlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<Project xmlns=\"urn:QDA-XML:project:1.0\" origin=\"NVivo\">".to_owned()),
        Just("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">".to_owned()),
        Just("<Codes>".to_owned()),
        Just("<Code guid=\"{A}\" name=\"x\" isCodable=\"true\">".to_owned()),
        Just("</Code>".to_owned()),
        Just("<Sources>".to_owned()),
        Just("<TextSource guid=\"b\" name=\"d\" plainTextPath=\"internal://b.txt\">".to_owned()),
        Just("<PlainTextContent>I: hej</PlainTextContent>".to_owned()),
        Just("<PlainTextSelection guid=\"c\" startPosition=\"0\" endPosition=\"3\">".to_owned()),
        Just("<Coding guid=\"e\"><CodeRef targetGUID=\"{A}\"/></Coding>".to_owned()),
        Just("<Users><User guid=\"u\" name=\"R\"/></Users>".to_owned()),
        Just("</TextSource>".to_owned()),
        Just("</Project>".to_owned()),
        Just("<!DOCTYPE x>".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#x1F600;".to_owned()),
        Just("&x;".to_owned()),
        Just("<![CDATA[x]]>".to_owned()),
        Just("\"".to_owned()),
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just("/>".to_owned()),
        any::<char>().prop_map(String::from),
        "[a-zA-Z =]{0,8}",
    ];
    prop::collection::vec(piece, 0..120).prop_map(|v| v.concat())
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..4096)
}

fn project_xml(text: &[u8]) {
    if let Ok(t) = spor_import::xml::decode(text)
        && let Ok(root) = spor_import::xml::parse(&t)
    {
        let _ = spor_import::project::Project::from_xml(&root);
    }
}

/// A `.qdpx` holding `qde` as its project and `txt` as a source; read as
/// the import reads it.
fn qdpx(qde: &[u8], txt: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.qdpx");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let o = zip::write::SimpleFileOptions::default();
    w.start_file("project.qde", o).unwrap();
    w.write_all(qde).unwrap();
    w.start_file("sources/b.txt", o).unwrap();
    w.write_all(txt).unwrap();
    w.finish().unwrap();
    if let Ok(mut a) = Archive::open(&path, Limits::default()) {
        let _ = spor_import::study::read_project(&mut a);
        let _ = a.find_source("internal://b.txt").map(|e| a.read(&e));
    }
}

fn qdc(text: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.qdc");
    std::fs::write(&path, text).unwrap();
    let _ = spor_import::qdc::read(&path);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn project_xml_from_arbitrary_input(s in xmlish(), b in bytes()) {
        let t = Instant::now();
        project_xml(s.as_bytes());
        project_xml(&b);
        prop_assert!(t.elapsed() < BOUND);
    }

    #[test]
    fn qdpx_archives_from_arbitrary_input(s in xmlish(), b in bytes()) {
        let t = Instant::now();
        qdpx(s.as_bytes(), &b);
        // arbitrary bytes as the archive itself
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.qdpx");
        std::fs::write(&p, &b).unwrap();
        if let Ok(mut a) = Archive::open(&p, Limits::default()) {
            let _ = spor_import::study::read_project(&mut a);
        }
        prop_assert!(t.elapsed() < BOUND);
    }

    #[test]
    fn qdc_from_arbitrary_input(s in xmlish(), b in bytes()) {
        let t = Instant::now();
        qdc(s.as_bytes());
        qdc(&b);
        prop_assert!(t.elapsed() < BOUND);
    }
}
