//! Issue 13 items 4 and 5, end to end with the real binary: figures recorded
//! per year (`[[area_year]]`, progress and exits over several years), the
//! continuity rules (`years.*`), the area page's years side by side (table
//! and SVG trend, read as parsed HTML) and the "data as of" line, from the
//! data's `updated` dates or the git history, never from the clock.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Expect, Portal, Site, snapshot};
use proptest::prelude::*;
use serde_json::Value;

// ---------------------------------------------------------------------------
// The fixtures under tests/fixtures/checks/years.*/{pass,fail}

fn fixture(rel: &str) -> PathBuf {
    common::fixture_dir("checks").join(rel)
}

/// `cunwu check --format json --lang en`: the exit code and the parsed report.
fn check_json(root: &Path) -> (i32, Value) {
    let out = assert_cmd::cargo::cargo_bin_cmd!("cunwu")
        .args(["check", "--format", "json", "--lang", "en", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("cunwu runs");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().expect("an exit code"), json)
}

fn diagnostics(report: &Value) -> Vec<Value> {
    report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// `rule` ran over at least one record of the built site's `checks.json`, without failures.
fn assert_ran(root: &Path, rule: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = assert_cmd::cargo::cargo_bin_cmd!("cunwu")
        .args(["build", "--quiet", "--lang", "en", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("checks.json")).unwrap()).unwrap();
    let run = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == rule)
        .unwrap_or_else(|| panic!("{rule} did not run: {json:#}"))
        .clone();
    assert!(run["records"].as_u64().unwrap() >= 1, "{run}");
    assert_eq!(run["failures"], 0, "{run}");
}

fn passes(rule: &str) {
    let root = fixture(&format!("{rule}/pass"));
    let (code, report) = check_json(&root);
    assert_eq!(code, 0, "{rule}/pass: {report:#}");
    assert_eq!(report["errors"], 0, "{report:#}");
    assert_eq!(report["warnings"], 0, "{report:#}");
    assert_ran(&root, rule);
}

fn fails(rule: &str, expect: &[Expect]) {
    let root = fixture(&format!("{rule}/fail"));
    let (code, report) = check_json(&root);
    assert_eq!(code, 1, "{rule}/fail should be refused: {report:#}");
    let diags = diagnostics(&report);
    assert_eq!(diags.len(), expect.len(), "{report:#}");
    for (d, e) in diags.iter().zip(expect) {
        common::assert_finding(d, rule, e);
    }
}

#[test]
fn years_carry_pass() {
    passes("years.carry");
}

#[test]
fn years_carry_fail() {
    fails(
        "years.carry",
        &[
            Expect {
                file: "data/data.toml",
                line: 19,
                field: "progress[qingshan/2020/poverty].households.start",
                expected: "92 | 142",
                found: "90",
                message: &["the start of 2020, 90", "the remaining of 2019, 92"],
                labels: &[
                    (19, "start 90"),
                    (13, "2019 remaining 92"),
                    (13, "2019 start 142"),
                ],
            },
            Expect {
                file: "data/data.toml",
                line: 31,
                field: "progress[qingshan/2020/relocation].households.target",
                expected: "29",
                found: "30",
                message: &["the target of 2020, 30", "the target of 2019, 29"],
                labels: &[(31, "target 30"), (25, "2019 target 29")],
            },
        ],
    );
}

#[test]
fn years_done_pass() {
    passes("years.done");
}

#[test]
fn years_done_fail() {
    fails(
        "years.done",
        &[Expect {
            file: "data/data.toml",
            line: 18,
            field: "progress[qingshan/2020/poverty].households.done",
            expected: ">= 83",
            found: "80",
            message: &["cumulative done in 2020, 80", "in 2019, 83"],
            labels: &[(18, "done 80"), (12, "2019 done 83")],
        }],
    );
}

#[test]
fn years_exit_pass() {
    passes("years.exit");
}

#[test]
fn years_exit_fail() {
    fails(
        "years.exit",
        &[Expect {
            file: "data/data.toml",
            line: 40,
            field: "exit[xiuwen/2020].status",
            expected: "exited | change_reason",
            found: "not_yet",
            message: &["修文村（xiuwen） exited in 2019", "in 2020"],
            labels: &[(40, "this value"), (23, "2019 exited")],
        }],
    );
}

#[test]
fn years_duplicate_pass() {
    passes("years.duplicate");
}

#[test]
fn years_duplicate_fail() {
    fails(
        "years.duplicate",
        &[Expect {
            file: "data/data.toml",
            line: 16,
            field: "area_year[qingshan].year",
            expected: "1",
            found: "2",
            message: &["area_year[qingshan]", "more than one record for 2020"],
            labels: &[(16, "this value"), (14, "this entry"), (8, "2020")],
        }],
    );
}

#[test]
fn years_current_pass() {
    passes("years.current");
}

#[test]
fn years_current_fail() {
    fails(
        "years.current",
        &[Expect {
            file: "data/data.toml",
            line: 7,
            field: "area[qingshan].households",
            expected: "75",
            found: "73",
            message: &["the area says 73", "latest year (2020) says 75"],
            labels: &[(7, "households 73"), (19, "2020 households 75")],
        }],
    );
}

/// The Chinese message names the file, the line and the years, the way a clerk reads it.
#[test]
fn findings_are_in_chinese_with_file_and_line_by_default() {
    let out = assert_cmd::cargo::cargo_bin_cmd!("cunwu")
        .args(["check", "--root"])
        .arg(fixture("years.carry/fail"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("户数：2020年起始 90，不等于2019年剩余 92"),
        "{text}"
    );
    assert!(text.contains("data/data.toml:19:24"), "{text}");
    assert!(text.contains("2019年 剩余 92"), "{text}");
    assert!(text.contains("change_reason"), "{text}");
}

// ---------------------------------------------------------------------------
// Generated cases: chains of yearly tallies and exit statuses

const CONFIG: &str = "title = \"逐年\"\ncounty = \"qingshan\"\n";
const COUNTY: &str = "[[area]]\nid = \"qingshan\"\nname = \"青山县\"\nlevel = \"county\"\n\n[[area]]\nid = \"longtuo\"\nname = \"龙沱乡\"\nlevel = \"township\"\nparent = \"qingshan\"\n\n[[area]]\nid = \"xiuwen\"\nname = \"修文村\"\nlevel = \"village\"\nparent = \"longtuo\"\n";

/// One year of a poverty tally: (year, start, done, remaining).
type Year = (i32, u64, u64, u64);

fn progress_toml(years: &[Year]) -> String {
    let mut s = String::from(COUNTY);
    for &(year, start, done, remaining) in years {
        s.push_str(&format!(
            "\n[[progress]]\narea = \"qingshan\"\nyear = {year}\nkind = \"poverty\"\nhouseholds = {{ start = {start}, done = {done}, remaining = {remaining} }}\n"
        ));
    }
    s
}

/// A chain of years: each year counts that year only (start = last
/// remaining) or every year counts from one baseline (done cumulative).
/// `moved = Some((k, start))` writes year k's start as `start` instead, and
/// the later years carry on consistently from it.
fn build_chain(
    baseline: bool,
    start: u64,
    steps: &[u64],
    moved: Option<(usize, u64)>,
) -> Vec<Year> {
    let mut years = Vec::new();
    let (mut base, mut remaining, mut done) = (start, start, 0u64);
    for (i, &step) in steps.iter().enumerate() {
        let year = 2016 + i as i32;
        if let Some((_, s)) = moved.filter(|m| m.0 == i) {
            if baseline {
                base = s;
                remaining = s - done;
            } else {
                remaining = s;
            }
        }
        let step = step.min(remaining);
        if baseline {
            done += step;
            remaining -= step;
            years.push((year, base, done, remaining));
        } else {
            let s = remaining;
            remaining -= step;
            years.push((year, s, step, remaining));
        }
    }
    years
}

fn chain() -> impl Strategy<Value = (bool, u64, Vec<u64>)> {
    (
        any::<bool>(),
        100u64..5000,
        proptest::collection::vec(0u64..400, 2..6),
    )
}

fn rules_of(report: &Value) -> Vec<(String, String)> {
    diagnostics(report)
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// A consistent chain passes; moving one year's start off both last
    /// year's remaining and last year's start is exactly one `years.carry`
    /// finding on that year (the later years carry on from it, and every
    /// year's own sums still hold).
    #[test]
    fn a_broken_carry_is_found_where_it_is((baseline, start, steps) in chain(), pick in any::<prop::sample::Index>(), off in 1u64..50) {
        let years = build_chain(baseline, start, &steps, None);
        let portal = Portal::empty();
        portal.write("cunwu.toml", CONFIG).write("data/data.toml", progress_toml(&years));
        let (code, report) = check_json(portal.root());
        prop_assert_eq!(code, 0, "{:#}", report);
        let k = 1 + pick.index(years.len() - 1);
        let prev = years[k - 1];
        let moved = prev.1 + prev.3 + off;
        let broken = build_chain(baseline, start, &steps, Some((k, moved)));
        portal.write("data/data.toml", progress_toml(&broken));
        let (code, report) = check_json(portal.root());
        prop_assert_eq!(code, 1);
        prop_assert_eq!(
            rules_of(&report),
            vec![("years.carry".to_string(), format!("progress[qingshan/{}/poverty].households.start", years[k].0))],
            "{:#}", report
        );
    }

    /// From one baseline, writing one year's cumulative done below the year
    /// before is exactly one `years.done` finding on that year.
    #[test]
    fn a_decreasing_done_is_found((_, start, steps) in chain(), pick in any::<prop::sample::Index>()) {
        let years = build_chain(true, start, &steps, None);
        let k = 1 + pick.index(years.len() - 1);
        prop_assume!(years[k - 1].2 > 0);
        let mut broken = years.clone();
        let lower = years[k - 1].2 - 1;
        broken[k] = (years[k].0, start, lower, start - lower);
        let portal = Portal::empty();
        portal.write("cunwu.toml", CONFIG).write("data/data.toml", progress_toml(&broken));
        let (code, report) = check_json(portal.root());
        prop_assert_eq!(code, 1);
        prop_assert_eq!(
            rules_of(&report),
            vec![("years.done".to_string(), format!("progress[qingshan/{}/poverty].households.done", years[k].0))],
            "{:#}", report
        );
    }

    /// Exit statuses over the years: every year that is not exited right
    /// after an exited one, without a reason, is one `years.exit` finding;
    /// nothing else is.
    #[test]
    fn exit_findings_are_the_unexplained_reversals(
        statuses in proptest::collection::vec((0usize..3, any::<bool>()), 2..7)
    ) {
        let names = ["exited", "planned", "not_yet"];
        let mut data = String::from(COUNTY);
        for (i, &(s, reason)) in statuses.iter().enumerate() {
            let year = 2015 + i as i32;
            data.push_str(&format!("\n[[exit]]\narea = \"xiuwen\"\nyear = {year}\nstatus = \"{}\"\n", names[s]));
            if reason {
                data.push_str("change_reason = \"复核后重新列入\"\n");
            }
            // Every indicator met, so that an exited record is valid.
            data.push_str("\n[exit.indicators]\nwater = true\nelectricity = true\nroad = true\ntelecom = true\ncollective_economy = true\nactivity_venue = true\ngarbage = true\nparty_branch = true\nno_dangerous_housing = true\npoverty_incidence = 0.5\n");
        }
        let expected: Vec<(String, String)> = statuses
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0].0 == 0 && w[1].0 != 0 && !w[1].1)
            .map(|(i, _)| ("years.exit".to_string(), format!("exit[xiuwen/{}].status", 2016 + i as i32)))
            .collect();
        let portal = Portal::empty();
        portal.write("cunwu.toml", CONFIG).write("data/data.toml", data);
        let (code, report) = check_json(portal.root());
        prop_assert_eq!(code, if expected.is_empty() { 0 } else { 1 });
        prop_assert_eq!(rules_of(&report), expected, "{:#}", report);
    }
}

/// The incidence of a year is computed with that year's population when
/// `[[area_year]]` gives it (1.55 with 12410), not the area's (1.54 with 12460).
#[test]
fn incidence_uses_the_population_of_its_year() {
    let data = |year_pop: bool| {
        let mut s = String::from(
            "[[area]]\nid = \"qingshan\"\nname = \"青山县\"\nlevel = \"county\"\npopulation = 12460\n",
        );
        if year_pop {
            s.push_str("\n[[area_year]]\narea = \"qingshan\"\nyear = 2019\npopulation = 12410\n\n[[area_year]]\narea = \"qingshan\"\nyear = 2020\npopulation = 12460\n");
        }
        s.push_str("\n[[progress]]\narea = \"qingshan\"\nyear = 2019\nkind = \"poverty\"\npeople = { start = 402, done = 210, remaining = 192 }\nincidence = 1.55\n");
        s
    };
    let portal = Portal::empty();
    portal
        .write("cunwu.toml", CONFIG)
        .write("data/data.toml", data(true));
    let (code, report) = check_json(portal.root());
    assert_eq!(code, 0, "{report:#}");
    portal.write("data/data.toml", data(false));
    let (code, report) = check_json(portal.root());
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        rules_of(&report),
        vec![(
            "progress.incidence".to_string(),
            "progress[qingshan/2019/poverty].incidence".to_string()
        )]
    );
}

/// The counts rules hold for every year's figures too.
#[test]
fn a_years_figures_are_sane_counts() {
    let portal = Portal::empty();
    portal.write("cunwu.toml", CONFIG).write(
        "data/data.toml",
        "[[area]]\nid = \"qingshan\"\nname = \"青山县\"\nlevel = \"county\"\n\n[[area_year]]\narea = \"qingshan\"\nyear = 2019\nhouseholds = 320\npopulation = 73\nlabourers = 90\n",
    );
    let (code, report) = check_json(portal.root());
    assert_eq!(code, 1);
    assert_eq!(
        rules_of(&report),
        vec![
            (
                "counts.people-households".to_string(),
                "area_year[qingshan/2019].population".to_string()
            ),
            (
                "counts.labourers".to_string(),
                "area_year[qingshan/2019].labourers".to_string()
            ),
        ],
        "{report:#}"
    );
}

// ---------------------------------------------------------------------------
// The example's pages, parsed

fn example_site() -> (Portal, ()) {
    let portal = Portal::example();
    portal.build().assert_ok();
    (portal, ())
}

#[test]
fn the_example_shows_a_township_and_a_village_over_two_years() {
    let (portal, ()) = example_site();
    let site = Site::at(portal.output());
    for (id, name, rows) in [
        (
            "longtuo",
            "龙沱乡",
            vec![
                ("户数（户）", ["3,405", "3,420"]),
                ("人口（人）", ["12,410", "12,460"]),
                ("劳动力（人）", ["7,490", "7,530"]),
            ],
        ),
        (
            "xialongjing",
            "下龙井村",
            vec![
                ("户数（户）", ["72", "73"]),
                ("人口（人）", ["314", "317"]),
                ("劳动力（人）", ["183", "186"]),
                ("耕地（亩）", ["1,563", "1,563"]),
            ],
        ),
    ] {
        let page = site.page(&format!("areas/{id}/index.html"));
        assert_eq!(
            page.texts("table.years thead th"),
            ["项目", "2019年", "2020年"],
            "{id}"
        );
        assert_eq!(
            page.texts("table.years caption"),
            [format!("{name}逐年的户数、人口、劳动力和耕地")]
        );
        let labels = page.texts("table.years tbody th");
        let got: Vec<(String, Vec<String>)> = page
            .select("table.years tbody tr")
            .iter()
            .zip(labels)
            .map(|(tr, label)| {
                let cells: Vec<String> = tr
                    .select(&scraper::Selector::parse("td").unwrap())
                    .map(|td| td.text().collect::<String>())
                    .collect();
                (label, cells)
            })
            .collect();
        let want: Vec<(String, Vec<String>)> = rows
            .iter()
            .map(|(l, v)| (l.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect();
        assert_eq!(got, want, "{id}");
        // The trend: an accessible SVG whose description carries every figure.
        let svg = page.select(&format!("svg#chart-years-{id}"));
        assert_eq!(svg.len(), 1, "{id}");
        let svg = svg[0];
        assert_eq!(svg.value().attr("role"), Some("img"));
        assert_eq!(
            svg.value().attr("aria-labelledby"),
            Some(format!("chart-years-{id}-t chart-years-{id}-d").as_str())
        );
        let title = page.texts(&format!("#chart-years-{id}-t"));
        assert_eq!(title, ["逐年变化"]);
        let desc = page.texts(&format!("#chart-years-{id}-d")).join("");
        for (label, values) in &want {
            let label = label.split('（').next().unwrap();
            assert!(desc.contains(label), "{desc}");
            for (year, v) in ["2019年", "2020年"].iter().zip(values) {
                assert!(
                    desc.contains(&format!("{year} {v}")),
                    "{desc} lacks {year} {v}"
                );
            }
        }
        // One point per year of each figure.
        assert_eq!(
            page.select(&format!("svg#chart-years-{id} circle.c-point"))
                .len(),
            2 * want.len()
        );
    }
}

#[test]
fn the_example_township_shows_its_progress_year_by_year() {
    let (portal, ()) = example_site();
    let page = Site::at(portal.output()).page("areas/longtuo/index.html");
    let headings = page.texts("#h-progress-years ~ h3");
    assert_eq!(
        headings,
        [
            "脱贫进度（逐年）",
            "易地扶贫搬迁进度（逐年）",
            "贫困村退出进度（逐年）"
        ]
    );
    let tables = page.select("table.progress-years");
    assert_eq!(tables.len(), 3);
    let td = scraper::Selector::parse("tbody tr").unwrap();
    let rows: Vec<String> = tables[0]
        .select(&td)
        .map(|tr| common::squash(&tr.text().collect::<String>()))
        .collect();
    assert_eq!(
        rows,
        ["2019年1425092402210192", "2020年1428359402285117"],
        "year, then households start/done/remaining, then people"
    );
    let desc = page.texts("#chart-progress-longtuo-poverty-d").join("");
    assert!(
        desc.contains("剩余户数：2019年 92户，2020年 59户"),
        "{desc}"
    );
    assert!(
        desc.contains("剩余人数：2019年 192人，2020年 117人"),
        "{desc}"
    );
    // 修文村 exited in 2019 and stays exited in 2020: both years on its page.
    let xiuwen = Site::at(portal.output()).page("areas/xiuwen/index.html");
    let exits = xiuwen.texts("#h-exit ~ h3");
    assert!(
        exits
            .iter()
            .any(|h| h.starts_with("2019年退出指标（已退出）")),
        "{exits:?}"
    );
    assert!(
        exits
            .iter()
            .any(|h| h.starts_with("2020年退出指标（已退出）")),
        "{exits:?}"
    );
}

#[test]
fn the_example_downloads_every_year() {
    let (portal, ()) = example_site();
    let csv = std::fs::read_to_string(portal.output().join("data/area_years.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap().trim_start_matches('\u{feff}'),
        "area_id,area_name,year,households,population,labourers,farmland_mu,note,updated"
    );
    let rows: Vec<&str> = lines.collect();
    assert!(
        rows.contains(&"longtuo,龙沱乡,2019,3405,12410,7490,,,2020-02-10"),
        "{rows:#?}"
    );
    assert!(
        rows.contains(&"xialongjing,下龙井村,2019,72,314,183,1563,,2019-03-20"),
        "{rows:#?}"
    );
}

// ---------------------------------------------------------------------------
// Data as of

fn as_of(site: &Site, rel: &str) -> Option<String> {
    let page = site.page(rel);
    let times = page.select("p.as-of time");
    assert!(times.len() <= 1, "{rel}");
    times.first().map(|t| {
        let iso = t.value().attr("datetime").unwrap().to_string();
        let text = t.text().collect::<String>();
        let d: Vec<u32> = iso.split('-').map(|x| x.parse().unwrap()).collect();
        assert_eq!(text, format!("{}年{}月{}日", d[0], d[1], d[2]), "{rel}");
        iso
    })
}

#[test]
fn every_data_page_of_the_example_says_when_its_figures_changed() {
    let (portal, ()) = example_site();
    let site = Site::at(portal.output());
    // A record's own `updated` wins over its file's (下龙井村: 2020-01-15
    // on the area and its 2020 figures, the file says 2019-12-20).
    assert_eq!(
        as_of(&site, "areas/xialongjing/index.html").as_deref(),
        Some("2020-01-15")
    );
    assert_eq!(
        as_of(&site, "areas/xialongjing/print.html").as_deref(),
        Some("2020-01-15")
    );
    // 修文村: its 2020 exit record says 2020-02-10.
    assert_eq!(
        as_of(&site, "areas/xiuwen/index.html").as_deref(),
        Some("2020-02-10")
    );
    // The home page: the latest date of the whole portal.
    assert_eq!(as_of(&site, "index.html").as_deref(), Some("2020-03-16"));
    assert_eq!(
        as_of(&site, "checks/index.html").as_deref(),
        Some("2020-03-16")
    );
    // Every area, programme and project page, and every 公示 sheet, has one.
    for f in site.html_files() {
        if f.starts_with("areas/") || f.starts_with("programmes/") || f.starts_with("projects/") {
            assert!(as_of(&site, &f).is_some(), "{f} has no as-of line");
        }
    }
    // A document without `updated`, outside git: its own date.
    assert_eq!(
        as_of(&site, "longtuo/work-plan-2020/index.html").as_deref(),
        Some("2020-02-10")
    );
}

fn dated_portal(portal: &Portal) {
    portal
        .write("cunwu.toml", CONFIG)
        .write(
            "data/areas.toml",
            "[[area]]\nid = \"qingshan\"\nname = \"青山县\"\nlevel = \"county\"\n\n[[area]]\nid = \"longtuo\"\nname = \"龙沱乡\"\nlevel = \"township\"\nparent = \"qingshan\"\nhouseholds = 3420\n",
        )
        .write(
            "data/years.toml",
            "updated = 2020-02-10\n\n[[area_year]]\narea = \"longtuo\"\nyear = 2019\nhouseholds = 3405\n\n[[area_year]]\narea = \"longtuo\"\nyear = 2020\nhouseholds = 3420\nupdated = 2020-04-01\n",
        );
}

#[test]
fn the_latest_date_of_a_pages_records_is_shown_and_no_clock() {
    let portal = Portal::empty();
    dated_portal(&portal);
    let site = portal.built();
    assert_eq!(
        as_of(&site, "areas/longtuo/index.html").as_deref(),
        Some("2020-04-01")
    );
    // The home page shows the latest of the portal; nothing without a date.
    assert_eq!(as_of(&site, "index.html").as_deref(), Some("2020-04-01"));
    portal.write(
        "data/years.toml",
        "updated = 2020-02-10\n\n[[area_year]]\narea = \"longtuo\"\nyear = 2019\nhouseholds = 3405\n\n[[area_year]]\narea = \"longtuo\"\nyear = 2020\nhouseholds = 3420\n",
    );
    let site = portal.built();
    assert_eq!(
        as_of(&site, "areas/longtuo/index.html").as_deref(),
        Some("2020-02-10")
    );
    // Without any date in the data (and outside git), no line at all.
    portal.write(
        "data/years.toml",
        "[[area_year]]\narea = \"longtuo\"\nyear = 2020\nhouseholds = 3420\n",
    );
    let site = portal.built();
    assert_eq!(as_of(&site, "areas/longtuo/index.html"), None);
    assert_eq!(as_of(&site, "index.html"), None);
}

#[test]
fn a_bad_updated_date_is_a_finding_with_its_line() {
    let portal = Portal::empty();
    dated_portal(&portal);
    portal.write("data/years.toml", "updated = \"2020年2月\"\n");
    let run = portal.check_with(&["--lang", "en"]);
    run.assert_refused()
        .assert_mentions("load.bad-date")
        .assert_mentions("data/years.toml:1");
}

/// The old one-year form still builds unchanged: no years section without years.
#[test]
fn an_area_without_years_has_no_years_section() {
    let portal = Portal::empty();
    portal
        .write("cunwu.toml", CONFIG)
        .write("data/areas.toml", COUNTY);
    let site = portal.built();
    let page = site.page("areas/longtuo/index.html");
    assert!(page.select("#h-years").is_empty());
    assert!(page.select("#h-progress-years").is_empty());
}

// ---------------------------------------------------------------------------
// Git history and reproducibility

fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "clerk")
        .env("GIT_AUTHOR_EMAIL", "clerk@example.invalid")
        .env("GIT_COMMITTER_NAME", "clerk")
        .env("GIT_COMMITTER_EMAIL", "clerk@example.invalid")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn in_a_git_checkout_a_file_without_updated_takes_its_last_commit_date() {
    let portal = Portal::empty();
    dated_portal(&portal);
    // No dates in the data: git supplies them.
    portal.write(
        "data/years.toml",
        "[[area_year]]\narea = \"longtuo\"\nyear = 2020\nhouseholds = 3420\n",
    );
    let root = portal.root();
    git(root, &["init", "-q"], "2021-05-06T10:00:00+08:00");
    git(root, &["add", "-A"], "2021-05-06T10:00:00+08:00");
    git(
        root,
        &["commit", "-q", "-m", "数据"],
        "2021-05-06T10:00:00+08:00",
    );
    portal.write(
        "data/areas.toml",
        "[[area]]\nid = \"qingshan\"\nname = \"青山县\"\nlevel = \"county\"\n\n[[area]]\nid = \"longtuo\"\nname = \"龙沱乡\"\nlevel = \"township\"\nparent = \"qingshan\"\nhouseholds = 3420\nsummary = \"高寒山区乡。\"\n",
    );
    git(
        root,
        &["commit", "-q", "-am", "简介"],
        "2022-01-02T09:00:00+08:00",
    );
    let site = portal.built();
    assert_eq!(
        as_of(&site, "areas/longtuo/index.html").as_deref(),
        Some("2022-01-02")
    );
    let first = snapshot(&portal.output());
    // An edit not yet committed does not move the date (no clock, no mtime),
    // and the same checkout builds byte-identically.
    std::fs::write(
        portal.path("data/years.toml"),
        "[[area_year]]\narea = \"longtuo\"\nyear = 2020\nhouseholds = 3420\n",
    )
    .unwrap();
    let site = portal.built();
    assert_eq!(
        as_of(&site, "areas/longtuo/index.html").as_deref(),
        Some("2022-01-02")
    );
    assert_eq!(first, snapshot(&portal.output()));
    // An `updated` in the file wins over the history.
    portal.write(
        "data/years.toml",
        "updated = 2023-03-04\n\n[[area_year]]\narea = \"longtuo\"\nyear = 2020\nhouseholds = 3420\n",
    );
    let site = portal.built();
    assert_eq!(
        as_of(&site, "areas/longtuo/index.html").as_deref(),
        Some("2023-03-04")
    );
}

#[test]
fn two_builds_of_the_example_are_byte_identical() {
    let portal = Portal::example();
    portal.build().assert_ok();
    let first = snapshot(&portal.output());
    portal.build().assert_ok();
    assert_eq!(first, snapshot(&portal.output()));
}
