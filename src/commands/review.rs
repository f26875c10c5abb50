//! `spor review CODE --coder NAME`: walk through a code's unreviewed
//! suggestions and record the coder's decisions.
//!
//! Each card shows the turn with the words that carried the suggestion
//! marked, the turns before and after, what coders have already coded on
//! the turn (with their passages), and the rules or the model behind it.
//! Every answer is a row appended to the coder's file; undo appends a
//! `withdrawn` row.

use crate::Outcome;
use crate::args::{Cli, ReviewArgs};
use anyhow::{Result, bail};
use spor_codebook::Code;
use spor_coding::Coding;
use spor_coding::coders::{Decision, Entry, RowStatus};
use spor_coding::passage::Passage;
use spor_corpus::Segment;
use spor_pipeline::code::Coded;
use std::io::{BufRead, IsTerminal, Write};

const KEYS: &str = "keys: [a]ccept, [p]assage QUOTE (accept only that part of the turn), \
                    [r]eject, [s]kip, [m]emo TEXT, [u]ndo the last decision, [q]uit";

pub fn run(cli: &Cli, a: &ReviewArgs) -> Result<Outcome> {
    if a.coder == "rules" {
        bail!("`rules` is reserved for the rules as a coder; review as a person (--coder NAME)");
    }
    let c = super::code::code_study(cli, None)?;
    let Some((_, code)) = c.books.resolve(&a.code) else {
        bail!("unknown code {:?}", a.code);
    };
    let pending = queue(&c, code, a);
    if pending.is_empty() {
        println!("no unreviewed suggestions of {} for {}", a.code, a.coder);
        return Ok(Outcome::Ok);
    }
    let mut s = Session {
        c: &c,
        coder: &a.coder,
        code,
        pending,
        marks: marks(),
        accepted: 0,
        rejected: 0,
        skipped: 0,
        history: Vec::new(),
    };
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut out = std::io::stdout().lock();
    print_code(&mut out, code)?;
    let mut i = 0;
    'cards: while i < s.pending.len() {
        let Some(seg) = c.corpus.segment(&s.pending[i].segment) else {
            i += 1;
            continue;
        };
        s.print_card(&mut out, i, seg)?;
        loop {
            write!(
                out,
                "accept, passage, reject, skip, memo, undo or quit? [a/p/r/s/m/u/q] "
            )?;
            out.flush()?;
            let Some(line) = lines.next() else {
                writeln!(out)?;
                break 'cards;
            };
            match s.answer(&mut out, i, seg, line?.trim())? {
                Step::Stay => {}
                Step::Next => {
                    i += 1;
                    break;
                }
                Step::Back(j) => {
                    i = j;
                    break;
                }
                Step::Quit => break 'cards,
            }
        }
    }
    writeln!(
        out,
        "\n{} accepted, {} rejected, {} skipped; {} left; decisions are in codings/{}.csv",
        s.accepted,
        s.rejected,
        s.skipped,
        s.pending.len() - s.accepted - s.rejected,
        a.coder
    )?;
    Ok(Outcome::Ok)
}

/// The code's unreviewed suggestions for the coder: document order (the
/// rules' suggestions first, then the learned ones), or the learned
/// model's least certain turns first with `--order uncertainty`.
fn queue<'a>(c: &'a Coded, code: &Code, a: &ReviewArgs) -> Vec<&'a Coding> {
    let mut pending = c.codings.pending(&a.coder, &code.id);
    if a.order == crate::args::ReviewOrder::Uncertainty {
        let probability = |s: &str| {
            c.learned
                .as_ref()
                .and_then(|l| l.probability(&code.id, s, &c.corpus))
        };
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
    pending
}

/// How matched words are marked: colour on a terminal, `[[...]]` otherwise.
fn marks() -> (String, String) {
    if std::io::stdout().is_terminal() {
        (
            crate::output::HIT.render().to_string(),
            crate::output::HIT.render_reset().to_string(),
        )
    } else {
        ("[[".to_owned(), "]]".to_owned())
    }
}

/// The code's definition, criteria and examples, once, and the keys.
fn print_code(out: &mut impl Write, code: &Code) -> Result<()> {
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
    writeln!(out, "{KEYS}")?;
    Ok(())
}

/// What one answer does to the queue.
enum Step {
    /// Ask again about the same card.
    Stay,
    /// On to the next card.
    Next,
    /// Back to this card (undo).
    Back(usize),
    /// End the session.
    Quit,
}

/// One review session: the queue, the counts, and the decisions made in it
/// (for undo).
struct Session<'a> {
    c: &'a Coded,
    coder: &'a str,
    code: &'a Code,
    pending: Vec<&'a Coding>,
    marks: (String, String),
    accepted: usize,
    rejected: usize,
    skipped: usize,
    /// This session's decisions: (card, accepted?).
    history: Vec<(usize, bool)>,
}

impl Session<'_> {
    /// Card `i`: where the turn is, its neighbours, the turn with the
    /// matched words marked, what is coded on it already, and why it was
    /// suggested.
    fn print_card(&self, out: &mut impl Write, i: usize, seg: &Segment) -> Result<()> {
        let c = self.c;
        let sug = self.pending[i];
        let file = c
            .study
            .documents
            .iter()
            .find(|d| d.id == *seg.document())
            .map(|d| d.file.as_str())
            .unwrap_or("");
        writeln!(
            out,
            "\n[{}/{}] {}  {} ({})  {}:{}-{}  {}: {}",
            i + 1,
            self.pending.len(),
            seg.segment,
            seg.participant(),
            seg.profession(),
            file,
            seg.line_start,
            seg.line_end,
            self.code.id,
            self.code.label
        )?;
        let neighbour = |turn: u32| c.corpus.segment(&format!("{}#{}", seg.document(), turn));
        if let Some(prev) = seg.turn.checked_sub(1).and_then(neighbour) {
            let text = one_line(&prev.text, 300);
            writeln!(out, "  before ({}): {text}", prev.role())?;
        }
        let marked = mark(&seg.text, &sug.matched, &self.marks);
        writeln!(out, "  turn: {}", one_line(&marked, usize::MAX))?;
        if let Some(next) = neighbour(seg.turn + 1) {
            let text = one_line(&next.text, 300);
            writeln!(out, "  after ({}): {text}", next.role())?;
        }
        for line in coded_here(c, &seg.segment) {
            writeln!(out, "  coded: {line}")?;
        }
        if !sug.rules.is_empty() {
            writeln!(out, "  rules: {}", sug.rules.replace(' ', ", "))?;
        }
        let learned = c.learned.as_ref();
        if let Some(p) = learned.and_then(|l| l.probability(&self.code.id, &seg.segment, &c.corpus))
        {
            let words = if sug.is_learned() { &sug.matched } else { "" };
            writeln!(out, "  model: p = {p:.2} {words}")?;
        }
        Ok(())
    }

    /// Record one answer to card `i` and say where to go next.
    fn answer(
        &mut self,
        out: &mut impl Write,
        i: usize,
        seg: &Segment,
        answer: &str,
    ) -> Result<Step> {
        let (key, rest) = answer.split_once(' ').unwrap_or((answer, ""));
        let rest = rest.trim();
        let anchor = spor_coding::anchor::fingerprint(&seg.text);
        Ok(match key.to_lowercase().as_str() {
            "a" | "accept" | "r" | "reject" => {
                let yes = key.starts_with(['a', 'A']);
                let d = if yes {
                    Decision::Accepted
                } else {
                    Decision::Rejected
                };
                spor_coding::coders::append(
                    &self.c.study,
                    self.coder,
                    &seg.segment,
                    &self.code.id,
                    d,
                    rest,
                    &anchor,
                )?;
                self.decided(i, yes);
                Step::Next
            }
            "p" | "passage" => match self.passage(out, seg, rest)? {
                Some(p) => {
                    let quote = p.quote.clone();
                    self.entry(RowStatus::Accepted, "", seg, &anchor, Some(p))?;
                    writeln!(out, "accepted the passage {quote:?}")?;
                    self.decided(i, true);
                    Step::Next
                }
                None => Step::Stay,
            },
            "s" | "skip" => {
                self.skipped += 1;
                Step::Next
            }
            "m" | "memo" => {
                if rest.is_empty() {
                    writeln!(
                        out,
                        "write the memo after the key: m Tvivl om afgrænsningen"
                    )?;
                } else {
                    self.entry(RowStatus::Memo, rest, seg, &anchor, None)?;
                    writeln!(out, "memo recorded")?;
                }
                Step::Stay
            }
            "u" | "undo" => self.undo(out)?,
            "q" | "quit" => Step::Quit,
            _ => {
                writeln!(out, "please answer a, p QUOTE, r, s, m TEXT, u or q")?;
                Step::Stay
            }
        })
    }

    /// Count a decision on card `i` and keep it for undo.
    fn decided(&mut self, i: usize, yes: bool) {
        if yes {
            self.accepted += 1;
        } else {
            self.rejected += 1;
        }
        self.history.push((i, yes));
    }

    /// The passage `quote` names in the turn, or `None` after saying why
    /// not (missing, or found more than once: then with every candidate in
    /// context, so that a longer quote can tell them apart).
    fn passage(&self, out: &mut impl Write, seg: &Segment, quote: &str) -> Result<Option<Passage>> {
        if quote.is_empty() {
            writeln!(out, "quote the passage after the key: p ikke klar til det")?;
            return Ok(None);
        }
        let all = Passage::find_all(&seg.text, quote);
        match all.len() {
            1 => return Ok(all.into_iter().next()),
            0 => writeln!(
                out,
                "{quote:?} is not in {}; quote it as the turn has it",
                seg.segment
            )?,
            n => {
                writeln!(
                    out,
                    "{quote:?} occurs {n} times in {}; quote more of it:",
                    seg.segment
                )?;
                for p in &all {
                    writeln!(out, "  {}", p.in_context(&seg.text, 30))?;
                }
            }
        }
        Ok(None)
    }

    /// Append a row other than a plain decision (a passage, a memo, a
    /// withdrawal) to the coder's file.
    fn entry(
        &self,
        status: RowStatus,
        memo: &str,
        seg: &Segment,
        anchor: &str,
        passage: Option<Passage>,
    ) -> Result<()> {
        spor_coding::coders::append_entry(
            &self.c.study,
            self.coder,
            &Entry {
                segment: seg.segment.to_string(),
                code: self.code.id.clone(),
                status,
                memo: memo.to_owned(),
                anchor: anchor.to_owned(),
                passage,
            },
        )?;
        Ok(())
    }

    /// Withdraw this session's last decision and go back to its card.
    fn undo(&mut self, out: &mut impl Write) -> Result<Step> {
        let Some((j, yes)) = self.history.pop() else {
            writeln!(out, "nothing to undo in this session")?;
            return Ok(Step::Stay);
        };
        let back = self.pending[j];
        let Some(seg) = self.c.corpus.segment(&back.segment) else {
            return Ok(Step::Stay);
        };
        let anchor = spor_coding::anchor::fingerprint(&seg.text);
        self.entry(RowStatus::Withdrawn, "", seg, &anchor, None)?;
        if yes {
            self.accepted -= 1;
        } else {
            self.rejected -= 1;
        }
        writeln!(out, "withdrew the decision on {}", back.segment)?;
        Ok(Step::Back(j))
    }
}

/// The human codings already on a turn, one line per coder and code, with
/// the passages quoted (`R01: context «…»; whole turn` when not).
fn coded_here(c: &Coded, segment: &str) -> Vec<String> {
    c.codings
        .rows
        .iter()
        .filter(|r| r.segment == segment && r.status == spor_coding::Status::Accepted)
        .filter_map(|r| {
            let coder = r.origin.coder()?;
            let what = if r.passages().is_empty() {
                "whole turn".to_owned()
            } else {
                r.passages()
                    .iter()
                    .map(|p| format!("«{}»", one_line(&p.quote, 120)))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            Some(format!("{coder}: {} {what}", r.code))
        })
        .collect()
}

/// The turn with the words in `matched` (space-separated, lower case)
/// between the marks.
fn mark(text: &str, matched: &str, (open, close): &(String, String)) -> String {
    let mut marked = String::new();
    for word in split_keep(text) {
        let lower = word.to_lowercase();
        if matched.split(' ').any(|m| m == lower) {
            marked.push_str(open);
            marked.push_str(word);
            marked.push_str(close);
        } else {
            marked.push_str(word);
        }
    }
    marked
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
