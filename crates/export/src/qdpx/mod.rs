//! REFI-QDA export (QDA-XML 1.0): a project (`project.qde`), the same inside
//! a `.qdpx` archive with the normalised transcripts, and a bare codebook
//! (`.qdc`) for other QDA programs (NVivo, MAXQDA, ATLAS.ti, QualCoder).
//!
//! Every GUID is a name-based UUID (version 5) of a spor id, so two exports
//! of the same study are byte-identical; no timestamps are written.
//! Positions are Unicode code points into the normalised text (end
//! exclusive), as the REFI-QDA specification requires. Participants appear
//! as cases named by their pseudonymous id, never by speaker label, and
//! attributes marked private in the sheets are left out. Each text source's
//! description lists its speaker labels (`Speakers (spor):`, then
//! `Label = participant (role)` lines), so that `spor import qdpx` can give
//! each turn back its participant; the labels are in the exported text
//! anyway.

mod codes;
mod selections;
mod variables;
mod xml;

use crate::ExportError;
use codes::{CodeNotes, write_codes};
use selections::Selections;
use spor_codebook::CodebookSet;
use spor_coding::{Codings, MemoTarget};
use spor_corpus::{AttrValue, Corpus, Document, Study};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use variables::{VarType, Variables, cases, is_public, write_cases, write_value};
pub use xml::guid;
use xml::{doc_guid, esc, esc_text, user_guid};

/// The first line of a text source's description that lists its speaker
/// labels, one `Label = participant (role)` per line after it.
pub const SPEAKERS: &str = "Speakers (spor):";

/// The user that rule suggestions are attributed to.
const RULES_USER: &str = "spor rules";

/// Memos as REFI-QDA notes: each note once in `<Notes>`, referred to from
/// the code, the document or the coded selection it is about.
struct Notes<'a> {
    /// Note GUIDs by code id.
    code: CodeNotes,
    /// Note GUIDs by document id.
    doc: BTreeMap<&'a str, Vec<String>>,
    /// Note GUIDs by segment id.
    seg: BTreeMap<&'a str, Vec<String>>,
    /// The `<Note>` elements.
    xml: String,
}

impl<'a> Notes<'a> {
    fn new(codings: &'a Codings) -> Self {
        let mut notes = Notes {
            code: CodeNotes::new(),
            doc: BTreeMap::new(),
            seg: BTreeMap::new(),
            xml: String::new(),
        };
        for m in &codings.memos {
            let g = guid(&format!("memo:{}:{}", m.coder, m.line));
            let name = match &m.target {
                MemoTarget::Coding { segment, code } => {
                    notes
                        .seg
                        .entry(segment.as_str())
                        .or_default()
                        .push(g.clone());
                    format!("{code} @ {segment}")
                }
                MemoTarget::Document { document } => {
                    notes
                        .doc
                        .entry(document.as_str())
                        .or_default()
                        .push(g.clone());
                    document.clone()
                }
                MemoTarget::Code { code } => {
                    notes.code.entry(code.clone()).or_default().push(g.clone());
                    code.clone()
                }
            };
            let _ = writeln!(
                notes.xml,
                "    <Note guid=\"{g}\" name=\"{}\" creatingUser=\"{}\">\n      <PlainTextContent>{}</PlainTextContent>\n    </Note>",
                esc(&name),
                user_guid(&m.coder),
                esc_text(&m.text)
            );
        }
        notes
    }
}

/// `project.qde`: the project as REFI-QDA XML (UTF-8, no BOM), with users,
/// the code tree, variables, a case per participant and a text source per
/// document whose coded segments are selections.
pub fn project_qde(
    study: &Study,
    corpus: &Corpus,
    books: &CodebookSet,
    codings: &Codings,
) -> String {
    let vars = Variables::new(study);
    let cases = cases(study, corpus);
    // Codings by segment: (code order, user) -> (code, user key).
    let code_order: BTreeMap<&str, usize> = books
        .codes()
        .enumerate()
        .map(|(i, (_, c))| (c.id.as_str(), i))
        .collect();
    let selections = Selections::new(codings, &code_order);
    let notes = Notes::new(codings);

    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        o,
        "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"spor\" creatingUserGUID=\"{}\">",
        esc(&study.manifest.study.name),
        user_guid("rules")
    );
    write_users(&mut o, codings);
    o.push_str("  <CodeBook>\n");
    write_codes(&mut o, books, 2, &notes.code);
    o.push_str("  </CodeBook>\n");
    vars.write(&mut o);
    write_cases(&mut o, &cases, &vars);
    if !corpus.documents.is_empty() {
        o.push_str("  <Sources>\n");
        for d in &corpus.documents {
            write_source(&mut o, study, d, &selections, &notes, &vars);
        }
        o.push_str("  </Sources>\n");
    }
    if !notes.xml.is_empty() {
        o.push_str("  <Notes>\n");
        o.push_str(&notes.xml);
        o.push_str("  </Notes>\n");
    }
    o.push_str("</Project>\n");
    o
}

/// The `<Users>` element: every coder who coded or wrote a memo, then the
/// user rule suggestions are attributed to.
fn write_users(o: &mut String, codings: &Codings) {
    let coders: BTreeSet<&str> = codings
        .rows
        .iter()
        .filter_map(|r| r.origin.coder())
        .chain(codings.memos.iter().map(|m| m.coder.as_str()))
        .collect();
    o.push_str("  <Users>\n");
    for c in &coders {
        let _ = writeln!(
            o,
            "    <User guid=\"{}\" name=\"{}\"/>",
            user_guid(c),
            esc(c)
        );
    }
    let _ = writeln!(
        o,
        "    <User guid=\"{}\" name=\"{RULES_USER}\"/>",
        user_guid("rules")
    );
    o.push_str("  </Users>\n");
}

/// One document's `<TextSource>`: its speaker labels in the description,
/// its coded segments as selections, its notes and its variable values.
fn write_source(
    o: &mut String,
    study: &Study,
    d: &Document,
    selections: &Selections,
    notes: &Notes,
    vars: &Variables,
) {
    let g = doc_guid(&d.meta.id);
    let _ = writeln!(
        o,
        "    <TextSource guid=\"{g}\" name=\"{}\" plainTextPath=\"internal://{g}.txt\">",
        esc(&d.meta.id)
    );
    // Which label is which participant, for an import to read back
    // (the labels are in the exported text anyway).
    let mut speakers = String::new();
    for s in study.speakers_of(&d.meta.id) {
        let _ = write!(
            speakers,
            "\n{} = {} ({})",
            s.label,
            s.participant,
            s.role.as_str()
        );
    }
    if !speakers.is_empty() {
        let _ = writeln!(
            o,
            "      <Description>{}</Description>",
            esc_text(&format!("{SPEAKERS}{speakers}"))
        );
    }
    for s in &d.segments {
        let seg_notes = notes
            .seg
            .get(s.segment.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        selections.write(o, s, seg_notes);
    }
    for n in notes.doc.get(d.meta.id.as_str()).into_iter().flatten() {
        let _ = writeln!(o, "      <NoteRef targetGUID=\"{n}\"/>");
    }
    let pad = "      ";
    for (k, v) in [
        ("kind", &d.meta.kind),
        ("phase", &d.meta.phase),
        ("date", &d.meta.date),
    ] {
        write_value(o, pad, k, &AttrValue::Text(v.clone()), VarType::Text);
    }
    for (k, v) in &d.meta.attributes {
        if is_public(study, k) {
            write_value(o, pad, k, v, vars.ty(k));
        }
    }
    o.push_str("    </TextSource>\n");
}

/// A `.qdc` codebook (`urn:QDA-XML:codebook:1.0`): the same code tree and
/// GUIDs as in [`project_qde`].
pub fn qdc(books: &CodebookSet) -> String {
    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    o.push_str("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"spor\">\n");
    write_codes(&mut o, books, 1, &CodeNotes::new());
    o.push_str("</CodeBook>\n");
    o
}

/// The path of a document's text inside the archive.
pub fn source_path(document: &str) -> String {
    format!("sources/{}.txt", doc_guid(document))
}

/// A `.qdpx` archive: `project.qde` then `sources/<guid>.txt` for every
/// document (its normalised text: UTF-8, LF, no BOM), deflated, with every
/// entry dated 1980-01-01 so the bytes depend only on the study.
pub fn qdpx(
    study: &Study,
    corpus: &Corpus,
    books: &CodebookSet,
    codings: &Codings,
) -> Result<Vec<u8>, ExportError> {
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("project.qde", opts)?;
    w.write_all(project_qde(study, corpus, books, codings).as_bytes())
        .map_err(zip::result::ZipError::from)?;
    for d in &corpus.documents {
        w.start_file(source_path(&d.meta.id), opts)?;
        let text = d.text.strip_prefix('\u{feff}').unwrap_or(&d.text);
        w.write_all(text.as_bytes())
            .map_err(zip::result::ZipError::from)?;
    }
    Ok(w.finish()?.into_inner())
}

#[cfg(test)]
mod tests;
