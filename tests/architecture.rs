//! The module structure ARCHITECTURE.md promises, checked from the sources:
//! the top-level modules of `src/` import each other in one direction only,
//! so there is no import cycle among them.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every top-level module, lowest first: a module may import only modules
/// listed before it. Data flows load → check → gate → render → write (chained
/// by `pipeline`); the imports follow the same direction, with the leaves
/// (language, sources, timing, exit codes, output paths) below everything and
/// the commands on top. `load` sits above `gate` because it asks the gate
/// which kinds and fields are personal, to say so when it refuses them.
const LAYERS: &[&str] = &[
    "lang",
    "source",
    "timing",
    "exit",
    "output",
    "rule",
    "links",
    "shortcode",
    "model",
    "messages",
    "diag",
    "check",
    "gate",
    "load",
    "theme",
    "render",
    "write",
    "pipeline",
    "session",
    "print",
    "serve",
    "cmd",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level modules of `src/` (files and folders), without lib.rs and main.rs.
fn modules() -> BTreeSet<String> {
    std::fs::read_dir(src())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .map(|n| match n.strip_suffix(".rs") {
            Some(m) => m.to_string(),
            None => n,
        })
        .filter(|m| m != "lib" && m != "main")
        .collect()
}

/// The Rust files of module `m`: `src/m.rs` and everything under `src/m/`.
fn files_of(m: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let file = src().join(format!("{m}.rs"));
    if file.is_file() {
        out.push(file);
    }
    let mut stack = vec![src().join(m)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules `code` names: every `crate::name` path, and the
/// first names inside `use crate::{a, b::c, ...}` groups (over several lines).
/// Comment lines are skipped.
fn imports(code: &str) -> BTreeSet<String> {
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && (c.is_ascii_alphabetic() || c == '_') => {
                        out.insert(ident_at(&group[j..]).to_string());
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(ident_at(rest).to_string());
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules();
    mods.iter()
        .map(|m| {
            let mut deps = BTreeSet::new();
            for f in files_of(m) {
                let code = std::fs::read_to_string(&f).unwrap();
                deps.extend(
                    imports(&code)
                        .into_iter()
                        .filter(|d| d != m && mods.contains(d)),
                );
            }
            (m.clone(), deps)
        })
        .collect()
}

#[test]
fn the_parser_reads_paths_and_groups() {
    let code = "use crate::diag::Diagnostic;\nuse crate::{\n    check, diag::{self, X},\n    gate,\n};\n// crate::serve\nlet x = crate::timing::trace_time;";
    let got: Vec<String> = imports(code).into_iter().collect();
    assert_eq!(got, ["check", "diag", "gate", "timing"]);
}

#[test]
fn every_module_has_a_layer() {
    let mods = modules();
    let layers: BTreeSet<String> = LAYERS.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        mods, layers,
        "a new top-level module goes into LAYERS (tests/architecture.rs) and ARCHITECTURE.md"
    );
}

#[test]
fn modules_import_only_lower_layers_so_there_is_no_cycle() {
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut upward = Vec::new();
    for (m, deps) in graph() {
        let Some(rm) = rank(&m) else { continue };
        for d in deps {
            if rank(&d).is_none_or(|rd| rd >= rm) {
                upward.push(format!("{m} imports {d}"));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the layer order (tests/architecture.rs LAYERS): {upward:#?}"
    );
}

#[test]
fn the_import_graph_is_acyclic() {
    // Independent of LAYERS: Kahn's algorithm removes modules nothing
    // remaining imports; whatever is left lies on a cycle.
    let mut g = graph();
    loop {
        let free: Vec<String> = g
            .iter()
            .filter(|(_, deps)| deps.iter().all(|d| !g.contains_key(d)))
            .map(|(m, _)| m.clone())
            .collect();
        if free.is_empty() {
            break;
        }
        for m in free {
            g.remove(&m);
        }
    }
    assert!(g.is_empty(), "modules on an import cycle: {g:#?}");
}

/// Strings in the sources that look like rule ids but are field paths
/// (`exit.area` is the `area` field of an exit record).
const FIELD_PATHS: &[&str] = &[
    "exit.area",
    "relapse.area",
    "progress.area",
    "milestone.due",
    "milestone.plan",
    "privacy.private",
    // Spreadsheet columns (src/load/sheet.rs).
    "funds.cash",
    "funds.fiscal",
    "funds.social",
    "notice.start",
    "notice.end",
];

/// String literals of `code` shaped like a rule id (`word.word-word`) whose
/// first word is the first word of some registered id.
fn rule_like_literals(code: &str, prefixes: &BTreeSet<&str>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for part in code.split('"').skip(1).step_by(2) {
        let Some((head, tail)) = part.split_once('.') else {
            continue;
        };
        let word = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        };
        let file_like = [
            "html", "css", "js", "md", "json", "xml", "png", "toml", "txt",
        ];
        if prefixes.contains(head) && word(head) && word(tail) && !file_like.contains(&tail) {
            out.insert(part.to_string());
        }
    }
    out
}

#[test]
fn every_rule_id_written_in_the_sources_is_registered() {
    use cunwu::rule::RuleId;
    let prefixes: BTreeSet<&str> = RuleId::ALL
        .iter()
        .filter_map(|r| r.as_str().split_once('.').map(|(p, _)| p))
        .collect();
    let mut unregistered = BTreeSet::new();
    for m in modules() {
        for f in files_of(&m) {
            let code = std::fs::read_to_string(&f).unwrap();
            for id in rule_like_literals(&code, &prefixes) {
                if RuleId::parse(&id).is_none() && !FIELD_PATHS.contains(&id.as_str()) {
                    unregistered.insert(format!("{id} ({})", f.display()));
                }
            }
        }
    }
    assert!(
        unregistered.is_empty(),
        "rule ids missing from src/rule.rs: {unregistered:#?}"
    );
}

#[test]
fn docs_checks_md_lists_exactly_the_registered_rule_ids() {
    use cunwu::rule::RuleId;
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/checks.md"))
            .unwrap();
    let section = common::doc_section("docs/checks.md", "Every rule id");
    let listed = common::rule_ids_in_rows(&section);
    let registry = common::registered_rule_ids();
    assert_eq!(
        listed, registry,
        "docs/checks.md's table against src/rule.rs"
    );
    // Every id the docs name anywhere is a registered one.
    let prefixes: BTreeSet<&str> = registry
        .iter()
        .filter_map(|r| r.split_once('.').map(|(p, _)| p))
        .collect();
    for part in docs.split('`').skip(1).step_by(2) {
        let quoted = format!("\"{part}\"");
        for id in rule_like_literals(&quoted, &prefixes) {
            assert!(
                RuleId::parse(&id).is_some() || FIELD_PATHS.contains(&id.as_str()),
                "docs/checks.md names `{id}`, which is no rule id"
            );
        }
    }
}

/// Whether `s` holds a Chinese character.
fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn printed_lines_come_from_the_catalogue() {
    // Every line printed to the terminal (eprintln!/println! with Chinese in
    // its format string) is a sentence of src/messages.rs instead.
    let mut found = Vec::new();
    for m in modules() {
        for f in files_of(&m) {
            if f.ends_with("messages.rs") {
                continue;
            }
            let code = std::fs::read_to_string(&f).unwrap();
            for (i, _) in code.match_indices("println!(") {
                let call = &code[i..];
                let end = call.find(");").unwrap_or(call.len());
                if has_cjk(&call[..end]) {
                    let line = code[..i].lines().count();
                    found.push(format!("{}:{line}", f.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "printed text outside the catalogue: {found:#?}"
    );
}

#[test]
fn suppressed_figures_are_formatted_in_one_place() {
    // `<k` and 不公开 are written by messages::below_k and messages::WITHHELD
    // only (through render::suppressed); tests may quote them.
    let mut found = Vec::new();
    for m in modules() {
        for f in files_of(&m) {
            if f.ends_with("messages.rs") {
                continue;
            }
            let code = std::fs::read_to_string(&f).unwrap();
            let code = code.split("#[cfg(test)]").next().unwrap_or("");
            for needle in ["\"不公开\"", "format!(\"<{"] {
                if code.contains(needle) {
                    found.push(format!("{}: {needle}", f.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "suppressed figures formatted outside the catalogue: {found:#?}"
    );
}
