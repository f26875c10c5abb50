//! The first, simple reading of which words made a query match (kept for
//! the tests): both analyzers run over the whole text for every call, every
//! token is a pair of `String`s, and the query's words are analysed again
//! on every call. [`super::ClauseMatcher`] must give the same ranges.

use crate::analyzer::{self, tokens};
use spor_query::{AttrValue, Query};

/// A segment's words, analysed once.
struct Words {
    /// (exact form, key, char start, char end)
    toks: Vec<(String, String, usize, usize)>,
}

impl Words {
    fn new(text: &str) -> Words {
        let mut ex = analyzer::exact();
        let mut da = analyzer::danish();
        let forms = tokens(&mut ex, text);
        let keys = tokens(&mut da, text);
        // byte -> char offsets
        let mut toks = Vec::with_capacity(forms.len());
        let (mut byte_at, mut char_at) = (0usize, 0usize);
        for (f, k) in forms.into_iter().zip(keys) {
            char_at += text[byte_at..f.from].chars().count();
            let len = text[f.from..f.to].chars().count();
            toks.push((f.text, k.text, char_at, char_at + len));
            char_at += len;
            byte_at = f.to;
        }
        Words { toks }
    }

    fn where_(&self, pred: impl Fn(&str, &str) -> bool) -> Option<Vec<usize>> {
        let v: Vec<usize> = (0..self.toks.len())
            .filter(|&i| pred(&self.toks[i].0, &self.toks[i].1))
            .collect();
        (!v.is_empty()).then_some(v)
    }

    /// Words in order, each within `slop` extra positions in all of the
    /// one before: every token of every occurrence.
    fn sequence(&self, wanted: &[String], exact: bool, slop: u32) -> Option<Vec<usize>> {
        let get = |i: usize| -> &str {
            if exact {
                &self.toks[i].0
            } else {
                &self.toks[i].1
            }
        };
        let mut out = Vec::new();
        let n = self.toks.len();
        for start in 0..n {
            if get(start) != wanted[0] {
                continue;
            }
            let mut at = start;
            let mut used = 0u32;
            let mut got = vec![start];
            for w in &wanted[1..] {
                let mut found = None;
                let mut j = at + 1;
                while j < n && (j - at - 1) as u32 + used <= slop {
                    if get(j) == w {
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
            out.extend(got);
        }
        (!out.is_empty()).then_some(out)
    }
}

fn keys(text: &str, exact: bool) -> Vec<String> {
    let mut a = if exact {
        analyzer::exact()
    } else {
        analyzer::danish()
    };
    tokens(&mut a, text).into_iter().map(|t| t.text).collect()
}

fn eval(
    q: &Query,
    w: &Words,
    attr: &dyn Fn(&str, &AttrValue) -> bool,
    st: &frostem::Stemmer,
) -> Option<Vec<usize>> {
    match q {
        Query::Word { text, .. } | Query::Exact { text, .. } => {
            let exact = matches!(q, Query::Exact { .. });
            let k = keys(text, exact);
            match k.len() {
                0 => None,
                _ => w.sequence(&k, exact, 0),
            }
        }
        Query::Phrase {
            words, slop, exact, ..
        } => {
            let k: Vec<String> = words.iter().flat_map(|x| keys(x, *exact)).collect();
            if k.is_empty() {
                return None;
            }
            w.sequence(&k, *exact, *slop)
        }
        Query::Prefix { text, .. } => {
            let t = text.to_lowercase();
            w.where_(|f, _| f.starts_with(&t))
        }
        Query::Suffix { text, .. } => {
            let t = text.to_lowercase();
            let tk = analyzer::key(st, &t).into_owned();
            w.where_(|f, k| analyzer::suffix_match(f, k, &t, &tk))
        }
        Query::Infix { text, .. } => {
            let t = text.to_lowercase();
            w.where_(|f, _| f.contains(&t))
        }
        Query::Attr { name, value, .. } => attr(name, value).then(Vec::new),
        Query::And(items) => {
            let mut out = Vec::new();
            for i in items {
                match i {
                    Query::Not(inner) => {
                        if eval(inner, w, attr, st).is_some() {
                            return None;
                        }
                    }
                    other => out.extend(eval(other, w, attr, st)?),
                }
            }
            Some(out)
        }
        Query::Or(items) => {
            let mut any = false;
            let mut out = Vec::new();
            for i in items {
                if let Some(v) = eval(i, w, attr, st) {
                    any = true;
                    out.extend(v);
                }
            }
            any.then_some(out)
        }
        Query::Not(inner) => match eval(inner, w, attr, st) {
            Some(_) => None,
            None => Some(Vec::new()),
        },
    }
}

/// The char ranges of `text` that the clauses of `q` which are true on it
/// match, sorted and distinct; `None` when the query is not true on the
/// text. `attr` says whether the segment has an attribute value.
pub(crate) fn clause_ranges(
    q: &Query,
    text: &str,
    attr: &dyn Fn(&str, &AttrValue) -> bool,
) -> Option<Vec<(usize, usize)>> {
    let w = Words::new(text);
    let st = analyzer::stemmer();
    let mut idx = eval(q, &w, attr, &st)?;
    idx.sort_unstable();
    idx.dedup();
    Some(
        idx.into_iter()
            .map(|i| (w.toks[i].2, w.toks[i].3))
            .collect(),
    )
}
