//! Spreadsheets under `data/` (issue 14 item 3), tested as a clerk would: a
//! portal kept entirely in spreadsheets builds to the same files as its TOML
//! twin, and five typical mistakes give findings that name the cell.
//! Every workbook is written here (rust_xlsxwriter for `.xlsx`, a zip of
//! OpenDocument XML for `.ods`); CSV files are written as Excel on Chinese
//! Windows saves them (GBK) or as UTF-8 with a BOM.

mod common;

use common::{Portal, cunwu_in, snapshot};
use proptest::prelude::*;
use rust_xlsxwriter::{Format, Workbook};

/// A cell to write: text, or a number with its number format.
#[derive(Debug, Clone)]
enum V {
    T(String),
    /// A number written from its decimal text, shown with `decimals`.
    N(String),
}

fn t(s: impl Into<String>) -> V {
    V::T(s.into())
}

fn n(s: impl Into<String>) -> V {
    V::N(s.into())
}

/// Writes a workbook with `sheets` (name, rows; row 0 the header).
fn xlsx(sheets: &[(&str, Vec<Vec<V>>)]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v {
                    V::T(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    V::N(s) => {
                        let decimals = s.split_once('.').map_or(0, |(_, f)| f.len());
                        let f: f64 = s.parse().unwrap();
                        if decimals == 0 {
                            ws.write_number(r, c, f).unwrap();
                        } else {
                            let fmt =
                                Format::new().set_num_format(format!("0.{}", "0".repeat(decimals)));
                            ws.write_number_with_format(r, c, f, &fmt).unwrap();
                        }
                    }
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// Writes an OpenDocument spreadsheet (`.ods`) with `sheets`: the zip
/// LibreOffice and WPS write, with the parts a reader needs.
fn ods(sheets: &[(&str, Vec<Vec<V>>)]) -> Vec<u8> {
    use std::io::Write;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;")
    };
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    for (name, rows) in sheets {
        content += &format!(r#"<table:table table:name="{}">"#, esc(name));
        for row in rows {
            content += "<table:table-row>";
            for v in row {
                content += &match v {
                    V::T(s) => format!(
                        r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                        esc(s)
                    ),
                    V::N(s) => format!(
                        r#"<table:table-cell office:value-type="float" office:value="{s}"><text:p>{s}</text:p></table:table-cell>"#
                    ),
                };
            }
            content += "</table:table-row>";
        }
        content += "</table:table>";
    }
    content += "</office:spreadsheet></office:body></office:document-content>";
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    let deflated = zip::write::SimpleFileOptions::default();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// A CSV file of `rows`, in GBK as Excel on Chinese Windows saves it.
fn gbk_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let text: String = rows.iter().map(|r| r.join(",") + "\r\n").collect();
    let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    bytes.into_owned()
}

const CONFIG: &str = "title = \"表格测试县\"\ncounty = \"cty\"\nlang = \"zh-CN\"\n";
const INDEX: &str = "+++\ntitle = \"首页\"\ndate = 2020-03-01\n+++\n\n本县村务公开。\n";

/// One generated project.
#[derive(Debug, Clone)]
struct Proj {
    village: usize,
    cash_cents: u32,
    fiscal_cents: u32,
    status: usize,
    beneficiaries: u32,
}

const STATUS: [(&str, &str); 3] = [
    ("completed", "已完工"),
    ("under_construction", "在建"),
    ("not_started", "未开工"),
];

fn money(cents: u32) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// The data of a small county: areas, projects, activities and progress.
#[derive(Debug, Clone)]
struct County {
    villages: usize,
    projects: Vec<Proj>,
    activities: Vec<(usize, u32, u32)>,
    poverty: (u32, u32),
}

fn county() -> impl Strategy<Value = County> {
    (1usize..4).prop_flat_map(|villages| {
        let proj = (
            0..villages,
            1u32..500_000,
            0u32..900_000,
            0usize..3,
            10u32..900,
        )
            .prop_map(
                |(village, cash_cents, fiscal_cents, status, beneficiaries)| Proj {
                    village,
                    cash_cents,
                    fiscal_cents,
                    status,
                    beneficiaries,
                },
            );
        (
            Just(villages),
            prop::collection::vec(proj, 1..6),
            prop::collection::vec((0..villages, 1u32..20, 0u32..20), 0..4),
            (20u32..200, 0u32..20),
        )
            .prop_map(|(villages, projects, activities, poverty)| County {
                villages,
                projects,
                activities,
                poverty,
            })
    })
}

impl County {
    fn toml(&self) -> Vec<(String, String)> {
        let mut areas = String::from(
            "[[area]]\nid = \"cty\"\nname = \"表格县\"\nlevel = \"county\"\n\n[[area]]\nid = \"tsp\"\nname = \"龙沱乡\"\nlevel = \"township\"\nparent = \"cty\"\nhouseholds = 5000\npopulation = 20000\n",
        );
        for v in 0..self.villages {
            areas += &format!(
                "\n[[area]]\nid = \"v{v}\"\nname = \"第{v}村\"\nlevel = \"village\"\nparent = \"tsp\"\nhouseholds = 300\npopulation = 1000\nsummary = \"山区村，第{v}个。\"\n"
            );
        }
        let mut projects = String::new();
        for (i, p) in self.projects.iter().enumerate() {
            let total = p.cash_cents + p.fiscal_cents;
            projects += &format!(
                "[[project]]\nid = \"p{i}\"\nname = \"道路硬化{i}\"\narea = \"v{}\"\nyear = 2020\ncategory = \"村组道路\"\nstatus = \"{}\"\nbeneficiaries = {}\n\n[project.funds]\ntotal = {}\nvillagers = {}\ncash = {}\nfiscal = {}\n\n",
                p.village,
                STATUS[p.status].0,
                p.beneficiaries,
                money(total),
                money(p.cash_cents),
                money(p.cash_cents),
                money(p.fiscal_cents)
            );
        }
        let mut activities = String::new();
        for (i, (v, planned, held)) in self.activities.iter().enumerate() {
            activities += &format!(
                "[[activity]]\nid = \"a{i}\"\narea = \"v{v}\"\nyear = 2020\nkind = \"culture\"\nname = \"广场舞{i}\"\nplanned = {planned}\nheld = {held}\n\n"
            );
        }
        let (start, done) = self.poverty;
        let progress = format!(
            "[[progress]]\narea = \"tsp\"\nyear = 2020\nkind = \"poverty\"\n\n[progress.households]\nstart = {start}\ndone = {done}\nremaining = {}\n",
            start - done
        );
        vec![
            ("data/areas.toml".into(), areas),
            ("data/projects.toml".into(), projects),
            ("data/activities.toml".into(), activities),
            ("data/progress.toml".into(), progress),
        ]
    }

    /// The same data as a workbook (areas, projects, activities; Chinese
    /// headers and Chinese values) and a GBK CSV (progress, field codes).
    fn sheets(&self) -> Vec<(String, Vec<u8>)> {
        let mut areas = vec![
            vec![
                t("编号"),
                t("名称"),
                t("级别"),
                t("上级编号"),
                t("户数"),
                t("人口"),
                t("简介"),
            ],
            vec![t("cty"), t("表格县"), t("县")],
            vec![
                t("tsp"),
                t("龙沱乡"),
                t("乡"),
                t("cty"),
                n("5000"),
                n("20000"),
            ],
        ];
        for v in 0..self.villages {
            areas.push(vec![
                t(format!("v{v}")),
                t(format!("第{v}村")),
                t("村"),
                t("tsp"),
                n("300"),
                n("1000"),
                t(format!("山区村，第{v}个。")),
            ]);
        }
        let mut projects = vec![vec![
            t("编号"),
            t("名称"),
            t("地区编号"),
            t("年度"),
            t("类别"),
            t("状态"),
            t("受益人数"),
            t("总投资（万元）"),
            t("群众投入（万元）"),
            t("群众筹资（万元）"),
            t("财政奖补（万元）"),
        ]];
        for (i, p) in self.projects.iter().enumerate() {
            projects.push(vec![
                t(format!("p{i}")),
                t(format!("道路硬化{i}")),
                t(format!("v{}", p.village)),
                n("2020"),
                t("村组道路"),
                t(STATUS[p.status].1),
                n(p.beneficiaries.to_string()),
                n(money(p.cash_cents + p.fiscal_cents)),
                n(money(p.cash_cents)),
                n(money(p.cash_cents)),
                n(money(p.fiscal_cents)),
            ]);
        }
        let mut activities = vec![vec![
            t("编号"),
            t("地区"),
            t("年度"),
            t("类型"),
            t("名称"),
            t("计划次数"),
            t("已开展次数"),
        ]];
        for (i, (v, planned, held)) in self.activities.iter().enumerate() {
            activities.push(vec![
                t(format!("a{i}")),
                t(format!("v{v}")),
                n("2020"),
                t("文化"),
                t(format!("广场舞{i}")),
                n(planned.to_string()),
                n(held.to_string()),
            ]);
        }
        let (start, done) = self.poverty;
        let progress = gbk_csv(&[
            [
                "area",
                "year",
                "kind",
                "households.start",
                "households.done",
                "households.remaining",
            ]
            .map(String::from)
            .to_vec(),
            vec![
                "tsp".into(),
                "2020".into(),
                "脱贫".into(),
                start.to_string(),
                done.to_string(),
                (start - done).to_string(),
            ],
        ]);
        vec![
            (
                "data/数据.xlsx".into(),
                xlsx(&[
                    ("说明", vec![vec![t("每张表一种数据，第一行是列名。")]]),
                    ("地区", areas),
                    ("项目", projects),
                ]),
            ),
            ("data/活动.ods".into(), ods(&[("活动", activities)])),
            ("data/龙沱乡-进度.csv".into(), progress),
        ]
    }
}

fn portal_with(files: &[(String, Vec<u8>)]) -> Portal {
    let p = Portal::empty();
    p.write("cunwu.toml", CONFIG)
        .write("content/_index.md", INDEX);
    for (rel, bytes) in files {
        p.write(rel, bytes);
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    /// A portal kept in spreadsheets builds to the same files, byte for
    /// byte, as its TOML twin: amounts keep their decimals (`12.30` from a
    /// cell formatted `0.00`), Chinese headers and values read as the codes.
    #[test]
    fn a_portal_in_spreadsheets_builds_like_its_toml_twin(c in county()) {
        let toml: Vec<(String, Vec<u8>)> =
            c.toml().into_iter().map(|(p, s)| (p, s.into_bytes())).collect();
        let twin = portal_with(&toml);
        let sheets = portal_with(&c.sheets());
        twin.build().assert_ok();
        sheets.build().assert_ok();
        let a = snapshot(&twin.output());
        let b = snapshot(&sheets.output());
        prop_assert!(a.len() > 5);
        let names_a: Vec<&String> = a.keys().collect();
        let names_b: Vec<&String> = b.keys().collect();
        prop_assert_eq!(names_a, names_b);
        for (k, v) in &a {
            prop_assert!(b[k] == *v, "{} differs", k);
        }
    }
}

/// `cunwu check --format json`: the findings as (rule, cell, found, hint).
fn findings(p: &Portal) -> Vec<(String, String, String, String)> {
    let root = p.root().to_str().unwrap().to_string();
    let run = cunwu_in(p.tmp(), &["check", "--format", "json", "--root", &root]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", run.stdout, run.stderr));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or("").to_string();
            (s("rule"), s("cell"), s("found"), s("hint"))
        })
        .collect()
}

/// Areas and one project sheet with `project` as its one data row (after
/// `header`), in a workbook; the project's row is spreadsheet row 2.
fn one_project(header: &[&str], row: Vec<V>) -> Portal {
    let areas = vec![
        vec![t("编号"), t("名称"), t("级别"), t("上级编号")],
        vec![t("cty"), t("县"), t("县")],
        vec![t("tsp"), t("乡"), t("乡"), t("cty")],
        vec![t("v0"), t("村"), t("村"), t("tsp")],
    ];
    let projects = vec![header.iter().map(|h| t(*h)).collect(), row];
    portal_with(&[(
        "data/数据.xlsx".into(),
        xlsx(&[("地区", areas), ("项目", projects)]),
    )])
}

const HEADER: [&str; 7] = [
    "编号",
    "名称",
    "地区编号",
    "年度",
    "类别",
    "受益人数",
    "总投资（万元）",
];

fn good_row() -> Vec<V> {
    vec![
        t("p0"),
        t("路"),
        t("v0"),
        n("2020"),
        t("道路"),
        n("100"),
        n("1.50"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, ..ProptestConfig::default() })]

    /// Mistake 1: words in a number cell (受益人数 "很多").
    #[test]
    fn text_in_a_number_cell_names_the_cell(word in "[很多约百人左右]{1,4}") {
        let mut row = good_row();
        row[5] = t(word.clone());
        let f = findings(&one_project(&HEADER, row));
        prop_assert!(f.iter().any(|(rule, cell, found, _)| rule == "load.wrong-type"
            && cell == "项目!F2" && found.contains(&word)), "{f:?}");
    }

    /// Mistake 2: a unit in a money cell ("20元", "16.30万元", "6,300元").
    #[test]
    fn a_unit_in_a_money_cell_names_the_cell_and_says_what_to_write(
        (written, bare) in prop_oneof![
            (1u32..99999).prop_map(|n| (format!("{n}元"), n.to_string())),
            (1u32..9999).prop_map(|n| (format!("{}.{:02}万元", n / 100, n % 100), format!("{}.{:02}", n / 100, n % 100))),
            (1000u32..999999).prop_map(|n| (format!("{},{:03}", n / 1000, n % 1000), n.to_string())),
        ]
    ) {
        let mut row = good_row();
        row[6] = t(written.clone());
        let f = findings(&one_project(&HEADER, row));
        prop_assert!(f.iter().any(|(rule, cell, found, hint)| rule == "load.bad-number"
            && cell == "项目!G2" && found.contains(&written) && hint.contains(&bare)), "{f:?}");
    }

    /// Mistake 3: a required column left out: one finding naming the sheet
    /// and the column, not one a row.
    #[test]
    fn a_missing_required_column_is_named_once(drop in 0usize..7, rows in 1usize..4) {
        // 受益人数 (5) is optional: dropping it is no mistake.
        prop_assume!(drop != 5);
        let header: Vec<&str> = HEADER.iter().enumerate().filter(|(i, _)| *i != drop).map(|(_, h)| *h).collect();
        let areas = vec![vec![t("编号"), t("名称"), t("级别")], vec![t("v0"), t("村"), t("县")]];
        let mut projects = vec![header.iter().map(|h| t(*h)).collect::<Vec<_>>()];
        for i in 0..rows {
            let mut row = good_row();
            row[0] = t(format!("p{i}"));
            row.remove(drop);
            projects.push(row);
        }
        let p = portal_with(&[("data/数据.xlsx".into(), xlsx(&[("地区", areas), ("项目", projects)]))]);
        let f = findings(&p);
        let missing: Vec<_> = f.iter().filter(|(rule, ..)| rule == "load.column").collect();
        prop_assert_eq!(missing.len(), 1, "{:?}", f);
        prop_assert_eq!(&missing[0].1, "项目!1");
        let name = HEADER[drop].split('（').next().unwrap();
        let root = p.root().to_str().unwrap().to_string();
        let run = cunwu_in(p.tmp(), &["check", "--root", &root]);
        prop_assert!(run.stderr.contains(name) || run.stdout.contains(name), "{}", run.stderr);
        prop_assert!(!f.iter().any(|(rule, ..)| rule == "load.missing-field"), "{:?}", f);
    }

    /// Mistake 4: a project in a township or village that does not exist.
    #[test]
    fn an_unknown_area_names_the_cell(id in "[a-z]{3,8}") {
        prop_assume!(!["cty", "tsp", "v0"].contains(&id.as_str()));
        let mut row = good_row();
        row[2] = t(id.clone());
        let f = findings(&one_project(&HEADER, row));
        prop_assert!(f.iter().any(|(rule, cell, ..)| rule == "refs.resolve" && cell == "项目!C2"), "{f:?}");
    }

    /// Mistake 5: a sheet with personal columns (a register) is refused
    /// whole, like a roster file, whatever sheet it is in, and the ID
    /// number in it is found too.
    #[test]
    fn a_sheet_with_personal_columns_is_refused(
        sheet in prop::sample::select(vec!["项目", "地区", "活动"]),
        (column, cell) in prop_oneof![
            "[张李王][一-龥]{1,2}".prop_map(|n| ("户主姓名", n)),
            "[张李王][一-龥]{1,2}".prop_map(|n| ("姓名", n)),
            Just(("身份证号", "110101199003077774".to_string())),
            // A household column with rows naming households.
            "[张李王]某某户".prop_map(|n| ("收入", n)),
        ],
    ) {
        let rows = vec![
            vec![t("编号"), t(column), t("风险类型")],
            vec![t("h1"), t(cell.clone()), t("因病")],
            vec![t("h2"), t(cell), t("因学")],
        ];
        let p = portal_with(&[("data/台账.xlsx".into(), xlsx(&[(sheet, rows)]))]);
        let f = findings(&p);
        prop_assert!(f.iter().any(|(rule, cell, ..)| rule == "privacy.individual-record"
            && *cell == format!("{sheet}!1")), "{f:?}");
        let run = p.build();
        run.assert_refused();
        prop_assert!(!p.output().exists());
    }
}

/// An ID number typed in any cell of any sheet is found by the gate, with
/// the cell; the build is refused.
#[test]
fn an_id_number_in_any_cell_is_refused_with_its_cell() {
    let mut row = good_row();
    row[1] = t("路 110101199003077774");
    let p = one_project(&HEADER, row);
    let f = findings(&p);
    assert!(
        f.iter()
            .any(|(rule, cell, ..)| rule.starts_with("privacy.resident-id") && cell == "项目!B2"),
        "{f:?}"
    );
    p.build().assert_refused();
}

/// A CSV file saved as GBK reads like UTF-8, and its findings name the
/// file's sheet and cell.
#[test]
fn gbk_and_utf8_csv_read_alike() {
    let rows = [
        ["编号", "名称", "级别"].map(String::from).to_vec(),
        ["cty", "表格县", "县"].map(String::from).to_vec(),
        ["tsp", "龙沱乡", "乡镇级"].map(String::from).to_vec(),
    ];
    let gbk = portal_with(&[("data/地区.csv".into(), gbk_csv(&rows))]);
    let utf8_text: String = rows.iter().map(|r| r.join(",") + "\n").collect();
    let utf8 = portal_with(&[(
        "data/地区.csv".into(),
        [b"\xEF\xBB\xBF".as_slice(), utf8_text.as_bytes()].concat(),
    )]);
    let a = findings(&gbk);
    assert_eq!(a, findings(&utf8));
    assert!(
        a.iter()
            .any(|(rule, cell, found, _)| rule == "load.not-allowed"
                && cell == "地区!C3"
                && found.contains("乡镇级")),
        "{a:?}"
    );
}

/// An unknown sheet and an unknown column are named with their cell.
#[test]
fn unknown_sheets_and_columns_are_named() {
    let p = portal_with(&[(
        "data/数据.xlsx".into(),
        xlsx(&[
            ("汇总", vec![vec![t("合计")]]),
            (
                "地区",
                vec![
                    vec![t("编号"), t("名称"), t("级别"), t("面积")],
                    vec![t("c"), t("县"), t("县"), n("3")],
                ],
            ),
        ]),
    )]);
    // The lock file Excel keeps beside an open workbook is not data.
    p.write("data/~$数据.xlsx", b"\x0bclerk\x00\x00");
    let f = findings(&p);
    assert!(
        f.iter()
            .any(|(rule, cell, ..)| rule == "load.sheet" && cell == "汇总!1"),
        "{f:?}"
    );
    assert!(
        !f.iter()
            .any(|(rule, ..)| rule == "load.unknown-file" || rule == "load.read"),
        "{f:?}"
    );
    assert_eq!(
        f.iter().filter(|(rule, ..)| rule == "load.sheet").count(),
        1,
        "{f:?}"
    );
    assert!(
        f.iter().any(|(rule, cell, found, _)| rule == "load.column"
            && cell == "地区!D1"
            && found == "面积"),
        "{f:?}"
    );
}

/// `cunwu template` writes a workbook with one sheet a kind whose headers
/// are the Chinese column names; filled in, it builds.
#[test]
fn the_template_reads_back_with_every_column() {
    let p = Portal::empty();
    std::fs::create_dir_all(p.root()).unwrap();
    let out = p.tmp().join("tpl");
    let run = cunwu_in(p.tmp(), &["template", out.to_str().unwrap()]);
    run.assert_ok();
    let book = out.join("数据模板.xlsx");
    assert!(book.is_file(), "{}", run.stderr);
    // Header-only: a portal holding it has no findings about it.
    p.write("cunwu.toml", CONFIG)
        .write("content/_index.md", INDEX);
    p.write(
        "data/areas.toml",
        "[[area]]\nid = \"cty\"\nname = \"县\"\nlevel = \"county\"\n",
    );
    p.write("data/数据模板.xlsx", std::fs::read(&book).unwrap());
    let f = findings(&p);
    assert!(f.is_empty(), "{f:?}");
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(&book).unwrap();
    let names = wb.sheet_names();
    for kind in [
        "地区", "计划", "项目", "进度", "返贫", "退出", "活动", "节点",
    ] {
        assert!(names.iter().any(|n| n == kind), "{names:?}");
    }
    let projects = wb.worksheet_range("项目").unwrap();
    let header: Vec<String> = projects
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    for h in ["编号", "名称", "总投资（万元）", "状态"] {
        assert!(header.iter().any(|x| x == h), "{header:?}");
    }
}

/// A fresh `cunwu init` portal holds the template outside `data/`, and
/// still builds.
#[test]
fn init_writes_the_template_beside_the_data() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("county");
    let dir_s = dir.to_str().unwrap();
    cunwu_in(tmp.path(), &["init", dir_s]).assert_ok();
    assert!(dir.join("表格模板/数据模板.xlsx").is_file());
    cunwu_in(tmp.path(), &["check", "--root", dir_s]).assert_ok();
}

/// The preview re-reads a changed spreadsheet like a data file: each edit
/// of a workbook or a CSV file gives the site a full build gives, and a
/// mistake typed into a cell is named by its cell, then recovered from.
#[test]
fn the_preview_rereads_a_changed_sheet() {
    use cunwu::pipeline::{Options, render_site};
    use cunwu::session::{Session, Update};
    use std::collections::BTreeMap;
    type Site = BTreeMap<String, Vec<u8>>;
    fn apply(site: &mut Site, update: Update) {
        match update {
            Update::All(files) => {
                site.clear();
                site.extend(files.into_iter().map(|f| (f.path, f.bytes)));
            }
            Update::Some(files) => site.extend(files.into_iter().map(|f| (f.path, f.bytes))),
            Update::Patch { files, removed } => {
                for path in removed {
                    site.remove(&path);
                }
                site.extend(files.into_iter().map(|f| (f.path, f.bytes)));
            }
        }
    }
    let c = County {
        villages: 2,
        projects: vec![Proj {
            village: 1,
            cash_cents: 1130,
            fiscal_cents: 1500,
            status: 0,
            beneficiaries: 300,
        }],
        activities: vec![(0, 4, 2)],
        poverty: (50, 10),
    };
    let p = portal_with(&c.sheets());
    let opts = Options {
        root: p.root().to_path_buf(),
        output: None,
        lang: None,
        roster: None,
    };
    let full = |opts: &Options| -> Site {
        let (outcome, files) = render_site(opts);
        assert_eq!(outcome.errors(), 0, "{:?}", outcome.diags);
        files
            .unwrap()
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect()
    };
    let mut session = Session::new(opts.clone());
    let mut site = Site::new();
    let (outcome, update) = session.rebuild(&[]);
    assert_eq!(outcome.errors(), 0, "{:?}", outcome.diags);
    apply(&mut site, update.unwrap());
    for (step, (cash, done)) in [(2000u32, 12u32), (777, 30), (1, 0)]
        .into_iter()
        .enumerate()
    {
        let mut edited = c.clone();
        edited.projects[0].cash_cents = cash;
        edited.poverty.1 = done;
        let files = edited.sheets();
        let mut changed = Vec::new();
        for (rel, bytes) in &files {
            p.write(rel, bytes);
            changed.push(p.path(rel));
        }
        let (outcome, update) = session.rebuild(&changed);
        assert_eq!(outcome.errors(), 0, "step {step}: {:?}", outcome.diags);
        apply(&mut site, update.unwrap());
        assert!(
            site == full(&opts),
            "step {step}: the preview differs from a full build"
        );
    }
    // A mistake in a cell: named by its cell; fixed, the site is back.
    let csv = p.path("data/龙沱乡-进度.csv");
    let good = std::fs::read(&csv).unwrap();
    let text = cunwu::load::sheet::decode_text(&good).replace("脱贫,50,0,", "脱贫,50,0户,");
    assert!(text.contains("0户"), "{text}");
    p.write(
        "data/龙沱乡-进度.csv",
        encoding_rs::GBK.encode(&text).0.as_ref(),
    );
    let (outcome, _) = session.rebuild(std::slice::from_ref(&csv));
    let cells: Vec<Option<String>> = outcome
        .diags
        .iter()
        .map(|d| d.location(&outcome.sources))
        .collect();
    assert!(
        cells.iter().flatten().any(|l| l.ends_with(" 进度!E2")),
        "{cells:?}"
    );
    p.write("data/龙沱乡-进度.csv", &good);
    let (outcome, update) = session.rebuild(std::slice::from_ref(&csv));
    assert_eq!(outcome.errors(), 0, "{:?}", outcome.diags);
    apply(&mut site, update.unwrap());
    assert!(site == full(&opts));
}

/// Prints how long `cunwu check` takes on a county of 3,000 projects kept
/// in a workbook and in TOML (a figure, not a pass/fail test):
/// `cargo test --test sheets sheet_speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn sheet_speed() {
    let c = County {
        villages: 3,
        projects: (0..3000)
            .map(|i| Proj {
                village: i % 3,
                cash_cents: 1000 + i as u32,
                fiscal_cents: 5000 + 7 * i as u32,
                status: i % 3,
                beneficiaries: 10,
            })
            .collect(),
        activities: vec![],
        poverty: (100, 10),
    };
    let toml: Vec<(String, Vec<u8>)> = c
        .toml()
        .into_iter()
        .map(|(p, s)| (p, s.into_bytes()))
        .collect();
    for (what, files) in [("toml", toml), ("xlsx", c.sheets())] {
        let p = portal_with(&files);
        let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
        let root = p.root().to_str().unwrap().to_string();
        let t0 = std::time::Instant::now();
        let run = cunwu_in(p.tmp(), &["check", "--root", &root]);
        let took = t0.elapsed();
        println!(
            "{what}: {bytes} bytes of data, cunwu check {took:?} (exit {})",
            run.code
        );
    }
}
