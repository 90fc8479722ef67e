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
    /// Each file's records without their summaries and places
    /// ([`figures_print`]).
    prints: HashMap<FileId, u64>,
    /// Every document path and attachment path at the last run: what a
    /// document's links resolve against.
    link_targets: Vec<String>,
    /// Each document's links, and its written figures.
    pub(super) links: ByFile,
    pub(super) page_figures: ByFile,
    /// Documents (by file) that had no shortcode at the last run.
    pub(super) shortcode_free: HashSet<FileId>,
    /// The last run found every activity id once.
    pub(super) activity_ids_unique: bool,
    /// The records of each area and plan, as the last run read them.
    pub(super) related: Option<super::prose::Related>,
    /// The summaries of records, file by file.
    pub(super) summaries: ByFile,
    /// The families that read record by record, file by file
    /// ([`super::Checker::each_file_kept`]).
    pub(super) refs: ByFile,
    pub(super) funds: ByFile,
    pub(super) programme: ByFile,
    pub(super) counts: ByFile,
    pub(super) exit: ByFile,
    pub(super) limits: ByFile,
    /// The lookups the last run read records with: findings kept file by
    /// file hold only while every run reads with the very same ones.
    index: std::sync::Weak<Index>,
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
    /// Every file's records are read (the ids moved, or nothing is kept).
    pub records_all: bool,
    /// The files whose records are read again otherwise: the changed ones,
    /// and those holding a record that is or names an area, programme or
    /// plan the edit can reach.
    pub near: Vec<FileId>,
    /// The changed files hold the very activity ids they held at the last
    /// run, in order: whether ids repeat is as it was.
    pub activity_ids_same: bool,
    /// The changed files hold progress, relapse, activity and programme
    /// records as many as before, under the same areas and plans: the
    /// checker's `prose::Related` lookups still hold.
    pub related_same: bool,
}

/// One family's findings, file by file (the files of the records it read),
/// with their counts summed.
#[derive(Default)]
pub(super) struct ByFile {
    reports: HashMap<FileId, CheckReport>,
    totals: std::collections::BTreeMap<&'static str, super::RuleRun>,
    /// The files with findings.
    found: std::collections::BTreeSet<FileId>,
    /// Every file read (with findings, counts or neither).
    known: HashSet<FileId>,
}

impl ByFile {
    /// `file`'s findings and counts are now `report`.
    pub(super) fn replace(&mut self, file: FileId, report: CheckReport) {
        self.forget(file);
        self.known.insert(file);
        self.add(file, report);
    }

    /// Drops `file`'s findings and counts (its items are gone).
    pub(super) fn forget(&mut self, file: FileId) {
        self.known.remove(&file);
        self.found.remove(&file);
        if let Some(old) = self.reports.remove(&file) {
            for run in &old.runs {
                let total = self.totals.entry(run.rule).or_insert(super::RuleRun {
                    rule: run.rule,
                    records: 0,
                    failures: 0,
                });
                total.records -= run.records;
                total.failures -= run.failures;
            }
        }
        // A full run lists only rules that looked at something.
        self.totals.retain(|_, r| r.records > 0 || r.failures > 0);
    }

    fn add(&mut self, file: FileId, report: CheckReport) {
        for run in &report.runs {
            let total = self.totals.entry(run.rule).or_insert(super::RuleRun {
                rule: run.rule,
                records: 0,
                failures: 0,
            });
            total.records += run.records;
            total.failures += run.failures;
        }
        // A full run lists only rules that looked at something.
        self.totals.retain(|_, r| r.records > 0 || r.failures > 0);
        if report.diags.is_empty() {
            self.found.remove(&file);
        } else {
            self.found.insert(file);
        }
        if !report.runs.is_empty() || !report.diags.is_empty() {
            self.reports.insert(file, report);
        }
    }

    /// Whether `file` was read.
    pub(super) fn knows(&self, file: FileId) -> bool {
        self.known.contains(&file)
    }

    /// The files whose findings point into any of `changed`: where those
    /// are written may have moved.
    pub(super) fn pointing_into(&self, changed: &HashSet<FileId>) -> Vec<FileId> {
        self.found
            .iter()
            .filter(|f| self.reports.get(f).is_some_and(|r| points_into(r, changed)))
            .copied()
            .collect()
    }

    /// The counts of every file's records.
    pub(super) fn totals(&self) -> impl Iterator<Item = &super::RuleRun> {
        self.totals.values()
    }

    /// The findings of every file, in file order.
    pub(super) fn findings(&self) -> impl Iterator<Item = &crate::diag::Diagnostic> {
        self.found
            .iter()
            .filter_map(|f| self.reports.get(f))
            .flat_map(|r| r.diags.iter())
    }
}

impl Dirty {
    pub fn file(&self, file: FileId) -> bool {
        self.all || self.files.contains(&file)
    }

    /// The files changed since the last run, in order.
    pub fn changed(&self) -> Vec<FileId> {
        let mut files: Vec<FileId> = self.files.iter().copied().collect();
        files.sort_unstable();
        files
    }
}

impl KeptFindings {
    /// How many files the last run's sources had.
    pub(super) fn files(&self) -> usize {
        self.texts.len()
    }

    /// Compares the portal's files with the last run's and works out what
    /// this run must read again.
    /// `ix` may be the last run's, shared because every id is where it
    /// was (`Portal::indexes_like`); `before` holds records of changed
    /// files as they were when first replaced since (`load::Parts`).
    pub(super) fn prepare(
        &mut self,
        portal: &Portal,
        ix: &std::sync::Arc<Index>,
        lang: Lang,
        sources: &Sources,
        before: &HashMap<FileId, crate::model::Records>,
    ) {
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
        // Only the changed files' records are read (all of them at first).
        let now: Vec<(FileId, Touches)> = if all {
            (0..sources.len())
                .map(|f| FileId(f as u32))
                .map(|f| (f, touches(portal.records.slices_of(f))))
                .collect()
        } else {
            files
                .iter()
                .map(|&f| (f, touches(portal.records.slices_of(f))))
                .collect()
        };
        // A file whose records changed only in their summaries' text (and
        // so in where they are written) feeds no other record's figures:
        // its own items are read again, not those its records name.
        // Only changed files are printed: before, as the last run read
        // them (kept, or the records the load replaced since), and now.
        let mut texts_only = HashSet::new();
        if !all {
            for &file in &files {
                let print = figures_print(portal.records.slices_of(file));
                let last = self.prints.insert(file, print).or_else(|| {
                    let old = before.get(&file)?;
                    Some(figures_print(old.slices()))
                });
                if last == Some(print) {
                    texts_only.insert(file);
                }
            }
        }
        for file in &files {
            if let Some(t) = self.touches.remove(file) {
                if !texts_only.contains(file) {
                    dirty.add(t);
                }
            }
        }
        for (file, t) in now {
            if !texts_only.contains(&file) {
                dirty.add(t.clone());
            }
            self.touches.insert(file, t);
        }
        // The record families read records by the ids they name, not the
        // figures of areas below: the ids named, before they spread.
        let named = Touches {
            areas: dirty.areas.iter().cloned().collect(),
            programmes: dirty.programmes.iter().cloned().collect(),
            plans: dirty.plans.iter().cloned().collect(),
        };
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
        // Not `indexes_like` the last good site: a refused run in between
        // may have read with other lookups.
        let index_kept = std::ptr::eq(self.index.as_ptr(), std::sync::Arc::as_ptr(ix));
        self.index = std::sync::Arc::downgrade(ix);
        dirty.records_all = all || !index_kept;
        dirty.activity_ids_same = !all
            && dirty.files.iter().all(|&f| {
                let now = portal.records.slices_of(f).activities;
                let was = before.get(&f).map_or(&[][..], |r| r.activities.as_slice());
                same(now, was, |a, b| a.id.value == b.id.value)
            });
        dirty.related_same = !all
            && dirty.files.iter().all(|&f| {
                let was = before.get(&f).map(|r| r.slices());
                related_keys_same(portal.records.slices_of(f), was)
            });
        if !dirty.records_all {
            dirty.near = near(portal, ix, &dirty.files, named);
        }
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

/// The changed files, and those holding a record or document that is, or
/// names, an area, programme or plan the changed files' records `named`
/// (before or after the edit), or a programme covering such an area.
fn near(portal: &Portal, ix: &Index, changed: &HashSet<FileId>, named: Touches) -> Vec<FileId> {
    use crate::model::InFile;
    let mut out: HashSet<FileId> = changed.clone();
    let area_ids: HashSet<String> = named.areas.into_iter().collect();
    let programme_ids: HashSet<String> = named.programmes.into_iter().collect();
    let mut plan_ids: HashSet<String> = named.plans.into_iter().collect();
    // A changed file's document may be a plan its milestones are read against.
    plan_ids.extend(
        portal
            .pages
            .iter()
            .filter(|p| changed.contains(&p.file))
            .map(|p| p.id.clone()),
    );
    let area = |id: &str| area_ids.contains(id);
    // Every kind is named (no `..`): a new kind says what it names.
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
    for id in &area_ids {
        out.extend(ix.areas.get(id).map(|&i| areas[i].file()));
        for &i in ix.children.get(id).into_iter().flatten() {
            out.insert(areas[i].file());
        }
        for &i in ix.projects_of_area.get(id).into_iter().flatten() {
            out.insert(projects[i].file());
        }
    }
    for id in &programme_ids {
        out.extend(ix.programmes.get(id).map(|&i| programmes[i].file()));
        for &i in ix.projects_of_programme.get(id).into_iter().flatten() {
            out.insert(projects[i].file());
        }
    }
    for g in programmes {
        let plan = g.plan.as_ref().is_some_and(|p| plan_ids.contains(&p.value));
        if plan || area(&g.area.value) || g.covers.iter().any(|a| area(&a.value)) {
            out.insert(g.file());
        }
    }
    let by_area = progress
        .iter()
        .map(|r| (r.file(), &r.area))
        .chain(relapses.iter().map(|r| (r.file(), &r.area)))
        .chain(exits.iter().map(|r| (r.file(), &r.area)))
        .chain(activities.iter().map(|r| (r.file(), &r.area)))
        .chain(area_years.iter().map(|r| (r.file(), &r.area)));
    for (file, a) in by_area {
        if area(&a.value) {
            out.insert(file);
        }
    }
    for m in milestones {
        if plan_ids.contains(&m.plan.value) {
            out.insert(m.file());
        }
    }
    for page in &portal.pages {
        let named = plan_ids.contains(&page.id)
            || page.area.as_ref().is_some_and(|a| area(&a.value))
            || page
                .programme
                .as_ref()
                .is_some_and(|g| programme_ids.contains(&g.value));
        if named {
            out.insert(page.file);
        }
    }
    let mut out: Vec<FileId> = out.into_iter().collect();
    out.sort_unstable();
    out
}

/// What `records` (one file's) name.
fn touches(records: crate::model::Slices) -> Touches {
    let mut t = Touches::default();
    // Every kind is named (no `..`): a new kind says what its records feed.
    let crate::model::Slices {
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
    } = records;
    for a in areas {
        t.areas.push(a.id.value.clone());
        t.areas.extend(a.parent.iter().map(|p| p.value.clone()));
    }
    for g in programmes {
        t.programmes.push(g.id.value.clone());
        t.areas.push(g.area.value.clone());
        t.areas.extend(g.covers.iter().map(|a| a.value.clone()));
        t.plans.extend(g.plan.iter().map(|p| p.value.clone()));
    }
    for j in projects {
        t.areas.push(j.area.value.clone());
        t.programmes
            .extend(j.programme.iter().map(|g| g.value.clone()));
    }
    let by_area = progress
        .iter()
        .map(|r| &r.area)
        .chain(relapses.iter().map(|r| &r.area))
        .chain(exits.iter().map(|r| &r.area))
        .chain(activities.iter().map(|r| &r.area))
        .chain(area_years.iter().map(|r| &r.area));
    t.areas.extend(by_area.map(|a| a.value.clone()));
    t.plans
        .extend(milestones.iter().map(|m| m.plan.value.clone()));
    t
}

/// A print of `records` (one file's) leaving out what no other record's
/// check reads: the text of summaries (each is checked with its own record)
/// and where each value is written (only findings' labels point there; see
/// [`super::Checker::each_file_kept`] for those). Two files with the same
/// print feed the same figures to every other record.
fn figures_print(records: crate::model::Slices) -> u64 {
    use std::hash::{Hash, Hasher};
    let text = format!("{records:?}");
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut rest = text.as_str();
    // `range: 12..40` (a place) and `summary: Some(At { value: "…"` (Debug
    // escapes quotes inside the value, so the next bare `"` ends it).
    loop {
        let place = rest.find("), range: ").map(|p| p + 3);
        let summary = rest.find("summary: Some(At { value: \"");
        let at = match (place, summary) {
            (None, None) => break,
            (Some(p), None) => p,
            (None, Some(s)) => s,
            (Some(p), Some(s)) => p.min(s),
        };
        rest[..at].hash(&mut h);
        let skip = if Some(at) == place {
            let after = &rest[at + "range: ".len()..];
            "range: ".len()
                + after
                    .find(|c: char| !c.is_ascii_digit() && c != '.')
                    .unwrap_or(after.len())
        } else {
            let start = "summary: Some(At { value: \"".len();
            let value = &rest[at + start..];
            start + closing_quote(value)
        };
        rest = &rest[(at + skip).min(rest.len())..];
    }
    rest.hash(&mut h);
    h.finish()
}

/// Where the Debug-escaped string `s` (after its opening quote) ends.
fn closing_quote(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Whether a finding of `report` has a label in one of `files`.
pub(super) fn points_into(report: &CheckReport, files: &HashSet<FileId>) -> bool {
    report
        .diags
        .iter()
        .any(|d| d.labels.iter().any(|l| files.contains(&l.span.file)))
}

/// Whether a file's records are filed under the same areas and plans as
/// `was` (`None`: the file held no records), record by record.
fn related_keys_same(now: crate::model::Slices, was: Option<crate::model::Slices>) -> bool {
    let empty = crate::model::Records::default();
    let was = was.unwrap_or_else(|| empty.slices());
    same(now.progress, was.progress, |a, b| {
        a.area.value == b.area.value
    }) && same(now.relapses, was.relapses, |a, b| {
        a.area.value == b.area.value
    }) && same(now.activities, was.activities, |a, b| {
        a.area.value == b.area.value
    }) && same(now.programmes, was.programmes, |a, b| {
        a.area.value == b.area.value
            && same(&a.covers, &b.covers, |x, y| x.value == y.value)
            && a.plan.as_ref().map(|p| &p.value) == b.plan.as_ref().map(|p| &p.value)
    })
}

/// Whether `a` and `b` are alike by `key`, item by item.
fn same<T>(a: &[T], b: &[T], key: impl Fn(&T, &T) -> bool) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| key(x, y))
}
