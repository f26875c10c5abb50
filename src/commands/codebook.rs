//! `spor codebook test` and `spor codebook eval`.

use crate::Outcome;
use crate::args::{Cli, EvalArgs, JsonArg};
use anyhow::{Result, bail};
use spor_export::table::{Align, Table};

pub fn test(cli: &Cli, a: &JsonArg) -> Result<Outcome> {
    let study = super::open_study(cli)?;
    let books = super::code::load_codebooks(&study)?;
    let report = spor_coding::test::test(&books)?;
    if a.json {
        crate::output::json(&report)?;
    } else {
        for f in &report.failures {
            match &f.rule {
                Some(rule) => println!(
                    "{}:{}: error: {}: counter-example matched by rule {rule}: {:?}",
                    f.file, f.line, f.code, f.text
                ),
                None => println!(
                    "{}:{}: error: {}: no rule matches example: {:?}",
                    f.file, f.line, f.code, f.text
                ),
            }
        }
        let codes = books.codes().count();
        let rules: usize = books.codes().map(|(_, c)| c.rules.len()).sum();
        println!(
            "{} codebook(s), {codes} codes, {rules} rules: {} examples and {} counter-examples, {} failure(s)",
            books.books.len(),
            report.examples,
            report.counter_examples,
            report.failures.len()
        );
    }
    Ok(if report.failures.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Problems
    })
}

fn fmt(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into())
}

pub fn eval(cli: &Cli, a: &EvalArgs) -> Result<Outcome> {
    let c = super::code::code_study(cli, None)?;
    let (quality, docs) = spor_coding::eval::evaluate(&c.codings, &c.corpus, &c.books, &a.coder);
    if docs.is_empty() {
        bail!(
            "coder {:?} has coded no document (no rows in codings/{}.csv)",
            a.coder,
            a.coder
        );
    }
    let learned = c
        .learned
        .as_ref()
        .map(|l| spor_learn::eval::compare(l, &c.codings, &c.corpus, &c.books, &a.coder));
    if a.json {
        let v = serde_json::json!({
            "coder": a.coder,
            "documents": docs,
            "policy": "rules = unrejected suggestions",
            "codes": quality,
            "learned": learned.as_ref().map(|(codes, mac)| serde_json::json!({
                "method": "leave-one-document-out cross-validation",
                "codes": codes, "macro_f1": mac })),
        });
        crate::output::json(&v)?;
        return Ok(Outcome::Ok);
    }
    println!(
        "rules against coder {} on {} document(s): {}\n",
        a.coder,
        docs.len(),
        docs.iter().cloned().collect::<Vec<_>>().join(", ")
    );
    let mut t = Table::new(&[
        ("code", Align::Left),
        ("both", Align::Right),
        ("rules only", Align::Right),
        ("coder only", Align::Right),
        ("precision", Align::Right),
        ("recall", Align::Right),
        ("F1", Align::Right),
    ]);
    for q in &quality {
        t.row(vec![
            q.code.clone(),
            q.true_positives.to_string(),
            q.false_positives.to_string(),
            q.false_negatives.to_string(),
            fmt(q.precision),
            fmt(q.recall),
            fmt(q.f1),
        ]);
    }
    print!("{}", t.render());
    if let (Some((codes, mac)), Some(l)) = (&learned, &c.learned) {
        println!("\nrules, learned model and both, by leave-one-document-out cross-validation:\n");
        print!(
            "{}",
            spor_learn::eval::render(codes, mac, l.settings.min_f1)
        );
    }
    if a.verbose {
        for q in &quality {
            if !q.missed.is_empty() {
                println!("{}: rules missed {}", q.code, q.missed.join(" "));
            }
            if !q.extra.is_empty() {
                println!("{}: coder did not code {}", q.code, q.extra.join(" "));
            }
        }
    }
    Ok(Outcome::Ok)
}
