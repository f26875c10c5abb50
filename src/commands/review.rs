//! `spor review CODE --coder NAME`: walk through a code's unreviewed
//! suggestions and record the coder's decisions.

use crate::Outcome;
use crate::args::{Cli, ReviewArgs};
use anyhow::{Result, bail};
use spor_coding::coders::{Decision, valid_coder};
use std::io::{BufRead, IsTerminal, Write};

pub fn run(cli: &Cli, a: &ReviewArgs) -> Result<Outcome> {
    if !valid_coder(&a.coder) {
        bail!(
            "{:?} is not a usable coder name (A-Z, a-z, 0-9, '.', '_', '-'; `rules` is reserved)",
            a.coder
        );
    }
    let c = super::code::code_study(cli, None)?;
    let Some((_, code)) = c.books.resolve(&a.code) else {
        bail!("unknown code {:?}", a.code);
    };
    let mine = format!("coder:{}", a.coder);
    let decided: std::collections::BTreeSet<&str> = c
        .codings
        .rows
        .iter()
        .filter(|r| r.origin == mine && r.code == code.id)
        .map(|r| r.segment.as_str())
        .collect();
    let pending: Vec<&spor_coding::Coding> = c
        .codings
        .rows
        .iter()
        .filter(|r| r.is_suggestion() && r.code == code.id && !decided.contains(r.segment.as_str()))
        .collect();
    let total = pending.len();
    if total == 0 {
        println!("no unreviewed suggestions of {} for {}", a.code, a.coder);
        return Ok(Outcome::Ok);
    }
    let color = std::io::stdout().is_terminal();
    let (open, close) = if color {
        ("\x1b[1;31m", "\x1b[0m")
    } else {
        ("[[", "]]")
    };
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut out = std::io::stdout().lock();
    let (mut accepted, mut rejected, mut skipped) = (0, 0, 0);
    'outer: for (i, sug) in pending.iter().enumerate() {
        let Some(seg) = c.corpus.segment(&sug.segment) else {
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
        if seg.turn > 1 {
            if let Some(prev) = c
                .corpus
                .segment(&format!("{}#{}", seg.document, seg.turn - 1))
            {
                writeln!(
                    out,
                    "  before ({}): {}",
                    prev.role,
                    one_line(&prev.text, 300)
                )?;
            }
        }
        // mark the words the rules matched
        let mut marked = String::new();
        for word in split_keep(&seg.text) {
            let lower = word.to_lowercase();
            if sug.matched.split(' ').any(|m| m == lower) {
                marked.push_str(open);
                marked.push_str(word);
                marked.push_str(close);
            } else {
                marked.push_str(word);
            }
        }
        writeln!(out, "  turn: {}", one_line(&marked, usize::MAX))?;
        writeln!(out, "  rules: {}", sug.rules.replace(' ', ", "))?;
        loop {
            write!(out, "accept, reject, skip or quit? [a/r/s/q] ")?;
            out.flush()?;
            let Some(line) = lines.next() else {
                writeln!(out)?;
                break 'outer;
            };
            let answer = line?.trim().to_lowercase();
            let decision = match answer.as_str() {
                "a" | "accept" => Some(Decision::Accepted),
                "r" | "reject" => Some(Decision::Rejected),
                "s" | "skip" => None,
                "q" | "quit" => break 'outer,
                _ => {
                    writeln!(out, "please answer a, r, s or q")?;
                    continue;
                }
            };
            match decision {
                Some(d) => {
                    spor_coding::coders::append(
                        &c.study,
                        &a.coder,
                        &seg.segment,
                        &code.id,
                        d,
                        "",
                        &spor_coding::anchor::fingerprint(&seg.text),
                    )?;
                    if d == Decision::Accepted {
                        accepted += 1;
                    } else {
                        rejected += 1;
                    }
                }
                None => skipped += 1,
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
