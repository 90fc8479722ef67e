//! Issue 13 items 1 and 2, end to end on the real binary: figures written
//! in prose are checked against their record (`prose.figure`), quoted from
//! the data (`{{< figure … >}}`) or acknowledged in place (`{{< known … >}}`);
//! a stated figure can carry a documented correction (更正), which the checker
//! accepts, and which the site shows next to the figure, in the check report
//! and in the downloads.

mod common;

use common::{Portal, cunwu, fixture_dir, squash};
use proptest::prelude::*;
use serde_json::Value;

/// `cunwu check --format json` on `root`: exit code and report.
fn check_json(root: &std::path::Path, lang: &str) -> (i32, Value) {
    let run = cunwu(&[
        "check",
        "--format",
        "json",
        "--lang",
        lang,
        "--root",
        root.to_str().unwrap(),
    ]);
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}): {}\n{}", run.stdout, run.stderr));
    (run.code, json)
}

fn diagnostics(report: &Value) -> Vec<Value> {
    report["diagnostics"].as_array().unwrap().clone()
}

fn labels(d: &Value) -> Vec<(u64, String)> {
    d["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["line"].as_u64().unwrap(),
                l["label"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The `rules` of the `checks.json` a build of `portal` writes.
fn rules_ran(portal: &Portal) -> Vec<Value> {
    let site = portal.built();
    let json: Value = serde_json::from_str(&site.text("checks.json")).unwrap();
    json["rules"].as_array().unwrap().clone()
}

fn ran(runs: &[Value], rule: &str) -> u64 {
    runs.iter()
        .find(|r| r["rule"] == rule)
        .map_or(0, |r| r["records"].as_u64().unwrap())
}

// ---------------------------------------------------------------------------
// prose.figure: fixtures

#[test]
fn prose_figure_fail_reports_the_999_04_summary_and_a_transposed_count() {
    let root = fixture_dir("checks/prose.figure/fail");
    let (code, report) = check_json(&root, "en");
    assert_eq!(code, 1, "{report:#}");
    let diags = diagnostics(&report);
    assert_eq!(diags.len(), 2, "{report:#}");
    let by_file = |f: &str| diags.iter().find(|d| d["file"] == f).unwrap().clone();

    let summary = by_file("data/data.toml");
    assert_eq!(summary["rule"], "prose.figure");
    assert_eq!(summary["severity"], "error");
    assert_eq!(summary["line"], 14);
    assert_eq!(summary["field"], "programme[pilot].summary");
    assert_eq!(summary["found"], "999.04万元");
    assert_eq!(summary["expected"], "899.04万元（总投资）");
    assert_eq!(
        labels(&summary),
        [
            (14, "here".to_string()),
            (21, "probably meant: 899.04万元（总投资）".to_string())
        ]
    );
    assert!(
        summary["hint"]
            .as_str()
            .unwrap()
            .contains("{{< known figure=\"999.04万元\"")
    );

    let plan = by_file("content/plan.md");
    assert_eq!(plan["rule"], "prose.figure");
    assert_eq!(plan["line"], 11);
    assert_eq!(plan["found"], "11,419户");
    assert_eq!(plan["expected"], "11,491户（参与农户）");
    assert_eq!(labels(&plan)[1].0, 17, "the households figure in the data");

    // The clerk's reading: Chinese, with file:line:column.
    let portal = Portal::from_fixture("checks/prose.figure/fail");
    let run = portal.check_with(&[]);
    run.assert_refused()
        .assert_mentions("文中写的 999.04万元 与「一事一议试点」及其下属记录的数字都对不上")
        .assert_mentions(&portal.locate("data/data.toml", "999.04万元"))
        .assert_mentions("可能是想写 899.04万元（总投资）")
        .assert_mentions("文中写的 11,419户")
        .assert_mentions(&portal.locate("content/plan.md", "11,419户"));
    // And the build writes nothing.
    portal.build().assert_refused();
    assert!(!portal.output().join("index.html").exists());
}

#[test]
fn prose_figure_pass_fixture_is_clean_and_the_rule_ran() {
    let root = fixture_dir("checks/prose.figure/pass");
    let (code, report) = check_json(&root, "en");
    assert_eq!(
        (code, report["errors"].as_u64(), report["warnings"].as_u64()),
        (0, Some(0), Some(0)),
        "{report:#}"
    );
    let portal = Portal::from_fixture("checks/prose.figure/pass");
    let runs = rules_ran(&portal);
    // 11,491户, 约4万人, 659.00万元, 219.98 万元 in the plan; 11,491户 in the summary.
    assert_eq!(ran(&runs, "prose.figure"), 5, "{runs:#?}");
    let site = common::Site::at(portal.output());
    let plan = site.page("plan/index.html");
    let text = plan.main_text();
    assert!(text.contains("总投资899.04万元。"), "{text}");
    assert!(text.contains("低于5,000元的农户优先"), "{text}");
    assert!(!text.contains("{{<"), "{text}");
    let programme = site.page("programmes/pilot/index.html");
    assert!(
        programme
            .main_text()
            .contains("试点总投资899.04万元，参与农户11,491户。"),
        "{}",
        programme.main_text()
    );
}

#[test]
fn inline_shortcodes_that_do_not_resolve_or_lack_a_reason_are_reported() {
    let portal = Portal::from_fixture("checks/prose.figure/pass");
    portal.write(
        "content/plan.md",
        "+++\ntitle = \"方案\"\ndate = 2019-03-20\nprogramme = \"pilot\"\n+++\n\n\
         总投资{{< figure programme=\"pilot\" field=\"totl\" >}}。\n\n\
         总投资{{< figure programme=\"nope\" field=\"total\" >}}。\n\n\
         低于{{< known figure=\"5,000元\" >}}。\n\n\
         共{{< figure field=\"total\" >}}。\n",
    );
    let (code, report) = check_json(portal.root(), "zh");
    assert_eq!(code, 1);
    let found: Vec<(String, u64)> = diagnostics(&report)
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("shortcode.resolve".to_string(), 7),
            ("shortcode.resolve".to_string(), 9),
            ("shortcode.syntax".to_string(), 11),
            ("shortcode.syntax".to_string(), 13),
        ],
        "{report:#}"
    );
    let first = &diagnostics(&report)[0];
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("`pilot` 没有名为 `totl` 的数字")
    );
    assert!(first["expected"].as_str().unwrap().contains("total"));
}

// ---------------------------------------------------------------------------
// prose.figure: generated cases

/// A portal whose programme has one money figure, `total`, and whose
/// summary and plan write `written` (already formatted, with its unit).
fn one_figure_portal(total: &str, written: &str) -> Portal {
    let portal = Portal::empty();
    portal.write("cunwu.toml", "title = \"测试\"\ncounty = \"c\"\n");
    portal.write(
        "data/data.toml",
        format!(
            "[[area]]\nid = \"c\"\nname = \"青山县\"\nlevel = \"county\"\n\n\
             [[programme]]\nid = \"g\"\nname = \"试点\"\nyear = 2019\narea = \"c\"\n\
             summary = \"总投资{written}。\"\n\n[programme.funds]\ntotal = {total}\n"
        ),
    );
    portal.write(
        "content/plan.md",
        format!("+++\ntitle = \"方案\"\ndate = 2019-03-20\nprogramme = \"g\"\n+++\n\n总投资{written}，2019年完成。\n"),
    );
    portal
}

/// The ways a clerk writes one amount in 万元: separators or not, a space
/// before the unit or not, full-width digits or not.
fn written_forms(int: u64, cents: u64, style: u8) -> String {
    let mut int_text = int.to_string();
    if style & 1 == 1 && int >= 1000 {
        let mut g = String::new();
        for (i, ch) in int_text.chars().enumerate() {
            if i > 0 && (int_text.len() - i) % 3 == 0 {
                g.push(',');
            }
            g.push(ch);
        }
        int_text = g;
    }
    let mut text = format!("{int_text}.{cents:02}");
    if style & 2 == 2 {
        text = text
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32('０' as u32 + d).unwrap(),
                None => c,
            })
            .collect();
    }
    let space = if style & 4 == 4 { " " } else { "" };
    format!("{text}{space}万元")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Whatever the written form, the figure of the data passes; one digit
    /// changed is reported in the summary and in the plan, each with the
    /// figure it probably meant.
    #[test]
    fn a_changed_digit_is_reported_with_the_figure_it_meant(
        int in 1u64..100_000,
        cents in 0u64..100,
        style in 0u8..8,
        bump in 1u64..9,
    ) {
        let total = format!("{int}.{cents:02}");
        let same = one_figure_portal(&total, &written_forms(int, cents, style));
        let (code, report) = check_json(same.root(), "en");
        prop_assert_eq!(code, 0, "{:#}", report);

        // Change the leading digit (same length, so "one digit apart").
        let digits = int.to_string();
        let lead = digits.as_bytes()[0] - b'0';
        let new_lead = (u64::from(lead) + bump - 1) % 9 + 1;
        let wrong = format!("{new_lead}{}", &digits[1..]).parse::<u64>().unwrap();
        prop_assume!(wrong != int);
        let portal = one_figure_portal(&total, &written_forms(wrong, cents, style));
        let (code, report) = check_json(portal.root(), "en");
        prop_assert_eq!(code, 1, "{:#}", report);
        let diags = diagnostics(&report);
        prop_assert_eq!(diags.len(), 2, "{:#}", report);
        for d in &diags {
            prop_assert_eq!(&d["rule"], "prose.figure");
            let expected = d["expected"].as_str().unwrap();
            prop_assert!(expected.ends_with("万元（总投资）"), "{}", expected);
            let meant: String = expected.chars().filter(|c| c.is_ascii_digit()).collect();
            prop_assert_eq!(meant, total.replace('.', ""));
        }
        let files: Vec<&str> = diags.iter().map(|d| d["file"].as_str().unwrap()).collect();
        prop_assert!(files.contains(&"data/data.toml") && files.contains(&"content/plan.md"));
    }
}

// ---------------------------------------------------------------------------
// Corrections (更正)

/// A programme stating `stated` (a plain number or a correction) with
/// `listed` project lines of one project each.
fn programme_portal(stated: &str, listed: u64) -> Portal {
    let portal = Portal::empty();
    portal.write("cunwu.toml", "title = \"测试\"\ncounty = \"c\"\n");
    let mut data = format!(
        "[[area]]\nid = \"c\"\nname = \"青山县\"\nlevel = \"county\"\n\n\
         [[programme]]\nid = \"g\"\nname = \"试点\"\nyear = 2019\narea = \"c\"\n\n\
         [programme.stated]\nprojects = {stated}\n"
    );
    for i in 0..listed {
        data.push_str(&format!(
            "\n[[project]]\nid = \"p{i}\"\nname = \"项目{i}\"\narea = \"c\"\nyear = 2019\n\
             programme = \"g\"\ncategory = \"道路\"\n\n[project.funds]\ntotal = 1.00\n"
        ));
    }
    portal.write("data/data.toml", data);
    portal
}

fn correction(stated: u64, corrected: u64) -> String {
    format!(
        "{{ stated = {stated}, corrected = {corrected}, date = 2019-06-10, reason = \"逐项核对\" }}"
    )
}

#[test]
fn correction_documented_pass_and_fail_fixtures() {
    let root = fixture_dir("checks/correction.documented/pass");
    let (code, report) = check_json(&root, "en");
    assert_eq!(
        (code, report["errors"].as_u64()),
        (0, Some(0)),
        "{report:#}"
    );
    let runs = rules_ran(&Portal::from_fixture("checks/correction.documented/pass"));
    assert_eq!(ran(&runs, "correction.documented"), 1);
    assert!(ran(&runs, "programme.projects") >= 1);

    let root = fixture_dir("checks/correction.documented/fail");
    let (code, report) = check_json(&root, "en");
    assert_eq!(code, 1, "{report:#}");
    let diags = diagnostics(&report);
    assert_eq!(diags.len(), 1, "{report:#}");
    let d = &diags[0];
    assert_eq!(d["rule"], "correction.documented");
    assert_eq!(d["file"], "data/data.toml");
    assert_eq!(d["line"], 15);
    assert_eq!(d["field"], "programme[pilot].stated.projects");
    assert_eq!(d["found"], "3");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("nothing is corrected")
    );
    let portal = Portal::from_fixture("checks/correction.documented/fail");
    portal
        .check_with(&[])
        .assert_refused()
        .assert_mentions("`projects` 的更正前后都是 3，没有更正任何数字")
        .assert_mentions("data/data.toml:15:");
}

#[test]
fn a_correction_needs_a_date_and_a_reason() {
    let portal = programme_portal("{ stated = 4, corrected = 3 }", 3);
    let (code, report) = check_json(portal.root(), "en");
    assert_eq!(code, 1);
    let missing: Vec<String> = diagnostics(&report)
        .iter()
        .filter(|d| d["rule"] == "load.missing-field")
        .map(|d| d["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(missing.len(), 2, "date and reason are required: {report:#}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// The checker accepts a documented correction whose corrected value
    /// matches the listed projects, and rejects an undocumented mismatch,
    /// a correction to a wrong value, and a correction that changes nothing.
    #[test]
    fn corrections_are_accepted_only_when_documented_and_right(
        listed in 1u64..6,
        stated in 1u64..9,
        corrected_off in 0u64..3,
        documented in any::<bool>(),
    ) {
        let corrected = listed + corrected_off;
        let text = if documented { correction(stated, corrected) } else { stated.to_string() };
        let portal = programme_portal(&text, listed);
        let (_, report) = check_json(portal.root(), "en");
        let rules: Vec<String> = diagnostics(&report)
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect();
        let mut expected = Vec::new();
        let checked = if documented { corrected } else { stated };
        if checked != listed {
            expected.push("programme.projects".to_string());
        }
        if documented && stated == corrected {
            expected.push("correction.documented".to_string());
        }
        let mut got = rules.clone();
        got.sort();
        expected.sort();
        prop_assert_eq!(got, expected, "{:#}", report);
    }
}

// ---------------------------------------------------------------------------
// The example: figure set A carries its correction

#[test]
fn the_example_shows_the_25_to_27_correction_everywhere() {
    let portal = Portal::example();
    let data = portal.read("data/county/yishiyiyi-2019.toml");
    assert!(data.contains("projects = { stated = 25, corrected = 27"));
    let site = portal.built();

    // Next to the figure, on the programme page and its 公示 sheet.
    for path in [
        "programmes/yishiyiyi-2019/index.html",
        "programmes/yishiyiyi-2019/print.html",
    ] {
        let page = site.page(path);
        let rows = page.texts("tr");
        let row = rows
            .iter()
            .find(|r| r.starts_with("项目个数"))
            .unwrap_or_else(|| panic!("{path}: no 项目个数 row in {rows:#?}"));
        assert!(row.contains("27 个"), "{row}");
        let notes = page.texts("small.correction");
        assert_eq!(notes.len(), 1, "{path}");
        // The page gives the reason too; the sheet, kept to one A4 page,
        // the correction and its date.
        let expected = if path.ends_with("print.html") {
            "原公布25个，经核对为27个，更正于2019年6月10日"
        } else {
            "原公布25个，经核对为27个，更正于2019年6月10日（"
        };
        assert!(notes[0].starts_with(expected), "{}", notes[0]);
    }
    // The 公示 sheet's summary quotes the total from the data.
    let print = site.page("programmes/yishiyiyi-2019/print.html");
    assert!(
        print.main_text().contains("总投资899.04万元"),
        "{}",
        print.main_text()
    );

    // In the check report, and in checks.json.
    let checks = site.page("checks/index.html");
    let rows = checks.texts("table.corrections tbody tr");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert!(rows[0].contains("原公布25个，经核对为27个，更正于2019年6月10日"));
    assert!(checks.main_text().contains("其中 1 处原公布的数字已更正"));
    let json: Value = serde_json::from_str(&site.text("checks.json")).unwrap();
    let c = &json["corrections"][0];
    assert_eq!(
        (c["stated"].as_str(), c["corrected"].as_str()),
        (Some("25"), Some("27"))
    );
    assert_eq!(c["field"], "stated.projects");
    assert_eq!(c["iso_date"], "2019-06-10");

    // In the downloads.
    let csv = site.text("data/corrections.csv");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "programme_id,field,stated,corrected,date,reason");
    assert!(lines[1].starts_with("yishiyiyi-2019,stated_projects,25,27,2019-06-10,"));
    let programmes = site.text("data/programmes.csv");
    assert!(
        programmes.contains(",27,"),
        "the corrected value is published"
    );
    let package: Value = serde_json::from_str(&site.text("datapackage.json")).unwrap();
    assert!(
        package["resources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["path"] == "data/corrections.csv")
    );

    // The plan quotes the corrected figure from the data and keeps the
    // stated one in its words; nothing of a shortcode is left.
    let plan = site.page("county/yishiyiyi-2019/index.html");
    let text = squash(&plan.main_text());
    assert!(text.contains("项目数更正为27个"), "{text}");
    assert!(text.contains("已完工14个、在建3个、未开工8个"), "{text}");
    assert!(!text.contains("{{<"), "{text}");
}

#[test]
fn the_example_fails_once_its_correction_is_dropped() {
    // Without the correction the stated 25 is an undocumented mismatch.
    let portal = Portal::example();
    let path = "data/county/yishiyiyi-2019.toml";
    let data = portal.read(path);
    let start = data.find("projects = { stated = 25").unwrap();
    let end = start + data[start..].find('\n').unwrap();
    portal.write(
        path,
        format!("{}projects = 25{}", &data[..start], &data[end..]),
    );
    portal
        .check_with(&[])
        .assert_refused()
        .assert_mentions("项目计划公布的项目数为 25 个，但所列项目合计 27 个");
}

#[test]
fn the_999_04_summary_on_the_example_is_refused() {
    let portal = Portal::example();
    let path = "data/county/yishiyiyi-2019.toml";
    let data = portal.read(path);
    let summary_start = data.find("summary = \"在2镇2乡").unwrap();
    let end = summary_start + data[summary_start..].find('\n').unwrap();
    portal.write(
        path,
        format!(
            "{}summary = \"在2镇2乡24个村试点，总投资999.04万元。\"{}",
            &data[..summary_start],
            &data[end..]
        ),
    );
    let run = portal.check_with(&[]);
    run.assert_refused()
        .assert_mentions("文中写的 999.04万元 与「青山县2019年一事一议财政奖补试点」")
        .assert_mentions("可能是想写 899.04万元（总投资）")
        .assert_mentions(&portal.locate(path, "999.04万元"));
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
}

#[test]
fn prose_figures_can_be_a_warning_or_off_for_older_portals() {
    for (setting, code, errors, warnings) in [
        ("\"warning\"", 0, 0, 2),
        ("\"警告\"", 0, 0, 2),
        ("\"off\"", 0, 0, 0),
        ("\"error\"", 1, 2, 0),
    ] {
        let portal = Portal::from_fixture("checks/prose.figure/fail");
        let config = portal.read("cunwu.toml");
        portal.write(
            "cunwu.toml",
            format!("{config}\n[checks]\nprose_figures = {setting}\n"),
        );
        let (got, report) = check_json(portal.root(), "zh");
        assert_eq!(
            (got, report["errors"].as_u64(), report["warnings"].as_u64()),
            (code, Some(errors), Some(warnings)),
            "{setting}: {report:#}"
        );
    }
    // Anything else is refused with the choices.
    let portal = Portal::from_fixture("checks/prose.figure/pass");
    let config = portal.read("cunwu.toml");
    portal.write(
        "cunwu.toml",
        format!("{config}\n[checks]\nprose_figures = \"sometimes\"\n"),
    );
    let (code, report) = check_json(portal.root(), "en");
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        diagnostics(&report)[0]["rule"],
        "load.not-allowed",
        "{report:#}"
    );
}
