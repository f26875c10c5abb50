//! `spor import qdpx`: a REFI-QDA project into a new study folder.
//!
//! The study is built in a temporary folder beside the target and renamed
//! into place at the end, so a failed import leaves nothing behind. Before
//! the rename it is opened with spor's own readers: the codebooks must
//! validate (else the import fails), and whatever `spor check` would
//! report is passed on as warnings.

use crate::archive::{Archive, Limits};
use crate::codings::{self, SelectionCounts};
use crate::positions::Unit;
use crate::project::{Project, SourceKind};
use crate::{ImportError, Result, Warnings};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// How to import.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Archive limits.
    pub limits: Limits,
    /// What selection positions count (default: by the producer).
    pub unit: Option<Unit>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// The .qdpx file.
    pub file: String,
    /// The study folder created.
    pub into: String,
    /// The project's name.
    pub project: String,
    /// The producing program (`Project/@origin`).
    pub origin: String,
    /// What selection positions were read as.
    pub positions: Unit,
    /// Text sources in the project.
    pub text_sources: usize,
    /// PDF, picture, audio and video sources (not imported).
    pub other_sources: usize,
    /// Documents written.
    pub documents: usize,
    /// Turns in them.
    pub turns: usize,
    /// Documents whose speaker labels were made by the import.
    pub documents_without_labels: usize,
    /// Cases in the project.
    pub cases: usize,
    /// Cases linked to a speaker.
    pub cases_linked: usize,
    /// Rows of participants.csv.
    pub speakers: usize,
    /// Distinct participant ids.
    pub participants: usize,
    /// Codes written to codebooks (a spor export's codebook folders are
    /// codebooks, not codes).
    pub codes: usize,
    /// Of which not codable in the source (categories).
    pub categories: usize,
    /// Codebook files written.
    pub codebooks: Vec<String>,
    /// Users in the project.
    pub users: usize,
    /// Coder files written (coder names).
    pub coders: Vec<String>,
    /// Rows written to coder files.
    pub codings: usize,
    /// Rule suggestions of a spor export, written to import/spor-rules.csv.
    pub rule_suggestions: usize,
    /// What became of the selections.
    pub selections: SelectionCounts,
    /// Sets in the project (not imported).
    pub sets: usize,
    /// Warnings, `file: warning: message`.
    pub warnings: Vec<crate::Warning>,
}

/// The folder the rule suggestions of a spor export go to (not `codings/`:
/// they are no person's decisions).
pub const RULES_FILE: &str = "import/spor-rules.csv";

fn target_ok(into: &Path) -> Result<()> {
    if !into.exists() {
        return Ok(());
    }
    let empty = into.is_dir()
        && std::fs::read_dir(into)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
    if empty {
        return Ok(());
    }
    Err(ImportError::Target {
        path: into.to_path_buf(),
        message: "exists and is not an empty folder".into(),
        hint: "spor import creates a new study folder; name one that does not exist yet".into(),
    })
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let p = dir.join(rel);
    let werr = |source| ImportError::Write {
        path: p.clone(),
        source,
    };
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).map_err(werr)?;
    }
    std::fs::write(&p, bytes).map_err(werr)
}

/// Read and parse the archive's project.
pub fn read_project(archive: &mut Archive) -> Result<Project> {
    let entry = archive.project_entry()?;
    let bytes = archive.read_project(&entry)?;
    let xml_err = |message: String| ImportError::Xml {
        path: archive.path().to_path_buf(),
        entry: Some(entry.clone()),
        message,
    };
    let text = crate::xml::decode(&bytes).map_err(xml_err)?;
    let root = crate::xml::parse(&text).map_err(xml_err)?;
    Project::from_xml(&root).map_err(xml_err)
}

/// Import `file` into a new study folder `into`.
pub fn import_qdpx(file: &Path, into: &Path, opts: &Options) -> Result<Summary> {
    target_ok(into)?;
    let mut archive = Archive::open(file, opts.limits)?;
    let project = read_project(&mut archive)?;
    let shown = file.display().to_string();
    let mut warn = Warnings::default();
    let unit = opts
        .unit
        .unwrap_or_else(|| Unit::for_origin(&project.origin));
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "imported".into());
    let title = if project.name.is_empty() {
        stem.clone()
    } else {
        project.name.clone()
    };
    let books = crate::codebook::convert(&project.codes, &stem, &title, &project.origin);
    let docs = crate::sources::read_all(&project, &mut archive, unit, &mut warn)?;
    let sheets = crate::sheets::build(&project, &docs, &shown, &mut warn);
    let codings = codings::map_all(&project, &docs, &books.ids, &shown, &mut warn);
    let parts = Parts {
        file,
        shown: &shown,
        title: &title,
        project: &project,
        books: &books,
        docs: &docs,
        sheets: &sheets,
        codings: &codings,
    };
    let codebooks = build_study(&parts, into, &mut warn)?;
    Ok(summary(&parts, into, unit, codebooks, warn))
}

/// What an import made of a project, ready to be written.
struct Parts<'a> {
    file: &'a Path,
    /// The file as named in messages.
    shown: &'a str,
    /// The study's title.
    title: &'a str,
    project: &'a Project,
    books: &'a crate::codebook::Converted,
    docs: &'a [crate::sources::Doc],
    sheets: &'a crate::sheets::Sheets,
    codings: &'a codings::Codings,
}

/// Write the study into a folder beside the target, then rename it to
/// `into` (so a failed import leaves nothing half written). Returns the
/// codebooks' paths.
fn build_study(parts: &Parts, into: &Path, warn: &mut Warnings) -> Result<Vec<String>> {
    let parent = match into.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|source| ImportError::Write {
        path: parent.clone(),
        source,
    })?;
    let name = into
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "study".into());
    let tmp = parent.join(format!(".{name}.spor-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let codebook_paths = match write_study(parts, &tmp, warn) {
        Ok(p) => p,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    if into.is_dir() {
        let _ = std::fs::remove_dir(into); // empty, checked above
    }
    if let Err(source) = std::fs::rename(&tmp, into) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(ImportError::Write {
            path: into.to_path_buf(),
            source,
        });
    }
    Ok(codebook_paths)
}

/// Every file of the study into `tmp`: codebooks (each checked by spor's
/// own parser), transcripts, the sheets, the coders' files, the rules'
/// suggestions apart, and spor.toml; then the study is checked.
fn write_study(parts: &Parts, tmp: &Path, warn: &mut Warnings) -> Result<Vec<String>> {
    let mut codebook_paths = Vec::new();
    for b in &parts.books.books {
        let rel = format!("codebooks/{}.toml", b.id);
        spor_codebook::Codebook::parse(&b.toml, Path::new(&rel)).map_err(|e| {
            ImportError::Invalid {
                path: parts.file.to_path_buf(),
                what: rel.clone(),
                message: e.to_string(),
            }
        })?;
        write(tmp, &rel, b.toml.as_bytes())?;
        codebook_paths.push(rel);
    }
    for d in parts.docs {
        write(tmp, &format!("transcripts/{}.txt", d.id), d.text.as_bytes())?;
    }
    write(tmp, "documents.csv", &parts.sheets.documents)?;
    write(tmp, "participants.csv", &parts.sheets.participants)?;
    write_coders(tmp, parts.codings)?;
    let codings = parts.codings;
    if !codings.rules.is_empty() {
        write(
            tmp,
            RULES_FILE,
            &codings::coder_csv(&codings.rules, None, &[]),
        )?;
        warn.push(
            parts.shown,
            format!(
                "{} coding(s) by user {:?} are rule suggestions from a spor export, not a person's decisions: written to {RULES_FILE}, not codings/; name the original codebooks in spor.toml and spor makes them again, or move the file into codings/ to count them as a coder",
                codings.rules.len(),
                codings::RULES_USER
            ),
        );
    }
    warn_not_imported(parts.project, parts.shown, warn);
    let manifest = manifest(
        parts.title,
        parts.shown,
        &parts.project.origin,
        &codebook_paths,
    );
    write(tmp, "spor.toml", manifest.as_bytes())?;
    check(tmp, warn);
    Ok(codebook_paths)
}

/// `codings/<coder>.csv` for every coder with codings or memos.
fn write_coders(tmp: &Path, codings: &codings::Codings) -> Result<()> {
    std::fs::create_dir_all(tmp.join("codings")).map_err(|source| ImportError::Write {
        path: tmp.join("codings"),
        source,
    })?;
    let empty = codings::Rows::new();
    let names: std::collections::BTreeSet<&String> = codings
        .coders
        .keys()
        .chain(codings.other_memos.keys())
        .collect();
    for coder in names {
        write(
            tmp,
            &format!("codings/{coder}.csv"),
            &codings::coder_csv(
                codings.coders.get(coder).unwrap_or(&empty),
                codings.coding_memos.get(coder),
                codings
                    .other_memos
                    .get(coder)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]),
            ),
        )?;
    }
    Ok(())
}

/// A warning listing what the project holds that spor has no place for
/// (sets, graphs, ...).
fn warn_not_imported(project: &Project, shown: &str, warn: &mut Warnings) {
    let mut others: Vec<String> = project
        .others
        .iter()
        .map(|(what, n)| format!("{n} {what}(s)"))
        .collect();
    if project.sets > 0 {
        others.insert(0, format!("{} set(s)", project.sets));
    }
    if !others.is_empty() {
        warn.push(
            shown,
            format!(
                "not imported (spor has no place for them): {}",
                others.join(", ")
            ),
        );
    }
}

/// The import's summary: what was read, what it became, the warnings.
fn summary(
    parts: &Parts,
    into: &Path,
    unit: Unit,
    codebooks: Vec<String>,
    warn: Warnings,
) -> Summary {
    let (project, docs, sheets, codings, books) = (
        parts.project,
        parts.docs,
        parts.sheets,
        parts.codings,
        parts.books,
    );
    Summary {
        file: parts.shown.to_owned(),
        into: into.display().to_string(),
        project: project.name.clone(),
        origin: project.origin.clone(),
        positions: unit,
        text_sources: project
            .sources
            .iter()
            .filter(|s| s.kind == SourceKind::Text)
            .count(),
        other_sources: project
            .sources
            .iter()
            .filter(|s| s.kind != SourceKind::Text)
            .count(),
        documents: docs.len(),
        turns: docs.iter().map(|d| d.turns.len()).sum(),
        documents_without_labels: docs
            .iter()
            .filter(|d| d.labelling == crate::sources::Labelling::Made)
            .count(),
        cases: project.cases.len(),
        cases_linked: sheets.cases_linked,
        speakers: sheets.speakers,
        participants: sheets.participants_count,
        codes: books.books.iter().map(|b| b.codes).sum(),
        categories: books.books.iter().map(|b| b.categories).sum(),
        codebooks,
        users: project.users.len(),
        coders: codings.coders.keys().cloned().collect(),
        codings: codings.coders.values().map(|r| r.len()).sum(),
        rule_suggestions: codings.rules.len(),
        selections: codings.counts.clone(),
        sets: project.sets,
        warnings: warn.into_vec(),
    }
}

fn manifest(title: &str, file: &str, origin: &str, codebooks: &[String]) -> String {
    let q = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let name = Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let from = if origin.is_empty() {
        String::new()
    } else {
        format!(" ({origin})")
    };
    let list: Vec<String> = codebooks.iter().map(|c| q(c)).collect();
    format!(
        "# Imported by `spor import qdpx` from {name}{from}.\n# Add `curriculum = \"curriculum.toml\"` to trace findings to a module.\n[study]\nname = {}\ncodebooks = [{}]\n",
        q(title),
        list.join(", ")
    )
}

/// Open the new study with spor's readers and pass on what `spor check`
/// would report (errors and warnings).
fn check(dir: &Path, warn: &mut Warnings) {
    let study = match spor_corpus::Study::open(dir) {
        Ok(s) => s,
        Err(e) => {
            warn.push(
                "spor.toml",
                format!("spor cannot open the imported study: {e}"),
            );
            return;
        }
    };
    let corpus = spor_corpus::Corpus::read(&study);
    for d in &corpus.diagnostics {
        if d.severity == spor_corpus::Severity::Note {
            continue;
        }
        let loc = d.location.to_string();
        let loc = loc.trim_end_matches(':');
        warn.push(
            loc,
            format!("spor check will report this {}: {}", d.severity, d.message),
        );
    }
}
