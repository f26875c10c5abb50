//! Every parse error: its message, the span it points at, and a hint.

use spor_query::{QueryError, parse};

/// Parses `input`, expecting an error with `message` at `start..end`.
#[track_caller]
fn fails(input: &str, start: usize, end: usize, message: &str) -> QueryError {
    let err = match parse(input) {
        Ok(q) => panic!("{input:?} parsed as {q:?}"),
        Err(e) => e,
    };
    assert_eq!(err.message, message, "message for {input:?}");
    assert_eq!(
        (err.span.start, err.span.end),
        (start, end),
        "span for {input:?}:\n{}",
        err.render(input)
    );
    err
}

#[track_caller]
fn fails_with_hint(input: &str, start: usize, end: usize, message: &str, hint: &str) {
    let err = fails(input, start, end, message);
    let got = err.hint.unwrap_or_default();
    assert!(got.contains(hint), "hint for {input:?}: {got:?}");
}

#[test]
fn empty_query() {
    fails_with_hint("", 0, 0, "empty query", "profession:radiograf");
    fails("   ", 0, 3, "empty query");
    fails(", . ?", 0, 5, "empty query");
    // nothing to put a caret under: the message comes first, not a blank line
    for blank in ["", "   "] {
        let rendered = parse(blank).unwrap_err().render(blank);
        assert!(rendered.starts_with("empty query\nhint: "), "{rendered:?}");
        assert!(!rendered.contains('^'), "{rendered:?}");
    }
}

#[test]
fn unclosed_parenthesis_points_at_the_open_one() {
    fails_with_hint(
        "a (b OR c",
        2,
        3,
        "unclosed parenthesis",
        "add a matching `)`",
    );
    fails("((a)", 0, 1, "unclosed parenthesis");
    fails("(", 0, 1, "unclosed parenthesis");
    fails("a (b (c) d", 2, 3, "unclosed parenthesis");
}

#[test]
fn unmatched_closing_parenthesis() {
    fails_with_hint("a b)", 3, 4, "unmatched closing parenthesis", "remove it");
    fails(")a", 0, 1, "unmatched closing parenthesis");
    fails("(a))", 3, 4, "unmatched closing parenthesis");
}

#[test]
fn empty_parentheses() {
    fails_with_hint("()", 0, 2, "empty parentheses", "put a term inside");
    fails("a ( ) b", 2, 5, "empty parentheses");
}

#[test]
fn unterminated_quote_points_at_the_quote() {
    fails_with_hint("a \"en frase", 2, 3, "unterminated quote", "closing");
    fails("=\"x", 1, 2, "unterminated quote");
    fails("\"x\\\"", 0, 1, "unterminated quote");
    fails("\"x\\", 0, 1, "unterminated quote");
    fails("kind:\"focus", 5, 6, "unterminated quote");
}

#[test]
fn operator_with_nothing_after_it() {
    fails_with_hint("a AND", 2, 5, "`AND` has nothing after it", "add a term");
    fails("a OR", 2, 4, "`OR` has nothing after it");
    fails("NOT", 0, 3, "`NOT` has nothing after it");
    fails("a NOT", 2, 5, "`NOT` has nothing after it");
    fails("(a AND) b", 3, 6, "`AND` has nothing after it");
    fails("(a OR)", 3, 5, "`OR` has nothing after it");
    fails("(NOT)", 1, 4, "`NOT` has nothing after it");
}

#[test]
fn operator_with_nothing_before_it() {
    fails_with_hint("OR a", 0, 2, "`OR` has no term before it", "a OR b");
    fails("AND a", 0, 3, "`AND` has no term before it");
    fails("(OR a)", 1, 3, "`OR` has no term before it");
}

#[test]
fn two_operators_in_a_row() {
    fails_with_hint(
        "a AND OR b",
        6,
        8,
        "expected a term after `AND`, found `OR`",
        "remove one",
    );
    fails(
        "a OR AND b",
        5,
        8,
        "expected a term after `OR`, found `AND`",
    );
    fails("NOT OR b", 4, 6, "expected a term after `NOT`, found `OR`");
    fails(
        "-(a) OR OR b",
        8,
        10,
        "expected a term after `OR`, found `OR`",
    );
}

#[test]
fn tilde_without_number() {
    fails_with_hint("\"a b\"~", 5, 6, "`~` must be followed by a number", "~3");
    fails("\"a b\"~x", 5, 6, "`~` must be followed by a number");
    fails("\"a b\"~3x", 5, 6, "`~` must be followed by a number");
    fails("\"a b\"~-1", 5, 6, "`~` must be followed by a number");
}

#[test]
fn tilde_number_too_large() {
    fails(
        "\"a b\"~99999999999",
        5,
        17,
        "proximity number is too large",
    );
}

#[test]
fn stray_tilde() {
    fails_with_hint(
        "\"a b\" ~2",
        6,
        7,
        "`~` must come right after a closing quote",
        "no space",
    );
    fails("a~2", 1, 2, "`~` must come right after a closing quote");
}

#[test]
fn empty_phrase() {
    fails_with_hint("\"\"", 0, 2, "empty phrase", "put words between the quotes");
    fails("a \" , \"~2", 2, 9, "empty phrase");
    fails("=\"\"", 0, 3, "empty phrase");
}

#[test]
fn star_inside_a_phrase() {
    fails_with_hint(
        "\"syge* pleje\"",
        5,
        6,
        "`*` cannot be used inside a phrase",
        "single words",
    );
}

#[test]
fn misplaced_star() {
    fails_with_hint(
        "sy*ge",
        2,
        3,
        "`*` can only be at the start or end of a word",
        "syge*",
    );
    fails("a *", 2, 3, "a `*` must be attached to a word");
    fails("*", 0, 1, "a `*` must be attached to a word");
    fails("* ab", 0, 1, "a `*` must be attached to a word");
    fails("**ab", 0, 2, "`**` is not a wildcard");
    fails("ab**", 2, 4, "`**` is not a wildcard");
    fails("*ab**", 3, 5, "`**` is not a wildcard");
}

#[test]
fn wildcard_too_short() {
    let hint = "at least 2 letters";
    fails_with_hint("a*", 0, 2, "`a*` is too short; would match too much", hint);
    fails_with_hint("*å", 0, 2, "`*å` is too short; would match too much", hint);
    fails("x *a*", 2, 5, "`*a*` is too short; would match too much");
    fails("=a*", 0, 3, "`a*` is too short; would match too much");
}

#[test]
fn attribute_with_empty_value() {
    fails_with_hint(
        "profession:",
        0,
        11,
        "`profession:` has an empty value",
        "profession:value",
    );
    fails(
        "a profession: radiograf",
        2,
        13,
        "`profession:` has an empty value",
    );
    fails("(phase:)", 1, 7, "`phase:` has an empty value");
    fails("kind:\"\"", 0, 7, "empty value for `kind`");
    fails("kind:\"*\"", 0, 8, "empty value for `kind`");
}

#[test]
fn attribute_value_stars() {
    fails_with_hint(
        "profession:*plejerske",
        11,
        12,
        "an attribute value cannot start with `*`",
        "profession:value*",
    );
    fails(
        "profession:syge*pleje",
        15,
        16,
        "`*` can only be at the end of an attribute value",
    );
    fails(
        "profession:syge**",
        16,
        17,
        "`*` can only be at the end of an attribute value",
    );
    fails(
        "kind:\"a*\"*",
        9,
        10,
        "`*` can only be at the end of an attribute value",
    );
}

#[test]
fn attribute_value_with_other_characters() {
    fails_with_hint(
        "date:2024/01",
        9,
        10,
        "unexpected `/` after the value of `date`",
        "date:\"…\"",
    );
    fails(
        "kind:\"a\"b",
        8,
        9,
        "unexpected `b` after the value of `kind`",
    );
}

#[test]
fn stray_colon() {
    fails_with_hint(
        ":x",
        0,
        1,
        "`:` must follow an attribute name",
        "profession:radiograf",
    );
    fails("før:x", 3, 4, "`:` must follow an attribute name");
    fails("a : b", 2, 3, "`:` must follow an attribute name");
}

#[test]
fn misplaced_equals() {
    fails_with_hint(
        "=",
        0,
        1,
        "`=` must be directly followed by a word or a phrase",
        "=får",
    );
    fails(
        "a = b",
        2,
        3,
        "`=` must be directly followed by a word or a phrase",
    );
    fails_with_hint(
        "=kind:x",
        0,
        1,
        "`=` cannot be used with an attribute filter",
        "name:value",
    );
}

#[test]
fn detached_minus() {
    fails_with_hint(
        "a - b",
        2,
        3,
        "`-` must be directly followed by what to exclude",
        "NOT",
    );
    fails(
        "a -",
        2,
        3,
        "`-` must be directly followed by what to exclude",
    );
    fails(
        "(a -)",
        3,
        4,
        "`-` must be directly followed by what to exclude",
    );
}

#[test]
fn operators_from_other_languages() {
    fails_with_hint("a || b", 2, 4, "`||` is not an operator", "OR");
    fails_with_hint("a & b", 2, 3, "`&` is not an operator", "AND");
    fails_with_hint("!a", 0, 1, "`!` is not an operator", "NOT");
}

#[test]
fn typographic_quotes() {
    fails_with_hint(
        "„tager fejl“",
        0,
        1,
        "`„` is not a query quote",
        "straight double quotes",
    );
    fails("a «b»", 2, 3, "`«` is not a query quote");
}

#[test]
fn nesting_limit() {
    let input = format!("{}a{}", "(".repeat(300), ")".repeat(300));
    let err = parse(&input).unwrap_err();
    assert_eq!(err.message, "the query is nested too deeply");
    assert_eq!((err.span.start, err.span.end), (200, 201));
    let input = "-".repeat(100_000) + "a";
    assert_eq!(
        parse(&input).unwrap_err().message,
        "the query is nested too deeply"
    );
}

#[test]
fn first_error_wins_and_spans_count_chars() {
    // The position is in chars: "æøå " is 4 chars.
    fails("æøå (", 4, 5, "unclosed parenthesis");
    fails("😀 a AND", 4, 7, "`AND` has nothing after it");
}
