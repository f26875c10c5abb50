//! The parser: builds a [`Query`] from tokens by recursive descent.
//!
//! ```text
//! query   = or
//! or      = and { "OR" and }
//! and     = unary { ["AND"] unary }     (side by side = AND)
//! unary   = ("NOT" | "-") unary | primary
//! primary = term | "(" or ")"
//! ```

use std::iter::Peekable;
use std::vec::IntoIter;

use crate::ast::{Query, Span};
use crate::error::QueryError;
use crate::lexer::{Tok, Token};

/// How deeply parentheses and `NOT`s may nest; keeps the recursion (and
/// everything that walks the tree later) well within the stack.
const MAX_DEPTH: usize = 200;

/// The operator a term must follow, for error messages.
type After = Option<(&'static str, Span)>;

/// Parses the tokens of a query of `len` characters.
pub(crate) fn parse_tokens(tokens: Vec<Token>, len: usize) -> Result<Query, QueryError> {
    if tokens.is_empty() {
        return Err(QueryError::new("empty query", Span::new(0, len)).with_hint(
            "write a word, a \"phrase\" or an attribute filter like profession:radiograf",
        ));
    }
    let mut parser = Parser {
        tokens: tokens.into_iter().peekable(),
        depth: 0,
    };
    let query = parser.or(None)?;
    match parser.tokens.next() {
        None => Ok(query),
        Some(t) => Err(unmatched_close(t.span)),
    }
}

fn unmatched_close(span: Span) -> QueryError {
    QueryError::new("unmatched closing parenthesis", span)
        .with_hint("remove it, or add a matching `(` before it")
}

fn op_name(tok: &Tok) -> &'static str {
    match tok {
        Tok::And => "AND",
        Tok::Or => "OR",
        Tok::Not => "NOT",
        Tok::Minus => "-",
        Tok::LParen => "(",
        Tok::RParen => ")",
        Tok::Term(_) => "term",
    }
}

struct Parser {
    tokens: Peekable<IntoIter<Token>>,
    depth: usize,
}

impl Parser {
    fn peek(&mut self) -> Option<&Tok> {
        self.tokens.peek().map(|t| &t.tok)
    }

    fn or(&mut self, after: After) -> Result<Query, QueryError> {
        let mut items = vec![self.and(after)?];
        while let Some(Tok::Or) = self.peek() {
            let op = self.tokens.next().map(|t| t.span).unwrap_or_default();
            items.push(self.and(Some(("OR", op)))?);
        }
        Ok(Query::any(items))
    }

    fn and(&mut self, after: After) -> Result<Query, QueryError> {
        let mut items = vec![self.unary(after)?];
        loop {
            match self.peek() {
                Some(Tok::And) => {
                    let op = self.tokens.next().map(|t| t.span).unwrap_or_default();
                    items.push(self.unary(Some(("AND", op)))?);
                }
                Some(Tok::Not | Tok::Minus | Tok::Term(_) | Tok::LParen) => {
                    items.push(self.unary(None)?);
                }
                _ => break,
            }
        }
        Ok(Query::all(items))
    }

    fn unary(&mut self, after: After) -> Result<Query, QueryError> {
        self.depth += 1;
        let result = self.unary_inner(after);
        self.depth -= 1;
        result
    }

    fn unary_inner(&mut self, after: After) -> Result<Query, QueryError> {
        let Some(token) = self.tokens.next() else {
            return Err(match after {
                Some((op, span)) => nothing_after(op, span),
                None => QueryError::new("empty query", Span::default()),
            });
        };
        if self.depth > MAX_DEPTH {
            return Err(
                QueryError::new("the query is nested too deeply", token.span)
                    .with_hint("use fewer parentheses and NOTs"),
            );
        }
        match token.tok {
            Tok::Term(query) => Ok(query),
            Tok::Not | Tok::Minus => {
                let name = op_name(&token.tok);
                let inner = self.unary(Some((name, token.span)))?;
                Ok(Query::Not(Box::new(inner)))
            }
            Tok::LParen => self.group(token.span),
            Tok::RParen => Err(match after {
                Some((op, span)) => nothing_after(op, span),
                None => unmatched_close(token.span),
            }),
            Tok::And | Tok::Or => {
                let name = op_name(&token.tok);
                Err(match after {
                    Some((op, _)) => QueryError::new(
                        format!("expected a term after `{op}`, found `{name}`"),
                        token.span,
                    )
                    .with_hint(format!("remove one of `{op}` and `{name}`")),
                    None => QueryError::new(format!("`{name}` has no term before it"), token.span)
                        .with_hint(format!("`{name}` goes between two terms: a {name} b")),
                })
            }
        }
    }

    /// The rest of a parenthesised group whose `(` has span `open`.
    fn group(&mut self, open: Span) -> Result<Query, QueryError> {
        let unclosed =
            || QueryError::new("unclosed parenthesis", open).with_hint("add a matching `)`");
        match self.tokens.peek() {
            None => return Err(unclosed()),
            Some(Token {
                tok: Tok::RParen,
                span,
            }) => {
                return Err(
                    QueryError::new("empty parentheses", Span::new(open.start, span.end))
                        .with_hint("put a term inside the parentheses, or remove them"),
                );
            }
            Some(_) => {}
        }
        let inner = self.or(None)?;
        match self.tokens.next() {
            Some(Token {
                tok: Tok::RParen, ..
            }) => Ok(inner),
            _ => Err(unclosed()),
        }
    }
}

fn nothing_after(op: &str, span: Span) -> QueryError {
    QueryError::new(format!("`{op}` has nothing after it"), span)
        .with_hint(format!("add a term after `{op}`, or remove it"))
}
