//! Source files read by the load stage, and spans into them.
//!
//! Every figure in the model keeps the span it was read from, so a finding
//! raised several stages later can still point at the clerk's own line.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Span {
    /// A span covering nothing in `file`, for findings about a whole file.
    pub fn file_start(file: FileId) -> Span {
        Span { file, range: 0..0 }
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At<T> {
    pub value: T,
    pub span: Span,
}

impl<T> At<T> {
    pub fn new(value: T, span: Span) -> Self {
        At { value, span }
    }
}

/// One file as read from disk, with its line starts for line:column lookups.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the portal root, with `/` separators, as shown to clerks.
    pub name: String,
    /// Absolute path on disk (used by the preview server to map changes back).
    pub path: PathBuf,
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: String, path: PathBuf, text: Arc<str>) -> Self {
        // Found with memchr's vector search: std's `match_indices` starts a
        // search per line, and every plan and data file is read here.
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        SourceFile {
            name,
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, byte: usize) -> (usize, usize) {
        let byte = byte.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= byte) - 1;
        let start = self.line_starts[line];
        let col = self.text[start..floor_char_boundary(&self.text, byte)]
            .chars()
            .count();
        (line + 1, col + 1)
    }

    /// The byte range of 0-based line `index`, without its line ending.
    pub fn line_range(&self, index: usize) -> Option<Range<usize>> {
        let start = *self.line_starts.get(index)?;
        let end = self
            .line_starts
            .get(index + 1)
            .map(|&e| e - 1)
            .unwrap_or(self.text.len());
        Some(start..end)
    }

    pub fn line_index(&self, byte: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= byte) - 1
    }

    /// For a spreadsheet (kept as its reading, one line per cell), the
    /// cell `byte` lies in: `项目!F7`.
    pub fn cell_at(&self, byte: usize) -> Option<&str> {
        let ext = self.name.rsplit_once('.')?.1.to_ascii_lowercase();
        if !matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods" | "csv") {
            return None;
        }
        let range = self.line_range(self.line_index(byte.min(self.text.len())))?;
        cell_of_line(&self.text[range])
    }
}

/// The cell a line of a spreadsheet's reading names after its last ` # `.
pub fn cell_of_line(line: &str) -> Option<&str> {
    let (_, cell) = line.rsplit_once(" # ")?;
    let cell = cell.trim_end();
    cell.contains('!').then_some(cell)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Every file the load stage read, addressed by [`FileId`]. Cheap to clone:
/// the preview server keeps one and replaces single files on change.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<Arc<SourceFile>>,
}

impl Sources {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(Arc::new(file));
        FileId(self.files.len() as u32 - 1)
    }

    /// Replaces the text of a file already read (the preview server's fast path).
    pub fn replace(&mut self, id: FileId, file: SourceFile) {
        self.files[id.0 as usize] = Arc::new(file);
    }

    /// A view holding only `id` (other slots empty), to rescan one file.
    pub fn only(&self, id: FileId) -> Sources {
        let empty = Arc::new(SourceFile::new(
            String::new(),
            PathBuf::new(),
            Arc::from(""),
        ));
        let files = self
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                if i == id.0 as usize {
                    f.clone()
                } else {
                    empty.clone()
                }
            })
            .collect();
        Sources { files }
    }

    /// The id of the file at `path` on disk, if it was read.
    pub fn find_path(&self, path: &std::path::Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| FileId(i as u32))
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f.as_ref()))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Sources {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.get(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.get(id).text)
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.get(id).line_index(byte_index))
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let file = self.get(id);
        match file.line_range(line_index) {
            Some(r) => Ok(r.start..(r.end + 1).min(file.text.len())),
            None => Err(codespan_reporting::files::Error::LineTooLarge {
                given: line_index,
                max: file.line_starts.len() - 1,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Line starts are where `match_indices` put them.
        #[test]
        fn line_starts_are_after_each_newline(text in "[a名\\n\\r]{0,40}") {
            let old: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            let file = SourceFile::new("a".into(), "a".into(), text.as_str().into());
            proptest::prop_assert_eq!(file.line_starts, old);
        }
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = SourceFile::new("a".into(), "a".into(), "名称 = 1\n总额 = 2\n".into());
        let second = f.text.find("总额").unwrap();
        assert_eq!(f.line_col(second), (2, 1));
        let eq = f.text.find("= 2").unwrap();
        assert_eq!(f.line_col(eq), (2, 4));
    }
}
