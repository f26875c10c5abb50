//! `out/manifest.json`: the SHA-256 of every input spor read and every file
//! it wrote, with spor's and the codebooks' versions, so that `spor audit`
//! can tell whether anything changed since the evidence was produced.

use serde::{Deserialize, Serialize};
use spor_codebook::CodebookSet;
use spor_corpus::Study;
use std::path::Path;

/// A file and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHash {
    /// Path relative to the study folder (`/` separators).
    pub path: String,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// A codebook's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodebookVersion {
    /// Codebook id.
    pub id: String,
    /// Its version.
    pub version: String,
    /// Its path as `spor.toml` names it.
    pub path: String,
}

/// The manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// spor's version.
    pub spor_version: String,
    /// The counting policy the outputs used.
    pub policy: String,
    /// The codebooks.
    pub codebooks: Vec<CodebookVersion>,
    /// Every input read.
    pub inputs: Vec<FileHash>,
    /// Every output written (except the manifest itself).
    pub outputs: Vec<FileHash>,
    /// The learned models behind the `model:` suggestions, if spor learned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learned: Option<LearnedModels>,
}

/// The learned models' identity (spor-learn).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnedModels {
    /// spor-learn's model version.
    pub model_version: u32,
    /// SHA-256 of the training data and the settings.
    pub training_hash: String,
    /// The codes whose models suggest.
    pub codes: Vec<String>,
}

/// The input files of a study, relative to its folder: `spor.toml`, the two
/// sheets, every transcript, the codebooks, the curriculum and every
/// coder's file.
pub fn input_files(study: &Study) -> Vec<String> {
    let mut v = vec!["spor.toml".to_owned()];
    v.push(slash(&study.documents_path));
    v.push(slash(&study.participants_path));
    v.extend(study.documents.iter().map(|d| d.file.clone()));
    v.extend(study.manifest.study.codebooks.iter().cloned());
    if let Some(c) = &study.manifest.study.curriculum {
        v.push(c.clone());
    }
    let mut coders: Vec<String> = std::fs::read_dir(study.root.join("codings"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".csv"))
                .map(|n| format!("codings/{n}"))
                .collect()
        })
        .unwrap_or_default();
    coders.sort();
    v.extend(coders);
    v
}

fn slash(p: &Path) -> String {
    p.display().to_string().replace('\\', "/")
}

/// Hash files that exist (relative to `root`), in the given order. Each is
/// read as a stream, so memory stays flat however large an output is; the
/// files are hashed in parallel (the order of the result is the order
/// given, whatever the thread count).
pub fn hash_files(root: &Path, paths: &[String]) -> Vec<FileHash> {
    use rayon::prelude::*;
    paths
        .par_iter()
        .filter_map(|p| {
            // only regular files (a FIFO would hang the audit)
            let (sha256, bytes) = spor_corpus::sha256_file(&root.join(p)).ok()?;
            Some(FileHash {
                path: p.clone(),
                sha256,
                bytes,
            })
        })
        .collect()
}

/// The codebooks' identities.
pub fn codebook_versions(study: &Study, books: &CodebookSet) -> Vec<CodebookVersion> {
    books
        .books
        .iter()
        .zip(&study.manifest.study.codebooks)
        .map(|(b, p)| CodebookVersion {
            id: b.id.clone(),
            version: b.version.clone(),
            path: p.clone(),
        })
        .collect()
}

/// How an input differs from the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The file.
    pub path: String,
    /// `changed`, `added` or `missing`.
    pub change: &'static str,
}

/// Compare the study's current inputs with a manifest.
pub fn compare(manifest: &Manifest, root: &Path, current: &[String]) -> Vec<Change> {
    let now = hash_files(root, current);
    let mut out = Vec::new();
    for old in &manifest.inputs {
        match now.iter().find(|f| f.path == old.path) {
            Some(f) if f.sha256 != old.sha256 => out.push(Change {
                path: old.path.clone(),
                change: "changed",
            }),
            Some(_) => {}
            None => out.push(Change {
                path: old.path.clone(),
                change: "missing",
            }),
        }
    }
    for f in &now {
        if !manifest.inputs.iter().any(|o| o.path == f.path) {
            out.push(Change {
                path: f.path.clone(),
                change: "added",
            });
        }
    }
    out
}
