//! Printing findings and summaries to the terminal.

use crate::messages::Lang;
use crate::pipeline::Outcome;

pub use crate::print::to_stderr as print_diagnostics;

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
