//! Rule groups 6–7: progress adds up, and relocation housing stays within policy.
//!
//! - `progress.remaining`: start (or target) − done = remaining, for households,
//!   people and villages;
//! - `progress.done`: done ≤ start (or target); this year's goal ≤ remaining;
//! - `progress.incidence`: the stated poverty incidence = remaining people ÷ the
//!   area's population × 100, rounded (half away from zero) to the decimals the
//!   stated figure is written with;
//! - `relocation.housing`: new housing per relocated person ≤ [`MAX_HOUSING_M2_PER_PERSON`].

use rust_decimal::{Decimal, RoundingStrategy};

use super::{Checker, num};
use crate::diag::Diagnostic;
use crate::messages::{Fig, Msg};
use crate::model::{Progress, ProgressKind, Tally};
use crate::rule::RuleId;
use crate::source::At;

/// 易地扶贫搬迁 policy: new housing for relocated households may not exceed
/// 25 m² per person (the national rule the brief states, so that no household
/// goes into debt to build). It is a national figure, not one a county or
/// province chooses, so it lives here rather than in `cunwu.toml`; should a
/// province ever set a lower limit, it would become an optional setting there,
/// defaulting to this value.
pub const MAX_HOUSING_M2_PER_PERSON: u32 = 25;

/// `progress[longtuo/2020/poverty]`: how findings name a progress record.
pub fn path(r: &Progress) -> String {
    let kind = ProgressKind::CHOICES
        .iter()
        .find(|(_, k)| *k == r.kind.value)
        .map_or("", |(key, _)| *key);
    format!("progress[{}/{}/{kind}]", r.area.value, r.year.value)
}

pub fn check(c: &mut Checker) {
    let p = c.portal;
    let by_year = super::years::population_by_year(p);
    for r in &p.progress {
        let path = path(r);
        let tallies = [
            (Fig::Households, "households", &r.households),
            (Fig::People, "people", &r.people),
            (Fig::Villages, "villages", &r.villages),
        ];
        for (what, key, tally) in tallies {
            if let Some(t) = tally {
                let field = format!("{path}.{key}");
                remaining(c, t, what, &field);
                done(c, t, what, &field);
            }
        }
        let year_pop = by_year.get(&(r.area.value.as_str(), r.year.value)).copied();
        incidence(c, r, &path, year_pop);
        housing(c, r, &path);
    }
}

fn start_word(t: &Tally) -> Fig {
    if t.is_target { Fig::Target } else { Fig::Start }
}

/// `progress.remaining`: start − done = remaining.
fn remaining(c: &mut Checker, t: &Tally, what: Fig, field: &str) {
    let (Some(start), Some(done), Some(remaining)) = (&t.start, &t.done, &t.remaining) else {
        return;
    };
    c.ran(RuleId::ProgressRemaining);
    // done > start is reported by progress.done; start − done has no count then.
    let Some(expected) = start.value.checked_sub(done.value) else {
        return;
    };
    if expected == remaining.value {
        return;
    }
    let word = start_word(t);
    let msg = c.t(Msg::RemainingMismatch {
        what,
        start_word: word,
        start: &start.value.to_string(),
        done: &done.value.to_string(),
        expected: &expected.to_string(),
        remaining: &remaining.value.to_string(),
    });
    let d = Diagnostic::error(RuleId::ProgressRemaining, msg)
        .at(
            remaining.span.clone(),
            c.fig(Fig::Remaining, remaining.value),
        )
        .at(start.span.clone(), c.fig(word, start.value))
        .at(done.span.clone(), c.fig(Fig::Done, done.value))
        .field(format!("{field}.remaining"))
        .expected_found(expected.to_string(), remaining.value.to_string())
        .hint(c.t(Msg::RemainingHint));
    c.report(d);
}

/// `progress.done`: done ≤ start or target, and this year's goal ≤ remaining.
fn done(c: &mut Checker, t: &Tally, what: Fig, field: &str) {
    let pairs =
        (t.start.is_some() && t.done.is_some()) || (t.this_year.is_some() && t.remaining.is_some());
    if pairs {
        c.ran(RuleId::ProgressDone);
    }
    if let (Some(start), Some(done)) = (&t.start, &t.done) {
        if done.value > start.value {
            let word = start_word(t);
            let msg = c.t(Msg::DoneAboveStart {
                what,
                start_word: word,
                done: &done.value.to_string(),
                start: &start.value.to_string(),
            });
            let d = Diagnostic::error(RuleId::ProgressDone, msg)
                .at(done.span.clone(), c.fig(Fig::Done, done.value))
                .at(start.span.clone(), c.fig(word, start.value))
                .field(format!("{field}.done"))
                .expected_found(format!("<= {}", start.value), done.value.to_string())
                .hint(c.t(Msg::DoneHint));
            c.report(d);
        }
    }
    if let (Some(this_year), Some(remaining)) = (&t.this_year, &t.remaining) {
        if this_year.value > remaining.value {
            let msg = c.t(Msg::ThisYearAboveRemaining {
                what,
                this_year: &this_year.value.to_string(),
                remaining: &remaining.value.to_string(),
            });
            let d = Diagnostic::error(RuleId::ProgressDone, msg)
                .at(
                    this_year.span.clone(),
                    c.fig(Fig::ThisYear, this_year.value),
                )
                .at(
                    remaining.span.clone(),
                    c.fig(Fig::Remaining, remaining.value),
                )
                .field(format!("{field}.this_year"))
                .expected_found(
                    format!("<= {}", remaining.value),
                    this_year.value.to_string(),
                )
                .hint(c.t(Msg::DoneHint));
            c.report(d);
        }
    }
}

/// `progress.incidence`: remaining people ÷ population × 100, at the stated
/// scale; the population of the record's year (`[[area_year]]`) when given,
/// else the area's.
fn incidence(c: &mut Checker, r: &Progress, path: &str, year_pop: Option<&At<u64>>) {
    let Some(stated) = &r.incidence else { return };
    let Some(remaining) = r.people.as_ref().and_then(|t| t.remaining.as_ref()) else {
        return;
    };
    let p = c.portal;
    let Some(area) = p.area(c.ix, &r.area.value) else {
        return;
    };
    let Some(pop) = year_pop.or(area.population.as_ref()) else {
        return;
    };
    if pop.value == 0 {
        return;
    }
    c.ran(RuleId::ProgressIncidence);
    let Some(exact) = Decimal::from(remaining.value)
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|x| x.checked_div(Decimal::from(pop.value)))
    else {
        return;
    };
    let scale = stated.value.scale();
    let rounded = num::round(exact, scale);
    if rounded == stated.value {
        return;
    }
    let prec = scale as usize;
    let more = (scale + 2) as usize;
    let truncated = exact.round_dp_with_strategy(scale + 2, RoundingStrategy::ToZero);
    let computed = format!("{rounded:.prec$}");
    let msg = c.t(Msg::IncidenceMismatch {
        stated: &stated.value.to_string(),
        remaining: &remaining.value.to_string(),
        population: &pop.value.to_string(),
        exact: &format!("{truncated:.more$}"),
        decimals: scale,
        computed: &computed,
    });
    let d = Diagnostic::error(RuleId::ProgressIncidence, msg)
        .at(stated.span.clone(), c.fig(Fig::Incidence, stated.value))
        .at(
            remaining.span.clone(),
            c.fig(Fig::Remaining, remaining.value),
        )
        .at(
            pop.span.clone(),
            match year_pop {
                Some(_) => c.fig_of(
                    &format!("{}/{}", area.id.value, r.year.value),
                    Fig::Population,
                    pop.value,
                ),
                None => c.fig_of(&area.id.value, Fig::Population, pop.value),
            },
        )
        .field(format!("{path}.incidence"))
        .expected_found(computed, stated.value.to_string())
        .hint(c.t(Msg::IncidenceHint));
    c.report(d);
}

/// `relocation.housing`: per-capita new housing within the policy limit.
fn housing(c: &mut Checker, r: &Progress, path: &str) {
    let Some(h) = &r.housing_m2_per_person else {
        return;
    };
    c.ran(RuleId::RelocationHousing);
    let limit = Decimal::from(MAX_HOUSING_M2_PER_PERSON);
    if h.value <= limit {
        return;
    }
    let msg = c.t(Msg::HousingAboveLimit {
        value: &h.value.to_string(),
        limit: &limit.to_string(),
    });
    let d = Diagnostic::error(RuleId::RelocationHousing, msg)
        .at(h.span.clone(), c.fig(Fig::Housing, h.value))
        .field(format!("{path}.housing_m2_per_person"))
        .expected_found(format!("<= {limit}"), h.value.to_string())
        .hint(c.t(Msg::HousingHint));
    c.report(d);
}
