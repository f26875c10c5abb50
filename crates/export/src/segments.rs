//! The segments table of `spor export segments`: one row per speaker turn
//! with its place and attributes, as CSV or as a typed Parquet table with
//! the same columns in the same order.
//!
//! Columns: the pinned fields, then the document attributes, then the
//! participant attributes (each in name order; a name that clashes with
//! an earlier column gets a `document.` or `participant.` prefix).

use crate::parquet::{Column, Kind, ParquetTableError, TableWriter, Value};
use spor_corpus::{AttrValue, Segment};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;

/// The pinned columns, their types, and whether they may be empty.
const PINNED: [(&str, Kind, bool); 19] = [
    ("segment", Kind::Text, false),
    ("document", Kind::Text, false),
    ("turn", Kind::Int64, false),
    ("speaker", Kind::Text, false),
    ("participant", Kind::Text, false),
    ("profession", Kind::Text, false),
    ("role", Kind::Text, false),
    ("text", Kind::Text, false),
    ("line_start", Kind::Int64, false),
    ("line_end", Kind::Int64, false),
    ("char_start", Kind::Int64, false),
    ("char_end", Kind::Int64, false),
    ("timestamp", Kind::Text, true),
    ("start_seconds", Kind::Int64, true),
    ("end_seconds", Kind::Int64, true),
    ("words", Kind::Int64, false),
    ("kind", Kind::Text, false),
    ("phase", Kind::Text, false),
    ("date", Kind::Text, false),
];

/// The columns of a set of segments, and how to fill a row.
pub struct SegmentTable {
    columns: Vec<Column>,
    /// Document attribute names, in column order.
    doc_attrs: Vec<String>,
    /// Participant attribute names, in column order.
    part_attrs: Vec<String>,
}

/// The kind an attribute column takes: whole numbers if every value is
/// one, decimals if every value is a number, text otherwise (empty cells
/// are absent values and do not count).
fn attribute_kind<'a>(values: impl Iterator<Item = &'a AttrValue>) -> Kind {
    let mut kind = Kind::Int64;
    for v in values {
        kind = match (kind, v) {
            (k, AttrValue::Null) => k,
            (Kind::Int64, AttrValue::Integer(_)) => Kind::Int64,
            (Kind::Int64 | Kind::Double, AttrValue::Integer(_) | AttrValue::Number(_)) => {
                Kind::Double
            }
            _ => return Kind::Text,
        };
    }
    kind
}

impl SegmentTable {
    /// The table of these segments: its attribute columns are those any of
    /// them has.
    pub fn new(segs: &[&Segment]) -> SegmentTable {
        let mut docs: BTreeMap<&str, Vec<&AttrValue>> = BTreeMap::new();
        let mut parts: BTreeMap<&str, Vec<&AttrValue>> = BTreeMap::new();
        for s in segs {
            for (k, v) in s.document_attributes().iter() {
                docs.entry(k).or_default().push(v);
            }
            for (k, v) in s.participant_attributes().iter() {
                parts.entry(k).or_default().push(v);
            }
        }
        let mut columns: Vec<Column> = PINNED
            .iter()
            .map(|(n, k, o)| Column::new(*n, *k, *o))
            .collect();
        let mut add = |attrs: &BTreeMap<&str, Vec<&AttrValue>>, prefix: &str| {
            let mut names = Vec::new();
            for (name, values) in attrs {
                let header = if columns.iter().any(|c| c.name == *name) {
                    format!("{prefix}.{name}")
                } else {
                    name.to_string()
                };
                columns.push(Column::new(
                    header,
                    attribute_kind(values.iter().copied()),
                    true,
                ));
                names.push(name.to_string());
            }
            names
        };
        let doc_attrs = add(&docs, "document");
        let part_attrs = add(&parts, "participant");
        SegmentTable {
            columns,
            doc_attrs,
            part_attrs,
        }
    }

    /// The columns, in order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The row of one segment, a value per column.
    pub fn row<'a>(&self, s: &'a Segment) -> Vec<Value<'a>> {
        let int = |n: u32| Value::Int(i64::from(n));
        let opt = |o: Option<u32>| o.map_or(Value::Null, |x| Value::Int(i64::from(x)));
        let mut row = vec![
            Value::text(&s.segment),
            Value::text(s.document()),
            int(s.turn),
            Value::text(s.speaker()),
            Value::text(s.participant()),
            Value::text(s.profession()),
            Value::text(s.role().as_str()),
            Value::text(&s.text),
            int(s.line_start),
            int(s.line_end),
            int(s.char_start),
            int(s.char_end),
            s.timestamp.as_deref().map_or(Value::Null, Value::text),
            opt(s.start_seconds),
            opt(s.end_seconds),
            int(s.words),
            Value::text(s.kind()),
            Value::text(s.phase()),
            Value::text(s.date()),
        ];
        let offset = row.len();
        let attrs = self
            .doc_attrs
            .iter()
            .map(|n| s.document_attributes().get(n))
            .chain(
                self.part_attrs
                    .iter()
                    .map(|n| s.participant_attributes().get(n)),
            );
        for (i, v) in attrs.enumerate() {
            row.push(match (self.columns[offset + i].kind, v) {
                (_, None | Some(AttrValue::Null)) => Value::Null,
                (Kind::Int64, Some(AttrValue::Integer(n))) => Value::Int(*n),
                (Kind::Double, Some(AttrValue::Integer(n))) => Value::Double(*n as f64),
                (Kind::Double, Some(AttrValue::Number(x))) => Value::Double(*x),
                (_, Some(v)) => Value::Text(Cow::Owned(v.key())),
            });
        }
        row
    }

    /// The table as CSV: a header, then a row per segment (an absent value
    /// is an empty cell; numbers as spor writes them everywhere).
    pub fn csv(&self, segs: &[&Segment]) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(self.columns.iter().map(|c| c.name.as_str()))
            .expect("memory");
        for s in segs {
            let row = self.row(s);
            let cells: Vec<Cow<'_, str>> = row.iter().map(Value::to_csv).collect();
            w.write_record(cells.iter().map(|c| c.as_bytes()))
                .expect("memory");
        }
        w.into_inner().expect("memory")
    }

    /// The table as Parquet into `out`, a row group at a time.
    pub fn parquet<W: Write + Send>(
        &self,
        segs: &[&Segment],
        out: W,
    ) -> Result<W, ParquetTableError> {
        let mut w = TableWriter::new(out, self.columns.clone())?;
        for s in segs {
            w.push(&self.row(s))?;
        }
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parquet::tests::{assert_same_as_csv, read_back};
    use spor_corpus::{Corpus, Study};

    fn example() -> Corpus {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        Corpus::read(&Study::open(&root.join("examples/sundtek")).unwrap())
    }

    #[test]
    fn parquet_holds_the_csv_values_with_typed_columns() {
        let corpus = example();
        let segs: Vec<&Segment> = corpus.segments().collect();
        let table = SegmentTable::new(&segs);
        let csv = table.csv(&segs);
        let parquet = table.parquet(&segs, Vec::new()).unwrap();
        assert_same_as_csv(&parquet, &csv);
        let (names, rows) = read_back(&parquet);
        assert_eq!(rows.len(), segs.len());
        let kind = |n: &str| {
            let c = table.columns().iter().find(|c| c.name == n).unwrap();
            (c.kind, c.optional)
        };
        // the example's sheets: setting and mode per document, sector and
        // years (whole numbers, empty for the interviewer) per participant
        assert_eq!(&names[..3], ["segment", "document", "turn"]);
        assert_eq!(&names[19..], ["mode", "setting", "sector", "years"]);
        assert_eq!(kind("turn"), (Kind::Int64, false));
        assert_eq!(kind("years"), (Kind::Int64, true));
        assert_eq!(kind("setting"), (Kind::Text, true));
        let years = names.iter().position(|n| n == "years").unwrap();
        let (with, without): (Vec<_>, Vec<_>) = rows.iter().partition(|r| r[years].is_some());
        assert!(!with.is_empty() && !without.is_empty());
        // no value only where the sheet's cell is empty (interviewers)
        assert!(
            without
                .iter()
                .all(|r| r[6].as_deref() != Some("participant"))
        );
    }

    #[test]
    fn a_mixed_column_is_text_and_numbers_widen_to_decimals() {
        let i = AttrValue::Integer(3);
        let x = AttrValue::Number(1.5);
        let t = AttrValue::Text("tre".into());
        let n = AttrValue::Null;
        assert_eq!(attribute_kind([&i, &n, &i].into_iter()), Kind::Int64);
        assert_eq!(attribute_kind([&i, &x].into_iter()), Kind::Double);
        assert_eq!(attribute_kind([&x, &t, &i].into_iter()), Kind::Text);
        assert_eq!(attribute_kind([&n].into_iter()), Kind::Int64);
    }
}
