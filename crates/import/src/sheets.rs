//! `documents.csv` and `participants.csv` from sources, cases and
//! variables.
//!
//! A document's `kind`, `phase` and `date` come from its variables of those
//! names; other document variables become further columns. A speaker is a
//! participant through a case: the one a spor export names for the label,
//! else the case whose name is the label. Its variables `profession` and
//! `role` fill those columns, the others become further columns. A label
//! without a case gets the participant id `<document>-<label>` and a role
//! guessed from its wording; a participant without a profession gets
//! `ukendt`, and the summary lists them for the user to fill in.

use crate::Warnings;
use crate::project::{Case, Project, Value};
use crate::sources::{Doc, Labelling, case_for_label};
use crate::speakers::guess_role;
use spor_corpus::Role;
use spor_corpus::study::{fold_label, is_iso_date};
use std::collections::{BTreeSet, HashMap};

/// The profession written for a participant whose profession is unknown.
pub const UNKNOWN_PROFESSION: &str = "ukendt";

/// The two sheets, as CSV.
#[derive(Debug, Clone, Default)]
pub struct Sheets {
    /// documents.csv.
    pub documents: Vec<u8>,
    /// participants.csv.
    pub participants: Vec<u8>,
    /// Rows of participants.csv.
    pub speakers: usize,
    /// Distinct participant ids.
    pub participants_count: usize,
    /// Cases that a speaker was linked to.
    pub cases_linked: usize,
}

/// (variable name, value) pairs, in the order given.
fn named(values: &[Value], names: &HashMap<&str, &str>) -> Vec<(String, String)> {
    values
        .iter()
        .filter_map(|(g, v)| Some((names.get(g.as_str())?.to_string(), v.clone())))
        .collect()
}

fn get<'a>(vals: &'a [(String, String)], name: &str) -> Option<&'a str> {
    vals.iter()
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

fn csv(rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        let _ = w.write_record(&r);
    }
    w.into_inner().unwrap_or_default()
}

/// Further columns: names in the project's variable order that occur in
/// `rows` and are not pinned.
fn extras(project: &Project, rows: &[&[(String, String)]], pinned: &[&str]) -> Vec<String> {
    let mut present: BTreeSet<String> = BTreeSet::new();
    for r in rows {
        for (k, _) in r.iter() {
            present.insert(k.clone());
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for v in &project.variables {
        let lower = v.name.trim().to_lowercase();
        if present.contains(&v.name)
            && !pinned.contains(&lower.as_str())
            && seen.insert(lower)
            && !v.name.trim().is_empty()
        {
            out.push(v.name.clone());
        }
    }
    out
}

/// Build both sheets.
pub fn build(project: &Project, docs: &[Doc], file: &str, warn: &mut Warnings) -> Sheets {
    let names: HashMap<&str, &str> = project
        .variables
        .iter()
        .map(|v| (v.guid.as_str(), v.name.as_str()))
        .collect();
    let documents = documents_csv(project, docs, &names, file, warn);
    let (speakers, made) = speakers(project, docs);
    let participants = participants_csv(project, &speakers, &names, &made, warn);
    let linked: BTreeSet<&str> = speakers
        .iter()
        .filter_map(|r| r.case.map(|c| c.guid.as_str()))
        .collect();
    let ids: BTreeSet<&str> = speakers.iter().map(|r| r.participant.as_str()).collect();
    Sheets {
        documents,
        participants,
        speakers: speakers.len(),
        participants_count: ids.len(),
        cases_linked: linked.len(),
    }
}

/// documents.csv: a row per document, its kind, phase and date from its
/// variables and the other variables as further columns; a date that is
/// not ISO 8601 goes to a `source_date` column, with a warning.
fn documents_csv(
    project: &Project,
    docs: &[Doc],
    names: &HashMap<&str, &str>,
    file: &str,
    warn: &mut Warnings,
) -> Vec<u8> {
    let doc_vals: Vec<Vec<(String, String)>> = docs
        .iter()
        .map(|d| named(&project.sources[d.source].values, names))
        .collect();
    let refs: Vec<&[(String, String)]> = doc_vals.iter().map(Vec::as_slice).collect();
    let mut dextra = extras(
        project,
        &refs,
        &["document", "file", "kind", "phase", "date"],
    );
    let mut bad_dates = Vec::new();
    let mut rows = Vec::new();
    for (d, vals) in docs.iter().zip(&doc_vals) {
        let kind = get(vals, "kind").map(str::to_owned).unwrap_or_else(|| {
            match d.labelling {
                Labelling::Made => "text",
                _ => "interview",
            }
            .to_owned()
        });
        let mut date = get(vals, "date").unwrap_or_default().trim().to_owned();
        let mut source_date = String::new();
        if !date.is_empty() && !is_iso_date(&date) {
            bad_dates.push(format!("{} ({date:?})", d.id));
            source_date = std::mem::take(&mut date);
        }
        let mut r = vec![
            d.id.clone(),
            format!("transcripts/{}.txt", d.id),
            kind,
            get(vals, "phase").unwrap_or_default().to_owned(),
            date,
        ];
        r.extend(
            dextra
                .iter()
                .map(|k| get(vals, k).unwrap_or_default().to_owned()),
        );
        r.push(source_date);
        rows.push(r);
    }
    if bad_dates.is_empty() {
        for r in &mut rows {
            r.pop();
        }
    } else {
        dextra.push("source_date".into());
        warn.push(
            file,
            format!(
                "dates that are not ISO 8601 went to the column source_date: {}",
                bad_dates.join(", ")
            ),
        );
    }
    let mut header: Vec<String> = ["document", "file", "kind", "phase", "date"]
        .map(String::from)
        .to_vec();
    header.extend(dextra);
    rows.insert(0, header);
    csv(rows)
}

/// A speaker label of a document as a row of participants.csv, before the
/// case's variables are read.
struct Speaker<'a> {
    doc: &'a str,
    label: String,
    participant: String,
    role: Role,
    /// Declared in the source's description by a spor export.
    declared: bool,
    case: Option<&'a Case>,
}

/// Every document's speakers, each linked to its participant: the one a
/// spor export declared, else the case named like the label, else an id
/// made from document and label (those are also listed, as
/// `document/label`).
fn speakers<'a>(project: &'a Project, docs: &'a [Doc]) -> (Vec<Speaker<'a>>, Vec<String>) {
    let mut speakers = Vec::new();
    let mut made = Vec::new();
    for d in docs {
        for label in &d.labels {
            let declared = d
                .declared
                .iter()
                .find(|x| fold_label(&x.label) == fold_label(label));
            let row = match declared {
                Some(x) => Speaker {
                    doc: &d.id,
                    label: label.clone(),
                    participant: x.participant.clone(),
                    role: x.role,
                    declared: true,
                    case: case_for_label(project, &x.participant),
                },
                None => match case_for_label(project, label) {
                    Some(c) => Speaker {
                        doc: &d.id,
                        label: label.clone(),
                        participant: crate::names::sanitize(&c.name),
                        role: guess_role(label),
                        declared: false,
                        case: Some(c),
                    },
                    None => {
                        made.push(format!("{}/{label}", d.id));
                        Speaker {
                            doc: &d.id,
                            label: label.clone(),
                            participant: crate::names::sanitize(&format!("{}-{label}", d.id)),
                            role: guess_role(label),
                            declared: false,
                            case: None,
                        }
                    }
                },
            };
            speakers.push(row);
        }
    }
    (speakers, made)
}

/// participants.csv: a row per speaker, profession and role from the
/// case's variables (a participant without a profession gets
/// [`UNKNOWN_PROFESSION`]), the other variables as further columns; warns
/// about made ids and unknown professions.
fn participants_csv(
    project: &Project,
    speakers: &[Speaker],
    names: &HashMap<&str, &str>,
    made: &[String],
    warn: &mut Warnings,
) -> Vec<u8> {
    let case_vals: Vec<Vec<(String, String)>> = speakers
        .iter()
        .map(|r| r.case.map(|c| named(&c.values, names)).unwrap_or_default())
        .collect();
    let refs: Vec<&[(String, String)]> = case_vals.iter().map(Vec::as_slice).collect();
    let pextra = extras(
        project,
        &refs,
        &["document", "speaker", "participant", "profession", "role"],
    );
    let mut header: Vec<String> = ["document", "speaker", "participant", "profession", "role"]
        .map(String::from)
        .to_vec();
    header.extend(pextra.iter().cloned());
    let mut rows = vec![header];
    let mut unknown = Vec::new();
    for (r, vals) in speakers.iter().zip(&case_vals) {
        let role = if !r.declared {
            get(vals, "role").and_then(Role::parse).unwrap_or(r.role)
        } else {
            r.role
        };
        let mut profession = get(vals, "profession")
            .unwrap_or_default()
            .trim()
            .to_owned();
        if profession.is_empty() && role == Role::Participant {
            unknown.push(format!("{}/{}", r.doc, r.label));
            profession = UNKNOWN_PROFESSION.to_owned();
        }
        let mut row = vec![
            r.doc.to_owned(),
            r.label.clone(),
            if r.participant.is_empty() {
                crate::names::sanitize(&format!("{}-speaker", r.doc))
            } else {
                r.participant.clone()
            },
            profession,
            role.as_str().to_owned(),
        ];
        row.extend(
            pextra
                .iter()
                .map(|k| get(vals, k).unwrap_or_default().to_owned()),
        );
        rows.push(row);
    }
    if !made.is_empty() {
        warn.push(
            "participants.csv",
            format!(
                "{} speaker(s) have no case; participant ids were made from document and label, one person per document: {}; give the same id to the same person",
                made.len(),
                list(made)
            ),
        );
    }
    if !unknown.is_empty() {
        warn.push(
            "participants.csv",
            format!(
                "{} participant(s) have no profession, written as {UNKNOWN_PROFESSION:?}: {}; fill in profession (and check role)",
                unknown.len(),
                list(&unknown)
            ),
        );
    }
    csv(rows)
}

/// The first twelve of a list, and how many there are in all if more.
fn list(v: &[String]) -> String {
    let mut s = v.iter().take(12).cloned().collect::<Vec<_>>().join(", ");
    if v.len() > 12 {
        s.push_str(&format!(", ... ({} in all)", v.len()));
    }
    s
}
