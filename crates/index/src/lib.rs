//! `spor-index` owns the full-text index over a study's segments: a tantivy
//! index with a Danish analyzer (lemmas from spor's Danish lexicon, else
//! Snowball stemming, æ/ø/å kept, no ASCII
//! folding, no stop words), an exact-form field, every attribute as a
//! filter, incremental updates by document content hash, and search with
//! spor's query language (`spor-query`), including highlights in chars.
//!
//! ```no_run
//! use spor_corpus::{Corpus, Study, discover};
//! use spor_index::{Filters, SegmentIndex};
//!
//! let study = Study::open(&discover("examples/sundtek".as_ref())?)?;
//! let mut index = SegmentIndex::open(&study.root.join(".spor/index"))?;
//! let plan = index.plan(&study); // hashes files; parses nothing
//! let changed = Corpus::read_only(&study, &plan.to_read());
//! let report = index.apply(plan, &changed, 2)?;
//! println!("re-indexed {:?}", report.changed);
//! let q = spor_query::parse("*teknologi AND profession:radiograf").unwrap();
//! for hit in index.search(&q, &Filters::default(), Some(10))? {
//!     println!("{} {:.2}", hit.segment, hit.score);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod adjective;
pub mod analyzer;
pub mod clauses;
pub mod compounds;
mod docset;
mod error;
pub mod index;
pub mod lexicon;
pub mod matched;
mod phrase;
mod readonly;
mod scored;
pub mod search;
mod ties;

pub use clauses::{ClauseMatcher, clause_ranges};
pub use error::{IndexError, Result};
pub use index::{Batch, SegmentIndex, UpdateReport};
pub use matched::Candidates;
pub use search::{Expansion, Filters, Highlighter, Hit, highlights, natural_key};
