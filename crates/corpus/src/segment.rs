//! Segments, the unit of coding (DESIGN.md §3): one per speaker turn, with id
//! `<document>#<turn>`, line range, char offsets and the attributes of its
//! participant and document.

use crate::sheet::Attributes;
use serde::Serialize;

/// A speaker turn with everything analyses need about it.
#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    /// `<document>#<turn>`.
    pub segment: String,
    /// The document id.
    pub document: String,
    /// 1-based index of the turn within its document (every turn counts).
    pub turn: usize,
    /// The speaker label as declared in participants.csv.
    pub speaker: String,
    /// Pseudonymous participant id.
    pub participant: String,
    /// The participant's profession.
    pub profession: String,
    /// The speaker's role.
    pub role: String,
    /// The turn's text: exactly the normalised document text from
    /// `char_start` to `char_end`.
    pub text: String,
    /// First line of the turn in the source file (1-based).
    pub line_start: usize,
    /// Last line holding text of the turn.
    pub line_end: usize,
    /// Start offset in the normalised text, in Unicode scalar values.
    pub char_start: usize,
    /// End offset (exclusive).
    pub char_end: usize,
    /// The timestamp written at the turn, if any.
    pub timestamp: Option<String>,
    /// The timestamp in seconds.
    pub start_seconds: Option<u32>,
    /// The end time in seconds (subtitle formats).
    pub end_seconds: Option<u32>,
    /// Number of words.
    pub words: usize,
    /// The document's kind.
    pub kind: String,
    /// The document's phase.
    pub phase: String,
    /// The document's date.
    pub date: String,
    /// The participant's further attributes (participants.csv).
    pub participant_attributes: Attributes,
    /// The document's further attributes (documents.csv).
    pub document_attributes: Attributes,
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
            "profession" => &self.profession,
            "role" => &self.role,
            "participant" => &self.participant,
            "speaker" => &self.speaker,
            "document" => &self.document,
            "kind" => &self.kind,
            "phase" => &self.phase,
            "date" => &self.date,
            _ => return None,
        })
    }

    /// The value of an attribute by name: a pinned attribute, else a
    /// participant attribute, else a document attribute.
    pub fn attribute(&self, name: &str) -> Option<String> {
        if let Some(p) = self.pinned(name) {
            return Some(p.to_owned());
        }
        self.participant_attributes
            .get(name)
            .or_else(|| self.document_attributes.get(name))
            .map(|v| v.key())
    }

    /// Every attribute as `(name, value)`: the pinned ones, then the
    /// document's, then the participant's extra columns.
    pub fn attributes(&self) -> impl Iterator<Item = (&str, String)> {
        Self::PINNED_ATTRIBUTES
            .iter()
            .map(|n| (*n, self.pinned(n).unwrap_or_default().to_owned()))
            .chain(
                self.document_attributes
                    .iter()
                    .chain(&self.participant_attributes)
                    .map(|(k, v)| (k.as_str(), v.key())),
            )
    }

    /// Sentences of the segment's text.
    pub fn sentences(&self) -> Vec<crate::Sentence> {
        crate::sentence::sentences(&self.text)
    }
}

/// Count words the way `spor stats` does: Unicode words (UAX #29).
pub fn count_words(text: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    text.unicode_words().count()
}
