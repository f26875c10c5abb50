//! `spor codebook add|rename|merge`: codebook work without editing TOML by
//! hand. Files are changed in place with their comments and layout kept
//! (spor_codebook::edit) and written atomically; the result is read back
//! and validated before anything is written.

use crate::Outcome;
use crate::args::{Cli, CodebookAddArgs, CodebookMergeArgs, CodebookRenameArgs};
use anyhow::{Context, Result, bail};
use spor_codebook::edit;
use spor_corpus::Study;
use std::path::{Path, PathBuf};

/// A file to write: its path, shown path and new text.
struct Change {
    path: PathBuf,
    shown: PathBuf,
    text: String,
}

fn read(path: &Path, shown: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", shown.display()))
}

/// The codebook files of the study: (path, shown, id).
fn books(study: &Study) -> Result<Vec<(PathBuf, PathBuf, String)>> {
    let set = super::code::load_codebooks(study)?;
    Ok(set
        .books
        .iter()
        .zip(&study.manifest.study.codebooks)
        .map(|(b, p)| (study.path(p), PathBuf::from(p), b.id.clone()))
        .collect())
}

/// Check the changed codebooks (and curriculum) read as a valid set, then
/// write every change atomically.
fn commit(cli: &Cli, study: &Study, changes: Vec<Change>, what: &str) -> Result<Outcome> {
    let dir = tempfile::tempdir()?;
    let mut paths = Vec::new();
    for (i, (p, shown, _)) in books(study)?.into_iter().enumerate() {
        let text = match changes.iter().find(|c| c.path == p) {
            Some(c) => c.text.clone(),
            None => read(&p, &shown)?,
        };
        let tmp = dir.path().join(format!("{i}.toml"));
        std::fs::write(&tmp, text)?;
        paths.push((tmp, shown));
    }
    spor_codebook::CodebookSet::read(&paths).context("the changed codebooks would not be valid")?;
    for c in &changes {
        spor_corpus::fsutil::write_atomic(&c.path, c.text.as_bytes())?;
    }
    if !cli.quiet {
        let files: Vec<String> = changes
            .iter()
            .map(|c| c.shown.display().to_string())
            .collect();
        eprintln!("{what} ({})", files.join(", "));
    }
    Ok(Outcome::Ok)
}

fn book_of(study: &Study, code: &str) -> Result<(PathBuf, PathBuf)> {
    for (p, shown, _) in books(study)? {
        if edit::has_code(&read(&p, &shown)?, code) {
            return Ok((p, shown));
        }
    }
    bail!("no codebook of the study has a code {code:?}")
}

fn err(shown: &Path) -> impl Fn(String) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("{}: {e}", shown.display())
}

fn curriculum_change(study: &Study, old: &str, new: &str) -> Result<Option<Change>> {
    let Some(rel) = &study.manifest.study.curriculum else {
        return Ok(None);
    };
    let path = study.path(rel);
    if !path.exists() {
        return Ok(None);
    }
    let (text, n) = edit::recode_curriculum(&read(&path, Path::new(rel))?, old, new)
        .map_err(|e| anyhow::anyhow!("{rel}: {e}"))?;
    Ok((n > 0).then(|| Change {
        path,
        shown: PathBuf::from(rel),
        text,
    }))
}

pub fn add(cli: &Cli, a: &CodebookAddArgs) -> Result<Outcome> {
    let study = super::open_study(cli)?;
    let all = books(&study)?;
    let Some((path, shown, _)) = (match &a.codebook {
        Some(id) => all.iter().find(|b| &b.2 == id).cloned(),
        None => all.first().cloned(),
    }) else {
        bail!(
            "no codebook {:?} in spor.toml",
            a.codebook.as_deref().unwrap_or("")
        );
    };
    if a.label.trim().is_empty() {
        bail!("the label is empty");
    }
    let id = a.id.clone().unwrap_or_else(|| edit::derive_id(&a.label));
    let set = super::code::load_codebooks(&study)?;
    if set.resolve(&id).is_some() {
        bail!("the study has a code (or a former id) {id:?} already; give another --id");
    }
    if let Some(p) = &a.parent
        && set.code(p).is_none()
    {
        bail!("unknown parent code {p:?}");
    }
    let text = edit::add_code(
        &read(&path, &shown)?,
        &edit::NewCode {
            id: id.clone(),
            label: a.label.clone(),
            label_en: a.label_en.clone(),
            definition: a.definition.clone(),
            parent: a.parent.clone(),
        },
    )
    .map_err(|e| anyhow::anyhow!("{}: {e}", shown.display()))?;
    commit(
        cli,
        &study,
        vec![Change { path, shown, text }],
        &format!("added code {id} ({})", a.label),
    )
}

pub fn rename(cli: &Cli, a: &CodebookRenameArgs) -> Result<Outcome> {
    let study = super::open_study(cli)?;
    let set = super::code::load_codebooks(&study)?;
    if set.code(&a.old).is_none() {
        bail!("unknown code {:?}", a.old);
    }
    if a.old != a.new && set.resolve(&a.new).is_some() {
        bail!("the study has a code (or a former id) {:?} already", a.new);
    }
    let (path, shown) = book_of(&study, &a.old)?;
    let text = edit::rename_code(&read(&path, &shown)?, &a.old, &a.new, a.label.as_deref())
        .map_err(|e| anyhow::anyhow!("{}: {e}", shown.display()))?;
    let mut changes = vec![Change { path, shown, text }];
    changes.extend(curriculum_change(&study, &a.old, &a.new)?);
    commit(
        cli,
        &study,
        changes,
        &format!(
            "renamed {} to {}; {} stays as an alias, so its codings count for {}",
            a.old, a.new, a.old, a.new
        ),
    )
}

pub fn merge(cli: &Cli, a: &CodebookMergeArgs) -> Result<Outcome> {
    let study = super::open_study(cli)?;
    let set = super::code::load_codebooks(&study)?;
    for c in [&a.from, &a.into] {
        if set.code(c).is_none() {
            bail!("unknown code {c:?}");
        }
    }
    if a.from == a.into {
        bail!("a code cannot be merged into itself");
    }
    let (from_path, from_shown) = book_of(&study, &a.from)?;
    let (into_path, into_shown) = book_of(&study, &a.into)?;
    let (rest, taken) =
        edit::take_code(&read(&from_path, &from_shown)?, &a.from).map_err(err(&from_shown))?;
    let mut changes = Vec::new();
    if from_path == into_path {
        let text = edit::absorb(&rest, &a.into, &taken).map_err(err(&into_shown))?;
        changes.push(Change {
            path: into_path,
            shown: into_shown,
            text,
        });
    } else {
        let text = edit::absorb(&read(&into_path, &into_shown)?, &a.into, &taken)
            .map_err(err(&into_shown))?;
        changes.push(Change {
            path: from_path,
            shown: from_shown,
            text: rest,
        });
        changes.push(Change {
            path: into_path,
            shown: into_shown,
            text,
        });
    }
    changes.extend(curriculum_change(&study, &a.from, &a.into)?);
    commit(
        cli,
        &study,
        changes,
        &format!(
            "merged {} into {}; {} stays as an alias, so its codings count for {}",
            a.from, a.into, a.from, a.into
        ),
    )
}
