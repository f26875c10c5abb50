//! The workbench's interface texts in Danish and English: one table,
//! (key, Danish, English). The page (`assets/index.html`) names a text as
//! `{{key}}` and is filled in once at start; the script (`assets/app.js`)
//! gets the texts of the study's language from `/api/state` and names one
//! as `t('key', { name: value })`. `{name}` marks a number or a name the
//! script fills in. Data (transcript text, code labels, ids) is never
//! translated.

use spor_export::lang::Lang;
use std::collections::BTreeMap;

/// (key, Danish, English).
const TEXTS: &[(&str, &str, &str)] = &[
    // the page's frame (index.html)
    ("nav_main", "Hovedmenu", "Main menu"),
    ("nav_documents", "Dokumenter", "Documents"),
    ("nav_review", "Gennemgang", "Review"),
    ("nav_codebook", "Kodebog", "Codebook"),
    ("nav_disagree", "Uenighed", "Disagreements"),
    (
        "search_label",
        "Søg i transskriptionerne",
        "Search the transcripts",
    ),
    ("search_placeholder", "Søg (/)", "Search (/)"),
    ("help_button", "Hjælp og tastatur (?)", "Help and keys (?)"),
    ("picker_title", "Vælg kode", "Choose a code"),
    (
        "picker_label",
        "Skriv en del af kodens navn, eller tast dens nummer",
        "Type part of the code's name, or its number",
    ),
    ("codes", "Koder", "Codes"),
    (
        "picker_keys",
        "Enter vælger · ↑↓ flytter · Esc lukker",
        "Enter chooses · ↑↓ move · Esc closes",
    ),
    ("memo_title", "Memo", "Memo"),
    ("memo_about", "Memo om", "Memo on"),
    ("memo_text", "Tekst", "Text"),
    (
        "memo_save",
        "Gem memo (Ctrl+Enter)",
        "Save memo (Ctrl+Enter)",
    ),
    ("memo_cancel", "Annullér (Esc)", "Cancel (Esc)"),
    ("help_title", "Tastatur", "Keyboard"),
    (
        "help_caption",
        "Taster i transskriptionen",
        "Keys in the transcript",
    ),
    ("help_key", "Tast", "Key"),
    ("help_action", "Handling", "Action"),
    ("help_next", "Næste tur", "Next turn"),
    ("help_prev", "Forrige tur", "Previous turn"),
    (
        "help_select",
        "Markér et uddrag af turen med tastaturet: første ord",
        "Select a passage of the turn with the keyboard: its first word",
    ),
    (
        "help_end",
        "Uddragets slutning et ord frem / tilbage",
        "Move the passage's end one word forward / back",
    ),
    (
        "help_start",
        "Uddragets start et ord frem / tilbage",
        "Move the passage's start one word forward / back",
    ),
    (
        "help_move",
        "Flyt uddraget et ord frem / tilbage",
        "Move the whole passage one word forward / back",
    ),
    (
        "help_code",
        "Kod det markerede (eller hele turen): vælg kode ved at skrive en del af navnet",
        "Code the selection (or the whole turn): choose a code by typing part of its name",
    ),
    (
        "help_number",
        "Kod med kode nummer 1–9",
        "Code with code number 1–9",
    ),
    (
        "help_accept",
        "Acceptér turens første forslag (med markering: som et kortere uddrag)",
        "Accept the turn's first suggestion (with a selection: as a narrower passage)",
    ),
    (
        "help_reject",
        "Afvis turens første forslag",
        "Reject the turn's first suggestion",
    ),
    (
        "help_memo",
        "Memo om en kodning, dokumentet eller en kode",
        "Memo on a coding, the document or a code",
    ),
    (
        "help_undo",
        "Fortryd seneste kodning (en ny række, intet slettes)",
        "Undo the latest coding (a new row; nothing is deleted)",
    ),
    (
        "help_done",
        "Markér dokumentet som færdigkodet",
        "Mark the document as fully coded",
    ),
    ("help_search", "Søg", "Search"),
    (
        "help_documents",
        "Til dokumentlisten",
        "To the list of documents",
    ),
    ("help_help", "Denne hjælp", "This help"),
    ("help_close_key", "Luk", "Close"),
    (
        "help_saved_before",
        "Alt gemmes straks som rækker i",
        "Everything is saved at once as rows in",
    ),
    ("help_coder", "KODER", "CODER"),
    (
        "help_saved_after",
        "; fortryd tilføjer en række.",
        "; undo adds a row.",
    ),
    ("help_close", "Luk (Esc)", "Close (Esc)"),
    // the script (app.js): frame and documents
    ("who", "Koder: {coder}", "Coder: {coder}"),
    ("error", "Fejl: {message}", "Error: {message}"),
    ("col_document", "Dokument", "Document"),
    ("col_kind", "Type", "Kind"),
    ("col_phase", "Fase", "Phase"),
    ("col_date", "Dato", "Date"),
    ("col_participants", "Deltagere", "Participants"),
    ("col_turns", "Ture", "Turns"),
    ("col_progress", "Fremdrift pr. koder", "Progress per coder"),
    ("done_all", "færdig (alle koder)", "done (all codes)"),
    (
        "done_for",
        "færdig for {codes}; {n} ture kodet",
        "done for {codes}; {n} turns coded",
    ),
    ("turns_coded", "{n} ture kodet", "{n} turns coded"),
    // a decision's name
    ("status_accepted", "accepteret", "accepted"),
    ("status_rejected", "afvist", "rejected"),
    ("status_suggested", "forslag", "suggested"),
    ("status_withdrawn", "fortrudt", "withdrawn"),
    // the transcript
    ("coder_coded", "{coder} kodede", "{coder} coded"),
    ("coder_rejected", "{coder} afviste", "{coder} rejected"),
    ("tag_rejected", "afvist", "rejected"),
    ("tag_suggestion", "forslag", "suggestion"),
    (
        "tag_learned",
        "lært forslag, sandsynlighed {p}",
        "learned suggestion, probability {p}",
    ),
    (
        "model_words",
        "modellens ord: {words}",
        "the model's words: {words}",
    ),
    ("memo_inline", "memo: {text}", "memo: {text}"),
    ("memo_on", "memo ({code}): {text}", "memo ({code}): {text}"),
    ("matched_words", "ord: {words}", "words: {words}"),
    (
        "accept_suggestion",
        "Acceptér forslag {code} på {turn}",
        "Accept suggestion {code} on {turn}",
    ),
    (
        "reject_suggestion",
        "Afvis forslag {code} på {turn}",
        "Reject suggestion {code} on {turn}",
    ),
    ("accept", "Acceptér", "Accept"),
    ("reject", "Afvis", "Reject"),
    ("lines", "l. {lines}", "l. {lines}"),
    (
        "margin_label",
        "Kodninger og forslag",
        "Codings and suggestions",
    ),
    (
        "turn_label",
        "Tur {turn}, {speaker}",
        "Turn {turn}, {speaker}",
    ),
    ("doc_phase", "fase {phase}", "phase {phase}"),
    ("doc_turns", "{n} ture", "{n} turns"),
    (
        "doc_memos_label",
        "Memoer om dokumentet",
        "Memos on the document",
    ),
    ("memos", "Memoer", "Memos"),
    (
        "doc_keys",
        "j/k flytter · c koder · a/r acceptér/afvis forslag · m memo · u fortryd · ? hjælp",
        "j/k move · c code · a/r accept/reject a suggestion · m memo · u undo · ? help",
    ),
    (
        "selected",
        "Markeret: «{quote}» (l/h: slut, L/H: start, w/b: flyt, c: kod, Esc: slip)",
        "Selected: «{quote}» (l/h: end, L/H: start, w/b: move, c: code, Esc: drop)",
    ),
    ("coded_turn", "Kodet {turn}: {code}", "Coded {turn}: {code}"),
    (
        "rejected_turn",
        "Afvist {turn}: {code}",
        "Rejected {turn}: {code}",
    ),
    (
        "no_pending",
        "Turen har intet forslag, der venter",
        "This turn has no suggestion waiting",
    ),
    (
        "nothing_to_undo",
        "Intet at fortryde i denne session",
        "Nothing to undo in this session",
    ),
    ("undone", "Fortrudt: {turn} {code}", "Undone: {turn} {code}"),
    (
        "confirm_done",
        "Markér {document} som færdigkodet af {coder} for alle koder?",
        "Mark {document} as fully coded by {coder} for every code?",
    ),
    (
        "done_marked",
        "Dokumentet {document} er markeret som færdigkodet af {coder}",
        "The document {document} is marked as fully coded by {coder}",
    ),
    // the code picker and memos
    ("picker_passage", "Uddrag: «{quote}»", "Passage: «{quote}»"),
    ("picker_turn", "Hele turen {turn}", "The whole turn {turn}"),
    (
        "picker_new",
        "+ Ny kode: «{label}»",
        "+ New code: «{label}»",
    ),
    (
        "memo_coding",
        "Kodningen {code} på {turn}",
        "The coding {code} on {turn}",
    ),
    (
        "memo_document",
        "Dokumentet {document}",
        "The document {document}",
    ),
    ("memo_code", "Koden {code}", "The code {code}"),
    ("memo_empty", "Memoet er tomt", "The memo is empty"),
    ("memo_saved", "Memo gemt", "Memo saved"),
    // search
    ("search_title", "Søgning: {query}", "Search: {query}"),
    ("search_found", "{n} ture fundet", "{n} turns found"),
    (
        "search_first",
        "(de første {n} vises)",
        "(the first {n} shown)",
    ),
    // review
    ("none", "(ingen)", "(none)"),
    ("include", "Medtag", "Include"),
    ("exclude", "Udelad", "Exclude"),
    ("examples", "Eksempler", "Examples"),
    ("review_code", "Kode:", "Code:"),
    (
        "review_title",
        "Gennemgang af forslag",
        "Review of suggestions",
    ),
    ("review_code_title", "Gennemgang: {code}", "Review: {code}"),
    (
        "review_none",
        "Ingen forslag venter på dig.",
        "No suggestions are waiting for you.",
    ),
    ("review_accepted", "Accepteret {turn}", "Accepted {turn}"),
    ("review_rejected", "Afvist {turn}", "Rejected {turn}"),
    (
        "review_waiting",
        "{n} forslag venter · a acceptér · r afvis · u fortryd",
        "{n} suggestions waiting · a accept · r reject · u undo",
    ),
    ("review_section", "Forslaget", "The suggestion"),
    ("before", "Før", "Before"),
    ("after", "Efter", "After"),
    (
        "review_matched",
        "ord: {words} · regler: {rules}",
        "words: {words} · rules: {rules}",
    ),
    (
        "review_model",
        "modellens sandsynlighed: {p}",
        "the model's probability: {p}",
    ),
    ("memo_optional", "Memo (valgfrit)", "Memo (optional)"),
    ("review_accept", "Acceptér (a)", "Accept (a)"),
    ("review_reject", "Afvis (r)", "Reject (r)"),
    (
        "open_in_transcript",
        "Åbn i transskriptionen",
        "Open in the transcript",
    ),
    // codebook
    (
        "saved_field",
        "Gemt: {field} for {code}",
        "Saved: {field} for {code}",
    ),
    ("save", "Gem", "Save"),
    ("new_code", "Ny kode", "New code"),
    ("new_label", "Navn (dansk)", "Name (Danish)"),
    (
        "new_label_en",
        "Engelsk navn (valgfrit)",
        "English name (optional)",
    ),
    ("definition", "Definition", "Definition"),
    ("parent", "Overordnet kode", "Parent code"),
    ("create_code", "Opret kode", "Create code"),
    ("created", "Oprettet: {code}", "Created: {code}"),
    ("under", "(under {parent})", "(under {parent})"),
    ("formerly", "tidligere: {ids}", "formerly: {ids}"),
    (
        "include_lines",
        "Medtag (én pr. linje)",
        "Include (one per line)",
    ),
    (
        "exclude_lines",
        "Udelad (én pr. linje)",
        "Exclude (one per line)",
    ),
    (
        "examples_lines",
        "Eksempler (ét pr. linje)",
        "Examples (one per line)",
    ),
    ("label_en", "Engelsk navn", "English name"),
    ("moved", "Flyttet: {code}", "Moved: {code}"),
    ("move", "Flyt", "Move"),
    ("new_name", "Nyt navn", "New name"),
    ("new_id", "Nyt id", "New id"),
    (
        "renamed",
        "Omdøbt: {old} → {new} (det gamle id gælder fortsat)",
        "Renamed: {old} → {new} (the old id still works)",
    ),
    ("rename", "Omdøb", "Rename"),
    ("merge_into", "Slå sammen med", "Merge into"),
    (
        "merged",
        "Slået sammen: {from} → {into}",
        "Merged: {from} → {into}",
    ),
    ("merge", "Slå sammen", "Merge"),
    ("memo_on_code", "Memo om koden", "Memo on the code"),
    // disagreement
    ("not_coded", "ikke kodet", "not coded"),
    (
        "cell_title",
        "{code} i {document} ({n})",
        "{code} in {document} ({n})",
    ),
    (
        "disagree_title",
        "Uenighed mellem to kodere",
        "Disagreements between two coders",
    ),
    ("coder_a", "Koder A", "Coder A"),
    ("coder_b", "Koder B", "Coder B"),
    (
        "disagree_note",
        "Kun koder og dokumenter som begge har kodet færdigt tæller med.",
        "Only codes and documents that both coders have finished coding count.",
    ),
    ("no_disagreement", "Ingen uenighed.", "No disagreements."),
];

/// One text in a language; `None` for an unknown key.
pub fn text(key: &str, lang: Lang) -> Option<&'static str> {
    TEXTS.iter().find(|t| t.0 == key).map(|t| match lang {
        Lang::Da => t.1,
        Lang::En => t.2,
    })
}

/// Every text of a language, by key (what `/api/state` gives the script).
pub fn texts(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    TEXTS
        .iter()
        .map(|t| {
            (
                t.0,
                match lang {
                    Lang::Da => t.1,
                    Lang::En => t.2,
                },
            )
        })
        .collect()
}

/// Escape a text for HTML content and attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page in a language: `{{lang}}` becomes the language's code and
/// every `{{key}}` its text, escaped. An unknown key is left as it is
/// (a test makes sure there is none).
pub fn render_page(template: &str, lang: Lang) -> String {
    let mut out = String::with_capacity(template.len() + template.len() / 4);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            rest = &rest[open..];
            break;
        };
        let key = after[..close].trim();
        match (key, text(key, lang)) {
            ("lang", _) => out.push_str(lang.code()),
            (_, Some(t)) => out.push_str(&escape(t)),
            (_, None) => out.push_str(&rest[open..open + 2 + close + 2]),
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{INDEX, SCRIPT};
    use std::collections::BTreeSet;

    /// The `{name}` placeholders of a text.
    fn placeholders(s: &str) -> BTreeSet<&str> {
        let mut out = BTreeSet::new();
        let mut rest = s;
        while let Some(i) = rest.find('{') {
            let after = &rest[i + 1..];
            let Some(j) = after.find('}') else { break };
            out.insert(&after[..j]);
            rest = &after[j + 1..];
        }
        out
    }

    /// Keys the page names as `{{key}}` (but `{{lang}}`).
    fn page_keys() -> BTreeSet<&'static str> {
        INDEX
            .split("{{")
            .skip(1)
            .map(|s| s.split("}}").next().unwrap().trim())
            .filter(|k| *k != "lang")
            .collect()
    }

    /// Keys the script names as `t('key'`; every call of `t(` must name
    /// its key literally, so that this list is complete.
    fn script_keys() -> BTreeSet<&'static str> {
        let mut keys = BTreeSet::new();
        let mut calls = 0;
        for (i, _) in SCRIPT.match_indices("t(") {
            // a call of `t` itself, not of `sort(`, `split(`, ...
            let before = SCRIPT[..i].chars().next_back().unwrap_or(' ');
            if before.is_alphanumeric() || before == '_' || before == '.' || before == '$' {
                continue;
            }
            if SCRIPT[..i].ends_with("function ") {
                continue;
            }
            calls += 1;
            let args = &SCRIPT[i + 2..];
            let key = args
                .strip_prefix('\'')
                .and_then(|a| a.split_once('\''))
                .map(|(k, _)| k)
                .unwrap_or_else(|| {
                    panic!(
                        "app.js calls t( without a literal key: {}",
                        &args[..40.min(args.len())]
                    )
                });
            keys.insert(key);
        }
        assert!(calls > 50, "only {calls} calls of t( found in app.js");
        keys
    }

    #[test]
    fn keys_are_unique_and_both_languages_filled_with_the_same_placeholders() {
        let mut seen = BTreeSet::new();
        for (key, da, en) in TEXTS {
            assert!(seen.insert(*key), "{key} is in the table twice");
            assert!(!da.trim().is_empty() && !en.trim().is_empty(), "{key}");
            assert_eq!(placeholders(da), placeholders(en), "{key}");
        }
        assert_ne!(texts(Lang::Da), texts(Lang::En));
    }

    #[test]
    fn every_key_the_page_and_the_script_use_is_in_the_table_and_none_is_unused() {
        let page = page_keys();
        let script = script_keys();
        assert!(page.contains("nav_documents") && script.contains("error"));
        for key in page.iter().chain(&script) {
            assert!(text(key, Lang::Da).is_some(), "{key} is not in the table");
        }
        for (key, _, _) in TEXTS {
            assert!(
                page.contains(key) || script.contains(key),
                "{key} is in the table but neither the page nor the script uses it"
            );
        }
    }

    #[test]
    fn the_page_and_the_script_hold_no_danish_text_of_their_own() {
        for (name, src) in [("index.html", INDEX), ("app.js", SCRIPT)] {
            let danish: Vec<&str> = src
                .lines()
                .filter(|l| l.contains(['æ', 'ø', 'å', 'Æ', 'Ø', 'Å']))
                .collect();
            assert!(danish.is_empty(), "{name}: {danish:?}");
        }
    }

    #[test]
    fn the_page_is_filled_in_and_escaped() {
        let da = render_page(INDEX, Lang::Da);
        let en = render_page(INDEX, Lang::En);
        assert!(!da.contains("{{") && !en.contains("{{"));
        assert!(da.contains("<html lang=\"da\">") && da.contains(">Dokumenter</a>"));
        assert!(en.contains("<html lang=\"en\">") && en.contains(">Documents</a>"));
        assert!(en.contains("aria-label=\"Help and keys (?)\""));
        assert!(da.contains("<code>codings/KODER.csv</code>; fortryd"));
        assert_eq!(
            render_page("<p title=\"{{help_code}}\">{{ nav_review }}</p>", Lang::En),
            "<p title=\"Code the selection (or the whole turn): choose a code by typing part of its name\">Review</p>"
        );
        assert_eq!(
            render_page("{{x}} {{codes", Lang::Da),
            "{{x}} {{codes",
            "an unknown key stays"
        );
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
    }
}
