//! The codebook model, as validated.

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// An example (or counter-example) of a code, with its source if known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// The text.
    pub text: String,
    /// Where it comes from.
    pub source: Option<String>,
}

/// A rule: a query that suggests its code.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// Unique within the codebook.
    pub id: String,
    /// The query as written.
    pub query_text: String,
    /// The parsed query.
    #[serde(skip)]
    pub query: spor_query::Query,
    /// Roles the rule applies to (default: participant).
    pub roles: Vec<String>,
    /// Attribute scope: name -> allowed values.
    #[serde(rename = "where")]
    pub scope: BTreeMap<String, Vec<String>>,
    /// Why the rule exists.
    pub note: Option<String>,
    /// Line of the rule's `id` in the file.
    pub line: usize,
}

/// A code.
#[derive(Debug, Clone, Serialize)]
pub struct Code {
    /// Id, unique across the study's codebooks.
    pub id: String,
    /// Danish label.
    pub label: String,
    /// English label (the Danish label when the codebook gives none).
    pub label_en: String,
    /// Former ids (after a rename or a merge): codings that name one count
    /// for this code.
    pub aliases: Vec<String>,
    /// Parent code in the same codebook.
    pub parent: Option<String>,
    /// `#rrggbb`.
    pub colour: Option<String>,
    /// What the code means.
    pub definition: String,
    /// Inclusion criteria.
    pub include: Vec<String>,
    /// Exclusion criteria.
    pub exclude: Vec<String>,
    /// Positive examples.
    pub examples: Vec<Example>,
    /// Negative examples.
    pub counter_examples: Vec<Example>,
    /// Cue codebooks: the finding.
    pub finding: Option<String>,
    /// Cue codebooks: the cue.
    pub cue: Option<String>,
    /// Cue codebooks: the translation into what the module must do.
    pub translation: Option<String>,
    /// Rules that suggest the code.
    pub rules: Vec<Rule>,
    /// Line of the code's `id`.
    pub line: usize,
}

/// A codebook.
#[derive(Debug, Clone, Serialize)]
pub struct Codebook {
    /// The file, as shown to the user.
    pub path: PathBuf,
    /// Codebook id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Version.
    pub version: String,
    /// Language of the labels (`da`).
    pub language: String,
    /// Description.
    pub description: Option<String>,
    /// The codes, in file order.
    pub codes: Vec<Code>,
}

impl Codebook {
    /// A code by id.
    pub fn code(&self, id: &str) -> Option<&Code> {
        self.codes.iter().find(|c| c.id == id)
    }
}

/// The codebooks of a study; code ids are unique across them.
#[derive(Debug, Clone, Default)]
pub struct CodebookSet {
    /// The codebooks, in `spor.toml` order.
    pub books: Vec<Codebook>,
}

impl CodebookSet {
    /// Every code with its codebook, in order.
    pub fn codes(&self) -> impl Iterator<Item = (&Codebook, &Code)> {
        self.books
            .iter()
            .flat_map(|b| b.codes.iter().map(move |c| (b, c)))
    }

    /// A code and its codebook by id.
    pub fn code(&self, id: &str) -> Option<(&Codebook, &Code)> {
        self.codes().find(|(_, c)| c.id == id)
    }

    /// A code by its id or a former id (an alias).
    pub fn resolve(&self, id: &str) -> Option<(&Codebook, &Code)> {
        self.code(id).or_else(|| {
            self.codes()
                .find(|(_, c)| c.aliases.iter().any(|a| a == id))
        })
    }
}
