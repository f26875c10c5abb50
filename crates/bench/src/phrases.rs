//! Phrases and proximity on one index, two ways: spor's own matcher on
//! positions (what `SegmentIndex::count` runs now) and tantivy 0.27's
//! `PhraseQuery` collected into a document set (what spor ran before),
//! each query timed 50 times after a warm-up. Prints one Markdown row per
//! query: both medians, their ratio and both counts (which may differ where
//! tantivy's matcher lets words change places or answers by layout).

use spor_index::analyzer;
use spor_index::{Filters, SegmentIndex};
use std::path::Path;
use std::time::{Duration, Instant};
use tantivy::Term;
use tantivy::collector::DocSetCollector;
use tantivy::query::PhraseQuery;

/// The phrases and proximities timed: the rules' shapes, repeated words
/// included.
const QUERIES: [&str; 6] = [
    "\"sygeplejersker og læger\"",
    "\"tager fejl\"~3",
    "\"ikke nogen der\"~3",
    "\"der er ikke\"~2",
    "=\"det er jo\"",
    "\"i brug\"~2",
];

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Time every query of [`QUERIES`] both ways over `root/.spor/index`.
pub fn bench_phrases(root: &Path) {
    let index = SegmentIndex::open(&root.join(".spor/index")).unwrap();
    let searcher = index.searcher();
    for q in QUERIES {
        let parsed = spor_query::parse(q).unwrap();
        let spor_query::Query::Phrase {
            words, slop, exact, ..
        } = &parsed
        else {
            panic!("{q} is not a phrase")
        };
        let (field, mut a) = if *exact {
            (index.fields.exact, analyzer::exact())
        } else {
            (index.fields.text, analyzer::danish())
        };
        let terms: Vec<(usize, Term)> = words
            .iter()
            .flat_map(|w| analyzer::tokens(&mut a, w))
            .enumerate()
            .map(|(i, t)| (i, Term::from_field_text(field, &t.text)))
            .collect();
        let old = PhraseQuery::new_with_offset_and_slop(terms, *slop);
        let ours = || index.count(&parsed, &Filters::default()).unwrap();
        let theirs = || searcher.search(&old, &DocSetCollector).unwrap().len();
        let (n_ours, n_theirs) = (ours(), theirs());
        let (mut t_ours, mut t_theirs) = (Vec::new(), Vec::new());
        for _ in 0..50 {
            let t = Instant::now();
            std::hint::black_box(ours());
            t_ours.push(t.elapsed());
            let t = Instant::now();
            std::hint::black_box(theirs());
            t_theirs.push(t.elapsed());
        }
        let (o, t) = (median(t_ours), median(t_theirs));
        println!(
            "| `{q}` | {:.2} ms ({n_ours}) | {:.2} ms ({n_theirs}) | {:.2}x |",
            o.as_secs_f64() * 1e3,
            t.as_secs_f64() * 1e3,
            o.as_secs_f64() / t.as_secs_f64()
        );
    }
}
