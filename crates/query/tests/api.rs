//! validate, explain, positive_terms, attr_names, spelling_hint and error
//! rendering.

use spor_query::{Query, Span, parse, spelling_hint, validate};

fn p(input: &str) -> Query {
    parse(input).unwrap_or_else(|e| panic!("{input:?} failed:\n{}", e.render(input)))
}

const KNOWN: &[&str] = &["kind", "phase", "profession"];

#[test]
fn validate_accepts_known_names_and_queries_without_attributes() {
    assert!(validate(&p("implementering"), KNOWN).is_ok());
    assert!(validate(&p("implementering"), &[]).is_ok());
    assert!(
        validate(
            &p("profession:syge* OR -(phase:2 kind:\"focus group\")"),
            KNOWN
        )
        .is_ok()
    );
}

#[test]
fn validate_reports_unknown_name_with_suggestion() {
    let input = "a OR -(phase:2 profesion:radiograf)";
    let err = validate(&p(input), KNOWN).unwrap_err();
    assert_eq!(err.message, "unknown attribute `profesion`");
    assert_eq!(err.span, Span::new(15, 24));
    assert_eq!(
        err.hint.as_deref(),
        Some("did you mean `profession`? known attributes: kind, phase, profession")
    );
    assert_eq!(
        err.render(input),
        "a OR -(phase:2 profesion:radiograf)\n               \
         ^^^^^^^^^\n\
         unknown attribute `profesion`\n\
         hint: did you mean `profession`? known attributes: kind, phase, profession"
    );
}

#[test]
fn validate_reports_the_first_unknown_name() {
    let err = validate(&p("fase:2 alder:40"), KNOWN).unwrap_err();
    assert_eq!(err.message, "unknown attribute `fase`");
    assert_eq!(err.span, Span::new(0, 4));
    assert!(err.hint.unwrap().starts_with("did you mean `phase`?"));
}

#[test]
fn validate_without_close_name_lists_known_names() {
    let err = validate(&p("x alder:40"), KNOWN).unwrap_err();
    assert_eq!(err.span, Span::new(2, 7));
    assert_eq!(
        err.hint.as_deref(),
        Some("known attributes: kind, phase, profession")
    );
    let err = validate(&p("alder:40"), &[]).unwrap_err();
    assert_eq!(
        err.hint.as_deref(),
        Some("this corpus has no attributes to filter on")
    );
}

#[test]
fn validate_is_case_sensitive_but_suggests_the_right_case() {
    let err = validate(&p("Profession:læge"), KNOWN).unwrap_err();
    assert!(err.hint.unwrap().starts_with("did you mean `profession`?"));
}

#[test]
fn explain_describes_every_construct() {
    let q = p(concat!(
        "(implementering OR =får) \"tager fejl\"~3 =\"en frase\" syge* *teknologi ",
        "*tekno* profession:radiograf kind:work* -\"a b\"~1 -(x OR y)"
    ));
    assert_eq!(
        q.explain(),
        "all of:
  any of:
    word 'implementering' (any inflection)
    exact word 'får' (this form only)
  phrase \"tager fejl\", words within 3 positions (any inflection)
  exact phrase \"en frase\" (these forms only)
  word starting with 'syge'
  word ending with 'teknologi' (e.g. the last part of a compound)
  word containing 'tekno'
  attribute profession is 'radiograf'
  attribute kind starts with 'work'
  not phrase \"a b\", words within 1 position (any inflection)
  not:
    any of:
      word 'x' (any inflection)
      word 'y' (any inflection)"
    );
}

#[test]
fn explain_single_terms_and_negative_only_queries() {
    assert_eq!(p("ord").explain(), "word 'ord' (any inflection)");
    assert_eq!(
        p("NOT profession:læge").explain(),
        "everything except:\n  attribute profession is 'læge'"
    );
    assert_eq!(
        p("-(a b)").explain(),
        "everything except:\n  all of:\n    word 'a' (any inflection)\n    word 'b' (any inflection)"
    );
}

#[test]
fn positive_terms_skip_negations_and_attributes() {
    let q = p("a (=b OR \"c d\") NOT e -(f g) syge* phase:2");
    let texts: Vec<String> = q.positive_terms().iter().map(|t| t.to_string()).collect();
    assert_eq!(texts, ["a", "=b", "\"c d\"", "syge*"]);
    assert!(q.positive_terms().iter().all(|t| t.is_leaf()));
    assert!(p("NOT a").positive_terms().is_empty());
}

#[test]
fn attr_names_in_order_without_duplicates() {
    let q = p("kind:a (phase:1 OR -kind:b) profession:x* phase:2");
    assert_eq!(q.attr_names(), ["kind", "phase", "profession"]);
    assert!(p("a b").attr_names().is_empty());
}

#[test]
fn without_spans_compares_structure() {
    assert_ne!(p("a  b"), p("a b"));
    assert_eq!(p("a  b").without_spans(), p("a b").without_spans());
    assert_eq!(p("x").without_spans().span(), Some(Span::default()));
}

#[test]
fn spelling_hint_suggests_danish_letters() {
    assert_eq!(
        spelling_hint("paa foer laege").as_deref(),
        Some("Danish letters written as aa/oe/ae? try: på før læge")
    );
    // the whole query, operators, quotes and wildcards kept
    assert_eq!(
        spelling_hint("\"haandvaerker\" OR Aarhus* paa").as_deref(),
        Some("Danish letters written as aa/oe/ae? try: \"håndværker\" OR Århus* på")
    );
    assert_eq!(
        spelling_hint("profession:laege AND =foer").as_deref(),
        Some("Danish letters written as aa/oe/ae? try: profession:læge AND =før")
    );
}

#[test]
fn spelling_hint_stays_quiet_without_digraphs() {
    assert_eq!(spelling_hint("sygeplejerske"), None);
    assert_eq!(spelling_hint("på før læge"), None);
    assert_eq!(spelling_hint("phase:2"), None);
    assert_eq!(spelling_hint(""), None);
    // Attribute names are not Danish text.
    assert_eq!(spelling_hint("haemo_oe:x"), None);
}

#[test]
fn render_puts_carets_under_the_span() {
    let input = "a AND (b OR c";
    let err = parse(input).unwrap_err();
    assert_eq!(
        err.render(input),
        "a AND (b OR c\n      ^\nunclosed parenthesis\nhint: add a matching `)`"
    );
    let input = "a AND";
    assert_eq!(
        parse(input).unwrap_err().render(input),
        "a AND\n  ^^^\n`AND` has nothing after it\nhint: add a term after `AND`, or remove it"
    );
}

#[test]
fn render_counts_chars_and_wide_characters() {
    let input = "sø \"x";
    let err = parse(input).unwrap_err();
    assert!(err.render(input).starts_with("sø \"x\n   ^\n"));
    // Emoji are two columns wide, combining marks zero.
    let input = "😀 a\u{30A} (";
    let err = parse(input).unwrap_err();
    assert!(err.render(input).starts_with("😀 a\u{30A} (\n     ^\n"));
}

#[test]
fn render_keeps_the_query_on_one_line_and_leaves_out_a_blank_query() {
    let input = "a\nAND";
    let err = parse(input).unwrap_err();
    assert!(err.render(input).starts_with("a AND\n  ^^^\n"));
    let err = parse("").unwrap_err();
    assert_eq!(
        err.render(""),
        "empty query\nhint: write a word, a \"phrase\" or an attribute filter like profession:radiograf"
    );
}

#[test]
fn error_display_names_the_column() {
    let err = parse("a (b").unwrap_err();
    assert_eq!(err.to_string(), "unclosed parenthesis (at column 3)");
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert!(boxed.to_string().contains("column 3"));
}
