//! Markdown to safe HTML: tables, footnotes, heading anchors, links between
//! plans rewritten to page URLs, and raw HTML cleaned of anything executable.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html};

/// Rewrites a link to a `.md` file into the URL of its page; `None` leaves it.
pub trait LinkResolver {
    fn resolve(&self, dest: &str) -> Option<String>;

    /// The HTML a shortcode paragraph (`{{< funds programme="…" >}}`, see
    /// [`crate::shortcode`]) expands to. It is inserted after sanitizing, so
    /// it must be safe already (rendered from the theme's autoescaped
    /// templates). `None` leaves the paragraph as written.
    fn shortcode(&self, _call: &crate::shortcode::Shortcode) -> Option<String> {
        None
    }
}

/// Renders `body` to HTML that is safe to publish.
pub fn to_html(body: &str, links: &dyn LinkResolver) -> String {
    to_html_and_text(body, links, None).0
}

/// [`to_html`], and with `max_chars` what [`text_and_headings`] reads of
/// `body`, from the same parse: the search index reads every document a
/// page is rendered from. The text is `None` for a body with shortcodes
/// (its text leaves their paragraphs out, its HTML expands them) or with
/// the placeholders' marker (its HTML reads another text).
pub fn to_html_and_text(
    body: &str,
    links: &dyn LinkResolver,
    max_chars: Option<usize>,
) -> (String, Option<(String, String)>) {
    let plain = !body.contains(crate::shortcode::OPEN) && !body.contains(EMBED_MARK);
    // The markers of expanded shortcodes cannot come from the document.
    let cleaned;
    let body = if body.contains(EMBED_MARK) {
        // Same UTF-8 length, so offsets stay valid.
        cleaned = body.replace(EMBED_MARK, "\u{fffd}");
        cleaned.as_str()
    } else {
        body
    };
    let mut embeds: Vec<String> = Vec::new();
    let events = shortcode_paragraphs(body, links, &mut embeds);
    let text = max_chars.filter(|_| plain).map(|max_chars| {
        let mut reader = TextReader::new(max_chars, true);
        for event in &events {
            reader.read(event);
        }
        reader.finish()
    });
    let events = add_heading_ids(events);
    // Without raw HTML, pulldown-cmark's output is escaped text and tags of
    // its own; only URLs and heading attributes can carry script, and those
    // are made safe event by event. That skips the HTML re-parse, which is
    // most of the cost of a plain page. Raw HTML always goes through ammonia.
    let has_raw_html = events
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let events = events
        .into_iter()
        .map(|e| rewrite_link(e, links))
        .map(|e| if has_raw_html { e } else { make_safe(e) });
    let mut raw = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut raw, events);
    let raw = prefix_footnote_ids(raw);
    let clean = if has_raw_html { sanitize(&raw) } else { raw };
    // A table wider than a phone scrolls inside its own box (style.css); make
    // that box reachable by keyboard, as the theme's tables are (WCAG 2.1.1).
    let clean = replace(clean, "<table>", "<table tabindex=\"0\">");
    (put_embeds(clean, &embeds), text)
}

/// `text.replace(from, to)`, with the occurrences found by `memchr::memmem`
/// (vector search) instead of std's two-way search: each page's HTML is
/// searched three times, and `from` is rarely there.
/// A text without `from` is handed back as it is, uncopied.
fn replace(text: String, from: &str, to: &str) -> String {
    let mut found = memchr::memmem::find_iter(text.as_bytes(), from.as_bytes()).peekable();
    if found.peek().is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for at in found {
        out.push_str(&text[last..at]);
        out.push_str(to);
        last = at + from.len();
    }
    out.push_str(&text[last..]);
    out
}

/// Replaces each placeholder paragraph by its shortcode's HTML, in one pass
/// over the page (however many shortcodes it has).
fn put_embeds(html: String, embeds: &[String]) -> String {
    if embeds.is_empty() {
        return html;
    }
    let open = format!("<p>{EMBED_MARK}embed-");
    let mut out = String::with_capacity(html.len() + embeds.iter().map(String::len).sum::<usize>());
    let mut rest = html.as_str();
    while let Some(at) = rest.find(&open) {
        out.push_str(&rest[..at]);
        let after = &rest[at + open.len()..];
        let placed = after.split_once(EMBED_MARK).and_then(|(n, tail)| {
            let html = embeds.get(n.parse::<usize>().ok()?)?;
            Some((html, tail.strip_prefix("</p>")?))
        });
        match placed {
            Some((html, tail)) => {
                out.push_str(html);
                rest = tail;
            }
            None => {
                out.push_str(&open);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Private-use character around the placeholder of an expanded shortcode.
const EMBED_MARK: char = '\u{e000}';

fn embed_marker(i: usize) -> String {
    format!("{EMBED_MARK}embed-{i}{EMBED_MARK}")
}

/// The body's events, with every shortcode paragraph the resolver expands
/// replaced by a placeholder paragraph (its HTML pushed to `embeds`).
fn shortcode_paragraphs<'a>(
    body: &'a str,
    links: &dyn LinkResolver,
    embeds: &mut Vec<String>,
) -> Vec<Event<'a>> {
    let parser = Parser::new_ext(body, crate::shortcode::MARKDOWN_OPTIONS).into_offset_iter();
    if !body.contains("{{<") {
        return parser.map(|(e, _)| e).collect();
    }
    let mut out = Vec::new();
    let mut skipping = false;
    for (event, range) in parser {
        if skipping {
            if matches!(event, Event::End(TagEnd::Paragraph)) {
                skipping = false;
                out.push(event);
            }
            continue;
        }
        if matches!(event, Event::Start(Tag::Paragraph)) {
            let text = body[range.clone()].trim();
            let call = crate::shortcode::is_block(body, &range)
                .then(|| crate::shortcode::parse(text, 0))
                .flatten()
                .and_then(Result::ok);
            if let Some(html) = call.and_then(|c| links.shortcode(&c)) {
                out.push(event);
                out.push(Event::Text(CowStr::from(embed_marker(embeds.len()))));
                embeds.push(html);
                skipping = true;
                continue;
            }
        }
        out.push(event);
    }
    out
}

fn rewrite_link<'a>(event: Event<'a>, links: &dyn LinkResolver) -> Event<'a> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = match links.resolve(&dest_url) {
                Some(url) => CowStr::from(url),
                None => dest_url,
            };
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        // Images: only attachments (`/static/…`) are rewritten.
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = match links.resolve(&dest_url) {
                Some(url) if !dest_url.ends_with(".md") => CowStr::from(url),
                _ => dest_url,
            };
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        other => other,
    }
}

/// Neutralises what could run script without raw HTML: `javascript:`-like
/// URLs in links and images, and attributes other than id and class on
/// headings (`{onclick=...}`).
fn make_safe(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Heading {
            level, id, classes, ..
        }) => Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs: Vec::new(),
        }),
        other => other,
    }
}

/// `#` for a URL whose scheme is not a plain web, mail or phone link.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme = squeezed.split_once(':').map(|(s, _)| s);
    let has_path_before_colon = squeezed
        .split_once(':')
        .is_some_and(|(s, _)| s.contains(['/', '?', '#']));
    match scheme {
        Some("http" | "https" | "mailto" | "tel") | None => url,
        Some(_) if has_path_before_colon => url,
        Some(_) => CowStr::from("#"),
    }
}

/// Gives every heading without an explicit `{#id}` an id made from its text,
/// so sections of a plan can be linked to. Chinese text is kept as it is.
fn add_heading_ids(mut events: Vec<Event>) -> Vec<Event> {
    let mut used: HashSet<String> = HashSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let id = unique_slug(&slug(&text), &mut used);
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
        } else if let Event::Start(Tag::Heading { id: Some(id), .. }) = &events[i] {
            used.insert(id.to_string());
        }
        i += 1;
    }
    events
}

/// A URL-fragment-friendly form of a heading: letters (any script) and digits
/// kept, everything else folded into `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

fn unique_slug(base: &str, used: &mut HashSet<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// pulldown-cmark names footnotes by their bare label (`id="1"`), which can
/// clash with heading ids; prefix them.
fn prefix_footnote_ids(html: String) -> String {
    let html = replace(
        html,
        "class=\"footnote-definition\" id=\"",
        "class=\"footnote-definition\" id=\"fn-",
    );
    replace(
        html,
        "<sup class=\"footnote-reference\"><a href=\"#",
        "<sup class=\"footnote-reference\"><a href=\"#fn-",
    )
}

/// Removes scripts, event handlers and `javascript:` URLs; keeps ids and
/// classes (anchors, footnotes) and table alignment.
fn sanitize(html: &str) -> String {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::PassThrough)
        .attribute_filter(|element, attribute, value| {
            if attribute == "style" {
                return alignment_only(value).map(Into::into);
            }
            let _ = element;
            Some(value.into())
        });
    b.clean(html).to_string()
}

fn alignment_only(style: &str) -> Option<String> {
    let allowed: HashMap<&str, &str> = [
        ("text-align: left", "text-align: left"),
        ("text-align: center", "text-align: center"),
        ("text-align: right", "text-align: right"),
    ]
    .into_iter()
    .collect();
    style
        .split(';')
        .map(str::trim)
        .find_map(|decl| allowed.get(decl).map(|s| s.to_string()))
}

/// The plain text of a Markdown body, for descriptions.
pub fn plain_text(body: &str, max_chars: usize) -> String {
    read_text(body, max_chars, false).0
}

/// The start of a body's plain text (as [`plain_text`]) and the text of all
/// its headings, each followed by a space: what the search index reads of a
/// document, from one parse.
pub fn text_and_headings(body: &str, max_chars: usize) -> (String, String) {
    read_text(body, max_chars, true)
}

fn read_text(body: &str, max_chars: usize, want_headings: bool) -> (String, String) {
    let mut reader = TextReader::new(max_chars, want_headings);
    let mut skipping = false;
    let options = crate::shortcode::MARKDOWN_OPTIONS;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        // Shortcodes stand for tables: they have no text of their own.
        if skipping {
            skipping = !matches!(event, Event::End(TagEnd::Paragraph));
            continue;
        }
        if matches!(event, Event::Start(Tag::Paragraph)) && crate::shortcode::is_block(body, &range)
        {
            skipping = true;
            continue;
        }
        if !reader.read(&event) {
            break;
        }
    }
    reader.finish()
}

/// Reads a body's events into the start of its plain text and the text of
/// all its headings (see [`read_text`]).
struct TextReader {
    out: String,
    /// Characters in `out`, counted as they come instead of over `out` at
    /// every event.
    out_chars: usize,
    headings: String,
    full: bool,
    in_heading: bool,
    max_chars: usize,
    want_headings: bool,
}

impl TextReader {
    fn new(max_chars: usize, want_headings: bool) -> Self {
        TextReader {
            out: String::new(),
            out_chars: 0,
            headings: String::new(),
            full: false,
            in_heading: false,
            max_chars,
            want_headings,
        }
    }

    /// Takes the next event; false once nothing more is wanted.
    fn read(&mut self, event: &Event) -> bool {
        match event {
            Event::Start(Tag::Heading { .. }) => self.in_heading = true,
            Event::End(TagEnd::Heading(_)) => {
                self.in_heading = false;
                self.headings.push(' ');
            }
            Event::Text(t) | Event::Code(t) if self.in_heading && self.want_headings => {
                self.headings.push_str(t)
            }
            _ => {}
        }
        if self.full {
            return true;
        }
        match event {
            Event::Text(t) | Event::Code(t) => {
                self.out.push_str(t);
                self.out_chars += t.chars().count();
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Heading(HeadingLevel::H1 | HeadingLevel::H2)) => {
                self.out.push(' ');
                self.out_chars += 1;
            }
            _ => {}
        }
        if self.out_chars > self.max_chars {
            self.full = true;
            return self.want_headings;
        }
        true
    }

    /// The words read, joined by one space and cut after `max_chars`
    /// characters (with `…`): only the words up to the cut are joined.
    fn finish(self) -> (String, String) {
        let mut text = String::new();
        let mut chars = 0;
        for word in self.out.split_whitespace() {
            if !text.is_empty() {
                text.push(' ');
                chars += 1;
            }
            text.push_str(word);
            chars += word.chars().count();
            if chars > self.max_chars {
                let cut = text
                    .char_indices()
                    .nth(self.max_chars)
                    .map_or(text.len(), |(at, _)| at);
                text.truncate(cut);
                text.push('…');
                break;
            }
        }
        (text, self.headings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoLinks;
    impl LinkResolver for NoLinks {
        fn resolve(&self, dest: &str) -> Option<String> {
            dest.ends_with(".md")
                .then(|| "../other/index.html".to_string())
        }
    }

    #[test]
    fn scripts_and_handlers_are_removed_but_anchors_and_alignment_stay() {
        let md = "# 总体要求\n\n<script>alert(1)</script><a href=\"javascript:x()\" onclick=\"y()\">链接</a>\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n";
        let html = to_html(md, &NoLinks);
        assert!(html.contains("<h1 id=\"总体要求\">"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("style=\"text-align: center\""), "{html}");
        assert!(html.contains("style=\"text-align: right\""), "{html}");
        // A wide table scrolls in its own box, so it must take keyboard focus.
        assert!(html.contains("<table tabindex=\"0\">"), "{html}");
    }

    #[test]
    fn without_raw_html_dangerous_urls_and_heading_attributes_are_neutralised() {
        let md = "## 标题 {#t onclick=alert(1)}\n\n[a](javascript:alert(1)) [b]( JaVaScRiPt:x) ![c](data:text/html,x) [d](https://x.cn/a) [e](../b/index.html) [f](a:b/c)\n";
        let html = to_html(md, &NoLinks);
        assert!(!html.to_ascii_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:text"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(html.contains("id=\"t\""), "{html}");
        assert!(html.contains("href=\"https://x.cn/a\""), "{html}");
        assert!(html.contains("href=\"../b/index.html\""), "{html}");
    }

    #[test]
    fn md_links_are_rewritten_and_footnotes_prefixed() {
        let md = "见[方案](plan.md)[^1]。\n\n[^1]: 注释。\n";
        let html = to_html(md, &NoLinks);
        assert!(html.contains("href=\"../other/index.html\""), "{html}");
        assert!(html.contains("href=\"#fn-1\""), "{html}");
        assert!(html.contains("id=\"fn-1\""), "{html}");
    }

    struct Embeds;
    impl LinkResolver for Embeds {
        fn resolve(&self, _: &str) -> Option<String> {
            None
        }
        fn shortcode(&self, call: &crate::shortcode::Shortcode) -> Option<String> {
            let id = call.get("programme").filter(|_| call.name == "funds")?;
            Some(format!("<table class=\"funds\" data-id=\"{id}\"></table>"))
        }
    }

    #[test]
    fn shortcodes_expand_after_sanitizing_and_are_not_text() {
        let md = "前文。\n\n{{< funds programme=\"p1\" >}}\n\n{{< other >}}\n\n后文\u{e000}embed-0\u{e000}。\n";
        let html = to_html(md, &Embeds);
        // Kept whole, attributes and all (ammonia would have dropped data-id).
        assert!(
            html.contains("<table class=\"funds\" data-id=\"p1\"></table>"),
            "{html}"
        );
        assert!(!html.contains("<p><table"), "{html}");
        // One the resolver does not expand stays as written.
        assert!(html.contains("{{&lt; other &gt;}}"), "{html}");
        // A marker typed in the document is not a placeholder.
        assert_eq!(html.matches("<table").count(), 1, "{html}");
        assert!(!html.contains('\u{e000}'), "{html}");
        assert_eq!(plain_text(md, 100), "前文。 后文\u{e000}embed-0\u{e000}。");
    }

    /// `read_text` before its event loop became `TextReader`.
    fn read_text_old(body: &str, max_chars: usize, want_headings: bool) -> (String, String) {
        let mut out = String::new();
        let mut headings = String::new();
        let mut full = false;
        let mut in_heading = false;
        let mut skipping = false;
        let options = crate::shortcode::MARKDOWN_OPTIONS;
        for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
            if skipping {
                skipping = !matches!(event, Event::End(TagEnd::Paragraph));
                continue;
            }
            if matches!(event, Event::Start(Tag::Paragraph))
                && crate::shortcode::is_block(body, &range)
            {
                skipping = true;
                continue;
            }
            match &event {
                Event::Start(Tag::Heading { .. }) => in_heading = true,
                Event::End(TagEnd::Heading(_)) => {
                    in_heading = false;
                    headings.push(' ');
                }
                Event::Text(t) | Event::Code(t) if in_heading && want_headings => {
                    headings.push_str(t)
                }
                _ => {}
            }
            if full {
                continue;
            }
            match event {
                Event::Text(t) | Event::Code(t) => out.push_str(&t),
                Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                    out.push(' ')
                }
                Event::End(TagEnd::Heading(HeadingLevel::H1 | HeadingLevel::H2)) => out.push(' '),
                _ => {}
            }
            if out.chars().count() > max_chars {
                full = true;
                if !want_headings {
                    break;
                }
            }
        }
        let text: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = if text.chars().count() > max_chars {
            text.chars().take(max_chars).collect::<String>() + "…"
        } else {
            text
        };
        (text, headings)
    }

    /// Markdown bodies made of the blocks and inlines a plan has, and of
    /// shortcodes and placeholder markers.
    fn markdown_body() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            4 => proptest::sample::select(vec![
                "# ", "## ", "### ", "\n", "\n\n", "村里", "the plan ", "[同栏目](a.md)",
                "![图](/static/a.png)", "`code`", "*要*", "| 项目 | 计划 |\n| --- | ---: |\n| 道路 | 12 |\n",
                "- 一项\n", "> 引用\n", " {#t}", "[^1]", "\n\n[^1]: 注释\n", "<b>粗</b>",
                "\u{e000}embed-0\u{e000}", "\n\n{{< funds programme=\"p1\" >}}\n\n", "{{< figure >}}",
                "\n标题\n===\n", "\n---\n", "  \n", "。", "，", "    code block\n",
            ]).prop_map(String::from),
            1 => "[a-z 中文]{1,30}",
        ];
        proptest::collection::vec(piece, 0..30).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn read_text_reads_like_the_old_loop(body in markdown_body(), max in 0usize..250, headings: bool) {
            proptest::prop_assert_eq!(read_text(&body, max, headings), read_text_old(&body, max, headings));
        }

        /// The text kept from a page's rendering is the text the search
        /// index would read from a parse of its own; the HTML is unchanged.
        #[test]
        fn the_rendering_reads_the_search_text(body in markdown_body(), max in 0usize..80) {
            let (html, text) = to_html_and_text(&body, &NoLinks, Some(max));
            proptest::prop_assert_eq!(&html, &to_html(&body, &NoLinks));
            let plain = !body.contains("{{<") && !body.contains(EMBED_MARK);
            proptest::prop_assert_eq!(text.is_some(), plain);
            if let Some(text) = text {
                proptest::prop_assert_eq!(text, read_text_old(&body, max, true));
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        /// Texts and patterns from a small alphabet, so that occurrences
        /// overlap, touch and repeat.
        #[test]
        fn replace_is_std_replace(text in "[ab<>é]{0,24}", from in "[ab<>é]{1,3}", to in "[xé]{0,3}") {
            proptest::prop_assert_eq!(replace(text.clone(), &from, &to), text.replace(&from, &to));
        }
    }

    #[test]
    fn duplicate_headings_get_distinct_ids() {
        let html = to_html("## 措施\n\n## 措施\n", &NoLinks);
        assert!(html.contains("id=\"措施\""));
        assert!(html.contains("id=\"措施-1\""));
    }
}
