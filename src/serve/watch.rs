//! Watches the portal and rebuilds on change. One save can produce several
//! events (create, modify, close-write, or a rename from a temp file): they are
//! collapsed to a set of paths that triggers one rebuild, as soon as every
//! path in it is known to be whole (see [`Batch`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::state::State;
use crate::load::{is_ignored, is_private_path};

/// How long a batch waits for more events while some file in it may still
/// be being written (modified, not yet closed).
const SETTLE: Duration = Duration::from_millis(30);
/// How long it waits once every file in it is whole (closed after writing,
/// or renamed into place): a save that ends with several steps (close,
/// then rename over the old file, or change its mode) makes them within this.
const GRACE: Duration = Duration::from_millis(4);

/// Keeps the watcher alive; dropping it stops watching.
pub struct WatchGuard {
    _watcher: Box<dyn std::any::Any + Send>,
}

/// Starts watching; changes are rebuilt on the runtime of the caller.
pub fn start(state: Arc<State>) -> Result<WatchGuard, String> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<BTreeSet<PathBuf>>();
    let (raw_tx, raw_rx) = std::sync::mpsc::channel::<Event>();
    let root = state.options.root.clone();
    // The watcher names files by their absolute, resolved path; the session
    // knows them as `root` joined with their place in the portal.
    let real_root = root.canonicalize().ok();
    let private = private_paths(&state);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
        if let Ok(event) = event {
            let _ = raw_tx.send(event);
        }
    })
    .map_err(|e| e.to_string())?;
    std::thread::spawn(move || {
        while let Some(batch) = next_batch(&raw_rx) {
            let paths: BTreeSet<PathBuf> = batch
                .into_iter()
                .map(|p| under_root(&root, real_root.as_deref(), &p))
                .filter(|p| relevant(&root, p, &private))
                .collect();
            if !paths.is_empty() && tx.send(paths).is_err() {
                return;
            }
        }
    });
    for path in super::watched_paths(&state.options.root) {
        let mode = if path.is_dir() {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        watcher
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
        _watcher: Box::new(watcher),
    })
}

/// The paths of the next batch of changes; `None` once the watcher is gone.
fn next_batch(events: &Receiver<Event>) -> Option<Vec<PathBuf>> {
    let mut batch = Batch::default();
    while batch.is_empty() {
        batch.add(&events.recv().ok()?);
    }
    loop {
        let wait = if batch.all_whole() { GRACE } else { SETTLE };
        match events.recv_timeout(wait) {
            Ok(event) => batch.add(&event),
            Err(RecvTimeoutError::Timeout) => return Some(batch.paths()),
            Err(RecvTimeoutError::Disconnected) => return Some(batch.paths()),
        }
    }
}

/// Changed paths, each with whether it is whole: its last event closed it
/// after writing, renamed it into place or created a folder.
/// A batch of whole files is rebuilt after [`GRACE`], anything else after
/// [`SETTLE`] without events, so a file is not read half-written.
///
/// A file created within the batch and gone by its end (`sed -i`'s and
/// many editors' temp files, renamed over the file they save) changed
/// nothing: it is left out, or the preview would take it for a new file
/// and rebuild everything.
#[derive(Default)]
struct Batch {
    paths: BTreeMap<PathBuf, bool>,
    created: BTreeSet<PathBuf>,
}

impl Batch {
    fn add(&mut self, event: &Event) {
        let Some(whole) = change(&event.kind) else {
            return;
        };
        for (i, path) in event.paths.iter().enumerate() {
            // A rename names the old path first: it is gone, not whole.
            let both = matches!(
                event.kind,
                EventKind::Modify(ModifyKind::Name(RenameMode::Both))
            );
            let whole = whole && !(both && i == 0 && event.paths.len() > 1);
            if self.paths.insert(path.clone(), whole).is_none()
                && matches!(event.kind, EventKind::Create(_))
            {
                self.created.insert(path.clone());
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    fn all_whole(&self) -> bool {
        (self.paths.iter()).all(|(path, &whole)| whole || self.transient(path))
    }

    /// Made within this batch and gone again: no change at all.
    fn transient(&self, path: &Path) -> bool {
        self.created.contains(path) && std::fs::symlink_metadata(path).is_err()
    }

    fn paths(self) -> Vec<PathBuf> {
        let keep: Vec<PathBuf> = (self.paths.keys())
            .filter(|p| !self.transient(p))
            .cloned()
            .collect();
        keep
    }
}

/// Whether an event changes a file (`None`: it does not, such as the
/// reads of a rebuild, which would otherwise trigger the next one), and if
/// so whether the file is whole after it: written and closed, or renamed
/// into place. A file removed or renamed away is not: an editor that saves
/// by moving the old file aside writes the new one next, and a batch handed
/// over in between would take the file for deleted.
fn change(kind: &EventKind) -> Option<bool> {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(true),
        EventKind::Access(_) | EventKind::Any | EventKind::Other => None,
        EventKind::Create(CreateKind::Folder) => Some(true),
        EventKind::Remove(_) | EventKind::Create(_) => Some(false),
        EventKind::Modify(ModifyKind::Metadata(_)) => None,
        EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) => Some(true),
        EventKind::Modify(_) => Some(false),
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
    use std::io::Write;

    /// A watcher on a fresh folder, sending raw events as `start` does.
    fn watch_folder(name: &str) -> (PathBuf, Receiver<Event>, notify::RecommendedWatcher) {
        let dir = std::env::temp_dir().join(format!("cunwu-watch-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |e: notify::Result<Event>| {
            if let Ok(e) = e {
                let _ = tx.send(e);
            }
        })
        .unwrap();
        watcher.watch(&dir, RecursiveMode::Recursive).unwrap();
        (dir, rx, watcher)
    }

    /// A file written in pieces, with pauses longer than the grace given
    /// to whole files, is not handed over until it is closed: the rebuild
    /// never reads it half-written.
    #[test]
    fn a_file_written_in_pieces_is_handed_over_whole() {
        let (dir, rx, _watcher) = watch_folder("pieces");
        let file = dir.join("v01.toml");
        // Pauses longer than the grace, and well short of the settle time
        // (a writer that stops longer than that is read as it stands, and
        // the next write triggers another rebuild).
        let grace = GRACE.as_millis() as u64;
        let pauses = [grace + 2, grace + 5, grace + 8, grace + 4, grace + 10];
        assert!(pauses.iter().all(|&p| p * 2 < SETTLE.as_millis() as u64));
        for (round, pause_ms) in pauses.into_iter().enumerate() {
            let pieces: Vec<String> = (0..4)
                .map(|k| format!("# round {round} piece {k}\n{}\n", "x".repeat(64 * k)))
                .collect();
            let whole = pieces.concat();
            let writer = {
                let (file, pieces) = (file.clone(), pieces.clone());
                std::thread::spawn(move || {
                    let mut f = std::fs::File::create(&file).unwrap();
                    for piece in pieces {
                        f.write_all(piece.as_bytes()).unwrap();
                        f.flush().unwrap();
                        std::thread::sleep(Duration::from_millis(pause_ms));
                    }
                })
            };
            let batch = next_batch(&rx).expect("a batch");
            assert!(batch.contains(&file), "round {round}: {batch:?}");
            let read = std::fs::read_to_string(&file).unwrap();
            assert_eq!(
                read, whole,
                "round {round} (pauses of {pause_ms} ms) read half-written"
            );
            writer.join().unwrap();
            // Whatever the last piece's events left behind.
            while rx.recv_timeout(SETTLE * 2).is_ok() {}
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An editor's save through a temp file renamed over the original is
    /// one batch naming the original.
    #[test]
    fn a_save_through_a_temp_file_is_one_batch() {
        let (dir, rx, _watcher) = watch_folder("rename");
        let file = dir.join("plan.md");
        std::fs::write(&file, "old").unwrap();
        let _ = next_batch(&rx);
        while rx.recv_timeout(SETTLE * 2).is_ok() {}
        let tmp = dir.join("plan.md.tmp");
        std::fs::write(&tmp, "new").unwrap();
        std::fs::rename(&tmp, &file).unwrap();
        let mut seen = next_batch(&rx).expect("a batch");
        // A slow machine may split the save; every part still arrives.
        while !seen.contains(&file) {
            seen.extend(next_batch(&rx).expect("the rename"));
        }
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        assert!(!seen.contains(&tmp), "the temp file is no change: {seen:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An editor that moves the old file aside before writing the new one
    /// (vim's default) hands over the file once it is there again, when
    /// the gap between the two steps is short of the settle time: never as
    /// a file deleted.
    #[test]
    fn a_save_that_moves_the_old_file_aside_hands_over_the_new_one() {
        let (dir, rx, _watcher) = watch_folder("aside");
        let file = dir.join("v01.toml");
        std::fs::write(&file, "old").unwrap();
        let _ = next_batch(&rx);
        while rx.recv_timeout(SETTLE * 2).is_ok() {}
        // Gaps well short of the settle time, as in the test above.
        for (round, gap_ms) in [0u64, 5, 9, 13].into_iter().enumerate() {
            let text = format!("round {round}");
            let writer = {
                let (file, text) = (file.clone(), text.clone());
                let aside = dir.join("v01.toml~");
                std::thread::spawn(move || {
                    std::fs::rename(&file, &aside).unwrap();
                    std::thread::sleep(Duration::from_millis(gap_ms));
                    std::fs::write(&file, text).unwrap();
                    std::fs::remove_file(&aside).unwrap();
                })
            };
            let batch = next_batch(&rx).expect("a batch");
            if batch.contains(&file) {
                let read = std::fs::read_to_string(&file);
                assert_eq!(
                    read.ok().as_deref(),
                    Some(text.as_str()),
                    "round {round}: {batch:?}"
                );
            }
            writer.join().unwrap();
            while rx.recv_timeout(SETTLE * 2).is_ok() {}
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    proptest! {
        /// A batch waits the short grace only when every path's last
        /// change left it whole; reads and metadata changes are no changes.
        #[test]
        fn a_batch_is_whole_when_every_path_was_last_closed_or_renamed_in(
            events in proptest::collection::vec((0usize..3, 0usize..8), 1..20),
        ) {
            let kinds = [
                (EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any)), Some(false)),
                (EventKind::Create(CreateKind::File), Some(false)),
                (EventKind::Access(AccessKind::Close(AccessMode::Write)), Some(true)),
                (EventKind::Remove(notify::event::RemoveKind::File), Some(false)),
                (EventKind::Modify(ModifyKind::Name(RenameMode::To)), Some(true)),
                (EventKind::Access(AccessKind::Read), None),
                (EventKind::Access(AccessKind::Close(AccessMode::Read)), None),
                (EventKind::Modify(ModifyKind::Metadata(notify::event::MetadataKind::Any)), None),
            ];
            let mut batch = Batch::default();
            let mut last: BTreeMap<usize, bool> = BTreeMap::new();
            // Paths first met being created: none of them is on disk, so
            // they count as temp files made and gone within the batch.
            let mut made_here = std::collections::BTreeSet::new();
            for (file, k) in events {
                let (kind, whole) = kinds[k];
                let path = std::env::temp_dir().join(format!("cunwu-no-such-{file}"));
                batch.add(&Event::new(kind).add_path(path));
                if let Some(whole) = whole {
                    if !last.contains_key(&file) && matches!(kind, EventKind::Create(_)) {
                        made_here.insert(file);
                    }
                    last.insert(file, whole);
                }
            }
            prop_assert_eq!(batch.is_empty(), last.is_empty());
            let whole = last.iter().all(|(f, &w)| w || made_here.contains(f));
            prop_assert_eq!(batch.all_whole(), whole);
        }
    }

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
