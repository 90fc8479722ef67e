//! Numbers and dates the way Chinese plans print them. Money stays a
//! `Decimal` until it becomes text here: no floating point anywhere.
//!
//! A figure is printed straight from the decimal's integer and scale (what
//! `Decimal` stores) into a [`Printed`] on the stack: charts print thousands
//! of figures, and going through `normalize`, `to_string` and a second
//! string for the separators cost more than drawing the chart.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// A figure as printed, kept on the stack: write it with `{}` or read it as
/// a `&str`, without an allocation. Long enough for any `Decimal` (29 digits,
/// 9 separators, a sign, a point and two padded decimals) or `u64`.
#[derive(Clone, Copy)]
pub struct Printed {
    /// The text is `bytes[start..]`: it is written from its last digit back.
    bytes: [u8; 48],
    start: usize,
}

impl Printed {
    /// 万元 with at least two decimals and thousands separators: `1,011.00`.
    pub fn wan(d: Decimal) -> Printed {
        Printed::decimal(d, 2, true)
    }

    /// A plain decimal figure without trailing zeros, with separators: `94.5`.
    pub fn number(d: Decimal) -> Printed {
        Printed::decimal(d, 0, true)
    }

    /// A whole count with thousands separators: `39,979`.
    pub fn count(n: u64) -> Printed {
        Printed::scaled(false, u128::from(n), 0, 0, true)
    }

    /// Tenths as a figure with one decimal, or none when it is zero:
    /// `123` → `12.3`, `120` → `12`, `-75` → `-7.5`.
    pub fn tenths(t: i64) -> Printed {
        Printed::scaled(t < 0, u128::from(t.unsigned_abs()), 1, 0, false)
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[self.start..]).expect("a figure is ASCII")
    }

    /// `d` as `Decimal::normalize` and `to_string` print it (no `-` on a
    /// zero, no trailing zeros), padded to `min_decimals`.
    fn decimal(d: Decimal, min_decimals: u32, grouped: bool) -> Printed {
        let m = d.mantissa();
        Printed::scaled(m < 0, m.unsigned_abs(), d.scale(), min_decimals, grouped)
    }

    /// `magnitude / 10^scale`, signed when `negative` and not zero: its
    /// decimals less trailing zeros but at least `min_decimals` (padded with
    /// zeros), the whole part with thousands separators when `grouped`.
    /// Written in one pass from the last digit back.
    fn scaled(
        negative: bool,
        magnitude: u128,
        scale: u32,
        min_decimals: u32,
        grouped: bool,
    ) -> Printed {
        let mut out = Printed {
            bytes: [0; 48],
            start: 48,
        };
        let mut rest = magnitude;
        for _ in scale..min_decimals {
            out.push_front(b'0');
        }
        // The written decimals, less the trailing zeros `normalize` drops.
        let mut decimals = false;
        for place in (1..=scale).rev() {
            let digit = last_digit(&mut rest);
            if digit != 0 || decimals || place <= min_decimals {
                out.push_front(b'0' + digit);
                decimals = true;
            }
        }
        if decimals || min_decimals > 0 {
            out.push_front(b'.');
        }
        let mut whole_digits = 0;
        loop {
            if grouped && whole_digits > 0 && whole_digits % 3 == 0 {
                out.push_front(b',');
            }
            out.push_front(b'0' + last_digit(&mut rest));
            whole_digits += 1;
            if rest == 0 {
                break;
            }
        }
        if negative && magnitude != 0 {
            out.push_front(b'-');
        }
        out
    }

    fn push_front(&mut self, byte: u8) {
        self.start -= 1;
        self.bytes[self.start] = byte;
    }
}

/// Takes the last decimal digit off `n`. u128 division is a library call:
/// it is left for the rare mantissa beyond u64.
fn last_digit(n: &mut u128) -> u8 {
    match u64::try_from(*n) {
        Ok(small) => {
            *n = u128::from(small / 10);
            (small % 10) as u8
        }
        Err(_) => {
            let digit = (*n % 10) as u8;
            *n /= 10;
            digit
        }
    }
}

impl std::ops::Deref for Printed {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Printed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Printed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// 万元 with at least two decimals and thousands separators: `1,011.00`.
/// Extra written decimals are kept (`0.125` stays `0.125`): nothing is rounded away.
pub fn wan(d: Decimal) -> String {
    Printed::wan(d).as_str().to_owned()
}

/// A plain decimal figure (km, m², 亩) without trailing zeros, with separators.
pub fn number(d: Decimal) -> String {
    Printed::number(d).as_str().to_owned()
}

/// A whole count with thousands separators: `39,979`.
pub fn count(n: u64) -> String {
    Printed::count(n).as_str().to_owned()
}

/// A percentage: `0.94%`.
pub fn percent(d: Decimal) -> String {
    let mut s = Printed::decimal(d, 0, false).as_str().to_owned();
    s.push('%');
    s
}

/// Decimals a computed percentage shows: one, so that 285 of 402 reads
/// 70.9 %, not a floored 70 %.
pub const PERCENT_DECIMALS: u32 = 1;

/// `part` of `whole` as a percentage, rounded half-up (70.85 → 70.9) to
/// `decimals` and printed with exactly that many: `70.9`, `100.0`. Exact:
/// the division is done in `Decimal`, never in floating point. `None` when
/// the whole is zero.
pub fn share_of(part: Decimal, whole: Decimal, decimals: u32) -> Option<String> {
    let mut s = String::new();
    push_share_of(&mut s, part, whole, decimals).then_some(s)
}

/// [`share_of`] written onto `out`; `false`, and nothing written, when the
/// whole is zero.
pub fn push_share_of(out: &mut String, part: Decimal, whole: Decimal, decimals: u32) -> bool {
    if whole.is_zero() {
        return false;
    }
    match small_share(part, whole, decimals) {
        Some(units) => {
            out.push_str(&Printed::scaled(false, units, decimals, decimals, false));
        }
        None => push_decimal_share(out, part, whole, decimals),
    }
    true
}

/// The share in units of the last decimal shown (tenths of a per cent for
/// one decimal), rounded half-up in integers, when that is certainly what
/// [`push_decimal_share`] prints: both figures non-negative and small.
///
/// Why it is the same: `100·part/whole · 10^decimals` is `x / b` below. When
/// it is a midpoint, the `Decimal` quotient is exact (few digits) and both
/// round it up. Otherwise it is at least `1/(2b)` units from a midpoint,
/// while the `Decimal` quotient (96-bit mantissa, scale up to 28) is off by
/// less than `max(10^-28, q·1.3·10^-28)` — far less while `x` and `b·10^decimals`
/// stay below 10^20 — so both round to the same side.
fn small_share(part: Decimal, whole: Decimal, decimals: u32) -> Option<u128> {
    const LIMIT: u128 = 100_000_000_000_000_000_000; // 10^20
    if decimals > 4 {
        return None;
    }
    let p = u128::try_from(part.mantissa()).ok()?;
    let w = u128::try_from(whole.mantissa()).ok()?;
    // q·10^decimals = (p·100·10^(whole scale + decimals)) / (w·10^(part scale)).
    let x = p
        .checked_mul(100)?
        .checked_mul(10u128.checked_pow(whole.scale() + decimals)?)?;
    let b = w.checked_mul(10u128.checked_pow(part.scale())?)?;
    if w == 0 || x >= LIMIT || b.checked_mul(10u128.pow(decimals))? >= LIMIT {
        return None;
    }
    Some((2 * x + b) / (2 * b))
}

/// The share as `Decimal` computes it: for negative or very long figures.
fn push_decimal_share(out: &mut String, part: Decimal, whole: Decimal, decimals: u32) {
    let p = (part * Decimal::from(100) / whole).round_dp_with_strategy(
        decimals,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    let s = p.to_string();
    let have = s.split_once('.').map_or(0, |(_, f)| f.len()) as u32;
    out.push_str(&s);
    if have == 0 && decimals > 0 {
        out.push('.');
    }
    for _ in have..decimals {
        out.push('0');
    }
}

/// [`share_of`] for counts, with [`PERCENT_DECIMALS`].
pub fn count_share(part: u64, whole: u64) -> Option<String> {
    share_of(Decimal::from(part), Decimal::from(whole), PERCENT_DECIMALS)
}

/// `2020年3月15日`.
pub fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
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

    #[test]
    fn the_longest_figures_fit() {
        let widest = Decimal::from_i128_with_scale(-(1 << 96) + 1, 0);
        assert_eq!(wan(widest), "-79,228,162,514,264,337,593,543,950,335.00");
        let deepest = Decimal::from_i128_with_scale(-(1 << 96) + 1, 28);
        assert_eq!(wan(deepest), "-7.9228162514264337593543950335");
        assert_eq!(count(u64::MAX), "18,446,744,073,709,551,615");
        assert_eq!(Printed::tenths(i64::MIN).as_str(), "-922337203685477580.8");
    }

    #[test]
    fn short_shares_are_counted_in_integers() {
        assert_eq!(small_share(d("70.85"), d("100"), 1), Some(709));
        assert_eq!(small_share(d("659.00"), d("899.04"), 1), Some(733));
        assert_eq!(small_share(d("1"), d("3"), 2), Some(3333));
        assert_eq!(small_share(d("-1"), d("3"), 1), None);
        assert_eq!(small_share(d("1"), d("3"), 5), None);
    }

    /// The formatters as they were before [`Printed`]: the reference the
    /// property tests hold the new ones to, byte for byte.
    mod before {
        use rust_decimal::Decimal;

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

        pub fn number(d: Decimal) -> String {
            group_thousands(&d.normalize().to_string())
        }

        pub fn count(n: u64) -> String {
            group_thousands(&n.to_string())
        }

        pub fn percent(d: Decimal) -> String {
            format!("{}%", d.normalize())
        }

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
    }

    const MAX_MANTISSA: i128 = (1 << 96) - 1;

    /// Any `Decimal`: a mantissa of up to 96 bits (often short, often with
    /// trailing zeros, as written figures are), scale 0..=28, negative too,
    /// and negative zero.
    fn decimal() -> impl Strategy<Value = Decimal> {
        let mantissa = prop_oneof![
            -MAX_MANTISSA..=MAX_MANTISSA,
            -10_000_000i128..=10_000_000,
            (-100_000i128..=100_000, 0u32..=23).prop_map(|(m, k)| m * 10i128.pow(k)),
        ];
        (mantissa, 0u32..=28, any::<bool>()).prop_map(|(m, scale, negative_zero)| {
            let mut d = Decimal::from_i128_with_scale(m, scale);
            if m == 0 && negative_zero {
                d.set_sign_negative(true);
            }
            d
        })
    }

    /// A non-negative amount as funds are written: up to 10^12 with 0..=4
    /// decimals, often a short one (whose midpoints the integer path takes).
    fn amount() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            (0i128..=1_000_000, 0u32..=2),
            (0i128..=1_000_000_000_000, 0u32..=4)
        ]
        .prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s))
    }

    /// The share the old code prints, or `None` where it would panic
    /// (overflow), which the new code does too.
    fn share_before(part: Decimal, whole: Decimal, decimals: u32) -> Option<Option<String>> {
        if !whole.is_zero() {
            part.checked_mul(Decimal::from(100))?.checked_div(whole)?;
        }
        Some(before::share_of(part, whole, decimals))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn wan_number_and_percent_print_as_before(d in decimal()) {
            prop_assert_eq!(wan(d), before::wan(d));
            prop_assert_eq!(number(d), before::number(d));
            prop_assert_eq!(percent(d), before::percent(d));
        }

        #[test]
        fn counts_print_as_before(n in any::<u64>()) {
            prop_assert_eq!(count(n), before::count(n));
        }

        #[test]
        fn any_share_prints_as_before(part in decimal(), whole in decimal(), decimals in 0u32..=6) {
            let Some(shown) = share_before(part, whole, decimals) else {
                return Ok(());
            };
            prop_assert_eq!(share_of(part, whole, decimals), shown);
        }

        #[test]
        fn shares_of_amounts_print_as_before(part in amount(), whole in amount(), decimals in 0u32..=4) {
            prop_assert_eq!(share_of(part, whole, decimals), before::share_of(part, whole, decimals));
        }

        /// Parts whose share is exactly a midpoint (…5 one decimal past the
        /// last shown), where rounding half-up must agree.
        #[test]
        fn midpoint_shares_print_as_before(whole in amount(), n in 0i128..1_000, decimals in 0u32..=4) {
            let Some(part) = whole.checked_mul(Decimal::from_i128_with_scale((2 * n + 1) * 5, decimals + 3)) else {
                return Ok(());
            };
            prop_assert_eq!(share_of(part, whole, decimals), before::share_of(part, whole, decimals));
        }

        #[test]
        fn count_shares_print_as_before(
            whole in prop_oneof![1u64..1_000_000, any::<u64>()],
            part in any::<u64>(),
        ) {
            let part = part % whole.saturating_add(1);
            let before = before::share_of(Decimal::from(part), Decimal::from(whole), PERCENT_DECIMALS);
            prop_assert_eq!(count_share(part, whole), before);
        }
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
