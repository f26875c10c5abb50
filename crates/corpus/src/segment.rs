//! Segments, the unit of coding (docs/FORMAT.md §3): one per speaker turn, with id
//! `<document>#<turn>`, line range, char offsets and the attributes of its
//! participant and document.

use crate::sheet::Attributes;

/// What every turn of one document shares: one allocation per document.
#[derive(Debug, Clone)]
pub struct DocumentShared {
    /// The document id.
    pub document: crate::SharedStr,
    /// The document's kind.
    pub kind: crate::SharedStr,
    /// The document's phase.
    pub phase: crate::SharedStr,
    /// The document's date.
    pub date: crate::SharedStr,
    /// The document's further attributes (documents.csv).
    pub attributes: Attributes,
}

/// What every turn of one speaker in one document shares.
#[derive(Debug, Clone)]
pub struct SpeakerShared {
    /// The speaker label as declared in participants.csv.
    pub speaker: crate::SharedStr,
    /// Pseudonymous participant id.
    pub participant: crate::SharedStr,
    /// The participant's profession.
    pub profession: crate::SharedStr,
    /// The speaker's role.
    pub role: crate::Role,
    /// The participant's further attributes (participants.csv).
    pub attributes: Attributes,
}

/// A speaker turn with everything analyses need about it. A study has
/// millions of turns, so a turn holds only what is its own (id, place,
/// text as a slice of its document's) and shares the rest with the other
/// turns of its document ([`DocumentShared`]) and speaker
/// ([`SpeakerShared`]), read through the methods of the same names.
#[derive(Debug, Clone)]
pub struct Segment {
    /// `<document>#<turn>`.
    pub segment: crate::SharedStr,
    /// 1-based index of the turn within its document (every turn counts).
    pub turn: u32,
    /// The turn's text: exactly the normalised document text from
    /// `char_start` to `char_end`.
    pub text: crate::TextSlice,
    /// First line of the turn in the source file (1-based).
    pub line_start: u32,
    /// Last line holding text of the turn.
    pub line_end: u32,
    /// Start offset in the normalised text, in Unicode scalar values.
    pub char_start: u32,
    /// End offset (exclusive).
    pub char_end: u32,
    /// The timestamp written at the turn, if any.
    pub timestamp: Option<crate::SharedStr>,
    /// The timestamp in seconds.
    pub start_seconds: Option<u32>,
    /// The end time in seconds (subtitle formats).
    pub end_seconds: Option<u32>,
    /// Number of words.
    pub words: u32,
    /// What the document's turns share.
    pub doc: std::sync::Arc<DocumentShared>,
    /// What the speaker's turns in this document share.
    pub who: std::sync::Arc<SpeakerShared>,
}

impl Segment {
    /// The document id.
    pub fn document(&self) -> &crate::SharedStr {
        &self.doc.document
    }
    /// The document's kind.
    pub fn kind(&self) -> &crate::SharedStr {
        &self.doc.kind
    }
    /// The document's phase.
    pub fn phase(&self) -> &crate::SharedStr {
        &self.doc.phase
    }
    /// The document's date.
    pub fn date(&self) -> &crate::SharedStr {
        &self.doc.date
    }
    /// The document's further attributes (documents.csv).
    pub fn document_attributes(&self) -> &Attributes {
        &self.doc.attributes
    }
    /// The speaker label as declared in participants.csv.
    pub fn speaker(&self) -> &crate::SharedStr {
        &self.who.speaker
    }
    /// Pseudonymous participant id.
    pub fn participant(&self) -> &crate::SharedStr {
        &self.who.participant
    }
    /// The participant's profession.
    pub fn profession(&self) -> &crate::SharedStr {
        &self.who.profession
    }
    /// The speaker's role.
    pub fn role(&self) -> crate::Role {
        self.who.role
    }
    /// The participant's further attributes (participants.csv).
    pub fn participant_attributes(&self) -> &Attributes {
        &self.who.attributes
    }
}

/// Serialised flat, every field by name, as a turn always was.
impl serde::Serialize for Segment {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("Segment", 21)?;
        m.serialize_field("segment", &self.segment)?;
        m.serialize_field("document", self.document())?;
        m.serialize_field("turn", &self.turn)?;
        m.serialize_field("speaker", self.speaker())?;
        m.serialize_field("participant", self.participant())?;
        m.serialize_field("profession", self.profession())?;
        m.serialize_field("role", &self.role())?;
        m.serialize_field("text", &self.text)?;
        m.serialize_field("line_start", &self.line_start)?;
        m.serialize_field("line_end", &self.line_end)?;
        m.serialize_field("char_start", &self.char_start)?;
        m.serialize_field("char_end", &self.char_end)?;
        m.serialize_field("timestamp", &self.timestamp)?;
        m.serialize_field("start_seconds", &self.start_seconds)?;
        m.serialize_field("end_seconds", &self.end_seconds)?;
        m.serialize_field("words", &self.words)?;
        m.serialize_field("kind", self.kind())?;
        m.serialize_field("phase", self.phase())?;
        m.serialize_field("date", self.date())?;
        m.serialize_field("participant_attributes", self.participant_attributes())?;
        m.serialize_field("document_attributes", self.document_attributes())?;
        m.end()
    }
}

impl Segment {
    /// The attributes every segment has, by name: what queries, filters
    /// and `--by` can use besides the sheets' extra columns.
    pub const PINNED_ATTRIBUTES: [&'static str; 8] = [
        "profession",
        "role",
        "participant",
        "speaker",
        "document",
        "kind",
        "phase",
        "date",
    ];

    fn pinned(&self, name: &str) -> Option<&str> {
        Some(match name {
            "profession" => self.profession(),
            "role" => self.role().as_str(),
            "participant" => self.participant(),
            "speaker" => self.speaker(),
            "document" => self.document(),
            "kind" => self.kind(),
            "phase" => self.phase(),
            "date" => self.date(),
            _ => return None,
        })
    }

    /// The value of an attribute by name: a pinned attribute, else a
    /// participant attribute, else a document attribute.
    pub fn attribute(&self, name: &str) -> Option<String> {
        if let Some(p) = self.pinned(name) {
            return Some(p.to_owned());
        }
        self.participant_attributes()
            .get(name)
            .or_else(|| self.document_attributes().get(name))
            .map(|v| v.key())
    }

    /// [`Segment::attribute`] borrowed where the value is text (a number
    /// is written out): for grouping millions of turns without copying
    /// their values.
    pub fn attribute_key(&self, name: &str) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        if let Some(p) = self.pinned(name) {
            return Some(Cow::Borrowed(p));
        }
        self.participant_attributes()
            .get(name)
            .or_else(|| self.document_attributes().get(name))
            .map(|v| match v {
                crate::AttrValue::Text(t) => Cow::Borrowed(t.as_str()),
                crate::AttrValue::Null => Cow::Borrowed(""),
                other => Cow::Owned(other.key()),
            })
    }

    /// Every attribute as `(name, value)`: the pinned ones, then the
    /// document's, then the participant's extra columns.
    pub fn attributes(&self) -> impl Iterator<Item = (&str, String)> {
        Self::PINNED_ATTRIBUTES
            .iter()
            .map(|n| (*n, self.pinned(n).unwrap_or_default().to_owned()))
            .chain(
                self.document_attributes()
                    .iter()
                    .chain(self.participant_attributes().iter())
                    .map(|(k, v)| (k.as_str(), v.key())),
            )
    }

    /// Sentences of the segment's text.
    pub fn sentences(&self) -> Vec<crate::Sentence> {
        crate::sentence::sentences(&self.text)
    }
}

/// Count words the way `spor stats` does: runs of letters and digits, where
/// `.`, `'`, `’`, `,` and `:` between two letters or digits keep a word
/// together (`f.eks`, `3,5`, `14:30`), as Unicode word boundaries (UAX #29)
/// do for Danish text, but in one pass without tables.
pub fn count_words(text: &str) -> usize {
    // UAX #29: `.`, `'` and `’` join letters to letters and digits to
    // digits, `:` letters only, `,` and `;` digits only.
    let mut words = 0;
    let mut prev: Option<bool> = None; // Some(is_digit) of the last word char
    let mut joiner: Option<char> = None; // a mid char right after a word char
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // ASCII bytes are characters, and so are the two bytes from 0xC3
        // (U+00C0 to U+00FF: æ, ø, å, é, ü ...); others are decoded
        let b = bytes[i];
        let (c, alnum, digit) = if b < 0x80 {
            i += 1;
            (b as char, b.is_ascii_alphanumeric(), b.is_ascii_digit())
        } else if b == 0xC3 {
            // a `str` is valid UTF-8: a continuation byte follows
            let c = char::from(0xC0 | (bytes[i + 1] & 0x3F));
            i += 2;
            (c, !matches!(c, '×' | '÷'), false)
        } else {
            let c = text[i..].chars().next().unwrap_or('\u{fffd}');
            i += c.len_utf8();
            (c, c.is_alphanumeric(), c.is_numeric())
        };
        if alnum {
            let joined = match (prev, joiner) {
                (Some(_), None) => true,
                (Some(p), Some('.' | '\'' | '\u{2019}')) => p == digit,
                (Some(p), Some(':')) => !p && !digit,
                (Some(p), Some(',' | ';')) => p && digit,
                _ => false,
            };
            if !joined {
                words += 1;
            }
            // the ASCII letters and digits that follow join this word and
            // change only whether its last character is a digit
            let mut last_digit = digit;
            while let Some(&n) = bytes.get(i).filter(|n| n.is_ascii_alphanumeric()) {
                last_digit = n.is_ascii_digit();
                i += 1;
            }
            prev = Some(last_digit);
            joiner = None;
        } else if prev.is_some()
            && joiner.is_none()
            && matches!(c, '.' | '\'' | '\u{2019}' | ',' | ';' | ':')
        {
            joiner = Some(c);
        } else {
            prev = None;
            joiner = None;
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::count_words;
    use unicode_segmentation::UnicodeSegmentation;

    #[test]
    fn counts_like_unicode_words_on_danish_text() {
        for s in [
            "Ja, altså ... jeg arbejder f.eks. på en medicinsk afdeling [griner].",
            "Det koster 3,5 mio. kr. og e-læring er ikke nok; ca. 80 % siger nej.",
            "Sygeplejerskens arbejde – og lægens – er forskelligt. Hvad så?",
            "Vi mødes kl. 14:30 i afd. B, ikke?",
        ] {
            assert_eq!(count_words(s), s.unicode_words().count(), "{s}");
        }
    }

    /// The word counter as it was before its byte fast paths, character
    /// by character: what the fast one must agree with.
    fn by_chars(text: &str) -> usize {
        // UAX #29: `.`, `'` and `’` join letters to letters and digits to
        // digits, `:` letters only, `,` and `;` digits only.
        let mut words = 0;
        let mut prev: Option<bool> = None; // Some(is_digit) of the last word char
        let mut joiner: Option<char> = None; // a mid char right after a word char
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // ASCII bytes are characters; other characters are decoded
            let b = bytes[i];
            let c = if b < 0x80 {
                i += 1;
                b as char
            } else {
                let c = text[i..].chars().next().unwrap_or('\u{fffd}');
                i += c.len_utf8();
                c
            };
            let (alnum, digit) = if c.is_ascii() {
                (c.is_ascii_alphanumeric(), c.is_ascii_digit())
            } else if matches!(c, 'À'..='ÿ') && !matches!(c, '×' | '÷') {
                (true, false) // Latin-1 letters: æ, ø, å, é, ü ...
            } else {
                (c.is_alphanumeric(), c.is_numeric())
            };
            if alnum {
                let joined = match (prev, joiner) {
                    (Some(_), None) => true,
                    (Some(p), Some('.' | '\'' | '\u{2019}')) => p == digit,
                    (Some(p), Some(':')) => !p && !digit,
                    (Some(p), Some(',' | ';')) => p && digit,
                    _ => false,
                };
                if !joined {
                    words += 1;
                }
                prev = Some(digit);
                joiner = None;
            } else if prev.is_some()
                && joiner.is_none()
                && matches!(c, '.' | '\'' | '\u{2019}' | ',' | ';' | ':')
            {
                joiner = Some(c);
            } else {
                prev = None;
                joiner = None;
            }
        }
        words
    }

    proptest::proptest! {
        #[test]
        fn the_fast_paths_count_as_characters_do(
            text in "[a-zA-Z0-9æøåÆØÅéü×÷ .,;:'’\\-–\n\u{301}ŝ٣]{0,80}|\\PC{0,40}"
        ) {
            proptest::prop_assert_eq!(count_words(&text), by_chars(&text), "{:?}", text);
        }
    }

    /// A study has millions of turns: a turn's own fields stay in 88
    /// bytes (counts in 32 bits, the timestamp a shared string one pointer
    /// wide), the rest is shared with its document and speaker.
    #[test]
    fn a_turn_is_small() {
        assert!(std::mem::size_of::<super::Segment>() <= 88);
    }
}
