//! `cunwu build`.

use std::path::{Path, PathBuf};

use super::report::{counts, print_diagnostics};
use super::{EXIT_OK, EXIT_REFUSED};
use crate::messages::Lang;
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
            let line = match outcome.lang {
                Lang::Zh => format!(
                    "已生成 {}：{} 个页面，{} 张数据表，共 {} 个文件（{:.1} KB），用时 {:.2} 秒",
                    output.display(),
                    outcome.pages,
                    outcome.tables,
                    stats.files,
                    stats.bytes as f64 / 1024.0,
                    secs
                ),
                Lang::En => format!(
                    "built {}: {} pages, {} tables, {} files ({:.1} KB) in {:.2} s",
                    output.display(),
                    outcome.pages,
                    outcome.tables,
                    stats.files,
                    stats.bytes as f64 / 1024.0,
                    secs
                ),
            };
            if !quiet || outcome.diags.is_empty() {
                eprintln!("{line}");
            }
            EXIT_OK
        }
        _ => {
            let line = match outcome.lang {
                Lang::Zh => format!(
                    "未生成网站：{}。{} 保持原样。",
                    counts(&outcome),
                    output.display()
                ),
                Lang::En => format!(
                    "not built: {}. {} is unchanged.",
                    counts(&outcome),
                    output.display()
                ),
            };
            eprintln!("{line}");
            EXIT_REFUSED
        }
    }
}
