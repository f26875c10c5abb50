//! The audit: the checks of the evidence chain, the coders' files,
//! agreement, the reviewed share, and the comparison with out/manifest.json.

use crate::code::Analysed;
use crate::error::{PipelineError, Result};
use serde::Serialize;
use spor_analysis::audit::{ReviewedShare, Settings, Violation};
use spor_analysis::changes::{DocumentChanges, Impact, RunState};
use spor_analysis::manifest::Manifest;
use spor_corpus::Study;

/// `[audit]` in spor.toml (its keys are checked when spor.toml is read).
pub fn settings(study: &Study) -> Result<Settings> {
    let a = &study.manifest.audit;
    let d = Settings::default();
    let s = Settings {
        min_segments: a.min_segments.unwrap_or(d.min_segments),
        min_participants: a.min_participants.unwrap_or(d.min_participants),
        min_alpha: a.min_alpha.unwrap_or(d.min_alpha),
        min_reviewed_share: a.min_reviewed_share.unwrap_or(d.min_reviewed_share),
    };
    if !(-1.0..=1.0).contains(&s.min_alpha) {
        return Err(PipelineError::usage(format!(
            "spor.toml: [audit] min_alpha must be between -1 and 1, not {}",
            s.min_alpha
        )));
    }
    if !(0.0..=1.0).contains(&s.min_reviewed_share) {
        return Err(PipelineError::usage(format!(
            "spor.toml: [audit] min_reviewed_share must be between 0 and 1, not {}",
            s.min_reviewed_share
        )));
    }
    Ok(s)
}

/// What the audit found.
#[derive(Debug, Serialize)]
pub struct Audit {
    /// Whether the chain holds.
    pub ok: bool,
    /// The thresholds in force.
    pub settings: Settings,
    /// The counting policy.
    pub policy: &'static str,
    /// The policy in plain words.
    pub policy_text: &'static str,
    /// How much of each goal's and element's evidence a person reviewed.
    pub reviewed_shares: Vec<ReviewedShare>,
    /// Turn by turn, what changed since the last `spor run` (audit only).
    pub changes: Vec<DocumentChanges>,
    /// What those changes touch.
    pub impact: Impact,
    /// Every problem.
    pub violations: Vec<Violation>,
}

/// The checks of the evidence as it is now: the chain, the coders' files,
/// agreement and the reviewed share (no manifest comparison).
pub fn evidence(an: &Analysed, ev: &spor_analysis::Evidence) -> Result<Audit> {
    let study = &an.coded.study;
    let settings = settings(study)?;
    let mut violations = spor_analysis::audit::chain(ev, settings);
    violations.extend(spor_analysis::audit::coder_files(&an.coded.coder_files));
    let coders = spor_coding::coders::coder_names(study);
    if coders.len() >= 2 {
        let a = crate::rigor::agreement(&an.coded, &coders)?;
        violations.extend(spor_analysis::audit::agreement(ev, Some(&a), settings));
    }
    let shares = spor_analysis::audit::reviewed_shares(ev);
    violations.extend(spor_analysis::audit::reviewed(&shares, settings));
    let policy = an.coded.codings.policy;
    Ok(Audit {
        ok: violations.is_empty(),
        settings,
        policy: policy.as_str(),
        policy_text: policy_words(policy),
        reviewed_shares: shares,
        changes: Vec::new(),
        impact: Impact::default(),
        violations,
    })
}

/// The counting policy in plain words.
pub fn policy_words(p: spor_coding::Policy) -> &'static str {
    match p {
        spor_coding::Policy::SuggestedAndHuman => {
            "human codings count, and so do rule suggestions no coder rejected, reviewed or not; learned (model:) suggestions count only once a coder accepts them"
        }
        spor_coding::Policy::SuggestedLearnedAndHuman => {
            "human codings count, and so do rule and learned (model:) suggestions no coder rejected, reviewed or not"
        }
        spor_coding::Policy::HumanOnly => {
            "only human codings (and suggestions a coder accepted) count"
        }
    }
}

/// The full audit of `spor audit`: [`evidence`], then the inputs and
/// outputs against out/manifest.json, and turn by turn what changed since
/// the last `spor run`.
pub fn full(an: &Analysed) -> Result<Audit> {
    let study = &an.coded.study;
    let mut audit = evidence(an, &an.evidence())?;
    let path = study.root.join("out").join("manifest.json");
    let manifest: Option<Manifest> = match std::fs::read(&path) {
        Ok(b) => match serde_json::from_slice(&b) {
            Ok(m) => Some(m),
            Err(e) => {
                return Err(PipelineError::usage(format!(
                    "out/manifest.json: unreadable ({e}); run `spor run` again"
                )));
            }
        },
        Err(_) => None,
    };
    let changes = manifest
        .as_ref()
        .map(|m| {
            spor_analysis::manifest::compare(
                m,
                &study.root,
                &spor_analysis::manifest::input_files(study),
            )
        })
        .unwrap_or_default();
    if !changes.is_empty()
        && let Some(last) = RunState::load(&study.root)
    {
        audit.changes = spor_analysis::changes::diff(&last, &an.coded.corpus, &an.coded.codings);
        audit.impact =
            spor_analysis::changes::impact(&audit.changes, &an.coded.books, an.curriculum.as_ref());
    }
    audit
        .violations
        .extend(spor_analysis::audit::inputs(manifest.as_ref(), &changes));
    if let Some(m) = &manifest {
        audit
            .violations
            .extend(spor_analysis::audit::outputs(m, &study.root));
    }
    audit.ok = audit.violations.is_empty();
    Ok(audit)
}

/// The human report.
pub fn report(audit: &Audit, an: &Analysed) -> String {
    let s_ = &audit.settings;
    let mut s = format!(
        "thresholds: min_segments {}, min_participants {}, min_alpha {:.3}, min_reviewed_share {:.2} ([audit] in spor.toml)\n",
        s_.min_segments, s_.min_participants, s_.min_alpha, s_.min_reviewed_share
    );
    s.push_str(&format!(
        "counting policy: {} ({})\n",
        audit.policy, audit.policy_text
    ));
    if !audit.reviewed_shares.is_empty() {
        s.push_str("\nreviewed by a person (share of each goal's coded turns):\n");
        for r in &audit.reviewed_shares {
            s.push_str(&format!(
                "  {:<8} {:>4.0} %  ({} reviewed, {} unreviewed suggestions)\n",
                r.id,
                r.share * 100.0,
                r.reviewed,
                r.unreviewed
            ));
        }
    }
    if !audit.changes.is_empty() {
        s.push_str("\nchanged since the last `spor run`, turn by turn:\n");
        s.push_str(&changes_text(&audit.changes, &audit.impact));
    }
    if audit.violations.is_empty() {
        let cur = an.curriculum.as_ref();
        let goals = cur.map(|c| c.learning_goals.len()).unwrap_or(0);
        let elements = cur.map(|c| c.format_elements.len()).unwrap_or(0);
        s.push_str(&format!(
            "\naudit passed: {goals} learning goals and {elements} format elements link existing codes, every cue is answered, every code has its evidence, every coding sits on its text, agreement and the reviewed share meet the thresholds, and the inputs and outputs match out/manifest.json\n"
        ));
        return s;
    }
    s.push_str(&format!(
        "\naudit found {} problem(s):\n",
        audit.violations.len()
    ));
    for v in &audit.violations {
        s.push_str(&format!(
            "\n[{}] {}\n  fix: {}\n",
            v.check, v.message, v.fix
        ));
    }
    s
}

fn changes_text(changes: &[DocumentChanges], impact: &Impact) -> String {
    let mut s = String::new();
    for d in changes {
        s.push_str(&format!("  {}:", d.document));
        if d.renumbered > 0 {
            s.push_str(&format!(" {} turn(s) renumbered;", d.renumbered));
        }
        s.push('\n');
        for t in &d.turns {
            let place = match (&t.before, &t.now) {
                (Some(b), Some(n)) if b == n => b.clone(),
                (Some(b), Some(n)) => format!("{b} -> {n}"),
                (Some(b), None) => b.clone(),
                (None, Some(n)) => n.clone(),
                (None, None) => String::new(),
            };
            let codes = |v: &[String]| {
                if v.is_empty() {
                    "-".to_owned()
                } else {
                    v.join(", ")
                }
            };
            s.push_str(&format!(
                "    {:<8} {place}  codes before: {}; now: {}\n",
                t.change,
                codes(&t.codes_before),
                codes(&t.codes_now)
            ));
        }
    }
    if !impact.codes_losing.is_empty() {
        s.push_str(&format!(
            "  codes losing evidence: {}\n",
            impact.codes_losing.join(", ")
        ));
    }
    if !impact.codes_gaining.is_empty() {
        s.push_str(&format!(
            "  codes gaining evidence: {}\n",
            impact.codes_gaining.join(", ")
        ));
    }
    if !impact.elements.is_empty() {
        s.push_str(&format!(
            "  goals and format elements affected: {}\n",
            impact.elements.join(", ")
        ));
    }
    s
}
