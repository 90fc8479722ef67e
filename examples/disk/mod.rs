//! Issue 15, item 7: full builds to the real disk, cunwu against Hugo.
//!
//! The corpus is `synth::Spec::Mixed` (plain pages of 5–6 KB, mixed Chinese
//! and English, relative `.md` links and a table each). Each run, for each
//! tool in turn:
//!
//! 1. `sync`, so that what an earlier step left to write back is not counted;
//! 2. `rm -rf` of the tool's previous output (timed: "delete old");
//! 3. the build, right after, as a user's `rm -rf public && cunwu build` does
//!    (timed: "build"; for cunwu the stage split from `CUNWU_TIMINGS=1`);
//! 4. `sync` again (timed: "writeback"): the dirty pages the build left for
//!    the kernel to write, which a fair comparison must count too.
//!
//! Then the same again without the `rm -rf`: a rebuild over the previous
//! output (cunwu swaps the new site in and deletes the old one; Hugo
//! overwrites files in place and deletes nothing).
//!
//! Every build also reports its CPU time, user and system: on this disk,
//! when a build is slow after a deletion, the system time says whether it
//! waited on the disk or worked in the kernel (see `write::spread_subfolders`).
//! Each run is printed, and the table gives the best and the median: runs
//! in a row are not alike, as each deletion leaves the next build more
//! freed inodes to step over.
//!
//! Caches are not dropped (that needs root and slows everyone else on a
//! shared machine): the inputs are read from the page cache by both tools.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{Args, load_average, portal_for, stat_times, synth, tree_size};

/// One timed step of one run.
#[derive(Clone, Default)]
struct Run {
    delete: Duration,
    build: Duration,
    writeback: Duration,
    /// The build's CPU time in the program and in the kernel (for cunwu,
    /// mostly the file system making folders and files).
    user: Duration,
    sys: Duration,
    /// `[time]` lines of cunwu's stderr: stage → ms.
    stages: Vec<(String, String)>,
}

impl Run {
    fn total(&self) -> Duration {
        self.build + self.writeback
    }
}

/// The tools compared.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Cunwu,
    Hugo,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Cunwu => "cunwu",
            Tool::Hugo => "hugo",
        }
    }
}

/// Runs the disk benchmark and prints its tables.
pub fn disk_bench(args: &Args, bin: &Path, target: &Path) -> Result<(), String> {
    let dir = args
        .disk_dir
        .clone()
        .unwrap_or_else(|| target.join("diskbench"));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let dir = dir
        .canonicalize()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let spec = synth::Spec::Mixed {
        pages: args.disk,
        seed: args.seed,
    };
    // Kept between runs of the benchmark only with --keep.
    let (portal, _temp) = portal_for(&spec, args, &dir)?;
    let hugo = hugo_on_path();
    let hugo_site = dir.join("hugo-site");
    if hugo.is_some() {
        write_hugo_site(&hugo_site, &portal.join("content"))?;
    }
    let mut tools = vec![Tool::Cunwu];
    if hugo.is_some() {
        tools.push(Tool::Hugo);
    } else {
        eprintln!("bench: hugo is not on the PATH: timing cunwu alone");
    }
    let out = |t: Tool| dir.join(format!("out-{}", t.name()));
    let build = |t: Tool| -> Command {
        match t {
            Tool::Cunwu => {
                let mut c = Command::new(bin);
                c.arg("build")
                    .arg("--root")
                    .arg(&portal)
                    .arg("--output")
                    .arg(out(t))
                    .arg("--quiet")
                    .env("CUNWU_TIMINGS", "1");
                c
            }
            Tool::Hugo => {
                let mut c = Command::new("hugo");
                c.arg("--source")
                    .arg(&hugo_site)
                    .arg("--destination")
                    .arg(out(t))
                    .arg("--quiet");
                c
            }
        }
    };

    println!();
    println!(
        "disk benchmark: {} ({} pages of 5-6 KB) on {} ({}), hugo: {}{}",
        spec.name(),
        args.disk,
        dir.display(),
        file_system(&dir),
        hugo.as_deref().unwrap_or("not installed"),
        std::env::var("CUNWU_SPREAD_FOLDERS")
            .map(|v| format!(", CUNWU_SPREAD_FOLDERS={v}"))
            .unwrap_or_default()
    );
    // A first build of each makes the "previous output" and reads the inputs
    // into the page cache.
    for &t in &tools {
        if !out(t).exists() {
            run_build(build(t))?;
        }
    }
    let mut after_rm: Vec<(Tool, Run)> = Vec::new();
    let mut over: Vec<(Tool, Run)> = Vec::new();
    for i in 0..args.runs {
        for &t in &tools {
            sync();
            let started = Instant::now();
            remove(&out(t))?;
            let delete = started.elapsed();
            let mut r = timed_build(build(t))?;
            r.delete = delete;
            report(t, "after rm -rf", i, &r);
            after_rm.push((t, r));
        }
        for &t in &tools {
            sync();
            let r = timed_build(build(t))?;
            report(t, "over the previous output", i, &r);
            over.push((t, r));
        }
    }
    let pages = tree_size(&out(Tool::Cunwu), |p| {
        p.extension().is_some_and(|x| x == "html")
    });
    let (files, bytes) = tree_size(&out(Tool::Cunwu), |_| true);
    println!(
        "cunwu wrote {} HTML pages, {files} files, {:.1} MB",
        pages.0,
        bytes as f64 / 1e6
    );
    if hugo.is_some() {
        let (hfiles, hbytes) = tree_size(&out(Tool::Hugo), |_| true);
        println!(
            "hugo wrote {hfiles} files, {:.1} MB (its own templates: hugo-site/layouts)",
            hbytes as f64 / 1e6
        );
    }
    println!(
        "best of {} runs each (the machine is shared: load average now {})",
        args.runs,
        load_average()
    );
    println!();
    println!(
        "| case | tool | delete old s | build s | user s | sys s | writeback (sync) s | build + writeback s | pages/s (build) | vs hugo (build) | median build s | vs hugo (median) |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let cases = [("after rm -rf", &after_rm), ("over previous", &over)];
    let best = |runs: &[(Tool, Run)], t: Tool| {
        runs.iter()
            .filter(|(x, _)| *x == t)
            .map(|(_, r)| r.clone())
            .min_by_key(|r| r.build)
    };
    let ratio = |a: Option<Duration>, b: Option<Duration>| match (a, b) {
        (Some(a), Some(b)) => format!("{:.2}", a.as_secs_f64() / b.as_secs_f64()),
        _ => "n/a".to_string(),
    };
    for (case, runs) in cases {
        let hugo_best = best(runs, Tool::Hugo).map(|r| r.build);
        let hugo_median = median_build(runs, Tool::Hugo);
        for &t in &tools {
            let Some(r) = best(runs, t) else { continue };
            let median = median_build(runs, t);
            println!(
                "| {case} | {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.0} | {} | {:.2} | {} |",
                t.name(),
                if r.delete.is_zero() {
                    "–".to_string()
                } else {
                    format!("{:.2}", r.delete.as_secs_f64())
                },
                r.build.as_secs_f64(),
                r.user.as_secs_f64(),
                r.sys.as_secs_f64(),
                r.writeback.as_secs_f64(),
                r.total().as_secs_f64(),
                pages.0 as f64 / r.build.as_secs_f64(),
                ratio(Some(r.build), hugo_best),
                median.unwrap_or_default().as_secs_f64(),
                ratio(median, hugo_median),
            );
        }
    }
    for (case, runs) in cases {
        if let Some(r) = best(runs, Tool::Cunwu) {
            println!();
            println!(
                "cunwu's stages, {case} (best build; `[time]` lines: since the start, or summed over threads):"
            );
            for (stage, ms) in &r.stages {
                println!("  {stage}: {ms}");
            }
        }
    }
    for &t in &tools {
        sync();
        let _ = remove(&out(t));
    }
    if !args.keep {
        let _ = std::fs::remove_dir_all(&hugo_site);
    }
    Ok(())
}

fn report(t: Tool, case: &str, i: usize, r: &Run) {
    eprintln!(
        "bench: disk {} {case} {}: delete {:.2} s, build {:.2} s (user {:.2} s, sys {:.2} s), writeback {:.2} s (load average {})",
        t.name(),
        i + 1,
        r.delete.as_secs_f64(),
        r.build.as_secs_f64(),
        r.user.as_secs_f64(),
        r.sys.as_secs_f64(),
        r.writeback.as_secs_f64(),
        load_average()
    );
}

/// The median build time of `t`'s runs (the upper middle one of an even count).
fn median_build(runs: &[(Tool, Run)], t: Tool) -> Option<Duration> {
    let mut builds: Vec<Duration> = runs
        .iter()
        .filter(|(x, _)| *x == t)
        .map(|(_, r)| r.build)
        .collect();
    builds.sort();
    builds.get(builds.len() / 2).copied()
}

/// The user and system CPU time of this process's children that have
/// ended and been waited for.
fn children_cpu() -> (Duration, Duration) {
    stat_times("/proc/self/stat", 13).unwrap_or_default()
}

/// `hugo version`, when hugo runs.
fn hugo_on_path() -> Option<String> {
    let out = Command::new("hugo").arg("version").output().ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// The file system type and mount options of `dir`, from `/proc/mounts`.
fn file_system(dir: &Path) -> String {
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() >= 4 && dir.starts_with(f[1]))
                .then(|| (f[1].len(), format!("{} {}", f[2], f[3])))
        })
        .max()
        .map_or_else(|| "unknown".into(), |(_, s)| s)
}

fn sync() {
    let _ = Command::new("sync").status();
}

fn remove(dir: &Path) -> Result<(), String> {
    let status = Command::new("rm")
        .arg("-rf")
        .arg(dir)
        .status()
        .map_err(|e| format!("rm: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("rm -rf {} failed", dir.display()))
    }
}

/// Runs a build; fails with its stderr when it fails. Returns its stderr.
fn run_build(mut cmd: Command) -> Result<String, String> {
    let out = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("{}: {e}", cmd.get_program().to_string_lossy()))?;
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.success() {
        Ok(err)
    } else {
        Err(format!(
            "{} failed ({}):\n{err}",
            cmd.get_program().to_string_lossy(),
            out.status
        ))
    }
}

/// The build, then `sync`; with cunwu's `[time]` lines.
fn timed_build(cmd: Command) -> Result<Run, String> {
    let (user0, sys0) = children_cpu();
    let started = Instant::now();
    let err = run_build(cmd)?;
    let build = started.elapsed();
    let (user1, sys1) = children_cpu();
    let started = Instant::now();
    sync();
    let writeback = started.elapsed();
    let stages = err
        .lines()
        .filter_map(|l| l.strip_prefix("[time] ")?.split_once(": "))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    Ok(Run {
        delete: Duration::ZERO,
        build,
        writeback,
        user: user1.saturating_sub(user0),
        sys: sys1.saturating_sub(sys0),
        stages,
    })
}

/// A minimal Hugo site around the corpus's `content/`: a page template, a
/// list template, no theme, no taxonomies; links relative like cunwu's.
fn write_hugo_site(site: &Path, content: &Path) -> Result<(), String> {
    let config = format!(
        "baseURL = \"/\"\ntitle = \"示例县村务公开（合成文稿）\"\nlanguageCode = \"zh-CN\"\ncontentDir = {:?}\ndataDir = \"no-data\"\nrelativeURLs = true\ndisableKinds = [\"taxonomy\", \"term\"]\n[markup.goldmark.renderer]\nunsafe = false\n",
        content.display().to_string()
    );
    let head = "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{{ .Title }} · {{ .Site.Title }}</title><meta name=\"description\" content=\"{{ .Description }}\"></head>\n<body><nav><a href=\"{{ .Site.Home.RelPermalink }}\">{{ .Site.Title }}</a>{{ with .Parent }} › <a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</nav>\n";
    let single = format!(
        "{head}<main><h1>{{{{ .Title }}}}</h1><p><time>{{{{ .Date.Format \"2006-01-02\" }}}}</time></p>\n{{{{ .Content }}}}\n</main></body></html>\n"
    );
    let list = format!(
        "{head}<main><h1>{{{{ .Title }}}}</h1>\n{{{{ .Content }}}}\n<ul>{{{{ range .Pages }}}}<li><a href=\"{{{{ .RelPermalink }}}}\">{{{{ .Title }}}}</a> <time>{{{{ .Date.Format \"2006-01-02\" }}}}</time></li>{{{{ end }}}}</ul>\n</main></body></html>\n"
    );
    let layouts = site.join("layouts").join("_default");
    std::fs::create_dir_all(&layouts).map_err(|e| format!("{}: {e}", layouts.display()))?;
    for (path, text) in [
        (site.join("hugo.toml"), config),
        (layouts.join("single.html"), single),
        (layouts.join("list.html"), list),
    ] {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
