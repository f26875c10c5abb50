//! [`QueryError`]: what is wrong with a query, where, and how to fix it.

use serde::{Deserialize, Serialize};

use crate::ast::Span;

/// An error in a query, pointing at the characters it is about.
///
/// `Display` gives the message and the 1-based column; use
/// [`QueryError::render`] to show the query with a caret line under the
/// offending part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message} (at column {column})", column = .span.start + 1)]
pub struct QueryError {
    /// What is wrong, in one line.
    pub message: String,
    /// The characters the error is about (char offsets into the query).
    pub span: Span,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl QueryError {
    /// An error without a hint.
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        QueryError {
            message: message.into(),
            span,
            hint: None,
        }
    }

    /// The same error with `hint` attached.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Renders the error for a terminal: the query on one line, a caret line
    /// (`^^^^`) under the span, the message, and the hint if any.
    ///
    /// ```
    /// let input = "a AND (b OR c";
    /// let err = spor_query::parse(input).unwrap_err();
    /// assert_eq!(
    ///     err.render(input),
    ///     "a AND (b OR c\n      ^\nunclosed parenthesis\nhint: add a matching `)`"
    /// );
    /// ```
    pub fn render(&self, input: &str) -> String {
        if input.trim().is_empty() {
            // nothing to point at: the message alone, not a caret under blanks
            let mut out = self.message.clone();
            if let Some(hint) = &self.hint {
                out.push_str("\nhint: ");
                out.push_str(hint);
            }
            return out;
        }
        let line: Vec<char> = input
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let start = self.span.start.min(line.len());
        let end = self.span.end.clamp(start, line.len());
        let indent: usize = line[..start].iter().map(|&c| char_width(c)).sum();
        let carets: usize = line[start..end].iter().map(|&c| char_width(c)).sum();
        let mut out: String = line.iter().collect();
        out.push('\n');
        out.push_str(&" ".repeat(indent));
        out.push_str(&"^".repeat(carets.max(1)));
        out.push('\n');
        out.push_str(&self.message);
        if let Some(hint) = &self.hint {
            out.push_str("\nhint: ");
            out.push_str(hint);
        }
        out
    }
}

/// Approximate terminal width of a character: 0 for combining marks and
/// zero-width characters, 2 for East Asian wide characters and emoji, 1
/// otherwise. Good enough to line the caret up under the span.
fn char_width(c: char) -> usize {
    match c as u32 {
        0x0300..=0x036F
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x200B..=0x200F
        | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}
