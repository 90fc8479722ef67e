//! Diagnostics: what every stage reports instead of stopping at the first problem.
//!
//! A stage returns its value *and* a list of [`Diagnostic`]s; the command decides
//! the exit code once, at the end, from the worst severity seen.

use std::io::Write;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term;
use serde::Serialize;

use crate::messages::Lang;
use crate::source::{Sources, Span};

mod excerpt;
pub use excerpt::{clip, escape as escape_controls};

/// How serious a finding is. Errors refuse the build; warnings are printed only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A place a finding points at, with a short label ("总额", "筹资").
#[derive(Debug, Clone)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One finding of any stage.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Stable rule id, e.g. `funds.total` or `load.unknown-field`.
    pub rule: &'static str,
    pub severity: Severity,
    /// The message, already in the user's language.
    pub message: String,
    /// The main place (first) and every other figure involved.
    pub labels: Vec<Label>,
    /// Path of the field, e.g. `project[xlj-road].funds.total`.
    pub field: Option<String>,
    pub expected: Option<String>,
    pub found: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(rule: impl Into<&'static str>, message: impl Into<String>) -> Self {
        Diagnostic {
            rule: rule.into(),
            severity: Severity::Error,
            message: message.into(),
            labels: Vec::new(),
            field: None,
            expected: None,
            found: None,
            hint: None,
        }
    }

    pub fn warning(rule: impl Into<&'static str>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, message)
        }
    }

    pub fn at(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn expected_found(mut self, expected: impl Into<String>, found: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self.found = Some(found.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Where the finding is, as `file:line:column`, for logs and tests.
    pub fn location(&self, sources: &Sources) -> Option<String> {
        let label = self.labels.first()?;
        let file = sources.get(label.span.file);
        let (line, col) = file.line_col(label.span.range.start);
        if let Some(cell) = file.cell_at(label.span.range.start) {
            return Some(format!("{}:{}:{} {cell}", file.name, line, col));
        }
        Some(format!("{}:{}:{}", file.name, line, col))
    }
}

/// Sorts findings by file and position so output is stable run to run.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        let key = |d: &Diagnostic| d.labels.first().map(|l| (l.span.file, l.span.range.start));
        key(a)
            .cmp(&key(b))
            .then_with(|| a.rule.cmp(b.rule))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// Writes findings for a person: source lines with carets, like a compiler.
/// Writes them as given: print through [`crate::print::human`], which masks
/// identifiers first.
pub fn write_human(
    out: &mut dyn term::termcolor::WriteColor,
    sources: &Sources,
    diags: &[Diagnostic],
    lang: Lang,
) -> std::io::Result<()> {
    let config = term::Config::default();
    for d in diags {
        let mut cs_diag = to_codespan(d, lang);
        // A spreadsheet's finding names its cell: `项目!F7` before the label.
        for (label, l) in cs_diag.labels.iter_mut().zip(&d.labels) {
            if let Some(cell) = sources.get(l.span.file).cell_at(l.span.range.start) {
                label.message = format!("{cell}: {}", label.message);
            }
        }
        // Long lines are cut around the caret, hidden characters escaped.
        let (quoted, cs_diag) = excerpt::Excerpts::new(sources, cs_diag);
        term::emit(out, &config, &quoted, &cs_diag).map_err(std::io::Error::other)?;
    }
    Ok(())
}

fn to_codespan(d: &Diagnostic, lang: Lang) -> cs::Diagnostic<crate::source::FileId> {
    let base = match d.severity {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
    };
    let labels = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let label = if i == 0 {
                cs::Label::primary(l.span.file, l.span.range.clone())
            } else {
                cs::Label::secondary(l.span.file, l.span.range.clone())
            };
            label.with_message(excerpt::escape(&l.text))
        })
        .collect();
    let mut notes = Vec::new();
    let words = crate::messages::field_words(lang);
    if let Some(f) = &d.field {
        notes.push(format!("{}: {f}", words.field));
    }
    if let Some(e) = &d.expected {
        notes.push(format!("{}: {e}", words.expected));
    }
    if let Some(f) = &d.found {
        notes.push(format!("{}: {f}", words.found));
    }
    if let Some(h) = &d.hint {
        notes.push(format!("{}: {h}", words.hint));
    }
    // Values quoted from the input (a found value, a title in a message)
    // are shown with hidden characters escaped, like the source lines.
    let notes = notes.iter().map(|n| excerpt::escape(n)).collect();
    base.with_code(d.rule)
        .with_message(excerpt::escape(&d.message))
        .with_labels(labels)
        .with_notes(notes)
}

/// The stable JSON form of one finding (documented in `docs/checks.md`).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub rule: &'a str,
    pub severity: Severity,
    pub message: &'a str,
    pub file: Option<&'a str>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub field: Option<&'a str>,
    pub expected: Option<&'a str>,
    pub found: Option<&'a str>,
    pub hint: Option<&'a str>,
    pub labels: Vec<JsonLabel<'a>>,
    /// In a spreadsheet: the cell, `项目!F7`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<&'a str>,
}

/// One labelled place of a finding in JSON output.
#[derive(Debug, Serialize)]
pub struct JsonLabel<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<&'a str>,
}

pub fn to_json<'a>(d: &'a Diagnostic, sources: &'a Sources) -> JsonDiagnostic<'a> {
    let labels: Vec<JsonLabel> = d
        .labels
        .iter()
        .map(|l| {
            let file = sources.get(l.span.file);
            let (line, column) = file.line_col(l.span.range.start);
            JsonLabel {
                file: &file.name,
                line,
                column,
                label: &l.text,
                cell: file.cell_at(l.span.range.start),
            }
        })
        .collect();
    let first = labels.first();
    let cell = first.and_then(|l| l.cell);
    JsonDiagnostic {
        rule: d.rule,
        severity: d.severity,
        message: &d.message,
        file: first.map(|l| l.file),
        line: first.map(|l| l.line),
        column: first.map(|l| l.column),
        field: d.field.as_deref(),
        expected: d.expected.as_deref(),
        found: d.found.as_deref(),
        hint: d.hint.as_deref(),
        labels,
        cell,
    }
}

/// Writes findings as one JSON document: `{"errors": n, "warnings": n, "diagnostics": [...]}`,
/// as given: print through [`crate::print::json`], which masks identifiers first.
pub fn write_json(
    out: &mut dyn Write,
    sources: &Sources,
    diags: &[Diagnostic],
) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Report<'a> {
        schema: &'static str,
        errors: usize,
        warnings: usize,
        diagnostics: Vec<JsonDiagnostic<'a>>,
    }
    let report = Report {
        schema: "cunwu.diagnostics.v1",
        errors: diags.iter().filter(|d| d.is_error()).count(),
        warnings: diags.iter().filter(|d| !d.is_error()).count(),
        diagnostics: diags.iter().map(|d| to_json(d, sources)).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
