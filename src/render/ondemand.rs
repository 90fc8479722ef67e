//! The preview's site on request (issue 15): which file each path of the
//! site is, without rendering any, and one file rendered when it is asked
//! for, byte for byte what [`super::render_to`] writes at that path.
//! Pure, like the rest of the render stage; the session scans what comes
//! out with the gate's output scan before it is served.

use std::collections::HashMap;

use super::lookups::Lookups;
use super::views::{Spec, Views};
use super::{
    Cache, Rendered, asset_files, checks_json, closing_files, render_job, render_jobs, site_pages,
    template_error,
};
use crate::diag::Diagnostic;
use crate::gate::PublicSite;
use crate::messages::Lang;
use crate::model::{InFile, Portal, file_range};
use crate::source::FileId;
use crate::theme::Theme;

/// Every page of a site by its output path, with its cheap description:
/// what a full render would write, minus the whole-site files.
pub struct PageTable {
    pages: HashMap<String, Spec>,
    /// Every page path, in [`super::render_to`]'s order (the sitemap's).
    paths: Vec<String>,
    /// What listing the pages found (path clashes, `render.no-qr`): a kept
    /// table reports them again, as listing anew would.
    diags: Vec<Diagnostic>,
    /// The lookups the pages are made with, kept from one request to the
    /// next ([`PageTable::renew`] after an edit).
    look: Lookups,
}

impl PageTable {
    /// The site's pages, and the clashes between their paths (a finding a
    /// full build refuses on, `render.path-clash`).
    pub fn new(site: &PublicSite, tera: &tera::Tera) -> (PageTable, Vec<Diagnostic>) {
        let look = Lookups::build(site);
        let views = Views::with_lookups(site, look.clone()).with_templates(tera);
        let (specs, paths, diags) = site_pages(&views);
        let pages = paths.iter().cloned().zip(specs).collect();
        let table = PageTable {
            pages,
            paths,
            diags: diags.clone(),
            look,
        };
        (table, diags)
    }

    /// What listing these pages found.
    pub fn findings(&self) -> &[Diagnostic] {
        &self.diags
    }

    /// Whether this table, listed from `old`, is also `new`'s: every page
    /// is a record or document at the same place in its list, with the same
    /// id (its path), level and name (what decides which pages an area has),
    /// and no document changed (`changed` are the files edited since `old`).
    /// Listing a province's 300,000 pages again took 0.4 s; a data edit
    /// that keeps its records' ids, as most do, need not.
    pub fn fits(&self, old: &Portal, new: &Portal, changed: &[FileId]) -> bool {
        let (o, n) = (old, new);
        // `new` may be the portal before the gate: its drafts are not pages.
        let published = n.pages.iter().filter(|p| !p.draft).count();
        let documents_same = o.pages.len() == published
            && !o
                .pages
                .iter()
                .chain(&n.pages)
                .any(|p| changed.contains(&p.file));
        let same_areas = same_in(&o.areas, &n.areas, changed, |a, b| {
            a.id.value == b.id.value
                && a.name.value == b.name.value
                && a.level.value == b.level.value
        });
        let same_programmes = same_in(&o.programmes, &n.programmes, changed, |a, b| {
            a.id.value == b.id.value
        });
        let same_projects = same_in(&o.projects, &n.projects, changed, |a, b| {
            a.id.value == b.id.value
        });
        documents_same
            && same_areas
            && same_programmes
            && same_projects
            && o.config.base_url == n.config.base_url
    }

    /// Makes the kept lookups true for `site`, which this table
    /// [`fits`](PageTable::fits): only what the edit changed is built again.
    pub fn renew(&mut self, site: &PublicSite) {
        self.look = self.look.renewed(site, true);
    }

    /// How many pages (HTML files made from one record or document) the site has.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Whether `path` is one of these pages.
    pub fn has_page(&self, path: &str) -> bool {
        self.pages.contains_key(path)
    }
}

/// Whether `old` and `new` are alike by `eq`, record by record, where only
/// the records of `changed` files can differ. Both lists being in file
/// order, as the load makes them, comparing those files' runs is enough
/// when the lengths agree; out of order, every record is compared.
fn same_in<T: InFile>(
    old: &[T],
    new: &[T],
    changed: &[FileId],
    eq: impl Fn(&T, &T) -> bool,
) -> bool {
    let alike = |a: &[T], b: &[T]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| eq(x, y));
    let in_order = |list: &[T]| list.is_sorted_by_key(InFile::file);
    if old.len() != new.len() {
        return false;
    }
    if !(in_order(old) && in_order(new)) {
        return alike(old, new);
    }
    changed
        .iter()
        .all(|&f| alike(&old[file_range(old, f)], &new[file_range(new, f)]))
}

/// Renders the page at `path`; `None` when it is not a page of `table`.
/// Shortcode templates that fail while its context is built are findings
/// of this page.
pub fn render_page(
    site: &PublicSite,
    tera: &tera::Tera,
    theme: &Theme,
    lang: Lang,
    table: &PageTable,
    path: &str,
) -> Option<Rendered> {
    let spec = table.pages.get(path)?;
    let views = Views::with_lookups(site, table.look.clone()).with_templates(tera);
    let job = views.build(spec);
    let mut out = Rendered {
        files: Vec::new(),
        diags: Vec::new(),
    };
    match render_job(tera, &job, theme, lang) {
        Ok(f) => out.files.push(f),
        Err(d) => out.diags.push(*d),
    }
    for (template, e) in views.take_embed_errors() {
        out.diags
            .push(template_error(theme, Some(&template), &e, lang));
    }
    Some(out)
}

/// The theme's file (style sheet, script) or the portal's attachment at
/// `path`, if it is one.
pub fn asset(theme: &Theme, site: &PublicSite, path: &str) -> Option<super::OutputFile> {
    asset_files(theme, site).find(|f| f.path == path)
}

/// Whether `path` may be a file made from the whole site (search index,
/// downloads and their page, check report, feed, sitemap): one of the
/// generated paths of `output::GENERATED`, or inside a folder the generator
/// writes into. Anything else that is not a page or an asset is missing
/// without making them (a browser asks for `/favicon.ico` on every page).
pub fn may_be_site_wide(path: &str) -> bool {
    let top = path.split_once('/').map(|(top, _)| top);
    crate::output::GENERATED.contains(&path) || top.is_some_and(crate::output::is_generated_folder)
}

/// The files made from the whole site rather than one page or asset, as
/// [`super::render_to`] makes them: the search index, the downloads and
/// their page, the check report's JSON, the feed and the sitemap. The
/// search index and the tables reuse what `cache` kept of the last time.
pub fn site_wide_files(
    site: &PublicSite,
    tera: &tera::Tera,
    theme: &Theme,
    lang: Lang,
    table: &PageTable,
    cache: &Cache,
) -> Rendered {
    let views = Views::with_lookups(site, table.look.clone()).with_templates(tera);
    let (index, built) = rayon::join(|| cache.search_index(&views), || cache.tables(site));
    let mut out = render_jobs(tera, &[views.data_page(built.index)], theme, lang);
    out.files.extend(built.files);
    out.files.push(checks_json(&views));
    let extra = closing_files(&views, index, &table.paths, theme, lang);
    out.files.extend(extra.files);
    out.diags.extend(extra.diags);
    out
}

#[cfg(test)]
mod tests {
    use super::may_be_site_wide;

    #[test]
    fn site_wide_files_are_the_generated_paths_and_folders() {
        for path in crate::output::GENERATED {
            assert!(may_be_site_wide(path.trim_end_matches('/')) || path.ends_with('/'));
        }
        for path in [
            "search-index.js",
            "data/projects.csv",
            "checks.json",
            "sitemap.xml",
        ] {
            assert!(may_be_site_wide(path), "{path}");
        }
        for path in [
            "favicon.ico",
            "robots.txt",
            "villages/x/index.html",
            "style.css",
        ] {
            assert!(!may_be_site_wide(path), "{path}");
        }
    }
}
