//! A REFI-QDA code tree as spor codebooks (TOML).
//!
//! - Hierarchy is nesting only: a sub-code gets `parent`. Names are never
//!   split on dots or other separators (`A.B.C` is one code, id `a.b.c`),
//!   since the specification expresses hierarchy by nesting alone and real
//!   names hold dots (`1. Oltás típusa`, `Dr. Hansen`).
//! - A code that is not codable (a folder or category) is kept as a
//!   parent code, marked by a comment; spor has no uncodable codes.
//! - A code tree written by `spor export` comes back as it left: each
//!   top-level folder described `spor codebook: <id> <version>` is a
//!   codebook of its own, and each code's description gives back its id,
//!   English label, finding, cue and translation.
//! - Everything else becomes one codebook. Ids come from names; colours
//!   are read as `#RRGGBB`, `#RGB`, `#RRGGBBAA` or `rgb(r,g,b)`.
//!
//! REFI-QDA has no rules, examples or criteria, so the codebooks have none.

use crate::names::{slug, unique};
use crate::project::QdaCode;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

/// A codebook ready to write.
#[derive(Debug, Clone)]
pub struct BookOut {
    /// Codebook id (also the file stem).
    pub id: String,
    /// The TOML text, valid for spor.
    pub toml: String,
    /// Codes in it.
    pub codes: usize,
    /// Of which not codable in the source (categories).
    pub categories: usize,
}

/// The codebooks made from a code tree.
#[derive(Debug, Clone, Default)]
pub struct Converted {
    /// The codebooks.
    pub books: Vec<BookOut>,
    /// Code GUID -> spor code id.
    pub ids: HashMap<String, String>,
}

/// What the TOML says of one code.
struct CodeOut {
    id: String,
    label: String,
    label_en: String,
    parent: Option<String>,
    colour: Option<String>,
    definition: String,
    finding: Option<String>,
    cue: Option<String>,
    translation: Option<String>,
    category: bool,
}

/// `spor codebook: <id> <version>` in a folder's description.
fn spor_book(c: &QdaCode) -> Option<(String, String, String)> {
    if c.codable {
        return None;
    }
    let line = c
        .description
        .lines()
        .find_map(|l| l.trim().strip_prefix("spor codebook: "))?;
    let mut it = line.split_whitespace();
    let id = it.next()?.to_owned();
    let version = it.next().unwrap_or("1").to_owned();
    let rest: Vec<&str> = c
        .description
        .lines()
        .filter(|l| !l.trim().starts_with("spor codebook: "))
        .collect();
    Some((id, version, rest.join("\n").trim().to_owned()))
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// The parts of a description that spor's export writes, if it did.
#[derive(Default)]
struct Described {
    spor_id: Option<String>,
    english: Option<String>,
    finding: Option<String>,
    cue: Option<String>,
    translation: Option<String>,
    rest: String,
}

fn described(d: &str) -> Described {
    let paras: Vec<&str> = d.split("\n\n").map(str::trim).collect();
    if !paras.iter().any(|p| p.starts_with("spor id: ")) {
        return Described {
            rest: d.trim().to_owned(),
            ..Described::default()
        };
    }
    let mut out = Described::default();
    let mut rest = Vec::new();
    for p in paras {
        let take = |k: &str| p.strip_prefix(k).map(|v| v.trim().to_owned());
        if let Some(v) = take("spor id: ") {
            out.spor_id = Some(v);
        } else if let Some(v) = take("English: ") {
            out.english = Some(v);
        } else if let Some(v) = take("Finding: ") {
            out.finding = Some(v);
        } else if let Some(v) = take("Cue: ") {
            out.cue = Some(v);
        } else if let Some(v) = take("Translation: ") {
            out.translation = Some(v);
        } else if !p.is_empty() {
            rest.push(p);
        }
    }
    out.rest = rest.join("\n\n");
    out
}

/// A colour as spor writes it (`#rrggbb`), if it can be read.
pub fn colour(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        return match hex.len() {
            3 => Some(format!(
                "#{}",
                hex.chars().flat_map(|c| [c, c]).collect::<String>()
            )),
            6 | 8 => Some(format!("#{}", &hex[..6])),
            _ => None,
        }
        .map(|c| c.to_ascii_lowercase());
    }
    let inner = s
        .strip_prefix("rgba(")
        .or_else(|| s.strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let v: Vec<u8> = inner
        .split(',')
        .take(3)
        .map(|x| x.trim().parse::<u8>().ok())
        .collect::<Option<_>>()?;
    (v.len() == 3).then(|| format!("#{:02x}{:02x}{:02x}", v[0], v[1], v[2]))
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A codebook folder of a spor export: id, version, title, description.
struct Head {
    id: String,
    version: String,
    title: String,
    description: String,
}

/// One code in document order: the code, its group and its parent's index.
struct Flat<'a> {
    code: &'a QdaCode,
    group: usize,
    parent: Option<usize>,
}

fn flatten<'a>(c: &'a QdaCode, group: usize, parent: Option<usize>, out: &mut Vec<Flat<'a>>) {
    let me = out.len();
    out.push(Flat {
        code: c,
        group,
        parent,
    });
    for k in &c.children {
        flatten(k, group, Some(me), out);
    }
}

/// Convert a code tree. `default_id` and `default_title` name the codebook
/// for codes outside spor's own folders; `origin` goes in its comments.
pub fn convert(tree: &[QdaCode], default_id: &str, default_title: &str, origin: &str) -> Converted {
    let (heads, flat) = group(tree);
    let ids = code_ids(&flat);
    let mut out = Converted::default();
    let mut book_ids: BTreeSet<String> = BTreeSet::new();
    for (g, head) in heads.iter().enumerate() {
        let mut codes = Vec::new();
        for (i, f) in flat.iter().enumerate().filter(|(_, f)| f.group == g) {
            let c = f.code;
            out.ids.insert(c.guid.clone(), ids[i].clone());
            let d = described(&c.description);
            let label = if c.name.trim().is_empty() {
                ids[i].clone()
            } else {
                c.name.trim().to_owned()
            };
            codes.push(CodeOut {
                id: ids[i].clone(),
                label_en: d.english.clone().unwrap_or_else(|| label.clone()),
                label,
                parent: f.parent.map(|p| ids[p].clone()),
                colour: c.color.as_deref().and_then(colour),
                definition: d.rest,
                finding: d.finding,
                cue: d.cue,
                translation: d.translation,
                category: !c.codable,
            });
        }
        let book = match head {
            Some(h) => render(
                &unique(&h.id, "imported", &mut book_ids),
                &h.version,
                &h.title,
                &h.description,
                "da",
                origin,
                &codes,
            ),
            None => render(
                &unique(&slug(default_id), "imported", &mut book_ids),
                "1",
                default_title,
                "",
                "und",
                origin,
                &codes,
            ),
        };
        out.books.push(book);
    }
    out
}

/// Which top-level codes are spor codebooks (a head each); the rest make
/// one more codebook (a `None` head). Every code below, flattened with its
/// group.
fn group(tree: &[QdaCode]) -> (Vec<Option<Head>>, Vec<Flat<'_>>) {
    let mut heads: Vec<Option<Head>> = Vec::new();
    let mut flat: Vec<Flat> = Vec::new();
    let mut rest: Vec<&QdaCode> = Vec::new();
    for c in tree {
        match spor_book(c) {
            Some((id, version, description)) if is_id(&id) => {
                let g = heads.len();
                heads.push(Some(Head {
                    id,
                    version,
                    title: c.name.clone(),
                    description,
                }));
                for k in &c.children {
                    flatten(k, g, None, &mut flat);
                }
            }
            _ => rest.push(c),
        }
    }
    if !rest.is_empty() {
        let g = heads.len();
        heads.push(None);
        for c in rest {
            flatten(c, g, None, &mut flat);
        }
    }
    (heads, flat)
}

/// The codes' ids: spor's own first (so that a name never takes one), then
/// names; a name already taken is qualified by its parent's id.
fn code_ids(flat: &[Flat]) -> Vec<String> {
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut ids: Vec<Option<String>> = flat
        .iter()
        .map(|f| {
            described(&f.code.description)
                .spor_id
                .filter(|i| is_id(i) && used.insert(i.clone()))
        })
        .collect();
    for i in 0..flat.len() {
        if ids[i].is_some() {
            continue;
        }
        let mut base = slug(&flat[i].code.name);
        if used.contains(&base)
            && let Some(pid) = flat[i].parent.and_then(|p| ids[p].as_ref())
        {
            base = format!("{pid}.{base}");
        }
        ids[i] = Some(unique(&base, "code", &mut used));
    }
    ids.into_iter().map(Option::unwrap_or_default).collect()
}

fn render(
    id: &str,
    version: &str,
    title: &str,
    desc: &str,
    language: &str,
    origin: &str,
    codes: &[CodeOut],
) -> BookOut {
    let mut o = String::new();
    let from = if origin.is_empty() {
        "a REFI-QDA file".to_owned()
    } else {
        format!("a REFI-QDA file from {origin}")
    };
    let _ = writeln!(o, "# Imported by `spor import` from {from}.");
    o.push_str("# REFI-QDA carries no rules, examples or criteria: add them here.\n\n");
    o.push_str("[codebook]\n");
    let _ = writeln!(o, "id = {}", q(id));
    let _ = writeln!(
        o,
        "title = {}",
        q(if title.trim().is_empty() { id } else { title })
    );
    let _ = writeln!(o, "version = {}", q(version));
    let _ = writeln!(o, "language = {}", q(language));
    if !desc.is_empty() {
        let _ = writeln!(o, "description = {}", q(desc));
    }
    let mut categories = 0;
    for c in codes {
        o.push_str("\n[[codes]]\n");
        if c.category {
            categories += 1;
            o.push_str("# a category (folder) in the source: not codable there\n");
        }
        let _ = writeln!(o, "id = {}", q(&c.id));
        let _ = writeln!(o, "label = {}", q(&c.label));
        let _ = writeln!(o, "label_en = {}", q(&c.label_en));
        if let Some(p) = &c.parent {
            let _ = writeln!(o, "parent = {}", q(p));
        }
        if let Some(col) = &c.colour {
            let _ = writeln!(o, "colour = {}", q(col));
        }
        for (k, v) in [
            ("finding", &c.finding),
            ("cue", &c.cue),
            ("translation", &c.translation),
        ] {
            if let Some(v) = v {
                let _ = writeln!(o, "{k} = {}", q(v));
            }
        }
        let _ = writeln!(o, "definition = {}", q(&c.definition));
    }
    BookOut {
        id: id.to_owned(),
        toml: o,
        codes: codes.len(),
        categories,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(guid: &str, name: &str, desc: &str, children: Vec<QdaCode>) -> QdaCode {
        QdaCode {
            guid: guid.into(),
            name: name.into(),
            codable: true,
            color: None,
            description: desc.into(),
            children,
            note_refs: Vec::new(),
        }
    }

    fn valid(b: &BookOut) -> spor_codebook::Codebook {
        spor_codebook::Codebook::parse(&b.toml, format!("{}.toml", b.id).as_ref())
            .unwrap_or_else(|e| panic!("{e}\n{}", b.toml))
    }

    #[test]
    fn nested_codes_with_duplicate_names() {
        let tree = vec![
            code(
                "a",
                "Rødder",
                "",
                vec![code("b", "Other", "x \"y\"\nz", vec![])],
            ),
            code("c", "Grene", "", vec![code("d", "Other", "", vec![])]),
            code("e", "A.B.C", "", vec![]),
        ];
        let mut tree = tree;
        tree[0].codable = false;
        tree[0].color = Some("#ABC".into());
        let c = convert(&tree, "My Project", "My project", "NVivo 14");
        assert_eq!(c.books.len(), 1);
        let b = valid(&c.books[0]);
        assert_eq!(b.id, "my-project");
        let ids: Vec<&str> = b.codes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["roedder", "other", "grene", "grene.other", "a.b.c"]);
        assert_eq!(b.codes[1].parent.as_deref(), Some("roedder"));
        assert_eq!(b.codes[1].definition, "x \"y\"\nz");
        assert_eq!(b.codes[0].colour.as_deref(), Some("#aabbcc"));
        assert_eq!(c.books[0].categories, 1);
        assert_eq!(c.ids["d"], "grene.other");
    }

    #[test]
    fn spor_export_comes_back() {
        let mut folder = code(
            "f",
            "SUNDTEK",
            "Fund og cues.\n\nspor codebook: sundtek-cues 1.0.0",
            vec![code(
                "k",
                "Kontekst",
                "Definitionen.\n\nEnglish: Context\n\nFinding: F\n\nCue: C\n\nTranslation: T\n\nspor id: context",
                vec![],
            )],
        );
        folder.codable = false;
        let c = convert(&[folder], "x", "x", "spor");
        let b = valid(&c.books[0]);
        assert_eq!(
            (b.id.as_str(), b.version.as_str()),
            ("sundtek-cues", "1.0.0")
        );
        assert_eq!(b.description.as_deref(), Some("Fund og cues."));
        let k = &b.codes[0];
        assert_eq!((k.id.as_str(), k.label_en.as_str()), ("context", "Context"));
        assert_eq!(k.finding.as_deref(), Some("F"));
        assert_eq!(k.translation.as_deref(), Some("T"));
        assert_eq!(k.definition, "Definitionen.");
        assert_eq!(k.parent, None);
    }

    #[test]
    fn colours() {
        assert_eq!(colour("#FF8000").as_deref(), Some("#ff8000"));
        assert_eq!(colour("#ff800080").as_deref(), Some("#ff8000"));
        assert_eq!(colour("rgb(255, 128, 0)").as_deref(), Some("#ff8000"));
        assert_eq!(colour("red"), None);
    }
}
