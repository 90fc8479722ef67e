//! Printing findings and summaries to the terminal.

use std::io::IsTerminal;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::diag;
use crate::messages::Lang;
use crate::pipeline::Outcome;

/// Prints every finding with source lines and carets to stderr.
pub fn print_diagnostics(outcome: &Outcome) {
    let choice = if std::io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut err = StandardStream::stderr(choice);
    let _ = diag::emit_human(&mut err, &outcome.sources, &outcome.diags, outcome.lang);
}

/// `3 个错误，1 个警告` / `3 errors, 1 warning`.
pub fn counts(outcome: &Outcome) -> String {
    let errors = outcome.errors();
    let warnings = outcome.diags.len() - errors;
    match outcome.lang {
        Lang::Zh => format!("{errors} 个错误，{warnings} 个警告"),
        Lang::En => format!(
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        ),
    }
}
