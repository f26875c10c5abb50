//! Rule suggestions: every rule of every codebook, run through the index.

use crate::{CodingError, Result};
use spor_codebook::CodebookSet;
use spor_corpus::{Corpus, Segment};
use spor_index::{Filters, SegmentIndex, highlights};
use std::collections::{BTreeMap, BTreeSet};

/// A code suggested on a segment by a codebook's rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Segment id.
    pub segment: String,
    /// Code id.
    pub code: String,
    /// Codebook id.
    pub codebook: String,
    /// The first rule (in file order) that matched.
    pub rule: String,
    /// Every rule of the code that matched, in file order.
    pub rules: Vec<String>,
    /// The words that triggered the rules (lowercased, sorted, distinct).
    pub matched: Vec<String>,
    /// The best BM25 score of the matching rules.
    pub score: f32,
}

/// Check that every rule can run on this study: attribute names in rule
/// queries and scopes must exist.
pub fn check_rules(books: &CodebookSet, known: &[&str]) -> Result<()> {
    for (book, code) in books.codes() {
        for r in &code.rules {
            let err = |message: String| CodingError::Rule {
                path: book.path.clone(),
                line: r.line,
                rule: r.id.clone(),
                message,
            };
            if let Err(e) = spor_query::validate(&r.query, known) {
                return Err(err(format!(
                    "{}{}",
                    e.message,
                    e.hint.map(|h| format!(" ({h})")).unwrap_or_default()
                )));
            }
            for name in r.scope.keys() {
                if !known.contains(&name.as_str()) {
                    return Err(err(format!(
                        "unknown attribute {name:?} in `where` (known: {})",
                        known.join(", ")
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Run every rule; one suggestion per (segment, code), in segment order then
/// code order.
pub fn suggest(
    index: &SegmentIndex,
    corpus: &Corpus,
    books: &CodebookSet,
) -> Result<Vec<Suggestion>> {
    let mut out: Vec<Suggestion> = Vec::new();
    for (book, code) in books.codes() {
        let mut per_segment: BTreeMap<(String, usize), Suggestion> = BTreeMap::new();
        for rule in &code.rules {
            let filters = Filters {
                roles: rule.roles.clone(),
                attrs: rule
                    .scope
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            };
            for hit in index.search(&rule.query, &filters, None)? {
                let Some(seg) = corpus.segment(&hit.segment) else {
                    continue;
                };
                let words = matched_words(seg, &rule.query);
                let key = spor_index::natural_key(&hit.segment);
                let s = per_segment.entry(key).or_insert_with(|| Suggestion {
                    segment: hit.segment.clone(),
                    code: code.id.clone(),
                    codebook: book.id.clone(),
                    rule: rule.id.clone(),
                    rules: Vec::new(),
                    matched: Vec::new(),
                    score: hit.score,
                });
                s.rules.push(rule.id.clone());
                s.score = s.score.max(hit.score);
                let mut m: BTreeSet<String> = s.matched.drain(..).collect();
                m.extend(words);
                s.matched = m.into_iter().collect();
            }
        }
        out.extend(per_segment.into_values());
    }
    let order = segment_order(corpus);
    let code_order: BTreeMap<&str, usize> = books
        .codes()
        .enumerate()
        .map(|(i, (_, c))| (c.id.as_str(), i))
        .collect();
    out.sort_by_key(|s| {
        (
            order.get(&s.segment).copied(),
            code_order.get(s.code.as_str()).copied(),
        )
    });
    Ok(out)
}

/// Rank of every segment id in document (sheet) and turn order.
pub fn segment_order(corpus: &Corpus) -> BTreeMap<String, usize> {
    corpus
        .segments()
        .enumerate()
        .map(|(i, s)| (s.segment.clone(), i))
        .collect()
}

/// The words of a segment that a query's positive terms match.
pub fn matched_words(seg: &Segment, q: &spor_query::Query) -> Vec<String> {
    let chars: Vec<char> = seg.text.chars().collect();
    let mut w: BTreeSet<String> = BTreeSet::new();
    for (a, b) in highlights(&seg.text, q) {
        w.insert(chars[a..b].iter().collect::<String>().to_lowercase());
    }
    w.into_iter().collect()
}
