//! `spor-corpus` owns spor's study model: the study folder and its manifest
//! (`spor.toml`), the documents and participants sheets, every transcript
//! reader, and the segments (speaker turns) that all later stages code,
//! count and cite.
//!
//! ```no_run
//! use spor_corpus::{Corpus, Study, discover};
//!
//! let root = discover(std::path::Path::new("examples/sundtek"))?;
//! let study = Study::open(&root)?;
//! let corpus = Corpus::read(&study);
//! for seg in corpus.segments().take(3) {
//!     println!("{} {} {}", seg.segment, seg.profession(), seg.words);
//! }
//! # Ok::<(), spor_corpus::CorpusError>(())
//! ```
#![deny(missing_docs)]

pub mod corpus;
pub mod decode;
pub mod diag;
pub mod docx;
pub mod error;
pub mod fsutil;
pub mod input;
pub mod segment;
pub mod sentence;
pub mod shared;
pub mod sheet;
pub mod stats;
pub mod status;
pub mod study;
pub mod subtitle;
pub mod text;
pub mod transcript;

pub use corpus::{
    Corpus, Document, HashingWriter, hex, hex_into, sha256, sha256_file, sha256_hex,
    sha256_hex_parts,
};
pub use diag::{Diagnostic, Severity};
pub use error::{CorpusError, Location, Result};
pub use segment::Segment;
pub use sentence::Sentence;
pub use shared::{SharedStr, TextSlice};
pub use sheet::{AttrValue, Attributes};
pub use study::{Role, Study, discover};
pub use text::{DocText, TextStore};
