//! Printing findings: every diagnostic that leaves the process goes through
//! here, with identifiers masked by the privacy gate first
//! ([`crate::gate::redact_messages`]), then written by `diag` as compiler-style
//! text or as the stable JSON schema. Used by the commands and the preview.

use std::io::{IsTerminal, Write};

use codespan_reporting::term;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::diag::{self, Diagnostic};
use crate::lang::Lang;
use crate::pipeline::Outcome;
use crate::source::Sources;

/// Writes findings for a person: source lines with carets, like a compiler.
pub fn human(
    out: &mut dyn term::termcolor::WriteColor,
    sources: &Sources,
    diags: &[Diagnostic],
    lang: Lang,
) -> std::io::Result<()> {
    diag::write_human(out, sources, &crate::gate::redact_messages(diags), lang)
}

/// Writes findings as one JSON document: `{"errors": n, "warnings": n, "diagnostics": [...]}`.
pub fn json(out: &mut dyn Write, sources: &Sources, diags: &[Diagnostic]) -> std::io::Result<()> {
    diag::write_json(out, sources, &crate::gate::redact_messages(diags))
}

/// Prints every finding with source lines and carets to stderr.
pub fn to_stderr(outcome: &Outcome) {
    let choice = if std::io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut err = StandardStream::stderr(choice);
    let _ = human(&mut err, &outcome.sources, &outcome.diags, outcome.lang);
}
