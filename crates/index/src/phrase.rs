//! Phrases and proximity (`"a b"`, `"a b"~N`, `="a b"`) matched on the
//! index's term positions by spor's own code rather than tantivy's
//! `PhraseQuery`, with spor's documented meaning: the words in order, with
//! at most N extra positions in all (not per pair) between the first and
//! the last. This is exactly what [`crate::clauses`] checks on a turn's
//! own tokens, so a turn the index matches always has matched words, and
//! the answer depends only on each document's positions, never on how the
//! index is split into segments (tantivy 0.27's sloppy matcher lets words
//! move in both directions and was seen to answer differently on another
//! segment layout).
//!
//! Per index segment: each distinct term's postings are read with their
//! positions, the documents holding every term are found by seeking the
//! rarest term's documents into the others, deleted documents are skipped,
//! and each remaining document is decided on its positions
//! ([`in_order_within`]).

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, SegmentReader, TERMINATED, Term};

/// Whether the words `wanted` occur in order with at most `slop` extra
/// positions in all between the first and the last: `positions[t]` are the
/// sorted positions of distinct term `t` in one document, `wanted` the
/// query's words as indices into `positions` (a term may repeat).
///
/// From each position of the first word, the earliest later position of
/// each next word is taken: any other choice ends no earlier, and the
/// extra positions used are the span minus the words, so this is exact.
pub(crate) fn in_order_within(positions: &[Vec<u32>], wanted: &[usize], slop: u32) -> bool {
    let Some((&first, rest)) = wanted.split_first() else {
        return false;
    };
    'start: for &start in &positions[first] {
        let mut at = start;
        let mut used = 0u32;
        for &w in rest {
            let p = &positions[w];
            let i = p.partition_point(|&q| q <= at);
            let Some(&q) = p.get(i) else {
                // no later position of this word: no later start has one
                return false;
            };
            used += q - at - 1;
            if used > slop {
                continue 'start;
            }
            at = q;
        }
        return true;
    }
    false
}

/// The live documents of one index segment whose `field` holds `terms` in
/// order within `slop` extra positions (see [`in_order_within`]), sorted.
pub(crate) fn segment_matches(
    reader: &SegmentReader,
    field: Field,
    terms: &[Term],
    slop: u32,
) -> tantivy::Result<Vec<DocId>> {
    let mut distinct: Vec<&Term> = Vec::new();
    let wanted: Vec<usize> = terms
        .iter()
        .map(|t| match distinct.iter().position(|d| *d == t) {
            Some(i) => i,
            None => {
                distinct.push(t);
                distinct.len() - 1
            }
        })
        .collect();
    let inverted = reader.inverted_index(field)?;
    let mut postings: Vec<SegmentPostings> = Vec::with_capacity(distinct.len());
    for t in &distinct {
        match inverted.read_postings(t, IndexRecordOption::WithFreqsAndPositions)? {
            Some(p) => postings.push(p),
            None => return Ok(Vec::new()),
        }
    }
    // Seek from the rarest term: fewest candidates.
    let mut order: Vec<usize> = (0..postings.len()).collect();
    order.sort_by_key(|&i| (postings[i].doc_freq(), i));
    let alive = reader.alive_bitset();
    // With three words or more, the two rarest are checked first, and the
    // others' positions (a common word has many in a turn) are read only
    // when those two are close enough: the phrase's words without the
    // others, in order within `slop` plus one position per word left out,
    // is a necessary condition (the left-out words stand in between).
    let (first, rest) = order.split_at(if order.len() >= 3 { 2 } else { order.len() });
    let pre: Vec<usize> = wanted
        .iter()
        .copied()
        .filter(|w| first.contains(w))
        .collect();
    let pre_slop = slop + (wanted.len() - pre.len()) as u32;
    let mut positions: Vec<Vec<u32>> = vec![Vec::new(); postings.len()];
    let mut out = Vec::new();
    let mut doc = postings[order[0]].doc();
    'docs: while doc != TERMINATED {
        for &i in &order[1..] {
            // `seek` wants a target no earlier than where the postings are
            let d = match postings[i].doc() {
                d if d < doc => postings[i].seek(doc),
                d => d,
            };
            if d != doc {
                // the rarest term's next document from here on
                doc = postings[order[0]].seek(d);
                continue 'docs;
            }
        }
        if alive.is_none_or(|a| a.is_alive(doc)) {
            for &i in first {
                postings[i].positions(&mut positions[i]);
            }
            if rest.is_empty() || in_order_within(&positions, &pre, pre_slop) {
                for &i in rest {
                    postings[i].positions(&mut positions[i]);
                }
                if in_order_within(&positions, &wanted, slop) {
                    out.push(doc);
                }
            }
        }
        doc = postings[order[0]].advance();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every choice of one position per wanted word, increasing, with the
    /// span no longer than the words plus `slop`.
    fn oracle(tokens: &[u8], wanted: &[u8], slop: u32) -> bool {
        fn rec(tokens: &[u8], wanted: &[u8], idx: &mut [usize], depth: usize, slop: u32) -> bool {
            if depth == wanted.len() {
                let span = (idx[depth - 1] - idx[0]) as u32 + 1;
                return span - wanted.len() as u32 <= slop;
            }
            let from = if depth == 0 { 0 } else { idx[depth - 1] + 1 };
            for j in from..tokens.len() {
                if tokens[j] == wanted[depth] {
                    idx[depth] = j;
                    if rec(tokens, wanted, idx, depth + 1, slop) {
                        return true;
                    }
                }
            }
            false
        }
        rec(tokens, wanted, &mut vec![0; wanted.len()], 0, slop)
    }

    /// The positions of each distinct wanted word in `tokens`, and the
    /// wanted words as indices among them.
    fn positions_of(tokens: &[u8], wanted: &[u8]) -> (Vec<Vec<u32>>, Vec<usize>) {
        let mut distinct: Vec<u8> = Vec::new();
        let idx = wanted
            .iter()
            .map(|w| match distinct.iter().position(|d| d == w) {
                Some(i) => i,
                None => {
                    distinct.push(*w);
                    distinct.len() - 1
                }
            })
            .collect();
        let pos = distinct
            .iter()
            .map(|d| {
                (0..tokens.len() as u32)
                    .filter(|&i| tokens[i as usize] == *d)
                    .collect()
            })
            .collect();
        (pos, idx)
    }

    fn matches(text: &str, query: &str, slop: u32) -> bool {
        let t: Vec<u8> = text.split(' ').map(|w| w.as_bytes()[0]).collect();
        let q: Vec<u8> = query.split(' ').map(|w| w.as_bytes()[0]).collect();
        let (pos, idx) = positions_of(&t, &q);
        let got = in_order_within(&pos, &idx, slop);
        assert_eq!(got, oracle(&t, &q, slop), "{text:?} {query:?}~{slop}");
        got
    }

    #[test]
    fn repeated_words_use_the_later_occurrence() {
        // "der er ikke nogen ... der": `der` must come after `nogen`
        assert!(matches("d e i n x d", "i n d", 3));
        assert!(matches("d e i n x d", "i n d", 1));
        assert!(!matches("d e i n x y d", "i n d", 1));
        assert!(!matches("d e i n", "i n d", 3));
        // the same word twice needs two occurrences
        assert!(!matches("a b", "a a", 4));
        assert!(matches("a b a", "a a", 1));
        assert!(!matches("a b a", "a a", 0));
    }

    #[test]
    fn slop_counts_extra_positions_in_all() {
        assert!(matches("a x b x c", "a b c", 2));
        assert!(!matches("a x b x c", "a b c", 1));
        assert!(matches("a b x c", "a b c", 1));
        // in order only: no transpositions
        assert!(!matches("b a", "a b", 4));
        // a later start may succeed where an earlier one fails
        assert!(matches("a x x x a b", "a b", 0));
    }

    #[test]
    fn phrase_at_the_end_of_the_text() {
        assert!(matches("x y a b", "a b", 0));
        assert!(matches("x y a z b", "a b", 1));
        assert!(!matches("x y b a", "a b", 0));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn agrees_with_brute_force(
            tokens in prop::collection::vec(0u8..4, 0..18),
            wanted in prop::collection::vec(0u8..4, 2..=4),
            slop in 0u32..=4,
        ) {
            let (pos, idx) = positions_of(&tokens, &wanted);
            prop_assert_eq!(
                in_order_within(&pos, &idx, slop),
                oracle(&tokens, &wanted, slop)
            );
        }
    }
}
