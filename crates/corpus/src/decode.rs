//! Reading bytes as text: encoding detection, line endings and NFC.
//!
//! Order of detection (docs/FORMAT.md §2): a byte-order mark; then valid UTF-8;
//! then UTF-16 without a BOM, recognised by its pattern of NUL bytes; then a
//! legacy single-byte encoding (in practice Windows-1252) chosen by a
//! detector. A file that is mostly UTF-8 but holds invalid bytes is an error
//! naming the line, not silently read as Windows-1252.

use crate::{CorpusError, Location, Result};
use std::path::Path;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The line endings a file used before normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEnding {
    /// Unix `\n`.
    Lf,
    /// Windows `\r\n`.
    Crlf,
    /// Classic Mac `\r`.
    Cr,
    /// More than one kind.
    Mixed,
    /// No line break at all.
    None,
}

/// Text read from a file, normalised to NFC with `\n` line breaks.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The normalised text.
    pub text: String,
    /// The name of the encoding that was used (`UTF-8`, `UTF-16LE`, `windows-1252`, ...).
    pub encoding: &'static str,
    /// Whether the file started with a byte-order mark.
    pub bom: bool,
    /// The line endings found.
    pub line_ending: LineEnding,
    /// Whether NFC normalisation changed the text (the file was NFD or mixed).
    pub was_not_nfc: bool,
}

/// 1-based line of the byte at `pos`, counting `\n`, `\r\n` and lone `\r` as breaks.
pub fn line_of_byte(bytes: &[u8], pos: usize) -> usize {
    let pos = pos.min(bytes.len());
    let mut line = 1;
    let mut i = 0;
    while i < pos {
        match bytes[i] {
            b'\n' => line += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
        i += 1;
    }
    line
}

fn utf16_line_of_unit(units: &[u16], pos: usize) -> usize {
    let mut line = 1;
    for (i, &u) in units.iter().enumerate().take(pos) {
        if u == 0x0A || (u == 0x0D && units.get(i + 1) != Some(&0x0A)) {
            line += 1;
        }
    }
    line
}

/// Decode `bytes` read from `path` (used in messages only).
pub fn decode(bytes: &[u8], path: &Path) -> Result<Decoded> {
    let (raw, encoding, bom) = decode_raw(bytes, path)?;
    check_controls(&raw, path)?;
    let line_ending = detect_line_ending(&raw);
    let lf = if raw.contains('\r') {
        raw.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        raw
    };
    // Every character below U+0300 is NFC and a starter, so leaving them
    // out of the quick check can only make it answer "maybe" more often
    // (then the full check decides); ASCII and Danish letters cost nothing.
    // A text without such characters at all (most Danish text) is not
    // decoded character by character: see `has_from_u0300`.
    let quick = if has_from_u0300(lf.as_bytes()) {
        is_nfc_quick(lf.chars().filter(|&c| c >= '\u{300}'))
    } else {
        IsNormalized::Yes
    };
    let (text, was_not_nfc) = match quick {
        IsNormalized::Yes => (lf, false),
        _ => {
            let n: String = lf.nfc().collect();
            let changed = n != lf;
            (n, changed)
        }
    };
    Ok(Decoded {
        text,
        encoding,
        bom,
        line_ending,
        was_not_nfc,
    })
}

/// Whether UTF-8 `bytes` hold a character from U+0300 up: in UTF-8 every
/// such character starts with a byte of 0xCC or more, and no other byte
/// is that large (U+0300 is CC 80; continuation bytes are 80-BF). Checked
/// a block at a time, which the compiler turns into wide comparisons.
fn has_from_u0300(bytes: &[u8]) -> bool {
    bytes
        .chunks(256)
        .any(|c| c.iter().fold(0u8, |m, &b| m.max(b)) >= 0xCC)
}

fn decode_raw(bytes: &[u8], path: &Path) -> Result<(String, &'static str, bool)> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest, bytes, 3, path).map(|s| (s, "UTF-8", true));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true, path).map(|s| (s, "UTF-16LE", true));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false, path).map(|s| (s, "UTF-16BE", true));
    }
    // NUL bytes are never text: UTF-16 without a BOM is recognised by them
    // first, since ASCII-only UTF-16 is also valid UTF-8
    if let Some(le) = utf16_pattern(bytes) {
        let name = if le { "UTF-16LE" } else { "UTF-16BE" };
        return utf16(bytes, le, path).map(|s| (s, name, false));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_owned(), "UTF-8", false));
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(CorpusError::invalid_hint(
            Location::line(path, line_of_byte(bytes, pos)),
            "NUL byte in a text file (is this a binary file?)",
            "transcripts must be plain text (.txt, .md), Word (.docx) or subtitles (.vtt, .srt)",
        ));
    }
    if mostly_utf8(bytes) {
        return Err(broken_utf8(bytes, path));
    }
    legacy(bytes, path)
}

/// The error for a file that is UTF-8 but for a few bytes: where the first
/// bad byte is (or that the file ends inside a character).
fn broken_utf8(bytes: &[u8], path: &Path) -> CorpusError {
    let err = std::str::from_utf8(bytes).unwrap_err();
    let pos = err.valid_up_to();
    let line = line_of_byte(bytes, pos);
    let message = if err.error_len().is_none() {
        "the file ends in the middle of a UTF-8 character (truncated?)".to_owned()
    } else {
        format!(
            "invalid UTF-8 byte 0x{:02X} in an otherwise UTF-8 file",
            bytes[pos]
        )
    };
    CorpusError::invalid_hint(
        Location::line(path, line),
        message,
        "the file mixes encodings; open it in an editor and save it again as UTF-8",
    )
}

/// A file in a legacy single-byte encoding, guessed by chardetng with
/// Danish as the hint; bytes the guess cannot decode are an error.
fn legacy(bytes: &[u8], path: &Path) -> Result<(String, &'static str, bool)> {
    // The guess settles long before the end: the first 16 KiB decide (the
    // whole file is still decoded and checked).
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    const SAMPLE: usize = 16 * 1024;
    let sample = match bytes.len() > SAMPLE {
        true => {
            // cut at an ASCII byte so that no character is split
            let mut end = SAMPLE;
            while end < bytes.len() && bytes[end] >= 0x80 {
                end += 1;
            }
            &bytes[..end]
        }
        false => bytes,
    };
    det.feed(sample, true);
    let enc = det.guess(Some(b"dk"), chardetng::Utf8Detection::Deny);
    if enc == encoding_rs::WINDOWS_1252
        && let Some(pos) = bytes
            .iter()
            .position(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D))
    {
        return Err(CorpusError::invalid_hint(
            Location::line(path, line_of_byte(bytes, pos)),
            format!(
                "byte 0x{:02X} is neither UTF-8 nor Windows-1252",
                bytes[pos]
            ),
            "save the file as UTF-8",
        ));
    }
    let (cow, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        let pos = cow.find('\u{FFFD}').unwrap_or(0);
        let line = cow[..pos].matches('\n').count() + 1;
        return Err(CorpusError::invalid_hint(
            Location::line(path, line),
            format!("invalid bytes for {}", enc.name()),
            "save the file as UTF-8",
        ));
    }
    Ok((cow.into_owned(), enc.name(), false))
}

fn utf8(rest: &[u8], all: &[u8], offset: usize, path: &Path) -> Result<String> {
    match std::str::from_utf8(rest) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => {
            let pos = offset + e.valid_up_to();
            let message = if e.error_len().is_none() {
                "the file ends in the middle of a UTF-8 character (truncated?)".to_owned()
            } else {
                format!("invalid UTF-8 byte 0x{:02X}", all[pos])
            };
            Err(CorpusError::invalid_hint(
                Location::line(path, line_of_byte(all, pos)),
                message,
                "the file starts with a UTF-8 byte-order mark but is not valid UTF-8; save it again as UTF-8",
            ))
        }
    }
}

fn utf16(bytes: &[u8], le: bool, path: &Path) -> Result<String> {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| {
            if c.len() == 1 {
                u16::MAX
            } else if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        })
        .collect();
    if let Some(i) = eight_bit_inside_utf16(&units) {
        return Err(CorpusError::invalid_hint(
            Location::line(path, utf16_line_of_unit(&units, i)),
            "text in an 8-bit encoding (UTF-8 or Windows-1252) inside a UTF-16 file, from here on",
            "text was appended in another encoding; open the file in an editor and save it again in one encoding (UTF-8)",
        ));
    }
    if bytes.len() % 2 == 1 {
        return Err(CorpusError::invalid_hint(
            Location::line(path, utf16_line_of_unit(&units, units.len())),
            "UTF-16 file has an odd number of bytes (truncated?)",
            "export the file again from the program that wrote it",
        ));
    }
    let mut out = String::with_capacity(units.len());
    for (i, r) in char::decode_utf16(units.iter().copied()).enumerate() {
        match r {
            Ok(c) => out.push(c),
            Err(_) => {
                return Err(CorpusError::invalid(
                    Location::line(path, utf16_line_of_unit(&units, i)),
                    "invalid UTF-16 (unpaired surrogate)",
                ));
            }
        }
    }
    Ok(out)
}

/// Where 8-bit text (UTF-8, Windows-1252) starts inside UTF-16, if it
/// does: read as UTF-16, two ASCII bytes make one unit in U+2009..U+7E7E
/// (CJK and other scripts a Danish transcript never mixes with Latin).
/// Eight such units in a row, four of them two letters, after Latin text
/// (three in four units before them below U+0300) is appended text, not a
/// script.
fn eight_bit_inside_utf16(units: &[u16]) -> Option<usize> {
    let bytes = |u: u16| ((u >> 8) as u8, (u & 0xFF) as u8);
    let ascii_pair = |u: u16| {
        let (hi, lo) = bytes(u);
        (0x20..=0x7E).contains(&hi) && (0x09..=0x7E).contains(&lo)
    };
    // both bytes letters: rules out typographic punctuation (U+2026 …,
    // U+201C “), which is an ASCII pair but never two letters
    let letter_pair = |u: u16| {
        let (hi, lo) = bytes(u);
        hi.is_ascii_alphabetic() && lo.is_ascii_alphabetic()
    };
    let (mut latin, mut run_start, mut run, mut letters) = (0usize, 0usize, 0usize, 0usize);
    for (i, &u) in units.iter().enumerate() {
        if ascii_pair(u) {
            if run == 0 {
                run_start = i;
                letters = 0;
            }
            run += 1;
            letters += usize::from(letter_pair(u));
            if run >= 8 && letters >= 4 && run_start > 0 && latin * 4 >= run_start * 3 {
                return Some(run_start);
            }
        } else {
            run = 0;
            if u < 0x0300 {
                latin += 1;
            }
        }
    }
    None
}

/// UTF-16 without BOM: many NUL bytes on one side of each pair, none on the other.
fn utf16_pattern(bytes: &[u8]) -> Option<bool> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd * 10 >= pairs * 4 && even * 20 < pairs {
        Some(true)
    } else if even * 10 >= pairs * 4 && odd * 20 < pairs {
        Some(false)
    } else {
        None
    }
}

/// True when the bytes hold well-formed multi-byte UTF-8 sequences and no
/// high byte outside them is more common than they are: a UTF-8 file with a
/// few bad bytes, rather than a legacy-encoded one.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let lead = |s: &[u8]| s.iter().filter(|&&b| b >= 0xC0).count();
    let (mut good, mut bad) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => {
                good += lead(rest);
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                good += lead(valid);
                bad += 1;
                match e.error_len() {
                    Some(n) => rest = &after[n..],
                    None => break,
                }
            }
        }
    }
    good > 0 && good >= bad
}

fn check_controls(text: &str, path: &Path) -> Result<()> {
    // C0 controls but tab, LF, CR and form feed; DEL; C1 controls (UTF-8 C2 80..C2 9F)
    let b = text.as_bytes();
    let pos = b.iter().enumerate().position(|(i, &x)| {
        (x < 0x20 && !matches!(x, b'\n' | b'\r' | b'\t' | 0x0C))
            || x == 0x7F
            || (x == 0xC2 && b.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
    });
    if let Some(pos) = pos {
        let c = text[pos..].chars().next().unwrap_or('\0');
        let line = line_of_byte(b, pos);
        return Err(CorpusError::invalid_hint(
            Location::line(path, line),
            format!("control character U+{:04X} in text", c as u32),
            "is this a binary file, or a file in an encoding spor does not read?",
        ));
    }
    Ok(())
}

fn detect_line_ending(s: &str) -> LineEnding {
    let b = s.as_bytes();
    let (mut lf, mut crlf, mut cr) = (false, false, false);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                crlf = true;
                i += 1;
            }
            b'\r' => cr = true,
            b'\n' => lf = true,
            _ => {}
        }
        i += 1;
    }
    match (lf, crlf, cr) {
        (false, false, false) => LineEnding::None,
        (true, false, false) => LineEnding::Lf,
        (false, true, false) => LineEnding::Crlf,
        (false, false, true) => LineEnding::Cr,
        _ => LineEnding::Mixed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(bytes: &[u8]) -> Result<Decoded> {
        decode(bytes, Path::new("t.txt"))
    }

    #[test]
    fn utf8_appended_to_utf16_is_an_error_with_its_line() {
        let mut b = vec![0xFF, 0xFE];
        let head = "I: Hvordan gik det – “godt”… ?\nP: Det gik fint.\n";
        b.extend(head.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(d(&b).unwrap().text, head);
        b.extend("P: Og så skrev nogen videre i UTF-8.\n".as_bytes());
        let e = d(&b).unwrap_err().to_string();
        assert!(e.starts_with("t.txt:3: text in an 8-bit encoding"), "{e}");
        // the same without a BOM
        let e = d(&b[2..]).unwrap_err().to_string();
        assert!(e.starts_with("t.txt:3: text in an 8-bit encoding"), "{e}");
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let a = d("æøå".as_bytes()).unwrap();
        assert_eq!(
            (a.text.as_str(), a.encoding, a.bom),
            ("æøå", "UTF-8", false)
        );
        let b = d(b"\xEF\xBB\xBFhej").unwrap();
        assert_eq!((b.text.as_str(), b.bom), ("hej", true));
    }

    #[test]
    fn utf16_with_bom_and_without() {
        let s = "Læge: hej\r\nså";
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let r = d(&le).unwrap();
        assert_eq!(r.text, "Læge: hej\nså");
        assert_eq!(r.encoding, "UTF-16LE");
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let r = d(&be).unwrap();
        assert_eq!((r.text.as_str(), r.encoding), ("Læge: hej\nså", "UTF-16BE"));
    }

    #[test]
    fn windows_1252_by_detector() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252
            .encode("Sygeplejerske: Jeg synes, at blodprøver og målinger på afdelingen er svære, især når sønderjyske kolleger får ændret vagtplanen.\n");
        let r = d(&bytes).unwrap();
        assert_eq!(r.encoding, "windows-1252");
        assert!(r.text.contains("blodprøver og målinger"));
    }

    #[test]
    fn line_endings_normalised() {
        let r = d(b"a\r\nb\rc\nd").unwrap();
        assert_eq!(r.text, "a\nb\nc\nd");
        assert_eq!(r.line_ending, LineEnding::Mixed);
        assert_eq!(d(b"a\r\nb").unwrap().line_ending, LineEnding::Crlf);
    }

    #[test]
    fn nfd_becomes_nfc() {
        let r = d("ga\u{030A}rd".as_bytes()).unwrap();
        assert_eq!(r.text, "gård");
        assert!(r.was_not_nfc);
        // a combining ring far into a Danish text, past the first blocks
        let long = format!("{}ga\u{030A}rd", "Æblet på bordet. ".repeat(100));
        let r = d(long.as_bytes()).unwrap();
        assert!(r.text.ends_with("gård") && r.was_not_nfc);
        let r = d("Æblet på bordet, søde ØL".as_bytes()).unwrap();
        assert!(!r.was_not_nfc);
    }

    proptest::proptest! {
        /// The byte test finds a character from U+0300 up exactly when
        /// the text has one.
        #[test]
        fn the_byte_test_finds_characters_from_u0300(s in "\\PC{0,600}") {
            proptest::prop_assert_eq!(
                has_from_u0300(s.as_bytes()),
                s.chars().any(|c| c >= '\u{300}')
            );
        }
    }

    #[test]
    fn broken_utf8_names_line() {
        let mut b = "linje 1 æ\nlinje 2 ø\n".as_bytes().to_vec();
        b.extend_from_slice(b"linje 3 \xE6 \xF8\n");
        let e = d(&b).unwrap_err();
        assert!(e.to_string().starts_with("t.txt:3: invalid UTF-8"), "{e}");
    }

    #[test]
    fn truncated_utf8_names_last_line() {
        let mut b = "a æ\nb ø\nc ".as_bytes().to_vec();
        b.push(0xC3);
        let e = d(&b).unwrap_err();
        assert!(
            e.to_string()
                .contains("t.txt:3: the file ends in the middle"),
            "{e}"
        );
    }

    #[test]
    fn binary_is_rejected() {
        let e = d(b"abc\n\x00\x01\x02\x03\xFF\xFE\x00").unwrap_err();
        assert!(e.to_string().contains("t.txt:2"), "{e}");
    }

    #[test]
    fn odd_utf16_is_truncated() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("hej".encode_utf16().flat_map(|u| u.to_le_bytes()));
        le.push(b'x');
        assert!(d(&le).unwrap_err().to_string().contains("odd number"));
    }

    #[test]
    fn line_of_byte_counts_all_breaks() {
        assert_eq!(line_of_byte(b"a\r\nb\rc\nd", 8), 4);
        assert_eq!(line_of_byte(b"abc", 2), 1);
    }
}
