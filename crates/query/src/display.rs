//! The canonical text form of a query (`Display`) and its English
//! explanation ([`Query::explain`]).

use std::fmt::{self, Write as _};

use crate::ast::{AttrValue, Query};
use crate::chars::{is_keyword, is_value_char};

/// Writes the canonical form: explicit `AND`/`OR`/`NOT`, `NOT` instead of
/// `-`, and parentheses around every `AND`/`OR` group inside another
/// operator, e.g. `(a OR b) AND NOT =c`. The result parses back to an equal
/// query (ignoring spans).
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // A bare `AND`/`OR`/`NOT` would be an operator; a one-word
            // phrase parses back to the word.
            Query::Word { text, .. } if is_keyword(text) => write!(f, "\"{text}\""),
            Query::Word { text, .. } => f.write_str(text),
            Query::Exact { text, .. } => write!(f, "={text}"),
            Query::Phrase {
                words, slop, exact, ..
            } => {
                if *exact {
                    f.write_char('=')?;
                }
                write!(f, "\"{}\"", words.join(" "))?;
                if *slop > 0 {
                    write!(f, "~{slop}")?;
                }
                Ok(())
            }
            Query::Prefix { text, .. } => write!(f, "{text}*"),
            Query::Suffix { text, .. } => write!(f, "*{text}"),
            Query::Infix { text, .. } => write!(f, "*{text}*"),
            Query::Attr { name, value, .. } => {
                write!(f, "{name}:")?;
                write_value(f, value)
            }
            Query::And(items) => write_joined(f, items, " AND "),
            Query::Or(items) => write_joined(f, items, " OR "),
            Query::Not(inner) => {
                f.write_str("NOT ")?;
                write_operand(f, inner)
            }
        }
    }
}

/// Writes an operand of an operator, in parentheses if it is a group.
fn write_operand(f: &mut fmt::Formatter<'_>, q: &Query) -> fmt::Result {
    if matches!(q, Query::And(_) | Query::Or(_)) {
        write!(f, "({q})")
    } else {
        write!(f, "{q}")
    }
}

fn write_joined(f: &mut fmt::Formatter<'_>, items: &[Query], sep: &str) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        write_operand(f, item)?;
    }
    Ok(())
}

/// Writes an attribute value bare when it can be, otherwise quoted with
/// `\` escapes (a `*` inside the quotes is escaped so that only the prefix
/// marker is a bare `*`).
fn write_value(f: &mut fmt::Formatter<'_>, value: &AttrValue) -> fmt::Result {
    let v = value.as_str();
    let star = if value.is_prefix() { "*" } else { "" };
    if !v.is_empty() && v.chars().all(is_value_char) {
        return write!(f, "{v}{star}");
    }
    f.write_char('"')?;
    for c in v.chars() {
        if matches!(c, '"' | '\\' | '*') {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    write!(f, "{star}\"")
}

impl Query {
    /// A multi-line English explanation of what the query matches, one term
    /// per line, groups indented by two spaces:
    ///
    /// ```
    /// let q = spor_query::parse("implementering =får -profession:radiograf").unwrap();
    /// assert_eq!(
    ///     q.explain(),
    ///     "all of:\n  \
    ///        word 'implementering' (any inflection)\n  \
    ///        exact word 'får' (this form only)\n  \
    ///        not attribute profession is 'radiograf'"
    /// );
    /// ```
    ///
    /// A query that is only a `NOT` starts with `everything except:`.
    pub fn explain(&self) -> String {
        let mut lines = Vec::new();
        match self {
            Query::Not(inner) => {
                lines.push("everything except:".to_string());
                explain_into(inner, 1, &mut lines);
            }
            q => explain_into(q, 0, &mut lines),
        }
        lines.join("\n")
    }
}

fn explain_into(q: &Query, depth: usize, lines: &mut Vec<String>) {
    let indent = "  ".repeat(depth);
    let (head, items) = match q {
        Query::And(items) => ("all of:", items.as_slice()),
        Query::Or(items) => ("any of:", items.as_slice()),
        Query::Not(inner) if inner.is_leaf() => {
            lines.push(format!("{indent}not {}", describe(inner)));
            return;
        }
        Query::Not(inner) => ("not:", std::slice::from_ref(inner.as_ref())),
        leaf => {
            lines.push(format!("{indent}{}", describe(leaf)));
            return;
        }
    };
    lines.push(format!("{indent}{head}"));
    for item in items {
        explain_into(item, depth + 1, lines);
    }
}

/// One line describing a leaf term.
fn describe(q: &Query) -> String {
    match q {
        Query::Word { text, .. } => format!("word '{text}' (any inflection)"),
        Query::Exact { text, .. } => format!("exact word '{text}' (this form only)"),
        Query::Phrase {
            words, slop, exact, ..
        } => {
            let kind = if *exact { "exact phrase" } else { "phrase" };
            let forms = if *exact {
                "these forms only"
            } else {
                "any inflection"
            };
            let near = match slop {
                0 => String::new(),
                1 => ", words within 1 position".to_string(),
                n => format!(", words within {n} positions"),
            };
            format!("{kind} \"{}\"{near} ({forms})", words.join(" "))
        }
        Query::Prefix { text, .. } => format!("word starting with '{text}'"),
        Query::Suffix { text, .. } => {
            format!("word ending with '{text}' (e.g. the last part of a compound)")
        }
        Query::Infix { text, .. } => format!("word containing '{text}'"),
        Query::Attr {
            name,
            value: AttrValue::Exact(v),
            ..
        } => format!("attribute {name} is '{v}'"),
        Query::Attr {
            name,
            value: AttrValue::Prefix(v),
            ..
        } => format!("attribute {name} starts with '{v}'"),
        Query::And(_) | Query::Or(_) | Query::Not(_) => q.to_string(),
    }
}
