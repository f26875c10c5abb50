//! Helpers for `cli_import.rs`: running spor in a folder, reading its
//! outputs, the REFI-QDA samples, and a hand-made project.
#![allow(dead_code)]

use super::common::{root, run};
use assert_cmd::Command;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `spor ARGS...` run in `dir`: exit code, stdout, stderr.
pub fn spor_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut c = Command::cargo_bin("spor").unwrap();
    c.current_dir(dir).args(args);
    run(c)
}

/// Import `file` into `dir/into` and return the JSON summary.
pub fn import(dir: &Path, file: &Path, into: &str) -> Value {
    let (code, out, err) = spor_in(
        dir,
        &[
            "import",
            "qdpx",
            file.to_str().unwrap(),
            "--into",
            into,
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

pub fn sorted_lines(p: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_to_string(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .lines()
        .map(str::to_owned)
        .collect();
    v.sort();
    v
}

pub fn csv_rows(p: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(p).unwrap();
    r.deserialize().map(|x| x.unwrap()).collect()
}

/// The REFI-QDA samples, or `None` (skipped) when ../shared is absent.
pub fn samples() -> Option<PathBuf> {
    let p = root().join("../shared/data/refi-qda/samples");
    if p.is_dir() {
        return Some(p);
    }
    assert!(
        std::env::var("SPOR_REQUIRE_SAMPLES").is_err(),
        "the REFI-QDA samples in ../shared/data/refi-qda are required"
    );
    eprintln!("skipped: ../shared/data/refi-qda is absent");
    None
}

/// A zip archive of `entries`.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (n, b) in entries {
        w.start_file(*n, o).unwrap();
        w.write_all(b).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Character offset of the `n`th occurrence of `needle` in `text`.
pub fn at(text: &str, needle: &str) -> usize {
    let b = text.find(needle).unwrap_or_else(|| panic!("{needle}"));
    text[..b].chars().count()
}

pub const INTERVIEW: &str = "Interview 1, 12. marts 2024\r\nInterviewer: Hvordan gik oplæringen?\r\nAnna: Vi fik en time. Det var for lidt.\r\nInterviewer: Og arbejdsgangene?\r\nAnna: De passede ikke til natten.\r\n";

/// A project as MAXQDA or ATLAS.ti might write it: `Name.qde` with a BOM,
/// `Sources/`, GUIDs in capitals and braces, a case with variables, a
/// non-ISO date, an inline text without labels, a PDF, and selections
/// across turns, past the end and outside every turn.
pub fn hand_made() -> Vec<u8> {
    let t = INTERVIEW;
    let len = t.chars().count();
    let sel = |g: &str, s: usize, e: usize, code: &str| {
        format!(
            r#"<PlainTextSelection guid="{g}" startPosition="{s}" endPosition="{e}"><Coding guid="{g}0" creatingUser="{{AAAAAAAA-0000-0000-0000-000000000001}}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>"#
        )
    };
    let sels = [
        sel("S1", at(t, "Vi fik"), at(t, " Det var"), "C2"),
        sel("S2", at(t, "Det var"), at(t, "\r\nAnna: De"), "C3"),
        sel("S3", len + 10, len + 20, "C2"),
        sel("S4", at(t, "natten"), len + 99, "C3"),
        sel("S5", 0, 9, "C2"),
    ]
    .join("");
    let notes = "Første afsnit.\n\nAndet afsnit om arbejdsgange.\n";
    let qde = format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Handmade" origin="MAXQDA 24">
<Users><User guid="{{AAAAAAAA-0000-0000-0000-000000000001}}" name="Anne Hansen" id="AH"/></Users>
<CodeBook><Codes><Code guid="C1" name="Temaer" isCodable="false"><Code guid="C2" name="Oplæring" isCodable="true" color="#ABC"/><Code guid="C3" name="Arbejdsgange" isCodable="true"/></Code></Codes></CodeBook>
<Variables><Variable guid="V1" name="profession" typeOfVariable="Text"/><Variable guid="V2" name="years" typeOfVariable="Integer"/><Variable guid="V3" name="date" typeOfVariable="Text"/><Variable guid="V4" name="afdeling" typeOfVariable="Text"/></Variables>
<Cases><Case guid="K1" name="Anna"><VariableValue><VariableRef targetGUID="v1"/><TextValue>sygeplejerske</TextValue></VariableValue><VariableValue><VariableRef targetGUID="V2"/><IntegerValue>12</IntegerValue></VariableValue><SourceRef targetGUID="{{B1000000-0000-0000-0000-000000000001}}"/></Case></Cases>
<Sources>
<TextSource guid="{{B1000000-0000-0000-0000-000000000001}}" name="Interview 1" plainTextPath="internal://b1000000-0000-0000-0000-000000000001.txt">{sels}<VariableValue><VariableRef targetGUID="V3"/><TextValue>12-03-2024</TextValue></VariableValue><VariableValue><VariableRef targetGUID="V4"/><TextValue>Kirurgi</TextValue></VariableValue></TextSource>
<TextSource guid="B2" name="Noter"><PlainTextContent>{notes}</PlainTextContent>{}</TextSource>
<PDFSource guid="P1" name="Rapport" path="internal://p1.pdf"><PDFSelection guid="Q1" page="1" firstX="0" firstY="0" secondX="9" secondY="9"><Coding guid="Q10"><CodeRef targetGUID="C2"/></Coding></PDFSelection></PDFSource>
</Sources>
<Sets><Set guid="Z1" name="Alle"><MemberCode targetGUID="C2"/></Set></Sets>
</Project>"##,
        sel("N1", at(notes, "Andet"), at(notes, " om"), "C3")
    );
    let mut qde_bytes = b"\xEF\xBB\xBF".to_vec();
    qde_bytes.extend_from_slice(qde.as_bytes());
    let mut txt = b"\xEF\xBB\xBF".to_vec();
    txt.extend_from_slice(t.as_bytes());
    zip_of(&[
        ("Handmade.qde", &qde_bytes),
        ("Sources/B1000000-0000-0000-0000-000000000001.txt", &txt),
        ("Sources/.root", b""),
    ])
}

/// Import `bytes` as `name` and expect exit 2 with every `needles` in the
/// error, and no study folder (or temporary folder) left behind.
pub fn refused(name: &str, bytes: &[u8], needles: &[&str]) {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join(name), bytes).unwrap();
    let (code, out, err) = spor_in(t.path(), &["import", "qdpx", name, "--into", "study"]);
    assert_eq!(code, 2, "{name}: {out}{err}");
    assert!(err.starts_with("error: "), "{err}");
    for n in needles {
        assert!(err.contains(n), "{name}: {n:?} not in {err}");
    }
    let left: Vec<_> = std::fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, [name], "{name}: nothing but the input is left");
}
