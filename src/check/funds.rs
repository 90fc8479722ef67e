//! Rule group 1–2: a fund breakdown adds up. Applies to every project's
//! `[project.funds]` and every programme's `[programme.funds]`.
//!
//! - `funds.total`: total = villagers + fiscal + social (a missing social is 0);
//! - `funds.villagers`: villagers = cash + labour_value;
//! - `funds.fiscal-levels`: fiscal = the sum of `fiscal_levels`;
//! - `funds.labour-value`: labour_days × labour_rate ÷ 10000 = labour_value
//!   (rate in 元 per day, value in 万元), rounded to the value's written decimals.
//!
//! A rule fires only when every figure it needs is given.

use rust_decimal::Decimal;

use super::{Checker, num};
use crate::diag::Diagnostic;
use crate::messages::{Fig, Msg};
use crate::model::Funds;
use crate::rule::RuleId;

/// Yuan in one 万元.
const YUAN_PER_WAN: u32 = 10_000;

pub fn check(c: &mut Checker) {
    c.each_file_kept(|k| &mut k.funds, scoped);
}

/// Each breakdown of the scope's records: it reads nothing else.
fn scoped(c: &mut Checker) {
    let s = c.scope.records;
    for j in s.projects {
        funds(c, &j.funds, &format!("project[{}].funds", j.id.value));
    }
    for g in s.programmes {
        if let Some(f) = &g.funds {
            funds(c, f, &format!("programme[{}].funds", g.id.value));
        }
    }
}

fn funds(c: &mut Checker, f: &Funds, path: &str) {
    total(c, f, path);
    villagers(c, f, path);
    fiscal_levels(c, f, path);
    labour_value(c, f, path);
}

/// `funds.total`: total = villagers + fiscal + social.
fn total(c: &mut Checker, f: &Funds, path: &str) {
    let (Some(villagers), Some(fiscal)) = (&f.villagers, &f.fiscal) else {
        return;
    };
    c.ran(RuleId::FundsTotal);
    let social = f.social.as_ref().map_or(Decimal::ZERO, |s| s.value);
    let Some(sum) = num::sum([villagers.value, fiscal.value, social]) else {
        return;
    };
    if sum == f.total.value {
        return;
    }
    let Some(diff) = num::diff(f.total.value, sum) else {
        return;
    };
    let msg = c.t(Msg::FundsTotal {
        total: &f.total.value.to_string(),
        sum: &sum.to_string(),
        diff: &diff.to_string(),
    });
    let mut d = Diagnostic::error(RuleId::FundsTotal, msg)
        .at(f.total.span.clone(), c.fig(Fig::Total, f.total.value))
        .at(
            villagers.span.clone(),
            c.fig(Fig::Villagers, villagers.value),
        )
        .at(fiscal.span.clone(), c.fig(Fig::Fiscal, fiscal.value));
    if let Some(s) = &f.social {
        d = d.at(s.span.clone(), c.fig(Fig::Social, s.value));
    }
    let d = d
        .field(format!("{path}.total"))
        .expected_found(sum.to_string(), f.total.value.to_string())
        .hint(c.t(Msg::FundsTotalHint));
    c.report(d);
}

/// `funds.villagers`: villagers = cash + labour_value.
fn villagers(c: &mut Checker, f: &Funds, path: &str) {
    let (Some(villagers), Some(cash), Some(labour)) = (&f.villagers, &f.cash, &f.labour_value)
    else {
        return;
    };
    c.ran(RuleId::FundsVillagers);
    let Some(sum) = num::sum([cash.value, labour.value]) else {
        return;
    };
    if sum == villagers.value {
        return;
    }
    let Some(diff) = num::diff(villagers.value, sum) else {
        return;
    };
    let msg = c.t(Msg::FundsVillagers {
        villagers: &villagers.value.to_string(),
        sum: &sum.to_string(),
        diff: &diff.to_string(),
    });
    let d = Diagnostic::error(RuleId::FundsVillagers, msg)
        .at(
            villagers.span.clone(),
            c.fig(Fig::Villagers, villagers.value),
        )
        .at(cash.span.clone(), c.fig(Fig::Cash, cash.value))
        .at(labour.span.clone(), c.fig(Fig::LabourValue, labour.value))
        .field(format!("{path}.villagers"))
        .expected_found(sum.to_string(), villagers.value.to_string())
        .hint(c.t(Msg::FundsVillagersHint));
    c.report(d);
}

/// `funds.fiscal-levels`: fiscal = the sum of the levels.
fn fiscal_levels(c: &mut Checker, f: &Funds, path: &str) {
    let Some(fiscal) = &f.fiscal else {
        return;
    };
    if f.fiscal_levels.is_empty() {
        return;
    }
    c.ran(RuleId::FundsFiscalLevels);
    let Some(sum) = num::sum(f.fiscal_levels.iter().map(|(_, v)| v.value)) else {
        return;
    };
    if sum == fiscal.value {
        return;
    }
    let Some(diff) = num::diff(fiscal.value, sum) else {
        return;
    };
    let msg = c.t(Msg::FundsFiscalLevels {
        fiscal: &fiscal.value.to_string(),
        sum: &sum.to_string(),
        diff: &diff.to_string(),
    });
    let mut d = Diagnostic::error(RuleId::FundsFiscalLevels, msg)
        .at(fiscal.span.clone(), c.fig(Fig::Fiscal, fiscal.value));
    for (level, v) in &f.fiscal_levels {
        d = d.at(v.span.clone(), c.fig(Fig::Level(*level), v.value));
    }
    let d = d
        .field(format!("{path}.fiscal"))
        .expected_found(sum.to_string(), fiscal.value.to_string())
        .hint(c.t(Msg::FundsFiscalLevelsHint));
    c.report(d);
}

/// The labour value of `days` at `rate` 元 a day, in 万元, exactly.
pub fn labour_in_wan(days: u64, rate: Decimal) -> Option<Decimal> {
    Decimal::from(days)
        .checked_mul(rate)?
        .checked_div(Decimal::from(YUAN_PER_WAN))
}

/// `funds.labour-value`: labour_days × labour_rate ÷ 10000 = labour_value.
fn labour_value(c: &mut Checker, f: &Funds, path: &str) {
    let (Some(days), Some(rate), Some(value)) = (&f.labour_days, &f.labour_rate, &f.labour_value)
    else {
        return;
    };
    c.ran(RuleId::FundsLabourValue);
    let Some(exact) = labour_in_wan(days.value, rate.value) else {
        return;
    };
    let scale = value.value.scale();
    let rounded = num::round(exact, scale);
    if rounded == value.value {
        return;
    }
    let Some(diff) = num::diff(value.value, rounded) else {
        return;
    };
    let expected = format!("{rounded:.prec$}", prec = scale as usize);
    let msg = c.t(Msg::LabourValue {
        value: &value.value.to_string(),
        days: &days.value.to_string(),
        rate: &rate.value.to_string(),
        computed: &num::shown(exact, scale),
        diff: &diff.to_string(),
    });
    let d = Diagnostic::error(RuleId::FundsLabourValue, msg)
        .at(value.span.clone(), c.fig(Fig::LabourValue, value.value))
        .at(days.span.clone(), c.fig(Fig::LabourDays, days.value))
        .at(rate.span.clone(), c.fig(Fig::LabourRate, rate.value))
        .field(format!("{path}.labour_value"))
        .expected_found(expected, value.value.to_string())
        .hint(c.t(Msg::LabourValueHint));
    c.report(d);
}
