//! Shared, immutable strings for what many records repeat: a document's
//! id, kind, phase and date on each of its turns, a speaker's participant
//! and profession, a turn's id on each of its coding rows, and a turn's
//! text as a slice of its document's text ([`DocText`]: in memory, or
//! mapped from spor's text store), with no copy.
//!
//! A study of a million turns would otherwise hold a million copies of
//! every attribute and its whole text twice. Cloning a [`SharedStr`] or a
//! [`TextSlice`] bumps a reference count; both read as `&str` (they
//! dereference to it), compare with strings, and print and serialise
//! exactly as a `String` would.
//!
//! ```
//! use spor_corpus::{DocText, SharedStr, TextSlice};
//! let doc = DocText::from("Anna: Ja.\nBo: Nej.");
//! let turn = TextSlice::new(doc.clone(), 6..9);
//! assert_eq!(turn, "Ja.");
//! assert_eq!(&*turn, "Ja.");
//! let id = SharedStr::from("interview-01#2");
//! assert!(id.clone() == "interview-01#2");
//! ```

use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::fmt;
use std::ops::{Deref, Range};

use crate::text::DocText;

/// An immutable string whose clones share one allocation. It is one
/// pointer wide (the length is kept in the allocation, `arcstr`), so the
/// records that hold several (a coding row holds five) stay small; the
/// empty string allocates nothing.
#[derive(Clone, Default)]
pub struct SharedStr(arcstr::ArcStr);

impl SharedStr {
    /// The string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        arcstr::ArcStr::ptr_eq(&self.0, &other.0) || self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for SharedStr {
    /// As the `str` hashes (so that maps keyed by it are looked up by
    /// `&str`, through `Borrow`).
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        SharedStr(arcstr::ArcStr::from(s))
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr(arcstr::ArcStr::from(s))
    }
}

impl From<&String> for SharedStr {
    fn from(s: &String) -> Self {
        SharedStr(arcstr::ArcStr::from(s.as_str()))
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> Self {
        s.0.to_string()
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl Serialize for SharedStr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(SharedStr::from(String::deserialize(d)?))
    }
}

/// A range of a document's text, read as `&str`: a turn's text within its
/// document's, without a copy. The range is kept in 32 bits (a text up to
/// 4 GiB): a study holds one per turn.
#[derive(Clone, Default)]
pub struct TextSlice {
    source: DocText,
    start: u32,
    end: u32,
}

impl TextSlice {
    /// The bytes `range` of `source`.
    ///
    /// # Panics
    /// If `range` is out of bounds or not on character boundaries, as
    /// slicing a `str` would, or if `source` is 4 GiB or longer.
    pub fn new(source: DocText, range: Range<usize>) -> Self {
        let _ = source.slice(range.start, range.end);
        let small = |n: usize| u32::try_from(n).expect("a text shorter than 4 GiB");
        TextSlice {
            start: small(range.start),
            end: small(range.end),
            source,
        }
    }

    /// The same range of `to`, a text with the same content as this
    /// slice's (a document's text moved from memory to the text store).
    /// Nothing of `to` is read: the range was checked on the text it came
    /// from.
    ///
    /// # Panics
    /// If `to` is not as long as the current source.
    pub(crate) fn moved_to(&self, to: &DocText) -> TextSlice {
        assert_eq!(to.len(), self.source.len(), "the same text, elsewhere");
        TextSlice {
            source: to.clone(),
            start: self.start,
            end: self.end,
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        self.source.slice(self.start as usize, self.end as usize)
    }
}

impl Deref for TextSlice {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for TextSlice {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for TextSlice {
    fn from(s: &str) -> Self {
        TextSlice::new(DocText::from(s), 0..s.len())
    }
}

impl From<String> for TextSlice {
    fn from(s: String) -> Self {
        let end = s.len();
        TextSlice::new(DocText::from(s), 0..end)
    }
}

impl fmt::Debug for TextSlice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for TextSlice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl Serialize for TextSlice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq for TextSlice {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for TextSlice {}

impl std::hash::Hash for TextSlice {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

/// Comparisons with `str`, `&str` and `String`, both ways.
macro_rules! str_eq {
    ($t:ty) => {
        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }
        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
        impl PartialEq<String> for $t {
            fn eq(&self, other: &String) -> bool {
                self.as_str() == other.as_str()
            }
        }
        impl PartialEq<$t> for str {
            fn eq(&self, other: &$t) -> bool {
                self == other.as_str()
            }
        }
        impl PartialEq<$t> for &str {
            fn eq(&self, other: &$t) -> bool {
                *self == other.as_str()
            }
        }
        impl PartialEq<$t> for String {
            fn eq(&self, other: &$t) -> bool {
                self.as_str() == other.as_str()
            }
        }
    };
}
str_eq!(SharedStr);
str_eq!(TextSlice);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_strings_read_compare_and_serialise_as_strings() {
        let a = SharedStr::from("sygeplejerske");
        let b = a.clone();
        assert!(
            arcstr::ArcStr::ptr_eq(&a.0, &b.0),
            "a clone shares the allocation"
        );
        assert_eq!(std::mem::size_of::<SharedStr>(), 8, "one pointer");
        let mut h = std::collections::HashMap::new();
        h.insert(a.clone(), 1);
        assert_eq!(h.get("sygeplejerske"), Some(&1), "looked up by &str");
        assert_eq!(SharedStr::default(), "");
        assert_eq!(a, "sygeplejerske");
        assert_eq!("sygeplejerske".to_owned(), a);
        assert_eq!(format!("{a:?}"), format!("{:?}", "sygeplejerske"));
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"sygeplejerske\"");
        let back: SharedStr = serde_json::from_str("\"æøå\"").unwrap();
        assert_eq!(back, "æøå");
        let mut v = vec![
            SharedStr::from("ø"),
            SharedStr::from("b"),
            SharedStr::from("a"),
        ];
        v.sort();
        assert_eq!(v, ["a", "b", "ø"], "ordered as strings are");
    }

    #[test]
    fn a_text_slice_is_its_range_of_the_source() {
        let doc = DocText::from("Læge: Øjeblik.\nAnna: Ja.");
        let s = TextSlice::new(doc.clone(), 7..16);
        assert_eq!(s, "Øjeblik.");
        assert_eq!(s.chars().count(), 8);
        assert_eq!(format!("{s}"), "Øjeblik.");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"Øjeblik.\"");
        assert_eq!(TextSlice::from("Øjeblik."), s);
    }

    #[test]
    #[should_panic]
    fn a_slice_off_a_character_boundary_is_refused() {
        TextSlice::new(DocText::from("æ"), 0..1);
    }
}
