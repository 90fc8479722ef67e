//! Data downloads: the example portal (and small privacy fixtures) are built
//! with the real binary; every `data/*.csv` and `data/*.json` must parse, carry
//! the figures the HTML tables show (suppressed cells as `<5` / `不公开`),
//! match the sizes and sha256 published in `datapackage.json` and on
//! `data/index.html`, and come out byte-identical from two builds.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{Page, Portal, Site, fixture_dir, snapshot, squash};
use scraper::{ElementRef, Selector};
use serde_json::Value;
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------------------
// Helpers

/// A CSV file read back: header and records, as text.
#[derive(Debug)]
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    /// The records whose `column` is `value`, as name → cell maps.
    fn where_(&self, column: &str, value: &str) -> Vec<BTreeMap<String, String>> {
        let c = self.col(column);
        self.rows
            .iter()
            .filter(|r| r[c] == value)
            .map(|r| self.record(r))
            .collect()
    }

    fn record(&self, row: &[String]) -> BTreeMap<String, String> {
        self.header
            .iter()
            .cloned()
            .zip(row.iter().cloned())
            .collect()
    }

    fn records(&self) -> Vec<BTreeMap<String, String>> {
        self.rows.iter().map(|r| self.record(r)).collect()
    }
}

/// A strict RFC 4180 reader: CRLF record ends, `"` quoting with doubled
/// quotes, a leading UTF-8 BOM required.
fn parse_csv(bytes: &[u8], name: &str) -> Csv {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("{name} does not start with a BOM"));
    assert!(
        text.is_empty() || text.ends_with("\r\n"),
        "{name} does not end with CRLF"
    );
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            '"' => panic!("{name}: a quote inside an unquoted field"),
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "{name}: CR without LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_field_start = true;
            }
            '\n' => panic!("{name}: a bare LF line end"),
            c => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    assert!(!quoted, "{name}: unterminated quote");
    assert!(
        field.is_empty() && record.is_empty(),
        "{name}: last record without CRLF"
    );
    let mut it = records.into_iter();
    let header = it
        .next()
        .unwrap_or_else(|| panic!("{name} has no header row"));
    let rows: Vec<Vec<String>> = it.collect();
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(
            r.len(),
            header.len(),
            "{name}: record {} has {} fields, the header {}",
            i + 1,
            r.len(),
            header.len()
        );
    }
    Csv { header, rows }
}

fn csv(site: &Site, name: &str) -> Csv {
    let path = format!("data/{name}.csv");
    parse_csv(
        &std::fs::read(site.root.join(&path)).unwrap_or_else(|e| panic!("{path}: {e}")),
        &path,
    )
}

fn json(site: &Site, rel: &str) -> Value {
    serde_json::from_str(&site.text(rel)).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Figures as the CSV writes them: without thousands separators.
fn plain(s: &str) -> String {
    s.replace(',', "")
}

/// Exact sum of money strings with two decimals, printed with two decimals.
fn sum_money<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let cents: i128 = values
        .into_iter()
        .map(|v| {
            let (int, frac) = v
                .split_once('.')
                .unwrap_or_else(|| panic!("money without decimals: {v}"));
            assert_eq!(frac.len(), 2, "money not written with two decimals: {v}");
            int.parse::<i128>().unwrap() * 100 + frac.parse::<i128>().unwrap()
        })
        .sum();
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn text_of(e: &ElementRef) -> String {
    squash(&e.text().collect::<String>())
}

/// A table of a page: its header texts and its body rows (th and td cells in order).
struct HtmlTable {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    footer: Vec<String>,
}

impl HtmlTable {
    fn col(&self, title: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == title)
            .unwrap_or_else(|| panic!("no column {title} in {:?}", self.header))
    }
}

fn html_table(table: &ElementRef) -> HtmlTable {
    let sel = |s: &str| Selector::parse(s).unwrap();
    let cells = |row: ElementRef| {
        row.select(&sel("th, td"))
            .map(|c| text_of(&c))
            .collect::<Vec<_>>()
    };
    HtmlTable {
        header: table
            .select(&sel("thead th"))
            .map(|c| text_of(&c))
            .collect(),
        rows: table.select(&sel("tbody tr")).map(cells).collect(),
        footer: table
            .select(&sel("tfoot td"))
            .map(|c| text_of(&c))
            .collect(),
    }
}

/// The tables of `page` inside the section headed by `#heading`.
fn section_tables(page: &Page, heading: &str) -> Vec<HtmlTable> {
    page.select(&format!("section[aria-labelledby=\"{heading}\"] table"))
        .iter()
        .map(html_table)
        .collect()
}

/// Resolves `href` relative to the page at `from` (both site paths).
fn resolve(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('#').next().unwrap().split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts
                    .pop()
                    .unwrap_or_else(|| panic!("{from}: {href} climbs out of the site"));
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The privacy fixtures' clean portal with `tests/fixtures/privacy/<overlay>/` copied over it.
fn privacy_portal(overlay: &str) -> Portal {
    let portal = Portal::from_fixture("privacy/clean");
    let dir = fixture_dir(&format!("privacy/{overlay}"));
    for (rel, bytes) in snapshot(&dir) {
        portal.write(&rel, bytes);
    }
    portal
}

fn frictionless_available() -> bool {
    Command::new("frictionless")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `frictionless validate --json`: panics with the report unless valid.
fn assert_frictionless_valid(package: &Path) {
    let out = Command::new("frictionless")
        .args(["validate", "--json"])
        .arg(package)
        .output()
        .expect("run frictionless");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "frictionless printed no JSON report ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(
        report["valid"],
        Value::Bool(true),
        "frictionless: the package is not valid:\n{stdout}"
    );
    assert!(
        out.status.success(),
        "frictionless exited with {}",
        out.status
    );
}

const DATASETS: &[&str] = &[
    "areas",
    "programmes",
    "corrections",
    "projects",
    "project-quantities",
    "progress",
    "relapses",
    "exits",
    "activities",
    "milestones",
    "area_years",
];

// ---------------------------------------------------------------------------
// Files and formats

#[test]
fn every_dataset_has_a_csv_with_bom_crlf_and_a_header_of_schema_names() {
    let portal = Portal::example();
    let site = portal.built();
    let package = json(&site, "datapackage.json");
    for name in DATASETS {
        let path = format!("data/{name}.csv");
        let bytes = std::fs::read(site.root.join(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(bytes.starts_with(b"\xef\xbb\xbf"), "{path} has no BOM");
        let table = parse_csv(&bytes, &path);
        let resource = package["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"] == path.as_str())
            .unwrap_or_else(|| panic!("{path} is not in datapackage.json"));
        let names: Vec<&str> = resource["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(table.header, names, "{path}: header and schema differ");
        for h in &table.header {
            assert!(
                h.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{path}: header {h}"
            );
        }
    }
    // Non-empty where the example has records.
    for name in [
        "areas",
        "programmes",
        "projects",
        "project-quantities",
        "progress",
        "exits",
        "activities",
        "milestones",
    ] {
        assert!(
            !csv(&site, name).rows.is_empty(),
            "data/{name}.csv has no rows"
        );
    }
}

#[test]
fn json_twins_parse_and_hold_the_csv_values_with_money_as_strings() {
    let portal = Portal::example();
    let site = portal.built();
    for name in DATASETS {
        let path = format!("data/{name}.json");
        let doc = json(&site, &path);
        let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
        for key in ["name", "title", "description", "schema", "rows"] {
            assert!(keys.iter().any(|k| *k == key), "{path} has no `{key}`");
        }
        assert_eq!(doc["name"], *name);
        let table = csv(&site, name);
        let fields = doc["schema"]["fields"].as_array().unwrap();
        let rows = doc["rows"].as_array().unwrap();
        assert_eq!(
            rows.len(),
            table.rows.len(),
            "{path}: row count differs from the CSV"
        );
        for (row, csv_row) in rows.iter().zip(&table.rows) {
            let obj = row.as_object().unwrap();
            let order: Vec<&str> = obj.keys().map(String::as_str).collect();
            let mut expected: Vec<&str> = table.header.iter().map(String::as_str).collect();
            expected.sort_unstable();
            let mut got = order.clone();
            got.sort_unstable();
            assert_eq!(
                got, expected,
                "{path}: a row's fields differ from the CSV header"
            );
            for (field, cell) in fields.iter().zip(csv_row) {
                let fname = field["name"].as_str().unwrap();
                let value = &obj[fname];
                let as_text = match value {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    Value::Number(n) => {
                        assert!(n.is_i64() || n.is_u64(), "{path}.{fname}: a JSON float {n}");
                        n.to_string()
                    }
                    Value::Bool(b) => b.to_string(),
                    other => panic!("{path}.{fname}: unexpected {other}"),
                };
                assert_eq!(&as_text, cell, "{path}.{fname}: JSON and CSV differ");
                if field["type"] == "number" && !value.is_null() {
                    assert!(
                        value.is_string(),
                        "{path}.{fname}: decimal {value} not written as a string"
                    );
                }
            }
        }
    }
    // Money is a string with two decimals, never a JSON number.
    let projects = json(&site, "data/projects.json");
    let roads = projects["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "yishiyiyi-2019-roads")
        .unwrap();
    assert_eq!(roads["total"], "587.30");
    assert_eq!(roads["count"], 13);
}

// ---------------------------------------------------------------------------
// The figures are the HTML tables' figures

#[test]
fn programme_project_tables_match_projects_csv_and_totals_are_equal() {
    let portal = Portal::example();
    let site = portal.built();
    let projects = csv(&site, "projects");
    let mut checked = 0;
    for id in ["yishiyiyi-2019", "xialongjing-2019"] {
        let page = site.page(&format!("programmes/{id}/index.html"));
        let tables = section_tables(&page, "h-projects");
        let table = tables
            .iter()
            .find(|t| t.header.iter().any(|h| h == "总投资（万元）"))
            .expect("project table");
        let rows = projects.where_("programme_id", id);
        assert_eq!(
            table.rows.len(),
            rows.len(),
            "{id}: project rows on the page and in projects.csv"
        );
        let (name, count, total) = (
            table.col("项目"),
            table.col("个数"),
            table.col("总投资（万元）"),
        );
        for (html, csv) in table.rows.iter().zip(&rows) {
            assert_eq!(html[name], csv["name"]);
            assert_eq!(html[count], csv["count"]);
            assert_eq!(
                plain(&html[total]),
                csv["total"],
                "{id}: total of {}",
                csv["name"]
            );
            checked += 1;
        }
        let html_total = plain(table.footer.last().expect("a total row"));
        let csv_total = sum_money(rows.iter().map(|r| r["total"].as_str()));
        assert_eq!(
            html_total, csv_total,
            "{id}: the page's total and the sum of projects.csv"
        );
        // The programme's own total in programmes.csv is the fund table's total.
        let programmes = csv(&site, "programmes");
        let g = &programmes.where_("id", id)[0];
        assert_eq!(plain(&page.fund_table().totals[0]), g["total"]);
    }
    assert!(checked >= 8);
}

#[test]
fn fund_tables_match_programmes_and_projects_csv() {
    let portal = Portal::example();
    let site = portal.built();
    let levels = [
        ("中央", "central"),
        ("省级", "provincial"),
        ("中央和省级", "central_provincial"),
        ("市级", "city"),
        ("县级", "county"),
        ("市县两级", "city_county"),
        ("乡镇", "township"),
    ];
    let check = |page: &Page, record: &BTreeMap<String, String>| {
        let funds = page.fund_table();
        let mut rows = 0;
        for (label, amount, _) in &funds.rows {
            let column = match label.as_str() {
                "群众筹资投劳" => "villagers".to_string(),
                "其中：筹资" => "cash".to_string(),
                "其中：投劳折资" => "labour_value".to_string(),
                "财政奖补" => "fiscal".to_string(),
                "社会投入" => "social".to_string(),
                other => {
                    let zh = other
                        .strip_prefix("其中：")
                        .unwrap_or_else(|| panic!("{}: unknown fund row {other}", page.path));
                    let key = levels
                        .iter()
                        .find(|(z, _)| *z == zh)
                        .unwrap_or_else(|| panic!("unknown level {zh}"))
                        .1;
                    format!("fiscal_{key}")
                }
            };
            assert_eq!(plain(amount), record[&column], "{}: {label}", page.path);
            rows += 1;
        }
        assert_eq!(
            plain(&funds.totals[0]),
            record["total"],
            "{}: total",
            page.path
        );
        rows
    };
    let programmes = csv(&site, "programmes");
    let mut rows = 0;
    for g in programmes.records() {
        if g["total"].is_empty() {
            continue;
        }
        rows += check(
            &site.page(&format!("programmes/{}/index.html", g["id"])),
            &g,
        );
    }
    for j in csv(&site, "projects").records() {
        rows += check(&site.page(&format!("projects/{}/index.html", j["id"])), &j);
    }
    assert!(rows >= 15, "only {rows} fund rows compared");
    // The labour days and daily rate of the 2020 plan.
    let g2020 = &programmes.where_("id", "yishiyiyi-2020")[0];
    assert_eq!(
        (g2020["labour_days"].as_str(), g2020["labour_rate"].as_str()),
        ("265000", "20")
    );
    assert_eq!(g2020["total"], "1011.00");
}

#[test]
fn home_and_area_tables_match_areas_csv() {
    let portal = Portal::example();
    let site = portal.built();
    let areas = csv(&site, "areas");
    let home = site.page("index.html");
    // The home page lists each township with its households and people.
    let names = home.texts("details.township summary .t-name");
    let facts = home.texts("details.township .t-facts");
    assert_eq!(names.len(), areas.where_("parent_id", "qingshan").len());
    for (name, facts) in names.iter().zip(&facts) {
        let a = &areas.where_("name", name.trim())[0];
        let facts = plain(facts).replace(char::is_whitespace, "");
        assert!(
            facts.contains(&format!("户数{}", a["households"]))
                && facts.contains(&format!("人口{}", a["population"])),
            "{name}: {facts}"
        );
    }
    let x = &areas.where_("id", "xialongjing")[0];
    assert_eq!(
        (
            x["level"].as_str(),
            x["parent_id"].as_str(),
            x["households"].as_str(),
            x["population"].as_str()
        ),
        ("village", "limu", "73", "317")
    );
    assert_eq!(
        (x["farmland_mu"].as_str(), x["grain_per_capita_kg"].as_str()),
        ("1563", "470")
    );
    // The programme table of the home page, and its download line.
    let programmes = csv(&site, "programmes");
    let table = section_tables(&home, "h-programmes").remove(0);
    let total = table.col("总投资（万元）");
    for row in &table.rows {
        let g = &programmes.where_("name", &row[0])[0];
        assert_eq!(plain(&row[total]), g["total"]);
    }
}

#[test]
fn progress_exit_and_activity_tables_match_their_csv() {
    let portal = Portal::example();
    let site = portal.built();
    let progress = csv(&site, "progress");
    let page = site.page("areas/longtuo/index.html");
    let html_rows: Vec<Vec<String>> = page
        .select("table.progress")
        .iter()
        .flat_map(|t| html_table(t).rows)
        .collect();
    let rows = progress.where_("area_id", "longtuo");
    assert_eq!(html_rows.len(), rows.len());
    for (html, r) in html_rows.iter().zip(&rows) {
        let basis = if r["basis"] == "target" {
            "目标"
        } else {
            "起始"
        };
        assert_eq!(html[0], r["unit_name"]);
        assert_eq!(html[1], format!("{basis} {}", r["start"]));
        assert_eq!(plain(&html[2]), r["done"]);
        assert_eq!(plain(&html[3]), r["remaining"]);
        assert_eq!(plain(&html[4]), r["this_year"]);
    }
    let people = rows
        .iter()
        .find(|r| r["kind"] == "poverty" && r["unit"] == "people" && r["year"] == "2020")
        .unwrap();
    assert_eq!(
        (
            people["start"].as_str(),
            people["incidence_percent"].as_str()
        ),
        ("402", "0.94")
    );
    assert!(page.main_text().contains("贫困发生率：0.94%"));

    let exits = csv(&site, "exits");
    let fenshui = &exits.where_("area_id", "fenshui")[0];
    assert_eq!(
        (
            fenshui["status"].as_str(),
            fenshui["garbage"].as_str(),
            fenshui["water"].as_str()
        ),
        ("planned", "false", "true")
    );
    assert_eq!(fenshui["poverty_incidence"], "2.41");
    assert_eq!(fenshui["poverty_incidence_met"], "true");
    let exit_page = site.page("areas/fenshui/index.html");
    assert!(exit_page.main_text().contains("2.41%"));

    let activities = csv(&site, "activities");
    let page = site.page("areas/changting/index.html");
    let table = section_tables(&page, "h-activities").remove(0);
    let rows = activities.where_("area_id", "changting");
    assert_eq!(table.rows.len(), rows.len());
    let (planned, held) = (table.col("计划"), table.col("已开展"));
    for (html, r) in table.rows.iter().zip(&rows) {
        assert_eq!(html[0], r["name"]);
        assert_eq!(html[planned], r["planned"]);
        assert_eq!(html[held], r["held"]);
    }
    let large = &activities.where_("id", "changting-large-events-2020")[0];
    assert_eq!(
        (large["planned"].as_str(), large["held"].as_str()),
        ("2", "1")
    );
}

#[test]
fn milestones_csv_prints_due_dates_as_the_plan_page_does() {
    let portal = Portal::example();
    let site = portal.built();
    let milestones = csv(&site, "milestones");
    let rows = milestones.where_("plan_id", "monitoring/plan-2020");
    let page = site.page("monitoring/plan-2020/index.html");
    let times = page.select(".timeline time");
    assert_eq!(times.len(), rows.len());
    for (t, r) in times.iter().zip(&rows) {
        assert_eq!(text_of(t), r["due"]);
        assert_eq!(t.value().attr("datetime").unwrap(), r["deadline"]);
    }
    assert_eq!(rows[0]["due"], "3月中旬前");
    assert_eq!(
        (rows[0]["due_start"].as_str(), rows[0]["deadline"].as_str()),
        ("2020-03-11", "2020-03-20")
    );
}

// ---------------------------------------------------------------------------
// The package, the index page and the links

#[test]
fn datapackage_sizes_and_sha256_match_the_files() {
    let portal = Portal::example();
    let site = portal.built();
    let package = json(&site, "datapackage.json");
    assert_eq!(package["name"], "cunwu-qingshan");
    assert_eq!(package["title"], "青山县村务公开");
    let resources = package["resources"].as_array().unwrap();
    let mut listed = Vec::new();
    for r in resources {
        let path = r["path"].as_str().unwrap();
        let bytes = std::fs::read(site.root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(
            r["bytes"].as_u64().unwrap(),
            bytes.len() as u64,
            "{path}: bytes"
        );
        assert_eq!(
            r["hash"].as_str().unwrap(),
            format!("sha256:{}", sha256_hex(&bytes)),
            "{path}: hash"
        );
        assert_eq!(r["encoding"], "utf-8");
        if path.ends_with(".csv") {
            assert_eq!(
                (r["format"].as_str(), r["mediatype"].as_str()),
                (Some("csv"), Some("text/csv"))
            );
            assert_eq!(r["profile"], "tabular-data-resource");
            let schema = &r["schema"];
            let missing: Vec<&str> = schema["missingValues"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(missing, ["", "<5", "不公开"], "{path}");
            for f in schema["fields"].as_array().unwrap() {
                assert!(
                    f["title"].as_str().is_some_and(|t| !t.is_empty()),
                    "{path}: field without a title"
                );
                assert!(
                    ["string", "integer", "number", "boolean", "date"]
                        .contains(&f["type"].as_str().unwrap())
                );
            }
        } else {
            assert_eq!(
                (r["format"].as_str(), r["mediatype"].as_str()),
                (Some("json"), Some("application/json"))
            );
        }
        listed.push(path.to_string());
    }
    // Money columns say their unit.
    let projects = resources.iter().find(|r| r["name"] == "projects").unwrap();
    let total = projects["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "total")
        .unwrap();
    assert_eq!(total["type"], "number");
    assert!(total["description"].as_str().unwrap().contains("万元"));
    assert_eq!(projects["schema"]["primaryKey"], serde_json::json!(["id"]));
    // Every data file is listed, and nothing else is.
    let mut files: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.starts_with("data/") && (f.ends_with(".csv") || f.ends_with(".json")))
        .collect();
    files.sort();
    listed.sort();
    assert_eq!(listed, files);
    assert_eq!(files.len(), 2 * DATASETS.len());
}

#[test]
fn the_data_index_lists_every_dataset_with_rows_sizes_and_sha256() {
    let portal = Portal::example();
    let site = portal.built();
    let page = site.page("data/index.html");
    assert_eq!(page.texts("h1"), ["数据下载"]);
    let sel = |s: &str| Selector::parse(s).unwrap();
    let rows = page.select("table.datasets tbody tr");
    assert_eq!(rows.len(), DATASETS.len());
    assert!(!page.select("table.datasets caption").is_empty());
    for (row, name) in rows.iter().zip(DATASETS) {
        assert_eq!(row.value().attr("id"), Some(*name));
        let n: usize = text_of(&row.select(&sel("td.rows")).next().unwrap())
            .parse()
            .unwrap();
        assert_eq!(n, csv(&site, name).rows.len(), "{name}: rows");
        for (class, ext) in [("csv", "csv"), ("json", "json")] {
            let cell = row
                .select(&sel(&format!("td.{class}")))
                .next()
                .unwrap_or_else(|| panic!("{name}: no {class} cell"));
            let href = cell
                .select(&sel("a"))
                .next()
                .unwrap()
                .value()
                .attr("href")
                .unwrap()
                .to_string();
            let target = resolve("data/index.html", &href);
            assert_eq!(target, format!("data/{name}.{ext}"));
            let bytes = std::fs::read(site.root.join(&target)).unwrap();
            let shown_bytes = plain(&text_of(&cell.select(&sel(".bytes")).next().unwrap()));
            assert_eq!(
                shown_bytes,
                bytes.len().to_string(),
                "{target}: size on the index"
            );
            let shown_hash = text_of(&cell.select(&sel(".sha256")).next().unwrap());
            assert_eq!(
                shown_hash,
                sha256_hex(&bytes),
                "{target}: sha256 on the index"
            );
        }
    }
    // The package itself is linked with its size and hash.
    let link = page.select("a.package");
    let target = resolve("data/index.html", link[0].value().attr("href").unwrap());
    assert_eq!(target, "datapackage.json");
    let bytes = std::fs::read(site.root.join(&target)).unwrap();
    assert!(page.main_text().contains(&sha256_hex(&bytes)));
    // Every field is explained, with its Chinese title.
    assert_eq!(page.select("table.fields").len(), DATASETS.len());
    assert!(page.main_text().contains("stated_beneficiaries"));
}

#[test]
fn every_page_links_the_data_index_and_tables_link_their_downloads() {
    let portal = Portal::example();
    let site = portal.built();
    for path in site.html_files() {
        let page = site.page(&path);
        let nav: Vec<String> = page
            .select("nav[aria-label=\"主导航\"] a")
            .iter()
            .filter(|a| text_of(a) == "数据下载")
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        assert_eq!(nav.len(), 1, "{path}: no 数据下载 in the main navigation");
        assert_eq!(resolve(&path, &nav[0]), "data/index.html", "{path}");
        for a in page.select("p.download a") {
            let href = a.value().attr("href").unwrap();
            assert!(
                !href.starts_with('/') && !href.contains("://"),
                "{path}: {href} is not relative"
            );
            let target = resolve(&path, href);
            assert!(
                site.exists(&target),
                "{path}: {href} → {target} was not written"
            );
        }
    }
    let downloads = |path: &str| -> Vec<String> {
        let page = site.page(path);
        page.select("p.download a")
            .iter()
            .map(|a| resolve(path, a.value().attr("href").unwrap()))
            .collect()
    };
    let home = downloads("index.html");
    for f in [
        "data/programmes.csv",
        "data/programmes.json",
        "data/areas.csv",
        "data/areas.json",
    ] {
        assert!(
            home.iter().any(|t| t == f),
            "home page: no link to {f}: {home:?}"
        );
    }
    let village = downloads("areas/xialongjing/index.html");
    for f in [
        "data/projects.csv",
        "data/projects.json",
        "data/programmes.csv",
    ] {
        assert!(
            village.iter().any(|t| t == f),
            "xialongjing: no link to {f}: {village:?}"
        );
    }
    let township = downloads("areas/longtuo/index.html");
    assert!(
        township.iter().any(|t| t == "data/progress.csv"),
        "longtuo: {township:?}"
    );
    let programme = downloads("programmes/yishiyiyi-2019/index.html");
    assert!(
        programme.iter().any(|t| t == "data/projects.csv"),
        "yishiyiyi-2019: {programme:?}"
    );
}

#[test]
fn a_document_where_the_data_index_goes_is_refused() {
    let portal = Portal::example();
    portal.write(
        "content/data.md",
        "+++\ntitle = \"数据\"\ndate = 2020-01-01\n+++\n\n正文。\n",
    );
    portal
        .build()
        .assert_refused()
        .assert_mentions("render.path-clash");
}

// ---------------------------------------------------------------------------
// Privacy: suppressed cells stay suppressed

fn relapse_cells(site: &Site, area: &str, year: &str) -> BTreeMap<String, String> {
    let relapses = csv(site, "relapses");
    let rows: Vec<_> = relapses
        .where_("area_id", area)
        .into_iter()
        .filter(|r| r["year"] == year)
        .collect();
    assert_eq!(rows.len(), 1, "relapses.csv: {area} {year}: {rows:?}");
    rows[0].clone()
}

#[test]
fn a_small_relapse_count_is_published_as_below_k_in_csv_and_json() {
    // 2 households fell back in a 73-household village.
    let portal = privacy_portal("small-relapse");
    let site = portal.built();
    let row = relapse_cells(&site, "xialongjing", "2020");
    assert_eq!(row["households"], "<5");
    for (column, cell) in &row {
        assert_ne!(cell, "2", "relapses.csv: {column} shows the suppressed 2");
    }
    // The page shows the same cell.
    let page = site.page("areas/xialongjing/index.html");
    let table = section_tables(&page, "h-relapse").remove(0);
    assert_eq!(table.rows[0][table.col("户数")], row["households"]);
    let doc = json(&site, "data/relapses.json");
    let r = &doc["rows"][0];
    assert_eq!(r["households"], "<5");
    for (field, value) in r.as_object().unwrap() {
        assert!(
            value != 2 && value != "2",
            "relapses.json: {field} shows the suppressed 2"
        );
    }
    if frictionless_available() {
        assert_frictionless_valid(&site.root.join("datapackage.json"));
    }
}

#[test]
fn a_rate_that_would_give_back_a_small_count_is_withheld_in_downloads() {
    // 3 people of 317: the count reads <5 and the rate 0.95 % is withheld.
    let portal = privacy_portal("relapse-rate");
    let site = portal.built();
    let row = relapse_cells(&site, "xialongjing", "2020");
    assert_eq!(row["people"], "<5");
    assert_eq!(row["rate_percent"], "不公开");
    for name in DATASETS {
        for ext in ["csv", "json"] {
            let text = site.text(&format!("data/{name}.{ext}"));
            assert!(
                !text.contains("0.95"),
                "data/{name}.{ext} shows the withheld rate"
            );
        }
    }
}

#[test]
fn an_exit_percentage_that_would_give_back_a_small_count_is_withheld() {
    // Poverty incidence 0.63 % of 317 people is 2 people: published only as met.
    let portal = Portal::from_fixture("privacy/clean");
    portal.write(
        "data/exit.toml",
        "[[exit]]\narea = \"xialongjing\"\nyear = 2020\nstatus = \"exited\"\n\n[exit.indicators]\n\
         water = true\nelectricity = true\nroad = true\ntelecom = true\ncollective_economy = true\n\
         activity_venue = true\ngarbage = true\nparty_branch = true\nno_dangerous_housing = true\n\
         poverty_incidence = 0.63\n",
    );
    let site = portal.built();
    let exits = csv(&site, "exits");
    let row = &exits.where_("area_id", "xialongjing")[0];
    assert_eq!(row["poverty_incidence"], "不公开");
    assert_eq!(row["poverty_incidence_met"], "true");
    assert_eq!(row["garbage"], "true");
    for ext in ["csv", "json"] {
        assert!(
            !site.text(&format!("data/exits.{ext}")).contains("0.63"),
            "exits.{ext} shows the withheld percentage"
        );
    }
    if frictionless_available() {
        assert_frictionless_valid(&site.root.join("datapackage.json"));
    }
}

// ---------------------------------------------------------------------------
// Reproducible, and valid for the standard tool

#[test]
fn downloads_are_byte_identical_across_two_builds() {
    let a = Portal::example();
    let b = Portal::example();
    let (first, second) = (a.built(), b.built());
    let pick = |site: &Site| -> BTreeMap<String, Vec<u8>> {
        snapshot(&site.root)
            .into_iter()
            .filter(|(p, _)| p.starts_with("data/") || p == "datapackage.json")
            .collect()
    };
    let (first, second) = (pick(&first), pick(&second));
    assert_eq!(first.len(), 2 * DATASETS.len() + 2);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between two builds");
    }
}

#[test]
fn frictionless_validates_the_example_package() {
    if !frictionless_available() {
        println!(
            "note: `frictionless` is not installed (pip install frictionless); skipping the Data Package validation"
        );
        return;
    }
    let portal = Portal::example();
    let site = portal.built();
    assert_frictionless_valid(&site.root.join("datapackage.json"));
}
