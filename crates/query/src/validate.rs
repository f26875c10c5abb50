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
    check_cost(query)?;
    let mut result = Ok(());
    query.for_each_leaf(&mut |leaf| {
        if let Query::Attr { name, span, .. } = leaf
            && result.is_ok()
            && !known.contains(&name.as_str())
        {
            result = Err(unknown(name, *span, known));
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

/// The most wildcard terms (`x*`, `*x`, `*x*`, `name:x*`) a query may hold:
/// each is expanded against the whole word list of the index, so that 625
/// of them took minutes. The shipped codebooks' largest rule has about 50.
pub const MAX_WILDCARDS: usize = 100;

/// The most terms (words, phrases, wildcards, attribute filters) a query
/// may hold.
pub const MAX_TERMS: usize = 1000;

/// Checks that a query stays within spor's cost limits ([`MAX_WILDCARDS`],
/// [`MAX_TERMS`]); [`validate`] calls it. The error points at the first
/// term over the limit.
///
/// ```
/// use spor_query::{parse, check_cost};
///
/// let q = parse(&vec!["*xy*"; 101].join(" ")).unwrap();
/// let err = check_cost(&q).unwrap_err();
/// assert!(err.message.contains("more than 100 wildcard terms"));
/// assert!(check_cost(&parse("syge* *teknologi").unwrap()).is_ok());
/// ```
pub fn check_cost(query: &Query) -> Result<(), QueryError> {
    let (mut terms, mut wildcards) = (0usize, 0usize);
    let mut result = Ok(());
    query.for_each_leaf(&mut |leaf| {
        if result.is_err() {
            return;
        }
        terms += 1;
        let wild = match leaf {
            Query::Prefix { span, .. } | Query::Suffix { span, .. } | Query::Infix { span, .. } => {
                Some(*span)
            }
            Query::Attr {
                value: crate::ast::AttrValue::Prefix(_),
                span,
                ..
            } => Some(*span),
            _ => None,
        };
        if let Some(span) = wild {
            wildcards += 1;
            if wildcards > MAX_WILDCARDS {
                result = Err(QueryError::new(
                    format!(
                        "the query has more than {MAX_WILDCARDS} wildcard terms (spor's cost limit)"
                    ),
                    span,
                )
                .with_hint(
                    "use fewer wildcards, e.g. one `*stem*` for several forms, or split the query",
                ));
                return;
            }
        }
        if terms > MAX_TERMS {
            result = Err(QueryError::new(
                format!("the query has more than {MAX_TERMS} terms (spor's cost limit)"),
                leaf.span().unwrap_or_default(),
            )
            .with_hint("split the query into several"));
        }
    });
    result
}
