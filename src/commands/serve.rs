//! `spor serve`: the coding workbench (the `spor-serve` crate does the
//! work; this resolves the coder and the address, and passes `--lang` on).

use crate::Outcome;
use crate::args::{Cli, ServeArgs};
use anyhow::{Context, Result, bail};
use std::net::{IpAddr, Ipv4Addr};

pub fn run(cli: &Cli, a: &ServeArgs) -> Result<Outcome> {
    let study = super::open_study_strict(cli)?;
    // --coder, else [serve] coder, else $SPOR_CODER
    let coder = a
        .coder
        .clone()
        .or_else(|| study.manifest.serve.coder.clone())
        .or_else(|| std::env::var("SPOR_CODER").ok().filter(|c| !c.is_empty()))
        .context("name the coder: --coder NAME, `[serve] coder` in spor.toml, or SPOR_CODER")?;
    let bind = a.bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let token = match &a.token_file {
        Some(f) => {
            let t = std::fs::read_to_string(f)
                .with_context(|| format!("{}: cannot read the token file", f.display()))?;
            let t = t.lines().next().unwrap_or("").trim().to_owned();
            if t.len() < 16 {
                bail!("{}: the token must be at least 16 characters", f.display());
            }
            Some(t)
        }
        None => None,
    };
    if !bind.is_loopback() {
        if token.is_none() {
            bail!("--bind {bind} is reachable from other machines: give --token-file FILE too");
        }
        eprintln!(
            "warning: serving on {bind}, reachable from other machines; anyone with the token can read the transcripts and write codings"
        );
    }
    let config = spor_serve::Config {
        root: study.root.clone(),
        coder,
        bind,
        port: a.port.unwrap_or(0),
        token,
        lang: a.lang.clone(),
    };
    let no_open = a.no_open;
    spor_serve::serve(config, |url| {
        println!("{url}");
        eprintln!("spor serve: open the address above; stop with Ctrl-C");
        if !no_open {
            open_browser(url);
        }
    })?;
    Ok(Outcome::Ok)
}

/// Ask the desktop to open the address (nothing happens where there is no
/// desktop).
fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(cmd)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
