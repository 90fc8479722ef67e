//! The checker's findings kept between the preview's runs (issue 15, item 5).
//!
//! Most of a province's check is two rules read per item: the links of every
//! document (`refs.link`, `attachment.link`) and the figures written in every
//! document and summary (`prose.figure`). An edit of one data file changes
//! few of their verdicts, so [`KeptFindings`] keeps each item's findings and
//! counts, and a run reads again only the items the changed files can reach:
//!
//! - a document's links: its own text, or any document path or attachment
//!   (then every document);
//! - a summary or a document's figures: its own text, and the records it
//!   gathers figures from — an area's take in every area under it with their
//!   records and the programmes touching them, a programme's its projects and
//!   the levels of the areas it covers. So the areas, programmes and plans the
//!   changed files' records name, before and after the edit ([`Touches`]),
//!   make dirty those areas and every area above them, those programmes, and
//!   the documents tied to any of them.
//!
//! Everything else runs over the whole portal as before. Findings and counts
//! come out in the order a full check gives them (`tests/incremental.rs`
//! compares them after random edits).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::CheckReport;
use crate::messages::Lang;
use crate::model::{Index, Portal, ProseFigures};
use crate::source::{FileId, Sources};

/// What one file's records name: the ids whose figures its records feed.
#[derive(Default, Clone)]
struct Touches {
    areas: Vec<String>,
    programmes: Vec<String>,
    plans: Vec<String>,
}

/// The checker's per-item findings from its last run, with what they were
/// made from. Empty (the default), a run checks everything and fills it.
#[derive(Default)]
pub struct KeptFindings {
    /// The language and `prose_figures` setting of the last run: findings
    /// are worded and graded with them.
    made_with: Option<(Lang, ProseFigures)>,
    /// Each file's text at the last run (by file id): a file whose text is
    /// not the same `Arc` now was edited since.
    texts: Vec<Option<Arc<str>>>,
    touches: HashMap<FileId, Touches>,
    /// Every document path and attachment path at the last run: what a
    /// document's links resolve against.
    link_targets: Vec<String>,
    pub(super) links: HashMap<FileId, CheckReport>,
    pub(super) page_figures: HashMap<FileId, CheckReport>,
    /// By the record's file and where its table starts.
    pub(super) summaries: HashMap<(FileId, usize), CheckReport>,
    /// What this run must read again (made by [`KeptFindings::prepare`]).
    pub(super) dirty: Dirty,
}

/// What an edit can have changed since the last run.
#[derive(Default)]
pub(super) struct Dirty {
    /// Nothing kept applies: every item is read.
    pub all: bool,
    /// Every document's links are read (a document or attachment came or went).
    pub links: bool,
    pub files: HashSet<FileId>,
    /// Areas whose figures (with those of every area under them) may differ.
    pub areas: HashSet<String>,
    pub programmes: HashSet<String>,
    /// Documents named as a programme's plan, before or after the edit.
    pub plans: HashSet<String>,
}

impl Dirty {
    pub fn file(&self, file: FileId) -> bool {
        self.all || self.files.contains(&file)
    }
}

impl KeptFindings {
    /// Compares the portal's files with the last run's and works out what
    /// this run must read again.
    pub(super) fn prepare(&mut self, portal: &Portal, ix: &Index, lang: Lang, sources: &Sources) {
        let made_with = (lang, portal.config.prose_figures);
        // Duplicate ids make a lookup by id name one record of several:
        // such a portal is refused anyway, and checked in full.
        let duplicates = ix.areas.len() != portal.areas.len()
            || ix.programmes.len() != portal.programmes.len()
            || ix.pages.len() != portal.pages.len();
        let all = self.made_with != Some(made_with) || duplicates;
        if all {
            *self = KeptFindings::default();
        }
        self.made_with = Some(made_with);
        let files: HashSet<FileId> = sources
            .iter()
            .filter(|(file, source)| {
                let last = self.texts.get(file.0 as usize).and_then(Option::as_ref);
                !last.is_some_and(|t| Arc::ptr_eq(t, &source.text))
            })
            .map(|(file, _)| file)
            .collect();
        self.texts = sources.iter().map(|(_, s)| Some(s.text.clone())).collect();

        let mut dirty = Dirty {
            all,
            ..Dirty::default()
        };
        let now = touches(portal, |f| all || files.contains(&f));
        for file in &files {
            if let Some(t) = self.touches.remove(file) {
                dirty.add(t);
            }
        }
        for (file, t) in now {
            dirty.add(t.clone());
            self.touches.insert(file, t);
        }
        dirty.spread(portal, ix);

        let targets: Vec<String> = portal
            .pages
            .iter()
            .map(|p| p.rel_path.clone())
            .chain(portal.attachments.iter().map(|a| a.path.clone()))
            .collect();
        dirty.links = all || targets != self.link_targets;
        self.link_targets = targets;
        dirty.files = files;
        self.dirty = dirty;
    }
}

impl Dirty {
    fn add(&mut self, t: Touches) {
        self.areas.extend(t.areas);
        self.programmes.extend(t.programmes);
        self.plans.extend(t.plans);
    }

    /// From the ids the changed records name to every id whose figures
    /// they can reach: programmes run by or covering a named area (their
    /// figures count the covered areas by level), the areas and plans of
    /// every such programme, then every area above a named one.
    fn spread(&mut self, portal: &Portal, ix: &Index) {
        for g in &portal.programmes {
            let named = std::iter::once(&g.area)
                .chain(&g.covers)
                .any(|a| self.areas.contains(&a.value));
            if named {
                self.programmes.insert(g.id.value.clone());
            }
        }
        for g in &portal.programmes {
            if !self.programmes.contains(&g.id.value) {
                continue;
            }
            let areas = std::iter::once(&g.area).chain(&g.covers);
            self.areas.extend(areas.map(|a| a.value.clone()));
            self.plans.extend(g.plan.iter().map(|p| p.value.clone()));
        }
        let mut above = HashSet::new();
        for id in &self.areas {
            let mut cur = Some(id.as_str());
            while let Some(id) = cur {
                if !above.insert(id.to_string()) {
                    break;
                }
                cur = portal
                    .area(ix, id)
                    .and_then(|a| a.parent.as_ref())
                    .map(|p| p.value.as_str());
            }
        }
        self.areas.extend(above);
    }
}

/// What the records of each file that `wanted` picks name.
fn touches(portal: &Portal, wanted: impl Fn(FileId) -> bool) -> HashMap<FileId, Touches> {
    let mut out: HashMap<FileId, Touches> = HashMap::new();
    fn slot<'m>(
        out: &'m mut HashMap<FileId, Touches>,
        wanted: &dyn Fn(FileId) -> bool,
        file: FileId,
    ) -> Option<&'m mut Touches> {
        wanted(file).then(|| out.entry(file).or_default())
    }
    macro_rules! at {
        ($file:expr) => {
            slot(&mut out, &wanted, $file)
        };
    }
    // Every kind is named (no `..`): a new kind says what its records feed.
    let crate::model::Records {
        areas,
        programmes,
        projects,
        progress,
        relapses,
        exits,
        activities,
        milestones,
        acks: _,
        area_years,
    } = &portal.records;
    for a in areas {
        if let Some(t) = at!(a.span.file) {
            t.areas.push(a.id.value.clone());
            t.areas.extend(a.parent.iter().map(|p| p.value.clone()));
        }
    }
    for g in programmes {
        if let Some(t) = at!(g.span.file) {
            t.programmes.push(g.id.value.clone());
            t.areas.push(g.area.value.clone());
            t.areas.extend(g.covers.iter().map(|a| a.value.clone()));
            t.plans.extend(g.plan.iter().map(|p| p.value.clone()));
        }
    }
    for j in projects {
        if let Some(t) = at!(j.span.file) {
            t.areas.push(j.area.value.clone());
            t.programmes
                .extend(j.programme.iter().map(|g| g.value.clone()));
        }
    }
    let by_area = progress
        .iter()
        .map(|r| (r.span.file, &r.area))
        .chain(relapses.iter().map(|r| (r.span.file, &r.area)))
        .chain(exits.iter().map(|r| (r.span.file, &r.area)))
        .chain(activities.iter().map(|r| (r.span.file, &r.area)))
        .chain(area_years.iter().map(|r| (r.span.file, &r.area)));
    for (file, area) in by_area {
        if let Some(t) = at!(file) {
            t.areas.push(area.value.clone());
        }
    }
    for m in milestones {
        if let Some(t) = at!(m.span.file) {
            t.plans.push(m.plan.value.clone());
        }
    }
    out
}
