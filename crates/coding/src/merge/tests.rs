//! Unit tests of rows: their size, serialisation, order and CSV numbers.
use super::{Coding, Notes, Status, permute};
use crate::Origin;
use proptest::prelude::*;

fn row(notes: Option<Box<Notes>>) -> Coding {
    Coding {
        segment: "interview-01#3".into(),
        code: "context".into(),
        codebook: Default::default(),
        origin: Origin::Coder("MH".into()),
        status: Status::Accepted,
        rules: Default::default(),
        matched: Default::default(),
        score: None,
        notes,
    }
}

/// A study has millions of rows: a row stays in 80 bytes (its strings
/// are shared, each one pointer wide).
#[test]
fn a_row_is_small() {
    assert!(
        std::mem::size_of::<Coding>() <= 80,
        "{}",
        std::mem::size_of::<Coding>()
    );
}

/// A row serialises as its fields would: the memo always, the passages
/// when there are any.
#[test]
fn a_row_serialises_its_memo_and_passages() {
    let plain = serde_json::to_value(row(Notes::boxed(String::new(), Vec::new()))).unwrap();
    assert_eq!(plain["memo"], "");
    assert!(plain.get("passages").is_none());
    assert_eq!(plain["origin"], "coder:MH");
    let text = "Vi prøvede det nye system.";
    let p = crate::passage::Passage::of(text, 3, 10).unwrap();
    let noted = row(Notes::boxed("to\nlinjer".into(), vec![p.clone()]));
    assert_eq!(noted.memo(), "to\nlinjer");
    assert_eq!(noted.passages(), [p]);
    let v = serde_json::to_value(&noted).unwrap();
    assert_eq!(v["memo"], "to\nlinjer");
    assert_eq!(v["passages"].as_array().map(Vec::len), Some(1));
}

/// The example study's corpus and codebooks, read once.
fn example() -> &'static (spor_corpus::Corpus, spor_codebook::CodebookSet) {
    static EX: std::sync::OnceLock<(spor_corpus::Corpus, spor_codebook::CodebookSet)> =
        std::sync::OnceLock::new();
    EX.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sundtek");
        let study = spor_corpus::Study::open(&root).unwrap();
        let books = spor_codebook::CodebookSet::read(&study.codebook_paths()).unwrap();
        (spor_corpus::Corpus::read(&study), books)
    })
}

/// A row of `origin` on turn `turn` of `int-0<doc>` for the example's
/// code number `code`.
fn placed(doc: usize, turn: usize, code: usize, origin: Origin) -> Coding {
    let (_, books) = example();
    let (_, c) = books.codes().nth(code).unwrap();
    let status = match origin {
        Origin::Rule(_) => Status::Suggested,
        _ => Status::Accepted,
    };
    Coding {
        segment: format!("int-0{doc}#{turn}").into(),
        code: c.id.as_str().into(),
        codebook: Default::default(),
        origin,
        status,
        rules: Default::default(),
        matched: Default::default(),
        score: None,
        notes: None,
    }
}

proptest! {
    /// Rows end in corpus order, then codebook order, rules before
    /// people, then origin, whatever order they came in (rows already
    /// in that order are left as they are).
    #[test]
    fn rows_are_sorted_into_corpus_then_code_order(
        picks in proptest::collection::vec((1usize..4, 1usize..6, 0usize..4, 0usize..4), 0..40)
            .prop_shuffle()
    ) {
        let (corpus, books) = example();
        let origin = |o: usize| match o {
            0 => Origin::Rule("r1".into()),
            1 => Origin::Coder("AB".into()),
            2 => Origin::Coder("MH".into()),
            _ => Origin::Model("m".into()),
        };
        let rows: Vec<Coding> = picks
            .iter()
            .map(|&(d, t, c, o)| placed(d, t, c, origin(o)))
            .collect();
        let mut want = rows.clone();
        want.sort_by_key(|r| {
            let (d, t) = corpus.position(&r.segment).unwrap();
            let c = books.codes().position(|(_, c)| c.id == r.code.as_str()).unwrap();
            (d, t, c, !r.is_suggestion(), r.origin.clone())
        });
        let mut codings = super::Codings {
            rows,
            policy: super::Policy::default(),
            memos: Vec::new(),
            coverage: Default::default(),
        };
        super::sort_rows(&mut codings, corpus, books);
        let key = |r: &Coding| (r.segment.clone(), r.code.clone(), r.origin.clone());
        prop_assert_eq!(
            codings.rows.iter().map(key).collect::<Vec<_>>(),
            want.iter().map(key).collect::<Vec<_>>()
        );
        prop_assert!(codings.rows.iter().all(|r| !r.codebook.is_empty()));
    }

    /// Scores are written as `format!("{x:.3}")` writes them.
    #[test]
    fn three_decimals_as_format_writes_them(
        x in prop_oneof![(0u32..100_000).prop_map(|n| n as f32), proptest::num::f32::ANY]
    ) {
        let mut s = String::new();
        super::write_3_decimals(&mut s, x);
        prop_assert_eq!(s, format!("{x:.3}"));
    }

    /// Permuting in place gives what building a new vector in the
    /// order gives, for any order.
    #[test]
    fn permuting_in_place_equals_copying(
        order in (0usize..60).prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle())
    ) {
        let rows: Vec<String> = (0..order.len()).map(|i| format!("r{i}")).collect();
        let want: Vec<String> = order.iter().map(|&k| rows[k].clone()).collect();
        let mut got = rows;
        permute(&mut got, order);
        prop_assert_eq!(got, want);
    }
}
