//! `spor run`: the whole pipeline into out/, written to a temporary folder
//! and swapped in only when every step succeeded.

use super::analysis::analyse;
use crate::Outcome;
use crate::args::{Cli, RunArgs};
use anyhow::{Context, Result};
use spor_analysis::manifest::{self, FileHash, Manifest};
use std::path::{Path, PathBuf};

struct Out {
    dir: PathBuf,
    written: Vec<String>,
}

impl Out {
    fn put(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        spor_corpus::fsutil::write_atomic(&self.dir.join(name), bytes)?;
        self.written.push(name.to_owned());
        Ok(())
    }
}

/// Move the steps bar to step `n` (1-based) of the outputs.
fn step(pb: &indicatif::ProgressBar, n: u64, what: &str) {
    pb.set_position(n - 1);
    pb.set_message(what.to_owned());
}

pub fn run(cli: &Cli, a: &RunArgs) -> Result<Outcome> {
    // The inputs as they are before anything is read: if one changes while
    // the run reads it, the hashes at the end differ and the run stops, so
    // outputs never mix old and new text.
    let before = {
        let study = super::open_study(cli)?;
        manifest::hash_files(&study.root, &manifest::input_files(&study))
    };
    // reading, indexing and coding show their own bars
    let an = analyse(cli, None)?;
    let pb = crate::progress::steps(cli, 6);
    let study = &an.coded.study;
    let lang = super::report::language(study, a.lang.as_deref())?;
    let min_cell = match a.min_cell {
        Some(k) => k,
        None => privacy_min_cell(study)?,
    };
    let root = study.root.clone();
    let dialect = super::csv_dialect(cli, study)?;
    recover_leftovers(&root)?;
    let tmp = root.join(format!(".out.tmp-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)?;
    }
    let result = (|| -> Result<(super::audit::Audit, usize)> {
        let mut out = Out {
            dir: tmp.clone(),
            written: Vec::new(),
        };
        let ev = an.evidence().with_min_cell(min_cell);
        out.put(
            "codings.csv",
            &dialect.apply(spor_coding::write_codings_csv(
                &an.coded.codings,
                &an.coded.corpus,
            )),
        )?;
        step(&pb, 1, "matrices");
        let o = spor_analysis::matrix::Options {
            by: "profession".into(),
            min_cell,
            ..Default::default()
        };
        let m = spor_analysis::matrix::matrix(&ev, &o)?;
        out.put(
            "matrix-profession.csv",
            &dialect.apply(spor_export::matrix::csv(&m)),
        )?;
        out.put("matrix-profession.json", &spor_export::matrix::json(&m))?;
        out.put(
            "matrix-profession.md",
            spor_export::matrix::markdown(&m, true).as_bytes(),
        )?;
        let c = spor_analysis::matrix::cooccurrence(&ev, &o);
        out.put(
            "cooccurrence.csv",
            &dialect.apply(spor_export::matrix::cooccurrence_csv(&c)),
        )?;
        out.put(
            "cooccurrence.json",
            &spor_export::matrix::cooccurrence_json(&c),
        )?;
        out.put(
            "cooccurrence.md",
            spor_export::matrix::cooccurrence_markdown(&c).as_bytes(),
        )?;
        step(&pb, 2, "translation table");
        let rows = spor_analysis::translation::table(&ev);
        let name = &study.manifest.study.name;
        out.put(
            "translation.md",
            spor_export::translation::markdown(&rows, name).as_bytes(),
        )?;
        out.put(
            "translation.csv",
            &dialect.apply(spor_export::translation::csv(&rows)),
        )?;
        out.put("translation.json", &spor_export::translation::json(&rows))?;
        out.put(
            "translation.xlsx",
            &spor_export::translation::xlsx(&rows, &m, name)?,
        )?;
        step(&pb, 3, "trace dossiers");
        let mut traces = 0;
        if let Some(cur) = &an.curriculum {
            for e in cur.elements() {
                let t = spor_analysis::trace::trace_element(&ev, &e.id)?;
                out.put(
                    &format!("trace/{}.md", e.id),
                    spor_export::trace::markdown(&t, name).as_bytes(),
                )?;
                traces += 1;
            }
        }
        // agreement when two or more coders exist, and saturation
        let coders = spor_coding::coders::coder_names(study);
        if coders.len() >= 2 {
            let r = super::agree::compute(&an.coded, &coders)?;
            out.put("agreement.json", &spor_export::json(&r))?;
            out.put("agreement.md", super::agree::markdown(&r, true).as_bytes())?;
        }
        let sat_args = super::agree::default_saturation();
        let sat = super::agree::compute_saturation(&an.coded, &sat_args)?;
        out.put("saturation.json", &spor_export::json(&sat))?;
        out.put(
            "saturation.txt",
            super::agree::saturation_text(&sat).as_bytes(),
        )?;
        out.put(
            "saturation.svg",
            spor_export::saturation::svg(&sat, "Code saturation")
                .map_err(|e| anyhow::anyhow!("plotting: {e}"))?
                .as_bytes(),
        )?;
        step(&pb, 4, "audit");
        let audit = super::audit::evidence(&an, &ev)?;
        out.put("audit.json", &spor_export::json(&audit))?;
        out.put("audit.md", super::audit::report(&audit, &an).as_bytes())?;
        out.put(
            "report.html",
            spor_export::report::render(&super::report::data(&an, &ev, min_cell, lang)?)?
                .as_bytes(),
        )?;
        step(&pb, 5, "manifest");
        let inputs = manifest::hash_files(&root, &manifest::input_files(study));
        if inputs != before {
            let changed: Vec<&str> = inputs
                .iter()
                .filter(|f| !before.contains(f))
                .map(|f| f.path.as_str())
                .chain(
                    before
                        .iter()
                        .filter(|f| !inputs.iter().any(|g| g.path == f.path))
                        .map(|f| f.path.as_str()),
                )
                .collect();
            anyhow::bail!(
                "input(s) changed while spor run read them: {}; run it again",
                changed.join(", ")
            );
        }
        let outputs: Vec<FileHash> = manifest::hash_files(&tmp, &out.written)
            .into_iter()
            .map(|f| FileHash {
                path: format!("out/{}", f.path),
                ..f
            })
            .collect();
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
        out.put("manifest.json", &spor_export::json(&man))?;
        Ok((audit, traces))
    })();
    let (audit, traces) = match result {
        Ok(r) => r,
        Err(e) => {
            pb.finish_and_clear();
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e.context("spor run stopped; the previous out/ is unchanged"));
        }
    };
    step(&pb, 6, "swap into out/");
    swap(&tmp, &root.join("out")).context("could not move the new outputs into out/")?;
    pb.finish_and_clear();
    // the turns of this run, for the audit to say what changed since
    let state = spor_analysis::changes::RunState::of(&an.coded.corpus, &an.coded.codings);
    if let Err(e) = state.save(&root) {
        eprintln!(
            "warning: {}: could not be written: {e}",
            spor_analysis::changes::LAST_RUN_FILE
        );
    }
    let counted = an.coded.codings.counted().len();
    println!(
        "spor run: {} documents, {} segments, {} codings ({} counted under {}), {} trace dossier(s)",
        an.coded.corpus.documents.len(),
        an.coded.corpus.segments().count(),
        an.coded.codings.rows.len(),
        counted,
        an.coded.codings.policy.as_str(),
        traces
    );
    println!(
        "wrote out/: codings.csv, matrix-profession.*, cooccurrence.*, translation.{{md,csv,json,xlsx}}, trace/, agreement.* (two or more coders), saturation.*, audit.*, report.html, manifest.json"
    );
    if audit.ok {
        println!("audit passed");
        Ok(Outcome::Ok)
    } else {
        println!(
            "audit found {} problem(s); see out/audit.md or run `spor audit`",
            audit.violations.len()
        );
        Ok(Outcome::Problems)
    }
}

/// `[privacy] min_cell` in spor.toml (default 0).
pub fn privacy_min_cell(study: &spor_corpus::Study) -> Result<usize> {
    Ok(study.manifest.privacy.min_cell.unwrap_or(0))
}

/// Replace `out` by `new`: the old folder is moved aside first and removed
/// only after the new one is in place.
fn swap(new: &Path, out: &Path) -> Result<()> {
    let old = out.with_file_name(format!(".out.old-{}", std::process::id()));
    let had = out.exists();
    if had {
        std::fs::rename(out, &old)?;
    }
    if let Err(e) = std::fs::rename(new, out) {
        if had {
            let _ = std::fs::rename(&old, out);
        }
        return Err(e.into());
    }
    if had {
        // the new out/ is in place: a failure to remove the old one is no
        // failure of the run (the next run removes it)
        if let Err(e) = std::fs::remove_dir_all(&old) {
            eprintln!(
                "warning: could not remove the previous outputs {}: {e}",
                old.display()
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
    let out = root.join("out");
    let mut leftovers: Vec<PathBuf> = std::fs::read_dir(root)?
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
        std::fs::rename(old, &out)
            .with_context(|| format!("could not restore {} to out/", old.display()))?;
    }
    for p in leftovers.iter().filter(|p| p.exists()) {
        std::fs::remove_dir_all(p)
            .with_context(|| format!("could not remove the leftover {}", p.display()))?;
    }
    Ok(())
}
