//! Typed reading of TOML tables with spans, exact decimals and collected errors.
//!
//! serde stops at the first error and reads numbers through `f64`; clerks need
//! every mistake of a file in one run and money to the last digit. So data files
//! are parsed into toml's spanned document tree and read field by field here:
//! each accessor records what it found wrong and carries on.

use std::ops::Range;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::Diagnostic;
use crate::messages::{Lang, Msg, type_word};
use crate::source::{At, FileId, Span};

/// Where findings of one file are collected.
pub struct Ctx {
    pub file: FileId,
    /// Where the parsed text starts in the file (front matter sits after `+++`).
    pub offset: usize,
    pub lang: Lang,
    pub diags: Vec<Diagnostic>,
}

impl Ctx {
    pub fn new(file: FileId, lang: Lang) -> Self {
        Ctx {
            file,
            offset: 0,
            lang,
            diags: Vec::new(),
        }
    }

    pub fn span(&self, range: Range<usize>) -> Span {
        Span {
            file: self.file,
            range: range.start + self.offset..range.end + self.offset,
        }
    }

    pub fn t(&self, msg: Msg) -> String {
        msg.text(self.lang)
    }

    fn value_error(
        &mut self,
        rule: &'static str,
        msg: Msg,
        field: &str,
        at: Range<usize>,
        expected: &str,
        found: String,
    ) {
        let d = Diagnostic::error(rule, self.t(msg))
            .at(self.span(at), self.t(Msg::LabelThisValue))
            .field(field)
            .expected_found(type_word(self.lang, expected), found);
        self.diags.push(d);
    }
}

/// Parses a whole TOML document; a syntax error becomes a diagnostic.
pub fn parse_document<'i>(cx: &mut Ctx, text: &'i str) -> Option<Spanned<DeTable<'i>>> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Some(doc);
    }
    for e in errors {
        let range = e.span().unwrap_or(0..0);
        let detail = e.message().trim().to_string();
        let mut d = Diagnostic::error(
            "load.toml-syntax",
            cx.t(Msg::TomlSyntax { detail: &detail }),
        )
        .at(cx.span(range.clone()), cx.t(Msg::LabelHere));
        if let Some(key) = key_on_line(text, range.start) {
            d = d.field(key);
        }
        cx.diags.push(d);
    }
    None
}

/// The key of the `key = value` line holding byte `at`, if the line is one,
/// so that a syntax error in a value still names its field.
pub fn key_on_line(text: &str, at: usize) -> Option<String> {
    let at = (0..=at.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))?;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("");
    let eq = line.find('=')?;
    let key = line[..eq].trim();
    let bare = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let in_value = start + eq < at;
    (in_value && !key.is_empty() && key.chars().all(bare)).then(|| key.to_string())
}

/// A TOML table being read; remembers which keys were asked for so that
/// [`Table::finish`] can report the ones nobody knows.
pub struct Table<'a, 'i> {
    table: &'a DeTable<'i>,
    span: Range<usize>,
    /// How the table is named in messages, e.g. `[[project]] xlj-road`.
    pub name: String,
    /// Field path prefix, e.g. `project[xlj-road]`.
    pub path: String,
    known: Vec<&'static str>,
}

impl<'a, 'i> Table<'a, 'i> {
    pub fn new(table: &'a DeTable<'i>, span: Range<usize>, name: String, path: String) -> Self {
        Table {
            table,
            span,
            name,
            path,
            known: Vec::new(),
        }
    }

    /// The span of the whole table (its header, for arrays of tables).
    pub fn span(&self, cx: &Ctx) -> Span {
        cx.span(self.span.clone())
    }

    /// Renames the table once its id is known, so later messages name it well.
    pub fn rename(&mut self, kind: &str, id: &str) {
        self.name = format!("[[{kind}]] {id}");
        self.path = format!("{kind}[{id}]");
    }

    pub fn field_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// Keys present in the table, in source order.
    pub fn keys(&self) -> impl Iterator<Item = (&'a str, Range<usize>)> {
        self.table
            .iter()
            .map(|(k, _)| (k.get_ref().as_ref(), k.span()))
    }

    /// A value by key without marking it known (for tables whose keys are data).
    pub fn get_any(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.table.get(key)
    }

    pub fn raw(&mut self, key: &'static str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.known.push(key);
        self.table.get(key)
    }

    fn missing(&self, cx: &mut Ctx, key: &str) {
        let msg = cx.t(Msg::MissingField {
            field: key,
            table: &self.name,
        });
        let d = Diagnostic::error("load.missing-field", msg)
            .at(cx.span(self.span.clone()), cx.t(Msg::LabelThisTable))
            .field(self.field_path(key));
        cx.diags.push(d);
    }

    fn required<T>(
        &mut self,
        cx: &mut Ctx,
        key: &'static str,
        read: impl FnOnce(&mut Ctx, &str, &Spanned<DeValue<'i>>) -> Option<T>,
    ) -> Option<T> {
        match self.raw(key) {
            Some(v) => read(cx, &self.field_path(key), v),
            None => {
                self.missing(cx, key);
                None
            }
        }
    }

    fn optional<T>(
        &mut self,
        cx: &mut Ctx,
        key: &'static str,
        read: impl FnOnce(&mut Ctx, &str, &Spanned<DeValue<'i>>) -> Option<T>,
    ) -> Option<T> {
        let v = self.raw(key)?;
        read(cx, &self.field_path(key), v)
    }

    pub fn req_str(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<String>> {
        self.required(cx, key, read_str)
    }
    pub fn opt_str(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<String>> {
        self.optional(cx, key, read_str)
    }
    pub fn req_id(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<String>> {
        self.required(cx, key, read_id)
    }
    pub fn opt_id(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<String>> {
        self.optional(cx, key, read_id)
    }
    pub fn opt_id_list(&mut self, cx: &mut Ctx, key: &'static str) -> Vec<At<String>> {
        self.optional(cx, key, |cx, f, v| read_list(cx, f, v, read_id))
            .unwrap_or_default()
    }
    pub fn opt_str_list(&mut self, cx: &mut Ctx, key: &'static str) -> Vec<At<String>> {
        self.optional(cx, key, |cx, f, v| read_list(cx, f, v, read_str))
            .unwrap_or_default()
    }
    pub fn req_count(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<u64>> {
        self.required(cx, key, read_count)
    }
    pub fn opt_count(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<u64>> {
        self.optional(cx, key, read_count)
    }
    pub fn req_year(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<i32>> {
        self.required(cx, key, read_year)
    }
    pub fn opt_year(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<i32>> {
        self.optional(cx, key, read_year)
    }
    /// An amount or measure that may not be negative (money, areas, rates).
    pub fn req_amount(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<Decimal>> {
        self.required(cx, key, read_amount)
    }
    pub fn opt_amount(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<Decimal>> {
        self.optional(cx, key, read_amount)
    }
    pub fn opt_bool(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<bool>> {
        self.optional(cx, key, read_bool)
    }
    pub fn req_date(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<NaiveDate>> {
        self.required(cx, key, read_date)
    }
    pub fn opt_date(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<NaiveDate>> {
        self.optional(cx, key, read_date)
    }
    pub fn opt_integer(&mut self, cx: &mut Ctx, key: &'static str) -> Option<At<i64>> {
        self.optional(cx, key, read_integer)
    }

    /// A value that must be one of `allowed` (e.g. a level or a status).
    pub fn req_choice<T: Copy>(
        &mut self,
        cx: &mut Ctx,
        key: &'static str,
        allowed: &[(&str, T)],
    ) -> Option<At<T>> {
        self.required(cx, key, |cx, f, v| read_choice(cx, f, v, allowed))
    }
    pub fn opt_choice<T: Copy>(
        &mut self,
        cx: &mut Ctx,
        key: &'static str,
        allowed: &[(&str, T)],
    ) -> Option<At<T>> {
        self.optional(cx, key, |cx, f, v| read_choice(cx, f, v, allowed))
    }

    /// A sub-table, e.g. `[project.funds]` or an inline `{ ... }`.
    pub fn opt_table(&mut self, cx: &mut Ctx, key: &'static str) -> Option<Table<'a, 'i>> {
        let v = self.raw(key)?;
        let path = self.field_path(key);
        match v.get_ref() {
            DeValue::Table(t) => Some(Table::new(
                t,
                v.span(),
                format!("{}.{key}", self.name),
                path,
            )),
            other => {
                let found = describe(cx.lang, other);
                cx.value_error(
                    "load.wrong-type",
                    Msg::WrongType { field: &path },
                    &path,
                    v.span(),
                    "table",
                    found,
                );
                None
            }
        }
    }

    pub fn req_table(&mut self, cx: &mut Ctx, key: &'static str) -> Option<Table<'a, 'i>> {
        if self.table.get(key).is_none() {
            self.known.push(key);
            self.missing(cx, key);
            return None;
        }
        self.opt_table(cx, key)
    }

    /// An array of tables, e.g. `[[programme.share]]` or `[{...}, {...}]`.
    pub fn opt_tables(&mut self, cx: &mut Ctx, key: &'static str) -> Vec<Table<'a, 'i>> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        let path = self.field_path(key);
        let name = format!("{}.{key}", self.name);
        tables_of(cx, v, &path, &name)
    }

    /// Reports every key no accessor asked for, with a suggestion when one is close.
    pub fn finish(self, cx: &mut Ctx) {
        for (key, range) in self.keys() {
            if self.known.contains(&key) {
                continue;
            }
            if crate::gate::individual::is_personal_field(key)
                || crate::gate::individual::is_individual_kind(key)
            {
                let d = Diagnostic::error(
                    "privacy.individual-record",
                    cx.t(Msg::IndividualField { field: key }),
                )
                .at(cx.span(range), cx.t(Msg::LabelHere))
                .field(self.field_path(key))
                .hint(cx.t(Msg::IndividualHint));
                cx.diags.push(d);
                continue;
            }
            let msg = cx.t(Msg::UnknownField {
                field: key,
                table: &self.name,
            });
            let mut d = Diagnostic::error("load.unknown-field", msg)
                .at(cx.span(range), cx.t(Msg::LabelHere))
                .field(self.field_path(key));
            let mut known = self.known.clone();
            known.sort_unstable();
            known.dedup();
            d.expected = Some(known.join(", "));
            d.found = Some(key.to_string());
            if let Some(s) = closest(key, &known) {
                d.hint = Some(cx.t(Msg::DidYouMean { suggestion: s }));
            }
            cx.diags.push(d);
        }
    }
}

/// Reads a value that must be an array of tables.
pub fn tables_of<'a, 'i>(
    cx: &mut Ctx,
    v: &'a Spanned<DeValue<'i>>,
    path: &str,
    name: &str,
) -> Vec<Table<'a, 'i>> {
    match v.get_ref() {
        DeValue::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item.get_ref() {
                    DeValue::Table(t) => out.push(Table::new(
                        t,
                        item.span(),
                        format!("{name} #{}", i + 1),
                        format!("{path}[{i}]"),
                    )),
                    other => {
                        let found = describe(cx.lang, other);
                        cx.value_error(
                            "load.wrong-type",
                            Msg::WrongType { field: path },
                            path,
                            item.span(),
                            "table",
                            found,
                        );
                    }
                }
            }
            out
        }
        other => {
            let found = describe(cx.lang, other);
            cx.value_error(
                "load.wrong-type",
                Msg::WrongType { field: path },
                path,
                v.span(),
                "array",
                found,
            );
            Vec::new()
        }
    }
}

fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Describes a found value for "found: ..." in messages.
pub fn describe(lang: Lang, v: &DeValue) -> String {
    let (ty, shown) = match v {
        DeValue::String(s) => ("string", format!("\"{s}\"")),
        DeValue::Integer(i) => ("integer", i.as_str().to_string()),
        DeValue::Float(f) => ("float", f.as_str().to_string()),
        DeValue::Boolean(b) => ("boolean", b.to_string()),
        DeValue::Datetime(d) => ("datetime", d.to_string()),
        DeValue::Array(_) => ("array", String::new()),
        DeValue::Table(_) => ("table", String::new()),
    };
    let word = type_word(lang, ty);
    if shown.is_empty() {
        word
    } else {
        format!("{word} {shown}")
    }
}

fn wrong(cx: &mut Ctx, field: &str, v: &Spanned<DeValue>, expected: &str) {
    let found = describe(cx.lang, v.get_ref());
    cx.value_error(
        "load.wrong-type",
        Msg::WrongType { field },
        field,
        v.span(),
        expected,
        found,
    );
}

pub fn read_str(cx: &mut Ctx, field: &str, v: &Spanned<DeValue>) -> Option<At<String>> {
    match v.get_ref() {
        DeValue::String(s) => Some(At::new(s.to_string(), cx.span(v.span()))),
        _ => {
            wrong(cx, field, v, "string");
            None
        }
    }
}

/// The longest id, and the longest part of a document's id path, in bytes:
/// ids become folder names, which systems limit to 255 bytes.
pub const MAX_ID_BYTES: usize = 100;

/// The longest whole id path of a document, in bytes.
pub const MAX_ID_PATH_BYTES: usize = 200;

/// Whether `s` is a valid id: lowercase ASCII letters, digits and `-`, at
/// most [`MAX_ID_BYTES`], and not a name Windows reserves for devices.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID_BYTES
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !is_reserved_name(s)
}

/// `con`, `nul`, `com1`, `lpt1.txt`...: names Windows gives to devices,
/// which cannot be folders there.
pub fn is_reserved_name(part: &str) -> bool {
    let stem = part.split('.').next().unwrap_or(part).to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

/// Whether `s` is a valid id path of a document (`longtuo/work-plan-2020`,
/// `龙沱乡/计划`): parts separated by `/`, each made of letters (Chinese
/// too), digits, `-`, `_` and `.`, not starting or ending with `.`, at most
/// [`MAX_ID_BYTES`] each and [`MAX_ID_PATH_BYTES`] in all, and no part a
/// reserved device name. Such a path never leaves the output folder.
pub fn is_id_path(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID_PATH_BYTES
        && s.split('/').all(|part| {
            !part.is_empty()
                && part.len() <= MAX_ID_BYTES
                && !part.starts_with('.')
                && !part.ends_with('.')
                && part
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
                && !is_reserved_name(part)
        })
}

pub fn read_id(cx: &mut Ctx, field: &str, v: &Spanned<DeValue>) -> Option<At<String>> {
    let s = read_str(cx, field, v)?;
    if is_id(&s.value) {
        return Some(s);
    }
    let d = Diagnostic::error("load.bad-id", cx.t(Msg::NotAnId { field }))
        .at(s.span.clone(), cx.t(Msg::LabelThisValue))
        .field(field)
        .expected_found(type_word(cx.lang, "id"), found_id(&s.value))
        .hint(cx.t(Msg::IdHint));
    cx.diags.push(d);
    None
}

/// A refused id as shown after "found": quoted, its length when too long.
pub fn found_id(s: &str) -> String {
    if s.len() > MAX_ID_BYTES {
        let cut = crate::diag::clip(s, 40);
        format!("\"{cut}…\" ({} bytes)", s.len())
    } else {
        format!("\"{}\"", crate::diag::escape_controls(s))
    }
}

fn read_list<T>(
    cx: &mut Ctx,
    field: &str,
    v: &Spanned<DeValue>,
    read: fn(&mut Ctx, &str, &Spanned<DeValue>) -> Option<T>,
) -> Option<Vec<T>> {
    match v.get_ref() {
        DeValue::Array(items) => Some(
            items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| read(cx, &format!("{field}[{i}]"), item))
                .collect(),
        ),
        _ => {
            wrong(cx, field, v, "array");
            None
        }
    }
}

fn read_integer(cx: &mut Ctx, field: &str, v: &Spanned<DeValue>) -> Option<At<i64>> {
    match v.get_ref() {
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Some(At::new(n, cx.span(v.span()))),
            Err(_) => {
                wrong(cx, field, v, "integer");
                None
            }
        },
        _ => {
            wrong(cx, field, v, "integer");
            None
        }
    }
}

pub fn read_count(cx: &mut Ctx, field: &str, v: &Spanned<DeValue>) -> Option<At<u64>> {
    if !matches!(v.get_ref(), DeValue::Integer(_)) {
        wrong(cx, field, v, "count");
        let hint = match v.get_ref() {
            DeValue::String(s) => number_hint(cx, field, s, true).or_else(|| {
                let t = s.trim();
                (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then(|| {
                    cx.t(Msg::NumberHint {
                        write: t,
                        grouped: false,
                        unit: None,
                        as_wan: None,
                    })
                })
            }),
            _ => None,
        };
        if let (Some(hint), Some(d)) = (hint, cx.diags.last_mut()) {
            d.hint = Some(hint);
        }
        return None;
    }
    let n = read_integer(cx, field, v)?;
    if n.value < 0 {
        negative(cx, field, v, &n.value.to_string());
        return None;
    }
    if n.value as u64 > MAX_COUNT {
        too_large(cx, field, v, &n.value.to_string(), MAX_COUNT);
        return None;
    }
    Some(At::new(n.value as u64, n.span))
}

/// The largest amount accepted (万元): far above any real budget
/// (10^15 万元 is 10^19 yuan), and low enough that no sum or product of
/// figures the checker and the pages make can overflow: a million such
/// amounts add up to 10^21, a `Decimal` holds 7.9 × 10^28.
pub const MAX_AMOUNT: u64 = 1_000_000_000_000_000;

/// The largest count accepted (households, people, labour days...): a
/// million of them add up to 10^18, which a `u64` holds; times the largest
/// amount, 10^27, which a `Decimal` holds.
pub const MAX_COUNT: u64 = 1_000_000_000_000;

fn too_large(cx: &mut Ctx, field: &str, v: &Spanned<DeValue>, shown: &str, max: u64) {
    let d = Diagnostic::error("limit.figure", cx.t(Msg::FigureTooLarge { field }))
        .at(cx.span(v.span()), cx.t(Msg::LabelThisValue))
        .field(field)
        .expected_found(
            format!("<= {max}"),
            crate::diag::clip(shown, 60).to_string(),
        );
    cx.diags.push(d);
}

fn negative(cx: &mut Ctx, field: &str, v: &Spanned<DeValue>, shown: &str) {
    let d = Diagnostic::error("counts.negative", cx.t(Msg::Negative { field }))
        .at(cx.span(v.span()), cx.t(Msg::LabelThisValue))
        .field(field)
        .expected_found(">= 0", shown.to_string());
    cx.diags.push(d);
}

fn read_year(cx: &mut Ctx, field: &str, v: &Spanned<DeValue>) -> Option<At<i32>> {
    let n = read_integer(cx, field, v);
    match n {
        Some(n) if (1949..=2100).contains(&n.value) => Some(At::new(n.value as i32, n.span)),
        Some(n) => {
            cx.value_error(
                "load.bad-year",
                Msg::BadDate { field },
                field,
                v.span(),
                "year",
                n.value.to_string(),
            );
            None
        }
        None => None,
    }
}

/// Parses the literal's own text, so `899.040` keeps its scale and no digit
/// ever passes through floating point.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim().trim_start_matches('+').replace(['_', ','], "");
    if t.is_empty() || t.contains(['i', 'n', 'I', 'N']) {
        return None;
    }
    if t.contains(['e', 'E']) {
        return Decimal::from_scientific(&t).ok();
    }
    Decimal::from_str(&t).ok()
}

pub fn read_amount(cx: &mut Ctx, field: &str, v: &Spanned<DeValue>) -> Option<At<Decimal>> {
    let text = match v.get_ref() {
        DeValue::Integer(i) if i.radix() == 10 => i.as_str().to_string(),
        DeValue::Float(f) => f.as_str().to_string(),
        DeValue::String(s) => s.to_string(),
        _ => {
            wrong(cx, field, v, "number");
            return None;
        }
    };
    let extras = match v.get_ref() {
        DeValue::String(s) => number_hint(cx, field, s, false),
        _ => None,
    };
    let parsed = if extras.is_some() {
        None
    } else {
        parse_decimal(&text)
    };
    let Some(d) = parsed else {
        let found = describe(cx.lang, v.get_ref());
        cx.value_error(
            "load.bad-number",
            Msg::BadNumber { field },
            field,
            v.span(),
            "number",
            found,
        );
        if let (Some(hint), Some(d)) = (extras, cx.diags.last_mut()) {
            d.hint = Some(hint);
        }
        return None;
    };
    if d.is_sign_negative() && !d.is_zero() {
        negative(cx, field, v, &text);
        return None;
    }
    if d > Decimal::from(MAX_AMOUNT) {
        too_large(cx, field, v, &text, MAX_AMOUNT);
        return None;
    }
    Some(At::new(d, cx.span(v.span())))
}

fn read_bool(cx: &mut Ctx, field: &str, v: &Spanned<DeValue>) -> Option<At<bool>> {
    match v.get_ref() {
        DeValue::Boolean(b) => Some(At::new(*b, cx.span(v.span()))),
        DeValue::String(s) if yes_no(s).is_some() => {
            yes_no(s).map(|b| At::new(b, cx.span(v.span())))
        }
        _ => {
            wrong(cx, field, v, "boolean");
            None
        }
    }
}

pub fn read_date(cx: &mut Ctx, field: &str, v: &Spanned<DeValue>) -> Option<At<NaiveDate>> {
    let date = match v.get_ref() {
        DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt
            .date
            .and_then(|d| NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)),
        DeValue::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
        _ => None,
    };
    match date {
        Some(d) => Some(At::new(d, cx.span(v.span()))),
        None => {
            let found = describe(cx.lang, v.get_ref());
            let d = Diagnostic::error("load.bad-date", cx.t(Msg::BadDate { field }))
                .at(cx.span(v.span()), cx.t(Msg::LabelThisValue))
                .field(field)
                .expected_found(type_word(cx.lang, "date"), found)
                .hint(cx.t(Msg::DateHint));
            cx.diags.push(d);
            None
        }
    }
}

fn read_choice<T: Copy>(
    cx: &mut Ctx,
    field: &str,
    v: &Spanned<DeValue>,
    allowed: &[(&str, T)],
) -> Option<At<T>> {
    let s = read_str(cx, field, v)?;
    let written = s.value.trim();
    if let Some((_, t)) = allowed.iter().find(|(name, _)| *name == written) {
        return Some(At::new(*t, s.span));
    }
    // Codes are ASCII; the Chinese names and synonyms follow them.
    let (codes, names): (Vec<&str>, Vec<&str>) =
        allowed.iter().map(|(n, _)| *n).partition(|n| n.is_ascii());
    let mut expected = codes.join(" | ");
    if !names.is_empty() {
        expected = cx.t(Msg::CodesOrNames {
            codes: &expected,
            names: &names.join(" | "),
        });
    }
    let d = Diagnostic::error("load.not-allowed", cx.t(Msg::NotOneOf { field }))
        .at(s.span, cx.t(Msg::LabelThisValue))
        .field(field)
        .expected_found(expected, format!("\"{}\"", s.value));
    cx.diags.push(d);
    None
}

/// 是/否 and the synonyms clerks write for yes/no fields (通水 "已通"...).
pub const YES_NO: &[(&str, bool)] = &[
    ("是", true),
    ("否", false),
    ("有", true),
    ("无", false),
    ("已通", true),
    ("未通", false),
];

/// A yes/no written in Chinese, spaces around it ignored.
pub fn yes_no(s: &str) -> Option<bool> {
    let s = s.trim();
    YES_NO.iter().find(|(w, _)| *w == s).map(|&(_, b)| b)
}

/// What a number written with a unit, a percent sign or thousands
/// separators should have been: `"6,300"` → `6300`, `"16.30万元"` →
/// `16.30`, with the unit that was dropped. `None` when the text is not
/// such a number. Exact: the digits are kept as written.
pub fn number_with_extras(text: &str) -> Option<(Decimal, Option<&'static str>, bool)> {
    let t = text.trim();
    let units = [
        "万元",
        "元",
        "%",
        "％",
        "户",
        "人",
        "个",
        "亩",
        "公里",
        "千米",
        "米",
        "平方米",
        "天",
        "次",
    ];
    let (t, unit) = units
        .iter()
        .find_map(|u| t.strip_suffix(u).map(|r| (r.trim_end(), Some(*u))))
        .unwrap_or((t, None));
    let grouped = t.contains([',', '，']);
    if unit.is_none() && !grouped {
        return None;
    }
    let digits = t.replace([',', '，'], "");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    if grouped && !well_grouped(t) {
        return None;
    }
    let d = Decimal::from_str(&digits).ok()?;
    Some((d, unit.map(|u| if u == "％" { "%" } else { u }), grouped))
}

/// `6,300` or `1,234,567.5`: groups of three before the point.
fn well_grouped(t: &str) -> bool {
    let int = t.split('.').next().unwrap_or(t);
    let groups: Vec<&str> = int.split([',', '，']).collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
}

/// The hint for a number written with extras, e.g. "写成 6300，不要千分位逗号".
/// In a money field (万元) a figure written in 元 is also given in 万元.
fn number_hint(cx: &Ctx, field: &str, text: &str, count: bool) -> Option<String> {
    let (d, unit, grouped) = number_with_extras(text)?;
    if count && d.scale() > 0 {
        return None;
    }
    let money = field.contains("funds") && !field.ends_with("labour_rate") && !count;
    let as_wan =
        (money && unit == Some("元")).then(|| (d / Decimal::from(10_000)).normalize().to_string());
    Some(cx.t(Msg::NumberHint {
        write: &d.to_string(),
        grouped,
        unit,
        as_wan: as_wan.as_deref(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_their_written_scale() {
        assert_eq!(parse_decimal("899.040").unwrap().to_string(), "899.040");
        assert_eq!(parse_decimal("1_011").unwrap().to_string(), "1011");
        assert_eq!(
            parse_decimal("12345678901234.56").unwrap().to_string(),
            "12345678901234.56"
        );
        assert!(parse_decimal("nan").is_none());
        assert!(parse_decimal("abc").is_none());
    }

    #[test]
    fn syntax_errors_name_the_key_of_their_line() {
        let text = "[[area]]\nid = \"x\"\ndate = 2020-02-30\n";
        let at = text.find("2020").unwrap();
        assert_eq!(key_on_line(text, at).as_deref(), Some("date"));
        assert_eq!(key_on_line(text, 0), None);
        assert_eq!(key_on_line("name = \"a\nb", 8).as_deref(), Some("name"));
    }

    proptest::proptest! {
        /// Any figure, grouped in thousands and/or followed by a unit, is
        /// recognised and given back with every digit it was written with.
        #[test]
        fn numbers_with_extras_keep_every_digit(
            int in 0u64..10_000_000_000,
            frac in proptest::option::of("[0-9]{1,4}"),
            unit in proptest::option::of(proptest::sample::select(vec!["元", "万元", "%", "户", "亩"])),
            grouped in proptest::bool::ANY,
        ) {
            let plain = match &frac {
                Some(f) => format!("{int}.{f}"),
                None => int.to_string(),
            };
            let digits = int.to_string();
            let mut written = String::new();
            for (i, c) in digits.chars().enumerate() {
                if grouped && i > 0 && (digits.len() - i) % 3 == 0 {
                    written.push(',');
                }
                written.push(c);
            }
            if let Some(f) = &frac {
                written.push('.');
                written.push_str(f);
            }
            written.push_str(unit.unwrap_or(""));
            let has_comma = written.contains(',');
            let got = number_with_extras(&written);
            if unit.is_none() && !has_comma {
                proptest::prop_assert!(got.is_none());
            } else {
                let (d, u, g) = got.unwrap();
                proptest::prop_assert_eq!(d.to_string(), plain);
                proptest::prop_assert_eq!(u, unit);
                proptest::prop_assert_eq!(g, has_comma);
            }
        }
    }

    #[test]
    fn badly_grouped_or_worded_numbers_are_not_guessed() {
        for t in [
            "6,30",
            "63,00",
            ",630",
            "6,300,0",
            "abc元",
            "元",
            "1.2.3万元",
            "-5元",
            "6,300 元多",
        ] {
            assert!(number_with_extras(t).is_none(), "{t}");
        }
        assert_eq!(yes_no(" 是 "), Some(true));
        assert_eq!(yes_no("未通"), Some(false));
        assert_eq!(yes_no("对"), None);
    }

    #[test]
    fn unknown_field_suggests_the_closest_known_one() {
        assert_eq!(closest("totl", &["total", "cash"]), Some("total"));
        assert_eq!(closest("zzzzzz", &["total", "cash"]), None);
    }
}
