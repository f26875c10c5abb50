//! Agreement and saturation on a study: which units, which coders, which
//! documents, built from the codings and handed to the arithmetic in
//! [`crate::agreement`] and [`crate::saturation`].

use crate::agreement::{CodeAgreement, binary_agreement};
use crate::saturation::{self, Curve, Point};
use serde::Serialize;
use spor_codebook::CodebookSet;
use spor_coding::Codings;
use spor_corpus::Corpus;
use spor_corpus::SharedStr;
use std::collections::{BTreeMap, BTreeSet};

/// Agreement between coders on a study.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StudyAgreement {
    /// The coders compared (`rules` for the rules' unrejected suggestions).
    pub coders: Vec<String>,
    /// Documents in which each coder has coded at least one code.
    pub documents: BTreeMap<String, Vec<String>>,
    /// The cells used: per coder, per document, `"all"` codes or the list
    /// of codes the coder has coded there.
    pub coverage: BTreeMap<String, BTreeMap<String, spor_coding::coders::Covered>>,
    /// Per code.
    pub codes: Vec<CodeAgreement>,
    /// Over all codes: every (segment, code) a binary unit.
    pub overall: CodeAgreement,
    /// Segments on which the coders disagree.
    pub disagreements: Vec<Disagreement>,
}

/// A segment on which the coders disagree.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Disagreement {
    /// Segment id.
    pub segment: String,
    /// Participant.
    pub participant: String,
    /// Profession.
    pub profession: String,
    /// Each coder's codes on it (`None`: the coder has not coded its document).
    pub codes: BTreeMap<String, Option<Vec<String>>>,
    /// The codes they disagree on.
    pub disputed: Vec<String>,
    /// The text.
    pub text: String,
}

/// Agreement of `coders` on the participant turns they coded. Which
/// (coder, code, document) cells a coder has coded is the codings'
/// coverage ([`spor_coding::coders::Coverage`]); the rules have coded
/// everything. A coder who has not coded a code in a document gives missing
/// values for its turns.
pub fn agreement(
    codings: &Codings,
    corpus: &Corpus,
    books: &CodebookSet,
    coders: &[String],
) -> StudyAgreement {
    let all_docs: Vec<String> = corpus.documents.iter().map(|d| d.meta.id.clone()).collect();
    let cov = &codings.coverage;
    let mut documents: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut coverage = BTreeMap::new();
    let mut sets: Vec<BTreeSet<(SharedStr, SharedStr)>> = Vec::new();
    for c in coders {
        documents.insert(
            c.clone(),
            all_docs
                .iter()
                .filter(|d| cov.touches(c, d))
                .cloned()
                .collect(),
        );
        coverage.insert(c.clone(), cov.listing(c, &all_docs));
        sets.push(codings.counted_for(c));
    }
    let covered = |i: usize, doc: &str, code: &str| cov.covers(&coders[i], doc, code);
    let any_docs: BTreeSet<&str> = documents.values().flatten().map(String::as_str).collect();
    let units: Vec<&spor_corpus::Segment> = corpus
        .segments()
        .filter(|s| {
            s.role() == spor_corpus::Role::Participant && any_docs.contains(s.document().as_str())
        })
        .collect();
    let code_ids: Vec<String> = books.codes().map(|(_, c)| c.id.clone()).collect();
    let mut per_code = Vec::new();
    let mut pooled: Vec<Vec<Option<bool>>> = Vec::new();
    for code in &code_ids {
        let data: Vec<Vec<Option<bool>>> = units
            .iter()
            .map(|s| {
                (0..coders.len())
                    .map(|i| {
                        covered(i, s.document(), code).then(|| {
                            sets[i].contains(&(s.segment.clone(), SharedStr::from(code.as_str())))
                        })
                    })
                    .collect()
            })
            .collect();
        per_code.push(binary_agreement(code, &data));
        pooled.extend(data);
    }
    let disagreements = units
        .iter()
        .filter_map(|s| disagreement(s, codings, coders, &code_ids, &sets))
        .collect();
    StudyAgreement {
        coders: coders.to_vec(),
        documents,
        coverage,
        overall: binary_agreement("(all codes)", &pooled),
        codes: per_code,
        disagreements,
    }
}

/// The turn as a disagreement when two coders who both covered a code in
/// its document decided differently on it: each coder's codes on the turn
/// (`None` for a coder who has not coded its document) and the codes
/// disputed.
fn disagreement(
    s: &spor_corpus::Segment,
    codings: &Codings,
    coders: &[String],
    code_ids: &[String],
    sets: &[BTreeSet<(SharedStr, SharedStr)>],
) -> Option<Disagreement> {
    let cov = &codings.coverage;
    let has = |i: usize, code: &str| sets[i].contains(&(s.segment.clone(), SharedStr::from(code)));
    let mut disputed = Vec::new();
    for code in code_ids {
        let vals: Vec<bool> = (0..coders.len())
            .filter(|&i| cov.covers(&coders[i], s.document(), code))
            .map(|i| has(i, code))
            .collect();
        if vals.len() >= 2 && vals.iter().any(|v| *v != vals[0]) {
            disputed.push(code.clone());
        }
    }
    if disputed.is_empty() {
        return None;
    }
    let mut codes = BTreeMap::new();
    for (i, c) in coders.iter().enumerate() {
        codes.insert(
            c.clone(),
            cov.touches(c, s.document()).then(|| {
                code_ids
                    .iter()
                    .filter(|code| has(i, code))
                    .cloned()
                    .collect()
            }),
        );
    }
    Some(Disagreement {
        segment: s.segment.to_string(),
        participant: s.participant().to_string(),
        profession: s.profession().to_string(),
        codes,
        disputed,
        text: crate::evidence::clip(&s.text).0,
    })
}

/// Saturation of one group (or the whole study).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupSaturation {
    /// The group's value (`""` for the whole study).
    pub group: String,
    /// New codes per document, in order.
    pub curve: Curve,
    /// The point for the chosen base, run and threshold.
    pub point: Option<Point>,
    /// The sensitivity table over the usual alternatives.
    pub sensitivity: Vec<(usize, usize, f64, Option<Point>)>,
}

/// Code saturation (Guest, Namey & Chen 2020): documents in the order given
/// (`order`: document ids), each with the codes counted on its participant
/// turns (of one group when `by` is set).
pub fn saturation(
    codings: &Codings,
    corpus: &Corpus,
    order: &[String],
    by: Option<&str>,
    base: usize,
    run: usize,
    threshold: f64,
) -> Vec<GroupSaturation> {
    use std::borrow::Cow;
    // borrowed ids and group values throughout; owned strings only for
    // the documents' code sets handed to the curve
    let counted = codings.counted_rows();
    fn group<'s>(s: &'s spor_corpus::Segment, by: Option<&str>) -> Cow<'s, str> {
        by.and_then(|b| s.attribute_key(b)).unwrap_or_default()
    }
    let group_of = |s| group(s, by);
    let mut per_doc_group: rustc_hash::FxHashMap<(&str, Cow<str>), BTreeSet<&str>> =
        Default::default();
    let mut groups: BTreeSet<Cow<str>> = BTreeSet::new();
    for s in corpus
        .segments()
        .filter(|s| s.role() == spor_corpus::Role::Participant)
    {
        let g = group_of(s);
        if !groups.contains(g.as_ref()) {
            groups.insert(g.clone());
        }
        per_doc_group.entry((s.document().as_str(), g)).or_default();
    }
    for r in &counted {
        if let Some(s) = corpus
            .segment(&r.segment)
            .filter(|s| s.role() == spor_corpus::Role::Participant)
        {
            per_doc_group
                .entry((s.document().as_str(), group_of(s)))
                .or_default()
                .insert(r.code.as_str());
        }
    }
    groups
        .into_iter()
        .map(|g| {
            let docs: Vec<(String, BTreeSet<String>)> = order
                .iter()
                .filter_map(|d| {
                    per_doc_group
                        .get(&(d.as_str(), Cow::Borrowed(g.as_ref())))
                        .map(|codes| (d.clone(), codes.iter().map(|c| c.to_string()).collect()))
                })
                .collect();
            let g = g.into_owned();
            GroupSaturation {
                curve: saturation::curve(&docs),
                point: saturation::saturation_point(&docs, base, run, threshold),
                sensitivity: saturation::sensitivity(
                    &docs,
                    &saturation::USUAL_BASES,
                    &saturation::USUAL_RUNS,
                    &saturation::USUAL_THRESHOLDS,
                ),
                group: g,
            }
        })
        .collect()
}
