//! Fuzzing the query language with arbitrary text: parsing, validating,
//! printing and explaining never panic and take bounded time.
//! `PROPTEST_CASES` scales the number of cases (default 64).

use proptest::prelude::*;
use std::time::{Duration, Instant};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

const BOUND: Duration = Duration::from_secs(5);

fn queryish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(" AND ".to_owned()),
        Just(" OR ".to_owned()),
        Just("NOT ".to_owned()),
        Just("-".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("\"".to_owned()),
        Just("~3".to_owned()),
        Just("=".to_owned()),
        Just("*".to_owned()),
        Just("profession:".to_owned()),
        Just("\\".to_owned()),
        Just(" ".to_owned()),
        Just("ord".to_owned()),
        Just("æøå".to_owned()),
        any::<char>().prop_map(String::from),
        "[a-zA-Z]{0,6}",
    ];
    prop::collection::vec(piece, 0..150).prop_map(|v| v.concat())
}

fn exercise(input: &str) {
    match spor_query::parse(input) {
        Ok(q) => {
            let _ = spor_query::validate(&q, &["profession", "phase"]);
            let shown = q.to_string();
            let _ = q.explain();
            // the canonical form parses back to the same query
            let again = spor_query::parse(&shown).expect("the canonical form parses");
            assert_eq!(
                again.without_spans(),
                q.without_spans(),
                "{input:?} -> {shown:?}"
            );
        }
        Err(e) => {
            let _ = e.render(input);
        }
    }
    let _ = spor_query::spelling_hint(input);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn queries_from_arbitrary_text(s in queryish(), any_text in ".{0,300}") {
        let t = Instant::now();
        exercise(&s);
        exercise(&any_text);
        prop_assert!(t.elapsed() < BOUND);
    }
}
