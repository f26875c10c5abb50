//! Tests of the transcript reader.

use super::*;

fn labels(l: &[&str]) -> Vec<String> {
    l.iter().map(|s| s.to_string()).collect()
}

fn slice(text: &str, a: usize, b: usize) -> String {
    text.chars().skip(a).take(b - a).collect()
}

fn run(text: &str, l: &[&str]) -> Parsed {
    parse(text, &labels(l), &BTreeSet::new(), Path::new("t.txt"))
}

#[test]
fn timestamps_in_every_form() {
    for (s, secs) in [
        ("[00:01:15] x", 75),
        ("[01:15] x", 75),
        ("00:01:15 x", 75),
        ("(01:15) x", 75),
        ("(1:02:03) x", 3723),
        ("[00:01:15.250] x", 75),
    ] {
        assert_eq!(parse_timestamp(s).unwrap().0.seconds, secs, "{s}");
    }
    assert!(parse_timestamp("10:30 x").is_none(), "bare mm:ss is text");
    assert!(parse_timestamp("[10:75] x").is_none());
    assert!(parse_timestamp("2024 x").is_none());
}

#[test]
fn preamble_turns_and_continuations() {
    let t = "Interview 7, transskriberet 2024-03-12\n[00:01:15] Interviewer: Kan du fortælle om det?\n[00:01:32] Sygeplejerske: Ja, altså ...\nfortsat på næste linje\n\nProblemet er: det virker ikke.\n";
    let p = run(t, &["Interviewer", "Sygeplejerske"]);
    assert_eq!(p.preamble, Some((1, 1)));
    assert_eq!(p.turns.len(), 2);
    let b = &p.turns[1];
    assert_eq!((b.line_start, b.line_end), (3, 6));
    assert_eq!(
        slice(t, b.char_start, b.char_end),
        "Ja, altså ...\nfortsat på næste linje\n\nProblemet er: det virker ikke."
    );
    assert_eq!(b.timestamp.as_ref().unwrap().text, "00:01:32");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
}

#[test]
fn labels_trimmed_and_case_folded() {
    let p = run("  INTERVIEWER :  hej\nlæge: ja", &["Interviewer", "Læge"]);
    assert_eq!(p.turns.len(), 2);
    assert_eq!(p.turns[1].speaker, 1);
}

#[test]
fn markdown_bold_labels() {
    let t = "# Interview\n\n**Interviewer:** Hvordan?\n\n**Underviser**: Sådan.";
    let p = run(t, &["Interviewer", "Underviser"]);
    assert_eq!(p.turns.len(), 2);
    assert_eq!(
        slice(t, p.turns[0].char_start, p.turns[0].char_end),
        "Hvordan?"
    );
    assert_eq!(
        slice(t, p.turns[1].char_start, p.turns[1].char_end),
        "Sådan."
    );
}

#[test]
fn undeclared_word_colon_is_text_with_warning_or_error() {
    let t = "I: hej\nR: det er mig\nProblemet: noget\nMin pointe er: noget andet\n";
    let p = run(t, &["I"]);
    assert_eq!(p.turns.len(), 1);
    assert_eq!(p.turns[0].line_end, 4);
    let msgs: Vec<String> = p.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs[0].starts_with("t.txt:2: error: unknown speaker \"R\""));
    assert!(msgs[1].starts_with("t.txt:3: warning:"));
}

#[test]
fn label_on_its_own_line() {
    let t = "Interviewer:\nHvad tænker du?\nLæge:\n\n  Det er svært.\n";
    let p = run(t, &["Interviewer", "Læge"]);
    assert_eq!(
        slice(t, p.turns[0].char_start, p.turns[0].char_end),
        "Hvad tænker du?"
    );
    assert_eq!(
        slice(t, p.turns[1].char_start, p.turns[1].char_end),
        "Det er svært."
    );
    assert_eq!(p.turns[1].line_end, 5);
}

#[test]
fn empty_turn_has_empty_range() {
    let t = "A: \nB: ja";
    let p = run(t, &["A", "B"]);
    assert_eq!(p.turns[0].char_start, p.turns[0].char_end);
}

#[test]
fn notes_kept() {
    let t = "A: ja [griner] (pause) godt";
    let p = run(t, &["A"]);
    assert_eq!(
        slice(t, p.turns[0].char_start, p.turns[0].char_end),
        "ja [griner] (pause) godt"
    );
}

#[test]
fn long_labels_with_punctuation_and_digits() {
    let minister =
        "Ministeren for fødevarer, landbrug og fiskeri samt for ligestilling (Jacob Jensen)";
    assert!(minister.chars().count() > 74);
    let t = format!(
        "{minister}: Tak.\nFormanden (Pia Kjærsgaard): Tak til ministeren.\nMai Villadsen (EL): Ja.\nDr. A. Hansen-Berg, 2. suppleant: Nej.\n"
    );
    let p = run(
        &t,
        &[
            minister,
            "Formanden (Pia Kjærsgaard)",
            "Mai Villadsen (EL)",
            "Dr. A. Hansen-Berg, 2. suppleant",
        ],
    );
    let speakers: Vec<usize> = p.turns.iter().map(|t| t.speaker).collect();
    assert_eq!(speakers, vec![0, 1, 2, 3]);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let long = format!("{}: x", "A".repeat(MAX_LABEL_CHARS));
    let p = run(&long, &[&"A".repeat(MAX_LABEL_CHARS)]);
    assert_eq!(p.turns.len(), 1);
}

#[test]
fn undeclared_name_and_party_is_an_error() {
    let t = "Formanden: Tak.\nMai Villadsen (EL): Tak for ordet.\nUdenrigsministeren (Jeppe Kofod): Ja.\nJeg sagde (til ham): nej.\n";
    let p = run(t, &["Formanden"]);
    assert_eq!(p.turns.len(), 1);
    let msgs: Vec<String> = p.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(
        msgs[0].starts_with("t.txt:2: error: unknown speaker \"Mai Villadsen (EL)\""),
        "{msgs:?}"
    );
    assert!(msgs[1].starts_with("t.txt:3: error:"), "{msgs:?}");
    // declared in another document: an error whatever its form
    let others: BTreeSet<String> = ["mai villadsen (el)".to_string()].into();
    let p = parse(
        "A: x\nMai Villadsen (EL): y",
        &labels(&["A"]),
        &others,
        Path::new("t.txt"),
    );
    assert!(p.diagnostics[0].to_string().starts_with("t.txt:2: error:"));
}

#[test]
fn years_clock_times_and_items_are_at_most_warnings() {
    let t = "A: Vi starter.\n2015: det var året.\n14:30 kom de: alle sammen.\nPunkt 1: Forespørgsel.\nKl. 13.00: pause.\n";
    let p = run(t, &["A"]);
    assert_eq!(p.turns.len(), 1);
    assert_eq!(p.turns[0].line_end, 5);
    assert!(
        p.diagnostics
            .iter()
            .all(|d| d.severity == crate::Severity::Warning),
        "{:?}",
        p.diagnostics
    );
}

#[test]
fn announced_items_of_business_are_warnings() {
    let t = "Formanden (Pia Kjærsgaard): Der er tre fremsættelser.\nFinansministeren (Bjarne Corydon): Lovforslag nr. L 1 (Forslag til\nfinanslov). Udenrigsministeren (Martin Lidegaard): Beslutningsforslag\nUdenrigsministeren (Martin Lidegaard): Beslutningsforslag nr. B 6.\nUddannelsesministeren (Ane Halsboe-Jørgensen): Lovforslag nr. 171 (x).\nMai Villadsen (EL): Lovforslaget er godt.\n";
    let p = run(t, &["Formanden (Pia Kjærsgaard)"]);
    assert_eq!(p.turns.len(), 1);
    let sev: Vec<(usize, crate::Severity)> = p
        .diagnostics
        .iter()
        .map(|d| (d.location.line.unwrap_or(0), d.severity))
        .collect();
    use crate::Severity::{Error, Warning};
    // a speech that only mentions a bill is still an error
    assert_eq!(
        sev,
        vec![(2, Warning), (4, Warning), (5, Warning), (6, Error)],
        "{:?}",
        p.diagnostics
    );
    assert!(announces_item("Hasteforespørgsel nr. F 17 (Hvad"));
    assert!(!announces_item("Lovforslag nr. er godt"));
    assert!(!announces_item("Tak for ordet."));
}

#[test]
fn a_label_glued_to_text_is_an_error_with_its_line() {
    let t = "Formanden (Pia Kjærsgaard): Tak.\nMai Villadsen (EL): Tak for ordet.Formanden (Pia Kjærsgaard): Tak.\nDet sagde formanden (pia kjærsgaard): i går.\n";
    let p = run(t, &["Formanden (Pia Kjærsgaard)", "Mai Villadsen (EL)"]);
    let msgs: Vec<String> = p.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].starts_with("t.txt:2: error: speaker label \"Formanden (Pia Kjærsgaard)\" in the middle of the line (column 35)"),
        "{msgs:?}"
    );
}

#[test]
fn invisible_characters_before_a_label() {
    for c in ['\u{200B}', '\u{FEFF}', '\u{2060}', '\u{200E}'] {
        let t = format!("A: hej\n{c}B: med dig\n");
        let p = run(&t, &["A", "B"]);
        assert_eq!(p.turns.len(), 2, "{c:?}");
        assert_eq!(
            slice(&t, p.turns[1].char_start, p.turns[1].char_end),
            "med dig"
        );
        let msgs: Vec<String> = p.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(
            msgs[0].starts_with("t.txt:2: warning: invisible character U+"),
            "{msgs:?}"
        );
    }
}

#[test]
fn malformed_timestamps_are_reported_and_the_turn_read() {
    let t = "[00:00:01] A: hej\n[100:00:00] B: med dig\n[00:75] A: ja\n";
    let p = run(t, &["A", "B"]);
    assert_eq!(p.turns.len(), 3);
    assert_eq!(p.turns[1].timestamp, None);
    assert_eq!(
        slice(t, p.turns[1].char_start, p.turns[1].char_end),
        "med dig"
    );
    let msgs: Vec<String> = p.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(
        msgs[0].starts_with("t.txt:2: warning: [100:00:00] is not a valid timestamp"),
        "{msgs:?}"
    );
    assert!(msgs[1].starts_with("t.txt:3: warning: [00:75]"), "{msgs:?}");
}
