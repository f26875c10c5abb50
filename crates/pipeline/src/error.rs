//! Errors of the pipeline: each stage's own error, passed through, plus
//! the pipeline's own usage and input errors.

use std::path::PathBuf;

/// Errors while running the pipeline.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// Reading the study or its transcripts failed.
    #[error(transparent)]
    Corpus(#[from] spor_corpus::CorpusError),
    /// The index failed.
    #[error(transparent)]
    Index(#[from] spor_index::IndexError),
    /// A codebook or the curriculum is invalid.
    #[error(transparent)]
    Codebook(#[from] spor_codebook::CodebookError),
    /// Coding failed (rules, coders' files).
    #[error(transparent)]
    Coding(#[from] spor_coding::CodingError),
    /// Learning from the coders failed (its settings, its cache).
    #[error(transparent)]
    Learn(#[from] spor_learn::LearnError),
    /// An analysis could not be computed.
    #[error(transparent)]
    Analysis(#[from] spor_analysis::AnalysisError),
    /// An output could not be rendered.
    #[error(transparent)]
    Export(#[from] spor_export::ExportError),
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// A setting or argument is wrong (an unknown policy, a `--study` that
    /// is no study, ...).
    #[error("{message}")]
    Usage {
        /// What is wrong.
        message: String,
        /// How to fix it, when known.
        hint: Option<String>,
    },
    /// JSON could not be built.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// `spor run` stopped; out/ is as it was.
    #[error("spor run stopped; the previous out/ is unchanged")]
    RunStopped(#[source] Box<PipelineError>),
    /// Another spor command held the study's lock for longer than the
    /// timeout.
    #[error(
        "another spor command has held this study's lock ({}) for more than {seconds} s; wait for it to finish, or set SPOR_LOCK_TIMEOUT to wait longer",
        path.display()
    )]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// How long spor waited.
        seconds: u64,
    },
    /// An input changed while `spor run` read it.
    #[error("input(s) changed while spor run read them: {}; run it again", files.join(", "))]
    InputsChanged {
        /// The files that changed, were added or removed.
        files: Vec<String>,
    },
}

impl PipelineError {
    /// A usage error without a hint.
    pub fn usage(message: impl Into<String>) -> PipelineError {
        PipelineError::Usage {
            message: message.into(),
            hint: None,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> PipelineError {
        PipelineError::Io {
            path: path.into(),
            source,
        }
    }

    /// The stage's own error this wraps, for callers that render errors
    /// by their type (details, hints); `None` for the pipeline's own.
    pub fn inner(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PipelineError::Corpus(e) => Some(e),
            PipelineError::Index(e) => Some(e),
            PipelineError::Codebook(e) => Some(e),
            PipelineError::Coding(e) => Some(e),
            PipelineError::Analysis(e) => Some(e),
            PipelineError::Learn(e) => Some(e),
            PipelineError::Export(e) => Some(e),
            PipelineError::Json(e) => Some(e),
            PipelineError::RunStopped(_)
            | PipelineError::Locked { .. }
            | PipelineError::Io { .. }
            | PipelineError::Usage { .. }
            | PipelineError::InputsChanged { .. } => None,
        }
    }

    /// A hint for the user, when the pipeline has one of its own.
    pub fn hint(&self) -> Option<&str> {
        match self {
            PipelineError::Usage { hint, .. } => hint.as_deref(),
            _ => None,
        }
    }
}

/// Result with [`PipelineError`].
pub type Result<T, E = PipelineError> = std::result::Result<T, E>;
