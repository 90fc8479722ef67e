//! The stages chained: load → check → privacy gate → render → write.
//! The exit code is decided once, by the caller, from the outcome.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diag::Diagnostic;
use crate::messages::Lang;
use crate::source::Sources;
use crate::write::WriteStats;
use crate::{diag, gate, load, render};

mod disk;
mod front;

use disk::{build_to_disk, progress_bar};
pub use front::MAX_PAGE_BYTES;
use front::front_stages;
pub(crate) use front::{
    Front, LastRun, check_and_gate, check_and_patch, front_stages_with, page_too_large,
};

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
