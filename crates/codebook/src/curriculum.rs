//! `curriculum.toml`: the module a study's findings lead to, with learning
//! goals and format elements that each name the codes they answer.

use crate::parse::{CodebookError, Problem, line_col};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The module.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    /// Title.
    pub title: String,
    /// ECTS points.
    pub ects: Option<f64>,
    /// Level (`master`, `diplom`, ...).
    pub level: Option<String>,
    /// Pedagogy.
    pub pedagogy: Option<String>,
    /// Schedule.
    pub schedule: Option<String>,
    /// First month (`YYYY-MM`) or date.
    pub start: Option<String>,
    /// Last month or date.
    pub end: Option<String>,
    /// The module's overall goal.
    pub overall_goal: Option<String>,
    /// Description.
    pub description: Option<String>,
}

/// The kind of a learning goal (Danish qualification framework).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GoalKind {
    /// Knowledge.
    Viden,
    /// Skills.
    #[serde(rename = "færdigheder")]
    Faerdigheder,
    /// Competences.
    Kompetencer,
}

impl GoalKind {
    /// As written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            GoalKind::Viden => "viden",
            GoalKind::Faerdigheder => "færdigheder",
            GoalKind::Kompetencer => "kompetencer",
        }
    }
}

/// A learning goal or a format element: something the module does, linked
/// to the codes it answers.
#[derive(Debug, Clone, Serialize)]
pub struct Element {
    /// Id, unique in the curriculum.
    pub id: String,
    /// `Some` for learning goals, `None` for format elements.
    pub kind: Option<GoalKind>,
    /// The text.
    pub text: String,
    /// The codes it answers.
    pub codes: Vec<String>,
    /// HTA domains it concerns (learning goals).
    pub domains: Vec<String>,
    /// Line of its `id`.
    pub line: usize,
}

impl Element {
    /// `learning goal` or `format element`.
    pub fn what(&self) -> &'static str {
        if self.kind.is_some() {
            "learning goal"
        } else {
            "format element"
        }
    }
}

/// A curriculum.
#[derive(Debug, Clone, Serialize)]
pub struct Curriculum {
    /// The file, as shown.
    pub path: PathBuf,
    /// The module.
    pub module: Module,
    /// Learning goals, in file order.
    pub learning_goals: Vec<Element>,
    /// Format elements, in file order.
    pub format_elements: Vec<Element>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    module: Module,
    #[serde(default)]
    learning_goals: Vec<RawGoal>,
    #[serde(default)]
    format_elements: Vec<RawElement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGoal {
    id: Spanned<String>,
    kind: GoalKind,
    text: String,
    #[serde(default)]
    codes: Vec<String>,
    #[serde(default)]
    domains: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawElement {
    id: Spanned<String>,
    text: String,
    #[serde(default)]
    codes: Vec<String>,
}

impl Curriculum {
    /// Read and validate a curriculum (ids unique and well formed). Links to
    /// codes are checked by `spor audit`, which knows the codebooks.
    pub fn read(path: &Path, shown: &Path) -> Result<Curriculum, CodebookError> {
        let text = crate::parse::read_toml(path).map_err(|source| CodebookError::Io {
            path: shown.to_path_buf(),
            source,
        })?;
        Self::parse(&text, shown)
    }

    /// Parse curriculum text.
    pub fn parse(text: &str, shown: &Path) -> Result<Curriculum, CodebookError> {
        let problem = |offset: usize, message: String| {
            let (line, column) = line_col(text, offset);
            Problem {
                path: shown.to_path_buf(),
                line,
                column,
                message,
                hint: None,
            }
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            CodebookError::Invalid(vec![problem(
                e.span().map(|s| s.start).unwrap_or(0),
                e.message().trim().to_owned(),
            )])
        })?;
        let mut problems = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut check = |id: &Spanned<String>| -> usize {
            let (line, _) = line_col(text, id.span().start);
            let v = id.get_ref();
            if v.is_empty()
                || !v
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            {
                problems.push(problem(id.span().start, format!("invalid id {v:?}")));
            }
            if let Some(first) = seen.insert(v.clone(), line) {
                problems.push(problem(
                    id.span().start,
                    format!("duplicate id {v:?} (first on line {first})"),
                ));
            }
            line
        };
        let learning_goals = raw
            .learning_goals
            .into_iter()
            .map(|g| Element {
                line: check(&g.id),
                id: g.id.into_inner(),
                kind: Some(g.kind),
                text: g.text,
                codes: g.codes,
                domains: g.domains,
            })
            .collect();
        let format_elements = raw
            .format_elements
            .into_iter()
            .map(|f| Element {
                line: check(&f.id),
                id: f.id.into_inner(),
                kind: None,
                text: f.text,
                codes: f.codes,
                domains: Vec::new(),
            })
            .collect();
        if !problems.is_empty() {
            return Err(CodebookError::Invalid(problems));
        }
        Ok(Curriculum {
            path: shown.to_path_buf(),
            module: raw.module,
            learning_goals,
            format_elements,
        })
    }

    /// Every learning goal, then every format element.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.learning_goals.iter().chain(&self.format_elements)
    }

    /// A goal or element by id.
    pub fn element(&self, id: &str) -> Option<&Element> {
        self.elements().find(|e| e.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_checks_ids() {
        let t = "[module]\ntitle = \"M\"\nects = 10\n\n[[learning_goals]]\nid = \"LG1\"\nkind = \"færdigheder\"\ntext = \"t\"\ncodes = [\"a\"]\n\n[[format_elements]]\nid = \"LG1\"\ntext = \"f\"\n";
        let e = Curriculum::parse(t, Path::new("c.toml")).unwrap_err();
        assert_eq!(
            e.problems()[0].to_string(),
            "c.toml:12:6: duplicate id \"LG1\" (first on line 6)"
        );
        let ok = t.replace("id = \"LG1\"\ntext = \"f\"", "id = \"F1\"\ntext = \"f\"");
        let c = Curriculum::parse(&ok, Path::new("c.toml")).unwrap();
        assert_eq!(c.learning_goals[0].kind, Some(GoalKind::Faerdigheder));
        assert_eq!(c.element("F1").unwrap().what(), "format element");
        let bad = ok.replace("færdigheder", "evner");
        assert!(
            Curriculum::parse(&bad, Path::new("c.toml"))
                .unwrap_err()
                .to_string()
                .starts_with("c.toml:7:")
        );
    }
}
