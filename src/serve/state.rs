//! The preview server's shared state: the last good site, the current
//! findings, and a channel that tells open pages to reload.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::broadcast;

use crate::messages::Msg;
use crate::pipeline::{Options, Outcome};
use crate::session::{Fetch, Session};

/// What every page served shows besides itself: the findings of the last
/// change when it was refused, and the version open pages compare against.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Findings of the last rebuild, rendered as text, when it was refused.
    pub overlay: Option<String>,
    /// Increases on every rebuild; pages reload when it changes.
    pub version: u64,
}

/// One file of the site for a request.
pub enum Fetched {
    /// The file, scanned by the privacy gate.
    File(Arc<[u8]>),
    /// Refused when it was made: the findings as text, and the last version
    /// of the file served, if any.
    Refused {
        findings: String,
        errors: usize,
        last_good: Option<Arc<[u8]>>,
    },
    Missing,
}

/// Shared by the HTTP handlers and the watcher.
pub struct State {
    pub options: Options,
    pub addr: SocketAddr,
    snapshot: RwLock<Arc<Snapshot>>,
    pub reload: broadcast::Sender<u64>,
    /// Turns `true` on Ctrl-C: open event streams end so that the graceful
    /// shutdown does not wait for them forever.
    pub stopping: tokio::sync::watch::Sender<bool>,
    /// The kept site, whose files are made on request; its lock also
    /// serialises rebuilds and requests (a request waits for a rebuild in
    /// progress, then gets the new page).
    session: Arc<std::sync::Mutex<Session>>,
}

/// What one rebuild did.
pub struct RebuildReport {
    /// `None` when the rebuild itself crashed.
    pub outcome: Option<Outcome>,
    pub took: Duration,
}

impl State {
    pub fn new(options: Options, addr: SocketAddr) -> Arc<State> {
        let (reload, _) = broadcast::channel(16);
        let session_options = options.clone();
        Arc::new(State {
            options,
            addr,
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            reload,
            stopping: tokio::sync::watch::Sender::new(false),
            session: Arc::new(std::sync::Mutex::new(Session::on_demand(session_options))),
        })
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Takes in a change: loads, checks and gates it (nothing is rendered
    /// until asked for). On success pages are made from the new site; on
    /// failure the old site stays and the overlay shows the findings.
    pub async fn rebuild(self: &Arc<Self>, changed: &[PathBuf]) -> RebuildReport {
        let started = std::time::Instant::now();
        let changed = changed.to_vec();
        let built = self.with_session(move |s| s.refresh(&changed)).await;
        let Some((outcome, _)) = built else {
            return self.internal_error(started);
        };
        let old = self.snapshot();
        let version = old.version + 1;
        let overlay = (outcome.errors() > 0).then(|| overlay_text(&outcome));
        if let Ok(mut s) = self.snapshot.write() {
            *s = Arc::new(Snapshot { overlay, version });
        }
        let _ = self.reload.send(version);
        RebuildReport {
            outcome: Some(outcome),
            took: started.elapsed(),
        }
    }

    /// Runs `f` on the session on a blocking thread. `None` when it panicked:
    /// a panic inside a stage must not take the preview down.
    async fn with_session<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Session) -> T + Send + 'static,
    ) -> Option<T> {
        let session = self.session.clone();
        let done = tokio::task::spawn_blocking(move || {
            let mut session = session
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut session)))
        })
        .await;
        match done {
            Ok(Ok(t)) => Some(t),
            _ => None,
        }
    }

    /// The site's file at `path`, made now if it was not kept. A refused
    /// file's findings are printed too.
    pub async fn fetch(&self, path: &str) -> Fetched {
        let p = path.to_string();
        match self.with_session(move |s| s.file(&p)).await {
            Some(Fetch::File(bytes)) => Fetched::File(bytes),
            Some(Fetch::Missing) => Fetched::Missing,
            Some(Fetch::Refused { outcome, last_good }) => {
                crate::print::to_stderr(&outcome);
                eprintln!(
                    "{}",
                    Msg::ServeFileRefused {
                        path,
                        errors: outcome.errors()
                    }
                    .both()
                );
                Fetched::Refused {
                    findings: overlay_text(&outcome),
                    errors: outcome.errors(),
                    last_good,
                }
            }
            None => Fetched::Refused {
                findings: Msg::ServeInternalError.both(),
                errors: 1,
                last_good: None,
            },
        }
    }

    /// Whether the site has a file at `path`, without making it.
    pub async fn has_file(&self, path: &str) -> bool {
        let p = path.to_string();
        self.with_session(move |s| s.has_file(&p))
            .await
            .unwrap_or(false)
    }

    fn internal_error(&self, started: std::time::Instant) -> RebuildReport {
        let old = self.snapshot();
        let version = old.version + 1;
        if let Ok(mut s) = self.snapshot.write() {
            *s = Arc::new(Snapshot {
                overlay: Some(Msg::ServeInternalError.both()),
                version,
            });
        }
        let _ = self.reload.send(version);
        RebuildReport {
            outcome: None,
            took: started.elapsed(),
        }
    }

    /// Prints the findings once per rebuild, and a one-line summary.
    pub fn print_summary(&self, report: &RebuildReport) {
        let Some(outcome) = &report.outcome else {
            eprintln!("{}", Msg::ServeInternalError.both());
            return;
        };
        crate::print::to_stderr(outcome);
        let ms = report.took.as_millis();
        if outcome.errors() == 0 {
            let line = Msg::ServeChecked {
                pages: outcome.pages,
                ms,
            };
            eprintln!("{}", line.both());
        } else {
            let line = Msg::ServeNotRebuilt {
                errors: outcome.errors(),
            };
            eprintln!("{}", line.both());
        }
    }
}

/// The findings as plain text for the browser overlay (escaped when injected).
fn overlay_text(outcome: &Outcome) -> String {
    let mut buf = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    let _ = crate::print::human(&mut buf, &outcome.sources, &outcome.diags, outcome.lang);
    String::from_utf8_lossy(&buf.into_inner()).into_owned()
}
