//! The index over segments: schema, opening, and incremental updates by
//! document content hash.

use crate::analyzer::{self, ANALYZER_VERSION, ATTR, DANISH, EXACT};
use crate::{IndexError, Result};
use serde::{Deserialize, Serialize};
use spor_corpus::{Corpus, Document};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Bump when the schema changes: the index is then rebuilt by itself.
pub const SCHEMA_VERSION: u32 = 1;
const META: &str = "spor-index.json";

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Segment id (stored).
    pub segment: Field,
    /// Document id (for deletes).
    pub document: Field,
    /// Text, Danish-stemmed, with positions.
    pub text: Field,
    /// Text, exact forms, with positions.
    pub exact: Field,
    /// Every attribute as a `name=value` token.
    pub attrs: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_opts = |tok: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tok)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let attr_opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ATTR)
            .set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        segment: b.add_text_field("segment", STRING | STORED),
        document: b.add_text_field("document", STRING),
        text: b.add_text_field("text", text_opts(DANISH)),
        exact: b.add_text_field("exact", text_opts(EXACT)),
        attrs: b.add_text_field("attrs", attr_opts),
    };
    (b.build(), fields)
}

/// What the index knows about its own contents.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
struct Meta {
    schema: u32,
    analyzer: u32,
    documents: BTreeMap<String, String>,
}

/// What an update did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct UpdateReport {
    /// Whether the index was (re)built from scratch.
    pub rebuilt: bool,
    /// Why it was rebuilt, if it was.
    pub reason: Option<String>,
    /// Documents added.
    pub added: Vec<String>,
    /// Documents re-indexed because they changed.
    pub changed: Vec<String>,
    /// Documents removed.
    pub removed: Vec<String>,
    /// Documents left as they were.
    pub unchanged: usize,
    /// Segments in the index after the update.
    pub segments: u64,
}

impl UpdateReport {
    /// Whether anything was written.
    pub fn touched(&self) -> bool {
        !(self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty())
    }
}

/// A tantivy index over a study's segments.
pub struct SegmentIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    /// The fields.
    pub fields: Fields,
    meta: Meta,
    rebuilt: Option<String>,
}

fn tv(path: &Path) -> impl Fn(tantivy::TantivyError) -> IndexError + '_ {
    move |source| IndexError::Tantivy {
        path: path.to_path_buf(),
        source,
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> IndexError + '_ {
    move |source| IndexError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The content hash of a document as the index sees it: the file's bytes
/// and everything the sheets say about it.
pub fn document_hash(doc: &Document) -> String {
    let mut speakers: Vec<String> = doc
        .segments
        .iter()
        .map(|s| {
            format!(
                "{}|{}|{}|{}|{:?}",
                s.speaker, s.participant, s.profession, s.role, s.participant_attributes
            )
        })
        .collect();
    speakers.sort();
    speakers.dedup();
    let key = format!(
        "{}\n{}\n{}\n{}\n{}\n{:?}\n{}",
        doc.sha256,
        doc.meta.file,
        doc.meta.kind,
        doc.meta.phase,
        doc.meta.date,
        doc.meta.attributes,
        speakers.join("\n")
    );
    spor_corpus::sha256_hex(key.as_bytes())
}

impl SegmentIndex {
    /// Open the index in `dir`, or create it. An index written by another
    /// schema or analyzer version, or one that cannot be opened, is deleted
    /// and created anew (never trusted).
    pub fn open(dir: &Path) -> Result<SegmentIndex> {
        let (schema, fields) = schema();
        let meta_path = dir.join(META);
        let meta: Option<Meta> = std::fs::read(&meta_path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        let mut reason = match &meta {
            None if dir.exists() => Some("the index has no readable version".to_owned()),
            None => Some("no index yet".to_owned()),
            Some(m) if m.schema != SCHEMA_VERSION || m.analyzer != ANALYZER_VERSION => {
                Some(format!(
                    "the index was built by another version (schema {}, analyzer {}; this spor: {}, {})",
                    m.schema, m.analyzer, SCHEMA_VERSION, ANALYZER_VERSION
                ))
            }
            Some(_) => None,
        };
        let mut index = None;
        if reason.is_none() {
            match Index::open_in_dir(dir) {
                Ok(i) if i.schema() == schema => index = Some(i),
                Ok(_) => reason = Some("the index has another schema".to_owned()),
                Err(e) => reason = Some(format!("the index could not be opened ({e})")),
            }
        }
        let (index, meta) = match index {
            Some(i) => (i, meta.unwrap_or_default()),
            None => {
                if dir.exists() {
                    std::fs::remove_dir_all(dir).map_err(io(dir))?;
                }
                std::fs::create_dir_all(dir).map_err(io(dir))?;
                let i = Index::create_in_dir(dir, schema).map_err(tv(dir))?;
                (
                    i,
                    Meta {
                        schema: SCHEMA_VERSION,
                        analyzer: ANALYZER_VERSION,
                        documents: BTreeMap::new(),
                    },
                )
            }
        };
        analyzer::register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tv(dir))?;
        Ok(SegmentIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            meta,
            rebuilt: reason,
        })
    }

    /// The tantivy index.
    pub fn tantivy(&self) -> &Index {
        &self.index
    }

    /// A searcher over the current contents.
    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Bring the index up to date with `corpus`: add new documents, re-index
    /// changed ones, delete removed ones. One commit; the meta file is
    /// written (atomically) after it, so an interrupted run leaves the
    /// previous index usable and the next run redoes what was missing.
    pub fn update(&mut self, corpus: &Corpus, threads: usize) -> Result<UpdateReport> {
        let mut report = UpdateReport {
            rebuilt: self.rebuilt.is_some(),
            reason: self.rebuilt.take(),
            ..Default::default()
        };
        let mut todo: Vec<(&Document, String)> = Vec::new();
        let mut current = BTreeMap::new();
        for d in &corpus.documents {
            let h = document_hash(d);
            match self.meta.documents.get(&d.meta.id) {
                Some(old) if *old == h => report.unchanged += 1,
                Some(_) => {
                    report.changed.push(d.meta.id.clone());
                    todo.push((d, h.clone()));
                }
                None => {
                    report.added.push(d.meta.id.clone());
                    todo.push((d, h.clone()));
                }
            }
            current.insert(d.meta.id.clone(), h);
        }
        for id in self.meta.documents.keys() {
            if !current.contains_key(id) {
                report.removed.push(id.clone());
            }
        }
        if report.touched() {
            let threads = threads.clamp(1, 8);
            let mut w: IndexWriter<TantivyDocument> = self
                .index
                .writer_with_num_threads(threads, 64_000_000 * threads)
                .map_err(tv(&self.dir))?;
            let f = self.fields;
            for id in report.changed.iter().chain(&report.removed) {
                w.delete_term(Term::from_field_text(f.document, id));
            }
            for (d, _) in &todo {
                for s in &d.segments {
                    let mut doc = TantivyDocument::default();
                    doc.add_text(f.segment, &s.segment);
                    doc.add_text(f.document, &s.document);
                    doc.add_text(f.text, &s.text);
                    doc.add_text(f.exact, &s.text);
                    for (k, v) in s.attributes() {
                        doc.add_text(f.attrs, format!("{k}={v}"));
                    }
                    w.add_document(doc).map_err(tv(&self.dir))?;
                }
            }
            w.commit().map_err(tv(&self.dir))?;
            w.wait_merging_threads().map_err(tv(&self.dir))?;
            self.reader.reload().map_err(tv(&self.dir))?;
        }
        let meta_changed = report.touched() || report.rebuilt || self.meta.documents != current;
        self.meta.documents = current;
        if meta_changed {
            let bytes = serde_json::to_vec_pretty(&self.meta).expect("meta serialises");
            spor_corpus::fsutil::write_atomic(&self.dir.join(META), &bytes).map_err(|e| {
                IndexError::Io {
                    path: self.dir.join(META),
                    source: std::io::Error::other(e.to_string()),
                }
            })?;
        }
        report.segments = self.searcher().num_docs();
        Ok(report)
    }
}
