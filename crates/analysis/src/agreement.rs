//! Intercoder agreement for nominal data.
//!
//! The general data model is a *reliability matrix* of `units x coders`:
//! one `Vec` per unit, one entry per coder, `None` where that coder did not
//! code that unit. Categories are plain `u32` labels; only equality matters
//! (nominal level of measurement).
//!
//! * [`krippendorff_alpha_nominal`]: Krippendorff's alpha, any number of
//!   coders, missing values allowed.
//! * [`percent_agreement`]: pooled pairwise agreement, same data model.
//! * [`cohen_kappa`] and [`brennan_prediger`]: two coders, the same units,
//!   no missing values.
//! * [`binary_agreement`]: all of the above for one binary code (applied or
//!   not applied), as a serialisable [`CodeAgreement`].
//!
//! All coefficients return `None` rather than a number when they are
//! undefined for the data (see each function); a `None` is never "zero
//! agreement".

use serde::Serialize;
use std::collections::BTreeMap;

/// Counts of each category among a unit's non-missing values.
fn unit_counts(unit: &[Option<u32>]) -> BTreeMap<u32, usize> {
    let mut counts = BTreeMap::new();
    for v in unit.iter().flatten() {
        *counts.entry(*v).or_insert(0) += 1;
    }
    counts
}

/// Krippendorff's alpha for nominal data, any number of coders, missing
/// values allowed.
///
/// Follows Krippendorff (2011), *Computing Krippendorff's Alpha-Reliability*,
/// via the coincidence matrix:
///
/// * only *pairable* units count, i.e. units with `m_u >= 2` non-missing
///   values; values in units coded by a single coder are ignored;
/// * `o_ck = sum_u (number of ordered c-k pairs of values in unit u) / (m_u - 1)`,
///   where the number of ordered pairs is `n_uc * n_uk` for `c != k` and
///   `n_uc * (n_uc - 1)` for `c == k`;
/// * `n_c = sum_k o_ck` (the number of pairable values of category `c`) and
///   `n = sum_c n_c` (all pairable values);
/// * observed disagreement `D_o = (1/n) * sum_{c != k} o_ck`;
/// * expected disagreement `D_e = (1/(n(n-1))) * sum_{c != k} n_c * n_k`;
/// * `alpha = 1 - D_o / D_e`.
///
/// Returns `None` when alpha is undefined: fewer than two pairable values
/// (`n < 2`, e.g. all values missing or only one coder), or no variation at
/// all among the pairable values (`D_e == 0`: every pairable value is the
/// same category, so agreement cannot be told apart from chance).
pub fn krippendorff_alpha_nominal(data: &[Vec<Option<u32>>]) -> Option<f64> {
    // Coincidences on the diagonal (o_cc) and the marginals n_c, both
    // accumulated over pairable units only.
    let mut diagonal = 0.0_f64;
    let mut marginals: BTreeMap<u32, usize> = BTreeMap::new();
    for unit in data {
        let counts = unit_counts(unit);
        let m_u: usize = counts.values().sum();
        if m_u < 2 {
            continue;
        }
        for (&c, &n_uc) in &counts {
            diagonal += (n_uc * (n_uc - 1)) as f64 / (m_u - 1) as f64;
            *marginals.entry(c).or_insert(0) += n_uc;
        }
    }
    let n: usize = marginals.values().sum();
    if n < 2 {
        return None;
    }
    // sum_{c != k} n_c n_k = n^2 - sum_c n_c^2, exact in integers.
    let n_sq = (n as u128) * (n as u128);
    let same: u128 = marginals.values().map(|&c| (c as u128) * (c as u128)).sum();
    let expected_pairs = n_sq - same;
    if expected_pairs == 0 {
        return None;
    }
    let n_f = n as f64;
    // sum_{c != k} o_ck = n - sum_c o_cc.
    let d_o = (n_f - diagonal) / n_f;
    let d_e = expected_pairs as f64 / (n_f * (n_f - 1.0));
    Some(1.0 - d_o / d_e)
}

/// Pooled pairwise percent agreement over a reliability matrix.
///
/// Every unit with at least two non-missing values contributes all its
/// unordered pairs of values, `m_u (m_u - 1) / 2`; a pair agrees when both
/// values are the same category (`sum_c n_uc (n_uc - 1) / 2` pairs per
/// unit). The result is the number of agreeing pairs divided by the number
/// of all such pairs, pooled over units (not an average of per-unit
/// shares). With two coders and no missing values this is the plain share
/// of units coded alike.
///
/// Returns `None` when there is no pair at all (no unit with two or more
/// values).
pub fn percent_agreement(data: &[Vec<Option<u32>>]) -> Option<f64> {
    let mut pairs = 0usize;
    let mut agreeing = 0usize;
    for unit in data {
        let counts = unit_counts(unit);
        let m_u: usize = counts.values().sum();
        if m_u < 2 {
            continue;
        }
        pairs += m_u * (m_u - 1) / 2;
        agreeing += counts.values().map(|&c| c * (c - 1) / 2).sum::<usize>();
    }
    (pairs > 0).then(|| agreeing as f64 / pairs as f64)
}

/// Cohen's kappa for two coders who coded the same units, no missing
/// values (Cohen 1960, *A coefficient of agreement for nominal scales*).
///
/// `kappa = (p_o - p_e) / (1 - p_e)`, where `p_o` is the share of units
/// coded alike and `p_e = sum_c (a_c / N) (b_c / N)` is the agreement
/// expected from each coder's own category distribution (`a_c`, `b_c`:
/// how often coder a, b used category `c`; `N`: number of units).
///
/// Returns `None` when `a` and `b` differ in length or are empty, or when
/// the expected agreement is 1 (both coders used one and the same category
/// throughout, so kappa is `0/0`).
pub fn cohen_kappa(a: &[u32], b: &[u32]) -> Option<f64> {
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let n = a.len();
    let mut a_counts: BTreeMap<u32, usize> = BTreeMap::new();
    let mut b_counts: BTreeMap<u32, usize> = BTreeMap::new();
    let mut agree = 0usize;
    for (&x, &y) in a.iter().zip(b) {
        *a_counts.entry(x).or_insert(0) += 1;
        *b_counts.entry(y).or_insert(0) += 1;
        if x == y {
            agree += 1;
        }
    }
    // N^2 * p_e, exact in integers.
    let chance: u128 = a_counts
        .iter()
        .map(|(c, &ac)| (ac as u128) * (b_counts.get(c).copied().unwrap_or(0) as u128))
        .sum();
    let n_sq = (n as u128) * (n as u128);
    if chance == n_sq {
        return None;
    }
    let p_o = agree as f64 / n as f64;
    let p_e = chance as f64 / n_sq as f64;
    Some((p_o - p_e) / (1.0 - p_e))
}

/// Brennan and Prediger's (1981) free-marginal kappa, `kappa_n`, for two
/// coders who coded the same units, no missing values (the chance-corrected
/// coefficient MAXQDA reports).
///
/// `kappa_n = (p_o - 1/q) / (1 - 1/q)`, where `p_o` is the share of units
/// coded alike and `q` is the number of categories available to the coders
/// (`categories`), so chance agreement is taken as uniform, `1/q`.
///
/// Returns `None` when `categories < 2` (the coefficient is undefined), or
/// when `a` and `b` differ in length or are empty.
pub fn brennan_prediger(a: &[u32], b: &[u32], categories: usize) -> Option<f64> {
    if categories < 2 || a.len() != b.len() || a.is_empty() {
        return None;
    }
    let agree = a.iter().zip(b).filter(|(x, y)| x == y).count();
    let p_o = agree as f64 / a.len() as f64;
    let chance = 1.0 / categories as f64;
    Some((p_o - chance) / (1.0 - chance))
}

/// Agreement figures for one code, applied or not applied to each unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeAgreement {
    /// The code id.
    pub code: String,
    /// Units with at least two non-missing values (the pairable units).
    pub n_units: usize,
    /// Pooled pairwise agreement ([`percent_agreement`]); `None` without
    /// pairable units.
    pub percent_agreement: Option<f64>,
    /// Krippendorff's nominal alpha ([`krippendorff_alpha_nominal`]);
    /// `None` when undefined (no pairable units, or no variation).
    pub alpha: Option<f64>,
    /// Cohen's kappa ([`cohen_kappa`]) over the units both coders coded;
    /// only for exactly two coders, else `None`.
    pub kappa: Option<f64>,
    /// Brennan-Prediger kappa with `q = 2` ([`brennan_prediger`]) over the
    /// units both coders coded; only for exactly two coders, else `None`.
    pub brennan_prediger: Option<f64>,
}

/// All agreement figures for one binary code.
///
/// `data` is a reliability matrix of `units x coders`: `Some(true)` = the
/// coder applied the code to the unit, `Some(false)` = the coder coded the
/// unit but did not apply the code, `None` = the coder did not code the
/// unit. Values are counted as categories 1 and 0.
///
/// The number of coders is the length of the longest unit row. Cohen's
/// kappa and Brennan-Prediger (`q = 2`) are computed only when there are
/// exactly two coders, over the units both of them coded; otherwise (or
/// when they are undefined, see the functions) they are `None`.
pub fn binary_agreement(code: &str, data: &[Vec<Option<bool>>]) -> CodeAgreement {
    let matrix: Vec<Vec<Option<u32>>> = data
        .iter()
        .map(|unit| unit.iter().map(|v| v.map(u32::from)).collect())
        .collect();
    let n_units = matrix
        .iter()
        .filter(|unit| unit.iter().flatten().count() >= 2)
        .count();
    let coders = matrix.iter().map(Vec::len).max().unwrap_or(0);
    let (kappa, bp) = if coders == 2 {
        let (a, b): (Vec<u32>, Vec<u32>) = matrix
            .iter()
            .filter_map(|unit| match (unit.first(), unit.get(1)) {
                (Some(Some(x)), Some(Some(y))) => Some((*x, *y)),
                _ => None,
            })
            .unzip();
        (cohen_kappa(&a, &b), brennan_prediger(&a, &b, 2))
    } else {
        (None, None)
    };
    CodeAgreement {
        code: code.to_string(),
        n_units,
        percent_agreement: percent_agreement(&matrix),
        alpha: krippendorff_alpha_nominal(&matrix),
        kappa,
        brennan_prediger: bp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a `units x coders` matrix from one string per coder, values
    /// separated by spaces, `.` for missing.
    fn from_coders(coders: &[&str]) -> Vec<Vec<Option<u32>>> {
        let rows: Vec<Vec<Option<u32>>> = coders
            .iter()
            .map(|r| {
                r.split_whitespace()
                    .map(|v| {
                        if v == "." {
                            None
                        } else {
                            Some(v.parse().unwrap())
                        }
                    })
                    .collect()
            })
            .collect();
        let units = rows[0].len();
        assert!(rows.iter().all(|r| r.len() == units));
        (0..units)
            .map(|u| rows.iter().map(|r| r[u]).collect())
            .collect()
    }

    fn round3(x: f64) -> f64 {
        (x * 1000.0).round() / 1000.0
    }

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
    /// section C: 4 coders x 12 units with missing values, nominal alpha
    /// = 0.743.
    #[test]
    fn krippendorff_2011_nominal() {
        let data = from_coders(&[
            "1 2 3 3 2 1 4 1 2 . . .",
            "1 2 3 3 2 2 4 1 2 5 . 3",
            ". 3 3 3 2 3 4 2 2 5 1 .",
            "1 2 3 3 2 4 4 1 2 5 1 .",
        ]);
        let alpha = krippendorff_alpha_nominal(&data).unwrap();
        assert_eq!(round3(alpha), 0.743);
    }

    /// Wikipedia, "Krippendorff's alpha", worked example: 3 coders x 15
    /// units, nominal alpha = 0.691.
    #[test]
    fn wikipedia_krippendorff_nominal() {
        let data = from_coders(&[
            ". . . . . 3 4 1 2 1 1 3 3 . 3",
            "1 . 2 1 3 3 4 3 . . . . . . .",
            ". . 2 1 3 4 4 . 2 1 1 3 3 . 4",
        ]);
        let alpha = krippendorff_alpha_nominal(&data).unwrap();
        assert_eq!(round3(alpha), 0.691);
    }

    /// The scikit-learn style example: 20 both 0, 20 (0, 1), 10 (1, 0),
    /// 50 both 1: p_o = 0.7, p_e = 0.54, kappa = 0.16 / 0.46 = 0.348.
    #[test]
    fn cohen_kappa_two_by_two() {
        let y1: Vec<u32> = [vec![0; 40], vec![1; 60]].concat();
        let y2: Vec<u32> = [vec![0; 20], vec![1; 20], vec![0; 10], vec![1; 50]].concat();
        let k = cohen_kappa(&y1, &y2).unwrap();
        assert_eq!(round3(k), 0.348);
    }

    /// Wikipedia, "Cohen's kappa": 20 yes-yes, 5 yes-no, 10 no-yes, 15
    /// no-no: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    #[test]
    fn cohen_kappa_wikipedia() {
        let a: Vec<u32> = [vec![1; 20], vec![1; 5], vec![0; 10], vec![0; 15]].concat();
        let b: Vec<u32> = [vec![1; 20], vec![0; 5], vec![1; 10], vec![0; 15]].concat();
        let k = cohen_kappa(&a, &b).unwrap();
        assert!((k - 0.4).abs() < 1e-12);
        // Same data: p_o = 0.7, kappa_n = (0.7 - 0.5) / 0.5 = 0.4 too.
        let bp = brennan_prediger(&a, &b, 2).unwrap();
        assert!((bp - 0.4).abs() < 1e-12);
    }

    #[test]
    fn brennan_prediger_q() {
        // p_o = 0.5, q = 4: (0.5 - 0.25) / 0.75 = 1/3.
        let a = [1, 2, 3, 4];
        let b = [1, 2, 4, 3];
        let bp = brennan_prediger(&a, &b, 4).unwrap();
        assert!((bp - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(brennan_prediger(&a, &b, 1), None);
        assert_eq!(brennan_prediger(&a, &b, 0), None);
        assert_eq!(brennan_prediger(&a, &b[..3], 4), None);
        assert_eq!(brennan_prediger(&[], &[], 4), None);
    }

    #[test]
    fn cohen_kappa_undefined() {
        assert_eq!(cohen_kappa(&[1, 1, 1], &[1, 1, 1]), None);
        assert_eq!(cohen_kappa(&[], &[]), None);
        assert_eq!(cohen_kappa(&[1, 0], &[1]), None);
        // Different single categories: p_e = 0, kappa = 0 - 0 = 0 (defined).
        assert_eq!(cohen_kappa(&[1, 1], &[0, 0]), Some(0.0));
    }

    #[test]
    fn percent_agreement_pooled_pairs() {
        // Unit 1: 3 values alike: 3 pairs, 3 agree. Unit 2: (1, 1, 2):
        // 3 pairs, 1 agrees. Unit 3: one value, not pairable.
        let data = vec![
            vec![Some(1), Some(1), Some(1)],
            vec![Some(1), Some(1), Some(2)],
            vec![Some(1), None, None],
        ];
        let p = percent_agreement(&data).unwrap();
        assert!((p - 4.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn perfect_agreement() {
        let data = from_coders(&["1 2 3 1 2", "1 2 3 1 2", "1 2 . 1 2"]);
        assert_eq!(krippendorff_alpha_nominal(&data), Some(1.0));
        assert_eq!(percent_agreement(&data), Some(1.0));
        let a = [1, 0, 1, 0];
        assert_eq!(cohen_kappa(&a, &a), Some(1.0));
        assert_eq!(brennan_prediger(&a, &a, 2), Some(1.0));
    }

    #[test]
    fn no_variation() {
        let data = from_coders(&["2 2 2 2", "2 2 . 2"]);
        assert_eq!(krippendorff_alpha_nominal(&data), None);
        assert_eq!(percent_agreement(&data), Some(1.0));
        let r = binary_agreement(
            "c",
            &[vec![Some(true), Some(true)], vec![Some(true), Some(true)]],
        );
        assert_eq!(r.alpha, None);
        assert_eq!(r.kappa, None);
        assert_eq!(r.percent_agreement, Some(1.0));
        assert_eq!(r.brennan_prediger, Some(1.0));
    }

    #[test]
    fn all_missing() {
        let data: Vec<Vec<Option<u32>>> = vec![vec![None, None]; 4];
        assert_eq!(krippendorff_alpha_nominal(&data), None);
        assert_eq!(percent_agreement(&data), None);
        assert_eq!(krippendorff_alpha_nominal(&[]), None);
        let r = binary_agreement("c", &[vec![None, None], vec![None, None]]);
        assert_eq!(
            r,
            CodeAgreement {
                code: "c".into(),
                n_units: 0,
                percent_agreement: None,
                alpha: None,
                kappa: None,
                brennan_prediger: None,
            }
        );
    }

    #[test]
    fn single_coder() {
        let data: Vec<Vec<Option<u32>>> = vec![vec![Some(1)], vec![Some(2)], vec![Some(1)]];
        assert_eq!(krippendorff_alpha_nominal(&data), None);
        assert_eq!(percent_agreement(&data), None);
        let r = binary_agreement("c", &[vec![Some(true)], vec![Some(false)]]);
        assert_eq!(r.n_units, 0);
        assert_eq!(r.alpha, None);
        assert_eq!(r.kappa, None);
        assert_eq!(r.brennan_prediger, None);
        assert_eq!(r.percent_agreement, None);
    }

    #[test]
    fn binary_two_coders() {
        // Wikipedia's Cohen example as applied / not applied, plus two
        // units only one coder coded (ignored by everything).
        let mut data: Vec<Vec<Option<bool>>> = Vec::new();
        data.extend(std::iter::repeat_n(vec![Some(true), Some(true)], 20));
        data.extend(std::iter::repeat_n(vec![Some(true), Some(false)], 5));
        data.extend(std::iter::repeat_n(vec![Some(false), Some(true)], 10));
        data.extend(std::iter::repeat_n(vec![Some(false), Some(false)], 15));
        data.push(vec![Some(true), None]);
        data.push(vec![None, Some(false)]);
        let r = binary_agreement("c", &data);
        assert_eq!(r.code, "c");
        assert_eq!(r.n_units, 50);
        assert!((r.percent_agreement.unwrap() - 0.7).abs() < 1e-12);
        assert!((r.kappa.unwrap() - 0.4).abs() < 1e-12);
        assert!((r.brennan_prediger.unwrap() - 0.4).abs() < 1e-12);
        // Alpha from the coincidences: n = 100 pairable values (55 ones,
        // 45 zeros), 30 off-diagonal coincidences (15 disagreeing units x 2
        // ordered pairs): 1 - 99 * 30 / (2 * 55 * 45) = 0.4 (here equal to
        // kappa by coincidence; Scott's pi would be 0.394).
        let alpha = r.alpha.unwrap();
        assert!((alpha - (1.0 - 99.0 * 30.0 / (2.0 * 55.0 * 45.0))).abs() < 1e-12);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["n_units"], 50);
    }

    #[test]
    fn binary_three_coders_no_kappa() {
        let data = vec![
            vec![Some(true), Some(true), Some(false)],
            vec![Some(false), Some(false), Some(false)],
            vec![Some(true), None, Some(true)],
        ];
        let r = binary_agreement("c", &data);
        assert_eq!(r.n_units, 3);
        assert_eq!(r.kappa, None);
        assert_eq!(r.brennan_prediger, None);
        // Pairs: 3 (1 agree) + 3 (3 agree) + 1 (1 agree) = 5 / 7.
        assert!((r.percent_agreement.unwrap() - 5.0 / 7.0).abs() < 1e-12);
        assert!(r.alpha.is_some());
    }
}
