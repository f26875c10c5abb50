//! Reading every transcript of a study into documents and segments, in
//! parallel, with deterministic (sheet-order) results.

use crate::decode::{Decoded, LineEnding, decode};
use crate::segment::{Segment, count_words};
use crate::study::{DocumentMeta, Role, Study};
use crate::text::TextStore;
use crate::transcript::{self, Parsed};
use crate::{CorpusError, Diagnostic, Location, Severity};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A transcript read into segments.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its row in documents.csv.
    pub meta: DocumentMeta,
    /// The normalised text (NFC, `\n` line breaks), shared with its
    /// segments' texts: in memory, or mapped from the study's text store
    /// when read with one ([`Corpus::read_strict_stored`]).
    pub text: crate::DocText,
    /// The encoding the file was read in.
    pub encoding: &'static str,
    /// The line endings the file used.
    pub line_ending: LineEnding,
    /// Whether the file had a byte-order mark.
    pub bom: bool,
    /// Whether NFC normalisation changed the text.
    pub was_not_nfc: bool,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// The preamble's line range, if any.
    pub preamble: Option<(usize, usize)>,
    /// The segments, in turn order.
    pub segments: Vec<Segment>,
}

/// Every transcript of a study that could be read, and what was found.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Documents in documents.csv order (those that could be read).
    pub documents: Vec<Document>,
    /// Diagnostics from the sheets and the transcripts, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Document id -> index in `documents`.
    index: rustc_hash::FxHashMap<String, usize>,
}

impl Corpus {
    /// Read every transcript of `study`.
    pub fn read(study: &Study) -> Corpus {
        Self::read_where(study, |_| true, &|| {}, None)
    }

    /// Read every transcript, calling `tick` after each document (from
    /// worker threads), e.g. to move a progress bar.
    pub fn read_with_progress(study: &Study, tick: &(dyn Fn() + Sync)) -> Corpus {
        Self::read_where(study, |_| true, tick, None)
    }

    /// Read only the documents whose ids are in `ids` (with the sheets'
    /// diagnostics): what an incremental update or a search display needs.
    pub fn read_only(study: &Study, ids: &BTreeSet<String>) -> Corpus {
        Self::read_where(study, |id| ids.contains(id), &|| {}, None)
    }

    /// `read_only`, failing if any error was found.
    pub fn read_only_strict(study: &Study, ids: &BTreeSet<String>) -> Result<Corpus, CorpusError> {
        Self::strict(Corpus::read_only(study, ids))
    }

    fn read_where(
        study: &Study,
        keep: impl Fn(&str) -> bool + Sync,
        tick: &(dyn Fn() + Sync),
        store: Option<&TextStore>,
    ) -> Corpus {
        let others = study.all_labels();
        let results: Vec<(Option<Document>, Vec<Diagnostic>)> = study
            .documents
            .par_iter()
            .filter(|meta| keep(&meta.id))
            .map(|meta| {
                let r = read_document(study, meta, &others, store);
                tick();
                r
            })
            .collect();
        let mut diagnostics = study.diagnostics.clone();
        let mut documents = Vec::new();
        for (doc, diags) in results {
            diagnostics.extend(diags);
            documents.extend(doc);
        }
        speaker_warnings(study, &documents, &mut diagnostics);
        crate::diag::sort_diagnostics(&mut diagnostics);
        if let Some(store) = store {
            // every document was read: what none of them uses is stale
            store.sweep(documents.iter().map(|d| d.sha256.as_str()));
        }
        let index = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.meta.id.clone(), i))
            .collect();
        Corpus {
            documents,
            diagnostics,
            index,
        }
    }

    /// Read the study and fail if any error was found.
    pub fn read_strict(study: &Study) -> Result<Corpus, CorpusError> {
        Self::strict(Corpus::read(study))
    }

    /// `read_strict` with a progress callback per document.
    pub fn read_strict_with_progress(
        study: &Study,
        tick: &(dyn Fn() + Sync),
    ) -> Result<Corpus, CorpusError> {
        Self::strict(Corpus::read_with_progress(study, tick))
    }

    /// `read_strict_with_progress`, keeping each document's text in
    /// `store` (mapped from there, not held in memory) and removing the
    /// store's files no transcript uses any more. A text the store cannot
    /// keep stays in memory: the corpus is the same either way.
    pub fn read_strict_stored(
        study: &Study,
        store: &TextStore,
        tick: &(dyn Fn() + Sync),
    ) -> Result<Corpus, CorpusError> {
        Self::strict(Self::read_where(study, |_| true, tick, Some(store)))
    }

    fn strict(c: Corpus) -> Result<Corpus, CorpusError> {
        if c.has_errors() {
            return Err(CorpusError::Diagnostics(c.diagnostics));
        }
        Ok(c)
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Every segment, in document then turn order.
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.documents.iter().flat_map(|d| d.segments.iter())
    }

    /// Find a segment by id.
    pub fn segment(&self, id: &str) -> Option<&Segment> {
        let (doc, turn) = id.rsplit_once('#')?;
        let turn: usize = turn.parse().ok()?;
        let d = &self.documents[*self.index.get(doc)?];
        d.segments.get(turn.checked_sub(1)?)
    }

    /// Where segment `id` is: its document's place in the corpus and its
    /// own place in the document (both from 0), if the corpus has it. The
    /// corpus order of segments is the order of these pairs.
    pub fn position(&self, id: &str) -> Option<(usize, usize)> {
        let (doc, turn) = id.rsplit_once('#')?;
        let turn: usize = turn.parse().ok()?;
        let d = *self.index.get(doc)?;
        let t = turn.checked_sub(1)?;
        (self.documents[d].segments.get(t)?.segment == id).then_some((d, t))
    }
}

/// SHA-256 of bytes as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// SHA-256, as lowercase hex, of the concatenation of `parts`, hashed one
/// after the other (nothing is copied into one buffer first).
pub fn sha256_hex_parts<P: AsRef<[u8]>>(parts: impl IntoIterator<Item = P>) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_ref());
    }
    hex(&h.finalize())
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// `bytes` as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = vec![0; 2 * bytes.len()];
    hex_into(bytes, &mut out);
    String::from_utf8(out).expect("hex digits are ASCII")
}

/// `bytes` as lowercase hex digits into `out`, which holds two bytes for
/// each of them (no allocation).
///
/// # Panics
/// If `out` is shorter than twice `bytes`.
pub fn hex_into(bytes: &[u8], out: &mut [u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    assert!(out.len() >= 2 * bytes.len(), "room for two digits a byte");
    for (b, pair) in bytes.iter().zip(out.chunks_exact_mut(2)) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 15)];
    }
}

/// A writer that hashes what passes through it (SHA-256) and counts the
/// bytes, so that an output's hash is known when it is written, without
/// reading the file again.
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: std::io::Write> HashingWriter<W> {
    /// Hash what is written to `inner`.
    pub fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// The lowercase hex SHA-256 and the size of everything written, and
    /// the inner writer.
    pub fn finish(self) -> (String, u64, W) {
        (hex(&self.hasher.finalize()), self.bytes, self.inner)
    }
}

impl<W: std::io::Write> std::io::Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// SHA-256 (lowercase hex) and size of a regular file, read as a stream in
/// 64 KiB blocks: memory stays flat whatever the file's size. A folder,
/// device, FIFO or socket is an error (it is never read).
pub fn sha256_file(path: &std::path::Path) -> std::io::Result<(String, u64)> {
    use std::io::Read as _;
    crate::input::regular_file(path)?;
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((hex(&hasher.finalize()), bytes))
}

/// The transcript formats spor reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text or Markdown.
    Text,
    /// Word.
    Docx,
    /// WebVTT subtitles.
    Vtt,
    /// SubRip subtitles.
    Srt,
}

/// The format of a transcript, by file extension.
pub fn format_of(path: &Path) -> Option<Format> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("txt" | "md" | "text" | "markdown") | None => Some(Format::Text),
        Some("docx") => Some(Format::Docx),
        Some("vtt") => Some(Format::Vtt),
        Some("srt") => Some(Format::Srt),
        _ => None,
    }
}

fn read_document(
    study: &Study,
    meta: &DocumentMeta,
    others: &BTreeSet<String>,
    store: Option<&TextStore>,
) -> (Option<Document>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let shown = PathBuf::from(&meta.file);
    let sheet_loc = Location::line(&study.documents_path, meta.line);
    let Some(format) = format_of(&shown) else {
        diags.push(
            Diagnostic::error(
                sheet_loc,
                format!("{}: unsupported transcript format", meta.file),
            )
            .with_hint("spor reads .txt, .md, .docx, .vtt and .srt transcripts"),
        );
        return (None, diags);
    };
    let abs = match crate::input::confine(&study.root, &meta.file, study.follow_symlinks()) {
        Ok(p) => p,
        Err(msg) => {
            diags.push(Diagnostic::error(sheet_loc, msg).with_hint(
                "transcripts must be inside the study folder ([input] follow_symlinks = true in spor.toml allows symlinks that lead out)",
            ));
            return (None, diags);
        }
    };
    let bytes = match crate::input::read_limited(&abs, crate::input::MAX_TRANSCRIPT_BYTES) {
        Ok(b) => b,
        Err(e) => {
            let msg = if e.kind() == std::io::ErrorKind::NotFound {
                format!("transcript file {:?} not found", meta.file)
            } else {
                format!("cannot read transcript file {:?}: {e}", meta.file)
            };
            diags.push(
                Diagnostic::error(sheet_loc, msg)
                    .with_hint("the `file` column is relative to the study folder"),
            );
            return (None, diags);
        }
    };
    let speakers: Vec<_> = study.speakers_of(&meta.id).collect();
    let labels: Vec<String> = speakers.iter().map(|s| s.label.clone()).collect();
    let decoded = match format {
        Format::Docx => crate::docx::to_text(&bytes, &labels, &shown).and_then(|t| {
            decode(t.as_bytes(), &shown).map(|mut d| {
                d.encoding = "docx";
                d
            })
        }),
        _ => decode(&bytes, &shown),
    };
    let mut decoded = match decoded {
        Ok(d) => d,
        Err(e) => {
            diags.push(e.to_diagnostic());
            return (None, diags);
        }
    };
    let parsed = match format {
        Format::Vtt | Format::Srt => {
            let (text, parsed) =
                crate::subtitle::parse(&decoded.text, format == Format::Vtt, &labels, &shown);
            decoded.text = text;
            parsed
        }
        _ => transcript::parse(&decoded.text, &labels, others, &shown),
    };
    let doc = build_document(meta, &bytes, decoded, parsed, &speakers, &shown, &mut diags);
    (doc.map(|d| stored(d, store)), diags)
}

fn build_document(
    meta: &DocumentMeta,
    bytes: &[u8],
    decoded: Decoded,
    parsed: Parsed,
    speakers: &[&crate::study::Speaker],
    shown: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<Document> {
    diags.extend(parsed.diagnostics);
    if decoded.text.trim().is_empty() {
        diags.push(Diagnostic::error(
            Location::line(shown, 1),
            "transcript is empty",
        ));
        return None;
    }
    if parsed.turns.is_empty() {
        let labels: Vec<&str> = speakers.iter().map(|s| s.label.as_str()).collect();
        diags.push(
            Diagnostic::error(Location::line(shown, 1), "no speaker turns found").with_hint(
                format!(
                    "a turn starts at a line `Label: text` with a label declared for {} ({})",
                    meta.id,
                    labels.join(", ")
                ),
            ),
        );
        return None;
    }
    diags.push(Diagnostic::note(
        Location::file(shown),
        read_as(&decoded, parsed.turns.len()),
    ));
    let text = crate::DocText::from(decoded.text);
    let segments = segments(meta, &text, &parsed.turns, speakers);
    Some(Document {
        meta: meta.clone(),
        encoding: decoded.encoding,
        line_ending: decoded.line_ending,
        bom: decoded.bom,
        was_not_nfc: decoded.was_not_nfc,
        sha256: sha256_hex(bytes),
        bytes: bytes.len() as u64,
        preamble: parsed.preamble,
        segments,
        text,
    })
}

/// `doc` with its text mapped from `store`, if there is one that can keep
/// it (else as it is).
fn stored(mut doc: Document, store: Option<&TextStore>) -> Document {
    if let Some(mapped) = store.and_then(|s| s.keep(&doc.sha256, &doc.text)) {
        for seg in &mut doc.segments {
            seg.text = seg.text.moved_to(&mapped);
        }
        doc.text = mapped;
    }
    doc
}

/// The note on how a transcript was read: encoding, BOM, line endings,
/// normalisation and the number of turns.
fn read_as(decoded: &Decoded, turns: usize) -> String {
    format!(
        "read as {}{}, {} line endings{}; {} turns",
        decoded.encoding,
        if decoded.bom { " with BOM" } else { "" },
        match decoded.line_ending {
            LineEnding::Lf => "LF",
            LineEnding::Crlf => "CRLF",
            LineEnding::Cr => "CR",
            LineEnding::Mixed => "mixed",
            LineEnding::None => "no",
        },
        if decoded.was_not_nfc {
            ", normalised to NFC"
        } else {
            ""
        },
        turns
    )
}

/// The turns as segments, each with its speaker's participant, profession
/// and role, and the document's and participant's attributes (shared
/// between the turns).
fn segments(
    meta: &DocumentMeta,
    text: &crate::DocText,
    turns: &[crate::transcript::Turn],
    speakers: &[&crate::study::Speaker],
) -> Vec<Segment> {
    use crate::SharedStr;
    use crate::segment::{DocumentShared, SpeakerShared};
    use std::sync::Arc;
    // what every turn of a document or a speaker repeats is shared
    let doc = Arc::new(DocumentShared {
        document: SharedStr::from(&meta.id),
        kind: SharedStr::from(&meta.kind),
        phase: SharedStr::from(&meta.phase),
        date: SharedStr::from(&meta.date),
        attributes: meta.attributes.clone(),
    });
    let who: Vec<Arc<SpeakerShared>> = speakers
        .iter()
        .map(|sp| {
            Arc::new(SpeakerShared {
                speaker: SharedStr::from(&sp.label),
                participant: SharedStr::from(&sp.participant),
                profession: SharedStr::from(&sp.profession),
                role: sp.role,
                attributes: sp.attributes.clone(),
            })
        })
        .collect();
    // a text is shorter than 4 GiB (`TextSlice::new` checks), so its
    // lines, characters, words and turns are counted in 32 bits
    let small = |n: usize| u32::try_from(n).expect("a text shorter than 4 GiB");
    let mut segments = Vec::with_capacity(turns.len());
    for (i, t) in turns.iter().enumerate() {
        let seg_text = crate::TextSlice::new(text.clone(), t.byte_start..t.byte_end);
        segments.push(Segment {
            segment: SharedStr::from(format!("{}#{}", meta.id, i + 1)),
            turn: small(i + 1),
            words: small(count_words(&seg_text)),
            text: seg_text,
            line_start: small(t.line_start),
            line_end: small(t.line_end),
            char_start: small(t.char_start),
            char_end: small(t.char_end),
            timestamp: t.timestamp.as_ref().map(|x| x.text.as_str().into()),
            start_seconds: t.timestamp.as_ref().map(|x| x.seconds),
            end_seconds: t.end_time.as_ref().map(|x| x.seconds),
            doc: doc.clone(),
            who: who[t.speaker].clone(),
        });
    }
    segments
}

fn speaker_warnings(study: &Study, docs: &[Document], diags: &mut Vec<Diagnostic>) {
    for doc in docs {
        for sp in study.speakers_of(&doc.meta.id) {
            let turns: Vec<&Segment> = doc
                .segments
                .iter()
                .filter(|s| *s.speaker() == sp.label)
                .collect();
            let loc = Location::line(&study.participants_path, sp.line);
            if turns.is_empty() {
                diags.push(
                    Diagnostic::warning(
                        loc,
                        format!("speaker {:?} never speaks in {}", sp.label, doc.meta.id),
                    )
                    .with_hint(if sp.label.trim().chars().count() > transcript::MAX_LABEL_CHARS {
                        format!(
                            "the label is longer than {} characters, the longest spor reads as a speaker label",
                            transcript::MAX_LABEL_CHARS
                        )
                    } else {
                        "check the label's spelling in the transcript, or remove the row".to_owned()
                    }),
                );
            } else if sp.role == Role::Participant && turns.iter().all(|s| s.words == 0) {
                diags.push(Diagnostic::warning(
                    loc,
                    format!(
                        "participant {} ({:?}) has no words in {}",
                        sp.participant, sp.label, doc.meta.id
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Corpus, Study};

    #[test]
    fn position_is_corpus_order_and_only_for_the_exact_id() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sundtek");
        let corpus = Corpus::read(&Study::open(&root).unwrap());
        let positions: Vec<(usize, usize)> = corpus
            .segments()
            .map(|s| corpus.position(&s.segment).unwrap())
            .collect();
        assert!(positions.len() > 100);
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "corpus order");
        for (s, (d, t)) in corpus.segments().zip(&positions) {
            assert_eq!(corpus.documents[*d].segments[*t].segment, s.segment);
        }
        // an id the corpus does not hold, in any spelling, has no place
        assert_eq!(corpus.position("int-01#0"), None);
        assert_eq!(corpus.position("int-01#02"), None);
        assert_eq!(corpus.position("int-01#100000"), None);
        assert_eq!(corpus.position("nowhere#1"), None);
        assert_eq!(corpus.position("int-01"), None);
        assert!(
            corpus.segment("int-01#02").is_some(),
            "segment() is lenient"
        );
    }
}
