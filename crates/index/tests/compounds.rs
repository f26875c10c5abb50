//! `spor search --compounds` measured on real Danish text: for each head
//! word of tests/data/danish-eval/compounds.tsv, the words of the
//! ParlaMint-DK samples and the UD Danish DDT sentences (../shared/data)
//! that end in it were read and sorted by hand into compounds of it and
//! words that only end in it. The test compares `*word` (every word ending
//! in it, by form or key) with `word --compounds` (compounds whose first
//! part is a word) and fails if `--compounds` finds a listed non-compound.
//!
//! `SPOR_COMPOUND_TABLE=1 cargo test -p spor-index --test compounds -- --nocapture`
//! prints the table of docs/DANISH.md; `SPOR_COMPOUND_CANDIDATES=1` prints
//! the unlisted words either finds (to extend the list).

use spor_index::analyzer::{stem, suffix_match};
use spor_index::compounds::compounds_among;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn here(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// Every lowercased word of the ParlaMint-DK samples and the DDT sentences,
/// or None when ../shared/data is absent.
fn real_text() -> Option<BTreeSet<String>> {
    let shared = here("../../../shared/data");
    let mut v = BTreeSet::new();
    let mut words = |s: &str| {
        for w in s.split(|c: char| !c.is_alphanumeric()) {
            if !w.is_empty() {
                v.insert(w.to_lowercase());
            }
        }
    };
    for (dir, ext) in [("ud-danish-ddt", "conllu"), ("parlamint-dk", "txt")] {
        for e in std::fs::read_dir(shared.join(dir)).ok()?.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == ext) {
                let t = std::fs::read_to_string(&p).unwrap();
                if ext == "conllu" {
                    for l in t.lines().filter(|l| l.starts_with("# text = ")) {
                        words(&l[9..]);
                    }
                } else {
                    for l in t.lines() {
                        words(l.split_once('\t').map_or(l, |x| x.1));
                    }
                }
            }
        }
    }
    Some(v)
}

struct Row {
    head: String,
    compounds: BTreeSet<String>,
    not: BTreeSet<String>,
    known_wrong: BTreeSet<String>,
}

fn rows() -> Vec<Row> {
    let text = std::fs::read_to_string(here("tests/data/danish-eval/compounds.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            let set = |i: usize| -> BTreeSet<String> {
                c.get(i)
                    .map(|s| s.split_whitespace().map(str::to_owned).collect())
                    .unwrap_or_default()
            };
            Row {
                head: c[0].to_owned(),
                compounds: set(1),
                not: set(2),
                known_wrong: set(3),
            }
        })
        .collect()
}

fn pr(found: &BTreeSet<String>, row: &Row) -> (f64, f64) {
    let right = found.intersection(&row.compounds).count() as f64;
    let judged = found
        .iter()
        .filter(|w| row.compounds.contains(*w) || row.not.contains(*w))
        .count() as f64;
    let recall = right / row.compounds.len().max(1) as f64;
    let precision = if judged == 0.0 { 1.0 } else { right / judged };
    (recall, precision)
}

#[test]
fn compounds_find_compounds_and_no_lookalike() {
    let Some(mut vocab) = real_text() else {
        eprintln!("note: ../shared/data is absent; nothing to measure");
        return;
    };
    let rows = rows();
    assert!(rows.len() >= 10);
    for r in &rows {
        vocab.extend(r.compounds.iter().cloned());
        vocab.extend(r.not.iter().cloned());
    }
    let forms: Vec<String> = vocab.iter().cloned().collect();
    let keys: Vec<String> = forms.iter().map(|w| stem(w)).collect();
    let table = std::env::var_os("SPOR_COMPOUND_TABLE").is_some();
    let candidates = std::env::var_os("SPOR_COMPOUND_CANDIDATES").is_some();
    if table {
        println!(
            "| word | compounds | ending in it, not compounds | `*word` recall | `*word` precision | `--compounds` recall | `--compounds` precision |"
        );
        println!("|---|---|---|---|---|---|---|");
    }
    let mut problems = Vec::new();
    let mut sums = [0.0; 4];
    for r in &rows {
        let head_key = stem(&r.head);
        let own: BTreeSet<&String> = forms
            .iter()
            .zip(&keys)
            .filter(|(_, k)| **k == head_key)
            .map(|(f, _)| f)
            .collect();
        let star: BTreeSet<String> = forms
            .iter()
            .zip(&keys)
            .filter(|(f, k)| !own.contains(f) && suffix_match(f, k, &r.head, &head_key))
            .map(|(f, _)| f.clone())
            .collect();
        let comp: BTreeSet<String> = compounds_among(&r.head, &forms, &keys)
            .into_iter()
            .collect();
        let (sr, sp) = pr(&star, r);
        let (cr, cp) = pr(&comp, r);
        for (s, v) in sums.iter_mut().zip([sr, sp, cr, cp]) {
            *s += v;
        }
        if table {
            println!(
                "| `{}` | {} | {} | {sr:.2} | {sp:.2} | {cr:.2} | {cp:.2} |",
                r.head,
                r.compounds.len(),
                r.not.len()
            );
        }
        if candidates {
            let unlisted: Vec<&String> = star
                .union(&comp)
                .filter(|w| !r.compounds.contains(*w) && !r.not.contains(*w))
                .collect();
            if !unlisted.is_empty() {
                eprintln!(
                    "{}\t{}",
                    r.head,
                    unlisted
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                );
            }
        }
        let wrong: Vec<&String> = comp
            .intersection(&r.not)
            .filter(|w| !r.known_wrong.contains(*w))
            .collect();
        if !wrong.is_empty() {
            problems.push(format!("{} --compounds finds {wrong:?}", r.head));
        }
        if cp < sp {
            problems.push(format!(
                "{}: --compounds is less precise than *word",
                r.head
            ));
        }
    }
    let n = rows.len() as f64;
    // --compounds trades recall for precision: it must stay far more
    // precise than `*word` and still find compounds
    assert!(sums[3] / n >= 0.95, "mean precision {}", sums[3] / n);
    assert!(sums[2] / n >= 0.55, "mean recall {}", sums[2] / n);
    if table {
        println!(
            "| mean | | | {:.2} | {:.2} | {:.2} | {:.2} |",
            sums[0] / n,
            sums[1] / n,
            sums[2] / n,
            sums[3] / n
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
