//! `spor index`, and bringing the index up to date for other commands.

use crate::Outcome;
use crate::args::{Cli, IndexArgs};
use anyhow::Result;
use spor_corpus::{Corpus, Study};
use spor_index::{Batch, SegmentIndex, UpdateReport};

/// The index folder of a study.
pub fn index_dir(study: &Study) -> std::path::PathBuf {
    study.root.join(".spor").join("index")
}

/// Documents read per batch while indexing.
const BATCH_DOCUMENTS: usize = 64;

fn threads() -> usize {
    rayon::current_num_threads()
}

/// Bring an open index up to date: hash every file, read only the added
/// and changed documents (failing on their errors), apply.
fn update(cli: &Cli, study: &Study, idx: &mut SegmentIndex) -> Result<UpdateReport> {
    let plan = idx.plan(study);
    let todo = plan.to_read();
    let pb = crate::progress::bar(cli, todo.len() as u64, "indexing", "documents");
    // Transcripts are read in batches, so that memory stays bounded
    // whatever the size of the study; a batch that fails to read stops
    // the update before anything is committed.
    let mut failed = None;
    let r = idx.apply_streaming(
        plan,
        BATCH_DOCUMENTS,
        threads(),
        &mut |ids| match Corpus::read_only_strict(study, ids) {
            Ok(c) => Ok(Batch::Owned(c)),
            Err(e) => {
                let message = e.to_string();
                failed = Some(e);
                Err(spor_index::IndexError::Read { message })
            }
        },
        &|| pb.inc(1),
    );
    pb.finish_and_clear();
    if let Some(e) = failed {
        // Every transcript's errors, as `spor check` lists them, so that
        // every command reports the same errors (a batch stops at its own).
        let all = Corpus::read(study);
        if all.has_errors() {
            return Err(spor_corpus::CorpusError::Diagnostics(all.diagnostics).into());
        }
        // the reader's own error, with its file and line (and hints)
        return Err(e.into());
    }
    Ok(r?)
}

/// Open the study's index and bring it up to date; say what changed on
/// stderr unless `--quiet`.
pub fn ensure(cli: &Cli, study: &Study) -> Result<SegmentIndex> {
    let mut idx = SegmentIndex::open(&index_dir(study))?;
    let r = update(cli, study, &mut idx)?;
    if !cli.quiet && r.touched() {
        eprintln!("{}", summary(&r));
    }
    Ok(idx)
}

fn summary(r: &UpdateReport) -> String {
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

pub fn run(cli: &Cli, a: &IndexArgs) -> Result<Outcome> {
    let study = super::open_study_strict(cli)?;
    let dir = index_dir(&study);
    if a.rebuild && dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let mut idx = SegmentIndex::open(&dir)?;
    let r = update(cli, &study, &mut idx)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        println!("{}", summary(&r));
    }
    Ok(Outcome::Ok)
}
