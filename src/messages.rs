//! The message catalogue: every sentence cunwu says to a person, in Chinese
//! (the default: the users are clerks) and in English.
//!
//! Keeping them in one place keeps the two languages in step and lets tests
//! pin the exact wording.

use serde::Serialize;

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Reads `zh`, `zh-CN`, `en`, `en-US`...; anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.to_ascii_lowercase();
        if s == "zh" || s.starts_with("zh-") {
            Some(Lang::Zh)
        } else if s == "en" || s.starts_with("en-") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

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
    ReadFailed { path: &'a str, reason: &'a str },
    NotUtf8 { path: &'a str },
    TomlSyntax { detail: &'a str },
    UnknownKind { key: &'a str, allowed: &'a str },
    UnknownField { field: &'a str, table: &'a str },
    DidYouMean { suggestion: &'a str },
    MissingField { field: &'a str, table: &'a str },
    WrongType { field: &'a str },
    NotAnId { field: &'a str },
    IdHint,
    BadNumber { field: &'a str },
    Negative { field: &'a str },
    BadDate { field: &'a str },
    DateHint,
    DueHint,
    NotOneOf { field: &'a str },
    DuplicateId { kind: &'a str, id: &'a str },
    FirstDefinedHere,
    UnknownRef { kind: &'a str, id: &'a str },
    UnknownFile { path: &'a str },
    UnknownFileHint,
    // ----- load: content -----
    FrontMatterMissing,
    FrontMatterHint,
    FrontMatterUnclosed,
    BrokenLink { target: &'a str },
    BrokenLinkHint,
    // ----- config -----
    ConfigMissing { path: &'a str },
    ConfigMissingHint,
    CountyNotCounty { id: &'a str },
    // ----- check: references and dates -----
    ParentWrongLevel { child: &'a str, parent: &'a str },
    DateOutsideYear { year: i32 },
    MilestonesOutOfOrder,
    PreviousMilestone,
    // ----- render and write -----
    TemplateFailed { template: &'a str, detail: &'a str },
    WriteFailed { path: &'a str, reason: &'a str },
    // ----- labels -----
    LabelHere,
    LabelThisValue,
    LabelThisTable,
}

impl Msg<'_> {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
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
            DueHint => "写成日期 2020-03-15、旬 \"2020年3月中旬\" 或月份 \"2020年6月\"".into(),
            NotOneOf { field } => format!("字段 `{field}` 的取值不在允许范围内"),
            DuplicateId { kind, id } => format!("{kind}编号 `{id}` 重复"),
            FirstDefinedHere => "第一次定义在这里".into(),
            UnknownRef { kind, id } => format!("找不到{kind} `{id}`"),
            UnknownFile { path } => format!("不认识的文件 {path}"),
            UnknownFileHint => {
                "data/ 下只放 .toml 数据文件，content/ 下只放 .md 文稿；其他文件请放到 static/ 或 private/"
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
            TemplateFailed { template, detail } => {
                format!("模板 {template} 出错：{detail}")
            }
            WriteFailed { path, reason } => format!("无法写入 {path}：{reason}"),
            LabelHere => "这里".into(),
            LabelThisValue => "这个值".into(),
            LabelThisTable => "这一项".into(),
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
                "write a date 2020-03-15, a 旬 \"2020年3月中旬\" or a month \"2020年6月\"".into()
            }
            NotOneOf { field } => format!("field `{field}` has a value that is not allowed"),
            DuplicateId { kind, id } => format!("duplicate {kind} id `{id}`"),
            FirstDefinedHere => "first defined here".into(),
            UnknownRef { kind, id } => format!("no {kind} with id `{id}`"),
            UnknownFile { path } => format!("unknown file {path}"),
            UnknownFileHint => {
                "data/ holds only .toml data files and content/ only .md documents; put other files in static/ or private/".into()
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
            TemplateFailed { template, detail } => format!("template {template} failed: {detail}"),
            WriteFailed { path, reason } => format!("cannot write {path}: {reason}"),
            LabelHere => "here".into(),
            LabelThisValue => "this value".into(),
            LabelThisTable => "this entry".into(),
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
