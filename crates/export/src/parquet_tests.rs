use super::*;
use ::parquet::basic::Type as Physical;
use ::parquet::file::reader::FileReader;
use ::parquet::file::serialized_reader::SerializedFileReader;
use ::parquet::record::Field;

/// Read a Parquet file back with the Parquet crate's own reader: the
/// column names, and each row's values rendered as spor's CSV renders them
/// (`None` for no value).
pub(crate) fn read_back(bytes: &[u8]) -> (Vec<String>, Vec<Vec<Option<String>>>) {
    let mut f = tempfile::tempfile().unwrap();
    f.write_all(bytes).unwrap();
    let reader = SerializedFileReader::new(f).unwrap();
    let names = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    let rows = reader
        .into_iter()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(_, f)| match f {
                    Field::Null => None,
                    Field::Long(i) => Some(i.to_string()),
                    Field::Double(x) => Some(x.to_string()),
                    Field::Str(s) => Some(s.clone()),
                    other => panic!("unexpected field {other:?}"),
                })
                .collect()
        })
        .collect();
    (names, rows)
}

fn columns() -> Vec<Column> {
    vec![
        Column::new("segment", Kind::Text, false),
        Column::new("turn", Kind::Int64, false),
        Column::new("score", Kind::Double, true),
        Column::new("memo", Kind::Text, true),
        Column::new("start_seconds", Kind::Int64, true),
    ]
}

/// Rows with Danish text, a line break, an empty required string, absent
/// values and negative and large numbers.
fn rows() -> Vec<Vec<Value<'static>>> {
    (0..10)
        .map(|i| {
            vec![
                Value::Text(Cow::Owned(format!("int-0{i}#{}", i * 7 + 1))),
                Value::Int(i * 1_000_000_007 - 3),
                if i % 3 == 0 {
                    Value::Null
                } else {
                    Value::Double(i as f64 / 8.0)
                },
                match i % 4 {
                    0 => Value::Null,
                    1 => Value::text("Sygeplejersken siger: \"øh, æblet\"\nnæste linje"),
                    2 => Value::text(""),
                    _ => Value::text("Ærø; 12,5 %"),
                },
                if i % 2 == 0 {
                    Value::Int(i * 60)
                } else {
                    Value::Null
                },
            ]
        })
        .collect()
}

fn write(group_rows: usize) -> Vec<u8> {
    let mut w = TableWriter::with_row_group_rows(Vec::new(), columns(), group_rows).unwrap();
    for r in rows() {
        w.push(&r).unwrap();
    }
    assert_eq!(w.rows(), 10);
    w.finish().unwrap()
}

/// The CSV spor would write for the same rows.
fn csv_of_rows() -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns().iter().map(|c| c.name.as_str()))
        .unwrap();
    for r in rows() {
        w.write_record(r.iter().map(|v| v.to_csv().into_owned()))
            .unwrap();
    }
    w.into_inner().unwrap()
}

/// Every value read back equals the CSV's cell (an absent value is an
/// empty cell), in the same column order.
pub(crate) fn assert_same_as_csv(parquet: &[u8], csv_bytes: &[u8]) {
    let (names, back) = read_back(parquet);
    let mut rd = csv::Reader::from_reader(csv_bytes);
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(names, header);
    let csv_rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(back.len(), csv_rows.len());
    for (i, (p, c)) in back.iter().zip(&csv_rows).enumerate() {
        assert_eq!(p.len(), c.len(), "row {i}");
        for (j, (pv, cv)) in p.iter().zip(c.iter()).enumerate() {
            let pv = pv.as_deref().unwrap_or("");
            // a decimal compares as a number (the CSV has `1.250`)
            let same_number = matches!(
                (pv.parse::<f64>(), cv.parse::<f64>()),
                (Ok(a), Ok(b)) if a == b
            );
            assert!(
                pv == cv || same_number,
                "row {i}, column {}: {pv:?} vs {cv:?}",
                names[j]
            );
        }
    }
}

#[test]
fn round_trip_matches_csv_across_row_groups() {
    let bytes = write(3);
    assert_same_as_csv(&bytes, &csv_of_rows());
    let mut f = tempfile::tempfile().unwrap();
    f.write_all(&bytes).unwrap();
    let reader = SerializedFileReader::new(f).unwrap();
    let meta = reader.metadata();
    // 10 rows in groups of at most 3
    let groups: Vec<i64> = meta.row_groups().iter().map(|g| g.num_rows()).collect();
    assert_eq!(groups, [3, 3, 3, 1]);
    let types: Vec<(Physical, bool)> = meta
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| (c.physical_type(), c.max_def_level() == 1))
        .collect();
    assert_eq!(
        types,
        [
            (Physical::BYTE_ARRAY, false),
            (Physical::INT64, false),
            (Physical::DOUBLE, true),
            (Physical::BYTE_ARRAY, true),
            (Physical::INT64, true),
        ]
    );
    // absent and empty are told apart: row 2 has an empty memo, row 0 none
    let (_, back) = read_back(&bytes);
    assert_eq!(back[0][3], None);
    assert_eq!(back[2][3].as_deref(), Some(""));
}

#[test]
fn same_rows_give_the_same_bytes() {
    let a = write(ROW_GROUP_ROWS);
    assert_eq!(a, write(ROW_GROUP_ROWS));
    assert_eq!(write(4), write(4));
    assert_ne!(a, write(4), "row groups are part of the layout");
    let (_, back) = read_back(&a);
    assert_eq!(back, read_back(&write(4)).1);
}

#[test]
fn a_row_that_does_not_fit_names_row_and_column() {
    let mut w = TableWriter::new(Vec::new(), columns()).unwrap();
    w.push(&rows()[1]).unwrap();
    let mut bad = rows()[1].clone();
    bad[1] = Value::Null;
    let e = w.push(&bad).unwrap_err().to_string();
    assert_eq!(e, "row 2, column turn: a value is required");
    bad[1] = Value::text("7");
    let e = w.push(&bad).unwrap_err().to_string();
    assert!(e.starts_with("row 2, column turn: "), "{e}");
    let e = w.push(&bad[..2]).unwrap_err().to_string();
    assert_eq!(e, "row 2: 2 values for 5 columns");
    // the bad rows left nothing behind
    w.push(&rows()[2]).unwrap();
    let (_, back) = read_back(&w.finish().unwrap());
    assert_eq!(back.len(), 2);
    assert_eq!(back[1][0].as_deref(), Some("int-02#15"));
}

/// A CSV in `out/codings.csv`'s shape, converted with its typing.
const CODINGS: &str = "segment,document,turn,speaker,participant,profession,code,origin,status,codebook,rule,rules,matched,score,memo,counted,policy,passages,quotes,probability,model_words\n\
int-01#2,int-01,2,Sygeplejerske,P01,sygeplejerske,context,rule:context-1,suggested,sundtek,context-1,context-1,kontekst,1.250,,no,any,,,,\n\
int-01#2,int-01,2,Sygeplejerske,P01,sygeplejerske,context,coder:anna,accepted,sundtek,,,,,\"god; men \"\"sen\"\"\",yes,any,3-10,\"rigtig\nsen\",,\n\
int-02#14,int-02,14,Leder,P07,,readiness,model:readiness,suggested,sundtek,,,,,,no,any,,,0.912,parat +1.2\n";

#[test]
fn codings_csv_converts_with_types_and_the_same_values() {
    let bytes = csv_to_parquet(CODINGS.as_bytes(), &codings_typing, Vec::new()).unwrap();
    assert_same_as_csv(&bytes, CODINGS.as_bytes());
    let (names, back) = read_back(&bytes);
    let col = |n: &str| names.iter().position(|x| x == n).unwrap();
    assert_eq!(back[2][col("turn")].as_deref(), Some("14"));
    assert_eq!(back[0][col("score")].as_deref(), Some("1.25"));
    assert_eq!(back[1][col("score")], None);
    assert_eq!(back[2][col("probability")].as_deref(), Some("0.912"));
    assert_eq!(back[1][col("memo")].as_deref(), Some("god; men \"sen\""));
    assert_eq!(back[0][col("memo")], None);
    // a required text column keeps its empty string
    assert_eq!(back[2][col("profession")].as_deref(), Some(""));
    assert_eq!(back[1][col("quotes")].as_deref(), Some("rigtig\nsen"));
}

#[test]
fn a_cell_of_the_wrong_type_names_its_line() {
    let bad = CODINGS.replacen(",14,Leder", ",fjorten,Leder", 1);
    let e = csv_to_parquet(bad.as_bytes(), &codings_typing, Vec::new())
        .unwrap_err()
        .to_string();
    // the header is line 1; the third row starts on line 5 (a quote spans two lines)
    assert_eq!(e, "line 5, column turn: \"fjorten\" is not a whole number");
}

#[test]
fn text_records_give_the_table_the_csv_gives() {
    let via_csv = csv_to_parquet(CODINGS.as_bytes(), &codings_typing, Vec::new()).unwrap();
    let mut table = TextTable::new(Vec::new(), &codings_typing);
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(CODINGS.as_bytes());
    for rec in rd.records() {
        let rec = rec.unwrap();
        table.record(&rec.iter().collect::<Vec<_>>()).unwrap();
    }
    assert_eq!(table.finish().unwrap(), via_csv);
    // a header alone is a table with its columns and no rows
    let mut table = TextTable::new(Vec::new(), &codings_typing);
    table.record(&["segment", "turn"]).unwrap();
    let (names, rows) = read_back(&table.finish().unwrap());
    assert_eq!(names, ["segment", "turn"]);
    assert!(rows.is_empty());
    // a bad cell names its record (the header is record 1)
    let mut table = TextTable::new(Vec::new(), &codings_typing);
    table.record(&["segment", "turn"]).unwrap();
    table.record(&["int-01#1", "1"]).unwrap();
    let e = table.record(&["int-01#2", "to"]).unwrap_err().to_string();
    assert_eq!(e, "line 3, column turn: \"to\" is not a whole number");
}
