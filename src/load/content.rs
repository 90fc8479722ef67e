//! Reads Markdown documents: TOML front matter between `+++` lines, then the body.

use super::toml_reader::{Ctx, Table, parse_document};
use crate::diag::Diagnostic;
use crate::messages::Msg;
use crate::model::{Page, PageKind};
use crate::rule::RuleId;
use crate::source::{At, Span};

/// Reads one document. `rel_path` is its path under `content/` with `/`.
pub fn read_page(cx: &mut Ctx, rel_path: &str, text: &str) -> Option<Page> {
    let (front, front_offset, body_offset) = split_front_matter(cx, text)?;
    cx.offset = front_offset;
    let doc = parse_document(cx, front);
    cx.offset = 0;
    let doc = doc?;
    cx.offset = front_offset;
    let page = read_front_matter(cx, rel_path, doc.get_ref(), doc.span(), text, body_offset);
    cx.offset = 0;
    page
}

/// Finds the front matter; returns it, its offset and the body's offset.
fn split_front_matter<'t>(cx: &mut Ctx, text: &'t str) -> Option<(&'t str, usize, usize)> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let Some(after_open) = rest
        .strip_prefix("+++\n")
        .or_else(|| rest.strip_prefix("+++\r\n"))
    else {
        let d = Diagnostic::error(RuleId::LoadFrontMatter, cx.t(Msg::FrontMatterMissing))
            .at(Span::file_start(cx.file), cx.t(Msg::LabelHere))
            .hint(cx.t(Msg::FrontMatterHint));
        cx.diags.push(d);
        return None;
    };
    let front_offset = text.len() - after_open.len();
    let mut pos = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front = &after_open[..pos];
            let body_offset = front_offset + pos + line.len();
            return Some((front, front_offset, body_offset));
        }
        pos += line.len();
    }
    let d = Diagnostic::error(RuleId::LoadFrontMatter, cx.t(Msg::FrontMatterUnclosed))
        .at(cx.span(0..3.min(text.len())), cx.t(Msg::LabelHere))
        .hint(cx.t(Msg::FrontMatterHint));
    cx.diags.push(d);
    None
}

fn read_front_matter(
    cx: &mut Ctx,
    rel_path: &str,
    doc: &toml::de::DeTable,
    span: std::ops::Range<usize>,
    text: &str,
    body_offset: usize,
) -> Option<Page> {
    let is_index = rel_path == "_index.md" || rel_path.ends_with("/_index.md");
    let mut t = Table::new(doc, span, "+++".to_string(), String::new());
    let title = t.req_str(cx, "title");
    let date = if is_index {
        t.opt_date(cx, "date")
    } else {
        t.req_date(cx, "date")
    };
    let id = t.opt_str(cx, "id");
    check_id_path(cx, rel_path, id.as_ref());
    let kind = t
        .opt_choice(cx, "kind", PageKind::ACCEPTED)
        .map(|k| k.value)
        .unwrap_or(PageKind::Page);
    let acks = t
        .opt_tables(cx, "privacy_ack")
        .into_iter()
        .filter_map(|a| super::data::read_ack(cx, a))
        .collect();
    let description = t.opt_str(cx, "description");
    let summary = t.opt_str(cx, "summary");
    let page = Page {
        id: id.map(|i| i.value).unwrap_or_else(|| default_id(rel_path)),
        rel_path: rel_path.to_string(),
        section: section_of(rel_path),
        is_index,
        file: cx.file,
        date,
        year: t.opt_year(cx, "year"),
        area: t.opt_id(cx, "area"),
        programme: t.opt_id(cx, "programme"),
        kind,
        description: description.or(summary),
        tags: t.opt_str_list(cx, "tags"),
        draft: t.opt_bool(cx, "draft").is_some_and(|d| d.value),
        weight: t.opt_integer(cx, "weight").map_or(0, |w| w.value),
        updated: t.opt_date(cx, "updated"),
        acks,
        body: text[body_offset..].into(),
        body_offset,
        title: title.unwrap_or_else(|| At::new(String::new(), Span::file_start(cx.file))),
    };
    t.finish(cx);
    Some(page)
}

/// Refuses a document whose id (given, or made from its folder and file
/// name) could not be a folder of the site: `../x`, `/tmp/x`, 300 bytes...
fn check_id_path(cx: &mut Ctx, rel_path: &str, id: Option<&At<String>>) {
    use super::toml_reader::{found_id, is_id_path};
    let from_name = default_id(rel_path);
    if !from_name.is_empty() && !is_id_path(&from_name) {
        let d = Diagnostic::error(RuleId::LoadBadId, cx.t(Msg::BadFileName { path: rel_path }))
            .at(Span::file_start(cx.file), cx.t(Msg::LabelHere))
            .field("id")
            .expected_found(cx.t(Msg::IdPathWord), found_id(&from_name))
            .hint(cx.t(Msg::IdPathHint));
        cx.diags.push(d);
    }
    if let Some(id) = id {
        if !is_id_path(&id.value) {
            let d = Diagnostic::error(RuleId::LoadBadId, cx.t(Msg::NotAnId { field: "id" }))
                .at(id.span.clone(), cx.t(Msg::LabelThisValue))
                .field("id")
                .expected_found(cx.t(Msg::IdPathWord), found_id(&id.value))
                .hint(cx.t(Msg::IdPathHint));
            cx.diags.push(d);
        }
    }
}

/// `a/b.md` → `a/b`; `a/_index.md` → `a`; `_index.md` → `""`.
pub fn default_id(rel_path: &str) -> String {
    let stem = rel_path.strip_suffix(".md").unwrap_or(rel_path);
    match stem.strip_suffix("_index") {
        Some(dir) => dir.trim_end_matches('/').to_string(),
        None => stem.to_string(),
    }
}

/// The folder a document sits in, `""` at the top.
pub fn section_of(rel_path: &str) -> String {
    let dir = rel_path.rsplit_once('/').map_or("", |(d, _)| d);
    if rel_path.ends_with("_index.md") {
        // A section index belongs to its parent section's list.
        dir.rsplit_once('/').map_or("", |(d, _)| d).to_string()
    } else {
        dir.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_sections_follow_the_folders() {
        assert_eq!(default_id("longtuo/plan.md"), "longtuo/plan");
        assert_eq!(default_id("longtuo/_index.md"), "longtuo");
        assert_eq!(default_id("_index.md"), "");
        assert_eq!(section_of("longtuo/plan.md"), "longtuo");
        assert_eq!(section_of("a/b/_index.md"), "a");
        assert_eq!(section_of("plan.md"), "");
    }
}
