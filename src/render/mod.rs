//! Stage 4, render: turns a [`PublicSite`] into output files in memory.
//! Pure: no disk, no network. Pages are rendered in parallel; every link is
//! relative so the site works from `file://`, a USB stick or any sub-path.

mod affected;
pub mod charts;
mod embed;
mod feeds;
pub mod format;
mod lookups;
pub mod markdown;
pub mod ondemand;
mod qr;
pub mod search;
pub mod tables;
mod views;

use rayon::prelude::*;
use serde_json::Value;

use crate::diag::Diagnostic;
use crate::gate::PublicSite;
use crate::messages::{Lang, Msg};
use crate::rule::RuleId;
use crate::theme::Theme;
use views::Spec;

pub use crate::output::OutputFile;

/// The one formatter of a figure the gate does not publish, for pages,
/// charts and downloads alike: `<k` or 不公开 (`messages::WITHHELD`);
/// `None` for a published value.
pub fn suppressed<T>(s: crate::gate::Shown<T>) -> Option<String> {
    match s {
        crate::gate::Shown::Value(_) => None,
        crate::gate::Shown::Below(k) => Some(crate::messages::below_k(k)),
        crate::gate::Shown::Withheld => Some(crate::messages::WITHHELD.to_string()),
    }
}

/// What the preview keeps of the last build to make the whole-site files
/// again cheaply: the search index's entries and postings, and the tables
/// with their files. Each part compares what it is made from with what it
/// kept, so it stays right whatever route rebuilt the site.
#[derive(Default)]
pub struct Cache {
    search: std::sync::Mutex<search::Cache>,
    tables: std::sync::Mutex<tables::Cache>,
}

impl Cache {
    fn search_index(&self, views: &views::Views) -> Vec<OutputFile> {
        match self.search.lock() {
            Ok(mut c) => views.search_index_cached(&mut c),
            Err(_) => views.search_index(),
        }
    }

    /// The search index files the last rebuilds made and the one before
    /// had, gone since they were last asked for (a long posting list that
    /// got shorter; see `search::shards`).
    pub fn take_removed(&self) -> Vec<String> {
        match self.search.lock() {
            Ok(mut c) => c.take_removed(),
            Err(_) => Vec::new(),
        }
    }

    /// The search index files that differ from the last ones made.
    fn search_index_changes(&self, views: &views::Views) -> Vec<OutputFile> {
        match self.search.lock() {
            Ok(mut c) => {
                let files = views.search_index_cached(&mut c);
                c.only_fresh(files)
            }
            Err(_) => views.search_index(),
        }
    }

    fn tables(&self, site: &PublicSite) -> tables::Downloads {
        match self.tables.lock() {
            Ok(mut c) => tables::build_cached(site, &mut c),
            Err(_) => tables::build(site),
        }
    }
}

/// What the render stage produced.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub diags: Vec<Diagnostic>,
}

/// A page to render: which template, where to write it, and its context.
pub struct Job {
    pub template: &'static str,
    pub path: String,
    pub context: Value,
}

/// Compiles the theme's templates once. Errors name the template file.
pub fn compile(theme: &Theme, lang: Lang) -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Added together so that `extends` and `include` resolve in any order.
    let all = theme
        .templates
        .iter()
        .map(|t| (t.name.as_str(), t.source.as_str()));
    match tera.add_raw_templates(all) {
        Ok(()) => Ok(tera),
        Err(e) => Err(vec![template_error(theme, None, &e, lang)]),
    }
}

/// A template error as one finding: `模板 templates/page.html:3:19 出错：...`,
/// naming the file the clerk edits (not tera's internal name), the line and
/// the column, followed by the offending line with a caret.
fn template_error(
    theme: &Theme,
    rendering: Option<&str>,
    e: &tera::Error,
    lang: Lang,
) -> Diagnostic {
    let find = |name: &str| theme.templates.iter().find(|t| t.name == name);
    let origin_of = |name: &str| find(name).map_or(name.to_string(), |t| t.origin.clone());
    let (template, detail) = match report_of(e) {
        Some(r) => {
            let span = r.span();
            let place = format!(
                "{}:{}:{}",
                origin_of(r.filename()),
                span.start_line,
                span.start_col + 1
            );
            let mut detail = r.message().trim().to_string();
            if let Some(t) = find(r.filename()) {
                detail.push('\n');
                detail.push_str(&excerpt(&t.source, span));
            }
            (place, detail)
        }
        None => {
            // Some errors (unknown filters, tests, functions) arrive as tera's
            // printed report: `error: ...\n --> page.html:3:21\n ...`.
            let mut detail = error_chain(e);
            let place = detail.split_once("--> ").and_then(|(_, rest)| {
                let loc = rest.lines().next()?;
                let (name_line, col) = loc.rsplit_once(':')?;
                let (name, line) = name_line.rsplit_once(':')?;
                Some(format!("{}:{line}:{col}", origin_of(name)))
            });
            for t in &theme.templates {
                detail = detail.replace(&format!("--> {}:", t.name), &format!("--> {}:", t.origin));
            }
            let detail = detail
                .strip_prefix("error: ")
                .unwrap_or(&detail)
                .to_string();
            let origin = match (place, rendering) {
                (Some(place), _) => place,
                (None, Some(name)) => origin_of(name),
                (None, None) => theme
                    .templates
                    .iter()
                    .find(|t| detail.contains(&format!("'{}'", t.name)))
                    .map_or("themes/default/templates".to_string(), |t| t.origin.clone()),
            };
            (origin, detail)
        }
    };
    Diagnostic::error(
        RuleId::RenderTemplate,
        Msg::TemplateFailed {
            template: &template,
            detail: &detail,
        }
        .text(lang),
    )
    .field(template.clone())
}

/// The located error inside a tera error, if it has one.
fn report_of(e: &tera::Error) -> Option<&tera::ReportError> {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => {
            let inner = std::error::Error::source(e)?;
            report_of(inner.downcast_ref::<tera::Error>()?)
        }
    }
}

/// The template line an error points at, with carets under the span.
fn excerpt(source: &str, span: &tera::Span) -> String {
    let line = source
        .lines()
        .nth(span.start_line.saturating_sub(1))
        .unwrap_or("");
    let width = if span.end_line == span.start_line {
        span.end_col.saturating_sub(span.start_col).max(1)
    } else {
        1
    };
    let n = span.start_line.to_string();
    let pad = " ".repeat(n.len());
    format!(
        "{pad} |\n{n} | {line}\n{pad} | {}{}",
        " ".repeat(span.start_col),
        "^".repeat(width)
    )
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        cur = inner.source();
    }
    s
}

/// Where rendered files go as they are made: kept in memory (the preview), or
/// scanned and written at once (a build), so a province-scale build never
/// holds every page at the same time.
pub trait Sink: Sync {
    /// Takes one file; returns findings about it (e.g. the output scan's).
    fn put(&self, file: OutputFile) -> Vec<Diagnostic>;
}

/// Collects files in memory.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Vec<Diagnostic> {
        if let Ok(mut files) = self.0.lock() {
            files.push(file);
        }
        Vec::new()
    }
}

impl Collect {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_default();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

/// Renders the whole site with templates compiled once by [`compile`].
pub fn render_all(site: &PublicSite, tera: &tera::Tera, theme: &Theme, lang: Lang) -> Rendered {
    let sink = Collect::default();
    let diags = render_to(site, tera, theme, lang, &sink);
    Rendered {
        files: sink.into_files(),
        diags,
    }
}

/// Renders every file of the site into `sink`. Pages are built, rendered and
/// handed over one by one, in parallel.
pub fn render_to(
    site: &PublicSite,
    tera: &tera::Tera,
    theme: &Theme,
    lang: Lang,
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    let views = views::Views::new(site).with_templates(tera);
    let (specs, paths, mut diags) = site_pages(&views);
    if diags.iter().any(Diagnostic::is_error) {
        return diags;
    }
    let t0 = std::time::Instant::now();
    // The downloads read the whole site but no page: they are made (and
    // written) while the pages are, so that nothing waits at the end.
    let (page_diags, download_diags) = rayon::join(
        || {
            specs
                .par_iter()
                .flat_map_iter(|spec| {
                    let job = views.build(spec);
                    match render_job(tera, &job, theme, lang) {
                        Ok(file) => sink.put(file),
                        Err(d) => vec![*d],
                    }
                })
                .collect::<Vec<Diagnostic>>()
        },
        || write_downloads(site, &views, tera, theme, lang, sink),
    );
    // The search index reads the documents' texts their pages kept, so it
    // is made after them: each document is parsed once, not twice.
    let index = views.search_index();
    diags.extend(first_of_each(page_diags));
    diags.extend(download_diags);
    crate::timing::trace_time("render: pages, search index, downloads", t0);
    for asset in asset_files(theme, views.site) {
        diags.extend(sink.put(asset));
    }
    diags.extend(sink.put(checks_json(&views)));
    let extra = closing_files(&views, index, &paths, theme, lang);
    crate::timing::trace_time("render: feed", t0);
    diags.extend(extra.diags);
    for f in extra.files {
        diags.extend(sink.put(f));
    }
    diags
}

/// The theme's static files (style sheet, scripts) and the portal's
/// attachments (`static/`, metadata stripped at load) as output files.
fn asset_files<'a>(
    theme: &'a Theme,
    site: &'a PublicSite,
) -> impl Iterator<Item = OutputFile> + 'a {
    let theme_files = theme.assets.iter().map(|(name, bytes)| OutputFile {
        path: name.clone(),
        bytes: bytes.clone(),
    });
    let attachments = site.portal().attachments.iter().map(|a| OutputFile {
        path: a.path.clone(),
        bytes: a.bytes.to_vec(),
    });
    theme_files.chain(attachments)
}

/// The files made last: the search index and the feed ([`site_files`]), and
/// the sitemap of every page at `paths` and the downloads page.
fn closing_files(
    views: &views::Views,
    index: Vec<OutputFile>,
    paths: &[String],
    theme: &Theme,
    lang: Lang,
) -> Rendered {
    let mut extra = Rendered {
        files: Vec::new(),
        diags: Vec::new(),
    };
    site_files(views, index, theme, lang, &mut extra);
    let mut all_paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    all_paths.push(tables::INDEX_PATH);
    extra.files.extend(views.sitemap(&all_paths));
    extra
}

/// Makes the downloadable tables and `data/index.html`, and hands them to `sink`.
fn write_downloads(
    site: &PublicSite,
    views: &views::Views,
    tera: &tera::Tera,
    theme: &Theme,
    lang: Lang,
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    let built = tables::build(site);
    let page = render_jobs(tera, &[views.data_page(built.index)], theme, lang);
    let mut diags = page.diags;
    let files: Vec<OutputFile> = page.files.into_iter().chain(built.files).collect();
    diags.extend(
        files
            .into_par_iter()
            .flat_map_iter(|f| sink.put(f))
            .collect::<Vec<_>>(),
    );
    diags
}

/// Every page of the site, its output path, and the clashes between paths
/// (two pages at one path, or a document where the downloads page goes).
fn site_pages(views: &views::Views) -> (Vec<Spec>, Vec<String>, Vec<Diagnostic>) {
    let specs = views.specs();
    let mut diags = views.clashes(&specs);
    let paths: Vec<String> = specs.iter().map(|s| views.path_of(s)).collect();
    if paths.iter().any(|p| p == tables::INDEX_PATH) {
        diags.push(Diagnostic::error(
            RuleId::RenderPathClash,
            Msg::PathClashDownloads {
                path: tables::INDEX_PATH,
            }
            .both(),
        ));
    }
    // Without base_url the 公示 sheets say so on screen only; the clerk hears
    // it once here, not on paper.
    let villages = specs.iter().any(|s| matches!(s, Spec::PrintArea(_)));
    if views
        .p
        .config
        .base_url
        .as_ref()
        .is_none_or(|u| u.is_empty())
        && villages
    {
        diags.push(Diagnostic::warning(
            RuleId::RenderNoQr,
            Msg::NoBaseUrlQr.both(),
        ));
    }
    (specs, paths, diags)
}

/// A broken template fails every page that uses it: report it once.
fn first_of_each(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    diags
        .into_iter()
        .filter(|d| d.rule != RuleId::RenderTemplate.as_str() || seen.insert(d.message.clone()))
        .collect()
}

/// Renders only the files a change to the body of page `page_id` can alter:
/// the page, the lists that show its summary, and the check report.
///
/// `index_changed` says whether the part of the body the search index and the
/// feed show changed (see [`search::body_key`]); when it did not, they are not
/// rebuilt, which on a large portal is most of the work.
pub fn render_after_body_edit(
    site: &PublicSite,
    tera: &tera::Tera,
    theme: &Theme,
    lang: Lang,
    page_id: &str,
    index_changed: bool,
    cache: &Cache,
) -> Rendered {
    let views = views::Views::new(site).with_templates(tera);
    let jobs = views.jobs_after_body_edit(page_id);
    let mut rendered = render_jobs(tera, &jobs, theme, lang);
    rendered.files.push(checks_json(&views));
    if index_changed {
        let index = cache.search_index_changes(&views);
        site_files(&views, index, theme, lang, &mut rendered);
    } else {
        for (template, e) in views.take_embed_errors() {
            rendered
                .diags
                .push(template_error(theme, Some(&template), &e, lang));
        }
    }
    rendered.files.sort_by(|a, b| a.path.cmp(&b.path));
    rendered
}

/// Files made from the whole site rather than one page: the search index
/// and its shards (built by the caller) and the Atom feed (only with `base_url`). Both carry
/// text of document bodies, so [`render_after_body_edit`] renders them again.
/// Also reports shortcode templates that failed while the views were built.
fn site_files(
    views: &views::Views,
    index: Vec<OutputFile>,
    theme: &Theme,
    lang: Lang,
    out: &mut Rendered,
) {
    out.files.extend(index);
    out.files.extend(views.atom_feed());
    for (template, e) in views.take_embed_errors() {
        out.diags
            .push(template_error(theme, Some(&template), &e, lang));
    }
}

fn checks_json(views: &views::Views) -> OutputFile {
    OutputFile {
        path: crate::output::CHECKS_JSON.into(),
        bytes: views.checks_json(),
    }
}

fn render_jobs(tera: &tera::Tera, jobs: &[Job], theme: &Theme, lang: Lang) -> Rendered {
    let results: Vec<Result<OutputFile, Box<Diagnostic>>> = jobs
        .par_iter()
        .map(|job| render_job(tera, job, theme, lang))
        .collect();
    let mut files = Vec::with_capacity(results.len() + theme.assets.len() + 1);
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(*d),
        }
    }
    Rendered { files, diags }
}

fn render_job(
    tera: &tera::Tera,
    job: &Job,
    theme: &Theme,
    lang: Lang,
) -> Result<OutputFile, Box<Diagnostic>> {
    let failed = |e: tera::Error| Box::new(template_error(theme, Some(job.template), &e, lang));
    let context = tera::Context::from_serialize(&job.context).map_err(failed)?;
    // Rendered into bytes: `Tera::render` checks again that its own output
    // is UTF-8, which cost 3 % of a build's instructions.
    let mut bytes = Vec::with_capacity(RENDER_CAPACITY);
    tera.render_to(job.template, &context, &mut bytes)
        .map_err(failed)?;
    Ok(OutputFile {
        path: job.path.clone(),
        bytes,
    })
}

/// Room made for a rendered page at first (it grows as needed): most pages
/// are 4–16 KB, and the files a preview holds keep their room.
const RENDER_CAPACITY: usize = 8 * 1024;

/// What the files of the last build were made from, by output path: a page
/// by its template and context (which decide its bytes), any other file by
/// its bytes. [`render_changed`] renders again only the pages whose
/// fingerprint moved; `None` means "not known, render again".
#[derive(Debug, Default, Clone)]
pub struct Fingerprints(std::collections::HashMap<String, Option<u64>>);

impl Fingerprints {
    /// Forgets what `path` was made from, so that the next [`render_changed`]
    /// renders it again (after it was rendered by another route).
    pub fn forget(&mut self, path: &str) {
        self.0.insert(path.to_string(), None);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn unchanged(&self, path: &str, print: u64) -> bool {
        self.0.get(path) == Some(&Some(print))
    }
}

/// The fingerprints of a site [`render_all`] rendered into `files`; fills
/// `cache` for the rebuilds that follow.
pub fn fingerprints(
    site: &PublicSite,
    tera: &tera::Tera,
    files: &[OutputFile],
    cache: &Cache,
) -> Fingerprints {
    let views = views::Views::new(site).with_templates(tera);
    let specs = views.specs();
    let mut pages: std::collections::HashMap<String, Option<u64>> = specs
        .par_iter()
        .map(|spec| {
            let job = views.build(spec);
            (job.path.clone(), Some(job_print(&job)))
        })
        .collect();
    let (built, _) = rayon::join(|| cache.tables(site), || cache.search_index(&views));
    let data_page = views.data_page(built.index);
    pages.insert(data_page.path.clone(), Some(job_print(&data_page)));
    let others: Vec<(String, Option<u64>)> = files
        .par_iter()
        .filter(|f| !pages.contains_key(&f.path))
        .map(|f| (f.path.clone(), Some(bytes_print(&f.bytes))))
        .collect();
    pages.extend(others);
    Fingerprints(pages)
}

/// What [`render_changed`] made: the files that differ from the last build
/// (new or changed), the paths the last build had and this one does not,
/// findings, and the fingerprints of the new build.
pub struct Changes {
    pub files: Vec<OutputFile>,
    pub removed: Vec<String>,
    pub diags: Vec<Diagnostic>,
    pub fingerprints: Fingerprints,
}

/// What [`render_changed`] may skip: the site `old` was made from and the
/// input files edited since.
pub struct Since<'a> {
    pub site: &'a PublicSite,
    pub files: &'a [crate::source::FileId],
    /// Build the skipped contexts anyway and report any whose fingerprint
    /// moved (tests).
    pub verify: bool,
}

/// Renders the site like [`render_to`], but hands back only the files whose
/// fingerprint differs from `old` (early cutoff): only pages whose context
/// changed are rendered. With `since`, only the contexts of the pages the
/// edited files can reach are built (see `affected.rs`); the others keep
/// their last fingerprint. Whole-site files (tables, search index, feed,
/// sitemap, check report) are made again and kept when their bytes changed;
/// the search index and the tables from what `cache` kept of the last build.
pub fn render_changed(
    site: &PublicSite,
    tera: &tera::Tera,
    theme: &Theme,
    lang: Lang,
    old: &Fingerprints,
    since: Option<Since>,
    cache: &Cache,
) -> Changes {
    let t0 = std::time::Instant::now();
    let views = views::Views::new(site).with_templates(tera);
    let (specs, paths, diags) = site_pages(&views);
    let mut changes = Changes {
        files: Vec::new(),
        removed: Vec::new(),
        diags: Vec::new(),
        fingerprints: Fingerprints::default(),
    };
    let stop = diags.iter().any(Diagnostic::is_error);
    changes.diags = diags;
    if stop {
        return changes;
    }
    let reach = since
        .as_ref()
        .and_then(|s| affected::affected(s.site, site, s.files));
    let verify = since.as_ref().is_some_and(|s| s.verify);
    crate::timing::trace_time("changed: specs", t0);
    type Done = (String, u64, Option<Result<OutputFile, Box<Diagnostic>>>);
    let render_if_changed = |job: Job| -> Done {
        let print = job_print(&job);
        let file = (!old.unchanged(&job.path, print)).then(|| render_job(tera, &job, theme, lang));
        (job.path, print, file)
    };
    // As in `render_to`, the search index and the tables are built beside the pages.
    // A page the edit cannot reach keeps its last fingerprint, when it has one.
    let skip = |spec: &Spec, path: &str| -> Option<Done> {
        let print = (*old.0.get(path)?)?;
        if reach.as_ref()?.wants(&views, spec) {
            return None;
        }
        if verify && job_print(&views.build(spec)) != print {
            let d = Diagnostic::error(
                RuleId::RenderPruned,
                Msg::ContextPruned { path }.text(Lang::En),
            );
            return Some((path.to_string(), print, Some(Err(Box::new(d)))));
        }
        Some((path.to_string(), print, None))
    };
    let (mut done, (index, built)) = rayon::join(
        || {
            specs
                .par_iter()
                .zip(&paths)
                .map(|(spec, path)| {
                    skip(spec, path).unwrap_or_else(|| render_if_changed(views.build(spec)))
                })
                .collect::<Vec<Done>>()
        },
        || rayon::join(|| cache.search_index(&views), || cache.tables(site)),
    );
    crate::timing::trace_time("changed: pages", t0);
    let mut page_diags = Vec::new();
    let mut prints = std::collections::HashMap::with_capacity(done.len() + 64);
    let mut keep = |done: Vec<Done>, changes: &mut Changes, page_diags: &mut Vec<Diagnostic>| {
        for (path, print, file) in done {
            prints.insert(path, Some(print));
            match file {
                Some(Ok(f)) => changes.files.push(f),
                Some(Err(d)) => page_diags.push(*d),
                None => {}
            }
        }
    };
    let mut others: Vec<OutputFile> = asset_files(theme, views.site).collect();
    others.push(checks_json(&views));
    done.push(render_if_changed(views.data_page(built.index)));
    keep(done, &mut changes, &mut page_diags);
    changes.diags.extend(first_of_each(page_diags));
    others.extend(built.files);
    let extra = closing_files(&views, index, &paths, theme, lang);
    crate::timing::trace_time("changed: site files", t0);
    changes.diags.extend(extra.diags);
    others.extend(extra.files);
    let others: Vec<(OutputFile, u64)> = others
        .into_par_iter()
        .map(|f| {
            let print = bytes_print(&f.bytes);
            (f, print)
        })
        .collect();
    for (f, print) in others {
        if !old.unchanged(&f.path, print) {
            prints.insert(f.path.clone(), Some(print));
            changes.files.push(f);
        } else {
            prints.insert(f.path, Some(print));
        }
    }
    changes.removed = old
        .0
        .keys()
        .filter(|p| !prints.contains_key(*p))
        .cloned()
        .collect();
    changes.removed.sort();
    changes.files.sort_by(|a, b| a.path.cmp(&b.path));
    changes.fingerprints = Fingerprints(prints);
    crate::timing::trace_time("changed: done", t0);
    changes
}

/// A page's fingerprint: its template and its whole context.
fn job_print(job: &Job) -> u64 {
    let mut h = Print::new(1);
    h.bytes(job.template.as_bytes());
    hash_value(&job.context, &mut h);
    h.finish()
}

/// Any other file's fingerprint: its bytes.
fn bytes_print(bytes: &[u8]) -> u64 {
    let mut h = Print::new(2);
    h.bytes(bytes);
    h.finish()
}

/// A fast 64-bit hash for fingerprints (the folded-multiply mixing of
/// wyhash and foldhash): a context is hashed for every page on every
/// rebuild, and SipHash cost a tenth of that pass. Fingerprints are only
/// compared with those of the same path in the same process, never with
/// chosen input, so a non-cryptographic hash is enough.
struct Print(u64);

impl Print {
    const K: [u64; 4] = [
        0xa076_1d64_78bd_642f,
        0xe703_7ed1_a0b4_28db,
        0x8ebc_6af0_9c88_c6e3,
        0x5899_65cc_7537_4cc3,
    ];

    fn new(kind: u64) -> Print {
        Print(Self::mix(kind ^ Self::K[0], Self::K[1]))
    }

    fn mix(a: u64, b: u64) -> u64 {
        let r = u128::from(a).wrapping_mul(u128::from(b));
        (r as u64) ^ ((r >> 64) as u64)
    }

    fn word(&mut self, w: u64) {
        self.0 = Self::mix(self.0 ^ w ^ Self::K[2], Self::K[3]);
    }

    /// Length-prefixed, so that the bytes of two fields never run together.
    fn bytes(&mut self, b: &[u8]) {
        self.word(b.len() as u64);
        let mut chunks = b.chunks_exact(16);
        for c in &mut chunks {
            let lo = u64::from_le_bytes(c[..8].try_into().unwrap_or_default());
            let hi = u64::from_le_bytes(c[8..].try_into().unwrap_or_default());
            self.0 = Self::mix(self.0 ^ lo ^ Self::K[2], hi ^ Self::K[3]);
        }
        let rest = chunks.remainder();
        let mut tail = [0u8; 16];
        tail[..rest.len()].copy_from_slice(rest);
        if !rest.is_empty() {
            let lo = u64::from_le_bytes(tail[..8].try_into().unwrap_or_default());
            let hi = u64::from_le_bytes(tail[8..].try_into().unwrap_or_default());
            self.0 = Self::mix(self.0 ^ lo ^ Self::K[2], hi ^ Self::K[3]);
        }
    }

    fn finish(&self) -> u64 {
        Self::mix(self.0, Self::K[0])
    }
}

/// Feeds a JSON value to `h` without serialising it: every variant is
/// tagged and every string and collection length-prefixed, so two different
/// values never feed the same words.
fn hash_value(v: &Value, h: &mut Print) {
    match v {
        Value::Null => h.word(0),
        Value::Bool(b) => h.word(if *b { 2 } else { 1 }),
        Value::Number(n) => {
            h.word(3);
            h.bytes(n.to_string().as_bytes());
        }
        Value::String(s) => {
            h.word(4);
            h.bytes(s.as_bytes());
        }
        Value::Array(items) => {
            h.word(5);
            h.word(items.len() as u64);
            for item in items {
                hash_value(item, h);
            }
        }
        Value::Object(m) => {
            h.word(6);
            h.word(m.len() as u64);
            for (k, item) in m {
                h.bytes(k.as_bytes());
                hash_value(item, h);
            }
        }
    }
}

#[cfg(test)]
mod suppressed_tests {
    use super::suppressed;
    use crate::gate::Shown;

    #[test]
    fn one_form_for_small_and_withheld_figures() {
        for k in [2u64, 3, 5, 10, 100] {
            assert_eq!(suppressed(Shown::<u64>::Below(k)), Some(format!("<{k}")));
        }
        assert_eq!(
            suppressed(Shown::<u64>::Withheld).as_deref(),
            Some("不公开")
        );
        assert_eq!(suppressed(Shown::Value(7u64)), None);
    }
}
