//! The streaming build to disk: pages rendered on every core, scanned by the
//! gate's output scan, queued to the writer threads of a staging folder.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{Front, Outcome, page_too_large};
use crate::diag::Diagnostic;
use crate::messages::{Lang, Msg};
use crate::rule::RuleId;
use crate::timing::trace_time;
use crate::{gate, render, write};

/// The spinner shown on a terminal while a long build writes.
pub(super) fn progress_bar() -> indicatif::ProgressBar {
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

/// Renders into a staging folder beside `output`, scanning each file as it is
/// written; swaps the staged site in only when nothing was refused.
pub(super) fn build_to_disk(
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
            scan_time: Default::default(),
        };
        let diags = render::render_to(&front.site, &tera, &front.theme, lang, &sink);
        sink.scan_time.trace("gate: output scan");
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
    /// Time the rendering threads spent in the output scan.
    scan_time: crate::timing::Total,
}

impl render::Sink for DiskSink<'_> {
    fn put(&self, file: render::OutputFile) -> Vec<Diagnostic> {
        if let Some(d) = page_too_large(&file, self.lang) {
            return vec![d]; // never scanned nor written
        }
        let t0 = Instant::now();
        let diags = gate::scan_output_file(
            &file,
            &self.front.site,
            self.front.roster.as_ref(),
            self.lang,
        );
        self.scan_time.add(t0);
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
