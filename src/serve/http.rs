//! HTTP for the preview: files from memory, the live-reload event stream,
//! and the checks that keep the preview safe (paths, Host, Origin).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream};

use super::state::{Fetched, Snapshot, State};

/// The path of the live-reload event stream (never a file of the site).
pub const EVENTS_PATH: &str = "/__cunwu/events";

pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(file)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard_host,
        ))
        .with_state(state)
}

/// Refuses requests whose `Host` is not this server under an IP or `localhost`:
/// a page on another site that rebinds its DNS name to 127.0.0.1 cannot read
/// the preview.
async fn guard_host(
    AxState(state): AxState<Arc<State>>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if !host.is_some_and(|h| host_allowed(h, state.addr.port())) {
        return plain(StatusCode::FORBIDDEN, "forbidden host / 不允许的主机名\n");
    }
    next.run(req).await
}

/// `localhost`, `127.0.0.1`, `[::1]` or any IP literal, on our port (or none).
pub fn host_allowed(host: &str, port: u16) -> bool {
    let (name, host_port) = split_host_port(host);
    if host_port.is_some_and(|p| p != port) {
        return false;
    }
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok()
}

fn split_host_port(host: &str) -> (&str, Option<u16>) {
    if let Some(rest) = host.strip_prefix('[') {
        let (ip, after) = rest.split_once(']').unwrap_or((rest, ""));
        return (ip, after.strip_prefix(':').and_then(|p| p.parse().ok()));
    }
    match host.rsplit_once(':') {
        Some((name, port)) => (name, port.parse().ok()),
        None => (host, None),
    }
}

/// `Origin`, when a browser sends it, must be this server itself.
fn origin_allowed(headers: &HeaderMap, port: u16) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    origin
        .strip_prefix("http://")
        .is_some_and(|host| host_allowed(host, port))
}

/// Whether a request may read a file: not from another site's page. A page
/// elsewhere (another site, or another port of this computer) may link to
/// the preview, and the browser then navigates to it, but it may not load
/// the search index, the tables or any other file as a script, image or
/// `fetch`: those requests carry its `Origin` or `Sec-Fetch-Site:
/// cross-site` / `same-site` without `Sec-Fetch-Mode: navigate`.
pub fn same_site_read(headers: &HeaderMap, port: u16) -> bool {
    if !origin_allowed(headers, port) {
        return false;
    }
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match get("sec-fetch-site") {
        None | Some("same-origin") | Some("none") => true,
        Some(_) => get("sec-fetch-mode") == Some("navigate"),
    }
}

async fn events(AxState(state): AxState<Arc<State>>, headers: HeaderMap) -> Response {
    if !origin_allowed(&headers, state.addr.port()) {
        return plain(StatusCode::FORBIDDEN, "forbidden origin / 不允许的来源\n");
    }
    let current = state.snapshot().version;
    let rx = state.reload.subscribe();
    let stop = state.stopping.subscribe();
    let first =
        stream::once(
            async move { Ok::<_, Infallible>(Event::default().data(current.to_string())) },
        );
    // The stream ends when the server stops, or the graceful shutdown would
    // wait for every open tab forever.
    let updates = stream::unfold((rx, stop), |(mut rx, mut stop)| async move {
        loop {
            let stopping = *stop.borrow_and_update();
            if stopping {
                return None;
            }
            tokio::select! {
                changed = stop.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                }
                got = rx.recv() => match got {
                    Ok(v) => return Some((Ok(Event::default().data(v.to_string())), (rx, stop))),
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                },
            }
        }
    });
    let body: std::pin::Pin<Box<dyn Stream<Item = Result<Event, Infallible>> + Send>> =
        Box::pin(futures_util::StreamExt::chain(first, updates));
    Sse::new(body)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

async fn file(AxState(state): AxState<Arc<State>>, req: Request) -> Response {
    let head = req.method() == Method::HEAD;
    if req.method() != Method::GET && !head {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
    }
    let Some(path) = site_path(req.uri().path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad path / 路径不合法\n");
    };
    if !same_site_read(req.headers(), state.addr.port()) {
        return plain(StatusCode::FORBIDDEN, "forbidden origin / 不允许的来源\n");
    }
    let response = match resolve(&state, &path).await {
        Resolved::Found(key, fetched) => respond(&state.snapshot(), &key, fetched, StatusCode::OK),
        Resolved::Redirect(to) => {
            let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Resolved::NotFound => match state.fetch(crate::output::NOT_FOUND).await {
            // No site yet (the first build was refused): a page request gets
            // the findings, not "not found", and reloads once they are fixed.
            Fetched::Missing => match state.snapshot() {
                snapshot if snapshot.overlay.is_some() && is_page(&path) => {
                    let findings = snapshot.overlay.clone().unwrap_or_default();
                    respond(
                        &snapshot,
                        crate::output::NOT_FOUND,
                        Fetched::Refused {
                            findings,
                            last_good: None,
                            errors: 0,
                        },
                        StatusCode::SERVICE_UNAVAILABLE,
                    )
                }
                _ => plain(StatusCode::NOT_FOUND, "not found / 页面不存在\n"),
            },
            fetched => respond(
                &state.snapshot(),
                crate::output::NOT_FOUND,
                fetched,
                StatusCode::NOT_FOUND,
            ),
        },
    };
    if head {
        // Same headers as GET, including the length of the body not sent.
        let (mut parts, body) = response.into_parts();
        let len = axum::body::to_bytes(body, usize::MAX)
            .await
            .map_or(0, |b| b.len());
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
        return Response::from_parts(parts, Body::empty());
    }
    response
}

/// Whether a request path asks for a page (a folder or an HTML file).
fn is_page(path: &str) -> bool {
    path.is_empty() || path.ends_with('/') || content_type(path).starts_with("text/html")
}

/// Decodes and validates a request path; `None` for anything that tries to
/// leave the site (`..`, backslashes, NUL, bad encoding).
pub fn site_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return None,
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if decoded.ends_with('/') && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

enum Resolved {
    /// The file at this key (path in the site).
    Found(String, Fetched),
    Redirect(String),
    NotFound,
}

/// Which file a request path names, made (and scanned) if it was not kept.
async fn resolve(state: &State, path: &str) -> Resolved {
    if path.is_empty() {
        return found(state, crate::output::HOME.into()).await;
    }
    if let Some(dir) = path.strip_suffix('/') {
        return found(state, format!("{dir}/index.html")).await;
    }
    match state.fetch(path).await {
        Fetched::Missing => {}
        fetched => return Resolved::Found(path.to_string(), fetched),
    }
    if state.has_file(&format!("{path}/index.html")).await {
        // Relative links inside the page need the trailing slash.
        return Resolved::Redirect(format!("/{path}/"));
    }
    Resolved::NotFound
}

async fn found(state: &State, key: String) -> Resolved {
    match state.fetch(&key).await {
        Fetched::Missing => Resolved::NotFound,
        fetched => Resolved::Found(key, fetched),
    }
}

/// A file refused on request has no page to show the findings over when
/// it was never served before: this empty page carries them.
const FINDINGS_PAGE: &[u8] =
    b"<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><title>cunwu</title></head>\n<body>\n</body>\n</html>\n";

fn respond(snapshot: &Snapshot, key: &str, fetched: Fetched, status: StatusCode) -> Response {
    let ctype = content_type(key);
    let html = ctype.starts_with("text/html");
    let body: Vec<u8> = match fetched {
        Fetched::Missing => return plain(StatusCode::NOT_FOUND, "not found\n"),
        Fetched::File(bytes) if html => {
            inject(&bytes, snapshot.overlay.as_deref(), snapshot.version)
        }
        Fetched::File(bytes) => bytes.to_vec(),
        Fetched::Refused {
            findings,
            last_good,
            ..
        } if html => {
            // The last version served stays under the findings, as after a
            // refused rebuild.
            let page = last_good.as_deref().unwrap_or(FINDINGS_PAGE);
            inject(page, Some(&findings), snapshot.version)
        }
        Fetched::Refused { errors, .. } => {
            let text = crate::messages::Msg::ServeFileRefused { path: key, errors };
            let mut r = (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("{}\n", text.both()),
            )
                .into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            return r;
        }
    };
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut r = (status, text).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// Content types, with `charset=utf-8` for text.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script, and the overlay when the last rebuild failed,
/// before `</body>`. Only responses get this; files on disk never do.
fn inject(html: &[u8], overlay: Option<&str>, version: u64) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(text) = overlay {
        extra.push_str(&overlay_html(text));
    }
    extra.push_str(&format!(
        "<script>(function(){{var v={};var s=new EventSource(\"{EVENTS_PATH}\");\
s.onmessage=function(e){{if(+e.data!==v){{s.close();location.reload();}}}};}})();</script>\n",
        version
    ));
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

fn overlay_html(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<div id=\"cunwu-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:99999;overflow:auto;\
background:rgba(255,255,255,.97);color:#000;padding:1rem;font:14px/1.5 monospace\">\
<h2 style=\"color:#a11;font:bold 18px sans-serif\">网站未更新：请改正下面的错误（仍显示上一次的网站）<br>\
Not rebuilt: fix the errors below (the last good site is shown underneath)</h2>\
<button type=\"button\" onclick=\"this.parentNode.remove()\">关闭 / close</button>\
<pre style=\"white-space:pre-wrap\">{escaped}</pre></div>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        assert_eq!(site_path("/a/b.html").as_deref(), Some("a/b.html"));
        assert_eq!(site_path("/areas/x/").as_deref(), Some("areas/x/"));
        assert_eq!(site_path("/").as_deref(), Some(""));
        assert!(site_path("/../etc/passwd").is_none());
        assert!(site_path("/%2e%2e/etc/passwd").is_none());
        assert!(site_path("/a/%2E%2E/%2e%2e/x").is_none());
        assert!(site_path("/a\\..\\b").is_none());
        assert!(site_path("/a%5c..%5cb").is_none());
        assert!(site_path("/a%00b").is_none());
        assert_eq!(site_path("//etc/passwd").as_deref(), Some("etc/passwd"));
    }

    #[test]
    fn only_local_hosts_on_our_port_are_allowed() {
        assert!(host_allowed("localhost:1111", 1111));
        assert!(host_allowed("127.0.0.1:1111", 1111));
        assert!(host_allowed("[::1]:1111", 1111));
        assert!(host_allowed("localhost", 1111));
        assert!(!host_allowed("evil.example:1111", 1111));
        assert!(!host_allowed("localhost:2222", 1111));
    }
}
