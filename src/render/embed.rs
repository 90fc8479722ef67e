//! Shortcodes expanded: a plan's `{{< funds programme="…" >}}` becomes the
//! same table the programme page shows, built from the same view functions
//! (`funds_view`, `project_rows`, `exit_view`, `progress_view`) and rendered
//! with the theme's `shortcodes/*.html` templates (autoescaped, so the HTML
//! can go in after the document's own HTML was sanitized).
//!
//! Every id was resolved by the checker (`check::shortcodes`) before the
//! site got here; a call that still does not resolve stays as written.

use serde_json::{Value, json};

use super::views::{Views, area_path, funds_view, programme_path, progress_view, project_path};
use crate::links::relative_url;
use crate::model::{Level, ProgressKind, Project};
use crate::shortcode::Shortcode;

impl Views<'_> {
    /// The HTML of one shortcode on the page written at `from`.
    pub(super) fn embed(&self, call: &Shortcode, from: &str) -> Option<String> {
        let tera = self.tera?;
        let (template, context) = self.embed_context(call, from)?;
        let context = tera::Context::from_serialize(&context).ok()?;
        match tera.render(template, &context) {
            Ok(html) => Some(html.trim().to_string()),
            Err(e) => {
                if let Ok(mut errors) = self.embed_errors.lock() {
                    errors.push((template.to_string(), e));
                }
                None
            }
        }
    }

    /// Shortcode templates that failed while the views were built.
    pub(super) fn take_embed_errors(&self) -> Vec<(String, tera::Error)> {
        self.embed_errors
            .lock()
            .map(|mut e| std::mem::take(&mut *e))
            .unwrap_or_default()
    }

    fn embed_context(&self, call: &Shortcode, from: &str) -> Option<(&'static str, Value)> {
        let year: Option<i32> = call.get("year").and_then(|y| y.parse().ok());
        match call.name.as_str() {
            "funds" => {
                if let Some(id) = call.get("programme") {
                    let g = &self.p.programmes[*self.ix.programmes.get(id)?];
                    let source = json!({"name": g.name.value, "url": relative_url(from, &programme_path(id))});
                    Some((
                        "shortcodes/funds.html",
                        json!({"funds": funds_view(g.funds.as_ref()?), "source": source}),
                    ))
                } else {
                    let id = call.get("project")?;
                    let j = &self.p.projects[*self.ix.projects.get(id)?];
                    let source =
                        json!({"name": j.name.value, "url": relative_url(from, &project_path(id))});
                    Some((
                        "shortcodes/funds.html",
                        json!({"funds": funds_view(&j.funds), "source": source}),
                    ))
                }
            }
            "projects" => {
                let (list, source): (&Vec<usize>, Value) = if let Some(id) = call.get("programme") {
                    let g = &self.p.programmes[*self.ix.programmes.get(id)?];
                    let list = self.ix.projects_of_programme.get(id)?;
                    (
                        list,
                        json!({"name": g.name.value, "url": relative_url(from, &programme_path(id))}),
                    )
                } else {
                    let id = call.get("area")?;
                    let list = self.ix.projects_of_area.get(id)?;
                    (list, self.embed_area_link(from, id)?)
                };
                let projects: Vec<&Project> = list.iter().map(|&i| &self.p.projects[i]).collect();
                let rows = self.project_rows(from, &projects);
                Some((
                    "shortcodes/projects.html",
                    json!({"projects": rows, "source": source}),
                ))
            }
            "indicators" => {
                let id = call.get("village")?;
                let exits: Vec<Value> = self
                    .p
                    .exits
                    .iter()
                    .filter(|e| e.area.value == id && year.is_none_or(|y| e.year.value == y))
                    .map(|e| self.exit_view(e))
                    .collect();
                let area = self.embed_area_link(from, id)?;
                Some((
                    "shortcodes/indicators.html",
                    json!({"exits": exits, "source": area}),
                ))
            }
            "progress" => {
                let id = call.get("area")?;
                let kind: Option<ProgressKind> = match call.get("kind") {
                    Some(k) => Some(ProgressKind::CHOICES.iter().find(|(key, _)| *key == k)?.1),
                    None => None,
                };
                let progress: Vec<Value> = self
                    .site
                    .progress()
                    .iter()
                    .filter(|r| {
                        r.area == id
                            && year.is_none_or(|y| r.year == y)
                            && kind.is_none_or(|k| r.kind == k)
                    })
                    .map(progress_view)
                    .collect();
                let area = self.embed_area_link(from, id)?;
                Some((
                    "shortcodes/progress.html",
                    json!({"progress": progress, "source": area, "min_count": self.site.min_count()}),
                ))
            }
            _ => None,
        }
    }

    /// Name and URL of the page of area `id` (the home page for the county).
    fn embed_area_link(&self, from: &str, id: &str) -> Option<Value> {
        let a = self.p.area(self.ix, id)?;
        let to = if a.level.value == Level::County {
            "index.html".to_string()
        } else {
            area_path(id)
        };
        Some(json!({"name": a.name.value, "url": relative_url(from, &to)}))
    }
}

/// `text` with its inline shortcodes replaced: `{{< figure … >}}` by the
/// record's figure formatted as the tables print it (`899.04万元`,
/// `11,491户`), `{{< known figure="…" … >}}` by the figure as written. A
/// call that does not resolve stays as written (the checker reported it).
/// `markdown` says whether `text` is a document body (code stays literal).
pub(crate) fn inline_text<'t>(
    p: &crate::model::Portal,
    ix: &crate::model::Index,
    text: &'t str,
    markdown: bool,
) -> std::borrow::Cow<'t, str> {
    crate::shortcode::expand_inline(text, markdown, |call| match call.name.as_str() {
        "known" => call.get("figure").map(str::to_string),
        "figure" => {
            let field = call.get("field")?;
            let (kind, id) = ["programme", "project", "area"]
                .into_iter()
                .find_map(|k| call.get(k).map(|id| (k, id)))?;
            let f = crate::model::figures::lookup(p, ix, kind, id, field).ok()??;
            Some(format_figure(&f))
        }
        _ => None,
    })
}

/// A figure the way the tables print it, with its unit: `1,011.00万元`.
pub(crate) fn format_figure(f: &crate::model::figures::Figure) -> String {
    use super::format::{count, number, wan};
    let shown = match f.unit {
        "万元" => wan(f.value),
        "元" => number(f.value),
        _ => u64::try_from(f.value).map_or_else(|_| number(f.value), count),
    };
    format!("{shown}{}", f.unit)
}

impl Views<'_> {
    /// [`inline_text`] over this portal.
    pub(super) fn inline<'t>(&self, text: &'t str, markdown: bool) -> std::borrow::Cow<'t, str> {
        inline_text(self.p, self.ix, text, markdown)
    }

    /// A record's summary with its inline shortcodes expanded.
    pub(super) fn summary_text(&self, s: &Option<crate::source::At<String>>) -> Option<String> {
        s.as_ref()
            .map(|s| self.inline(&s.value, false).into_owned())
    }
}
