//! Helpers for the server's tests: a temp copy of the example study and a
//! router driven without a network (`tower::ServiceExt::oneshot`).
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, header};
use http_body_util::BodyExt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

pub const TOKEN: &str = "0123456789abcdef0123456789abcdef";
pub const PORT: u16 = 40123;
pub const HOST: &str = "127.0.0.1:40123";

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

/// A temp copy of `examples/sundtek` with `codebooks/` beside it.
pub struct Study {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

pub fn sundtek() -> Study {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("examples/sundtek");
    copy_dir(&repo.join("examples/sundtek"), &root);
    copy_dir(&repo.join("codebooks"), &dir.path().join("codebooks"));
    Study { _dir: dir, root }
}

/// The router of a server for `coder` on the study.
pub fn router(study: &Study, coder: &str) -> Router {
    let config = spor_serve::Config {
        root: study.root.clone(),
        coder: coder.into(),
        bind: [127, 0, 0, 1].into(),
        port: PORT,
        token: Some(TOKEN.into()),
        lang: None,
    };
    spor_serve::app(
        &config,
        SocketAddr::from(([127, 0, 0, 1], PORT)),
        TOKEN.into(),
    )
    .unwrap()
}

/// A request with the right Host and the token as a bearer header.
pub fn get(path: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, HOST)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::empty())
        .unwrap()
}

pub fn post(path: &str, csrf: &str, body: &serde_json::Value) -> Request<Body> {
    Request::post(path)
        .header(header::HOST, HOST)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header("x-csrf-token", csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

pub async fn send(r: &Router, req: Request<Body>) -> Response<Body> {
    r.clone().oneshot(req).await.unwrap()
}

pub async fn json(resp: Response<Body>) -> serde_json::Value {
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&bytes)))
}

/// The CSRF token the page gets.
pub async fn csrf(r: &Router) -> String {
    let v = json(send(r, get("/api/state")).await).await;
    v["csrf"].as_str().unwrap().to_owned()
}

pub fn coder_file(study: &Study, coder: &str) -> String {
    std::fs::read_to_string(study.root.join("codings").join(format!("{coder}.csv")))
        .unwrap_or_default()
}

/// Data rows of a coder's file (the header excluded).
pub fn rows(study: &Study, coder: &str) -> usize {
    coder_file(study, coder)
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .count()
}
