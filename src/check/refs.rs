//! Rule group 8: ids are unique, every reference resolves, areas nest properly,
//! dates fall inside their year, milestones are in order, links resolve.

use std::collections::HashMap;

use chrono::Datelike;
use pulldown_cmark::{Event, Options, Parser, Tag};

use super::Checker;
use crate::diag::Diagnostic;
use crate::messages::Msg;
use crate::model::{Id, Level};
use crate::rule::RuleId;
use crate::source::{At, Span};

pub fn check(c: &mut Checker) {
    unique_ids(c);
    county(c);
    c.each_file_kept(
        |k| &mut k.refs,
        |c| {
            area_parents(c);
            record_references(c);
            activity_dates(c);
        },
    );
    milestone_dates(c);
    document_links(c);
}

/// Reports every id of `ids` met a second time. `distinct`, when known, is
/// how many different ids there are (the lookups by id have one entry for
/// each): as many as the ids, none repeats, and the ids need not be read.
fn unique<'a>(
    c: &mut Checker,
    kind_zh: &str,
    kind_en: &str,
    distinct: Option<usize>,
    ids: impl ExactSizeIterator<Item = (&'a str, Span)>,
) {
    if distinct == Some(ids.len()) {
        c.ran_many(RuleId::RefsUniqueId, ids.len());
        return;
    }
    let kind = match c.lang {
        crate::messages::Lang::Zh => kind_zh,
        crate::messages::Lang::En => kind_en,
    };
    let mut seen: foldhash::HashMap<&str, Span> = Default::default();
    for (id, span) in ids {
        c.ran(RuleId::RefsUniqueId);
        if let Some(first) = seen.get(id) {
            let d = Diagnostic::error(RuleId::RefsUniqueId, c.t(Msg::DuplicateId { kind, id }))
                .at(span, c.t(Msg::LabelHere))
                .at(first.clone(), c.t(Msg::FirstDefinedHere))
                .expected_found(kind_en.to_string() + " ids unique", id.to_string());
            c.report(d);
        } else {
            seen.insert(id, span);
        }
    }
}

fn unique_ids(c: &mut Checker) {
    let p = c.portal;
    unique(
        c,
        "区域",
        "area",
        Some(c.ix.areas.len()),
        p.areas
            .iter()
            .map(|a| (a.id.value.as_str(), a.id.span.clone())),
    );
    unique(
        c,
        "项目计划",
        "programme",
        Some(c.ix.programmes.len()),
        p.programmes
            .iter()
            .map(|a| (a.id.value.as_str(), a.id.span.clone())),
    );
    unique(
        c,
        "项目",
        "project",
        Some(c.ix.projects.len()),
        p.projects
            .iter()
            .map(|a| (a.id.value.as_str(), a.id.span.clone())),
    );
    // Activities have no lookup by id; in the preview, their ids are
    // counted again only when an edit changed one (hashing a province's
    // 46,000 took 8 ms of every edit).
    let same = c
        .kept
        .as_deref()
        .is_some_and(|k| k.activity_ids_unique && k.dirty.activity_ids_same && !k.dirty.all);
    let found = c.diags.len();
    unique(
        c,
        "活动",
        "activity",
        same.then_some(p.activities.len()),
        p.activities
            .iter()
            .map(|a| (a.id.value.as_str(), a.id.span.clone())),
    );
    let repeated = c.diags[found..]
        .iter()
        .any(|d| d.rule == RuleId::RefsUniqueId.as_str());
    if let Some(k) = c.kept.as_deref_mut() {
        k.activity_ids_unique = !repeated;
    }
    unique(
        c,
        "文稿",
        "document",
        Some(c.ix.pages.len()),
        p.pages
            .iter()
            .map(|a| (a.id.as_str(), a.title.span.clone())),
    );
}

/// The field a reference is written in, made only for a finding: nearly
/// every reference resolves, and a province has hundreds of thousands.
type Field<'f> = &'f dyn Fn() -> String;

/// Reports a reference that does not resolve.
fn missing(c: &mut Checker, kind_zh: &str, kind_en: &str, r: &Id, field: Field) {
    let kind = match c.lang {
        crate::messages::Lang::Zh => kind_zh,
        crate::messages::Lang::En => kind_en,
    };
    let d = Diagnostic::error(
        RuleId::RefsResolve,
        c.t(Msg::UnknownRef { kind, id: &r.value }),
    )
    .at(r.span.clone(), c.t(Msg::LabelThisValue))
    .field(field())
    .expected_found(
        match c.lang {
            crate::messages::Lang::Zh => format!("已有的{kind_zh}编号"),
            crate::messages::Lang::En => format!("an existing {kind_en} id"),
        },
        format!("\"{}\"", r.value),
    );
    c.report(d);
}

fn area_ref(c: &mut Checker, r: &Id, field: Field) {
    c.ran(RuleId::RefsResolve);
    if !c.ix.areas.contains_key(&r.value) {
        missing(c, "区域", "area", r, field);
    }
}

/// `cunwu.toml`'s county is an area of level county.
fn county(c: &mut Checker) {
    let p = c.portal;
    let county = &p.config.county;
    if !county.value.is_empty() {
        area_ref(c, county, &|| "county".into());
        if let Some(a) = p.area(c.ix, &county.value) {
            if a.level.value != Level::County {
                let d = Diagnostic::error(
                    RuleId::RefsHierarchy,
                    c.t(Msg::CountyNotCounty { id: &county.value }),
                )
                .at(county.span.clone(), c.t(Msg::LabelThisValue))
                .at(a.level.span.clone(), a.level.value.key())
                .field("county")
                .expected_found("county", a.level.value.key());
                c.report(d);
            }
        }
    }
}

/// Each area of the scope has a parent one level up (looked up by id).
fn area_parents(c: &mut Checker) {
    let p = c.portal;
    for a in c.scope.records.areas {
        c.ran(RuleId::RefsHierarchy);
        let Some(parent_id) = &a.parent else {
            if a.level.value != Level::County {
                let d = Diagnostic::error(
                    RuleId::RefsHierarchy,
                    c.t(Msg::MissingField {
                        field: "parent",
                        table: &format!("[[area]] {}", a.id.value),
                    }),
                )
                .at(a.span.clone(), c.t(Msg::LabelThisTable))
                .field(format!("area[{}].parent", a.id.value));
                c.report(d);
            }
            continue;
        };
        let Some(parent) = p.area(c.ix, &parent_id.value) else {
            missing(c, "区域", "area", parent_id, &|| {
                format!("area[{}].parent", a.id.value)
            });
            continue;
        };
        if parent.level.value.depth() + 1 != a.level.value.depth() {
            let msg = c.t(Msg::ParentWrongLevel {
                child: &a.id.value,
                parent: &parent.id.value,
            });
            let expected = match a.level.value.depth() {
                0 => "no parent",
                1 => "county",
                2 => "township | town",
                _ => "village",
            };
            let d = Diagnostic::error(RuleId::RefsHierarchy, msg)
                .at(parent_id.span.clone(), c.t(Msg::LabelThisValue))
                .at(a.level.span.clone(), a.level.value.key())
                .at(parent.level.span.clone(), parent.level.value.key())
                .field(format!("area[{}].parent", a.id.value))
                .expected_found(expected, parent.level.value.key());
            c.report(d);
        }
    }
}

fn plan_ref(c: &mut Checker, r: &Id, field: Field) {
    c.ran(RuleId::RefsResolve);
    if !c.ix.pages.contains_key(&r.value) {
        missing(c, "文稿", "plan", r, field);
    }
}

fn programme_ref(c: &mut Checker, r: &Id, field: Field) {
    c.ran(RuleId::RefsResolve);
    if !c.ix.programmes.contains_key(&r.value) {
        missing(c, "项目计划", "programme", r, field);
    }
}

fn record_references(c: &mut Checker) {
    // Every kind is named (no `..`): a new kind does not compile until it
    // says which of its references are resolved.
    let crate::model::Slices {
        // Parents are resolved with the hierarchy (`area_parents`).
        areas: _,
        programmes,
        projects,
        progress,
        relapses,
        exits,
        activities,
        milestones,
        // Refer to nothing (a value and a reason in their own file).
        acks: _,
        area_years,
    } = c.scope.records;
    for g in programmes {
        let f = |k: &'static str| move || format!("programme[{}].{k}", g.id.value);
        area_ref(c, &g.area, &f("area"));
        for a in &g.covers {
            area_ref(c, a, &f("covers"));
        }
        if let Some(plan) = &g.plan {
            plan_ref(c, plan, &f("plan"));
        }
    }
    for j in projects {
        let f = |k: &'static str| move || format!("project[{}].{k}", j.id.value);
        area_ref(c, &j.area, &f("area"));
        if let Some(g) = &j.programme {
            programme_ref(c, g, &f("programme"));
        }
    }
    for r in progress {
        area_ref(c, &r.area, &|| "progress.area".into());
    }
    for e in exits {
        area_ref(c, &e.area, &|| "exit.area".into());
    }
    for r in relapses {
        area_ref(c, &r.area, &|| "relapse.area".into());
    }
    for a in activities {
        area_ref(c, &a.area, &|| format!("activity[{}].area", a.id.value));
    }
    for m in milestones {
        plan_ref(c, &m.plan, &|| "milestone.plan".into());
    }
    for y in area_years {
        area_ref(c, &y.area, &|| "area_year.area".into());
    }
    for page in c.scope.pages {
        if let Some(a) = &page.area {
            area_ref(c, a, &|| "area".into());
        }
        if let Some(g) = &page.programme {
            programme_ref(c, g, &|| "programme".into());
        }
    }
}

fn outside_year(c: &mut Checker, year: &At<i32>, date_span: Span, field: &str, found: String) {
    let d = Diagnostic::error(
        RuleId::DatesInYear,
        c.t(Msg::DateOutsideYear { year: year.value }),
    )
    .at(date_span, c.t(Msg::LabelThisValue))
    .at(year.span.clone(), year.value.to_string())
    .field(field)
    .expected_found(format!("{}", year.value), found);
    c.report(d);
}

fn milestone_dates(c: &mut Checker) {
    let p = c.portal;
    let mut previous: HashMap<&str, &crate::model::Milestone> = HashMap::new();
    for m in &p.milestones {
        let Some(&page_ix) = c.ix.pages.get(&m.plan.value) else {
            continue;
        };
        let page = &p.pages[page_ix];
        c.ran(RuleId::DatesInYear);
        if let Some(year) = &page.year {
            if m.due.value.year() != year.value || m.due.value.end().year() != year.value {
                outside_year(
                    c,
                    year,
                    m.due.span.clone(),
                    "milestone.due",
                    m.due.value.start().to_string(),
                );
            }
        }
        c.ran(RuleId::DatesMilestoneOrder);
        if let Some(prev) = previous.get(m.plan.value.as_str()) {
            // A monthly step (7月至12月每月) takes its place by its first deadline.
            if m.due.value.first_deadline() < prev.due.value.first_deadline() {
                let d =
                    Diagnostic::error(RuleId::DatesMilestoneOrder, c.t(Msg::MilestonesOutOfOrder))
                        .at(m.due.span.clone(), c.t(Msg::LabelThisValue))
                        .at(prev.due.span.clone(), c.t(Msg::PreviousMilestone))
                        .field("milestone.due")
                        .expected_found(
                            format!(">= {}", prev.due.value.first_deadline()),
                            m.due.value.first_deadline().to_string(),
                        );
                c.report(d);
            }
        }
        previous.insert(&m.plan.value, m);
    }
}

fn activity_dates(c: &mut Checker) {
    for a in c.scope.records.activities {
        if let Some(date) = &a.date {
            c.ran(RuleId::DatesInYear);
            if date.value.year() != a.year.value {
                outside_year(
                    c,
                    &a.year,
                    date.span.clone(),
                    &format!("activity[{}].date", a.id.value),
                    date.value.to_string(),
                );
            }
        }
    }
}

fn document_links(c: &mut Checker) {
    // Parsing every document's Markdown is the checker's largest job on a
    // portal of many plans: pages are read in parallel, findings merged;
    // in the preview, only documents edited since (or all, when a document
    // or attachment came or went) are read again.
    let pages = &c.portal.pages;
    c.each_kept(
        pages,
        |k| &mut k.links,
        |page| page.file,
        |dirty, page| dirty.links || dirty.file(page.file),
        page_links,
    );
}

/// Checks a link or image that names an attachment (`/static/…`): the file
/// must be in `static/` (`attachment.link`). False when `dest` is no
/// attachment link.
fn attachment_link(
    c: &mut Checker,
    page: &crate::model::Page,
    dest: &str,
    range: &std::ops::Range<usize>,
) -> bool {
    let Some(target) = crate::links::attachment_target(&page.rel_path, dest) else {
        return false;
    };
    c.ran(RuleId::AttachmentLink);
    if c.portal.attachments.iter().any(|a| a.path == target) {
        return true;
    }
    let span = Span {
        file: page.file,
        range: page.body_offset + range.start..page.body_offset + range.end,
    };
    let d = Diagnostic::error(
        RuleId::AttachmentLink,
        c.t(Msg::AttachmentLinkMissing { target: dest }),
    )
    .at(span, c.t(Msg::LabelHere))
    .expected_found(
        match c.lang {
            crate::messages::Lang::Zh => "static/ 下已有的文件",
            crate::messages::Lang::En => "an existing file under static/",
        },
        target,
    )
    .hint(c.t(Msg::AttachmentLinkHint));
    c.report(d);
    true
}

/// Checks the `.md` links of one document (also used alone by the preview
/// server when only that document's body changed).
pub fn page_links(c: &mut Checker, page: &crate::model::Page) {
    let parser = Parser::new_ext(&page.body, Options::all()).into_offset_iter();
    for (event, range) in parser {
        let dest_url = match event {
            Event::Start(Tag::Link { dest_url, .. }) => dest_url,
            Event::Start(Tag::Image { dest_url, .. }) => {
                attachment_link(c, page, &dest_url, &range);
                continue;
            }
            _ => continue,
        };
        if attachment_link(c, page, &dest_url, &range) {
            continue;
        }
        let target = match crate::links::md_target(&page.rel_path, &dest_url) {
            Some((target, _)) => target,
            // A relative `.md` link that climbs out of content/ can never resolve.
            None if crate::links::is_relative_md(&dest_url) => dest_url.to_string(),
            None => continue,
        };
        c.ran(RuleId::RefsLink);
        if c.ix.page_paths.contains_key(&target) {
            continue;
        }
        let span = Span {
            file: page.file,
            range: page.body_offset + range.start..page.body_offset + range.end,
        };
        let d = Diagnostic::error(RuleId::RefsLink, c.t(Msg::BrokenLink { target: &dest_url }))
            .at(span, c.t(Msg::LabelHere))
            .expected_found(
                match c.lang {
                    crate::messages::Lang::Zh => "content/ 下已有的 .md 文稿",
                    crate::messages::Lang::En => "an existing .md file under content/",
                },
                format!("content/{target}"),
            )
            .hint(c.t(Msg::BrokenLinkHint));
        c.report(d);
    }
}
