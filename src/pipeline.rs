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
    let started = Instant::now();
    let loaded = load::load(&opts.root, opts.lang);
    let lang = loaded.portal.config.lang;
    let mut diags = loaded.diags;
    let (theme, theme_errors) = theme::load(&opts.root);
    for (path, reason) in theme_errors {
        diags.push(Diagnostic::error("load.read", Msg::ReadFailed { path: &path, reason: &reason }.text(lang)));
    }
    let ix = crate::model::Index::build(&loaded.portal);
    let report = check::run(&loaded.portal, &ix, lang);
    diags.extend(report.diags);
    let outcome = gate::run(loaded.portal, &loaded.sources, report.runs, lang);
    diags.extend(outcome.diags);

    let mut result = Outcome {
        sources: loaded.sources,
        diags,
        lang,
        written: None,
        pages: 0,
        elapsed: Duration::ZERO,
    };
    let ready = result.errors() == 0;
    if let (true, Some(site)) = (ready, outcome.site) {
        let rendered = render::render(&site, &theme, lang);
        result.diags.extend(rendered.diags);
        if result.errors() == 0 {
            result.pages = rendered.files.iter().filter(|f| f.path.ends_with(".html")).count();
            if let Some(output) = &opts.output {
                write_output(output, &opts.root, &rendered.files, &mut result);
            }
        }
    }
    diag::sort(&mut result.diags);
    result.elapsed = started.elapsed();
    result
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
