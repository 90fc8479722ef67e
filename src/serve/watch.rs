//! Watches the portal and rebuilds on change. One save can produce several
//! events (create, modify, close-write, or a rename from a temp file): they are
//! debounced, collapsed to a set of paths, and trigger one rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
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
    // The watcher names files by their absolute, resolved path; the session
    // knows them as `root` joined with their place in the portal.
    let real_root = root.canonicalize().ok();
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
                .map(|p| under_root(&root, real_root.as_deref(), p))
                .filter(|p| relevant(&root, p, &private))
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

/// `path` as the session knows it: `root` joined with its place in the
/// portal. The watcher reports absolute paths with links resolved, so with a
/// relative root (`cunwu serve` in the portal's folder: root `.`) an edited
/// data file would not be found among the files read, and every edit would
/// rebuild everything; a path outside the portal is left as it is.
fn under_root(root: &Path, real_root: Option<&Path>, path: &Path) -> PathBuf {
    if path.starts_with(root) {
        return path.to_path_buf();
    }
    match real_root.and_then(|r| path.strip_prefix(r).ok()) {
        Some(rest) => root.join(rest),
        None => path.to_path_buf(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the root is written as, an event's path inside the
        /// portal comes back as that root joined with the file's place.
        #[test]
        fn event_paths_come_back_under_the_root_as_written(
            rel in proptest::collection::vec("[a-z0-9_\\-]{1,8}(\\.toml|\\.md)?", 1..5),
            root_form in 0usize..4,
        ) {
            let real = std::env::temp_dir().join("cunwu-watch-test").join("portal");
            let root = match root_form {
                0 => PathBuf::from("."),
                1 => PathBuf::from("portal"),
                2 => PathBuf::from("./sub/../portal"),
                _ => real.clone(),
            };
            let rest: PathBuf = rel.iter().collect();
            let event = real.join(&rest);
            let got = under_root(&root, Some(&real), &event);
            prop_assert_eq!(got, root.join(&rest));
            // Outside the portal: unchanged.
            let outside = std::env::temp_dir().join("elsewhere").join(&rest);
            prop_assert_eq!(under_root(&root, Some(&real), &outside), outside);
        }
    }
}
