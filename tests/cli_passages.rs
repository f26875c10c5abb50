//! Passages inside a turn on the command line: `spor code add|remove|memo`
//! with `--passage START-END` or `--quote TEXT`, and `spor check` on
//! passages written by hand.

mod common;
use common::{edit, spor_run, sundtek};

const TURN: &str = "int-13#6";

fn file(study: &std::path::Path, coder: &str) -> String {
    std::fs::read_to_string(study.join(format!("codings/{coder}.csv"))).unwrap()
}

#[test]
fn add_by_quote_or_offsets_writes_the_passage_and_remove_takes_it_back() {
    let s = sundtek();
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--quote",
            "Vi blev ikke  spurgt",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("(passage 143-162: \"Vi blev ikke spurgt\")"),
        "{err}"
    );
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--passage",
            "463-485",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // both offsets and quote: they must agree
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--passage",
            "463-485",
            "--quote",
            "Det er jo",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("is not the turn's text at 463-485"), "{err}");
    let text = file(s.path(), "P");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "segment,code,status,memo,anchor,start,end,quote");
    assert_eq!(
        lines[1],
        "int-13#6,context,accepted,,8271670a2af5303b,143,162,Vi blev ikke spurgt"
    );
    assert_eq!(
        lines[2],
        "int-13#6,context,accepted,,8271670a2af5303b,463,485,Det er jo ikke sikkert"
    );
    assert_eq!(lines.len(), 3);
    // spor check reads it without a complaint
    let (code, out, err) = spor_run(s.path(), &["check"]);
    assert_eq!(code, 0, "{out}{err}");
    // remove with a passage writes a withdrawn row for that passage only
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "remove",
            TURN,
            "context",
            "--quote",
            "Vi blev ikke spurgt",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = file(s.path(), "P");
    assert!(
        text.ends_with(
            "int-13#6,context,withdrawn,,8271670a2af5303b,143,162,Vi blev ikke spurgt\n"
        ),
        "{text}"
    );
    // memo on a passage of a coding
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "memo",
            "--segment",
            TURN,
            "--code",
            "context",
            "--quote",
            "Det er jo ikke sikkert",
            "--coder",
            "P",
            "Sikkerhed, ikke kun kontekst",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(file(s.path(), "P").ends_with(
        "int-13#6,context,memo,\"Sikkerhed, ikke kun kontekst\",8271670a2af5303b,463,485,Det er jo ikke sikkert\n"
    ));
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "memo",
            "--document",
            "int-13",
            "--quote",
            "x",
            "--coder",
            "P",
            "m",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("give --segment and --code"), "{err}");
}

#[test]
fn an_ambiguous_or_missing_quote_is_an_error_listing_what_there_is() {
    let s = sundtek();
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code", "add", TURN, "context", "--quote", "har", "--coder", "P",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("occurs 3 times in int-13#6; choose one with --passage"),
        "{err}"
    );
    for c in [
        "--passage 257-260",
        "--passage 317-320",
        "--passage 339-342",
    ] {
        assert!(err.contains(c), "{c}: {err}");
    }
    assert!(err.contains("[har] svimmelhed"), "{err}");
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--quote",
            "robotstøvsuger",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("\"robotstøvsuger\" is not in the turn's text"),
        "{err}"
    );
    assert!(err.contains("Altså, den blev købt centralt."), "{err}");
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--passage",
            "400-9999",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("past the turn's end"), "{err}");
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--passage",
            "40-9",
            "--coder",
            "P",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("must be before END"), "{err}");
    assert!(!s.path().join("codings/P.csv").exists());
}

#[test]
fn a_passage_into_an_old_header_is_refused_with_the_edit_to_make() {
    let s = sundtek();
    let before = file(s.path(), "R01");
    assert!(before.starts_with("segment,code,status,memo,anchor\n"));
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--quote",
            "Vi blev ikke spurgt",
            "--coder",
            "R01",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("edit line 1 from `segment,code,status,memo,anchor` to `segment,code,status,memo,anchor,start,end,quote`"),
        "{err}"
    );
    assert_eq!(file(s.path(), "R01"), before);
    // after the edit, old rows count and the passage is recorded
    edit(
        s.path(),
        "codings/R01.csv",
        "memo,anchor\n",
        "memo,anchor,start,end,quote\n",
    );
    let (code, _, err) = spor_run(
        s.path(),
        &[
            "code",
            "add",
            TURN,
            "context",
            "--quote",
            "Vi blev ikke spurgt",
            "--coder",
            "R01",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = spor_run(s.path(), &["check"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn check_names_the_line_of_a_bad_passage() {
    let s = sundtek();
    std::fs::write(
        s.path().join("codings/P.csv"),
        "segment,code,status,memo,anchor,start,end,quote\n\
         int-13#6,context,accepted,,8271670a2af5303b,143,162,Vi blev ikke spurgt\n\
         int-13#6,technofix,accepted,,8271670a2af5303b,143,162,Vi blev spurgt\n\
         int-13#6,readiness,accepted,,8271670a2af5303b,162,143,x\n",
    )
    .unwrap();
    let (code, out, err) = spor_run(s.path(), &["check"]);
    assert_eq!(code, 1, "{out}{err}");
    let all = format!("{out}{err}");
    assert!(
        all.contains("codings/P.csv:3") && all.contains("is not the turn's text at 143-162"),
        "{all}"
    );
    assert!(
        all.contains("codings/P.csv:4") && all.contains("start 162 is not before its end 143"),
        "{all}"
    );
    assert!(!all.contains("codings/P.csv:2"), "{all}");
}
