//! The translation table: finding -> cue -> translation -> learning goals
//! and format elements, with the evidence and exemplar quotes.

use crate::lang::{Lang, counted_text, split_text};
use crate::{ExportError, md_cell, shorten};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook};
use spor_analysis::matrix::Matrix;
use spor_analysis::translation::{Link, Row};

fn links(l: &[Link]) -> String {
    l.iter()
        .map(|x| format!("{}: {}", x.id, x.text))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ids(l: &[Link]) -> String {
    l.iter()
        .map(|x| x.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn professions(r: &Row) -> String {
    let mut parts: Vec<String> = r
        .professions
        .iter()
        .map(|(p, n)| format!("{p} {n}"))
        .collect();
    if r.hidden_professions > 0 {
        parts.push(format!(
            "{} more hidden (too few participants)",
            r.hidden_professions
        ));
    }
    parts.join(", ")
}

/// A quote's citation: participant, profession, segment, lines (and the
/// timestamp when the transcript has one), and what it rests on: a
/// person's review, or the words a rule matched.
pub fn citation(q: &spor_analysis::Quote) -> String {
    format!(
        "{}, {}, {}, l. {}-{}{}; {}",
        q.participant,
        q.profession,
        q.segment,
        q.line_start,
        q.line_end,
        q.timestamp
            .as_ref()
            .map(|t| format!(", [{t}]"))
            .unwrap_or_default(),
        support_note(q)
    )
}

/// `reviewed by a coder`, or `rule suggestion, not reviewed (matched: ...)`.
pub fn support_note(q: &spor_analysis::Quote) -> String {
    let rule = q.origins.iter().any(|o| o.starts_with("rule:"));
    if q.reviewed {
        "reviewed by a coder".to_owned()
    } else if !rule && q.origins.iter().any(|o| o.starts_with("model:")) {
        // counted only under suggested-learned-and-human
        "learned suggestion (model), not reviewed".to_owned()
    } else if q.matched.is_empty() {
        "rule suggestion, not reviewed".to_owned()
    } else {
        format!(
            "rule suggestion, not reviewed (matched: {})",
            q.matched.join(", ")
        )
    }
}

#[derive(serde::Serialize)]
struct JsonRow<'a> {
    #[serde(flatten)]
    row: &'a Row,
    policy_text: String,
}

/// JSON: one object per cue code (docs/FORMAT.md §5), with the reviewed and
/// unreviewed split of `segments` and the policy in plain words.
pub fn json(rows: &[Row]) -> Vec<u8> {
    let out: Vec<JsonRow> = rows
        .iter()
        .map(|row| JsonRow {
            row,
            policy_text: counted_text(&row.policy, Lang::En),
        })
        .collect();
    crate::json(&out)
}

fn turns(r: &Row) -> String {
    split_text(
        r.segments,
        r.reviewed_segments,
        r.unreviewed_segments,
        Lang::En,
    )
}

/// Markdown: a summary table, then one section per finding with its goals,
/// format elements, evidence and quotes.
pub fn markdown(rows: &[Row], study: &str) -> String {
    let mut s = format!("# From findings to format: {}\n\n", study);
    if let Some(r) = rows.first() {
        s.push_str(&format!(
            "Codings counted under the policy `{}`: {} A turn is *reviewed* when a person coded it or accepted a rule's suggestion of it; an *unreviewed* turn rests only on rule suggestions.\n\n",
            r.policy,
            counted_text(&r.policy, Lang::En)
        ));
    }
    s.push_str("| Finding | Cue | Translation | Learning goals | Format elements | Turns | Participants | Documents |\n|---|---|---|---|---|---|---|---|\n");
    for r in rows {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            md_cell(&r.finding),
            md_cell(&r.cue),
            md_cell(&r.translation),
            md_cell(&ids(&r.learning_goals)),
            md_cell(&ids(&r.format_elements)),
            turns(r),
            r.participants,
            r.documents
        ));
    }
    for r in rows {
        s.push_str(&format!("\n## {} (`{}`)\n\n", r.finding, r.code));
        s.push_str(&format!(
            "- **Cue:** {}\n- **Translation:** {}\n",
            r.cue, r.translation
        ));
        s.push_str(&format!(
            "- **Evidence:** {} participant turns from {} participants in {} documents ({})\n",
            turns(r),
            r.participants,
            r.documents,
            professions(r)
        ));
        for (title, l) in [
            ("Learning goals", &r.learning_goals),
            ("Format elements", &r.format_elements),
        ] {
            if l.is_empty() {
                s.push_str(&format!("- **{title}:** none\n"));
            } else {
                s.push_str(&format!("- **{title}:**\n"));
                for x in l {
                    s.push_str(&format!("  - {} ({}): {}\n", x.id, x.kind, x.text));
                }
            }
        }
        if !r.quotes.is_empty() {
            s.push('\n');
        }
        for q in &r.quotes {
            s.push_str(&format!(
                "> {}\n>\n> — {}\n\n",
                shorten(&q.text, 500),
                citation(q)
            ));
        }
    }
    s
}

/// CSV: one row per cue code.
pub fn csv(rows: &[Row]) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "code",
        "finding",
        "cue",
        "translation",
        "learning_goals",
        "format_elements",
        "segments",
        "reviewed_segments",
        "unreviewed_segments",
        "participants",
        "documents",
        "professions",
        "quote_1",
        "cite_1",
        "quote_2",
        "cite_2",
        "quote_3",
        "cite_3",
        "policy",
        "policy_text",
    ])
    .expect("memory");
    for r in rows {
        let mut rec = vec![
            r.code.clone(),
            r.finding.clone(),
            r.cue.clone(),
            r.translation.clone(),
            links(&r.learning_goals),
            links(&r.format_elements),
            r.segments.to_string(),
            r.reviewed_segments.to_string(),
            r.unreviewed_segments.to_string(),
            r.participants.to_string(),
            r.documents.to_string(),
            professions(r),
        ];
        for i in 0..3 {
            match r.quotes.get(i) {
                Some(q) => {
                    rec.push(q.text.clone());
                    rec.push(citation(q));
                }
                None => rec.extend([String::new(), String::new()]),
            }
        }
        rec.push(r.policy.clone());
        rec.push(counted_text(&r.policy, Lang::En));
        w.write_record(&rec).expect("memory");
    }
    w.into_inner().expect("memory")
}

/// XLSX: the table on a first sheet (header row, wrapped text, readable
/// widths, frozen header), the matrix by profession on a second. The
/// document date is fixed so that the file is the same on every run.
pub fn xlsx(rows: &[Row], by_profession: &Matrix, study: &str) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("From findings to format: {study}"))
            .set_author("spor")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color("#DDE5EE");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    translation_sheet(&mut wb, rows, &head, &wrap)?;
    profession_sheet(&mut wb, by_profession, &head)?;
    Ok(wb.save_to_buffer()?)
}

/// The first sheet: the table, a row per code, and the counting policy
/// under it.
fn translation_sheet(
    wb: &mut Workbook,
    rows: &[Row],
    head: &Format,
    wrap: &Format,
) -> Result<(), ExportError> {
    let ws = wb.add_worksheet();
    ws.set_name("Translation")?;
    let cols: [(&str, f64); 16] = [
        ("Finding", 28.0),
        ("Cue", 28.0),
        ("Translation", 45.0),
        ("Learning goals", 45.0),
        ("Format elements", 40.0),
        ("Turns", 8.0),
        ("Reviewed turns", 10.0),
        ("Unreviewed turns", 11.0),
        ("Participants", 12.0),
        ("Documents", 11.0),
        ("Professions", 30.0),
        ("Quote 1", 55.0),
        ("Quote 2", 55.0),
        ("Quote 3", 55.0),
        ("Code", 20.0),
        ("Label (English)", 28.0),
    ];
    for (i, (name, width)) in cols.iter().enumerate() {
        ws.set_column_width(i as u16, *width)?;
        ws.write_string_with_format(0, i as u16, *name, head)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (n, r) in rows.iter().enumerate() {
        let row = (n + 1) as u32;
        let texts = [
            r.finding.clone(),
            r.cue.clone(),
            r.translation.clone(),
            links(&r.learning_goals),
            links(&r.format_elements),
        ];
        for (i, t) in texts.iter().enumerate() {
            ws.write_string_with_format(row, i as u16, t, wrap)?;
        }
        ws.write_number_with_format(row, 5, r.segments as f64, wrap)?;
        ws.write_number_with_format(row, 6, r.reviewed_segments as f64, wrap)?;
        ws.write_number_with_format(row, 7, r.unreviewed_segments as f64, wrap)?;
        ws.write_number_with_format(row, 8, r.participants as f64, wrap)?;
        ws.write_number_with_format(row, 9, r.documents as f64, wrap)?;
        ws.write_string_with_format(row, 10, professions(r), wrap)?;
        for i in 0..3 {
            let cell = r
                .quotes
                .get(i)
                .map(|q| format!("{}\n— {}", shorten(&q.text, 700), citation(q)))
                .unwrap_or_default();
            ws.write_string_with_format(row, 11 + i as u16, cell, wrap)?;
        }
        ws.write_string_with_format(row, 14, &r.code, wrap)?;
        ws.write_string_with_format(row, 15, &r.label_en, wrap)?;
    }
    if let Some(r) = rows.first() {
        ws.write_string(
            (rows.len() + 2) as u32,
            0,
            format!(
                "Counting policy {}: {} Reviewed turns: a person coded the turn or accepted a rule's suggestion; unreviewed turns rest only on rule suggestions.",
                r.policy,
                counted_text(&r.policy, Lang::En)
            ),
        )?;
    }
    Ok(())
}

/// The second sheet: coded participant turns by profession (cells hidden
/// under `--min-cell` keep their mark).
fn profession_sheet(
    wb: &mut Workbook,
    by_profession: &Matrix,
    head: &Format,
) -> Result<(), ExportError> {
    let ws = wb.add_worksheet();
    ws.set_name("By profession")?;
    let (h, grid) = crate::matrix::grid(by_profession, false);
    for (i, name) in h.iter().enumerate() {
        ws.set_column_width(i as u16, if i == 0 { 26.0 } else { 14.0 })?;
        ws.write_string_with_format(0, i as u16, name, head)?;
    }
    ws.set_freeze_panes(1, 1)?;
    let cells: std::collections::BTreeMap<(&str, &str), usize> = by_profession
        .cells
        .iter()
        .map(|c| ((c.code.as_str(), c.value.as_str()), c.segments))
        .collect();
    for (n, r) in grid.iter().enumerate() {
        let row = (n + 1) as u32;
        ws.write_string(row, 0, &r[0])?;
        for (j, g) in by_profession.groups.iter().enumerate() {
            match cells.get(&(r[0].as_str(), g.value.as_str())) {
                Some(v) => ws.write_number(row, (j + 1) as u16, *v as f64)?,
                None => ws.write_string(row, (j + 1) as u16, &r[j + 1])?,
            };
        }
    }
    let note_row = (grid.len() + 2) as u32;
    ws.write_string(
        note_row,
        0,
        format!(
            "Coded participant turns by profession; counted: {}{}",
            by_profession.counted,
            if by_profession.min_cell > 0 {
                format!(
                    "; cells resting on fewer than {} participants hidden",
                    by_profession.min_cell
                )
            } else {
                String::new()
            }
        ),
    )?;
    Ok(())
}
