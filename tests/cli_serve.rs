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

/// A minimal HTTP/1.1 client for one request to the workbench: the method,
/// the path, the bearer token, and for a POST the CSRF token and a JSON
/// body. Returns the status line's code and the body.
fn http(
    port: &str,
    method: &str,
    path: &str,
    token: &str,
    csrf: Option<&str>,
    body: Option<&serde_json::Value>,
) -> (u16, String) {
    let mut c = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let csrf = csrf
        .map(|t| format!("x-csrf-token: {t}\r\nContent-Type: application/json\r\n"))
        .unwrap_or_default();
    write!(
        c,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n{csrf}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = Vec::new();
    c.read_to_end(&mut out).unwrap();
    let out = String::from_utf8_lossy(&out).into_owned();
    let code = out[9..12].parse().unwrap();
    let (head, rest) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    // a chunked answer: keep the chunks' data only
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut data = String::new();
        let mut r = rest;
        while let Some((size, tail)) = r.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            data.push_str(&tail[..n]);
            r = &tail[n + 2..];
        }
        data
    } else {
        rest.to_owned()
    };
    (code, body)
}

#[test]
fn from_init_to_a_coded_passage_a_memo_and_a_renamed_code_in_the_workbench() {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("ny-studie");
    let bin = assert_cmd::cargo::cargo_bin("spor");
    let init = Command::new(&bin).arg("init").arg(&study).output().unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let mut child = Command::new(&bin)
        .arg("--study")
        .arg(&study)
        .args(["serve", "--coder", "MH", "--no-open"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_owned();
    let port = url
        .split(':')
        .nth(2)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let token = url.rsplit("token=").next().unwrap().to_owned();
    let json = |s: &str| -> serde_json::Value { serde_json::from_str(s).unwrap() };
    let (code, state) = http(&port, "GET", "/api/state", &token, None, None);
    assert_eq!(code, 200, "{state}");
    let csrf = json(&state)["csrf"].as_str().unwrap().to_owned();
    let post = |path: &str, body: serde_json::Value| {
        http(&port, "POST", path, &token, Some(&csrf), Some(&body))
    };
    // the starter transcript's second turn, and a passage of it
    let (_, doc) = http(&port, "GET", "/api/doc/int-01", &token, None, None);
    let text = json(&doc)["turns"][1]["text"].as_str().unwrap().to_owned();
    let quote = "medicinsk afdeling";
    let at = text.find(quote).expect("the starter transcript's words");
    let start = text[..at].chars().count();
    let end = start + quote.chars().count();
    let results = [
        post(
            "/api/code",
            serde_json::json!({"segment": "int-01#2", "code": "arbejdsgange", "status": "accepted",
                "start": start, "end": end, "quote": quote}),
        ),
        post(
            "/api/memo",
            serde_json::json!({"segment": "int-01#2", "code": "arbejdsgange", "text": "Afdelingen former arbejdet"}),
        ),
        post(
            "/api/codebook/rename",
            serde_json::json!({"old": "arbejdsgange", "new": "arbejdsrutiner"}),
        ),
    ];
    child.kill().unwrap();
    let _ = child.wait();
    for (code, body) in &results {
        assert_eq!(*code, 200, "{body}");
    }
    // everything is in the plain files
    let file = std::fs::read_to_string(study.join("codings/MH.csv")).unwrap();
    assert!(
        file.starts_with("segment,code,status,memo,anchor,start,end,quote"),
        "{file}"
    );
    assert!(
        file.contains("int-01#2,arbejdsgange,accepted,,")
            && file.contains(&format!(",{start},{end},{quote}")),
        "{file}"
    );
    assert!(file.contains("Afdelingen former arbejdet"), "{file}");
    let book = std::fs::read_to_string(study.join("codebooks/koder.toml")).unwrap();
    assert!(
        book.contains("id = \"arbejdsrutiner\"") && book.contains("arbejdsgange"),
        "{book}"
    );
    // counted by spor run under the new id, with its passage, and the audit
    // reads the coder's file without an error
    let run = Command::new(&bin)
        .arg("--study")
        .arg(&study)
        .arg("run")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(matches!(run.status.code(), Some(0 | 1)), "{err}");
    let codings = std::fs::read_to_string(study.join("out/codings.csv")).unwrap();
    let row = codings
        .lines()
        .find(|l| l.starts_with("int-01#2,") && l.contains("coder:MH"))
        .unwrap_or_else(|| panic!("{codings}"));
    assert!(
        row.contains(",arbejdsrutiner,") && row.contains(&format!("{start}-{end}")),
        "{row}"
    );
    let audit = Command::new(&bin)
        .arg("--study")
        .arg(&study)
        .args(["audit", "--json"])
        .output()
        .unwrap();
    let audit: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    let coder_problems: Vec<_> = audit["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| {
            let c = v["check"].as_str().unwrap_or("");
            c.contains("coder") || c.contains("orphan")
        })
        .collect();
    assert!(coder_problems.is_empty(), "{coder_problems:?}");
}

#[test]
fn serve_with_an_unknown_language_is_a_usage_error_naming_the_flag() {
    let s = sundtek();
    let (code, out, err) = run({
        let mut c = spor(s.path());
        c.args(["serve", "--coder", "MH", "--no-open", "--lang", "xx"]);
        c
    });
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--lang") && err.contains("\"xx\""), "{err}");
    assert!(!out.contains("token="), "no address is printed: {out}");
    // the same from spor.toml names the file
    edit(
        s.path(),
        "spor.toml",
        "[study]\n",
        "[study]\nlanguage = \"xx\"\n",
    );
    let (code, _, err) = run({
        let mut c = spor(s.path());
        c.args(["serve", "--coder", "MH", "--no-open"]);
        c
    });
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("spor.toml") && err.contains("\"xx\""), "{err}");
}
