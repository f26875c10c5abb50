//! Code saturation after Guest, Namey & Chen (2020), *A simple method to
//! assess and report thematic saturation in qualitative research*, PLOS ONE
//! 15(5): e0232076.
//!
//! The input is the documents (interviews) in the order they were
//! collected, each with the set of codes applied in it.
//!
//! * [`curve`]: new and cumulative unique codes per document.
//! * [`saturation_point`]: the base-and-run method: the *base* is the number
//!   of unique codes in the first `base` documents; a *run* of `run`
//!   documents slides one document at a time, starting right after the
//!   base; the new information of a run is the number of codes in it that
//!   no document before the run had. Saturation is reached at the first run
//!   whose new information, as a share of the base, is at most the
//!   threshold.
//! * [`sensitivity`]: the saturation point for every combination of bases,
//!   runs and thresholds (for example [`USUAL_BASES`], [`USUAL_RUNS`] and
//!   [`USUAL_THRESHOLDS`]).

use serde::Serialize;
use std::collections::BTreeSet;

/// The base sizes Guest et al. (2020) discuss (4, 5 and 6 documents).
pub const USUAL_BASES: [usize; 3] = [4, 5, 6];
/// The run lengths Guest et al. (2020) discuss (2 and 3 documents).
pub const USUAL_RUNS: [usize; 2] = [2, 3];
/// The new-information thresholds Guest et al. (2020) discuss: at most 5%
/// new information, and no new information at all.
pub const USUAL_THRESHOLDS: [f64; 2] = [0.05, 0.0];

/// One document on the saturation curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// The document's name.
    pub document: String,
    /// Codes in this document that no earlier document had, sorted.
    pub new_codes: Vec<String>,
    /// How many (`new_codes.len()`).
    pub new: usize,
    /// Unique codes in this and all earlier documents.
    pub cumulative: usize,
}

/// New and cumulative unique codes, document by document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Curve {
    /// One step per document, in input order.
    pub documents: Vec<Step>,
}

/// Where saturation was reached, for one base, run and threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// Base size in documents.
    pub base: usize,
    /// Run length in documents.
    pub run: usize,
    /// The threshold: the largest share of new information (new codes in
    /// the run / `base_codes`) that still counts as saturated.
    pub threshold: f64,
    /// Unique codes in the first `base` documents (the denominator).
    pub base_codes: usize,
    /// Number of documents up to and including the last document of the
    /// first qualifying run: `base + run` for the first run, one more for
    /// each document the run slid on.
    pub reached_at: usize,
    /// Guest et al.'s notation, `"<base>+<reached_at - base>"`, e.g. `"4+2"`
    /// when the first run qualified, `"4+5"` when the run of 2 ending with
    /// the ninth document was the first to qualify.
    pub label: String,
    /// New codes in the qualifying run.
    pub new_in_run: usize,
}

/// New and cumulative unique codes per document, in input order.
///
/// A code is new in a document when no earlier document had it.
pub fn curve(docs: &[(String, BTreeSet<String>)]) -> Curve {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let documents = docs
        .iter()
        .map(|(name, codes)| {
            let new_codes: Vec<String> = codes
                .iter()
                .filter(|c| seen.insert(c.as_str()))
                .cloned()
                .collect();
            Step {
                document: name.clone(),
                new: new_codes.len(),
                new_codes,
                cumulative: seen.len(),
            }
        })
        .collect();
    Curve { documents }
}

/// The saturation point by Guest, Namey & Chen's (2020) base-and-run
/// method.
///
/// * `base_codes` = unique codes in documents `1..=base`.
/// * The first run is documents `base+1 ..= base+run`. Its new information
///   is the number of codes in the run that no document before the run
///   (`1..=base`) had.
/// * If `new / base_codes <= threshold`, saturation is reached: `reached_at
///   = base + run`, label `"<base>+<run>"`.
/// * Otherwise the run slides forward one document at a time: the `j`-th
///   run (`j = 0, 1, ...`) is documents `base+j+1 ..= base+j+run`, and its
///   new information counts codes not in any document `1..=base+j` (so
///   codes first seen in documents between the base and the run count as
///   known). The denominator stays `base_codes`. The first qualifying run
///   gives `reached_at = base + j + run` (documents up to and including the
///   run's last document) and the label `"<base>+<j + run>"`: the base plus
///   the number of documents after the base up to the run's end.
///
/// A threshold of `0.0` means "no new codes at all in the run".
///
/// Returns `None` ("not reached") when no run qualifies before the
/// documents run out, including when there are fewer than `base + run`
/// documents, when `run == 0` (an empty run would trivially qualify), and
/// when the base has no codes (`base_codes == 0`, e.g. `base == 0`).
pub fn saturation_point(
    docs: &[(String, BTreeSet<String>)],
    base: usize,
    run: usize,
    threshold: f64,
) -> Option<Point> {
    if run == 0 || docs.len() < base + run {
        return None;
    }
    let mut seen: BTreeSet<&str> = docs[..base]
        .iter()
        .flat_map(|(_, codes)| codes.iter().map(String::as_str))
        .collect();
    let base_codes = seen.len();
    if base_codes == 0 {
        return None;
    }
    for start in base..=docs.len() - run {
        // Codes in the run not seen before it (`seen` = documents before
        // `start`).
        let new_in_run = docs[start..start + run]
            .iter()
            .flat_map(|(_, codes)| codes.iter().map(String::as_str))
            .filter(|c| !seen.contains(c))
            .collect::<BTreeSet<&str>>()
            .len();
        if new_in_run as f64 / base_codes as f64 <= threshold {
            let reached_at = start + run;
            return Some(Point {
                base,
                run,
                threshold,
                base_codes,
                reached_at,
                label: format!("{base}+{}", reached_at - base),
                new_in_run,
            });
        }
        seen.extend(docs[start].1.iter().map(String::as_str));
    }
    None
}

/// The saturation point for every combination of `bases`, `runs` and
/// `thresholds` (bases outermost, thresholds innermost), as `(base, run,
/// threshold, point)` rows; `None` means not reached (see
/// [`saturation_point`]).
pub fn sensitivity(
    docs: &[(String, BTreeSet<String>)],
    bases: &[usize],
    runs: &[usize],
    thresholds: &[f64],
) -> Vec<(usize, usize, f64, Option<Point>)> {
    let mut rows = Vec::with_capacity(bases.len() * runs.len() * thresholds.len());
    for &base in bases {
        for &run in runs {
            for &threshold in thresholds {
                rows.push((
                    base,
                    run,
                    threshold,
                    saturation_point(docs, base, run, threshold),
                ));
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(spec: &[&str]) -> Vec<(String, BTreeSet<String>)> {
        spec.iter()
            .enumerate()
            .map(|(i, codes)| {
                (
                    format!("d{}", i + 1),
                    codes.split_whitespace().map(str::to_string).collect(),
                )
            })
            .collect()
    }

    /// The hand-worked example:
    ///
    /// ```text
    /// d1 a b c   d2 b d   d3 e   d4 a f     base 4: {a b c d e f} = 6 codes
    /// d5 g       d6 a                       run d5-d6: g new, 1/6 = 0.167
    /// d7 h                                  run d6-d7: h new (g known), 1/6
    /// d8 b       d9 c                       run d7-d8: h new, 1/6
    ///                                       run d8-d9: 0 new -> "4+5", at 9
    /// d10 i                                 (after saturation)
    /// ```
    fn example() -> Vec<(String, BTreeSet<String>)> {
        docs(&["a b c", "b d", "e", "a f", "g", "a", "h", "b", "c", "i"])
    }

    #[test]
    fn curve_counts() {
        let c = curve(&example());
        let cumulative: Vec<usize> = c.documents.iter().map(|s| s.cumulative).collect();
        assert_eq!(cumulative, [3, 4, 5, 6, 7, 7, 8, 8, 8, 9]);
        let new: Vec<usize> = c.documents.iter().map(|s| s.new).collect();
        assert_eq!(new, [3, 1, 1, 1, 1, 0, 1, 0, 0, 1]);
        assert_eq!(c.documents[1].new_codes, ["d"]);
        assert_eq!(c.documents[0].new_codes, ["a", "b", "c"]);
        assert_eq!(c.documents[3].document, "d4");
        assert!(c.documents[5].new_codes.is_empty());
        assert_eq!(curve(&[]).documents, []);
    }

    #[test]
    fn hand_worked_point() {
        let p = saturation_point(&example(), 4, 2, 0.05).unwrap();
        assert_eq!(
            p,
            Point {
                base: 4,
                run: 2,
                threshold: 0.05,
                base_codes: 6,
                reached_at: 9,
                label: "4+5".into(),
                new_in_run: 0,
            }
        );
        // Threshold 0 ("no new codes"): the same run.
        let p0 = saturation_point(&example(), 4, 2, 0.0).unwrap();
        assert_eq!(p0.label, "4+5");
        // A lenient threshold: 1/6 <= 0.2, so the first run qualifies.
        let p20 = saturation_point(&example(), 4, 2, 0.2).unwrap();
        assert_eq!(
            (p20.reached_at, p20.label.as_str(), p20.new_in_run),
            (6, "4+2", 1)
        );
    }

    #[test]
    fn runs_of_three() {
        // Base 4 (6 codes), run 3: d5-d7 has g, h (2); d6-d8 has h (1);
        // d7-d9 has h (1); d8-d10 has i (1). Not reached at 0.05.
        assert_eq!(saturation_point(&example(), 4, 3, 0.05), None);
        // At 1/6 the run d6-d8 qualifies: 4 + 4 = 8 documents.
        let p = saturation_point(&example(), 4, 3, 1.0 / 6.0).unwrap();
        assert_eq!(
            (p.reached_at, p.label.as_str(), p.new_in_run),
            (8, "4+4", 1)
        );
    }

    #[test]
    fn threshold_zero_means_no_new_codes() {
        // 20 codes in the base, then one new code in every run of 2:
        // 1/20 = 0.05 qualifies at 0.05 (the comparison is <=) but a
        // threshold of 0 demands a run without any new code.
        let base: Vec<String> = (0..20).map(|i| format!("c{i}")).collect();
        let base = base.join(" ");
        let d = docs(&[&base, "", "", "", "x1", "", "x2", "", "x3", ""]);
        let p = saturation_point(&d, 4, 2, 0.05).unwrap();
        assert_eq!(
            (p.base_codes, p.new_in_run, p.label.as_str()),
            (20, 1, "4+2")
        );
        assert_eq!(saturation_point(&d, 4, 2, 0.0), None);
        // Add a document with known codes only: the run d10-d11 has none
        // new, so threshold 0 is reached at 11 documents, "4+7".
        let mut d = d;
        d.push(("d11".into(), ["c1", "x1"].map(String::from).into()));
        let p0 = saturation_point(&d, 4, 2, 0.0).unwrap();
        assert_eq!(
            (p0.reached_at, p0.label.as_str(), p0.new_in_run),
            (11, "4+7", 0)
        );
    }

    #[test]
    fn not_reached() {
        // Too few documents for base + run.
        assert_eq!(saturation_point(&example()[..5], 4, 2, 0.05), None);
        assert_eq!(saturation_point(&[], 4, 2, 0.05), None);
        // Every document brings a new code.
        let d = docs(&["a", "b", "c", "d", "e", "f", "g"]);
        assert_eq!(saturation_point(&d, 4, 2, 0.05), None);
        // Empty base.
        let d = docs(&["", "", "", "", "", ""]);
        assert_eq!(saturation_point(&d, 4, 2, 0.05), None);
        assert_eq!(saturation_point(&example(), 0, 2, 0.05), None);
        // Empty run.
        assert_eq!(saturation_point(&example(), 4, 0, 0.05), None);
    }

    #[test]
    fn exactly_base_plus_run() {
        let d = docs(&["a b", "c", "a", "b", "c", "a"]);
        let p = saturation_point(&d, 4, 2, 0.0).unwrap();
        assert_eq!(
            (p.reached_at, p.label.as_str(), p.base_codes),
            (6, "4+2", 3)
        );
    }

    #[test]
    fn sensitivity_table() {
        let rows = sensitivity(&example(), &USUAL_BASES, &USUAL_RUNS, &USUAL_THRESHOLDS);
        assert_eq!(rows.len(), 12);
        assert_eq!(
            rows.iter()
                .map(|r| (r.0, r.1, r.2))
                .take(4)
                .collect::<Vec<_>>(),
            [(4, 2, 0.05), (4, 2, 0.0), (4, 3, 0.05), (4, 3, 0.0)]
        );
        assert_eq!(rows[0].3.as_ref().unwrap().label, "4+5");
        assert_eq!(rows[2].3, None);
        // Base 6 ({a..g}, 7 codes): run d7-d8 has h; d8-d9 none -> "6+3".
        let b6 = rows
            .iter()
            .find(|r| (r.0, r.1, r.2) == (6, 2, 0.0))
            .unwrap();
        assert_eq!(b6.3.as_ref().unwrap().label, "6+3");
        assert_eq!(b6.3.as_ref().unwrap().base_codes, 7);
        let json = serde_json::to_value(&rows[0].3).unwrap();
        assert_eq!(json["label"], "4+5");
    }
}
