//! How well a codebook's rules match a human coder: per code, precision,
//! recall and F1 of the unrejected suggestions against the coder's codings,
//! over the participant turns of the documents the coder has coded.

use crate::Codings;
use serde::Serialize;
use spor_codebook::CodebookSet;
use spor_corpus::Corpus;
use spor_corpus::SharedStr;
use std::collections::BTreeSet;

/// The participant turns `coder` has covered for `code` (the units on
/// which the rules, or a model, are measured against that coder).
pub fn covered_units<'c>(
    corpus: &'c Corpus,
    coverage: &crate::coders::Coverage,
    coder: &str,
    code: &str,
) -> BTreeSet<&'c str> {
    corpus
        .segments()
        .filter(|s| {
            s.role() == spor_corpus::Role::Participant && coverage.covers(coder, s.document(), code)
        })
        .map(|s| s.segment.as_str())
        .collect()
}

/// Agreement of the rules with a coder on one code.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CodeQuality {
    /// Code id.
    pub code: String,
    /// Segments both the rules and the coder coded.
    pub true_positives: usize,
    /// Segments only the rules coded.
    pub false_positives: usize,
    /// Segments only the coder coded.
    pub false_negatives: usize,
    /// TP / (TP + FP); `None` when the rules coded nothing.
    pub precision: Option<f64>,
    /// TP / (TP + FN); `None` when the coder coded nothing.
    pub recall: Option<f64>,
    /// Harmonic mean of precision and recall.
    pub f1: Option<f64>,
    /// Segments the rules missed.
    pub missed: Vec<String>,
    /// Segments the rules suggested that the coder did not code.
    pub extra: Vec<String>,
}

/// Compare the rules with `coder` on what the coder has coded: per code,
/// the participant turns of the documents where the coder covers that code
/// ([`crate::coders::Coverage`]).
pub fn evaluate(
    codings: &Codings,
    corpus: &Corpus,
    books: &CodebookSet,
    coder: &str,
) -> (Vec<CodeQuality>, BTreeSet<String>) {
    let cov = &codings.coverage;
    let docs: BTreeSet<String> = corpus
        .documents
        .iter()
        .map(|d| d.meta.id.clone())
        .filter(|d| cov.touches(coder, d))
        .collect();
    let rules = codings.counted_for("rules");
    let human = codings.counted_for(coder);
    let order = crate::suggest::segment_order(corpus);
    let mut out = Vec::new();
    for (_, code) in books.codes() {
        let units = covered_units(corpus, cov, coder, &code.id);
        let pick = |set: &BTreeSet<(SharedStr, SharedStr)>| -> BTreeSet<String> {
            set.iter()
                .filter(|(s, c)| *c == code.id && units.contains(s.as_str()))
                .map(|(s, _)| s.to_string())
                .collect()
        };
        let r = pick(&rules);
        let h = pick(&human);
        let tp = r.intersection(&h).count();
        let mut missed: Vec<String> = h.difference(&r).cloned().collect();
        let mut extra: Vec<String> = r.difference(&h).cloned().collect();
        missed.sort_by_key(|s| order.get(s.as_str()).copied());
        extra.sort_by_key(|s| order.get(s.as_str()).copied());
        let precision = (!r.is_empty()).then(|| tp as f64 / r.len() as f64);
        let recall = (!h.is_empty()).then(|| tp as f64 / h.len() as f64);
        let f1 = match (precision, recall) {
            (Some(p), Some(q)) if p + q > 0.0 => Some(2.0 * p * q / (p + q)),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        };
        out.push(CodeQuality {
            code: code.id.clone(),
            true_positives: tp,
            false_positives: extra.len(),
            false_negatives: missed.len(),
            precision,
            recall,
            f1,
            missed,
            extra,
        });
    }
    (out, docs)
}
