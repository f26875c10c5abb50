//! `spor-query` owns spor's query language: the syntax used by
//! `spor search QUERY` and by codebook rules. It parses a query into a
//! [`Query`] tree, validates attribute names against a corpus
//! ([`validate`]), prints the canonical form (`Display`), explains a query
//! in English ([`Query::explain`]), and reports errors with the position
//! they are about ([`QueryError::render`]). Mapping the tree onto the search
//! index is the index crate's job.
//!
//! ```
//! use spor_query::{parse, validate, Query};
//!
//! let q = parse("(implementering OR *teknologi) \"tager fejl\"~3 -profession:radiograf")?;
//! assert_eq!(
//!     q.to_string(),
//!     "(implementering OR *teknologi) AND \"tager fejl\"~3 AND NOT profession:radiograf"
//! );
//! assert!(validate(&q, &["profession", "phase"]).is_ok());
//! assert!(validate(&q, &["phase"]).is_err());
//! assert!(matches!(q, Query::And(ref items) if items.len() == 3));
//! # Ok::<(), spor_query::QueryError>(())
//! ```
//!
//! # The language
//!
//! | Syntax | Meaning |
//! |---|---|
//! | `ord` | the word in any inflection (stemmed): `implementering` finds `implementeringen` |
//! | `=ord` | exactly this form (unstemmed): `=får` |
//! | `"en frase"` | the words next to each other, any inflection |
//! | `="en frase"` | the phrase in exactly these forms |
//! | `"en frase"~N` | the words in order, with at most `N` other words in all between the first and the last |
//! | `ord*` | words starting with `ord` (unstemmed): `syge*` |
//! | `*ord` | words ending with `ord`, e.g. the last part of a compound: `*teknologi` finds `sundhedsteknologi` |
//! | `*ord*` | words containing `ord` anywhere |
//! | `name:value`, `name:"two words"` | attribute filter: `profession:radiograf`, `phase:2` |
//! | `name:value*` | attribute starts with `value`: `profession:syge*` |
//! | `a AND b`, `a b` | both; terms side by side without an operator are ANDed |
//! | `a OR b` | either |
//! | `NOT a`, `-a`, `-"en frase"`, `-(…)` | not |
//! | `( … )` | grouping |
//!
//! * Words are runs of Unicode letters and digits (æ, ø, å and any other
//!   letters count), with inner `-`, `'`, `.` and `_` kept when a letter or
//!   digit follows: `e-læring`, `covid-19`, `f.eks`. Other punctuation
//!   separates words, both in phrases and outside them. A `-` glued to the
//!   end of a word (`sundheds- og`) is punctuation, not NOT.
//! * Texts are kept as written; the index lowercases. Normalising the input
//!   (e.g. to NFC) is the caller's job.
//! * The operators `AND`, `OR` and `NOT` are uppercase only; `and`, `or` and
//!   `not` are ordinary words.
//! * Precedence: `NOT`/`-` binds tightest, then `AND` (explicit or implicit),
//!   then `OR`: `a OR b c` is `a OR (b AND c)`, and `NOT a b` is
//!   `(NOT a) AND b`.
//! * Wildcard terms need at least 2 letters besides the `*`; a `*` anywhere
//!   else is an error.
//! * A phrase of one word is the word itself; `~0` is an ordinary phrase.
//! * Attribute names are `[A-Za-z_][A-Za-z0-9_.-]*` directly followed by `:`;
//!   unquoted values may contain letters, digits, `-`, `_`, `.` and `'`.
//!   In quoted strings `\` escapes the next character (`\"`, `\\`, and `\*`
//!   for a literal star in an attribute value).
//! * A query that is only negative (`NOT x`) means "everything except x".
//!   An empty query is an error.
#![deny(missing_docs)]

mod ast;
mod chars;
mod display;
mod error;
mod hint;
mod lexer;
mod parser;
mod validate;

pub use ast::{AttrValue, Query, Span};
pub use error::QueryError;
pub use hint::spelling_hint;
pub use validate::{MAX_TERMS, MAX_WILDCARDS, check_cost, validate};

/// Parses a query.
///
/// Errors point at the offending characters: see [`QueryError`]. Spans in
/// the result and in errors are char offsets into `input`.
///
/// ```
/// use spor_query::{parse, Query, Span};
///
/// assert_eq!(
///     parse("=får")?,
///     Query::Exact { text: "får".into(), span: Span::new(0, 4) }
/// );
/// # Ok::<(), spor_query::QueryError>(())
/// ```
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let tokens = lexer::lex(&chars)?;
    parser::parse_tokens(tokens, chars.len())
}
