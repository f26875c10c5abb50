//! Parsing every construct, precedence, and the canonical text form.

use spor_query::{AttrValue, Query, Span, parse};

fn p(input: &str) -> Query {
    parse(input).unwrap_or_else(|e| panic!("{input:?} failed:\n{}", e.render(input)))
}

/// Parses and strips spans, for structural comparisons.
fn s(input: &str) -> Query {
    p(input).without_spans()
}

fn word(text: &str) -> Query {
    Query::Word {
        text: text.into(),
        span: Span::default(),
    }
}

fn not(q: Query) -> Query {
    Query::Not(Box::new(q))
}

fn sp(start: usize, end: usize) -> Span {
    Span::new(start, end)
}

#[test]
fn word_with_span() {
    assert_eq!(
        p("implementering"),
        Query::Word {
            text: "implementering".into(),
            span: sp(0, 14)
        }
    );
}

#[test]
fn danish_words_and_spans_count_chars() {
    assert_eq!(
        p("  sundhedsteknologi "),
        Query::Word {
            text: "sundhedsteknologi".into(),
            span: sp(2, 19)
        }
    );
    // Spans are char offsets: "æøå " is 4 chars but 7 bytes.
    assert_eq!(
        p("æøå syge*"),
        Query::And(vec![
            Query::Word {
                text: "æøå".into(),
                span: sp(0, 3)
            },
            Query::Prefix {
                text: "syge".into(),
                span: sp(4, 9)
            },
        ])
    );
}

#[test]
fn words_keep_inner_punctuation_and_case() {
    assert_eq!(s("e-læring"), word("e-læring"));
    assert_eq!(s("covid-19"), word("covid-19"));
    assert_eq!(
        p("f.eks."),
        Query::Word {
            text: "f.eks".into(),
            span: sp(0, 5)
        }
    );
    assert_eq!(s("it's"), word("it's"));
    assert_eq!(s("Sygeplejerske"), word("Sygeplejerske"));
    assert_eq!(s("Ærø"), word("Ærø"));
}

#[test]
fn other_scripts_and_combining_marks_are_words() {
    assert_eq!(s("Ελλάδα"), word("Ελλάδα"));
    assert_eq!(s("a\u{30A}r"), word("a\u{30A}r"));
    assert_eq!(s("𝔘𝔫𝔦"), word("𝔘𝔫𝔦"));
}

#[test]
fn punctuation_separates_words() {
    assert_eq!(s("hej, du?"), Query::And(vec![word("hej"), word("du")]));
    // A hyphen glued to a word is punctuation, not NOT.
    assert_eq!(
        s("sundheds- og socialområdet"),
        Query::And(vec![word("sundheds"), word("og"), word("socialområdet")])
    );
}

#[test]
fn exact_word() {
    assert_eq!(
        p("=får"),
        Query::Exact {
            text: "får".into(),
            span: sp(0, 4)
        }
    );
}

#[test]
fn phrases() {
    assert_eq!(
        p("\"en frase\""),
        Query::Phrase {
            words: vec!["en".into(), "frase".into()],
            slop: 0,
            exact: false,
            span: sp(0, 10)
        }
    );
    assert_eq!(
        p("=\"en frase\""),
        Query::Phrase {
            words: vec!["en".into(), "frase".into()],
            slop: 0,
            exact: true,
            span: sp(0, 11)
        }
    );
    assert_eq!(
        p("\"tager fejl\"~3"),
        Query::Phrase {
            words: vec!["tager".into(), "fejl".into()],
            slop: 3,
            exact: false,
            span: sp(0, 14)
        }
    );
    assert_eq!(
        p("=\"tager fejl\"~12"),
        Query::Phrase {
            words: vec!["tager".into(), "fejl".into()],
            slop: 12,
            exact: true,
            span: sp(0, 16)
        }
    );
}

#[test]
fn phrase_words_split_like_words_outside() {
    assert_eq!(
        s("\"f.eks. e-læring, og (så) AND \\\"det\\\"\""),
        Query::Phrase {
            words: ["f.eks", "e-læring", "og", "så", "AND", "det"]
                .map(String::from)
                .to_vec(),
            slop: 0,
            exact: false,
            span: Span::default()
        }
    );
}

#[test]
fn one_word_phrase_is_a_word() {
    assert_eq!(
        p("\"implementering\""),
        Query::Word {
            text: "implementering".into(),
            span: sp(0, 16)
        }
    );
    assert_eq!(
        p("=\"får\"~2"),
        Query::Exact {
            text: "får".into(),
            span: sp(0, 8)
        }
    );
    assert_eq!(s("\"AND\""), word("AND"));
}

#[test]
fn wildcards() {
    assert_eq!(
        p("syge*"),
        Query::Prefix {
            text: "syge".into(),
            span: sp(0, 5)
        }
    );
    assert_eq!(
        p("*teknologi"),
        Query::Suffix {
            text: "teknologi".into(),
            span: sp(0, 10)
        }
    );
    assert_eq!(
        p("*tekno*"),
        Query::Infix {
            text: "tekno".into(),
            span: sp(0, 7)
        }
    );
    assert_eq!(
        s("øl*"),
        Query::Prefix {
            text: "øl".into(),
            span: Span::default()
        }
    );
    // `=` is redundant on wildcards, which are unstemmed anyway.
    assert_eq!(
        p("=syge*"),
        Query::Prefix {
            text: "syge".into(),
            span: sp(0, 6)
        }
    );
    assert_eq!(
        s("AND*"),
        Query::Prefix {
            text: "AND".into(),
            span: Span::default()
        }
    );
}

#[test]
fn attribute_filters() {
    let attr = |name: &str, value: AttrValue, start, end| Query::Attr {
        name: name.into(),
        value,
        span: sp(start, end),
    };
    let exact = |v: &str| AttrValue::Exact(v.into());
    let prefix = |v: &str| AttrValue::Prefix(v.into());
    assert_eq!(
        p("profession:radiograf"),
        attr("profession", exact("radiograf"), 0, 20)
    );
    assert_eq!(p("phase:2"), attr("phase", exact("2"), 0, 7));
    assert_eq!(p("kind:workshop"), attr("kind", exact("workshop"), 0, 13));
    assert_eq!(
        p("profession:anæstesisygeplejerske"),
        attr("profession", exact("anæstesisygeplejerske"), 0, 32)
    );
    assert_eq!(
        p("profession:syge*"),
        attr("profession", prefix("syge"), 0, 16)
    );
    assert_eq!(
        p("kind:\"focus group\""),
        attr("kind", exact("focus group"), 0, 18)
    );
    assert_eq!(
        p("kind:\"focus gr*\""),
        attr("kind", prefix("focus gr"), 0, 16)
    );
    assert_eq!(
        p("kind:\"focus gr\"*"),
        attr("kind", prefix("focus gr"), 0, 16)
    );
    assert_eq!(p("x:\"a\\\"b\\*\""), attr("x", exact("a\"b*"), 0, 10));
    assert_eq!(
        p("_x.y-z:2024-01.5"),
        attr("_x.y-z", exact("2024-01.5"), 0, 16)
    );
    assert_eq!(p("kind:AND"), attr("kind", exact("AND"), 0, 8));
    assert_eq!(
        p("(phase:2)"),
        attr("phase", exact("2"), 1, 8),
        "a `)` may follow a value"
    );
}

#[test]
fn negation() {
    assert_eq!(s("NOT x"), not(word("x")));
    assert_eq!(s("-x"), not(word("x")));
    assert_eq!(
        p("-\"en frase\""),
        Query::Not(Box::new(Query::Phrase {
            words: vec!["en".into(), "frase".into()],
            slop: 0,
            exact: false,
            span: sp(1, 11)
        }))
    );
    assert_eq!(s("-(a OR b)"), not(Query::Or(vec![word("a"), word("b")])));
    assert_eq!(
        p("-profession:læge"),
        Query::Not(Box::new(Query::Attr {
            name: "profession".into(),
            value: AttrValue::Exact("læge".into()),
            span: sp(1, 16)
        }))
    );
    assert_eq!(s("--x"), not(not(word("x"))));
    assert_eq!(s("NOT NOT x"), not(not(word("x"))));
    assert_eq!(s("a -b"), Query::And(vec![word("a"), not(word("b"))]));
    assert_eq!(s("\"a b\"-c").to_string(), "\"a b\" AND NOT c");
}

#[test]
fn lowercase_operators_are_words() {
    assert_eq!(
        s("and or not"),
        Query::And(vec![word("and"), word("or"), word("not")])
    );
    assert_eq!(s("NOTE"), word("NOTE"));
    assert_eq!(s("ORDEN"), word("ORDEN"));
}

#[test]
fn implicit_and_and_flattening() {
    assert_eq!(
        s("a b c"),
        Query::And(vec![word("a"), word("b"), word("c")])
    );
    assert_eq!(s("a AND b"), s("a b"));
    assert_eq!(s("a AND (b AND c)"), s("a b c"));
    assert_eq!(
        s("(a OR b) OR c"),
        Query::Or(vec![word("a"), word("b"), word("c")])
    );
    assert_eq!(s("((a))"), word("a"));
    assert_eq!(s("a(b)"), Query::And(vec![word("a"), word("b")]));
}

#[test]
fn precedence() {
    assert_eq!(s("a OR b c"), s("a OR (b AND c)"));
    assert_eq!(
        s("a OR b c"),
        Query::Or(vec![word("a"), Query::And(vec![word("b"), word("c")])])
    );
    assert_eq!(s("NOT a b"), s("(NOT a) AND b"));
    assert_eq!(s("NOT a b"), Query::And(vec![not(word("a")), word("b")]));
    assert_eq!(s("a b OR c"), s("(a AND b) OR c"));
    assert_eq!(s("a AND b OR c AND d"), s("(a b) OR (c d)"));
    assert_eq!(s("-a OR b"), Query::Or(vec![not(word("a")), word("b")]));
    assert_eq!(
        s("NOT (a OR b) c"),
        Query::And(vec![not(Query::Or(vec![word("a"), word("b")])), word("c")])
    );
}

#[test]
fn negative_only_queries_are_allowed() {
    assert_eq!(s("NOT x"), not(word("x")));
    assert_eq!(s("-x -y"), Query::And(vec![not(word("x")), not(word("y"))]));
}

#[test]
fn canonical_display() {
    let cases = [
        ("(a OR b) -=c", "(a OR b) AND NOT =c"),
        ("a OR b c", "a OR (b AND c)"),
        ("NOT a b", "NOT a AND b"),
        ("-(a b)", "NOT (a AND b)"),
        ("=\"tager fejl\"~3", "=\"tager fejl\"~3"),
        ("\"tager  fejl\"~0", "\"tager fejl\""),
        (
            "syge* *teknologi *tekno*",
            "syge* AND *teknologi AND *tekno*",
        ),
        ("profession:syge*", "profession:syge*"),
        ("kind:\"focus group\"", "kind:\"focus group\""),
        ("kind:\"a\\\\b\\*\"*", "kind:\"a\\\\b\\**\""),
        ("\"AND\"", "\"AND\""),
        ("--x", "NOT NOT x"),
        ("f.eks.", "f.eks"),
    ];
    for (input, canonical) in cases {
        let q = p(input);
        assert_eq!(q.to_string(), canonical, "display of {input:?}");
        assert_eq!(s(canonical), q.without_spans(), "reparse of {canonical:?}");
    }
}

#[test]
fn spans_of_terms_in_a_longer_query() {
    let q = p("(a OR bb) \"c d\"~2 -x:y");
    let Query::And(items) = q else {
        panic!("expected And")
    };
    let Query::Or(alts) = &items[0] else {
        panic!("expected Or")
    };
    assert_eq!(alts[0].span(), Some(sp(1, 2)));
    assert_eq!(alts[1].span(), Some(sp(6, 8)));
    assert_eq!(items[1].span(), Some(sp(10, 17)));
    let Query::Not(attr) = &items[2] else {
        panic!("expected Not")
    };
    assert_eq!(attr.span(), Some(sp(19, 22)));
    assert_eq!(items[2].span(), None);
}

#[test]
fn deep_but_reasonable_nesting_parses() {
    let input = format!("{}a{}", "(".repeat(150), ")".repeat(150));
    assert_eq!(s(&input), word("a"));
    let input = format!("{}a", "NOT ".repeat(150));
    assert!(parse(&input).is_ok());
}
