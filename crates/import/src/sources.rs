//! From a text source to a transcript: its text (inline, from
//! `plainTextPath`, or from the `.docx` at `richTextPath` when the plain
//! text is empty), normalised, with speaker labels found or made, and its
//! turns exactly as spor will read them.

use crate::archive::Archive;
use crate::positions::{PositionMap, Unit};
use crate::project::{Project, Source};
use crate::speakers::{self, Declared, UNKNOWN_LABEL};
use crate::text::{self, CharMap};
use crate::{Result, Warnings};
use spor_corpus::study::fold_label;
use spor_corpus::transcript::{self, Turn};
use std::collections::BTreeSet;
use std::path::Path;

/// How a document got its speaker labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labelling {
    /// Listed by a spor export.
    Declared,
    /// Found in the text.
    Found,
    /// Written before each paragraph by the import.
    Made,
}

/// A text source read into a transcript.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Index of the source in the project.
    pub source: usize,
    /// The document id.
    pub id: String,
    /// The source's name (for messages).
    pub name: String,
    /// The transcript text to write (normalised).
    pub text: String,
    /// Positions in the producer's unit -> characters of the source text.
    pub positions: PositionMap,
    /// Source character -> transcript character.
    pub map: CharMap,
    /// The speaker labels declared for the document.
    pub labels: Vec<String>,
    /// Speakers a spor export declared (label, participant, role).
    pub declared: Vec<Declared>,
    /// How the labels came about.
    pub labelling: Labelling,
    /// The turns, as spor reads them.
    pub turns: Vec<Turn>,
}

/// Read the source's text as written by the producer (BOM stripped, CR
/// kept), or `None` (with a warning) when it has none.
fn source_text(
    project: &Project,
    src: &Source,
    archive: &mut Archive,
    warn: &mut Warnings,
) -> Result<Option<String>> {
    let file = archive.path().display().to_string();
    let label = format!("source {:?}", src.name);
    if let Some(t) = &src.inline_text
        && !t.trim().is_empty()
    {
        return Ok(Some(t.clone()));
    }
    let mut text = String::new();
    match src.plain_text_path.as_deref() {
        Some(p) => match archive.find_source(p) {
            Some(entry) => {
                let bytes = archive.read(&entry)?;
                let (t, w) = text::decode_source(&bytes);
                if let Some(w) = w {
                    warn.push(&file, format!("{label}: entry {entry}: {w}"));
                }
                text = t;
            }
            None => warn.push(
                &file,
                format!("{label}: its plain text {p:?} is not in the archive"),
            ),
        },
        None if src.inline_text.is_none() => warn.push(
            &file,
            format!("{label}: no plainTextPath and no PlainTextContent"),
        ),
        None => {}
    }
    if !text.trim().is_empty() {
        return Ok(Some(text));
    }
    if let Some(rich) = src.rich_text_path.as_deref()
        && let Some(entry) = archive.find_source(rich)
    {
        let bytes = archive.read(&entry)?;
        let shown = Path::new(&file).join(&entry);
        // Read twice: the labels found in `Label:` paragraphs also make
        // bold labels and two-column speaker tables explicit.
        let first = spor_corpus::docx::to_text(&bytes, &[], &shown);
        let again = first.as_ref().ok().and_then(|t| {
            let mut labels = speakers::detect_labels(t).unwrap_or_default();
            labels.extend(project.cases.iter().map(|c| c.name.clone()));
            (!labels.is_empty())
                .then(|| spor_corpus::docx::to_text(&bytes, &labels, &shown).ok())
                .flatten()
        });
        match again.map(Ok).unwrap_or(first) {
            Ok(t) if !t.trim().is_empty() => {
                warn.push(
                        &file,
                        format!(
                            "{label}: the plain text is empty; read the text from {entry} instead (selection positions may not fit it)"
                        ),
                    );
                return Ok(Some(t));
            }
            _ => {}
        }
    }
    warn.push(
        &file,
        format!("{label}: has no text (its plain text is empty, and no .docx with text); left out"),
    );
    Ok(None)
}

/// The case whose name is this label, if exactly one is.
pub fn case_for_label<'a>(project: &'a Project, label: &str) -> Option<&'a crate::project::Case> {
    let f = fold_label(label);
    let mut it = project.cases.iter().filter(|c| fold_label(&c.name) == f);
    let one = it.next()?;
    it.next().is_none().then_some(one)
}

/// Cases linked to a source (by SourceRef, or SelectionRef to one of its
/// selections).
pub fn linked_cases<'a>(project: &'a Project, src: &Source) -> Vec<&'a crate::project::Case> {
    let sels: BTreeSet<&str> = src.selections.iter().map(|s| s.guid.as_str()).collect();
    project
        .cases
        .iter()
        .filter(|c| {
            c.source_refs.contains(&src.guid)
                || c.selection_refs.iter().any(|r| sels.contains(r.as_str()))
        })
        .collect()
}

/// Read every text source into a document (those without text are left
/// out, with a warning).
pub fn read_all(
    project: &Project,
    archive: &mut Archive,
    unit: Unit,
    warn: &mut Warnings,
) -> Result<Vec<Doc>> {
    let file = archive.path().display().to_string();
    let mut used = BTreeSet::new();
    let mut docs = Vec::new();
    for (i, src) in project.sources.iter().enumerate() {
        if src.kind != crate::project::SourceKind::Text {
            continue;
        }
        let Some(raw) = source_text(project, src, archive, warn)? else {
            continue;
        };
        let stem = src
            .plain_text_path
            .as_deref()
            .map(|p| p.rsplit(['/', '\\']).next().unwrap_or(p))
            .map(|p| p.rsplit_once('.').map_or(p, |(s, _)| s))
            .unwrap_or_default();
        let base = crate::names::sanitize(if src.name.trim().is_empty() {
            stem
        } else {
            &src.name
        });
        let id = crate::names::unique(&base, &format!("doc-{}", docs.len() + 1), &mut used);
        let name = if src.name.trim().is_empty() {
            id.clone()
        } else {
            src.name.clone()
        };
        let positions = PositionMap::new(&raw, unit);
        let norm = text::normalise(&raw);
        if norm.controls > 0 {
            warn.push(
                &file,
                format!(
                    "source {name:?}: {} control character(s) replaced by spaces",
                    norm.controls
                ),
            );
        }
        let declared = speakers::spor_speakers(&src.description).unwrap_or_default();
        let (text, map, labels, labelling) =
            labelled(project, src, norm, &declared, &name, &file, warn);
        docs.push(Doc {
            source: i,
            id,
            name,
            text,
            positions,
            map,
            labels,
            declared,
            labelling,
            turns: Vec::new(),
        });
    }
    parse_turns(&mut docs, project, &file, warn);
    Ok(docs)
}

/// A source's text with its speaker labels: those a spor export declared,
/// else labels found in the text, else a label made (from its one case, or
/// [`UNKNOWN_LABEL`]) and put before every paragraph, with a warning.
fn labelled(
    project: &Project,
    src: &Source,
    norm: text::Normalised,
    declared: &[speakers::Declared],
    name: &str,
    file: &str,
    warn: &mut Warnings,
) -> (String, CharMap, Vec<String>, Labelling) {
    if !declared.is_empty() {
        let labels = declared.iter().map(|d| d.label.clone()).collect();
        (norm.text, norm.map, labels, Labelling::Declared)
    } else if let Some(labels) = speakers::detect_labels(&norm.text) {
        (norm.text, norm.map, labels, Labelling::Found)
    } else {
        let cases = linked_cases(project, src);
        let label = match cases.as_slice() {
            [one] if usable_label(&one.name) => one.name.clone(),
            _ => UNKNOWN_LABEL.to_owned(),
        };
        let (t, m) = speakers::prefix_lines(&norm.text, &|_| label.clone());
        warn.push(
            file,
            format!(
                "source {name:?}: the text has no speaker labels; each paragraph became a turn of speaker {label:?}"
            ),
        );
        (
            t,
            text::compose(&norm.map, &m),
            vec![label],
            Labelling::Made,
        )
    }
}

/// A case name that works as a speaker label.
fn usable_label(name: &str) -> bool {
    let n = name.trim();
    !n.is_empty() && !n.contains(':') && n.chars().count() <= 60 && !n.contains('\n')
}

/// Read each document's turns with spor's own transcript reader. A line
/// that reader would call an undeclared speaker (an error in `spor check`)
/// gets its label declared, and the document is read again.
fn parse_turns(docs: &mut [Doc], project: &Project, file: &str, warn: &mut Warnings) {
    let mut all: BTreeSet<String> = docs
        .iter()
        .flat_map(|d| d.labels.iter().map(|l| fold_label(l)))
        .collect();
    // Names of cases count as labels declared elsewhere (they are speakers).
    for c in &project.cases {
        if usable_label(&c.name) {
            all.insert(fold_label(&c.name));
        }
    }
    // Every pass reads every document again, since a label declared in one
    // changes how spor judges undeclared `Label:` lines in the others.
    for pass in 0..8 {
        let mut changed = false;
        for d in docs.iter_mut() {
            let shown = Path::new("transcripts").join(format!("{}.txt", d.id));
            let p = transcript::parse(&d.text, &d.labels, &all, &shown);
            let mut added: Vec<String> = Vec::new();
            for diag in &p.diagnostics {
                if diag.severity != spor_corpus::Severity::Error {
                    continue;
                }
                let Some(q) = diag.message.strip_prefix("unknown speaker ") else {
                    continue;
                };
                let label = q.trim_matches('"').replace("\\\"", "\"");
                let f = fold_label(&label);
                if !d.labels.iter().chain(&added).any(|l| fold_label(l) == f) {
                    added.push(label);
                }
            }
            if added.is_empty() || pass == 7 {
                d.turns = p.turns;
                continue;
            }
            changed = true;
            warn.push(
                file,
                format!(
                    "source {:?}: lines starting {} read as speaker turns (spor would refuse them as undeclared speakers); check them in the transcript",
                    d.name,
                    added
                        .iter()
                        .map(|l| format!("{:?}", format!("{l}:")))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            for l in added {
                all.insert(fold_label(&l));
                d.labels.push(l);
            }
        }
        if !changed {
            break;
        }
    }
}
