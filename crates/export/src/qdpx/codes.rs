//! The code tree: codebooks as folders, codes nested by parent.

use super::xml::{code_guid, codebook_guid, esc, esc_text, is_rgb};
use spor_codebook::{Code, Codebook, CodebookSet};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The description of a code: its definition, English label, and for cue
/// codes the finding, cue and translation.
fn code_description(c: &Code) -> String {
    let mut parts = Vec::new();
    if !c.definition.trim().is_empty() {
        parts.push(c.definition.trim().to_owned());
    }
    if !c.label_en.trim().is_empty() && c.label_en != c.label {
        parts.push(format!("English: {}", c.label_en.trim()));
    }
    for (k, v) in [
        ("Finding", &c.finding),
        ("Cue", &c.cue),
        ("Translation", &c.translation),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
            parts.push(format!("{k}: {}", v.trim()));
        }
    }
    parts.push(format!("spor id: {}", c.id));
    parts.join("\n\n")
}

/// Note GUIDs by the code they are about.
pub(super) type CodeNotes = BTreeMap<String, Vec<String>>;

fn write_code(
    out: &mut String,
    book: &Codebook,
    c: &Code,
    depth: usize,
    done: &mut BTreeSet<String>,
    notes: &CodeNotes,
) {
    done.insert(c.id.clone());
    let pad = "  ".repeat(depth);
    let name = if c.label.trim().is_empty() {
        &c.id
    } else {
        &c.label
    };
    let _ = write!(
        out,
        "{pad}<Code guid=\"{}\" name=\"{}\" isCodable=\"true\"",
        code_guid(&c.id),
        esc(name)
    );
    if let Some(col) = c.colour.as_deref().filter(|c| is_rgb(c)) {
        let _ = write!(out, " color=\"{}\"", col.to_ascii_uppercase());
    }
    out.push_str(">\n");
    let _ = writeln!(
        out,
        "{pad}  <Description>{}</Description>",
        esc_text(&code_description(c))
    );
    for n in notes.get(&c.id).into_iter().flatten() {
        let _ = writeln!(out, "{pad}  <NoteRef targetGUID=\"{n}\"/>");
    }
    for child in &book.codes {
        if child.parent.as_deref() == Some(c.id.as_str()) && !done.contains(&child.id) {
            write_code(out, book, child, depth + 1, done, notes);
        }
    }
    let _ = writeln!(out, "{pad}</Code>");
}

/// The `<Codes>` element: each codebook a non-codable folder named after
/// its title, with its codes nested by parent.
pub(super) fn write_codes(out: &mut String, books: &CodebookSet, depth: usize, notes: &CodeNotes) {
    let pad = "  ".repeat(depth);
    let _ = writeln!(out, "{pad}<Codes>");
    for book in &books.books {
        let _ = writeln!(
            out,
            "{pad}  <Code guid=\"{}\" name=\"{}\" isCodable=\"false\">",
            codebook_guid(&book.id),
            esc(if book.title.trim().is_empty() {
                &book.id
            } else {
                &book.title
            })
        );
        let mut desc = book
            .description
            .clone()
            .unwrap_or_default()
            .trim()
            .to_owned();
        if !desc.is_empty() {
            desc.push_str("\n\n");
        }
        let _ = write!(desc, "spor codebook: {} {}", book.id, book.version);
        let _ = writeln!(
            out,
            "{pad}    <Description>{}</Description>",
            esc_text(desc.trim())
        );
        let ids: BTreeSet<&str> = book.codes.iter().map(|c| c.id.as_str()).collect();
        let mut done = BTreeSet::new();
        for c in &book.codes {
            let root = match c.parent.as_deref() {
                None => true,
                Some(p) => !ids.contains(p) || p == c.id,
            };
            if root && !done.contains(&c.id) {
                write_code(out, book, c, depth + 2, &mut done, notes);
            }
        }
        // Codes caught in a parent cycle: written at the top, not lost.
        for c in &book.codes {
            if !done.contains(&c.id) {
                write_code(out, book, c, depth + 2, &mut done, notes);
            }
        }
        let _ = writeln!(out, "{pad}  </Code>");
    }
    let _ = writeln!(out, "{pad}</Codes>");
}
