//! A collector of every hit with its score, in one pass: what
//! [`SegmentIndex::search_total`](crate::SegmentIndex::search_total) needs
//! to count the hits and pick the best `limit` of them with every hit tied
//! with the last (tantivy's `TopDocs` would break those ties by index
//! layout). Selecting the cut from the plain list is linear, where a
//! top-n of every hit sorts them all, and the query runs once instead of
//! once to count and once to rank.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// Every live hit and its score, in index order.
pub(crate) struct AllScored;

/// One index segment's hits.
pub(crate) struct SegmentScored {
    ord: SegmentOrdinal,
    hits: Vec<(Score, DocAddress)>,
}

impl Collector for AllScored {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentScored;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentScored> {
        Ok(SegmentScored {
            ord,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(Score, DocAddress)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for SegmentScored {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.hits.push((score, DocAddress::new(self.ord, doc)));
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
    }
}

/// Keep the best `limit` hits by score and every hit tied with the last of
/// them, in no particular order (`limit` 0 or at least the number of hits:
/// all of them).
pub(crate) fn keep_best(hits: &mut Vec<(Score, DocAddress)>, limit: usize) {
    if limit == 0 || limit >= hits.len() {
        return;
    }
    hits.select_nth_unstable_by(limit - 1, |a, b| b.0.total_cmp(&a.0));
    let cut = hits[limit - 1].0;
    hits.retain(|(s, _)| s.total_cmp(&cut).is_ge());
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same hits as sorting them all and cutting after the last tie.
        #[test]
        fn keeps_the_best_and_their_ties(
            scores in prop::collection::vec(0u8..6, 0..40),
            limit in 0usize..45,
        ) {
            let mut hits: Vec<(Score, DocAddress)> = scores
                .iter()
                .enumerate()
                .map(|(i, &s)| (f32::from(s), DocAddress::new(0, i as u32)))
                .collect();
            let mut want = hits.clone();
            want.sort_by(|a, b| b.0.total_cmp(&a.0));
            if limit > 0 && limit < want.len() {
                let cut = want[limit - 1].0;
                let keep = want.partition_point(|(s, _)| *s >= cut);
                want.truncate(keep);
            }
            keep_best(&mut hits, limit);
            let key = |v: &[(Score, DocAddress)]| {
                let mut d: Vec<u32> = v.iter().map(|h| h.1.doc_id).collect();
                d.sort();
                d
            };
            prop_assert_eq!(key(&hits), key(&want));
        }
    }
}
