//! When a milestone is due: a day, a 旬 (ten-day period), the start, middle
//! or end of a month, a whole month, or a span of months (optionally every
//! month of it), each optionally written "by" (`前`, `以前`, `之前`).
//!
//! The grammar, after spaces are dropped and full-width digits read as digits:
//!
//! ```text
//! due     = [year] when ["以前" | "之前" | "前"]
//! year    = YYYY "年" | YYYY "-"            (without it, the milestone's `year`)
//! when    = M "月" [part]                    (M "" after "YYYY-")
//!         | M ["月"] sep M "月" ["每月"]       (a span; sep = 至 到 — – - ~ ～)
//!         | YYYY "-" MM "-" DD
//! part    = "上旬" | "中旬" | "下旬" | "初" | "中" | "底" | "末" | D ("日" | "号")
//! ```
//!
//! `前` means "by the end of": `4月中旬前` is due 4/20, `4月底前` 4/30,
//! `4月15日前` 4/15. A bare month with `前` (`6月前`) is refused: clerks
//! mean both "by the end of June" and "before June begins".

use chrono::{Datelike, NaiveDate};

/// A third of a month: 上旬 days 1–10, 中旬 11–20, 下旬 21 to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Xun {
    Early,
    Middle,
    Late,
}

impl Xun {
    pub const ALL: [Xun; 3] = [Xun::Early, Xun::Middle, Xun::Late];

    pub fn name_zh(self) -> &'static str {
        match self {
            Xun::Early => "上旬",
            Xun::Middle => "中旬",
            Xun::Late => "下旬",
        }
    }

    /// 月初, 月中, 月底: the same days, the other way plans write them.
    pub fn part_zh(self) -> &'static str {
        match self {
            Xun::Early => "初",
            Xun::Middle => "中",
            Xun::Late => "底",
        }
    }

    /// The 旬 a day of the month falls in.
    pub fn of_day(day: u32) -> Xun {
        match day {
            1..=10 => Xun::Early,
            11..=20 => Xun::Middle,
            _ => Xun::Late,
        }
    }

    fn first_day(self) -> u32 {
        match self {
            Xun::Early => 1,
            Xun::Middle => 11,
            Xun::Late => 21,
        }
    }
}

/// The period a milestone names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Day(NaiveDate),
    Xun {
        year: i32,
        month: u32,
        xun: Xun,
    },
    /// 月初, 月中, 月底: the days of 上旬, 中旬, 下旬.
    Part {
        year: i32,
        month: u32,
        part: Xun,
    },
    Month {
        year: i32,
        month: u32,
    },
    /// `7月至12月`: months `from` to `to` of one year; `monthly` when a step
    /// recurs every month of it (`7月至12月 每月`).
    Months {
        year: i32,
        from: u32,
        to: u32,
        monthly: bool,
    },
}

/// A due date as plans write it: a period, and whether it was written "by"
/// (`前`): the deadline is the period's last day either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Due {
    pub period: Period,
    pub by: bool,
}

/// Why a due date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueError {
    /// Not one of the accepted forms.
    Unreadable,
    /// A form without a year, and no `year` to take it from.
    NoYear,
    /// `6月前`: by the end of June, or before June begins?
    MonthBy { month: u32 },
}

/// Separators of a span of months.
const SPAN_SEPS: [char; 8] = ['至', '到', '—', '–', '-', '~', '～', '－'];

impl Due {
    pub fn day(d: NaiveDate) -> Due {
        Due {
            period: Period::Day(d),
            by: false,
        }
    }

    /// Reads a due date that carries its year (see the module's grammar).
    pub fn parse(text: &str) -> Option<Due> {
        Due::parse_in(text, None).ok()
    }

    /// Reads a due date; forms without a year take `year`.
    pub fn parse_in(text: &str, year: Option<i32>) -> Result<Due, DueError> {
        use DueError::*;
        let t: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                _ => c,
            })
            .collect();
        let (t, by) = ["以前", "之前", "前"]
            .iter()
            .find_map(|s| t.strip_suffix(s).map(|r| (r.to_string(), true)))
            .unwrap_or((t.clone(), false));
        if let Ok(d) = NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
            return Ok(Due {
                period: Period::Day(d),
                by,
            });
        }
        let (t, monthly) = match t.strip_suffix("每月") {
            Some(r) => (r, true),
            None => (t.as_str(), false),
        };
        let (written_year, rest, dash) = split_year(t);
        let (month, rest) = take_number(rest).ok_or(Unreadable)?;
        let (has_yue, rest) = match rest.strip_prefix('月') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let span_to = rest
            .strip_prefix(SPAN_SEPS)
            .map(|r| {
                let (to, r) = take_number(r)?;
                (r == "月").then_some(to)
            })
            .map(|to| to.ok_or(Unreadable))
            .transpose()?;
        if !has_yue && !dash && span_to.is_none() {
            return Err(Unreadable);
        }
        let Some(year) = written_year.or(year) else {
            // Say "no year" only of a form that would be read with one.
            return match Due::parse_in(text, Some(2000)) {
                Ok(_) => Err(NoYear),
                Err(e) => Err(e),
            };
        };
        if !(1949..=2100).contains(&year) || !(1..=12).contains(&month) {
            return Err(Unreadable);
        }
        let period = if let Some(to) = span_to {
            if by || to <= month || to > 12 {
                return Err(Unreadable);
            }
            Period::Months {
                year,
                from: month,
                to,
                monthly,
            }
        } else {
            if monthly {
                return Err(Unreadable);
            }
            match rest {
                "" if by => return Err(MonthBy { month }),
                "" => Period::Month { year, month },
                "上旬" => Period::Xun {
                    year,
                    month,
                    xun: Xun::Early,
                },
                "中旬" => Period::Xun {
                    year,
                    month,
                    xun: Xun::Middle,
                },
                "下旬" => Period::Xun {
                    year,
                    month,
                    xun: Xun::Late,
                },
                "初" => Period::Part {
                    year,
                    month,
                    part: Xun::Early,
                },
                "中" => Period::Part {
                    year,
                    month,
                    part: Xun::Middle,
                },
                "底" | "末" => Period::Part {
                    year,
                    month,
                    part: Xun::Late,
                },
                _ => {
                    let (day, unit) = take_number(rest).ok_or(Unreadable)?;
                    if !matches!(unit, "日" | "号") {
                        return Err(Unreadable);
                    }
                    Period::Day(NaiveDate::from_ymd_opt(year, month, day).ok_or(Unreadable)?)
                }
            }
        };
        Ok(Due { period, by })
    }

    /// The first day the milestone covers.
    pub fn start(self) -> NaiveDate {
        match self.period {
            Period::Day(d) => d,
            Period::Xun { year, month, xun }
            | Period::Part {
                year,
                month,
                part: xun,
            } => ymd(year, month, xun.first_day()),
            Period::Month { year, month } => ymd(year, month, 1),
            Period::Months { year, from, .. } => ymd(year, from, 1),
        }
    }

    /// The last day the milestone may be met: the deadline (of the last
    /// month, for a monthly step).
    pub fn end(self) -> NaiveDate {
        match self.period {
            Period::Day(d) => d,
            Period::Xun { year, month, xun }
            | Period::Part {
                year,
                month,
                part: xun,
            } => match xun {
                Xun::Early => ymd(year, month, 10),
                Xun::Middle => ymd(year, month, 20),
                Xun::Late => last_day(year, month),
            },
            Period::Month { year, month } => last_day(year, month),
            Period::Months { year, to, .. } => last_day(year, to),
        }
    }

    /// The first deadline: the end of the first month for a monthly step,
    /// else [`Due::end`]. Milestones of a plan are in order of it.
    pub fn first_deadline(self) -> NaiveDate {
        match self.period {
            Period::Months {
                year,
                from,
                monthly: true,
                ..
            } => last_day(year, from),
            _ => self.end(),
        }
    }

    pub fn year(self) -> i32 {
        self.start().year()
    }

    /// How Chinese plans print it: `3月中旬`, `4月中旬前`, `6月底`, `6月`,
    /// `3月15日`, `7月至12月每月`.
    pub fn display_zh(self) -> String {
        let mut s = match self.period {
            Period::Day(d) => format!("{}月{}日", d.month(), d.day()),
            Period::Xun { month, xun, .. } => format!("{month}月{}", xun.name_zh()),
            Period::Part { month, part, .. } => format!("{month}月{}", part.part_zh()),
            Period::Month { month, .. } => format!("{month}月"),
            Period::Months {
                from, to, monthly, ..
            } => format!("{from}月至{to}月{}", if monthly { "每月" } else { "" }),
        };
        if self.by {
            s.push('前');
        }
        s
    }

    /// The part of the month a timeline shows beside the step: `15日`,
    /// `中旬前`, `月底`, `月内`, `7月至12月每月`.
    pub fn part_zh(self) -> String {
        let mut s = match self.period {
            Period::Day(d) => format!("{}日", d.day()),
            Period::Xun { xun, .. } => xun.name_zh().to_string(),
            Period::Part { part, .. } => format!("月{}", part.part_zh()),
            Period::Month { .. } => "月内".to_string(),
            Period::Months { .. } => return self.display_zh(),
        };
        if self.by {
            s.push('前');
        }
        s
    }
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

fn last_day(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MIN)
}

/// `2020年…` or `2020-…` at the start: the year, the rest, and whether `-` was used.
fn split_year(t: &str) -> (Option<i32>, &str, bool) {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 4 {
        let (y, rest) = t.split_at(4);
        if let Some(r) = rest.strip_prefix('年') {
            return (y.parse().ok(), r, false);
        }
        if let Some(r) = rest.strip_prefix(['-', '－']) {
            return (y.parse().ok(), r, true);
        }
    }
    (None, t, false)
}

/// One or two leading digits as a number, and the rest.
fn take_number(t: &str) -> Option<(u32, &str)> {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let (n, rest) = t.split_at(digits);
    Some((n.parse().ok()?, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn mid_april_by_is_due_on_the_twentieth() {
        for text in [
            "2020年4月中旬前",
            "4月中旬前",
            "2020年4月中旬以前",
            "4月中旬之前",
        ] {
            let due = Due::parse_in(text, Some(2020)).unwrap();
            assert_eq!(due.end(), d(2020, 4, 20), "{text}");
            assert_eq!(due.start(), d(2020, 4, 11), "{text}");
        }
        assert_eq!(
            Due::parse("2020年4月中旬前").unwrap().display_zh(),
            "4月中旬前"
        );
        assert_eq!(Due::parse("2020年4月底前").unwrap().end(), d(2020, 4, 30));
    }

    /// Every month of a leap and a common year, in every accepted form,
    /// with and without the year, with spaces and full-width digits.
    #[test]
    fn every_form_of_every_month_reads_to_its_days() {
        for year in [2020, 2021] {
            for m in 1..=12u32 {
                let last = last_day(year, m);
                let mut forms: Vec<(String, NaiveDate, NaiveDate, String)> = vec![
                    (format!("{m}月"), d(year, m, 1), last, format!("{m}月")),
                    (format!("{m:02}"), d(year, m, 1), last, format!("{m}月")),
                    (
                        format!("{m}月15日"),
                        d(year, m, 15),
                        d(year, m, 15),
                        format!("{m}月15日"),
                    ),
                    (
                        format!("{m}月1号"),
                        d(year, m, 1),
                        d(year, m, 1),
                        format!("{m}月1日"),
                    ),
                    (
                        format!("{m}月15日前"),
                        d(year, m, 15),
                        d(year, m, 15),
                        format!("{m}月15日前"),
                    ),
                ];
                for x in Xun::ALL {
                    let (s, e) = match x {
                        Xun::Early => (d(year, m, 1), d(year, m, 10)),
                        Xun::Middle => (d(year, m, 11), d(year, m, 20)),
                        Xun::Late => (d(year, m, 21), last),
                    };
                    let xun = x.name_zh();
                    let part = x.part_zh();
                    forms.push((format!("{m}月{xun}"), s, e, format!("{m}月{xun}")));
                    forms.push((format!("{m:02}{xun}"), s, e, format!("{m}月{xun}")));
                    forms.push((format!("{m}月{part}"), s, e, format!("{m}月{part}")));
                    for by in ["前", "以前", "之前"] {
                        forms.push((format!("{m}月{xun}{by}"), s, e, format!("{m}月{xun}前")));
                        forms.push((format!("{m}月{part}{by}"), s, e, format!("{m}月{part}前")));
                    }
                }
                forms.push((format!("{m}月末"), d(year, m, 21), last, format!("{m}月底")));
                for (written, start, end, shown) in forms {
                    let dash =
                        written.chars().next().unwrap().is_ascii_digit() && !written.contains('月');
                    let mut texts = vec![format!("{year}-{written}"), format!("{year}- {written}")];
                    if !dash {
                        texts.push(format!("{year}年{written}"));
                        texts.push(format!(" {year} 年 {written} "));
                        texts.push(
                            format!("{year}年{written}")
                                .chars()
                                .map(|c| match c {
                                    '0'..='9' => {
                                        char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap()
                                    }
                                    _ => c,
                                })
                                .collect(),
                        );
                    }
                    for text in &texts {
                        let due = Due::parse(text).unwrap_or_else(|| panic!("{text}"));
                        assert_eq!((due.start(), due.end()), (start, end), "{text}");
                        assert_eq!(due.display_zh(), shown, "{text}");
                        assert_eq!(due.year(), year);
                    }
                    if !dash {
                        let due = Due::parse_in(&written, Some(year)).unwrap();
                        assert_eq!((due.start(), due.end()), (start, end), "{written}");
                        assert_eq!(Due::parse_in(&written, None), Err(DueError::NoYear));
                    }
                }
                let iso = format!("{year}-{m:02}-15");
                assert_eq!(Due::parse(&iso).unwrap().end(), d(year, m, 15));
                assert_eq!(
                    Due::parse(&format!("{iso}前")).unwrap().end(),
                    d(year, m, 15)
                );
                assert_eq!(
                    Due::parse_in(&format!("{m}月前"), Some(year)),
                    Err(DueError::MonthBy { month: m })
                );
            }
        }
    }

    #[test]
    fn spans_of_months_recur_monthly_inside_the_year() {
        for from in 1..12u32 {
            for to in from + 1..=12 {
                for sep in SPAN_SEPS {
                    for (text, monthly) in [
                        (format!("{from}月{sep}{to}月 每月"), true),
                        (format!("{from}{sep}{to}月每月"), true),
                        (format!("2020年{from}月{sep}{to}月"), false),
                    ] {
                        let due = Due::parse_in(&text, Some(2020)).unwrap();
                        assert_eq!(
                            due.period,
                            Period::Months {
                                year: 2020,
                                from,
                                to,
                                monthly
                            },
                            "{text}"
                        );
                        assert_eq!(due.start(), d(2020, from, 1));
                        assert_eq!(due.end(), last_day(2020, to));
                        let first = if monthly {
                            last_day(2020, from)
                        } else {
                            last_day(2020, to)
                        };
                        assert_eq!(due.first_deadline(), first);
                    }
                }
                assert!(Due::parse_in(&format!("{to}月至{from}月每月"), Some(2020)).is_err());
            }
        }
        assert_eq!(
            Due::parse("2020年7月至12月 每月").unwrap().display_zh(),
            "7月至12月每月"
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for text in [
            "4月随便写",
            "三月中旬",
            "2020年13月上旬",
            "2020年2月30日",
            "4月中中旬",
            "每月",
            "4月每月",
            "2020年",
            "",
            "前",
            "12月至7月",
            "7月至12月前",
            "2020年4月中旬后",
            "4月上旬-下旬",
            "123月",
        ] {
            assert!(Due::parse_in(text, Some(2020)).is_err(), "{text}");
            assert_ne!(Due::parse_in(text, None), Err(DueError::NoYear), "{text}");
        }
    }

    proptest::proptest! {
        /// Any text at all: read or refused, never a panic; when read, the
        /// period lies in one year and starts no later than it ends.
        #[test]
        fn never_panics(text in "\\PC{0,12}", year in 1949i32..=2100) {
            if let Ok(due) = Due::parse_in(&text, Some(year)) {
                proptest::prop_assert!(due.start() <= due.end());
                proptest::prop_assert!(due.first_deadline() <= due.end());
                proptest::prop_assert_eq!(due.start().year(), due.end().year());
            }
        }

        /// A month followed by anything that is not a known part is refused.
        #[test]
        fn unknown_tails_are_refused(m in 1u32..=12, tail in "[a-z随便写后左右]{1,4}") {
            let text = format!("2020年{m}月{tail}");
            proptest::prop_assert!(Due::parse(&text).is_none());
        }
    }
}
