//! `spor codebook eval`'s comparison: per code, the rules alone, the model
//! alone and both together against one coder, on the turns that coder
//! covered, with the model's predictions taken from leave-one-document-out
//! cross-validation (each turn is predicted by a model that never saw its
//! document).

use crate::Learned;
use crate::cv::Scores;
use serde::Serialize;
use spor_codebook::CodebookSet;
use spor_coding::Codings;
use spor_corpus::Corpus;
use std::collections::BTreeSet;

/// One code's comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Code id.
    pub code: String,
    /// Positive examples the models learn from (every coder, every
    /// document).
    pub positives: usize,
    /// The coder's positives on the compared turns.
    pub gold_positives: usize,
    /// The rules' unrejected suggestions.
    pub rules: Scores,
    /// The model's out-of-fold predictions; `None` without a model.
    pub model: Option<Scores>,
    /// Rules or model; the rules alone without a model.
    pub both: Scores,
    /// Whether `spor code` uses this model (cross-validated F1 reaches
    /// `[learn] min_f1`).
    pub used: bool,
    /// Why there is no model, if there is none.
    pub note: Option<String>,
}

/// Macro averages over the codes the coder used at least once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Macro {
    /// Codes averaged over.
    pub codes: usize,
    /// Mean F1 of the rules alone.
    pub rules: f64,
    /// Mean F1 of the models alone (0 for a code without a model).
    pub model: f64,
    /// Mean F1 of rules or model (rules alone without a model).
    pub both: f64,
    /// Mean F1 of what `spor code` does: rules, plus the model where it is
    /// used.
    pub as_used: f64,
}

/// Compare rules, model and both with `coder`, per code.
pub fn compare(
    learned: &Learned,
    codings: &Codings,
    corpus: &Corpus,
    books: &CodebookSet,
    coder: &str,
) -> (Vec<Comparison>, Macro) {
    let cov = &codings.coverage;
    let rules = codings.counted_for("rules");
    let human = codings.counted_for(coder);
    let mut out = Vec::new();
    let mut sums = (0usize, 0.0, 0.0, 0.0, 0.0);
    for (_, code) in books.codes() {
        let units = spor_coding::eval::covered_units(corpus, cov, coder, &code.id);
        let pick =
            |set: &BTreeSet<(spor_corpus::SharedStr, spor_corpus::SharedStr)>| -> BTreeSet<&str> {
                set.iter()
                    .filter(|(s, c)| *c == code.id && units.contains(s.as_str()))
                    .filter_map(|(s, _)| units.get(s.as_str()).copied())
                    .collect()
            };
        let r = pick(&rules);
        let h = pick(&human);
        let report = learned.reports.iter().find(|x| x.code == code.id);
        let has_model = learned.models.contains_key(&code.id);
        let m: Option<BTreeSet<&str>> = has_model.then(|| {
            let oof = &learned.out_of_fold[&code.id];
            units
                .iter()
                .copied()
                .filter(|s| {
                    oof.get(*s)
                        .is_some_and(|p| *p >= learned.settings.threshold)
                })
                .collect()
        });
        let both: BTreeSet<&str> = match &m {
            Some(m) => r.union(m).copied().collect(),
            None => r.clone(),
        };
        let used = report.is_some_and(|x| x.used);
        let c = Comparison {
            code: code.id.clone(),
            positives: report.map(|x| x.positives).unwrap_or(0),
            gold_positives: h.len(),
            rules: Scores::of(&r, &h),
            model: m.as_ref().map(|m| Scores::of(m, &h)),
            both: Scores::of(&both, &h),
            used,
            note: report.and_then(|x| x.skipped.clone()),
        };
        if !h.is_empty() {
            let f = |s: &Scores| s.f1.unwrap_or(0.0);
            sums.0 += 1;
            sums.1 += f(&c.rules);
            sums.2 += c.model.as_ref().map(f).unwrap_or(0.0);
            sums.3 += f(&c.both);
            sums.4 += if used { f(&c.both) } else { f(&c.rules) };
        }
        out.push(c);
    }
    let n = sums.0.max(1) as f64;
    let mac = Macro {
        codes: sums.0,
        rules: sums.1 / n,
        model: sums.2 / n,
        both: sums.3 / n,
        as_used: sums.4 / n,
    };
    (out, mac)
}

fn f2(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into())
}

/// The comparison as a text table, with the macro averages and a line for
/// every code without a model.
pub fn render(rows: &[Comparison], mac: &Macro, min_f1: f64) -> String {
    let head = [
        "code", "pos", "gold", "rules P", "R", "F1", "model P", "R", "F1", "both P", "R", "F1",
        "used",
    ];
    let mut table: Vec<Vec<String>> = vec![head.iter().map(|s| s.to_string()).collect()];
    for c in rows {
        let s3 = |s: Option<&Scores>| match s {
            Some(s) => [f2(s.precision), f2(s.recall), f2(s.f1)],
            None => ["-".into(), "-".into(), "-".into()],
        };
        let mut r = vec![
            c.code.clone(),
            c.positives.to_string(),
            c.gold_positives.to_string(),
        ];
        r.extend(s3(Some(&c.rules)));
        r.extend(s3(c.model.as_ref()));
        r.extend(s3(Some(&c.both)));
        r.push(if c.used { "yes" } else { "no" }.into());
        table.push(r);
    }
    let widths: Vec<usize> = (0..head.len())
        .map(|i| {
            table
                .iter()
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (n, r) in table.iter().enumerate() {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    format!("{c:<w$}", w = widths[i])
                } else {
                    format!("{c:>w$}", w = widths[i])
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if n == 0 {
            out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)));
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "\nmacro-F1 over the {} code(s) the coder used: rules {:.3}, model {:.3}, both {:.3}; as `spor code` uses them (models with cross-validated F1 >= {min_f1:.2}): {:.3}\n",
        mac.codes, mac.rules, mac.model, mac.both, mac.as_used
    ));
    for c in rows {
        if let Some(n) = &c.note {
            out.push_str(&format!("{}: no model: {n}\n", c.code));
        }
    }
    out
}
