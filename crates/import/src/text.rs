//! A source's text: decoding, and normalising it the way spor reads
//! transcripts (LF line ends, no control characters, NFC) while keeping a
//! map from every character of the source text to the normalised text, so
//! that selection positions, counted in the source, land on the same
//! characters after normalisation.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// A character map: `map[i]` is where character `i` of the input (and, at
/// `map[n]`, the end) lands in the output.
pub type CharMap = Vec<u32>;

/// Decode a source file: UTF-8 with the BOM stripped (the BOM is not a
/// position); UTF-16 with a BOM; anything else as Windows-1252, with a
/// warning.
pub fn decode_source(bytes: &[u8]) -> (String, Option<String>) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (s, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (s.into_owned(), None);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), None),
        Err(e) => {
            let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (
                s.into_owned(),
                Some(format!(
                    "not UTF-8 (invalid byte at {}); read as Windows-1252, so selection positions may be off",
                    e.valid_up_to()
                )),
            )
        }
    }
}

/// A normalised text and where each source character went.
#[derive(Debug, Clone)]
pub struct Normalised {
    /// LF line ends, controls replaced by spaces, NFC.
    pub text: String,
    /// Source character index -> normalised character index.
    pub map: CharMap,
    /// How many control characters were replaced.
    pub controls: usize,
}

/// Characters spor refuses in a transcript: C0 controls but tab, LF, CR and
/// form feed; DEL; C1 controls.
fn refused_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        || c == '\u{7f}'
        || ('\u{80}'..='\u{9f}').contains(&c)
}

/// Normalise `src` (CR kept) as spor will read it.
pub fn normalise(src: &str) -> Normalised {
    // 1. Line ends and controls, character by character.
    let chars: Vec<char> = src.chars().collect();
    let mut lf = String::with_capacity(src.len());
    let mut map1: CharMap = Vec::with_capacity(chars.len() + 1);
    let mut out = 0u32;
    let mut controls = 0;
    for (i, &c) in chars.iter().enumerate() {
        map1.push(out);
        if c == '\r' {
            if chars.get(i + 1) == Some(&'\n') {
                continue; // the CR of a CRLF maps onto its LF
            }
            lf.push('\n');
        } else if refused_control(c) {
            controls += 1;
            lf.push(' ');
        } else {
            lf.push(c);
        }
        out += 1;
    }
    map1.push(out);
    // 2. NFC.
    if is_nfc_quick(lf.chars()) == IsNormalized::Yes {
        return Normalised {
            text: lf,
            map: map1,
            controls,
        };
    }
    let (text, map2) = nfc_with_map(&lf);
    Normalised {
        text,
        map: compose(&map1, &map2),
        controls,
    }
}

/// NFC, chunk by chunk. A chunk starts at an ASCII character: ASCII never
/// combines with what precedes it and has combining class 0, so NFC of the
/// whole equals the NFC of the chunks joined. Inside a chunk whose length
/// changed, positions are clamped to the chunk's new length.
fn nfc_with_map(s: &str) -> (String, CharMap) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut map: CharMap = Vec::with_capacity(chars.len() + 1);
    let mut o = 0u32;
    let mut i = 0;
    while i < chars.len() {
        let mut j = i + 1;
        while j < chars.len() && !chars[j].is_ascii() {
            j += 1;
        }
        let chunk = &chars[i..j];
        if chunk.iter().all(char::is_ascii)
            || is_nfc_quick(chunk.iter().copied()) == IsNormalized::Yes
        {
            for &c in chunk {
                map.push(o);
                out.push(c);
                o += 1;
            }
        } else {
            let n: String = chunk.iter().copied().nfc().collect();
            let len = n.chars().count() as u32;
            for k in 0..chunk.len() as u32 {
                map.push(o + k.min(len));
            }
            out.push_str(&n);
            o += len;
        }
        i = j;
    }
    map.push(o);
    (out, map)
}

/// `b` after `a`: where each character of `a`'s input lands in `b`'s output.
pub fn compose(a: &[u32], b: &[u32]) -> CharMap {
    a.iter().map(|&x| b[x as usize]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn slice(s: &str, a: u32, b: u32) -> String {
        s.chars().skip(a as usize).take((b - a) as usize).collect()
    }

    #[test]
    fn crlf_and_controls() {
        let n = normalise("ab\r\ncd\re\u{1}f");
        assert_eq!(n.text, "ab\ncd\ne f");
        assert_eq!(n.controls, 1);
        // c is source char 4, normalised char 3
        assert_eq!(n.map[4], 3);
        // the CR and the LF of the CRLF both map onto the LF
        assert_eq!((n.map[2], n.map[3]), (2, 2));
        assert_eq!(*n.map.last().unwrap() as usize, n.text.chars().count());
    }

    #[test]
    fn nfc_keeps_later_positions() {
        let src = "Cafe\u{301} og smo\u{308}rrebro\u{308}d";
        let n = normalise(src);
        assert_eq!(n.text, "Café og smörrebröd");
        // "og" starts at source char 6, normalised 5
        assert_eq!(slice(&n.text, n.map[6], n.map[8]), "og");
    }

    #[test]
    fn decoding() {
        assert_eq!(decode_source(b"\xEF\xBB\xBFhej").0, "hej");
        let (s, w) = decode_source(b"s\xF8");
        assert_eq!(s, "sø");
        assert!(w.is_some());
    }

    proptest! {
        #[test]
        fn map_is_monotone_and_total(s in "(\\PC|\r\n|\r|e\u{301}|\u{1}){0,60}") {
            let n = normalise(&s);
            prop_assert_eq!(n.map.len(), s.chars().count() + 1);
            prop_assert!(n.map.windows(2).all(|w| w[0] <= w[1]));
            prop_assert_eq!(*n.map.last().unwrap() as usize, n.text.chars().count());
            prop_assert!(!n.text.contains('\r'));
        }
    }
}
