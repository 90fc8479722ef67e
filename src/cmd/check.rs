//! `cunwu check`.

use std::path::{Path, PathBuf};

use super::report::{counts, print_diagnostics};
use super::{EXIT_OK, EXIT_REFUSED, Format};
use crate::messages::{Lang, Msg};
use crate::pipeline::{Options, check_only};

pub fn run(root: &Path, roster: Option<PathBuf>, lang: Option<Lang>, format: Format) -> i32 {
    let opts = Options {
        root: root.to_path_buf(),
        output: None,
        lang,
        roster,
    };
    let outcome = check_only(&opts);
    match format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            let _ = crate::print::json(&mut out, &outcome.sources, &outcome.diags);
        }
        Format::Human => {
            print_diagnostics(&outcome);
            let counts = counts(&outcome);
            let line = if outcome.errors() == 0 {
                Msg::CheckPassed { counts: &counts }
            } else {
                Msg::CheckFailed { counts: &counts }
            }
            .text(outcome.lang);
            eprintln!("{line}");
        }
    }
    if outcome.errors() == 0 {
        EXIT_OK
    } else {
        EXIT_REFUSED
    }
}
