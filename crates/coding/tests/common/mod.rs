//! Helpers shared by the coding crate's integration tests.

use spor_codebook::CodebookSet;
use spor_corpus::Study;
use std::path::PathBuf;

/// The codebooks the study's manifest names.
pub fn codebooks(study: &Study) -> CodebookSet {
    CodebookSet::read(
        &study
            .manifest
            .study
            .codebooks
            .iter()
            .map(|p| (study.root.join(p), PathBuf::from(p)))
            .collect::<Vec<_>>(),
    )
    .unwrap()
}
