//! One module per command; each turns parsed arguments into library calls
//! and prints the result.

mod agree;
mod analysis;
mod audit;
mod check;
mod code;
mod codebook;
mod codebook_edit;
mod export;
mod import;
mod index;
mod init;
mod report;
mod review;
mod run;
mod search;
mod serve;
mod stats;

use crate::Outcome;
use crate::args::{Cli, CodebookCommand, Command, ExportCommand, ImportCommand};
use anyhow::{Result, bail};
use spor_corpus::{Corpus, Study};

/// Dispatch a parsed command line.
pub fn run(cli: &Cli) -> Result<Outcome> {
    let output = match &cli.command {
        Command::Matrix(a) => a.output.as_deref(),
        Command::Trace(a) => a.output.as_deref(),
        Command::Saturation(a) => a.svg.as_deref(),
        Command::Report(a) => a.output.as_deref(),
        Command::Export(ExportCommand::Translation(a)) => a.output.as_deref(),
        Command::Export(ExportCommand::Segments(a)) => a.output.as_deref(),
        Command::Export(ExportCommand::Codings(a)) => a.output.as_deref(),
        Command::Export(ExportCommand::Qdpx(a) | ExportCommand::Qdc(a)) => Some(a.output.as_path()),
        Command::Import(ImportCommand::Qdc(a)) => a.output.as_deref(),
        _ => None,
    };
    if let Some(p) = output {
        check_output_path(p)?;
    }
    let _lock = study_lock(cli)?;
    match &cli.command {
        Command::Init(a) => init::run(cli, a),
        Command::Check(a) => check::run(cli, a),
        Command::Stats(a) => stats::run(cli, a),
        Command::Index(a) => index::run(cli, a),
        Command::Code(a) => code::run(cli, a),
        Command::Review(a) => review::run(cli, a),
        Command::Serve(a) => serve::run(cli, a),
        Command::Codebook(CodebookCommand::Test(a)) => codebook::test(cli, a),
        Command::Codebook(CodebookCommand::Eval(a)) => codebook::eval(cli, a),
        Command::Codebook(CodebookCommand::Add(a)) => codebook_edit::add(cli, a),
        Command::Codebook(CodebookCommand::Rename(a)) => codebook_edit::rename(cli, a),
        Command::Codebook(CodebookCommand::Merge(a)) => codebook_edit::merge(cli, a),
        Command::Search(a) => search::run(cli, a),
        Command::Matrix(a) => analysis::matrix(cli, a),
        Command::Trace(a) => analysis::trace(cli, a),
        Command::Audit(a) => audit::run(cli, a),
        Command::Run(a) => run::run(cli, a),
        Command::Report(a) => report::run(cli, a),
        Command::Agree(a) => agree::agree(cli, a),
        Command::Saturation(a) => agree::saturation(cli, a),
        Command::Export(ExportCommand::Segments(a)) => export::segments(cli, a),
        Command::Export(ExportCommand::Codings(a)) => export::codings(cli, a),
        Command::Export(ExportCommand::Translation(a)) => analysis::translation(cli, a),
        Command::Export(ExportCommand::Qdpx(a)) => analysis::qdpx(cli, a),
        Command::Export(ExportCommand::Qdc(a)) => analysis::qdc(cli, a),
        Command::Import(ImportCommand::Qdpx(a)) => import::qdpx(cli, a),
        Command::Import(ImportCommand::Qdc(a)) => import::qdc(cli, a),
        Command::Completions(a) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(a.shell, &mut cmd, "spor", &mut out);
            analysis::emit(None, &out)?;
            Ok(Outcome::Ok)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            analysis::emit(None, &out)?;
            Ok(Outcome::Ok)
        }
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
            | Command::Serve(_)
            | Command::Import(_)
            | Command::Export(ExportCommand::Qdc(_))
            | Command::Completions(_)
            | Command::Man
    ) && !matches!(&cli.command, Command::Code(a) if a.action.is_some());
    if !locks {
        return Ok(None);
    }
    // the study the command will open (a --study that is no study is left
    // to the command's own error, never a search upward)
    let root = spor_pipeline::open::study_root(cli.study.as_deref()).ok();
    match root {
        Some(root) => Ok(Some(crate::lock::acquire(&root, cli.quiet)?)),
        None => Ok(None),
    }
}

/// Find and open the study that `--study` (or the current folder) names
/// (see [`spor_pipeline::open::open_study`]).
pub fn open_study(cli: &Cli) -> Result<Study> {
    Ok(spor_pipeline::open::open_study(cli.study.as_deref())?)
}

/// A file the user named for output must be in a folder that exists: spor
/// never creates a tree for a mistyped path.
pub fn check_output_path(path: &std::path::Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // a study's own `out/` folder is spor's to create
        let own_out = dir.file_name().is_some_and(|n| n == "out")
            && dir
                .parent()
                .is_none_or(|p| p.as_os_str().is_empty() || p.is_dir());
        if !dir.is_dir() && !own_out {
            bail!(
                "{}: the folder {} does not exist (create it first)",
                path.display(),
                dir.display()
            );
        }
    }
    if path.is_dir() {
        bail!("{}: is a folder; give a file name", path.display());
    }
    Ok(())
}

/// Open the study and fail if its sheets have errors.
pub fn open_study_strict(cli: &Cli) -> Result<Study> {
    Ok(spor_pipeline::open::open_study_strict(
        cli.study.as_deref(),
    )?)
}

/// Open the study and read its transcripts, failing on any error (warnings
/// are counted on stderr unless `--quiet`).
pub fn read_corpus(cli: &Cli) -> Result<(Study, Corpus)> {
    let study = open_study(cli)?;
    let corpus = spor_pipeline::open::read_corpus(&study, &crate::progress::CliObserver::new(cli))?;
    Ok((study, corpus))
}

/// The CSV dialect: `--csv-dialect`, else `[output] csv_dialect`, else standard.
pub fn csv_dialect(cli: &Cli, study: &Study) -> Result<spor_corpus::fsutil::CsvDialect> {
    Ok(spor_pipeline::open::csv_dialect(
        cli.csv_dialect.as_deref(),
        study,
    )?)
}
