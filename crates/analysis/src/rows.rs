//! The coding rows of each turn, found by the turn's place in the corpus:
//! one flat list of row references grouped by turn (a compressed sparse
//! row layout: one offset per turn), instead of a hash map of hash maps
//! keyed by segment id and code. At 1 GB (4 million turns, 5.8 million
//! rows) this is about 70 MB where the maps took about 1 GB. Beside each
//! row reference are flags (its code's number, whether the turn's rows of
//! that code count, whether they were reviewed), so that most questions
//! about a turn are answered without reading a row.

use spor_coding::{Coding, Codings, Policy, Support};
use spor_corpus::{Corpus, Segment, SharedStr};
use std::collections::BTreeMap;

/// Coding rows by turn, then code.
pub(crate) struct RowIndex<'a> {
    /// Each document's first turn in the global numbering.
    doc_base: Vec<u32>,
    /// Each document's place in the corpus and first turn in the global
    /// numbering, by the address of the document's shared fields (every
    /// turn of a document points at the same ones): a turn's rows without
    /// reading its id.
    by_doc: rustc_hash::FxHashMap<usize, (u32, u32)>,
    /// Rows of global turn `g`: `rows[starts[g]..starts[g + 1]]`.
    starts: Vec<u32>,
    /// Every row on a turn of the corpus, by turn; within a turn grouped
    /// by code, each group in row order.
    rows: Vec<&'a Coding>,
    /// Rows on segments the corpus does not have (rare), sorted by segment
    /// and code, each pair's rows in row order.
    other: Vec<((&'a str, &'a str), Vec<&'a Coding>)>,
    /// A number for each code of the rows.
    codes: rustc_hash::FxHashMap<&'a str, u32>,
    /// The codes by number.
    code_ids: Vec<&'a SharedStr>,
    /// Beside each of `rows`: what its turn and code come to. The traces,
    /// matrices and tables ask this of millions of pairs; these flags
    /// answer without reading a row.
    flags: Vec<Flag>,
    /// The policy the flags were worked out under.
    policy: Policy,
}

impl<'a> RowIndex<'a> {
    /// Group `rows` by the turn of `corpus` they code.
    /// `policy` decides which rows count, for the review flags.
    pub(crate) fn new(corpus: &Corpus, rows: &'a [Coding], policy: Policy) -> Self {
        use rayon::prelude::*;
        let mut doc_base = Vec::with_capacity(corpus.documents.len());
        let mut by_doc = rustc_hash::FxHashMap::default();
        let mut total = 0u32;
        for (i, d) in corpus.documents.iter().enumerate() {
            doc_base.push(total);
            if let Some(s) = d.segments.first() {
                by_doc.insert(std::sync::Arc::as_ptr(&s.doc) as usize, (i as u32, total));
            }
            total += d.segments.len() as u32;
        }
        let place: Vec<u32> = rows
            .par_iter()
            .map(|r| match corpus.position(&r.segment) {
                Some((d, t)) => doc_base[d] + t as u32,
                None => u32::MAX,
            })
            .collect();
        let mut starts = vec![0u32; total as usize + 1];
        for &g in &place {
            if g != u32::MAX {
                starts[g as usize + 1] += 1;
            }
        }
        for g in 1..starts.len() {
            starts[g] += starts[g - 1];
        }
        let mut next = starts.clone();
        let mut grouped: Vec<Option<&Coding>> = vec![None; starts[total as usize] as usize];
        let mut other: std::collections::BTreeMap<(&str, &str), Vec<&Coding>> = Default::default();
        for (r, &g) in rows.iter().zip(&place) {
            if g == u32::MAX {
                other
                    .entry((r.segment.as_str(), r.code.as_str()))
                    .or_default()
                    .push(r);
            } else {
                grouped[next[g as usize] as usize] = Some(r);
                next[g as usize] += 1;
            }
        }
        let mut rows: Vec<&Coding> = grouped
            .into_iter()
            .map(|r| r.expect("every slot filled"))
            .collect();
        // rows are sorted by turn then code (`sort_rows`), so the codes of
        // a turn are usually grouped already; a stable sort keeps each
        // group's row order when they are not
        for w in starts.windows(2) {
            let turn = &mut rows[w[0] as usize..w[1] as usize];
            if !grouped_by_code(turn) {
                turn.sort_by(|a, b| a.code.as_str().cmp(b.code.as_str()));
            }
        }
        let mut codes = rustc_hash::FxHashMap::default();
        let mut code_ids = Vec::new();
        let mut flags = Vec::with_capacity(rows.len());
        for w in starts.windows(2) {
            for group in rows[w[0] as usize..w[1] as usize].chunk_by(|a, b| a.code == b.code) {
                let first = &group[0].code;
                let code = *codes.entry(first.as_str()).or_insert_with(|| {
                    code_ids.push(first);
                    code_ids.len() as u32 - 1
                });
                let support = Codings::support_of(group.iter().copied(), policy);
                let flag = Flag {
                    code,
                    counted: support.is_some(),
                    reviewed: rests_on_review(support),
                };
                flags.extend(std::iter::repeat_n(flag, group.len()));
            }
        }
        RowIndex {
            doc_base,
            by_doc,
            starts,
            rows,
            other: other.into_iter().collect(),
            codes,
            code_ids,
            flags,
            policy,
        }
    }

    /// Each code's counted turns (a row of the code counts on them under
    /// the policy), participant turns only, in corpus order: one pass over
    /// the flags, no row read.
    pub(crate) fn counted_by_code<'c>(
        &self,
        corpus: &'c Corpus,
    ) -> BTreeMap<SharedStr, Vec<&'c Segment>> {
        let mut by: Vec<Vec<&Segment>> = vec![Vec::new(); self.code_ids.len()];
        self.each_counted_turn(corpus, |s, codes| {
            for &(code, _) in codes {
                by[code as usize].push(s);
            }
        });
        self.code_ids
            .iter()
            .zip(by)
            .filter(|(_, segs)| !segs.is_empty())
            .map(|(code, segs)| ((*code).clone(), segs))
            .collect()
    }

    /// Every participant turn with a counted row, in corpus order, with
    /// the numbers of the codes counted on it (each once) and whether each
    /// rests on a person's review.
    pub(crate) fn each_counted_turn<'c>(
        &self,
        corpus: &'c Corpus,
        mut f: impl FnMut(&'c Segment, &[(u32, bool)]),
    ) {
        let mut codes = Vec::new();
        for (g, s) in corpus.segments().enumerate() {
            if s.role() != spor_corpus::Role::Participant {
                continue;
            }
            let slots = &self.flags[self.starts[g] as usize..self.starts[g + 1] as usize];
            codes.clear();
            for group in slots.chunk_by(|a, b| a.code == b.code) {
                if group[0].counted {
                    codes.push((group[0].code, group[0].reviewed));
                }
            }
            if !codes.is_empty() {
                f(s, &codes);
            }
        }
    }

    /// The code of each code number.
    pub(crate) fn code_ids(&self) -> &[&'a SharedStr] {
        &self.code_ids
    }

    /// The global number of turn `seg`, found by its document's place; `None`
    /// for a turn that is not one of the corpus's own (a copy, or a turn of
    /// another corpus).
    fn place(&self, corpus: &Corpus, seg: &Segment) -> Option<usize> {
        let &(d, base) = self
            .by_doc
            .get(&(std::sync::Arc::as_ptr(&seg.doc) as usize))?;
        let t = (seg.turn as usize).checked_sub(1)?;
        let own = corpus.documents.get(d as usize)?.segments.get(t)?;
        std::ptr::eq(own, seg).then_some(base as usize + t)
    }

    /// Whether the rows of `code` on turn `seg` rest on a person's review,
    /// or none of them counts, under the policy given to [`RowIndex::new`].
    pub(crate) fn reviewed_at(&self, corpus: &Corpus, seg: &Segment, code: &str) -> bool {
        let Some(g) = self.place(corpus, seg) else {
            let rows = self.of(corpus, &seg.segment, code);
            return rests_on_review(Codings::support_of(rows.iter().copied(), self.policy));
        };
        let Some(&c) = self.codes.get(code) else {
            return true; // no row has the code
        };
        let slots = &self.flags[self.starts[g] as usize..self.starts[g + 1] as usize];
        slots
            .iter()
            .find(|f| f.code == c)
            .is_none_or(|f| f.reviewed)
    }

    /// The rows of one segment and code, in row order.
    pub(crate) fn of(&self, corpus: &Corpus, segment: &str, code: &str) -> &[&'a Coding] {
        let Some((d, t)) = corpus.position(segment) else {
            return match self
                .other
                .binary_search_by(|(k, _)| (k.0, k.1).cmp(&(segment, code)))
            {
                Ok(i) => &self.other[i].1,
                Err(_) => &[],
            };
        };
        let g = (self.doc_base[d] + t as u32) as usize;
        Self::of_code(
            &self.rows[self.starts[g] as usize..self.starts[g + 1] as usize],
            code,
        )
    }

    /// [`RowIndex::of`] for a turn of the corpus, found by its document's
    /// place instead of its id.
    pub(crate) fn of_segment(&self, corpus: &Corpus, seg: &Segment, code: &str) -> &[&'a Coding] {
        let Some(g) = self.place(corpus, seg) else {
            return self.of(corpus, &seg.segment, code);
        };
        let Some(&c) = self.codes.get(code) else {
            return &[]; // no row has the code
        };
        // the code's rows found by the flags beside them: no row is read
        let start = self.starts[g] as usize;
        let slots = &self.flags[start..self.starts[g + 1] as usize];
        let Some(first) = slots.iter().position(|f| f.code == c) else {
            return &[];
        };
        let len = slots[first..].iter().take_while(|f| f.code == c).count();
        &self.rows[start + first..start + first + len]
    }

    /// The rows of `code` among one turn's rows.
    fn of_code<'r>(turn: &'r [&'a Coding], code: &str) -> &'r [&'a Coding] {
        let Some(first) = turn.iter().position(|r| same(&r.code, code)) else {
            return &[];
        };
        let len = turn[first..]
            .iter()
            .take_while(|r| same(&r.code, code))
            .count();
        &turn[first..first + len]
    }

    /// Every (segment, code) with rows, and its rows: the corpus's turns in
    /// order, then the others by segment id and code.
    pub(crate) fn groups(&self) -> impl Iterator<Item = &[&'a Coding]> {
        self.starts
            .windows(2)
            .flat_map(|w| self.rows[w[0] as usize..w[1] as usize].chunk_by(|a, b| a.code == b.code))
            .chain(self.other.iter().map(|(_, rows)| rows.as_slice()))
    }
}

/// Whether rows with this support rest on a person's review, or none of
/// them counts (then nothing unreviewed is counted).
pub(crate) fn rests_on_review(support: Option<Support>) -> bool {
    support.is_none_or(|s| s == Support::Reviewed)
}

/// What one turn's rows of one code come to, kept beside each of them.
#[derive(Clone, Copy)]
struct Flag {
    /// The code's number.
    code: u32,
    /// Whether a row counts under the policy.
    counted: bool,
    /// Whether they rest on a person's review, or none counts.
    reviewed: bool,
}

/// Whether two ids are equal; ids shared from one string (the rows' codes
/// and the evidence's) are told by their address, without a comparison.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a == b)
}

/// Whether each code's rows in a turn are next to each other.
fn grouped_by_code(turn: &[&Coding]) -> bool {
    if turn.len() < 3 {
        return true;
    }
    // a code seen before, not just before: out of group
    for (i, r) in turn.iter().enumerate().skip(1) {
        if r.code != turn[i - 1].code && turn[..i - 1].iter().any(|p| p.code == r.code) {
            return false;
        }
    }
    true
}
