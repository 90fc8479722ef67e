//! Builds each page's template context from the public site.
//!
//! Figures are formatted here, in Rust, from exact decimals, so templates only
//! place text and never do arithmetic.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::Job;
use super::format::{count, date_zh, number, percent, wan};
use super::lookups::RecordMap;
use super::markdown::{self, LinkResolver};
use crate::diag::Diagnostic;
use crate::gate::{PublicProgress, PublicRelapse, PublicSite, PublicTally, Shown};
use crate::links::{md_target, page_output_path, relative_url};
use crate::model::*;

/// Above this many townships the home page lists them one line each (not as
/// groups to open), and it shows this many programmes of the full table
/// (downloadable): every phone downloads the home page, and a province's
/// would otherwise be half a megabyte.
const HOME_ROWS: usize = 60;
use crate::rule::RuleId;

mod print;
mod visual;
mod years;

/// One page of the site, before its context is built.
#[derive(Debug, Clone)]
pub enum Spec {
    Home,
    Area(usize),
    Programme(usize),
    Project(usize),
    Page(usize),
    /// A section's list, page `n` (from 1).
    Section(String, usize),
    Checks,
    Search,
    NotFound,
    PrintArea(usize),
    PrintProgramme(usize),
    PrintProject(usize),
    /// A village's QR poster (only with `base_url`).
    PosterArea(usize),
}

pub struct Views<'a> {
    pub(super) site: &'a PublicSite,
    pub(super) look: super::lookups::Lookups,
    pub(super) p: &'a Portal,
    pub(super) ix: &'a Index,
    /// Templates for shortcodes in documents (see `embed.rs`); without them
    /// shortcodes stay as written.
    pub(super) tera: Option<&'a tera::Tera>,
    /// Shortcode templates that failed: (template, error).
    pub(super) embed_errors: std::sync::Mutex<Vec<(String, tera::Error)>>,
    /// Each document's text and headings for the search index, by its place
    /// in `p.pages`, kept when its page is rendered (`body_html`): the
    /// index then reads them without parsing the document again.
    pub(super) page_texts: Vec<std::sync::OnceLock<(String, String)>>,
}

/// Output paths of the generated (data) pages.
pub fn area_path(id: &str) -> String {
    format!("{}{id}/index.html", crate::output::AREAS)
}
pub fn programme_path(id: &str) -> String {
    format!("{}{id}/index.html", crate::output::PROGRAMMES)
}
pub fn project_path(id: &str) -> String {
    format!("{}{id}/index.html", crate::output::PROJECTS)
}
const CHECKS_PATH: &str = crate::output::CHECKS_PAGE;

/// How many documents a section's list page shows; longer lists are paginated
/// so that no page grows with the size of the portal.
pub const SECTION_PAGE_SIZE: usize = 100;

/// Where page `n` of a section's list is written.
pub fn section_path(section: &str, n: usize) -> String {
    if n <= 1 {
        page_output_path(section)
    } else {
        page_output_path(&format!("{section}/page/{n}"))
    }
}

struct PageLinks<'a> {
    views: &'a Views<'a>,
    page: &'a Page,
    from: String,
}

impl LinkResolver for PageLinks<'_> {
    fn resolve(&self, dest: &str) -> Option<String> {
        if let Some(file) = crate::links::attachment_target(&self.page.rel_path, dest) {
            return Some(relative_url(&self.from, &file));
        }
        let (target, fragment) = md_target(&self.page.rel_path, dest)?;
        let &i = self.views.ix.page_paths.get(&target)?;
        let to = self.views.page_target(&self.views.p.pages[i]);
        let mut url = relative_url(&self.from, &to);
        if let Some(f) = fragment {
            url.push('#');
            url.push_str(&f);
        }
        Some(url)
    }

    fn shortcode(&self, call: &crate::shortcode::Shortcode) -> Option<String> {
        self.views.embed(call, &self.from)
    }
}

/// The words that name each level at the end of a place name: 龙沱乡 is a
/// 乡, 青溪镇 a 镇, 白岩街道 a 街道, 下龙井村 a 村, 城关社区 a 社区.
fn level_words(level: Level) -> &'static [&'static str] {
    match level {
        Level::County => &["县", "区", "市", "旗"],
        Level::Township | Level::Town => &["乡", "镇", "街道", "苏木"],
        Level::Village => &["村", "社区", "嘎查"],
        Level::Group => &["组", "自然村", "村", "屯", "寨"],
    }
}

/// The level shown after an area's name in its heading, or `None` when the
/// name already ends in its level word ("龙沱乡", not "龙沱乡 乡").
pub fn level_tag(name: &str, level: Level) -> Option<&'static str> {
    let name = name.trim_end();
    let says_it = level_words(level).iter().any(|w| name.ends_with(w));
    (!says_it).then(|| level.name_zh())
}

fn opt_count(v: &Option<crate::source::At<u64>>) -> Value {
    v.as_ref().map_or(Value::Null, |c| json!(count(c.value)))
}

impl<'a> Views<'a> {
    pub fn new(site: &'a PublicSite) -> Self {
        Views::with_lookups(site, super::lookups::Lookups::build(site))
    }

    /// Views that read `look`, which must have been built from `site`.
    pub fn with_lookups(site: &'a PublicSite, look: super::lookups::Lookups) -> Self {
        Views {
            site,
            look,
            p: site.portal(),
            ix: site.index(),
            tera: None,
            embed_errors: Default::default(),
            page_texts: std::iter::repeat_with(Default::default)
                .take(site.portal().pages.len())
                .collect(),
        }
    }

    /// Lets shortcodes in documents expand with the theme's templates.
    pub fn with_templates(mut self, tera: &'a tera::Tera) -> Self {
        self.tera = Some(tera);
        self
    }

    /// Every page of the site, as cheap descriptions: contexts are built one
    /// page at a time by [`Views::build`], so a province-scale build never
    /// holds them all at once.
    pub fn specs(&self) -> Vec<Spec> {
        let mut specs = vec![Spec::Home];
        let areas =
            || (0..self.p.areas.len()).filter(|&i| self.p.areas[i].level.value != Level::County);
        specs.extend(areas().map(Spec::Area));
        specs.extend((0..self.p.programmes.len()).map(Spec::Programme));
        specs.extend((0..self.p.projects.len()).map(Spec::Project));
        let sections = &self.look.pages.sections;
        for (i, page) in self.p.pages.iter().enumerate() {
            // The home page and section indexes are rendered as their section's list page.
            if !page.id.is_empty() && !page.is_index && !sections.contains_key(page.id.as_str()) {
                specs.push(Spec::Page(i));
            }
        }
        for s in sections.keys().filter(|s| !s.is_empty()) {
            let n = self.section_page_count(s);
            // An area's section has its first page on the area's page.
            let first = if self.look.pages.area_of_section.contains_key(s) {
                2
            } else {
                1
            };
            specs.extend((first..=n).map(|page| Spec::Section(s.to_string(), page)));
        }
        specs.extend([Spec::Checks, Spec::Search, Spec::NotFound]);
        // 公示 sheets are for villages (issue 6): a township's notices are its
        // programmes' sheets, and groups publish through their village.
        let villages = (0..self.p.areas.len()).filter(|&i| self.has_print_view(&self.p.areas[i]));
        specs.extend(villages.map(Spec::PrintArea));
        specs.extend((0..self.p.programmes.len()).map(Spec::PrintProgramme));
        specs.extend((0..self.p.projects.len()).map(Spec::PrintProject));
        let posters =
            (0..self.p.areas.len()).filter(|&i| self.poster_url(&self.p.areas[i]).is_some());
        specs.extend(posters.map(Spec::PosterArea));
        specs
    }

    /// Whether an area has a 公示 print view: villages only.
    pub(super) fn has_print_view(&self, a: &Area) -> bool {
        a.level.value == Level::Village
    }

    /// The output path of a page, without building its context.
    pub fn path_of(&self, spec: &Spec) -> String {
        match spec {
            Spec::Home => "index.html".into(),
            Spec::Area(i) => area_path(&self.p.areas[*i].id.value),
            Spec::Programme(i) => programme_path(&self.p.programmes[*i].id.value),
            Spec::Project(i) => project_path(&self.p.projects[*i].id.value),
            Spec::Page(i) => page_output_path(&self.p.pages[*i].id),
            Spec::Section(s, n) => section_path(s, *n),
            Spec::Checks => CHECKS_PATH.into(),
            Spec::Search => super::search::PAGE_PATH.into(),
            Spec::NotFound => "404.html".into(),
            Spec::PrintArea(i) => print::print_path(&area_path(&self.p.areas[*i].id.value)),
            Spec::PrintProgramme(i) => {
                print::print_path(&programme_path(&self.p.programmes[*i].id.value))
            }
            Spec::PrintProject(i) => {
                print::print_path(&project_path(&self.p.projects[*i].id.value))
            }
            Spec::PosterArea(i) => print::poster_path(&area_path(&self.p.areas[*i].id.value)),
        }
    }

    /// Builds one page's template context.
    pub fn build(&self, spec: &Spec) -> Job {
        match spec {
            Spec::Home => self.home(),
            Spec::Area(i) => self.area(&self.p.areas[*i]),
            Spec::Programme(i) => self.programme(&self.p.programmes[*i]),
            Spec::Project(i) => self.project(&self.p.projects[*i]),
            Spec::Page(i) => self.page(&self.p.pages[*i]),
            Spec::Section(s, n) => self.section(s, *n),
            Spec::Checks => self.checks_page(),
            Spec::Search => self.search_page(),
            Spec::NotFound => self.not_found(),
            Spec::PrintArea(i) => self.print_area(&self.p.areas[*i]),
            Spec::PrintProgramme(i) => self.print_programme(&self.p.programmes[*i]),
            Spec::PrintProject(i) => self.print_project(&self.p.projects[*i]),
            Spec::PosterArea(i) => self.poster_area(&self.p.areas[*i]),
        }
    }

    /// The pages whose output can change when only the body of `page_id`
    /// changes: the page, its section list, the home page and its area's page
    /// (they show a summary of the body), and the check report.
    pub fn jobs_after_body_edit(&self, page_id: &str) -> Vec<Job> {
        let Some(&i) = self.ix.pages.get(page_id) else {
            return Vec::new();
        };
        let page = &self.p.pages[i];
        let mut jobs = vec![self.page(page), self.home(), self.checks_page()];
        if !page.section.is_empty() {
            let pos = self
                .pages_in_section(&page.section)
                .position(|p| p.id == page.id)
                .unwrap_or(0);
            let n = pos / SECTION_PAGE_SIZE + 1;
            // An area's section has no first page of its own (the area's
            // page, pushed below, lists its documents).
            let merged = self
                .look
                .pages
                .area_of_section
                .contains_key(page.section.as_str());
            if !(merged && n == 1) {
                jobs.push(self.section(&page.section, n));
            }
        }
        if let Some(area) = page
            .area
            .as_ref()
            .and_then(|a| self.p.area(self.ix, &a.value))
        {
            if area.level.value != Level::County {
                jobs.push(self.area(area));
            }
        }
        // An area's section shows its introduction and documents on the area's page.
        let section = if page.is_index {
            &page.id
        } else {
            &page.section
        };
        if let Some(area) = self
            .look
            .pages
            .area_of_section
            .get(section.as_str())
            .and_then(|a| self.p.area(self.ix, a))
        {
            jobs.push(self.area(area));
        }
        jobs
    }

    /// Content folders that shadow generated pages, and two pages written to one path.
    pub fn clashes(&self, specs: &[Spec]) -> Vec<Diagnostic> {
        let mut seen = BTreeSet::new();
        let mut diags = Vec::new();
        for page in &self.p.pages {
            let top = page.rel_path.split('/').next().unwrap_or("");
            let is_asset = crate::theme::BUILTIN_ASSETS
                .iter()
                .any(|(name, _)| *name == top);
            if page.rel_path.contains('/') && (crate::output::is_generated_folder(top) || is_asset)
            {
                diags.push(
                    Diagnostic::error(
                        RuleId::RenderPathClash,
                        crate::messages::Msg::PathClashFolder { top }.both(),
                    )
                    .at(crate::source::Span::file_start(page.file), top.to_string()),
                );
            }
        }
        for spec in specs {
            let path = self.path_of(spec);
            if !seen.insert(path.clone()) {
                diags.push(Diagnostic::error(
                    RuleId::RenderPathClash,
                    crate::messages::Msg::PathClashTwoPages { path: &path }.both(),
                ));
            }
        }
        diags
    }

    pub(super) fn base(&self, path: &str, title: &str) -> serde_json::Map<String, Value> {
        let root = relative_url(path, "x").trim_end_matches('x').to_string();
        let mut nav = vec![json!({"title": "首页", "url": relative_url(path, "index.html")})];
        for (section, title) in self.top_sections() {
            nav.push(
                json!({"title": title, "url": relative_url(path, &self.section_target(section, 1))}),
            );
        }
        nav.push(
            json!({"title": "数据下载", "url": relative_url(path, super::tables::INDEX_PATH)}),
        );
        nav.push(json!({"title": "核查报告", "url": relative_url(path, CHECKS_PATH)}));
        let mut m = serde_json::Map::new();
        m.insert(
            "site".into(),
            json!({
                "title": self.p.config.title,
                "description": self.p.config.description,
            }),
        );
        m.insert("root".into(), json!(root));
        m.insert("nav".into(), json!(nav));
        m.insert("title".into(), json!(title));
        m.insert("home_url".into(), json!(relative_url(path, "index.html")));
        if super::feeds::base_url(self.p).is_some() {
            m.insert(
                "feed_url".into(),
                json!(relative_url(path, super::feeds::ATOM_PATH)),
            );
        }
        m
    }

    pub(super) fn job(
        &self,
        template: &'static str,
        path: String,
        m: serde_json::Map<String, Value>,
    ) -> Job {
        Job {
            template,
            path,
            context: Value::Object(m),
        }
    }

    /// Where page `n` of a section's list is: an area's section starts on
    /// the area's page (one page per area).
    pub(super) fn section_target(&self, section: &str, n: usize) -> String {
        match self.look.pages.area_of_section.get(section) {
            Some(area) if n <= 1 => area_path(area),
            _ => section_path(section, n),
        }
    }

    /// Where a document is written; an area's section index is the area's page.
    pub(super) fn page_target(&self, page: &Page) -> String {
        if page.is_index || self.look.pages.sections.contains_key(page.id.as_str()) {
            self.section_target(&page.id, 1)
        } else {
            page_output_path(&page.id)
        }
    }

    pub(super) fn top_sections(&self) -> &[(String, String)] {
        &self.look.pages.top_sections
    }

    /// The projects listed under `key` in one of the index's project maps.
    pub(super) fn projects_in(
        &self,
        map: &crate::model::IdMap<Vec<usize>>,
        key: &str,
    ) -> Vec<&'a Project> {
        map.get(key)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &self.p.projects[i])
            .collect()
    }

    /// Section path → its `_index.md` page, if any. Includes every folder that holds a page.
    pub(super) fn sections(&self) -> BTreeMap<&str, Option<&'a Page>> {
        let pages = &self.p.pages;
        (self.look.pages.sections.iter())
            .map(|(s, index)| (s.as_str(), index.map(|i| &pages[i])))
            .collect()
    }

    /// The `_index.md` of `section`, if it has one.
    fn section_index(&self, section: &str) -> Option<&'a Page> {
        let index = self.look.pages.sections.get(section).copied().flatten();
        index.map(|i| &self.p.pages[i])
    }

    /// The documents listed in `section`, in their order.
    fn pages_in_section(&self, section: &str) -> impl Iterator<Item = &'a Page> + '_ {
        let listed = self.look.pages.pages_in_section.get(section);
        let pages = &self.p.pages;
        listed.into_iter().flatten().map(move |&i| &pages[i])
    }

    fn crumbs(&self, from: &str, area_id: &str) -> Value {
        let path = self.p.area_path(self.ix, area_id);
        let items: Vec<Value> = path
            .iter()
            .map(|a| {
                let url = if a.level.value == Level::County {
                    relative_url(from, "index.html")
                } else {
                    relative_url(from, &area_path(&a.id.value))
                };
                json!({"name": a.name.value, "url": url})
            })
            .collect();
        json!(items)
    }

    pub(super) fn area_link(&self, from: &str, id: &str) -> Value {
        match self.p.area(self.ix, id) {
            Some(a) if a.level.value == Level::County => {
                json!({"name": a.name.value, "url": relative_url(from, "index.html")})
            }
            Some(a) => json!({"name": a.name.value, "url": relative_url(from, &area_path(id))}),
            None => Value::Null,
        }
    }

    fn page_link(&self, from: &str, id: &str) -> Value {
        match self.ix.pages.get(id) {
            Some(&i) => {
                let page = &self.p.pages[i];
                json!({"title": page.title.value, "url": relative_url(from, &self.page_target(page))})
            }
            None => Value::Null,
        }
    }

    fn home(&self) -> Job {
        let path = "index.html".to_string();
        let mut m = self.base(&path, &self.p.config.title);
        let home_page = self.ix.pages.get("").map(|&i| &self.p.pages[i]);
        if let Some(page) = home_page {
            m.insert("intro".into(), json!(self.body_html(page, &path)));
        }
        let county = self.p.area(self.ix, &self.p.config.county.value);
        if let Some(c) = county {
            m.insert("county".into(), self.area_summary(c));
            m.insert(
                "townships".into(),
                json!(self.township_groups(&path, &c.id.value)),
            );
        }
        m.insert("headline".into(), json!(self.headline()));
        let programmes: Vec<Value> = self
            .p
            .programmes
            .iter()
            .take(HOME_ROWS)
            .map(|g| self.programme_row(&path, g))
            .collect();
        m.insert("programmes".into(), json!(programmes));
        m.insert("programme_count".into(), json!(self.p.programmes.len()));
        m.insert("home_rows".into(), json!(HOME_ROWS));
        m.insert("recent".into(), json!(self.recent_pages(&path, 10)));
        self.insert_as_of(&mut m, [self.as_of_portal()]);
        self.job("home.html", path, m)
    }

    /// The home page's list of townships, each with its villages (the
    /// villages are left to the township pages above
    /// [`super::search::MAX_BROWSE_VILLAGES`], to keep the page small).
    fn township_groups(&self, from: &str, county: &str) -> Vec<Value> {
        let villages = self
            .p
            .areas
            .iter()
            .filter(|a| a.level.value == Level::Village)
            .count();
        let list_villages = villages <= super::search::MAX_BROWSE_VILLAGES;
        let children =
            |id: &str| -> &[usize] { self.ix.children.get(id).map_or(&[], Vec::as_slice) };
        children(county)
            .iter()
            .map(|&i| {
                let t = &self.p.areas[i];
                let kids: Vec<&Area> = children(&t.id.value)
                    .iter()
                    .map(|&k| &self.p.areas[k])
                    .filter(|a| a.level.value == Level::Village)
                    .collect();
                let rows: Vec<Value> = if list_villages {
                    kids.iter()
                        .map(|v| json!({"name": v.name.value, "url": relative_url(from, &area_path(&v.id.value))}))
                        .collect()
                } else {
                    Vec::new()
                };
                json!({
                    "name": t.name.value,
                    "url": relative_url(from, &area_path(&t.id.value)),
                    "households": opt_count(&t.households),
                    "population": opt_count(&t.population),
                    "village_count": kids.len(),
                    "villages": rows,
                })
            })
            .collect()
    }

    /// The home page's headline figures: how many townships, villages and
    /// projects are published and what the projects cost in all.
    fn headline(&self) -> Vec<Value> {
        let n = |level: &[Level]| {
            self.p
                .areas
                .iter()
                .filter(|a| level.contains(&a.level.value))
                .count() as u64
        };
        let mut out = vec![
            json!({"label": "乡镇", "value": count(n(&[Level::Township, Level::Town])), "unit": "个"}),
            json!({"label": "行政村", "value": count(n(&[Level::Village])), "unit": "个"}),
        ];
        if !self.p.projects.is_empty() {
            out.push(json!({"label": "项目", "value": count(self.p.projects.len() as u64), "unit": "个"}));
            let total = self
                .p
                .projects
                .iter()
                .try_fold(rust_decimal::Decimal::ZERO, |sum, j| {
                    sum.checked_add(j.funds.total.value)
                });
            if let Some(total) = total {
                out.push(json!({"label": "项目总投资", "value": wan(total), "unit": "万元"}));
            }
        }
        out
    }

    fn recent_pages(&self, from: &str, n: usize) -> Vec<Value> {
        let mut pages: Vec<&Page> = self
            .p
            .pages
            .iter()
            .filter(|p| !p.is_index && p.date.is_some())
            .collect();
        pages.sort_by(|a, b| {
            b.date
                .as_ref()
                .map(|d| d.value)
                .cmp(&a.date.as_ref().map(|d| d.value))
                .then(a.id.cmp(&b.id))
        });
        pages
            .iter()
            .take(n)
            .map(|p| self.page_row(from, p))
            .collect()
    }

    pub(super) fn page_row(&self, from: &str, p: &Page) -> Value {
        json!({
            "title": p.title.value,
            "url": relative_url(from, &self.page_target(p)),
            "date": p.date.as_ref().map(|d| date_zh(d.value)),
            "iso_date": p.date.as_ref().map(|d| d.value.to_string()),
            "kind": p.kind.name_zh(),
            "description": p.description.as_ref().map(|d| d.value.clone())
                .unwrap_or_else(|| markdown::plain_text(&self.inline(&p.body, true), 80)),
        })
    }

    fn area_summary(&self, a: &Area) -> Value {
        let mut figures = Vec::new();
        let mut add = |label: &str, v: Option<String>, unit: &str| {
            if let Some(v) = v {
                figures.push(json!({"label": label, "value": v, "unit": unit}));
            }
        };
        add("户数", a.households.as_ref().map(|v| count(v.value)), "户");
        add("人口", a.population.as_ref().map(|v| count(v.value)), "人");
        add("劳动力", a.labourers.as_ref().map(|v| count(v.value)), "人");
        add(
            "耕地",
            a.farmland_mu.as_ref().map(|v| number(v.value)),
            "亩",
        );
        add(
            "人均粮食",
            a.grain_per_capita_kg.as_ref().map(|v| number(v.value)),
            "公斤",
        );
        json!({
            "id": a.id.value,
            "name": a.name.value,
            "level": a.level.value.name_zh(),
            "level_tag": level_tag(&a.name.value, a.level.value),
            "summary": self.summary_text(&a.summary),
            "tags": a.tags.iter().map(|t| t.value.clone()).collect::<Vec<_>>(),
            "figures": figures,
        })
    }

    fn children_rows(&self, from: &str, id: &str) -> Value {
        let rows: Vec<Value> = self
            .ix
            .children
            .get(id)
            .map(|c| c.as_slice())
            .unwrap_or(&[])
            .iter()
            .map(|&i| {
                let a = &self.p.areas[i];
                json!({
                    "name": a.name.value,
                    "url": relative_url(from, &area_path(&a.id.value)),
                    "level": a.level.value.name_zh(),
                    "households": opt_count(&a.households),
                    "population": opt_count(&a.population),
                    "children": self.ix.children.get(&a.id.value).map_or(0, Vec::len),
                })
            })
            .collect();
        json!(rows)
    }

    fn area(&self, a: &Area) -> Job {
        let path = area_path(&a.id.value);
        let mut m = self.base(&path, &a.name.value);
        m.insert("crumbs".into(), self.crumbs(&path, &a.id.value));
        m.insert("area".into(), self.area_summary(a));
        m.insert("children".into(), self.children_rows(&path, &a.id.value));
        let projects: Vec<&Project> = self.projects_in(&self.ix.projects_of_area, &a.id.value);
        m.insert("projects".into(), self.project_rows(&path, &projects));
        let programmes: Vec<Value> = self
            .look
            .of(RecordMap::ProgrammesTouching, &a.id.value)
            .iter()
            .map(|&i| self.programme_row(&path, &self.p.programmes[i]))
            .collect();
        m.insert("programmes".into(), json!(programmes));
        // The fund breakdown of every programme the area runs itself (e.g. a
        // village's own project plan), so the page shows where its money came from.
        let funds: Vec<Value> = self
            .look
            .of(RecordMap::ProgrammesRunBy, &a.id.value)
            .iter()
            .map(|&i| &self.p.programmes[i])
            .filter_map(|g| {
                let f = g.funds.as_ref()?;
                let mut row = self.programme_row(&path, g);
                row["funds"] = funds_view(f);
                row["chart"] = visual::funds_chart(&format!("chart-funds-{}", g.id.value), f);
                Some(row)
            })
            .collect();
        m.insert("funds_by_programme".into(), json!(funds));
        let progress: Vec<Value> = self
            .look
            .of(RecordMap::ProgressOfArea, &a.id.value)
            .iter()
            .map(|&i| progress_view(&self.site.progress()[i]))
            .collect();
        m.insert("progress".into(), json!(progress));
        let relapses: Vec<Value> = self
            .look
            .of(RecordMap::RelapsesOfArea, &a.id.value)
            .iter()
            .map(|&i| relapse_view(&self.site.relapses()[i]))
            .collect();
        m.insert("relapses".into(), json!(relapses));
        m.insert("min_count".into(), json!(self.site.min_count()));
        let exits: Vec<Value> = self
            .look
            .of(RecordMap::ExitsOfArea, &a.id.value)
            .iter()
            .map(|&i| self.exit_view(&self.p.exits[i]))
            .collect();
        m.insert("exits".into(), json!(exits));
        let activities: Vec<Value> = self
            .look
            .of(RecordMap::ActivitiesOfArea, &a.id.value)
            .iter()
            .map(|&i| activity_view(&self.p.activities[i]))
            .collect();
        m.insert("activities".into(), json!(activities));
        let mut plans: Vec<&Page> = self
            .ix
            .pages_of_area
            .get(&a.id.value)
            .map(|v| v.iter().map(|&i| &self.p.pages[i]).collect())
            .unwrap_or_default();
        // The area's own section (one page per area): its introduction, its
        // subsections and the first page of its documents are shown here.
        if let Some(section) = self.look.pages.section_of_area.get(a.id.value.as_str()) {
            let section = section.as_str();
            if let Some(index) = self.section_index(section) {
                m.insert("intro".into(), json!(self.body_html(index, &path)));
            }
            for p in self.pages_in_section(section).take(SECTION_PAGE_SIZE) {
                if !plans.iter().any(|q| q.id == p.id) {
                    plans.push(p);
                }
            }
            if self.section_page_count(section) > 1 {
                m.insert(
                    "more_plans".into(),
                    json!(relative_url(&path, &self.section_target(section, 2))),
                );
            }
            let subsections: Vec<Value> = self
                .look
                .pages
                .subsections
                .get(section)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter(|s| **s != section)
                .map(|s| self.section_link(&path, s))
                .collect();
            m.insert("subsections".into(), json!(subsections));
        }
        let plans: Vec<Value> = plans.iter().map(|p| self.page_row(&path, p)).collect();
        m.insert("plans".into(), json!(plans));
        self.area_extras(a, &mut m);
        self.years_context(a, &mut m);
        self.insert_as_of(&mut m, [self.as_of_area(a)]);
        self.job("area.html", path, m)
    }

    pub(super) fn exit_view(&self, e: &Exit) -> Value {
        let indicators: Vec<Value> = self
            .p
            .config
            .exit_indicators
            .iter()
            .map(|ind| {
                let value = e
                    .indicators
                    .iter()
                    .find(|(k, _)| k.value == ind.key)
                    .map(|(_, v)| v.value);
                let (text, met) = match (value, ind.below) {
                    (Some(IndicatorValue::Met(b)), _) => {
                        (if b { "达到" } else { "未达到" }.to_string(), b)
                    }
                    (Some(IndicatorValue::Percent(p)), Some(limit)) => (percent(p), p < limit),
                    (Some(IndicatorValue::Percent(p)), None) => (percent(p), true),
                    (None, _) => ("未填报".to_string(), false),
                };
                json!({"name": ind.name, "value": text, "met": met})
            })
            .collect();
        let (met, total) = visual::checklist_counts(&indicators);
        json!({
            "met_count": met,
            "count": total,
            "year": e.year.value,
            "status": e.status.value.name_zh(),
            "note": e.note.as_ref().map(|n| n.value.clone()),
            "change_reason": e.change_reason.as_ref().map(|n| n.value.clone()),
            "indicators": indicators,
        })
    }

    pub(super) fn project_rows(&self, from: &str, projects: &[&Project]) -> Value {
        let rows: Vec<Value> = projects
            .iter()
            .map(|j| {
                json!({
                    "name": j.name.value,
                    "url": relative_url(from, &project_path(&j.id.value)),
                    "category": j.category.value,
                    "count": j.count.value,
                    "year": j.year.value,
                    "status": j.status.as_ref().map(|s| s.value.name_zh()),
                    "beneficiaries": opt_count(&j.beneficiaries),
                    "total": wan(j.funds.total.value),
                })
            })
            .collect();
        let sum: rust_decimal::Decimal = projects.iter().map(|j| j.funds.total.value).sum();
        let n: u64 = projects.iter().map(|j| j.count.value).sum();
        json!({"rows": rows, "total": wan(sum), "count": n})
    }

    pub(super) fn programme_row(&self, from: &str, g: &Programme) -> Value {
        json!({
            "name": g.name.value,
            "url": relative_url(from, &programme_path(&g.id.value)),
            "year": g.year.value,
            "kind": g.kind.as_ref().map(|k| k.value.clone()),
            "total": g.funds.as_ref().map(|f| wan(f.total.value)),
        })
    }

    fn programme(&self, g: &Programme) -> Job {
        let path = programme_path(&g.id.value);
        let mut m = self.base(&path, &g.name.value);
        m.insert("crumbs".into(), self.crumbs(&path, &g.area.value));
        let covers: Vec<Value> = g
            .covers
            .iter()
            .map(|c| self.area_link(&path, &c.value))
            .collect();
        m.insert(
            "programme".into(),
            json!({
                "name": g.name.value,
                "year": g.year.value,
                "kind": g.kind.as_ref().map(|k| k.value.clone()),
                "summary": self.summary_text(&g.summary),
                "area": self.area_link(&path, &g.area.value),
                "covers": covers,
                "plan": g.plan.as_ref().map(|p| self.page_link(&path, &p.value)),
            }),
        );
        m.insert("stated".into(), stated_rows(&g.stated));
        m.insert(
            "funds".into(),
            g.funds.as_ref().map_or(Value::Null, funds_view),
        );
        let shares: Vec<Value> = g
            .shares
            .iter()
            .map(|s| {
                json!({
                    "part": s.part.value.name_zh(),
                    "ratio": s.ratio_text.value,
                    "tolerance": s.tolerance.as_ref().map(|t| wan(t.value)),
                })
            })
            .collect();
        m.insert("shares".into(), json!(shares));
        let projects: Vec<&Project> = self.projects_in(&self.ix.projects_of_programme, &g.id.value);
        m.insert("projects".into(), self.project_rows(&path, &projects));
        self.programme_extras(g, &mut m);
        self.insert_as_of(&mut m, [self.as_of_programme(g)]);
        self.job("programme.html", path, m)
    }

    fn project(&self, j: &Project) -> Job {
        let path = project_path(&j.id.value);
        let mut m = self.base(&path, &j.name.value);
        m.insert("crumbs".into(), self.crumbs(&path, &j.area.value));
        let programme = j.programme.as_ref().and_then(|g| {
            self.ix.programmes.get(&g.value).map(|&i| {
                let g = &self.p.programmes[i];
                json!({"name": g.name.value, "url": relative_url(&path, &programme_path(&g.id.value))})
            })
        });
        let quantities: Vec<Value> = j
            .quantities
            .iter()
            .map(|q| {
                json!({
                    "what": q.what.value, "value": number(q.value.value), "unit": q.unit.value,
                })
            })
            .collect();
        m.insert(
            "project".into(),
            json!({
                "name": j.name.value,
                "year": j.year.value,
                "category": j.category.value,
                "count": j.count.value,
                "status": j.status.as_ref().map(|s| s.value.name_zh()),
                "beneficiaries": opt_count(&j.beneficiaries),
                "summary": self.summary_text(&j.summary),
                "area": self.area_link(&path, &j.area.value),
                "programme": programme,
                "quantities": quantities,
                "outcomes": j.outcomes.iter().map(|o| o.value.clone()).collect::<Vec<_>>(),
            }),
        );
        m.insert("funds".into(), funds_view(&j.funds));
        self.project_extras(j, &mut m);
        self.insert_as_of(&mut m, [self.as_of_project(j)]);
        self.job("project.html", path, m)
    }

    pub(super) fn body_html(&self, page: &Page, from: &str) -> String {
        let links = PageLinks {
            views: self,
            page,
            from: from.to_string(),
        };
        let max_chars = Some(super::search::BODY_CHARS);
        let (html, text) =
            markdown::to_html_and_text(&self.inline(&page.body, true), &links, max_chars);
        if let (Some(text), Some(kept)) = (text, self.page_text_slot(page)) {
            // Another rendering of the same document may have kept it first.
            let _ = kept.set(text);
        }
        html
    }

    /// Where the search text of `page` is kept, if it is one of the portal's
    /// documents: found by its address in `p.pages`.
    pub(super) fn page_text_slot(
        &self,
        page: &Page,
    ) -> Option<&std::sync::OnceLock<(String, String)>> {
        let first = self.p.pages.as_ptr() as usize;
        let offset = (page as *const Page as usize).checked_sub(first)?;
        let place = offset / std::mem::size_of::<Page>().max(1);
        let same = self
            .p
            .pages
            .get(place)
            .is_some_and(|p| std::ptr::eq(p, page));
        same.then(|| &self.page_texts[place])
    }

    fn page_meta(&self, page: &Page, path: &str) -> Value {
        json!({
            "title": page.title.value,
            "date": page.date.as_ref().map(|d| date_zh(d.value)),
            "iso_date": page.date.as_ref().map(|d| d.value.to_string()),
            "year": page.year.as_ref().map(|y| y.value),
            "kind": page.kind.name_zh(),
            "description": page.description.as_ref().map(|d| d.value.clone()),
            "area": page.area.as_ref().map(|a| self.area_link(path, &a.value)),
            "tags": page.tags.iter().map(|t| t.value.clone()).collect::<Vec<_>>(),
            "html": self.body_html(page, path),
        })
    }

    fn page(&self, page: &Page) -> Job {
        let path = page_output_path(&page.id);
        let mut m = self.base(&path, &page.title.value);
        m.insert("page".into(), self.page_meta(page, &path));
        m.insert("section".into(), self.section_link(&path, &page.section));
        let milestones: Vec<Value> = self
            .look
            .of(RecordMap::MilestonesOfPlan, &page.id)
            .iter()
            .map(|&i| &self.p.milestones[i])
            .map(|ms| {
                json!({
                    "label": ms.label.value,
                    "due": ms.due.value.display_zh(),
                    "deadline": ms.due.value.end().to_string(),
                })
            })
            .collect();
        m.insert("milestones".into(), json!(milestones));
        let programmes: Vec<Value> = self
            .look
            .of(RecordMap::ProgrammesOfPlan, &page.id)
            .iter()
            .map(|&i| self.programme_row(&path, &self.p.programmes[i]))
            .collect();
        m.insert("programmes".into(), json!(programmes));
        self.page_extras(page, &mut m);
        self.insert_as_of(&mut m, [self.as_of_page(page)]);
        self.job("page.html", path, m)
    }

    fn section_link(&self, from: &str, section: &str) -> Value {
        if section.is_empty() {
            return Value::Null;
        }
        let title = self
            .ix
            .pages
            .get(section)
            .map(|&i| self.p.pages[i].title.value.clone())
            .unwrap_or_else(|| section.to_string());
        json!({"title": title, "url": relative_url(from, &self.section_target(section, 1))})
    }

    fn section_page_count(&self, section: &str) -> usize {
        let n = self
            .look
            .pages
            .pages_in_section
            .get(section)
            .map_or(0, Vec::len);
        n.div_ceil(SECTION_PAGE_SIZE).max(1)
    }

    /// Page `n` of a section's list: its introduction and subsections on the
    /// first page, then at most [`SECTION_PAGE_SIZE`] documents a page.
    fn section(&self, section: &str, n: usize) -> Job {
        let path = section_path(section, n);
        let index = self.section_index(section);
        let title = index.map_or(section.to_string(), |p| p.title.value.clone());
        let total = self.section_page_count(section);
        let shown = if n > 1 {
            format!("{title}（第 {n} 页）")
        } else {
            title.clone()
        };
        let mut m = self.base(&path, &shown);
        m.insert("title".into(), json!(shown));
        if let (Some(p), 1) = (index, n) {
            m.insert("page".into(), self.page_meta(p, &path));
        }
        let parent = section.rsplit_once('/').map_or("", |(p, _)| p);
        m.insert("section".into(), self.section_link(&path, parent));
        let rows: Vec<Value> = self
            .pages_in_section(section)
            .skip((n - 1) * SECTION_PAGE_SIZE)
            .take(SECTION_PAGE_SIZE)
            .map(|p| self.page_row(&path, p))
            .collect();
        m.insert("pages".into(), json!(rows));
        let url = |k: usize| relative_url(&path, &self.section_target(section, k));
        m.insert(
            "pager".into(),
            json!({
                "current": n,
                "total": total,
                "first": (n > 1).then(|| url(1)),
                "prev": (n > 1).then(|| url(n - 1)),
                "next": (n < total).then(|| url(n + 1)),
                "last": (n < total).then(|| url(total)),
            }),
        );
        let subsections: Vec<Value> = if n == 1 {
            self.look
                .pages
                .subsections
                .get(section)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter(|s| **s != section)
                .map(|s| self.section_link(&path, s))
                .collect()
        } else {
            Vec::new()
        };
        m.insert("subsections".into(), json!(subsections));
        self.job("section.html", path, m)
    }

    fn checks_page(&self) -> Job {
        let path = CHECKS_PATH.to_string();
        let mut m = self.base(&path, "数据核查报告");
        m.insert("checks".into(), json!(self.site.checks()));
        m.insert("acks".into(), json!(self.site.acks()));
        m.insert("corrections".into(), json!(corrections_list(self.p)));
        let records: usize = self.site.checks().iter().map(|r| r.records).sum();
        m.insert("total_records".into(), json!(records));
        self.insert_as_of(&mut m, [self.as_of_portal()]);
        self.job("checks.html", path, m)
    }

    /// `checks.json`: which rules ran over how many records, for auditors' tools.
    pub fn checks_json(&self) -> Vec<u8> {
        let doc = json!({
            "schema": "cunwu.checks.v1",
            "title": self.p.config.title,
            "rules": self.site.checks(),
            "privacy_acknowledgements": self.site.acks(),
            "corrections": corrections_list(self.p),
        });
        let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// The data downloads' index page; `index` comes from [`super::tables::build`].
    pub fn data_page(&self, index: serde_json::Map<String, Value>) -> Job {
        let path = super::tables::INDEX_PATH.to_string();
        let mut m = self.base(&path, "数据下载");
        m.extend(index);
        self.job("data.html", path, m)
    }

    fn not_found(&self) -> Job {
        // A web server sends the 404 page for a missing path at any depth, so
        // relative links would break: they are made absolute from `base_url`,
        // or from the server root when it is unset (see docs/site.md).
        let path = "404.html".to_string();
        let prefix = super::feeds::base_url(self.p).unwrap_or("/").to_string();
        let mut m = self.base(&path, "页面不存在");
        anchor_links(&mut m, &prefix);
        self.job("404.html", path, m)
    }
}

/// Prefixes the links of a root-level page's base context with `prefix`.
fn anchor_links(m: &mut serde_json::Map<String, Value>, prefix: &str) {
    let anchor = |v: &mut Value| {
        if let Some(url) = v.as_str() {
            *v = json!(format!("{prefix}{url}"));
        }
    };
    for key in ["home_url", "feed_url"] {
        if let Some(v) = m.get_mut(key) {
            anchor(v);
        }
    }
    m.insert("root".into(), json!(prefix));
    if let Some(Value::Array(items)) = m.get_mut("nav") {
        for item in items {
            if let Some(v) = item.get_mut("url") {
                anchor(v);
            }
        }
    }
}

fn stated_rows(s: &Stated) -> Value {
    let rows: Vec<Value> = [
        ("项目个数", &s.projects, "个"),
        ("项目类别", &s.categories, "类"),
        ("覆盖乡镇", &s.townships, "个"),
        ("覆盖行政村", &s.villages, "个"),
        ("已完工", &s.completed, "个"),
        ("在建", &s.under_construction, "个"),
        ("未开工", &s.not_started, "个"),
        ("参与农户", &s.households, "户"),
        ("参与人口", &s.people, "人"),
        ("参与劳动力", &s.labourers, "人"),
        ("受益人口", &s.beneficiaries, "人"),
    ]
    .into_iter()
    .filter_map(|(label, v, unit)| {
        v.as_ref().map(|v| {
            let correction = s
                .corrections
                .iter()
                .find(|c| c.corrected.span == v.span)
                .map(|c| correction_view(c, unit));
            json!({"label": label, "value": count(v.value), "unit": unit, "correction": correction})
        })
    })
    .collect();
    json!(rows)
}

/// A correction as pages show it: "原公布25个，经核对为27个，更正于2019年6月10日".
fn correction_view(c: &crate::model::Correction, unit: &str) -> Value {
    json!({
        "stated": count(c.stated.value),
        "corrected": count(c.corrected.value),
        "date": date_zh(c.date.value),
        "iso_date": c.date.value.to_string(),
        "reason": c.reason.value,
        "text": format!(
            "原公布{}{unit}，经核对为{}{unit}，更正于{}",
            count(c.stated.value),
            count(c.corrected.value),
            date_zh(c.date.value)
        ),
    })
}

/// Every correction of the portal, for the check report.
fn corrections_list(p: &crate::model::Portal) -> Vec<Value> {
    let units: std::collections::HashMap<&str, &str> = [
        ("categories", "类"),
        ("households", "户"),
        ("people", "人"),
        ("labourers", "人"),
        ("beneficiaries", "人"),
    ]
    .into_iter()
    .collect();
    p.programmes
        .iter()
        .flat_map(|g| {
            g.stated.corrections.iter().map(|c| {
                let unit = units.get(c.field).copied().unwrap_or("个");
                let mut v = correction_view(c, unit);
                v["record"] = json!(g.name.value);
                v["kind"] = json!("programme");
                v["id"] = json!(g.id.value);
                v["field"] = json!(format!("stated.{}", c.field));
                v
            })
        })
        .collect()
}

/// The fund breakdown as table rows: sources, then their parts, indented.
pub fn funds_view(f: &Funds) -> Value {
    let mut rows = Vec::new();
    let mut row = |label: String, amount: Option<String>, depth: u8, note: Option<String>| {
        rows.push(json!({"label": label, "amount": amount, "depth": depth, "note": note}));
    };
    if let Some(v) = &f.villagers {
        row("群众筹资投劳".into(), Some(wan(v.value)), 0, None);
    }
    if let Some(c) = &f.cash {
        row("其中：筹资".into(), Some(wan(c.value)), 1, None);
    }
    if f.labour_value.is_some() || f.labour_days.is_some() {
        let note = match (&f.labour_days, &f.labour_rate) {
            (Some(d), Some(r)) => Some(format!(
                "{} 个工日 × {} 元/工日",
                count(d.value),
                number(r.value)
            )),
            (Some(d), None) => Some(format!("{} 个工日", count(d.value))),
            _ => None,
        };
        row(
            "其中：投劳折资".into(),
            f.labour_value.as_ref().map(|v| wan(v.value)),
            1,
            note,
        );
    }
    if let Some(v) = &f.fiscal {
        row(
            "财政奖补".into(),
            Some(wan(v.value)),
            0,
            f.fiscal_note.as_ref().map(|n| n.value.clone()),
        );
    }
    for (level, v) in &f.fiscal_levels {
        row(
            format!("其中：{}", level.name_zh()),
            Some(wan(v.value)),
            1,
            None,
        );
    }
    if let Some(v) = &f.social {
        row("社会投入".into(), Some(wan(v.value)), 0, None);
    }
    json!({"total": wan(f.total.value), "rows": rows})
}

/// A published count: the figure, `<5` for a small one, or 不公开 when withheld.
pub(super) fn shown_count(s: Option<Shown<u64>>) -> Value {
    match s {
        None => Value::Null,
        Some(Shown::Value(v)) => json!(count(v)),
        Some(s) => json!(super::suppressed(s)),
    }
}

fn shown_percent(s: Option<Shown<rust_decimal::Decimal>>) -> Value {
    match s {
        None => Value::Null,
        Some(Shown::Value(v)) => json!(percent(v)),
        Some(Shown::Below(_) | Shown::Withheld) => json!(crate::messages::WITHHELD),
    }
}

fn tally_row(unit: &str, t: &PublicTally) -> Value {
    let start_label = if t.is_target { "目标" } else { "起始" };
    let percent_done = match (
        t.start.and_then(Shown::value),
        t.done.and_then(Shown::value),
    ) {
        (Some(s), Some(d)) => super::format::count_share(d.min(s), s),
        _ => None,
    };
    let suppressed = [t.start, t.done, t.remaining, t.this_year]
        .iter()
        .flatten()
        .any(|s| s.is_suppressed());
    json!({
        "unit": unit,
        "start_label": start_label,
        "start": shown_count(t.start),
        "done": shown_count(t.done),
        "remaining": shown_count(t.remaining),
        "this_year": shown_count(t.this_year),
        "percent_done": percent_done,
        "suppressed": suppressed,
    })
}

pub(super) fn progress_view(r: &PublicProgress) -> Value {
    let mut rows = Vec::new();
    if let Some(t) = &r.households {
        rows.push(tally_row("户", t));
    }
    if let Some(t) = &r.people {
        rows.push(tally_row("人", t));
    }
    if let Some(t) = &r.villages {
        rows.push(tally_row("个村", t));
    }
    json!({
        "title": r.label.clone().unwrap_or_else(|| r.kind.name_zh().to_string()),
        "year": r.year,
        "rows": rows,
        "incidence": shown_percent(r.incidence),
        "housing": r.housing_m2_per_person.map(number),
        "chart": visual::progress_chart(r),
    })
}

fn relapse_view(r: &PublicRelapse) -> Value {
    json!({
        "year": r.year,
        "households": shown_count(r.households),
        "people": shown_count(r.people),
        "rate": shown_percent(r.rate),
    })
}

fn activity_view(a: &Activity) -> Value {
    json!({
        "name": a.name.value,
        "year": a.year.value,
        "kind": a.kind.value.name_zh(),
        "team": a.team.as_ref().map(|t| t.value.clone()),
        "frequency": a.frequency.as_ref().map(|f| f.value.name_zh()),
        "planned": opt_count(&a.planned),
        "held": opt_count(&a.held),
        "date": a.date.as_ref().map(|d| date_zh(d.value)),
        "participants": opt_count(&a.participants),
    })
}

#[cfg(test)]
mod level_tests {
    use super::{Level, level_tag};
    use proptest::prelude::*;

    const LEVELS: [Level; 5] = [
        Level::County,
        Level::Township,
        Level::Town,
        Level::Village,
        Level::Group,
    ];

    proptest! {
        /// A heading never ends in its level word twice: a name that already
        /// says its level gets no tag, any other name gets the level's name.
        #[test]
        fn a_heading_never_repeats_the_level_word(
            base in "[山河青白龙沱下井]{1,4}",
            suffix in prop::sample::select(&["", "乡", "镇", "村", "县", "街道", "社区", "组", "坝"][..]),
            level in prop::sample::select(&LEVELS[..]),
        ) {
            let name = format!("{base}{suffix}");
            let heading = match level_tag(&name, level) {
                Some(tag) => format!("{name}{tag}"),
                None => name.clone(),
            };
            for word in super::level_words(level) {
                prop_assert!(!heading.ends_with(&format!("{word}{word}")) || name.ends_with(&format!("{word}{word}")), "{}", heading);
            }
            if super::level_words(level).iter().any(|w| name.ends_with(w)) {
                prop_assert_eq!(heading, name);
            } else {
                prop_assert_eq!(level_tag(&name, level), Some(level.name_zh()));
            }
        }
    }

    #[test]
    fn examples() {
        assert_eq!(level_tag("龙沱乡", Level::Township), None);
        assert_eq!(level_tag("青溪镇", Level::Town), None);
        assert_eq!(level_tag("白岩街道", Level::Town), None);
        assert_eq!(level_tag("下龙井村", Level::Village), None);
        assert_eq!(level_tag("城关社区", Level::Village), None);
        assert_eq!(level_tag("青山县", Level::County), None);
        assert_eq!(level_tag("龙沱", Level::Township), Some("乡"));
        assert_eq!(level_tag("老镇", Level::Village), Some("行政村"));
    }
}
