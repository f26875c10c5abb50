//! CSV sheets as Danish researchers write them: UTF-8 with or without BOM (or
//! Windows-1252 from Excel), `,` or `;` (or tab) as delimiter, `#` comment
//! lines, and typed attribute columns.

use crate::decode::decode;
use crate::{CorpusError, Location, Result};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// A typed attribute value from an extra column of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    /// An empty cell.
    Null,
    /// A whole number (every non-empty cell of the column is one).
    Integer(i64),
    /// A decimal number (`1.5` or, as Danish Excel writes it, `1,5`).
    Number(f64),
    /// Anything else.
    Text(String),
}

impl AttrValue {
    /// The value as a grouping key (`""` for an empty cell).
    pub fn key(&self) -> String {
        self.to_string()
    }

    /// Whether the cell was empty.
    pub fn is_null(&self) -> bool {
        matches!(self, AttrValue::Null)
    }
}

impl fmt::Display for AttrValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttrValue::Null => Ok(()),
            AttrValue::Integer(i) => write!(f, "{i}"),
            AttrValue::Number(x) => write!(f, "{x}"),
            AttrValue::Text(s) => f.write_str(s),
        }
    }
}

impl Serialize for AttrValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AttrValue::Null => s.serialize_none(),
            AttrValue::Integer(i) => s.serialize_i64(*i),
            AttrValue::Number(x) => s.serialize_f64(*x),
            AttrValue::Text(t) => s.serialize_str(t),
        }
    }
}

/// Attributes by column name, in a stable order.
pub type Attributes = BTreeMap<String, AttrValue>;

/// One data row of a sheet, with its 1-based line in the file.
#[derive(Debug, Clone)]
pub struct Row {
    /// Line where the record starts.
    pub line: usize,
    /// The cells, trimmed, as many as there are headers.
    pub cells: Vec<String>,
}

/// A CSV sheet read and checked for shape.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Header names, trimmed.
    pub headers: Vec<String>,
    /// Data rows.
    pub rows: Vec<Row>,
    /// The delimiter that was detected.
    pub delimiter: u8,
    /// The encoding the file was read in.
    pub encoding: &'static str,
}

/// Line numbers of CSV records. csv's own line counter skips blank lines,
/// so lines are counted from byte offsets; a record's position may point
/// at blank or comment lines before it, which are skipped.
struct RecordLines<'t> {
    text: &'t str,
    /// Byte offsets of the line breaks.
    breaks: Vec<usize>,
}

impl<'t> RecordLines<'t> {
    fn new(text: &'t str) -> Self {
        let breaks = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i)
            .collect();
        RecordLines { text, breaks }
    }

    /// The 1-based line of the record at `byte`.
    fn line_of(&self, byte: u64) -> usize {
        let mut pos = byte as usize;
        let bytes = self.text.as_bytes();
        loop {
            match bytes.get(pos) {
                Some(b'\n' | b'\r') => pos += 1,
                Some(b'#') => match self.text[pos..].find('\n') {
                    Some(n) => pos += n + 1,
                    None => break,
                },
                _ => break,
            }
        }
        self.breaks.partition_point(|&b| b < pos) + 1
    }
}

/// A data row, as wide as the header: Excel pads rows with empty cells, so
/// only a real difference in width is an error.
fn data_row(h: &[String], mut cells: Vec<String>, shown: &Path, line: usize) -> Result<Row> {
    if cells.len() != h.len() {
        let extra_empty = cells.len() > h.len() && cells[h.len()..].iter().all(|c| c.is_empty());
        if !extra_empty {
            return Err(CorpusError::invalid_hint(
                Location::line(shown, line),
                format!(
                    "row has {} fields but the header has {}",
                    cells.len(),
                    h.len()
                ),
                "a value containing the delimiter must be in double quotes",
            ));
        }
    }
    cells.truncate(h.len());
    Ok(Row { line, cells })
}

impl Sheet {
    /// Read a sheet. `shown` is the path used in messages.
    pub fn read(path: &Path, shown: &Path) -> Result<Sheet> {
        let bytes =
            crate::input::read_limited(path, crate::input::MAX_SHEET_BYTES).map_err(|source| {
                CorpusError::Io {
                    location: Location::file(shown),
                    source,
                }
            })?;
        let decoded = decode(&bytes, shown)?;
        Self::parse(&decoded.text, shown).map(|mut s| {
            s.encoding = decoded.encoding;
            s
        })
    }

    /// Parse sheet text (already decoded). `shown` is the path used in messages.
    pub fn parse(text: &str, shown: &Path) -> Result<Sheet> {
        let delimiter = detect_delimiter(text);
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let mut headers: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        let mut record = csv::StringRecord::new();
        let lines = RecordLines::new(text);
        let line_of = |byte: u64| lines.line_of(byte);
        loop {
            match rdr.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map(|p| line_of(p.byte())).unwrap_or(1);
                    return Err(CorpusError::invalid(
                        Location::line(shown, line),
                        format!("malformed CSV: {e}"),
                    ));
                }
            }
            let line = record.position().map(|p| line_of(p.byte())).unwrap_or(1);
            let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
            match &headers {
                None => {
                    check_unique_headers(&cells, shown, line)?;
                    headers = Some(cells)
                }
                Some(h) => {
                    if cells.iter().all(|c| c.is_empty()) {
                        continue; // blank row, as Excel leaves them
                    }
                    rows.push(data_row(h, cells, shown, line)?);
                }
            }
        }
        let headers = headers.ok_or_else(|| {
            CorpusError::invalid(
                Location::line(shown, 1),
                "the sheet is empty (no header row)",
            )
        })?;
        Ok(Sheet {
            headers,
            rows,
            delimiter,
            encoding: "UTF-8",
        })
    }

    /// Index of a column by name (case-insensitive), if present.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    /// Check that the required columns exist, naming the missing ones.
    pub fn require(&self, shown: &Path, required: &[&str]) -> Result<Vec<usize>> {
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|r| self.column(r).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(CorpusError::invalid_hint(
                Location::line(shown, 1),
                format!("missing column(s): {}", missing.join(", ")),
                format!("the header must start with: {}", required.join(",")),
            ));
        }
        Ok(required.iter().map(|r| self.column(r).unwrap()).collect())
    }

    /// The extra columns (not in `pinned`), each typed by its values: integer
    /// when every non-empty cell is a whole number, number when every cell is
    /// a number (decimal point or comma), text otherwise. Returns, per row,
    /// the attributes.
    pub fn typed_extras(&self, pinned: &[&str]) -> Vec<Attributes> {
        let extras: Vec<usize> = (0..self.headers.len())
            .filter(|&i| {
                !pinned
                    .iter()
                    .any(|p| self.headers[i].eq_ignore_ascii_case(p))
                    && !self.headers[i].is_empty()
            })
            .collect();
        let mut out = vec![Attributes::new(); self.rows.len()];
        for &col in &extras {
            let cells = self.rows.iter().map(|r| r.cells[col].as_str());
            let ints = cells
                .clone()
                .all(|c| c.is_empty() || c.parse::<i64>().is_ok());
            let nums = cells
                .clone()
                .all(|c| c.is_empty() || parse_number(c).is_some());
            let name = self.headers[col].clone();
            for (row, attrs) in self.rows.iter().zip(out.iter_mut()) {
                let c = &row.cells[col];
                let v = if c.is_empty() {
                    AttrValue::Null
                } else if ints {
                    AttrValue::Integer(c.parse().unwrap())
                } else if nums {
                    AttrValue::Number(parse_number(c).unwrap())
                } else {
                    AttrValue::Text(c.clone())
                };
                attrs.insert(name.clone(), v);
            }
        }
        out
    }
}

/// Parse a decimal number written with a point or (Danish) comma.
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() || t.contains(['.', ',']) && t.matches(['.', ',']).count() > 1 {
        return None;
    }
    t.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

/// Detect the delimiter from the first non-comment line: the most frequent of
/// `;`, `,` and tab outside double quotes (`,` when none occurs).
pub fn detect_delimiter(text: &str) -> u8 {
    let first = text
        .lines()
        .find(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    if counts[0] > counts[1] && counts[0] >= counts[2] {
        b';'
    } else if counts[2] > counts[1] && counts[2] > counts[0] {
        b'\t'
    } else {
        b','
    }
}

/// Header names must be unique (compared as columns are looked up:
/// case-insensitively, and without the `private:` prefix), or one column
/// would silently hide the other. Empty names (Excel's padding) may repeat.
fn check_unique_headers(headers: &[String], shown: &Path, line: usize) -> Result<()> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let bare = h
            .strip_prefix(crate::study::PRIVATE_PREFIX)
            .unwrap_or(h)
            .trim()
            .to_lowercase();
        if bare.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(bare, i + 1) {
            return Err(CorpusError::invalid_hint(
                Location::line(shown, line),
                format!(
                    "column {} {h:?} repeats column {first} of the header",
                    i + 1
                ),
                "give every column its own name",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Sheet> {
        Sheet::parse(s, Path::new("s.csv"))
    }

    #[test]
    fn semicolon_and_comma() {
        assert_eq!(p("a;b\n1;2\n").unwrap().delimiter, b';');
        assert_eq!(p("a,b\n1,2\n").unwrap().delimiter, b',');
        assert_eq!(p("a\tb\n1\t2\n").unwrap().delimiter, b'\t');
        assert_eq!(p("\"x;y\",b,c\n").unwrap().delimiter, b',');
    }

    #[test]
    fn ragged_row_names_line() {
        let e = p("a,b,c\n1,2,3\n4,5\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.csv:3: row has 2 fields but the header has 3"
        );
    }

    #[test]
    fn duplicate_header_names_file_line_and_column() {
        let e = p("# note\ndocument,file,Sector,sector\n1,2,3,4\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.csv:2: column 4 \"sector\" repeats column 3 of the header"
        );
        let e = p("a,private:b,b\n1,2,3\n").unwrap_err();
        assert!(
            e.to_string().contains("column 3 \"b\" repeats column 2"),
            "{e}"
        );
        // Excel's empty padding columns may repeat
        assert!(p("a,b,,\n1,2,,\n").is_ok());
    }

    #[test]
    fn comments_and_blank_rows_skipped() {
        let s = p("# note\na;b\n# other\n1;2\n;\n\n3;4\n").unwrap();
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[1].line, 7);
    }

    #[test]
    fn excel_padding_is_tolerated() {
        let s = p("a;b\n1;2;;\n").unwrap();
        assert_eq!(s.rows[0].cells, vec!["1", "2"]);
    }

    #[test]
    fn typed_columns() {
        let s = p("id;years;score;note\nx;3;1,5;hej\ny;;2;12\n").unwrap();
        let t = s.typed_extras(&["id"]);
        assert_eq!(t[0]["years"], AttrValue::Integer(3));
        assert_eq!(t[1]["years"], AttrValue::Null);
        assert_eq!(t[0]["score"], AttrValue::Number(1.5));
        assert_eq!(t[1]["note"], AttrValue::Text("12".into()));
    }

    #[test]
    fn missing_columns_named() {
        let s = p("document,file\n").unwrap();
        let e = s
            .require(Path::new("s.csv"), &["document", "file", "kind"])
            .unwrap_err();
        assert!(e.to_string().contains("missing column(s): kind"));
    }
}
