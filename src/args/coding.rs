//! Arguments of the coding commands: `spor code`, `spor review` and
//! `spor codebook`.

use super::coder_name;
use clap::{Args, Subcommand};

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
    /// Record that a coder applies a code to a segment, or to a passage of
    /// it (--passage START-END or --quote TEXT). The turn stays the unit of
    /// counting: it is coded when any passage in it is.
    ///
    /// Examples:
    ///   spor code add int-13#6 context --coder R01
    ///   spor code add int-13#6 context --quote "Vi blev ikke spurgt" --coder R01
    ///   spor code add int-13#6 context --passage 143-162 --coder R01
    Add(CodeEditArgs),
    /// Record that a coder rejects a code on a segment (a suggestion, or
    /// their own earlier coding). The coder's file keeps its history: the
    /// last row for a segment and code is the coder's decision.
    ///
    /// With --passage or --quote, only that passage of the coder's coding is
    /// taken back (a `withdrawn` row); the coding is gone when no passage is
    /// left.
    Remove(CodeEditArgs),
    /// Record that a coder has coded a document fully (or for one code), so
    /// that agreement and `codebook eval` count its uncoded turns as "no".
    ///
    /// Without it, a coder has coded only the codes they used or reviewed
    /// in a document; the other turns are missing data, never a guessed
    /// "no".
    ///
    /// Examples:
    ///   spor code done int-07 --coder R01
    ///   spor code done int-07 --code technofix --coder R01
    Done(CodeDoneArgs),
    /// Write a memo on a coding, a document or a code.
    ///
    /// Memos are kept as a history (oldest first) and appear in traces, the
    /// report and the REFI-QDA export.
    ///
    /// Examples:
    ///   spor code memo --document int-07 --coder R01 "Meget kontekst om vagtplaner"
    ///   spor code memo --code technofix --coder R01 "Skelne fra ren begejstring"
    ///   spor code memo --segment int-07#12 --code technofix --coder R01 "Tvivl"
    Memo(CodeMemoArgs),
}

/// Arguments of `spor code done`.
#[derive(Debug, Args)]
pub struct CodeDoneArgs {
    /// The document id.
    pub document: String,
    /// Only this code (default: every code).
    #[arg(long)]
    pub code: Option<String>,
    /// The coder (their file is codings/NAME.csv; default: $SPOR_CODER).
    #[arg(long, env = "SPOR_CODER", value_parser = coder_name)]
    pub coder: String,
}

/// Arguments of `spor code memo`.
#[derive(Debug, Args)]
pub struct CodeMemoArgs {
    /// The memo's text.
    pub text: String,
    /// A memo on a document.
    #[arg(long, conflicts_with = "segment")]
    pub document: Option<String>,
    /// A memo on a coding: the segment (with --code).
    #[arg(long, requires = "code")]
    pub segment: Option<String>,
    /// A memo on a code (or, with --segment, on a coding).
    #[arg(long)]
    pub code: Option<String>,
    /// The coder (their file is codings/NAME.csv; default: $SPOR_CODER).
    #[arg(long, env = "SPOR_CODER", value_parser = coder_name)]
    pub coder: String,
    #[command(flatten)]
    pub passage: PassageArgs,
}

/// A passage of a turn, on the command line.
#[derive(Debug, Args, Default)]
pub struct PassageArgs {
    /// Only a passage of the turn: character offsets START-END into the
    /// turn's text (from 0, END exclusive; `spor export segments` shows the
    /// text).
    #[arg(long, value_name = "START-END", value_parser = passage_range)]
    pub passage: Option<(usize, usize)>,
    /// Only a passage of the turn, by its words (it must occur once in the
    /// turn; whitespace runs match any whitespace). With --passage, the
    /// text at those offsets.
    #[arg(long, value_name = "TEXT")]
    pub quote: Option<String>,
}

fn passage_range(s: &str) -> Result<(usize, usize), String> {
    let (a, b) = spor_coding::passage::Passage::parse_range(s)
        .map_err(|_| "give START-END, two character offsets such as 12-48".to_owned())?;
    if a >= b {
        return Err(format!("START ({a}) must be before END ({b})"));
    }
    Ok((a, b))
}

/// Arguments of `spor code add|remove`.
#[derive(Debug, Args)]
pub struct CodeEditArgs {
    /// The segment (`<document>#<turn>`).
    pub segment: String,
    /// The code id.
    pub code: String,
    /// The coder (their file is codings/NAME.csv; default: $SPOR_CODER).
    #[arg(long, env = "SPOR_CODER", value_parser = coder_name)]
    pub coder: String,
    /// A memo for the decision.
    #[arg(long, default_value = "")]
    pub memo: String,
    #[command(flatten)]
    pub passage: PassageArgs,
}

/// Arguments of `spor review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The code whose suggestions to review.
    pub code: String,
    /// The coder (their file is codings/NAME.csv; default: $SPOR_CODER).
    #[arg(long, env = "SPOR_CODER", value_parser = coder_name)]
    pub coder: String,
    /// `document` (default): the rules' suggestions in document and turn
    /// order, then the learned ones; `uncertainty`: both together, the
    /// turns the code's learned model is least sure of first (|p - 0.5|
    /// ascending, then document order).
    #[arg(long, value_enum, default_value = "document")]
    pub order: ReviewOrder,
}

/// The order of `spor review`'s queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewOrder {
    /// Rule suggestions in document and turn order, then learned ones.
    Document,
    /// The learned model's least certain turns first.
    Uncertainty,
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
    /// Add a code to a codebook (its file keeps its comments and layout).
    ///
    /// The id is derived from the label (`æ` -> `ae`, `ø` -> `oe`, `å` ->
    /// `aa`) unless --id is given; labels may hold any characters.
    ///
    /// Example:
    ///   spor codebook add "Tillid til data" --definition "Udsagn om ..."
    Add(CodebookAddArgs),
    /// Rename a code. Its old id stays as an alias, so no coding is
    /// orphaned; children and the curriculum's links follow.
    ///
    /// Example:
    ///   spor codebook rename readiness teknologiparathed --label "Teknologiparathed"
    Rename(CodebookRenameArgs),
    /// Merge one code into another: the merged code's id becomes an alias
    /// of the other, its rules and children move over, and the curriculum's
    /// links follow.
    ///
    /// Example:
    ///   spor codebook merge evaluation-2 evaluation
    Merge(CodebookMergeArgs),
}

/// Arguments of `spor codebook add`.
#[derive(Debug, Args)]
pub struct CodebookAddArgs {
    /// The code's label, in the study's language.
    pub label: String,
    /// The id (default: derived from the label).
    #[arg(long)]
    pub id: Option<String>,
    /// What the code means.
    #[arg(long, default_value = "")]
    pub definition: String,
    /// An English label.
    #[arg(long)]
    pub label_en: Option<String>,
    /// Its parent code.
    #[arg(long)]
    pub parent: Option<String>,
    /// The codebook (its id; default: the study's first codebook).
    #[arg(long)]
    pub codebook: Option<String>,
}

/// Arguments of `spor codebook rename`.
#[derive(Debug, Args)]
pub struct CodebookRenameArgs {
    /// The code's id now.
    pub old: String,
    /// Its new id.
    pub new: String,
    /// A new label too.
    #[arg(long)]
    pub label: Option<String>,
}

/// Arguments of `spor codebook merge`.
#[derive(Debug, Args)]
pub struct CodebookMergeArgs {
    /// The code to merge (it disappears; its id becomes an alias).
    pub from: String,
    /// The code it merges into.
    pub into: String,
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
    #[arg(long, value_parser = coder_name)]
    pub coder: String,
    /// Also list the segments each side missed.
    #[arg(long, short)]
    pub verbose: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
