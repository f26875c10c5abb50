//! `spor serve` from the command line: the coder is required, a public
//! address needs a token file, and the server prints a loopback address
//! with a token and answers only with it.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

#[test]
fn serve_needs_a_coder_and_a_token_file_for_a_public_address() {
    let s = sundtek();
    let (code, _, err) = run({
        let mut c = spor(s.path());
        c.args(["serve", "--no-open"]).env_remove("SPOR_CODER");
        c
    });
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--coder"), "{err}");
    let (code, _, err) = run({
        let mut c = spor(s.path());
        c.args(["serve", "--coder", "MH", "--bind", "0.0.0.0", "--no-open"]);
        c
    });
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--token-file"), "{err}");
    // [serve] coder with a typo is named
    edit(
        s.path(),
        "spor.toml",
        "[study]",
        "[serve]\ncodr = \"MH\"\n\n[study]",
    );
    let (code, _, err) = run({
        let mut c = spor(s.path());
        c.args(["serve", "--no-open"]);
        c
    });
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("codr"), "{err}");
}

#[test]
fn serve_prints_a_loopback_address_and_refuses_requests_without_its_token() {
    let s = sundtek();
    edit(
        s.path(),
        "spor.toml",
        "[study]",
        "[serve]\ncoder = \"MH\"\n\n[study]",
    );
    let bin = assert_cmd::cargo::cargo_bin("spor");
    let mut child = Command::new(bin)
        .arg("--study")
        .arg(s.path())
        .args(["serve", "--no-open"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_owned();
    let get = |path: &str, auth: Option<&str>| {
        let port = url.split(':').nth(2).unwrap().split('/').next().unwrap();
        let mut c = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
        let auth = auth
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        write!(
            c,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).unwrap();
        out
    };
    let token = url.rsplit("token=").next().unwrap().to_owned();
    let refused = get("/api/state", None);
    let state = get("/api/state", Some(&token));
    child.kill().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let _ = child.wait();
    assert!(
        url.starts_with("http://127.0.0.1:") && token.len() == 64,
        "{url}"
    );
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    assert!(err.contains("refused GET /api/state"), "{err}");
    assert!(state.starts_with("HTTP/1.1 200"), "{state}");
    assert!(state.contains("\"coder\":\"MH\""), "{state}");
}
