//! Stage 5, write: puts the rendered files on disk atomically.
//!
//! Files are written into a fresh temporary folder beside the output, which is
//! then swapped in with renames. A build that fails at any point before the
//! swap leaves the previous site exactly as it was.

use std::path::{Component, Path, PathBuf};

use crate::output::OutputFile;

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
}

/// Why a path is refused by the writer (not a clerk's message: a bug if seen).
const UNSAFE_PATH: &str = "the path would leave the output folder / 路径会写到输出目录以外";

/// Threads writing files during a build (see [`Staging::write_while`]).
/// On a disk that is busy writing back (or deleting) a large tree, a
/// `mkdir` or `create` often waits milliseconds for a metadata block; many
/// writers in flight keep the disk's queue full while the two cores render.
/// `CUNWU_WRITE_THREADS` overrides it (1–256), for measuring.
const WRITE_THREADS: usize = 32;

/// Rendered files waiting to be written, at most: bounds the memory they
/// hold (about 10 KB a page: some 20 MB), and lets rendering run ahead of
/// a disk that stalls for a moment instead of waiting for it.
const QUEUE_FILES: usize = 2048;

/// The writer threads: [`WRITE_THREADS`] unless `CUNWU_WRITE_THREADS` says.
fn write_threads() -> usize {
    std::env::var("CUNWU_WRITE_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| (1..=256).contains(n))
        .unwrap_or(WRITE_THREADS)
}

pub use crate::output::STAMP;

/// What the stamp file says (fixed: two builds of the same portal are byte-identical).
const STAMP_TEXT: &str = "This folder is written by cunwu (cunwu build) and is replaced by every build.\n本目录由 cunwu 生成，每次生成都会整个替换。\n";

use crate::output::EARLIER_SITE_FILES;

/// Folders of the portal the output may never be in.
pub const SOURCE_FOLDERS: [&str; 5] = ["content", "data", "themes", "templates", "private"];

/// Prefixes of the folders a build leaves beside (or, in place, inside) the output.
const STAGING_PREFIX: &str = ".cunwu-staging-";
const PREVIOUS_PREFIX: &str = ".cunwu-previous-";

/// Why `--output` is refused. Nothing is touched when it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputRefusal {
    /// The output is the portal's own folder.
    Root,
    /// The output contains the portal.
    Ancestor,
    /// The output is inside one of the portal's source folders.
    Inside(&'static str),
    /// The output exists and is not a folder (or is a broken link).
    NotFolder,
    /// The output is a folder with contents cunwu did not write.
    Foreign,
    /// The output's path cannot be made sense of (`..` after a missing folder...).
    Unresolvable(String),
    /// The output is a site cunwu wrote, with something added that the
    /// build did not write (a `.git` checkout, a `CNAME`).
    Added(String),
}

impl OutputRefusal {
    /// The message shown for `output` (exit code 2).
    pub fn message(&self, output: &str, lang: crate::messages::Lang) -> String {
        use crate::messages::Msg;
        let msg = match self {
            OutputRefusal::Root => Msg::OutputIsRoot { path: output },
            OutputRefusal::Ancestor => Msg::OutputHoldsRoot { path: output },
            OutputRefusal::Inside(folder) => Msg::OutputInSource {
                path: output,
                folder,
            },
            OutputRefusal::NotFolder => Msg::OutputNotFolder { path: output },
            OutputRefusal::Foreign => Msg::OutputForeign {
                path: output,
                stamp: STAMP,
            },
            OutputRefusal::Unresolvable(reason) => Msg::WriteFailed {
                path: output,
                reason,
            },
            OutputRefusal::Added(name) => Msg::OutputAddedFile { path: output, name },
        };
        let hint = Msg::OutputHint.text(lang);
        format!("{}\n  {hint}", msg.text(lang))
    }
}

/// Where the site really goes, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The folder replaced: the output with symbolic links resolved, so a
    /// linked `public/` keeps its link and gets new contents.
    pub dir: PathBuf,
    /// The output is a mount point: it cannot be renamed, so its contents
    /// are replaced in place (staged inside it, then moved up).
    pub in_place: bool,
}

/// `path` made absolute, with symbolic links resolved in the part that exists.
fn resolve(path: &Path) -> Result<PathBuf, String> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| e.to_string())?
            .join(path)
    };
    let mut existing = abs.as_path();
    let mut missing: Vec<&std::ffi::OsStr> = Vec::new();
    loop {
        if std::fs::symlink_metadata(existing).is_ok() {
            let mut real = existing.canonicalize().map_err(|e| e.to_string())?;
            for part in missing.iter().rev() {
                real.push(part);
            }
            return Ok(real);
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(Component::Normal(name))) => {
                missing.push(name);
                existing = parent;
            }
            _ => return Err(format!("cannot resolve {}", abs.display())),
        }
    }
}

/// Decides whether a build may replace `output` for the portal at `root`,
/// before anything is read or written. See docs/limits.md.
pub fn check_output(root: &Path, output: &Path) -> Result<Target, OutputRefusal> {
    // A link that points nowhere is not a folder to write through.
    if std::fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::metadata(output).is_err()
    {
        return Err(OutputRefusal::NotFolder);
    }
    let dir = resolve(output).map_err(OutputRefusal::Unresolvable)?;
    if let Ok(root) = resolve(root) {
        if dir == root {
            return Err(OutputRefusal::Root);
        }
        if root.starts_with(&dir) {
            return Err(OutputRefusal::Ancestor);
        }
        for folder in SOURCE_FOLDERS {
            if dir.starts_with(root.join(folder)) {
                return Err(OutputRefusal::Inside(folder));
            }
        }
    }
    if dir.parent().is_none() {
        return Err(OutputRefusal::Ancestor);
    }
    let meta = match std::fs::metadata(&dir) {
        Ok(m) => m,
        Err(_) => {
            return Ok(Target {
                dir,
                in_place: false,
            });
        }
    };
    if !meta.is_dir() {
        return Err(OutputRefusal::NotFolder);
    }
    if !may_replace(&dir) {
        return Err(OutputRefusal::Foreign);
    }
    if let Some(name) = added_to_site(&dir) {
        return Err(OutputRefusal::Added(name));
    }
    let in_place = is_mount_point(&dir, &meta);
    Ok(Target { dir, in_place })
}

/// An empty folder, one with cunwu's stamp, or a site an earlier cunwu wrote.
fn may_replace(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let names: Vec<std::ffi::OsString> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| {
            let n = n.to_string_lossy();
            // What a killed build left inside a mount point.
            !n.starts_with(STAGING_PREFIX) && !n.starts_with(PREVIOUS_PREFIX)
        })
        .collect();
    names.is_empty()
        || dir.join(STAMP).is_file()
        || EARLIER_SITE_FILES.iter().all(|f| dir.join(f).is_file())
}

/// The line of the stamp after which the top-level names the build wrote
/// are listed, one a line.
const MANIFEST_LINE: &str = "# files / 文件:";

/// The first top-level entry of a stamped site that its stamp does not list
/// (something added after the build: `.git`, `CNAME`, a user's notes).
/// A stamp without a list (written before it existed) lists everything.
fn added_to_site(dir: &Path) -> Option<String> {
    let stamp = std::fs::read_to_string(dir.join(STAMP)).ok()?;
    let (_, list) = stamp.split_once(MANIFEST_LINE)?;
    let listed: std::collections::BTreeSet<&str> = list.lines().map(str::trim).collect();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n != STAMP
                && !n.starts_with(STAGING_PREFIX)
                && !n.starts_with(PREVIOUS_PREFIX)
                && !listed.contains(n.as_str())
        })
        .collect();
    names.sort();
    names.into_iter().next()
}

/// The stamp's text for a staged site: the fixed text, then the top-level
/// names it holds, sorted (two builds of the same portal stay identical).
fn stamp_with_manifest(staged: &Path) -> std::io::Result<String> {
    let mut names: Vec<String> = std::fs::read_dir(staged)?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != STAMP)
        .collect();
    names.sort();
    let mut text = format!("{STAMP_TEXT}{MANIFEST_LINE}\n");
    for n in names {
        text.push_str(&n);
        text.push('\n');
    }
    Ok(text)
}

#[cfg(unix)]
fn is_mount_point(dir: &Path, meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    dir.parent()
        .and_then(|p| std::fs::metadata(p).ok())
        .is_some_and(|parent| parent.dev() != meta.dev())
}

#[cfg(not(unix))]
fn is_mount_point(_dir: &Path, _meta: &std::fs::Metadata) -> bool {
    false
}

/// Puts the staged site at `output` and deletes the previous one. Where the
/// system can (Linux), the two folders are exchanged in one step, so the
/// output holds the old or the new site at every instant; elsewhere the old
/// site is moved aside and the new one in.
fn swap_in(staging: tempfile::TempDir, output: &Path) -> Result<(), String> {
    let staged = staging.keep();
    if output.exists() {
        let t0 = std::time::Instant::now();
        if exchange(&staged, output).is_ok() {
            crate::timing::trace_time("commit: swap", t0);
            // `staged` now holds the previous site.
            let t0 = std::time::Instant::now();
            remove_tree(&staged);
            crate::timing::trace_time("commit: delete the previous site", t0);
            return Ok(());
        }
        return two_renames(&staged, output);
    }
    if let Err(e) = std::fs::rename(&staged, output) {
        remove_tree(&staged);
        return Err(format!("{}: {e}", output.display()));
    }
    Ok(())
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// The swap where folders cannot be exchanged: the old site aside, the new in.
fn two_renames(staged: &Path, output: &Path) -> Result<(), String> {
    let parent = staged.parent().unwrap_or(Path::new(".")).to_path_buf();
    let aside = tempfile::Builder::new()
        .prefix(PREVIOUS_PREFIX)
        .tempdir_in(&parent)
        .map_err(|e| e.to_string())?;
    let aside_path = aside.path().join("site");
    if let Err(e) = std::fs::rename(output, &aside_path) {
        remove_tree(staged);
        return Err(format!("{}: {e}", output.display()));
    }
    if let Err(e) = std::fs::rename(staged, output) {
        // Put the previous site back before reporting.
        let _ = std::fs::rename(&aside_path, output);
        remove_tree(staged);
        return Err(format!("{}: {e}", output.display()));
    }
    remove_tree(aside.path());
    Ok(())
}

/// Replaces the contents of `output` (a mount point) by those of `staged`,
/// a folder inside it: the folder itself stays.
fn replace_contents(staged: &Path, output: &Path) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("{}: {e}", output.display());
    let staged_name = staged.file_name();
    for entry in std::fs::read_dir(output).map_err(fail)? {
        let entry = entry.map_err(fail)?;
        if Some(entry.file_name().as_os_str()) == staged_name {
            continue;
        }
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            remove_tree(&path);
        } else {
            std::fs::remove_file(&path).map_err(fail)?;
        }
    }
    for entry in std::fs::read_dir(staged).map_err(fail)? {
        let entry = entry.map_err(fail)?;
        std::fs::rename(entry.path(), output.join(entry.file_name())).map_err(fail)?;
    }
    std::fs::remove_dir(staged).map_err(fail)
}

/// Removes what killed builds left in `dir`: staging folders and previous
/// sites not locked by a build still running.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(STAGING_PREFIX) || name.starts_with(PREVIOUS_PREFIX)) {
            continue;
        }
        // Only folders, never followed links.
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        if let Some(_lock) = Lock::try_new(&path) {
            remove_tree(&path);
        }
    }
}

/// A lock held on a staging folder while its build runs, so that another
/// build removes only what killed builds left.
struct Lock {
    #[cfg(unix)]
    _file: std::fs::File,
}

impl Lock {
    /// Locks `dir`; `None` when another build holds it.
    fn try_new(dir: &Path) -> Option<Lock> {
        #[cfg(unix)]
        {
            use rustix::fs::{FlockOperation, flock};
            let file = std::fs::File::open(dir).ok()?;
            flock(&file, FlockOperation::NonBlockingLockExclusive).ok()?;
            Some(Lock { _file: file })
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            Some(Lock {})
        }
    }
}

/// Whether `rel` stays inside the folder it is joined to: relative, with
/// plain names only (no `..`, `.`, root or drive prefix).
pub fn is_contained(rel: &str) -> bool {
    let path = Path::new(rel);
    !rel.is_empty()
        && !rel.contains('\\')
        && !rel.contains('\0')
        && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Whether one subfolder in [`SPREAD_EVERY`] is placed apart
/// (`CUNWU_SPREAD_FOLDERS=0` turns it off, for measuring).
fn spreading_wanted() -> bool {
    std::env::var("CUNWU_SPREAD_FOLDERS").map_or(true, |v| v.trim() != "0")
}

/// Marks `dir` (`on`) with ext4's "top of a hierarchy" flag (`chattr +T`),
/// or unmarks it. While `dir` is marked, the allocator puts a new subfolder
/// in the block group with the fewest folders, not in the group it used last
/// for `dir`. Returns whether the file system took the change (others refuse
/// the flag, and nothing changes there).
///
/// Why: unmarked, every page folder of a section, and every file in it, goes
/// to the group the section used last. When a build follows the deletion of
/// the previous site (`rm -rf public`, or cunwu's own deletion at the end of
/// the last build), those groups are full of inodes freed seconds ago. On
/// ext4 without a journal the allocator will not reuse them for a minute
/// (six while their table block is unwritten), and it checks each of them
/// again for every new inode: seconds of kernel time for 5,000 pages, more
/// with every build in a row, and over a minute for 300,000
/// (docs/performance.md, "Session 10").
///
/// Marked for every subfolder, the allocator scans all the disk's groups for
/// each one (some 90 µs on a 250 GB disk), which costs as much at 300,000
/// folders. So only one subfolder in [`SPREAD_EVERY`] is placed apart; the
/// next ones follow it into its group, and no group holds more than a few
/// dozen of the old site's inodes.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn spread_subfolders(dir: &Path, on: bool) -> bool {
    use rustix::fs::{IFlags, ioctl_getflags, ioctl_setflags};
    let Ok(folder) = std::fs::File::open(dir) else {
        return false;
    };
    let Ok(flags) = ioctl_getflags(&folder) else {
        return false;
    };
    let wanted = if on {
        flags | IFlags::TOPDIR
    } else {
        flags - IFlags::TOPDIR
    };
    flags == wanted || ioctl_setflags(&folder, wanted).is_ok()
}

/// One subfolder in this many is placed apart: [`SPREAD_EVERY`] unless
/// `CUNWU_SPREAD_EVERY` says (at least 1), for measuring.
fn spread_every() -> usize {
    std::env::var("CUNWU_SPREAD_EVERY")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(SPREAD_EVERY)
}

/// Measured on 5,000 pages after `rm -rf` (docs/performance.md): 16 and 64
/// give the same 0.9–1.0 s, every folder (1) 1.3–1.4 s, none 1.8–4.7 s.
const SPREAD_EVERY: usize = 16;

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn spread_subfolders(_dir: &Path, _on: bool) -> bool {
    false
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
    target: Target,
    /// Held until the staging folder is swapped in or deleted.
    _lock: Option<Lock>,
    files: std::sync::atomic::AtomicUsize,
    bytes: std::sync::atomic::AtomicU64,
    /// Time the writer threads spent creating folders, and writing files.
    mkdir_time: crate::timing::Total,
    write_time: crate::timing::Total,
    /// Folders made so far (relative to the staging folder): each is made
    /// once, with one `mkdir`, instead of being looked up for every file.
    folders: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Whether folders holding folders are marked for spreading (see
    /// [`spread_subfolders`]): the file system took the mark on the staging
    /// folder itself.
    spreads: bool,
    /// Subfolders made so far in each folder (relative; "" is the staging folder).
    subfolders: std::sync::Mutex<std::collections::HashMap<String, usize>>,
}

impl Staging {
    /// A fresh staging folder beside the output (inside it when the output
    /// is a mount point), holding the stamp. Folders that killed builds left
    /// there are removed first. The output must have passed [`check_output`].
    pub fn new(target: &Target) -> Result<Staging, String> {
        let output = &target.dir;
        let parent = if target.in_place {
            output.as_path()
        } else {
            output
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        remove_leftovers(parent);
        let dir = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(parent)
            .map_err(|e| format!("{}: {e}", parent.display()))?;
        let lock = Lock::try_new(dir.path());
        std::fs::write(dir.path().join(STAMP), STAMP_TEXT)
            .map_err(|e| format!("{}: {e}", dir.path().display()))?;
        // Whether the file system takes the mark at all: tried once, here.
        let spreads = spreading_wanted()
            && spread_subfolders(dir.path(), true)
            && spread_subfolders(dir.path(), false);
        Ok(Staging {
            dir,
            target: target.clone(),
            _lock: lock,
            files: Default::default(),
            bytes: Default::default(),
            mkdir_time: Default::default(),
            write_time: Default::default(),
            folders: Default::default(),
            spreads,
            subfolders: Default::default(),
        })
    }

    /// Writes one file (from any thread).
    pub fn put(&self, file: &OutputFile) -> Result<(), String> {
        // Defence in depth: ids are checked at load, but no path may leave
        // the staging folder whatever made it.
        if !is_contained(&file.path) || file.path == STAMP {
            return Err(format!("{}: {}", file.path, UNSAFE_PATH));
        }
        let path = self.dir.path().join(&file.path);
        if let Some((folder, _)) = file.path.rsplit_once('/') {
            let t0 = std::time::Instant::now();
            self.make_folder(folder)
                .map_err(|e| format!("{}: {e}", file.path))?;
            self.mkdir_time.add(t0);
        }
        let t0 = std::time::Instant::now();
        std::fs::write(&path, &file.bytes).map_err(|e| format!("{}: {e}", file.path))?;
        self.write_time.add(t0);
        self.files
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.bytes.fetch_add(
            file.bytes.len() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        Ok(())
    }

    /// Makes the folder `rel` (a contained relative path) and those above it
    /// in the staging folder, unless this build made it already.
    fn make_folder(&self, rel: &str) -> std::io::Result<()> {
        let made = |rel: &str| self.folders.lock().is_ok_and(|f| f.contains(rel));
        if made(rel) {
            return Ok(());
        }
        let above = match rel.rsplit_once('/') {
            Some((above, _)) => {
                self.make_folder(above)?;
                above
            }
            None => "",
        };
        let path = self.dir.path().join(rel);
        let spread = self.spread_next(above);
        let made = std::fs::create_dir(&path);
        if spread {
            spread_subfolders(&self.dir.path().join(above), false);
        }
        match made {
            Ok(()) => {}
            // Another writer thread made it first.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && path.is_dir() => {}
            Err(e) => return Err(e),
        }
        if let Ok(mut f) = self.folders.lock() {
            f.insert(rel.to_string());
        }
        Ok(())
    }

    /// Whether the next subfolder of `above` (made already; "" is the
    /// staging folder) is placed apart: one in [`SPREAD_EVERY`], the first
    /// included. If so, `above` is marked for it, and the caller unmarks it
    /// once the subfolder is made.
    fn spread_next(&self, above: &str) -> bool {
        if !self.spreads {
            return false;
        }
        let nth = self.subfolders.lock().map_or(1, |mut made| {
            let n = made.entry(above.to_string()).or_insert(0);
            *n += 1;
            *n - 1
        });
        nth % spread_every() == 0 && spread_subfolders(&self.dir.path().join(above), true)
    }

    /// Runs `render` with a function that queues a file for writing, while
    /// [`write_threads`] threads write the queued files: a write that waits
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
            for _ in 0..write_threads() {
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
        self.mkdir_time.trace("write: folders");
        self.write_time.trace("write: files");
        (out, failed.into_inner().unwrap_or_default())
    }

    /// Swaps the staged site in as the output.
    pub fn commit(self) -> Result<WriteStats, String> {
        let stats = WriteStats {
            files: self.files.load(std::sync::atomic::Ordering::Relaxed),
            bytes: self.bytes.load(std::sync::atomic::Ordering::Relaxed),
        };
        let output = self.target.dir.clone();
        let t0 = std::time::Instant::now();
        stamp_with_manifest(self.dir.path())
            .and_then(|t| std::fs::write(self.dir.path().join(STAMP), t))
            .map_err(|e| format!("{}: {e}", self.dir.path().display()))?;
        crate::timing::trace_time("commit: stamp", t0);
        if self.target.in_place {
            let staged = self.dir.keep();
            if let Err(e) = replace_contents(&staged, &output) {
                remove_tree(&staged);
                return Err(e);
            }
        } else {
            swap_in(self.dir, &output)?;
        }
        Ok(stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::toml_reader::{is_id, is_id_path};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Whatever an id or a file name holds, a valid one stays inside the
        /// output, and one that would not stay inside is never valid.
        #[test]
        fn valid_ids_never_leave_the_output(s in "[a-z./\\\\:\u{202e} 龙_-]{0,12}|\\PC{0,8}") {
            if is_id_path(&s) {
                prop_assert!(is_contained(&format!("{s}/index.html")), "{s:?}");
                prop_assert!(!s.split('/').any(|p| p == ".." || p == "."), "{s:?}");
            }
            if is_id(&s) {
                prop_assert!(is_id_path(&s), "{s:?}");
            }
        }
    }

    /// Every file under `dir`, by path relative to it (the stamp left out).
    fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let rel = e.path().strip_prefix(dir).ok()?.to_str()?.to_string();
                (rel != STAMP).then(|| (rel, std::fs::read(e.path()).unwrap_or_default()))
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// However many writer threads race to make the same folders, the
        /// site swapped in holds exactly the files rendered, byte for byte,
        /// and the previous site is gone.
        #[test]
        fn many_writers_write_exactly_the_files_sent(
            files in prop::collection::btree_map(
                (prop::collection::vec(prop::sample::select(vec!["a", "b", "龙沱乡", "c d"]), 0..4),
                 prop::sample::select(vec!["index.html", "data.csv", "print.html"]))
                    .prop_map(|(dirs, name)| {
                        let mut p = dirs.join("/");
                        if !p.is_empty() { p.push('/'); }
                        p + name
                    }),
                prop::collection::vec(any::<u8>(), 0..64),
                1..60,
            ),
            rebuild in any::<bool>(),
        ) {
            use rayon::prelude::*;
            let tmp = tempfile::tempdir().unwrap();
            let out = tmp.path().join("public");
            if rebuild {
                std::fs::create_dir_all(out.join("old/deep")).unwrap();
                std::fs::write(out.join(STAMP), STAMP_TEXT).unwrap();
                std::fs::write(out.join("old/deep/index.html"), "old").unwrap();
            }
            let target = check_output(tmp.path().join("portal").as_path(), &out).unwrap();
            let staging = Staging::new(&target).unwrap();
            let ((), failed) = staging.write_while(|queue| {
                files.par_iter().for_each(|(path, bytes)| {
                    queue(OutputFile { path: path.clone(), bytes: bytes.clone() });
                });
            });
            prop_assert!(failed.is_empty(), "{failed:?}");
            let stats = staging.commit().unwrap();
            prop_assert_eq!(stats.files, files.len());
            let written = tree(&out);
            prop_assert_eq!(&written, &files);
            // Nothing left beside the output.
            let beside: Vec<_> = std::fs::read_dir(tmp.path()).unwrap()
                .filter_map(Result::ok)
                .map(|e| e.file_name())
                .collect();
            prop_assert_eq!(beside.len(), 1, "{:?}", beside);
        }
    }

    /// One subfolder in [`SPREAD_EVERY`] of each folder, the first
    /// included, is placed apart (where the file system takes the mark),
    /// and no folder of the site keeps the mark afterwards.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn one_subfolder_in_every_few_is_placed_apart() {
        use rustix::fs::{IFlags, ioctl_getflags};
        let marked = |dir: &Path| {
            let f = std::fs::File::open(dir).unwrap();
            ioctl_getflags(&f).is_ok_and(|fl| fl.contains(IFlags::TOPDIR))
        };
        let tmp = tempfile::tempdir().unwrap();
        let probe = tmp.path().join("probe");
        std::fs::create_dir(&probe).unwrap();
        let takes_mark = spread_subfolders(&probe, true) && marked(&probe);
        let out = tmp.path().join("public");
        let target = check_output(tmp.path().join("portal").as_path(), &out).unwrap();
        let staging = Staging::new(&target).unwrap();
        let every = spread_every();
        std::fs::create_dir(staging.dir.path().join("areas")).unwrap();
        for parent in ["", "areas"] {
            let folder = staging.dir.path().join(parent);
            let mut apart = Vec::new();
            for nth in 0..3 * every {
                if staging.spread_next(parent) {
                    assert!(marked(&folder), "{parent:?} {nth}");
                    apart.push(nth);
                    spread_subfolders(&folder, false);
                }
                assert!(!marked(&folder), "{parent:?} {nth}");
            }
            let expected = if takes_mark {
                vec![0, every, 2 * every]
            } else {
                Vec::new()
            };
            assert_eq!(apart, expected, "{parent:?}");
        }
        let files: Vec<String> = (0..2 * every + 3)
            .map(|i| format!("projects/p{i}/index.html"))
            .chain(["areas/龙沱乡/村一/index.html".to_string()])
            .collect();
        let ((), failed) = staging.write_while(|queue| {
            for path in &files {
                queue(OutputFile {
                    path: path.clone(),
                    bytes: b"x".to_vec(),
                });
            }
        });
        assert!(failed.is_empty(), "{failed:?}");
        staging.commit().unwrap();
        for dir in walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_dir())
        {
            assert!(!marked(dir.path()), "{}", dir.path().display());
        }
        assert_eq!(tree(&out).len(), files.len());
    }

    #[test]
    fn paths_that_leave_the_folder_are_not_contained() {
        for bad in ["", "../x", "a/../../x", "/etc/x", "a\\..\\x", "./a", "a\0b"] {
            assert!(!is_contained(bad), "{bad:?}");
        }
        for good in ["index.html", "areas/龙沱乡/index.html", "a..b/c"] {
            assert!(is_contained(good), "{good:?}");
        }
    }
}
