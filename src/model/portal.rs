//! The whole loaded portal and its lookup maps.

use super::*;

/// Everything the load stage read, typed.
///
/// Derefs to its [`Records`], so `portal.projects` reads the projects.
#[derive(Debug, Clone)]
pub struct Portal {
    pub config: Config,
    /// The data files' records, in file order.
    pub records: Records,
    pub pages: Vec<Page>,
    /// When each file's figures were last changed (`updated` or git).
    pub dates: FileDates,
    /// The files of `static/`, as they are published (see `load/attach.rs`).
    pub attachments: Vec<Attachment>,
}

/// A file of `static/` (a photo, a scanned approval) as it is published: its
/// path in the site (`static/…`), its bytes with the metadata of photos
/// stripped, and the source that holds the text the privacy gate scans for it
/// (the text of a PDF; empty for an image).
#[derive(Debug, Clone)]
pub struct Attachment {
    pub path: String,
    pub bytes: std::sync::Arc<[u8]>,
    pub file: crate::source::FileId,
}

impl std::ops::Deref for Portal {
    type Target = Records;

    fn deref(&self) -> &Records {
        &self.records
    }
}

impl std::ops::DerefMut for Portal {
    fn deref_mut(&mut self) -> &mut Records {
        &mut self.records
    }
}

/// A map by id. foldhash, not the standard SipHash: every stage looks ids
/// up, and at province scale the hashing alone was a tenth of a preview
/// edit. The keys are the portal's own ids, not input from a network.
pub type IdMap<V> = foldhash::HashMap<String, V>;

/// Lookups by id, built once so no stage scans a list inside a loop.
#[derive(Debug, Default, Clone)]
pub struct Index {
    pub areas: IdMap<usize>,
    pub programmes: IdMap<usize>,
    pub projects: IdMap<usize>,
    pub pages: IdMap<usize>,
    /// Page index by its path under `content/` (`a/b.md`).
    pub page_paths: IdMap<usize>,
    /// Children of each area, in data order.
    pub children: IdMap<Vec<usize>>,
    pub projects_of_area: IdMap<Vec<usize>>,
    pub projects_of_programme: IdMap<Vec<usize>>,
    pub pages_of_area: IdMap<Vec<usize>>,
}

impl Index {
    /// Builds the maps; the first of duplicate ids wins (duplicates are reported by the checker).
    /// Reads only what [`Portal::indexes_like`] compares.
    pub fn build(p: &Portal) -> Index {
        let mut ix = Index::default();
        for (i, a) in p.areas.iter().enumerate() {
            ix.areas.entry(a.id.value.clone()).or_insert(i);
            if let Some(parent) = &a.parent {
                ix.children.entry(parent.value.clone()).or_default().push(i);
            }
        }
        for (i, g) in p.programmes.iter().enumerate() {
            ix.programmes.entry(g.id.value.clone()).or_insert(i);
        }
        for (i, j) in p.projects.iter().enumerate() {
            ix.projects.entry(j.id.value.clone()).or_insert(i);
            ix.projects_of_area
                .entry(j.area.value.clone())
                .or_default()
                .push(i);
            if let Some(g) = &j.programme {
                ix.projects_of_programme
                    .entry(g.value.clone())
                    .or_default()
                    .push(i);
            }
        }
        ix.index_pages(&p.pages);
        ix
    }

    /// Builds the page maps again for `pages`, keeping the record maps: the
    /// gate drops drafts from a portal whose records it does not touch, and
    /// rebuilding every map of a province for that took a tenth of a second.
    pub fn reindex_pages(&mut self, pages: &[Page]) {
        self.pages.clear();
        self.page_paths.clear();
        self.pages_of_area.clear();
        self.index_pages(pages);
    }

    fn index_pages(&mut self, pages: &[Page]) {
        for (i, page) in pages.iter().enumerate() {
            self.pages.entry(page.id.clone()).or_insert(i);
            self.page_paths.insert(page.rel_path.clone(), i);
            if let Some(a) = &page.area {
                self.pages_of_area
                    .entry(a.value.clone())
                    .or_default()
                    .push(i);
            }
        }
    }
}

impl Portal {
    /// Whether [`Index::build`] makes the same lookups of both portals: the
    /// ids, parents and owners it reads are the same, in the same order. A
    /// data edit that changes figures or texts only keeps them, and the
    /// preview then keeps its lookups (a province's take 0.1 s to build).
    pub fn indexes_like(&self, other: &Portal) -> bool {
        alike(self.records.slices(), other.records.slices())
            && pages_alike(&self.pages, &other.pages)
    }

    /// [`Portal::indexes_like`] for `other` when it differs from this
    /// portal only in the records and documents of `files` (the preview's
    /// record route): the lists' lengths, and where those files' records
    /// start and what they are, so a province's edit need not compare
    /// 200,000 records.
    pub fn indexes_like_in(&self, other: &Portal, files: &[FileId]) -> bool {
        let (a, b) = (&self.records, &other.records);
        let lengths = a.areas.len() == b.areas.len()
            && a.programmes.len() == b.programmes.len()
            && a.projects.len() == b.projects.len()
            && self.pages.len() == other.pages.len();
        fn start<T: InFile>(u: &[T], v: &[T], f: FileId) -> bool {
            file_range(u, f).start == file_range(v, f).start
        }
        lengths
            && files.iter().all(|&f| {
                let (px, py) = (&self.pages, &other.pages);
                start(&a.areas, &b.areas, f)
                    && start(&a.programmes, &b.programmes, f)
                    && start(&a.projects, &b.projects, f)
                    && start(px, py, f)
                    && alike(a.slices_of(f), b.slices_of(f))
                    && pages_alike(&px[file_range(px, f)], &py[file_range(py, f)])
            })
    }

    /// The area with `id`, if any.
    pub fn area<'a>(&'a self, ix: &Index, id: &str) -> Option<&'a Area> {
        ix.areas.get(id).map(|&i| &self.areas[i])
    }

    /// The chain of areas from the county down to `id` (inclusive).
    pub fn area_path<'a>(&'a self, ix: &Index, id: &str) -> Vec<&'a Area> {
        let mut out = Vec::new();
        let mut cur = self.area(ix, id);
        while let Some(a) = cur {
            if out.iter().any(|x: &&Area| x.id.value == a.id.value) {
                break; // a cycle; the checker reports it
            }
            out.push(a);
            cur = a.parent.as_ref().and_then(|p| self.area(ix, &p.value));
        }
        out.reverse();
        out
    }
}

fn same<T>(a: &[T], b: &[T], eq: impl Fn(&T, &T) -> bool) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| eq(x, y))
}

fn value(id: &Option<Id>) -> Option<&str> {
    id.as_ref().map(|i| i.value.as_str())
}

/// The ids, parents and owners [`Index::build`] reads are the same.
fn alike(a: Slices, b: Slices) -> bool {
    same(a.areas, b.areas, |a, b| {
        a.id.value == b.id.value && value(&a.parent) == value(&b.parent)
    }) && same(a.programmes, b.programmes, |a, b| a.id.value == b.id.value)
        && same(a.projects, b.projects, |a, b| {
            a.id.value == b.id.value
                && a.area.value == b.area.value
                && value(&a.programme) == value(&b.programme)
        })
}

fn pages_alike(a: &[Page], b: &[Page]) -> bool {
    same(a, b, |a, b| {
        a.id == b.id && a.rel_path == b.rel_path && value(&a.area) == value(&b.area)
    })
}
