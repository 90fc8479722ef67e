//! `cunwu serve`: a live preview for clerks.
//!
//! The site is built in memory and served over HTTP from memory: nothing is
//! written to disk, so the reload script injected into pages never reaches a
//! published `public/`. A watcher rebuilds on every change (after debouncing);
//! when the rebuild is refused, the last good site keeps being served and every
//! page shows an overlay with the findings until the mistake is fixed.

mod http;
mod state;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

pub use state::{Snapshot, State};

use crate::messages::Msg;

/// Validated options of `cunwu serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub pipeline: crate::pipeline::Options,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
}

/// Runs the preview server until Ctrl-C. Returns the exit code.
pub fn run(opts: ServeOptions) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!(
                "{}",
                Msg::ServeCannotStart {
                    error: &e.to_string()
                }
                .both()
            );
            return crate::exit::EXIT_REFUSED;
        }
    };
    runtime.block_on(serve(opts))
}

async fn serve(opts: ServeOptions) -> i32 {
    let addr = SocketAddr::new(opts.bind, opts.port);
    if !opts.bind.is_loopback() {
        let bind = opts.bind.to_string();
        eprintln!("{}", Msg::ServeNotLoopback { bind: &bind }.both());
    }
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "{}",
                Msg::ServeCannotListen {
                    addr: &addr.to_string(),
                    error: &e.to_string()
                }
                .both()
            );
            return crate::exit::EXIT_USAGE;
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    let state = State::new(opts.pipeline.clone(), local);
    // Watch before the first build and before printing the address: a file
    // saved as soon as the address is shown (or during the build) is not missed.
    let _watcher = match watch::start(state.clone()) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!(
                "{}",
                Msg::ServeCannotWatch {
                    error: &e.to_string()
                }
                .both()
            );
            None
        }
    };
    let first = state.rebuild(&[]).await;
    state.print_summary(&first);
    // Listen for Ctrl-C before the address is shown: a Ctrl-C right after it
    // must stop the server, not be lost.
    let ctrl_c = shutdown_signal();
    let url = format!("http://{}/", display_host(local));
    println!("{}", Msg::ServeServingAt { url: &url }.both());
    if opts.open {
        open_browser(&url);
    }
    let app = http::router(state.clone());
    let stop_state = state.clone();
    tokio::spawn(async move {
        ctrl_c.await;
        stop_state.stopping.send_replace(true);
    });
    let result = accept(listener, app, state.stopping.subscribe()).await;
    match result {
        Ok(()) => crate::exit::EXIT_OK,
        Err(e) => {
            eprintln!(
                "{}",
                Msg::ServeError {
                    error: &e.to_string()
                }
                .both()
            );
            crate::exit::EXIT_REFUSED
        }
    }
}

/// Connections open at once at most: a browser opens a few; a client that
/// opens hundreds and sends nothing waits for a free one instead of taking
/// the preview's memory and file handles.
pub const MAX_CONNECTIONS: usize = 64;

/// How long a client may take to send a request's headers: a connection
/// that sends them slowly, or never, is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long open requests get to finish after Ctrl-C.
const GRACE: Duration = Duration::from_secs(3);

/// Accepts connections until `stopping`, each served with a header-read
/// timeout and at most [`MAX_CONNECTIONS`] open at once; then gives open
/// requests [`GRACE`] to finish.
async fn accept(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    mut stopping: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            _ = stopping.wait_for(|s| *s) => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file handles, or a connection reset before it
                    // was accepted: try again shortly.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stopping.wait_for(|s| *s) => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(GRACE) => {}
    }
    Ok(())
}

fn display_host(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", addr.port()),
    }
}

/// Resolves on Ctrl-C. The handler is installed when this is called, not when
/// the future is first polled, so no Ctrl-C after the call is missed.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let sigint = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());
    async move {
        #[cfg(unix)]
        match sigint {
            Ok(mut sigint) => {
                sigint.recv().await;
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("{}", Msg::ServeStopped.both());
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("{}", Msg::ServeOpenBrowser { url }.both());
    }
}

/// The folders and files of a portal the watcher listens to.
pub fn watched_paths(root: &std::path::Path) -> Vec<PathBuf> {
    [
        "content",
        "data",
        "static",
        "themes",
        "templates",
        "cunwu.toml",
    ]
    .iter()
    .map(|p| root.join(p))
    .filter(|p| p.exists())
    .collect()
}
