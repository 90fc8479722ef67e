//! Issue 12: no input or flag can write outside the output or delete a
//! user's files; limits give findings, not minutes of work or a panic.
//! Each test reproduces a failure from the issue through the real binary.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{Portal, snapshot};

const PLAN: &str = "content/other/patrol-plan-2020.md";

/// Every file under `dir` (following nothing), with contents.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    snapshot(dir)
}

/// `file:line:` of a `file:line:column` location.
fn file_line(location: &str) -> String {
    let (file_line, _) = location.rsplit_once(':').unwrap();
    format!("{file_line}:")
}

/// Sets (or adds) `id = …` in the front matter of the example's plan.
fn with_plan_id(portal: &Portal, id_literal: &str) {
    let text = portal.read(PLAN);
    let text = text.replacen("+++\n", &format!("+++\nid = {id_literal}\n"), 1);
    portal.write(PLAN, text);
}

// ----- 1. ids and file names that become paths -----

#[test]
fn ids_that_would_leave_the_output_are_refused_at_load_with_file_line_and_field() {
    let long = "a".repeat(300);
    let cases = [
        "\"../../x\"".to_string(),
        "\"/tmp/x\"".to_string(),
        "\"a/../../b\"".to_string(),
        "\"./a\"".to_string(),
        "\".hidden\"".to_string(),
        "\"a//b\"".to_string(),
        "\"a/\"".to_string(),
        "\"a\\\\b\"".to_string(),
        "\"C:x\"".to_string(),
        "\"con\"".to_string(),
        "\"x/LPT1.txt\"".to_string(),
        "\"a b\"".to_string(),
        "\"x\\u202e\"".to_string(),
        "\"\"".to_string(),
        format!("\"{long}\""),
        format!("\"{}\"", "计".repeat(34)),
    ];
    for id in &cases {
        let portal = Portal::example();
        with_plan_id(&portal, id);
        let before = tree(portal.tmp());
        let run = portal.build_with(&["--lang", "en"]);
        run.assert_refused()
            .assert_mentions(&format!("{PLAN}:2:6"))
            .assert_mentions("load.bad-id")
            .assert_mentions("field: id");
        // Nothing was written anywhere: not the output, not beside it.
        assert_eq!(tree(portal.tmp()), before, "id {id} wrote something");
        assert!(!portal.output().exists());
        // `check` says the same, so it no longer passes what the build refuses.
        portal.check_with(&["--lang", "en"]).assert_refused();
    }
}

#[test]
fn chinese_ids_and_file_names_are_pages() {
    let portal = Portal::example();
    let plan = portal.read(PLAN);
    portal.write("content/龙沱乡/工作计划.md", &plan);
    with_plan_id(&portal, "\"白岩镇/巡逻-2020\"");
    let site = portal.built();
    assert!(site.exists("龙沱乡/工作计划/index.html"));
    assert!(site.exists("白岩镇/巡逻-2020/index.html"));
}

#[test]
fn a_file_name_that_cannot_be_a_folder_is_refused_with_its_name() {
    let portal = Portal::example();
    let plan = portal.read(PLAN);
    portal.write(&format!("content/other/{}.md", "a".repeat(120)), &plan);
    portal
        .build_with(&["--lang", "en"])
        .assert_refused()
        .assert_mentions("cannot be a page address")
        .assert_mentions("field: id");
    assert!(!portal.output().exists());
}

#[test]
fn data_ids_longer_than_100_bytes_or_reserved_are_refused_at_their_line() {
    for bad in ["a".repeat(101), "nul".to_string(), "com1".to_string()] {
        let portal = Portal::from_fixture("minimal");
        let text = portal.read("data/xiaowan.toml");
        portal.write(
            "data/xiaowan.toml",
            text.replace("\"xiaowan-road\"", &format!("\"{bad}\"")),
        );
        let run = portal.check_with(&["--lang", "en"]);
        run.assert_refused()
            .assert_mentions(&portal.locate("data/xiaowan.toml", &format!("\"{bad}\"")))
            .assert_mentions("load.bad-id");
    }
    // 100 bytes is fine.
    let portal = Portal::from_fixture("minimal");
    let text = portal.read("data/xiaowan.toml");
    let ok = "a".repeat(100);
    portal.write(
        "data/xiaowan.toml",
        text.replace("\"xiaowan-road\"", &format!("\"{ok}\"")),
    );
    portal
        .check_with(&["--lang", "en"])
        .assert_not_mentions("load.bad-id");
}

// ----- 2. --output -----

#[test]
fn output_may_not_be_the_portal_its_sources_an_ancestor_a_file_or_a_foreign_folder() {
    let portal = Portal::example();
    std::fs::create_dir_all(portal.path("private")).unwrap();
    std::fs::write(portal.path("private/notes.txt"), "mine").unwrap();
    let foreign = portal.tmp().join("photos");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("wedding.jpg"), "jpg").unwrap();
    let file = portal.tmp().join("notes.txt");
    std::fs::write(&file, "a file").unwrap();
    let root = portal.root().to_path_buf();
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (root.clone(), "is the portal itself"),
        (root.join("."), "is the portal itself"),
        (root.join("content"), "inside the portal's content/"),
        (root.join("data/county"), "inside the portal's data/"),
        (root.join("themes/new"), "inside the portal's themes/"),
        (root.join("templates"), "inside the portal's templates/"),
        (root.join("private"), "inside the portal's private/"),
        (root.join("content/../data"), "inside the portal's data/"),
        (portal.tmp().to_path_buf(), "contains the portal"),
        (std::path::PathBuf::from("/"), "contains the portal"),
        (file.clone(), "is not a folder"),
        (foreign.clone(), "did not write"),
    ];
    for (out, says) in cases {
        let before = tree(portal.tmp());
        let run = common::cunwu_in(
            portal.tmp(),
            &[
                "build",
                "--root",
                root.to_str().unwrap(),
                "--output",
                out.to_str().unwrap(),
                "--lang",
                "en",
            ],
        );
        run.assert_usage_error()
            .assert_mentions(says)
            .assert_mentions("nothing was changed");
        assert_eq!(
            tree(portal.tmp()),
            before,
            "--output {} touched files",
            out.display()
        );
    }
    // Relative paths are resolved the same way.
    let run = common::cunwu_in(&root, &["build", "--output", "content", "--lang", "en"]);
    run.assert_usage_error().assert_mentions("content/");
}

#[test]
fn output_may_be_absent_empty_stamped_or_a_site_an_earlier_cunwu_wrote() {
    let portal = Portal::example();
    // Absent.
    portal.build().assert_ok();
    let out = portal.output();
    assert!(out.join(cunwu::write::STAMP).is_file(), "no stamp");
    // Stamped, with a page an earlier build wrote (listed in its stamp)
    // that this build does not write: replaced.
    std::fs::write(out.join("stray.html"), "x").unwrap();
    list_in_stamp(&out, "stray.html");
    portal.build().assert_ok();
    assert!(!out.join("stray.html").exists());
    // Empty.
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::create_dir(&out).unwrap();
    portal.build().assert_ok();
    // A site from before the stamp existed.
    std::fs::remove_file(out.join(cunwu::write::STAMP)).unwrap();
    portal.build().assert_ok();
    assert!(out.join(cunwu::write::STAMP).is_file());
    // Two builds of the same portal are identical, stamp included.
    let first = tree(&out);
    portal.build().assert_ok();
    assert_eq!(tree(&out), first);
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_is_written_through_and_the_link_kept() {
    let portal = Portal::example();
    let real = portal.tmp().join("www");
    std::fs::create_dir(&real).unwrap();
    std::os::unix::fs::symlink(&real, portal.output()).unwrap();
    portal.build().assert_ok();
    let meta = std::fs::symlink_metadata(portal.output()).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    assert!(
        real.join("index.html").is_file(),
        "the link's folder has no site"
    );
    // Again, over the site it holds now.
    portal.build().assert_ok();
    assert!(
        std::fs::symlink_metadata(portal.output())
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(real.join("index.html").is_file());
    // A link to nowhere is refused.
    let broken = portal.tmp().join("broken");
    std::os::unix::fs::symlink(portal.tmp().join("nowhere"), &broken).unwrap();
    let root = portal.root().to_str().unwrap().to_string();
    common::cunwu_in(
        portal.tmp(),
        &[
            "build",
            "--root",
            &root,
            "--output",
            broken.to_str().unwrap(),
        ],
    )
    .assert_usage_error();
}

// ----- 3. money and counts that would overflow -----

#[test]
fn figures_too_large_to_add_up_are_findings_not_a_panic() {
    let huge = [
        "5e28",
        "79228162514264337593543950335",
        "1000000000000000.01",
        "\"9e27\"",
    ];
    for value in huge {
        let portal = Portal::from_fixture("minimal");
        let text = portal.read("data/xiaowan.toml");
        // Every figure of the project's funds, consistently huge.
        let text = text
            .replace("total = 30.00", &format!("total = {value}"))
            .replace("fiscal = 20.00", &format!("fiscal = {value}"))
            .replace("county = 20.00", &format!("county = {value}"));
        portal.write("data/xiaowan.toml", &text);
        let check = portal.check_with(&["--lang", "en"]);
        check
            .assert_refused()
            .assert_mentions("limit.figure")
            .assert_mentions("field: project[xiaowan-road].funds.total")
            .assert_mentions(&file_line(
                &portal.locate("data/xiaowan.toml", &format!("total = {value}")),
            ));
        let build = portal.build_with(&["--lang", "en"]);
        assert_eq!(build.code, 1, "build: {}", build.stderr);
        assert!(!build.stderr.contains("panicked"), "{}", build.stderr);
    }
    // Counts too.
    let portal = Portal::from_fixture("minimal");
    let text = portal.read("data/xiaowan.toml");
    portal.write(
        "data/xiaowan.toml",
        text.replace(
            "beneficiaries = 1100",
            "beneficiaries = 9223372036854775807",
        ),
    );
    let build = portal.build_with(&["--lang", "en"]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    build.assert_mentions("limit.figure");
}

// ----- 4. linear work and limits -----

fn plan_with_body(body: &str) -> String {
    format!("+++\ntitle = \"测试\"\ndate = 2020-01-01\n+++\n\n{body}\n")
}

#[test]
fn ten_thousand_shortcodes_and_deep_nesting_are_findings_in_a_moment() {
    let many = "{{< funds programme=\"yishiyiyi-2019\" >}}\n\n".repeat(10_000);
    let deep_div = "<div>".repeat(100_000);
    let deep_quote = format!("{} x", ">".repeat(10_000));
    let deep_list = (0..2000)
        .map(|i| format!("{}- x", "  ".repeat(i)))
        .collect::<Vec<_>>()
        .join("\n");
    for (body, rule) in [
        (many.as_str(), "limit.shortcodes"),
        (deep_div.as_str(), "limit.nesting"),
        (deep_quote.as_str(), "limit.nesting"),
        (deep_list.as_str(), "limit.nesting"),
    ] {
        let portal = Portal::example();
        portal.write("content/other/big.md", plan_with_body(body));
        let started = Instant::now();
        let run = portal.build_with(&["--lang", "en"]);
        let took = started.elapsed();
        run.assert_refused()
            .assert_mentions(rule)
            .assert_mentions("content/other/big.md:");
        assert!(took < Duration::from_secs(20), "{rule}: {took:?}");
        assert!(!portal.output().exists());
    }
}

#[test]
fn shortcodes_up_to_the_limit_expand_in_linear_time() {
    let body = "{{< funds programme=\"yishiyiyi-2019\" >}}\n\n".repeat(500);
    let portal = Portal::example();
    portal.write("content/other/many.md", plan_with_body(&body));
    let started = Instant::now();
    let site = portal.built();
    // 500 tables of figures on one page, built in (debug) seconds.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    let page = site.text("other/many/index.html");
    assert!(page.matches("<table").count() >= 500);
}

#[test]
fn a_page_of_more_than_8_mb_is_reported() {
    let line = "这是一段很长的说明文字，用来测试页面大小的上限。\n\n";
    let body = line.repeat(9 * 1024 * 1024 / line.len() + 1);
    let portal = Portal::example();
    portal.write("content/other/huge.md", plan_with_body(&body));
    let run = portal.build_with(&["--lang", "en"]);
    run.assert_refused()
        .assert_mentions("limit.page-size")
        .assert_mentions("other/huge/index.html");
    assert!(!portal.output().exists());
}

#[test]
fn a_file_larger_than_32_mb_is_not_read() {
    let portal = Portal::example();
    let f = std::fs::File::create(portal.path("data/huge.toml")).unwrap();
    f.set_len(33 * 1024 * 1024).unwrap();
    let run = portal.check_with(&["--lang", "en"]);
    run.assert_refused()
        .assert_mentions("limit.file-size")
        .assert_mentions("data/huge.toml");
}

// ----- 5. regular files only; leftovers; the swap -----

#[cfg(unix)]
#[test]
fn fifos_and_sockets_under_data_are_findings_and_never_block() {
    let portal = Portal::example();
    let fifo = portal.path("data/county/pipe.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let _socket = std::os::unix::net::UnixListener::bind(portal.path("content/sock.md")).unwrap();
    for run in [
        portal.check_with(&["--lang", "en"]),
        portal.build_with(&["--lang", "en"]),
    ] {
        run.assert_refused()
            .assert_mentions("load.not-a-file")
            .assert_mentions("data/county/pipe.toml")
            .assert_mentions("FIFO")
            .assert_mentions("content/sock.md")
            .assert_mentions("socket");
    }
}

#[test]
fn leftovers_of_killed_builds_are_removed_by_the_next_build() {
    let portal = Portal::example();
    portal.build().assert_ok();
    let tmp = portal.tmp();
    // What a build killed while writing, or between the renames, leaves.
    std::fs::create_dir_all(tmp.join(".cunwu-staging-AbC123/areas")).unwrap();
    std::fs::write(tmp.join(".cunwu-staging-AbC123/index.html"), "x").unwrap();
    std::fs::create_dir_all(tmp.join(".cunwu-previous-XyZ789/site/areas")).unwrap();
    // Not ours: kept.
    std::fs::write(tmp.join(".cunwu-staging-notes.txt"), "mine").unwrap();
    portal.build().assert_ok();
    let names: Vec<String> = std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with(".cunwu-") && n != ".cunwu-staging-notes.txt"),
        "{names:?}"
    );
    assert!(tmp.join(".cunwu-staging-notes.txt").is_file());
}

#[test]
fn the_output_holds_a_whole_site_at_every_instant_of_a_rebuild() {
    let portal = Portal::example();
    portal.build().assert_ok();
    let out = portal.output();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (out, stop) = (out.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut looks = 0u64;
            let mut missing = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                looks += 1;
                if !out.join("index.html").is_file() {
                    missing += 1;
                }
            }
            (looks, missing)
        })
    };
    for _ in 0..4 {
        portal.build().assert_ok();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (looks, missing) = watcher.join().unwrap();
    assert!(looks > 100, "{looks}");
    assert_eq!(
        missing, 0,
        "the site was missing {missing} times of {looks}"
    );
}

// ----- 6. quoted source lines -----

#[test]
fn excerpts_are_cut_to_200_characters_and_hidden_characters_escaped() {
    let portal = Portal::from_fixture("minimal");
    let filler = "x".repeat(5000);
    // A misspelt field on a 10,000-character line with a bidi override near
    // the caret, and a bell (a TOML syntax error) far along another line.
    let text = portal.read("data/areas.toml");
    let text = text.replacen(
        "labourers = 620",
        &format!("labourers = 620\npopulaton = 3 # \u{202e}{filler}{filler}"),
        1,
    );
    portal.write("data/areas.toml", &text);
    portal.write("data/bell.toml", format!("a = \"{filler}\u{7}{filler}\"\n"));
    let run = portal.check_with(&["--lang", "en"]);
    run.assert_refused()
        .assert_mentions("populaton")
        .assert_mentions(&portal.locate("data/areas.toml", "populaton"))
        .assert_mentions("data/bell.toml:1:5006")
        .assert_mentions("\\u{202e}")
        .assert_mentions("\\u{7}");
    assert!(
        !run.stderr.contains('\u{202e}'),
        "raw bidi override printed"
    );
    assert!(
        !run.stderr.contains('\u{7}'),
        "raw control character printed"
    );
    for l in run.stderr.lines() {
        assert!(
            l.chars().count() < 420,
            "a line of {} characters",
            l.chars().count()
        );
    }
}

/// A mount point as the output: its contents are replaced, the mount stays.
/// Needs `mount` (root, or a user namespace); skipped with a note otherwise.
#[cfg(target_os = "linux")]
#[test]
fn a_mount_point_output_is_replaced_in_place() {
    let portal = Portal::example();
    let out = portal.output();
    std::fs::create_dir(&out).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64m", "cunwu-test"])
        .arg(&out)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(out.clone());
    let is_mount = || {
        std::process::Command::new("mountpoint")
            .arg("-q")
            .arg(&out)
            .status()
            .is_ok_and(|s| s.success())
    };
    portal.build().assert_ok();
    assert!(is_mount(), "the mount point was replaced");
    assert!(out.join("index.html").is_file());
    std::fs::write(out.join("stray.html"), "x").unwrap();
    list_in_stamp(&out, "stray.html");
    portal.build().assert_ok();
    assert!(is_mount());
    assert!(!out.join("stray.html").exists(), "a stale file was kept");
    assert!(out.join(cunwu::write::STAMP).is_file());
    let hidden: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".cunwu-") && n != cunwu::write::STAMP)
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

/// Adds `name` to the list of top-level files in the stamp of the site at
/// `out`, as if an earlier build had written it.
fn list_in_stamp(out: &Path, name: &str) {
    let stamp = out.join(cunwu::write::STAMP);
    let text = std::fs::read_to_string(&stamp).unwrap();
    std::fs::write(&stamp, format!("{text}{name}\n")).unwrap();
}

/// Red-team pass: a site folder deployed with git (`public/.git`, `CNAME`)
/// lost its repository at the next build. Whatever was added to a site
/// cunwu wrote is now a refusal (exit 2, nothing touched), not deleted.
#[test]
fn anything_added_to_a_site_cunwu_wrote_is_never_deleted() {
    let portal = Portal::example();
    portal.build().assert_ok();
    let out = portal.output();
    for added in [
        ".git/HEAD",
        "CNAME",
        "README.md",
        ".nojekyll",
        "说明/备忘.txt",
        "index.html.bak",
    ] {
        let path = out.join(added);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "mine").unwrap();
        let before = tree(&out);
        let run = portal.build();
        run.assert_usage_error();
        let top = added.split('/').next().unwrap();
        run.assert_mentions(top);
        assert_eq!(tree(&out), before, "{added}: the output changed");
        std::fs::remove_dir_all(out.join(top))
            .or_else(|_| std::fs::remove_file(out.join(top)))
            .unwrap();
        portal.build().assert_ok();
    }
}
