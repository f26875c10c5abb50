//! Speaker labels in an imported text: found, declared by a spor export,
//! or made. spor's unit is the speaker turn (`Label: text`), which
//! REFI-QDA does not have, so the import
//!
//! - keeps a text that already has speaker labels as it is, declaring the
//!   labels it finds (a label recurs at line starts, or opens a paragraph);
//! - reads the labels a spor export lists in a source's description
//!   (`Speakers (spor):` then `Label = participant (role)` lines);
//! - and otherwise makes each non-blank line (a paragraph, as NVivo and
//!   Word have them) a turn of one speaker, by writing `Label: ` before it.

use crate::text::CharMap;
use spor_corpus::Role;
use spor_corpus::transcript::parse_timestamp;
use std::collections::{BTreeMap, BTreeSet};

/// The first line of the speaker list a spor export writes into a text
/// source's description.
pub const SPOR_SPEAKERS: &str = "Speakers (spor):";

/// The label given to paragraphs of a text without speaker labels.
pub const UNKNOWN_LABEL: &str = "Ukendt";

/// Characters that make a `Word:` at a line start read as text, not as a
/// speaker label.
const NOT_IN_LABEL: &str = ".,!?;\"()[]{}<>/\\=+@#$%&|";

/// The speaker label a line starts with, if it looks like one: an
/// optional timestamp, then up to 4 words (at most 40 characters, starting
/// with a letter, no sentence punctuation), then `:` and a space or the end
/// of the line. Returns the label as written.
pub fn line_label(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let t = match parse_timestamp(t) {
        Some((_, n)) => &t[n..],
        None => t,
    };
    let colon = t.find(':')?;
    let after = t[colon + 1..].trim_start_matches(['*', '_']);
    if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
        return None;
    }
    let label = t[..colon].trim().trim_matches(['*', '_']).trim();
    let ok = !label.is_empty()
        && label.chars().count() <= 40
        && label.split_whitespace().count() <= 4
        && label.chars().next().is_some_and(char::is_alphabetic)
        && !label.chars().any(|c| NOT_IN_LABEL.contains(c));
    ok.then_some(label)
}

/// The speaker labels of a text, or `None` when it has none: labelled
/// lines must be at least a fifth of the text lines, or open at least
/// half of the paragraphs (blank-line separated, when there are at least
/// three). A label counts when it starts two lines or more, or opens a
/// paragraph of a text with blank-line separated paragraphs.
pub fn detect_labels(text: &str) -> Option<Vec<String>> {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    let mut opens: BTreeSet<String> = BTreeSet::new();
    let mut written: BTreeMap<String, String> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let (mut lines, mut paras) = (0usize, 0usize);
    let mut prev_blank = true;
    let mut per_line: Vec<(Option<String>, bool)> = Vec::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            prev_blank = true;
            continue;
        }
        lines += 1;
        paras += usize::from(prev_blank);
        let label = line_label(line).map(spor_corpus::study::fold_label);
        if let (Some(f), Some(w)) = (&label, line_label(line)) {
            *count.entry(f.clone()).or_default() += 1;
            if prev_blank {
                opens.insert(f.clone());
            }
            if !written.contains_key(f) {
                written.insert(f.clone(), w.to_owned());
                order.push(f.clone());
            }
        }
        per_line.push((label, prev_blank));
        prev_blank = false;
    }
    let keep = |f: &String| count[f] >= 2 || (paras >= 3 && opens.contains(f));
    let labelled = per_line
        .iter()
        .filter(|(l, _)| l.as_ref().is_some_and(keep))
        .count();
    let opening = per_line
        .iter()
        .filter(|(l, start)| *start && l.as_ref().is_some_and(keep))
        .count();
    let has = labelled > 0 && (labelled * 5 >= lines || (paras >= 3 && opening * 2 >= paras));
    has.then(|| {
        order
            .into_iter()
            .filter(keep)
            .map(|f| written[&f].clone())
            .collect()
    })
}

/// Write `Label: ` before every non-blank line (after a timestamp that
/// opens it). Returns the new text and where each character went; a
/// character at a line's start moves behind the label.
pub fn prefix_lines(text: &str, label_of_line: &dyn Fn(usize) -> String) -> (String, CharMap) {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut map: CharMap = Vec::with_capacity(text.chars().count() + 1);
    let mut o = 0u32;
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            map.push(o);
            out.push('\n');
            o += 1;
        }
        let lead = line.len() - line.trim_start().len();
        let at = if line.trim().is_empty() {
            None
        } else {
            Some(lead + parse_timestamp(&line[lead..]).map_or(0, |(_, k)| k))
        };
        for (b, c) in line.char_indices() {
            if Some(b) == at {
                let p = format!("{}: ", label_of_line(n));
                o += p.chars().count() as u32;
                out.push_str(&p);
            }
            map.push(o);
            out.push(c);
            o += 1;
        }
    }
    map.push(o);
    (out, map)
}

/// One speaker a spor export declared for a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// The label as written in the text.
    pub label: String,
    /// The participant id (a case's name).
    pub participant: String,
    /// The role in this document.
    pub role: Role,
}

/// The speakers a spor export lists in a source's description.
pub fn spor_speakers(description: &str) -> Option<Vec<Declared>> {
    let mut lines = description.lines().map(str::trim);
    lines.find(|l| *l == SPOR_SPEAKERS)?;
    let mut out = Vec::new();
    for l in lines {
        let Some((label, rest)) = l.rsplit_once(" = ") else {
            break;
        };
        let Some((participant, role)) = rest.strip_suffix(')').and_then(|r| r.split_once(" ("))
        else {
            break;
        };
        let Some(role) = Role::parse(role) else {
            break;
        };
        out.push(Declared {
            label: label.trim().to_owned(),
            participant: participant.trim().to_owned(),
            role,
        });
    }
    Some(out)
}

/// A role from a label's wording: interviewers, facilitators and observers
/// by the usual Danish and English words, everyone else a participant.
pub fn guess_role(label: &str) -> Role {
    let f = spor_corpus::study::fold_label(label);
    let first = f.split_whitespace().next().unwrap_or("");
    match first {
        "interviewer" | "intervieweren" | "int" | "i" | "medinterviewer" | "forsker" => {
            Role::Interviewer
        }
        "facilitator" | "facilitatoren" | "moderator" | "ordstyrer" => Role::Facilitator,
        "observatør" | "observer" => Role::Observer,
        _ => Role::Participant,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_lines() {
        assert_eq!(line_label("Interviewer: hej"), Some("Interviewer"));
        assert_eq!(line_label("[00:01:15] Læge: ja"), Some("Læge"));
        assert_eq!(line_label("**Underviser:** Sådan."), Some("Underviser"));
        assert_eq!(line_label("admin-1:     Sure."), Some("admin-1"));
        assert_eq!(line_label("Speaker 1:"), Some("Speaker 1"));
        assert_eq!(line_label("2021-10-30T08:45:00Z"), None);
        assert_eq!(line_label("see http://x"), None);
        assert_eq!(line_label("Det er sådan, at: noget"), None);
        assert_eq!(line_label("10:30 møde"), None);
    }

    #[test]
    fn detects_transcripts_not_prose() {
        let t = "Interview 3\nInterviewer: Hvad?\nLæge: Det.\nfortsat\nProblemet er: x\nInterviewer: Og?\nLæge: Ja.\n";
        assert_eq!(
            detect_labels(t),
            Some(vec!["Interviewer".to_string(), "Læge".to_string()])
        );
        let prose = "Kötelező oltás: a title\nsome comment\nanother comment\nmore\nand more\nKötelező oltás: a title\nx\ny\nz\nw\nv\n";
        assert_eq!(detect_labels(prose), None);
        let paras = "Max Bigman:   Hi there, this\nwraps.\n\nadmin-1:   Sure, and\nthis\nwraps\ntoo.\n\nAutomation:  Ends.\nmore\nmore\nmore\n";
        assert_eq!(
            detect_labels(paras),
            Some(vec![
                "Max Bigman".to_string(),
                "admin-1".to_string(),
                "Automation".to_string()
            ])
        );
    }

    #[test]
    fn prefixing_maps_characters() {
        let (t, m) = prefix_lines("ab\n\n[00:01] cd", &|_| "X".into());
        assert_eq!(t, "X: ab\n\n[00:01] X: cd");
        assert_eq!(m[0], 3, "a moves behind the label");
        assert_eq!(m[2], 5, "the line break");
        assert_eq!(m[12], 18, "c");
        assert_eq!(*m.last().unwrap() as usize, t.chars().count());
    }

    #[test]
    fn spor_speaker_lists() {
        let d = "Speakers (spor):\nInterviewer = R01 (interviewer)\nA = P33 (participant)\n";
        let s = spor_speakers(d).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].participant, "P33");
        assert_eq!(s[0].role, Role::Interviewer);
        assert!(spor_speakers("just a memo").is_none());
    }

    #[test]
    fn roles_from_labels() {
        assert_eq!(guess_role("Interviewer"), Role::Interviewer);
        assert_eq!(guess_role("Moderator"), Role::Facilitator);
        assert_eq!(guess_role("Speaker 2"), Role::Participant);
    }
}
