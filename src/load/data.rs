//! Reads the data files under `data/` into typed records.

use rust_decimal::Decimal;

use super::toml_reader::{Ctx, Table, parse_document, tables_of};
use crate::diag::Diagnostic;
use crate::messages::Msg;
use crate::model::*;
use crate::rule::RuleId;
use crate::source::At;

const KINDS: &str = "area, programme, project, progress, relapse, exit, activity, milestone, privacy_ack, area_year";

/// The top-level key of a data file that dates all its records (`updated = 2020-03-01`).
pub const UPDATED: &str = "updated";

/// Reads one data file's text, and its top-level `updated` date; findings go to `cx`.
pub fn read_data_file(cx: &mut Ctx, text: &str) -> (Records, Option<At<chrono::NaiveDate>>) {
    let mut out = Records::default();
    let mut updated = None;
    let Some(doc) = parse_document(cx, text) else {
        return (out, updated);
    };
    for (key, value) in doc.get_ref().iter() {
        let kind = key.get_ref().as_ref();
        if kind == UPDATED {
            updated = super::toml_reader::read_date(cx, UPDATED, value);
            continue;
        }
        let (record_kind, tables) = match RecordKind::from_key(kind) {
            Some(k) => (k, tables_of(cx, value, kind, &format!("[[{kind}]]"))),
            _ if crate::gate::individual::is_individual_kind(kind) => {
                let d = Diagnostic::error(
                    RuleId::PrivacyIndividualRecord,
                    cx.t(Msg::IndividualKind { key: kind }),
                )
                .at(cx.span(key.span()), cx.t(Msg::LabelHere))
                .field(kind)
                .hint(cx.t(Msg::IndividualHint));
                cx.diags.push(d);
                continue;
            }
            _ => {
                let msg = cx.t(Msg::UnknownKind {
                    key: kind,
                    allowed: KINDS,
                });
                let d = Diagnostic::error(RuleId::LoadUnknownKind, msg)
                    .at(cx.span(key.span()), cx.t(Msg::LabelHere))
                    .field(kind)
                    .expected_found(KINDS, kind);
                cx.diags.push(d);
                continue;
            }
        };
        for t in tables {
            // Every kind is read here: no catch-all, so a new kind does not compile until it is.
            match record_kind {
                RecordKind::Area => out.areas.extend(read_table(cx, t, read_area)),
                RecordKind::Programme => out.programmes.extend(read_table(cx, t, read_programme)),
                RecordKind::Project => out.projects.extend(read_table(cx, t, read_project)),
                RecordKind::Progress => out.progress.extend(read_table(cx, t, read_progress)),
                RecordKind::Relapse => out.relapses.extend(read_table(cx, t, read_relapse)),
                RecordKind::Exit => out.exits.extend(read_table(cx, t, read_exit)),
                RecordKind::Activity => out.activities.extend(read_table(cx, t, read_activity)),
                RecordKind::Milestone => out.milestones.extend(read_milestone(cx, t)),
                RecordKind::PrivacyAck => out.acks.extend(read_ack(cx, t)),
                RecordKind::AreaYear => out.area_years.extend(read_table(cx, t, read_area_year)),
            }
        }
    }
    (out, updated)
}

fn read_area_year(cx: &mut Ctx, t: &mut Table) -> Option<AreaYear> {
    let area = t.req_id(cx, "area");
    let year = t.req_year(cx, "year");
    let figures = AreaYear {
        households: t.opt_count(cx, "households"),
        population: t.opt_count(cx, "population"),
        labourers: t.opt_count(cx, "labourers"),
        farmland_mu: t.opt_amount(cx, "farmland_mu"),
        note: t.opt_str(cx, "note"),
        updated: t.opt_date(cx, "updated"),
        span: t.span(cx),
        area: area?,
        year: year?,
    };
    Some(figures)
}

/// Reads one table with `read`, then reports the table's unknown fields, even
/// when a required field was missing or wrong and `read` gave up early: every
/// mistake of a record is reported in the same run.
fn read_table<'a, 'i, T>(
    cx: &mut Ctx,
    mut t: Table<'a, 'i>,
    read: impl FnOnce(&mut Ctx, &mut Table<'a, 'i>) -> Option<T>,
) -> Option<T> {
    let out = read(cx, &mut t);
    t.finish(cx);
    out
}

/// Reads `id` first and renames the table after it, so later messages name the record.
fn read_record_id(cx: &mut Ctx, t: &mut Table, kind: &str) -> Option<Id> {
    let id = t.req_id(cx, "id");
    if let Some(id) = &id {
        t.rename(kind, &id.value);
    }
    id
}

fn read_area(cx: &mut Ctx, t: &mut Table) -> Option<Area> {
    let id = read_record_id(cx, t, "area");
    let name = t.req_str(cx, "name");
    let level = t.req_choice(cx, "level", Level::ACCEPTED);
    let area = Area {
        parent: t.opt_id(cx, "parent"),
        households: t.opt_count(cx, "households"),
        population: t.opt_count(cx, "population"),
        labourers: t.opt_count(cx, "labourers"),
        farmland_mu: t.opt_amount(cx, "farmland_mu"),
        grain_per_capita_kg: t.opt_amount(cx, "grain_per_capita_kg"),
        tags: t.opt_str_list(cx, "tags"),
        summary: t.opt_str(cx, "summary"),
        notice: read_notice(cx, t),
        updated: t.opt_date(cx, "updated"),
        span: t.span(cx),
        id: id?,
        name: name?,
        level: level?,
    };
    Some(area)
}

fn read_stated(cx: &mut Ctx, t: Option<Table>) -> Stated {
    let Some(mut t) = t else {
        return Stated::default();
    };
    let mut corrections = Vec::new();
    let mut count = |cx: &mut Ctx, t: &mut Table, key: &'static str| {
        read_stated_count(cx, t, key, &mut corrections)
    };
    let mut s = Stated {
        projects: count(cx, &mut t, "projects"),
        categories: count(cx, &mut t, "categories"),
        townships: count(cx, &mut t, "townships"),
        villages: count(cx, &mut t, "villages"),
        completed: count(cx, &mut t, "completed"),
        under_construction: count(cx, &mut t, "under_construction"),
        not_started: count(cx, &mut t, "not_started"),
        households: count(cx, &mut t, "households"),
        people: count(cx, &mut t, "people"),
        labourers: count(cx, &mut t, "labourers"),
        beneficiaries: count(cx, &mut t, "beneficiaries"),
        corrections: Vec::new(),
    };
    s.corrections = corrections;
    t.finish(cx);
    s
}

/// A stated count: a number, or a correction
/// `{ stated = 25, corrected = 27, date = 2020-01-15, reason = "..." }`,
/// which gives the corrected value (and records the correction).
fn read_stated_count(
    cx: &mut Ctx,
    t: &mut Table,
    key: &'static str,
    corrections: &mut Vec<Correction>,
) -> Option<At<u64>> {
    let is_table = matches!(
        t.get_any(key).map(|v| v.get_ref()),
        Some(toml::de::DeValue::Table(_))
    );
    if !is_table {
        return t.opt_count(cx, key);
    }
    let mut c = t.opt_table(cx, key)?;
    let stated = c.req_count(cx, "stated");
    let corrected = c.req_count(cx, "corrected");
    let date = c.req_date(cx, "date");
    let reason = c.req_str(cx, "reason");
    let span = c.span(cx);
    c.finish(cx);
    let corrected = corrected?;
    corrections.push(Correction {
        field: key,
        stated: stated?,
        corrected: corrected.clone(),
        date: date?,
        reason: reason?,
        span,
    });
    Some(corrected)
}

fn read_funds(cx: &mut Ctx, t: &mut Table) -> Option<Funds> {
    let total = t.req_amount(cx, "total");
    let mut levels = Vec::new();
    if let Some(mut lt) = t.opt_table(cx, "fiscal_levels") {
        for (key, level) in FiscalLevel::CHOICES {
            if let Some(v) = lt.opt_amount(cx, key) {
                levels.push((*level, v));
            }
        }
        lt.finish(cx);
    }
    let funds = Funds {
        villagers: t.opt_amount(cx, "villagers"),
        cash: t.opt_amount(cx, "cash"),
        labour_days: t.opt_count(cx, "labour_days"),
        labour_rate: t.opt_amount(cx, "labour_rate"),
        labour_value: t.opt_amount(cx, "labour_value"),
        fiscal: t.opt_amount(cx, "fiscal"),
        fiscal_levels: levels,
        fiscal_note: t.opt_str(cx, "fiscal_note"),
        social: t.opt_amount(cx, "social"),
        span: t.span(cx),
        total: total?,
    };
    Some(funds)
}

fn read_share(cx: &mut Ctx, mut t: Table) -> Option<Share> {
    let part = t.req_choice(cx, "part", FiscalLevel::ACCEPTED);
    let of = t.req_choice(cx, "of", &[("fiscal", ())]);
    let ratio = t.req_str(cx, "ratio");
    let tolerance = t.opt_amount(cx, "tolerance");
    let span = t.span(cx);
    let ratio_field = t.field_path("ratio");
    t.finish(cx);
    let ratio = ratio?;
    let Some((numerator, denominator)) = parse_ratio(&ratio.value) else {
        let d = Diagnostic::error(
            RuleId::LoadBadNumber,
            cx.t(Msg::BadNumber { field: "ratio" }),
        )
        .at(ratio.span.clone(), cx.t(Msg::LabelThisValue))
        .field(ratio_field)
        .expected_found("\"2/3\" | \"0.5\"", format!("\"{}\"", ratio.value));
        cx.diags.push(d);
        return None;
    };
    let of = of?;
    Some(Share {
        part: part?,
        of: At::new("fiscal".to_string(), of.span),
        numerator,
        denominator,
        ratio_text: ratio,
        tolerance,
        span,
    })
}

/// Reads `2/3` or `0.5` as a fraction with a non-zero denominator, at most 1.
fn parse_ratio(s: &str) -> Option<(Decimal, Decimal)> {
    let (n, d) = match s.split_once('/') {
        Some((n, d)) => (
            super::toml_reader::parse_decimal(n)?,
            super::toml_reader::parse_decimal(d)?,
        ),
        None => (super::toml_reader::parse_decimal(s)?, Decimal::ONE),
    };
    (!d.is_zero() && n >= Decimal::ZERO && n <= d).then_some((n, d))
}

fn read_programme(cx: &mut Ctx, t: &mut Table) -> Option<Programme> {
    let id = read_record_id(cx, t, "programme");
    let name = t.req_str(cx, "name");
    let year = t.req_year(cx, "year");
    let area = t.req_id(cx, "area");
    let stated_table = t.opt_table(cx, "stated");
    let stated = read_stated(cx, stated_table);
    let funds = t
        .opt_table(cx, "funds")
        .and_then(|f| read_table(cx, f, read_funds));
    let shares = t
        .opt_tables(cx, "share")
        .into_iter()
        .filter_map(|s| read_share(cx, s))
        .collect();
    let programme = Programme {
        kind: t.opt_str(cx, "kind"),
        covers: t.opt_id_list(cx, "covers"),
        plan: t.opt_str(cx, "plan"),
        summary: t.opt_str(cx, "summary"),
        stated,
        funds,
        shares,
        notice: read_notice(cx, t),
        span: t.span(cx),
        id: id?,
        name: name?,
        year: year?,
        area: area?,
    };
    Some(programme)
}

/// `notice = { start = 2020-03-01, end = 2020-03-15 }` (or a `[programme.notice]`
/// table): when the record's 公示 is posted. The checker judges the period.
fn read_notice(cx: &mut Ctx, t: &mut Table) -> Option<Notice> {
    let mut n = t.opt_table(cx, "notice")?;
    let start = n.req_date(cx, "start");
    let end = n.req_date(cx, "end");
    let span = n.span(cx);
    n.finish(cx);
    Some(Notice {
        start: start?,
        end: end?,
        span,
    })
}

fn read_quantity(cx: &mut Ctx, mut t: Table) -> Option<Quantity> {
    let q = (
        t.req_str(cx, "what"),
        t.req_amount(cx, "value"),
        t.req_str(cx, "unit"),
    );
    t.finish(cx);
    Some(Quantity {
        what: q.0?,
        value: q.1?,
        unit: q.2?,
    })
}

fn read_project(cx: &mut Ctx, t: &mut Table) -> Option<Project> {
    let id = read_record_id(cx, t, "project");
    let name = t.req_str(cx, "name");
    let area = t.req_id(cx, "area");
    let year = t.req_year(cx, "year");
    let category = t.req_str(cx, "category");
    let span = t.span(cx);
    let count = t
        .opt_count(cx, "count")
        .unwrap_or_else(|| At::new(1, span.clone()));
    let quantities = t
        .opt_tables(cx, "quantities")
        .into_iter()
        .filter_map(|q| read_quantity(cx, q))
        .collect();
    let funds = t
        .req_table(cx, "funds")
        .and_then(|f| read_table(cx, f, read_funds));
    let project = Project {
        programme: t.opt_id(cx, "programme"),
        status: t.opt_choice(cx, "status", Status::ACCEPTED),
        beneficiaries: t.opt_count(cx, "beneficiaries"),
        outcomes: t.opt_str_list(cx, "outcomes"),
        summary: t.opt_str(cx, "summary"),
        quantities,
        count,
        notice: read_notice(cx, t),
        span,
        id: id?,
        name: name?,
        area: area?,
        year: year?,
        category: category?,
        funds: funds?,
    };
    Some(project)
}

fn read_tally(cx: &mut Ctx, t: Option<Table>, kind: ProgressKind) -> Option<Tally> {
    let mut t = t?;
    let (start, is_target) = if kind == ProgressKind::Relocation {
        (t.opt_count(cx, "target"), true)
    } else {
        (t.opt_count(cx, "start"), false)
    };
    let tally = Tally {
        start,
        is_target,
        done: t.opt_count(cx, "done"),
        remaining: t.opt_count(cx, "remaining"),
        this_year: t.opt_count(cx, "this_year"),
        span: t.span(cx),
    };
    t.finish(cx);
    Some(tally)
}

fn read_progress(cx: &mut Ctx, t: &mut Table) -> Option<Progress> {
    let area = t.req_id(cx, "area");
    let year = t.req_year(cx, "year");
    let kind = t.req_choice(cx, "kind", ProgressKind::ACCEPTED);
    // The tally fields depend on the kind; an unreadable kind still reads as poverty
    // so that the tables' other mistakes are reported in the same run.
    let k = kind
        .as_ref()
        .map(|k| k.value)
        .unwrap_or(ProgressKind::Poverty);
    let households = t.opt_table(cx, "households");
    let households = read_tally(cx, households, k);
    let people = t.opt_table(cx, "people");
    let people = read_tally(cx, people, k);
    let villages = t.opt_table(cx, "villages");
    let villages = read_tally(cx, villages, k);
    let progress = Progress {
        label: t.opt_str(cx, "label"),
        incidence: t.opt_amount(cx, "incidence"),
        housing_m2_per_person: t.opt_amount(cx, "housing_m2_per_person"),
        change_reason: t.opt_str(cx, "change_reason"),
        updated: t.opt_date(cx, "updated"),
        households,
        people,
        villages,
        span: t.span(cx),
        area: area?,
        year: year?,
        kind: kind?,
    };
    Some(progress)
}

fn read_exit(cx: &mut Ctx, t: &mut Table) -> Option<Exit> {
    let area = t.req_id(cx, "area");
    let year = t.req_year(cx, "year");
    let status = t.req_choice(cx, "status", ExitStatus::ACCEPTED);
    let mut indicators = Vec::new();
    if let Some(it) = t.req_table(cx, "indicators") {
        // Keys are checked against the configured set by the checker, which knows it.
        for (key, key_span) in it.keys() {
            let Some(v) = it_value(&it, key) else {
                continue;
            };
            let field = it.field_path(key);
            let value = match v.get_ref() {
                toml::de::DeValue::Boolean(b) => Some(IndicatorValue::Met(*b)),
                toml::de::DeValue::String(s) if super::toml_reader::yes_no(s).is_some() => {
                    super::toml_reader::yes_no(s).map(IndicatorValue::Met)
                }
                _ => super::toml_reader::read_amount(cx, &field, v)
                    .map(|a| IndicatorValue::Percent(a.value)),
            };
            if let Some(value) = value {
                indicators.push((
                    At::new(key.to_string(), cx.span(key_span)),
                    At::new(value, cx.span(v.span())),
                ));
            }
        }
    }
    let exit = Exit {
        note: t.opt_str(cx, "note"),
        change_reason: t.opt_str(cx, "change_reason"),
        updated: t.opt_date(cx, "updated"),
        span: t.span(cx),
        indicators,
        area: area?,
        year: year?,
        status: status?,
    };
    Some(exit)
}

fn it_value<'a, 'i>(
    t: &Table<'a, 'i>,
    key: &str,
) -> Option<&'a toml::Spanned<toml::de::DeValue<'i>>> {
    t.get_any(key)
}

fn read_activity(cx: &mut Ctx, t: &mut Table) -> Option<Activity> {
    let id = read_record_id(cx, t, "activity");
    let area = t.req_id(cx, "area");
    let year = t.req_year(cx, "year");
    let kind = t.req_choice(cx, "kind", ActivityKind::ACCEPTED);
    let name = t.req_str(cx, "name");
    let activity = Activity {
        team: t.opt_str(cx, "team"),
        frequency: t.opt_choice(cx, "frequency", Frequency::ACCEPTED),
        planned: t.opt_count(cx, "planned"),
        held: t.opt_count(cx, "held"),
        date: t.opt_date(cx, "date"),
        participants: t.opt_count(cx, "participants"),
        summary: t.opt_str(cx, "summary"),
        span: t.span(cx),
        id: id?,
        area: area?,
        year: year?,
        kind: kind?,
        name: name?,
    };
    Some(activity)
}

fn read_milestone(cx: &mut Ctx, mut t: Table) -> Option<Milestone> {
    let plan = t.req_str(cx, "plan");
    let label = t.req_str(cx, "label");
    let year = t.opt_year(cx, "year");
    let due = t.raw("due");
    let span = t.span(cx);
    let due = match due {
        None => {
            let msg = cx.t(Msg::MissingField {
                field: "due",
                table: &t.name,
            });
            let d = Diagnostic::error(RuleId::LoadMissingField, msg)
                .at(span.clone(), cx.t(Msg::LabelThisTable))
                .field(t.field_path("due"));
            cx.diags.push(d);
            None
        }
        Some(v) => read_due(cx, &t.field_path("due"), v, year.map(|y| y.value)),
    };
    t.finish(cx);
    Some(Milestone {
        plan: plan?,
        label: label?,
        due: due?,
        span,
    })
}

fn read_due(
    cx: &mut Ctx,
    field: &str,
    v: &toml::Spanned<toml::de::DeValue>,
    year: Option<i32>,
) -> Option<At<Due>> {
    let parsed = match v.get_ref() {
        toml::de::DeValue::String(s) => Due::parse_in(s, year),
        toml::de::DeValue::Datetime(_) => {
            return super::toml_reader::read_date(cx, field, v)
                .map(|d| At::new(Due::day(d.value), d.span));
        }
        _ => Err(DueError::Unreadable),
    };
    match parsed {
        Ok(d) => Some(At::new(d, cx.span(v.span()))),
        Err(e) => {
            let found = super::toml_reader::describe(cx.lang, v.get_ref());
            let hint = match e {
                DueError::Unreadable => Msg::DueHint,
                DueError::NoYear => Msg::DueNoYearHint,
                DueError::MonthBy { month } => Msg::DueMonthByHint { month },
            };
            let d = Diagnostic::error(RuleId::LoadBadDate, cx.t(Msg::BadDate { field }))
                .at(cx.span(v.span()), cx.t(Msg::LabelThisValue))
                .field(field)
                .expected_found(
                    "2020-03-15 | \"2020年3月中旬\" | \"2020年4月中旬前\" | \"2020年6月底\" | \"2020年6月\" | \"2020年7月至12月 每月\"",
                    found,
                )
                .hint(cx.t(hint));
            cx.diags.push(d);
            None
        }
    }
}

fn read_relapse(cx: &mut Ctx, t: &mut Table) -> Option<Relapse> {
    let area = t.req_id(cx, "area");
    let year = t.req_year(cx, "year");
    let relapse = Relapse {
        households: t.opt_count(cx, "households"),
        people: t.opt_count(cx, "people"),
        rate: t.opt_amount(cx, "rate"),
        span: t.span(cx),
        area: area?,
        year: year?,
    };
    Some(relapse)
}

/// `[[privacy_ack]]` (data) or `privacy_ack = [...]` (front matter): a number
/// the clerk confirms is not personal, with the reason.
pub fn read_ack(cx: &mut Ctx, mut t: Table) -> Option<PrivacyAck> {
    let value = t.req_str(cx, "value");
    let reason = t.req_str(cx, "reason");
    t.finish(cx);
    Some(PrivacyAck {
        value: value?,
        reason: reason?,
        file: cx.file,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kinds the "unknown kind" message lists are the kinds read.
    #[test]
    fn the_listed_kinds_are_the_record_kinds() {
        let keys: Vec<&str> = RecordKind::CHOICES.iter().map(|(k, _)| *k).collect();
        assert_eq!(KINDS, keys.join(", "));
    }
}
