//! The training data: every participant turn as features, and per code the
//! human decisions on it.
//!
//! A turn is a **positive** example of a code when a coder coded it (or
//! accepted a suggestion of it); a **negative** one when a coder rejected
//! the code there, or covered the code in that document (`done` rows,
//! `[coders.NAME] documents`, reviews) without coding it on the turn.
//! Turns nobody covered are never negatives: "not coded" there means "not
//! looked at". When coders disagree, a positive wins.

use crate::features::{Kinds, Unit, featurize};
use spor_codebook::CodebookSet;
use spor_coding::{Codings, Status};
use spor_corpus::Corpus;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Turns and labels.
#[derive(Debug, Clone)]
pub struct TrainingData {
    /// Every participant turn, in corpus order. Only the labelled ones
    /// (some code has a decision on them) carry their features; the others
    /// are featurised when a model reads them ([`TrainingData::features`]),
    /// so memory does not grow with the study's unlabelled turns.
    pub units: Vec<Unit>,
    /// Code (codebook order) -> unit index -> label.
    pub labels: BTreeMap<String, BTreeMap<usize, bool>>,
    /// The study's codes, in codebook order.
    pub codes: Vec<String>,
    /// Where each unit's turn is and what its features are made of
    /// (indexed like `units`).
    pub(crate) sources: Vec<Source>,
    /// The kinds of features.
    kinds: Kinds,
}

/// What a unit's features are made of: its turn (document and segment
/// index in the corpus), its place in the document and the codes the rules
/// suggest on it (indices into [`TrainingData::codes`]).
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub(crate) document: u32,
    pub(crate) segment: u32,
    pub(crate) position: f64,
    pub(crate) rule_codes: Box<[u16]>,
    /// Whether some code has a decision on it (its features are kept).
    pub(crate) labelled: bool,
}

/// The human decisions of `codings`, gathered once: which codes the rules
/// suggest on each turn, and who coded, accepted or rejected what.
struct Decisions<'a> {
    rule_codes: HashMap<&'a str, BTreeSet<&'a str>>,
    /// (coder, segment, code) a coder applied.
    accepted: HashSet<(&'a str, &'a str, &'a str)>,
    /// (segment, code) some coder applied.
    positive: HashSet<(&'a str, &'a str)>,
    /// (segment, code) some coder rejected.
    rejected: HashSet<(&'a str, &'a str)>,
    coders: BTreeSet<&'a str>,
    codings: &'a Codings,
}

impl<'a> Decisions<'a> {
    fn read(codings: &'a Codings) -> Decisions<'a> {
        let mut d = Decisions {
            rule_codes: HashMap::new(),
            accepted: HashSet::new(),
            positive: HashSet::new(),
            rejected: HashSet::new(),
            coders: codings.coverage.coders.keys().map(String::as_str).collect(),
            codings,
        };
        for r in &codings.rows {
            if r.is_suggestion() {
                d.rule_codes
                    .entry(r.segment.as_str())
                    .or_default()
                    .insert(r.code.as_str());
            } else if let Some(coder) = r.origin.coder() {
                d.coders.insert(coder);
                let key = (r.segment.as_str(), r.code.as_str());
                match r.status {
                    Status::Accepted => {
                        d.accepted.insert((coder, key.0, key.1));
                        d.positive.insert(key);
                    }
                    Status::Rejected => {
                        d.rejected.insert(key);
                    }
                    Status::Suggested => {}
                }
            }
        }
        d
    }

    /// The codes the rules suggest on a turn, in code order.
    fn rule_codes(&self, segment: &str) -> Vec<&'a str> {
        self.rule_codes
            .get(segment)
            .map(|c| c.iter().copied().collect())
            .unwrap_or_default()
    }

    /// A turn's label for a code: positive when a coder applied it,
    /// negative when one rejected it or covered the code in the document
    /// without applying it, none otherwise.
    fn label(&self, segment: &str, document: &str, code: &str) -> Option<bool> {
        let key = (segment, code);
        if self.positive.contains(&key) {
            return Some(true);
        }
        let covered_without = |c: &&str| {
            self.codings.coverage.covers(c, document, code)
                && !self.accepted.contains(&(*c, segment, code))
        };
        (self.rejected.contains(&key) || self.coders.iter().any(covered_without)).then_some(false)
    }
}

impl TrainingData {
    /// Read the turns and the human decisions of `codings` (rows of origin
    /// `coder:`, their coverage, and which codes the rules suggest where).
    pub fn collect(
        corpus: &Corpus,
        books: &CodebookSet,
        codings: &Codings,
        kinds: Kinds,
    ) -> TrainingData {
        let codes: Vec<String> = books.codes().map(|(_, c)| c.id.clone()).collect();
        // No coder, no decision: no turn has a label, so no model is fitted
        // and no turn is read (the training hash reads only labelled turns,
        // so it is the same as reading them all).
        let anyone = !codings.coverage.coders.is_empty()
            || codings.rows.iter().any(|r| r.origin.coder().is_some());
        if !anyone {
            return TrainingData {
                units: Vec::new(),
                labels: codes.iter().map(|c| (c.clone(), BTreeMap::new())).collect(),
                codes,
                sources: Vec::new(),
                kinds,
            };
        }
        let decisions = Decisions::read(codings);
        let mut units = Vec::new();
        let mut sources = Vec::new();
        let mut labels: BTreeMap<String, BTreeMap<usize, bool>> =
            codes.iter().map(|c| (c.clone(), BTreeMap::new())).collect();
        let code_number: HashMap<&str, u16> = codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i as u16))
            .collect();
        for (di, d) in corpus.documents.iter().enumerate() {
            let n = d.segments.len();
            for (i, s) in d.segments.iter().enumerate() {
                if s.role() != spor_corpus::Role::Participant {
                    continue;
                }
                let position = if n > 1 {
                    i as f64 / (n - 1) as f64
                } else {
                    0.0
                };
                let k = units.len();
                units.push(Unit {
                    segment: s.segment.to_string(),
                    document: s.document().to_string(),
                    features: Vec::new(),
                });
                sources.push(Source {
                    document: di as u32,
                    segment: i as u32,
                    position,
                    rule_codes: decisions
                        .rule_codes(&s.segment)
                        .iter()
                        .filter_map(|c| code_number.get(c).copied())
                        .collect(),
                    labelled: false,
                });
                for code in &codes {
                    if let Some(l) = decisions.label(&s.segment, s.document(), code) {
                        labels.get_mut(code).expect("every code").insert(k, l);
                    }
                }
            }
        }
        // Features of the labelled turns only (the others are featurised
        // when a model reads them); turns are analysed in parallel, each on
        // its own, so the result is the same.
        let labelled: BTreeSet<usize> = labels.values().flat_map(|l| l.keys().copied()).collect();
        if !labelled.is_empty() {
            use rayon::prelude::*;
            let features: Vec<(usize, Vec<String>)> = labelled
                .par_iter()
                .map_init(spor_index::analyzer::danish, |a, &k| {
                    (k, Self::featurize(&sources[k], &codes, kinds, corpus, a))
                })
                .collect();
            for (k, f) in features {
                units[k].features = f;
                sources[k].labelled = true;
            }
        }
        TrainingData {
            units,
            labels,
            codes,
            sources,
            kinds,
        }
    }

    fn featurize(
        source: &Source,
        codes: &[String],
        kinds: Kinds,
        corpus: &Corpus,
        analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    ) -> Vec<String> {
        let turn = &corpus.documents[source.document as usize].segments[source.segment as usize];
        let rule_codes: Vec<&str> = source
            .rule_codes
            .iter()
            .map(|c| codes[*c as usize].as_str())
            .collect();
        featurize(analyzer, &turn.text, &rule_codes, source.position, kinds)
    }

    /// Unit `k`'s features: kept for a labelled unit, featurised from
    /// `corpus` (the one the data was collected from) for the others.
    pub fn features<'s>(
        &'s self,
        k: usize,
        corpus: &Corpus,
        analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    ) -> std::borrow::Cow<'s, [String]> {
        if self.sources[k].labelled {
            return std::borrow::Cow::Borrowed(&self.units[k].features);
        }
        std::borrow::Cow::Owned(Self::featurize(
            &self.sources[k],
            &self.codes,
            self.kinds,
            corpus,
            analyzer,
        ))
    }

    /// A hash of everything the models are fitted from: the labelled turns'
    /// ids, documents, features and labels, in a fixed order, with `extra`
    /// (the model version and settings).
    pub fn hash(&self, extra: &str) -> String {
        let mut s = String::new();
        s.push_str(extra);
        s.push('\n');
        let mut used: BTreeSet<usize> = BTreeSet::new();
        for (code, l) in &self.labels {
            s.push_str("code ");
            s.push_str(code);
            s.push('\n');
            for (k, y) in l {
                used.insert(*k);
                s.push_str(&format!("{} {}\n", self.units[*k].segment, u8::from(*y)));
            }
        }
        for k in used {
            let u = &self.units[k];
            s.push_str(&format!(
                "{} {} {}\n",
                u.segment,
                u.document,
                u.features.join("\t")
            ));
        }
        spor_corpus::sha256_hex(s.as_bytes())
    }
}
