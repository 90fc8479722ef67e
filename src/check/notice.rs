//! `notice.period`: a public notice (公示) stays posted for at least
//! [`MIN_DAYS`] days, both ends counted, and never ends before it starts.
//! Looks at the `notice` of every programme, project and area that has one.

use super::Checker;
use crate::diag::Diagnostic;
use crate::messages::{Lang, Msg};
use crate::model::Notice;
use crate::rule::RuleId;

/// The shortest notice period, in days (start and end day included).
pub const MIN_DAYS: i64 = 10;

pub fn check(c: &mut Checker) {
    let p = c.portal;
    // The record's path is written only for a record with a notice: most
    // of a province's records have none.
    let records = p
        .programmes
        .iter()
        .map(|g| ("programme", &g.id.value, g.notice.as_ref()))
        .chain(
            p.projects
                .iter()
                .map(|j| ("project", &j.id.value, j.notice.as_ref())),
        )
        .chain(
            p.areas
                .iter()
                .map(|a| ("area", &a.id.value, a.notice.as_ref())),
        );
    for (kind, id, notice) in records {
        if let Some(n) = notice {
            period(c, &format!("{kind}[{id}]"), n);
        }
    }
}

fn period(c: &mut Checker, path: &str, n: &Notice) {
    c.ran(RuleId::NoticePeriod);
    let start = n.start.value.to_string();
    let end = n.end.value.to_string();
    let days = n.days();
    let (msg, field, expected, found) = if n.end.value < n.start.value {
        (
            Msg::NoticeEndBeforeStart {
                start: &start,
                end: &end,
            },
            format!("{path}.notice.end"),
            format!(">= {start}"),
            end.clone(),
        )
    } else if days < MIN_DAYS {
        let word = match c.lang {
            Lang::Zh => "天",
            Lang::En => "days",
        };
        (
            Msg::NoticeTooShort {
                start: &start,
                end: &end,
                days,
                min: MIN_DAYS,
            },
            format!("{path}.notice"),
            format!(">= {MIN_DAYS} {word}"),
            format!("{days} {word}"),
        )
    } else {
        return;
    };
    let d = Diagnostic::error(RuleId::NoticePeriod, c.t(msg))
        .at(n.end.span.clone(), c.t(Msg::LabelNoticeEnd { date: &end }))
        .at(
            n.start.span.clone(),
            c.t(Msg::LabelNoticeStart { date: &start }),
        )
        .field(field)
        .expected_found(expected, found)
        .hint(c.t(Msg::NoticeHint));
    c.report(d);
}
