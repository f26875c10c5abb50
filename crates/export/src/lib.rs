//! `spor-export` renders the figures that `spor-analysis` computes; it
//! computes nothing itself. Translation tables as Markdown, CSV, JSON and
//! XLSX; code matrices and co-occurrence as CSV, JSON and Markdown; trace
//! dossiers as Markdown and JSON. Every output cites participants by their
//! pseudonymous id and profession, never by speaker label, and every byte
//! is deterministic (no timestamps).
//!
//! ```no_run
//! # fn demo(rows: &[spor_analysis::translation::Row]) {
//! let md = spor_export::translation::markdown(rows, "SUNDTEK");
//! assert!(md.starts_with("# "));
//! # }
//! ```
#![deny(missing_docs)]

pub mod lang;
pub mod matrix;
pub mod parquet;
pub mod qdpx;
pub mod report;
pub mod report_text;
pub mod saturation;
pub mod segments;
pub mod table;
pub mod trace;
pub mod translation;

/// Errors of the exporters.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The XLSX writer failed.
    #[error("writing xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The report template failed.
    #[error("rendering the report: {0}")]
    Template(#[from] minijinja::Error),
    /// The ZIP writer failed (REFI-QDA `.qdpx`).
    #[error("writing zip: {0}")]
    Zip(#[from] zip::result::ZipError),
}

/// Escape text for a Markdown table cell.
pub fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// JSON, pretty, with a final newline.
pub fn json<T: serde::Serialize + ?Sized>(v: &T) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(v).expect("figures serialise");
    b.push(b'\n');
    b
}

/// Shorten a quote for a table, at a word boundary, with an ellipsis.
pub fn shorten(s: &str, max_chars: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        return flat;
    }
    let cut: String = flat.chars().take(max_chars).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max_chars / 2 => cut[..i].to_owned(),
        _ => cut,
    };
    format!("{cut} …")
}
