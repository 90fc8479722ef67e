//! Data downloads: every table of the site as a CSV file and a JSON twin under
//! `data/`, described by a Frictionless Data Package (`datapackage.json`) and
//! listed, with row counts, sizes and sha256, on `data/index.html`.
//!
//! Pure: the only input is the [`PublicSite`], so the figures are the published
//! ones. A count the gate suppressed is written exactly as the pages print it
//! (`<5`, `不公开`), never its value. Money stays a `Decimal` until it becomes
//! text here, with the page's digits but no thousands separators; in JSON every
//! decimal is a string, so that no tool reads it through a float.
//!
//! CSV: UTF-8 with a byte order mark (Excel then reads Chinese correctly), CRLF
//! line ends, RFC 4180 quoting, one header row of the field names. JSON:
//! `{"name", "title", "description", "schema", "rows": [{field: value}]}`.
//! `docs/downloads.md` documents every dataset, column and unit.

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::OutputFile;
use super::format::{count, number, wan};
use crate::gate::{PublicProgress, PublicRelapse, PublicSite, PublicTally, Shown};
use crate::links::relative_url;
use crate::model::*;
use crate::source::At;

/// The data index page.
pub const INDEX_PATH: &str = crate::output::DATA_INDEX;
/// The Frictionless Data Package, at the root of the site.
pub const PACKAGE_PATH: &str = crate::output::DATA_PACKAGE;
// How a withheld figure is printed, on pages and in downloads: the catalogue's one form.
use crate::messages::WITHHELD;

/// A Table Schema field type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Date,
}

impl Kind {
    fn name_zh(self) -> &'static str {
        match self {
            Kind::String => "文本",
            Kind::Integer => "整数",
            Kind::Number => "数值",
            Kind::Boolean => "是/否",
            Kind::Date => "日期",
        }
    }
}

/// One column: a Table Schema field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub name: String,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: Kind,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraints: Option<Constraints>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Constraints {
    #[serde(rename = "enum")]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForeignKey {
    pub fields: Vec<String>,
    pub reference: Reference,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    /// Resource name; `""` for the same resource.
    pub resource: String,
    pub fields: Vec<String>,
}

/// A Table Schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    pub fields: Vec<Field>,
    /// `""` (not given), `<k` and `不公开` (suppressed): all read as no value.
    pub missing_values: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub primary_key: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
}

/// One value of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Not given: an empty CSV field, `null` in JSON.
    Empty,
    /// Text, a code, a date, or a suppressed figure (`<5`, `不公开`).
    Text(String),
    /// An exact decimal (money, percent, area): a JSON string.
    Dec(String),
    UInt(u64),
    Int(i64),
    Bool(bool),
}

impl Cell {
    /// The CSV field, unquoted.
    fn csv(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::Dec(s) => s.clone(),
            Cell::UInt(n) => n.to_string(),
            Cell::Int(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Empty => s.serialize_none(),
            Cell::Text(t) | Cell::Dec(t) => s.serialize_str(t),
            Cell::UInt(n) => s.serialize_u64(*n),
            Cell::Int(n) => s.serialize_i64(*n),
            Cell::Bool(b) => s.serialize_bool(*b),
        }
    }
}

/// A dataset: its schema and its rows (one cell per field, in field order).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub title: &'static str,
    pub description: String,
    pub schema: Schema,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn csv_path(&self) -> String {
        format!("data/{}.csv", self.name)
    }

    pub fn json_path(&self) -> String {
        format!("data/{}.json", self.name)
    }

    /// UTF-8 with BOM, CRLF, RFC 4180 quoting, a header row of field names.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = String::from("\u{feff}");
        let header: Vec<String> = self
            .schema
            .fields
            .iter()
            .map(|f| csv_field(&f.name))
            .collect();
        out.push_str(&header.join(","));
        out.push_str("\r\n");
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| csv_field(&c.csv())).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out.into_bytes()
    }

    /// `{"name", "title", "description", "schema", "rows"}`, rows as
    /// objects keyed by field name in schema order.
    /// Compact, one row a line, so that the file stays small and diffs well.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = format!(
            "{{\"name\":{},\"title\":{},\"description\":{},\n\"schema\":{},\n\"rows\":[",
            compact(self.name),
            compact(self.title),
            compact(&self.description),
            compact(&self.schema),
        );
        for (i, cells) in self.rows.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('\n');
            out.push_str(&compact(&Row {
                fields: &self.schema.fields,
                cells,
            }));
        }
        out.push_str("\n]}\n");
        out.into_bytes()
    }
}

/// Compact JSON text (serializing these types cannot fail).
fn compact<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// A row serialized as an object in schema order.
struct Row<'a> {
    fields: &'a [Field],
    cells: &'a [Cell],
}

impl Serialize for Row<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.fields.len()))?;
        for (f, c) in self.fields.iter().zip(self.cells) {
            m.serialize_entry(&f.name, c)?;
        }
        m.end()
    }
}

/// RFC 4180: a field with a comma, a quote or a line break is quoted, and its
/// quotes doubled.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

// ---------------------------------------------------------------------------
// Cells from the model

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn opt_text(s: &Option<At<String>>) -> Cell {
    s.as_ref().map_or(Cell::Empty, |s| text(&s.value))
}

fn opt_uint(v: &Option<At<u64>>) -> Cell {
    v.as_ref().map_or(Cell::Empty, |v| Cell::UInt(v.value))
}

/// 万元 as the pages print it, without thousands separators: `1011.00`.
fn money(d: Decimal) -> Cell {
    Cell::Dec(wan(d).replace(',', ""))
}

fn opt_money(v: Option<&At<Decimal>>) -> Cell {
    v.map_or(Cell::Empty, |v| money(v.value))
}

/// A plain decimal (亩, 公斤, km, 元) as the pages print it, without separators.
fn decimal(d: Decimal) -> Cell {
    Cell::Dec(number(d).replace(',', ""))
}

fn opt_decimal(v: &Option<At<Decimal>>) -> Cell {
    v.as_ref().map_or(Cell::Empty, |v| decimal(v.value))
}

/// A published count: the figure, `<k`, or 不公开.
fn shown(s: Option<Shown<u64>>) -> Cell {
    match s {
        None => Cell::Empty,
        Some(Shown::Value(v)) => Cell::UInt(v),
        Some(s) => Cell::Text(super::suppressed(s).unwrap_or_default()),
    }
}

/// A published percentage, without the `%` sign, or 不公开.
fn shown_percent(s: Option<Shown<Decimal>>) -> Cell {
    match s {
        None => Cell::Empty,
        Some(Shown::Value(v)) => Cell::Dec(v.normalize().to_string()),
        Some(Shown::Below(_) | Shown::Withheld) => text(WITHHELD),
    }
}

fn key_of<T: PartialEq + Copy>(choices: &[(&'static str, T)], v: T) -> &'static str {
    choices.iter().find(|(_, c)| *c == v).map_or("", |(k, _)| k)
}

fn keys_of<T>(choices: &[(&'static str, T)]) -> Vec<String> {
    choices.iter().map(|(k, _)| k.to_string()).collect()
}

// ---------------------------------------------------------------------------
// Columns

type Getter<'a, R> = Box<dyn Fn(&R) -> Cell + 'a>;

/// A table under construction: fields with the function reading each.
struct Columns<'a, R> {
    fields: Vec<Field>,
    getters: Vec<Getter<'a, R>>,
}

impl<'a, R> Columns<'a, R> {
    fn new() -> Self {
        Columns {
            fields: Vec::new(),
            getters: Vec::new(),
        }
    }

    fn col(
        self,
        name: &str,
        title: &str,
        kind: Kind,
        description: &str,
        get: impl Fn(&R) -> Cell + 'a,
    ) -> Self {
        self.field(name, title, kind, description, None, get)
    }

    /// A code column whose values are one of `values`.
    fn code(
        self,
        name: &str,
        title: &str,
        values: Vec<String>,
        description: &str,
        get: impl Fn(&R) -> Cell + 'a,
    ) -> Self {
        self.field(
            name,
            title,
            Kind::String,
            description,
            Some(Constraints { values }),
            get,
        )
    }

    fn field(
        mut self,
        name: &str,
        title: &str,
        kind: Kind,
        description: &str,
        constraints: Option<Constraints>,
        get: impl Fn(&R) -> Cell + 'a,
    ) -> Self {
        self.fields.push(Field {
            name: name.to_string(),
            title: title.to_string(),
            kind,
            description: description.to_string(),
            constraints,
        });
        self.getters.push(Box::new(get));
        self
    }

    fn rows(&self, records: impl IntoIterator<Item = R>) -> Vec<Vec<Cell>> {
        records
            .into_iter()
            .map(|r| self.getters.iter().map(|g| g(&r)).collect())
            .collect()
    }
}

/// The area columns every record that belongs to an area starts with.
fn area_cols<'a, R: 'a>(
    c: Columns<'a, R>,
    p: &'a Portal,
    ix: &'a Index,
    id: fn(&R) -> &str,
) -> Columns<'a, R> {
    c.col(
        "area_id",
        "区域编号",
        Kind::String,
        "所属区域的编号，见数据集 areas",
        move |r| text(id(r)),
    )
    .col(
        "area_name",
        "区域名称",
        Kind::String,
        "所属区域的名称",
        move |r| {
            p.area(ix, id(r))
                .map_or(Cell::Empty, |a| text(&a.name.value))
        },
    )
}

/// Fund columns (万元, except labour days and the daily rate), shared by
/// programmes and projects.
fn fund_cols<'a, R: 'a>(c: Columns<'a, R>, funds: fn(&R) -> Option<&Funds>) -> Columns<'a, R> {
    let wan_desc = |what: &str| format!("{what}，单位：万元，精确小数，至少两位小数");
    let mut c = c
        .col(
            "total",
            "总投资",
            Kind::Number,
            &wan_desc("总投资"),
            move |r| funds(r).map_or(Cell::Empty, |f| money(f.total.value)),
        )
        .col(
            "villagers",
            "群众筹资投劳",
            Kind::Number,
            &wan_desc("群众筹资投劳合计（筹资 + 投劳折资）"),
            move |r| opt_money(funds(r).and_then(|f| f.villagers.as_ref())),
        )
        .col(
            "cash",
            "群众筹资",
            Kind::Number,
            &wan_desc("其中群众现金筹资"),
            move |r| opt_money(funds(r).and_then(|f| f.cash.as_ref())),
        )
        .col(
            "labour_days",
            "投劳工日",
            Kind::Integer,
            "群众投劳，单位：个工日",
            move |r| funds(r).map_or(Cell::Empty, |f| opt_uint(&f.labour_days)),
        )
        .col(
            "labour_rate",
            "投劳折资标准",
            Kind::Number,
            "每个工日折算的金额，单位：元/工日",
            move |r| funds(r).map_or(Cell::Empty, |f| opt_decimal(&f.labour_rate)),
        )
        .col(
            "labour_value",
            "投劳折资",
            Kind::Number,
            &wan_desc("其中投劳折资（工日 × 折资标准）"),
            move |r| opt_money(funds(r).and_then(|f| f.labour_value.as_ref())),
        )
        .col(
            "fiscal",
            "财政奖补",
            Kind::Number,
            &wan_desc("财政奖补合计（各级之和）"),
            move |r| opt_money(funds(r).and_then(|f| f.fiscal.as_ref())),
        );
    for &(key, level) in FiscalLevel::CHOICES {
        let zh = level.name_zh();
        c = c.col(
            &format!("fiscal_{key}"),
            &format!("财政奖补：{zh}"),
            Kind::Number,
            &wan_desc(&format!("其中{zh}财政奖补")),
            move |r| {
                let v = funds(r).and_then(|f| {
                    f.fiscal_levels
                        .iter()
                        .find(|(l, _)| *l == level)
                        .map(|(_, v)| v)
                });
                opt_money(v)
            },
        );
    }
    c.col(
        "fiscal_note",
        "财政资金说明",
        Kind::String,
        "财政资金的名称或说明",
        move |r| funds(r).map_or(Cell::Empty, |f| opt_text(&f.fiscal_note)),
    )
    .col(
        "social",
        "社会投入",
        Kind::Number,
        &wan_desc("社会投入"),
        move |r| opt_money(funds(r).and_then(|f| f.social.as_ref())),
    )
}

fn fk(field: &str, resource: &str, to: &str) -> ForeignKey {
    ForeignKey {
        fields: vec![field.to_string()],
        reference: Reference {
            resource: resource.to_string(),
            fields: vec![to.to_string()],
        },
    }
}

struct Meta {
    name: &'static str,
    title: &'static str,
    description: String,
    primary_key: &'static [&'static str],
    foreign_keys: Vec<ForeignKey>,
}

fn table<'a, R>(
    site: &PublicSite,
    meta: Meta,
    cols: Columns<'a, R>,
    records: impl IntoIterator<Item = R>,
) -> Table {
    let rows = cols.rows(records);
    Table {
        name: meta.name,
        title: meta.title,
        description: meta.description,
        schema: Schema {
            fields: cols.fields,
            missing_values: missing_values(site),
            primary_key: meta.primary_key.iter().map(|k| k.to_string()).collect(),
            foreign_keys: meta.foreign_keys,
        },
        rows,
    }
}

/// `""`, `<k` and `不公开`: what a cell holds when there is no figure to read.
fn missing_values(site: &PublicSite) -> Vec<String> {
    vec![
        String::new(),
        crate::messages::below_k(site.min_count()),
        WITHHELD.to_string(),
    ]
}

// ---------------------------------------------------------------------------
// The datasets

/// Every dataset, in the order the index lists them: each kind's, in the
/// order of [`RecordKind::CHOICES`].
pub fn tables(site: &PublicSite) -> Vec<Table> {
    let makers: Vec<fn(&PublicSite) -> Table> = RecordKind::CHOICES
        .iter()
        .flat_map(|&(_, kind)| tables_of(kind).iter().copied())
        .collect();
    makers.par_iter().map(|make| make(site)).collect()
}

/// The datasets that publish a kind of record. No catch-all: a new kind
/// does not compile until it says which tables publish it.
fn tables_of(kind: RecordKind) -> &'static [fn(&PublicSite) -> Table] {
    match kind {
        RecordKind::Area => &[areas],
        RecordKind::Programme => &[programmes, corrections],
        RecordKind::Project => &[projects, project_quantities],
        RecordKind::Progress => &[progress],
        RecordKind::Relapse => &[relapses],
        RecordKind::Exit => &[exits],
        RecordKind::Activity => &[activities],
        RecordKind::Milestone => &[milestones],
        // Listed in the check report (`checks.json`), not a dataset.
        RecordKind::PrivacyAck => &[],
        RecordKind::AreaYear => &[area_years],
    }
}

fn area_years(site: &PublicSite) -> Table {
    let p = site.portal();
    let ix = site.index();
    let cols = area_cols(Columns::<&AreaYear>::new(), p, ix, |y| &y.area.value)
        .col("year", "年度", Kind::Integer, "年度", |y| {
            Cell::Int(i64::from(y.year.value))
        })
        .col(
            "households",
            "户数",
            Kind::Integer,
            "该年度全部户籍户数，单位：户",
            |y| opt_uint(&y.households),
        )
        .col(
            "population",
            "人口",
            Kind::Integer,
            "该年度全部户籍人口，单位：人",
            |y| opt_uint(&y.population),
        )
        .col(
            "labourers",
            "劳动力",
            Kind::Integer,
            "该年度劳动力人数，单位：人",
            |y| opt_uint(&y.labourers),
        )
        .col(
            "farmland_mu",
            "耕地面积",
            Kind::Number,
            "该年度耕地面积，单位：亩",
            |y| opt_decimal(&y.farmland_mu),
        )
        .col("note", "说明", Kind::String, "变化的说明", |y| {
            opt_text(&y.note)
        })
        .col(
            "updated",
            "更新日期",
            Kind::Date,
            "这些数字最后一次修改的日期（记录或文件的 updated，或版本记录）",
            |y| {
                p.dates
                    .record(&y.updated, &y.span)
                    .map_or(Cell::Empty, |d| text(&d.to_string()))
            },
        );
    let meta = Meta {
        name: "area_years",
        title: "区域逐年数字",
        description: "各区域逐年的户数、人口、劳动力和耕地（户籍总数口径），每个区域每年一行。"
            .to_string(),
        primary_key: &["area_id", "year"],
        foreign_keys: vec![fk("area_id", "areas", "id")],
    };
    table(site, meta, cols, &p.area_years)
}

fn areas(site: &PublicSite) -> Table {
    let p = site.portal();
    let cols = Columns::<&Area>::new()
        .col("id", "编号", Kind::String, "区域编号", |a| {
            text(&a.id.value)
        })
        .col("name", "名称", Kind::String, "区域名称", |a| {
            text(&a.name.value)
        })
        .code(
            "level",
            "级别",
            keys_of(Level::CHOICES),
            "级别代码：county 县，township 乡，town 镇，village 行政村，group 村民小组",
            |a| text(a.level.value.key()),
        )
        .col(
            "level_name",
            "级别名称",
            Kind::String,
            "级别的中文名称",
            |a| text(a.level.value.name_zh()),
        )
        .col(
            "parent_id",
            "上级区域编号",
            Kind::String,
            "上级区域的编号；县为空",
            |a| opt_text(&a.parent),
        )
        .col(
            "households",
            "户数",
            Kind::Integer,
            "全部户籍户数，单位：户",
            |a| opt_uint(&a.households),
        )
        .col(
            "population",
            "人口",
            Kind::Integer,
            "全部户籍人口，单位：人",
            |a| opt_uint(&a.population),
        )
        .col(
            "labourers",
            "劳动力",
            Kind::Integer,
            "劳动力人数，单位：人",
            |a| opt_uint(&a.labourers),
        )
        .col(
            "farmland_mu",
            "耕地面积",
            Kind::Number,
            "耕地面积，单位：亩",
            |a| opt_decimal(&a.farmland_mu),
        )
        .col(
            "grain_per_capita_kg",
            "人均粮食",
            Kind::Number,
            "人均粮食产量，单位：公斤",
            |a| opt_decimal(&a.grain_per_capita_kg),
        );
    let meta = Meta {
        name: "areas",
        title: "区域",
        description:
            "县、乡镇、行政村和村民小组，及其户数、人口、劳动力、耕地和人均粮食（户籍总数口径）。"
                .to_string(),
        primary_key: &["id"],
        foreign_keys: vec![fk("parent_id", "", "id")],
    };
    table(site, meta, cols, &p.areas)
}

fn programmes(site: &PublicSite) -> Table {
    let p = site.portal();
    let ix = site.index();
    let stated = |name: &str, title: &str, unit: &str, get: fn(&Stated) -> &Option<At<u64>>| {
        (
            format!("stated_{name}"),
            format!("公布的{title}"),
            format!("计划公布的{title}，单位：{unit}"),
            get,
        )
    };
    let stated_fields = [
        stated("projects", "项目个数", "个", |s| &s.projects),
        stated("categories", "项目类别数", "类", |s| &s.categories),
        stated("townships", "覆盖乡镇数", "个", |s| &s.townships),
        stated("villages", "覆盖行政村数", "个", |s| &s.villages),
        stated("completed", "已完工项目数", "个", |s| &s.completed),
        stated("under_construction", "在建项目数", "个", |s| {
            &s.under_construction
        }),
        stated("not_started", "未开工项目数", "个", |s| {
            &s.not_started
        }),
        stated(
            "households",
            "参与农户数",
            "户（参与筹资投劳的户数，不是全部户数）",
            |s| &s.households,
        ),
        stated(
            "people",
            "参与人数",
            "人（参与筹资投劳的人数）",
            |s| &s.people,
        ),
        stated("labourers", "参与劳动力", "人", |s| &s.labourers),
        stated("beneficiaries", "受益人口", "人", |s| &s.beneficiaries),
    ];
    let mut cols = Columns::<&Programme>::new()
        .col("id", "编号", Kind::String, "项目计划编号", |g| {
            text(&g.id.value)
        })
        .col("name", "名称", Kind::String, "项目计划名称", |g| {
            text(&g.name.value)
        })
        .col(
            "kind",
            "类型",
            Kind::String,
            "项目计划类型，如一事一议财政奖补",
            |g| opt_text(&g.kind),
        )
        .col("year", "年度", Kind::Integer, "实施年度", |g| {
            Cell::Int(i64::from(g.year.value))
        });
    cols = area_cols(cols, p, ix, |g| &g.area.value)
        .col(
            "covers",
            "覆盖区域",
            Kind::String,
            "覆盖的区域编号，以英文分号分隔",
            |g| {
                if g.covers.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(
                        g.covers
                            .iter()
                            .map(|c| c.value.as_str())
                            .collect::<Vec<_>>()
                            .join(";"),
                    )
                }
            },
        )
        .col(
            "plan_id",
            "计划文稿",
            Kind::String,
            "计划文稿的编号（网站上的路径）",
            move |g| {
                g.plan
                    .as_ref()
                    .filter(|pl| ix.pages.contains_key(&pl.value))
                    .map_or(Cell::Empty, |pl| text(&pl.value))
            },
        );
    for (name, title, description, get) in stated_fields {
        cols = cols.col(&name, &title, Kind::Integer, &description, move |g| {
            opt_uint(get(&g.stated))
        });
    }
    let cols = fund_cols(cols, |g| g.funds.as_ref());
    let meta = Meta {
        name: "programmes",
        title: "项目计划",
        description: "项目计划（如一事一议财政奖补）：计划公布的汇总数字和资金来源。".to_string(),
        primary_key: &["id"],
        foreign_keys: vec![fk("area_id", "areas", "id")],
    };
    table(site, meta, cols, &p.programmes)
}

/// Stated figures that were corrected (更正): what the source stated, the
/// corrected value the other tables publish, when and why.
fn corrections(site: &PublicSite) -> Table {
    let p = site.portal();
    let cols = Columns::<(&Programme, &Correction)>::new()
        .col(
            "programme_id",
            "项目计划编号",
            Kind::String,
            "被更正数字所属的项目计划，见数据集 programmes",
            |(g, _)| text(&g.id.value),
        )
        .col(
            "field",
            "字段",
            Kind::String,
            "被更正的字段，如 stated_projects（公布的项目个数），与数据集 programmes 的列名相同",
            |(_, c)| text(&format!("stated_{}", c.field)),
        )
        .col(
            "stated",
            "原公布数",
            Kind::Integer,
            "原来公布的数字",
            |(_, c)| Cell::UInt(c.stated.value),
        )
        .col(
            "corrected",
            "更正后",
            Kind::Integer,
            "核对后更正的数字（数据集 programmes 中的数字）",
            |(_, c)| Cell::UInt(c.corrected.value),
        )
        .col(
            "date",
            "更正日期",
            Kind::Date,
            "更正的日期",
            |(_, c)| Cell::Text(c.date.value.to_string()),
        )
        .col(
            "reason",
            "更正理由",
            Kind::String,
            "更正的理由",
            |(_, c)| text(&c.reason.value),
        );
    let meta = Meta {
        name: "corrections",
        title: "更正记录",
        description: "原公布有误、经核对更正的数字：原公布数、更正后的数字、更正日期和理由。"
            .to_string(),
        primary_key: &["programme_id", "field"],
        foreign_keys: vec![fk("programme_id", "programmes", "id")],
    };
    let records = p
        .programmes
        .iter()
        .flat_map(|g| g.stated.corrections.iter().map(move |c| (g, c)));
    table(site, meta, cols, records)
}

fn status_cols<'a>(c: Columns<'a, &'a Project>) -> Columns<'a, &'a Project> {
    c.code(
        "status",
        "状态",
        keys_of(Status::CHOICES),
        "状态代码：completed 已完工，under_construction 在建，not_started 未开工",
        |j| {
            j.status
                .as_ref()
                .map_or(Cell::Empty, |s| text(key_of(Status::CHOICES, s.value)))
        },
    )
    .col(
        "status_name",
        "状态名称",
        Kind::String,
        "状态的中文名称",
        |j| {
            j.status
                .as_ref()
                .map_or(Cell::Empty, |s| text(s.value.name_zh()))
        },
    )
}

fn projects(site: &PublicSite) -> Table {
    let p = site.portal();
    let ix = site.index();
    let cols = Columns::<&Project>::new()
        .col("id", "编号", Kind::String, "项目编号", |j| {
            text(&j.id.value)
        })
        .col("name", "名称", Kind::String, "项目名称", |j| {
            text(&j.name.value)
        });
    let cols = area_cols(cols, p, ix, |j| &j.area.value)
        .col("year", "年度", Kind::Integer, "实施年度", |j| {
            Cell::Int(i64::from(j.year.value))
        })
        .col(
            "programme_id",
            "项目计划编号",
            Kind::String,
            "所属项目计划的编号，见数据集 programmes",
            |j| opt_text(&j.programme),
        )
        .col("category", "类别", Kind::String, "项目类别", |j| {
            text(&j.category.value)
        })
        .col(
            "count",
            "个数",
            Kind::Integer,
            "这一行代表的项目个数，单位：个",
            |j| Cell::UInt(j.count.value),
        );
    let cols = status_cols(cols).col(
        "beneficiaries",
        "受益人口",
        Kind::Integer,
        "受益人口，单位：人",
        |j| opt_uint(&j.beneficiaries),
    );
    let cols = fund_cols(cols, |j| Some(&j.funds));
    let meta = Meta {
        name: "projects",
        title: "项目",
        description:
            "每个项目（或代表多个同类项目的一行）的类别、个数、状态、受益人口和全部资金来源。"
                .to_string(),
        primary_key: &["id"],
        foreign_keys: vec![
            fk("area_id", "areas", "id"),
            fk("programme_id", "programmes", "id"),
        ],
    };
    table(site, meta, cols, &p.projects)
}

fn project_quantities(site: &PublicSite) -> Table {
    let p = site.portal();
    let cols = Columns::<(&Project, &Quantity)>::new()
        .col(
            "project_id",
            "项目编号",
            Kind::String,
            "项目编号，见数据集 projects",
            |(j, _)| text(&j.id.value),
        )
        .col(
            "what",
            "工程量",
            Kind::String,
            "工程量名称，如长度、面积",
            |(_, q)| text(&q.what.value),
        )
        .col(
            "value",
            "数量",
            Kind::Number,
            "数量，单位见 unit",
            |(_, q)| decimal(q.value.value),
        )
        .col(
            "unit",
            "单位",
            Kind::String,
            "数量的单位，如 km、m²、座",
            |(_, q)| text(&q.unit.value),
        );
    let meta = Meta {
        name: "project-quantities",
        title: "项目工程量",
        description: "项目的工程量（道路长度、硬化面积、座数等），每行一项。".to_string(),
        primary_key: &[],
        foreign_keys: vec![fk("project_id", "projects", "id")],
    };
    let records = p
        .projects
        .iter()
        .flat_map(|j| j.quantities.iter().map(move |q| (j, q)));
    table(site, meta, cols, records)
}

/// One row of a progress table: a record and one of its units.
struct ProgressRow<'a> {
    record: &'a PublicProgress,
    unit: &'static str,
    unit_zh: &'static str,
    tally: &'a PublicTally,
}

fn progress(site: &PublicSite) -> Table {
    let p = site.portal();
    let ix = site.index();
    let cols = area_cols(Columns::<ProgressRow>::new(), p, ix, |r| &r.record.area)
        .col("year", "年度", Kind::Integer, "年度", |r| {
            Cell::Int(i64::from(r.record.year))
        })
        .code(
            "kind",
            "进度类别",
            keys_of(ProgressKind::CHOICES),
            "类别代码：poverty 脱贫，relocation 易地扶贫搬迁，poor_villages 贫困村退出",
            |r| text(key_of(ProgressKind::CHOICES, r.record.kind)),
        )
        .col("label", "名称", Kind::String, "进度表的名称", |r| {
            text(r.record.label.as_deref().unwrap_or(r.record.kind.name_zh()))
        })
        .code(
            "unit",
            "单位",
            vec!["households".into(), "people".into(), "villages".into()],
            "households 户，people 人，villages 个村",
            |r| text(r.unit),
        )
        .col(
            "unit_name",
            "单位名称",
            Kind::String,
            "单位的中文名称",
            |r| text(r.unit_zh),
        )
        .code(
            "basis",
            "起始或目标",
            vec!["start".into(), "target".into()],
            "start：start 列为起始数；target：start 列为规划目标数",
            |r| text(if r.tally.is_target { "target" } else { "start" }),
        )
        .col(
            "start",
            "起始/目标",
            Kind::Integer,
            "起始数或规划目标数（见 basis）",
            |r| shown(r.tally.start),
        )
        .col("done", "已完成", Kind::Integer, "已完成数", |r| {
            shown(r.tally.done)
        })
        .col("remaining", "剩余", Kind::Integer, "剩余数", |r| {
            shown(r.tally.remaining)
        })
        .col(
            "this_year",
            "今年计划",
            Kind::Integer,
            "今年计划完成数",
            |r| shown(r.tally.this_year),
        )
        .col(
            "incidence_percent",
            "贫困发生率",
            Kind::Number,
            "贫困发生率，单位：%（整条记录的数字，在它的每一行重复）",
            |r| shown_percent(r.record.incidence),
        )
        .col(
            "housing_m2_per_person",
            "人均住房面积",
            Kind::Number,
            "搬迁人均住房面积，单位：平方米/人（整条记录的数字，在它的每一行重复）",
            |r| r.record.housing_m2_per_person.map_or(Cell::Empty, decimal),
        );
    let meta = Meta {
        name: "progress",
        title: "脱贫攻坚进度",
        description: format!(
            "脱贫、易地扶贫搬迁和贫困村退出进度，每条记录的每个单位（户、人、个村）一行。少于 {k} 的户数、人数写作 <{k}，可推算出它们的数字写作“不公开”。",
            k = site.min_count()
        ),
        primary_key: &[],
        foreign_keys: vec![fk("area_id", "areas", "id")],
    };
    let records = site.progress().iter().flat_map(|r| {
        [
            ("households", "户", &r.households),
            ("people", "人", &r.people),
            ("villages", "个村", &r.villages),
        ]
        .into_iter()
        .filter_map(move |(unit, unit_zh, t)| {
            t.as_ref().map(|tally| ProgressRow {
                record: r,
                unit,
                unit_zh,
                tally,
            })
        })
    });
    table(site, meta, cols, records)
}

fn relapses(site: &PublicSite) -> Table {
    let p = site.portal();
    let ix = site.index();
    let cols = area_cols(Columns::<&PublicRelapse>::new(), p, ix, |r| &r.area)
        .col("year", "年度", Kind::Integer, "年度", |r| {
            Cell::Int(i64::from(r.year))
        })
        .col(
            "households",
            "返贫户数",
            Kind::Integer,
            "返贫户数，单位：户",
            |r| shown(r.households),
        )
        .col(
            "people",
            "返贫人数",
            Kind::Integer,
            "返贫人数，单位：人",
            |r| shown(r.people),
        )
        .col(
            "rate_percent",
            "返贫率",
            Kind::Number,
            "返贫率，单位：%",
            |r| shown_percent(r.rate),
        );
    let meta = Meta {
        name: "relapses",
        title: "返贫情况",
        description: format!(
            "各区域各年度的返贫户数、人数和返贫率。少于 {k} 的户数、人数写作 <{k}，可推算出它们的数字写作“不公开”。",
            k = site.min_count()
        ),
        primary_key: &[],
        foreign_keys: vec![fk("area_id", "areas", "id")],
    };
    table(site, meta, cols, site.relapses())
}

fn exits(site: &PublicSite) -> Table {
    let p = site.portal();
    let ix = site.index();
    let mut cols = area_cols(Columns::<&Exit>::new(), p, ix, |e| &e.area.value)
        .col("year", "年度", Kind::Integer, "年度", |e| {
            Cell::Int(i64::from(e.year.value))
        })
        .code(
            "status",
            "退出状态",
            keys_of(ExitStatus::CHOICES),
            "状态代码：exited 已退出，planned 计划退出，not_yet 未退出",
            |e| text(key_of(ExitStatus::CHOICES, e.status.value)),
        )
        .col(
            "status_name",
            "退出状态名称",
            Kind::String,
            "状态的中文名称",
            |e| text(e.status.value.name_zh()),
        );
    let mut taken: Vec<String> = cols.fields.iter().map(|f| f.name.clone()).collect();
    taken.push("note".into());
    // A column name for an indicator: its key, prefixed when that is taken.
    let mut name_for = |base: String| {
        let name = if taken.contains(&base) {
            format!("indicator_{base}")
        } else {
            base
        };
        taken.push(name.clone());
        name
    };
    for ind in &p.config.exit_indicators {
        let key = ind.key.as_str();
        let value = move |e: &&Exit| {
            e.indicators
                .iter()
                .find(|(k, _)| k.value == key)
                .map(|(_, v)| v.value)
        };
        match ind.below {
            None => {
                let description = format!("{}：true 达到，false 未达到", ind.name);
                cols = cols.col(
                    &name_for(ind.key.clone()),
                    &ind.name,
                    Kind::Boolean,
                    &description,
                    move |e| match value(e) {
                        Some(IndicatorValue::Met(b)) => Cell::Bool(b),
                        Some(IndicatorValue::Percent(v)) => Cell::Dec(v.normalize().to_string()),
                        None => Cell::Empty,
                    },
                );
            }
            // A percentage, and whether it is below its limit. The gate turns a
            // percentage that would give back a small count into met / not
            // met: its figure is then 不公开.
            Some(limit) => {
                let limit_text = limit.normalize();
                let description = format!(
                    "{}：填报的数值，单位：%，须低于 {limit_text}%；可能推算出少于 k 的人数时为“不公开”",
                    ind.name
                );
                cols = cols.col(
                    &name_for(ind.key.clone()),
                    &format!("{}：数值", ind.name),
                    Kind::Number,
                    &description,
                    move |e| match value(e) {
                        Some(IndicatorValue::Percent(v)) => Cell::Dec(v.normalize().to_string()),
                        Some(IndicatorValue::Met(_)) => text(WITHHELD),
                        None => Cell::Empty,
                    },
                );
                let description = format!(
                    "{}：是否达到（数值低于 {limit_text}%）：true 达到，false 未达到",
                    ind.name
                );
                let title = format!("{}：是否达到", ind.name);
                cols = cols.col(
                    &name_for(format!("{}_met", ind.key)),
                    &title,
                    Kind::Boolean,
                    &description,
                    move |e| match value(e) {
                        Some(IndicatorValue::Percent(v)) => Cell::Bool(v < limit),
                        Some(IndicatorValue::Met(b)) => Cell::Bool(b),
                        None => Cell::Empty,
                    },
                );
            }
        }
    }
    let cols = cols.col("note", "说明", Kind::String, "说明", |e| {
        opt_text(&e.note)
    });
    let meta = Meta {
        name: "exits",
        title: "贫困村退出指标",
        description: "贫困村各年度的退出状态和每项退出指标（默认为“四通四有一无一低”）。"
            .to_string(),
        primary_key: &[],
        foreign_keys: vec![fk("area_id", "areas", "id")],
    };
    table(site, meta, cols, &p.exits)
}

fn activities(site: &PublicSite) -> Table {
    let p = site.portal();
    let ix = site.index();
    let cols = Columns::<&Activity>::new().col("id", "编号", Kind::String, "活动编号", |a| {
        text(&a.id.value)
    });
    let cols = area_cols(cols, p, ix, |a| &a.area.value)
        .col("year", "年度", Kind::Integer, "年度", |a| Cell::Int(i64::from(a.year.value)))
        .code("kind", "类别", keys_of(ActivityKind::CHOICES), "类别代码：culture 文化，sports 体育，party 党建", |a| {
            text(key_of(ActivityKind::CHOICES, a.kind.value))
        })
        .col("kind_name", "类别名称", Kind::String, "类别的中文名称", |a| text(a.kind.value.name_zh()))
        .col("name", "活动", Kind::String, "活动名称", |a| text(&a.name.value))
        .col("team", "队伍", Kind::String, "开展活动的队伍", |a| opt_text(&a.team))
        .code(
            "frequency",
            "频次",
            keys_of(Frequency::CHOICES),
            "频次代码：daily 每天，weekly 每周，monthly 每月，quarterly 每季度，yearly 每年，once 一次",
            |a| a.frequency.as_ref().map_or(Cell::Empty, |f| text(key_of(Frequency::CHOICES, f.value))),
        )
        .col("frequency_name", "频次名称", Kind::String, "频次的中文名称", |a| {
            a.frequency.as_ref().map_or(Cell::Empty, |f| text(f.value.name_zh()))
        })
        .col("planned", "计划次数", Kind::Integer, "全年计划开展次数，单位：次", |a| opt_uint(&a.planned))
        .col("held", "已开展次数", Kind::Integer, "已开展次数，单位：次", |a| opt_uint(&a.held))
        .col("date", "日期", Kind::Date, "举办日期（一次性活动）", |a| {
            a.date.as_ref().map_or(Cell::Empty, |d| Cell::Text(d.value.to_string()))
        })
        .col("participants", "参与人数", Kind::Integer, "参与人数合计，单位：人次", |a| opt_uint(&a.participants));
    let meta = Meta {
        name: "activities",
        title: "文化体育和党建活动",
        description: "各村文化、体育和党建活动的计划次数和已开展次数（只有次数，不含名单）。"
            .to_string(),
        primary_key: &["id"],
        foreign_keys: vec![fk("area_id", "areas", "id")],
    };
    table(site, meta, cols, &p.activities)
}

fn milestones(site: &PublicSite) -> Table {
    let p = site.portal();
    let ix = site.index();
    let plan_title = move |m: &&Milestone| {
        ix.pages
            .get(&m.plan.value)
            .map_or(Cell::Empty, |&i| text(&p.pages[i].title.value))
    };
    let cols = Columns::<&Milestone>::new()
        .col(
            "plan_id",
            "计划文稿编号",
            Kind::String,
            "计划文稿的编号（网站上的路径）",
            |m| text(&m.plan.value),
        )
        .col(
            "plan_title",
            "计划文稿",
            Kind::String,
            "计划文稿的标题",
            plan_title,
        )
        .col(
            "label",
            "工作节点",
            Kind::String,
            "要完成的工作",
            |m| text(&m.label.value),
        )
        .col(
            "due",
            "时间",
            Kind::String,
            "计划写的时间，如 3月中旬（上旬 1–10 日，中旬 11–20 日，下旬 21 日至月末）",
            |m| text(&m.due.value.display_zh()),
        )
        .col(
            "due_start",
            "开始日期",
            Kind::Date,
            "时间段的第一天",
            |m| Cell::Text(m.due.value.start().to_string()),
        )
        .col(
            "deadline",
            "截止日期",
            Kind::Date,
            "时间段的最后一天，即截止日期",
            |m| Cell::Text(m.due.value.end().to_string()),
        );
    let meta = Meta {
        name: "milestones",
        title: "计划时间节点",
        description: "计划文稿中的时间节点，时间按计划的写法（如 3月中旬）并给出起止日期。"
            .to_string(),
        primary_key: &[],
        foreign_keys: Vec::new(),
    };
    // Only the milestones of published plans (a draft's are not on any page).
    let records = p
        .milestones
        .iter()
        .filter(|m| ix.pages.contains_key(&m.plan.value));
    table(site, meta, cols, records)
}

// ---------------------------------------------------------------------------
// Files, the package and the index

/// The files of the downloads, and the context of their index page.
pub struct Downloads {
    pub files: Vec<OutputFile>,
    /// `datasets` and `package` for `data.html`.
    pub index: Map<String, Value>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A file as the index page lists it.
fn file_view(path: &str, bytes: &[u8], sha256: &str) -> Value {
    json!({
        "file": path.rsplit('/').next().unwrap_or(path),
        "url": relative_url(INDEX_PATH, path),
        "bytes": bytes.len(),
        "bytes_text": count(bytes.len() as u64),
        "sha256": sha256,
    })
}

#[derive(Serialize)]
struct Dialect {
    delimiter: &'static str,
    #[serde(rename = "lineTerminator")]
    line_terminator: &'static str,
    #[serde(rename = "quoteChar")]
    quote_char: &'static str,
    #[serde(rename = "doubleQuote")]
    double_quote: bool,
    header: bool,
}

#[derive(Serialize)]
struct Resource<'a> {
    name: String,
    path: String,
    profile: &'static str,
    title: String,
    description: &'a str,
    format: &'static str,
    mediatype: &'static str,
    encoding: &'static str,
    bytes: usize,
    hash: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    dialect: Option<Dialect>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<&'a Schema>,
}

#[derive(Serialize)]
struct Package<'a> {
    profile: &'static str,
    name: String,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    homepage: Option<&'a str>,
    resources: Vec<Resource<'a>>,
}

/// A table's CSV and JSON files, each with its sha256.
type Encoded = [(Vec<u8>, String); 2];

fn encode(t: &Table) -> Encoded {
    [t.to_csv(), t.to_json()].map(|bytes| {
        let hash = sha256_hex(&bytes);
        (bytes, hash)
    })
}

/// What [`build_cached`] keeps between rebuilds: the last tables with their
/// files.
#[derive(Default)]
pub struct Cache(Vec<(Table, Encoded)>);

/// Every download, `datapackage.json`, and the index page's context.
pub fn build(site: &PublicSite) -> Downloads {
    let tables = tables(site);
    let encoded: Vec<Encoded> = tables.par_iter().map(encode).collect();
    assemble(site, &tables, encoded)
}

/// [`build`], reusing the files of every table equal (schema, description
/// and every cell) to the one `cache` kept; gives the same bytes.
pub fn build_cached(site: &PublicSite, cache: &mut Cache) -> Downloads {
    let tables = tables(site);
    let encoded: Vec<Encoded> = tables
        .par_iter()
        .enumerate()
        .map(|(i, t)| match cache.0.get(i) {
            Some((old, files)) if old == t => files.clone(),
            _ => encode(t),
        })
        .collect();
    let downloads = assemble(site, &tables, encoded.clone());
    cache.0 = tables.into_iter().zip(encoded).collect();
    downloads
}

fn assemble(site: &PublicSite, tables: &[Table], encoded: Vec<Encoded>) -> Downloads {
    let config = &site.portal().config;
    let mut files = Vec::new();
    let mut resources = Vec::new();
    let mut datasets = Vec::new();
    for (t, [(csv, csv_hash), (json, json_hash)]) in tables.iter().zip(encoded) {
        let fields: Vec<Value> = t
            .schema
            .fields
            .iter()
            .map(|f| json!({"name": f.name, "title": f.title, "type": f.kind.name_zh(), "description": f.description}))
            .collect();
        datasets.push(json!({
            "name": t.name,
            "title": t.title,
            "description": t.description,
            "rows": t.rows.len(),
            "csv": file_view(&t.csv_path(), &csv, &csv_hash),
            "json": file_view(&t.json_path(), &json, &json_hash),
            "fields": fields,
        }));
        resources.push(Resource {
            name: t.name.to_string(),
            path: t.csv_path(),
            profile: "tabular-data-resource",
            title: t.title.to_string(),
            description: &t.description,
            format: "csv",
            mediatype: "text/csv",
            encoding: "utf-8",
            bytes: csv.len(),
            hash: format!("sha256:{csv_hash}"),
            dialect: Some(Dialect {
                delimiter: ",",
                line_terminator: "\r\n",
                quote_char: "\"",
                double_quote: true,
                header: true,
            }),
            schema: Some(&t.schema),
        });
        resources.push(Resource {
            name: format!("{}-json", t.name),
            path: t.json_path(),
            profile: "data-resource",
            title: format!("{}（JSON）", t.title),
            description: &t.description,
            format: "json",
            mediatype: "application/json",
            encoding: "utf-8",
            bytes: json.len(),
            hash: format!("sha256:{json_hash}"),
            dialect: None,
            schema: None,
        });
        files.push(OutputFile {
            path: t.csv_path(),
            bytes: csv,
        });
        files.push(OutputFile {
            path: t.json_path(),
            bytes: json,
        });
    }
    let package = Package {
        profile: "data-package",
        // Ids are lowercase ASCII letters, digits and hyphens: a valid name.
        name: format!("cunwu-{}", config.county.value),
        title: &config.title,
        description: config.description.as_deref(),
        homepage: config.base_url.as_deref().filter(|u| !u.is_empty()),
        resources,
    };
    let mut package_bytes = serde_json::to_vec_pretty(&package).unwrap_or_default();
    package_bytes.push(b'\n');
    let mut index = Map::new();
    index.insert("datasets".into(), Value::Array(datasets));
    let package_hash = sha256_hex(&package_bytes);
    index.insert(
        "package".into(),
        file_view(PACKAGE_PATH, &package_bytes, &package_hash),
    );
    index.insert("missing_values".into(), json!(missing_values(site)));
    index.insert("min_count".into(), json!(site.min_count()));
    files.push(OutputFile {
        path: PACKAGE_PATH.into(),
        bytes: package_bytes,
    });
    Downloads { files, index }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(csv_field("下龙井村"), "下龙井村");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("说\"好\""), "\"说\"\"好\"\"\"");
        assert_eq!(csv_field("一\r\n二"), "\"一\r\n二\"");
        assert_eq!(csv_field(""), "");
    }

    #[test]
    fn money_has_two_decimals_and_no_separators() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(money(d("1011")), Cell::Dec("1011.00".into()));
        assert_eq!(money(d("899.040")), Cell::Dec("899.04".into()));
        assert_eq!(money(d("1234567.5")), Cell::Dec("1234567.50".into()));
        assert_eq!(money(d("0.125")), Cell::Dec("0.125".into()));
        assert_eq!(decimal(d("94.50")), Cell::Dec("94.5".into()));
        assert_eq!(shown(Some(Shown::Below(5))), Cell::Text("<5".into()));
        assert_eq!(shown(Some(Shown::Withheld)), Cell::Text("不公开".into()));
        assert_eq!(
            shown_percent(Some(Shown::Value(d("0.940")))),
            Cell::Dec("0.94".into())
        );
    }

    #[test]
    fn json_cells_keep_decimals_as_strings() {
        let cells = [
            Cell::Dec("899.04".into()),
            Cell::UInt(39979),
            Cell::Empty,
            Cell::Bool(true),
            Cell::Text("<5".into()),
        ];
        let s = serde_json::to_string(&cells).unwrap();
        assert_eq!(s, r#"["899.04",39979,null,true,"<5"]"#);
    }
}
