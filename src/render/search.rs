//! Site search for Chinese, with no server: an index built here at build time
//! and a small script (`themes/default/static/search.js`) that searches it in
//! the browser. With JavaScript off the search page lists every section and
//! area instead, so the site stays usable.
//!
//! **Tokens.** Chinese has no spaces between words, so the index uses
//! overlapping character pairs (bigrams): 下龙井村 → 下龙 龙井 井村. A query
//! is split the same way; 龙井 finds 下龙井村 because it shares the pair 龙井.
//! A lone Chinese character between punctuation is indexed as itself; a
//! one-character query matches every pair that contains it. Latin letters
//! and digits form words (lowercased, full-width folded, `11,491` → `11491`,
//! split where letters meet digits); words of one character are dropped.
//! An amount that joined would read as a personal number (`13,812,345,678`)
//! keeps its commas.
//!
//! **What is indexed** (to stay small on a phone, see docs/site.md): every
//! page's title, its summary or description, tags and headings, the first
//! [`BODY_CHARS`] characters of a document's text, and a few words of context
//! (an area's level and township, a project's category and village).
//!
//! **File.** `search-index.js` assigns `window.CUNWU_SEARCH`; a `<script>`
//! tag loads it, which works from `file://` where `fetch` of a local file is
//! blocked. Postings are delta-coded in base-32 digits (see [`encode`]).
//! [`SearchIndex`] reads the file back and ranks like the script does; the
//! tests use it to check the published file.

use std::collections::BTreeMap;

use rayon::prelude::*;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::format::{count, wan};
use super::markdown;
use super::views::{Views, area_path};
use super::{Job, OutputFile};
use crate::links::relative_url;
use crate::model::{Area, Level, Page};

/// Where the index and the search page are written.
pub const INDEX_PATH: &str = crate::output::SEARCH_INDEX;
pub const PAGE_PATH: &str = crate::output::SEARCH_PAGE;

/// Characters of a document's text indexed after its title, summary and headings.
pub const BODY_CHARS: usize = 200;
/// Characters of headings indexed per document.
pub const HEADING_CHARS: usize = 300;
/// Characters of a summary or description indexed.
pub const SUMMARY_CHARS: usize = 120;
/// Characters of the snippet shown under a result: a line of context (an
/// area's level, township and population; a project's village, category and
/// money; a document's description), not an excerpt.
pub const SNIPPET_CHARS: usize = 32;

/// Kinds of result, in the order of their numbers in the index, and the
/// folder their pages are in: a result's page is `prefix + path + "/index.html"`
/// (`index.html` for the home page, whose path is empty).
pub const KINDS: &[(&str, &str)] = &[
    ("区域", "areas/"),
    ("项目计划", "programmes/"),
    ("项目", "projects/"),
    ("文稿", ""),
    ("栏目", ""),
    ("首页", ""),
];
const AREA: u8 = 0;
const PROGRAMME: u8 = 1;
const PROJECT: u8 = 2;
const DOCUMENT: u8 = 3;
const SECTION: u8 = 4;
const HOME: u8 = 5;

/// Above this many villages the search page's list (for readers without
/// JavaScript) shows townships only.
pub const MAX_BROWSE_VILLAGES: usize = 400;

/// Weight of a query token found in a title; elsewhere it counts 1.
pub const TITLE_WEIGHT: u32 = 3;

// ---------------------------------------------------------------------------
// Tokens

/// Full-width forms to ASCII, ideographic space to space, ASCII lowercased.
fn fold(c: char) -> char {
    let c = match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Han characters (with extensions), kana and hangul: indexed by pairs.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff | 0x20000..=0x3ffff)
}

/// The search tokens of `text`, in order, with repeats.
pub fn tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().map(fold).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            if run.len() == 1 {
                out.push(run[0].to_string());
            }
            for pair in run.windows(2) {
                out.push(pair.iter().collect());
            }
        } else if c.is_ascii_alphanumeric() {
            let digits = c.is_ascii_digit();
            let mut word = String::new();
            // The word as written with its thousands separators.
            let mut written = String::new();
            while i < chars.len() {
                let d = chars[i];
                let joins_number = digits
                    && (d == ',' || d == '.')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                    && word.chars().last().is_some_and(|l| l.is_ascii_digit());
                if joins_number {
                    if d == '.' {
                        word.push('.');
                    }
                    written.push(d);
                } else if d.is_ascii_alphanumeric() && d.is_ascii_digit() == digits {
                    word.push(d);
                    written.push(d);
                } else {
                    break;
                }
                i += 1;
            }
            // An amount such as `13,812,345,678` joined would read as a
            // mobile number (and be refused by the output scan): it keeps
            // its commas, and is found by a query written the same way.
            if written.len() != word.len() && !crate::gate::scan::scan(&word).is_empty() {
                word = written;
            }
            if word.len() > 1 {
                out.push(word);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// A token that is a pair of CJK characters.
fn is_pair(token: &str) -> bool {
    let mut it = token.chars();
    matches!((it.next(), it.next(), it.next()), (Some(a), Some(b), None) if is_cjk(a) && is_cjk(b))
}

// ---------------------------------------------------------------------------
// Postings: numbers in base 32, most significant digit first; every digit
// but the last is written from MORE, the last from LAST. All are ASCII that
// JSON leaves as is.

const LAST: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
const MORE: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_";

fn push_number(out: &mut String, mut n: u64) {
    let mut digits = vec![LAST[(n & 31) as usize]];
    n >>= 5;
    while n > 0 {
        digits.push(MORE[(n & 31) as usize]);
        n >>= 5;
    }
    digits.reverse();
    out.extend(digits.into_iter().map(char::from));
}

/// A posting list: for each document (ascending), its gap from the previous
/// one (`id - previous - 1`, the first counted from -1) times two, plus one
/// when the token is in the title.
pub fn encode(postings: &[(u32, bool)]) -> String {
    let mut out = String::new();
    let mut next = 0u32;
    for &(doc, title) in postings {
        let gap = u64::from(doc - next);
        push_number(&mut out, gap << 1 | u64::from(title));
        next = doc + 1;
    }
    out
}

/// The inverse of [`encode`]; `None` on a character outside the alphabets.
pub fn decode(text: &str) -> Option<Vec<(u32, bool)>> {
    let mut out = Vec::new();
    let mut acc: u64 = 0;
    let mut next = 0u64;
    for b in text.bytes() {
        if let Some(v) = MORE.iter().position(|&m| m == b) {
            acc = acc << 5 | v as u64;
        } else {
            let v = LAST.iter().position(|&m| m == b)? as u64;
            acc = acc << 5 | v;
            let doc = next + (acc >> 1);
            out.push((u32::try_from(doc).ok()?, acc & 1 == 1));
            next = doc + 1;
            acc = 0;
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------
// The index file

/// One search result as stored: `[title, path, kind, snippet]`. `path` is
/// the page's folder after its kind's prefix (an area's, programme's or
/// project's id; a document's or section's folder, e.g. `longtuo/work-plan-2020`;
/// `""` for the home page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doc(pub String, pub String, pub u8, pub String);

/// The index as written to and read from `search-index.js`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexFile {
    /// Format version.
    pub v: u32,
    /// Names of the result kinds.
    pub kinds: Vec<String>,
    /// The folder of each kind's pages.
    pub prefixes: Vec<String>,
    pub docs: Vec<Doc>,
    /// CJK pairs grouped by first character: each string is the first
    /// character followed by every second character of its pairs (sorted).
    pub pairs: Vec<String>,
    /// Every other token (words, numbers, lone characters), sorted.
    pub words: Vec<String>,
    /// Posting lists, separated by spaces: the pairs in order, then the words.
    pub postings: String,
}

const JS_PREFIX: &str = "window.CUNWU_SEARCH=";

/// A page to index: what the result shows and the text behind it.
struct Entry {
    doc: Doc,
    title: String,
    text: String,
}

/// Token → the documents it is in (ascending) and whether in the title.
#[derive(Default)]
struct Postings(foldhash::HashMap<String, Vec<(u32, bool)>>);

/// An entry's distinct tokens (sorted), each with whether it is in the title.
fn entry_tokens(e: &Entry) -> Vec<(String, bool)> {
    let mut in_title = tokens(&e.title);
    in_title.sort_unstable();
    in_title.dedup();
    let mut all = tokens(&e.text);
    all.extend(in_title.iter().cloned());
    all.sort_unstable();
    all.dedup();
    all.into_iter()
        .map(|t| {
            let title = in_title.binary_search(&t).is_ok();
            (t, title)
        })
        .collect()
}

impl Postings {
    fn add(&mut self, doc: u32, e: &Entry) {
        for (t, title) in entry_tokens(e) {
            self.0.entry(t).or_default().push((doc, title));
        }
    }

    /// Every document's postings, in parallel (see [`Views::search_index`]).
    fn of(entries: &[Entry]) -> Postings {
        entries
            .par_iter()
            .enumerate()
            .fold(Postings::default, |mut acc, (i, e)| {
                acc.add(i as u32, e);
                acc
            })
            .reduce(Postings::default, Postings::join)
    }

    /// `later` holds only documents after all of `self`'s.
    fn join(mut self, later: Postings) -> Postings {
        if self.0.len() < later.0.len() {
            // Keep the larger map; put the earlier lists first.
            let mut merged = later;
            for (token, mut list) in self.0 {
                let slot = merged.0.entry(token).or_default();
                list.append(slot);
                *slot = list;
            }
            return merged;
        }
        for (token, mut list) in later.0 {
            self.0.entry(token).or_default().append(&mut list);
        }
        self
    }
}

impl Views<'_> {
    /// `search-index.js`: every area, programme, project, document and section.
    ///
    /// Entries are made and split into tokens in parallel; each worker keeps
    /// postings for a run of consecutive documents, and runs are joined in
    /// order, so every posting list stays sorted by document.
    pub(super) fn search_index(&self) -> OutputFile {
        let (entries, _) = self.search_entries(None);
        let postings = Postings::of(&entries);
        let mut postings: Vec<(String, Vec<(u32, bool)>)> = postings.0.into_iter().collect();
        postings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let lists: Vec<String> = postings.par_iter().map(|(_, l)| encode(l)).collect();
        let docs = entries.into_iter().map(|e| e.doc).collect();
        let sorted = postings
            .iter()
            .zip(&lists)
            .map(|((token, _), list)| (token.as_str(), list.as_str()));
        index_file(docs, sorted)
    }

    /// [`Views::search_index`], made again from what `cache` kept of the
    /// last one: a document's text is made again only when what it is made
    /// from changed, and only the documents whose title or text changed
    /// are split into tokens again (their old postings taken out, their new
    /// ones put in). Gives the same bytes as `search_index`.
    pub(super) fn search_index_cached(&self, cache: &mut Cache) -> OutputFile {
        let (entries, keys) = self.search_entries(Some(cache));
        let same_docs = cache.warm && cache.entries.len() == entries.len();
        let changed: Vec<usize> = if same_docs {
            (0..entries.len())
                .into_par_iter()
                .filter(|&i| {
                    let (a, b) = (&cache.entries[i], &entries[i]);
                    a.title != b.title || a.text != b.text
                })
                .collect()
        } else {
            Vec::new()
        };
        if same_docs && changed.len() <= entries.len() / 8 {
            let mut touched = Vec::new();
            for &i in &changed {
                let doc = i as u32;
                for (t, _) in entry_tokens(&cache.entries[i]) {
                    let Some((list, _)) = cache.postings.get_mut(&t) else {
                        continue;
                    };
                    if let Ok(at) = list.binary_search_by_key(&doc, |p| p.0) {
                        list.remove(at);
                    }
                    touched.push(t);
                }
                for (t, title) in entry_tokens(&entries[i]) {
                    let (list, _) = cache.postings.entry(t.clone()).or_default();
                    match list.binary_search_by_key(&doc, |p| p.0) {
                        Ok(at) => list[at] = (doc, title),
                        Err(at) => list.insert(at, (doc, title)),
                    }
                    touched.push(t);
                }
            }
            touched.sort_unstable();
            touched.dedup();
            for t in touched {
                let empty = match cache.postings.get_mut(&t) {
                    Some((list, encoded)) => {
                        *encoded = encode(list);
                        list.is_empty()
                    }
                    None => false,
                };
                if empty {
                    cache.postings.remove(&t);
                }
            }
        } else {
            let postings = Postings::of(&entries);
            let mut postings: Vec<(String, Vec<(u32, bool)>)> = postings.0.into_iter().collect();
            postings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let lists: Vec<String> = postings.par_iter().map(|(_, l)| encode(l)).collect();
            cache.postings = postings
                .into_iter()
                .zip(lists)
                .map(|((token, list), encoded)| (token, (list, encoded)))
                .collect();
        }
        let docs = entries.iter().map(|e| e.doc.clone()).collect();
        let sorted = cache
            .postings
            .iter()
            .map(|(token, (_, list))| (token.as_str(), list.as_str()));
        let file = index_file(docs, sorted);
        cache.entries = entries;
        cache.keys = keys;
        cache.warm = true;
        file
    }

    /// Every page to index, in the index's document order: areas,
    /// programmes, projects, then documents and sections.
    ///
    /// With `cache`, a document's text is taken from the cache when what it
    /// is made from ([`page_key`]) is unchanged; the keys come back too.
    fn search_entries(&self, cache: Option<&Cache>) -> (Vec<Entry>, Vec<u128>) {
        let entry = |title: &str, path: &str, kind: u8, snippet: String, text: String| Entry {
            doc: Doc(
                title.to_string(),
                path.to_string(),
                kind,
                cut(&snippet, SNIPPET_CHARS),
            ),
            title: title.to_string(),
            text,
        };
        let mut out: Vec<Entry> = self
            .p
            .areas
            .par_iter()
            .map(|a| {
                let (snippet, text) = self.area_text(a);
                if a.level.value == Level::County {
                    entry(&a.name.value, "", HOME, snippet, text)
                } else {
                    entry(&a.name.value, &a.id.value, AREA, snippet, text)
                }
            })
            .collect();
        out.par_extend(self.p.programmes.par_iter().map(|g| {
            let area = self
                .p
                .area(self.ix, &g.area.value)
                .map_or("", |a| a.name.value.as_str());
            let summary = super::embed::inline_text(
                self.p,
                self.ix,
                g.summary.as_ref().map_or("", |s| s.value.as_str()),
                false,
            );
            let summary = summary.as_ref();
            let mut snippet = vec![format!("{}年", g.year.value)];
            if let Some(f) = &g.funds {
                snippet.push(format!("{}万元", wan(f.total.value)));
            }
            snippet.push(summary.to_string());
            let kind = g.kind.as_ref().map_or("", |k| k.value.as_str());
            let text = format!(
                "{kind} {} {area} {}",
                g.year.value,
                cut(summary, SUMMARY_CHARS)
            );
            entry(&g.name.value, &g.id.value, PROGRAMME, join(&snippet), text)
        }));
        out.par_extend(self.p.projects.par_iter().map(|j| {
            let area = self
                .p
                .area(self.ix, &j.area.value)
                .map_or("", |a| a.name.value.as_str());
            let summary = super::embed::inline_text(
                self.p,
                self.ix,
                j.summary.as_ref().map_or("", |s| s.value.as_str()),
                false,
            );
            let summary = summary.as_ref();
            let snippet = [
                area.to_string(),
                j.category.value.clone(),
                format!("{}万元", wan(j.funds.total.value)),
                format!("{}年", j.year.value),
            ];
            let text = format!(
                "{} {area} {} {}",
                j.category.value,
                j.year.value,
                cut(summary, SUMMARY_CHARS)
            );
            entry(&j.name.value, &j.id.value, PROJECT, join(&snippet), text)
        }));
        let sections = self.sections();
        let kind_of = |page: &Page| {
            let is_section = page.is_index || sections.contains_key(page.id.as_str());
            if is_section { SECTION } else { DOCUMENT }
        };
        // The home page (empty id) is found through the county.
        let Some(cache) = cache else {
            out.par_extend(
                self.p
                    .pages
                    .par_iter()
                    .filter(|page| !page.id.is_empty() && !self.is_area_section(page))
                    .map(|page| {
                        let (snippet, text) = self.page_text(page);
                        entry(&page.title.value, &page.id, kind_of(page), snippet, text)
                    }),
            );
            return (out, Vec::new());
        };
        let first = out.len();
        let pages: Vec<&Page> = self
            .p
            .pages
            .iter()
            .filter(|p| !p.id.is_empty() && !self.is_area_section(p))
            .collect();
        let (page_entries, keys): (Vec<Entry>, Vec<u128>) = pages
            .par_iter()
            .enumerate()
            .map(|(n, page)| {
                let area = self.page_area(page);
                let key = page_key(page, area);
                let i = first + n;
                let kept = cache
                    .entries
                    .get(i)
                    .filter(|e| e.doc.1 == page.id && cache.keys.get(i) == Some(&key));
                let e = match kept {
                    // The snippet is already cut; cutting again keeps it.
                    Some(old) => entry(
                        &page.title.value,
                        &page.id,
                        kind_of(page),
                        old.doc.3.clone(),
                        old.text.clone(),
                    ),
                    None => {
                        let (snippet, text) = self.page_text(page);
                        entry(&page.title.value, &page.id, kind_of(page), snippet, text)
                    }
                };
                (e, key)
            })
            .unzip();
        let keys = std::iter::repeat_n(0, first).chain(keys).collect();
        out.extend(page_entries);
        (out, keys)
    }

    /// An area's section index: found as the area itself.
    fn is_area_section(&self, page: &Page) -> bool {
        page.is_index && self.look.area_of_section.contains_key(page.id.as_str())
    }

    /// The name of the area a page shows, or "".
    fn page_area(&self, page: &Page) -> &str {
        page.area
            .as_ref()
            .and_then(|a| self.p.area(self.ix, &a.value))
            .map_or("", |a| a.name.value.as_str())
    }

    fn area_text(&self, a: &Area) -> (String, String) {
        let parent = a
            .parent
            .as_ref()
            .and_then(|p| self.p.area(self.ix, &p.value))
            .filter(|p| p.level.value != Level::County)
            .map_or("", |p| p.name.value.as_str());
        let summary = super::embed::inline_text(
            self.p,
            self.ix,
            a.summary.as_ref().map_or("", |s| s.value.as_str()),
            false,
        );
        let summary = summary.as_ref();
        let mut snippet = vec![a.level.value.name_zh().to_string(), parent.to_string()];
        if let Some(n) = &a.population {
            snippet.push(format!("{}人", count(n.value)));
        }
        let tags: Vec<&str> = a.tags.iter().map(|t| t.value.as_str()).collect();
        let text = format!(
            "{} {parent} {} {}",
            a.level.value.name_zh(),
            tags.join(" "),
            cut(summary, SUMMARY_CHARS)
        );
        (join(&snippet), text)
    }

    fn page_text(&self, page: &Page) -> (String, String) {
        let description = page.description.as_ref().map(|d| d.value.clone());
        let expanded = super::embed::inline_text(self.p, self.ix, &page.body, true);
        let (body, headings) = markdown::text_and_headings(&expanded, BODY_CHARS);
        let snippet = description.clone().unwrap_or_else(|| body.clone());
        let area = self.page_area(page);
        let tags: Vec<&str> = page.tags.iter().map(|t| t.value.as_str()).collect();
        let text = format!(
            "{} {area} {} {} {body}",
            cut(description.as_deref().unwrap_or(""), SUMMARY_CHARS),
            tags.join(" "),
            cut(&headings, HEADING_CHARS),
        );
        (snippet, text)
    }

    /// `search/index.html`: the form, the results (filled in by the script),
    /// and for readers without JavaScript every section and area as links.
    pub(super) fn search_page(&self) -> Job {
        let path = PAGE_PATH.to_string();
        let mut m = self.base(&path, "搜索");
        m.insert("index_url".into(), json!(relative_url(&path, INDEX_PATH)));
        m.insert("script_url".into(), json!(relative_url(&path, "search.js")));
        let sections = self.sections();
        let section_links: Vec<Value> = sections
            .iter()
            .filter(|(s, _)| !s.is_empty())
            .map(|(s, index)| {
                let title = index.map_or(s.to_string(), |p| p.title.value.clone());
                let depth = s.matches('/').count();
                json!({"title": title, "url": relative_url(&path, &self.section_target(s, 1)), "depth": depth})
            })
            .collect();
        m.insert("sections".into(), json!(section_links));
        let county = &self.p.config.county.value;
        // Villages are listed under their townships unless there are so many
        // that the page would grow past the page budget; then the township
        // pages (which list their villages) are one click away.
        let villages = self
            .p
            .areas
            .iter()
            .filter(|a| a.level.value == Level::Village)
            .count();
        let max_depth = if villages > MAX_BROWSE_VILLAGES { 0 } else { 1 };
        m.insert(
            "areas".into(),
            json!(self.area_tree(&path, county, 0, max_depth)),
        );
        let programmes: Vec<Value> = self
            .p
            .programmes
            .iter()
            .map(|g| self.programme_row(&path, g))
            .collect();
        m.insert("programmes".into(), json!(programmes));
        self.job("search.html", path, m)
    }

    /// The areas under `id`, nested (townships, then villages) `max_depth` deep.
    fn area_tree(&self, from: &str, id: &str, depth: usize, max_depth: usize) -> Vec<Value> {
        self.ix
            .children
            .get(id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|&i| {
                let a = &self.p.areas[i];
                let children =
                    if depth < max_depth && a.level.value.depth() < Level::Village.depth() {
                        self.area_tree(from, &a.id.value, depth + 1, max_depth)
                    } else {
                        Vec::new()
                    };
                json!({
                    "name": a.name.value,
                    "url": relative_url(from, &area_path(&a.id.value)),
                    "children": children,
                })
            })
            .collect()
    }
}

/// What [`Views::search_index_cached`] keeps between rebuilds: the last
/// index's entries (in document order), for documents the key of what their
/// text was made from, and every token's postings with their encoding.
#[derive(Default)]
pub struct Cache {
    warm: bool,
    entries: Vec<Entry>,
    keys: Vec<u128>,
    postings: BTreeMap<String, (Vec<(u32, bool)>, String)>,
}

/// What [`Views::page_text`] reads of a page, hashed: its body,
/// description, tags and the name of its area (two 64-bit hashes).
fn page_key(page: &Page, area: &str) -> u128 {
    let mut halves = [super::Print::new(3), super::Print::new(4)];
    for h in &mut halves {
        h.bytes(page.body.as_bytes());
        match &page.description {
            Some(d) => {
                h.word(1);
                h.bytes(d.value.as_bytes());
            }
            None => h.word(0),
        }
        h.word(page.tags.len() as u64);
        for t in &page.tags {
            h.bytes(t.value.as_bytes());
        }
        h.bytes(area.as_bytes());
    }
    u128::from(halves[0].finish()) << 64 | u128::from(halves[1].finish())
}

/// The index file of `docs` and every token's encoded postings, in token order.
fn index_file<'t>(docs: Vec<Doc>, sorted: impl Iterator<Item = (&'t str, &'t str)>) -> OutputFile {
    let mut groups: BTreeMap<char, String> = BTreeMap::new();
    let mut words = Vec::new();
    let mut pair_lists = Vec::new();
    let mut word_lists = Vec::new();
    for (token, list) in sorted {
        if is_pair(token) {
            let mut it = token.chars();
            let (a, b) = (it.next().unwrap_or(' '), it.next().unwrap_or(' '));
            groups.entry(a).or_insert_with(|| a.to_string()).push(b);
            pair_lists.push(list);
        } else {
            words.push(token.to_string());
            word_lists.push(list);
        }
    }
    // Sorted token order is the order of `groups` then seconds.
    let file = IndexFile {
        v: 1,
        kinds: KINDS.iter().map(|(k, _)| k.to_string()).collect(),
        prefixes: KINDS.iter().map(|(_, p)| p.to_string()).collect(),
        docs,
        pairs: groups.into_values().collect(),
        words,
        postings: pair_lists
            .into_iter()
            .chain(word_lists)
            .collect::<Vec<_>>()
            .join(" "),
    };
    OutputFile {
        path: INDEX_PATH.to_string(),
        bytes: to_js(&file).into_bytes(),
    }
}

/// What of a document's body the search index and the feed can show: the
/// start of its text and its headings. When an edit leaves this unchanged,
/// the preview need not rebuild either.
pub fn body_key(body: &str) -> String {
    let chars = BODY_CHARS.max(super::feeds::SUMMARY_CHARS);
    let (text, headings) = markdown::text_and_headings(body, chars);
    format!("{text}\u{0}{headings}")
}

/// At most `n` characters of `s` (with … when cut).
fn cut(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

fn join(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The index as a script. U+2028 and U+2029 are escaped: JSON allows them
/// raw but older JavaScript engines do not.
fn to_js(file: &IndexFile) -> String {
    let json = serde_json::to_string(file).unwrap_or_default();
    let json = json
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!("{JS_PREFIX}{json};\n")
}

// ---------------------------------------------------------------------------
// Reading the index back and ranking, as search.js does.

/// A parsed `search-index.js`.
pub struct SearchIndex {
    pub file: IndexFile,
    /// Token → its postings.
    pub postings: BTreeMap<String, Vec<(u32, bool)>>,
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub doc: u32,
    /// Query tokens found in the document.
    pub matched: u32,
    /// Those tokens weighted: [`TITLE_WEIGHT`] in the title, 1 elsewhere.
    pub score: u32,
}

impl SearchIndex {
    /// Reads the text of `search-index.js`.
    pub fn from_js(text: &str) -> Option<SearchIndex> {
        let json = text.trim().strip_prefix(JS_PREFIX)?.strip_suffix(';')?;
        let file: IndexFile = serde_json::from_str(json).ok()?;
        let mut keys = Vec::new();
        for group in &file.pairs {
            let mut it = group.chars();
            let first = it.next()?;
            keys.extend(it.map(|second| format!("{first}{second}")));
        }
        keys.extend(file.words.iter().cloned());
        let lists: Vec<&str> = if file.postings.is_empty() {
            Vec::new()
        } else {
            file.postings.split(' ').collect()
        };
        if lists.len() != keys.len() {
            return None;
        }
        let mut postings = BTreeMap::new();
        for (k, l) in keys.into_iter().zip(lists) {
            postings.insert(k, decode(l)?);
        }
        Some(SearchIndex { file, postings })
    }

    /// The documents matching `query`, best first: by weighted score, then
    /// shorter title, then index order. A document must contain at least
    /// half of the query's tokens (rounded up).
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let mut q: Vec<String> = Vec::new();
        for t in tokens(query) {
            if !q.contains(&t) {
                q.push(t);
            }
        }
        let mut hits: BTreeMap<u32, Hit> = BTreeMap::new();
        for t in &q {
            let mut found: BTreeMap<u32, bool> = BTreeMap::new();
            let lone = t.chars().count() == 1 && t.chars().all(is_cjk);
            for (key, list) in &self.postings {
                let hit = if lone {
                    key == t || (is_pair(key) && key.contains(t.as_str()))
                } else {
                    key == t
                };
                if hit {
                    for &(d, title) in list {
                        *found.entry(d).or_default() |= title;
                    }
                }
            }
            for (d, title) in found {
                let h = hits.entry(d).or_insert(Hit {
                    doc: d,
                    matched: 0,
                    score: 0,
                });
                h.matched += 1;
                h.score += if title { TITLE_WEIGHT } else { 1 };
            }
        }
        let need = (q.len() as u32).div_ceil(2);
        let mut out: Vec<Hit> = hits
            .into_values()
            .filter(|h| h.matched >= need.max(1))
            .collect();
        let title_len = |d: u32| self.file.docs[d as usize].0.chars().count();
        out.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(title_len(a.doc).cmp(&title_len(b.doc)))
                .then(a.doc.cmp(&b.doc))
        });
        out
    }

    /// The page of a document, relative to the site root.
    pub fn url(&self, doc: u32) -> String {
        let Doc(_, path, kind, _) = &self.file.docs[doc as usize];
        let prefix = self
            .file
            .prefixes
            .get(*kind as usize)
            .map_or("", String::as_str);
        if prefix.is_empty() && path.is_empty() {
            "index.html".to_string()
        } else {
            format!("{prefix}{path}/index.html")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn chinese_is_split_into_pairs_and_words_are_folded() {
        assert_eq!(tokens("下龙井村"), ["下龙", "龙井", "井村"]);
        assert_eq!(tokens("村"), ["村"]);
        assert_eq!(tokens("龙沱乡、修文村"), ["龙沱", "沱乡", "修文", "文村"]);
        assert_eq!(tokens("２０２０年 ABC"), ["2020", "年", "abc"]);
        assert_eq!(
            tokens("共11,491户，899.04万元，94.5km"),
            ["共", "11491", "户", "899.04", "万元", "94.5", "km"]
        );
        assert_eq!(tokens("a 1 x2 yishiyiyi-2019"), ["yishiyiyi", "2019"]);
        assert_eq!(tokens("12317。"), ["12317"]);
    }

    #[test]
    fn postings_round_trip() {
        let list = vec![
            (0, true),
            (1, false),
            (2, false),
            (40, true),
            (70_000, false),
        ];
        let text = encode(&list);
        assert!(text.is_ascii() && !text.contains([' ', '"', '\\']));
        assert_eq!(decode(&text), Some(list));
        // Small gaps take one character each.
        assert_eq!(encode(&[(0, false), (1, true), (2, false)]).len(), 3);
    }

    fn index(docs: &[(&str, &str)]) -> SearchIndex {
        let mut postings: BTreeMap<String, Vec<(u32, bool)>> = BTreeMap::new();
        for (i, (title, text)) in docs.iter().enumerate() {
            let in_title: BTreeSet<String> = tokens(title).into_iter().collect();
            let mut all = in_title.clone();
            all.extend(tokens(text));
            for t in all {
                let title = in_title.contains(&t);
                postings.entry(t).or_default().push((i as u32, title));
            }
        }
        let file = IndexFile {
            v: 1,
            kinds: Vec::new(),
            prefixes: Vec::new(),
            docs: docs
                .iter()
                .map(|(t, _)| Doc(t.to_string(), String::new(), 0, String::new()))
                .collect(),
            pairs: Vec::new(),
            words: Vec::new(),
            postings: String::new(),
        };
        SearchIndex { file, postings }
    }

    #[test]
    fn title_matches_rank_first_and_partial_names_are_found() {
        let ix = index(&[
            ("下龙井村2019年项目计划", "下龙井村道路和水池"),
            ("李木乡", "下龙井村 上龙井村"),
            ("下龙井村", "行政村 李木乡"),
            ("龙沱乡", "分水村 修文村"),
        ]);
        let order = |q: &str| ix.search(q).iter().map(|h| h.doc).collect::<Vec<_>>();
        // The village's own page first (all pairs in a short title), then the plan.
        assert_eq!(order("下龙井村"), [2, 0, 1]);
        assert_eq!(order("下龙井")[..2], [2, 0]);
        assert_eq!(order("龙井")[..2], [2, 0]);
        // One character matches every pair holding it.
        assert!(order("沱").contains(&3));
        assert!(order("找不到").is_empty());
        assert!(order("").is_empty());
    }
}
