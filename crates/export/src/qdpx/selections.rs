//! Coded selections: each turn's codings, and each coded passage of a turn,
//! as `PlainTextSelection`s of its text source.
//!
//! A coding of the whole turn is a selection of the turn (`char_start` to
//! `char_end` of the exported text); a coding of passages is one selection
//! per passage, at the turn's start plus the passage's offsets (both count
//! Unicode code points, as REFI-QDA positions do). Codings of the same range
//! share one selection.

use super::xml::{code_guid, esc, guid, user_guid};
use spor_coding::{Codings, Status};
use spor_corpus::Segment;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// One coding of a segment: (code order, coder or None for the rules, code).
pub(super) type SegmentCoding<'a> = (usize, Option<&'a str>, &'a str);

/// A range of a turn: `None` for the whole turn, else a passage's offsets
/// within the turn's text.
type Range = Option<(usize, usize)>;

/// The codings of every segment, by range, in a stable order.
pub(super) struct Selections<'a> {
    by_segment: BTreeMap<&'a str, BTreeMap<Range, BTreeSet<SegmentCoding<'a>>>>,
}

impl<'a> Selections<'a> {
    /// Group the codings that are not rejected (of codes in `code_order`)
    /// by segment and range.
    pub(super) fn new(codings: &'a Codings, code_order: &BTreeMap<&str, usize>) -> Self {
        let mut by_segment: BTreeMap<&str, BTreeMap<Range, BTreeSet<SegmentCoding<'_>>>> =
            BTreeMap::new();
        for r in &codings.rows {
            if r.status == Status::Rejected {
                continue;
            }
            let Some(&i) = code_order.get(r.code.as_str()) else {
                continue;
            };
            let who = if r.is_suggestion() {
                None
            } else {
                match r.origin.coder() {
                    Some(c) => Some(c),
                    None => continue,
                }
            };
            let ranges = by_segment.entry(r.segment.as_str()).or_default();
            if r.passages().is_empty() {
                ranges
                    .entry(None)
                    .or_default()
                    .insert((i, who, r.code.as_str()));
            }
            for p in r.passages() {
                ranges
                    .entry(Some((p.start, p.end)))
                    .or_default()
                    .insert((i, who, r.code.as_str()));
            }
        }
        Selections { by_segment }
    }

    /// Write the selections of `s` (none when it is not coded), with the
    /// notes `notes` referred to from its first selection (the whole turn's
    /// when there is one).
    pub(super) fn write(&self, o: &mut String, s: &Segment, notes: &[String]) {
        let Some(ranges) = self.by_segment.get(s.segment.as_str()) else {
            return;
        };
        for (k, (range, rows)) in ranges.iter().enumerate() {
            let (start, end, key, name) = match range {
                None => (
                    s.char_start as usize,
                    s.char_end as usize,
                    s.segment.to_string(),
                    s.segment.to_string(),
                ),
                Some((a, b)) => (
                    s.char_start as usize + a,
                    s.char_start as usize + b,
                    format!("{}:{a}-{b}", s.segment),
                    format!("{} ({a}-{b})", s.segment),
                ),
            };
            let _ = writeln!(
                o,
                "      <PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{start}\" endPosition=\"{end}\">",
                guid(&format!("seg:{key}")),
                esc(&name),
            );
            for (_, who, code) in rows {
                let (user, origin) = match who {
                    None => (user_guid("rules"), "rules".to_owned()),
                    Some(c) => (user_guid(c), format!("coder:{c}")),
                };
                let coding_key = match range {
                    None => format!("coding:{}:{code}:{origin}", s.segment),
                    Some((a, b)) => format!("coding:{}:{code}:{origin}:{a}-{b}", s.segment),
                };
                let _ = writeln!(
                    o,
                    "        <Coding guid=\"{}\" creatingUser=\"{user}\">\n          <CodeRef targetGUID=\"{}\"/>\n        </Coding>",
                    guid(&coding_key),
                    code_guid(code)
                );
            }
            if k == 0 {
                for n in notes {
                    let _ = writeln!(o, "        <NoteRef targetGUID=\"{n}\"/>");
                }
            }
            o.push_str("      </PlainTextSelection>\n");
        }
    }
}
