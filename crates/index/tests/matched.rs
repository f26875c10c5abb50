//! The words a rule matched, read from the index's postings
//! (`SegmentIndex::candidates`, `for_each_match`, `ClauseMatcher::words_at`),
//! are exactly the words the clause matcher finds on each turn's own text,
//! and the turns are exactly the turns the index's search hits: on random
//! Danish turns (capitals, æ/ø/å, inflected and compound forms, repeated
//! words, a word longer than the analyzer keeps) and random queries of
//! every kind (stemmed and exact words, phrases and proximity, the three
//! wildcards, AND, OR, NOT).

use proptest::prelude::*;
use spor_index::{ClauseMatcher, Filters, SegmentIndex};
use std::collections::BTreeMap;

const WORDS: &[&str] = &[
    "teknologi",
    "Teknologien",
    "teknologierne",
    "sundhedsteknologi",
    "velfærdsteknologiske",
    "patienten",
    "patienter",
    "Patientens",
    "ikke",
    "nogen",
    "der",
    "er",
    "system",
    "systemet",
    "systemerne",
    "går",
    "gik",
    "gået",
    "brugerinddragelse",
    "brugerne",
    "parathed",
    "præparatet",
    "æble",
    "ØRE",
    "på",
    "tager",
    "fejl",
    "e-mail",
];

fn text() -> impl Strategy<Value = String> {
    let long = "y".repeat(85);
    prop::collection::vec(0..WORDS.len() + 1, 0..16).prop_map(move |ws| {
        ws.iter()
            .map(|&i| WORDS.get(i).copied().unwrap_or(long.as_str()).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    })
}

const QUERIES: &[&str] = &[
    "teknologi",
    "=teknologien",
    "teknolog*",
    "*teknologi",
    "*teknolog*",
    "patient AND NOT ikke",
    "\"ikke nogen\"~2 OR system",
    "=\"tager fejl\" OR (system AND NOT går)",
    "\"der er ikke\"~3",
    "gå AND (patient OR bruger*)",
    "*parathed",
    "e-mail OR æble",
    "øre AND NOT *tek*",
    "NOT systemet",
    "\"system går\"~4 AND teknologi*",
];

/// Per turn id, the words as the clause matcher finds them on the text.
fn on_text(texts: &[(String, String)], q: &spor_query::Query) -> BTreeMap<String, Vec<String>> {
    let mut m = ClauseMatcher::new(q);
    texts
        .iter()
        .filter_map(|(id, t)| {
            let ranges = m.byte_ranges(t, &|_, _| false)?;
            let mut w: Vec<String> = ranges
                .iter()
                .map(|&(a, b)| t[a..b].to_lowercase())
                .collect();
            w.sort();
            w.dedup();
            Some((id.clone(), w))
        })
        .collect()
}

/// Per turn id, the words as the index's postings give them.
fn from_index(idx: &SegmentIndex, q: &spor_query::Query) -> BTreeMap<String, Vec<String>> {
    let mut m = ClauseMatcher::new(q);
    let c = idx
        .candidates(&m)
        .unwrap()
        .expect("few candidates in a small index");
    let mut out = BTreeMap::new();
    idx.for_each_match(q, &Filters::default(), &c, |id, occ| {
        let w = m
            .words_at(&c.forms, occ, &|_, _| false)
            .unwrap_or_else(|| vec!["<query false on the index's positions>".into()]);
        out.insert(id.to_string(), w);
    })
    .unwrap();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn index_words_equal_text_words(
        texts in prop::collection::vec(text(), 1..14),
    ) {
        let texts: Vec<(String, String)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("t#{i}"), t.clone()))
            .collect();
        let idx = SegmentIndex::in_memory(&texts).unwrap();
        for q in QUERIES {
            let q = spor_query::parse(q).unwrap();
            let want = on_text(&texts, &q);
            let got = from_index(&idx, &q);
            prop_assert_eq!(&got, &want, "{}", q);
            let mut hits: Vec<String> = idx
                .search(&q, &Filters::default(), None)
                .unwrap()
                .into_iter()
                .map(|h| h.segment)
                .collect();
            hits.sort();
            prop_assert_eq!(got.keys().cloned().collect::<Vec<_>>(), hits, "{}", q);
        }
    }
}

#[test]
fn a_phrase_gives_only_the_words_of_its_occurrence() {
    let texts = vec![(
        "t#0".to_string(),
        "Systemet tager fejl, og systemet er nede".to_string(),
    )];
    let idx = SegmentIndex::in_memory(&texts).unwrap();
    let q = spor_query::parse("\"tager fejl\" OR (system AND nede)").unwrap();
    let got = from_index(&idx, &q);
    assert_eq!(
        got["t#0"],
        vec!["fejl", "nede", "systemet", "tager"],
        "both clauses are true"
    );
    let q = spor_query::parse("=\"tager fejl\" OR (system AND NOT nede)").unwrap();
    assert_eq!(from_index(&idx, &q)["t#0"], vec!["fejl", "tager"]);
    let c = idx.candidates(&ClauseMatcher::new(&q)).unwrap().unwrap();
    assert!(c.positions, "a phrase needs positions");
    let c = idx
        .candidates(&ClauseMatcher::new(&spor_query::parse("system*").unwrap()))
        .unwrap()
        .unwrap();
    assert!(!c.positions);
    assert_eq!(c.forms, vec!["systemet"]);
}
