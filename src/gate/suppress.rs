//! Small-count suppression: counts of households or people in sensitive
//! categories (poor, relocated, fallen back) below k are published as `<k`
//! below township level, and so is every figure from which a suppressed count
//! could be worked out again (a remainder, a percentage, a sibling's figure
//! when the township total is published). Zero is published as zero.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::model::{Index, Portal, Progress, ProgressKind, Records, Relapse, Tally};

/// A figure as published: its value, or "fewer than k".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown<T> {
    Value(T),
    /// The figure is under k.
    Below(u64),
    /// The figure is not small itself but is withheld so that a small one
    /// cannot be worked out from it.
    Withheld,
}

impl<T: Copy> Shown<T> {
    pub fn value(self) -> Option<T> {
        match self {
            Shown::Value(v) => Some(v),
            Shown::Below(_) | Shown::Withheld => None,
        }
    }

    pub fn is_suppressed(self) -> bool {
        !matches!(self, Shown::Value(_))
    }
}

/// Withholds a count to protect another: a small count still reads `<k`.
fn withhold(s: Shown<u64>, k: u64) -> Shown<u64> {
    match s {
        Shown::Value(v) if v > 0 && v < k => Shown::Below(k),
        Shown::Value(0) => Shown::Value(0),
        Shown::Value(_) | Shown::Withheld => Shown::Withheld,
        Shown::Below(k) => Shown::Below(k),
    }
}

/// One row of a progress table, as published.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicTally {
    pub start: Option<Shown<u64>>,
    pub is_target: bool,
    pub done: Option<Shown<u64>>,
    pub remaining: Option<Shown<u64>>,
    pub this_year: Option<Shown<u64>>,
}

impl PublicTally {
    fn any_suppressed(&self) -> bool {
        [self.start, self.done, self.remaining, self.this_year]
            .iter()
            .flatten()
            .any(|s| s.is_suppressed())
    }
}

/// A progress record as published.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicProgress {
    pub area: String,
    pub year: i32,
    pub kind: ProgressKind,
    pub label: Option<String>,
    pub households: Option<PublicTally>,
    pub people: Option<PublicTally>,
    pub villages: Option<PublicTally>,
    pub incidence: Option<Shown<Decimal>>,
    pub housing_m2_per_person: Option<Decimal>,
}

/// A relapse (返贫) record as published.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicRelapse {
    pub area: String,
    pub year: i32,
    pub households: Option<Shown<u64>>,
    pub people: Option<Shown<u64>>,
    pub rate: Option<Shown<Decimal>>,
}

/// Whether figures of `area` are small-area figures (below township level).
fn is_small_area(p: &Portal, ix: &Index, area: &str) -> bool {
    p.area(ix, area).is_some_and(|a| a.level.value.depth() >= 2)
}

fn population(p: &Portal, ix: &Index, area: &str) -> Option<u64> {
    p.area(ix, area)
        .and_then(|a| a.population.as_ref())
        .map(|n| n.value)
}

fn count(v: u64, k: u64, small: bool) -> Shown<u64> {
    if small && v > 0 && v < k {
        Shown::Below(k)
    } else {
        Shown::Value(v)
    }
}

/// A percentage of an area's people or households that would give back a
/// count under k (a rate may be of either; both are published for the area).
fn reveals_small_count(percent: Decimal, bases: [Option<u64>; 2], k: u64) -> bool {
    bases.into_iter().flatten().any(|base| {
        let count = percent * Decimal::from(base) / Decimal::from(100);
        count > Decimal::ZERO && count < Decimal::from(k)
    })
}

fn tally(t: &Tally, k: u64, sensitive_small: bool) -> PublicTally {
    let f =
        |v: &Option<crate::source::At<u64>>| v.as_ref().map(|v| count(v.value, k, sensitive_small));
    let mut out = PublicTally {
        start: f(&t.start),
        is_target: t.is_target,
        done: f(&t.done),
        remaining: f(&t.remaining),
        this_year: f(&t.this_year),
    };
    // start − done = remaining: with one of the three hidden, the other two
    // would give it back, so hide done and remaining together.
    let linked = [out.start, out.done, out.remaining];
    if linked.iter().flatten().any(|s| s.is_suppressed()) {
        out.done = out.done.map(|s| withhold(s, k));
        out.remaining = out.remaining.map(|s| withhold(s, k));
    }
    out
}

fn progress(p: &Portal, ix: &Index, r: &Progress, k: u64) -> PublicProgress {
    let small = is_small_area(p, ix, &r.area.value);
    let sensitive = matches!(
        r.kind.value,
        ProgressKind::Poverty | ProgressKind::Relocation
    );
    let households = r
        .households
        .as_ref()
        .map(|t| tally(t, k, small && sensitive));
    let people = r.people.as_ref().map(|t| tally(t, k, small && sensitive));
    let people_hidden = people.as_ref().is_some_and(PublicTally::any_suppressed);
    let incidence = r.incidence.as_ref().map(|i| {
        // Incidence is poor people ÷ population.
        let pop = population(p, ix, &r.area.value);
        if small && (people_hidden || reveals_small_count(i.value, [pop, None], k)) {
            Shown::Withheld
        } else {
            Shown::Value(i.value)
        }
    });
    PublicProgress {
        area: r.area.value.clone(),
        year: r.year.value,
        kind: r.kind.value,
        label: r.label.as_ref().map(|l| l.value.clone()),
        households,
        people,
        villages: r.villages.as_ref().map(|t| tally(t, k, false)),
        incidence,
        housing_m2_per_person: r.housing_m2_per_person.as_ref().map(|h| h.value),
    }
}

fn relapse(p: &Portal, ix: &Index, r: &Relapse, k: u64) -> PublicRelapse {
    let small = is_small_area(p, ix, &r.area.value);
    let households = r.households.as_ref().map(|h| count(h.value, k, small));
    let people = r.people.as_ref().map(|h| count(h.value, k, small));
    let hidden =
        households.is_some_and(Shown::is_suppressed) || people.is_some_and(Shown::is_suppressed);
    let rate = r.rate.as_ref().map(|rate| {
        let pop = population(p, ix, &r.area.value);
        let households = p
            .area(ix, &r.area.value)
            .and_then(|a| a.households.as_ref())
            .map(|n| n.value);
        if small && (hidden || reveals_small_count(rate.value, [pop, households], k)) {
            Shown::Withheld
        } else {
            Shown::Value(rate.value)
        }
    });
    PublicRelapse {
        area: r.area.value.clone(),
        year: r.year.value,
        households,
        people,
        rate,
    }
}

/// The published forms of all sensitive records, with complementary
/// suppression across siblings applied.
pub fn suppress(p: &Portal, ix: &Index, k: u64) -> (Vec<PublicProgress>, Vec<PublicRelapse>) {
    // Every kind is named (no `..`): a new kind does not compile until it
    // says how its counts are published.
    let Records {
        // Whole areas' figures (all households, population): as written.
        areas: _,
        // A programme's stated totals: as written.
        programmes: _,
        // Beneficiaries of a project about monitored households: refused
        // below k (`sensitive_records`).
        projects: _,
        progress: progress_records,
        relapses: relapse_records,
        // Percentages that reveal a small count: withheld by the gate
        // (`withhold_revealing_indicators`).
        exits: _,
        // Participants of an activity about monitored households: refused
        // below k (`sensitive_records`).
        activities: _,
        // Dates and labels, no counts.
        milestones: _,
        // A number and its reason, listed in the check report.
        acks: _,
        // Whole areas' figures for a year (all households, population): as written.
        area_years: _,
    } = &p.records;
    let mut progress: Vec<PublicProgress> = progress_records
        .iter()
        .map(|r| progress(p, ix, r, k))
        .collect();
    let mut relapses: Vec<PublicRelapse> = relapse_records
        .iter()
        .map(|r| relapse(p, ix, r, k))
        .collect();
    protect_relapse_siblings(p, ix, &mut relapses, k);
    protect_progress_siblings(p, ix, &mut progress, k);
    (progress, relapses)
}

fn parent_of<'a>(p: &'a Portal, ix: &Index, area: &str) -> Option<&'a str> {
    p.area(ix, area)?.parent.as_ref().map(|x| x.value.as_str())
}

/// Complementary suppression across the whole hierarchy (county → township
/// → village → group). For every published parent figure and the published
/// figures of its children (same year, kind and column), the parent minus the
/// published children must not pin a hidden child: not when one child is
/// hidden, nor when the remainder is the least (or, all `<k`, the most) that
/// the hidden children can add up to. Each time it would, one more figure is
/// withheld (the smallest published child above zero, or else the parent),
/// and the check runs again until nothing changes: a withheld township total
/// is then itself a hidden child of the county.
fn protect_hierarchy<R, K: Eq + std::hash::Hash + Clone>(
    p: &Portal,
    ix: &Index,
    rows: &mut [R],
    (k, columns): (u64, &[usize]),
    key: impl Fn(&R) -> (String, K),
    get: impl Fn(&R, usize) -> Option<Shown<u64>>,
    hide: impl Fn(&mut R, usize),
) {
    let mut at: HashMap<(String, K), usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        at.entry(key(r)).or_insert(i);
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let (area, kk) = key(r);
        if let Some(parent) = parent_of(p, ix, &area) {
            if let Some(&pi) = at.get(&(parent.to_string(), kk)) {
                groups.entry(pi).or_default().push(i);
            }
        }
    }
    let mut groups: Vec<(usize, Vec<usize>)> = groups.into_iter().collect();
    groups.sort_unstable();
    // Each round withholds at least one more figure, so this ends.
    let limit = rows.len() * columns.len() + 1;
    for _ in 0..limit {
        let mut changed = false;
        for (parent, members) in &groups {
            for &col in columns {
                let Some(Shown::Value(total)) = get(&rows[*parent], col) else {
                    continue;
                };
                let cells: Vec<(usize, Shown<u64>)> = members
                    .iter()
                    .filter_map(|&i| get(&rows[i], col).map(|c| (i, c)))
                    .collect();
                let below = cells
                    .iter()
                    .filter(|c| matches!(c.1, Shown::Below(_)))
                    .count() as u64;
                let withheld = cells.iter().filter(|c| c.1 == Shown::Withheld).count() as u64;
                if below + withheld == 0 {
                    continue;
                }
                let published: u64 = cells.iter().filter_map(|c| c.1.value()).sum();
                let rest = i128::from(total) - i128::from(published);
                let least = i128::from(below + withheld * k);
                let most = i128::from(below * (k - 1));
                let pinned =
                    below + withheld == 1 || rest == least || (withheld == 0 && rest == most);
                if !pinned {
                    continue;
                }
                let cover = cells
                    .iter()
                    .filter_map(|&(i, c)| c.value().filter(|&v| v > 0).map(|v| (v, i)))
                    .min()
                    .map(|(_, i)| i);
                hide(&mut rows[cover.unwrap_or(*parent)], col);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

fn protect_relapse_siblings(p: &Portal, ix: &Index, rows: &mut [PublicRelapse], k: u64) {
    protect_hierarchy(
        p,
        ix,
        rows,
        (k, &[0, 1]),
        |r| (r.area.clone(), r.year),
        |r, col| if col == 0 { r.households } else { r.people },
        |r, col| {
            if col == 0 {
                r.households = r.households.map(|s| withhold(s, k));
            } else {
                r.people = r.people.map(|s| withhold(s, k));
            }
            r.rate = r.rate.map(|_| Shown::Withheld);
        },
    );
}

/// Progress columns: households and people, each start, done, remaining and
/// this year. start = done + remaining, so when one of the three is hidden,
/// done and remaining are both withheld.
fn protect_progress_siblings(p: &Portal, ix: &Index, rows: &mut [PublicProgress], k: u64) {
    fn cell(t: &PublicTally, c: usize) -> Option<Shown<u64>> {
        [t.start, t.done, t.remaining, t.this_year][c]
    }
    protect_hierarchy(
        p,
        ix,
        rows,
        // Remainders first: covering one withholds done with it.
        (k, &[2, 1, 0, 3, 6, 5, 4, 7]),
        |r| (r.area.clone(), (r.year, r.kind)),
        |r, col| unit_of(r, col / 4).and_then(|t| cell(t, col % 4)),
        |r, col| {
            let t = if col / 4 == 0 {
                r.households.as_mut()
            } else {
                r.people.as_mut()
            };
            if let Some(t) = t {
                let s = match col % 4 {
                    0 => &mut t.start,
                    1 => &mut t.done,
                    2 => &mut t.remaining,
                    _ => &mut t.this_year,
                };
                *s = s.map(|v| withhold(v, k));
                if [t.start, t.done, t.remaining]
                    .iter()
                    .flatten()
                    .any(|s| s.is_suppressed())
                {
                    t.done = t.done.map(|s| withhold(s, k));
                    t.remaining = t.remaining.map(|s| withhold(s, k));
                }
            }
            if col / 4 == 1 {
                r.incidence = r.incidence.map(|_| Shown::Withheld);
            }
        },
    );
}

fn unit_of(r: &PublicProgress, unit: usize) -> Option<&PublicTally> {
    if unit == 0 {
        r.households.as_ref()
    } else {
        r.people.as_ref()
    }
}

/// Words in an activity's or project's name that make it about monitored or
/// fallen-back households (compared on the name as read, lowercase).
const SENSITIVE_NAMES: &[&str] = &[
    "返贫",
    "监测户",
    "监测对象",
    "边缘户",
    "边缘易致贫",
    "脱贫不稳定",
    "突发严重困难",
    "relapse",
    "fell back",
    "fallen back",
    "monitored",
    "edge household",
];

/// Whether a name marks an activity or project as about monitored or
/// fallen-back households.
pub fn is_sensitive_name(name: &str) -> bool {
    let reading = super::prose::normalise(name);
    let lower = reading.text().to_lowercase();
    SENSITIVE_NAMES.iter().any(|w| lower.contains(w))
}

/// Activities and projects about monitored or fallen-back households (by
/// their name: 返贫, 监测户, 监测对象, 边缘户) with fewer than k participants
/// or beneficiaries: the count points at households, at any level, so the
/// build is refused at the count.
pub fn sensitive_records(
    p: &Portal,
    k: u64,
    lang: crate::messages::Lang,
) -> Vec<crate::diag::Diagnostic> {
    use crate::messages::Msg;
    let counts = p
        .activities
        .iter()
        .map(|a| (&a.name, a.participants.as_ref()))
        .chain(
            p.projects
                .iter()
                .map(|r| (&r.name, r.beneficiaries.as_ref())),
        );
    counts
        .filter_map(|(name, n)| {
            let n = n?;
            (n.value > 0 && n.value < k && is_sensitive_name(&name.value)).then(|| {
                crate::diag::Diagnostic::error(
                    "privacy.small-count",
                    Msg::SensitiveRecordCount {
                        name: &name.value,
                        k,
                    }
                    .text(lang),
                )
                .at(n.span.clone(), Msg::LabelThisValue.text(lang))
                .expected_found(format!("0 | >= {k}"), n.value.to_string())
                .hint(Msg::SensitiveRecordHint.text(lang))
            })
        })
        .collect()
}
