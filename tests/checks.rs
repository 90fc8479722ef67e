//! The checker's figure rules, end to end: the real binary over small fixture
//! portals under `tests/fixtures/checks/<rule>/{pass,fail}/`.
//!
//! A failing fixture's test pins the rule id, file, line, field, expected and
//! found values, the message and every label. A passing fixture's test builds
//! the site and reads `checks.json` to show that the rule really looked at the
//! records (a rule that silently skipped everything would also "pass").

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::Expect;
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures/checks").join(rel)
}

fn cunwu() -> Command {
    let mut cmd = Command::cargo_bin("cunwu").expect("the cunwu binary");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// `cunwu check --format json --lang en`: the exit code and the parsed report.
fn check_json(root: &Path) -> (i32, Value) {
    let out = cunwu()
        .args(["check", "--format", "json", "--lang", "en", "--root"])
        .arg(root)
        .output()
        .expect("cunwu runs");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check --format json printed no JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().expect("an exit code"), json)
}

fn diagnostics(report: &Value) -> &Vec<Value> {
    report["diagnostics"].as_array().expect("diagnostics array")
}

/// `cunwu build` into a temporary folder; the `rules` of its `checks.json`.
fn rules_ran(root: &Path) -> Vec<Value> {
    let out = tempfile::tempdir().expect("a temporary folder");
    let site = out.path().join("site");
    cunwu()
        .args(["build", "--quiet", "--lang", "en", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&site)
        .assert()
        .success();
    let text = std::fs::read_to_string(site.join("checks.json")).expect("checks.json");
    let json: Value = serde_json::from_str(&text).expect("checks.json is JSON");
    json["rules"].as_array().expect("rules array").clone()
}

/// A passing fixture: no finding at all, and `rule` ran over at least one record.
fn passes(rule: &str, dir: &str) {
    let root = fixture(&format!("{rule}/{dir}"));
    let (code, report) = check_json(&root);
    assert_eq!(
        (code, report["errors"].as_u64(), report["warnings"].as_u64()),
        (0, Some(0), Some(0)),
        "{rule}/{dir} should pass cleanly: {report:#}"
    );
    let runs = rules_ran(&root);
    let run = runs
        .iter()
        .find(|r| r["rule"] == rule)
        .unwrap_or_else(|| panic!("{rule} did not run on {rule}/{dir}: {runs:#?}"));
    assert!(run["records"].as_u64().unwrap() >= 1, "{run}");
    assert_eq!(run["failures"], 0, "{run}");
}

/// A failing fixture: exit 1, and exactly the expected findings, all of `rule`.
fn fails(rule: &str, dir: &str, expect: &[Expect]) {
    let root = fixture(&format!("{rule}/{dir}"));
    let (code, report) = check_json(&root);
    assert_eq!(code, 1, "{rule}/{dir} should be refused: {report:#}");
    let diags = diagnostics(&report);
    assert_eq!(
        diags.len(),
        expect.len(),
        "{rule}/{dir}: wrong number of findings: {report:#}"
    );
    assert_eq!(report["errors"].as_u64(), Some(expect.len() as u64));
    for (d, e) in diags.iter().zip(expect) {
        common::assert_finding(d, rule, e);
        // The first label is the finding's own place.
        assert_eq!(d["labels"][0]["line"], d["line"]);
        assert_eq!(d["labels"][0]["file"], d["file"]);
    }
}

const DATA: &str = "data/data.toml";

// ----- funds -----

#[test]
fn funds_total_pass() {
    passes("funds.total", "pass");
}

#[test]
fn funds_total_fail() {
    fails(
        "funds.total",
        "fail",
        &[Expect {
            file: DATA,
            line: 16,
            field: "project[road].funds.total",
            expected: "899.04",
            found: "899.05",
            message: &["899.05", "899.04", "off by 0.01 万元"],
            labels: &[
                (16, "total 899.05"),
                (17, "villagers 659.00"),
                (18, "fiscal 219.98"),
                (19, "social 20.06"),
            ],
        }],
    );
}

#[test]
fn funds_villagers_pass() {
    passes("funds.villagers", "pass");
}

#[test]
fn funds_villagers_fail() {
    fails(
        "funds.villagers",
        "fail",
        &[Expect {
            file: DATA,
            line: 17,
            field: "project[road].funds.villagers",
            expected: "748",
            found: "758",
            message: &["758", "748", "off by 10 万元"],
            labels: &[
                (17, "villagers 758"),
                (18, "cash 228"),
                (19, "labour value 520"),
            ],
        }],
    );
}

#[test]
fn funds_fiscal_levels_pass() {
    passes("funds.fiscal-levels", "pass");
}

#[test]
fn funds_fiscal_levels_fail() {
    fails(
        "funds.fiscal-levels",
        "fail",
        &[Expect {
            file: DATA,
            line: 17,
            field: "project[road].funds.fiscal",
            expected: "243",
            found: "253",
            message: &["253", "243", "off by 10 万元"],
            labels: &[
                (17, "fiscal 253"),
                (20, "central+provincial 169"),
                (21, "city+county 74"),
            ],
        }],
    );
}

#[test]
fn funds_labour_value_pass() {
    // Includes 1234 days × 25 元 = 3.085 万元, written 3.09 (rounded half up).
    passes("funds.labour-value", "pass");
}

#[test]
fn funds_labour_value_fail() {
    fails(
        "funds.labour-value",
        "fail",
        &[Expect {
            file: DATA,
            line: 19,
            field: "project[road].funds.labour_value",
            expected: "530",
            found: "520",
            message: &[
                "265000 days × 20 元/day ÷ 10000 = 530 万元",
                "off by 10 万元",
            ],
            labels: &[
                (19, "labour value 520"),
                (17, "labour days 265000"),
                (18, "daily rate 20"),
            ],
        }],
    );
}

// ----- programme -----

#[test]
fn programme_total_pass() {
    passes("programme.total", "pass");
}

#[test]
fn programme_total_fail() {
    fails(
        "programme.total",
        "fail",
        &[
            Expect {
                file: DATA,
                line: 15,
                field: "programme[pilot].funds.total",
                expected: "99.99",
                found: "100.00",
                message: &["100.00", "99.99", "off by 0.01 万元"],
                labels: &[
                    (15, "total 100.00"),
                    (28, "road: total 50.00"),
                    (41, "bridge: total 49.99"),
                ],
            },
            Expect {
                file: DATA,
                line: 17,
                field: "programme[pilot].funds.fiscal",
                expected: "59.99",
                found: "60.00",
                message: &["fiscal awards", "60.00", "59.99", "off by 0.01 万元"],
                labels: &[
                    (17, "fiscal 60.00"),
                    (30, "road: fiscal 30.00"),
                    (43, "bridge: fiscal 29.99"),
                ],
            },
        ],
    );
}

#[test]
fn programme_projects_pass() {
    passes("programme.projects", "pass");
}

#[test]
fn programme_projects_fail() {
    fails(
        "programme.projects",
        "fail",
        &[Expect {
            file: DATA,
            line: 15,
            field: "programme[pilot].stated.projects",
            expected: "3",
            found: "4",
            message: &["states 4 projects", "add up to 3"],
            // A line without `count` counts once and is labelled at its id.
            labels: &[
                (15, "projects 4"),
                (25, "roads: count 2"),
                (32, "bridge: count 1"),
            ],
        }],
    );
}

#[test]
fn programme_categories_pass() {
    passes("programme.categories", "pass");
}

#[test]
fn programme_categories_fail() {
    fails(
        "programme.categories",
        "fail",
        &[Expect {
            file: DATA,
            line: 15,
            field: "programme[pilot].stated.categories",
            expected: "2",
            found: "3",
            message: &["states 3 categories", "have 2: 村组道路, 人行便桥"],
            labels: &[
                (15, "categories 3"),
                (23, "road-east: category 村组道路"),
                (34, "bridge: category 人行便桥"),
            ],
        }],
    );
}

#[test]
fn programme_status_pass() {
    passes("programme.status", "pass");
}

#[test]
fn programme_status_fail_against_projects() {
    fails(
        "programme.status",
        "fail",
        &[
            Expect {
                file: DATA,
                line: 16,
                field: "programme[pilot].stated.completed",
                expected: "2",
                found: "1",
                message: &["projects completed, 1", "projects completed, 2"],
                labels: &[(16, "completed 1"), (28, "roads: completed 2")],
            },
            Expect {
                file: DATA,
                line: 17,
                field: "programme[pilot].stated.under_construction",
                expected: "1",
                found: "2",
                message: &["under construction, 2", "under construction, 1"],
                labels: &[
                    (17, "under construction 2"),
                    (41, "bridge: under construction 1"),
                ],
            },
        ],
    );
}

#[test]
fn programme_status_fail_sum() {
    fails(
        "programme.status",
        "fail-sum",
        &[Expect {
            file: DATA,
            line: 16,
            field: "programme[pilot].stated.completed",
            expected: "25",
            found: "26",
            message: &["14 + 3 + 9 = 26", "25 projects"],
            labels: &[
                (16, "completed 14"),
                (17, "under construction 3"),
                (18, "not started 9"),
                (15, "projects 25"),
            ],
        }],
    );
}

#[test]
fn programme_status_fail_when_projects_have_no_status() {
    fails(
        "programme.status",
        "fail-unverifiable",
        &[Expect {
            file: DATA,
            line: 16,
            field: "programme[pilot].stated.completed",
            expected: "status: 2/2",
            found: "status: 1/2",
            message: &["cannot be verified", "1 of its 2 listed project lines"],
            labels: &[
                (16, "completed 2"),
                (17, "under construction 1"),
                (18, "not started 0"),
                (21, "roads: no status"),
            ],
        }],
    );
}

#[test]
fn programme_areas_pass() {
    // Also holds a programme covering townships that states 24 villages:
    // not verifiable from covers, so not reported.
    passes("programme.areas", "pass");
}

#[test]
fn programme_areas_fail() {
    fails(
        "programme.areas",
        "fail",
        &[Expect {
            file: DATA,
            line: 47,
            field: "programme[pilot].stated.villages",
            expected: "3",
            found: "4",
            message: &["states 4 villages", "covers lists 3"],
            labels: &[
                (47, "villages 4"),
                (43, "fenshui: village"),
                (43, "xiuwen: village"),
                (43, "heping: village"),
            ],
        }],
    );
}

#[test]
fn policy_share_pass() {
    passes("policy.share", "pass");
}

#[test]
fn policy_share_fail_beyond_tolerance() {
    fails(
        "policy.share",
        "fail",
        &[Expect {
            file: DATA,
            line: 19,
            field: "programme[plan-2020].funds.fiscal_levels.central_provincial",
            expected: "≈168.67 ± 1",
            found: "171",
            message: &["171", "2/3", "253", "declared tolerance of 1 万元"],
            labels: &[
                (19, "central+provincial 171"),
                (16, "fiscal 253"),
                (25, "ratio 2/3"),
                (26, "tolerance 1"),
            ],
        }],
    );
}

#[test]
fn policy_share_fail_exact_without_tolerance() {
    fails(
        "policy.share",
        "fail-exact",
        &[Expect {
            file: DATA,
            line: 19,
            field: "programme[plan-2020].funds.fiscal_levels.central_provincial",
            expected: "≈168.67",
            found: "169",
            message: &["169", "no tolerance is declared"],
            labels: &[
                (19, "central+provincial 169"),
                (16, "fiscal 253"),
                (25, "ratio 2/3"),
            ],
        }],
    );
}

// ----- counts -----

#[test]
fn counts_people_households_pass() {
    passes("counts.people-households", "pass");
}

#[test]
fn counts_people_households_fail() {
    fails(
        "counts.people-households",
        "fail",
        &[Expect {
            file: DATA,
            line: 14,
            field: "area[xialongjing].population",
            expected: ">= 73",
            found: "37",
            message: &["people 37", "households 73"],
            labels: &[(14, "population 37"), (13, "households 73")],
        }],
    );
}

#[test]
fn counts_labourers_pass() {
    passes("counts.labourers", "pass");
}

#[test]
fn counts_labourers_fail() {
    fails(
        "counts.labourers",
        "fail",
        &[Expect {
            file: DATA,
            line: 15,
            field: "area[xialongjing].labourers",
            expected: "<= 317",
            found: "1860",
            message: &["labourers 1860", "people 317"],
            labels: &[(15, "labourers 1860"), (14, "population 317")],
        }],
    );
}

#[test]
fn counts_beneficiaries_pass() {
    passes("counts.beneficiaries", "pass");
}

#[test]
fn counts_beneficiaries_fail() {
    fails(
        "counts.beneficiaries",
        "fail",
        &[
            Expect {
                file: DATA,
                line: 29,
                field: "project[road].beneficiaries",
                expected: "<= 317",
                found: "3170",
                message: &["3170", "317", "`xialongjing`"],
                labels: &[
                    (29, "beneficiaries 3170"),
                    (14, "xialongjing: population 317"),
                ],
            },
            Expect {
                file: DATA,
                line: 43,
                field: "programme[pilot].stated.beneficiaries",
                expected: "<= 317",
                found: "400",
                message: &["400", "1 covered areas, 317 in all"],
                labels: &[
                    (43, "beneficiaries 400"),
                    (14, "xialongjing: population 317"),
                ],
            },
        ],
    );
}

#[test]
fn counts_children_pass() {
    passes("counts.children", "pass");
}

#[test]
fn counts_children_fail() {
    fails(
        "counts.children",
        "fail",
        &[Expect {
            file: DATA,
            line: 14,
            field: "area[limu].population",
            expected: ">= 1100",
            found: "1000",
            message: &["add up to 1100", "population 1000"],
            labels: &[
                (14, "population 1000"),
                (22, "xialongjing: population 600"),
                (30, "shangba: population 500"),
            ],
        }],
    );
}

#[test]
fn counts_percent_pass() {
    passes("counts.percent", "pass");
}

#[test]
fn counts_percent_fail() {
    fails(
        "counts.percent",
        "fail",
        &[Expect {
            file: DATA,
            line: 13,
            field: "progress[qingshan/2020/poverty].incidence",
            expected: "0–100",
            found: "120",
            message: &["120", "between 0 and 100"],
            labels: &[(13, "incidence 120")],
        }],
    );
}

// ----- progress -----

#[test]
fn progress_remaining_pass() {
    passes("progress.remaining", "pass");
}

#[test]
fn progress_remaining_fail() {
    fails(
        "progress.remaining",
        "fail",
        &[Expect {
            file: DATA,
            line: 12,
            field: "progress[qingshan/2020/poverty].households.remaining",
            expected: "59",
            found: "69",
            message: &["start 142 − done 83 = 59", "remaining is 69"],
            labels: &[(12, "remaining 69"), (12, "start 142"), (12, "done 83")],
        }],
    );
}

#[test]
fn progress_done_pass() {
    passes("progress.done", "pass");
}

#[test]
fn progress_done_fail() {
    fails(
        "progress.done",
        "fail",
        &[
            Expect {
                file: DATA,
                line: 12,
                field: "progress[qingshan/2020/relocation].households.this_year",
                expected: "<= 26",
                found: "27",
                message: &["this year's goal 27", "remaining 26"],
                labels: &[(12, "this year 27"), (12, "remaining 26")],
            },
            Expect {
                file: DATA,
                line: 13,
                field: "progress[qingshan/2020/relocation].people.done",
                expected: "<= 106",
                found: "140",
                message: &["done 140 exceeds target 106"],
                labels: &[(13, "done 140"), (13, "target 106")],
            },
        ],
    );
}

#[test]
fn progress_incidence_pass() {
    passes("progress.incidence", "pass");
}

#[test]
fn progress_incidence_fail() {
    fails(
        "progress.incidence",
        "fail",
        &[Expect {
            file: DATA,
            line: 21,
            field: "progress[longtuo/2020/poverty].incidence",
            expected: "0.94",
            found: "0.93",
            message: &[
                "117 ÷ population 12460 × 100 = 0.9390…",
                "0.94 % at 2 decimals",
            ],
            labels: &[
                (21, "incidence 0.93"),
                (20, "remaining 117"),
                (14, "longtuo: population 12460"),
            ],
        }],
    );
}

// ----- exit and relocation -----

#[test]
fn exit_indicators_pass() {
    // An exited village meeting all of 四通四有一无一低, and a planned one that does not yet.
    passes("exit.indicators", "pass");
}

#[test]
fn exit_indicators_pass_with_a_configured_set() {
    passes("exit.indicators", "pass-configured");
}

#[test]
fn exit_indicators_fail() {
    fails(
        "exit.indicators",
        "fail",
        &[
            Expect {
                file: DATA,
                line: 21,
                field: "exit[xiuwen/2019].indicators.telecom",
                expected: "telecom = true",
                found: "—",
                message: &["“通讯” (telecom) is missing"],
                labels: &[(21, "missing “通讯”")],
            },
            Expect {
                file: DATA,
                line: 31,
                field: "exit[xiuwen/2019].indicators.garbage",
                expected: "true",
                found: "false",
                message: &["marked exited", "(garbage)"],
                labels: &[(31, "有垃圾集中处理设施 false"), (23, "exited")],
            },
            Expect {
                file: DATA,
                line: 34,
                field: "exit[xiuwen/2019].indicators.poverty_incidence",
                expected: "< 3",
                found: "3",
                message: &["is 3 %, not below 3 %"],
                labels: &[(34, "贫困发生率低于3% 3"), (23, "exited")],
            },
            Expect {
                file: DATA,
                line: 35,
                field: "exit[xiuwen/2019].indicators.gas",
                expected: "water, electricity, road, telecom, collective_economy, activity_venue, garbage, party_branch, no_dangerous_housing, poverty_incidence",
                found: "gas",
                message: &["unknown exit indicator `gas`"],
                labels: &[(35, "here")],
            },
        ],
    );
}

#[test]
fn relocation_housing_pass() {
    passes("relocation.housing", "pass");
}

#[test]
fn relocation_housing_fail() {
    fails(
        "relocation.housing",
        "fail",
        &[Expect {
            file: DATA,
            line: 13,
            field: "progress[qingshan/2020/relocation].housing_m2_per_person",
            expected: "<= 25",
            found: "28.5",
            message: &["28.5 m²", "limit of 25 m²"],
            labels: &[(13, "housing per person 28.5")],
        }],
    );
}

// ----- whole portals -----

/// The brief's programme: 25 projects stated, 27 itemised.
#[test]
fn inconsistent_programme_is_rejected_with_both_numbers() {
    let (code, report) = check_json(&repo().join("tests/fixtures/inconsistent-programme"));
    assert_eq!(code, 1);
    let diags = diagnostics(&report);
    let projects = diags
        .iter()
        .find(|d| d["rule"] == "programme.projects")
        .expect("a programme.projects finding");
    let message = projects["message"].as_str().unwrap();
    assert!(
        message.contains("25") && message.contains("27"),
        "{message}"
    );
    assert_eq!(projects["file"], "data/yishiyiyi-2019.toml");
    assert_eq!(projects["line"], 14);
    assert_eq!(
        projects["field"],
        "programme[yishiyiyi-2019].stated.projects"
    );
    assert_eq!(
        (projects["expected"].as_str(), projects["found"].as_str()),
        (Some("27"), Some("25"))
    );
    // The status counts cannot be verified: no itemised project has a status.
    let status = diags
        .iter()
        .find(|d| d["rule"] == "programme.status")
        .expect("a programme.status finding");
    let message = status["message"].as_str().unwrap();
    assert!(
        message.contains("25") && message.contains("27"),
        "{message}"
    );
    // Nothing else is wrong in that fixture.
    assert_eq!(diags.len(), 2, "{report:#}");
}

/// Twenty different mistakes across seven files, all reported in one run.
#[test]
fn twenty_mistakes_are_all_reported_in_one_run() {
    let (code, report) = check_json(&fixture("twenty-mistakes"));
    assert_eq!(code, 1);
    assert_eq!(report["errors"], 20, "{report:#}");
    let diags = diagnostics(&report);
    assert_eq!(diags.len(), 20);
    let rules: BTreeSet<&str> = diags.iter().map(|d| d["rule"].as_str().unwrap()).collect();
    let expected: BTreeSet<&str> = [
        "counts.beneficiaries",
        "counts.children",
        "counts.labourers",
        "counts.people-households",
        "counts.percent",
        "exit.indicators",
        "funds.fiscal-levels",
        "funds.labour-value",
        "funds.total",
        "funds.villagers",
        "policy.share",
        "programme.areas",
        "programme.categories",
        "programme.projects",
        "programme.status",
        "programme.total",
        "progress.done",
        "progress.incidence",
        "progress.remaining",
        "relocation.housing",
    ]
    .into_iter()
    .collect();
    assert_eq!(rules, expected);
    let files: BTreeSet<&str> = diags.iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert_eq!(files.len(), 7, "{files:?}");
    for d in diags {
        assert!(d["line"].as_u64().is_some_and(|l| l > 0), "{d:#}");
        assert!(
            d["field"].is_string() && d["expected"].is_string() && d["found"].is_string(),
            "{d:#}"
        );
    }
}

/// The example portal at the repository root is consistent.
#[test]
fn bundled_example_passes() {
    let (code, report) = check_json(&repo());
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["errors"], 0, "{report:#}");
    assert_eq!(report["schema"], "cunwu.diagnostics.v1");
}

/// Every figure rule looks at the example's records (none silently skipped).
#[test]
fn bundled_example_exercises_every_figure_rule() {
    let runs = rules_ran(&repo());
    for rule in [
        "funds.total",
        "funds.villagers",
        "funds.fiscal-levels",
        "funds.labour-value",
        "programme.total",
        "programme.projects",
        "programme.categories",
        "programme.status",
        "programme.areas",
        "policy.share",
        "counts.people-households",
        "counts.labourers",
        "counts.beneficiaries",
        "counts.children",
        "counts.percent",
        "progress.remaining",
        "progress.done",
        "progress.incidence",
        "exit.indicators",
        "relocation.housing",
    ] {
        let run = runs.iter().find(|r| r["rule"] == rule);
        let records = run.and_then(|r| r["records"].as_u64()).unwrap_or(0);
        assert!(
            records >= 1,
            "{rule} looked at no record of the example: {runs:#?}"
        );
        assert_eq!(run.unwrap()["failures"], 0);
    }
}

// ----- human output -----

fn human(root: &Path, lang: Option<&str>) -> (i32, String) {
    let mut cmd = cunwu();
    cmd.arg("check").arg("--root").arg(root);
    if let Some(lang) = lang {
        cmd.args(["--lang", lang]);
    }
    let out = cmd.output().expect("cunwu runs");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

#[test]
fn human_output_in_chinese_by_default() {
    let (code, text) = human(&fixture("funds.total/fail"), None);
    assert_eq!(code, 1);
    let expected = "\
error[funds.total]: 总额 899.05 万元不等于群众、财政、社会三项来源之和 899.04 万元，差 0.01 万元
   ┌─ data/data.toml:16:9
   │
16 │ total = 899.05
   │         ^^^^^^ 总额 899.05
17 │ villagers = 659.00
   │             ------ 群众 659.00
18 │ fiscal = 219.98
   │          ------ 财政 219.98
19 │ social = 20.06
   │          ----- 社会 20.06
   │
   = 字段: project[road].funds.total
   = 应为: 899.04
   = 实际: 899.05
   = 提示: 总额和各来源中至少有一个写错了，请对照原方案逐项核对；没有社会投入时可以不写 social

核查未通过：1 个错误，0 个警告
";
    assert_eq!(text, expected);
}

#[test]
fn human_output_in_english() {
    let (code, text) = human(&fixture("progress.remaining/fail"), Some("en"));
    assert_eq!(code, 1);
    let expected = "\
error[progress.remaining]: households: start 142 − done 83 = 59, but remaining is 69
   ┌─ data/data.toml:12:52
   │
12 │ households = { start = 142, done = 83, remaining = 69, this_year = 59 }
   │                        ---         --              ^^ remaining 69
   │                        │           │                
   │                        │           done 83
   │                        start 142
   │
   = field: progress[qingshan/2020/poverty].households.remaining
   = expected: 59
   = found: 69
   = hint: remaining = start (or target) − done; check the three figures

check failed: 1 error, 0 warnings
";
    assert_eq!(text, expected);
}

/// Every kind that names an area has the reference resolved: a relapse
/// record naming an area that does not exist is reported at its line (it was
/// silently accepted before record kinds were one list).
#[test]
fn a_relapse_naming_an_unknown_area_is_reported() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("portal");
    copy_dir(&fixture("progress.remaining/pass"), &root);
    std::fs::write(
        root.join("data/relapse.toml"),
        "# 返贫统计\n[[relapse]]\narea = \"nowhere\"\nyear = 2020\nhouseholds = 12\npeople = 41\n",
    )
    .unwrap();
    let (code, report) = check_json(&root);
    assert_eq!(code, 1, "{report:#}");
    let found: Vec<&Value> = diagnostics(&report)
        .iter()
        .filter(|d| d["rule"] == "refs.resolve")
        .collect();
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0]["file"], "data/relapse.toml");
    assert_eq!(found[0]["line"], 3);
    assert_eq!(found[0]["field"], "relapse.area");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
