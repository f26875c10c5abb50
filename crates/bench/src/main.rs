//! `spor-bench` generates large Danish studies and times spor's stages on
//! them, each next to a baseline measured in the same run. Not a user
//! command: run it through `scripts/bench`.
//!
//! ```text
//! cargo run --release -p spor-bench -- generate --mb 100 --out /tmp/spor-bench-100
//! cargo run --release -p spor-bench -- read --study /tmp/spor-bench-100
//! cargo run --release -p spor-bench -- serve --spor target/release/spor
//! ```

mod coders;
mod generate;
mod phrases;
mod serve;

// the allocator the spor binary uses, so that in-process figures match it
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use spor_corpus::{Corpus, Study};
use spor_index::{Filters, SegmentIndex};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn usage() -> ! {
    eprintln!(
        "usage: spor-bench generate --mb N --out DIR [--example DIR] [--ddt FILE]...
       spor-bench read --study DIR        (seconds: read bytes, read and segment)
       spor-bench tantivy --study DIR [--threads N]  (seconds: tantivy alone, one default field)
       spor-bench phrases --study DIR     (phrase medians: spor's matcher vs tantivy's PhraseQuery)
       spor-bench query --study DIR       (query latency over DIR/.spor/index)
       spor-bench rules --study DIR       (seconds: every codebook rule as a bare query over DIR/.spor/index; hits)
       spor-bench serve --spor BIN [--example DIR]  (the coding workbench's latencies)
       spor-bench coders --study DIR --share F  (coder B1 reviews the rules' suggestions in a share of the documents)"
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
    let study = || PathBuf::from(arg(&args, "--study").unwrap_or_else(|| usage()));
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
        Some("read") => bench_read(&study()),
        Some("tantivy") => bench_tantivy(
            &study(),
            arg(&args, "--threads").and_then(|s| s.parse().ok()),
        ),
        Some("phrases") => phrases::bench_phrases(&study()),
        Some("query") => bench_query(&study()),
        Some("rules") => bench_rules(&study()),
        Some("serve") => serve::bench_serve(
            Path::new(&arg(&args, "--spor").unwrap_or_else(|| usage())),
            Path::new(&arg(&args, "--example").unwrap_or_else(|| "examples/sundtek".to_owned())),
        ),
        Some("coders") => {
            let share: f64 = arg(&args, "--share")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0.1);
            let (docs, acc, rej) = coders::write(&study(), share);
            println!("{docs} {acc} {rej}");
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

fn files(study: &Study) -> Vec<PathBuf> {
    study
        .documents
        .iter()
        .map(|d| study.path(&d.file))
        .collect()
}

/// Prints `MB documents segments read_bytes_s read_and_segment_s`.
fn bench_read(root: &Path) {
    let study = Study::open(root).expect("study opens");
    let files = files(&study);
    let read_all = || -> u64 {
        files
            .iter()
            .map(|f| std::fs::read(f).unwrap().len() as u64)
            .sum()
    };
    read_all(); // warm the page cache
    let t = Instant::now();
    let total = read_all();
    let read_bytes = t.elapsed();
    let t = Instant::now();
    let corpus = Corpus::read(&study);
    let read = t.elapsed();
    assert!(!corpus.has_errors(), "generated study has errors");
    println!(
        "{:.1} {} {} {:.3} {:.3}",
        total as f64 / 1e6,
        files.len(),
        corpus.segments().count(),
        secs(read_bytes),
        secs(read)
    );
}

/// Baseline for indexing: tantivy alone, one text field with its default
/// tokenizer, the same threads and memory budget as spor, over the same
/// turns. Prints the seconds of indexing (reading not included).
fn bench_tantivy(root: &Path, threads: Option<usize>) {
    let study = Study::open(root).expect("study opens");
    let corpus = Corpus::read(&study);
    let threads = threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let dir = std::env::temp_dir().join(format!("spor-bench-tantivy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let t = Instant::now();
    {
        use tantivy::schema::{Schema, TEXT};
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let plain = tantivy::Index::create_in_dir(&dir, b.build()).unwrap();
        let mut w: tantivy::IndexWriter = plain
            .writer_with_num_threads(
                threads,
                spor_index::index::WRITER_MEMORY_PER_THREAD * threads,
            )
            .unwrap();
        for s in corpus.segments() {
            let mut d = tantivy::TantivyDocument::default();
            d.add_text(body, &s.text);
            w.add_document(d).unwrap();
        }
        w.commit().unwrap();
        w.wait_merging_threads().unwrap();
    }
    println!("{:.3}", secs(t.elapsed()));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Query latency over the study's index (built by `spor index`), 100 runs
/// each after a warm-up, next to `grep -ci` over the same files. Prints
/// one Markdown table row per query.
fn bench_query(root: &Path) {
    let study = Study::open(root).expect("study opens");
    let files = files(&study);
    let index = SegmentIndex::open(&root.join(".spor/index")).unwrap();
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
        for _ in 0..100 {
            let t = Instant::now();
            let h = index.search(&query, &filters, Some(20)).unwrap();
            times.push(t.elapsed());
            assert_eq!(h.len(), hits.len());
        }
        times.sort();
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
            "| query, {label} `{q}` (top 20) | median {:.1} ms, p99 {:.1} ms | | | grep -ci {:.0} ms | {:.3}x |",
            med.as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3,
            g.as_secs_f64() * 1e3,
            med.as_secs_f64() / g.as_secs_f64()
        );
    }
}

/// Every rule of the study's codebooks as a query over its index (built by
/// `spor index`), with the rule's roles and scope as filters, in parallel
/// as `spor code` runs them: the search alone, hits found and their
/// segment ids looked up, but no words matched, nothing merged or written.
/// The baseline of `spor code`'s rules step. Prints the seconds and the
/// number of hits.
fn bench_rules(root: &Path) {
    use rayon::prelude::*;
    let study = Study::open(root).expect("study opens");
    let books = spor_codebook::CodebookSet::read(&study.codebook_paths()).expect("codebooks read");
    let rules: Vec<&spor_codebook::Rule> = books.codes().flat_map(|(_, c)| &c.rules).collect();
    let index = SegmentIndex::open(&root.join(".spor/index")).unwrap();
    let t = Instant::now();
    let hits: usize = rules
        .par_iter()
        .map(|r| {
            let filters = Filters {
                roles: r.roles.clone(),
                attrs: r
                    .scope
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            };
            index.search(&r.query, &filters, None).unwrap().len()
        })
        .sum();
    println!("{:.3} {hits}", secs(t.elapsed()));
}
