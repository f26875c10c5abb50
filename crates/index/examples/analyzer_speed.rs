//! Throughput of the Danish analyzer with and without the lemma step, on
//! the UD Danish DDT sentences (../shared/data), once and repeated to about
//! 20 MB: `cargo run --release -p spor-index --example analyzer_speed`.

use spor_index::analyzer::{danish, snowball};
use std::time::Instant;
use tantivy::tokenizer::TokenStream;

fn main() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/ud-danish-ddt"
    );
    let mut one = String::new();
    for f in ["da_ddt-ud-dev.conllu", "da_ddt-ud-test.conllu"] {
        let Ok(s) = std::fs::read_to_string(format!("{dir}/{f}")) else {
            eprintln!("skipped: {dir}/{f} is absent");
            return;
        };
        for l in s.lines().filter_map(|l| l.strip_prefix("# text = ")) {
            one.push_str(l);
            one.push('\n');
        }
    }
    // Once (each distinct word new to the analyzer's cache once), and
    // repeated (as in a large study, where most words have been seen).
    let mut many = one.clone();
    while many.len() < 20_000_000 {
        many.push_str(&one);
    }
    for (label, text) in [("DDT once", &one), ("DDT repeated", &many)] {
        let mb = text.len() as f64 / 1e6;
        for round in 0..3 {
            for (name, mut a) in [("snowball", snowball()), ("lemma+snowball", danish())] {
                let t = Instant::now();
                let mut n = 0usize;
                // one token stream per sentence, as the index has one per turn
                for line in text.lines() {
                    let mut ts = a.token_stream(line);
                    while ts.advance() {
                        n += ts.token().text.len();
                    }
                }
                let s = t.elapsed().as_secs_f64();
                println!(
                    "{label} ({mb:.1} MB) round {round} {name:>15}: {:.1} MB/s ({n} bytes of keys)",
                    mb / s
                );
            }
        }
    }
}
