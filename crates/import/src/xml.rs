//! A small, safe XML tree for QDA-XML: elements by local name (so any
//! namespace or prefix reads the same: `urn:QDA-XML:codebook:1:0`,
//! `0:4`, ...), attributes by local name, text with XML's line-end
//! normalisation. A DOCTYPE is refused (REFI-QDA has none, and a DTD is how
//! entity attacks start); entities other than XML's five and character
//! references are an error; nothing is ever fetched or expanded.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// Deepest nesting spor reads (code trees are far shallower).
const MAX_DEPTH: usize = 256;

/// An element: local name, attributes (local names), children and text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// Local name (no prefix).
    pub name: String,
    /// Attributes by local name, in document order.
    pub attrs: Vec<(String, String)>,
    /// Child elements in order.
    pub children: Vec<Element>,
    /// The element's own text (CDATA included), line ends normalised to LF.
    pub text: String,
}

impl Element {
    /// An attribute by local name (ASCII case-insensitive, since some
    /// writers vary the case).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child with this name, trimmed ("" if absent).
    pub fn child_text(&self, name: &str) -> String {
        self.child(name)
            .map(|c| c.text.trim().to_owned())
            .unwrap_or_default()
    }
}

/// Decode bytes as the XML's text: a UTF-8 BOM is stripped, a UTF-16 BOM
/// decodes UTF-16; anything else must be UTF-8.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if enc != encoding_rs::UTF_8 {
            let (s, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
            if had_errors {
                return Err(format!("invalid {} text", enc.name()));
            }
            return Ok(s.into_owned());
        }
        return std::str::from_utf8(&bytes[bom..])
            .map(str::to_owned)
            .map_err(|e| format!("not UTF-8 (invalid byte at {})", e.valid_up_to() + bom));
    }
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|e| format!("not UTF-8 (invalid byte at {})", e.valid_up_to()))
}

fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..pos.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, col)
}

fn start(e: &BytesStart, decoder: quick_xml::encoding::Decoder) -> Result<Element, String> {
    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    // quick-xml's own duplicate check is quadratic in the number of
    // attributes (400,000 on one element took minutes); a hash set does the
    // same check in linear time.
    let mut seen: std::collections::HashSet<Vec<u8>> = std::collections::HashSet::new();
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|e| e.to_string())?;
        if !seen.insert(a.key.as_ref().to_vec()) {
            return Err(format!(
                "duplicate attribute {}",
                String::from_utf8_lossy(a.key.as_ref())
            ));
        }
        let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
        if a.key.as_ref().starts_with(b"xmlns") {
            continue;
        }
        let v = a
            .decode_and_unescape_value(decoder)
            .map_err(|e| format!("attribute {key}: {e} (spor resolves no entities)"))?;
        attrs.push((key, v.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        ..Element::default()
    })
}

fn normalise_ends(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        s.into()
    }
}

/// The most elements and attributes (together) a document may have: the
/// tree takes a hundred bytes or more per node, so this bounds the memory
/// of a parse to about a gigabyte whatever the file holds.
pub const MAX_NODES: usize = 4_000_000;

/// Parse XML text into its root element. The error says what is wrong and
/// where (`line L, column C`).
pub fn parse(text: &str) -> Result<Element, String> {
    parse_limited(text, MAX_NODES)
}

fn parse_limited(text: &str, max_nodes: usize) -> Result<Element, String> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let decoder = reader.decoder();
    let mut tree = Tree {
        text,
        stack: Vec::new(),
        root: None,
        nodes: 0,
        max_nodes,
    };
    loop {
        let pos = reader.buffer_position();
        let ev = reader
            .read_event()
            .map_err(|e| tree.at(pos, format!("not well-formed XML: {e}")))?;
        match ev {
            Event::Start(e) => {
                if tree.stack.len() >= MAX_DEPTH {
                    return Err(tree.at(pos, format!("elements nested deeper than {MAX_DEPTH}")));
                }
                let el = start(&e, decoder).map_err(|m| tree.at(pos, m))?;
                tree.count(&el, pos)?;
                tree.stack.push(el);
            }
            Event::Empty(e) => {
                let el = start(&e, decoder).map_err(|m| tree.at(pos, m))?;
                tree.count(&el, pos)?;
                tree.attach(el, pos)?;
            }
            Event::End(_) => {
                let el = tree
                    .stack
                    .pop()
                    .ok_or_else(|| tree.at(pos, "end tag without start".into()))?;
                tree.attach(el, pos)?;
            }
            Event::Text(t) => {
                let s = t
                    .decode()
                    .map_err(|e| tree.at(pos, format!("bad text: {e}")))?;
                match tree.stack.last_mut() {
                    Some(el) => el.text.push_str(&normalise_ends(&s)),
                    None if s.trim().is_empty() => {}
                    None => return Err(tree.at(pos, "text outside the root element".into())),
                }
            }
            Event::CData(t) => {
                if let Some(el) = tree.stack.last_mut() {
                    el.text
                        .push_str(&normalise_ends(&String::from_utf8_lossy(&t)));
                }
            }
            Event::GeneralRef(r) => {
                let c = reference(&r).map_err(|m| tree.at(pos, m))?;
                if let Some(el) = tree.stack.last_mut() {
                    el.text.push(c);
                }
            }
            Event::DocType(_) => {
                return Err(tree.at(
                    pos,
                    "the XML has a DOCTYPE; spor does not read DTDs or entities".into(),
                ));
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    tree.finish()
}

/// The tree being built: the open elements, the root once closed, and the
/// count of nodes against the limit.
struct Tree<'t> {
    /// The whole text, for error positions.
    text: &'t str,
    /// The open elements, innermost last.
    stack: Vec<Element>,
    root: Option<Element>,
    /// Elements and attributes so far: the tree takes memory per node.
    nodes: usize,
    max_nodes: usize,
}

impl Tree<'_> {
    /// A message with its place: `line L, column C: ...`.
    fn at(&self, pos: u64, msg: String) -> String {
        let (l, c) = line_col(self.text, pos as usize);
        format!("line {l}, column {c}: {msg}")
    }

    /// A closed element goes into its parent, or becomes the root (once).
    fn attach(&mut self, el: Element, pos: u64) -> Result<(), String> {
        match self.stack.last_mut() {
            Some(p) => p.children.push(el),
            None if self.root.is_none() => self.root = Some(el),
            None => return Err(self.at(pos, "more than one root element".into())),
        }
        Ok(())
    }

    /// Count an element and its attributes against the limit.
    fn count(&mut self, el: &Element, pos: u64) -> Result<(), String> {
        self.nodes += 1 + el.attrs.len();
        if self.nodes > self.max_nodes {
            return Err(self.at(
                pos,
                format!(
                    "more than {} elements and attributes (spor's limit)",
                    self.max_nodes
                ),
            ));
        }
        Ok(())
    }

    /// The root, unless the text ended inside an element or held none.
    fn finish(self) -> Result<Element, String> {
        if let Some(open) = self.stack.last() {
            return Err(self.at(
                self.text.len() as u64,
                format!("the XML ends inside <{}> (truncated?)", open.name),
            ));
        }
        self.root
            .ok_or_else(|| "no XML element found (not an XML file?)".to_owned())
    }
}

/// The character of a reference: a character reference or one of XML's
/// five predefined entities; any other entity is refused.
fn reference(r: &BytesRef) -> Result<char, String> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Ok(c),
        Ok(None) => match &**r {
            b"amp" => Ok('&'),
            b"lt" => Ok('<'),
            b"gt" => Ok('>'),
            b"quot" => Ok('"'),
            b"apos" => Ok('\''),
            other => Err(format!(
                "entity &{}; is not defined (spor never resolves entities)",
                String::from_utf8_lossy(other)
            )),
        },
        Err(e) => Err(format!("bad character reference: {e}")),
    }
}

/// A GUID as spor compares them: lowercase, without `{}`.
pub fn guid(s: &str) -> String {
    s.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names_and_namespaces() {
        let x = r#"<?xml version="1.0"?><q:CodeBook xmlns:q="urn:QDA-XML:codebook:1:0" origin="x"><q:Codes><q:Code guid="{ABC}" name="a &amp; b"/></q:Codes></q:CodeBook>"#;
        let r = parse(x).unwrap();
        assert_eq!(r.name, "CodeBook");
        assert_eq!(r.attr("origin"), Some("x"));
        let c = &r.child("Codes").unwrap().children[0];
        assert_eq!(c.attr("name"), Some("a & b"));
        assert_eq!(guid(c.attr("guid").unwrap()), "abc");
    }

    #[test]
    fn text_line_ends_and_char_refs() {
        let r = parse("<a>x\r\ny&#10;z&#x1F600;</a>").unwrap();
        assert_eq!(r.text, "x\ny\nz\u{1F600}");
    }

    #[test]
    fn refuses_doctype_entities_and_garbage() {
        let e = parse(r#"<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#)
            .unwrap_err();
        assert!(e.contains("DOCTYPE"), "{e}");
        let e = parse("<a>&x;</a>").unwrap_err();
        assert!(e.contains("entity &x;"), "{e}");
        let e = parse("<a><b></a>").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
        assert!(parse("PK\u{3}\u{4} not xml").is_err());
        assert!(parse("<a><b>").unwrap_err().contains("truncated"));
        assert!(parse("").is_err());
    }

    #[test]
    fn many_attributes_take_linear_time() {
        let n = 200_000;
        let mut x = String::from("<a");
        for i in 0..n {
            x.push_str(&format!(" k{i}=\"v\""));
        }
        x.push_str("/>");
        let t = std::time::Instant::now();
        let r = parse(&x).unwrap();
        assert_eq!(r.attrs.len(), n);
        // quadratic, this took minutes; linear, well under a second
        assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
        let e = parse("<a k=\"1\" j=\"2\" k=\"3\"/>").unwrap_err();
        assert!(e.contains("duplicate attribute k"), "{e}");
    }

    #[test]
    fn the_tree_is_bounded() {
        let x = format!("<a>{}</a>", "<b k=\"1\"/>".repeat(10));
        assert!(parse_limited(&x, 21).is_ok());
        let e = parse_limited(&x, 20).unwrap_err();
        assert!(e.contains("more than 20 elements and attributes"), "{e}");
    }

    #[test]
    fn decodes_boms() {
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        assert_eq!(decode(b"\xFF\xFE<\0a\0/\0>\0").unwrap(), "<a/>");
        assert!(decode(b"<a>\xFF</a>").is_err());
    }
}
