//! Stage 1, load: the only stage that reads the portal from disk.
//!
//! Files are listed in a sorted order (so file ids and output are reproducible),
//! then read and parsed in parallel. A file that fails to parse yields
//! diagnostics and no records; the other files are still read.

pub mod attach;
mod config;
mod content;
mod data;
mod git;
pub mod sheet;
pub mod toml_reader;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::messages::{Lang, Msg};
use crate::model::{Config, Page, Portal, Records};
use crate::source::{SourceFile, Sources, Span};
use toml_reader::Ctx;

pub use content::default_id;

/// What the load stage produces: the portal, the files it read, and findings.
pub struct Loaded {
    pub portal: Portal,
    pub sources: Sources,
    pub diags: Vec<Diagnostic>,
}

/// A file found under the portal, before reading.
#[derive(Debug, Clone)]
struct Entry {
    /// Path relative to the root with `/`.
    name: String,
    path: PathBuf,
    kind: EntryKind,
}

/// Why a file's text could not be read.
#[derive(Debug, Clone)]
enum ReadError {
    Io(String),
    /// Not a regular file, or too large: not opened or not read.
    Skipped(NotRead),
    /// Not UTF-8: the text with bad bytes replaced, and where the first one is.
    NotUtf8 {
        lossy: Arc<str>,
        at: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Data,
    Content,
    Unknown,
    /// A spreadsheet under `data/`, kept as its reading (`sheet.rs`).
    Sheet,
}

/// Reads the portal at `root`. `lang` is used until `cunwu.toml` says otherwise.
pub fn load(root: &Path, lang_override: Option<Lang>) -> Loaded {
    load_parts(root, lang_override).into_loaded()
}

/// The portal as read, with what each file parsed into: what the preview
/// keeps so that one changed file is read and parsed again alone and its
/// records put in the place of its old ones ([`Parts::reread`]).
#[derive(Clone)]
pub struct Parts {
    lang: Lang,
    sources: Sources,
    /// Findings about `cunwu.toml` (and `static/`).
    config_diags: Vec<Diagnostic>,
    files: Vec<Part>,
    /// The date of the last commit of each file, when the root is a git checkout.
    git: Arc<git::Dates>,
    /// Every file's records and documents, in file order.
    portal: Portal,
    /// The records of files read again, as they were before the first
    /// time since [`Parts::take_replaced`].
    replaced: std::collections::HashMap<crate::source::FileId, Records>,
}

/// One file under `data/` or `content/`; its records are in the portal.
#[derive(Clone)]
struct Part {
    entry: Entry,
    file: crate::source::FileId,
    diags: Vec<Diagnostic>,
}

/// Reads and parses every file of the portal at `root`, keeping each file's records apart.
pub fn load_parts(root: &Path, lang_override: Option<Lang>) -> Parts {
    let mut config_diags = Vec::new();
    let mut sources = Sources::default();

    // cunwu.toml first: it says which language messages use and which paths are private.
    let (mut config, lang) = read_site_config(root, lang_override, &mut sources, &mut config_diags);
    config.lang = lang;

    let t0 = std::time::Instant::now();
    let (entries, bad_links) = list_files(root, &config.privacy.private_paths);
    config_diags.extend(bad_links.iter().map(|b| bad_link(b, lang)));
    crate::timing::trace_time("load: list", t0);
    let texts: Vec<Result<Arc<str>, ReadError>> =
        entries.par_iter().map(|e| read_text(&e.path)).collect();
    crate::timing::trace_time("load: read", t0);
    // Line starts are found in parallel; ids are given in the sorted order.
    let files: Vec<SourceFile> = entries
        .par_iter()
        .zip(&texts)
        .map(|(entry, text)| {
            let text = match text {
                Ok(t) | Err(ReadError::NotUtf8 { lossy: t, .. }) => t.clone(),
                Err(ReadError::Io(_) | ReadError::Skipped(_)) => Arc::from(""),
            };
            SourceFile::new(entry.name.clone(), entry.path.clone(), text)
        })
        .collect();
    let file_ids: Vec<crate::source::FileId> = files.into_iter().map(|f| sources.add(f)).collect();

    crate::timing::trace_time("load: sources", t0);
    let parsed: Vec<(Part, Parsed)> = entries
        .into_par_iter()
        .zip(texts.par_iter())
        .zip(file_ids.par_iter())
        .map(|((entry, text), &file)| {
            let (parsed, diags) = parse_entry(&entry, text, file, lang);
            (Part { entry, file, diags }, parsed)
        })
        .collect();
    crate::timing::trace_time("load: parse", t0);
    let git = Arc::new(git::last_commit_dates(root));
    crate::timing::trace_time("load: git dates", t0);
    let (attachments, attach_diags) = attach::read(root, &config, &mut sources, lang);
    config_diags.extend(attach_diags);
    crate::timing::trace_time("load: static", t0);
    let mut portal = empty_portal(config);
    portal.attachments = attachments;
    portal
        .records
        .reserve_for(parsed.iter().filter_map(|(_, p)| p.data.as_ref()));
    portal
        .pages
        .reserve(parsed.iter().filter(|(_, p)| p.page.is_some()).count());
    let mut files = Vec::with_capacity(parsed.len());
    for (part, parsed) in parsed {
        date_of(&mut portal, &part, &parsed, &git);
        if let Some(data) = parsed.data {
            portal.records.extend(data);
        }
        portal.pages.extend(parsed.page);
        files.push(part);
    }
    Parts {
        lang,
        sources,
        config_diags,
        files,
        git,
        portal,
        replaced: Default::default(),
    }
}

/// What one file parsed into.
struct Parsed {
    data: Option<Records>,
    page: Option<Page>,
    /// A data file's top-level `updated`.
    updated: Option<chrono::NaiveDate>,
}

impl Parsed {
    /// A file that could not be read or is not part of the portal.
    fn nothing() -> Parsed {
        Parsed {
            data: None,
            page: None,
            updated: None,
        }
    }
}

/// Why [`Parts::reread`] cannot take a change: the caller reads everything again.
#[derive(Debug)]
pub struct NotKept;

impl Parts {
    /// The language messages use (from `cunwu.toml` unless overridden).
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Every file read, with its current text.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// Reads and parses `path` again, in place. Only a file already listed
    /// that still exists qualifies: a new, removed or renamed file, or
    /// `cunwu.toml`, changes the list of files (and their ids) and needs a
    /// fresh [`load_parts`].
    pub fn reread(&mut self, path: &Path) -> Result<(), NotKept> {
        let i = self
            .files
            .iter()
            .position(|p| p.entry.path == path)
            .ok_or(NotKept)?;
        if !path.is_file() {
            return Err(NotKept);
        }
        let text = read_text(path);
        if let Err(ReadError::Io(_) | ReadError::Skipped(_)) = text {
            return Err(NotKept);
        }
        self.set(i, text);
        Ok(())
    }

    /// Replaces the text of `path` by `text` (already read) and parses it again.
    pub fn replace(&mut self, path: &Path, text: Arc<str>) -> Result<(), NotKept> {
        let i = self
            .files
            .iter()
            .position(|p| p.entry.path == path)
            .ok_or(NotKept)?;
        self.set(i, Ok(text));
        Ok(())
    }

    fn set(&mut self, i: usize, text: Result<Arc<str>, ReadError>) {
        let part = &mut self.files[i];
        let shown = match &text {
            Ok(t) | Err(ReadError::NotUtf8 { lossy: t, .. }) => t.clone(),
            Err(ReadError::Io(_) | ReadError::Skipped(_)) => Arc::from(""),
        };
        self.sources.replace(
            part.file,
            SourceFile::new(part.entry.name.clone(), part.entry.path.clone(), shown),
        );
        let (parsed, diags) = parse_entry(&part.entry, &text, part.file, self.lang);
        part.diags = diags;
        let (portal, file) = (&mut self.portal, part.file);
        portal.dates.by_file.remove(&file);
        date_of(portal, part, &parsed, &self.git);
        let old = portal
            .records
            .splice_file(file, parsed.data.unwrap_or_default());
        self.replaced.entry(file).or_insert(old);
        crate::model::splice_file(&mut portal.pages, file, parsed.page.into_iter().collect());
    }

    /// Adds a file that is not part of the portal's records but is scanned
    /// with them (a theme template the portal overrides).
    pub fn add_source(&mut self, file: SourceFile) -> crate::source::FileId {
        self.sources.add(file)
    }

    /// The records of files read again since the last call, as they were
    /// before (the checker compares them with what replaced them).
    pub fn take_replaced(&mut self) -> std::collections::HashMap<crate::source::FileId, Records> {
        std::mem::take(&mut self.replaced)
    }

    /// The portal as it is on disk now.
    pub fn portal(&self) -> &Portal {
        &self.portal
    }

    /// The findings of reading and parsing every file.
    pub fn diags(&self) -> Vec<Diagnostic> {
        let mut diags = self.config_diags.clone();
        for part in &self.files {
            diags.extend(part.diags.iter().cloned());
        }
        diags.extend(too_many_records(&self.portal, self.lang));
        diags
    }

    /// A copy of the portal with the findings of reading it.
    pub fn loaded(&self) -> Loaded {
        Loaded {
            portal: self.portal.clone(),
            sources: self.sources.clone(),
            diags: self.diags(),
        }
    }

    /// The portal, taking the records without copying them.
    pub fn into_loaded(self) -> Loaded {
        let diags = self.diags();
        Loaded {
            portal: self.portal,
            sources: self.sources,
            diags,
        }
    }
}

/// Records when `part`'s figures were last changed: its own `updated` (a
/// data file's top-level key, a document's front matter), else its last
/// commit, else a document's `date`.
fn date_of(portal: &mut Portal, part: &Part, parsed: &Parsed, git: &git::Dates) {
    let own = parsed.updated.or_else(|| {
        parsed
            .page
            .as_ref()
            .and_then(|p| p.updated.as_ref().map(|d| d.value))
    });
    let written = || {
        parsed
            .page
            .as_ref()
            .and_then(|p| p.date.as_ref().map(|d| d.value))
    };
    if let Some(date) = own
        .or_else(|| git.get(&part.entry.name).copied())
        .or_else(written)
    {
        portal.dates.by_file.insert(part.file, date);
    }
}

/// The most data records a portal may hold (areas, projects, progress...
/// together): a county has a few thousand, a province's benchmark 200,000.
pub const MAX_RECORDS: usize = 1_000_000;

/// A finding when the portal holds more than [`MAX_RECORDS`] records.
fn too_many_records(portal: &Portal, lang: Lang) -> Option<Diagnostic> {
    let count = portal.records.len() + portal.pages.len();
    (count > MAX_RECORDS).then(|| {
        Diagnostic::error(
            "limit.records",
            Msg::TooManyRecords {
                count,
                max: MAX_RECORDS,
            }
            .text(lang),
        )
        .hint(Msg::LimitsHint.text(lang))
    })
}

fn empty_portal(config: Config) -> Portal {
    Portal {
        config,
        records: Records::default(),
        pages: Vec::new(),
        dates: Default::default(),
        attachments: Vec::new(),
    }
}

fn read_site_config(
    root: &Path,
    lang_override: Option<Lang>,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> (Config, Lang) {
    let path = root.join("cunwu.toml");
    let lang = lang_override.unwrap_or_default();
    let text = match read_text(&path) {
        Ok(text) => text,
        Err(_) if !path.exists() => {
            let shown = path.display().to_string();
            diags.push(
                Diagnostic::error(
                    "load.no-config",
                    Msg::ConfigMissing { path: &shown }.text(lang),
                )
                .hint(Msg::ConfigMissingHint.text(lang)),
            );
            return (empty_config(), lang);
        }
        Err(ReadError::Io(reason)) => {
            let d = Diagnostic::error(
                "load.read",
                Msg::ReadFailed {
                    path: "cunwu.toml",
                    reason: &reason,
                }
                .text(lang),
            );
            diags.push(d);
            return (empty_config(), lang);
        }
        Err(ReadError::Skipped(why)) => {
            diags.push(not_read("cunwu.toml", None, &why, lang));
            return (empty_config(), lang);
        }
        Err(ReadError::NotUtf8 { lossy, at }) => {
            let file = sources.add(SourceFile::new("cunwu.toml".into(), path, lossy.clone()));
            diags.push(not_utf8("cunwu.toml", file, &lossy, at, lang));
            return (empty_config(), lang);
        }
    };
    let file = sources.add(SourceFile::new("cunwu.toml".into(), path, text.clone()));
    let mut cx = Ctx::new(file, lang);
    let config = config::read_config(&mut cx, &text, root);
    diags.append(&mut cx.diags);
    let lang = lang_override.unwrap_or(config.lang);
    (config, lang)
}

fn parse_entry(
    entry: &Entry,
    text: &Result<Arc<str>, ReadError>,
    file: crate::source::FileId,
    lang: Lang,
) -> (Parsed, Vec<Diagnostic>) {
    let mut cx = Ctx::new(file, lang);
    let text = match text {
        Ok(t) => t,
        Err(ReadError::NotUtf8 { lossy, at }) => {
            return (
                Parsed::nothing(),
                vec![not_utf8(&entry.name, file, lossy, *at, lang)],
            );
        }
        Err(ReadError::Skipped(why)) => {
            return (
                Parsed::nothing(),
                vec![not_read(&entry.name, Some(file), why, lang)],
            );
        }
        Err(ReadError::Io(reason)) => {
            let d = Diagnostic::error(
                "load.read",
                Msg::ReadFailed {
                    path: &entry.name,
                    reason,
                }
                .text(lang),
            )
            .at(Span::file_start(file), Msg::LabelHere.text(lang));
            return (Parsed::nothing(), vec![d]);
        }
    };
    match entry.kind {
        EntryKind::Data => {
            let (data, updated) = data::read_data_file(&mut cx, text);
            (
                Parsed {
                    data: Some(data),
                    page: None,
                    updated: updated.map(|d| d.value),
                },
                cx.diags,
            )
        }
        EntryKind::Content => {
            let rel = entry.name.strip_prefix("content/").unwrap_or(&entry.name);
            let page = content::read_page(&mut cx, rel, text);
            (
                Parsed {
                    data: None,
                    page,
                    updated: None,
                },
                cx.diags,
            )
        }
        EntryKind::Sheet => {
            sheet::issues(&mut cx, text, &entry.name);
            let (data, updated) = data::read_data_file(&mut cx, text);
            (
                Parsed {
                    data: Some(data),
                    page: None,
                    updated: updated.map(|d| d.value),
                },
                cx.diags,
            )
        }
        EntryKind::Unknown => {
            let d = Diagnostic::error(
                "load.unknown-file",
                Msg::UnknownFile { path: &entry.name }.text(lang),
            )
            .at(Span::file_start(file), Msg::LabelHere.text(lang))
            .hint(Msg::UnknownFileHint.text(lang));
            (Parsed::nothing(), vec![d])
        }
    }
}

/// The largest file read, in bytes: a bigger one is a finding, not minutes
/// of parsing and gigabytes of memory (a county's data for 20,000 villages
/// takes a few MB).
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Why a path is not read: it is not a regular file, or it is too large.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRead {
    /// A FIFO, socket, device or folder: opening one could block forever.
    NotRegular(&'static str),
    TooLarge(u64),
}

impl std::fmt::Display for NotRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotRead::NotRegular(kind) => write!(f, "not a regular file ({kind}) / 不是普通文件"),
            NotRead::TooLarge(n) => write!(
                f,
                "{n} bytes, more than the {MAX_FILE_BYTES} bytes allowed / 文件太大"
            ),
        }
    }
}

/// What kind of non-regular file `t` is, in a word.
fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "FIFO";
        }
        if t.is_socket() {
            return "socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "device";
        }
    }
    if t.is_dir() { "folder" } else { "special file" }
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`]. The type is checked
/// before opening: opening a FIFO blocks until someone writes to it.
pub fn read_regular(path: &Path) -> std::io::Result<Result<Vec<u8>, NotRead>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Ok(Err(NotRead::NotRegular(kind_of(meta.file_type()))));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Ok(Err(NotRead::TooLarge(meta.len())));
    }
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may have grown since: never read more than the limit.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok(Err(NotRead::TooLarge(bytes.len() as u64)));
    }
    Ok(Ok(bytes))
}

/// [`read_regular`] as text, or an I/O error saying why not.
pub fn read_regular_string(path: &Path) -> std::io::Result<String> {
    match read_regular(path)? {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
        Err(why) => Err(std::io::Error::other(why.to_string())),
    }
}

fn read_text(path: &Path) -> Result<Arc<str>, ReadError> {
    let bytes = match read_regular(path) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(why)) => return Err(ReadError::Skipped(why)),
        Err(e) => return Err(ReadError::Io(e.to_string())),
    };
    // A spreadsheet under data/ is kept as its reading: a text like a data file's.
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let in_data = path
        .parent()
        .is_some_and(|p| p.components().any(|c| c.as_os_str() == "data"));
    if in_data && sheet::is_sheet(&name) {
        return Ok(Arc::from(sheet::reading(&name, &bytes)));
    }
    // Checked with simdutf8 first: std's check costs about 8 instructions a
    // byte of Chinese text. Only a file that is not UTF-8 is checked again,
    // by std, to say where.
    if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
        return Ok(Arc::from(text));
    }
    String::from_utf8(bytes)
        .map(Arc::from)
        .map_err(|e| ReadError::NotUtf8 {
            at: e.utf8_error().valid_up_to(),
            lossy: Arc::from(String::from_utf8_lossy(e.as_bytes())),
        })
}

/// A file not read: a FIFO, socket or device, or larger than the limit.
fn not_read(
    name: &str,
    file: Option<crate::source::FileId>,
    why: &NotRead,
    lang: Lang,
) -> Diagnostic {
    let d = match why {
        NotRead::NotRegular(kind) => Diagnostic::error(
            "load.not-a-file",
            Msg::NotRegularFile { path: name, kind }.text(lang),
        )
        .hint(Msg::NotRegularFileHint.text(lang)),
        NotRead::TooLarge(size) => Diagnostic::error(
            "limit.file-size",
            Msg::FileTooLarge {
                path: name,
                size: *size,
                max: MAX_FILE_BYTES,
            }
            .text(lang),
        )
        .hint(Msg::LimitsHint.text(lang)),
    };
    match file {
        Some(file) => d.at(Span::file_start(file), Msg::LabelHere.text(lang)),
        None => d,
    }
}

/// A file that is not UTF-8 (e.g. saved as GBK): points at the first bad byte,
/// shown as U+FFFD in `lossy`, and names the field on that line.
fn not_utf8(
    name: &str,
    file: crate::source::FileId,
    lossy: &str,
    at: usize,
    lang: Lang,
) -> Diagnostic {
    let end = (at + '\u{fffd}'.len_utf8()).min(lossy.len());
    let d = Diagnostic::error("load.not-utf8", Msg::NotUtf8 { path: name }.text(lang)).at(
        Span {
            file,
            range: at..end,
        },
        Msg::LabelHere.text(lang),
    );
    match toml_reader::key_on_line(lossy, at) {
        Some(key) => d.field(key),
        None => d,
    }
}

fn empty_config() -> Config {
    Config {
        title: String::new(),
        county: crate::source::At::new(String::new(), Span::file_start(crate::source::FileId(0))),
        lang: Lang::Zh,
        base_url: None,
        description: None,
        exit_indicators: crate::model::ExitIndicator::default_set(),
        privacy: crate::model::PrivacyConfig::default(),
        notice: crate::model::NoticeConfig::default(),
        file: None,
        prose_figures: crate::model::ProseFigures::default(),
        attachments: crate::model::AttachmentConfig::default(),
    }
}

/// A link under `data/` or `content/` whose real path is outside the portal
/// or private: refused, never read.
#[derive(Debug, Clone)]
struct BadLink {
    /// The link, relative to the root with `/`.
    link: String,
    /// Where it points (its real path, or what it says when it leads nowhere).
    target: String,
    private: bool,
}

/// Lists `data/**` and `content/**` in sorted order. Hidden files and editor
/// backups are skipped; `private/` folders and the configured private paths are
/// never entered. Links are followed only when their real path is inside the
/// portal and not private; any other link is returned apart, unread.
fn list_files(root: &Path, private_paths: &[String]) -> (Vec<Entry>, Vec<BadLink>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    let mut broken = Vec::new();
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // Folders reached through a link: what is under them is checked by its real path too.
    let mut linked: Vec<PathBuf> = Vec::new();
    for (dir, ext, kind) in [
        ("data", "toml", EntryKind::Data),
        ("content", "md", EntryKind::Content),
    ] {
        let base = root.join(dir);
        let walker = walkdir::WalkDir::new(&base)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if is_ignored(e.file_name().to_string_lossy().as_ref())
                    || is_private_path(root, e.path(), private_paths)
                {
                    return false;
                }
                let via_link =
                    e.path_is_symlink() || linked.iter().any(|l| e.path().starts_with(l));
                if !via_link {
                    return true;
                }
                let name = rel_name(e.path().strip_prefix(root).unwrap_or(e.path()));
                let real = std::fs::canonicalize(e.path());
                let verdict = match &real {
                    Err(_) => Some(false),
                    Ok(real) => match real.strip_prefix(&real_root) {
                        Err(_) => Some(false),
                        Ok(rel) => {
                            let private = rel
                                .components()
                                .any(|c| is_ignored(c.as_os_str().to_string_lossy().as_ref()))
                                || is_private_path(&real_root, real, private_paths);
                            private.then_some(true)
                        }
                    },
                };
                match verdict {
                    Some(private) => {
                        let target = match &real {
                            Ok(r) => r.display().to_string(),
                            Err(_) => std::fs::read_link(e.path())
                                .map(|t| t.display().to_string())
                                .unwrap_or_default(),
                        };
                        bad.push(BadLink {
                            link: name,
                            target,
                            private,
                        });
                        false
                    }
                    None => {
                        if e.path_is_symlink() && e.file_type().is_dir() {
                            linked.push(e.path().to_path_buf());
                        }
                        true
                    }
                }
            });
        for e in walker {
            let e = match e {
                Ok(e) => e,
                // A link that leads nowhere: listed, so that reading it fails
                // with the file's name (nothing is read); one in a circle is refused.
                Err(err) => {
                    let dangling = err
                        .path()
                        .filter(|p| p.is_symlink() && std::fs::metadata(p).is_err());
                    if let Some(path) = dangling {
                        out.push(Entry {
                            name: rel_name(path.strip_prefix(root).unwrap_or(path)),
                            path: path.to_path_buf(),
                            kind: entry_kind(path, ext, kind),
                        });
                    } else if let Some(path) = err.path().filter(|p| p.is_symlink()) {
                        broken.push(BadLink {
                            link: rel_name(path.strip_prefix(root).unwrap_or(path)),
                            target: std::fs::read_link(path)
                                .map(|t| t.display().to_string())
                                .unwrap_or_default(),
                            private: false,
                        });
                    }
                    continue;
                }
            };
            if e.file_type().is_dir() {
                continue;
            }
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            let name = rel_name(rel);
            out.push(Entry {
                name,
                path: e.path().to_path_buf(),
                kind: entry_kind(e.path(), ext, kind),
            });
        }
    }
    bad.extend(broken);
    (out, bad)
}

/// What a listed file is read as: `ext` files as `kind`, spreadsheets under
/// `data/` as sheets, anything else is unknown.
fn entry_kind(path: &Path, ext: &str, kind: EntryKind) -> EntryKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if path.extension().is_some_and(|x| x == ext) {
        kind
    } else if kind == EntryKind::Data && sheet::is_sheet(&name) {
        EntryKind::Sheet
    } else {
        EntryKind::Unknown
    }
}

fn bad_link(b: &BadLink, lang: Lang) -> Diagnostic {
    let msg = if b.private {
        Msg::LinkIntoPrivate {
            link: &b.link,
            target: &b.target,
        }
    } else {
        Msg::LinkLeavesPortal {
            link: &b.link,
            target: &b.target,
        }
    };
    Diagnostic::error("privacy.link", msg.text(lang))
        .field(b.link.clone())
        .hint(Msg::LinkHint.text(lang))
}

fn rel_name(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// True for a path listed under `[privacy] private` in `cunwu.toml` (or
/// inside one). Both sides are compared normalised: `/` for `\`, no `./`,
/// no trailing `/`, any case (`Data/Registers` is `data/registers`).
pub fn is_private_path(root: &Path, path: &Path, private_paths: &[String]) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let rel = rel_name(rel).to_lowercase();
    private_paths.iter().any(|p| {
        let p = normalise_private_path(p).unwrap_or_else(|| p.to_lowercase());
        !p.is_empty() && (rel == p || rel.starts_with(&format!("{p}/")))
    })
}

/// A `[privacy] private` path as compared: `\\` read as `/`, `.` and empty
/// parts dropped, `..` resolved, lowercase. `None` for a path that leaves the
/// portal (absolute, a drive, `~`, or `..` above the root). `""` means the
/// root itself.
pub fn normalise_private_path(p: &str) -> Option<String> {
    let p = p.trim().replace('\\', "/");
    let drive = p.len() >= 2 && p.as_bytes()[1] == b':' && p.as_bytes()[0].is_ascii_alphabetic();
    if p.starts_with('/') || p.starts_with('~') || drive {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    for part in p.split('/') {
        match part.trim() {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part.to_lowercase()),
        }
    }
    Some(parts.join("/"))
}

/// Whether `rel` (normalised, lowercase) names something under `root`,
/// in whatever case it is written on disk.
pub(crate) fn exists_ignoring_case(root: &Path, rel: &str) -> bool {
    let mut dir = root.to_path_buf();
    for part in rel.split('/') {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return false;
        };
        let found = entries
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy().to_lowercase() == part);
        match found {
            Some(e) => dir = e.path(),
            None => return false,
        }
    }
    true
}

/// Hidden files, editor swap and backup files (and the `~$` lock file Excel
/// keeps beside an open workbook), and private folders.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name == "private"
}
