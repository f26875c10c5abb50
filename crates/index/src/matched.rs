//! Which words made each turn match a query, read from the index instead
//! of re-tokenising every hit's text.
//!
//! A rule's suggestion lists the words it matched. [`ClauseMatcher`] finds
//! them on a turn's own text; over a whole study that tokenised every hit
//! again and was most of `spor code`'s time. Here the same answer comes
//! from the index:
//!
//! 1. [`SegmentIndex::candidates`]: the exact forms of the index that can
//!    take part in the query (its exact words, every form whose key is one
//!    of its stemmed words, every form a wildcard fits), looked up once per
//!    query in the sorted word list and its key map.
//! 2. [`SegmentIndex::for_each_match`]: every live turn the query matches,
//!    in index order, with the positions of those forms in it, read from
//!    the exact field's postings (a merge over the candidates' postings,
//!    not a search per turn).
//! 3. [`ClauseMatcher::words_at`]: the query evaluated on those positions,
//!    exactly as [`ClauseMatcher::byte_ranges`] evaluates it on the turn's
//!    tokens (positions are token numbers in both), giving the forms of the
//!    true clauses. A property test checks that both give the same words.
//!
//! ```no_run
//! use spor_index::{ClauseMatcher, Filters, SegmentIndex};
//! let index = SegmentIndex::open("examples/sundtek/.spor/index".as_ref())?;
//! let q = spor_query::parse("teknologi* AND NOT \"ikke nogen\"").unwrap();
//! let mut m = ClauseMatcher::new(&q);
//! if let Some(c) = index.candidates(&m)? {
//!     index.for_each_match(&q, &Filters::default(), &c, |turn, occ| {
//!         println!("{turn}: {:?}", m.words_at(&c.forms, occ, &|_, _| false));
//!     })?;
//! }
//! # Ok::<(), spor_index::IndexError>(())
//! ```

use crate::clauses::{Affix, ClauseMatcher};
use crate::index::SegmentIndex;
use crate::search::Filters;
use crate::{IndexError, Result};
use spor_query::Query;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::EnableScoring;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, TERMINATED, Term};

/// More candidate forms than this (a wildcard fitting much of the
/// vocabulary): [`SegmentIndex::candidates`] gives `None`, and the caller
/// reads the hits' text instead; merging that many postings per turn would
/// cost more than tokenising.
pub const MAX_CANDIDATES: usize = 4096;

/// The forms of the index that can take part in one query
/// ([`SegmentIndex::candidates`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidates {
    /// The exact forms, sorted.
    pub forms: Vec<String>,
    /// Whether a clause is a sequence of words (phrase or proximity), so
    /// that the forms' positions matter and not only their presence.
    pub positions: bool,
}

fn tv(source: tantivy::TantivyError) -> IndexError {
    IndexError::Tantivy {
        path: Default::default(),
        source,
    }
}

impl SegmentIndex {
    /// The exact forms of the index that can make a clause of `m`'s query
    /// true, sorted; `None` when there are more than [`MAX_CANDIDATES`].
    pub fn candidates(&self, m: &ClauseMatcher) -> Result<Option<Candidates>> {
        let terms = self.exact_terms()?;
        let keys = self.term_keys()?;
        let mut idx: Vec<usize> = Vec::new();
        for f in m.forms.keys() {
            if let Ok(i) = terms.binary_search(f) {
                idx.push(i);
            }
        }
        if !m.keys.is_empty() {
            let by_key = self.key_terms()?;
            for k in m.keys.keys() {
                if let Some(v) = by_key.get(k.as_str()) {
                    idx.extend(v.iter().map(|&i| i as usize));
                }
            }
        }
        for a in &m.affixes {
            match a {
                Affix::Prefix(t) => {
                    let from = terms.partition_point(|w| w.as_str() < t.as_str());
                    let to = from + terms[from..].partition_point(|w| w.starts_with(t.as_str()));
                    idx.extend(from..to);
                }
                Affix::Infix(t) => {
                    idx.extend((0..terms.len()).filter(|&i| terms[i].contains(t.as_str())));
                }
                Affix::Suffix(t, tk) => idx.extend(
                    (0..terms.len())
                        .filter(|&i| crate::analyzer::suffix_match(&terms[i], &keys[i], t, tk)),
                ),
            }
            if idx.len() > 4 * MAX_CANDIDATES {
                return Ok(None);
            }
        }
        idx.sort_unstable();
        idx.dedup();
        if idx.len() > MAX_CANDIDATES {
            return Ok(None);
        }
        Ok(Some(Candidates {
            forms: idx.into_iter().map(|i| terms[i].clone()).collect(),
            positions: m.needs_positions(),
        }))
    }

    /// Call `f` for every live turn that `q` and `filters` match, in index
    /// order, with the positions of the candidate forms in its exact field:
    /// `(position, number of the form in c.forms)`, sorted by position.
    /// Without [`Candidates::positions`], the forms the turn holds are
    /// numbered 0, 1, ... in order instead of their positions.
    pub fn for_each_match(
        &self,
        q: &Query,
        filters: &Filters,
        c: &Candidates,
        mut f: impl FnMut(&str, &[(u32, u32)]),
    ) -> Result<()> {
        let forms = &c.forms;
        let query = self.filtered(q, filters)?;
        let searcher = self.searcher();
        let weight = query
            .weight(EnableScoring::disabled_from_searcher(&searcher))
            .map_err(tv)?;
        let terms: Vec<Term> = forms
            .iter()
            .map(|w| Term::from_field_text(self.fields.exact, w))
            .collect();
        // only a phrase or proximity needs where its words stand; every
        // other clause needs only which forms a turn holds
        let positions = c.positions;
        let option = if positions {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::Basic
        };
        let mut occ: Vec<(u32, u32)> = Vec::new();
        let mut buf: Vec<u32> = Vec::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let alive = reader.alive_bitset();
            let mut docs: Vec<DocId> = Vec::new();
            let mut scorer = weight.scorer(reader, 1.0).map_err(tv)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    docs.push(doc);
                }
                doc = scorer.advance();
            }
            if docs.is_empty() {
                continue;
            }
            let addrs: Vec<tantivy::DocAddress> = docs
                .iter()
                .map(|&d| tantivy::DocAddress::new(ord as u32, d))
                .collect();
            let ids = self.segment_ids(&searcher, &addrs)?;
            let inverted = reader.inverted_index(self.fields.exact).map_err(tv)?;
            // (turn, position, form) of every candidate form in a turn hit
            let mut all: Vec<(u32, u32, u32)> = Vec::new();
            for (k, t) in terms.iter().enumerate() {
                let p = inverted
                    .read_postings(t, option)
                    .map_err(|source| IndexError::Io {
                        path: Default::default(),
                        source,
                    })?;
                if let Some(mut p) = p {
                    merge(&mut p, &docs, positions, k as u32, &mut buf, &mut all);
                }
            }
            all.sort_unstable();
            let mut at = 0;
            for (i, id) in ids.iter().enumerate() {
                occ.clear();
                while let Some(&(hit, pos, k)) = all.get(at) {
                    if hit as usize != i {
                        break;
                    }
                    // without positions, the forms present stand in order
                    let pos = if positions { pos } else { occ.len() as u32 };
                    occ.push((pos, k));
                    at += 1;
                }
                f(id, &occ);
            }
        }
        Ok(())
    }
}

/// Walk one form's postings `p` along the sorted turns `docs` the query
/// hit, adding `(turn number in docs, position, k)` to `out` for each
/// position of the form in a hit turn (one entry with position 0 when
/// `positions` is false).
fn merge(
    p: &mut SegmentPostings,
    docs: &[DocId],
    positions: bool,
    k: u32,
    buf: &mut Vec<u32>,
    out: &mut Vec<(u32, u32, u32)>,
) {
    let mut i = 0;
    let mut d = p.doc();
    while d != TERMINATED && i < docs.len() {
        let want = docs[i];
        if d < want {
            d = p.seek(want);
        } else if d > want {
            i += docs[i..].partition_point(|&x| x < d);
        } else {
            if positions {
                buf.clear();
                p.positions(buf);
                out.extend(buf.iter().map(|&pos| (i as u32, pos, k)));
            } else {
                out.push((i as u32, 0, k));
            }
            i += 1;
            d = p.advance();
        }
    }
}
