//! [`validate`]: checks a parsed query against the corpus's attribute names.

use crate::ast::{Query, Span};
use crate::error::QueryError;
use crate::hint::did_you_mean;

/// Checks that every attribute filter in `query` names one of the `known`
/// attributes (compared exactly, case-sensitively).
///
/// The error for the first unknown name points at the name and lists the
/// known names, with "did you mean …?" when one is close.
///
/// ```
/// use spor_query::{parse, validate};
///
/// let q = parse("implementering profesion:radiograf").unwrap();
/// let err = validate(&q, &["kind", "phase", "profession"]).unwrap_err();
/// assert_eq!(err.message, "unknown attribute `profesion`");
/// assert_eq!((err.span.start, err.span.end), (15, 24));
/// assert_eq!(
///     err.hint.as_deref(),
///     Some("did you mean `profession`? known attributes: kind, phase, profession")
/// );
/// ```
pub fn validate(query: &Query, known: &[&str]) -> Result<(), QueryError> {
    let mut result = Ok(());
    query.for_each_leaf(&mut |leaf| {
        if let Query::Attr { name, span, .. } = leaf {
            if result.is_ok() && !known.contains(&name.as_str()) {
                result = Err(unknown(name, *span, known));
            }
        }
    });
    result
}

fn unknown(name: &str, span: Span, known: &[&str]) -> QueryError {
    let span = Span::new(span.start, span.start + name.chars().count());
    let error = QueryError::new(format!("unknown attribute `{name}`"), span);
    if known.is_empty() {
        return error.with_hint("this corpus has no attributes to filter on");
    }
    let list = format!("known attributes: {}", known.join(", "));
    match did_you_mean(name, known) {
        Some(close) => error.with_hint(format!("did you mean `{close}`? {list}")),
        None => error.with_hint(list),
    }
}
