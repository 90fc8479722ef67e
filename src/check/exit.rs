//! Rule group 7: `exit.indicators`. Every exit record lists each indicator of the
//! configured set (`[[exit_indicator]]` in `cunwu.toml`, by default 四通四有一无一低)
//! with the right kind of value, and no other; a village marked `exited` meets
//! every one: flags are `true`, `below` figures are strictly below their limit.

use super::Checker;
use crate::diag::Diagnostic;
use crate::messages::Msg;
use crate::model::{Exit, ExitStatus, IndicatorValue};
use crate::rule::RuleId;

/// `exit[fenshui/2020]`: how findings name an exit record.
pub fn path(e: &Exit) -> String {
    format!("exit[{}/{}]", e.area.value, e.year.value)
}

pub fn check(c: &mut Checker) {
    c.each_file_kept(|k| &mut k.exit, scoped);
}

/// Each exit record of the scope against the portal's indicator set.
fn scoped(c: &mut Checker) {
    let p = c.portal;
    if c.scope.records.exits.is_empty() {
        return;
    }
    let set = &p.config.exit_indicators;
    let known = set
        .iter()
        .map(|i| i.key.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    for e in c.scope.records.exits {
        c.ran(RuleId::ExitIndicators);
        let path = path(e);
        let exited = e.status.value == ExitStatus::Exited;
        for (key, _) in &e.indicators {
            if set.iter().any(|i| i.key == key.value) {
                continue;
            }
            let msg = c.t(Msg::IndicatorUnknown {
                key: &key.value,
                known: &known,
            });
            let d = Diagnostic::error(RuleId::ExitIndicators, msg)
                .at(key.span.clone(), c.t(Msg::LabelHere))
                .field(format!("{path}.indicators.{}", key.value))
                .expected_found(known.clone(), key.value.clone())
                .hint(c.t(Msg::ExitIndicatorHint));
            c.report(d);
        }
        for ind in set {
            let field = format!("{path}.indicators.{}", ind.key);
            let Some((_, value)) = e.indicators.iter().find(|(k, _)| k.value == ind.key) else {
                let msg = c.t(Msg::IndicatorMissing {
                    name: &ind.name,
                    key: &ind.key,
                });
                let d = Diagnostic::error(RuleId::ExitIndicators, msg)
                    .at(
                        e.area.span.clone(),
                        c.t(Msg::LabelMissingIndicator { name: &ind.name }),
                    )
                    .field(field)
                    .expected_found(
                        match ind.below {
                            Some(below) => format!("{} < {below}", ind.key),
                            None => format!("{} = true", ind.key),
                        },
                        "—",
                    )
                    .hint(c.t(Msg::ExitIndicatorHint));
                c.report(d);
                continue;
            };
            let shown = match value.value {
                IndicatorValue::Met(b) => b.to_string(),
                IndicatorValue::Percent(x) => x.to_string(),
            };
            let label = c.t(Msg::LabelIndicator {
                name: &ind.name,
                value: &shown,
            });
            let (msg, expected) = match (ind.below, value.value) {
                (None, IndicatorValue::Percent(_)) => (
                    Msg::IndicatorWrongType {
                        name: &ind.name,
                        key: &ind.key,
                        flag: true,
                    },
                    "true".to_string(),
                ),
                (Some(below), IndicatorValue::Met(_)) => (
                    Msg::IndicatorWrongType {
                        name: &ind.name,
                        key: &ind.key,
                        flag: false,
                    },
                    format!("< {below}"),
                ),
                (None, IndicatorValue::Met(false)) if exited => (
                    Msg::IndicatorNotMet {
                        name: &ind.name,
                        key: &ind.key,
                    },
                    "true".to_string(),
                ),
                (Some(below), IndicatorValue::Percent(x)) if exited && x >= below => (
                    Msg::IndicatorNotBelow {
                        name: &ind.name,
                        key: &ind.key,
                        value: &shown,
                        below: &below.to_string(),
                    },
                    format!("< {below}"),
                ),
                _ => continue,
            };
            let mut d =
                Diagnostic::error(RuleId::ExitIndicators, c.t(msg)).at(value.span.clone(), label);
            if exited {
                d = d.at(e.status.span.clone(), c.t(Msg::LabelExited));
            }
            let d = d
                .field(field)
                .expected_found(expected, shown)
                .hint(c.t(Msg::ExitIndicatorHint));
            c.report(d);
        }
    }
}
