//! The import's errors: each names the file and, inside an archive, the
//! entry, so that `spor` can print `x.qdpx: entry project.qde: ...`.

use std::path::PathBuf;

/// Why an import failed. Nothing has been written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file could not be read.
    #[error("{}: cannot read", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a readable zip archive (truncated, or not a zip).
    #[error("{}: not a readable .qdpx archive (zip): {message}", path.display())]
    Archive {
        /// The archive.
        path: PathBuf,
        /// What the zip reader said.
        message: String,
    },
    /// An entry of the archive is unsafe or breaks spor's limits.
    #[error("{}: entry {entry}: {message}", path.display())]
    Entry {
        /// The archive.
        path: PathBuf,
        /// The entry's name as stored.
        entry: String,
        /// What is wrong.
        message: String,
    },
    /// The archive holds no `.qde` project, or more than one.
    #[error("{}: {message}", path.display())]
    NoProject {
        /// The archive.
        path: PathBuf,
        /// What was found.
        message: String,
    },
    /// The XML could not be read (not XML, a DOCTYPE, an entity).
    #[error("{}: {}{message}", path.display(), entry.as_deref().map(|e| format!("entry {e}: ")).unwrap_or_default())]
    Xml {
        /// The file (the archive for an entry).
        path: PathBuf,
        /// The entry inside the archive, if any.
        entry: Option<String>,
        /// What is wrong, with the byte position.
        message: String,
    },
    /// The target folder or file is in the way.
    #[error("{}: {message}", path.display())]
    Target {
        /// The folder or file.
        path: PathBuf,
        /// What is wrong.
        message: String,
        /// How to go on.
        hint: String,
    },
    /// Writing failed.
    #[error("{}: cannot write", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// What the import would write is not valid for spor (a bug in the
    /// import, reported rather than written).
    #[error("{}: the imported {what} is not valid: {message}", path.display())]
    Invalid {
        /// The input file.
        path: PathBuf,
        /// Which output.
        what: String,
        /// spor's complaint.
        message: String,
    },
}

impl ImportError {
    /// A hint for the user, when one is known.
    pub fn hint(&self) -> Option<&str> {
        match self {
            ImportError::Target { hint, .. } => Some(hint),
            ImportError::Archive { .. } => {
                Some("export the project again from the QDA program; a .qdpx is a zip archive")
            }
            ImportError::Entry { message, .. } if message.contains("limit") => Some(
                "spor reads archives in memory and refuses entries that unpack far beyond their size (zip bombs)",
            ),
            ImportError::Xml { message, .. } if message.contains("DOCTYPE") => {
                Some("REFI-QDA files have no DOCTYPE; remove it, or export the project again")
            }
            _ => None,
        }
    }
}

/// The result of an import step.
pub type Result<T> = std::result::Result<T, ImportError>;
