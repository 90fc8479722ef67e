//! Shortcodes in documents: every one is known, well written, and names a
//! record that exists (and has the figures it would show). Reported with the
//! document's file, line and column, like any other finding.

use std::ops::Range;

use super::Checker;
use crate::diag::Diagnostic;
use crate::messages::{Lang, Msg};
use crate::model::Page;
use crate::rule::RuleId;
use crate::shortcode::{self, Found, KNOWN, Shortcode, SyntaxError};
use crate::source::Span;

///
/// In the preview, a document that had no shortcode at the last run and
/// whose file is unchanged is not read again: only its text can give it
/// findings. Looking for `{{<` in every document of a province took 13 ms
/// of each edit. Documents with shortcodes are read on every run, since a
/// shortcode can name any record.
pub fn check(c: &mut Checker) {
    let pages = &c.portal.pages;
    let Some(kept) = c.kept.as_deref_mut() else {
        c.each_page_in_parallel(check_page);
        return;
    };
    let mut free = std::mem::take(&mut kept.shortcode_free);
    let dirty = &kept.dirty;
    if dirty.all {
        free.clear();
    }
    let read: Vec<&Page> = pages
        .iter()
        .filter(|p| dirty.file(p.file) || !free.contains(&p.file))
        .collect();
    c.each_in_parallel(&read, |c, page| check_page(c, page));
    for page in read {
        if page.body.contains("{{<") {
            free.remove(&page.file);
        } else {
            free.insert(page.file);
        }
    }
    if let Some(kept) = c.kept.as_deref_mut() {
        kept.shortcode_free = free;
    }
}

/// Checks the shortcodes of one document (also run alone by the preview
/// server when only that document's body changed).
pub fn check_page(c: &mut Checker, page: &Page) {
    if !page.body.contains("{{<") {
        return;
    }
    let span = |r: Range<usize>| Span {
        file: page.file,
        range: page.body_offset + r.start..page.body_offset + r.end,
    };
    for found in shortcode::find(&page.body) {
        match found {
            Found::Inline { at } => {
                let d = Diagnostic::error(RuleId::ShortcodeSyntax, c.t(Msg::ShortcodeInline))
                    .at(span(at), c.t(Msg::LabelHere))
                    .hint(c.t(Msg::ShortcodeHint));
                c.report(d);
            }
            Found::Block {
                range,
                parsed: Err(e),
            } => {
                let msg = match &e {
                    SyntaxError::Unclosed => Msg::ShortcodeUnclosed,
                    SyntaxError::BadName => Msg::ShortcodeBadName,
                    SyntaxError::BadParam(text) => Msg::ShortcodeBadParam { text },
                    SyntaxError::Repeated(key) => Msg::ShortcodeRepeated { key },
                };
                let d = Diagnostic::error(RuleId::ShortcodeSyntax, c.t(msg))
                    .at(span(trimmed(&page.body, range)), c.t(Msg::LabelHere))
                    .hint(c.t(Msg::ShortcodeHint));
                c.report(d);
            }
            Found::Block {
                range,
                parsed: Ok(sc),
            } => {
                let whole = span(trimmed(&page.body, range));
                check_call(c, &sc, whole, &span);
            }
            Found::InlineCall { range, parsed } => {
                check_inline_found(c, parsed, span(range), &span);
            }
        }
    }
}

/// Checks one inline shortcode (`figure`, `known`) found in a document or a
/// summary: `whole` is where it is written, `span` maps its offsets.
pub(super) fn check_inline_found(
    c: &mut Checker,
    parsed: Result<Shortcode, SyntaxError>,
    whole: Span,
    span: &dyn Fn(Range<usize>) -> Span,
) {
    let sc = match parsed {
        Ok(sc) => sc,
        Err(e) => {
            let msg = match &e {
                SyntaxError::Unclosed => Msg::ShortcodeUnclosed,
                SyntaxError::BadName => Msg::ShortcodeBadName,
                SyntaxError::BadParam(text) => Msg::ShortcodeBadParam { text },
                SyntaxError::Repeated(key) => Msg::ShortcodeRepeated { key },
            };
            let d = Diagnostic::error(RuleId::ShortcodeSyntax, c.t(msg))
                .at(whole, c.t(Msg::LabelHere))
                .hint(c.t(Msg::FigureShortcodeHint));
            c.report(d);
            return;
        }
    };
    let allowed = shortcode::INLINE
        .iter()
        .find(|(n, _)| *n == sc.name)
        .map_or(&[][..], |(_, a)| *a);
    for p in &sc.params {
        if !allowed.contains(&p.key.as_str()) {
            let list = allowed.join(zh_en(c, "、", ", "));
            let msg = Msg::ShortcodeParamUnknown {
                name: &sc.name,
                param: &p.key,
                allowed: &list,
            };
            let d = Diagnostic::error(RuleId::ShortcodeSyntax, c.t(msg))
                .at(span(p.range.clone()), c.t(Msg::LabelHere))
                .expected_found(list.clone(), p.key.clone())
                .hint(c.t(Msg::FigureShortcodeHint));
            c.report(d);
            return;
        }
    }
    let missing = |c: &mut Checker, params: &str| {
        let d = Diagnostic::error(
            RuleId::ShortcodeSyntax,
            c.t(Msg::ShortcodeParamMissing {
                name: &sc.name,
                params,
            }),
        )
        .at(whole.clone(), c.t(Msg::LabelHere))
        .hint(c.t(Msg::FigureShortcodeHint));
        c.report(d);
    };
    if sc.name == "known" {
        for key in ["figure", "reason"] {
            if sc.get(key).is_none_or(|v| v.trim().is_empty()) {
                missing(c, key);
            }
        }
        return;
    }
    let given: Vec<&str> = ["programme", "project", "area"]
        .into_iter()
        .filter(|k| sc.get(k).is_some())
        .collect();
    if given.len() != 1 {
        missing(c, "programme | project | area");
        return;
    }
    let Some(field) = sc.get("field") else {
        missing(c, "field");
        return;
    };
    let kind = given[0];
    let id = sc.get(kind).unwrap_or_default();
    let param = |key: &str| {
        sc.params
            .iter()
            .find(|p| p.key == key)
            .map_or(whole.clone(), |p| span(p.range.clone()))
    };
    match crate::model::figures::lookup(c.portal, c.ix, kind, id, field) {
        Err(crate::model::figures::NoRecord) => {
            let (zh, en) = match kind {
                "programme" => ("项目计划", "programme"),
                "project" => ("项目", "project"),
                _ => ("区域", "area"),
            };
            let kind_text = zh_en(c, zh, en).to_string();
            let d = Diagnostic::error(
                RuleId::ShortcodeResolve,
                c.t(Msg::UnknownRef {
                    kind: &kind_text,
                    id,
                }),
            )
            .at(param(kind), c.t(Msg::LabelThisValue))
            .field(format!("figure.{kind}"))
            .expected_found(
                zh_en(c, "已有的编号", "an existing id").to_string(),
                format!("\"{id}\""),
            );
            c.report(d);
        }
        Ok(None) => {
            let keys = crate::model::figures::keys_of(kind).join(" | ");
            let d = Diagnostic::error(
                RuleId::ShortcodeResolve,
                c.t(Msg::FigureNoField { id, field }),
            )
            .at(param("field"), c.t(Msg::LabelThisValue))
            .field("figure.field")
            .expected_found(keys, format!("\"{field}\""))
            .hint(c.t(Msg::FigureShortcodeHint));
            c.report(d);
        }
        Ok(Some(_)) => {}
    }
}

fn trimmed(body: &str, range: Range<usize>) -> Range<usize> {
    let text = &body[range.clone()];
    let start = range.start + (text.len() - text.trim_start().len());
    start..start + text.trim().len()
}

fn zh_en<'s>(c: &Checker, zh: &'s str, en: &'s str) -> &'s str {
    match c.lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn check_call(c: &mut Checker, sc: &Shortcode, whole: Span, span: &dyn Fn(Range<usize>) -> Span) {
    let Some((_, allowed)) = KNOWN.iter().find(|(n, _)| *n == sc.name) else {
        let known = KNOWN
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(zh_en(c, "、", ", "));
        let d = Diagnostic::error(
            RuleId::ShortcodeUnknown,
            c.t(Msg::ShortcodeUnknown {
                name: &sc.name,
                known: &known,
            }),
        )
        .at(whole, c.t(Msg::LabelHere))
        .expected_found(known.clone(), sc.name.clone())
        .hint(c.t(Msg::ShortcodeHint));
        c.report(d);
        return;
    };
    let mut ok = true;
    for p in &sc.params {
        if !allowed.contains(&p.key.as_str()) {
            let list = allowed.join(zh_en(c, "、", ", "));
            let msg = Msg::ShortcodeParamUnknown {
                name: &sc.name,
                param: &p.key,
                allowed: &list,
            };
            let d = Diagnostic::error(RuleId::ShortcodeSyntax, c.t(msg))
                .at(span(p.range.clone()), c.t(Msg::LabelHere))
                .expected_found(list.clone(), p.key.clone());
            c.report(d);
            ok = false;
        }
    }
    if !ok {
        return;
    }
    // The record parameter: exactly one of the first alternatives.
    let (choices, required): (&[&str], bool) = match sc.name.as_str() {
        "funds" => (&["programme", "project"], true),
        "projects" => (&["programme", "area"], true),
        "indicators" => (&["village"], true),
        _ => (&["area"], true),
    };
    let given: Vec<&str> = choices
        .iter()
        .copied()
        .filter(|k| sc.get(k).is_some())
        .collect();
    let list = choices.join(" | ");
    if given.is_empty() && required {
        let d = Diagnostic::error(
            RuleId::ShortcodeSyntax,
            c.t(Msg::ShortcodeParamMissing {
                name: &sc.name,
                params: &list,
            }),
        )
        .at(whole, c.t(Msg::LabelHere))
        .hint(c.t(Msg::ShortcodeHint));
        c.report(d);
        return;
    }
    if given.len() > 1 {
        let d = Diagnostic::error(
            RuleId::ShortcodeSyntax,
            c.t(Msg::ShortcodeParamConflict {
                name: &sc.name,
                params: &list,
            }),
        )
        .at(whole, c.t(Msg::LabelHere));
        c.report(d);
        return;
    }
    let key = given[0];
    let param = sc.params.iter().find(|p| p.key == key).expect("given");
    let id = param.value.as_str();
    let at = span(param.range.clone());
    let missing = |c: &mut Checker, kind_zh: &str, kind_en: &str| {
        let kind = zh_en(c, kind_zh, kind_en).to_string();
        let expected = match c.lang {
            Lang::Zh => format!("已有的{kind_zh}编号"),
            Lang::En => format!("an existing {kind_en} id"),
        };
        let d = Diagnostic::error(
            RuleId::ShortcodeResolve,
            c.t(Msg::UnknownRef { kind: &kind, id }),
        )
        .at(at.clone(), c.t(Msg::LabelThisValue))
        .field(format!("{}.{key}", sc.name))
        .expected_found(expected, format!("\"{id}\""));
        c.report(d);
    };
    let year = match sc.get("year").map(|y| (y, y.parse::<i32>())) {
        None => None,
        Some((_, Ok(y))) if (1949..=2200).contains(&y) => Some(y),
        Some((text, _)) => {
            let p = sc.params.iter().find(|p| p.key == "year").expect("given");
            let expected = zh_en(c, "四位数的年份，例如 2020", "a four-digit year, e.g. 2020");
            let msg = Msg::ShortcodeBadValue {
                param: "year",
                value: text,
                expected,
            };
            let d = Diagnostic::error(RuleId::ShortcodeSyntax, c.t(msg))
                .at(span(p.range.clone()), c.t(Msg::LabelThisValue));
            c.report(d);
            return;
        }
    };
    match (sc.name.as_str(), key) {
        ("funds", "programme") => match c.ix.programmes.get(id) {
            None => missing(c, "项目计划", "programme"),
            Some(&i) if c.portal.programmes[i].funds.is_none() => {
                let d = Diagnostic::error(
                    RuleId::ShortcodeResolve,
                    c.t(Msg::ShortcodeNoFunds { programme: id }),
                )
                .at(at.clone(), c.t(Msg::LabelThisValue))
                .at(c.portal.programmes[i].id.span.clone(), id.to_string());
                c.report(d);
            }
            Some(_) => {}
        },
        ("funds", _) => {
            if !c.ix.projects.contains_key(id) {
                missing(c, "项目", "project");
            }
        }
        ("projects", "programme") => {
            if !c.ix.programmes.contains_key(id) {
                missing(c, "项目计划", "programme");
            }
        }
        ("indicators", _) => {
            if !c.ix.areas.contains_key(id) {
                missing(c, "区域", "area");
                return;
            }
            let has = c
                .portal
                .exits
                .iter()
                .any(|e| e.area.value == id && year.is_none_or(|y| e.year.value == y));
            if !has {
                let year_text = match (year, c.lang) {
                    (Some(y), Lang::Zh) => format!(" {y} 年的"),
                    (None, Lang::Zh) => String::new(),
                    (Some(y), Lang::En) => format!(" for {y}"),
                    (None, Lang::En) => String::new(),
                };
                let d = Diagnostic::error(
                    RuleId::ShortcodeResolve,
                    c.t(Msg::ShortcodeNoExit {
                        village: id,
                        year: &year_text,
                    }),
                )
                .at(at.clone(), c.t(Msg::LabelThisValue));
                c.report(d);
            }
        }
        _ => {
            // projects(area=…) and progress(area=…)
            if !c.ix.areas.contains_key(id) {
                missing(c, "区域", "area");
            }
            if let Some(kind) = sc.get("kind") {
                if !crate::model::ProgressKind::CHOICES
                    .iter()
                    .any(|(k, _)| *k == kind)
                {
                    let p = sc.params.iter().find(|p| p.key == "kind").expect("given");
                    let expected = crate::model::ProgressKind::CHOICES
                        .iter()
                        .map(|(k, _)| *k)
                        .collect::<Vec<_>>()
                        .join(" | ");
                    let msg = Msg::ShortcodeBadValue {
                        param: "kind",
                        value: kind,
                        expected: &expected,
                    };
                    let d = Diagnostic::error(RuleId::ShortcodeSyntax, c.t(msg))
                        .at(span(p.range.clone()), c.t(Msg::LabelThisValue));
                    c.report(d);
                }
            }
        }
    }
}
