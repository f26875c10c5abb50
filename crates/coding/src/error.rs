//! Errors of the coding stage.

use std::path::PathBuf;

/// Errors while coding.
#[derive(Debug, thiserror::Error)]
pub enum CodingError {
    /// The index failed.
    #[error(transparent)]
    Index(#[from] spor_index::IndexError),
    /// A coder's file could not be read or written.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
        /// How to fix it.
        hint: Option<String>,
    },
    /// A rule cannot run on this study (e.g. an unknown attribute).
    #[error("{path}:{line}: rule {rule}: {message}")]
    Rule {
        /// The codebook file.
        path: PathBuf,
        /// Line of the rule.
        line: usize,
        /// The rule id.
        rule: String,
        /// What is wrong.
        message: String,
    },
    /// `spor.toml` has an invalid `[coding]` table.
    #[error("spor.toml: {0}")]
    Manifest(String),
}

impl CodingError {
    /// A hint for the user, when there is one.
    pub fn hint(&self) -> Option<&str> {
        match self {
            CodingError::File { hint, .. } => hint.as_deref(),
            CodingError::Index(e) => e.hint(),
            CodingError::Manifest(_) => {
                Some("[coding] policy is \"suggested-and-human\" (default) or \"human-only\"")
            }
            CodingError::Rule { .. } => None,
        }
    }
}

/// Result with [`CodingError`].
pub type Result<T, E = CodingError> = std::result::Result<T, E>;
