//! The model cache, `.spor/cache/learn.json`: the fitted models, their
//! cross-validation and reports, keyed by the training hash (the training
//! data, spor-learn's model version and the settings). A missing,
//! unreadable or outdated cache means fitting again, never an error.

use crate::CodeReport;
use crate::model::Model;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Where the cache lives, relative to the study folder.
pub const CACHE_FILE: &str = ".spor/cache/learn.json";

/// Bump when the cache's layout changes.
const CACHE_VERSION: u32 = 1;

/// What is cached for one code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeEntry {
    /// Its report (`used` is decided again on reading: `min_f1` is not
    /// part of the hash).
    pub report: CodeReport,
    /// Its model, if it has one.
    pub model: Option<Model>,
    /// Out-of-fold probabilities by segment id.
    pub out_of_fold: BTreeMap<String, f64>,
}

/// The cache file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cache {
    /// Layout version.
    pub version: u32,
    /// The training hash the models were fitted for.
    pub training_hash: String,
    /// Per code, in codebook order.
    pub codes: Vec<CodeEntry>,
}

impl Cache {
    /// Read the cache; `None` when it is missing, unreadable or of another
    /// layout.
    pub fn load(path: &Path) -> Option<Cache> {
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Cache>(&b).ok())
            .filter(|c| c.version == CACHE_VERSION)
    }

    /// Write the cache atomically.
    pub fn save(mut self, path: &Path) -> Result<(), String> {
        self.version = CACHE_VERSION;
        let bytes = serde_json::to_vec(&self).map_err(|e| e.to_string())?;
        spor_corpus::fsutil::write_atomic(path, &bytes).map_err(|e| e.to_string())
    }
}
