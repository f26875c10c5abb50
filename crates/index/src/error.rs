//! Errors of the index crate.

use std::path::PathBuf;

/// Errors while building, updating or searching the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy failed.
    #[error("index at {}: {}", .path.display(), human(.source))]
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

/// tantivy's error in words: its `Display` of file errors is a `Debug`
/// dump (`IoError { io_error: Custom { kind: ... } }`); this names the file
/// and says what is wrong with it.
pub fn human(e: &tantivy::TantivyError) -> String {
    use tantivy::TantivyError as T;
    use tantivy::directory::error::OpenReadError as R;
    match e {
        T::OpenReadError(R::FileDoesNotExist(p)) => {
            format!("the index file {} is missing", p.display())
        }
        T::OpenReadError(R::IoError { io_error, filepath }) => {
            format!(
                "cannot read the index file {}: {io_error}",
                filepath.display()
            )
        }
        T::IoError(io) => format!("input/output error: {io}"),
        T::DataCorruption(c) => format!("the index is damaged: {c:?}"),
        T::LockFailure(_, msg) => format!(
            "the index is locked by another process{}",
            msg.as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_errors_are_words_not_debug_dumps() {
        let e = tantivy::TantivyError::OpenReadError(
            tantivy::directory::error::OpenReadError::IoError {
                io_error: std::sync::Arc::new(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "File corrupted. The file is smaller than 4 bytes (len=0).",
                )),
                filepath: "abc.idx".into(),
            },
        );
        let shown = IndexError::Tantivy {
            path: "/s/.spor/index".into(),
            source: e,
        }
        .to_string();
        assert_eq!(
            shown,
            "index at /s/.spor/index: cannot read the index file abc.idx: File corrupted. The file is smaller than 4 bytes (len=0)."
        );
    }
}
