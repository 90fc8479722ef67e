//! `prose.figure`: the amounts (万元, 元) and counts (户, 人, 个, 条, 座…)
//! written by hand in a document or a summary tied to a record (a
//! programme, a project or an area) must each be a figure of that record or
//! of its parts, so "总投资999.04万元" above an 899.04 table is reported, with
//! the figure it probably meant. Dates, years, percentages and measures
//! (亩, 公里, m²) carry none of these units and are not read. A figure that
//! knowingly differs is written `{{< known figure="…" reason="…" >}}`;
//! figures quoted with `{{< figure … >}}` come from the data.
//!
//! Also `correction.documented`: a correction changes the stated figure.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rust_decimal::Decimal;

use super::Checker;
use crate::diag::Diagnostic;
use crate::messages::Msg;
use crate::model::figures::{self, Figure, Unit};
use crate::model::{Area, Page, Programme, Project};
use crate::rule::RuleId;
use crate::shortcode::{self, Found};
use crate::source::Span;

/// How a figure is written: exactly, "约"/"近" (about), or "余"/"多"/"以上"
/// (at least).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approx {
    Exact,
    About,
    AtLeast,
}

/// An amount or count written in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The number and its unit in the text.
    pub range: Range<usize>,
    /// In the kind's base unit: 元 for money.
    pub value: Decimal,
    pub kind: Unit,
    pub approx: Approx,
}

/// Units after a number, longest first: (unit, kind, factor to the base unit).
const UNITS: &[(&str, Unit, i64)] = &[
    ("亿元", Unit::Yuan, 100_000_000),
    ("万元", Unit::Yuan, 10_000),
    ("元", Unit::Yuan, 1),
    ("户", Unit::Households, 1),
    ("人次", Unit::People, 1),
    ("人", Unit::People, 1),
    ("名", Unit::People, 1),
    ("个", Unit::Things, 1),
    ("条", Unit::Things, 1),
    ("座", Unit::Things, 1),
    ("处", Unit::Things, 1),
    ("项", Unit::Things, 1),
    ("所", Unit::Things, 1),
    ("类", Unit::Things, 1),
    ("支", Unit::Things, 1),
    ("间", Unit::Things, 1),
    ("套", Unit::Things, 1),
];

/// What may follow a unit and makes it another word: `3个月`, `2个工作日`.
const NOT_AFTER: &[(&str, &[&str])] = &[
    (
        "个",
        &[
            "月",
            "工作日",
            "百分点",
            "小时",
            "星期",
            "季度",
            "季",
            "年度",
        ],
    ),
    ("人", &["民币"]),
    ("名", &["单"]),
    ("条", &["例", "款"]),
    ("项", &["目"]),
];

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Every amount and count of `text`, in order.
pub fn written_figures(text: &str) -> Vec<Written> {
    let mut out = Vec::new();
    let mut i = 0;
    let bytes_len = text.len();
    while i < bytes_len {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if digit(c).is_none() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let before = text[..start].chars().next_back();
        // A number glued to a letter, a digit's punctuation or 第 (an
        // ordinal) is not a figure: G75, v1.2, 2020-3, 第3条.
        let glued = before.is_some_and(|b| {
            b.is_ascii_alphanumeric() || matches!(b, '.' | '-' | '/' | '_' | '第' | '#' | ':')
        });
        // Read the number: digits, thousands separators, one decimal point.
        let mut digits = String::new();
        let mut j = i;
        let mut seen_point = false;
        while j < bytes_len {
            let Some(ch) = text[j..].chars().next() else {
                break;
            };
            if let Some(d) = digit(ch) {
                digits.push(char::from_digit(d, 10).unwrap_or('0'));
                j += ch.len_utf8();
            } else if ch == ',' && !seen_point && three_digits_follow(&text[j + 1..]) {
                j += 1;
            } else if (ch == '.' || ch == '．')
                && !seen_point
                && text[j + ch.len_utf8()..]
                    .chars()
                    .next()
                    .and_then(digit)
                    .is_some()
            {
                seen_point = true;
                digits.push('.');
                j += ch.len_utf8();
            } else {
                break;
            }
        }
        i = j;
        if glued {
            continue;
        }
        let Ok(mut value) = digits.parse::<Decimal>() else {
            continue;
        };
        // What follows: spaces, 余/多, 万, the unit.
        let mut k = skip_spaces(text, j);
        let mut approx = Approx::Exact;
        for more in ["余", "多"] {
            if text[k..].starts_with(more) {
                approx = Approx::AtLeast;
                k += more.len();
            }
        }
        let mut factor = Decimal::ONE;
        let rest = &text[k..];
        if rest.starts_with('万') && !rest.starts_with("万元") {
            factor = Decimal::from(10_000);
            k += '万'.len_utf8();
        }
        let rest = &text[k..];
        let Some(&(unit, kind, unit_factor)) = UNITS.iter().find(|(u, _, _)| rest.starts_with(u))
        else {
            continue;
        };
        let after = &rest[unit.len()..];
        if NOT_AFTER
            .iter()
            .any(|(u, words)| *u == unit && words.iter().any(|w| after.starts_with(w)))
        {
            continue;
        }
        let end = k + unit.len();
        let Some(v) = value
            .checked_mul(factor)
            .and_then(|v| v.checked_mul(Decimal::from(unit_factor)))
        else {
            continue;
        };
        value = v;
        if approx == Approx::Exact {
            let head = &text[..start];
            if ["约", "近", "大约", "将近"]
                .iter()
                .any(|w| head.ends_with(w))
            {
                approx = Approx::About;
            } else if ["超过", "逾", "不少于", "不低于"]
                .iter()
                .any(|w| head.ends_with(w))
                || ["以上", "余", "多"].iter().any(|w| after.starts_with(w))
            {
                approx = Approx::AtLeast;
            }
        }
        out.push(Written {
            range: start..end,
            value,
            kind,
            approx,
        });
        i = end;
    }
    out
}

fn three_digits_follow(s: &str) -> bool {
    let mut it = s.chars();
    let three = (0..3).all(|_| it.next().and_then(digit).is_some());
    three && it.next().and_then(digit).is_none()
}

fn skip_spaces(text: &str, mut at: usize) -> usize {
    while let Some(c) = text[at..].chars().next() {
        if c == ' ' || c == '\u{a0}' || c == '\u{3000}' {
            at += c.len_utf8();
        } else {
            break;
        }
    }
    at
}

/// True if `w` is `f`, or close enough for how it is written.
fn matches(w: &Written, f: &Figure) -> bool {
    if w.kind != f.kind {
        return false;
    }
    let fv = f.base_value();
    match w.approx {
        Approx::Exact => fv == w.value,
        Approx::About => (fv - w.value).abs() * Decimal::from(10) <= w.value,
        Approx::AtLeast => fv >= w.value && fv * Decimal::from(2) <= w.value * Decimal::from(3),
    }
}

/// Edit distance of two short digit strings.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The figure `w` probably meant: of its kind, one or two digits apart or
/// within a fifth of it, the closest.
fn probably_meant<'f>(w: &Written, figures: &'f [Figure]) -> Option<&'f Figure> {
    let text = |d: Decimal| d.normalize().to_string();
    let wt = text(w.value);
    figures
        .iter()
        .filter(|f| f.kind == w.kind)
        .map(|f| {
            let fv = f.base_value();
            let same_magnitude = magnitude(fv) == magnitude(w.value);
            (
                distance(&wt, &text(fv)),
                (fv - w.value).abs(),
                same_magnitude,
                f,
            )
        })
        .filter(|(d, diff, same_magnitude, _)| {
            // One or two digits apart at the same magnitude, or within a fifth.
            (*d <= 2 && *same_magnitude) || *diff * Decimal::from(5) <= w.value
        })
        .map(|(d, diff, _, f)| (d, diff, f))
        .min_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)))
        .map(|(_, _, f)| f)
}

/// How many digits the whole part has.
fn magnitude(d: Decimal) -> usize {
    d.trunc().abs().normalize().to_string().len()
}

/// `899.04万元（总投资）`, `11,491户（参与农户）`: as the tables print it.
fn describe(f: &Figure) -> String {
    let mut text = f.value.normalize().to_string();
    if f.unit == "万元" {
        text = f.value.round_dp(f.value.scale().max(2)).to_string();
        if !text.contains('.') {
            text.push_str(".00");
        } else if text.split_once('.').is_some_and(|(_, d)| d.len() == 1) {
            text.push('0');
        }
    }
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), ""), |(i, f)| (i, f));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if !frac.is_empty() {
        grouped.push('.');
        grouped.push_str(frac);
    }
    format!("{grouped}{}（{}）", f.unit, f.what)
}

// ---------------------------------------------------------------------------
// The figures of a record and its parts

/// Lookups built once per check: records of each area.
#[derive(Default)]
pub struct Related {
    progress: crate::model::IdMap<Vec<usize>>,
    relapses: crate::model::IdMap<Vec<usize>>,
    activities: crate::model::IdMap<Vec<usize>>,
    /// Programmes by their area and by every area they cover.
    programmes: crate::model::IdMap<Vec<usize>>,
    /// Programmes by the document that is their plan.
    plans: crate::model::IdMap<Vec<usize>>,
}

impl Related {
    pub fn build(c: &Checker) -> Related {
        let p = c.portal;
        let mut r = Related::default();
        for (i, x) in p.progress.iter().enumerate() {
            r.progress.entry(x.area.value.clone()).or_default().push(i);
        }
        for (i, x) in p.relapses.iter().enumerate() {
            r.relapses.entry(x.area.value.clone()).or_default().push(i);
        }
        for (i, x) in p.activities.iter().enumerate() {
            r.activities
                .entry(x.area.value.clone())
                .or_default()
                .push(i);
        }
        for (i, g) in p.programmes.iter().enumerate() {
            let mut areas: Vec<&str> = vec![&g.area.value];
            areas.extend(g.covers.iter().map(|a| a.value.as_str()));
            areas.dedup();
            for a in areas {
                r.programmes.entry(a.to_string()).or_default().push(i);
            }
            if let Some(plan) = &g.plan {
                r.plans.entry(plan.value.clone()).or_default().push(i);
            }
        }
        r
    }
}

fn count(what: &str, n: usize, kind: Unit, unit: &'static str) -> Figure {
    Figure::count(what, what, n as u64, unit, kind)
}

/// Figures written in a free text of the data (an outcome, a quantity).
fn figures_in(text: &str, what: &str, span: &Span) -> Vec<Figure> {
    written_figures(text)
        .into_iter()
        .map(|w| Figure {
            key: what.to_string(),
            what: what.to_string(),
            value: w.value,
            unit: match w.kind {
                Unit::Yuan => "元",
                Unit::Households => "户",
                Unit::People => "人",
                Unit::Things => "个",
            },
            kind: w.kind,
            span: Some(span.clone()),
        })
        .collect()
}

fn project_figures(j: &Project, out: &mut Vec<Figure>) {
    out.extend(figures::of_project(j));
    for q in &j.quantities {
        let text = format!("{}{}", q.value.value.normalize(), q.unit.value);
        out.extend(figures_in(&text, &q.what.value, &q.value.span));
    }
    for o in &j.outcomes {
        out.extend(figures_in(&o.value, "成效", &o.span));
    }
}

/// The figures of a programme and its projects, until `wanted` has found
/// all it looks for (it returns true then).
fn programme_figures_until(
    c: &Checker,
    g: &Programme,
    out: &mut Vec<Figure>,
    wanted: &mut Wanted,
) -> bool {
    out.extend(figures::of_programme(g));
    out.extend(figures::stated_before_correction(g));
    let list =
        c.ix.projects_of_programme
            .get(&g.id.value)
            .map_or(&[][..], Vec::as_slice);
    let mut total_count: u64 = 0;
    let mut categories = HashSet::new();
    for &i in list {
        let j = &c.portal.projects[i];
        project_figures(j, out);
        total_count = total_count.saturating_add(j.count.value);
        categories.insert(j.category.value.as_str());
    }
    if wanted.settle(out) {
        return true;
    }
    if !list.is_empty() {
        out.push(Figure::count(
            "projects",
            "所列项目合计",
            total_count,
            "个",
            Unit::Things,
        ));
        out.push(count("项目类别数", categories.len(), Unit::Things, "类"));
        let total: Decimal = list
            .iter()
            .map(|&i| c.portal.projects[i].funds.total.value)
            .sum();
        out.push(Figure::money_wan("total", "所列项目投资合计", total));
    }
    for share in &g.shares {
        if let Some(t) = &share.tolerance {
            out.push(Figure::money_wan("tolerance", "允许的取整误差", t.value).at(&t.span));
        }
    }
    out.push(count("覆盖区域数", g.covers.len(), Unit::Things, "个"));
    let mut by_level: HashMap<u8, usize> = HashMap::new();
    let mut by_kind: HashMap<crate::model::Level, usize> = HashMap::new();
    for a in g
        .covers
        .iter()
        .filter_map(|a| c.portal.area(c.ix, &a.value))
    {
        *by_level.entry(a.level.value.depth()).or_default() += 1;
        *by_kind.entry(a.level.value).or_default() += 1;
    }
    for n in by_level.values().chain(by_kind.values()) {
        out.push(count("覆盖区域数", *n, Unit::Things, "个"));
    }
    wanted.settle(out)
}

/// Every area under `a`, counted by level: a county "辖 3 个乡镇、60 个行政村".
fn areas_under(c: &Checker, a: &Area) -> HashMap<crate::model::Level, usize> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut under: HashMap<crate::model::Level, usize> = HashMap::new();
    let mut stack = vec![a];
    while let Some(x) = stack.pop() {
        if !seen.insert(&x.id.value) {
            continue;
        }
        if x.id.value != a.id.value {
            *under.entry(x.level.value).or_default() += 1;
        }
        let children =
            c.ix.children
                .get(&x.id.value)
                .map_or(&[][..], Vec::as_slice);
        stack.extend(children.iter().map(|&i| &c.portal.areas[i]));
    }
    under
}

/// The area, every area under it, and their records, until `wanted` has
/// found all it looks for (it returns true then): a province's summary
/// would otherwise gather every figure of the province.
fn area_figures_until(
    c: &Checker,
    r: &Related,
    a: &Area,
    out: &mut Vec<Figure>,
    wanted: &mut Wanted,
) -> bool {
    for n in areas_under(c, a).values() {
        out.push(count("下辖区域数", *n, Unit::Things, "个"));
    }
    if wanted.settle(out) {
        return true;
    }
    let mut seen: HashSet<&str> = HashSet::new();
    let mut programmes: HashSet<usize> = HashSet::new();
    let mut stack = vec![a];
    while let Some(a) = stack.pop() {
        if !seen.insert(&a.id.value) {
            continue;
        }
        out.extend(figures::of_area(a));
        let children =
            c.ix.children
                .get(&a.id.value)
                .map_or(&[][..], Vec::as_slice);
        if !children.is_empty() {
            out.push(count("下辖区域数", children.len(), Unit::Things, "个"));
            let mut by_level: HashMap<crate::model::Level, usize> = HashMap::new();
            for &i in children {
                *by_level.entry(c.portal.areas[i].level.value).or_default() += 1;
            }
            for n in by_level.values() {
                out.push(count("下辖区域数", *n, Unit::Things, "个"));
            }
        }
        stack.extend(children.iter().map(|&i| &c.portal.areas[i]));
        let id = a.id.value.as_str();
        for &i in r.progress.get(id).map_or(&[][..], Vec::as_slice) {
            let x = &c.portal.progress[i];
            let tallies = [
                (&x.households, Unit::Households, "户"),
                (&x.people, Unit::People, "人"),
                (&x.villages, Unit::Things, "个"),
            ];
            for (t, kind, unit) in tallies {
                let Some(t) = t else { continue };
                for v in [&t.start, &t.done, &t.remaining, &t.this_year]
                    .into_iter()
                    .flatten()
                {
                    out.push(Figure::count("progress", "进度", v.value, unit, kind).at(&v.span));
                }
            }
        }
        for &i in r.relapses.get(id).map_or(&[][..], Vec::as_slice) {
            let x = &c.portal.relapses[i];
            for (v, kind, unit) in [
                (&x.households, Unit::Households, "户"),
                (&x.people, Unit::People, "人"),
            ] {
                if let Some(v) = v {
                    out.push(Figure::count("relapse", "返贫", v.value, unit, kind).at(&v.span));
                }
            }
        }
        let activities = r.activities.get(id).map_or(&[][..], Vec::as_slice);
        if !activities.is_empty() {
            let teams: HashSet<&str> = activities
                .iter()
                .filter_map(|&i| c.portal.activities[i].team.as_ref())
                .map(|t| t.value.as_str())
                .collect();
            out.push(count("文体队伍数", teams.len(), Unit::Things, "支"));
            out.push(count("活动数", activities.len(), Unit::Things, "项"));
        }
        for &i in activities {
            let x = &c.portal.activities[i];
            if let Some(v) = &x.participants {
                out.push(
                    Figure::count("participants", "参加人数", v.value, "人", Unit::People)
                        .at(&v.span),
                );
            }
            for v in [&x.planned, &x.held].into_iter().flatten() {
                out.push(
                    Figure::count("activity", "活动", v.value, "个", Unit::Things).at(&v.span),
                );
            }
        }
        for &i in c.ix.projects_of_area.get(id).map_or(&[][..], Vec::as_slice) {
            project_figures(&c.portal.projects[i], out);
        }
        programmes.extend(r.programmes.get(id).map_or(&[][..], Vec::as_slice));
        if wanted.settle(out) {
            return true;
        }
    }
    let mut programmes: Vec<usize> = programmes.into_iter().collect();
    programmes.sort_unstable();
    for i in programmes {
        if programme_figures_until(c, &c.portal.programmes[i], out, wanted) {
            return true;
        }
    }
    false
}

/// What a gathering of figures looks for: the written figures not yet
/// matched. Gathering stops once all are, and the figures seen so far are
/// dropped as it goes; only a finding needs them all (for the figure it
/// probably meant), and then they are gathered again with [`Wanted::all`].
struct Wanted<'w> {
    left: Vec<&'w Written>,
    keep_all: bool,
}

impl<'w> Wanted<'w> {
    fn these(written: impl IntoIterator<Item = &'w Written>) -> Self {
        Wanted {
            left: written.into_iter().collect(),
            keep_all: false,
        }
    }

    /// Gathers every figure and never stops early.
    fn all() -> Self {
        Wanted {
            left: Vec::new(),
            keep_all: true,
        }
    }

    /// Matches the figures gathered so far; true when nothing is left.
    fn settle(&mut self, out: &mut Vec<Figure>) -> bool {
        if self.keep_all {
            return false;
        }
        self.left.retain(|w| !out.iter().any(|f| matches(w, f)));
        out.clear();
        self.left.is_empty()
    }
}

/// A record a text is tied to.
#[derive(Clone, Copy)]
enum Owner<'p> {
    Programme(&'p Programme),
    Project(&'p Project),
    Area(&'p Area),
}

impl<'p> Owner<'p> {
    fn span(self) -> &'p Span {
        match self {
            Owner::Programme(g) => &g.span,
            Owner::Project(j) => &j.span,
            Owner::Area(a) => &a.span,
        }
    }

    fn summary(self) -> Option<&'p crate::source::At<String>> {
        match self {
            Owner::Programme(g) => g.summary.as_ref(),
            Owner::Project(j) => j.summary.as_ref(),
            Owner::Area(a) => a.summary.as_ref(),
        }
    }

    fn name(self) -> &'p str {
        match self {
            Owner::Programme(g) => &g.name.value,
            Owner::Project(j) => &j.name.value,
            Owner::Area(a) => &a.name.value,
        }
    }

    fn figures_until(
        self,
        c: &Checker,
        r: &Related,
        out: &mut Vec<Figure>,
        wanted: &mut Wanted,
    ) -> bool {
        match self {
            Owner::Programme(g) => programme_figures_until(c, g, out, wanted),
            Owner::Project(j) => {
                project_figures(j, out);
                wanted.settle(out)
            }
            Owner::Area(a) => area_figures_until(c, r, a, out, wanted),
        }
    }
}

/// The written figures that are none of the owners' figures, with every
/// figure of the owners when there are any (to name the one probably
/// meant).
fn unmatched<'w>(
    c: &Checker,
    r: &Related,
    owners: &[Owner],
    written: impl IntoIterator<Item = &'w Written>,
) -> (Vec<&'w Written>, Vec<Figure>) {
    let mut wanted = Wanted::these(written);
    let mut out = Vec::new();
    for owner in owners {
        if owner.figures_until(c, r, &mut out, &mut wanted) {
            return (Vec::new(), Vec::new());
        }
    }
    wanted.settle(&mut out);
    if wanted.left.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut all = Wanted::all();
    for owner in owners {
        owner.figures_until(c, r, &mut out, &mut all);
    }
    (wanted.left, out)
}

// ---------------------------------------------------------------------------
// The rule

pub fn check(c: &mut Checker) {
    corrections(c);
    let off = c.portal.config.prose_figures == crate::model::ProseFigures::Off;
    // Kept from the last run while the changed files file their records
    // under the same areas and plans (building them took 8 ms of an edit
    // at 20,000 villages).
    let kept = c.kept.as_deref_mut().and_then(|k| {
        let last = k.related.take();
        last.filter(|_| k.dirty.related_same && !k.dirty.all)
    });
    let related = kept.unwrap_or_else(|| Related::build(c));
    if !off {
        // A document's figures are those of its programme, of the
        // programmes whose plan it is and of its area (with every area
        // under it): kept unless one of those may have changed.
        let pages = &c.portal.pages;
        c.each_kept(
            pages,
            |k| &mut k.page_figures,
            |page| page.file,
            |dirty, page| {
                let named = |id: &Option<crate::model::Id>, set: &HashSet<String>| {
                    id.as_ref().is_some_and(|i| set.contains(&i.value))
                };
                dirty.file(page.file)
                    || named(&page.programme, &dirty.programmes)
                    || named(&page.area, &dirty.areas)
                    || dirty.plans.contains(&page.id)
            },
            |c, page| check_page_with(c, &related, page),
        );
    }
    summaries(c, &related, off);
    if let Some(k) = c.kept.as_deref_mut() {
        k.related = Some(related);
    }
}

/// The written figures of a body, each as `value unit approx`, in order.
pub fn figures_of_body(body: &str) -> Vec<String> {
    markdown_figures(body)
        .into_iter()
        .map(|(_, w)| format!("{} {:?} {:?}", w.value, w.kind, w.approx))
        .collect()
}

fn check_page_with(c: &mut Checker, r: &Related, page: &Page) {
    if page.programme.is_none() && page.area.is_none() && !r.plans.contains_key(&page.id) {
        return;
    }
    // Most documents write few figures: read them before gathering the
    // records' (a township's programme can have hundreds).
    let written = markdown_figures(&page.body);
    if written.is_empty() {
        return;
    }
    let p = c.portal;
    let mut owners: Vec<Owner> = Vec::new();
    if let Some(g) = page
        .programme
        .as_ref()
        .and_then(|g| c.ix.programmes.get(&g.value))
    {
        owners.push(Owner::Programme(&p.programmes[*g]));
    }
    for &i in r.plans.get(&page.id).map_or(&[][..], Vec::as_slice) {
        let g = &p.programmes[i];
        if !owners.iter().any(|o| o.name() == g.name.value) {
            owners.push(Owner::Programme(g));
        }
    }
    if let Some(a) = page.area.as_ref().and_then(|a| p.area(c.ix, &a.value)) {
        owners.push(Owner::Area(a));
    }
    if owners.is_empty() {
        return;
    }
    let body = &page.body;
    let span = |range: Range<usize>| Span {
        file: page.file,
        range: page.body_offset + range.start..page.body_offset + range.end,
    };
    let record = owners
        .iter()
        .map(|o| o.name())
        .collect::<Vec<_>>()
        .join("、");
    for _ in &written {
        c.ran(RuleId::ProseFigure);
    }
    let (left, figures) = unmatched(c, r, &owners, written.iter().map(|(_, w)| w));
    for (range, w) in &written {
        if !left.iter().any(|l| std::ptr::eq(*l, w)) {
            continue;
        }
        report(
            c,
            &body[range.clone()],
            span(range.clone()),
            &record,
            w,
            &figures,
            None,
        );
    }
}

/// The amounts and counts of a Markdown body's text, outside code,
/// shortcode paragraphs and inline shortcodes, with their place in the body.
fn markdown_figures(body: &str) -> Vec<(Range<usize>, Written)> {
    let calls: Vec<Range<usize>> = if body.contains("{{<") {
        shortcode::find(body)
            .into_iter()
            .filter_map(|f| match f {
                Found::InlineCall { range, .. } => Some(range),
                _ => None,
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut run: Option<Range<usize>> = None;
    let mut in_code = false;
    let mut skipping = false;
    for (event, range) in Parser::new_ext(body, shortcode::MARKDOWN_OPTIONS).into_offset_iter() {
        if skipping {
            skipping = !matches!(event, Event::End(TagEnd::Paragraph));
            continue;
        }
        match event {
            Event::Start(Tag::Paragraph) if shortcode::is_block(body, &range) => {
                runs.extend(run.take());
                skipping = true;
            }
            Event::Start(Tag::CodeBlock(_)) => {
                runs.extend(run.take());
                in_code = true;
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if !in_code => {
                run = Some(match run.take() {
                    Some(r) if range.start >= r.end => r.start..range.end,
                    Some(r) => {
                        runs.push(r);
                        range
                    }
                    None => range,
                });
            }
            _ => runs.extend(run.take()),
        }
    }
    runs.extend(run.take());
    let mut out = Vec::new();
    for r in runs {
        for w in written_figures(&body[r.clone()]) {
            let range = r.start + w.range.start..r.start + w.range.end;
            if calls
                .iter()
                .any(|c| c.start < range.end && range.start < c.end)
            {
                continue;
            }
            out.push((range, w));
        }
    }
    out
}

fn report(
    c: &mut Checker,
    written: &str,
    at: Span,
    record: &str,
    w: &Written,
    figures: &[Figure],
    field: Option<String>,
) {
    let meant = probably_meant(w, figures);
    let meant_text = meant.map(describe);
    let msg = c.t(Msg::ProseFigure { written, record });
    let mut d = if c.portal.config.prose_figures == crate::model::ProseFigures::Warning {
        Diagnostic::warning(RuleId::ProseFigure, msg)
    } else {
        Diagnostic::error(RuleId::ProseFigure, msg)
    }
    .at(at, c.t(Msg::LabelHere));
    if let Some(f) = meant {
        if let Some(span) = &f.span {
            d = d.at(
                span.clone(),
                c.t(Msg::LabelProbablyMeant {
                    figure: &describe(f),
                }),
            );
        }
    }
    if let Some(field) = field {
        d = d.field(field);
    }
    let expected = meant_text.clone().unwrap_or_else(|| {
        match c.lang {
            crate::messages::Lang::Zh => "该记录的数字之一",
            crate::messages::Lang::En => "one of the record's figures",
        }
        .to_string()
    });
    let d = d
        .expected_found(expected, written.to_string())
        .hint(c.t(Msg::ProseFigureHint {
            meant: meant_text.as_deref(),
            written,
        }));
    c.report(d);
}

/// The summaries of programmes, projects and areas: their inline
/// shortcodes and their figures. Each summary is read on its own, in
/// parallel, and a record's figures are gathered only as far as its
/// summary's figures need: an area's figures take in every area under it.
fn summaries(c: &mut Checker, r: &Related, off: bool) {
    let (p, ix) = (c.portal, c.ix);
    // A file's summaries are kept unless a record of it, or a record they
    // gather figures from, may have changed; one with an inline shortcode
    // (which can name any record) is always read again.
    let reach = |dirty: &super::kept::Dirty| {
        if dirty.all {
            return None;
        }
        let mut files: HashSet<crate::source::FileId> = dirty.files.clone();
        let programmes = dirty
            .programmes
            .iter()
            .filter_map(|id| ix.programmes.get(id));
        files.extend(programmes.map(|&i| p.programmes[i].span.file));
        let areas = dirty.areas.iter().filter_map(|id| ix.areas.get(id));
        files.extend(areas.map(|&i| p.areas[i].span.file));
        let owners = p
            .programmes
            .iter()
            .map(Owner::Programme)
            .chain(p.projects.iter().map(Owner::Project))
            .chain(p.areas.iter().map(Owner::Area));
        let inline = owners
            .filter(|o| o.summary().is_some_and(|s| s.value.contains("{{<")))
            .map(|o| o.span().file);
        files.extend(inline);
        let mut files: Vec<crate::source::FileId> = files.into_iter().collect();
        files.sort_unstable();
        Some(files)
    };
    c.each_file_kept_where(
        |k| &mut k.summaries,
        reach,
        |c| {
            let s = c.scope.records;
            let owners = s
                .programmes
                .iter()
                .map(Owner::Programme)
                .chain(s.projects.iter().map(Owner::Project))
                .chain(s.areas.iter().map(Owner::Area));
            for owner in owners {
                summary(c, r, off, owner);
            }
        },
    );
}

fn summary(c: &mut Checker, r: &Related, off: bool, owner: Owner) {
    let (s, kind, id) = match owner {
        Owner::Programme(g) => (&g.summary, "programme", &g.id.value),
        Owner::Project(j) => (&j.summary, "project", &j.id.value),
        Owner::Area(a) => (&a.summary, "area", &a.id.value),
    };
    let field = || format!("{kind}[{id}].summary");
    let Some(s) = s else { return };
    // The literal is `"…"` without escapes: offsets inside it are exact;
    // otherwise every finding points at the whole value.
    let exact = s.span.range.len() == s.value.len() + 2;
    let span = |r: Range<usize>| {
        if exact {
            Span {
                file: s.span.file,
                range: s.span.range.start + 1 + r.start..s.span.range.start + 1 + r.end,
            }
        } else {
            s.span.clone()
        }
    };
    let mut calls = Vec::new();
    for found in shortcode::find_plain(&s.value) {
        match found {
            Found::InlineCall { range, parsed } => {
                calls.push(range.clone());
                super::shortcodes::check_inline_found(c, parsed, span(range), &span);
            }
            Found::Inline { at } => {
                let d = Diagnostic::error(RuleId::ShortcodeSyntax, c.t(Msg::ShortcodeInline))
                    .at(span(at), c.t(Msg::LabelHere))
                    .field(field())
                    .hint(c.t(Msg::FigureShortcodeHint));
                c.report(d);
            }
            Found::Block { .. } => {}
        }
    }
    if off {
        return;
    }
    let written: Vec<Written> = written_figures(&s.value)
        .into_iter()
        .filter(|w| {
            !calls
                .iter()
                .any(|r| r.start < w.range.end && w.range.start < r.end)
        })
        .collect();
    for _ in &written {
        c.ran(RuleId::ProseFigure);
    }
    if written.is_empty() {
        return;
    }
    let (left, figures) = unmatched(c, r, &[owner], &written);
    for w in left {
        let text = s.value[w.range.clone()].to_string();
        report(
            c,
            &text,
            span(w.range.clone()),
            owner.name(),
            w,
            &figures,
            Some(field()),
        );
    }
}

/// `correction.documented`: a correction changes the figure it corrects.
fn corrections(c: &mut Checker) {
    for g in &c.portal.programmes {
        for k in &g.stated.corrections {
            c.ran(RuleId::CorrectionDocumented);
            if k.stated.value != k.corrected.value {
                continue;
            }
            let field = format!("programme[{}].stated.{}", g.id.value, k.field);
            let d = Diagnostic::error(
                RuleId::CorrectionDocumented,
                c.t(Msg::CorrectionUnchanged {
                    field: k.field,
                    value: k.stated.value,
                }),
            )
            .at(k.corrected.span.clone(), c.t(Msg::LabelThisValue))
            .at(k.stated.span.clone(), k.stated.value.to_string())
            .field(field)
            .expected_found(
                format!("≠ {}", k.stated.value),
                k.corrected.value.to_string(),
            )
            .hint(c.t(Msg::CorrectionUnchangedHint {
                field: k.field,
                value: k.stated.value,
            }));
            c.report(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, Decimal, Unit, Approx)> {
        written_figures(text)
            .into_iter()
            .map(|w| (text[w.range].to_string(), w.value, w.kind, w.approx))
            .collect()
    }

    #[test]
    fn amounts_and_counts_are_read_dates_and_percentages_are_not() {
        let got = read("2020年3月中旬，总投资999.04万元，其中1,011 万元；3.5%，12317，25平方米。");
        assert_eq!(
            got,
            [
                (
                    "999.04万元".to_string(),
                    Decimal::new(9_990_400, 0),
                    Unit::Yuan,
                    Approx::Exact
                ),
                (
                    "1,011 万元".to_string(),
                    Decimal::new(10_110_000, 0),
                    Unit::Yuan,
                    Approx::Exact
                ),
            ]
        );
        let got = read("约41,000人，3,000余人，26.5万个工日，第3条，3个月，G75条，14个");
        let values: Vec<(&str, Approx)> = got.iter().map(|g| (g.0.as_str(), g.3)).collect();
        assert_eq!(
            values,
            [
                ("41,000人", Approx::About),
                ("3,000余人", Approx::AtLeast),
                ("26.5万个", Approx::Exact),
                ("14个", Approx::Exact)
            ]
        );
        assert_eq!(got[2].1, Decimal::from(265_000));
    }

    fn grouped(n: u64) -> String {
        let t = n.to_string();
        let mut g = String::new();
        for (i, ch) in t.chars().enumerate() {
            if i > 0 && (t.len() - i) % 3 == 0 {
                g.push(',');
            }
            g.push(ch);
        }
        g
    }

    proptest::proptest! {
        /// Every unit, with or without separators, full-width digits, a
        /// space, 万, 约 or 余, inside a Chinese sentence, reads as one figure
        /// of the right kind and value; the same number with a year, a
        /// percent or a measure reads as none.
        #[test]
        fn every_written_form_reads_as_its_value(
            n in 1u64..10_000_000,
            unit in 0usize..UNITS.len(),
            style in 0u8..32,
        ) {
            let (u, kind, factor) = UNITS[unit];
            let mut number = if style & 1 == 1 { grouped(n) } else { n.to_string() };
            if style & 2 == 2 {
                number = number
                    .chars()
                    .map(|c| c.to_digit(10).map_or(c, |d| char::from_u32('０' as u32 + d).unwrap()))
                    .collect();
            }
            let space = if style & 4 == 4 { " " } else { "" };
            let wan = style & 8 == 8 && !u.contains('元');
            let approx = match style >> 4 {
                0 => "",
                _ => "约",
            };
            let text = format!("计划{approx}{number}{space}{}{u}，2020年完成80%，共25平方米。", if wan { "万" } else { "" });
            let got = written_figures(&text);
            proptest::prop_assert_eq!(got.len(), 1, "{}", text);
            let w = &got[0];
            let mut value = Decimal::from(n) * Decimal::from(factor);
            if wan {
                value *= Decimal::from(10_000);
            }
            proptest::prop_assert_eq!(w.value, value);
            proptest::prop_assert_eq!(w.kind, kind);
            proptest::prop_assert_eq!(w.approx, if approx.is_empty() { Approx::Exact } else { Approx::About });
            proptest::prop_assert!(text[w.range.clone()].ends_with(u));
        }
    }

    #[test]
    fn the_closest_figure_is_the_one_probably_meant() {
        let figures = vec![
            Figure::money_wan("total", "总投资", Decimal::new(89904, 2)),
            Figure::money_wan("villagers", "群众筹资投劳", Decimal::new(65900, 2)),
        ];
        let w = &written_figures("999.04万元")[0];
        assert!(!figures.iter().any(|f| matches(w, f)));
        assert_eq!(
            probably_meant(w, &figures).map(|f| f.key.as_str()),
            Some("total")
        );
    }
}
