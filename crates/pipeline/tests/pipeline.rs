//! The pipeline as a library, on temp copies of the example study: what
//! `spor run` writes, that it is deterministic whatever the thread count,
//! that a failed run leaves out/ as it was, and that the coding stage's
//! suggestion cache never changes a result.

use spor_pipeline::{Level, Observer, Silent, code, open, run};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "out" || name == ".spor" {
            continue;
        }
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(&name));
        } else {
            std::fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

/// A temp copy of examples/sundtek beside codebooks/, as in the repository.
fn sundtek() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("examples/sundtek");
    copy_dir(&repo().join("examples/sundtek"), &root);
    copy_dir(&repo().join("codebooks"), &dir.path().join("codebooks"));
    (dir, root)
}

fn options(study: &spor_corpus::Study) -> spor_pipeline::Result<run::RunOptions> {
    Ok(run::RunOptions {
        lang: spor_pipeline::report::language(study, None)?,
        min_cell: open::min_cell(None, study),
        dialect: open::csv_dialect(None, study)?,
    })
}

fn run_in_pool(root: &Path, threads: usize) -> run::RunOutcome {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let study = open::open_study(Some(root)).unwrap();
        run::run(study, options, &Silent).unwrap()
    })
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn run_writes_every_output_and_the_audit_passes() {
    let (_dir, root) = sundtek();
    let outcome = run_in_pool(&root, 2);
    assert!(outcome.audit.ok, "{:?}", outcome.audit.violations);
    assert!(outcome.traces > 0);
    let out = files(&root.join("out"));
    for name in [
        "codings.csv",
        "matrix-profession.csv",
        "translation.xlsx",
        "agreement.md",
        "saturation.svg",
        "audit.json",
        "report.html",
        "manifest.json",
    ] {
        assert!(
            out.contains_key(name),
            "out/{name} missing: {:?}",
            out.keys()
        );
    }
    assert_eq!(
        out.keys().filter(|k| k.starts_with("trace/")).count(),
        outcome.traces
    );
    // no leftovers of the swap
    let stray: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out."))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn outputs_are_byte_identical_whatever_the_thread_count() {
    let (_a, one) = sundtek();
    let (_b, four) = sundtek();
    run_in_pool(&one, 1);
    run_in_pool(&four, 4);
    let x = files(&one.join("out"));
    let y = files(&four.join("out"));
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    for (k, v) in &x {
        assert!(v == &y[k], "out/{k} differs between 1 and 4 threads");
    }
}

#[test]
fn a_failed_run_leaves_the_previous_outputs_intact() {
    let (dir, root) = sundtek();
    run_in_pool(&root, 2);
    let before = files(&root.join("out"));
    // break a codebook: the next run must fail and touch nothing
    let book = dir.path().join("codebooks/sundtek-cues.toml");
    let mut text = std::fs::read_to_string(&book).unwrap();
    text.push_str("\n[[codes]\n");
    std::fs::write(&book, text).unwrap();
    let study = open::open_study(Some(&root)).unwrap();
    let err = match run::run(study, options, &Silent) {
        Ok(_) => panic!("a broken codebook must stop the run"),
        Err(e) => e,
    };
    assert!(
        matches!(err, spor_pipeline::PipelineError::Codebook(_)),
        "{err}"
    );
    assert_eq!(files(&root.join("out")), before);
}

/// Collects what the pipeline reports.
#[derive(Default)]
struct Recorder {
    steps: Mutex<Vec<(u64, String)>>,
    messages: Mutex<Vec<(Level, String)>>,
}

impl Observer for Recorder {
    fn step(&self, n: u64, _of: u64, what: &str) {
        self.steps.lock().unwrap().push((n, what.to_owned()));
    }
    fn message(&self, level: Level, text: &str) {
        self.messages.lock().unwrap().push((level, text.to_owned()));
    }
}

#[test]
fn the_observer_hears_the_index_and_every_step() {
    let (_dir, root) = sundtek();
    let rec = Recorder::default();
    let study = open::open_study(Some(&root)).unwrap();
    run::run(study, options, &rec).unwrap();
    let steps: Vec<u64> = rec.steps.lock().unwrap().iter().map(|s| s.0).collect();
    assert_eq!(steps.first(), Some(&1));
    assert_eq!(steps.last(), Some(&run::STEPS));
    let messages = rec.messages.lock().unwrap();
    assert!(
        messages
            .iter()
            .any(|(l, t)| *l == Level::Note && t.starts_with("index: ")),
        "{messages:?}"
    );
}

#[test]
fn cached_and_uncached_coding_agree() {
    let (_dir, root) = sundtek();
    let first = code::code_study(open::open_study(Some(&root)).unwrap(), None, &Silent).unwrap();
    assert!(first.cache.rules_run > 0);
    let second = code::code_study(open::open_study(Some(&root)).unwrap(), None, &Silent).unwrap();
    assert_eq!(second.cache.rules_run, 0, "every rule from the cache");
    assert!(second.cache.rules_reused > 0);
    let csv = |c: &code::Coded| spor_coding::write_codings_csv(&c.codings, &c.corpus);
    assert_eq!(csv(&first), csv(&second));
    // and without any cache or index at all
    std::fs::remove_dir_all(root.join(".spor")).unwrap();
    let third = code::code_study(open::open_study(Some(&root)).unwrap(), None, &Silent).unwrap();
    assert!(third.cache.rules_run > 0);
    assert_eq!(csv(&first), csv(&third));
}

#[test]
fn an_unknown_policy_or_study_is_a_usage_error() {
    assert!(matches!(
        code::parse_policy("everything"),
        Err(spor_pipeline::PipelineError::Usage { .. })
    ));
    let dir = tempfile::tempdir().unwrap();
    let err = open::open_study(Some(&dir.path().join("nosuch"))).unwrap_err();
    assert!(err.to_string().contains("no such folder"), "{err}");
    let err = open::open_study(Some(dir.path())).unwrap_err();
    assert!(err.to_string().contains("holds no spor.toml"), "{err}");
}

/// A dossier quotes the first turns of each code and cites the others in a
/// table; `spor run` and `spor trace` build quotes only for the quoted
/// turns and cite the others straight from the evidence, and the Markdown
/// is byte for byte what the whole trace gives.
#[test]
fn dossiers_citing_from_the_evidence_equal_dossiers_from_full_quotes() {
    use spor_analysis::trace::{trace_element, trace_element_quoted};
    use spor_export::trace::{QUOTED_PER_CODE, markdown, markdown_cited, write_markdown_cited};
    let (_dir, root) = sundtek();
    // more technofix turns than a dossier quotes, and enough to cite that
    // the dossier is streamed in several pieces
    let file = root.join("transcripts/int-01.txt");
    let mut text = std::fs::read_to_string(&file).unwrap();
    for i in 0..QUOTED_PER_CODE + 1_000 {
        text.push_str(&format!(
            "Anæstesisygeplejerske: Systemet kører af sig selv, nummer {i}.\n"
        ));
    }
    std::fs::write(&file, text).unwrap();
    let study = open::open_study(Some(&root)).unwrap();
    let an = code::analyse(study, None, &Silent).unwrap();
    let ev = an.evidence();
    let (mut cited, mut pieces) = (0, 0);
    for e in an.curriculum.as_ref().unwrap().elements() {
        let full = trace_element(&ev, &e.id).unwrap();
        let light = trace_element_quoted(&ev, &e.id, QUOTED_PER_CODE).unwrap();
        for (c, f) in light.codes.iter().zip(&full.codes) {
            assert!(c.segments.len() <= QUOTED_PER_CODE, "{}", c.code);
            assert_eq!(c.total, f.segments.len(), "{}", c.code);
            cited += f.segments.len().saturating_sub(QUOTED_PER_CODE);
        }
        assert_eq!(light.sources, full.sources, "{}", e.id);
        assert_eq!(
            markdown(&full, "s"),
            markdown_cited(&light, "s", &ev),
            "{}",
            e.id
        );
        // streamed: the same bytes, written in pieces
        let mut streamed = Pieces::default();
        write_markdown_cited(&light, "s", &ev, &mut streamed).unwrap();
        assert_eq!(
            streamed.bytes,
            markdown(&full, "s").into_bytes(),
            "{}",
            e.id
        );
        pieces = pieces.max(streamed.writes);
    }
    assert!(cited > 0, "some code has more turns than a dossier quotes");
    assert!(pieces > 2, "some dossier is streamed in several pieces");
}

/// A writer that keeps what it is given and counts the writes.
#[derive(Default)]
struct Pieces {
    bytes: Vec<u8>,
    writes: usize,
}

impl std::io::Write for Pieces {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes.extend_from_slice(buf);
        self.writes += 1;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `spor run` hands the report the tables, matrices, audit and input
/// hashes it has already written; the page is byte for byte the one
/// `spor report` builds by working them all out itself, with a coder's
/// decisions and a `min_cell` that hides cells.
#[test]
fn the_report_of_a_run_equals_the_report_built_alone() {
    let (_dir, root) = sundtek();
    for min_cell in [0, 3] {
        let outcome = {
            let study = open::open_study(Some(&root)).unwrap();
            run::run(
                study,
                |s| {
                    Ok(run::RunOptions {
                        min_cell,
                        ..options(s)?
                    })
                },
                &Silent,
            )
            .unwrap()
        };
        let from_run = std::fs::read_to_string(root.join("out/report.html")).unwrap();
        let an = &outcome.analysed;
        let lang = spor_pipeline::report::language(&an.coded.study, None).unwrap();
        let ev = an.evidence().with_min_cell(min_cell);
        let alone = spor_export::report::render(
            &spor_pipeline::report::data(an, &ev, min_cell, lang).unwrap(),
        )
        .unwrap();
        assert_eq!(from_run, alone, "min_cell {min_cell}");
    }
}

/// `spor run` writes `.spor/last-run.json` streamed from borrowed ids; the
/// file is byte for byte what the whole `RunState` saves, with a coder's
/// decisions (a rejected suggestion does not count) in the codings.
#[test]
fn the_streamed_turn_state_is_the_state_saved_whole() {
    use spor_analysis::changes::{LAST_RUN_FILE, RunState};
    let (_dir, root) = sundtek();
    let out = run_in_pool(&root, 2);
    let streamed = std::fs::read(root.join(LAST_RUN_FILE)).unwrap();
    let coded = &out.analysed.coded;
    assert!(
        coded
            .codings
            .rows
            .iter()
            .any(|r| !r.counts(coded.codings.policy))
    );
    RunState::of(&coded.corpus, &coded.codings)
        .save(&root)
        .unwrap();
    let whole = std::fs::read(root.join(LAST_RUN_FILE)).unwrap();
    assert!(whole.len() > 1000);
    assert_eq!(String::from_utf8(streamed), String::from_utf8(whole));
}

/// The evidence finds each (segment, code)'s rows by the turn's place in
/// the corpus; on the example's codings, shuffled (so that a turn's codes
/// are not grouped) and with a row on a segment the corpus does not have,
/// it gives every pair exactly the rows, in row order, and the support a
/// plain filter over all rows gives.
#[test]
fn the_evidence_finds_every_pairs_rows_in_any_row_order() {
    use spor_coding::{Codings, Status, Support};
    let (_dir, root) = sundtek();
    let study = open::open_study(Some(&root)).unwrap();
    let an = code::analyse(study, None, &Silent).unwrap();
    let mut codings = an.coded.codings.clone();
    let mut orphan = codings.rows[0].clone();
    orphan.segment = "gone#7".into();
    orphan.status = Status::Accepted;
    codings.rows.push(orphan);
    // a pair's second row after every pair's first, so that a turn with
    // two rows of one code and a row of another holds them as A, B, A
    let mut nth: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut keyed: Vec<(usize, usize, spor_coding::Coding)> = codings
        .rows
        .drain(..)
        .enumerate()
        .map(|(i, r)| {
            let k = nth
                .entry((r.segment.to_string(), r.code.to_string()))
                .or_default();
            *k += 1;
            (*k, i, r)
        })
        .collect();
    keyed.sort_by_key(|(k, i, _)| (*k, *i));
    codings.rows = keyed.into_iter().map(|(_, _, r)| r).collect();
    let interleaved = codings.rows.iter().enumerate().any(|(i, r)| {
        codings.rows[i + 1..].iter().any(|later| {
            later.segment == r.segment
                && later.code == r.code
                && codings.rows[i + 1..]
                    .iter()
                    .take_while(|x| !std::ptr::eq(*x, later))
                    .any(|x| x.segment == r.segment && x.code != r.code)
        })
    });
    assert!(interleaved, "some turn holds its rows as A, B, A");
    let ev = spor_analysis::Evidence::new(
        &an.coded.corpus,
        &an.coded.books,
        an.curriculum.as_ref(),
        &codings,
        &an.coded.study.private,
    );
    let pairs: std::collections::BTreeSet<(&str, &str)> = codings
        .rows
        .iter()
        .map(|r| (r.segment.as_str(), r.code.as_str()))
        .collect();
    let (mut mixed, mut checked) = (0, 0);
    for &(seg, code) in &pairs {
        let want: Vec<_> = codings
            .rows
            .iter()
            .filter(|r| r.segment.as_str() == seg && r.code.as_str() == code)
            .collect();
        let got = ev.rows_of(seg, code);
        assert_eq!(got.len(), want.len(), "{seg} {code}");
        assert!(got.iter().zip(&want).all(|(g, w)| std::ptr::eq(*g, *w)));
        let support = Codings::support_of(want.iter().copied(), codings.policy);
        let reviewed = support != Some(Support::Unreviewed);
        assert_eq!(ev.reviewed(seg, code), reviewed);
        // by the turn's place (flags kept per row), and for a copy of the
        // turn (found by its id)
        if let Some(turn) = an.coded.corpus.segment(seg) {
            assert_eq!(ev.reviewed_at(turn, code), reviewed, "{seg} {code}");
            assert_eq!(
                ev.reviewed_at(&turn.clone(), code),
                reviewed,
                "{seg} {code}"
            );
            for got in [ev.rows_at(turn, code), ev.rows_at(&turn.clone(), code)] {
                assert_eq!(got.len(), want.len(), "{seg} {code}");
                assert!(got.iter().zip(&want).all(|(g, w)| std::ptr::eq(*g, *w)));
            }
            checked += 1;
        }
        mixed += usize::from(want.len() > 1);
    }
    assert!(mixed > 0, "some pair has more than one row");
    assert!(checked > 0, "some pair is on a turn of the corpus");
    // a code no row has is reviewed: nothing counts
    let turn = an.coded.corpus.segments().next().unwrap();
    assert!(ev.reviewed_at(turn, "no-such-code"));
    assert_eq!(
        ev.rows_of(
            "gone#7",
            &codings
                .rows
                .iter()
                .find(|r| r.segment.as_str() == "gone#7")
                .unwrap()
                .code
        )
        .len(),
        1
    );
    let counted = ev.supports().count();
    assert_eq!(
        counted,
        pairs
            .iter()
            .filter(|(s, c)| ev.rows_of(s, c).iter().any(|r| r.counts(codings.policy)))
            .count()
    );
}

/// A turn's attribute as a grouping key, borrowed where it is text, is the
/// attribute's value, for every turn and attribute of the example study.
#[test]
fn attribute_keys_are_the_attributes() {
    let (_dir, root) = sundtek();
    let study = open::open_study(Some(&root)).unwrap();
    let corpus = spor_corpus::Corpus::read(&study);
    let names = open::known_attributes(&study);
    assert!(names.len() > 4, "{names:?}");
    let mut numbers = 0;
    for s in corpus.segments() {
        for n in &names {
            let key = s.attribute_key(n);
            numbers += usize::from(matches!(key, Some(std::borrow::Cow::Owned(_))));
            assert_eq!(key.map(|k| k.into_owned()), s.attribute(n), "{n}");
        }
        assert_eq!(s.attribute_key("no such"), None);
    }
    assert!(numbers > 0, "some attribute is a number");
}
