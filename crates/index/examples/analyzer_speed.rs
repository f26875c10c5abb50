//! Throughput of the Danish analyzer with and without the lemma step, on
//! the UD Danish DDT sentences (../shared/data) repeated to about 20 MB:
//! `cargo run --release -p spor-index --example analyzer_speed`.

use spor_index::analyzer::{danish, snowball};
use std::time::Instant;
use tantivy::tokenizer::TokenStream;

fn main() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/ud-danish-ddt"
    );
    let mut text = String::new();
    for f in ["da_ddt-ud-dev.conllu", "da_ddt-ud-test.conllu"] {
        let Ok(s) = std::fs::read_to_string(format!("{dir}/{f}")) else {
            eprintln!("skipped: {dir}/{f} is absent");
            return;
        };
        for l in s.lines().filter_map(|l| l.strip_prefix("# text = ")) {
            text.push_str(l);
            text.push('\n');
        }
    }
    let one = text.clone();
    while text.len() < 20_000_000 {
        text.push_str(&one);
    }
    let mb = text.len() as f64 / 1e6;
    for (name, mut a) in [
        ("snowball", snowball()),
        ("lemma+snowball", danish()),
        ("snowball", snowball()),
        ("lemma+snowball", danish()),
    ] {
        let t = Instant::now();
        let mut n = 0usize;
        let mut ts = a.token_stream(&text);
        while ts.advance() {
            n += ts.token().text.len();
        }
        let s = t.elapsed().as_secs_f64();
        println!("{name:>15}: {:.1} MB/s ({n} bytes of keys)", mb / s);
    }
}
