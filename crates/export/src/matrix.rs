//! Matrices of codes by attribute, and co-occurrence.

use spor_analysis::matrix::{Cooccurrence, Matrix};
use std::collections::BTreeMap;

/// One JSON object per cell (docs/FORMAT.md §5): code, value, segments,
/// participants, documents, and the normalised figures.
pub fn json(m: &Matrix) -> Vec<u8> {
    let cells: Vec<serde_json::Value> = m
        .cells
        .iter()
        .map(|c| {
            serde_json::json!({
                "code": c.code, "value": c.value, "segments": c.segments,
                "reviewed_segments": c.reviewed_segments,
                "unreviewed_segments": c.unreviewed_segments,
                "participants": c.participants, "documents": c.documents,
                "share_of_turns": c.share_of_turns, "per_1000_words": c.per_1000_words,
                "by": m.by, "counted": m.counted,
                "policy_text": crate::lang::counted_text(&m.counted, crate::lang::Lang::En),
            })
        })
        .collect();
    crate::json(&cells)
}

fn value_label(v: &str) -> &str {
    if v.is_empty() { "(none)" } else { v }
}

/// Long CSV: one row per shown cell.
pub fn csv(m: &Matrix) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "code",
        &m.by,
        "segments",
        "reviewed_segments",
        "unreviewed_segments",
        "participants",
        "documents",
        "share_of_turns",
        "per_1000_words",
        "counted",
    ])
    .expect("memory");
    for c in &m.cells {
        w.write_record([
            c.code.as_str(),
            c.value.as_str(),
            &c.segments.to_string(),
            &c.reviewed_segments.to_string(),
            &c.unreviewed_segments.to_string(),
            &c.participants.to_string(),
            &c.documents.to_string(),
            &format!("{:.4}", c.share_of_turns),
            &format!("{:.3}", c.per_1000_words),
            m.counted.as_str(),
        ])
        .expect("memory");
    }
    w.into_inner().expect("memory")
}

/// The wide grid: codes as rows, groups as columns; each cell as text
/// (segments, or the share of turns with `normalize`); hidden cells as
/// `<K`. Used by the terminal table and Markdown.
pub fn grid(m: &Matrix, normalize: bool) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["code".to_owned()];
    header.extend(m.groups.iter().map(|g| value_label(&g.value).to_owned()));
    let cells: BTreeMap<(&str, &str), &spor_analysis::matrix::Cell> = m
        .cells
        .iter()
        .map(|c| ((c.code.as_str(), c.value.as_str()), c))
        .collect();
    let rows = m
        .codes
        .iter()
        .map(|code| {
            let mut r = vec![code.clone()];
            for g in &m.groups {
                r.push(match cells.get(&(code.as_str(), g.value.as_str())) {
                    Some(c) if normalize => format!(
                        "{:.1} % · {:.1}‰w",
                        c.share_of_turns * 100.0,
                        c.per_1000_words
                    ),
                    Some(c) => format!("{} ({}p)", c.segments, c.participants),
                    None if m.min_cell > 0 => "·".to_owned(),
                    None => "0".to_owned(),
                });
            }
            r
        })
        .collect();
    (header, rows)
}

/// Markdown: the grid, then the groups' totals and what was counted.
pub fn markdown(m: &Matrix, normalize: bool) -> String {
    let (h, rows) = grid(m, normalize);
    let mut s = format!("# Codes by {}\n\n", m.by);
    s.push_str(&format!(
        "Counted: {} ({}) ",
        m.counted,
        crate::lang::counted_text(&m.counted, crate::lang::Lang::En)
    ));
    s.push_str(if normalize {
        "Cells: share of the group's participant turns · coded turns per 1,000 words.\n\n"
    } else {
        "Cells: coded participant turns (distinct participants).\n\n"
    });
    s.push_str(&format!(
        "| {} |\n",
        h.iter()
            .map(|c| crate::md_cell(c))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    s.push_str(&format!("|{}\n", "---|".repeat(h.len())));
    for r in rows {
        s.push_str(&format!(
            "| {} |\n",
            r.iter()
                .map(|c| crate::md_cell(c))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    s.push_str("\n| group | participants | turns | words |\n|---|---|---|---|\n");
    for g in &m.groups {
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            crate::md_cell(value_label(&g.value)),
            g.participants,
            g.turns,
            g.words
        ));
    }
    if m.min_cell > 0 {
        s.push_str(&format!(
            "\n{} cell(s) resting on fewer than {} participants are hidden (·).\n",
            m.suppressed, m.min_cell
        ));
    }
    s
}

/// Co-occurrence as JSON cells.
pub fn cooccurrence_json(c: &Cooccurrence) -> Vec<u8> {
    crate::json(c)
}

/// Co-occurrence as long CSV.
pub fn cooccurrence_csv(c: &Cooccurrence) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "code",
        "other",
        "segments",
        "reviewed_segments",
        "unreviewed_segments",
        "participants",
        "counted",
    ])
    .expect("memory");
    for p in &c.cells {
        w.write_record([
            p.code.as_str(),
            p.other.as_str(),
            &p.segments.to_string(),
            &p.reviewed_segments.to_string(),
            &p.unreviewed_segments.to_string(),
            &p.participants.to_string(),
            c.counted.as_str(),
        ])
        .expect("memory");
    }
    w.into_inner().expect("memory")
}

/// The co-occurrence grid (segments coded with both codes).
pub fn cooccurrence_grid(c: &Cooccurrence) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["code".to_owned()];
    header.extend(c.codes.iter().cloned());
    let cells: BTreeMap<(&str, &str), usize> = c
        .cells
        .iter()
        .map(|p| ((p.code.as_str(), p.other.as_str()), p.segments))
        .collect();
    let rows = c
        .codes
        .iter()
        .map(|a| {
            let mut r = vec![a.clone()];
            for b in &c.codes {
                r.push(
                    cells
                        .get(&(a.as_str(), b.as_str()))
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| "·".into()),
                );
            }
            r
        })
        .collect();
    (header, rows)
}

/// Co-occurrence as Markdown.
pub fn cooccurrence_markdown(c: &Cooccurrence) -> String {
    let (h, rows) = cooccurrence_grid(c);
    let mut s = format!(
        "# Code co-occurrence\n\nCounted: {}. Cells: participant turns coded with both codes; the diagonal is each code's own count.\n\n",
        c.counted
    );
    s.push_str(&format!(
        "| {} |\n|{}\n",
        h.join(" | "),
        "---|".repeat(h.len())
    ));
    for r in rows {
        s.push_str(&format!("| {} |\n", r.join(" | ")));
    }
    s
}
