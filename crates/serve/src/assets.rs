//! The page's files, embedded in the binary: nothing is read from disk or
//! fetched from the network, and no other path is served. The page itself
//! is filled in with the interface texts of the study's language once, at
//! start ([`crate::texts::render_page`]).

use crate::Shared;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

pub(crate) const INDEX: &str = include_str!("../assets/index.html");
/// The script: the frame, documents and transcript (`app.js`), then the
/// other views (`views.js`), served as one file.
pub(crate) const SCRIPT: &str = concat!(
    include_str!("../assets/app.js"),
    include_str!("../assets/views.js")
);
const STYLE: &str = include_str!("../assets/app.css");
const ICON: &str = include_str!("../assets/icon.svg");

pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/",
            get(|State(app): State<Shared>| async move {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    app.page.clone(),
                )
            }),
        )
        .route(
            "/app.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    SCRIPT,
                )
                    .into_response()
            }),
        )
        .route(
            "/app.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE) }),
        )
        .route(
            "/favicon.svg",
            get(|| async { ([(header::CONTENT_TYPE, "image/svg+xml")], ICON) }),
        )
}
