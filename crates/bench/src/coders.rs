//! A coder for a generated study, so that learned suggestions have human
//! decisions to learn from: coder `B1` reviews every rule suggestion in a
//! share of the documents (first in id order), accepts three in four and
//! rejects the rest (a fixed choice by a hash of the segment and code), and
//! marks those documents done. Reads `out/codings.csv` from `spor code`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// FNV-1a: a fixed, dependency-free choice per (segment, code).
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Write `codings/B1.csv` from the rule suggestions in `out/codings.csv`;
/// returns (documents reviewed, accepted, rejected).
pub fn write(study: &Path, share: f64) -> (usize, usize, usize) {
    let mut rd = csv::Reader::from_path(study.join("out/codings.csv"))
        .expect("out/codings.csv (run `spor code` first)");
    let head = rd.headers().expect("header").clone();
    let col = |n: &str| head.iter().position(|h| h == n).expect(n);
    let (seg, doc, code, origin) = (col("segment"), col("document"), col("code"), col("origin"));
    let mut by_doc: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for r in rd.records() {
        let r = r.expect("row");
        let e = by_doc.entry(r[doc].to_owned()).or_default();
        if r[origin].starts_with("rule:") {
            e.insert((r[seg].to_owned(), r[code].to_owned()));
        }
    }
    let n = ((by_doc.len() as f64 * share).ceil() as usize).clamp(2, by_doc.len());
    let mut out = String::from("segment,code,status,memo,anchor,start,end,quote\n");
    let (mut acc, mut rej) = (0, 0);
    let docs: Vec<&String> = by_doc.keys().take(n).collect();
    for d in &docs {
        for (s, c) in &by_doc[*d] {
            let accept = !fnv(&format!("{s} {c}")).is_multiple_of(4);
            let status = if accept { "accepted" } else { "rejected" };
            if accept {
                acc += 1;
            } else {
                rej += 1;
            }
            writeln!(out, "{s},{c},{status},,,,,").unwrap();
        }
    }
    for d in &docs {
        writeln!(out, "{d},,done,,,,,").unwrap();
    }
    std::fs::create_dir_all(study.join("codings")).unwrap();
    std::fs::write(study.join("codings/B1.csv"), out).unwrap();
    (n, acc, rej)
}
