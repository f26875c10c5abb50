//! Human coders' files, `codings/<coder>.csv` (DESIGN.md §5): reading them
//! (a bad row is reported with its line and the rest still counts) and
//! appending a decision (the only change spor ever makes to such a file).

use crate::{CodingError, Result};
use spor_codebook::CodebookSet;
use spor_corpus::sheet::Sheet;
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

/// What the coders' files hold.
#[derive(Debug, Clone, Default)]
pub struct CoderFiles {
    /// Each coder's current decisions.
    pub codings: Vec<HumanCoding>,
    /// Problems found, with file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Rows that point at a segment that does not exist: `(file:line, segment)`.
    pub dangling: Vec<(String, String)>,
}

/// Read every coder's file. Rows naming an unknown segment or code, or an
/// unknown status, are reported as warnings with their line and skipped;
/// a file that cannot be read at all is an error diagnostic.
pub fn read_all(study: &Study, corpus: &Corpus, books: &CodebookSet) -> CoderFiles {
    let mut all = Vec::new();
    let mut diags = Vec::new();
    let mut dangling = Vec::new();
    for coder in coder_names(study) {
        let shown = PathBuf::from("codings").join(format!("{coder}.csv"));
        if !valid_coder(&coder) {
            diags.push(
                Diagnostic::warning(
                    Location::file(&shown),
                    format!("{coder:?} is not a usable coder name; file ignored"),
                )
                .with_hint(
                    "coder names use A-Z, a-z, 0-9, '.', '_' and '-', and `rules` is reserved",
                ),
            );
            continue;
        }
        match read_one(study, corpus, books, &coder, &shown, &mut dangling) {
            Ok((rows, d)) => {
                all.extend(rows);
                diags.extend(d);
            }
            Err(e) => diags.push(e.to_diagnostic()),
        }
    }
    CoderFiles {
        codings: all,
        diagnostics: diags,
        dangling,
    }
}

fn read_one(
    study: &Study,
    corpus: &Corpus,
    books: &CodebookSet,
    coder: &str,
    shown: &Path,
    dangling: &mut Vec<(String, String)>,
) -> spor_corpus::Result<(Vec<HumanCoding>, Vec<Diagnostic>)> {
    let sheet = Sheet::read(&study.root.join(shown), shown)?;
    let cols = sheet.require(shown, &["segment", "code"])?;
    let status_col = sheet.column("status");
    let memo_col = sheet.column("memo");
    let mut latest: BTreeMap<(String, String), HumanCoding> = BTreeMap::new();
    let mut diags = Vec::new();
    for row in &sheet.rows {
        let loc = Location::line(shown, row.line);
        let segment = row.cells[cols[0]].clone();
        let code = row.cells[cols[1]].clone();
        let status = status_col
            .map(|c| row.cells[c].to_lowercase())
            .unwrap_or_default();
        let decision = match status.as_str() {
            "" | "accepted" => Decision::Accepted,
            "rejected" => Decision::Rejected,
            other => {
                diags.push(
                    Diagnostic::warning(loc, format!("unknown status {other:?}; row ignored"))
                        .with_hint("status is accepted (or empty) or rejected"),
                );
                continue;
            }
        };
        if corpus.segment(&segment).is_none() {
            dangling.push((loc.to_string(), segment.clone()));
            diags.push(
                Diagnostic::warning(loc, format!("unknown segment {segment:?}; row ignored"))
                    .with_hint("segment ids are <document>#<turn>; see `spor export segments`"),
            );
            continue;
        }
        if books.code(&code).is_none() {
            diags.push(
                Diagnostic::warning(loc, format!("unknown code {code:?}; row ignored"))
                    .with_hint("codes are the ids in the study's codebooks"),
            );
            continue;
        }
        let memo = memo_col.map(|c| row.cells[c].clone()).unwrap_or_default();
        latest.insert(
            (segment.clone(), code.clone()),
            HumanCoding {
                coder: coder.to_owned(),
                segment,
                code,
                decision,
                memo,
                line: row.line,
            },
        );
    }
    Ok((latest.into_values().collect(), diags))
}

/// Append one decision to `codings/<coder>.csv`, creating the file with a
/// header if needed. The existing bytes are kept exactly (same delimiter,
/// encoding and line endings for the new row), and the file is replaced
/// atomically.
pub fn append(
    study: &Study,
    coder: &str,
    segment: &str,
    code: &str,
    decision: Decision,
    memo: &str,
) -> Result<()> {
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
    let path = study.root.join(&shown);
    let file_err = |message: String, hint: Option<&str>| CodingError::File {
        path: shown.clone(),
        message,
        hint: hint.map(str::to_owned),
    };
    let existing = match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(file_err(format!("cannot read: {e}"), None)),
    };
    let bytes = match existing {
        None => format!(
            "segment,code,status,memo\n{}\n",
            record(b',', &[segment, code, decision.as_str(), memo])
        )
        .into_bytes(),
        Some(old) => {
            let decoded = spor_corpus::decode::decode(&old, &shown)
                .map_err(|e| file_err(e.to_string(), None))?;
            let sheet =
                Sheet::parse(&decoded.text, &shown).map_err(|e| file_err(e.to_string(), None))?;
            let delim = sheet.delimiter;
            let mut cells: Vec<&str> = vec![""; sheet.headers.len()];
            for (name, value) in [
                ("segment", segment),
                ("code", code),
                ("status", decision.as_str()),
                ("memo", memo),
            ] {
                match sheet.column(name) {
                    Some(i) => cells[i] = value,
                    None if value.is_empty()
                        || (name == "status" && decision == Decision::Accepted) => {}
                    None => {
                        return Err(file_err(
                            format!(
                                "the file has no `{name}` column, so this decision cannot be recorded"
                            ),
                            Some("add the column to the header row (segment,code,status,memo)"),
                        ));
                    }
                }
            }
            if sheet.column("segment").is_none() || sheet.column("code").is_none() {
                return Err(file_err(
                    "the file has no `segment` and `code` columns".into(),
                    None,
                ));
            }
            let nl = if decoded.line_ending == spor_corpus::decode::LineEnding::Crlf {
                "\r\n"
            } else {
                "\n"
            };
            let mut add = String::new();
            if !decoded.text.is_empty() && !decoded.text.ends_with('\n') {
                add.push_str(nl);
            }
            add.push_str(&record(delim, &cells));
            add.push_str(nl);
            let encoded: Vec<u8> = match decoded.encoding {
                "UTF-8" => add.into_bytes(),
                "windows-1252" => {
                    let (b, _, bad) = encoding_rs::WINDOWS_1252.encode(&add);
                    if bad {
                        return Err(file_err(
                            "the new row has characters Windows-1252 cannot hold".into(),
                            Some("save the file as UTF-8"),
                        ));
                    }
                    b.into_owned()
                }
                other => {
                    return Err(file_err(
                        format!("spor appends only to UTF-8 or Windows-1252 files, not {other}"),
                        Some("save the file as UTF-8"),
                    ));
                }
            };
            let mut all = old;
            all.extend_from_slice(&encoded);
            all
        }
    };
    spor_corpus::fsutil::write_atomic(&path, &bytes).map_err(|e| file_err(e.to_string(), None))
}

fn record(delim: u8, cells: &[&str]) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delim)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(cells).expect("writing to memory");
    let mut s = String::from_utf8(w.into_inner().expect("flush to memory")).expect("utf-8");
    s.pop();
    s
}
