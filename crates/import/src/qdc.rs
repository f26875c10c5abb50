//! `spor import qdc`: a REFI-QDA codebook (`.qdc`) into spor codebook TOML.
//!
//! The root is `CodeBook` in any namespace (`urn:QDA-XML:codebook:1.0`,
//! NVivo's `1:0`, ATLAS.ti's `0:4`), read by local name. Sets are not
//! imported (spor has none; an empty `<Sets/>` is simply ignored). The code
//! tree becomes codebooks as described in [`crate::codebook`]; a `.qdc`
//! that `spor export qdc` wrote gives one codebook per original codebook.
//! Files are written atomically and never over an existing file unless
//! asked to.

use crate::{ImportError, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Largest .qdc spor reads.
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// A codebook written.
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    /// The file.
    pub path: String,
    /// The codebook id.
    pub id: String,
    /// Codes.
    pub codes: usize,
    /// Of which categories (not codable in the source).
    pub categories: usize,
}

/// What `import_qdc` did.
#[derive(Debug, Clone, Serialize)]
pub struct QdcSummary {
    /// The .qdc file.
    pub file: String,
    /// `CodeBook/@origin`.
    pub origin: String,
    /// The root's namespace, as written.
    pub namespace: String,
    /// Sets in the file (not imported).
    pub sets: usize,
    /// The codebooks written.
    pub written: Vec<Written>,
}

/// Read a .qdc's code tree: (codes, origin, namespace, sets).
pub fn read(path: &Path) -> Result<(Vec<crate::project::QdaCode>, String, String, usize)> {
    let rerr = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(rerr)?;
    if !meta.is_file() {
        return Err(rerr(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        )));
    }
    if meta.len() > MAX_BYTES {
        return Err(ImportError::Xml {
            path: path.to_path_buf(),
            entry: None,
            message: format!("{} bytes exceeds spor's limit of {MAX_BYTES}", meta.len()),
        });
    }
    let bytes = std::fs::read(path).map_err(rerr)?;
    let xml_err = |message: String| ImportError::Xml {
        path: path.to_path_buf(),
        entry: None,
        message,
    };
    let text = crate::xml::decode(&bytes).map_err(xml_err)?;
    let root = crate::xml::parse(&text).map_err(xml_err)?;
    if root.name != "CodeBook" {
        return Err(xml_err(format!(
            "not a REFI-QDA codebook: the root element is <{}>, not <CodeBook>",
            root.name
        )));
    }
    let codes = root
        .child("Codes")
        .map(crate::project::codes)
        .unwrap_or_default();
    let sets = root
        .child("Sets")
        .map(|s| s.children_named("Set").count())
        .unwrap_or(0);
    let namespace = namespace_of(&text);
    Ok((
        codes,
        root.attr("origin").unwrap_or_default().to_owned(),
        namespace,
        sets,
    ))
}

/// The default namespace declared on the root (for the summary).
fn namespace_of(text: &str) -> String {
    let Some(i) = text.find("xmlns") else {
        return String::new();
    };
    let rest = &text[i..];
    let Some(q) = rest.find(['"', '\'']) else {
        return String::new();
    };
    let quote = rest.as_bytes()[q] as char;
    rest[q + 1..]
        .split(quote)
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Where each codebook goes: `output` when given (only for one
/// codebook), else `<dir>/<id>.toml`.
fn targets(
    file: &Path,
    output: Option<&Path>,
    dir: &Path,
    conv: &crate::codebook::Converted,
) -> Result<Vec<PathBuf>> {
    Ok(match output {
        Some(o) if conv.books.len() == 1 => vec![o.to_path_buf()],
        Some(o) => {
            return Err(ImportError::Target {
                path: o.to_path_buf(),
                message: format!(
                    "{} holds {} codebooks ({}), which go to one file each",
                    file.display(),
                    conv.books.len(),
                    conv.books
                        .iter()
                        .map(|b| b.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                hint: "leave out -o to write <id>.toml for each into codebooks/".into(),
            });
        }
        None => conv
            .books
            .iter()
            .map(|b| dir.join(format!("{}.toml", b.id)))
            .collect(),
    })
}

/// Import `file` as codebook TOML: into `output` when given (the .qdc must
/// then hold one codebook), else `<dir>/<id>.toml` for each codebook.
pub fn import_qdc(
    file: &Path,
    output: Option<&Path>,
    dir: &Path,
    force: bool,
) -> Result<QdcSummary> {
    let (codes, origin, namespace, sets) = read(file)?;
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "imported".into());
    let default_id = output
        .and_then(|o| o.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or(stem.clone());
    let conv = crate::codebook::convert(&codes, &default_id, &stem, &origin);
    if conv.books.is_empty() {
        return Err(ImportError::Xml {
            path: file.to_path_buf(),
            entry: None,
            message: "the codebook has no codes".into(),
        });
    }
    let targets = targets(file, output, dir, &conv)?;
    if !force && let Some(t) = targets.iter().find(|t| t.exists()) {
        return Err(ImportError::Target {
            path: t.clone(),
            message: "exists; spor does not overwrite a codebook".into(),
            hint: "use --force to replace it, or -o to write elsewhere".into(),
        });
    }
    let mut written = Vec::new();
    for (b, t) in conv.books.iter().zip(&targets) {
        spor_codebook::Codebook::parse(&b.toml, t).map_err(|e| ImportError::Invalid {
            path: file.to_path_buf(),
            what: t.display().to_string(),
            message: e.to_string(),
        })?;
    }
    for (b, t) in conv.books.iter().zip(&targets) {
        spor_corpus::fsutil::write_atomic(t, b.toml.as_bytes()).map_err(|e| {
            ImportError::Write {
                path: t.clone(),
                source: std::io::Error::other(e.to_string()),
            }
        })?;
        written.push(Written {
            path: t.display().to_string(),
            id: b.id.clone(),
            codes: b.codes,
            categories: b.categories,
        });
    }
    Ok(QdcSummary {
        file: file.display().to_string(),
        origin,
        namespace,
        sets,
        written,
    })
}
