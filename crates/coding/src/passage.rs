//! Passages: a part of a turn that a coding is about.
//!
//! A coding may name a passage of its turn: `start` and `end` are 0-based
//! offsets in Unicode scalar values (Rust `char`s) into the turn's text as
//! spor holds it ([`spor_corpus::Segment::text`], NFC), `end` exclusive, and
//! `quote` is the text of that range. The turn stays the unit of counting:
//! a turn is coded X when any passage in it is.
//!
//! The quote is compared with the turn's text with every run of whitespace
//! made one space (a spreadsheet that turns a line break inside a quote into
//! a space does not break the coding), and case and letters exactly.
//!
//! ```
//! use spor_coding::passage::Passage;
//! let text = "Ja, altså vi prøvede det nye system 👍 i en uge";
//! let p = Passage::of(text, 10, 35).unwrap();
//! assert_eq!(p.quote, "vi prøvede det nye system");
//! assert!(p.check(text).is_ok());
//! // re-found by its quote after the turn changed
//! let new = "Ja altså, vi prøvede det nye system i en uge";
//! assert_eq!(p.refind(new).unwrap().start, 10);
//! ```

use serde::{Deserialize, Serialize};

/// A part of a turn: offsets in `char`s into the turn's text, and its quote.
/// (A deserialized passage is unchecked: call [`Passage::check`] against
/// the turn's text before recording it.)
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Passage {
    /// 0-based offset of its first character in the turn's text.
    pub start: usize,
    /// Offset just after its last character (exclusive).
    pub end: usize,
    /// The text of the range.
    pub quote: String,
}

/// Why a passage does not fit a turn, or cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PassageError {
    /// An offset is not a whole number.
    #[error("passage offset {0:?} is not a whole number of characters")]
    BadOffset(String),
    /// Some of `start`, `end` and `quote` are given, not all three.
    #[error("a passage needs `start`, `end` and `quote`; `{0}` is empty")]
    Incomplete(&'static str),
    /// `start` is not before `end`.
    #[error("passage start {start} is not before its end {end}")]
    Empty {
        /// The start offset.
        start: usize,
        /// The end offset.
        end: usize,
    },
    /// `end` is past the turn's last character.
    #[error("passage end {end} is past the turn's end ({len} characters)")]
    PastEnd {
        /// The end offset.
        end: usize,
        /// The turn's length in characters.
        len: usize,
    },
    /// The quote is not the turn's text at those offsets.
    #[error("the passage's quote {quote:?} is not the turn's text at {start}-{end} ({found:?})")]
    QuoteDiffers {
        /// The start offset.
        start: usize,
        /// The end offset.
        end: usize,
        /// The quote as written.
        quote: String,
        /// The turn's text at those offsets.
        found: String,
    },
    /// The range holds only whitespace.
    #[error("passage {start}-{end} holds only whitespace")]
    Blank {
        /// The start offset.
        start: usize,
        /// The end offset.
        end: usize,
    },
    /// The quote is nowhere in the turn.
    #[error("the quote {0:?} is not in the turn's text")]
    QuoteNotFound(String),
    /// The quote occurs more than once in the turn.
    #[error("the quote {quote:?} occurs {} times in the turn (at {})", candidates.len(), ranges(candidates))]
    Ambiguous {
        /// The quote.
        quote: String,
        /// Every occurrence.
        candidates: Vec<Passage>,
    },
}

fn ranges(ps: &[Passage]) -> String {
    ps.iter()
        .map(|p| format!("{}-{}", p.start, p.end))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text of `text` from char `start` to char `end`, if in range.
pub fn slice(text: &str, start: usize, end: usize) -> Option<&str> {
    if start > end {
        return None;
    }
    let mut idx = text.char_indices().map(|(i, _)| i).chain([text.len()]);
    let a = idx.nth(start)?;
    let b = if end == start {
        a
    } else {
        idx.nth(end - start - 1)?
    };
    Some(&text[a..b])
}

/// `text` with every run of whitespace made one space, trimmed.
fn normal(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Passage {
    /// The passage of `text` from char `start` to char `end`.
    pub fn of(text: &str, start: usize, end: usize) -> Result<Passage, PassageError> {
        if start >= end {
            return Err(PassageError::Empty { start, end });
        }
        let len = text.chars().count();
        let quote = slice(text, start, end).ok_or(PassageError::PastEnd { end, len })?;
        if quote.trim().is_empty() {
            return Err(PassageError::Blank { start, end });
        }
        Ok(Passage {
            start,
            end,
            quote: quote.to_owned(),
        })
    }

    /// Read the three cells of a coder's file. All empty: the whole turn
    /// (`None`). Checks the offsets' form and order; [`Passage::check`]
    /// checks them against the turn.
    pub fn from_cells(
        start: &str,
        end: &str,
        quote: &str,
    ) -> Result<Option<Passage>, PassageError> {
        let (s, e) = (start.trim(), end.trim());
        if s.is_empty() && e.is_empty() && quote.trim().is_empty() {
            return Ok(None);
        }
        for (name, v) in [("start", s), ("end", e), ("quote", quote.trim())] {
            if v.is_empty() {
                return Err(PassageError::Incomplete(name));
            }
        }
        let num = |v: &str| {
            if v.bytes().all(|b| b.is_ascii_digit()) {
                v.parse::<usize>()
                    .map_err(|_| PassageError::BadOffset(v.to_owned()))
            } else {
                Err(PassageError::BadOffset(v.to_owned()))
            }
        };
        let (start, end) = (num(s)?, num(e)?);
        if start >= end {
            return Err(PassageError::Empty { start, end });
        }
        Ok(Some(Passage {
            start,
            end,
            quote: quote.to_owned(),
        }))
    }

    /// Whether the passage fits `text`: the offsets are in order and within
    /// it, and the quote is its text there (whitespace runs compared as one
    /// space).
    pub fn check(&self, text: &str) -> Result<(), PassageError> {
        if self.start >= self.end {
            return Err(PassageError::Empty {
                start: self.start,
                end: self.end,
            });
        }
        let len = text.chars().count();
        let found = slice(text, self.start, self.end)
            .ok_or(PassageError::PastEnd { end: self.end, len })?;
        if normal(found) != normal(&self.quote) {
            return Err(PassageError::QuoteDiffers {
                start: self.start,
                end: self.end,
                quote: self.quote.clone(),
                found: found.to_owned(),
            });
        }
        Ok(())
    }

    /// Every occurrence of `quote` in `text` (whitespace runs compared as
    /// one space; the found range starts and ends on the quote's first and
    /// last non-blank characters), in text order. Each passage's quote is
    /// the turn's own text.
    pub fn find_all(text: &str, quote: &str) -> Vec<Passage> {
        let needle: Vec<char> = normal(quote).chars().collect();
        if needle.is_empty() {
            return Vec::new();
        }
        // the text with whitespace runs collapsed, and each kept char's
        // offset in the original text
        let mut hay: Vec<char> = Vec::new();
        let mut at: Vec<usize> = Vec::new();
        let mut blank = false;
        for (i, c) in text.chars().enumerate() {
            if c.is_whitespace() {
                blank = !hay.is_empty();
                continue;
            }
            if blank {
                hay.push(' ');
                at.push(i);
                blank = false;
            }
            hay.push(c);
            at.push(i);
        }
        let mut out = Vec::new();
        if needle.len() > hay.len() {
            return out;
        }
        for k in 0..=hay.len() - needle.len() {
            if hay[k..k + needle.len()] == needle[..] {
                let (start, end) = (at[k], at[k + needle.len() - 1] + 1);
                let quote = slice(text, start, end).unwrap_or_default().to_owned();
                out.push(Passage { start, end, quote });
            }
        }
        out
    }

    /// The one occurrence of `quote` in `text`; none or several is an error
    /// (the latter listing every candidate).
    pub fn find(text: &str, quote: &str) -> Result<Passage, PassageError> {
        let mut all = Passage::find_all(text, quote);
        match all.len() {
            0 => Err(PassageError::QuoteNotFound(quote.to_owned())),
            1 => Ok(all.remove(0)),
            _ => Err(PassageError::Ambiguous {
                quote: quote.to_owned(),
                candidates: all,
            }),
        }
    }

    /// Where this passage is in `text` now: itself if it still fits, else
    /// the occurrence of its quote nearest to its old start (the earlier
    /// one on a tie), or `None` when its quote is gone.
    pub fn refind(&self, text: &str) -> Option<Passage> {
        if self.check(text).is_ok() {
            return Some(Passage {
                quote: slice(text, self.start, self.end)?.to_owned(),
                ..self.clone()
            });
        }
        Passage::find_all(text, &self.quote)
            .into_iter()
            .min_by_key(|p| (p.start.abs_diff(self.start), p.start))
    }

    /// The source lines the passage spans, for a turn whose text starts at
    /// `line_start` (each line break in the turn's text is a new line).
    pub fn lines(&self, text: &str, line_start: usize) -> (usize, usize) {
        let before = |n: usize| text.chars().take(n).filter(|&c| c == '\n').count();
        (
            line_start + before(self.start),
            line_start + before(self.end.saturating_sub(1).max(self.start)),
        )
    }

    /// The passage a person names: by offsets (`range`), by its words
    /// (`quote`, which must occur once), or by both (then the quote must be
    /// the text at the offsets). Neither: the whole turn (`None`).
    pub fn select(
        text: &str,
        range: Option<(usize, usize)>,
        quote: Option<&str>,
    ) -> Result<Option<Passage>, PassageError> {
        match (range, quote) {
            (None, None) => Ok(None),
            (Some((s, e)), None) => Passage::of(text, s, e).map(Some),
            (None, Some(q)) => Passage::find(text, q).map(Some),
            (Some((s, e)), Some(q)) => {
                let p = Passage {
                    start: s,
                    end: e,
                    quote: q.to_owned(),
                };
                p.check(text)?;
                Passage::of(text, s, e).map(Some)
            }
        }
    }

    /// A few words around the passage in `text`, for a person choosing
    /// between candidates: `…before [quote] after…`.
    pub fn in_context(&self, text: &str, around: usize) -> String {
        let n = text.chars().count();
        let a = self.start.saturating_sub(around);
        let b = (self.end + around).min(n);
        // whitespace runs as one space, kept where they are
        let flat = |s: &str| {
            let mut o = String::new();
            for c in s.chars() {
                if !c.is_whitespace() {
                    o.push(c);
                } else if !o.ends_with(' ') {
                    o.push(' ');
                }
            }
            o
        };
        format!(
            "{}{}[{}]{}{}",
            if a > 0 { "…" } else { "" },
            flat(slice(text, a, self.start).unwrap_or_default()),
            flat(&self.quote),
            flat(slice(text, self.end, b).unwrap_or_default()),
            if b < n { "…" } else { "" },
        )
    }

    /// `start-end`, as written on the command line and in outputs.
    pub fn range(&self) -> String {
        format!("{}-{}", self.start, self.end)
    }

    /// Parse `START-END` (the `--passage` argument).
    pub fn parse_range(s: &str) -> Result<(usize, usize), PassageError> {
        let (a, b) = s
            .split_once('-')
            .ok_or_else(|| PassageError::BadOffset(s.to_owned()))?;
        let num = |v: &str| {
            let v = v.trim();
            if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
                v.parse::<usize>()
                    .map_err(|_| PassageError::BadOffset(v.to_owned()))
            } else {
                Err(PassageError::BadOffset(v.to_owned()))
            }
        };
        Ok((num(a)?, num(b)?))
    }
}

/// The passages of `ps`, sorted, with overlapping or touching ones joined
/// into one (their quote taken from `text`). Used where several codings'
/// passages of one turn are shown together.
pub fn union(text: &str, ps: &[Passage]) -> Vec<Passage> {
    let mut ranges: Vec<(usize, usize)> = ps.iter().map(|p| (p.start, p.end)).collect();
    ranges.sort();
    let mut joined: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match joined.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => joined.push((s, e)),
        }
    }
    joined
        .into_iter()
        .filter_map(|(s, e)| Passage::of(text, s, e).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TURN: &str = "Ja, altså, vi fik en skærm på stuen.\nDen virkede ikke, og ingen spurgte plejepersonalet først. Nej, ingen spurgte os.";

    #[test]
    fn of_and_check_use_chars_not_bytes() {
        let p = Passage::of(TURN, 11, 35).unwrap();
        assert_eq!(p.quote, "vi fik en skærm på stuen");
        assert!(p.check(TURN).is_ok());
        let mut bad = p.clone();
        bad.quote = "vi fik en skaerm på stuen".into();
        assert!(matches!(
            bad.check(TURN),
            Err(PassageError::QuoteDiffers { .. })
        ));
        let n = TURN.chars().count();
        assert!(matches!(
            Passage::of(TURN, 3, n + 1),
            Err(PassageError::PastEnd { .. })
        ));
        assert!(Passage::of(TURN, 3, n).is_ok());
        assert!(matches!(
            Passage::of(TURN, 5, 5),
            Err(PassageError::Empty { .. })
        ));
    }

    #[test]
    fn whitespace_runs_compare_as_one_space() {
        let p = Passage::of(TURN, 27, 48).unwrap();
        assert_eq!(p.quote, "på stuen.\nDen virkede");
        let mut q = p.clone();
        q.quote = "på stuen. Den  virkede".into();
        assert!(q.check(TURN).is_ok());
    }

    #[test]
    fn cells_all_empty_mean_the_whole_turn_and_bad_cells_are_named() {
        assert_eq!(Passage::from_cells("", " ", ""), Ok(None));
        assert_eq!(
            Passage::from_cells("3", "", "x"),
            Err(PassageError::Incomplete("end"))
        );
        assert_eq!(
            Passage::from_cells("-3", "5", "x"),
            Err(PassageError::BadOffset("-3".into()))
        );
        assert_eq!(
            Passage::from_cells("3.5", "5", "x"),
            Err(PassageError::BadOffset("3.5".into()))
        );
        assert_eq!(
            Passage::from_cells("7", "5", "x"),
            Err(PassageError::Empty { start: 7, end: 5 })
        );
        assert_eq!(Passage::from_cells("1", "3", "ab").unwrap().unwrap().end, 3);
    }

    #[test]
    fn find_lists_every_candidate_and_refind_takes_the_nearest() {
        let all = Passage::find_all(TURN, "ingen spurgte");
        assert_eq!(all.len(), 2);
        match Passage::find(TURN, "ingen spurgte") {
            Err(PassageError::Ambiguous { candidates, .. }) => assert_eq!(candidates, all),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Passage::find(TURN, "tablet"),
            Err(PassageError::QuoteNotFound(_))
        ));
        let first = Passage::find(TURN, "Den virkede ikke").unwrap();
        assert_eq!(first.start, 37);
        // a word inserted before the passage: re-found further on
        let new = TURN.replace("Ja, altså,", "Ja, altså, dengang");
        let moved = first.refind(&new).unwrap();
        assert_eq!(moved.start, 37 + " dengang".chars().count());
        assert_eq!(moved.quote, "Den virkede ikke");
        // the second "ingen spurgte" stays the second
        let second = all[1].clone();
        let again = second.refind(&new).unwrap();
        assert_eq!(again.start, second.start + " dengang".chars().count());
        assert_eq!(slice(&new, again.end, again.end + 3), Some(" os"));
        // nearest of two occurrences
        let two = "ok ja ok ja ok";
        let p = Passage::of(two, 12, 14).unwrap();
        assert_eq!(p.refind("ok ja ok ja ok ja").unwrap().start, 12);
        // 9 and 15 are both 3 away: the earlier wins
        assert_eq!(p.refind("xx ok ja ok ja ok").unwrap().start, 9);
        assert_eq!(p.refind("xxxx ok ja ok ja ok").unwrap().start, 11);
        assert!(p.refind("nej nej").is_none());
    }

    #[test]
    fn select_by_range_quote_or_both() {
        assert_eq!(Passage::select(TURN, None, None), Ok(None));
        let by_range = Passage::select(TURN, Some((37, 53)), None)
            .unwrap()
            .unwrap();
        assert_eq!(by_range.quote, "Den virkede ikke");
        let by_quote = Passage::select(TURN, None, Some("Den  virkede\nikke")).unwrap();
        assert_eq!(by_quote, Some(by_range.clone()));
        assert_eq!(
            Passage::select(TURN, Some((37, 53)), Some("Den virkede ikke")),
            Ok(Some(by_range.clone()))
        );
        assert!(matches!(
            Passage::select(TURN, Some((35, 53)), Some("Den virkede ikke")),
            Err(PassageError::QuoteDiffers { .. })
        ));
        assert_eq!(
            by_range.in_context(TURN, 6),
            "…tuen. [Den virkede ikke], og i…"
        );
    }

    #[test]
    fn lines_count_the_breaks_before_the_passage() {
        let p = Passage::find(TURN, "plejepersonalet").unwrap();
        assert_eq!(p.lines(TURN, 10), (11, 11));
        let p = Passage::find(TURN, "stuen. Den").unwrap();
        assert_eq!(p.lines(TURN, 10), (10, 11));
    }

    #[test]
    fn union_joins_overlaps_in_text_order() {
        let a = Passage::of(TURN, 11, 20).unwrap();
        let b = Passage::of(TURN, 15, 35).unwrap();
        let c = Passage::of(TURN, 37, 53).unwrap();
        let u = union(TURN, &[c.clone(), b, a]);
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].quote, "vi fik en skærm på stuen");
        assert_eq!(u[1], c);
    }

    fn danish_text() -> impl Strategy<Value = String> {
        // Danish letters, decomposed accents (combining ring/acute), emoji,
        // line breaks and spaces
        proptest::collection::vec(
            prop_oneof![
                Just("æ".to_string()),
                Just("ø".to_string()),
                Just("å".to_string()),
                Just("Æ".to_string()),
                Just("a\u{30a}".to_string()),
                Just("e\u{301}".to_string()),
                Just("👍🏽".to_string()),
                Just("🇩🇰".to_string()),
                Just(" ".to_string()),
                Just("\n".to_string()),
                "[a-zA-Z,.]{1,4}",
            ],
            1..40,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)))]
        #[test]
        fn offsets_round_trip(text in danish_text(), a in 0usize..200, b in 0usize..200) {
            let n = text.chars().count();
            let (s, e) = (a.min(b) % (n + 1), a.max(b) % (n + 1));
            prop_assume!(s < e);
            let chars: String = text.chars().skip(s).take(e - s).collect();
            let p = match Passage::of(&text, s, e) {
                Ok(p) => p,
                Err(err) => {
                    prop_assert!(chars.trim().is_empty(), "{err}");
                    return Ok(());
                }
            };
            // the quote is exactly those chars
            prop_assert_eq!(&p.quote, &chars);
            prop_assert!(p.check(&text).is_ok());
            // read back from cells as written
            let back = Passage::from_cells(&s.to_string(), &e.to_string(), &p.quote).unwrap();
            if !p.quote.trim().is_empty() {
                prop_assert_eq!(back.as_ref(), Some(&p));
                // refind on the same text keeps it in place
                prop_assert_eq!(p.refind(&text), Some(p.clone()));
                // every occurrence of the quote is text equal to it
                for c in Passage::find_all(&text, &p.quote) {
                    prop_assert!(c.check(&text).is_ok());
                    prop_assert_eq!(normal(&c.quote), normal(&p.quote));
                }
                // the text grown in front: the passage is found shifted
                let grown = format!("Øh… {text}");
                let r = p.refind(&grown).unwrap();
                prop_assert!(r.check(&grown).is_ok());
                prop_assert_eq!(normal(&r.quote), normal(&p.quote));
            }
        }
    }
}
