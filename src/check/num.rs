//! Exact decimal helpers shared by the figure rules. Every comparison is done
//! on `rust_decimal` values as written; nothing goes through floating point.
//! Arithmetic is checked: a figure so large that a sum overflows makes the rule
//! stay silent for that record instead of panicking.

use rust_decimal::{Decimal, RoundingStrategy};

/// The sum of `values`, or `None` on overflow.
pub fn sum(values: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

/// The sum of whole counts, widened so that it cannot overflow in practice.
pub fn count_sum(values: impl IntoIterator<Item = u64>) -> u128 {
    values.into_iter().map(u128::from).sum()
}

/// `|a − b|`, or `None` on overflow.
pub fn diff(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_sub(b).map(|d| d.abs())
}

/// Rounds half away from zero (四舍五入) to `dp` decimals.
pub fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// `d` shown with `dp` decimals: as is when that is exact, otherwise rounded
/// and marked with `≈` so nobody mistakes it for an exact figure.
pub fn shown(d: Decimal, dp: u32) -> String {
    let dp_usize = dp as usize;
    let r = round(d, dp);
    if r == d {
        format!("{r:.dp_usize$}")
    } else {
        format!("≈{r:.dp_usize$}")
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn sums_keep_the_scale_of_their_parts() {
        let s = sum([d("659.00"), d("219.98"), d("20.06")]).unwrap();
        assert_eq!(s.to_string(), "899.04");
        assert_eq!(sum([d("758"), d("253")]).unwrap().to_string(), "1011");
    }

    #[test]
    fn overflow_is_none_not_a_panic() {
        assert_eq!(sum([Decimal::MAX, Decimal::ONE]), None);
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round(d("0.935"), 2), d("0.94"));
        assert_eq!(round(d("0.9349"), 2), d("0.93"));
    }

    #[test]
    fn shown_marks_inexact_values() {
        let two_thirds = d("253") * d("2") / d("3");
        assert_eq!(shown(two_thirds, 2), "≈168.67");
        assert_eq!(shown(d("50"), 2), "50.00");
    }
}
