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
//! **Files.** The index is split into shards so that a query downloads only
//! the shards of its tokens and the results it shows (see [`shards`]):
//! `search-index.js` says how many there are; each shard is a script, which
//! a `<script>` tag loads from `file://` too, where `fetch` of a local file
//! is blocked. Postings are delta-coded in base-32 digits (see [`encode`]).
//! [`SearchIndex`] reads the files back and ranks like the script does; the
//! tests use it to check the published files.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::Hash;

use rayon::prelude::*;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::format::{count, wan};
use super::markdown;
use super::views::{Views, area_path};
use super::{Job, OutputFile};

pub mod shards;
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
/// JavaScript) shows top sections and townships only, no programmes.
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
    let mut out = Vec::new();
    each_token(text, |t| out.push(t.into_text()));
    out
}

/// A CJK token packed in an integer, so that a page's tokens are sorted and
/// hashed without a string each: the first character in the high half, the
/// second of a pair in the low half. A character alone has 0 there, which
/// no CJK character is, so it never equals a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Cjk(u64);

impl Cjk {
    fn one(c: char) -> Cjk {
        Cjk(u64::from(c) << 32)
    }

    fn pair(a: char, b: char) -> Cjk {
        Cjk(u64::from(a) << 32 | u64::from(b))
    }

    /// The token as it is written in the index.
    fn text(self) -> String {
        [(self.0 >> 32) as u32, self.0 as u32]
            .into_iter()
            .filter(|&c| c != 0)
            .filter_map(char::from_u32)
            .collect()
    }
}

/// A search token as [`each_token`] finds it: a CJK one packed, a word
/// borrowed from the text when it is indexed as written there (most are),
/// so that the index copies a token only when it first meets it.
enum Token<'a> {
    Cjk(Cjk),
    Word(Cow<'a, str>),
}

impl Token<'_> {
    fn into_text(self) -> String {
        match self {
            Token::Cjk(k) => k.text(),
            Token::Word(w) => w.into_owned(),
        }
    }
}

/// Calls `found` with each search token of `text`, in order, with repeats
/// (see [`tokens`]).
fn each_token<'a>(text: &'a str, mut found: impl FnMut(Token<'a>)) {
    // Each character folded, with where it starts in `text`.
    let chars: Vec<(usize, char)> = text.char_indices().map(|(at, c)| (at, fold(c))).collect();
    let mut word = Word::default();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i].1) {
                i += 1;
            }
            if i - start == 1 {
                found(Token::Cjk(Cjk::one(c)));
            }
            for pair in chars[start..i].windows(2) {
                found(Token::Cjk(Cjk::pair(pair[0].1, pair[1].1)));
            }
        } else if c.is_ascii_alphanumeric() {
            let start = i;
            i = word.read(&chars, i);
            let end = chars.get(i).map_or(text.len(), |&(at, _)| at);
            if let Some(w) = word.token(&text[chars[start].0..end]) {
                found(Token::Word(w));
            }
        } else {
            i += 1;
        }
    }
}

/// A word of letters or of digits being read, kept between words so that
/// its buffers are made once per text.
#[derive(Default)]
struct Word {
    /// Folded, without thousands separators.
    joined: String,
    /// As written, with its thousands separators.
    written: String,
}

impl Word {
    /// Reads the word starting at `chars[i]`; returns where it ends.
    fn read(&mut self, chars: &[(usize, char)], mut i: usize) -> usize {
        self.joined.clear();
        self.written.clear();
        let digits = chars[i].1.is_ascii_digit();
        while i < chars.len() {
            let d = chars[i].1;
            let joins_number = digits
                && (d == ',' || d == '.')
                && chars.get(i + 1).is_some_and(|(_, c)| c.is_ascii_digit())
                && self
                    .joined
                    .chars()
                    .last()
                    .is_some_and(|l| l.is_ascii_digit());
            if joins_number {
                if d == '.' {
                    self.joined.push('.');
                }
                self.written.push(d);
            } else if d.is_ascii_alphanumeric() && d.is_ascii_digit() == digits {
                self.joined.push(d);
                self.written.push(d);
            } else {
                break;
            }
            i += 1;
        }
        i
    }

    /// The token of the word last read, whose text in the source is
    /// `source`; `None` for a word of one character.
    fn token<'a>(&self, source: &'a str) -> Option<Cow<'a, str>> {
        // An amount such as `13,812,345,678` joined would read as a
        // mobile number (and be refused by the output scan): it keeps
        // its commas, and is found by a query written the same way.
        let keeps_commas = self.written.len() != self.joined.len()
            && !crate::gate::scan::scan(&self.joined).is_empty();
        let word = if keeps_commas {
            &self.written
        } else {
            &self.joined
        };
        if word.len() <= 1 {
            None
        } else if word == source {
            Some(Cow::Borrowed(source))
        } else {
            Some(Cow::Owned(word.clone()))
        }
    }
}

// ---------------------------------------------------------------------------
// Postings: numbers in base 32, most significant digit first; every digit
// but the last is written from MORE, the last from LAST. All are ASCII that
// JSON leaves as is.

// The last digit is never an ASCII digit, so that a list never holds a run
// of more than six digits, which the output scan could read as a phone or
// card number (a run of small gaps would otherwise be `13800000000`).
const LAST: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyzABCDEF";
const MORE: &[u8; 32] = b"GHIJKLMNOPQRSTUVWXYZ0123456789-_";

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

/// A page to index: what the result shows and the text behind it.
struct Entry {
    doc: Doc,
    title: String,
    text: String,
}

/// A token's documents (ascending), each with whether it is in the title.
type Docs = Vec<(u32, bool)>;

/// Token → the documents it is in: CJK tokens by their packed key, words by
/// their text.
#[derive(Default)]
struct Postings {
    cjk: foldhash::HashMap<Cjk, Docs>,
    words: foldhash::HashMap<String, Docs>,
}

/// A text's index tokens, kept compact since most repeat on the page or
/// across pages: its [`tokens`] and each of its CJK characters alone, which
/// a one-character query looks up (a page holds the character exactly when
/// one of its pairs does, or it stands alone).
#[derive(Default)]
struct TextTokens<'a> {
    cjk: Vec<Cjk>,
    words: Vec<Cow<'a, str>>,
}

impl<'a> TextTokens<'a> {
    /// With repeats, unsorted.
    fn of(text: &'a str) -> TextTokens<'a> {
        let mut out = TextTokens::default();
        // At most a pair and a single per CJK character, which takes 3 bytes.
        out.cjk.reserve(text.len() / 3 * 2);
        each_token(text, |t| match t {
            Token::Cjk(k) => out.cjk.push(k),
            Token::Word(w) => out.words.push(w),
        });
        out.cjk
            .extend(text.chars().filter(|&c| is_cjk(c)).map(Cjk::one));
        out
    }

    /// Each token once, sorted.
    fn sort_and_dedup(&mut self) {
        self.cjk.sort_unstable();
        self.cjk.dedup();
        self.words.sort_unstable();
        self.words.dedup();
    }
}

/// An entry's distinct tokens, and those of its title (both sorted).
struct EntryTokens<'a> {
    all: TextTokens<'a>,
    title: TextTokens<'a>,
}

impl EntryTokens<'_> {
    /// Each CJK token, with whether it is in the title.
    fn cjk(&self) -> impl Iterator<Item = (Cjk, bool)> + '_ {
        let title = &self.title.cjk;
        self.all
            .cjk
            .iter()
            .map(|&k| (k, title.binary_search(&k).is_ok()))
    }

    /// Each word, with whether it is in the title.
    fn words(&self) -> impl Iterator<Item = (&str, bool)> + '_ {
        let title = &self.title.words;
        let all = self.all.words.iter();
        all.map(|w| (w.as_ref(), title.binary_search(w).is_ok()))
    }

    /// Every token as text (for the cached index, which changes a few).
    fn texts(&self) -> impl Iterator<Item = (String, bool)> + '_ {
        let cjk = self.cjk().map(|(k, title)| (k.text(), title));
        cjk.chain(self.words().map(|(w, title)| (w.to_string(), title)))
    }
}

/// The text's tokens are sorted once, together with the title's.
fn entry_tokens(e: &Entry) -> EntryTokens<'_> {
    let mut title = TextTokens::of(&e.title);
    title.sort_and_dedup();
    let mut all = TextTokens::of(&e.text);
    all.cjk.extend(&title.cjk);
    all.words.extend(title.words.iter().cloned());
    all.sort_and_dedup();
    EntryTokens { all, title }
}

impl Postings {
    fn add(&mut self, doc: u32, e: &Entry) {
        let tokens = entry_tokens(e);
        for (k, title) in tokens.cjk() {
            self.cjk.entry(k).or_default().push((doc, title));
        }
        for (w, title) in tokens.words() {
            // The word is copied only when it is new to the map.
            match self.words.get_mut(w) {
                Some(list) => list.push((doc, title)),
                None => {
                    self.words.insert(w.to_string(), vec![(doc, title)]);
                }
            }
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
    fn join(self, later: Postings) -> Postings {
        Postings {
            cjk: join_lists(self.cjk, later.cjk),
            words: join_lists(self.words, later.words),
        }
    }

    /// Every token, as text, with its documents.
    fn into_lists(self) -> impl ParallelIterator<Item = (String, Docs)> {
        let cjk = self.cjk.into_par_iter().map(|(k, list)| (k.text(), list));
        cjk.chain(self.words.into_par_iter())
    }
}

/// The lists of `earlier` followed by those of `later`, token by token.
fn join_lists<K: Hash + Eq>(
    mut earlier: foldhash::HashMap<K, Docs>,
    later: foldhash::HashMap<K, Docs>,
) -> foldhash::HashMap<K, Docs> {
    if earlier.len() < later.len() {
        // Keep the larger map; put the earlier lists first.
        let mut merged = later;
        for (token, mut list) in earlier {
            let slot = merged.entry(token).or_default();
            list.append(slot);
            *slot = list;
        }
        return merged;
    }
    for (token, mut list) in later {
        earlier.entry(token).or_default().append(&mut list);
    }
    earlier
}

impl Views<'_> {
    /// The search index's files: `search-index.js` and its shards (see
    /// [`shards`]), over every area, programme, project, document and section.
    ///
    /// Entries are made and split into tokens in parallel; each worker keeps
    /// postings for a run of consecutive documents, and runs are joined in
    /// order, so every posting list stays sorted by document.
    pub(super) fn search_index(&self) -> Vec<OutputFile> {
        let (entries, _) = self.search_entries(None);
        index_files(entries)
    }

    /// [`Views::search_index`], made again from what `cache` kept of the
    /// last one: a document's text is made again only when what it is made
    /// from changed, and while the documents and their numbers stay the
    /// same, only the documents whose title or text changed are split into
    /// tokens again (their old postings taken out, their new ones put in)
    /// and only the shards they touch are written again. Gives the same
    /// bytes as `search_index`.
    pub(super) fn search_index_cached(&self, cache: &mut Cache) -> Vec<OutputFile> {
        let (entries, keys) = self.search_entries(Some(cache));
        cached_files(cache, entries, keys)
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
        page.is_index
            && self
                .look
                .pages
                .area_of_section
                .contains_key(page.id.as_str())
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
        // Kept when the page was rendered, if it was before; else read here.
        let kept = self
            .page_text_slot(page)
            .and_then(|slot| slot.get().cloned());
        let (body, headings) = kept.unwrap_or_else(|| {
            let expanded = super::embed::inline_text(self.p, self.ix, &page.body, true);
            markdown::text_and_headings(&expanded, BODY_CHARS)
        });
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
        // Above MAX_BROWSE_VILLAGES the page lists top sections, townships
        // and no programmes: a province has a section and a programme per
        // township, and every phone downloads this page. Township pages list
        // their villages and programmes.
        let villages = self
            .p
            .areas
            .iter()
            .filter(|a| a.level.value == Level::Village)
            .count();
        let at_scale = villages > MAX_BROWSE_VILLAGES;
        let sections = self.sections();
        let section_links: Vec<Value> = sections
            .iter()
            .filter(|(s, _)| !(s.is_empty() || at_scale && s.contains('/')))
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
        let max_depth = if at_scale { 0 } else { 1 };
        m.insert(
            "areas".into(),
            json!(self.area_tree(&path, county, 0, max_depth)),
        );
        let programmes: Vec<Value> = if at_scale {
            Vec::new()
        } else {
            self.p
                .programmes
                .iter()
                .map(|g| self.programme_row(&path, g))
                .collect()
        };
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
/// index's entries (in the order they are made), for documents the key of
/// what their text was made from, their numbers in the index, every token's
/// postings (by document number) with their encoding, by shard, and the
/// shard files.
#[derive(Default)]
pub struct Cache {
    warm: bool,
    entries: Vec<Entry>,
    keys: Vec<u128>,
    rank: Vec<u32>,
    shards: u32,
    postings: Vec<TokenLists>,
    token_files: Vec<Vec<OutputFile>>,
    docs: Vec<Doc>,
    doc_files: Vec<OutputFile>,
    /// Paths of the last index that the ones since do not have.
    removed: std::collections::BTreeSet<String>,
    meta: Option<OutputFile>,
    /// Paths of the files the last call made that differ from the call before.
    fresh: Vec<String>,
}

impl Cache {
    /// The paths of [`Cache::removed`], emptied.
    pub fn take_removed(&mut self) -> Vec<String> {
        std::mem::take(&mut self.removed).into_iter().collect()
    }

    /// Of `files`, made by the last call, those that differ from the call before.
    pub fn only_fresh(&self, files: Vec<OutputFile>) -> Vec<OutputFile> {
        let fresh: std::collections::HashSet<&str> =
            self.fresh.iter().map(String::as_str).collect();
        files
            .into_iter()
            .filter(|f| fresh.contains(f.path.as_str()))
            .collect()
    }

    fn paths(&self) -> impl Iterator<Item = &str> {
        self.token_files
            .iter()
            .flatten()
            .chain(&self.doc_files)
            .map(|f| f.path.as_str())
    }
}

/// A token's postings and their encoding.
type List = (Vec<(u32, bool)>, String);

/// One token shard's tokens, each with its postings and their encoding.
type TokenLists = BTreeMap<String, List>;

/// Every token's postings renumbered by `rank`, encoded, and grouped into
/// `count` shards; the lists themselves are kept only with `keep`.
fn shard_postings(postings: Postings, rank: &[u32], count: u32, keep: bool) -> Vec<TokenLists> {
    let mut lists: Vec<(u32, String, List)> = postings
        .into_lists()
        .map(|(token, list)| {
            let list = shards::renumber(&list, rank);
            let encoded = encode(&list);
            let list = if keep { list } else { Vec::new() };
            (shards::shard_of(&token, count), token, (list, encoded))
        })
        .collect();
    lists.par_sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut out: Vec<TokenLists> = (0..count).map(|_| BTreeMap::new()).collect();
    for (k, token, list) in lists {
        out[k as usize].insert(token, list);
    }
    out
}

/// [`Views::search_index_cached`] once the entries are made.
fn cached_files(cache: &mut Cache, entries: Vec<Entry>, keys: Vec<u128>) -> Vec<OutputFile> {
    let rank = shards::order(entries.iter().map(|e| e.title.as_str()));
    let count = shards::token_shards(entries.len());
    let same_docs = cache.warm
        && cache.entries.len() == entries.len()
        && cache.rank == rank
        && cache.shards == count;
    let before: Vec<String> = cache.paths().map(String::from).collect();
    let mut fresh = Vec::new();
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
            let doc = rank[i];
            for (t, _) in entry_tokens(&cache.entries[i]).texts() {
                let k = shards::shard_of(&t, count) as usize;
                let Some((list, _)) = cache.postings[k].get_mut(&t) else {
                    continue;
                };
                if let Ok(at) = list.binary_search_by_key(&doc, |p| p.0) {
                    list.remove(at);
                }
                touched.push((k, t));
            }
            for (t, title) in entry_tokens(&entries[i]).texts() {
                let k = shards::shard_of(&t, count) as usize;
                let (list, _) = cache.postings[k].entry(t.clone()).or_default();
                match list.binary_search_by_key(&doc, |p| p.0) {
                    Ok(at) => list[at] = (doc, title),
                    Err(at) => list.insert(at, (doc, title)),
                }
                touched.push((k, t));
            }
        }
        touched.sort_unstable();
        touched.dedup();
        for (k, t) in &touched {
            let empty = match cache.postings[*k].get_mut(t) {
                Some((list, encoded)) => {
                    *encoded = encode(list);
                    list.is_empty()
                }
                None => false,
            };
            if empty {
                cache.postings[*k].remove(t);
            }
        }
        let mut shards_touched: Vec<usize> = touched.iter().map(|(k, _)| *k).collect();
        shards_touched.dedup();
        for k in shards_touched {
            let new = shard_files(k, &cache.postings[k]);
            if new != cache.token_files[k] {
                fresh.extend(new.iter().map(|f| f.path.clone()));
            }
            cache.token_files[k] = new;
        }
    } else {
        cache.postings = shard_postings(Postings::of(&entries), &rank, count, true);
        let new: Vec<Vec<OutputFile>> = cache
            .postings
            .par_iter()
            .enumerate()
            .map(|(k, m)| shard_files(k, m))
            .collect();
        for (k, files) in new.iter().enumerate() {
            if cache.token_files.get(k) != Some(files) {
                fresh.extend(files.iter().map(|f| f.path.clone()));
            }
        }
        cache.token_files = new;
    }
    let docs = numbered_docs(entries.iter().map(|e| e.doc.clone()).collect(), &rank);
    if same_docs && cache.docs.len() == docs.len() {
        let per = shards::DOCS_PER_SHARD;
        let redo: Vec<(usize, OutputFile)> = docs
            .par_chunks(per)
            .zip(cache.docs.par_chunks(per))
            .enumerate()
            .filter(|(_, (new, old))| new != old)
            .map(|(k, (new, _))| (k, shards::doc_file(k, new)))
            .collect();
        for (k, f) in redo {
            fresh.push(f.path.clone());
            cache.doc_files[k] = f;
        }
    } else {
        let new = shards::doc_files(&docs);
        for (k, f) in new.iter().enumerate() {
            if cache.doc_files.get(k) != Some(f) {
                fresh.push(f.path.clone());
            }
        }
        cache.doc_files = new;
    }
    let meta = shards::meta_file(docs.len(), count);
    if cache.meta.as_ref() != Some(&meta) {
        fresh.push(meta.path.clone());
    }
    cache.meta = Some(meta.clone());
    cache.fresh = fresh;
    let mut files = vec![meta];
    let now: std::collections::HashSet<&str> = cache.paths().collect();
    let gone: Vec<String> = before
        .into_iter()
        .filter(|p| !now.contains(p.as_str()))
        .collect();
    let now: Vec<String> = now.into_iter().map(String::from).collect();
    cache.removed.extend(gone);
    for p in &now {
        cache.removed.remove(p);
    }
    files.extend(cache.token_files.iter().flatten().cloned());
    files.extend(cache.doc_files.iter().cloned());
    cache.docs = docs;
    cache.entries = entries;
    cache.keys = keys;
    cache.rank = rank;
    cache.shards = count;
    cache.warm = true;
    files
}

/// The index files of `entries` (see [`Views::search_index`]).
fn index_files(entries: Vec<Entry>) -> Vec<OutputFile> {
    let rank = shards::order(entries.iter().map(|e| e.title.as_str()));
    let count = shards::token_shards(entries.len());
    let by_shard = shard_postings(Postings::of(&entries), &rank, count, false);
    let docs = numbered_docs(entries.into_iter().map(|e| e.doc).collect(), &rank);
    let mut files = vec![shards::meta_file(docs.len(), count)];
    files.extend(
        by_shard
            .par_iter()
            .enumerate()
            .flat_map_iter(|(k, m)| shard_files(k, m))
            .collect::<Vec<_>>(),
    );
    files.extend(shards::doc_files(&docs));
    files
}

/// The files of token shard `k`.
fn shard_files(k: usize, lists: &TokenLists) -> Vec<OutputFile> {
    shards::token_files(
        k as u32,
        lists
            .iter()
            .map(|(t, (_, encoded))| (t.as_str(), encoded.as_str())),
    )
}

/// `docs` (in the order they were made) in the order of their numbers.
fn numbered_docs(docs: Vec<Doc>, rank: &[u32]) -> Vec<Doc> {
    let mut slots: Vec<Option<Doc>> = vec![None; docs.len()];
    for (i, d) in docs.into_iter().enumerate() {
        slots[rank[i] as usize] = Some(d);
    }
    slots.into_iter().flatten().collect()
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

// ---------------------------------------------------------------------------
// Reading the index back and ranking, as search.js does.

/// The index read back from `search-index.js` and every shard.
pub struct SearchIndex {
    pub meta: shards::Meta,
    /// Every document, by number.
    pub docs: Vec<Doc>,
    /// Token → its postings.
    pub postings: BTreeMap<String, Vec<(u32, bool)>>,
    /// Tokens whose list has a file of its own, with its path.
    pub apart: BTreeMap<String, String>,
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
    /// Reads the index through `file`, which gives the text of a file by
    /// its path in the site (`search-index.js`, `search/t/0.js`, ...).
    pub fn read(file: &dyn Fn(&str) -> Option<String>) -> Option<SearchIndex> {
        let r = shards::read(file)?;
        Some(SearchIndex {
            meta: r.meta,
            docs: r.docs,
            postings: r.postings,
            apart: r.apart,
        })
    }

    /// The distinct tokens of `query`, in order.
    pub fn query_tokens(query: &str) -> Vec<String> {
        let mut q: Vec<String> = Vec::new();
        for t in tokens(query) {
            if !q.contains(&t) {
                q.push(t);
            }
        }
        q
    }

    /// The files the search page downloads for `query` until it can show the
    /// first result (or say there is none): `search-index.js`, the shards of
    /// the query's tokens and the result shard of the first result. The
    /// page, `search.js` and the style sheet are not counted.
    pub fn files_for(&self, query: &str) -> Vec<String> {
        let first = self.search(query).first().map(|h| h.doc);
        let read = shards::Read {
            meta: self.meta.clone(),
            docs: Vec::new(),
            postings: BTreeMap::new(),
            apart: self.apart.clone(),
        };
        shards::files_for(&read, &Self::query_tokens(query), first)
    }

    /// The documents matching `query`, best first: by weighted score, then
    /// shorter title, then index order (documents are numbered that way, so
    /// the script compares numbers). A document must contain at least half
    /// of the query's tokens (rounded up). A lone Chinese character is
    /// looked up as itself: every page holding it is indexed under it.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let q = Self::query_tokens(query);
        let mut hits: BTreeMap<u32, Hit> = BTreeMap::new();
        for t in &q {
            let found = self.postings.get(t).map_or(&[][..], Vec::as_slice);
            for &(d, title) in found {
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
        let title_len = |d: u32| self.docs[d as usize].0.chars().count();
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
        let Doc(_, path, kind, _) = &self.docs[doc as usize];
        let prefix = self
            .meta
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
        assert!(text.is_ascii() && !text.contains([' ', '"', '\\', ',']));
        assert_eq!(decode(&text), Some(list));
        // Small gaps take one character each.
        assert_eq!(encode(&[(0, false), (1, true), (2, false)]).len(), 3);
    }

    /// The index of `docs` (title, text), written and read back.
    fn index(docs: &[(&str, &str)]) -> SearchIndex {
        let entries = docs
            .iter()
            .enumerate()
            .map(|(i, (title, text))| Entry {
                doc: Doc(title.to_string(), format!("p{i}"), AREA, String::new()),
                title: title.to_string(),
                text: text.to_string(),
            })
            .collect();
        read_back(&index_files(entries))
    }

    fn read_back(files: &[OutputFile]) -> SearchIndex {
        let by_path: BTreeMap<&str, &[u8]> = files
            .iter()
            .map(|f| (f.path.as_str(), f.bytes.as_slice()))
            .collect();
        assert_eq!(by_path.len(), files.len(), "two files at one path");
        SearchIndex::read(&|p| {
            by_path
                .get(p)
                .map(|b| String::from_utf8(b.to_vec()).unwrap())
        })
        .expect("the index reads back")
    }

    #[test]
    fn title_matches_rank_first_and_partial_names_are_found() {
        let ix = index(&[
            ("下龙井村2019年项目计划", "下龙井村道路和水池"),
            ("李木乡", "下龙井村 上龙井村"),
            ("下龙井村", "行政村 李木乡"),
            ("龙沱乡", "分水村 修文村"),
        ]);
        let order = |q: &str| {
            ix.search(q)
                .iter()
                .map(|h| ix.docs[h.doc as usize].1.clone())
                .collect::<Vec<_>>()
        };
        // The village's own page first (all pairs in a short title), then the plan.
        assert_eq!(order("下龙井村"), ["p2", "p0", "p1"]);
        assert_eq!(order("下龙井")[..2], ["p2", "p0"]);
        assert_eq!(order("龙井")[..2], ["p2", "p0"]);
        // One character matches every pair holding it.
        assert!(order("沱").contains(&"p3".to_string()));
        assert!(order("找不到").is_empty());
        assert!(order("").is_empty());
    }

    /// Titles and texts made of a few village-name characters, so that
    /// tokens repeat across documents as they do in a real portal.
    fn entries_of(docs: &[(String, String)]) -> Vec<Entry> {
        docs.iter()
            .enumerate()
            .map(|(i, (title, text))| Entry {
                doc: Doc(
                    title.clone(),
                    format!("p{i}"),
                    AREA,
                    cut(text, SNIPPET_CHARS),
                ),
                title: title.clone(),
                text: text.clone(),
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

        /// Every token of every title (each pair, each character, each
        /// word) finds its page through the shards, with the title counted
        /// as the title, and the documents are numbered by title length.
        #[test]
        fn every_pair_of_a_title_is_found_through_the_shards(
            docs in proptest::collection::vec(
                ("[下龙井村乡沱修文分水李木上石桥 ab1-3]{1,9}", "[村民小组道路硬化龙井 x-z]{0,20}"),
                1..300,
            )
        ) {
            let ix = read_back(&index_files(entries_of(&docs)));
            proptest::prop_assert_eq!(ix.docs.len(), docs.len());
            for w in ix.docs.windows(2) {
                proptest::prop_assert!(w[0].0.chars().count() <= w[1].0.chars().count());
            }
            let number: BTreeMap<&str, u32> = ix
                .docs
                .iter()
                .enumerate()
                .map(|(n, d)| (d.1.as_str(), n as u32))
                .collect();
            for (i, (title, _)) in docs.iter().enumerate() {
                let me = number[format!("p{i}").as_str()];
                let mut queries = tokens(title);
                queries.extend(title.chars().filter(|&c| is_cjk(c)).map(String::from));
                for q in queries {
                    let hit = ix.search(&q).into_iter().find(|h| h.doc == me);
                    proptest::prop_assert!(
                        hit.as_ref().is_some_and(|h| h.score == TITLE_WEIGHT),
                        "{q:?} in title {title:?}: {hit:?}"
                    );
                }
            }
        }

        /// The cached route gives the files of a full build after any edit.
        #[test]
        fn cached_shards_equal_a_full_build(
            docs in proptest::collection::vec(
                ("[下龙井村乡沱 a1]{1,6}", "[村民小组道路 x]{0,12}"),
                2..60,
            ),
            edits in proptest::collection::vec((0usize..60, "[下龙井村乡沱修 a1]{1,6}", "[村民小组道路水池 x]{0,12}"), 1..4),
        ) {
            let mut cache = Cache::default();
            let _ = cached(&mut cache, entries_of(&docs));
            let mut now = docs.clone();
            for (at, title, text) in edits {
                let at = at % now.len();
                now[at] = (title, text);
                let kept = cached(&mut cache, entries_of(&now));
                let full = index_files(entries_of(&now));
                proptest::prop_assert_eq!(kept, full);
            }
        }
    }

    /// Tokens and postings as they were made before CJK tokens were packed
    /// into integers and words borrowed (one `String` per token of every
    /// page), kept to prove that the compact construction gives the same
    /// index.
    mod reference {
        use super::super::{Entry, fold, is_cjk};
        use std::collections::BTreeMap;

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

        fn index_tokens(text: &str) -> Vec<String> {
            let mut out = tokens(text);
            let mut singles: Vec<char> = text.chars().filter(|&c| is_cjk(c)).collect();
            singles.sort_unstable();
            singles.dedup();
            out.extend(singles.into_iter().map(String::from));
            out
        }

        pub fn entry_tokens(e: &Entry) -> Vec<(String, bool)> {
            let mut in_title = index_tokens(&e.title);
            in_title.sort_unstable();
            in_title.dedup();
            let mut all = index_tokens(&e.text);
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

        pub fn postings(entries: &[Entry]) -> BTreeMap<String, Vec<(u32, bool)>> {
            let mut out: BTreeMap<String, Vec<(u32, bool)>> = BTreeMap::new();
            for (doc, e) in entries.iter().enumerate() {
                for (t, title) in entry_tokens(e) {
                    out.entry(t).or_default().push((doc as u32, title));
                }
            }
            out
        }
    }

    /// Text mixing what the tokens tell apart: Chinese (with a character
    /// outside the basic plane), kana and hangul, letters in both cases,
    /// full-width forms, numbers with separators (some that joined would
    /// read as a mobile number) and punctuation.
    fn mixed_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            "[下龙井村乡沱修文分水李木上石桥年户万元𠀀𠀁あア한가]{1,6}",
            "[a-zA-Z]{1,6}",
            "[a-zA-Z0-9]{1,8}",
            "[0-9]{1,3}(,[0-9]{3}){0,3}(\\.[0-9]{1,3})?",
            "1[3-9][0-9],[0-9]{3},[0-9]{3},[0-9]{3}",
            "[ＡＢＣａｂｚ０１２９，．　]{1,4}",
            "[ ,.，。、:\\-]{1,2}",
        ];
        proptest::collection::vec(piece, 0..14).prop_map(|p| p.concat())
    }

    #[test]
    fn a_cjk_key_is_its_characters() {
        assert_eq!(Cjk::one('村').text(), "村");
        assert_eq!(Cjk::pair('龙', '井').text(), "龙井");
        assert_eq!(Cjk::pair('𠀀', '村').text(), "𠀀村");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        #[test]
        fn tokens_are_those_of_the_string_construction(text in mixed_text()) {
            proptest::prop_assert_eq!(tokens(&text), reference::tokens(&text));
        }

        /// Each entry's tokens and title marks, then every token's postings
        /// over a run of entries: the same as one `String` per token gave.
        #[test]
        fn postings_are_those_of_the_string_construction(
            docs in proptest::collection::vec((mixed_text(), mixed_text()), 1..40)
        ) {
            let entries = entries_of(&docs);
            for e in &entries {
                let mut packed: Vec<(String, bool)> = entry_tokens(e).texts().collect();
                packed.sort_unstable();
                proptest::prop_assert_eq!(packed, reference::entry_tokens(e));
            }
            let packed: BTreeMap<String, Docs> = Postings::of(&entries).into_lists().collect();
            proptest::prop_assert_eq!(packed, reference::postings(&entries));
        }
    }

    /// [`Views::search_index_cached`]'s work after the entries are made.
    fn cached(cache: &mut Cache, entries: Vec<Entry>) -> Vec<OutputFile> {
        let keys = vec![0; entries.len()];
        cached_files(cache, entries, keys)
    }

    /// At province scale (20,000 villages give about 180,000 documents; here
    /// 40,000 of the same shape), every shard stays small: token shards and
    /// result shards are bounded whatever the size, and only lists longer
    /// than [`shards::BIG_LIST`] are kept apart.
    #[test]
    fn shards_stay_small_as_the_index_grows() {
        let first = "北南东西上下大小石龙沱井水山河桥坝湾杨柳李木新老中黄乐阳鹤塘兰";
        let first: Vec<char> = first.chars().collect();
        let mut seed = 1u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut docs = Vec::new();
        for v in 0..40_000usize {
            let name: String = [first[next(first.len())], first[next(first.len())], '村']
                .iter()
                .collect();
            let title = match v % 4 {
                0 => name.clone(),
                1 => format!("{name}2020年村级工作计划"),
                2 => format!("{name}通组道路硬化"),
                _ => format!("第{}村民小组", ["一", "二"][v % 2]),
            };
            let text = format!("行政村 {name} 群众投劳 财政奖补 {}", v % 97);
            docs.push((title, text));
        }
        let files = index_files(entries_of(&docs));
        let ix = read_back(&files);
        let mut token = 0usize;
        let mut result = 0usize;
        for f in &files {
            let n = f.bytes.len();
            if f.path.starts_with("search/d/") {
                result = result.max(n);
            } else if f.path.starts_with("search/t/") && !f.path.contains('-') {
                token = token.max(n);
            }
        }
        println!(
            "{} files; largest token shard {token} B, result shard {result} B",
            files.len()
        );
        assert!(token <= 24 * 1024, "token shard of {token} bytes");
        assert!(result <= 8 * 1024, "result shard of {result} bytes");
        for (t, path) in &ix.apart {
            assert!(
                encode(&ix.postings[t]).len() > shards::BIG_LIST,
                "{t} {path}"
            );
        }
        // A village's name downloads a few shards, not the index.
        let q = &docs[0].0;
        let bytes: usize = ix
            .files_for(q)
            .iter()
            .map(|p| files.iter().find(|f| &f.path == p).unwrap().bytes.len())
            .sum();
        println!("query {q}: {bytes} bytes");
        assert!(bytes <= 150 * 1024, "{bytes}");
        assert_eq!(ix.url(ix.search(q)[0].doc), "areas/p0/index.html");
    }
}
