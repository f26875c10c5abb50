//! Merging rule suggestions and human codings, and the counting policy.

use crate::coders::{Decision, HumanCoding};
use crate::suggest::Suggestion;
use crate::{CodingError, Result};
use serde::Serialize;
use spor_codebook::CodebookSet;
use spor_corpus::{Corpus, Study};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Which codings count in analyses (`[coding] policy` in `spor.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Policy {
    /// Human codings plus rule suggestions that no coder rejected (default).
    #[default]
    #[serde(rename = "suggested-and-human")]
    SuggestedAndHuman,
    /// Human codings only.
    #[serde(rename = "human-only")]
    HumanOnly,
    /// Human codings, rule suggestions no coder rejected, and the learned
    /// models' suggestions too (`[learn] count = true`).
    #[serde(rename = "suggested-learned-and-human")]
    SuggestedLearnedAndHuman,
}

impl Policy {
    /// The policy's name as written in `spor.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::SuggestedAndHuman => "suggested-and-human",
            Policy::HumanOnly => "human-only",
            Policy::SuggestedLearnedAndHuman => "suggested-learned-and-human",
        }
    }

    /// Parse a policy name.
    pub fn parse(s: &str) -> Option<Policy> {
        match s {
            "suggested-and-human" => Some(Policy::SuggestedAndHuman),
            "human-only" => Some(Policy::HumanOnly),
            "suggested-learned-and-human" => Some(Policy::SuggestedLearnedAndHuman),
            _ => None,
        }
    }

    /// The policy set in the study's `spor.toml` (`[coding] policy`);
    /// `[learn] count = true` turns the default into
    /// [`Policy::SuggestedLearnedAndHuman`] (it never makes `human-only`
    /// count suggestions).
    pub fn from_study(study: &Study) -> Result<Policy> {
        let p = match &study.manifest.coding.policy {
            None => Policy::default(),
            Some(s) => Policy::parse(s)
                .ok_or_else(|| CodingError::Manifest(format!("unknown [coding] policy {s:?}")))?,
        };
        Ok(match p {
            Policy::SuggestedAndHuman if study.manifest.learn.count => {
                Policy::SuggestedLearnedAndHuman
            }
            p => p,
        })
    }
}

/// The status of a coding row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A rule's suggestion no coder has decided on.
    Suggested,
    /// Applied (by a coder, or a suggestion a coder accepted).
    Accepted,
    /// Rejected by a coder.
    Rejected,
}

impl Status {
    /// As written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Suggested => "suggested",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
        }
    }
}

/// One row of the study's codings.
#[derive(Debug, Clone, PartialEq)]
pub struct Coding {
    /// Segment id.
    pub segment: spor_corpus::SharedStr,
    /// Code id.
    pub code: spor_corpus::SharedStr,
    /// Codebook id.
    pub codebook: spor_corpus::SharedStr,
    /// `rule:<rule id>`, `coder:<name>`, or `model:<code>` for a learned
    /// model's suggestion (spor-learn).
    pub origin: crate::Origin,
    /// Suggested, accepted or rejected.
    pub status: Status,
    /// For suggestions: every matching rule, in file order, separated by
    /// spaces (one string per row: studies have millions of rows).
    pub rules: spor_corpus::SharedStr,
    /// For suggestions: the words that triggered them, lowercased, sorted,
    /// distinct, separated by spaces (rows with the same words share one
    /// string). For a model's suggestion: its top contributing features
    /// with their contributions (`word:+0.84 ...`).
    pub matched: spor_corpus::SharedStr,
    /// For suggestions: the number of matched words. For a model's
    /// suggestion: its probability.
    pub score: Option<f32>,
    /// For human codings: the memo and the passages coded. `None` on the
    /// rows of rules and models, which a study has millions of: they carry
    /// one pointer instead of two empty fields.
    pub notes: Option<Box<Notes>>,
}

/// What only a coder's row carries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Notes {
    /// The memo (the coder's memos on the coding, oldest first, one per
    /// line).
    pub memo: String,
    /// The passages of the turn coded, sorted; empty for the whole turn.
    pub passages: Vec<crate::passage::Passage>,
}

impl Notes {
    /// `Some` unless both are empty.
    pub fn boxed(memo: String, passages: Vec<crate::passage::Passage>) -> Option<Box<Notes>> {
        (!memo.is_empty() || !passages.is_empty()).then(|| Box::new(Notes { memo, passages }))
    }
}

impl Serialize for Coding {
    /// As the row's fields would serialise, with `memo` always and
    /// `passages` when there are any.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let passages = self.passages();
        let mut st = s.serialize_struct("Coding", 10 + usize::from(!passages.is_empty()))?;
        st.serialize_field("segment", &self.segment)?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("codebook", &self.codebook)?;
        st.serialize_field("origin", &self.origin)?;
        st.serialize_field("status", &self.status)?;
        st.serialize_field("rules", &self.rules)?;
        st.serialize_field("matched", &self.matched)?;
        st.serialize_field("score", &self.score)?;
        st.serialize_field("memo", self.memo())?;
        if !passages.is_empty() {
            st.serialize_field("passages", passages)?;
        }
        st.end()
    }
}

impl Coding {
    /// The coder's memo (empty for rules' and models' rows).
    pub fn memo(&self) -> &str {
        self.notes.as_deref().map_or("", |n| n.memo.as_str())
    }

    /// The passages coded (empty for the whole turn, and for rules' and
    /// models' rows).
    pub fn passages(&self) -> &[crate::passage::Passage] {
        self.notes.as_deref().map_or(&[], |n| n.passages.as_slice())
    }

    /// Whether this row counts under `policy`.
    pub fn counts(&self, policy: Policy) -> bool {
        match policy {
            Policy::SuggestedAndHuman => {
                if self.is_suggestion() {
                    self.status != Status::Rejected
                } else {
                    !self.is_learned() && self.status == Status::Accepted
                }
            }
            Policy::HumanOnly => {
                !self.is_suggestion() && !self.is_learned() && self.status == Status::Accepted
            }
            Policy::SuggestedLearnedAndHuman => {
                if self.is_suggestion() || self.is_learned() {
                    self.status != Status::Rejected
                } else {
                    self.status == Status::Accepted
                }
            }
        }
    }

    /// Whether this row comes from a rule.
    pub fn is_suggestion(&self) -> bool {
        matches!(self.origin, crate::Origin::Rule(_))
    }

    /// Whether this row is a learned model's suggestion (`model:<code>`).
    pub fn is_learned(&self) -> bool {
        matches!(self.origin, crate::Origin::Model(_))
    }
}

/// What a counted (segment, code) rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Support {
    /// A person coded it, or accepted a suggestion of it.
    Reviewed,
    /// Only suggestions no person has decided on.
    Unreviewed,
}

/// What a memo is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum MemoTarget {
    /// A coding: a code on a segment.
    Coding {
        /// Segment id.
        segment: String,
        /// Code id.
        code: String,
    },
    /// A whole document.
    Document {
        /// Document id.
        document: String,
    },
    /// A code.
    Code {
        /// Code id.
        code: String,
    },
}

/// One memo a coder wrote, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Memo {
    /// The coder.
    pub coder: String,
    /// What it is about.
    pub target: MemoTarget,
    /// The memo's text.
    pub text: String,
    /// Line in the coder's file.
    pub line: usize,
}

/// The merged codings and the policy they are counted under.
#[derive(Debug, Clone)]
pub struct Codings {
    /// Every row: suggestions and human codings, in segment then code order.
    pub rows: Vec<Coding>,
    /// The counting policy.
    pub policy: Policy,
    /// Every memo of every coder (on codings, documents and codes), by
    /// coder then line: the history, oldest first.
    pub memos: Vec<Memo>,
    /// What each coder has coded.
    pub coverage: crate::coders::Coverage,
}

impl Codings {
    /// The (segment, code) pairs that count under the policy.
    pub fn counted(&self) -> BTreeSet<(spor_corpus::SharedStr, spor_corpus::SharedStr)> {
        let pairs = self.counted_rows();
        // already sorted: the set is built in one pass
        pairs
            .into_iter()
            .map(|r| (r.segment.clone(), r.code.clone()))
            .collect()
    }

    /// The (segment, code) pairs that count under the policy, sorted by
    /// segment id then code, borrowed: [`Codings::counted`] without a set
    /// of shared strings (for counting and streaming).
    pub fn counted_pairs(&self) -> Vec<(&str, &str)> {
        self.counted_rows()
            .into_iter()
            .map(|r| (r.segment.as_str(), r.code.as_str()))
            .collect()
    }

    /// One counted row of each counted pair, sorted by segment id then
    /// code (sorted in parallel).
    pub fn counted_rows(&self) -> Vec<&Coding> {
        use rayon::prelude::*;
        let mut rows: Vec<&Coding> = self.rows.iter().filter(|r| r.counts(self.policy)).collect();
        rows.par_sort_unstable_by(|a, b| {
            (a.segment.as_str(), a.code.as_str()).cmp(&(b.segment.as_str(), b.code.as_str()))
        });
        rows.dedup_by(|a, b| a.segment == b.segment && a.code == b.code);
        rows
    }

    /// What one (segment, code) rests on, from its rows: reviewed when a
    /// person has coded it or accepted a suggestion of it, unreviewed when
    /// it rests only on suggestions nobody has decided on, `None` when no
    /// row counts under `policy`.
    pub fn support_of<'r>(
        rows: impl IntoIterator<Item = &'r Coding>,
        policy: Policy,
    ) -> Option<Support> {
        let mut out = None;
        for r in rows.into_iter().filter(|r| r.counts(policy)) {
            if r.status == Status::Accepted {
                return Some(Support::Reviewed);
            }
            out = Some(Support::Unreviewed);
        }
        out
    }

    /// The suggestions of `code` that `coder` has not decided on, one per
    /// turn: the rules' suggestions first, then the learned ones, each in
    /// row (document) order. This is the review queue of `spor review` and
    /// of the workbench.
    pub fn pending(&self, coder: &str, code: &str) -> Vec<&Coding> {
        let decided: BTreeSet<&str> = self
            .rows
            .iter()
            .filter(|r| r.origin.coder() == Some(coder) && r.code == code)
            .map(|r| r.segment.as_str())
            .collect();
        let mut seen = BTreeSet::new();
        let mut pending: Vec<&Coding> = self
            .rows
            .iter()
            .filter(|r| (r.is_suggestion() || r.is_learned()) && r.code == code)
            .filter(|r| !decided.contains(r.segment.as_str()) && seen.insert(r.segment.as_str()))
            .collect();
        pending.sort_by_key(|r| r.is_learned());
        pending
    }

    /// The counted pairs of one origin: `rules` for unrejected suggestions,
    /// or a coder's name for that coder's accepted codings.
    pub fn counted_for(
        &self,
        who: &str,
    ) -> BTreeSet<(spor_corpus::SharedStr, spor_corpus::SharedStr)> {
        self.rows
            .iter()
            .filter(|r| {
                if who == "rules" {
                    r.is_suggestion() && r.status != Status::Rejected
                } else {
                    r.origin.coder() == Some(who) && r.status == Status::Accepted
                }
            })
            .map(|r| (r.segment.clone(), r.code.clone()))
            .collect()
    }
}

/// Merge suggestions and human codings. A suggestion that some coder
/// rejected is marked rejected (both rows stay visible); one that a coder
/// accepted (and none rejected) is marked accepted.
pub fn merge(suggestions: &[Suggestion], human: &[HumanCoding], policy: Policy) -> Codings {
    merge_owned(suggestions.to_vec(), human, policy)
}

/// [`merge`], taking the suggestions (nothing is copied).
pub fn merge_owned(suggestions: Vec<Suggestion>, human: &[HumanCoding], policy: Policy) -> Codings {
    decide(
        suggestions.into_iter().map(Coding::suggested).collect(),
        human,
        policy,
    )
}

impl Coding {
    /// A rule's suggestion as a row nobody has decided on yet.
    pub fn suggested(s: Suggestion) -> Coding {
        Coding {
            origin: crate::Origin::Rule(s.rule),
            segment: s.segment,
            code: s.code,
            codebook: s.codebook,
            status: Status::Suggested,
            rules: s.rules,
            matched: s.matched,
            score: Some(s.score),
            notes: None,
        }
    }
}

/// The suggestions' rows (as [`Coding::suggested`] makes them), each
/// marked with the coders' decisions on it, then a row for every human
/// coding: [`merge_owned`] without a second copy of the suggestions.
pub(crate) fn decide(mut rows: Vec<Coding>, human: &[HumanCoding], policy: Policy) -> Codings {
    let mut decided: BTreeMap<(&str, &str), BTreeSet<Decision>> = BTreeMap::new();
    for h in human {
        decided
            .entry((h.segment.as_str(), h.code.as_str()))
            .or_default()
            .insert(h.decision);
    }
    if !decided.is_empty() {
        for r in &mut rows {
            r.status = match decided.get(&(r.segment.as_str(), r.code.as_str())) {
                Some(set) if set.contains(&Decision::Rejected) => Status::Rejected,
                Some(set) if set.contains(&Decision::Accepted) => Status::Accepted,
                _ => Status::Suggested,
            };
        }
    }
    // exactly the room the coders' rows need: a study's rows are never
    // grown to twice their size for a few human ones
    rows.reserve_exact(human.len());
    for h in human {
        rows.push(Coding {
            segment: h.segment.as_str().into(),
            code: h.code.as_str().into(),
            codebook: Default::default(),
            origin: crate::Origin::Coder(h.coder.as_str().into()),
            status: match h.decision {
                Decision::Accepted => Status::Accepted,
                Decision::Rejected => Status::Rejected,
            },
            rules: Default::default(),
            matched: Default::default(),
            score: None,
            notes: Notes::boxed(h.memo.clone(), h.passages.clone()),
        });
    }
    Codings {
        rows,
        policy,
        memos: Vec::new(),
        coverage: Default::default(),
    }
}

/// Give every human coding's row its coder's memos on it, oldest first,
/// one per line (a later row without a memo never clears an earlier one).
pub fn memo_history(codings: &mut Codings) {
    let mut by: std::collections::HashMap<(&str, &str, &str), Vec<&str>> =
        std::collections::HashMap::new();
    for m in &codings.memos {
        if let MemoTarget::Coding { segment, code } = &m.target {
            by.entry((m.coder.as_str(), segment.as_str(), code.as_str()))
                .or_default()
                .push(m.text.as_str());
        }
    }
    // keys borrowed from the memos while the rows are written
    for r in &mut codings.rows {
        if let Some(coder) = r.origin.coder()
            && let Some(m) = by.get(&(coder, r.segment.as_str(), r.code.as_str()))
        {
            let memo = m.join("\n");
            match &mut r.notes {
                Some(n) => n.memo = memo,
                None => r.notes = Notes::boxed(memo, Vec::new()),
            }
        }
    }
}

/// Sort rows into the stable order of outputs: segment (document and turn
/// order), code (codebook order), rules before coders, coder name; and fill
/// in each human row's codebook.
pub fn sort_rows(codings: &mut Codings, corpus: &Corpus, books: &CodebookSet) {
    let code: BTreeMap<&str, (usize, &str)> = books
        .codes()
        .enumerate()
        .map(|(i, (b, c))| (c.id.as_str(), (i, b.id.as_str())))
        .collect();
    for r in &mut codings.rows {
        if r.codebook.is_empty() {
            r.codebook = code
                .get(r.code.as_str())
                .map(|c| spor_corpus::SharedStr::from(c.1))
                .unwrap_or_default();
        }
    }
    // Keys are computed once per row, not per comparison; the origin (the
    // last key) is compared in place. A stable sort: equal rows keep their
    // order.
    // (segment's place, code's place, human after rules)
    type Key = (Option<(u32, u32)>, Option<u32>, bool);
    let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let keys: Vec<Key> = codings
        .rows
        .iter()
        .map(|a| {
            (
                corpus
                    .position(&a.segment)
                    .map(|(d, t)| (small(d), small(t))),
                code.get(a.code.as_str()).map(|c| small(c.0)),
                !a.is_suggestion(),
            )
        })
        .collect();
    let rows = &codings.rows;
    let cmp = |a: usize, b: usize| {
        keys[a]
            .cmp(&keys[b])
            .then_with(|| rows[a].origin.cmp(&rows[b].origin))
    };
    // the rules' rows come in this order already: with no coder's or
    // model's row among them there is nothing to move
    if (1..rows.len()).all(|i| cmp(i - 1, i).is_le()) {
        return;
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    drop(keys);
    permute(&mut codings.rows, order);
}

/// Put `rows` in `order` (`rows[i]` becomes the old `rows[order[i]]`) in
/// place, one cycle of the permutation at a time: no second copy of a
/// study's rows.
fn permute<T>(rows: &mut [T], mut order: Vec<usize>) {
    for start in 0..rows.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start || from == at {
                break;
            }
            rows.swap(at, from);
            at = from;
        }
    }
}

/// `out/codings.csv` (docs/FORMAT.md §5): the pinned columns, then codebook,
/// rule, rules, matched, score, memo, counted (whether the row counts under
/// the policy), policy; for a coding of passages of its turn `passages`
/// (each `start-end`, separated by spaces) and `quotes` (their texts, one
/// per line), both empty for the whole turn; and for a learned model's
/// suggestion its probability and model_words (the features that carried
/// it, with their contributions).
pub fn write_codings_csv(codings: &Codings, corpus: &Corpus) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    write_codings(codings, corpus, |r| w.write_record(r)).expect("memory");
    w.into_inner().expect("memory")
}

/// [`write_codings_csv`] in a CSV dialect, streamed to `out` (formula cells
/// neutralised; for `excel-da` a BOM, `;` and decimal commas): what
/// `out/codings.csv` and `spor export codings` hold.
pub fn stream_codings_csv(
    codings: &Codings,
    corpus: &Corpus,
    dialect: spor_corpus::fsutil::CsvDialect,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut w = spor_corpus::fsutil::DialectWriter::new(dialect, out)?;
    write_codings(codings, corpus, |r| w.write_record(r))?;
    w.flush()
}

/// The records of [`write_codings_csv`] (header first), one at a time to
/// `emit`, so that a study's codings can be streamed to a file
/// (`spor_corpus::fsutil::DialectWriter`) instead of held in memory.
pub fn write_codings<E>(
    codings: &Codings,
    corpus: &Corpus,
    mut emit: impl FnMut(&[&str]) -> Result<(), E>,
) -> Result<(), E> {
    let header = [
        "segment",
        "document",
        "turn",
        "speaker",
        "participant",
        "profession",
        "code",
        "origin",
        "status",
        "codebook",
        "rule",
        "rules",
        "matched",
        "score",
        "memo",
        "counted",
        "policy",
        "passages",
        "quotes",
        "probability",
        "model_words",
    ];
    emit(&header)?;
    // numbers are written into buffers kept from row to row
    let (mut turn, mut origin, mut number) = (String::new(), String::new(), String::new());
    for r in &codings.rows {
        let Some(s) = corpus.segment(&r.segment) else {
            continue;
        };
        let counts = r.counts(codings.policy);
        let learned = r.is_learned();
        number.clear();
        if let Some(x) = r.score {
            write_3_decimals(&mut number, x);
        }
        let (score, probability, model_words) = if learned {
            ("", number.as_str(), r.matched.as_str())
        } else {
            (number.as_str(), "", "")
        };
        turn.clear();
        let _ = write!(turn, "{}", s.turn);
        origin.clear();
        let _ = write!(origin, "{}", r.origin);
        emit(&[
            r.segment.as_str(),
            s.document().as_str(),
            &turn,
            s.speaker().as_str(),
            s.participant().as_str(),
            s.profession().as_str(),
            r.code.as_str(),
            &origin,
            r.status.as_str(),
            r.codebook.as_str(),
            r.origin.rule().unwrap_or(""),
            &r.rules,
            if learned { "" } else { &r.matched },
            score,
            r.memo(),
            if counts { "yes" } else { "no" },
            codings.policy.as_str(),
            &r.passages()
                .iter()
                .map(|p| p.range())
                .collect::<Vec<_>>()
                .join(" "),
            &r.passages()
                .iter()
                .map(|p| p.quote.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            probability,
            model_words,
        ])?;
    }
    Ok(())
}

/// `x` with three decimals, as `format!("{x:.3}")` writes it; a whole
/// number (a rule's score: how many words matched) without going through
/// float formatting.
fn write_3_decimals(out: &mut String, x: f32) {
    if x.fract() == 0.0 && (0.0..1e9).contains(&x) && x.is_sign_positive() {
        let _ = write!(out, "{}.000", x as u32);
    } else {
        let _ = write!(out, "{x:.3}");
    }
}

#[cfg(test)]
mod tests;
