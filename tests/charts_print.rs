//! Charts, 公示 print views and the notice period (issue 6, items 1, 3, 7).
//!
//! The SVG charts carry their figures in their text alternatives; a
//! suppressed count is never drawn or written as a number; every print view
//! shows the notice period, the supervision lines and, when `base_url` is
//! set, a QR code that decodes (rasterised from the SVG's modules and read
//! with `rqrr`) to the page's absolute URL; `notice.period` has a passing and
//! a failing fixture.

mod common;

use std::path::PathBuf;

use common::{Page, Portal, Site, squash};
use scraper::{ElementRef, Selector};
use serde_json::Value;

const BASE_URL: &str = "https://qingshan.example.gov.cn/cunwu/";

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

fn text_of(e: ElementRef) -> String {
    squash(&e.text().collect::<String>())
}

/// The example portal with `base_url` set (the repository's own has none).
fn example_online() -> Portal {
    let portal = Portal::example();
    let toml = portal.read("cunwu.toml");
    assert!(
        !toml.lines().any(|l| l.trim_start().starts_with("base_url")),
        "the example now sets base_url; adjust this test"
    );
    let toml = toml.replacen(
        "county = \"qingshan\"",
        &format!("county = \"qingshan\"\nbase_url = \"{BASE_URL}\""),
        1,
    );
    portal.write("cunwu.toml", toml);
    portal
}

/// Every chart of a page: its `<desc>` (what a screen reader reads with the title).
fn chart_descs(page: &Page) -> Vec<String> {
    let mut out = Vec::new();
    for svg in page.select("svg.chart") {
        let v = svg.value();
        assert_eq!(
            v.attr("role"),
            Some("img"),
            "{}: chart without role=img",
            page.path
        );
        assert!(
            v.attr("viewbox").or(v.attr("viewBox")).is_some(),
            "{}: no viewBox",
            page.path
        );
        assert_eq!(
            v.attr("width"),
            Some("100%"),
            "{}: not responsive",
            page.path
        );
        // aria-labelledby names the chart's own title and desc.
        let ids: Vec<&str> = v
            .attr("aria-labelledby")
            .unwrap_or("")
            .split_whitespace()
            .collect();
        assert_eq!(ids.len(), 2, "{}: aria-labelledby {ids:?}", page.path);
        let title = svg.select(&sel("title")).next().expect("a <title>");
        let desc = svg.select(&sel("desc")).next().expect("a <desc>");
        assert_eq!(title.value().attr("id"), Some(ids[0]));
        assert_eq!(desc.value().attr("id"), Some(ids[1]));
        assert!(!text_of(title).is_empty());
        out.push(text_of(desc));
    }
    out
}

fn funds_desc(page: &Page) -> String {
    chart_descs(page)
        .into_iter()
        .find(|d| d.starts_with("资金来源："))
        .unwrap_or_else(|| panic!("{}: no funding-sources chart", page.path))
}

#[test]
fn fund_charts_say_their_figures_in_text() {
    let portal = Portal::example();
    let site = portal.built();
    let county = site.page("programmes/yishiyiyi-2019/index.html");
    let desc = funds_desc(&county);
    assert!(
        desc.contains("资金来源：群众筹资投劳 659.00 万元，财政奖补 219.98 万元，社会投入 20.06 万元，合计 899.04 万元"),
        "{desc}"
    );
    assert!(
        desc.contains("中央和省级 145.00 万元，市级 20.00 万元，县级 54.98 万元"),
        "{desc}"
    );
    // The legend says the figures too, so colour is not needed to read them.
    let legend = county
        .select("svg.chart text")
        .into_iter()
        .map(text_of)
        .collect::<Vec<_>>()
        .join(" | ");
    for figure in ["659.00", "219.98", "20.06", "899.04"] {
        assert!(legend.contains(figure), "legend lacks {figure}: {legend}");
    }
    // Parts differ by pattern, not colour alone.
    assert!(county.select("svg.chart pattern").len() >= 2);

    let expect_xlj = |page: &Page| {
        let desc = funds_desc(page);
        assert!(
            desc.contains(
                "资金来源：群众筹资投劳 11.70 万元，财政奖补 15.00 万元，合计 26.70 万元"
            ),
            "{}: {desc}",
            page.path
        );
    };
    expect_xlj(&site.page("programmes/xialongjing-2019/index.html"));
    expect_xlj(&site.page("areas/xialongjing/index.html"));
    let road = funds_desc(&site.page("projects/xialongjing-2019-roads/index.html"));
    assert!(
        road.contains("群众筹资投劳 7.10 万元，财政奖补 9.20 万元，合计 16.30 万元"),
        "{road}"
    );

    let categories = chart_descs(&site.page("areas/xialongjing/index.html"))
        .into_iter()
        .find(|d| d.contains("按类别"))
        .expect("a projects-by-category chart");
    for part in [
        "村组道路 1 个 16.30 万元",
        "人畜饮水 1 个 9.30 万元",
        "合计 4 个项目 26.70 万元",
    ] {
        assert!(categories.contains(part), "{categories}");
    }

    let progress = chart_descs(&site.page("areas/longtuo/index.html"));
    assert!(
        progress
            .iter()
            .any(|d| d.contains("户：已完成 83，剩余 59，起始 142")),
        "{progress:#?}"
    );
    assert!(
        progress
            .iter()
            .any(|d| d.contains("人：已完成 14，剩余 92，目标 106")),
        "{progress:#?}"
    );
}

#[test]
fn every_chart_on_every_page_has_a_text_alternative_and_unique_ids() {
    let portal = Portal::example();
    let site = portal.built();
    let mut charts = 0;
    for path in site.html_files() {
        let page = site.page(&path);
        charts += chart_descs(&page).len();
        let mut ids: Vec<&str> = page
            .select("[id]")
            .iter()
            .map(|e| e.value().attr("id").unwrap())
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "{path}: duplicate element ids");
    }
    assert!(charts >= 10, "only {charts} charts in the example");
}

#[test]
fn suppressed_progress_is_never_drawn_or_written_as_a_number() {
    let portal = Portal::from_fixture("privacy/clean");
    // 40 at the start, 37 lifted, 3 remaining: 3 is published as <5 and 37 is withheld.
    portal.write(
        "data/progress.toml",
        "[[progress]]\narea = \"xialongjing\"\nyear = 2020\nkind = \"poverty\"\nhouseholds = { start = 40, done = 37, remaining = 3 }\n",
    );
    let site = portal.built();
    let page = site.page("areas/xialongjing/index.html");
    let svgs = page.select("svg.chart");
    let svg = svgs
        .iter()
        .find(|s| {
            s.select(&sel("desc"))
                .next()
                .is_some_and(|d| text_of(d).contains("已完成"))
        })
        .expect("a progress chart");
    let text: String = svg.text().collect::<Vec<_>>().join(" ");
    assert!(text.contains("已完成 不公开"), "{text}");
    assert!(text.contains("剩余 <5"), "{text}");
    let numbers: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    for hidden in ["37", "3"] {
        assert!(
            !numbers.contains(&hidden),
            "{hidden} is written in the chart: {text}"
        );
    }
    // Drawn as unknown: no bar to scale that would give the figures back.
    assert_eq!(svg.select(&sel(".c-unknown")).count(), 1, "{}", svg.html());
    assert_eq!(
        svg.select(&sel(".c-done, .c-remaining")).count(),
        0,
        "{}",
        svg.html()
    );
    let html = svg.html();
    assert!(!html.contains("37"), "37 appears in the SVG markup");
}

/// The QR code's modules as a bit matrix (with its quiet zone), from the
/// SVG's `viewBox` and the runs of its `<path d="M{x} {y}h{n}v1h-{n}z…">`.
fn qr_modules(svg: ElementRef) -> Vec<Vec<bool>> {
    let v = svg.value();
    let view = v.attr("viewbox").or(v.attr("viewBox")).expect("viewBox");
    let size: usize = view.split_whitespace().nth(2).unwrap().parse().unwrap();
    let mut grid = vec![vec![false; size]; size];
    let path = svg.select(&sel("path")).next().expect("a path of modules");
    let d = path.value().attr("d").unwrap();
    for run in d.split('M').filter(|s| !s.is_empty()) {
        let run = run.strip_suffix('z').expect("closed run");
        let (xy, rest) = run.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (n, back) = rest.split_once("v1h-").unwrap();
        assert_eq!(n, back, "a run is a rectangle one module high");
        let (x, y, n): (usize, usize, usize) =
            (x.parse().unwrap(), y.parse().unwrap(), n.parse().unwrap());
        for cell in &mut grid[y][x..x + n] {
            *cell = true;
        }
    }
    grid
}

/// Rasterises the modules (4 px each) and reads the code as a camera would.
fn decode_qr(svg: ElementRef) -> String {
    let grid = qr_modules(svg);
    let scale = 4;
    let size = grid.len() * scale;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
        if grid[y / scale][x / scale] { 0 } else { 255 }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    let (_, content) = grids[0].decode().expect("the QR code decodes");
    content
}

fn print_pages(site: &Site) -> Vec<String> {
    site.html_files()
        .into_iter()
        .filter(|p| p.ends_with("/print.html"))
        .collect()
}

#[test]
fn every_print_view_has_the_notice_the_hotline_and_a_qr_code_of_its_page() {
    let portal = example_online();
    let site = portal.built();
    let pages = print_pages(&site);
    // One per village, programme and project page; none for townships and groups.
    let villages = portal.village_ids();
    assert!(villages.len() >= 5, "{villages:?}");
    for index in site.html_files().iter().filter(|p| {
        ["areas/", "programmes/", "projects/"]
            .iter()
            .any(|k| p.starts_with(k))
            && p.ends_with("/index.html")
    }) {
        let print = index.replace("/index.html", "/print.html");
        let page = site.page(index);
        let link = page
            .select("a[href='print.html']")
            .into_iter()
            .find(|a| text_of(*a) == "打印公示");
        let area = index
            .strip_prefix("areas/")
            .and_then(|rest| rest.strip_suffix("/index.html"));
        if area.is_some_and(|id| !villages.iter().any(|v| v == id)) {
            assert!(
                !pages.contains(&print),
                "{index} is not a village but has a print view"
            );
            assert!(
                link.is_none(),
                "{index} links a print view it does not have"
            );
            continue;
        }
        assert!(pages.contains(&print), "{index} has no print view");
        assert!(link.is_some(), "{index} does not link 打印公示");
    }
    assert!(pages.len() >= 15, "{pages:#?}");
    for path in &pages {
        let page = site.page(path);
        let text = page.main_text();
        assert!(text.contains("12317"), "{path}: no hotline");
        assert!(text.contains("0871-6512345"), "{path}: no county line");
        assert!(text.contains("公示期："), "{path}: no notice period");
        let qrs = page.select("svg.qr");
        assert_eq!(qrs.len(), 1, "{path}: one QR code");
        let url = format!("{BASE_URL}{}", path.replace("print.html", "index.html"));
        assert_eq!(decode_qr(qrs[0]), url, "{path}");
        assert!(
            text.contains(&url),
            "{path}: the URL is printed under the code"
        );
        assert_eq!(
            page.select(".print-tools a[href='index.html']").len(),
            1,
            "{path}: no way back"
        );
    }
    // The notice periods from data, own or inherited from the programme.
    let period = |path: &str| -> String {
        let page = site.page(path);
        page.texts("p.period").join(" ")
    };
    let county = "公示期：2019年3月1日 至 2019年3月15日（共 15 天）";
    assert!(
        period("programmes/yishiyiyi-2019/print.html").starts_with(county),
        "{}",
        period("programmes/yishiyiyi-2019/print.html")
    );
    assert!(period("projects/yishiyiyi-2019-roads/print.html").starts_with(county));
    let village = "公示期：2019年12月20日 至 2019年12月29日（共 10 天）";
    for path in [
        "programmes/xialongjing-2019/print.html",
        "projects/xialongjing-2019-water/print.html",
        "areas/xialongjing/print.html",
    ] {
        assert!(
            period(path).starts_with(village),
            "{path}: {}",
            period(path)
        );
    }
    let times: Vec<String> = site
        .page("areas/xialongjing/print.html")
        .select("p.period time")
        .iter()
        .map(|t| t.value().attr("datetime").unwrap().to_string())
        .collect();
    assert_eq!(times, ["2019-12-20", "2019-12-29"]);
    // A record without a notice period gets blanks to fill in by hand on
    // paper, and the clerk is told on screen only.
    let changting = site.page("areas/changting/print.html");
    assert!(
        !period("areas/changting/print.html").contains("未填写"),
        "{}",
        period("areas/changting/print.html")
    );
    assert_eq!(changting.select("p.period .blank").len(), 2);
    assert!(
        changting
            .texts(".screen-notes li")
            .iter()
            .any(|t| t.contains("未填写公示起止日期"))
    );
    // The figures are on the sheet.
    let sheet = site.page("programmes/yishiyiyi-2019/print.html");
    let funds = sheet.fund_table();
    assert_eq!(funds.amount("财政奖补"), Some("219.98"));
    assert!(funds.totals.iter().any(|t| t == "899.04"));
}

#[test]
fn without_base_url_the_print_view_says_there_is_no_qr_code() {
    let portal = Portal::example();
    let run = portal.build();
    run.assert_ok().assert_mentions("warning[render.no-qr]");
    assert_eq!(run.stderr.matches("render.no-qr").count(), 1, "said once");
    let site = Site::at(portal.output());
    let page = site.page("programmes/yishiyiyi-2019/print.html");
    assert!(page.select("svg.qr").is_empty());
    // Said on screen (a note hidden in print), never on the sheet itself.
    let notes = page.texts(".screen-notes li").join(" ");
    assert!(notes.contains("base_url"), "{notes}");
    assert!(
        notes.contains("programmes/yishiyiyi-2019/index.html"),
        "{notes}"
    );
    assert!(!page.texts(".sheet").join(" ").contains("base_url"));
    assert!(
        !site.exists("areas/xialongjing/poster.html"),
        "no poster without base_url"
    );
    // The print view links back; `root` makes its stylesheet load from file://.
    assert_eq!(page.select("link[href='../../style.css']").len(), 1);
}

#[test]
fn exit_indicators_are_a_checklist_that_does_not_rely_on_colour() {
    let portal = Portal::example();
    let site = portal.built();
    let page = site.page("areas/fenshui/index.html");
    let items = page.texts("ul.checklist li");
    assert!(items.len() >= 10, "{items:?}");
    for item in &items {
        assert!(
            (item.starts_with('✓') && item.contains("达到"))
                || (item.starts_with('✗') && item.contains("未达到")),
            "{item}"
        );
    }
    let heading = page
        .texts("h3")
        .into_iter()
        .find(|h| h.contains("退出指标"))
        .expect("a heading");
    assert!(heading.starts_with("2020年退出指标"), "{heading}");
    assert!(
        heading.contains(&format!("共 {} 项", items.len())),
        "{heading}"
    );
}

#[test]
fn activities_show_a_year_calendar_with_targets_against_what_was_held() {
    let portal = Portal::example();
    let site = portal.built();
    let page = site.page("areas/changting/index.html");
    let table = page.select("table.calendar");
    assert_eq!(table.len(), 1);
    let months: Vec<String> = table[0]
        .select(&sel("thead th.month"))
        .map(text_of)
        .collect();
    assert_eq!(months.len(), 12);
    assert_eq!(months[2], "3月");
    let rows: Vec<String> = table[0].select(&sel("tbody tr")).map(text_of).collect();
    let large = rows
        .iter()
        .find(|r| r.starts_with("大型群众文体活动"))
        .expect("the large events");
    assert!(large.contains("计划 2 次，已开展 1 次"), "{large}");
    let weekly = rows.iter().find(|r| r.starts_with("健身舞练习")).unwrap();
    assert!(
        weekly.contains("每周") && weekly.contains("计划 52 次，已开展 22 次"),
        "{weekly}"
    );
}

#[test]
fn plan_milestones_are_a_timeline_in_xun() {
    let portal = Portal::example();
    let site = portal.built();
    let page = site.page("monitoring/plan-2020/index.html");
    let months = page.texts("ol.timeline > li > h3");
    assert_eq!(
        months.first().map(String::as_str),
        Some("2020年3月"),
        "{months:?}"
    );
    let steps = page.texts("ol.timeline .tl-step");
    assert!(steps[0].starts_with("3月中旬"), "{steps:?}");
    assert!(steps.iter().any(|s| s.starts_with("4月上旬")), "{steps:?}");
    let deadline = page.select("ol.timeline .tl-step time")[0]
        .value()
        .attr("datetime");
    assert_eq!(deadline, Some("2020-03-20"));
}

// ---------------------------------------------------------------------------
// notice.period, the way tests/checks.rs runs the checker's fixtures.

fn check_fixture(dir: &str) -> (i32, Value) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/checks/notice.period")
        .join(dir);
    let out = assert_cmd::cargo::cargo_bin_cmd!("cunwu")
        .args(["check", "--format", "json", "--lang", "en", "--root"])
        .arg(&root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    (out.status.code().unwrap(), json)
}

#[test]
fn notice_period_passes_at_ten_days_or_more() {
    let (code, report) = check_fixture("pass");
    assert_eq!(
        (code, report["errors"].as_u64()),
        (0, Some(0)),
        "{report:#}"
    );
    let portal = Portal::from_fixture("checks/notice.period/pass");
    let site = portal.built();
    let checks: Value = serde_json::from_str(&site.text("checks.json")).unwrap();
    let run = checks["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "notice.period")
        .expect("notice.period ran")
        .clone();
    assert_eq!(run["records"], 3, "{run}");
    assert_eq!(run["failures"], 0);
    // The project's own notice (exactly 10 days) wins over its programme's.
    let period = site
        .page("projects/road/print.html")
        .texts("p.period")
        .join("");
    assert!(
        period.contains("2019年12月1日 至 2019年12月10日（共 10 天）"),
        "{period}"
    );
}

#[test]
fn notice_period_fails_when_short_or_reversed() {
    let (code, report) = check_fixture("fail");
    assert_eq!(code, 1, "{report:#}");
    let diags: Vec<&Value> = report["diagnostics"].as_array().unwrap().iter().collect();
    assert_eq!(diags.len(), 2, "{report:#}");
    let short = diags[0];
    assert_eq!(short["rule"], "notice.period");
    assert_eq!(short["file"], "data/data.toml");
    assert_eq!(short["line"], 13);
    assert_eq!(short["field"], "programme[plan-2019].notice");
    assert_eq!(short["expected"], ">= 10 days");
    assert_eq!(short["found"], "9 days");
    assert!(
        short["message"]
            .as_str()
            .unwrap()
            .contains("2019-03-01 to 2019-03-09"),
        "{short:#}"
    );
    let reversed = diags[1];
    assert_eq!(reversed["rule"], "notice.period");
    assert_eq!(reversed["line"], 30);
    assert_eq!(reversed["field"], "project[road].notice.end");
    assert_eq!(reversed["expected"], ">= 2019-12-10");
    assert_eq!(reversed["found"], "2019-12-01");
    let labels: Vec<(u64, &str)> = reversed["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["line"].as_u64().unwrap(), l["label"].as_str().unwrap()))
        .collect();
    assert_eq!(labels, [(30, "end 2019-12-01"), (29, "start 2019-12-10")]);
    assert!(
        reversed["hint"]
            .as_str()
            .is_some_and(|h| h.contains("10 days"))
    );
    // In Chinese, by default.
    let portal = Portal::from_fixture("checks/notice.period/fail");
    portal
        .build()
        .assert_refused()
        .assert_mentions("error[notice.period]")
        .assert_mentions(&portal.locate("data/data.toml", "2019-03-09"))
        .assert_mentions("少于规定的 10 天");
}

/// Words for the clerk at the screen, never for the notice board.
const DEVELOPER_TEXT: &[&str] = &[
    "base_url",
    "cunwu.toml",
    ".toml",
    "[notice]",
    "hotline",
    "county_line",
    "未设置",
    "未填写",
    "数据中",
    "返回网页版",
    "print.html",
];

/// What goes on paper: the sheet (the tools line and the screen notes sit
/// outside it and are hidden in print).
fn on_paper(page: &Page) -> String {
    page.texts(".sheet").join(" ")
}

/// Every 公示 sheet carries its issuer, a posting date and a seal and signature
/// line, and nothing meant for the clerk.
fn assert_fit_for_the_board(site: &Site, path: &str) {
    let page = site.page(path);
    let paper = on_paper(&page);
    for w in DEVELOPER_TEXT {
        assert!(!paper.contains(w), "{path}: `{w}` on paper: {paper}");
    }
    let sign = page.texts(".sheet .sign-off").join(" ");
    for part in ["发布单位：", "（盖章）", "负责人（签字）：", "张贴日期："] {
        assert!(sign.contains(part), "{path}: no `{part}` in {sign}");
    }
    let issuer = page.texts(".sheet .issuer-name").join("");
    assert!(!issuer.trim().is_empty(), "{path}: no issuer");
    assert!(
        page.texts(".sheet-head .issuer")
            .join("")
            .starts_with(issuer.trim()),
        "{path}: the head names the issuer"
    );
}

#[test]
fn print_sheets_name_issuer_posting_date_and_seal_line_with_no_developer_text() {
    for portal in [Portal::example(), example_online()] {
        let site = portal.built();
        let pages = print_pages(&site);
        assert!(pages.len() >= 15);
        for path in &pages {
            assert_fit_for_the_board(&site, path);
        }
        let issuer = |path: &str| site.page(path).texts(".sheet .issuer-name").join("");
        assert_eq!(issuer("areas/xialongjing/print.html"), "下龙井村村民委员会");
        assert_eq!(
            issuer("projects/xialongjing-2019-roads/print.html"),
            "下龙井村村民委员会"
        );
        assert_eq!(
            issuer("programmes/yishiyiyi-2019/print.html"),
            "青山县人民政府"
        );
        // The posting date is the first day of the notice period, or a blank.
        let posted = site.page("areas/xialongjing/print.html");
        let dates: Vec<String> = posted
            .select(".sign-off time")
            .iter()
            .map(|t| t.value().attr("datetime").unwrap().to_string())
            .collect();
        assert_eq!(dates, ["2019-12-20"]);
        let blank = site.page("areas/changting/print.html");
        assert!(blank.select(".sign-off time").is_empty());
        assert_eq!(
            blank.select(".sign-off .blank").len(),
            2,
            "signature and date"
        );
    }
}

#[test]
fn the_village_sheet_carries_exit_indicators_and_activities() {
    let portal = Portal::example();
    let site = portal.built();
    let mut exits = 0;
    let mut activities = 0;
    for id in portal.village_ids() {
        let page = site.page(&format!("areas/{id}/index.html"));
        let sheet = site.page(&format!("areas/{id}/print.html"));
        // The latest year's checklist, item for item, ✓/✗ in words.
        let on_page = page.select("ul.checklist");
        let on_sheet = sheet.texts(".sheet ul.checklist li");
        if let Some(last) = on_page.last() {
            let items: Vec<String> = last.select(&sel("li")).map(text_of).collect();
            assert_eq!(
                on_sheet.iter().map(|t| squash(t)).collect::<Vec<_>>(),
                items,
                "{id}"
            );
            exits += 1;
        } else {
            assert!(on_sheet.is_empty(), "{id}");
        }
        let names = |p: &Page, css: &str| -> Vec<String> {
            p.texts(css).iter().map(|t| squash(t)).collect()
        };
        let held = names(&page, "#h-activities ~ table:not(.calendar) tbody th");
        let printed = names(&sheet, ".sheet table.activities tbody th");
        assert_eq!(printed.len(), held.len(), "{id}: {printed:?} / {held:?}");
        for (p, h) in printed.iter().zip(&held) {
            assert!(p.starts_with(h.as_str()), "{id}: {p} / {h}");
        }
        activities += held.len();
    }
    assert!(
        exits >= 2 && activities >= 10,
        "{exits} checklists, {activities} activities"
    );
}

#[test]
fn every_village_has_a_qr_poster_of_its_page() {
    let portal = example_online();
    let site = portal.built();
    let villages = portal.village_ids();
    let posters: Vec<String> = site
        .html_files()
        .into_iter()
        .filter(|f| f.ends_with("/poster.html"))
        .collect();
    assert_eq!(
        posters,
        villages
            .iter()
            .map(|v| format!("areas/{v}/poster.html"))
            .collect::<Vec<_>>()
    );
    for id in &villages {
        let poster = site.page(&format!("areas/{id}/poster.html"));
        let qrs = poster.select("svg.qr");
        assert_eq!(qrs.len(), 1, "{id}");
        let url = format!("{BASE_URL}areas/{id}/index.html");
        assert_eq!(decode_qr(qrs[0]), url);
        let text = on_paper(&poster);
        assert!(text.contains(&url) && text.contains("12317"), "{text}");
        for w in DEVELOPER_TEXT {
            assert!(!text.contains(w), "{id}: `{w}` on the poster");
        }
        let page = site.page(&format!("areas/{id}/index.html"));
        assert_eq!(page.select("a[href='poster.html']").len(), 1, "{id}");
    }
}

mod generated_sheets {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

        /// With or without base_url, supervision lines and a notice period,
        /// nothing meant for the clerk reaches paper and what is missing is
        /// said on screen.
        #[test]
        fn whatever_is_missing_paper_stays_clean(
            base_url in any::<bool>(),
            hotline in any::<bool>(),
            notice in any::<bool>(),
        ) {
            let portal = Portal::from_fixture("minimal");
            let mut toml = portal.read("cunwu.toml");
            if base_url {
                toml.push_str("base_url = \"https://hexi.example.gov.cn/\"\n");
            }
            if hotline {
                toml.push_str("\n[notice]\nhotline = \"12317\"\n");
            }
            portal.write("cunwu.toml", toml);
            if notice {
                let data = portal.read("data/xiaowan.toml");
                let data = data.replacen(
                    "status = \"not_started\"",
                    "status = \"not_started\"\nnotice = { start = 2020-03-01, end = 2020-03-12 }",
                    1,
                );
                portal.write("data/xiaowan.toml", data);
            }
            let run = portal.build();
            run.assert_ok();
            prop_assert_eq!(run.stderr.contains("render.no-qr"), !base_url);
            let site = Site::at(portal.output());
            for path in print_pages(&site) {
                assert_fit_for_the_board(&site, &path);
                let page = site.page(&path);
                let notes = page.texts(".screen-notes li").join(" ");
                prop_assert_eq!(notes.contains("base_url"), !base_url, "{}", path);
                prop_assert_eq!(notes.contains("监督电话"), !hotline, "{}", path);
                prop_assert_eq!(page.select("svg.qr").len(), usize::from(base_url));
            }
            let sheet = site.page("projects/xiaowan-road/print.html");
            prop_assert_eq!(sheet.select(".sign-off time").len(), usize::from(notice));
            prop_assert_eq!(site.exists("areas/xiaowan/poster.html"), base_url);
        }
    }
}
