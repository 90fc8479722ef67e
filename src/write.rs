//! Stage 5, write: puts the rendered files on disk atomically.
//!
//! Files are written into a fresh temporary folder beside the output, which is
//! then swapped in with renames. A build that fails at any point before the
//! swap leaves the previous site exactly as it was.

use std::path::Path;

use crate::render::OutputFile;

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
}

/// Threads writing files during a build (see [`Staging::write_while`]).
const WRITE_THREADS: usize = 8;

/// Rendered files waiting to be written, at most: bounds the memory they hold.
const QUEUE_FILES: usize = 256;

/// Moves the old site aside, the new one in, then deletes the old one.
fn swap_in(staging: tempfile::TempDir, output: &Path) -> Result<(), String> {
    let parent = staging
        .path()
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let old = if output.exists() {
        let aside = tempfile::Builder::new()
            .prefix(".cunwu-previous-")
            .tempdir_in(&parent)
            .map_err(|e| e.to_string())?;
        let aside_path = aside.path().join("site");
        std::fs::rename(output, &aside_path).map_err(|e| format!("{}: {e}", output.display()))?;
        Some((aside, aside_path))
    } else {
        None
    };
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, output) {
        // Put the previous site back before reporting.
        if let Some((_, aside_path)) = &old {
            let _ = std::fs::rename(aside_path, output);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(format!("{}: {e}", output.display()));
    }
    if let Some((aside, _)) = old {
        remove_tree(aside.path());
    }
    Ok(())
}

/// Threads that delete the previous site. Deleting waits on the disk far more
/// than on the processor (on a virtual disk whose writeback is busy, tens of
/// milliseconds per file), so many deletions in flight at once finish
/// several times sooner than one after the other.
const DELETE_THREADS: usize = 32;

/// Deletes the tree at `path`, many entries at a time. Symbolic links are
/// removed, never followed. What cannot be deleted is left: it is the old
/// site, already out of the way.
fn remove_tree(path: &Path) {
    match rayon::ThreadPoolBuilder::new()
        .num_threads(DELETE_THREADS)
        .build()
    {
        Ok(pool) => pool.install(|| remove_children(path)),
        Err(_) => remove_children(path),
    }
    let _ = std::fs::remove_dir_all(path);
}

fn remove_children(dir: &Path) {
    use rayon::prelude::*;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let entries: Vec<std::fs::DirEntry> = entries.filter_map(Result::ok).collect();
    entries.par_iter().for_each(|entry| {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            remove_children(&path);
            let _ = std::fs::remove_dir(&path);
        } else {
            let _ = std::fs::remove_file(&path);
        }
    });
}

/// A staging folder beside the output that files are written into as they
/// are rendered. Nothing replaces the output until [`Staging::commit`];
/// dropping it deletes what was written.
pub struct Staging {
    dir: tempfile::TempDir,
    files: std::sync::atomic::AtomicUsize,
    bytes: std::sync::atomic::AtomicU64,
}

impl Staging {
    /// A fresh staging folder in the output's parent folder.
    pub fn new(output: &Path) -> Result<Staging, String> {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        let dir = tempfile::Builder::new()
            .prefix(".cunwu-staging-")
            .tempdir_in(parent)
            .map_err(|e| format!("{}: {e}", parent.display()))?;
        Ok(Staging {
            dir,
            files: Default::default(),
            bytes: Default::default(),
        })
    }

    /// Writes one file (from any thread).
    pub fn put(&self, file: &OutputFile) -> Result<(), String> {
        let path = self.dir.path().join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", file.path))?;
        }
        std::fs::write(&path, &file.bytes).map_err(|e| format!("{}: {e}", file.path))?;
        self.files
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.bytes.fetch_add(
            file.bytes.len() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        Ok(())
    }

    /// Runs `render` with a function that queues a file for writing, while
    /// [`WRITE_THREADS`] threads write the queued files: a write that waits
    /// on the disk then holds up a writer, not the rendering. Returns what
    /// `render` returned and the files that could not be written, with why.
    pub fn write_while<R>(
        &self,
        render: impl FnOnce(&(dyn Fn(OutputFile) + Sync)) -> R,
    ) -> (R, Vec<(String, String)>) {
        let (queue, queued) = std::sync::mpsc::sync_channel::<OutputFile>(QUEUE_FILES);
        let queued = std::sync::Mutex::new(queued);
        let failed = std::sync::Mutex::new(Vec::new());
        let out = std::thread::scope(|scope| {
            for _ in 0..WRITE_THREADS {
                scope.spawn(|| {
                    // One writer at a time waits for the next file.
                    while let Some(file) = queued.lock().ok().and_then(|q| q.recv().ok()) {
                        if let Err(reason) = self.put(&file) {
                            if let Ok(mut f) = failed.lock() {
                                f.push((file.path, reason));
                            }
                        }
                    }
                });
            }
            let send = |file: OutputFile| {
                let _ = queue.send(file);
            };
            let out = render(&send);
            drop(queue); // the writers finish the queue, then stop
            out
        });
        (out, failed.into_inner().unwrap_or_default())
    }

    /// Swaps the staged site in as `output`.
    pub fn commit(self, output: &Path) -> Result<WriteStats, String> {
        let stats = WriteStats {
            files: self.files.load(std::sync::atomic::Ordering::Relaxed),
            bytes: self.bytes.load(std::sync::atomic::Ordering::Relaxed),
        };
        swap_in(self.dir, output)?;
        Ok(stats)
    }
}
