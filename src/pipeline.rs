//! The stages chained: load → check → privacy gate → render → write.
//! The exit code is decided once, by the caller, from the outcome.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::Diagnostic;
use crate::messages::{Lang, Msg};
use crate::source::Sources;
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
    pub elapsed: Duration,
}

impl Outcome {
    pub fn errors(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }
}

/// Runs the pipeline. Writes only when every stage passed.
pub fn run(opts: &Options) -> Outcome {
    let (mut result, files) = render_site(opts);
    if let (Some(files), Some(output)) = (files, &opts.output) {
        let started = Instant::now();
        write_output(output, &opts.root, &files, &mut result);
        result.elapsed += started.elapsed();
    }
    diag::sort(&mut result.diags);
    result
}

/// Runs every stage but write; returns the site's files when nothing refused
/// them (the preview server serves these from memory).
pub fn render_site(opts: &Options) -> (Outcome, Option<Vec<render::OutputFile>>) {
    let started = Instant::now();
    let loaded = load::load(&opts.root, opts.lang);
    let lang = loaded.portal.config.lang;
    let mut diags = loaded.diags;
    let (theme, theme_errors) = theme::load(&opts.root);
    for (path, reason) in theme_errors {
        diags.push(Diagnostic::error("load.read", Msg::ReadFailed { path: &path, reason: &reason }.text(lang)));
    }
    let mut sources = loaded.sources;
    // Templates a portal overrides are inputs too: the gate scans them.
    for t in theme.templates.iter().filter(|t| !t.origin.starts_with("(built-in)")) {
        let path = opts.root.join(&t.origin);
        sources.add(crate::source::SourceFile::new(t.origin.clone(), path, t.source.as_str().into()));
    }
    let roster = opts.roster.as_deref().and_then(|r| read_roster(r, &opts.root, lang, &mut diags));
    let ix = crate::model::Index::build(&loaded.portal);
    let report = check::run(&loaded.portal, &ix, lang);
    diags.extend(report.diags);
    let outcome = gate::run(loaded.portal, &sources, report.runs, roster.as_ref(), lang);
    diags.extend(outcome.diags);

    let mut result = Outcome {
        sources,
        diags,
        lang,
        written: None,
        pages: 0,
        elapsed: Duration::ZERO,
    };
    let mut files = None;
    if let (0, Some(site)) = (result.errors(), outcome.site) {
        let rendered = render::render(&site, &theme, lang);
        result.diags.extend(rendered.diags);
        result.diags.extend(gate::scan_output(&rendered.files, &site, roster.as_ref(), lang));
        if result.errors() == 0 {
            result.pages = rendered.files.iter().filter(|f| f.path.ends_with(".html")).count();
            files = Some(rendered.files);
        }
    }
    diag::sort(&mut result.diags);
    result.elapsed = started.elapsed();
    (result, files)
}

fn write_output(output: &Path, root: &Path, files: &[render::OutputFile], result: &mut Outcome) {
    if is_inside(root, output) {
        let msg = Msg::WriteFailed {
            path: &output.display().to_string(),
            reason: "the output folder would replace the portal itself / 输出目录不能是门户目录本身",
        };
        result.diags.push(Diagnostic::error("write.output", msg.text(result.lang)));
        return;
    }
    match write::write_site(output, files) {
        Ok(stats) => result.written = Some(stats),
        Err(reason) => {
            let msg = Msg::WriteFailed {
                path: &output.display().to_string(),
                reason: &reason,
            };
            result.diags.push(Diagnostic::error("write.output", msg.text(result.lang)));
        }
    }
}

/// True when replacing `output` would remove `root` (output is root or above it).
fn is_inside(root: &Path, output: &Path) -> bool {
    let (Ok(root), Ok(out)) = (root.canonicalize(), output.canonicalize()) else {
        return false;
    };
    root.starts_with(out)
}

/// Reads the roster; refuses one kept inside the portal, where it could be published.
fn read_roster(path: &Path, root: &Path, lang: Lang, diags: &mut Vec<Diagnostic>) -> Option<gate::roster::Roster> {
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
    match std::fs::read_to_string(path) {
        Ok(text) => Some(gate::roster::Roster::parse(&text)),
        Err(e) => {
            let reason = e.to_string();
            diags.push(Diagnostic::error(
                "privacy.roster-read",
                Msg::RosterUnreadable { path: &shown, reason: &reason }.text(lang),
            ));
            None
        }
    }
}
