//! Codes by any participant or document attribute, and code co-occurrence,
//! counted sparsely from the coded segments.

use crate::{AnalysisError, Evidence};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What to count.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The attribute to group by (`profession`, `phase`, `kind`, any column).
    pub by: String,
    /// Only this codebook's codes.
    pub codebook: Option<String>,
    /// Only this coder's accepted codings (instead of the policy).
    pub coder: Option<String>,
    /// Hide cells resting on fewer participants than this.
    pub min_cell: usize,
}

/// One cell: a code in one group.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cell {
    /// Code id.
    pub code: String,
    /// The attribute's value.
    pub value: String,
    /// Coded segments.
    pub segments: usize,
    /// Of them: reviewed by a person (coded, or a suggestion accepted).
    pub reviewed_segments: usize,
    /// Of them: rule suggestions nobody has reviewed.
    pub unreviewed_segments: usize,
    /// Distinct participants among them.
    pub participants: usize,
    /// Distinct documents among them.
    pub documents: usize,
    /// `segments` as a share of the group's participant turns.
    pub share_of_turns: f64,
    /// `segments` per 1,000 words the group said.
    pub per_1000_words: f64,
}

/// One group (attribute value) with its totals.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Group {
    /// The value (`""` when the attribute is empty).
    pub value: String,
    /// Participant turns.
    pub turns: usize,
    /// Words in them.
    pub words: usize,
    /// Distinct participants.
    pub participants: usize,
}

/// A code-by-attribute matrix.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Matrix {
    /// The attribute.
    pub by: String,
    /// The counting policy (or `coder:<name>`).
    pub counted: String,
    /// Code ids, in codebook order.
    pub codes: Vec<String>,
    /// Groups, sorted by value.
    pub groups: Vec<Group>,
    /// Non-empty cells that are shown.
    pub cells: Vec<Cell>,
    /// The `--min-cell` threshold (0: none).
    pub min_cell: usize,
    /// Cells hidden because they rest on fewer than `min_cell` participants.
    pub suppressed: usize,
}

fn codes_of(ev: &Evidence, codebook: Option<&str>) -> Vec<String> {
    ev.books
        .codes()
        .filter(|(b, _)| codebook.is_none_or(|c| b.id == c))
        .map(|(_, c)| c.id.clone())
        .collect()
}

/// Codes by attribute.
pub fn matrix(ev: &Evidence, o: &Options) -> Result<Matrix, AnalysisError> {
    if ev.private.contains(&o.by) {
        return Err(AnalysisError::PrivateAttribute(o.by.clone()));
    }
    let participant_segments: Vec<_> = ev
        .corpus
        .segments()
        .filter(|s| s.role() == spor_corpus::Role::Participant)
        .collect();
    check_attribute(ev, &o.by, &participant_segments)?;
    let mut groups: BTreeMap<String, GroupAcc> = BTreeMap::new();
    for s in &participant_segments {
        let key = s.attribute_key(&o.by).unwrap_or_default();
        let g = match groups.get_mut(key.as_ref()) {
            Some(g) => g,
            None => groups.entry(key.into_owned()).or_default(),
        };
        g.turns += 1;
        g.words += s.words as usize;
        g.participants.insert(s.participant().as_str());
    }
    let codes = codes_of(ev, o.codebook.as_deref());
    let units = ev.units(o.coder.as_deref());
    let mut cells = Vec::new();
    let mut suppressed = 0;
    for code in &codes {
        let Some(segs) = units.get(code.as_str()) else {
            continue;
        };
        suppressed += code_cells(ev, o, code, segs, &groups, &mut cells);
    }
    Ok(Matrix {
        by: o.by.clone(),
        counted: match &o.coder {
            Some(c) => format!("coder:{c}"),
            None => ev.codings.policy.as_str().to_owned(),
        },
        codes,
        groups: groups
            .into_iter()
            .map(|(value, g)| Group {
                value,
                turns: g.turns,
                words: g.words,
                participants: g.participants.len(),
            })
            .collect(),
        cells,
        min_cell: o.min_cell,
        suppressed,
    })
}

/// An attribute no participant turn has is an error listing the
/// attributes there are (private ones left out).
fn check_attribute(
    ev: &Evidence,
    by: &str,
    participant_segments: &[&spor_corpus::Segment],
) -> Result<(), AnalysisError> {
    if participant_segments.is_empty()
        || participant_segments
            .iter()
            .any(|s| s.attribute(by).is_some())
    {
        return Ok(());
    }
    let mut known: BTreeSet<String> = spor_corpus::Segment::PINNED_ATTRIBUTES
        .iter()
        .map(|s| s.to_string())
        .collect();
    for s in participant_segments {
        known.extend(s.participant_attributes().keys().cloned());
        known.extend(s.document_attributes().keys().cloned());
    }
    known.retain(|k| !ev.private.contains(k));
    Err(AnalysisError::UnknownAttribute {
        name: by.to_owned(),
        known: known.into_iter().collect(),
    })
}

/// A group's participant turns, words and participants.
#[derive(Default)]
struct GroupAcc<'a> {
    turns: usize,
    words: usize,
    /// Only its size is used.
    participants: rustc_hash::FxHashSet<&'a str>,
}

/// One code's cells, a cell per group value its units fall in; a cell
/// resting on fewer than `min_cell` participants is left out. Returns how
/// many were left out.
fn code_cells(
    ev: &Evidence,
    o: &Options,
    code: &str,
    segs: &[&spor_corpus::Segment],
    groups: &BTreeMap<String, GroupAcc<'_>>,
    cells: &mut Vec<Cell>,
) -> usize {
    // only the sets' sizes are used: hash sets, not ordered ones
    type Acc<'s> = (
        usize,
        rustc_hash::FxHashSet<&'s str>,
        rustc_hash::FxHashSet<&'s str>,
        crate::Split,
    );
    let mut per: BTreeMap<String, Acc> = BTreeMap::new();
    for &s in segs {
        let key = s.attribute_key(&o.by).unwrap_or_default();
        let e = match per.get_mut(key.as_ref()) {
            Some(e) => e,
            None => per.entry(key.into_owned()).or_default(),
        };
        e.0 += 1;
        e.1.insert(s.participant().as_str());
        e.2.insert(s.document().as_str());
        e.3.add(o.coder.is_some() || ev.reviewed_at(s, code));
    }
    let mut suppressed = 0;
    for (value, (n, parts, docs, split)) in per {
        if o.min_cell > 0 && parts.len() < o.min_cell {
            suppressed += 1;
            continue;
        }
        let g = &groups[&value];
        cells.push(Cell {
            code: code.to_owned(),
            share_of_turns: n as f64 / g.turns.max(1) as f64,
            per_1000_words: n as f64 * 1000.0 / g.words.max(1) as f64,
            value,
            segments: n,
            reviewed_segments: split.reviewed,
            unreviewed_segments: split.unreviewed,
            participants: parts.len(),
            documents: docs.len(),
        });
    }
    suppressed
}

/// A co-occurrence cell: segments coded with both codes (the diagonal is
/// the code's own count).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Pair {
    /// First code.
    pub code: String,
    /// Second code.
    pub other: String,
    /// Segments coded with both.
    pub segments: usize,
    /// Of them: both codings reviewed by a person.
    pub reviewed_segments: usize,
    /// Of them: at least one coding an unreviewed rule suggestion.
    pub unreviewed_segments: usize,
    /// Distinct participants among them.
    pub participants: usize,
}

/// The code-by-code co-occurrence matrix.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cooccurrence {
    /// The counting policy (or `coder:<name>`).
    pub counted: String,
    /// Codes, in codebook order.
    pub codes: Vec<String>,
    /// Non-zero cells (both orders of each pair), in code order.
    pub cells: Vec<Pair>,
    /// The `--min-cell` threshold.
    pub min_cell: usize,
    /// Cells hidden by it.
    pub suppressed: usize,
}

/// A pair of codes' turns, participants and how many of the turns were
/// reviewed for both.
type PairAcc<'s> = (usize, rustc_hash::FxHashSet<&'s str>, crate::Split);

/// Count every ordered pair of one turn's codes (`cs`: place among the
/// codes, reviewed), a code with itself included.
fn add_pairs<'s>(
    pairs: &mut rustc_hash::FxHashMap<(usize, usize), PairAcc<'s>>,
    participant: &'s str,
    cs: &[(usize, bool)],
) {
    for &(a, ra) in cs {
        for &(b, rb) in cs {
            let e = pairs.entry((a, b)).or_default();
            e.0 += 1;
            e.1.insert(participant);
            e.2.add(ra && rb);
        }
    }
}

/// Co-occurrence, counted per segment (sparse: each segment's codes).
pub fn cooccurrence(ev: &Evidence, o: &Options) -> Cooccurrence {
    let codes = codes_of(ev, o.codebook.as_deref());
    let index: BTreeMap<&str, usize> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    // What is summed per pair does not depend on the order the turns come
    // in: a hash map of pairs, then put in code order.
    let mut pairs: rustc_hash::FxHashMap<(usize, usize), PairAcc> = Default::default();
    // each turn's codes (their place in `codes`) and whether each was
    // reviewed
    let mut cs: Vec<(usize, bool)> = Vec::new();
    match o.coder.as_deref() {
        // the turns' counted codes straight from the rows' flags, each
        // code's number put in its place once
        None => {
            let place: Vec<Option<usize>> = ev
                .code_ids()
                .iter()
                .map(|c| index.get(c.as_str()).copied())
                .collect();
            ev.each_counted_turn(|turn, counted| {
                cs.clear();
                cs.extend(
                    counted
                        .iter()
                        .filter_map(|&(c, reviewed)| place[c as usize].map(|i| (i, reviewed))),
                );
                add_pairs(&mut pairs, turn.participant().as_str(), &cs);
            });
        }
        // a coder's own codings are a person's: all reviewed
        Some(coder) => {
            let units = ev.units(Some(coder));
            // turns keyed by their address (each is one of the corpus's)
            let mut by_segment: rustc_hash::FxHashMap<*const spor_corpus::Segment, _> =
                Default::default();
            for (code, segs) in units.iter() {
                if let Some(&i) = index.get(code.as_str()) {
                    for &s in segs {
                        by_segment
                            .entry(s as *const spor_corpus::Segment)
                            .or_insert_with(|| (s, Vec::new()))
                            .1
                            .push((i, true));
                    }
                }
            }
            for (turn, cs) in by_segment.values() {
                add_pairs(&mut pairs, turn.participant().as_str(), cs);
            }
        }
    }
    let mut cells = Vec::new();
    let mut suppressed = 0;
    let mut pairs: Vec<((usize, usize), PairAcc)> = pairs.into_iter().collect();
    pairs.sort_unstable_by_key(|(k, _)| *k);
    for ((a, b), (turns, parts, split)) in pairs {
        if o.min_cell > 0 && parts.len() < o.min_cell {
            suppressed += 1;
            continue;
        }
        cells.push(Pair {
            code: codes[a].clone(),
            other: codes[b].clone(),
            segments: turns,
            reviewed_segments: split.reviewed,
            unreviewed_segments: split.unreviewed,
            participants: parts.len(),
        });
    }
    Cooccurrence {
        counted: match &o.coder {
            Some(c) => format!("coder:{c}"),
            None => ev.codings.policy.as_str().to_owned(),
        },
        codes,
        cells,
        min_cell: o.min_cell,
        suppressed,
    }
}
