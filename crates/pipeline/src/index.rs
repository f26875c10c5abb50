//! Bringing a study's index up to date: hash every file, read only the
//! added and changed documents (in batches, so memory stays bounded), and
//! apply.

use crate::error::Result;
use crate::observe::{Level, Observer, timed};
use spor_corpus::{Corpus, Study};
use spor_index::{Batch, SegmentIndex, UpdateReport};
use std::path::PathBuf;

/// Documents read per batch while indexing.
const BATCH_DOCUMENTS: usize = 64;

/// The index folder of a study.
pub fn index_dir(study: &Study) -> PathBuf {
    study.root.join(".spor").join("index")
}

/// Bring an open index up to date. A transcript with errors stops the
/// update before anything is committed, with every transcript's errors (as
/// `spor check` lists them).
pub fn update(study: &Study, idx: &mut SegmentIndex, obs: &dyn Observer) -> Result<UpdateReport> {
    let plan = idx.plan(study);
    obs.start("indexing", plan.to_read().len() as u64, "documents");
    let mut failed = None;
    let r = idx.apply_streaming(
        plan,
        BATCH_DOCUMENTS,
        rayon::current_num_threads(),
        &mut |ids| match Corpus::read_only_strict(study, ids) {
            Ok(c) => Ok(Batch::Owned(c)),
            Err(e) => {
                let message = e.to_string();
                failed = Some(e);
                Err(spor_index::IndexError::Read { message })
            }
        },
        &|| obs.tick(),
    );
    obs.finish();
    if let Some(e) = failed {
        let all = Corpus::read(study);
        if all.has_errors() {
            return Err(spor_corpus::CorpusError::Diagnostics(all.diagnostics).into());
        }
        return Err(e.into());
    }
    Ok(r?)
}

/// Open the study's index and bring it up to date; what changed is
/// reported as a note.
pub fn ensure(study: &Study, obs: &dyn Observer) -> Result<SegmentIndex> {
    timed(obs, "index up to date", || {
        let mut idx = SegmentIndex::open(&index_dir(study))?;
        let r = update(study, &mut idx, obs)?;
        if r.touched() {
            obs.message(Level::Note, &summary(&r));
        }
        Ok(idx)
    })
}

/// What an update did, in one or two lines.
pub fn summary(r: &UpdateReport) -> String {
    let list = |v: &Vec<String>| {
        if v.is_empty() || v.len() > 10 {
            String::new()
        } else {
            format!(" ({})", v.join(", "))
        }
    };
    let mut s = format!(
        "index: {} added{}, {} changed{}, {} removed{}, {} unchanged; {} segments",
        r.added.len(),
        list(&r.added),
        r.changed.len(),
        list(&r.changed),
        r.removed.len(),
        list(&r.removed),
        r.unchanged,
        r.segments
    );
    if let Some(why) = &r.reason {
        s.push_str(&format!("\nindex: built anew: {why}"));
    }
    s
}
