//! Character classes of the query language: what makes a word, an
//! attribute name and an unquoted attribute value.

/// Whether `c` can start a word: any Unicode letter or digit.
pub(crate) fn is_word_start(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `c` can continue a word: letters, digits and combining marks.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining(c)
}

/// Common combining diacritical marks (for input that is not NFC).
fn is_combining(c: char) -> bool {
    matches!(
        c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
    )
}

/// Punctuation that stays inside a word when a letter or digit follows it.
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '.' | '_' | '\u{2019}')
}

/// Whether `c` may appear in an unquoted attribute value.
pub(crate) fn is_value_char(c: char) -> bool {
    is_word_char(c) || matches!(c, '-' | '_' | '.' | '\'')
}

/// Whether a word is one of the (uppercase) operator keywords.
pub(crate) fn is_keyword(text: &str) -> bool {
    matches!(text, "AND" | "OR" | "NOT")
}

/// The end (exclusive) of the word starting at `start`, which must be a
/// word-start character. Inner `-`, `'`, `.` and `_` are kept when a letter
/// or digit follows them (`e-læring`, `covid-19`, `f.eks`).
pub(crate) fn word_end(chars: &[char], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&c) = chars.get(i) {
        if is_word_char(c) {
            i += 1;
        } else if is_joiner(c) && chars.get(i + 1).is_some_and(|&n| is_word_start(n)) {
            i += 2;
        } else {
            break;
        }
    }
    i
}

/// If an attribute name (`[A-Za-z_][A-Za-z0-9_.-]*`) directly followed by
/// `:` starts at `start`, the position of the `:`.
pub(crate) fn attr_name_end(chars: &[char], start: usize) -> Option<usize> {
    let first = *chars.get(start)?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    let mut i = start + 1;
    while chars
        .get(i)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        i += 1;
    }
    (chars.get(i) == Some(&':')).then_some(i)
}
