//! Incremental updates: which documents a plan re-reads, and the file
//! stat cache that spares hashing unchanged files.

use spor_corpus::{Corpus, Study};
use spor_index::SegmentIndex;
use std::path::Path;
use std::time::{Duration, SystemTime};

fn write_study(dir: &Path) {
    std::fs::create_dir_all(dir.join("transcripts")).unwrap();
    std::fs::write(
        dir.join("spor.toml"),
        "[study]\nname = \"t\"\ncodebooks = []\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("documents.csv"),
        "document,file,kind,phase,date\na,transcripts/a.txt,interview,1,2024-01-01\nb,transcripts/b.txt,interview,1,2024-01-02\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("participants.csv"),
        "document,speaker,participant,profession,role\na,I,R1,forsker,interviewer\na,P,P1,læge,participant\nb,I,R1,forsker,interviewer\nb,P,P2,sygeplejerske,participant\n",
    )
    .unwrap();
    for d in ["a", "b"] {
        std::fs::write(
            dir.join(format!("transcripts/{d}.txt")),
            "I: Hvordan gik det?\nP: Implementeringen gik fint.\n",
        )
        .unwrap();
    }
}

fn set_mtime(path: &Path, t: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

fn update(study_dir: &Path, idx: &mut SegmentIndex) -> spor_index::UpdateReport {
    let study = Study::open(study_dir).unwrap();
    let plan = idx.plan(&study);
    let corpus = Corpus::read_only(&study, &plan.to_read());
    idx.apply(plan, &corpus, 1).unwrap()
}

#[test]
fn unchanged_files_are_not_rehashed_and_changed_ones_are() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_study(dir);
    let a = dir.join("transcripts/a.txt");
    let old = SystemTime::now() - Duration::from_secs(3600);
    set_mtime(&a, old);
    set_mtime(&dir.join("transcripts/b.txt"), old);
    let mut idx = SegmentIndex::open(&dir.join(".spor/index")).unwrap();
    let r = update(dir, &mut idx);
    assert_eq!(r.added.len(), 2);

    // Same size, the old modification time restored: the status change
    // time (and the racy rule) still give the edit away.
    std::fs::write(&a, "I: Hvordan gik det?\nP: Implementeringen gik godt.\n").unwrap();
    set_mtime(&a, old);
    let r = update(dir, &mut idx);
    assert_eq!(r.changed, vec!["a".to_string()]);

    // A new modification time alone: the file is hashed again, and its
    // bytes are the same, so nothing is re-indexed.
    set_mtime(&a, old + Duration::from_secs(60));
    let r = update(dir, &mut idx);
    assert!(r.changed.is_empty(), "{r:?}");

    // A file changed just now is always hashed, whatever its stat says.
    std::fs::write(&a, "I: Hvordan gik det?\nP: Implementeringen gik skidt.\n").unwrap();
    let r = update(dir, &mut idx);
    assert_eq!(r.changed, vec!["a".to_string()]);
    let r = update(dir, &mut idx);
    assert!(r.changed.is_empty() && r.added.is_empty(), "{r:?}");
}

/// Set the index meta's write time, as if it had been written long after
/// every file's last change, so that the stat cache is trusted.
fn age_meta(dir: &Path) {
    let p = dir.join(".spor/index/spor-index.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    let later = SystemTime::now() + Duration::from_secs(3600);
    let ns = later
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    v["written_ns"] = serde_json::json!(ns as u64);
    std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
}

#[test]
fn an_edit_with_its_old_mtime_restored_is_noticed_even_when_the_cache_is_trusted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_study(dir);
    let a = dir.join("transcripts/a.txt");
    let old = SystemTime::now() - Duration::from_secs(3600);
    set_mtime(&a, old);
    let mut idx = SegmentIndex::open(&dir.join(".spor/index")).unwrap();
    assert_eq!(update(dir, &mut idx).added.len(), 2);
    drop(idx);
    age_meta(dir);
    // with a trusted cache and nothing changed, nothing is re-indexed
    let mut idx = SegmentIndex::open(&dir.join(".spor/index")).unwrap();
    let r = update(dir, &mut idx);
    assert!(r.changed.is_empty() && r.added.is_empty(), "{r:?}");
    drop(idx);
    age_meta(dir);
    // same size, same modification time, different bytes
    std::fs::write(&a, "I: Hvordan gik det?\nP: Implementeringen gik godt.\n").unwrap();
    set_mtime(&a, old);
    let mut idx = SegmentIndex::open(&dir.join(".spor/index")).unwrap();
    let r = update(dir, &mut idx);
    assert_eq!(r.changed, vec!["a".to_string()], "{r:?}");
}
