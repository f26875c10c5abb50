//! Trace dossiers: a learning goal (or format element, or code) followed to
//! the transcript lines behind it, readable on paper.

use spor_analysis::trace::Trace;

/// JSON.
pub fn json(t: &Trace) -> Vec<u8> {
    crate::json(t)
}

/// Markdown: the element, each code with its finding, cue and translation,
/// every supporting turn with its citation and coding origin, and the
/// source files with their SHA-256.
pub fn markdown(t: &Trace, study: &str) -> String {
    let mut s = format!(
        "# Evidence dossier: {} {}\n\n_Study: {study}. Codings counted under the policy `{}`._\n\n",
        t.what, t.id, t.policy
    );
    if let Some(e) = &t.element {
        s.push_str(&format!("**{}** ({}): {}\n\n", e.id, e.kind, e.text));
    }
    if !t.answered_by.is_empty() {
        s.push_str("Answered by:\n\n");
        for e in &t.answered_by {
            s.push_str(&format!("- **{}** ({}): {}\n", e.id, e.kind, e.text));
        }
        s.push('\n');
    }
    for c in &t.codes {
        s.push_str(&format!("## Code `{}`: {}\n\n", c.code, c.label));
        if !c.exists {
            s.push_str("**This code does not exist in the study's codebooks.**\n\n");
        }
        if let Some(f) = &c.finding {
            s.push_str(&format!("- **Finding:** {f}\n"));
        }
        if let Some(x) = &c.cue {
            s.push_str(&format!("- **Cue:** {x}\n"));
        }
        if let Some(x) = &c.translation {
            s.push_str(&format!("- **Translation:** {x}\n"));
        }
        let parts: std::collections::BTreeSet<&str> =
            c.segments.iter().map(|q| q.participant.as_str()).collect();
        s.push_str(&format!(
            "- **Evidence:** {} participant turns from {} participants\n\n",
            c.segments.len(),
            parts.len()
        ));
        for q in &c.segments {
            s.push_str(&format!(
                "### {} · {} ({}) · {}, lines {}-{}\n\n",
                q.segment, q.participant, q.profession, q.file, q.line_start, q.line_end
            ));
            s.push_str(&format!(
                "Coded by: {}{}\n\n",
                q.origins.join(", "),
                if q.reviewed {
                    " (reviewed by a coder)"
                } else {
                    " (rule suggestion, not reviewed)"
                }
            ));
            for line in q.text.lines() {
                s.push_str(&format!("> {line}\n"));
            }
            s.push('\n');
        }
    }
    if !t.sources.is_empty() {
        s.push_str("## Sources\n\n| document | file | SHA-256 |\n|---|---|---|\n");
        for src in &t.sources {
            s.push_str(&format!(
                "| {} | {} | `{}` |\n",
                src.document, src.file, src.sha256
            ));
        }
    }
    s
}
