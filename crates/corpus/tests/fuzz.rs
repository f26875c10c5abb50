//! Fuzzing every reader of the corpus crate with arbitrary input: no panic,
//! and bounded time per input. `PROPTEST_CASES` scales the number of cases
//! (default 64, so that CI stays fast).

use proptest::prelude::*;
use spor_corpus::sheet::Sheet;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

/// Per input, far above what any of these takes on a few kilobytes.
const BOUND: Duration = Duration::from_secs(5);

/// Text made of the pieces that matter to the readers (labels, colons,
/// timestamps, line ends, cue arrows, quotes, delimiters, BOMs) and
/// arbitrary characters.
fn texty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("I: ".to_owned()),
        Just("P: ".to_owned()),
        Just("**P:** ".to_owned()),
        Just("[00:01:15] ".to_owned()),
        Just("00:00:01.000 --> 00:00:02.000\n".to_owned()),
        Just("WEBVTT\n\n".to_owned()),
        Just("<v P>".to_owned()),
        Just("NOTE x\n".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just(",".to_owned()),
        Just(";".to_owned()),
        Just("\"".to_owned()),
        Just("#".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("æøå ".to_owned()),
        Just("1\n".to_owned()),
        any::<char>().prop_map(String::from),
        "[a-zA-Z ]{0,8}",
    ];
    prop::collection::vec(piece, 0..200).prop_map(|v| v.concat())
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..4096)
}

fn labels() -> Vec<String> {
    vec!["I".to_owned(), "P".to_owned()]
}

fn docx(xml: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    w.write_all(xml).unwrap();
    w.finish().unwrap().into_inner()
}

/// Decode and parse as a text transcript.
fn transcript(bytes: &[u8]) {
    let p = Path::new("t.txt");
    if let Ok(d) = spor_corpus::decode::decode(bytes, p) {
        let _ = spor_corpus::transcript::parse(&d.text, &labels(), &BTreeSet::new(), p);
    }
}

fn subtitles(text: &str) {
    let _ = spor_corpus::subtitle::parse(text, true, &labels(), Path::new("t.vtt"));
    let _ = spor_corpus::subtitle::parse(text, false, &labels(), Path::new("t.srt"));
}

fn sheet(bytes: &[u8]) {
    let p = Path::new("s.csv");
    if let Ok(d) = spor_corpus::decode::decode(bytes, p)
        && let Ok(s) = Sheet::parse(&d.text, p)
    {
        let _ = s.require(p, &["document", "file"]);
        let _ = s.typed_extras(&["document"]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn transcripts_from_arbitrary_bytes(b in bytes()) {
        let t = Instant::now();
        transcript(&b);
        prop_assert!(t.elapsed() < BOUND);
    }

    #[test]
    fn transcripts_from_transcript_like_text(s in texty()) {
        let t = Instant::now();
        transcript(s.as_bytes());
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        transcript(&utf16);
        prop_assert!(t.elapsed() < BOUND);
    }

    #[test]
    fn subtitles_from_arbitrary_text(s in texty(), b in bytes()) {
        let t = Instant::now();
        subtitles(&s);
        subtitles(&String::from_utf8_lossy(&b));
        prop_assert!(t.elapsed() < BOUND);
    }

    #[test]
    fn sheets_from_arbitrary_input(s in texty(), b in bytes()) {
        let t = Instant::now();
        sheet(s.as_bytes());
        sheet(&b);
        sheet(format!("document,file,kind\n{s}").as_bytes());
        prop_assert!(t.elapsed() < BOUND);
    }

    #[test]
    fn docx_from_arbitrary_bytes_and_xml(b in bytes(), s in texty()) {
        let t = Instant::now();
        let p = Path::new("t.docx");
        let _ = spor_corpus::docx::to_text(&b, &labels(), p);
        let _ = spor_corpus::docx::to_text(&docx(&b), &labels(), p);
        let xml = format!(
            "<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>{s}</w:t></w:r></w:p>{s}</w:body></w:document>"
        );
        let _ = spor_corpus::docx::to_text(&docx(xml.as_bytes()), &labels(), p);
        prop_assert!(t.elapsed() < BOUND);
    }
}
