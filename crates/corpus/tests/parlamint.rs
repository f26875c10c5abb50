//! Real speaker labels on real Danish speech: the ParlaMint-DK samples in
//! ../shared/data ("ParlaMint-DK, ParlaMint 4.0, CLARIN ERIC, CC BY 4.0"),
//! each sitting written as a transcript with the labels the minutes use
//! (`Formanden (Name)`, `Name (Party)`), one speech per turn, each speech
//! wrapped over lines as PDF extraction leaves it. Every speech must be its
//! own turn, with no error. A wrapped line that starts with the chair
//! announcing a bill (`Finansministeren (Bjarne Corydon): Lovforslag nr. L
//! 1`) looks like an undeclared label; since no speech starts with a
//! numbered item of business, it is a warning, not an error.

use spor_corpus::Severity;
use spor_corpus::transcript::parse;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn label(role: &str, party: &str, name: &str) -> String {
    // "Haarder, Bertel" -> "Bertel Haarder"
    let name = match name.split_once(", ") {
        Some((last, first)) => format!("{first} {last}"),
        None => name.to_owned(),
    };
    if role.starts_with("Formand") || role == "Chairperson" {
        format!("Formanden ({name})")
    } else if party.is_empty() || party == "-" {
        name
    } else {
        format!("{name} ({party})")
    }
}

#[test]
fn parliament_minutes_with_real_labels() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/parlamint-dk");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    };
    let mut metas: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with("-meta.tsv"))
        .collect();
    metas.sort();
    let (mut speeches, mut announced) = (0, 0);
    for meta in metas {
        let txt = PathBuf::from(meta.to_string_lossy().replace("-meta.tsv", ".txt"));
        let meta_text = std::fs::read_to_string(&meta).unwrap();
        let mut lines = meta_text.lines();
        let head: Vec<&str> = lines.next().unwrap().split('\t').collect();
        let col = |n: &str| head.iter().position(|h| *h == n).unwrap();
        let (id, role, party, name) = (
            col("ID"),
            col("Speaker_role"),
            col("Speaker_party"),
            col("Speaker_name"),
        );
        let mut who = std::collections::HashMap::new();
        for l in lines {
            let c: Vec<&str> = l.split('\t').collect();
            who.insert(c[id].to_owned(), label(c[role], c[party], c[name]));
        }
        let mut transcript = String::from("Referat fra folketingssalen\n");
        let mut labels: Vec<String> = Vec::new();
        let mut want = Vec::new();
        for l in std::fs::read_to_string(&txt).unwrap().lines() {
            let Some((sid, text)) = l.split_once('\t') else {
                continue;
            };
            let lab = who[sid].clone();
            if !labels.contains(&lab) {
                labels.push(lab.clone());
            }
            want.push(labels.iter().position(|x| *x == lab).unwrap());
            // wrap at about 70 characters, as extracted text is
            transcript.push_str(&lab);
            transcript.push_str(": ");
            let mut width = lab.len();
            for w in text.split(' ') {
                if width > 70 {
                    transcript.push('\n');
                    width = 0;
                }
                transcript.push_str(w);
                transcript.push(' ');
                width += w.len() + 1;
            }
            transcript.push('\n');
        }
        let p = parse(&transcript, &labels, &BTreeSet::new(), Path::new("t.txt"));
        let got: Vec<usize> = p.turns.iter().map(|t| t.speaker).collect();
        assert_eq!(got, want, "{}", txt.display());
        let errors: Vec<String> = p
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", txt.display());
        announced += p
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning && d.message.contains("not declared"))
            .count();
        speeches += want.len();
    }
    assert!(speeches >= 50, "{speeches}");
    eprintln!("{speeches} speeches, {announced} label-like line(s) read as text with a warning");
    assert!(announced >= 1, "{announced}");
}
