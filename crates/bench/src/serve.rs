//! The coding workbench's latencies: `spor serve` on a copy of the example
//! study with one 300,000-character transcript added, driven over HTTP by
//! a minimal client (one connection per request, as a page's fetch may
//! be), next to the same coding action through `spor code add`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "out" || name == ".spor" {
            continue;
        }
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(&name));
        } else {
            std::fs::copy(&p, to.join(&name)).unwrap();
        }
    }
}

/// A copy of the example study (and its codebooks) with `big-01`, a
/// transcript of at least `chars` characters made of int-13's turns.
fn study(example: &Path, chars: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("examples/sundtek");
    copy_dir(example, &root);
    copy_dir(
        &example.join("../../codebooks"),
        &dir.path().join("codebooks"),
    );
    let one = std::fs::read_to_string(root.join("transcripts/int-13.txt")).unwrap();
    let mut big = String::new();
    while big.chars().count() < chars {
        big.push_str(&one);
        big.push('\n');
    }
    std::fs::write(root.join("transcripts/big-01.txt"), &big).unwrap();
    let add = |sheet: &str, line_of: &dyn Fn(&str) -> String| {
        let p = root.join(sheet);
        let text = std::fs::read_to_string(&p).unwrap();
        let extra: String = text
            .lines()
            .filter(|l| l.starts_with("int-13,"))
            .map(|l| line_of(l) + "\n")
            .collect();
        let sep = if text.ends_with('\n') { "" } else { "\n" };
        std::fs::write(&p, format!("{text}{sep}{extra}")).unwrap();
    };
    add("documents.csv", &|l| {
        l.replacen("int-13,", "big-01,", 1).replacen(
            "transcripts/int-13.txt",
            "transcripts/big-01.txt",
            1,
        )
    });
    add("participants.csv", &|l| l.replacen("int-13,", "big-01,", 1));
    (dir, root)
}

struct Server {
    child: Child,
    port: u16,
    token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(spor: &Path, root: &Path) -> (Server, Duration) {
    let t = Instant::now();
    let mut child = Command::new(spor)
        .arg("--study")
        .arg(root)
        .args(["--quiet", "serve", "--coder", "BENCH", "--no-open"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spor serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let took = t.elapsed();
    let url = line.trim();
    let port: u16 = url
        .split(':')
        .nth(2)
        .and_then(|s| s.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {url:?}"));
    let token = url.rsplit("token=").next().unwrap().to_owned();
    (Server { child, port, token }, took)
}

/// One request; returns the status, the body and the time to the last byte.
fn request(
    s: &Server,
    method: &str,
    path: &str,
    csrf: &str,
    body: &str,
) -> (u16, String, Duration) {
    let t = Instant::now();
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    c.set_nodelay(true).unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: Bearer {}\r\nX-CSRF-Token: {csrf}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        s.port,
        s.token,
        body.len()
    );
    c.write_all(req.as_bytes()).unwrap();
    let mut out = Vec::new();
    c.read_to_end(&mut out).unwrap();
    let took = t.elapsed();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_owned())
        .unwrap_or_default();
    (status, body, took)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn stats(mut v: Vec<Duration>) -> (f64, f64, f64) {
    v.sort();
    (
        ms(super::percentile(&v, 0.5)),
        ms(super::percentile(&v, 0.95)),
        ms(*v.last().unwrap()),
    )
}

/// Prints Markdown table rows: opening the big transcript, coding actions,
/// and `spor code add` as the baseline.
pub fn bench_serve(spor: &Path, example: &Path) {
    let (_dir, root) = study(example, 300_000);
    let chars = std::fs::read_to_string(root.join("transcripts/big-01.txt"))
        .unwrap()
        .chars()
        .count();
    // index the study first, so that the server's start is not an index build
    let ok = Command::new(spor)
        .arg("--study")
        .arg(&root)
        .args(["--quiet", "index"])
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok, "spor index failed");
    let (server, started) = start(spor, &root);
    let (st, state, _) = request(&server, "GET", "/api/state", "", "");
    assert_eq!(st, 200, "{state}");
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    let csrf = state["csrf"].as_str().unwrap().to_owned();
    let (st, doc, first) = request(&server, "GET", "/api/doc/big-01", "", "");
    assert_eq!(st, 200);
    let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let turns: Vec<String> = doc["turns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["role"] == "participant")
        .map(|t| t["segment"].as_str().unwrap().to_owned())
        .collect();
    let opens: Vec<Duration> = (0..20)
        .map(|_| request(&server, "GET", "/api/doc/big-01", "", "").2)
        .collect();
    let (actions, with_reload) = coding_actions(&server, &csrf, &turns);
    drop(server);
    let rows = std::fs::read_to_string(root.join("codings/BENCH.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(rows, 300, "every action is one row");
    let cli = cli_adds(spor, &root, &turns);
    let (cli_med, _, _) = stats(cli);
    let (open_med, open_p95, open_max) = stats(opens);
    let (act_med, act_p95, act_max) = stats(actions);
    let (rel_med, rel_p95, _) = stats(with_reload);
    println!(
        "| `spor serve` start (study indexed; read, rules from the cache) | {:.0} ms | | | | |",
        ms(started)
    );
    println!(
        "| open a {chars}-character transcript ({} turns): `GET /api/doc` | median {open_med:.1} ms, p95 {open_p95:.1} ms, max {open_max:.1} ms (first {:.1} ms) | | | `spor code add` {cli_med:.0} ms | {:.3}x |",
        doc["turns"].as_array().unwrap().len(),
        ms(first),
        open_med / cli_med
    );
    println!(
        "| coding action: `POST /api/code` (one row appended), 300 in a row | median {act_med:.2} ms, p95 {act_p95:.2} ms, max {act_max:.2} ms | | | `spor code add` {cli_med:.0} ms | {:.4}x |",
        act_med / cli_med
    );
    println!(
        "| coding action and the transcript read again (what the page does) | median {rel_med:.1} ms, p95 {rel_p95:.1} ms | | | `spor code add` {cli_med:.0} ms | {:.3}x |",
        rel_med / cli_med
    );
}

/// 300 coding actions through the HTTP API (every third a withdrawal), and
/// every tenth with the transcript read again, as the page does: how long
/// each took.
fn coding_actions(server: &Server, csrf: &str, turns: &[String]) -> (Vec<Duration>, Vec<Duration>) {
    let mut actions = Vec::new();
    let mut with_reload = Vec::new();
    for i in 0..300 {
        let seg = &turns[i % turns.len()];
        let status = if i % 3 == 2 { "withdrawn" } else { "accepted" };
        let body = format!(r#"{{"segment":"{seg}","code":"context","status":"{status}"}}"#);
        let (st, b, took) = request(server, "POST", "/api/code", csrf, &body);
        assert_eq!(st, 200, "{b}");
        actions.push(took);
        if i % 10 == 0 {
            // what the page does after an action: the transcript again
            let (_, _, again) = request(server, "GET", "/api/doc/big-01", "", "");
            with_reload.push(took + again);
        }
    }
    (actions, with_reload)
}

/// `spor code add` on ten turns, as the baseline: how long each took.
fn cli_adds(spor: &Path, root: &Path, turns: &[String]) -> Vec<Duration> {
    let mut cli = Vec::new();
    for turn in turns.iter().take(10) {
        let t = Instant::now();
        let ok = Command::new(spor)
            .arg("--study")
            .arg(root)
            .args(["--quiet", "code", "add", turn, "context", "--coder", "CLI"])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success();
        assert!(ok, "spor code add failed");
        cli.push(t.elapsed());
    }
    cli
}
