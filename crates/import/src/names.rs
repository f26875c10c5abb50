//! Ids from names: document ids, coder names and participant ids use
//! `[A-Za-z0-9._-]`, code and codebook ids `[a-z0-9._-]`. Danish letters
//! are spelled out (æ -> ae, ø -> oe, å -> aa), other accents dropped
//! (ő -> o), anything else becomes `-`.

use std::collections::BTreeSet;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

fn ascii_of(c: char, out: &mut String) {
    match c {
        'æ' => out.push_str("ae"),
        'Æ' => out.push_str("Ae"),
        'ø' => out.push_str("oe"),
        'Ø' => out.push_str("Oe"),
        'å' => out.push_str("aa"),
        'Å' => out.push_str("Aa"),
        'ß' => out.push_str("ss"),
        'œ' => out.push_str("oe"),
        'Œ' => out.push_str("Oe"),
        'ł' => out.push('l'),
        'Ł' => out.push('L'),
        'đ' | 'ð' => out.push('d'),
        'Đ' | 'Ð' => out.push('D'),
        'þ' => out.push_str("th"),
        'Þ' => out.push_str("Th"),
        c if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') => out.push(c),
        c => {
            let base: String = c.nfd().filter(|d| !is_combining_mark(*d)).collect();
            if !base.is_empty() && base.chars().all(|b| b.is_ascii_alphanumeric()) {
                out.push_str(&base);
            } else {
                out.push('-');
            }
        }
    }
}

/// `name` as an id in `[A-Za-z0-9._-]` (case kept); may be empty.
pub fn sanitize(name: &str) -> String {
    let mut raw = String::with_capacity(name.len());
    for c in name.trim().chars() {
        ascii_of(c, &mut raw);
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    while out.contains(".-") || out.contains("-.") {
        out = out.replace(".-", "-").replace("-.", "-");
    }
    out.trim_matches(['-', '.']).to_owned()
}

/// `name` as a lowercase id in `[a-z0-9._-]`; may be empty.
pub fn slug(name: &str) -> String {
    sanitize(name).to_ascii_lowercase()
}

/// `base` (or `fallback` when empty), made unique among `used` with `-2`,
/// `-3`, ..., and recorded as used. Compared ignoring ASCII case, since
/// ids become file names.
pub fn unique(base: &str, fallback: &str, used: &mut BTreeSet<String>) -> String {
    let base = if base.is_empty() { fallback } else { base };
    let mut id = base.to_owned();
    let mut n = 2;
    while used.contains(&id.to_ascii_lowercase()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.to_ascii_lowercase());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_names() {
        assert_eq!(sanitize("int 01"), "int-01");
        assert_eq!(sanitize("Anæstesi/Sygepl. (2024)"), "Anaestesi-Sygepl-2024");
        assert_eq!(slug("1. Oltás típusa"), "1-oltas-tipusa");
        assert_eq!(slug("szabadság, szuverenitás"), "szabadsag-szuverenitas");
        assert_eq!(slug("Cost–benefit analysis"), "cost-benefit-analysis");
        assert_eq!(slug("A.B.C"), "a.b.c");
        assert_eq!(slug("😀"), "");
        assert_eq!(sanitize("spor rules"), "spor-rules");
    }

    #[test]
    fn unique_ids() {
        let mut used = BTreeSet::new();
        assert_eq!(unique("a", "x", &mut used), "a");
        assert_eq!(unique("A", "x", &mut used), "A-2");
        assert_eq!(unique("", "x", &mut used), "x");
        assert_eq!(unique("", "x", &mut used), "x-2");
    }
}
