//! `spor code`, `spor code add|remove`, and the coding pipeline other
//! commands share.

use crate::Outcome;
use crate::args::{Cli, CodeAction, CodeArgs, CodeDoneArgs, CodeEditArgs, CodeMemoArgs};
use anyhow::{Result, bail};
use spor_coding::Status;
use spor_coding::coders::{Decision, RowStatus};
use spor_corpus::Segment;
use spor_export::table::{Align, Table};
use std::collections::BTreeMap;

pub use spor_pipeline::code::Coded;
pub use spor_pipeline::open::{known_attributes, load_codebooks};

/// Read the study, bring the index up to date, run the rules and merge
/// the coders' files (their problems go to stderr; warnings unless
/// `--quiet`).
pub fn code_study(cli: &Cli, policy: Option<&str>) -> Result<Coded> {
    let policy = policy.map(spor_pipeline::code::parse_policy).transpose()?;
    let study = super::open_study(cli)?;
    Ok(spor_pipeline::code::code_study(
        study,
        policy,
        &crate::progress::CliObserver::new(cli),
    )?)
}

pub fn run(cli: &Cli, a: &CodeArgs) -> Result<Outcome> {
    match &a.action {
        Some(CodeAction::Add(e)) => return edit(cli, e, Decision::Accepted),
        Some(CodeAction::Remove(e)) => return edit(cli, e, Decision::Rejected),
        Some(CodeAction::Done(d)) => return done(cli, d),
        Some(CodeAction::Memo(m)) => return memo(cli, m),
        None => {}
    }
    code_all(cli, a)
}

/// `spor code` without an action: code the study into out/codings.csv, or
/// report the last result when nothing changed since (see
/// `spor_pipeline::fresh`).
fn code_all(cli: &Cli, a: &CodeArgs) -> Result<Outcome> {
    use spor_pipeline::fresh;
    let started = fresh::now_ns();
    let policy = a
        .policy
        .as_deref()
        .map(spor_pipeline::code::parse_policy)
        .transpose()?;
    let study = super::open_study(cli)?;
    let obs = crate::progress::CliObserver::new(cli);
    // what decides out/codings.csv besides the study's files
    let settings = format!("policy={:?} csv-dialect={:?}", a.policy, cli.csv_dialect);
    let inputs = fresh::Inputs::take(&study, started, &[]);
    let mut products = vec![OUTPUT.to_owned()];
    products.extend(spor_pipeline::code::products());
    let products: Vec<&str> = products.iter().map(String::as_str).collect();
    if let Some(last) = fresh::check(&study.root, "code", &settings, &inputs, &products)
        .and_then(|v| serde_json::from_value::<Summary>(v).ok())
    {
        return replay(a, &obs, last);
    }
    let root = study.root.clone();
    let recorder = spor_pipeline::Recorder::new(&obs);
    let c = spor_pipeline::code::code_study(study, policy, &recorder)?;
    let dialect = super::csv_dialect(cli, &c.study)?;
    crate::timing::time("write codings.csv", || {
        spor_corpus::fsutil::write_atomic_with(&root.join(OUTPUT), |file| {
            spor_coding::stream_codings_csv(&c.codings, &c.corpus, dialect, file)
        })
    })?;
    let summary = Summary::of(&c, recorder.kept());
    let outcome = summary.print(a.json, false)?;
    // a run that could not keep its caches or anchors says so again next
    // time instead of being reused
    let clean = c.cache.read_error.is_none()
        && c.cache.write_error.is_none()
        && c.learned.as_ref().is_none_or(|l| l.cache_error.is_none())
        && !c
            .coder_files
            .diagnostics
            .iter()
            .any(|d| d.location.path == std::path::Path::new(spor_coding::anchor::ANCHOR_FILE));
    if clean && let Ok(v) = serde_json::to_value(&summary) {
        // a stamp not written only means the work is done again next time
        let _ = fresh::record(&root, "code", &settings, inputs, &products, v);
    }
    Ok(outcome)
}

/// Where `spor code` writes, relative to the study folder.
const OUTPUT: &str = "out/codings.csv";

/// What `spor code` reports, kept to report again when nothing changed.
#[derive(serde::Serialize, serde::Deserialize)]
struct Summary {
    /// The `--json` object.
    json: serde_json::Value,
    /// The table's rows.
    codes: Vec<CodeRow>,
    /// Rows written.
    rows: usize,
    policy: String,
    /// What the rules cache did.
    rules: (usize, usize, usize),
    /// The learned models' summary lines, as this run says them and as a
    /// run that finds every model in the cache does.
    learned: Vec<String>,
    learned_again: Vec<String>,
    /// The warnings and errors said while coding.
    messages: Vec<(spor_pipeline::Level, String)>,
    /// Rows of the coders' files that do not count.
    errors: usize,
}

impl Summary {
    fn of(c: &Coded, messages: Vec<(spor_pipeline::Level, String)>) -> Summary {
        let codes = code_rows(c);
        let json = serde_json::json!({
            "output": OUTPUT,
            "policy": c.codings.policy.as_str(),
            "codes": codes,
            "cache": c.cache,
            "learned": c.learned.as_ref().map(|l| &l.reports),
            "coder_files": {
                "errors": c.coder_files.errors().count(),
                "moved": c.coder_files.moved,
                "orphaned": c.coder_files.orphaned,
                "newly_anchored": c.coder_files.newly_anchored,
            },
            "up_to_date": false,
        });
        let k = &c.cache;
        Summary {
            json,
            codes,
            rows: c.codings.rows.len(),
            policy: c.codings.policy.as_str().to_owned(),
            rules: (k.rules_run, k.rules_reused, k.documents_rerun),
            learned: c.learned.iter().flat_map(|l| l.summary()).collect(),
            learned_again: c.learned.iter().flat_map(|l| l.summary_reused()).collect(),
            messages,
            errors: c.coder_files.errors().count(),
        }
    }

    /// Print the summary (as JSON with `json`) and give the exit outcome.
    /// `again`: the result of an earlier run, reported again.
    fn print(&self, json: bool, again: bool) -> Result<Outcome> {
        if json {
            crate::output::json(&self.json)?;
        } else {
            print!("{}", code_table(&self.codes).render());
            if again {
                println!(
                    "\nout/codings.csv is up to date ({} rows): nothing changed since the last `spor code`; counting policy: {}",
                    self.rows, self.policy
                );
                println!("rules: none run (nothing changed)");
            } else {
                println!(
                    "\nwrote out/codings.csv ({} rows); counting policy: {}",
                    self.rows, self.policy
                );
                let (run, reused, rerun) = self.rules;
                println!(
                    "rules: {run} run over the index, {reused} from the cache (re-run on {rerun} changed document(s))"
                );
            }
            let learned = if again {
                &self.learned_again
            } else {
                &self.learned
            };
            for line in learned {
                println!("{line}");
            }
        }
        Ok(outcome_of(self.errors))
    }
}

/// Report the last `spor code`'s result again: its warnings and errors,
/// then its summary.
fn replay(a: &CodeArgs, obs: &dyn spor_pipeline::Observer, mut last: Summary) -> Result<Outcome> {
    for (level, text) in &last.messages {
        obs.message(*level, text);
    }
    obs.message(
        spor_pipeline::Level::Note,
        "note: nothing changed since the last `spor code` (transcripts, sheets, codebooks, coders' files, settings); out/codings.csv is up to date",
    );
    // what this run did: nothing ran, every rule's result is reused
    let (run, reused, _) = last.rules;
    last.json["up_to_date"] = true.into();
    last.json["cache"] = serde_json::json!({
        "rules_run": 0,
        "rules_reused": run + reused,
        "documents_rerun": 0,
        "write_error": null,
        "read_error": null,
    });
    last.json["coder_files"]["newly_anchored"] = 0.into();
    last.print(a.json, true)
}

/// Per code: suggestions, rejected suggestions, human codings, counted
/// segments.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct CodeRow {
    codebook: String,
    code: String,
    suggested: usize,
    rejected_suggestions: usize,
    human: usize,
    counted_segments: usize,
}

/// A row per code, in codebook order.
fn code_rows(c: &Coded) -> Vec<CodeRow> {
    let mut rows: Vec<CodeRow> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, (b, code)) in c.books.codes().enumerate() {
        rows.push(CodeRow {
            codebook: b.id.clone(),
            code: code.id.clone(),
            ..Default::default()
        });
        index.insert(code.id.as_str(), i);
    }
    for r in &c.codings.rows {
        let Some(row) = index.get(r.code.as_str()).and_then(|&i| rows.get_mut(i)) else {
            continue;
        };
        if r.is_suggestion() {
            row.suggested += 1;
            if r.status == Status::Rejected {
                row.rejected_suggestions += 1;
            }
        } else if r.status == Status::Accepted {
            row.human += 1;
        }
    }
    for (_, code) in c.codings.counted_pairs() {
        if let Some(row) = index.get(code).and_then(|&i| rows.get_mut(i)) {
            row.counted_segments += 1;
        }
    }
    rows
}

/// The terminal table per code.
fn code_table(rows: &[CodeRow]) -> Table {
    let mut t = Table::new(&[
        ("codebook", Align::Left),
        ("code", Align::Left),
        ("suggested", Align::Right),
        ("rejected", Align::Right),
        ("human", Align::Right),
        ("counted", Align::Right),
    ]);
    for r in rows {
        t.row(vec![
            r.codebook.clone(),
            r.code.clone(),
            r.suggested.to_string(),
            r.rejected_suggestions.to_string(),
            r.human.to_string(),
            r.counted_segments.to_string(),
        ]);
    }
    t
}

/// Exit 1 when a row of a coder's file does not count (the rest were used
/// and out/codings.csv is written; the errors are on stderr).
pub(crate) fn coder_outcome(c: &Coded) -> Outcome {
    outcome_of(c.coder_files.errors().count())
}

/// [`coder_outcome`] from the number of rows that do not count.
fn outcome_of(n: usize) -> Outcome {
    if n > 0 {
        eprintln!(
            "error: {n} row(s) of the coders' files do not count (listed above); out/codings.csv leaves them out"
        );
        Outcome::Problems
    } else {
        Outcome::Ok
    }
}

fn edit(cli: &Cli, e: &CodeEditArgs, decision: Decision) -> Result<Outcome> {
    let (study, corpus) = super::read_corpus(cli)?;
    let books = load_codebooks(&study)?;
    let Some(seg) = corpus.segment(&e.segment) else {
        bail!(
            "unknown segment {:?} (segment ids are <document>#<turn>)",
            e.segment
        );
    };
    // a former id (after a rename or merge) is recorded as the code's id now
    let Some((_, code)) = books.resolve(&e.code) else {
        bail!("unknown code {:?}", e.code);
    };
    let passage = select_passage(seg, &e.passage)?;
    // removing a passage takes it back; a rejection is about the whole turn
    let status = match (decision, &passage) {
        (Decision::Accepted, _) => RowStatus::Accepted,
        (Decision::Rejected, None) => RowStatus::Rejected,
        (Decision::Rejected, Some(_)) => RowStatus::Withdrawn,
    };
    let what = format!(
        "{} {} {}{}",
        e.segment,
        code.id,
        status.as_str(),
        passage
            .as_ref()
            .map(|p| format!(" (passage {}: {:?})", p.range(), p.quote))
            .unwrap_or_default()
    );
    record(
        cli,
        &e.coder,
        spor_coding::coders::Entry {
            segment: e.segment.clone(),
            code: code.id.clone(),
            status,
            memo: e.memo.clone(),
            anchor: spor_coding::anchor::fingerprint(&seg.text),
            passage,
        },
        &what,
    )
}

/// The passage `--passage`/`--quote` name in the segment's turn; a quote
/// that is missing or occurs more than once is an error listing what there
/// is.
fn select_passage(
    seg: &Segment,
    a: &crate::args::PassageArgs,
) -> Result<Option<spor_coding::passage::Passage>> {
    use spor_coding::passage::{Passage, PassageError};
    match Passage::select(&seg.text, a.passage, a.quote.as_deref()) {
        Ok(p) => Ok(p),
        Err(PassageError::Ambiguous { quote, candidates }) => {
            let list: Vec<String> = candidates
                .iter()
                .map(|c| format!("  --passage {}  {}", c.range(), c.in_context(&seg.text, 30)))
                .collect();
            bail!(
                "the quote {quote:?} occurs {} times in {}; choose one with --passage:\n{}",
                candidates.len(),
                seg.segment,
                list.join("\n")
            )
        }
        Err(e @ PassageError::QuoteNotFound(_)) => {
            bail!("{} in {}: {:?}", e, seg.segment, turn_excerpt(&seg.text))
        }
        Err(e) => bail!("{}: {e}", seg.segment),
    }
}

/// The turn's text for an error message, cut after 300 characters.
fn turn_excerpt(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}

fn record(
    cli: &Cli,
    coder: &str,
    entry: spor_coding::coders::Entry,
    what: &str,
) -> Result<Outcome> {
    let study = super::open_study_strict(cli)?;
    let file = spor_coding::coders::append_entry(&study, coder, &entry)?;
    if !cli.quiet {
        eprintln!("recorded in {}: {what}", file.display());
    }
    Ok(Outcome::Ok)
}

fn done(cli: &Cli, d: &CodeDoneArgs) -> Result<Outcome> {
    let study = super::open_study_strict(cli)?;
    if !study.documents.iter().any(|m| m.id == d.document) {
        bail!(
            "unknown document {:?} (document ids are the first column of documents.csv)",
            d.document
        );
    }
    if let Some(code) = &d.code {
        let books = load_codebooks(&study)?;
        if books.resolve(code).is_none() {
            bail!("unknown code {code:?}");
        }
    }
    let code = d.code.clone().unwrap_or_default();
    let what = match &d.code {
        Some(c) => format!("{} coded for {c}", d.document),
        None => format!("{} coded for every code", d.document),
    };
    record(
        cli,
        &d.coder,
        spor_coding::coders::Entry {
            segment: d.document.clone(),
            code,
            status: spor_coding::coders::RowStatus::Done,
            memo: String::new(),
            anchor: String::new(),
            passage: None,
        },
        &what,
    )
}

fn memo(cli: &Cli, m: &CodeMemoArgs) -> Result<Outcome> {
    if m.text.trim().is_empty() {
        bail!("the memo is empty");
    }
    let study = super::open_study_strict(cli)?;
    if (m.passage.passage.is_some() || m.passage.quote.is_some()) && m.segment.is_none() {
        bail!("--passage and --quote name a passage of a coding: give --segment and --code");
    }
    let mut passage = None;
    let (segment, code, anchor, what) = match (&m.document, &m.segment, &m.code) {
        (Some(doc), None, None) => {
            if !study.documents.iter().any(|d| &d.id == doc) {
                bail!("unknown document {doc:?}");
            }
            (
                doc.clone(),
                String::new(),
                String::new(),
                format!("memo on document {doc}"),
            )
        }
        (None, None, Some(code)) => {
            if load_codebooks(&study)?.resolve(code).is_none() {
                bail!("unknown code {code:?}");
            }
            (
                String::new(),
                code.clone(),
                String::new(),
                format!("memo on code {code}"),
            )
        }
        (None, Some(seg), Some(code)) => {
            let (study2, corpus) = super::read_corpus(cli)?;
            let _ = study2;
            let Some(s) = corpus.segment(seg) else {
                bail!("unknown segment {seg:?} (segment ids are <document>#<turn>)");
            };
            if load_codebooks(&study)?.resolve(code).is_none() {
                bail!("unknown code {code:?}");
            }
            passage = select_passage(s, &m.passage)?;
            (
                seg.clone(),
                code.clone(),
                spor_coding::anchor::fingerprint(&s.text),
                format!("memo on {seg} {code}"),
            )
        }
        _ => bail!("give --document, --code, or --segment with --code"),
    };
    record(
        cli,
        &m.coder,
        spor_coding::coders::Entry {
            segment,
            code,
            status: spor_coding::coders::RowStatus::Memo,
            memo: m.text.clone(),
            anchor,
            passage,
        },
        &what,
    )
}
