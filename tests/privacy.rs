//! The privacy gate (issue 4): nothing about an individual household ever
//! reaches the site.
//!
//! Every leak has a fixture under `tests/fixtures/privacy/<leak>/`: the files
//! that, copied over the clean portal `tests/fixtures/privacy/clean/`, add the
//! leak. Each refused fixture is checked the same way (see [`assert_leak_refused`]):
//! build the clean portal once, insert the leak, build again, and expect exit 1,
//! the file, line, column and rule in stderr, the identifier only in masked
//! form, and `public/` byte-identical to the first build.
//!
//! The fixtures for small counts build successfully: the figures are
//! published in suppressed form (`<5`, 不公开), which the tests read back from
//! the HTML.
//!
//! Library-level tests show that the output scan catches an identifier that
//! reached the output without being in any scanned input, and a property test
//! inserts random identifiers into a plan and a data file.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{PROVINCES, Portal, Run, Site, fixture_dir, snapshot};
use cunwu::messages::Lang;
use scraper::Selector;
use tempfile::TempDir;

// ---------------------------------------------------------------------------
// Helpers

/// A copy of the clean portal.
fn clean() -> Portal {
    Portal::from_fixture("privacy/clean")
}

/// Copies every file of `tests/fixtures/privacy/<fixture>/` over the portal.
fn overlay(portal: &Portal, fixture: &str) {
    fn walk(base: &Path, dir: &Path, portal: &Portal) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(base, &path, portal);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                portal.write(&rel.join("/"), std::fs::read(&path).unwrap());
            }
        }
    }
    let dir = fixture_dir(&format!("privacy/{fixture}"));
    assert!(dir.is_dir(), "no fixture {}", dir.display());
    walk(&dir, &dir, portal);
}

/// The clean portal with `fixture` copied over it.
fn portal_with(fixture: &str) -> Portal {
    let portal = clean();
    overlay(&portal, fixture);
    portal
}

/// One leak and what the refusal must say about it.
struct Leak<'a> {
    /// Folder under `tests/fixtures/privacy/`.
    fixture: &'a str,
    /// The portal file the finding must point at.
    file: &'a str,
    /// Text whose first occurrence in `file` is where the finding points.
    at: &'a str,
    rule: &'a str,
    /// The personal data itself, as written: it must never be printed.
    secrets: &'a [&'a str],
    /// What is printed instead.
    masked: &'a str,
}

/// Builds the clean portal, inserts the leak, builds again: refused, with
/// file:line:column and rule, nothing unmasked, and `public/` unchanged.
fn assert_leak_refused(leak: &Leak, extra_args: &[&str]) -> (Portal, Run) {
    let portal = clean();
    portal.built();
    let before = snapshot(&portal.output());
    assert!(
        before.contains_key("index.html"),
        "the clean build wrote no site"
    );

    overlay(&portal, leak.fixture);
    let run = portal.build_with(extra_args);
    run.assert_refused()
        .assert_mentions(&portal.locate(leak.file, leak.at))
        .assert_mentions(&format!("error[{}]", leak.rule))
        .assert_mentions(leak.masked);
    for secret in leak.secrets {
        run.assert_not_mentions(secret);
        assert!(!run.stdout.contains(secret), "stdout shows `{secret}`");
    }
    let after = snapshot(&portal.output());
    assert!(
        after == before,
        "public/ changed after the refused build of `{}`",
        leak.fixture
    );
    (portal, run)
}

/// The relapse table of an area's page: year → [households, people, rate].
fn relapse_rows(site: &Site, area: &str) -> BTreeMap<String, Vec<String>> {
    rows_by_header(site, area, "section[aria-labelledby=h-relapse] tbody tr")
}

/// The progress table of an area's page: unit (户, 人) → the cells after it.
fn progress_rows(site: &Site, area: &str) -> BTreeMap<String, Vec<String>> {
    rows_by_header(site, area, "table.progress tbody tr")
}

/// The rows `rows` selects on an area's page: each row's header cell → its
/// other cells.
fn rows_by_header(site: &Site, area: &str, rows: &str) -> BTreeMap<String, Vec<String>> {
    let page = site.page(&format!("areas/{area}/index.html"));
    let th = Selector::parse("th").unwrap();
    let td = Selector::parse("td").unwrap();
    page.select(rows)
        .into_iter()
        .map(|tr| {
            let header = tr.select(&th).next().map(text).unwrap_or_default();
            (header, tr.select(&td).map(text).collect())
        })
        .collect()
}

fn text(e: scraper::ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The relapse households cell of `area` in `year`.
fn relapse_households(site: &Site, area: &str, year: &str) -> String {
    let rows = relapse_rows(site, area);
    let row = rows
        .get(year)
        .unwrap_or_else(|| panic!("{area} has no relapse row for {year}: {rows:?}"));
    row[0].clone()
}

fn is_number(cell: &str) -> bool {
    !cell.is_empty() && cell.chars().all(|c| c.is_ascii_digit() || c == ',')
}

/// Every file of the built site as text (for "never appears anywhere").
fn site_text(site: &Site) -> String {
    snapshot(&site.root)
        .into_values()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect()
}

// ---------------------------------------------------------------------------
// The clean portal itself

#[test]
fn clean_portal_builds() {
    let portal = clean();
    let site = portal.built();
    assert!(site.exists("plans/work-plan-2020/index.html"));
    assert!(site.exists("areas/xialongjing/index.html"));
}

// ---------------------------------------------------------------------------
// Identifiers, wherever they are written

#[test]
fn id_number_in_a_plan_body_is_refused() {
    assert_leak_refused(
        &Leak {
            fixture: "id-in-body",
            file: "content/plans/work-plan-2020.md",
            at: "11010519491231002X",
            rule: "privacy.resident-id",
            secrets: &["11010519491231002X"],
            masked: "110105********002X",
        },
        &[],
    );
}

#[test]
fn id_number_in_front_matter_is_refused() {
    assert_leak_refused(
        &Leak {
            fixture: "id-in-front-matter",
            file: "content/plans/work-plan-2020.md",
            at: "532627198003150413",
            rule: "privacy.resident-id",
            secrets: &["532627198003150413"],
            masked: "532627********0413",
        },
        &[],
    );
}

#[test]
fn id_number_in_a_data_string_is_refused() {
    assert_leak_refused(
        &Leak {
            fixture: "id-in-data-string",
            file: "data/projects.toml",
            at: "532627196507081221",
            rule: "privacy.resident-id",
            secrets: &["532627196507081221"],
            masked: "532627********1221",
        },
        &[],
    );
}

#[test]
fn id_number_in_a_template_is_refused() {
    assert_leak_refused(
        &Leak {
            fixture: "id-in-template",
            file: "templates/page.html",
            at: "11010519491231002X",
            rule: "privacy.resident-id",
            secrets: &["11010519491231002X"],
            masked: "110105********002X",
        },
        &[],
    );
}

#[test]
fn mobile_in_a_markdown_table_is_refused() {
    let (_, run) = assert_leak_refused(
        &Leak {
            fixture: "phone-in-table",
            file: "content/plans/work-plan-2020.md",
            at: "13912345678",
            rule: "privacy.mobile",
            secrets: &["13912345678"],
            masked: "139****5678",
        },
        &[],
    );
    // The 12317 hotline in the next row is not a mobile.
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
}

#[test]
fn bank_card_number_is_refused() {
    assert_leak_refused(
        &Leak {
            fixture: "bank-card",
            file: "content/plans/subsidy-notice.md",
            at: "6222 0212 3456 7890 128",
            rule: "privacy.bank-card",
            secrets: &["6222 0212 3456 7890 128", "6222021234567890128"],
            masked: "6222***********0128",
        },
        &[],
    );
}

#[test]
fn roster_shaped_data_file_is_refused() {
    let (_, run) = assert_leak_refused(
        &Leak {
            fixture: "roster-shaped",
            file: "data/households.toml",
            at: "household]]",
            rule: "privacy.individual-record",
            secrets: &["11010519491231002X"],
            masked: "110105********002X",
        },
        &[],
    );
    // The ID number inside is caught by the scanner as well.
    run.assert_mentions("error[privacy.resident-id]");
}

#[test]
fn personal_field_in_a_normal_record_is_refused() {
    let (_, run) = assert_leak_refused(
        &Leak {
            fixture: "personal-field",
            file: "data/projects.toml",
            at: "phone",
            rule: "privacy.individual-record",
            secrets: &["13987654321"],
            masked: "139****4321",
        },
        &[],
    );
    run.assert_mentions("phone")
        .assert_mentions("error[privacy.mobile]");
}

#[test]
fn full_width_digits_are_read_as_digits() {
    let (_, run) = assert_leak_refused(
        &Leak {
            fixture: "fullwidth",
            file: "content/plans/work-plan-2020.md",
            at: "１３９－１２３４－５６７８",
            rule: "privacy.mobile",
            secrets: &[
                "１３９－１２３４－５６７８",
                "１２３４",
                "１１０１０５１９４９１２３１００２Ｘ",
                "１９４９１２３１",
            ],
            masked: "139****5678",
        },
        &[],
    );
    run.assert_mentions("error[privacy.resident-id]")
        .assert_mentions("110105********002X");
}

#[test]
fn zero_width_characters_do_not_hide_a_number() {
    assert_leak_refused(
        &Leak {
            fixture: "zero-width",
            file: "content/plans/work-plan-2020.md",
            at: "139\u{200b}1234",
            rule: "privacy.mobile",
            secrets: &["1234\u{200b}5678", "13912345678"],
            masked: "139****5678",
        },
        &[],
    );
}

// ---------------------------------------------------------------------------
// The roster check

const ROSTER: &str = "# 监测对象名单（不公开）\n王小明\n李四\n";

/// A roster file in its own temporary folder, outside any portal.
fn roster_outside() -> (TempDir, String) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("roster.txt");
    std::fs::write(&path, ROSTER).unwrap();
    let shown = path.to_str().unwrap().to_string();
    (dir, shown)
}

#[test]
fn roster_name_in_a_plan_is_refused_and_shown_masked() {
    let (_dir, roster) = roster_outside();
    let (portal, run) = assert_leak_refused(
        &Leak {
            fixture: "roster-name",
            file: "content/plans/work-plan-2020.md",
            at: "王小明",
            rule: "privacy.roster-name",
            secrets: &["王小明", "李四"],
            masked: "王**",
        },
        &["--roster", &roster],
    );
    run.assert_not_mentions("小明");
    // `check` takes the roster too.
    let check = portal.check_with(&["--roster", &roster]);
    check
        .assert_refused()
        .assert_mentions("error[privacy.roster-name]")
        .assert_not_mentions("王小明");
    // Without the roster nothing marks the name as personal: it builds.
    portal.build().assert_ok();
}

#[test]
fn roster_without_hits_builds_and_is_not_copied() {
    let (_dir, roster) = roster_outside();
    let portal = clean();
    let run = portal.build_with(&["--roster", &roster]);
    run.assert_ok()
        .assert_not_mentions("王小明")
        .assert_not_mentions("李四");
    let all = site_text(&Site::at(portal.output()));
    assert!(!all.contains("王小明") && !all.contains("李四"));
    assert!(
        !all.contains("监测对象名单"),
        "the roster was copied into the site"
    );
}

#[test]
fn roster_inside_the_portal_is_refused() {
    for rel in ["private/roster.txt", "roster.txt"] {
        let portal = portal_with("roster-name");
        portal.write(rel, ROSTER);
        let path = portal.path(rel);
        let run = portal.build_with(&["--roster", path.to_str().unwrap()]);
        run.assert_refused()
            .assert_mentions("error[privacy.roster-location]")
            .assert_not_mentions("王小明")
            .assert_not_mentions("李四");
        assert!(
            !portal.output().exists(),
            "a site was written with a roster inside the portal"
        );
    }
}

// ---------------------------------------------------------------------------
// Small counts

#[test]
fn two_fallen_back_households_in_a_small_village_show_as_below_k() {
    let portal = portal_with("small-relapse");
    let site = portal.built();
    let rows = relapse_rows(&site, "xialongjing");
    let row = &rows["2020"];
    assert_eq!(row[0], "<5", "households cell: {row:?}");
    for cell in row {
        assert!(
            !cell.contains('2'),
            "a cell of the relapse row shows the digit 2: {row:?}"
        );
    }
    // The page explains what <5 means.
    let page = site.page("areas/xialongjing/index.html");
    assert!(page.main_text().contains("少于 5"), "no note on <5");
}

#[test]
fn a_rate_that_would_reveal_a_small_count_is_withheld() {
    let portal = portal_with("relapse-rate");
    let site = portal.built();
    let rows = relapse_rows(&site, "xialongjing");
    let row = &rows["2020"];
    assert_eq!(row[1], "<5", "people cell: {row:?}");
    assert_eq!(row[2], "不公开", "rate cell: {row:?}");
    assert!(!site.text("areas/xialongjing/index.html").contains("0.95"));
}

#[test]
fn a_rate_alone_that_gives_back_a_small_household_count_is_withheld() {
    // 2.74 % of 73 households is 2 households; of 317 people it would be 8.7.
    let portal = clean();
    portal.write(
        "data/relapse.toml",
        "[[relapse]]\narea = \"xialongjing\"\nyear = 2020\nrate = 2.74\n",
    );
    let site = portal.built();
    let rows = relapse_rows(&site, "xialongjing");
    let row = &rows["2020"];
    assert_eq!(row[2], "不公开", "rate cell: {row:?}");
}

#[test]
fn remaining_poor_households_hide_done_as_well() {
    let portal = portal_with("progress-remainder");
    let site = portal.built();
    let rows = progress_rows(&site, "xialongjing");
    let row = &rows["户"];
    assert_eq!(row[0], "起始 40", "start: {row:?}");
    assert_eq!(row[1], "不公开", "done: {row:?}");
    assert_eq!(row[2], "<5", "remaining: {row:?}");
    let html = site.text("areas/xialongjing/index.html");
    assert!(
        !html.contains(">37<") && !html.contains(" 37<"),
        "done (37) is shown"
    );
}

#[test]
fn a_township_total_with_one_village_hidden_withholds_a_sibling() {
    let portal = portal_with("sibling-total");
    let site = portal.built();
    assert_eq!(relapse_households(&site, "shanyang", "2020"), "15");
    assert_eq!(relapse_households(&site, "xialongjing", "2020"), "<5");
    // 15 − 6 − 7 = 2: the smallest other village is withheld too.
    assert_eq!(relapse_households(&site, "xiaowan", "2020"), "不公开");
    assert_eq!(relapse_households(&site, "fenshui", "2020"), "7");
}

#[test]
fn a_zero_sibling_does_not_count_as_protection() {
    let portal = portal_with("sibling-zero");
    let site = portal.built();
    let total = relapse_households(&site, "shanyang", "2020");
    assert_eq!(relapse_households(&site, "xialongjing", "2020"), "<5");
    let others = [
        relapse_households(&site, "xiaowan", "2020"),
        relapse_households(&site, "fenshui", "2020"),
    ];
    assert!(
        !(is_number(&total) && others.iter().all(|c| is_number(c))),
        "the hidden 2 can be worked out: total {total}, other villages {others:?}"
    );
}

#[test]
fn a_township_progress_total_with_one_village_hidden_withholds_a_sibling() {
    let portal = portal_with("progress-siblings");
    let site = portal.built();
    let row = |area: &str| progress_rows(&site, area)["户"].clone();
    assert_eq!(row("shanyang")[1..3], ["77", "13"]);
    assert_eq!(row("xialongjing")[1..3], ["不公开", "<5"]);
    // 0 remaining stays 0 and cannot cover; the other village is withheld.
    assert_eq!(row("xiaowan")[1..3], ["20", "0"]);
    assert_eq!(row("fenshui")[1..3], ["不公开", "不公开"]);
}

#[test]
fn zero_is_published_as_zero() {
    let portal = portal_with("zero");
    let site = portal.built();
    let rows = relapse_rows(&site, "xialongjing");
    let row = &rows["2020"];
    assert_eq!(row[0], "0", "{row:?}");
    assert_eq!(row[1], "0", "{row:?}");
    assert!(row[2].starts_with('0'), "rate: {row:?}");
}

// ---------------------------------------------------------------------------
// Allowlist, acknowledgements, private folders

#[test]
fn the_allowlist_lets_an_office_number_through_and_nothing_else() {
    let portal = portal_with("allowlist");
    let site = portal.built();
    assert!(
        site.text("plans/work-plan-2020/index.html")
            .contains("138 0013 8000")
    );

    // Another mobile in the same plan is still refused.
    let plan = portal.read("content/plans/work-plan-2020.md");
    portal.write(
        "content/plans/work-plan-2020.md",
        format!("{plan}\n联系人：13912345678\n"),
    );
    portal
        .build()
        .assert_refused()
        .assert_mentions(&portal.locate("content/plans/work-plan-2020.md", "13912345678"))
        .assert_mentions("error[privacy.mobile]")
        .assert_not_mentions("13912345678");
}

#[test]
fn an_acknowledged_number_is_published_and_listed_masked_with_its_reason() {
    let portal = portal_with("ack");
    let run = portal.build();
    run.assert_ok().assert_not_mentions("6222021234567890129");
    let site = Site::at(portal.output());
    assert!(
        site.text("plans/work-plan-2020/index.html")
            .contains("6222021234567890129")
    );

    let checks = site.page("checks/index.html");
    let rows: Vec<String> = checks
        .texts("tbody tr")
        .into_iter()
        .filter(|r| r.contains("6222"))
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert!(row.contains("content/plans/work-plan-2020.md"), "{row}");
    assert!(row.contains("6222***********0129"), "{row}");
    assert!(row.contains("县财政项目合同编号"), "{row}");
    assert!(
        !site
            .text("checks/index.html")
            .contains("6222021234567890129")
    );
    let json = site.text("checks.json");
    assert!(
        json.contains("6222***********0129") && !json.contains("6222021234567890129"),
        "{json}"
    );
}

#[test]
fn an_acknowledgement_in_a_data_file_works_too() {
    let portal = clean();
    let projects = portal.read("data/projects.toml").replace(
        "outcomes = [",
        "outcomes = [\"合同编号 6222021234567890129\", ",
    );
    portal.write(
        "data/projects.toml",
        format!("{projects}\n[[privacy_ack]]\nvalue = \"6222021234567890129\"\nreason = \"项目合同编号\"\n"),
    );
    portal.build().assert_ok();
    let checks = Site::at(portal.output()).page("checks/index.html");
    assert!(checks.main_text().contains("data/projects.toml"));
}

#[test]
fn an_unused_acknowledgement_is_a_warning() {
    let portal = portal_with("ack-unused");
    let run = portal.build();
    run.assert_ok()
        .assert_mentions("warning[privacy.ack-unused]")
        .assert_mentions(
            &portal.locate("content/plans/work-plan-2020.md", "\"6222021234567890129\""),
        )
        .assert_not_mentions("6222021234567890129");
}

#[test]
fn an_acknowledgement_cannot_release_a_personal_number() {
    // A valid card, mobile or resident ID is personal whatever the reason
    // given: the acknowledgement is itself a finding, and the number stays
    // refused where it is used.
    for (value, rule) in [
        ("6222021234567890128", "privacy.bank-card"),
        ("138 1234 5678", "privacy.mobile"),
        ("11010519491231002X", "privacy.resident-id"),
    ] {
        let portal = clean();
        portal.built();
        let projects = portal
            .read("data/projects.toml")
            .replace("outcomes = [", &format!("outcomes = [\"账户 {value}\", "));
        portal.write(
            "data/projects.toml",
            format!("{projects}\n[[privacy_ack]]\nvalue = \"{value}\"\nreason = \"对公账户\"\n"),
        );
        let before = snapshot(&portal.output());
        portal
            .build()
            .assert_refused()
            .assert_mentions("error[privacy.ack-personal]")
            .assert_mentions("[privacy] allow")
            .assert_mentions(&format!("error[{rule}]"))
            .assert_not_mentions(value);
        assert_eq!(snapshot(&portal.output()), before, "{value}");
    }
}

#[test]
fn private_folders_are_never_read() {
    let portal = portal_with("private");
    let run = portal.build();
    run.assert_ok()
        .assert_not_mentions("private")
        .assert_not_mentions("registers")
        .assert_not_mentions("王小明");
    let all = site_text(&Site::at(portal.output()));
    for secret in [
        "王小明",
        "李四",
        "11010519491231002X",
        "532627198003150413",
        "13912345678",
    ] {
        assert!(
            !all.contains(secret),
            "`{secret}` from a private file reached the site"
        );
    }
    portal.check_with(&[]).assert_ok();
}

// ---------------------------------------------------------------------------
// Defence in depth: the output scan

/// Like [`assert_leak_refused`] for a leak only the output scan sees: the
/// finding names the output file instead of an input line.
fn assert_output_leak_refused(
    fixture: &str,
    output_file: &str,
    rule: &str,
    secret: &str,
    masked: &str,
) {
    let portal = clean();
    portal.built();
    let before = snapshot(&portal.output());
    overlay(&portal, fixture);
    portal
        .build()
        .assert_refused()
        .assert_mentions(&format!("error[{rule}]"))
        .assert_mentions(output_file)
        .assert_mentions(masked)
        .assert_not_mentions(secret);
    assert!(
        snapshot(&portal.output()) == before,
        "public/ changed after the refused build of `{fixture}`"
    );
}

#[test]
fn output_scan_catches_a_number_in_an_unscanned_static_file() {
    // Static files of a theme override are copied, not read as inputs: only
    // the scan of the rendered output sees them.
    assert_output_leak_refused(
        "static-asset",
        "style.css",
        "privacy.mobile",
        "13812345678",
        "138****5678",
    );
}

#[test]
fn a_number_or_roster_name_in_a_file_name_is_refused_and_masked() {
    // The file name becomes the page's address: the output scan reads paths
    // too, and prints them masked.
    let portal = clean();
    let plan = portal.read("content/plans/work-plan-2020.md");
    portal.write("content/plans/13912345678.md", &plan);
    portal
        .build()
        .assert_refused()
        .assert_mentions("error[privacy.mobile]")
        .assert_mentions("plans/139****5678/index.html")
        .assert_not_mentions("13912345678");
    assert!(!portal.output().exists());

    let (_dir, roster) = roster_outside();
    portal.remove("content/plans/13912345678.md");
    portal.write("content/plans/王小明.md", &plan);
    portal
        .build_with(&["--roster", &roster])
        .assert_refused()
        .assert_mentions("error[privacy.roster-name]")
        .assert_not_mentions("王小明");
    assert!(!portal.output().exists());
}

#[test]
fn output_scan_reads_a_number_split_by_emphasis() {
    // `139[1234](#a)5678` is no number in the Markdown (the link's target
    // parts it); in the page it is `139<a href="#a">1234</a>5678`, which
    // reads as one. (`139**1234**5678` is read whole in the Markdown too.)
    assert_output_leak_refused(
        "markup-split",
        "plans/work-plan-2020/index.html",
        "privacy.mobile",
        "13912345678",
        "139****5678",
    );
}

/// A loaded, checked portal through the gate: the only way to a `PublicSite`.
fn public_site(portal: &Portal) -> cunwu::gate::PublicSite {
    let loaded = cunwu::load::load(portal.root(), None);
    assert!(
        loaded.diags.iter().all(|d| !d.is_error()),
        "load: {:?}",
        loaded.diags
    );
    let ix = cunwu::model::Index::build(&loaded.portal);
    let report = cunwu::check::run(&loaded.portal, &ix, Lang::Zh);
    assert!(
        report.diags.iter().all(|d| !d.is_error()),
        "check: {:?}",
        report.diags
    );
    let outcome = cunwu::gate::run(loaded.portal, &loaded.sources, report.runs, None, Lang::Zh);
    assert!(outcome.diags.is_empty(), "gate: {:?}", outcome.diags);
    outcome.site.expect("a clean portal passes the gate")
}

fn output(path: &str, text: &str) -> cunwu::render::OutputFile {
    cunwu::render::OutputFile {
        path: path.to_string(),
        bytes: text.as_bytes().to_vec(),
    }
}

#[test]
fn scan_output_catches_an_identifier_that_no_input_had() {
    let portal = clean();
    let site = public_site(&portal);
    let files = [
        output(
            "index.html",
            "<p>下龙井村 2020 年投资 16.30 万元，2020-03-15 开工。</p>",
        ),
        output("data/contacts.json", r#"{"contact": "13912345678"}"#),
    ];
    let diags = cunwu::gate::scan_output(&files, &site, None, Lang::Zh);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert!(d.is_error());
    assert_eq!(d.rule, "privacy.mobile");
    assert_eq!(d.field.as_deref(), Some("data/contacts.json"));
    assert_eq!(d.found.as_deref(), Some("139****5678"));
    let printed = format!("{} {:?} {:?} {:?}", d.message, d.field, d.found, d.hint);
    assert!(!printed.contains("13912345678"), "{printed}");

    // A roster name that reached the output, shown masked.
    let roster = cunwu::gate::roster::Roster::parse(ROSTER);
    let files = [output("plans/a/index.html", "<p>王小明家</p>")];
    let diags = cunwu::gate::scan_output(&files, &site, Some(&roster), Lang::Zh);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].rule, "privacy.roster-name");
    assert_eq!(diags[0].field.as_deref(), Some("plans/a/index.html"));
    assert!(diags[0].message.contains("王**") && !diags[0].message.contains("王小明"));

    // Split by emphasis in the page, it is still found.
    let files = [output(
        "plans/a/index.html",
        "<p>王<em>小明</em>家，电话 139<strong>1234</strong>5678</p>",
    )];
    let diags = cunwu::gate::scan_output(&files, &site, Some(&roster), Lang::Zh);
    let rules: Vec<&str> = diags.iter().map(|d| d.rule).collect();
    assert_eq!(rules.len(), 2, "{diags:?}");
    assert!(
        rules.contains(&"privacy.mobile") && rules.contains(&"privacy.roster-name"),
        "{rules:?}"
    );
}

#[test]
fn scan_output_honours_the_allowlist() {
    let portal = portal_with("allowlist");
    let site = public_site(&portal);
    let files = [output(
        "index.html",
        "<p>值班电话 +86 138 0013 8000，联系人 13912345678</p>",
    )];
    let diags = cunwu::gate::scan_output(&files, &site, None, Lang::Zh);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].found.as_deref(), Some("139****5678"));
}

// ---------------------------------------------------------------------------
// Property test: random identifiers anywhere are caught; near misses and
// ordinary figures are not reported.

mod props {
    use super::*;
    use cunwu::pipeline::{Options, run};
    use proptest::prelude::*;

    /// Where an item goes.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Target {
        PlanBody,
        DataString,
    }

    const PLAN: &str = "content/plans/work-plan-2020.md";
    const DATA: &str = "data/projects.toml";

    /// Characters around an item: Chinese, punctuation, spaces. Never a digit,
    /// letter, `.`, `@` or `+` (which could join an item to something else) and
    /// nothing that needs escaping in a TOML string.
    fn filler() -> impl Strategy<Value = String> {
        let ch = prop_oneof![
            4 => proptest::char::range('\u{4e00}', '\u{9fa5}'),
            1 => Just(' '),
            2 => proptest::sample::select(vec!['，', '。', '、', '：', '；', '（', '）', '“', '”', '|', '#', '*', '(', ')']),
        ];
        proptest::collection::vec(ch, 0..12).prop_map(|v| v.into_iter().collect())
    }

    /// A separator that always keeps an item apart from the next.
    fn sep() -> impl Strategy<Value = &'static str> {
        proptest::sample::select(vec![" ", "，", "：", "（", "）", "号", "是"])
    }

    fn check_char(first17: &str) -> char {
        const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = first17
            .bytes()
            .zip(W)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        b"10X98765432"[(sum % 11) as usize] as char
    }

    fn days_in(y: u32, m: u32) -> u32 {
        match m {
            2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// 17 digits: a province (one of `provinces`) and the rest of a region,
    /// a valid birth date, a sequence.
    fn id17(provinces: &'static [u32]) -> impl Strategy<Value = String> {
        (
            proptest::sample::select(provinces),
            0u32..10_000,
            1920u32..=2020,
            1u32..=12,
            1u32..=31,
            0u32..1000,
        )
            .prop_map(|(p, region, y, m, d, seq)| {
                let d = 1 + (d - 1) % days_in(y, m);
                format!("{p}{region:04}{y}{m:02}{d:02}{seq:03}")
            })
    }

    fn valid_id() -> impl Strategy<Value = String> {
        id17(&PROVINCES).prop_map(|s| format!("{s}{}", check_char(&s)))
    }

    fn luhn_complete(payload: &str) -> String {
        (0..10)
            .map(|c| format!("{payload}{c}"))
            .find(|s| {
                let sum: u32 = s
                    .bytes()
                    .rev()
                    .enumerate()
                    .map(|(k, c)| {
                        let v = u32::from(c - b'0');
                        if k % 2 == 1 {
                            if v > 4 { v * 2 - 9 } else { v * 2 }
                        } else {
                            v
                        }
                    })
                    .sum();
                sum % 10 == 0
            })
            .unwrap()
    }

    /// A Luhn-valid card number of 16 or 19 digits starting 62 (UnionPay).
    fn card() -> impl Strategy<Value = String> {
        (any::<bool>(), proptest::collection::vec(0u8..10, 16)).prop_map(|(long, digits)| {
            let n = if long { 16 } else { 13 };
            let body: String = digits[..n].iter().map(|d| char::from(b'0' + d)).collect();
            luhn_complete(&format!("62{body}"))
        })
    }

    fn mobile() -> impl Strategy<Value = String> {
        (3u32..=9, 0u64..1_000_000_000).prop_map(|(second, rest)| format!("1{second}{rest:09}"))
    }

    /// An identifier as written, and the rule that must catch it.
    fn identifier() -> impl Strategy<Value = (String, &'static str)> {
        prop_oneof![
            valid_id().prop_map(|id| (id, "privacy.resident-id")),
            (mobile(), 0u8..3).prop_map(|(m, style)| {
                let written = match style {
                    0 => m.clone(),
                    1 => format!("{} {} {}", &m[..3], &m[3..7], &m[7..]),
                    _ => format!("+86 {m}"),
                };
                (written, "privacy.mobile")
            }),
            (card(), any::<bool>()).prop_map(|(c, grouped)| {
                let written = if grouped {
                    c.as_bytes()
                        .chunks(4)
                        .map(|g| std::str::from_utf8(g).unwrap())
                        .collect::<Vec<_>>()
                        .join(" ")
                } else {
                    c
                };
                (written, "privacy.bank-card")
            }),
        ]
    }

    /// 17 digits starting 1 or 2 and a check character that is wrong. With a
    /// first digit of 1 or 2 the bank-card rule (first digit 3–6 or 9) cannot
    /// apply either.
    fn wrong_check_id() -> impl Strategy<Value = String> {
        (id17(&PROVINCES[..8]), 0usize..10).prop_map(|(s, pick)| {
            let right = check_char(&s);
            let wrong: Vec<char> = "0123456789X".chars().filter(|&c| c != right).collect();
            format!("{s}{}", wrong[pick])
        })
    }

    /// Figures a plan is full of.
    fn ordinary() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("899.04".to_string()),
            Just("2020-03-15".to_string()),
            Just("39,979".to_string()),
            Just("1,011.00".to_string()),
            Just("12317".to_string()),
            Just("2020年3月中旬".to_string()),
            Just("0871-12345678".to_string()),
            "[1-9][0-9]{0,4}\\.[0-9]{2}",
            (2015u32..2026, 1u32..=12, 1u32..=28)
                .prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        ]
    }

    /// Items placed among filler; returns the text and each item's byte range.
    fn place(
        parts: &[(String, String)],
        tail: &str,
        seps: &[&str],
    ) -> (String, Vec<std::ops::Range<usize>>) {
        let mut text = String::new();
        let mut ranges = Vec::new();
        for (i, (fill, item)) in parts.iter().enumerate() {
            text.push_str(fill);
            text.push_str(seps[(2 * i) % seps.len()]);
            ranges.push(text.len()..text.len() + item.len());
            text.push_str(item);
            text.push_str(seps[(2 * i + 1) % seps.len()]);
        }
        text.push_str(tail);
        (text, ranges)
    }

    /// A fresh clean portal with `body` in the plan and `summary` as the project's summary.
    fn portal_with_texts(body: &str, summary: &str) -> Portal {
        let portal = clean();
        let plan = portal.read(PLAN);
        let (front, _) = plan.split_at(plan.rfind("+++\n").unwrap() + 4);
        portal.write(PLAN, format!("{front}\n## 主要任务\n\n{body}\n"));
        let data = portal.read(DATA);
        let line = data.lines().find(|l| l.starts_with("summary = ")).unwrap();
        portal.write(
            DATA,
            data.replace(line, &format!("summary = \"{summary}\"")),
        );
        portal
    }

    fn run_library(portal: &Portal) -> cunwu::pipeline::Outcome {
        run(&Options {
            root: portal.root().to_path_buf(),
            output: None,
            lang: None,
            roster: None,
        })
    }

    type Placed = Vec<(Target, String, (String, &'static str))>;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn every_inserted_identifier_is_caught(
            items in proptest::collection::vec(
                (prop_oneof![Just(Target::PlanBody), Just(Target::DataString)], filler(), identifier()),
                1..5,
            ),
            tails in (filler(), filler()),
            seps in proptest::collection::vec(sep(), 8),
        ) {
            let items: Placed = items;
            let split = |t: Target| -> Vec<(String, String, &'static str)> {
                items.iter().filter(|(target, ..)| *target == t).map(|(_, f, (w, r))| (f.clone(), w.clone(), *r)).collect()
            };
            let body_items = split(Target::PlanBody);
            let data_items = split(Target::DataString);
            let pairs = |v: &[(String, String, &str)]| v.iter().map(|(f, w, _)| (f.clone(), w.clone())).collect::<Vec<_>>();
            let (body, body_ranges) = place(&pairs(&body_items), &tails.0, &seps);
            let (summary, data_ranges) = place(&pairs(&data_items), &tails.1, &seps);
            let portal = portal_with_texts(&body, &summary);
            let outcome = run_library(&portal);

            let plan_text = portal.read(PLAN);
            let data_text = portal.read(DATA);
            let body_at = plan_text.find(&body).unwrap();
            let data_at = data_text.find(&summary).unwrap();
            let mut expected = Vec::new();
            for ((_, written, rule), r) in body_items.iter().zip(&body_ranges) {
                expected.push((PLAN, body_at + r.start..body_at + r.end, written, *rule));
            }
            for ((_, written, rule), r) in data_items.iter().zip(&data_ranges) {
                expected.push((DATA, data_at + r.start..data_at + r.end, written, *rule));
            }
            for (file, range, written, rule) in &expected {
                let caught = outcome.diags.iter().any(|d| {
                    d.rule == *rule
                        && d.labels.first().is_some_and(|l| {
                            outcome.sources.get(l.span.file).name == *file && l.span.range == *range
                        })
                });
                prop_assert!(caught, "`{}` ({}) in {} at {:?} not caught; findings: {:?}", written, rule, file, range,
                    outcome.diags.iter().map(|d| (d.rule, d.location(&outcome.sources))).collect::<Vec<_>>());
                prop_assert!(!outcome.diags.iter().any(|d| d.message.contains(written.as_str())
                    || d.found.as_deref().is_some_and(|f| f.contains(written.as_str()))),
                    "a finding prints `{}`", written);
            }
            let privacy: Vec<_> = outcome.diags.iter().filter(|d| d.rule.starts_with("privacy.")).collect();
            prop_assert_eq!(privacy.len(), expected.len(), "extra findings: {:?}",
                privacy.iter().map(|d| (d.rule, d.location(&outcome.sources))).collect::<Vec<_>>());
            prop_assert!(outcome.written.is_none());
        }

        #[test]
        fn near_misses_and_ordinary_figures_are_not_reported(
            items in proptest::collection::vec(
                (prop_oneof![Just(Target::PlanBody), Just(Target::DataString)], filler(),
                 prop_oneof![wrong_check_id(), ordinary()]),
                1..6,
            ),
            tails in (filler(), filler()),
            seps in proptest::collection::vec(sep(), 8),
        ) {
            let pick = |t: Target| -> Vec<(String, String)> {
                items.iter().filter(|(target, ..)| *target == t).map(|(_, f, w)| (f.clone(), w.clone())).collect()
            };
            let (body, _) = place(&pick(Target::PlanBody), &tails.0, &seps);
            let (summary, _) = place(&pick(Target::DataString), &tails.1, &seps);
            let portal = portal_with_texts(&body, &summary);
            let outcome = run_library(&portal);
            let findings: Vec<_> = outcome.diags.iter().map(|d| (d.rule, d.location(&outcome.sources), d.found.clone())).collect();
            prop_assert_eq!(outcome.errors(), 0, "body {:?} summary {:?}: {:?}", body, summary, findings);
            prop_assert!(outcome.pages > 0, "nothing rendered");
        }
    }
}

// ---------------------------------------------------------------------------
// Small counts written in prose cannot be suppressed: they are refused.

#[test]
fn two_fallen_back_households_written_in_a_village_plan_are_refused() {
    assert_leak_refused(
        &Leak {
            fixture: "small-count-prose",
            file: "content/plans/work-plan-2020.md",
            at: "2户，已落实",
            rule: "privacy.small-count",
            secrets: &[],
            masked: "2户",
        },
        &[],
    );
}

#[test]
fn a_percentage_that_reveals_a_small_count_in_a_village_plan_is_refused() {
    assert_leak_refused(
        &Leak {
            fixture: "small-percent-prose",
            file: "content/plans/work-plan-2020.md",
            at: "2.74%",
            rule: "privacy.small-count",
            secrets: &[],
            masked: "2.74%",
        },
        &[],
    );
}
