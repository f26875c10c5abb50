//! Selections to turns: every coded `PlainTextSelection` becomes one
//! coder-file row per turn it overlaps (segment `<document>#<turn>`).
//! A selection that covers only part of a turn is kept as a passage of that
//! turn (`start,end,quote` in the coder's file: character offsets into the
//! turn's text and the text between them), not widened to the turn; one
//! that covers the whole turn (leading and trailing whitespace aside) is a
//! coding of the whole turn.
//!
//! Nothing is dropped silently. A selection that overlaps several turns
//! codes each of them (spor's unit is the turn) and is listed; one that
//! starts past the end of its text is skipped and listed; one that only
//! ends past it is clamped and listed; one that lies wholly outside any
//! turn (a preamble, a label, blank lines) is skipped and listed. The
//! codings of the user `spor rules` (the rule suggestions of a spor export)
//! are kept apart, since they are not a person's decisions.
//!
//! The coder is the Coding's `creatingUser`, else the selection's, else the
//! project's creator. For NVivo the selection's comes first: NVivo writes
//! one selection per coding reference, and its Windows export stamps every
//! Coding with the user who exported (observed in the OLTAS sample, whose
//! Mac export of the same project keeps the coders).

use crate::Warnings;
use crate::project::{Coding, Note, Project, Selection, Source};
use crate::sources::Doc;
use serde::Serialize;
use spor_corpus::transcript::Turn;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The user name spor's export gives the rules' suggestions.
pub const RULES_USER: &str = "spor rules";

/// Counts of what became of the selections.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SelectionCounts {
    /// Coded text selections.
    pub total: usize,
    /// Placed in exactly one turn.
    pub mapped: usize,
    /// Overlapping several turns (each is coded).
    pub cross_turn: usize,
    /// Ending past the end of the text (clamped, then placed).
    pub clamped: usize,
    /// Starting past the end of the text, or with invalid positions (skipped).
    pub out_of_range: usize,
    /// Within the text but in no turn (skipped).
    pub outside_turns: usize,
    /// In sources that were left out for lack of text (skipped).
    pub no_text: usize,
    /// Selections in PDF, picture, audio and video sources (skipped).
    pub not_text: usize,
    /// Codings of a whole source rather than a selection (skipped).
    pub whole_source: usize,
    /// Codings whose code is not in the code tree (skipped).
    pub unknown_code: usize,
}

/// A passage of a turn: character offsets into the turn's text (end
/// exclusive) and the text between them.
pub type Passage = (usize, usize, String);

/// One coder's coding of a turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The segment id.
    pub segment: String,
    /// The passages selected, or `None` when a selection covered the whole
    /// turn (which then wins over passages of it).
    pub passages: Option<BTreeSet<Passage>>,
}

impl Row {
    /// Add one more selection of the turn (`None`: the whole turn).
    fn add(&mut self, passage: Option<Passage>) {
        match (&mut self.passages, passage) {
            (Some(ps), Some(p)) => {
                ps.insert(p);
            }
            (ps, None) => *ps = None,
            (None, Some(_)) => {}
        }
    }
}

/// One coder's rows: (document order, turn, code) -> the coding.
pub type Rows = BTreeMap<(usize, usize, String), Row>;

/// One coder's memos on codings: the same keys as [`Rows`] -> the memos,
/// in the project's order.
pub type CodingMemos = BTreeMap<(usize, usize, String), Vec<String>>;

/// A memo on a document or a code: (segment cell: the document id or
/// empty, code cell: empty or the code id, text).
pub type OtherMemo = (String, String, String);

/// The codings, by coder.
#[derive(Debug, Clone, Default)]
pub struct Codings {
    /// Coder name -> rows.
    pub coders: BTreeMap<String, Rows>,
    /// Coder name -> memos on that coder's codings (REFI-QDA notes on
    /// coded selections).
    pub coding_memos: BTreeMap<String, CodingMemos>,
    /// Coder name -> memos on documents and codes (notes on sources and
    /// codes), in document then code order.
    pub other_memos: BTreeMap<String, Vec<OtherMemo>>,
    /// The rule suggestions of a spor export.
    pub rules: Rows,
    /// What became of the selections.
    pub counts: SelectionCounts,
}

/// Coder names for users: the name (or initials, or GUID) as a file name,
/// unique; `rules` is spor's and becomes `rules-coder`.
pub fn coder_names(project: &Project) -> HashMap<String, String> {
    let mut used = BTreeSet::new();
    used.insert("rules".to_owned());
    let mut out = HashMap::new();
    for u in &project.users {
        if u.name.trim().eq_ignore_ascii_case(RULES_USER) {
            out.insert(u.guid.clone(), RULES_USER.to_owned());
            continue;
        }
        let mut base = crate::names::sanitize(&u.name);
        if base.is_empty() {
            base = crate::names::sanitize(&u.id);
        }
        if base.eq_ignore_ascii_case("rules") {
            base = "rules-coder".into();
        }
        let fallback = format!("coder-{}", u.guid.chars().take(8).collect::<String>());
        out.insert(
            u.guid.clone(),
            crate::names::unique(&base, &fallback, &mut used),
        );
    }
    out
}

/// The turns `[s, e)` (characters of the transcript) overlaps.
fn overlapping(turns: &[Turn], s: usize, e: usize) -> Vec<usize> {
    if s == e {
        return turns
            .iter()
            .position(|t| t.char_start <= s && s <= t.char_end && t.char_start < t.char_end)
            .into_iter()
            .collect();
    }
    let first = turns.partition_point(|t| t.char_end <= s);
    (first..turns.len())
        .take_while(|&i| turns[i].char_start < e)
        .filter(|&i| turns[i].char_start < turns[i].char_end)
        .collect()
}

/// The part of `turn` that `[s, e)` (characters of `text`) covers, as a
/// passage of the turn (whitespace at its ends left out), or `None` when it
/// covers the whole turn or only whitespace of it.
fn passage_of(text: &str, turn: &Turn, s: usize, e: usize) -> Option<Passage> {
    if s == e {
        return None;
    }
    let body = text.get(turn.byte_start..turn.byte_end)?;
    let (a, b) = (
        s.max(turn.char_start) - turn.char_start,
        e.min(turn.char_end).saturating_sub(turn.char_start),
    );
    let chars: Vec<char> = body.chars().collect();
    if a >= b || b > chars.len() {
        return None;
    }
    let part = &chars[a..b];
    let lead = part.iter().take_while(|c| c.is_whitespace()).count();
    let trail = part.iter().rev().take_while(|c| c.is_whitespace()).count();
    if lead == part.len() {
        return None;
    }
    let (a, b) = (a + lead, b - trail);
    let whole_lead = chars.iter().take_while(|c| c.is_whitespace()).count();
    let whole_trail = chars.len() - chars.iter().rev().take_while(|c| c.is_whitespace()).count();
    if a <= whole_lead && b >= whole_trail {
        return None;
    }
    Some((a, b, chars[a..b].iter().collect()))
}

/// Map every coded selection of every document to turns.
pub fn map_all(
    project: &Project,
    docs: &[Doc],
    code_ids: &HashMap<String, String>,
    file: &str,
    warn: &mut Warnings,
) -> Codings {
    let mut m = Mapper {
        project,
        docs,
        code_ids,
        file,
        names: coder_names(project),
        notes: project.notes.iter().map(|n| (n.guid.as_str(), n)).collect(),
        nvivo: project.origin.to_lowercase().contains("nvivo"),
        unknown_codes: BTreeSet::new(),
        out: Codings::default(),
    };
    let by_source: HashMap<usize, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.source, i))
        .collect();
    for (si, src) in project.sources.iter().enumerate() {
        m.map_source(by_source.get(&si).copied(), src, warn);
    }
    m.code_memos();
    m.finish(warn)
}

/// What the mapping of selections needs throughout, and what it gathers.
struct Mapper<'a> {
    project: &'a Project,
    docs: &'a [Doc],
    code_ids: &'a HashMap<String, String>,
    /// The file named in warnings.
    file: &'a str,
    /// Coder names by user GUID.
    names: HashMap<String, String>,
    /// The project's notes by GUID.
    notes: HashMap<&'a str, &'a Note>,
    /// NVivo keeps a coding's creator on the selection.
    nvivo: bool,
    /// Code GUIDs named by codings but absent from the code tree.
    unknown_codes: BTreeSet<String>,
    out: Codings,
}

/// Where a selection lands: its start and end in the transcript's
/// characters and the turns it overlaps.
struct Placed {
    start: usize,
    end: usize,
    turns: Vec<usize>,
}

impl<'a> Mapper<'a> {
    /// The coder name of a user (a name made from the GUID for a user the
    /// project does not list; `unknown` for none).
    fn coder_of(&self, user: Option<&String>) -> String {
        match user.and_then(|u| self.names.get(u)) {
            Some(n) => n.clone(),
            None => match user {
                Some(u) => format!("coder-{}", u.chars().take(8).collect::<String>()),
                None => "unknown".to_owned(),
            },
        }
    }

    /// A note's author, else the project's creator.
    fn note_owner(&self, n: &Note) -> String {
        self.coder_of(n.user.as_ref().or(self.project.creating_user.as_ref()))
    }

    /// One source: its counts, its notes as document memos and each coded
    /// selection onto the turns of its document (`di`: the document made
    /// from it, if any).
    fn map_source(&mut self, di: Option<usize>, src: &'a Source, warn: &mut Warnings) {
        let c = &mut self.out.counts;
        c.not_text += src.other_selections;
        c.whole_source += src.whole_codings;
        if src.whole_codings > 0 {
            warn.push(
                self.file,
                format!(
                    "source {:?}: {} coding(s) of the whole source skipped (spor codes turns)",
                    src.name, src.whole_codings
                ),
            );
        }
        let coded: Vec<&Selection> = src
            .selections
            .iter()
            .filter(|s| !s.codings.is_empty())
            .collect();
        c.total += coded.len();
        let Some(di) = di else {
            c.no_text += coded.len();
            return;
        };
        let docs = self.docs;
        let d = &docs[di];
        for n in src
            .note_refs
            .iter()
            .filter_map(|g| self.notes.get(g.as_str()))
        {
            let owner = self.note_owner(n);
            self.out.other_memos.entry(owner).or_default().push((
                d.id.clone(),
                String::new(),
                n.text.clone().unwrap_or_default(),
            ));
        }
        for sel in coded {
            let Some(placed) = self.place(d, sel, warn) else {
                continue;
            };
            for coding in &sel.codings {
                self.add_coding(di, sel, coding, &placed);
            }
        }
    }

    /// A selection's characters and turns, with the counts and warnings of
    /// what had to be clamped, spread or skipped (None: skipped).
    fn place(&mut self, d: &Doc, sel: &Selection, warn: &mut Warnings) -> Option<Placed> {
        let c = &mut self.out.counts;
        let file = self.file;
        let what = format!("source {:?} selection {}", d.name, sel.guid);
        let units = d.positions.units();
        let (start, end) = (sel.start, sel.end);
        if start < 0 || end < start {
            c.out_of_range += 1;
            warn.push(
                file,
                format!("{what}: invalid positions {start}-{end}; skipped"),
            );
            return None;
        }
        let Some(s) = d.positions.start_char(start as u64) else {
            c.out_of_range += 1;
            warn.push(
                file,
                format!(
                    "{what}: positions {start}-{end} are past the end of the text ({units} {}); skipped",
                    unit_word(self.project)
                ),
            );
            return None;
        };
        let e = match d.positions.end_char(end as u64) {
            Some(e) => e,
            None => {
                c.clamped += 1;
                warn.push(
                    file,
                    format!(
                        "{what}: ends at {end}, past the end of the text ({units} {}); clamped to the end",
                        unit_word(self.project)
                    ),
                );
                d.positions.chars()
            }
        };
        let (s, e) = (d.map[s] as usize, d.map[e] as usize);
        let turns = overlapping(&d.turns, s, e);
        match turns.len() {
            0 => {
                c.outside_turns += 1;
                warn.push(
                    file,
                    format!("{what}: lies outside every turn (preamble or labels only); skipped"),
                );
                return None;
            }
            1 => c.mapped += 1,
            n => {
                c.cross_turn += 1;
                warn.push(
                    file,
                    format!(
                        "{what}: spans {n} turns ({}#{}-{}); coded on each",
                        d.id,
                        turns[0] + 1,
                        turns[n - 1] + 1
                    ),
                );
            }
        }
        Some(Placed {
            start: s,
            end: e,
            turns,
        })
    }

    /// One coding of a placed selection: a row (with its passage) per turn
    /// for its coder, or for the rules, and the selection's notes as memos.
    fn add_coding(&mut self, di: usize, sel: &Selection, coding: &Coding, placed: &Placed) {
        let Some(code) = self.code_ids.get(&coding.code) else {
            self.out.counts.unknown_code += 1;
            self.unknown_codes.insert(coding.code.clone());
            return;
        };
        // NVivo writes one selection per coding reference and keeps
        // its creator there; the Windows export stamps every Coding
        // with whoever exported the project.
        let user = if self.nvivo {
            sel.user.as_ref().or(coding.user.as_ref())
        } else {
            coding.user.as_ref().or(sel.user.as_ref())
        }
        .or(self.project.creating_user.as_ref());
        let coder = self.coder_of(user);
        let memos = self.memos_of(sel, code);
        let is_rules = coder == RULES_USER;
        if !memos.is_empty() && !is_rules {
            let m = self.out.coding_memos.entry(coder.clone()).or_default();
            for &t in &placed.turns {
                let e = m.entry((di, t, code.clone())).or_default();
                for x in &memos {
                    if !e.contains(x) {
                        e.push(x.clone());
                    }
                }
            }
        }
        let rows = if is_rules {
            &mut self.out.rules
        } else {
            self.out.coders.entry(coder).or_default()
        };
        let docs = self.docs;
        let d = &docs[di];
        for &t in &placed.turns {
            let passage = passage_of(&d.text, &d.turns[t], placed.start, placed.end);
            rows.entry((di, t, code.clone()))
                .or_insert_with(|| Row {
                    segment: format!("{}#{}", d.id, t + 1),
                    passages: Some(BTreeSet::new()),
                })
                .add(passage);
        }
    }

    /// A selection's notes that are memos on its coding of `code`: a note
    /// that spor exported names its code (`<code> @ <segment>`) and belongs
    /// to that code only; any other note belongs to every coding.
    fn memos_of(&self, sel: &Selection, code: &str) -> Vec<String> {
        sel.note_refs
            .iter()
            .filter_map(|g| self.notes.get(g.as_str()))
            .filter(|n| match n.name.split_once(" @ ") {
                Some((c, _))
                    if sel
                        .codings
                        .iter()
                        .any(|x| self.code_ids.get(&x.code).is_some_and(|id| id == c)) =>
                {
                    c == code
                }
                _ => true,
            })
            .filter_map(|n| n.text.clone())
            .collect()
    }

    /// Notes on codes become memos on those codes.
    fn code_memos(&mut self) {
        for code in self.project.all_codes() {
            let Some(id) = self.code_ids.get(&code.guid) else {
                continue;
            };
            for n in code
                .note_refs
                .iter()
                .filter_map(|g| self.notes.get(g.as_str()))
            {
                let owner = self.note_owner(n);
                self.out.other_memos.entry(owner).or_default().push((
                    String::new(),
                    id.clone(),
                    n.text.clone().unwrap_or_default(),
                ));
            }
        }
    }

    /// The summary warnings (unknown codes, non-text selections) and the
    /// codings.
    fn finish(self, warn: &mut Warnings) -> Codings {
        let out = self.out;
        if !self.unknown_codes.is_empty() {
            warn.push(
                self.file,
                format!(
                    "{} coding(s) name a code that is not in the code tree ({}); skipped",
                    out.counts.unknown_code,
                    self.unknown_codes
                        .into_iter()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        if out.counts.not_text > 0 {
            warn.push(
                self.file,
                format!(
                    "{} selection(s) in PDF, picture, audio or video sources skipped (spor imports text sources)",
                    out.counts.not_text
                ),
            );
        }
        out
    }
}

fn unit_word(project: &Project) -> &'static str {
    match crate::positions::Unit::for_origin(&project.origin) {
        crate::positions::Unit::Utf16 => "UTF-16 code units",
        _ => "positions",
    }
}

/// A coder file (`segment,code,status,memo,start,end,quote`), rows in
/// document and turn order. A coding of passages is one row per passage
/// (each adds to the coding of its turn). A coding's first memo is in its
/// first row's `memo` cell, each later one in a repeated row (a coder's file
/// is a log: the memos are its history). After each document's rows a
/// `done` row, since the programs that write REFI-QDA compare coders over
/// whole documents (NVivo's coding comparison counts uncoded text as "not
/// coded"). Memos on documents (`segment` the document id, empty `code`)
/// and on codes (empty `segment`) follow as rows of status `memo`.
pub fn coder_csv(rows: &Rows, memos: Option<&CodingMemos>, others: &[OtherMemo]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["segment", "code", "status", "memo", "start", "end", "quote"]);
    let mut last: Option<&str> = None;
    for (key, row) in rows {
        let seg = row.segment.as_str();
        let doc = seg.rsplit_once('#').map(|x| x.0).unwrap_or(seg);
        if let Some(prev) = last.filter(|p| *p != doc) {
            let _ = w.write_record([prev, "", "done", "", "", "", ""]);
        }
        last = Some(doc);
        let code = key.2.as_str();
        let ms = memos
            .and_then(|m| m.get(key))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let cells: Vec<[String; 3]> = match &row.passages {
            Some(ps) if !ps.is_empty() => ps
                .iter()
                .map(|(a, b, q)| [a.to_string(), b.to_string(), q.clone()])
                .collect(),
            _ => vec![Default::default()],
        };
        for (i, [a, b, q]) in cells.iter().enumerate() {
            let memo = if i == 0 {
                ms.first().map(String::as_str).unwrap_or("")
            } else {
                ""
            };
            let _ = w.write_record([seg, code, "accepted", memo, a, b, q]);
        }
        let [a, b, q] = &cells[0];
        for m in ms.iter().skip(1) {
            let _ = w.write_record([seg, code, "accepted", m.as_str(), a, b, q]);
        }
    }
    if let Some(prev) = last {
        let _ = w.write_record([prev, "", "done", "", "", "", ""]);
    }
    for (seg, code, text) in others {
        let _ = w.write_record([
            seg.as_str(),
            code.as_str(),
            "memo",
            text.as_str(),
            "",
            "",
            "",
        ]);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(a: usize, b: usize) -> Turn {
        Turn {
            speaker: 0,
            label_as_written: "A".into(),
            timestamp: None,
            end_time: None,
            line_start: 1,
            line_end: 1,
            char_start: a,
            char_end: b,
            byte_start: a,
            byte_end: b,
        }
    }

    #[test]
    fn memos_follow_their_codings_then_documents_and_codes() {
        let whole = |s: &str| Row {
            segment: s.into(),
            passages: None,
        };
        let mut rows = Rows::new();
        rows.insert((0, 1, "a".into()), whole("d1#2"));
        rows.insert((0, 3, "b".into()), whole("d1#4"));
        let mut memos = CodingMemos::new();
        memos.insert((0, 1, "a".into()), vec!["først".into(), "siden".into()]);
        let others = vec![
            ("d1".to_owned(), String::new(), "om dokumentet".to_owned()),
            (String::new(), "b".to_owned(), "om koden".to_owned()),
        ];
        let csv = String::from_utf8(coder_csv(&rows, Some(&memos), &others)).unwrap();
        assert_eq!(
            csv,
            "segment,code,status,memo,start,end,quote\nd1#2,a,accepted,først,,,\nd1#2,a,accepted,siden,,,\nd1#4,b,accepted,,,,\nd1,,done,,,,\nd1,,memo,om dokumentet,,,\n,b,memo,om koden,,,\n"
        );
    }

    #[test]
    fn a_selection_of_part_of_a_turn_is_a_passage_of_it() {
        // "A: " then the turn's text "Ja, æøå 👍 godt.\n" (chars 3..19)
        let text = "A: Ja, æøå 👍 godt.\nB: Nej.\n";
        let t = Turn {
            byte_start: 3,
            byte_end: text.find('\n').unwrap(),
            ..turn(3, 18)
        };
        // the whole turn, with or without the label and the line break
        assert_eq!(passage_of(text, &t, 3, 18), None);
        assert_eq!(passage_of(text, &t, 0, 19), None);
        // a part: offsets into the turn's text, whitespace at its ends left out
        assert_eq!(passage_of(text, &t, 7, 12), Some((4, 9, "æøå 👍".into())));
        assert_eq!(passage_of(text, &t, 6, 13), Some((4, 9, "æøå 👍".into())));
        // a selection from inside the turn past its end: the rest of it
        assert_eq!(passage_of(text, &t, 13, 25), Some((10, 15, "godt.".into())));
        // only whitespace of the turn, or a point: the whole turn
        assert_eq!(passage_of(text, &t, 6, 7), None);
        assert_eq!(passage_of(text, &t, 8, 8), None);
    }

    #[test]
    fn overlaps() {
        let t = [turn(3, 10), turn(14, 20), turn(24, 24), turn(27, 30)];
        assert_eq!(overlapping(&t, 3, 10), vec![0]);
        assert_eq!(overlapping(&t, 0, 4), vec![0]);
        assert_eq!(overlapping(&t, 10, 14), Vec::<usize>::new(), "only the gap");
        assert_eq!(overlapping(&t, 5, 16), vec![0, 1]);
        assert_eq!(
            overlapping(&t, 0, 40),
            vec![0, 1, 3],
            "empty turns never match"
        );
        assert_eq!(overlapping(&t, 15, 15), vec![1]);
        assert_eq!(overlapping(&t, 12, 12), Vec::<usize>::new());
    }
}
