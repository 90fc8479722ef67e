//! Issue 13 items 4 and 5 on the pages: an area's figures and progress year
//! by year (a table with the years side by side and a small SVG trend), and
//! the "data as of" line every data page shows, from the data's `updated`
//! dates or the repository's history, never from the clock.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::super::charts::{self, Series};
use super::super::format::{count, date_zh, number};
use super::super::lookups::RecordMap;
use super::Views;
use crate::gate::{PublicProgress, PublicTally, Shown};
use crate::model::*;

/// A published count as a page writes it, and its value to place on a chart.
fn shown_point(s: Option<Shown<u64>>) -> Option<(String, Option<Decimal>)> {
    let s = s?;
    Some((charts::shown_text(s), s.value().map(Decimal::from)))
}

impl Views<'_> {
    /// `as_of` in a page's context: the latest of `dates`, or nothing.
    pub(super) fn insert_as_of(
        &self,
        m: &mut Map<String, Value>,
        dates: impl IntoIterator<Item = Option<NaiveDate>>,
    ) {
        if let Some(d) = dates.into_iter().flatten().max() {
            m.insert(
                "as_of".into(),
                json!({"date": date_zh(d), "iso": d.to_string()}),
            );
        }
    }

    /// The latest date of any file or record: the whole portal's figures
    /// (home, report).
    pub(super) fn as_of_portal(&self) -> Option<NaiveDate> {
        let p = self.p;
        let own = |d: &Option<crate::source::At<NaiveDate>>| d.as_ref().map(|d| d.value);
        let records = p.areas.iter().filter_map(|a| own(&a.updated));
        let years = p.area_years.iter().filter_map(|y| own(&y.updated));
        let progress = p.progress.iter().filter_map(|r| own(&r.updated));
        let exits = p.exits.iter().filter_map(|e| own(&e.updated));
        let pages = p.pages.iter().filter_map(|g| own(&g.updated));
        p.dates
            .by_file
            .values()
            .copied()
            .chain(records)
            .chain(years)
            .chain(progress)
            .chain(exits)
            .chain(pages)
            .max()
    }

    /// When the figures an area's page shows were last changed: the area,
    /// its years, progress, relapses, exits, activities, projects,
    /// programmes and its children's figures.
    pub(super) fn as_of_area(&self, a: &Area) -> Option<NaiveDate> {
        let (p, d) = (self.p, &self.p.dates);
        let id = a.id.value.as_str();
        let mut dates = vec![d.record(&a.updated, &a.span)];
        for &i in self.look.of(RecordMap::AreaYearsOfArea, id) {
            let y = &p.area_years[i];
            dates.push(d.record(&y.updated, &y.span));
        }
        for &i in self.look.of(RecordMap::ProgressOfArea, id) {
            if let Some(r) = p.progress.get(i) {
                dates.push(d.record(&r.updated, &r.span));
            }
        }
        for &i in self.look.of(RecordMap::RelapsesOfArea, id) {
            dates.extend(p.relapses.get(i).map(|r| d.of(r.span.file)));
        }
        for &i in self.look.of(RecordMap::ExitsOfArea, id) {
            let e = &p.exits[i];
            dates.push(d.record(&e.updated, &e.span));
        }
        for &i in self.look.of(RecordMap::ActivitiesOfArea, id) {
            dates.push(d.of(p.activities[i].span.file));
        }
        for j in self.projects_in(&self.ix.projects_of_area, id) {
            dates.push(d.of(j.span.file));
        }
        for &i in self.look.of(RecordMap::ProgrammesTouching, id) {
            dates.push(d.of(p.programmes[i].span.file));
        }
        for &i in self.ix.children.get(id).map_or(&[][..], Vec::as_slice) {
            let c = &p.areas[i];
            dates.push(d.record(&c.updated, &c.span));
        }
        dates.into_iter().flatten().max()
    }

    /// A programme's page: the programme and its projects.
    pub(super) fn as_of_programme(&self, g: &Programme) -> Option<NaiveDate> {
        let d = &self.p.dates;
        let projects = self.projects_in(&self.ix.projects_of_programme, &g.id.value);
        std::iter::once(d.of(g.span.file))
            .chain(projects.iter().map(|j| d.of(j.span.file)))
            .flatten()
            .max()
    }

    /// A project's page: the project and its programme.
    pub(super) fn as_of_project(&self, j: &Project) -> Option<NaiveDate> {
        let d = &self.p.dates;
        let programme = j
            .programme
            .as_ref()
            .and_then(|g| self.ix.programmes.get(&g.value))
            .map(|&i| d.of(self.p.programmes[i].span.file));
        [d.of(j.span.file), programme.flatten()]
            .into_iter()
            .flatten()
            .max()
    }

    /// A document: its own date (`updated` or its last commit), its
    /// milestones and the programmes it describes.
    pub(super) fn as_of_page(&self, page: &Page) -> Option<NaiveDate> {
        let d = &self.p.dates;
        let mut dates = vec![d.of(page.file)];
        for &i in self.look.of(RecordMap::MilestonesOfPlan, &page.id) {
            dates.push(d.of(self.p.milestones[i].span.file));
        }
        for &i in self.look.of(RecordMap::ProgrammesOfPlan, &page.id) {
            dates.push(d.of(self.p.programmes[i].span.file));
        }
        dates.into_iter().flatten().max()
    }

    /// The area's figures year by year (`years`) and its progress year by
    /// year for every kind recorded in two years or more (`progress_years`).
    pub(super) fn years_context(&self, a: &Area, m: &mut Map<String, Value>) {
        let id = a.id.value.as_str();
        let years: Vec<&AreaYear> = {
            let mut v: Vec<&AreaYear> = self
                .look
                .of(RecordMap::AreaYearsOfArea, id)
                .iter()
                .map(|&i| &self.p.area_years[i])
                .collect();
            v.sort_by_key(|y| y.year.value);
            v.dedup_by_key(|y| y.year.value);
            v
        };
        if !years.is_empty() {
            m.insert("years".into(), figures_by_year(id, &years));
        }
        let mut kinds: BTreeMap<ProgressKind, Vec<usize>> = BTreeMap::new();
        for &i in self.look.of(RecordMap::ProgressOfArea, id) {
            kinds
                .entry(self.site.progress()[i].kind)
                .or_default()
                .push(i);
        }
        let mut out = Vec::new();
        for (kind, mut list) in kinds {
            list.sort_by_key(|&i| self.site.progress()[i].year);
            list.dedup_by_key(|&mut i| self.site.progress()[i].year);
            if list.len() >= 2 {
                let public: Vec<&PublicProgress> =
                    list.iter().map(|&i| &self.site.progress()[i]).collect();
                let mut v = progress_by_year(id, kind, &public);
                // Why a year does not carry over from the one before, as written.
                let notes: Vec<Value> = list
                    .iter()
                    .filter_map(|&i| self.p.progress.get(i))
                    .filter_map(|r| {
                        let why = r.change_reason.as_ref()?;
                        Some(json!({"year": r.year.value, "note": why.value}))
                    })
                    .collect();
                v["notes"] = json!(notes);
                out.push(v);
            }
        }
        if !out.is_empty() {
            m.insert("progress_years".into(), json!(out));
        }
    }
}

/// The table (a row per figure, a column per year) and the trend chart.
fn figures_by_year(id: &str, years: &[&AreaYear]) -> Value {
    type Get = fn(&AreaYear) -> Option<(String, Decimal)>;
    let rows: [(&str, &str, Get); 4] = [
        ("户数", "户", |y| {
            y.households
                .as_ref()
                .map(|v| (count(v.value), Decimal::from(v.value)))
        }),
        ("人口", "人", |y| {
            y.population
                .as_ref()
                .map(|v| (count(v.value), Decimal::from(v.value)))
        }),
        ("劳动力", "人", |y| {
            y.labourers
                .as_ref()
                .map(|v| (count(v.value), Decimal::from(v.value)))
        }),
        ("耕地", "亩", |y| {
            y.farmland_mu.as_ref().map(|v| (number(v.value), v.value))
        }),
    ];
    let mut table = Vec::new();
    let mut series = Vec::new();
    for (label, unit, get) in rows {
        let cells: Vec<Option<(String, Decimal)>> = years.iter().map(|y| get(y)).collect();
        if cells.iter().all(Option::is_none) {
            continue;
        }
        table.push(json!({
            "label": label,
            "unit": unit,
            "values": cells.iter().map(|c| c.as_ref().map(|(t, _)| t.clone())).collect::<Vec<_>>(),
        }));
        let points: Vec<(i32, String, Option<Decimal>)> = years
            .iter()
            .zip(&cells)
            .filter_map(|(y, c)| c.as_ref().map(|(t, v)| (y.year.value, t.clone(), Some(*v))))
            .collect();
        series.push(Series {
            label: label.to_string(),
            unit: unit.to_string(),
            points,
        });
    }
    let notes: Vec<Value> = years
        .iter()
        .filter_map(|y| {
            y.note
                .as_ref()
                .map(|n| json!({"year": y.year.value, "note": n.value}))
        })
        .collect();
    let chart = charts::trend(&format!("chart-years-{id}"), "逐年变化", &series);
    json!({
        "years": years.iter().map(|y| y.year.value).collect::<Vec<_>>(),
        "rows": table,
        "notes": notes,
        "chart": chart,
    })
}

/// One kind of progress over the years: a row per year with each unit's
/// start (or target), done and remaining as published, and the trend of
/// what remains.
fn progress_by_year(id: &str, kind: ProgressKind, list: &[&PublicProgress]) -> Value {
    type Pick = fn(&PublicProgress) -> Option<&PublicTally>;
    let units: [(&str, &str, &str, Pick); 3] = [
        ("households", "户", "剩余户数", |r| {
            r.households.as_ref()
        }),
        ("people", "人", "剩余人数", |r| r.people.as_ref()),
        ("villages", "个村", "剩余村数", |r| {
            r.villages.as_ref()
        }),
    ];
    let units: Vec<_> = units
        .into_iter()
        .filter(|(_, _, _, pick)| list.iter().any(|r| pick(r).is_some()))
        .collect();
    let is_target = list
        .iter()
        .flat_map(|r| units.iter().filter_map(|(_, _, _, pick)| pick(r)))
        .any(|t| t.is_target);
    let rows: Vec<Value> = list
        .iter()
        .map(|r| {
            let cells: Vec<Value> = units
                .iter()
                .map(|(_, _, _, pick)| {
                    let t = pick(r);
                    let text = |s: Option<Shown<u64>>| s.map(charts::shown_text);
                    json!({
                        "start": t.and_then(|t| text(t.start)),
                        "done": t.and_then(|t| text(t.done)),
                        "remaining": t.and_then(|t| text(t.remaining)),
                    })
                })
                .collect();
            json!({"year": r.year, "cells": cells})
        })
        .collect();
    let series: Vec<Series> = units
        .iter()
        .map(|(_, unit, label, pick)| Series {
            label: label.to_string(),
            unit: unit.to_string(),
            points: list
                .iter()
                .filter_map(|r| {
                    let (text, v) = shown_point(pick(r)?.remaining)?;
                    Some((r.year, text, v))
                })
                .collect(),
        })
        .collect();
    let title = format!("{}逐年剩余", kind.name_zh());
    let chart = charts::trend(
        &format!("chart-progress-{id}-{}", kind.key()),
        &title,
        &series,
    );
    json!({
        "title": kind.name_zh(),
        "kind": kind.key(),
        "start_label": if is_target { "目标" } else { "起始" },
        "units": units.iter().map(|(key, unit, _, _)| json!({"key": key, "unit": unit})).collect::<Vec<_>>(),
        "rows": rows,
        "chart": chart,
    })
}
