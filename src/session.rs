//! The preview's session: a build kept in memory and updated in place, with
//! its two incremental routes (a document's body; files already read). Every
//! route gives the files a full build would write (`tests/incremental.rs`).

use std::path::{Path, PathBuf};
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
