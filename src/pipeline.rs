//! The stages chained: load → check → privacy gate → render → write.
//! The exit code is decided once, by the caller, from the outcome.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::Diagnostic;
use crate::messages::{Lang, Msg};
use crate::rule::RuleId;
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
            result
                .diags
                .push(Diagnostic::error(RuleId::WriteOutput, msg));
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
        Diagnostic::error(RuleId::WriteOutput, msg.text(lang))
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
            .push(Diagnostic::error(RuleId::WriteOutput, msg.text(lang)));
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
    let (outcome, built) = build_in_memory(opts, false);
    (outcome, built.map(|b| b.files))
}

/// What the stages before rendering hand on when they pass.
pub(crate) struct Front {
    pub site: gate::PublicSite,
    pub theme: theme::Theme,
    pub roster: Option<gate::roster::Roster>,
    pub scans: gate::InputScans,
}

/// A site built in memory, with what the preview's session keeps of it.
pub(crate) struct InMemory {
    pub files: Vec<render::OutputFile>,
    pub front: Front,
    pub tera: tera::Tera,
    /// The portal as read, file by file (with `keep`).
    pub parts: Option<load::Parts>,
}

/// A build in memory: every stage but write. With `keep` (the preview's
/// `session::Session`), the portal as read comes back too.
pub(crate) fn build_in_memory(opts: &Options, keep: bool) -> (Outcome, Option<InMemory>) {
    let started = Instant::now();
    let (mut result, front, parts) = front_stages_with(opts, keep);
    let lang = result.lang;
    let mut built = None;
    if let Some(front) = front {
        match render::compile(&front.theme, lang) {
            Err(d) => result.diags.extend(d),
            Ok(tera) => {
                let rendered = render::render_all(&front.site, &tera, &front.theme, lang);
                result.diags.extend(rendered.diags);
                let too_large = rendered
                    .files
                    .iter()
                    .filter_map(|f| page_too_large(f, lang));
                result.diags.extend(too_large);
                result.diags.extend(gate::scan_output(
                    &rendered.files,
                    &front.site,
                    front.roster.as_ref(),
                    lang,
                ));
                if result.errors() == 0 {
                    result.pages = rendered
                        .files
                        .iter()
                        .filter(|f| f.path.ends_with(".html"))
                        .count();
                    built = Some(InMemory {
                        files: rendered.files,
                        front,
                        tera,
                        parts,
                    });
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
pub(crate) fn front_stages_with(
    opts: &Options,
    keep: bool,
) -> (Outcome, Option<Front>, Option<load::Parts>) {
    let started = Instant::now();
    let mut parts = load::load_parts(&opts.root, opts.lang);
    let lang = parts.lang();
    let mut diags = Vec::new();
    let (theme, theme_errors) = theme::load(&opts.root);
    for (path, reason) in theme_errors {
        diags.push(Diagnostic::error(
            RuleId::LoadRead,
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
pub(crate) fn check_and_gate(
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

/// The largest web page written, in bytes: a data set or document that
/// makes a bigger one is reported (docs/limits.md). Downloads (CSV, JSON)
/// and the search index are not pages and may be larger.
pub const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// A finding when `file` is a page larger than [`MAX_PAGE_BYTES`].
pub(crate) fn page_too_large(file: &render::OutputFile, lang: Lang) -> Option<Diagnostic> {
    (file.path.ends_with(".html") && file.bytes.len() > MAX_PAGE_BYTES).then(|| {
        Diagnostic::error(
            RuleId::LimitPageSize,
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
                RuleId::PrivacyRosterLocation,
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
                RuleId::PrivacyRosterRead,
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
