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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Config,
    Data,
    Content,
    Unknown,
}

/// Reads the portal at `root`. `lang` is used until `cunwu.toml` says otherwise.
pub fn load(root: &Path, lang_override: Option<Lang>) -> Loaded {
    let mut diags = Vec::new();
    let mut sources = Sources::default();
    let entries = list_files(root);

    let texts: Vec<Result<Arc<str>, String>> =
        entries.par_iter().map(|e| read_text(&e.path)).collect();

    // cunwu.toml first: it says which language the rest of the messages use.
    let mut config = None;
    let mut lang = lang_override.unwrap_or_default();
    let mut file_ids = Vec::with_capacity(entries.len());
    for (entry, text) in entries.iter().zip(&texts) {
        let text = text.clone().unwrap_or_else(|_| Arc::from(""));
        file_ids.push(sources.add(SourceFile::new(entry.name.clone(), entry.path.clone(), text)));
    }
    for ((entry, text), &file) in entries.iter().zip(&texts).zip(&file_ids) {
        if entry.kind == EntryKind::Config {
            if let Ok(text) = text {
                let mut cx = Ctx::new(file, lang);
                let c = config::read_config(&mut cx, text);
                lang = lang_override.unwrap_or(c.lang);
                diags.append(&mut cx.diags);
                config = Some(c);
            }
        }
    }
    let mut config = config.unwrap_or_else(|| {
        diags.push(
            Diagnostic::error(
                "load.no-config",
                Msg::ConfigMissing { path: &root.join("cunwu.toml").display().to_string() }.text(lang),
            )
            .hint(Msg::ConfigMissingHint.text(lang)),
        );
        empty_config()
    });
    config.lang = lang;

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
        pages: Vec::new(),
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

fn parse_entry(
    entry: &Entry,
    text: &Result<Arc<str>, String>,
    file: crate::source::FileId,
    lang: Lang,
) -> (Option<DataFile>, Option<Page>, Vec<Diagnostic>) {
    let mut cx = Ctx::new(file, lang);
    let text = match text {
        Ok(t) => t,
        Err(reason) => {
            let d = Diagnostic::error(
                "load.read",
                Msg::ReadFailed { path: &entry.name, reason }.text(lang),
            )
            .at(Span::file_start(file), Msg::LabelHere.text(lang));
            return (None, None, vec![d]);
        }
    };
    match entry.kind {
        EntryKind::Config => (None, None, Vec::new()),
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
            let d = Diagnostic::error("load.unknown-file", Msg::UnknownFile { path: &entry.name }.text(lang))
                .at(Span::file_start(file), Msg::LabelHere.text(lang))
                .hint(Msg::UnknownFileHint.text(lang));
            (None, None, vec![d])
        }
    }
}

fn read_text(path: &Path) -> Result<Arc<str>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes)
        .map(Arc::from)
        .map_err(|_| "not UTF-8 text / 不是 UTF-8 编码".to_string())
}

fn empty_config() -> Config {
    Config {
        title: String::new(),
        county: crate::source::At::new(String::new(), Span::file_start(crate::source::FileId(0))),
        lang: Lang::Zh,
        base_url: None,
        description: None,
        exit_indicators: crate::model::ExitIndicator::default_set(),
        file: None,
    }
}

/// Lists `cunwu.toml`, `data/**` and `content/**` in sorted order.
/// Hidden files and editor backups are skipped; `private/` is never entered.
fn list_files(root: &Path) -> Vec<Entry> {
    let mut out = Vec::new();
    let config = root.join("cunwu.toml");
    if config.is_file() {
        out.push(Entry {
            name: "cunwu.toml".into(),
            path: config,
            kind: EntryKind::Config,
        });
    }
    for (dir, ext, kind) in [("data", "toml", EntryKind::Data), ("content", "md", EntryKind::Content)] {
        let base = root.join(dir);
        let walker = walkdir::WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_ignored(e.file_name().to_string_lossy().as_ref()));
        for e in walker.filter_map(Result::ok) {
            if !e.file_type().is_file() {
                continue;
            }
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
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

/// Hidden files, editor swap and backup files, and private folders.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name == "private"
}
