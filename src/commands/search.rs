//! `spor search`.

use crate::Outcome;
use crate::args::{Cli, SearchArgs, SortBy};
use anyhow::{Result, bail};
use serde::Serialize;
use spor_corpus::{Corpus, Role, Segment};
use spor_export::table::{Align, Table};
use spor_index::{Filters, IndexError, highlights, natural_key};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Serialize)]
struct JsonHit<'a> {
    segment: &'a str,
    document: &'a str,
    turn: u32,
    participant: &'a str,
    profession: &'a str,
    role: &'a str,
    score: f32,
    text: &'a str,
    line_start: u32,
    line_end: u32,
    /// Char ranges of the matches within `text`.
    highlights: Vec<[usize; 2]>,
}

pub fn run(cli: &Cli, a: &SearchArgs) -> Result<Outcome> {
    let query = spor_query::parse(&a.query).map_err(|e| IndexError::Query {
        rendered: e.render(&a.query),
        error: e,
    })?;
    let study = super::open_study_strict(cli)?;
    let known = super::code::known_attributes(&study);
    let known_ref: Vec<&str> = known.iter().map(String::as_str).collect();
    spor_query::validate(&query, &known_ref).map_err(|e| IndexError::Query {
        rendered: e.render(&a.query),
        error: e,
    })?;
    refuse_private(&study, query.attr_names().into_iter(), "the query")?;
    refuse_private(
        &study,
        a.filters
            .iter()
            .filter_map(|w| w.split_once('=').map(|(n, _)| n.trim())),
        "--where",
    )?;
    let filters = filters(a, &known)?;
    if a.explain {
        eprintln!("{}", query.explain());
    }
    let index = super::index::ensure(cli, &study)?;
    // --compounds: plain words also match their compounds in the index
    let found_by = if a.compounds {
        index.with_compounds(&query)?
    } else {
        query.clone()
    };
    let limit = if a.count || a.sort == SortBy::Document {
        None
    } else {
        Some(a.limit)
    };
    if a.explain {
        explain_forms(cli, &index, &query, a.compounds)?;
    }
    let (mut hits, total) = index.search_total(&found_by, &filters, limit)?;
    // Read only the documents that hold hits, to show them.
    let hit_docs: BTreeSet<String> = hits.iter().map(|h| natural_key(&h.segment).0).collect();
    let corpus = Corpus::read_only_strict(&study, &hit_docs)?;
    if a.sort == SortBy::Document {
        sort_by_document(&study, &mut hits);
        hits.truncate(a.limit);
    }
    let found: Vec<(&Segment, f32)> = hits
        .iter()
        .filter_map(|h| corpus.segment(&h.segment).map(|s| (s, h.score)))
        .collect();
    if found.is_empty() && !cli.quiet {
        no_hit_hints(&a.query, &index, &found_by, &filters)?;
    }
    if a.count {
        return print_counts(&found, a.json);
    }
    if a.json {
        print_json(&found, &found_by)?;
        return Ok(Outcome::Ok);
    }
    print_hits(&corpus, &found, &found_by);
    if !cli.quiet {
        if total > found.len() && !a.count {
            eprintln!(
                "{} of {} hits shown; --limit N shows more",
                found.len(),
                thousands(total)
            );
        } else {
            eprintln!("{} hit(s)", found.len());
        }
    }
    Ok(Outcome::Ok)
}

/// Hints when nothing was found: a likely misspelling, and the roles
/// whose turns would have matched.
fn no_hit_hints(
    text: &str,
    index: &spor_index::SegmentIndex,
    found_by: &spor_query::Query,
    filters: &Filters,
) -> Result<()> {
    if let Some(h) = spor_query::spelling_hint(text) {
        eprintln!("hint: {h}");
    }
    if !filters.roles.is_empty()
        && let Some(h) = other_roles_hint(index, found_by, filters)?
    {
        eprintln!("hint: {h}");
    }
    Ok(())
}

/// The filters of `--role` and `--where`, each checked (a known role, a
/// known attribute, `ATTR=VALUE[,VALUE]`).
fn filters(a: &SearchArgs, known: &[String]) -> Result<Filters> {
    let mut filters = Filters::default();
    for r in &a.roles {
        match Role::parse(r) {
            Some(role) => filters.roles.push(role.as_str().to_owned()),
            None => bail!(
                "unknown role {r:?} (roles are participant, interviewer, facilitator, observer)"
            ),
        }
    }
    for w in &a.filters {
        let Some((name, values)) = w.split_once('=') else {
            bail!("--where {w:?}: expected ATTR=VALUE[,VALUE]");
        };
        let name = name.trim();
        if !known.iter().any(|k| k == name) {
            bail!(
                "--where: unknown attribute {name:?} (known: {})",
                known.join(", ")
            );
        }
        filters.attrs.push((
            name.to_owned(),
            values.split(',').map(|v| v.trim().to_owned()).collect(),
        ));
    }
    Ok(filters)
}

/// `--explain`: on stderr, the forms in the index each term matches, with
/// the number of turns holding each.
fn explain_forms(
    cli: &Cli,
    index: &spor_index::SegmentIndex,
    query: &spor_query::Query,
    compounds: bool,
) -> Result<()> {
    for e in index.expansion_with(query, compounds)? {
        let shown: Vec<String> = e
            .forms
            .iter()
            .take(EXPLAIN_FORMS)
            .map(|(f, n)| format!("{f} ({n})"))
            .collect();
        let more = e.forms.len().saturating_sub(EXPLAIN_FORMS);
        eprintln!(
            "{} matches {} form(s) in the index{}{}{}",
            e.term,
            e.forms.len(),
            if shown.is_empty() { "" } else { ": " },
            shown.join(", "),
            if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            }
        );
    }
    if !cli.quiet {
        eprintln!("(turns holding each form in brackets; exclude a form with NOT =form)");
    }
    Ok(())
}

/// `--sort document`: hits in the documents sheet's order, then by turn.
fn sort_by_document(study: &spor_corpus::Study, hits: &mut [spor_index::Hit]) {
    let order: BTreeMap<&str, usize> = study
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    hits.sort_by_key(|h| {
        let (d, t) = natural_key(&h.segment);
        (order.get(d.as_str()).copied().unwrap_or(usize::MAX), t)
    });
}

/// `--json`: the hits as an array (the output contract pins this shape).
fn print_json(found: &[(&Segment, f32)], found_by: &spor_query::Query) -> Result<()> {
    let out: Vec<JsonHit> = found
        .iter()
        .map(|(s, score)| JsonHit {
            segment: &s.segment,
            document: s.document(),
            turn: s.turn,
            participant: s.participant(),
            profession: s.profession(),
            role: s.role().as_str(),
            score: *score,
            text: &s.text,
            line_start: s.line_start,
            line_end: s.line_end,
            highlights: highlights(&s.text, found_by)
                .into_iter()
                .map(|(a, b)| [a, b])
                .collect(),
        })
        .collect();
    // the output contract pins this as an array of hits (docs/FORMAT.md)
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

/// The hits for the terminal: segment, file and line, participant and
/// profession, score, then the text around the matches (highlighted on a
/// terminal).
fn print_hits(corpus: &Corpus, found: &[(&Segment, f32)], found_by: &spor_query::Query) {
    let color = {
        use std::io::IsTerminal;
        std::io::stdout().is_terminal()
    };
    for (s, score) in found {
        let file = corpus
            .documents
            .iter()
            .find(|d| d.meta.id == *s.document())
            .map(|d| d.meta.file.as_str())
            .unwrap_or("");
        println!(
            "{}  {}:{}  {} ({})  score {:.2}",
            s.segment,
            file,
            s.line_start,
            s.participant(),
            s.profession(),
            score
        );
        println!(
            "    {}",
            kwic(&s.text, &highlights(&s.text, found_by), color)
        );
    }
}

/// How many forms `--explain` lists per term.
const EXPLAIN_FORMS: usize = 30;

/// `6725` -> `6,725`.
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// When the chosen roles have no hit: how many turns of each other role
/// match, as a hint to widen `--roles`.
fn other_roles_hint(
    index: &spor_index::SegmentIndex,
    query: &spor_query::Query,
    filters: &Filters,
) -> Result<Option<String>> {
    let mut found = Vec::new();
    for role in ["participant", "interviewer", "facilitator", "observer"] {
        if filters.roles.iter().any(|r| r == role) {
            continue;
        }
        let f = Filters {
            roles: vec![role.to_owned()],
            attrs: filters.attrs.clone(),
        };
        let n = index.count(query, &f)?;
        if n > 0 {
            found.push((role, n));
        }
    }
    if found.is_empty() {
        return Ok(None);
    }
    let list: Vec<String> = found.iter().map(|(r, n)| format!("{r}: {n}")).collect();
    let roles: Vec<&str> = filters
        .roles
        .iter()
        .map(String::as_str)
        .chain(found.iter().map(|(r, _)| *r))
        .collect();
    Ok(Some(format!(
        "no hit in turns of {}, but other roles match ({}); try --roles {}",
        filters.roles.join(","),
        list.join(", "),
        roles.join(",")
    )))
}

/// Keyword in context: up to 70 chars on either side of the first match,
/// every match marked (bold red on a terminal, `[[...]]` otherwise).
fn kwic(text: &str, hl: &[(usize, usize)], color: bool) -> String {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let first = hl.first().map(|h| h.0).unwrap_or(0);
    let from = first.saturating_sub(70);
    let to = (hl.first().map(|h| h.1).unwrap_or(0) + 70).min(chars.len());
    let (open, close) = if color {
        (
            crate::output::HIT.render().to_string(),
            crate::output::HIT.render_reset().to_string(),
        )
    } else {
        ("[[".to_owned(), "]]".to_owned())
    };
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut i = from;
    for &(a, b) in hl.iter().filter(|h| h.0 >= from && h.1 <= to) {
        out.extend(&chars[i..a]);
        out.push_str(&open);
        out.extend(&chars[a..b]);
        out.push_str(&close);
        i = b;
    }
    out.extend(&chars[i..to]);
    if to < chars.len() {
        out.push('…');
    }
    out
}

fn print_counts(found: &[(&Segment, f32)], json: bool) -> Result<Outcome> {
    let mut per: BTreeMap<&str, (usize, BTreeSet<&str>)> = BTreeMap::new();
    for (s, _) in found {
        let e = per.entry(s.profession()).or_default();
        e.0 += 1;
        e.1.insert(s.participant());
    }
    if json {
        let v: Vec<_> = per
            .iter()
            .map(|(p, (n, parts))| {
                serde_json::json!({"profession": p, "segments": n, "participants": parts.len()})
            })
            .collect();
        crate::output::json(&serde_json::json!({"total": found.len(), "professions": v}))?;
        return Ok(Outcome::Ok);
    }
    let mut t = Table::new(&[
        ("profession", Align::Left),
        ("segments", Align::Right),
        ("participants", Align::Right),
    ]);
    for (p, (n, parts)) in &per {
        t.row(vec![p.to_string(), n.to_string(), parts.len().to_string()]);
    }
    t.row(vec!["total".into(), found.len().to_string(), String::new()]);
    print!("{}", t.render());
    Ok(Outcome::Ok)
}

/// Private attributes (a `private:` column) are not search filters: a hit
/// list filtered by one tells who has which value. `[privacy]
/// private_filters = true` in spor.toml allows it for a team's own work.
fn refuse_private<'a>(
    study: &spor_corpus::Study,
    names: impl Iterator<Item = &'a str>,
    what: &str,
) -> Result<()> {
    let allowed = study.manifest.privacy.private_filters;
    for name in names {
        if !allowed && study.private.contains(name) {
            bail!(
                "{what}: attribute {name:?} is marked private and is not a search filter \
                 (set [privacy] private_filters = true in spor.toml to allow it)"
            );
        }
    }
    Ok(())
}
