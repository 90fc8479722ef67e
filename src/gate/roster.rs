//! The roster check: names of monitored household members, from a file kept
//! outside the portal, must appear nowhere in the inputs or the output.
//! The roster is only ever held in memory; names are shown masked (王*).
//!
//! Names are matched on the gate's canonical reading of a text
//! ([`super::reading`]: entities, tags, format characters, full-width and
//! compatibility forms), read once more for names: traditional characters
//! as simplified ones (the `fast2s` crate, character by character) and
//! spaces between Chinese characters dropped (`王 小 明`, `王　小明`). The
//! roster's own names are read the same way.

use aho_corasick::AhoCorasick;

/// The names to look for. Never written, logged or printed unmasked.
pub struct Roster {
    names: Vec<String>,
    matcher: Option<AhoCorasick>,
}

impl std::fmt::Debug for Roster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Roster({} names)", self.names.len())
    }
}

/// A roster name found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameHit {
    pub range: std::ops::Range<usize>,
    pub masked: String,
}

impl Roster {
    /// Reads names one per line; blank lines and `#` comments are skipped.
    pub fn parse(text: &str) -> Roster {
        let mut names: Vec<String> = text
            .lines()
            .map(|l| l.trim().trim_start_matches('\u{feff}'))
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| name_reading(super::reading::canonical(l).text()).0)
            .filter(|l| !l.is_empty())
            .collect();
        names.sort();
        names.dedup();
        let matcher = (!names.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(&names)
                .expect("plain strings always build a matcher")
        });
        Roster { names, matcher }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every occurrence of a roster name in `text`, with its range as
    /// written.
    pub fn find(&self, text: &str) -> Vec<NameHit> {
        let Some(m) = &self.matcher else {
            return Vec::new();
        };
        let reading = super::reading::canonical(text);
        let (read, origin) = name_reading(reading.text());
        m.find_iter(&read)
            .map(|hit| {
                let start = origin[hit.start()].start;
                let end = origin[hit.end() - 1].end;
                NameHit {
                    range: reading.written(start..end),
                    masked: mask_name(&self.names[hit.pattern().as_usize()]),
                }
            })
            .collect()
    }
}

/// `text` read for names: traditional characters as simplified, spaces
/// after a Chinese character dropped; with, for each byte of the result,
/// the range of the character of `text` it was read from.
fn name_reading(text: &str) -> (String, Vec<std::ops::Range<usize>>) {
    let simplified = fast2s::convert(text);
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    let mut after_cjk = false;
    for ((i, c), s) in text.char_indices().zip(simplified.chars()) {
        // `王 小 明`; and the dots and hyphens of a minority name
        // (`阿依·古丽`, `阿依.古丽`, `阿依-古丽`) are matched as `阿依古丽`
        // whichever way either side writes them.
        if after_cjk && (c.is_whitespace() || is_name_joiner(s)) {
            continue;
        }
        after_cjk = is_cjk(s);
        out.push(s);
        origin.extend(std::iter::repeat_n(i..i + c.len_utf8(), s.len_utf8()));
    }
    (out, origin)
}

/// A middle dot, a full stop or a hyphen between the parts of a name.
fn is_name_joiner(c: char) -> bool {
    matches!(
        c,
        '·' | '•' | '・' | '‧' | '∙' | '⋅' | '.' | '-' | '‐' | '‑' | '－' | '—' | '–' | '_'
    )
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}')
}

/// `王小明` → `王**`: the family name only.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_and_masks_them() {
        let r = Roster::parse("# 名单\n王小明\n\n李四\n");
        assert_eq!(r.len(), 2);
        let hits = r.find("本村李四家已脱贫，王小明也是。");
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].masked, "李*");
        assert_eq!(hits[1].masked, "王**");
        assert!(r.find("没有名字").is_empty());
        assert!(!format!("{r:?}").contains("王"));
    }

    #[test]
    fn names_in_other_written_forms() {
        let r = Roster::parse("王小明\n陳國強\n");
        for text in [
            "王 小 明",
            "王　小明",
            "王\u{200b}小明",
            "王<b>小</b>明",
            "王&#23567;明",
            "王小\n明",
            "陈国强",
            "陳 國 強",
            "陈國强",
        ] {
            let hits = r.find(text);
            assert_eq!(hits.len(), 1, "{text:?}");
            assert!(!text[hits[0].range.clone()].is_empty());
        }
        assert!(r.find("王小红和陈国").is_empty());
    }
}
