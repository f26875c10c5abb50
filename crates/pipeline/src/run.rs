//! `spor run` as a library call: the whole pipeline into out/, written to
//! a temporary folder and swapped in only when every step succeeded.

use crate::audit::Audit;
use crate::code::{Analysed, analyse};
use crate::error::{PipelineError, Result};
use crate::observe::{Level, Observer, timed};
use spor_analysis::manifest::{self, FileHash, Manifest};
use spor_corpus::Study;
use spor_corpus::fsutil::CsvDialect;
use spor_export::lang::Lang;
use std::path::{Path, PathBuf};

struct Out {
    dir: PathBuf,
    /// Every file written, with its hash (taken as it was written: the
    /// manifest never reads an output again).
    written: Vec<FileHash>,
}

impl Out {
    /// Write `name` as a stream (see `fsutil::write_atomic_hashed`).
    fn put_with(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let (sha256, bytes) =
            spor_corpus::fsutil::write_atomic_hashed(&self.dir.join(name), |w| fill(w))?;
        self.written.push(FileHash {
            path: format!("out/{name}"),
            sha256,
            bytes,
        });
        Ok(())
    }

    /// Another list of written files in the same folder.
    fn beside(&self) -> Out {
        Out {
            dir: self.dir.clone(),
            written: Vec::new(),
        }
    }

    fn put(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.put_with(name, |w| w.write_all(bytes))
    }
}

/// Steps after coding, for progress.
pub const STEPS: u64 = 5;

fn step(obs: &dyn Observer, n: u64, what: &str) {
    obs.step(n, STEPS, what);
}

/// How `spor run` writes its outputs.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// The report's language.
    pub lang: Lang,
    /// The smallest group shown (0: all).
    pub min_cell: usize,
    /// The CSV dialect.
    pub dialect: CsvDialect,
}

/// What a finished run produced.
pub struct RunOutcome {
    /// The analysed study.
    pub analysed: Analysed,
    /// The audit of the new outputs.
    pub audit: Audit,
    /// Trace dossiers written.
    pub traces: usize,
    /// The turn-state file could not be saved (the run itself succeeded).
    pub state_error: Option<String>,
}

/// Run the whole pipeline on `study` into its out/. Inputs are hashed
/// before anything is read and again at the end: if one changed while the
/// run read it, the run stops and out/ stays as it was. `options` is
/// resolved from the study by `resolve` when not given.
pub fn run(
    study: Study,
    options: impl FnOnce(&Study) -> Result<RunOptions>,
    obs: &dyn Observer,
) -> Result<RunOutcome> {
    let before = timed(obs, "hash inputs", || {
        manifest::hash_files(&study.root, &manifest::input_files(&study))
    });
    let an = analyse(study, None, obs)?;
    let study = &an.coded.study;
    let options = options(study)?;
    step(obs, 1, "codings");
    let root = study.root.clone();
    recover_leftovers(&root)?;
    let tmp = root.join(format!(".out.tmp-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| PipelineError::io(&tmp, e))?;
    }
    let mut out = Out {
        dir: tmp.clone(),
        written: Vec::new(),
    };
    let result = write_all(&mut out, &an, &options, &before, obs);
    let (audit, traces) = match result {
        Ok(r) => r,
        Err(e) => {
            obs.finish();
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(PipelineError::RunStopped(Box::new(e)));
        }
    };
    step(obs, 5, "swap into out/");
    swap(&tmp, &root.join("out"), obs).map_err(|e| PipelineError::io(root.join("out"), e))?;
    obs.finish();
    let state_error = timed(obs, "turn state", || {
        spor_analysis::changes::RunState::save_of(&an.coded.corpus, &an.coded.codings, &root)
            .err()
            .map(|e| e.to_string())
    });
    Ok(RunOutcome {
        analysed: an,
        audit,
        traces,
        state_error,
    })
}

/// Every output into `out.dir`, the manifest last.
fn write_all(
    out: &mut Out,
    an: &Analysed,
    o: &RunOptions,
    before: &[FileHash],
    obs: &dyn Observer,
) -> Result<(Audit, usize)> {
    let ev = an.evidence().with_min_cell(o.min_cell);
    step(obs, 2, "tables and trace dossiers");
    // The trace dossiers, the largest output, are written on one thread
    // while the tables are on another. Each keeps its own list of written
    // files, joined in a fixed order, so the manifest is the same whatever
    // the thread count (with one thread the two run one after the other).
    let mut dossiers = out.beside();
    let mut rigor = out.beside();
    let (tables, traces) = rayon::join(
        || -> Result<_> {
            timed(obs, "write codings.csv", || {
                out.put_with("codings.csv", |file| {
                    spor_coding::stream_codings_csv(
                        &an.coded.codings,
                        &an.coded.corpus,
                        o.dialect,
                        file,
                    )
                })
            })?;
            let (m, c) = timed(obs, "matrices", || write_matrices(out, &ev, o))?;
            let rows = timed(obs, "translation table", || {
                write_translation(out, an, &ev, &m, o)
            })?;
            let r = timed(obs, "agreement and saturation", || {
                write_rigor(&mut rigor, an)
            })?;
            Ok((m, c, rows, r))
        },
        || {
            timed(obs, "trace dossiers", || {
                write_traces(&mut dossiers, an, &ev)
            })
        },
    );
    let (m, c, rows, (agreement, saturation)) = tables?;
    let traces = traces?;
    out.written.extend(dossiers.written);
    out.written.extend(rigor.written);
    step(obs, 3, "audit");
    let audit = timed(obs, "audit", || -> Result<Audit> {
        let audit = crate::audit::evidence(an, &ev)?;
        out.put("audit.json", &spor_export::json(&audit))?;
        out.put("audit.md", crate::audit::report(&audit, an).as_bytes())?;
        Ok(audit)
    })?;
    timed(obs, "report", || -> Result<()> {
        // the tables, matrices, audit and input hashes written above, from
        // the same evidence and options
        let pre = crate::report::Precomputed {
            rows,
            matrix: m,
            cooccurrence: c,
            audit: audit.violations.clone(),
            inputs: before.to_vec(),
            agreement,
            saturation,
        };
        let data = crate::report::data_with(an, &ev, o.min_cell, o.lang, Some(pre))?;
        out.put(
            "report.html",
            spor_export::report::render(&data)?.as_bytes(),
        )
    })?;
    step(obs, 4, "manifest");
    timed(obs, "manifest", || write_manifest(out, an, before))?;
    Ok((audit, traces))
}

/// The matrix by profession and the co-occurrence, in every format.
fn write_matrices(
    out: &mut Out,
    ev: &spor_analysis::Evidence,
    o: &RunOptions,
) -> Result<(
    spor_analysis::matrix::Matrix,
    spor_analysis::matrix::Cooccurrence,
)> {
    let opts = spor_analysis::matrix::Options {
        by: "profession".into(),
        min_cell: o.min_cell,
        ..Default::default()
    };
    let m = spor_analysis::matrix::matrix(ev, &opts)?;
    out.put(
        "matrix-profession.csv",
        &o.dialect.apply(spor_export::matrix::csv(&m)),
    )?;
    out.put("matrix-profession.json", &spor_export::matrix::json(&m))?;
    out.put(
        "matrix-profession.md",
        spor_export::matrix::markdown(&m, true).as_bytes(),
    )?;
    let c = spor_analysis::matrix::cooccurrence(ev, &opts);
    out.put(
        "cooccurrence.csv",
        &o.dialect.apply(spor_export::matrix::cooccurrence_csv(&c)),
    )?;
    out.put(
        "cooccurrence.json",
        &spor_export::matrix::cooccurrence_json(&c),
    )?;
    out.put(
        "cooccurrence.md",
        spor_export::matrix::cooccurrence_markdown(&c).as_bytes(),
    )?;
    Ok((m, c))
}

/// The cue -> translation table in every format.
fn write_translation(
    out: &mut Out,
    an: &Analysed,
    ev: &spor_analysis::Evidence,
    m: &spor_analysis::matrix::Matrix,
    o: &RunOptions,
) -> Result<Vec<spor_analysis::translation::Row>> {
    let rows = spor_analysis::translation::table(ev);
    let name = &an.coded.study.manifest.study.name;
    out.put(
        "translation.md",
        spor_export::translation::markdown(&rows, name).as_bytes(),
    )?;
    out.put(
        "translation.csv",
        &o.dialect.apply(spor_export::translation::csv(&rows)),
    )?;
    out.put("translation.json", &spor_export::translation::json(&rows))?;
    out.put(
        "translation.xlsx",
        &spor_export::translation::xlsx(&rows, m, name)?,
    )?;
    Ok(rows)
}

/// One dossier per learning goal and format element; how many.
fn write_traces(out: &mut Out, an: &Analysed, ev: &spor_analysis::Evidence) -> Result<usize> {
    let name = &an.coded.study.manifest.study.name;
    let mut traces = 0;
    if let Some(cur) = &an.curriculum {
        for e in cur.elements() {
            // the turns past the quoted ones are cited straight from the
            // evidence, row by row
            let t = spor_analysis::trace::trace_element_quoted(
                ev,
                &e.id,
                spor_export::trace::QUOTED_PER_CODE,
            )?;
            out.put_with(&format!("trace/{}.md", e.id), |w| {
                spor_export::trace::write_markdown_cited(&t, name, ev, w)
            })?;
            traces += 1;
        }
    }
    Ok(traces)
}

/// The agreement (two or more coders) and the saturation, by default
/// settings.
type Rigor = (
    Option<spor_analysis::rigor::StudyAgreement>,
    Vec<spor_analysis::rigor::GroupSaturation>,
);

/// Agreement (when two or more coders exist) and saturation, written and
/// returned for the report.
fn write_rigor(out: &mut Out, an: &Analysed) -> Result<Rigor> {
    let agreement = crate::rigor::study_agreement(&an.coded)?;
    if let Some(r) = &agreement {
        out.put("agreement.json", &spor_export::json(r))?;
        out.put(
            "agreement.md",
            crate::rigor::agreement_markdown(r, true).as_bytes(),
        )?;
    }
    let sat = crate::rigor::saturation(&an.coded, &Default::default())?;
    out.put("saturation.json", &spor_export::json(&sat))?;
    out.put(
        "saturation.txt",
        crate::rigor::saturation_text(&sat).as_bytes(),
    )?;
    out.put(
        "saturation.svg",
        spor_export::saturation::svg(&sat, "Code saturation")
            .map_err(|e| PipelineError::usage(format!("plotting: {e}")))?
            .as_bytes(),
    )?;
    Ok((agreement, sat))
}

/// out/manifest.json: the inputs (which must be as they were before the
/// run read them) and every output written so far.
fn write_manifest(out: &mut Out, an: &Analysed, before: &[FileHash]) -> Result<()> {
    let study = &an.coded.study;
    let inputs = manifest::hash_files(&study.root, &manifest::input_files(study));
    if inputs != before {
        let changed: Vec<String> = inputs
            .iter()
            .filter(|f| !before.contains(f))
            .map(|f| f.path.clone())
            .chain(
                before
                    .iter()
                    .filter(|f| !inputs.iter().any(|g| g.path == f.path))
                    .map(|f| f.path.clone()),
            )
            .collect();
        return Err(PipelineError::InputsChanged { files: changed });
    }
    let outputs: Vec<FileHash> = out.written.clone();
    let man = Manifest {
        spor_version: env!("CARGO_PKG_VERSION").to_owned(),
        policy: an.coded.codings.policy.as_str().to_owned(),
        codebooks: manifest::codebook_versions(study, &an.coded.books),
        inputs,
        outputs,
        learned: an.coded.learned.as_ref().map(|l| manifest::LearnedModels {
            model_version: spor_learn::MODEL_VERSION,
            training_hash: l.training_hash.clone(),
            codes: l
                .reports
                .iter()
                .filter(|r| r.used)
                .map(|r| r.code.clone())
                .collect(),
        }),
    };
    out.put("manifest.json", &spor_export::json(&man))
}

/// Replace `out` by `new`: the old folder is moved aside first and removed
/// only after the new one is in place.
fn swap(new: &Path, out: &Path, obs: &dyn Observer) -> std::io::Result<()> {
    let old = out.with_file_name(format!(".out.old-{}", std::process::id()));
    let had = out.exists();
    if had {
        std::fs::rename(out, &old)?;
    }
    if let Err(e) = std::fs::rename(new, out) {
        if had {
            let _ = std::fs::rename(&old, out);
        }
        return Err(e);
    }
    if had {
        // the new out/ is in place: a failure to remove the old one is no
        // failure of the run (the next run removes it)
        if let Err(e) = std::fs::remove_dir_all(&old) {
            obs.message(
                Level::Warning,
                &format!(
                    "warning: could not remove the previous outputs {}: {e}",
                    old.display()
                ),
            );
        }
    }
    Ok(())
}

/// Clean up after a `spor run` that was killed (the study's lock guarantees
/// none is running): a killed swap may have moved `out/` aside as
/// `.out.old-PID` without putting the new one in place, so that is moved
/// back; every other `.out.tmp-*` and `.out.old-*` is removed.
fn recover_leftovers(root: &Path) -> Result<()> {
    let io = |p: &Path| {
        let p = p.to_owned();
        move |e| PipelineError::io(p, e)
    };
    let out = root.join("out");
    let mut leftovers: Vec<PathBuf> = std::fs::read_dir(root)
        .map_err(io(root))?
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with(".out.tmp-") || n.starts_with(".out.old-")
        })
        .map(|e| e.path())
        .collect();
    leftovers.sort();
    if !out.exists()
        && let Some(old) = leftovers.iter().find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".out.old-"))
        })
    {
        std::fs::rename(old, &out).map_err(io(old))?;
    }
    for p in leftovers.iter().filter(|p| p.exists()) {
        std::fs::remove_dir_all(p).map_err(io(p))?;
    }
    Ok(())
}
