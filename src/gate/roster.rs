//! The roster check: names of monitored household members, from a file kept
//! outside the portal, must appear nowhere in the inputs or the output.
//! The roster is only ever held in memory; names are shown masked (王*).

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
            .map(str::to_string)
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

    /// Every occurrence of a roster name in `text`.
    pub fn find(&self, text: &str) -> Vec<NameHit> {
        let Some(m) = &self.matcher else {
            return Vec::new();
        };
        m.find_iter(text)
            .map(|hit| NameHit {
                range: hit.start()..hit.end(),
                masked: mask_name(&self.names[hit.pattern().as_usize()]),
            })
            .collect()
    }
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
}
