//! The benchmark: builds synthetic portals with the release binary and prints
//! wall time, pages per second, peak memory and `check` time as a Markdown
//! table (see `docs/performance.md`).
//!
//! ```text
//! cargo run --release --example bench -- [--sizes 1000,10000,20000] [--plain 10000]
//!     [--runs 3] [--seed 1] [--keep] [--no-build] [--bin PATH] [--proc-meter]
//!     [--edits 5] [--out-dir DIR] [--disk 5000] [--disk-dir DIR] [--disk-only]
//! ```
//!
//! `--disk N` adds issue 15's disk benchmark (see [`disk_bench`]): a full
//! build of N plain pages of 5–6 KB to the real disk right after the previous
//! output was deleted, with the time split by stage, against Hugo on the same
//! Markdown when `hugo` is on the PATH.
//!
//! The one-edit columns come from `examples/serve_bench.rs`, run against
//! `cunwu serve` on a copy of each portal: the median time from writing one
//! plan (or one data record) to the page serving the new text.
//!
//! It runs `cargo build --release --bin cunwu` first (skip with `--no-build`),
//! then times `target/release/cunwu` as a child process, so what is measured
//! is exactly what a user runs. Peak memory is the child's maximum resident
//! set size, read by GNU `time` (`/usr/bin/time`, Debian package `time`) when
//! it is installed, otherwise by polling `VmHWM` in `/proc/<pid>/status`.

#[path = "synth/mod.rs"]
mod synth;

#[path = "disk/mod.rs"]
mod disk;
use disk::disk_bench;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: bench [--sizes 1000,10000,20000] [--plain 10000] [--runs 3] [--seed 1] [--keep] [--no-build] [--bin PATH] [--proc-meter]

  --sizes LIST   village counts of the province-scale portals (default 1000,10000,20000)
  --plain N      pages of the plain-Markdown corpus, 0 to skip (default 10000)
  --runs N       builds (and checks) per portal; the best time is shown (default 3)
  --seed S       generator seed (default 1)
  --keep         keep the generated portals in target/bench-portals/ and reuse them next time
  --no-build     do not run `cargo build --release --bin cunwu` first
  --bin PATH     the cunwu binary to time (default target/release/cunwu)
  --proc-meter   read peak memory from /proc even when GNU time is installed
  --edits N      edits of each kind timed against `cunwu serve` per portal, 0 to skip (default 5)
  --out-dir DIR  write the built sites under DIR (e.g. /dev/shm to leave the disk out)
  --disk N       also time full builds of N 5-6 KB plain pages to disk after `rm -rf` of the
                 previous output, cunwu against hugo when on PATH (default 0: skip)
  --disk-dir DIR where the disk benchmark's corpus and outputs go (default target/diskbench;
                 it must be on the disk measured, not a tmpfs)
  --disk-only    run the disk benchmark alone (no portals, plain corpus or edits)";

struct Args {
    sizes: Vec<usize>,
    plain: usize,
    runs: usize,
    seed: u64,
    keep: bool,
    build: bool,
    bin: Option<PathBuf>,
    proc_meter: bool,
    edits: usize,
    out_dir: Option<PathBuf>,
    disk: usize,
    disk_dir: Option<PathBuf>,
    disk_only: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        sizes: vec![1000, 10_000, 20_000],
        plain: 10_000,
        runs: 3,
        seed: 1,
        keep: false,
        build: true,
        bin: None,
        proc_meter: false,
        edits: 5,
        out_dir: None,
        disk: 0,
        disk_dir: None,
        disk_only: false,
    };
    let number = |s: &str| {
        s.trim()
            .parse::<u64>()
            .map_err(|_| format!("not a whole number: {s}"))
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--sizes" => {
                let v = value("--sizes")?;
                a.sizes = if v.trim().is_empty() {
                    Vec::new()
                } else {
                    v.split(',')
                        .map(|s| number(s).map(|n| n as usize))
                        .collect::<Result<_, _>>()?
                };
            }
            "--plain" => a.plain = number(&value("--plain")?)? as usize,
            "--runs" => a.runs = (number(&value("--runs")?)? as usize).max(1),
            "--seed" => a.seed = number(&value("--seed")?)?,
            "--keep" => a.keep = true,
            "--no-build" => a.build = false,
            "--bin" => a.bin = Some(PathBuf::from(value("--bin")?)),
            "--proc-meter" => a.proc_meter = true,
            "--edits" => a.edits = number(&value("--edits")?)? as usize,
            "--out-dir" => a.out_dir = Some(PathBuf::from(value("--out-dir")?)),
            "--disk" => a.disk = number(&value("--disk")?)? as usize,
            "--disk-dir" => a.disk_dir = Some(PathBuf::from(value("--disk-dir")?)),
            "--disk-only" => a.disk_only = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    if a.disk_only && a.disk == 0 {
        a.disk = 5000;
    }
    if a.sizes.contains(&0) {
        return Err("sizes must be at least 1".into());
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("bench: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = target_dir();
    if args.build {
        cargo_build(&manifest)?;
    }
    let bin = args
        .bin
        .clone()
        .unwrap_or_else(|| target.join("release").join("cunwu"));
    if !bin.is_file() {
        return Err(format!(
            "{} not found: run `cargo build --release` or pass --bin",
            bin.display()
        ));
    }
    let meter = if args.proc_meter {
        Meter::Proc
    } else {
        Meter::detect()
    };
    let work = target.join("bench-portals");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;

    let mut specs: Vec<synth::Spec> = args
        .sizes
        .iter()
        .map(|&villages| synth::Spec::Portal {
            villages,
            per_township: 20,
            groups_per_village: 2,
            seed: args.seed,
        })
        .collect();
    if args.plain > 0 {
        specs.push(synth::Spec::Plain {
            pages: args.plain,
            seed: args.seed,
        });
    }

    print_machine(&bin, &meter);
    if args.disk_only {
        return disk_bench(args, &bin, &target);
    }
    let outputs_in = args.out_dir.clone().unwrap_or_else(|| work.clone());
    std::fs::create_dir_all(&outputs_in).map_err(|e| format!("{}: {e}", outputs_in.display()))?;
    let outputs = tempfile::Builder::new()
        .prefix("cunwu-bench-outputs-")
        .tempdir_in(&outputs_in)
        .map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for spec in &specs {
        let row = bench_one(spec, args, &bin, (&work, outputs.path()), &meter)?;
        eprintln!("bench: {}", row.markdown());
        rows.push(row);
    }
    println!();
    println!("{}", Row::HEADER);
    println!("{}", Row::RULE);
    for r in &rows {
        println!("{}", r.markdown());
    }
    println!();
    println!("{}", SearchBytes::HEADER);
    println!("{}", SearchBytes::RULE);
    for r in &rows {
        if let Some(s) = &r.search {
            println!("{}", s.markdown(&r.name));
        }
    }
    eprintln!(
        "bench: removing the built sites in {}",
        outputs.path().display()
    );
    if args.disk > 0 {
        disk_bench(args, &bin, &target)?;
    }
    Ok(())
}

fn target_dir() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| manifest.join("target"), PathBuf::from)
}

fn cargo_build(manifest: &Path) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("bench: cargo build --release --bin cunwu --example serve_bench");
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--bin",
            "cunwu",
            "--example",
            "serve_bench",
        ])
        .current_dir(manifest)
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("cargo build --release failed".into())
    }
}

fn print_machine(bin: &Path, meter: &Meter) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let ram = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or_else(
            || "unknown".into(),
            |kb| format!("{:.1} GiB", kb as f64 / 1024.0 / 1024.0),
        );
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let version = Command::new(bin)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    println!("machine: {cores} cores, {cpu}, {ram} RAM");
    println!("binary: {} ({version})", bin.display());
    println!("peak memory from: {}", meter.describe());
    println!("load average at start: {}", load_average());
}

/// One line of the results table.
struct Row {
    name: String,
    input_files: usize,
    input_mb: f64,
    pages: usize,
    files: usize,
    output_mb: f64,
    /// The build with the best wall time.
    build: Measured,
    /// The highest peak over all builds.
    build_rss_kb: u64,
    check: Measured,
    check_rss_kb: u64,
    edits: Option<Edits>,
    /// What a search for a village's name downloads.
    search: Option<SearchBytes>,
}

/// Medians from `serve_bench`: write → page served, in ms, and the server's peak.
struct Edits {
    plan_ms: String,
    data_ms: String,
    server_peak_mb: String,
    /// From starting `cunwu serve` to its address being printed (the first
    /// build's load, check and gate), in seconds.
    start_s: String,
}

/// Runs `serve_bench` on the portal and reads its `median-ms` line.
fn edit_latency(target: &Path, portal: &Path, edits: usize) -> Result<Edits, String> {
    let exe = target.join("release").join("examples").join("serve_bench");
    eprintln!(
        "bench: {} --root {} --edits {edits}",
        exe.display(),
        portal.display()
    );
    let out = Command::new(&exe)
        .arg("--root")
        .arg(portal)
        .args(["--edits", &edits.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| {
            format!(
                "{}: {e} (build it with --example serve_bench)",
                exe.display()
            )
        })?;
    let text = String::from_utf8_lossy(&out.stdout);
    eprint!("{text}");
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("median-ms "))
        .ok_or_else(|| format!("serve_bench printed no median-ms line ({})", out.status))?;
    let field = |name: &str| {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .unwrap_or("n/a")
            .to_string()
    };
    Ok(Edits {
        plan_ms: field("plan"),
        data_ms: field("data"),
        server_peak_mb: field("server-peak-mb"),
        start_s: field("start-ms")
            .parse::<f64>()
            .map_or("n/a".to_string(), |ms| format!("{:.1}", ms / 1000.0)),
    })
}

impl Row {
    const HEADER: &str = "| portal | input files | input MB | HTML pages | output files | output MB | build wall s | user s | sys s | pages/s | build peak RSS MB | check wall s | check CPU s | check peak RSS MB | plan edit ms | data edit ms | serve peak MB | serve start s |";
    const RULE: &str = "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

    fn markdown(&self) -> String {
        let secs = self.build.wall.as_secs_f64();
        format!(
            "| {} | {} | {:.1} | {} | {} | {:.1} | {:.2} | {:.2} | {:.2} | {:.0} | {:.0} | {:.2} | {:.2} | {:.0} | {} | {} | {} | {} |",
            self.name,
            self.input_files,
            self.input_mb,
            self.pages,
            self.files,
            self.output_mb,
            secs,
            self.build.user.as_secs_f64(),
            self.build.sys.as_secs_f64(),
            self.pages as f64 / secs,
            self.build_rss_kb as f64 / 1024.0,
            self.check.wall.as_secs_f64(),
            (self.check.user + self.check.sys).as_secs_f64(),
            self.check_rss_kb as f64 / 1024.0,
            self.edits.as_ref().map_or("n/a", |e| e.plan_ms.as_str()),
            self.edits.as_ref().map_or("n/a", |e| e.data_ms.as_str()),
            self.edits
                .as_ref()
                .map_or("n/a", |e| e.server_peak_mb.as_str()),
            self.edits.as_ref().map_or("n/a", |e| e.start_s.as_str()),
        )
    }
}

/// Generates the portal, or reuses a kept one made by the same generator version.
fn portal_for(
    spec: &synth::Spec,
    args: &Args,
    work: &Path,
) -> Result<(PathBuf, Option<tempfile::TempDir>), String> {
    let name = spec.name();
    // A kept portal lives at a fixed path; a throwaway one in a temporary folder
    // on the same disk, so both are read from the same kind of storage.
    let (portal, temp) = if args.keep {
        (work.join(&name), None)
    } else {
        let temp = tempfile::Builder::new()
            .prefix("portal-")
            .tempdir_in(work)
            .map_err(|e| e.to_string())?;
        (temp.path().join(&name), Some(temp))
    };
    let stamp = format!("examples/gen.rs v{} {name}\n", synth::GENERATOR_VERSION);
    let stamp_path = portal.join(".bench-stamp");
    if std::fs::read_to_string(&stamp_path).ok().as_deref() == Some(stamp.as_str()) {
        eprintln!("bench: reusing {}", portal.display());
        return Ok((portal, temp));
    }
    if portal.exists() {
        std::fs::remove_dir_all(&portal).map_err(|e| format!("{}: {e}", portal.display()))?;
    }
    eprintln!("bench: generating {name} in {}", portal.display());
    let started = Instant::now();
    let stats = synth::generate(spec, &portal)?;
    eprintln!(
        "bench: generated {} files ({:.1} MB) in {:.2} s",
        stats.files,
        stats.bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    std::fs::write(&stamp_path, &stamp).map_err(|e| e.to_string())?;
    Ok((portal, temp))
}

fn bench_one(
    spec: &synth::Spec,
    args: &Args,
    bin: &Path,
    (work, outputs): (&Path, &Path),
    meter: &Meter,
) -> Result<Row, String> {
    let name = spec.name();
    let (portal, _temp) = portal_for(spec, args, work)?;
    let (input_files, input_bytes) = tree_size(&portal, |_| true);

    // Every build writes a new folder: deleting a large site just before the
    // next build makes the file system (ext4 here) slow to create files for a
    // while, which would measure the deletion rather than cunwu. All outputs
    // are removed together when the whole benchmark ends.
    let outputs = outputs.join(&name);
    std::fs::create_dir_all(&outputs).map_err(|e| format!("{}: {e}", outputs.display()))?;
    let mut best: Option<Measured> = None;
    let mut build_rss = 0;
    for i in 0..args.runs {
        let output = outputs.join(format!("public-{}", i + 1));
        let mut cmd = Command::new(bin);
        cmd.arg("build")
            .arg("--root")
            .arg(&portal)
            .arg("--output")
            .arg(&output)
            .arg("--quiet");
        let m = meter.run(cmd)?;
        report(&name, "build", i, &m);
        build_rss = build_rss.max(m.max_rss_kb);
        if best.as_ref().is_none_or(|b| m.wall < b.wall) {
            best = Some(m);
        }
    }
    let last = outputs.join(format!("public-{}", args.runs));
    let pages = tree_size(&last, |p| p.extension().is_some_and(|x| x == "html")).0;
    let (files, output_bytes) = tree_size(&last, |_| true);

    let mut best_check: Option<Measured> = None;
    let mut check_rss = 0;
    for i in 0..args.runs {
        let mut cmd = Command::new(bin);
        cmd.arg("check").arg("--root").arg(&portal);
        let m = meter.run(cmd)?;
        report(&name, "check", i, &m);
        check_rss = check_rss.max(m.max_rss_kb);
        if best_check.as_ref().is_none_or(|b| m.wall < b.wall) {
            best_check = Some(m);
        }
    }
    let edits = if args.edits > 0 {
        Some(edit_latency(&target_dir(), &portal, args.edits)?)
    } else {
        None
    };
    let none = || "no runs".to_string();
    Ok(Row {
        name,
        input_files,
        input_mb: input_bytes as f64 / 1e6,
        pages,
        files,
        output_mb: output_bytes as f64 / 1e6,
        build: best.ok_or_else(none)?,
        build_rss_kb: build_rss,
        check: best_check.ok_or_else(none)?,
        check_rss_kb: check_rss,
        edits,
        search: search_bytes(&last),
    })
}

fn report(name: &str, what: &str, i: usize, m: &Measured) {
    eprintln!(
        "bench: {name} {what} {}: {:.2} s wall, {:.2} s user, {:.2} s sys, {:.0} MB peak (load average {})",
        i + 1,
        m.wall.as_secs_f64(),
        m.user.as_secs_f64(),
        m.sys.as_secs_f64(),
        m.max_rss_kb as f64 / 1024.0,
        load_average()
    );
}

/// The 1-minute load average: other work on the machine inflates wall times.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// Files under `dir` (recursively) that `keep` accepts, and their total size.
fn tree_size(dir: &Path, keep: impl Fn(&Path) -> bool) -> (usize, u64) {
    let mut n = 0;
    let mut bytes = 0;
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file()
            && keep(e.path())
            && !e.file_name().to_string_lossy().starts_with('.')
        {
            n += 1;
            bytes += e.metadata().map_or(0, |m| m.len());
        }
    }
    (n, bytes)
}

/// One measured child run.
struct Measured {
    wall: Duration,
    /// CPU time of the child in user mode and in the kernel.
    user: Duration,
    sys: Duration,
    max_rss_kb: u64,
}

/// How peak memory is read.
enum Meter {
    /// GNU time writes the child's `ru_maxrss` (from `wait4`) to a file.
    GnuTime(PathBuf),
    /// Poll `VmHWM` while the child runs (misses at most the last few ms).
    Proc,
}

impl Meter {
    fn detect() -> Meter {
        let time = PathBuf::from("/usr/bin/time");
        let works = Command::new(&time)
            .args(["-f", "%M", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if works {
            Meter::GnuTime(time)
        } else {
            Meter::Proc
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            Meter::GnuTime(_) => "/usr/bin/time (ru_maxrss of the child)",
            Meter::Proc => {
                "polling VmHWM in /proc/<pid>/status every 5 ms (GNU time not installed)"
            }
        }
    }

    /// Runs `cmd` to completion; fails with its stderr when it fails.
    fn run(&self, cmd: Command) -> Result<Measured, String> {
        match self {
            Meter::GnuTime(time) => {
                let report = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
                let mut wrapped = Command::new(time);
                wrapped
                    .arg("-f")
                    .arg("%M %U %S")
                    .arg("-o")
                    .arg(report.path())
                    .arg(cmd.get_program())
                    .args(cmd.get_args());
                let started = Instant::now();
                let out = wrapped
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .output()
                    .map_err(|e| e.to_string())?;
                let wall = started.elapsed();
                check_status(&cmd, out.status, &out.stderr)?;
                // The last line is ours; GNU time puts notes such as
                // "Command exited with non-zero status" before it.
                let text = std::fs::read_to_string(report.path()).unwrap_or_default();
                let fields: Vec<&str> = text
                    .lines()
                    .last()
                    .unwrap_or("")
                    .split_whitespace()
                    .collect();
                let max_rss_kb = fields.first().and_then(|f| f.parse().ok()).unwrap_or(0);
                let secs = |i: usize| {
                    fields
                        .get(i)
                        .and_then(|f| f.parse::<f64>().ok())
                        .unwrap_or(0.0)
                };
                let (user, sys) = (
                    Duration::from_secs_f64(secs(1)),
                    Duration::from_secs_f64(secs(2)),
                );
                Ok(Measured {
                    wall,
                    user,
                    sys,
                    max_rss_kb,
                })
            }
            Meter::Proc => {
                let mut cmd = cmd;
                let started = Instant::now();
                let mut child = cmd
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .map_err(|e| e.to_string())?;
                let status_path = format!("/proc/{}/status", child.id());
                // Read stderr on a thread so a chatty child cannot block on a full pipe.
                let mut stderr = child.stderr.take();
                let reader = std::thread::spawn(move || {
                    let mut buf = Vec::new();
                    if let Some(s) = stderr.as_mut() {
                        let _ = std::io::Read::read_to_end(s, &mut buf);
                    }
                    buf
                });
                let stat_path = format!("/proc/{}/stat", child.id());
                let mut max_rss_kb = 0;
                let (mut user, mut sys) = (Duration::ZERO, Duration::ZERO);
                let status = loop {
                    if let Some(kb) = vm_hwm_kb(&status_path) {
                        max_rss_kb = max_rss_kb.max(kb);
                    }
                    if let Some((u, s)) = cpu_times(&stat_path) {
                        (user, sys) = (u, s);
                    }
                    if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                        break status;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                };
                let wall = started.elapsed();
                let err = reader.join().unwrap_or_default();
                check_status(&cmd, status, &err)?;
                Ok(Measured {
                    wall,
                    user,
                    sys,
                    max_rss_kb,
                })
            }
        }
    }
}

fn vm_hwm_kb(status_path: &str) -> Option<u64> {
    let text = std::fs::read_to_string(status_path).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// utime and stime from `/proc/<pid>/stat`, assuming the usual 100 ticks a second.
fn cpu_times(stat_path: &str) -> Option<(Duration, Duration)> {
    stat_times(stat_path, 11)
}

/// Two CPU times in ticks from a `/proc/.../stat` file: the `first`
/// field after the command name (0 is the state) and the one after it
/// (11: utime, stime; 13: cutime, cstime, of the children waited for).
fn stat_times(stat_path: &str, first: usize) -> Option<(Duration, Duration)> {
    let text = std::fs::read_to_string(stat_path).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &text[text.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    Some((
        Duration::from_millis(ticks(first)? * 10),
        Duration::from_millis(ticks(first + 1)? * 10),
    ))
}

fn check_status(
    cmd: &Command,
    status: std::process::ExitStatus,
    stderr: &[u8],
) -> Result<(), String> {
    if status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(stderr);
    let tail: Vec<&str> = text.lines().rev().take(30).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Err(format!(
        "{} {} failed ({status}):\n{}",
        cmd.get_program().to_string_lossy(),
        cmd.get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        tail.join("\n")
    ))
}

/// Search bytes per query: what the search page downloads for a village's
/// name until it can show the first result. The loader (`search.js`) and
/// `search-index.js` count; the page itself is shown apart. A site with
/// shards (`search/t/`) is read with `SearchIndex` and up to 200 village
/// names, spread over the portal, are looked up; a site made before the
/// shards downloads its whole `search-index.js` for every query.
struct SearchBytes {
    docs: usize,
    files: usize,
    index_bytes: u64,
    page_bytes: u64,
    loader_bytes: u64,
    queries: usize,
    median: u64,
    max: u64,
}

impl SearchBytes {
    const HEADER: &str = "| portal | indexed pages | index files | index MB | search page KB | search.js KB | village names | KB per query (median) | KB per query (max) |";
    const RULE: &str = "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

    fn markdown(&self, name: &str) -> String {
        let kb = |b: u64| b as f64 / 1024.0;
        format!(
            "| {name} | {} | {} | {:.1} | {:.1} | {:.1} | {} | {:.1} | {:.1} |",
            self.docs,
            self.files,
            self.index_bytes as f64 / 1e6,
            kb(self.page_bytes),
            kb(self.loader_bytes),
            self.queries,
            kb(self.median),
            kb(self.max),
        )
    }
}

fn search_bytes(site: &Path) -> Option<SearchBytes> {
    use cunwu::render::search::SearchIndex;
    let size = |rel: &str| std::fs::metadata(site.join(rel)).map_or(0, |m| m.len());
    let loader_bytes = size("search.js");
    let page_bytes = size("search/index.html");
    let (shard_files, shard_bytes) = tree_size(&site.join("search"), |p| {
        p.extension().is_some_and(|x| x == "js")
    });
    let meta_bytes = size("search-index.js");
    if meta_bytes == 0 {
        return None;
    }
    let index_bytes = meta_bytes + shard_bytes;
    let read = |rel: &str| std::fs::read_to_string(site.join(rel)).ok();
    let Some(ix) = SearchIndex::read(&read) else {
        // One whole index file, before the shards.
        let text = read("search-index.js")?;
        let docs = text.matches("],[").count() + 1;
        let per_query = loader_bytes + meta_bytes;
        return Some(SearchBytes {
            docs,
            files: 1,
            index_bytes,
            page_bytes,
            loader_bytes,
            queries: 1,
            median: per_query,
            max: per_query,
        });
    };
    let villages: Vec<&str> = ix
        .docs
        .iter()
        .filter(|d| d.2 == 0 && d.0.ends_with('村'))
        .map(|d| d.0.as_str())
        .collect();
    let step = villages.len().div_ceil(200).max(1);
    let mut per_query: Vec<u64> = villages
        .iter()
        .step_by(step)
        .map(|name| loader_bytes + ix.files_for(name).iter().map(|f| size(f)).sum::<u64>())
        .collect();
    per_query.sort_unstable();
    Some(SearchBytes {
        docs: ix.docs.len(),
        files: shard_files + 1,
        index_bytes,
        page_bytes,
        loader_bytes,
        queries: per_query.len(),
        median: per_query.get(per_query.len() / 2).copied().unwrap_or(0),
        max: per_query.last().copied().unwrap_or(0),
    })
}
