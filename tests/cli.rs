//! The command line, end to end: usage, `init`, every kind of bad input, and
//! the atomic write of the output folder.
//!
//! Bad input comes from tiny fixture portals under `tests/fixtures/bad-input/`,
//! each valid except for one kind of mistake (or, for `many-mistakes`, several).
//! Every refusal must exit with code 1, must not panic or print Rust debug
//! output, and must name the file, line, column and field.

mod common;

use common::{Portal, cunwu, cunwu_in, entries, snapshot};

// ---------------------------------------------------------------------------
// Usage.

#[test]
fn help_explains_build_check_and_init() {
    let run = cunwu(&["--help"]);
    run.assert_ok();
    for word in ["build", "check", "init", "--help"] {
        assert!(
            run.stdout.contains(word),
            "--help does not mention {word}:\n{}",
            run.stdout
        );
    }
    let build = cunwu(&["build", "--help"]);
    build.assert_ok();
    assert!(
        build.stdout.contains("--root") && build.stdout.contains("--output"),
        "{}",
        build.stdout
    );
}

#[test]
fn an_unknown_subcommand_is_a_usage_error() {
    cunwu(&["publish"])
        .assert_usage_error()
        .assert_mentions("publish");
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    cunwu(&["build", "--fast"])
        .assert_usage_error()
        .assert_mentions("--fast");
    cunwu(&["--verbose", "build"]).assert_usage_error();
    cunwu(&["build", "--root"]).assert_usage_error();
    cunwu(&["build", "--lang", "fr"]).assert_usage_error();
}

#[test]
fn no_subcommand_is_a_usage_error() {
    cunwu(&[]).assert_usage_error();
}

// ---------------------------------------------------------------------------
// `cunwu init`.

#[test]
fn init_makes_a_portal_that_builds_with_only_the_binary() {
    // The working folder is empty: nothing of this repository is reachable.
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("x");
    let dir_s = dir.to_str().unwrap();
    cunwu_in(tmp.path(), &["init", dir_s]).assert_ok();
    assert!(dir.join("cunwu.toml").is_file());
    cunwu_in(tmp.path(), &["build", "--root", dir_s]).assert_ok();
    let index = std::fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(index.contains("<html lang=\"zh-CN\">"), "{index}");
    assert!(dir.join("public/style.css").is_file());
    // The starter's own checks pass too.
    cunwu_in(tmp.path(), &["check", "--root", dir_s]).assert_ok();
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_changes_nothing() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("x");
    std::fs::create_dir_all(dir.join("notes")).unwrap();
    std::fs::write(dir.join("notes/todo.txt"), "买水泥").unwrap();
    let before = snapshot(&dir);
    cunwu_in(tmp.path(), &["init", dir.to_str().unwrap()]).assert_refused();
    assert_eq!(snapshot(&dir), before);
    assert_eq!(entries(&dir), ["notes"]);
}

#[test]
fn init_gitignore_keeps_private_and_public_out_of_version_control() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("x");
    cunwu_in(tmp.path(), &["init", dir.to_str().unwrap()]).assert_ok();
    let gitignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    let lines: Vec<&str> = gitignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .collect();
    for folder in ["private/", "public/"] {
        assert!(
            lines.iter().any(|l| l.trim_start_matches('/') == folder),
            ".gitignore does not ignore {folder}:\n{gitignore}"
        );
    }
}

#[test]
fn init_writes_a_chinese_readme_for_clerks_that_is_not_published() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("x");
    let dir_s = dir.to_str().unwrap();
    cunwu_in(tmp.path(), &["init", dir_s]).assert_ok();
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("README.md");
    // Chinese first: most of its letters are Chinese characters.
    let cjk = readme
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    let latin = readme.chars().filter(char::is_ascii_alphabetic).count();
    assert!(
        cjk > latin,
        "{cjk} Chinese, {latin} Latin letters:\n{readme}"
    );
    // It names every folder and file init writes, the commands, and the rules
    // a clerk needs first.
    for entry in entries(&dir) {
        let name = entry.trim_start_matches('.');
        if name != "gitignore" && name != "README.md" {
            assert!(readme.contains(name), "README.md does not explain {entry}");
        }
    }
    for needed in [
        "cunwu check",
        "cunwu serve",
        "cunwu build",
        "public/",
        "万元",
        "UTF-8",
        "身份证号",
        "不申请、不宣传、不公示",
        "--output",
        "base_url",
        "docs/zh/",
    ] {
        assert!(
            readme.contains(needed),
            "README.md does not mention {needed}"
        );
    }
    // The portal still checks and builds, and the README is not part of the site.
    cunwu_in(tmp.path(), &["build", "--root", dir_s]).assert_ok();
    let site = snapshot(&dir.join("public"));
    assert!(!site.keys().any(|p| p.to_lowercase().contains("readme")));
    assert!(
        !site
            .values()
            .any(|b| String::from_utf8_lossy(b).contains("村务公开门户：填写说明")),
        "the README's text was published"
    );
}

// ---------------------------------------------------------------------------
// Bad input: exit 1, no panic, no debug output, file:line:column and field.

#[test]
fn malformed_toml_names_file_line_column_and_field() {
    let portal = Portal::from_fixture("bad-input/malformed-toml");
    let run = portal.build();
    // The string opened on line 3 is never closed: the error is at its end.
    let line = "name = \"村组道路硬化";
    let at = portal.locate("data/xiaowan.toml", line);
    let (file_line, col) = at.rsplit_once(':').unwrap();
    let end = format!(
        "{file_line}:{}",
        col.parse::<usize>().unwrap() + line.chars().count()
    );
    run.assert_refused()
        .assert_mentions(&end)
        .assert_mentions("TOML")
        .assert_mentions("字段: name");
}

#[test]
fn an_unknown_field_is_refused_with_a_did_you_mean_hint() {
    let portal = Portal::from_fixture("bad-input/unknown-field");
    portal
        .build()
        .assert_refused()
        .assert_mentions(&portal.locate("data/areas.toml", "populaton"))
        .assert_mentions("字段: area[xiaowan].populaton")
        .assert_mentions("是不是想写 `population`");
}

#[test]
fn text_where_a_count_is_expected_is_a_wrong_type() {
    let portal = Portal::from_fixture("bad-input/wrong-type");
    portal
        .build()
        .assert_refused()
        .assert_mentions(&portal.locate("data/areas.toml", "\"三百\""))
        .assert_mentions("字段: area[xiaowan].households")
        .assert_mentions("\"三百\"");
}

#[test]
fn impossible_and_unreadable_dates_are_refused() {
    let portal = Portal::from_fixture("bad-input/bad-date");
    let run = portal.build();
    run.assert_refused()
        .assert_mentions(&portal.locate("content/plans/leap-day.md", "2020-02-30"))
        .assert_mentions(&portal.locate("content/plans/notice.md", "\"yesterday\""))
        .assert_mentions("字段: date");
    assert_eq!(run.error_count(), 2, "{}", run.stderr);
}

#[test]
fn a_reference_to_an_unknown_area_is_refused() {
    let portal = Portal::from_fixture("bad-input/unknown-area");
    portal
        .build()
        .assert_refused()
        .assert_mentions(&portal.locate("data/xiaowan.toml", "\"dawan\""))
        .assert_mentions("字段: project[xiaowan-road].area")
        .assert_mentions("dawan");
}

#[test]
fn a_template_error_names_the_template_file_line_and_column() {
    let portal = Portal::from_fixture("bad-input/template-error");
    // `{{ page.title }` on line 3: the tag is not closed where the lone `}` is.
    portal
        .build()
        .assert_refused()
        .assert_mentions(&portal.locate("templates/page.html", "}</h1>"))
        .assert_mentions("<h1>{{ page.title }</h1>");
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_its_first_bad_byte() {
    let portal = Portal::from_fixture("bad-input/not-utf8");
    let bytes = std::fs::read(portal.path("data/dawan.toml")).unwrap();
    let bad = std::str::from_utf8(&bytes).unwrap_err().valid_up_to();
    let text = std::str::from_utf8(&bytes[..bad]).unwrap();
    let (line, col) = common::line_col(text, text.len());
    assert_eq!(
        line, 4,
        "the fixture's first non-UTF-8 byte is in `name = ...` on line 4"
    );
    portal
        .build()
        .assert_refused()
        .assert_mentions(&format!("data/dawan.toml:{line}:{col}"))
        .assert_mentions("UTF-8")
        .assert_mentions("字段: name");
}

#[cfg(unix)]
#[test]
fn a_data_file_that_cannot_be_read_is_refused() {
    // Tests may run as root, where `chmod 000` does not stop reads; a link to
    // nowhere fails for everyone.
    let portal = Portal::from_fixture("minimal");
    std::os::unix::fs::symlink(
        portal.tmp().join("gone.toml"),
        portal.path("data/shared.toml"),
    )
    .unwrap();
    portal
        .build()
        .assert_refused()
        .assert_mentions("data/shared.toml:1:1")
        .assert_mentions("无法读取");
}

#[test]
fn every_mistake_of_a_file_is_reported_in_one_run() {
    let portal = Portal::from_fixture("bad-input/many-mistakes");
    let run = portal.build();
    run.assert_refused();
    let file = "data/dawan.toml";
    for needle in [
        "\"Da Wan\"",
        "\"hamlet\"",
        "-5",
        "\"一千\"",
        "labourer =",
        "colour",
        "[[area]]\nid = \"xiawan\"",
    ] {
        run.assert_mentions(&portal.locate(file, needle));
    }
    run.assert_mentions("是不是想写 `labourers`")
        .assert_mentions("`name`")
        .assert_mentions("7 个错误");
    assert_eq!(run.error_count(), 7, "{}", run.stderr);
    // `check` finds the same mistakes.
    let check = portal.check_with(&[]);
    check.assert_refused();
    assert_eq!(check.error_count(), 7, "{}", check.stderr);
}

#[test]
fn lang_en_gives_english_messages() {
    let portal = Portal::from_fixture("bad-input/unknown-field");
    let run = portal.build_with(&["--lang", "en"]);
    run.assert_refused()
        .assert_mentions(&portal.locate("data/areas.toml", "populaton"))
        .assert_mentions("unknown field `populaton`")
        .assert_mentions("field: area[xiaowan].populaton")
        .assert_mentions("did you mean `population`?")
        .assert_mentions("not built: 1 error");
    for zh in ["不认识", "字段:", "是不是想写", "未生成网站"] {
        run.assert_not_mentions(zh);
    }
}

// ---------------------------------------------------------------------------
// The output folder is replaced atomically, or not at all.

/// No `.cunwu-staging-*` or `.cunwu-previous-*` folder is left beside the output.
fn assert_no_leftovers(portal: &Portal) {
    let names = entries(portal.tmp());
    assert!(
        names.iter().all(|n| !n.starts_with(".cunwu-")),
        "temporary folders left beside the output: {names:?}"
    );
}

/// Builds the example, breaks it with `break_it`, builds again into the same
/// output: refused, and the old site is byte-identical.
fn assert_failed_build_keeps_old_site(break_it: impl FnOnce(&Portal)) {
    let portal = Portal::example();
    portal.build().assert_ok();
    let before = snapshot(&portal.output());
    assert!(before.len() > 30 && before.contains_key("index.html"));
    break_it(&portal);
    portal.build().assert_refused();
    let after = snapshot(&portal.output());
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &before {
        assert!(
            bytes == &after[path],
            "{path} changed after a refused build"
        );
    }
    assert_no_leftovers(&portal);
}

#[test]
fn a_template_error_leaves_the_previous_site_untouched() {
    assert_failed_build_keeps_old_site(|portal| {
        portal.write(
            "templates/project.html",
            "{% extends \"base.html\" %}\n{% block main %}{{ project.name }\n",
        );
    });
}

#[test]
fn a_checker_error_leaves_the_previous_site_untouched() {
    assert_failed_build_keeps_old_site(|portal| {
        let text = portal.read("data/limu/xialongjing.toml");
        assert!(text.contains("parent = \"limu\""));
        portal.write(
            "data/limu/xialongjing.toml",
            text.replace("parent = \"limu\"", "parent = \"nowhere\""),
        );
    });
}

#[test]
fn a_failure_while_writing_leaves_the_previous_site_untouched() {
    // A section folder named like the theme's `style.css` makes writing the
    // stylesheet fail halfway through the staging folder.
    assert_failed_build_keeps_old_site(|portal| {
        portal.write(
            "content/style.css/note.md",
            "+++\ntitle = \"说明\"\ndate = 2020-01-01\n+++\n\n正文。\n",
        );
    });
}

#[test]
fn a_rebuild_removes_pages_that_no_longer_exist() {
    let portal = Portal::example();
    portal.build().assert_ok();
    let out = portal.output();
    assert!(out.join("other/patrol-plan-2020/index.html").is_file());
    portal.remove("content/other/patrol-plan-2020.md");
    portal.build().assert_ok();
    assert!(
        !out.join("other/patrol-plan-2020").exists(),
        "a stale page was left behind"
    );
    assert!(out.join("other/school-term-plan-2020/index.html").is_file());
    assert_no_leftovers(&portal);
}

#[test]
fn a_stray_file_in_the_output_folder_is_not_kept() {
    let portal = Portal::example();
    portal.build().assert_ok();
    // A page an earlier build wrote (listed in the site's stamp) goes.
    let out = portal.output();
    std::fs::write(out.join("old-page.html"), "旧的").unwrap();
    let stamp = out.join(cunwu::write::STAMP);
    let listed = std::fs::read_to_string(&stamp).unwrap();
    std::fs::write(&stamp, format!("{listed}old-page.html\n")).unwrap();
    portal.build().assert_ok();
    assert!(!out.join("old-page.html").exists());
    // A file someone added is not deleted: the build is refused instead.
    std::fs::write(out.join("added.html"), "mine").unwrap();
    portal.build().assert_usage_error();
    assert!(out.join("added.html").exists());
}
