//! What the evidence report shows, gathered from an analysed study.

use crate::code::Analysed;
use crate::error::{PipelineError, Result};
use spor_analysis::manifest;
use spor_export::lang::Lang;
use spor_export::report::{CodeInfo, ReportData};

/// Most quotes the report shows per code under each learning goal and
/// format element (in corpus order); the trace dossiers list them all.
pub const REPORT_QUOTES_PER_CODE: usize = 120;

/// The report's language: `--lang`, else `[study] language` in spor.toml
/// (default Danish).
pub fn language(study: &spor_corpus::Study, flag: Option<&str>) -> Result<Lang> {
    let (value, from) = match flag {
        Some(l) => (l.to_owned(), "--lang".to_owned()),
        None => match &study.manifest.study.language {
            Some(l) => (l.clone(), "spor.toml: [study] language".to_owned()),
            None => return Ok(Lang::Da),
        },
    };
    Lang::parse(&value).ok_or_else(|| {
        PipelineError::usage(format!(
            "{from}: unknown language {value:?} (the report and the workbench speak \"da\" or \"en\")"
        ))
    })
}

/// What `spor run` has already worked out for its other outputs, from the
/// same evidence and options, handed to the report instead of being worked
/// out again ([`data_with`]).
pub struct Precomputed {
    /// The translation table.
    pub rows: Vec<spor_analysis::translation::Row>,
    /// The matrix by profession.
    pub matrix: spor_analysis::matrix::Matrix,
    /// The co-occurrence matrix.
    pub cooccurrence: spor_analysis::matrix::Cooccurrence,
    /// The audit's problems.
    pub audit: Vec<spor_analysis::audit::Violation>,
    /// The inputs' hashes.
    pub inputs: Vec<manifest::FileHash>,
    /// The agreement between coders (two or more coders), by default
    /// settings.
    pub agreement: Option<spor_analysis::rigor::StudyAgreement>,
    /// The saturation, by default settings.
    pub saturation: Vec<spor_analysis::rigor::GroupSaturation>,
}

/// Gather everything the report shows.
pub fn data(
    an: &Analysed,
    ev: &spor_analysis::Evidence,
    min_cell: usize,
    lang: Lang,
) -> Result<ReportData> {
    data_with(an, ev, min_cell, lang, None)
}

/// [`data`], taking what `spor run` has worked out already from `pre`.
pub fn data_with(
    an: &Analysed,
    ev: &spor_analysis::Evidence,
    min_cell: usize,
    lang: Lang,
    pre: Option<Precomputed>,
) -> Result<ReportData> {
    let study = &an.coded.study;
    let t = spor_export::report_text::texts(lang);
    let o = spor_analysis::matrix::Options {
        by: "profession".into(),
        min_cell,
        ..Default::default()
    };
    let traces = traces(an, ev)?;
    let pre = match pre {
        Some(p) => p,
        None => Precomputed {
            rows: spor_analysis::translation::table(ev),
            matrix: spor_analysis::matrix::matrix(ev, &o)?,
            cooccurrence: spor_analysis::matrix::cooccurrence(ev, &o),
            audit: crate::audit::evidence(an, ev)?.violations,
            inputs: manifest::hash_files(&study.root, &manifest::input_files(study)),
            agreement: crate::rigor::study_agreement(&an.coded)?,
            saturation: crate::rigor::saturation(&an.coded, &Default::default())?,
        },
    };
    let agreement = pre.agreement;
    let saturation = saturation(&pre.saturation, &t)?;
    let learned = an.coded.learned.as_ref();
    Ok(ReportData {
        learned: learned
            .map(|l| l.report(&an.coded.codings))
            .unwrap_or_else(|| serde_json::json!([])),
        learned_min_f1: learned.map(|l| l.settings.min_f1).unwrap_or_default(),
        learned_counted: an.coded.codings.policy == spor_coding::Policy::SuggestedLearnedAndHuman,
        title: study.manifest.study.name.clone(),
        spor_version: env!("CARGO_PKG_VERSION").to_owned(),
        lang,
        policy: an.coded.codings.policy.as_str().to_owned(),
        policy_text: spor_export::lang::counted_text(an.coded.codings.policy.as_str(), lang),
        code_memos: an
            .coded
            .books
            .codes()
            .map(|(_, c)| (c.id.clone(), ev.code_memos(&c.id)))
            .filter(|(_, m)| !m.is_empty())
            .collect(),
        module: module(an)?,
        stats: spor_corpus::stats::stats(&an.coded.corpus),
        rows: pre.rows,
        matrix: pre.matrix,
        cooccurrence: pre.cooccurrence,
        traces,
        audit: pre.audit,
        inputs: pre.inputs,
        codebooks: manifest::codebook_versions(study, &an.coded.books),
        agreement,
        saturation,
        codes: an
            .coded
            .books
            .codes()
            .map(|(b, c)| CodeInfo {
                id: c.id.clone(),
                label: c.label.clone(),
                codebook: b.id.clone(),
            })
            .collect(),
    })
}

/// A trace per learning goal and format element of the curriculum (none
/// without one), quoting at most [`REPORT_QUOTES_PER_CODE`] turns per code.
fn traces(an: &Analysed, ev: &spor_analysis::Evidence) -> Result<Vec<spor_analysis::trace::Trace>> {
    Ok(match &an.curriculum {
        Some(c) => c
            .elements()
            // The report stays readable and small on large studies;
            // out/trace/ and out/codings.csv hold every turn.
            .map(|e| spor_analysis::trace::trace_element_limited(ev, &e.id, REPORT_QUOTES_PER_CODE))
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    })
}

/// The saturation curve as SVG and the point where it is reached (or the
/// report's words for "not reached"); none without documents.
fn saturation(
    sat: &[spor_analysis::rigor::GroupSaturation],
    t: &std::collections::BTreeMap<&'static str, &'static str>,
) -> Result<Option<(String, String)>> {
    Ok(match sat.first() {
        Some(g) => Some((
            spor_export::saturation::svg(sat, t["saturation_title"])
                .map_err(|e| PipelineError::usage(format!("plotting: {e}")))?,
            g.point
                .as_ref()
                .map(|p| p.label.clone())
                .unwrap_or_else(|| t["not_reached"].into()),
        )),
        None => None,
    })
}

/// The curriculum's module as JSON, ECTS written as a whole number when it
/// is one.
fn module(an: &Analysed) -> Result<Option<serde_json::Value>> {
    Ok(an
        .curriculum
        .as_ref()
        .map(|c| {
            let mut v = serde_json::to_value(&c.module)?;
            // 10 ECTS, not 10.0
            if let Some(e) = c.module.ects.filter(|e| e.fract() == 0.0) {
                v["ects"] = serde_json::json!(e as i64);
            }
            Ok::<_, serde_json::Error>(v)
        })
        .transpose()?)
}
