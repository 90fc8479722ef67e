//! Rule group 3: a programme's stated figures equal what its projects add up to.
//!
//! - `programme.total`: the programme's funds total = the sum of its projects'
//!   totals, and each source it states (villagers, cash, labour, fiscal and each
//!   fiscal level, social) = the sum of the same source over its projects, when
//!   every project states that source;
//! - `programme.projects`: stated projects = the sum of the projects' `count`;
//! - `programme.categories`: stated categories = distinct project categories;
//! - `programme.status`: the stated status counts add up to the project count,
//!   and each equals the projects of that status (counted by `count`); projects
//!   without a status make the stated counts unverifiable, which is an error too;
//! - `programme.areas`: stated townships and villages = what `covers` lists, when
//!   covers names areas of that level.
//!
//! Programmes that list no projects are checked only where that is possible
//! (the status counts against the stated project count).

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::{Checker, num};
use crate::diag::Diagnostic;
use crate::messages::{Fig, Lang, Msg};
use crate::model::{Area, Funds, Programme, Project, Status};
use crate::rule::RuleId;
use crate::source::{At, Span};

pub fn check(c: &mut Checker) {
    c.each_file_kept(|k| &mut k.programme, scoped);
}

/// Each programme of the scope, with its projects and covered areas
/// (looked up by id, wherever they are written).
fn scoped(c: &mut Checker) {
    let p = c.portal;
    for g in c.scope.records.programmes {
        let projects: Vec<&Project> =
            c.ix.projects_of_programme
                .get(&g.id.value)
                .map(|list| list.iter().map(|&i| &p.projects[i]).collect())
                .unwrap_or_default();
        totals(c, g, &projects);
        project_count(c, g, &projects);
        categories(c, g, &projects);
        status(c, g, &projects);
        areas(c, g);
    }
}

/// One figure of one project's funds, by value and place.
type Part<'a> = (&'a Project, Decimal, Span);

/// Picks one source of a fund breakdown, by value and place.
type SourceOf = fn(&Funds) -> Option<(Decimal, Span)>;

fn money(x: &Option<At<Decimal>>) -> Option<(Decimal, Span)> {
    x.as_ref().map(|a| (a.value, a.span.clone()))
}

/// `programme.total`: the total and each stated source against the projects.
fn totals(c: &mut Checker, g: &Programme, projects: &[&Project]) {
    let Some(f) = &g.funds else {
        return;
    };
    if projects.is_empty() {
        return;
    }
    c.ran(RuleId::ProgrammeTotal);
    let path = format!("programme[{}].funds", g.id.value);
    let sources: [(Fig, &str, SourceOf); 7] = [
        (Fig::Total, "total", |f| {
            Some((f.total.value, f.total.span.clone()))
        }),
        (Fig::Villagers, "villagers", |f| money(&f.villagers)),
        (Fig::Cash, "cash", |f| money(&f.cash)),
        (Fig::LabourDays, "labour_days", |f| {
            f.labour_days
                .as_ref()
                .map(|a| (Decimal::from(a.value), a.span.clone()))
        }),
        (Fig::LabourValue, "labour_value", |f| money(&f.labour_value)),
        (Fig::Fiscal, "fiscal", |f| money(&f.fiscal)),
        (Fig::Social, "social", |f| money(&f.social)),
    ];
    for (what, key, pick) in sources {
        let Some(stated) = pick(f) else {
            continue;
        };
        let parts: Option<Vec<Part>> = projects
            .iter()
            .map(|j| pick(&j.funds).map(|(v, s)| (*j, v, s)))
            .collect();
        if let Some(parts) = parts {
            compare_sum(c, what, &stated, &parts, &format!("{path}.{key}"));
        }
    }
    for (level, stated) in &f.fiscal_levels {
        let parts: Option<Vec<Part>> = projects
            .iter()
            .map(|j| {
                j.funds
                    .fiscal_levels
                    .iter()
                    .find(|(l, _)| l == level)
                    .map(|(_, v)| (*j, v.value, v.span.clone()))
            })
            .collect();
        if let Some(parts) = parts {
            let field = format!("{path}.fiscal_levels.{}", level.key());
            let stated = (stated.value, stated.span.clone());
            compare_sum(c, Fig::Level(*level), &stated, &parts, &field);
        }
    }
}

fn compare_sum(c: &mut Checker, what: Fig, stated: &(Decimal, Span), parts: &[Part], field: &str) {
    let Some(sum) = num::sum(parts.iter().map(|(_, v, _)| *v)) else {
        return;
    };
    if sum == stated.0 {
        return;
    }
    let Some(diff) = num::diff(stated.0, sum) else {
        return;
    };
    let msg = c.t(Msg::ProgrammeSum {
        what,
        stated: &stated.0.to_string(),
        sum: &sum.to_string(),
        lines: parts.len(),
        diff: &diff.to_string(),
    });
    let mut d =
        Diagnostic::error(RuleId::ProgrammeTotal, msg).at(stated.1.clone(), c.fig(what, stated.0));
    for (j, v, span) in parts {
        d = d.at(span.clone(), c.fig_of(&j.id.value, what, v));
    }
    let d = d
        .field(field)
        .expected_found(sum.to_string(), stated.0.to_string())
        .hint(c.t(Msg::ProgrammeSumHint));
    c.report(d);
}

/// Where a project line's `count` is written: the value, or the id when it defaulted to 1.
fn count_span(j: &Project) -> Span {
    if j.count.span == j.span {
        j.id.span.clone()
    } else {
        j.count.span.clone()
    }
}

fn listed_count(projects: &[&Project]) -> u128 {
    num::count_sum(projects.iter().map(|j| j.count.value))
}

/// `programme.projects`: stated projects = the sum of the lines' `count`.
fn project_count(c: &mut Checker, g: &Programme, projects: &[&Project]) {
    let Some(stated) = &g.stated.projects else {
        return;
    };
    if projects.is_empty() {
        return;
    }
    c.ran(RuleId::ProgrammeProjects);
    let listed = listed_count(projects);
    if listed == u128::from(stated.value) {
        return;
    }
    let msg = c.t(Msg::ProgrammeProjects {
        stated: &stated.value.to_string(),
        listed: &listed.to_string(),
        lines: projects.len(),
    });
    let mut d = Diagnostic::error(RuleId::ProgrammeProjects, msg)
        .at(stated.span.clone(), c.fig(Fig::Projects, stated.value));
    for j in projects {
        d = d.at(
            count_span(j),
            c.fig_of(&j.id.value, Fig::Count, j.count.value),
        );
    }
    let d = d
        .field(format!("programme[{}].stated.projects", g.id.value))
        .expected_found(listed.to_string(), stated.value.to_string())
        .hint(c.t(Msg::ProgrammeProjectsHint));
    c.report(d);
}

/// `programme.categories`: stated categories = distinct categories of the projects.
fn categories(c: &mut Checker, g: &Programme, projects: &[&Project]) {
    let Some(stated) = &g.stated.categories else {
        return;
    };
    if projects.is_empty() {
        return;
    }
    c.ran(RuleId::ProgrammeCategories);
    let mut seen = BTreeSet::new();
    let firsts: Vec<&&Project> = projects
        .iter()
        .filter(|j| seen.insert(j.category.value.as_str()))
        .collect();
    if firsts.len() as u128 == u128::from(stated.value) {
        return;
    }
    let sep = match c.lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    let names = firsts
        .iter()
        .map(|j| j.category.value.as_str())
        .collect::<Vec<_>>()
        .join(sep);
    let msg = c.t(Msg::ProgrammeCategories {
        stated: &stated.value.to_string(),
        listed: firsts.len(),
        names: &names,
    });
    let mut d = Diagnostic::error(RuleId::ProgrammeCategories, msg)
        .at(stated.span.clone(), c.fig(Fig::Categories, stated.value));
    for j in &firsts {
        d = d.at(
            j.category.span.clone(),
            c.fig_of(&j.id.value, Fig::Category, &j.category.value),
        );
    }
    let d = d
        .field(format!("programme[{}].stated.categories", g.id.value))
        .expected_found(firsts.len().to_string(), stated.value.to_string())
        .hint(c.t(Msg::ProgrammeCategoriesHint));
    c.report(d);
}

/// `programme.status`: status counts add up, and match the projects' statuses.
fn status(c: &mut Checker, g: &Programme, projects: &[&Project]) {
    let s = &g.stated;
    let stated: Vec<(Fig, Status, &str, &At<u64>)> = [
        (Fig::Completed, Status::Completed, "completed", &s.completed),
        (
            Fig::UnderConstruction,
            Status::UnderConstruction,
            "under_construction",
            &s.under_construction,
        ),
        (
            Fig::NotStarted,
            Status::NotStarted,
            "not_started",
            &s.not_started,
        ),
    ]
    .into_iter()
    .filter_map(|(f, st, key, v)| v.as_ref().map(|v| (f, st, key, v)))
    .collect();
    if stated.is_empty() {
        return;
    }
    let path = format!("programme[{}].stated", g.id.value);
    let stated_sum = num::count_sum(stated.iter().map(|(_, _, _, v)| v.value));
    let listed = listed_count(projects);

    // The three counts add up to the project count (stated, or else listed).
    let target = match (&s.projects, projects.is_empty()) {
        (Some(p), _) => Some((u128::from(p.value), Some(p))),
        (None, false) => Some((listed, None)),
        (None, true) => None,
    };
    let sum_checkable = stated.len() == 3 && target.is_some();
    if !sum_checkable && projects.is_empty() {
        return;
    }
    c.ran(RuleId::ProgrammeStatus);
    if let (true, Some((total, total_at))) = (sum_checkable, target) {
        if stated_sum != total {
            let v = |i: usize| stated[i].3.value.to_string();
            let msg = c.t(Msg::StatusSum {
                completed: &v(0),
                under_construction: &v(1),
                not_started: &v(2),
                sum: &stated_sum.to_string(),
                projects: &total.to_string(),
            });
            let mut d = Diagnostic::error(RuleId::ProgrammeStatus, msg);
            for (what, _, _, v) in &stated {
                d = d.at(v.span.clone(), c.fig(*what, v.value));
            }
            if let Some(p) = total_at {
                d = d.at(p.span.clone(), c.fig(Fig::Projects, p.value));
            }
            let d = d
                .field(format!("{path}.{}", stated[0].2))
                .expected_found(total.to_string(), stated_sum.to_string())
                .hint(c.t(Msg::StatusSumHint));
            c.report(d);
        }
    }

    if projects.is_empty() {
        return;
    }
    let missing: Vec<&&Project> = projects.iter().filter(|j| j.status.is_none()).collect();
    if !missing.is_empty() {
        let msg = c.t(Msg::StatusUnverifiable {
            stated: &stated_sum.to_string(),
            missing: missing.len(),
            lines: projects.len(),
            listed: &listed.to_string(),
        });
        let mut d = Diagnostic::error(RuleId::ProgrammeStatus, msg);
        for (what, _, _, v) in &stated {
            d = d.at(v.span.clone(), c.fig(*what, v.value));
        }
        for j in &missing {
            d = d.at(
                j.id.span.clone(),
                c.t(Msg::LabelNoStatus {
                    record: &j.id.value,
                }),
            );
        }
        let lines = projects.len();
        let d = d
            .field(format!("{path}.{}", stated[0].2))
            .expected_found(
                format!("status: {lines}/{lines}"),
                format!("status: {}/{lines}", lines - missing.len()),
            )
            .hint(c.t(Msg::StatusUnverifiableHint));
        c.report(d);
        return;
    }
    for (what, st, key, v) in &stated {
        let with: Vec<&&Project> = projects
            .iter()
            .filter(|j| j.status.as_ref().is_some_and(|s| s.value == *st))
            .collect();
        let count = num::count_sum(with.iter().map(|j| j.count.value));
        if count == u128::from(v.value) {
            continue;
        }
        let msg = c.t(Msg::StatusCount {
            what: *what,
            stated: &v.value.to_string(),
            listed: &count.to_string(),
        });
        let mut d = Diagnostic::error(RuleId::ProgrammeStatus, msg)
            .at(v.span.clone(), c.fig(*what, v.value));
        for j in &with {
            if let Some(s) = &j.status {
                d = d.at(s.span.clone(), c.fig_of(&j.id.value, *what, j.count.value));
            }
        }
        let d = d
            .field(format!("{path}.{key}"))
            .expected_found(count.to_string(), v.value.to_string())
            .hint(c.t(Msg::StatusCountHint));
        c.report(d);
    }
}

/// `programme.areas`: stated townships and villages against `covers`.
fn areas(c: &mut Checker, g: &Programme) {
    if g.covers.is_empty() {
        return;
    }
    let p = c.portal;
    // Every covered area must resolve (refs.resolve reports those that do not).
    let Some(covered) = g
        .covers
        .iter()
        .map(|id| p.area(c.ix, &id.value).map(|a| (id, a)))
        .collect::<Option<Vec<(&At<String>, &Area)>>>()
    else {
        return;
    };
    let depth = |a: &Area| a.level.value.depth();
    // Townships: covered townships and the townships of covered villages.
    let townships: Option<BTreeSet<&str>> = covered
        .iter()
        .map(|(_, a)| match depth(a) {
            1 => Some(a.id.value.as_str()),
            2 => a.parent.as_ref().map(|p| p.value.as_str()),
            _ => None,
        })
        .collect();
    // Villages: only when covers names villages alone.
    let villages: Option<BTreeSet<&str>> = covered
        .iter()
        .map(|(_, a)| (depth(a) == 2).then_some(a.id.value.as_str()))
        .collect();
    let checks = [
        (Fig::Townships, "townships", &g.stated.townships, townships),
        (Fig::Villages, "villages", &g.stated.villages, villages),
    ];
    if checks.iter().any(|(_, _, s, n)| s.is_some() && n.is_some()) {
        c.ran(RuleId::ProgrammeAreas);
    }
    for (what, key, stated, counted) in checks {
        let (Some(stated), Some(counted)) = (stated, counted) else {
            continue;
        };
        if counted.len() as u128 == u128::from(stated.value) {
            continue;
        }
        let msg = c.t(Msg::CoveredAreas {
            what,
            stated: &stated.value.to_string(),
            counted: counted.len(),
        });
        let mut d = Diagnostic::error(RuleId::ProgrammeAreas, msg)
            .at(stated.span.clone(), c.fig(what, stated.value));
        for (id, a) in &covered {
            d = d.at(
                id.span.clone(),
                c.t(Msg::LabelCoveredArea {
                    id: &id.value,
                    level: a.level.value,
                }),
            );
        }
        let d = d
            .field(format!("programme[{}].stated.{key}", g.id.value))
            .expected_found(counted.len().to_string(), stated.value.to_string())
            .hint(c.t(Msg::CoveredAreasHint));
        c.report(d);
    }
}
