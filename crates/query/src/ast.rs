//! The query syntax tree: [`Query`], [`AttrValue`] and [`Span`].

use serde::{Deserialize, Serialize};

/// A range of characters in the query string, `start..end`.
///
/// Offsets count `char`s (Unicode scalar values), not bytes, so that a span
/// over `æøå` is `0..3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    /// Offset of the first character (0-based).
    pub start: usize,
    /// Offset one past the last character.
    pub end: usize,
}

impl Span {
    /// A span from `start` (inclusive) to `end` (exclusive).
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// The value of an attribute filter (`name:value`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttrValue {
    /// The attribute must equal this value (`profession:radiograf`).
    Exact(String),
    /// The attribute must start with this value (`profession:syge*`); the
    /// string does not include the `*`.
    Prefix(String),
}

impl AttrValue {
    /// The value as written, without a trailing `*`.
    pub fn as_str(&self) -> &str {
        match self {
            AttrValue::Exact(v) | AttrValue::Prefix(v) => v,
        }
    }

    /// Whether this is a prefix filter (`value*`).
    pub fn is_prefix(&self) -> bool {
        matches!(self, AttrValue::Prefix(_))
    }
}

/// A parsed query.
///
/// Leaf terms carry the [`Span`] of their source text (including `=`, `*`,
/// quotes, `~N` and `name:`); the operators do not. The parser flattens
/// nested operators of the same kind (`a AND (b AND c)` becomes one `And`
/// with three children) and never produces an `And`/`Or` with fewer than two
/// children. A quoted phrase of a single word is returned as [`Query::Word`]
/// (or [`Query::Exact`] for `="…"`).
///
/// Texts are kept as written (not lowercased); the index lowercases.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Query {
    /// A word, matched in any inflection (stemmed): `implementering`.
    Word {
        /// The word as written.
        text: String,
        /// Where the word is in the query.
        span: Span,
    },
    /// A word matched in exactly this form (unstemmed): `=får`.
    Exact {
        /// The word as written, without `=`.
        text: String,
        /// Where the term is in the query, including `=`.
        span: Span,
    },
    /// A phrase: `"tager fejl"`, `="tager fejl"`, `"tager fejl"~3`.
    Phrase {
        /// The words of the phrase, in order (at least two).
        words: Vec<String>,
        /// How many positions the words may be apart (`~N`); 0 = adjacent.
        slop: u32,
        /// Match the exact (unstemmed) forms (`="…"`).
        exact: bool,
        /// Where the phrase is in the query, including `=`, quotes and `~N`.
        span: Span,
    },
    /// Words starting with `text` (unstemmed): `syge*`.
    Prefix {
        /// The prefix, without `*`.
        text: String,
        /// Where the term is in the query, including `*`.
        span: Span,
    },
    /// Words ending with `text`, i.e. the last part of a compound:
    /// `*teknologi` finds `sundhedsteknologi`.
    Suffix {
        /// The suffix, without `*`.
        text: String,
        /// Where the term is in the query, including `*`.
        span: Span,
    },
    /// Words containing `text` anywhere: `*tekno*`.
    Infix {
        /// The infix, without the stars.
        text: String,
        /// Where the term is in the query, including both stars.
        span: Span,
    },
    /// An attribute filter: `profession:radiograf`, `kind:"focus group"`,
    /// `profession:syge*`.
    Attr {
        /// The attribute name (not checked by the parser; see
        /// [`validate`](crate::validate)).
        name: String,
        /// The value to match.
        value: AttrValue,
        /// Where the filter is in the query, from the name to the end of the
        /// value.
        span: Span,
    },
    /// All of the sub-queries must match (`AND`, or terms side by side).
    And(Vec<Query>),
    /// At least one of the sub-queries must match (`OR`).
    Or(Vec<Query>),
    /// The sub-query must not match (`NOT x`, `-x`).
    Not(Box<Query>),
}

impl Query {
    /// All of `items` (`AND`), flattening nested `And`s; a single item is
    /// returned as it is. This is the shape the parser produces.
    pub fn all(items: Vec<Query>) -> Query {
        Self::combine(items, false)
    }

    /// Any of `items` (`OR`), flattening nested `Or`s; a single item is
    /// returned as it is.
    pub fn any(items: Vec<Query>) -> Query {
        Self::combine(items, true)
    }

    fn combine(mut items: Vec<Query>, is_or: bool) -> Query {
        if items.len() == 1
            && let Some(only) = items.pop()
        {
            return only;
        }
        let mut flat = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Query::Or(children) if is_or => flat.extend(children),
                Query::And(children) if !is_or => flat.extend(children),
                item => flat.push(item),
            }
        }
        if is_or {
            Query::Or(flat)
        } else {
            Query::And(flat)
        }
    }

    /// The span of a leaf term; `None` for `And`, `Or` and `Not`.
    pub fn span(&self) -> Option<Span> {
        match self {
            Query::Word { span, .. }
            | Query::Exact { span, .. }
            | Query::Phrase { span, .. }
            | Query::Prefix { span, .. }
            | Query::Suffix { span, .. }
            | Query::Infix { span, .. }
            | Query::Attr { span, .. } => Some(*span),
            Query::And(_) | Query::Or(_) | Query::Not(_) => None,
        }
    }

    /// Whether this is a leaf term (anything but `And`, `Or` and `Not`).
    pub fn is_leaf(&self) -> bool {
        self.span().is_some()
    }

    /// The text terms that are not under a `NOT`, in query order: the terms
    /// whose matches are worth highlighting.
    ///
    /// Attribute filters are not included, since they match metadata rather
    /// than text.
    pub fn positive_terms(&self) -> Vec<&Query> {
        fn walk<'a>(q: &'a Query, out: &mut Vec<&'a Query>) {
            match q {
                Query::And(items) | Query::Or(items) => {
                    items.iter().for_each(|item| walk(item, out));
                }
                Query::Not(_) | Query::Attr { .. } => {}
                leaf => out.push(leaf),
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }

    /// The attribute names used anywhere in the query (also under `NOT`),
    /// each once, in order of first use.
    pub fn attr_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        self.for_each_leaf(&mut |leaf| {
            if let Query::Attr { name, .. } = leaf
                && !out.contains(&name.as_str())
            {
                out.push(name);
            }
        });
        out
    }

    /// A copy with every span set to `Span::default()`, for comparing
    /// queries by structure only.
    pub fn without_spans(&self) -> Query {
        let none = Span::default();
        match self {
            Query::Word { text, .. } => Query::Word {
                text: text.clone(),
                span: none,
            },
            Query::Exact { text, .. } => Query::Exact {
                text: text.clone(),
                span: none,
            },
            Query::Phrase {
                words, slop, exact, ..
            } => Query::Phrase {
                words: words.clone(),
                slop: *slop,
                exact: *exact,
                span: none,
            },
            Query::Prefix { text, .. } => Query::Prefix {
                text: text.clone(),
                span: none,
            },
            Query::Suffix { text, .. } => Query::Suffix {
                text: text.clone(),
                span: none,
            },
            Query::Infix { text, .. } => Query::Infix {
                text: text.clone(),
                span: none,
            },
            Query::Attr { name, value, .. } => Query::Attr {
                name: name.clone(),
                value: value.clone(),
                span: none,
            },
            Query::And(items) => Query::And(items.iter().map(Query::without_spans).collect()),
            Query::Or(items) => Query::Or(items.iter().map(Query::without_spans).collect()),
            Query::Not(inner) => Query::Not(Box::new(inner.without_spans())),
        }
    }

    /// Calls `f` on every leaf, in query order (including leaves under `NOT`).
    pub(crate) fn for_each_leaf<'a>(&'a self, f: &mut impl FnMut(&'a Query)) {
        match self {
            Query::And(items) | Query::Or(items) => {
                items.iter().for_each(|item| item.for_each_leaf(f));
            }
            Query::Not(inner) => inner.for_each_leaf(f),
            leaf => f(leaf),
        }
    }
}
