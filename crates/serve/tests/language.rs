//! The workbench speaks the study's language: `[study] language` in
//! spor.toml (else Danish), or the `--lang` given at start. The page comes
//! filled in, `<html lang>` included, and `/api/state` carries the texts
//! the script uses.

mod common;
use axum::Router;
use common::*;
use http_body_util::BodyExt;
use std::net::SocketAddr;

async fn page(r: &Router) -> String {
    let resp = send(r, get("/")).await;
    assert_eq!(resp.status(), axum::http::StatusCode::OK);
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn set_language(study: &Study, lang: &str) {
    let p = study.root.join("spor.toml");
    let toml = std::fs::read_to_string(&p).unwrap();
    let toml = toml.replacen("[study]\n", &format!("[study]\nlanguage = \"{lang}\"\n"), 1);
    assert!(toml.contains(&format!("language = \"{lang}\"")));
    std::fs::write(p, toml).unwrap();
}

fn router_with_flag(study: &Study, lang: Option<&str>) -> Result<Router, spor_serve::ServeError> {
    let config = spor_serve::Config {
        root: study.root.clone(),
        coder: "MH".into(),
        bind: [127, 0, 0, 1].into(),
        port: PORT,
        token: Some(TOKEN.into()),
        lang: lang.map(str::to_owned),
    };
    spor_serve::app(
        &config,
        SocketAddr::from(([127, 0, 0, 1], PORT)),
        TOKEN.into(),
    )
}

#[tokio::test]
async fn an_english_study_gets_an_english_workbench() {
    let s = sundtek();
    set_language(&s, "en");
    let r = router(&s, "MH");
    let html = page(&r).await;
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(html.contains("<a href=\"#/\">Documents</a>"), "{html}");
    assert!(
        html.contains("<a href=\"#/codebook\">Codebook</a>"),
        "{html}"
    );
    assert!(html.contains("placeholder=\"Search (/)\""), "{html}");
    assert!(
        !html.contains("Dokumenter") && !html.contains("{{"),
        "{html}"
    );
    let state = json(send(&r, get("/api/state")).await).await;
    assert_eq!(state["language"], "en");
    assert_eq!(state["texts"]["accept"], "Accept");
    assert_eq!(state["texts"]["turns_coded"], "{n} turns coded");
    assert_eq!(state["texts"]["error"], "Error: {message}");
    // data stays as it is: the codes' Danish labels
    let codes = state["codes"].as_array().unwrap();
    assert!(
        codes
            .iter()
            .any(|c| c["label"].as_str().unwrap().contains(['æ', 'ø', 'å']))
    );
}

#[tokio::test]
async fn a_danish_study_gets_a_danish_workbench() {
    for lang in [None, Some("da")] {
        let s = sundtek();
        if let Some(l) = lang {
            set_language(&s, l);
        }
        let r = router(&s, "MH");
        let html = page(&r).await;
        assert!(html.contains("<html lang=\"da\">"), "{html}");
        assert!(html.contains("<a href=\"#/\">Dokumenter</a>"), "{html}");
        assert!(
            html.contains("<a href=\"#/disagree\">Uenighed</a>"),
            "{html}"
        );
        assert!(
            !html.contains("Documents") && !html.contains("{{"),
            "{html}"
        );
        let state = json(send(&r, get("/api/state")).await).await;
        assert_eq!(state["language"], "da");
        assert_eq!(state["texts"]["accept"], "Acceptér");
        assert_eq!(state["texts"]["turns_coded"], "{n} ture kodet");
    }
}

#[tokio::test]
async fn the_flag_wins_over_the_study_and_an_unknown_language_is_named() {
    let s = sundtek();
    set_language(&s, "en");
    let r = router_with_flag(&s, Some("da")).unwrap();
    assert!(page(&r).await.contains("<html lang=\"da\">"));
    let e = router_with_flag(&s, Some("xx")).err().unwrap().to_string();
    assert!(e.contains("--lang") && e.contains("\"xx\""), "{e}");
    let s = sundtek();
    set_language(&s, "tysk");
    let e = router_with_flag(&s, None).err().unwrap().to_string();
    assert!(e.contains("spor.toml") && e.contains("tysk"), "{e}");
}
