//! The search index as files a phone downloads only part of (docs/site.md,
//! "The index"). Every file is a script, so that the search page loads it
//! with a `<script>` tag from `file://` too, where `fetch` is refused:
//!
//! - `search-index.js`, a few hundred bytes: [`Meta`] (how many shards, the
//!   result kinds) assigned to `window.CUNWU_SEARCH`;
//! - `search/t/K.js`, the token shards: every token whose [`shard_of`] is `K`
//!   (sorted), then their encoded posting lists in the same order, each list
//!   or `@N` when it is longer than
//!   [`BIG_LIST`] and is kept apart in `search/t/K-N.js`, so that a token
//!   shard stays small whatever the other tokens of the query are;
//! - `search/d/K.js`, the result shards: documents `K × per` to
//!   `(K + 1) × per - 1`, each `[title, path, kind, snippet]`.
//!
//! Documents are numbered by the length of their title (in characters),
//! then in the order they were made, so that the ranking's tie-break
//! "shorter title first, then index order" is the document number alone:
//! the script ranks with the postings and downloads only the result shards
//! of the results it shows.
//!
//! Shards call `window.CUNWU_PART(name, data)`; the loader in
//! `themes/default/static/search.js` defines it. [`read`] reads the files
//! back (for the tests and the benchmark).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Doc, KINDS, decode};
use crate::output::OutputFile;

/// The small file the search page loads first.
pub const META_PATH: &str = crate::output::SEARCH_INDEX;
/// The folder of the shards (the search page's own folder).
pub const DIR: &str = crate::output::SEARCH_SHARDS;
/// Documents per result shard (about 100 bytes each).
pub const DOCS_PER_SHARD: usize = 32;
/// Documents per token shard: the number of token shards is the power of two
/// that gives at most this many documents per shard (postings take about
/// 70 bytes a document, so a shard holds about 9 KB).
pub const DOCS_PER_TOKEN_SHARD: usize = 128;
/// Token shards of a small site.
pub const MIN_TOKEN_SHARDS: u32 = 8;
/// Encoded posting lists longer than this (a token in thousands of pages,
/// such as 村民) are kept in a file of their own.
pub const BIG_LIST: usize = 4096;

const PART: &str = "window.CUNWU_PART(";
const META_PREFIX: &str = "window.CUNWU_SEARCH=";

/// `search-index.js`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Format version: 2 for shards.
    pub v: u32,
    /// Names of the result kinds.
    pub kinds: Vec<String>,
    /// The folder of each kind's pages.
    pub prefixes: Vec<String>,
    /// Documents in the index.
    pub docs: u32,
    /// Documents per result shard.
    pub per: u32,
    /// Token shards (a power of two).
    pub shards: u32,
}

/// How many token shards an index of `docs` documents has.
pub fn token_shards(docs: usize) -> u32 {
    let n = u32::try_from(docs.div_ceil(DOCS_PER_TOKEN_SHARD)).unwrap_or(u32::MAX / 2 + 1);
    n.next_power_of_two().max(MIN_TOKEN_SHARDS)
}

/// The token shard of `token`: FNV-1a over its UTF-16 code units (what a
/// JavaScript string holds), the high half folded in, modulo `shards` (a
/// power of two). `search.js` computes the same.
pub fn shard_of(token: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for u in token.encode_utf16() {
        h ^= u32::from(u);
        h = h.wrapping_mul(16_777_619);
    }
    h ^= h >> 16;
    h & shards.saturating_sub(1)
}

/// Each document's number in the index, by its place in `titles`: ordered
/// by the title's length in characters, then by place.
pub fn order<'a>(titles: impl Iterator<Item = &'a str>) -> Vec<u32> {
    let lens: Vec<usize> = titles.map(|t| t.chars().count()).collect();
    let mut by: Vec<u32> = (0..lens.len() as u32).collect();
    by.sort_by_key(|&i| (lens[i as usize], i));
    let mut rank = vec![0u32; lens.len()];
    for (n, &i) in by.iter().enumerate() {
        rank[i as usize] = n as u32;
    }
    rank
}

/// A posting list of documents by their place, as document numbers (sorted).
pub fn renumber(list: &[(u32, bool)], rank: &[u32]) -> Vec<(u32, bool)> {
    let mut out: Vec<(u32, bool)> = list
        .iter()
        .map(|&(d, title)| (rank[d as usize], title))
        .collect();
    out.sort_unstable_by_key(|p| p.0);
    out
}

fn path_of(name: &str) -> String {
    format!("{DIR}{name}.js")
}

/// A script calling `CUNWU_PART(name, json)`. U+2028 and U+2029 are escaped:
/// JSON allows them raw but older JavaScript engines do not.
fn part(name: &str, json: &str) -> OutputFile {
    let json = json
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    OutputFile {
        path: path_of(name),
        bytes: format!("{PART}\"{name}\",{json});\n").into_bytes(),
    }
}

/// `search-index.js` for `docs` documents in `shards` token shards.
pub fn meta_file(docs: usize, shards: u32) -> OutputFile {
    let meta = Meta {
        v: 2,
        kinds: KINDS.iter().map(|(k, _)| k.to_string()).collect(),
        prefixes: KINDS.iter().map(|(_, p)| p.to_string()).collect(),
        docs: docs as u32,
        per: DOCS_PER_SHARD as u32,
        shards,
    };
    let json = serde_json::to_string(&meta).unwrap_or_default();
    OutputFile {
        path: META_PATH.to_string(),
        bytes: format!("{META_PREFIX}{json};\n").into_bytes(),
    }
}

/// The result shards of `docs` (in document order).
pub fn doc_files(docs: &[Doc]) -> Vec<OutputFile> {
    docs.par_chunks(DOCS_PER_SHARD)
        .enumerate()
        .map(|(k, chunk)| doc_file(k, chunk))
        .collect()
}

/// Result shard `k`.
pub fn doc_file(k: usize, chunk: &[Doc]) -> OutputFile {
    part(
        &format!("d/{k}"),
        &serde_json::to_string(chunk).unwrap_or_default(),
    )
}

/// Token shard `k` of `tokens` (sorted, each with its encoded postings) and
/// the files of its long lists.
pub fn token_files<'t>(
    k: u32,
    tokens: impl Iterator<Item = (&'t str, &'t str)>,
) -> Vec<OutputFile> {
    // `[[token, ...], [list, ...]]`: tokens and lists apart, items joined by
    // commas, which the output scan never reads as part of a number (a
    // `"4892":"…"` pair could join a number token to its list).
    let mut keys = Vec::new();
    let mut lists = Vec::new();
    let mut big = Vec::new();
    for (token, list) in tokens {
        keys.push(token);
        if list.len() > BIG_LIST {
            let n = big.len() + 1;
            lists.push(format!("@{n}"));
            big.push(part(&format!("t/{k}-{n}"), &format!("\"{list}\"")));
        } else {
            lists.push(list.to_string());
        }
    }
    let json = serde_json::to_string(&(keys, lists)).unwrap_or_default();
    let mut out = vec![part(&format!("t/{k}"), &json)];
    out.extend(big);
    out
}

/// The data of a shard file written by [`part`], if it is the one named.
fn part_data<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let rest = text.trim_end().strip_prefix(PART)?;
    let rest = rest.strip_prefix(&format!("\"{name}\","))?;
    rest.strip_suffix(");")
}

/// An index read back from its files.
pub struct Read {
    pub meta: Meta,
    pub docs: Vec<Doc>,
    pub postings: BTreeMap<String, Vec<(u32, bool)>>,
    /// Tokens whose list is in a file of its own, with that file's path.
    pub apart: BTreeMap<String, String>,
}

/// Reads the index through `file` (a path relative to the site root → its
/// text); `None` when a file is missing or malformed.
pub fn read(file: &dyn Fn(&str) -> Option<String>) -> Option<Read> {
    let meta_text = file(META_PATH)?;
    let json = meta_text
        .trim()
        .strip_prefix(META_PREFIX)?
        .strip_suffix(';')?;
    let meta: Meta = serde_json::from_str(json).ok()?;
    if meta.v != 2 || meta.per == 0 || !meta.shards.is_power_of_two() {
        return None;
    }
    let mut docs = Vec::new();
    for k in 0..(meta.docs as usize).div_ceil(meta.per as usize) {
        let name = format!("d/{k}");
        let text = file(&path_of(&name))?;
        let chunk: Vec<Doc> = serde_json::from_str(part_data(&text, &name)?).ok()?;
        docs.extend(chunk);
    }
    if docs.len() != meta.docs as usize {
        return None;
    }
    let mut postings = BTreeMap::new();
    let mut apart = BTreeMap::new();
    for k in 0..meta.shards {
        let name = format!("t/{k}");
        let text = file(&path_of(&name))?;
        let (keys, lists): (Vec<String>, Vec<String>) =
            serde_json::from_str(part_data(&text, &name)?).ok()?;
        if keys.len() != lists.len() || keys.windows(2).any(|w| w[0] >= w[1]) {
            return None;
        }
        for (token, list) in keys.into_iter().zip(lists) {
            if shard_of(&token, meta.shards) != k {
                return None;
            }
            let list = match list.strip_prefix('@') {
                Some(n) => {
                    let name = format!("t/{k}-{n}");
                    let text = file(&path_of(&name))?;
                    apart.insert(token.clone(), path_of(&name));
                    serde_json::from_str::<String>(part_data(&text, &name)?).ok()?
                }
                None => list,
            };
            postings.insert(token, decode(&list)?);
        }
    }
    Some(Read {
        meta,
        docs,
        postings,
        apart,
    })
}

/// The files a query for `tokens` downloads before its first result can be
/// shown: `search-index.js`, the token shards of `tokens`, the files of their
/// long lists, and the result shard of document `first`.
pub fn files_for(read: &Read, tokens: &[String], first: Option<u32>) -> Vec<String> {
    let mut out = vec![META_PATH.to_string()];
    for t in tokens {
        out.push(path_of(&format!("t/{}", shard_of(t, read.meta.shards))));
        if let Some(p) = read.apart.get(t) {
            out.push(p.clone());
        }
    }
    if let Some(d) = first {
        out.push(path_of(&format!("d/{}", d / read.meta.per)));
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_spread_and_stable() {
        // The numbers search.js must give too (tests/features.rs runs it).
        assert_eq!(shard_of("", 8), shard_of("", 8));
        let mut counts = vec![0usize; 64];
        for a in '一'..='龥' {
            counts[shard_of(&format!("{a}村"), 64) as usize] += 1;
        }
        let (min, max) = (*counts.iter().min().unwrap(), *counts.iter().max().unwrap());
        assert!(max < min * 2, "{counts:?}");
        assert_eq!(token_shards(0), MIN_TOKEN_SHARDS);
        assert_eq!(token_shards(184_000), 2048);
    }

    #[test]
    fn documents_are_numbered_by_title_length_then_place() {
        assert_eq!(
            order(["下龙井村", "乡", "龙沱乡", "村"].into_iter()),
            [3, 0, 2, 1]
        );
        assert_eq!(
            renumber(&[(0, true), (1, false)], &[3, 0]),
            [(0, false), (3, true)]
        );
    }
}
