//! Writing files safely: every output is written to a temporary file beside
//! its target and renamed over it, so that a failed run never leaves a
//! half-written file and the previous output stays intact.

use crate::{CorpusError, Location, Result};
use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically (temporary file + rename), creating
/// the parent folder if needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Write `path` atomically as [`write_atomic`] does, from `fill`, which
/// writes the content as a stream (buffered) instead of holding it in
/// memory. When `fill` fails the target is left as it was. The writer is
/// `Send`, as writers that hand it to a library (Parquet) need.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> Result<()> {
    write_atomic_hashed(path, fill).map(|_| ())
}

/// [`write_atomic_with`], and the SHA-256 (lowercase hex) and size of what
/// was written, hashed as it was written (for a manifest of outputs that
/// does not read them again).
pub fn write_atomic_hashed(
    path: &Path,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> Result<(String, u64)> {
    let err = |source| CorpusError::Write {
        location: Location::file(path),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // a new file gets the usual mode (0666 less the umask), not the
    // temporary file's private 0600
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(0o666)
    };
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".spor-tmp");
    #[cfg(unix)]
    builder.permissions(mode);
    let mut tmp = builder.tempfile_in(dir).map_err(err)?;
    let (sha256, bytes) = {
        let hashing = crate::HashingWriter::new(tmp.as_file_mut());
        let mut w = std::io::BufWriter::with_capacity(1 << 16, hashing);
        fill(&mut w).map_err(err)?;
        w.flush().map_err(err)?;
        let hashing = w.into_inner().map_err(|e| err(e.into_error()))?;
        let (sha256, bytes, _) = hashing.finish();
        (sha256, bytes)
    };
    tmp.as_file().sync_all().map_err(err)?;
    // on failure the temporary file is removed when dropped
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok((sha256, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/out.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(p.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn streamed_write_is_atomic() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.bin");
        write_atomic(&p, b"old").unwrap();
        let failed = write_atomic_with(&p, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("stopped"))
        });
        let e = failed.unwrap_err();
        assert!(e.to_string().contains("out.bin"), "{e}");
        let cause = std::error::Error::source(&e).unwrap().to_string();
        assert_eq!(cause, "stopped");
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomic_with(&p, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_usual_mode_not_a_private_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.txt");
        write_atomic(&p, b"x").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        // 0666 less a umask that leaves the owner read and write
        assert_eq!(mode & 0o600, 0o600);
        let plain = dir.path().join("plain.txt");
        std::fs::File::create(&plain).unwrap();
        let plain = std::fs::metadata(&plain).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, plain, "the same mode as a file created plainly");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out");
        write_atomic(&p, b"old").unwrap();
        // the target is now a non-empty folder: the rename must fail
        let q = dir.path().join("d");
        std::fs::create_dir(&q).unwrap();
        std::fs::write(q.join("x"), b"").unwrap();
        assert!(write_atomic(&q, b"new").is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}

/// CSV dialects for outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvDialect {
    /// `,`-separated UTF-8 without BOM, decimal point.
    #[default]
    Standard,
    /// What Danish Excel opens cleanly: `;`-separated, UTF-8 with BOM,
    /// decimal comma.
    ExcelDa,
}

impl CsvDialect {
    /// Parse `standard` or `excel-da`.
    pub fn parse(s: &str) -> Option<CsvDialect> {
        match s {
            "standard" => Some(CsvDialect::Standard),
            "excel-da" => Some(CsvDialect::ExcelDa),
            _ => None,
        }
    }

    /// Rewrite standard CSV (as spor writes it) into this dialect, and
    /// neutralise cells a spreadsheet would run as formulas (see
    /// [`neutralise_formula`]) in either dialect.
    pub fn apply(self, csv_bytes: Vec<u8>) -> Vec<u8> {
        if self == CsvDialect::Standard && !may_hold_formula(&csv_bytes) {
            return csv_bytes;
        }
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(csv_bytes.as_slice());
        let mut out = Vec::with_capacity(csv_bytes.len() + 3);
        {
            let mut w = DialectWriter::new(self, &mut out).expect("writing to memory");
            for rec in r.records() {
                let rec = rec.expect("spor's own CSV parses");
                w.write_record(&rec).expect("writing to memory");
            }
            w.flush().expect("flush to memory");
        }
        out
    }
}

/// A CSV writer in a dialect, record by record: each record is written as
/// [`CsvDialect::apply`] would rewrite it (formula cells neutralised; for
/// `excel-da` a BOM first, `;` and decimal commas), without holding the
/// whole file.
pub struct DialectWriter<W: Write> {
    dialect: CsvDialect,
    w: csv::Writer<W>,
}

impl<W: Write> DialectWriter<W> {
    /// A writer of `dialect` onto `inner` (the BOM, if any, is written now).
    pub fn new(dialect: CsvDialect, mut inner: W) -> std::io::Result<DialectWriter<W>> {
        let mut b = csv::WriterBuilder::new();
        if dialect == CsvDialect::ExcelDa {
            inner.write_all(b"\xEF\xBB\xBF")?;
            b.delimiter(b';');
        }
        Ok(DialectWriter {
            dialect,
            w: b.from_writer(inner),
        })
    }

    /// Write one record.
    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        // field by field, copied only when a cell is rewritten
        for f in record {
            let f = neutralise_formula(f.as_ref());
            match self.dialect {
                CsvDialect::Standard => self.w.write_field(f.as_bytes())?,
                CsvDialect::ExcelDa => self.w.write_field(decimal_comma(&f).as_bytes())?,
            }
        }
        self.w.write_record(None::<&[u8]>)
    }

    /// Flush what is buffered.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

/// The characters that make a spreadsheet read a cell as a formula when
/// they start it (OWASP's list for CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell that starts like a formula (`=`, `+`, `-`, `@`, tab, carriage
/// return) gets a `'` in front, as OWASP advises, so that Excel and
/// LibreOffice show it as text instead of running it; a plain number
/// (`-0.25`, `+3`) is left as it is.
///
/// ```
/// use spor_corpus::fsutil::neutralise_formula;
/// assert_eq!(neutralise_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralise_formula("- ja, altså"), "'- ja, altså");
/// assert_eq!(neutralise_formula("-0.25"), "-0.25");
/// assert_eq!(neutralise_formula("sygeplejerske"), "sygeplejerske");
/// ```
pub fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if FORMULA_STARTS.contains(&c) && !is_plain_number(cell) => {
            std::borrow::Cow::Owned(format!("'{cell}"))
        }
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

/// `-3`, `+0.25`, `-1,5`: a sign, digits and at most one decimal separator.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (a, b) = digits.split_once(['.', ',']).unwrap_or((digits, "0"));
    !a.is_empty()
        && !b.is_empty()
        && a.bytes().all(|c| c.is_ascii_digit())
        && b.bytes().all(|c| c.is_ascii_digit())
}

/// Whether any cell of a CSV might start like a formula (a cheap byte scan
/// that lets a CSV without any pass through untouched).
fn may_hold_formula(csv_bytes: &[u8]) -> bool {
    let mut at_start = true;
    for &b in csv_bytes {
        if at_start && matches!(b, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') {
            return true;
        }
        at_start = matches!(b, b',' | b'\n' | b'"');
    }
    false
}

/// `3.25` -> `3,25` for a field that is a decimal number; other fields as they are.
fn decimal_comma(f: &str) -> std::borrow::Cow<'_, str> {
    let digits = f.strip_prefix('-').unwrap_or(f);
    match digits.split_once('.') {
        Some((a, b))
            if !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit()) =>
        {
            std::borrow::Cow::Owned(f.replace('.', ","))
        }
        _ => std::borrow::Cow::Borrowed(f),
    }
}

#[cfg(test)]
mod dialect_tests {
    use super::*;

    #[test]
    fn excel_da() {
        let out = CsvDialect::ExcelDa
            .apply(b"code,share,text\nx,0.25,\"a; b 1.5\"\ny,-3.5,f.eks.\n".to_vec());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\u{feff}code;share;text\nx;0,25;\"a; b 1.5\"\ny;-3,5;f.eks.\n"
        );
        assert_eq!(CsvDialect::Standard.apply(b"a,b\n".to_vec()), b"a,b\n");
    }

    #[test]
    fn formulas_are_neutralised_in_both_dialects() {
        let csv =
            b"memo,score\n=1+1,-0.5\n\"@SUM(A1)\",+3\n\"\tx\",-\n\"\rx\",ok\n+ja,2\n".to_vec();
        assert_eq!(
            String::from_utf8(CsvDialect::Standard.apply(csv.clone())).unwrap(),
            "memo,score\n'=1+1,-0.5\n'@SUM(A1),+3\n'\tx,'-\n\"'\rx\",ok\n'+ja,2\n"
        );
        assert_eq!(
            String::from_utf8(CsvDialect::ExcelDa.apply(csv)).unwrap(),
            "\u{feff}memo;score\n'=1+1;-0,5\n'@SUM(A1);+3\n'\tx;'-\n\"'\rx\";ok\n'+ja;2\n"
        );
        // a CSV without formula-like cells passes through untouched
        let plain = b"a,b\n\"x, y\",-\n".to_vec();
        assert!(may_hold_formula(&plain));
        assert!(!may_hold_formula(b"a,b\nc,d\n"));
    }
}

#[cfg(test)]
mod dialect_writer_tests {
    use super::*;
    use proptest::prelude::*;

    fn both_ways(dialect: CsvDialect, records: &[Vec<String>]) -> (Vec<u8>, Vec<u8>) {
        let mut plain = csv::Writer::from_writer(Vec::new());
        for r in records {
            plain.write_record(r).unwrap();
        }
        let rewritten = dialect.apply(plain.into_inner().unwrap());
        let mut streamed = Vec::new();
        {
            let mut w = DialectWriter::new(dialect, &mut streamed).unwrap();
            for r in records {
                w.write_record(r).unwrap();
            }
            w.flush().unwrap();
        }
        (rewritten, streamed)
    }

    proptest! {
        /// Streaming a CSV in a dialect gives the bytes of writing it in
        /// memory and rewriting it with `apply`, in both dialects.
        #[test]
        fn streaming_equals_rewriting(
            records in proptest::collection::vec(
                proptest::collection::vec("[=+@a-zæøå0-9 .,;\"\t\r\n-]{0,8}", 3),
                0..6,
            )
        ) {
            for dialect in [CsvDialect::Standard, CsvDialect::ExcelDa] {
                let (a, b) = both_ways(dialect, &records);
                prop_assert_eq!(a, b);
            }
        }
    }

    #[test]
    fn streams_to_a_file_atomically_and_keeps_the_old_one_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        write_atomic_with(&p, |f| {
            let mut w = DialectWriter::new(CsvDialect::ExcelDa, f)?;
            w.write_record(["share", "memo"])?;
            w.write_record(["0.25", "=1+1"])?;
            w.flush()
        })
        .unwrap();
        let first = std::fs::read_to_string(&p).unwrap();
        assert_eq!(first, "\u{feff}share;memo\n0,25;'=1+1\n");
        let failed = write_atomic_with(&p, |f| {
            f.write_all(b"half")?;
            Err(std::io::Error::other("stopped"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), first);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
