//! Small counts written in prose. Structured figures are suppressed by
//! `suppress.rs`, but a sentence such as "本村返贫2户" on a village's page
//! cannot be rewritten safely, so it is refused with its place, and the clerk
//! rewrites it (at township level, or without the count).

use rust_decimal::Decimal;
use std::str::FromStr;

/// Words that mark a sensitive category: poor, fallen back, monitored.
const SENSITIVE: &[&str] = &[
    "返贫",
    "致贫",
    "监测户",
    "监测对象",
    "边缘户",
    "边缘易致贫",
    "脱贫不稳定",
    "贫困户",
    "贫困人口",
    "未脱贫",
    "建档立卡",
    "突发严重困难",
    "纳入监测",
    "识别监测",
];

/// How far (in characters) a count may stand from the word it counts.
const WINDOW: usize = 12;

/// A small count or a revealing percentage found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProseHit {
    pub range: std::ops::Range<usize>,
    pub shown: String,
    pub is_percent: bool,
}

/// The prose and table scanners read a text through the gate's one
/// canonical reading (entities, NFKC, every decimal digit, format characters
/// removed: `返贫１户`, `返贫&#49;户`), mapped back to the bytes as written.
pub use super::reading::Reading;

/// The one reading of a text used by the prose and table scanners.
pub fn normalise(text: &str) -> Reading<'_> {
    super::reading::canonical(text)
}

/// Finds counts of households or people in a sensitive category that are
/// below `k` (and above zero), and percentages (or per-mille) that give back
/// such a count of the area's `households` or `population`, in the forms a
/// clerk writes them: `返贫2户`, `返贫 1 户`, `返贫１户`, `返贫1家`,
/// `返贫户数为2`, `一户`, a small number in a table cell of a 返贫 row or
/// column, and English (`1 household fell back`, `2 relapsed households`).
/// A figure attributed to a larger area in the same phrase ("栗木乡的返贫率",
/// "全乡返贫") is that area's, not the village's: `larger` names them.
pub fn small_counts(
    text: &str,
    k: u64,
    households: Option<u64>,
    population: Option<u64>,
    larger: &[&str],
) -> Vec<ProseHit> {
    small_counts_read(text, &normalise(text), k, households, population, larger)
}

/// [`small_counts`] of `text` read as `reading` (read once for every
/// scanner of a document).
pub fn small_counts_read(
    text: &str,
    reading: &Reading,
    k: u64,
    households: Option<u64>,
    population: Option<u64>,
    larger: &[&str],
) -> Vec<ProseHit> {
    let rtext: &str = reading.text();
    // Every finding needs a sensitive word near it: a document without one
    // (most of them) is not read further.
    let mut words = SensitiveAt::find(rtext);
    if words.chinese.is_empty() && words.english.is_empty() {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = rtext.char_indices().collect();
    words.in_chars(&chars);
    let mut hits: Vec<ProseHit> = Vec::new();
    let push = |range: std::ops::Range<usize>, is_percent: bool, hits: &mut Vec<ProseHit>| {
        let range = reading.written(range);
        if hits
            .iter()
            .any(|h| h.range.start < range.end && range.start < h.range.end)
        {
            return;
        }
        hits.push(ProseHit {
            shown: text[range.clone()].to_string(),
            range,
            is_percent,
        });
    };
    let mut i = 0;
    while i < chars.len() {
        let Some((value, len)) = number_at(&chars, i) else {
            i += 1;
            continue;
        };
        let english_number = chars[i].1.is_ascii_alphabetic();
        // Spaces may stand between a number and its unit: `返贫 1 户`.
        let mut u = i + len;
        while chars.get(u).is_some_and(|c| matches!(c.1, ' ' | '\t')) {
            u += 1;
        }
        let after = chars.get(u).map(|c| c.1);
        let start = chars[i].0;
        let unit_end = |n: usize| chars.get(u + n).map_or(rtext.len(), |c| c.0);
        let near = words.near(i, i + len) && near_sensitive(&chars, i, i + len);
        let small = value > Decimal::ZERO && value < Decimal::from(k);
        if near && !attributed_to_larger_area(&chars, i, larger) {
            let english = english_unit(&chars, u);
            match after {
                _ if english_number && english.is_none() => {}
                Some('户' | '人' | '名' | '口') if small => {
                    push(start..unit_end(1), false, &mut hits)
                }
                Some('家') if small && !is_firm(&chars, i, chars.get(u + 1).map(|c| c.1)) => {
                    push(start..unit_end(1), false, &mut hits)
                }
                Some('%' | '％') if reveals(value, k, households, population, 100) => {
                    push(start..unit_end(1), true, &mut hits)
                }
                Some('‰') if reveals(value, k, households, population, 1000) => {
                    push(start..unit_end(1), true, &mut hits)
                }
                _ if small && english.is_some() => {
                    push(start..unit_end(english.unwrap_or(0)), false, &mut hits)
                }
                // `返贫户数为2`, `监测户数：3`: the unit stands before the number.
                _ if small
                    && !english_number
                    && !after.is_some_and(|c| c.is_ascii_digit() || c == '.')
                    && (count_before(&chars, i) || category_before(&chars, i, after)) =>
                {
                    push(
                        start..chars.get(i + len).map_or(rtext.len(), |c| c.0),
                        false,
                        &mut hits,
                    )
                }
                _ => {}
            }
        }
        i += len;
    }
    for (range, is_percent) in table_cells(rtext, k, households, population) {
        push(range, is_percent, &mut hits);
    }
    hits.sort_by_key(|h| h.range.start);
    hits
}

/// `家` counting firms or offices, not households: `3家企业`.
fn is_firm(chars: &[(usize, char)], i: usize, next: Option<char>) -> bool {
    let before: String = chars[i.saturating_sub(4)..i].iter().map(|c| c.1).collect();
    next.is_some_and(|c| "企公合单医银店厂商机".contains(c))
        || [
            "企业",
            "公司",
            "合作社",
            "单位",
            "医院",
            "银行",
            "机构",
            "工厂",
            "商户",
        ]
        .iter()
        .any(|w| before.contains(w))
}

/// An English unit at `u` (`households`, `families`, `people`…), as its length
/// in characters; adjectives may stand before it (`2 relapsed households`).
fn english_unit(chars: &[(usize, char)], u: usize) -> Option<usize> {
    const UNITS: &[&str] = &[
        "households",
        "household",
        "families",
        "family",
        "people",
        "persons",
        "person",
        "individuals",
        "individual",
        "residents",
        "resident",
    ];
    let word_at = |at: usize| -> String {
        chars[at.min(chars.len())..]
            .iter()
            .take_while(|c| c.1.is_ascii_alphabetic() || c.1 == '-')
            .map(|c| c.1.to_ascii_lowercase())
            .collect()
    };
    let mut at = u;
    for _ in 0..3 {
        let w = word_at(at);
        if w.is_empty() {
            return None;
        }
        if UNITS.contains(&w.as_str()) {
            return Some(at + w.chars().count() - u);
        }
        at += w.chars().count();
        while chars.get(at).is_some_and(|c| c.1 == ' ') {
            at += 1;
        }
    }
    None
}

/// Whether the count word stands just before the number: `户数为`, `人数：`.
fn count_before(chars: &[(usize, char)], i: usize) -> bool {
    let mut j = i;
    let mut skipped = 0;
    while j > 0
        && skipped < 3
        && matches!(
            chars[j - 1].1,
            ' ' | '为' | '是' | ':' | '：' | '有' | '共' | '计' | '达'
        )
    {
        j -= 1;
        skipped += 1;
    }
    let before: String = chars[j.saturating_sub(3)..j].iter().map(|c| c.1).collect();
    ["户数", "人数", "家庭数"]
        .iter()
        .any(|w| before.ends_with(w))
}

/// `返贫户2`, `监测户：3。`: a count right after a category of households,
/// with nothing after it but the end of the sentence or of the cell.
fn category_before(chars: &[(usize, char)], i: usize, after: Option<char>) -> bool {
    let ends = after.is_none_or(|c| c.is_whitespace() || "，。；、,;|）)！!？?".contains(c));
    let mut j = i;
    while j > 0 && matches!(chars[j - 1].1, ' ' | ':' | '：' | '为' | '共' | '有') {
        j -= 1;
    }
    ends && j > 0 && j < i + 1 && chars[j - 1].1 == '户'
}

fn reveals(
    value: Decimal,
    k: u64,
    households: Option<u64>,
    population: Option<u64>,
    per: u64,
) -> bool {
    [households, population].into_iter().flatten().any(|base| {
        let n = value * Decimal::from(base) / Decimal::from(per);
        n > Decimal::ZERO && n < Decimal::from(k)
    })
}

/// Cells of Markdown tables with their byte ranges (trimmed).
fn cell_ranges(line: &str, at: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    let bytes = line.as_bytes();
    for (i, &b) in bytes
        .iter()
        .enumerate()
        .chain(std::iter::once((bytes.len(), &b'|')))
    {
        if b == b'|' {
            let cell = &line[from..i];
            let lead = cell.len() - cell.trim_start().len();
            let trimmed = cell.trim();
            out.push(at + from + lead..at + from + lead + trimmed.len());
            from = i + 1;
        }
    }
    if line.trim_start().starts_with('|') && !out.is_empty() {
        out.remove(0);
    }
    if line.trim_end().ends_with('|') {
        out.pop();
    }
    out
}

fn is_sensitive(text: &str) -> bool {
    SENSITIVE.iter().any(|w| text.contains(w)) || {
        let lower = text.to_ascii_lowercase();
        ENGLISH_SENSITIVE.iter().any(|w| lower.contains(w))
    }
}

/// Small numbers in table cells of a sensitive row or column: a `返贫` row
/// with `2` under `户数`, or a `返贫户数` column with `3` in it; and
/// percentages under a `返贫率（%）` header that give back a small count.
fn table_cells(
    text: &str,
    k: u64,
    households: Option<u64>,
    population: Option<u64>,
) -> Vec<(std::ops::Range<usize>, bool)> {
    let mut out = Vec::new();
    if !text.contains('|') {
        return out;
    }
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        lines.push((at, line.trim_end_matches(['\n', '\r'])));
        at += line.len();
    }
    let is_sep = |l: &str| l.contains('-') && l.chars().all(|c| matches!(c, '-' | ':' | '|' | ' '));
    let mut i = 0;
    while i + 1 < lines.len() {
        if !lines[i].1.contains('|') || !is_sep(lines[i + 1].1) {
            i += 1;
            continue;
        }
        let heads: Vec<&str> = cell_ranges(lines[i].1, lines[i].0)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        let mut j = i + 2;
        while j < lines.len() && lines[j].1.contains('|') {
            let row = cell_ranges(lines[j].1, lines[j].0);
            let label_sensitive = row.first().is_some_and(|r| is_sensitive(&text[r.clone()]));
            for (c, r) in row.iter().enumerate() {
                let head = heads.get(c).copied().unwrap_or("");
                if !(label_sensitive && c > 0 || is_sensitive(head))
                    || head.contains('年') && !head.contains("年度") && head.chars().count() <= 2
                {
                    continue;
                }
                let cell = text[r.clone()]
                    .trim_end_matches(['户', '人', '家', '名'])
                    .trim();
                let percent_head = head.contains('%')
                    || head.contains('％')
                    || head.contains('率')
                    || head.to_ascii_lowercase().contains("rate");
                let cell_pct = cell.trim_end_matches(['%', '％']).trim();
                let Ok(v) = cell_pct.parse::<Decimal>() else {
                    continue;
                };
                let is_percent = percent_head || cell_pct.len() != cell.len();
                if is_percent {
                    if reveals(v, k, households, population, 100) {
                        out.push((r.clone(), true));
                    }
                } else if v.fract().is_zero() && v > Decimal::ZERO && v < Decimal::from(k) {
                    out.push((r.clone(), false));
                }
            }
            j += 1;
        }
        i = j;
    }
    out
}

/// Matchers of [`SENSITIVE`] and (in any case) [`ENGLISH_SENSITIVE`].
fn sensitive_words() -> &'static (aho_corasick::AhoCorasick, aho_corasick::AhoCorasick) {
    static WORDS: std::sync::LazyLock<(aho_corasick::AhoCorasick, aho_corasick::AhoCorasick)> =
        std::sync::LazyLock::new(|| {
            let build = |words: &[&str]| {
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .build(words)
                    .expect("fixed word list")
            };
            (build(SENSITIVE), build(ENGLISH_SENSITIVE))
        });
    &WORDS
}

/// English words of the sensitive categories (lowercase).
const ENGLISH_SENSITIVE: &[&str] = &[
    "fell back",
    "fallen back",
    "falling back",
    "relapse",
    "returned to poverty",
    "back into poverty",
    "monitored",
    "under monitoring",
    "at risk",
    "edge household",
    "marginal household",
    "still poor",
    "not yet lifted",
];

/// Sentences of a village's document about one household (`某某户`,
/// `张某某家`, `王XX户`, `张某某`): with its income (`人均纯收入4800元`), a
/// risk (`因病致贫风险`) or its category (`是低保户`, `系建档立卡贫困户`); a
/// household written as one (`张某某户`) also with what is done for it or
/// what it has (`开展帮扶`, `家中有重病患者`, `已"评"`); and a field label
/// before one (`户主：张某某`). Such a sentence is a line of a register. A
/// sentence may run over a single line break (a soft break in a paragraph).
pub fn household_sentences(text: &str) -> Vec<ProseHit> {
    household_sentences_read(text, &normalise(text))
}

/// The words that make a sentence about any household written with a
/// placeholder (`张某某`, `王XX户`): its income, a risk, or its category.
const PAIRING: &[&str] = &[
    "收入",
    "income",
    "风险",
    "致贫",
    "返贫",
    "因病",
    "因残",
    "因学",
    "因灾",
    "监测",
    "低保",
    "五保",
    "特困",
    "边缘户",
    "贫困户",
    "脱贫户",
    "建档立卡",
    "脱贫不稳定",
    "突发严重困难",
    "易致贫",
];

/// Further words that, in a sentence with a household written as one
/// (`张某某户`, `王XX家`: the placeholder ends in 户 or 家), make it about
/// that household: what is done for it, its family, health, housing,
/// money, and the steps of its monitoring.
const HOUSEHOLD_CONTEXT: &[&str] = &[
    "帮扶",
    "兜底",
    "救助",
    "一卡通",
    "结对",
    "慰问",
    "走访",
    "入户",
    "补助",
    "补贴",
    "奖补",
    "发放",
    "领取",
    "享受",
    "申请",
    "资助",
    "贷款",
    "负债",
    "欠",
    "病",
    "患",
    "残",
    "伤",
    "灾",
    "困难",
    "家中",
    "家里",
    "家庭",
    "人口",
    "成员",
    "子女",
    "老人",
    "劳动力",
    "务工",
    "就业",
    "上学",
    "就学",
    "住院",
    "医疗",
    "住房",
    "房屋",
    "危房",
    "搬迁",
    "纳入",
    "列为",
    "认定",
    "识别",
    "评议",
    "公示",
    "进度",
    "已排",
    "已访",
    "已评",
    "已录",
    "已测",
    "已补",
    "已销",
    "待排",
    "待访",
    "待评",
    "待录",
    "待测",
    "待补",
    "待销",
    "\"排\"",
    "\"访\"",
    "\"评\"",
    "\"录\"",
    "\"测\"",
    "\"补\"",
    "\"销\"",
];

/// Labels of a register's fields: a household written right after one and
/// a colon (`户主：张某某`, `监测对象: 王XX`) is that register's line.
const LABELS: &[&str] = &[
    "户主",
    "姓名",
    "户名",
    "农户",
    "监测户",
    "监测对象",
    "帮扶对象",
    "救助对象",
    "受益人",
    "受益户",
    "申请人",
    "持卡人",
    "开户人",
    "家庭成员",
];

/// [`household_sentences`] of `text` read as `reading`.
pub fn household_sentences_read(text: &str, reading: &Reading) -> Vec<ProseHit> {
    let rtext: &str = reading.text();
    // A finding needs one of the words and a placeholder (某 or a mask):
    // most documents have neither and are not split into sentences.
    static WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(PAIRING.iter().chain(HOUSEHOLD_CONTEXT).chain(LABELS))
            .expect("fixed word list")
    });
    if !rtext.contains(['某', 'X', 'x', '×', '*', '＊', '○', '〇']) {
        return Vec::new();
    }
    // Read in simplified characters (`張某某戶是邊緣戶`), character for
    // character, so places in the text stay where they are.
    let simplified = (!rtext.is_ascii())
        .then(|| fast2s::convert(rtext))
        .filter(|t| t.chars().count() == rtext.chars().count());
    let words_text = simplified.as_deref().unwrap_or(rtext);
    if !WORDS.is_match(words_text) {
        return Vec::new();
    }
    let chars: Vec<char> = words_text.chars().collect();
    let offsets: Vec<usize> = rtext
        .char_indices()
        .map(|c| c.0)
        .chain(std::iter::once(rtext.len()))
        .collect();
    let mut hits = Vec::new();
    let mut s = 0;
    while s < chars.len() {
        let e = sentence_end(&chars, s);
        // Most sentences hold no placeholder: the word lists are not
        // searched in them (`x` and `*` are common in any text).
        let marked = chars[s..e]
            .iter()
            .any(|c| matches!(c, '某' | 'X' | 'x' | '×' | '*' | '＊' | '○' | '〇'));
        if !marked {
            s = e + 1;
            continue;
        }
        // The sentence as one line: a soft break read as nothing.
        let sentence: String = chars[s..e]
            .iter()
            .filter(|&&c| c != '\n' && c != '\r')
            .collect();
        let lower = sentence.to_ascii_lowercase();
        let income = (sentence.contains("收入") || lower.contains("income"))
            && sentence.chars().any(|c| c.is_ascii_digit());
        let pairs = income || PAIRING[2..].iter().any(|w| sentence.contains(w));
        let context = pairs || HOUSEHOLD_CONTEXT.iter().any(|w| sentence.contains(w));
        let labelled = LABELS.iter().any(|w| sentence.contains(w));
        if context || labelled {
            let mut i = s;
            while i < e {
                let Some(n) = super::individual::household_placeholder(&chars[..e], i) else {
                    i += 1;
                    continue;
                };
                let as_household = matches!(chars[i + n - 1], '户' | '家');
                if pairs || context && as_household || labelled && after_label(&chars[s..i]) {
                    let range = reading.written(offsets[i]..offsets[i + n]);
                    let shown: String = text[range.clone()]
                        .chars()
                        .enumerate()
                        .map(|(j, c)| if j == 0 { c } else { '＊' })
                        .collect();
                    hits.push(ProseHit {
                        range,
                        shown,
                        is_percent: false,
                    });
                    break;
                }
                i += n;
            }
        }
        s = e + 1;
    }
    hits
}

/// Where the sentence starting at `s` ends: at `。！？；` (and their ASCII
/// forms), or at a line break that ends a paragraph, a heading, a table
/// row or a list item (a blank line or a block after it). A single line
/// break inside a paragraph does not end it.
fn sentence_end(chars: &[char], s: usize) -> usize {
    let mut e = s;
    while e < chars.len() {
        match chars[e] {
            '。' | '！' | '？' | '；' | ';' | '!' | '?' => return e,
            '\n' if line_ends_block(chars, e) => return e,
            _ => {}
        }
        e += 1;
    }
    e
}

/// Whether the line break at `e` ends a block: the line before it is a
/// heading or a table row, or the line after it is blank or starts a
/// block (heading, list item, quote, table, fence, numbered item).
fn line_ends_block(chars: &[char], e: usize) -> bool {
    let line_start = chars[..e]
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |p| p + 1);
    let this: String = chars[line_start..e].iter().collect();
    let this = this.trim_start();
    if this.starts_with(['#', '|', '>']) || this.trim_end().ends_with('|') {
        return true;
    }
    let next: String = chars[e + 1..].iter().take_while(|&&c| c != '\n').collect();
    let next = next.trim_start();
    let numbered = next.trim_start_matches(|c: char| c.is_ascii_digit());
    next.trim_end().is_empty()
        || next.starts_with(['#', '-', '*', '+', '>', '|', '`', '<'])
        || (numbered.len() < next.len() && numbered.starts_with(['.', ')', '、']))
}

/// Whether `before` ends with a field label and a colon (`户主：`,
/// `监测对象: `).
fn after_label(before: &[char]) -> bool {
    let mut j = before.len();
    while j > 0 && before[j - 1].is_whitespace() {
        j -= 1;
    }
    if j == 0 || !matches!(before[j - 1], ':' | '：') {
        return false;
    }
    j -= 1;
    while j > 0 && before[j - 1].is_whitespace() {
        j -= 1;
    }
    let label: String = before[j.saturating_sub(6)..j].iter().collect();
    LABELS.iter().any(|w| label.ends_with(w))
}

/// A number at `i`: Arabic digits (with a decimal point), one of the small
/// Chinese numerals, or an English number word; returns its value and length
/// in characters.
fn number_at(chars: &[(usize, char)], i: usize) -> Option<(Decimal, usize)> {
    let prev = i.checked_sub(1).map(|p| chars[p].1);
    if prev.is_some_and(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let c = chars[i].1;
    if c.is_ascii_alphabetic() {
        if prev.is_some_and(|p| p.is_ascii_alphanumeric()) {
            return None;
        }
        const WORDS: &[(&str, u64)] = &[
            ("one", 1),
            ("two", 2),
            ("three", 3),
            ("four", 4),
            ("five", 5),
            ("six", 6),
            ("seven", 7),
            ("eight", 8),
            ("nine", 9),
            ("single", 1),
        ];
        let word: String = chars[i..]
            .iter()
            .take_while(|c| c.1.is_ascii_alphabetic())
            .map(|c| c.1.to_ascii_lowercase())
            .collect();
        return WORDS
            .iter()
            .find(|(w, _)| *w == word)
            .map(|&(w, v)| (Decimal::from(v), w.len()));
    }
    if let Some(v) = chinese_digit(c) {
        // Only a lone numeral counts: "一户" yes, "十一户" or "一百户" no.
        let next = chars.get(i + 1).map(|c| c.1);
        let prev_numeral = prev
            .is_some_and(|p| chinese_digit(p).is_some() || matches!(p, '十' | '百' | '千' | '万'));
        if prev_numeral
            || next.is_some_and(|n| {
                chinese_digit(n).is_some() || matches!(n, '十' | '百' | '千' | '万')
            })
        {
            return None;
        }
        return Some((Decimal::from(v), 1));
    }
    if !c.is_ascii_digit() {
        return None;
    }
    let mut len = 0;
    let mut s = String::new();
    while let Some(&(_, d)) = chars.get(i + len) {
        if d.is_ascii_digit()
            || (d == '.' && chars.get(i + len + 1).is_some_and(|n| n.1.is_ascii_digit()))
        {
            s.push(d);
            len += 1;
        } else {
            break;
        }
    }
    Decimal::from_str(&s).ok().map(|v| (v, len))
}

fn chinese_digit(c: char) -> Option<u64> {
    match c {
        '一' => Some(1),
        '两' | '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

fn attributed_to_larger_area(chars: &[(usize, char)], start: usize, larger: &[&str]) -> bool {
    let before: String = chars[start.saturating_sub(WINDOW)..start]
        .iter()
        .map(|c| c.1)
        .collect();
    let before = before
        .rsplit(['。', '；', '，', ',', ';', '\n'])
        .next()
        .unwrap_or("");
    [
        "全乡", "全镇", "全县", "全市", "全省", "乡里", "镇里", "县里",
    ]
    .iter()
    .chain(larger)
    .any(|w| before.contains(w))
}

/// Where the sensitive words of a text stand (in characters): a number far
/// from all of them is not looked at further. Most numbers of a plan (its
/// tables, its dates) are.
struct SensitiveAt {
    chinese: Vec<std::ops::Range<usize>>,
    english: Vec<std::ops::Range<usize>>,
}

impl SensitiveAt {
    /// Every sensitive word of `text`, overlapping ones too, in bytes.
    fn find(text: &str) -> SensitiveAt {
        let (chinese, english) = sensitive_words();
        let ranges = |ac: &aho_corasick::AhoCorasick| -> Vec<std::ops::Range<usize>> {
            ac.find_overlapping_iter(text).map(|m| m.range()).collect()
        };
        SensitiveAt {
            chinese: ranges(chinese),
            english: ranges(english),
        }
    }

    /// The ranges in characters of the text `chars` was read from.
    fn in_chars(&mut self, chars: &[(usize, char)]) {
        let at = |byte: usize| chars.partition_point(|c| c.0 < byte);
        for r in self.chinese.iter_mut().chain(self.english.iter_mut()) {
            *r = at(r.start)..at(r.end);
        }
    }

    /// Whether a word stands where [`near_sensitive`] could see it from the
    /// number at characters `start..end`: wholly inside the window before or
    /// after it, or (English) within a sentence's reach.
    fn near(&self, start: usize, end: usize) -> bool {
        let before = start.saturating_sub(WINDOW);
        self.chinese.iter().any(|w| {
            (w.start >= before && w.end <= start) || (w.start >= end && w.end <= end + WINDOW)
        }) || self
            .english
            .iter()
            .any(|w| w.start >= start.saturating_sub(60) && w.end <= end + 60)
    }
}

/// Whether a sensitive word stands within the window before or after the
/// number, in the same sentence.
fn near_sensitive(chars: &[(usize, char)], start: usize, end: usize) -> bool {
    let stop = |c: char| matches!(c, '。' | '；' | '！' | '？' | '\n' | ';' | '!' | '?');
    let mut before = String::new();
    for j in (start.saturating_sub(WINDOW)..start).rev() {
        if stop(chars[j].1) {
            break;
        }
        before.insert(0, chars[j].1);
    }
    let mut after = String::new();
    for &(_, c) in chars.iter().skip(end).take(WINDOW) {
        if stop(c) {
            break;
        }
        after.push(c);
    }
    if SENSITIVE
        .iter()
        .any(|w| before.contains(w) || after.contains(w))
    {
        return true;
    }
    // English sentences are longer: the same sentence, up to 60 characters.
    let english_stop = |j: usize| {
        stop(chars[j].1) || chars[j].1 == '.' && chars.get(j + 1).is_none_or(|n| n.1 == ' ')
    };
    let mut from = start;
    while from > 0 && start - from < 60 && !english_stop(from - 1) {
        from -= 1;
    }
    let mut to = end;
    while to < chars.len() && to - end < 60 && !english_stop(to) {
        to += 1;
    }
    let sentence: String = chars[from..to]
        .iter()
        .map(|c| c.1.to_ascii_lowercase())
        .collect();
    ENGLISH_SENSITIVE.iter().any(|w| sentence.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_near_sensitive_words_are_found() {
        assert_eq!(
            small_counts("本村返贫2户。", 5, Some(73), Some(317), &[]).len(),
            1
        );
        assert_eq!(
            small_counts("今年新识别监测户一户", 5, None, None, &[]).len(),
            1
        );
        assert_eq!(small_counts("有3人返贫", 5, None, None, &[]).len(), 1);
        assert!(
            small_counts("返贫0户。", 5, None, None, &[]).is_empty(),
            "zero is published"
        );
        assert!(small_counts("返贫12户。", 5, None, None, &[]).is_empty());
        assert!(
            small_counts("修建道路2条，受益3户。", 5, None, None, &[]).is_empty(),
            "not sensitive"
        );
        assert!(small_counts("全村73户317人", 5, None, None, &[]).is_empty());
        assert!(small_counts("返贫十一户", 5, None, None, &[]).is_empty());
    }

    #[test]
    fn percentages_that_give_back_a_small_count_are_found() {
        let hits = small_counts("本村返贫率为2.74%。", 5, Some(73), Some(317), &[]);
        assert_eq!(hits.len(), 1);
        assert!(hits[0].is_percent);
        assert!(small_counts("本村返贫率为10%。", 5, Some(73), Some(317), &[]).is_empty());
        assert!(
            small_counts("全乡返贫率3.5%。", 5, None, None, &[]).is_empty(),
            "no base: township figure"
        );
        let t = "2019年栗木乡的返贫率为3.5%，";
        assert!(
            small_counts(t, 5, Some(73), Some(317), &["栗木乡"]).is_empty(),
            "the township's rate"
        );
        assert_eq!(small_counts(t, 5, Some(73), Some(317), &[]).len(), 1);
        assert!(small_counts("全乡返贫2户。", 5, None, None, &[]).is_empty());
        // Full-width punctuation reads as ASCII (NFKC) and still ends a phrase.
        assert!(small_counts("全乡返贫２户，", 5, None, None, &[]).is_empty());
        assert_eq!(small_counts("本村返贫２户！", 5, None, None, &[]).len(), 1);
        assert!(small_counts("返贫工作良好！受益２户。", 5, None, None, &[]).is_empty());
    }

    #[test]
    fn every_written_form_of_a_small_count_is_found() {
        let refused = [
            "本村返贫 1 户。",
            "本村返贫１户。",
            "本村返贫1家。",
            "本村返贫户数为2。",
            "返贫户数：3。",
            "返贫\u{a0}2\u{a0}户",
            "返贫率为6.8‰。",
            "In 2020, 1 household fell back into poverty.",
            "There are 2 relapsed households in the village.",
            "Two households fell back.",
            "| 类别 | 户数 |\n|---|---|\n| 返贫 | 2 |\n",
            "| 年度 | 返贫户数 |\n|---|---|\n| 2020 | 3 |\n",
        ];
        for t in refused {
            let t = t.replace("\\u{a0}", "\u{a0}");
            let hits = small_counts(&t, 5, Some(73), Some(317), &[]);
            assert_eq!(hits.len(), 1, "{t}: {hits:?}");
            assert!(t.get(hits[0].range.clone()).is_some());
        }
        let public = [
            "本村返贫 0 户。",
            "引进企业3家，防止返贫。",
            "In 2020, no household fell back; 12 households were helped.",
            "| 类别 | 户数 |\n|---|---|\n| 道路 | 2 |\n",
            "| 年度 | 返贫户数 |\n|---|---|\n| 2020 | 0 |\n",
            "返贫率为100‰",
            "Road 2 completed in 3 days.",
        ];
        for t in public {
            assert!(
                small_counts(t, 5, Some(73), Some(317), &[]).is_empty(),
                "{t}"
            );
        }
    }

    #[test]
    fn a_household_with_its_income_or_risk_is_found() {
        for t in [
            "张某某户人均纯收入4800元，已纳入监测。",
            "王XX家存在因病致贫风险",
            "某某户年收入3200元",
            "X某某家因残返贫",
        ] {
            assert_eq!(household_sentences(t).len(), 1, "{t}");
        }
        for t in [
            "全村人均纯收入4800元。",
            "某某村道路硬化。",
            "张某某负责村组道路施工。",
            "XX村存在返贫风险的农户已全部落实帮扶。",
        ] {
            assert!(household_sentences(t).is_empty(), "{t}");
        }
    }
    /// One household (each way a clerk writes it) with its category, its
    /// support, its family or a field label, in one sentence, also over a
    /// soft line break (section J of the review).
    #[test]
    fn a_household_with_its_status_in_one_sentence_is_found() {
        // Households written as one (户/家) and as a bare name.
        let households = [
            "张某某户",
            "王XX家",
            "某某户",
            "X某某家",
            "李某户",
            "赵ＸＸ户",
        ];
        let names = ["张某某", "王XX", "李某"];
        // `{}` is the household. `true`: found beside a bare name too.
        let clauses: &[(&str, bool)] = &[
            ("{}是边缘户", true),
            ("{}是低保户", true),
            ("{}为五保户", true),
            ("{}享受低保", true),
            ("{}系建档立卡贫困户", true),
            ("{}是脱贫不稳定户", true),
            ("{}被列为突发严重困难户", true),
            ("{}是特困供养对象", true),
            ("{}有因病返贫风险", true),
            ("{}人均纯收入4800元", true),
            ("户主：{}；致贫原因：因病", true),
            ("监测对象: {}", true),
            ("对{}开展帮扶", false),
            ("{}家中有重病患者", false),
            ("{}子女在外务工", false),
            ("{}危房改造补助已发放", false),
            ("{}已\"评\"，待\"补\"", false),
            ("{}申请一卡通补贴", false),
        ];
        // Where the sentence is cut: on one line, over a soft break.
        let breaks = ["", "\n", "\r\n"];
        let mut cases = 0;
        for (clause, bare_too) in clauses {
            let who = households
                .iter()
                .chain(if *bare_too { &names[..] } else { &[] });
            for h in who {
                for br in breaks {
                    // The break goes right after the household.
                    let at = clause.find("{}").unwrap_or(0);
                    let (before, after) = clause.split_at(at + 2);
                    let before = before.replace("{}", h);
                    let after = if after.starts_with(['；', '，', '：', ':'])
                        || before.ends_with(['：', ':', ' '])
                    {
                        after.to_string()
                    } else {
                        format!("{br}{after}")
                    };
                    let text = format!("前言。\n{before}{after}。\n后记。");
                    let hits = household_sentences(&text);
                    assert_eq!(hits.len(), 1, "{text:?}: {hits:?}");
                    let first = h.chars().next().unwrap_or(' ');
                    assert!(
                        text[hits[0].range.clone()].starts_with(first),
                        "{text:?}: {hits:?}"
                    );
                    cases += 1;
                }
            }
        }
        assert_eq!(cases, (12 * 9 + 6 * 6) * 3);
    }

    /// The same sentences written in traditional characters.
    #[test]
    fn a_household_sentence_in_traditional_characters_is_found() {
        for text in [
            "張某某戶是邊緣戶。",
            "張某某戶享受低保。",
            "王XX家係建檔立卡貧困戶。",
            "對張某某戶開展幫扶。",
            "張某某戶家中有重病患者。",
            "李某戶被列為突發嚴重困難戶。",
        ] {
            let text = format!("前言。\n{text}\n後記。");
            assert_eq!(household_sentences(&text).len(), 1, "{text:?}");
        }
        assert!(household_sentences("全村脫貧戶120戶。").is_empty());
    }

    #[test]
    fn aggregate_prose_about_households_stays_clean() {
        for t in [
            "全村脱贫户120户。",
            "监测户3户已消除风险。",
            "全乡低保户45户，五保户12户，特困供养对象8人。",
            "对全村监测对象开展帮扶，每户落实1名帮扶责任人。",
            "张某某负责村组道路施工。",
            "张某某负责帮扶工作，家中有事请联系村委会。",
            "某某村道路硬化。\n全村享受低保45户。",
            "XX村存在返贫风险的农户已全部落实帮扶。",
            "2020年XX月，对低保户开展走访。",
            "张某某负责村务。\n\n全村低保户45户。",
            "张某某：村主任\n- 全村低保户45户。",
            "# 张某某户\n\n全乡落实帮扶。",
            "| 张某某 | 村主任 |\n全村低保户45户。",
            "某些农户家中有重病患者，已落实医疗救助。",
        ] {
            assert!(
                household_sentences(t).is_empty(),
                "{t}: {:?}",
                household_sentences(t)
            );
        }
    }
}
