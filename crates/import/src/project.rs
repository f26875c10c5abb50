//! A REFI-QDA project (`project.qde`, QDA-XML 1.0) read by local name into
//! what the import needs: users, the code tree, variables, cases, and
//! sources with their selections and codings. Optional attributes may be
//! missing; GUIDs are compared lowercase without `{}`.

use crate::xml::{Element, guid};

/// A user (coder).
#[derive(Debug, Clone, Default)]
pub struct User {
    /// GUID (normalised).
    pub guid: String,
    /// Display name.
    pub name: String,
    /// Initials or short id.
    pub id: String,
}

/// A code with its sub-codes.
#[derive(Debug, Clone, Default)]
pub struct QdaCode {
    /// GUID (normalised).
    pub guid: String,
    /// Name.
    pub name: String,
    /// `isCodable` (a folder or category when false).
    pub codable: bool,
    /// `color`, as written.
    pub color: Option<String>,
    /// Description text.
    pub description: String,
    /// Sub-codes.
    pub children: Vec<QdaCode>,
    /// GUIDs of the notes on the code.
    pub note_refs: Vec<String>,
}

/// A note (a memo), from `<Notes>`.
#[derive(Debug, Clone, Default)]
pub struct Note {
    /// GUID (normalised).
    pub guid: String,
    /// Name.
    pub name: String,
    /// The creating user's GUID.
    pub user: Option<String>,
    /// `PlainTextContent` (`None` when the note's text is in a file).
    pub text: Option<String>,
}

/// A variable.
#[derive(Debug, Clone, Default)]
pub struct Variable {
    /// GUID (normalised).
    pub guid: String,
    /// Name.
    pub name: String,
}

/// A variable's value on a case or a source: (variable GUID, value as text).
pub type Value = (String, String);

/// A case.
#[derive(Debug, Clone, Default)]
pub struct Case {
    /// GUID (normalised).
    pub guid: String,
    /// Name (Quirkos leaves it out).
    pub name: String,
    /// Variable values.
    pub values: Vec<Value>,
    /// Sources the case covers.
    pub source_refs: Vec<String>,
    /// Selections the case covers.
    pub selection_refs: Vec<String>,
}

/// One coding: a code applied by a user.
#[derive(Debug, Clone, Default)]
pub struct Coding {
    /// The code's GUID.
    pub code: String,
    /// The user's GUID, if given.
    pub user: Option<String>,
}

/// A text selection with its codings.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// GUID (normalised).
    pub guid: String,
    /// Name (QualCoder writes the selected text here).
    pub name: String,
    /// Start position as written (units depend on the producer).
    pub start: i64,
    /// End position (exclusive).
    pub end: i64,
    /// The selection's creating user.
    pub user: Option<String>,
    /// Codings.
    pub codings: Vec<Coding>,
    /// GUIDs of the notes on the selection.
    pub note_refs: Vec<String>,
}

/// What kind of source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// TextSource.
    Text,
    /// PDFSource.
    Pdf,
    /// PictureSource.
    Picture,
    /// AudioSource.
    Audio,
    /// VideoSource.
    Video,
}

/// A source.
#[derive(Debug, Clone)]
pub struct Source {
    /// GUID (normalised).
    pub guid: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: SourceKind,
    /// `plainTextPath`.
    pub plain_text_path: Option<String>,
    /// `richTextPath`.
    pub rich_text_path: Option<String>,
    /// `path` (PDF and media).
    pub path: Option<String>,
    /// `PlainTextContent`, when the text is inline.
    pub inline_text: Option<String>,
    /// Description.
    pub description: String,
    /// Text selections (for a PDF: those of its text representation).
    pub selections: Vec<Selection>,
    /// Selections of other kinds (PDF areas, pictures, media).
    pub other_selections: usize,
    /// Codings of the whole source.
    pub whole_codings: usize,
    /// Variable values.
    pub values: Vec<Value>,
    /// GUIDs of the notes on the source.
    pub note_refs: Vec<String>,
}

/// A project.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// `name`.
    pub name: String,
    /// `origin` (the producing program).
    pub origin: String,
    /// `creatingUserGUID`, a fallback coder.
    pub creating_user: Option<String>,
    /// Users.
    pub users: Vec<User>,
    /// The code tree.
    pub codes: Vec<QdaCode>,
    /// Variables.
    pub variables: Vec<Variable>,
    /// Cases.
    pub cases: Vec<Case>,
    /// Sources in order.
    pub sources: Vec<Source>,
    /// Sets in the project (not imported; counted for the summary).
    pub sets: usize,
    /// Notes with their text inline (memos; imported).
    pub notes: Vec<Note>,
    /// Notes whose text is not inline, links and graphs (not imported;
    /// counted for a warning).
    pub others: Vec<(&'static str, usize)>,
}

fn note_refs(e: &Element) -> Vec<String> {
    e.children_named("NoteRef")
        .filter_map(|r| opt_guid(r, "targetGUID"))
        .collect()
}

fn opt_guid(e: &Element, a: &str) -> Option<String> {
    e.attr(a).map(guid).filter(|g| !g.is_empty())
}

fn attr(e: &Element, a: &str) -> String {
    e.attr(a).unwrap_or_default().to_owned()
}

/// `true|false|1|0`, lenient about case; a missing value is codable.
fn boolean(v: Option<&str>) -> bool {
    !matches!(
        v.map(|s| s.trim().to_ascii_lowercase()).as_deref(),
        Some("false" | "0" | "no")
    )
}

/// The code tree under a `<Codes>` (or any element holding `<Code>`s).
pub fn codes(parent: &Element) -> Vec<QdaCode> {
    parent
        .children_named("Code")
        .map(|c| QdaCode {
            guid: guid(c.attr("guid").unwrap_or_default()),
            name: attr(c, "name"),
            codable: boolean(c.attr("isCodable")),
            color: c.attr("color").map(str::to_owned),
            description: c.child_text("Description"),
            children: codes(c),
            note_refs: note_refs(c),
        })
        .collect()
}

fn values(e: &Element) -> Vec<Value> {
    e.children_named("VariableValue")
        .filter_map(|v| {
            let var = v
                .child("VariableRef")
                .and_then(|r| opt_guid(r, "targetGUID"))?;
            let val = v
                .children
                .iter()
                .find(|c| c.name.ends_with("Value"))
                .map(|c| c.text.trim().to_owned())
                .unwrap_or_default();
            Some((var, val))
        })
        .collect()
}

fn codings(e: &Element) -> Vec<Coding> {
    e.children_named("Coding")
        .filter_map(|c| {
            Some(Coding {
                code: c.child("CodeRef").and_then(|r| opt_guid(r, "targetGUID"))?,
                user: opt_guid(c, "creatingUser"),
            })
        })
        .collect()
}

fn position(e: &Element, a: &str) -> i64 {
    e.attr(a)
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(-1)
}

fn selections(e: &Element) -> Vec<Selection> {
    e.children_named("PlainTextSelection")
        .map(|s| Selection {
            guid: guid(s.attr("guid").unwrap_or_default()),
            name: attr(s, "name"),
            start: position(s, "startPosition"),
            end: position(s, "endPosition"),
            user: opt_guid(s, "creatingUser"),
            codings: codings(s),
            note_refs: note_refs(s),
        })
        .collect()
}

fn source(e: &Element) -> Option<Source> {
    let kind = match e.name.as_str() {
        "TextSource" => SourceKind::Text,
        "PDFSource" => SourceKind::Pdf,
        "PictureSource" => SourceKind::Picture,
        "AudioSource" => SourceKind::Audio,
        "VideoSource" => SourceKind::Video,
        _ => return None,
    };
    let count_other = |e: &Element| {
        e.children
            .iter()
            .filter(|c| c.name.ends_with("Selection") && c.name != "PlainTextSelection")
            .count()
    };
    let mut other = count_other(e);
    // Transcripts of media and the text representation of a PDF hold
    // PlainTextSelections too; spor imports text sources only.
    for t in e.children_named("Transcript") {
        other += t.children_named("TranscriptSelection").count();
    }
    if let Some(r) = e.child("Representation") {
        other += r.children_named("PlainTextSelection").count();
    }
    let text = kind == SourceKind::Text;
    Some(Source {
        guid: guid(e.attr("guid").unwrap_or_default()),
        name: attr(e, "name"),
        kind,
        plain_text_path: e.attr("plainTextPath").map(str::to_owned),
        rich_text_path: e.attr("richTextPath").map(str::to_owned),
        path: e.attr("path").map(str::to_owned),
        inline_text: e.child("PlainTextContent").map(|c| c.text.clone()),
        description: e.child_text("Description"),
        selections: if text { selections(e) } else { Vec::new() },
        other_selections: if text {
            other
        } else {
            other + e.children_named("PlainTextSelection").count()
        },
        whole_codings: e.children_named("Coding").count(),
        values: values(e),
        note_refs: note_refs(e),
    })
}

/// `<Users>`: each user's GUID, name and id.
fn read_users(root: &Element) -> Vec<User> {
    root.child("Users")
        .map(|u| {
            u.children_named("User")
                .map(|u| User {
                    guid: guid(u.attr("guid").unwrap_or_default()),
                    name: attr(u, "name").trim().to_owned(),
                    id: attr(u, "id").trim().to_owned(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `<Variables>`: each variable's GUID and name.
fn read_variables(root: &Element) -> Vec<Variable> {
    root.child("Variables")
        .map(|v| {
            v.children_named("Variable")
                .map(|v| Variable {
                    guid: guid(v.attr("guid").unwrap_or_default()),
                    name: attr(v, "name").trim().to_owned(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `<Cases>`: each case's GUID, name, variable values and the sources and
/// selections it refers to.
fn read_cases(root: &Element) -> Vec<Case> {
    root.child("Cases")
        .map(|c| {
            c.children_named("Case")
                .map(|c| Case {
                    guid: guid(c.attr("guid").unwrap_or_default()),
                    name: attr(c, "name").trim().to_owned(),
                    values: values(c),
                    source_refs: c
                        .children_named("SourceRef")
                        .filter_map(|r| opt_guid(r, "targetGUID"))
                        .collect(),
                    selection_refs: c
                        .children_named("SelectionRef")
                        .filter_map(|r| opt_guid(r, "targetGUID"))
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `<Notes>`: each note's GUID, name, author and text (None for a note
/// without plain text, such as one kept in a file).
fn read_notes(root: &Element) -> Vec<Note> {
    root.child("Notes")
        .map(|n| {
            n.children_named("Note")
                .map(|n| Note {
                    guid: guid(n.attr("guid").unwrap_or_default()),
                    name: attr(n, "name").trim().to_owned(),
                    user: opt_guid(n, "creatingUser"),
                    text: n
                        .child("PlainTextContent")
                        .map(|c| c.text.trim().to_owned())
                        .filter(|t| !t.is_empty()),
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Project {
    /// Read a project from its root element; `Err` when the root is not a
    /// `Project`.
    pub fn from_xml(root: &Element) -> Result<Project, String> {
        if root.name != "Project" {
            return Err(format!(
                "not a REFI-QDA project: the root element is <{}>, not <Project>",
                root.name
            ));
        }
        let users = read_users(root);
        let codes = root
            .child("CodeBook")
            .and_then(|b| b.child("Codes"))
            .map(codes)
            .unwrap_or_default();
        let variables = read_variables(root);
        let cases = read_cases(root);
        let sources = root
            .child("Sources")
            .map(|s| s.children.iter().filter_map(source).collect())
            .unwrap_or_default();
        let all_notes = read_notes(root);
        let file_notes = all_notes.iter().filter(|n| n.text.is_none()).count();
        let notes: Vec<Note> = all_notes.into_iter().filter(|n| n.text.is_some()).collect();
        Ok(Project {
            name: attr(root, "name").trim().to_owned(),
            origin: attr(root, "origin").trim().to_owned(),
            creating_user: opt_guid(root, "creatingUserGUID"),
            users,
            codes,
            variables,
            cases,
            sources,
            notes,
            sets: root
                .child("Sets")
                .map(|s| s.children_named("Set").count())
                .unwrap_or(0),
            others: [("note", file_notes)]
                .into_iter()
                .chain(
                    [("Links", "link"), ("Graphs", "graph")]
                        .into_iter()
                        .map(|(list, what)| {
                            let n = root.child(list).map_or(0, |l| l.children.len());
                            (what, n)
                        }),
                )
                .filter(|(_, n)| *n > 0)
                .collect(),
        })
    }

    /// Every code in the tree, depth first.
    pub fn all_codes(&self) -> Vec<&QdaCode> {
        fn walk<'a>(c: &'a [QdaCode], out: &mut Vec<&'a QdaCode>) {
            for c in c {
                out.push(c);
                walk(&c.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.codes, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_project() {
        let x = r##"<Project xmlns="urn:QDA-XML:project:1.0" name="P" origin="NVivo 14">
<Users><User guid="{AAAA}" name="Ann"/></Users>
<CodeBook><Codes><Code guid="C1" name="Top" isCodable="false"><Code guid="c2" name="Sub" isCodable="1" color="#ABC"><Description>d</Description></Code></Code></Codes></CodeBook>
<Variables><Variable guid="v1" name="profession" typeOfVariable="Text"/></Variables>
<Cases><Case guid="k1" name="Anna"><VariableValue><VariableRef targetGUID="V1"/><TextValue>læge</TextValue></VariableValue><SourceRef targetGUID="S1"/></Case></Cases>
<Sources><TextSource guid="s1" name="Int 1" plainTextPath="internal://s1.txt">
<PlainTextSelection guid="x1" startPosition="3" endPosition="9" creatingUser="aaaa"><Coding guid="g"><CodeRef targetGUID="C2"/></Coding></PlainTextSelection>
</TextSource><PDFSource guid="p1" name="pdf"><PDFSelection guid="q" page="1" firstX="0" firstY="0" secondX="1" secondY="1"><Coding guid="h"><CodeRef targetGUID="c2"/></Coding></PDFSelection></PDFSource></Sources>
</Project>"##;
        let p = Project::from_xml(&crate::xml::parse(x).unwrap()).unwrap();
        assert_eq!(p.users[0].guid, "aaaa");
        assert!(!p.codes[0].codable && p.codes[0].children[0].codable);
        assert_eq!(p.all_codes().len(), 2);
        assert_eq!(p.cases[0].values, vec![("v1".into(), "læge".into())]);
        assert_eq!(p.cases[0].source_refs, vec!["s1".to_string()]);
        let s = &p.sources[0];
        assert_eq!((s.selections[0].start, s.selections[0].end), (3, 9));
        assert_eq!(s.selections[0].codings[0].code, "c2");
        assert_eq!(p.sources[1].kind, SourceKind::Pdf);
        assert_eq!(p.sources[1].other_selections, 1);
    }
}
