//! Learned suggestions on every participant turn, and their cache
//! `.spor/cache/learned.json`.
//!
//! Predicting reads every turn again (tokenising it into features), which
//! costs about as much as the rules. The cache keeps each document's
//! suggestions under a key made of the models in use (the training hash,
//! the threshold and which codes suggest) and of what its turns' features
//! are made of (text, place, the codes the rules suggest there, whether a
//! coder decided on them). A document whose key has not changed is not
//! read again; the rows are the same to the bit as predicting again. A
//! missing, unreadable or outdated cache means predicting again, never an
//! error.

use crate::model::{self, Model};
use crate::{Learned, WORDS_SHOWN, features};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use spor_coding::{Coding, Status};
use spor_corpus::Corpus;
use std::collections::BTreeMap;
use std::path::Path;

/// Where the cache lives, relative to the study folder.
pub const PREDICTIONS_FILE: &str = ".spor/cache/learned.json";

/// Bump when the cache's layout or the way rows are made changes.
const PREDICTIONS_VERSION: u32 = 1;

/// The cache file: per document, its key and its learned suggestions.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Predictions {
    version: u32,
    /// Hash of the models in use; a different one invalidates everything.
    models: String,
    documents: BTreeMap<String, DocumentEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct DocumentEntry {
    key: String,
    rows: Vec<Row>,
}

/// One learned suggestion as cached.
#[derive(Debug, Serialize, Deserialize)]
struct Row {
    segment: String,
    code: String,
    p: f32,
    words: String,
}

/// [`Predictions`] borrowed, for writing (the same JSON).
#[derive(Serialize)]
struct PredictionsRef<'a> {
    version: u32,
    models: &'a str,
    documents: BTreeMap<&'a str, &'a DocumentEntry>,
}

impl Predictions {
    fn load(path: &Path) -> Option<Predictions> {
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Predictions>(&b).ok())
            .filter(|c| c.version == PREDICTIONS_VERSION)
    }
}

impl PredictionsRef<'_> {
    fn save(&self, path: &Path) -> Result<(), String> {
        let bytes = serde_json::to_vec(self).map_err(|e| e.to_string())?;
        spor_corpus::fsutil::write_atomic(path, &bytes).map_err(|e| e.to_string())
    }
}

/// A learned suggestion row: `code` on `segment` with probability `p` and
/// the features that carried it.
fn row(segment: String, code: &str, words: String, p: f32) -> Coding {
    Coding {
        segment: segment.into(),
        code: code.into(),
        codebook: Default::default(),
        origin: spor_coding::Origin::Model(code.into()),
        status: Status::Suggested,
        rules: Default::default(),
        matched: words.into(),
        score: Some(p),
        notes: None,
    }
}

/// The models in use, each with its code and its labels (unit -> label).
type Used<'a> = Vec<(&'a str, &'a Model, &'a BTreeMap<usize, bool>)>;

impl Learned {
    fn used(&self) -> Used<'_> {
        self.reports
            .iter()
            .filter(|r| r.used)
            .filter_map(|r| {
                Some((
                    r.code.as_str(),
                    self.models.get(&r.code)?,
                    self.data.labels.get(&r.code)?,
                ))
            })
            .collect()
    }

    /// The learned suggestions: for each code whose model is used, every
    /// participant turn no coder has decided on for that code (neither
    /// coded, rejected nor covered) whose probability reaches the
    /// threshold, with its top contributing words; in corpus then codebook
    /// order. `corpus` is the one the models were fitted on: unlabelled
    /// turns are featurised from it one at a time.
    pub fn suggestions(&self, corpus: &Corpus) -> Vec<Coding> {
        self.suggestions_cached(corpus, None).0
    }

    /// [`Learned::suggestions`], reusing and updating the cache at `cache`
    /// (a path to [`PREDICTIONS_FILE`]); also returns why the cache could
    /// not be written, if it could not.
    pub fn suggestions_cached(
        &self,
        corpus: &Corpus,
        cache: Option<&Path>,
    ) -> (Vec<Coding>, Option<String>) {
        use rayon::prelude::*;
        let used = self.used();
        if used.is_empty() {
            return (Vec::new(), None);
        }
        let models = self.models_key(&used);
        let old = cache
            .and_then(Predictions::load)
            .filter(|c| c.models == models)
            .unwrap_or_default();
        // Feature -> (model, weight) for every used model, so each turn is
        // read once whatever the number of models. A turn's features are
        // added in their sorted order, as Model::probability does, so the
        // probabilities are the same to the bit.
        let mut table: rustc_hash::FxHashMap<&str, Vec<(usize, f64)>> =
            rustc_hash::FxHashMap::default();
        for (i, (_, m, _)) in used.iter().enumerate() {
            for (f, w) in m.vocabulary.iter().zip(&m.weights) {
                table.entry(f.as_str()).or_default().push((i, *w));
            }
        }
        // Units are in corpus order: one run of units per document.
        let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
        for k in 0..self.data.units.len() {
            match runs.last_mut() {
                Some(r) if self.data.units[r.start].document == self.data.units[k].document => {
                    r.end = k + 1
                }
                _ => runs.push(k..k + 1),
            }
        }
        // Each document with its cached entry, if it has one (moved out of
        // the cache, not copied).
        let mut cached = old.documents;
        let jobs: Vec<_> = runs
            .into_iter()
            .map(|run| {
                let e = cached.remove(&self.data.units[run.start].document);
                (run, e)
            })
            .collect();
        // a document the study no longer has, or one predicted again,
        // changes the cache
        let mut changed = !cached.is_empty();
        drop(cached);
        let per_doc: Vec<(String, DocumentEntry, bool)> = jobs
            .into_par_iter()
            .map_init(spor_index::analyzer::danish, |a, (run, e)| {
                let document = self.data.units[run.start].document.clone();
                let key = self.document_key(&models, run.clone(), &used, corpus);
                if let Some(e) = e.filter(|e| e.key == key) {
                    return (document, e, false);
                }
                let doc = self.data.sources[run.start].document as usize;
                let rows = run
                    .flat_map(|k| self.predict_unit(k, corpus, a, &used, &table))
                    .collect();
                // every turn was featurised: a mapped text's pages go back
                corpus.documents[doc].text.release();
                (document, DocumentEntry { key, rows }, true)
            })
            .collect();
        changed |= per_doc.iter().any(|(_, _, again)| *again);
        let mut error = None;
        if let Some(path) = cache.filter(|_| changed) {
            let new = PredictionsRef {
                version: PREDICTIONS_VERSION,
                models: &models,
                documents: per_doc.iter().map(|(d, e, _)| (d.as_str(), e)).collect(),
            };
            error = new.save(path).err();
        }
        let rows = per_doc
            .into_iter()
            .flat_map(|(_, e, _)| e.rows)
            .map(|r| row(r.segment, &r.code, r.words, r.p))
            .collect();
        (rows, error)
    }

    /// The models in use: the training hash (data, model version and
    /// settings), the threshold, the number of words shown and which codes
    /// suggest.
    fn models_key(&self, used: &Used<'_>) -> String {
        let mut h = Sha256::new();
        h.update(self.training_hash.as_bytes());
        h.update(self.settings.threshold.to_bits().to_le_bytes());
        h.update((WORDS_SHOWN as u64).to_le_bytes());
        for (code, _, _) in used {
            h.update(code.as_bytes());
            h.update([0]);
        }
        format!("{:x}", h.finalize())
    }

    /// What a document's predictions are made of: the models, and for each
    /// of its turns the segment id, text, place, the codes the rules
    /// suggest there and which used codes a coder decided on it.
    fn document_key(
        &self,
        models: &str,
        run: std::ops::Range<usize>,
        used: &Used<'_>,
        corpus: &Corpus,
    ) -> String {
        let mut h = Sha256::new();
        h.update(models.as_bytes());
        for k in run {
            let s = &self.data.sources[k];
            let turn = &corpus.documents[s.document as usize].segments[s.segment as usize];
            for part in [turn.segment.as_bytes(), turn.text.as_bytes()] {
                h.update((part.len() as u64).to_le_bytes());
                h.update(part);
            }
            h.update(s.position.to_bits().to_le_bytes());
            h.update((s.rule_codes.len() as u64).to_le_bytes());
            for c in &s.rule_codes {
                h.update(self.data.codes[*c as usize].as_bytes());
                h.update([0]);
            }
            for (_, _, labels) in used {
                h.update([labels.contains_key(&k) as u8]);
            }
        }
        format!("{:x}", h.finalize())
    }

    /// Unit `k`'s learned suggestions, as cached rows.
    fn predict_unit(
        &self,
        k: usize,
        corpus: &Corpus,
        analyzer: &mut tantivy::tokenizer::TextAnalyzer,
        used: &Used<'_>,
        table: &rustc_hash::FxHashMap<&str, Vec<(usize, f64)>>,
    ) -> Vec<Row> {
        let features = self.data.features(k, corpus, analyzer);
        let mut z: Vec<f64> = used.iter().map(|(_, m, _)| m.intercept).collect();
        for f in features.iter() {
            for (i, w) in table.get(f.as_str()).into_iter().flatten() {
                z[*i] += w;
            }
        }
        let mut out = Vec::new();
        for (i, (code, _, l)) in used.iter().enumerate() {
            let p = 1.0 / (1.0 + (-z[i]).exp());
            if p < self.settings.threshold || l.contains_key(&k) {
                continue;
            }
            // The words that carried it: Model::explain, read from the same
            // table.
            let c = model::strongest(
                features.iter().filter_map(|f| {
                    let (_, w) = table.get(f.as_str())?.iter().find(|(j, _)| *j == i)?;
                    Some((f.as_str(), *w))
                }),
                WORDS_SHOWN,
            );
            let words = c
                .iter()
                .map(|(f, c)| format!("{}:{c:+.2}", features::display(f)))
                .collect::<Vec<_>>()
                .join(" ");
            out.push(Row {
                segment: self.data.units[k].segment.clone(),
                code: (*code).to_owned(),
                p: p as f32,
                words,
            });
        }
        out
    }
}
