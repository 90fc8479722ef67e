//! `atom.xml` and `sitemap.xml`: written only when `base_url` is set in
//! `cunwu.toml`, because both need absolute addresses (an Atom entry's id
//! must be an absolute IRI; a sitemap lists full URLs) and cunwu has no way
//! to know where a site will be published otherwise. See docs/site.md.
//!
//! Dates come from the documents' front matter, never from the clock, so two
//! builds of the same input write the same bytes.

use chrono::NaiveDate;

use super::OutputFile;
use super::markdown;
use super::views::Views;
use crate::links::page_output_path;
use crate::model::{Page, PageKind, Portal};

pub const ATOM_PATH: &str = crate::output::ATOM;
pub const SITEMAP_PATH: &str = crate::output::SITEMAP;
/// Entries in the feed, newest first.
pub const FEED_ENTRIES: usize = 50;
/// Characters of a summary made from a document's text.
pub const SUMMARY_CHARS: usize = 140;
/// Front matter dates are days; feeds need a time and zone: midnight in China.
const TIME_OF_DAY: &str = "T00:00:00+08:00";

/// The site's published address (ending in `/`), if configured.
pub fn base_url(p: &Portal) -> Option<&str> {
    p.config
        .base_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
}

/// The documents the feed carries: plans, notices, summaries and reports
/// (every kind but a plain `page`), dated, newest first, then by id.
fn feed_pages(p: &Portal) -> Vec<&Page> {
    let mut pages: Vec<&Page> = p
        .pages
        .iter()
        .filter(|pg| {
            !pg.is_index && !pg.id.is_empty() && pg.kind != PageKind::Page && pg.date.is_some()
        })
        .collect();
    pages.sort_by(|a, b| {
        b.date
            .as_ref()
            .map(|d| d.value)
            .cmp(&a.date.as_ref().map(|d| d.value))
            .then(a.id.cmp(&b.id))
    });
    pages.truncate(FEED_ENTRIES);
    pages
}

fn kind_key(kind: PageKind) -> &'static str {
    PageKind::CHOICES
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("page", |(key, _)| key)
}

fn stamp(d: NaiveDate) -> String {
    format!("{d}{TIME_OF_DAY}")
}

impl Views<'_> {
    /// The Atom feed, or `None` without `base_url` or without dated documents.
    pub(super) fn atom_feed(&self) -> Option<OutputFile> {
        let base = base_url(self.p)?;
        let pages = feed_pages(self.p);
        let newest = pages.first()?.date.as_ref()?.value;
        let title = &self.p.config.title;
        let mut x = String::new();
        x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
        x.push_str(&format!("  <title>{}</title>\n", esc(title)));
        if let Some(d) = &self.p.config.description {
            x.push_str(&format!("  <subtitle>{}</subtitle>\n", esc(d)));
        }
        x.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            esc(&format!("{base}{ATOM_PATH}"))
        ));
        x.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            esc(base)
        ));
        x.push_str(&format!(
            "  <id>{}</id>\n",
            esc(&format!("{base}{ATOM_PATH}"))
        ));
        x.push_str(&format!("  <updated>{}</updated>\n", stamp(newest)));
        x.push_str(&format!("  <author><name>{}</name></author>\n", esc(title)));
        x.push_str("  <generator>cunwu</generator>\n");
        for page in pages {
            let url = format!("{base}{}", page_output_path(&page.id));
            let date = page
                .date
                .as_ref()
                .map(|d| stamp(d.value))
                .unwrap_or_default();
            let summary = match &page.description {
                Some(d) => d.value.clone(),
                None => markdown::plain_text(&self.inline(&page.body, true), SUMMARY_CHARS),
            };
            x.push_str("  <entry>\n");
            x.push_str(&format!("    <title>{}</title>\n", esc(&page.title.value)));
            x.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                esc(&url)
            ));
            x.push_str(&format!("    <id>{}</id>\n", esc(&url)));
            x.push_str(&format!("    <published>{date}</published>\n"));
            x.push_str(&format!("    <updated>{date}</updated>\n"));
            x.push_str(&format!(
                "    <category term=\"{}\" label=\"{}\"/>\n",
                kind_key(page.kind),
                esc(page.kind.name_zh())
            ));
            if !summary.is_empty() {
                x.push_str(&format!(
                    "    <summary type=\"text\">{}</summary>\n",
                    esc(&summary)
                ));
            }
            x.push_str("  </entry>\n");
        }
        x.push_str("</feed>\n");
        Some(OutputFile {
            path: ATOM_PATH.to_string(),
            bytes: x.into_bytes(),
        })
    }

    /// `sitemap.xml` listing `pages` (output paths of HTML pages), or `None`
    /// without `base_url`. The 404 and search pages are left out; a
    /// document's date is its `lastmod`.
    pub(super) fn sitemap(&self, pages: &[&str]) -> Option<OutputFile> {
        let base = base_url(self.p)?;
        let mut dates = std::collections::HashMap::new();
        for page in &self.p.pages {
            if let Some(d) = &page.date {
                dates.insert(page_output_path(&page.id), d.value);
            }
        }
        let mut paths: Vec<&str> = pages
            .iter()
            .copied()
            .filter(|p| p.ends_with(".html") && *p != "404.html" && *p != super::search::PAGE_PATH)
            .collect();
        paths.sort_unstable();
        paths.dedup();
        let mut x = String::new();
        x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for path in paths {
            // The folder, not `…/index.html`: the address people share.
            let loc = format!("{base}{}", path.strip_suffix("index.html").unwrap_or(path));
            x.push_str(&format!("  <url><loc>{}</loc>", esc(&loc)));
            if let Some(d) = dates.get(path) {
                x.push_str(&format!("<lastmod>{d}</lastmod>"));
            }
            x.push_str("</url>\n");
        }
        x.push_str("</urlset>\n");
        Some(OutputFile {
            path: SITEMAP_PATH.to_string(),
            bytes: x.into_bytes(),
        })
    }
}

/// Text for XML: markup characters escaped, characters XML 1.0 forbids dropped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_and_cleaned() {
        assert_eq!(
            esc("A&B <c> \"d\" 'e'\u{1}"),
            "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
        assert_eq!(
            stamp(NaiveDate::from_ymd_opt(2020, 2, 10).unwrap()),
            "2020-02-10T00:00:00+08:00"
        );
    }
}
