//! `spor-learn`: code suggestions learned from the study's own coders, on
//! this machine, explained and measured.
//!
//! For every code, a logistic regression (linfa-logistic) is fitted on the
//! human decisions of the study ([`data`]): coded or accepted turns are
//! positives; rejected suggestions and turns a coder covered without the
//! code are negatives; turns nobody covered are left out. Its features
//! come from spor's own analysis ([`features`]): the index analyzer's
//! lemmas and stems, neighbouring pairs of them, and the codes the rules
//! suggest on the turn. Each code's model is measured by
//! leave-one-document-out cross-validation ([`cv`]) and suggests only when
//! its cross-validated F1 reaches `[learn] min_f1`. A learned suggestion
//! has the origin `model:<code>`, a probability and the words that carried
//! it (weight x value). Everything is deterministic: features are sorted
//! strings, the solver is single-threaded L-BFGS from zero, and codes are
//! fitted in parallel but put together in codebook order.
//!
//! ```
//! use spor_learn::features::Unit;
//! use spor_learn::model::{Params, train};
//! let unit = |i: usize, words: &[&str]| Unit {
//!     segment: format!("d{}#{i}", i % 3),
//!     document: format!("d{}", i % 3),
//!     features: {
//!         let mut f: Vec<String> = words.iter().map(|w| format!("w:{w}")).collect();
//!         f.sort();
//!         f
//!     },
//! };
//! let turns: Vec<(Unit, bool)> = (0..30)
//!     .map(|i| if i % 3 == 0 {
//!         (unit(i, &["algoritme", "vi", "har"]), true)
//!     } else {
//!         (unit(i, &["patient", "vi", "har"]), false)
//!     })
//!     .collect();
//! let examples: Vec<(&Unit, bool)> = turns.iter().map(|(u, y)| (u, *y)).collect();
//! let model = train(&examples, &Params::default()).unwrap();
//! let new = unit(99, &["algoritme", "vi"]);
//! assert!(model.probability(&new.features) > 0.5);
//! assert_eq!(model.explain(&new.features, 1)[0].0, "w:algoritme");
//! ```
#![deny(missing_docs)]

pub mod cache;
pub mod cv;
pub mod data;
pub mod eval;
pub mod features;
pub mod model;
pub mod predict;

use cv::Scores;
use data::TrainingData;
use features::Kinds;
use model::{Model, Params};
use serde::{Deserialize, Serialize};
use spor_codebook::CodebookSet;
use spor_coding::{Coding, Codings};
use spor_corpus::{Corpus, Study};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Bump when what a model means changes (features, fitting, labels).
pub const MODEL_VERSION: u32 = 2;

/// Default `[learn] min_f1`: a model suggests only when its
/// cross-validated F1 is at least this.
pub const DEFAULT_MIN_F1: f64 = 0.4;

/// Default `[learn] threshold`: a model suggests from this probability.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// Default `[learn] folds`: cross-validation is leave-one-document-out up
/// to this many covered documents, grouped into this many folds beyond.
pub const DEFAULT_FOLDS: usize = 10;

/// A code needs at least this many positive and negative examples.
pub const MIN_EXAMPLES: usize = 5;

/// How many contributing words a suggestion names.
pub const WORDS_SHOWN: usize = 5;

/// Errors of the learning stage.
#[derive(Debug, thiserror::Error)]
pub enum LearnError {
    /// A `[learn]` setting in `spor.toml` is wrong.
    #[error("spor.toml: [learn] {0}")]
    Settings(String),
}

/// `[learn]` settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Whether to learn at all.
    pub enabled: bool,
    /// Minimum cross-validated F1 for a model to suggest.
    pub min_f1: f64,
    /// Probability from which a model suggests.
    pub threshold: f64,
    /// Feature kinds.
    pub kinds: Kinds,
    /// Fitting parameters.
    pub params: Params,
    /// Minimum positive and negative examples per code.
    pub min_examples: usize,
    /// Cross-validation folds at most: leave-one-document-out up to this
    /// many covered documents, documents grouped into this many folds
    /// beyond (0: always one document per fold).
    pub folds: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            enabled: true,
            min_f1: DEFAULT_MIN_F1,
            threshold: DEFAULT_THRESHOLD,
            kinds: Kinds::default(),
            params: Params::default(),
            min_examples: MIN_EXAMPLES,
            folds: DEFAULT_FOLDS,
        }
    }
}

impl Settings {
    /// The study's `[learn]` settings, checked.
    pub fn from_study(study: &Study) -> Result<Settings, LearnError> {
        let l = &study.manifest.learn;
        let mut s = Settings::default();
        if let Some(e) = l.enabled {
            s.enabled = e;
        }
        let unit = |name: &str, v: f64| -> Result<f64, LearnError> {
            if (0.0..=1.0).contains(&v) {
                Ok(v)
            } else {
                Err(LearnError::Settings(format!(
                    "{name} = {v} is not between 0 and 1"
                )))
            }
        };
        if let Some(v) = l.min_f1 {
            s.min_f1 = unit("min_f1", v)?;
        }
        if let Some(v) = l.threshold {
            s.threshold = unit("threshold", v)?;
        }
        if let Some(f) = l.folds {
            if f == 1 {
                return Err(LearnError::Settings(
                    "folds = 1 leaves nothing to train on; use 0 (one document per fold) or 2 and more".into(),
                ));
            }
            s.folds = f;
        }
        if let Some(f) = &l.features {
            s.kinds = Kinds::parse(f)
                .map_err(|e| LearnError::Settings(e.trim_start_matches("[learn] ").to_owned()))?;
        }
        Ok(s)
    }

    /// Everything that decides a model, as text (part of the training hash).
    fn key(&self) -> String {
        format!(
            "spor-learn {MODEL_VERSION} analyzer {} features {} threshold {} min_examples {} folds {} params {:?}",
            spor_index::analyzer::ANALYZER_VERSION,
            self.kinds.names().join(","),
            self.threshold,
            self.min_examples,
            self.folds,
            self.params
        )
    }
}

/// What became of one code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeReport {
    /// Code id.
    pub code: String,
    /// Positive examples (turns a coder coded with it).
    pub positives: usize,
    /// Negative examples.
    pub negatives: usize,
    /// Documents with examples.
    pub documents: usize,
    /// Cross-validated scores against the training labels, when the code
    /// could be cross-validated.
    pub cv: Option<Scores>,
    /// Why there is no model, if there is none.
    pub skipped: Option<String>,
    /// Whether its model suggests (it exists and its cross-validated F1
    /// reaches `min_f1`).
    pub used: bool,
}

/// The models of a study and what they were fitted on.
#[derive(Debug, Clone)]
pub struct Learned {
    /// The settings they were fitted with.
    pub settings: Settings,
    /// Hash of the training data and settings.
    pub training_hash: String,
    /// Per code, in codebook order.
    pub reports: Vec<CodeReport>,
    /// The fitted models (codes with enough examples), by code.
    pub models: BTreeMap<String, Model>,
    /// Out-of-fold probabilities, by code then segment id.
    pub out_of_fold: BTreeMap<String, BTreeMap<String, f64>>,
    /// Whether the models came from the cache.
    pub from_cache: bool,
    /// Why the cache could not be written, if it could not.
    pub cache_error: Option<String>,
    /// Wall time of each step in seconds: `features` (reading the turns and
    /// decisions), `fit` (fitting and cross-validating, or reading the
    /// cache), `predict` (suggestions on every turn, filled in by
    /// [`learn_study`]).
    pub timings: Vec<(&'static str, f64)>,
    data: TrainingData,
    unit_of: HashMap<String, usize>,
    /// How many suggestions [`Learned::apply`] added.
    suggested: usize,
}

/// Fit (or reuse from `cache`) every code's model on the human decisions
/// in `codings`, cross-validate it, and decide which models suggest.
pub fn learn(
    corpus: &Corpus,
    books: &CodebookSet,
    codings: &Codings,
    settings: Settings,
    cache: Option<&Path>,
) -> Learned {
    use rayon::prelude::*;
    let clock = std::time::Instant::now();
    let data = TrainingData::collect(corpus, books, codings, settings.kinds);
    let training_hash = data.hash(&settings.key());
    let unit_of: HashMap<String, usize> = data
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.segment.clone(), i))
        .collect();
    let mut timings = vec![("features", clock.elapsed().as_secs_f64())];
    let clock = std::time::Instant::now();
    let cached = cache
        .and_then(cache::Cache::load)
        .filter(|c| c.training_hash == training_hash);
    let from_cache = cached.is_some();
    let fitted: Vec<cache::CodeEntry> = match cached {
        Some(c) => c.codes,
        None => {
            // Every labelled turn's features as numbers, once for all
            // codes: fitting compares numbers, not strings.
            let labelled: BTreeSet<usize> = data
                .labels
                .values()
                .flat_map(|l| l.keys().copied())
                .collect();
            let interned = model::Interned::of(labelled.iter().map(|k| &data.units[*k]));
            let mut ids = vec![Vec::new(); data.units.len()];
            for (k, r) in labelled
                .iter()
                .zip(interned.ids(labelled.iter().map(|k| &data.units[*k])))
            {
                ids[*k] = r;
            }
            data.codes
                .par_iter()
                .map(|code| fit_code(&data, (&interned, &ids), code, &settings))
                .collect()
        }
    };
    let mut cache_error = None;
    if !from_cache && let Some(path) = cache {
        let c = cache::Cache {
            version: 0,
            training_hash: training_hash.clone(),
            codes: fitted.clone(),
        };
        if let Err(e) = c.save(path) {
            cache_error = Some(e);
        }
    }
    let mut reports = Vec::new();
    let mut models = BTreeMap::new();
    let mut out_of_fold = BTreeMap::new();
    for e in fitted {
        let mut r = e.report;
        r.used = e.model.is_some()
            && r.cv
                .and_then(|s| s.f1)
                .is_some_and(|f| f >= settings.min_f1);
        if let Some(m) = e.model {
            models.insert(r.code.clone(), m);
        }
        out_of_fold.insert(r.code.clone(), e.out_of_fold);
        reports.push(r);
    }
    timings.push(("fit", clock.elapsed().as_secs_f64()));
    Learned {
        settings,
        training_hash,
        reports,
        models,
        out_of_fold,
        from_cache,
        cache_error,
        timings,
        data,
        unit_of,
        suggested: 0,
    }
}

fn fit_code(
    data: &TrainingData,
    (interned, ids): (&model::Interned, &[Vec<u32>]),
    code: &str,
    s: &Settings,
) -> cache::CodeEntry {
    let l = &data.labels[code];
    let positives = l.values().filter(|y| **y).count();
    let docs: BTreeSet<&str> = l.keys().map(|k| data.units[*k].document.as_str()).collect();
    let mut report = CodeReport {
        code: code.to_owned(),
        positives,
        negatives: l.len() - positives,
        documents: docs.len(),
        cv: None,
        skipped: None,
        used: false,
    };
    let skip = |mut report: CodeReport, why: String| {
        report.skipped = Some(why);
        cache::CodeEntry {
            report,
            model: None,
            out_of_fold: BTreeMap::new(),
        }
    };
    if let Err(why) = cv::check(data, code, s.min_examples) {
        return skip(report, why);
    }
    let oof = match cv::cross_validate(data, (interned, ids), code, &s.params, s.folds) {
        Ok(o) => o,
        Err(e) => return skip(report, format!("the model could not be fitted: {e}")),
    };
    let predicted: BTreeSet<usize> = oof
        .iter()
        .filter(|(_, p)| **p >= s.threshold)
        .map(|(k, _)| *k)
        .collect();
    let truth: BTreeSet<usize> = l.iter().filter(|(_, y)| **y).map(|(k, _)| *k).collect();
    report.cv = Some(Scores::of(&predicted, &truth));
    let examples: Vec<(&[u32], bool)> = l.iter().map(|(k, y)| (ids[*k].as_slice(), *y)).collect();
    let model = match model::train_ids(&interned.names, &examples, &s.params) {
        Ok(m) => m,
        Err(e) => return skip(report, format!("the model could not be fitted: {e}")),
    };
    cache::CodeEntry {
        report,
        model: Some(model),
        out_of_fold: oof
            .into_iter()
            .map(|(k, p)| (data.units[k].segment.clone(), p))
            .collect(),
    }
}

impl Learned {
    /// The probability `code`'s model gives a participant turn, if there is
    /// a model and the turn is a participant turn.
    /// `corpus` is the one the models were applied to.
    pub fn probability(&self, code: &str, segment: &str, corpus: &Corpus) -> Option<f64> {
        let m = self.models.get(code)?;
        let k = *self.unit_of.get(segment)?;
        let mut a = spor_index::analyzer::danish();
        Some(m.probability(&self.data.features(k, corpus, &mut a)))
    }

    /// Add the learned suggestions to `codings` and put the rows back in
    /// the stable output order, reusing the documents' suggestions cached
    /// at `cache` (see [`predict`]). With no model in use (no coder yet, or
    /// every model below `min_f1`) no turn is read and the rows stay as
    /// they are.
    pub fn apply(
        &mut self,
        codings: &mut Codings,
        corpus: &Corpus,
        books: &CodebookSet,
        cache: Option<&Path>,
    ) {
        let (rows, error) = self.suggestions_cached(corpus, cache);
        self.suggested = rows.len();
        if let Some(e) = error {
            self.cache_error.get_or_insert(e);
        }
        if rows.is_empty() {
            return;
        }
        codings.rows.extend(rows);
        spor_coding::sort_rows(codings, corpus, books);
    }
}

/// The learning step of `spor code` on a study: read `[learn]`, fit or
/// reuse the models (cache `.spor/cache/learn.json`), and add their
/// suggestions to `codings`. `None` when `[learn] enabled = false`.
pub fn learn_study(
    study: &Study,
    corpus: &Corpus,
    books: &CodebookSet,
    codings: &mut Codings,
) -> Result<Option<Learned>, LearnError> {
    let settings = Settings::from_study(study)?;
    if !settings.enabled {
        return Ok(None);
    }
    let cache = study.root.join(cache::CACHE_FILE);
    let mut l = learn(corpus, books, codings, settings, Some(&cache));
    let clock = std::time::Instant::now();
    let predictions = study.root.join(predict::PREDICTIONS_FILE);
    l.apply(codings, corpus, books, Some(&predictions));
    l.timings.push(("predict", clock.elapsed().as_secs_f64()));
    Ok(Some(l))
}

impl Learned {
    /// One line per code for `spor code`: the model's cross-validated
    /// figures and whether it suggests, or why there is none.
    pub fn summary(&self) -> Vec<String> {
        self.summary_as(self.from_cache)
    }

    /// [`Learned::summary`] as a later run that finds every model in the
    /// cache says it (a result reported again because nothing changed).
    pub fn summary_reused(&self) -> Vec<String> {
        self.summary_as(true)
    }

    fn summary_as(&self, from_cache: bool) -> Vec<String> {
        let n = self.suggestions_count();
        let mut v = vec![format!(
            "learned suggestions: {n} from {} model(s) (cross-validated F1 >= {:.2}; training data {}{}); they count only once reviewed unless [learn] count = true",
            self.reports.iter().filter(|r| r.used).count(),
            self.settings.min_f1,
            &self.training_hash[..12],
            if from_cache {
                ", models from the cache"
            } else {
                ""
            },
        )];
        for r in &self.reports {
            let line = match (&r.skipped, r.cv) {
                (Some(why), _) => format!("  {}: no model: {why}", r.code),
                (None, Some(cv)) => format!(
                    "  {}: {} (cross-validated F1 {}, {} positive, {} negative examples in {} document(s))",
                    r.code,
                    if r.used {
                        "model suggests"
                    } else {
                        "model kept back, F1 below min_f1"
                    },
                    cv.f1
                        .map(|f| format!("{f:.2}"))
                        .unwrap_or_else(|| "-".into()),
                    r.positives,
                    r.negatives,
                    r.documents
                ),
                (None, None) => format!("  {}: no model", r.code),
            };
            v.push(line);
        }
        if let Some(e) = &self.cache_error {
            v.push(format!(
                "warning: the model cache could not be written: {e}"
            ));
        }
        v
    }

    fn suggestions_count(&self) -> usize {
        self.suggested
    }
}

impl Learned {
    /// `None` when `code` has a model; else why it has none.
    pub fn why_no_model(&self, code: &str) -> Option<String> {
        if self.models.contains_key(code) {
            return None;
        }
        Some(
            self.reports
                .iter()
                .find(|r| r.code == code)
                .and_then(|r| r.skipped.clone())
                .unwrap_or_else(|| "unknown code".into()),
        )
    }
}

/// Order `items` by the model's uncertainty, `|p - 0.5|` ascending (the
/// turns it is least sure of first, where a decision teaches it most);
/// items without a probability go last; the sort is stable, so ties keep
/// their order (the caller's document order).
pub fn order_by_uncertainty<T>(items: &mut [T], probability: impl Fn(&T) -> Option<f64>) {
    items.sort_by_cached_key(|t| match probability(t) {
        // an integer key: no float comparison, the same on every machine
        Some(p) => (0u8, ((p - 0.5).abs() * 1e9).round() as u64),
        None => (1, 0),
    });
}

impl Learned {
    /// Per code, for the report: `code`, `suggestions` (unreviewed learned
    /// suggestions), `cv_f1`, `used`, `note` (why there is no model) and
    /// `example` (the most certain suggestion: segment, probability,
    /// words; ties by corpus order). `codings` are the study's, with the
    /// learned suggestions [`Learned::apply`] added.
    pub fn report(&self, codings: &Codings) -> serde_json::Value {
        let sugg: Vec<&Coding> = codings.rows.iter().filter(|r| r.is_learned()).collect();
        let rows: Vec<serde_json::Value> = self
            .reports
            .iter()
            .map(|r| {
                let mine: Vec<&Coding> = sugg.iter().copied().filter(|s| s.code == r.code).collect();
                let best = mine.iter().fold(None::<&&Coding>, |b, s| match b {
                    Some(b) if b.score >= s.score => Some(b),
                    _ => Some(s),
                });
                serde_json::json!({
                    "code": r.code,
                    "suggestions": mine.len(),
                    "cv_f1": r.cv.and_then(|c| c.f1),
                    "used": r.used,
                    "note": r.skipped,
                    "example": best.map(|s| (s.segment.clone(), s.score.unwrap_or(0.0), s.matched.clone())),
                })
            })
            .collect();
        serde_json::Value::Array(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncertainty_order_is_least_sure_first_stable_and_without_a_probability_last() {
        let mut items = vec![
            ("a", Some(0.9)),
            ("b", None),
            ("c", Some(0.45)),
            ("d", Some(0.55)),
            ("e", Some(0.1)),
        ];
        order_by_uncertainty(&mut items, |t| t.1);
        let order: Vec<&str> = items.iter().map(|t| t.0).collect();
        // c and d are equally unsure: they keep their order
        assert_eq!(order, ["c", "d", "a", "e", "b"]);
    }

    #[test]
    fn scores_count_and_nothing_predicted_is_f1_zero() {
        let p: BTreeSet<u8> = [1, 2, 3].into();
        let t: BTreeSet<u8> = [2, 3, 4, 5].into();
        let s = Scores::of(&p, &t);
        assert_eq!(
            (s.true_positives, s.false_positives, s.false_negatives),
            (2, 1, 2)
        );
        assert!((s.f1.unwrap() - 2.0 * (2.0 / 3.0) * 0.5 / (2.0 / 3.0 + 0.5)).abs() < 1e-12);
        let none = Scores::of(&BTreeSet::new(), &t);
        assert_eq!(none.precision, None);
        assert_eq!(none.f1, Some(0.0));
        // an F1 of exactly 0.4 is 0.4, not an ulp below it (min_f1 = 0.4)
        let p: BTreeSet<u32> = (0..7).collect();
        let t: BTreeSet<u32> = (4..12).collect();
        assert_eq!(Scores::of(&p, &t).f1, Some(0.4));
        assert!(Scores::of(&p, &t).f1.unwrap() >= DEFAULT_MIN_F1);
        assert_eq!(Scores::of(&p, &BTreeSet::new()).f1, None);
    }
}
