//! Rule group 4: `policy.share`. A programme's declared policy shares hold:
//! part = ratio × whole (e.g. central+provincial = 2/3 of fiscal awards), exactly,
//! or within the tolerance the programme declares (`tolerance`, in 万元).
//!
//! The comparison never divides: `|part × d − whole × n| ≤ tolerance × d` for a
//! ratio `n/d`, so 2/3 of 253 is compared without a rounded 168.67 in between.

use rust_decimal::Decimal;

use super::{Checker, num};
use crate::diag::Diagnostic;
use crate::messages::{Fig, Msg};
use crate::model::{Programme, Share};
use crate::rule::RuleId;

pub fn check(c: &mut Checker) {
    let p = c.portal;
    for g in &p.programmes {
        for s in &g.shares {
            share(c, g, s);
        }
    }
}

fn share(c: &mut Checker, g: &Programme, s: &Share) {
    let Some(f) = &g.funds else { return };
    // The whole is the fiscal awards (the only `of` the loader accepts).
    let Some(whole) = &f.fiscal else { return };
    let Some((_, part)) = f.fiscal_levels.iter().find(|(l, _)| *l == s.part.value) else {
        return;
    };
    c.ran(RuleId::PolicyShare);
    let (n, d) = (s.numerator, s.denominator);
    let (Some(lhs), Some(rhs)) = (part.value.checked_mul(d), whole.value.checked_mul(n)) else {
        return;
    };
    let Some(deviation) = num::diff(lhs, rhs) else {
        return;
    };
    let allowed = match &s.tolerance {
        Some(t) => match t.value.checked_mul(d) {
            Some(x) => x,
            None => return,
        },
        None => Decimal::ZERO,
    };
    if deviation <= allowed {
        return;
    }
    // Shown values only: two more decimals than the part is written with.
    let dp = part.value.scale() + 2;
    let Some(exact) = rhs.checked_div(d) else {
        return;
    };
    let Some(diff) = num::diff(part.value, exact) else {
        return;
    };
    let expected = num::shown(exact, dp);
    let tolerance = s.tolerance.as_ref().map(|t| t.value.to_string());
    let msg = c.t(Msg::Share {
        part: Fig::Level(s.part.value),
        found: &part.value.to_string(),
        ratio: &s.ratio_text.value,
        whole: &whole.value.to_string(),
        expected: &expected,
        diff: &num::shown(diff, dp),
        tolerance: tolerance.as_deref(),
    });
    let mut d = Diagnostic::error(RuleId::PolicyShare, msg)
        .at(
            part.span.clone(),
            c.fig(Fig::Level(s.part.value), part.value),
        )
        .at(whole.span.clone(), c.fig(Fig::Fiscal, whole.value))
        .at(
            s.ratio_text.span.clone(),
            c.fig(Fig::Ratio, &s.ratio_text.value),
        );
    if let Some(t) = &s.tolerance {
        d = d.at(t.span.clone(), c.fig(Fig::Tolerance, t.value));
    }
    let expected = match &tolerance {
        Some(t) => format!("{expected} ± {t}"),
        None => expected,
    };
    let d = d
        .field(format!(
            "programme[{}].funds.fiscal_levels.{}",
            g.id.value,
            s.part.value.key()
        ))
        .expected_found(expected, part.value.to_string())
        .hint(c.t(Msg::ShareHint));
    c.report(d);
}
