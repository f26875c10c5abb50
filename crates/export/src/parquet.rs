//! Parquet tables for engines beyond spor (DuckDB, DataFusion, Spark,
//! pandas): typed columns written from plain rows, so that this module
//! knows nothing of how segments or codings are held in memory.
//!
//! A [`TableWriter`] takes the columns (name, [`Kind`], whether a value
//! may be absent) and then one row of [`Value`]s at a time. It buffers at
//! most [`ROW_GROUP_ROWS`] rows before writing them as a row group, so its
//! memory does not grow with the table. [`TextTable`] takes text records
//! as spor's CSV writers emit them (`out/codings.csv`'s rows) and types
//! each cell by its column; [`csv_to_parquet`] does the same from a CSV
//! (the sentence export).
//!
//! The bytes are deterministic: the writer is the Parquet crate's, with
//! fixed properties, SNAPPY pages, no timestamps, and a `created_by` that
//! names only the Parquet library and its version.
//!
//! ```
//! use spor_export::parquet::{Column, Kind, TableWriter, Value};
//! let cols = vec![Column::new("code", Kind::Text, false), Column::new("n", Kind::Int64, false)];
//! let mut w = TableWriter::new(Vec::new(), cols).unwrap();
//! w.push(&[Value::text("context"), Value::Int(3)]).unwrap();
//! let bytes = w.finish().unwrap();
//! assert_eq!(&bytes[..4], b"PAR1");
//! ```

use ::parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use ::parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::types::Type;
use std::borrow::Cow;
use std::io::Write;
use std::sync::Arc;

/// Rows per row group: a bounded buffer, large enough for engines to scan
/// efficiently.
pub const ROW_GROUP_ROWS: usize = 65_536;

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number (Parquet `INT64`).
    Int64,
    /// A decimal number (Parquet `DOUBLE`).
    Double,
    /// UTF-8 text (Parquet `BYTE_ARRAY`, logical type `STRING`).
    Text,
}

/// A column: its name, type, and whether a value may be absent (`OPTIONAL`
/// in Parquet, `NULL` in SQL).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column's name, as in the CSV header.
    pub name: String,
    /// Its type.
    pub kind: Kind,
    /// Whether a row may leave it empty.
    pub optional: bool,
}

impl Column {
    /// A column.
    pub fn new(name: impl Into<String>, kind: Kind, optional: bool) -> Column {
        Column {
            name: name.into(),
            kind,
            optional,
        }
    }
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// No value (only in an optional column).
    Null,
    /// A whole number.
    Int(i64),
    /// A decimal number.
    Double(f64),
    /// Text.
    Text(Cow<'a, str>),
}

impl<'a> Value<'a> {
    /// Borrowed text.
    pub fn text(s: &'a str) -> Value<'a> {
        Value::Text(Cow::Borrowed(s))
    }

    /// The value as spor's CSV writes it (`""` for no value).
    pub fn to_csv(&self) -> Cow<'_, str> {
        match self {
            Value::Null => Cow::Borrowed(""),
            Value::Int(i) => Cow::Owned(i.to_string()),
            Value::Double(x) => Cow::Owned(x.to_string()),
            Value::Text(s) => Cow::Borrowed(s.as_ref()),
        }
    }
}

/// Errors of the Parquet writer.
#[derive(Debug, thiserror::Error)]
pub enum ParquetTableError {
    /// The Parquet library failed (or the file could not be written).
    #[error("writing parquet: {0}")]
    Parquet(#[from] ParquetError),
    /// A row does not fit the columns.
    #[error("row {row}, column {column}: {message}")]
    Row {
        /// 1-based data row.
        row: usize,
        /// The column's name.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A cell of a CSV source does not parse as its column's type.
    #[error("line {line}, column {column}: {message}")]
    Cell {
        /// 1-based line of the CSV (the header is line 1).
        line: usize,
        /// The column's name.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A row has another number of values than there are columns.
    #[error("row {row}: {found} values for {expected} columns")]
    Width {
        /// 1-based data row.
        row: usize,
        /// Values in the row.
        found: usize,
        /// Columns of the table.
        expected: usize,
    },
    /// The CSV source could not be read.
    #[error("reading csv: {0}")]
    Csv(#[from] csv::Error),
}

impl From<ParquetTableError> for std::io::Error {
    fn from(e: ParquetTableError) -> std::io::Error {
        match e {
            ParquetTableError::Parquet(ParquetError::External(inner)) => {
                match inner.downcast::<std::io::Error>() {
                    Ok(io) => *io,
                    Err(other) => std::io::Error::other(other),
                }
            }
            other => std::io::Error::other(other),
        }
    }
}

/// The values of one column for the rows of the current row group.
enum Buffer {
    Int(Vec<i64>),
    Double(Vec<f64>),
    Text(Vec<ByteArray>),
}

/// Writes a typed table as Parquet, a row group every [`ROW_GROUP_ROWS`]
/// rows (or the number given to [`TableWriter::with_row_group_rows`]).
pub struct TableWriter<W: Write + Send> {
    file: SerializedFileWriter<W>,
    columns: Vec<Column>,
    values: Vec<Buffer>,
    /// Definition levels of optional columns (1 present, 0 absent).
    defined: Vec<Vec<i16>>,
    buffered: usize,
    rows: usize,
    group_rows: usize,
}

impl<W: Write + Send> TableWriter<W> {
    /// A writer of these columns into `out`.
    pub fn new(out: W, columns: Vec<Column>) -> Result<Self, ParquetTableError> {
        Self::with_row_group_rows(out, columns, ROW_GROUP_ROWS)
    }

    /// A writer that starts a new row group every `group_rows` rows.
    pub fn with_row_group_rows(
        out: W,
        columns: Vec<Column>,
        group_rows: usize,
    ) -> Result<Self, ParquetTableError> {
        let fields = columns
            .iter()
            .map(|c| {
                let (physical, logical) = match c.kind {
                    Kind::Int64 => (Physical::INT64, None),
                    Kind::Double => (Physical::DOUBLE, None),
                    Kind::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
                };
                let repetition = if c.optional {
                    Repetition::OPTIONAL
                } else {
                    Repetition::REQUIRED
                };
                Type::primitive_type_builder(&c.name, physical)
                    .with_repetition(repetition)
                    .with_logical_type(logical)
                    .build()
                    .map(Arc::new)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let schema = Type::group_type_builder("spor")
            .with_fields(fields)
            .build()?;
        let props = WriterProperties::builder()
            .set_writer_version(WriterVersion::PARQUET_1_0)
            .set_compression(Compression::SNAPPY)
            .set_statistics_enabled(EnabledStatistics::Chunk)
            .build();
        let file = SerializedFileWriter::new(out, Arc::new(schema), Arc::new(props))?;
        let values = columns
            .iter()
            .map(|c| match c.kind {
                Kind::Int64 => Buffer::Int(Vec::new()),
                Kind::Double => Buffer::Double(Vec::new()),
                Kind::Text => Buffer::Text(Vec::new()),
            })
            .collect();
        let defined = vec![Vec::new(); columns.len()];
        Ok(TableWriter {
            file,
            columns,
            values,
            defined,
            buffered: 0,
            rows: 0,
            group_rows: group_rows.max(1),
        })
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Rows pushed so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Add a row: one value per column, in column order. A wrong type or a
    /// missing value in a required column is an error naming the row and
    /// column.
    pub fn push(&mut self, row: &[Value<'_>]) -> Result<(), ParquetTableError> {
        let n = self.rows + 1;
        if row.len() != self.columns.len() {
            return Err(ParquetTableError::Width {
                row: n,
                found: row.len(),
                expected: self.columns.len(),
            });
        }
        // check the whole row first, so that a bad row leaves no partial one
        for (c, v) in self.columns.iter().zip(row) {
            let fits = matches!(
                (c.kind, v),
                (_, Value::Null)
                    | (Kind::Int64, Value::Int(_))
                    | (Kind::Double, Value::Double(_) | Value::Int(_))
                    | (Kind::Text, Value::Text(_))
            );
            if !fits || (!c.optional && *v == Value::Null) {
                return Err(ParquetTableError::Row {
                    row: n,
                    column: c.name.clone(),
                    message: if fits {
                        "a value is required".to_owned()
                    } else {
                        format!("{v:?} is not a {:?} value", c.kind)
                    },
                });
            }
        }
        for (i, v) in row.iter().enumerate() {
            if self.columns[i].optional {
                self.defined[i].push(i16::from(*v != Value::Null));
            }
            match (&mut self.values[i], v) {
                (_, Value::Null) => {}
                (Buffer::Int(b), Value::Int(x)) => b.push(*x),
                (Buffer::Double(b), Value::Double(x)) => b.push(*x),
                (Buffer::Double(b), Value::Int(x)) => b.push(*x as f64),
                (Buffer::Text(b), Value::Text(s)) => b.push(ByteArray::from(s.as_bytes().to_vec())),
                _ => unreachable!("checked above"),
            }
        }
        self.buffered += 1;
        self.rows += 1;
        if self.buffered >= self.group_rows {
            self.flush_group()?;
        }
        Ok(())
    }

    /// Write the buffered rows as one row group.
    fn flush_group(&mut self) -> Result<(), ParquetTableError> {
        if self.buffered == 0 {
            return Ok(());
        }
        let mut group = self.file.next_row_group()?;
        let mut i = 0;
        while let Some(mut col) = group.next_column()? {
            let def = self.columns[i]
                .optional
                .then_some(self.defined[i].as_slice());
            match &self.values[i] {
                Buffer::Int(v) => {
                    col.typed::<Int64Type>().write_batch(v, def, None)?;
                }
                Buffer::Double(v) => {
                    col.typed::<DoubleType>().write_batch(v, def, None)?;
                }
                Buffer::Text(v) => {
                    col.typed::<ByteArrayType>().write_batch(v, def, None)?;
                }
            }
            col.close()?;
            i += 1;
        }
        group.close()?;
        for b in &mut self.values {
            match b {
                Buffer::Int(v) => v.clear(),
                Buffer::Double(v) => v.clear(),
                Buffer::Text(v) => v.clear(),
            }
        }
        for d in &mut self.defined {
            d.clear();
        }
        self.buffered = 0;
        Ok(())
    }

    /// Write the last row group and the footer; returns the output.
    pub fn finish(mut self) -> Result<W, ParquetTableError> {
        self.flush_group()?;
        Ok(self.file.into_inner()?)
    }
}

/// How a CSV column becomes a typed column: its kind and whether an empty
/// cell means no value. An empty cell of a required text column stays an
/// empty string.
pub type ColumnTyping<'f> = &'f dyn Fn(&str) -> (Kind, bool);

/// The typing of `out/codings.csv`: `turn` a whole number, `score` and
/// `probability` decimals (empty when the row has none), the pinned
/// columns required text, every other column optional text (so that a
/// column added to the CSV later still converts).
pub fn codings_typing(name: &str) -> (Kind, bool) {
    match name {
        "turn" => (Kind::Int64, false),
        "score" | "probability" => (Kind::Double, true),
        "segment" | "document" | "speaker" | "participant" | "profession" | "code" | "origin"
        | "status" | "counted" | "policy" => (Kind::Text, false),
        _ => (Kind::Text, true),
    }
}

/// Text records (a header first, then one row at a time, as spor's CSV
/// writers emit them) into a typed table: each cell is parsed as its
/// column's type, an empty cell of an optional column is no value.
pub struct TextTable<'t, W: Write + Send> {
    out: Option<W>,
    writer: Option<TableWriter<W>>,
    typing: ColumnTyping<'t>,
    records: usize,
}

impl<'t, W: Write + Send> TextTable<'t, W> {
    /// A table into `out`, its columns typed by `typing` from the header.
    pub fn new(out: W, typing: ColumnTyping<'t>) -> Self {
        TextTable {
            out: Some(out),
            writer: None,
            typing,
            records: 0,
        }
    }

    /// The next record: the header first, then the rows.
    pub fn record(&mut self, cells: &[&str]) -> Result<(), ParquetTableError> {
        self.records += 1;
        let line = self.records;
        self.record_at(cells, line)
    }

    /// The next record, whose errors name `line`.
    fn record_at(&mut self, cells: &[&str], line: usize) -> Result<(), ParquetTableError> {
        let Some(w) = self.writer.as_mut() else {
            let columns = cells
                .iter()
                .map(|h| {
                    let (kind, optional) = (self.typing)(h);
                    Column::new(*h, kind, optional)
                })
                .collect();
            let out = self.out.take().expect("the header comes once");
            self.writer = Some(TableWriter::new(out, columns)?);
            return Ok(());
        };
        let mut row: Vec<Value<'_>> = Vec::with_capacity(cells.len());
        for (c, cell) in w.columns().iter().zip(cells) {
            let bad = |what: &str| ParquetTableError::Cell {
                line,
                column: c.name.clone(),
                message: format!("{cell:?} is not {what}"),
            };
            row.push(match c.kind {
                _ if cell.is_empty() && c.optional => Value::Null,
                Kind::Int64 => Value::Int(cell.parse().map_err(|_| bad("a whole number"))?),
                Kind::Double => Value::Double(cell.parse().map_err(|_| bad("a number"))?),
                Kind::Text => Value::text(cell),
            });
        }
        w.push(&row)
    }

    /// Write the last row group and the footer; returns the output (a
    /// table with no header has no columns and no rows).
    pub fn finish(self) -> Result<W, ParquetTableError> {
        match (self.writer, self.out) {
            (Some(w), _) => w.finish(),
            (None, Some(out)) => TableWriter::new(out, Vec::new())?.finish(),
            (None, None) => unreachable!("the output is the writer's or still here"),
        }
    }
}

/// Convert a CSV that spor wrote (comma-separated, a header line) into a
/// Parquet table with the same columns in the same order, typed by
/// `typing`, streaming row by row. A cell that does not parse as its
/// column's type is an error naming its line and column.
pub fn csv_to_parquet<W: Write + Send>(
    csv: impl std::io::Read,
    typing: ColumnTyping<'_>,
    out: W,
) -> Result<W, ParquetTableError> {
    let mut rd = csv::ReaderBuilder::new()
        .flexible(false)
        .has_headers(false)
        .from_reader(csv);
    let mut table = TextTable::new(out, typing);
    let mut rec = csv::StringRecord::new();
    while rd.read_record(&mut rec)? {
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let cells: Vec<&str> = rec.iter().collect();
        table.record_at(&cells, line)?;
    }
    table.finish()
}

#[cfg(test)]
#[path = "parquet_tests.rs"]
pub(crate) mod tests;
