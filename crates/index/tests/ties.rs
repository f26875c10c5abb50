//! The best `limit` hits of a search are the first `limit` of all its hits
//! sorted by score and then segment order (document id, then turn number),
//! however many hits tie and however the index is split into segments:
//! ties are broken without looking every tied hit up (`ties.rs`), which
//! relies on the order of segment ids in each index segment's dictionary.

mod common;

use common::update;
use proptest::prelude::*;
use spor_index::Filters;
use std::path::Path;

/// Document ids that sort in tricky ways: prefixes of each other, `-`,
/// `.` and `_` (all before and after letters and digits), upper case.
const IDS: [&str; 10] = ["a", "a-b", "a.b", "a_b", "ab", "A", "a1", "b", "a-", "Z9"];

/// Two texts: most turns are the first (their hits tie), some the second
/// (a different score).
const TEXTS: [&str; 2] = [
    "sygeplejersker og læger",
    "sygeplejersker og læger, læger og sygeplejersker taler",
];

fn write_study(dir: &Path, docs: &[(usize, Vec<usize>)]) {
    std::fs::create_dir_all(dir.join("transcripts")).unwrap();
    std::fs::write(
        dir.join("spor.toml"),
        "[study]\nname = \"t\"\ncodebooks = []\n",
    )
    .unwrap();
    let mut sheet = String::from("document,file,kind,phase,date\n");
    let mut parts = String::from("document,speaker,participant,profession,role\n");
    for (n, (id, turns)) in docs.iter().enumerate() {
        let id = IDS[*id];
        sheet.push_str(&format!(
            "{id},transcripts/{id}.txt,interview,1,2024-01-01\n"
        ));
        parts.push_str(&format!("{id},P,P{n},læge,participant\n"));
        let text: String = turns
            .iter()
            .map(|t| format!("P: {}\n", TEXTS[*t]))
            .collect();
        std::fs::write(dir.join(format!("transcripts/{id}.txt")), text).unwrap();
    }
    std::fs::write(dir.join("documents.csv"), sheet).unwrap();
    std::fs::write(dir.join("participants.csv"), parts).unwrap();
}

/// Distinct documents (indices into `IDS`), each with 1 to 24 turns
/// (indices into `TEXTS`, mostly the first).
fn study() -> impl Strategy<Value = Vec<(usize, Vec<usize>)>> {
    let turns = prop::collection::vec(prop_oneof![5 => Just(0usize), 1 => Just(1usize)], 1..25);
    prop::collection::btree_map(0..IDS.len(), turns, 1..7).prop_map(|m| m.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_best_hits_are_the_first_of_all_hits(
        docs in study(),
        threads in 1usize..3,
        batch in 1usize..3,
        limits in prop::collection::vec(1usize..40, 4),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        write_study(tmp.path(), &docs);
        let idx = update(tmp.path(), &tmp.path().join(".spor/index"), threads, batch);
        for q in ["\"sygeplejersker og læger\"", "læger", "sygeplejersker AND taler"] {
            let q = spor_query::parse(q).unwrap();
            let all = idx.search(&q, &Filters::default(), None).unwrap();
            for &limit in &limits {
                let (best, total) = idx.search_total(&q, &Filters::default(), Some(limit)).unwrap();
                prop_assert_eq!(total, all.len());
                let want: Vec<(&str, f32)> =
                    all.iter().take(limit).map(|h| (h.segment.as_str(), h.score)).collect();
                let got: Vec<(&str, f32)> =
                    best.iter().map(|h| (h.segment.as_str(), h.score)).collect();
                prop_assert_eq!(got, want, "limit {}", limit);
            }
        }
    }
}
