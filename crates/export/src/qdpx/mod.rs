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
use spor_corpus::{AttrValue, Corpus, Study};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use variables::{CaseInfo, VarType, write_value};
pub use xml::guid;
use xml::{doc_guid, esc, esc_text, user_guid, var_guid};

/// The first line of a text source's description that lists its speaker
/// labels, one `Label = participant (role)` per line after it.
pub const SPEAKERS: &str = "Speakers (spor):";

/// The user that rule suggestions are attributed to.
const RULES_USER: &str = "spor rules";

/// `project.qde`: the project as REFI-QDA XML (UTF-8, no BOM), with users,
/// the code tree, variables, a case per participant and a text source per
/// document whose coded segments are selections.
pub fn project_qde(
    study: &Study,
    corpus: &Corpus,
    books: &CodebookSet,
    codings: &Codings,
) -> String {
    let private = &study.private;
    let public = |k: &str| !private.contains(k) && !k.is_empty();

    // Users.
    let coders: BTreeSet<&str> = codings
        .rows
        .iter()
        .filter_map(|r| r.origin.coder())
        .chain(codings.memos.iter().map(|m| m.coder.as_str()))
        .collect();

    // Variables: profession, role and the participants' attributes, then
    // the documents' attributes and kind, phase, date; each name once.
    let mut var_order: Vec<&str> = vec!["profession", "role"];
    let mut values: BTreeMap<&str, Vec<&AttrValue>> = BTreeMap::new();
    let pattrs: BTreeSet<&str> = study
        .speakers
        .iter()
        .flat_map(|s| s.attributes.keys())
        .map(String::as_str)
        .filter(|k| public(k))
        .collect();
    let dattrs: BTreeSet<&str> = study
        .documents
        .iter()
        .flat_map(|d| d.attributes.keys())
        .map(String::as_str)
        .filter(|k| public(k))
        .collect();
    var_order.extend(pattrs.iter().copied());
    var_order.extend(dattrs.iter().copied());
    var_order.extend(["kind", "phase", "date"]);
    let mut seen = BTreeSet::new();
    var_order.retain(|n| seen.insert(*n));
    let pinned = ["profession", "role", "kind", "phase", "date"];
    for s in &study.speakers {
        for (k, v) in &s.attributes {
            values.entry(k.as_str()).or_default().push(v);
        }
    }
    for d in &study.documents {
        for (k, v) in &d.attributes {
            values.entry(k.as_str()).or_default().push(v);
        }
    }
    let var_type: BTreeMap<&str, VarType> = var_order
        .iter()
        .map(|k| {
            let t = if pinned.contains(k) {
                VarType::Text
            } else {
                VarType::of(values.get(k).map(Vec::as_slice).unwrap_or_default())
            };
            (*k, t)
        })
        .collect();
    let ty = |k: &str| var_type.get(k).copied().unwrap_or(VarType::Text);

    // Cases.
    let mut cases: BTreeMap<&str, CaseInfo> = BTreeMap::new();
    for s in &study.speakers {
        if s.participant.is_empty() {
            continue;
        }
        let c = cases.entry(s.participant.as_str()).or_default();
        if c.profession.is_empty() {
            c.profession = s.profession.clone();
        }
        if c.role.is_empty() {
            c.role = s.role.as_str().to_owned();
        }
        for (k, v) in &s.attributes {
            if public(k) && !v.is_null() {
                c.attributes.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    for d in &corpus.documents {
        for s in &d.segments {
            if let Some(c) = cases.get_mut(s.participant.as_str()) {
                c.documents.insert(d.meta.id.clone());
            }
        }
    }

    // Codings by segment: (code order, user) -> (code, user key).
    let code_order: BTreeMap<&str, usize> = books
        .codes()
        .enumerate()
        .map(|(i, (_, c))| (c.id.as_str(), i))
        .collect();
    let selections = Selections::new(codings, &code_order);

    // Memos become REFI-QDA notes: each note once in <Notes>, referred to
    // from the code, the document or the coded selection it is about.
    let mut code_notes = CodeNotes::new();
    let mut doc_notes: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut seg_notes: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut notes = String::new();
    for m in &codings.memos {
        let g = guid(&format!("memo:{}:{}", m.coder, m.line));
        let name = match &m.target {
            MemoTarget::Coding { segment, code } => {
                seg_notes
                    .entry(segment.as_str())
                    .or_default()
                    .push(g.clone());
                format!("{code} @ {segment}")
            }
            MemoTarget::Document { document } => {
                doc_notes
                    .entry(document.as_str())
                    .or_default()
                    .push(g.clone());
                document.clone()
            }
            MemoTarget::Code { code } => {
                code_notes.entry(code.clone()).or_default().push(g.clone());
                code.clone()
            }
        };
        let _ = writeln!(
            notes,
            "    <Note guid=\"{g}\" name=\"{}\" creatingUser=\"{}\">\n      <PlainTextContent>{}</PlainTextContent>\n    </Note>",
            esc(&name),
            user_guid(&m.coder),
            esc_text(&m.text)
        );
    }

    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        o,
        "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"spor\" creatingUserGUID=\"{}\">",
        esc(&study.manifest.study.name),
        user_guid("rules")
    );
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

    o.push_str("  <CodeBook>\n");
    write_codes(&mut o, books, 2, &code_notes);
    o.push_str("  </CodeBook>\n");

    o.push_str("  <Variables>\n");
    for name in &var_order {
        let _ = writeln!(
            o,
            "    <Variable guid=\"{}\" name=\"{}\" typeOfVariable=\"{}\"/>",
            var_guid(name),
            esc(name),
            ty(name).as_str()
        );
    }
    o.push_str("  </Variables>\n");

    if !cases.is_empty() {
        o.push_str("  <Cases>\n");
        for (id, c) in &cases {
            let _ = writeln!(
                o,
                "    <Case guid=\"{}\" name=\"{}\">",
                guid(&format!("case:{id}")),
                esc(id)
            );
            let pad = "      ";
            write_value(
                &mut o,
                pad,
                "profession",
                &AttrValue::Text(c.profession.clone()),
                VarType::Text,
            );
            write_value(
                &mut o,
                pad,
                "role",
                &AttrValue::Text(c.role.clone()),
                VarType::Text,
            );
            for (k, v) in &c.attributes {
                write_value(&mut o, pad, k, v, ty(k));
            }
            for d in &c.documents {
                let _ = writeln!(o, "{pad}<SourceRef targetGUID=\"{}\"/>", doc_guid(d));
            }
            o.push_str("    </Case>\n");
        }
        o.push_str("  </Cases>\n");
    }

    if !corpus.documents.is_empty() {
        o.push_str("  <Sources>\n");
        for d in &corpus.documents {
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
                let notes = seg_notes
                    .get(s.segment.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                selections.write(&mut o, s, notes);
            }
            for n in doc_notes.get(d.meta.id.as_str()).into_iter().flatten() {
                let _ = writeln!(o, "      <NoteRef targetGUID=\"{n}\"/>");
            }
            let pad = "      ";
            for (k, v) in [
                ("kind", &d.meta.kind),
                ("phase", &d.meta.phase),
                ("date", &d.meta.date),
            ] {
                write_value(&mut o, pad, k, &AttrValue::Text(v.clone()), VarType::Text);
            }
            for (k, v) in &d.meta.attributes {
                if public(k) {
                    write_value(&mut o, pad, k, v, ty(k));
                }
            }
            o.push_str("    </TextSource>\n");
        }
        o.push_str("  </Sources>\n");
    }
    if !notes.is_empty() {
        o.push_str("  <Notes>\n");
        o.push_str(&notes);
        o.push_str("  </Notes>\n");
    }
    o.push_str("</Project>\n");
    o
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
