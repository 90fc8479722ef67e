//! The theme: templates and static files. A default theme is built into the
//! binary, so `cunwu init` and `cunwu build` work with nothing else installed;
//! a portal's `themes/default/` or `templates/` override single files.

use std::path::Path;

/// A template's source and where it came from (shown in error messages).
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub source: String,
    /// `themes/default/templates/page.html`, or `(built-in) page.html`.
    pub origin: String,
}

/// Templates and static files, after overrides.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: Vec<Template>,
    /// Static files copied to the site root, e.g. `style.css`.
    pub assets: Vec<(String, Vec<u8>)>,
}

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}

/// The built-in templates, embedded at compile time.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = builtin![
    "base.html",
    "home.html",
    "area.html",
    "programme.html",
    "project.html",
    "page.html",
    "section.html",
    "checks.html",
    "404.html",
    "funds.html",
    "search.html",
    "shortcodes/funds.html",
    "shortcodes/projects.html",
    "shortcodes/indicators.html",
    "shortcodes/progress.html",
    "data.html",
    "download.html",
    "print.html",
    "poster.html",
];

/// The built-in static files.
pub const BUILTIN_ASSETS: &[(&str, &str)] = &[
    (
        "style.css",
        include_str!("../themes/default/static/style.css"),
    ),
    // Loaded by the search page only (see src/render/search.rs).
    (
        "search.js",
        include_str!("../themes/default/static/search.js"),
    ),
];

/// Loads the theme for the portal at `root`: built-in files, then overrides
/// from `themes/default/` and `templates/`. Returns unreadable files as errors.
pub fn load(root: &Path) -> (Theme, Vec<(String, String)>) {
    let mut errors = Vec::new();
    let mut theme = Theme::default();
    for (name, source) in BUILTIN_TEMPLATES {
        let mut t = Template {
            name: name.to_string(),
            source: source.to_string(),
            origin: format!("(built-in) {name}"),
        };
        for dir in ["themes/default/templates", "templates"] {
            let rel = format!("{dir}/{name}");
            match read_optional(&root.join(&rel)) {
                Ok(Some(text)) => {
                    t.source = text;
                    t.origin = rel;
                }
                Ok(None) => {}
                Err(e) => errors.push((rel, e)),
            }
        }
        theme.templates.push(t);
    }
    for (name, source) in BUILTIN_ASSETS {
        let rel = format!("themes/default/static/{name}");
        let bytes = match read_optional(&root.join(&rel)) {
            Ok(Some(text)) => text.into_bytes(),
            Ok(None) => source.as_bytes().to_vec(),
            Err(e) => {
                errors.push((rel, e));
                source.as_bytes().to_vec()
            }
        };
        theme.assets.push((name.to_string(), bytes));
    }
    (theme, errors)
}

fn read_optional(path: &Path) -> Result<Option<String>, String> {
    match crate::load::read_regular(path) {
        Ok(Ok(bytes)) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| "not UTF-8 text".to_string()),
        Ok(Err(why)) => Err(why.to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}
