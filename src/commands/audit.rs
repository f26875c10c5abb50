//! `spor audit`, and the audit settings `spor run` shares.

use super::analysis::{Analysed, analyse};
use crate::Outcome;
use crate::args::{AuditArgs, Cli};
use anyhow::Result;
use spor_analysis::audit::{Settings, Violation};
use spor_analysis::manifest::Manifest;
use spor_corpus::Study;

/// `[audit]` in spor.toml.
pub fn settings(study: &Study) -> Result<Settings> {
    let mut s = Settings::default();
    if let Some(t) = study.manifest.other.get("audit") {
        for (key, slot) in [
            ("min_segments", &mut s.min_segments),
            ("min_participants", &mut s.min_participants),
        ] {
            match t.get(key) {
                None => {}
                Some(toml::Value::Integer(n)) if *n >= 0 => *slot = *n as usize,
                Some(_) => anyhow::bail!("spor.toml: [audit] {key} must be a whole number"),
            }
        }
    }
    Ok(s)
}

/// The chain checks.
pub fn chain(an: &Analysed, ev: &spor_analysis::Evidence) -> Result<Vec<Violation>> {
    Ok(spor_analysis::audit::chain(
        ev,
        settings(&an.coded.study)?,
        &an.coded.coder_files.dangling,
    ))
}

pub fn run(cli: &Cli, a: &AuditArgs) -> Result<Outcome> {
    let an = analyse(cli, None)?;
    let study = &an.coded.study;
    let mut violations = chain(&an, &an.evidence())?;
    let path = study.root.join("out").join("manifest.json");
    let manifest: Option<Manifest> = match std::fs::read(&path) {
        Ok(b) => match serde_json::from_slice(&b) {
            Ok(m) => Some(m),
            Err(e) => anyhow::bail!("out/manifest.json: unreadable ({e}); run `spor run` again"),
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
    violations.extend(spor_analysis::audit::inputs(manifest.as_ref(), &changes));
    let settings = settings(study)?;
    if a.json {
        let v = serde_json::json!({
            "ok": violations.is_empty(),
            "settings": settings,
            "policy": an.coded.codings.policy.as_str(),
            "violations": violations,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print!("{}", report(&violations, &an));
    }
    Ok(if violations.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Problems
    })
}

/// The human report.
pub fn report(violations: &[Violation], an: &Analysed) -> String {
    let mut s = String::new();
    if violations.is_empty() {
        let goals = an
            .curriculum
            .as_ref()
            .map(|c| c.learning_goals.len())
            .unwrap_or(0);
        let elements = an
            .curriculum
            .as_ref()
            .map(|c| c.format_elements.len())
            .unwrap_or(0);
        s.push_str(&format!(
            "audit passed: {goals} learning goals and {elements} format elements link existing codes, every cue is answered, every code has its evidence, and the inputs match out/manifest.json\n"
        ));
        return s;
    }
    s.push_str(&format!("audit found {} problem(s):\n", violations.len()));
    for v in violations {
        s.push_str(&format!(
            "\n[{}] {}\n  fix: {}\n",
            v.check, v.message, v.fix
        ));
    }
    s
}
