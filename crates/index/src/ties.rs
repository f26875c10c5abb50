//! Ties among the best hits, broken without looking every tied hit up.
//!
//! A search keeps the best `limit` hits by score and breaks ties by segment
//! order: document id, then turn number. A phrase's hits often all score
//! the same (thousands at 1 GB), and looking each one's segment id up in
//! the dictionary of ids was most of such a query's time. Only a few of
//! them can make the cut, and the dictionary's order tells which.

use crate::error::{IndexError, Result};
use tantivy::{DocAddress, Score};

/// Of `top` (the best `limit` hits and every hit tied with the last of
/// them, as `scored::keep_best` leaves them), the hits that can still be
/// among the best `limit` once ties are broken by segment order: every
/// hit scoring above the last, and of those tied with it, in each index
/// segment, as many as the best still need (`limit` less those above) by
/// segment id, and the rest of the last one's document.
///
/// A segment id is `<document>#<turn>`, and a document id uses only
/// `A-Z a-z 0-9 . _ -`, all of which sort after `#`. So in an index
/// segment's dictionary of ids (sorted as bytes) each document's turns are
/// one run, the runs in document order; only the turns within a run are
/// out of numeric order (`#10` before `#9`), so the run of the last hit
/// taken is taken whole. No study lets a document id outside that
/// alphabet in (documents.csv is checked); should the last hit taken have
/// one, every tied hit of its index segment is a contender, as before.
pub(crate) fn contenders(
    searcher: &tantivy::Searcher,
    top: Vec<(Score, DocAddress)>,
    limit: usize,
) -> Result<Vec<(Score, DocAddress)>> {
    if limit == 0 || top.len() <= limit {
        return Ok(top);
    }
    let cut = top
        .iter()
        .map(|h| h.0)
        .min_by(|a, b| a.total_cmp(b))
        .expect("more hits than the limit");
    let (mut out, tied): (Vec<_>, Vec<_>) =
        top.into_iter().partition(|h| h.0.total_cmp(&cut).is_gt());
    let need = limit.saturating_sub(out.len());
    if need == 0 || tied.len() <= need {
        out.extend(tied);
        return Ok(out);
    }
    let io = |e| IndexError::Io {
        path: Default::default(),
        source: e,
    };
    // the tied hits of each index segment with their ids' term ordinals
    let mut by_segment: std::collections::BTreeMap<u32, Vec<(u64, Score, DocAddress)>> =
        std::collections::BTreeMap::new();
    let mut columns = std::collections::HashMap::new();
    for (score, addr) in tied {
        let col = match columns.entry(addr.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(id_column(searcher, addr.segment_ord)?)
            }
        };
        match col.term_ords(addr.doc_id).next() {
            Some(ord) => by_segment
                .entry(addr.segment_ord)
                .or_default()
                .push((ord, score, addr)),
            // no id to order by: left to the caller, as before
            None => out.push((score, addr)),
        }
    }
    for (seg, mut hits) in by_segment {
        hits.sort_unstable_by_key(|h| h.0);
        let dict = columns[&seg].dictionary();
        let take = if hits.len() <= need {
            hits.len()
        } else {
            // the document of the `need`-th hit, then how far its run goes
            let mut last = Vec::new();
            dict.sorted_ords_to_term_cb(&[hits[need - 1].0], |b| {
                last = b.to_vec();
            })
            .map_err(io)?;
            match document_of(&last) {
                None => hits.len(),
                Some(doc) => {
                    let mut end = need;
                    let mut more = true;
                    while more && end < hits.len() {
                        let chunk: Vec<u64> = hits[end..(end + 64).min(hits.len())]
                            .iter()
                            .map(|h| h.0)
                            .collect();
                        dict.sorted_ords_to_term_cb(&chunk, |b| {
                            if more && document_of(b) == Some(doc) {
                                end += 1;
                            } else {
                                more = false;
                            }
                        })
                        .map_err(io)?;
                    }
                    end
                }
            }
        };
        out.extend(hits[..take].iter().map(|&(_, score, addr)| (score, addr)));
    }
    Ok(out)
}

/// The segment ids of index segment `ord` (the `segment` fast field).
pub(crate) fn id_column(
    searcher: &tantivy::Searcher,
    ord: tantivy::SegmentOrdinal,
) -> Result<tantivy::columnar::StrColumn> {
    let column = searcher
        .segment_reader(ord)
        .fast_fields()
        .str("segment")
        .map_err(|source| IndexError::Tantivy {
            path: Default::default(),
            source,
        })?;
    Ok(column.expect("segment is a fast field"))
}

/// The document part of a segment id, when it is in the alphabet whose
/// order [`contenders`] relies on.
fn document_of(id: &[u8]) -> Option<&[u8]> {
    let at = id.iter().rposition(|&b| b == b'#')?;
    let doc = &id[..at];
    doc.iter()
        .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        .then_some(doc)
}

#[cfg(test)]
mod tests {
    use super::document_of;

    #[test]
    fn a_document_is_what_comes_before_the_last_hash() {
        assert_eq!(document_of(b"int-01#12"), Some(&b"int-01"[..]));
        assert_eq!(document_of(b"ws_2.a#1"), Some(&b"ws_2.a"[..]));
        assert_eq!(document_of(b"no turn"), None);
        assert_eq!(document_of(b"a b#1"), None);
    }
}
