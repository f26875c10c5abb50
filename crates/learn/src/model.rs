//! One code's model: L2-regularised logistic regression (linfa-logistic,
//! L-BFGS, single-threaded) over binary features, and how it explains a
//! probability by the features that carried it.

use crate::features::{Unit, vocabulary};
use linfa::traits::Fit;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

/// How models are fitted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Params {
    /// L2 penalty (linfa's `alpha`: the loss is the summed log-loss plus
    /// `alpha / 2 * |w|^2`).
    pub alpha: f64,
    /// L-BFGS iterations at most.
    pub max_iterations: u64,
    /// A feature must occur in this many positive training turns.
    pub min_df: usize,
    /// At most this many features per model (the most frequent).
    pub max_features: usize,
    /// Whether positives are repeated to weigh as much as the negatives
    /// (class balance; codes are rare, so without it a model says "no").
    pub balance: bool,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            alpha: 3.0,
            max_iterations: 100,
            min_df: 2,
            max_features: 4000,
            balance: true,
        }
    }
}

/// A fitted model: a weight per feature of its vocabulary and an intercept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Its features, in string order.
    pub vocabulary: Vec<String>,
    /// One weight per feature.
    pub weights: Vec<f64>,
    /// The intercept.
    pub intercept: f64,
}

/// Fit a model on labelled turns. The caller checks that both classes are
/// there; linfa's error (for example a single class) is returned as text.
pub fn train(examples: &[(&Unit, bool)], p: &Params) -> Result<Model, String> {
    // Features of the positive examples only: a feature no positive has
    // can only lower a probability, and the code's own words are what an
    // explanation should name. Chosen on the training turns alone, so a
    // cross-validation fold never sees the document it is scored on.
    let vocab = vocabulary(
        examples.iter().filter(|(_, y)| *y).map(|(u, _)| *u),
        p.min_df,
        p.max_features,
    );
    let pos = examples.iter().filter(|(_, y)| *y).count();
    let neg = examples.len() - pos;
    if pos == 0 || neg == 0 {
        return Err(format!("{pos} positive and {neg} negative examples"));
    }
    let repeat = if p.balance {
        ((neg as f64 / pos as f64).round() as usize).clamp(1, 50)
    } else {
        1
    };
    let rows = neg + pos * repeat;
    let mut x = Array2::<f64>::zeros((rows, vocab.len()));
    let mut y = Array1::<bool>::from_elem(rows, false);
    let mut r = 0;
    for (u, label) in examples {
        let n = if *label { repeat } else { 1 };
        for _ in 0..n {
            for f in &u.features {
                if let Ok(j) = vocab.binary_search(f) {
                    x[(r, j)] = 1.0;
                }
            }
            y[r] = *label;
            r += 1;
        }
    }
    let data = linfa::Dataset::new(x, y);
    let fitted = linfa_logistic::LogisticRegression::default()
        .alpha(p.alpha)
        .max_iterations(p.max_iterations)
        .fit(&data)
        .map_err(|e| e.to_string())?;
    // linfa's positive label is the more frequent class, whichever it is:
    // turn its model into one of P(code).
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    Ok(Model {
        vocabulary: vocab,
        weights: fitted.params().iter().map(|w| sign * w).collect(),
        intercept: sign * fitted.intercept(),
    })
}

impl Model {
    /// The probability that a turn with these (sorted) features has the
    /// code; the sum runs in feature order, so it is the same every time.
    pub fn probability(&self, features: &[String]) -> f64 {
        let mut z = self.intercept;
        for f in features {
            if let Ok(j) = self.vocabulary.binary_search(f) {
                z += self.weights[j];
            }
        }
        1.0 / (1.0 + (-z).exp())
    }

    /// The `n` features of a turn that raise its probability most, with
    /// their contributions (weight x value; values are 0 or 1), largest
    /// first, ties by name.
    pub fn explain(&self, features: &[String], n: usize) -> Vec<(String, f64)> {
        let mut c: Vec<(String, f64)> = features
            .iter()
            .filter_map(|f| {
                let j = self.vocabulary.binary_search(f).ok()?;
                let w = self.weights[j];
                (w > 0.0).then(|| (f.clone(), w))
            })
            .collect();
        c.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        c.truncate(n);
        c
    }

    /// The `n` features with the largest weights (what the model learned),
    /// largest first, ties by name.
    pub fn top_features(&self, n: usize) -> Vec<(String, f64)> {
        let mut c: Vec<(String, f64)> = self
            .vocabulary
            .iter()
            .cloned()
            .zip(self.weights.iter().copied())
            .filter(|(_, w)| *w > 0.0)
            .collect();
        c.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        c.truncate(n);
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(i: usize, words: &[&str]) -> Unit {
        let mut features: Vec<String> = words.iter().map(|w| format!("w:{w}")).collect();
        features.sort();
        features.dedup();
        Unit {
            segment: format!("d#{i}"),
            document: "d".into(),
            features,
        }
    }

    /// Turns that mention "algoritme" have the code; the rest, sharing the
    /// other words at random-looking but fixed places, do not.
    fn synthetic() -> Vec<(Unit, bool)> {
        let filler = ["vi", "har", "en", "afdeling", "med", "travlt", "patient"];
        (0..40)
            .map(|i| {
                let mut w: Vec<&str> = filler
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| (i / 4 * 5 + k * 3) % 4 != 0)
                    .map(|(_, w)| *w)
                    .collect();
                let yes = i % 4 == 0;
                if yes {
                    w.push("algoritme");
                }
                (unit(i, &w), yes)
            })
            .collect()
    }

    #[test]
    fn training_recovers_the_obvious_word_and_explanations_name_it() {
        let data = synthetic();
        let ex: Vec<(&Unit, bool)> = data.iter().map(|(u, y)| (u, *y)).collect();
        let m = train(&ex, &Params::default()).unwrap();
        assert_eq!(m.top_features(1)[0].0, "w:algoritme");
        let yes = unit(99, &["vi", "har", "algoritme"]);
        let no = unit(98, &["vi", "har", "travlt"]);
        assert!(m.probability(&yes.features) > 0.7, "{m:?}");
        assert!(m.probability(&no.features) < 0.3, "{m:?}");
        let why = m.explain(&yes.features, 3);
        assert_eq!(why[0].0, "w:algoritme");
        assert!(why[0].1 > 0.0);
        assert!(why.iter().all(|(f, _)| yes.features.contains(f)));
    }

    #[test]
    fn a_rare_code_without_balancing_still_gets_the_probability_of_the_code() {
        let data = synthetic();
        let ex: Vec<(&Unit, bool)> = data.iter().map(|(u, y)| (u, *y)).collect();
        let p = Params {
            balance: false,
            ..Params::default()
        };
        let m = train(&ex, &p).unwrap();
        assert!(m.intercept < 0.0, "{m:?}");
        let yes = unit(99, &["vi", "har", "algoritme"]);
        let no = unit(98, &["vi", "har", "travlt"]);
        assert!(m.probability(&yes.features) > m.probability(&no.features));
        assert!(m.probability(&no.features) < 0.2, "{m:?}");
    }

    #[test]
    fn training_twice_gives_the_same_model_bit_for_bit() {
        let data = synthetic();
        let ex: Vec<(&Unit, bool)> = data.iter().map(|(u, y)| (u, *y)).collect();
        let a = train(&ex, &Params::default()).unwrap();
        let b = train(&ex, &Params::default()).unwrap();
        assert_eq!(a, b);
        let bits = |m: &Model| m.weights.iter().map(|w| w.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&a), bits(&b));
    }

    #[test]
    fn one_class_is_an_error_not_a_model() {
        let data = synthetic();
        let ex: Vec<(&Unit, bool)> = data.iter().map(|(u, _)| (u, true)).collect();
        let e = train(&ex, &Params::default()).unwrap_err();
        assert!(e.contains("0 negative"), "{e}");
    }
}
