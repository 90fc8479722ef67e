//! The built site: the bundled example portal (the repository root) and small
//! fixture portals are built with the real binary, and the HTML is parsed and
//! checked: every page exists, the figures are right, links resolve, and the
//! output is safe and reproducible.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{Page, Portal, Site, cunwu_in, repo_root, snapshot};
use tempfile::TempDir;

/// `cunwu build --root <repo> --output <tmp>/public`.
fn build_example() -> (TempDir, Site<'static>) {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("public");
    let root = repo_root();
    cunwu_in(
        tmp.path(),
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
    )
    .assert_ok();
    (tmp, Site::at(out))
}

// ---------------------------------------------------------------------------
// Every record and every plan of the example has its page.

/// Every `*.ext` file under `dir`, sorted.
fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The pages the example's data and content call for, read from disk with the
/// toml crate (not from cunwu), as output paths.
fn expected_pages(portal: &Path) -> BTreeSet<String> {
    let mut pages = BTreeSet::new();
    for file in files_with_ext(&portal.join("data"), "toml") {
        let doc: toml::Table = std::fs::read_to_string(&file).unwrap().parse().unwrap();
        let records = |kind: &str| -> Vec<toml::Table> {
            doc.get(kind)
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|t| t.as_table().cloned()).collect())
                .unwrap_or_default()
        };
        let id = |t: &toml::Table| t["id"].as_str().unwrap().to_string();
        for area in records("area") {
            match area["level"].as_str().unwrap() {
                "county" => pages.insert("index.html".to_string()),
                _ => pages.insert(format!("areas/{}/index.html", id(&area))),
            };
        }
        for programme in records("programme") {
            pages.insert(format!("programmes/{}/index.html", id(&programme)));
        }
        for project in records("project") {
            pages.insert(format!("projects/{}/index.html", id(&project)));
        }
    }
    let content = portal.join("content");
    for file in files_with_ext(&content, "md") {
        let text = std::fs::read_to_string(&file).unwrap();
        let front = text.split("+++").nth(1).expect("front matter");
        let front: toml::Table = front.parse().unwrap();
        if front.get("draft").and_then(|d| d.as_bool()) == Some(true) {
            continue;
        }
        let rel = file
            .strip_prefix(&content)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let stem = rel.strip_suffix(".md").unwrap();
        let id = match front.get("id").and_then(|v| v.as_str()) {
            Some(id) => id.to_string(),
            None => stem
                .strip_suffix("_index")
                .unwrap_or(stem)
                .trim_end_matches('/')
                .to_string(),
        };
        pages.insert(if id.is_empty() {
            "index.html".into()
        } else {
            format!("{id}/index.html")
        });
    }
    pages
}

#[test]
fn example_has_a_page_for_every_area_programme_project_and_plan() {
    let (_tmp, site) = build_example();
    let mut expected = expected_pages(&repo_root());
    // content/longtuo/ is the township 龙沱乡's own section: it is shown on
    // the area's page, not as a second 龙沱乡 page (tests/home.rs).
    assert!(expected.remove("longtuo/index.html"));
    // A sanity floor, so that a loader that finds nothing cannot pass.
    for prefix in ["areas/", "programmes/", "projects/"] {
        assert!(
            expected.iter().filter(|p| p.starts_with(prefix)).count() >= 3,
            "the example has too few {prefix} records: {expected:#?}"
        );
    }
    assert!(expected.contains("areas/xialongjing/index.html"));
    assert!(expected.contains("villages/xialongjing-2019/index.html"));
    let written: BTreeSet<String> = site.html_files().into_iter().collect();
    let missing: Vec<&String> = expected.difference(&written).collect();
    assert!(missing.is_empty(), "pages not written: {missing:#?}");
    assert!(site.exists("404.html"));
    assert!(site.exists("style.css"));
}

#[test]
fn every_page_has_a_title_a_language_one_h1_a_main_and_no_script() {
    let (_tmp, site) = build_example();
    let pages = site.html_files();
    assert!(pages.len() > 30, "only {} pages", pages.len());
    for path in &pages {
        let raw = site.text(path);
        // Only the search page loads scripts (tests/features.rs checks them).
        assert!(
            path == "search/index.html" || !raw.to_lowercase().contains("<script"),
            "{path} has a <script>"
        );
        let page = site.page(path);
        let html = page.select("html");
        assert_eq!(html.len(), 1, "{path}");
        assert_eq!(
            html[0].value().attr("lang"),
            Some("zh-CN"),
            "{path}: <html lang>"
        );
        assert_eq!(page.select("h1").len(), 1, "{path}: exactly one <h1>");
        assert_eq!(page.select("main").len(), 1, "{path}: one <main>");
        assert!(
            !page.texts("title").concat().trim().is_empty(),
            "{path}: empty <title>"
        );
        for table in page.select("table") {
            let th = scraper::Selector::parse("thead th, tr th[scope=col]").unwrap();
            assert!(
                table.select(&th).next().is_some(),
                "{path}: a table without column headers:\n{}",
                table.html()
            );
        }
    }
}

// ---------------------------------------------------------------------------
// The figures of the brief, as published.

fn assert_xialongjing_funds(page: &Page) {
    let funds = page.fund_table();
    assert!(
        funds.totals.iter().any(|t| t == "26.70"),
        "{}: totals {:?}",
        page.path,
        funds.totals
    );
    assert_eq!(
        funds.amount("群众筹资投劳"),
        Some("11.70"),
        "{}: {funds:?}",
        page.path
    );
    assert_eq!(
        funds.amount("财政奖补"),
        Some("15.00"),
        "{}: {funds:?}",
        page.path
    );
    assert_eq!(
        funds.amount("其中：省级"),
        Some("15.00"),
        "{}: {funds:?}",
        page.path
    );
    assert!(
        funds.note("财政奖补").unwrap().contains("省级财政扶贫资金"),
        "{funds:?}"
    );
    // Exactly the two sources: nothing else is claimed at the top level.
    let tops: Vec<&str> = funds
        .rows
        .iter()
        .filter(|(l, _, _)| !l.starts_with("其中"))
        .map(|(l, _, _)| l.as_str())
        .collect();
    assert_eq!(tops, ["群众筹资投劳", "财政奖补"], "{}", page.path);
}

#[test]
fn xialongjing_village_and_programme_show_26_70_from_two_sources() {
    let (_tmp, site) = build_example();
    let village = site.page("areas/xialongjing/index.html");
    assert_eq!(
        village.texts("h1")[0].split_whitespace().next(),
        Some("下龙井村")
    );
    assert_xialongjing_funds(&village);
    let main = village.main_text();
    for figure in ["73", "317", "1,563", "470"] {
        assert!(main.contains(figure), "village page lacks {figure}");
    }
    assert_xialongjing_funds(&site.page("programmes/xialongjing-2019/index.html"));
}

#[test]
fn yishiyiyi_2019_shows_899_04_and_its_sources_and_fiscal_levels() {
    let (_tmp, site) = build_example();
    let page = site.page("programmes/yishiyiyi-2019/index.html");
    let funds = page.fund_table();
    assert_eq!(funds.totals, ["899.04"]);
    assert_eq!(funds.amount("群众筹资投劳"), Some("659.00"), "{funds:?}");
    assert_eq!(funds.amount("财政奖补"), Some("219.98"), "{funds:?}");
    assert_eq!(funds.amount("社会投入"), Some("20.06"), "{funds:?}");
    assert_eq!(
        funds.amount("其中：中央和省级"),
        Some("145.00"),
        "{funds:?}"
    );
    assert_eq!(funds.amount("其中：市级"), Some("20.00"), "{funds:?}");
    assert_eq!(funds.amount("其中：县级"), Some("54.98"), "{funds:?}");
}

#[test]
fn yishiyiyi_2020_shows_1011_and_265000_labour_days_at_20_yuan() {
    let (_tmp, site) = build_example();
    let page = site.page("programmes/yishiyiyi-2020/index.html");
    let funds = page.fund_table();
    assert_eq!(funds.totals, ["1,011.00"]);
    assert_eq!(funds.amount("群众筹资投劳"), Some("758.00"), "{funds:?}");
    assert_eq!(funds.amount("其中：筹资"), Some("228.00"), "{funds:?}");
    assert_eq!(funds.amount("其中：投劳折资"), Some("530.00"), "{funds:?}");
    let labour = funds.note("其中：投劳折资").unwrap();
    assert!(
        labour.contains("265,000") && labour.contains("20"),
        "labour note: {labour}"
    );
    assert_eq!(funds.amount("财政奖补"), Some("253.00"), "{funds:?}");
    assert_eq!(
        funds.amount("其中：中央和省级"),
        Some("169.00"),
        "{funds:?}"
    );
    assert_eq!(funds.amount("其中：市县两级"), Some("84.00"), "{funds:?}");
}

#[test]
fn money_is_printed_exactly_as_written() {
    let portal = Portal::from_fixture("minimal");
    portal.write(
        "data/money.toml",
        r#"
[[project]]
id = "scale"
name = "金额位数测试一"
area = "xiaowan"
year = 2020
category = "测试"

[project.funds]
total = 899.040
fiscal = 899.040

[project.funds.fiscal_levels]
county = 899.040

[[project]]
id = "huge"
name = "金额位数测试二"
area = "xiaowan"
year = 2020
category = "测试"

[project.funds]
total = 12345678901234.56
fiscal = 12345678901234.56

[project.funds.fiscal_levels]
county = 12345678901234.56
"#,
    );
    let site = portal.built();
    let scale = site.page("projects/scale/index.html").fund_table();
    assert_eq!(scale.totals, ["899.04"]);
    assert_eq!(scale.amount("其中：县级"), Some("899.04"));
    let huge = site.page("projects/huge/index.html").fund_table();
    assert_eq!(huge.totals, ["12,345,678,901,234.56"]);
    assert_eq!(huge.amount("财政奖补"), Some("12,345,678,901,234.56"));
}

// ---------------------------------------------------------------------------
// Links.

/// Decodes `%XX` escapes (UTF-8), as a browser does for a fragment.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Resolves `href` (relative to the page at `from`) to a site path, or `None`
/// when it climbs out of the site.
fn resolve(from: &str, href: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Every relative `href`/`src` of every page points at a written file, and
/// every `#fragment` at an element id of that page.
fn assert_links_resolve(site: &Site) -> usize {
    let mut checked = 0;
    let ids = |page: &Page| -> BTreeSet<String> {
        page.select("[id]")
            .iter()
            .map(|e| e.value().attr("id").unwrap().to_string())
            .collect()
    };
    for path in site.html_files() {
        let page = site.page(&path);
        for el in page.select("[href], [src]") {
            for attr in ["href", "src"] {
                let Some(url) = el.value().attr(attr) else {
                    continue;
                };
                // The 404 page is served at any depth, so its links start at
                // the server root (docs/site.md); it sits at the root itself.
                let url = match path.as_str() {
                    "404.html" => url.strip_prefix('/').unwrap_or(url),
                    _ => url,
                };
                if url.starts_with("http://")
                    || url.starts_with("https://")
                    || url.starts_with("mailto:")
                {
                    continue;
                }
                assert!(
                    !url.starts_with('/'),
                    "{path}: absolute link {url} breaks file:// and sub-paths"
                );
                assert!(
                    !url.contains("://") && !url.starts_with("javascript:"),
                    "{path}: {url}"
                );
                let (file, fragment) = match url.split_once('#') {
                    Some((f, frag)) => (f, Some(frag)),
                    None => (url, None),
                };
                let target = if file.is_empty() {
                    path.clone()
                } else {
                    let t = resolve(&path, file)
                        .unwrap_or_else(|| panic!("{path}: {url} climbs out of the site"));
                    assert!(
                        site.exists(&t),
                        "{path}: {attr}=\"{url}\" → {t}, which was not written"
                    );
                    t
                };
                if let Some(frag) = fragment.filter(|f| !f.is_empty()) {
                    if target.ends_with(".html") {
                        let id = percent_decode(frag);
                        assert!(
                            ids(&site.page(&target)).contains(&id),
                            "{path}: {url}: no element with id `{id}` in {target}"
                        );
                    }
                }
                checked += 1;
            }
        }
    }
    checked
}

#[test]
fn every_relative_link_of_the_example_resolves_to_a_written_file() {
    let (_tmp, site) = build_example();
    let checked = assert_links_resolve(&site);
    assert!(checked > 200, "only {checked} links checked");
}

#[test]
fn markdown_links_are_rewritten_to_page_urls() {
    let portal = Portal::from_fixture("minimal");
    let site = portal.built();
    let hrefs = |path: &str| -> Vec<String> {
        site.page(path)
            .select("main a[href]")
            .iter()
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect()
    };
    assert!(hrefs("index.html").contains(&"plans/work-plan-2020/index.html".to_string()));
    let plan = hrefs("plans/work-plan-2020/index.html");
    assert!(
        plan.iter()
            .any(|h| h.starts_with("../notice-2020/index.html#")),
        "a link to notice-2020.md#时间安排 was not rewritten: {plan:?}"
    );
    let notice = hrefs("plans/notice-2020/index.html");
    assert!(
        notice.contains(&"../work-plan-2020/index.html".to_string()),
        "{notice:?}"
    );
    for path in site.html_files() {
        for a in site.page(&path).select("a[href]") {
            let href = a.value().attr("href").unwrap();
            assert!(
                !href.split('#').next().unwrap().ends_with(".md"),
                "{path}: {href}"
            );
        }
    }
    assert_links_resolve(&site);

    // The example's plans link to each other the same way.
    let (_tmp, example) = build_example();
    let yanjiao = example.page("villages/yanjiao-work-plan-2020/index.html");
    let links: Vec<&str> = yanjiao
        .select("main a[href]")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert!(
        links.contains(&"../../longtuo/work-plan-2020/index.html"),
        "{links:?}"
    );
}

#[test]
fn a_link_to_a_missing_markdown_file_is_an_error() {
    let portal = Portal::from_fixture("bad-input/broken-link");
    let at = portal.locate(
        "content/plans/work-plan-2020.md",
        "[实施方案](road-plan-2020.md)",
    );
    portal
        .build()
        .assert_refused()
        .assert_mentions(&at)
        .assert_mentions("road-plan-2020.md");
    assert!(!portal.output().exists(), "a refused build wrote output");
}

// ---------------------------------------------------------------------------
// Safety and reproducibility.

#[test]
fn raw_html_in_a_plan_is_cleaned_of_scripts_and_handlers() {
    let portal = Portal::from_fixture("minimal");
    portal.write(
        "content/plans/unsafe.md",
        r#"+++
title = "含有原始 HTML 的文稿"
date = 2020-04-01
+++

<script>alert("偷看");</script>

<p onclick="steal()">请<a href="javascript:steal()" onmouseover="steal()">点这里</a>查看公示。</p>

<img src="../../style.css" onerror="steal()" alt="图">

| 左 | 中 | 右 |
|:--|:-:|--:|
| 1 | 2 | 3 |
"#,
    );
    let site = portal.built();
    let raw = site.text("plans/unsafe/index.html");
    let lower = raw.to_lowercase();
    for bad in [
        "<script",
        "alert(",
        "onclick",
        "onmouseover",
        "onerror",
        "javascript:",
        "steal()",
    ] {
        assert!(!lower.contains(bad), "`{bad}` survived:\n{raw}");
    }
    let page = site.page("plans/unsafe/index.html");
    let main = page.main_text();
    assert!(
        main.contains("请点这里查看公示。"),
        "the text around the removed parts is kept: {main}"
    );
    let aligned: Vec<&str> = page
        .select("main th[style]")
        .iter()
        .map(|e| e.value().attr("style").unwrap())
        .collect();
    assert_eq!(
        aligned,
        [
            "text-align: left",
            "text-align: center",
            "text-align: right"
        ]
    );
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let (_a, first) = build_example();
    let (_b, second) = build_example();
    let first = snapshot(&first.root);
    let second = snapshot(&second.root);
    assert!(first.len() > 30);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>(),
        "the two builds wrote different files"
    );
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between two builds");
    }
}
