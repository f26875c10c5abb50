//! Property tests: whatever the text (combining marks, characters outside
//! the BMP, CRLF, NFD), a segment's char offsets slice the normalised
//! document text back to exactly the segment's text, and the parsers never
//! panic.

use proptest::prelude::*;
use spor_corpus::decode::decode;
use spor_corpus::transcript::parse;
use std::collections::BTreeSet;
use std::path::Path;

fn slice(text: &str, a: usize, b: usize) -> String {
    text.chars().skip(a).take(b - a).collect()
}

/// Turn text: words of arbitrary Unicode (incl. combining marks and astral
/// characters), never a line break and never starting like a label.
fn turn_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-zæøåA-ZÆØÅ]{1,8}",
            "[\\u{0300}-\\u{036F}]{1,2}",
            "[\\u{1F600}-\\u{1F64F}\\u{10000}-\\u{1FFFF}]",
            "[\\p{L}\\p{M}\\p{N}]{1,6}",
            Just("[griner]".to_string()),
            Just("(pause)".to_string()),
            Just("å".to_string()),
        ],
        1..12,
    )
    .prop_map(|w| format!("x{}", w.join(" ")))
}

proptest! {
    #[test]
    fn offsets_slice_back(
        turns in prop::collection::vec((0usize..3, turn_text(), prop::option::of(turn_text()), any::<bool>()), 1..8),
        crlf in any::<bool>(),
        nfd in any::<bool>(),
    ) {
        let labels = vec!["Interviewer".to_string(), "Sygeplejerske".to_string(), "Læge 2".to_string()];
        let mut raw = String::from("Præambel linje\n");
        for (who, first, cont, ts) in &turns {
            if *ts { raw.push_str("[00:01:02] "); }
            raw.push_str(&labels[*who]);
            raw.push_str(": ");
            raw.push_str(first);
            raw.push('\n');
            if let Some(c) = cont { raw.push_str(c); raw.push('\n'); }
        }
        if nfd {
            use unicode_normalization::UnicodeNormalization;
            raw = raw.nfd().collect();
        }
        if crlf { raw = raw.replace('\n', "\r\n"); }
        let d = decode(raw.as_bytes(), Path::new("t.txt")).unwrap();
        let p = parse(&d.text, &labels, &BTreeSet::new(), Path::new("t.txt"));
        prop_assert_eq!(p.turns.len(), turns.len());
        let lines: Vec<&str> = d.text.split('\n').collect();
        for (t, (who, first, cont, _)) in p.turns.iter().zip(&turns) {
            prop_assert_eq!(t.speaker, *who);
            let got = slice(&d.text, t.char_start, t.char_end);
            prop_assert_eq!(&d.text[t.byte_start..t.byte_end], got.as_str());
            use unicode_normalization::UnicodeNormalization;
            let mut want: String = first.nfc().collect();
            if let Some(c) = cont { want.push('\n'); want.push_str(&c.nfc().collect::<String>()); }
            prop_assert_eq!(got.trim_end(), want.trim_end());
            prop_assert_eq!(&got, got.trim());
            prop_assert!(lines[t.line_start - 1].contains(&labels[*who]));
        }
    }

    #[test]
    fn decode_and_parse_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(d) = decode(&bytes, Path::new("t.txt")) {
            let p = parse(&d.text, &["A".to_string(), "B".to_string()], &BTreeSet::new(), Path::new("t.txt"));
            for t in p.turns {
                prop_assert!(t.char_start <= t.char_end);
                prop_assert!(t.char_end <= d.text.chars().count());
            }
        }
    }

    #[test]
    fn arbitrary_text_offsets(text in "\\PC{0,200}") {
        let text = text.replace('\r', "");
        let p = parse(&text, &["A".to_string()], &BTreeSet::new(), Path::new("t.txt"));
        for t in p.turns {
            let s = slice(&text, t.char_start, t.char_end);
            prop_assert_eq!(&text[t.byte_start..t.byte_end], s.as_str());
            prop_assert_eq!(s.trim(), s.as_str());
        }
    }

    #[test]
    fn sheet_parser_never_panics(text in "[a-zæø,;\"\\n#]{0,120}") {
        let _ = spor_corpus::sheet::Sheet::parse(&text, Path::new("s.csv"));
    }
}

/// The fast word counter agrees with Unicode word boundaries on every turn
/// of the example study.
#[test]
fn word_counts_match_uax29_on_the_example_study() {
    use unicode_segmentation::UnicodeSegmentation;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sundtek");
    let study = spor_corpus::Study::open(&root).unwrap();
    let corpus = spor_corpus::Corpus::read(&study);
    let mut n = 0;
    for s in corpus.segments() {
        assert_eq!(
            spor_corpus::segment::count_words(&s.text),
            s.text.unicode_words().count(),
            "{}: {}",
            s.segment,
            s.text
        );
        n += 1;
    }
    assert!(n > 700);
}
