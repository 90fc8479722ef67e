//! Watches the portal and rebuilds on change. One save can produce several
//! events (create, modify, close-write, or a rename from a temp file): they are
//! debounced, collapsed to a set of paths, and trigger one rebuild.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use super::state::State;
use crate::load::{is_ignored, is_private_path};

/// Keeps the watcher alive; dropping it stops watching.
pub struct WatchGuard {
    _debouncer: Box<dyn std::any::Any + Send>,
}

/// Starts watching; changes are rebuilt on the runtime of the caller.
pub fn start(state: Arc<State>) -> Result<WatchGuard, String> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<BTreeSet<PathBuf>>();
    let root = state.options.root.clone();
    let private = private_paths(&state);
    let mut debouncer = new_debouncer(
        Duration::from_millis(30),
        Some(Duration::from_millis(10)),
        move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            // Reading files during a rebuild raises access events; only real
            // changes count, or every rebuild would trigger the next.
            let paths: BTreeSet<PathBuf> = events
                .iter()
                .filter(|e| is_change(&e.kind))
                .flat_map(|e| e.paths.iter())
                .filter(|p| relevant(&root, p, &private))
                .cloned()
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        },
    )
    .map_err(|e| e.to_string())?;
    for path in super::watched_paths(&state.options.root) {
        let mode = if path.is_dir() {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        debouncer
            .watch(&path, mode)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    tokio::spawn(async move {
        while let Some(mut paths) = rx.recv().await {
            // Collapse everything that arrived while the last rebuild ran.
            while let Ok(more) = rx.try_recv() {
                paths.extend(more);
            }
            let changed: Vec<PathBuf> = paths.into_iter().collect();
            let report = state.rebuild(&changed).await;
            state.print_summary(&report);
        }
    });
    Ok(WatchGuard {
        _debouncer: Box::new(debouncer),
    })
}

fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

fn private_paths(state: &State) -> Vec<String> {
    let text = crate::load::read_regular_string(&state.options.root.join("cunwu.toml"))
        .unwrap_or_default();
    // Only the list of private paths is needed here; a broken config is reported by the build.
    toml::from_str::<toml::Table>(&text)
        .ok()
        .and_then(|t| t.get("privacy")?.get("private")?.as_array().cloned())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(|s| s.trim_matches('/').to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Changes inside `private/`, configured private paths, hidden and editor
/// temp files never trigger a rebuild.
fn relevant(root: &std::path::Path, path: &std::path::Path, private: &[String]) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let hidden = rel
        .components()
        .any(|c| is_ignored(c.as_os_str().to_string_lossy().as_ref()));
    !hidden && !is_private_path(root, path, private)
}
