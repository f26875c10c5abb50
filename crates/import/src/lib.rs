//! `spor-import` owns reading other QDA programs' files into spor: a
//! REFI-QDA project (`.qdpx`, from NVivo, ATLAS.ti, MAXQDA, QualCoder or
//! spor itself) into a new study folder, and a REFI-QDA codebook (`.qdc`)
//! into a spor codebook.
//!
//! An import reads the archive in memory within limits (no entry is ever
//! extracted, no XML entity resolved), turns each text source into a
//! transcript of speaker turns, its cases and variables into the two
//! sheets, its code tree into codebook TOML and its coded selections into
//! one coder file per user, mapped onto the turns they overlap. Selection
//! positions are read in the producer's unit (code points, or UTF-16 code
//! units for NVivo). Whatever could not be placed is counted and listed as
//! a warning, never dropped silently.
//!
//! ```no_run
//! use std::path::Path;
//!
//! let opts = spor_import::Options::default();
//! let s = spor_import::import_qdpx(Path::new("project.qdpx"), Path::new("study"), &opts)?;
//! println!(
//!     "{} documents, {} of {} selections in one turn",
//!     s.documents, s.selections.mapped, s.selections.total
//! );
//! for w in &s.warnings {
//!     eprintln!("{w}");
//! }
//! let q = spor_import::import_qdc(Path::new("codes.qdc"), None, Path::new("codebooks"), false)?;
//! println!("wrote {}", q.written[0].path);
//! # Ok::<(), spor_import::ImportError>(())
//! ```
#![deny(missing_docs)]

pub mod archive;
pub mod codebook;
pub mod codings;
mod error;
pub mod names;
pub mod positions;
pub mod project;
pub mod qdc;
pub mod sheets;
pub mod sources;
pub mod speakers;
pub mod study;
pub mod text;
pub mod xml;

pub use archive::Limits;
pub use error::{ImportError, Result};
pub use positions::Unit;
pub use qdc::{QdcSummary, import_qdc};
pub use study::{Options, Summary, import_qdpx};

use serde::Serialize;
use std::fmt;

/// Something the user should know about an import: `file: warning: message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The file it is about (the .qdpx, or a file of the new study).
    pub file: String,
    /// What.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: warning: {}", self.file, self.message)
    }
}

/// Warnings collected during an import, in order.
#[derive(Debug, Clone, Default)]
pub struct Warnings(Vec<Warning>);

impl Warnings {
    /// Add one.
    pub fn push(&mut self, file: &str, message: impl Into<String>) {
        self.0.push(Warning {
            file: file.to_owned(),
            message: message.into(),
        });
    }

    /// The warnings.
    pub fn into_vec(self) -> Vec<Warning> {
        self.0
    }
}
