//! When a milestone is due: a day, a 旬 (ten-day period) or a whole month.

use chrono::{Datelike, NaiveDate};

/// A third of a month: 上旬 days 1–10, 中旬 11–20, 下旬 21 to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Xun {
    Early,
    Middle,
    Late,
}

impl Xun {
    pub fn name_zh(self) -> &'static str {
        match self {
            Xun::Early => "上旬",
            Xun::Middle => "中旬",
            Xun::Late => "下旬",
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
}

/// A due date as plans write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Due {
    Day(NaiveDate),
    Xun { year: i32, month: u32, xun: Xun },
    Month { year: i32, month: u32 },
}

impl Due {
    /// Reads `2020年3月中旬`, `2020-03 中旬`, `2020-03中旬`, `2020年6月`, `2020-06` or `2020-03-15`.
    pub fn parse(text: &str) -> Option<Due> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if let Ok(d) = NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
            return Some(Due::Day(d));
        }
        let (rest, xun) = if let Some(r) = t.strip_suffix("上旬") {
            (r, Some(Xun::Early))
        } else if let Some(r) = t.strip_suffix("中旬") {
            (r, Some(Xun::Middle))
        } else if let Some(r) = t.strip_suffix("下旬") {
            (r, Some(Xun::Late))
        } else {
            (t.as_str(), None)
        };
        let (year, month) = parse_year_month(rest)?;
        if xun.is_none() {
            if let Some(day) = parse_chinese_day(rest) {
                return NaiveDate::from_ymd_opt(year, month, day).map(Due::Day);
            }
        }
        NaiveDate::from_ymd_opt(year, month, 1)?;
        Some(match xun {
            Some(xun) => Due::Xun { year, month, xun },
            None => Due::Month { year, month },
        })
    }

    /// The first day the milestone covers.
    pub fn start(self) -> NaiveDate {
        match self {
            Due::Day(d) => d,
            Due::Xun { year, month, xun } => {
                let day = match xun {
                    Xun::Early => 1,
                    Xun::Middle => 11,
                    Xun::Late => 21,
                };
                NaiveDate::from_ymd_opt(year, month, day).expect("validated on parse")
            }
            Due::Month { year, month } => {
                NaiveDate::from_ymd_opt(year, month, 1).expect("validated on parse")
            }
        }
    }

    /// The last day the milestone may be met: the deadline.
    pub fn end(self) -> NaiveDate {
        match self {
            Due::Day(d) => d,
            Due::Xun { year, month, xun } => match xun {
                Xun::Early => NaiveDate::from_ymd_opt(year, month, 10).expect("valid"),
                Xun::Middle => NaiveDate::from_ymd_opt(year, month, 20).expect("valid"),
                Xun::Late => last_day(year, month),
            },
            Due::Month { year, month } => last_day(year, month),
        }
    }

    pub fn year(self) -> i32 {
        self.start().year()
    }

    /// How Chinese plans print it: `3月中旬`, `6月`, `3月15日`.
    pub fn display_zh(self) -> String {
        match self {
            Due::Day(d) => format!("{}月{}日", d.month(), d.day()),
            Due::Xun { month, xun, .. } => format!("{month}月{}", xun.name_zh()),
            Due::Month { month, .. } => format!("{month}月"),
        }
    }
}

fn last_day(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).expect("valid") - chrono::Days::new(1)
}

fn parse_year_month(s: &str) -> Option<(i32, u32)> {
    if let Some((y, rest)) = s.split_once('年') {
        let m = rest.split('月').next()?;
        return Some((y.parse().ok()?, m.parse().ok()?));
    }
    let (y, m) = s.split_once('-')?;
    Some((y.parse().ok()?, m.parse().ok()?))
}

fn parse_chinese_day(s: &str) -> Option<u32> {
    let (_, rest) = s.split_once('月')?;
    rest.strip_suffix('日').and_then(|d| d.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_ways_plans_write_due_dates() {
        let mid_march = Due::parse("2020年3月中旬").unwrap();
        assert_eq!(mid_march, Due::parse("2020-03 中旬").unwrap());
        assert_eq!(
            mid_march.end(),
            NaiveDate::from_ymd_opt(2020, 3, 20).unwrap()
        );
        assert_eq!(mid_march.display_zh(), "3月中旬");
        let late_feb = Due::parse("2020年2月下旬").unwrap();
        assert_eq!(
            late_feb.end(),
            NaiveDate::from_ymd_opt(2020, 2, 29).unwrap()
        );
        assert_eq!(
            Due::parse("2020年6月").unwrap().end().to_string(),
            "2020-06-30"
        );
        assert_eq!(Due::parse("2020年6月5日").unwrap().display_zh(), "6月5日");
        assert!(Due::parse("2020年13月上旬").is_none());
        assert!(Due::parse("三月中旬").is_none());
    }
}
