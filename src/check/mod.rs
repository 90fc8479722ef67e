//! Stage 2, check: verifies that funds, counts and targets add up and that
//! every reference resolves. A pure function over the loaded portal: it returns
//! every finding at once, and a record of which rules ran over how many records
//! (published as the check report so auditors see what was verified).

mod counts;
mod exit;
mod funds;
mod kept;
pub mod limits;
mod notice;
mod num;
mod programme;
mod progress;
mod prose;
mod refs;
mod share;
mod shortcodes;
mod years;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::messages::{Fig, Lang, Msg};
use crate::model::{Index, Portal};
use crate::rule::RuleId;

pub use kept::KeptFindings;

/// How one rule fared over the portal.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RuleRun {
    pub rule: &'static str,
    /// Records the rule looked at.
    pub records: usize,
    /// Findings it raised.
    pub failures: usize,
}

/// Everything the checker found, and what it ran.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub diags: Vec<Diagnostic>,
    pub runs: Vec<RuleRun>,
}

/// The records and documents a rule reads as its subjects: the whole
/// portal's, or (in the preview) one file's at a time. Other records a
/// rule compares them with are looked up in the whole portal.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub records: crate::model::Slices<'a>,
    pub pages: &'a [crate::model::Page],
}

impl<'a> Scope<'a> {
    fn all(portal: &'a Portal) -> Scope<'a> {
        Scope {
            records: portal.records.slices(),
            pages: &portal.pages,
        }
    }

    fn of_file(portal: &'a Portal, file: crate::source::FileId) -> Scope<'a> {
        Scope {
            records: portal.records.slices_of(file),
            pages: &portal.pages[crate::model::file_range(&portal.pages, file)],
        }
    }
}

/// Passed to every rule: the portal, its lookups, and the findings so far.
pub struct Checker<'a> {
    pub portal: &'a Portal,
    pub ix: &'a Index,
    pub lang: Lang,
    /// What the families that read record by record read.
    pub scope: Scope<'a>,
    diags: Vec<Diagnostic>,
    runs: BTreeMap<&'static str, RuleRun>,
    /// The findings of the last run, for the rules that read item by item
    /// ([`Checker::each_kept`]); `None` outside the preview.
    kept: Option<&'a mut KeptFindings>,
}

impl<'a> Checker<'a> {
    pub fn new(portal: &'a Portal, ix: &'a Index, lang: Lang) -> Self {
        Checker {
            portal,
            ix,
            lang,
            scope: Scope::all(portal),
            diags: Vec::new(),
            runs: BTreeMap::new(),
            kept: None,
        }
    }

    /// The message in the portal's language.
    pub fn t(&self, msg: Msg) -> String {
        msg.text(self.lang)
    }

    /// A label for one figure: `总额 899.04` / `total 899.04`.
    pub fn fig(&self, what: Fig, value: impl std::fmt::Display) -> String {
        self.t(Msg::LabelFigure {
            what,
            value: &value.to_string(),
        })
    }

    /// A label for a figure of another record: `roads：总额 587.30`.
    pub fn fig_of(&self, record: &str, what: Fig, value: impl std::fmt::Display) -> String {
        self.t(Msg::LabelRecordFigure {
            record,
            what,
            value: &value.to_string(),
        })
    }

    /// Records that `rule` looked at one more record.
    pub fn ran(&mut self, rule: impl Into<&'static str>) {
        self.ran_many(rule, 1);
    }

    /// Records that `rule` looked at `n` more records.
    pub fn ran_many(&mut self, rule: impl Into<&'static str>, n: usize) {
        let rule = rule.into();
        self.runs
            .entry(rule)
            .or_insert(RuleRun {
                rule,
                records: 0,
                failures: 0,
            })
            .records += n;
    }

    /// Records a finding.
    pub fn report(&mut self, d: Diagnostic) {
        let run = self.runs.entry(d.rule).or_insert(RuleRun {
            rule: d.rule,
            records: 0,
            failures: 0,
        });
        run.failures += 1;
        self.diags.push(d);
    }

    /// Runs `rule` over every document, in parallel, each with a checker of
    /// its own; their findings and counts are merged in document order.
    pub fn each_page_in_parallel(
        &mut self,
        rule: impl Fn(&mut Checker, &crate::model::Page) + Sync,
    ) {
        let pages = &self.portal.pages;
        self.each_in_parallel(pages, rule);
    }

    /// Runs `rule` over every item, in parallel, each with a checker of its
    /// own; their findings and counts are merged in the items' order, so the
    /// report is the same as a serial run's.
    pub fn each_in_parallel<T: Sync>(
        &mut self,
        items: &[T],
        rule: impl Fn(&mut Checker, &T) + Sync,
    ) {
        use rayon::prelude::*;
        let (portal, ix, lang) = (self.portal, self.ix, self.lang);
        let reports: Vec<CheckReport> = items
            .par_iter()
            .map(|item| {
                let mut one = Checker::new(portal, ix, lang);
                rule(&mut one, item);
                one.finish()
            })
            .collect();
        for report in reports {
            self.merge(&report);
        }
    }

    /// [`Checker::each_in_parallel`], reading again only the items that
    /// `dirty` picks, that were not read before, or whose findings point
    /// into a changed file (where they point may have moved); the others'
    /// findings and counts are kept in the `slot` of [`KeptFindings`] under
    /// the item's file, with running totals, so the report is a full run's
    /// without merging every item's (a province has 21,000 documents).
    /// Without kept findings, every item is read.
    fn each_kept<T: Sync>(
        &mut self,
        items: &[T],
        slot: fn(&mut KeptFindings) -> &mut kept::ByFile,
        key: impl Fn(&T) -> crate::source::FileId + Sync,
        dirty: impl Fn(&kept::Dirty, &T) -> bool + Sync,
        rule: impl Fn(&mut Checker, &T) + Sync,
    ) {
        use rayon::prelude::*;
        let Some(kept) = self.kept.take() else {
            self.each_in_parallel(items, rule);
            return;
        };
        let mut by_file = std::mem::take(slot(kept));
        let d = &kept.dirty;
        if d.all {
            by_file = kept::ByFile::default();
        }
        let moved: std::collections::HashSet<crate::source::FileId> =
            by_file.pointing_into(&d.files).into_iter().collect();
        let (portal, ix, lang) = (self.portal, self.ix, self.lang);
        let known = &by_file;
        let fresh: Vec<(crate::source::FileId, CheckReport)> = items
            .par_iter()
            .filter(|item| {
                let k = key(item);
                dirty(d, item) || !known.knows(k) || moved.contains(&k)
            })
            .map(|item| {
                let mut one = Checker::new(portal, ix, lang);
                rule(&mut one, item);
                (key(item), one.finish())
            })
            .collect();
        // A changed file may no longer give an item (a document made
        // unreadable): what it gave goes.
        let still: std::collections::HashSet<crate::source::FileId> = items
            .iter()
            .map(&key)
            .filter(|k| d.files.contains(k))
            .collect();
        for &file in &d.files {
            if !still.contains(&file) {
                by_file.forget(file);
            }
        }
        for (file, report) in fresh {
            by_file.replace(file, report);
        }
        self.take_kept(&by_file);
        *slot(kept) = by_file;
        self.kept = Some(kept);
    }

    /// Runs `rule` over the records of [`Checker::scope`]; in the preview,
    /// file by file, reading again only the files an edit can reach
    /// (`Dirty::near`) and keeping the others' findings and counts in the
    /// `slot` of [`KeptFindings`]. `rule` must read its subjects from the
    /// scope only, and compare them with records of the same file or with
    /// records it looks up by an id (which `near` follows).
    fn each_file_kept(
        &mut self,
        slot: fn(&mut KeptFindings) -> &mut kept::ByFile,
        rule: impl Fn(&mut Checker) + Sync,
    ) {
        let near = |d: &kept::Dirty| (!d.records_all).then(|| d.near.clone());
        self.each_file_kept_where(slot, near, rule);
    }

    /// [`Checker::each_file_kept`], reading again the files `reach` gives
    /// (`None`: every file).
    fn each_file_kept_where(
        &mut self,
        slot: fn(&mut KeptFindings) -> &mut kept::ByFile,
        reach: impl Fn(&kept::Dirty) -> Option<Vec<crate::source::FileId>>,
        rule: impl Fn(&mut Checker) + Sync,
    ) {
        use rayon::prelude::*;
        let Some(kept) = self.kept.take() else {
            rule(self);
            return;
        };
        let (portal, ix, lang) = (self.portal, self.ix, self.lang);
        let changed = kept.dirty.files.clone();
        let reached = reach(&kept.dirty).map(|mut files| {
            // Findings pointing into a changed file: their places may have moved.
            files.extend(slot(kept).pointing_into(&changed));
            files.sort_unstable();
            files.dedup();
            files
        });
        let all = reached.is_none();
        let files: Vec<crate::source::FileId> = reached.unwrap_or_else(|| {
            (0..kept.files())
                .map(|f| crate::source::FileId(f as u32))
                .collect()
        });
        let fresh: Vec<CheckReport> = files
            .par_iter()
            .map(|&file| {
                let mut one = Checker::new(portal, ix, lang);
                one.scope = Scope::of_file(portal, file);
                rule(&mut one);
                one.finish()
            })
            .collect();
        let by_file = slot(kept);
        if all {
            *by_file = kept::ByFile::default();
        }
        for (file, report) in files.into_iter().zip(fresh) {
            by_file.replace(file, report);
        }
        self.take_kept(by_file);
        self.kept = Some(kept);
    }

    /// Counts and findings of a kept family as this run's.
    fn take_kept(&mut self, by_file: &kept::ByFile) {
        for run in by_file.totals() {
            self.ran_many(run.rule, run.records);
            self.runs.get_mut(run.rule).expect("just counted").failures += run.failures;
        }
        self.diags.extend(by_file.findings().cloned());
    }

    fn merge(&mut self, report: &CheckReport) {
        self.diags.extend(report.diags.iter().cloned());
        for run in &report.runs {
            let total = self.runs.entry(run.rule).or_insert(RuleRun {
                rule: run.rule,
                records: 0,
                failures: 0,
            });
            total.records += run.records;
            total.failures += run.failures;
        }
    }

    fn finish(self) -> CheckReport {
        CheckReport {
            diags: self.diags,
            runs: self.runs.into_values().collect(),
        }
    }
}

/// A family of rules: one module's `check`.
type Family = fn(&mut Checker);

/// Runs every rule over the portal.
pub fn run(portal: &Portal, ix: &Index, lang: Lang) -> CheckReport {
    run_families(Checker::new(portal, ix, lang))
}

/// [`run`], reading again only what changed in `sources` since the run that
/// filled `kept` could affect (the preview's edits; see `kept.rs`). The
/// report is the one [`run`] gives. `before`: the records of changed files
/// as they were when the load first replaced them since the last run.
pub fn run_keeping(
    portal: &Portal,
    ix: &std::sync::Arc<Index>,
    lang: Lang,
    sources: &crate::source::Sources,
    kept: &mut KeptFindings,
    before: &HashMap<crate::source::FileId, crate::model::Records>,
) -> CheckReport {
    let since = std::time::Instant::now();
    kept.prepare(portal, ix, lang, sources, before);
    crate::timing::trace_time("check: what changed", since);
    let mut c = Checker::new(portal, ix, lang);
    c.kept = Some(kept);
    run_families(c)
}

fn run_families(mut c: Checker) -> CheckReport {
    let families: [(&str, Family); 12] = [
        ("refs", refs::check),
        ("funds", funds::check),
        ("programme", programme::check),
        ("share", share::check),
        ("counts", counts::check),
        ("progress", progress::check),
        ("exit", exit::check),
        ("notice", notice::check),
        ("shortcodes", shortcodes::check),
        ("limits", limits::check),
        ("years", years::check),
        ("prose", prose::check),
    ];
    for (name, family) in families {
        let since = std::time::Instant::now();
        family(&mut c);
        crate::timing::trace_time(&format!("check: {name}"), since);
    }
    c.finish()
}

/// The findings about one document's body (its links and shortcodes) and
/// how many `.md` links it has.
pub fn page_links(
    portal: &Portal,
    ix: &Index,
    lang: Lang,
    page: &crate::model::Page,
) -> (Vec<Diagnostic>, usize) {
    let mut c = Checker::new(portal, ix, lang);
    refs::page_links(&mut c, page);
    shortcodes::check_page(&mut c, page);
    limits::check_page(&mut c, page);
    let report = c.finish();
    let links = report
        .runs
        .iter()
        .find(|r| r.rule == RuleId::RefsLink.as_str())
        .map_or(0, |r| r.records);
    (report.diags, links)
}

/// The amounts and counts written by hand in a document body, as the rule
/// `prose.figure` reads them, without their places: when an edit leaves
/// them unchanged, the rule's verdict and count on that document are too
/// (the preview's body-only route relies on it).
pub fn prose_figures(body: &str) -> Vec<String> {
    prose::figures_of_body(body)
}
