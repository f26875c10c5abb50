//! Opening a study: finding it, reading its sheets, transcripts, codebooks
//! and curriculum, and resolving the settings that spor.toml and the
//! command line share.

use crate::error::{PipelineError, Result};
use crate::observe::{Level, Observer, timed};
use spor_codebook::{CodebookSet, Curriculum};
use spor_corpus::fsutil::CsvDialect;
use spor_corpus::{Corpus, Segment, Severity, Study, TextStore};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Find and open the study that `study` names, or the one the current
/// folder is in. A named folder must be a study itself (it holds
/// spor.toml, or is that file): spor searches upward only when no study
/// is named, so a typo never runs on another study.
pub fn open_study(study: Option<&Path>) -> Result<Study> {
    Ok(Study::open(&study_root(study)?)?)
}

/// The root folder of the study `study` names (see [`open_study`]).
pub fn study_root(study: Option<&Path>) -> Result<PathBuf> {
    match study {
        Some(p) => {
            if !p.exists() {
                return Err(PipelineError::usage(format!(
                    "--study {}: no such folder (spor searches upward for spor.toml only without --study)",
                    p.display()
                )));
            }
            let root = if p.is_file() {
                p.parent().unwrap_or(p).to_path_buf()
            } else {
                p.to_path_buf()
            };
            if !root.join(spor_corpus::study::MANIFEST).is_file() {
                return Err(PipelineError::usage(format!(
                    "--study {}: the folder holds no spor.toml (create a study with `spor init {}`)",
                    p.display(),
                    p.display()
                )));
            }
            Ok(root)
        }
        None => {
            let cwd = std::env::current_dir().map_err(|e| PipelineError::io(".", e))?;
            Ok(spor_corpus::discover(&cwd)?)
        }
    }
}

/// Open the study and fail if its sheets have errors (with every
/// transcript's errors too, as `spor check` lists them, so that every
/// command reports the same errors).
pub fn open_study_strict(study: Option<&Path>) -> Result<Study> {
    let study = open_study(study)?;
    if study
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        let all = Corpus::read(&study);
        return Err(spor_corpus::CorpusError::Diagnostics(all.diagnostics).into());
    }
    Ok(study)
}

/// Read a study's transcripts, failing on any error; the number of
/// warnings is reported as a note. The texts are kept in the study's text
/// store (`.spor/cache/text`), mapped rather than held in memory, when the
/// study folder can be written to.
pub fn read_corpus(study: &Study, obs: &dyn Observer) -> Result<Corpus> {
    obs.start("reading", study.documents.len() as u64, "documents");
    let store = TextStore::of_study(&study.root);
    let corpus = timed(obs, "read and segment", || {
        Corpus::read_strict_stored(study, &store, &|| obs.tick())
    });
    obs.finish();
    let corpus = corpus?;
    let warnings = corpus
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    if warnings > 0 {
        obs.message(
            Level::Note,
            &format!("note: the study has {warnings} warning(s); run `spor check` to see them"),
        );
    }
    Ok(corpus)
}

/// The study's codebooks, as spor.toml lists them (each shown by the path
/// written there).
pub fn load_codebooks(study: &Study) -> Result<CodebookSet> {
    let paths = study.codebook_paths();
    if paths.is_empty() {
        return Err(PipelineError::usage(
            "spor.toml lists no codebooks ([study] codebooks = [...])",
        ));
    }
    Ok(CodebookSet::read(&paths)?)
}

/// The study's curriculum, if spor.toml names one (it must then exist).
pub fn load_curriculum(study: &Study) -> Result<Option<Curriculum>> {
    match &study.manifest.study.curriculum {
        None => Ok(None),
        Some(p) => Ok(Some(Curriculum::read(&study.path(p), Path::new(p))?)),
    }
}

/// Attribute names queries, rules and filters may use: the pinned ones and
/// every extra column of the two sheets.
pub fn known_attributes(study: &Study) -> Vec<String> {
    let mut names: BTreeSet<String> = Segment::PINNED_ATTRIBUTES
        .iter()
        .map(|s| s.to_string())
        .collect();
    for d in &study.documents {
        names.extend(d.attributes.keys().cloned());
    }
    for s in &study.speakers {
        names.extend(s.attributes.keys().cloned());
    }
    names.into_iter().collect()
}

/// The CSV dialect: the command line's, else `[output] csv_dialect`, else
/// standard.
pub fn csv_dialect(flag: Option<&str>, study: &Study) -> Result<CsvDialect> {
    let name = flag.or(study.manifest.output.csv_dialect.as_deref());
    match name {
        None => Ok(CsvDialect::Standard),
        Some(n) => CsvDialect::parse(n).ok_or_else(|| {
            PipelineError::usage(format!("unknown CSV dialect {n:?} (standard or excel-da)"))
        }),
    }
}

/// The smallest group shown in figures: the command line's, else
/// `[privacy] min_cell`, else 0 (everything shown).
pub fn min_cell(flag: Option<usize>, study: &Study) -> usize {
    flag.or(study.manifest.privacy.min_cell).unwrap_or(0)
}
