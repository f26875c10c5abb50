//! The rules' hits made into suggestions, in corpus order.
//!
//! Every rule's result lists, per document, the turns it hit (sorted) and
//! its matched words. A code's suggestion on a turn merges all its rules'
//! hits there. The suggestions are made document by document, in the
//! corpus's order: a document's hits of every rule are gathered and sorted
//! by (turn, code, rule), so that each run of equal (turn, code) is one
//! suggestion and they come out in corpus order (document, turn, code)
//! without a sort of the rows themselves, and the work stays within one
//! document's hits at a time.

use crate::cache::RuleEntry;
use crate::suggest::Suggestion;
use rustc_hash::FxHashMap;
use spor_codebook::{Code, Codebook, CodebookSet};
use spor_corpus::{Corpus, Document, Segment, SharedStr};
use std::collections::BTreeMap;

/// A rule's result as the coding stage has it: its cache key, its entry
/// and how many documents it ran on again.
pub(crate) type RuleResult = (String, RuleEntry, usize);

/// A hit of a document: (turn, code's place, rule's place in its code,
/// word string's index), ordered so that a turn's codes come together.
type Hit = (u32, u32, u32, u32);

/// A rule's hits: document id -> (turn, word string's index) of each.
type RuleHits = BTreeMap<SharedStr, Vec<(u32, u32)>>;

/// Make each code's suggestions from its rules' results (`done`, in
/// codebook, code and rule order), made into `T`s by `make`, in corpus
/// order: document (sheet order), turn, then code. Hits on turns the
/// corpus no longer has (a cached result of a document that became
/// shorter) and on documents it no longer has are left out.
///
/// Unless `keep`, each document's hits are dropped from `done` once its
/// suggestions are made, so that the rows grow as the hits shrink.
pub(crate) fn suggestions<T>(
    corpus: &Corpus,
    books: &CodebookSet,
    done: &mut [RuleResult],
    keep: bool,
    make: impl Fn(Suggestion) -> T,
) -> Vec<T> {
    // each rule's word strings and hits, borrowed apart
    let (words, mut lists): (Vec<&[String]>, Vec<&mut RuleHits>) = done
        .iter_mut()
        .map(|(_, e, _)| (e.words.as_slice(), &mut e.docs))
        .unzip();
    let mut codes = Vec::new();
    let mut at = 0;
    for (book, code) in books.codes() {
        let n = code.rules.len();
        codes.push(CodeRows::new(book, code, at, words[at..at + n].to_vec()));
        at += n;
    }
    let mut hits: Vec<Hit> = Vec::new();
    // The rows are built into a list of their exact size, counted first:
    // a list grown by doubling holds its old and new buffers at once,
    // which at 5.8 million rows is more than a gigabyte for a moment.
    let mut total = 0;
    for doc in &corpus.documents {
        gather(doc, &codes, &mut lists, false, &mut hits);
        total += turns_and_codes(&hits).count();
    }
    let mut out = Vec::with_capacity(total);
    for doc in &corpus.documents {
        gather(doc, &codes, &mut lists, !keep, &mut hits);
        for group in turns_and_codes(&hits) {
            let (turn, code, _, _) = group[0];
            let seg = &doc.segments[turn as usize - 1];
            out.push(make(codes[code as usize].suggestion(seg, group)));
        }
    }
    debug_assert_eq!(out.len(), total);
    out
}

/// Put every hit of every code's rules on a turn of `doc` into `hits`,
/// sorted; with `take`, the document's hits are taken out of `lists`.
fn gather(
    doc: &Document,
    codes: &[CodeRows],
    lists: &mut [&mut RuleHits],
    take: bool,
    hits: &mut Vec<Hit>,
) {
    hits.clear();
    let id = doc.meta.id.as_str();
    for (c, code) in codes.iter().enumerate() {
        for r in 0..code.words.len() {
            let rule = &mut lists[code.first + r];
            let taken;
            let list = if take {
                taken = rule.remove(id);
                taken.as_deref()
            } else {
                rule.get(id).map(Vec::as_slice)
            };
            for &(turn, w) in list.unwrap_or_default() {
                if is_turn(&doc.segments, turn) {
                    hits.push((turn, c as u32, r as u32, w));
                }
            }
        }
    }
    hits.sort_unstable();
}

/// The runs of `hits` on the same turn and code: one suggestion each.
fn turns_and_codes(hits: &[Hit]) -> impl Iterator<Item = &[Hit]> {
    hits.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
}

/// Whether turn number `turn` (from 1) is a turn of the document as read
/// now (a cached hit may point past a document that became shorter).
fn is_turn(segs: &[Segment], turn: u32) -> bool {
    segs.get((turn as usize).wrapping_sub(1))
        .is_some_and(|s| s.turn == turn)
}

/// A hit's words (`w`: an index among a rule's word strings).
fn hit_words(words: &[String], w: u32) -> impl Iterator<Item = &str> {
    words
        .get(w as usize)
        .map_or("", String::as_str)
        .split(' ')
        .filter(|w| !w.is_empty())
}

/// One code while its suggestions are made: its rules' results and the
/// strings its suggestions share (its ids, each rule's id, each
/// combination of rules, each set of matched words), each made once.
struct CodeRows<'r> {
    code: &'r Code,
    code_id: SharedStr,
    book_id: SharedStr,
    /// The place of its first rule among all rules.
    first: usize,
    /// Each of its rules' word strings.
    words: Vec<&'r [String]>,
    /// Rule's place -> its id, once a suggestion used it.
    alone: Vec<Option<SharedStr>>,
    /// (rule's place, word string) -> the words sorted and distinct, and
    /// how many there are.
    words_alone: FxHashMap<(u32, u32), (SharedStr, usize)>,
    /// The rules that matched a turn -> the first's id and all their ids.
    combos: FxHashMap<Vec<&'r str>, (SharedStr, SharedStr)>,
    /// Several rules' words, sorted and distinct -> them as one string.
    word_sets: FxHashMap<Vec<&'r str>, SharedStr>,
    /// The (rule, word string) pairs of several rules' hits on a turn ->
    /// what they make, so that each combination is merged once.
    merged: FxHashMap<Box<[(u32, u32)]>, Merged>,
    /// The pairs of the turn at hand.
    key: Vec<(u32, u32)>,
}

/// How many combinations of several rules' hits a code remembers at most
/// (a few megabytes), whatever the study's size.
const MERGED_KEPT: usize = 1 << 12;

/// A suggestion's (first rule's id, all rules' ids) and (matched words, how
/// many).
type Merged = ((SharedStr, SharedStr), (SharedStr, usize));

impl<'r> CodeRows<'r> {
    fn new(book: &Codebook, code: &'r Code, first: usize, words: Vec<&'r [String]>) -> Self {
        CodeRows {
            code,
            code_id: SharedStr::from(&code.id),
            book_id: SharedStr::from(&book.id),
            first,
            words,
            alone: vec![None; code.rules.len()],
            words_alone: FxHashMap::default(),
            combos: FxHashMap::default(),
            word_sets: FxHashMap::default(),
            merged: FxHashMap::default(),
            key: Vec::new(),
        }
    }

    /// The suggestion of this code on `seg` from its rules' hits there
    /// (`group`, in rule order): the score is the number of distinct words
    /// matched.
    fn suggestion(&mut self, seg: &Segment, group: &[Hit]) -> Suggestion {
        let ((rule, rules), (matched, n)) = match group {
            [(_, _, r, w)] => {
                // a turn only one rule hit (most of them) takes that rule's
                // id and its hit's words as they are
                let id = self.alone[*r as usize]
                    .get_or_insert_with(|| SharedStr::from(&self.code.rules[*r as usize].id))
                    .clone();
                let entry = self.words[*r as usize];
                let words = self
                    .words_alone
                    .entry((*r, *w))
                    .or_insert_with(|| {
                        let mut words: Vec<&str> = hit_words(entry, *w).collect();
                        words.sort_unstable();
                        words.dedup();
                        (SharedStr::from(words.join(" ")), words.len())
                    })
                    .clone();
                ((id.clone(), id), words)
            }
            _ => {
                // the rules and word strings of the hits decide the rest
                self.key.clear();
                self.key.extend(group.iter().map(|h| (h.2, h.3)));
                match self.merged.get(self.key.as_slice()) {
                    Some(done) => done.clone(),
                    None => {
                        let done = self.merge(group);
                        // a bounded memory of the combinations seen: the
                        // common ones come back soon after it is emptied
                        if self.merged.len() >= MERGED_KEPT {
                            self.merged.clear();
                        }
                        self.merged.insert(self.key.as_slice().into(), done.clone());
                        done
                    }
                }
            }
        };
        Suggestion {
            segment: seg.segment.clone(),
            code: self.code_id.clone(),
            codebook: self.book_id.clone(),
            rule,
            rules,
            score: n as f32,
            matched,
        }
    }

    /// The ids and matched words of several rules' hits on one turn
    /// (`group`, in rule order): the first rule's id and all their ids,
    /// and their words sorted and distinct with how many there are.
    fn merge(&mut self, group: &[Hit]) -> Merged {
        let code = self.code;
        let entries = &self.words;
        let rules: Vec<&'r str> = group
            .iter()
            .map(|h| code.rules[h.2 as usize].id.as_str())
            .collect();
        let mut words: Vec<&'r str> = group
            .iter()
            .flat_map(|h| hit_words(entries[h.2 as usize], h.3))
            .collect();
        words.sort_unstable();
        words.dedup();
        let n = words.len();
        let matched = match self.word_sets.get(&words) {
            Some(m) => m.clone(),
            None => {
                let m = SharedStr::from(words.join(" "));
                self.word_sets.insert(words, m.clone());
                m
            }
        };
        let first = rules[0];
        let ids = self
            .combos
            .entry(rules)
            .or_insert_with_key(|r| (SharedStr::from(first), SharedStr::from(r.join(" "))))
            .clone();
        (ids, (matched, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spor_corpus::Study;
    use std::path::Path;

    fn example() -> (Corpus, CodebookSet) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sundtek");
        let study = Study::open(&root).unwrap();
        let books = CodebookSet::read(&study.codebook_paths()).unwrap();
        (Corpus::read(&study), books)
    }

    /// An empty result for every rule, in codebook, code and rule order.
    fn no_hits(books: &CodebookSet) -> Vec<RuleResult> {
        books
            .codes()
            .flat_map(|(_, c)| &c.rules)
            .map(|r| (r.id.clone(), RuleEntry::default(), 0))
            .collect()
    }

    fn hit(done: &mut [RuleResult], rule: usize, doc: &str, turn: u32, words: &str) {
        let mut seen = std::collections::HashMap::new();
        let e = &mut done[rule].1;
        for (i, w) in e.words.iter().enumerate() {
            seen.insert(w.clone(), i as u32);
        }
        e.push(&mut seen, &SharedStr::from(doc), turn, words.to_owned());
    }

    #[test]
    fn a_codes_rules_merge_per_turn_in_corpus_order() {
        let (corpus, books) = example();
        // the first code with two rules, and the code after it
        let (c, code) = books
            .codes()
            .enumerate()
            .find(|(_, (_, c))| c.rules.len() >= 2)
            .map(|(i, (_, c))| (i, c))
            .unwrap();
        let first: usize = books.codes().take(c).map(|(_, c)| c.rules.len()).sum();
        let next = first + code.rules.len();
        let next_code = books.codes().nth(c + 1).unwrap().1;
        let d0 = corpus.documents[0].meta.id.as_str().to_owned();
        let d1 = corpus.documents[1].meta.id.as_str().to_owned();
        let past = corpus.documents[0].segments.len() as u32 + 1;
        let mut done = no_hits(&books);
        // the later document's hit is given first, and the later code's
        hit(&mut done, next, &d1, 1, "b");
        hit(&mut done, next, &d0, 2, "c");
        hit(&mut done, first + 1, &d0, 2, "z a");
        hit(&mut done, first, &d0, 2, "a y");
        hit(&mut done, first, &d0, 3, "x");
        // the same two rules' same words again
        hit(&mut done, first, &d0, 4, "a y");
        hit(&mut done, first + 1, &d0, 4, "z a");
        // a turn the document no longer has, a document the corpus lacks
        hit(&mut done, first, &d0, past, "gone");
        hit(&mut done, first, "no-such-document", 1, "gone");
        let got = suggestions(&corpus, &books, &mut done, true, |s| s);
        let row = |s: &Suggestion| {
            (
                s.segment.to_string(),
                s.code.to_string(),
                s.rule.to_string(),
                s.rules.to_string(),
                s.matched.to_string(),
                s.score,
            )
        };
        let (r0, r1) = (&code.rules[0].id, &code.rules[1].id);
        let want = vec![
            (
                format!("{d0}#2"),
                code.id.clone(),
                r0.clone(),
                format!("{r0} {r1}"),
                "a y z".to_owned(),
                3.0,
            ),
            (
                format!("{d0}#2"),
                next_code.id.clone(),
                next_code.rules[0].id.clone(),
                next_code.rules[0].id.clone(),
                "c".to_owned(),
                1.0,
            ),
            (
                format!("{d0}#3"),
                code.id.clone(),
                r0.clone(),
                r0.clone(),
                "x".to_owned(),
                1.0,
            ),
            (
                format!("{d0}#4"),
                code.id.clone(),
                r0.clone(),
                format!("{r0} {r1}"),
                "a y z".to_owned(),
                3.0,
            ),
            (
                format!("{d1}#1"),
                next_code.id.clone(),
                next_code.rules[0].id.clone(),
                next_code.rules[0].id.clone(),
                "b".to_owned(),
                1.0,
            ),
        ];
        assert_eq!(got.iter().map(row).collect::<Vec<_>>(), want);
        // the combination met again shares its strings
        assert_eq!(got[0].matched.as_ptr(), got[3].matched.as_ptr());
        assert_eq!(got[0].rules.as_ptr(), got[3].rules.as_ptr());
        // kept: every hit is still there for the cache
        assert_eq!(done[first].1.docs.len(), 2);
        // not kept: each document's hits are dropped once used
        let again = suggestions(&corpus, &books, &mut done, false, |s| s);
        assert_eq!(again.iter().map(row).collect::<Vec<_>>(), want);
        assert!(done[first + 1].1.docs.is_empty());
        assert!(done[next].1.docs.is_empty());
        assert_eq!(
            done[first]
                .1
                .docs
                .keys()
                .map(|d| d.as_str())
                .collect::<Vec<_>>(),
            ["no-such-document"]
        );
    }
}
