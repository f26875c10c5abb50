//! `spor export segments --format parquet` and `spor export codings
//! --format parquet` on a temp copy of examples/sundtek: the same rows and
//! values as the CSV exports, typed columns, byte-identical runs, errors
//! naming the file; and, when `SPOR_PYTHON` has DuckDB, an independent
//! reader that reproduces `spor matrix --by profession` from the Parquet
//! files (the query docs/PERFORMANCE.md shows).

mod common;

use common::{run, spor, sundtek};
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::SerializedFileReader;
use parquet::record::Field;
use std::path::Path;

/// Column names and rows (values as the CSV writes them, `None` for no
/// value), read with the Parquet crate's reader.
fn read_parquet(path: &Path) -> (Vec<String>, Vec<Vec<Option<String>>>) {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
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
        .map(|r| {
            r.unwrap()
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

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rd = csv::Reader::from_path(path).unwrap();
    let header = rd.headers().unwrap().iter().map(String::from).collect();
    let rows = rd
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Same columns, same rows in the same order, every value equal (an absent
/// value is an empty cell; decimals compare as numbers, `0.912` = `0.9120`).
fn assert_parquet_is_csv(parquet: &Path, csv: &Path) -> (Vec<String>, Vec<Vec<Option<String>>>) {
    let (pn, prows) = read_parquet(parquet);
    let (cn, crows) = read_csv(csv);
    assert_eq!(pn, cn);
    assert_eq!(prows.len(), crows.len());
    for (i, (p, c)) in prows.iter().zip(&crows).enumerate() {
        for (j, (pv, cv)) in p.iter().zip(c).enumerate() {
            let pv = pv.as_deref().unwrap_or("");
            let same_number = matches!(
                (pv.parse::<f64>(), cv.parse::<f64>()),
                (Ok(a), Ok(b)) if a == b
            );
            assert!(
                pv == cv || same_number,
                "row {i}, {}: {pv:?} vs {cv:?}",
                pn[j]
            );
        }
    }
    (pn, prows)
}

/// `spor --study DIR ARGS...` run inside the study folder, so that a
/// relative `-o FILE` lands there: exit code, stdout, stderr.
fn spor_run(study: &Path, args: &[&str]) -> (i32, String, String) {
    let mut c = spor(study);
    c.current_dir(study).args(args);
    run(c)
}

fn export(study: &Path, args: &[&str]) {
    let (code, _, err) = spor_run(study, args);
    assert_eq!(code, 0, "spor {args:?}: {err}");
}

#[test]
fn segments_parquet_holds_the_csv_rows_typed_and_byte_identical() {
    let s = sundtek();
    let dir = s.path();
    export(
        dir,
        &["export", "segments", "--format", "csv", "-o", "seg.csv"],
    );
    for (file, threads) in [("a.parquet", "1"), ("b.parquet", "2")] {
        export(
            dir,
            &[
                "--threads",
                threads,
                "export",
                "segments",
                "--format",
                "parquet",
                "-o",
                file,
            ],
        );
    }
    let a = std::fs::read(dir.join("a.parquet")).unwrap();
    assert_eq!(&a[..4], b"PAR1");
    assert_eq!(a, std::fs::read(dir.join("b.parquet")).unwrap());
    let (names, rows) = assert_parquet_is_csv(&dir.join("a.parquet"), &dir.join("seg.csv"));
    // the example's 742 turns, with the pinned columns first
    assert_eq!(rows.len(), 742);
    assert_eq!(
        &names[..8],
        [
            "segment",
            "document",
            "turn",
            "speaker",
            "participant",
            "profession",
            "role",
            "text"
        ]
    );
    let first = &rows[0];
    assert_eq!(first[0].as_deref(), Some("int-01#1"));
    assert_eq!(first[2].as_deref(), Some("1"));
    // typed: turn and line numbers are INT64, years an optional INT64
    let reader =
        SerializedFileReader::new(std::fs::File::open(dir.join("a.parquet")).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr();
    let col = |n: &str| {
        schema
            .columns()
            .iter()
            .find(|c| c.name() == n)
            .unwrap()
            .clone()
    };
    assert_eq!(col("turn").physical_type(), parquet::basic::Type::INT64);
    assert_eq!(
        col("line_start").physical_type(),
        parquet::basic::Type::INT64
    );
    assert_eq!(
        col("text").physical_type(),
        parquet::basic::Type::BYTE_ARRAY
    );
    assert_eq!(
        (col("years").physical_type(), col("years").max_def_level()),
        (parquet::basic::Type::INT64, 1)
    );
    // --roles filters the Parquet rows as it does the CSV's
    export(
        dir,
        &[
            "export",
            "segments",
            "--format",
            "parquet",
            "--roles",
            "participant",
            "-o",
            "p.parquet",
        ],
    );
    let (_, prows) = read_parquet(&dir.join("p.parquet"));
    let participant_rows = rows
        .iter()
        .filter(|r| r[6].as_deref() == Some("participant"))
        .count();
    assert_eq!(prows.len(), participant_rows);
    assert!(prows.len() < rows.len());
}

#[test]
fn sentence_parquet_holds_the_sentence_csv() {
    let s = sundtek();
    let dir = s.path();
    export(
        dir,
        &[
            "export", "segments", "--unit", "sentence", "--format", "csv", "-o", "s.csv",
        ],
    );
    export(
        dir,
        &[
            "export",
            "segments",
            "--unit",
            "sentence",
            "--format",
            "parquet",
            "-o",
            "s.parquet",
        ],
    );
    let (names, rows) = assert_parquet_is_csv(&dir.join("s.parquet"), &dir.join("s.csv"));
    assert!(rows.len() > 742, "more sentences than turns");
    assert_eq!(names[0], "sentence");
}

#[test]
fn codings_parquet_holds_out_codings_csv_and_is_byte_identical() {
    let s = sundtek();
    let dir = s.path();
    export(dir, &["code"]);
    export(
        dir,
        &[
            "export",
            "codings",
            "--format",
            "parquet",
            "-o",
            "a.parquet",
        ],
    );
    export(
        dir,
        &[
            "--threads",
            "1",
            "export",
            "codings",
            "--format",
            "parquet",
            "-o",
            "b.parquet",
        ],
    );
    assert_eq!(
        std::fs::read(dir.join("a.parquet")).unwrap(),
        std::fs::read(dir.join("b.parquet")).unwrap()
    );
    let (names, rows) = assert_parquet_is_csv(&dir.join("a.parquet"), &dir.join("out/codings.csv"));
    assert!(rows.len() > 1000, "{} rows", rows.len());
    assert_eq!(
        &names[..9],
        [
            "segment",
            "document",
            "turn",
            "speaker",
            "participant",
            "profession",
            "code",
            "origin",
            "status"
        ]
    );
    // the CSV form of the export is out/codings.csv, byte for byte
    export(dir, &["export", "codings", "-o", "c.csv"]);
    assert_eq!(
        std::fs::read(dir.join("c.csv")).unwrap(),
        std::fs::read(dir.join("out/codings.csv")).unwrap()
    );
    // score is a DOUBLE, absent (not empty) on coders' rows
    let score = names.iter().position(|n| n == "score").unwrap();
    let origin = names.iter().position(|n| n == "origin").unwrap();
    assert!(rows.iter().any(|r| r[score].is_some()));
    for r in rows.iter().filter(|r| {
        r[origin]
            .as_deref()
            .is_some_and(|o| o.starts_with("coder:"))
    }) {
        assert_eq!(r[score], None, "{r:?}");
    }
}

#[test]
fn parquet_errors_name_the_file_and_exit_2() {
    let s = sundtek();
    let dir = s.path();
    let (code, _, err) = spor_run(
        dir,
        &[
            "export",
            "segments",
            "--format",
            "parquet",
            "-o",
            "nowhere/seg.parquet",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nowhere/seg.parquet"), "{err}");
    // a folder that is a file
    let (code, _, err) = spor_run(
        dir,
        &[
            "export",
            "codings",
            "--format",
            "parquet",
            "-o",
            "spor.toml/c.parquet",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("spor.toml/c.parquet"), "{err}");
    // binary output is never sent to the terminal
    let (code, out, err) = spor_run(dir, &["export", "segments", "--format", "parquet"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("-o segments.parquet"), "{err}");
    let (code, _, err) = spor_run(dir, &["export", "codings", "--format", "parquet"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("-o codings.parquet"), "{err}");
    assert!(!dir.join("out/codings.csv").exists(), "nothing was coded");
}

/// The query of docs/PERFORMANCE.md ("Beyond one machine"): the profession
/// matrix from the two Parquet files.
const MATRIX_SQL: &str = "
WITH cells AS (
  SELECT code, profession,
         count(DISTINCT segment) AS segments,
         count(DISTINCT participant) AS participants,
         count(DISTINCT document) AS documents
  FROM 'codings.parquet'
  WHERE counted = 'yes'
  GROUP BY code, profession
),
turns AS (
  SELECT profession, count(*) AS turns, sum(words) AS words
  FROM 'segments.parquet'
  WHERE role = 'participant'
  GROUP BY profession
)
SELECT code, profession, segments, participants, documents,
       segments / turns AS share_of_turns,
       1000 * segments / words AS per_1000_words
FROM cells JOIN turns USING (profession)
ORDER BY code, profession";

#[test]
fn duckdb_reads_the_parquet_and_reproduces_the_matrix() {
    let Ok(python) = std::env::var("SPOR_PYTHON") else {
        assert!(
            std::env::var("SPOR_REQUIRE_CROSSCHECK").is_err(),
            "SPOR_REQUIRE_CROSSCHECK is set but SPOR_PYTHON is not"
        );
        eprintln!("skipped: set SPOR_PYTHON to a Python with duckdb");
        return;
    };
    let has_duckdb = std::process::Command::new(&python)
        .args(["-c", "import duckdb"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_duckdb {
        assert!(
            std::env::var("SPOR_REQUIRE_CROSSCHECK").is_err(),
            "SPOR_REQUIRE_CROSSCHECK is set but {python} has no duckdb"
        );
        eprintln!("skipped: {python} has no duckdb (scripts/test installs it)");
        return;
    }
    let s = sundtek();
    let dir = s.path();
    export(dir, &["code"]);
    export(
        dir,
        &[
            "export",
            "segments",
            "--format",
            "parquet",
            "-o",
            "segments.parquet",
        ],
    );
    export(
        dir,
        &[
            "export",
            "codings",
            "--format",
            "parquet",
            "-o",
            "codings.parquet",
        ],
    );
    export(
        dir,
        &[
            "matrix",
            "--by",
            "profession",
            "--format",
            "json",
            "-o",
            "matrix.json",
        ],
    );
    // DuckDB reads spor's Parquet as its own CSV reader reads the CSV, and
    // the query's cells are spor's matrix
    let script = format!(
        r#"
import csv, duckdb, json
c = duckdb.connect()
for parquet, csvfile in [("segments.parquet", "seg.csv"), ("codings.parquet", "out/codings.csv")]:
    p = c.sql(f"SELECT * FROM '{{parquet}}'").fetchall()
    rows = list(csv.reader(open(csvfile, encoding="utf-8")))[1:]
    assert len(p) == len(rows), (parquet, len(p), len(rows))
    for i, (a, b) in enumerate(zip(p, rows)):
        for x, y in zip(a, b):
            ok = (x is None and y == "") or str(x) == y or (isinstance(x, (int, float)) and float(y) == x)
            assert ok, (parquet, i, x, y)
got = c.sql("""{MATRIX_SQL}""").fetchall()
# spor lists cells in codebook order, the query by name: compare by cell
want = {{(r["code"], r["value"]): r for r in json.load(open("matrix.json", encoding="utf-8"))}}
assert len(got) == len(want), (len(got), len(want))
for g in got:
    w = want[(g[0], g[1])]
    assert (g[2], g[3], g[4]) == (w["segments"], w["participants"], w["documents"]), (g, w)
    assert abs(g[5] - w["share_of_turns"]) < 1e-12 and abs(g[6] - w["per_1000_words"]) < 1e-9, (g, w)
print(len(got), "cells")
"#
    );
    export(
        dir,
        &["export", "segments", "--format", "csv", "-o", "seg.csv"],
    );
    let out = std::process::Command::new(&python)
        .arg("-c")
        .arg(&script)
        .current_dir(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.trim_end().ends_with(" cells"), "{stdout}");
    let cells: usize = stdout.split_whitespace().next().unwrap().parse().unwrap();
    assert!(cells > 100, "{cells} cells");
}
