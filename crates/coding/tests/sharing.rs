//! Coding rows are compact: a study has millions of them, so each shares
//! its turn's id with the corpus and its code's and codebook's ids and its
//! rules with the other rows of its code, instead of holding copies.

mod common;

use spor_coding::{Policy, merge, suggest};
use spor_corpus::{Corpus, Study};
use spor_index::SegmentIndex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn here(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

#[test]
fn suggestions_and_rows_share_ids_instead_of_copying_them() {
    let study = Study::open(&here("../../examples/sundtek")).unwrap();
    let corpus = Corpus::read(&study);
    let tmp = tempfile::tempdir().unwrap();
    let mut index = SegmentIndex::open(&tmp.path().join("index")).unwrap();
    let plan = index.plan(&study);
    let changed = Corpus::read_only(&study, &plan.to_read());
    index.apply(plan, &changed, 1).unwrap();
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
