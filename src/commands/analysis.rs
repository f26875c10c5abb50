//! `spor matrix`, `spor trace` and `spor export translation`: figures from
//! spor-analysis, rendered by spor-export.

use super::code::code_study;
use crate::Outcome;
use crate::args::{
    Cli, MatrixArgs, TableFormat, TraceArgs, TraceFormat, TranslationArgs, TranslationFormat,
};
use anyhow::{Result, bail};
use spor_export::table::{Align, Table};
use std::path::PathBuf;

pub use spor_pipeline::code::Analysed;
pub use spor_pipeline::open::load_curriculum;

/// [`code_study`], then read the curriculum.
pub fn analyse(cli: &Cli, policy: Option<&str>) -> Result<Analysed> {
    let coded = code_study(cli, policy)?;
    let curriculum = load_curriculum(&coded.study)?;
    Ok(Analysed { coded, curriculum })
}

/// Write bytes to a file (atomically) or stdout.
pub fn emit(output: Option<&PathBuf>, bytes: &[u8]) -> Result<()> {
    match output {
        Some(p) => spor_corpus::fsutil::write_atomic(p, bytes)?,
        None => crate::output::bytes(bytes),
    }
    Ok(())
}

fn render_grid(header: &[String], rows: &[Vec<String>]) -> String {
    let cols: Vec<(&str, Align)> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), if i == 0 { Align::Left } else { Align::Right }))
        .collect();
    let mut t = Table::new(&cols);
    for r in rows {
        t.row(r.clone());
    }
    t.render()
}

pub fn matrix(cli: &Cli, a: &MatrixArgs) -> Result<Outcome> {
    let format = if a.json { TableFormat::Json } else { a.format };
    let an = analyse(cli, a.policy.as_deref())?;
    let ev = an.evidence();
    let dialect = super::csv_dialect(cli, &an.coded.study)?;
    if let Some(cb) = &a.codebook
        && !an.coded.books.books.iter().any(|b| &b.id == cb)
    {
        bail!("unknown codebook {cb:?}");
    }
    if let Some(coder) = &a.coder {
        let known = spor_coding::coders::coder_names(&an.coded.study);
        if !known.contains(coder) {
            bail!(
                "--coder: no coder {coder:?} (codings/{coder}.csv does not exist; coders: {})",
                known.join(", ")
            );
        }
    }
    let o = spor_analysis::matrix::Options {
        by: a.by.clone(),
        codebook: a.codebook.clone(),
        coder: a.coder.clone(),
        min_cell: a.min_cell,
    };
    let bytes = if a.cooccurrence {
        let c = spor_analysis::matrix::cooccurrence(&ev, &o);
        match format {
            TableFormat::Json => spor_export::matrix::cooccurrence_json(&c),
            TableFormat::Csv => dialect.apply(spor_export::matrix::cooccurrence_csv(&c)),
            TableFormat::Md => spor_export::matrix::cooccurrence_markdown(&c).into_bytes(),
            TableFormat::Table => {
                let (h, rows) = spor_export::matrix::cooccurrence_grid(&c);
                format!("{}\ncounted: {}\n", render_grid(&h, &rows), c.counted).into_bytes()
            }
        }
    } else {
        let m = spor_analysis::matrix::matrix(&ev, &o)?;
        match format {
            TableFormat::Json => spor_export::matrix::json(&m),
            TableFormat::Csv => dialect.apply(spor_export::matrix::csv(&m)),
            TableFormat::Md => spor_export::matrix::markdown(&m, a.normalize).into_bytes(),
            TableFormat::Table => {
                let (h, rows) = spor_export::matrix::grid(&m, a.normalize);
                let mut s = render_grid(&h, &rows);
                s.push_str(&format!(
                    "\ncells: {}; counted: {}",
                    if a.normalize {
                        "share of the group's participant turns · per 1,000 words"
                    } else {
                        "coded participant turns (distinct participants)"
                    },
                    m.counted
                ));
                if m.min_cell > 0 {
                    s.push_str(&format!(
                        "; {} cell(s) on fewer than {} participants hidden (·)",
                        m.suppressed, m.min_cell
                    ));
                }
                s.push('\n');
                s.into_bytes()
            }
        }
    };
    emit(a.output.as_ref(), &bytes)?;
    Ok(Outcome::Ok)
}

pub fn trace(cli: &Cli, a: &TraceArgs) -> Result<Outcome> {
    let an = analyse(cli, None)?;
    let ev = an.evidence();
    let json = a.json || a.format == TraceFormat::Json;
    // an element's Markdown trace holds only the quoted turns
    let quoted_only = !json && a.code.is_none();
    let t = match (&a.id, &a.code) {
        (_, Some(code)) => spor_analysis::trace::trace_code(&ev, code)?,
        (Some(id), None) => {
            if an.curriculum.is_none() {
                bail!("the study has no curriculum (spor.toml: [study] curriculum)");
            }
            if json {
                spor_analysis::trace::trace_element(&ev, id)?
            } else {
                // Markdown quotes the first turns of each code and cites
                // the others straight from the evidence
                spor_analysis::trace::trace_element_quoted(
                    &ev,
                    id,
                    spor_export::trace::QUOTED_PER_CODE,
                )?
            }
        }
        (None, None) => unreachable!("clap requires one"),
    };
    let bytes = if json {
        spor_export::trace::json(&t)
    } else if quoted_only {
        spor_export::trace::markdown_cited(&t, &an.coded.study.manifest.study.name, &ev)
            .into_bytes()
    } else {
        spor_export::trace::markdown(&t, &an.coded.study.manifest.study.name).into_bytes()
    };
    emit(a.output.as_ref(), &bytes)?;
    Ok(Outcome::Ok)
}

pub fn translation(cli: &Cli, a: &TranslationArgs) -> Result<Outcome> {
    let format = if a.json {
        TranslationFormat::Json
    } else {
        a.format
    };
    let an = analyse(cli, None)?;
    let min_cell = match a.min_cell {
        Some(k) => k,
        None => spor_pipeline::open::min_cell(None, &an.coded.study),
    };
    let ev = an.evidence().with_min_cell(min_cell);
    let rows = spor_analysis::translation::table(&ev);
    let name = &an.coded.study.manifest.study.name;
    let dialect = super::csv_dialect(cli, &an.coded.study)?;
    let bytes = match format {
        TranslationFormat::Md => spor_export::translation::markdown(&rows, name).into_bytes(),
        TranslationFormat::Csv => dialect.apply(spor_export::translation::csv(&rows)),
        TranslationFormat::Json => spor_export::translation::json(&rows),
        TranslationFormat::Xlsx => {
            use std::io::IsTerminal;
            if a.output.is_none() && std::io::stdout().is_terminal() {
                bail!("xlsx is binary: give a file with -o translation.xlsx");
            }
            let m = spor_analysis::matrix::matrix(
                &ev,
                &spor_analysis::matrix::Options {
                    by: "profession".into(),
                    min_cell,
                    ..Default::default()
                },
            )?;
            spor_export::translation::xlsx(&rows, &m, name)?
        }
    };
    emit(a.output.as_ref(), &bytes)?;
    Ok(Outcome::Ok)
}

pub fn qdpx(cli: &Cli, a: &crate::args::FileArg) -> Result<Outcome> {
    let c = code_study(cli, None)?;
    let bytes = spor_export::qdpx::qdpx(&c.study, &c.corpus, &c.books, &c.codings)?;
    spor_corpus::fsutil::write_atomic(&a.output, &bytes)?;
    if !cli.quiet {
        eprintln!("wrote {} ({} KB)", a.output.display(), bytes.len() / 1024);
    }
    Ok(Outcome::Ok)
}

pub fn qdc(cli: &Cli, a: &crate::args::FileArg) -> Result<Outcome> {
    let study = super::open_study(cli)?;
    let books = super::code::load_codebooks(&study)?;
    spor_corpus::fsutil::write_atomic(&a.output, spor_export::qdpx::qdc(&books).as_bytes())?;
    Ok(Outcome::Ok)
}
