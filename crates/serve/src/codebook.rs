//! Codebook work from the page: create a code, edit its fields, rename it
//! and merge two, through `spor_codebook::edit` (the files keep their
//! comments and layout). The changed set is validated as a whole before
//! anything is written, and every file is written atomically; a renamed or
//! merged code keeps its old id as an alias, so no coding is orphaned.

use crate::Shared;
use crate::api::{Failure, bad, with_session};
use crate::session::Session;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use spor_codebook::edit::{self, Field};
use std::path::{Path, PathBuf};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/codebook/add", post(add))
        .route("/api/codebook/edit", post(edit_field))
        .route("/api/codebook/rename", post(rename))
        .route("/api/codebook/merge", post(merge))
}

/// A file to write.
struct Change {
    path: PathBuf,
    text: String,
}

fn read(path: &Path, shown: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| bad(format!("{shown}: cannot read: {e}")))
}

/// The study's codebook files: (path, shown, codebook id).
fn books(s: &Session) -> Vec<(PathBuf, String, String)> {
    s.books
        .books
        .iter()
        .zip(&s.study.manifest.study.codebooks)
        .map(|(b, p)| (s.study.path(p), p.clone(), b.id.clone()))
        .collect()
}

fn book_of(s: &Session, code: &str) -> Result<(PathBuf, String), Failure> {
    for (p, shown, _) in books(s) {
        if edit::has_code(&read(&p, &shown)?, code) {
            return Ok((p, shown));
        }
    }
    Err(bad(format!("no codebook of the study has a code {code:?}")))
}

/// Validate the codebooks as they would be, then write every change.
fn commit(s: &mut Session, changes: Vec<Change>) -> Result<Value, Failure> {
    let dir = tempfile_dir(&s.study.root)?;
    let mut paths = Vec::new();
    for (i, (p, shown, _)) in books(s).into_iter().enumerate() {
        let text = match changes.iter().find(|c| c.path == p) {
            Some(c) => c.text.clone(),
            None => read(&p, &shown)?,
        };
        let tmp = dir.join(format!("{i}.toml"));
        std::fs::write(&tmp, text).map_err(|e| bad(e.to_string()))?;
        paths.push((tmp, PathBuf::from(shown)));
    }
    let checked = spor_codebook::CodebookSet::read(&paths);
    let _ = std::fs::remove_dir_all(&dir);
    checked.map_err(|e| bad(format!("the changed codebooks would not be valid: {e}")))?;
    for c in &changes {
        spor_corpus::fsutil::write_atomic(&c.path, c.text.as_bytes())
            .map_err(|e| bad(e.to_string()))?;
    }
    // read at once, so that the answer and the next page agree
    s.refresh()
        .map_err(|e| bad(format!("the study could not be read again: {e}")))?;
    Ok(json!({ "ok": true }))
}

/// A scratch folder inside the study's `.spor/` (never outside it).
fn tempfile_dir(root: &Path) -> Result<PathBuf, Failure> {
    let dir = root
        .join(".spor")
        .join(format!("serve-check-{}", crate::random_token()));
    std::fs::create_dir_all(&dir).map_err(|e| bad(format!("cannot check the codebooks: {e}")))?;
    Ok(dir)
}

fn curriculum_change(s: &Session, old: &str, new: &str) -> Result<Option<Change>, Failure> {
    let Some(rel) = &s.study.manifest.study.curriculum else {
        return Ok(None);
    };
    let path = s.study.path(rel);
    if !path.exists() {
        return Ok(None);
    }
    let (text, n) = edit::recode_curriculum(&read(&path, rel)?, old, new)
        .map_err(|e| bad(format!("{rel}: {e}")))?;
    Ok((n > 0).then_some(Change { path, text }))
}

#[derive(Deserialize)]
struct AddCode {
    label: String,
    #[serde(default)]
    label_en: Option<String>,
    #[serde(default)]
    definition: String,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    codebook: Option<String>,
}

async fn add(State(app): State<Shared>, Json(a): Json<AddCode>) -> Response {
    with_session(app, move |s, _| {
        let label = a.label.trim();
        if label.is_empty() {
            return Err(bad("the label is empty"));
        }
        let all = books(s);
        let Some((path, shown, _)) = (match &a.codebook {
            Some(id) if !id.is_empty() => all.iter().find(|b| &b.2 == id).cloned(),
            _ => all.first().cloned(),
        }) else {
            return Err(bad("no such codebook in spor.toml"));
        };
        let id = edit::derive_id(label);
        if s.books.resolve(&id).is_some() {
            return Err(bad(format!(
                "the study has a code (or a former id) {id:?} already"
            )));
        }
        let parent = a.parent.filter(|p| !p.is_empty());
        if let Some(p) = &parent
            && s.books.code(p).is_none()
        {
            return Err(bad(format!("unknown parent code {p:?}")));
        }
        let text = edit::add_code(
            &read(&path, &shown)?,
            &edit::NewCode {
                id: id.clone(),
                label: label.to_owned(),
                label_en: a.label_en.filter(|l| !l.trim().is_empty()),
                definition: a.definition,
                parent,
            },
        )
        .map_err(|e| bad(format!("{shown}: {e}")))?;
        let mut v = commit(s, vec![Change { path, text }])?;
        v["id"] = json!(id);
        Ok(v)
    })
    .await
}

#[derive(Deserialize)]
struct EditField {
    id: String,
    field: String,
    value: Value,
}

fn field_of(name: &str, v: &Value) -> Result<Field, Failure> {
    let text = || v.as_str().map(str::to_owned);
    let list = || -> Result<Vec<String>, Failure> {
        match v {
            Value::Array(a) => Ok(a
                .iter()
                .filter_map(|x| x.as_str())
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()),
            Value::String(s) => Ok(s
                .lines()
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()),
            _ => Err(bad("expected a list of texts")),
        }
    };
    let opt = || {
        text()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
    };
    Ok(match name {
        "label" => Field::Label(text().ok_or_else(|| bad("expected a text"))?),
        "label_en" => Field::LabelEn(opt()),
        "definition" => Field::Definition(text().ok_or_else(|| bad("expected a text"))?),
        "include" => Field::Include(list()?),
        "exclude" => Field::Exclude(list()?),
        "examples" => Field::Examples(list()?),
        "parent" => Field::Parent(opt()),
        _ => return Err(bad(format!("unknown field {name:?}"))),
    })
}

async fn edit_field(State(app): State<Shared>, Json(a): Json<EditField>) -> Response {
    with_session(app, move |s, _| {
        if s.books.code(&a.id).is_none() {
            return Err(bad(format!("unknown code {:?}", a.id)));
        }
        let field = field_of(&a.field, &a.value)?;
        if let Field::Parent(Some(p)) = &field
            && s.books.code(p).is_none()
        {
            return Err(bad(format!("unknown parent code {p:?}")));
        }
        let (path, shown) = book_of(s, &a.id)?;
        let text = edit::set_field(&read(&path, &shown)?, &a.id, &field)
            .map_err(|e| bad(format!("{shown}: {e}")))?;
        commit(s, vec![Change { path, text }])
    })
    .await
}

#[derive(Deserialize)]
struct Rename {
    old: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    label: Option<String>,
}

async fn rename(State(app): State<Shared>, Json(a): Json<Rename>) -> Response {
    with_session(app, move |s, _| {
        if s.books.code(&a.old).is_none() {
            return Err(bad(format!("unknown code {:?}", a.old)));
        }
        let label = a.label.filter(|l| !l.trim().is_empty());
        // a new id: as given, else derived from the new label
        let new = match (a.new.trim(), &label) {
            ("", Some(l)) => edit::derive_id(l),
            ("", None) => return Err(bad("give a new id or a new label")),
            (n, _) => n.to_owned(),
        };
        if !new
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(bad(format!(
                "{new:?} is not a usable id (a-z, 0-9, '-', '_', '.')"
            )));
        }
        if new != a.old && s.books.resolve(&new).is_some() {
            return Err(bad(format!(
                "the study has a code (or a former id) {new:?} already"
            )));
        }
        let (path, shown) = book_of(s, &a.old)?;
        let text = edit::rename_code(&read(&path, &shown)?, &a.old, &new, label.as_deref())
            .map_err(|e| bad(format!("{shown}: {e}")))?;
        let mut changes = vec![Change { path, text }];
        if new != a.old {
            changes.extend(curriculum_change(s, &a.old, &new)?);
        }
        let mut v = commit(s, changes)?;
        v["id"] = json!(new);
        Ok(v)
    })
    .await
}

#[derive(Deserialize)]
struct Merge {
    from: String,
    into: String,
}

async fn merge(State(app): State<Shared>, Json(a): Json<Merge>) -> Response {
    with_session(app, move |s, _| {
        for c in [&a.from, &a.into] {
            if s.books.code(c).is_none() {
                return Err(bad(format!("unknown code {c:?}")));
            }
        }
        if a.from == a.into {
            return Err(bad("a code cannot be merged into itself"));
        }
        let (from_path, from_shown) = book_of(s, &a.from)?;
        let (into_path, into_shown) = book_of(s, &a.into)?;
        let (rest, taken) = edit::take_code(&read(&from_path, &from_shown)?, &a.from)
            .map_err(|e| bad(format!("{from_shown}: {e}")))?;
        let mut changes = Vec::new();
        if from_path == into_path {
            let text = edit::absorb(&rest, &a.into, &taken)
                .map_err(|e| bad(format!("{into_shown}: {e}")))?;
            changes.push(Change {
                path: into_path,
                text,
            });
        } else {
            let text = edit::absorb(&read(&into_path, &into_shown)?, &a.into, &taken)
                .map_err(|e| bad(format!("{into_shown}: {e}")))?;
            changes.push(Change {
                path: from_path,
                text: rest,
            });
            changes.push(Change {
                path: into_path,
                text,
            });
        }
        changes.extend(curriculum_change(s, &a.from, &a.into)?);
        commit(s, changes)
    })
    .await
}
