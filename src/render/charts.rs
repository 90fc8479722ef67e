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

use std::fmt::{self, Write};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::format::{PERCENT_DECIMALS, Printed, count, push_share_of};
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
    let fiscal = c
        .fiscal
        .filter(|f| *f > Decimal::ZERO && !c.levels.is_empty());
    let total = Printed::wan(c.total);
    let sources: Vec<Bar> = c.sources.iter().map(Bar::of).collect();
    let levels: Vec<Bar> = match fiscal {
        Some(_) => c.levels.iter().map(Bar::of).collect(),
        None => Vec::new(),
    };
    let mut desc = String::from("资金来源：");
    push_amounts(&mut desc, &sources);
    let _ = write!(desc, "，合计 {total} 万元。");
    if fiscal.is_some() {
        desc.push_str("其中财政奖补分级：");
        push_amounts(&mut desc, &levels);
        desc.push('。');
    }
    let mut svg = Svg::new(&c.id, "资金来源（万元）", desc);
    let mut y = 0.0;
    let sources = with_rest(sources, c.total, "未列明来源");
    svg.caption(y + 14.0, &["按来源（合计 ", &total, " 万元）"]);
    svg.stack(y + 20.0, &sources);
    y += 20.0 + BAR + 12.0;
    let levels = match fiscal {
        Some(fiscal) => {
            let levels = with_rest(levels, fiscal, "未分级次");
            let whole = Printed::wan(fiscal);
            svg.caption(y + 14.0, &["财政奖补按级次（合计 ", &whole, " 万元）"]);
            svg.stack(y + 20.0, &levels);
            y += 20.0 + BAR + 12.0;
            levels
        }
        None => levels,
    };
    // The legend below the bars: each part's figure and its share of its bar.
    let mut share = String::new();
    for b in &sources {
        y += 22.0;
        share_text(&mut share, b.amount, c.total);
        let text = [b.label, " ", &b.figure, " 万元（", &share, "）"];
        svg.legend_entry(y, b.style, &text);
    }
    if let Some(fiscal) = fiscal {
        for b in &levels {
            y += 22.0;
            share_text(&mut share, b.amount, fiscal);
            let text = ["财政·", b.label, " ", &b.figure, " 万元（", &share, "）"];
            svg.legend_entry(y, b.style, &text);
        }
    }
    Some(svg.finish(y + 8.0))
}

/// The style of the grey "rest" part (what the given parts leave unexplained).
const REST: usize = usize::MAX;

/// Height of a stacked bar.
const BAR: f64 = 28.0;

/// A part as drawn, with its figure printed once for the description, the
/// bar and the legend.
struct Bar<'a> {
    label: &'a str,
    amount: Decimal,
    style: usize,
    figure: Printed,
}

impl<'a> Bar<'a> {
    fn of(p: &'a Part) -> Bar<'a> {
        Bar::new(&p.label, p.amount, p.style)
    }

    fn new(label: &'a str, amount: Decimal, style: usize) -> Bar<'a> {
        Bar {
            label,
            amount,
            style,
            figure: Printed::wan(amount),
        }
    }
}

/// `群众筹资投劳 659.00 万元，财政奖补 219.98 万元`: every part given, zeros too.
fn push_amounts(out: &mut String, bars: &[Bar]) {
    for (i, b) in bars.iter().enumerate() {
        if i > 0 {
            out.push('，');
        }
        let _ = write!(out, "{} {} 万元", b.label, b.figure);
    }
}

/// The non-zero parts in order, with a grey "rest" part ([`REST`]) when the
/// parts (all of them) add up to less than the whole.
fn with_rest<'a>(mut bars: Vec<Bar<'a>>, whole: Decimal, rest_label: &'a str) -> Vec<Bar<'a>> {
    let sum: Decimal = bars.iter().map(|b| b.amount).sum();
    bars.retain(|b| b.amount > Decimal::ZERO);
    if sum < whole {
        bars.push(Bar::new(rest_label, whole - sum, REST));
    }
    bars
}

/// `73.3%` into `out` (emptied first): a share to one decimal, exact until
/// the rounding (half-up); `—` of a zero whole.
fn share_text(out: &mut String, part: Decimal, whole: Decimal) {
    out.clear();
    if push_share_of(out, part, whole, PERCENT_DECIMALS) {
        out.push('%');
    } else {
        out.push('—');
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
    let mut bars: Vec<&CategoryBar> = bars.iter().collect();
    bars.sort_by(|a, b| b.amount.cmp(&a.amount).then(a.label.cmp(&b.label)));
    let total: Decimal = bars.iter().map(|b| b.amount).sum();
    let projects: u64 = bars.iter().map(|b| b.projects).sum();
    // Each bar's figures printed once, for the description and the drawing.
    let figures: Vec<(Printed, Printed)> = bars
        .iter()
        .map(|b| (Printed::wan(b.amount), Printed::count(b.projects)))
        .collect();
    let mut desc = format!("{title}：");
    for (i, (b, (amount, n))) in bars.iter().zip(&figures).enumerate() {
        if i > 0 {
            desc.push('，');
        }
        let _ = write!(desc, "{} {n} 个 {amount} 万元", b.label);
    }
    let _ = write!(
        desc,
        "；合计 {} 个项目 {} 万元。",
        Printed::count(projects),
        Printed::wan(total)
    );
    let mut svg = Svg::new(id, title, desc);
    let max = bars.iter().map(|b| b.amount).max().unwrap_or_default();
    let mut y = 0.0;
    for (b, (amount, n)) in bars.iter().zip(&figures) {
        // Room for the bar beside its value, `1,011.00 万元`.
        let room = WIDTH - chars_width(amount.chars().chain(" 万元".chars())) - 8.0;
        let w = if max > Decimal::ZERO {
            ratio(b.amount, max) * room
        } else {
            0.0
        };
        svg.caption(y + 14.0, &[&b.label, "（", n, " 个）"]);
        let _ = write!(
            svg.body,
            r##"<rect class="c-bar" x="0" y="{}" width="{}" height="16" fill="{}"/>"##,
            px(y + 20.0),
            px(w.max(1.0)),
            PALETTE[0].0
        );
        svg.text(w.max(1.0) + 6.0, y + 33.0, INK, "start", &[amount, " 万元"]);
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

/// A row's figures as text: `已完成 12`, `剩余 <5`, ….
fn row_figures(r: &ProgressRow) -> Vec<String> {
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
    // Each row's figures once, for the description and above its bar.
    let figures: Vec<Vec<String>> = rows.iter().map(|r| row_figures(r)).collect();
    let mut desc = format!("{title}：");
    for (i, (r, parts)) in rows.iter().zip(&figures).enumerate() {
        if i > 0 {
            desc.push('；');
        }
        let _ = write!(desc, "{}：{}", r.unit, parts.join("，"));
    }
    desc.push('。');
    let mut svg = Svg::new(id, title, desc);
    let any_unknown = rows.iter().any(|r| geometry(r).is_none());
    // Legend first, so the reader knows the marks before the bars.
    let mut x = 0.0;
    let mut key = |svg: &mut Svg, fill: &str, text: &str| {
        let _ = write!(
            svg.body,
            r##"<rect x="{}" y="4" width="14" height="14" fill="{fill}" stroke="{INK}" stroke-width="1"/>"##,
            px(x)
        );
        svg.text(x + 19.0, 16.0, INK, "start", &[text]);
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
    for (r, parts) in rows.iter().zip(&figures) {
        // The row's figures above its bar, on as many lines as a phone needs.
        for text in wrap(&format!("{}：", r.unit), parts, "，") {
            svg.caption(y + 14.0, &[&text]);
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
                svg.text(WIDTH / 2.0, top + 15.0, INK, "middle", &[label]);
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
fn px(v: f64) -> Printed {
    // Whole tenths as an integer: `format!("{:.1}")` rounds the exact binary
    // value, which is slow (most of a chart's time) and no more useful here.
    Printed::tenths((v * 10.0).round() as i64)
}

/// `pieces` one after the other onto `out`: an element's markup, its
/// figures printed on the stack, with no `format!` in between.
fn push_all(out: &mut String, pieces: &[&str]) {
    for piece in pieces {
        out.push_str(piece);
    }
}

/// Estimated width of `text` at the chart font size: CJK characters are one
/// em, digits and Latin letters about 0.6 em.
pub fn text_width(text: &str) -> f64 {
    chars_width(text.chars())
}

/// [`text_width`] of a text given in pieces (`label.chars().chain(…)`): the
/// characters are summed in the same order as the joined text's, so the
/// width is the same to the last bit.
fn chars_width(chars: impl Iterator<Item = char>) -> f64 {
    let ems: f64 = chars.map(|c| if c.is_ascii() { 0.62 } else { 1.0 }).sum();
    ems * f64::from(FONT)
}

/// Escapes text for SVG (XML) content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_esc(&mut out, s);
    out
}

/// [`esc`] onto `out`.
fn push_esc(out: &mut String, s: &str) {
    let _ = write_escaped(out, s);
}

/// Text escaped for SVG, written with `{}`.
struct Esc<'a>(&'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, self.0)
    }
}

fn write_escaped(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    let special = |b: &u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    let mut rest = s;
    // Only ASCII characters are replaced, so the runs between them are whole
    // characters and go out unchanged, in one piece each.
    while let Some(i) = rest.as_bytes().iter().position(special) {
        out.write_str(&rest[..i])?;
        out.write_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        rest = &rest[i + 1..];
    }
    out.write_str(rest)
}

/// An SVG being drawn: patterns in `defs`, shapes in `body`.
struct Svg<'a> {
    id: &'a str,
    title: &'a str,
    /// All the figures as text, escaped once when the SVG is finished.
    desc: String,
    defs: String,
    body: String,
    /// Which patterns are in `defs`: one per palette entry, then the rest's.
    patterns: [bool; PALETTE.len() + 1],
}

/// A part's fill: a colour or one of the SVG's patterns.
#[derive(Clone, Copy)]
enum Fill<'a> {
    Colour(&'static str),
    /// The chart's id and the palette entry.
    Pattern(&'a str, usize),
    /// The grey cross-hatch of [`REST`], by the chart's id.
    Rest(&'a str),
}

impl Fill<'_> {
    fn push_onto(self, out: &mut String) {
        match self {
            Fill::Colour(colour) => out.push_str(colour),
            Fill::Pattern(id, i) => {
                push_all(out, &["url(#", id, "-p", &Printed::count(i as u64), ")"]);
            }
            Fill::Rest(id) => push_all(out, &["url(#", id, "-rest)"]),
        }
    }
}

impl<'a> Svg<'a> {
    fn new(id: &'a str, title: &'a str, desc: String) -> Svg<'a> {
        Svg {
            id,
            title,
            desc,
            defs: String::new(),
            body: String::with_capacity(4096),
            patterns: [false; PALETTE.len() + 1],
        }
    }

    /// The fill for a part's style: a colour, or a pattern over it (put into
    /// `defs` the first time); the grey cross-hatch for [`REST`].
    fn fill(&mut self, style: usize) -> Fill<'a> {
        if style == REST {
            return self.rest_fill();
        }
        let i = style % PALETTE.len();
        let (colour, pattern) = PALETTE[i];
        if pattern == Pattern::Solid {
            return Fill::Colour(colour);
        }
        if !self.patterns[i] {
            self.patterns[i] = true;
            let (id, n) = (self.id, Printed::count(i as u64));
            self.define(&[
                r#"<pattern id=""#,
                id,
                "-p",
                &n,
                r#"" class=""#,
                pattern.name(),
            ]);
            self.define(&[
                r#"" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill=""#,
                colour,
                r#""/>"#,
                pattern.marks(),
                "</pattern>",
            ]);
        }
        Fill::Pattern(self.id, i)
    }

    /// Adds `pieces` to `defs`, with room for all of a chart's patterns the
    /// first time (about 200 bytes each).
    fn define(&mut self, pieces: &[&str]) {
        if self.defs.is_empty() {
            self.defs.reserve(1024);
        }
        push_all(&mut self.defs, pieces);
    }

    fn rest_fill(&mut self) -> Fill<'a> {
        let drawn = &mut self.patterns[PALETTE.len()];
        if !*drawn {
            *drawn = true;
            let id = self.id;
            self.define(&[
                r#"<pattern id=""#,
                id,
                r#"-rest" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill=""#,
                UNKNOWN,
                r##""/><path d="M0 0l8 8M8 0l-8 8" stroke="#fff" stroke-width="1"/></pattern>"##,
            ]);
        }
        Fill::Rest(self.id)
    }

    /// A text element: `pieces` joined and escaped.
    fn text(&mut self, x: f64, y: f64, fill: &str, anchor: &str, pieces: &[&str]) {
        let b = &mut self.body;
        push_all(b, &[r#"<text x=""#, &px(x), r#"" y=""#, &px(y)]);
        push_all(b, &[r#"" fill=""#, fill, r#"" text-anchor=""#, anchor]);
        b.push_str(r#"">"#);
        for piece in pieces {
            push_esc(b, piece);
        }
        b.push_str("</text>");
    }

    fn caption(&mut self, y: f64, pieces: &[&str]) {
        self.text(0.0, y, MUTED, "start", pieces);
    }

    /// A stacked bar at `top`, each part in its style (the rest in grey cross-hatch).
    fn stack(&mut self, top: f64, bars: &[Bar]) {
        let whole: Decimal = bars.iter().map(|b| b.amount).sum();
        let mut acc = Decimal::ZERO;
        // Each part starts where the one before it ended: one division per edge.
        let mut x0 = ratio(acc, whole) * WIDTH;
        for b in bars {
            acc += b.amount;
            let x1 = ratio(acc, whole) * WIDTH;
            let w = x1 - x0;
            let fill = self.fill(b.style);
            let colour = match b.style {
                REST => UNKNOWN,
                style => PALETTE[style % PALETTE.len()].0,
            };
            let body = &mut self.body;
            let (x, y, width, height) = (px(x0), px(top), px(w), px(BAR));
            push_all(body, &[r#"<rect class="c-part" x=""#, &x, r#"" y=""#, &y]);
            push_all(body, &[r#"" width=""#, &width, r#"" height=""#, &height]);
            body.push_str(r#"" fill=""#);
            fill.push_onto(body);
            body.push_str(r##"" stroke="#fff" stroke-width="1"><title>"##);
            push_esc(body, b.label);
            push_all(body, &[" ", &b.figure, " 万元</title></rect>"]);
            // The figure inside its part when it fits, named if that fits too.
            let named = chars_width(b.label.chars().chain([' ']).chain(b.figure.chars()));
            let bare = text_width(&b.figure);
            let fits = |width: f64| width + 10.0 <= w;
            if fits(named) {
                self.label_inside(x0, w, top, colour, named, &[b.label, " ", &b.figure]);
            } else if fits(bare) {
                self.label_inside(x0, w, top, colour, bare, &[&b.figure]);
            }
            x0 = x1;
        }
    }

    /// A part's text (`width` wide) in the middle of the part, on a solid
    /// patch of the part's own colour so that white text keeps its contrast.
    fn label_inside(&mut self, x0: f64, w: f64, top: f64, colour: &str, width: f64, text: &[&str]) {
        let tw = width + 6.0;
        let cx = x0 + w / 2.0;
        let b = &mut self.body;
        let (x, y, patch) = (px(cx - tw / 2.0), px(top + 5.0), px(tw));
        push_all(b, &[r#"<rect x=""#, &x, r#"" y=""#, &y]);
        push_all(b, &[r#"" width=""#, &patch, r#"" height="18" fill=""#]);
        push_all(b, &[colour, r#""/>"#]);
        self.text(cx, top + 19.0, "#fff", "middle", text);
    }

    /// A legend line: a swatch with the part's colour and pattern, and its text.
    fn legend_entry(&mut self, y: f64, style: usize, text: &[&str]) {
        let fill = self.fill(style);
        let b = &mut self.body;
        push_all(b, &[r#"<rect class="c-swatch" x="0" y=""#, &px(y - 13.0)]);
        b.push_str(r#"" width="16" height="16" fill=""#);
        fill.push_onto(b);
        b.push_str(r#""/>"#);
        self.text(22.0, y, INK, "start", text);
    }

    fn finish(self, height: f64) -> String {
        let id = self.id;
        let size = 512 + self.title.len() + self.desc.len() + self.defs.len() + self.body.len();
        let mut out = String::with_capacity(size);
        let _ = write!(
            out,
            r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{id}" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {} {}" width="100%" font-size="{FONT}"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"##,
            px(WIDTH),
            px(height),
            Esc(self.title),
            Esc(&self.desc)
        );
        if !self.defs.is_empty() {
            out.push_str("<defs>");
            out.push_str(&self.defs);
            out.push_str("</defs>");
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
    let mut desc = format!("{title}：");
    for (i, s) in series.iter().enumerate() {
        if i > 0 {
            desc.push('；');
        }
        let _ = write!(desc, "{}：", s.label);
        for (j, (year, text, _)) in s.points.iter().enumerate() {
            if j > 0 {
                desc.push('，');
            }
            let _ = write!(desc, "{year}年 {text}{}", s.unit);
        }
    }
    desc.push('。');
    let mut svg = Svg::new(id, title, desc);
    let (left, right) = (24.0, WIDTH - 24.0);
    let mut y = 0.0;
    for s in &series {
        svg.caption(y + 14.0, &[&s.label, "（", &s.unit, "）"]);
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
                    svg.text(tx, cy - 8.0, INK, anchor, &[text]);
                }
                None => svg.text(tx, top + height / 2.0 + 4.0, UNKNOWN, anchor, &[text]),
            }
            let year = year.to_string();
            svg.text(tx, top + height + 20.0, MUTED, anchor, &[&year, "年"]);
        }
        y = top + height + 30.0;
    }
    Some(svg.finish(y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
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
            assert_eq!(px(v).as_str(), shown, "{v}");
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
        assert_eq!(px(12.0).as_str(), "12");
        assert_eq!(px(12.345).as_str(), "12.3");
        assert_eq!(px(0.04).as_str(), "0");
    }

    /// `px` and `esc` as they were, each making its own string: the
    /// reference for [`px`] and [`write_escaped`].
    mod before {
        pub fn px(v: f64) -> String {
            let tenths = (v * 10.0).round() as i64;
            let sign = if tenths < 0 { "-" } else { "" };
            let t = tenths.unsigned_abs();
            match t % 10 {
                0 => format!("{sign}{}", t / 10),
                d => format!("{sign}{}.{d}", t / 10),
            }
        }

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
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn coordinates_print_as_before(v in prop_oneof![
            proptest::num::f64::ANY,
            -1000.0..1000.0f64,
            // Multiples of 0.05: the ties of rounding to tenths.
            (-20_000i64..20_000).prop_map(|n| n as f64 * 0.05),
        ]) {
            let shown = px(v);
            prop_assert_eq!(shown.as_str(), before::px(v));
        }

        #[test]
        fn text_escapes_as_before(s in prop_oneof![
            any::<String>(),
            "[&<>\"'a-z 中文]{0,24}",
        ]) {
            prop_assert_eq!(esc(&s), before::esc(&s));
            prop_assert_eq!(Esc(&s).to_string(), before::esc(&s));
        }
    }
}
