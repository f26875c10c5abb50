//! The evidence report: one self-contained HTML page (no network, no
//! external fonts or scripts) from findings to format, rendered from a
//! template with minijinja.

use crate::ExportError;
use serde::Serialize;
use spor_analysis::audit::Violation;
use spor_analysis::manifest::{CodebookVersion, FileHash};
use spor_analysis::matrix::{Cooccurrence, Matrix};
use spor_analysis::rigor::StudyAgreement;
use spor_analysis::trace::Trace;
use spor_analysis::translation::Row;
use spor_corpus::stats::Stats;
use std::collections::BTreeMap;

const TEMPLATE: &str = include_str!("../templates/report.html");

/// A code's label and colour, for the page.
#[derive(Debug, Clone, Serialize)]
pub struct CodeInfo {
    /// Id.
    pub id: String,
    /// Danish label.
    pub label: String,
    /// Codebook id.
    pub codebook: String,
}

/// Everything the report shows.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    /// The study's name.
    pub title: String,
    /// spor's version.
    pub spor_version: String,
    /// The counting policy.
    pub policy: String,
    /// The module (title, ECTS, ...), if there is a curriculum.
    pub module: Option<serde_json::Value>,
    /// Who said how much.
    pub stats: Stats,
    /// The translation table.
    pub rows: Vec<Row>,
    /// Codes by profession.
    pub matrix: Matrix,
    /// Co-occurrence.
    pub cooccurrence: Cooccurrence,
    /// One trace per learning goal and format element.
    pub traces: Vec<Trace>,
    /// Audit violations (empty: the audit passed).
    pub audit: Vec<Violation>,
    /// Input files and their hashes.
    pub inputs: Vec<FileHash>,
    /// Codebook versions.
    pub codebooks: Vec<CodebookVersion>,
    /// Intercoder agreement, when two or more coders exist.
    pub agreement: Option<StudyAgreement>,
    /// The saturation curve as SVG, and the point's label.
    pub saturation: Option<(String, String)>,
    /// Every code shown.
    pub codes: Vec<CodeInfo>,
}

fn heat_svg(m: &Matrix, normalised: bool) -> String {
    let cells: BTreeMap<(&str, &str), &spor_analysis::matrix::Cell> = m
        .cells
        .iter()
        .map(|c| ((c.code.as_str(), c.value.as_str()), c))
        .collect();
    let value = |c: &spor_analysis::matrix::Cell| {
        if normalised {
            c.share_of_turns
        } else {
            c.segments as f64
        }
    };
    let max = m
        .cells
        .iter()
        .map(value)
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let (left, top, cw, ch) = (190.0, 150.0, 64.0, 26.0);
    let width = left + cw * m.groups.len() as f64 + 10.0;
    let height = top + ch * m.codes.len() as f64 + 10.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" aria-labelledby=\"heat-{n}-title\"><title id=\"heat-{n}-title\">Codes by profession: {what}</title>",
        n = if normalised { "norm" } else { "count" },
        what = if normalised {
            "share of the profession's participant turns"
        } else {
            "coded participant turns"
        }
    );
    for (j, g) in m.groups.iter().enumerate() {
        let x = left + cw * j as f64 + cw / 2.0;
        s.push_str(&format!(
            "<text x=\"{x}\" y=\"{}\" transform=\"rotate(-45 {x} {})\" font-size=\"12\">{}</text>",
            top - 8.0,
            top - 8.0,
            esc(&g.value)
        ));
    }
    for (i, code) in m.codes.iter().enumerate() {
        let y = top + ch * i as f64;
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>",
            left - 8.0,
            y + ch * 0.65,
            esc(code)
        ));
        for (j, g) in m.groups.iter().enumerate() {
            let x = left + cw * j as f64;
            let (fill, text, label) = match cells.get(&(code.as_str(), g.value.as_str())) {
                Some(c) => {
                    let t = value(c) / max;
                    // light to dark blue; the text colour with more contrast (WCAG AA)
                    let (r, gr, b) = blue(t);
                    let txt = if contrast_with_white(r, gr, b) >= contrast_with_black(r, gr, b) {
                        "#ffffff"
                    } else {
                        "#000000"
                    };
                    let label = if normalised {
                        format!("{:.0}%", c.share_of_turns * 100.0)
                    } else {
                        c.segments.to_string()
                    };
                    (format!("#{r:02x}{gr:02x}{b:02x}"), txt, label)
                }
                None if m.min_cell > 0 => ("#f3f3f3".to_owned(), "#333333", "·".to_owned()),
                None => ("#ffffff".to_owned(), "#333333", "0".to_owned()),
            };
            s.push_str(&format!(
                "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"#cccccc\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"{text}\">{label}</text>",
                cw - 2.0,
                ch - 2.0,
                x + cw / 2.0 - 1.0,
                y + ch * 0.65
            ));
        }
    }
    s.push_str("</svg>");
    s
}

/// A blue from light (t = 0) to dark (t = 1).
fn blue(t: f64) -> (u8, u8, u8) {
    let (light, dark) = ((232.0, 240.0, 250.0), (8.0, 48.0, 107.0));
    let mix = |a: f64, b: f64| (a + (b - a) * t.clamp(0.0, 1.0)).round() as u8;
    (
        mix(light.0, dark.0),
        mix(light.1, dark.1),
        mix(light.2, dark.2),
    )
}

fn luminance(r: u8, g: u8, b: u8) -> f64 {
    let ch = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
}

fn contrast_with_white(r: u8, g: u8, b: u8) -> f64 {
    1.05 / (luminance(r, g, b) + 0.05)
}

fn contrast_with_black(r: u8, g: u8, b: u8) -> f64 {
    (luminance(r, g, b) + 0.05) / 0.05
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Render the report.
pub fn render(data: &ReportData) -> Result<String, ExportError> {
    let mut env = minijinja::Environment::new();
    env.add_template("report.html", TEMPLATE)?;
    let mut sorted_professions: Vec<String> = data
        .stats
        .professions
        .iter()
        .map(|p| p.profession.clone())
        .collect();
    sorted_professions.sort();
    let (cooc_head, cooc_rows) = crate::matrix::cooccurrence_grid(&data.cooccurrence);
    let ctx = minijinja::context! {
        d => minijinja::Value::from(minijinja::value::Serde(data.clone())),
        heat_counts => minijinja::Value::from_safe_string(heat_svg(&data.matrix, false)),
        heat_norm => minijinja::Value::from_safe_string(heat_svg(&data.matrix, true)),
        saturation_svg => data.saturation.as_ref().map(|s| minijinja::Value::from_safe_string(s.0.clone())),
        professions => sorted_professions,
        cooc_head => cooc_head,
        cooc_rows => cooc_rows,
    };
    Ok(env.get_template("report.html")?.render(ctx)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_map_text_passes_wcag_aa() {
        for i in 0..=100 {
            let (r, g, b) = blue(i as f64 / 100.0);
            let best = contrast_with_white(r, g, b).max(contrast_with_black(r, g, b));
            assert!(best >= 4.5, "{i}: {best}");
        }
    }
}
