//! Helpers shared by the coding crate's integration tests.

use spor_codebook::CodebookSet;
use spor_corpus::Study;

/// The codebooks the study's manifest names.
pub fn codebooks(study: &Study) -> CodebookSet {
    CodebookSet::read(&study.codebook_paths()).unwrap()
}
