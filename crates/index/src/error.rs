//! Errors of the index crate.

use std::path::PathBuf;

/// Errors while building, updating or searching the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy failed.
    #[error("index at {path}: {source}")]
    Tantivy {
        /// The index folder.
        path: PathBuf,
        /// tantivy's error.
        #[source]
        source: tantivy::TantivyError,
    },
    /// A file of the index could not be read or written.
    #[error("index at {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A transcript could not be read while indexing; nothing was
    /// committed.
    #[error("reading transcripts: {message}")]
    Read {
        /// What went wrong.
        message: String,
    },
    /// The query would cost too much to run (spor's cost limits).
    #[error("the query is too costly to run: {message}")]
    TooCostly {
        /// Which limit it went over.
        message: String,
    },
    /// The query is not valid.
    #[error("{}", .rendered)]
    Query {
        /// The query error.
        error: spor_query::QueryError,
        /// The query with a caret under the problem, then the message.
        rendered: String,
    },
}

impl IndexError {
    /// A hint for the user, when there is one.
    pub fn hint(&self) -> Option<&str> {
        match self {
            // the rendered query error already shows its hint
            IndexError::Query { .. } => None,
            IndexError::Tantivy { .. } => {
                Some("delete the study's .spor/ folder to rebuild the index")
            }
            IndexError::TooCostly { .. } => Some(
                "use longer or fewer wildcards (`*stem*` matches every word containing the stem)",
            ),
            IndexError::Io { .. } | IndexError::Read { .. } => None,
        }
    }
}

/// Result with [`IndexError`].
pub type Result<T, E = IndexError> = std::result::Result<T, E>;
