//! Property tests: display round-trips, and parse never panics and always
//! reports spans inside the input.

use proptest::prelude::*;
use spor_query::{AttrValue, Query, Span, parse, spelling_hint};

fn none() -> Span {
    Span::default()
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-ZæøåÆØÅé0-9]{1,6}([-'._][a-zæøå0-9]{1,4})?"
}

fn wildcard_text() -> impl Strategy<Value = String> {
    "[a-zæøåÆØÅ0-9]{2,6}(-[a-zæøå]{1,3})?"
}

fn attr_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zæøå0-9._-]{1,8}",
        prop::collection::vec(
            prop_oneof![
                any::<char>(),
                Just('*'),
                Just('"'),
                Just('\\'),
                Just(' '),
                Just('æ'),
            ],
            1..8
        )
        .prop_map(|cs| cs.into_iter().collect()),
    ]
}

fn leaf() -> impl Strategy<Value = Query> {
    prop_oneof![
        prop_oneof![text(), Just("AND".to_string()), Just("NOT".to_string())]
            .prop_map(|text| Query::Word { text, span: none() }),
        text().prop_map(|text| Query::Exact { text, span: none() }),
        (
            prop::collection::vec(text(), 2..4),
            prop_oneof![Just(0u32), 1..10u32, any::<u32>()],
            any::<bool>()
        )
            .prop_map(|(words, slop, exact)| Query::Phrase {
                words,
                slop,
                exact,
                span: none()
            }),
        wildcard_text().prop_map(|text| Query::Prefix { text, span: none() }),
        wildcard_text().prop_map(|text| Query::Suffix { text, span: none() }),
        wildcard_text().prop_map(|text| Query::Infix { text, span: none() }),
        ("[A-Za-z_][A-Za-z0-9_.-]{0,6}", attr_value(), any::<bool>()).prop_map(
            |(name, v, prefix)| Query::Attr {
                name,
                value: if prefix {
                    AttrValue::Prefix(v)
                } else {
                    AttrValue::Exact(v)
                },
                span: none(),
            }
        ),
    ]
}

fn ast() -> impl Strategy<Value = Query> {
    leaf().prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(Query::all),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Query::any),
            inner.prop_map(|q| Query::Not(Box::new(q))),
        ]
    })
}

/// Strings built from the language's special characters, words and odd
/// Unicode (combining marks, non-BMP characters).
fn query_like() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("(".to_string()),
        Just(")".to_string()),
        Just("\"".to_string()),
        Just("=".to_string()),
        Just("-".to_string()),
        Just("*".to_string()),
        Just("~".to_string()),
        Just("~3".to_string()),
        Just(":".to_string()),
        Just("\\".to_string()),
        Just(" ".to_string()),
        Just(" AND ".to_string()),
        Just(" OR ".to_string()),
        Just("NOT ".to_string()),
        Just("kind:".to_string()),
        Just("syge".to_string()),
        Just("æøå".to_string()),
        Just("a\u{30A}".to_string()),
        Just("\u{301}".to_string()),
        Just("😀".to_string()),
        Just("𝔘𝔫𝔦".to_string()),
        Just("„".to_string()),
        Just("|".to_string()),
        Just(".".to_string()),
        Just("'".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(fragment, 0..16).prop_map(|parts| parts.concat())
}

/// Checks an error's span against the input and that rendering works.
fn check_error_span(input: &str) -> Result<(), TestCaseError> {
    if let Err(e) = parse(input) {
        let len = input.chars().count();
        prop_assert!(e.span.start <= e.span.end, "{e:?} for {input:?}");
        prop_assert!(e.span.end <= len, "{e:?} beyond {len} chars of {input:?}");
        prop_assert!(!e.message.is_empty());
        let rendered = e.render(input);
        prop_assert!(rendered.contains(&e.message));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn display_parses_back_to_the_same_ast(q in ast()) {
        let text = q.to_string();
        let back = parse(&text).map_err(|e| {
            TestCaseError::fail(format!("{text:?} does not parse:\n{}", e.render(&text)))
        })?;
        prop_assert_eq!(back.without_spans(), q, "via {:?}", text);
    }

    #[test]
    fn parse_never_panics_on_arbitrary_strings(input in any::<String>()) {
        let _ = parse(&input);
        let _ = spelling_hint(&input);
    }

    #[test]
    fn parse_never_panics_on_query_like_strings(input in query_like()) {
        let _ = parse(&input);
        let _ = spelling_hint(&input);
    }

    #[test]
    fn error_spans_are_within_the_input(input in any::<String>()) {
        check_error_span(&input)?;
    }

    #[test]
    fn error_spans_are_within_query_like_input(input in query_like()) {
        check_error_span(&input)?;
    }

    #[test]
    fn parsed_queries_survive_display(input in query_like()) {
        if let Ok(q) = parse(&input) {
            let text = q.to_string();
            let back = parse(&text).map_err(|e| {
                TestCaseError::fail(format!("{input:?} -> {text:?}:\n{}", e.render(&text)))
            })?;
            prop_assert_eq!(back.without_spans(), q.without_spans());
            // Every leaf span is inside the input.
            let len = input.chars().count();
            let mut spans = Vec::new();
            collect_spans(&q, &mut spans);
            for span in spans {
                prop_assert!(span.start < span.end && span.end <= len);
            }
        }
    }
}

fn collect_spans(q: &Query, out: &mut Vec<Span>) {
    match q {
        Query::And(items) | Query::Or(items) => items.iter().for_each(|i| collect_spans(i, out)),
        Query::Not(inner) => collect_spans(inner, out),
        leaf => out.extend(leaf.span()),
    }
}
