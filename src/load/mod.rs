//! Stage 1, load: the only stage that reads the portal from disk.
//!
//! Files are listed in a sorted order (so file ids and output are reproducible),
//! then read and parsed in parallel. A file that fails to parse yields
//! diagnostics and no records; the other files are still read.

mod config;
mod content;
mod data;
pub mod toml_reader;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::messages::{Lang, Msg};
use crate::model::{Config, Page, Portal};
use crate::source::{SourceFile, Sources, Span};
use toml_reader::Ctx;

pub use content::default_id;
pub use data::DataFile;

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
}

/// Reads the portal at `root`. `lang` is used until `cunwu.toml` says otherwise.
pub fn load(root: &Path, lang_override: Option<Lang>) -> Loaded {
    let mut diags = Vec::new();
    let mut sources = Sources::default();

    // cunwu.toml first: it says which language messages use and which paths are private.
    let (mut config, lang) = read_site_config(root, lang_override, &mut sources, &mut diags);
    config.lang = lang;

    let entries = list_files(root, &config.privacy.private_paths);
    let texts: Vec<Result<Arc<str>, ReadError>> =
        entries.par_iter().map(|e| read_text(&e.path)).collect();
    let file_ids: Vec<crate::source::FileId> = entries
        .iter()
        .zip(&texts)
        .map(|(entry, text)| {
            let text = match text {
                Ok(t) | Err(ReadError::NotUtf8 { lossy: t, .. }) => t.clone(),
                Err(ReadError::Io(_)) => Arc::from(""),
            };
            sources.add(SourceFile::new(
                entry.name.clone(),
                entry.path.clone(),
                text,
            ))
        })
        .collect();

    let parsed: Vec<(Option<DataFile>, Option<Page>, Vec<Diagnostic>)> = entries
        .par_iter()
        .zip(texts.par_iter())
        .zip(file_ids.par_iter())
        .map(|((entry, text), &file)| parse_entry(entry, text, file, lang))
        .collect();

    let mut portal = Portal {
        config,
        areas: Vec::new(),
        programmes: Vec::new(),
        projects: Vec::new(),
        progress: Vec::new(),
        exits: Vec::new(),
        activities: Vec::new(),
        milestones: Vec::new(),
        relapses: Vec::new(),
        pages: Vec::new(),
        acks: Vec::new(),
    };
    for (data, page, mut d) in parsed {
        diags.append(&mut d);
        if let Some(data) = data {
            portal.areas.extend(data.areas);
            portal.programmes.extend(data.programmes);
            portal.projects.extend(data.projects);
            portal.progress.extend(data.progress);
            portal.exits.extend(data.exits);
            portal.activities.extend(data.activities);
            portal.milestones.extend(data.milestones);
            portal.relapses.extend(data.relapses);
            portal.acks.extend(data.acks);
        }
        if let Some(page) = page {
            portal.pages.push(page);
        }
    }
    Loaded {
        portal,
        sources,
        diags,
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
        Err(ReadError::NotUtf8 { lossy, at }) => {
            let file = sources.add(SourceFile::new("cunwu.toml".into(), path, lossy.clone()));
            diags.push(not_utf8("cunwu.toml", file, &lossy, at, lang));
            return (empty_config(), lang);
        }
    };
    let file = sources.add(SourceFile::new("cunwu.toml".into(), path, text.clone()));
    let mut cx = Ctx::new(file, lang);
    let config = config::read_config(&mut cx, &text);
    diags.append(&mut cx.diags);
    let lang = lang_override.unwrap_or(config.lang);
    (config, lang)
}

fn parse_entry(
    entry: &Entry,
    text: &Result<Arc<str>, ReadError>,
    file: crate::source::FileId,
    lang: Lang,
) -> (Option<DataFile>, Option<Page>, Vec<Diagnostic>) {
    let mut cx = Ctx::new(file, lang);
    let text = match text {
        Ok(t) => t,
        Err(ReadError::NotUtf8 { lossy, at }) => {
            return (
                None,
                None,
                vec![not_utf8(&entry.name, file, lossy, *at, lang)],
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
            return (None, None, vec![d]);
        }
    };
    match entry.kind {
        EntryKind::Data => {
            let data = data::read_data_file(&mut cx, text);
            (Some(data), None, cx.diags)
        }
        EntryKind::Content => {
            let rel = entry.name.strip_prefix("content/").unwrap_or(&entry.name);
            let page = content::read_page(&mut cx, rel, text);
            (None, page, cx.diags)
        }
        EntryKind::Unknown => {
            let d = Diagnostic::error(
                "load.unknown-file",
                Msg::UnknownFile { path: &entry.name }.text(lang),
            )
            .at(Span::file_start(file), Msg::LabelHere.text(lang))
            .hint(Msg::UnknownFileHint.text(lang));
            (None, None, vec![d])
        }
    }
}

fn read_text(path: &Path) -> Result<Arc<str>, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io(e.to_string()))?;
    String::from_utf8(bytes)
        .map(Arc::from)
        .map_err(|e| ReadError::NotUtf8 {
            at: e.utf8_error().valid_up_to(),
            lossy: Arc::from(String::from_utf8_lossy(e.as_bytes())),
        })
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
    }
}

/// Lists `data/**` and `content/**` in sorted order. Hidden files and editor
/// backups are skipped; `private/` folders and the configured private paths are
/// never entered.
fn list_files(root: &Path, private_paths: &[String]) -> Vec<Entry> {
    let mut out = Vec::new();
    for (dir, ext, kind) in [
        ("data", "toml", EntryKind::Data),
        ("content", "md", EntryKind::Content),
    ] {
        let base = root.join(dir);
        let walker = walkdir::WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                !is_ignored(e.file_name().to_string_lossy().as_ref())
                    && !is_private_path(root, e.path(), private_paths)
            });
        for e in walker.filter_map(Result::ok) {
            if e.file_type().is_dir() {
                continue;
            }
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            let name = rel_name(rel);
            let is_kind = e.path().extension().is_some_and(|x| x == ext);
            out.push(Entry {
                name,
                path: e.path().to_path_buf(),
                kind: if is_kind { kind } else { EntryKind::Unknown },
            });
        }
    }
    out
}

fn rel_name(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// True for a path listed under `[privacy] private` in `cunwu.toml` (or inside one).
pub fn is_private_path(root: &Path, path: &Path, private_paths: &[String]) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let rel = rel_name(rel);
    private_paths
        .iter()
        .any(|p| rel == *p || rel.starts_with(&format!("{p}/")))
}

/// Hidden files, editor swap and backup files, and private folders.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name == "private"
}
