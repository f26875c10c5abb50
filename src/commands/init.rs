//! `spor init`: an empty study with commented templates of every file.

use crate::Outcome;
use crate::args::{Cli, InitArgs};
use anyhow::{Result, bail};
use spor_corpus::fsutil::write_atomic;

const FILES: [(&str, &str); 6] = [
    (
        "codebooks/koder.toml",
        include_str!("../templates/koder.toml"),
    ),
    ("spor.toml", include_str!("../templates/spor.toml")),
    ("documents.csv", include_str!("../templates/documents.csv")),
    (
        "participants.csv",
        include_str!("../templates/participants.csv"),
    ),
    (
        "transcripts/int-01.txt",
        include_str!("../templates/int-01.txt"),
    ),
    (
        "curriculum.toml",
        include_str!("../templates/curriculum.toml"),
    ),
];

pub fn run(cli: &Cli, a: &InitArgs) -> Result<Outcome> {
    let dir = a.dir.clone().unwrap_or_else(|| ".".into());
    for (name, _) in FILES {
        if dir.join(name).exists() {
            bail!(
                "{} already exists; spor init never overwrites files",
                dir.join(name).display()
            );
        }
    }
    for (name, text) in FILES {
        write_atomic(&dir.join(name), text.as_bytes())?;
    }
    for sub in ["codings", "codebooks"] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    if !cli.quiet {
        eprintln!(
            "created a study in {}: edit spor.toml, documents.csv and participants.csv, put transcripts in transcripts/, then run `spor check`; code at once with `spor code add int-01#2 arbejdsgange --coder NAME`",
            dir.display()
        );
    }
    Ok(Outcome::Ok)
}
