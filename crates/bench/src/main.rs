//! `spor-bench` generates large Danish studies and times spor's stages on
//! them, each next to a baseline measured in the same run. Not a user
//! command: run it through `scripts/bench`.
//!
//! ```text
//! cargo run --release -p spor-bench -- generate --mb 100 --out /tmp/spor-bench-100
//! cargo run --release -p spor-bench -- index --study /tmp/spor-bench-100
//! ```

mod generate;

use spor_corpus::{Corpus, Study};
use spor_index::{Filters, SegmentIndex};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn usage() -> ! {
    eprintln!(
        "usage: spor-bench generate --mb N --out DIR [--example DIR] [--ddt FILE]...\n       spor-bench index --study DIR"
    );
    std::process::exit(2)
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") => {
            let mb: f64 = arg(&args, "--mb")
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| usage());
            let out = PathBuf::from(arg(&args, "--out").unwrap_or_else(|| usage()));
            let example = PathBuf::from(
                arg(&args, "--example").unwrap_or_else(|| "examples/sundtek".to_owned()),
            );
            let ddt: Vec<PathBuf> = args
                .windows(2)
                .filter(|w| w[0] == "--ddt")
                .map(|w| PathBuf::from(&w[1]))
                .collect();
            let bytes = generate::study(&example, &ddt, &out, (mb * 1e6) as u64);
            println!(
                "wrote {} ({:.1} MB of transcripts)",
                out.display(),
                bytes as f64 / 1e6
            );
        }
        Some("index") => {
            let study = PathBuf::from(arg(&args, "--study").unwrap_or_else(|| usage()));
            bench_index(&study);
        }
        _ => usage(),
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn bench_index(root: &Path) {
    let study = Study::open(root).expect("study opens");
    let files: Vec<PathBuf> = study
        .documents
        .iter()
        .map(|d| study.path(&d.file))
        .collect();

    // Baseline: read the same bytes (what `cat` does), twice to warm the cache.
    let mut total = 0u64;
    for _ in 0..2 {
        total = files
            .iter()
            .map(|f| std::fs::read(f).unwrap().len() as u64)
            .sum();
    }
    let t = Instant::now();
    let _: u64 = files
        .iter()
        .map(|f| std::fs::read(f).unwrap().len() as u64)
        .sum();
    let read_bytes = t.elapsed();
    let mb = total as f64 / 1e6;
    println!("study: {} documents, {:.1} MB", files.len(), mb);
    println!("| step | time | throughput | baseline | ratio |");
    println!("|---|---|---|---|---|");
    println!(
        "| read bytes (baseline, like cat) | {:.3} s | {:.0} MB/s | | |",
        secs(read_bytes),
        mb / secs(read_bytes)
    );

    let t = Instant::now();
    let corpus = Corpus::read(&study);
    let read = t.elapsed();
    assert!(!corpus.has_errors(), "generated study has errors");
    let segments = corpus.segments().count();
    println!(
        "| read and segment ({segments} segments) | {:.3} s | {:.0} MB/s | {:.3} s | {:.1}x |",
        secs(read),
        mb / secs(read),
        secs(read_bytes),
        secs(read) / secs(read_bytes)
    );

    let dir = root.join(".spor/index");
    let _ = std::fs::remove_dir_all(&dir);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let t = Instant::now();
    let mut index = SegmentIndex::open(&dir).unwrap();
    let plan = index.plan(&study);
    let r = index.apply(plan, &corpus, threads).unwrap();
    let full = t.elapsed();
    assert_eq!(r.segments as usize, segments);
    println!(
        "| full index ({threads} threads) | {:.3} s | {:.1} MB/s | {:.3} s | {:.1}x |",
        secs(full),
        mb / secs(full),
        secs(read_bytes),
        secs(full) / secs(read_bytes)
    );

    // Baseline: tantivy alone, one text field with its default tokenizer,
    // same threads and memory budget, over the same segment texts.
    let t = Instant::now();
    {
        use tantivy::schema::{Schema, TEXT};
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let plain = tantivy::Index::create_in_ram(b.build());
        let mut w: tantivy::IndexWriter = plain
            .writer_with_num_threads(threads, 200_000_000 * threads)
            .unwrap();
        for s in corpus.segments() {
            let mut d = tantivy::TantivyDocument::default();
            d.add_text(body, &s.text);
            w.add_document(d).unwrap();
        }
        w.commit().unwrap();
        w.wait_merging_threads().unwrap();
    }
    let plain = t.elapsed();
    println!(
        "| tantivy alone: one default text field (baseline) | {:.3} s | {:.1} MB/s | {:.3} s (spor's full index) | {:.2}x |",
        secs(plain),
        mb / secs(plain),
        secs(full),
        secs(full) / secs(plain)
    );

    // Incremental: change one document, then read + update as `spor index` does.
    let first = &study.documents[0];
    let path = study.path(&first.file);
    let original = std::fs::read(&path).unwrap();
    let mut text = String::from_utf8(original.clone()).unwrap();
    text.push_str("\nInterviewer: Tak for i dag, vi ses næste gang.\n");
    std::fs::write(&path, text).unwrap();
    let t = Instant::now();
    let plan = index.plan(&study);
    let hashed = t.elapsed();
    let changed = Corpus::read_only(&study, &plan.to_read());
    let read_changed = t.elapsed();
    let r = index.apply(plan, &changed, threads).unwrap();
    let total_inc = t.elapsed();
    assert_eq!(r.changed, vec![first.id.clone()]);
    println!(
        "| incremental, 1 changed document: hash all files | {:.3} s | {:.0} MB/s | {:.3} s (read bytes) | {:.1}x |",
        secs(hashed),
        mb / secs(hashed),
        secs(read_bytes),
        secs(hashed) / secs(read_bytes)
    );
    println!(
        "| incremental, 1 changed document: total (what `spor index` does) | {:.3} s | | {:.3} s (full index) | {:.3}x |",
        secs(total_inc),
        secs(full),
        secs(total_inc) / secs(full)
    );
    let _ = read_changed;
    std::fs::write(&path, original).unwrap();

    // Query latency, in process, 50 runs each after a warm-up.
    for (label, q, grep) in [
        ("single word", "implementering", "implementering"),
        (
            "phrase",
            "\"sygeplejersker og læger\"",
            "sygeplejersker og læger",
        ),
        ("proximity", "\"tager fejl\"~3", "tager"),
        ("compound wildcard", "*teknologi", "teknologi"),
        (
            "boolean + filter",
            "(oplæring OR undervisning) AND NOT profession:læge",
            "oplæring",
        ),
    ] {
        let query = spor_query::parse(q).unwrap();
        let filters = Filters {
            roles: vec!["participant".into()],
            attrs: vec![],
        };
        let hits = index.search(&query, &filters, Some(20)).unwrap();
        let mut times = Vec::new();
        for _ in 0..50 {
            let t = Instant::now();
            let h = index.search(&query, &filters, Some(20)).unwrap();
            times.push(t.elapsed());
            assert_eq!(h.len(), hits.len());
        }
        times.sort();
        // Baseline: grep -ci over the same files.
        let t = Instant::now();
        let out = std::process::Command::new("grep")
            .arg("-ci")
            .arg(grep)
            .args(&files)
            .output()
            .expect("grep runs");
        let g = t.elapsed();
        let _ = out;
        let med = percentile(&times, 0.5);
        println!(
            "| query, {label} `{q}` ({} hits shown) | median {:.1} ms, p99 {:.1} ms | | grep -ci {:.1} ms | {:.3}x |",
            hits.len(),
            med.as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3,
            g.as_secs_f64() * 1e3,
            med.as_secs_f64() / g.as_secs_f64()
        );
    }
}
