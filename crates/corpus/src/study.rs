//! A study folder: `spor.toml`, the documents and participants sheets, and
//! their validation (docs/FORMAT.md §1).

use crate::sheet::{Attributes, Sheet};
use crate::{CorpusError, Diagnostic, Location, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The file name of a study manifest.
pub const MANIFEST: &str = "spor.toml";
/// Pinned columns of `documents.csv`.
pub const DOCUMENT_COLUMNS: [&str; 5] = ["document", "file", "kind", "phase", "date"];
/// Pinned columns of `participants.csv`.
pub const PARTICIPANT_COLUMNS: [&str; 5] =
    ["document", "speaker", "participant", "profession", "role"];

/// `spor.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The `[study]` table.
    pub study: StudySection,
    /// `[coding]`: how codings are counted.
    #[serde(default)]
    pub coding: CodingSection,
    /// `[audit]`: the audit's thresholds.
    #[serde(default)]
    pub audit: AuditSection,
    /// `[privacy]`: what outputs may show.
    #[serde(default)]
    pub privacy: PrivacySection,
    /// `[output]`: how outputs are written.
    #[serde(default)]
    pub output: OutputSection,
    /// `[coders.NAME]`: per coder.
    #[serde(default)]
    pub coders: std::collections::BTreeMap<String, CoderSection>,
    /// `[input]`: how inputs are read.
    #[serde(default)]
    pub input: InputSection,
    /// `[serve]`: the coding workbench.
    #[serde(default)]
    pub serve: ServeSection,
    /// `[learn]`: the learned suggestions (spor-learn).
    #[serde(default)]
    pub learn: LearnSection,
}

/// `[serve]` in `spor.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServeSection {
    /// The coder `spor serve` writes for when `--coder` is not given.
    #[serde(default)]
    pub coder: Option<String>,
}

/// `[learn]` in `spor.toml`: the models learned from the coders' decisions
/// (defaults are spor-learn's, documented in docs/DECISIONS.md).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LearnSection {
    /// Whether `spor code` learns and suggests at all (default true).
    pub enabled: Option<bool>,
    /// Minimum cross-validated F1 a code's model needs to suggest.
    pub min_f1: Option<f64>,
    /// Probability from which a model suggests its code.
    pub threshold: Option<f64>,
    /// Whether unreviewed model suggestions count in analyses (default
    /// false: only once a coder accepts them).
    #[serde(default)]
    pub count: bool,
    /// Feature kinds: `words`, `pairs`, `rules`, `position`.
    pub features: Option<Vec<String>>,
    /// Cross-validation folds at most (default 10; 0: one document per
    /// fold however many there are).
    pub folds: Option<usize>,
}

/// `[input]` in `spor.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InputSection {
    /// Whether transcripts may be symlinks that lead out of the study.
    #[serde(default)]
    pub follow_symlinks: bool,
}

/// `[coding]` in `spor.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CodingSection {
    /// `suggested-and-human` (default) or `human-only`.
    pub policy: Option<String>,
}

/// `[audit]` in `spor.toml` (defaults are the audit's).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuditSection {
    /// Minimum coded segments per code.
    pub min_segments: Option<usize>,
    /// Minimum distinct participants per code.
    pub min_participants: Option<usize>,
    /// Minimum Krippendorff's alpha of a linked code.
    pub min_alpha: Option<f64>,
    /// Minimum reviewed share of a goal's evidence.
    pub min_reviewed_share: Option<f64>,
}

/// `[privacy]` in `spor.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacySection {
    /// Hide figures resting on fewer participants than this.
    pub min_cell: Option<usize>,
    /// Whether private attributes may be used as search filters.
    #[serde(default)]
    pub private_filters: bool,
}

/// `[output]` in `spor.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSection {
    /// `standard` or `excel-da`.
    pub csv_dialect: Option<String>,
}

/// `[coders.NAME]` in `spor.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CoderSection {
    /// Documents this coder has coded for every code.
    #[serde(default)]
    pub documents: Vec<String>,
}

/// The `[study]` table of `spor.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StudySection {
    /// The study's name.
    pub name: String,
    /// Codebook paths, relative to `spor.toml`.
    #[serde(default)]
    pub codebooks: Vec<String>,
    /// The curriculum file, relative to `spor.toml`.
    #[serde(default)]
    pub curriculum: Option<String>,
    /// The documents sheet (default `documents.csv`).
    #[serde(default)]
    pub documents: Option<String>,
    /// The participants sheet (default `participants.csv`).
    #[serde(default)]
    pub participants: Option<String>,
    /// The language of the study and of its report (`da`, the default, or
    /// `en`).
    #[serde(default)]
    pub language: Option<String>,
}

/// A role in a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// An interviewee or workshop participant: coded and counted by default.
    Participant,
    /// The interviewer.
    Interviewer,
    /// A workshop facilitator.
    Facilitator,
    /// An observer.
    Observer,
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Role {
    /// Parse a role as written in `participants.csv` (case-insensitive).
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_lowercase().as_str() {
            "participant" => Some(Role::Participant),
            "interviewer" => Some(Role::Interviewer),
            "facilitator" => Some(Role::Facilitator),
            "observer" => Some(Role::Observer),
            _ => None,
        }
    }

    /// The role's name as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Participant => "participant",
            Role::Interviewer => "interviewer",
            Role::Facilitator => "facilitator",
            Role::Observer => "observer",
        }
    }
}

/// One row of `documents.csv`.
#[derive(Debug, Clone)]
pub struct DocumentMeta {
    /// The document id.
    pub id: String,
    /// The transcript file, relative to the study folder.
    pub file: String,
    /// `interview`, `workshop` or another word.
    pub kind: String,
    /// A number or a word.
    pub phase: String,
    /// ISO 8601 date (may be empty).
    pub date: String,
    /// Further columns, typed.
    pub attributes: Attributes,
    /// Line in `documents.csv`.
    pub line: usize,
}

/// One row of `participants.csv`: a speaker label in one document.
#[derive(Debug, Clone)]
pub struct Speaker {
    /// The document id.
    pub document: String,
    /// The label as written in the transcript (trimmed).
    pub label: String,
    /// The pseudonymous participant id.
    pub participant: String,
    /// The participant's profession.
    pub profession: String,
    /// The role in this document.
    pub role: Role,
    /// Further columns, typed.
    pub attributes: Attributes,
    /// Line in `participants.csv`.
    pub line: usize,
}

/// A study: its manifest and sheets, validated.
#[derive(Debug, Clone)]
pub struct Study {
    /// The study folder.
    pub root: PathBuf,
    /// `spor.toml`.
    pub manifest: Manifest,
    /// Rows of `documents.csv`, in file order, without rejected rows.
    pub documents: Vec<DocumentMeta>,
    /// Rows of `participants.csv`, in file order, without rejected rows.
    pub speakers: Vec<Speaker>,
    /// The documents sheet's path relative to the study.
    pub documents_path: PathBuf,
    /// The participants sheet's path relative to the study.
    pub participants_path: PathBuf,
    /// Problems found while reading the sheets.
    pub diagnostics: Vec<Diagnostic>,
    /// Attributes marked private (a `private:` prefix on the column name in
    /// either sheet): kept for the team's working files, never shown in
    /// outputs meant to leave it.
    pub private: std::collections::BTreeSet<String>,
    /// The positions in `speakers` of each document's speakers, built on
    /// first use (studies have thousands of documents).
    by_document: std::sync::OnceLock<std::collections::HashMap<String, Vec<usize>>>,
}

/// The prefix that marks a sheet column private.
pub const PRIVATE_PREFIX: &str = "private:";

/// Strip the `private:` prefix from attribute names, collecting them.
fn strip_private(
    rows: Vec<Attributes>,
    private: &mut std::collections::BTreeSet<String>,
) -> Vec<Attributes> {
    rows.into_iter()
        .map(|attrs| {
            attrs
                .into_iter()
                .map(|(k, v)| {
                    let lower = k.to_lowercase();
                    match lower.strip_prefix(PRIVATE_PREFIX) {
                        Some(_) => {
                            let name = k[PRIVATE_PREFIX.len()..].trim().to_owned();
                            private.insert(name.clone());
                            (name, v)
                        }
                        None => (k, v),
                    }
                })
                .collect()
        })
        .collect()
}

/// Find the study folder: `start` itself when it holds `spor.toml` (or is
/// that file), else the nearest folder above it that does.
pub fn discover(start: &Path) -> Result<PathBuf> {
    let start = if start.is_file() && start.file_name() == Some(MANIFEST.as_ref()) {
        start.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        start.to_path_buf()
    };
    let abs = std::path::absolute(&start).unwrap_or(start.clone());
    let mut dir: Option<&Path> = Some(&abs);
    while let Some(d) = dir {
        if d.join(MANIFEST).is_file() {
            return Ok(d.to_path_buf());
        }
        dir = d.parent();
    }
    Err(CorpusError::StudyNotFound(start))
}

/// 1-based line of a byte offset in a text.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Parse `spor.toml` text.
pub fn parse_manifest(text: &str, shown: &Path) -> Result<Manifest> {
    toml::from_str::<Manifest>(text).map_err(|e| {
        let line = e.span().map(|s| line_of_offset(text, s.start)).unwrap_or(1);
        let message = e.message().trim().to_owned();
        match did_you_mean(&message) {
            Some(hint) => CorpusError::invalid_hint(Location::line(shown, line), message, hint),
            None => CorpusError::invalid(Location::line(shown, line), message),
        }
    })
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown
/// variant"), the closest known name.
fn did_you_mean(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (unknown, rest) = rest.split_once('`')?;
    let known: Vec<&str> = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|k| !k.is_empty())
        .collect();
    let best = known
        .iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), *k))
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    (best.0 >= 0.8).then(|| format!("did you mean `{}`?", best.1))
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Whether `s` is an ISO 8601 date: `YYYY-MM-DD` naming a real day (leap
/// years counted), optionally followed by `T` or a space and a time
/// `hh:mm`, `hh:mm:ss` or `hh:mm:ss.fff`, optionally with a zone (`Z`,
/// `+hh:mm`, `+hhmm`, `+hh`). `2024-02-31` and `2024-02-29Tnonsense` are
/// not dates. The calendar and the clock are the `time` crate's; spor only
/// insists on the calendar form (no week or ordinal dates), since
/// documents are ordered by this column as written.
pub fn is_iso_date(s: &str) -> bool {
    use time::format_description::well_known::Iso8601;
    let (Some(date), Some(rest)) = (s.get(..10), s.get(10..)) else {
        return false;
    };
    let calendar = date.bytes().enumerate().all(|(i, c)| match i {
        4 | 7 => c == b'-',
        _ => c.is_ascii_digit(),
    });
    if !calendar || time::Date::parse(date, &Iso8601::DATE).is_err() {
        return false;
    }
    let Some(clock) = rest.strip_prefix(['T', ' ']) else {
        return rest.is_empty();
    };
    // the extended form only (`10:00`, not `1000`), as in the calendar
    let extended = clock.as_bytes().get(2) == Some(&b':');
    let with_t = format!("{date}T{clock}");
    extended
        && (time::OffsetDateTime::parse(&with_t, &Iso8601::PARSING).is_ok()
            || time::PrimitiveDateTime::parse(&with_t, &Iso8601::PARSING).is_ok())
}

/// Fold a speaker label for comparison: trimmed and lowercased.
pub fn fold_label(s: &str) -> String {
    s.trim().to_lowercase()
}

impl Study {
    /// Open the study in `root` (a folder holding `spor.toml`): read and
    /// validate the manifest and the two sheets. Fatal problems (a missing or
    /// unreadable file, a missing column) are errors; problems with single
    /// rows are collected in `diagnostics` and the row is left out.
    pub fn open(root: &Path) -> Result<Study> {
        let root = root.to_path_buf();
        let manifest_text =
            crate::input::read_text_limited(&root.join(MANIFEST), crate::input::MAX_TOML_BYTES)
                .map_err(|source| CorpusError::Io {
                    location: Location::file(MANIFEST),
                    source,
                })?;
        let manifest = parse_manifest(&manifest_text, Path::new(MANIFEST))?;
        let documents_path = PathBuf::from(
            manifest
                .study
                .documents
                .as_deref()
                .unwrap_or("documents.csv"),
        );
        let participants_path = PathBuf::from(
            manifest
                .study
                .participants
                .as_deref()
                .unwrap_or("participants.csv"),
        );
        let mut diagnostics = Vec::new();
        let mut private = std::collections::BTreeSet::new();
        let documents = read_documents(&root, &documents_path, &mut diagnostics, &mut private)?;
        let speakers = read_speakers(
            &root,
            &participants_path,
            &documents,
            &mut diagnostics,
            &mut private,
        )?;
        let mut study = Study {
            root,
            manifest,
            documents,
            speakers,
            documents_path,
            participants_path,
            diagnostics,
            private,
            by_document: Default::default(),
        };
        study.cross_check();
        Ok(study)
    }

    /// Whether transcripts may be symlinks that lead out of the study folder
    /// (`[input] follow_symlinks = true` in spor.toml; default false).
    pub fn follow_symlinks(&self) -> bool {
        self.manifest.input.follow_symlinks
    }

    /// The codebooks spor.toml names, in its order: each one's absolute
    /// path and the path as written (for messages).
    pub fn codebook_paths(&self) -> Vec<(PathBuf, PathBuf)> {
        self.manifest
            .study
            .codebooks
            .iter()
            .map(|p| (self.path(p), PathBuf::from(p)))
            .collect()
    }

    /// The absolute path of a file named relative to the study folder.
    pub fn path(&self, relative: &str) -> PathBuf {
        let p = Path::new(relative);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.root.join(p)
        }
    }

    /// The speakers declared for one document, in sheet order.
    pub fn speakers_of<'a>(&'a self, document: &'a str) -> impl Iterator<Item = &'a Speaker> {
        let index = self.by_document.get_or_init(|| {
            let mut m: std::collections::HashMap<String, Vec<usize>> = Default::default();
            for (i, s) in self.speakers.iter().enumerate() {
                m.entry(s.document.clone()).or_default().push(i);
            }
            m
        });
        index
            .get(document)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|&i| &self.speakers[i])
    }

    /// Every folded speaker label declared anywhere in the study.
    pub fn all_labels(&self) -> std::collections::BTreeSet<String> {
        self.speakers.iter().map(|s| fold_label(&s.label)).collect()
    }

    fn cross_check(&mut self) {
        let pp = self.participants_path.clone();
        let dp = self.documents_path.clone();
        for d in &self.documents {
            if self.speakers_of(&d.id).next().is_none() {
                self.diagnostics.push(
                    Diagnostic::error(
                        Location::line(&dp, d.line),
                        format!("document {:?} has no participants", d.id),
                    )
                    .with_hint(format!("add its speaker labels to {}", pp.display())),
                );
            } else if !self.speakers_of(&d.id).any(|s| s.role == Role::Participant) {
                self.diagnostics.push(Diagnostic::warning(
                    Location::line(&dp, d.line),
                    format!("document {:?} has no speaker with role participant", d.id),
                ));
            }
        }
        // The same participant should keep one profession across documents.
        let mut seen: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
        let mut warn = Vec::new();
        for s in &self.speakers {
            match seen.get(s.participant.as_str()) {
                Some((prof, doc)) if *prof != s.profession => warn.push(Diagnostic::warning(
                    Location::line(&pp, s.line),
                    format!(
                        "participant {} is {:?} here but {:?} in {}",
                        s.participant, s.profession, prof, doc
                    ),
                )),
                Some(_) => {}
                None => {
                    seen.insert(&s.participant, (&s.profession, &s.document));
                }
            }
        }
        self.diagnostics.extend(warn);
    }
}

fn read_documents(
    root: &Path,
    shown: &Path,
    diags: &mut Vec<Diagnostic>,
    private: &mut std::collections::BTreeSet<String>,
) -> Result<Vec<DocumentMeta>> {
    let sheet = Sheet::read(&root.join(shown), shown)?;
    let cols = sheet.require(shown, &DOCUMENT_COLUMNS)?;
    let extras = strip_private(sheet.typed_extras(&DOCUMENT_COLUMNS), private);
    let mut out: Vec<DocumentMeta> = Vec::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (row, attributes) in sheet.rows.iter().zip(extras) {
        let get = |i: usize| row.cells[cols[i]].clone();
        let loc = Location::line(shown, row.line);
        let (id, file, kind, phase, date) = (get(0), get(1), get(2), get(3), get(4));
        let mut bad = false;
        for (name, v) in [("document", &id), ("file", &file), ("kind", &kind)] {
            if v.is_empty() {
                diags.push(Diagnostic::error(loc.clone(), format!("empty {name}")));
                bad = true;
            }
        }
        if !id.is_empty() && !is_id(&id) {
            diags.push(
                Diagnostic::error(loc.clone(), format!("invalid document id {id:?}"))
                    .with_hint("ids use only A-Z, a-z, 0-9, '.', '_' and '-'"),
            );
            bad = true;
        }
        if !file.is_empty() && !crate::input::is_confined_name(&file) {
            diags.push(
                Diagnostic::error(
                    loc.clone(),
                    format!("transcript file {file:?} is outside the study folder"),
                )
                .with_hint("`file` is relative to the study folder and may not use `..`"),
            );
            bad = true;
        }
        if !date.is_empty() && !is_iso_date(&date) {
            diags.push(
                Diagnostic::error(loc.clone(), format!("date {date:?} is not ISO 8601"))
                    .with_hint("write dates as YYYY-MM-DD"),
            );
        }
        if let Some(first) = ids.get(&id) {
            diags.push(Diagnostic::error(
                loc.clone(),
                format!("duplicate document id {id:?} (first on line {first})"),
            ));
            bad = true;
        }
        if bad {
            continue;
        }
        ids.insert(id.clone(), row.line);
        out.push(DocumentMeta {
            id,
            file,
            kind,
            phase,
            date,
            attributes,
            line: row.line,
        });
    }
    Ok(out)
}

/// The checks of one row of participants.csv on its own: no empty
/// document, speaker, participant or role; a known role; a profession for
/// a participant; no `:` in the label; a document that documents.csv lists.
/// False (reported) when one fails.
fn speaker_row_ok(
    loc: &Location,
    [document, label, participant, profession, role]: [&String; 5],
    parsed_role: Option<Role>,
    documents: &[DocumentMeta],
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut bad = false;
    for (name, v) in [
        ("document", document),
        ("speaker", label),
        ("participant", participant),
        ("role", role),
    ] {
        if v.is_empty() {
            diags.push(Diagnostic::error(loc.clone(), format!("empty {name}")));
            bad = true;
        }
    }
    if parsed_role.is_none() && !role.is_empty() {
        diags.push(
            Diagnostic::error(loc.clone(), format!("unknown role {role:?}"))
                .with_hint("roles are participant, interviewer, facilitator or observer"),
        );
        bad = true;
    }
    if parsed_role == Some(Role::Participant) && profession.is_empty() {
        diags.push(Diagnostic::error(
            loc.clone(),
            "empty profession for a participant",
        ));
        bad = true;
    }
    if label.contains(':') {
        diags.push(Diagnostic::error(
            loc.clone(),
            format!("speaker label {label:?} contains ':'"),
        ));
        bad = true;
    }
    if !document.is_empty() && !documents.iter().any(|d| d.id == *document) {
        diags.push(
            Diagnostic::error(loc.clone(), format!("unknown document {document:?}"))
                .with_hint("every document must be listed in documents.csv"),
        );
        bad = true;
    }
    !bad
}

fn read_speakers(
    root: &Path,
    shown: &Path,
    documents: &[DocumentMeta],
    diags: &mut Vec<Diagnostic>,
    private: &mut std::collections::BTreeSet<String>,
) -> Result<Vec<Speaker>> {
    let sheet = Sheet::read(&root.join(shown), shown)?;
    let cols = sheet.require(shown, &PARTICIPANT_COLUMNS)?;
    let extras = strip_private(sheet.typed_extras(&PARTICIPANT_COLUMNS), private);
    let mut out = Vec::new();
    let mut labels: HashMap<(String, String), usize> = HashMap::new();
    for (row, attributes) in sheet.rows.iter().zip(extras) {
        let get = |i: usize| row.cells[cols[i]].clone();
        let loc = Location::line(shown, row.line);
        let (document, label, participant, profession, role) =
            (get(0), get(1), get(2), get(3), get(4));
        let parsed_role = Role::parse(&role);
        let mut bad = !speaker_row_ok(
            &loc,
            [&document, &label, &participant, &profession, &role],
            parsed_role,
            documents,
            diags,
        );
        let key = (document.clone(), fold_label(&label));
        if let Some(first) = labels.get(&key) {
            diags.push(Diagnostic::error(
                loc.clone(),
                format!(
                    "duplicate speaker label {label:?} in document {document:?} (first on line {first}; labels are compared ignoring case)"
                ),
            ));
            bad = true;
        }
        if bad {
            continue;
        }
        labels.insert(key, row.line);
        out.push(Speaker {
            document,
            label,
            participant,
            profession,
            role: parsed_role.unwrap(),
            attributes,
            line: row.line,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_sections_are_typed_and_typos_named() {
        let ok =
            "[study]\nname = \"x\"\n[audit]\nmin_alpha = 0.8\n[coders.R01]\ndocuments = [\"a\"]\n";
        let m = parse_manifest(ok, Path::new("spor.toml")).unwrap();
        assert_eq!(m.audit.min_alpha, Some(0.8));
        assert_eq!(m.coders["R01"].documents, ["a"]);
        let typo = "[study]\nname = \"x\"\n\n[audit]\nmin_alfa = 0.8\n";
        let e = parse_manifest(typo, Path::new("spor.toml")).unwrap_err();
        let d = e.to_diagnostic();
        assert_eq!(d.location.line, Some(5), "{d}");
        assert!(d.message.contains("min_alfa"), "{d}");
        assert_eq!(d.hint.as_deref(), Some("did you mean `min_alpha`?"));
        let section =
            "[study]\nname = \"x\"\n[privacy]\nmin_cell = 3\n[ouput]\ncsv_dialect = \"excel-da\"\n";
        let e = parse_manifest(section, Path::new("spor.toml")).unwrap_err();
        assert_eq!(
            e.to_diagnostic().hint.as_deref(),
            Some("did you mean `output`?")
        );
        let serve = "[study]\nname = \"x\"\n[serve]\ncoder = \"MH\"\n";
        let m = parse_manifest(serve, Path::new("spor.toml")).unwrap();
        assert_eq!(m.serve.coder.as_deref(), Some("MH"));
        let typo = "[study]\nname = \"x\"\n[serve]\ncodr = \"MH\"\n";
        let e = parse_manifest(typo, Path::new("spor.toml")).unwrap_err();
        assert_eq!(
            e.to_diagnostic().hint.as_deref(),
            Some("did you mean `coder`?")
        );
        let wrong_type = "[study]\nname = \"x\"\n[privacy]\nmin_cell = -3\n";
        assert!(parse_manifest(wrong_type, Path::new("spor.toml")).is_err());
    }

    #[test]
    fn dates() {
        assert!(is_iso_date("2024-03-12"));
        assert!(is_iso_date("2024-03-12T10:00"));
        assert!(!is_iso_date("12-03-2024"));
        assert!(!is_iso_date("2024-13-01"));
        assert!(is_iso_date("2024-02-29"));
        assert!(is_iso_date("2024-03-12 10:00:05.250+01:00"));
        assert!(is_iso_date("2024-03-12T10:00Z"));
        assert!(is_iso_date("2024-03-12T10:00:05+0100"));
        assert!(is_iso_date("2024-03-12T10:00:05-02"));
        for bad in [
            "2024-W11-2",
            "2024-072",
            "20240312",
            "2024-03-12T1000",
            "2024-02-31Tnonsense",
            "2024-02-31",
            "2023-02-29",
            "2024-04-31",
            "2024-03-12T",
            "2024-03-12T25:00",
            "2024-03-12T10:61",
            "2024-03-12T10:00:00.",
            "2024-03-12T10:00+1",
            "2024-03-12x",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }

    #[test]
    fn roles() {
        assert_eq!(Role::parse(" Interviewer "), Some(Role::Interviewer));
        assert_eq!(Role::parse("chef"), None);
    }

    #[test]
    fn manifest_errors_have_lines() {
        let e = parse_manifest("[study]\nname = \"x\"\nbogus = 1\n", Path::new("spor.toml"))
            .unwrap_err();
        assert!(e.to_string().starts_with("spor.toml:3:"), "{e}");
    }
}
