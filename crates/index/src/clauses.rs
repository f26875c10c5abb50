//! Which words of one segment made a query match: the query is evaluated
//! on the segment's own words, and only the clauses that are true give
//! words (an `OR`'s false branches and every `NOT` give none). A rule's
//! matched words and its score come from here, so that a turn coded by
//! `"tager fejl" OR (system AND nede)` lists `tager fejl` and not every
//! `system` of the turn when only the phrase matched.
//!
//! A rule runs over thousands of turns, so the work is split: a
//! [`ClauseMatcher`] analyses the query's words once; each distinct word of
//! the turns is looked up once per matcher (its id among the query's forms
//! and keys, and which wildcards it fits), and its index key (lemma or
//! stem) is computed only when the query compares keys, at most once per
//! thread. A turn is then tokenised once with the exact-form analyzer and
//! the query is evaluated on small integer ids.

#[cfg(test)]
mod reference;

use crate::analyzer::{self, tokens};
use rustc_hash::FxHashMap as HashMap;
use spor_query::{AttrValue, Query};
use std::cell::RefCell;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// No id: the word is none of the query's words.
const NONE: u32 = u32::MAX;

/// The query, with its words analysed and numbered.
enum Plan {
    /// Words in order, each within `slop` extra positions of the one before
    /// (a single word is a sequence of one): ids among the query's exact
    /// forms (`exact`) or keys. Empty: never true.
    Seq {
        ids: Vec<u32>,
        exact: bool,
        slop: u32,
    },
    /// A wildcard: the index of its test in [`ClauseMatcher::affixes`].
    Affix(usize),
    /// An attribute test.
    Attr {
        name: String,
        value: AttrValue,
    },
    And(Vec<Plan>),
    Or(Vec<Plan>),
    Not(Box<Plan>),
}

/// A wildcard's test on a lowercased form (and its key, for suffixes).
pub(crate) enum Affix {
    Prefix(String),
    /// The suffix and its key.
    Suffix(String, String),
    Infix(String),
}

/// What a matcher knows of one distinct word of the text.
#[derive(Clone, Copy)]
struct WordInfo {
    /// Id among the query's exact forms, or [`NONE`].
    form: u32,
    /// Id among the query's keys, or [`NONE`].
    key: u32,
    /// The wildcards it fits: `affix_true[affix_from..affix_to]`.
    affix_from: u32,
    affix_to: u32,
}

/// One token of the text: the word's number among the matcher's words (or
/// [`NONE`] for a position whose word the analyzer dropped) and its byte
/// range.
#[derive(Clone, Copy)]
struct Tok {
    word: u32,
    from: usize,
    to: usize,
}

/// A query prepared to find, in one turn after another, the words its true
/// clauses match ([`ClauseMatcher::byte_ranges`]). It gives the same ranges
/// as analysing the whole turn with both analyzers for every call; it only
/// remembers the words it has seen, so use one matcher per query and
/// thread (it is not `Sync`).
pub struct ClauseMatcher {
    plan: Plan,
    /// The query's exact forms and keys, numbered.
    pub(crate) forms: HashMap<String, u32>,
    pub(crate) keys: HashMap<String, u32>,
    /// Whether any clause compares keys (a stemmed word or phrase, or a
    /// suffix wildcard): otherwise no word's key is computed.
    needs_keys: bool,
    pub(crate) affixes: Vec<Affix>,
    /// The exact-form analyzer (taken out while a text is tokenised).
    exact: Option<TextAnalyzer>,
    stemmer: frostem::Stemmer,
    /// Every distinct word seen, numbered in [`Self::info`].
    words: HashMap<String, u32>,
    info: Vec<WordInfo>,
    /// The wildcards each word fits (see [`WordInfo`]).
    affix_true: Vec<u32>,
    /// The current text's tokens (kept to reuse the allocation).
    toks: Vec<Tok>,
    /// Where in the current text each of the query's exact forms, keys and
    /// wildcards occurs (token numbers, in order), by [`Self::slot`].
    pos: Vec<Vec<usize>>,
    /// The slots of `pos` the current text filled.
    touched: Vec<usize>,
}

/// Distinct words a matcher or the per-thread key cache remembers before
/// it starts afresh (bounds memory on large, varied corpora).
const MAX_WORDS: usize = 200_000;

thread_local! {
    /// Index keys of the words this thread has seen (lowercased form ->
    /// key): a pure function of the form, shared by every matcher.
    static KEYS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::default());
}

impl ClauseMatcher {
    /// Prepare `q`: its words are analysed here, once.
    pub fn new(q: &Query) -> ClauseMatcher {
        let mut m = ClauseMatcher {
            plan: Plan::Or(Vec::new()),
            forms: HashMap::default(),
            keys: HashMap::default(),
            needs_keys: false,
            affixes: Vec::new(),
            exact: Some(analyzer::exact()),
            stemmer: analyzer::stemmer(),
            words: HashMap::default(),
            info: Vec::new(),
            affix_true: Vec::new(),
            toks: Vec::new(),
            pos: Vec::new(),
            touched: Vec::new(),
        };
        let mut danish = analyzer::danish();
        m.plan = m.prepare(q, &mut danish);
        m.pos = vec![Vec::new(); m.forms.len() + m.keys.len() + m.affixes.len()];
        m
    }

    fn prepare(&mut self, q: &Query, danish: &mut TextAnalyzer) -> Plan {
        match q {
            Query::Word { text, .. } => self.seq(&[text.as_str()], false, 0, danish),
            Query::Exact { text, .. } => self.seq(&[text.as_str()], true, 0, danish),
            Query::Phrase {
                words, slop, exact, ..
            } => {
                let w: Vec<&str> = words.iter().map(String::as_str).collect();
                self.seq(&w, *exact, *slop, danish)
            }
            Query::Prefix { text, .. } => self.affix(Affix::Prefix(text.to_lowercase())),
            Query::Suffix { text, .. } => {
                let t = text.to_lowercase();
                let tk = analyzer::key(&self.stemmer, &t).into_owned();
                self.needs_keys = true;
                self.affix(Affix::Suffix(t, tk))
            }
            Query::Infix { text, .. } => self.affix(Affix::Infix(text.to_lowercase())),
            Query::Attr { name, value, .. } => Plan::Attr {
                name: name.clone(),
                value: value.clone(),
            },
            Query::And(items) => Plan::And(items.iter().map(|i| self.prepare(i, danish)).collect()),
            Query::Or(items) => Plan::Or(items.iter().map(|i| self.prepare(i, danish)).collect()),
            Query::Not(inner) => Plan::Not(Box::new(self.prepare(inner, danish))),
        }
    }

    fn affix(&mut self, a: Affix) -> Plan {
        self.affixes.push(a);
        Plan::Affix(self.affixes.len() - 1)
    }

    /// The words of a word or phrase, analysed as the index analyses them
    /// (one written word may give several tokens) and numbered.
    fn seq(&mut self, words: &[&str], exact: bool, slop: u32, danish: &mut TextAnalyzer) -> Plan {
        let (analyzer, table) = if exact {
            (self.exact.as_mut().expect("analyzer"), &mut self.forms)
        } else {
            self.needs_keys = true;
            (danish, &mut self.keys)
        };
        let mut ids = Vec::new();
        for w in words {
            for t in tokens(analyzer, w) {
                let next = table.len() as u32;
                ids.push(*table.entry(t.text).or_insert(next));
            }
        }
        Plan::Seq { ids, exact, slop }
    }

    /// The number of a lowercased word, looked up (and its facts worked
    /// out) the first time it is seen.
    fn word(&mut self, form: &str) -> u32 {
        if let Some(&w) = self.words.get(form) {
            return w;
        }
        let key = self.needs_keys.then(|| key_of(&self.stemmer, form));
        let info = WordInfo {
            form: self.forms.get(form).copied().unwrap_or(NONE),
            key: key
                .as_deref()
                .and_then(|k| self.keys.get(k).copied())
                .unwrap_or(NONE),
            affix_from: self.affix_true.len() as u32,
            affix_to: 0,
        };
        for (i, a) in self.affixes.iter().enumerate() {
            let fits = match a {
                Affix::Prefix(t) => form.starts_with(t.as_str()),
                Affix::Infix(t) => form.contains(t.as_str()),
                Affix::Suffix(t, tk) => {
                    analyzer::suffix_match(form, key.as_deref().unwrap_or(""), t, tk)
                }
            };
            if fits {
                self.affix_true.push(i as u32);
            }
        }
        let info = WordInfo {
            affix_to: self.affix_true.len() as u32,
            ..info
        };
        let id = self.info.len() as u32;
        self.info.push(info);
        self.words.insert(form.to_owned(), id);
        id
    }

    /// The byte ranges of `text` that the clauses of the query which are
    /// true on it match, sorted and distinct; `None` when the query is not
    /// true on the text. `attr` says whether the segment has an attribute
    /// value.
    pub fn byte_ranges(
        &mut self,
        text: &str,
        attr: &dyn Fn(&str, &AttrValue) -> bool,
    ) -> Option<Vec<(usize, usize)>> {
        self.start();
        let (nf, nk) = (self.forms.len(), self.keys.len());
        let mut toks = std::mem::take(&mut self.toks);
        toks.clear();
        let mut exact = self.exact.take().expect("analyzer");
        {
            let mut ts = exact.token_stream(text);
            while ts.advance() {
                let t = ts.token();
                // A word the analyzer drops (over 80 bytes) still takes a
                // position in the index: keep it as a gap, so that
                // proximity counts it as the index does.
                while toks.len() < t.position {
                    toks.push(Tok {
                        word: NONE,
                        from: 0,
                        to: 0,
                    });
                }
                let (from, to) = (t.offset_from, t.offset_to);
                let word = self.word(&t.text);
                let at = toks.len();
                toks.push(Tok { word, from, to });
                self.register(word, at, nf, nk);
            }
        }
        self.exact = Some(exact);
        let mut idx = self.eval(&self.plan, &toks, attr);
        if let Some(idx) = &mut idx {
            idx.sort_unstable();
            idx.dedup();
        }
        let out = idx.map(|idx| {
            idx.into_iter()
                .map(|i| (toks[i].from, toks[i].to))
                .collect()
        });
        self.toks = toks;
        out
    }

    /// The forms the query's true clauses match in one turn, given the
    /// positions of the index's candidate forms in it (from
    /// [`SegmentIndex::for_each_match`](crate::SegmentIndex::for_each_match):
    /// `(position, number in forms)`, sorted); sorted and distinct, `None`
    /// when the query is not true on them. The same answer as
    /// [`Self::byte_ranges`] on the turn's text, lowercased: positions are
    /// token numbers in both, and a form not among the candidates can make
    /// no clause true.
    pub fn words_at(
        &mut self,
        forms: &[String],
        occ: &[(u32, u32)],
        attr: &dyn Fn(&str, &AttrValue) -> bool,
    ) -> Option<Vec<String>> {
        self.start();
        let (nf, nk) = (self.forms.len(), self.keys.len());
        let mut toks = std::mem::take(&mut self.toks);
        toks.clear();
        let n = occ.last().map_or(0, |o| o.0 as usize + 1);
        // `from` holds the form's number; a position no candidate holds
        // is no word of the query
        toks.resize(
            n,
            Tok {
                word: NONE,
                from: 0,
                to: 0,
            },
        );
        for &(at, k) in occ {
            let at = at as usize;
            let word = self.word(&forms[k as usize]);
            toks[at] = Tok {
                word,
                from: k as usize,
                to: 0,
            };
            self.register(word, at, nf, nk);
        }
        let out = self.eval(&self.plan, &toks, attr).map(|idx| {
            let mut k: Vec<usize> = idx.iter().map(|&i| toks[i].from).collect();
            k.sort_unstable();
            k.dedup();
            k.into_iter().map(|k| forms[k].clone()).collect()
        });
        self.toks = toks;
        out
    }

    /// Whether a clause is a sequence of more than one word, whose
    /// positions matter.
    pub fn needs_positions(&self) -> bool {
        fn seq(p: &Plan) -> bool {
            match p {
                Plan::Seq { ids, .. } => ids.len() > 1,
                Plan::And(v) | Plan::Or(v) => v.iter().any(seq),
                Plan::Not(p) => seq(p),
                Plan::Affix(_) | Plan::Attr { .. } => false,
            }
        }
        seq(&self.plan)
    }

    /// Forget the last text's positions, and every word seen once there
    /// are too many.
    fn start(&mut self) {
        if self.words.len() >= MAX_WORDS {
            self.words.clear();
            self.info.clear();
            self.affix_true.clear();
        }
        for s in self.touched.drain(..) {
            self.pos[s].clear();
        }
    }

    /// Word `word` is token `at`: note it under its form, key and wildcards.
    fn register(&mut self, word: u32, at: usize, nf: usize, nk: usize) {
        let w = self.info[word as usize];
        if w.form != NONE {
            self.occurs(w.form as usize, at);
        }
        if w.key != NONE {
            self.occurs(nf + w.key as usize, at);
        }
        for a in w.affix_from..w.affix_to {
            let a = self.affix_true[a as usize] as usize;
            self.occurs(nf + nk + a, at);
        }
    }

    /// Token `at` of the current text is the query's form, key or wildcard
    /// in `slot`.
    fn occurs(&mut self, slot: usize, at: usize) {
        let p = &mut self.pos[slot];
        if p.is_empty() {
            self.touched.push(slot);
        }
        p.push(at);
    }

    /// The slot in [`Self::pos`] of an exact form's or key's id.
    fn slot(&self, id: u32, exact: bool) -> usize {
        if exact {
            id as usize
        } else {
            self.forms.len() + id as usize
        }
    }

    /// [`Self::byte_ranges`] in chars instead of bytes.
    pub fn char_ranges(
        &mut self,
        text: &str,
        attr: &dyn Fn(&str, &AttrValue) -> bool,
    ) -> Option<Vec<(usize, usize)>> {
        let bytes = self.byte_ranges(text, attr)?;
        // the ranges are sorted: one walk over the text converts them
        let (mut byte_at, mut char_at) = (0usize, 0usize);
        let mut to_char = |b: usize| {
            if b >= byte_at {
                char_at += text[byte_at..b].chars().count();
            } else {
                char_at -= text[b..byte_at].chars().count();
            }
            byte_at = b;
            char_at
        };
        Some(
            bytes
                .into_iter()
                .map(|(a, b)| (to_char(a), to_char(b)))
                .collect(),
        )
    }

    fn eval(
        &self,
        p: &Plan,
        toks: &[Tok],
        attr: &dyn Fn(&str, &AttrValue) -> bool,
    ) -> Option<Vec<usize>> {
        match p {
            Plan::Seq { ids, exact, slop } => {
                if ids.is_empty() {
                    return None;
                }
                let id = |i: usize| {
                    if toks[i].word == NONE {
                        return NONE;
                    }
                    let w = &self.info[toks[i].word as usize];
                    if *exact { w.form } else { w.key }
                };
                let starts = &self.pos[self.slot(ids[0], *exact)];
                sequence(starts, toks.len(), id, ids, *slop)
            }
            Plan::Affix(a) => {
                let v = &self.pos[self.forms.len() + self.keys.len() + a];
                (!v.is_empty()).then(|| v.clone())
            }
            Plan::Attr { name, value } => attr(name, value).then(Vec::new),
            Plan::And(items) => {
                let mut out = Vec::new();
                for i in items {
                    out.extend(self.eval(i, toks, attr)?);
                }
                Some(out)
            }
            Plan::Or(items) => {
                let mut any = false;
                let mut out = Vec::new();
                for i in items {
                    if let Some(v) = self.eval(i, toks, attr) {
                        any = true;
                        out.extend(v);
                    }
                }
                any.then_some(out)
            }
            Plan::Not(inner) => match self.eval(inner, toks, attr) {
                Some(_) => None,
                None => Some(Vec::new()),
            },
        }
    }
}

/// The index key of a lowercased word, from the thread's cache.
fn key_of(stemmer: &frostem::Stemmer, form: &str) -> String {
    KEYS.with(|k| {
        let mut k = k.borrow_mut();
        if let Some(v) = k.get(form) {
            return v.clone();
        }
        if k.len() >= MAX_WORDS {
            k.clear();
        }
        let v = analyzer::key(stemmer, form).into_owned();
        k.insert(form.to_owned(), v.clone());
        v
    })
}

/// Every token of every occurrence of `wanted` in order, each within
/// `slop` extra positions in all of the one before, among `n` tokens;
/// `starts` are the tokens that are `wanted[0]`, `id(i)` is token `i`'s id
/// (never [`NONE`] in `wanted`).
fn sequence(
    starts: &[usize],
    n: usize,
    id: impl Fn(usize) -> u32,
    wanted: &[u32],
    slop: u32,
) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut got = Vec::with_capacity(wanted.len());
    for &start in starts {
        let mut at = start;
        let mut used = 0u32;
        got.clear();
        got.push(start);
        for &w in &wanted[1..] {
            let mut found = None;
            let mut j = at + 1;
            while j < n && (j - at - 1) as u32 + used <= slop {
                if id(j) == w {
                    found = Some(j);
                    break;
                }
                j += 1;
            }
            match found {
                Some(j) => {
                    used += (j - at - 1) as u32;
                    got.push(j);
                    at = j;
                }
                None => {
                    got.clear();
                    break;
                }
            }
        }
        out.extend_from_slice(&got);
    }
    (!out.is_empty()).then_some(out)
}

/// The char ranges of `text` that the clauses of `q` which are true on it
/// match, sorted and distinct; `None` when the query is not true on the
/// text. `attr` says whether the segment has an attribute value. For many
/// texts, prepare the query once with [`ClauseMatcher`].
pub fn clause_ranges(
    q: &Query,
    text: &str,
    attr: &dyn Fn(&str, &AttrValue) -> bool,
) -> Option<Vec<(usize, usize)>> {
    ClauseMatcher::new(q).char_ranges(text, attr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(q: &str, text: &str) -> Option<Vec<String>> {
        let q = spor_query::parse(q).unwrap();
        let chars: Vec<char> = text.chars().collect();
        clause_ranges(&q, text, &|n, v| {
            n == "profession" && matches!(v, AttrValue::Exact(x) if x == "læge")
        })
        .map(|r| {
            r.into_iter()
                .map(|(a, b)| chars[a..b].iter().collect::<String>().to_lowercase())
                .collect()
        })
    }

    #[test]
    fn only_true_clauses_give_words() {
        let t = "Systemet er godt, men de tager fejl af det.";
        // the phrase matched; `nede` did not, so `systemet` is not a word of
        // the match
        assert_eq!(
            words("\"tager fejl\" OR (system AND nede)", t).unwrap(),
            ["tager", "fejl"]
        );
        assert_eq!(
            words("\"tager fejl\" OR (system AND godt)", t).unwrap(),
            ["systemet", "godt", "tager", "fejl"]
        );
        assert_eq!(words("system AND NOT fejl", t), None);
        assert_eq!(words("system AND NOT nede", t).unwrap(), ["systemet"]);
        assert_eq!(words("\"tager af\"", t), None);
        assert_eq!(words("\"tager af\"~1", t).unwrap(), ["tager", "af"]);
        assert_eq!(words("\"tager det\"~1", t), None);
        assert_eq!(words("\"tager det\"~2", t).unwrap(), ["tager", "det"]);
        assert_eq!(
            words("system AND profession:læge", t).unwrap(),
            ["systemet"]
        );
        assert_eq!(words("system AND profession:radiograf", t), None);
        // lemmas and compounds as the index sees them
        assert_eq!(
            words("barn OR *teknologi", "Børnene og velfærdsteknologien").unwrap(),
            ["børnene", "velfærdsteknologien"]
        );
        assert_eq!(words("mene", "men det er godt"), None);
    }

    fn attr(n: &str, v: &AttrValue) -> bool {
        n == "profession" && matches!(v, AttrValue::Exact(x) if x == "læge")
    }

    /// Every rule query of the example codebooks.
    fn example_queries() -> Vec<Query> {
        let mut out = Vec::new();
        for book in ["sundtek-cues.toml", "mtv-domains.toml"] {
            let path = format!("{}/../../codebooks/{book}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines() {
                if let Some(q) = line
                    .strip_prefix("query = '")
                    .and_then(|l| l.strip_suffix('\''))
                {
                    out.push(spor_query::parse(q).unwrap());
                }
            }
        }
        assert!(out.len() > 150, "{} queries", out.len());
        out
    }

    /// The example study's turns, one per line.
    fn example_lines() -> Vec<String> {
        let dir = format!(
            "{}/../../examples/sundtek/transcripts",
            env!("CARGO_MANIFEST_DIR")
        );
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let mut out = Vec::new();
        for f in files {
            // a transcript in another encoding is left out
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            out.extend(text.lines().map(|l| l.to_owned()));
        }
        assert!(out.len() > 500, "{} lines", out.len());
        out
    }

    #[test]
    fn char_and_byte_ranges_agree() {
        let q = spor_query::parse("\"første nat\"~1 OR æble* OR *øl").unwrap();
        let t = "Æbler og øl: den første nat i Århus, æblerne og fadøl.";
        let mut m = ClauseMatcher::new(&q);
        let bytes = m.byte_ranges(t, &attr).unwrap();
        let chars = m.char_ranges(t, &attr).unwrap();
        assert_eq!(bytes.len(), 6, "{bytes:?}");
        for ((a, b), (c, d)) in bytes.iter().zip(&chars) {
            let by_char: String = t.chars().skip(*c).take(d - c).collect();
            assert_eq!(&t[*a..*b], by_char);
        }
    }

    /// The matcher, reused over every turn of the example study, gives the
    /// reference reading's ranges for every rule of the example codebooks.
    #[test]
    fn same_ranges_as_the_reference_on_the_example_study() {
        // every third turn: the reference is slow in a debug build
        let lines: Vec<String> = example_lines().into_iter().step_by(3).collect();
        let mut matched = 0;
        for q in example_queries() {
            let mut m = ClauseMatcher::new(&q);
            for l in &lines {
                let fast = m.char_ranges(l, &attr);
                assert_eq!(
                    fast,
                    reference::clause_ranges(&q, l, &attr),
                    "{q:?} on {l:?}"
                );
                matched += usize::from(fast.is_some());
            }
        }
        // the comparison is not only of `None`s
        assert!(matched > 300, "{matched} matches");
    }

    mod random {
        use super::*;
        use proptest::prelude::*;

        /// Words of the example study and of the codebooks' queries, in
        /// several casings, and separators.
        fn vocabulary() -> Vec<String> {
            let mut v: Vec<String> = Vec::new();
            for l in example_lines().iter().take(400) {
                v.extend(l.split_whitespace().map(|w| w.to_owned()));
            }
            let books = format!(
                "{}/../../codebooks/sundtek-cues.toml",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = std::fs::read_to_string(books).unwrap();
            for l in text.lines().filter(|l| l.starts_with("query")) {
                v.extend(
                    l.split(|c: char| !c.is_alphanumeric() && c != '-')
                        .filter(|w| w.len() > 1)
                        .map(|w| w.to_owned()),
                );
            }
            v.sort();
            v.dedup();
            let upper: Vec<String> = v.iter().step_by(7).map(|w| w.to_uppercase()).collect();
            v.extend(upper);
            v.extend(["...", ",", "–", "Æ", "øh", "[griner]", "e-mail", "co2"].map(String::from));
            v
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(24))]
            /// Random Danish-like turns: one matcher per rule, reused over
            /// the turns, gives the reference's ranges for each.
            #[test]
            fn same_ranges_as_the_reference(
                picks in prop::collection::vec(prop::collection::vec(any::<prop::sample::Index>(), 1..60), 1..6)
            ) {
                thread_local! {
                    static DATA: (Vec<String>, Vec<Query>) = (vocabulary(), example_queries());
                }
                DATA.with(|(vocab, queries)| {
                    let texts: Vec<String> = picks
                        .iter()
                        .map(|p| p.iter().map(|i| i.get(vocab).as_str()).collect::<Vec<_>>().join(" "))
                        .collect();
                    for q in queries {
                        let mut m = ClauseMatcher::new(q);
                        for t in &texts {
                            prop_assert_eq!(m.char_ranges(t, &attr), reference::clause_ranges(q, t, &attr));
                        }
                    }
                    Ok(())
                })?;
            }
        }
    }
}
