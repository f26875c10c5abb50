//! Subtitle transcripts: WebVTT (`.vtt`) and SubRip (`.srt`), as
//! transcription services deliver them. A speaker comes from a `<v Speaker>`
//! voice tag or a `Speaker:` prefix (a label the document declares);
//! consecutive cues of the same speaker form one turn, which keeps the start
//! time of its first cue and the end time of its last. NOTE, STYLE and
//! REGION blocks are ignored, and so are other tags.
//!
//! The normalised text of a subtitle document is one line `Label: text` per
//! cue line of each turn; segment offsets point into it, line numbers into
//! the subtitle file.

use crate::transcript::{Parsed, Timestamp, Turn};
use crate::{Diagnostic, Location};
use std::collections::HashMap;
use std::path::Path;

/// One cue.
#[derive(Debug, Clone)]
struct Cue {
    start: u32,
    end: u32,
    start_text: String,
    speaker: Option<String>,
    lines: Vec<String>,
    first_line: usize,
    last_line: usize,
}

fn parse_time(s: &str) -> Option<(u32, String)> {
    // hh:mm:ss.mmm, mm:ss.mmm, hh:mm:ss,mmm
    let s = s.trim();
    let (main, _frac) = s.split_once(['.', ',']).unwrap_or((s, ""));
    let parts: Vec<&str> = main.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let nums: Vec<u32> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
    let secs = nums.iter().fold(0, |a, n| a * 60 + n);
    let (h, m, sec) = (secs / 3600, secs / 60 % 60, secs % 60);
    Some((secs, format!("{h:02}:{m:02}:{sec:02}")))
}

/// Remove tags; return the voice tag's speaker if the text has one.
fn strip_tags(line: &str) -> (String, Option<String>) {
    let mut out = String::new();
    let mut voice = None;
    let mut rest = line;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        match rest[i..].find('>') {
            Some(j) => {
                let tag = &rest[i + 1..i + j];
                if let Some(v) = tag.strip_prefix('v').filter(|t| t.starts_with([' ', '.'])) {
                    // <v Name> or <v.class Name>
                    let name = v.trim_start_matches(|c: char| c != ' ').trim();
                    if !name.is_empty() && voice.is_none() {
                        voice = Some(name.to_owned());
                    }
                }
                rest = &rest[i + j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ");
    (out.trim().to_owned(), voice)
}

fn cues(text: &str, vtt: bool, path: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Cue> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Vec::new();
    let mut i = 0;
    if vtt {
        match lines.first() {
            Some(l) if l.trim_start_matches('\u{feff}').starts_with("WEBVTT") => {}
            _ => diags.push(Diagnostic::error(
                Location::line(path, 1),
                "a WebVTT file must start with WEBVTT",
            )),
        }
        // skip the header block
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
    }
    while i < lines.len() {
        // skip blank lines
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        if i >= lines.len() {
            break;
        }
        let block_start = i;
        let mut block_end = i;
        while block_end < lines.len() && !lines[block_end].trim().is_empty() {
            block_end += 1;
        }
        let block = &lines[block_start..block_end];
        i = block_end;
        let first = block[0].trim();
        if vtt && (first.starts_with("NOTE") || first == "STYLE" || first.starts_with("REGION")) {
            continue;
        }
        let Some(t) = block.iter().position(|l| l.contains("-->")) else {
            diags.push(Diagnostic::warning(
                Location::line(path, block_start + 1),
                "block without a `-->` timing line ignored",
            ));
            continue;
        };
        let timing = block[t];
        let (a, b) = timing.split_once("-->").unwrap();
        let b = b.split_whitespace().next().unwrap_or("");
        let (Some((start, start_text)), Some((end, _))) = (parse_time(a), parse_time(b)) else {
            diags.push(Diagnostic::error(
                Location::line(path, block_start + t + 1),
                format!("invalid cue timing {:?}", timing.trim()),
            ));
            continue;
        };
        let mut speaker = None;
        let mut text_lines = Vec::new();
        for l in &block[t + 1..] {
            let (clean, voice) = strip_tags(l);
            if speaker.is_none() {
                speaker = voice;
            }
            if !clean.is_empty() {
                text_lines.push(clean);
            }
        }
        if text_lines.is_empty() {
            continue;
        }
        out.push(Cue {
            start,
            end,
            start_text,
            speaker,
            lines: text_lines,
            first_line: block_start + t + 2,
            last_line: block_end,
        });
    }
    out
}

/// Each cue's speaker (an index into `labels`): its voice tag, else a
/// `Label:` prefix (taken off its first line), else none (the speaker
/// before it goes on). An undeclared voice is an error.
fn speakers(
    cues: &mut [Cue],
    folded: &HashMap<String, usize>,
    labels: &[String],
    path: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Option<usize>> {
    let mut resolved: Vec<Option<usize>> = Vec::with_capacity(cues.len());
    for c in cues.iter_mut() {
        let mut who = None;
        if let Some(v) = &c.speaker {
            match folded.get(&crate::study::fold_label(v)) {
                Some(&i) => who = Some(i),
                None => diagnostics.push(
                    Diagnostic::error(
                        Location::line(path, c.first_line),
                        format!("unknown speaker {v:?}"),
                    )
                    .with_hint(format!(
                        "declare {v:?} for this document in participants.csv (declared: {})",
                        labels.join(", ")
                    )),
                ),
            }
        } else if let Some((cand, rest)) = c.lines[0].split_once(':')
            && let Some(&i) = folded.get(&crate::study::fold_label(cand))
        {
            who = Some(i);
            c.lines[0] = rest.trim().to_owned();
        }
        resolved.push(who);
    }
    resolved
}

/// Read a subtitle document. `labels` are the labels the document declares.
/// Returns the normalised text and its turns.
pub fn parse(text: &str, vtt: bool, labels: &[String], path: &Path) -> (String, Parsed) {
    let mut parsed = Parsed::default();
    let folded: HashMap<String, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (crate::study::fold_label(l), i))
        .collect();
    let mut cues = cues(text, vtt, path, &mut parsed.diagnostics);
    let resolved = speakers(&mut cues, &folded, labels, path, &mut parsed.diagnostics);
    // group consecutive cues of one speaker into turns
    let mut out = String::new();
    let mut chars = 0usize;
    let mut current: Option<usize> = None;
    for (c, who) in cues.iter().zip(&resolved) {
        let speaker = match who {
            Some(s) => Some(*s),
            None => current,
        };
        let Some(speaker) = speaker else {
            parsed.diagnostics.push(
                Diagnostic::error(
                    Location::line(path, c.first_line),
                    "cue without a speaker before any speaker",
                )
                .with_hint("mark speakers with <v Name> or `Name:` at the start of a cue"),
            );
            continue;
        };
        let new_turn = current != Some(speaker) || parsed.turns.is_empty();
        if new_turn {
            if !out.is_empty() {
                out.push('\n');
                chars += 1;
            }
            let prefix = format!("{}: ", labels[speaker]);
            out.push_str(&prefix);
            chars += prefix.chars().count();
            parsed.turns.push(Turn {
                speaker,
                label_as_written: labels[speaker].clone(),
                timestamp: Some(Timestamp {
                    text: c.start_text.clone(),
                    seconds: c.start,
                }),
                end_time: None,
                line_start: c.first_line,
                line_end: c.last_line,
                char_start: chars,
                char_end: chars,
                byte_start: out.len(),
                byte_end: out.len(),
            });
        } else {
            out.push('\n');
            chars += 1;
        }
        let body = c.lines.join("\n");
        out.push_str(&body);
        chars += body.chars().count();
        let t = parsed.turns.last_mut().expect("a turn is open");
        t.line_end = c.last_line;
        t.char_end = chars;
        t.byte_end = out.len();
        t.end_time = Some(Timestamp {
            text: String::new(),
            seconds: c.end,
        });
        current = Some(speaker);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    (out, parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Vec<String> {
        vec!["Interviewer".into(), "Radiograf".into()]
    }

    fn slice(t: &str, a: usize, b: usize) -> String {
        t.chars().skip(a).take(b - a).collect()
    }

    #[test]
    fn vtt_voice_tags_and_grouping() {
        let vtt = "WEBVTT\n\nNOTE this is ignored\n\nSTYLE\n::cue { color: red }\n\n1\n00:00:01.000 --> 00:00:03.500\n<v Interviewer>Hvordan gik det?</v>\n\n00:00:04.000 --> 00:00:06.000\n<v Radiograf>Det gik <i>fint</i>.\n\n00:00:06.000 --> 00:01:02.250 align:start\n<v Radiograf>Men systemet\nvar langsomt.\n";
        let (text, p) = parse(vtt, true, &labels(), Path::new("t.vtt"));
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.turns.len(), 2);
        assert_eq!(
            slice(&text, p.turns[0].char_start, p.turns[0].char_end),
            "Hvordan gik det?"
        );
        let r = &p.turns[1];
        assert_eq!(
            slice(&text, r.char_start, r.char_end),
            "Det gik fint.\nMen systemet\nvar langsomt."
        );
        assert_eq!(
            &text[r.byte_start..r.byte_end],
            "Det gik fint.\nMen systemet\nvar langsomt."
        );
        assert_eq!(r.timestamp.as_ref().unwrap().seconds, 4);
        assert_eq!(r.end_time.as_ref().unwrap().seconds, 62);
        assert_eq!((r.line_start, r.line_end), (13, 17));
        assert_eq!(
            text,
            "Interviewer: Hvordan gik det?\nRadiograf: Det gik fint.\nMen systemet\nvar langsomt.\n"
        );
    }

    #[test]
    fn srt_with_label_prefixes() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nInterviewer: Hej.\n\n2\n00:00:02,500 --> 00:00:05,000\nRadiograf: Hej med dig.\n\n3\n00:00:05,000 --> 00:00:07,000\nDet er godt.\n";
        let (text, p) = parse(srt, false, &labels(), Path::new("t.srt"));
        assert_eq!(p.turns.len(), 2);
        assert_eq!(
            slice(&text, p.turns[1].char_start, p.turns[1].char_end),
            "Hej med dig.\nDet er godt."
        );
    }

    #[test]
    fn unknown_voice_and_bad_timing() {
        let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ukendt>Hej\n\nxx --> yy\nHej\n";
        let (_, p) = parse(vtt, true, &labels(), Path::new("t.vtt"));
        let m: Vec<String> = p.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            m.iter()
                .any(|x| x.starts_with("t.vtt:4: error: unknown speaker \"Ukendt\"")),
            "{m:?}"
        );
        assert!(
            m.iter()
                .any(|x| x.starts_with("t.vtt:6: error: invalid cue timing")),
            "{m:?}"
        );
    }
}
