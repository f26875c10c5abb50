//! Broken copies of the example study: every malformed input gets a message
//! naming the file and line and a non-zero exit, never a panic.

mod common;
use common::*;
use std::path::Path;

/// `spor check` on the study: exit code and stdout+stderr.
fn check(study: &Path) -> (i32, String) {
    let (code, out, err) = spor_run(study, &["check"]);
    assert!(!err.contains("panicked"), "{err}");
    (code, out + &err)
}

/// Other commands refuse a broken study with exit 2 and list its errors.
fn stats_refuses(study: &Path, needle: &str) {
    let (code, _, err) = spor_run(study, &["stats"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(needle), "{err}");
    assert!(err.contains("error: the study has"), "{err}");
}

#[test]
fn unknown_speaker_label() {
    let s = sundtek();
    edit(s.path(), "transcripts/int-02.txt", "\nS: ", "\nR: ");
    let (code, out) = check(s.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("transcripts/int-02.txt:") && out.contains(": error: unknown speaker \"R\""),
        "{out}"
    );
    assert!(out.contains("hint: declare \"R\""), "{out}");
    stats_refuses(s.path(), "unknown speaker \"R\"");
}

#[test]
fn label_like_line_is_a_warning() {
    let s = sundtek();
    edit(
        s.path(),
        "transcripts/int-01.txt",
        "\nInterviewer: ",
        "\nBemærkning: noget\nInterviewer: ",
    );
    let (code, out) = check(s.path());
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning: line starts like a speaker label, but \"Bemærkning\""),
        "{out}"
    );
    let mut c = spor(s.path());
    c.args(["check", "--strict"]);
    assert_eq!(run(c).0, 1);
}

#[test]
fn invalid_bytes_in_utf8_file() {
    let s = sundtek();
    let p = s.path().join("transcripts/int-04.txt");
    let mut b = std::fs::read(&p).unwrap();
    let lines = b.iter().filter(|&&x| x == b'\n').count();
    b.extend_from_slice(b"Radiograf: det var s\xE5dan\n");
    std::fs::write(&p, b).unwrap();
    let (code, out) = check(s.path());
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!(
            "transcripts/int-04.txt:{}: error: invalid UTF-8 byte 0xE5",
            lines + 1
        )),
        "{out}"
    );
    stats_refuses(s.path(), "transcripts/int-04.txt");
}

#[test]
fn truncated_files() {
    let s = sundtek();
    // UTF-16 cut in the middle of a code unit
    let p = s.path().join("transcripts/int-19.txt");
    let b = std::fs::read(&p).unwrap();
    std::fs::write(&p, &b[..b.len() - 1]).unwrap();
    // UTF-8 cut in the middle of "ø"
    let p = s.path().join("transcripts/int-06.txt");
    let b = std::fs::read(&p).unwrap();
    let pos = b.windows(2).rposition(|w| w == "ø".as_bytes()).unwrap();
    std::fs::write(&p, &b[..pos + 1]).unwrap();
    let (code, out) = check(s.path());
    assert_eq!(code, 1);
    assert!(
        out.contains("transcripts/int-19.txt:") && out.contains("odd number of bytes (truncated?)"),
        "{out}"
    );
    assert!(
        out.contains("transcripts/int-06.txt:")
            && out.contains("ends in the middle of a UTF-8 character"),
        "{out}"
    );
}

#[test]
fn empty_transcript_and_missing_file() {
    let s = sundtek();
    std::fs::write(s.path().join("transcripts/int-13.txt"), "\n\n  \n").unwrap();
    std::fs::remove_file(s.path().join("transcripts/int-17.txt")).unwrap();
    let (code, out) = check(s.path());
    assert_eq!(code, 1);
    assert!(
        out.contains("transcripts/int-13.txt:1: error: transcript is empty"),
        "{out}"
    );
    assert!(
        out.contains(
            "documents.csv:18: error: transcript file \"transcripts/int-17.txt\" not found"
        ),
        "{out}"
    );
}

#[test]
fn csv_missing_column() {
    let s = sundtek();
    let p = s.path().join("documents.csv");
    let t = std::fs::read_to_string(&p).unwrap();
    let t: String = t
        .lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split(',').collect();
            f.remove(2);
            f.join(",") + "\n"
        })
        .collect();
    std::fs::write(&p, t).unwrap();
    let (code, out) = check(s.path());
    assert_eq!(code, 2);
    assert!(
        out.contains("error: documents.csv:1: missing column(s): kind"),
        "{out}"
    );
    assert!(
        out.contains("hint: the header must start with: document,file,kind,phase,date"),
        "{out}"
    );
}

#[test]
fn csv_ragged_row() {
    let s = sundtek();
    edit(
        s.path(),
        "participants.csv",
        "int-04,Radiograf,P04,radiograf,participant,hospital,9",
        "int-04,Radiograf,P04,radiograf,participant,hospital",
    );
    let (code, out) = check(s.path());
    assert_eq!(code, 2);
    assert!(
        out.contains("error: participants.csv:9: row has 6 fields but the header has 7"),
        "{out}"
    );
}

#[test]
fn sheet_validation_errors() {
    let s = sundtek();
    edit(s.path(), "documents.csv", "int-02,", "int-01,");
    edit(
        s.path(),
        "participants.csv",
        "int-03,Klinisk specialist,P03,klinisk sygeplejespecialist,participant",
        "int-03,klinisk SPECIALIST,P03,klinisk sygeplejespecialist,participant,hospital,22\nint-03,Klinisk specialist,P03,klinisk sygeplejespecialist,participant",
    );
    edit(
        s.path(),
        "participants.csv",
        "int-05,Chefkonsulent,P05,chefkonsulent,participant",
        "int-05,Chefkonsulent,P05,chefkonsulent,boss",
    );
    edit(
        s.path(),
        "participants.csv",
        "int-06,Leder,P06,afdelingsleder,participant,hospital,25",
        "int-06,Leder,,afdelingsleder,participant,hospital,25",
    );
    let p = s.path().join("documents.csv");
    let mut t = std::fs::read_to_string(&p).unwrap();
    t.push_str("int-99,transcripts/int-01.txt,interview,1,2024-13-01,hospital,fysisk\n");
    std::fs::write(&p, t).unwrap();
    let (code, out) = check(s.path());
    assert_eq!(code, 1, "{out}");
    for needle in [
        "documents.csv:3: error: duplicate document id \"int-01\" (first on line 2)",
        "participants.csv:8: error: duplicate speaker label \"Klinisk specialist\"",
        "participants.csv:12: error: unknown role \"boss\"",
        "participants.csv:14: error: empty participant",
        "documents.csv:27: error: date \"2024-13-01\" is not ISO 8601",
        "documents.csv:27: error: document \"int-99\" has no participants",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
}

#[test]
fn danish_excel_sheets() {
    let s = sundtek();
    // documents.csv as Danish Excel writes it: BOM, ';', CRLF
    let p = s.path().join("documents.csv");
    let t = std::fs::read_to_string(&p)
        .unwrap()
        .replace(',', ";")
        .replace('\n', "\r\n");
    std::fs::write(&p, [b"\xEF\xBB\xBF".as_slice(), t.as_bytes()].concat()).unwrap();
    // participants.csv in Windows-1252 with ';'
    let p = s.path().join("participants.csv");
    let t = std::fs::read_to_string(&p).unwrap().replace(',', ";");
    let bytes: Vec<u8> = t
        .chars()
        .map(|c| u32::from(c).try_into().expect("latin-1 only"))
        .collect();
    std::fs::write(&p, bytes).unwrap();
    let (code, out, err) = spor_run(s.path(), &["check", "--strict"]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, out, _) = spor_run(s.path(), &["stats", "--json"]);
    assert!(out.contains("\"anæstesisygeplejerske\""), "{out}");
}

#[test]
fn fifty_megabytes_on_one_line() {
    let s = sundtek();
    let line = "ord ".repeat(50 * 1024 * 1024 / 4);
    std::fs::write(s.path().join("transcripts/int-10.txt"), &line).unwrap();
    let (code, out) = check(s.path());
    assert_eq!(code, 1);
    assert!(
        out.contains("transcripts/int-10.txt:1: error: no speaker turns found"),
        "{out}"
    );
    std::fs::write(
        s.path().join("transcripts/int-10.txt"),
        format!("D: {line}"),
    )
    .unwrap();
    let (code, out) = check(s.path());
    assert_eq!(code, 0, "{out}");
}

#[test]
fn binary_file() {
    let s = sundtek();
    std::fs::write(
        s.path().join("transcripts/int-09.txt"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    )
    .unwrap();
    let (code, out) = check(s.path());
    assert_eq!(code, 1);
    assert!(
        out.contains("transcripts/int-09.txt:") && out.contains("error:"),
        "{out}"
    );
}

#[test]
fn bad_manifest() {
    let s = sundtek();
    std::fs::write(
        s.path().join("spor.toml"),
        "[study]\nname = \"x\"\ncodebook = []\n",
    )
    .unwrap();
    let (code, out) = check(s.path());
    assert_eq!(code, 2);
    assert!(
        out.contains("error: spor.toml:3: unknown field `codebook`"),
        "{out}"
    );
}
