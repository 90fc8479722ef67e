//! Which pages an edit of data files can change: the record route of the
//! preview ([`super::render_changed`]) builds only their contexts and keeps
//! the last fingerprints of the others.
//!
//! Conservative by construction: every record read from a changed file
//! counts as changed (its old and its new version), and a change that moves
//! the shape of the site (an area's id, name, level or parent; any document's
//! front matter) gives up and builds every context, as before. The pages
//! always built (home, section lists, the check report, search, 404, the
//! downloads page and every document that uses a shortcode) are few.
//! `Session::verify_pruning` builds the skipped contexts too and reports any
//! that moved; `tests/incremental.rs` runs with it on.

use std::collections::HashSet;

use super::views::{Spec, Views};
use crate::gate::PublicSite;
use crate::model::{Area, Portal, Records};
use crate::source::FileId;

/// What an edit can reach, by record id.
#[derive(Debug, Default)]
pub struct Affected {
    areas: HashSet<String>,
    programmes: HashSet<String>,
    projects: HashSet<String>,
    /// Documents (plans) by id.
    pages: HashSet<String>,
}

/// What changed between `old` and `new` when only the files `files` were
/// edited; `None` when every page must be built.
pub fn affected(old: &PublicSite, new: &PublicSite, files: &[FileId]) -> Option<Affected> {
    let (o, n) = (old.portal(), new.portal());
    let files: HashSet<FileId> = files.iter().copied().collect();
    let from = |f: FileId| files.contains(&f);
    // Documents' front matter feeds lists, links and navigation everywhere.
    if o.pages.len() != n.pages.len()
        || o.pages.iter().chain(&n.pages).any(|p| from(p.file))
        || o.areas.len() != n.areas.len()
    {
        return None;
    }
    // Areas shape every page's crumbs and links: only their figures and
    // texts may change here.
    let old_areas: Vec<&Area> = o.areas.iter().filter(|a| from(a.id.span.file)).collect();
    let new_areas: Vec<&Area> = n.areas.iter().filter(|a| from(a.id.span.file)).collect();
    if old_areas.len() != new_areas.len()
        || old_areas.iter().zip(&new_areas).any(|(a, b)| {
            a.id.value != b.id.value
                || a.name.value != b.name.value
                || a.level.value != b.level.value
                || a.parent.as_ref().map(|p| &p.value) != b.parent.as_ref().map(|p| &p.value)
        })
    {
        return None;
    }
    let mut out = Affected::default();
    for a in old_areas.iter().chain(&new_areas) {
        out.areas.insert(a.id.value.clone());
    }
    for p in [o, n] {
        out.records_of(p, &from);
    }
    // Small counts are suppressed together (complementary suppression): any
    // published figure that moved marks its area, wherever it came from.
    for i in moved(old.progress(), new.progress()) {
        for list in [old.progress(), new.progress()] {
            if let Some(r) = list.get(i) {
                out.areas.insert(r.area.clone());
            }
        }
    }
    for i in moved(old.relapses(), new.relapses()) {
        for list in [old.relapses(), new.relapses()] {
            if let Some(r) = list.get(i) {
                out.areas.insert(r.area.clone());
            }
        }
    }
    // A programme's projects show its name and notice.
    for (p, ix) in [(o, old.index()), (n, new.index())] {
        for g in &out.programmes {
            for &i in ix
                .projects_of_programme
                .get(g)
                .map_or(&[][..], Vec::as_slice)
            {
                out.projects.insert(p.projects[i].id.value.clone());
            }
        }
    }
    // Areas show their children's figures: every ancestor too.
    for (p, ix) in [(o, old.index()), (n, new.index())] {
        let mut up = Vec::new();
        for id in &out.areas {
            up.extend(p.area_path(ix, id).iter().map(|a| a.id.value.clone()));
        }
        out.areas.extend(up);
    }
    Some(out)
}

/// Positions where two lists differ (or only one has an item).
fn moved<T: PartialEq>(a: &[T], b: &[T]) -> Vec<usize> {
    (0..a.len().max(b.len()))
        .filter(|&i| a.get(i) != b.get(i))
        .collect()
}

impl Affected {
    /// Marks every record of `p` read from a changed file, and what shows it.
    ///
    /// Every kind is named here (no `..`): a new kind does not compile until
    /// it says which pages show it, so the preview cannot silently miss it.
    fn records_of(&mut self, p: &Portal, from: &impl Fn(FileId) -> bool) {
        let Records {
            // Compared field by field in `affected`: an area's shape builds everything.
            areas: _,
            programmes,
            projects,
            // Their published (suppressed) forms are compared in `affected`:
            // complementary suppression moves figures of records in other files.
            // Their own areas are marked too: their dates (`updated`) show there.
            progress,
            relapses,
            exits,
            activities,
            milestones,
            // Shown only on the check report, which is always built.
            acks: _,
            area_years,
        } = &p.records;
        for j in projects.iter().filter(|j| from(j.id.span.file)) {
            self.projects.insert(j.id.value.clone());
            self.areas.insert(j.area.value.clone());
            if let Some(g) = &j.programme {
                self.programmes.insert(g.value.clone());
            }
        }
        for g in programmes.iter().filter(|g| from(g.id.span.file)) {
            self.programmes.insert(g.id.value.clone());
            self.areas.insert(g.area.value.clone());
            self.areas.extend(g.covers.iter().map(|c| c.value.clone()));
            if let Some(plan) = &g.plan {
                self.pages.insert(plan.value.clone());
            }
        }
        for r in progress.iter().filter(|r| from(r.span.file)) {
            self.areas.insert(r.area.value.clone());
        }
        for r in relapses.iter().filter(|r| from(r.span.file)) {
            self.areas.insert(r.area.value.clone());
        }
        for e in exits.iter().filter(|e| from(e.span.file)) {
            self.areas.insert(e.area.value.clone());
        }
        for a in activities.iter().filter(|a| from(a.id.span.file)) {
            self.areas.insert(a.area.value.clone());
        }
        for m in milestones.iter().filter(|m| from(m.span.file)) {
            self.pages.insert(m.plan.value.clone());
        }
        for y in area_years.iter().filter(|y| from(y.span.file)) {
            self.areas.insert(y.area.value.clone());
        }
    }

    /// Whether the page `spec` (of the new site) must be built again.
    pub fn wants(&self, views: &Views, spec: &Spec) -> bool {
        let p = views.p;
        let area = |id: &str| self.areas.contains(id);
        match spec {
            Spec::Area(i) | Spec::PrintArea(i) | Spec::PosterArea(i) => area(&p.areas[*i].id.value),
            Spec::Programme(i) | Spec::PrintProgramme(i) => {
                let g = &p.programmes[*i];
                self.programmes.contains(&g.id.value)
                    || area(&g.area.value)
                    || g.covers.iter().any(|c| area(&c.value))
            }
            Spec::Project(i) | Spec::PrintProject(i) => {
                let j = &p.projects[*i];
                self.projects.contains(&j.id.value)
                    || area(&j.area.value)
                    || j.programme
                        .as_ref()
                        .is_some_and(|g| self.programmes.contains(&g.value))
            }
            Spec::Page(i) => {
                let page = &p.pages[*i];
                // A shortcode can show any record.
                page.body.contains("{{")
                    || self.pages.contains(&page.id)
                    || page.area.as_ref().is_some_and(|a| area(&a.value))
                    || views
                        .look
                        .of(super::lookups::RecordMap::ProgrammesOfPlan, &page.id)
                        .iter()
                        .any(|&g| self.programmes.contains(&p.programmes[g].id.value))
            }
            Spec::Home | Spec::Section(..) | Spec::Checks | Spec::Search | Spec::NotFound => true,
        }
    }
}
