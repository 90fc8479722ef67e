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

/// Decimals a computed percentage shows: one, so that 285 of 402 reads
/// 70.9 %, not a floored 70 %.
pub const PERCENT_DECIMALS: u32 = 1;

/// `part` of `whole` as a percentage, rounded half-up (70.85 → 70.9) to
/// `decimals` and printed with exactly that many: `70.9`, `100.0`. Exact:
/// the division is done in `Decimal`, never in floating point. `None` when
/// the whole is zero.
pub fn share_of(part: Decimal, whole: Decimal, decimals: u32) -> Option<String> {
    if whole.is_zero() {
        return None;
    }
    let p = (part * Decimal::from(100) / whole).round_dp_with_strategy(
        decimals,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    let mut s = p.to_string();
    let have = s.split_once('.').map_or(0, |(_, f)| f.len()) as u32;
    if have == 0 && decimals > 0 {
        s.push('.');
    }
    for _ in have..decimals {
        s.push('0');
    }
    Some(s)
}

/// [`share_of`] for counts, with [`PERCENT_DECIMALS`].
pub fn count_share(part: u64, whole: u64) -> Option<String> {
    share_of(Decimal::from(part), Decimal::from(whole), PERCENT_DECIMALS)
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

    #[test]
    fn shares_round_half_up_to_one_decimal() {
        assert_eq!(count_share(285, 402).as_deref(), Some("70.9"));
        assert_eq!(count_share(402, 402).as_deref(), Some("100.0"));
        assert_eq!(count_share(0, 402).as_deref(), Some("0.0"));
        assert_eq!(count_share(1, 0), None);
        // 70.85 and 0.05 are midpoints: half-up, not to even.
        assert_eq!(share_of(d("70.85"), d("100"), 1).as_deref(), Some("70.9"));
        assert_eq!(share_of(d("0.25"), d("100"), 1).as_deref(), Some("0.3"));
        assert_eq!(share_of(d("1"), d("3"), 2).as_deref(), Some("33.33"));
        assert_eq!(share_of(d("2"), d("3"), 0).as_deref(), Some("67"));
    }

    proptest::proptest! {
        /// Every count share equals the exact fraction rounded half-up,
        /// checked with integers only: |10·share·whole − 1000·part| ≤ whole/2·… .
        #[test]
        fn count_shares_are_exact(whole in 1u64..100_000, frac in 0u64..=1000) {
            let part = whole * frac / 1000;
            let shown = count_share(part, whole).unwrap();
            let tenths: u128 = shown.replace('.', "").parse().unwrap();
            // tenths is the nearest integer to 1000·part/whole, midpoints up.
            let num = 1000 * part as u128;
            let w = whole as u128;
            proptest::prop_assert!(2 * num + w >= 2 * tenths * w, "{part}/{whole} shown {shown}");
            proptest::prop_assert!(2 * num + w < 2 * (tenths + 1) * w, "{part}/{whole} shown {shown}");
        }
    }
}
