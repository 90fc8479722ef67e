//! Shortcodes: a plan embeds checked figures instead of retyping them.
//!
//! A shortcode is a paragraph of its own (a blank line before and after):
//!
//! ```text
//! {{< funds programme="yishiyiyi-2019" >}}
//! ```
//!
//! `{{<` never occurs in ordinary Chinese (or English) prose, and
//! pulldown-cmark reads the line as plain text, so it cannot be confused with
//! Markdown or HTML. Inside code (a fenced block or `` `inline` ``) it stays
//! literal, which is how `docs/shortcodes.md` shows examples.
//!
//! This module only finds and parses them. The checker (`check::shortcodes`)
//! resolves every id with file and line; the renderer expands them into the
//! same tables the data pages show.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The Markdown options of every parse of a document body, so the checker
/// and the renderer see the same paragraphs.
pub const MARKDOWN_OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

pub const OPEN: &str = "{{<";
const CLOSE: &str = ">}}";

/// The shortcodes cunwu knows, with their parameters: (name, parameters).
pub const KNOWN: &[(&str, &[&str])] = &[
    ("funds", &["programme", "project"]),
    ("projects", &["programme", "area"]),
    ("indicators", &["village", "year"]),
    ("progress", &["area", "year", "kind"]),
];

/// The shortcodes written inside a sentence (and in a data file's
/// `summary`), which print text instead of a table: `figure` prints a
/// record's figure, `known` prints a figure written by hand that is
/// knowingly different from the data, with the reason.
pub const INLINE: &[(&str, &[&str])] = &[
    ("figure", &["programme", "project", "area", "field"]),
    ("known", &["figure", "reason"]),
];

/// True for the name of a shortcode written inside a sentence.
pub fn is_inline_name(name: &str) -> bool {
    INLINE.iter().any(|(n, _)| *n == name)
}

/// One parsed shortcode: `{{< name key="value" >}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    pub name: String,
    /// Parameters in the order written, each with its byte range in the body.
    pub params: Vec<Param>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub key: String,
    pub value: String,
    /// Range of `key=value` in the body.
    pub range: Range<usize>,
}

impl Shortcode {
    /// The value of parameter `key`, if given.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.key == key)
            .map(|p| p.value.as_str())
    }
}

/// Why a shortcode could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxError {
    /// No `>}}` at the end of the line.
    Unclosed,
    /// The name is missing or not lowercase letters.
    BadName,
    /// A parameter that is not `key="value"` or `key=value` (the text shown).
    BadParam(String),
    /// The same parameter twice.
    Repeated(String),
}

/// A `{{<` found in a document body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A paragraph of its own: `range` is the paragraph in the body.
    Block {
        range: Range<usize>,
        parsed: Result<Shortcode, SyntaxError>,
    },
    /// `{{<` inside other text (a sentence, a list item, a table cell):
    /// not expanded, and an error. `at` is where the `{{<` is.
    Inline { at: Range<usize> },
    /// A shortcode written inside a sentence whose name is one of
    /// [`INLINE`]: `range` is the whole `{{< … >}}` in the body.
    InlineCall {
        range: Range<usize>,
        parsed: Result<Shortcode, SyntaxError>,
    },
}

/// Reads one trimmed paragraph as a shortcode. `offset` is its place in the
/// body. `None` if it does not start with `{{<`.
pub fn parse(text: &str, offset: usize) -> Option<Result<Shortcode, SyntaxError>> {
    let inner = text.strip_prefix(OPEN)?;
    let Some(inner) = inner.strip_suffix(CLOSE) else {
        return Some(Err(SyntaxError::Unclosed));
    };
    if inner.contains('\n') {
        return Some(Err(SyntaxError::Unclosed));
    }
    let base = offset + OPEN.len();
    Some(parse_inner(inner, base))
}

fn parse_inner(inner: &str, base: usize) -> Result<Shortcode, SyntaxError> {
    let mut pos = skip_space(inner, 0);
    let name_len = inner[pos..]
        .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
        .unwrap_or(inner.len() - pos);
    if name_len == 0 {
        return Err(SyntaxError::BadName);
    }
    let name = inner[pos..pos + name_len].to_string();
    pos += name_len;
    let mut params: Vec<Param> = Vec::new();
    loop {
        let after_space = skip_space(inner, pos);
        if after_space == inner.len() {
            break;
        }
        if after_space == pos {
            // Something glued to the name or the previous value.
            return Err(SyntaxError::BadParam(inner[pos..].trim().to_string()));
        }
        pos = after_space;
        let start = pos;
        let rest = &inner[pos..];
        let bad =
            || SyntaxError::BadParam(rest.split_whitespace().next().unwrap_or("").to_string());
        let key_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if key_len == 0 {
            return Err(bad());
        }
        let key = rest[..key_len].to_string();
        let after_key = &rest[key_len..];
        let eq_len = if after_key.starts_with('=') {
            1
        } else if after_key.starts_with('＝') {
            '＝'.len_utf8()
        } else {
            return Err(bad());
        };
        let value_text = &after_key[eq_len..];
        let (value, used) = read_value(value_text).ok_or_else(bad)?;
        pos += key_len + eq_len + used;
        if params.iter().any(|p| p.key == key) {
            return Err(SyntaxError::Repeated(key));
        }
        params.push(Param {
            key,
            value,
            range: base + start..base + pos,
        });
    }
    Ok(Shortcode { name, params })
}

fn skip_space(s: &str, mut pos: usize) -> usize {
    while let Some(c) = s[pos..].chars().next() {
        if c.is_whitespace() {
            pos += c.len_utf8();
        } else {
            break;
        }
    }
    pos
}

/// A quoted value (`"…"`, or Chinese quotes `“…”` typed with a Chinese input
/// method) or a bare one (letters, digits, `-`, `_`, `.`); returns it and the
/// bytes read.
fn read_value(s: &str) -> Option<(String, usize)> {
    for (open, close) in [('"', '"'), ('“', '”'), ('”', '”')] {
        if let Some(rest) = s.strip_prefix(open) {
            let end = rest.find(close)?;
            let value = &rest[..end];
            return Some((
                value.trim().to_string(),
                open.len_utf8() + end + close.len_utf8(),
            ));
        }
    }
    let len = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .unwrap_or(s.len());
    (len > 0).then(|| (s[..len].to_string(), len))
}

/// Every `{{<` of a document body, in order, outside code.
pub fn find(body: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut in_code = false;
    // A run of consecutive text events: its range in the body.
    let mut run: Option<Range<usize>> = None;
    let flush = |run: &mut Option<Range<usize>>, out: &mut Vec<Found>| {
        if let Some(r) = run.take() {
            find_in_text(body, r, out);
        }
    };
    let mut skip_until_paragraph_end = false;
    for (event, range) in Parser::new_ext(body, MARKDOWN_OPTIONS).into_offset_iter() {
        if skip_until_paragraph_end {
            if matches!(event, Event::End(TagEnd::Paragraph)) {
                skip_until_paragraph_end = false;
            }
            continue;
        }
        match event {
            Event::Start(Tag::Paragraph) => {
                flush(&mut run, &mut out);
                if let Some(found) = block_at(body, range) {
                    out.push(found);
                    skip_until_paragraph_end = true;
                }
            }
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut run, &mut out);
                in_code = true;
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) | Event::InlineHtml(_) if !in_code => {
                run = Some(match run.take() {
                    Some(r) => r.start..range.end,
                    None => range,
                });
            }
            _ => flush(&mut run, &mut out),
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The `{{<` of `range` in `text`: each inline shortcode ([`INLINE`]) in
/// order; the first other one is an error and ends the search (one finding
/// per run of text).
fn find_in_text(text: &str, range: Range<usize>, out: &mut Vec<Found>) {
    let mut from = range.start;
    while let Some(i) = text[from..range.end].find(OPEN) {
        let at = from + i;
        match inline_call(text, at, range.end) {
            Some(found) => {
                if let Found::InlineCall { range, .. } = &found {
                    from = range.end;
                }
                out.push(found);
            }
            None => {
                out.push(Found::Inline {
                    at: at..at + OPEN.len(),
                });
                return;
            }
        }
    }
}

/// The inline shortcode that starts at `at` (a `{{<`) and ends before
/// `end`, if its name is one of [`INLINE`].
fn inline_call(text: &str, at: usize, end: usize) -> Option<Found> {
    let rest = &text[at..end];
    let line = rest.split('\n').next().unwrap_or("");
    let close = line.find(CLOSE)?;
    let call = &rest[..close + CLOSE.len()];
    let parsed = parse(call, at)?;
    let name = match &parsed {
        Ok(sc) => sc.name.as_str(),
        Err(_) => {
            // Known by its name even when a parameter is badly written.
            let inner = call[OPEN.len()..].trim_start();
            let len = inner
                .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                .unwrap_or(inner.len());
            &inner[..len]
        }
    };
    is_inline_name(name).then(|| Found::InlineCall {
        range: at..at + call.len(),
        parsed,
    })
}

/// Every `{{<` of a plain text (a data file's `summary`): inline
/// shortcodes, and an error for any other.
pub fn find_plain(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    if text.contains(OPEN) {
        find_in_text(text, 0..text.len(), &mut out);
    }
    out
}

/// `text` with every well-written inline shortcode replaced by what
/// `expand` makes of it (left as written when `None`). `markdown` says
/// whether `text` is a Markdown body (code is left alone) or plain text.
pub fn expand_inline(
    text: &str,
    markdown: bool,
    expand: impl Fn(&Shortcode) -> Option<String>,
) -> std::borrow::Cow<'_, str> {
    if !text.contains(OPEN) {
        return std::borrow::Cow::Borrowed(text);
    }
    let found = if markdown {
        find(text)
    } else {
        find_plain(text)
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for f in found {
        if let Found::InlineCall {
            range,
            parsed: Ok(sc),
        } = f
        {
            if let Some(s) = expand(&sc) {
                out.push_str(&text[last..range.start]);
                out.push_str(&s);
                last = range.end;
            }
        }
    }
    if last == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    std::borrow::Cow::Owned(out)
}

/// The shortcode paragraph at `range`, if the paragraph is one.
fn block_at(body: &str, range: Range<usize>) -> Option<Found> {
    let text = &body[range.clone()];
    let trimmed = text.trim();
    if !trimmed.starts_with(OPEN) {
        return None;
    }
    let lead = text.len() - text.trim_start().len();
    if inline_call(body, range.start + lead, range.end).is_some() {
        // A paragraph starting with `{{< figure … >}}` is text, read as such.
        return None;
    }
    // A shortcode line followed by more text in the same paragraph: only the
    // first line is the shortcode's; the paragraph is not one.
    if trimmed.contains('\n') {
        let at = range.start + lead;
        return Some(Found::Inline {
            at: at..at + OPEN.len(),
        });
    }
    let parsed = parse(trimmed, range.start + lead)?;
    Some(Found::Block { range, parsed })
}

/// True if the paragraph at `range` of `body` is a shortcode paragraph.
pub fn is_block(body: &str, range: &Range<usize>) -> bool {
    matches!(block_at(body, range.clone()), Some(Found::Block { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(body: &str) -> Found {
        let found = find(body);
        assert_eq!(found.len(), 1, "{found:?}");
        found.into_iter().next().unwrap()
    }

    #[test]
    fn a_paragraph_of_its_own_is_a_shortcode() {
        let body = "前文。\n\n{{< funds programme=\"yishiyiyi-2019\" >}}\n\n后文。\n";
        let Found::Block { range, parsed } = one(body) else {
            panic!()
        };
        assert_eq!(
            body[range].trim(),
            "{{< funds programme=\"yishiyiyi-2019\" >}}"
        );
        let sc = parsed.unwrap();
        assert_eq!(sc.name, "funds");
        assert_eq!(sc.get("programme"), Some("yishiyiyi-2019"));
        assert_eq!(
            &body[sc.params[0].range.clone()],
            "programme=\"yishiyiyi-2019\""
        );
    }

    #[test]
    fn bare_and_chinese_quoted_values_and_several_params() {
        let Found::Block { parsed, .. } = one("{{< indicators village=“fenshui” year=2020 >}}")
        else {
            panic!()
        };
        let sc = parsed.unwrap();
        assert_eq!(sc.get("village"), Some("fenshui"));
        assert_eq!(sc.get("year"), Some("2020"));
        let Found::Block { parsed, .. } = one("{{<progress area=longtuo>}}") else {
            panic!()
        };
        assert_eq!(parsed.unwrap().get("area"), Some("longtuo"));
    }

    #[test]
    fn syntax_errors_are_reported_not_ignored() {
        let err = |s: &str| match one(s) {
            Found::Block { parsed: Err(e), .. } => e,
            other => panic!("{other:?}"),
        };
        assert_eq!(err("{{< funds programme=\"x\""), SyntaxError::Unclosed);
        assert_eq!(err("{{< >}}"), SyntaxError::BadName);
        assert_eq!(
            err("{{< funds programme >}}"),
            SyntaxError::BadParam("programme".into())
        );
        assert_eq!(
            err("{{< funds a=1 a=2 >}}"),
            SyntaxError::Repeated("a".into())
        );
    }

    #[test]
    fn inside_a_sentence_or_glued_to_text_it_is_inline() {
        assert!(matches!(
            one("见 {{< funds programme=\"x\" >}} 表。"),
            Found::Inline { .. }
        ));
        assert!(matches!(
            one("{{< funds programme=\"x\" >}}\n紧接着的正文。"),
            Found::Inline { .. }
        ));
        assert!(matches!(
            one("- {{< funds programme=\"x\" >}}"),
            Found::Inline { .. }
        ));
        let body = "| a |\n| - |\n| {{< x >}} |\n";
        let Found::Inline { at } = one(body) else {
            panic!()
        };
        assert_eq!(&body[at], "{{<");
    }

    #[test]
    fn code_keeps_it_literal_and_plain_prose_has_none() {
        assert!(find("```\n{{< funds programme=\"x\" >}}\n```\n").is_empty());
        assert!(find("写成 `{{< funds programme=\"x\" >}}` 即可。").is_empty());
        assert!(find("    {{< funds >}}\n").is_empty());
        assert!(find("“四通四有一无一低”{指标}<说明>。").is_empty());
    }
}
