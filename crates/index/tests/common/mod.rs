//! What the index's integration tests share.

use spor_corpus::{Corpus, Study};
use spor_index::{Batch, SegmentIndex};
use std::path::Path;

/// Bring the index at `index_dir` up to date with the study, reading
/// `batch` documents at a time and indexing with `threads` threads.
pub fn update(study_dir: &Path, index_dir: &Path, threads: usize, batch: usize) -> SegmentIndex {
    let study = Study::open(study_dir).unwrap();
    let mut idx = SegmentIndex::open(index_dir).unwrap();
    let plan = idx.plan(&study);
    idx.apply_streaming(
        plan,
        batch,
        threads,
        &mut |ids| Ok(Batch::Owned(Corpus::read_only(&study, ids))),
        &|| {},
    )
    .unwrap();
    idx
}
