//! The Chinese documentation for clerks (`docs/zh/`) kept honest against the
//! program: every rule id of `src/rule.rs` is on the rule page, every field
//! the loader reads and `docs/data-format.md` documents is named in Chinese
//! docs, every value a clerk may write from a list (codes, Chinese names and
//! synonyms, 是/否) is on the field page, the examples marked `# 文件：…` are a
//! portal that the real binary checks and builds, every command and flag
//! exists, and every link and anchor resolves.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{cunwu, cunwu_in, repo_root};

fn zh_dir() -> PathBuf {
    repo_root().join("docs/zh")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo_root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every page of `docs/zh/`, as (file name, text), in name order.
fn zh_pages() -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = std::fs::read_dir(zh_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    pages.sort();
    pages
}

/// The pages this documentation is made of (other engineers add more pages
/// beside them: the index links to them).
const PAGES: &[&str] = &[
    "README.md",
    "getting-started.md",
    "data.md",
    "checks.md",
    "preview.md",
    "publish.md",
];

/// The inline code spans of a Markdown text (between single backticks, fenced
/// blocks left out).
fn code_spans(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for part in line.split('`').skip(1).step_by(2) {
            out.push(part.to_string());
        }
    }
    out
}

/// The fenced code blocks of a Markdown text, as (language, body); a block
/// indented inside a list item loses the fence's indentation.
fn code_blocks(md: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut open: Option<(String, String, usize)> = None;
    for line in md.lines() {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if let Some(lang) = t.strip_prefix("```") {
            match open.take() {
                Some((lang, body, _)) => out.push((lang, body)),
                None => open = Some((lang.trim().to_string(), String::new(), indent)),
            }
        } else if let Some((_, body, fence)) = open.as_mut() {
            body.push_str(&line[indent.min(*fence)..]);
            body.push('\n');
        }
    }
    out
}

/// The identifiers (`[a-z][a-z0-9_]*` runs) inside the code spans of `md`:
/// `[programme.funds.fiscal_levels]` gives programme, funds, fiscal_levels.
fn identifiers_in_code(md: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for span in code_spans(md) {
        for word in span.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if word.starts_with(|c: char| c.is_ascii_lowercase()) {
                out.insert(word.to_string());
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Rules.

#[test]
fn the_rule_page_lists_exactly_the_registered_rule_ids_in_order() {
    let section = common::doc_section("docs/zh/checks.md", "每一条规则");
    let listed = common::rule_ids_in_rows(&section);
    let registry = common::registered_rule_ids();
    assert_eq!(
        listed, registry,
        "docs/zh/checks.md's tables against src/rule.rs: add the new rule, in the registry's order, \
         with what it checks and how to fix it in words a clerk understands"
    );
    // Each row says what is checked and how to fix it: three non-empty cells.
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
        assert_eq!(cells.len(), 3, "row needs id | 查什么 | 怎么改: {line}");
        assert!(
            cells.iter().all(|c| !c.trim().is_empty()),
            "empty cell: {line}"
        );
    }
}

#[test]
fn every_rule_id_the_chinese_pages_name_is_registered() {
    use cunwu::rule::RuleId;
    let prefixes: BTreeSet<&str> = RuleId::ALL
        .iter()
        .filter_map(|r| r.as_str().split_once('.').map(|(p, _)| p))
        .collect();
    let word = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    for (name, text) in zh_pages() {
        for span in code_spans(&text) {
            // A rule id alone (`funds.total`) or in a finding (`error[funds.total]`).
            let id = span
                .strip_prefix("error[")
                .or_else(|| span.strip_prefix("warning["))
                .and_then(|s| s.strip_suffix(']'))
                .unwrap_or(&span);
            let Some((head, tail)) = id.split_once('.') else {
                continue;
            };
            if prefixes.contains(head) && word(head) && word(tail) && tail != "md" {
                assert!(
                    RuleId::parse(id).is_some(),
                    "docs/zh/{name} names `{id}`, which is no rule id"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Fields and values.

/// The field names the loader reads: the keys of every `req_*`/`opt_*`
/// call and `raw("…")` in src/load/{config,content,data}.rs.
fn loader_keys() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for file in ["config.rs", "content.rs", "data.rs"] {
        let code = read(&format!("src/load/{file}"));
        let code = code.split("#[cfg(test)]").next().unwrap();
        for marker in [".req_", ".opt_", ".raw("] {
            for (i, _) in code.match_indices(marker) {
                let rest = &code[i + marker.len()..];
                // `.opt_count(cx, "households")`, possibly over several lines.
                let args = if marker.ends_with('(') {
                    rest
                } else {
                    let Some(open) = rest.find('(') else { continue };
                    &rest[open + 1..]
                };
                let Some(close) = args.find(')') else {
                    continue;
                };
                let args = &args[..close];
                if let Some(q) = args.find('"') {
                    let lit = &args[q + 1..];
                    if let Some(end) = lit.find('"') {
                        let key = &lit[..end];
                        if !key.is_empty()
                            && key
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                        {
                            keys.insert(key.to_string());
                        }
                    }
                }
            }
        }
    }
    keys
}

/// The field names docs/data-format.md documents: the first cell of every
/// table row (`| \`households\`, \`people\` |`), and the code spans of the
/// paragraphs that list fields (`… fields: \`projects\`, …`).
fn documented_fields() -> BTreeSet<String> {
    let doc = read("docs/data-format.md");
    let mut out = BTreeSet::new();
    let mut in_field_table = false;
    let mut in_field_list = false;
    for line in doc.lines() {
        if line.starts_with("| field") {
            in_field_table = true;
            continue;
        }
        if !line.starts_with('|') {
            in_field_table = false;
        }
        let first_cell = |l: &str| {
            l.trim_start_matches('|')
                .split('|')
                .next()
                .map(str::to_string)
        };
        if in_field_table {
            if let Some(cell) = first_cell(line) {
                out.extend(identifiers_in_code(&cell));
            }
        }
        // `[programme.stated]` fields: `projects`, … (to the blank line).
        if line.contains("fields:") {
            in_field_list = true;
        }
        if line.trim().is_empty() {
            in_field_list = false;
        }
        if in_field_list {
            out.extend(identifiers_in_code(line));
        }
    }
    out
}

/// Identifiers named in code spans anywhere in docs/zh/.
fn zh_identifiers() -> BTreeSet<String> {
    zh_pages()
        .iter()
        .flat_map(|(_, text)| identifiers_in_code(text))
        .collect()
}

#[test]
fn every_field_the_loader_reads_is_documented_in_chinese() {
    let keys = loader_keys();
    // The reader of this test works: these are read by every portal.
    for k in [
        "title",
        "county",
        "households",
        "labour_rate",
        "due",
        "draft",
    ] {
        assert!(keys.contains(k), "loader_keys misses {k}: {keys:?}");
    }
    let zh = zh_identifiers();
    let missing: Vec<&String> = keys.iter().filter(|k| !zh.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "fields the loader reads that no page of docs/zh/ names (add them to docs/zh/data.md): {missing:?}"
    );
}

#[test]
fn every_field_of_the_english_data_format_is_in_the_chinese_docs() {
    let fields = documented_fields();
    for k in [
        "id",
        "parent",
        "grain_per_capita_kg",
        "fiscal_levels",
        "under_construction",
    ] {
        assert!(
            fields.contains(k),
            "documented_fields misses {k}: {fields:?}"
        );
    }
    let zh = zh_identifiers();
    let missing: Vec<&String> = fields.iter().filter(|k| !zh.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "fields docs/data-format.md documents that no page of docs/zh/ names (add them to docs/zh/data.md): {missing:?}"
    );
}

#[test]
fn the_field_page_lists_every_value_a_clerk_may_write() {
    use cunwu::model::{
        ActivityKind, ExitStatus, FiscalLevel, Frequency, Level, PageKind, ProgressKind, Status,
    };
    let page = read("docs/zh/data.md");
    let codes = identifiers_in_code(&page);
    let section = page
        .split("\n## 可以写中文的取值")
        .nth(1)
        .expect("docs/zh/data.md has a section \"可以写中文的取值\"")
        .split("\n## ")
        .next()
        .unwrap();
    // The words of the table's cells: 完工、竣工 are two words.
    let words: BTreeSet<&str> = section
        .lines()
        .filter(|l| l.starts_with('|'))
        .flat_map(|l| l.split(['|', '、', '`', ' ']))
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect();
    let lists: Vec<(&str, Vec<&str>)> = vec![
        ("level", Level::ACCEPTED.iter().map(|a| a.0).collect()),
        (
            "fiscal level",
            FiscalLevel::ACCEPTED.iter().map(|a| a.0).collect(),
        ),
        ("status", Status::ACCEPTED.iter().map(|a| a.0).collect()),
        (
            "progress kind",
            ProgressKind::ACCEPTED.iter().map(|a| a.0).collect(),
        ),
        (
            "exit status",
            ExitStatus::ACCEPTED.iter().map(|a| a.0).collect(),
        ),
        (
            "activity kind",
            ActivityKind::ACCEPTED.iter().map(|a| a.0).collect(),
        ),
        (
            "frequency",
            Frequency::ACCEPTED.iter().map(|a| a.0).collect(),
        ),
        (
            "page kind",
            PageKind::ACCEPTED.iter().map(|a| a.0).collect(),
        ),
    ];
    for (what, accepted) in lists {
        for value in accepted {
            if value.is_ascii() {
                assert!(
                    codes.contains(value),
                    "docs/zh/data.md does not give the {what} code `{value}`"
                );
            } else {
                assert!(
                    words.contains(value),
                    "docs/zh/data.md's table of Chinese values misses the {what} value {value}"
                );
            }
        }
    }
    let yes_no = page
        .split("\n### 是／否")
        .nth(1)
        .expect("docs/zh/data.md has a section \"是／否\"")
        .split("\n## ")
        .next()
        .unwrap();
    for (w, b) in cunwu::load::toml_reader::YES_NO {
        let cell = yes_no
            .lines()
            .find(|l| l.starts_with("| `true`"))
            .expect("the yes/no table")
            .split(" | ")
            .nth(usize::from(!*b))
            .unwrap()
            .to_string();
        assert!(
            cell.contains(&format!("`\"{w}\"`")),
            "docs/zh/data.md does not give {w} as {b}: {cell}"
        );
    }
}

// ---------------------------------------------------------------------------
// The examples are a portal the real binary accepts.

const FILE_MARK: &str = "# 文件：";

/// The marked examples of one page, as (path in the portal, text), in order.
fn marked_examples(text: &str) -> Vec<(String, String)> {
    code_blocks(text)
        .into_iter()
        .filter(|(lang, _)| lang == "toml" || lang == "markdown")
        .filter_map(|(_, body)| {
            let path = body
                .lines()
                .find_map(|l| l.strip_prefix(FILE_MARK))?
                .trim()
                .to_string();
            Some((path, body))
        })
        .collect()
}

#[test]
fn every_toml_example_is_well_formed() {
    for (name, text) in zh_pages() {
        for (lang, body) in code_blocks(&text) {
            if lang != "toml" {
                continue;
            }
            if let Err(e) = body.parse::<toml::Table>() {
                panic!("a toml example of docs/zh/{name} is not TOML: {e}\n{body}");
            }
        }
    }
}

/// Writes the marked examples of `page` into a portal: over an empty folder
/// when they include `cunwu.toml`, else over a fresh `cunwu init` portal (the
/// first block for a path replaces the file, later ones are appended).
fn portal_of(page: &str, tmp: &Path) -> (PathBuf, usize) {
    let text = read(&format!("docs/zh/{page}"));
    let examples = marked_examples(&text);
    let root = tmp.join("portal");
    if !examples.iter().any(|(p, _)| p == "cunwu.toml") {
        cunwu_in(tmp, &["init", root.to_str().unwrap()]).assert_ok();
    }
    let mut written = BTreeSet::new();
    for (rel, body) in &examples {
        assert!(
            !rel.contains("..") && !rel.starts_with('/'),
            "docs/zh/{page}: {rel}"
        );
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut all = if written.insert(rel.clone()) {
            String::new()
        } else {
            std::fs::read_to_string(&path).unwrap()
        };
        all.push_str(body);
        all.push('\n');
        std::fs::write(&path, all).unwrap();
    }
    (root, examples.len())
}

#[test]
fn the_field_page_examples_together_are_a_portal_that_checks_and_builds() {
    let tmp = tempfile::TempDir::new().unwrap();
    let (root, n) = portal_of("data.md", tmp.path());
    assert!(n >= 10, "docs/zh/data.md has {n} marked examples");
    let root_s = root.to_str().unwrap();
    let run = cunwu_in(tmp.path(), &["check", "--root", root_s]);
    run.assert_ok().assert_mentions("0 个错误，0 个警告");
    let out = tmp.path().join("site");
    cunwu_in(
        tmp.path(),
        &["build", "--root", root_s, "--output", out.to_str().unwrap()],
    )
    .assert_ok();
    // Every kind of record the page shows has its page.
    for page in [
        "areas/xialongjing/index.html",
        "areas/xialongjing-1/index.html",
        "programmes/xialongjing-2019/index.html",
        "projects/xialongjing-road-2019/index.html",
        "longtuo/work-plan-2020/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    // The Chinese values were read as their codes: 已完工 shows as 已完工,
    // 计划退出 as the exit status.
    let village = std::fs::read_to_string(out.join("areas/fenshui/index.html")).unwrap();
    assert!(village.contains("计划退出"), "{village}");
}

#[test]
fn the_getting_started_plan_builds_in_a_fresh_portal() {
    let tmp = tempfile::TempDir::new().unwrap();
    let (root, n) = portal_of("getting-started.md", tmp.path());
    assert!(n >= 1);
    let root_s = root.to_str().unwrap();
    cunwu_in(tmp.path(), &["check", "--root", root_s]).assert_ok();
}

#[test]
fn the_getting_started_mistake_gives_the_findings_the_page_shows() {
    // The page and the starter README quote what `cunwu check` says after
    // `population = 1100` is mistyped as 110 in a fresh portal.
    let tmp = tempfile::TempDir::new().unwrap();
    let root = tmp.path().join("p");
    let root_s = root.to_str().unwrap();
    cunwu_in(tmp.path(), &["init", root_s]).assert_ok();
    let areas = root.join("data/areas.toml");
    let text = std::fs::read_to_string(&areas).unwrap();
    assert_eq!(text.matches("population = 1100\n").count(), 1);
    std::fs::write(
        &areas,
        text.replace("population = 1100\n", "population = 110\n"),
    )
    .unwrap();
    let run = cunwu_in(tmp.path(), &["check", "--root", root_s]);
    run.assert_refused();
    let page = read("docs/zh/getting-started.md");
    let readme = read("src/cmd/starter/README.md");
    for quoted in [
        "error[counts.people-households]: 人数 110 少于户数 300，每户至少有一人",
        "data/areas.toml:23:14",
        "= 应为: >= 300",
        "= 实际: 110",
    ] {
        assert!(run.stderr.contains(quoted), "{quoted}\n{}", run.stderr);
        assert!(readme.contains(quoted), "README: {quoted}");
        assert!(page.contains(quoted), "getting-started: {quoted}");
    }
    for quoted in [
        "error[counts.labourers]: 劳动力 620 多于人数 110",
        "error[counts.beneficiaries]: 受益人数 1100 超过所服务区域 `example-village` 的人口 110",
        "核查未通过：3 个错误，0 个警告",
    ] {
        assert!(run.stderr.contains(quoted), "{quoted}\n{}", run.stderr);
        assert!(page.contains(quoted), "getting-started: {quoted}");
    }
}

// ---------------------------------------------------------------------------
// Commands, links.

/// `cunwu …` command lines of a page: lines of `sh` blocks, and code spans.
fn command_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = code_blocks(text)
        .into_iter()
        .filter(|(lang, _)| lang == "sh")
        .flat_map(|(_, body)| body.lines().map(str::to_string).collect::<Vec<_>>())
        .collect();
    out.extend(code_spans(text));
    out.into_iter()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| l.starts_with("cunwu ") || l == "cunwu")
        .collect()
}

#[test]
fn every_command_and_flag_the_pages_show_exists() {
    let mut sources: Vec<(String, String)> = zh_pages()
        .into_iter()
        .filter(|(n, _)| PAGES.contains(&n.as_str()))
        .collect();
    sources.push((
        "src/cmd/starter/README.md".into(),
        read("src/cmd/starter/README.md"),
    ));
    let mut helps = std::collections::BTreeMap::new();
    let mut seen = 0;
    for (name, text) in sources {
        for line in command_lines(&text) {
            let words: Vec<&str> = line.split_whitespace().collect();
            let Some(sub) = words.get(1).filter(|w| !w.starts_with('-')) else {
                for flag in &words[1..] {
                    assert!(
                        ["--help", "-h", "--version", "-V"].contains(flag),
                        "{name}: `{line}`"
                    );
                }
                continue;
            };
            assert!(
                ["init", "check", "serve", "build"].contains(sub),
                "{name}: `{line}` is no cunwu command"
            );
            let help = helps.entry(sub.to_string()).or_insert_with(|| {
                let run = cunwu(&[sub, "--help"]);
                run.assert_ok();
                run.stdout.clone()
            });
            for flag in words.iter().filter(|w| w.starts_with("--")) {
                let flag = flag.split('=').next().unwrap();
                assert!(
                    help.contains(&format!("{flag} ")) || flag == "--help",
                    "{name}: `{line}`: cunwu {sub} has no {flag}\n{help}"
                );
            }
            seen += 1;
        }
    }
    assert!(seen >= 20, "only {seen} command lines found");
}

/// The text of a Markdown page without its code blocks and code spans (a
/// link written there is an example, not a link).
fn without_code(md: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            for part in line.split('`').step_by(2) {
                out.push_str(part);
            }
            out.push('\n');
        }
    }
    out
}

/// GitHub's anchor of a heading: lowercase, punctuation dropped, spaces to `-`.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors_of(md: &str) -> BTreeSet<String> {
    let mut fenced = false;
    let mut out = BTreeSet::new();
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            out.insert(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

/// Pages that other pieces of work add beside these (linked from the index).
const PAGES_OF_OTHERS: &[&str] = &[
    "figures.md",
    "years.md",
    "spreadsheets.md",
    "attachments.md",
];

#[test]
fn every_link_and_anchor_resolves() {
    let mut links = 0;
    for (name, text) in zh_pages() {
        if !PAGES.contains(&name.as_str()) {
            continue;
        }
        let prose = without_code(&text);
        let mut rest = prose.as_str();
        while let Some(i) = rest.find("](") {
            rest = &rest[i + 2..];
            let Some(end) = rest.find(')') else { break };
            let target = &rest[..end];
            rest = &rest[end..];
            if target.starts_with("http://") || target.starts_with("https://") {
                continue;
            }
            links += 1;
            let (file, frag) = target.split_once('#').unwrap_or((target, ""));
            let path = if file.is_empty() {
                zh_dir().join(&name)
            } else {
                zh_dir().join(file)
            };
            if PAGES_OF_OTHERS.contains(&file) && !path.exists() {
                continue;
            }
            assert!(
                path.exists(),
                "docs/zh/{name}: link to {target}: no such file"
            );
            if !frag.is_empty() {
                let md = std::fs::read_to_string(&path).unwrap();
                assert!(
                    anchors_of(&md).contains(frag),
                    "docs/zh/{name}: link to {target}: no such heading"
                );
            }
        }
    }
    assert!(links >= 20, "only {links} links found");
    // The index links every page, its own and the others'.
    let index = read("docs/zh/README.md");
    for page in PAGES
        .iter()
        .chain(PAGES_OF_OTHERS)
        .filter(|p| **p != "README.md")
    {
        assert!(
            index.contains(&format!("]({page})")),
            "the index does not link {page}"
        );
    }
    assert!(index.contains("](../privacy.md)"));
    // README.md points clerks to the Chinese docs.
    assert!(read("README.md").contains("](docs/zh/README.md)"));
}

/// Every word accepted for one list, with the code of the value it stands for.
fn code_of<T: Copy + PartialEq>(
    accepted: &[(&str, T)],
    choices: &[(&str, T)],
) -> std::collections::BTreeMap<String, String> {
    accepted
        .iter()
        .map(|(w, v)| {
            let code = choices.iter().find(|(_, c)| c == v).unwrap().0;
            (w.to_string(), code.to_string())
        })
        .collect()
}

#[test]
fn every_chinese_value_the_field_page_gives_is_read_as_its_row_s_code() {
    // The other direction of the_field_page_lists_every_value_a_clerk_may_write:
    // nothing on the page is a value the program would refuse or read otherwise.
    use cunwu::model::{
        ActivityKind, ExitStatus, FiscalLevel, Frequency, Level, PageKind, ProgressKind, Status,
    };
    let lists = [
        ("区域级别", code_of(Level::ACCEPTED, Level::CHOICES)),
        ("项目状态", code_of(Status::ACCEPTED, Status::CHOICES)),
        (
            "进度种类",
            code_of(ProgressKind::ACCEPTED, ProgressKind::CHOICES),
        ),
        (
            "退出状态",
            code_of(ExitStatus::ACCEPTED, ExitStatus::CHOICES),
        ),
        (
            "活动种类",
            code_of(ActivityKind::ACCEPTED, ActivityKind::CHOICES),
        ),
        ("开展频次", code_of(Frequency::ACCEPTED, Frequency::CHOICES)),
        (
            "财政级别",
            code_of(FiscalLevel::ACCEPTED, FiscalLevel::CHOICES),
        ),
        ("文稿种类", code_of(PageKind::ACCEPTED, PageKind::CHOICES)),
    ];
    let page = read("docs/zh/data.md");
    let section = page
        .split("\n## 可以写中文的取值")
        .nth(1)
        .unwrap()
        .split("\n### ")
        .next()
        .unwrap();
    let mut current: Option<&std::collections::BTreeMap<String, String>> = None;
    let mut rows = 0;
    for line in section.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        if cells.len() != 4 || cells[0] == "字段" || cells[0].starts_with("---") {
            continue;
        }
        if !cells[0].is_empty() {
            current = lists
                .iter()
                .find(|(label, _)| cells[0].starts_with(label))
                .map(|(_, m)| m);
            assert!(current.is_some(), "a list the test does not know: {line}");
        }
        let map = current.unwrap();
        let code = cells[1].trim_matches('`');
        assert_eq!(
            map.get(code),
            Some(&code.to_string()),
            "{code} is no code: {line}"
        );
        for word in cells[2..].iter().flat_map(|c| c.split('、')).map(str::trim) {
            if word.is_empty() {
                continue;
            }
            assert_eq!(
                map.get(word).map(String::as_str),
                Some(code),
                "docs/zh/data.md says {word} means {code}: {line}"
            );
        }
        rows += 1;
    }
    assert!(rows >= 33, "{rows} rows");
    // 是/否: each word of the page's table is read as the column says.
    let yes_no = page.split("\n### 是／否").nth(1).unwrap();
    let row = yes_no.lines().find(|l| l.starts_with("| `true`")).unwrap();
    for (i, cell) in row.trim_matches('|').split(" | ").enumerate() {
        for word in cell.split('、').map(|w| w.trim().trim_matches('`')) {
            let word = word.trim_matches('"');
            if word == "true" || word == "false" {
                continue;
            }
            assert_eq!(
                cunwu::load::toml_reader::yes_no(word),
                Some(i == 0),
                "docs/zh/data.md: {word}"
            );
        }
    }
}
