//! Shared helpers for the end-to-end tests (`tests/cli.rs`, `tests/site.rs`).
//!
//! Every test works on its own copy of a portal in its own temporary folder and
//! runs the real `cunwu` binary, so tests are independent and run in parallel.
//!
//! ```ignore
//! let portal = Portal::from_fixture("bad-input/unknown-field");
//! let run = portal.build();
//! run.assert_refused().assert_mentions(&portal.locate("data/areas.toml", "populaton"));
//! ```

#![allow(dead_code)] // each test crate uses a different part of this module

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use scraper::{Html, Selector};
use tempfile::TempDir;

/// The repository root, which is also the bundled example portal.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>`.
pub fn fixture_dir(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// Runs `cunwu` with `args` (in a fresh empty working folder) and captures the result.
pub fn cunwu(args: &[&str]) -> Run {
    let cwd = TempDir::new().expect("temp dir");
    cunwu_in(cwd.path(), args)
}

/// Runs `cunwu` with `args` in `cwd`.
pub fn cunwu_in(cwd: &Path, args: &[&str]) -> Run {
    let output = assert_cmd::cargo::cargo_bin_cmd!("cunwu")
        .args(args)
        .current_dir(cwd)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LOG")
        .output()
        .expect("run cunwu");
    Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A portal copied into a temporary folder: `<tmp>/portal`, built into `<tmp>/public`.
pub struct Portal {
    tmp: TempDir,
    root: PathBuf,
}

impl Portal {
    /// A copy of `tests/fixtures/<name>`.
    pub fn from_fixture(name: &str) -> Portal {
        let src = fixture_dir(name);
        assert!(src.is_dir(), "no fixture {}", src.display());
        Portal::copy_of(
            &src,
            &["cunwu.toml", "data", "content", "themes", "templates"],
        )
    }

    /// A copy of the bundled example portal (the repository root).
    pub fn example() -> Portal {
        Portal::copy_of(
            &repo_root(),
            &["cunwu.toml", "data", "content", "themes", "templates"],
        )
    }

    /// An empty temporary folder with nothing in `portal/` yet.
    pub fn empty() -> Portal {
        let tmp = TempDir::new().expect("temp dir");
        let root = tmp.path().join("portal");
        Portal { tmp, root }
    }

    fn copy_of(src: &Path, parts: &[&str]) -> Portal {
        let portal = Portal::empty();
        std::fs::create_dir_all(&portal.root).unwrap();
        for part in parts {
            let from = src.join(part);
            if from.exists() {
                copy_tree(&from, &portal.root.join(part));
            }
        }
        portal
    }

    /// Ids of the villages in `data/`, read with the toml crate (not with cunwu).
    pub fn village_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for entry in walkdir::WalkDir::new(self.path("data")) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let doc: toml::Table = text.parse().unwrap();
            let areas = doc.get("area").and_then(|a| a.as_array());
            for area in areas.into_iter().flatten().filter_map(|a| a.as_table()) {
                if area.get("level").and_then(|l| l.as_str()) == Some("village") {
                    ids.push(area["id"].as_str().unwrap().to_string());
                }
            }
        }
        ids.sort();
        ids
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The temporary folder holding `portal/` and `public/`.
    pub fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// Where [`Portal::build`] writes the site: beside the portal, not inside it.
    pub fn output(&self) -> PathBuf {
        self.tmp.path().join("public")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Writes (or replaces) a file of the portal, creating folders as needed.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Portal {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Portal {
        let path = self.path(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else {
            std::fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
        }
        self
    }

    /// `file:line:column` of the first occurrence of `needle` in a portal file,
    /// 1-based, columns in characters: the way cunwu prints locations.
    pub fn locate(&self, rel: &str, needle: &str) -> String {
        let text = self.read(rel);
        let at = text
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in {rel}"));
        let (line, col) = line_col(&text, at);
        format!("{rel}:{line}:{col}")
    }

    /// `cunwu build --root <portal> --output <tmp>/public`, plus `extra` arguments.
    pub fn build_with(&self, extra: &[&str]) -> Run {
        let root = self.root.to_str().unwrap();
        let out = self.output();
        let mut args = vec!["build", "--root", root, "--output", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        cunwu_in(self.tmp.path(), &args)
    }

    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    /// Builds and expects success; returns the built site (which lives as long
    /// as the portal's temporary folder).
    pub fn built(&self) -> Site<'_> {
        self.build().assert_ok();
        Site::at(self.output())
    }

    /// `cunwu check --root <portal>`, plus `extra` arguments.
    pub fn check_with(&self, extra: &[&str]) -> Run {
        let mut args = vec!["check", "--root", self.root.to_str().unwrap()];
        args.extend_from_slice(extra);
        cunwu_in(self.tmp.path(), &args)
    }
}

/// 1-based line and column (in characters) of byte offset `at`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..at].chars().count() + 1)
}

fn copy_tree(from: &Path, to: &Path) {
    let meta = std::fs::symlink_metadata(from).unwrap();
    if meta.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        let mut entries: Vec<_> = std::fs::read_dir(from)
            .unwrap()
            .map(|e| e.unwrap())
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            copy_tree(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn describe(&self) -> String {
        format!(
            "cunwu {}\nexit code {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }

    /// Exit code 0.
    pub fn assert_ok(&self) -> &Run {
        assert_eq!(self.code, 0, "expected success\n{}", self.describe());
        self.assert_clean_output()
    }

    /// Exit code 1 (refused input), with a clean, human report.
    pub fn assert_refused(&self) -> &Run {
        assert_eq!(self.code, 1, "expected exit code 1\n{}", self.describe());
        self.assert_clean_output()
    }

    /// Exit code 2 (usage error).
    pub fn assert_usage_error(&self) -> &Run {
        assert_eq!(self.code, 2, "expected exit code 2\n{}", self.describe());
        self.assert_clean_output()
    }

    /// No panic and no Rust debug output (`Some(..)`, `Err(..)`, `Struct { field: .. }`).
    pub fn assert_clean_output(&self) -> &Run {
        for stream in [&self.stdout, &self.stderr] {
            for bad in [
                "panicked",
                "RUST_BACKTRACE",
                "Some(",
                "Err(",
                "Ok(",
                "\\\"",
                "\\n",
            ] {
                assert!(
                    !stream.contains(bad),
                    "output contains `{bad}`\n{}",
                    self.describe()
                );
            }
            let struct_dump = predicate::str::is_match(r"\{ [A-Za-z_]+: ").unwrap();
            assert!(
                !struct_dump.eval(stream.as_str()),
                "output has a debug dump\n{}",
                self.describe()
            );
        }
        self
    }

    /// stderr contains `text`.
    pub fn assert_mentions(&self, text: &str) -> &Run {
        assert!(
            self.stderr.contains(text),
            "stderr does not mention `{text}`\n{}",
            self.describe()
        );
        self
    }

    /// stderr does not contain `text`.
    pub fn assert_not_mentions(&self, text: &str) -> &Run {
        assert!(
            !self.stderr.contains(text),
            "stderr mentions `{text}`\n{}",
            self.describe()
        );
        self
    }

    /// Number of `error[...]` findings printed.
    pub fn error_count(&self) -> usize {
        self.stderr.matches("error[").count()
    }
}

/// A built site on disk. The lifetime ties it to the folder that holds it.
pub struct Site<'a> {
    pub root: PathBuf,
    _in: std::marker::PhantomData<&'a ()>,
}

impl Site<'_> {
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Site {
            root: root.into(),
            _in: std::marker::PhantomData,
        }
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).is_file()
    }

    pub fn text(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| {
            panic!(
                "{rel} was not written ({e}); the site has:\n{}",
                self.files().join("\n")
            )
        })
    }

    pub fn page(&self, rel: &str) -> Page {
        Page {
            path: rel.to_string(),
            html: Html::parse_document(&self.text(rel)),
        }
    }

    /// Every file of the site, relative with `/`, sorted.
    pub fn files(&self) -> Vec<String> {
        snapshot(&self.root).into_keys().collect()
    }

    pub fn html_files(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }
}

/// Every file under `dir` (relative path with `/` → bytes).
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Names of the entries directly inside `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// One parsed HTML page.
pub struct Page {
    pub path: String,
    pub html: Html,
}

impl Page {
    pub fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let sel = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.html.select(&sel).collect()
    }

    /// The text of every element matching `css`, whitespace-collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css)
            .into_iter()
            .map(|e| squash(&e.text().collect::<String>()))
            .collect()
    }

    /// The fund table (`table.funds`) as `label → amount` rows, plus the total.
    pub fn fund_table(&self) -> FundTable {
        let tables = self.select("table.funds");
        assert!(!tables.is_empty(), "{} has no fund table", self.path);
        let row_sel = Selector::parse("tbody tr").unwrap();
        let th = Selector::parse("th").unwrap();
        let td = Selector::parse("td").unwrap();
        let total_sel = Selector::parse("tfoot td.total").unwrap();
        let mut out = FundTable::default();
        for table in tables {
            for row in table.select(&row_sel) {
                let label = row
                    .select(&th)
                    .next()
                    .map(|e| squash(&e.text().collect::<String>()));
                let cells: Vec<String> = row
                    .select(&td)
                    .map(|e| squash(&e.text().collect::<String>()))
                    .collect();
                if let (Some(label), Some(amount)) = (label, cells.first()) {
                    out.rows.push((
                        label,
                        amount.clone(),
                        cells.get(1).cloned().unwrap_or_default(),
                    ));
                }
            }
            if let Some(t) = table.select(&total_sel).next() {
                out.totals.push(squash(&t.text().collect::<String>()));
            }
        }
        out
    }

    /// All visible text of `<main>`.
    pub fn main_text(&self) -> String {
        self.texts("main").join(" ")
    }
}

/// A fund table read from a page: `(label, amount, note)` rows and the totals.
#[derive(Debug, Default)]
pub struct FundTable {
    pub rows: Vec<(String, String, String)>,
    pub totals: Vec<String>,
}

impl FundTable {
    /// The amount on the row labelled exactly `label` (e.g. `其中：省级`).
    pub fn amount(&self, label: &str) -> Option<&str> {
        self.row(label).map(|(_, a, _)| a.as_str())
    }

    /// The note (说明) on the row labelled exactly `label`.
    pub fn note(&self, label: &str) -> Option<&str> {
        self.row(label).map(|(_, _, n)| n.as_str())
    }

    fn row(&self, label: &str) -> Option<&(String, String, String)> {
        self.rows.iter().find(|(l, _, _)| l == label)
    }
}

/// Collapses runs of whitespace into one space and trims.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One finding a failing fixture must report (`cunwu check --format json`).
pub struct Expect<'a> {
    pub file: &'a str,
    pub line: u64,
    pub field: &'a str,
    pub expected: &'a str,
    pub found: &'a str,
    /// Fragments the message must contain.
    pub message: &'a [&'a str],
    /// Every label, in order, as (line, text).
    pub labels: &'a [(u64, &'a str)],
}

/// Asserts that the JSON diagnostic `d` is the error `e` of `rule`, with a
/// hint.
pub fn assert_finding(d: &serde_json::Value, rule: &str, e: &Expect) {
    assert_eq!(d["rule"], rule, "{d:#}");
    assert_eq!(d["severity"], "error", "{d:#}");
    assert_eq!(d["file"], e.file, "{d:#}");
    assert_eq!(d["line"], e.line, "{d:#}");
    assert_eq!(d["field"], e.field, "{d:#}");
    assert_eq!(d["expected"], e.expected, "{d:#}");
    assert_eq!(d["found"], e.found, "{d:#}");
    let message = d["message"].as_str().unwrap();
    for part in e.message {
        assert!(message.contains(part), "message lacks {part:?}: {message}");
    }
    assert!(d["hint"].as_str().is_some_and(|h| !h.is_empty()), "{d:#}");
    let labels: Vec<(u64, &str)> = d["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["line"].as_u64().unwrap(), l["label"].as_str().unwrap()))
        .collect();
    assert_eq!(labels, e.labels, "{d:#}");
}

/// The section of the repository's document `path` under the heading that
/// starts with `heading` (a `## ` line), up to the next such heading.
pub fn doc_section(path: &str, heading: &str) -> String {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let section = doc
        .split(&format!("\n## {heading}"))
        .nth(1)
        .unwrap_or_else(|| panic!("{path} has a section \"{heading}\""));
    section
        .split("\n## ")
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The rule ids a document's tables list, in order: the first cell
/// (`` | `rule.id` | … ``) of each row of `section`.
pub fn rule_ids_in_rows(section: &str) -> Vec<&str> {
    section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`').map(|(id, _)| id))
        .collect()
}

/// Every rule id the registry (`src/rule.rs`) holds, in its order.
pub fn registered_rule_ids() -> Vec<&'static str> {
    cunwu::rule::RuleId::ALL
        .iter()
        .map(|r| r.as_str())
        .collect()
}

/// The province codes (GB/T 2260) every resident ID starts with; the first
/// eight start with 1 or 2 (no bank card starts so).
pub const PROVINCES: [u32; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];
