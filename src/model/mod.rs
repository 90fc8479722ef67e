//! The typed model of a portal: areas, programmes, projects and their funds,
//! progress, exit indicators, activities, milestones and plans.
//!
//! Deliberately absent: any kind for a household or a person, and any field for
//! a name, an ID number, a phone, an address or an individual income. Figures
//! are aggregates; every one keeps the span it was read from.

mod due;
pub mod figures;
mod portal;
mod records;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::source::{At, FileId, Span};

pub use due::{Due, DueError, Period, Xun};
pub use portal::{Attachment, IdMap, Index, Portal};
pub use records::{InFile, RecordKind, Records, Slices, file_range, splice_file};

/// An enum whose variants are written in the data files as codes or in
/// Chinese and shown in Chinese: `Variant = "code" "中文名" | "同义词"...`
/// writes the enum, its `CHOICES` (code and variant, in the order the "did
/// you mean" hint and the download tables list them), `ACCEPTED` (the codes,
/// then every Chinese name and synonym a data file may write instead),
/// `key()` (the code) and `name_zh()`, from one table.
macro_rules! codes {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $key:literal $zh:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every code a data file may write, with its variant.
            pub const CHOICES: &'static [(&'static str, $name)] = &[$( ($key, $name::$variant) ),+];

            /// Every value a data file may write: the codes, then the Chinese
            /// names and their synonyms.
            pub const ACCEPTED: &'static [(&'static str, $name)] = &[
                $( ($key, $name::$variant), )+
                $( ($zh, $name::$variant), $( ($alias, $name::$variant), )* )+
            ];

            /// The code written in data files and download tables.
            pub fn key(self) -> &'static str {
                match self {
                    $( $name::$variant => $key ),+
                }
            }

            /// The Chinese name shown on pages.
            pub fn name_zh(self) -> &'static str {
                match self {
                    $( $name::$variant => $zh ),+
                }
            }
        }
    };
}

/// An id as written by the clerk, with its span.
pub type Id = At<String>;

codes! {
    /// Administrative level of an area.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Level {
        County = "county" "县",
        /// 乡 or 镇: both sit at township level.
        Township = "township" "乡",
        Town = "town" "镇",
        Village = "village" "行政村" | "村",
        Group = "group" "村民小组" | "组" | "小组",
    }
}

impl Level {
    /// 0 for the county, 1 for townships and towns, 2 for villages, 3 for groups.
    pub fn depth(self) -> u8 {
        match self {
            Level::County => 0,
            Level::Township | Level::Town => 1,
            Level::Village => 2,
            Level::Group => 3,
        }
    }
}

/// A county, township, village or group, with its aggregate population figures.
#[derive(Debug, Clone)]
pub struct Area {
    pub id: Id,
    pub name: At<String>,
    pub level: At<Level>,
    pub parent: Option<Id>,
    pub households: Option<At<u64>>,
    pub population: Option<At<u64>>,
    pub labourers: Option<At<u64>>,
    pub farmland_mu: Option<At<Decimal>>,
    pub grain_per_capita_kg: Option<At<Decimal>>,
    pub tags: Vec<At<String>>,
    pub summary: Option<At<String>>,
    /// When the village's own 公示 is posted, if it has one.
    pub notice: Option<Notice>,
    /// When these figures were last changed (`updated`), if the record says.
    pub updated: Option<At<NaiveDate>>,
    pub span: Span,
}

/// The period a public notice (公示) stays posted: `notice = { start = ..., end = ... }`.
/// Both days count; the checker wants at least 10 (`notice.period`).
#[derive(Debug, Clone)]
pub struct Notice {
    pub start: At<NaiveDate>,
    pub end: At<NaiveDate>,
    pub span: Span,
}

impl Notice {
    /// Days posted, both ends included; 0 or less when the end is before the start.
    pub fn days(&self) -> i64 {
        (self.end.value - self.start.value).num_days() + 1
    }
}

/// The figures a programme publishes about itself: claims the checker verifies.
#[derive(Debug, Clone, Default)]
pub struct Stated {
    pub projects: Option<At<u64>>,
    pub categories: Option<At<u64>>,
    pub townships: Option<At<u64>>,
    pub villages: Option<At<u64>>,
    pub completed: Option<At<u64>>,
    pub under_construction: Option<At<u64>>,
    pub not_started: Option<At<u64>>,
    pub households: Option<At<u64>>,
    pub people: Option<At<u64>>,
    pub labourers: Option<At<u64>>,
    pub beneficiaries: Option<At<u64>>,
    /// Stated figures the source got wrong, with their documented
    /// correction; the field above holds the corrected value.
    pub corrections: Vec<Correction>,
}

/// A figure a source stated and the corrected value that replaces it
/// (更正): `projects = { stated = 25, corrected = 27, date = ..., reason = "..." }`.
/// The checker checks the corrected value; the site shows both.
#[derive(Debug, Clone)]
pub struct Correction {
    /// The key of the corrected field in `[programme.stated]`, e.g. `projects`.
    pub field: &'static str,
    pub stated: At<u64>,
    pub corrected: At<u64>,
    pub date: At<NaiveDate>,
    pub reason: At<String>,
    pub span: Span,
}

impl Stated {
    /// The correction of field `key`, if one is recorded.
    pub fn correction(&self, key: &str) -> Option<&Correction> {
        self.corrections.iter().find(|c| c.field == key)
    }
}

codes! {
    /// A level of government that pays fiscal awards.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum FiscalLevel {
        Central = "central" "中央",
        Provincial = "provincial" "省级" | "省",
        CentralProvincial = "central_provincial" "中央和省级",
        City = "city" "市级" | "市",
        County = "county" "县级" | "县",
        CityCounty = "city_county" "市县两级",
        Township = "township" "乡镇",
    }
}

/// Where a project's or programme's money comes from (万元, except the rate).
#[derive(Debug, Clone)]
pub struct Funds {
    pub total: At<Decimal>,
    pub villagers: Option<At<Decimal>>,
    pub cash: Option<At<Decimal>>,
    pub labour_days: Option<At<u64>>,
    /// 元 per labour day.
    pub labour_rate: Option<At<Decimal>>,
    pub labour_value: Option<At<Decimal>>,
    pub fiscal: Option<At<Decimal>>,
    pub fiscal_levels: Vec<(FiscalLevel, At<Decimal>)>,
    pub fiscal_note: Option<At<String>>,
    pub social: Option<At<Decimal>>,
    pub span: Span,
}

/// A share of one figure in another that a programme declares (e.g. 2/3).
#[derive(Debug, Clone)]
pub struct Share {
    pub part: At<FiscalLevel>,
    /// The whole: only `fiscal` for now.
    pub of: At<String>,
    pub numerator: Decimal,
    pub denominator: Decimal,
    pub ratio_text: At<String>,
    /// Rounding the programme declares, in 万元.
    pub tolerance: Option<At<Decimal>>,
    pub span: Span,
}

/// A funded programme, e.g. a year's 一事一议 pilot.
#[derive(Debug, Clone)]
pub struct Programme {
    pub id: Id,
    pub name: At<String>,
    pub kind: Option<At<String>>,
    pub year: At<i32>,
    pub area: Id,
    pub covers: Vec<Id>,
    pub plan: Option<Id>,
    pub summary: Option<At<String>>,
    pub stated: Stated,
    pub funds: Option<Funds>,
    pub shares: Vec<Share>,
    pub notice: Option<Notice>,
    pub span: Span,
}

codes! {
    /// Construction status of a project.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Status {
        Completed = "completed" "已完工" | "完工" | "竣工" | "已竣工",
        UnderConstruction = "under_construction" "在建" | "在建中" | "施工中" | "已开工",
        NotStarted = "not_started" "未开工" | "未动工",
    }
}

/// A measured quantity of a project, e.g. 长度 94.5 km.
#[derive(Debug, Clone)]
pub struct Quantity {
    pub what: At<String>,
    pub value: At<Decimal>,
    pub unit: At<String>,
}

/// A project (or a line standing for `count` like projects).
#[derive(Debug, Clone)]
pub struct Project {
    pub id: Id,
    pub name: At<String>,
    pub area: Id,
    pub year: At<i32>,
    pub programme: Option<Id>,
    pub category: At<String>,
    pub count: At<u64>,
    pub status: Option<At<Status>>,
    pub beneficiaries: Option<At<u64>>,
    pub quantities: Vec<Quantity>,
    pub outcomes: Vec<At<String>>,
    pub summary: Option<At<String>>,
    pub funds: Funds,
    /// Its own 公示 period; when absent, its programme's applies.
    pub notice: Option<Notice>,
    pub span: Span,
}

codes! {
    /// What a progress record tracks.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum ProgressKind {
        Poverty = "poverty" "脱贫进度" | "脱贫",
        Relocation = "relocation" "易地扶贫搬迁进度" | "易地扶贫搬迁" | "搬迁",
        PoorVillages = "poor_villages" "贫困村退出进度" | "贫困村退出",
    }
}

/// Start (or target), done, remaining and this year's goal of one unit.
#[derive(Debug, Clone)]
pub struct Tally {
    /// The starting figure, or for a plan target (relocation) the target.
    pub start: Option<At<u64>>,
    /// True when `start` was written as `target`.
    pub is_target: bool,
    pub done: Option<At<u64>>,
    pub remaining: Option<At<u64>>,
    pub this_year: Option<At<u64>>,
    pub span: Span,
}

/// Poverty, relocation or poor-village progress of an area.
#[derive(Debug, Clone)]
pub struct Progress {
    pub area: Id,
    pub year: At<i32>,
    pub kind: At<ProgressKind>,
    pub label: Option<At<String>>,
    pub households: Option<Tally>,
    pub people: Option<Tally>,
    pub villages: Option<Tally>,
    /// Stated poverty incidence, percent.
    pub incidence: Option<At<Decimal>>,
    pub housing_m2_per_person: Option<At<Decimal>>,
    /// Why this year's start or target does not carry over from last year's
    /// (`change_reason`, e.g. a re-registration); `years.carry` accepts it.
    pub change_reason: Option<At<String>>,
    /// When these figures were last changed (`updated`), if the record says.
    pub updated: Option<At<NaiveDate>>,
    pub span: Span,
}

codes! {
    /// Whether a village has exited the poor-village list.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum ExitStatus {
        Exited = "exited" "已退出" | "退出",
        Planned = "planned" "计划退出",
        NotYet = "not_yet" "未退出",
    }
}

/// The value a village reports for one exit indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorValue {
    Met(bool),
    Percent(Decimal),
}

/// A village's exit indicators for one year.
#[derive(Debug, Clone)]
pub struct Exit {
    pub area: Id,
    pub year: At<i32>,
    pub status: At<ExitStatus>,
    pub indicators: Vec<(At<String>, At<IndicatorValue>)>,
    pub note: Option<At<String>>,
    /// Why a village that had exited in an earlier year is no longer exited
    /// (`change_reason`); required by `years.exit` in that case.
    pub change_reason: Option<At<String>>,
    /// When these figures were last changed (`updated`), if the record says.
    pub updated: Option<At<NaiveDate>>,
    pub span: Span,
}

codes! {
    /// Kind of activity.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum ActivityKind {
        Culture = "culture" "文化",
        Sports = "sports" "体育",
        Party = "party" "党建",
    }
}

codes! {
    /// How often an activity is held.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Frequency {
        Daily = "daily" "每天" | "每日",
        Weekly = "weekly" "每周",
        Monthly = "monthly" "每月",
        Quarterly = "quarterly" "每季度" | "每季",
        Yearly = "yearly" "每年",
        Once = "once" "一次",
    }
}

/// A cultural, sports or Party-building activity (counts only, never names).
#[derive(Debug, Clone)]
pub struct Activity {
    pub id: Id,
    pub area: Id,
    pub year: At<i32>,
    pub kind: At<ActivityKind>,
    pub name: At<String>,
    pub team: Option<At<String>>,
    pub frequency: Option<At<Frequency>>,
    pub planned: Option<At<u64>>,
    pub held: Option<At<u64>>,
    pub date: Option<At<NaiveDate>>,
    pub participants: Option<At<u64>>,
    pub summary: Option<At<String>>,
    pub span: Span,
}

/// A dated step of a plan.
#[derive(Debug, Clone)]
pub struct Milestone {
    pub plan: Id,
    pub label: At<String>,
    pub due: At<Due>,
    pub span: Span,
}

codes! {
    /// What kind of document a page is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum PageKind {
        Plan = "plan" "计划",
        Summary = "summary" "总结",
        Notice = "notice" "公示",
        Report = "report" "报告",
        Page = "page" "页面",
    }
}

/// A Markdown document under `content/`: a plan, a notice, or a section index.
#[derive(Debug, Clone)]
pub struct Page {
    /// `longtuo/work-plan-2020`, or the front matter's `id`.
    pub id: String,
    /// Path under `content/` with `/`, e.g. `longtuo/work-plan-2020.md`.
    pub rel_path: String,
    /// The section folder, `""` for the top level.
    pub section: String,
    /// True for a section's `_index.md`.
    pub is_index: bool,
    pub file: FileId,
    pub title: At<String>,
    pub date: Option<At<NaiveDate>>,
    pub year: Option<At<i32>>,
    pub area: Option<Id>,
    pub programme: Option<Id>,
    pub kind: PageKind,
    pub description: Option<At<String>>,
    pub tags: Vec<At<String>>,
    pub draft: bool,
    pub weight: i64,
    /// When the document's figures were last changed (`updated` in the front matter).
    pub updated: Option<At<NaiveDate>>,
    /// Numbers acknowledged in the front matter as not personal data.
    pub acks: Vec<PrivacyAck>,
    /// The Markdown body; shared, so that the preview's reassembly of a
    /// province's portal does not copy every document's text.
    pub body: std::sync::Arc<str>,
    /// Byte offset of the body in the file, to turn body offsets into spans.
    pub body_offset: usize,
}

/// One exit indicator of the configured set.
#[derive(Debug, Clone)]
pub struct ExitIndicator {
    pub key: String,
    pub name: String,
    /// For percentage indicators: the value must be strictly below this.
    pub below: Option<Decimal>,
}

impl ExitIndicator {
    /// The default set, 四通四有一无一低.
    pub fn default_set() -> Vec<ExitIndicator> {
        let flag = |key: &str, name: &str| ExitIndicator {
            key: key.into(),
            name: name.into(),
            below: None,
        };
        vec![
            flag("water", "通水"),
            flag("electricity", "通电"),
            flag("road", "通路"),
            flag("telecom", "通讯"),
            flag("collective_economy", "有集体经济"),
            flag("activity_venue", "有综合活动场所"),
            flag("garbage", "有垃圾集中处理设施"),
            flag("party_branch", "有好的党支部"),
            flag("no_dangerous_housing", "无危房"),
            ExitIndicator {
                key: "poverty_incidence".into(),
                name: "贫困发生率低于3%".into(),
                below: Some(Decimal::from(3)),
            },
        ]
    }
}

/// Privacy settings from `[privacy]` in `cunwu.toml`.
#[derive(Debug, Clone)]
pub struct PrivacyConfig {
    /// k: counts of households or people in sensitive categories below this are
    /// published as `<k` below township level.
    pub min_count: u64,
    /// Official public numbers and addresses that may appear (an office's published
    /// line or mailbox). Compared by digits for numbers, case-insensitively for e-mail.
    pub allow: Vec<At<String>>,
    /// Extra paths (relative to the root) that no stage ever reads, like `private/`.
    pub private_paths: Vec<String>,
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        PrivacyConfig {
            min_count: 5,
            allow: Vec::new(),
            private_paths: Vec::new(),
        }
    }
}

/// A number in one file that a clerk has confirmed is not personal data,
/// with the written reason (listed in the published check report).
#[derive(Debug, Clone)]
pub struct PrivacyAck {
    pub value: At<String>,
    pub reason: At<String>,
    pub file: FileId,
}

/// Households and people that fell back into poverty (返贫) in an area and year.
/// Aggregates only; small counts are suppressed by the privacy gate.
#[derive(Debug, Clone)]
pub struct Relapse {
    pub area: Id,
    pub year: At<i32>,
    pub households: Option<At<u64>>,
    pub people: Option<At<u64>>,
    /// Stated relapse rate, percent.
    pub rate: Option<At<Decimal>>,
    pub span: Span,
}

/// An area's figures for one year (`[[area_year]]`): the one-year figures of
/// `[[area]]` stay valid; these add the years beside them.
#[derive(Debug, Clone)]
pub struct AreaYear {
    pub area: Id,
    pub year: At<i32>,
    pub households: Option<At<u64>>,
    pub population: Option<At<u64>>,
    pub labourers: Option<At<u64>>,
    pub farmland_mu: Option<At<Decimal>>,
    pub note: Option<At<String>>,
    /// When these figures were last changed (`updated`), if the record says.
    pub updated: Option<At<NaiveDate>>,
    pub span: Span,
}

/// When each file's figures were last changed: its own `updated` (a data
/// file's top-level key, a document's front matter), else the date of the
/// last commit that touched it when the portal is a git checkout. Never the
/// clock, so two builds of the same input are identical.
#[derive(Debug, Clone, Default)]
pub struct FileDates {
    pub by_file: std::collections::HashMap<FileId, NaiveDate>,
}

impl FileDates {
    /// The date of `file`, if known.
    pub fn of(&self, file: FileId) -> Option<NaiveDate> {
        self.by_file.get(&file).copied()
    }

    /// The date of a record read at `span`: its own `updated`, else its file's.
    pub fn record(&self, own: &Option<At<NaiveDate>>, span: &Span) -> Option<NaiveDate> {
        own.as_ref().map(|d| d.value).or_else(|| self.of(span.file))
    }
}

/// Site settings from `cunwu.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub county: Id,
    pub lang: crate::lang::Lang,
    pub base_url: Option<String>,
    pub description: Option<String>,
    pub exit_indicators: Vec<ExitIndicator>,
    pub privacy: PrivacyConfig,
    /// Supervision lines printed on every 公示 page (`[notice]`).
    pub notice: NoticeConfig,
    pub file: Option<FileId>,
    /// `[checks] prose_figures`: how a figure in prose that matches no
    /// figure of its record is reported.
    pub prose_figures: ProseFigures,
    /// `[attachments]`: the files of `static/`.
    pub attachments: AttachmentConfig,
}

codes! {
    /// `[checks] prose_figures` in `cunwu.toml`: the rule `prose.figure` as
    /// an error (the default), a warning (a portal bringing years of older
    /// prose under the rule), or off.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum ProseFigures {
        #[default]
        Error = "error" "错误",
        Warning = "warning" "警告",
        Off = "off" "不核对",
    }
}

/// `[attachments]` in `cunwu.toml`.
#[derive(Debug, Clone)]
pub struct AttachmentConfig {
    /// A file of `static/` larger than this many KB is reported (a warning):
    /// villagers download it over a phone's data plan.
    pub max_size_kb: u64,
}

impl Default for AttachmentConfig {
    fn default() -> Self {
        AttachmentConfig {
            max_size_kb: 5 * 1024,
        }
    }
}

/// `[notice]` in `cunwu.toml`: the lines a 公示 prints for complaints and questions.
#[derive(Debug, Clone, Default)]
pub struct NoticeConfig {
    /// The national supervision hotline, e.g. `12317`.
    pub hotline: Option<String>,
    /// The county's own supervision number, e.g. `0871-6512345`.
    pub county_line: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Chinese name and synonym a data file may write reads as one
    /// variant, the one whose name it is or the one it is listed under; no
    /// written value means two things.
    #[test]
    fn chinese_names_read_as_their_variant() {
        fn each<T: Copy + PartialEq + std::fmt::Debug>(
            accepted: &[(&str, T)],
            choices: &[(&str, T)],
            zh: fn(T) -> &'static str,
        ) {
            for &(code, v) in choices {
                assert!(accepted.contains(&(code, v)));
                assert!(accepted.contains(&(zh(v), v)), "{}", zh(v));
            }
            for (i, (w, _)) in accepted.iter().enumerate() {
                assert!(
                    accepted[i + 1..].iter().all(|(o, _)| o != w),
                    "{w} is written for two values"
                );
                assert_eq!(w.is_ascii(), i < choices.len(), "codes first: {w}");
            }
        }
        each(Level::ACCEPTED, Level::CHOICES, Level::name_zh);
        each(
            FiscalLevel::ACCEPTED,
            FiscalLevel::CHOICES,
            FiscalLevel::name_zh,
        );
        each(Status::ACCEPTED, Status::CHOICES, Status::name_zh);
        each(
            ProgressKind::ACCEPTED,
            ProgressKind::CHOICES,
            ProgressKind::name_zh,
        );
        each(
            ExitStatus::ACCEPTED,
            ExitStatus::CHOICES,
            ExitStatus::name_zh,
        );
        each(
            ActivityKind::ACCEPTED,
            ActivityKind::CHOICES,
            ActivityKind::name_zh,
        );
        each(Frequency::ACCEPTED, Frequency::CHOICES, Frequency::name_zh);
        each(PageKind::ACCEPTED, PageKind::CHOICES, PageKind::name_zh);
    }

    /// Every code a data file may write and the Chinese name pages show, as
    /// they were before the `codes!` table (changing one breaks portals).
    #[test]
    fn codes_and_names_are_kept() {
        fn table<T: Copy>(
            choices: &[(&str, T)],
            zh: fn(T) -> &'static str,
            key: fn(T) -> &'static str,
        ) -> Vec<String> {
            choices
                .iter()
                .map(|&(k, v)| {
                    assert_eq!(key(v), k);
                    format!("{k}={}", zh(v))
                })
                .collect()
        }
        assert_eq!(
            table(Level::CHOICES, Level::name_zh, Level::key),
            [
                "county=县",
                "township=乡",
                "town=镇",
                "village=行政村",
                "group=村民小组"
            ]
        );
        assert_eq!(
            table(FiscalLevel::CHOICES, FiscalLevel::name_zh, FiscalLevel::key),
            [
                "central=中央",
                "provincial=省级",
                "central_provincial=中央和省级",
                "city=市级",
                "county=县级",
                "city_county=市县两级",
                "township=乡镇"
            ]
        );
        assert_eq!(
            table(Status::CHOICES, Status::name_zh, Status::key),
            [
                "completed=已完工",
                "under_construction=在建",
                "not_started=未开工"
            ]
        );
        assert_eq!(
            table(
                ProgressKind::CHOICES,
                ProgressKind::name_zh,
                ProgressKind::key
            ),
            [
                "poverty=脱贫进度",
                "relocation=易地扶贫搬迁进度",
                "poor_villages=贫困村退出进度"
            ]
        );
        assert_eq!(
            table(ExitStatus::CHOICES, ExitStatus::name_zh, ExitStatus::key),
            ["exited=已退出", "planned=计划退出", "not_yet=未退出"]
        );
        assert_eq!(
            table(
                ActivityKind::CHOICES,
                ActivityKind::name_zh,
                ActivityKind::key
            ),
            ["culture=文化", "sports=体育", "party=党建"]
        );
        assert_eq!(
            table(Frequency::CHOICES, Frequency::name_zh, Frequency::key),
            [
                "daily=每天",
                "weekly=每周",
                "monthly=每月",
                "quarterly=每季度",
                "yearly=每年",
                "once=一次"
            ]
        );
        assert_eq!(
            table(PageKind::CHOICES, PageKind::name_zh, PageKind::key),
            [
                "plan=计划",
                "summary=总结",
                "notice=公示",
                "report=报告",
                "page=页面"
            ]
        );
    }
}
