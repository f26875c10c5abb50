//! `spor stats`.

use crate::Outcome;
use crate::args::{Cli, StatsArgs};
use anyhow::Result;
use spor_export::table::{Align, Table};

pub fn run(cli: &Cli, a: &StatsArgs) -> Result<Outcome> {
    let (study, corpus) = super::read_corpus(cli)?;
    let s = spor_corpus::stats::stats(&corpus);
    if a.json {
        crate::output::json(&s)?;
        return Ok(Outcome::Ok);
    }
    println!(
        "{}: {} documents, {} participants, {} participant turns, {} words\n",
        study.manifest.study.name, s.documents, s.participants, s.turns, s.words
    );
    let mut t = Table::new(&[
        ("kind", Align::Left),
        ("phase", Align::Left),
        ("documents", Align::Right),
    ]);
    for k in &s.by_kind_phase {
        t.row(vec![
            k.kind.clone(),
            k.phase.clone(),
            k.documents.to_string(),
        ]);
    }
    println!("{}", t.render());
    let mut t = Table::new(&[
        ("profession", Align::Left),
        ("participants", Align::Right),
        ("documents", Align::Right),
        ("turns", Align::Right),
        ("words", Align::Right),
        ("share", Align::Right),
        ("", Align::Left),
    ]);
    for p in &s.professions {
        t.row(vec![
            p.profession.clone(),
            p.participants.to_string(),
            p.documents.to_string(),
            p.turns.to_string(),
            p.words.to_string(),
            format!("{:.1} %", p.share * 100.0),
            if p.under_represented {
                format!("under-represented (< {})", s.min_participants)
            } else {
                String::new()
            },
        ]);
    }
    print!("{}", t.render());
    let flagged = s.professions.iter().filter(|p| p.under_represented).count();
    if flagged > 0 {
        println!(
            "\n{flagged} profession(s) have fewer than {} participants: consider more interviews or a workshop with them.",
            s.min_participants
        );
    }
    Ok(Outcome::Ok)
}
