//! Hints: Danish letters typed as ASCII digraphs, and "did you mean" by edit
//! distance.

use crate::chars::{attr_name_end, is_keyword, is_word_start, word_end};

/// Suggests Danish spellings for words written with ASCII substitutes:
/// `aa` for å, `oe` for ø, `ae` for æ.
///
/// Returns `None` when no word in the query contains one of those
/// digraphs. Otherwise the whole query is suggested with those words
/// respelled and everything else (operators, quotes, `*`, `=`, attribute
/// names) as written. The suggestion is a hint only; the query is not
/// changed. Attribute values are checked like other words.
///
/// ```
/// use spor_query::spelling_hint;
///
/// assert_eq!(
///     spelling_hint("paa foer laege").as_deref(),
///     Some("Danish letters written as aa/oe/ae? try: på før læge")
/// );
/// assert_eq!(
///     spelling_hint("*traenings* AND \"paa skaermen\"~2").as_deref(),
///     Some("Danish letters written as aa/oe/ae? try: *trænings* AND \"på skærmen\"~2")
/// );
/// assert_eq!(spelling_hint("sygeplejerske"), None);
/// ```
pub fn spelling_hint(input: &str) -> Option<String> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = String::with_capacity(input.len() + 8);
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        if let Some(colon) = attr_name_end(&chars, i) {
            out.extend(&chars[i..=colon]);
            i = colon + 1;
            continue;
        }
        if !is_word_start(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let end = word_end(&chars, i);
        let word = &chars[i..end];
        i = end;
        let text: String = word.iter().collect();
        match replace_digraphs(word).filter(|_| !is_keyword(&text)) {
            Some(fixed) => {
                out.push_str(&fixed);
                changed = true;
            }
            None => out.push_str(&text),
        }
    }
    changed.then(|| format!("Danish letters written as aa/oe/ae? try: {out}"))
}

/// The word with every `aa`/`oe`/`ae` replaced by `å`/`ø`/`æ` (uppercase
/// when the digraph starts with an uppercase letter), or `None` if it has
/// none.
fn replace_digraphs(word: &[char]) -> Option<String> {
    let mut out = String::with_capacity(word.len() * 2);
    let mut changed = false;
    let mut i = 0;
    while i < word.len() {
        let first = word[i];
        let pair = word
            .get(i + 1)
            .map(|&second| (first.to_ascii_lowercase(), second.to_ascii_lowercase()));
        let replacement = match pair {
            Some(('a', 'a')) => Some(('å', 'Å')),
            Some(('o', 'e')) => Some(('ø', 'Ø')),
            Some(('a', 'e')) => Some(('æ', 'Æ')),
            _ => None,
        };
        match replacement {
            Some((lower, upper)) => {
                out.push(if first.is_ascii_uppercase() {
                    upper
                } else {
                    lower
                });
                changed = true;
                i += 2;
            }
            None => {
                out.push(first);
                i += 1;
            }
        }
    }
    changed.then_some(out)
}

/// Optimal string alignment distance (Levenshtein plus adjacent
/// transpositions), comparing case-insensitively.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    // rows[r][j]: distance between a[..i - 2 + r] and b[..j].
    let mut rows = [
        vec![0; b.len() + 1],
        (0..=b.len()).collect::<Vec<_>>(),
        vec![0; b.len() + 1],
    ];
    for i in 1..=a.len() {
        rows[2][0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[1][j] + 1)
                .min(rows[2][j - 1] + 1)
                .min(rows[1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[0][j - 2] + 1);
            }
            rows[2][j] = d;
        }
        rows.rotate_left(1);
    }
    rows[1][b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo (or if `word` is the start of exactly one candidate).
pub(crate) fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let len = word.chars().count();
    let limit = (len / 3 + 1).min(3);
    let best = candidates
        .iter()
        .map(|&c| (edit_distance(word, c), c))
        .min_by_key(|&(d, _)| d);
    if let Some((d, c)) = best
        && d <= limit
    {
        return Some(c);
    }
    let lower = word.to_lowercase();
    let mut starting = candidates
        .iter()
        .filter(|c| len >= 3 && c.to_lowercase().starts_with(&lower));
    match (starting.next(), starting.next()) {
        (Some(&c), None) => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits_and_transpositions() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("profesion", "profession"), 1);
        assert_eq!(edit_distance("fase", "phase"), 2);
        assert_eq!(edit_distance("knid", "kind"), 1);
        assert_eq!(edit_distance("Kind", "kind"), 0);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("sø", "so"), 1);
    }

    #[test]
    fn did_you_mean_picks_close_names_only() {
        let known = ["profession", "phase", "kind"];
        assert_eq!(did_you_mean("profesion", &known), Some("profession"));
        assert_eq!(did_you_mean("fase", &known), Some("phase"));
        assert_eq!(did_you_mean("knid", &known), Some("kind"));
        assert_eq!(did_you_mean("prof", &known), Some("profession"));
        assert_eq!(did_you_mean("alder", &known), None);
        assert_eq!(did_you_mean("x", &[]), None);
    }

    #[test]
    fn digraphs_are_replaced_keeping_case() {
        let r = |s: &str| replace_digraphs(&s.chars().collect::<Vec<_>>());
        assert_eq!(r("paa").as_deref(), Some("på"));
        assert_eq!(r("Aarhus").as_deref(), Some("Århus"));
        assert_eq!(r("AEble").as_deref(), Some("Æble"));
        assert_eq!(r("haandvaerker").as_deref(), Some("håndværker"));
        assert_eq!(r("soe").as_deref(), Some("sø"));
        assert_eq!(r("sygeplejerske"), None);
    }
}
