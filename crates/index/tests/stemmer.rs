//! The Danish analyzer against Snowball's own vocabulary (all 23,832 words
//! must stem as output.txt says; data BSD-3-Clause, see
//! tests/data/snowball-danish/COPYING.snowball-data), and on real Danish text
//! (the UD Danish DDT treebank in ../shared/data, when present).

use spor_index::analyzer::{danish, exact, snowball, stem, tokens};
use spor_index::lexicon::{Lexicon, Pos};
use std::path::PathBuf;

fn data(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(p)
}

#[test]
fn snowball_vocabulary() {
    let voc = std::fs::read_to_string(data("snowball-danish/voc.txt")).unwrap();
    let out = std::fs::read_to_string(data("snowball-danish/output.txt")).unwrap();
    let (voc, out): (Vec<&str>, Vec<&str>) = (voc.lines().collect(), out.lines().collect());
    assert_eq!(voc.len(), 23_832);
    assert_eq!(voc.len(), out.len());
    let mut a = snowball();
    let mut wrong = Vec::new();
    for (w, s) in voc.iter().zip(&out) {
        let got: Vec<String> = tokens(&mut a, w).into_iter().map(|t| t.text).collect();
        if got != [s.to_string()] {
            wrong.push(format!("{w}: want {s}, got {got:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} differ, e.g. {:?}",
        wrong.len(),
        voc.len(),
        &wrong[..wrong.len().min(10)]
    );
}

/// spor's analyzer differs from Snowball only where the lexicon knows the
/// word or the noun its compound ends in.
#[test]
fn lexicon_changes_only_what_it_lists() {
    let voc = std::fs::read_to_string(data("snowball-danish/voc.txt")).unwrap();
    let out = std::fs::read_to_string(data("snowball-danish/output.txt")).unwrap();
    let lex = Lexicon::get();
    let mut a = danish();
    let (mut listed, mut compounds, mut derivations) = (0, Vec::new(), Vec::new());
    let (mut weak, mut adjectives) = (Vec::new(), Vec::new());
    let (mut sb, mut stem_keyed) = (snowball(), 0);
    for (w, s) in voc.lines().zip(out.lines()) {
        let got: Vec<String> = tokens(&mut a, w).into_iter().map(|t| t.text).collect();
        if got == [s.to_string()] {
            continue;
        }
        if let Some((lemma, pos)) = lex.lemma(w) {
            if lex.stem_keyed(w) {
                // a weak verb in -te or an adjective's neuter in -t: the key
                // of its present (which the lexicon does not list) or of the
                // adjective as Snowball stems it
                let want = if pos == Pos::Verb {
                    let present = format!("{lemma}r");
                    assert!(lex.lemma(&present).is_none(), "{present}");
                    stem(&present)
                } else {
                    tokens(&mut sb, lemma).remove(0).text
                };
                assert_eq!(got, [want], "{w}");
                stem_keyed += 1;
            } else {
                assert_eq!(got, [lemma.to_string()]);
            }
            listed += 1;
        } else {
            match lex.compound(w) {
                Some(c) => {
                    assert_eq!(got, std::slice::from_ref(&c), "{w}");
                    compounds.push(format!("{w}->{c}"));
                }
                None if got != [format!("{s}~")]
                    && ["t", "ste", "able", "ible"].iter().any(|e| w.ends_with(e)) =>
                {
                    // an adjective's neuter, superlative or syncopated
                    // plural: the key of the adjective (with one consonant
                    // of a doubled pair)
                    let mut bases: Vec<String> = ["este", "est", "ste", "st", "t"]
                        .iter()
                        .filter_map(|e| w.strip_suffix(e))
                        .flat_map(|b| [b.to_owned(), undouble(b).to_owned()])
                        .collect();
                    for (pl, sg) in [("able", "abel"), ("ible", "ibel")] {
                        if let Some(b) = w.strip_suffix(pl) {
                            bases.push(format!("{b}{sg}"));
                        }
                    }
                    assert!(
                        bases.iter().any(|b| got == [stem(b)]),
                        "{w}: {got:?}, stem {s}"
                    );
                    adjectives.push(format!("{w}->{}", got[0]));
                }
                None if !lex.is_lemma(s) => {
                    // the past of a weak verb: its infinitive's key
                    let base = w.strip_suffix("de").or_else(|| w.strip_suffix("des"));
                    let base = base.filter(|b| b.ends_with('e')).unwrap_or_else(|| {
                        panic!("{w}: {got:?}, stem {s}");
                    });
                    assert_eq!(got, [stem(base)], "{w}");
                    weak.push(format!("{w}->{base}"));
                }
                None => {
                    assert_eq!(got, [format!("{s}~")]);
                    derivations.push(w.to_owned());
                }
            }
        }
    }
    if std::env::var_os("SPOR_DANISH_TABLE").is_some() {
        eprintln!(
            "{listed} listed, {} compounds: {compounds:?}\n{} derivations: {derivations:?}\n{} weak pasts: {weak:?}\n{} adjective forms: {adjectives:?}",
            compounds.len(),
            derivations.len(),
            weak.len(),
            adjectives.len()
        );
    }
    assert!(listed > 300, "{listed}");
    assert!(weak.len() > 300, "{}", weak.len());
    assert!(stem_keyed > 100, "{stem_keyed}");
    assert!(adjectives.len() > 40, "{}", adjectives.len());
}

/// A word without its last letter.
fn undouble(w: &str) -> &str {
    w.char_indices().last().map_or(w, |(i, _)| &w[..i])
}

fn ddt() -> Option<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/ud-danish-ddt/da_ddt-ud-test.conllu");
    match std::fs::read_to_string(&p) {
        Ok(s) => Some(s),
        Err(_) => {
            eprintln!("skipped: {} is absent", p.display());
            None
        }
    }
}

#[test]
fn real_danish_text_keeps_letters_and_conflates_inflections() {
    let Some(text) = ddt() else { return };
    let mut ex = exact();
    let mut da = danish();
    let (mut with_danish_letters, mut nouns, mut same) = (0usize, 0usize, 0usize);
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 4 {
            continue;
        }
        let (form, lemma, pos) = (cols[1], cols[2], cols[3]);
        for t in tokens(&mut ex, form) {
            assert_eq!(t.text, t.text.to_lowercase());
            assert!(t.text.chars().all(char::is_alphanumeric), "{t:?}");
            if t.text.contains(['æ', 'ø', 'å']) {
                with_danish_letters += 1;
            }
        }
        if pos == "NOUN"
            && form.chars().all(char::is_alphabetic)
            && lemma.chars().all(char::is_alphabetic)
        {
            nouns += 1;
            let f: Vec<String> = tokens(&mut da, form).into_iter().map(|t| t.text).collect();
            let l: Vec<String> = tokens(&mut da, lemma).into_iter().map(|t| t.text).collect();
            if f == l {
                same += 1;
            }
        }
    }
    assert!(
        with_danish_letters > 1000,
        "æ/ø/å survive tokenising: {with_danish_letters}"
    );
    let ratio = same as f64 / nouns as f64;
    eprintln!(
        "DDT test set: {same} of {nouns} nouns stem like their lemma ({:.1} %)",
        ratio * 100.0
    );
    assert!(ratio > 0.85, "{ratio}");
}

#[test]
fn no_folding_no_stop_words() {
    assert_ne!(stem("får"), stem("far"));
    assert_ne!(stem("mål"), stem("mal"));
    assert_eq!(stem("ikke"), "ikk");
    assert_eq!(stem("sundhedsteknologien"), stem("sundhedsteknologi"));
}
