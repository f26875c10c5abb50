//! Aligned text tables for people at a terminal (column widths by display
//! width, so æ, ø, å and combining accents line up).

use unicode_width::UnicodeWidthStr;

fn width(s: &str) -> usize {
    s.width()
}

/// Column alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left.
    Left,
    /// Right (numbers).
    Right,
}

/// A table: a header and rows of cells.
#[derive(Debug, Clone)]
pub struct Table {
    header: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column names and alignments.
    pub fn new(columns: &[(&str, Align)]) -> Table {
        Table {
            header: columns.iter().map(|c| c.0.to_owned()).collect(),
            align: columns.iter().map(|c| c.1).collect(),
            rows: Vec::new(),
        }
    }

    /// Add a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Render with two spaces between columns and a rule under the header.
    pub fn render(&self) -> String {
        let n = self.header.len();
        let mut w = vec![0usize; n];
        for r in std::iter::once(&self.header).chain(&self.rows) {
            for (i, c) in r.iter().enumerate().take(n) {
                w[i] = w[i].max(width(c));
            }
        }
        let line = |r: &Vec<String>| {
            let mut s = String::new();
            for (i, c) in r.iter().enumerate().take(n) {
                let pad = w[i] - width(c);
                if i > 0 {
                    s.push_str("  ");
                }
                match self.align[i] {
                    Align::Left if i + 1 == n => s.push_str(c),
                    Align::Left => {
                        s.push_str(c);
                        s.push_str(&" ".repeat(pad));
                    }
                    Align::Right => {
                        s.push_str(&" ".repeat(pad));
                        s.push_str(c);
                    }
                }
            }
            s.trim_end().to_owned()
        };
        let mut out = line(&self.header);
        out.push('\n');
        out.push_str(&"-".repeat(w.iter().sum::<usize>() + 2 * (n.saturating_sub(1))));
        out.push('\n');
        for r in &self.rows {
            out.push_str(&line(r));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_letters_and_combining_accents_line_up() {
        let mut t = Table::new(&[("ord", Align::Left), ("n", Align::Right)]);
        t.row(vec!["sygeplejerske".into(), "3".into()]);
        // "æ" precomposed and "a" + combining ring: both one column wide
        t.row(vec!["læge".into(), "12".into()]);
        t.row(vec!["a\u{30a}rsag".into(), "1".into()]);
        let out = t.render();
        let ends: Vec<usize> = out
            .lines()
            .filter(|l| !l.starts_with('-'))
            .map(|l| l.width())
            .collect();
        assert_eq!(ends, vec![17, 17, 17, 17], "{out}");
    }
}
