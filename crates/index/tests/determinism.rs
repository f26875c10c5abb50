//! The index answers the same whatever its history: built from scratch or
//! brought up to date after any sequence of edits, with any number of
//! indexing threads and any batch size, every query matches the same
//! segments. Phrases and proximity with repeated words are the queries
//! whose answer once depended on the segment layout (tantivy 0.27's sloppy
//! matcher); spor now matches them on positions (`phrase.rs`), and a
//! segment the index matches is always one whose words the clause matcher
//! finds, and the other way round.

mod common;

use common::update;
use proptest::prelude::*;
use spor_corpus::{Corpus, Study};
use spor_index::{ClauseMatcher, Filters, SegmentIndex};
use spor_query::{AttrValue, Query};
use std::collections::BTreeMap;
use std::path::Path;

/// Turns with many repeated short words, so that sloppy phrases have
/// several ways to match, and one word longer than the analyzer keeps.
fn pool() -> Vec<String> {
    let long = "x".repeat(90);
    [
        "der er ikke nogen der har sagt det",
        "det er ikke noget der virker, der er ikke nogen",
        "ikke nogen af os der vidste det",
        "nogen der ikke er der",
        "der er ikke nogen systemer der virker",
        "systemet er nede, og der er ikke nogen der ved det",
        "det det handler om er at der er nogen",
        "ikke nogen, ikke nogen der, der",
        "vi har ingen der kan, nogen gange er der ikke nogen",
        "er der nogen der ikke har prøvet systemet",
        "det er det",
        "der der der ikke nogen",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([
        format!("der er ikke {long} nogen der"),
        format!("ikke {long} nogen"),
    ])
    .collect()
}

fn queries() -> Vec<Query> {
    [
        "\"ikke nogen der\"~3",
        "\"ikke nogen der\"~1",
        "\"ikke nogen\"",
        "\"der er\"~2",
        "\"der der\"~1",
        "\"det det\"",
        "\"nogen der ikke\"~4",
        "=\"ikke nogen\"",
        "=\"der er ikke\"~2",
        "ikke AND \"nogen der\"~2",
        "\"ikke nogen\" OR systemet",
        "system* AND NOT \"ikke nogen\"~1",
        "NOT \"der er\"",
        "profession:læge AND \"der er\"~3",
        "*der AND nogen",
        "nogen",
    ]
    .iter()
    .map(|q| spor_query::parse(q).unwrap_or_else(|e| panic!("{q}: {e:?}")))
    .collect()
}

/// One edit of the study: add a document, change or remove the n-th
/// present one (modulo how many there are). A document's turns are
/// indices into the pool.
#[derive(Debug, Clone)]
enum Edit {
    Add(Vec<usize>),
    Change(usize, Vec<usize>),
    Remove(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let turns = || prop::collection::vec(0..pool().len(), 1..6);
    prop_oneof![
        3 => turns().prop_map(Edit::Add),
        2 => (0usize..8, turns()).prop_map(|(i, t)| Edit::Change(i, t)),
        1 => (0usize..8).prop_map(Edit::Remove),
    ]
}

/// The study's documents: id -> turns (pool indices).
type State = BTreeMap<String, Vec<usize>>;

fn apply_edit(state: &mut State, next_id: &mut usize, e: &Edit) {
    let nth = |state: &State, i: usize| state.keys().nth(i % state.len()).cloned();
    match e {
        Edit::Add(t) => {
            state.insert(format!("d{next_id:02}"), t.clone());
            *next_id += 1;
        }
        Edit::Change(i, t) if !state.is_empty() => {
            let id = nth(state, *i).expect("a document");
            state.insert(id, t.clone());
        }
        Edit::Remove(i) if !state.is_empty() => {
            let id = nth(state, *i).expect("a document");
            state.remove(&id);
        }
        _ => {}
    }
}

fn write_study(dir: &Path, state: &State) {
    let pool = pool();
    std::fs::create_dir_all(dir.join("transcripts")).unwrap();
    std::fs::write(
        dir.join("spor.toml"),
        "[study]\nname = \"t\"\ncodebooks = []\n",
    )
    .unwrap();
    let mut docs = String::from("document,file,kind,phase,date\n");
    let mut parts = String::from("document,speaker,participant,profession,role\n");
    for (n, (id, turns)) in state.iter().enumerate() {
        docs.push_str(&format!(
            "{id},transcripts/{id}.txt,interview,1,2024-01-01\n"
        ));
        let prof = if n % 2 == 0 { "læge" } else { "sygeplejerske" };
        parts.push_str(&format!(
            "{id},I,R1,forsker,interviewer\n{id},P,P{n},{prof},participant\n"
        ));
        let mut text = String::new();
        for (k, t) in turns.iter().enumerate() {
            let who = if k % 2 == 0 { "P" } else { "I" };
            text.push_str(&format!("{who}: {}\n", pool[*t]));
        }
        let path = dir.join(format!("transcripts/{id}.txt"));
        // The same size after a change would need the stat cache's racy
        // check; a changed document always differs in bytes, and the
        // index compares content hashes.
        std::fs::write(&path, text).unwrap();
    }
    for entry in std::fs::read_dir(dir.join("transcripts")).unwrap() {
        let p = entry.unwrap().path();
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        if !state.contains_key(&stem) {
            std::fs::remove_file(p).unwrap();
        }
    }
    std::fs::write(dir.join("documents.csv"), docs).unwrap();
    std::fs::write(dir.join("participants.csv"), parts).unwrap();
}

/// Every query's matching segment ids, sorted.
fn answers(idx: &SegmentIndex) -> Vec<Vec<String>> {
    queries()
        .iter()
        .map(|q| {
            let mut ids: Vec<String> = idx
                .search(q, &Filters::default(), None)
                .unwrap()
                .into_iter()
                .map(|h| h.segment)
                .collect();
            ids.sort();
            ids
        })
        .collect()
}

/// Every query's segments as the clause matcher finds them on the turns'
/// own words: those where it finds matched words (or, for a query true
/// without any, where it is true).
fn clause_answers(study_dir: &Path) -> Vec<Vec<String>> {
    let study = Study::open(study_dir).unwrap();
    let corpus = Corpus::read(&study);
    queries()
        .iter()
        .map(|q| {
            let mut m = ClauseMatcher::new(q);
            let mut ids: Vec<String> = corpus
                .segments()
                .filter(|s| {
                    let attr = |name: &str, value: &AttrValue| {
                        let Some(have) = s.attribute(name) else {
                            return false;
                        };
                        let have = have.to_lowercase();
                        match value {
                            AttrValue::Exact(v) => have == v.to_lowercase(),
                            AttrValue::Prefix(v) => have.starts_with(&v.to_lowercase()),
                        }
                    };
                    m.byte_ranges(&s.text, &attr).is_some()
                })
                .map(|s| s.segment.to_string())
                .collect();
            ids.sort();
            ids
        })
        .collect()
}

fn run(edits: &[(Edit, usize, usize)], scratch_threads: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let study = tmp.path().join("study");
    let incremental = study.join(".spor/index");
    let mut state = State::new();
    let mut next_id = 0;
    // a start with a few documents, so that edits hit existing segments
    for t in [vec![0, 1, 2], vec![3, 4, 12], vec![5, 6, 7, 13]] {
        apply_edit(&mut state, &mut next_id, &Edit::Add(t));
    }
    write_study(&study, &state);
    update(&study, &incremental, 2, 1);
    for (step, (e, threads, batch)) in edits.iter().enumerate() {
        apply_edit(&mut state, &mut next_id, e);
        write_study(&study, &state);
        let idx = update(&study, &incremental, *threads, *batch);
        let scratch_dir = tmp.path().join(format!("scratch{step}"));
        let fresh = update(&study, &scratch_dir, scratch_threads, 64);
        let (a, b) = (answers(&idx), answers(&fresh));
        for (q, (x, y)) in queries().iter().zip(a.iter().zip(&b)) {
            assert_eq!(x, y, "step {step} ({e:?}): {q}");
        }
        for form in ["der", "ikke", "nogen", "systemet", "det"] {
            assert_eq!(
                idx.form_turns(form).unwrap(),
                fresh.form_turns(form).unwrap(),
                "step {step}: turns holding {form}"
            );
        }
        for q in ["sy* OR *der", "nogen \"der er\"~2"] {
            let q = spor_query::parse(q).unwrap();
            assert_eq!(
                idx.expansion(&q).unwrap(),
                fresh.expansion(&q).unwrap(),
                "step {step}: forms of {q}"
            );
        }
        let c = clause_answers(&study);
        for (q, (x, y)) in queries().iter().zip(a.iter().zip(&c)) {
            assert_eq!(x, y, "step {step}: {q}: index vs clause matcher");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]
    #[test]
    fn same_answers_whatever_the_history(
        edits in prop::collection::vec((edit(), 1usize..=3, 1usize..=3), 1..=4),
        scratch_threads in 1usize..=3,
    ) {
        run(&edits, scratch_threads);
    }
}

#[test]
fn a_changed_documents_old_turns_match_no_phrase() {
    let tmp = tempfile::tempdir().unwrap();
    let study = tmp.path().join("study");
    let index = study.join(".spor/index");
    let mut state = State::new();
    state.insert("a".into(), vec![0]); // der er ikke nogen der ...
    state.insert("b".into(), vec![10]); // det er det
    write_study(&study, &state);
    let q = spor_query::parse("\"ikke nogen der\"~3").unwrap();
    let idx = update(&study, &index, 1, 64);
    let hits: Vec<String> = idx
        .search(&q, &Filters::default(), None)
        .unwrap()
        .into_iter()
        .map(|h| h.segment)
        .collect();
    assert_eq!(hits, vec!["a#1".to_string()]);
    drop(idx);
    state.insert("a".into(), vec![10, 10]);
    write_study(&study, &state);
    let idx = update(&study, &index, 1, 64);
    // the old turn is still in its index segment, marked deleted
    let deleted: u32 = idx
        .searcher()
        .segment_readers()
        .iter()
        .map(|r| r.num_deleted_docs())
        .sum();
    assert!(deleted > 0, "the edit left no deleted document to skip");
    assert!(
        idx.search(&q, &Filters::default(), None)
            .unwrap()
            .is_empty()
    );
}

/// Random texts over a few words (one of them longer than the analyzer
/// keeps) and random phrases: the index matches exactly the texts where
/// the clause matcher finds the phrase's words.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("der".to_string()),
        Just("ikke".to_string()),
        Just("nogen".to_string()),
        Just("er".to_string()),
        Just("x".repeat(85)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn index_and_clause_matcher_agree_on_phrases(
        texts in prop::collection::vec(prop::collection::vec(word(), 0..14), 1..12),
        phrase in prop::collection::vec(0usize..4, 2..=4),
        slop in 0u32..=4,
        exact in any::<bool>(),
    ) {
        let words = ["der", "ikke", "nogen", "er"];
        let texts: Vec<(String, String)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("t#{i}"), t.join(" ")))
            .collect();
        let idx = SegmentIndex::in_memory(&texts).unwrap();
        let p: Vec<&str> = phrase.iter().map(|&i| words[i]).collect();
        let q = format!("{}\"{}\"~{slop}", if exact { "=" } else { "" }, p.join(" "));
        let q = spor_query::parse(&q).unwrap();
        let mut got: Vec<String> = idx
            .search(&q, &Filters::default(), None)
            .unwrap()
            .into_iter()
            .map(|h| h.segment)
            .collect();
        got.sort();
        let mut m = ClauseMatcher::new(&q);
        let mut want: Vec<String> = texts
            .iter()
            .filter(|(_, t)| m.byte_ranges(t, &|_, _| false).is_some())
            .map(|(id, _)| id.clone())
            .collect();
        want.sort();
        prop_assert_eq!(got, want, "{}", q);
    }
}
