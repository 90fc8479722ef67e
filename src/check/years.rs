//! Issue 13 item 4: figures recorded per year stay continuous.
//!
//! - `years.duplicate`: one `[[area_year]]` per area and year, one
//!   `[[progress]]` per area, kind and year, one `[[exit]]` per village and year;
//! - `years.carry`: a progress tally's start in year N is the remaining of
//!   year N − 1 (the tally counts that year only), or the start of year N − 1
//!   (every year counts from one baseline, done is cumulative); a plan target
//!   (relocation) is the same every year;
//! - `years.done`: counted from one baseline or target, done never decreases
//!   from a year to a later one;
//! - `years.exit`: a village that exited stays exited in later years, or the
//!   later record says why (`change_reason`);
//! - `years.current`: an area's own figures (`[[area]]`) equal those of its
//!   latest `[[area_year]]`, where both give one.

use std::collections::{BTreeMap, HashMap};

use super::Checker;
use crate::diag::Diagnostic;
use crate::messages::{Fig, Msg};
use crate::model::{AreaYear, ExitStatus, Progress, ProgressKind, Tally};
use crate::rule::RuleId;
use crate::source::{At, Span};

pub fn check(c: &mut Checker) {
    let p = c.portal;
    // Area id (and kind) → records by year, in year order; the first of a
    // duplicate year is kept for the continuity rules.
    let mut figures: BTreeMap<&str, BTreeMap<i32, &AreaYear>> = BTreeMap::new();
    for y in &p.area_years {
        let years = figures.entry(&y.area.value).or_default();
        let record = format!("area_year[{}]", y.area.value);
        duplicate(c, years.get(&y.year.value).map(|d| &d.span), y, &record);
        years.entry(y.year.value).or_insert(y);
    }
    let mut progress: BTreeMap<(&str, ProgressKind), BTreeMap<i32, &Progress>> = BTreeMap::new();
    for r in &p.progress {
        let years = progress
            .entry((r.area.value.as_str(), r.kind.value))
            .or_default();
        let record = format!("progress[{}/{}]", r.area.value, r.kind.value.key());
        c.ran(RuleId::YearsDuplicate);
        if let Some(first) = years.get(&r.year.value) {
            report_duplicate(c, &first.span, &r.span, &r.year, &record);
        } else {
            years.insert(r.year.value, r);
        }
    }
    let mut exits: BTreeMap<&str, BTreeMap<i32, &crate::model::Exit>> = BTreeMap::new();
    for e in &p.exits {
        let years = exits.entry(&e.area.value).or_default();
        let record = format!("exit[{}]", e.area.value);
        c.ran(RuleId::YearsDuplicate);
        if let Some(first) = years.get(&e.year.value) {
            report_duplicate(c, &first.span, &e.span, &e.year, &record);
        } else {
            years.insert(e.year.value, e);
        }
    }
    for years in progress.values() {
        let list: Vec<&Progress> = years.values().copied().collect();
        for pair in list.windows(2) {
            progress_pair(c, pair[0], pair[1]);
        }
    }
    for (area, years) in &exits {
        let list: Vec<_> = years.values().copied().collect();
        for pair in list.windows(2) {
            let (prev, cur) = (pair[0], pair[1]);
            c.ran(RuleId::YearsExit);
            if prev.status.value != ExitStatus::Exited
                || cur.status.value == ExitStatus::Exited
                || cur.change_reason.is_some()
            {
                continue;
            }
            let name = p
                .area(c.ix, area)
                .map_or(area.to_string(), |a| format!("{}（{area}）", a.name.value));
            let msg = c.t(Msg::YearsExitReverted {
                area: &name,
                year: cur.year.value,
                status: cur.status.value.name_zh(),
                prev_year: prev.year.value,
            });
            let d = Diagnostic::error(RuleId::YearsExit, msg)
                .at(cur.status.span.clone(), c.t(Msg::LabelThisValue))
                .at(
                    prev.status.span.clone(),
                    c.t(Msg::LabelYearStatus {
                        year: prev.year.value,
                        status: prev.status.value.name_zh(),
                        key: prev.status.value.key(),
                    }),
                )
                .field(format!("exit[{area}/{}].status", cur.year.value))
                .expected_found(
                    format!("{} | change_reason", ExitStatus::Exited.key()),
                    cur.status.value.key(),
                )
                .hint(c.t(Msg::YearsExitHint));
            c.report(d);
        }
    }
    current(c, &figures);
}

fn duplicate(c: &mut Checker, first: Option<&Span>, y: &AreaYear, record: &str) {
    c.ran(RuleId::YearsDuplicate);
    if let Some(first) = first {
        report_duplicate(c, first, &y.span, &y.year, record);
    }
}

fn report_duplicate(c: &mut Checker, first: &Span, again: &Span, year: &At<i32>, record: &str) {
    let msg = c.t(Msg::YearsDuplicate {
        record,
        year: year.value,
    });
    let d = Diagnostic::error(RuleId::YearsDuplicate, msg)
        .at(year.span.clone(), c.t(Msg::LabelThisValue))
        .at(again.clone(), c.t(Msg::LabelThisTable))
        .at(first.clone(), year.value.to_string())
        .field(format!("{record}.year"))
        .expected_found("1", "2")
        .hint(c.t(Msg::YearsDuplicateHint));
    c.report(d);
}

/// Continuity of two records of one area and kind, `prev` of an earlier year.
fn progress_pair(c: &mut Checker, prev: &Progress, cur: &Progress) {
    let units = [
        (
            Fig::Households,
            "households",
            &prev.households,
            &cur.households,
        ),
        (Fig::People, "people", &prev.people, &cur.people),
        (Fig::Villages, "villages", &prev.villages, &cur.villages),
    ];
    let path = super::progress::path(cur);
    for (what, key, a, b) in units {
        let (Some(a), Some(b)) = (a, b) else { continue };
        let field = format!("{path}.{key}");
        let consecutive = cur.year.value.checked_sub(1) == Some(prev.year.value);
        let (py, cy) = (prev.year.value, cur.year.value);
        if consecutive {
            c.ran(RuleId::YearsCarry);
            if cur.change_reason.is_none() {
                carry(c, what, &field, (py, a), (cy, b));
            }
        }
        done(c, what, &field, (py, a), (cy, b));
    }
}

/// `years.carry` between consecutive years.
fn carry(c: &mut Checker, what: Fig, field: &str, prev: (i32, &Tally), cur: (i32, &Tally)) {
    let ((py, a), (cy, b)) = (prev, cur);
    let Some(start) = &b.start else { return };
    if b.is_target {
        let Some(prev_target) = &a.start else { return };
        if prev_target.value == start.value {
            return;
        }
        let msg = c.t(Msg::YearsTargetChanged {
            what,
            year: cy,
            target: &start.value.to_string(),
            prev_year: py,
            prev_target: &prev_target.value.to_string(),
        });
        let d = Diagnostic::error(RuleId::YearsCarry, msg)
            .at(start.span.clone(), c.fig(Fig::Target, start.value))
            .at(
                prev_target.span.clone(),
                year_fig(c, py, Fig::Target, prev_target.value),
            )
            .field(format!("{field}.target"))
            .expected_found(prev_target.value.to_string(), start.value.to_string())
            .hint(c.t(Msg::YearsTargetHint));
        c.report(d);
        return;
    }
    let Some(prev_remaining) = &a.remaining else {
        return;
    };
    let same_baseline = a.start.as_ref().is_some_and(|s| s.value == start.value);
    if prev_remaining.value == start.value || same_baseline {
        return;
    }
    let msg = c.t(Msg::YearsCarry {
        what,
        year: cy,
        start: &start.value.to_string(),
        prev_year: py,
        prev_remaining: &prev_remaining.value.to_string(),
    });
    let mut expected = prev_remaining.value.to_string();
    let mut d = Diagnostic::error(RuleId::YearsCarry, msg)
        .at(start.span.clone(), c.fig(Fig::Start, start.value))
        .at(
            prev_remaining.span.clone(),
            year_fig(c, py, Fig::Remaining, prev_remaining.value),
        );
    if let Some(prev_start) = &a.start {
        expected = format!("{expected} | {}", prev_start.value);
        d = d.at(
            prev_start.span.clone(),
            year_fig(c, py, Fig::Start, prev_start.value),
        );
    }
    let d = d
        .field(format!("{field}.start"))
        .expected_found(expected, start.value.to_string())
        .hint(c.t(Msg::YearsCarryHint));
    c.report(d);
}

/// `years.done`: counted from one baseline or target, done never decreases.
fn done(c: &mut Checker, what: Fig, field: &str, prev: (i32, &Tally), cur: (i32, &Tally)) {
    let ((py, a), (cy, b)) = (prev, cur);
    let (Some(sa), Some(sb), Some(da), Some(db)) = (&a.start, &b.start, &a.done, &b.done) else {
        return;
    };
    if sa.value != sb.value {
        return;
    }
    c.ran(RuleId::YearsDone);
    if db.value >= da.value {
        return;
    }
    let msg = c.t(Msg::YearsDoneDecreased {
        what,
        year: cy,
        done: &db.value.to_string(),
        prev_year: py,
        prev_done: &da.value.to_string(),
    });
    let d = Diagnostic::error(RuleId::YearsDone, msg)
        .at(db.span.clone(), c.fig(Fig::Done, db.value))
        .at(da.span.clone(), year_fig(c, py, Fig::Done, da.value))
        .field(format!("{field}.done"))
        .expected_found(format!(">= {}", da.value), db.value.to_string())
        .hint(c.t(Msg::YearsDoneHint));
    c.report(d);
}

fn year_fig(c: &Checker, year: i32, what: Fig, value: impl std::fmt::Display) -> String {
    c.t(Msg::LabelYearFigure {
        year,
        what,
        value: &value.to_string(),
    })
}

/// `years.current`: an area's own figures are its latest year's.
fn current(c: &mut Checker, figures: &BTreeMap<&str, BTreeMap<i32, &AreaYear>>) {
    let p = c.portal;
    for (id, years) in figures {
        let (Some(area), Some((_, latest))) = (p.area(c.ix, id), years.last_key_value()) else {
            continue;
        };
        let counts = [
            (
                Fig::Households,
                "households",
                &area.households,
                &latest.households,
            ),
            (
                Fig::Population,
                "population",
                &area.population,
                &latest.population,
            ),
            (
                Fig::Labourers,
                "labourers",
                &area.labourers,
                &latest.labourers,
            ),
        ];
        for (what, key, own, year) in counts {
            if let (Some(own), Some(year)) = (own, year) {
                differs(c, id, key, what, own, year, latest.year.value);
            }
        }
        if let (Some(own), Some(year)) = (&area.farmland_mu, &latest.farmland_mu) {
            differs(
                c,
                id,
                "farmland_mu",
                Fig::Farmland,
                own,
                year,
                latest.year.value,
            );
        }
    }
}

fn differs<T: PartialEq + std::fmt::Display>(
    c: &mut Checker,
    id: &str,
    key: &str,
    what: Fig,
    own: &At<T>,
    year: &At<T>,
    y: i32,
) {
    c.ran(RuleId::YearsCurrent);
    if own.value == year.value {
        return;
    }
    let msg = c.t(Msg::YearsCurrent {
        what,
        value: &own.value.to_string(),
        year: y,
        year_value: &year.value.to_string(),
    });
    let d = Diagnostic::error(RuleId::YearsCurrent, msg)
        .at(own.span.clone(), c.fig(what, &own.value))
        .at(year.span.clone(), year_fig(c, y, what, &year.value))
        .field(format!("area[{id}].{key}"))
        .expected_found(year.value.to_string(), own.value.to_string())
        .hint(c.t(Msg::YearsCurrentHint));
    c.report(d);
}

/// The population of `area` in `year` from its `[[area_year]]`, for the
/// incidence of that year's progress.
pub fn population_by_year(p: &crate::model::Portal) -> HashMap<(&str, i32), &At<u64>> {
    let mut out = HashMap::new();
    for y in &p.area_years {
        if let Some(pop) = &y.population {
            out.entry((y.area.value.as_str(), y.year.value))
                .or_insert(pop);
        }
    }
    out
}
