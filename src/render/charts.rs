//! Charts as inline SVG, drawn at build time: no JavaScript, no fonts, no
//! requests. Pure functions from figures to an SVG string that a template
//! inserts with `| safe`.
//!
//! Every chart is `role="img"` with a `<title>` and a `<desc>` that carry all
//! its figures as text (screen readers, text browsers, search), so the drawing
//! is never the only way to read them; pages keep the data table beside it.
//! Colour is never the only signal either: parts have patterns, a legend with
//! the same patterns, and their figures as text.
//!
//! Figures are formatted from exact decimals (`format.rs`). Only a *ratio*
//! becomes `f64`, and only to place a pixel; no displayed figure comes from it.
//! A suppressed count ([`Shown::Below`], [`Shown::Withheld`]) is drawn as an
//! unknown, hatched bar with the published text (`<5`, 不公开), never as a length.

use std::fmt::Write;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::format::{count, wan};
use crate::gate::Shown;

/// Width of every chart in SVG units. The SVG scales to its box (`width="100%"`),
/// so at a 360 px phone one unit is about one CSS pixel and 13-unit text stays readable.
pub const WIDTH: f64 = 320.0;
const FONT: u32 = 13;
const INK: &str = "#1a1a1a";
const MUTED: &str = "#555555";
const UNKNOWN: &str = "#595959";

/// Fills for parts, each with a contrast of at least 4.5:1 against white
/// (so white text on them and the shapes on a white page both pass WCAG AA),
/// and a pattern each, so that no two parts differ by colour alone.
pub const PALETTE: &[(&str, Pattern)] = &[
    ("#0b5394", Pattern::Solid),
    ("#9c4a00", Pattern::Stripes),
    ("#2e6b30", Pattern::Dots),
    ("#6a3d9a", Pattern::Horizontal),
    ("#8b1e3f", Pattern::Cross),
    ("#00606b", Pattern::Vertical),
];

/// How a part is marked besides its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    Solid,
    Stripes,
    Dots,
    Horizontal,
    Cross,
    Vertical,
}

impl Pattern {
    fn name(self) -> &'static str {
        match self {
            Pattern::Solid => "solid",
            Pattern::Stripes => "stripes",
            Pattern::Dots => "dots",
            Pattern::Horizontal => "horizontal",
            Pattern::Cross => "cross",
            Pattern::Vertical => "vertical",
        }
    }

    /// The white marks drawn over the fill, in an 8×8 tile.
    fn marks(self) -> &'static str {
        match self {
            Pattern::Solid => "",
            Pattern::Stripes => {
                r##"<path d="M-2 2l4-4M0 8l8-8M6 10l4-4" stroke="#fff" stroke-width="1.5"/>"##
            }
            Pattern::Dots => {
                r##"<circle cx="2" cy="2" r="1.2" fill="#fff"/><circle cx="6" cy="6" r="1.2" fill="#fff"/>"##
            }
            Pattern::Horizontal => r##"<path d="M0 4h8" stroke="#fff" stroke-width="1.5"/>"##,
            Pattern::Cross => r##"<path d="M0 0l8 8M8 0l-8 8" stroke="#fff" stroke-width="1"/>"##,
            Pattern::Vertical => r##"<path d="M4 0v8" stroke="#fff" stroke-width="1.5"/>"##,
        }
    }
}

/// One named amount (万元) of a stacked bar.
#[derive(Debug, Clone)]
pub struct Part {
    pub label: String,
    pub amount: Decimal,
    /// Its entry in [`PALETTE`], so that a source keeps its colour and
    /// pattern on every page (villagers 0, fiscal 1, social 2, levels 3…).
    pub style: usize,
}

impl Part {
    pub fn new(label: impl Into<String>, amount: Decimal, style: usize) -> Part {
        Part {
            label: label.into(),
            amount,
            style,
        }
    }
}

/// What a funding-sources chart shows.
#[derive(Debug, Clone)]
pub struct FundsChart {
    /// Unique on the page: prefixes the element ids of the chart.
    pub id: String,
    pub total: Decimal,
    /// Villagers, fiscal awards, social investment: those given.
    pub sources: Vec<Part>,
    /// The fiscal awards (the second bar's whole) and their levels.
    pub fiscal: Option<Decimal>,
    pub levels: Vec<Part>,
}

/// The funding sources as a horizontal stacked bar (villagers / fiscal /
/// social), with the fiscal levels as a second bar, a legend and the figures
/// in the text alternative. `None` when there is nothing to split: no sources
/// given, or a zero total.
pub fn funds(c: &FundsChart) -> Option<String> {
    if c.sources.is_empty() || c.total <= Decimal::ZERO {
        return None;
    }
    let mut desc = format!(
        "资金来源：{}，合计 {} 万元。",
        c.sources
            .iter()
            .map(|p| format!("{} {} 万元", p.label, wan(p.amount)))
            .collect::<Vec<_>>()
            .join("，"),
        wan(c.total)
    );
    let fiscal = c
        .fiscal
        .filter(|f| *f > Decimal::ZERO && !c.levels.is_empty());
    if fiscal.is_some() {
        let _ = write!(
            desc,
            "其中财政奖补分级：{}。",
            c.levels
                .iter()
                .map(|p| format!("{} {} 万元", p.label, wan(p.amount)))
                .collect::<Vec<_>>()
                .join("，")
        );
    }
    let mut svg = Svg::new(&c.id, "资金来源（万元）", &desc);
    let mut y = 0.0;
    let sources = with_rest(&c.sources, c.total, "未列明来源");
    svg.caption(y + 14.0, &format!("按来源（合计 {} 万元）", wan(c.total)));
    svg.stack(y + 20.0, &sources);
    y += 20.0 + BAR + 12.0;
    let mut legend: Vec<(usize, String)> = sources
        .iter()
        .map(|p| {
            (
                p.style,
                format!(
                    "{} {} 万元（{}）",
                    p.label,
                    wan(p.amount),
                    share(p.amount, c.total)
                ),
            )
        })
        .collect();
    if let Some(fiscal) = fiscal {
        let levels = with_rest(&c.levels, fiscal, "未分级次");
        svg.caption(
            y + 14.0,
            &format!("财政奖补按级次（合计 {} 万元）", wan(fiscal)),
        );
        svg.stack(y + 20.0, &levels);
        y += 20.0 + BAR + 12.0;
        legend.extend(levels.iter().map(|p| {
            (
                p.style,
                format!(
                    "财政·{} {} 万元（{}）",
                    p.label,
                    wan(p.amount),
                    share(p.amount, fiscal)
                ),
            )
        }));
    }
    for (i, text) in &legend {
        y += 22.0;
        svg.legend_entry(y, *i, text);
    }
    Some(svg.finish(y + 8.0))
}

/// The style of the grey "rest" part (what the given parts leave unexplained).
const REST: usize = usize::MAX;

/// Height of a stacked bar.
const BAR: f64 = 28.0;

/// The non-zero parts in order, with a grey "rest" part ([`REST`]) when they
/// add up to less than the whole.
fn with_rest(parts: &[Part], whole: Decimal, rest_label: &str) -> Vec<Part> {
    let mut out: Vec<Part> = parts
        .iter()
        .filter(|p| p.amount > Decimal::ZERO)
        .cloned()
        .collect();
    let sum: Decimal = parts.iter().map(|p| p.amount).sum();
    if sum < whole {
        out.push(Part::new(rest_label, whole - sum, REST));
    }
    out
}

/// `73.3%`: a share to one decimal, exact until the rounding (half-up).
fn share(part: Decimal, whole: Decimal) -> String {
    match super::format::share_of(part, whole, super::format::PERCENT_DECIMALS) {
        Some(s) => format!("{s}%"),
        None => "—".into(),
    }
}

/// One bar per category: total investment, with the number of projects.
#[derive(Debug, Clone)]
pub struct CategoryBar {
    pub label: String,
    pub amount: Decimal,
    pub projects: u64,
}

/// Projects by category as horizontal bars (longest first), the amount and
/// the number of projects written beside each bar. `None` without categories.
pub fn categories(id: &str, title: &str, bars: &[CategoryBar]) -> Option<String> {
    if bars.is_empty() {
        return None;
    }
    let mut bars = bars.to_vec();
    bars.sort_by(|a, b| b.amount.cmp(&a.amount).then(a.label.cmp(&b.label)));
    let total: Decimal = bars.iter().map(|b| b.amount).sum();
    let projects: u64 = bars.iter().map(|b| b.projects).sum();
    let desc = format!(
        "{title}：{}；合计 {} 个项目 {} 万元。",
        bars.iter()
            .map(|b| format!(
                "{} {} 个 {} 万元",
                b.label,
                count(b.projects),
                wan(b.amount)
            ))
            .collect::<Vec<_>>()
            .join("，"),
        count(projects),
        wan(total)
    );
    let mut svg = Svg::new(id, title, &desc);
    let max = bars.iter().map(|b| b.amount).max().unwrap_or_default();
    let mut y = 0.0;
    for b in &bars {
        let value = format!("{} 万元", wan(b.amount));
        let room = WIDTH - text_width(&value) - 8.0;
        let w = if max > Decimal::ZERO {
            ratio(b.amount, max) * room
        } else {
            0.0
        };
        svg.caption(
            y + 14.0,
            &format!("{}（{} 个）", b.label, count(b.projects)),
        );
        let _ = write!(
            svg.body,
            r##"<rect class="c-bar" x="0" y="{}" width="{}" height="16" fill="{}"/>"##,
            px(y + 20.0),
            px(w.max(1.0)),
            PALETTE[0].0
        );
        svg.text(w.max(1.0) + 6.0, y + 33.0, INK, "start", &value);
        y += 44.0;
    }
    Some(svg.finish(y + 4.0))
}

/// One row of a progress chart: households, people or villages.
#[derive(Debug, Clone)]
pub struct ProgressRow {
    /// 户, 人, 个村.
    pub unit: String,
    /// 起始 or 目标.
    pub start_label: String,
    pub start: Option<Shown<u64>>,
    pub done: Option<Shown<u64>>,
    pub remaining: Option<Shown<u64>>,
    pub this_year: Option<Shown<u64>>,
}

/// A published count as text: `83`, `<5`, `不公开`.
pub fn shown_text(s: Shown<u64>) -> String {
    match s {
        Shown::Value(v) => count(v),
        s => super::suppressed(s).unwrap_or_default(),
    }
}

/// Done against remaining, one bar per row. A row with any suppressed figure
/// is drawn as an unknown hatched bar carrying the published text only.
/// `None` when no row has enough figures to draw.
pub fn progress(id: &str, title: &str, rows: &[ProgressRow]) -> Option<String> {
    let rows: Vec<&ProgressRow> = rows
        .iter()
        .filter(|r| r.done.is_some() || r.remaining.is_some())
        .collect();
    if rows.is_empty() {
        return None;
    }
    let parts_of = |r: &ProgressRow| {
        let mut parts = Vec::new();
        if let Some(d) = r.done {
            parts.push(format!("已完成 {}", shown_text(d)));
        }
        if let Some(m) = r.remaining {
            parts.push(format!("剩余 {}", shown_text(m)));
        }
        if let Some(s) = r.start {
            parts.push(format!("{} {}", r.start_label, shown_text(s)));
        }
        if let Some(t) = r.this_year {
            parts.push(format!("今年计划 {}", shown_text(t)));
        }
        parts
    };
    let line = |r: &ProgressRow| format!("{}：{}", r.unit, parts_of(r).join("，"));
    let desc = format!(
        "{title}：{}。",
        rows.iter().map(|r| line(r)).collect::<Vec<_>>().join("；")
    );
    let mut svg = Svg::new(id, title, &desc);
    let any_unknown = rows.iter().any(|r| geometry(r).is_none());
    // Legend first, so the reader knows the marks before the bars.
    let mut x = 0.0;
    let mut key = |svg: &mut Svg, fill: &str, text: &str| {
        let _ = write!(
            svg.body,
            r##"<rect x="{}" y="4" width="14" height="14" fill="{fill}" stroke="{INK}" stroke-width="1"/>"##,
            px(x)
        );
        svg.text(x + 19.0, 16.0, INK, "start", text);
        x += 19.0 + text_width(text) + 14.0;
    };
    key(&mut svg, PALETTE[0].0, "已完成");
    let rest = format!("url(#{id}-rest)");
    key(&mut svg, &rest, "剩余");
    if any_unknown {
        let unknown = format!("url(#{id}-unknown)");
        key(&mut svg, &unknown, "不公开的数字");
    }
    let _ = write!(
        svg.defs,
        r##"<pattern id="{id}-rest" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><path d="M-1 1l2-2M0 6l6-6M5 7l2-2" stroke="{}" stroke-width="1"/></pattern>"##,
        PALETTE[0].0
    );
    if any_unknown {
        let _ = write!(
            svg.defs,
            r##"<pattern id="{id}-unknown" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#e6e6e6"/><path d="M0 0l8 8M8 0l-8 8" stroke="{UNKNOWN}" stroke-width="1"/></pattern>"##
        );
    }
    let mut y = 28.0;
    for r in &rows {
        // The row's figures above its bar, on as many lines as a phone needs.
        for text in wrap(&format!("{}：", r.unit), &parts_of(r), "，") {
            svg.caption(y + 14.0, &text);
            y += 18.0;
        }
        let top = y + 2.0;
        match geometry(r) {
            Some((done, whole)) => {
                let w = if whole > 0 {
                    done.min(whole) as f64 / whole as f64 * WIDTH
                } else {
                    0.0
                };
                let _ = write!(
                    svg.body,
                    r##"<rect class="c-remaining" x="0" y="{}" width="{}" height="20" fill="url(#{id}-rest)" stroke="{INK}" stroke-width="1"/>"##,
                    px(top),
                    px(WIDTH)
                );
                if w > 0.0 {
                    let _ = write!(
                        svg.body,
                        r##"<rect class="c-done" x="0" y="{}" width="{}" height="20" fill="{}"/>"##,
                        px(top),
                        px(w),
                        PALETTE[0].0
                    );
                }
            }
            None => {
                let _ = write!(
                    svg.body,
                    r##"<rect class="c-unknown" x="0" y="{}" width="{}" height="20" fill="url(#{id}-unknown)" stroke="{UNKNOWN}" stroke-width="1"/>"##,
                    px(top),
                    px(WIDTH)
                );
                let label = "数字不公开，不画比例";
                let w = text_width(label) + 12.0;
                let x0 = (WIDTH - w) / 2.0;
                let _ = write!(
                    svg.body,
                    r##"<rect x="{}" y="{}" width="{}" height="16" fill="#fff"/>"##,
                    px(x0),
                    px(top + 2.0),
                    px(w)
                );
                svg.text(WIDTH / 2.0, top + 15.0, INK, "middle", label);
            }
        }
        y += 32.0;
    }
    Some(svg.finish(y + 2.0))
}

/// `prefix` and `parts` joined by `sep` into lines that fit the chart width.
fn wrap(prefix: &str, parts: &[String], sep: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = prefix.to_string();
    let mut empty = true;
    for part in parts {
        let candidate = if empty {
            format!("{line}{part}")
        } else {
            format!("{line}{sep}{part}")
        };
        if !empty && text_width(&candidate) > WIDTH {
            lines.push(format!("{line}{sep}"));
            line = part.clone();
        } else {
            line = candidate;
        }
        empty = false;
    }
    lines.push(line);
    lines
}

/// `(done, whole)` when every figure of the row that is given is published
/// and the bar can be drawn to scale; `None` when any is suppressed.
fn geometry(r: &ProgressRow) -> Option<(u64, u64)> {
    let all = [r.start, r.done, r.remaining, r.this_year];
    if all.iter().flatten().any(|s| s.is_suppressed()) {
        return None;
    }
    let v = |s: Option<Shown<u64>>| s.and_then(Shown::value);
    let done = v(r.done);
    let whole = match (v(r.start), done, v(r.remaining)) {
        (Some(s), _, _) => s,
        (None, Some(d), Some(m)) => d + m,
        _ => return None,
    };
    let done = done.or_else(|| v(r.remaining).map(|m| whole.saturating_sub(m)))?;
    Some((done, whole))
}

/// `part / whole` as a fraction for placing pixels only.
fn ratio(part: Decimal, whole: Decimal) -> f64 {
    if whole.is_zero() {
        return 0.0;
    }
    (part / whole).to_f64().unwrap_or(0.0).clamp(0.0, 1.0)
}

/// A coordinate with at most one decimal, the same on every machine.
fn px(v: f64) -> String {
    // Whole tenths as an integer: `format!("{:.1}")` rounds the exact binary
    // value, which is slow (most of a chart's time) and no more useful here.
    let tenths = (v * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    match t % 10 {
        0 => format!("{sign}{}", t / 10),
        d => format!("{sign}{}.{d}", t / 10),
    }
}

/// Estimated width of `text` at the chart font size: CJK characters are one
/// em, digits and Latin letters about 0.6 em.
pub fn text_width(text: &str) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| if c.is_ascii() { 0.62 } else { 1.0 })
        .sum();
    ems * f64::from(FONT)
}

/// Escapes text for SVG (XML) content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An SVG being drawn: patterns in `defs`, shapes in `body`.
struct Svg {
    id: String,
    title: String,
    desc: String,
    defs: String,
    body: String,
    patterns: Vec<usize>,
}

impl Svg {
    fn new(id: &str, title: &str, desc: &str) -> Svg {
        Svg {
            id: id.to_string(),
            title: title.to_string(),
            desc: desc.to_string(),
            defs: String::new(),
            body: String::new(),
            patterns: Vec::new(),
        }
    }

    /// The fill for palette entry `i`: a colour, or a pattern over it.
    fn fill(&mut self, i: usize) -> String {
        let (colour, pattern) = PALETTE[i % PALETTE.len()];
        if pattern == Pattern::Solid {
            return colour.to_string();
        }
        let i = i % PALETTE.len();
        let pid = format!("{}-p{i}", self.id);
        if !self.patterns.contains(&i) {
            self.patterns.push(i);
            let _ = write!(
                self.defs,
                r##"<pattern id="{pid}" class="{}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="{colour}"/>{}</pattern>"##,
                pattern.name(),
                pattern.marks()
            );
        }
        format!("url(#{pid})")
    }

    fn text(&mut self, x: f64, y: f64, fill: &str, anchor: &str, text: &str) {
        let _ = write!(
            self.body,
            r##"<text x="{}" y="{}" fill="{fill}" text-anchor="{anchor}">{}</text>"##,
            px(x),
            px(y),
            esc(text)
        );
    }

    fn caption(&mut self, y: f64, text: &str) {
        self.text(0.0, y, MUTED, "start", text);
    }

    /// A stacked bar at `top`, each part in its style (the rest in grey cross-hatch).
    fn stack(&mut self, top: f64, parts: &[Part]) {
        let whole: Decimal = parts.iter().map(|p| p.amount).sum();
        let mut acc = Decimal::ZERO;
        for p in parts {
            let x0 = ratio(acc, whole) * WIDTH;
            acc += p.amount;
            let x1 = ratio(acc, whole) * WIDTH;
            let w = x1 - x0;
            let (fill, colour) = if p.style == REST {
                (self.rest_fill(), UNKNOWN)
            } else {
                (self.fill(p.style), PALETTE[p.style % PALETTE.len()].0)
            };
            let _ = write!(
                self.body,
                r##"<rect class="c-part" x="{}" y="{}" width="{}" height="{BAR}" fill="{fill}" stroke="#fff" stroke-width="1"><title>{} {} 万元</title></rect>"##,
                px(x0),
                px(top),
                px(w),
                esc(&p.label),
                wan(p.amount)
            );
            // The figure inside its part when it fits, on a solid patch of the
            // part's own colour so that white text keeps its contrast.
            let figure = wan(p.amount);
            let named = format!("{} {figure}", p.label);
            let label = [named, figure]
                .into_iter()
                .find(|t| text_width(t) + 10.0 <= w);
            if let Some(label) = label {
                let tw = text_width(&label) + 6.0;
                let cx = x0 + w / 2.0;
                let _ = write!(
                    self.body,
                    r##"<rect x="{}" y="{}" width="{}" height="18" fill="{colour}"/>"##,
                    px(cx - tw / 2.0),
                    px(top + 5.0),
                    px(tw)
                );
                self.text(cx, top + 19.0, "#fff", "middle", &label);
            }
        }
    }

    fn rest_fill(&mut self) -> String {
        let pid = format!("{}-rest", self.id);
        if !self.patterns.contains(&usize::MAX) {
            self.patterns.push(usize::MAX);
            let _ = write!(
                self.defs,
                r##"<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="{UNKNOWN}"/><path d="M0 0l8 8M8 0l-8 8" stroke="#fff" stroke-width="1"/></pattern>"##
            );
        }
        format!("url(#{pid})")
    }

    /// A legend line: a swatch with the part's colour and pattern, and its text.
    fn legend_entry(&mut self, y: f64, i: usize, text: &str) {
        let fill = if i == REST {
            self.rest_fill()
        } else {
            self.fill(i)
        };
        let _ = write!(
            self.body,
            r##"<rect class="c-swatch" x="0" y="{}" width="16" height="16" fill="{fill}"/>"##,
            px(y - 13.0)
        );
        self.text(22.0, y, INK, "start", text);
    }

    fn finish(self, height: f64) -> String {
        let id = &self.id;
        let mut out = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{id}" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {} {}" width="100%" font-size="{FONT}"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"##,
            px(WIDTH),
            px(height),
            esc(&self.title),
            esc(&self.desc)
        );
        if !self.defs.is_empty() {
            let _ = write!(out, "<defs>{}</defs>", self.defs);
        }
        out.push_str(&self.body);
        out.push_str("</svg>");
        out
    }
}

/// One figure over the years for [`trend`]: `points` are (year, the
/// published text, the value to place) in year order; a value of `None`
/// (a suppressed count) is written as its text and not placed.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub unit: String,
    pub points: Vec<(i32, String, Option<Decimal>)>,
}

/// A small trend of each series over the years, one row per series on its
/// own scale (from its smallest to its largest value), every point labelled
/// with its figure. `None` without a series of two years or more.
pub fn trend(id: &str, title: &str, series: &[Series]) -> Option<String> {
    let series: Vec<&Series> = series.iter().filter(|s| s.points.len() >= 2).collect();
    if series.is_empty() {
        return None;
    }
    let line = |s: &Series| {
        let parts: Vec<String> = s
            .points
            .iter()
            .map(|(y, text, _)| format!("{y}年 {text}{}", s.unit))
            .collect();
        format!("{}：{}", s.label, parts.join("，"))
    };
    let desc = format!(
        "{title}：{}。",
        series
            .iter()
            .map(|s| line(s))
            .collect::<Vec<_>>()
            .join("；")
    );
    let mut svg = Svg::new(id, title, &desc);
    let (left, right) = (24.0, WIDTH - 24.0);
    let mut y = 0.0;
    for s in &series {
        svg.caption(y + 14.0, &format!("{}（{}）", s.label, s.unit));
        let top = y + 36.0;
        let height = 24.0;
        let known: Vec<Decimal> = s.points.iter().filter_map(|p| p.2).collect();
        let lo = known.iter().copied().min().unwrap_or_default();
        let hi = known.iter().copied().max().unwrap_or_default();
        let n = s.points.len();
        let x_of = |i: usize| left + (right - left) * i as f64 / (n - 1) as f64;
        let y_of = |v: Decimal| {
            if hi == lo {
                top + height / 2.0
            } else {
                top + height - ratio(v - lo, hi - lo) * height
            }
        };
        let mut path = String::new();
        let mut pen_down = false;
        for (i, (_, _, v)) in s.points.iter().enumerate() {
            match v {
                Some(v) => {
                    let cmd = if pen_down { 'L' } else { 'M' };
                    let _ = write!(path, "{cmd}{} {}", px(x_of(i)), px(y_of(*v)));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if !path.is_empty() {
            let _ = write!(
                svg.body,
                r##"<path class="c-trend" d="{path}" fill="none" stroke="{}" stroke-width="2"/>"##,
                PALETTE[0].0
            );
        }
        for (i, (year, text, v)) in s.points.iter().enumerate() {
            let x = x_of(i);
            let anchor = if i == 0 {
                "start"
            } else if i + 1 == n {
                "end"
            } else {
                "middle"
            };
            let tx = match anchor {
                "start" => x - 6.0,
                "end" => x + 6.0,
                _ => x,
            };
            match v {
                Some(v) => {
                    let cy = y_of(*v);
                    let _ = write!(
                        svg.body,
                        r##"<circle class="c-point" cx="{}" cy="{}" r="4" fill="{}"/>"##,
                        px(x),
                        px(cy),
                        PALETTE[0].0
                    );
                    svg.text(tx, cy - 8.0, INK, anchor, text);
                }
                None => svg.text(tx, top + height / 2.0 + 4.0, UNKNOWN, anchor, text),
            }
            svg.text(tx, top + height + 20.0, MUTED, anchor, &format!("{year}年"));
        }
        y = top + height + 30.0;
    }
    Some(svg.finish(y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// WCAG relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let c = |i: usize| {
            let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * c(1) + 0.7152 * c(3) + 0.0722 * c(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn coordinates_have_at_most_one_decimal_and_no_trailing_zero() {
        let cases = [
            (0.0, "0"),
            (12.0, "12"),
            (12.04, "12"),
            (12.06, "12.1"),
            (3.25, "3.3"),
            (-0.04, "0"),
            (-7.5, "-7.5"),
            (719.96, "720"),
        ];
        for (v, shown) in cases {
            assert_eq!(px(v), shown, "{v}");
        }
    }

    #[test]
    fn every_text_colour_passes_aa_against_white() {
        for (colour, _) in PALETTE {
            assert!(contrast(colour, "#ffffff") >= 4.5, "{colour}");
        }
        for colour in [INK, MUTED, UNKNOWN] {
            assert!(contrast(colour, "#ffffff") >= 4.5, "{colour}");
        }
    }

    #[test]
    fn funds_chart_says_every_figure_in_text() {
        let svg = funds(&FundsChart {
            id: "f".into(),
            total: d("899.04"),
            sources: vec![
                Part::new("群众筹资投劳", d("659.00"), 0),
                Part::new("财政奖补", d("219.98"), 1),
                Part::new("社会投入", d("20.06"), 2),
            ],
            fiscal: Some(d("219.98")),
            levels: vec![
                Part::new("中央和省级", d("145.00"), 3),
                Part::new("市级", d("20.00"), 4),
                Part::new("县级", d("54.98"), 5),
            ],
        })
        .unwrap();
        assert!(svg.contains(
            "资金来源：群众筹资投劳 659.00 万元，财政奖补 219.98 万元，社会投入 20.06 万元，合计 899.04 万元"
        ));
        assert!(svg.contains("中央和省级 145.00 万元"));
        assert!(svg.contains(r##"role="img""##));
        assert!(svg.contains("73.3%"), "{svg}");
    }

    #[test]
    fn nothing_to_split_draws_nothing() {
        let c = FundsChart {
            id: "f".into(),
            total: d("587.30"),
            sources: vec![],
            fiscal: None,
            levels: vec![],
        };
        assert!(funds(&c).is_none());
    }

    #[test]
    fn a_suppressed_row_is_drawn_without_its_figures() {
        let svg = progress(
            "p",
            "脱贫进度",
            &[ProgressRow {
                unit: "户".into(),
                start_label: "起始".into(),
                start: Some(Shown::Value(40)),
                done: Some(Shown::Withheld),
                remaining: Some(Shown::Below(5)),
                this_year: None,
            }],
        )
        .unwrap();
        assert!(svg.contains("已完成 不公开，剩余 &lt;5"), "{svg}");
        assert!(svg.contains(r##"class="c-unknown""##));
        assert!(!svg.contains(r##"class="c-done""##));
        assert!(!svg.contains("37"));
    }

    #[test]
    fn coordinates_print_the_same_everywhere() {
        assert_eq!(px(12.0), "12");
        assert_eq!(px(12.345), "12.3");
        assert_eq!(px(0.04), "0");
    }
}
