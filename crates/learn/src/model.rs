//! One code's model: L2-regularised logistic regression over binary
//! features, fitted by argmin's L-BFGS (More-Thuente line search, the
//! solver linfa-logistic uses), and how it explains a probability by the
//! features that carried it.
//!
//! The features are sparse (a turn has tens of words, a model thousands of
//! features), so the loss and its gradient are computed over each turn's
//! feature indices, and class balance is a weight per turn rather than
//! repeated rows: the same objective as a dense fit on repeated rows, at a
//! fraction of the work.

use crate::features::Unit;
use argmin::core::{CostFunction, Executor, Gradient};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;
use serde::{Deserialize, Serialize};

/// How models are fitted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Params {
    /// L2 penalty: the loss is the (weighted) summed log-loss plus
    /// `alpha / 2 * |w|^2`; the intercept is not penalised.
    pub alpha: f64,
    /// L-BFGS iterations at most.
    pub max_iterations: u64,
    /// A feature must occur in this many positive training turns.
    pub min_df: usize,
    /// At most this many features per model (the most frequent).
    pub max_features: usize,
    /// Whether positives weigh as much as the negatives together (class
    /// balance; codes are rare, so without it a model says "no"). Each
    /// positive turn counts `round(negatives / positives)` times, 1 to 50.
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

/// L-BFGS stops when the gradient's norm falls below this.
const GRADIENT_TOLERANCE: f64 = 1e-4;
/// L-BFGS keeps this many past steps.
const MEMORY: usize = 10;

/// A fitted model: a weight per feature and an intercept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Its features, in string order.
    pub vocabulary: Vec<String>,
    /// One weight per feature.
    pub weights: Vec<f64>,
    /// The intercept.
    pub intercept: f64,
}

/// The training turns as the optimiser sees them: each turn's feature
/// indices, its label (+1 or -1) and its weight.
struct Problem {
    rows: Vec<Vec<u32>>,
    sign: Vec<f64>,
    weight: Vec<f64>,
    features: usize,
    alpha: f64,
}

impl Problem {
    /// `y_i * z_i` for every turn, where `z_i = w . x_i + b`; the
    /// parameters hold the weights, then the intercept.
    fn margins(&self, p: &Array1<f64>) -> Vec<f64> {
        let b = p[self.features];
        self.rows
            .iter()
            .zip(&self.sign)
            .map(|(r, y)| y * (b + r.iter().map(|j| p[*j as usize]).sum::<f64>()))
            .collect()
    }
}

/// `log(1 + exp(-m))` without overflow.
fn log_loss(m: f64) -> f64 {
    if m > 0.0 {
        (-m).exp().ln_1p()
    } else {
        -m + m.exp().ln_1p()
    }
}

impl CostFunction for Problem {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, p: &Array1<f64>) -> Result<f64, argmin::core::Error> {
        let data: f64 = self
            .margins(p)
            .into_iter()
            .zip(&self.weight)
            .map(|(m, w)| w * log_loss(m))
            .sum();
        let w = p.slice(ndarray::s![..self.features]);
        Ok(data + 0.5 * self.alpha * w.dot(&w))
    }
}

impl Gradient for Problem {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(&self, p: &Array1<f64>) -> Result<Array1<f64>, argmin::core::Error> {
        let mut g = Array1::<f64>::zeros(self.features + 1);
        for (i, m) in self.margins(p).into_iter().enumerate() {
            // d/dz of w * log(1 + exp(-y z)) is -w * y * sigmoid(-y z).
            let d = -self.weight[i] * self.sign[i] / (1.0 + m.exp());
            for j in &self.rows[i] {
                g[*j as usize] += d;
            }
            g[self.features] += d;
        }
        for j in 0..self.features {
            g[j] += self.alpha * p[j];
        }
        Ok(g)
    }
}

/// Features as numbers: every distinct feature of some units once, in
/// string order, and each unit's features as indices into that list. A
/// unit's features are sorted strings, so its ids come out ascending and a
/// model fitted on ids sums in the same order as one fitted on strings.
#[derive(Debug, Clone, Default)]
pub struct Interned {
    /// The features, sorted.
    pub names: Vec<String>,
}

impl Interned {
    /// The distinct features of `units`.
    pub fn of<'a>(units: impl Iterator<Item = &'a Unit>) -> Interned {
        let mut all: Vec<&str> = Vec::new();
        for u in units {
            all.extend(u.features.iter().map(String::as_str));
        }
        all.sort_unstable();
        all.dedup();
        Interned {
            names: all.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Each unit's features as ids (features not in the list are left
    /// out).
    pub fn ids<'a>(&self, units: impl Iterator<Item = &'a Unit>) -> Vec<Vec<u32>> {
        let id: std::collections::HashMap<&str, u32> = self
            .names
            .iter()
            .enumerate()
            .map(|(j, f)| {
                (
                    f.as_str(),
                    u32::try_from(j).expect("fewer than 2^32 features"),
                )
            })
            .collect();
        units
            .map(|u| {
                u.features
                    .iter()
                    .filter_map(|f| id.get(f.as_str()).copied())
                    .collect()
            })
            .collect()
    }
}

/// Fit a model on labelled turns. A training set without both classes is
/// an error (the caller checks first and says why in its own words).
pub fn train(examples: &[(&Unit, bool)], p: &Params) -> Result<Model, String> {
    let interned = Interned::of(examples.iter().map(|(u, _)| *u));
    let ids = interned.ids(examples.iter().map(|(u, _)| *u));
    let rows: Vec<(&[u32], bool)> = ids
        .iter()
        .zip(examples)
        .map(|(r, (_, y))| (r.as_slice(), *y))
        .collect();
    train_ids(&interned.names, &rows, p)
}

/// The vocabulary of one model as ids into `names` (ascending): features
/// in at least `min_df` of the positive rows, at most `max` of them (the
/// most frequent; ties by name, which is id order). The same choice as
/// [`crate::features::vocabulary`] over the strings.
fn vocabulary_ids(
    names: usize,
    examples: &[(&[u32], bool)],
    min_df: usize,
    max: usize,
) -> Vec<u32> {
    let mut df = vec![0usize; names];
    for (r, _) in examples.iter().filter(|(_, y)| *y) {
        for j in *r {
            df[*j as usize] += 1;
        }
    }
    let mut kept: Vec<(u32, usize)> = df
        .iter()
        .enumerate()
        .filter(|(_, n)| **n >= min_df)
        .map(|(j, n)| (j as u32, *n))
        .collect();
    if kept.len() > max {
        kept.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        kept.truncate(max);
        kept.sort_unstable();
    }
    kept.into_iter().map(|(j, _)| j).collect()
}

/// [`train`] on rows of feature ids into `names` (each row ascending).
pub fn train_ids(
    names: &[String],
    examples: &[(&[u32], bool)],
    p: &Params,
) -> Result<Model, String> {
    // Features of the positive examples only: a feature no positive has
    // can only lower a probability, and the code's own words are what an
    // explanation should name. Chosen on the training turns alone, so a
    // cross-validation fold never sees the document it is scored on.
    let vocab = vocabulary_ids(names.len(), examples, p.min_df, p.max_features);
    let pos = examples.iter().filter(|(_, y)| *y).count();
    let neg = examples.len() - pos;
    if pos == 0 || neg == 0 {
        return Err(format!("{pos} positive and {neg} negative examples"));
    }
    let repeat = if p.balance {
        ((neg as f64 / pos as f64).round()).clamp(1.0, 50.0)
    } else {
        1.0
    };
    // Feature id -> column, u32::MAX when the model does not use it.
    let mut column = vec![u32::MAX; names.len()];
    for (c, j) in vocab.iter().enumerate() {
        column[*j as usize] = c as u32;
    }
    let problem = Problem {
        rows: examples
            .iter()
            .map(|(r, _)| {
                r.iter()
                    .map(|j| column[*j as usize])
                    .filter(|c| *c != u32::MAX)
                    .collect()
            })
            .collect(),
        sign: examples
            .iter()
            .map(|(_, y)| if *y { 1.0 } else { -1.0 })
            .collect(),
        weight: examples
            .iter()
            .map(|(_, y)| if *y { repeat } else { 1.0 })
            .collect(),
        features: vocab.len(),
        alpha: p.alpha,
    };
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), MEMORY)
        .with_tolerance_grad(GRADIENT_TOLERANCE)
        .map_err(|e| e.to_string())?;
    let init = Array1::<f64>::zeros(vocab.len() + 1);
    let result = Executor::new(problem, solver)
        .configure(|s| s.param(init).max_iters(p.max_iterations))
        .run()
        .map_err(|e| e.to_string())?;
    let best = result
        .state
        .best_param
        .ok_or_else(|| "the optimiser returned no parameters".to_owned())?;
    let n = vocab.len();
    Ok(Model {
        vocabulary: vocab.iter().map(|j| names[*j as usize].clone()).collect(),
        weights: best.iter().take(n).copied().collect(),
        intercept: best[n],
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
        strongest(
            features.iter().filter_map(|f| {
                let j = self.vocabulary.binary_search(f).ok()?;
                Some((f.as_str(), self.weights[j]))
            }),
            n,
        )
        .into_iter()
        .map(|(f, w)| (f.to_owned(), w))
        .collect()
    }

    /// The `n` features with the largest weights (what the model learned),
    /// largest first, ties by name.
    pub fn top_features(&self, n: usize) -> Vec<(String, f64)> {
        strongest(
            self.vocabulary
                .iter()
                .map(String::as_str)
                .zip(self.weights.iter().copied()),
            n,
        )
        .into_iter()
        .map(|(f, w)| (f.to_owned(), w))
        .collect()
    }
}

/// The `n` features of positive weight with the largest weights, largest
/// first, ties by name: how a model's words are chosen everywhere (a turn's
/// explanation, a model's top features, a learned suggestion's words).
pub(crate) fn strongest<'a>(
    weighted: impl Iterator<Item = (&'a str, f64)>,
    n: usize,
) -> Vec<(&'a str, f64)> {
    let mut c: Vec<(&str, f64)> = weighted.filter(|(_, w)| *w > 0.0).collect();
    c.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    c.truncate(n);
    c
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
    fn the_gradient_is_the_derivative_of_the_cost() {
        let problem = Problem {
            rows: vec![vec![0, 2], vec![1], vec![0, 1, 2], vec![]],
            sign: vec![1.0, -1.0, 1.0, -1.0],
            weight: vec![3.0, 1.0, 3.0, 1.0],
            features: 3,
            alpha: 0.7,
        };
        let p = Array1::from(vec![0.3, -1.2, 0.8, -0.4]);
        let g = problem.gradient(&p).unwrap();
        for k in 0..4 {
            let h = 1e-6;
            let mut up = p.clone();
            up[k] += h;
            let mut down = p.clone();
            down[k] -= h;
            let numeric = (problem.cost(&up).unwrap() - problem.cost(&down).unwrap()) / (2.0 * h);
            assert!((numeric - g[k]).abs() < 1e-6, "{k}: {numeric} vs {}", g[k]);
        }
    }

    #[test]
    fn a_weight_is_the_same_as_repeating_the_turn() {
        // Balance weighs each positive round(neg / pos) = 3 times; the same
        // turns repeated three times without balance give the same model.
        let data = synthetic();
        let weighted: Vec<(&Unit, bool)> = data.iter().map(|(u, y)| (u, *y)).collect();
        let repeated: Vec<(&Unit, bool)> = data
            .iter()
            .flat_map(|(u, y)| std::iter::repeat_n((u, *y), if *y { 3 } else { 1 }))
            .collect();
        let b = train(
            &repeated,
            &Params {
                balance: false,
                // The vocabulary counts turns: repeated positives would pass
                // min_df on their own, so keep every feature in both.
                min_df: 1,
                ..Params::default()
            },
        )
        .unwrap();
        let a = train(
            &weighted,
            &Params {
                min_df: 1,
                ..Params::default()
            },
        )
        .unwrap();
        assert_eq!(a.vocabulary, b.vocabulary);
        for (x, y) in a.weights.iter().zip(&b.weights) {
            assert!((x - y).abs() < 1e-3, "{a:?} vs {b:?}");
        }
        assert!((a.intercept - b.intercept).abs() < 1e-3);
        assert!(a.weights.iter().any(|w| w.abs() > 0.1), "{a:?}");
    }

    #[test]
    fn the_vocabulary_by_ids_is_the_vocabulary_by_strings() {
        // 40 positive and 40 negative turns over 30 words, at fixed but
        // uneven places, so counts tie and the cap cuts between ties
        let words: Vec<String> = (0..30).map(|i| format!("o{}", (i * 7) % 30)).collect();
        let units: Vec<(Unit, bool)> = (0..80)
            .map(|i| {
                let w: Vec<&str> = (0..30)
                    .filter(|j| (i * 13 + j * 5) % 7 < 3)
                    .map(|j| words[j].as_str())
                    .collect();
                (unit(i, &w), i % 2 == 0)
            })
            .collect();
        let interned = Interned::of(units.iter().map(|(u, _)| u));
        let ids = interned.ids(units.iter().map(|(u, _)| u));
        let rows: Vec<(&[u32], bool)> = ids
            .iter()
            .zip(&units)
            .map(|(r, (_, y))| (r.as_slice(), *y))
            .collect();
        for (min_df, max) in [(1, 100), (2, 100), (2, 7), (5, 3), (30, 100)] {
            let by_ids: Vec<String> = vocabulary_ids(interned.names.len(), &rows, min_df, max)
                .into_iter()
                .map(|j| interned.names[j as usize].clone())
                .collect();
            let by_strings = crate::features::vocabulary(
                units.iter().filter(|(_, y)| *y).map(|(u, _)| u),
                min_df,
                max,
            );
            assert_eq!(by_ids, by_strings, "min_df {min_df} max {max}");
        }
    }

    #[test]
    fn one_class_is_an_error_not_a_model() {
        let data = synthetic();
        let ex: Vec<(&Unit, bool)> = data.iter().map(|(u, _)| (u, true)).collect();
        let e = train(&ex, &Params::default()).unwrap_err();
        assert!(e.contains("0 negative"), "{e}");
    }
}
