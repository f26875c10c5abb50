//! `spor review CODE --coder NAME`: walk through a code's unreviewed
//! suggestions and record the coder's decisions.

use crate::Outcome;
use crate::args::{Cli, ReviewArgs};
use anyhow::{Result, bail};
use spor_coding::coders::{Decision, RowStatus};
use std::io::{BufRead, IsTerminal, Write};

pub fn run(cli: &Cli, a: &ReviewArgs) -> Result<Outcome> {
    if a.coder == "rules" {
        bail!("`rules` is reserved for the rules as a coder; review as a person (--coder NAME)");
    }
    let c = super::code::code_study(cli, None)?;
    let Some((_, code)) = c.books.resolve(&a.code) else {
        bail!("unknown code {:?}", a.code);
    };
    // document order: the rules' suggestions first, then the learned ones
    let mut pending = c.codings.pending(&a.coder, &code.id);
    let probability = |s: &str| c.learned.as_ref().and_then(|l| l.probability(&code.id, s));
    if a.order == crate::args::ReviewOrder::Uncertainty {
        match c.learned.as_ref().map(|l| l.why_no_model(&code.id)) {
            Some(None) => {
                spor_learn::order_by_uncertainty(&mut pending, |r| probability(&r.segment))
            }
            Some(Some(why)) => {
                eprintln!("warning: no model for {}: {why}; document order", code.id)
            }
            None => eprintln!("warning: [learn] enabled = false; document order"),
        }
    }
    let total = pending.len();
    if total == 0 {
        println!("no unreviewed suggestions of {} for {}", a.code, a.coder);
        return Ok(Outcome::Ok);
    }
    let color = std::io::stdout().is_terminal();
    let (open, close) = if color {
        (
            crate::output::HIT.render().to_string(),
            crate::output::HIT.render_reset().to_string(),
        )
    } else {
        ("[[".to_owned(), "]]".to_owned())
    };
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut out = std::io::stdout().lock();
    // the code's definition, criteria and examples, once
    writeln!(out, "{}: {}", code.id, code.label)?;
    if !code.definition.trim().is_empty() {
        writeln!(
            out,
            "  definition: {}",
            one_line(code.definition.trim(), 600)
        )?;
    }
    for inc in &code.include {
        writeln!(out, "  include: {}", one_line(inc, 300))?;
    }
    for exc in &code.exclude {
        writeln!(out, "  exclude: {}", one_line(exc, 300))?;
    }
    for ex in code.examples.iter().take(2) {
        writeln!(out, "  example: {}", one_line(&ex.text, 300))?;
    }
    writeln!(
        out,
        "keys: [a]ccept, [r]eject, [s]kip, [m]emo TEXT, [u]ndo the last decision, [q]uit"
    )?;
    let (mut accepted, mut rejected, mut skipped) = (0usize, 0usize, 0usize);
    // decisions of this session, for undo: (index, accepted?)
    let mut history: Vec<(usize, bool)> = Vec::new();
    let mut i = 0;
    'outer: while i < pending.len() {
        let sug = pending[i];
        let Some(seg) = c.corpus.segment(&sug.segment) else {
            i += 1;
            continue;
        };
        let file = c
            .study
            .documents
            .iter()
            .find(|d| d.id == seg.document)
            .map(|d| d.file.as_str())
            .unwrap_or("");
        writeln!(
            out,
            "\n[{}/{}] {}  {} ({})  {}:{}-{}  {}: {}",
            i + 1,
            total,
            seg.segment,
            seg.participant,
            seg.profession,
            file,
            seg.line_start,
            seg.line_end,
            code.id,
            code.label
        )?;
        let neighbour = |turn: usize| c.corpus.segment(&format!("{}#{}", seg.document, turn));
        if let Some(prev) = seg.turn.checked_sub(1).and_then(neighbour) {
            writeln!(
                out,
                "  before ({}): {}",
                prev.role,
                one_line(&prev.text, 300)
            )?;
        }
        // mark the words the rules matched
        let mut marked = String::new();
        for word in split_keep(&seg.text) {
            let lower = word.to_lowercase();
            if sug.matched.split(' ').any(|m| m == lower) {
                marked.push_str(&open);
                marked.push_str(word);
                marked.push_str(&close);
            } else {
                marked.push_str(word);
            }
        }
        writeln!(out, "  turn: {}", one_line(&marked, usize::MAX))?;
        if let Some(next) = neighbour(seg.turn + 1) {
            writeln!(
                out,
                "  after ({}): {}",
                next.role,
                one_line(&next.text, 300)
            )?;
        }
        if !sug.rules.is_empty() {
            writeln!(out, "  rules: {}", sug.rules.replace(' ', ", "))?;
        }
        if let Some(p) = probability(&seg.segment) {
            let words = if sug.is_learned() {
                sug.matched.as_str()
            } else {
                ""
            };
            writeln!(out, "  model: p = {p:.2} {words}")?;
        }
        let anchor = spor_coding::anchor::fingerprint(&seg.text);
        loop {
            write!(
                out,
                "accept, reject, skip, memo, undo or quit? [a/r/s/m/u/q] "
            )?;
            out.flush()?;
            let Some(line) = lines.next() else {
                writeln!(out)?;
                break 'outer;
            };
            let line = line?;
            let answer = line.trim();
            let (key, rest) = answer.split_once(' ').unwrap_or((answer, ""));
            let entry = |status, memo: &str, segment: &str, anchor: &str| {
                spor_coding::coders::append_entry(
                    &c.study,
                    &a.coder,
                    &spor_coding::coders::Entry {
                        segment: segment.to_owned(),
                        code: code.id.clone(),
                        status,
                        memo: memo.to_owned(),
                        anchor: anchor.to_owned(),
                        passage: None,
                    },
                )
            };
            match key.to_lowercase().as_str() {
                "a" | "accept" | "r" | "reject" => {
                    let yes = key.starts_with(['a', 'A']);
                    let d = if yes {
                        Decision::Accepted
                    } else {
                        Decision::Rejected
                    };
                    spor_coding::coders::append(
                        &c.study,
                        &a.coder,
                        &seg.segment,
                        &code.id,
                        d,
                        rest.trim(),
                        &anchor,
                    )?;
                    if yes {
                        accepted += 1;
                    } else {
                        rejected += 1;
                    }
                    history.push((i, yes));
                    i += 1;
                }
                "s" | "skip" => {
                    skipped += 1;
                    i += 1;
                }
                "m" | "memo" => {
                    if rest.trim().is_empty() {
                        writeln!(
                            out,
                            "write the memo after the key: m Tvivl om afgrænsningen"
                        )?;
                        continue;
                    }
                    entry(RowStatus::Memo, rest.trim(), &seg.segment, &anchor)?;
                    writeln!(out, "memo recorded")?;
                    continue;
                }
                "u" | "undo" => {
                    let Some((j, yes)) = history.pop() else {
                        writeln!(out, "nothing to undo in this session")?;
                        continue;
                    };
                    let back = pending[j];
                    let back_anchor = c
                        .corpus
                        .segment(&back.segment)
                        .map(|s| spor_coding::anchor::fingerprint(&s.text))
                        .unwrap_or_default();
                    entry(RowStatus::Withdrawn, "", &back.segment, &back_anchor)?;
                    if yes {
                        accepted -= 1;
                    } else {
                        rejected -= 1;
                    }
                    writeln!(out, "withdrew the decision on {}", back.segment)?;
                    i = j;
                }
                "q" | "quit" => break 'outer,
                _ => {
                    writeln!(out, "please answer a, r, s, m TEXT, u or q")?;
                    continue;
                }
            }
            break;
        }
    }
    writeln!(
        out,
        "\n{accepted} accepted, {rejected} rejected, {skipped} skipped; {} left; decisions are in codings/{}.csv",
        total - accepted - rejected,
        a.coder
    )?;
    Ok(Outcome::Ok)
}

/// Words and the text between them, in order, so that joining gives the text.
fn split_keep(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_word = false;
    for (i, ch) in text.char_indices() {
        let w = ch.is_alphanumeric();
        if w != in_word && i > start {
            out.push(&text[start..i]);
            start = i;
        }
        in_word = w;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.chars().map(|c| if c == '\n' { ' ' } else { c }).collect();
    if flat.chars().count() > max {
        let cut: String = flat.chars().take(max).collect();
        format!("{cut}…")
    } else {
        flat
    }
}
