//! Limits on one document's body that keep every stage linear and a page a
//! few megabytes at most (docs/limits.md): how many shortcodes it has, and
//! how deeply its HTML tags and Markdown quotes and lists nest. Past a limit
//! the document is a finding; it is never rendered.

use super::Checker;
use crate::diag::Diagnostic;
use crate::messages::Msg;
use crate::model::Page;
use crate::rule::RuleId;
use crate::source::Span;

/// Shortcodes in one document at most.
pub const MAX_SHORTCODES: usize = 500;

/// Nesting of HTML elements, quotes and lists in one document at most.
pub const MAX_NESTING: usize = 100;

pub fn check(c: &mut Checker) {
    c.each_page_in_parallel(check_page);
}

/// Checks one document's body against the limits.
pub fn check_page(c: &mut Checker, page: &Page) {
    let span = |at: usize| Span {
        file: page.file,
        range: page.body_offset + at..page.body_offset + at + 1,
    };
    if let Some((at, _)) = page.body.match_indices("{{<").nth(MAX_SHORTCODES) {
        let count = page.body.matches("{{<").count();
        let d = Diagnostic::error(
            RuleId::LimitShortcodes,
            c.t(Msg::TooManyShortcodes {
                count,
                max: MAX_SHORTCODES,
            }),
        )
        .at(span(at), c.t(Msg::LabelHere))
        .hint(c.t(Msg::LimitsHint));
        c.report(d);
    }
    if let Some(at) = too_deep(&page.body, MAX_NESTING) {
        let d = Diagnostic::error(
            RuleId::LimitNesting,
            c.t(Msg::NestedTooDeep { max: MAX_NESTING }),
        )
        .at(span(at), c.t(Msg::LabelHere))
        .hint(c.t(Msg::LimitsHint));
        c.report(d);
    }
}

/// Elements without an end tag, or whose end tag may be left out: they do
/// not deepen the nesting.
const UNNESTED: [&str; 28] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
    "tbody", "tfoot", "colgroup", "rt",
];

/// The byte offset where the body first nests deeper than `max`: HTML
/// elements opened and not yet closed, or `>` quotes and indented lists at
/// the start of a line. One pass, linear in the body.
pub fn too_deep(body: &str, max: usize) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut depth: usize = 0;
    let mut line_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if line_start {
            line_start = false;
            // Quotes and indentation at the start of a line.
            let mut j = i;
            let mut level = 0usize;
            let mut spaces = 0usize;
            while j < bytes.len() && matches!(bytes[j], b'>' | b' ' | b'\t') {
                match bytes[j] {
                    b'>' => level += 1,
                    b'\t' => spaces += 4,
                    _ => spaces += 1,
                }
                j += 1;
            }
            if level + spaces / 2 > max {
                return Some(i);
            }
        }
        match b {
            b'\n' => line_start = true,
            b'<' => {
                let rest = &bytes[i + 1..];
                if rest.first() == Some(&b'/') {
                    if rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
                        let name = tag_name(&rest[1..]);
                        if !UNNESTED.contains(&name.as_str()) {
                            depth = depth.saturating_sub(1);
                        }
                    }
                } else if rest.first().is_some_and(u8::is_ascii_alphabetic) {
                    let name = tag_name(rest);
                    let end = rest.iter().position(|&c| c == b'>');
                    let self_closing = end.is_some_and(|e| e > 0 && rest[e - 1] == b'/');
                    if !self_closing && !UNNESTED.contains(&name.as_str()) {
                        depth += 1;
                        if depth > max {
                            return Some(i);
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn tag_name(s: &[u8]) -> String {
    s.iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .take(16)
        .map(|c| c.to_ascii_lowercase() as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_measured_in_html_and_markdown() {
        assert_eq!(too_deep("<div><div></div></div>", 1), Some(5));
        assert_eq!(too_deep("<div><br><p>a<p>b<img src=x/></div>", 1), None);
        assert_eq!(too_deep(&">".repeat(200), 100), Some(0));
        assert_eq!(too_deep("<div>x</div>".repeat(1000).as_str(), 1), None);
        let deep = "<div>".repeat(100_000);
        assert_eq!(too_deep(&deep, 100), Some(500));
    }
}
