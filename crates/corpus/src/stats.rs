//! Who said how much: documents by kind and phase, and participants, turns
//! and words per profession (participant turns only).

use crate::{Corpus, Role};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Professions with fewer participants than this are flagged.
pub const MIN_PARTICIPANTS: usize = 3;

/// Documents of one kind in one phase.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KindPhase {
    /// Document kind.
    pub kind: String,
    /// Phase.
    pub phase: String,
    /// Number of documents.
    pub documents: usize,
}

/// Participation of one profession.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProfessionStats {
    /// The profession.
    pub profession: String,
    /// Distinct participants.
    pub participants: usize,
    /// Documents in which the profession speaks.
    pub documents: usize,
    /// Participant turns.
    pub turns: usize,
    /// Words in those turns.
    pub words: usize,
    /// Share of all participant words (0..1).
    pub share: f64,
    /// Fewer than [`MIN_PARTICIPANTS`] participants.
    pub under_represented: bool,
}

/// The figures `spor stats` shows.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stats {
    /// Number of documents read.
    pub documents: usize,
    /// Documents by kind and phase.
    pub by_kind_phase: Vec<KindPhase>,
    /// Distinct participants (role participant).
    pub participants: usize,
    /// Participant turns.
    pub turns: usize,
    /// Words in participant turns.
    pub words: usize,
    /// The threshold below which a profession is flagged.
    pub min_participants: usize,
    /// Per profession, by words (descending), then name.
    pub professions: Vec<ProfessionStats>,
}

/// Compute the statistics of a corpus.
pub fn stats(corpus: &Corpus) -> Stats {
    let mut kp: BTreeMap<(String, String), usize> = BTreeMap::new();
    for d in &corpus.documents {
        *kp.entry((d.meta.kind.clone(), d.meta.phase.clone()))
            .or_default() += 1;
    }
    #[derive(Default)]
    struct Acc {
        participants: BTreeSet<String>,
        documents: BTreeSet<String>,
        turns: usize,
        words: usize,
    }
    let mut per: BTreeMap<String, Acc> = BTreeMap::new();
    let mut all_participants = BTreeSet::new();
    let role = Role::Participant.as_str();
    for s in corpus.segments().filter(|s| s.role().as_str() == role) {
        let a = per.entry(s.profession().to_string()).or_default();
        a.participants.insert(s.participant().to_string());
        a.documents.insert(s.document().to_string());
        a.turns += 1;
        a.words += s.words as usize;
        all_participants.insert(s.participant().clone());
    }
    let words: usize = per.values().map(|a| a.words).sum();
    let turns: usize = per.values().map(|a| a.turns).sum();
    let mut professions: Vec<ProfessionStats> = per
        .into_iter()
        .map(|(profession, a)| ProfessionStats {
            under_represented: a.participants.len() < MIN_PARTICIPANTS,
            participants: a.participants.len(),
            documents: a.documents.len(),
            turns: a.turns,
            share: if words == 0 {
                0.0
            } else {
                a.words as f64 / words as f64
            },
            words: a.words,
            profession,
        })
        .collect();
    professions.sort_by(|a, b| b.words.cmp(&a.words).then(a.profession.cmp(&b.profession)));
    Stats {
        documents: corpus.documents.len(),
        by_kind_phase: kp
            .into_iter()
            .map(|((kind, phase), documents)| KindPhase {
                kind,
                phase,
                documents,
            })
            .collect(),
        participants: all_participants.len(),
        turns,
        words,
        min_participants: MIN_PARTICIPANTS,
        professions,
    }
}
