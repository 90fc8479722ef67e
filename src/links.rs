//! Links between documents: a plan links to another plan's `.md` file, as it
//! would in an editor; the site links to that page's URL.

/// If `dest` is a relative link to a Markdown file, returns the target's path
/// under `content/` (normalised) and the `#fragment`, if any.
pub fn md_target(from_rel_path: &str, dest: &str) -> Option<(String, Option<String>)> {
    if dest.contains("://")
        || dest.starts_with('/')
        || dest.starts_with('#')
        || dest.starts_with("mailto:")
    {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest, None),
    };
    if !path.ends_with(".md") {
        return None;
    }
    let base = from_rel_path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some((parts.join("/"), fragment))
}

/// If `dest` is a link to an attachment, its path in the portal and the
/// site (`static/…`, percent-decoded): written from the site's root
/// (`/static/a.jpg`), or relative to the document's file (`../../static/a.jpg`
/// from `content/villages/x.md`).
pub fn attachment_target(from_rel_path: &str, dest: &str) -> Option<String> {
    if dest.contains("://") || dest.starts_with('#') || dest.contains(':') {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?
        .into_owned();
    let mut parts: Vec<&str> = Vec::new();
    if !path.starts_with('/') {
        // Relative to the document's folder under content/.
        parts.push("content");
        let base = from_rel_path.rsplit_once('/').map_or("", |(d, _)| d);
        parts.extend(base.split('/').filter(|s| !s.is_empty()));
    }
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (parts.len() >= 2 && parts[0] == "static").then(|| parts.join("/"))
}

/// True for a relative link to a `.md` file (whether or not it resolves).
pub fn is_relative_md(dest: &str) -> bool {
    let path = dest.split('#').next().unwrap_or("");
    !dest.contains("://")
        && !dest.starts_with('/')
        && !dest.starts_with("mailto:")
        && path.ends_with(".md")
}

/// The output path of a page, relative to the site root: `a/b/index.html`.
pub fn page_output_path(page_id_path: &str) -> String {
    if page_id_path.is_empty() {
        "index.html".to_string()
    } else {
        format!("{page_id_path}/index.html")
    }
}

/// A relative URL from the page written at `from` to the file at `to`
/// (both relative to the site root), so the site works from `file://` and
/// under any sub-path.
pub fn relative_url(from: &str, to: &str) -> String {
    // Walked segment by segment, without lists: every page asks for a few
    // dozen of these.
    let from_dir = from.rsplit_once('/').map(|(dir, _)| dir);
    let mut ups = from_dir.map_or(0, |dir| dir.split('/').count());
    // What is left of `to` after the folders both share; `None` once every
    // segment of `to` is shared.
    let mut rest = Some(to);
    for folder in from_dir.into_iter().flat_map(|dir| dir.split('/')) {
        let Some(left) = rest else { break };
        let (segment, after) = match left.split_once('/') {
            Some((segment, after)) => (segment, Some(after)),
            None => (left, None),
        };
        if segment != folder {
            break;
        }
        ups -= 1;
        rest = after;
    }
    let rest = rest.unwrap_or("");
    let mut out = String::with_capacity(3 * ups + rest.len());
    for _ in 0..ups {
        out.push_str("../");
    }
    out.push_str(rest);
    if out.is_empty() {
        out.push_str("index.html");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_markdown_links() {
        assert_eq!(
            md_target("longtuo/plan.md", "../monitoring/plan-2020.md#timeline"),
            Some(("monitoring/plan-2020.md".into(), Some("timeline".into())))
        );
        assert_eq!(md_target("a.md", "b.md"), Some(("b.md".into(), None)));
        assert_eq!(md_target("a.md", "../../b.md"), None);
        assert_eq!(md_target("a.md", "https://x.cn/b.md"), None);
        assert_eq!(md_target("a.md", "pic.png"), None);
    }

    /// `relative_url` before it walked the segments without lists.
    fn relative_url_old(from: &str, to: &str) -> String {
        let from_dir: Vec<&str> = match from.rsplit_once('/') {
            Some((d, _)) => d.split('/').collect(),
            None => Vec::new(),
        };
        let to_parts: Vec<&str> = to.split('/').collect();
        let common = from_dir
            .iter()
            .zip(&to_parts)
            .take_while(|(a, b)| a == b)
            .count();
        let mut out = String::new();
        for _ in common..from_dir.len() {
            out.push_str("../");
        }
        out.push_str(&to_parts[common..].join("/"));
        if out.is_empty() {
            out.push_str("index.html");
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        /// Short alphabets so that paths share folders, empty segments and
        /// trailing slashes included.
        #[test]
        fn relative_url_is_the_list_based_one(from in "[ab/é]{0,9}", to in "[ab/é]{0,9}") {
            proptest::prop_assert_eq!(relative_url(&from, &to), relative_url_old(&from, &to));
        }
    }

    #[test]
    fn relative_urls_climb_out_of_the_current_folder() {
        assert_eq!(
            relative_url("index.html", "village/a/index.html"),
            "village/a/index.html"
        );
        assert_eq!(
            relative_url("village/a/index.html", "style.css"),
            "../../style.css"
        );
        assert_eq!(
            relative_url("village/a/index.html", "village/b/index.html"),
            "../b/index.html"
        );
    }
}
