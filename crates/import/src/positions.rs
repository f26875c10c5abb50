//! Selection positions: what they count, and how they map to characters.
//!
//! The REFI-QDA specification counts Unicode code points from 0, end
//! exclusive. NVivo counts UTF-16 code units instead (a character above
//! U+FFFF counts two, CR and LF count one each, a BOM is not counted);
//! ATLAS.ti counts CRLF as one position. [`PositionMap`] turns a position in
//! the producer's unit into a character index of the source text as read
//! (BOM stripped, CR kept).

use serde::Serialize;

/// What a producer's positions count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// Unicode code points (the specification).
    CodePoint,
    /// UTF-16 code units (NVivo).
    Utf16,
    /// Code points, CRLF counted as one (ATLAS.ti).
    CodePointCrlfOne,
}

impl Unit {
    /// The unit a producer uses, from `Project/@origin`.
    pub fn for_origin(origin: &str) -> Unit {
        let o = origin.to_lowercase();
        if o.contains("nvivo") {
            Unit::Utf16
        } else if o.contains("atlas.ti") || o.contains("atlasti") {
            Unit::CodePointCrlfOne
        } else {
            Unit::CodePoint
        }
    }

    /// How the unit is named in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Unit::CodePoint => "Unicode code points",
            Unit::Utf16 => "UTF-16 code units (NVivo)",
            Unit::CodePointCrlfOne => "code points with CRLF as one (ATLAS.ti)",
        }
    }
}

/// Positions in a unit mapped to character indices of one text.
#[derive(Debug, Clone)]
pub struct PositionMap {
    /// `starts[i]`: units before character `i`; one more entry than chars.
    /// (An internal file is at most 2^31-1 bytes, so positions fit.)
    starts: Vec<u32>,
}

impl PositionMap {
    /// The map for `text` (as read: BOM stripped, CR kept).
    pub fn new(text: &str, unit: Unit) -> PositionMap {
        let mut starts = Vec::with_capacity(text.len() + 1);
        let mut pos = 0u32;
        let mut prev_cr = false;
        for c in text.chars() {
            starts.push(pos);
            let w = match unit {
                Unit::CodePoint => 1,
                Unit::Utf16 => c.len_utf16() as u32,
                // The LF of a CRLF adds nothing: the pair is one position.
                Unit::CodePointCrlfOne => u32::from(!(prev_cr && c == '\n')),
            };
            prev_cr = c == '\r';
            pos = pos.saturating_add(w);
        }
        starts.push(pos);
        PositionMap { starts }
    }

    /// The number of characters.
    pub fn chars(&self) -> usize {
        self.starts.len() - 1
    }

    /// The text's length in the unit.
    pub fn units(&self) -> u64 {
        u64::from(*self.starts.last().unwrap_or(&0))
    }

    /// The character a selection starting at `p` starts at: inside a
    /// character (half a surrogate pair) rounds down. `None` past the end.
    pub fn start_char(&self, p: u64) -> Option<usize> {
        if p > self.units() {
            return None;
        }
        Some(self.starts.partition_point(|&s| u64::from(s) <= p) - 1)
    }

    /// The character a selection ending at `p` (exclusive) ends before:
    /// inside a character rounds up. `None` past the end.
    pub fn end_char(&self, p: u64) -> Option<usize> {
        if p > self.units() {
            return None;
        }
        Some(self.starts.partition_point(|&s| u64::from(s) < p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn units_by_origin() {
        assert_eq!(Unit::for_origin("NVivo for Windows 12.6"), Unit::Utf16);
        assert_eq!(Unit::for_origin("NVivo for Mac 12.7.0"), Unit::Utf16);
        assert_eq!(
            Unit::for_origin("ATLAS.ti Windows 23.2"),
            Unit::CodePointCrlfOne
        );
        assert_eq!(Unit::for_origin("qc 1.3.2"), Unit::CodePoint);
        assert_eq!(Unit::for_origin("spor"), Unit::CodePoint);
    }

    #[test]
    fn nvivo_counts_utf16_and_crlf_as_two() {
        // "a😀\r\nb": a=0, 😀=1..3, CR=3, LF=4, b=5
        let m = PositionMap::new("a\u{1F600}\r\nb", Unit::Utf16);
        assert_eq!(m.units(), 6);
        assert_eq!(m.start_char(5), Some(4));
        assert_eq!(m.start_char(3), Some(2));
        assert_eq!(m.start_char(2), Some(1), "inside the pair: round down");
        assert_eq!(m.end_char(2), Some(2), "inside the pair: round up");
        assert_eq!(m.end_char(6), Some(5));
        assert_eq!(m.start_char(7), None);
    }

    #[test]
    fn atlas_counts_crlf_as_one() {
        let m = PositionMap::new("ab\r\ncd", Unit::CodePointCrlfOne);
        assert_eq!(m.units(), 5);
        assert_eq!(m.start_char(3), Some(4), "c starts after the line break");
        assert_eq!(m.end_char(2), Some(2));
    }

    proptest! {
        #[test]
        fn utf16_offsets_of_char_boundaries_map_back(s in "(\\PC|\r\n|\u{1F600}|\u{10FFFF}|æ){0,40}", extra in 1u64..5) {
            let m = PositionMap::new(&s, Unit::Utf16);
            let mut u = 0u64;
            for (i, c) in s.chars().enumerate() {
                prop_assert_eq!(m.start_char(u), Some(i));
                prop_assert_eq!(m.end_char(u), Some(i));
                if c.len_utf16() == 2 {
                    prop_assert_eq!(m.start_char(u + 1), Some(i));
                    prop_assert_eq!(m.end_char(u + 1), Some(i + 1));
                }
                u += c.len_utf16() as u64;
            }
            let n = s.chars().count();
            prop_assert_eq!(m.units(), u);
            prop_assert_eq!(m.start_char(u), Some(n));
            prop_assert_eq!(m.end_char(u), Some(n));
            prop_assert_eq!(m.start_char(u + extra), None);
        }

        #[test]
        fn code_points_are_identity(s in "\\PC{0,40}") {
            let m = PositionMap::new(&s, Unit::CodePoint);
            for i in 0..=s.chars().count() {
                prop_assert_eq!(m.start_char(i as u64), Some(i));
                prop_assert_eq!(m.end_char(i as u64), Some(i));
            }
        }
    }
}
