//! Printing findings and summaries to the terminal.

use crate::messages::Msg;
use crate::pipeline::Outcome;

pub use crate::print::to_stderr as print_diagnostics;

/// `3 个错误，1 个警告` / `3 errors, 1 warning`.
pub fn counts(outcome: &Outcome) -> String {
    let errors = outcome.errors();
    let warnings = outcome.diags.len() - errors;
    Msg::Counts { errors, warnings }.text(outcome.lang)
}
