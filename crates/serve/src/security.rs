//! The rules every request passes before it reaches a handler: the Host
//! and Origin name the bound address (no DNS rebinding), the token is
//! present (once in the address, then as a cookie or a bearer header),
//! every write carries the CSRF token, and every answer carries a strict
//! Content-Security-Policy. A refused request is logged on stderr.

use crate::Shared;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};

/// The Content-Security-Policy of every answer.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The header the page sends its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A token of 32 random bytes from the operating system, as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The security settings of one server.
#[derive(Debug, Clone)]
pub struct Guard {
    token: String,
    /// The CSRF token the page must send with every write.
    pub csrf: String,
    cookie: String,
    hosts: Vec<String>,
}

impl Guard {
    /// The guard of a server bound to `addr` with `token`.
    pub fn new(addr: SocketAddr, token: String) -> Guard {
        let port = addr.port();
        let mut hosts = vec![format!("localhost:{port}")];
        match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => {
                hosts.push(format!("127.0.0.1:{port}"));
            }
            IpAddr::V4(ip) => hosts.push(format!("{ip}:{port}")),
            IpAddr::V6(ip) if ip.is_unspecified() => hosts.push(format!("[::1]:{port}")),
            IpAddr::V6(ip) => hosts.push(format!("[{ip}]:{port}")),
        }
        Guard {
            token,
            csrf: random_token(),
            // cookies do not tell ports apart: one name per server
            cookie: format!("spor_token_{port}"),
            hosts,
        }
    }

    /// The cookie's name.
    pub fn cookie_name(&self) -> &str {
        &self.cookie
    }

    fn host_ok(&self, headers: &HeaderMap) -> bool {
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|h| self.hosts.iter().any(|a| a.eq_ignore_ascii_case(h)))
    }

    fn origin_ok(&self, headers: &HeaderMap) -> bool {
        match headers.get(header::ORIGIN) {
            None => true,
            Some(o) => o.to_str().ok().is_some_and(|o| {
                self.hosts
                    .iter()
                    .any(|a| o.eq_ignore_ascii_case(&format!("http://{a}")))
            }),
        }
    }

    /// The token the request carries: its cookie, else a bearer header.
    fn presented<'a>(&self, headers: &'a HeaderMap) -> Option<&'a str> {
        for c in headers.get_all(header::COOKIE) {
            let Ok(c) = c.to_str() else { continue };
            for part in c.split(';') {
                if let Some((k, v)) = part.trim().split_once('=')
                    && k == self.cookie
                {
                    return Some(v);
                }
            }
        }
        headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
    }
}

/// Compare secrets in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn refuse(method: &Method, path: &str, status: StatusCode, reason: &str) -> Response {
    eprintln!("spor serve: refused {method} {path}: {reason}");
    (status, format!("{reason}\n")).into_response()
}

fn harden(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The middleware: refuse what breaks a rule, harden every answer.
pub async fn guard(State(app): State<Shared>, req: Request, next: Next) -> Response {
    harden(check(&app.guard, req, next).await)
}

async fn check(g: &Guard, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let headers = req.headers();
    if !g.host_ok(headers) {
        return refuse(&method, &path, StatusCode::FORBIDDEN, "foreign Host header");
    }
    if !g.origin_ok(headers) {
        return refuse(&method, &path, StatusCode::FORBIDDEN, "foreign Origin");
    }
    // the token in the address: set the cookie, then go to the address
    // without it (so it is neither bookmarked nor shown)
    let query = req.uri().query().unwrap_or("");
    let from_query = query
        .split('&')
        .find_map(|p| p.strip_prefix("token="))
        .map(str::to_owned);
    if let Some(t) = from_query {
        if method != Method::GET || !same(&t, &g.token) {
            return refuse(&method, &path, StatusCode::FORBIDDEN, "wrong token");
        }
        let rest: Vec<&str> = query
            .split('&')
            .filter(|p| !p.starts_with("token=") && !p.is_empty())
            .collect();
        let to = if rest.is_empty() {
            path.clone()
        } else {
            format!("{path}?{}", rest.join("&"))
        };
        let cookie = format!(
            "{}={}; HttpOnly; SameSite=Strict; Path=/",
            g.cookie, g.token
        );
        return Response::builder()
            .status(StatusCode::SEE_OTHER)
            .header(header::LOCATION, to)
            .header(header::SET_COOKIE, cookie)
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    match g.presented(headers) {
        None => {
            return refuse(
                &method,
                &path,
                StatusCode::UNAUTHORIZED,
                "no token (open the address spor serve printed)",
            );
        }
        Some(t) if !same(t, &g.token) => {
            return refuse(&method, &path, StatusCode::FORBIDDEN, "wrong token");
        }
        Some(_) => {}
    }
    if method != Method::GET && method != Method::HEAD {
        let csrf = headers.get(CSRF_HEADER).and_then(|h| h.to_str().ok());
        if !csrf.is_some_and(|c| same(c, &g.csrf)) {
            return refuse(
                &method,
                &path,
                StatusCode::FORBIDDEN,
                "missing or wrong CSRF token",
            );
        }
    }
    next.run(req).await
}
