//! The plain-text transcript reader (docs/FORMAT.md §2): speaker turns, optional
//! timestamps, continuation lines and the preamble.
//!
//! A turn starts at a line that begins with an optional timestamp, then a
//! speaker label that the document declares, then `:`. Everything else is
//! continuation text of the open turn, or preamble before the first turn.

use crate::{Diagnostic, Location};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// A timestamp written at the start of a turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timestamp {
    /// As written, without brackets (`00:01:15`).
    pub text: String,
    /// Seconds from the start of the recording.
    pub seconds: u32,
}

/// One speaker turn found in a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    /// Index into the labels the document declares.
    pub speaker: usize,
    /// The label as written in the file.
    pub label_as_written: String,
    /// The timestamp, if the turn had one.
    pub timestamp: Option<Timestamp>,
    /// End time, for formats that have one (subtitles).
    pub end_time: Option<Timestamp>,
    /// First line (1-based) of the turn in the source file.
    pub line_start: usize,
    /// Last line holding text of the turn.
    pub line_end: usize,
    /// Start of the turn's text in the normalised document text, in chars.
    pub char_start: usize,
    /// End (exclusive), in chars.
    pub char_end: usize,
    /// Start of the turn's text in the normalised text, in bytes.
    pub byte_start: usize,
    /// End (exclusive), in bytes.
    pub byte_end: usize,
}

/// The result of reading a transcript's turns.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The turns in order.
    pub turns: Vec<Turn>,
    /// Lines before the first turn (1-based, inclusive), if any hold text.
    pub preamble: Option<(usize, usize)>,
    /// Errors and warnings about the text.
    pub diagnostics: Vec<Diagnostic>,
}

/// Role-like words that, written as `Word:` at a line start, are almost
/// certainly a speaker label even when the document does not declare them.
const ROLE_WORDS: &[&str] = &[
    "interviewer",
    "intervieweren",
    "interviewperson",
    "informant",
    "informanten",
    "respondent",
    "deltager",
    "deltageren",
    "facilitator",
    "facilitatoren",
    "moderator",
    "observatør",
    "ordstyrer",
    "int",
    "ip",
];

/// Parse a timestamp at the start of `line`: `[hh:mm:ss]`, `[mm:ss]`,
/// `(mm:ss)`, `(hh:mm:ss)` or bare `hh:mm:ss` (fractions of a second after
/// `.` or `,` are accepted). Returns it and the byte length consumed,
/// including the whitespace after it.
pub fn parse_timestamp(line: &str) -> Option<(Timestamp, usize)> {
    let b = line.as_bytes();
    let (open, close) = match b.first() {
        Some(b'[') => (1, Some(b']')),
        Some(b'(') => (1, Some(b')')),
        Some(c) if c.is_ascii_digit() => (0, None),
        _ => return None,
    };
    let mut i = open;
    let mut parts: Vec<u32> = Vec::new();
    loop {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let n = i - start;
        if n == 0 || n > 2 || (!parts.is_empty() && n != 2) {
            return None;
        }
        parts.push(line[start..i].parse().ok()?);
        if i < b.len() && b[i] == b':' && parts.len() < 3 {
            i += 1;
        } else {
            break;
        }
    }
    if i < b.len() && (b[i] == b'.' || b[i] == b',') {
        let s = i + 1;
        let mut j = s;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > s {
            i = j;
        }
    }
    if parts.len() < 2 || (close.is_none() && parts.len() < 3) {
        return None;
    }
    if parts[1..].iter().any(|&p| p > 59) {
        return None;
    }
    let text = line[open..i].to_owned();
    if let Some(c) = close {
        if b.get(i) != Some(&c) {
            return None;
        }
        i += 1;
    }
    let ws = line[i..].len() - line[i..].trim_start().len();
    if ws == 0 && close.is_none() {
        return None;
    }
    let seconds = parts.iter().fold(0u32, |acc, &p| acc * 60 + p);
    Some((Timestamp { text, seconds }, i + ws))
}

/// The longest speaker label read, in chars (real minister titles with a
/// name in brackets reach 80-100).
pub const MAX_LABEL_CHARS: usize = 200;

/// Invisible format characters that editors and PDF extraction leave at a
/// line start (zero-width space and joiners, word joiner, BOM, direction
/// marks, soft hyphen): a label after them is read as if they were absent.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// The candidate label of a line: the text before its first `:`, without
/// Markdown emphasis. Returns the candidate and the byte offset where the
/// turn's text starts (after the colon, closing emphasis and spaces).
fn candidate(rest: &str) -> Option<(&str, usize)> {
    let colon = rest.find(':')?;
    let raw = &rest[..colon];
    let label = raw.trim().trim_matches(['*', '_']).trim();
    if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS {
        return None;
    }
    let after = &rest[colon + 1..];
    let after_marks = after.trim_start_matches(['*', '_']);
    let mut start = colon + 1 + (after.len() - after_marks.len());
    start += after_marks.len() - after_marks.trim_start().len();
    Some((label, start))
}

/// How strongly an undeclared `Word:` looks like a speaker label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelLike {
    No,
    Weak,
    Strong,
}

fn label_like(
    cand: &str,
    raw_line: &str,
    text: &str,
    had_timestamp: bool,
    other_labels: &BTreeSet<String>,
) -> LabelLike {
    let folded = cand.to_lowercase();
    if other_labels.contains(&folded) {
        return LabelLike::Strong;
    }
    let tokens: Vec<&str> = cand.split_whitespace().collect();
    if tokens.is_empty() {
        return LabelLike::No;
    }
    // The chair announcing an item of parliamentary business
    // (`Finansministeren (Bjarne Corydon): Lovforslag nr. L 1 (Forslag til
    // ...`): no speech starts with a numbered item, so at most a warning.
    if announces_item(text) {
        return LabelLike::Weak;
    }
    // A wrapped line that starts with a year, a clock time, `Punkt 3` or
    // `Kl.` is most likely text: at most a warning.
    let first = tokens[0].to_lowercase();
    if first.chars().all(|c| c.is_ascii_digit())
        || first == "kl."
        || first == "kl"
        || (first == "punkt" && tokens.len() == 2 && tokens[1].chars().all(|c| c.is_ascii_digit()))
    {
        return LabelLike::Weak;
    }
    let first_upper = |t: &str| {
        t.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    };
    // `Name (Party)`, `Formanden (Pia Kjærsgaard)`, `Ministeren for ... (Name)`
    if let Some(open) = cand.find('(') {
        let inner = &cand[open + 1..];
        let inner = inner.strip_suffix(')').unwrap_or("");
        if first_upper(tokens[0])
            && open > 0
            && !inner.trim().is_empty()
            && !inner.contains(['(', ')'])
            && inner.split_whitespace().all(&first_upper)
            && !cand[..open].contains(['.', '!', '?', '"', ';'])
        {
            return LabelLike::Strong;
        }
    }
    if cand.chars().any(|c| ".,!?;\"()[]{}".contains(c)) {
        return LabelLike::No;
    }
    if tokens.len() > 3 {
        return LabelLike::No;
    }
    if !first_upper(tokens[0]) {
        return LabelLike::No;
    }
    let bold = raw_line.trim_start().starts_with("**") || raw_line.trim_start().starts_with("__");
    let short_caps = tokens.len() == 1
        && tokens[0].chars().count() <= 4
        && tokens[0]
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit());
    let numbered = tokens.len() == 2 && tokens[1].chars().all(|c| c.is_ascii_digit());
    let role_word = ROLE_WORDS.contains(&tokens[0].to_lowercase().as_str());
    if had_timestamp || bold || short_caps || numbered || role_word {
        return LabelLike::Strong;
    }
    if tokens.len() == 1 || tokens.iter().all(|t| first_upper(t)) {
        return LabelLike::Weak;
    }
    LabelLike::No
}

/// Whether a text starts with a numbered item of parliamentary business:
/// a capitalised word, `nr.` and a number with an optional series letter
/// (`Lovforslag nr. L 1`, `Beslutningsforslag nr. B 6`, `Forespørgsel nr.
/// F 17`, `Lovforslag nr. 171`).
fn announces_item(text: &str) -> bool {
    let mut t = text.split_whitespace();
    let (Some(word), Some(nr), Some(id)) = (t.next(), t.next(), t.next()) else {
        return false;
    };
    let number = |s: &str| {
        let s = s.trim_end_matches(['.', ',', ':', ';']);
        !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
    };
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().all(char::is_alphabetic)
        && (nr == "nr." || nr == "nr")
        && (number(id)
            || (id.chars().count() == 1
                && id.chars().all(|c| c.is_ascii_uppercase())
                && t.next().is_some_and(number)))
}

/// A timestamp-like token in brackets at the start of a line that is not a
/// valid timestamp (`[100:00:00]`, `[00:75]`): its length with the
/// whitespace after it.
fn malformed_timestamp(line: &str) -> Option<usize> {
    let close = match line.as_bytes().first() {
        Some(b'[') => ']',
        Some(b'(') => ')',
        _ => return None,
    };
    let end = line.find(close)?;
    let inner = &line[1..end];
    let ok = inner.contains(':')
        && inner.len() <= 16
        && inner
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ','))
        && inner.split(':').all(|p| !p.is_empty());
    if !ok {
        return None;
    }
    let after = &line[end + 1..];
    Some(end + 1 + (after.len() - after.trim_start().len()))
}

/// Declared labels written after text on the same line, followed by `:`
/// (a label glued to the previous turn's last line, as PDF extraction
/// leaves it: `... tak.Formanden (Pia Kjærsgaard): Tak.`): the label and
/// its char column (1-based).
fn glued_labels<'a>(line: &str, labels: &'a [(String, usize)]) -> Vec<(&'a str, usize)> {
    let mut out = Vec::new();
    if !line.contains(':') {
        return out;
    }
    for (colon, _) in line.match_indices(':') {
        let before = &line[..colon];
        for (label, chars) in labels {
            if *chars < 2 {
                continue;
            }
            let Some((start, _)) = before.char_indices().rev().nth(chars - 1) else {
                continue;
            };
            if start == 0 || crate::study::fold_label(&before[start..]) != *label {
                continue;
            }
            let prev = before[..start].chars().next_back().unwrap_or(' ');
            let first = before[start..].chars().next().unwrap_or(' ');
            let glued = !prev.is_whitespace()
                && (".!?:;,)\"'»”".contains(prev) || (prev.is_lowercase() && first.is_uppercase()));
            if glued {
                out.push((label.as_str(), before[..start].chars().count() + 1));
            }
        }
    }
    out
}

/// Read the turns of a normalised transcript text.
///
/// `labels` are the labels the document declares (as written in the sheet);
/// `other_labels` are the folded labels declared anywhere in the study (an
/// undeclared label that another document uses is reported as an error).
pub fn parse(
    text: &str,
    labels: &[String],
    other_labels: &BTreeSet<String>,
    path: &Path,
) -> Parsed {
    let folded: HashMap<String, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (crate::study::fold_label(l), i))
        .collect();
    let glue: Vec<(String, usize)> = folded
        .keys()
        .map(|l| (l.clone(), l.chars().count()))
        .collect();
    let mut r = TurnReader {
        labels,
        other_labels,
        path,
        folded,
        glue,
        out: Parsed::default(),
        char_pos: 0,
        byte_pos: 0,
        open: None,
        content_started: false,
        first_text_line: None,
        last_preamble_line: 0,
    };
    for (idx, line) in text.split('\n').enumerate() {
        r.line(idx + 1, line);
    }
    r.finish()
}

/// The state of reading a transcript line by line.
struct TurnReader<'a> {
    /// The labels the document declares, as written.
    labels: &'a [String],
    /// The folded labels declared anywhere in the study.
    other_labels: &'a BTreeSet<String>,
    path: &'a Path,
    /// Folded declared label -> its index in `labels`.
    folded: HashMap<String, usize>,
    /// Folded declared labels with their lengths in chars.
    glue: Vec<(String, usize)>,
    out: Parsed,
    /// Chars before the current line.
    char_pos: usize,
    /// Bytes before the current line.
    byte_pos: usize,
    /// The turn being read.
    open: Option<Turn>,
    /// Whether the open turn has text yet (its label may stand alone).
    content_started: bool,
    /// The preamble's first and last lines (text before the first turn).
    first_text_line: Option<usize>,
    last_preamble_line: usize,
}

impl TurnReader<'_> {
    /// One line: an optional timestamp (a malformed one is skipped with a
    /// warning), then a declared label starts a turn, anything else
    /// continues the open turn or the preamble.
    fn line(&mut self, lineno: usize, line: &str) {
        let lead = line.len()
            - line
                .trim_start_matches(|c: char| c.is_whitespace() || is_invisible(c))
                .len();
        let invisible = line[..lead].chars().find(|&c| is_invisible(c));
        let trimmed = &line[lead..];
        let (ts, mut ts_len) = match parse_timestamp(trimmed) {
            Some((t, n)) => (Some(t), n),
            None => (None, 0),
        };
        let bad_ts = if ts.is_none() {
            malformed_timestamp(trimmed)
        } else {
            None
        };
        if let Some(n) = bad_ts {
            ts_len = n;
        }
        let rest = &trimmed[ts_len..];
        if let Some(c) = invisible.filter(|_| candidate(rest).is_some()) {
            self.warn(
                lineno,
                format!(
                    "invisible character U+{:04X} at the start of the line; read as if absent",
                    c as u32
                ),
                "remove it; editors and PDF extraction leave these",
            );
        }
        if let Some(n) = bad_ts {
            let written = trimmed[..n].trim_end();
            self.warn(
                lineno,
                format!("{written} is not a valid timestamp (hours have one or two digits, minutes and seconds 00-59); the line is read without it"),
                "correct the timestamp",
            );
        }
        let mut started = false;
        if let Some((cand, text_start)) = candidate(rest) {
            if let Some(&speaker) = self.folded.get(&crate::study::fold_label(cand)) {
                let start_byte = lead + ts_len + text_start;
                self.start_turn(lineno, line, speaker, cand, ts, start_byte);
                started = true;
            } else {
                self.undeclared(lineno, line, cand, &rest[text_start..], ts.is_some());
            }
        }
        for (label, col) in glued_labels(line, &self.glue) {
            let written = &self.labels[self.folded[label]];
            self.out.diagnostics.push(
                Diagnostic::error(
                    Location::line(self.path, lineno),
                    format!("speaker label {written:?} in the middle of the line (column {col}): its turn would be merged into the previous one"),
                )
                .with_hint("start the label on a line of its own"),
            );
        }
        if !started && !line.trim().is_empty() {
            self.continue_text(lineno, line);
        }
        let line_chars = if line.is_ascii() {
            line.len()
        } else {
            line.chars().count()
        };
        self.char_pos += line_chars + 1;
        self.byte_pos += line.len() + 1;
    }

    /// A warning on a line, with a hint.
    fn warn(&mut self, lineno: usize, message: String, hint: &str) {
        self.out
            .diagnostics
            .push(Diagnostic::warning(Location::line(self.path, lineno), message).with_hint(hint));
    }

    /// A declared label opens a turn (the open one ends); its text starts
    /// at `start_byte` of the line, or on a later line when the label
    /// stands alone.
    fn start_turn(
        &mut self,
        lineno: usize,
        line: &str,
        speaker: usize,
        cand: &str,
        ts: Option<Timestamp>,
        start_byte: usize,
    ) {
        if let Some(t) = self.open.take() {
            self.out.turns.push(t);
        }
        let start_char = self.char_pos + char_len(&line[..start_byte]);
        let has_text = !line[start_byte..].trim().is_empty();
        let end_char = self.char_pos + char_len(line.trim_end());
        self.open = Some(Turn {
            speaker,
            label_as_written: cand.to_owned(),
            timestamp: ts,
            end_time: None,
            line_start: lineno,
            line_end: lineno,
            char_start: start_char,
            char_end: if has_text { end_char } else { start_char },
            byte_start: self.byte_pos + start_byte,
            byte_end: if has_text {
                self.byte_pos + line.trim_end().len()
            } else {
                self.byte_pos + start_byte
            },
        });
        self.content_started = has_text;
    }

    /// A line that starts like a label the document does not declare: an
    /// error when it surely is one, a warning when it may be; read as text.
    fn undeclared(&mut self, lineno: usize, line: &str, cand: &str, after: &str, ts: bool) {
        match label_like(cand, line, after, ts, self.other_labels) {
            LabelLike::Strong => self.out.diagnostics.push(
                Diagnostic::error(
                    Location::line(self.path, lineno),
                    format!("unknown speaker {cand:?}"),
                )
                .with_hint(format!(
                    "declare {cand:?} for this document in participants.csv (declared: {})",
                    self.labels.join(", ")
                )),
            ),
            LabelLike::Weak => self.warn(
                lineno,
                format!("line starts like a speaker label, but {cand:?} is not declared for this document; read as text"),
                "declare it in participants.csv if it is a speaker",
            ),
            LabelLike::No => {}
        }
    }

    /// A line of text that starts no turn: it extends the open turn, or the
    /// preamble before the first turn.
    fn continue_text(&mut self, lineno: usize, line: &str) {
        let lead_ws = line.len() - line.trim_start().len();
        if let Some(t) = self.open.as_mut() {
            if !self.content_started {
                t.char_start = self.char_pos + char_len(&line[..lead_ws]);
                t.byte_start = self.byte_pos + lead_ws;
                self.content_started = true;
            }
            t.line_end = lineno;
            t.char_end = self.char_pos + char_len(line.trim_end());
            t.byte_end = self.byte_pos + line.trim_end().len();
        } else {
            self.first_text_line.get_or_insert(lineno);
            self.last_preamble_line = lineno;
        }
    }

    /// The last turn closed, the preamble's lines noted.
    fn finish(mut self) -> Parsed {
        if let Some(t) = self.open.take() {
            self.out.turns.push(t);
        }
        if let Some(first) = self.first_text_line {
            self.out.preamble = Some((first, self.last_preamble_line));
        }
        self.out
    }
}

fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

#[cfg(test)]
mod tests;
