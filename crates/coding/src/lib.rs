//! `spor-coding` owns the coding stage: it applies every rule of a study's
//! codebooks through the index and suggests codes with the words that
//! triggered them; it reads each human coder's `codings/<coder>.csv` (and
//! appends their decisions, never rewriting what is there); it merges both
//! into the study's codings under a documented counting policy; and it
//! checks codebooks against their own examples and rules against a coder.
//!
//! ```no_run
//! use spor_coding::{Policy, coders, suggest};
//! # fn demo(study: &spor_corpus::Study, corpus: &spor_corpus::Corpus,
//! #         index: &spor_index::SegmentIndex, books: &spor_codebook::CodebookSet)
//! # -> Result<(), Box<dyn std::error::Error>> {
//! let suggestions = suggest::suggest(index, corpus, books)?;
//! let files = coders::read_all(study, corpus, books);
//! let codings = spor_coding::merge(&suggestions, &files.codings, Policy::from_study(study)?);
//! println!("{} codings count", codings.counted().len());
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod anchor;
pub mod cache;
pub mod coders;
mod error;
pub mod eval;
mod gather;
mod merge;
pub mod origin;
pub mod passage;
pub mod suggest;
pub mod test;

pub use error::{CodingError, Result};
pub use merge::{
    Coding, Codings, Memo, MemoTarget, Notes, Policy, Status, Support, merge, sort_rows,
    stream_codings_csv, write_codings, write_codings_csv,
};
pub use origin::Origin;

/// The whole coding stage on a study: run the rules (reusing the
/// suggestion cache under `.spor/cache/`), read the coders' files, merge
/// under the study's policy (or `policy`), in stable order. `tick` is
/// called after each rule.
/// Returns the codings, what the coders' files held besides codings
/// (their diagnostics and dangling rows), and what the cache spared.
pub fn code_study(
    study: &spor_corpus::Study,
    corpus: &spor_corpus::Corpus,
    index: &spor_index::SegmentIndex,
    books: &spor_codebook::CodebookSet,
    policy: Option<Policy>,
    tick: &(dyn Fn() + Sync),
) -> Result<(Codings, coders::CoderFiles, cache::CacheReport)> {
    let policy = match policy {
        Some(p) => p,
        None => Policy::from_study(study)?,
    };
    let cache = study.root.join(cache::CACHE_FILE);
    // the rules' suggestions are made into rows as they are found
    let (rows, report) =
        suggest::suggest_as(index, corpus, books, Some(&cache), tick, Coding::suggested)?;
    let mut files = coders::read_all(study, corpus, books);
    if files.store_changed
        && let Err(e) = files.store.save(&study.root)
    {
        files.diagnostics.push(spor_corpus::Diagnostic::warning(
            spor_corpus::Location::file(std::path::Path::new(anchor::ANCHOR_FILE)),
            format!("the anchor store could not be written: {e}"),
        ));
    }
    let human = std::mem::take(&mut files.codings);
    let mut codings = merge::decide(rows, &human, policy);
    codings.memos = files.memos.clone();
    merge::memo_history(&mut codings);
    codings.coverage = files.coverage.clone();
    sort_rows(&mut codings, corpus, books);
    Ok((codings, files, report))
}
