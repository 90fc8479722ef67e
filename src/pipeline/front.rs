//! The stages before rendering: load → check → gate, and the limits of
//! what is written.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Options, Outcome};
use crate::diag::Diagnostic;
use crate::messages::{Lang, Msg};
use crate::rule::RuleId;
use crate::source::Sources;
use crate::timing::trace_time;
use crate::{check, diag, gate, load, render, theme};

/// What the stages before rendering hand on when they pass.
pub(crate) struct Front {
    pub site: gate::PublicSite,
    pub theme: theme::Theme,
    pub roster: Option<gate::roster::Roster>,
    pub scans: gate::InputScans,
    /// The checker's findings item by item, for the preview's next run
    /// (empty unless the portal is kept).
    pub findings: check::KeptFindings,
}

/// load → check → gate. The site comes back only when nothing refused it.
pub(crate) fn front_stages(opts: &Options) -> (Outcome, Option<Front>) {
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
    let mut findings = check::KeptFindings::default();
    let site = check_and_gate(
        loaded.portal,
        &sources,
        roster.as_ref(),
        lang,
        &mut diags,
        &mut scans,
        keep.then_some(LastRun {
            findings: &mut findings,
            site: None,
            changed: None,
            before: Default::default(),
        }),
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
            findings,
        }),
        _ => None,
    };
    diag::sort(&mut result.diags);
    result.elapsed = started.elapsed();
    (result, front, kept_parts)
}

/// What the preview keeps of its last run for the next one.
pub(crate) struct LastRun<'k> {
    /// The checker's findings item by item (`check::KeptFindings`).
    pub findings: &'k mut check::KeptFindings,
    /// The last good site, whose lookups are shared when the portal's ids
    /// are where they were (`Portal::indexes_like`).
    pub site: Option<&'k gate::PublicSite>,
    /// The only files whose records may differ from `site`'s, when known
    /// (the record route on request): only theirs are compared.
    pub changed: Option<&'k [crate::source::FileId]>,
    /// The records of changed files as the last run read them
    /// (`load::Parts::take_replaced`).
    pub before: std::collections::HashMap<crate::source::FileId, crate::model::Records>,
}

/// check → gate over a loaded portal; its findings go to `diags`. With
/// `last`, the checker reads again only what changed since the last run
/// (the preview).
#[allow(clippy::too_many_arguments)] // each is one stage's own input
pub(crate) fn check_and_gate(
    portal: crate::model::Portal,
    sources: &Sources,
    roster: Option<&gate::roster::Roster>,
    lang: Lang,
    diags: &mut Vec<Diagnostic>,
    scans: &mut gate::InputScans,
    last: Option<LastRun>,
    started: Instant,
) -> Option<gate::PublicSite> {
    let (ix, runs) = lookups_and_check(&portal, sources, lang, diags, last, started);
    let outcome = gate::run_with(portal, ix, sources, runs, roster, lang, scans);
    diags.extend(outcome.diags);
    trace_time("gate", started);
    outcome.site
}

/// check → gate for the preview's record edits: `raw` is the portal on
/// disk now, which differs from `site`'s only in `files`; the gate updates
/// `site` in place when nothing before it or in it refused
/// (`gate::run_patched`), and says what it replaced.
#[allow(clippy::too_many_arguments)] // each is one stage's own input
pub(crate) fn check_and_patch(
    raw: &crate::model::Portal,
    site: &mut gate::PublicSite,
    files: &[crate::source::FileId],
    sources: &Sources,
    roster: Option<&gate::roster::Roster>,
    lang: Lang,
    diags: &mut Vec<Diagnostic>,
    scans: &mut gate::InputScans,
    findings: &mut check::KeptFindings,
    before: std::collections::HashMap<crate::source::FileId, crate::model::Records>,
    started: Instant,
) -> Option<gate::Patched> {
    let last = LastRun {
        findings,
        site: Some(site),
        changed: Some(files),
        before,
    };
    let (ix, runs) = lookups_and_check(raw, sources, lang, diags, Some(last), started);
    let apply = !diags.iter().any(Diagnostic::is_error);
    let (found, patched) = gate::run_patched(
        site, raw, files, apply, ix, sources, runs, roster, lang, scans,
    );
    diags.extend(found);
    trace_time("gate", started);
    patched
}

/// The lookups and the checker's run over `portal`; its findings go to
/// `diags`. With `last`, the checker reads again only what changed since
/// the last run (the preview), and the last site's lookups are shared when
/// the ids are where they were.
fn lookups_and_check(
    portal: &crate::model::Portal,
    sources: &Sources,
    lang: Lang,
    diags: &mut Vec<Diagnostic>,
    last: Option<LastRun>,
    started: Instant,
) -> (Arc<crate::model::Index>, Vec<check::RuleRun>) {
    let kept_index = last
        .as_ref()
        .and_then(|l| Some((l.site?, l.changed)))
        .filter(|(site, changed)| match changed {
            Some(files) => site.portal().indexes_like_in(portal, files),
            None => site.portal().indexes_like(portal),
        })
        .map(|(site, _)| site.shared_index());
    let ix = kept_index.unwrap_or_else(|| Arc::new(crate::model::Index::build(portal)));
    trace_time("lookup index", started);
    let report = match last {
        Some(last) => check::run_keeping(portal, &ix, lang, sources, last.findings, &last.before),
        None => check::run(portal, &ix, lang),
    };
    trace_time("check", started);
    diags.extend(report.diags);
    (ix, report.runs)
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
pub(super) fn read_roster(
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
