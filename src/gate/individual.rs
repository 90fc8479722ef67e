//! Recognises data that describes one household or person: kinds such as
//! `[[household]]` and fields such as `name` or `身份证号`. The model has no
//! place for them; this only lets the loader explain *why* they are refused.

/// Kinds of records that would be a roster.
const INDIVIDUAL_KINDS: &[&str] = &[
    "household",
    "households",
    "person",
    "persons",
    "people",
    "member",
    "members",
    "resident",
    "residents",
    "family",
    "families",
    "roster",
    "register",
    "monitored",
    "monitoring_result",
    "beneficiary_list",
    "户",
    "农户",
    "住户",
    "人员",
    "成员",
    "花名册",
    "名单",
    "台账",
    "监测户",
    "监测对象",
    "贫困户",
    "边缘户",
    "家庭",
];

/// Field names that carry personal data (compared lowercase, `-` and `_` ignored).
const PERSONAL_FIELDS: &[&str] = &[
    "name_of_head",
    "householder",
    "household_head",
    "head",
    "surname",
    "given_name",
    "full_name",
    "person",
    "person_name",
    "member_name",
    "id_number",
    "idnumber",
    "id_card",
    "idcard",
    "identity",
    "citizen_id",
    "resident_id",
    "phone",
    "mobile",
    "telephone",
    "tel",
    "cellphone",
    "email",
    "address",
    "home_address",
    "bank_card",
    "bank_account",
    "card_number",
    "account",
    "income",
    "per_capita_income",
    "household_income",
    "annual_income",
    "birthday",
    "birth_date",
    "date_of_birth",
    "age",
    "gender",
    "sex",
    "risk",
    "risk_type",
    "monitoring_step",
    "姓名",
    "户主",
    "户主姓名",
    "身份证",
    "身份证号",
    "身份证号码",
    "证件号",
    "电话",
    "手机",
    "手机号",
    "联系电话",
    "住址",
    "地址",
    "家庭住址",
    "银行卡",
    "银行卡号",
    "账号",
    "收入",
    "人均收入",
    "家庭收入",
    "年收入",
    "出生日期",
    "年龄",
    "性别",
    "风险",
    "风险类型",
    "监测步骤",
];

fn normalise(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '-' && *c != '_' && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when a top-level data kind would describe single households or people.
pub fn is_individual_kind(key: &str) -> bool {
    let k = normalise(key);
    INDIVIDUAL_KINDS.iter().any(|x| normalise(x) == k)
}

/// True when a field name would hold personal data.
pub fn is_personal_field(key: &str) -> bool {
    let k = normalise(key);
    PERSONAL_FIELDS.iter().any(|x| normalise(x) == k)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fast path reads every text like the Unicode tables do.
        #[test]
        fn alphanumeric_lowercase_is_the_unicode_reading(text in "\\PC{0,40}") {
            let slow: String = text
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            proptest::prop_assert_eq!(alphanumeric_lowercase(&text), slow);
        }
    }

    #[test]
    fn recognises_roster_kinds_and_personal_fields() {
        assert!(is_individual_kind("household"));
        assert!(is_individual_kind("监测户"));
        assert!(!is_individual_kind("project"));
        assert!(is_personal_field("ID_number"));
        assert!(is_personal_field("户主姓名"));
        assert!(is_personal_field("phone"));
        assert!(
            !is_personal_field("name"),
            "a project's name is not personal"
        );
        assert!(!is_personal_field("households"));
    }

    #[test]
    fn an_html_register_reads_its_cells_like_a_markdown_one() {
        // Full-width masks (`周ＸＸ家`) read as `XX`, as in Markdown tables.
        for head in ["风险类型", "Home address"] {
            let text = format!(
                "<table>\n<tr><td><span>备注</span></td><td><span>户</span></td><td><span>{head}</span></td></tr>\n\
                 <tr><td><span>8</span></td><td><span>周ＸＸ家</span></td><td><span>略</span></td></tr>\n</table>"
            );
            let mut found = Vec::new();
            html_tables(&text, &mut found);
            assert_eq!(found.len(), 1, "{head}");
        }
    }
}

// ---------------------------------------------------------------------------
// Roster-shaped tables in text (issue 11, item 4)

/// Column headers that name the person a row is about: a table with one of
/// these (and rows) is a register of households, whatever file it is in.
const IDENTITY_COLUMNS: &[&str] = &[
    "户主",
    "姓名",
    "名字",
    "户名",
    "身份证",
    "证件号",
    "公民身份号码",
    "name",
    "fullname",
    "householder",
    "headofhousehold",
    "householdhead",
    "idnumber",
    "idno",
    "idcard",
    "idcardnumber",
    "householdername",
    "nameofhead",
];

/// Column headers that describe one household: in a table whose rows name
/// households (`张某某户`, `王XX家`), they make it a register.
const HOUSEHOLD_COLUMNS: &[&str] = &[
    "联系电话",
    "电话",
    "手机",
    "家庭住址",
    "住址",
    "地址",
    "收入",
    "风险",
    "致贫原因",
    "返贫原因",
    "帮扶措施",
    "银行卡",
    "出生",
    "年龄",
    "性别",
    "家庭人口",
    "phone",
    "mobile",
    "telephone",
    "address",
    "income",
    "risk",
    "risktype",
    "riskcategory",
    "percapitaincome",
    "householdincome",
    "annualincome",
    "homeaddress",
    "phonenumber",
    "telephonenumber",
    "mobilenumber",
    "contactphone",
    "contactnumber",
    "supportmeasure",
    "bankcardnumber",
    "bankaccount",
    "dateofbirth",
    "bankcard",
    "birth",
    "age",
    "gender",
];

/// Columns that make a name column a list of office holders (村两委分工),
/// not of households.
const ROLE_COLUMNS: &[&str] = &[
    "职务", "职责", "分工", "岗位", "单位", "部门", "role", "position", "duty", "title",
];

/// Household-only columns: with one of these a name column is a register even
/// beside a role column.
const ALWAYS_PERSONAL: &[&str] = &[
    "户主",
    "身份证",
    "证件号",
    "收入",
    "风险",
    "致贫原因",
    "住址",
    "银行卡",
    "householder",
    "idnumber",
    "idcard",
    "income",
    "risk",
    "address",
    "bankcard",
];

/// A Markdown table shaped like a register of households.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterTable {
    /// The header row, in bytes of the text given.
    pub range: std::ops::Range<usize>,
    /// The personal column headers, as written, joined with `、`.
    pub columns: String,
}

/// A header cell as compared: units in brackets dropped (`收入（元）`,
/// `Income (yuan)`), lowercase; `.0` keeps CJK and letters only, `.1` the
/// English words joined.
fn header_key(cell: &str) -> (String, String) {
    let mut bare = String::new();
    let mut depth = 0usize;
    for c in cell.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    // Traditional characters read as simplified ones (`戶主`, `收入（元）`),
    // as the roster check reads names.
    let key = alphanumeric_lowercase(&simplified(&bare));
    let words: String = bare
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    (key, words)
}

/// `text` with traditional characters as simplified ones (`戶主` → `户主`),
/// character by character; ASCII is returned as it is.
fn simplified(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(fast2s::convert(text))
    }
}

/// The letters and digits of `text`, lowercased, without anything between
/// them. ASCII and the common ideographs (which are letters with no case)
/// are taken without the Unicode tables: this runs over whole plans.
fn alphanumeric_lowercase(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if ('\u{4e00}'..='\u{9fff}').contains(&c) {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Whether a header names one of `words`: a Chinese word anywhere in it
/// (`户主姓名`, `联系电话（手机）`), an English one as the whole header
/// (`Name`, `Head of household`, `Phones`; not `Project name`, `Percentage`).
/// Each list's Chinese words are looked for at once (`ColumnWords`): every
/// header cell of every plan's tables is compared with four lists.
struct ColumnWords {
    chinese: aho_corasick::AhoCorasick,
    english: Vec<&'static str>,
}

impl ColumnWords {
    fn new(words: &[&'static str]) -> Self {
        let (english, chinese): (Vec<&str>, Vec<&str>) = words.iter().partition(|w| w.is_ascii());
        ColumnWords {
            chinese: aho_corasick::AhoCorasick::new(chinese).expect("fixed word list"),
            english,
        }
    }

    fn named_by(&self, key: &(String, String)) -> bool {
        self.english
            .iter()
            .any(|w| key.1 == *w || key.1.strip_suffix('s') == Some(w))
            || self.chinese.is_match(&key.0)
    }
}

type Words = std::sync::LazyLock<ColumnWords>;
static IDENTITY: Words = Words::new(|| ColumnWords::new(IDENTITY_COLUMNS));
static HOUSEHOLD: Words = Words::new(|| ColumnWords::new(HOUSEHOLD_COLUMNS));
static ROLE: Words = Words::new(|| ColumnWords::new(ROLE_COLUMNS));
static ALWAYS: Words = Words::new(|| ColumnWords::new(ALWAYS_PERSONAL));

/// A name column of an office holder (`负责人姓名`, `帮扶责任人`), not of a household.
fn is_officer_column(key: &(String, String)) -> bool {
    [
        "负责人",
        "联系人",
        "责任人",
        "书记",
        "主任",
        "干部",
        "contactperson",
        "officer",
    ]
    .iter()
    .any(|w| key.0.contains(w))
}

/// Cells of one Markdown table line (outer pipes optional).
fn cells(line: &str) -> Vec<&str> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(str::trim).collect()
}

fn is_separator(line: &str) -> bool {
    let cs = cells(line);
    line.contains('-')
        && cs.iter().all(|c| {
            !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')) && c.contains('-')
        })
}

/// A cell that names one household: `张某某`, `王XX户`, `李某家`, `某某户`,
/// `张三户` (a category such as `监测户` or `脱贫户` is not one).
pub fn names_a_household(cell: &str) -> bool {
    let cell: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let chars: Vec<char> = cell.chars().collect();
    if chars.is_empty() || chars.len() > 6 {
        return false;
    }
    if household_placeholder(&chars, 0).is_some() {
        return true;
    }
    // `张三户`, `李四家`: two or three characters of a name, then 户/家.
    let last = *chars.last().unwrap_or(&' ');
    if matches!(last, '户' | '家') && (3..=4).contains(&chars.len()) {
        let stem: String = chars[..chars.len() - 1].iter().collect();
        return stem.chars().all(is_cjk) && !is_category(&stem);
    }
    false
}

/// Words that make `…户` a category of households, not one household.
fn is_category(stem: &str) -> bool {
    const WORDS: &[&str] = &[
        "贫", "监测", "边缘", "低保", "五保", "特困", "搬迁", "农", "散", "养殖", "种植", "示范",
        "重点", "一般", "困难", "其他", "合计", "全", "总", "住", "专业", "大", "新", "老", "受益",
        "参与", "危房", "残疾", "军烈", "商", "个体", "承包", "用", "客",
        // Honours and kinds a village counts (`文明户`, `党员户`, `光伏户`).
        "文明", "党员", "光伏", "卫生", "万元", "星级", "光荣", "和谐", "平安", "清洁", "美丽",
        "最美", "优秀", "先进", "模范", "五好", "十星", "移民", "外出", "留守", "独居", "空巢",
        "孤寡", "单亲", "烈属", "军属", "退役",
    ];
    WORDS.iter().any(|w| stem.contains(w))
}

pub(crate) fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

fn is_mask(c: char) -> bool {
    matches!(c, 'X' | 'x' | '×' | '*' | '＊' | '○' | '〇')
}

/// A household or person written with a placeholder, at `i`: `某某户`,
/// `某户`, `张某某`, `张某`+`户|家`, `王XX户`, `X某某家`. Returns its length in
/// characters.
pub fn household_placeholder(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    // An optional surname (or a masking letter standing for it).
    let lead = chars.get(j).copied()?;
    let has_lead =
        (is_cjk(lead) && lead != '某') || is_mask(lead) && chars.get(j + 1) == Some(&'某');
    if has_lead {
        j += 1;
    }
    let start_mask = j;
    while chars.get(j).is_some_and(|&c| c == '某' || is_mask(c)) && j - start_mask < 3 {
        j += 1;
    }
    let masks = j - start_mask;
    if masks == 0 {
        return None;
    }
    let suffix = chars.get(j).is_some_and(|&c| matches!(c, '户' | '家'));
    if suffix {
        // `某户` alone is a household; `村某户`? the lead must not be an area word.
        if has_lead && is_area_word(lead) {
            return None;
        }
        return Some(j + 1 - i);
    }
    // Without 户/家 only a full name-like form counts: `张某某`, `张XX`,
    // not followed by an area or a thing (`XX村`, `某某项目`).
    let next = chars.get(j).copied();
    if has_lead
        && !is_area_word(lead)
        && (masks >= 2 || chars[start_mask] == '某')
        && !next.is_some_and(|c| "村乡镇县组市省区项目些种类个处年月日号时期届次批".contains(c))
    {
        return Some(j - i);
    }
    None
}

fn is_area_word(c: char) -> bool {
    "村乡镇县组市省区的对向和与及在为给有是由某".contains(c)
}

/// Markdown tables in `text` shaped like a register: a column naming the
/// person (户主, 姓名, 身份证号, name…) with rows under it, or a household
/// column (收入, 风险类型, 联系电话, 帮扶措施…) whose rows name households.
/// A list of office holders (姓名 with 职务) and an office's phone list
/// (单位 with 联系电话) are not registers.
pub fn roster_tables(text: &str) -> Vec<RosterTable> {
    let mut out = Vec::new();
    // Fast path: no table, or no personal word at all.
    if !text.contains('|') {
        other_tables(text, &mut out);
        return out;
    }
    let lines = unquoted_lines(text);
    let mut i = 0;
    while i + 1 < lines.len() {
        let (start, header) = lines[i];
        if !header.contains('|') || !is_separator(lines[i + 1].1) {
            i += 1;
            continue;
        }
        let heads = cells(header);
        let mut rows: Vec<Vec<&str>> = Vec::new();
        let mut j = i + 2;
        while j < lines.len() && lines[j].1.contains('|') && !lines[j].1.trim().is_empty() {
            rows.push(cells(lines[j].1));
            j += 1;
        }
        if let Some(columns) = register_columns(&heads, &rows) {
            out.push(RosterTable {
                range: start..start + header.len(),
                columns,
            });
        }
        i = j.max(i + 2);
    }
    other_tables(text, &mut out);
    out
}

/// The lines of `text` with their byte offsets, each without its line end
/// and its blockquote markers (`> `, `> > `): a table quoted in a plan is
/// read like any other, and its ranges still point at the text.
fn unquoted_lines(text: &str) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let l = line.trim_end_matches(['\n', '\r']);
        let q = quote_prefix(l);
        lines.push((at + q, &l[q..]));
        at += line.len();
    }
    lines
}

/// The length in bytes of a line's blockquote markers: each `>` after up
/// to three spaces, with the one space after it.
fn quote_prefix(line: &str) -> usize {
    let b = line.as_bytes();
    let mut end = 0;
    loop {
        let mut j = end;
        while j < b.len() && j - end < 3 && b[j] == b' ' {
            j += 1;
        }
        if b.get(j) != Some(&b'>') {
            return end;
        }
        j += 1;
        if b.get(j) == Some(&b' ') {
            j += 1;
        }
        end = j;
    }
}

/// The personal columns of a table with these header cells and rows, if
/// it is shaped like a register (see [`roster_tables`]).
pub fn register_columns(heads: &[&str], rows: &[Vec<&str>]) -> Option<String> {
    {
        let keys: Vec<(String, String)> = heads.iter().map(|h| header_key(h)).collect();
        let identity: Vec<usize> = (0..keys.len())
            .filter(|&c| IDENTITY.named_by(&keys[c]) && !is_officer_column(&keys[c]))
            .collect();
        let household: Vec<usize> = (0..keys.len())
            .filter(|&c| HOUSEHOLD.named_by(&keys[c]) && !is_officer_column(&keys[c]))
            .collect();
        let person: Vec<usize> = (0..keys.len())
            .filter(|&c| is_person_column(&keys[c]))
            .collect();
        // Without a personal column it is no register, whatever else it has.
        if identity.is_empty() && household.is_empty() && person.is_empty() {
            return None;
        }
        let role = keys.iter().any(|k| ROLE.named_by(k));
        let always = keys.iter().any(|k| ALWAYS.named_by(k));
        // The rows are read only for a table with personal columns: most
        // tables of a plan have none.
        let named_rows = || {
            rows.iter()
                .any(|r| r.iter().any(|cell| names_a_household(cell)))
        };
        let filled = |c: usize| rows.iter().any(|r| r.get(c).is_some_and(|v| !v.is_empty()));
        let by_identity = (!role || always) && identity.iter().any(|&c| filled(c));
        let by_household = !household.is_empty() && named_rows();
        let by_person = persons_named(&person, rows);
        if by_identity || by_household || by_person {
            let columns: Vec<&str> = identity
                .iter()
                .chain(&household)
                .chain(
                    person
                        .iter()
                        .filter(|c| !identity.contains(c) && !household.contains(c)),
                )
                .map(|&c| heads[c])
                .collect();
            return Some(columns.join("、"));
        }
        None
    }
}

/// Whether a row has, in one of the `person` columns, a household or a
/// person (see [`looks_like_person`]).
fn persons_named(person: &[usize], rows: &[Vec<&str>]) -> bool {
    !person.is_empty()
        && rows.iter().any(|r| {
            person
                .iter()
                .any(|&c| r.get(c).is_some_and(|cell| looks_like_person(cell)))
        })
}

/// Headers that, written whole, name the household or person a row is
/// about (`农户`, `受益人`, `监测对象`, `持卡人`): a row naming one under
/// them (`张某某户`, `张三`) makes the table a register, whatever its other
/// columns are. Inside a longer header they name a count (`受益农户数`,
/// `监测户数`), which is why the whole header is compared.
const PERSON_COLUMNS: &[&str] = &[
    "户",
    "农户",
    "住户",
    "家户",
    "家庭",
    "受益人",
    "受益户",
    "受益农户",
    "受益对象",
    "受益群众",
    "受助人",
    "监测户",
    "监测对象",
    "帮扶对象",
    "帮扶户",
    "结对户",
    "被帮扶人",
    "被帮扶户",
    "救助对象",
    "补助对象",
    "资助对象",
    "慰问对象",
    "供养对象",
    "家庭成员",
    "成员姓名",
    "持卡人",
    "开户人",
    "账户名",
    "申请人",
    "领取人",
    "领款人",
    "收款人",
    "签收人",
    "承包人",
    "脱贫户",
    "贫困户",
    "边缘户",
    "低保户",
    "五保户",
    "特困户",
    "困难户",
    "搬迁户",
    "脱贫人口",
    "贫困人口",
    "监测人口",
    "beneficiary",
    "beneficiaries",
    "recipient",
    "cardholder",
    "accountholder",
    "applicant",
    "household",
    "familymember",
    "monitoredhousehold",
];

/// Whether a header, whole, names the household or person of its row: one
/// of [`PERSON_COLUMNS`], or a short header ending in `户` or `对象`
/// (`易地搬迁户`, `监测帮扶对象`), optionally followed by `名称`, `名单`,
/// `信息` or `情况` (`农户名称`). Bank accounts (`账户`, `专户`) and
/// businesses (`商户`) are not households.
fn is_person_column(key: &(String, String)) -> bool {
    if key.1.len() >= 3
        && PERSON_COLUMNS
            .iter()
            .filter(|w| w.is_ascii())
            .any(|w| key.1 == *w || key.1.strip_suffix('s') == Some(w))
    {
        return true;
    }
    let k = key.0.as_str();
    let base = ["名称", "名单", "信息", "情况"]
        .iter()
        .find_map(|s| k.strip_suffix(s))
        .unwrap_or(k);
    if base.is_empty() || base.is_ascii() {
        return false;
    }
    if PERSON_COLUMNS.contains(&base) {
        return true;
    }
    let n = base.chars().count();
    let not_household = [
        "账户", "专户", "开户", "商户", "用户", "客户", "门户", "窗户",
    ];
    (base.ends_with('户') && n <= 5 && !not_household.iter().any(|w| base.ends_with(w)))
        || (base.ends_with("对象") && n <= 6)
}

/// Common family names: a short cell starting with one (`张三`, `李小明`,
/// `王*`) under a person column is a person. Characters that also start
/// the words such a column holds (`全体`, `单位`, `项目`, `党员`) are left out.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤温施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹欧耿焦俞柳祝舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍喻祁蒲房滕屈饶牟艾尤穆卓吉缪麦褚娄窦戚岑宫费卜冷晏席米瞿桂佟臧闵苟邬卞姬栾隋刁巫寇桑郎甄虞敖巩佘麻苑迟邝鞠荆冀郁胥储栗鄢谌奚粟冼蔺楼盘闻厉仝郜阚帅屠禹漆卿";

/// Words that make a short cell a kind of household or person, a place or
/// a thing (`一般农户`, `脱贫户`, `学生`, `全体村民`, `合计`), not one.
const NOT_A_NAME: &[&str] = &[
    "贫", "监测", "边缘", "低保", "五保", "特困", "搬迁", "农户", "农民", "养殖", "种植", "示范",
    "重点", "一般", "困难", "其他", "合计", "小计", "总计", "共计", "全体", "全村", "受益", "参与",
    "危房", "残疾", "军烈", "个体", "承包", "党员", "文明", "卫生", "万元", "龙头", "企业", "公司",
    "合作", "老人", "老年", "儿童", "学生", "妇女", "群众", "村民", "居民", "人员", "家庭", "干部",
    "职工", "对象", "项目", "道路", "资金", "补助", "奖补", "其中", "以上", "以下", "标准", "户数",
    "人数", "情况", "类型", "措施", "产业", "就业", "教育", "医疗", "住房", "饮水",
];

/// A cell naming one household or person: a placeholder or `张三户` (see
/// [`names_a_household`]), or two to four characters starting with a
/// common family name (`张三`, `李小明`, `王*`), not a kind of household, a
/// place or a thing (see [`NOT_A_NAME`]). Traditional characters are read
/// as simplified ones.
pub fn looks_like_person(cell: &str) -> bool {
    let cell: String = simplified(cell)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if names_a_household(&cell) {
        return true;
    }
    let chars: Vec<char> = cell.chars().collect();
    let stem = match chars.split_last() {
        Some((&('户' | '家'), stem)) if stem.len() >= 2 => stem,
        _ => &chars[..],
    };
    if !(2..=4).contains(&stem.len())
        || !SURNAMES.contains(stem[0])
        || !stem[1..].iter().all(|&c| is_cjk(c) || is_mask(c))
    {
        return false;
    }
    let stem: String = stem.iter().collect();
    let last = stem.chars().last().unwrap_or(' ');
    !NOT_A_NAME.iter().any(|w| stem.contains(w))
        && !"村乡镇县组市省区社队站所局厂场校院室馆类型".contains(last)
}

/// Registers written as an HTML `<table>` (pasted from a word processor) or
/// as comma- or tab-separated lines (`户主,身份证号,收入` then one line a
/// household): read into header and rows and judged like a Markdown table.
fn other_tables(text: &str, out: &mut Vec<RosterTable>) {
    html_tables(text, out);
    csv_tables(text, out);
}

/// Registers written as an HTML `<table>`: run on the text as written,
/// since a reading drops the tags.
pub fn html_tables(text: &str, out: &mut Vec<RosterTable>) {
    // Most texts have no table: looked for at each `<` without copying.
    let bytes = text.as_bytes();
    let has_table = memchr::memchr_iter(b'<', bytes).any(|p| {
        bytes
            .get(p..p + 6)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"<table"))
    });
    if !has_table {
        return;
    }
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find("<table") {
        let start = from + p;
        let end = lower[start..]
            .find("</table")
            .map_or(text.len(), |e| start + e);
        let mut rows: Vec<Vec<String>> = Vec::new();
        for tr in lower[start..end].split("<tr").skip(1) {
            let mut row = Vec::new();
            let base = tr.as_ptr() as usize - lower.as_ptr() as usize;
            for (k, cell) in tr.match_indices("<t") {
                let kind = tr[k + 2..].chars().next();
                if !matches!(kind, Some('d' | 'h')) {
                    continue;
                }
                let Some(open_end) = tr[k..].find('>') else {
                    continue;
                };
                let body_start = base + k + open_end + 1;
                let body_end = lower[body_start..end]
                    .find("</t")
                    .map_or(end, |e| body_start + e);
                let _ = cell;
                // Read like a Markdown table's cells (full-width `ＸＸ` as `XX`).
                row.push(
                    unicode_normalization::UnicodeNormalization::nfkc(
                        strip_tags(&text[body_start..body_end]).as_str(),
                    )
                    .collect(),
                );
            }
            if !row.is_empty() {
                rows.push(row);
            }
        }
        if let Some((head, body)) = rows.split_first() {
            let heads: Vec<&str> = head.iter().map(String::as_str).collect();
            let body: Vec<Vec<&str>> = body
                .iter()
                .map(|r| r.iter().map(String::as_str).collect())
                .collect();
            if let Some(columns) = register_columns(&heads, &body) {
                let line_end = text[start..].find('\n').map_or(text.len(), |e| start + e);
                out.push(RosterTable {
                    range: start..line_end,
                    columns,
                });
            }
        }
        from = end.max(start + 1);
    }
}

/// The separators of a pasted register's cells: commas and tabs (read as
/// one kind, as a spreadsheet's copy writes them), the Chinese comma, the
/// semicolons and the ideographic comma.
const SEPARATORS: [char; 6] = [',', '\t', '，', ';', '；', '、'];

/// Whether `l` has one of [`SEPARATORS`]: found by byte (the ASCII ones,
/// then the lead bytes of the others), without decoding the text.
fn has_separator(l: &str) -> bool {
    let b = l.as_bytes();
    memchr::memchr3(b',', b'\t', b';', b).is_some()
        || memchr::memchr2_iter(0xE3, 0xEF, b).any(|p| {
            matches!(
                b.get(p..p + 3),
                Some([0xEF, 0xBC, 0x8C] | [0xEF, 0xBC, 0x9B] | [0xE3, 0x80, 0x81])
            )
        })
}

/// The separators a header line is split by: those it has, a comma
/// standing for a tab too. Empty when it has none.
fn separators_of(line: &str) -> Vec<char> {
    let mut seps: Vec<char> = SEPARATORS
        .iter()
        .copied()
        .filter(|&c| line.contains(c))
        .collect();
    if seps.contains(&',') || seps.contains(&'\t') {
        seps.retain(|&c| c != ',' && c != '\t');
        seps.extend([',', '\t']);
    }
    seps
}

/// Whether `line` can be the header of a register split by `seps`: short
/// cells, none empty. With only the Chinese separators (which prose also
/// has: `道路、桥梁、水利`), the cells must be shorter still and the line
/// no sentence.
fn is_csv_header(line: &str, seps: &[char]) -> bool {
    let ascii = seps.contains(&',');
    let most = if ascii { 24 } else { 12 };
    !seps.is_empty()
        && !line.contains('|')
        && (ascii || !line.contains(['。', '！', '？']))
        && line.split(seps).all(|h| {
            let h = h.trim();
            !h.is_empty() && h.chars().count() <= most
        })
}

/// Separated lines: a header line of short cells and at least one line
/// under it with as many cells, split by the header's separators.
fn csv_tables(text: &str, out: &mut Vec<RosterTable>) {
    // Separators are found by byte, without decoding each line's
    // characters: most lines are prose.
    if !has_separator(text) {
        return;
    }
    let lines = unquoted_lines(text);
    let split = |l: &str, seps: &[char]| -> Vec<String> {
        l.split(seps).map(|c| c.trim().to_string()).collect()
    };
    let mut i = 0;
    while i + 1 < lines.len() {
        // A header is a line of short cells: judged before anything is
        // copied, since most lines with a comma are prose.
        let line = lines[i].1;
        if !has_separator(line) {
            i += 1;
            continue;
        }
        let seps = separators_of(line);
        if !is_csv_header(line, &seps) {
            i += 1;
            continue;
        }
        let head = split(line, &seps);
        let ascii = seps.contains(&',');
        let mut j = i + 1;
        let mut body = Vec::new();
        while j < lines.len() {
            let l = lines[j].1;
            let r = split(l, &seps);
            if r.len() != head.len() || !ascii && l.contains('。') {
                break;
            }
            body.push(r);
            j += 1;
        }
        if !body.is_empty() {
            let heads: Vec<&str> = head.iter().map(String::as_str).collect();
            let rows: Vec<Vec<&str>> = body
                .iter()
                .map(|r| r.iter().map(String::as_str).collect())
                .collect();
            if let Some(columns) = register_columns(&heads, &rows) {
                let (s, l) = lines[i];
                out.push(RosterTable {
                    range: s..s + l.len(),
                    columns,
                });
            }
        }
        i = j.max(i + 1);
    }
}

/// A cell's text without its tags.
fn strip_tags(cell: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in cell.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod table_tests {
    use super::*;

    /// `roster_shapes_of`'s test for a column word before
    /// `names_a_column_word`: the whole text read, then every word looked for.
    fn names_a_column_word_old(text: &str) -> bool {
        let key = alphanumeric_lowercase(&simplified(text));
        column_words().any(|w| key.contains(w))
    }

    /// `csv_tables` before separators were found by byte.
    fn csv_tables_old(text: &str, out: &mut Vec<RosterTable>) {
        if !text.contains(SEPARATORS) {
            return;
        }
        let lines = unquoted_lines(text);
        let split = |l: &str, seps: &[char]| -> Vec<String> {
            l.split(seps).map(|c| c.trim().to_string()).collect()
        };
        let mut i = 0;
        while i + 1 < lines.len() {
            let line = lines[i].1;
            let seps = separators_of(line);
            if !is_csv_header(line, &seps) {
                i += 1;
                continue;
            }
            let head = split(line, &seps);
            let mut j = i + 1;
            let mut body = Vec::new();
            while j < lines.len() {
                let r = split(lines[j].1, &seps);
                if r.len() != head.len() || !seps.contains(&',') && lines[j].1.contains('。') {
                    break;
                }
                body.push(r);
                j += 1;
            }
            if !body.is_empty() {
                let heads: Vec<&str> = head.iter().map(String::as_str).collect();
                let rows: Vec<Vec<&str>> = body
                    .iter()
                    .map(|r| r.iter().map(String::as_str).collect())
                    .collect();
                if let Some(columns) = register_columns(&heads, &rows) {
                    let (s, l) = lines[i];
                    out.push(RosterTable {
                        range: s..s + l.len(),
                        columns,
                    });
                }
            }
            i = j.max(i + 1);
        }
    }

    /// `has_any` before each list's Chinese words were looked for at once.
    fn has_any_old(key: &(String, String), words: &[&str]) -> bool {
        words.iter().any(|w| {
            if w.is_ascii() {
                key.1 == *w || key.1.strip_suffix('s') == Some(w)
            } else {
                key.0.contains(w)
            }
        })
    }

    /// `register_columns` before `ColumnWords` and its early return.
    fn register_columns_old(heads: &[&str], rows: &[Vec<&str>]) -> Option<String> {
        let keys: Vec<(String, String)> = heads.iter().map(|h| header_key(h)).collect();
        let identity: Vec<usize> = (0..keys.len())
            .filter(|&c| has_any_old(&keys[c], IDENTITY_COLUMNS) && !is_officer_column(&keys[c]))
            .collect();
        let household: Vec<usize> = (0..keys.len())
            .filter(|&c| has_any_old(&keys[c], HOUSEHOLD_COLUMNS) && !is_officer_column(&keys[c]))
            .collect();
        let role = keys.iter().any(|k| has_any_old(k, ROLE_COLUMNS));
        let always = keys.iter().any(|k| has_any_old(k, ALWAYS_PERSONAL));
        let named_rows = || {
            rows.iter()
                .any(|r| r.iter().any(|cell| names_a_household(cell)))
        };
        let filled = |c: usize| rows.iter().any(|r| r.get(c).is_some_and(|v| !v.is_empty()));
        let by_identity = (!role || always) && identity.iter().any(|&c| filled(c));
        let by_household = !household.is_empty() && named_rows();
        let person: Vec<usize> = (0..keys.len())
            .filter(|&c| is_person_column(&keys[c]))
            .collect();
        let by_person = persons_named(&person, rows);
        if by_identity || by_household || by_person {
            let columns: Vec<&str> = identity
                .iter()
                .chain(&household)
                .chain(
                    person
                        .iter()
                        .filter(|c| !identity.contains(c) && !household.contains(c)),
                )
                .map(|&c| heads[c])
                .collect();
            return Some(columns.join("、"));
        }
        None
    }

    /// Pieces of plans and registers: column words in any case and split
    /// by what the reading drops, household names, separators, characters
    /// whose lowercase is ASCII (`K` Kelvin), full-width letters.
    fn register_piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let words: Vec<String> = IDENTITY_COLUMNS
            .iter()
            .chain(HOUSEHOLD_COLUMNS)
            .chain(ROLE_COLUMNS)
            .chain(PERSON_COLUMNS)
            .map(|w| w.to_string())
            .chain(
                [
                    "张三",
                    "戶主",
                    "> ",
                    "；",
                    ";",
                    "Name",
                    "NAME",
                    "na me",
                    "a-ge",
                    "户 主",
                    "Ｎａｍｅ",
                    "\u{212a}",
                    "İ",
                    "张某某户",
                    "王XX",
                    "村",
                    "项目",
                    "village",
                    "Income (元)",
                    "收入（元）",
                    "，",
                    "、",
                    ",",
                    ", ",
                    "\t",
                    "|",
                    " | ",
                    "\n",
                    "\r\n",
                    " ",
                    "-",
                    "---",
                    "<",
                    "12",
                    "ß",
                ]
                .map(String::from),
            )
            .collect();
        prop_oneof![
            4 => proptest::sample::select(words),
            1 => "[a-zA-Z\u{4e00}-\u{4e20}]{1,6}",
            1 => "\\PC{1,3}",
        ]
    }

    /// Free text, or lines of cells joined by one separator each (so that
    /// registers with as many cells a line are made often).
    fn register_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let line = (
            proptest::collection::vec(register_piece(), 1..4),
            proptest::sample::select(vec![",", "\t", ", ", "|", "，", ",,", "；", "、", ";"]),
        )
            .prop_map(|(cells, sep)| cells.join(sep));
        prop_oneof![
            proptest::collection::vec(register_piece(), 0..60).prop_map(|v| v.concat()),
            proptest::collection::vec(line, 0..8).prop_map(|v| v.join("\n")),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn names_a_column_word_is_the_full_reading(text in register_text()) {
            proptest::prop_assert_eq!(names_a_column_word(&text), names_a_column_word_old(&text));
        }

        #[test]
        fn column_words_are_the_word_by_word_comparison(cell in register_text()) {
            let key = header_key(&cell);
            for (list, words) in [
                (&IDENTITY, IDENTITY_COLUMNS),
                (&HOUSEHOLD, HOUSEHOLD_COLUMNS),
                (&ROLE, ROLE_COLUMNS),
                (&ALWAYS, ALWAYS_PERSONAL),
            ] {
                proptest::prop_assert_eq!(list.named_by(&key), has_any_old(&key, words), "{:?}", words);
            }
        }

        #[test]
        fn register_columns_judges_like_the_old_code(
            heads in proptest::collection::vec(register_piece(), 1..5),
            rows in proptest::collection::vec(proptest::collection::vec(register_piece(), 0..5), 0..4),
        ) {
            let heads: Vec<&str> = heads.iter().map(String::as_str).collect();
            let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
            proptest::prop_assert_eq!(register_columns(&heads, &rows), register_columns_old(&heads, &rows));
        }

        #[test]
        fn csv_tables_finds_what_the_char_search_found(text in register_text()) {
            let (mut new, mut old) = (Vec::new(), Vec::new());
            csv_tables(&text, &mut new);
            csv_tables_old(&text, &mut old);
            proptest::prop_assert_eq!(new, old);
        }
    }

    #[test]
    fn registers_are_recognised_and_plan_tables_are_not() {
        let roster = [
            "| 户主 | 家庭人口 | 人均纯收入 |\n|---|---|---|\n| 张某某 | 4 | 4800 |\n",
            "|姓名|联系电话|\n|:--|--:|\n|王XX|略|\n",
            "| 序号 | 户名 | 风险类型 |\n| - | - | - |\n| 1 | 李某户 | 因病 |\n",
            "| Name | Income |\n|---|---|\n| Zhang | 4800 |\n",
            "| 户 | 帮扶措施 |\n|---|---|\n| 张某某户 | 产业奖补 |\n",
            "| 姓名 | 职务 | 身份证号 |\n|---|---|---|\n| 王某 | 主任 | 略 |\n",
        ];
        for t in roster {
            assert_eq!(roster_tables(t).len(), 1, "{t}");
        }
        let public = [
            "| 项目名称 | 资金（万元） | 户数 |\n|---|---|---|\n| 道路 | 16.30 | 73 |\n",
            "| 单位 | 联系电话 |\n|---|---|\n| 乡政府办公室 | 0871-1234567 |\n",
            "| 类别 | 帮扶措施 | 户数 |\n|---|---|---|\n| 监测户 | 产业奖补 | 12 |\n| 脱贫户 | 就业 | 30 |\n",
            "| 姓名 | 职务 | 分工 |\n|---|---|---|\n| 王某 | 村主任 | 全面 |\n",
            "| 年份 | 村集体经济收入 |\n|---|---|\n| 2020 | 5.2 |\n",
            "| 户主 | 收入 |\n|---|---|\n",
            "no table | here",
        ];
        for t in public {
            assert!(roster_tables(t).is_empty(), "{t}");
        }
    }

    #[test]
    fn household_placeholders() {
        for s in [
            "某某户",
            "张某某",
            "王XX户",
            "李某家",
            "X某某家",
            "张三户",
            "某户",
        ] {
            assert!(names_a_household(s), "{s}");
        }
        for s in [
            "监测户",
            "脱贫户",
            "XX村",
            "某某村",
            "道路",
            "合计",
            "农户",
            "某些",
        ] {
            assert!(!names_a_household(s), "{s}");
        }
    }
}

/// Registers written as text, in every document and data string of the
/// portal: a Markdown table with personal columns (see [`roster_tables`]) in
/// a plan's body, in one data string, or in a list of strings (one row each).
/// Each is refused like a register data file.
pub fn roster_shapes(
    sources: &crate::source::Sources,
    lang: crate::messages::Lang,
) -> Vec<crate::diag::Diagnostic> {
    use rayon::prelude::*;
    let files: Vec<_> = sources.iter().collect();
    files
        .par_iter()
        .flat_map_iter(|(file, source)| roster_shapes_of(*file, source, lang))
        .collect()
}

/// [`roster_shapes`] of one file.
pub fn roster_shapes_of(
    file: crate::source::FileId,
    source: &crate::source::SourceFile,
    lang: crate::messages::Lang,
) -> Vec<crate::diag::Diagnostic> {
    {
        let text: &str = &source.text;
        let mut found: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        // Plans, and the text of PDFs in static/.
        let content = source.name.starts_with("content/") || source.name.starts_with("static/");
        // An HTML `<table>` or a register separated by commas, tabs,
        // semicolons or `、` in a plan.
        let other = content
            && (memchr::memchr(b'<', text.as_bytes()).is_some() || has_separator(text))
            && (names_a_column_word(text) || bare_household_cell(text));
        if !text.contains('|') && !other {
            return Vec::new();
        }
        if content {
            if !other && !has_personal_header(text) {
                return Vec::new();
            }
            let reading = super::prose::normalise(text);
            for t in roster_tables(reading.text()) {
                found.push((reading.written(t.range), t.columns));
            }
            let mut html = Vec::new();
            html_tables(text, &mut html);
            found.extend(html.into_iter().map(|t| (t.range, t.columns)));
        } else if source.name.starts_with("data/") {
            if let Ok(doc) = toml::de::DeTable::parse(text) {
                for (_, v) in doc.get_ref().iter() {
                    data_strings(text, v, &mut found);
                }
            }
        }
        found
            .into_iter()
            .map(|(range, columns)| {
                let span = crate::source::Span { file, range };
                crate::diag::Diagnostic::error(
                    "privacy.individual-record",
                    crate::messages::Msg::RosterTable { columns: &columns }.text(lang),
                )
                .at(span, crate::messages::Msg::LabelHere.text(lang))
                .hint(crate::messages::Msg::IndividualHint.text(lang))
            })
            .collect::<Vec<_>>()
    }
}

/// Whether `text`, read like a header cell (see `header_key`), holds a word
/// of [`IDENTITY_COLUMNS`], [`HOUSEHOLD_COLUMNS`] or [`PERSON_COLUMNS`]
/// (but `户` alone, which every plan has; a register headed `户` alone is
/// found in Markdown tables). A word written whole
/// (ASCII letters in any case) is in that reading too, and most plans have
/// one (`village` holds `age`): it is looked for first, without copying the
/// plan, and only a text without one is read in full.
fn names_a_column_word(text: &str) -> bool {
    static WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(column_words())
            .expect("fixed word list")
    });
    WORDS.is_match(text) || {
        let key = alphanumeric_lowercase(&simplified(text));
        column_words().any(|w| key.contains(w))
    }
}

/// Whether `text` has `户` (or `戶`) as a whole cell of an HTML table or
/// of separated lines: the person column [`names_a_column_word`] leaves
/// out.
fn bare_household_cell(text: &str) -> bool {
    let edge = |c: Option<char>| {
        c.is_none_or(|c| matches!(c, '<' | '>' | '\n' | '\r' | ' ') || SEPARATORS.contains(&c))
    };
    ["户", "戶"].iter().any(|w| {
        memchr::memmem::find_iter(text.as_bytes(), w.as_bytes()).any(|p| {
            edge(text[..p].chars().next_back()) && edge(text[p + w.len()..].chars().next())
        })
    })
}

/// The words [`names_a_column_word`] looks for.
fn column_words() -> impl Iterator<Item = &'static str> {
    IDENTITY_COLUMNS
        .iter()
        .chain(HOUSEHOLD_COLUMNS)
        .chain(PERSON_COLUMNS.iter().filter(|w| **w != "户"))
        .copied()
}

/// A quick test run before [`roster_tables`]: whether any table header line
/// (a line with `|` followed by a `---` separator) names a personal column
/// at all. Most plans' tables do not, and are then not read further.
fn has_personal_header(text: &str) -> bool {
    static WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        let mut words: Vec<String> = IDENTITY_COLUMNS
            .iter()
            .chain(HOUSEHOLD_COLUMNS)
            .chain(PERSON_COLUMNS)
            .filter(|w| !w.is_ascii())
            .map(|w| w.to_string())
            .collect();
        // Every header `is_person_column` takes: `…户`, `…对象`.
        words.extend(["户", "对象"].map(String::from));
        // English headers: their first word is enough for a superset.
        words.extend(
            [
                "name",
                "householder",
                "head",
                "id",
                "income",
                "risk",
                "phone",
                "mobile",
                "telephone",
                "contact",
                "address",
                "support",
                "bank",
                "birth",
                "age",
                "gender",
                "per",
                "home",
                "annual",
                "date",
                "full",
                "beneficiar",
                "recipient",
                "cardholder",
                "accountholder",
                "applicant",
                "household",
                "family",
                "monitored",
            ]
            .iter()
            .map(|w| w.to_string()),
        );
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(words)
            .expect("fixed word list")
    });
    // Blockquote markers are taken off, as `roster_tables` does.
    let mut lines = text.lines().map(|l| &l[quote_prefix(l)..]).peekable();
    while let Some(line) = lines.next() {
        if !line.contains('|') {
            continue;
        }
        let Some(next) = lines.peek() else {
            break;
        };
        if !next.contains('-') || !is_separator(next) {
            continue;
        }
        let plain = line
            .chars()
            .all(|c| c.is_ascii() || ('\u{4e00}'..='\u{9fff}').contains(&c));
        // Traditional characters (`戶主`) read as simplified ones.
        let found = if plain {
            WORDS.is_match(line) || !line.is_ascii() && WORDS.is_match(&*simplified(line))
        } else {
            WORDS.is_match(&*simplified(super::prose::normalise(line).text()))
        };
        if found {
            return true;
        }
    }
    false
}

/// Strings (and lists of strings, one row each) of a data value that hold a
/// register-shaped table.
fn data_strings(
    source: &str,
    v: &toml::Spanned<toml::de::DeValue<'_>>,
    found: &mut Vec<(std::ops::Range<usize>, String)>,
) {
    use toml::de::DeValue;
    // The finding points at the header as written, so that the lines quoted
    // under it never show the rows (names) of the table.
    let header_in = |span: std::ops::Range<usize>, header: &str| {
        let raw = source.get(span.clone()).unwrap_or("");
        match raw.find(header.trim()) {
            Some(at) => span.start + at..span.start + at + header.trim().len(),
            None => {
                let first_line = raw.find('\n').unwrap_or(raw.len());
                span.start..span.start + first_line
            }
        }
    };
    match v.get_ref() {
        DeValue::String(s) if s.contains('|') => {
            let reading = super::prose::normalise(s);
            if let Some(t) = roster_tables(reading.text()).into_iter().next() {
                let header = &s[reading.written(t.range.clone())];
                found.push((header_in(v.span(), header), t.columns));
            }
        }
        DeValue::Array(items) => {
            let rows: Vec<(&str, std::ops::Range<usize>)> = items
                .iter()
                .filter_map(|i| match i.get_ref() {
                    DeValue::String(s) => Some((&**s, i.span())),
                    _ => None,
                })
                .collect();
            if rows.len() >= 2 && rows.iter().any(|r| r.0.contains('|')) {
                let joined = rows.iter().map(|r| r.0).collect::<Vec<_>>().join("\n");
                let reading = super::prose::normalise(&joined);
                if let Some(t) = roster_tables(reading.text()).into_iter().next() {
                    // The row (string) that holds the header.
                    let line = reading.text()[..t.range.start].matches('\n').count();
                    let span = rows.get(line).map_or(v.span(), |r| r.1.clone());
                    let header = &joined[reading.written(t.range.clone())];
                    found.push((header_in(span, header), t.columns));
                    return;
                }
            }
            for i in items.iter() {
                data_strings(source, i, found);
            }
        }
        DeValue::Table(t) => {
            for (_, v) in t.iter() {
                data_strings(source, v, found);
            }
        }
        _ => {}
    }
}

/// Registers the red team published (section I of the review): person
/// columns outside the word lists, traditional characters, quoted tables,
/// Chinese separators, payment and progress columns. Each test loops over
/// header words × row forms × table syntaxes.
#[cfg(test)]
mod class_tests {
    use super::*;

    /// The findings of a plan whose body is `text`, each checked to point
    /// into the text.
    fn refused(text: &str) -> usize {
        let source = crate::source::SourceFile::new(
            "content/plan.md".into(),
            "content/plan.md".into(),
            text.into(),
        );
        let found = roster_shapes_of(crate::source::FileId(0), &source, crate::lang::Lang::Zh);
        for d in &found {
            for l in &d.labels {
                assert!(text.get(l.span.range.clone()).is_some(), "{text:?}: {l:?}");
            }
        }
        found.len()
    }

    /// A table of `heads` and `rows` written in one of the syntaxes a clerk
    /// pastes: Markdown (outer pipes or not, quoted, quoted twice), HTML,
    /// and lines separated by commas, tabs, Chinese commas, semicolons or `、`.
    fn written(syntax: usize, heads: &[&str], rows: &[Vec<&str>]) -> String {
        let md = |quote: &str, outer: bool| {
            let line = |cs: &[&str]| {
                let inner = cs.join(" | ");
                if outer {
                    format!("{quote}| {inner} |\n")
                } else {
                    format!("{quote}{inner}\n")
                }
            };
            let sep: Vec<&str> = heads.iter().map(|_| "---").collect();
            let mut t = format!("前言。\n\n{}{}", line(heads), line(&sep));
            for r in rows {
                t.push_str(&line(r));
            }
            t
        };
        let sep = |s: &str| {
            let mut t = format!("说明如下\n{}\n", heads.join(s));
            for r in rows {
                t.push_str(&r.join(s));
                t.push('\n');
            }
            t
        };
        match syntax {
            0 => md("", true),
            1 => md("", false),
            2 => md("> ", true),
            3 => md("> > ", true),
            4 => md("  >", true),
            5 => {
                let row = |cs: &[&str]| {
                    let tds: String = cs.iter().map(|c| format!("<td>{c}</td>")).collect();
                    format!("<tr>{tds}</tr>\n")
                };
                let mut t = format!("<table>\n{}", row(heads));
                for r in rows {
                    t.push_str(&row(r));
                }
                t + "</table>\n"
            }
            6 => sep(","),
            7 => sep("\t"),
            8 => sep("，"),
            9 => sep("；"),
            10 => sep(";"),
            11 => sep("、"),
            _ => unreachable!(),
        }
    }
    const SYNTAXES: usize = 12;

    /// Headers that name the row's household or person, written whole.
    const PERSON_HEADS: &[&str] = &[
        "监测对象",
        "帮扶对象",
        "家庭成员",
        "持卡人",
        "开户人",
        "受益人",
        "受益户",
        "受益农户",
        "农户",
        "户",
        "监测户",
        "脱贫户",
        "申请人",
        "易地搬迁户",
        "救助对象",
        "農戶",
        "受益人（姓名）",
        "农户名称",
    ];
    /// Columns beside them that no word list names.
    const OTHER_HEADS: &[&str] = &[
        "风险类型",
        "帮扶措施",
        "收入",
        "发放金额",
        "金额",
        "补助金额",
        "补助金额（元）",
        "发放金额（元）",
        "补助",
        "措施",
        "进度",
        "备注",
    ];
    /// One household or person in a row.
    const ROW_NAMES: &[&str] = &[
        "张三",
        "李小明",
        "王*",
        "张某某户",
        "王XX家",
        "某某户",
        "李四户",
        "張三",
        "陈某",
        "赵某某",
    ];

    #[test]
    fn person_columns_with_a_person_in_a_row_are_registers() {
        let mut cases = 0;
        for (h, head) in PERSON_HEADS.iter().enumerate() {
            for (o, other) in OTHER_HEADS.iter().enumerate() {
                for (n, name) in ROW_NAMES.iter().enumerate() {
                    for syntax in 0..SYNTAXES {
                        // Three layouts: the person first, after 序号, after 序号 and 组别.
                        let (heads, row): (Vec<&str>, Vec<&str>) = match (h + o + n + syntax) % 3 {
                            0 => (vec![head, other], vec![name, "略"]),
                            1 => (vec!["序号", head, other], vec!["1", name, "已\"评\""]),
                            _ => (
                                vec!["序号", "组别", head, other],
                                vec!["1", "一组", name, "500"],
                            ),
                        };
                        let text = written(syntax, &heads, &[row]);
                        assert_eq!(refused(&text), 1, "{text}");
                        cases += 1;
                    }
                }
            }
        }
        assert_eq!(cases, 18 * 12 * 10 * 12);
        // docs/privacy.md's own "不要这样写" example.
        assert_eq!(
            refused("| 监测户 | 进度 |\n|---|---|\n| 张某某户 | 已\"评\" |\n"),
            1
        );
    }

    #[test]
    fn registers_in_traditional_characters_quotes_and_chinese_separators() {
        // Registers the word lists always knew, written in the new forms.
        let heads: &[&[&str]] = &[
            &["戶主", "收入"],
            &["户主", "身份证号", "收入"],
            &["姓名", "聯繫電話"],
            &["戶名", "風險類型"],
            &["户", "家庭住址"],
            &["序号", "戶主", "人均純收入（元）"],
        ];
        let rows: &[&[&str]] = &[&["张三", "略", "4800"], &["王某某", "略", "3200"]];
        let mut cases = 0;
        for head in heads {
            for row in rows {
                let row: Vec<&str> = row.iter().copied().cycle().take(head.len()).collect();
                for syntax in 0..SYNTAXES {
                    let text = written(syntax, head, &[row.clone(), row.clone()]);
                    assert_eq!(refused(&text), 1, "{text}");
                    cases += 1;
                }
            }
        }
        assert_eq!(cases, 6 * 2 * 12);
    }

    #[test]
    fn aggregate_tables_stay_clean() {
        let tables: &[(&[&str], &[&[&str]])] = &[
            (
                &["村", "受益农户（户）"],
                &[&["青山村", "120"], &["合计", "300"]],
            ),
            (&["类别", "户数"], &[&["脱贫户", "120"], &["监测户", "12"]]),
            (
                &["姓名", "职务"],
                &[&["王小明", "村主任"], &["李四", "会计"]],
            ),
            (
                &["联系人", "联系电话"],
                &[&["乡政府办公室", "0871-1234567"]],
            ),
            (
                &["项目名称", "资金（万元）", "受益农户"],
                &[&["道路硬化", "16.30", "73"]],
            ),
            (
                &["受益对象", "人数"],
                &[&["学生", "120"], &["老年人", "30"], &["全体村民", "317"]],
            ),
            (
                &["农户", "补助标准（元）"],
                &[&["一般农户", "500"], &["脱贫户", "800"], &["每户", "300"]],
            ),
            (
                &["监测对象", "帮扶措施"],
                &[
                    &["脱贫不稳定户", "产业"],
                    &["边缘易致贫户", "就业"],
                    &["突发严重困难户", "兜底"],
                ],
            ),
            (
                &["户", "户数"],
                &[&["种养大户", "5"], &["文明户", "30"], &["光伏户", "20"]],
            ),
            (&["账户", "余额（万元）"], &[&["基本户", "5.2"]]),
            (&["受益户数", "金额"], &[&["120", "30.00"]]),
            (&["年份", "村集体经济收入"], &[&["2020", "5.2"]]),
            (&["乡镇", "监测户", "监测对象"], &[&["龙沱乡", "12", "41"]]),
        ];
        let mut cases = 0;
        for (heads, rows) in tables {
            let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.to_vec()).collect();
            for syntax in 0..SYNTAXES {
                let text = written(syntax, heads, &rows);
                assert_eq!(refused(&text), 0, "{text}");
                cases += 1;
            }
        }
        assert_eq!(cases, 13 * 12);
        // Prose with Chinese separators is not a register.
        for text in [
            "户主姓名、身份证号、家庭住址等信息不得公开。\n道路、桥梁、水利三类项目已完成。\n",
            "农户；监测对象；帮扶对象\n全村；全乡；全县\n",
            "一、基本情况；二、主要任务；三、保障措施\n全村73户；317人；耕地1563亩\n",
        ] {
            assert_eq!(refused(text), 0, "{text}");
        }
    }

    #[test]
    fn looks_like_person_reads_names_not_kinds() {
        for s in [
            "张三",
            "李小明",
            "王*",
            "張三",
            "陈某",
            "张三户",
            "欧阳娜娜",
        ] {
            assert!(looks_like_person(s), "{s}");
        }
        for s in [
            "学生",
            "全体村民",
            "脱贫户",
            "一般农户",
            "合计",
            "青山村",
            "王家村",
            "党员户",
            "黄牛养殖",
            "120",
            "",
        ] {
            assert!(!looks_like_person(s), "{s}");
        }
    }
}
