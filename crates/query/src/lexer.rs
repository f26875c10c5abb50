//! The lexer: turns the query's characters into tokens with char spans.
//!
//! The lexer already builds the leaf terms (words, wildcards, phrases and
//! attribute filters), so the parser only deals with operators and grouping.

use crate::ast::{AttrValue, Query, Span};
use crate::chars::{
    attr_name_end, is_keyword, is_value_char, is_word_char, is_word_start, word_end,
};
use crate::error::QueryError;

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    /// `-` directly before a term: NOT.
    Minus,
    /// A leaf term.
    Term(Query),
}

/// A token and where it is.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) span: Span,
}

const STAR_HINT: &str = "a `*` goes at the start or end of a word: syge* (starts with), \
                         *teknologi (ends with), *tekno* (contains)";
const ATTR_HINT: &str = "attribute filters look like profession:radiograf or \
                         kind:\"focus group\"; names use a-z, digits and _ . -";
const TYPOGRAPHIC_QUOTES: &[char] = &['“', '”', '„', '‟', '«', '»', '〝', '〞'];

/// Splits the query into tokens, or reports the first lexical error.
pub(crate) fn lex(chars: &[char]) -> Result<Vec<Token>, QueryError> {
    let mut lexer = Lexer {
        chars,
        pos: 0,
        tokens: Vec::new(),
    };
    lexer.run()?;
    Ok(lexer.tokens)
}

/// One character of a quoted string.
#[derive(Debug, Clone, Copy)]
struct QuotedChar {
    c: char,
    pos: usize,
    escaped: bool,
}

struct Lexer<'a> {
    chars: &'a [char],
    pos: usize,
    tokens: Vec<Token>,
}

fn err(message: impl Into<String>, start: usize, end: usize) -> QueryError {
    QueryError::new(message, Span::new(start, end))
}

impl Lexer<'_> {
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn text(&self, start: usize, end: usize) -> String {
        self.chars[start..end].iter().collect()
    }

    fn push(&mut self, tok: Tok, start: usize, end: usize) {
        self.tokens.push(Token {
            tok,
            span: Span::new(start, end),
        });
        self.pos = end;
    }

    fn run(&mut self) -> Result<(), QueryError> {
        while let Some(c) = self.at(self.pos) {
            let i = self.pos;
            match c {
                c if c.is_whitespace() => self.pos += 1,
                '(' => self.push(Tok::LParen, i, i + 1),
                ')' => self.push(Tok::RParen, i, i + 1),
                '"' => self.phrase(i, i, false)?,
                '=' => self.exact(i)?,
                '-' => self.minus(i)?,
                '*' => self.term(i, i, false)?,
                '~' => {
                    return Err(err("`~` must come right after a closing quote", i, i + 1)
                        .with_hint("proximity is written \"tager fejl\"~3, with no space"));
                }
                ':' => {
                    return Err(
                        err("`:` must follow an attribute name", i, i + 1).with_hint(ATTR_HINT)
                    );
                }
                '|' | '&' | '!' => return Err(self.symbol_operator(i, c)),
                c if TYPOGRAPHIC_QUOTES.contains(&c) => {
                    return Err(err(format!("`{c}` is not a query quote"), i, i + 1)
                        .with_hint("write phrases with straight double quotes: \"tager fejl\""));
                }
                c => {
                    if let Some(colon) = attr_name_end(self.chars, i) {
                        self.attr(i, colon)?;
                    } else if is_word_start(c) {
                        self.term(i, i, false)?;
                    } else {
                        // Other punctuation separates words, as in the text.
                        self.pos += 1;
                    }
                }
            }
        }
        Ok(())
    }

    /// `|`, `&` or `!` (possibly doubled): helpful errors for operators from
    /// other query languages.
    fn symbol_operator(&self, i: usize, c: char) -> QueryError {
        let mut end = i + 1;
        while self.at(end) == Some(c) {
            end += 1;
        }
        let hint = match c {
            '|' => "use OR (uppercase): a OR b",
            '&' => "use AND (uppercase), or just write the terms side by side",
            _ => "use NOT (uppercase) or -word",
        };
        err(
            format!("`{}` is not an operator", self.text(i, end)),
            i,
            end,
        )
        .with_hint(hint)
    }

    /// `-` before a term is NOT; `-` glued to the end of a word
    /// (`sundheds- og`) is punctuation.
    fn minus(&mut self, i: usize) -> Result<(), QueryError> {
        let glued = i > 0 && {
            let prev = self.chars[i - 1];
            is_word_char(prev) || prev == '*'
        };
        if glued {
            self.pos += 1;
            return Ok(());
        }
        match self.at(i + 1) {
            Some(c) if !c.is_whitespace() && c != ')' => {
                self.push(Tok::Minus, i, i + 1);
                Ok(())
            }
            _ => Err(
                err("`-` must be directly followed by what to exclude", i, i + 1)
                    .with_hint("write -word or -\"a phrase\" with no space, or use NOT"),
            ),
        }
    }

    /// `=word` or `="a phrase"`.
    fn exact(&mut self, i: usize) -> Result<(), QueryError> {
        match self.at(i + 1) {
            Some('"') => self.phrase(i, i + 1, true),
            Some(c) if c == '*' || is_word_start(c) => {
                if attr_name_end(self.chars, i + 1).is_some() {
                    return Err(err("`=` cannot be used with an attribute filter", i, i + 1)
                        .with_hint(
                            "attribute filters always match the value exactly: name:value",
                        ));
                }
                self.term(i, i + 1, true)
            }
            _ => Err(err(
                "`=` must be directly followed by a word or a phrase",
                i,
                i + 1,
            )
            .with_hint("e.g. =får or =\"tager fejl\"")),
        }
    }

    /// A word, possibly with `*` wildcards, starting at `at`; `start` is the
    /// token start (the `=` for exact terms).
    fn term(&mut self, start: usize, at: usize, exact: bool) -> Result<(), QueryError> {
        let lead = self.at(at) == Some('*');
        let word_start = if lead { at + 1 } else { at };
        if lead {
            match self.at(word_start) {
                Some('*') => {
                    return Err(
                        err("`**` is not a wildcard", at, word_start + 1).with_hint(STAR_HINT)
                    );
                }
                Some(c) if is_word_start(c) => {}
                _ => {
                    return Err(
                        err("a `*` must be attached to a word", at, at + 1).with_hint(STAR_HINT)
                    );
                }
            }
        }
        let word_stop = word_end(self.chars, word_start);
        let trail = self.at(word_stop) == Some('*');
        let end = if trail { word_stop + 1 } else { word_stop };
        if trail {
            match self.at(end) {
                Some('*') => {
                    return Err(
                        err("`**` is not a wildcard", word_stop, end + 1).with_hint(STAR_HINT)
                    );
                }
                Some(c) if is_word_char(c) => {
                    return Err(err(
                        "`*` can only be at the start or end of a word",
                        word_stop,
                        end,
                    )
                    .with_hint(STAR_HINT));
                }
                _ => {}
            }
        }
        let text = self.text(word_start, word_stop);
        if (lead || trail) && text.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            return Err(err(
                format!(
                    "`{}` is too short; would match too much",
                    self.text(at, end)
                ),
                start,
                end,
            )
            .with_hint("use at least 2 letters besides the `*`"));
        }
        let span = Span::new(start, end);
        let tok = match (lead, trail) {
            (false, false) if !exact && is_keyword(&text) => match text.as_str() {
                "AND" => Tok::And,
                "OR" => Tok::Or,
                _ => Tok::Not,
            },
            (false, false) if exact => Tok::Term(Query::Exact { text, span }),
            (false, false) => Tok::Term(Query::Word { text, span }),
            (false, true) => Tok::Term(Query::Prefix { text, span }),
            (true, false) => Tok::Term(Query::Suffix { text, span }),
            (true, true) => Tok::Term(Query::Infix { text, span }),
        };
        self.push(tok, start, end);
        Ok(())
    }

    /// The contents of the quoted string whose `"` is at `quote`, and the
    /// position after the closing quote. `\` escapes the next character.
    fn quoted(&self, quote: usize) -> Result<(Vec<QuotedChar>, usize), QueryError> {
        let unterminated =
            || err("unterminated quote", quote, quote + 1).with_hint("add a closing `\"`");
        let mut out = Vec::new();
        let mut i = quote + 1;
        loop {
            match self.at(i) {
                None => return Err(unterminated()),
                Some('"') => return Ok((out, i + 1)),
                Some('\\') => {
                    let c = self.at(i + 1).ok_or_else(unterminated)?;
                    out.push(QuotedChar {
                        c,
                        pos: i + 1,
                        escaped: true,
                    });
                    i += 2;
                }
                Some(c) => {
                    out.push(QuotedChar {
                        c,
                        pos: i,
                        escaped: false,
                    });
                    i += 1;
                }
            }
        }
    }

    /// A phrase whose opening quote is at `quote`; `start` is the token
    /// start (the `=` for exact phrases).
    fn phrase(&mut self, start: usize, quote: usize, exact: bool) -> Result<(), QueryError> {
        let (content, mut end) = self.quoted(quote)?;
        let mut slop = 0;
        if self.at(end) == Some('~') {
            let tilde = end;
            end += 1;
            while self.at(end).is_some_and(|c| c.is_ascii_digit()) {
                end += 1;
            }
            if end == tilde + 1 || self.at(end).is_some_and(is_word_char) {
                return Err(err("`~` must be followed by a number", tilde, tilde + 1)
                    .with_hint("e.g. \"tager fejl\"~3: the words within 3 positions"));
            }
            slop = self.text(tilde + 1, end).parse().map_err(|_| {
                err("proximity number is too large", tilde, end)
                    .with_hint("use a smaller number after `~`")
            })?;
        }
        let chars: Vec<char> = content.iter().map(|q| q.c).collect();
        let mut words = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            let q = content[k];
            if q.c == '*' && !q.escaped {
                return Err(err("`*` cannot be used inside a phrase", q.pos, q.pos + 1)
                    .with_hint("wildcards work on single words: syge* OR *teknologi"));
            }
            if is_word_start(q.c) {
                let stop = word_end(&chars, k);
                words.push(chars[k..stop].iter().collect::<String>());
                k = stop;
            } else {
                k += 1;
            }
        }
        let span = Span::new(start, end);
        let query = match words.len() {
            0 => {
                return Err(err("empty phrase", start, end)
                    .with_hint("put words between the quotes: \"tager fejl\""));
            }
            1 => {
                let text = words.pop().unwrap_or_default();
                if exact {
                    Query::Exact { text, span }
                } else {
                    Query::Word { text, span }
                }
            }
            _ => Query::Phrase {
                words,
                slop,
                exact,
                span,
            },
        };
        self.push(Tok::Term(query), start, end);
        Ok(())
    }

    /// An attribute filter whose name starts at `start` and ends at the `:`
    /// at `colon`.
    fn attr(&mut self, start: usize, colon: usize) -> Result<(), QueryError> {
        let name = self.text(start, colon);
        let value_start = colon + 1;
        let (value, prefix, end) = match self.at(value_start) {
            Some('"') => self.quoted_value(&name, start, value_start)?,
            Some('*') => {
                return Err(err(
                    "an attribute value cannot start with `*`",
                    value_start,
                    value_start + 1,
                )
                .with_hint(format!("only prefix filters are possible: {name}:value*")));
            }
            Some(c) if is_value_char(c) => self.bare_value(&name, value_start)?,
            _ => {
                return Err(
                    err(format!("`{name}:` has an empty value"), start, value_start).with_hint(
                        format!(
                            "write the value right after the colon: {name}:value, \
                         or quote it: {name}:\"two words\""
                        ),
                    ),
                );
            }
        };
        match self.at(end) {
            Some('*') => {
                return Err(err(
                    "`*` can only be at the end of an attribute value",
                    end,
                    end + 1,
                )
                .with_hint(format!("a prefix filter is written {name}:value*")));
            }
            Some(c) if !c.is_whitespace() && c != ')' => {
                return Err(err(
                    format!("unexpected `{c}` after the value of `{name}`"),
                    end,
                    end + 1,
                )
                .with_hint(format!("quote values with other characters: {name}:\"…\"")));
            }
            _ => {}
        }
        let value = if prefix {
            AttrValue::Prefix(value)
        } else {
            AttrValue::Exact(value)
        };
        self.push(
            Tok::Term(Query::Attr {
                name,
                value,
                span: Span::new(start, end),
            }),
            start,
            end,
        );
        Ok(())
    }

    /// A quoted attribute value starting at `value_start` (a `*` inside the
    /// quotes at the end, or right after them, makes it a prefix): the
    /// value, whether it is a prefix, and where it ends.
    fn quoted_value(
        &mut self,
        name: &str,
        start: usize,
        value_start: usize,
    ) -> Result<(String, bool, usize), QueryError> {
        let (mut content, mut end) = self.quoted(value_start)?;
        let mut prefix = false;
        if content.last().is_some_and(|q| q.c == '*' && !q.escaped) {
            content.pop();
            prefix = true;
        }
        if self.at(end) == Some('*') && !prefix {
            prefix = true;
            end += 1;
        }
        let value: String = content.iter().map(|q| q.c).collect();
        if value.is_empty() {
            return Err(err(format!("empty value for `{name}`"), start, end)
                .with_hint(format!("write a value after the colon: {name}:value")));
        }
        Ok((value, prefix, end))
    }

    /// An unquoted attribute value starting at `value_start`, with an
    /// optional `*` at its end (a prefix): the value, whether it is a
    /// prefix, and where it ends.
    fn bare_value(
        &mut self,
        name: &str,
        value_start: usize,
    ) -> Result<(String, bool, usize), QueryError> {
        let mut stop = value_start;
        while self.at(stop).is_some_and(is_value_char) {
            stop += 1;
        }
        let prefix = self.at(stop) == Some('*');
        let end = if prefix { stop + 1 } else { stop };
        if prefix && self.at(end).is_some_and(is_word_char) {
            return Err(err(
                "`*` can only be at the end of an attribute value",
                stop,
                end,
            )
            .with_hint(format!("a prefix filter is written {name}:value*")));
        }
        Ok((self.text(value_start, stop), prefix, end))
    }
}
