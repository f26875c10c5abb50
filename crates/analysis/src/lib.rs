//! `spor-analysis` computes every figure spor reports, in one place, for
//! the exporters to render: matrices of codes by any attribute (with
//! normalisation and small-cell suppression), code co-occurrence, the
//! cue-to-curriculum translation table with exemplar quotes, traces from a
//! learning goal to transcript lines, and the audit of that chain
//! (including the manifest of input and output hashes).
//!
//! ```no_run
//! # fn demo(ev: &spor_analysis::Evidence) -> Result<(), spor_analysis::AnalysisError> {
//! let m = spor_analysis::matrix::matrix(ev, &spor_analysis::matrix::Options {
//!     by: "profession".into(),
//!     ..Default::default()
//! })?;
//! for c in &m.cells {
//!     println!("{} {} {}", c.code, c.value, c.segments);
//! }
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod agreement;
pub mod audit;
pub mod changes;
mod evidence;
pub mod manifest;
pub mod matrix;
pub mod rigor;
mod rows;
pub mod saturation;
pub mod trace;
pub mod translation;

pub use evidence::{
    AnalysisError, Cited, Evidence, MAX_QUOTE_CHARS, MemoNote, Quote, QuotePassage, Split, clip,
    passage_text,
};
