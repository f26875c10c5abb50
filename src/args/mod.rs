//! Command-line arguments (clap derive). Doc comments are the help text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

mod coding;
pub use coding::*;

/// Arguments of `spor serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port (default: a free one).
    #[arg(long)]
    pub port: Option<u16>,
    /// The coder whose file the page writes (default: `[serve] coder` in
    /// spor.toml, then $SPOR_CODER).
    #[arg(long, value_parser = coder_name)]
    pub coder: Option<String>,
    /// The address to bind (default 127.0.0.1). Another than a loopback
    /// address needs --token-file.
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<std::net::IpAddr>,
    /// Read the token from this file (its first line) instead of drawing a
    /// random one.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Do not open the browser.
    #[arg(long)]
    pub no_open: bool,
    /// The workbench's language: da or en (default: [study] language in
    /// spor.toml, else da).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

/// spor: traceable qualitative research on Danish transcripts.
///
/// spor reads a study folder (spor.toml, documents.csv, participants.csv,
/// transcripts/), indexes and codes its transcripts with Danish-aware search
/// and codebook rules beside human coders, aggregates by profession, and
/// traces every learning goal of a curriculum down to the transcript lines
/// behind it.
///
/// Example:
///   spor --study examples/sundtek run
#[derive(Debug, Parser)]
#[command(name = "spor", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// The study folder (default: the nearest folder upward holding spor.toml).
    #[arg(long, global = true, value_name = "DIR")]
    pub study: Option<PathBuf>,

    /// Worker threads for reading and indexing (default: one per core).
    /// Outputs are the same whatever the number.
    #[arg(long, global = true, value_name = "N", value_parser = thread_count)]
    pub threads: Option<usize>,

    /// CSV outputs: `standard`, or `excel-da` (`;`, UTF-8 BOM, decimal comma,
    /// as Danish Excel opens them). Default: [output] csv_dialect in
    /// spor.toml, else standard.
    #[arg(long, global = true, value_name = "standard|excel-da")]
    pub csv_dialect: Option<String>,

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
    /// When nothing changed since the last `spor code`, nothing is written
    /// and its result is reported again ("up to date").
    ///
    /// Examples:
    ///   spor code
    ///   spor code add int-07#12 technofix --coder R01 --memo "tydeligt"
    ///   spor code remove int-07#12 technofix --coder R01
    Code(CodeArgs),
    /// Review one code's suggestions, one at a time, as a coder.
    ///
    /// Shows the code's definition, criteria and examples, then each
    /// unreviewed suggestion with the turns before and after, the
    /// profession, the matched words and what coders have already coded on
    /// the turn (with their passages), and records [a]ccept, [r]eject
    /// (either may be followed by a memo), [p]assage QUOTE (accept only
    /// that part of the turn), [s]kip, [m]emo TEXT, [u]ndo (a
    /// `withdrawn` row, never a rewrite) or [q]uit in codings/NAME.csv,
    /// appended at once, so a review can stop and resume. Answers may be
    /// piped on stdin.
    ///
    /// Example:
    ///   spor review technofix --coder R01
    Review(ReviewArgs),
    /// Open the coding workbench in the browser: read transcripts with
    /// their turn ids, code passages from the keyboard, accept or reject
    /// rule suggestions in place, write memos, edit the codebook, search
    /// and compare coders. Every decision is a row appended to
    /// codings/CODER.csv.
    ///
    /// Binds to 127.0.0.1 on a free port and prints an address with a
    /// random token; the page refuses every request without it.
    ///
    /// Example:
    ///   spor serve --coder R01
    Serve(ServeArgs),
    /// Work with the study's codebooks.
    ///
    /// Examples:
    ///   spor codebook test
    ///   spor codebook eval --coder R01
    #[command(subcommand)]
    Codebook(CodebookCommand),
    /// Codes by profession (or any attribute), or code co-occurrence.
    ///
    /// Counts coded participant turns, distinct participants and documents
    /// per code and group; --normalize shows each count as a share of the
    /// group's participant turns and per 1,000 words.
    ///
    /// Examples:
    ///   spor matrix --by profession --normalize
    ///   spor matrix --by phase --format json --min-cell 2
    ///   spor matrix --cooccurrence --codebook sundtek-cues
    Matrix(MatrixArgs),
    /// Follow a learning goal or format element down to its evidence.
    ///
    /// Goal -> codes (finding, cue, translation) -> every supporting turn
    /// (quote, participant, profession, document#turn, lines, who coded it)
    /// -> the source files and their SHA-256. --code goes the other way.
    ///
    /// Examples:
    ///   spor trace LG-V1
    ///   spor trace --code technofix --format json
    Trace(TraceArgs),
    /// Check the chain from findings to format, and that nothing changed.
    ///
    /// Every goal and element links codes that exist, every cue code is
    /// answered, every code has enough evidence ([audit] min_segments,
    /// min_participants), no coding points at a missing segment, and every
    /// input matches out/manifest.json. Exits 1 when something fails.
    ///
    /// Example:
    ///   spor audit --json
    Audit(AuditArgs),
    /// Intercoder agreement per code: percent agreement, Krippendorff's
    /// alpha (nominal), Cohen's kappa and Brennan-Prediger's kappa.
    ///
    /// The unit is the participant turn; a code is applied or not. A coder
    /// has coded a document when their file has a row for it, or when
    /// spor.toml lists it ([coders.NAME] documents = [...]); turns of
    /// documents a coder has not coded are missing data. `rules` stands for
    /// the codebook rules' unrejected suggestions: `--coders rules,A` adds
    /// precision, recall and F1 of the rules against A.
    /// Alpha >= 0.800 is conventionally reliable, 0.667-0.800 tentative.
    ///
    /// Examples:
    ///   spor agree --coders R01,R02
    ///   spor agree --coders rules,R01 --json
    ///   spor agree --coders R01,R02 --disagreements --format md
    Agree(AgreeArgs),
    /// Code saturation (Guest, Namey & Chen 2020): new codes per document.
    ///
    /// Documents in date order (or --order COLUMN); the saturation point is
    /// reported as base+run, or "not reached", with a sensitivity table over
    /// the usual alternatives.
    ///
    /// Examples:
    ///   spor saturation
    ///   spor saturation --by profession --svg out/saturation.svg
    Saturation(SaturationArgs),
    /// Write the evidence report: one self-contained HTML page.
    ///
    /// Study overview, the translation table with its quotes, a heat map of
    /// codes by profession, co-occurrence, a trace per learning goal and
    /// format element, agreement and saturation when present, the audit
    /// and the manifest. Opens offline in any browser; prints every section.
    ///
    /// Example:
    ///   spor report -o out/report.html
    Report(ReportArgs),
    /// Run the whole pipeline into out/.
    ///
    /// check, index, code, matrices, the translation table in every format,
    /// a trace dossier per learning goal and format element, the audit, and
    /// out/manifest.json. Everything is written to a temporary folder first,
    /// so a failing run leaves the previous out/ intact.
    ///
    /// Example:
    ///   spor run
    Run(RunArgs),
    /// Export data from the study.
    ///
    /// Examples:
    ///   spor export segments --format csv -o segments.csv
    ///   spor export translation --format xlsx -o translation.xlsx
    #[command(subcommand)]
    Export(ExportCommand),
    /// Import a REFI-QDA project or codebook (NVivo, ATLAS.ti, MAXQDA,
    /// QualCoder, or spor's own export).
    ///
    /// Examples:
    ///   spor import qdpx interviews.qdpx --into my-study
    ///   spor import qdc codes.qdc -o codebooks/codes.toml
    #[command(subcommand)]
    Import(ImportCommand),
    /// Print a shell completion script.
    ///
    /// Example:
    ///   spor completions bash > ~/.local/share/bash-completion/completions/spor
    Completions(CompletionsArgs),
    /// Print spor's manual page (roff), generated from this help.
    ///
    /// Example:
    ///   spor man > spor.1 && man ./spor.1
    Man,
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
    /// At most this many hits (1 to 1000000).
    #[arg(long, default_value_t = 20, value_parser = hit_limit)]
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
    /// A plain word also finds the compounds that end in it, in any
    /// inflection, when what comes before is itself a word of the study
    /// (`teknologi` also finds `velfærdsteknologien`; not `tilstand` for
    /// `stand`). `*word` finds every word ending in it instead.
    #[arg(long)]
    pub compounds: bool,
}

/// What `spor export` writes.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Every segment (speaker turn) with its place and attributes.
    ///
    /// Example:
    ///   spor export segments --format jsonl --roles participant
    ///   spor export segments --format parquet -o segments.parquet
    Segments(SegmentsArgs),
    /// Every coding row: rule and model suggestions and coders' decisions,
    /// the columns of out/codings.csv (the same rows `spor code` writes).
    ///
    /// Examples:
    ///   spor export codings --format parquet -o codings.parquet
    ///   spor export segments --format parquet -o segments.parquet
    Codings(CodingsArgs),
    /// The cue -> curriculum translation table with evidence and quotes.
    ///
    /// Example:
    ///   spor export translation --format json
    Translation(TranslationArgs),
    /// The whole study as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti,
    /// MAXQDA or QualCoder: transcripts, codebooks as code trees, every
    /// coding with who coded it, one case per participant with variables.
    /// The same study gives the same file, byte for byte.
    ///
    /// Example:
    ///   spor export qdpx -o sundtek.qdpx
    Qdpx(FileArg),
    /// The study's codebooks as a REFI-QDA codebook (.qdc).
    ///
    /// Example:
    ///   spor export qdc -o sundtek.qdc
    Qdc(FileArg),
}

/// What `spor import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A REFI-QDA project (.qdpx) into a new study folder.
    ///
    /// Writes transcripts/ (one per text source), documents.csv,
    /// participants.csv (from cases and their variables, else from the
    /// speaker labels), codebooks/ (the code tree), codings/<user>.csv (each
    /// coded selection on the turns it overlaps) and spor.toml. A text
    /// without speaker labels gets one turn per paragraph. Selection
    /// positions are read as the producer counts them (UTF-16 for NVivo).
    /// Prints counts and `file: warning: ...` for everything that could not
    /// be placed. DIR must not exist (or be empty); a failed import writes
    /// nothing.
    ///
    /// Example:
    ///   spor import qdpx interviews.qdpx --into my-study
    Qdpx(ImportQdpxArgs),
    /// A REFI-QDA codebook (.qdc) into spor codebook TOML.
    ///
    /// Nesting becomes `parent`; names are never split on dots. Writes -o
    /// FILE, or codebooks/<id>.toml for each codebook (a .qdc from `spor
    /// export qdc` holds one per codebook). Never overwrites without --force.
    ///
    /// Example:
    ///   spor import qdc codes.qdc -o codebooks/codes.toml
    Qdc(ImportQdcArgs),
}

/// Arguments of `spor import qdpx`.
#[derive(Debug, Args)]
pub struct ImportQdpxArgs {
    /// The .qdpx file.
    pub file: PathBuf,
    /// The study folder to create.
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,
    /// What selection positions count (default: by the producing program).
    #[arg(long, value_enum, value_name = "UNIT")]
    pub positions: Option<PositionUnit>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// What selection positions count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PositionUnit {
    /// Unicode code points (the REFI-QDA specification).
    CodePoint,
    /// UTF-16 code units (NVivo).
    Utf16,
    /// Code points with CRLF counted once (ATLAS.ti).
    CodePointCrlfOne,
}

/// Arguments of `spor completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `spor import qdc`.
#[derive(Debug, Args)]
pub struct ImportQdcArgs {
    /// The .qdc file.
    pub file: PathBuf,
    /// The codebook file to write (default: codebooks/<id>.toml).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace an existing codebook file.
    #[arg(long)]
    pub force: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Just `-o FILE`.
#[derive(Debug, Args)]
pub struct FileArg {
    /// The file to write (atomically).
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
}

/// Formats of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Aligned columns for a terminal.
    Table,
    /// CSV.
    Csv,
    /// JSON.
    Json,
    /// Markdown.
    Md,
}

/// Arguments of `spor matrix`.
#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// The attribute to group by (any column of the sheets).
    #[arg(long, default_value = "profession")]
    pub by: String,
    /// Show shares of the group's participant turns and counts per 1,000 words.
    #[arg(long)]
    pub normalize: bool,
    /// A code-by-code matrix of turns coded with both codes.
    #[arg(long)]
    pub cooccurrence: bool,
    /// Only this codebook's codes.
    #[arg(long, value_name = "ID")]
    pub codebook: Option<String>,
    /// Only this coder's codings.
    #[arg(long, value_name = "NAME", value_parser = coder_name)]
    pub coder: Option<String>,
    /// Counting policy (default: spor.toml's).
    #[arg(long, value_name = "suggested-and-human|human-only")]
    pub policy: Option<String>,
    /// Hide cells resting on fewer than K participants.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub min_cell: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableFormat,
    /// JSON (the same as --format json).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Formats of a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    /// An evidence dossier in Markdown.
    Md,
    /// JSON.
    Json,
}

/// Arguments of `spor trace`.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// A learning goal or format element id.
    #[arg(required_unless_present = "code")]
    pub id: Option<String>,
    /// Trace a code instead: the goals that answer it and its evidence.
    #[arg(long, value_name = "CODE", conflicts_with = "id")]
    pub code: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: TraceFormat,
    /// Same as --format json.
    #[arg(long)]
    pub json: bool,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `spor audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `spor agree`.
#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// Two or more coders (file names in codings/), or `rules`.
    #[arg(
        long,
        value_delimiter = ',',
        required = true,
        value_parser = coder_name,
        value_name = "A,B[,C...]"
    )]
    pub coders: Vec<String>,
    /// List the turns the coders disagree on.
    #[arg(long)]
    pub disagreements: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableFormat,
    /// Same as --format json.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `spor saturation`.
#[derive(Debug, Args)]
pub struct SaturationArgs {
    /// Order documents by this column of documents.csv (default: date).
    #[arg(long, default_value = "date", value_name = "COLUMN")]
    pub order: String,
    /// Compute it per group of this attribute (e.g. profession).
    #[arg(long, value_name = "ATTR")]
    pub by: Option<String>,
    /// Base size (documents).
    #[arg(long, default_value_t = 4, value_parser = positive)]
    pub base: usize,
    /// Run length (documents).
    #[arg(long, default_value_t = 2, value_parser = positive)]
    pub run: usize,
    /// New-information threshold (share of the base's codes, 0 to 1).
    #[arg(long, default_value_t = 0.05, value_parser = share)]
    pub threshold: f64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Also write an SVG plot of the cumulative curve.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

/// Arguments of `spor report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Where to write it (default: out/report.html).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Hide heat-map cells resting on fewer than K participants (default:
    /// [privacy] min_cell in spor.toml, else 0).
    #[arg(long, value_name = "K")]
    pub min_cell: Option<usize>,
    /// The report's language: da or en (default: [study] language in
    /// spor.toml, else da).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

/// Arguments of `spor run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Hide matrix cells resting on fewer than K participants (default:
    /// [privacy] min_cell in spor.toml, else 0).
    #[arg(long, value_name = "K")]
    pub min_cell: Option<usize>,
    /// The report's language: da or en (default: [study] language in
    /// spor.toml, else da).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

/// Formats of the translation table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TranslationFormat {
    /// Markdown.
    Md,
    /// CSV.
    Csv,
    /// JSON.
    Json,
    /// Excel workbook (needs -o FILE).
    Xlsx,
}

/// Arguments of `spor export translation`.
#[derive(Debug, Args)]
pub struct TranslationArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: TranslationFormat,
    /// JSON (the same as --format json).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Hide counts by profession resting on fewer than K participants, in
    /// every format (default: [privacy] min_cell in spor.toml, else 0).
    #[arg(long, value_name = "K")]
    pub min_cell: Option<usize>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
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
    /// Parquet with the CSV's columns, typed (for DuckDB, DataFusion,
    /// Spark or pandas); needs -o FILE.
    Parquet,
}

/// Output formats of the codings export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CodingsFormat {
    /// CSV, as out/codings.csv.
    Csv,
    /// Parquet with out/codings.csv's columns, typed; needs -o FILE.
    Parquet,
}

/// Arguments of `spor export codings`.
#[derive(Debug, Args)]
pub struct CodingsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: CodingsFormat,
    /// Count codings under this policy instead of spor.toml's.
    #[arg(long, value_name = "suggested-and-human|human-only")]
    pub policy: Option<String>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
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

/// The most worker threads `--threads` accepts: far more than any machine
/// spor runs on has cores, and few enough that starting them cannot fail.
pub const MAX_THREADS: usize = 256;

/// `--threads`: a whole number from 1 to [`MAX_THREADS`].
fn thread_count(s: &str) -> Result<usize, String> {
    bounded(s, 1, MAX_THREADS)
}

/// A whole number of at least 1 (`--base`, `--run`).
fn positive(s: &str) -> Result<usize, String> {
    bounded(s, 1, 1_000_000)
}

/// `--limit`: 1 to a million hits (a larger limit would only allocate).
fn hit_limit(s: &str) -> Result<usize, String> {
    bounded(s, 1, 1_000_000)
}

fn bounded(s: &str, min: usize, max: usize) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number from {min} to {max}")),
    }
}

/// A coder's name as `--coder` and `--coders` take it: the name of their
/// file in `codings/` without `.csv` (`R01` for `codings/R01.csv`).
fn coder_name(s: &str) -> Result<String, String> {
    if let Some(stem) = s.strip_suffix(".csv") {
        return Err(format!(
            "give the coder's name without .csv: --coder {stem} for codings/{s}"
        ));
    }
    // one rule for coder names, the coding crate's (`rules`, the rules as a
    // coder, is refused later where only a person fits)
    if s != "rules" && !spor_coding::coders::valid_coder(s) {
        return Err(
            "a coder's name is letters A-Z, digits, '.', '_' and '-' (the file codings/NAME.csv)"
                .to_owned(),
        );
    }
    Ok(s.to_owned())
}

/// A share from 0 to 1 (`--threshold`); NaN and infinities are refused.
fn share(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err("expected a number from 0 to 1 (e.g. 0.05)".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_arguments_are_range_checked() {
        assert_eq!(thread_count("4"), Ok(4));
        assert!(thread_count("0").is_err());
        assert!(thread_count("100000").is_err());
        assert!(thread_count("-1").is_err());
        assert_eq!(share("0.05"), Ok(0.05));
        for bad in ["NaN", "nan", "inf", "-0.1", "1.5", "x"] {
            assert!(share(bad).is_err(), "{bad}");
        }
        assert!(positive("0").is_err());
        assert!(hit_limit("0").is_err());
        assert_eq!(hit_limit("20"), Ok(20));
        assert_eq!(coder_name("R01"), Ok("R01".to_owned()));
        assert!(coder_name("R01.csv").unwrap_err().contains("--coder R01"));
        assert!(coder_name("../x").is_err());
        assert!(coder_name("").is_err());
    }
}
