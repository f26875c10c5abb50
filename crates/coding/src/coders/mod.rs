//! Human coders' files, `codings/<coder>.csv`: reading them (a bad row is
//! an error naming its line, and the rest still counts), placing each coding
//! on the turn that holds its text now, coverage, memos, and appending a
//! row (the only change spor ever makes to such a file).
//!
//! Columns: `segment,code,status,memo,anchor,start,end,quote`; only
//! `segment` and `code` are required, and a row may stop before the passage
//! columns. `status` is `accepted` (or empty), `rejected`, `withdrawn`,
//! `memo` or `done`. The last `accepted`/`rejected` row for a segment and
//! code is the coder's decision; a later row without a memo keeps the
//! earlier memo.
//!
//! Passages (`start,end,quote`, see [`crate::passage`]): an accepted row
//! with a passage adds that passage to the coder's coding of the turn (a
//! coding made of passages stays one coding of the turn); an accepted row
//! without one codes the whole turn and drops the passages before it; a
//! withdrawn row with a passage takes back that passage only (the coding
//! is gone when none is left). A passage is checked against the turn's
//! text; when the turn's text changed since it was coded, the passage is
//! re-found by its quote (the occurrence nearest its old offsets), and one
//! whose quote is gone is orphaned like a coding whose turn is gone.

pub mod append;
pub mod coverage;
pub mod file;

use crate::Result;
use crate::anchor::{self, AnchorStore, Placement};
use crate::merge::{Memo, MemoTarget};
use crate::passage::Passage;
pub use append::{Entry, append_entry};
pub use coverage::{Coverage, Covered};
pub use file::{RawRow, RowStatus};
use serde::Serialize;
use spor_codebook::CodebookSet;
use spor_corpus::{Corpus, Diagnostic, Location, Study};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A coder's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    /// The coder applies the code.
    Accepted,
    /// The coder rejects the code (typically a rule's suggestion).
    Rejected,
}

impl Decision {
    /// As written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::Rejected => "rejected",
        }
    }
}

/// One coder's current decision on one (segment, code): the last row for it
/// in their file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HumanCoding {
    /// The coder (file stem).
    pub coder: String,
    /// Segment id.
    pub segment: String,
    /// Code id.
    pub code: String,
    /// Accepted or rejected.
    pub decision: Decision,
    /// The coder's memo.
    pub memo: String,
    /// Line in the coder's file.
    pub line: usize,
    /// The passages of the turn this coding is about, sorted; empty for the
    /// whole turn. The turn is coded when any passage in it is.
    pub passages: Vec<Passage>,
}

/// The coders' folder of a study.
pub fn codings_dir(study: &Study) -> PathBuf {
    study.root.join("codings")
}

/// Whether a coder name is usable (it is a file name).
pub fn valid_coder(name: &str) -> bool {
    !name.is_empty()
        && name != "rules"
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// The coder names that have a file, sorted.
pub fn coder_names(study: &Study) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(codings_dir(study))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let p = e.path();
                    (p.extension().and_then(|x| x.to_str()) == Some("csv"))
                        .then(|| p.file_stem()?.to_str().map(str::to_owned))
                        .flatten()
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A coding whose text moved to another turn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    /// The coder.
    pub coder: String,
    /// `codings/<coder>.csv:<line>`.
    pub location: String,
    /// The code.
    pub code: String,
    /// The segment the row names.
    pub from: String,
    /// Where its text is now.
    pub to: String,
    /// 1.0 when the text is unchanged, else its similarity.
    pub similarity: f64,
}

/// A coding whose text is nowhere in its document any more.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Orphan {
    /// The coder.
    pub coder: String,
    /// `codings/<coder>.csv:<line>`.
    pub location: String,
    /// The segment the row names.
    pub segment: String,
    /// The code.
    pub code: String,
    /// Why it cannot be placed.
    pub reason: String,
}

/// What the coders' files hold.
#[derive(Debug, Clone, Default)]
pub struct CoderFiles {
    /// Each coder's current decisions (placed on the turns that hold their
    /// text now).
    pub codings: Vec<HumanCoding>,
    /// Problems found, with file and line: errors for rows that do not
    /// count (malformed, unknown segment or code, orphaned), notes for
    /// codings that moved and rows anchored for the first time.
    pub diagnostics: Vec<Diagnostic>,
    /// Rows that point at a segment that does not exist: `(file:line, segment)`.
    pub dangling: Vec<(String, String)>,
    /// Codings that followed their text to another turn.
    pub moved: Vec<Moved>,
    /// Codings whose text is gone.
    pub orphaned: Vec<Orphan>,
    /// Every memo, by coder then line.
    pub memos: Vec<Memo>,
    /// What each coder has coded.
    pub coverage: Coverage,
    /// Rows without an anchor that were anchored on this read.
    pub newly_anchored: usize,
    /// The anchor store as it should be saved after this read.
    pub store: AnchorStore,
    /// Whether [`CoderFiles::store`] differs from what `.spor/` holds.
    pub store_changed: bool,
}

impl CoderFiles {
    /// Whether any coder's file has a row that does not count.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == spor_corpus::Severity::Error)
    }

    /// The error diagnostics.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == spor_corpus::Severity::Error)
    }
}

/// Read every coder's file. A row that cannot count (malformed, unknown
/// status, segment or code, or a coding whose text is gone) is an error
/// naming its line, and every other row still counts; a file that cannot
/// be read at all is an error too. Anchored codings are placed on the turn
/// that holds their text now (see [`crate::anchor`]); `.spor/anchors.json`
/// is read here, and the updated store returned in [`CoderFiles::store`]
/// for the caller to save.
pub fn read_all(study: &Study, corpus: &Corpus, books: &CodebookSet) -> CoderFiles {
    let (old, unreadable) = AnchorStore::load_checked(&study.root);
    let mut r = Reader {
        corpus,
        books,
        old: &old,
        out: CoderFiles::default(),
    };
    if let Some(why) = unreadable {
        r.out.diagnostics.push(Diagnostic::warning(
            Location::file(Path::new(crate::anchor::ANCHOR_FILE)),
            format!(
                "could not be read ({why}); it is rebuilt: codings follow their anchors, but an edited turn is now matched without its old text"
            ),
        ));
    }
    match coverage::listed_documents(study) {
        Ok(listed) => {
            for (coder, docs) in listed {
                for d in docs {
                    r.out.coverage.add_document(&coder, &d);
                }
            }
        }
        Err(message) => r.out.diagnostics.push(Diagnostic::error(
            Location::file(Path::new(spor_corpus::study::MANIFEST)),
            message,
        )),
    }
    for coder in coder_names(study) {
        let shown = PathBuf::from("codings").join(format!("{coder}.csv"));
        if !valid_coder(&coder) {
            r.out.diagnostics.push(
                Diagnostic::error(
                    Location::file(&shown),
                    format!("{coder:?} is not a usable coder name; no row of this file counts"),
                )
                .with_hint(
                    "coder names use A-Z, a-z, 0-9, '.', '_' and '-', and `rules` is reserved",
                ),
            );
            continue;
        }
        let bytes = match read_regular(&study.root.join(&shown)) {
            Ok(b) => b,
            Err(e) => {
                r.out.diagnostics.push(
                    Diagnostic::error(
                        Location::file(&shown),
                        format!("cannot read: {e}; no row of this file counts"),
                    )
                    .with_hint("make the file readable"),
                );
                continue;
            }
        };
        let parsed = file::parse(&bytes, &shown);
        r.out.diagnostics.extend(parsed.diagnostics);
        r.coder(&coder, &shown, parsed.rows);
    }
    r.out.store.version = 1;
    r.out.store_changed = r.out.store != old;
    r.out
}

/// Coder files are small logs: anything over this is refused.
const MAX_CODER_FILE: u64 = 256 * 1024 * 1024;

fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > MAX_CODER_FILE {
        return Err(std::io::Error::other(format!(
            "{} MB is over the limit of {} MB for a coder's file",
            meta.len() >> 20,
            MAX_CODER_FILE >> 20
        )));
    }
    std::fs::read(path)
}

struct Reader<'a> {
    corpus: &'a Corpus,
    books: &'a CodebookSet,
    old: &'a AnchorStore,
    out: CoderFiles,
}

/// A coder's latest decision per (segment, code).
type Latest = BTreeMap<(String, String), HumanCoding>;

/// Rows placed on another turn than they name: (from, to) -> the (line,
/// code) of each.
type Moves = BTreeMap<(String, String), Vec<(usize, String)>>;

/// An error on a row, with a hint.
fn row_error(loc: &Location, message: String, hint: &str) -> Diagnostic {
    Diagnostic::error(loc.clone(), message).with_hint(hint.to_owned())
}

impl Reader<'_> {
    /// One coder's rows, in file order: each row checked and placed, the
    /// latest decision per segment and code kept, moves noted.
    fn coder(&mut self, coder: &str, shown: &Path, rows: Vec<RawRow>) {
        let mut latest = Latest::new();
        let mut moves = Moves::new();
        for row in rows {
            self.row(coder, shown, row, &mut latest, &mut moves);
        }
        self.note_moves(coder, shown, moves);
        self.out.codings.extend(latest.into_values());
    }

    /// One row: its code resolved, then as a document row, a memo on a
    /// code, or a row on a segment placed on the turn that holds its text
    /// now. A row that cannot count is reported and skipped.
    fn row(
        &mut self,
        coder: &str,
        shown: &Path,
        mut row: RawRow,
        latest: &mut Latest,
        moves: &mut Moves,
    ) {
        let loc = Location::line(shown, row.line);
        if !self.resolve_code(&loc, &mut row) {
            return;
        }
        let is_segment = row.segment.contains('#');
        if !is_segment && !row.segment.is_empty() {
            self.document_row(coder, &loc, &row);
            return;
        }
        if row.segment.is_empty() {
            // a memo on a code (the parser allows nothing else here)
            self.memo(
                coder,
                &row,
                MemoTarget::Code {
                    code: row.code.clone(),
                },
            );
            return;
        }
        if row.status == RowStatus::Done {
            self.out.diagnostics.push(row_error(
                &loc,
                "a done row names a document, not a segment; this row does not count".into(),
                "spor code done DOCUMENT --coder NAME",
            ));
            return;
        }
        let Some((segment, anchor)) = self.place(coder, shown, &row) else {
            return;
        };
        let passage = match &row.passage {
            None => None,
            Some(p) => match self.fit_passage(coder, shown, &row, &segment, &anchor, p) {
                Some(p) => Some(p),
                None => return,
            },
        };
        if segment != row.segment {
            moves
                .entry((row.segment.clone(), segment.clone()))
                .or_default()
                .push((row.line, row.code.clone()));
        }
        let doc = segment.rsplit_once('#').map(|x| x.0).unwrap_or("");
        if row.code.is_empty() {
            self.out.diagnostics.push(row_error(
                &loc,
                "a row on a segment needs a code; this row does not count".into(),
                "segment,code,status,memo",
            ));
            return;
        }
        self.out.coverage.add_cell(coder, doc, &row.code);
        self.memo(
            coder,
            &row,
            MemoTarget::Coding {
                segment: segment.clone(),
                code: row.code.clone(),
            },
        );
        self.decide(coder, &loc, &row, segment, passage, latest);
    }

    /// The row's code as the codebooks know it now: a renamed or merged
    /// code's former id counts for the code now. False (reported) for a
    /// code no codebook has.
    fn resolve_code(&mut self, loc: &Location, row: &mut RawRow) -> bool {
        if row.code.is_empty() {
            return true;
        }
        match self.books.resolve(&row.code) {
            Some((_, c)) => {
                row.code = c.id.clone();
                true
            }
            None => {
                self.out.diagnostics.push(row_error(
                    loc,
                    format!("unknown code {:?}; this row does not count", row.code),
                    "codes are the ids in the study's codebooks",
                ));
                false
            }
        }
    }

    /// A row that names a document: a `done` row (the document, or one of
    /// its codes, is covered) or a memo on the document.
    fn document_row(&mut self, coder: &str, loc: &Location, row: &RawRow) {
        if !self
            .corpus
            .documents
            .iter()
            .any(|d| d.meta.id == row.segment)
        {
            self.out.diagnostics.push(row_error(
                loc,
                format!(
                    "unknown document {:?}; this row does not count",
                    row.segment
                ),
                "document ids are the first column of documents.csv",
            ));
            return;
        }
        match row.status {
            RowStatus::Done if row.code.is_empty() => {
                self.out.coverage.add_document(coder, &row.segment)
            }
            RowStatus::Done => self.out.coverage.add_cell(coder, &row.segment, &row.code),
            RowStatus::Memo if row.code.is_empty() => self.memo(
                coder,
                row,
                MemoTarget::Document {
                    document: row.segment.clone(),
                },
            ),
            _ => self.out.diagnostics.push(row_error(
                loc,
                format!(
                    "{:?} is a document id, but a {} row names a segment (<document>#<turn>); this row does not count",
                    row.segment,
                    row.status.as_str()
                ),
                "segment ids are <document>#<turn>; see `spor export segments`",
            )),
        }
    }

    /// A placed row's decision on its segment and code: accepted or
    /// rejected replaces the latest decision (a passage adds to the
    /// passages accepted before it), withdrawn removes it (or just the
    /// passage it names), a memo changes nothing.
    fn decide(
        &mut self,
        coder: &str,
        loc: &Location,
        row: &RawRow,
        segment: String,
        passage: Option<Passage>,
        latest: &mut Latest,
    ) {
        let key = (segment.clone(), row.code.clone());
        let decision = match row.status {
            RowStatus::Accepted => Decision::Accepted,
            RowStatus::Rejected => Decision::Rejected,
            RowStatus::Withdrawn => {
                match (&passage, latest.get_mut(&key)) {
                    (Some(p), Some(h)) if h.decision == Decision::Accepted => {
                        let before = h.passages.len();
                        h.passages.retain(|q| (q.start, q.end) != (p.start, p.end));
                        if h.passages.is_empty() && before > 0 {
                            latest.remove(&key);
                        } else if h.passages.len() == before {
                            self.out.diagnostics.push(Diagnostic::warning(
                                loc.clone(),
                                format!(
                                    "withdraws passage {} of {segment} {}, which is not coded; nothing changes",
                                    p.range(),
                                    row.code
                                ),
                            ));
                        }
                    }
                    _ => {
                        latest.remove(&key);
                    }
                }
                return;
            }
            // a memo on a coding changes no decision
            _ => return,
        };
        let memo = if row.memo.is_empty() {
            latest.get(&key).map(|h| h.memo.clone()).unwrap_or_default()
        } else {
            row.memo.clone()
        };
        // a passage adds to the passages coded before it; a whole-turn
        // row (or a rejection) replaces them
        let passages = match passage {
            None => Vec::new(),
            Some(p) => {
                let mut ps = latest
                    .get(&key)
                    .filter(|h| h.decision == Decision::Accepted)
                    .map(|h| h.passages.clone())
                    .unwrap_or_default();
                if !ps.iter().any(|q| (q.start, q.end) == (p.start, p.end)) {
                    ps.push(p);
                    ps.sort();
                }
                ps
            }
        };
        latest.insert(
            key,
            HumanCoding {
                coder: coder.to_owned(),
                segment,
                code: row.code.clone(),
                decision,
                memo,
                line: row.line,
                passages,
            },
        );
    }

    /// A note per (from, to) pair of moved rows: which codes, which lines,
    /// and how alike the texts are.
    fn note_moves(&mut self, coder: &str, shown: &Path, moves: Moves) {
        for ((from, to), rows) in moves {
            let lines: Vec<String> = rows.iter().map(|r| r.0.to_string()).collect();
            let codes: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
            let similarity = self
                .out
                .moved
                .iter()
                .rev()
                .find(|m| m.coder == coder && m.from == from && m.to == to)
                .map(|m| m.similarity)
                .unwrap_or(1.0);
            let how = if similarity < 1.0 {
                format!(", text {:.0} % alike", similarity * 100.0)
            } else {
                String::new()
            };
            self.out.diagnostics.push(Diagnostic::note(
                Location::line(shown, rows[0].0),
                format!(
                    "moved {from} -> {to} ({}: {}{how}; line(s) {})",
                    plural(codes.len(), "coding"),
                    codes.join(", "),
                    lines.join(", ")
                ),
            ));
        }
    }

    fn memo(&mut self, coder: &str, row: &RawRow, target: MemoTarget) {
        if !row.memo.is_empty() {
            self.out.memos.push(Memo {
                coder: coder.to_owned(),
                target,
                text: row.memo.clone(),
                line: row.line,
            });
        }
    }

    /// The row's passage on the turn `segment` holds now, or `None`
    /// (reported). The passage is taken as written when it fits the turn's
    /// text. When it does not and the turn's text changed since it was
    /// coded, the passage is re-found by its quote (nearest its old
    /// offsets; a note says where), and is orphaned when its quote is gone;
    /// on unchanged text a passage that does not fit is an error.
    fn fit_passage(
        &mut self,
        coder: &str,
        shown: &Path,
        row: &RawRow,
        segment: &str,
        anchor: &str,
        p: &Passage,
    ) -> Option<Passage> {
        let loc = Location::line(shown, row.line);
        let s = self.corpus.segment(segment)?;
        let err = match p.check(&s.text) {
            Ok(()) => {
                let quote = crate::passage::slice(&s.text, p.start, p.end)?.to_owned();
                return Some(Passage { quote, ..p.clone() });
            }
            Err(e) => e,
        };
        let coded_on = self.old.texts.get(anchor).map(String::as_str);
        let changed = match coded_on {
            Some(old) => old != s.text,
            None => anchor::fingerprint(&s.text) != anchor,
        };
        if !changed {
            self.out.diagnostics.push(
                Diagnostic::error(loc, format!("{segment} {}: {err}; this row does not count", row.code))
                    .with_hint("start and end count characters (not bytes) from 0 in the turn's text, end exclusive; `spor code add SEGMENT CODE --quote TEXT` finds them"),
            );
            return None;
        }
        if let Some(found) = p.refind(&s.text) {
            if (found.start, found.end) != (p.start, p.end) || segment != row.segment {
                self.out.diagnostics.push(Diagnostic::note(
                    loc,
                    format!(
                        "passage {} {} of {} is now {} {}",
                        row.segment,
                        p.range(),
                        row.code,
                        segment,
                        found.range()
                    ),
                ));
            }
            return Some(found);
        }
        let reason = format!(
            "the passage's quote {:?} is no longer in the turn's text",
            p.quote
        );
        self.out.diagnostics.push(
            Diagnostic::error(
                loc,
                format!(
                    "orphaned passage: {segment} {} {} ({}): {reason}; it does not count",
                    p.range(),
                    row.code,
                    row.status.as_str()
                ),
            )
            .with_hint(format!(
                "code the passage again (spor code add {segment} {} --quote TEXT --coder {coder}), or restore the text",
                row.code
            )),
        );
        self.out.orphaned.push(Orphan {
            coder: coder.to_owned(),
            location: format!("{}:{}", shown.display(), row.line),
            segment: segment.to_owned(),
            code: row.code.clone(),
            reason,
        });
        None
    }

    /// The segment that holds the row's text now and the row's anchor, or
    /// `None` (reported).
    fn place(&mut self, coder: &str, shown: &Path, row: &RawRow) -> Option<(String, String)> {
        let location = format!("{}:{}", shown.display(), row.line);
        let key = AnchorStore::row_key(coder, row.line, &row.segment, &row.code);
        let anchor = match (&row.anchor, self.old.implied.get(&key)) {
            (Some(a), _) => a.clone(),
            (None, Some(a)) => {
                self.out.store.implied.insert(key, a.clone());
                a.clone()
            }
            (None, None) => {
                let Some(s) = self.corpus.segment(&row.segment) else {
                    self.out.dangling.push((location, row.segment.clone()));
                    self.out.diagnostics.push(
                        Diagnostic::error(
                            Location::line(shown, row.line),
                            format!("unknown segment {:?}; this row does not count", row.segment),
                        )
                        .with_hint("segment ids are <document>#<turn>; see `spor export segments`"),
                    );
                    return None;
                };
                let a = anchor::fingerprint(&s.text);
                self.out.store.implied.insert(key, a.clone());
                self.out.newly_anchored += 1;
                a
            }
        };
        let old_text = self.old.texts.get(&anchor).map(String::as_str);
        match anchor::place(self.corpus, &row.segment, &anchor, old_text) {
            Placement::InPlace => {
                if let Some(s) = self.corpus.segment(&row.segment) {
                    let text = old_text.unwrap_or(&s.text).to_owned();
                    self.out.store.texts.insert(anchor.clone(), text);
                }
                Some((row.segment.clone(), anchor))
            }
            Placement::Moved { to, similarity } => {
                if let Some(t) = old_text {
                    self.out.store.texts.insert(anchor.clone(), t.to_owned());
                }
                self.out.moved.push(Moved {
                    coder: coder.to_owned(),
                    location,
                    code: row.code.clone(),
                    from: row.segment.clone(),
                    to: to.clone(),
                    similarity,
                });
                Some((to, anchor))
            }
            Placement::Orphaned { reason } => {
                if let Some(t) = old_text {
                    self.out.store.texts.insert(anchor, t.to_owned());
                }
                self.out.diagnostics.push(
                    Diagnostic::error(
                        Location::line(shown, row.line),
                        format!(
                            "orphaned coding: {} {} ({}): {reason}; it does not count",
                            row.segment,
                            row.code,
                            row.status.as_str()
                        ),
                    )
                    .with_hint(format!(
                        "find the passage and code it again (spor code add SEGMENT {} --coder {coder}), or restore the text",
                        row.code
                    )),
                );
                self.out.orphaned.push(Orphan {
                    coder: coder.to_owned(),
                    location,
                    segment: row.segment.clone(),
                    code: row.code.clone(),
                    reason,
                });
                None
            }
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Append one decision to `codings/<coder>.csv` (see
/// [`append::append_entry`]): `anchor` is the fingerprint of the segment's
/// text ([`crate::anchor::fingerprint`]).
pub fn append(
    study: &Study,
    coder: &str,
    segment: &str,
    code: &str,
    decision: Decision,
    memo: &str,
    anchor: &str,
) -> Result<PathBuf> {
    append::append_entry(
        study,
        coder,
        &Entry {
            segment: segment.to_owned(),
            code: code.to_owned(),
            status: match decision {
                Decision::Accepted => RowStatus::Accepted,
                Decision::Rejected => RowStatus::Rejected,
            },
            memo: memo.to_owned(),
            anchor: anchor.to_owned(),
            passage: None,
        },
    )
}
