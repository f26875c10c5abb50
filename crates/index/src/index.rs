//! The index over segments: schema, opening, and incremental updates by
//! document content hash.

use crate::analyzer::{self, ANALYZER_VERSION, ATTR, DANISH, EXACT};
use crate::{IndexError, Result};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use spor_corpus::study::DocumentMeta;
use spor_corpus::{Corpus, Document, Study};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Bump when the schema changes: the index is then rebuilt by itself.
pub const SCHEMA_VERSION: u32 = 4;

/// The index writer's memory budget per thread, in bytes: the indexer
/// never holds more than this per thread before writing a segment.
pub const WRITER_MEMORY_PER_THREAD: usize = 200_000_000;
/// The index's record of its own contents (documents, file statuses), in
/// the index folder: rewritten whenever the index changes.
pub const META: &str = "spor-index.json";

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Segment id (a fast field: hits are turned into ids through it).
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
        segment: b.add_text_field("segment", STRING | FAST),
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
    /// Each transcript file's size, modification time and SHA-256 when it
    /// was last hashed, so that an unchanged file is not read again
    /// (like git's index). Missing in older metas: everything is hashed.
    #[serde(default)]
    files: BTreeMap<String, FileStat>,
    /// When this meta was written (nanoseconds since the epoch): a file
    /// whose modification or status change is not clearly older is "racy"
    /// (git's rule) and hashed again. Missing in older metas: 0, so every
    /// file is hashed once.
    #[serde(default)]
    written_ns: u128,
}

/// A file as last hashed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FileStat {
    size: u64,
    /// Modification time, nanoseconds since the epoch.
    mtime_ns: u128,
    /// Status change time (Unix; 0 elsewhere), nanoseconds since the
    /// epoch: restoring a file's modification time after an edit (`touch
    /// -d`, a copy tool) changes it, and nobody can set it back.
    #[serde(default)]
    ctime_ns: u128,
    /// Inode number (Unix; 0 elsewhere): a file replaced by another.
    #[serde(default)]
    ino: u64,
    sha256: String,
}

/// The SHA-256 of a file, reusing `known` when the file's size,
/// modification and status change times and inode are unchanged and both
/// times are clearly older than `written_ns`, when the meta holding `known`
/// was written (git's racy rule). The second value says whether the file
/// was racy: hashed again only because its times were too recent.
fn file_hash(path: &Path, known: Option<&FileStat>, written_ns: u128) -> Option<(FileStat, bool)> {
    let status = spor_corpus::status::FileStatus::of(path)?;
    let spor_corpus::status::FileStatus {
        size,
        mtime_ns,
        ctime_ns,
        ino,
    } = status;
    let same = known.filter(|k| {
        k.size == size && k.mtime_ns == mtime_ns && k.ctime_ns == ctime_ns && k.ino == ino
    });
    let settled = status.settled_before(written_ns);
    if let Some(k) = same
        && settled
    {
        return Some((k.clone(), false));
    }
    let bytes =
        spor_corpus::input::read_limited(path, spor_corpus::input::MAX_TRANSCRIPT_BYTES).ok()?;
    Some((
        FileStat {
            size: bytes.len() as u64,
            mtime_ns,
            ctime_ns,
            ino,
            sha256: spor_corpus::sha256_hex(&bytes),
        },
        same.is_some(),
    ))
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
    /// Every distinct exact form in the index, sorted; filled by the first
    /// wildcard and emptied when the index changes.
    exact_terms: std::sync::OnceLock<Vec<String>>,
    /// The analyzer's key (lemma or stem) of each of `exact_terms`.
    term_keys: std::sync::OnceLock<Vec<String>>,
    /// The numbers in `exact_terms` of the forms of each key.
    key_terms: std::sync::OnceLock<HashMap<String, Vec<u32>>>,
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

/// The content key of a document as the index sees it: the SHA-256 of its
/// file's bytes (`file_sha256`) and of everything the sheets say about it.
fn key_of(study: &Study, meta: &DocumentMeta, file_sha256: &str) -> String {
    let mut key = format!(
        "{}\n{}\n{}\n{}\n{}\n{:?}",
        file_sha256, meta.file, meta.kind, meta.phase, meta.date, meta.attributes,
    );
    for sp in study.speakers_of(&meta.id) {
        key.push_str(&format!(
            "\n{}|{}|{}|{}|{:?}",
            sp.label,
            sp.participant,
            sp.profession,
            sp.role.as_str(),
            sp.attributes
        ));
    }
    spor_corpus::sha256_hex(key.as_bytes())
}

/// What an update will do: computed from the files' bytes and the sheets,
/// without reading any transcript into segments.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    report: UpdateReport,
    keys: BTreeMap<String, String>,
    files: BTreeMap<String, FileStat>,
    /// Some file was hashed again only because its times were too recent
    /// to trust: the meta is rewritten (with a new write time) so that the
    /// next run can trust them.
    racy: bool,
}

impl Plan {
    /// The documents that must be read into segments to apply the plan.
    pub fn to_read(&self) -> BTreeSet<String> {
        self.report
            .added
            .iter()
            .chain(&self.report.changed)
            .cloned()
            .collect()
    }
}

/// A reader that reloads only when told to.
fn reader_of(i: &Index) -> tantivy::Result<IndexReader> {
    i.reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
}

/// The index in `dir` with its reader, or why it cannot be used (another
/// schema, a folder tantivy cannot open, a segment that cannot be read:
/// opening the reader opens every segment, so a damaged or truncated
/// segment file shows here).
fn open_existing(dir: &Path, schema: &Schema) -> std::result::Result<(Index, IndexReader), String> {
    match crate::readonly::Lenient::open(dir).and_then(Index::open) {
        Ok(i) if i.schema() == *schema => {
            analyzer::register(&i);
            match reader_of(&i) {
                Ok(r) => Ok((i, r)),
                Err(e) => Err(format!(
                    "the index's segments could not be read ({})",
                    crate::error::human(&e)
                )),
            }
        }
        Ok(_) => Err("the index has another schema".to_owned()),
        Err(e) => Err(format!(
            "the index could not be opened ({})",
            crate::error::human(&e)
        )),
    }
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
            match open_existing(dir, &schema) {
                Ok(ir) => index = Some(ir),
                Err(why) => reason = Some(why),
            }
        }
        let ((index, reader), meta) = match index {
            Some(ir) => (ir, meta.unwrap_or_default()),
            None => {
                if dir.exists() {
                    std::fs::remove_dir_all(dir).map_err(io(dir))?;
                }
                std::fs::create_dir_all(dir).map_err(io(dir))?;
                let i = Index::create_in_dir(dir, schema).map_err(tv(dir))?;
                analyzer::register(&i);
                let r = reader_of(&i).map_err(tv(dir))?;
                (
                    (i, r),
                    Meta {
                        schema: SCHEMA_VERSION,
                        analyzer: ANALYZER_VERSION,
                        documents: BTreeMap::new(),
                        files: BTreeMap::new(),
                        written_ns: 0,
                    },
                )
            }
        };
        Ok(SegmentIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            meta,
            rebuilt: reason,
            exact_terms: Default::default(),
            term_keys: Default::default(),
            key_terms: Default::default(),
        })
    }

    /// An index in memory over loose texts (each a participant segment with
    /// the given id), for matching rules against codebook examples.
    pub fn in_memory(texts: &[(String, String)]) -> Result<SegmentIndex> {
        let (schema, fields) = schema();
        let here = Path::new("(memory)");
        let index = Index::create_in_ram(schema);
        analyzer::register(&index);
        let mut w: IndexWriter<TantivyDocument> = index
            .writer_with_num_threads(1, 15_000_000)
            .map_err(tv(here))?;
        for (id, text) in texts {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.segment, id);
            doc.add_text(fields.text, text);
            doc.add_text(fields.exact, text);
            doc.add_text(fields.attrs, "role=participant");
            w.add_document(doc).map_err(tv(here))?;
        }
        w.commit().map_err(tv(here))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tv(here))?;
        Ok(SegmentIndex {
            dir: here.to_path_buf(),
            index,
            reader,
            fields,
            meta: Meta::default(),
            rebuilt: None,
            exact_terms: Default::default(),
            term_keys: Default::default(),
            key_terms: Default::default(),
        })
    }

    /// The tantivy index.
    pub fn tantivy(&self) -> &Index {
        &self.index
    }

    /// Every distinct exact form (lowercased word) in the index, sorted.
    pub fn exact_terms(&self) -> crate::Result<&[String]> {
        if let Some(t) = self.exact_terms.get() {
            return Ok(t);
        }
        let mut all: Vec<String> = Vec::new();
        for seg in self.searcher().segment_readers() {
            let inv = seg
                .inverted_index(self.fields.exact)
                .map_err(tv(&self.dir))?;
            let mut stream = inv.terms().stream().map_err(io(&self.dir))?;
            while stream.advance() {
                if let Ok(w) = std::str::from_utf8(stream.key()) {
                    all.push(w.to_owned());
                }
            }
        }
        all.sort_unstable();
        all.dedup();
        Ok(self.exact_terms.get_or_init(|| all))
    }

    /// The key (lemma or stem, as the Danish analyzer indexes it) of each
    /// of [`SegmentIndex::exact_terms`], in the same order.
    pub fn term_keys(&self) -> crate::Result<&[String]> {
        if let Some(k) = self.term_keys.get() {
            return Ok(k);
        }
        let keys = self
            .exact_terms()?
            .par_iter()
            .map_init(analyzer::stemmer, |st, t| analyzer::key(st, t).into_owned())
            .collect();
        Ok(self.term_keys.get_or_init(|| keys))
    }

    /// The forms of each key: numbers in [`SegmentIndex::exact_terms`].
    pub fn key_terms(&self) -> crate::Result<&HashMap<String, Vec<u32>>> {
        if let Some(k) = self.key_terms.get() {
            return Ok(k);
        }
        let mut map: HashMap<String, Vec<u32>> = HashMap::default();
        for (i, k) in self.term_keys()?.iter().enumerate() {
            map.entry(k.clone()).or_default().push(i as u32);
        }
        Ok(self.key_terms.get_or_init(|| map))
    }

    /// How many segments hold the exact (lowercased) form `form`. Turns
    /// deleted by an update but still in their index segment are not
    /// counted, so the figure is the same as after indexing from scratch.
    pub fn form_turns(&self, form: &str) -> crate::Result<u64> {
        let t = tantivy::Term::from_field_text(self.fields.exact, form);
        let mut n = 0u64;
        for seg in self.searcher().segment_readers() {
            let inv = seg
                .inverted_index(self.fields.exact)
                .map_err(tv(&self.dir))?;
            let Some(p) = inv
                .read_postings(&t, tantivy::schema::IndexRecordOption::Basic)
                .map_err(io(&self.dir))?
            else {
                continue;
            };
            n += u64::from(match seg.alive_bitset() {
                Some(alive) => p.doc_freq_given_deletes(alive),
                None => p.doc_freq(),
            });
        }
        Ok(n)
    }

    /// The content key of every indexed document (empty for an in-memory
    /// index): what the index was built from.
    pub fn document_keys(&self) -> &BTreeMap<String, String> {
        &self.meta.documents
    }

    /// A searcher over the current contents.
    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Plan an update: which documents were added, changed (file bytes or
    /// sheet rows) or removed since the index last saw them. Files are hashed
    /// in parallel; no transcript is parsed.
    pub fn plan(&mut self, study: &Study) -> Plan {
        let mut report = UpdateReport {
            rebuilt: self.rebuilt.is_some(),
            reason: self.rebuilt.take(),
            ..Default::default()
        };
        let known = &self.meta.files;
        let written = self.meta.written_ns;
        let hashed: Vec<(String, Option<(FileStat, bool)>)> = study
            .documents
            .par_iter()
            .map(|d| {
                (
                    d.id.clone(),
                    spor_corpus::input::confine(&study.root, &d.file, study.follow_symlinks())
                        .ok()
                        .and_then(|p| file_hash(&p, known.get(&d.file), written)),
                )
            })
            .collect();
        let racy = hashed.iter().any(|(_, h)| h.as_ref().is_some_and(|h| h.1));
        let mut files = BTreeMap::new();
        let mut keys = Vec::with_capacity(hashed.len());
        for (d, (id, stat)) in study.documents.iter().zip(hashed) {
            let stat = stat.map(|h| h.0);
            let key = stat.as_ref().map(|s| key_of(study, d, &s.sha256));
            if let Some(s) = stat {
                files.insert(d.file.clone(), s);
            }
            keys.push((id, key));
        }
        let mut current = BTreeMap::new();
        for (id, key) in keys {
            let key = key.unwrap_or_default();
            match self.meta.documents.get(&id) {
                Some(old) if *old == key && !key.is_empty() => report.unchanged += 1,
                Some(_) => report.changed.push(id.clone()),
                None => report.added.push(id.clone()),
            }
            current.insert(id, key);
        }
        for id in self.meta.documents.keys() {
            if !current.contains_key(id) {
                report.removed.push(id.clone());
            }
        }
        Plan {
            report,
            keys: current,
            files,
            racy,
        }
    }

    /// Apply a plan: delete changed and removed documents, add the segments
    /// of added and changed ones (which `corpus` must hold), commit once,
    /// then write the meta file atomically. An interrupted run leaves the
    /// previous index usable and the next run redoes what was missing.
    pub fn apply(&mut self, plan: Plan, corpus: &Corpus, threads: usize) -> Result<UpdateReport> {
        self.apply_with_progress(plan, corpus, threads, &|| {})
    }

    /// `apply`, calling `tick` after each document is added.
    pub fn apply_with_progress(
        &mut self,
        plan: Plan,
        corpus: &Corpus,
        threads: usize,
        tick: &dyn Fn(),
    ) -> Result<UpdateReport> {
        // one batch: the corpus read beforehand
        self.apply_streaming(
            plan,
            usize::MAX,
            threads,
            &mut |_| Ok(Batch::Borrowed(corpus)),
            tick,
        )
    }

    /// Apply a plan reading the added and changed documents in batches of
    /// `batch` documents through `read` (given the ids of a batch), so that
    /// only one batch of transcripts is in memory at a time, besides the
    /// writer's budget ([`WRITER_MEMORY_PER_THREAD`] per thread). When
    /// `read` fails nothing is committed and the index stays as it was.
    pub fn apply_streaming<'c>(
        &mut self,
        plan: Plan,
        batch: usize,
        threads: usize,
        read: &mut dyn FnMut(&BTreeSet<String>) -> Result<Batch<'c>>,
        tick: &dyn Fn(),
    ) -> Result<UpdateReport> {
        let Plan {
            mut report,
            keys: mut current,
            files,
            racy,
        } = plan;
        let wanted: Vec<String> = plan_docs(&report).into_iter().map(str::to_owned).collect();
        if report.touched() {
            // As many indexing threads as asked: tantivy hands documents
            // to them in no fixed order, so the segment layout differs from
            // run to run, but no result depends on it (phrases and
            // proximity are matched on each document's positions by
            // `crate::phrase`; every other query is a per-document test).
            let threads = threads.max(1);
            let mut w: IndexWriter<TantivyDocument> = self
                .index
                .writer_with_num_threads(threads, WRITER_MEMORY_PER_THREAD * threads)
                .map_err(tv(&self.dir))?;
            let f = self.fields;
            for id in report.changed.iter().chain(&report.removed) {
                w.delete_term(Term::from_field_text(f.document, id));
            }
            for ids in wanted.chunks(batch.max(1)) {
                let ids: BTreeSet<String> = ids.iter().cloned().collect();
                let got = read(&ids)?;
                let corpus = got.corpus();
                let docs: Vec<&Document> = corpus
                    .documents
                    .iter()
                    .filter(|d| ids.contains(&d.meta.id))
                    .collect();
                // A document that could not be read is not recorded, so
                // that the next update tries it again.
                for id in &ids {
                    if !docs.iter().any(|d| d.meta.id == *id) {
                        current.remove(id);
                    }
                }
                for d in docs {
                    self.add_document(&mut w, d)?;
                    tick();
                }
            }
            w.commit().map_err(tv(&self.dir))?;
            w.wait_merging_threads().map_err(tv(&self.dir))?;
            self.reader.reload().map_err(tv(&self.dir))?;
            self.exact_terms = Default::default();
            self.term_keys = Default::default();
            self.key_terms = Default::default();
        }
        self.record(&report, current, files, racy)?;
        report.segments = self.searcher().num_docs();
        Ok(report)
    }

    /// A document's turns as tantivy documents: segment and document ids,
    /// the text (stemmed and exact) and every attribute as `name=value`.
    fn add_document(&self, w: &mut IndexWriter<TantivyDocument>, d: &Document) -> Result<()> {
        let f = self.fields;
        for s in &d.segments {
            let mut doc = TantivyDocument::default();
            doc.add_text(f.segment, &s.segment);
            doc.add_text(f.document, s.document());
            doc.add_text(f.text, &s.text);
            doc.add_text(f.exact, &s.text);
            for (k, v) in s.attributes() {
                doc.add_text(f.attrs, format!("{k}={v}"));
            }
            w.add_document(doc).map_err(tv(&self.dir))?;
        }
        Ok(())
    }

    /// Record the documents' keys and the files' stats in the index's meta
    /// file, written when anything in it changed (a failure to write only
    /// the stat cache, on a read-only `.spor/`, is no error).
    fn record(
        &mut self,
        report: &UpdateReport,
        current: BTreeMap<String, String>,
        files: BTreeMap<String, FileStat>,
        racy: bool,
    ) -> Result<()> {
        let meta_changed = report.touched()
            || report.rebuilt
            || self.meta.documents != current
            || self.meta.files != files
            || racy;
        self.meta.documents = current;
        self.meta.files = files;
        if meta_changed {
            self.meta.written_ns = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            let bytes = serde_json::to_vec_pretty(&self.meta).expect("meta serialises");
            let written = spor_corpus::fsutil::write_atomic(&self.dir.join(META), &bytes);
            // When no document changed, the meta only refreshes the stat
            // cache (sizes, mtimes): on a read-only `.spor/` that is
            // skipped, and the next run hashes those files again.
            let only_stats = !report.touched() && !report.rebuilt;
            if let Err(e) = written
                && !only_stats
            {
                return Err(IndexError::Io {
                    path: self.dir.join(META),
                    source: std::io::Error::other(e.to_string()),
                });
            }
        }
        Ok(())
    }
}

/// A batch of documents to index: read for the batch, or a corpus read
/// beforehand.
pub enum Batch<'c> {
    /// Read for this batch.
    Owned(Corpus),
    /// A corpus read beforehand (holding at least the batch's documents).
    Borrowed(&'c Corpus),
}

impl Batch<'_> {
    fn corpus(&self) -> &Corpus {
        match self {
            Batch::Owned(c) => c,
            Batch::Borrowed(c) => c,
        }
    }
}

fn plan_docs(r: &UpdateReport) -> BTreeSet<&str> {
    r.added
        .iter()
        .chain(&r.changed)
        .map(String::as_str)
        .collect()
}
