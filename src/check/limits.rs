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
    // A document's limits are its own text's: in the preview, only edited
    // documents are read again.
    let edited = |d: &super::kept::Dirty| (!d.all).then(|| d.changed());
    c.each_file_kept_where(
        |k| &mut k.limits,
        edited,
        |c| {
            let pages = c.scope.pages;
            c.each_in_parallel(pages, check_page);
        },
    );
}

/// Checks one document's body against the limits.
pub fn check_page(c: &mut Checker, page: &Page) {
    let span = |at: usize| Span {
        file: page.file,
        range: page.body_offset + at..page.body_offset + at + 1,
    };
    // Every document is searched: memchr's finder, not `str::matches`.
    let opening = memchr::memmem::Finder::new("{{<");
    if let Some(at) = opening.find_iter(page.body.as_bytes()).nth(MAX_SHORTCODES) {
        let count = opening.find_iter(page.body.as_bytes()).count();
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
/// the start of a line. One pass, linear in the body: it jumps from one `<`
/// or line break to the next, and looks for a tag's end only up to the next
/// `<`, so no byte is read more than a few times.
pub fn too_deep(body: &str, max: usize) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut depth: usize = 0;
    if line_too_deep(bytes, 0, max) {
        return Some(0);
    }
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b'<', b'\n', &bytes[i..]) {
        let at = i + k;
        i = at + 1;
        if bytes[at] == b'\n' {
            if line_too_deep(bytes, i, max) {
                return Some(i);
            }
            continue;
        }
        let rest = &bytes[i..];
        if rest.first() == Some(&b'/') {
            if rest.get(1).is_some_and(u8::is_ascii_alphabetic) && nests(&rest[1..]) {
                depth = depth.saturating_sub(1);
            }
        } else if rest.first().is_some_and(u8::is_ascii_alphabetic) && nests(rest) {
            let end = memchr::memchr2(b'>', b'<', rest).filter(|&e| rest[e] == b'>');
            let self_closing = end.is_some_and(|e| e > 0 && rest[e - 1] == b'/');
            if !self_closing {
                depth += 1;
                if depth > max {
                    return Some(at);
                }
            }
        }
    }
    None
}

/// Whether the line starting at `at` opens more than `max` levels of `>`
/// quotes and indentation (two spaces a level).
fn line_too_deep(bytes: &[u8], at: usize, max: usize) -> bool {
    let mut level = 0usize;
    let mut spaces = 0usize;
    for &b in bytes.get(at..).unwrap_or_default() {
        match b {
            b'>' => level += 1,
            b'\t' => spaces += 4,
            b' ' => spaces += 1,
            _ => break,
        }
    }
    level + spaces / 2 > max
}

/// Whether the element whose name starts `s` deepens the nesting (is not
/// one of [`UNNESTED`]); compared without allocating.
fn nests(s: &[u8]) -> bool {
    let len = s
        .iter()
        .take(16)
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    let name = &s[..len];
    !UNNESTED
        .iter()
        .any(|u| u.as_bytes().eq_ignore_ascii_case(name))
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
        // Quotes and indentation count on every line, not only the first.
        assert_eq!(too_deep(&format!("a\n{}", "> ".repeat(101)), 100), Some(2));
        assert_eq!(
            too_deep(&format!("a\n{}- x", " ".repeat(210)), 100),
            Some(2)
        );
        assert_eq!(too_deep("<DIV><Div>", 1), Some(5));
        assert_eq!(too_deep("<br/><hr/><x/>", 0), None);
    }

    /// Tags that never end, or a `<` before every `>`: each byte is read a
    /// bounded number of times (this took minutes when the end of each tag
    /// was looked for to the end of the body).
    #[test]
    fn unfinished_tags_are_read_in_linear_time() {
        let open = "<a ".repeat(200_000);
        assert_eq!(too_deep(&open, 100), Some(300));
        let text = format!("<div {}", "x".repeat(1_000_000)).repeat(50);
        assert_eq!(too_deep(&text, 100), None);
    }
}
