//! `spor code`, `spor code add|remove`, and the coding pipeline other
//! commands share.

use crate::Outcome;
use crate::args::{Cli, CodeAction, CodeArgs, CodeDoneArgs, CodeEditArgs, CodeMemoArgs};
use crate::table::{Align, Table};
use anyhow::{Result, bail};
use spor_codebook::CodebookSet;
use spor_coding::coders::Decision;
use spor_coding::{Codings, Policy, Status};
use spor_corpus::{Corpus, Segment, Study};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The study's codebooks, as `spor.toml` lists them (shown by the path
/// written there).
pub fn load_codebooks(study: &Study) -> Result<CodebookSet> {
    let paths: Vec<(PathBuf, PathBuf)> = study
        .manifest
        .study
        .codebooks
        .iter()
        .map(|p| (study.path(p), PathBuf::from(p)))
        .collect();
    if paths.is_empty() {
        bail!("spor.toml lists no codebooks ([study] codebooks = [...])");
    }
    Ok(CodebookSet::read(&paths)?)
}

/// Attribute names queries, rules and filters may use: the pinned ones
/// and every extra column of the two sheets.
pub fn known_attributes(study: &Study) -> Vec<String> {
    let mut names: std::collections::BTreeSet<String> = Segment::PINNED_ATTRIBUTES
        .iter()
        .map(|s| s.to_string())
        .collect();
    for d in &study.documents {
        names.extend(d.attributes.keys().cloned());
    }
    for s in &study.speakers {
        names.extend(s.attributes.keys().cloned());
    }
    names.into_iter().collect()
}

/// Everything the coding stage produces for a study.
pub struct Coded {
    pub study: Study,
    pub corpus: Corpus,
    pub books: CodebookSet,
    pub codings: Codings,
    pub coder_files: spor_coding::coders::CoderFiles,
    /// Which rules ran and which came from the suggestion cache.
    pub cache: spor_coding::cache::CacheReport,
    /// The models learned from the coders (`None` with `[learn] enabled = false`).
    pub learned: Option<spor_learn::Learned>,
}

/// Read the study, bring the index up to date, run the rules and merge
/// the coders' files (their warnings go to stderr unless `--quiet`).
pub fn code_study(cli: &Cli, policy: Option<&str>) -> Result<Coded> {
    let policy = match policy {
        Some(p) => Some(Policy::parse(p).ok_or_else(|| {
            anyhow::anyhow!("unknown policy {p:?} (suggested-and-human or human-only)")
        })?),
        None => None,
    };
    let (study, corpus) = super::read_corpus(cli)?;
    let books = load_codebooks(&study)?;
    let known = known_attributes(&study);
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    spor_coding::suggest::check_rules(&books, &known)?;
    let index = crate::timing::time("index up to date", || super::index::ensure(cli, &study))?;
    let rules: usize = books.codes().map(|(_, c)| c.rules.len()).sum();
    let pb = crate::progress::bar(cli, rules as u64, "coding", "rules");
    let (mut codings, coder_files, cache) = crate::timing::time("code", || {
        spor_coding::code_study(&study, &corpus, &index, &books, policy, &|| pb.inc(1))
    })?;
    pb.finish_and_clear();
    let learned = crate::timing::time("learn", || {
        spor_learn::learn_study(&study, &corpus, &books, &mut codings)
    })?;
    if !cli.quiet
        && let Some(e) = &cache.write_error
    {
        eprintln!("warning: the suggestion cache could not be written: {e}");
    }
    for d in &coder_files.diagnostics {
        if !cli.quiet || d.severity == spor_corpus::Severity::Error {
            eprintln!("{d}");
        }
    }
    if coder_files.newly_anchored > 0 && !cli.quiet {
        eprintln!(
            "note: {} coding(s) written without an anchor were anchored on the text their segment holds now (kept in {})",
            coder_files.newly_anchored,
            spor_coding::anchor::ANCHOR_FILE
        );
    }
    Ok(Coded {
        study,
        corpus,
        books,
        codings,
        coder_files,
        cache,
        learned,
    })
}

pub fn run(cli: &Cli, a: &CodeArgs) -> Result<Outcome> {
    match &a.action {
        Some(CodeAction::Add(e)) => return edit(cli, e, Decision::Accepted),
        Some(CodeAction::Remove(e)) => return edit(cli, e, Decision::Rejected),
        Some(CodeAction::Done(d)) => return done(cli, d),
        Some(CodeAction::Memo(m)) => return memo(cli, m),
        None => {}
    }
    let c = code_study(cli, a.policy.as_deref())?;
    let out = c.study.root.join("out").join("codings.csv");
    let dialect = super::csv_dialect(cli, &c.study)?;
    crate::timing::time("write codings.csv", || {
        spor_corpus::fsutil::write_atomic(
            &out,
            &dialect.apply(spor_coding::write_codings_csv(&c.codings, &c.corpus)),
        )
    })?;
    // per code: suggestions, rejected, human codings, counted segments
    #[derive(Default, serde::Serialize)]
    struct Row {
        codebook: String,
        code: String,
        suggested: usize,
        rejected_suggestions: usize,
        human: usize,
        counted_segments: usize,
    }
    let mut rows: BTreeMap<usize, Row> = BTreeMap::new();
    let index: BTreeMap<&str, usize> = c
        .books
        .codes()
        .enumerate()
        .map(|(i, (b, code))| {
            rows.insert(
                i,
                Row {
                    codebook: b.id.clone(),
                    code: code.id.clone(),
                    ..Default::default()
                },
            );
            (code.id.as_str(), i)
        })
        .collect();
    for r in &c.codings.rows {
        let Some(row) = index.get(r.code.as_str()).and_then(|i| rows.get_mut(i)) else {
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
    for (_, code) in c.codings.counted() {
        if let Some(row) = index.get(code.as_str()).and_then(|i| rows.get_mut(i)) {
            row.counted_segments += 1;
        }
    }
    if a.json {
        let v = serde_json::json!({
            "output": "out/codings.csv",
            "policy": c.codings.policy.as_str(),
            "codes": rows.values().collect::<Vec<_>>(),
            "cache": c.cache,
            "learned": c.learned.as_ref().map(|l| &l.reports),
            "coder_files": {
                "errors": c.coder_files.errors().count(),
                "moved": c.coder_files.moved,
                "orphaned": c.coder_files.orphaned,
                "newly_anchored": c.coder_files.newly_anchored,
            },
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(coder_outcome(&c));
    }
    let mut t = Table::new(&[
        ("codebook", Align::Left),
        ("code", Align::Left),
        ("suggested", Align::Right),
        ("rejected", Align::Right),
        ("human", Align::Right),
        ("counted", Align::Right),
    ]);
    for r in rows.values() {
        t.row(vec![
            r.codebook.clone(),
            r.code.clone(),
            r.suggested.to_string(),
            r.rejected_suggestions.to_string(),
            r.human.to_string(),
            r.counted_segments.to_string(),
        ]);
    }
    print!("{}", t.render());
    println!(
        "\nwrote out/codings.csv ({} rows); counting policy: {}",
        c.codings.rows.len(),
        c.codings.policy.as_str()
    );
    let k = &c.cache;
    println!(
        "rules: {} run over the index, {} from the cache (re-run on {} changed document(s))",
        k.rules_run, k.rules_reused, k.documents_rerun
    );
    for line in c.learned.iter().flat_map(|l| l.summary()) {
        println!("{line}");
    }
    Ok(coder_outcome(&c))
}

/// Exit 1 when a row of a coder's file does not count (the rest were used
/// and out/codings.csv is written; the errors are on stderr).
fn coder_outcome(c: &Coded) -> Outcome {
    let n = c.coder_files.errors().count();
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
    let file = spor_coding::coders::append(
        &study,
        &e.coder,
        &e.segment,
        &code.id,
        decision,
        &e.memo,
        &spor_coding::anchor::fingerprint(&seg.text),
    )?;
    if !cli.quiet {
        eprintln!(
            "recorded in {}: {} {} {}",
            file.display(),
            e.segment,
            code.id,
            decision.as_str()
        );
    }
    Ok(Outcome::Ok)
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
        },
        &what,
    )
}

fn memo(cli: &Cli, m: &CodeMemoArgs) -> Result<Outcome> {
    if m.text.trim().is_empty() {
        bail!("the memo is empty");
    }
    let study = super::open_study_strict(cli)?;
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
        },
        &what,
    )
}
