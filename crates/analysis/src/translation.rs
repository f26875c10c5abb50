//! The translation table: for each cue code, its finding, cue and
//! translation, the learning goals and format elements that answer it, and
//! the evidence behind it with exemplar quotes spanning professions.

use crate::{Evidence, Quote};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A learning goal or format element linked to a code.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Link {
    /// Id.
    pub id: String,
    /// `viden`, `færdigheder`, `kompetencer`, or `format` for format elements.
    pub kind: String,
    /// Text.
    pub text: String,
}

impl Link {
    /// The link to a learning goal or format element.
    pub fn to(e: &spor_codebook::Element) -> Link {
        Link {
            id: e.id.clone(),
            kind: e
                .kind
                .map(|k| k.as_str().to_owned())
                .unwrap_or_else(|| "format".into()),
            text: e.text.clone(),
        }
    }
}

/// One row of the translation table.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Row {
    /// Code id.
    pub code: String,
    /// Danish label.
    pub label: String,
    /// English label.
    pub label_en: String,
    /// The finding.
    pub finding: String,
    /// The cue.
    pub cue: String,
    /// The translation.
    pub translation: String,
    /// Learning goals answering the code.
    pub learning_goals: Vec<Link>,
    /// Format elements answering the code.
    pub format_elements: Vec<Link>,
    /// Coded participant turns.
    pub segments: usize,
    /// Of them: turns a person coded or whose suggestion a person accepted.
    pub reviewed_segments: usize,
    /// Of them: turns resting only on rule suggestions nobody has reviewed.
    pub unreviewed_segments: usize,
    /// Distinct participants.
    pub participants: usize,
    /// Distinct documents.
    pub documents: usize,
    /// Segments per profession (professions with fewer participants on
    /// this code than the minimum cell size are left out).
    pub professions: BTreeMap<String, usize>,
    /// How many professions were left out for the minimum cell size.
    pub hidden_professions: usize,
    /// 1-3 exemplar quotes from different professions.
    pub quotes: Vec<Quote>,
    /// The counting policy the evidence was counted under.
    pub policy: String,
}

/// The table: one row per cue code (a code with a cue), in codebook order.
pub fn table(ev: &Evidence) -> Vec<Row> {
    let mut rows = Vec::new();
    for (_, code) in ev.books.codes().filter(|(_, c)| c.cue.is_some()) {
        let ordered = ev.counted_segments(&code.id);
        // only the sets' sizes are used: hash sets of borrowed ids, put in
        // order once at the end
        type Set<'s> = rustc_hash::FxHashSet<&'s str>;
        let mut by_profession: rustc_hash::FxHashMap<&str, (usize, Set)> = Default::default();
        let mut parts = Set::default();
        let mut docs = Set::default();
        let split = ev.split(&code.id);
        for s in ordered {
            let e = by_profession.entry(s.profession().as_str()).or_default();
            e.0 += 1;
            e.1.insert(s.participant().as_str());
            parts.insert(s.participant().as_str());
            docs.insert(s.document().as_str());
        }
        let before = by_profession.len();
        let professions: BTreeMap<String, usize> = by_profession
            .iter()
            .filter(|(_, (_, who))| ev.min_cell == 0 || who.len() >= ev.min_cell)
            .map(|(p, (n, _))| (p.to_string(), *n))
            .collect();
        let hidden_professions = before - professions.len();
        let link = Link::to;
        let (goals, formats) = match ev.curriculum {
            Some(c) => (
                c.learning_goals
                    .iter()
                    .filter(|g| g.codes.contains(&code.id))
                    .map(link)
                    .collect(),
                c.format_elements
                    .iter()
                    .filter(|g| g.codes.contains(&code.id))
                    .map(link)
                    .collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        rows.push(Row {
            code: code.id.clone(),
            label: code.label.clone(),
            label_en: code.label_en.clone(),
            finding: code.finding.clone().unwrap_or_default(),
            cue: code.cue.clone().unwrap_or_default(),
            translation: code.translation.clone().unwrap_or_default(),
            learning_goals: goals,
            format_elements: formats,
            segments: ordered.len(),
            reviewed_segments: split.reviewed,
            unreviewed_segments: split.unreviewed,
            participants: parts.len(),
            documents: docs.len(),
            professions,
            hidden_professions,
            quotes: exemplars(ev, &code.id, ordered, 3),
            policy: ev.codings.policy.as_str().to_owned(),
        });
    }
    rows
}

/// Up to `n` exemplar quotes: reviewed codings (a person coded the turn or
/// accepted the suggestion) first, then by the
/// rules' score; each from a profession not yet quoted while one remains;
/// quotes of 12-120 words preferred, so that a quote reads on its own.
pub fn exemplars(
    ev: &Evidence,
    code: &str,
    segs: &[&spor_corpus::Segment],
    n: usize,
) -> Vec<Quote> {
    // Each turn's rows of the code, found by the turn's place: whether a
    // person reviewed it and the best score of its counted rows.
    let score = |s: &spor_corpus::Segment| -> (bool, i64) {
        let mut counted = ev
            .rows_at(s, code)
            .iter()
            .filter(|r| r.counts(ev.codings.policy))
            .peekable();
        if counted.peek().is_none() {
            return (false, 0);
        }
        let best = counted.fold(0.0f32, |b, r| b.max(r.score.unwrap_or(0.0)));
        (ev.reviewed_at(s, code), (best * 1000.0) as i64)
    };
    let mut ranked: Vec<(&spor_corpus::Segment, bool, bool, i64)> = segs
        .iter()
        .map(|s| {
            let (h, sc) = score(s);
            (*s, (12..=120).contains(&s.words), h, sc)
        })
        .collect();
    // stable: corpus order breaks ties
    ranked.sort_by_key(|r| std::cmp::Reverse((r.1, r.2, r.3)));
    let mut chosen: Vec<&spor_corpus::Segment> = Vec::new();
    let mut professions = BTreeSet::new();
    for (s, ..) in &ranked {
        if chosen.len() == n {
            break;
        }
        if professions.insert(s.profession().as_str()) {
            chosen.push(s);
        }
    }
    for (s, ..) in &ranked {
        if chosen.len() == n {
            break;
        }
        if !chosen.iter().any(|c| c.segment == s.segment) {
            chosen.push(s);
        }
    }
    let mut quotes: Vec<Quote> = chosen.iter().map(|s| ev.quote(s, code)).collect();
    // shown with the reviewed ones first (stable: the ranking stays within)
    quotes.sort_by_key(|q| !q.reviewed);
    quotes
}
