//! When a file was last changed, from the repository's history, for a portal
//! kept in git: the date of the last commit that touched it. Used for the
//! "data as of" line of a file that does not say `updated` itself.
//!
//! Deterministic: the dates come from the commits, never from the clock or
//! the files' modification times, so two builds of one checkout are
//! byte-identical. A file changed but not committed keeps its last commit's
//! date. Without a `git` binary, or outside a checkout, there are no dates.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::NaiveDate;

/// File path relative to the root (with `/`) → its last commit's date.
pub type Dates = HashMap<String, NaiveDate>;

/// Marks a commit's line in the log output.
const MARK: char = '\u{1}';

/// The last commit date of every file under `data/` and `content/` of the
/// git checkout holding `root`; empty when `root` is not in one.
pub fn last_commit_dates(root: &Path) -> Dates {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.quotePath=false",
            "log",
            "--no-renames",
            "--relative",
            "--name-only",
            "--format=\u{1}%cs",
            "--",
            "data",
            "content",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output();
    match output {
        Ok(out) if out.status.success() => parse_log(&String::from_utf8_lossy(&out.stdout)),
        _ => Dates::new(),
    }
}

/// Reads `git log --name-only` output, newest commit first: the first date
/// seen for a path is its last change.
fn parse_log(log: &str) -> Dates {
    let mut dates = Dates::new();
    let mut current = None;
    for line in log.lines() {
        if let Some(date) = line.strip_prefix(MARK) {
            current = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok();
        } else if let (Some(date), false) = (current, line.is_empty()) {
            dates.entry(line.to_string()).or_insert(date);
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_of_a_path_wins() {
        let log =
            "\u{1}2021-03-01\n\ndata/a.toml\n\n\u{1}2020-02-01\n\ndata/a.toml\ncontent/村/b.md\n";
        let d = parse_log(log);
        assert_eq!(
            d["data/a.toml"],
            NaiveDate::from_ymd_opt(2021, 3, 1).unwrap()
        );
        assert_eq!(
            d["content/村/b.md"],
            NaiveDate::from_ymd_opt(2020, 2, 1).unwrap()
        );
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn a_folder_outside_any_checkout_has_no_dates() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(last_commit_dates(tmp.path()).is_empty());
    }
}
