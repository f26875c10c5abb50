//! A query over a fixed set of documents, per index segment: how a phrase's
//! result set takes part in AND/OR/NOT (see `SegmentIndex::phrase`).

use std::collections::HashMap;
use std::sync::Arc;
use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{BitSet, DocId, Score, SegmentReader, TantivyError};

/// Matches exactly the given documents of each index segment, with a
/// constant score (like tantivy's term-set query, without building a
/// dictionary of segment ids for every query).
#[derive(Clone, Debug)]
pub(crate) struct DocSetQuery {
    sets: Arc<HashMap<SegmentId, Vec<DocId>>>,
}

impl DocSetQuery {
    /// The documents of each index segment (need not be sorted).
    pub(crate) fn new(sets: HashMap<SegmentId, Vec<DocId>>) -> Self {
        DocSetQuery {
            sets: Arc::new(sets),
        }
    }
}

impl Query for DocSetQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(DocSetWeight {
            sets: self.sets.clone(),
        }))
    }
}

struct DocSetWeight {
    sets: Arc<HashMap<SegmentId, Vec<DocId>>>,
}

impl Weight for DocSetWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let Some(docs) = self.sets.get(&reader.segment_id()) else {
            return Ok(Box::new(EmptyScorer));
        };
        let mut set = BitSet::with_max_value(reader.max_doc());
        for &d in docs {
            if d < reader.max_doc() {
                set.insert(d);
            }
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(set), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let hit = self
            .sets
            .get(&reader.segment_id())
            .is_some_and(|d| d.contains(&doc));
        if hit {
            Ok(Explanation::new("in the phrase's documents", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )))
        }
    }
}
