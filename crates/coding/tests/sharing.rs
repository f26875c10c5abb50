//! Coding rows are compact: a study has millions of them, so each shares
//! its turn's id with the corpus and its code's and codebook's ids and its
//! rules with the other rows of its code, instead of holding copies.

mod common;

use spor_coding::coders::{Decision, HumanCoding};
use spor_coding::{Policy, Status, merge, suggest};
use spor_corpus::{Corpus, Study};
use spor_index::SegmentIndex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn here(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// The example study read and indexed (in a temp folder that the caller
/// keeps).
fn example() -> (Study, Corpus, SegmentIndex, tempfile::TempDir) {
    let study = Study::open(&here("../../examples/sundtek")).unwrap();
    let corpus = Corpus::read(&study);
    let tmp = tempfile::tempdir().unwrap();
    let mut index = SegmentIndex::open(&tmp.path().join("index")).unwrap();
    let plan = index.plan(&study);
    let changed = Corpus::read_only(&study, &plan.to_read());
    index.apply(plan, &changed, 1).unwrap();
    (study, corpus, index, tmp)
}

#[test]
fn suggestions_and_rows_share_ids_instead_of_copying_them() {
    let (study, corpus, index, _tmp) = example();
    let books = common::codebooks(&study);
    let suggestions = suggest::suggest(&index, &corpus, &books).unwrap();
    assert!(suggestions.len() > 50, "the example study has suggestions");
    // one allocation per code id, codebook id and combination of rules
    let mut first: BTreeMap<(&str, &str), (*const u8, *const u8, *const u8)> = BTreeMap::new();
    for s in &suggestions {
        let seg = corpus.segment(&s.segment).unwrap();
        assert_eq!(
            s.segment.as_ptr(),
            seg.segment.as_ptr(),
            "{}: turn id copied",
            s.segment
        );
        let ptrs = (s.code.as_ptr(), s.codebook.as_ptr(), s.rules.as_ptr());
        let seen = *first
            .entry((s.code.as_str(), s.rules.as_str()))
            .or_insert(ptrs);
        assert_eq!(seen, ptrs, "{} {}: ids copied", s.segment, s.code);
    }
    let by_code: BTreeMap<&str, *const u8> = suggestions
        .iter()
        .map(|s| (s.code.as_str(), s.code.as_ptr()))
        .collect();
    let ptrs: Vec<*const u8> = suggestions.iter().map(|s| s.segment.as_ptr()).collect();
    let codings = merge(&suggestions, &[], Policy::SuggestedAndHuman);
    for (r, p) in codings.rows.iter().zip(ptrs) {
        assert_eq!(r.segment.as_ptr(), p, "merging copied a turn id");
        assert_eq!(r.code.as_ptr(), by_code[r.code.as_str()]);
    }
}

/// `spor code` makes each suggestion a row as it is made and merges the
/// coders' decisions into those rows in place: the same codings as merging
/// a list of suggestions.
#[test]
fn rows_made_in_place_equal_rows_merged_from_suggestions() {
    let (study, corpus, index, _tmp) = example();
    let books = common::codebooks(&study);
    let suggestions = suggest::suggest(&index, &corpus, &books).unwrap();
    let (rows, _) = suggest::suggest_rows(&index, &corpus, &books, None, &|| ()).unwrap();
    // the coders' files, and a coder who accepts the first suggestion,
    // rejects the second and codes a turn no rule suggested
    let mut human = spor_coding::coders::read_all(&study, &corpus, &books).codings;
    let decide = |s: &spor_coding::suggest::Suggestion, decision| HumanCoding {
        coder: "T1".into(),
        segment: s.segment.to_string(),
        code: s.code.to_string(),
        decision,
        memo: String::new(),
        line: 2,
        passages: Vec::new(),
    };
    human.push(decide(&suggestions[0], Decision::Accepted));
    human.push(decide(&suggestions[1], Decision::Rejected));
    human.push(HumanCoding {
        code: "etik".into(),
        ..decide(&suggestions[2], Decision::Accepted)
    });
    for policy in [Policy::SuggestedAndHuman, Policy::HumanOnly] {
        let a = merge(&suggestions, &human, policy);
        let b = spor_coding::merge_rows(rows.clone(), &human, policy);
        assert_eq!(a.rows, b.rows);
        assert_eq!(a.counted(), b.counted());
        let status = |i: usize| a.rows[i].status;
        assert_eq!(
            (status(0), status(1), status(2)),
            (Status::Accepted, Status::Rejected, Status::Suggested)
        );
    }
}
