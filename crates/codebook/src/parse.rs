//! Reading and validating codebook files.

use crate::model::{Code, Codebook, CodebookSet, Example, Rule};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// One problem in a codebook, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as shown.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// Errors while reading codebooks.
#[derive(Debug, thiserror::Error)]
pub enum CodebookError {
    /// The file could not be read.
    #[error("{path}: cannot read codebook")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The codebook has problems; the first is shown, all are listed.
    #[error("{}{}", .0[0], if .0.len() > 1 { format!(" (and {} more problem(s))", .0.len() - 1) } else { String::new() })]
    Invalid(Vec<Problem>),
}

impl CodebookError {
    /// Every problem (empty for I/O errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            CodebookError::Invalid(p) => p,
            CodebookError::Io { .. } => &[],
        }
    }

    /// The first problem's hint.
    pub fn hint(&self) -> Option<&str> {
        self.problems().first().and_then(|p| p.hint.as_deref())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    codebook: RawHeader,
    #[serde(default)]
    codes: Vec<RawCode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: Spanned<String>,
    title: String,
    version: String,
    language: String,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCode {
    id: Spanned<String>,
    label: String,
    label_en: Option<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    parent: Option<Spanned<String>>,
    colour: Option<Spanned<String>>,
    definition: String,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    examples: Vec<RawExample>,
    #[serde(default)]
    counter_examples: Vec<RawExample>,
    finding: Option<String>,
    cue: Option<String>,
    translation: Option<String>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawExample {
    Text(String),
    Full(RawExampleFull),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExampleFull {
    text: String,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    query: Spanned<String>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default, rename = "where")]
    scope: BTreeMap<String, OneOrMany>,
    note: Option<String>,
}

const ROLES: [&str; 4] = ["participant", "interviewer", "facilitator", "observer"];

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// Line and column (1-based, in chars) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

struct Ctx<'a> {
    text: &'a str,
    path: &'a Path,
    problems: Vec<Problem>,
}

impl Ctx<'_> {
    fn at(&mut self, offset: usize, message: String, hint: Option<String>) {
        let (line, column) = line_col(self.text, offset);
        self.problems.push(Problem {
            path: self.path.to_path_buf(),
            line,
            column,
            message,
            hint,
        });
    }
}

impl Codebook {
    /// Read and validate a codebook file; `shown` is the path used in messages.
    pub fn read(path: &Path, shown: &Path) -> Result<Codebook, CodebookError> {
        let text = read_toml(path).map_err(|source| CodebookError::Io {
            path: shown.to_path_buf(),
            source,
        })?;
        Self::parse(&text, shown)
    }

    /// Parse and validate codebook text.
    pub fn parse(text: &str, shown: &Path) -> Result<Codebook, CodebookError> {
        let mut cx = Ctx {
            text,
            path: shown,
            problems: Vec::new(),
        };
        let raw: RawFile = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                let off = e.span().map(|s| s.start).unwrap_or(0);
                cx.at(off, e.message().trim().to_owned(), None);
                return Err(CodebookError::Invalid(cx.problems));
            }
        };
        if !is_id(raw.codebook.id.get_ref()) {
            cx.at(
                raw.codebook.id.span().start,
                format!("invalid codebook id {:?}", raw.codebook.id.get_ref()),
                Some("ids use a-z, 0-9, '.', '_' and '-'".into()),
            );
        }
        let mut code_ids: HashMap<String, usize> = HashMap::new();
        let mut rule_ids: HashMap<String, usize> = HashMap::new();
        let mut codes = Vec::new();
        for rc in raw.codes {
            let code = convert_code(&mut cx, rc, &mut code_ids, &mut rule_ids);
            codes.push(code);
        }
        check_parents(&mut cx, &codes);
        if !cx.problems.is_empty() {
            cx.problems.sort_by_key(|p| (p.line, p.column));
            return Err(CodebookError::Invalid(cx.problems));
        }
        Ok(Codebook {
            path: shown.to_path_buf(),
            id: raw.codebook.id.into_inner(),
            title: raw.codebook.title,
            version: raw.codebook.version,
            language: raw.codebook.language,
            description: raw.codebook.description,
            codes,
        })
    }
}

fn examples(raw: Vec<RawExample>) -> Vec<Example> {
    raw.into_iter()
        .map(|e| match e {
            RawExample::Text(text) => Example { text, source: None },
            RawExample::Full(f) => Example {
                text: f.text,
                source: f.source,
            },
        })
        .collect()
}

fn convert_code(
    cx: &mut Ctx,
    rc: RawCode,
    code_ids: &mut HashMap<String, usize>,
    rule_ids: &mut HashMap<String, usize>,
) -> Code {
    let id_off = rc.id.span().start;
    let id = rc.id.into_inner();
    let (line, _) = line_col(cx.text, id_off);
    if !is_id(&id) {
        cx.at(
            id_off,
            format!("invalid code id {id:?}"),
            Some("ids use a-z, 0-9, '.', '_' and '-'".into()),
        );
    }
    if let Some(first) = code_ids.insert(id.clone(), line) {
        cx.at(
            id_off,
            format!("duplicate code id {id:?} (first on line {first})"),
            None,
        );
    }
    let aliases = aliases(cx, &rc.aliases, &id, line, code_ids);
    if let Some(c) = &rc.colour {
        let v = c.get_ref();
        let ok =
            v.len() == 7 && v.starts_with('#') && v[1..].chars().all(|c| c.is_ascii_hexdigit());
        if !ok {
            cx.at(c.span().start, format!("colour {v:?} is not #rrggbb"), None);
        }
    }
    let rules = rc
        .rules
        .into_iter()
        .map(|rr| convert_rule(cx, rr, rule_ids))
        .collect();
    Code {
        id,
        label_en: rc.label_en.unwrap_or_else(|| rc.label.clone()),
        label: rc.label,
        aliases,
        parent: rc.parent.map(Spanned::into_inner),
        colour: rc.colour.map(Spanned::into_inner),
        definition: rc.definition,
        include: rc.include,
        exclude: rc.exclude,
        examples: examples(rc.examples),
        counter_examples: examples(rc.counter_examples),
        finding: rc.finding,
        cue: rc.cue,
        translation: rc.translation,
        rules,
        line,
    }
}

/// A code's aliases (former ids): each a valid id, not the code's own,
/// and not already an id or alias; the bad ones are reported and left out.
fn aliases(
    cx: &mut Ctx,
    raw: &[Spanned<String>],
    id: &str,
    line: usize,
    code_ids: &mut HashMap<String, usize>,
) -> Vec<String> {
    let mut aliases = Vec::new();
    for a in raw {
        let v = a.get_ref();
        if !is_id(v) || v == id {
            cx.at(
                a.span().start,
                format!("invalid alias {v:?} of code {id:?}"),
                Some("an alias is a former id of the code: a-z, 0-9, '.', '_' and '-'".into()),
            );
        } else if let Some(first) = code_ids.insert(v.clone(), line) {
            cx.at(
                a.span().start,
                format!("alias {v:?} is already an id or alias (line {first})"),
                None,
            );
        } else {
            aliases.push(v.clone());
        }
    }
    aliases
}

/// A rule: its id (valid, unique), roles (known; participant when none)
/// and query (parsed, errors pointing into the TOML string).
fn convert_rule(cx: &mut Ctx, rr: RawRule, rule_ids: &mut HashMap<String, usize>) -> Rule {
    let off = rr.id.span().start;
    let rid = rr.id.into_inner();
    let (rline, _) = line_col(cx.text, off);
    if !is_id(&rid) {
        cx.at(
            off,
            format!("invalid rule id {rid:?}"),
            Some("ids use a-z, 0-9, '.', '_' and '-'".into()),
        );
    }
    if let Some(first) = rule_ids.insert(rid.clone(), rline) {
        cx.at(
            off,
            format!("duplicate rule id {rid:?} (first on line {first})"),
            None,
        );
    }
    for r in &rr.roles {
        if !ROLES.contains(&r.as_str()) {
            cx.at(
                off,
                format!("rule {rid}: unknown role {r:?}"),
                Some("roles are participant, interviewer, facilitator or observer".into()),
            );
        }
    }
    let qstart = rr.query.span().start;
    let qend = rr.query.span().end;
    let qtext = rr.query.into_inner();
    let query = rule_query(cx, &rid, &qtext, qstart..qend);
    let scope = rr
        .scope
        .into_iter()
        .map(|(k, v)| {
            (
                k,
                match v {
                    OneOrMany::One(s) => vec![s],
                    OneOrMany::Many(v) => v,
                },
            )
        })
        .collect();
    Rule {
        id: rid,
        query_text: qtext,
        query,
        roles: if rr.roles.is_empty() {
            vec!["participant".into()]
        } else {
            rr.roles
        },
        scope,
        note: rr.note,
        line: rline,
    }
}

/// A rule's query, parsed; an error is reported at its place inside the
/// TOML string (`span`: the string with its quotes) and the query matches
/// nothing.
fn rule_query(
    cx: &mut Ctx,
    rid: &str,
    qtext: &str,
    span: std::ops::Range<usize>,
) -> spor_query::Query {
    match spor_query::parse(qtext) {
        Ok(q) => q,
        Err(e) => {
            // point into the string: after the opening quote(s)
            let raw = &cx.text[span.start..span.end];
            let open = if raw.starts_with("'''") || raw.starts_with("\"\"\"") {
                3
            } else {
                1
            };
            let inner: usize = qtext.chars().take(e.span.start).map(char::len_utf8).sum();
            cx.at(
                span.start + open + inner,
                format!("rule {rid}: {}", e.message),
                Some(e.render(qtext)),
            );
            spor_query::Query::And(Vec::new())
        }
    }
}

fn check_parents(cx: &mut Ctx, codes: &[Code]) {
    let ids: BTreeSet<&str> = codes.iter().map(|c| c.id.as_str()).collect();
    let parent: BTreeMap<&str, &str> = codes
        .iter()
        .filter_map(|c| c.parent.as_deref().map(|p| (c.id.as_str(), p)))
        .collect();
    for c in codes {
        let Some(p) = c.parent.as_deref() else {
            continue;
        };
        let off = line_offset(cx.text, c.line);
        if !ids.contains(p) {
            cx.at(off, format!("code {}: unknown parent {p:?}", c.id), None);
            continue;
        }
        // walk up; a cycle returns to c
        let mut seen = BTreeSet::new();
        let mut cur = p;
        while let Some(&next) = parent.get(cur) {
            if cur == c.id || !seen.insert(cur) {
                break;
            }
            cur = next;
        }
        if cur == c.id {
            cx.at(
                off,
                format!("code {}: parent cycle", c.id),
                Some("a code cannot be its own ancestor".into()),
            );
        }
    }
}

fn line_offset(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum()
}

impl CodebookSet {
    /// Read codebooks (`(path to read, path to show)`), checking that code
    /// ids are unique across them.
    pub fn read(paths: &[(PathBuf, PathBuf)]) -> Result<CodebookSet, CodebookError> {
        let mut books = Vec::new();
        for (p, shown) in paths {
            books.push(Codebook::read(p, shown)?);
        }
        let mut seen: HashMap<&str, &Path> = HashMap::new();
        let mut problems = Vec::new();
        for b in &books {
            for (c, name) in b.codes.iter().flat_map(|c| {
                std::iter::once((c, &c.id)).chain(c.aliases.iter().map(move |a| (c, a)))
            }) {
                if let Some(first) = seen.insert(name, &b.path) {
                    problems.push(Problem {
                        path: b.path.clone(),
                        line: c.line,
                        column: 1,
                        message: format!("code id {name:?} is also used in {}", first.display()),
                        hint: Some("code ids must be unique across a study's codebooks".into()),
                    });
                }
            }
        }
        if !problems.is_empty() {
            return Err(CodebookError::Invalid(problems));
        }
        Ok(CodebookSet { books })
    }
}

/// The largest codebook or curriculum spor reads (bytes).
pub const MAX_TOML_BYTES: u64 = 16 << 20;

/// Read a TOML file: only a regular file (a FIFO would hang spor, a device
/// fill memory), at most [`MAX_TOML_BYTES`].
pub(crate) fn read_toml(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(MAX_TOML_BYTES + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_TOML_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "larger than {} MB, spor's limit for a codebook or curriculum",
                MAX_TOML_BYTES >> 20
            ),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "[codebook]\nid = \"t\"\ntitle = \"T\"\nversion = \"1\"\nlanguage = \"da\"\n";

    fn parse(body: &str) -> Result<Codebook, CodebookError> {
        Codebook::parse(&format!("{HEAD}{body}"), Path::new("cb.toml"))
    }

    fn code(id: &str, extra: &str) -> String {
        format!(
            "\n[[codes]]\nid = \"{id}\"\nlabel = \"L\"\nlabel_en = \"L\"\ndefinition = \"D\"\n{extra}"
        )
    }

    #[test]
    fn valid_codebook() {
        let b = parse(&(code("a", "examples = [\"x\", { text = \"y\", source = \"s\" }]\n[[codes.rules]]\nid = \"a-1\"\nquery = '\"tager fejl\"~2 OR *teknologi'\nwhere = { kind = \"workshop\" }\n") + &code("b", "parent = \"a\"\n"))).unwrap();
        assert_eq!(b.codes.len(), 2);
        assert_eq!(b.codes[0].examples[1].source.as_deref(), Some("s"));
        assert_eq!(b.codes[0].rules[0].roles, vec!["participant"]);
        assert_eq!(b.codes[0].rules[0].scope["kind"], vec!["workshop"]);
        assert_eq!(b.codes[0].rules[0].line, 14);
    }

    #[test]
    fn unknown_key_has_line_and_column() {
        let e = parse(&code("a", "defintion = \"x\"\n")).unwrap_err();
        let p = &e.problems()[0];
        assert_eq!((p.line, p.column), (12, 1), "{e}");
        assert!(p.message.contains("unknown field `defintion`"), "{e}");
    }

    #[test]
    fn duplicates_parents_and_cycles() {
        let body = code("a", "parent = \"b\"\n")
            + &code("b", "parent = \"a\"\n")
            + &code("a", "parent = \"zz\"\n");
        let e = parse(&body).unwrap_err();
        let msgs: Vec<String> = e.problems().iter().map(|p| p.to_string()).collect();
        assert!(
            msgs.iter().any(|m| m.contains("duplicate code id \"a\"")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("unknown parent \"zz\"")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("parent cycle")), "{msgs:?}");
    }

    #[test]
    fn bad_rule_points_into_the_query() {
        let e = parse(&code(
            "a",
            "[[codes.rules]]\nid = \"a-1\"\nquery = \"teknologi AND (x\"\n",
        ))
        .unwrap_err();
        let p = &e.problems()[0];
        assert_eq!(p.line, 14);
        assert_eq!(p.column, 24, "{p}");
        assert!(p.message.starts_with("rule a-1:"), "{p}");
    }

    #[test]
    fn duplicate_rule_ids_and_bad_colour() {
        let body = code(
            "a",
            "colour = \"red\"\n[[codes.rules]]\nid = \"r\"\nquery = \"x\"\n[[codes.rules]]\nid = \"r\"\nquery = \"y\"\n",
        );
        let msgs: Vec<String> = parse(&body)
            .unwrap_err()
            .problems()
            .iter()
            .map(|p| p.message.clone())
            .collect();
        assert!(
            msgs.iter().any(|m| m.contains("duplicate rule id \"r\"")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("is not #rrggbb")),
            "{msgs:?}"
        );
    }
}
