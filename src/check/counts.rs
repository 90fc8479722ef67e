//! Rule group 5: counts are sane. (`counts.negative` is enforced by the loader,
//! which refuses a negative number where it reads it.)
//!
//! - `counts.people-households`: people ≥ households, for areas, for the
//!   participants a programme states, and for relapse figures;
//! - `counts.labourers`: labourers ≤ people, for areas and programme participants;
//! - `counts.beneficiaries`: a project's beneficiaries ≤ the population of its area;
//!   a programme's ≤ the population of the areas it covers (or of its own area);
//! - `counts.children`: the children of an area add up to no more than the area
//!   (households, population, labourers);
//! - `counts.percent`: percentages lie within 0–100.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::{Checker, num};
use crate::diag::Diagnostic;
use crate::messages::{Fig, Msg};
use crate::model::Area;
use crate::rule::RuleId;
use crate::source::At;

pub fn check(c: &mut Checker) {
    c.each_file_kept(
        |k| &mut k.counts,
        |c| {
            people_households(c);
            labourers(c);
            beneficiaries(c);
            children(c);
            percent(c);
        },
    );
}

/// `counts.people-households`.
fn people_households(c: &mut Checker) {
    for a in c.scope.records.areas {
        let field = || format!("area[{}].population", a.id.value);
        people_vs_households(c, &a.population, &a.households, Fig::Population, field);
    }
    for g in c.scope.records.programmes {
        let field = || format!("programme[{}].stated.people", g.id.value);
        people_vs_households(
            c,
            &g.stated.people,
            &g.stated.households,
            Fig::People,
            field,
        );
    }
    for r in c.scope.records.relapses {
        let field = || format!("relapse[{}/{}].people", r.area.value, r.year.value);
        people_vs_households(c, &r.people, &r.households, Fig::People, field);
    }
    for y in c.scope.records.area_years {
        let field = || format!("area_year[{}/{}].population", y.area.value, y.year.value);
        people_vs_households(c, &y.population, &y.households, Fig::Population, field);
    }
}

/// `field` is written only for a finding: nearly every record passes.
fn people_vs_households(
    c: &mut Checker,
    people: &Option<At<u64>>,
    households: &Option<At<u64>>,
    word: Fig,
    field: impl FnOnce() -> String,
) {
    let (Some(people), Some(households)) = (people, households) else {
        return;
    };
    c.ran(RuleId::CountsPeopleHouseholds);
    if people.value >= households.value {
        return;
    }
    let msg = c.t(Msg::PeopleBelowHouseholds {
        people: &people.value.to_string(),
        households: &households.value.to_string(),
    });
    let d = Diagnostic::error(RuleId::CountsPeopleHouseholds, msg)
        .at(people.span.clone(), c.fig(word, people.value))
        .at(
            households.span.clone(),
            c.fig(Fig::Households, households.value),
        )
        .field(field())
        .expected_found(format!(">= {}", households.value), people.value.to_string())
        .hint(c.t(Msg::PeopleBelowHouseholdsHint));
    c.report(d);
}

/// `counts.labourers`.
fn labourers(c: &mut Checker) {
    for a in c.scope.records.areas {
        let field = || format!("area[{}].labourers", a.id.value);
        labourers_vs_people(c, &a.labourers, &a.population, Fig::Population, field);
    }
    for g in c.scope.records.programmes {
        let field = || format!("programme[{}].stated.labourers", g.id.value);
        labourers_vs_people(c, &g.stated.labourers, &g.stated.people, Fig::People, field);
    }
    for y in c.scope.records.area_years {
        let field = || format!("area_year[{}/{}].labourers", y.area.value, y.year.value);
        labourers_vs_people(c, &y.labourers, &y.population, Fig::Population, field);
    }
}

/// `field` is written only for a finding, as in [`people_vs_households`].
fn labourers_vs_people(
    c: &mut Checker,
    labourers: &Option<At<u64>>,
    people: &Option<At<u64>>,
    word: Fig,
    field: impl FnOnce() -> String,
) {
    let (Some(labourers), Some(people)) = (labourers, people) else {
        return;
    };
    c.ran(RuleId::CountsLabourers);
    if labourers.value <= people.value {
        return;
    }
    let msg = c.t(Msg::LabourersAbovePeople {
        labourers: &labourers.value.to_string(),
        people: &people.value.to_string(),
    });
    let d = Diagnostic::error(RuleId::CountsLabourers, msg)
        .at(
            labourers.span.clone(),
            c.fig(Fig::Labourers, labourers.value),
        )
        .at(people.span.clone(), c.fig(word, people.value))
        .field(field())
        .expected_found(format!("<= {}", people.value), labourers.value.to_string())
        .hint(c.t(Msg::LabourersAbovePeopleHint));
    c.report(d);
}

/// `counts.beneficiaries`.
fn beneficiaries(c: &mut Checker) {
    let p = c.portal;
    for j in c.scope.records.projects {
        let Some(b) = &j.beneficiaries else { continue };
        let field = || format!("project[{}].beneficiaries", j.id.value);
        beneficiaries_within_area(c, b, &j.area.value, field);
    }
    for g in c.scope.records.programmes {
        let Some(b) = &g.stated.beneficiaries else {
            continue;
        };
        let field = || format!("programme[{}].stated.beneficiaries", g.id.value);
        // The covered areas, each once, when every one is known with its population.
        let mut seen = BTreeSet::new();
        let covered: Option<Vec<(&Area, &At<u64>)>> = g
            .covers
            .iter()
            .filter(|id| seen.insert(id.value.as_str()))
            .map(|id| {
                let a = p.area(c.ix, &id.value)?;
                a.population.as_ref().map(|pop| (a, pop))
            })
            .collect();
        match covered {
            Some(covered) if !covered.is_empty() => {
                c.ran(RuleId::CountsBeneficiaries);
                let total = num::count_sum(covered.iter().map(|(_, pop)| pop.value));
                if u128::from(b.value) <= total {
                    continue;
                }
                let msg = c.t(Msg::BeneficiariesAboveCovered {
                    beneficiaries: &b.value.to_string(),
                    areas: covered.len(),
                    population: &total.to_string(),
                });
                let mut d = Diagnostic::error(RuleId::CountsBeneficiaries, msg)
                    .at(b.span.clone(), c.fig(Fig::Beneficiaries, b.value));
                for (a, pop) in &covered {
                    d = d.at(
                        pop.span.clone(),
                        c.fig_of(&a.id.value, Fig::Population, pop.value),
                    );
                }
                let d = d
                    .field(field())
                    .expected_found(format!("<= {total}"), b.value.to_string())
                    .hint(c.t(Msg::BeneficiariesHint));
                c.report(d);
            }
            _ => beneficiaries_within_area(c, b, &g.area.value, field),
        }
    }
}

/// `counts.beneficiaries` for a count that belongs to one area (a project's,
/// or a programme's whose covered areas are not all known): it may not pass
/// the area's population. `field` is made only for a finding.
fn beneficiaries_within_area(
    c: &mut Checker,
    b: &At<u64>,
    area: &str,
    field: impl FnOnce() -> String,
) {
    let Some(area) = c.portal.area(c.ix, area) else {
        return;
    };
    let Some(pop) = &area.population else {
        return;
    };
    c.ran(RuleId::CountsBeneficiaries);
    if b.value <= pop.value {
        return;
    }
    let msg = c.t(Msg::BeneficiariesAboveArea {
        beneficiaries: &b.value.to_string(),
        area: &area.id.value,
        population: &pop.value.to_string(),
    });
    let d = Diagnostic::error(RuleId::CountsBeneficiaries, msg)
        .at(b.span.clone(), c.fig(Fig::Beneficiaries, b.value))
        .at(
            pop.span.clone(),
            c.fig_of(&area.id.value, Fig::Population, pop.value),
        )
        .field(field())
        .expected_found(format!("<= {}", pop.value), b.value.to_string())
        .hint(c.t(Msg::BeneficiariesHint));
    c.report(d);
}

/// Picks one count of an area.
type CountOf = fn(&Area) -> &Option<At<u64>>;

/// `counts.children`: children's households, population and labourers ≤ the parent's.
fn children(c: &mut Checker) {
    let p = c.portal;
    let figures: [(Fig, &str, CountOf); 3] = [
        (Fig::Households, "households", |a| &a.households),
        (Fig::Population, "population", |a| &a.population),
        (Fig::Labourers, "labourers", |a| &a.labourers),
    ];
    for parent in c.scope.records.areas {
        let Some(kids) = c.ix.children.get(&parent.id.value) else {
            continue;
        };
        for (what, key, pick) in figures {
            let Some(value) = pick(parent) else { continue };
            let with: Vec<(&Area, &At<u64>)> = kids
                .iter()
                .map(|&i| &p.areas[i])
                .filter_map(|a| pick(a).as_ref().map(|v| (a, v)))
                .collect();
            if with.is_empty() {
                continue;
            }
            c.ran(RuleId::CountsChildren);
            let sum = num::count_sum(with.iter().map(|(_, v)| v.value));
            if sum <= u128::from(value.value) {
                continue;
            }
            let msg = c.t(Msg::ChildrenAboveParent {
                what,
                children: with.len(),
                sum: &sum.to_string(),
                parent: &parent.id.value,
                value: &value.value.to_string(),
            });
            let mut d = Diagnostic::error(RuleId::CountsChildren, msg)
                .at(value.span.clone(), c.fig(what, value.value));
            for (a, v) in &with {
                d = d.at(v.span.clone(), c.fig_of(&a.id.value, what, v.value));
            }
            let d = d
                .field(format!("area[{}].{key}", parent.id.value))
                .expected_found(format!(">= {sum}"), value.value.to_string())
                .hint(c.t(Msg::ChildrenAboveParentHint));
            c.report(d);
        }
    }
}

/// `counts.percent`: stated incidences, percentage exit indicators and relapse rates.
fn percent(c: &mut Checker) {
    for r in c.scope.records.progress {
        if let Some(v) = &r.incidence {
            let field = || format!("{}.incidence", super::progress::path(r));
            let label = |c: &Checker| c.fig(Fig::Incidence, v.value);
            in_range(c, v, label, field);
        }
    }
    for e in c.scope.records.exits {
        for (key, v) in &e.indicators {
            if let crate::model::IndicatorValue::Percent(x) = v.value {
                let at = At::new(x, v.span.clone());
                let label = |c: &Checker| {
                    c.t(Msg::LabelIndicator {
                        name: &key.value,
                        value: &x.to_string(),
                    })
                };
                let field = || format!("{}.indicators.{}", super::exit::path(e), key.value);
                in_range(c, &at, label, field);
            }
        }
    }
    for r in c.scope.records.relapses {
        if let Some(v) = &r.rate {
            let field = || format!("relapse[{}/{}].rate", r.area.value, r.year.value);
            let label = |c: &Checker| c.t(Msg::LabelHere);
            in_range(c, v, label, field);
        }
    }
}

/// `label` and `field` are made only for a finding: a province has a
/// hundred thousand percentages, nearly all in range.
fn in_range(
    c: &mut Checker,
    v: &At<Decimal>,
    label: impl FnOnce(&Checker) -> String,
    field: impl FnOnce() -> String,
) {
    c.ran(RuleId::CountsPercent);
    let hundred = Decimal::ONE_HUNDRED;
    if v.value >= Decimal::ZERO && v.value <= hundred {
        return;
    }
    let msg = c.t(Msg::PercentOutOfRange {
        value: &v.value.to_string(),
    });
    let d = Diagnostic::error(RuleId::CountsPercent, msg)
        .at(v.span.clone(), label(c))
        .field(field())
        .expected_found("0–100", v.value.to_string())
        .hint(c.t(Msg::PercentHint));
    c.report(d);
}
