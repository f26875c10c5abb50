//! GUIDs and XML escaping for the REFI-QDA export.

use std::fmt::Write as _;

/// The namespace of every GUID spor writes (a fixed, random UUID).
const NAMESPACE: [u8; 16] = [
    0x5b, 0x0e, 0x7c, 0x3a, 0x91, 0x2d, 0x4f, 0x6e, 0xa8, 0x43, 0x17, 0xc2, 0x9d, 0x5f, 0x0b, 0x64,
];

/// A lowercase UUIDv5 of `name` in spor's namespace.
pub fn guid(name: &str) -> String {
    uuid_v5(&NAMESPACE, name.as_bytes())
}

pub(super) fn uuid_v5(namespace: &[u8; 16], name: &[u8]) -> String {
    let mut data = Vec::with_capacity(16 + name.len());
    data.extend_from_slice(namespace);
    data.extend_from_slice(name);
    // SHA-1 only because RFC 4122 prescribes it for name-based UUIDs.
    let h = <sha1::Sha1 as sha1::Digest>::digest(&data);
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut s = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// Escape text for XML content and double-quoted attributes. Characters XML
/// 1.0 forbids (most C0 controls) are dropped; tabs and line breaks in
/// attributes are written as character references so they survive.
pub(super) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' => o.push_str("&#9;"),
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            c => o.push(c),
        }
    }
    o
}

/// Escape element text: like [`esc`] but line breaks stay literal.
pub(super) fn esc_text(s: &str) -> String {
    esc(s)
        .replace("&#10;", "\n")
        .replace("&#9;", "\t")
        .replace("&#13;", "")
}

pub(super) fn is_rgb(s: &str) -> bool {
    let Some(hex) = s.strip_prefix('#') else {
        return false;
    };
    matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

pub(super) fn code_guid(id: &str) -> String {
    guid(&format!("code:{id}"))
}

pub(super) fn codebook_guid(id: &str) -> String {
    guid(&format!("codebook:{id}"))
}

pub(super) fn doc_guid(id: &str) -> String {
    guid(&format!("doc:{id}"))
}

pub(super) fn user_guid(name: &str) -> String {
    guid(&format!("user:{name}"))
}

pub(super) fn var_guid(name: &str) -> String {
    guid(&format!("var:{name}"))
}
