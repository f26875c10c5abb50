//! The evidence every figure is computed from: the corpus, the codebooks,
//! the curriculum and the codings counted under the study's policy.

use serde::Serialize;
use spor_codebook::{CodebookSet, Curriculum};
use spor_coding::{Codings, Memo, MemoTarget, Support};
use spor_corpus::SharedStr;
use spor_corpus::{Corpus, Segment};
use std::collections::{BTreeMap, BTreeSet};

/// Errors of the analysis stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalysisError {
    /// `--by` names an attribute segments do not have.
    UnknownAttribute {
        /// The name.
        name: String,
        /// The attributes there are.
        known: Vec<String>,
    },
    /// The attribute is marked private and cannot leave the team.
    PrivateAttribute(String),
    /// No learning goal, format element or code has this id.
    UnknownId(String),
}

impl std::fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnalysisError::UnknownAttribute { name, known } => {
                write!(
                    f,
                    "unknown attribute {name:?} (known: {})",
                    known.join(", ")
                )
            }
            AnalysisError::PrivateAttribute(n) => write!(
                f,
                "attribute {n:?} is marked private in the sheets and is never shown in outputs"
            ),
            AnalysisError::UnknownId(id) => {
                write!(
                    f,
                    "no learning goal, format element or code has the id {id:?}"
                )
            }
        }
    }
}

impl std::error::Error for AnalysisError {}

/// Everything the figures are computed from.
pub struct Evidence<'a> {
    /// The corpus.
    pub corpus: &'a Corpus,
    /// The codebooks.
    pub books: &'a CodebookSet,
    /// The curriculum, if the study has one.
    pub curriculum: Option<&'a Curriculum>,
    /// The merged codings.
    pub codings: &'a Codings,
    /// Attribute names that must never appear in outputs.
    pub private: &'a BTreeSet<String>,
    /// Figures by group resting on fewer participants than this are
    /// hidden (`--min-cell`, `[privacy] min_cell`; 0: none).
    pub min_cell: usize,
    /// Each document's transcript file and its SHA-256.
    pub files: rustc_hash::FxHashMap<String, (String, String)>,
    /// Coding rows by turn and code.
    rows: crate::rows::RowIndex<'a>,
    /// The counted segments of each code in corpus order, computed once.
    counted: std::sync::OnceLock<Units<'a>>,
    /// The counted segments of each code, reviewed first, and how many
    /// were reviewed, computed once ([`Evidence::reviewed_first`]).
    reviewed_first: std::sync::OnceLock<rustc_hash::FxHashMap<String, ReviewedFirst<'a>>>,
}

/// A code's counted turns, reviewed first, and how many were reviewed.
type ReviewedFirst<'a> = (Vec<&'a Segment>, usize);

/// Each code's counted turns (participant turns only), in corpus order.
pub type Units<'a> = BTreeMap<SharedStr, Vec<&'a Segment>>;

/// A memo as outputs show it: who wrote it and what it says.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MemoNote {
    /// The coder.
    pub coder: String,
    /// The memo's text.
    pub text: String,
}

impl MemoNote {
    fn of(m: &Memo) -> MemoNote {
        MemoNote {
            coder: m.coder.clone(),
            text: m.text.clone(),
        }
    }
}

/// Counted turns split by what they rest on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Split {
    /// Turns a person coded, or whose suggestion a person accepted.
    pub reviewed: usize,
    /// Turns that rest only on rule suggestions nobody has decided on.
    pub unreviewed: usize,
}

impl Split {
    /// Count one turn.
    pub fn add(&mut self, reviewed: bool) {
        if reviewed {
            self.reviewed += 1;
        } else {
            self.unreviewed += 1;
        }
    }
}

/// A quote: a segment cited by pseudonymous participant, profession and
/// place, never by speaker label.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Quote {
    /// `document#turn`.
    pub segment: String,
    /// Document id.
    pub document: String,
    /// Turn.
    pub turn: usize,
    /// Pseudonymous participant id.
    pub participant: String,
    /// Profession.
    pub profession: String,
    /// The turn's text, or the coded passages of it (see
    /// [`Quote::passages`]), at most [`MAX_QUOTE_CHARS`] characters (then
    /// cut at a word and ended with `…`).
    pub text: String,
    /// Characters the length limit left out of `text` (0: none).
    pub cut: usize,
    /// First line in the transcript (of the first passage, when the quote
    /// shows passages).
    pub line_start: usize,
    /// Last line (of the last passage).
    pub line_end: usize,
    /// The transcript file.
    pub file: String,
    /// The transcript's timestamp at the start of the turn, if it has one.
    pub timestamp: Option<String>,
    /// Who coded it: `rule:<id>` and/or `coder:<name>` (counted rows).
    pub origins: Vec<String>,
    /// Whether a person coded it or accepted a suggestion of it (an
    /// unreviewed quote rests only on rule suggestions nobody decided on).
    pub reviewed: bool,
    /// For a rule suggestion: the words its rules matched in the turn.
    pub matched: Vec<String>,
    /// The memos coders wrote on this coding, each coder's oldest first.
    pub memos: Vec<MemoNote>,
    /// When coders coded passages of the turn: those passages (joined where
    /// they overlap), in text order; `text` then shows only them, marked
    /// with `…` where the turn goes on, and `line_start`/`line_end` are
    /// their lines. Empty: `text` is the whole turn.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<QuotePassage>,
}

/// A turn as a dossier's table of further turns cites it
/// ([`Evidence::cite`]): the same values as its [`Quote`], borrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cited<'a> {
    /// `document#turn`.
    pub segment: &'a str,
    /// Pseudonymous participant id.
    pub participant: &'a str,
    /// Profession.
    pub profession: &'a str,
    /// The transcript file.
    pub file: &'a str,
    /// First line cited.
    pub line_start: usize,
    /// Last line cited.
    pub line_end: usize,
    /// Who coded it (counted rows), shown as `rule:<id>`, `coder:<name>`.
    pub origins: Vec<&'a spor_coding::Origin>,
    /// Whether a person coded it or accepted a suggestion of it.
    pub reviewed: bool,
}

/// A passage a quote shows.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuotePassage {
    /// Offset of its first character in the turn's text (Unicode scalar
    /// values).
    pub start: usize,
    /// Offset after its last character.
    pub end: usize,
    /// Its first line in the transcript.
    pub line_start: usize,
    /// Its last line.
    pub line_end: usize,
}

/// The passages of a turn that its counted rows name. Several coders'
/// passages of one turn are all shown, joined where they overlap; none
/// (empty) means the whole turn.
fn passages_of(
    seg: &Segment,
    counted: &[&spor_coding::Coding],
) -> Vec<spor_coding::passage::Passage> {
    if counted.iter().all(|r| r.passages().is_empty()) {
        return Vec::new();
    }
    let named: Vec<spor_coding::passage::Passage> = counted
        .iter()
        .flat_map(|r| r.passages().iter().cloned())
        .collect();
    spor_coding::passage::union(&seg.text, &named)
}

/// The transcript lines of each passage, and the span a quote cites: the
/// first passage's first line to the last one's last, or the whole turn's
/// lines without passages.
fn lines_of(
    seg: &Segment,
    passages: &[spor_coding::passage::Passage],
) -> (Vec<(usize, usize)>, (usize, usize)) {
    let lines: Vec<(usize, usize)> = passages
        .iter()
        .map(|p| p.lines(&seg.text, seg.line_start as usize))
        .collect();
    let span = match (lines.first(), lines.last()) {
        (Some(a), Some(b)) => (a.0, b.1),
        _ => (seg.line_start as usize, seg.line_end as usize),
    };
    (lines, span)
}

/// The text a quote shows for `passages` of a turn: each passage's text,
/// with `…` where the turn goes on before, between or after them.
pub fn passage_text(turn: &str, passages: &[spor_coding::passage::Passage]) -> String {
    let n = turn.chars().count();
    let blank = |a: usize, b: usize| {
        spor_coding::passage::slice(turn, a, b).is_none_or(|t| t.trim().is_empty())
    };
    let mut out = String::new();
    let mut at = 0;
    for p in passages {
        let text = spor_coding::passage::slice(turn, p.start, p.end)
            .unwrap_or(&p.quote)
            .trim();
        if !blank(at, p.start) {
            out.push_str(if out.is_empty() { "… " } else { " … " });
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(text);
        at = p.end;
    }
    if !blank(at, n) {
        out.push_str(" …");
    }
    out
}

/// The longest quote outputs print: a longer turn is cut (at a word) and
/// its citation (file and lines) leads to the rest, so that one very long
/// turn cannot blow up a report or a dossier.
pub const MAX_QUOTE_CHARS: usize = 5_000;

/// A turn's text for a quote: the text, or its first [`MAX_QUOTE_CHARS`]
/// characters cut at a word and ended with `…`; and how many characters
/// were left out.
pub fn clip(text: &str) -> (String, usize) {
    let total = text.chars().count();
    if total <= MAX_QUOTE_CHARS {
        return (text.to_owned(), 0);
    }
    let end = text
        .char_indices()
        .nth(MAX_QUOTE_CHARS)
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let head = &text[..end];
    let head = match head.rfind(char::is_whitespace) {
        Some(i) if i > end / 2 => &head[..i],
        _ => head,
    };
    let kept = head.chars().count();
    (format!("{}…", head.trim_end()), total - kept)
}

impl<'a> Evidence<'a> {
    /// Gather the evidence; transcript hashes come from the corpus.
    pub fn new(
        corpus: &'a Corpus,
        books: &'a CodebookSet,
        curriculum: Option<&'a Curriculum>,
        codings: &'a Codings,
        private: &'a BTreeSet<String>,
    ) -> Self {
        let files = corpus
            .documents
            .iter()
            .map(|d| (d.meta.id.clone(), (d.meta.file.clone(), d.sha256.clone())))
            .collect();
        let rows = crate::rows::RowIndex::new(corpus, &codings.rows, codings.policy);
        Evidence {
            corpus,
            books,
            curriculum,
            codings,
            private,
            min_cell: 0,
            files,
            rows,
            counted: Default::default(),
            reviewed_first: Default::default(),
        }
    }

    /// The same evidence with figures by group on fewer than `k`
    /// participants hidden in every output.
    pub fn with_min_cell(mut self, k: usize) -> Self {
        self.min_cell = k;
        self
    }

    /// The counted segments of each code (participant turns only), under
    /// the policy (borrowed: computed once), or only `coder`'s accepted
    /// codings when given.
    pub fn units(&self, coder: Option<&str>) -> std::borrow::Cow<'_, Units<'a>> {
        match coder {
            None => std::borrow::Cow::Borrowed(self.counted()),
            Some(c) => std::borrow::Cow::Owned(self.units_of(self.codings.counted_for(c).iter())),
        }
    }

    /// The counted segments of each code under the policy (participant
    /// turns only), in corpus order, computed once from the rows' flags.
    pub fn counted(&self) -> &Units<'a> {
        self.counted
            .get_or_init(|| self.rows.counted_by_code(self.corpus))
    }

    /// Each code's turns among `pairs` of (segment, code), participant
    /// turns of the corpus only, in corpus order.
    fn units_of<'p>(&self, pairs: impl Iterator<Item = &'p (SharedStr, SharedStr)>) -> Units<'a> {
        // each turn with its place, to be put in corpus order
        type Placed<'a> = Vec<((usize, usize), &'a Segment)>;
        let mut by_code: BTreeMap<SharedStr, Placed<'a>> = BTreeMap::new();
        for (seg, code) in pairs {
            let Some((d, t)) = self.corpus.position(seg) else {
                continue;
            };
            let s = &self.corpus.documents[d].segments[t];
            if s.role() == spor_corpus::Role::Participant {
                by_code.entry(code.clone()).or_default().push(((d, t), s));
            }
        }
        by_code
            .into_iter()
            .map(|(code, mut segs)| {
                segs.sort_unstable_by_key(|(place, _)| *place);
                segs.dedup_by_key(|(place, _)| *place);
                (code, segs.into_iter().map(|(_, s)| s).collect())
            })
            .collect()
    }

    /// Every participant turn with a counted coding under the policy, in
    /// corpus order, with the numbers of the codes counted on it (each
    /// once; [`Evidence::code_ids`] names them) and whether each rests on a
    /// person's review: one pass over the rows' flags.
    pub(crate) fn each_counted_turn(&self, f: impl FnMut(&'a Segment, &[(u32, bool)])) {
        self.rows.each_counted_turn(self.corpus, f);
    }

    /// The code of each number [`Evidence::each_counted_turn`] gives.
    pub(crate) fn code_ids(&self) -> &[&'a spor_corpus::SharedStr] {
        self.rows.code_ids()
    }

    /// The counted segments of `code` (participant turns only) in corpus
    /// order.
    pub fn counted_segments(&self, code: &str) -> &[&'a Segment] {
        self.counted().get(code).map_or(&[], Vec::as_slice)
    }

    /// A segment by id.
    pub fn segment(&self, id: &str) -> Option<&'a Segment> {
        self.corpus.segment(id)
    }

    /// The coding rows of one segment and code.
    pub fn rows_of(&self, segment: &str, code: &str) -> &[&'a spor_coding::Coding] {
        self.rows.of(self.corpus, segment, code)
    }

    /// What every (segment, code) that counts under the policy rests on,
    /// as [`Codings::support_of`] gives it, one pair at a time: the corpus's
    /// turns in order, then rows on segments it does not have.
    pub fn supports(&self) -> impl Iterator<Item = (&'a str, &'a str, Support)> + '_ {
        self.rows.groups().filter_map(|g| {
            Codings::support_of(g.iter().copied(), self.codings.policy)
                .map(|s| (g[0].segment.as_str(), g[0].code.as_str(), s))
        })
    }

    /// [`Evidence::rows_of`] for a turn of the corpus (found by its place,
    /// not its id).
    pub fn rows_at(&self, seg: &Segment, code: &str) -> &[&'a spor_coding::Coding] {
        self.rows.of_segment(self.corpus, seg, code)
    }

    /// [`Evidence::reviewed`] for a turn of the corpus.
    pub fn reviewed_at(&self, seg: &Segment, code: &str) -> bool {
        self.rows.reviewed_at(self.corpus, seg, code)
    }

    /// Whether the counted coding of `code` on `segment` was reviewed by a
    /// person (a pair that does not count, e.g. one coder's own coding in
    /// a `--coder` matrix, is a person's and so reviewed).
    pub fn reviewed(&self, segment: &str, code: &str) -> bool {
        self.is_reviewed(self.rows_of(segment, code))
    }

    /// Whether one pair's rows rest on a person's review (or none counts).
    fn is_reviewed(&self, rows: &[&spor_coding::Coding]) -> bool {
        crate::rows::rests_on_review(Codings::support_of(
            rows.iter().copied(),
            self.codings.policy,
        ))
    }

    /// Reviewed and unreviewed counted turns of `code` (participant turns
    /// only, under the policy).
    pub fn split(&self, code: &str) -> Split {
        let (segs, reviewed) = self.reviewed_first(code);
        Split {
            reviewed,
            unreviewed: segs.len() - reviewed,
        }
    }

    /// The policy under which codings are counted.
    pub fn policy(&self) -> spor_coding::Policy {
        self.codings.policy
    }

    /// Memos on a coding, in the order of `Codings::memos` (by coder, each
    /// coder's oldest first).
    pub fn coding_memos(&self, segment: &str, code: &str) -> Vec<MemoNote> {
        self.memos_where(|t| {
            matches!(t, MemoTarget::Coding { segment: s, code: c } if s == segment && c == code)
        })
    }

    /// Memos on a code.
    pub fn code_memos(&self, code: &str) -> Vec<MemoNote> {
        self.memos_where(|t| matches!(t, MemoTarget::Code { code: c } if c == code))
    }

    /// Memos on a document.
    pub fn document_memos(&self, document: &str) -> Vec<MemoNote> {
        self.memos_where(|t| matches!(t, MemoTarget::Document { document: d } if d == document))
    }

    fn memos_where(&self, f: impl Fn(&MemoTarget) -> bool) -> Vec<MemoNote> {
        if self.codings.memos.is_empty() {
            return Vec::new();
        }
        self.codings
            .memos
            .iter()
            .filter(|m| f(&m.target))
            .map(MemoNote::of)
            .collect()
    }

    /// The counted turns of `code` as traces list them: those a person
    /// reviewed first, then the others, each part in corpus order; and how
    /// many were reviewed. Worked out once for every code.
    pub fn reviewed_first(&self, code: &str) -> (&[&'a Segment], usize) {
        let all = self.reviewed_first.get_or_init(|| {
            self.counted()
                .keys()
                .map(|c| {
                    let c = c.as_str();
                    let (mut segs, unreviewed): (Vec<&'a Segment>, Vec<&'a Segment>) = self
                        .counted_segments(c)
                        .iter()
                        .copied()
                        .partition(|s| self.reviewed_at(s, c));
                    let n = segs.len();
                    segs.extend(unreviewed);
                    (c.to_owned(), (segs, n))
                })
                .collect()
        });
        all.get(code)
            .map_or((&[][..], 0), |(segs, n)| (segs.as_slice(), *n))
    }

    /// A turn coded with `code` as a dossier's table cites it: the fields
    /// of its [`Quote`] that the table prints, borrowed rather than copied.
    /// `reviewed` is whether a person reviewed it (from
    /// [`Evidence::reviewed_first`], which knows it already).
    pub fn cite<'s>(&'s self, seg: &'a Segment, code: &str, reviewed: bool) -> Cited<'s> {
        let counted = self.counted_rows(seg, code);
        let (_, (line_start, line_end)) = lines_of(seg, &passages_of(seg, &counted));
        Cited {
            segment: seg.segment.as_str(),
            participant: seg.participant().as_str(),
            profession: seg.profession().as_str(),
            file: self
                .files
                .get(seg.document().as_str())
                .map_or("", |f| f.0.as_str()),
            line_start,
            line_end,
            origins: counted.iter().map(|r| &r.origin).collect(),
            reviewed,
        }
    }

    /// The rows of `code` on `seg` that count under the policy.
    fn counted_rows<'s>(&'s self, seg: &Segment, code: &str) -> Vec<&'s spor_coding::Coding> {
        self.rows_at(seg, code)
            .iter()
            .copied()
            .filter(|r| r.counts(self.codings.policy))
            .collect()
    }

    /// The quote for a segment coded with `code`.
    pub fn quote(&self, seg: &Segment, code: &str) -> Quote {
        let counted = self.counted_rows(seg, code);
        let origins: Vec<String> = counted.iter().map(|r| r.origin.to_string()).collect();
        let matched: BTreeSet<&str> = counted
            .iter()
            .filter(|r| r.is_suggestion())
            .flat_map(|r| r.matched.split_whitespace())
            .collect();
        let passages = passages_of(seg, &counted);
        let shown = if passages.is_empty() {
            seg.text.to_string()
        } else {
            passage_text(&seg.text, &passages)
        };
        let (lines, (line_start, line_end)) = lines_of(seg, &passages);
        let (text, cut) = clip(&shown);
        Quote {
            segment: seg.segment.to_string(),
            document: seg.document().to_string(),
            turn: seg.turn as usize,
            participant: seg.participant().to_string(),
            profession: seg.profession().to_string(),
            text,
            cut,
            line_start,
            line_end,
            file: self
                .files
                .get(seg.document().as_str())
                .map(|f| f.0.clone())
                .unwrap_or_default(),
            timestamp: seg.timestamp.as_deref().map(str::to_owned),
            origins,
            reviewed: self.reviewed_at(seg, code),
            matched: matched.into_iter().map(str::to_owned).collect(),
            memos: self.coding_memos(&seg.segment, code),
            passages: passages
                .iter()
                .zip(lines)
                .map(|(p, (a, b))| QuotePassage {
                    start: p.start,
                    end: p.end,
                    line_start: a,
                    line_end: b,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod clip_tests {
    use super::*;

    #[test]
    fn passage_text_marks_where_the_turn_goes_on() {
        use spor_coding::passage::Passage;
        let turn = "Ja. Vi blev ikke spurgt.\nDet er jo ikke sikkert.";
        let p = |q: &str| Passage::find(turn, q).unwrap();
        assert_eq!(
            passage_text(turn, &[p("Vi blev ikke spurgt")]),
            "… Vi blev ikke spurgt …"
        );
        assert_eq!(
            passage_text(turn, &[p("Ja."), p("Det er jo ikke sikkert.")]),
            "Ja. … Det er jo ikke sikkert."
        );
        assert_eq!(
            passage_text(turn, &[p("Ja."), p("Vi blev")]),
            "Ja. Vi blev …"
        );
    }

    #[test]
    fn long_turns_are_cut_at_a_word() {
        assert_eq!(clip("kort tur"), ("kort tur".to_owned(), 0));
        let long = "ord ".repeat(3_000); // 12,000 characters
        let (text, cut) = clip(&long);
        assert!(text.ends_with("ord…"), "{}", &text[text.len() - 10..]);
        assert!(text.chars().count() <= MAX_QUOTE_CHARS + 1);
        assert_eq!(text.chars().count() - 1 + cut, long.chars().count());
        // one 50,000-character word is cut inside it
        let (text, cut) = clip(&"æ".repeat(50_000));
        assert_eq!(text.chars().count(), MAX_QUOTE_CHARS + 1);
        assert_eq!(cut, 50_000 - MAX_QUOTE_CHARS);
    }
}
