//! The files of a built site: [`OutputFile`], and the one list of the paths
//! cunwu writes itself. Names content may not take (the generated folders)
//! and the files that mark a folder as a cunwu site are derived from it.
//! A leaf module: it imports nothing of the crate.

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output root, with `/`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The home page.
pub const HOME: &str = "index.html";
/// The page a server sends for a missing path.
pub const NOT_FOUND: &str = "404.html";
/// The check report, as a page and as JSON.
pub const CHECKS_PAGE: &str = "checks/index.html";
pub const CHECKS_JSON: &str = "checks.json";
/// The search page and its index: `search-index.js` and the shards in
/// `search/` (`search/t/`, `search/d/`).
pub const SEARCH_PAGE: &str = "search/index.html";
pub const SEARCH_INDEX: &str = "search-index.js";
pub const SEARCH_SHARDS: &str = "search/";
/// The data downloads page and the Frictionless data package.
pub const DATA_INDEX: &str = "data/index.html";
pub const DATA_PACKAGE: &str = "datapackage.json";
/// The Atom feed and the sitemap (only with `base_url`).
pub const ATOM: &str = "atom.xml";
pub const SITEMAP: &str = "sitemap.xml";
/// The file every build writes at the top of the site. A folder that holds it
/// was written by cunwu and may be replaced by the next build.
pub const STAMP: &str = ".cunwu-site";
/// Folders of one page per area, programme and project.
pub const AREAS: &str = "areas/";
pub const PROGRAMMES: &str = "programmes/";
pub const PROJECTS: &str = "projects/";
/// The portal's attachments (`static/`), copied with their metadata stripped.
pub const STATIC: &str = "static/";

/// Every path (or, ending in `/`, folder) the generator writes itself, whatever
/// the portal holds. The theme's assets are added by the theme.
pub const GENERATED: &[&str] = &[
    HOME,
    NOT_FOUND,
    CHECKS_PAGE,
    CHECKS_JSON,
    SEARCH_PAGE,
    SEARCH_INDEX,
    SEARCH_SHARDS,
    DATA_INDEX,
    DATA_PACKAGE,
    ATOM,
    SITEMAP,
    STAMP,
    AREAS,
    PROGRAMMES,
    PROJECTS,
    STATIC,
];

/// Files every site written by cunwu has at its top, stamp or not: a folder
/// holding all of them was written by an earlier cunwu (before the stamp).
pub const EARLIER_SITE_FILES: [&str; 4] = [HOME, NOT_FOUND, CHECKS_JSON, DATA_PACKAGE];

/// Whether `top`, a top-level folder name, is one the generator writes into
/// (derived from [`GENERATED`]): content may not use it.
pub fn is_generated_folder(top: &str) -> bool {
    GENERATED.iter().any(|p| {
        p.split_once('/')
            .is_some_and(|(first, _)| !first.is_empty() && first == top)
    })
}

/// The generated top-level folders, in [`GENERATED`]'s order.
pub fn generated_folders() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for p in GENERATED {
        if let Some((first, _)) = p.split_once('/') {
            if !out.contains(&first) {
                out.push(first);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_folders_are_the_ones_pages_are_written_into() {
        assert_eq!(
            generated_folders(),
            [
                "checks",
                "search",
                "data",
                "areas",
                "programmes",
                "projects",
                "static"
            ]
        );
        assert!(is_generated_folder("data"));
        assert!(!is_generated_folder("index.html"));
        assert!(!is_generated_folder("notices"));
    }

    #[test]
    fn earlier_site_files_are_generated_files() {
        for f in EARLIER_SITE_FILES {
            assert!(GENERATED.contains(&f), "{f}");
        }
    }
}
