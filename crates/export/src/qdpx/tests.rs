//! Tests of the REFI-QDA export.

use super::xml::{is_rgb, uuid_v5};
use super::*;
use spor_coding::Status;

#[test]
fn memos_become_notes_referred_from_code_source_and_selection() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let study = Study::open(&root.join("examples/sundtek")).unwrap();
    let corpus = Corpus::read(&study);
    let books = CodebookSet::read(&[(
        root.join("codebooks/sundtek-cues.toml"),
        "sundtek-cues.toml".into(),
    )])
    .unwrap();
    let seg = corpus
        .segments()
        .find(|s| s.role() == spor_corpus::Role::Participant)
        .unwrap();
    let coding = |memo_target: MemoTarget, text: &str, line| spor_coding::Memo {
        coder: "R01".into(),
        target: memo_target,
        text: text.into(),
        line,
    };
    let codings = Codings {
        rows: vec![spor_coding::Coding {
            segment: seg.segment.clone(),
            code: "context".into(),
            codebook: "sundtek-cues".into(),
            origin: spor_coding::Origin::Coder("R01".into()),
            status: Status::Accepted,
            rules: Default::default(),
            matched: Default::default(),
            score: None,
            notes: None,
        }],
        policy: spor_coding::Policy::default(),
        coverage: Default::default(),
        memos: vec![
            coding(
                MemoTarget::Coding {
                    segment: seg.segment.to_string(),
                    code: "context".into(),
                },
                "først & fremmest <konteksten>",
                2,
            ),
            coding(
                MemoTarget::Coding {
                    segment: seg.segment.to_string(),
                    code: "context".into(),
                },
                "senere: også tid",
                5,
            ),
            coding(
                MemoTarget::Document {
                    document: seg.document().to_string(),
                },
                "interviewet blev afbrudt",
                3,
            ),
            coding(
                MemoTarget::Code {
                    code: "context".into(),
                },
                "bred kode",
                4,
            ),
        ],
    };
    let qde = project_qde(&study, &corpus, &books, &codings);
    let g = |line: usize| guid(&format!("memo:R01:{line}"));
    assert_eq!(qde.matches("<Note guid=").count(), 4);
    assert!(
        qde.contains(
            "<PlainTextContent>først &amp; fremmest &lt;konteksten&gt;</PlainTextContent>"
        )
    );
    for line in [2, 3, 4, 5] {
        assert_eq!(
            qde.matches(&format!("<NoteRef targetGUID=\"{}\"/>", g(line)))
                .count(),
            1
        );
    }
    // the history keeps its order on the selection
    let first = qde
        .find(&format!("<NoteRef targetGUID=\"{}\"", g(2)))
        .unwrap();
    let later = qde
        .find(&format!("<NoteRef targetGUID=\"{}\"", g(5)))
        .unwrap();
    assert!(first < later);
    let xsd = root.join("../shared/data/refi-qda/Project.xsd");
    if !xsd.is_file() {
        eprintln!("skipped schema check: {} is absent", xsd.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("project.qde");
    std::fs::write(&file, &qde).unwrap();
    match std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&file)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => eprintln!("skipped schema check: xmllint is not installed"),
    }
}

#[test]
fn uuid_v5_matches_known_values() {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
    let dns = [
        0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
        0xc8,
    ];
    assert_eq!(
        uuid_v5(&dns, b"python.org"),
        "886313e1-3b8a-5372-9b90-0c9aee199e5d"
    );
}

#[test]
fn escapes() {
    assert_eq!(esc("a<b>&\"'\n"), "a&lt;b&gt;&amp;&quot;&apos;&#10;");
    assert_eq!(esc_text("x\ny\u{1}"), "x\ny");
    assert!(is_rgb("#1f4e79") && is_rgb("#abc") && !is_rgb("#12345") && !is_rgb("red"));
}
