//! `spor agree` and `spor saturation`.

use super::analysis::emit;
use super::code::code_study;
use crate::Outcome;
use crate::args::{AgreeArgs, Cli, SaturationArgs, TableFormat};
use anyhow::Result;
use spor_export::table::{Align, Table};
use spor_pipeline::rigor::{agreement_markdown as markdown, coverage_lines, saturation_text};

fn f3(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into())
}

pub fn agree(cli: &Cli, a: &AgreeArgs) -> Result<Outcome> {
    let c = code_study(cli, None)?;
    let r = spor_pipeline::rigor::agreement(&c, &a.coders)?;
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
            crate::output::json(&v)?;
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

pub fn saturation(cli: &Cli, a: &SaturationArgs) -> Result<Outcome> {
    let c = code_study(cli, None)?;
    let settings = spor_pipeline::rigor::SaturationSettings {
        order: a.order.clone(),
        by: a.by.clone(),
        base: a.base,
        run: a.run,
        threshold: a.threshold,
    };
    let groups = spor_pipeline::rigor::saturation(&c, &settings)?;
    if let Some(p) = &a.svg {
        let svg = spor_export::saturation::svg(&groups, "Code saturation")
            .map_err(|e| anyhow::anyhow!("plotting: {e}"))?;
        spor_corpus::fsutil::write_atomic(p, svg.as_bytes())?;
    }
    if a.json {
        crate::output::json(&serde_json::json!({
            "order": a.order, "by": a.by, "base": a.base, "run": a.run, "threshold": a.threshold,
            "method": "Guest, Namey & Chen (2020)", "groups": groups,
        }))?;
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
