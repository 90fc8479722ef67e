//! Lookups the page views need, built once per render so that no page scans
//! every record of the portal (which would make a province-scale build
//! quadratic).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::gate::PublicSite;
use crate::model::{IdMap, Page};

/// Record indices grouped by the key a page looks them up by. Owned, in two
/// halves that can be kept apart: the preview keeps them from one request
/// to the next and across an edit that leaves them true, since building
/// them takes about 50 ms at 20,000 villages, most of a page made on request.
#[derive(Clone)]
pub struct Lookups {
    pub pages: Arc<PageLookups>,
    pub records: Arc<RecordLookups>,
}

/// What the documents and the areas' ids, names and levels decide: the same
/// while [`super::ondemand::PageTable::fits`] holds.
#[derive(Default)]
pub struct PageLookups {
    /// Top-level sections for the navigation: (folder, title), in order.
    pub top_sections: Vec<(String, String)>,
    /// Section path → its `_index.md` (a place in `pages`), for every folder that holds a page.
    pub sections: BTreeMap<String, Option<usize>>,
    /// Section path → the documents listed in it (places in `pages`).
    pub pages_in_section: HashMap<String, Vec<usize>>,
    /// Section path → its direct subsections.
    pub subsections: HashMap<String, Vec<String>>,
    /// Section path → the area whose page it is (see [`area_sections`]).
    pub area_of_section: HashMap<String, String>,
    /// Area id → its section, the inverse of `area_of_section`.
    pub section_of_area: HashMap<String, String>,
}

/// The records of each area or plan: the same while every record keeps its
/// place and the ids it is filed under ([`RecordLookups::agree`]).
#[derive(Default)]
pub struct RecordLookups {
    maps: [IdMap<Vec<usize>>; RecordMap::ALL.len()],
    /// Each map's (record, key) pairs in the order they were filed.
    keys: [Vec<(usize, Box<str>)>; RecordMap::ALL.len()],
}

/// The record maps: which records a page lists under an area or a plan.
#[derive(Clone, Copy)]
pub enum RecordMap {
    /// Area id → programmes it runs or is covered by.
    ProgrammesTouching,
    /// Area id → programmes it runs itself.
    ProgrammesRunBy,
    /// Plan id → programmes it describes.
    ProgrammesOfPlan,
    ProgressOfArea,
    RelapsesOfArea,
    ExitsOfArea,
    ActivitiesOfArea,
    MilestonesOfPlan,
    /// Area id → its `[[area_year]]` records.
    AreaYearsOfArea,
}

impl RecordMap {
    const ALL: [RecordMap; 9] = [
        RecordMap::ProgrammesTouching,
        RecordMap::ProgrammesRunBy,
        RecordMap::ProgrammesOfPlan,
        RecordMap::ProgressOfArea,
        RecordMap::RelapsesOfArea,
        RecordMap::ExitsOfArea,
        RecordMap::ActivitiesOfArea,
        RecordMap::MilestonesOfPlan,
        RecordMap::AreaYearsOfArea,
    ];

    /// Calls `file` with each (record, key) this map files, in order.
    fn each_key<'s>(self, site: &'s PublicSite, mut file: impl FnMut(usize, &'s str)) {
        let p = site.portal();
        match self {
            RecordMap::ProgrammesTouching => {
                for (i, g) in p.programmes.iter().enumerate() {
                    let mut touched: Vec<&str> = vec![g.area.value.as_str()];
                    touched.extend(g.covers.iter().map(|c| c.value.as_str()));
                    touched.sort_unstable();
                    touched.dedup();
                    touched.into_iter().for_each(|a| file(i, a));
                }
            }
            RecordMap::ProgrammesRunBy => {
                p.programmes
                    .iter()
                    .enumerate()
                    .for_each(|(i, g)| file(i, &g.area.value));
            }
            RecordMap::ProgrammesOfPlan => {
                for (i, g) in p.programmes.iter().enumerate() {
                    if let Some(plan) = &g.plan {
                        file(i, &plan.value);
                    }
                }
            }
            RecordMap::ProgressOfArea => {
                site.progress()
                    .iter()
                    .enumerate()
                    .for_each(|(i, r)| file(i, &r.area));
            }
            RecordMap::RelapsesOfArea => {
                site.relapses()
                    .iter()
                    .enumerate()
                    .for_each(|(i, r)| file(i, &r.area));
            }
            RecordMap::ExitsOfArea => {
                p.exits
                    .iter()
                    .enumerate()
                    .for_each(|(i, e)| file(i, &e.area.value));
            }
            RecordMap::ActivitiesOfArea => {
                p.activities
                    .iter()
                    .enumerate()
                    .for_each(|(i, a)| file(i, &a.area.value));
            }
            RecordMap::MilestonesOfPlan => {
                p.milestones
                    .iter()
                    .enumerate()
                    .for_each(|(i, m)| file(i, &m.plan.value));
            }
            RecordMap::AreaYearsOfArea => {
                p.area_years
                    .iter()
                    .enumerate()
                    .for_each(|(i, y)| file(i, &y.area.value));
            }
        }
    }
}

impl Lookups {
    pub fn build(site: &PublicSite) -> Lookups {
        let (pages, records) =
            rayon::join(|| PageLookups::build(site), || RecordLookups::build(site));
        Lookups {
            pages: Arc::new(pages),
            records: Arc::new(records),
        }
    }

    /// These lookups, made true for `site` after an edit: the page half is
    /// kept when `pages_fit` (the page table was kept), the record half when
    /// it agrees with `site`'s records; whatever does not hold is built again.
    pub fn renewed(&self, site: &PublicSite, pages_fit: bool) -> Lookups {
        let pages = if pages_fit {
            self.pages.clone()
        } else {
            Arc::new(PageLookups::build(site))
        };
        let records = if self.records.agree(site) {
            self.records.clone()
        } else {
            Arc::new(RecordLookups::build(site))
        };
        Lookups { pages, records }
    }

    /// The records filed under `key` in `map`, or none.
    pub fn of(&self, map: RecordMap, key: &str) -> &[usize] {
        self.records.maps[map as usize]
            .get(key)
            .map_or(&[], Vec::as_slice)
    }
}

impl RecordLookups {
    fn build(site: &PublicSite) -> RecordLookups {
        let mut out = RecordLookups::default();
        for map in RecordMap::ALL {
            let (index, keys) = (&mut out.maps[map as usize], &mut out.keys[map as usize]);
            map.each_key(site, |i, key| {
                index.entry(key.to_owned()).or_default().push(i);
                keys.push((i, key.into()));
            });
        }
        out
    }

    /// Whether `site` files every record where these lookups have it: the
    /// same records under the same keys, in the same order. Compares
    /// strings without hashing, so it costs a fraction of a build.
    pub fn agree(&self, site: &PublicSite) -> bool {
        RecordMap::ALL.into_iter().all(|map| {
            let kept = &self.keys[map as usize];
            let (mut n, mut same) = (0, true);
            map.each_key(site, |i, key| {
                same &= kept.get(n).is_some_and(|(j, k)| *j == i && **k == *key);
                n += 1;
            });
            same && n == kept.len()
        })
    }
}

impl PageLookups {
    fn build(site: &PublicSite) -> PageLookups {
        let p = site.portal();
        let mut l = PageLookups {
            top_sections: top_sections(&p.pages),
            ..PageLookups::default()
        };
        let sections = sections(&p.pages);
        for (section, area) in area_sections(&sections, p, site.index()) {
            l.area_of_section
                .insert(section.to_owned(), area.to_owned());
            l.section_of_area
                .insert(area.to_owned(), section.to_owned());
        }
        for (i, page) in p.pages.iter().enumerate() {
            if !page.is_index && !sections.contains_key(page.id.as_str()) {
                l.pages_in_section
                    .entry(page.section.clone())
                    .or_default()
                    .push(i);
            }
        }
        for list in l.pages_in_section.values_mut() {
            list.sort_by(|&a, &b| {
                let (a, b) = (&p.pages[a], &p.pages[b]);
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
        for s in sections.keys().copied().filter(|s| !s.is_empty()) {
            let parent = s.rsplit_once('/').map_or("", |(p, _)| p);
            l.subsections
                .entry(parent.to_owned())
                .or_default()
                .push(s.to_owned());
        }
        l.sections = sections
            .into_iter()
            .map(|(s, index)| (s.to_owned(), index))
            .collect();
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
fn area_sections<'a>(
    sections: &BTreeMap<&'a str, Option<usize>>,
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
        let index = index.map(|i| &p.pages[i]);
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

/// Section path → the place of its `_index.md` in `pages`, for every folder
/// that holds a page.
fn sections(pages: &[Page]) -> BTreeMap<&str, Option<usize>> {
    let mut out: BTreeMap<&str, Option<usize>> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
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
            out.insert(page.id.as_str(), Some(i));
        }
    }
    out
}
