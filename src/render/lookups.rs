//! Lookups the page views need, built once per render so that no page scans
//! every record of the portal (which would make a province-scale build
//! quadratic).

use std::collections::{BTreeMap, HashMap};

use crate::gate::PublicSite;
use crate::model::Page;

/// Record indices grouped by the key a page looks them up by.
#[derive(Default)]
pub struct Lookups<'a> {
    /// Top-level sections for the navigation: (folder, title), in order.
    pub top_sections: Vec<(String, String)>,
    /// Section path → its `_index.md`, for every folder that holds a page.
    pub sections: BTreeMap<&'a str, Option<&'a Page>>,
    /// Section path → the documents listed in it.
    pub pages_in_section: HashMap<&'a str, Vec<&'a Page>>,
    /// Section path → its direct subsections.
    pub subsections: HashMap<&'a str, Vec<&'a str>>,
    /// Area id → programmes it runs or is covered by.
    pub programmes_touching: HashMap<&'a str, Vec<usize>>,
    /// Area id → programmes it runs itself.
    pub programmes_run_by: HashMap<&'a str, Vec<usize>>,
    /// Plan id → programmes it describes.
    pub programmes_of_plan: HashMap<&'a str, Vec<usize>>,
    pub progress_of_area: HashMap<&'a str, Vec<usize>>,
    pub relapses_of_area: HashMap<&'a str, Vec<usize>>,
    pub exits_of_area: HashMap<&'a str, Vec<usize>>,
    pub activities_of_area: HashMap<&'a str, Vec<usize>>,
    pub milestones_of_plan: HashMap<&'a str, Vec<usize>>,
    /// Area id → its `[[area_year]]` records.
    pub area_years_of_area: HashMap<&'a str, Vec<usize>>,
    /// Section path → the area whose page it is (see [`area_sections`]).
    pub area_of_section: HashMap<&'a str, &'a str>,
    /// Area id → its section, the inverse of `area_of_section`.
    pub section_of_area: HashMap<&'a str, &'a str>,
}

impl<'a> Lookups<'a> {
    pub fn build(site: &'a PublicSite) -> Lookups<'a> {
        let p = site.portal();
        let mut l = Lookups {
            top_sections: top_sections(&p.pages),
            sections: sections(&p.pages),
            ..Lookups::default()
        };
        let ix = site.index();
        for (section, area) in area_sections(&l.sections, p, ix) {
            l.area_of_section.insert(section, area);
            l.section_of_area.insert(area, section);
        }
        for page in &p.pages {
            if !page.is_index && !l.sections.contains_key(page.id.as_str()) {
                l.pages_in_section
                    .entry(page.section.as_str())
                    .or_default()
                    .push(page);
            }
        }
        for list in l.pages_in_section.values_mut() {
            list.sort_by(|a, b| {
                a.weight
                    .cmp(&b.weight)
                    .then(
                        b.date
                            .as_ref()
                            .map(|d| d.value)
                            .cmp(&a.date.as_ref().map(|d| d.value)),
                    )
                    .then(a.id.cmp(&b.id))
            });
        }
        for s in l.sections.keys().copied().filter(|s| !s.is_empty()) {
            let parent = s.rsplit_once('/').map_or("", |(p, _)| p);
            l.subsections.entry(parent).or_default().push(s);
        }
        for (i, g) in p.programmes.iter().enumerate() {
            l.programmes_run_by
                .entry(g.area.value.as_str())
                .or_default()
                .push(i);
            let mut touched: Vec<&str> = vec![g.area.value.as_str()];
            touched.extend(g.covers.iter().map(|c| c.value.as_str()));
            touched.sort_unstable();
            touched.dedup();
            for a in touched {
                l.programmes_touching.entry(a).or_default().push(i);
            }
            if let Some(plan) = &g.plan {
                l.programmes_of_plan
                    .entry(plan.value.as_str())
                    .or_default()
                    .push(i);
            }
        }
        for (i, r) in site.progress().iter().enumerate() {
            l.progress_of_area
                .entry(r.area.as_str())
                .or_default()
                .push(i);
        }
        for (i, r) in site.relapses().iter().enumerate() {
            l.relapses_of_area
                .entry(r.area.as_str())
                .or_default()
                .push(i);
        }
        for (i, e) in p.exits.iter().enumerate() {
            l.exits_of_area
                .entry(e.area.value.as_str())
                .or_default()
                .push(i);
        }
        for (i, a) in p.activities.iter().enumerate() {
            l.activities_of_area
                .entry(a.area.value.as_str())
                .or_default()
                .push(i);
        }
        for (i, m) in p.milestones.iter().enumerate() {
            l.milestones_of_plan
                .entry(m.plan.value.as_str())
                .or_default()
                .push(i);
        }
        for (i, y) in p.area_years.iter().enumerate() {
            l.area_years_of_area
                .entry(y.area.value.as_str())
                .or_default()
                .push(i);
        }
        l
    }
}

/// Sections that are an area's own folder, merged into the area's page so that
/// no area has two pages (a `content/longtuo/` titled 龙沱乡 beside the data
/// page `areas/longtuo/`). A section is an area's when its `_index.md` names
/// the area in front matter (`area = "longtuo"`), or its folder is the area's
/// id, or its title is the area's name (one area of that name). The county is
/// the home page and keeps its sections; an area takes the first section
/// (sorted) that claims it.
pub fn area_sections<'a>(
    sections: &BTreeMap<&'a str, Option<&'a Page>>,
    p: &'a crate::model::Portal,
    ix: &crate::model::Index,
) -> Vec<(&'a str, &'a str)> {
    use crate::model::Level;
    let mut by_name: HashMap<&str, Vec<&crate::model::Area>> = HashMap::new();
    for a in &p.areas {
        by_name.entry(a.name.value.trim()).or_default().push(a);
    }
    let mut taken: std::collections::HashSet<&str> = Default::default();
    let mut out = Vec::new();
    for (&s, index) in sections {
        if s.is_empty() {
            continue;
        }
        let folder = s.rsplit('/').next().unwrap_or(s);
        let named = index
            .and_then(|page| page.area.as_ref())
            .map(|a| a.value.as_str());
        let titled = index.and_then(|page| match by_name.get(page.title.value.trim()) {
            Some(list) if list.len() == 1 => Some(list[0].id.value.as_str()),
            _ => None,
        });
        let area = [named, Some(folder), titled]
            .into_iter()
            .flatten()
            .filter_map(|id| p.area(ix, id))
            .find(|a| a.level.value != Level::County);
        if let Some(a) = area {
            if taken.insert(a.id.value.as_str()) {
                out.push((s, a.id.value.as_str()));
            }
        }
    }
    out
}

/// Indices under `key`, or none.
pub fn of<'m>(map: &'m HashMap<&str, Vec<usize>>, key: &str) -> &'m [usize] {
    map.get(key).map_or(&[], Vec::as_slice)
}

fn top_sections(pages: &[Page]) -> Vec<(String, String)> {
    let mut out: BTreeMap<String, (i64, String)> = BTreeMap::new();
    for page in pages {
        let top = page.rel_path.split('/').next().unwrap_or("");
        if page.rel_path.contains('/') && !top.is_empty() {
            let entry = out.entry(top.to_string()).or_insert((0, top.to_string()));
            if page.is_index && page.id == top {
                *entry = (page.weight, page.title.value.clone());
            }
        }
    }
    let mut v: Vec<(String, (i64, String))> = out.into_iter().collect();
    v.sort_by(|a, b| a.1.0.cmp(&b.1.0).then(a.0.cmp(&b.0)));
    v.into_iter().map(|(k, (_, t))| (k, t)).collect()
}

fn sections(pages: &[Page]) -> BTreeMap<&str, Option<&Page>> {
    let mut out: BTreeMap<&str, Option<&Page>> = BTreeMap::new();
    for page in pages {
        let mut s = page.section.as_str();
        loop {
            out.entry(s).or_insert(None);
            match s.rsplit_once('/') {
                Some((parent, _)) => s = parent,
                None if !s.is_empty() => s = "",
                None => break,
            }
        }
        if page.is_index {
            out.insert(page.id.as_str(), Some(page));
        }
    }
    out
}
