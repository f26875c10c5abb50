//! Trace dossiers: a learning goal (or format element, or code) followed to
//! the transcript lines behind it, readable on paper.

use crate::lang::{Lang, counted_text, split_text};
use spor_analysis::trace::{Trace, TracedCode};
use spor_analysis::{Cited, Evidence, MemoNote, Quote};

fn memo_lines(s: &mut String, memos: &[MemoNote], indent: &str) {
    for m in memos {
        let text = m.text.lines().collect::<Vec<_>>().join(" ");
        s.push_str(&format!("{indent}- *{}:* {text}\n", m.coder));
    }
}

/// JSON.
pub fn json(t: &Trace) -> Vec<u8> {
    crate::json(t)
}

/// Turns quoted in full per code in a dossier; the others are cited in a
/// table (segment, participant, profession, file, lines, coded by), so that
/// a dossier stays readable and its size bounded on large studies while
/// still naming every turn.
pub const QUOTED_PER_CODE: usize = 200;

/// Markdown: the element, each code with its finding, cue and translation,
/// every supporting turn with its citation and coding origin (the first
/// [`QUOTED_PER_CODE`] quoted in full), and the source files with their
/// SHA-256.
pub fn markdown(t: &Trace, study: &str) -> String {
    markdown_with(t, study, None)
}

/// [`markdown`] for a trace that holds only the quoted turns of each code
/// ([`spor_analysis::trace::trace_element_quoted`]): the other turns are
/// cited in the table straight from the evidence, one row at a time,
/// without building a [`Quote`] for each. The same Markdown as
/// [`markdown`] of the whole trace.
pub fn markdown_cited(t: &Trace, study: &str, ev: &Evidence) -> String {
    markdown_with(t, study, Some(ev))
}

/// [`markdown_cited`], streamed to `out` a few tens of kilobytes at a time:
/// at 1 GB a dossier cites millions of turns, and it is never held whole.
pub fn write_markdown_cited(
    t: &Trace,
    study: &str,
    ev: &Evidence,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_markdown(t, study, Some(ev), out)
}

fn markdown_with(t: &Trace, study: &str, ev: Option<&Evidence>) -> String {
    let mut out = Vec::new();
    write_markdown(t, study, ev, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("the dossier is text")
}

/// The Markdown is built in a buffer written out whenever it is this long.
const CHUNK: usize = 1 << 16;

fn write_markdown(
    t: &Trace,
    study: &str,
    ev: Option<&Evidence>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut s = format!(
        "# Evidence dossier: {} {}\n\n_Study: {study}. Codings counted under the policy `{}`: {}_\n\n",
        t.what,
        t.id,
        t.policy,
        counted_text(&t.policy, Lang::En)
    );
    s.push_str(&format!(
        "Coded turns, all codes together: {}. A turn is *reviewed* when a person coded it or accepted a rule's suggestion of it; reviewed turns are listed first.\n\n",
        split_text(
            t.reviewed_segments + t.unreviewed_segments,
            t.reviewed_segments,
            t.unreviewed_segments,
            Lang::En
        )
    ));
    if let Some(e) = &t.element {
        s.push_str(&format!("**{}** ({}): {}\n\n", e.id, e.kind, e.text));
    }
    if !t.answered_by.is_empty() {
        s.push_str("Answered by:\n\n");
        for e in &t.answered_by {
            s.push_str(&format!("- **{}** ({}): {}\n", e.id, e.kind, e.text));
        }
        s.push('\n');
    }
    for c in &t.codes {
        code_section(&mut s, c, ev, out)?;
    }
    if !t.document_memos.is_empty() {
        s.push_str("## Memos on the documents\n\n");
        for d in &t.document_memos {
            s.push_str(&format!("- `{}`:\n", d.document));
            memo_lines(&mut s, &d.memos, "  ");
        }
        s.push('\n');
    }
    if !t.sources.is_empty() {
        s.push_str("## Sources\n\n| document | file | SHA-256 |\n|---|---|---|\n");
        for src in &t.sources {
            s.push_str(&format!(
                "| {} | {} | `{}` |\n",
                src.document, src.file, src.sha256
            ));
        }
    }
    out.write_all(s.as_bytes())
}

/// A code's section of the dossier: its finding, cue, translation,
/// evidence and memos, then its turns (the first [`QUOTED_PER_CODE`]
/// quoted, the others cited in a table). With `ev`, the trace holds only
/// the quoted turns and the others come from the evidence.
fn code_section(
    s: &mut String,
    c: &TracedCode,
    ev: Option<&Evidence>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    s.push_str(&format!("## Code `{}`: {}\n\n", c.code, c.label));
    if !c.exists {
        s.push_str("**This code does not exist in the study's codebooks.**\n\n");
    }
    if let Some(f) = &c.finding {
        s.push_str(&format!("- **Finding:** {f}\n"));
    }
    if let Some(x) = &c.cue {
        s.push_str(&format!("- **Cue:** {x}\n"));
    }
    if let Some(x) = &c.translation {
        s.push_str(&format!("- **Translation:** {x}\n"));
    }
    let (turns, participants) = match ev {
        Some(ev) => {
            let parts: std::collections::BTreeSet<&str> = ev
                .counted_segments(&c.code)
                .iter()
                .map(|seg| seg.participant().as_str())
                .collect();
            (c.total, parts.len())
        }
        None => {
            let parts: std::collections::BTreeSet<&str> =
                c.segments.iter().map(|q| q.participant.as_str()).collect();
            (c.segments.len(), parts.len())
        }
    };
    s.push_str(&format!(
        "- **Evidence:** {} participant turns from {} participants\n",
        split_text(turns, c.reviewed_segments, c.unreviewed_segments, Lang::En),
        participants
    ));
    if !c.memos.is_empty() {
        s.push_str("- **Memos on the code:**\n");
        memo_lines(s, &c.memos, "  ");
    }
    s.push('\n');
    for q in c.segments.iter().take(QUOTED_PER_CODE) {
        quoted_turn(s, q);
    }
    if turns > QUOTED_PER_CODE {
        cited_header(s, turns - QUOTED_PER_CODE);
        match ev {
            Some(ev) => {
                let (segs, reviewed) = ev.reviewed_first(&c.code);
                for (i, seg) in segs.iter().enumerate().skip(QUOTED_PER_CODE) {
                    let x = ev.cite(seg, &c.code, i < reviewed);
                    cited_row(s, &x, &x.origins);
                    if s.len() >= CHUNK {
                        out.write_all(s.as_bytes())?;
                        s.clear();
                    }
                }
            }
            None => {
                for q in &c.segments[QUOTED_PER_CODE..] {
                    cited_row(
                        s,
                        &Cited {
                            segment: &q.segment,
                            participant: &q.participant,
                            profession: &q.profession,
                            file: &q.file,
                            line_start: q.line_start,
                            line_end: q.line_end,
                            origins: Vec::new(),
                            reviewed: q.reviewed,
                        },
                        &q.origins,
                    );
                }
            }
        }
        s.push('\n');
    }
    Ok(())
}

/// A turn quoted in full: its citation, who coded it, its text and memos.
fn quoted_turn(s: &mut String, q: &Quote) {
    s.push_str(&format!(
        "### {} · {} ({}) · {}, lines {}-{}{}\n\n",
        q.segment,
        q.participant,
        q.profession,
        q.file,
        q.line_start,
        q.line_end,
        q.timestamp
            .as_ref()
            .map(|t| format!(" · [{t}]"))
            .unwrap_or_default()
    ));
    s.push_str(&format!(
        "Coded by: {} ({})\n\n",
        q.origins.join(", "),
        crate::translation::support_note(q)
    ));
    for line in q.text.lines() {
        s.push_str(&format!("> {line}\n"));
    }
    s.push('\n');
    if !q.memos.is_empty() {
        s.push_str("Memos:\n\n");
        memo_lines(s, &q.memos, "");
        s.push('\n');
    }
}

/// The head of the table of the `n` turns past the quoted ones.
fn cited_header(s: &mut String, n: usize) {
    s.push_str(&format!(
        "The other {n} turns, cited:\n\n| segment | participant | profession | file | lines | coded by |\n|---|---|---|---|---|---|\n"
    ));
}

/// One row of the table of cited turns (`origins` rather than
/// `q.origins`, which a quote holds as text).
fn cited_row<D: std::fmt::Display>(s: &mut String, q: &Cited, origins: &[D]) {
    use std::fmt::Write as _;
    let _ = write!(
        s,
        "| {} | {} | {} | {} | {}-{} | ",
        q.segment, q.participant, q.profession, q.file, q.line_start, q.line_end
    );
    for (i, o) in origins.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "{o}");
    }
    s.push_str(if q.reviewed {
        " (reviewed) |\n"
    } else {
        " (unreviewed) |\n"
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_evidence_is_quoted_up_to_the_limit_and_cited_after_it() {
        let n = QUOTED_PER_CODE + 5;
        let segments: Vec<Quote> = (1..=n)
            .map(|i| Quote {
                segment: format!("int-01#{i}"),
                document: "int-01".into(),
                turn: i,
                participant: "P01".into(),
                profession: "læge".into(),
                text: format!("tur nummer {i}"),
                cut: 0,
                line_start: i,
                line_end: i,
                file: "transcripts/int-01.txt".into(),
                timestamp: None,
                origins: vec!["rule:r1".into()],
                reviewed: false,
                matched: vec!["tur".into()],
                memos: Vec::new(),
                passages: Vec::new(),
            })
            .collect();
        let t = Trace {
            id: "context".into(),
            what: "code".into(),
            element: None,
            answered_by: Vec::new(),
            codes: vec![TracedCode {
                code: "context".into(),
                label: "Kontekst".into(),
                finding: None,
                cue: None,
                translation: None,
                exists: true,
                total: n,
                reviewed_segments: 0,
                unreviewed_segments: n,
                memos: Vec::new(),
                segments,
            }],
            sources: Vec::new(),
            document_memos: Vec::new(),
            policy: "suggested-and-human".into(),
            reviewed_segments: 0,
            unreviewed_segments: n,
        };
        let md = markdown(&t, "test");
        assert_eq!(md.matches("\n> tur nummer").count(), QUOTED_PER_CODE);
        assert!(md.contains("The other 5 turns, cited:"));
        for i in QUOTED_PER_CODE + 1..=n {
            assert!(md.contains(&format!(
                "| int-01#{i} | P01 | læge | transcripts/int-01.txt | {i}-{i} | rule:r1 (unreviewed) |"
            )));
        }
        assert!(md.contains(&format!(
            "{n} ({} reviewed, {n} unreviewed) participant turns from 1 participants",
            0
        )));
        assert!(md.contains("rule suggestion, not reviewed (matched: tur)"));
        assert!(md.contains("Rule suggestions that nobody has reviewed are counted"));
    }

    #[test]
    fn memos_are_shown_in_order_with_their_coder() {
        let note = |c: &str, t: &str| MemoNote {
            coder: c.into(),
            text: t.into(),
        };
        let q = Quote {
            segment: "int-01#2".into(),
            document: "int-01".into(),
            turn: 2,
            participant: "P01".into(),
            profession: "læge".into(),
            text: "en tur".into(),
            cut: 0,
            line_start: 2,
            line_end: 2,
            file: "transcripts/int-01.txt".into(),
            timestamp: Some("00:01:15".into()),
            origins: vec!["coder:R01".into()],
            reviewed: true,
            matched: Vec::new(),
            memos: vec![note("R01", "først"), note("R01", "siden\nmere")],
            passages: Vec::new(),
        };
        let t = Trace {
            id: "context".into(),
            what: "code".into(),
            element: None,
            answered_by: Vec::new(),
            codes: vec![TracedCode {
                code: "context".into(),
                label: "Kontekst".into(),
                finding: None,
                cue: None,
                translation: None,
                exists: true,
                total: 1,
                reviewed_segments: 1,
                unreviewed_segments: 0,
                memos: vec![note("R02", "bred kode")],
                segments: vec![q],
            }],
            sources: Vec::new(),
            document_memos: vec![spor_analysis::trace::DocumentMemos {
                document: "int-01".into(),
                memos: vec![note("R02", "afbrudt")],
            }],
            policy: "human-only".into(),
            reviewed_segments: 1,
            unreviewed_segments: 0,
        };
        let md = markdown(&t, "test");
        assert!(md.contains(
            "### int-01#2 · P01 (læge) · transcripts/int-01.txt, lines 2-2 · [00:01:15]"
        ));
        assert!(md.contains("Coded by: coder:R01 (reviewed by a coder)"));
        assert!(
            md.contains("Memos:\n\n- *R01:* først\n- *R01:* siden mere\n"),
            "{md}"
        );
        assert!(md.contains("- **Memos on the code:**\n  - *R02:* bred kode\n"));
        assert!(md.contains("## Memos on the documents\n\n- `int-01`:\n  - *R02:* afbrudt\n"));
        assert!(md.contains("Only codings a person made or accepted are counted"));
    }
}
