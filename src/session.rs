//! The preview's session: a build kept in memory and updated in place, with
//! its two incremental routes (a document's body; files already read). Every
//! route gives the files a full build would write (`tests/incremental.rs`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diag::Diagnostic;
use crate::messages::Lang;
use crate::pipeline::{self, Front, InMemory, Options, Outcome, check_and_gate, page_too_large};
use crate::source::Sources;
use crate::timing::trace_time;
use crate::{check, diag, gate, load, render, theme};

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
    /// The checker's findings item by item, reused for items an edit
    /// cannot reach (`check::KeptFindings`).
    findings: crate::check::KeptFindings,
    /// Input files edited since `site` was built (by refused edits, then
    /// the one being built): the record route builds only the contexts of
    /// pages they can reach.
    pending: Vec<crate::source::FileId>,
}

/// A site built in memory, and what a session keeps of it.
type Built = (Vec<render::OutputFile>, Option<Kept>);

/// A full build in memory; with `keep`, what the session keeps for
/// incremental rebuilds comes back with the files.
fn full_build(opts: &Options, keep: bool) -> (Outcome, Option<Built>) {
    let (outcome, built) = pipeline::build_in_memory(opts, keep);
    let built = built.map(|b| {
        let InMemory {
            files,
            front:
                Front {
                    site,
                    theme,
                    roster,
                    scans,
                    findings,
                },
            tera,
            parts,
        } = b;
        let lang = outcome.lang;
        let kept = parts.map(|parts| {
            let cache = render::Cache::default();
            Kept {
                prints: render::fingerprints(&site, &tera, &files, &cache),
                cache,
                site,
                parts,
                refused: false,
                theme,
                tera,
                roster,
                lang,
                scans,
                findings,
                pending: Vec::new(),
            }
        });
        (files, kept)
    });
    (outcome, built)
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
    /// With [`Session::on_demand`]: pages are rendered when asked for.
    on_demand: Option<OnDemand>,
}

impl Session {
    pub fn new(opts: Options) -> Session {
        Session {
            opts,
            kept: None,
            verify: false,
            on_demand: None,
        }
    }

    /// A session that renders nothing when the portal changes: a change is
    /// loaded, checked and gated as by [`Session::rebuild`]'s routes, and
    /// each file is rendered and scanned when [`Session::file`] asks for it
    /// (the preview server). Memory then grows with the portal, not with its
    /// pages.
    pub fn on_demand(opts: Options) -> Session {
        Session {
            on_demand: Some(OnDemand::new()),
            ..Session::new(opts)
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
        // On request, a refused edit must leave the last good site in
        // place: one document at a time, checked before it is applied.
        let render = self.on_demand.is_none();
        if !render && changed.len() != 1 {
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
            let (d, files_of_page) = apply_body_edit(kept, &sources, e, render);
            diags.extend(d);
            files.extend(files_of_page);
        }
        // Search shards of long lists that a shorter list left unused.
        let mut removed = kept.cache.take_removed();
        removed.retain(|p| !files.iter().any(|f| &f.path == p));
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
            if removed.is_empty() {
                Some(Update::Some(files))
            } else {
                Some(Update::Patch { files, removed })
            }
        } else if !render {
            // Nothing was applied (one document, refused before its body
            // entered the site): the last good site stays served, and the
            // next change checks everything from the files as on disk.
            kept.refused = true;
            for path in changed {
                kept.pending.extend(kept.parts.sources().find_path(path));
            }
            if changed.iter().any(|p| kept.parts.reread(p).is_err()) {
                if let Some(od) = self.on_demand.as_mut() {
                    od.full_next = true;
                }
            }
            None
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
        let mut diags = kept.parts.diags();
        if let Some(od) = self.on_demand.as_mut() {
            return Some(record_edit_on_demand(kept, od, diags, started));
        }
        let lang = kept.lang;
        let before = kept.parts.take_replaced();
        let sources = kept.parts.sources();
        let raw = kept.parts.portal();
        let site = check_and_gate(
            raw.clone(),
            sources,
            kept.roster.as_ref(),
            lang,
            &mut diags,
            &mut kept.scans,
            Some(pipeline::LastRun {
                findings: &mut kept.findings,
                site: Some(&kept.site),
                changed: None,
                before,
            }),
            started,
        );
        let mut update = None;
        let mut pages = 0;
        let ok = !diags.iter().any(Diagnostic::is_error);
        if let (true, Some(site)) = (ok, site) {
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
        Some((edit_outcome(kept, diags, pages, started), update))
    }
}

/// What a record edit reports: its findings (sorted, masked by the gate)
/// and the pages of the site it left served.
fn edit_outcome(kept: &Kept, diags: Vec<Diagnostic>, pages: usize, started: Instant) -> Outcome {
    let mut outcome = Outcome {
        sources: gate::redact(kept.parts.sources(), &diags, kept.roster.as_ref()),
        diags,
        lang: kept.lang,
        written: None,
        pages,
        tables: 0,
        elapsed: Duration::ZERO,
    };
    diag::sort(&mut outcome.diags);
    outcome.elapsed = started.elapsed();
    trace_time("edit: done", started);
    outcome
}

/// The record route on request: the site is updated in place
/// (`gate::run_patched`) and only the table of pages is made again, and not
/// even that when the edit keeps every page where it was.
fn record_edit_on_demand(
    kept: &mut Kept,
    od: &mut OnDemand,
    mut diags: Vec<Diagnostic>,
    started: Instant,
) -> (Outcome, Option<Update>) {
    let lang = kept.lang;
    let before = kept.parts.take_replaced();
    let raw = kept.parts.portal();
    // Decided before the site changes: it compares the two.
    let fits = od
        .table
        .as_ref()
        .is_some_and(|t| t.fits(kept.site.portal(), raw, &kept.pending));
    let patched = pipeline::check_and_patch(
        raw,
        &mut kept.site,
        &kept.pending,
        kept.parts.sources(),
        kept.roster.as_ref(),
        lang,
        &mut diags,
        &mut kept.scans,
        &mut kept.findings,
        before,
        started,
    );
    let mut pages = 0;
    let update = match (patched, od.table.as_mut().filter(|_| fits)) {
        (None, _) => None,
        (Some(patched), Some(table)) => {
            // The table keeps its findings: path clashes (errors) and
            // warnings that the site's pages lack something (`render.no-qr`).
            table.renew(&kept.site);
            trace_time("edit: pages kept", started);
            pages = table.len();
            diags.extend(table.findings().iter().cloned());
            drop_later(patched);
            Some(Update::Some(Vec::new()))
        }
        (Some(patched), None) => {
            let (table, clashes) = render::ondemand::PageTable::new(&kept.site, &kept.tera);
            trace_time("edit: pages listed", started);
            let clash = clashes.iter().any(Diagnostic::is_error);
            diags.extend(clashes);
            if clash {
                gate::unpatch(&mut kept.site, patched);
                None
            } else {
                pages = table.len();
                drop_later(od.table.replace(table));
                drop_later(patched);
                Some(Update::Some(Vec::new()))
            }
        }
    };
    if update.is_some() {
        kept.pending.clear();
    }
    kept.refused = update.is_none();
    (edit_outcome(kept, diags, pages, started), update)
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
    // The figures written in prose are checked against the records, which
    // only the full route has: an edit that changes them takes that route.
    if check::prose_figures(&page.body) != check::prose_figures(&body) {
        return None;
    }
    let source = crate::source::SourceFile::new(old.name.clone(), old.path.clone(), text.into());
    Some(BodyEdit {
        file,
        page_id: page.id.clone(),
        source,
        body,
    })
}

/// Checks and applies one body edit; with `render`, renders the pages that
/// show the body too.
fn apply_body_edit(
    kept: &mut Kept,
    sources: &Sources,
    e: BodyEdit,
    render: bool,
) -> (Vec<Diagnostic>, Vec<render::OutputFile>) {
    let site = &kept.site;
    let Some(old_page) = site.portal().pages.iter().find(|p| p.file == e.file) else {
        return (Vec::new(), Vec::new());
    };
    let mut new_page = old_page.clone();
    new_page.body = e.body.as_str().into();
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
    if !render || diags.iter().any(Diagnostic::is_error) {
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

/// How many bytes of rendered files the preview keeps, at most: the pages
/// opened last, so that going back to one does not render it again. The
/// site's whole-site files (search index, downloads) are kept apart, once
/// asked for, until the next change.
pub const CACHE_BYTES: usize = 64 * 1024 * 1024;

/// What a session on request keeps besides [`Kept`].
struct OnDemand {
    /// The pages of the kept site; `None` before the first good build.
    table: Option<render::ondemand::PageTable>,
    /// Increases whenever the served site changes.
    generation: u64,
    /// Files served, by path, with the generation they were made for; an
    /// older one is shown under the findings when its new version is refused.
    served: lru::LruCache<String, (u64, Arc<[u8]>)>,
    /// Bytes in `served`.
    bytes: usize,
    /// The whole-site files of this generation, made and scanned together
    /// when one of them is first asked for.
    site_wide: Option<SiteWide>,
    /// The last full build was refused: the kept site is still the last good
    /// one, but only a full build may follow.
    full_next: bool,
}

/// The whole-site files of one generation: each one's bytes or findings,
/// and the findings of making them all (a template of the downloads page).
struct SiteWide {
    files: HashMap<String, Result<Arc<[u8]>, Vec<Diagnostic>>>,
    diags: Vec<Diagnostic>,
}

impl OnDemand {
    fn new() -> OnDemand {
        OnDemand {
            table: None,
            generation: 0,
            served: lru::LruCache::unbounded(),
            bytes: 0,
            site_wide: None,
            full_next: false,
        }
    }

    /// The served site changed: every file is made again when asked for.
    fn next_generation(&mut self) {
        self.generation += 1;
        self.site_wide = None;
    }

    fn keep(&mut self, path: &str, bytes: Arc<[u8]>) {
        self.bytes += bytes.len();
        if let Some((_, old)) = self.served.put(path.to_string(), (self.generation, bytes)) {
            self.bytes -= old.len();
        }
        while self.bytes > CACHE_BYTES {
            match self.served.pop_lru() {
                Some((_, (_, old))) => self.bytes -= old.len(),
                None => break,
            }
        }
    }
}

/// One file of the site, as [`Session::file`] gives it.
pub enum Fetch {
    /// The file, as `cunwu build` writes it; it passed the output scan.
    File(Arc<[u8]>),
    /// Not served: the output scan refused it, or it could not be made. The
    /// findings, and the last version of this file that was served, if any.
    Refused {
        outcome: Outcome,
        last_good: Option<Arc<[u8]>>,
    },
    /// The site has no such file.
    Missing,
}

impl Session {
    /// Takes in a change of `changed` paths (empty: everything) without
    /// rendering: the routes of [`Session::rebuild`] load, check and gate
    /// it; a full build lists the pages. Returns the findings and whether
    /// the served site changed. When refused, the last good site stays.
    pub fn refresh(&mut self, changed: &[PathBuf]) -> (Outcome, bool) {
        let full_next = self.on_demand.as_ref().is_none_or(|o| o.full_next);
        let routed = if full_next || self.kept.is_none() {
            None
        } else {
            self.try_body_edit(changed)
                .or_else(|| self.try_record_edit(changed))
        };
        let (outcome, changed) = match routed {
            Some((outcome, update)) => (outcome, update.is_some()),
            None => self.full_on_demand(),
        };
        if changed {
            if let Some(od) = self.on_demand.as_mut() {
                od.next_generation();
            }
        }
        (outcome, changed)
    }

    /// A full build on request: load, check, gate, compile the templates and
    /// list the pages. On refusal an earlier good site stays kept.
    fn full_on_demand(&mut self) -> (Outcome, bool) {
        let started = Instant::now();
        let (mut outcome, front, parts) = pipeline::front_stages_with(&self.opts, true);
        let lang = outcome.lang;
        let mut good = None;
        if let (Some(front), Some(parts)) = (front, parts) {
            match render::compile(&front.theme, lang) {
                Err(d) => outcome.diags.extend(d),
                Ok(tera) => {
                    let (table, clashes) = render::ondemand::PageTable::new(&front.site, &tera);
                    outcome.diags.extend(clashes);
                    if outcome.errors() == 0 {
                        outcome.pages = table.len();
                        good = Some((front, parts, tera, table));
                    }
                }
            }
        }
        trace_time("serve: pages listed", started);
        let changed = good.is_some();
        let od = self.on_demand.get_or_insert_with(OnDemand::new);
        match good {
            Some((front, parts, tera, table)) => {
                let Front {
                    site,
                    theme,
                    roster,
                    scans,
                    findings,
                } = front;
                // The search and table caches check what they are made from.
                let cache = self.kept.take().map(|k| k.cache).unwrap_or_default();
                self.kept = Some(Kept {
                    site,
                    parts,
                    prints: render::Fingerprints::default(),
                    cache,
                    refused: false,
                    theme,
                    tera,
                    roster,
                    lang,
                    scans,
                    findings,
                    pending: Vec::new(),
                });
                od.table = Some(table);
                od.full_next = false;
            }
            None => od.full_next = true,
        }
        diag::sort(&mut outcome.diags);
        outcome.elapsed = started.elapsed();
        (outcome, changed)
    }

    /// Whether the site has a file at `path` (without making it): a page, an
    /// asset or the downloads page.
    pub fn has_file(&self, path: &str) -> bool {
        let (Some(kept), Some(table)) = (
            self.kept.as_ref(),
            self.on_demand.as_ref().and_then(|o| o.table.as_ref()),
        ) else {
            return false;
        };
        table.has_page(path)
            || path == render::tables::INDEX_PATH
            || kept.theme.assets.iter().any(|(name, _)| name == path)
    }

    /// The file at `path` of the current site: kept from an earlier request
    /// of this generation, or rendered now and scanned by the privacy gate's
    /// output scan (and the page size limit) before it is handed over, as a
    /// build scans every file before it writes it.
    pub fn file(&mut self, path: &str) -> Fetch {
        let started = Instant::now();
        let Some(kept) = self.kept.as_ref() else {
            return Fetch::Missing;
        };
        let Some(od) = self.on_demand.as_mut() else {
            return Fetch::Missing;
        };
        let Some(table) = od.table.as_ref() else {
            return Fetch::Missing;
        };
        let last = od.served.get(path).cloned();
        if let Some((generation, bytes)) = &last {
            if *generation == od.generation {
                return Fetch::File(bytes.clone());
            }
        }
        let last_good = last.map(|(_, bytes)| bytes);
        let refused = |diags: Vec<Diagnostic>, last_good: Option<Arc<[u8]>>| Fetch::Refused {
            outcome: refusal(kept, diags),
            last_good,
        };
        let rendered = if table.has_page(path) {
            render::ondemand::render_page(
                &kept.site,
                &kept.tera,
                &kept.theme,
                kept.lang,
                table,
                path,
            )
        } else {
            render::ondemand::asset(&kept.theme, &kept.site, path).map(|f| render::Rendered {
                files: vec![f],
                diags: Vec::new(),
            })
        };
        let Some(rendered) = rendered else {
            if !render::ondemand::may_be_site_wide(path) {
                return Fetch::Missing;
            }
            let wide = od
                .site_wide
                .get_or_insert_with(|| site_wide(kept, table, started));
            if wide.diags.iter().any(Diagnostic::is_error) {
                return refused(wide.diags.clone(), None);
            }
            return match wide.files.get(path) {
                Some(Ok(bytes)) => Fetch::File(bytes.clone()),
                Some(Err(diags)) => refused(diags.clone(), None),
                None => Fetch::Missing,
            };
        };
        trace_time("serve: rendered", started);
        let mut diags = rendered.diags;
        for f in &rendered.files {
            diags.extend(pipeline::page_too_large(f, kept.lang));
            diags.extend(gate::scan_output_file(
                f,
                &kept.site,
                kept.roster.as_ref(),
                kept.lang,
            ));
        }
        trace_time("serve: scanned", started);
        match rendered.files.into_iter().next() {
            Some(f) if !diags.iter().any(Diagnostic::is_error) => {
                let bytes: Arc<[u8]> = f.bytes.into();
                od.keep(path, bytes.clone());
                Fetch::File(bytes)
            }
            _ => refused(diags, last_good),
        }
    }
}

/// The whole-site files of the kept site, each scanned by the output scan.
fn site_wide(kept: &Kept, table: &render::ondemand::PageTable, started: Instant) -> SiteWide {
    use rayon::prelude::*;
    let rendered = render::ondemand::site_wide_files(
        &kept.site,
        &kept.tera,
        &kept.theme,
        kept.lang,
        table,
        &kept.cache,
    );
    trace_time("serve: site-wide files", started);
    let files = rendered
        .files
        .into_par_iter()
        .map(|f| {
            let mut diags: Vec<Diagnostic> = pipeline::page_too_large(&f, kept.lang)
                .into_iter()
                .collect();
            diags.extend(gate::scan_output_file(
                &f,
                &kept.site,
                kept.roster.as_ref(),
                kept.lang,
            ));
            let served = if diags.iter().any(Diagnostic::is_error) {
                Err(diags)
            } else {
                Ok(Arc::from(f.bytes))
            };
            (f.path, served)
        })
        .collect();
    trace_time("serve: site-wide files scanned", started);
    SiteWide {
        files,
        diags: rendered.diags,
    }
}

/// The findings that refuse a file, as an outcome to print.
fn refusal(kept: &Kept, diags: Vec<Diagnostic>) -> Outcome {
    let mut outcome = Outcome {
        sources: gate::redact(kept.parts.sources(), &diags, kept.roster.as_ref()),
        diags,
        lang: kept.lang,
        written: None,
        pages: 0,
        tables: 0,
        elapsed: Duration::ZERO,
    };
    diag::sort(&mut outcome.diags);
    outcome
}

/// Frees `old` (the site or page table an edit replaced) on another thread:
/// at a province's size, freeing every record and page takes a tenth of a
/// second or more, which the clerk need not wait for.
fn drop_later<T: Send + 'static>(old: T) {
    // Without a thread to be had, the closure (and `old`) is freed here.
    let _ = std::thread::Builder::new()
        .name("cunwu-free".into())
        .spawn(move || drop(old));
}
