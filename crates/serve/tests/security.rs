//! The security rules of `spor serve`, on the router itself: the token,
//! Host and Origin, CSRF, the headers of every answer, and that nothing
//! but the embedded page and JSON built from the study is served.

mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use serde_json::json;

fn bare(path: &str) -> axum::http::request::Builder {
    Request::get(path).header(header::HOST, HOST)
}

#[tokio::test]
async fn requests_without_the_token_are_refused() {
    let s = sundtek();
    let r = router(&s, "MH");
    for path in [
        "/",
        "/app.js",
        "/api/state",
        "/api/documents",
        "/api/doc/int-13",
    ] {
        let resp = send(&r, bare(path).body(Body::empty()).unwrap()).await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path}");
        let resp = send(
            &r,
            bare(path)
                .header(header::AUTHORIZATION, "Bearer nottherighttoken")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
        let resp = send(
            &r,
            bare(path)
                .header(header::COOKIE, format!("spor_token_{PORT}=wrong"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path}");
        // a cookie of another spor serve (another port) is not this one's
        let resp = send(
            &r,
            bare(path)
                .header(header::COOKIE, format!("spor_token_1={TOKEN}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(send(&r, get(path)).await.status(), StatusCode::OK, "{path}");
    }
    // a wrong token in the address
    let resp = send(&r, bare("/?token=abc").body(Body::empty()).unwrap()).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_token_in_the_address_becomes_a_strict_cookie() {
    let s = sundtek();
    let r = router(&s, "MH");
    let resp = send(
        &r,
        bare(&format!("/?token={TOKEN}&x=1"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[header::LOCATION], "/?x=1");
    let cookie = resp.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with(&format!("spor_token_{PORT}={TOKEN};")),
        "{cookie}"
    );
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    // the cookie alone lets the page in
    let (name_value, _) = cookie.split_once(';').unwrap();
    let resp = send(
        &r,
        bare("/api/state")
            .header(header::COOKIE, format!("other=1; {name_value}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(json(resp).await["coder"], "MH");
}

#[tokio::test]
async fn a_foreign_host_or_origin_is_refused() {
    let s = sundtek();
    let r = router(&s, "MH");
    for host in [
        "evil.example:40123",
        "127.0.0.1:1",
        "127.0.0.1",
        "attacker.test",
    ] {
        let req = Request::get("/api/state")
            .header(header::HOST, host)
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            send(&r, req).await.status(),
            StatusCode::FORBIDDEN,
            "{host}"
        );
    }
    let req = Request::get("/api/state")
        .header(header::HOST, format!("localhost:{PORT}"))
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&r, req).await.status(), StatusCode::OK);
    let csrf = csrf(&r).await;
    let body = json!({"segment": "int-13#4", "code": "patient", "status": "accepted"});
    for origin in [
        "http://evil.example",
        "http://127.0.0.1:1",
        "null",
        "https://127.0.0.1:40123",
    ] {
        let mut req = post("/api/code", &csrf, &body);
        req.headers_mut()
            .insert(header::ORIGIN, origin.parse().unwrap());
        assert_eq!(
            send(&r, req).await.status(),
            StatusCode::FORBIDDEN,
            "{origin}"
        );
    }
    assert_eq!(rows(&s, "MH"), 0, "a refused write wrote nothing");
    let mut req = post("/api/code", &csrf, &body);
    req.headers_mut()
        .insert(header::ORIGIN, format!("http://{HOST}").parse().unwrap());
    assert_eq!(send(&r, req).await.status(), StatusCode::OK);
    assert_eq!(rows(&s, "MH"), 1);
}

#[tokio::test]
async fn writes_without_the_csrf_token_are_refused() {
    let s = sundtek();
    let r = router(&s, "MH");
    let body = json!({"segment": "int-13#4", "code": "patient", "status": "accepted"});
    for path in [
        "/api/code",
        "/api/memo",
        "/api/done",
        "/api/codebook/add",
        "/api/codebook/rename",
    ] {
        for token in ["", "wrong"] {
            let resp = send(&r, post(path, token, &body)).await;
            assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{path} {token:?}");
        }
        let mut req = post(path, "x", &body);
        req.headers_mut().remove("x-csrf-token");
        assert_eq!(
            send(&r, req).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(rows(&s, "MH"), 0);
    let book = std::fs::read_to_string(s.root.join("../../codebooks/sundtek-cues.toml")).unwrap();
    let csrf = csrf(&r).await;
    assert_eq!(
        send(&r, post("/api/code", &csrf, &body)).await.status(),
        StatusCode::OK
    );
    assert_eq!(rows(&s, "MH"), 1);
    assert_eq!(
        book,
        std::fs::read_to_string(s.root.join("../../codebooks/sundtek-cues.toml")).unwrap()
    );
}

#[tokio::test]
async fn every_answer_is_hardened() {
    let s = sundtek();
    let r = router(&s, "MH");
    let refused = send(&r, bare("/").body(Body::empty()).unwrap()).await;
    let ok = send(&r, get("/")).await;
    let missing = send(&r, get("/nothing")).await;
    for resp in [refused, ok, missing] {
        let h = resp.headers();
        assert_eq!(h[header::CONTENT_SECURITY_POLICY], spor_serve::CSP);
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[header::REFERRER_POLICY], "no-referrer");
    }
    // the page has no inline script or style
    let html = String::from_utf8(
        http_body_util::BodyExt::collect(send(&r, get("/")).await.into_body())
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(html.contains("<script src=\"/app.js\""));
    assert!(!html.contains("<script>") && !html.contains("style=") && !html.contains("<style"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing from the network"
    );
}

#[tokio::test]
async fn no_path_outside_the_embedded_page_is_served() {
    let s = sundtek();
    let r = router(&s, "MH");
    for path in [
        "/spor.toml",
        "/transcripts/int-13.txt",
        "/codings/R01.csv",
        "/../spor.toml",
        "/%2e%2e/spor.toml",
        "/api/doc/..%2fspor.toml",
        "/api/doc/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/static/../../spor.toml",
    ] {
        let resp = send(&r, get(path)).await;
        assert!(
            resp.status() == StatusCode::NOT_FOUND || resp.status() == StatusCode::BAD_REQUEST,
            "{path}: {}",
            resp.status()
        );
    }
}
