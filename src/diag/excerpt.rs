//! What a finding quotes of its source lines: at most [`MAX_CHARS`]
//! characters around the caret, with control and bidirectional-override
//! characters shown escaped (`\u{202e}`), so that a 2 MB one-line file or a
//! line crafted to reorder the terminal's text prints a short, honest excerpt.
//!
//! [`Excerpts`] stands in for [`Sources`] when a finding is printed: it holds
//! only the lines the finding's labels are on, rewritten, and maps line
//! numbers and columns back to the real file's.

use std::collections::BTreeMap;
use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error, Files};

use crate::source::{FileId, Sources};

/// Characters of a source line quoted at most.
pub const MAX_CHARS: usize = 200;

/// Characters kept before the caret when a line is cut.
const BEFORE: usize = 80;

/// Whether `c` is shown escaped: control characters (tab and line feed
/// aside: a source line has none, a message may span lines) and the
/// characters that change the direction text is drawn in.
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with hidden characters escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_char(&mut out, c);
    }
    out
}

fn push_char(out: &mut String, c: char) {
    if is_hidden(c) {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// At most `n` characters of `s`.
pub fn clip(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// One quoted line of a file.
struct Line {
    /// 0-based line index in the real file.
    real: usize,
    /// Its range in [`FileExcerpt::text`], line ending included.
    range: Range<usize>,
    /// Shown byte offset → real 1-based column, for the labels' ends.
    columns: Vec<(usize, usize)>,
}

#[derive(Default)]
struct FileExcerpt {
    text: String,
    lines: Vec<Line>,
}

/// The quoted lines of one finding's files.
pub struct Excerpts<'s> {
    sources: &'s Sources,
    files: BTreeMap<FileId, FileExcerpt>,
}

impl<'s> Excerpts<'s> {
    /// Rewrites the lines `diag`'s labels point at and the labels with them.
    pub fn new(
        sources: &'s Sources,
        diag: cs::Diagnostic<FileId>,
    ) -> (Excerpts<'s>, cs::Diagnostic<FileId>) {
        // Which offsets each line must keep in view.
        let mut wanted: BTreeMap<FileId, BTreeMap<usize, Vec<usize>>> = BTreeMap::new();
        for label in &diag.labels {
            let file = sources.get(label.file_id);
            let len = file.text.len();
            let start = floor(&file.text, label.range.start.min(len));
            let end = floor(&file.text, label.range.end.min(len));
            let (first, last) = (file.line_index(start), file.line_index(end));
            let lines = wanted.entry(label.file_id).or_default();
            for line in first..=last {
                lines.entry(line).or_default();
            }
            lines.entry(first).or_default().push(start);
            lines.entry(last).or_default().push(end);
        }
        let mut files = BTreeMap::new();
        // Real offset → shown offset, per file.
        let mut maps: BTreeMap<FileId, Vec<(usize, usize)>> = BTreeMap::new();
        for (id, lines) in wanted {
            let file = sources.get(id);
            let mut ex = FileExcerpt::default();
            let map = maps.entry(id).or_default();
            for (real, offsets) in lines {
                let Some(range) = file.line_range(real) else {
                    continue;
                };
                let text = &file.text[range.clone()];
                let shown_start = ex.text.len();
                let mut columns = Vec::new();
                let focus = offsets
                    .first()
                    .map_or(0, |&o| o.saturating_sub(range.start));
                let shown = quote_line(
                    text,
                    focus,
                    |at, shown_at| {
                        let real_at = range.start + at;
                        let (_, col) = file.line_col(real_at);
                        map.push((real_at, shown_start + shown_at));
                        columns.push((shown_start + shown_at, col));
                    },
                    &offsets
                        .iter()
                        .map(|o| o.saturating_sub(range.start))
                        .collect::<Vec<_>>(),
                );
                ex.text.push_str(&shown);
                ex.text.push('\n');
                ex.lines.push(Line {
                    real,
                    range: shown_start..ex.text.len(),
                    columns,
                });
            }
            files.insert(id, ex);
        }
        let mut diag = diag;
        for label in &mut diag.labels {
            let map = &maps[&label.file_id];
            let find = |real: usize| {
                let text = &sources.get(label.file_id).text;
                let real = floor(text, real.min(text.len()));
                map.iter().find(|(r, _)| *r == real).map_or(0, |(_, s)| *s)
            };
            let (start, end) = (find(label.range.start), find(label.range.end));
            label.range = start..end.max(start);
        }
        (Excerpts { sources, files }, diag)
    }

    fn excerpt(&self, id: FileId) -> Result<&FileExcerpt, Error> {
        self.files.get(&id).ok_or(Error::FileMissing)
    }
}

/// The shown form of `line` (without its ending): whole when short and
/// plain, else a window of [`MAX_CHARS`] characters around byte `focus`,
/// with `…` where it was cut. `mark(real, shown)` is told where each byte
/// offset of `keep` lands.
fn quote_line(
    line: &str,
    focus: usize,
    mut mark: impl FnMut(usize, usize),
    keep: &[usize],
) -> String {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let focus = floor(line, focus.min(line.len()));
    let count = line.chars().count();
    let (from, to) = if count <= MAX_CHARS {
        (0, line.len())
    } else {
        let before = line[..focus].chars().count();
        let start_char = before.saturating_sub(BEFORE).min(count - MAX_CHARS);
        let from = line.char_indices().nth(start_char).map_or(0, |(i, _)| i);
        let to = line[from..]
            .char_indices()
            .nth(MAX_CHARS)
            .map_or(line.len(), |(i, _)| from + i);
        (from, to)
    };
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut keep: Vec<usize> = keep
        .iter()
        .map(|&k| floor(line, k.min(line.len())))
        .collect();
    keep.sort_unstable();
    keep.dedup();
    let mut next = keep.iter().peekable();
    // Offsets before the window land at its start.
    while let Some(&&k) = next.peek() {
        if k >= from {
            break;
        }
        mark(k, out.len());
        next.next();
    }
    for (i, c) in line[from..to].char_indices() {
        while let Some(&&k) = next.peek() {
            if k > from + i {
                break;
            }
            mark(k, out.len());
            next.next();
        }
        push_char(&mut out, c);
    }
    // Offsets at or after the window's end land at its end.
    for &k in next {
        mark(k, out.len());
    }
    if to < line.len() {
        out.push('…');
    }
    out
}

fn floor(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl<'a> Files<'a> for Excerpts<'_> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, Error> {
        Ok(&self.sources.get(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, Error> {
        Ok(&self.excerpt(id)?.text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, Error> {
        let ex = self.excerpt(id)?;
        let k = ex
            .lines
            .partition_point(|l| l.range.start <= byte_index)
            .saturating_sub(1);
        Ok(ex.lines.get(k).map_or(0, |l| l.real))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, Error> {
        let ex = self.excerpt(id)?;
        match ex.lines.iter().find(|l| l.real == line_index) {
            Some(l) => Ok(l.range.clone()),
            None => {
                // A line not quoted: empty, after the last quoted line before it.
                let at = ex
                    .lines
                    .iter()
                    .take_while(|l| l.real < line_index)
                    .last()
                    .map_or(0, |l| l.range.end);
                Ok(at..at)
            }
        }
    }

    fn column_number(
        &'a self,
        id: FileId,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let ex = self.excerpt(id)?;
        let line = ex.lines.iter().find(|l| l.real == line_index);
        if let Some(&(_, col)) = line.and_then(|l| l.columns.iter().find(|(b, _)| *b == byte_index))
        {
            return Ok(col);
        }
        let start = line.map_or(0, |l| l.range.start);
        let end = byte_index.clamp(start, ex.text.len());
        Ok(ex.text[start..floor(&ex.text, end)].chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_plain_lines_are_quoted_whole() {
        let mut marks = Vec::new();
        let s = quote_line("id = \"x\"", 5, |r, s| marks.push((r, s)), &[5, 8]);
        assert_eq!(s, "id = \"x\"");
        assert_eq!(marks, vec![(5, 5), (8, 8)]);
    }

    #[test]
    fn long_lines_are_cut_around_the_caret_and_hidden_characters_escaped() {
        let line = format!("{}\u{202e}KEY{}", "a".repeat(5000), "b".repeat(5000));
        let at = 5000;
        let mut marks = Vec::new();
        let s = quote_line(&line, at, |r, s| marks.push((r, s)), &[at, at + 6]);
        assert!(s.chars().count() <= MAX_CHARS + 20, "{}", s.chars().count());
        assert!(s.contains("\\u{202e}KEY"), "{s}");
        assert!(!s.contains('\u{202e}'));
        assert!(s.starts_with('…') && s.ends_with('…'));
        let shown_at = marks[0].1;
        assert!(s[shown_at..].starts_with("\\u{202e}"), "{s}");
    }
}
