//! Rule suggestions: every rule of every codebook, run through the index.

use crate::cache::{Cache, CacheReport, RuleEntry, rule_key};
use crate::gather::RuleResult;
use crate::{CodingError, Result};
use spor_codebook::CodebookSet;
use spor_corpus::{Corpus, Segment, SharedStr};
use spor_index::{ClauseMatcher, Filters, Highlighter, SegmentIndex};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// A code suggested on a segment by a codebook's rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Segment id.
    pub segment: SharedStr,
    /// Code id.
    pub code: SharedStr,
    /// Codebook id.
    pub codebook: SharedStr,
    /// The first rule (in file order) that matched.
    pub rule: SharedStr,
    /// Every rule of the code that matched, in file order, separated by
    /// spaces.
    pub rules: SharedStr,
    /// The words that triggered the rules (lowercased, sorted, distinct),
    /// separated by spaces; a code's suggestions with the same words share
    /// one string.
    pub matched: SharedStr,
    /// How many distinct words of the turn the code's matching rules
    /// matched (the length of `matched`). It depends on the turn alone, so
    /// it never changes when other documents are added, unlike a BM25
    /// score.
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
/// code order. No cache: every rule runs over the whole index.
pub fn suggest(
    index: &SegmentIndex,
    corpus: &Corpus,
    books: &CodebookSet,
) -> Result<Vec<Suggestion>> {
    Ok(suggest_cached(index, corpus, books, None, &|| ())?.0)
}

/// [`suggest`], reusing and updating the suggestion cache at `cache` (see
/// [`crate::cache`]): a rule that has not changed keeps its results for
/// the documents that have not changed and runs only on the others. The
/// result is the same as without a cache. `tick` is called after each rule.
pub fn suggest_cached(
    index: &SegmentIndex,
    corpus: &Corpus,
    books: &CodebookSet,
    cache: Option<&Path>,
    tick: &(dyn Fn() + Sync),
) -> Result<(Vec<Suggestion>, CacheReport)> {
    suggest_as(index, corpus, books, cache, tick, |s| s)
}

/// [`suggest_cached`], each suggestion made into a `T` (a coding row) as
/// soon as it is found, so that a study's millions of suggestions are never
/// held twice, once as suggestions and once as rows.
pub(crate) fn suggest_as<T>(
    index: &SegmentIndex,
    corpus: &Corpus,
    books: &CodebookSet,
    cache: Option<&Path>,
    tick: &(dyn Fn() + Sync),
    make: impl Fn(Suggestion) -> T,
) -> Result<(Vec<T>, CacheReport)> {
    use rayon::prelude::*;
    let keys = index.document_keys();
    // An in-memory index has no document keys: nothing to cache against.
    let cache = cache.filter(|_| !keys.is_empty());
    let (mut old, read_error) = cache.map(Cache::load).unwrap_or_default();
    let mut report = CacheReport {
        read_error,
        ..CacheReport::default()
    };
    // Each rule with its cached entry, if it has one.
    let mut jobs = Vec::new();
    for (book, code) in books.codes() {
        for rule in &code.rules {
            let key = rule_key(book, code, rule);
            let cached = old.rules.remove(&key).filter(|_| cache.is_some());
            match &cached {
                Some(_) => report.rules_reused += 1,
                None => report.rules_run += 1,
            }
            jobs.push((book, code, rule, key, cached));
        }
    }
    // Documents added or changed since the cache was written (every cached
    // rule ran on the versions it lists)
    let stale: Vec<String> = keys
        .iter()
        .filter(|(d, k)| old.documents.get(*d) != Some(*k))
        .map(|(d, _)| d.clone())
        .collect();
    // Rules run in parallel; the results are put together in file order.
    let mut done: Vec<RuleResult> = jobs
        .into_par_iter()
        .map(|(_, _, rule, key, cached)| {
            let r = rule_entry(index, corpus, rule, cached, keys, &stale).map(|(e, n)| (key, e, n));
            tick();
            r
        })
        .collect::<Result<_>>()?;
    for (_, _, stale) in &done {
        report.documents_rerun = report.documents_rerun.max(*stale);
    }
    // A cache that would be written back unchanged is not written.
    let unchanged = report.rules_run == 0
        && report.documents_rerun == 0
        && old.rules.is_empty()
        && old.documents == *keys;
    let save = cache.filter(|_| !unchanged);
    drop(old);
    let mut new = Cache::default();
    if save.is_some() {
        new.documents = keys.clone();
    }
    let out = crate::gather::suggestions(corpus, books, &mut done, save.is_some(), make);
    if let Some(path) = save {
        new.rules = done
            .into_iter()
            .map(|(key, entry, _)| (key, entry))
            .collect();
        if let Err(e) = new.save(path) {
            report.write_error = Some(e.to_string());
        }
    }
    Ok((out, report))
}

/// A rule's results for every document of the index now: the cached entry
/// kept for the documents that have not changed (`stale` lists those that
/// have, or are new) and the rule run on the others, or the rule run on all
/// without a cached entry. Also returns how many documents it ran on again.
fn rule_entry(
    index: &SegmentIndex,
    corpus: &Corpus,
    rule: &spor_codebook::Rule,
    cached: Option<RuleEntry>,
    keys: &BTreeMap<String, String>,
    stale: &[String],
) -> Result<(RuleEntry, usize)> {
    match cached {
        Some(mut e) => {
            let rerun: BTreeSet<&str> = stale.iter().map(String::as_str).collect();
            e.docs
                .retain(|d, _| keys.contains_key(d.as_str()) && !rerun.contains(d.as_str()));
            if !stale.is_empty() {
                e.absorb(run_rule(index, corpus, rule, Some(stale))?);
            }
            Ok((e, stale.len()))
        }
        None => Ok((run_rule(index, corpus, rule, None)?, 0)),
    }
}

/// Run one rule over the index, or over the documents `only`.
fn run_rule(
    index: &SegmentIndex,
    corpus: &Corpus,
    rule: &spor_codebook::Rule,
    only: Option<&[String]>,
) -> Result<RuleEntry> {
    let mut attrs: Vec<(String, Vec<String>)> = rule
        .scope
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Some(docs) = only {
        attrs.push(("document".to_owned(), docs.to_vec()));
    }
    let filters = Filters {
        roles: rule.roles.clone(),
        attrs,
    };
    let mut entry = RuleEntry::default();
    let mut seen = HashMap::new();
    let mut hl = Highlighter::new(&rule.query);
    let mut clauses = ClauseMatcher::new(&rule.query);
    let mut record = |seg: &Segment, words: String| {
        entry.push(&mut seen, seg.document(), seg.turn, words);
    };
    match index.candidates(&clauses)? {
        // the matched words from the index's positions of the query's
        // forms; the turn's text is read only should the two ever disagree
        Some(c) => index.for_each_match(&rule.query, &filters, &c, |id, occ| {
            let Some(seg) = corpus.segment(id) else {
                return;
            };
            let words = match clauses.words_at(&c.forms, occ, &|n, v| has_attr(seg, n, v)) {
                Some(w) => w.join(" "),
                None => words_of(&mut clauses, &mut hl, seg).join(" "),
            };
            record(seg, words);
        })?,
        None => {
            for hit in index.search(&rule.query, &filters, None)? {
                if let Some(seg) = corpus.segment(&hit.segment) {
                    let words = words_of(&mut clauses, &mut hl, seg).join(" ");
                    record(seg, words);
                }
            }
        }
    }
    for hits in entry.docs.values_mut() {
        hits.sort_unstable();
    }
    Ok(entry)
}

/// Whether a segment's attribute `name` has the value a query asks for
/// (case-insensitive; a prefix for `value*`).
fn has_attr(seg: &Segment, name: &str, value: &spor_query::AttrValue) -> bool {
    let Some(have) = seg.attribute(name) else {
        return false;
    };
    let have = have.to_lowercase();
    match value {
        spor_query::AttrValue::Exact(v) => have == v.to_lowercase(),
        spor_query::AttrValue::Prefix(v) => have.starts_with(&v.to_lowercase()),
    }
}

/// Rank of every segment id in document (sheet) and turn order.
pub fn segment_order(corpus: &Corpus) -> HashMap<&str, usize> {
    corpus
        .segments()
        .enumerate()
        .map(|(i, s)| (s.segment.as_str(), i))
        .collect()
}

/// The distinct lowercased words of a segment that the rule's true clauses
/// matched, read from its text ([`ClauseMatcher`], the rule's query prepared
/// once), sorted: an `OR`'s branches that did not match and `NOT` clauses
/// give no word. Used when the index cannot give them (a wildcard fitting
/// more than [`spor_index::matched::MAX_CANDIDATES`] forms) and as a
/// safeguard should the index's positions make the query false.
/// Phrases and proximity are matched on the index's positions by the same
/// rule the per-turn reading follows (words in order, at most N others in
/// all), and a property test checks the two agree; should they ever
/// disagree, the highlighter's words are used rather than none.
fn words_of(clauses: &mut ClauseMatcher, hl: &mut Highlighter, seg: &Segment) -> Vec<String> {
    let attr = |name: &str, value: &spor_query::AttrValue| has_attr(seg, name, value);
    let text = &seg.text;
    let ranges = match clauses.byte_ranges(text, &attr) {
        Some(r) => r,
        None => {
            // the highlighter's ranges are in chars
            let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            let byte = |c: usize| starts.get(c).copied().unwrap_or(text.len());
            hl.ranges(text)
                .into_iter()
                .map(|(a, b)| (byte(a), byte(b)))
                .collect()
        }
    };
    let w: BTreeSet<String> = ranges
        .into_iter()
        .map(|(a, b)| text[a..b].to_lowercase())
        .collect();
    w.into_iter().collect()
}
