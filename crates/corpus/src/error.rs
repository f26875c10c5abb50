//! Errors of the corpus crate. Every input error names its file and, where it
//! has one, its line.

use std::fmt;
use std::path::PathBuf;

/// A place in an input file: the path as the user should see it (relative to
/// the study folder where possible) and an optional 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file, as shown to the user.
    pub path: PathBuf,
    /// 1-based line number, when the problem has one.
    pub line: Option<usize>,
}

impl Location {
    /// A location naming a file only.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: None,
        }
    }

    /// A location naming a file and a 1-based line.
    pub fn line(path: impl Into<PathBuf>, line: usize) -> Self {
        Location {
            path: path.into(),
            line: Some(line),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.path.display().to_string().replace('\\', "/");
        match self.line {
            Some(l) => write!(f, "{p}:{l}"),
            None => write!(f, "{p}"),
        }
    }
}

/// Errors raised while finding, reading or validating a study.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// No `spor.toml` in the folder or any folder above it.
    #[error("no spor.toml found in {0} or any folder above it")]
    StudyNotFound(PathBuf),
    /// An input file could not be read.
    #[error("{location}: cannot read file")]
    Io {
        /// The file.
        location: Location,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("{location}: cannot write file")]
    Write {
        /// The file.
        location: Location,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An input file is malformed at a known place.
    #[error("{location}: {message}")]
    Invalid {
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
        /// How to fix it, when we know.
        hint: Option<String>,
    },
    /// Validation of a study found errors; each is a diagnostic.
    #[error("the study has {} error(s); run `spor check` for the full list", .0.iter().filter(|d| d.severity == crate::Severity::Error).count())]
    Diagnostics(Vec<crate::Diagnostic>),
}

impl CorpusError {
    /// An `Invalid` error without a hint.
    pub fn invalid(location: Location, message: impl Into<String>) -> Self {
        CorpusError::Invalid {
            location,
            message: message.into(),
            hint: None,
        }
    }

    /// An `Invalid` error with a hint.
    pub fn invalid_hint(
        location: Location,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        CorpusError::Invalid {
            location,
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// The hint for the user, if this error has one.
    pub fn hint(&self) -> Option<&str> {
        match self {
            CorpusError::Invalid { hint, .. } => hint.as_deref(),
            CorpusError::StudyNotFound(_) => {
                Some("run `spor init` to create a study, or pass `--study DIR`")
            }
            CorpusError::Diagnostics(_) => None,
            _ => None,
        }
    }

    /// Turn this error into a diagnostic (for `spor check`).
    pub fn to_diagnostic(&self) -> crate::Diagnostic {
        match self {
            CorpusError::Invalid {
                location,
                message,
                hint,
            } => crate::Diagnostic {
                severity: crate::Severity::Error,
                location: location.clone(),
                message: message.clone(),
                hint: hint.clone(),
            },
            CorpusError::Io { location, source } | CorpusError::Write { location, source } => {
                crate::Diagnostic::error(location.clone(), format!("cannot read file: {source}"))
            }
            other => crate::Diagnostic::error(Location::file(""), other.to_string()),
        }
    }
}

/// Result with [`CorpusError`].
pub type Result<T, E = CorpusError> = std::result::Result<T, E>;
