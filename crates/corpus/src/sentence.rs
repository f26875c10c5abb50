//! Sentences inside a segment, a secondary unit of analysis: Unicode sentence
//! boundaries (UAX #29) with a Danish pass that does not split after common
//! abbreviations (f.eks., bl.a., dvs., ca., kl., nr., jf., evt., mht., osv.).

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

/// Danish abbreviations after which a sentence does not end.
pub const ABBREVIATIONS: &[&str] = &[
    "f.eks.", "fx.", "bl.a.", "dvs.", "ca.", "kl.", "nr.", "jf.", "evt.", "mht.", "osv.", "m.fl.",
    "mv.", "m.m.", "pga.", "ift.", "vedr.", "hhv.", "inkl.", "ekskl.", "iflg.", "ang.", "o.l.",
    "tlf.", "dr.", "prof.", "afd.", "st.", "pkt.", "s.", "stk.", "o.a.", "el.", "gl.",
];

/// Abbreviations that may also end a sentence: split after them only when the
/// next word starts with a capital letter.
const MAY_END: &[&str] = &["osv.", "m.fl.", "mv.", "m.m.", "o.l."];

/// A sentence: its index within the segment and its char range in the
/// segment's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// 1-based index within the segment.
    pub index: usize,
    /// Start, in chars from the start of the segment text.
    pub char_start: usize,
    /// End (exclusive), in chars.
    pub char_end: usize,
    /// The sentence's text (trimmed).
    pub text: String,
}

fn ends_with_abbreviation(s: &str) -> Option<&'static str> {
    let t = s.trim_end();
    let last = t.rsplit(|c: char| c.is_whitespace() || c == '(').next()?;
    let lower = last.to_lowercase();
    ABBREVIATIONS.iter().copied().find(|a| lower == *a)
}

/// Split `text` into sentences.
pub fn sentences(text: &str) -> Vec<Sentence> {
    // byte ranges of UAX #29 sentences, merged after abbreviations
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (start, s) in text.split_sentence_bound_indices() {
        let end = start + s.len();
        if let Some(last) = ranges.last_mut() {
            let prev = &text[last.0..last.1];
            if let Some(abbr) = ends_with_abbreviation(prev) {
                let next_upper = s
                    .trim_start()
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase);
                if !(MAY_END.contains(&abbr) && next_upper) {
                    last.1 = end;
                    continue;
                }
            }
        }
        ranges.push((start, end));
    }
    let mut out = Vec::new();
    let mut char_of = 0usize;
    let mut byte_of = 0usize;
    for (start, end) in ranges {
        let raw = &text[start..end];
        let lead = raw.len() - raw.trim_start().len();
        let body = raw.trim();
        if body.is_empty() {
            continue;
        }
        char_of += text[byte_of..start + lead].chars().count();
        byte_of = start + lead;
        let n = body.chars().count();
        out.push(Sentence {
            index: out.len() + 1,
            char_start: char_of,
            char_end: char_of + n,
            text: body.to_owned(),
        });
        char_of += n;
        byte_of += body.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        sentences(s).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        assert_eq!(
            texts("Vi bruger bl.a. Sundhedsplatformen. Det er f.eks. svært kl. 7 om morgenen. Ja."),
            vec![
                "Vi bruger bl.a. Sundhedsplatformen.",
                "Det er f.eks. svært kl. 7 om morgenen.",
                "Ja."
            ]
        );
        assert_eq!(
            texts("Det gælder dvs. Alle. Nej."),
            vec!["Det gælder dvs. Alle.", "Nej."]
        );
    }

    #[test]
    fn osv_may_end_a_sentence() {
        assert_eq!(
            texts("Monitorer, pumper osv. Det hele. Og osv. men."),
            vec!["Monitorer, pumper osv.", "Det hele.", "Og osv. men."]
        );
    }

    #[test]
    fn offsets_slice_back() {
        let s = "  Æble? Ja [griner]. Nr. 3 er ø.\nNy linje!";
        for x in sentences(s) {
            let got: String = s
                .chars()
                .skip(x.char_start)
                .take(x.char_end - x.char_start)
                .collect();
            assert_eq!(got, x.text);
        }
    }
}
