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
    /// The value of an attribute by name: a pinned field (`profession`,
    /// `role`, `participant`, `speaker`, `document`, `kind`, `phase`, `date`),
    /// else a participant attribute, else a document attribute.
    pub fn attribute(&self, name: &str) -> Option<String> {
        let pinned = match name {
            "profession" => Some(&self.profession),
            "role" => Some(&self.role),
            "participant" => Some(&self.participant),
            "speaker" => Some(&self.speaker),
            "document" => Some(&self.document),
            "kind" => Some(&self.kind),
            "phase" => Some(&self.phase),
            "date" => Some(&self.date),
            _ => None,
        };
        if let Some(p) = pinned {
            return Some(p.clone());
        }
        self.participant_attributes
            .get(name)
            .or_else(|| self.document_attributes.get(name))
            .map(|v| v.key())
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
