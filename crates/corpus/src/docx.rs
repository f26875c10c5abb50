//! Word transcripts (`.docx`), read straight from the zip archive with an
//! XML parser: never extracted to disk, external entities never resolved,
//! inside limits (entry count, size, compression ratio).
//!
//! Paragraphs become lines. Speaker labels are recognised as in text, and
//! also when only the label is bold (`**Interviewer** text` becomes
//! `Interviewer: text`) or when it stands in the first column of a table
//! (two-column speaker/text tables, as transcription services deliver).
//! Deleted tracked changes, moved-from text and field codes are skipped;
//! comments are not part of the document text.

use crate::{CorpusError, Location, Result};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

/// Most entries a .docx may have.
pub const MAX_ENTRIES: usize = 10_000;
/// Largest uncompressed `word/document.xml`.
pub const MAX_XML_BYTES: u64 = 256 * 1024 * 1024;
/// Largest compression ratio of `word/document.xml`.
pub const MAX_RATIO: u64 = 200;

fn err(path: &Path, message: impl Into<String>) -> CorpusError {
    CorpusError::invalid_hint(
        Location::file(path),
        message,
        "open the file in Word and save it again as .docx, or export it as plain text",
    )
}

/// Read `word/document.xml` from a .docx archive, within the limits.
pub fn document_xml(bytes: &[u8], path: &Path) -> Result<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| err(path, format!("not a readable .docx (zip): {e}")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(err(
            path,
            format!(
                "the archive has {} entries (limit {MAX_ENTRIES})",
                zip.len()
            ),
        ));
    }
    let mut entry = zip
        .by_name("word/document.xml")
        .map_err(|_| err(path, "the archive has no word/document.xml entry"))?;
    let size = entry.size();
    let packed = entry.compressed_size().max(1);
    if size > MAX_XML_BYTES || size / packed > MAX_RATIO {
        return Err(err(
            path,
            format!(
                "entry word/document.xml: {size} bytes from {packed} compressed exceeds spor's limits (zip bomb?)"
            ),
        ));
    }
    let mut xml = String::new();
    entry
        .by_ref()
        .take(MAX_XML_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(|e| err(path, format!("entry word/document.xml: {e}")))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(err(
            path,
            "entry word/document.xml is larger than its header says",
        ));
    }
    Ok(xml)
}

#[derive(Default)]
struct Para {
    runs: Vec<(String, bool)>,
}

impl Para {
    fn text(&self) -> String {
        self.runs.iter().map(|r| r.0.as_str()).collect()
    }

    /// The paragraph as a line, with a bold leading label made explicit.
    fn line(&self, labels: &HashSet<String>) -> String {
        let lead: String = self
            .runs
            .iter()
            .take_while(|r| r.1 || r.0.trim().is_empty())
            .map(|r| r.0.as_str())
            .collect();
        let cand = lead.trim().trim_end_matches(':').trim();
        if !cand.is_empty() && labels.contains(&crate::study::fold_label(cand)) {
            let n = self
                .runs
                .iter()
                .take_while(|r| r.1 || r.0.trim().is_empty())
                .count();
            let rest: String = self.runs[n..].iter().map(|r| r.0.as_str()).collect();
            let rest = rest.trim_start().trim_start_matches(':').trim_start();
            return format!("{cand}: {rest}");
        }
        self.text()
    }
}

/// Reading state while walking `word/document.xml`.
#[derive(Default)]
struct Walk {
    lines: Vec<String>,
    para: Option<Para>,
    run_text: String,
    run_bold: bool,
    in_run: bool,
    in_rpr: bool,
    in_t: bool,
    /// Depth inside w:del, w:moveFrom, w:instrText or w:delText (skipped).
    skip: usize,
    row: Option<Vec<String>>,
    cell: Option<Vec<String>>,
}

const SKIPPED: [&[u8]; 4] = [b"del", b"moveFrom", b"instrText", b"delText"];

impl Walk {
    fn open(&mut self, name: &[u8], bold_off: bool) {
        if SKIPPED.contains(&name) {
            self.skip += 1;
            return;
        }
        if self.skip > 0 {
            return;
        }
        match name {
            b"p" => self.para = Some(Para::default()),
            b"r" => {
                self.in_run = true;
                self.run_text.clear();
                self.run_bold = false;
            }
            b"rPr" => self.in_rpr = true,
            b"b" if self.in_rpr && self.in_run => self.run_bold = !bold_off,
            b"t" => self.in_t = true,
            b"tab" if self.in_run => self.run_text.push('\t'),
            b"br" | b"cr" if self.in_run => self.run_text.push('\n'),
            b"tr" => self.row = Some(Vec::new()),
            b"tc" => self.cell = Some(Vec::new()),
            _ => {}
        }
    }

    fn close(&mut self, name: &[u8], labels: &HashSet<String>) {
        if SKIPPED.contains(&name) {
            self.skip = self.skip.saturating_sub(1);
            return;
        }
        if self.skip > 0 {
            return;
        }
        match name {
            b"r" => {
                if let Some(p) = self.para.as_mut() {
                    p.runs
                        .push((std::mem::take(&mut self.run_text), self.run_bold));
                }
                self.in_run = false;
            }
            b"rPr" => self.in_rpr = false,
            b"t" => self.in_t = false,
            b"p" => {
                if let Some(p) = self.para.take() {
                    match self.cell.as_mut() {
                        Some(c) => c.push(p.text()),
                        None => self.lines.push(p.line(labels)),
                    }
                }
            }
            b"tc" => {
                if let (Some(c), Some(r)) = (self.cell.take(), self.row.as_mut()) {
                    r.push(c.join(" ").trim().to_owned());
                }
            }
            b"tr" => {
                if let Some(cells) = self.row.take() {
                    self.lines.push(table_row(&cells, labels));
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, t: &str) {
        if self.in_t && self.skip == 0 {
            self.run_text.push_str(t);
        }
    }
}

fn bold_off(e: &quick_xml::events::BytesStart) -> bool {
    // quick-xml's duplicate check compares each attribute with every one
    // before it: quadratic in an element's attributes (400,000 took
    // minutes). Only `val` matters here, so no check is needed.
    e.attributes().with_checks(false).flatten().any(|a| {
        a.key.local_name().as_ref() == b"val"
            && matches!(a.value.as_ref(), b"0" | b"false" | b"off")
    })
}

/// The text of a .docx transcript: one line per paragraph (and per table
/// row). `labels` are the labels the document declares.
pub fn to_text(bytes: &[u8], labels: &[String], path: &Path) -> Result<String> {
    let xml = document_xml(bytes, path)?;
    let labels: HashSet<String> = labels.iter().map(|l| crate::study::fold_label(l)).collect();
    let mut reader = Reader::from_str(&xml);
    let mut w = Walk::default();
    let xml_err = |e: &dyn std::fmt::Display, pos: u64| {
        err(
            path,
            format!("entry word/document.xml: XML error at byte {pos}: {e}"),
        )
    };
    loop {
        let pos = reader.buffer_position();
        match reader.read_event().map_err(|e| xml_err(&e, pos))? {
            Event::Start(e) => w.open(e.local_name().as_ref(), bold_off(&e)),
            Event::Empty(e) => {
                let name = e.local_name();
                w.open(name.as_ref(), bold_off(&e));
                w.close(name.as_ref(), &labels);
            }
            Event::End(e) => w.close(e.local_name().as_ref(), &labels),
            Event::Text(t) => {
                let t = t.decode().map_err(|e| xml_err(&e, pos))?;
                w.text(&t);
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r {
                        b"amp" => Some('&'),
                        b"lt" => Some('<'),
                        b"gt" => Some('>'),
                        b"quot" => Some('"'),
                        b"apos" => Some('\''),
                        _ => None, // other entities are never resolved
                    },
                };
                if let Some(c) = c {
                    w.text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if w.lines.iter().all(|l| l.trim().is_empty()) {
        return Err(CorpusError::invalid_hint(
            Location::file(path),
            "the .docx has no paragraphs with text",
            "is the transcript in a text box or an image? paste it as ordinary paragraphs",
        ));
    }
    Ok(w.lines.join("\n") + "\n")
}

fn table_row(cells: &[String], labels: &HashSet<String>) -> String {
    if cells.len() >= 2 {
        let cand = cells[0].trim().trim_end_matches(':').trim();
        if labels.contains(&crate::study::fold_label(cand)) {
            return format!("{cand}: {}", cells[1..].join(" ").trim());
        }
    }
    cells.join("\t")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docx(xml: &str) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("word/document.xml", opts).unwrap();
        w.write_all(xml.as_bytes()).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn many_attributes_on_a_bold_run_take_linear_time() {
        let mut attrs = String::new();
        for i in 0..200_000 {
            attrs.push_str(&format!(" w:k{i}=\"1\""));
        }
        let xml = format!(
            "<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:rPr><w:b{attrs} w:val=\"0\"/></w:rPr><w:t>P: hej</w:t></w:r></w:p></w:body></w:document>"
        );
        let t = std::time::Instant::now();
        let text = to_text(&docx(&xml), &["P".to_owned()], Path::new("a.docx")).unwrap();
        assert_eq!(text, "P: hej\n");
        // quadratic, this took minutes; linear, well under a second
        assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    }
}
