//! The audit: does the chain from findings to format hold, and does the
//! evidence still match its inputs?

use crate::Evidence;
use crate::manifest::{Change, Manifest};
use serde::Serialize;
use std::collections::BTreeSet;

/// The thresholds of the evidence check (`[audit]` in `spor.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// Minimum coded segments per code (default 3).
    pub min_segments: usize,
    /// Minimum distinct participants per code (default 2).
    pub min_participants: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_segments: 3,
            min_participants: 2,
        }
    }
}

/// One broken link or mismatch, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The check: `goal-without-code`, `unknown-code`, `unanswered-cue`,
    /// `thin-evidence`, `dangling-coding`, `no-curriculum`, `no-manifest`,
    /// `input-changed`, `input-added`, `input-missing`.
    pub check: &'static str,
    /// What it concerns (an id, a file).
    pub subject: String,
    /// What is wrong.
    pub message: String,
    /// What to fix.
    pub fix: String,
}

/// Check the chain: goals and elements link codes that exist; every cue
/// code is answered; every code the chain rests on has enough evidence;
/// no coding points at a missing segment (`dangling`: the coders' files'
/// rows for unknown segments, as `(file:line, segment)`).
pub fn chain(ev: &Evidence, settings: Settings, dangling: &[(String, String)]) -> Vec<Violation> {
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
    for (_, code) in ev.books.codes().filter(|(_, c)| linked.contains(&c.id)) {
        let segs = ev.counted_segments(&code.id);
        let parts: BTreeSet<&str> = segs.iter().map(|s| s.participant.as_str()).collect();
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
    for (place, seg) in dangling {
        v.push(Violation {
            check: "dangling-coding",
            subject: seg.clone(),
            message: format!("{place}: a coding points at segment {seg:?}, which does not exist"),
            fix: "correct the segment id (see `spor export segments`), or the transcript it came from".into(),
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
