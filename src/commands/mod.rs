//! One module per command; each turns parsed arguments into library calls
//! and prints the result.

mod agree;
mod analysis;
mod audit;
mod check;
mod code;
mod codebook;
mod export;
mod import;
mod index;
mod init;
mod report;
mod review;
mod run;
mod search;
mod stats;

use crate::Outcome;
use crate::args::{Cli, CodebookCommand, Command, ExportCommand, ImportCommand};
use anyhow::Result;
use spor_corpus::{Corpus, Study};

/// Dispatch a parsed command line.
pub fn run(cli: &Cli) -> Result<Outcome> {
    let _lock = study_lock(cli)?;
    match &cli.command {
        Command::Init(a) => init::run(cli, a),
        Command::Check(a) => check::run(cli, a),
        Command::Stats(a) => stats::run(cli, a),
        Command::Index(a) => index::run(cli, a),
        Command::Code(a) => code::run(cli, a),
        Command::Review(a) => review::run(cli, a),
        Command::Codebook(CodebookCommand::Test(a)) => codebook::test(cli, a),
        Command::Codebook(CodebookCommand::Eval(a)) => codebook::eval(cli, a),
        Command::Search(a) => search::run(cli, a),
        Command::Matrix(a) => analysis::matrix(cli, a),
        Command::Trace(a) => analysis::trace(cli, a),
        Command::Audit(a) => audit::run(cli, a),
        Command::Run(a) => run::run(cli, a),
        Command::Report(a) => report::run(cli, a),
        Command::Agree(a) => agree::agree(cli, a),
        Command::Saturation(a) => agree::saturation(cli, a),
        Command::Export(ExportCommand::Segments(a)) => export::segments(cli, a),
        Command::Export(ExportCommand::Translation(a)) => analysis::translation(cli, a),
        Command::Export(ExportCommand::Qdpx(a)) => analysis::qdpx(cli, a),
        Command::Export(ExportCommand::Qdc(a)) => analysis::qdc(cli, a),
        Command::Import(ImportCommand::Qdpx(a)) => import::qdpx(cli, a),
        Command::Import(ImportCommand::Qdc(a)) => import::qdc(cli, a),
    }
}

/// Hold the study's lock (`crate::lock`) for commands that may write
/// `.spor/` or `out/`: every command that brings the index up to date or
/// writes outputs. `init`, `check`, `stats`, the imports (a new folder) and
/// `review` (interactive; it could hold the lock for an hour) do not take
/// it. A folder that is no study is left to the command's own error.
fn study_lock(cli: &Cli) -> Result<Option<crate::lock::StudyLock>> {
    let locks = !matches!(
        cli.command,
        Command::Init(_)
            | Command::Check(_)
            | Command::Stats(_)
            | Command::Review(_)
            | Command::Import(_)
            | Command::Export(ExportCommand::Qdc(_))
    );
    if !locks {
        return Ok(None);
    }
    let start = match &cli.study {
        Some(p) => p.clone(),
        None => std::env::current_dir()?,
    };
    match spor_corpus::discover(&start) {
        Ok(root) => Ok(Some(crate::lock::acquire(&root, cli.quiet)?)),
        Err(_) => Ok(None),
    }
}

/// Find and open the study that `--study` (or the current folder) names.
pub fn open_study(cli: &Cli) -> Result<Study> {
    let start = match &cli.study {
        Some(p) => p.clone(),
        None => std::env::current_dir()?,
    };
    let root = spor_corpus::discover(&start)?;
    Ok(Study::open(&root)?)
}

/// Open the study and fail if its sheets have errors.
pub fn open_study_strict(cli: &Cli) -> Result<Study> {
    let study = open_study(cli)?;
    if study
        .diagnostics
        .iter()
        .any(|d| d.severity == spor_corpus::Severity::Error)
    {
        return Err(spor_corpus::CorpusError::Diagnostics(study.diagnostics).into());
    }
    Ok(study)
}

/// Open the study and read its transcripts, failing on any error (warnings
/// are printed to stderr unless `--quiet`).
pub fn read_corpus(cli: &Cli) -> Result<(Study, Corpus)> {
    let study = open_study(cli)?;
    let pb = crate::progress::bar(cli, study.documents.len() as u64, "reading", "documents");
    let corpus = crate::timing::time("read and segment", || {
        Corpus::read_strict_with_progress(&study, &|| pb.inc(1))
    });
    pb.finish_and_clear();
    let corpus = corpus?;
    if !cli.quiet {
        let warnings = corpus
            .diagnostics
            .iter()
            .filter(|d| d.severity == spor_corpus::Severity::Warning)
            .count();
        if warnings > 0 {
            eprintln!("note: the study has {warnings} warning(s); run `spor check` to see them");
        }
    }
    Ok((study, corpus))
}

/// The CSV dialect: `--csv-dialect`, else `[output] csv_dialect`, else standard.
pub fn csv_dialect(cli: &Cli, study: &Study) -> Result<spor_corpus::fsutil::CsvDialect> {
    use spor_corpus::fsutil::CsvDialect;
    let name = match &cli.csv_dialect {
        Some(n) => Some(n.clone()),
        None => match study
            .manifest
            .other
            .get("output")
            .and_then(|t| t.get("csv_dialect"))
        {
            None => None,
            Some(toml::Value::String(s)) => Some(s.clone()),
            Some(_) => anyhow::bail!("spor.toml: [output] csv_dialect must be a string"),
        },
    };
    match name {
        None => Ok(CsvDialect::Standard),
        Some(n) => CsvDialect::parse(&n)
            .ok_or_else(|| anyhow::anyhow!("unknown CSV dialect {n:?} (standard or excel-da)")),
    }
}
