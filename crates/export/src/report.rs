//! The evidence report: one self-contained HTML page (no network, no
//! external fonts or scripts) from findings to format, rendered from a
//! template with minijinja.

use crate::ExportError;
use crate::lang::Lang;
use serde::Serialize;
use spor_analysis::MemoNote;
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
    /// The language of the interface.
    pub lang: Lang,
    /// The counting policy.
    pub policy: String,
    /// The counting policy in plain words, in `lang`.
    pub policy_text: String,
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
    /// Memos on codes, by code id.
    pub code_memos: BTreeMap<String, Vec<MemoNote>>,
    /// The learned models' suggestions, per code, apart from the rules'
    /// and the coders' (spor-learn's `Learned::report`: objects with
    /// `code, suggestions, cv_f1, used, note, example`); an empty array
    /// when spor did not learn.
    pub learned: serde_json::Value,
    /// `[learn] min_f1`.
    pub learned_min_f1: f64,
    /// Whether the policy counts unreviewed learned suggestions.
    pub learned_counted: bool,
}

/// Wrap a label into lines of at most `width` characters, at spaces.
fn wrap(label: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for w in label.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + w.chars().count() <= width => {
                l.push(' ');
                l.push_str(w);
            }
            _ => lines.push(w.to_owned()),
        }
    }
    lines
}

/// Width in px of a 12 px system-font text, generously estimated so that
/// no label is clipped.
fn text_px(s: &str) -> f64 {
    s.chars().count() as f64 * 7.0
}

/// A heat map's geometry, measured from its labels so that nothing is
/// clipped: code labels wrap onto lines of up to 34 characters; the left
/// margin, the row height and the room for the slanted column labels follow.
struct HeatLayout {
    /// Each code's label, wrapped.
    wrapped: Vec<Vec<String>>,
    /// Left margin (row labels).
    left: f64,
    /// Top margin (slanted column labels).
    top: f64,
    /// Cell height and width.
    ch: f64,
    cw: f64,
    width: f64,
    height: f64,
}

impl HeatLayout {
    fn new(m: &Matrix, labels: &BTreeMap<String, String>) -> Self {
        let wrapped: Vec<Vec<String>> = m
            .codes
            .iter()
            .map(|c| wrap(labels.get(c).map(String::as_str).unwrap_or(c), 34))
            .collect();
        let left = wrapped
            .iter()
            .flatten()
            .map(|l| text_px(l))
            .fold(60.0, f64::max)
            + 14.0;
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let ch = (16.0 * lines as f64 + 8.0).max(26.0);
        let cw = 52.0;
        let slant = m
            .groups
            .iter()
            .map(|g| text_px(&g.value) * std::f64::consts::FRAC_1_SQRT_2)
            .fold(0.0, f64::max);
        let top = slant + 20.0;
        let width = (left + cw * m.groups.len() as f64 + slant + 10.0).ceil();
        let height = (top + ch * m.codes.len() as f64 + 10.0).ceil();
        HeatLayout {
            wrapped,
            left,
            top,
            ch,
            cw,
            width,
            height,
        }
    }

    /// Row `i`'s label: the wrapped lines centred on the row, the code id
    /// as its tooltip.
    fn row_label(&self, s: &mut String, i: usize, code: &str) {
        let y = self.top + self.ch * i as f64;
        let n = self.wrapped[i].len() as f64;
        let first = y + self.ch / 2.0 - (n - 1.0) * 8.0 + 4.0;
        s.push_str(&format!(
            "<text class=\"row-label\" x=\"{}\" y=\"{first}\" text-anchor=\"end\" font-size=\"12\"><title>{}</title>",
            self.left - 8.0,
            esc(code)
        ));
        for (k, l) in self.wrapped[i].iter().enumerate() {
            s.push_str(&format!(
                "<tspan x=\"{}\" dy=\"{}\">{}</tspan>",
                self.left - 8.0,
                if k == 0 { 0.0 } else { 16.0 },
                esc(l)
            ));
        }
        s.push_str("</text>");
    }
}

/// A heat map of a matrix as SVG: codes down, groups across, counts or
/// shares of turns as the cells' shade and text.
fn heat_svg(
    m: &Matrix,
    normalised: bool,
    labels: &BTreeMap<String, String>,
    title: &str,
) -> String {
    let cells: BTreeMap<(&str, &str), &spor_analysis::matrix::Cell> = m
        .cells
        .iter()
        .map(|c| ((c.code.as_str(), c.value.as_str()), c))
        .collect();
    let max = m
        .cells
        .iter()
        .map(|c| heat_value(c, normalised))
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let l = HeatLayout::new(m, labels);
    let (left, top, ch, cw) = (l.left, l.top, l.ch, l.cw);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heat\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" aria-labelledby=\"heat-{n}-title\"><title id=\"heat-{n}-title\">{title}</title>",
        width = l.width,
        height = l.height,
        n = if normalised { "norm" } else { "count" },
        title = esc(title)
    );
    for (j, g) in m.groups.iter().enumerate() {
        let x = left + cw * j as f64 + cw / 2.0;
        s.push_str(&format!(
            "<text class=\"col-label\" x=\"{x}\" y=\"{}\" transform=\"rotate(-45 {x} {})\" font-size=\"12\">{}</text>",
            top - 8.0,
            top - 8.0,
            esc(&g.value)
        ));
    }
    for (i, code) in m.codes.iter().enumerate() {
        let y = top + ch * i as f64;
        l.row_label(&mut s, i, code);
        for (j, g) in m.groups.iter().enumerate() {
            let x = left + cw * j as f64;
            let cell = cells.get(&(code.as_str(), g.value.as_str())).copied();
            let (fill, text, label) = heat_cell(cell, normalised, max, m.min_cell);
            s.push_str(&format!(
                "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"#cccccc\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"{text}\">{label}</text>",
                cw - 2.0,
                ch - 2.0,
                x + cw / 2.0 - 1.0,
                y + ch / 2.0 + 4.0
            ));
        }
    }
    s.push_str("</svg>");
    s
}

/// What a cell's shade shows: its share of turns, or its count.
fn heat_value(c: &spor_analysis::matrix::Cell, normalised: bool) -> f64 {
    if normalised {
        c.share_of_turns
    } else {
        c.segments as f64
    }
}

/// A cell's fill, text colour and text: a blue by its value against the
/// largest (the text colour the one with more contrast, WCAG AA); an empty
/// cell is white with 0, or grey with `·` when small cells are hidden.
fn heat_cell(
    cell: Option<&spor_analysis::matrix::Cell>,
    normalised: bool,
    max: f64,
    min_cell: usize,
) -> (String, &'static str, String) {
    match cell {
        Some(c) => {
            let t = heat_value(c, normalised) / max;
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
        None if min_cell > 0 => ("#f3f3f3".to_owned(), "#333333", "·".to_owned()),
        None => ("#ffffff".to_owned(), "#333333", "0".to_owned()),
    }
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
    let labels: BTreeMap<String, String> = data
        .codes
        .iter()
        .map(|c| {
            let l = if c.label.is_empty() { &c.id } else { &c.label };
            (c.id.clone(), l.clone())
        })
        .collect();
    let label = |id: &str| labels.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let (_, cooc_rows) = crate::matrix::cooccurrence_grid(&data.cooccurrence);
    let cooc = serde_json::json!({
        "codes": data.cooccurrence.codes.iter().map(|c| serde_json::json!({"id": c, "label": label(c)})).collect::<Vec<_>>(),
        "rows": data.cooccurrence.codes.iter().zip(cooc_rows).map(|(c, r)| serde_json::json!({"id": c, "label": label(c), "cells": r[1..].to_vec()})).collect::<Vec<_>>(),
    });
    let t = crate::report_text::texts(data.lang);
    let ctx = minijinja::context! {
        d => minijinja::Value::from(minijinja::value::Serde(data.clone())),
        t => t.clone(),
        labels => labels.clone(),
        memos_by_code => minijinja::Value::from(minijinja::value::Serde(data.code_memos.clone())),
        heat_counts => minijinja::Value::from_safe_string(heat_svg(&data.matrix, false, &labels, t["heat_title_count"])),
        heat_norm => minijinja::Value::from_safe_string(heat_svg(&data.matrix, true, &labels, t["heat_title_norm"])),
        saturation_svg => data.saturation.as_ref().map(|s| minijinja::Value::from_safe_string(s.0.clone())),
        professions => sorted_professions,
        cooc => minijinja::Value::from(minijinja::value::Serde(cooc)),
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
