//! `spor agree` and `spor saturation`.

use super::analysis::emit;
use super::code::{Coded, code_study};
use crate::Outcome;
use crate::args::{AgreeArgs, Cli, SaturationArgs, TableFormat};
use crate::table::{Align, Table};
use anyhow::{Result, bail};
use spor_analysis::rigor::{GroupSaturation, StudyAgreement};

fn f3(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into())
}

/// Compute agreement for `coders` on a coded study.
pub fn compute(c: &Coded, coders: &[String]) -> Result<StudyAgreement> {
    if coders.len() < 2 {
        bail!("--coders needs two or more coders");
    }
    let known = spor_coding::coders::coder_names(&c.study);
    for (i, name) in coders.iter().enumerate() {
        if coders[..i].contains(name) {
            bail!("--coders names {name:?} twice; agreement needs two or more different coders");
        }
        if name != "rules" && !known.contains(name) {
            bail!(
                "no coder {name:?} (codings/{name}.csv does not exist; coders: {})",
                known.join(", ")
            );
        }
    }
    if let Some(e) = c
        .coder_files
        .errors()
        .find(|d| d.location.path.ends_with(spor_corpus::study::MANIFEST))
    {
        bail!("{e}");
    }
    Ok(spor_analysis::rigor::agreement(
        &c.codings, &c.corpus, &c.books, coders,
    ))
}

/// Which (coder, code, document) cells the figures use, one line per coder.
pub fn coverage_lines(a: &StudyAgreement) -> Vec<String> {
    use spor_coding::coders::Covered;
    a.coverage
        .iter()
        .map(|(coder, docs)| {
            let all: Vec<&str> = docs
                .iter()
                .filter(|(_, c)| matches!(c, Covered::All(_)))
                .map(|(d, _)| d.as_str())
                .collect();
            let some: Vec<String> = docs
                .iter()
                .filter_map(|(d, c)| match c {
                    Covered::Codes(codes) => Some(format!("{d} ({})", codes.join(", "))),
                    Covered::All(_) => None,
                })
                .collect();
            let mut line = format!("{coder} has coded ");
            if coder == "rules" {
                line.push_str("every document for every code");
                return line;
            }
            if all.is_empty() && some.is_empty() {
                line.push_str("nothing");
            }
            if !all.is_empty() {
                line.push_str(&format!("every code in {}", all.join(", ")));
            }
            if !some.is_empty() {
                if !all.is_empty() {
                    line.push_str("; ");
                }
                line.push_str(&format!("only these codes in {}", some.join("; ")));
            }
            line
        })
        .collect()
}

/// Markdown for a consensus meeting.
pub fn markdown(a: &StudyAgreement, with_disagreements: bool) -> String {
    let mut s = format!("# Intercoder agreement: {}\n\n", a.coders.join(", "));
    s.push_str("Unit: participant turn; a code is applied or not. Alpha >= 0.800: reliable; 0.667-0.800: tentative; below: not reliable. Brennan-Prediger's kappa is the one MAXQDA reports.\n\n");
    s.push_str("What each coder has coded (turns of other documents and codes are missing data, never a \"no\"):\n\n");
    for line in coverage_lines(a) {
        s.push_str(&format!("- {line}\n"));
    }
    s.push('\n');
    s.push_str("| code | units | agreement | alpha | kappa | Brennan-Prediger |\n|---|---|---|---|---|---|\n");
    for c in a.codes.iter().chain(std::iter::once(&a.overall)) {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            c.code,
            c.n_units,
            c.percent_agreement
                .map(|p| format!("{:.1} %", p * 100.0))
                .unwrap_or("-".into()),
            f3(c.alpha),
            f3(c.kappa),
            f3(c.brennan_prediger)
        ));
    }
    if with_disagreements {
        s.push_str(&format!("\n## Disagreements ({})\n", a.disagreements.len()));
        for d in &a.disagreements {
            s.push_str(&format!(
                "\n### {} · {} ({}) · disputed: {}\n\n",
                d.segment,
                d.participant,
                d.profession,
                d.disputed.join(", ")
            ));
            for (coder, codes) in &d.codes {
                s.push_str(&format!(
                    "- {coder}: {}\n",
                    match codes {
                        Some(v) if v.is_empty() => "(no code)".to_owned(),
                        Some(v) => v.join(", "),
                        None => "(has not coded this document)".to_owned(),
                    }
                ));
            }
            s.push('\n');
            for l in d.text.lines() {
                s.push_str(&format!("> {l}\n"));
            }
        }
    }
    s
}

pub fn agree(cli: &Cli, a: &AgreeArgs) -> Result<Outcome> {
    let c = code_study(cli, None)?;
    let r = compute(&c, &a.coders)?;
    let rules_vs = (a.coders.len() == 2 && a.coders[0] == "rules")
        .then(|| spor_coding::eval::evaluate(&c.codings, &c.corpus, &c.books, &a.coders[1]).0);
    let format = if a.json { TableFormat::Json } else { a.format };
    match format {
        TableFormat::Json => {
            let mut v = serde_json::json!({
                "coders": r.coders,
                "documents": r.documents,
                "coverage": r.coverage,
                "codes": r.codes,
                "overall": r.overall,
            });
            if a.disagreements {
                v["disagreements"] = serde_json::to_value(&r.disagreements)?;
            }
            if let Some(q) = &rules_vs {
                v["rules"] = serde_json::to_value(q)?;
            }
            emit(None, &spor_export::json(&v))?;
        }
        TableFormat::Md => emit(None, markdown(&r, a.disagreements).as_bytes())?,
        TableFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([
                "code",
                "n_units",
                "percent_agreement",
                "alpha",
                "kappa",
                "brennan_prediger",
            ])?;
            for x in r.codes.iter().chain(std::iter::once(&r.overall)) {
                let o = |v: Option<f64>| v.map(|v| format!("{v:.6}")).unwrap_or_default();
                w.write_record([
                    x.code.clone(),
                    x.n_units.to_string(),
                    o(x.percent_agreement),
                    o(x.alpha),
                    o(x.kappa),
                    o(x.brennan_prediger),
                ])?;
            }
            emit(
                None,
                &super::csv_dialect(cli, &c.study)?.apply(w.into_inner()?),
            )?;
        }
        TableFormat::Table => {
            let mut t = Table::new(&[
                ("code", Align::Left),
                ("units", Align::Right),
                ("agreement", Align::Right),
                ("alpha", Align::Right),
                ("kappa", Align::Right),
                ("B-P kappa", Align::Right),
                ("", Align::Left),
            ]);
            for x in r.codes.iter().chain(std::iter::once(&r.overall)) {
                let verdict = match x.alpha {
                    Some(v) if v >= 0.8 => "reliable",
                    Some(v) if v >= 0.667 => "tentative",
                    Some(_) => "not reliable",
                    None => "",
                };
                t.row(vec![
                    x.code.clone(),
                    x.n_units.to_string(),
                    x.percent_agreement
                        .map(|p| format!("{:.1} %", p * 100.0))
                        .unwrap_or("-".into()),
                    f3(x.alpha),
                    f3(x.kappa),
                    f3(x.brennan_prediger),
                    verdict.into(),
                ]);
            }
            print!("{}", t.render());
            println!(
                "\nunit: participant turn; alpha >= 0.800 reliable, 0.667-0.800 tentative (Krippendorff); B-P: Brennan-Prediger's kappa, as MAXQDA reports it"
            );
            for line in coverage_lines(&r) {
                println!("{line}");
            }
            if let Some(q) = &rules_vs {
                println!("\nrules against {}:", a.coders[1]);
                let mut t = Table::new(&[
                    ("code", Align::Left),
                    ("precision", Align::Right),
                    ("recall", Align::Right),
                    ("F1", Align::Right),
                ]);
                for x in q {
                    t.row(vec![
                        x.code.clone(),
                        f3(x.precision),
                        f3(x.recall),
                        f3(x.f1),
                    ]);
                }
                print!("{}", t.render());
            }
            if a.disagreements {
                println!("\n{} disagreement(s):", r.disagreements.len());
                for d in &r.disagreements {
                    let who: Vec<String> = d
                        .codes
                        .iter()
                        .map(|(c, v)| {
                            format!(
                                "{c}: {}",
                                v.as_ref().map(|v| v.join(" ")).unwrap_or("-".into())
                            )
                        })
                        .collect();
                    println!(
                        "{} {} ({}) disputed {} | {}",
                        d.segment,
                        d.participant,
                        d.profession,
                        d.disputed.join(","),
                        who.join(" | ")
                    );
                }
            }
        }
    }
    Ok(Outcome::Ok)
}

/// Document ids in the order of a documents.csv column (then sheet order).
pub fn document_order(c: &Coded, column: &str) -> Result<Vec<String>> {
    let key = |d: &spor_corpus::study::DocumentMeta| -> Option<String> {
        match column {
            "date" => Some(d.date.clone()),
            "phase" => Some(d.phase.clone()),
            "kind" => Some(d.kind.clone()),
            "document" => Some(d.id.clone()),
            other => d.attributes.get(other).map(|v| v.key()),
        }
    };
    if !c.study.documents.is_empty() && c.study.documents.iter().all(|d| key(d).is_none()) {
        bail!("--order: documents.csv has no column {column:?}");
    }
    let mut docs: Vec<(usize, &spor_corpus::study::DocumentMeta)> =
        c.study.documents.iter().enumerate().collect();
    docs.sort_by_key(|d| (key(d.1), d.0));
    Ok(docs.into_iter().map(|(_, d)| d.id.clone()).collect())
}

/// The saturation settings `spor run` and the report use: date order,
/// base 4, run 2, threshold 5 %.
pub fn default_saturation() -> SaturationArgs {
    SaturationArgs {
        order: "date".into(),
        by: None,
        base: 4,
        run: 2,
        threshold: 0.05,
        json: false,
        svg: None,
    }
}

pub fn compute_saturation(c: &Coded, a: &SaturationArgs) -> Result<Vec<GroupSaturation>> {
    if a.by.as_deref().is_some_and(|b| c.study.private.contains(b)) {
        bail!(
            "attribute {:?} is marked private and is never shown in outputs",
            a.by.as_deref().unwrap_or("")
        );
    }
    if let Some(by) = a.by.as_deref() {
        let known = super::code::known_attributes(&c.study);
        if !known.iter().any(|k| k == by) {
            bail!(
                "--by: unknown attribute {by:?} (known: {})",
                known.join(", ")
            );
        }
    }
    let order = document_order(c, &a.order)?;
    Ok(spor_analysis::rigor::saturation(
        &c.codings,
        &c.corpus,
        &order,
        a.by.as_deref(),
        a.base,
        a.run,
        a.threshold,
    ))
}

pub fn saturation_text(groups: &[GroupSaturation]) -> String {
    let mut s = String::new();
    for g in groups {
        if !g.group.is_empty() {
            s.push_str(&format!("\n== {} ==\n", g.group));
        }
        let mut t = Table::new(&[
            ("document", Align::Left),
            ("new", Align::Right),
            ("cumulative", Align::Right),
            ("new codes", Align::Left),
        ]);
        for st in &g.curve.documents {
            t.row(vec![
                st.document.clone(),
                st.new.to_string(),
                st.cumulative.to_string(),
                st.new_codes.join(", "),
            ]);
        }
        s.push_str(&t.render());
        s.push_str(&format!(
            "saturation: {}\n",
            g.point
                .as_ref()
                .map(|p| format!(
                    "{} (base {} codes, {} new in the run)",
                    p.label, p.base_codes, p.new_in_run
                ))
                .unwrap_or_else(|| "not reached".into())
        ));
        let mut t = Table::new(&[
            ("base", Align::Right),
            ("run", Align::Right),
            ("threshold", Align::Right),
            ("point", Align::Left),
        ]);
        for (b, r, th, p) in &g.sensitivity {
            t.row(vec![
                b.to_string(),
                r.to_string(),
                format!("{:.0} %", th * 100.0),
                p.as_ref()
                    .map(|p| p.label.clone())
                    .unwrap_or_else(|| "not reached".into()),
            ]);
        }
        s.push_str(&t.render());
    }
    s
}

pub fn saturation(cli: &Cli, a: &SaturationArgs) -> Result<Outcome> {
    let c = code_study(cli, None)?;
    let groups = compute_saturation(&c, a)?;
    if let Some(p) = &a.svg {
        let svg = spor_export::saturation::svg(&groups, "Code saturation")
            .map_err(|e| anyhow::anyhow!("plotting: {e}"))?;
        spor_corpus::fsutil::write_atomic(p, svg.as_bytes())?;
    }
    if a.json {
        emit(
            None,
            &spor_export::json(&serde_json::json!({
                "order": a.order, "by": a.by, "base": a.base, "run": a.run, "threshold": a.threshold,
                "method": "Guest, Namey & Chen (2020)", "groups": groups,
            })),
        )?;
    } else {
        print!("{}", saturation_text(&groups));
        println!(
            "method: Guest, Namey & Chen (2020), base {} + run {}, new-information threshold {:.0} %",
            a.base,
            a.run,
            a.threshold * 100.0
        );
    }
    Ok(Outcome::Ok)
}
