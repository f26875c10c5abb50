//! Leave-one-document-out cross-validation: for each covered document, a
//! model fitted on the decisions in every other document predicts the
//! turns of that one. Each fold's model never sees the document it is
//! scored on, so the figures say how the model does on an interview it has
//! not learned from.

use crate::data::TrainingData;
use crate::features::Unit;
use crate::model::{Params, train};
use std::collections::{BTreeMap, BTreeSet};

/// Out-of-fold probabilities of one code: unit index -> probability.
pub type OutOfFold = BTreeMap<usize, f64>;

/// Why a code could not be cross-validated.
pub fn check(data: &TrainingData, code: &str, min_examples: usize) -> Result<(), String> {
    let l = &data.labels[code];
    let pos = l.values().filter(|y| **y).count();
    let neg = l.len() - pos;
    if pos == 0 {
        return Err("no positive examples (no coder has coded it)".into());
    }
    if neg == 0 {
        return Err(
            "no negative examples (every turn a coder covered has it, or nobody covered it)".into(),
        );
    }
    let docs: BTreeSet<&str> = l.keys().map(|k| data.units[*k].document.as_str()).collect();
    if docs.len() < 2 {
        return Err(format!(
            "its examples are all in one document ({}); leave-one-document-out needs two",
            docs.first().copied().unwrap_or("")
        ));
    }
    if pos < min_examples || neg < min_examples {
        return Err(format!(
            "too few examples ({pos} positive, {neg} negative; at least {min_examples} of each)"
        ));
    }
    Ok(())
}

/// Out-of-fold probabilities for every labelled turn of `code`. A fold
/// whose training part lacks a class predicts 0 (no suggestion).
pub fn cross_validate(data: &TrainingData, code: &str, p: &Params) -> Result<OutOfFold, String> {
    let l = &data.labels[code];
    let docs: BTreeSet<&str> = l.keys().map(|k| data.units[*k].document.as_str()).collect();
    let mut out = OutOfFold::new();
    for d in docs {
        let train_set: Vec<(&Unit, bool)> = l
            .iter()
            .filter(|(k, _)| data.units[**k].document != d)
            .map(|(k, y)| (&data.units[*k], *y))
            .collect();
        let test: Vec<usize> = l
            .keys()
            .copied()
            .filter(|k| data.units[*k].document == d)
            .collect();
        let has_both = train_set.iter().any(|(_, y)| *y) && train_set.iter().any(|(_, y)| !*y);
        if !has_both {
            for k in test {
                out.insert(k, 0.0);
            }
            continue;
        }
        let m = train(&train_set, p)?;
        for k in test {
            out.insert(k, m.probability(&data.units[k].features));
        }
    }
    Ok(out)
}

/// Precision, recall and F1 of a predicted set against a true set.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scores {
    /// Turns both say.
    pub true_positives: usize,
    /// Turns only the prediction says.
    pub false_positives: usize,
    /// Turns only the truth says.
    pub false_negatives: usize,
    /// TP / (TP + FP); `None` when nothing was predicted.
    pub precision: Option<f64>,
    /// TP / (TP + FN); `None` when nothing is true.
    pub recall: Option<f64>,
    /// Harmonic mean; 0 when one of them is 0.
    pub f1: Option<f64>,
}

impl Scores {
    /// Score `predicted` against `truth` (both subsets of the same units).
    pub fn of<T: Ord>(predicted: &BTreeSet<T>, truth: &BTreeSet<T>) -> Scores {
        let tp = predicted.intersection(truth).count();
        let precision = (!predicted.is_empty()).then(|| tp as f64 / predicted.len() as f64);
        let recall = (!truth.is_empty()).then(|| tp as f64 / truth.len() as f64);
        // 2tp / (|predicted| + |truth|), the harmonic mean of precision and
        // recall as one division of counts: 2pr / (p + r) in floating point
        // can fall an ulp short (0.39999999999999997 for 3 of 7 predicted,
        // 3 of 8 true), and a model then misses `min_f1` = 0.4 when fitted
        // but reaches it when its report is read back from the cache.
        let f1 = match (precision, recall) {
            (Some(_), Some(_)) | (None, Some(_)) => {
                Some(2.0 * tp as f64 / (predicted.len() + truth.len()) as f64)
            }
            _ => None,
        };
        Scores {
            true_positives: tp,
            false_positives: predicted.len() - tp,
            false_negatives: truth.len() - tp,
            precision,
            recall,
            f1,
        }
    }
}
