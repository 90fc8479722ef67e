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

/// Finds counts of households or people in a sensitive category that are
/// below `k` (and above zero), and percentages that give back such a count
/// of the area's `households` or `population`.
/// A figure attributed to a larger area in the same phrase ("栗木乡的返贫率",
/// "全乡返贫") is that area's, not the village's: `larger` names them.
pub fn small_counts(
    text: &str,
    k: u64,
    households: Option<u64>,
    population: Option<u64>,
    larger: &[&str],
) -> Vec<ProseHit> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut hits = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some((value, len)) = number_at(&chars, i) else {
            i += 1;
            continue;
        };
        let after = chars.get(i + len).map(|c| c.1);
        let start = chars[i].0;
        let end = chars
            .get(i + len + usize::from(after.is_some_and(is_unit_or_percent)))
            .map_or(text.len(), |c| c.0);
        let near = near_sensitive(&chars, i, i + len);
        if near && !attributed_to_larger_area(&chars, i, larger) {
            match after {
                Some('户' | '人' | '名' | '口')
                    if value > Decimal::ZERO && value < Decimal::from(k) =>
                {
                    hits.push(ProseHit {
                        range: start..end,
                        shown: text[start..end].to_string(),
                        is_percent: false,
                    });
                }
                Some('%' | '％') if reveals(value, k, households, population) => {
                    hits.push(ProseHit {
                        range: start..end,
                        shown: text[start..end].to_string(),
                        is_percent: true,
                    });
                }
                _ => {}
            }
        }
        i += len;
    }
    hits
}

fn is_unit_or_percent(c: char) -> bool {
    matches!(c, '户' | '人' | '名' | '口' | '%' | '％')
}

fn reveals(percent: Decimal, k: u64, households: Option<u64>, population: Option<u64>) -> bool {
    [households, population].into_iter().flatten().any(|base| {
        let n = percent * Decimal::from(base) / Decimal::from(100);
        n > Decimal::ZERO && n < Decimal::from(k)
    })
}

/// A number at `i`: Arabic digits (with a decimal point) or one of the small
/// Chinese numerals; returns its value and length in characters.
fn number_at(chars: &[(usize, char)], i: usize) -> Option<(Decimal, usize)> {
    let prev = i.checked_sub(1).map(|p| chars[p].1);
    if prev.is_some_and(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let c = chars[i].1;
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
    let before = before.rsplit(['。', '；', '，', '\n']).next().unwrap_or("");
    [
        "全乡", "全镇", "全县", "全市", "全省", "乡里", "镇里", "县里",
    ]
    .iter()
    .chain(larger)
    .any(|w| before.contains(w))
}

/// Whether a sensitive word stands within the window before or after the
/// number, in the same sentence.
fn near_sensitive(chars: &[(usize, char)], start: usize, end: usize) -> bool {
    let stop = |c: char| matches!(c, '。' | '；' | '！' | '？' | '\n' | ';');
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
    SENSITIVE
        .iter()
        .any(|w| before.contains(w) || after.contains(w))
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
    }
}
