//! Command-line arguments (clap derive). Doc comments are the help text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// spor: traceable qualitative research on Danish transcripts.
///
/// spor reads a study folder (spor.toml, documents.csv, participants.csv,
/// transcripts/), checks it, and shows who said what, by profession.
///
/// Example:
///   spor --study examples/sundtek check
#[derive(Debug, Parser)]
#[command(name = "spor", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// The study folder (default: the nearest folder upward holding spor.toml).
    #[arg(long, global = true, value_name = "DIR")]
    pub study: Option<PathBuf>,

    /// Worker threads for reading and indexing (default: one per core).
    /// Outputs are the same whatever the number.
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,

    /// Print nothing but results and errors (no progress, no notes).
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// spor's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an empty study with commented templates of every file.
    ///
    /// Example:
    ///   spor init my-study
    Init(InitArgs),
    /// Check the study: sheets, transcripts and speaker labels.
    ///
    /// Every problem is printed as `path:line: error|warning: message`.
    /// Exits 0 when there are no errors, 1 when there are (or, with
    /// --strict, when there are warnings), 2 when the study cannot be read.
    ///
    /// Example:
    ///   spor check --verbose
    Check(CheckArgs),
    /// Show documents by kind and phase and participation by profession.
    ///
    /// Professions with fewer than 3 participants are flagged as
    /// under-represented.
    ///
    /// Example:
    ///   spor stats --json
    Stats(StatsArgs),
    /// Build or update the full-text index under .spor/index.
    ///
    /// Only added, changed and removed documents are (re-)indexed; an index
    /// from another spor version is rebuilt. Every command that searches
    /// brings the index up to date by itself.
    ///
    /// Example:
    ///   spor index
    Index(IndexArgs),
    /// Search the participants' turns with spor's query language.
    ///
    /// Words match any inflection (Danish stemming): `implementering` finds
    /// `implementeringen`. `=ord` is the exact form; `"en frase"` a phrase,
    /// `"en frase"~3` words within 3 positions; `ord*` a prefix; `*ord` and
    /// `*ord*` a word inside Danish compounds (`*teknologi` finds
    /// `sundhedsteknologi`); `AND`, `OR`, `NOT`, `-ord`, parentheses
    /// (adjacent terms are ANDed); `profession:radiograf`, `phase:2` or any
    /// attribute filters inside the query.
    ///
    /// Examples:
    ///   spor search 'implementering AND NOT profession:læge'
    ///   spor search '"tager fejl"~3 OR *teknologi' --where phase=2 --json
    ///   spor search oplæring --count
    Search(SearchArgs),
    /// Apply the codebooks' rules and merge the human coders' codings.
    ///
    /// Writes out/codings.csv: every rule suggestion (origin rule:<id>) and
    /// every human coding (origin coder:<name>), with status suggested,
    /// accepted or rejected. Which codings count is the policy in spor.toml
    /// ([coding] policy = "suggested-and-human" (default) or "human-only").
    /// `spor code add` and `spor code remove` record a coder's decision.
    ///
    /// Examples:
    ///   spor code
    ///   spor code add int-07#12 technofix --coder R01 --memo "tydeligt"
    ///   spor code remove int-07#12 technofix --coder R01
    Code(CodeArgs),
    /// Review one code's suggestions, one at a time, as a coder.
    ///
    /// Shows each unreviewed suggestion with the previous turn for context,
    /// the profession and the matched words, and records [a]ccept,
    /// [r]eject, [s]kip or [q]uit in codings/NAME.csv (appended at once, so
    /// a review can stop and resume). Answers may be piped on stdin.
    ///
    /// Example:
    ///   spor review technofix --coder R01
    Review(ReviewArgs),
    /// Work with the study's codebooks.
    ///
    /// Examples:
    ///   spor codebook test
    ///   spor codebook eval --coder R01
    #[command(subcommand)]
    Codebook(CodebookCommand),
    /// Export data from the study.
    ///
    /// Example:
    ///   spor export segments --format csv -o segments.csv
    #[command(subcommand)]
    Export(ExportCommand),
}

/// Arguments of `spor init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the study in (default: the current folder).
    pub dir: Option<PathBuf>,
}

/// Arguments of `spor check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Also show how each transcript was read (encoding, line endings, turns).
    #[arg(long, short)]
    pub verbose: bool,
    /// Treat warnings as problems (exit 1).
    #[arg(long)]
    pub strict: bool,
    /// Print the diagnostics as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `spor stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `spor code`.
#[derive(Debug, Args)]
pub struct CodeArgs {
    /// Record a decision instead of coding the study.
    #[command(subcommand)]
    pub action: Option<CodeAction>,
    /// Count codings under this policy instead of spor.toml's.
    #[arg(long, value_name = "suggested-and-human|human-only")]
    pub policy: Option<String>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `spor code add|remove`.
#[derive(Debug, Subcommand)]
pub enum CodeAction {
    /// Record that a coder applies a code to a segment.
    Add(CodeEditArgs),
    /// Record that a coder rejects a code on a segment (a suggestion, or
    /// their own earlier coding). The coder's file keeps its history: the
    /// last row for a segment and code is the coder's decision.
    Remove(CodeEditArgs),
}

/// Arguments of `spor code add|remove`.
#[derive(Debug, Args)]
pub struct CodeEditArgs {
    /// The segment (`<document>#<turn>`).
    pub segment: String,
    /// The code id.
    pub code: String,
    /// The coder (their file is codings/NAME.csv).
    #[arg(long)]
    pub coder: String,
    /// A memo for the decision.
    #[arg(long, default_value = "")]
    pub memo: String,
}

/// Arguments of `spor review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The code whose suggestions to review.
    pub code: String,
    /// The coder (their file is codings/NAME.csv).
    #[arg(long)]
    pub coder: String,
}

/// `spor codebook ...`.
#[derive(Debug, Subcommand)]
pub enum CodebookCommand {
    /// Check every code's examples and counter-examples against its rules.
    ///
    /// Every example must be matched by one of its code's rules, and no
    /// counter-example by any. Exits 1 when one fails.
    ///
    /// Example:
    ///   spor codebook test
    Test(JsonArg),
    /// Measure the rules against a human coder: precision, recall and F1
    /// per code, over the participant turns of the documents the coder has
    /// coded.
    ///
    /// Example:
    ///   spor codebook eval --coder R01
    Eval(EvalArgs),
}

/// Just `--json`.
#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `spor codebook eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The coder to compare the rules with.
    #[arg(long)]
    pub coder: String,
    /// Also list the segments each side missed.
    #[arg(long, short)]
    pub verbose: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `spor index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Delete the index and build it anew.
    #[arg(long)]
    pub rebuild: bool,
    /// Print what was done as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Orders of search hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortBy {
    /// Best match first.
    Score,
    /// In document and turn order.
    Document,
}

/// Arguments of `spor search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (see `spor search --help`).
    pub query: String,
    /// Only segments whose attribute has one of these values (repeatable).
    #[arg(long = "where", value_name = "ATTR=VALUE[,VALUE]")]
    pub filters: Vec<String>,
    /// Only these roles (default: participant).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "ROLE[,ROLE]",
        default_value = "participant"
    )]
    pub roles: Vec<String>,
    /// At most this many hits.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Order of the hits.
    #[arg(long, value_enum, default_value = "score")]
    pub sort: SortBy,
    /// Print hits as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print counts by profession instead of hits.
    #[arg(long)]
    pub count: bool,
    /// Explain how the query is read, then search.
    #[arg(long)]
    pub explain: bool,
}

/// What `spor export` writes.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Every segment (speaker turn) with its place and attributes.
    ///
    /// Example:
    ///   spor export segments --format jsonl --roles participant
    Segments(SegmentsArgs),
}

/// Output formats of the segments export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SegmentFormat {
    /// A JSON array.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// CSV with one column per field and attribute.
    Csv,
}

/// The unit of the segments export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Unit {
    /// Speaker turns (the unit of coding).
    Segment,
    /// Sentences inside speaker turns.
    Sentence,
}

/// Arguments of `spor export segments`.
#[derive(Debug, Args)]
pub struct SegmentsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: SegmentFormat,
    /// Unit: speaker turns or the sentences inside them.
    #[arg(long, value_enum, default_value = "segment")]
    pub unit: Unit,
    /// Only these roles (comma-separated; default: every role).
    #[arg(long, value_delimiter = ',', value_name = "ROLE[,ROLE]")]
    pub roles: Vec<String>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
