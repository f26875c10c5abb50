//! Reading one coder's file row by row: a bad row is an error naming its
//! line, and every other row still counts.

use crate::passage::Passage;
use spor_corpus::{Diagnostic, Location};
use std::path::Path;

/// What a row of a coder's file records (its `status` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowStatus {
    /// The coder applies the code (`accepted`, or empty).
    Accepted,
    /// The coder rejects the code (`rejected`).
    Rejected,
    /// Only a memo: on a coding (segment and code), a document (segment is a
    /// document id, code empty) or a code (segment empty).
    Memo,
    /// The coder has coded the document (segment is a document id) fully,
    /// or for one code (code given).
    Done,
    /// The coder takes back their decision on a segment and code (an undo:
    /// the suggestion is unreviewed again, a coding of their own gone).
    Withdrawn,
}

impl RowStatus {
    /// As written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Accepted => "accepted",
            RowStatus::Rejected => "rejected",
            RowStatus::Memo => "memo",
            RowStatus::Done => "done",
            RowStatus::Withdrawn => "withdrawn",
        }
    }

    fn parse(s: &str) -> Option<RowStatus> {
        Some(match s.to_lowercase().as_str() {
            "" | "accepted" => RowStatus::Accepted,
            "rejected" => RowStatus::Rejected,
            "memo" => RowStatus::Memo,
            "done" => RowStatus::Done,
            "withdrawn" => RowStatus::Withdrawn,
            _ => return None,
        })
    }
}

/// One well-formed row of a coder's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// 1-based line where the row starts.
    pub line: usize,
    /// `segment` cell.
    pub segment: String,
    /// `code` cell.
    pub code: String,
    /// `status` cell.
    pub status: RowStatus,
    /// `memo` cell (may hold line breaks).
    pub memo: String,
    /// `anchor` cell, when present and non-empty.
    pub anchor: Option<String>,
    /// The passage of the turn (`start`, `end`, `quote` cells), or `None`
    /// for the whole turn. Its form is checked here; whether it fits the
    /// turn's text is checked when the row is placed on its turn.
    pub passage: Option<Passage>,
}

/// The rows of a coder's file and the problems found in it.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Well-formed rows, in file order.
    pub rows: Vec<RawRow>,
    /// One error per bad row (and per file-level problem).
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse a coder's file from its bytes. `shown` names it in messages.
pub fn parse(bytes: &[u8], shown: &Path) -> Parsed {
    let mut out = Parsed::default();
    let decoded = match spor_corpus::decode::decode(bytes, shown) {
        Ok(d) => d,
        Err(e) => {
            out.diagnostics
                .push(e.to_diagnostic().with_hint(
                    "save the coder's file as UTF-8; none of its rows count until then",
                ));
            return out;
        }
    };
    let text = decoded.text.as_str();
    let delimiter = spor_corpus::sheet::detect_delimiter(text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let breaks: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_of = |byte: u64| breaks.partition_point(|&b| b < byte as usize) + 1;
    let mut header: Option<Columns> = None;
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| line_of(p.byte())).unwrap_or(1);
                out.diagnostics.push(
                    Diagnostic::error(
                        Location::line(shown, line),
                        format!("malformed CSV ({e}); the rows from here on do not count"),
                    )
                    .with_hint("a value holding the delimiter, a quote or a line break must be in double quotes"),
                );
                break;
            }
        }
        let line = record.position().map(|p| line_of(p.byte())).unwrap_or(1);
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        let Some(cols) = &header else {
            match Columns::from_header(&cells) {
                Some(c) => header = Some(c),
                None => {
                    out.diagnostics.push(
                        Diagnostic::error(
                            Location::line(shown, line),
                            "the header has no `segment` and `code` columns; no row of this file counts",
                        )
                        .with_hint("the first row must be: segment,code,status,memo"),
                    );
                    return out;
                }
            }
            continue;
        };
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        match read_row(cols, &record, &cells, shown, line, delimiter) {
            Ok(row) => out.rows.push(row),
            Err(d) => out.diagnostics.push(*d),
        }
    }
    unclosed_quote(text, shown, &mut out);
    if header.is_none() {
        out.diagnostics.push(Diagnostic::error(
            Location::line(shown, 1),
            "the file is empty (no header row)",
        ));
    }
    out
}

/// A quote that is never closed makes the CSV reader take every line
/// after it as one field: the rows there would vanish into a memo. The last
/// row goes when it swallowed lines, and an error names where.
fn unclosed_quote(text: &str, shown: &Path, out: &mut Parsed) {
    if text.matches('"').count() % 2 == 1 {
        let line = out.rows.last().map(|r| r.line).unwrap_or(1);
        if out.rows.last().is_some_and(|r| r.memo.contains('\n')) {
            out.rows.pop();
        }
        out.diagnostics.push(
            Diagnostic::error(
                Location::line(shown, line),
                "a double quote opened on this row is never closed, so every line after it was read as one field; this row and those lines do not count",
            )
            .with_hint("close the quote (a quote inside a quoted value is written twice: \"\")"),
        );
    }
}

/// One data row (not blank) as a row that counts, or the error that keeps
/// it from counting.
fn read_row(
    cols: &Columns,
    record: &csv::StringRecord,
    cells: &[&str],
    shown: &Path,
    line: usize,
    delimiter: u8,
) -> Result<RawRow, Box<Diagnostic>> {
    let loc = Location::line(shown, line);
    check_width(cols, cells, &loc, delimiter)?;
    let cell = |i: Option<usize>| i.and_then(|i| cells.get(i).copied()).unwrap_or("");
    let raw_status = cell(cols.status);
    let Some(status) = RowStatus::parse(raw_status) else {
        return Err(Box::new(
            Diagnostic::error(
                loc,
                format!("unknown status {raw_status:?}; this row does not count"),
            )
            .with_hint("status is accepted (or empty), rejected, withdrawn, memo or done"),
        ));
    };
    let segment = cell(Some(cols.segment)).to_owned();
    let code = cell(Some(cols.code)).to_owned();
    let ok = match status {
        RowStatus::Accepted | RowStatus::Rejected | RowStatus::Withdrawn => {
            !segment.is_empty() && !code.is_empty()
        }
        RowStatus::Memo => !(segment.is_empty() && code.is_empty()),
        RowStatus::Done => !segment.is_empty(),
    };
    if !ok {
        return Err(Box::new(Diagnostic::error(
            loc,
            format!(
                "a {} row needs {}; this row does not count",
                status.as_str(),
                match status {
                    RowStatus::Memo => "a segment, a document or a code",
                    RowStatus::Done => "a document",
                    _ => "a segment and a code",
                }
            ),
        )));
    }
    // the memo keeps its inner line breaks, not its outer blanks
    let memo = cols
        .memo
        .map(|i| record.get(i).unwrap_or("").trim().to_owned())
        .unwrap_or_default();
    let anchor = Some(cell(cols.anchor).to_owned()).filter(|a| !a.is_empty());
    let passage = read_passage(cols, record, cells, &loc, status, &segment, &code)?;
    Ok(RawRow {
        line,
        segment,
        code,
        status,
        memo,
        anchor,
        passage,
    })
}

/// A row must have the cells up to the passage columns (which it may leave
/// out: rows written before `start,end,quote` were added to the header
/// still count) and nothing non-empty past the header's width.
fn check_width(
    cols: &Columns,
    cells: &[&str],
    loc: &Location,
    delimiter: u8,
) -> Result<(), Box<Diagnostic>> {
    if cells.len() >= cols.min_width
        && (cells.len() <= cols.width || cells[cols.width..].iter().all(|c| c.is_empty()))
    {
        return Ok(());
    }
    let sep = if delimiter == b',' { ';' } else { ',' };
    let hint = if cells.len() == 1 && cells[0].contains(sep) {
        format!(
            "the row is separated by {sep:?} but the file by {:?}",
            delimiter as char
        )
    } else {
        "a value holding the delimiter must be in double quotes".to_owned()
    };
    Err(Box::new(
        Diagnostic::error(
            loc.clone(),
            format!(
                "row has {} field(s) but the header has {}; this row does not count",
                cells.len(),
                cols.width
            ),
        )
        .with_hint(hint),
    ))
}

/// The row's passage (`start`, `end`, `quote`), checked for form and for
/// a row that may have one: an accepted, withdrawn or memo row on a
/// segment and code.
fn read_passage(
    cols: &Columns,
    record: &csv::StringRecord,
    cells: &[&str],
    loc: &Location,
    status: RowStatus,
    segment: &str,
    code: &str,
) -> Result<Option<Passage>, Box<Diagnostic>> {
    let cell = |i: Option<usize>| i.and_then(|i| cells.get(i).copied()).unwrap_or("");
    // the quote keeps its inner line breaks
    let quote = cols.quote.and_then(|i| record.get(i)).unwrap_or("");
    let passage = Passage::from_cells(cell(cols.start), cell(cols.end), quote).map_err(|e| {
        Box::new(
            Diagnostic::error(loc.clone(), format!("{e}; this row does not count")).with_hint(
                "start and end are character offsets into the turn's text (end exclusive) and quote is the text between them; leave all three empty for the whole turn",
            ),
        )
    })?;
    let passage_fits_row = matches!(
        status,
        RowStatus::Accepted | RowStatus::Withdrawn | RowStatus::Memo
    ) && !code.is_empty()
        && segment.contains('#');
    if passage.is_some() && !passage_fits_row {
        return Err(Box::new(
            Diagnostic::error(
                loc.clone(),
                format!(
                    "a {} row{} cannot name a passage; this row does not count",
                    status.as_str(),
                    if status == RowStatus::Memo { " on a document or code" } else { "" }
                ),
            )
            .with_hint(
                "passages belong to accepted codings (and their memos and withdrawals); a rejection is about the whole turn",
            ),
        ));
    }
    Ok(passage)
}

struct Columns {
    width: usize,
    /// The cells a row must have: up to the last column before the
    /// passage columns.
    min_width: usize,
    segment: usize,
    code: usize,
    status: Option<usize>,
    memo: Option<usize>,
    anchor: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    quote: Option<usize>,
}

/// The passage columns: a row may leave them out (the whole turn).
pub const PASSAGE_COLUMNS: [&str; 3] = ["start", "end", "quote"];

impl Columns {
    fn from_header(cells: &[&str]) -> Option<Columns> {
        let find = |name: &str| cells.iter().position(|c| c.eq_ignore_ascii_case(name));
        let is_passage = |c: &&str| PASSAGE_COLUMNS.iter().any(|p| c.eq_ignore_ascii_case(p));
        // trailing passage columns may be missing from a row
        let min_width = cells.len() - cells.iter().rev().take_while(|c| is_passage(c)).count();
        Some(Columns {
            width: cells.len(),
            min_width,
            segment: find("segment")?,
            code: find("code")?,
            status: find("status"),
            memo: find("memo"),
            anchor: find("anchor"),
            start: find("start"),
            end: find("end"),
            quote: find("quote"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Parsed {
        parse(s.as_bytes(), Path::new("codings/R.csv"))
    }

    #[test]
    fn a_bad_row_is_an_error_and_the_others_count() {
        let r = p("segment,code,status,memo\n\
                   a#1,x,accepted,\n\
                   a#2;x;accepted;\n\
                   a#3,x\n\
                   a#4,x,maybe,\n\
                   a#5,y,rejected,\"two\nlines\"\n");
        let segs: Vec<&str> = r.rows.iter().map(|x| x.segment.as_str()).collect();
        assert_eq!(segs, ["a#1", "a#5"]);
        assert_eq!(r.rows[1].memo, "two\nlines");
        let lines: Vec<String> = r.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].contains("codings/R.csv:3"), "{}", lines[0]);
        assert!(
            r.diagnostics[0]
                .hint
                .as_deref()
                .unwrap_or("")
                .contains("';'")
        );
        assert!(lines[1].contains("codings/R.csv:4"));
        assert!(lines[2].contains("codings/R.csv:5") && lines[2].contains("maybe"));
    }

    #[test]
    fn an_unclosed_quote_is_an_error_not_a_memo_that_swallows_rows() {
        let r = p(
            "segment,code,status,memo\na#1,x,accepted,\na#2,x,accepted,\"oops\na#3,y,accepted,\na#4,z,accepted,\n",
        );
        let segs: Vec<&str> = r.rows.iter().map(|x| x.segment.as_str()).collect();
        assert_eq!(segs, ["a#1"]);
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].location.line, Some(3));
        assert!(r.diagnostics[0].message.contains("never closed"));
        // a quoted memo with a line break and a quote in it is fine
        let r = p("segment,code,status,memo\na#1,x,accepted,\"to\nlinjer med \"\"citat\"\"\"\n");
        assert_eq!(r.rows.len(), 1);
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn memo_and_done_rows() {
        let r = p("segment;code;status;memo;anchor\n\
                   int-01;;done;;\n\
                   int-01;;memo;Godt interview;\n\
                   ;technofix;memo;Skarp kode;\n\
                   int-01#3;technofix;accepted;;0123456789abcdef\n\
                   ;;memo;nothing;\n");
        assert_eq!(r.rows.len(), 4);
        assert_eq!(r.rows[0].status, RowStatus::Done);
        assert_eq!(r.rows[3].anchor.as_deref(), Some("0123456789abcdef"));
        assert_eq!(r.diagnostics.len(), 1);
    }

    #[test]
    fn passage_columns_are_found_by_name_and_may_be_left_out() {
        let r = p("quote,segment,code,status,memo,anchor,start,end\n\
                   \"skærm på\nstuen\",a#1,x,accepted,,,10,25\n\
                   ,a#2,x,accepted,,,,\n");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let pass = r.rows[0].passage.as_ref().expect("a passage");
        assert_eq!((pass.start, pass.end), (10, 25));
        assert_eq!(pass.quote, "skærm på\nstuen");
        assert_eq!(r.rows[1].passage, None);
        // a file with the 8-column header: rows written before the passage
        // columns were added (5 fields) still count, as whole turns
        let r = p("segment,code,status,memo,anchor,start,end,quote\n\
                   a#1,x,accepted,,abc\n\
                   a#2,x,accepted,,abc,0,3,Jo!\n\
                   a#3,x\n");
        assert_eq!(r.rows.len(), 2, "{:?}", r.diagnostics);
        assert_eq!(r.rows[0].passage, None);
        assert_eq!(r.rows[1].passage.as_ref().unwrap().quote, "Jo!");
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].location.line, Some(4));
    }

    #[test]
    fn a_bad_passage_is_an_error_at_its_line_and_the_others_count() {
        let r = p("segment,code,status,memo,anchor,start,end,quote\n\
                   a#1,x,accepted,,,4,x,ord\n\
                   a#2,x,accepted,,,9,3,ord\n\
                   a#3,x,accepted,,,3,,ord\n\
                   a#4,x,rejected,,,0,3,ord\n\
                   a,,done,,,0,3,ord\n\
                   a#5,x,accepted,,,0,3,ord\n");
        let segs: Vec<&str> = r.rows.iter().map(|x| x.segment.as_str()).collect();
        assert_eq!(segs, ["a#5"]);
        let msgs: Vec<(Option<usize>, &str)> = r
            .diagnostics
            .iter()
            .map(|d| (d.location.line, d.message.as_str()))
            .collect();
        assert_eq!(msgs.len(), 5, "{msgs:?}");
        assert!(msgs[0].0 == Some(2) && msgs[0].1.contains("\"x\" is not a whole number"));
        assert!(msgs[1].0 == Some(3) && msgs[1].1.contains("start 9 is not before its end 3"));
        assert!(msgs[2].0 == Some(4) && msgs[2].1.contains("`end` is empty"));
        assert!(msgs[3].0 == Some(5) && msgs[3].1.contains("rejected row cannot name a passage"));
        assert!(msgs[4].0 == Some(6) && msgs[4].1.contains("done row cannot name a passage"));
        assert!(
            r.diagnostics
                .iter()
                .all(|d| d.to_string().contains("codings/R.csv:"))
        );
    }

    #[test]
    fn utf16_file_reads() {
        let text = "segment,code\r\nint-01#1,x\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let r = parse(&bytes, Path::new("c.csv"));
        assert_eq!(r.rows.len(), 1, "{:?}", r.diagnostics);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)))]
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let r = parse(&bytes, Path::new("c.csv"));
            // every row's line is within the file
            let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
            for row in &r.rows {
                prop_assert!(row.line >= 1 && row.line <= lines + 1);
            }
        }

        #[test]
        fn good_rows_survive_bad_neighbours(bad in "[a-z;]{1,12}", n in 1usize..6) {
            let mut s = String::from("segment,code,status,memo\n");
            for i in 0..n {
                s.push_str(&format!("d#{i},c,accepted,\n{bad}\n"));
            }
            let r = p(&s);
            prop_assert_eq!(r.rows.len(), n);
        }
    }
}
