//! Spreadsheets under `data/` (`.xlsx`, `.xlsm`, `.xls`, `.ods`, `.csv`):
//! each sheet holds one kind of record, a header row of column names
//! (Chinese names or field codes) and one record a row.
//!
//! A sheet is turned into *the reading of the sheet*: a TOML text with one
//! line per non-empty cell, each line ending with the cell it came from
//! (`funds.total = 16.30 # 项目!F7`). That text is the file's source: the
//! same TOML reader, checks and privacy gate run over it as over a `.toml`
//! file, every finding points at a line of it, and [`cell_of_line`] names
//! the cell (`项目!F7`) wherever findings are printed. Cells the reader does
//! not take (unknown or personal columns, sheets refused whole) are kept as
//! comment lines, so the gate still scans every cell.
//!
//! Numbers stay exact: a number cell holds an `f64`, written out as its
//! shortest round-trip text (what the clerk typed, at most 15 significant
//! digits as spreadsheets keep), padded to the decimals of the cell's number
//! format (`0.00` → `16.30`) where the workbook says it (`.xlsx`); CSV cells
//! are read as the text they are. Nothing is summed here.
//!
//! Problems of the sheet itself (an unreadable workbook, a sheet or column
//! cunwu does not know, a missing required column, personal columns) are
//! written as `#!` lines into the reading, and [`issues`] turns them into
//! findings: the reading stays the one thing kept per file, so the preview
//! re-reads a changed workbook like any other data file.

use std::fmt::Write as _;
use std::io::Cursor;

use calamine::{Data, Reader};

use crate::diag::Diagnostic;
use crate::messages::Msg;
use crate::model::{ExitIndicator, FiscalLevel, RecordKind};
use crate::rule::RuleId;

use super::toml_reader::Ctx;

/// The extensions read as spreadsheets (lowercase).
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "csv"];

/// Whether `name` (a path or file name) is a spreadsheet cunwu reads.
pub fn is_sheet(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// What a column's cells are read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    Id,
    /// A list of ids or words: `a、b、c` (also `,` `，` `;` `；` or one a line).
    List,
    Count,
    Amount,
    Date,
    /// A milestone's due time: a date or words (`2020年3月中旬`).
    Due,
    /// Yes/no, or a percentage (exit indicators).
    Flag,
}

/// One column a sheet of a kind may have.
#[derive(Debug, Clone)]
pub struct Col {
    /// The field path in the TOML model: `funds.total`.
    pub path: String,
    /// Chinese names; the first, with its unit, heads the template.
    pub names: Vec<String>,
    pub ty: Ty,
    pub required: bool,
}

fn col(path: &str, names: &[&str], ty: Ty) -> Col {
    Col {
        path: path.to_string(),
        names: names.iter().map(|n| n.to_string()).collect(),
        ty,
        required: false,
    }
}

fn req(path: &str, names: &[&str], ty: Ty) -> Col {
    Col {
        required: true,
        ..col(path, names, ty)
    }
}

/// The sheet names (and CSV file names) of each kind: the Chinese name
/// first (the template's sheet name), then synonyms. The code (`project`)
/// and its plural are accepted too.
pub const SHEET_NAMES: &[(RecordKind, &[&str])] = &[
    (RecordKind::Area, &["地区", "区域", "行政区域"]),
    (
        RecordKind::Programme,
        &["计划", "项目计划", "一事一议", "programmes"],
    ),
    (RecordKind::Project, &["项目", "projects"]),
    (RecordKind::Progress, &["进度", "脱贫进度"]),
    (RecordKind::Relapse, &["返贫", "relapses"]),
    (RecordKind::Exit, &["退出", "贫困村退出", "exits"]),
    (RecordKind::Activity, &["活动", "activities"]),
    (RecordKind::Milestone, &["节点", "时间节点", "milestones"]),
    (RecordKind::PrivacyAck, &["隐私确认", "privacy_acks"]),
    (
        RecordKind::AreaYear,
        &["逐年数字", "地区逐年", "area_years"],
    ),
];

/// Sheets a workbook may hold besides data: instructions for the clerk.
const NOTE_SHEETS: &[&str] = &["说明", "填写说明", "readme"];

/// The kind a sheet (or CSV file stem) named `name` holds.
pub fn kind_of_sheet(name: &str) -> Option<RecordKind> {
    let n = name.trim().to_lowercase();
    let n = n.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
    if let Some(k) = RecordKind::from_key(n) {
        return Some(k);
    }
    if n == "areas" {
        return Some(RecordKind::Area);
    }
    SHEET_NAMES
        .iter()
        .find(|(_, names)| names.contains(&n))
        .map(|(k, _)| *k)
}

/// The Chinese name of a kind's sheet (`项目`).
pub fn sheet_name(kind: RecordKind) -> &'static str {
    SHEET_NAMES
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("", |(_, names)| names[0])
}

fn notice_cols(out: &mut Vec<Col>) {
    out.push(col("notice.start", &["公示开始日期", "公示开始"], Ty::Date));
    out.push(col("notice.end", &["公示结束日期", "公示结束"], Ty::Date));
}

fn fund_cols(out: &mut Vec<Col>, total_required: bool) {
    let total = ["总投资（万元）", "合计", "总额", "投资总额"];
    out.push(if total_required {
        req("funds.total", &total, Ty::Amount)
    } else {
        col("funds.total", &total, Ty::Amount)
    });
    out.push(col(
        "funds.villagers",
        &["群众投入（万元）", "群众筹资筹劳"],
        Ty::Amount,
    ));
    out.push(col("funds.cash", &["群众筹资（万元）", "筹资"], Ty::Amount));
    out.push(col(
        "funds.labour_days",
        &["筹劳工日", "投劳工日", "工日"],
        Ty::Count,
    ));
    out.push(col(
        "funds.labour_rate",
        &["工日单价（元）", "劳务单价"],
        Ty::Amount,
    ));
    out.push(col(
        "funds.labour_value",
        &["筹劳折资（万元）", "投劳折资"],
        Ty::Amount,
    ));
    out.push(col("funds.fiscal", &["财政奖补（万元）"], Ty::Amount));
    for (code, level) in FiscalLevel::CHOICES {
        let name = format!("{}奖补（万元）", level.name_zh());
        out.push(Col {
            path: format!("funds.fiscal_levels.{code}"),
            names: vec![name],
            ty: Ty::Amount,
            required: false,
        });
    }
    out.push(col("funds.fiscal_note", &["财政奖补说明"], Ty::Str));
    out.push(col(
        "funds.social",
        &["社会投入（万元）", "其他投入"],
        Ty::Amount,
    ));
}

fn tally_cols(out: &mut Vec<Col>, what: &str, zh: &str) {
    for (part, word) in [
        ("start", "起始"),
        ("target", "目标"),
        ("done", "已完成"),
        ("remaining", "剩余"),
        ("this_year", "今年计划"),
    ] {
        out.push(Col {
            path: format!("{what}.{part}"),
            names: vec![format!("{word}{zh}")],
            ty: Ty::Count,
            required: false,
        });
    }
}

/// Every column a sheet of `kind` may have, in template order.
pub fn columns(kind: RecordKind) -> Vec<Col> {
    let mut c = Vec::new();
    match kind {
        RecordKind::Area => {
            c.push(req("id", &["编号"], Ty::Id));
            c.push(req("name", &["名称"], Ty::Str));
            c.push(req("level", &["级别"], Ty::Str));
            c.push(col("parent", &["上级编号", "上级"], Ty::Id));
            c.push(col("households", &["户数"], Ty::Count));
            c.push(col("population", &["人口", "人数"], Ty::Count));
            c.push(col("labourers", &["劳动力"], Ty::Count));
            c.push(col("farmland_mu", &["耕地（亩）", "耕地面积"], Ty::Amount));
            c.push(col(
                "grain_per_capita_kg",
                &["人均粮食（公斤）", "人均产粮"],
                Ty::Amount,
            ));
            c.push(col("tags", &["标签"], Ty::List));
            c.push(col("summary", &["简介"], Ty::Str));
            notice_cols(&mut c);
        }
        RecordKind::Programme => {
            c.push(req("id", &["编号"], Ty::Id));
            c.push(req("name", &["名称"], Ty::Str));
            c.push(req("year", &["年度", "年份"], Ty::Count));
            c.push(req("area", &["地区编号", "地区"], Ty::Id));
            c.push(col("kind", &["类型"], Ty::Str));
            c.push(col("covers", &["覆盖地区"], Ty::List));
            c.push(col("plan", &["方案"], Ty::Str));
            c.push(col("summary", &["简介"], Ty::Str));
            for (code, zh) in [
                ("projects", "上报项目数"),
                ("categories", "上报类别数"),
                ("townships", "上报乡镇数"),
                ("villages", "上报村数"),
                ("completed", "上报已完工数"),
                ("under_construction", "上报在建数"),
                ("not_started", "上报未开工数"),
                ("households", "参与户数"),
                ("people", "参与人数"),
                ("labourers", "参与劳动力"),
                ("beneficiaries", "受益人数"),
            ] {
                c.push(col(&format!("stated.{code}"), &[zh], Ty::Count));
            }
            fund_cols(&mut c, false);
            notice_cols(&mut c);
        }
        RecordKind::Project => {
            c.push(req("id", &["编号"], Ty::Id));
            c.push(req("name", &["名称", "项目名称"], Ty::Str));
            c.push(req("area", &["地区编号", "地区"], Ty::Id));
            c.push(req("year", &["年度", "年份"], Ty::Count));
            c.push(req("category", &["类别"], Ty::Str));
            c.push(col("count", &["个数", "数量"], Ty::Count));
            c.push(col("programme", &["计划编号", "所属计划"], Ty::Id));
            c.push(col("status", &["状态", "进度"], Ty::Str));
            c.push(col("beneficiaries", &["受益人数"], Ty::Count));
            c.push(col("outcomes", &["成效"], Ty::List));
            c.push(col("summary", &["简介"], Ty::Str));
            fund_cols(&mut c, true);
            notice_cols(&mut c);
        }
        RecordKind::Progress => {
            c.push(req("area", &["地区编号", "地区"], Ty::Id));
            c.push(req("year", &["年度", "年份"], Ty::Count));
            c.push(req("kind", &["类型"], Ty::Str));
            c.push(col("label", &["名称"], Ty::Str));
            c.push(col("incidence", &["贫困发生率（%）"], Ty::Amount));
            c.push(col(
                "housing_m2_per_person",
                &["人均住房面积（平方米）"],
                Ty::Amount,
            ));
            tally_cols(&mut c, "households", "户数");
            tally_cols(&mut c, "people", "人数");
            tally_cols(&mut c, "villages", "村数");
        }
        RecordKind::Relapse => {
            c.push(req("area", &["地区编号", "地区"], Ty::Id));
            c.push(req("year", &["年度", "年份"], Ty::Count));
            c.push(col("households", &["返贫户数"], Ty::Count));
            c.push(col("people", &["返贫人数"], Ty::Count));
            c.push(col("rate", &["返贫率（%）"], Ty::Amount));
        }
        RecordKind::Exit => {
            c.push(req("area", &["地区编号", "地区"], Ty::Id));
            c.push(req("year", &["年度", "年份"], Ty::Count));
            c.push(req("status", &["状态"], Ty::Str));
            c.push(col("note", &["说明"], Ty::Str));
            for i in ExitIndicator::default_set() {
                c.push(Col {
                    path: format!("indicators.{}", i.key),
                    names: vec![i.name],
                    ty: Ty::Flag,
                    required: false,
                });
            }
        }
        RecordKind::AreaYear => {
            c.push(req("area", &["地区编号", "地区"], Ty::Id));
            c.push(req("year", &["年度", "年份"], Ty::Count));
            c.push(col("households", &["户数"], Ty::Count));
            c.push(col("population", &["人口", "人数"], Ty::Count));
            c.push(col("labourers", &["劳动力"], Ty::Count));
            c.push(col("farmland_mu", &["耕地（亩）", "耕地面积"], Ty::Amount));
            c.push(col("note", &["说明", "备注"], Ty::Str));
            c.push(col("updated", &["更新日期"], Ty::Date));
        }
        RecordKind::Activity => {
            c.push(req("id", &["编号"], Ty::Id));
            c.push(req("area", &["地区编号", "地区"], Ty::Id));
            c.push(req("year", &["年度", "年份"], Ty::Count));
            c.push(req("kind", &["类型"], Ty::Str));
            c.push(req("name", &["名称"], Ty::Str));
            c.push(col("team", &["队伍"], Ty::Str));
            c.push(col("frequency", &["频次"], Ty::Str));
            c.push(col("planned", &["计划次数"], Ty::Count));
            c.push(col("held", &["已开展次数"], Ty::Count));
            c.push(col("date", &["日期"], Ty::Date));
            c.push(col("participants", &["参加人数"], Ty::Count));
            c.push(col("summary", &["简介"], Ty::Str));
        }
        RecordKind::Milestone => {
            c.push(req("plan", &["方案"], Ty::Str));
            c.push(req("label", &["事项"], Ty::Str));
            c.push(col("year", &["年度", "年份"], Ty::Count));
            c.push(req("due", &["时间", "完成时间"], Ty::Due));
        }
        RecordKind::PrivacyAck => {
            c.push(req("value", &["数值"], Ty::Str));
            c.push(req("reason", &["理由"], Ty::Str));
        }
    }
    c
}

/// A header as compared: no spaces, no `*`, no unit in brackets, lowercase.
fn header_norm(h: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in h.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            '*' | '＊' => {}
            c if c.is_whitespace() => {}
            c if depth == 0 => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

/// The column of `kind` a header names: a Chinese name or the field code.
/// Exit indicators the portal configures beyond the default set are
/// written by code (`indicators.drinking_water`).
fn column_for(kind: RecordKind, cols: &[Col], header: &str) -> Option<Col> {
    let h = header_norm(header);
    if h.is_empty() {
        return None;
    }
    if let Some(c) = cols
        .iter()
        .find(|c| c.path == h || c.names.iter().any(|n| header_norm(n) == h))
    {
        return Some(c.clone());
    }
    let key = h.strip_prefix("indicators.")?;
    (kind == RecordKind::Exit && super::toml_reader::is_id(&key.replace('_', "-"))).then(|| Col {
        path: h.clone(),
        names: vec![header.to_string()],
        ty: Ty::Flag,
        required: false,
    })
}

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number, as the exact decimal text it stands for, and the decimals
    /// its number format shows (amount columns are padded to them).
    Number(String, Option<u32>),
    Bool(bool),
    /// A date cell, `YYYY-MM-DD`.
    Date(String),
}

impl Cell {
    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, for the privacy checks and comments.
    fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n, _) | Cell::Date(n) => n.clone(),
            Cell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        }
    }
}

/// One sheet: its name and rows of cells, row 0 the header.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub name: String,
    /// The spreadsheet row and column of `rows[0][0]` (0-based).
    pub origin: (u32, u32),
    pub rows: Vec<Vec<Cell>>,
}

/// `A`, `B`, … `Z`, `AA` for a 0-based column.
pub fn column_letters(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The decimal text of a number cell: its shortest round-trip text, cut to
/// the 15 significant digits a spreadsheet keeps (so a formula's
/// `0.30000000000000004` reads as `0.3`), padded to `scale` decimals.
pub fn number_text(f: f64, scale: Option<u32>) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let mut d = match rust_decimal::Decimal::from_str_exact(&f.to_string()) {
        Ok(d) => d,
        Err(_) => return f.to_string(),
    };
    let digits = d.mantissa().unsigned_abs().to_string().len() as u32;
    if digits > 15 {
        let int_digits = digits.saturating_sub(d.scale());
        let keep = 15u32.saturating_sub(int_digits);
        d = d.round_dp(keep).normalize();
    }
    if let Some(s) = scale
        && d.scale() < s
    {
        d.rescale(s);
    }
    d.to_string()
}

/// `n` with at least `scale` decimals: `16.3` at 2 is `16.30`.
fn pad(n: &str, scale: u32) -> String {
    match rust_decimal::Decimal::from_str_exact(n) {
        Ok(mut d) if d.scale() < scale => {
            d.rescale(scale);
            d.to_string()
        }
        _ => n.to_string(),
    }
}

/// A sheet's number formats: the decimals of each cell's format, where the
/// workbook says it (`.xlsx`: `0.00` gives 2).
type Scales = std::collections::HashMap<(u32, u32), u32>;

/// Reads a workbook's sheets. A CSV file is one sheet named after the file.
fn read_grids(name: &str, bytes: &[u8]) -> Result<Vec<Grid>, String> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "csv" {
        let stem = file_stem(name);
        return read_csv(&stem, bytes).map(|g| vec![g]);
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| e.to_string())?;
    let names = book.sheet_names();
    let mut out = Vec::new();
    for sheet in names {
        let range = book.worksheet_range(&sheet).map_err(|e| e.to_string())?;
        let scales = if ext == "xlsx" || ext == "xlsm" {
            xlsx_scales(bytes, &sheet)
        } else {
            Scales::new()
        };
        let origin = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .map(|(c, d)| {
                        let at = (origin.0 + r as u32, origin.1 + c as u32);
                        cell_of(d, scales.get(&at).copied())
                    })
                    .collect()
            })
            .collect();
        out.push(Grid {
            name: sheet,
            origin,
            rows,
        });
    }
    Ok(out)
}

fn cell_of(d: &Data, scale: Option<u32>) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(i.to_string(), scale),
        Data::Float(f) => Cell::Number(number_text(*f, None), scale),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                Cell::Date(format!("{y:04}-{m:02}-{d:02}"))
            } else {
                Cell::Number(number_text(dt.as_f64(), None), scale)
            }
        }
        Data::DateTimeIso(s) => Cell::Date(s.split('T').next().unwrap_or(s).to_string()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

fn file_stem(name: &str) -> String {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.rsplit_once('.').map_or(file, |(s, _)| s).to_string()
}

/// The text of a CSV file: UTF-8 (a BOM dropped) when it is, otherwise GBK
/// (GB 18030), as Excel and WPS save "CSV" on Chinese Windows.
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

fn read_csv(stem: &str, bytes: &[u8]) -> Result<Grid, String> {
    let text = decode_text(bytes);
    // A file of tab-separated lines is read so too.
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        rows.push(
            record
                .iter()
                .map(|c| {
                    if c.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(c.to_string())
                    }
                })
                .collect(),
        );
    }
    // The kind is named by the file: `项目.csv`, `下龙井村-项目.csv`.
    let name = kind_part(stem).unwrap_or(stem).to_string();
    Ok(Grid {
        name,
        origin: (0, 0),
        rows,
    })
}

/// The part of a CSV file stem naming a kind: all of it, or what follows
/// its last `-`, `_`, `.` or space.
fn kind_part(stem: &str) -> Option<&str> {
    if kind_of_sheet(stem).is_some() {
        return Some(stem);
    }
    let tail = stem.rsplit(['-', '_', '.', ' ']).next()?;
    kind_of_sheet(tail).is_some().then_some(tail)
}

/// The decimals of each cell's number format in one sheet of an `.xlsx`
/// workbook (`0.00` → 2), read from `xl/styles.xml` and the sheet's `s`
/// attributes. Empty when anything is missing: numbers then keep their
/// shortest text.
fn xlsx_scales(bytes: &[u8], sheet: &str) -> Scales {
    let mut out = Scales::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let mut read = |path: &str| -> Option<String> {
        use std::io::Read;
        let mut f = zip.by_name(path).ok()?;
        let mut s = String::new();
        f.read_to_string(&mut s).ok()?;
        Some(s)
    };
    let (Some(workbook), Some(rels), Some(styles)) = (
        read("xl/workbook.xml"),
        read("xl/_rels/workbook.xml.rels"),
        read("xl/styles.xml"),
    ) else {
        return out;
    };
    // The sheet's file: workbook.xml names its relation id, the relations its target.
    let Some(rid) = tags(&workbook, "sheet")
        .find(|t| attr(t, "name").is_some_and(|n| unescape(n) == sheet))
        .and_then(|t| attr(t, "r:id").map(str::to_string))
    else {
        return out;
    };
    let Some(target) = tags(&rels, "Relationship")
        .find(|t| attr(t, "Id") == Some(rid.as_str()))
        .and_then(|t| attr(t, "Target").map(str::to_string))
    else {
        return out;
    };
    let target = target.trim_start_matches('/');
    let path = if target.starts_with("xl/") {
        target.to_string()
    } else {
        format!("xl/{target}")
    };
    let Some(xml) = read(&path) else {
        return out;
    };
    // Custom formats by id, then each style's decimals.
    let custom: std::collections::HashMap<String, String> = tags(&styles, "numFmt")
        .filter_map(|t| {
            Some((
                attr(t, "numFmtId")?.to_string(),
                unescape(attr(t, "formatCode")?),
            ))
        })
        .collect();
    let xfs_start = styles.find("<cellXfs").unwrap_or(styles.len());
    let xfs_end = styles[xfs_start..]
        .find("</cellXfs>")
        .map_or(styles.len(), |e| xfs_start + e);
    let scales: Vec<Option<u32>> = tags(&styles[xfs_start..xfs_end], "xf")
        .map(|t| {
            let id = attr(t, "numFmtId").unwrap_or("0");
            match id {
                "2" | "4" | "10" | "40" | "39" => Some(2),
                _ => custom.get(id).map(|code| format_decimals(code)),
            }
        })
        .collect();
    for t in tags(&xml, "c") {
        let (Some(r), Some(s)) = (attr(t, "r"), attr(t, "s")) else {
            continue;
        };
        let Some(Some(scale)) = s.parse::<usize>().ok().and_then(|i| scales.get(i)) else {
            continue;
        };
        if let Some(at) = parse_ref(r) {
            out.insert(at, *scale);
        }
    }
    out
}

/// The decimals a number format shows: the `0`s after the point of its
/// first section (`#,##0.00` → 2, `0` → 0).
fn format_decimals(code: &str) -> u32 {
    let first = code.split(';').next().unwrap_or("");
    let Some((_, frac)) = first.split_once('.') else {
        return 0;
    };
    frac.chars()
        .take_while(|c| matches!(c, '0' | '#'))
        .filter(|&c| c == '0')
        .count() as u32
}

/// `C7` → (6, 2), 0-based row and column.
fn parse_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    let mut c: u32 = 0;
    for b in letters.bytes() {
        if !b.is_ascii_uppercase() {
            return None;
        }
        c = c.checked_mul(26)?.checked_add((b - b'A' + 1) as u32)?;
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, c.checked_sub(1)?))
}

/// The opening tags `<name ...>` of an XML text, as their attribute text.
fn tags<'a>(xml: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let open = ["<", name].concat();
    let mut from = 0;
    std::iter::from_fn(move || {
        loop {
            let p = xml[from..].find(&open)? + from;
            let after = p + open.len();
            let end = xml[after..].find('>').map_or(xml.len(), |e| after + e);
            from = end;
            // `<c ` or `<c>`, not `<cols`.
            match xml[after..].chars().next() {
                Some(c) if c.is_whitespace() || c == '/' || c == '>' => {
                    return Some(&xml[after..end]);
                }
                _ => continue,
            }
        }
    })
}

/// The value of `name="…"` in a tag's attribute text.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(p) = tag[from..].find(name) {
        let at = from + p;
        let before_ok = at == 0 || tag[..at].ends_with(char::is_whitespace);
        let rest = &tag[at + name.len()..];
        if before_ok && let Some(rest) = rest.strip_prefix('=') {
            let quote = rest.chars().next()?;
            let body = &rest[1..];
            let end = body.find(quote)?;
            return Some(&body[..end]);
        }
        from = at + name.len();
    }
    None
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text fit for a comment or a `#!` line: one line, no `#`.
fn plain(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            '#' => '＃',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// `2020-03-15`, `2020/3/15` or `2020年3月15日` as `2020-03-15`.
fn as_date(t: &str) -> Option<String> {
    let t = t.trim();
    let t = t.strip_suffix('日').unwrap_or(t);
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let date = chrono::NaiveDate::from_ymd_opt(y, m, d)?;
    Some(date.format("%Y-%m-%d").to_string())
}

fn is_plain_integer(t: &str) -> bool {
    let t = t.strip_prefix('-').unwrap_or(t);
    !t.is_empty()
        && t.len() <= 18
        && t.bytes().all(|b| b.is_ascii_digit())
        && !(t.len() > 1 && t.starts_with('0'))
}

fn is_plain_decimal(t: &str) -> bool {
    let t = t.strip_prefix('-').unwrap_or(t);
    match t.split_once('.') {
        Some((i, f)) => {
            is_plain_integer(i)
                && !f.is_empty()
                && f.len() <= 20
                && f.bytes().all(|b| b.is_ascii_digit())
        }
        None => is_plain_integer(t),
    }
}

/// The TOML value a cell of type `ty` is written as. A cell that does not
/// fit its type is written as a string, so the reader reports it with the
/// text the clerk wrote (`"20元"` in a number column).
fn toml_value(ty: Ty, cell: &Cell) -> String {
    match (ty, cell) {
        (_, Cell::Empty) => String::new(),
        // A number too long for a TOML literal stays text: the reader then
        // gives its limit finding instead of a syntax error.
        (Ty::Amount, Cell::Number(n, Some(scale))) if is_plain_decimal(n) => pad(n, *scale),
        (Ty::Count | Ty::Amount | Ty::Flag, Cell::Number(n, _)) if is_plain_decimal(n) => n.clone(),
        (Ty::Count | Ty::Amount | Ty::Flag, Cell::Text(t)) if is_plain_decimal(t.trim()) => {
            t.trim().to_string()
        }
        (Ty::Flag, Cell::Bool(b)) => b.to_string(),
        (Ty::Date, Cell::Date(d)) => d.clone(),
        (Ty::Date, Cell::Text(t)) => as_date(t).unwrap_or_else(|| quoted(t)),
        (Ty::Due, Cell::Date(d)) => d.clone(),
        (Ty::List, c) => {
            let shown = c.shown();
            let items: Vec<String> = shown
                .split(['、', ',', '，', ';', '；', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(quoted)
                .collect();
            format!("[{}]", items.join(", "))
        }
        (Ty::Str | Ty::Id | Ty::Due, Cell::Text(t)) => quoted(t.trim()),
        (_, c) => quoted(&c.shown()),
    }
}

/// The reading of a spreadsheet file: see the module's documentation.
/// `name` is the file's path in the portal (`data/项目.xlsx`).
pub fn reading(name: &str, bytes: &[u8]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# cunwu: {} — one line per cell, the cell after the last #",
        plain(name)
    );
    let grids = match read_grids(name, bytes) {
        Ok(g) => g,
        Err(e) => {
            let _ = writeln!(out, "#!unreadable\t{} # {}", plain(&e), plain(name));
            return out;
        }
    };
    for grid in &grids {
        write_grid(&mut out, grid);
    }
    out
}

fn write_grid(out: &mut String, grid: &Grid) {
    let sheet = plain(&grid.name);
    let row_no = |r: usize| grid.origin.0 as usize + r + 1;
    let cell_ref = |r: usize, c: usize| {
        format!(
            "{sheet}!{}{}",
            column_letters(grid.origin.1 + c as u32),
            row_no(r)
        )
    };
    // Every non-empty cell as a comment: what the gate scans when the
    // sheet is not read as records.
    let comment_all = |out: &mut String, from: usize| {
        for (r, row) in grid.rows.iter().enumerate().skip(from) {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    let _ = writeln!(out, "# {} # {}", quoted(&cell.shown()), cell_ref(r, c));
                }
            }
        }
    };
    let _ = writeln!(out);
    let Some(kind) = kind_of_sheet(&grid.name) else {
        if NOTE_SHEETS.contains(&grid.name.trim().to_lowercase().as_str()) {
            comment_all(out, 0);
            return;
        }
        let _ = writeln!(out, "#!unknown-sheet\t{sheet} # {sheet}!1");
        comment_all(out, 0);
        return;
    };
    let cols = columns(kind);
    // The header: the first row with any cell.
    let Some(head_row) = grid
        .rows
        .iter()
        .position(|r| r.iter().any(|c| !c.is_empty()))
    else {
        return;
    };
    let header: Vec<String> = grid.rows[head_row].iter().map(Cell::shown).collect();
    let _ = writeln!(
        out,
        "# {sheet} → [[{}]] # {sheet}!{}",
        kind.key(),
        row_no(head_row)
    );
    let mut mapped: Vec<Option<Col>> = Vec::new();
    let mut fatal = false;
    for (c, h) in header.iter().enumerate() {
        if h.trim().is_empty() {
            mapped.push(None);
            continue;
        }
        let at = cell_ref(head_row, c);
        match column_for(kind, &cols, h) {
            Some(col) if mapped.iter().flatten().any(|m| m.path == col.path) => {
                let _ = writeln!(out, "#!duplicate-column\t{}\t{} # {at}", plain(h), col.path);
                mapped.push(None);
            }
            Some(col) => {
                let _ = writeln!(out, "# {} → {} # {at}", plain(h), col.path);
                mapped.push(Some(col));
            }
            None => {
                // Reported once; its cells stay comments, the other columns are read.
                let _ = writeln!(out, "#!unknown-column\t{}\t{} # {at}", plain(h), kind.key());
                mapped.push(None);
            }
        }
    }
    for col in cols.iter().filter(|c| c.required) {
        if !mapped.iter().flatten().any(|m| m.path == col.path) {
            let _ = writeln!(
                out,
                "#!missing-column\t{}\t{} # {sheet}!{}",
                col.names[0],
                col.path,
                row_no(head_row)
            );
            fatal = true;
        }
    }
    // A sheet shaped like a register (姓名, 身份证号… with rows under them)
    // is refused whole, like a roster file.
    let body: Vec<Vec<String>> = grid.rows[head_row + 1..]
        .iter()
        .map(|r| r.iter().map(Cell::shown).collect())
        .collect();
    let heads: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<&str>> = body
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    if let Some(columns) = crate::gate::individual::register_columns(&heads, &rows) {
        let _ = writeln!(
            out,
            "#!personal\t{} # {sheet}!{}",
            plain(&columns),
            row_no(head_row)
        );
        fatal = true;
    }
    if fatal {
        comment_all(out, head_row + 1);
        return;
    }
    for (r, row) in grid.rows.iter().enumerate().skip(head_row + 1) {
        if row.iter().all(Cell::is_empty) {
            continue;
        }
        let _ = writeln!(out, "[[{}]] # {sheet}!{}", kind.key(), row_no(r));
        for (c, cell) in row.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            match mapped.get(c).and_then(Option::as_ref) {
                Some(col) => {
                    let key: Vec<String> = col.path.split('.').map(toml_key).collect();
                    let _ = writeln!(
                        out,
                        "{} = {} # {}",
                        key.join("."),
                        toml_value(col.ty, cell),
                        cell_ref(r, c)
                    );
                }
                // A cell under no header.
                None => {
                    let _ = writeln!(out, "# {} # {}", quoted(&cell.shown()), cell_ref(r, c));
                }
            }
        }
    }
}

fn toml_key(part: &str) -> String {
    if !part.is_empty()
        && part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        part.to_string()
    } else {
        quoted(part)
    }
}

pub use crate::source::cell_of_line;

/// The findings about the sheets themselves, from the `#!` lines of a reading.
pub fn issues(cx: &mut Ctx, text: &str, file_name: &str) {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let Some(rest) = line.strip_prefix("#!") else {
            continue;
        };
        let body = line.trim_end();
        let span = cx.span(start..start + body.len());
        let (what, cell) = rest
            .trim_end()
            .rsplit_once(" # ")
            .unwrap_or((rest.trim_end(), ""));
        let mut parts = what.split('\t');
        let code = parts.next().unwrap_or("");
        let args: Vec<&str> = parts.collect();
        let arg = |i: usize| args.get(i).copied().unwrap_or("");
        let d = match code {
            "unreadable" => Diagnostic::error(
                RuleId::LoadSheet,
                cx.t(Msg::SheetUnreadable {
                    path: file_name,
                    reason: arg(0),
                }),
            )
            .hint(cx.t(Msg::SheetUnreadableHint)),
            "unknown-sheet" => {
                let allowed = sheet_choices();
                Diagnostic::error(
                    RuleId::LoadSheet,
                    cx.t(Msg::SheetUnknown {
                        sheet: arg(0),
                        path: file_name,
                    }),
                )
                .expected_found(allowed, arg(0))
                .hint(cx.t(Msg::SheetUnknownHint))
            }
            "unknown-column" | "duplicate-column" => {
                let kind = RecordKind::from_key(arg(1));
                let expected = kind.map(column_choices).unwrap_or_default();
                let msg = if code == "unknown-column" {
                    Msg::SheetUnknownColumn {
                        cell,
                        header: arg(0),
                    }
                } else {
                    Msg::SheetDuplicateColumn {
                        cell,
                        header: arg(0),
                    }
                };
                let mut d = Diagnostic::error(RuleId::LoadColumn, cx.t(msg))
                    .expected_found(expected, arg(0));
                if code == "unknown-column" {
                    d = d.hint(cx.t(Msg::SheetColumnHint));
                }
                d
            }
            "missing-column" => Diagnostic::error(
                RuleId::LoadColumn,
                cx.t(Msg::SheetMissingColumn {
                    sheet: cell.split('!').next().unwrap_or(""),
                    column: arg(0),
                    field: arg(1),
                }),
            )
            .expected_found(format!("{} ({})", arg(0), arg(1)), "—"),
            "personal" => Diagnostic::error(
                RuleId::PrivacyIndividualRecord,
                cx.t(Msg::RosterTable { columns: arg(0) }),
            )
            .hint(cx.t(Msg::IndividualHint)),
            _ => continue,
        };
        let d = d.at(span, cx.t(Msg::LabelHere));
        cx.diags.push(d);
    }
}

/// The sheet names accepted, for "expected".
fn sheet_choices() -> String {
    SHEET_NAMES
        .iter()
        .map(|(k, names)| format!("{} ({})", names[0], k.key()))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The columns of a kind, for "expected": `编号 (id) | 名称 (name) | …`.
fn column_choices(kind: RecordKind) -> String {
    columns(kind)
        .iter()
        .map(|c| format!("{} ({})", c.names[0], c.path))
        .collect::<Vec<_>>()
        .join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_sheet_names_and_columns() {
        for &(_, kind) in RecordKind::CHOICES {
            assert_eq!(kind_of_sheet(sheet_name(kind)), Some(kind));
            assert_eq!(kind_of_sheet(kind.key()), Some(kind));
            let cols = columns(kind);
            assert!(!cols.is_empty());
            for c in &cols {
                assert_eq!(
                    column_for(kind, &cols, &c.names[0]).map(|m| m.path),
                    Some(c.path.clone())
                );
                assert_eq!(
                    column_for(kind, &cols, &c.path).map(|m| m.path),
                    Some(c.path.clone())
                );
            }
        }
    }

    #[test]
    fn number_cells_read_as_the_decimal_typed() {
        assert_eq!(number_text(16.3, None), "16.3");
        assert_eq!(number_text(16.3, Some(2)), "16.30");
        assert_eq!(number_text(0.1 + 0.2, Some(2)), "0.30");
        assert_eq!(number_text(899.04, Some(2)), "899.04");
        assert_eq!(number_text(1011.0, Some(2)), "1011.00");
        assert_eq!(number_text(42.0, None), "42");
        assert_eq!(number_text(587.3, Some(0)), "587.3");
    }

    #[test]
    fn cell_refs_and_formats() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(parse_ref("C7"), Some((6, 2)));
        assert_eq!(parse_ref("AA1"), Some((0, 26)));
        assert_eq!(format_decimals("0.00"), 2);
        assert_eq!(format_decimals("#,##0.000_ "), 3);
        assert_eq!(format_decimals("0"), 0);
        assert_eq!(cell_of_line("funds.total = 1 # 项目!F7"), Some("项目!F7"));
        assert_eq!(as_date("2020年3月1日").as_deref(), Some("2020-03-01"));
        assert_eq!(as_date("2020/3/15").as_deref(), Some("2020-03-15"));
    }

    proptest::proptest! {
        /// A decimal a clerk types (at most 15 significant digits), stored
        /// as the nearest f64 and formatted with its decimals, reads back as
        /// exactly the digits typed.
        #[test]
        fn typed_decimals_read_back_exactly(mantissa in 0u64..1_000_000_000_000, scale in 0u32..=3) {
            let typed = rust_decimal::Decimal::new(mantissa as i64, scale).to_string();
            let f: f64 = typed.parse().unwrap();
            let read = number_text(f, None);
            proptest::prop_assert_eq!(pad(&read, scale), typed.clone());
            // And a sum of such cells in Excel (15 significant digits) reads as the exact sum.
            let twice = rust_decimal::Decimal::new(mantissa as i64, scale) * rust_decimal::Decimal::TWO;
            if twice.mantissa().unsigned_abs() < 100_000_000_000_000 {
                proptest::prop_assert_eq!(pad(&number_text(f + f, None), scale), twice.to_string());
            }
        }
    }

    mod generated {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            /// Whatever a sheet holds (any text, quotes, new lines, control
            /// characters, numbers, in known or unknown columns, under any
            /// sheet name), its reading is well-formed TOML with one line per
            /// non-empty cell below the header.
            #[test]
            fn any_sheet_reads_as_well_formed_toml(
                name in prop_oneof![Just("项目".to_string()), Just("地区".to_string()), "\\PC{0,12}"],
                header in prop::collection::vec(prop_oneof![
                    Just("总投资（万元）".to_string()),
                    Just("受益人数".to_string()),
                    Just("公示开始日期".to_string()),
                    Just("成效".to_string()),
                    Just("身份证号".to_string()),
                    "\\PC{0,8}",
                ], 0..6),
                body in prop::collection::vec(prop::collection::vec(
                    prop_oneof![
                        "\\PC{0,10}".prop_map(Cell::Text),
                        ".{0,6}".prop_map(Cell::Text),
                        any::<f64>().prop_map(|f| Cell::Number(number_text(f, None), Some(2))),
                        any::<bool>().prop_map(Cell::Bool),
                    ], 0..7), 0..5),
            ) {
                let mut head = vec![Cell::Text("编号".into())];
                head.extend(header.iter().map(|h| Cell::Text(h.clone())));
                let mut rows = vec![head];
                rows.extend(body.clone());
                let grid = Grid { name, origin: (0, 0), rows };
                let mut out = String::new();
                write_grid(&mut out, &grid);
                prop_assert!(toml::de::DeTable::parse(&out).is_ok(), "{}", out);
                let cells = body.iter().flatten().filter(|c| !c.is_empty()).count();
                let lines = out
                    .lines()
                    .filter_map(cell_of_line)
                    .filter_map(|c| c.rsplit('!').next())
                    .filter(|r| r.starts_with(|ch: char| ch.is_ascii_uppercase()))
                    .filter(|r| r.trim_start_matches(|ch: char| ch.is_ascii_uppercase()).parse::<u32>().is_ok_and(|n| n >= 2))
                    .count();
                prop_assert_eq!(lines, cells, "{}", out);
            }
        }
    }

    #[test]
    fn gbk_csv_is_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("编号,名称\nx,下龙井村\n");
        assert_eq!(decode_text(&gbk), "编号,名称\nx,下龙井村\n");
        assert_eq!(decode_text("\u{feff}编号".as_bytes()), "编号");
    }
}
