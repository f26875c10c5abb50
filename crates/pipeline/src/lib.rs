//! spor's pipeline as a library: everything between "a folder named on the
//! command line" and "the files in `out/`", for the command line and the
//! coding workbench alike.
//!
//! It owns the orchestration of the stage crates: finding and opening a
//! study ([`open`]), bringing its index up to date ([`index`]), coding it
//! ([`code`]), and the analyses and outputs built on that. It prints
//! nothing: progress, notes and warnings go to an [`Observer`] the caller
//! supplies (the command line draws bars; [`Silent`] ignores them).
//!
//! ```no_run
//! use spor_pipeline::{Silent, code, open};
//!
//! let study = open::open_study(Some(std::path::Path::new("examples/sundtek")))?;
//! let coded = code::code_study(study, None, &Silent)?;
//! println!("{} codings", coded.codings.rows.len());
//! # Ok::<(), spor_pipeline::PipelineError>(())
//! ```

#![deny(missing_docs)]

pub mod audit;
pub mod code;
mod error;
pub mod fresh;
pub mod index;
pub mod lock;
mod observe;
pub mod open;
pub mod report;
pub mod rigor;
pub mod run;

pub use error::{PipelineError, Result};
pub use observe::{Level, Observer, Recorder, Silent, timed};
