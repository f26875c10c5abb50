//! Changing codebook and curriculum files in place, keeping their comments
//! and layout (`toml_edit`): adding a code, renaming one and merging two.
//! A renamed or merged code keeps its former ids as `aliases`, so codings
//! that name them still count for it.
//!
//! ```
//! let text = "[codebook]\nid = \"b\"\n\n# mine\n[[codes]]\nid = \"old\"\nlabel = \"Gammel\"\ndefinition = \"D\"\n";
//! let new = spor_codebook::edit::rename_code(text, "old", "ny", None).unwrap();
//! assert!(new.contains("# mine"));
//! assert!(new.contains("id = \"ny\""));
//! assert!(new.contains("aliases = [\"old\"]"));
//! ```

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value, value};

/// What went wrong while editing a file.
pub type EditError = String;

fn parse(text: &str) -> Result<DocumentMut, EditError> {
    text.parse::<DocumentMut>()
        .map_err(|e| format!("not valid TOML: {e}"))
}

fn codes_mut(doc: &mut DocumentMut) -> Result<&mut ArrayOfTables, EditError> {
    doc.get_mut("codes")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| "the codebook has no [[codes]]".to_owned())
}

fn id_of(t: &Table) -> Option<&str> {
    t.get("id").and_then(Item::as_str)
}

fn position(codes: &ArrayOfTables, id: &str) -> Option<usize> {
    codes.iter().position(|t| id_of(t) == Some(id))
}

/// Whether the codebook text has a code with this id.
pub fn has_code(text: &str, id: &str) -> bool {
    parse(text)
        .ok()
        .and_then(|d| {
            d.get("codes")
                .and_then(Item::as_array_of_tables)
                .map(|c| position(c, id).is_some())
        })
        .unwrap_or(false)
}

fn push_alias(t: &mut Table, alias: &str) {
    let arr = t
        .entry("aliases")
        .or_insert(Item::Value(Value::Array(Array::new())));
    if let Some(a) = arr.as_array_mut()
        && !a.iter().any(|v| v.as_str() == Some(alias))
    {
        a.push(alias);
    }
}

fn reparent(codes: &mut ArrayOfTables, from: &str, to: &str) {
    for t in codes.iter_mut() {
        if t.get("parent").and_then(Item::as_str) == Some(from) {
            t["parent"] = value(to);
        }
    }
}

/// Rename code `old` to `new` (and its label, if given): `old` becomes an
/// alias, and children follow.
pub fn rename_code(
    text: &str,
    old: &str,
    new: &str,
    label: Option<&str>,
) -> Result<String, EditError> {
    let mut doc = parse(text)?;
    let codes = codes_mut(&mut doc)?;
    if position(codes, new).is_some() {
        return Err(format!("the codebook already has a code {new:?}"));
    }
    let i = position(codes, old).ok_or_else(|| format!("the codebook has no code {old:?}"))?;
    if old != new {
        let t = codes.get_mut(i).expect("found");
        t["id"] = value(new);
        push_alias(t, old);
        reparent(codes, old, new);
    }
    if let Some(l) = label {
        codes.get_mut(i).expect("found")["label"] = value(l);
    }
    Ok(doc.to_string())
}

/// Take code `id` out of a codebook: the text without it, and the code's
/// table (to merge into another code).
pub fn take_code(text: &str, id: &str) -> Result<(String, Table), EditError> {
    let mut doc = parse(text)?;
    let codes = codes_mut(&mut doc)?;
    let i = position(codes, id).ok_or_else(|| format!("the codebook has no code {id:?}"))?;
    let t = codes.get(i).expect("found").clone();
    codes.remove(i);
    Ok((doc.to_string(), t))
}

/// Merge a code taken with [`take_code`] into code `into`: its id and
/// aliases become aliases of `into`, its rules move over, its children are
/// re-parented.
pub fn absorb(text: &str, into: &str, from: &Table) -> Result<String, EditError> {
    let mut doc = parse(text)?;
    let codes = codes_mut(&mut doc)?;
    let i = position(codes, into).ok_or_else(|| format!("the codebook has no code {into:?}"))?;
    let from_id = id_of(from).unwrap_or_default().to_owned();
    reparent(codes, &from_id, into);
    let t = codes.get_mut(i).expect("found");
    push_alias(t, &from_id);
    if let Some(a) = from.get("aliases").and_then(Item::as_array) {
        for v in a.iter().filter_map(Value::as_str) {
            push_alias(t, v);
        }
    }
    if let Some(rules) = from.get("rules").and_then(Item::as_array_of_tables) {
        let target = t
            .entry("rules")
            .or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
        if let Some(target) = target.as_array_of_tables_mut() {
            for r in rules.iter() {
                target.push(r.clone());
            }
        }
    }
    Ok(doc.to_string())
}

/// A new code at the end of a codebook.
#[derive(Debug, Clone, Default)]
pub struct NewCode {
    /// Id (see [`derive_id`]).
    pub id: String,
    /// Label in the study's language (any characters).
    pub label: String,
    /// English label, if any.
    pub label_en: Option<String>,
    /// What the code means.
    pub definition: String,
    /// Parent code.
    pub parent: Option<String>,
}

/// Add a code to a codebook.
pub fn add_code(text: &str, code: &NewCode) -> Result<String, EditError> {
    let mut doc = parse(text)?;
    if doc.get("codes").is_none() {
        doc["codes"] = Item::ArrayOfTables(ArrayOfTables::new());
    }
    let codes = codes_mut(&mut doc)?;
    if position(codes, &code.id).is_some() {
        return Err(format!("the codebook already has a code {:?}", code.id));
    }
    let mut t = Table::new();
    t["id"] = value(code.id.as_str());
    t["label"] = value(code.label.as_str());
    if let Some(l) = &code.label_en {
        t["label_en"] = value(l.as_str());
    }
    if let Some(p) = &code.parent {
        t["parent"] = value(p.as_str());
    }
    t["definition"] = value(code.definition.as_str());
    codes.push(t);
    Ok(doc.to_string())
}

/// Replace code `old` by `new` in every `codes = [...]` of a curriculum
/// (dropping a duplicate when `new` was linked already).
pub fn recode_curriculum(text: &str, old: &str, new: &str) -> Result<(String, usize), EditError> {
    let mut doc = parse(text)?;
    let mut changed = 0;
    for key in ["learning_goals", "format_elements"] {
        let Some(items) = doc.get_mut(key).and_then(Item::as_array_of_tables_mut) else {
            continue;
        };
        for t in items.iter_mut() {
            let Some(a) = t.get_mut("codes").and_then(Item::as_array_mut) else {
                continue;
            };
            let Some(i) = a.iter().position(|v| v.as_str() == Some(old)) else {
                continue;
            };
            changed += 1;
            if a.iter().any(|v| v.as_str() == Some(new)) {
                a.remove(i);
            } else {
                a.replace(i, new);
            }
        }
    }
    Ok((doc.to_string(), changed))
}

/// An id from a label: lowercase ASCII letters and digits, Danish letters
/// spelt out (`æ` -> `ae`, `ø` -> `oe`, `å` -> `aa`), accents dropped,
/// anything else a single `-`.
pub fn derive_id(label: &str) -> String {
    let mut out = String::new();
    for ch in label.to_lowercase().chars() {
        let part: &str = match ch {
            'æ' => "ae",
            'ø' => "oe",
            'å' => "aa",
            'ä' | 'á' | 'à' | 'â' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'ö' | 'ó' | 'ô' => "o",
            'ü' | 'ú' => "u",
            'í' | 'ï' => "i",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if part == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(part);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "code".to_owned()
    } else {
        out
    }
}

/// A field of a code that can be set in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// The label in the study's language.
    Label(String),
    /// The English label (`None` removes it).
    LabelEn(Option<String>),
    /// What the code means.
    Definition(String),
    /// Inclusion criteria.
    Include(Vec<String>),
    /// Exclusion criteria.
    Exclude(Vec<String>),
    /// Examples, by text: an existing example with the same text keeps
    /// its table (and `source`).
    Examples(Vec<String>),
    /// The parent code (`None` makes it a top-level code).
    Parent(Option<String>),
}

fn text_of(v: &Value) -> Option<&str> {
    v.as_str().or_else(|| {
        v.as_inline_table()
            .and_then(|t| t.get("text"))
            .and_then(Value::as_str)
    })
}

fn string_array(items: &[String]) -> Item {
    let mut a = Array::new();
    for s in items {
        a.push(s.as_str());
    }
    Item::Value(Value::Array(a))
}

/// Set one field of code `id`, keeping the rest of the file as it is.
/// A code cannot be its own parent (cycles are left to validation).
pub fn set_field(text: &str, id: &str, field: &Field) -> Result<String, EditError> {
    let mut doc = parse(text)?;
    let codes = codes_mut(&mut doc)?;
    let i = position(codes, id).ok_or_else(|| format!("the codebook has no code {id:?}"))?;
    let t = codes.get_mut(i).expect("found");
    match field {
        Field::Label(l) => {
            if l.trim().is_empty() {
                return Err("the label is empty".into());
            }
            t["label"] = value(l.as_str());
        }
        Field::LabelEn(Some(l)) => t["label_en"] = value(l.as_str()),
        Field::LabelEn(None) => {
            t.remove("label_en");
        }
        Field::Definition(d) => t["definition"] = value(d.as_str()),
        Field::Include(v) => t["include"] = string_array(v),
        Field::Exclude(v) => t["exclude"] = string_array(v),
        Field::Examples(v) => {
            let old: Vec<Value> = t
                .get("examples")
                .and_then(Item::as_array)
                .map(|a| a.iter().cloned().collect())
                .unwrap_or_default();
            let mut a = Array::new();
            for text in v {
                match old.iter().find(|o| text_of(o) == Some(text.as_str())) {
                    Some(o) => a.push_formatted(o.clone()),
                    None => a.push(text.as_str()),
                }
            }
            t["examples"] = Item::Value(Value::Array(a));
        }
        Field::Parent(Some(p)) => {
            if p == id {
                return Err(format!("code {id} cannot be its own parent"));
            }
            t["parent"] = value(p.as_str());
        }
        Field::Parent(None) => {
            t.remove("parent");
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_field_keeps_comments_and_example_sources() {
        let book = "# top\n[[codes]]\nid = \"a\"\nlabel = \"A\" # mine\ndefinition = \"D\"\nexamples = [{ text = \"x\", source = \"s\" }, \"y\"]\n\n[[codes]]\nid = \"b\"\nlabel = \"B\"\ndefinition = \"D\"\n";
        let t = set_field(
            book,
            "a",
            &Field::Definition("Ny definition på dansk: æøå".into()),
        )
        .unwrap();
        assert!(t.contains("# top") && t.contains("# mine"), "{t}");
        assert!(
            t.contains("definition = \"Ny definition på dansk: æøå\""),
            "{t}"
        );
        let t = set_field(&t, "a", &Field::Examples(vec!["x".into(), "z".into()])).unwrap();
        assert!(t.contains("source = \"s\""), "{t}");
        assert!(t.contains("\"z\"") && !t.contains("\"y\""), "{t}");
        let t = set_field(&t, "b", &Field::Parent(Some("a".into()))).unwrap();
        assert!(t.contains("parent = \"a\""), "{t}");
        let t = set_field(&t, "b", &Field::Parent(None)).unwrap();
        assert!(!t.contains("parent"), "{t}");
        let t = set_field(&t, "a", &Field::Include(vec!["når det sker".into()])).unwrap();
        assert!(t.contains("include = [\"når det sker\"]"), "{t}");
        assert!(set_field(&t, "a", &Field::Parent(Some("a".into()))).is_err());
        assert!(set_field(&t, "zz", &Field::Label("Z".into())).is_err());
        assert!(set_field(&t, "a", &Field::Label(" ".into())).is_err());
        let t = set_field(&t, "a", &Field::LabelEn(Some("Eng".into()))).unwrap();
        assert!(t.contains("label_en = \"Eng\""), "{t}");
    }

    const BOOK: &str = r#"# Kodebog
[codebook]
id = "b"

[[codes]]
id = "a"
label = "A"
definition = "D" # keep me

[[codes.rules]]
id = "a-1"
query = "x"

[[codes]]
id = "b1"
label = "B"
parent = "a"
definition = "D"

[[codes]]
id = "c"
label = "C"
definition = "D"
aliases = ["old-c"]
"#;

    #[test]
    fn rename_keeps_comments_and_makes_an_alias() {
        let t = rename_code(BOOK, "a", "aa", Some("Ny")).unwrap();
        assert!(t.starts_with("# Kodebog\n"));
        assert!(t.contains("# keep me"));
        let d: toml::Value = toml::from_str(&t).unwrap();
        let codes = d["codes"].as_array().unwrap();
        assert_eq!(codes[0]["id"].as_str(), Some("aa"));
        assert_eq!(codes[0]["aliases"][0].as_str(), Some("a"));
        assert_eq!(codes[0]["label"].as_str(), Some("Ny"));
        assert_eq!(codes[1]["parent"].as_str(), Some("aa"));
        assert!(rename_code(BOOK, "a", "c", None).is_err());
        assert!(rename_code(BOOK, "nope", "x", None).is_err());
    }

    #[test]
    fn merge_moves_rules_aliases_and_children() {
        let (rest, a) = take_code(BOOK, "a").unwrap();
        let t = absorb(&rest, "c", &a).unwrap();
        let d: toml::Value = toml::from_str(&t).unwrap();
        let codes = d["codes"].as_array().unwrap();
        assert_eq!(codes.len(), 2);
        let c = &codes[1];
        let aliases: Vec<&str> = c["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(aliases, ["old-c", "a"]);
        assert_eq!(c["rules"][0]["id"].as_str(), Some("a-1"));
        assert_eq!(codes[0]["parent"].as_str(), Some("c"));
    }

    #[test]
    fn curriculum_links_follow() {
        let cur = "[[learning_goals]]\nid = \"LG1\"\ncodes = [\"a\", \"c\"] # links\n\n[[format_elements]]\nid = \"FE1\"\ncodes = [\"a\"]\n";
        let (t, n) = recode_curriculum(cur, "a", "c").unwrap();
        assert_eq!(n, 2);
        assert!(t.contains("# links"));
        let d: toml::Value = toml::from_str(&t).unwrap();
        assert_eq!(d["learning_goals"][0]["codes"].as_array().unwrap().len(), 1);
        assert_eq!(d["format_elements"][0]["codes"][0].as_str(), Some("c"));
    }

    #[test]
    fn ids_from_danish_labels() {
        assert_eq!(derive_id("Teknologiparathed"), "teknologiparathed");
        assert_eq!(derive_id("Økonomi & ulighed"), "oekonomi-ulighed");
        assert_eq!(
            derive_id("Brugerinddragelse (før/efter)"),
            "brugerinddragelse-foer-efter"
        );
        assert_eq!(derive_id("Café Å"), "cafe-aa");
        assert_eq!(derive_id("!!"), "code");
    }

    #[test]
    fn add_code_appends() {
        let t = add_code(
            BOOK,
            &NewCode {
                id: "ny".into(),
                label: "Ny kode: æøå".into(),
                definition: "Hvad den betyder".into(),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(t.starts_with(BOOK.trim_end()));
        let d: toml::Value = toml::from_str(&t).unwrap();
        assert_eq!(d["codes"][3]["label"].as_str(), Some("Ny kode: æøå"));
    }
}
