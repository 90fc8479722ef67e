//! The home page finds your village (issue 14, item 4): townships open to
//! their villages without JavaScript, headline figures, no second copy of the
//! navigation; one page per area whatever the content folders are called;
//! headings that do not repeat a level word the name already ends in.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Portal, Site, squash};
use proptest::prelude::*;

/// `<h1>` text of every HTML page of the site, by path.
fn headings(site: &Site) -> BTreeMap<String, String> {
    site.html_files()
        .into_iter()
        .filter_map(|f| {
            let h1 = site.page(&f).texts("main h1").into_iter().next()?;
            Some((f, squash(&h1)))
        })
        .collect()
}

/// Every relative link of every page that points at no file of the site.
fn broken_links(site: &Site) -> Vec<String> {
    let mut broken = Vec::new();
    for f in site.html_files() {
        let page = site.page(&f);
        let dir = Path::new(&f)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        for a in page.select("a[href]") {
            let href = a.value().attr("href").unwrap();
            if href.contains(':') || href.starts_with('#') || href.starts_with('/') {
                continue;
            }
            let path = href.split(['#', '?']).next().unwrap();
            if path.is_empty() {
                continue;
            }
            let mut parts: Vec<String> = dir
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            for seg in path.split('/') {
                match seg {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    s => parts.push(percent_decode(s)),
                }
            }
            let target = parts.join("/");
            if !site.exists(&target) {
                broken.push(format!("{f} → {href}"));
            }
        }
    }
    broken
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The home page's townships: name → the village links under it (text, href).
fn home_groups(site: &Site) -> BTreeMap<String, Vec<(String, String)>> {
    let home = site.page("index.html");
    let mut out = BTreeMap::new();
    for d in home.select("main details.township") {
        let sel = |css: &str| scraper::Selector::parse(css).unwrap();
        let name = d
            .select(&sel("summary .t-name"))
            .next()
            .map(|e| squash(&e.text().collect::<String>()))
            .unwrap();
        let villages = d
            .select(&sel("ul.villages a"))
            .map(|a| {
                (
                    squash(&a.text().collect::<String>()),
                    a.value().attr("href").unwrap().to_string(),
                )
            })
            .collect();
        out.insert(name, villages);
    }
    out
}

#[test]
fn home_lists_every_village_under_its_township() {
    let portal = Portal::example();
    let site = portal.built();
    let groups = home_groups(&site);
    // Every township of the county is a group, in the example's 7.
    assert_eq!(groups.len(), 7, "{groups:?}");
    let listed: Vec<String> = groups
        .values()
        .flatten()
        .map(|(_, href)| {
            href.strip_prefix("areas/")
                .and_then(|h| h.strip_suffix("/index.html"))
                .unwrap_or_else(|| panic!("village link {href}"))
                .to_string()
        })
        .collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, portal.village_ids(), "every village, once");
    assert!(groups["龙沱乡"].iter().any(|(name, _)| name == "分水村"));
    assert!(groups["栗木乡"].iter().any(|(name, _)| name == "下龙井村"));
    // Searchable without JavaScript: no script on the home page, and the
    // village names are in the page text (find-in-page opens <details>).
    let home = site.text("index.html");
    assert!(!home.contains("<script"), "the home page needs no script");
    // Headline figures: townships, villages, projects and their total.
    let page = site.page("index.html");
    let figures: BTreeMap<String, String> = page
        .select("#h-county ~ dl.figures div")
        .into_iter()
        .map(|d| {
            let t = |css: &str| {
                d.select(&scraper::Selector::parse(css).unwrap())
                    .next()
                    .map(|e| squash(&e.text().collect::<String>()))
                    .unwrap_or_default()
            };
            (t("dt"), t("dd"))
        })
        .collect();
    assert_eq!(figures["乡镇"], "7个");
    assert_eq!(figures["行政村"], "7个");
    assert_eq!(figures["项目"], "8个");
    assert_eq!(figures["项目总投资"], "925.74万元");
}

#[test]
fn home_does_not_repeat_the_navigation() {
    let portal = Portal::example();
    let site = portal.built();
    let home = site.page("index.html");
    let nav: Vec<String> = home
        .texts("header nav a")
        .into_iter()
        .map(|t| squash(&t))
        .filter(|t| t != "首页")
        .collect();
    assert!(nav.len() >= 6, "{nav:?}");
    // No list or table in the page body names the sections again.
    let mut repeated = Vec::new();
    for css in ["main td", "main th", "main li", "main a"] {
        for t in home.texts(css) {
            let t = squash(&t);
            if nav.contains(&t) && !repeated.contains(&t) {
                repeated.push(t);
            }
        }
    }
    assert!(
        repeated.len() < 2,
        "the home page repeats the navigation: {repeated:?}"
    );
}

#[test]
fn the_example_has_one_page_per_area_and_no_doubled_level_words() {
    let portal = Portal::example();
    let site = portal.built();
    let h = headings(&site);
    let longtuo: Vec<_> = h
        .iter()
        .filter(|(_, t)| t.starts_with("龙沱乡") && !t.contains("20"))
        .collect();
    assert_eq!(longtuo.len(), 1, "pages titled 龙沱乡: {longtuo:?}");
    assert_eq!(h["areas/longtuo/index.html"], "龙沱乡");
    assert_eq!(h["areas/xialongjing/index.html"], "下龙井村");
    assert!(
        !site.exists("longtuo/index.html"),
        "the section page is the area's page"
    );
    // The section's introduction and documents are on the area's page, and
    // the navigation and the plan's section link lead there.
    let area = site.page("areas/longtuo/index.html");
    assert!(
        area.main_text()
            .contains("本栏目公开全乡的脱贫攻坚工作计划")
    );
    assert!(
        area.texts("#h-plans ~ ul a")
            .iter()
            .any(|t| t.contains("龙沱乡2020年脱贫攻坚工作计划"))
    );
    let nav = site.page("index.html");
    assert!(
        nav.select("header nav a")
            .iter()
            .any(|a| a.value().attr("href") == Some("areas/longtuo/index.html"))
    );
    assert_eq!(broken_links(&site), Vec::<String>::new());
}

/// How a content section claims a township.
#[derive(Debug, Clone, Copy)]
enum Claim {
    /// The folder is the area's id.
    Folder,
    /// The `_index.md` title is the area's name.
    Title,
    /// `area = "…"` in the `_index.md` front matter.
    FrontMatter,
    /// An unrelated section.
    None,
}

const BASES: &[&str] = &["山阳", "河口", "青石", "老鹰", "白沙", "黄泥", "马鞍"];

fn level_case() -> impl Strategy<Value = (String, &'static str, &'static str)> {
    // (name, level code, its Chinese tag when shown)
    (
        prop::sample::select(BASES),
        prop::sample::select(&["乡", "镇", "街道", "", "坝"][..]),
        prop::sample::select(&["township", "town"][..]),
    )
        .prop_map(|(b, s, code)| {
            let tag = if code == "town" { "镇" } else { "乡" };
            (format!("{b}{s}"), code, tag)
        })
}

fn village_case() -> impl Strategy<Value = (String, &'static str)> {
    (
        prop::sample::select(BASES),
        prop::sample::select(&["村", "社区", "", "湾", "寨子"][..]),
    )
        // A 下 keeps village names apart from township names.
        .prop_map(|(b, s)| (format!("{b}下{s}"), "行政村"))
}

fn claim() -> impl Strategy<Value = Claim> {
    prop_oneof![
        Just(Claim::Folder),
        Just(Claim::Title),
        Just(Claim::FrontMatter),
        Just(Claim::None)
    ]
}

/// A small portal: one township (`tship`) with one village, and a content
/// section with one plan that claims the township as `claim` says.
fn portal(tship: &(String, &str, &str), village: &(String, &str), claim: Claim) -> Portal {
    let portal = Portal::from_fixture("minimal");
    portal.write(
        "data/areas.toml",
        format!(
            r#"[[area]]
id = "hexi"
name = "河西县"
level = "county"
households = 1200
population = 4300

[[area]]
id = "shanyang"
name = "{}"
level = "{}"
parent = "hexi"
households = 1200
population = 4300

[[area]]
id = "xiaowan"
name = "{}"
level = "village"
parent = "shanyang"
households = 300
population = 1100
labourers = 620
"#,
            tship.0, tship.1, village.0
        ),
    );
    let (folder, title, front) = match claim {
        Claim::Folder => ("shanyang", "乡里的计划".to_string(), ""),
        Claim::Title => ("xiangli", tship.0.clone(), ""),
        Claim::FrontMatter => ("xiangli", "本乡工作".to_string(), "area = \"shanyang\"\n"),
        Claim::None => ("xiangli", "乡里的计划".to_string(), ""),
    };
    portal.write(
        &format!("content/{folder}/_index.md"),
        format!("+++\ntitle = \"{title}\"\n{front}+++\n\n本栏目的介绍。\n"),
    );
    portal.write(
        &format!("content/{folder}/plan-2020.md"),
        "+++\ntitle = \"2020年乡工作计划\"\ndate = 2020-02-10\nkind = \"plan\"\n+++\n\n见[本栏目](_index.md)。\n",
    );
    portal
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Whatever the section is called, an area has one page; the section's
    /// links lead somewhere; headings never double a level word; the home page
    /// lists the village under its township.
    #[test]
    fn one_page_per_area_and_headings_without_doubled_level_words(
        tship in level_case(),
        village in village_case(),
        claim in claim(),
    ) {
        let portal = portal(&tship, &village, claim);
        let site = portal.built();
        let h = headings(&site);
        // The heading (spaces squashed): the name, then the level unless
        // the name already ends in a word of that level.
        let own = |name: &str, tag: &str| {
            let words: &[&str] = if tag == "行政村" {
                &["村", "社区", "嘎查"]
            } else {
                &["乡", "镇", "街道", "苏木"]
            };
            if words.iter().any(|w| name.ends_with(w)) {
                name.to_string()
            } else {
                format!("{name} {tag}")
            }
        };
        let t_heading = own(&tship.0, tship.2);
        let v_heading = own(&village.0, village.1);
        prop_assert_eq!(&h["areas/shanyang/index.html"], &t_heading);
        prop_assert_eq!(&h["areas/xiaowan/index.html"], &v_heading);
        let pages_of_township: Vec<_> = h
            .iter()
            .filter(|(_, t)| **t == tship.0 || **t == t_heading)
            .collect();
        prop_assert_eq!(pages_of_township.len(), 1, "{:?}", pages_of_township);
        let merged = !matches!(claim, Claim::None);
        let section_dir = if matches!(claim, Claim::Folder) { "shanyang" } else { "xiangli" };
        prop_assert_eq!(
            site.exists(&format!("{section_dir}/index.html")),
            !merged,
            "{:?}", claim
        );
        if merged {
            let area = site.page("areas/shanyang/index.html");
            prop_assert!(area.main_text().contains("本栏目的介绍"));
        }
        prop_assert_eq!(broken_links(&site), Vec::<String>::new());
        let groups = home_groups(&site);
        prop_assert_eq!(
            &groups[&tship.0],
            &vec![(village.0.clone(), "areas/xiaowan/index.html".to_string())]
        );
    }
}
