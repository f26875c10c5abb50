//! The cumulative code curve of a saturation analysis as an SVG plot.

use plotters::prelude::*;
use spor_analysis::rigor::GroupSaturation;

/// An SVG of the cumulative number of codes over documents, one line per
/// group, with the saturation point marked.
pub fn svg(groups: &[GroupSaturation], title: &str) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (720, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let max_x = groups
            .iter()
            .map(|g| g.curve.documents.len())
            .max()
            .unwrap_or(1)
            .max(1);
        let max_y = groups
            .iter()
            .flat_map(|g| g.curve.documents.iter().map(|s| s.cumulative))
            .max()
            .unwrap_or(1)
            .max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(40)
            .build_cartesian_2d(0..max_x, 0..max_y + 1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("documents (in order)")
            .y_desc("codes seen (cumulative)")
            .draw()
            .map_err(|e| e.to_string())?;
        let palette = [
            RGBColor(31, 78, 121),
            RGBColor(178, 34, 34),
            RGBColor(0, 109, 44),
            RGBColor(106, 61, 154),
            RGBColor(140, 81, 10),
        ];
        for (i, g) in groups.iter().enumerate() {
            let colour = palette[i % palette.len()];
            let pts: Vec<(usize, usize)> = g
                .curve
                .documents
                .iter()
                .enumerate()
                .map(|(k, s)| (k + 1, s.cumulative))
                .collect();
            let label = if g.group.is_empty() {
                "all".to_owned()
            } else {
                g.group.clone()
            };
            chart
                .draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))
                .map_err(|e| e.to_string())?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], colour));
            if let Some(p) = &g.point
                && let Some(&(x, y)) = pts.get(p.reached_at.saturating_sub(1))
            {
                chart
                    .draw_series(std::iter::once(Circle::new((x, y), 5, colour.filled())))
                    .map_err(|e| e.to_string())?;
            }
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}
