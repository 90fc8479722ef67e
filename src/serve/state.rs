//! The preview server's shared state: the last good site, the current
//! findings, and a channel that tells open pages to reload.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::broadcast;

use crate::messages::Msg;
use crate::pipeline::{Options, Outcome};
use crate::session::{Session, Update};

/// One built site, held in memory.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub files: HashMap<String, Arc<[u8]>>,
    /// Findings of the last rebuild, rendered as text, when it was refused.
    pub overlay: Option<String>,
    /// Increases on every rebuild; pages reload when it changes.
    pub version: u64,
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
    /// The kept build; its lock also serialises rebuilds.
    session: Arc<std::sync::Mutex<Session>>,
}

/// What one rebuild did.
pub struct RebuildReport {
    /// `None` when the rebuild itself crashed.
    pub outcome: Option<Outcome>,
    pub changed_files: usize,
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
            session: Arc::new(std::sync::Mutex::new(Session::new(session_options))),
        })
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Rebuilds in memory. On success the new site replaces the old one; on
    /// failure the old site stays and the overlay shows the findings.
    pub async fn rebuild(self: &Arc<Self>, changed: &[PathBuf]) -> RebuildReport {
        let started = std::time::Instant::now();
        let session = self.session.clone();
        let changed = changed.to_vec();
        // A panic inside a stage must not take the preview down: report it as a failed build.
        let built = tokio::task::spawn_blocking(move || {
            let mut session = session
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| session.rebuild(&changed)))
        })
        .await;
        let Ok(Ok((outcome, update))) = built else {
            return self.internal_error(started);
        };
        let old = self.snapshot();
        let version = old.version + 1;
        let (snapshot, changed_files) = match update {
            Some(update) => apply(&old, update, version),
            None => {
                let text = overlay_text(&outcome);
                let files = old.files.clone();
                (
                    Snapshot {
                        files,
                        overlay: Some(text),
                        version,
                    },
                    0,
                )
            }
        };
        if let Ok(mut s) = self.snapshot.write() {
            *s = Arc::new(snapshot);
        }
        let _ = self.reload.send(version);
        RebuildReport {
            outcome: Some(outcome),
            changed_files,
            took: started.elapsed(),
        }
    }

    fn internal_error(&self, started: std::time::Instant) -> RebuildReport {
        let old = self.snapshot();
        let version = old.version + 1;
        if let Ok(mut s) = self.snapshot.write() {
            *s = Arc::new(Snapshot {
                files: old.files.clone(),
                overlay: Some(
                    "internal error while rebuilding / 内部错误，请报告给维护人员".into(),
                ),
                version,
            });
        }
        let _ = self.reload.send(version);
        RebuildReport {
            outcome: None,
            changed_files: 0,
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
            let line = Msg::ServeRebuilt {
                pages: outcome.pages,
                changed: report.changed_files,
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

/// The next snapshot after an update, and how many files differ.
fn apply(old: &Snapshot, update: Update, version: u64) -> (Snapshot, usize) {
    let (mut map, files, removed, full) = match update {
        Update::All(files) => (HashMap::with_capacity(files.len()), files, Vec::new(), true),
        Update::Some(files) => (old.files.clone(), files, Vec::new(), false),
        Update::Patch { files, removed } => (old.files.clone(), files, removed, false),
    };
    let mut changed = 0;
    for path in removed {
        if map.remove(&path).is_some() {
            changed += 1;
        }
    }
    let mut seen = std::collections::HashSet::new();
    for f in files {
        seen.insert(f.path.clone());
        match old.files.get(&f.path) {
            Some(b) if **b == *f.bytes => {
                map.insert(f.path, b.clone());
            }
            _ => {
                changed += 1;
                map.insert(f.path, Arc::from(f.bytes));
            }
        }
    }
    if full {
        changed += old.files.keys().filter(|k| !seen.contains(*k)).count();
    }
    let snapshot = Snapshot {
        files: map,
        overlay: None,
        version,
    };
    (snapshot, changed)
}
