//! The message catalogue: every sentence cunwu says to a person, in Chinese
//! (the default: the users are clerks) and in English.
//!
//! Keeping them in one place keeps the two languages in step and lets tests
//! pin the exact wording.

use crate::model::{FiscalLevel, Level};

pub use crate::lang::Lang;

/// Words used around every diagnostic.
pub struct FieldWords {
    pub field: &'static str,
    pub expected: &'static str,
    pub found: &'static str,
    pub hint: &'static str,
}

pub fn field_words(lang: Lang) -> FieldWords {
    match lang {
        Lang::Zh => FieldWords {
            field: "字段",
            expected: "应为",
            found: "实际",
            hint: "提示",
        },
        Lang::En => FieldWords {
            field: "field",
            expected: "expected",
            found: "found",
            hint: "hint",
        },
    }
}

/// Every message, with the values it needs.
#[derive(Debug, Clone)]
pub enum Msg<'a> {
    // ----- load: files and TOML -----
    ReadFailed {
        path: &'a str,
        reason: &'a str,
    },
    NotUtf8 {
        path: &'a str,
    },
    TomlSyntax {
        detail: &'a str,
    },
    UnknownKind {
        key: &'a str,
        allowed: &'a str,
    },
    UnknownField {
        field: &'a str,
        table: &'a str,
    },
    DidYouMean {
        suggestion: &'a str,
    },
    MissingField {
        field: &'a str,
        table: &'a str,
    },
    WrongType {
        field: &'a str,
    },
    NotAnId {
        field: &'a str,
    },
    IdHint,
    BadNumber {
        field: &'a str,
    },
    Negative {
        field: &'a str,
    },
    BadDate {
        field: &'a str,
    },
    DateHint,
    DueHint,
    NotOneOf {
        field: &'a str,
    },
    DuplicateId {
        kind: &'a str,
        id: &'a str,
    },
    FirstDefinedHere,
    UnknownRef {
        kind: &'a str,
        id: &'a str,
    },
    UnknownFile {
        path: &'a str,
    },
    UnknownFileHint,
    // ----- load: content -----
    FrontMatterMissing,
    FrontMatterHint,
    FrontMatterUnclosed,
    BrokenLink {
        target: &'a str,
    },
    BrokenLinkHint,
    // ----- config -----
    ConfigMissing {
        path: &'a str,
    },
    ConfigMissingHint,
    CountyNotCounty {
        id: &'a str,
    },
    // ----- check: references and dates -----
    ParentWrongLevel {
        child: &'a str,
        parent: &'a str,
    },
    DateOutsideYear {
        year: i32,
    },
    MilestonesOutOfOrder,
    PreviousMilestone,
    // ----- check: figures -----
    FundsTotal {
        total: &'a str,
        sum: &'a str,
        diff: &'a str,
    },
    FundsTotalHint,
    FundsVillagers {
        villagers: &'a str,
        sum: &'a str,
        diff: &'a str,
    },
    FundsVillagersHint,
    FundsFiscalLevels {
        fiscal: &'a str,
        sum: &'a str,
        diff: &'a str,
    },
    FundsFiscalLevelsHint,
    LabourValue {
        value: &'a str,
        days: &'a str,
        rate: &'a str,
        computed: &'a str,
        diff: &'a str,
    },
    LabourValueHint,
    ProgrammeSum {
        what: Fig,
        stated: &'a str,
        sum: &'a str,
        lines: usize,
        diff: &'a str,
    },
    ProgrammeSumHint,
    ProgrammeProjects {
        stated: &'a str,
        listed: &'a str,
        lines: usize,
    },
    ProgrammeProjectsHint,
    ProgrammeCategories {
        stated: &'a str,
        listed: usize,
        names: &'a str,
    },
    ProgrammeCategoriesHint,
    StatusSum {
        completed: &'a str,
        under_construction: &'a str,
        not_started: &'a str,
        sum: &'a str,
        projects: &'a str,
    },
    StatusSumHint,
    StatusCount {
        what: Fig,
        stated: &'a str,
        listed: &'a str,
    },
    StatusCountHint,
    StatusUnverifiable {
        stated: &'a str,
        missing: usize,
        lines: usize,
        listed: &'a str,
    },
    StatusUnverifiableHint,
    CoveredAreas {
        what: Fig,
        stated: &'a str,
        counted: usize,
    },
    CoveredAreasHint,
    Share {
        part: Fig,
        found: &'a str,
        ratio: &'a str,
        whole: &'a str,
        expected: &'a str,
        diff: &'a str,
        tolerance: Option<&'a str>,
    },
    ShareHint,
    PeopleBelowHouseholds {
        people: &'a str,
        households: &'a str,
    },
    PeopleBelowHouseholdsHint,
    LabourersAbovePeople {
        labourers: &'a str,
        people: &'a str,
    },
    LabourersAbovePeopleHint,
    BeneficiariesAboveArea {
        beneficiaries: &'a str,
        area: &'a str,
        population: &'a str,
    },
    BeneficiariesAboveCovered {
        beneficiaries: &'a str,
        areas: usize,
        population: &'a str,
    },
    BeneficiariesHint,
    ChildrenAboveParent {
        what: Fig,
        children: usize,
        sum: &'a str,
        parent: &'a str,
        value: &'a str,
    },
    ChildrenAboveParentHint,
    PercentOutOfRange {
        value: &'a str,
    },
    PercentHint,
    RemainingMismatch {
        what: Fig,
        start_word: Fig,
        start: &'a str,
        done: &'a str,
        expected: &'a str,
        remaining: &'a str,
    },
    RemainingHint,
    DoneAboveStart {
        what: Fig,
        start_word: Fig,
        done: &'a str,
        start: &'a str,
    },
    ThisYearAboveRemaining {
        what: Fig,
        this_year: &'a str,
        remaining: &'a str,
    },
    DoneHint,
    IncidenceMismatch {
        stated: &'a str,
        remaining: &'a str,
        population: &'a str,
        exact: &'a str,
        decimals: u32,
        computed: &'a str,
    },
    IncidenceHint,
    IndicatorNotMet {
        name: &'a str,
        key: &'a str,
    },
    IndicatorNotBelow {
        name: &'a str,
        key: &'a str,
        value: &'a str,
        below: &'a str,
    },
    IndicatorMissing {
        name: &'a str,
        key: &'a str,
    },
    IndicatorUnknown {
        key: &'a str,
        known: &'a str,
    },
    IndicatorWrongType {
        name: &'a str,
        key: &'a str,
        flag: bool,
    },
    ExitIndicatorHint,
    HousingAboveLimit {
        value: &'a str,
        limit: &'a str,
    },
    HousingHint,
    LabelFigure {
        what: Fig,
        value: &'a str,
    },
    LabelRecordFigure {
        record: &'a str,
        what: Fig,
        value: &'a str,
    },
    LabelNoStatus {
        record: &'a str,
    },
    LabelIndicator {
        name: &'a str,
        value: &'a str,
    },
    LabelMissingIndicator {
        name: &'a str,
    },
    LabelExited,
    LabelCoveredArea {
        id: &'a str,
        level: Level,
    },
    // ----- notice -----
    NoticeEndBeforeStart {
        start: &'a str,
        end: &'a str,
    },
    NoticeTooShort {
        start: &'a str,
        end: &'a str,
        days: i64,
        min: i64,
    },
    NoticeHint,
    LabelNoticeStart {
        date: &'a str,
    },
    LabelNoticeEnd {
        date: &'a str,
    },
    // ----- render and write -----
    TemplateFailed {
        template: &'a str,
        detail: &'a str,
    },
    WriteFailed {
        path: &'a str,
        reason: &'a str,
    },
    // ----- privacy -----
    IndividualKind {
        key: &'a str,
    },
    IndividualField {
        field: &'a str,
    },
    IndividualHint,
    IdentifierFound {
        kind: &'a str,
    },
    IdentifierHint,
    AckUnused,
    RosterInsidePortal {
        path: &'a str,
    },
    RosterUnreadable {
        path: &'a str,
        reason: &'a str,
    },
    RosterNameFound {
        masked: &'a str,
        path: &'a str,
    },
    RosterHint,
    // ----- shortcodes -----
    ShortcodeUnclosed,
    ShortcodeBadName,
    ShortcodeBadParam {
        text: &'a str,
    },
    ShortcodeRepeated {
        key: &'a str,
    },
    ShortcodeUnknown {
        name: &'a str,
        known: &'a str,
    },
    ShortcodeParamUnknown {
        name: &'a str,
        param: &'a str,
        allowed: &'a str,
    },
    ShortcodeParamMissing {
        name: &'a str,
        params: &'a str,
    },
    ShortcodeParamConflict {
        name: &'a str,
        params: &'a str,
    },
    ShortcodeBadValue {
        param: &'a str,
        value: &'a str,
        expected: &'a str,
    },
    ShortcodeNoFunds {
        programme: &'a str,
    },
    ShortcodeNoExit {
        village: &'a str,
        year: &'a str,
    },
    ShortcodeInline,
    ShortcodeHint,
    ProseCount {
        shown: &'a str,
        area: &'a str,
        k: u64,
    },
    ProsePercent {
        shown: &'a str,
        area: &'a str,
        k: u64,
    },
    ProseHint,
    MinCountTooLow {
        k: u64,
    },
    // ----- labels -----
    LabelHere,
    LabelThisValue,
    LabelThisTable,
    // ----- privacy, second pass (issue 11) -----
    RosterTable {
        columns: &'a str,
    },
    HouseholdSentence {
        shown: &'a str,
        area: &'a str,
    },
    SensitiveRecordCount {
        name: &'a str,
        k: u64,
    },
    SensitiveRecordHint,
    LinkLeavesPortal {
        link: &'a str,
        target: &'a str,
    },
    LinkIntoPrivate {
        link: &'a str,
        target: &'a str,
    },
    LinkHint,
    PrivatePathEverything {
        path: &'a str,
    },
    PrivatePathOutside {
        path: &'a str,
    },
    PrivatePathMissing {
        path: &'a str,
    },
    AckPersonal {
        kind: &'a str,
    },
    AckPersonalHint,
    // ----- paths and limits (issue 12) -----
    OutputIsRoot {
        path: &'a str,
    },
    OutputHoldsRoot {
        path: &'a str,
    },
    OutputInSource {
        path: &'a str,
        folder: &'a str,
    },
    OutputNotFolder {
        path: &'a str,
    },
    OutputForeign {
        path: &'a str,
        stamp: &'a str,
    },
    OutputHint,
    BadFileName {
        path: &'a str,
    },
    IdPathWord,
    IdPathHint,
    NotRegularFile {
        path: &'a str,
        kind: &'a str,
    },
    NotRegularFileHint,
    FileTooLarge {
        path: &'a str,
        size: u64,
        max: u64,
    },
    LimitsHint,
    FigureTooLarge {
        field: &'a str,
    },
    TooManyRecords {
        count: usize,
        max: usize,
    },
    TooManyShortcodes {
        count: usize,
        max: usize,
    },
    NestedTooDeep {
        max: usize,
    },
    PageTooLarge {
        page: &'a str,
        size: usize,
        max: usize,
    },
    BaseUrlNotHttp,
    // The commands' and the preview's own lines (cmd/, serve/), and the
    // render stage's path clashes.
    Counts {
        errors: usize,
        warnings: usize,
    },
    Built {
        output: &'a str,
        pages: usize,
        tables: usize,
        files: u64,
        kb: &'a str,
        secs: &'a str,
    },
    NotBuilt {
        counts: &'a str,
        output: &'a str,
    },
    CheckPassed {
        counts: &'a str,
    },
    CheckFailed {
        counts: &'a str,
    },
    InitNotEmpty {
        dir: &'a str,
    },
    InitCannotWrite {
        path: &'a str,
        error: &'a str,
    },
    InitCannotCreate {
        path: &'a str,
        error: &'a str,
    },
    ServeInternalError,
    ServeRebuilt {
        pages: usize,
        changed: usize,
        ms: u128,
    },
    ServeNotRebuilt {
        errors: usize,
    },
    ServeCannotStart {
        error: &'a str,
    },
    ServeCannotListen {
        addr: &'a str,
        error: &'a str,
    },
    ServeCannotWatch {
        error: &'a str,
    },
    ServeServingAt {
        url: &'a str,
    },
    ServeError {
        error: &'a str,
    },
    ServeStopped,
    ServeOpenBrowser {
        url: &'a str,
    },
    PathClashFolder {
        top: &'a str,
    },
    PathClashTwoPages {
        path: &'a str,
    },
    PathClashDownloads {
        path: &'a str,
    },
    InitDone {
        dir: &'a str,
    },
    ServeNotLoopback {
        bind: &'a str,
    },
    ContextPruned {
        path: &'a str,
    },
    // ----- values (issue 13 item 3, issue 14 item 2) -----
    CodesOrNames {
        codes: &'a str,
        names: &'a str,
    },
    NumberHint {
        write: &'a str,
        grouped: bool,
        unit: Option<&'a str>,
        as_wan: Option<&'a str>,
    },
    DueNoYearHint,
    DueMonthByHint {
        month: u32,
    },
    /// A cunwu-written output folder holds something the build did not
    /// write (a `.git` checkout, a `CNAME`): replacing it would delete it.
    OutputAddedFile {
        path: &'a str,
        name: &'a str,
    }, // ----- years (issue 13 item 4) -----
    /// Two records of one kind for one area (and kind of progress) and year.
    YearsDuplicate {
        record: &'a str,
        year: i32,
    },
    YearsDuplicateHint,
    /// This year's start is neither last year's remaining nor last year's start.
    YearsCarry {
        what: Fig,
        year: i32,
        start: &'a str,
        prev_year: i32,
        prev_remaining: &'a str,
    },
    YearsCarryHint,
    /// A plan target (relocation) differs from last year's.
    YearsTargetChanged {
        what: Fig,
        year: i32,
        target: &'a str,
        prev_year: i32,
        prev_target: &'a str,
    },
    YearsTargetHint,
    /// Cumulative done went down from one year to a later one.
    YearsDoneDecreased {
        what: Fig,
        year: i32,
        done: &'a str,
        prev_year: i32,
        prev_done: &'a str,
    },
    YearsDoneHint,
    /// A village exited in an earlier year and is not exited now, unexplained.
    YearsExitReverted {
        area: &'a str,
        year: i32,
        status: &'a str,
        prev_year: i32,
    },
    YearsExitHint,
    /// An area's own figure differs from its latest year's.
    YearsCurrent {
        what: Fig,
        value: &'a str,
        year: i32,
        year_value: &'a str,
    },
    YearsCurrentHint,
    /// A label: `2019年 剩余 92` / `2019 remaining 92`.
    LabelYearFigure {
        year: i32,
        what: Fig,
        value: &'a str,
    },
    /// A label: `2019年 已退出` / `2019 exited`.
    LabelYearStatus {
        year: i32,
        status: &'a str,
        key: &'a str,
    },
    // ----- spreadsheets (issue 14 item 3) -----
    SheetUnreadable {
        path: &'a str,
        reason: &'a str,
    },
    SheetUnreadableHint,
    SheetUnknown {
        sheet: &'a str,
        path: &'a str,
    },
    SheetUnknownHint,
    SheetUnknownColumn {
        cell: &'a str,
        header: &'a str,
    },
    SheetDuplicateColumn {
        cell: &'a str,
        header: &'a str,
    },
    SheetColumnHint,
    SheetMissingColumn {
        sheet: &'a str,
        column: &'a str,
        field: &'a str,
    },
    TemplateWritten {
        path: &'a str,
    },
    /// The 说明 sheet of the spreadsheet template, one line a row.
    TemplateNote,
    // ----- figures in prose and corrections (issue 13 items 1, 2) -----
    FigureShortcodeHint,
    FigureNoField {
        id: &'a str,
        field: &'a str,
    },
    ProseFigure {
        written: &'a str,
        record: &'a str,
    },
    ProseFigureHint {
        meant: Option<&'a str>,
        written: &'a str,
    },
    LabelProbablyMeant {
        figure: &'a str,
    },
    CorrectionUnchanged {
        field: &'a str,
        value: u64,
    },
    CorrectionUnchangedHint {
        field: &'a str,
        value: u64,
    },
    // ----- 公示 sheets and attachments (issue 14, items 5 and 6) -----
    NoBaseUrlQr,
    AttachmentKind {
        path: &'a str,
    },
    AttachmentUnreadable {
        path: &'a str,
        reason: &'a str,
    },
    AttachmentTooLarge {
        path: &'a str,
        size: &'a str,
        limit: &'a str,
    },
    AttachmentPdfNoText {
        path: &'a str,
    },
    AttachmentPdfLocked {
        path: &'a str,
    },
    AttachmentLinkMissing {
        target: &'a str,
    },
    AttachmentLinkHint,
    AttachmentNotWhole {
        path: &'a str,
        format: &'a str,
    },
    AttachmentNotRegular {
        path: &'a str,
    },
    AttachmentTooBig {
        path: &'a str,
        size: &'a str,
    },
    /// The preview took in a change; pages are made when they are opened.
    ServeChecked {
        pages: usize,
        ms: u128,
    },
    /// The preview did not serve a file made on request.
    ServeFileRefused {
        path: &'a str,
        errors: usize,
    },
}

impl Msg<'_> {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }

    /// The message in both languages, Chinese first (`中文 / English`): for
    /// lines said before the portal's language is known, or to every reader.
    pub fn both(&self) -> String {
        let zh = self.zh();
        // A full-width stop already ends the Chinese: no space before the slash.
        let sep = if zh.ends_with('。') { "/ " } else { " / " };
        format!("{zh}{sep}{}", self.en())
    }

    fn zh(&self) -> String {
        use Msg::*;
        match self {
            ReadFailed { path, reason } => format!("无法读取文件 {path}：{reason}"),
            NotUtf8 { path } => format!("文件 {path} 不是 UTF-8 编码，请另存为 UTF-8"),
            TomlSyntax { detail } => format!("TOML 格式错误：{detail}"),
            UnknownKind { key, allowed } => {
                format!("不认识的数据种类 `{key}`（可用的种类：{allowed}）")
            }
            UnknownField { field, table } => format!("{table} 中有不认识的字段 `{field}`"),
            DidYouMean { suggestion } => format!("是不是想写 `{suggestion}`？"),
            MissingField { field, table } => format!("{table} 缺少必填字段 `{field}`"),
            WrongType { field } => format!("字段 `{field}` 的类型不对"),
            NotAnId { field } => format!("字段 `{field}` 不是合法的编号"),
            IdHint => "编号只能用小写字母、数字和连字符 -，例如 xialongjing 或 road-2019".into(),
            BadNumber { field } => format!("字段 `{field}` 不是合法的数字"),
            Negative { field } => format!("字段 `{field}` 不能是负数"),
            BadDate { field } => format!("字段 `{field}` 不是合法的日期"),
            DateHint => "日期写成 2020-03-15 的形式（不加引号）".into(),
            DueHint => "可以写：日期 2020-03-15 或 \"2020年3月15日\"；旬 \"2020年3月中旬\"（上旬、中旬、下旬）；\"2020年3月初\"、\"3月中\"、\"3月底\"；月份 \"2020年6月\"；在后面加“前”“以前”“之前”表示截止（\"2020年4月中旬前\" 即 4月20日前，\"4月底前\"）；每月重复的节点 \"2020年7月至12月 每月\"（也可写 \"7—12月每月\"）".into(),
            NotOneOf { field } => format!("字段 `{field}` 的取值不在允许范围内"),
            DuplicateId { kind, id } => format!("{kind}编号 `{id}` 重复"),
            FirstDefinedHere => "第一次定义在这里".into(),
            UnknownRef { kind, id } => format!("找不到{kind} `{id}`"),
            UnknownFile { path } => format!("不认识的文件 {path}"),
            UnknownFileHint => {
                "data/ 下只放 .toml 数据文件和 .xlsx/.ods/.csv 表格，content/ 下只放 .md 文稿；其他文件请放到 static/ 或 private/"
                    .into()
            }
            FrontMatterMissing => "文稿开头缺少用 +++ 包起来的基本信息（标题、日期等）".into(),
            FrontMatterHint => {
                "在第一行写 +++，接着写 title = \"标题\" 和 date = 2020-03-15，再写一行 +++".into()
            }
            FrontMatterUnclosed => "文稿开头的基本信息没有用第二行 +++ 结束".into(),
            BrokenLink { target } => format!("链接指向的文稿 `{target}` 不存在"),
            BrokenLinkHint => "用相对路径链接到 content/ 下存在的 .md 文件".into(),
            ConfigMissing { path } => format!("找不到站点配置文件 {path}"),
            ConfigMissingHint => {
                "在门户根目录运行命令，或用 --root 指定目录；新建门户用 cunwu init 目录".into()
            }
            CountyNotCounty { id } => format!("cunwu.toml 的 county = \"{id}\" 不是县级区域"),
            ParentWrongLevel { child, parent } => {
                format!("区域 `{child}` 的上级 `{parent}` 级别不对")
            }
            DateOutsideYear { year } => format!("日期不在计划年度 {year} 年之内"),
            MilestonesOutOfOrder => "时间节点没有按时间先后排列".into(),
            PreviousMilestone => "前一个节点".into(),
            // ----- check: figures -----
            FundsTotal { total, sum, diff } => format!(
                "总额 {total} 万元不等于群众、财政、社会三项来源之和 {sum} 万元，差 {diff} 万元"
            ),
            FundsTotalHint => "总额和各来源中至少有一个写错了，请对照原方案逐项核对；没有社会投入时可以不写 social".into(),
            FundsVillagers { villagers, sum, diff } => format!(
                "群众筹资投劳 {villagers} 万元不等于筹资与投劳折资之和 {sum} 万元，差 {diff} 万元"
            ),
            FundsVillagersHint => "群众筹资投劳（villagers）= 筹资（cash）+ 投劳折资（labour_value），请逐项核对".into(),
            FundsFiscalLevels { fiscal, sum, diff } => format!(
                "财政奖补 {fiscal} 万元不等于各级财政之和 {sum} 万元，差 {diff} 万元"
            ),
            FundsFiscalLevelsHint => "财政奖补（fiscal）= fiscal_levels 中各级之和；中央和省合列时只写 central_provincial".into(),
            LabourValue { value, days, rate, computed, diff } => format!(
                "投劳折资 {value} 万元与 {days} 个工日 × {rate} 元/工日 ÷ 10000 = {computed} 万元不符，差 {diff} 万元"
            ),
            LabourValueHint => "投劳折资（万元）= 工日 × 日工价（元）÷ 10000，按折资写到的小数位四舍五入后比较".into(),
            ProgrammeSum { what, stated, sum, lines, diff } => {
                let (name, unit) = (what.name(Lang::Zh), what.unit(Lang::Zh));
                format!("项目计划的{name} {stated} {unit}不等于所列 {lines} 行项目的{name}之和 {sum} {unit}，差 {diff} {unit}")
            }
            ProgrammeSumHint => "项目计划的每项资金应等于其下各项目同一来源的合计；请核对项目计划和各项目的数字".into(),
            ProgrammeProjects { stated, listed, lines } => format!(
                "项目计划公布的项目数为 {stated} 个，但所列项目合计 {listed} 个（{lines} 行，按各行的 count 累加）"
            ),
            ProgrammeProjectsHint => "公布数和分项至少有一处有误，请对照原方案核对；一行代表多个同类项目时用 count 写明个数".into(),
            ProgrammeCategories { stated, listed, names } => format!(
                "项目计划公布的项目类别为 {stated} 类，但所列项目共有 {listed} 类：{names}"
            ),
            ProgrammeCategoriesHint => "同一类项目的 category 要写得完全一样；请核对公布的类别数".into(),
            StatusSum { completed, under_construction, not_started, sum, projects } => format!(
                "各状态项目数之和 {completed} + {under_construction} + {not_started} = {sum}，不等于项目数 {projects}"
            ),
            StatusSumHint => "已完工、在建、未开工的项目数加起来应等于项目总数".into(),
            StatusCount { what, stated, listed } => {
                let name = what.name(Lang::Zh);
                format!("公布的{name}项目为 {stated} 个，但所列项目中{name}的合计 {listed} 个")
            }
            StatusCountHint => "核对各项目的 status 和公布的各状态项目数".into(),
            StatusUnverifiable { stated, missing, lines, listed } => format!(
                "公布了各状态的项目数（合计 {stated} 个），但所列 {lines} 行项目（共 {listed} 个）中有 {missing} 行没有登记状态，无法核对"
            ),
            StatusUnverifiableHint => "给每个项目写上 status = \"completed\"、\"under_construction\" 或 \"not_started\"；原方案没有分项状态时，删去 stated 中的状态数并在正文中说明".into(),
            CoveredAreas { what, stated, counted } => format!(
                "公布的{}为 {stated}，但按 covers 统计为 {counted}",
                what.name(Lang::Zh)
            ),
            CoveredAreasHint => "covers 列出项目计划覆盖的乡镇或村；请核对公布的数字和 covers 列表".into(),
            Share { part, found, ratio, whole, expected, diff, tolerance } => {
                let tol = match tolerance {
                    Some(t) => format!("超出声明的允许误差 {t} 万元"),
                    None => "未声明允许误差，按精确值核对".to_string(),
                };
                format!(
                    "{} {found} 万元应为财政奖补 {whole} 万元的 {ratio}，即 {expected} 万元，差 {diff} 万元；{tol}",
                    part.name(Lang::Zh)
                )
            }
            ShareHint => "核对各级财政的数字；原方案按整数万元取整时，在 [[programme.share]] 中写 tolerance = 1".into(),
            PeopleBelowHouseholds { people, households } => {
                format!("人数 {people} 少于户数 {households}，每户至少有一人")
            }
            PeopleBelowHouseholdsHint => "检查人数和户数是否写反，或多写、少写了一位".into(),
            LabourersAbovePeople { labourers, people } => format!("劳动力 {labourers} 多于人数 {people}"),
            LabourersAbovePeopleHint => "劳动力是人口的一部分，不能多于人数；检查是否写反或多写了一位".into(),
            BeneficiariesAboveArea { beneficiaries, area, population } => format!(
                "受益人数 {beneficiaries} 超过所服务区域 `{area}` 的人口 {population}"
            ),
            BeneficiariesAboveCovered { beneficiaries, areas, population } => format!(
                "受益人数 {beneficiaries} 超过覆盖的 {areas} 个区域的人口之和 {population}"
            ),
            BeneficiariesHint => "受益人数不能多于所服务区域的人口；核对受益人数，或把项目归到更大的区域".into(),
            ChildrenAboveParent { what, children, sum, parent, value } => {
                let name = what.name(Lang::Zh);
                format!("`{parent}` 下级 {children} 个区域的{name}合计 {sum}，超过 `{parent}` 本身的{name} {value}")
            }
            ChildrenAboveParentHint => "上级区域的数字应包含全部下级区域；核对上级和各下级的数字".into(),
            PercentOutOfRange { value } => format!("百分比 {value} 不在 0 到 100 之间"),
            PercentHint => "百分比直接写百分数，如 0.94 表示 0.94%".into(),
            RemainingMismatch { what, start_word, start, done, expected, remaining } => format!(
                "{}：{} {start} − 已完成 {done} = {expected}，但剩余写的是 {remaining}",
                what.name(Lang::Zh),
                start_word.name(Lang::Zh)
            ),
            RemainingHint => "剩余 = 起始（或目标）− 已完成；核对这三个数".into(),
            DoneAboveStart { what, start_word, done, start } => format!(
                "{}：已完成 {done} 超过{} {start}",
                what.name(Lang::Zh),
                start_word.name(Lang::Zh)
            ),
            ThisYearAboveRemaining { what, this_year, remaining } => format!(
                "{}：今年计划 {this_year} 超过剩余 {remaining}",
                what.name(Lang::Zh)
            ),
            DoneHint => "已完成不能超过起始数或目标数，今年计划不能超过剩余数".into(),
            IncidenceMismatch { stated, remaining, population, exact, decimals, computed } => format!(
                "贫困发生率写的是 {stated}%，按剩余贫困人口 {remaining} ÷ 人口 {population} × 100 = {exact}… 计算，保留 {decimals} 位小数应为 {computed}%"
            ),
            IncidenceHint => "贫困发生率 = 剩余贫困人口 ÷ 区域人口 × 100，按写出的小数位四舍五入；核对剩余人数、区域人口和发生率".into(),
            IndicatorNotMet { name, key } => {
                format!("村已标为已退出，但退出指标“{name}”（{key}）未达到")
            }
            IndicatorNotBelow { name, key, value, below } => format!(
                "村已标为已退出，但“{name}”（{key}）为 {value}%，不低于 {below}%"
            ),
            IndicatorMissing { name, key } => format!("缺少退出指标“{name}”（{key}）"),
            IndicatorUnknown { key, known } => {
                format!("不认识的退出指标 `{key}`（已配置的指标：{known}）")
            }
            IndicatorWrongType { name, key, flag: true } => {
                format!("退出指标“{name}”（{key}）应写 true 或 false")
            }
            IndicatorWrongType { name, key, flag: false } => {
                format!("退出指标“{name}”（{key}）应写百分比数字")
            }
            ExitIndicatorHint => "[exit.indicators] 为 cunwu.toml 配置的每项指标各写一行；有指标未达到的村不能标为 status = \"exited\"".into(),
            HousingAboveLimit { value, limit } => format!(
                "易地扶贫搬迁人均住房面积 {value} 平方米，超过政策上限 {limit} 平方米"
            ),
            HousingHint => "易地扶贫搬迁新建住房的人均面积不得超过政策上限，搬迁户也不能因建房负债；请核对面积".into(),
            LabelFigure { what, value } => format!("{} {value}", what.label(Lang::Zh)),
            LabelRecordFigure { record, what, value } => {
                format!("{record}：{} {value}", what.label(Lang::Zh))
            }
            LabelNoStatus { record } => format!("{record}：未登记状态"),
            LabelIndicator { name, value } => format!("{name} {value}"),
            LabelMissingIndicator { name } => format!("缺少“{name}”"),
            LabelExited => "已退出".into(),
            LabelCoveredArea { id, level } => format!("{id}：{}", level.name_zh()),
            // ----- notice -----
            NoticeEndBeforeStart { start, end } => {
                format!("公示结束日期 {end} 早于开始日期 {start}")
            }
            NoticeTooShort { start, end, days, min } => {
                format!("公示期 {start} 至 {end} 只有 {days} 天（含首尾两天），少于规定的 {min} 天")
            }
            NoticeHint => "公示至少张贴 10 天（开始和结束当天都算）：end 不早于 start 加 9 天，例如 start = 2020-03-01 时 end 至少为 2020-03-10".into(),
            LabelNoticeStart { date } => format!("开始 {date}"),
            LabelNoticeEnd { date } => format!("结束 {date}"),
            TemplateFailed { template, detail } => {
                format!("模板 {template} 出错：{detail}")
            }
            WriteFailed { path, reason } => format!("无法写入 {path}：{reason}"),
            IndividualKind { key } => format!(
                "数据种类 `{key}` 描述的是单个农户或个人，这类信息一律不得公开"
            ),
            IndividualField { field } => format!(
                "字段 `{field}` 是个人信息（姓名、证件号、电话、住址或个人收入），不得写入公开数据"
            ),
            IndividualHint => "门户只收汇总数字（户数、人数、金额）；花名册和台账请放在门户以外或 private/ 目录，按户的监测结果不申请、不宣传、不公示".into(),
            IdentifierFound { kind } => format!("发现{kind}，个人信息不得公开"),
            IdentifierHint => "删除这一号码；如果是公开的办公电话或邮箱，请写进 cunwu.toml 的 [privacy] allow；如果不是个人号码，可在本文件中用 privacy_ack 写明理由".into(),
            AckUnused => "这条 privacy_ack 在本文件中没有对应的号码，请删除".into(),
            RosterInsidePortal { path } => format!("名单文件 {path} 在门户目录之内，可能被公开；请放到门户目录以外"),
            RosterUnreadable { path, reason } => format!("无法读取名单文件 {path}：{reason}"),
            RosterNameFound { masked, path } => format!("监测名单中的姓名 {masked} 出现在 {path}"),
            RosterHint => "删除该姓名；如属同名的公开人物，请改写文稿避免出现该姓名".into(),
            // ----- shortcodes -----
            ShortcodeUnclosed => "嵌入代码缺少结尾的 >}}（整段代码要写在同一行）".into(),
            ShortcodeBadName => "嵌入代码 {{< 后面应是名称，例如 funds".into(),
            ShortcodeBadParam { text } => format!("嵌入代码的参数 `{text}` 写法不对，应写成 名称=\"值\""),
            ShortcodeRepeated { key } => format!("嵌入代码的参数 `{key}` 写了两次"),
            ShortcodeUnknown { name, known } => format!("不认识的嵌入代码 `{name}`（可用的有：{known}）"),
            ShortcodeParamUnknown { name, param, allowed } => {
                format!("嵌入代码 `{name}` 没有参数 `{param}`（可用的参数：{allowed}）")
            }
            ShortcodeParamMissing { name, params } => format!("嵌入代码 `{name}` 要写明 {params}"),
            ShortcodeParamConflict { name, params } => format!("嵌入代码 `{name}` 的 {params} 只能写一个"),
            ShortcodeBadValue { param, value, expected } => {
                format!("嵌入代码的参数 {param} = \"{value}\" 不对，应为{expected}")
            }
            ShortcodeNoFunds { programme } => format!("项目计划 `{programme}` 没有登记资金来源，无法嵌入资金表"),
            ShortcodeNoExit { village, year } => format!("区域 `{village}` 没有{year}贫困村退出指标数据"),
            ShortcodeInline => "嵌入代码要单独成段（前后各空一行），不能写在句子、列表或表格中间".into(),
            ShortcodeHint => "嵌入代码单独写一行，前后各空一行，例如 {{< funds programme=\"yishiyiyi-2019\" >}}；可用的代码和参数见 docs/shortcodes.md".into(),
            ProseCount { shown, area, k } => format!(
                "{area}的文稿写了“{shown}”：村一级少于 {k} 的返贫、监测、贫困户数或人数会指向具体农户，不得公开"
            ),
            ProsePercent { shown, area, k } => format!(
                "{area}的文稿写了“{shown}”：按本村户数或人口可以推算出少于 {k} 户（人），不得公开"
            ),
            ProseHint => "改为写乡镇一级的汇总数，或写“少于5户”而不写具体数字；0 户可以照写".into(),
            MinCountTooLow { k } => format!("[privacy] min_count = {k} 太小，小数字保护至少为 3"),
            LabelHere => "这里".into(),
            LabelThisValue => "这个值".into(),
            LabelThisTable => "这一项".into(),
            RosterTable { columns } => format!(
                "这张表格按户列出个人信息（表头：{columns}），是花名册、台账的样子，这类信息一律不得公开"
            ),
            HouseholdSentence { shown, area } => format!(
                "{area}的文稿把一户人家（“{shown}”）和它的收入或风险写在一起，村里人能认出是哪一户，不得公开"
            ),
            SensitiveRecordCount { name, k } => format!(
                "“{name}”是关于返贫、监测对象或边缘户的活动或项目，参加或受益的户数、人数少于 {k}，会指向具体农户，不得公开"
            ),
            SensitiveRecordHint => "删去参加人数、受益户数，或把这项活动并到乡镇一级、和其他对象一起统计".into(),
            LinkLeavesPortal { link, target } => format!(
                "{link} 是一个链接，指向门户目录以外的 {target}；门户以外的文件一律不读取"
            ),
            LinkIntoPrivate { link, target } => format!(
                "{link} 是一个链接，指向不公开的目录 {target}；不公开的文件一律不读取"
            ),
            LinkHint => "删掉这个链接；要公开的内容请直接放进 data/ 或 content/".into(),
            PrivatePathEverything { path } => format!(
                "[privacy] private 里的“{path}”会把整个门户（或全部数据、全部文稿）标为不公开；请写具体的子目录，例如 data/registers"
            ),
            PrivatePathOutside { path } => format!(
                "[privacy] private 里的“{path}”在门户目录以外；这里只能写门户里面的路径，例如 data/registers"
            ),
            PrivatePathMissing { path } => format!(
                "[privacy] private 里的“{path}”不存在，什么也没有标为不公开；请检查拼写"
            ),
            AckPersonal { kind } => format!("privacy_ack 不能放行个人号码：这是一个有效的{kind}"),
            AckPersonalHint => "身份证号、手机号、银行卡号是个人号码，任何理由都不能公开，请从文件中删除；单位的办公电话请写进 cunwu.toml 的 [privacy] allow".into(),
            OutputIsRoot { path } => format!("输出目录 {path} 就是门户目录本身，生成网站会把整个门户替换掉，已拒绝，没有改动任何文件"),
            OutputHoldsRoot { path } => format!("输出目录 {path} 包含门户目录，生成网站会把门户一起删掉，已拒绝，没有改动任何文件"),
            OutputInSource { path, folder } => format!("输出目录 {path} 在门户的 {folder}/ 里，生成网站会替换你的文件，已拒绝，没有改动任何文件"),
            OutputNotFolder { path } => format!("输出目录 {path} 已存在但不是文件夹（是文件或失效的链接），已拒绝，没有改动任何文件"),
            OutputForeign { path, stamp } => format!("输出目录 {path} 里有不是 cunwu 生成的文件（没有标记文件 {stamp}），生成网站会删掉它们，已拒绝，没有改动任何文件"),
            BadFileName { path } => format!("文件名或文件夹名 content/{path} 不能用作网页地址"),
            IdPathWord => "编号路径".into(),
            IdPathHint => "编号和文件名只能用汉字、字母、数字和 - _ .，用 / 分层，不能以 . 开头或结尾，每层最多 100 字节（约 33 个汉字），全长最多 200 字节，也不能是 con、nul、com1 这类设备名".into(),
            NotRegularFile { path, kind } => format!("{path} 不是普通文件（是 {kind}），没有读取"),
            NotRegularFileHint => "data/ 和 content/ 里只放普通文件；把它移走或删掉".into(),
            FileTooLarge { path, size, max } => format!("文件 {path} 有 {size} 字节，超过上限 {max} 字节，没有读取"),
            FigureTooLarge { field } => format!("字段 `{field}` 的数太大，超过了任何真实的金额或人数，无法核算"),
            TooManyRecords { count, max } => format!("门户共有 {count} 条数据记录，超过上限 {max} 条"),
            TooManyShortcodes { count, max } => format!("这篇文稿有 {count} 个短代码，超过上限 {max} 个"),
            NestedTooDeep { max } => format!("这篇文稿的 HTML 标签、引用或列表嵌套超过 {max} 层"),
            PageTooLarge { page, size, max } => format!("网页 {page} 有 {size} 字节，超过上限 {max} 字节，村民的手机打不开"),
            BaseUrlNotHttp => "base_url 必须是以 http:// 或 https:// 开头的网址".into(),
            LimitsHint => "把内容拆成几个文件或几个页面；各项上限见 docs/limits.md".into(),
            Counts { errors, warnings } => format!("{errors} 个错误，{warnings} 个警告"),
            Built { output, pages, tables, files, kb, secs } => format!("已生成 {output}：{pages} 个页面，{tables} 张数据表，共 {files} 个文件（{kb} KB），用时 {secs} 秒"),
            NotBuilt { counts, output } => format!("未生成网站：{counts}。{output} 保持原样。"),
            CheckPassed { counts } => format!("核查通过：{counts}"),
            CheckFailed { counts } => format!("核查未通过：{counts}"),
            InitNotEmpty { dir } => format!("目录 {dir} 已存在且不为空，未做任何改动。"),
            InitCannotWrite { path, .. } => format!("无法写入 {path}"),
            InitCannotCreate { path, .. } => format!("无法创建 {path}"),
            ServeInternalError => "内部错误，网站未更新".into(),
            ServeRebuilt { pages, changed, ms } => format!("已更新：{pages} 个页面，{changed} 个文件有变化，用时 {ms} 毫秒"),
            ServeNotRebuilt { errors } => format!("未更新：{errors} 个错误，浏览器中仍显示上一次的网站"),
            ServeCannotStart { .. } => "无法启动预览服务".into(),
            ServeCannotListen { addr, .. } => format!("无法监听 {addr}"),
            ServeCannotWatch { .. } => "无法监视文件变化，修改后需手动重启".into(),
            ServeServingAt { .. } => "预览地址".into(),
            ServeError { .. } => "预览服务出错".into(),
            ServeStopped => "已停止预览".into(),
            ServeOpenBrowser { url } => format!("请在浏览器中打开 {url}"),
            PathClashFolder { top } => format!("content/{top}/ 与生成的数据页面同名，请改用其他目录名"),
            PathClashTwoPages { path } => format!("两个页面都要写到 {path}"),
            PathClashDownloads { path } => format!("{path} 与数据下载同名，请改用其他名称"),
            InitDone { dir } => format!("已新建门户 {dir}。下一步"),
            ServeNotLoopback { bind } => format!("警告：预览服务绑定在 {bind} 上，局域网内其他电脑也能访问未发布的内容。"),
            ContextPruned { path } => format!("{path}：内容已变，预览却以为这次修改不会影响它"),
            OutputHint => "用 --output 指定一个新的或空的文件夹，或者 cunwu 以前生成的网站文件夹；默认是门户下的 public/".into(),
            CodesOrNames { codes, names } => format!("{codes}，或中文 {names}"),
            NumberHint { write, grouped, unit, as_wan } => {
                let mut out = format!("写成 {write}（不加引号）");
                match (grouped, unit) {
                    (true, Some(u)) => out.push_str(&format!("，不要千分位逗号和单位“{u}”")),
                    (true, None) => out.push_str("，不要千分位逗号"),
                    (false, Some(u)) => out.push_str(&format!("，不要单位“{u}”")),
                    (false, None) => {}
                }
                if let Some(w) = as_wan {
                    out.push_str(&format!("；注意金额字段以万元为单位，{write}元 = {w}万元（劳务单价 labour_rate 才以元为单位）"));
                } else if unit.is_some() {
                    out.push_str("；每个字段的单位见 docs/zh/data.md");
                }
                out
            }
            DueNoYearHint => "这个时间没有写年份：写成 \"2020年4月中旬前\" 这样带年份的形式，或在这个节点里加一行 year = 2020".into(),
            DueMonthByHint { month } => {
                let before = if *month == 1 { 12 } else { month - 1 };
                format!("\"{month}月前\" 说不清是 {month} 月底以前还是 {month} 月开始以前：写成 \"{month}月底前\" 或 \"{before}月底前\"")
            }
            OutputAddedFile { path, name } => format!("输出目录 {path} 是 cunwu 生成的，但里面多了不是 cunwu 生成的 {name}，生成网站会删掉它，已拒绝，没有改动任何文件（把它移到别处，或换一个输出目录）"),
            SheetUnreadable { path, reason } => format!("表格文件 {path} 打不开：{reason}"),
            SheetUnreadableHint => "用 Excel 或 WPS 打开后另存为 .xlsx（或 .csv），再放回 data/ 下".into(),
            SheetUnknown { sheet, path } => format!("{path} 里的工作表“{sheet}”不是 cunwu 认识的数据种类"),
            SheetUnknownHint => "把工作表改名为一种数据的名称（如“项目”“地区”“活动”）；CSV 文件用种类作文件名，如 项目.csv 或 下龙井村-项目.csv；填写说明可放在名为“说明”的工作表里".into(),
            SheetUnknownColumn { cell, header } => format!("单元格 {cell} 的列名“{header}”不是这种数据的列"),
            SheetDuplicateColumn { cell, header } => format!("单元格 {cell} 的列名“{header}”和前面的一列重复"),
            SheetColumnHint => "列名用模板里的中文名（单位写在括号里也可以，如“总投资（万元）”）或字段代码（如 funds.total）；cunwu template 可生成模板".into(),
            SheetMissingColumn { sheet, column, field } => format!("工作表“{sheet}”缺少必填的列“{column}”（{field}），这张表没有读入"),
            TemplateWritten { path } => format!("已生成表格模板 {path}"),
            TemplateNote => "填写说明\n每张工作表是一种数据：地区、计划、项目、进度、返贫、退出、活动、节点。第一行是列名，不要改；从第二行起每行一条。\n不需要的列可以删掉，带“编号”“名称”等必填列不能删。列名后括号里是单位：金额一律以万元为单位，只填数字，不要写“元”“万元”或千分位逗号。\n级别、状态、类型可以填中文（乡、村、已完工、在建、未开工、文化……），是否类的填“是”或“否”。日期写成 2020-03-15。\n表格里不得出现任何个人信息：姓名、身份证号、电话、住址、收入等列会使整张表被拒绝。\n填好后把文件放到门户的 data/ 目录下，运行 cunwu check 核查；发现的问题会写明工作表和单元格，如“项目!C7”。".into(),
            YearsDuplicate { record, year } => format!("{record} 的 {year} 年数字写了不止一次"),
            YearsDuplicateHint => "同一区域（同一种进度）每年只写一条记录；删掉重复的一条，或改正它的年份".into(),
            YearsCarry { what, year, start, prev_year, prev_remaining } => format!(
                "{}：{year}年起始 {start}，不等于{prev_year}年剩余 {prev_remaining}",
                what.name(Lang::Zh)
            ),
            YearsCarryHint => "今年的起始数应等于去年的剩余数；如果每年都从同一个基数算起（已完成是累计数），起始数应与去年相同；确有变化（如重新核定）的，在今年的记录里写 change_reason = \"原因\"".into(),
            YearsTargetChanged { what, year, target, prev_year, prev_target } => format!(
                "{}：{year}年目标 {target}，与{prev_year}年目标 {prev_target} 不同",
                what.name(Lang::Zh)
            ),
            YearsTargetHint => "规划目标每年应相同，核对两年的目标数；规划确实调整了目标的，在今年的记录里写 change_reason = \"原因\"".into(),
            YearsDoneDecreased { what, year, done, prev_year, prev_done } => format!(
                "{}：{year}年累计已完成 {done}，比{prev_year}年的 {prev_done} 还少",
                what.name(Lang::Zh)
            ),
            YearsDoneHint => "从同一基数或目标算起的已完成是累计数，只增不减；核对两年的已完成数".into(),
            YearsExitReverted { area, year, status, prev_year } => format!(
                "{area}在{prev_year}年已退出，{year}年却写成“{status}”，没有说明原因"
            ),
            YearsExitHint => "已退出的贫困村以后各年仍写“已退出”；确实有变化的，在这一年的记录里写 change_reason = \"原因\"".into(),
            YearsCurrent { what, value, year, year_value } => format!(
                "{}：区域记录写 {value}，最近一年（{year}年）写 {year_value}",
                what.name(Lang::Zh)
            ),
            YearsCurrentHint => "[[area]] 里的数字是当前数字，应与最近一年的 [[area_year]] 相同；改正其中一个，或删掉 [[area]] 里的这个数字".into(),
            LabelYearFigure { year, what, value } => format!("{year}年 {} {value}", what.label(Lang::Zh)),
            LabelYearStatus { year, status, .. } => format!("{year}年 {status}"),
            FigureShortcodeHint => "在句子里引用数据中的数字写成 {{< figure programme=\"编号\" field=\"total\" >}}（也可以用 project= 或 area=）；与数据不同的手写数字写成 {{< known figure=\"25个\" reason=\"理由\" >}}。可用的 field 见 docs/shortcodes.md".into(),
            FigureNoField { id, field } => format!("`{id}` 没有名为 `{field}` 的数字（或这一项没有填写）"),
            ProseFigure { written, record } => format!("文中写的 {written} 与「{record}」及其下属记录的数字都对不上"),
            ProseFigureHint { meant, written } => {
                let mut out = match meant {
                    Some(m) => format!("可能是想写 {m}。"),
                    None => String::new(),
                };
                out.push_str(&format!("用 {{{{< figure … >}}}} 从数据引用数字就不会写错；如果这个数字确实与数据不同（引用原文、政策标准等），写成 {{{{< known figure=\"{written}\" reason=\"理由\" >}}}}"));
                out
            }
            LabelProbablyMeant { figure } => format!("可能是指这个数字：{figure}"),
            CorrectionUnchanged { field, value } => format!("`{field}` 的更正前后都是 {value}，没有更正任何数字"),
            CorrectionUnchangedHint { field, value } => format!("原公布的数字没有错就不用写更正：直接写 {field} = {value}"),
            AttachmentKind { path } => format!("{path}：static/ 里只能放 JPEG、PNG 图片（.jpg .jpeg .png）和 PDF；Word、Excel 等文件请另存为 PDF 再放进来，因为隐私检查只能读这些格式"),
            AttachmentUnreadable { path, reason } => format!("{path}：附件无法读取或不是完整的图片/PDF 文件（{reason}），没有发布"),
            AttachmentTooLarge { path, size, limit } => format!("{path} 有 {size}，超过了 [attachments] max_size_kb 设定的 {limit}：村民用手机流量下载很慢，请压缩或缩小后再放"),
            AttachmentPdfNoText { path } => format!("{path} 里没有可读的文字（多半是扫描件）：隐私检查看不到图片里的字，发布前请人工核对其中没有身份证号、手机号、银行卡号和监测对象姓名"),
            AttachmentPdfLocked { path } => format!("{path} 是加密的 PDF，隐私检查读不了其中的文字，不能发布；请另存为不加密的 PDF"),
            AttachmentLinkMissing { target } => format!("链接的附件 {target} 在 static/ 里找不到"),
            AttachmentLinkHint => "附件放在门户的 static/ 文件夹里，链接写成 /static/文件名（例如 ![公示栏照片](/static/photos/公示栏.jpg)）；注意文件名的大小写和扩展名".into(),
            AttachmentNotWhole { path, format } => format!("{path}：不是完整的 {format} 文件（可能没有复制完或已损坏），没有发布"),
            AttachmentNotRegular { path } => format!("{path}：是链接或特殊文件，不是普通文件，没有发布；请把文件本身放进 static/"),
            AttachmentTooBig { path, size } => format!("{path} 有 {size}，超过了附件的上限 64 MB，没有读取也没有发布"),
            NoBaseUrlQr => "cunwu.toml 中没有 base_url（网站发布后的网址）：公示单上不印二维码，也不生成各村的二维码海报。网站要发布到网上时，在 cunwu.toml 里加一行 base_url = \"https://…/\"".into(),
            ServeChecked { pages, ms } => format!("已更新：{pages} 个页面（打开时生成），检查用时 {ms} 毫秒"),
            ServeFileRefused { path, errors } => format!("未显示 {path}：{errors} 个错误"),
        }
    }

    fn en(&self) -> String {
        use Msg::*;
        match self {
            ReadFailed { path, reason } => format!("cannot read {path}: {reason}"),
            NotUtf8 { path } => format!("{path} is not UTF-8 text; save it as UTF-8"),
            TomlSyntax { detail } => format!("TOML syntax error: {detail}"),
            UnknownKind { key, allowed } => {
                format!("unknown kind of data `{key}` (known kinds: {allowed})")
            }
            UnknownField { field, table } => format!("unknown field `{field}` in {table}"),
            DidYouMean { suggestion } => format!("did you mean `{suggestion}`?"),
            MissingField { field, table } => format!("missing field `{field}` in {table}"),
            WrongType { field } => format!("field `{field}` has the wrong type"),
            NotAnId { field } => format!("field `{field}` is not a valid id"),
            IdHint => "ids use lowercase letters, digits and -, e.g. xialongjing or road-2019".into(),
            BadNumber { field } => format!("field `{field}` is not a valid number"),
            Negative { field } => format!("field `{field}` must not be negative"),
            BadDate { field } => format!("field `{field}` is not a valid date"),
            DateHint => "write dates as 2020-03-15 (without quotes)".into(),
            DueHint => {
                "accepted: a day 2020-03-15 or \"2020年3月15日\"; a 旬 \"2020年3月中旬\" (上旬, 中旬, 下旬); \"2020年3月初\", \"3月中\", \"3月底\"; a month \"2020年6月\"; any of them followed by 前/以前/之前 for \"by\" (\"2020年4月中旬前\" is due 4/20); a monthly step \"2020年7月至12月 每月\" (or \"7—12月每月\")".into()
            }
            NotOneOf { field } => format!("field `{field}` has a value that is not allowed"),
            DuplicateId { kind, id } => format!("duplicate {kind} id `{id}`"),
            FirstDefinedHere => "first defined here".into(),
            UnknownRef { kind, id } => format!("no {kind} with id `{id}`"),
            UnknownFile { path } => format!("unknown file {path}"),
            UnknownFileHint => {
                "data/ holds only .toml data files and .xlsx/.ods/.csv spreadsheets, and content/ only .md documents; put other files in static/ or private/".into()
            }
            FrontMatterMissing => {
                "the document does not start with front matter between +++ lines".into()
            }
            FrontMatterHint => {
                "start with a +++ line, then title = \"...\" and date = 2020-03-15, then another +++ line".into()
            }
            FrontMatterUnclosed => "the front matter is not closed by a second +++ line".into(),
            BrokenLink { target } => format!("link to a missing document `{target}`"),
            BrokenLinkHint => "link with a relative path to an existing .md file under content/".into(),
            ConfigMissing { path } => format!("no site configuration {path}"),
            ConfigMissingHint => {
                "run in the portal's folder or pass --root DIR; make a new portal with cunwu init DIR".into()
            }
            CountyNotCounty { id } => format!("county = \"{id}\" in cunwu.toml is not a county"),
            ParentWrongLevel { child, parent } => {
                format!("area `{child}` has a parent `{parent}` of the wrong level")
            }
            DateOutsideYear { year } => format!("date is outside the plan's year {year}"),
            MilestonesOutOfOrder => "milestones are not in date order".into(),
            PreviousMilestone => "previous milestone".into(),
            // ----- check: figures -----
            FundsTotal { total, sum, diff } => format!(
                "total {total} 万元 is not the sum of its sources (villagers + fiscal + social), {sum} 万元: off by {diff} 万元"
            ),
            FundsTotalHint => "at least one of the total and its sources is mistyped: compare each with the source plan; leave out social when there is none".into(),
            FundsVillagers { villagers, sum, diff } => format!(
                "villagers' share {villagers} 万元 is not cash + labour value, {sum} 万元: off by {diff} 万元"
            ),
            FundsVillagersHint => "villagers = cash + labour_value; check each figure".into(),
            FundsFiscalLevels { fiscal, sum, diff } => format!(
                "fiscal awards {fiscal} 万元 are not the sum of their levels, {sum} 万元: off by {diff} 万元"
            ),
            FundsFiscalLevelsHint => "fiscal = the sum of fiscal_levels; when central and provincial money is given together, write only central_provincial".into(),
            LabourValue { value, days, rate, computed, diff } => format!(
                "labour value {value} 万元 does not match {days} days × {rate} 元/day ÷ 10000 = {computed} 万元: off by {diff} 万元"
            ),
            LabourValueHint => "labour value (万元) = labour days × daily rate (元) ÷ 10000, rounded to the decimals the labour value is written with".into(),
            ProgrammeSum { what, stated, sum, lines, diff } => {
                let (name, unit) = (what.name(Lang::En), what.unit(Lang::En));
                format!("the programme's {name}, {stated} {unit}, does not equal the sum over its {lines} listed project lines, {sum} {unit}: off by {diff} {unit}")
            }
            ProgrammeSumHint => "each figure of a programme's funds equals the sum of the same figure over its projects; check the programme's and each project's figures".into(),
            ProgrammeProjects { stated, listed, lines } => format!(
                "the programme states {stated} projects, but its listed projects add up to {listed} ({lines} lines, adding each line's count)"
            ),
            ProgrammeProjectsHint => "the stated number or a listed line is wrong: compare with the source plan; a line that stands for several like projects says how many with count".into(),
            ProgrammeCategories { stated, listed, names } => format!(
                "the programme states {stated} categories, but its projects have {listed}: {names}"
            ),
            ProgrammeCategoriesHint => "projects of one category must spell category exactly alike; check the stated number".into(),
            StatusSum { completed, under_construction, not_started, sum, projects } => format!(
                "the status counts {completed} + {under_construction} + {not_started} = {sum} do not add up to the {projects} projects"
            ),
            StatusSumHint => "completed, under construction and not started must add up to the number of projects".into(),
            StatusCount { what, stated, listed } => {
                let name = what.name(Lang::En);
                format!("the programme's stated count of projects {name}, {stated}, does not match its listed projects {name}, {listed}")
            }
            StatusCountHint => "check each project's status and the stated status counts".into(),
            StatusUnverifiable { stated, missing, lines, listed } => format!(
                "the programme states status counts (adding up to {stated}), but {missing} of its {lines} listed project lines ({listed} projects) have no status, so the counts cannot be verified"
            ),
            StatusUnverifiableHint => "give every project status = \"completed\", \"under_construction\" or \"not_started\"; if the source plan gives no status per project, remove the status counts from stated and explain in the plan's text".into(),
            CoveredAreas { what, stated, counted } => format!(
                "the programme states {stated} {}, but covers lists {counted}",
                what.name(Lang::En)
            ),
            CoveredAreasHint => "covers lists the townships or villages the programme covers; check the stated number and the list".into(),
            Share { part, found, ratio, whole, expected, diff, tolerance } => {
                let tol = match tolerance {
                    Some(t) => format!("more than the declared tolerance of {t} 万元"),
                    None => "no tolerance is declared, so the share must be exact".to_string(),
                };
                format!(
                    "{} {found} 万元 should be {ratio} of fiscal awards {whole} 万元, that is {expected} 万元: off by {diff} 万元, {tol}",
                    part.name(Lang::En)
                )
            }
            ShareHint => "check the fiscal levels; if the plan rounds to whole 万元, declare tolerance = 1 in [[programme.share]]".into(),
            PeopleBelowHouseholds { people, households } => format!(
                "people {people} are fewer than households {households}; every household has at least one person"
            ),
            PeopleBelowHouseholdsHint => "check whether people and households are swapped, or a digit is missing or extra".into(),
            LabourersAbovePeople { labourers, people } => {
                format!("labourers {labourers} outnumber people {people}")
            }
            LabourersAbovePeopleHint => "labourers are part of the people and cannot outnumber them; check for swapped figures or an extra digit".into(),
            BeneficiariesAboveArea { beneficiaries, area, population } => format!(
                "beneficiaries {beneficiaries} exceed the population {population} of the area served, `{area}`"
            ),
            BeneficiariesAboveCovered { beneficiaries, areas, population } => format!(
                "beneficiaries {beneficiaries} exceed the population of the {areas} covered areas, {population} in all"
            ),
            BeneficiariesHint => "beneficiaries cannot outnumber the population of the area served; check the figure, or assign the project to a larger area".into(),
            ChildrenAboveParent { what, children, sum, parent, value } => {
                let name = what.name(Lang::En);
                format!("the {name} of the {children} areas under `{parent}` add up to {sum}, more than its own {name} {value}")
            }
            ChildrenAboveParentHint => "a parent area's figure includes all its children; check the parent's and each child's figure".into(),
            PercentOutOfRange { value } => format!("percentage {value} is not between 0 and 100"),
            PercentHint => "write percentages as numbers of percent: 0.94 means 0.94 %".into(),
            RemainingMismatch { what, start_word, start, done, expected, remaining } => format!(
                "{}: {} {start} − done {done} = {expected}, but remaining is {remaining}",
                what.name(Lang::En),
                start_word.name(Lang::En)
            ),
            RemainingHint => "remaining = start (or target) − done; check the three figures".into(),
            DoneAboveStart { what, start_word, done, start } => format!(
                "{}: done {done} exceeds {} {start}",
                what.name(Lang::En),
                start_word.name(Lang::En)
            ),
            ThisYearAboveRemaining { what, this_year, remaining } => format!(
                "{}: this year's goal {this_year} exceeds remaining {remaining}",
                what.name(Lang::En)
            ),
            DoneHint => "done cannot exceed the start or target, and this year's goal cannot exceed what remains".into(),
            IncidenceMismatch { stated, remaining, population, exact, decimals, computed } => format!(
                "stated poverty incidence {stated} % does not match remaining poor people {remaining} ÷ population {population} × 100 = {exact}…, which is {computed} % at {decimals} decimals"
            ),
            IncidenceHint => "incidence = remaining poor people ÷ the area's population × 100, rounded to the decimals written; check the remaining people, the area's population and the incidence".into(),
            IndicatorNotMet { name, key } => format!(
                "the village is marked exited but does not meet the exit indicator “{name}” ({key})"
            ),
            IndicatorNotBelow { name, key, value, below } => format!(
                "the village is marked exited but “{name}” ({key}) is {value} %, not below {below} %"
            ),
            IndicatorMissing { name, key } => format!("exit indicator “{name}” ({key}) is missing"),
            IndicatorUnknown { key, known } => {
                format!("unknown exit indicator `{key}` (configured: {known})")
            }
            IndicatorWrongType { name, key, flag: true } => {
                format!("exit indicator “{name}” ({key}) takes true or false")
            }
            IndicatorWrongType { name, key, flag: false } => {
                format!("exit indicator “{name}” ({key}) takes a percentage")
            }
            ExitIndicatorHint => "[exit.indicators] has one line for each indicator configured in cunwu.toml; a village that misses one cannot be status = \"exited\"".into(),
            HousingAboveLimit { value, limit } => format!(
                "relocation housing {value} m² per person exceeds the policy limit of {limit} m²"
            ),
            HousingHint => "new housing for relocated households must stay within the policy limit per person and must not put them into debt; check the figure".into(),
            LabelFigure { what, value } => format!("{} {value}", what.label(Lang::En)),
            LabelRecordFigure { record, what, value } => {
                format!("{record}: {} {value}", what.label(Lang::En))
            }
            LabelNoStatus { record } => format!("{record}: no status"),
            LabelIndicator { name, value } => format!("{name} {value}"),
            LabelMissingIndicator { name } => format!("missing “{name}”"),
            LabelExited => "exited".into(),
            LabelCoveredArea { id, level } => format!("{id}: {}", level.key()),
            // ----- notice -----
            NoticeEndBeforeStart { start, end } => {
                format!("the notice ends on {end}, before it starts on {start}")
            }
            NoticeTooShort { start, end, days, min } => {
                format!("the notice period {start} to {end} is {days} days (both ends counted), fewer than the required {min}")
            }
            NoticeHint => "a public notice stays posted for at least 10 days, both ends counted: end must be at least start + 9 days, e.g. start = 2020-03-01 and end = 2020-03-10 or later".into(),
            LabelNoticeStart { date } => format!("start {date}"),
            LabelNoticeEnd { date } => format!("end {date}"),
            TemplateFailed { template, detail } => format!("template {template} failed: {detail}"),
            WriteFailed { path, reason } => format!("cannot write {path}: {reason}"),
            IndividualKind { key } => format!(
                "kind `{key}` describes a single household or person; such records are never published"
            ),
            IndividualField { field } => format!(
                "field `{field}` is personal data (a name, ID number, phone, address or individual income) and must not be in published data"
            ),
            IndividualHint => "a portal holds aggregates only (households, people, money); keep registers and rosters outside the portal or in private/; monitoring results are not applied for, publicised or posted (不申请、不宣传、不公示)".into(),
            IdentifierFound { kind } => format!("{kind} found: personal data must not be published"),
            IdentifierHint => "remove the number; an office's published line or mailbox can be listed in [privacy] allow in cunwu.toml; a number that is not personal can be acknowledged in this file with privacy_ack and a reason".into(),
            AckUnused => "this privacy_ack matches no number in its file; remove it".into(),
            RosterInsidePortal { path } => format!("the roster {path} is inside the portal and could be published; keep it outside"),
            RosterUnreadable { path, reason } => format!("cannot read the roster {path}: {reason}"),
            RosterNameFound { masked, path } => format!("a name from the monitoring roster, {masked}, appears in {path}"),
            RosterHint => "remove the name; if it is a public figure with the same name, reword the text".into(),
            // ----- shortcodes -----
            ShortcodeUnclosed => "the shortcode has no closing >}} (write it on one line)".into(),
            ShortcodeBadName => "a shortcode name must follow {{<, e.g. funds".into(),
            ShortcodeBadParam { text } => format!("shortcode parameter `{text}` is not written as key=\"value\""),
            ShortcodeRepeated { key } => format!("shortcode parameter `{key}` is given twice"),
            ShortcodeUnknown { name, known } => format!("unknown shortcode `{name}` (known: {known})"),
            ShortcodeParamUnknown { name, param, allowed } => {
                format!("shortcode `{name}` has no parameter `{param}` (parameters: {allowed})")
            }
            ShortcodeParamMissing { name, params } => format!("shortcode `{name}` needs {params}"),
            ShortcodeParamConflict { name, params } => format!("shortcode `{name}` takes only one of {params}"),
            ShortcodeBadValue { param, value, expected } => {
                format!("shortcode parameter {param} = \"{value}\" is wrong: expected {expected}")
            }
            ShortcodeNoFunds { programme } => format!("programme `{programme}` has no funds to show"),
            ShortcodeNoExit { village, year } => format!("area `{village}` has no exit indicators{year}"),
            ShortcodeInline => "a shortcode must be a paragraph of its own (a blank line before and after), not inside a sentence, list or table".into(),
            ShortcodeHint => "write the shortcode on a line of its own with blank lines around it, e.g. {{< funds programme=\"yishiyiyi-2019\" >}}; see docs/shortcodes.md".into(),
            ProseCount { shown, area, k } => format!(
                "a document of {area} says \"{shown}\": fewer than {k} fallen-back, monitored or poor households or people in a village point at a household and must not be published"
            ),
            ProsePercent { shown, area, k } => format!(
                "a document of {area} says \"{shown}\": with the village's households or population it gives back fewer than {k}, which must not be published"
            ),
            ProseHint => "give the township's total instead, or write \"fewer than 5\" without the figure; zero may be written as it is".into(),
            MinCountTooLow { k } => format!("[privacy] min_count = {k} is too small; small-count protection is at least 3"),
            LabelHere => "here".into(),
            LabelThisValue => "this value".into(),
            LabelThisTable => "this entry".into(),
            RosterTable { columns } => format!(
                "this table lists households one by one with personal columns ({columns}); it is a register, which is never published"
            ),
            HouseholdSentence { shown, area } => format!(
                "a document of {area} names one household (\"{shown}\") together with its income or risk; villagers can tell which household it is, so it must not be published"
            ),
            SensitiveRecordCount { name, k } => format!(
                "\"{name}\" is about fallen-back, monitored or edge households and has fewer than {k} participants or beneficiaries, which points at households; it must not be published"
            ),
            SensitiveRecordHint => "remove the number of participants or beneficiaries, or count it with others at township level".into(),
            LinkLeavesPortal { link, target } => format!(
                "{link} is a link to {target}, outside the portal; files outside the portal are never read"
            ),
            LinkIntoPrivate { link, target } => format!(
                "{link} is a link to the private folder {target}; private files are never read"
            ),
            LinkHint => "remove the link; put what is to be published in data/ or content/ itself".into(),
            PrivatePathEverything { path } => format!(
                "\"{path}\" in [privacy] private would mark the whole portal (or all data, or all documents) private; name a folder such as data/registers"
            ),
            PrivatePathOutside { path } => format!(
                "\"{path}\" in [privacy] private is outside the portal; name a path inside it, such as data/registers"
            ),
            PrivatePathMissing { path } => format!(
                "\"{path}\" in [privacy] private does not exist, so nothing is marked private; check the spelling"
            ),
            AckPersonal { kind } => format!("privacy_ack cannot release a personal number: this is a valid {kind}"),
            AckPersonalHint => "resident ID, mobile and bank card numbers are personal and can never be published, whatever the reason: remove it from the file; an office's published line goes in [privacy] allow in cunwu.toml".into(),
            OutputIsRoot { path } => format!("the output folder {path} is the portal itself: building would replace the whole portal; refused, nothing was changed"),
            OutputHoldsRoot { path } => format!("the output folder {path} contains the portal: building would delete the portal with it; refused, nothing was changed"),
            OutputInSource { path, folder } => format!("the output folder {path} is inside the portal's {folder}/: building would replace your files; refused, nothing was changed"),
            OutputNotFolder { path } => format!("the output {path} exists and is not a folder (a file or a broken link); refused, nothing was changed"),
            OutputForeign { path, stamp } => format!("the output folder {path} holds files cunwu did not write (no {stamp} stamp): building would delete them; refused, nothing was changed"),
            BadFileName { path } => format!("the file or folder name content/{path} cannot be a page address"),
            IdPathWord => "id path".into(),
            IdPathHint => "ids and file names use letters (Chinese too), digits and - _ ., parts separated by /, not starting or ending with ., at most 100 bytes a part (about 33 Chinese characters) and 200 in all, and not a device name like con, nul or com1".into(),
            NotRegularFile { path, kind } => format!("{path} is not a regular file (it is a {kind}); not read"),
            NotRegularFileHint => "keep only regular files in data/ and content/; move or delete it".into(),
            FileTooLarge { path, size, max } => format!("the file {path} has {size} bytes, more than the {max} allowed; not read"),
            FigureTooLarge { field } => format!("the figure in `{field}` is too large: beyond any real amount or count, it cannot be added up"),
            TooManyRecords { count, max } => format!("the portal has {count} data records, more than the {max} allowed"),
            TooManyShortcodes { count, max } => format!("this document has {count} shortcodes, more than the {max} allowed"),
            NestedTooDeep { max } => format!("this document nests HTML tags, quotes or lists more than {max} levels deep"),
            PageTooLarge { page, size, max } => format!("the page {page} has {size} bytes, more than the {max} allowed: villagers' phones cannot open it"),
            BaseUrlNotHttp => "base_url must be an address starting with http:// or https://".into(),
            LimitsHint => "split it into several files or pages; the limits are listed in docs/limits.md".into(),
            Counts { errors, warnings } => format!(
                "{errors} error{}, {warnings} warning{}",
                if *errors == 1 { "" } else { "s" },
                if *warnings == 1 { "" } else { "s" }
            ),
            Built { output, pages, tables, files, kb, secs } => format!("built {output}: {pages} pages, {tables} tables, {files} files ({kb} KB) in {secs} s"),
            NotBuilt { counts, output } => format!("not built: {counts}. {output} is unchanged."),
            CheckPassed { counts } => format!("check passed: {counts}"),
            CheckFailed { counts } => format!("check failed: {counts}"),
            InitNotEmpty { dir } => format!("{dir} exists and is not empty; nothing was changed."),
            InitCannotWrite { error, .. } => format!("cannot write it: {error}"),
            InitCannotCreate { error, .. } => format!("cannot create it: {error}"),
            ServeInternalError => "internal error; the site was not rebuilt".into(),
            ServeRebuilt { pages, changed, ms } => format!("rebuilt: {pages} pages, {changed} files changed in {ms} ms"),
            ServeNotRebuilt { errors } => format!("not rebuilt: {errors} errors; the last good site is still served"),
            ServeCannotStart { error } => format!("cannot start the preview server: {error}"),
            ServeCannotListen { addr, error } => format!("cannot listen on {addr}: {error}"),
            ServeCannotWatch { error } => format!("cannot watch for changes: {error}"),
            ServeServingAt { url } => format!("serving at {url}"),
            ServeError { error } => format!("server error: {error}"),
            ServeStopped => "preview stopped".into(),
            ServeOpenBrowser { url } => format!("open {url} in a browser"),
            PathClashFolder { top } => format!("content/{top}/ is reserved for generated pages; rename the folder"),
            PathClashTwoPages { path } => format!("two pages would be written to {path}"),
            PathClashDownloads { path } => format!("{path} is reserved for data downloads; rename the document"),
            InitDone { dir } => format!("next: cunwu build --root {dir}"),
            ServeNotLoopback { .. } => "warning: serving on a non-loopback address; other machines can see unpublished content.".into(),
            ContextPruned { path } => format!("{path}: its context changed but the edit was thought not to reach it"),
            OutputHint => "give --output a new or empty folder, or a site folder cunwu wrote before; the default is public/ in the portal".into(),
            CodesOrNames { codes, names } => format!("{codes}, or in Chinese {names}"),
            NumberHint { write, grouped, unit, as_wan } => {
                let mut out = format!("write {write} (without quotes)");
                match (grouped, unit) {
                    (true, Some(u)) => out.push_str(&format!(", without thousands separators and without the unit \"{u}\"")),
                    (true, None) => out.push_str(", without thousands separators"),
                    (false, Some(u)) => out.push_str(&format!(", without the unit \"{u}\"")),
                    (false, None) => {}
                }
                if let Some(w) = as_wan {
                    out.push_str(&format!("; amounts are in 万元: {write}元 = {w}万元 (only labour_rate is in 元)"));
                } else if unit.is_some() {
                    out.push_str("; each field's unit is listed in docs/data-format.md");
                }
                out
            }
            DueNoYearHint => "this date has no year: write it with one, like \"2020年4月中旬前\", or add year = 2020 to this milestone".into(),
            DueMonthByHint { month } => {
                let before = if *month == 1 { 12 } else { month - 1 };
                format!("\"{month}月前\" may mean by the end of month {month} or before it begins: write \"{month}月底前\" or \"{before}月底前\"")
            }
            OutputAddedFile { path, name } => format!("the output folder {path} was written by cunwu but now also holds {name}, which cunwu did not write: building would delete it; refused, nothing was changed (move it elsewhere or choose another output folder)"),
            SheetUnreadable { path, reason } => format!("the spreadsheet {path} cannot be read: {reason}"),
            SheetUnreadableHint => "open it in Excel or WPS and save it as .xlsx (or .csv) under data/".into(),
            SheetUnknown { sheet, path } => format!("the sheet \"{sheet}\" of {path} is not a kind of data cunwu knows"),
            SheetUnknownHint => "name the sheet after a kind of data (项目 project, 地区 area, 活动 activity…); a CSV file is named after its kind, e.g. 项目.csv or 下龙井村-项目.csv; instructions may stay in a sheet named 说明".into(),
            SheetUnknownColumn { cell, header } => format!("the column \"{header}\" (cell {cell}) is not a column of this kind of data"),
            SheetDuplicateColumn { cell, header } => format!("the column \"{header}\" (cell {cell}) repeats an earlier column"),
            SheetColumnHint => "name columns as the template does (a unit in brackets is fine, e.g. 总投资（万元）) or by field code (funds.total); cunwu template writes the templates".into(),
            SheetMissingColumn { sheet, column, field } => format!("the sheet \"{sheet}\" has no column \"{column}\" ({field}), which is required; the sheet was not read"),
            TemplateWritten { path } => format!("wrote the spreadsheet template {path}"),
            TemplateNote => "How to fill in\nEach sheet holds one kind of data; row 1 holds the column names (keep them), each later row one record.\nColumns you do not need may be deleted, except required ones such as 编号 and 名称. Units are in brackets: amounts are in 万元, digits only.\nLevels, statuses and kinds may be written in Chinese; yes/no fields take 是 or 否; dates are written 2020-03-15.\nNo personal data: a sheet with a name, ID number, phone, address or income column is refused whole.\nPut the file under data/ and run cunwu check: findings name the sheet and cell, e.g. 项目!C7.".into(),
            YearsDuplicate { record, year } => format!("{record} has more than one record for {year}"),
            YearsDuplicateHint => "write one record per area (and kind of progress) and year; delete the duplicate or correct its year".into(),
            YearsCarry { what, year, start, prev_year, prev_remaining } => format!(
                "{}: the start of {year}, {start}, is not the remaining of {prev_year}, {prev_remaining}",
                what.name(Lang::En)
            ),
            YearsCarryHint => "this year's start is last year's remaining; when every year counts from one baseline (done is cumulative), the start stays last year's; if it really changed (a re-registration), write change_reason = \"...\" in this year's record".into(),
            YearsTargetChanged { what, year, target, prev_year, prev_target } => format!(
                "{}: the target of {year}, {target}, differs from the target of {prev_year}, {prev_target}",
                what.name(Lang::En)
            ),
            YearsTargetHint => "a plan's target stays the same every year; check both years' targets; if the plan really changed it, write change_reason = \"...\" in this year's record".into(),
            YearsDoneDecreased { what, year, done, prev_year, prev_done } => format!(
                "{}: cumulative done in {year}, {done}, is less than in {prev_year}, {prev_done}",
                what.name(Lang::En)
            ),
            YearsDoneHint => "done counted from one baseline or target is cumulative and never decreases; check both years' figures".into(),
            YearsExitReverted { area, year, status, prev_year } => format!(
                "{area} exited in {prev_year} but is \"{status}\" in {year}, with no reason given"
            ),
            YearsExitHint => "a village that exited stays exited in later years; if it really changed, write change_reason = \"...\" in that year's record".into(),
            YearsCurrent { what, value, year, year_value } => format!(
                "{}: the area says {value}, its latest year ({year}) says {year_value}",
                what.name(Lang::En)
            ),
            YearsCurrentHint => "the figures of [[area]] are the current ones and equal the latest [[area_year]]; correct one, or leave the figure out of [[area]]".into(),
            LabelYearFigure { year, what, value } => format!("{year} {} {value}", what.label(Lang::En)),
            LabelYearStatus { year, key, .. } => format!("{year} {key}"),
            FigureShortcodeHint => "quote a figure of the data inside a sentence with {{< figure programme=\"id\" field=\"total\" >}} (or project= or area=); a hand-written figure that knowingly differs from the data is written {{< known figure=\"25个\" reason=\"why\" >}}; the fields are listed in docs/shortcodes.md".into(),
            FigureNoField { id, field } => format!("`{id}` has no figure named `{field}` (or it is not filled in)"),
            ProseFigure { written, record } => format!("the text says {written}, which matches no figure of {record} or of its parts"),
            ProseFigureHint { meant, written } => {
                let mut out = match meant {
                    Some(m) => format!("perhaps {m} was meant. "),
                    None => String::new(),
                };
                out.push_str(&format!("quote figures from the data with {{{{< figure … >}}}}; if this figure knowingly differs from the data (a quotation, a policy standard), write {{{{< known figure=\"{written}\" reason=\"why\" >}}}}"));
                out
            }
            LabelProbablyMeant { figure } => format!("probably meant: {figure}"),
            CorrectionUnchanged { field, value } => format!("the correction of `{field}` keeps the same figure, {value}: nothing is corrected"),
            CorrectionUnchangedHint { field, value } => format!("a stated figure that was right needs no correction: write {field} = {value}"),
            AttachmentKind { path } => format!("{path}: static/ holds only JPEG and PNG images (.jpg .jpeg .png) and PDF files; save Word or Excel files as PDF first, the privacy gate reads only these formats"),
            AttachmentUnreadable { path, reason } => format!("{path}: the attachment cannot be read or is not a whole image or PDF ({reason}); not published"),
            AttachmentTooLarge { path, size, limit } => format!("{path} is {size}, over the {limit} of [attachments] max_size_kb: slow to download on a phone's data plan; compress or shrink it"),
            AttachmentPdfNoText { path } => format!("{path} has no readable text (probably a scan): the privacy gate cannot read text in images; check by hand that it shows no ID, mobile or bank card number and no monitored household's name"),
            AttachmentPdfLocked { path } => format!("{path} is an encrypted PDF: the privacy gate cannot read its text, so it is not published; save it unencrypted"),
            AttachmentLinkMissing { target } => format!("the linked attachment {target} is not in static/"),
            AttachmentLinkHint => "attachments go in the portal's static/ folder and are linked as /static/name (e.g. ![notice board](/static/photos/board.jpg)); mind the case and extension of the name".into(),
            AttachmentNotWhole { path, format } => format!("{path}: not a whole {format} file (not fully copied, or damaged); not published"),
            AttachmentNotRegular { path } => format!("{path}: a link or special file, not a regular file; not published (put the file itself in static/)"),
            AttachmentTooBig { path, size } => format!("{path} is {size}, over the 64 MB limit of an attachment; not read and not published"),
            NoBaseUrlQr => "cunwu.toml has no base_url (the site's published address): the 公示 sheets carry no QR code and no village QR posters are made; add base_url = \"https://…/\" to cunwu.toml when the site goes online".into(),
            ServeChecked { pages, ms } => format!("rebuilt: {pages} pages (made when opened), checked in {ms} ms"),
            ServeFileRefused { path, errors } => format!("not shown: {path}: {errors} errors"),
        }
    }
}

/// Names of value types, as shown in "expected"/"found".
pub fn type_word(lang: Lang, ty: &str) -> String {
    let zh = match ty {
        "string" => "文字（加引号）",
        "integer" => "整数",
        "float" => "小数",
        "boolean" => "true 或 false",
        "datetime" => "日期",
        "array" => "列表 [...]",
        "table" => "表 {...}",
        "count" => "不小于 0 的整数",
        "number" => "数字",
        "money" => "金额（万元，数字）",
        "id" => "编号（小写字母、数字、-）",
        "date" => "日期（如 2020-03-15）",
        "year" => "年份（如 2020）",
        "list of text" => "文字列表 [\"...\"]",
        other => other,
    };
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => match ty {
            "string" => "text (in quotes)".into(),
            "count" => "a whole number, 0 or more".into(),
            "money" => "an amount in 万元 (a number)".into(),
            "id" => "an id (lowercase letters, digits, -)".into(),
            "date" => "a date (e.g. 2020-03-15)".into(),
            "year" => "a year (e.g. 2020)".into(),
            "table" => "a table {...}".into(),
            "array" => "a list [...]".into(),
            "boolean" => "true or false".into(),
            other => other.into(),
        },
    }
}

// ----- check: figures -----

/// The figures the checker names in messages and labels (总额 / total, 户数 / households).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fig {
    Total,
    Villagers,
    Cash,
    LabourDays,
    LabourRate,
    LabourValue,
    Fiscal,
    Social,
    Level(FiscalLevel),
    Ratio,
    Tolerance,
    Projects,
    Count,
    Categories,
    Category,
    Completed,
    UnderConstruction,
    NotStarted,
    Townships,
    Villages,
    Households,
    People,
    Population,
    Labourers,
    Beneficiaries,
    Start,
    Target,
    Done,
    Remaining,
    ThisYear,
    Incidence,
    Housing,
    Farmland,
}

impl Fig {
    /// The figure's name in a sentence: 群众筹资投劳 / villagers' share.
    pub fn name(self, lang: Lang) -> &'static str {
        use Fig::*;
        match (lang, self) {
            (Lang::Zh, Villagers) => "群众筹资投劳",
            (Lang::Zh, Cash) => "群众筹资",
            (Lang::Zh, LabourValue) => "投劳折资",
            (Lang::Zh, Fiscal) => "财政奖补",
            (Lang::Zh, Social) => "社会投入",
            (Lang::En, Villagers) => "villagers' share",
            (Lang::En, Fiscal) => "fiscal awards",
            (Lang::En, Social) => "social investment",
            _ => self.label(lang),
        }
    }

    /// The figure's short name beside a value: 群众 659.00 / villagers 659.00.
    pub fn label(self, lang: Lang) -> &'static str {
        use Fig::*;
        match lang {
            Lang::Zh => match self {
                Total => "总额",
                Villagers => "群众",
                Cash => "筹资",
                LabourDays => "投劳工日",
                LabourRate => "日工价",
                LabourValue => "折资",
                Fiscal => "财政",
                Social => "社会",
                Level(l) => l.name_zh(),
                Ratio => "比例",
                Tolerance => "允许误差",
                Projects => "项目数",
                Count => "个数",
                Categories => "类别数",
                Category => "类别",
                Completed => "已完工",
                UnderConstruction => "在建",
                NotStarted => "未开工",
                Townships => "乡镇数",
                Villages => "村数",
                Households => "户数",
                People => "人数",
                Population => "人口",
                Labourers => "劳动力",
                Beneficiaries => "受益人数",
                Start => "起始",
                Target => "目标",
                Done => "已完成",
                Remaining => "剩余",
                ThisYear => "今年计划",
                Incidence => "贫困发生率",
                Housing => "人均住房面积",
                Farmland => "耕地",
            },
            Lang::En => match self {
                Total => "total",
                Villagers => "villagers",
                Cash => "cash",
                LabourDays => "labour days",
                LabourRate => "daily rate",
                LabourValue => "labour value",
                Fiscal => "fiscal",
                Social => "social",
                Level(l) => match l {
                    FiscalLevel::Central => "central",
                    FiscalLevel::Provincial => "provincial",
                    FiscalLevel::CentralProvincial => "central+provincial",
                    FiscalLevel::City => "city",
                    FiscalLevel::County => "county",
                    FiscalLevel::CityCounty => "city+county",
                    FiscalLevel::Township => "township",
                },
                Ratio => "ratio",
                Tolerance => "tolerance",
                Projects => "projects",
                Count => "count",
                Categories => "categories",
                Category => "category",
                Completed => "completed",
                UnderConstruction => "under construction",
                NotStarted => "not started",
                Townships => "townships",
                Villages => "villages",
                Households => "households",
                People => "people",
                Population => "population",
                Labourers => "labourers",
                Beneficiaries => "beneficiaries",
                Start => "start",
                Target => "target",
                Done => "done",
                Remaining => "remaining",
                ThisYear => "this year",
                Incidence => "incidence",
                Housing => "housing per person",
                Farmland => "farmland",
            },
        }
    }

    /// The unit the figure is counted in, as printed after a value.
    pub fn unit(self, lang: Lang) -> &'static str {
        use Fig::*;
        match (self, lang) {
            (Total | Villagers | Cash | LabourValue | Fiscal | Social | Level(_), _) => "万元",
            (LabourDays, Lang::Zh) => "工日",
            (LabourDays, Lang::En) => "days",
            _ => "",
        }
    }
}

/// How a published page, chart or download writes a figure the privacy gate
/// does not publish: `<k` for one under k, 不公开 for one withheld so that a
/// small one cannot be worked out. The pages are Chinese in either language.
pub const WITHHELD: &str = "不公开";

/// `<k`: a figure under k (see [`WITHHELD`]).
pub fn below_k(k: u64) -> String {
    format!("<{k}")
}

#[cfg(test)]
mod both_tests {
    use super::Msg;

    #[test]
    fn both_puts_chinese_first_and_keeps_the_lines_as_printed() {
        assert_eq!(
            Msg::InitNotEmpty { dir: "村" }.both(),
            "目录 村 已存在且不为空，未做任何改动。/ 村 exists and is not empty; nothing was changed."
        );
        assert_eq!(
            Msg::ServeServingAt {
                url: "http://127.0.0.1:1111/"
            }
            .both(),
            "预览地址 / serving at http://127.0.0.1:1111/"
        );
        assert_eq!(
            Msg::InitDone { dir: "x" }.both(),
            "已新建门户 x。下一步 / next: cunwu build --root x"
        );
    }
}
