//! Searching the index with spor's query language, and highlighting the
//! matches in a segment's text (in chars).

use crate::analyzer::{self, tokens};
use crate::index::SegmentIndex;
use crate::{IndexError, Result};
use spor_query::{AttrValue, Query};
use tantivy::Term;
use tantivy::collector::Count;
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, Query as TQuery, RegexQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

/// Restrictions besides the query: roles and attribute values.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Only these roles (empty: any role).
    pub roles: Vec<String>,
    /// Each entry: attribute name and the values it may have (any of them).
    pub attrs: Vec<(String, Vec<String>)>,
}

/// What one term of a query matched in the index (`spor search --explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// The term as written in spor's query language.
    pub term: String,
    /// Each exact form it matched and the number of segments holding it,
    /// most frequent first.
    pub forms: Vec<(String, u64)>,
}

/// A hit: the segment id and its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Segment id.
    pub segment: String,
    /// BM25 score.
    pub score: f32,
}

/// The cost limits of one query over the index, besides the static ones of
/// [`spor_query::check_cost`]: a wildcard is expanded to the words of the
/// index it matches, and one matching more than 512 words becomes a regex
/// run over the whole word list of every index segment, which is what made
/// a query of many wildcards take minutes.
#[derive(Default)]
struct Budget {
    regexes: std::cell::Cell<usize>,
    words: std::cell::Cell<usize>,
}

impl Budget {
    /// Wildcards of one query that may each match more than 512 words.
    const MAX_REGEXES: usize = 32;
    /// Words all wildcards of one query may expand to.
    const MAX_WORDS: usize = 65_536;

    fn regex(&self, pattern: &str) -> Result<()> {
        self.regexes.set(self.regexes.get() + 1);
        if self.regexes.get() > Self::MAX_REGEXES {
            return Err(IndexError::TooCostly {
                message: format!(
                    "more than {} of its wildcards match over 512 words each (the last: /{pattern}/)",
                    Self::MAX_REGEXES
                ),
            });
        }
        Ok(())
    }

    fn words(&self, n: usize) -> Result<()> {
        self.words.set(self.words.get() + n);
        if self.words.get() > Self::MAX_WORDS {
            return Err(IndexError::TooCostly {
                message: format!(
                    "its wildcards match more than {} words of the index",
                    Self::MAX_WORDS
                ),
            });
        }
        Ok(())
    }
}

fn escape_regex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~\"<>@".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl SegmentIndex {
    fn terms(&self, field: Field, exact: bool, text: &str) -> Vec<Term> {
        let mut a = if exact {
            analyzer::exact()
        } else {
            analyzer::danish()
        };
        tokens(&mut a, text)
            .into_iter()
            .map(|t| Term::from_field_text(field, &t.text))
            .collect()
    }

    fn words(&self, exact: bool, words: &[&str], slop: u32) -> Result<Box<dyn TQuery>> {
        let f = if exact {
            self.fields.exact
        } else {
            self.fields.text
        };
        let terms: Vec<Term> = words.iter().flat_map(|w| self.terms(f, exact, w)).collect();
        Ok(match terms.len() {
            0 => Box::new(EmptyQuery),
            1 => Box::new(TermQuery::new(
                terms[0].clone(),
                IndexRecordOption::WithFreqs,
            )),
            _ => self.phrase(f, &terms, slop)?,
        })
    }

    /// A phrase or proximity of two or more terms, matched on positions by
    /// spor's own code ([`crate::phrase`]) in every index segment and
    /// turned into the set of documents it matches: exact, and the same
    /// whatever the index's segment layout. As a fixed set it also takes
    /// part in an AND safely (tantivy 0.27's phrase scorer could answer
    /// wrongly when an intersection seeks it backwards,
    /// quickwit-oss/tantivy#2811).
    fn phrase(&self, field: Field, terms: &[Term], slop: u32) -> Result<Box<dyn TQuery>> {
        let searcher = self.searcher();
        let mut sets: std::collections::HashMap<tantivy::index::SegmentId, Vec<tantivy::DocId>> =
            std::collections::HashMap::new();
        for reader in searcher.segment_readers() {
            let docs =
                crate::phrase::segment_matches(reader, field, terms, slop).map_err(|source| {
                    IndexError::Tantivy {
                        path: Default::default(),
                        source,
                    }
                })?;
            if !docs.is_empty() {
                sets.insert(reader.segment_id(), docs);
            }
        }
        if sets.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        Ok(Box::new(crate::docset::DocSetQuery::new(sets)))
    }

    /// The segment ids of documents, from the `segment` fast field. The
    /// ids of each index segment are looked up in dictionary order, one
    /// pass over the dictionary's blocks rather than a search per id.
    pub(crate) fn segment_ids(
        &self,
        searcher: &tantivy::Searcher,
        addrs: &[tantivy::DocAddress],
    ) -> Result<Vec<String>> {
        let io = |e| IndexError::Io {
            path: Default::default(),
            source: e,
        };
        let mut out = vec![String::new(); addrs.len()];
        // (term ordinal, position in `out`) per index segment
        let mut by_segment: std::collections::BTreeMap<u32, Vec<(u64, usize)>> =
            std::collections::BTreeMap::new();
        let mut columns = std::collections::HashMap::new();
        for (i, addr) in addrs.iter().enumerate() {
            let col = match columns.entry(addr.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(crate::ties::id_column(searcher, addr.segment_ord)?)
                }
            };
            if let Some(ord) = col.term_ords(addr.doc_id).next() {
                by_segment
                    .entry(addr.segment_ord)
                    .or_default()
                    .push((ord, i));
            }
        }
        for (seg, mut wanted) in by_segment {
            wanted.sort_unstable();
            let ords: Vec<u64> = wanted.iter().map(|w| w.0).collect();
            let mut at = wanted.iter().map(|w| w.1);
            columns[&seg]
                .dictionary()
                .sorted_ords_to_term_cb(&ords, |bytes| {
                    if let Some(i) = at.next() {
                        out[i] = String::from_utf8_lossy(bytes).into_owned();
                    }
                })
                .map_err(io)?;
        }
        Ok(out)
    }

    fn regex(&self, field: Field, pattern: &str) -> Result<Box<dyn TQuery>> {
        RegexQuery::from_pattern(pattern, field)
            .map(|q| Box::new(q) as Box<dyn TQuery>)
            .map_err(|source| IndexError::Tantivy {
                path: Default::default(),
                source,
            })
    }

    /// A wildcard, expanded to the exact forms of the index that match
    /// (scored like those words, so that turns using them more rank
    /// higher); a wildcard matching very many forms becomes a term set with
    /// a constant score.
    fn wildcard(&self, q: &Query, budget: &Budget) -> Result<Box<dyn TQuery>> {
        const MAX_SCORED: usize = 512;
        let forms = self.forms_of(q)?;
        budget.words(forms.len())?;
        if forms.len() > MAX_SCORED {
            budget.regex(&q.to_string())?;
        }
        let terms = forms
            .iter()
            .map(|w| Term::from_field_text(self.fields.exact, w));
        Ok(match forms.len() {
            0 => Box::new(EmptyQuery),
            n if n > MAX_SCORED => Box::new(TermSetQuery::new(terms)),
            _ => Box::new(BooleanQuery::new(
                terms
                    .map(|t| {
                        (
                            Occur::Should,
                            Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs))
                                as Box<dyn TQuery>,
                        )
                    })
                    .collect(),
            )),
        })
    }

    /// The exact (lowercased) forms in the index that a term of a query
    /// matches, sorted: for a word, every form with the same key (lemma or
    /// stem); for `=word`, the form; for a phrase, its words' forms; for
    /// `prefix*` and `*infix*`, the forms that start with or contain the
    /// text; for `*suffix`, the forms that end in it or whose key ends in
    /// its key ([`analyzer::suffix_match`]). Other queries match no form.
    pub fn forms_of(&self, q: &Query) -> Result<Vec<String>> {
        let terms = self.exact_terms()?;
        let mut out: Vec<String> = Vec::new();
        match q {
            Query::Word { text, .. } => {
                let keys = self.term_keys()?;
                let wanted: Vec<String> = tokens(&mut analyzer::danish(), text)
                    .into_iter()
                    .map(|t| t.text)
                    .collect();
                for (t, k) in terms.iter().zip(keys) {
                    if wanted.contains(k) {
                        out.push(t.clone());
                    }
                }
            }
            Query::Exact { text, .. } => {
                for t in tokens(&mut analyzer::exact(), text) {
                    if terms.binary_search(&t.text).is_ok() {
                        out.push(t.text);
                    }
                }
            }
            Query::Phrase {
                words, exact, span, ..
            } => {
                for w in words {
                    let leaf = if *exact {
                        Query::Exact {
                            text: w.clone(),
                            span: *span,
                        }
                    } else {
                        Query::Word {
                            text: w.clone(),
                            span: *span,
                        }
                    };
                    out.extend(self.forms_of(&leaf)?);
                }
            }
            Query::Prefix { text, .. } => {
                let p = text.to_lowercase();
                let from = terms.partition_point(|w| w.as_str() < p.as_str());
                let len = terms[from..].partition_point(|w| w.starts_with(&p));
                out.extend(terms[from..from + len].iter().cloned());
            }
            Query::Suffix { text, .. } => {
                let t = text.to_lowercase();
                let tk = analyzer::stem(&t);
                let keys = self.term_keys()?;
                for (w, k) in terms.iter().zip(keys) {
                    if analyzer::suffix_match(w, k, &t, &tk) {
                        out.push(w.clone());
                    }
                }
            }
            Query::Infix { text, .. } => {
                let t = text.to_lowercase();
                out.extend(terms.iter().filter(|w| w.contains(&t)).cloned());
            }
            _ => {}
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// The forms of the index that are compounds of a word, for `spor
    /// search --compounds`: forms whose key is a word of the index followed
    /// by the word's key ([`crate::compounds::compound_of`]), sorted. The word's own
    /// forms are not among them.
    pub fn compound_forms(&self, word: &str) -> Result<Vec<String>> {
        Ok(crate::compounds::compounds_among(
            word,
            self.exact_terms()?,
            self.term_keys()?,
        ))
    }

    /// The query with every plain word (not in a phrase) also matching its
    /// compounds in the index ([`SegmentIndex::compound_forms`]): `teknologi`
    /// becomes `teknologi OR =velfærdsteknologien OR ...`.
    pub fn with_compounds(&self, q: &Query) -> Result<Query> {
        Ok(match q {
            Query::Word { text, span } => {
                let forms = self.compound_forms(text)?;
                if forms.is_empty() {
                    q.clone()
                } else {
                    let mut items = vec![q.clone()];
                    items.extend(forms.into_iter().map(|f| Query::Exact {
                        text: f,
                        span: *span,
                    }));
                    Query::Or(items)
                }
            }
            Query::And(items) => Query::And(
                items
                    .iter()
                    .map(|i| self.with_compounds(i))
                    .collect::<Result<_>>()?,
            ),
            Query::Or(items) => Query::Or(
                items
                    .iter()
                    .map(|i| self.with_compounds(i))
                    .collect::<Result<_>>()?,
            ),
            Query::Not(inner) => Query::Not(Box::new(self.with_compounds(inner)?)),
            other => other.clone(),
        })
    }

    /// For each positive term of a query (in query order), the forms of
    /// the index it matches and in how many segments each occurs (most
    /// first), for `spor search --explain`.
    pub fn expansion(&self, q: &Query) -> Result<Vec<Expansion>> {
        self.expansion_with(q, false)
    }

    /// [`SegmentIndex::expansion`], with a plain word's compounds among its
    /// forms when `compounds` is set (`spor search --compounds --explain`).
    pub fn expansion_with(&self, q: &Query, compounds: bool) -> Result<Vec<Expansion>> {
        let mut out = Vec::new();
        for t in q.positive_terms() {
            if matches!(t, Query::Attr { .. }) {
                continue;
            }
            let mut matched = self.forms_of(t)?;
            if compounds && let Query::Word { text, .. } = t {
                matched.extend(self.compound_forms(text)?);
            }
            let mut forms = Vec::new();
            for f in matched {
                // a form left only in turns an update deleted is no form
                // of the study (the word list may still hold it until its
                // index segment is merged)
                let n = self.form_turns(&f)?;
                if n > 0 {
                    forms.push((f, n));
                }
            }
            forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            out.push(Expansion {
                term: t.to_string(),
                forms,
            });
        }
        Ok(out)
    }

    fn attr_term(&self, name: &str, value: &str) -> Box<dyn TQuery> {
        let t = Term::from_field_text(
            self.fields.attrs,
            &format!("{}={}", name, value).to_lowercase(),
        );
        Box::new(TermQuery::new(t, IndexRecordOption::Basic))
    }

    /// Translate a parsed query into a tantivy query, within spor's cost
    /// limits (see [`Budget`]).
    pub fn to_tantivy(&self, q: &Query) -> Result<Box<dyn TQuery>> {
        self.translate(q, &Budget::default())
    }

    fn translate(&self, q: &Query, budget: &Budget) -> Result<Box<dyn TQuery>> {
        Ok(match q {
            Query::Word { text, .. } => self.words(false, &[text], 0)?,
            Query::Exact { text, .. } => self.words(true, &[text], 0)?,
            Query::Phrase {
                words, slop, exact, ..
            } => {
                let w: Vec<&str> = words.iter().map(String::as_str).collect();
                self.words(*exact, &w, *slop)?
            }
            Query::Prefix { .. } | Query::Suffix { .. } | Query::Infix { .. } => {
                self.wildcard(q, budget)?
            }
            Query::Attr { name, value, .. } => match value {
                AttrValue::Exact(v) => self.attr_term(name, v),
                AttrValue::Prefix(v) => self.regex(
                    self.fields.attrs,
                    &format!("{}.*", escape_regex(&format!("{name}={v}").to_lowercase())),
                )?,
            },
            Query::And(items) => {
                let mut clauses = Vec::new();
                for i in items {
                    match i {
                        Query::Not(inner) => {
                            clauses.push((Occur::MustNot, self.translate(inner, budget)?))
                        }
                        other => clauses.push((Occur::Must, self.translate(other, budget)?)),
                    }
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Query::Or(items) => {
                let mut clauses = Vec::new();
                for i in items {
                    clauses.push((Occur::Should, self.translate(i, budget)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Query::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, self.translate(inner, budget)?),
            ])),
        })
    }

    pub(crate) fn filtered(&self, q: &Query, filters: &Filters) -> Result<Box<dyn TQuery>> {
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = vec![(Occur::Must, self.to_tantivy(q)?)];
        if !filters.roles.is_empty() {
            let any: Vec<(Occur, Box<dyn TQuery>)> = filters
                .roles
                .iter()
                .map(|r| (Occur::Should, self.attr_term("role", r)))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        for (name, values) in &filters.attrs {
            let any: Vec<(Occur, Box<dyn TQuery>)> = values
                .iter()
                .map(|v| (Occur::Should, self.attr_term(name, v)))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Search: the best `limit` hits (every hit when `None`), by score, ties
    /// broken by segment id order given by `order` (a rank per segment id).
    pub fn search(&self, q: &Query, filters: &Filters, limit: Option<usize>) -> Result<Vec<Hit>> {
        Ok(self.search_total(q, filters, limit)?.0)
    }

    /// How many segments match (no hit is looked up).
    pub fn count(&self, q: &Query, filters: &Filters) -> Result<usize> {
        let query = self.filtered(q, filters)?;
        self.searcher()
            .search(&*query, &Count)
            .map_err(|source| IndexError::Tantivy {
                path: Default::default(),
                source,
            })
    }

    /// [`SegmentIndex::search`], and how many segments match in all.
    pub fn search_total(
        &self,
        q: &Query,
        filters: &Filters,
        limit: Option<usize>,
    ) -> Result<(Vec<Hit>, usize)> {
        let query = self.filtered(q, filters)?;
        let searcher = self.searcher();
        let map = |source| IndexError::Tantivy {
            path: Default::default(),
            source,
        };
        let mut top = searcher
            .search(&*query, &crate::scored::AllScored)
            .map_err(map)?;
        let n = top.len();
        if n == 0 {
            return Ok((Vec::new(), 0));
        }
        // Only hits that can make the cut are looked up: the best `limit`
        // and every hit tied with the last of them (ties are then broken by
        // segment order, so the result does not depend on index layout).
        crate::scored::keep_best(&mut top, limit.unwrap_or(0));
        // of the hits tied with the last, only those that can make the cut
        let top = crate::ties::contenders(&searcher, top, limit.unwrap_or(0))?;
        let addrs: Vec<tantivy::DocAddress> = top.iter().map(|(_, a)| *a).collect();
        let ids = self.segment_ids(&searcher, &addrs)?;
        let mut hits: Vec<Hit> = top
            .iter()
            .zip(ids)
            .map(|((score, _), segment)| Hit {
                segment,
                score: *score,
            })
            .collect();
        // Deterministic: score, then the segment's natural order.
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| natural_ref(&a.segment).cmp(&natural_ref(&b.segment)))
        });
        if let Some(l) = limit {
            hits.truncate(l);
        }
        Ok((hits, n))
    }
}

/// Sort key of a segment id: document id, then turn as a number.
pub fn natural_key(id: &str) -> (String, usize) {
    let (d, t) = natural_ref(id);
    (d.to_owned(), t)
}

/// [`natural_key`] borrowed: what sorting hits compares, without copying
/// the document id twice per comparison.
fn natural_ref(id: &str) -> (&str, usize) {
    match id.rsplit_once('#') {
        Some((d, t)) => (d, t.parse().unwrap_or(0)),
        None => (id, 0),
    }
}

/// The char ranges in `text` that the query's positive terms match (merged,
/// sorted). Words match by stem, exact words by lowercased form, wildcards by
/// prefix/suffix/infix of the lowercased form; a phrase highlights its words.
pub fn highlights(text: &str, q: &Query) -> Vec<(usize, usize)> {
    Highlighter::new(q).ranges(text)
}

/// [`highlights`] for many texts and one query: the query's terms are
/// analysed once, and whether a word form matches is worked out (stemmed)
/// once per distinct form.
pub struct Highlighter {
    stems: std::collections::BTreeSet<String>,
    exacts: std::collections::BTreeSet<String>,
    prefixes: Vec<String>,
    suffixes: Vec<(String, String)>,
    infixes: Vec<String>,
    stemmer: frostem::Stemmer,
    a_da: tantivy::tokenizer::TextAnalyzer,
    a_ex: tantivy::tokenizer::TextAnalyzer,
    seen: std::collections::HashMap<String, bool>,
}

impl Highlighter {
    /// Analyse the query's positive terms.
    pub fn new(q: &Query) -> Highlighter {
        let mut h = Highlighter {
            stems: Default::default(),
            exacts: Default::default(),
            prefixes: Vec::new(),
            suffixes: Vec::new(),
            infixes: Vec::new(),
            stemmer: analyzer::stemmer(),
            a_da: analyzer::danish(),
            a_ex: analyzer::exact(),
            seen: Default::default(),
        };
        for t in q.positive_terms() {
            match t {
                Query::Word { text, .. } => h
                    .stems
                    .extend(tokens(&mut h.a_da, text).into_iter().map(|t| t.text)),
                Query::Exact { text, .. } => h
                    .exacts
                    .extend(tokens(&mut h.a_ex, text).into_iter().map(|t| t.text)),
                Query::Phrase { words, exact, .. } => {
                    for w in words {
                        if *exact {
                            h.exacts
                                .extend(tokens(&mut h.a_ex, w).into_iter().map(|t| t.text));
                        } else {
                            h.stems
                                .extend(tokens(&mut h.a_da, w).into_iter().map(|t| t.text));
                        }
                    }
                }
                Query::Prefix { text, .. } => h.prefixes.push(text.to_lowercase()),
                Query::Suffix { text, .. } => {
                    let t = text.to_lowercase();
                    let k = analyzer::stem(&t);
                    h.suffixes.push((t, k))
                }
                Query::Infix { text, .. } => h.infixes.push(text.to_lowercase()),
                _ => {}
            }
        }
        h
    }

    /// Whether a lowercased word form matches (its stem is the danish
    /// analyzer's token for it).
    fn matches(&mut self, form: &str) -> bool {
        if let Some(&m) = self.seen.get(form) {
            return m;
        }
        let m = self.exacts.contains(form)
            || self.prefixes.iter().any(|p| form.starts_with(p.as_str()))
            || (!self.suffixes.is_empty() && {
                let k = analyzer::key(&self.stemmer, form);
                self.suffixes
                    .iter()
                    .any(|(t, tk)| analyzer::suffix_match(form, &k, t, tk))
            })
            || self.infixes.iter().any(|s| form.contains(s.as_str()))
            || (!self.stems.is_empty()
                && tokens(&mut self.a_da, form)
                    .iter()
                    .any(|t| self.stems.contains(&t.text)));
        if self.seen.len() > 100_000 {
            self.seen.clear();
        }
        self.seen.insert(form.to_owned(), m);
        m
    }

    /// The char ranges of `text` the query's positive terms match.
    pub fn ranges(&mut self, text: &str) -> Vec<(usize, usize)> {
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for_each_form(text, |form, from, to| {
            if self.matches(form) {
                ranges.push((from, to));
            }
        });
        to_chars(text, ranges)
    }
}

/// Every word of `text` as the exact analyzer sees it (runs of
/// alphanumeric characters shorter than 80 bytes, lowercased char by char)
/// with its byte range, without allocating per word; a unit test checks it
/// against the analyzer.
fn for_each_form(text: &str, mut f: impl FnMut(&str, usize, usize)) {
    let mut lower = String::new();
    let mut word = |from: usize, to: usize| {
        let tok = &text[from..to];
        if tok.len() >= 80 {
            return;
        }
        if tok.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
            f(tok, from, to);
        } else {
            lower.clear();
            lower.extend(tok.chars().flat_map(char::to_lowercase));
            f(&lower, from, to);
        }
    };
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                word(s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        word(s, text.len());
    }
}

/// Byte ranges (sorted) to char ranges.
fn to_chars(text: &str, ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    // bytes -> chars
    let mut out = Vec::with_capacity(ranges.len());
    let mut char_at = 0usize;
    let mut byte_at = 0usize;
    for (from, to) in ranges {
        char_at += text[byte_at..from].chars().count();
        let len = text[from..to].chars().count();
        out.push((char_at, char_at + len));
        char_at += len;
        byte_at = to;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The highlighter's own tokeniser agrees with the exact analyzer.
    #[test]
    fn forms_match_the_exact_analyzer() {
        let long = "x".repeat(85);
        for text in [
            "Læge: Øjeblikket, ÆBLER og æbler! Sygeplejerskerne på 3. sal",
            "GRÜSSE, Straße; İstanbul ǅemal ΣΊΣΥΦΟΣ",
            &format!("kort {long} ord2 og_så e-mail"),
            "tal 12,5 % og 2024-10-01",
        ] {
            let mut a = analyzer::exact();
            let want: Vec<(String, usize, usize)> = tokens(&mut a, text)
                .into_iter()
                .map(|t| (t.text, t.from, t.to))
                .collect();
            let mut got = Vec::new();
            for_each_form(text, |f, a, b| got.push((f.to_owned(), a, b)));
            assert_eq!(got, want, "{text:?}");
        }
    }
}
