//! The study as the server holds it: opened, read and indexed through
//! `spor-pipeline` (as every command does), its rules run through the
//! suggestion cache, and read again when a file changed on disk. The
//! suggestions are kept apart from the coders' files, so that a changed
//! coder's file costs only reading the coders' files again.

use crate::{Result, ServeError};
use spor_codebook::CodebookSet;
use spor_coding::coders::CoderFiles;
use spor_coding::suggest::Suggestion;
use spor_coding::{Codings, Policy};
use spor_corpus::{Corpus, Study};
use spor_index::SegmentIndex;
use spor_pipeline::Silent;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// What a file looked like when it was read: its modification time and
/// size (`None` when it did not exist).
type Stamp = Vec<(PathBuf, Option<(SystemTime, u64)>)>;

fn stamp(paths: &[PathBuf]) -> Stamp {
    paths
        .iter()
        .map(|p| {
            let meta = std::fs::metadata(p)
                .ok()
                .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
            (p.clone(), meta)
        })
        .collect()
}

/// The study, read and coded.
pub struct Session {
    /// The opened study.
    pub study: Study,
    /// Its transcripts, as segments.
    pub corpus: Corpus,
    /// Its codebooks.
    pub books: CodebookSet,
    /// The search index, up to date with the transcripts.
    pub index: SegmentIndex,
    /// The rules' suggestions.
    pub suggestions: Vec<Suggestion>,
    /// Suggestions and human codings, merged under the study's policy.
    pub codings: Codings,
    /// What the coders' files hold (every coder's rows, memos, coverage).
    pub files: CoderFiles,
    /// The learned models (`None` with `[learn] enabled = false`), fitted
    /// or taken from the cache when the study is opened. A decision made
    /// in the workbench is learned from at the next opening or `spor
    /// code`; until then the models' suggestions are recomputed against
    /// the new decisions but the models stay as they were.
    pub learned: Option<spor_learn::Learned>,
    /// The models' suggestions, computed once per opening: they depend on
    /// the models and the turns, not on the decisions made since.
    learned_rows: Vec<spor_coding::Coding>,
    inputs: Stamp,
    coders: Stamp,
}

/// Every file whose change means reading the study again: the manifest,
/// the sheets, the transcripts, the codebooks and the curriculum.
fn input_paths(study: &Study) -> Vec<PathBuf> {
    let mut v = vec![
        study.root.join(spor_corpus::study::MANIFEST),
        study.documents_path.clone(),
        study.participants_path.clone(),
    ];
    v.extend(study.documents.iter().map(|d| study.path(&d.file)));
    v.extend(study.manifest.study.codebooks.iter().map(|p| study.path(p)));
    if let Some(c) = &study.manifest.study.curriculum {
        v.push(study.path(c));
    }
    v
}

/// The coders' files (and the folder, so that a new file is seen).
fn coder_paths(study: &Study) -> Vec<PathBuf> {
    let dir = spor_coding::coders::codings_dir(study);
    let mut v = vec![dir.clone()];
    v.extend(
        spor_coding::coders::coder_names(study)
            .into_iter()
            .map(|n| dir.join(format!("{n}.csv"))),
    );
    v
}

/// Hold the study's lock (`.spor/lock`, the one every spor command that
/// writes `.spor/` takes) while `f` runs, waiting up to a minute for
/// another command to finish. A study whose `.spor/` cannot be written is
/// not locked.
fn with_study_lock<T>(root: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let _lock = spor_pipeline::lock::acquire(root, Duration::from_secs(60), &|_| {})
        .map_err(|e| ServeError::Study(e.to_string()))?;
    f()
}

fn err(e: impl std::fmt::Display) -> ServeError {
    ServeError::Study(e.to_string())
}

pub use spor_pipeline::open::{known_attributes, load_codebooks};

impl Session {
    /// Open the study at `root`, read it, bring its index up to date (under
    /// the study's lock) and code it.
    pub fn open(root: &Path) -> Result<Session> {
        let study = Study::open(root).map_err(err)?;
        let inputs = stamp(&input_paths(&study));
        let corpus = spor_pipeline::open::read_corpus(&study, &Silent).map_err(err)?;
        let books = load_codebooks(&study).map_err(err)?;
        let known = known_attributes(&study);
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        spor_coding::suggest::check_rules(&books, &known).map_err(err)?;
        let (index, suggestions) = with_study_lock(&study.root, || {
            let index = spor_pipeline::index::ensure(&study, &Silent).map_err(err)?;
            let cache = study.root.join(spor_coding::cache::CACHE_FILE);
            let (suggestions, _) =
                spor_coding::suggest::suggest_cached(&index, &corpus, &books, Some(&cache), &|| {})
                    .map_err(err)?;
            Ok((index, suggestions))
        })?;
        let mut s = Session {
            coders: Vec::new(),
            files: CoderFiles::default(),
            codings: spor_coding::merge(&[], &[], Policy::SuggestedAndHuman),
            study,
            corpus,
            books,
            index,
            suggestions,
            inputs,
            learned: None,
            learned_rows: Vec::new(),
        };
        s.read_coders()?;
        let learned = with_study_lock(&s.study.root, || {
            spor_learn::learn_study(&s.study, &s.corpus, &s.books, &mut s.codings).map_err(err)
        })?;
        // learn_study added the learned suggestions to the codings
        s.learned_rows = s
            .codings
            .rows
            .iter()
            .filter(|r| r.is_learned())
            .cloned()
            .collect();
        s.learned = learned;
        Ok(s)
    }

    /// Read the coders' files again and merge them with the suggestions.
    fn read_coders(&mut self) -> Result<()> {
        self.coders = stamp(&coder_paths(&self.study));
        let files = spor_coding::coders::read_all(&self.study, &self.corpus, &self.books);
        if files.store_changed {
            // the anchor store is a cache: failing to write it loses nothing
            let _ = with_study_lock(&self.study.root, || {
                files.store.save(&self.study.root).map_err(err)
            });
        }
        let policy = Policy::from_study(&self.study).map_err(err)?;
        let mut codings = spor_coding::merge(&self.suggestions, &files.codings, policy);
        codings.memos = files.memos.clone();
        codings.coverage = files.coverage.clone();
        codings.rows.extend(self.learned_rows.iter().cloned());
        spor_coding::sort_rows(&mut codings, &self.corpus, &self.books);
        self.codings = codings;
        self.files = files;
        Ok(())
    }

    /// Read again whatever changed on disk since the last look: the whole
    /// study when an input changed, only the coders' files when one of
    /// them did. Returns whether anything was read.
    pub fn refresh(&mut self) -> Result<bool> {
        if stamp(&input_paths(&self.study)) != self.inputs {
            *self = Session::open(&self.study.root)?;
            return Ok(true);
        }
        if stamp(&coder_paths(&self.study)) != self.coders {
            self.read_coders()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Read the study again if one of its inputs (not a coder's file)
    /// changed: what a write needs to check its segment and code.
    pub fn refresh_inputs(&mut self) -> Result<bool> {
        if stamp(&input_paths(&self.study)) != self.inputs {
            *self = Session::open(&self.study.root)?;
            return Ok(true);
        }
        Ok(false)
    }
}
