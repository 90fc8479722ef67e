//! Values as clerks write them, end to end through the real binary: enum
//! values in Chinese, 是/否 for yes/no fields, numbers written with units or
//! thousands separators (refused with a hint saying what to write), every
//! accepted due-date form of every month, refused due dates with the accepted
//! forms in the hint, and percentages to one decimal, rounded half-up.

mod common;

use common::Portal;
use serde_json::Value;

/// The documented Chinese names and synonyms of every enum a data file
/// writes, by code (docs/data-format.md, "Chinese values").
const LEVELS: &[(&str, &[&str])] = &[
    ("county", &["县"]),
    ("township", &["乡"]),
    ("town", &["镇"]),
    ("village", &["行政村", "村"]),
    ("group", &["村民小组", "组", "小组"]),
];
const STATUS: &[(&str, &[&str])] = &[
    ("completed", &["已完工", "完工", "竣工", "已竣工"]),
    (
        "under_construction",
        &["在建", "在建中", "施工中", "已开工"],
    ),
    ("not_started", &["未开工", "未动工"]),
];
const PROGRESS: &[(&str, &[&str])] = &[
    ("poverty", &["脱贫进度", "脱贫"]),
    ("relocation", &["易地扶贫搬迁进度", "易地扶贫搬迁", "搬迁"]),
    ("poor_villages", &["贫困村退出进度", "贫困村退出"]),
];
const EXIT: &[(&str, &[&str])] = &[
    ("exited", &["已退出", "退出"]),
    ("planned", &["计划退出"]),
    ("not_yet", &["未退出"]),
];
const ACTIVITY: &[(&str, &[&str])] = &[
    ("culture", &["文化"]),
    ("sports", &["体育"]),
    ("party", &["党建"]),
];
const FREQUENCY: &[(&str, &[&str])] = &[
    ("daily", &["每天", "每日"]),
    ("weekly", &["每周"]),
    ("monthly", &["每月"]),
    ("quarterly", &["每季度", "每季"]),
    ("yearly", &["每年"]),
    ("once", &["一次"]),
];
const PAGE_KIND: &[(&str, &[&str])] = &[
    ("plan", &["计划"]),
    ("summary", &["总结"]),
    ("notice", &["公示"]),
    ("report", &["报告"]),
    ("page", &["页面"]),
];
const YES_NO: &[(&str, bool)] = &[
    ("是", true),
    ("否", false),
    ("有", true),
    ("无", false),
    ("已通", true),
    ("未通", false),
];

/// Every (code, written form) of a table: the code itself, then each name.
fn flat(table: &[(&'static str, &[&'static str])]) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<_> = table.iter().map(|&(c, _)| (c, c)).collect();
    for &(code, names) in table {
        out.extend(names.iter().map(|&n| (code, n)));
    }
    out
}

/// `cunwu check --format json --lang zh`: exit code and findings.
fn check(portal: &Portal) -> (i32, Vec<Value>) {
    let run = portal.check_with(&["--format", "json", "--lang", "zh"]);
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    (run.code, json["diagnostics"].as_array().unwrap().clone())
}

/// The rows of a download table of a built site.
fn rows(portal: &Portal, table: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(portal.output().join(format!("data/{table}.json")))
        .unwrap_or_else(|e| panic!("{table}.json: {e}"));
    let json: Value = serde_json::from_str(&text).unwrap();
    json["rows"].as_array().unwrap().clone()
}

fn row<'a>(rows: &'a [Value], key: &str, value: &str) -> &'a Value {
    rows.iter()
        .find(|r| r[key] == value)
        .unwrap_or_else(|| panic!("no row with {key} = {value}: {rows:?}"))
}

const INDICATORS: &[&str] = &[
    "electricity",
    "road",
    "telecom",
    "collective_economy",
    "activity_venue",
    "party_branch",
    "garbage",
    "no_dangerous_housing",
];

/// Each Chinese name and synonym of each enum reads as its code: in round
/// `r` every field takes the `r`-th written form of its table (cycling), the
/// portal builds with no finding, and the download tables give the codes.
#[test]
fn every_chinese_name_of_every_enum_reads_as_its_code() {
    let tables = [STATUS, PROGRESS, EXIT, ACTIVITY, FREQUENCY, PAGE_KIND];
    let rounds = tables
        .iter()
        .map(|t| flat(t).len())
        .chain(LEVELS.iter().map(|(_, n)| n.len() + 1))
        .max()
        .unwrap();
    for r in 0..rounds {
        let pick = |t: &[(&'static str, &[&'static str])]| {
            let f = flat(t);
            f[r % f.len()]
        };
        let level = |code: &str| {
            let names = LEVELS.iter().find(|(c, _)| *c == code).unwrap().1;
            if r % (names.len() + 1) == 0 {
                code.to_string()
            } else {
                names[r % (names.len() + 1) - 1].to_string()
            }
        };
        let portal = Portal::from_fixture("minimal");
        let areas = portal
            .read("data/areas.toml")
            .replace(
                "level = \"county\"",
                &format!("level = \"{}\"", level("county")),
            )
            .replace(
                "level = \"township\"",
                &format!("level = \"{}\"", level("township")),
            )
            .replace(
                "level = \"village\"",
                &format!("level = \"{}\"", level("village")),
            );
        let (status_code, status) = pick(STATUS);
        let (progress_code, progress) = pick(PROGRESS);
        let (exit_code, exit) = pick(EXIT);
        let (activity_code, activity) = pick(ACTIVITY);
        let (frequency_code, frequency) = pick(FREQUENCY);
        let (page_code, page) = pick(PAGE_KIND);
        let (yes_no, met) = YES_NO[r % YES_NO.len()];
        let tally = if progress_code == "poor_villages" {
            "villages = { start = 1, done = 0, remaining = 1 }"
        } else if progress_code == "relocation" {
            "households = { target = 10, done = 4, remaining = 6 }"
        } else {
            "households = { start = 10, done = 4, remaining = 6 }"
        };
        let mut extra = format!(
            "{areas}
[[area]]
id = \"dongpo\"
name = \"东坡镇\"
level = \"{town}\"
parent = \"hexi\"

[[area]]
id = \"xiaowan-1\"
name = \"一组\"
level = \"{group}\"
parent = \"xiaowan\"

[[progress]]
area = \"xiaowan\"
year = 2020
kind = \"{progress}\"
{tally}

[[activity]]
id = \"dance\"
area = \"xiaowan\"
year = 2020
kind = \"{activity}\"
name = \"广场舞\"
frequency = \"{frequency}\"

[[exit]]
area = \"xiaowan\"
year = 2020
status = \"{exit}\"
[exit.indicators]
water = \"{yes_no}\"
poverty_incidence = 1.2
",
            town = level("town"),
            group = level("group"),
        );
        for key in INDICATORS {
            extra.push_str(&format!("{key} = true\n"));
        }
        if exit_code == "exited" && !met {
            // An exited village meets every indicator: keep the value, not the status.
            extra = extra.replace(&format!("status = \"{exit}\""), "status = \"planned\"");
        }
        portal.write("data/areas.toml", extra);
        let project = portal.read("data/xiaowan.toml").replace(
            "status = \"not_started\"",
            &format!("status = \"{status}\""),
        );
        portal.write("data/xiaowan.toml", project);
        let plan = portal
            .read("content/plans/work-plan-2020.md")
            .replace("kind = \"plan\"", &format!("kind = \"{page}\""));
        portal.write("content/plans/work-plan-2020.md", plan);

        let (code, diags) = check(&portal);
        assert_eq!(code, 0, "round {r}: {diags:#?}");
        portal.build_with(&["--quiet"]).assert_ok();
        let areas = rows(&portal, "areas");
        for (id, code) in [
            ("hexi", "county"),
            ("shanyang", "township"),
            ("dongpo", "town"),
            ("xiaowan", "village"),
            ("xiaowan-1", "group"),
        ] {
            assert_eq!(row(&areas, "id", id)["level"], code, "round {r}: {id}");
        }
        let projects = rows(&portal, "projects");
        assert_eq!(projects[0]["status"], status_code, "{status}");
        let progress_rows = rows(&portal, "progress");
        assert_eq!(progress_rows[0]["kind"], progress_code, "{progress}");
        let activities = rows(&portal, "activities");
        assert_eq!(activities[0]["kind"], activity_code, "{activity}");
        assert_eq!(activities[0]["frequency"], frequency_code, "{frequency}");
        let exits = rows(&portal, "exits");
        if exit_code != "exited" || met {
            assert_eq!(exits[0]["status"], exit_code, "{exit}");
        }
        assert_eq!(exits[0]["water"], met, "{yes_no}");
        // The page kind is accepted (the check above); which variant each
        // name reads as is `model::tests::chinese_names_read_as_their_variant`.
        let _ = (page_code, page);
    }
}

/// A name that is neither a code nor a Chinese name is refused, and the
/// finding lists both the codes and the Chinese names.
#[test]
fn an_unknown_value_lists_codes_and_chinese_names() {
    let portal = Portal::from_fixture("minimal");
    let text = portal
        .read("data/xiaowan.toml")
        .replace("status = \"not_started\"", "status = \"快完工了\"");
    portal.write("data/xiaowan.toml", text);
    let (code, diags) = check(&portal);
    assert_eq!(code, 1);
    let d = diags
        .iter()
        .find(|d| d["rule"] == "load.not-allowed")
        .expect("a finding");
    assert_eq!(d["file"], "data/xiaowan.toml");
    assert_eq!(d["line"], 7);
    assert_eq!(d["field"], "project[xiaowan-road].status");
    let expected = d["expected"].as_str().unwrap();
    for (code, names) in STATUS {
        assert!(expected.contains(code), "{expected}");
        for n in *names {
            assert!(expected.contains(n), "{expected}");
        }
    }
}

/// Numbers written with units, percent signs or thousands separators are
/// refused with a hint giving the number to write, in count and amount
/// fields, for a spread of figures.
#[test]
fn numbers_with_units_or_separators_get_a_hint() {
    let figures = ["6300", "20", "16.30", "3.5", "1234567", "1011.00", "999"];
    let mut cases: Vec<(String, String, bool, &str)> = Vec::new();
    for f in figures {
        let whole = !f.contains('.');
        let grouped = group(f);
        for (written, unit, comma) in [
            (format!("{f}元"), Some("元"), false),
            (format!("{f}万元"), Some("万元"), false),
            (format!("{f}%"), Some("%"), false),
            (format!("{f} 户"), Some("户"), false),
            (grouped.clone(), None, true),
            (format!("{grouped}万元"), Some("万元"), true),
        ] {
            if comma && grouped == f {
                continue;
            }
            for field in ["households", "farmland_mu"] {
                if field == "households" && !whole {
                    continue;
                }
                let mut hint = format!("写成 {f}（不加引号）");
                match (comma, unit) {
                    (true, Some(u)) => hint.push_str(&format!("，不要千分位逗号和单位“{u}”")),
                    (true, None) => hint.push_str("，不要千分位逗号"),
                    (false, Some(u)) => hint.push_str(&format!("，不要单位“{u}”")),
                    (false, None) => {}
                }
                cases.push((written.clone(), hint, field == "households", field));
            }
        }
    }
    let portal = Portal::from_fixture("minimal");
    let mut text = portal.read("data/areas.toml");
    for (i, (written, _, _, field)) in cases.iter().enumerate() {
        text.push_str(&format!(
            "\n[[area]]\nid = \"g{i}\"\nname = \"{i}组\"\nlevel = \"group\"\nparent = \"xiaowan\"\n{field} = \"{written}\"\n"
        ));
    }
    portal.write("data/areas.toml", &text);
    let (code, diags) = check(&portal);
    assert_eq!(code, 1);
    for (i, (written, hint, _, field)) in cases.iter().enumerate() {
        let path = format!("area[g{i}].{field}");
        let d = diags
            .iter()
            .find(|d| d["field"] == path.as_str())
            .unwrap_or_else(|| panic!("no finding for {path} = {written}"));
        let line = text[..text.find(&format!("id = \"g{i}\"")).unwrap()]
            .matches('\n')
            .count()
            + 5;
        assert_eq!(d["file"], "data/areas.toml");
        assert_eq!(d["line"], line, "{written}");
        let found = d["found"].as_str().unwrap();
        assert!(found.contains(written.as_str()), "{found} / {written}");
        let h = d["hint"].as_str().unwrap_or_else(|| panic!("no hint: {d}"));
        assert!(h.starts_with(hint.as_str()), "{written}: {h} / {hint}");
        // Households and farmland are not money: no 万元 arithmetic.
        assert!(!h.contains("万元为单位"), "{h}");
    }
}

/// In a money field (万元), a figure written in 元 is refused and the hint
/// gives it in 万元, exactly; `labour_rate` is in 元 and gets no such note.
#[test]
fn yuan_in_a_money_field_is_given_in_wan() {
    let cases = [
        ("total = 30.00", "total = \"300000元\"", "300000元 = 30万元"),
        ("cash = 4.00", "cash = \"20元\"", "20元 = 0.002万元"),
        (
            "fiscal = 20.00",
            "fiscal = \"1,234.5元\"",
            "1234.5元 = 0.12345万元",
        ),
    ];
    for (from, to, note) in cases {
        let portal = Portal::from_fixture("minimal");
        let text = portal.read("data/xiaowan.toml").replace(from, to);
        portal.write("data/xiaowan.toml", text);
        let (code, diags) = check(&portal);
        assert_eq!(code, 1);
        let d = diags
            .iter()
            .find(|d| d["rule"] == "load.bad-number")
            .unwrap_or_else(|| panic!("{diags:#?}"));
        let h = d["hint"].as_str().unwrap();
        assert!(h.contains(note), "{h} / {note}");
        assert!(h.contains("单位“元”"), "{h}");
    }
    let portal = Portal::from_fixture("minimal");
    let text = portal
        .read("data/xiaowan.toml")
        .replace("labour_rate = 20", "labour_rate = \"20元\"");
    portal.write("data/xiaowan.toml", text);
    let (_, diags) = check(&portal);
    let d = diags
        .iter()
        .find(|d| d["rule"] == "load.bad-number")
        .unwrap();
    let h = d["hint"].as_str().unwrap();
    assert!(h.starts_with("写成 20（不加引号），不要单位“元”"), "{h}");
    assert!(!h.contains("万元为单位"), "{h}");
}

/// `6300` → `6,300`.
fn group(f: &str) -> String {
    let (int, frac) = f.split_once('.').map_or((f, None), |(i, d)| (i, Some(d)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(d) = frac {
        out.push('.');
        out.push_str(d);
    }
    out
}

/// The days of a month each written form covers, computed here by hand:
/// (written tail, shown, first day, last day; 0 is the month's last day).
fn month_forms() -> Vec<(&'static str, &'static str, u32, u32)> {
    vec![
        ("上旬", "上旬", 1, 10),
        ("初", "初", 1, 10),
        ("上旬前", "上旬前", 1, 10),
        ("初以前", "初前", 1, 10),
        ("15日", "15日", 15, 15),
        ("15日前", "15日前", 15, 15),
        ("中旬", "中旬", 11, 20),
        ("中旬前", "中旬前", 11, 20),
        ("中旬之前", "中旬前", 11, 20),
        ("中", "中", 11, 20),
        ("下旬", "下旬", 21, 0),
        ("底", "底", 21, 0),
        ("底前", "底前", 21, 0),
        ("末", "底", 21, 0),
        ("", "", 1, 0),
    ]
}

fn last_day(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Every form of every month, with and without the year, through the real
/// binary: the portal checks clean (in the plan's year, in order), and the
/// milestones download gives the exact first day and deadline of each.
#[test]
fn every_due_form_of_every_month_reads_to_its_days() {
    let portal = Portal::from_fixture("minimal");
    let mut text = String::new();
    let mut expect = Vec::new();
    for m in 1..=12u32 {
        let mut forms: Vec<_> = month_forms();
        forms.sort_by_key(|&(_, _, _, end)| if end == 0 { 99 } else { end });
        for (i, (tail, shown, first, last)) in forms.into_iter().enumerate() {
            let last = if last == 0 { last_day(2020, m) } else { last };
            let label = format!("m{m}-{i}");
            let (due, year) = if i % 2 == 0 {
                (format!("2020年{m}月{tail}"), String::new())
            } else {
                (format!("{m}月{tail}"), "year = 2020\n".to_string())
            };
            text.push_str(&format!(
                "[[milestone]]\nplan = \"plans/work-plan-2020\"\nlabel = \"{label}\"\ndue = \"{due}\"\n{year}\n"
            ));
            expect.push((
                label,
                format!("{m}月{shown}"),
                format!("2020-{m:02}-{first:02}"),
                format!("2020-{m:02}-{last:02}"),
            ));
        }
    }
    portal.write("data/milestones.toml", &text);
    let (code, diags) = check(&portal);
    assert_eq!(code, 0, "{diags:#?}");
    portal.build_with(&["--quiet"]).assert_ok();
    let rows = rows(&portal, "milestones");
    assert_eq!(rows.len(), expect.len());
    for (label, shown, start, deadline) in expect {
        let r = row(&rows, "label", &label);
        assert_eq!(r["due"], shown.as_str(), "{label}");
        assert_eq!(r["due_start"], start.as_str(), "{label}");
        assert_eq!(r["deadline"], deadline.as_str(), "{label}");
    }
}

/// The seed's own wording: "2020年4月中旬前" is due on 20 April, not 30.
#[test]
fn mid_april_by_is_due_on_the_twentieth() {
    let portal = Portal::from_fixture("minimal");
    portal.write(
        "data/milestones.toml",
        "[[milestone]]\nplan = \"plans/work-plan-2020\"\nlabel = \"完成录入\"\ndue = \"2020年4月中旬前\"\n\n\
         [[milestone]]\nplan = \"plans/work-plan-2020\"\nlabel = \"每月走访\"\ndue = \"7月至12月 每月\"\nyear = 2020\n\n\
         [[milestone]]\nplan = \"plans/work-plan-2020\"\nlabel = \"验收\"\ndue = \"2020年9月下旬\"\n",
    );
    let (code, diags) = check(&portal);
    assert_eq!(code, 0, "{diags:#?}");
    portal.build_with(&["--quiet"]).assert_ok();
    let rows = rows(&portal, "milestones");
    let r = row(&rows, "label", "完成录入");
    assert_eq!(r["deadline"], "2020-04-20");
    assert_eq!(r["due"], "4月中旬前");
    // A monthly step runs July to December; the steps after it are in
    // order by its first deadline (31 July).
    let r = row(&rows, "label", "每月走访");
    assert_eq!(r["due"], "7月至12月每月");
    assert_eq!(r["due_start"], "2020-07-01");
    assert_eq!(r["deadline"], "2020-12-31");
    // The plan's timeline: April (by the 20th), then July (the monthly
    // step, under its first month), then September.
    let site = common::Site::at(portal.output());
    let page = site.page("plans/work-plan-2020/index.html");
    assert_eq!(
        page.texts(".tl-head"),
        ["2020年4月", "2020年7月", "2020年9月"]
    );
    let steps = page.texts(".tl-step");
    assert!(
        steps[0].contains("4月中旬前") && steps[0].contains("2020年4月20日前完成"),
        "{steps:?}"
    );
    assert!(
        steps[1].contains("7月至12月每月")
            && steps[1].contains("每月底前完成，最后一次 2020年12月31日"),
        "{steps:?}"
    );
}

/// Forms outside the grammar are findings with file:line, field, and the
/// accepted forms (or the specific fix) in the hint, in Chinese.
#[test]
fn refused_due_dates_say_what_to_write() {
    let tails = [
        "随便写",
        "中中旬",
        "旬",
        "上半月",
        "后",
        "中旬后",
        "左右",
        "每月",
    ];
    let mut cases: Vec<(String, &str)> = Vec::new();
    for m in 1..=12u32 {
        for t in tails {
            cases.push((format!("2020年{m}月{t}"), "可以写："));
        }
        cases.push((format!("2020年{m}月前"), "月底前"));
        cases.push((format!("{m}月中旬前"), "没有写年份"));
    }
    cases.push(("4月随便写".into(), "可以写："));
    cases.push(("2020年12月至7月 每月".into(), "可以写："));
    let portal = Portal::from_fixture("minimal");
    let mut text = String::new();
    for (due, _) in &cases {
        text.push_str(&format!(
            "[[milestone]]\nplan = \"plans/work-plan-2020\"\nlabel = \"x\"\ndue = \"{due}\"\n\n"
        ));
    }
    portal.write("data/milestones.toml", &text);
    let (code, diags) = check(&portal);
    assert_eq!(code, 1);
    let bad: Vec<&Value> = diags
        .iter()
        .filter(|d| d["rule"] == "load.bad-date")
        .collect();
    assert_eq!(bad.len(), cases.len(), "{diags:#?}");
    for (i, (due, hint)) in cases.iter().enumerate() {
        let d = bad[i];
        assert_eq!(d["file"], "data/milestones.toml");
        assert_eq!(d["line"], 5 * i + 4, "{due}");
        assert_eq!(d["field"], format!("milestone[{i}].due").as_str());
        assert!(d["message"].as_str().unwrap().contains("不是合法的日期"));
        assert!(d["found"].as_str().unwrap().contains(due.as_str()));
        let h = d["hint"].as_str().unwrap();
        assert!(h.contains(hint), "{due}: {h}");
        if *hint == "可以写：" {
            for form in ["中旬", "月底", "前", "每月", "2020-03-15"] {
                assert!(h.contains(form), "{h}");
            }
        }
    }
}

/// 285 of 402 households shows 70.9 %, not a floored 70 %.
#[test]
fn progress_shows_one_decimal_rounded_half_up() {
    let portal = Portal::from_fixture("minimal");
    let mut text = portal.read("data/areas.toml");
    text.push_str(
        "\n[[progress]]\narea = \"xiaowan\"\nyear = 2020\nkind = \"poverty\"\nhouseholds = { start = 402, done = 285, remaining = 117 }\n",
    );
    portal.write("data/areas.toml", text);
    let site = portal.built();
    let page = site.page("areas/xiaowan/index.html");
    let body = page.main_text();
    assert!(body.contains("70.9%"), "{body}");
    assert!(!body.contains(" 70%"), "{body}");
}

/// Yes/no front matter (`draft`) reads 是/否 and its synonyms like true/false.
#[test]
fn draft_reads_yes_and_no_in_chinese() {
    for &(word, yes) in YES_NO {
        let portal = Portal::from_fixture("minimal");
        portal.write(
            "content/plans/extra.md",
            format!(
                "+++\ntitle = \"草稿\"\ndate = 2020-03-01\ndraft = \"{word}\"\n+++\n\n正文。\n"
            ),
        );
        let site = portal.built();
        assert_eq!(
            site.exists("plans/extra/index.html"),
            !yes,
            "draft = {word}"
        );
    }
}
