//! Stage 4, render: turns a [`PublicSite`] into output files in memory.
//! Pure: no disk, no network. Pages are rendered in parallel; every link is
//! relative so the site works from `file://`, a USB stick or any sub-path.

pub mod format;
pub mod markdown;
mod views;

use rayon::prelude::*;
use serde_json::Value;

use crate::diag::Diagnostic;
use crate::gate::PublicSite;
use crate::messages::{Lang, Msg};
use crate::theme::Theme;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output root, with `/`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What the render stage produced.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub diags: Vec<Diagnostic>,
}

/// A page to render: which template, where to write it, and its context.
pub struct Job {
    pub template: &'static str,
    pub path: String,
    pub context: Value,
}

/// Compiles the theme's templates once. Errors name the template file.
pub fn compile(theme: &Theme, lang: Lang) -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Added together so that `extends` and `include` resolve in any order.
    let all = theme.templates.iter().map(|t| (t.name.as_str(), t.source.as_str()));
    match tera.add_raw_templates(all) {
        Ok(()) => Ok(tera),
        Err(e) => {
            let detail = error_chain(&e);
            // Name the file the error is in when tera's message says which.
            let origin = theme
                .templates
                .iter()
                .find(|t| detail.contains(&format!("{}:", t.name)))
                .map_or("themes/default/templates", |t| t.origin.as_str());
            Err(vec![template_error(origin, &e, lang)])
        }
    }
}

fn template_error(origin: &str, e: &tera::Error, lang: Lang) -> Diagnostic {
    let detail = error_chain(e);
    Diagnostic::error(
        "render.template",
        Msg::TemplateFailed {
            template: origin,
            detail: &detail,
        }
        .text(lang),
    )
    .field(origin.to_string())
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        cur = inner.source();
    }
    s
}

/// Renders the whole site.
pub fn render(site: &PublicSite, theme: &Theme, lang: Lang) -> Rendered {
    let tera = match compile(theme, lang) {
        Ok(t) => t,
        Err(diags) => {
            return Rendered {
                files: Vec::new(),
                diags,
            };
        }
    };
    let views = views::Views::new(site);
    let (jobs, mut diags) = views.jobs();
    let origins: std::collections::HashMap<&str, &str> = theme
        .templates
        .iter()
        .map(|t| (t.name.as_str(), t.origin.as_str()))
        .collect();
    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| render_job(&tera, job, &origins, lang))
        .collect();
    let mut files = Vec::with_capacity(results.len() + theme.assets.len() + 1);
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    for (name, bytes) in &theme.assets {
        files.push(OutputFile {
            path: name.clone(),
            bytes: bytes.clone(),
        });
    }
    files.push(OutputFile {
        path: "checks.json".into(),
        bytes: views.checks_json(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Rendered { files, diags }
}

fn render_job(
    tera: &tera::Tera,
    job: &Job,
    origins: &std::collections::HashMap<&str, &str>,
    lang: Lang,
) -> Result<OutputFile, Diagnostic> {
    let context = tera::Context::from_serialize(&job.context)
        .map_err(|e| template_error(job.template, &e, lang))?;
    let html = tera.render(job.template, &context).map_err(|e| {
        let origin = origins.get(job.template).copied().unwrap_or(job.template);
        template_error(origin, &e, lang)
    })?;
    Ok(OutputFile {
        path: job.path.clone(),
        bytes: html.into_bytes(),
    })
}
