//! The audit: does the chain from findings to format hold, and does the
//! evidence still match its inputs?

use crate::Evidence;
use crate::manifest::{Change, Manifest};
use serde::Serialize;
use spor_codebook::Curriculum;
use std::collections::BTreeSet;

/// The thresholds of the evidence check (`[audit]` in `spor.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Settings {
    /// Minimum coded segments per code (default 3).
    pub min_segments: usize,
    /// Minimum distinct participants per code (default 2).
    pub min_participants: usize,
    /// Minimum Krippendorff's alpha of a code a goal or element relies on,
    /// where two or more coders coded it (default 0.667, Krippendorff's
    /// lowest bound for tentative conclusions).
    pub min_alpha: f64,
    /// Minimum share of a goal's or element's evidence that a person has
    /// reviewed (default 0: reported, never a failure).
    pub min_reviewed_share: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_segments: 3,
            min_participants: 2,
            min_alpha: 0.667,
            min_reviewed_share: 0.0,
        }
    }
}

/// How much of a goal's or element's evidence a person has reviewed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewedShare {
    /// The goal or element.
    pub id: String,
    /// `learning goal` or `format element`.
    pub what: &'static str,
    /// Counted (turn, code) pairs of the codes it links.
    pub evidence: usize,
    /// Of those, pairs a person coded or accepted.
    pub reviewed: usize,
    /// Pairs that rest only on suggestions nobody reviewed.
    pub unreviewed: usize,
    /// `reviewed / evidence` (0 when there is no evidence).
    pub share: f64,
}

/// One broken link or mismatch, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The check: `no-curriculum`, `empty-curriculum`, `goal-without-code`,
    /// `unknown-code`, `unanswered-cue`, `thin-evidence`, `low-agreement`,
    /// `unreviewed-evidence`, `orphaned-coding`, `dangling-coding`,
    /// `coder-file-error`, `no-manifest`, `input-changed`, `input-added`,
    /// `input-missing`, `output-changed`, `output-missing`.
    pub check: &'static str,
    /// What it concerns (an id, a file).
    pub subject: String,
    /// What is wrong.
    pub message: String,
    /// What to fix.
    pub fix: String,
}

/// Check the chain: the curriculum has goals and elements, they link codes
/// that exist; every cue code is answered; every code the chain rests on
/// has enough evidence.
pub fn chain(ev: &Evidence, settings: Settings) -> Vec<Violation> {
    let mut v = Vec::new();
    let Some(cur) = ev.curriculum else {
        v.push(Violation {
            check: "no-curriculum",
            subject: "curriculum".into(),
            message: "the study has no curriculum".into(),
            fix: "add curriculum.toml and name it in spor.toml ([study] curriculum)".into(),
        });
        return v;
    };
    let shown = cur.path.display().to_string();
    empty_curriculum(cur, &shown, &mut v);
    let mut linked = curriculum_links(ev, cur, &shown, &mut v);
    unanswered_cues(ev, &shown, &mut linked, &mut v);
    thin_evidence(ev, settings, &linked, &mut v);
    v
}

/// A curriculum without learning goals or without format elements.
fn empty_curriculum(cur: &Curriculum, shown: &str, v: &mut Vec<Violation>) {
    for (what, n, key) in [
        ("learning goals", cur.learning_goals.len(), "learning_goals"),
        (
            "format elements",
            cur.format_elements.len(),
            "format_elements",
        ),
    ] {
        if n == 0 {
            v.push(Violation {
                check: "empty-curriculum",
                subject: shown.to_owned(),
                message: format!("the curriculum has no {what}, so no chain can be audited"),
                fix: format!(
                    "{shown}: add the module's {what} ([[{key}]] with id, text and codes)"
                ),
            });
        }
    }
}

/// Every goal and element links at least one code, and only codes that
/// exist; returns the codes linked.
fn curriculum_links(
    ev: &Evidence,
    cur: &Curriculum,
    shown: &str,
    v: &mut Vec<Violation>,
) -> BTreeSet<String> {
    let mut linked = BTreeSet::new();
    for e in cur.elements() {
        if e.codes.is_empty() {
            v.push(Violation {
                check: "goal-without-code",
                subject: e.id.clone(),
                message: format!("{} {} links no code", e.what(), e.id),
                fix: format!(
                    "{shown}:{}: add the codes it answers (codes = [...])",
                    e.line
                ),
            });
        }
        for c in &e.codes {
            if ev.books.code(c).is_none() {
                v.push(Violation {
                    check: "unknown-code",
                    subject: e.id.clone(),
                    message: format!(
                        "{} {} links code {c:?}, which no codebook has",
                        e.what(),
                        e.id
                    ),
                    fix: format!(
                        "{shown}:{}: correct the code id, or add the code to a codebook",
                        e.line
                    ),
                });
            } else {
                linked.insert(c.clone());
            }
        }
    }
    linked
}

/// Every cue code (one with a translation) is answered by a goal or an
/// element; each is added to `linked`, so that its evidence is checked too.
fn unanswered_cues(
    ev: &Evidence,
    shown: &str,
    linked: &mut BTreeSet<String>,
    v: &mut Vec<Violation>,
) {
    for (book, code) in ev.books.codes() {
        if code.translation.is_some() && !linked.contains(&code.id) {
            v.push(Violation {
                check: "unanswered-cue",
                subject: code.id.clone(),
                message: format!(
                    "cue code {} ({}) is answered by no learning goal or format element",
                    code.id, code.label
                ),
                fix: format!(
                    "link it from a goal or element in {shown} (its translation: see {}:{})",
                    book.path.display(),
                    code.line
                ),
            });
            linked.insert(code.id.clone());
        }
    }
}

/// Every code the chain rests on has at least the minimum of counted
/// segments and participants.
fn thin_evidence(
    ev: &Evidence,
    settings: Settings,
    linked: &BTreeSet<String>,
    v: &mut Vec<Violation>,
) {
    for (_, code) in ev.books.codes().filter(|(_, c)| linked.contains(&c.id)) {
        let segs = ev.counted_segments(&code.id);
        let parts: BTreeSet<&str> = segs.iter().map(|s| s.participant().as_str()).collect();
        if segs.len() < settings.min_segments || parts.len() < settings.min_participants {
            v.push(Violation {
                check: "thin-evidence",
                subject: code.id.clone(),
                message: format!(
                    "code {} rests on {} segment(s) from {} participant(s); the minimum is {} from {}",
                    code.id,
                    segs.len(),
                    parts.len(),
                    settings.min_segments,
                    settings.min_participants
                ),
                fix: "code more turns (spor review / spor code add), widen the code's rules, or lower [audit] min_segments / min_participants in spor.toml".into(),
            });
        }
    }
}

/// The codes the curriculum links, in codebook order.
fn linked_codes(ev: &Evidence) -> Vec<String> {
    let Some(cur) = ev.curriculum else {
        return Vec::new();
    };
    let linked: BTreeSet<&str> = cur
        .elements()
        .flat_map(|e| e.codes.iter().map(String::as_str))
        .collect();
    ev.books
        .codes()
        .filter(|(_, c)| linked.contains(c.id.as_str()))
        .map(|(_, c)| c.id.clone())
        .collect()
}

/// Rows of the coders' files that do not count: malformed rows, unknown
/// segments or codes, and codings whose text is gone (orphaned).
pub fn coder_files(files: &spor_coding::coders::CoderFiles) -> Vec<Violation> {
    let mut v = Vec::new();
    for o in &files.orphaned {
        v.push(Violation {
            check: "orphaned-coding",
            subject: format!("{} {}", o.segment, o.code),
            message: format!(
                "{}: {}'s coding {} {} is orphaned: {}",
                o.location, o.coder, o.segment, o.code, o.reason
            ),
            fix: format!(
                "code the passage again where it is now (spor code add SEGMENT {} --coder {}), or restore the transcript's text",
                o.code, o.coder
            ),
        });
    }
    for (place, seg) in &files.dangling {
        v.push(Violation {
            check: "dangling-coding",
            subject: seg.clone(),
            message: format!("{place}: a coding points at segment {seg:?}, which does not exist"),
            fix: "correct the segment id (see `spor export segments`), or the transcript it came from".into(),
        });
    }
    for d in files.errors() {
        let m = d.message.as_str();
        if m.starts_with("orphaned coding") || m.starts_with("unknown segment") {
            continue;
        }
        v.push(Violation {
            check: "coder-file-error",
            subject: d.location.to_string(),
            message: format!("{}: {}", d.location, d.message),
            fix: d
                .hint
                .clone()
                .unwrap_or_else(|| "correct the row in the coder's file".into()),
        });
    }
    v
}

/// Codes the curriculum relies on whose agreement is below
/// `settings.min_alpha` (only codes with an alpha, that is, coded by two or
/// more coders on common turns).
pub fn agreement(
    ev: &Evidence,
    agreement: Option<&crate::rigor::StudyAgreement>,
    settings: Settings,
) -> Vec<Violation> {
    let Some(a) = agreement else {
        return Vec::new();
    };
    let mut v = Vec::new();
    for code in linked_codes(ev) {
        let Some(c) = a.codes.iter().find(|c| c.code == code) else {
            continue;
        };
        let Some(alpha) = c.alpha else { continue };
        if alpha < settings.min_alpha {
            let goals: Vec<String> = ev
                .curriculum
                .map(|cur| {
                    cur.elements()
                        .filter(|e| e.codes.contains(&code))
                        .map(|e| e.id.clone())
                        .collect()
                })
                .unwrap_or_default();
            v.push(Violation {
                check: "low-agreement",
                subject: code.clone(),
                message: format!(
                    "code {code} has Krippendorff's alpha {alpha:.3} between {} on {} turns, below {:.3}; {} rest on it",
                    a.coders.join(" and "),
                    c.n_units,
                    settings.min_alpha,
                    goals.join(", ")
                ),
                fix: format!(
                    "hold a consensus meeting (spor agree --coders {} --disagreements --format md), sharpen the code's definition and criteria, or set [audit] min_alpha in spor.toml",
                    a.coders.join(",")
                ),
            });
        }
    }
    v
}

/// For every learning goal and format element, how much of its evidence a
/// person has reviewed.
pub fn reviewed_shares(ev: &Evidence) -> Vec<ReviewedShare> {
    let Some(cur) = ev.curriculum else {
        return Vec::new();
    };
    let mut by_code: std::collections::HashMap<&str, (usize, usize)> =
        std::collections::HashMap::new();
    for (_, code, s) in ev.supports() {
        let e = by_code.entry(code).or_default();
        match s {
            spor_coding::Support::Reviewed => e.0 += 1,
            spor_coding::Support::Unreviewed => e.1 += 1,
        }
    }
    cur.elements()
        .map(|e| {
            let codes: BTreeSet<&str> = e.codes.iter().map(String::as_str).collect();
            let (reviewed, unreviewed) = codes
                .iter()
                .filter_map(|c| by_code.get(c))
                .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
            let evidence = reviewed + unreviewed;
            ReviewedShare {
                id: e.id.clone(),
                what: e.what(),
                evidence,
                reviewed,
                unreviewed,
                share: if evidence == 0 {
                    0.0
                } else {
                    reviewed as f64 / evidence as f64
                },
            }
        })
        .collect()
}

/// Goals and elements whose reviewed share is below the setting.
pub fn reviewed(shares: &[ReviewedShare], settings: Settings) -> Vec<Violation> {
    shares
        .iter()
        .filter(|s| s.share < settings.min_reviewed_share)
        .map(|s| Violation {
            check: "unreviewed-evidence",
            subject: s.id.clone(),
            message: format!(
                "{} {}: {:.0} % of its evidence is reviewed ({} of {} coded turns), below {:.0} %",
                s.what,
                s.id,
                s.share * 100.0,
                s.reviewed,
                s.evidence,
                settings.min_reviewed_share * 100.0
            ),
            fix: "review the suggestions of its codes (spor review CODE --coder NAME), or set [audit] min_reviewed_share in spor.toml".to_string(),
        })
        .collect()
}

/// Outputs that differ from the hashes in the manifest.
pub fn outputs(manifest: &Manifest, root: &std::path::Path) -> Vec<Violation> {
    let paths: Vec<String> = manifest.outputs.iter().map(|f| f.path.clone()).collect();
    let now = crate::manifest::hash_files(root, &paths);
    let mut v = Vec::new();
    for old in &manifest.outputs {
        let (check, what) = match now.iter().find(|f| f.path == old.path) {
            Some(f) if f.sha256 == old.sha256 => continue,
            Some(_) => ("output-changed", "was changed after spor run wrote it"),
            None => ("output-missing", "is missing"),
        };
        v.push(Violation {
            check,
            subject: old.path.clone(),
            message: format!("{} {what} (its SHA-256 is in out/manifest.json)", old.path),
            fix: "never edit spor's outputs by hand: run `spor run` to write them again".into(),
        });
    }
    v
}

/// Violations for inputs that differ from the manifest (or its absence).
pub fn inputs(manifest: Option<&Manifest>, changes: &[Change]) -> Vec<Violation> {
    let Some(_) = manifest else {
        return vec![Violation {
            check: "no-manifest",
            subject: "out/manifest.json".into(),
            message: "no out/manifest.json: the evidence has not been produced".into(),
            fix: "run `spor run`".into(),
        }];
    };
    changes
        .iter()
        .map(|c| Violation {
            check: match c.change {
                "changed" => "input-changed",
                "added" => "input-added",
                _ => "input-missing",
            },
            subject: c.path.clone(),
            message: format!(
                "{} was {} since out/manifest.json was written",
                c.path, c.change
            ),
            fix: "review the change, then run `spor run` to produce the evidence again".into(),
        })
        .collect()
}
