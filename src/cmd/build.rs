//! `cunwu build`.

use std::path::{Path, PathBuf};

use super::report::{counts, print_diagnostics};
use super::{EXIT_OK, EXIT_REFUSED};
use crate::messages::{Lang, Msg};
use crate::pipeline::{Options, run_with_progress};

pub fn run(
    root: &Path,
    output: Option<PathBuf>,
    roster: Option<PathBuf>,
    lang: Option<Lang>,
    quiet: bool,
) -> i32 {
    let output = output.unwrap_or_else(|| root.join("public"));
    // Refused before anything is read or written: see docs/limits.md.
    if let Err(refusal) = crate::write::check_output(root, &output) {
        let lang = lang.unwrap_or_default();
        eprintln!("{}", refusal.message(&output.display().to_string(), lang));
        return super::EXIT_USAGE;
    }
    let opts = Options {
        root: root.to_path_buf(),
        output: Some(output.clone()),
        lang,
        roster,
    };
    // A progress bar on a terminal only; plain summaries otherwise (CI, logs, --quiet).
    let progress = !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let outcome = run_with_progress(&opts, progress);
    print_diagnostics(&outcome);
    let secs = outcome.elapsed.as_secs_f64();
    match outcome.written {
        Some(stats) if outcome.errors() == 0 => {
            let line = Msg::Built {
                output: &output.display().to_string(),
                pages: outcome.pages,
                tables: outcome.tables,
                files: stats.files as u64,
                kb: &format!("{:.1}", stats.bytes as f64 / 1024.0),
                secs: &format!("{secs:.2}"),
            }
            .text(outcome.lang);
            if !quiet || outcome.diags.is_empty() {
                eprintln!("{line}");
            }
            EXIT_OK
        }
        _ => {
            let line = Msg::NotBuilt {
                counts: &counts(&outcome),
                output: &output.display().to_string(),
            }
            .text(outcome.lang);
            eprintln!("{line}");
            EXIT_REFUSED
        }
    }
}
