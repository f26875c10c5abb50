//! Passages in coders' files, read against the example study: a coding
//! carries its passages, a bad passage is an error at its line, and a
//! passage follows its quote when the transcript changes.

mod common;

use spor_coding::coders::{self, CoderFiles};
use spor_coding::passage::Passage;
use spor_corpus::{Corpus, Study};
use std::path::{Path, PathBuf};

fn here(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            if e.file_name() != "out" && e.file_name() != ".spor" {
                copy_dir(&src, &dst);
            }
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// A copy of the example study whose only coder file is `rows` (after the
/// 8-column header).
fn study(rows: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&here("../../examples/sundtek"), dir.path());
    let books = here("../../codebooks");
    let toml = std::fs::read_to_string(dir.path().join("spor.toml"))
        .unwrap()
        .replace("../../codebooks", books.to_str().unwrap());
    std::fs::write(dir.path().join("spor.toml"), toml).unwrap();
    std::fs::remove_file(dir.path().join("codings/R02.csv")).unwrap();
    std::fs::write(
        dir.path().join("codings/R01.csv"),
        format!("segment,code,status,memo,anchor,start,end,quote\n{rows}"),
    )
    .unwrap();
    dir
}

fn read(dir: &Path) -> (Corpus, CoderFiles) {
    let study = Study::open(dir).unwrap();
    let corpus = Corpus::read(&study);
    let books = common::codebooks(&study);
    let files = coders::read_all(&study, &corpus, &books);
    files.store.save(&study.root).unwrap();
    (corpus, files)
}

const A: &str = "8271670a2af5303b"; // the anchor of int-13#6

fn text(corpus: &Corpus) -> String {
    corpus.segment("int-13#6").unwrap().text.to_string()
}

fn passage_of(corpus: &Corpus, quote: &str) -> Passage {
    Passage::find(&text(corpus), quote).unwrap()
}

fn row(code: &str, status: &str, p: &Passage) -> String {
    format!(
        "int-13#6,{code},{status},,{A},{},{},\"{}\"\n",
        p.start,
        p.end,
        p.quote.replace('"', "\"\"")
    )
}

#[test]
fn a_coding_carries_its_passages_and_the_turn_counts_once() {
    let probe = study("");
    let (corpus, _) = read(probe.path());
    let p1 = passage_of(&corpus, "Vi blev ikke spurgt");
    let p2 = passage_of(&corpus, "Det er jo ikke sikkert.");
    let p3 = passage_of(&corpus, "nogle har lidt demens");
    let rows = [
        row("context", "accepted", &p2),
        row("context", "accepted", &p1),
        row("context", "accepted", &p1), // the same passage twice: once
        // a whole-turn coding, then a passage: the passage narrows it
        format!("int-13#6,technofix,accepted,,{A},,,\n"),
        row("technofix", "accepted", &p3),
        // a passage then the whole turn: the whole turn
        row("readiness", "accepted", &p3),
        format!("int-13#6,readiness,accepted,,{A}\n"),
        // two passages, one withdrawn
        row("evaluation", "accepted", &p1),
        row("evaluation", "accepted", &p3),
        row("evaluation", "withdrawn", &p1),
        // the only passage withdrawn: the coding is gone
        row("user-involvement", "accepted", &p1),
        row("user-involvement", "withdrawn", &p1),
    ]
    .concat();
    let dir = study(&rows);
    let (_, files) = read(dir.path());
    assert!(!files.has_errors(), "{:?}", files.diagnostics);
    let by = |code: &str| {
        files
            .codings
            .iter()
            .filter(|h| h.code == code)
            .map(|h| h.passages.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(by("context"), [vec![p1.clone(), p2.clone()]]);
    assert_eq!(by("technofix"), [vec![p3.clone()]]);
    assert_eq!(by("readiness"), [Vec::<Passage>::new()]);
    assert_eq!(by("evaluation"), [vec![p3.clone()]]);
    assert!(by("user-involvement").is_empty());
}

#[test]
fn a_passage_that_does_not_fit_its_unchanged_turn_is_an_error_at_its_line() {
    let probe = study("");
    let (corpus, _) = read(probe.path());
    let n = text(&corpus).chars().count();
    let good = passage_of(&corpus, "Vi blev ikke spurgt");
    let mut wrong_quote = good.clone();
    wrong_quote.quote = "Vi blev ikke spurgte".into();
    let past = Passage {
        start: n - 2,
        end: n + 3,
        quote: "t.xyz".into(),
    };
    let rows = [
        row("context", "accepted", &wrong_quote),
        row("technofix", "accepted", &past),
        row("evaluation", "accepted", &good),
    ]
    .concat();
    let dir = study(&rows);
    let (_, files) = read(dir.path());
    let errors: Vec<String> = files.errors().map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].contains("codings/R01.csv:2") && errors[0].contains("is not the turn's text")
    );
    assert!(errors[1].contains("codings/R01.csv:3") && errors[1].contains("past the turn's end"));
    let codes: Vec<&str> = files.codings.iter().map(|h| h.code.as_str()).collect();
    assert_eq!(codes, ["evaluation"]);
    assert!(files.orphaned.is_empty());
}

#[test]
fn a_passage_follows_its_quote_when_the_transcript_changes_and_is_orphaned_when_it_is_gone() {
    let probe = study("");
    let (corpus, _) = read(probe.path());
    let p1 = passage_of(&corpus, "Vi blev ikke spurgt");
    let p2 = passage_of(&corpus, "nogle har lidt demens");
    let rows = [
        row("context", "accepted", &p1),
        row("technofix", "accepted", &p2),
    ]
    .concat();
    let dir = study(&rows);
    let (_, files) = read(dir.path());
    assert!(!files.has_errors(), "{:?}", files.diagnostics);
    // the transcriber fixes the turn: words before both passages, and the
    // second passage's words are gone
    let t = dir.path().join("transcripts/int-13.txt");
    let old = std::fs::read_to_string(&t).unwrap();
    let new = old
        .replace(
            "Altså, den blev købt centralt.",
            "Altså, den blev faktisk købt helt centralt.",
        )
        .replace("nogle har lidt demens", "enkelte er demente");
    assert_ne!(old, new);
    std::fs::write(&t, new).unwrap();
    let (corpus, files) = read(dir.path());
    let now = corpus.segment("int-13#6").unwrap();
    let context: Vec<_> = files
        .codings
        .iter()
        .filter(|h| h.code == "context")
        .collect();
    assert_eq!(context.len(), 1, "{:?}", files.diagnostics);
    let moved = &context[0].passages[0];
    assert_eq!(moved.start, p1.start + "faktisk helt ".chars().count());
    assert_eq!(moved.quote, "Vi blev ikke spurgt");
    assert!(moved.check(&now.text).is_ok());
    let notes: Vec<String> = files.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        notes.iter().any(|n| n.contains(&format!(
            "passage int-13#6 {} of context is now int-13#6 {}",
            p1.range(),
            moved.range()
        ))),
        "{notes:?}"
    );
    // the passage whose words are gone is orphaned: an error at its line
    assert!(files.codings.iter().all(|h| h.code != "technofix"));
    assert_eq!(files.orphaned.len(), 1);
    assert_eq!(files.orphaned[0].location, "codings/R01.csv:3");
    let errors: Vec<String> = files.errors().map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains("orphaned passage") && errors[0].contains("nogle har lidt demens"));
}
