//! Numbers and dates the way Chinese plans print them. Money stays a
//! `Decimal` until it becomes text here: no floating point anywhere.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// 万元 with at least two decimals and thousands separators: `1,011.00`.
/// Extra written decimals are kept (`0.125` stays `0.125`): nothing is rounded away.
pub fn wan(d: Decimal) -> String {
    let n = d.normalize();
    let scale = n.scale().max(2);
    let mut s = n.round_dp(scale).to_string();
    if !s.contains('.') {
        s.push('.');
    }
    let decimals = s.split_once('.').map_or(0, |(_, f)| f.len()) as u32;
    for _ in decimals..scale {
        s.push('0');
    }
    group_thousands(&s)
}

/// A plain decimal figure (km, m², 亩) without trailing zeros, with separators.
pub fn number(d: Decimal) -> String {
    group_thousands(&d.normalize().to_string())
}

/// A whole count with thousands separators: `39,979`.
pub fn count(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// A percentage: `0.94%`.
pub fn percent(d: Decimal) -> String {
    format!("{}%", d.normalize())
}

/// `2020年3月15日`.
pub fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn group_thousands(s: &str) -> String {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn money_prints_as_plans_print_it() {
        assert_eq!(wan(d("1011")), "1,011.00");
        assert_eq!(wan(d("899.04")), "899.04");
        assert_eq!(wan(d("0.3")), "0.30");
        assert_eq!(wan(d("899.040")), "899.04");
        assert_eq!(wan(d("0.125")), "0.125");
        assert_eq!(wan(d("1234567.5")), "1,234,567.50");
        assert_eq!(count(39979), "39,979");
        assert_eq!(count(317), "317");
        assert_eq!(number(d("94.50")), "94.5");
        assert_eq!(percent(d("0.940")), "0.94%");
    }
}
