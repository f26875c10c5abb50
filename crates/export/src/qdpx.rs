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

use crate::ExportError;
use spor_codebook::{Code, Codebook, CodebookSet};
use spor_coding::{Codings, MemoTarget, Status};
use spor_corpus::{AttrValue, Corpus, Study};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;

/// The namespace of every GUID spor writes (a fixed, random UUID).
const NAMESPACE: [u8; 16] = [
    0x5b, 0x0e, 0x7c, 0x3a, 0x91, 0x2d, 0x4f, 0x6e, 0xa8, 0x43, 0x17, 0xc2, 0x9d, 0x5f, 0x0b, 0x64,
];

/// The first line of a text source's description that lists its speaker
/// labels, one `Label = participant (role)` per line after it.
pub const SPEAKERS: &str = "Speakers (spor):";

/// The user that rule suggestions are attributed to.
const RULES_USER: &str = "spor rules";

/// A lowercase UUIDv5 of `name` in spor's namespace.
pub fn guid(name: &str) -> String {
    uuid_v5(&NAMESPACE, name.as_bytes())
}

fn uuid_v5(namespace: &[u8; 16], name: &[u8]) -> String {
    let mut data = Vec::with_capacity(16 + name.len());
    data.extend_from_slice(namespace);
    data.extend_from_slice(name);
    // SHA-1 only because RFC 4122 prescribes it for name-based UUIDs.
    let h = <sha1::Sha1 as sha1::Digest>::digest(&data);
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut s = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// Escape text for XML content and double-quoted attributes. Characters XML
/// 1.0 forbids (most C0 controls) are dropped; tabs and line breaks in
/// attributes are written as character references so they survive.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' => o.push_str("&#9;"),
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            c => o.push(c),
        }
    }
    o
}

/// Escape element text: like [`esc`] but line breaks stay literal.
fn esc_text(s: &str) -> String {
    esc(s)
        .replace("&#10;", "\n")
        .replace("&#9;", "\t")
        .replace("&#13;", "")
}

fn is_rgb(s: &str) -> bool {
    let Some(hex) = s.strip_prefix('#') else {
        return false;
    };
    matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

fn code_guid(id: &str) -> String {
    guid(&format!("code:{id}"))
}

fn codebook_guid(id: &str) -> String {
    guid(&format!("codebook:{id}"))
}

fn doc_guid(id: &str) -> String {
    guid(&format!("doc:{id}"))
}

fn user_guid(name: &str) -> String {
    guid(&format!("user:{name}"))
}

fn var_guid(name: &str) -> String {
    guid(&format!("var:{name}"))
}

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
type CodeNotes = BTreeMap<String, Vec<String>>;

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
fn write_codes(out: &mut String, books: &CodebookSet, depth: usize, notes: &CodeNotes) {
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

/// A variable's type, from the values it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum VarType {
    Integer,
    Float,
    Text,
}

impl VarType {
    fn as_str(self) -> &'static str {
        match self {
            VarType::Integer => "Integer",
            VarType::Float => "Float",
            VarType::Text => "Text",
        }
    }

    fn of(values: &[&AttrValue]) -> VarType {
        let mut t: Option<VarType> = None;
        for v in values {
            let this = match v {
                AttrValue::Null => continue,
                AttrValue::Integer(_) => VarType::Integer,
                AttrValue::Number(x) if x.is_finite() => VarType::Float,
                _ => VarType::Text,
            };
            t = Some(t.map_or(this, |t| t.max(this)));
        }
        t.unwrap_or(VarType::Text)
    }
}

/// A value as the variable's type allows, or None for an empty cell.
fn value_xml(v: &AttrValue, t: VarType) -> Option<String> {
    match (v, t) {
        (AttrValue::Null, _) => None,
        (AttrValue::Text(s), _) if s.is_empty() => None,
        (AttrValue::Integer(i), VarType::Integer) => {
            Some(format!("<IntegerValue>{i}</IntegerValue>"))
        }
        (AttrValue::Integer(i), VarType::Float) => Some(format!("<FloatValue>{i}</FloatValue>")),
        (AttrValue::Number(x), VarType::Float) if x.is_finite() => {
            Some(format!("<FloatValue>{x}</FloatValue>"))
        }
        (v, _) => Some(format!("<TextValue>{}</TextValue>", esc_text(&v.key()))),
    }
}

fn write_value(out: &mut String, pad: &str, var: &str, v: &AttrValue, t: VarType) {
    if let Some(x) = value_xml(v, t) {
        let _ = writeln!(
            out,
            "{pad}<VariableValue>\n{pad}  <VariableRef targetGUID=\"{}\"/>\n{pad}  {x}\n{pad}</VariableValue>",
            var_guid(var)
        );
    }
}

/// One coding of a segment: (code order, coder or None for the rules, code).
type SegmentCoding<'a> = (usize, Option<&'a str>, &'a str);

/// The participant of a case: its profession, role and attributes (first
/// non-empty value across the participant's rows).
#[derive(Default)]
struct CaseInfo {
    profession: String,
    role: String,
    attributes: BTreeMap<String, AttrValue>,
    documents: BTreeSet<String>,
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
    let private = &study.private;
    let public = |k: &str| !private.contains(k) && !k.is_empty();

    // Users.
    let coders: BTreeSet<&str> = codings
        .rows
        .iter()
        .filter_map(|r| r.origin.strip_prefix("coder:"))
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
    let mut by_segment: BTreeMap<&str, BTreeSet<SegmentCoding<'_>>> = BTreeMap::new();
    for r in &codings.rows {
        if r.status == Status::Rejected {
            continue;
        }
        let Some(&i) = code_order.get(r.code.as_str()) else {
            continue;
        };
        let who = if r.is_suggestion() {
            None
        } else {
            match r.origin.strip_prefix("coder:") {
                Some(c) => Some(c),
                None => continue,
            }
        };
        by_segment
            .entry(r.segment.as_str())
            .or_default()
            .insert((i, who, r.code.as_str()));
    }

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
                let Some(rows) = by_segment.get(s.segment.as_str()) else {
                    continue;
                };
                let _ = writeln!(
                    o,
                    "      <PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\">",
                    guid(&format!("seg:{}", s.segment)),
                    esc(&s.segment),
                    s.char_start,
                    s.char_end
                );
                for (_, who, code) in rows {
                    let (user, origin) = match who {
                        None => (user_guid("rules"), "rules".to_owned()),
                        Some(c) => (user_guid(c), format!("coder:{c}")),
                    };
                    let _ = writeln!(
                        o,
                        "        <Coding guid=\"{}\" creatingUser=\"{user}\">\n          <CodeRef targetGUID=\"{}\"/>\n        </Coding>",
                        guid(&format!("coding:{}:{code}:{origin}", s.segment)),
                        code_guid(code)
                    );
                }
                for n in seg_notes.get(s.segment.as_str()).into_iter().flatten() {
                    let _ = writeln!(o, "        <NoteRef targetGUID=\"{n}\"/>");
                }
                o.push_str("      </PlainTextSelection>\n");
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
mod tests {
    use super::*;

    #[test]
    fn memos_become_notes_referred_from_code_source_and_selection() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let study = Study::open(&root.join("examples/sundtek")).unwrap();
        let corpus = Corpus::read(&study);
        let books = CodebookSet::read(&[(
            root.join("codebooks/sundtek-cues.toml"),
            "sundtek-cues.toml".into(),
        )])
        .unwrap();
        let seg = corpus.segments().find(|s| s.role == "participant").unwrap();
        let coding = |memo_target: MemoTarget, text: &str, line| spor_coding::Memo {
            coder: "R01".into(),
            target: memo_target,
            text: text.into(),
            line,
        };
        let codings = Codings {
            rows: vec![spor_coding::Coding {
                segment: seg.segment.clone(),
                code: "context".into(),
                codebook: "sundtek-cues".into(),
                origin: "coder:R01".into(),
                status: Status::Accepted,
                rules: String::new(),
                matched: String::new(),
                score: None,
                memo: String::new(),
                passages: Vec::new(),
            }],
            policy: spor_coding::Policy::default(),
            coverage: Default::default(),
            memos: vec![
                coding(
                    MemoTarget::Coding {
                        segment: seg.segment.clone(),
                        code: "context".into(),
                    },
                    "først & fremmest <konteksten>",
                    2,
                ),
                coding(
                    MemoTarget::Coding {
                        segment: seg.segment.clone(),
                        code: "context".into(),
                    },
                    "senere: også tid",
                    5,
                ),
                coding(
                    MemoTarget::Document {
                        document: seg.document.clone(),
                    },
                    "interviewet blev afbrudt",
                    3,
                ),
                coding(
                    MemoTarget::Code {
                        code: "context".into(),
                    },
                    "bred kode",
                    4,
                ),
            ],
        };
        let qde = project_qde(&study, &corpus, &books, &codings);
        let g = |line: usize| guid(&format!("memo:R01:{line}"));
        assert_eq!(qde.matches("<Note guid=").count(), 4);
        assert!(qde.contains(
            "<PlainTextContent>først &amp; fremmest &lt;konteksten&gt;</PlainTextContent>"
        ));
        for line in [2, 3, 4, 5] {
            assert_eq!(
                qde.matches(&format!("<NoteRef targetGUID=\"{}\"/>", g(line)))
                    .count(),
                1
            );
        }
        // the history keeps its order on the selection
        let first = qde
            .find(&format!("<NoteRef targetGUID=\"{}\"", g(2)))
            .unwrap();
        let later = qde
            .find(&format!("<NoteRef targetGUID=\"{}\"", g(5)))
            .unwrap();
        assert!(first < later);
        let xsd = root.join("../shared/data/refi-qda/Project.xsd");
        if !xsd.is_file() {
            eprintln!("skipped schema check: {} is absent", xsd.display());
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("project.qde");
        std::fs::write(&file, &qde).unwrap();
        match std::process::Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .arg(&file)
            .output()
        {
            Ok(out) => assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(_) => eprintln!("skipped schema check: xmllint is not installed"),
        }
    }

    #[test]
    fn uuid_v5_matches_known_values() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        let dns = [
            0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4,
            0x30, 0xc8,
        ];
        assert_eq!(
            uuid_v5(&dns, b"python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d"
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(esc("a<b>&\"'\n"), "a&lt;b&gt;&amp;&quot;&apos;&#10;");
        assert_eq!(esc_text("x\ny\u{1}"), "x\ny");
        assert!(is_rgb("#1f4e79") && is_rgb("#abc") && !is_rgb("#12345") && !is_rgb("red"));
    }
}
