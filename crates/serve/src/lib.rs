//! `spor-serve` is spor's coding workbench: a small web server, on the
//! researcher's own machine, that shows a study's transcripts with their
//! turn ids, codings and rule suggestions, and writes every decision a
//! coder makes in the page to the same append-only coder files
//! (`codings/<coder>.csv`) the command line and the audit read.
//!
//! It is safe by default: it binds to the loopback address, every request
//! must carry a random token (given once in the printed address, then kept
//! in an HttpOnly cookie), Host and Origin are checked against the bound
//! address, every write carries a CSRF token, and the page runs under a
//! strict Content-Security-Policy with every asset embedded in the binary.
//!
//! It speaks the study's language (`--lang`, else `[study] language`, else
//! Danish): the page is filled in from one table of interface texts at
//! start, and the script gets the same texts from `/api/state`.
//!
//! ```no_run
//! # fn demo() -> Result<(), spor_serve::ServeError> {
//! let config = spor_serve::Config {
//!     root: "examples/sundtek".into(),
//!     coder: "MH".into(),
//!     bind: std::net::IpAddr::from([127, 0, 0, 1]),
//!     port: 0,
//!     token: None,
//!     lang: None,
//! };
//! // prints http://127.0.0.1:PORT/?token=... and serves until stopped
//! spor_serve::serve(config, |url| println!("{url}"))?;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod api;
mod assets;
mod codebook;
mod security;
pub mod session;
mod texts;
mod write;

use axum::Router;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use security::{CSP, Guard, random_token};
pub use spor_export::lang::Lang;

/// What can go wrong while serving.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The study could not be read (the message names the file and line).
    #[error("{0}")]
    Study(String),
    /// The address could not be bound or served.
    #[error("cannot serve on {addr}: {source}")]
    Io {
        /// The address.
        addr: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The settings are not usable.
    #[error("{0}")]
    Usage(String),
}

/// A `Result` with a [`ServeError`].
pub type Result<T> = std::result::Result<T, ServeError>;

/// How to serve a study.
#[derive(Debug, Clone)]
pub struct Config {
    /// The study folder (holding `spor.toml`).
    pub root: PathBuf,
    /// The coder whose file the page writes (`codings/<coder>.csv`).
    pub coder: String,
    /// The address to bind (loopback unless the user asked otherwise).
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// A fixed token (from a token file); `None` draws a random one.
    pub token: Option<String>,
    /// The interface's language as given on the command line (`--lang`);
    /// `None` takes `[study] language` from spor.toml, else Danish.
    pub lang: Option<String>,
}

/// The state every request shares.
pub struct App {
    /// The study, read again when its files change.
    pub session: Mutex<session::Session>,
    /// The coder the page writes for.
    pub coder: String,
    /// The security settings.
    pub guard: Guard,
    /// The interface's language.
    pub lang: Lang,
    /// The page (`index.html`) in that language.
    pub page: String,
}

/// Shared state.
pub type Shared = Arc<App>;

/// Open the study and build the router for a server bound to `addr`.
/// The returned router is what [`serve`] runs; tests drive it directly.
pub fn app(config: &Config, addr: SocketAddr, token: String) -> Result<Router> {
    if !spor_coding::coders::valid_coder(&config.coder) {
        return Err(ServeError::Usage(format!(
            "{:?} is not a usable coder name (A-Z, a-z, 0-9, '.', '_', '-'; `rules` is reserved)",
            config.coder
        )));
    }
    let session = session::Session::open(&config.root)?;
    // the same rules, and the same message, as `spor report --lang`
    let lang = spor_pipeline::report::language(&session.study, config.lang.as_deref())
        .map_err(|e| ServeError::Usage(e.to_string()))?;
    let app = Arc::new(App {
        session: Mutex::new(session),
        coder: config.coder.clone(),
        guard: Guard::new(addr, token),
        lang,
        page: texts::render_page(assets::INDEX, lang),
    });
    Ok(router(app))
}

/// The routes, behind the security layer.
pub fn router(app: Shared) -> Router {
    let routes = Router::new()
        .merge(assets::routes())
        .merge(api::routes())
        .merge(write::routes())
        .merge(codebook::routes());
    routes
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            security::guard,
        ))
        .with_state(app)
}

/// Bind, call `announce` with the address to open (token included), and
/// serve until the process is stopped.
pub fn serve(config: Config, announce: impl FnOnce(&str)) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .build()
        .map_err(|source| ServeError::Io {
            addr: config.bind.to_string(),
            source,
        })?;
    rt.block_on(async move {
        let want = SocketAddr::new(config.bind, config.port);
        let listener = tokio::net::TcpListener::bind(want)
            .await
            .map_err(|source| ServeError::Io {
                addr: want.to_string(),
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| ServeError::Io {
            addr: want.to_string(),
            source,
        })?;
        let token = config.token.clone().unwrap_or_else(random_token);
        let router = app(&config, addr, token.clone())?;
        let host = match addr.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        announce(&format!("http://{host}:{}/?token={token}", addr.port()));
        axum::serve(listener, router)
            .await
            .map_err(|source| ServeError::Io {
                addr: addr.to_string(),
                source,
            })
    })
}
