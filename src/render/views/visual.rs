//! The visual parts of the data pages: SVG charts (funds, projects by
//! category, progress), the activity calendar, the milestone timeline and the
//! link to each record's 公示 print view. Kept apart from `views.rs` so that
//! page contexts only gain a line each.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::super::charts::{self, CategoryBar, FundsChart, Part, ProgressRow};
use super::super::format::{count, date_zh};
use super::Views;
use crate::gate::{PublicProgress, PublicTally};
use crate::model::*;

/// The funding-sources chart of `f`, or null when it has nothing to split.
pub fn funds_chart(id: &str, f: &Funds) -> Value {
    let villagers = f.villagers.as_ref().map(|v| v.value).or_else(|| {
        let parts = [&f.cash, &f.labour_value];
        parts.iter().any(|p| p.is_some()).then(|| {
            parts
                .iter()
                .filter_map(|p| p.as_ref())
                .map(|p| p.value)
                .sum()
        })
    });
    let levels: Vec<Part> = f
        .fiscal_levels
        .iter()
        .enumerate()
        .map(|(i, (level, v))| Part::new(level.name_zh(), v.value, 3 + i))
        .collect();
    let fiscal = f
        .fiscal
        .as_ref()
        .map(|v| v.value)
        .or_else(|| (!levels.is_empty()).then(|| levels.iter().map(|p| p.amount).sum()));
    let mut sources = Vec::new();
    if let Some(v) = villagers {
        sources.push(Part::new("群众筹资投劳", v, 0));
    }
    if let Some(v) = fiscal {
        sources.push(Part::new("财政奖补", v, 1));
    }
    if let Some(v) = &f.social {
        sources.push(Part::new("社会投入", v.value, 2));
    }
    let chart = FundsChart {
        id: id.to_string(),
        total: f.total.value,
        sources,
        fiscal,
        levels,
    };
    charts::funds(&chart).map_or(Value::Null, Value::String)
}

/// Projects grouped by category as a bar chart, or null without projects.
pub fn categories_chart(id: &str, title: &str, projects: &[&Project]) -> Value {
    let mut by: BTreeMap<&str, (Decimal, u64)> = BTreeMap::new();
    for j in projects {
        let e = by.entry(j.category.value.as_str()).or_default();
        e.0 += j.funds.total.value;
        e.1 += j.count.value;
    }
    let bars: Vec<CategoryBar> = by
        .into_iter()
        .map(|(label, (amount, projects))| CategoryBar {
            label: label.to_string(),
            amount,
            projects,
        })
        .collect();
    charts::categories(id, title, &bars).map_or(Value::Null, Value::String)
}

fn row(unit: &str, t: &PublicTally) -> ProgressRow {
    ProgressRow {
        unit: unit.to_string(),
        start_label: if t.is_target { "目标" } else { "起始" }.to_string(),
        start: t.start,
        done: t.done,
        remaining: t.remaining,
        this_year: t.this_year,
    }
}

/// Done against remaining for a published progress record (suppressed
/// figures drawn as unknown), or null.
pub fn progress_chart(r: &PublicProgress) -> Value {
    let mut rows = Vec::new();
    for (unit, t) in [
        ("户", &r.households),
        ("人", &r.people),
        ("个村", &r.villages),
    ] {
        if let Some(t) = t {
            rows.push(row(unit, t));
        }
    }
    let kind = ProgressKind::CHOICES
        .iter()
        .find(|(_, k)| *k == r.kind)
        .map_or("progress", |(key, _)| *key)
        .replace('_', "-");
    let id = format!("chart-{kind}-{}", r.year);
    let title = format!(
        "{}年{}",
        r.year,
        r.label
            .clone()
            .unwrap_or_else(|| r.kind.name_zh().to_string())
    );
    charts::progress(&id, &title, &rows).map_or(Value::Null, Value::String)
}

/// `(met, total)` of an exit record's checklist.
pub fn checklist_counts(indicators: &[Value]) -> (usize, usize) {
    let met = indicators
        .iter()
        .filter(|i| i["met"] == json!(true))
        .count();
    (met, indicators.len())
}

/// Months a dated activity falls in, or the text of a row that spans the year.
fn calendar_row(a: &Activity) -> Value {
    let planned = a.planned.as_ref().map(|p| p.value);
    let held = a.held.as_ref().map(|h| h.value);
    let span = match (&a.date, a.frequency.as_ref().map(|f| f.value)) {
        (Some(_), _) => None,
        (None, Some(Frequency::Daily)) => Some("每天（全年）".to_string()),
        (None, Some(Frequency::Weekly)) => Some("每周（全年）".to_string()),
        (None, Some(Frequency::Monthly)) => Some("每月（全年）".to_string()),
        (None, Some(Frequency::Quarterly)) => Some("每季度（全年）".to_string()),
        (None, Some(Frequency::Yearly)) => Some("每年一次，日期未定".to_string()),
        (None, Some(Frequency::Once)) => Some("一次，日期未定".to_string()),
        (None, None) => Some(match planned {
            Some(p) => format!("全年 {} 次，日期未定", count(p)),
            None => "日期未定".to_string(),
        }),
    };
    let month = a.date.as_ref().map(|d| {
        use chrono::Datelike;
        d.value.month()
    });
    let cells: Vec<Value> = (1..=12u32)
        .map(|m| match (month, &a.date) {
            (Some(x), Some(d)) if x == m => {
                json!({"mark": date_zh(d.value), "iso": d.value.to_string()})
            }
            _ => Value::Null,
        })
        .collect();
    let target = match (planned, held) {
        (Some(p), Some(h)) => Some(format!("计划 {} 次，已开展 {} 次", count(p), count(h))),
        (Some(p), None) => Some(format!("计划 {} 次", count(p))),
        (None, Some(h)) => Some(format!("已开展 {} 次", count(h))),
        (None, None) => None,
    };
    let percent = match (planned, held) {
        (Some(p), Some(h)) => crate::render::format::count_share(h.min(p), p),
        _ => None,
    };
    json!({
        "name": a.name.value,
        "kind": a.kind.value.name_zh(),
        "team": a.team.as_ref().map(|t| t.value.clone()),
        "span": span,
        "cells": cells,
        "target": target,
        "percent": percent,
        "done": matches!((planned, held), (Some(p), Some(h)) if h >= p),
    })
}

/// A milestone list as a timeline grouped by month, each step with its 旬.
pub fn timeline(milestones: &[&Milestone]) -> Value {
    let mut months: Vec<Value> = Vec::new();
    let mut current: Option<(i32, u32)> = None;
    let mut steps: Vec<Value> = Vec::new();
    let flush = |key: Option<(i32, u32)>, steps: &mut Vec<Value>, months: &mut Vec<Value>| {
        if let Some((y, m)) = key {
            months.push(json!({"label": format!("{y}年{m}月"), "iso": format!("{y}-{m:02}"), "steps": std::mem::take(steps)}));
        }
    };
    for ms in milestones {
        use chrono::Datelike;
        let due = ms.due.value;
        let key = (due.start().year(), due.start().month());
        if current != Some(key) {
            flush(current, &mut steps, &mut months);
            current = Some(key);
        }
        let part = due.part_zh();
        steps.push(json!({
            "label": ms.label.value,
            "due": due.display_zh(),
            "part": part,
            "deadline": due.end().to_string(),
            "deadline_zh": date_zh(due.end()),
            // A step every month (7月至12月 每月): due by each month's end.
            "monthly": matches!(due.period, crate::model::Period::Months { monthly: true, .. }),
        }));
    }
    flush(current, &mut steps, &mut months);
    json!(months)
}

impl Views<'_> {
    /// Charts, the calendar and the print link of an area page.
    pub(super) fn area_extras(&self, a: &Area, m: &mut Map<String, Value>) {
        if self.has_print_view(a) {
            m.insert("print_url".into(), json!("print.html"));
        }
        if self.poster_url(a).is_some() {
            m.insert("poster_url".into(), json!("poster.html"));
        }
        let projects: Vec<&Project> = self.projects_in(&self.ix.projects_of_area, &a.id.value);
        let title = format!("{}的项目按类别（总投资，万元）", a.name.value);
        m.insert(
            "categories_chart".into(),
            categories_chart("chart-categories", &title, &projects),
        );
        let mut years: BTreeMap<i32, Vec<Value>> = BTreeMap::new();
        let activities = self.look.of(
            super::super::lookups::RecordMap::ActivitiesOfArea,
            &a.id.value,
        );
        for x in activities.iter().map(|&i| &self.p.activities[i]) {
            years.entry(x.year.value).or_default().push(calendar_row(x));
        }
        let calendar: Vec<Value> = years
            .into_iter()
            .map(|(year, rows)| json!({"year": year, "rows": rows, "months": (1..=12).map(|m| format!("{m}月")).collect::<Vec<_>>()}))
            .collect();
        m.insert("calendar".into(), json!(calendar));
    }

    /// Charts and the print link of a programme page.
    pub(super) fn programme_extras(&self, g: &Programme, m: &mut Map<String, Value>) {
        m.insert("print_url".into(), json!("print.html"));
        m.insert(
            "funds_chart".into(),
            g.funds
                .as_ref()
                .map_or(Value::Null, |f| funds_chart("chart-funds", f)),
        );
        let projects: Vec<&Project> = self.projects_in(&self.ix.projects_of_programme, &g.id.value);
        m.insert(
            "categories_chart".into(),
            categories_chart("chart-categories", "项目按类别（总投资，万元）", &projects),
        );
    }

    /// The chart and the print link of a project page.
    pub(super) fn project_extras(&self, j: &Project, m: &mut Map<String, Value>) {
        m.insert("print_url".into(), json!("print.html"));
        m.insert("funds_chart".into(), funds_chart("chart-funds", &j.funds));
    }

    /// The milestone timeline of a plan page.
    pub(super) fn page_extras(&self, page: &Page, m: &mut Map<String, Value>) {
        let milestones: Vec<&Milestone> = self
            .look
            .of(super::super::lookups::RecordMap::MilestonesOfPlan, &page.id)
            .iter()
            .map(|&i| &self.p.milestones[i])
            .collect();
        m.insert("timeline".into(), timeline(&milestones));
    }
}
