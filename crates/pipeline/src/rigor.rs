//! Rigour figures for the pipeline: agreement between coders and code
//! saturation, with their text renderings for out/ and the terminal.

use crate::code::Coded;
use crate::error::{PipelineError, Result};
use spor_analysis::rigor::{GroupSaturation, StudyAgreement};
use spor_export::table::{Align, Table};

fn f3(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into())
}

/// The agreement between every coder of the study, when it has two or
/// more (what `spor run` writes and the report shows).
pub fn study_agreement(c: &Coded) -> Result<Option<StudyAgreement>> {
    let coders = spor_coding::coders::coder_names(&c.study);
    Ok(if coders.len() >= 2 {
        Some(agreement(c, &coders)?)
    } else {
        None
    })
}

/// Agreement for `coders` on a coded study.
pub fn agreement(c: &Coded, coders: &[String]) -> Result<StudyAgreement> {
    if coders.len() < 2 {
        return Err(PipelineError::usage("--coders needs two or more coders"));
    }
    let known = spor_coding::coders::coder_names(&c.study);
    for (i, name) in coders.iter().enumerate() {
        if coders[..i].contains(name) {
            return Err(PipelineError::usage(format!(
                "--coders names {name:?} twice; agreement needs two or more different coders"
            )));
        }
        if name != "rules" && !known.contains(name) {
            return Err(PipelineError::usage(format!(
                "no coder {name:?} (codings/{name}.csv does not exist; coders: {})",
                known.join(", ")
            )));
        }
    }
    if let Some(e) = c
        .coder_files
        .errors()
        .find(|d| d.location.path.ends_with(spor_corpus::study::MANIFEST))
    {
        return Err(PipelineError::usage(format!("{e}")));
    }
    Ok(spor_analysis::rigor::agreement(
        &c.codings, &c.corpus, &c.books, coders,
    ))
}

/// Which (coder, code, document) cells the figures use, one line per coder.
pub fn coverage_lines(a: &StudyAgreement) -> Vec<String> {
    use spor_coding::coders::Covered;
    a.coverage
        .iter()
        .map(|(coder, docs)| {
            let all: Vec<&str> = docs
                .iter()
                .filter(|(_, c)| matches!(c, Covered::All(_)))
                .map(|(d, _)| d.as_str())
                .collect();
            let some: Vec<String> = docs
                .iter()
                .filter_map(|(d, c)| match c {
                    Covered::Codes(codes) => Some(format!("{d} ({})", codes.join(", "))),
                    Covered::All(_) => None,
                })
                .collect();
            let mut line = format!("{coder} has coded ");
            if coder == "rules" {
                line.push_str("every document for every code");
                return line;
            }
            if all.is_empty() && some.is_empty() {
                line.push_str("nothing");
            }
            if !all.is_empty() {
                line.push_str(&format!("every code in {}", all.join(", ")));
            }
            if !some.is_empty() {
                if !all.is_empty() {
                    line.push_str("; ");
                }
                line.push_str(&format!("only these codes in {}", some.join("; ")));
            }
            line
        })
        .collect()
}

/// Markdown for a consensus meeting.
pub fn agreement_markdown(a: &StudyAgreement, with_disagreements: bool) -> String {
    let mut s = format!("# Intercoder agreement: {}\n\n", a.coders.join(", "));
    s.push_str("Unit: participant turn; a code is applied or not. Alpha >= 0.800: reliable; 0.667-0.800: tentative; below: not reliable. Brennan-Prediger's kappa is the one MAXQDA reports.\n\n");
    s.push_str("What each coder has coded (turns of other documents and codes are missing data, never a \"no\"):\n\n");
    for line in coverage_lines(a) {
        s.push_str(&format!("- {line}\n"));
    }
    s.push('\n');
    s.push_str("| code | units | agreement | alpha | kappa | Brennan-Prediger |\n|---|---|---|---|---|---|\n");
    for c in a.codes.iter().chain(std::iter::once(&a.overall)) {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            c.code,
            c.n_units,
            c.percent_agreement
                .map(|p| format!("{:.1} %", p * 100.0))
                .unwrap_or("-".into()),
            f3(c.alpha),
            f3(c.kappa),
            f3(c.brennan_prediger)
        ));
    }
    if with_disagreements {
        s.push_str(&format!("\n## Disagreements ({})\n", a.disagreements.len()));
        for d in &a.disagreements {
            s.push_str(&format!(
                "\n### {} · {} ({}) · disputed: {}\n\n",
                d.segment,
                d.participant,
                d.profession,
                d.disputed.join(", ")
            ));
            for (coder, codes) in &d.codes {
                s.push_str(&format!(
                    "- {coder}: {}\n",
                    match codes {
                        Some(v) if v.is_empty() => "(no code)".to_owned(),
                        Some(v) => v.join(", "),
                        None => "(has not coded this document)".to_owned(),
                    }
                ));
            }
            s.push('\n');
            for l in d.text.lines() {
                s.push_str(&format!("> {l}\n"));
            }
        }
    }
    s
}

/// Document ids in the order of a documents.csv column (then sheet order).
pub fn document_order(c: &Coded, column: &str) -> Result<Vec<String>> {
    let key = |d: &spor_corpus::study::DocumentMeta| -> Option<String> {
        match column {
            "date" => Some(d.date.clone()),
            "phase" => Some(d.phase.clone()),
            "kind" => Some(d.kind.clone()),
            "document" => Some(d.id.clone()),
            other => d.attributes.get(other).map(|v| v.key()),
        }
    };
    if !c.study.documents.is_empty() && c.study.documents.iter().all(|d| key(d).is_none()) {
        return Err(PipelineError::usage(format!(
            "--order: documents.csv has no column {column:?}"
        )));
    }
    let mut docs: Vec<(usize, &spor_corpus::study::DocumentMeta)> =
        c.study.documents.iter().enumerate().collect();
    docs.sort_by_key(|d| (key(d.1), d.0));
    Ok(docs.into_iter().map(|(_, d)| d.id.clone()).collect())
}

/// How saturation is computed (`spor saturation`'s options).
#[derive(Debug, Clone, PartialEq)]
pub struct SaturationSettings {
    /// Order documents by this column of documents.csv.
    pub order: String,
    /// Compute it per group of this attribute.
    pub by: Option<String>,
    /// Base size (documents).
    pub base: usize,
    /// Run length (documents).
    pub run: usize,
    /// New-information threshold (share of the base's codes).
    pub threshold: f64,
}

impl Default for SaturationSettings {
    /// What `spor run` and the report use: date order, base 4, run 2,
    /// threshold 5 %.
    fn default() -> Self {
        SaturationSettings {
            order: "date".into(),
            by: None,
            base: 4,
            run: 2,
            threshold: 0.05,
        }
    }
}

/// Saturation curves (one per group) under `a`.
pub fn saturation(c: &Coded, a: &SaturationSettings) -> Result<Vec<GroupSaturation>> {
    if a.by.as_deref().is_some_and(|b| c.study.private.contains(b)) {
        return Err(PipelineError::usage(format!(
            "attribute {:?} is marked private and is never shown in outputs",
            a.by.as_deref().unwrap_or("")
        )));
    }
    if let Some(by) = a.by.as_deref() {
        let known = crate::open::known_attributes(&c.study);
        if !known.iter().any(|k| k == by) {
            return Err(PipelineError::usage(format!(
                "--by: unknown attribute {by:?} (known: {})",
                known.join(", ")
            )));
        }
    }
    let order = document_order(c, &a.order)?;
    Ok(spor_analysis::rigor::saturation(
        &c.codings,
        &c.corpus,
        &order,
        a.by.as_deref(),
        a.base,
        a.run,
        a.threshold,
    ))
}

/// Saturation as text tables (out/saturation.txt, the terminal).
pub fn saturation_text(groups: &[GroupSaturation]) -> String {
    let mut s = String::new();
    for g in groups {
        if !g.group.is_empty() {
            s.push_str(&format!("\n== {} ==\n", g.group));
        }
        let mut t = Table::new(&[
            ("document", Align::Left),
            ("new", Align::Right),
            ("cumulative", Align::Right),
            ("new codes", Align::Left),
        ]);
        for st in &g.curve.documents {
            t.row(vec![
                st.document.clone(),
                st.new.to_string(),
                st.cumulative.to_string(),
                st.new_codes.join(", "),
            ]);
        }
        s.push_str(&t.render());
        s.push_str(&format!(
            "saturation: {}\n",
            g.point
                .as_ref()
                .map(|p| format!(
                    "{} (base {} codes, {} new in the run)",
                    p.label, p.base_codes, p.new_in_run
                ))
                .unwrap_or_else(|| "not reached".into())
        ));
        let mut t = Table::new(&[
            ("base", Align::Right),
            ("run", Align::Right),
            ("threshold", Align::Right),
            ("point", Align::Left),
        ]);
        for (b, r, th, p) in &g.sensitivity {
            t.row(vec![
                b.to_string(),
                r.to_string(),
                format!("{:.0} %", th * 100.0),
                p.as_ref()
                    .map(|p| p.label.clone())
                    .unwrap_or_else(|| "not reached".into()),
            ]);
        }
        s.push_str(&t.render());
    }
    s
}
