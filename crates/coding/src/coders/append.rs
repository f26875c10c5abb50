//! Appending one row to a coder's file: the only change spor ever makes to
//! it. The file is opened in append mode and locked exclusively while the
//! row is added, so any number of writers (`spor code add`, `spor review`,
//! `spor serve`) keep every row; the file is never replaced, so its mode,
//! owner and symlink target stay as they are, and a read-only file is an
//! error.

use super::file::{PASSAGE_COLUMNS, RowStatus};
use super::{codings_dir, valid_coder};
use crate::passage::Passage;
use crate::{CodingError, Result};
use spor_corpus::Study;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// One row to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Segment id, or a document id for document memos and `done` rows;
    /// empty for a code memo.
    pub segment: String,
    /// Code id; empty for document memos and whole-document `done` rows.
    pub code: String,
    /// What the row records.
    pub status: RowStatus,
    /// The memo (may be empty).
    pub memo: String,
    /// The fingerprint of the segment's text (empty for rows that are not
    /// about a segment).
    pub anchor: String,
    /// The passage of the turn the row is about, or `None` for the whole
    /// turn. The caller checks it against the turn's text
    /// ([`Passage::check`]); the appender writes it as given.
    pub passage: Option<Passage>,
}

/// The header of a new coder's file.
pub const HEADER: &str = "segment,code,status,memo,anchor,start,end,quote";

/// The header a file had before passages (still valid: its rows are about
/// whole turns).
pub const HEADER_WITHOUT_PASSAGES: &str = "segment,code,status,memo,anchor";

/// Append `entry` to `codings/<coder>.csv`, creating the file with a header
/// when it does not exist. The row is written in the file's own delimiter,
/// encoding and line endings. Returns the file's path as shown to users.
pub fn append_entry(study: &Study, coder: &str, entry: &Entry) -> Result<PathBuf> {
    let coder = coder.strip_suffix(".csv").unwrap_or(coder);
    if !valid_coder(coder) {
        return Err(CodingError::File {
            path: PathBuf::from(format!("codings/{coder}.csv")),
            message: format!("{coder:?} is not a usable coder name"),
            hint: Some(
                "coder names use A-Z, a-z, 0-9, '.', '_' and '-', and `rules` is reserved".into(),
            ),
        });
    }
    let shown = PathBuf::from("codings").join(format!("{coder}.csv"));
    let path = codings_dir(study).join(format!("{coder}.csv"));
    append_to(&path, &shown, entry)?;
    Ok(shown)
}

fn file_err(shown: &Path, message: String, hint: Option<&str>) -> CodingError {
    CodingError::File {
        path: shown.to_owned(),
        message,
        hint: hint.map(str::to_owned),
    }
}

/// Append to the file at `path` (see [`append_entry`]).
pub fn append_to(path: &Path, shown: &Path, entry: &Entry) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| file_err(shown, format!("cannot create its folder: {e}"), None))?;
    }
    // A new file: create it with the header and the row in one write.
    match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(mut f) => {
            f.lock()
                .map_err(|e| file_err(shown, format!("cannot lock: {e}"), None))?;
            let mut bytes = format!("{HEADER}\n").into_bytes();
            bytes.extend(row_bytes(entry, &Layout::default(), shown)?);
            f.write_all(&bytes)
                .and_then(|_| f.sync_all())
                .map_err(|e| file_err(shown, format!("cannot write: {e}"), None))?;
            return Ok(());
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(open_err(shown, e)),
    }
    // A file another writer has just created may still be empty: its
    // creator locks it only after creating it, so wait for its header (for
    // up to about a second) before calling it empty.
    let mut tries = 0;
    let (mut f, old) = loop {
        let mut f = OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| open_err(shown, e))?;
        f.lock()
            .map_err(|e| file_err(shown, format!("cannot lock: {e}"), None))?;
        let mut old = Vec::new();
        f.seek(SeekFrom::Start(0))
            .and_then(|_| f.read_to_end(&mut old))
            .map_err(|e| file_err(shown, format!("cannot read: {e}"), None))?;
        if !old.is_empty() || tries >= 100 {
            break (f, old);
        }
        drop(f);
        tries += 1;
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let layout = Layout::of(&old, shown)?;
    let mut add = Vec::new();
    if !old.is_empty() && !ends_with_newline(&old, layout.encoding) {
        add.extend(encode(layout.newline, layout.encoding, shown)?);
    }
    add.extend(row_bytes(entry, &layout, shown)?);
    write_all_locked(&mut f, &add).map_err(|e| file_err(shown, format!("cannot write: {e}"), None))
}

fn write_all_locked(f: &mut File, bytes: &[u8]) -> std::io::Result<()> {
    f.write_all(bytes)?;
    f.sync_data()
}

fn open_err(shown: &Path, e: std::io::Error) -> CodingError {
    let hint = (e.kind() == std::io::ErrorKind::PermissionDenied)
        .then_some("the coder's file is read-only: make it writable (spor never replaces it)");
    file_err(shown, format!("cannot open for appending: {e}"), hint)
}

fn ends_with_newline(bytes: &[u8], encoding: &str) -> bool {
    match encoding {
        "UTF-16LE" => bytes.ends_with(&[b'\n', 0]),
        "UTF-16BE" => bytes.ends_with(&[0, b'\n']),
        _ => bytes.ends_with(b"\n"),
    }
}

/// How an existing file is written.
struct Layout {
    delimiter: u8,
    encoding: &'static str,
    newline: &'static str,
    headers: Vec<String>,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            delimiter: b',',
            encoding: "UTF-8",
            newline: "\n",
            headers: HEADER.split(',').map(str::to_owned).collect(),
        }
    }
}

impl Layout {
    fn of(old: &[u8], shown: &Path) -> Result<Layout> {
        if old.is_empty() {
            return Err(file_err(
                shown,
                "the file is empty (no header row), so the row cannot be placed".into(),
                Some(
                    "write the header `segment,code,status,memo,anchor,start,end,quote` or delete the file",
                ),
            ));
        }
        let decoded = spor_corpus::decode::decode(old, shown)
            .map_err(|e| file_err(shown, e.to_string(), None))?;
        if decoded.text.matches('"').count() % 2 == 1 {
            return Err(file_err(
                shown,
                "the file has a double quote that is never closed, so a new row would become part of it"
                    .into(),
                Some("close the quote (`spor check` names its line), then record the decision again"),
            ));
        }
        let delimiter = spor_corpus::sheet::detect_delimiter(&decoded.text);
        let first = decoded.text.lines().next().unwrap_or("");
        let headers: Vec<String> = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .from_reader(first.as_bytes())
            .records()
            .next()
            .and_then(|r| r.ok())
            .map(|r| r.iter().map(|c| c.trim().to_owned()).collect())
            .unwrap_or_default();
        Ok(Layout {
            delimiter,
            encoding: decoded.encoding,
            newline: if decoded.line_ending == spor_corpus::decode::LineEnding::Crlf {
                "\r\n"
            } else {
                "\n"
            },
            headers,
        })
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }
}

/// A row as the bytes to append: its cells in the file's columns, the
/// file's delimiter, line ending and encoding.
fn row_bytes(entry: &Entry, layout: &Layout, shown: &Path) -> Result<Vec<u8>> {
    if entry.passage.is_some() && PASSAGE_COLUMNS.iter().any(|c| layout.column(c).is_none()) {
        return Err(no_passage_columns(layout, shown));
    }
    let (start, end) = entry
        .passage
        .as_ref()
        .map(|p| (p.start.to_string(), p.end.to_string()))
        .unwrap_or_default();
    let quote = entry
        .passage
        .as_ref()
        .map(|p| p.quote.as_str())
        .unwrap_or("");
    let mut cells: Vec<&str> = vec![""; layout.headers.len()];
    for (name, value) in [
        ("segment", entry.segment.as_str()),
        ("code", entry.code.as_str()),
        ("status", entry.status.as_str()),
        ("memo", entry.memo.as_str()),
        ("anchor", entry.anchor.as_str()),
        ("start", start.as_str()),
        ("end", end.as_str()),
        ("quote", quote),
    ] {
        match layout.column(name) {
            Some(i) => cells[i] = value,
            // an old file without an anchor column stays valid: the anchor
            // is then kept in .spor/anchors.json
            None if value.is_empty() || name == "anchor" => {}
            None if PASSAGE_COLUMNS.contains(&name) => unreachable!("refused above"),
            None if name == "status" && entry.status == RowStatus::Accepted => {}
            None => {
                return Err(file_err(
                    shown,
                    format!("the file has no `{name}` column, so this row cannot be recorded"),
                    Some(
                        "add the column to the header row (segment,code,status,memo,anchor,start,end,quote)",
                    ),
                ));
            }
        }
    }
    if layout.column("segment").is_none() || layout.column("code").is_none() {
        return Err(file_err(
            shown,
            "the file has no `segment` and `code` columns".into(),
            None,
        ));
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(layout.delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(&cells)
        .map_err(|e| file_err(shown, e.to_string(), None))?;
    let mut s = String::from_utf8(w.into_inner().expect("in memory")).expect("utf-8 in, utf-8 out");
    s.pop();
    s.push_str(layout.newline);
    encode(&s, layout.encoding, shown)
}

/// The error for a passage on a file whose header lacks the passage
/// columns, with the header line to write instead.
fn no_passage_columns(layout: &Layout, shown: &Path) -> CodingError {
    // Decision (docs/DECISIONS.md): spor never rewrites a coder's file,
    // so it does not widen an old header itself; the coder adds the
    // three column names (rows already there stay valid).
    let first = layout.headers.join(&(layout.delimiter as char).to_string());
    let missing: Vec<&str> = PASSAGE_COLUMNS
        .iter()
        .copied()
        .filter(|c| layout.column(c).is_none())
        .collect();
    let sep = (layout.delimiter as char).to_string();
    file_err(
        shown,
        format!(
            "the file's header has no `{}` column, so a passage cannot be recorded (spor does not rewrite a coder's file)",
            missing.join("`, `")
        ),
        Some(&format!(
            "edit line 1 from `{first}` to `{first}{sep}{}`; the rows already there stay valid (they are about whole turns)",
            missing.join(&sep)
        )),
    )
}

fn encode(s: &str, encoding: &str, shown: &Path) -> Result<Vec<u8>> {
    Ok(match encoding {
        "UTF-8" => s.as_bytes().to_vec(),
        "UTF-16LE" => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        "UTF-16BE" => s.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        "windows-1252" => {
            let (b, _, bad) = encoding_rs::WINDOWS_1252.encode(s);
            if bad {
                return Err(file_err(
                    shown,
                    "the new row has characters Windows-1252 cannot hold".into(),
                    Some("save the file as UTF-8"),
                ));
            }
            b.into_owned()
        }
        other => {
            return Err(file_err(
                shown,
                format!("spor appends to UTF-8, UTF-16 or Windows-1252 files, not {other}"),
                Some("save the file as UTF-8"),
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coders::file::parse;

    fn entry(passage: Option<Passage>) -> Entry {
        Entry {
            segment: "int-13#6".into(),
            code: "context".into(),
            status: RowStatus::Accepted,
            memo: String::new(),
            anchor: "8271670a2af5303b".into(),
            passage,
        }
    }

    fn passage() -> Passage {
        Passage {
            start: 95,
            end: 114,
            quote: "fortalte os om den, \"på\"\nmødet".into(),
        }
    }

    #[test]
    fn a_new_file_gets_the_passage_header_and_the_row_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("codings/R9.csv");
        let shown = Path::new("codings/R9.csv");
        append_to(&path, shown, &entry(Some(passage()))).unwrap();
        append_to(&path, shown, &entry(None)).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("segment,code,status,memo,anchor,start,end,quote\n"));
        let r = parse(&bytes, shown);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(r.rows[0].passage, Some(passage()));
        assert_eq!(r.rows[1].passage, None);
    }

    #[test]
    fn a_passage_into_an_old_header_is_refused_with_the_edit_to_make() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("R1.csv");
        let shown = Path::new("codings/R1.csv");
        let old = "segment;code;status;memo;anchor\nint-13#6;context;accepted;;8271670a2af5303b\n";
        std::fs::write(&path, old).unwrap();
        let e = append_to(&path, shown, &entry(Some(passage()))).unwrap_err();
        assert!(
            e.to_string().contains("no `start`, `end`, `quote` column"),
            "{e}"
        );
        assert_eq!(
            e.hint(),
            Some(
                "edit line 1 from `segment;code;status;memo;anchor` to `segment;code;status;memo;anchor;start;end;quote`; the rows already there stay valid (they are about whole turns)"
            )
        );
        // nothing was written
        assert_eq!(std::fs::read_to_string(&path).unwrap(), old);
        // a whole-turn row still appends to the old file
        append_to(&path, shown, &entry(None)).unwrap();
        // and after the edit the file takes passages, every row counting
        let edited = std::fs::read_to_string(&path).unwrap().replacen(
            "anchor\n",
            "anchor;start;end;quote\n",
            1,
        );
        std::fs::write(&path, edited).unwrap();
        append_to(&path, shown, &entry(Some(passage()))).unwrap();
        let r = parse(&std::fs::read(&path).unwrap(), shown);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(r.rows.len(), 3);
        assert_eq!(r.rows[2].passage, Some(passage()));
    }
}
