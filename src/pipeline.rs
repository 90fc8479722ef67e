//! The stages chained: load → check → privacy gate → render → write.
//! The exit code is decided once, by the caller, from the outcome.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::Diagnostic;
use crate::messages::{Lang, Msg};
use crate::source::Sources;
use crate::timing::trace_time;
use crate::write::WriteStats;
use crate::{check, diag, gate, load, render, theme, write};

/// What to do, validated from the command line.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Where to write the site; `None` checks only.
    pub output: Option<PathBuf>,
    pub lang: Option<Lang>,
    /// A local file of monitored household members' names (kept outside the portal).
    pub roster: Option<PathBuf>,
}

/// The result of a run: every finding, and what was written.
pub struct Outcome {
    pub sources: Sources,
    pub diags: Vec<Diagnostic>,
    pub lang: Lang,
    pub written: Option<WriteStats>,
    pub pages: usize,
    /// Data tables written (CSV files; each has a JSON twin).
    pub tables: usize,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn errors(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }
}

/// Runs the pipeline. Writes only when every stage passed.
pub fn run(opts: &Options) -> Outcome {
    run_with_progress(opts, false)
}

/// [`run`], showing a progress bar on the terminal while pages are written
/// when `progress` is true (long builds only: it appears after a moment).
pub fn run_with_progress(opts: &Options, progress: bool) -> Outcome {
    let Some(output) = &opts.output else {
        return render_site(opts).0;
    };
    let started = Instant::now();
    let (mut result, front) = front_stages(opts);
    if let Some(front) = front {
        let bar = progress.then(progress_bar);
        build_to_disk(front, output, &opts.root, &mut result, bar.as_ref());
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
    }
    diag::sort(&mut result.diags);
    result.elapsed = started.elapsed();
    result
}

/// Renders into a staging folder beside `output`, scanning each file as it is
/// written; swaps the staged site in only when nothing was refused.
fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} 已写入 / written {pos} 个文件 files ({per_sec}) {elapsed}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn build_to_disk(
    front: Front,
    output: &Path,
    root: &Path,
    result: &mut Outcome,
    bar: Option<&indicatif::ProgressBar>,
) {
    let lang = result.lang;
    let target = match write::check_output(root, output) {
        Ok(t) => t,
        Err(refusal) => {
            let msg = refusal.message(&output.display().to_string(), lang);
            result.diags.push(Diagnostic::error("write.output", msg));
            return;
        }
    };
    let tera = match render::compile(&front.theme, lang) {
        Ok(t) => t,
        Err(d) => {
            result.diags.extend(d);
            return;
        }
    };
    let write_failed = |reason: &str| {
        let msg = Msg::WriteFailed {
            path: &output.display().to_string(),
            reason,
        };
        Diagnostic::error("write.output", msg.text(lang))
    };
    let staging = match write::Staging::new(&target) {
        Ok(s) => s,
        Err(reason) => {
            result.diags.push(write_failed(&reason));
            return;
        }
    };
    let t0 = Instant::now();
    let ((diags, pages, tables), failed) = staging.write_while(|queue| {
        let sink = DiskSink {
            queue,
            front: &front,
            lang,
            pages: Default::default(),
            tables: Default::default(),
            bar,
        };
        let diags = render::render_to(&front.site, &tera, &front.theme, lang, &sink);
        (diags, sink.pages.into_inner(), sink.tables.into_inner())
    });
    trace_time("render+write", t0);
    result.diags.extend(diags);
    for (path, reason) in failed {
        let msg = Msg::WriteFailed {
            path: &path,
            reason: &reason,
        };
        result
            .diags
            .push(Diagnostic::error("write.output", msg.text(lang)));
    }
    if result.errors() > 0 {
        return; // `staging` is deleted on drop; the old site stands.
    }
    result.pages = pages;
    result.tables = tables;
    let t0 = Instant::now();
    let r = staging.commit();
    trace_time("commit", t0);
    match r {
        Ok(stats) => result.written = Some(stats),
        Err(reason) => result.diags.push(write_failed(&reason)),
    }
}

/// Scans each rendered file, then queues it for writing to the staging folder.
struct DiskSink<'a> {
    queue: &'a (dyn Fn(render::OutputFile) + Sync),
    front: &'a Front,
    lang: Lang,
    pages: std::sync::atomic::AtomicUsize,
    tables: std::sync::atomic::AtomicUsize,
    bar: Option<&'a indicatif::ProgressBar>,
}

impl render::Sink for DiskSink<'_> {
    fn put(&self, file: render::OutputFile) -> Vec<Diagnostic> {
        if let Some(d) = page_too_large(&file, self.lang) {
            return vec![d]; // never scanned nor written
        }
        let diags = gate::scan_output_file(
            &file,
            &self.front.site,
            self.front.roster.as_ref(),
            self.lang,
        );
        if !diags.is_empty() {
            return diags; // never written
        }
        if file.path.ends_with(".html") {
            self.pages
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        } else if file.path.ends_with(".csv") {
            self.tables
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        if let Some(bar) = self.bar {
            bar.inc(1);
        }
        (self.queue)(file);
        diags
    }
}

/// `cunwu check`: load, check and the privacy gate, without rendering.
pub fn check_only(opts: &Options) -> Outcome {
    let (outcome, _) = front_stages(opts);
    outcome
}

/// Runs every stage but write; returns the site's files when nothing refused
/// them (the preview server serves these from memory).
pub fn render_site(opts: &Options) -> (Outcome, Option<Vec<render::OutputFile>>) {
    let (outcome, built) = full_build(opts, false);
    (outcome, built.map(|(files, _)| files))
}

/// What a preview session keeps between rebuilds.
struct Kept {
    /// The last good site.
    site: gate::PublicSite,
    /// Every input file as read and parsed, one by one, with the theme's
    /// overridden templates: what is on disk now (after a refused edit, newer
    /// than `site`).
    parts: load::Parts,
    /// What each file of the last good site was made from.
    prints: render::Fingerprints,
    /// What the search index and the tables of the last build were made from.
    cache: render::Cache,
    /// The last rebuild was refused: the served site is older than `parts`,
    /// so only a rebuild that checks everything again may follow.
    refused: bool,
    theme: theme::Theme,
    tera: tera::Tera,
    roster: Option<gate::roster::Roster>,
    lang: Lang,
    /// The gate's scans of every input file's text, reused for files whose
    /// text did not change.
    scans: gate::InputScans,
    /// Input files edited since `site` was built (by refused edits, then
    /// the one being built): the record route builds only the contexts of
    /// pages they can reach.
    pending: Vec<crate::source::FileId>,
}

/// What the stages before rendering hand on when they pass.
struct Front {
    site: gate::PublicSite,
    theme: theme::Theme,
    roster: Option<gate::roster::Roster>,
    scans: gate::InputScans,
}

/// A site built in memory, and what a session keeps of it.
type Built = (Vec<render::OutputFile>, Option<Kept>);

/// A build in memory. With `keep` (the preview's [`Session`]), what it keeps
/// for incremental rebuilds comes back with the files.
fn full_build(opts: &Options, keep: bool) -> (Outcome, Option<Built>) {
    let started = Instant::now();
    let (mut result, front, parts) = front_stages_with(opts, keep);
    let lang = result.lang;
    let mut built = None;
    if let Some(Front {
        site,
        theme,
        roster,
        scans,
    }) = front
    {
        match render::compile(&theme, lang) {
            Err(d) => result.diags.extend(d),
            Ok(tera) => {
                let rendered = render::render_all(&site, &tera, &theme, lang);
                result.diags.extend(rendered.diags);
                let too_large = rendered
                    .files
                    .iter()
                    .filter_map(|f| page_too_large(f, lang));
                result.diags.extend(too_large);
                result.diags.extend(gate::scan_output(
                    &rendered.files,
                    &site,
                    roster.as_ref(),
                    lang,
                ));
                if result.errors() == 0 {
                    result.pages = rendered
                        .files
                        .iter()
                        .filter(|f| f.path.ends_with(".html"))
                        .count();
                    let kept = parts.map(|parts| {
                        let cache = render::Cache::default();
                        Kept {
                            prints: render::fingerprints(&site, &tera, &rendered.files, &cache),
                            cache,
                            site,
                            parts,
                            refused: false,
                            theme,
                            tera,
                            roster,
                            lang,
                            scans,
                            pending: Vec::new(),
                        }
                    });
                    built = Some((rendered.files, kept));
                }
            }
        }
    }
    diag::sort(&mut result.diags);
    result.elapsed = started.elapsed();
    (result, built)
}

/// load → check → gate. The site comes back only when nothing refused it.
fn front_stages(opts: &Options) -> (Outcome, Option<Front>) {
    let (outcome, front, _) = front_stages_with(opts, false);
    (outcome, front)
}

/// [`front_stages`]; with `keep`, also the portal as read, file by file.
fn front_stages_with(opts: &Options, keep: bool) -> (Outcome, Option<Front>, Option<load::Parts>) {
    let started = Instant::now();
    let mut parts = load::load_parts(&opts.root, opts.lang);
    let lang = parts.lang();
    let mut diags = Vec::new();
    let (theme, theme_errors) = theme::load(&opts.root);
    for (path, reason) in theme_errors {
        diags.push(Diagnostic::error(
            "load.read",
            Msg::ReadFailed {
                path: &path,
                reason: &reason,
            }
            .text(lang),
        ));
    }
    // Templates a portal overrides are inputs too: the gate scans them.
    for t in theme
        .templates
        .iter()
        .filter(|t| !t.origin.starts_with("(built-in)"))
    {
        let path = opts.root.join(&t.origin);
        parts.add_source(crate::source::SourceFile::new(
            t.origin.clone(),
            path,
            t.source.as_str().into(),
        ));
    }
    let kept_parts = keep.then(|| parts.clone());
    let loaded = parts.into_loaded();
    trace_time("load", started);
    let mut load_diags = loaded.diags;
    load_diags.append(&mut diags);
    let mut diags = load_diags;
    let sources = loaded.sources;
    let roster = opts
        .roster
        .as_deref()
        .and_then(|r| read_roster(r, &opts.root, lang, &mut diags));
    let mut scans = gate::InputScans::default();
    let site = check_and_gate(
        loaded.portal,
        &sources,
        roster.as_ref(),
        lang,
        &mut diags,
        &mut scans,
        started,
    );

    let mut result = Outcome {
        sources: gate::redact(&sources, &diags, roster.as_ref()),
        diags,
        lang,
        written: None,
        pages: 0,
        tables: 0,
        elapsed: Duration::ZERO,
    };
    let front = match (result.errors(), site) {
        (0, Some(site)) => Some(Front {
            site,
            theme,
            roster,
            scans,
        }),
        _ => None,
    };
    diag::sort(&mut result.diags);
    result.elapsed = started.elapsed();
    (result, front, kept_parts)
}

/// check → gate over a loaded portal; its findings go to `diags`.
fn check_and_gate(
    portal: crate::model::Portal,
    sources: &Sources,
    roster: Option<&gate::roster::Roster>,
    lang: Lang,
    diags: &mut Vec<Diagnostic>,
    scans: &mut gate::InputScans,
    started: Instant,
) -> Option<gate::PublicSite> {
    let ix = crate::model::Index::build(&portal);
    trace_time("lookup index", started);
    let report = check::run(&portal, &ix, lang);
    trace_time("check", started);
    diags.extend(report.diags);
    let outcome = gate::run_with(portal, sources, report.runs, roster, lang, scans);
    diags.extend(outcome.diags);
    trace_time("gate", started);
    outcome.site
}

/// What changed in the site after a rebuild.
pub enum Update {
    /// A full build: these are all the files.
    All(Vec<render::OutputFile>),
    /// An incremental rebuild: only these files may differ; the rest stand.
    Some(Vec<render::OutputFile>),
    /// An incremental rebuild that may also remove files: `files` are new or
    /// changed, `removed` are gone; the rest stand.
    Patch {
        files: Vec<render::OutputFile>,
        removed: Vec<String>,
    },
}

/// A build kept in memory and updated in place: the preview server's engine.
///
/// Two incremental routes, tried in order, before a full build:
/// 1. a change that only touches the body of documents re-renders just the
///    pages that show that body (`Update::Some`);
/// 2. a change to files already read (data records, front matter) reads and
///    parses those files again, reassembles the portal from every other
///    file's kept records, checks and gates the whole portal again (the gate
///    scans again only the texts that changed, `gate::InputScans`), builds
///    the contexts of the pages the changed files' records can reach and
///    renders only those whose context changed (`render::render_changed`,
///    `Update::Patch`).
///
/// Anything else (a new, removed or renamed file, `cunwu.toml`, a template)
/// rebuilds everything. Every route gives the files a full build would write.
pub struct Session {
    opts: Options,
    kept: Option<Kept>,
    verify: bool,
}

impl Session {
    pub fn new(opts: Options) -> Session {
        Session {
            opts,
            kept: None,
            verify: false,
        }
    }

    /// Tests: the record route also builds the contexts it would skip, and
    /// refuses the edit (`render.pruned`) if any of them changed.
    pub fn verify_pruning(&mut self, on: bool) {
        self.verify = on;
    }

    /// Rebuilds after `changed` paths changed (empty: a full build).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> (Outcome, Option<Update>) {
        if let Some(result) = self.try_body_edit(changed) {
            return result;
        }
        if let Some(result) = self.try_record_edit(changed) {
            return result;
        }
        let (outcome, built) = full_build(&self.opts, true);
        match built {
            Some((files, kept)) => {
                self.kept = kept;
                (outcome, Some(Update::All(files)))
            }
            // The files on disk are no longer those kept: the next change
            // rebuilds everything again (the server keeps serving the last
            // good site meanwhile).
            None => {
                self.kept = None;
                (outcome, None)
            }
        }
    }

    /// The fast path: every changed path is a document already read whose
    /// front matter is unchanged. `None` when it does not apply.
    fn try_body_edit(&mut self, changed: &[PathBuf]) -> Option<(Outcome, Option<Update>)> {
        let started = Instant::now();
        if changed.is_empty() {
            return None;
        }
        let kept = self.kept.as_mut()?;
        if kept.refused {
            return None;
        }
        let mut edits = Vec::new();
        for path in changed {
            edits.push(body_edit(kept, path)?);
        }
        let mut diags = Vec::new();
        let mut sources = kept.parts.sources().clone();
        for e in &edits {
            sources.replace(e.file, e.source.clone());
        }
        let mut files = Vec::new();
        let mut texts = Vec::new();
        for e in edits {
            texts.push((e.source.path.clone(), e.source.text.clone()));
            let (d, files_of_page) = apply_body_edit(kept, &sources, e);
            diags.extend(d);
            files.extend(files_of_page);
        }
        let mut outcome = Outcome {
            sources: gate::redact(&sources, &diags, kept.roster.as_ref()),
            diags,
            lang: kept.lang,
            written: None,
            pages: 0,
            tables: 0,
            elapsed: Duration::ZERO,
        };
        let update = if outcome.errors() == 0 {
            for (path, text) in texts {
                if kept.parts.replace(&path, text).is_err() {
                    self.kept = None; // cannot happen: the path was found above
                    break;
                }
            }
            outcome.pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
            files.sort_by(|a, b| a.path.cmp(&b.path));
            files.dedup_by(|a, b| a.path == b.path);
            if let Some(kept) = self.kept.as_mut() {
                // Rendered by this route, not from a fingerprinted context.
                for f in &files {
                    kept.prints.forget(&f.path);
                }
            }
            Some(Update::Some(files))
        } else {
            // Some edits may already be in the kept site: start afresh next time.
            self.kept = None;
            None
        };
        diag::sort(&mut outcome.diags);
        outcome.elapsed = started.elapsed();
        Some((outcome, update))
    }

    /// The second route: every changed path is a file already read. `None`
    /// when it does not apply.
    fn try_record_edit(&mut self, changed: &[PathBuf]) -> Option<(Outcome, Option<Update>)> {
        let started = Instant::now();
        if changed.is_empty() {
            return None;
        }
        let verify = self.verify;
        let kept = self.kept.as_mut()?;
        for path in changed {
            // On failure some files may be read again already; the full
            // build that follows replaces (or drops) everything kept.
            kept.parts.reread(path).ok()?;
            kept.pending.extend(kept.parts.sources().find_path(path));
        }
        trace_time("edit: read", started);
        let loaded = kept.parts.loaded();
        trace_time("edit: assembled", started);
        let lang = kept.lang;
        let sources = kept.parts.sources();
        let mut diags = loaded.diags;
        let site = check_and_gate(
            loaded.portal,
            sources,
            kept.roster.as_ref(),
            lang,
            &mut diags,
            &mut kept.scans,
            started,
        );
        let mut update = None;
        let mut pages = 0;
        if let (false, Some(site)) = (diags.iter().any(Diagnostic::is_error), site) {
            let since = render::Since {
                site: &kept.site,
                files: &kept.pending,
                verify,
            };
            let changes = render::render_changed(
                &site,
                &kept.tera,
                &kept.theme,
                lang,
                &kept.prints,
                Some(since),
                &kept.cache,
            );
            trace_time("edit: rendered", started);
            diags.extend(changes.diags);
            diags.extend(changes.files.iter().filter_map(|f| page_too_large(f, lang)));
            diags.extend(gate::scan_output(
                &changes.files,
                &site,
                kept.roster.as_ref(),
                lang,
            ));
            trace_time("edit: scanned", started);
            if !diags.iter().any(Diagnostic::is_error) {
                pages = changes
                    .files
                    .iter()
                    .filter(|f| f.path.ends_with(".html"))
                    .count();
                kept.site = site;
                kept.prints = changes.fingerprints;
                kept.pending.clear();
                update = Some(Update::Patch {
                    files: changes.files,
                    removed: changes.removed,
                });
            }
        }
        kept.refused = update.is_none();
        let mut outcome = Outcome {
            sources: gate::redact(sources, &diags, kept.roster.as_ref()),
            diags,
            lang,
            written: None,
            pages,
            tables: 0,
            elapsed: Duration::ZERO,
        };
        diag::sort(&mut outcome.diags);
        outcome.elapsed = started.elapsed();
        trace_time("edit: done", started);
        Some((outcome, update))
    }
}

/// One document whose body (only) changed.
struct BodyEdit {
    file: crate::source::FileId,
    page_id: String,
    source: crate::source::SourceFile,
    body: String,
}

fn body_edit(kept: &Kept, path: &Path) -> Option<BodyEdit> {
    let file = kept.parts.sources().find_path(path)?;
    let page = kept.site.portal().pages.iter().find(|p| p.file == file)?;
    if page.is_index || page.id.is_empty() {
        return None;
    }
    let old = kept.parts.sources().get(file);
    let text = load::read_regular_string(path).ok()?;
    let front = old.text.get(..page.body_offset)?;
    if text.get(..page.body_offset)? != front {
        return None;
    }
    let body = text[page.body_offset..].to_string();
    let source = crate::source::SourceFile::new(old.name.clone(), old.path.clone(), text.into());
    Some(BodyEdit {
        file,
        page_id: page.id.clone(),
        source,
        body,
    })
}

fn apply_body_edit(
    kept: &mut Kept,
    sources: &Sources,
    e: BodyEdit,
) -> (Vec<Diagnostic>, Vec<render::OutputFile>) {
    let site = &kept.site;
    let Some(old_page) = site.portal().pages.iter().find(|p| p.file == e.file) else {
        return (Vec::new(), Vec::new());
    };
    let mut new_page = old_page.clone();
    new_page.body = e.body.clone();
    let (_, old_links) = check::page_links(site.portal(), site.index(), kept.lang, old_page);
    let (mut diags, new_links) =
        check::page_links(site.portal(), site.index(), kept.lang, &new_page);
    if diags.iter().any(Diagnostic::is_error) {
        return (diags, Vec::new());
    }
    let delta = new_links as i64 - old_links as i64;
    let index_changed =
        render::search::body_key(&old_page.body) != render::search::body_key(&e.body);
    diags.extend(gate::update_page_body(
        &mut kept.site,
        sources,
        e.file,
        e.body,
        delta,
        kept.roster.as_ref(),
        kept.lang,
    ));
    if diags.iter().any(Diagnostic::is_error) {
        return (diags, Vec::new());
    }
    let rendered = render::render_after_body_edit(
        &kept.site,
        &kept.tera,
        &kept.theme,
        kept.lang,
        &e.page_id,
        index_changed,
        &kept.cache,
    );
    diags.extend(rendered.diags);
    diags.extend(
        rendered
            .files
            .iter()
            .filter_map(|f| page_too_large(f, kept.lang)),
    );
    diags.extend(gate::scan_output(
        &rendered.files,
        &kept.site,
        kept.roster.as_ref(),
        kept.lang,
    ));
    (diags, rendered.files)
}

/// The largest web page written, in bytes: a data set or document that
/// makes a bigger one is reported (docs/limits.md). Downloads (CSV, JSON)
/// and the search index are not pages and may be larger.
pub const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// A finding when `file` is a page larger than [`MAX_PAGE_BYTES`].
fn page_too_large(file: &render::OutputFile, lang: Lang) -> Option<Diagnostic> {
    (file.path.ends_with(".html") && file.bytes.len() > MAX_PAGE_BYTES).then(|| {
        Diagnostic::error(
            "limit.page-size",
            Msg::PageTooLarge {
                page: &file.path,
                size: file.bytes.len(),
                max: MAX_PAGE_BYTES,
            }
            .text(lang),
        )
        .hint(Msg::LimitsHint.text(lang))
    })
}

/// Reads the roster; refuses one kept inside the portal, where it could be published.
fn read_roster(
    path: &Path,
    root: &Path,
    lang: Lang,
    diags: &mut Vec<Diagnostic>,
) -> Option<gate::roster::Roster> {
    let shown = path.display().to_string();
    if let (Ok(p), Ok(r)) = (path.canonicalize(), root.canonicalize()) {
        if p.starts_with(&r) {
            diags.push(Diagnostic::error(
                "privacy.roster-location",
                Msg::RosterInsidePortal { path: &shown }.text(lang),
            ));
            return None;
        }
    }
    match load::read_regular_string(path) {
        Ok(text) => Some(gate::roster::Roster::parse(&text)),
        Err(e) => {
            let reason = e.to_string();
            diags.push(Diagnostic::error(
                "privacy.roster-read",
                Msg::RosterUnreadable {
                    path: &shown,
                    reason: &reason,
                }
                .text(lang),
            ));
            None
        }
    }
}
