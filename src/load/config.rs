//! Reads `cunwu.toml`, the site settings.

use super::toml_reader::{Ctx, Table, parse_document};
use crate::messages::Lang;
use crate::messages::Msg;
use crate::model::{
    AttachmentConfig, Config, ExitIndicator, NoticeConfig, PrivacyConfig, ProseFigures,
};
use crate::rule::RuleId;
use crate::source::At;

/// Reads the settings; missing required fields are reported and defaulted so
/// that the rest of the portal is still checked in the same run.
pub fn read_config(cx: &mut Ctx, text: &str, root: &std::path::Path) -> Config {
    let mut config = Config {
        title: String::new(),
        county: At::new(String::new(), crate::source::Span::file_start(cx.file)),
        lang: Lang::Zh,
        base_url: None,
        description: None,
        exit_indicators: ExitIndicator::default_set(),
        privacy: PrivacyConfig::default(),
        notice: NoticeConfig::default(),
        file: Some(cx.file),
        prose_figures: ProseFigures::default(),
        attachments: AttachmentConfig::default(),
    };
    let Some(doc) = parse_document(cx, text) else {
        return config;
    };
    let mut t = Table::new(doc.get_ref(), 0..0, "cunwu.toml".into(), String::new());
    if let Some(title) = t.req_str(cx, "title") {
        config.title = title.value;
    }
    if let Some(county) = t.req_id(cx, "county") {
        config.county = county;
    }
    if let Some(lang) = t.opt_choice(
        cx,
        "lang",
        &[("zh-CN", Lang::Zh), ("zh", Lang::Zh), ("en", Lang::En)],
    ) {
        config.lang = lang.value;
    }
    config.base_url = t.opt_str(cx, "base_url").and_then(|u| {
        if is_http_url(&u.value) {
            return Some(normalise_base_url(&u.value));
        }
        // `javascript:`, `file:`, a bare path...: it ends up in links and feeds.
        let d = crate::diag::Diagnostic::error(RuleId::ConfigBaseUrl, cx.t(Msg::BaseUrlNotHttp))
            .at(u.span.clone(), cx.t(Msg::LabelThisValue))
            .field("base_url")
            .expected_found(
                "https://…",
                format!(
                    "\"{}\"",
                    crate::diag::escape_controls(crate::diag::clip(&u.value, 80))
                ),
            );
        cx.diags.push(d);
        None
    });
    config.description = t.opt_str(cx, "description").map(|d| d.value);
    let indicators: Vec<ExitIndicator> = t
        .opt_tables(cx, "exit_indicator")
        .into_iter()
        .filter_map(|it| read_indicator(cx, it))
        .collect();
    if !indicators.is_empty() {
        config.exit_indicators = indicators;
    }
    if let Some(p) = t.opt_table(cx, "privacy") {
        config.privacy = read_privacy(cx, p, root);
    }
    if let Some(n) = t.opt_table(cx, "notice") {
        config.notice = read_notice(cx, n);
    }
    if let Some(mut c) = t.opt_table(cx, "checks") {
        if let Some(v) = c.opt_choice(cx, "prose_figures", ProseFigures::ACCEPTED) {
            config.prose_figures = v.value;
        }
        c.finish(cx);
    }
    if let Some(mut a) = t.opt_table(cx, "attachments") {
        if let Some(kb) = a.opt_count(cx, "max_size_kb") {
            config.attachments.max_size_kb = kb.value;
        }
        a.finish(cx);
    }
    t.finish(cx);
    config
}

fn read_indicator(cx: &mut Ctx, mut t: Table) -> Option<ExitIndicator> {
    // Indicator keys are written like field names (`poverty_incidence`), so `_` is allowed.
    let key = t.req_str(cx, "key").filter(|k| {
        let ok = !k.value.is_empty()
            && k.value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !ok {
            let d = crate::diag::Diagnostic::error(
                RuleId::LoadBadId,
                cx.t(crate::messages::Msg::NotAnId { field: "key" }),
            )
            .at(k.span.clone(), cx.t(crate::messages::Msg::LabelThisValue))
            .field("exit_indicator.key")
            .expected_found("a-z, 0-9, _ or -", format!("\"{}\"", k.value));
            cx.diags.push(d);
        }
        ok
    });
    let name = t.req_str(cx, "name");
    let below = t.opt_amount(cx, "below").map(|b| b.value);
    t.finish(cx);
    Some(ExitIndicator {
        key: key?.value,
        name: name?.value,
        below,
    })
}

/// `http://…` or `https://…` (any case) with a host: the only addresses a
/// published site may live at.
fn is_http_url(url: &str) -> bool {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && !r.starts_with('/')
            && !r
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'))
    })
}

fn normalise_base_url(url: &str) -> String {
    let url = url.trim();
    if url.is_empty() || url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

fn read_privacy(cx: &mut Ctx, mut t: Table, root: &std::path::Path) -> PrivacyConfig {
    let defaults = PrivacyConfig::default();
    let p = PrivacyConfig {
        min_count: match t.opt_count(cx, "min_count") {
            // Protection cannot be switched off by setting k to 0 or 1.
            Some(k) if k.value < 3 => {
                let d = crate::diag::Diagnostic::error(
                    RuleId::PrivacyMinCount,
                    cx.t(crate::messages::Msg::MinCountTooLow { k: k.value }),
                )
                .at(k.span.clone(), cx.t(crate::messages::Msg::LabelThisValue))
                .field("privacy.min_count")
                .expected_found(">= 3", k.value.to_string());
                cx.diags.push(d);
                defaults.min_count
            }
            Some(k) => k.value,
            None => defaults.min_count,
        },
        allow: t.opt_str_list(cx, "allow"),
        private_paths: t
            .opt_str_list(cx, "private")
            .into_iter()
            .filter_map(|p| private_path(cx, &p, root))
            .collect(),
    };
    t.finish(cx);
    p
}

/// One `[privacy] private` path, normalised ([`super::normalise_private_path`]);
/// a path that would mark everything private, or one outside the portal, is
/// an error, and one that does not exist a warning (it protects nothing).
fn private_path(cx: &mut Ctx, p: &At<String>, root: &std::path::Path) -> Option<String> {
    use crate::diag::Diagnostic;
    use crate::messages::Msg;
    let shown = p.value.as_str();
    let (rule, msg, error) = match super::normalise_private_path(shown) {
        Some(path) if path.is_empty() || path == "data" || path == "content" => (
            RuleId::PrivacyPrivatePath.as_str(),
            Msg::PrivatePathEverything { path: shown },
            true,
        ),
        Some(path) => {
            if super::exists_ignoring_case(root, &path) {
                return Some(path);
            }
            (
                RuleId::PrivacyPrivatePathMissing.as_str(),
                Msg::PrivatePathMissing { path: shown },
                false,
            )
        }
        None => (
            RuleId::PrivacyPrivatePath.as_str(),
            Msg::PrivatePathOutside { path: shown },
            true,
        ),
    };
    let d = if error {
        Diagnostic::error(rule, cx.t(msg))
    } else {
        Diagnostic::warning(rule, cx.t(msg))
    };
    cx.diags.push(
        d.at(p.span.clone(), cx.t(Msg::LabelThisValue))
            .field("privacy.private"),
    );
    // A missing path is still kept: it may be created later (the preview).
    (!error)
        .then(|| super::normalise_private_path(shown))
        .flatten()
}

/// `[notice]`: the supervision lines printed on 公示 pages.
fn read_notice(cx: &mut Ctx, mut t: Table) -> NoticeConfig {
    let text = |v: Option<At<String>>| {
        v.map(|s| s.value.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let n = NoticeConfig {
        hotline: text(t.opt_str(cx, "hotline")),
        county_line: text(t.opt_str(cx, "county_line")),
    };
    t.finish(cx);
    n
}
