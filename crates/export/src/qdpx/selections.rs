//! Coded selections: each turn's codings, and each coded passage of a turn,
//! as `PlainTextSelection`s of its text source.

/// One coding of a segment: (code order, coder or None for the rules, code).
pub(super) type SegmentCoding<'a> = (usize, Option<&'a str>, &'a str);
