//! Edit-to-reloaded latency of `cunwu serve` (issue 5).
//!
//! ```text
//! cargo run --release --example serve_bench -- --root DIR [--edits 20] [--pause-ms 150]
//! ```
//!
//! Copies the portal at DIR into a temporary folder (the original is never
//! touched), builds and starts the release `cunwu serve --port 0` on the copy,
//! then
//!
//! 1. edits one plan (a Markdown file under `content/`) N times, appending a
//!    unique marker each time, and
//! 2. edits one village's `summary` in its data file N times,
//!
//! and for every edit measures the time from the file write until a GET of the
//! page's URL returns the marker (a tight loop of GETs over one keep-alive
//! connection), and until the live-reload event stream announces the new
//! version (what makes an open tab reload). Prints min / median / p90 / max,
//! and the rebuild times the server reports.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: serve_bench --root DIR [--edits N] [--pause-ms MS] [--poll-ms MS]

  --root DIR      the portal (cunwu.toml, data/, content/ …); it is copied, never edited
  --edits N       edits of each kind (default 20)
  --pause-ms MS   pause between edits (default 150)
  --poll-ms MS    pause between the GETs that wait for an edit (default 0: a tight loop)";

/// The longest a single edit may take to show before the run is abandoned.
const EDIT_TIMEOUT: Duration = Duration::from_secs(60);

struct Args {
    root: PathBuf,
    edits: usize,
    pause: Duration,
    poll: Duration,
}

fn parse_args() -> Result<Args, String> {
    let (mut root, mut edits, mut pause_ms, mut poll_ms) = (None, 20usize, 150u64, 0u64);
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--root" => root = Some(PathBuf::from(value("--root")?)),
            "--edits" => {
                edits = value("--edits")?
                    .parse()
                    .map_err(|_| "--edits needs a whole number".to_string())?
            }
            "--pause-ms" => {
                pause_ms = value("--pause-ms")?
                    .parse()
                    .map_err(|_| "--pause-ms needs a whole number".to_string())?
            }
            "--poll-ms" => {
                poll_ms = value("--poll-ms")?
                    .parse()
                    .map_err(|_| "--poll-ms needs a whole number".to_string())?
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    let root = root.ok_or("--root DIR is required")?;
    if !root.join("cunwu.toml").is_file() {
        return Err(format!("{} has no cunwu.toml", root.display()));
    }
    if edits == 0 {
        return Err("--edits must be at least 1".into());
    }
    Ok(Args {
        root,
        edits,
        pause: Duration::from_millis(pause_ms),
        poll: Duration::from_millis(poll_ms),
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("serve_bench: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serve_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let bin = release_binary()?;
    let tmp = tempfile::TempDir::new().map_err(|e| e.to_string())?;
    let portal = tmp.path().join("portal");
    let copy_started = Instant::now();
    for part in ["cunwu.toml", "data", "content", "themes", "templates"] {
        let from = args.root.join(part);
        if from.exists() {
            copy_tree(&from, &portal.join(part))
                .map_err(|e| format!("copy {}: {e}", from.display()))?;
        }
    }
    let plan = pick_plan(&portal)?;
    let village = pick_village(&portal)?;
    println!(
        "portal {} (copied in {:.1?})\n  plan    {} -> {}",
        args.root.display(),
        copy_started.elapsed(),
        plan.file,
        plan.url,
    );
    match &village {
        Some(v) => println!("  village {} in {} -> {}", v.id, v.file, v.url),
        None => println!("  no village with a summary: no data edits"),
    }

    let mut server = Server::start(&bin, &portal)?;
    println!(
        "first build and start: {:.0?}; {}",
        server.started_in,
        server.first_build_line().unwrap_or_default()
    );
    let events = EventLog::open(server.port)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut pages = vec![("plan", plan.url.clone())];
    pages.extend(village.iter().map(|v| ("village", v.url.clone())));
    for (what, url) in &pages {
        let status = agent
            .get(server.url(url))
            .call()
            .map_err(|e| format!("GET {url}: {e}"))?
            .status();
        if status != 200 {
            return Err(format!("the {what} page {url} answers {status}"));
        }
    }

    let plan_path = portal.join(&plan.file);
    let plan_text = std::fs::read_to_string(&plan_path).map_err(|e| e.to_string())?;
    let (data_path, data_text) = match &village {
        Some(v) => {
            let path = portal.join(&v.file);
            let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            (path, text)
        }
        None => (PathBuf::new(), String::new()),
    };
    let pid = std::process::id();

    let mut results = Vec::new();
    let kinds: &[&str] = if village.is_some() {
        &["plan", "data"]
    } else {
        &["plan"]
    };
    for &kind in kinds {
        let mut visible = Vec::with_capacity(args.edits);
        let mut announced = Vec::with_capacity(args.edits);
        let reported_before = server.rebuild_times().len();
        for i in 0..args.edits {
            std::thread::sleep(args.pause);
            let marker = format!("BENCH{pid}{kind}{i}Z");
            let (path, text, url) = match &village {
                Some(v) if kind == "data" => {
                    (&data_path, v.with_summary(&data_text, &marker)?, &v.url)
                }
                _ => (
                    &plan_path,
                    format!("{plan_text}\n\n基准测试补充说明：{marker}。\n"),
                    &plan.url,
                ),
            };
            let written = Instant::now();
            std::fs::write(path, text).map_err(|e| e.to_string())?;
            // Tight loop of GETs until the marker is served.
            let mut polls = 0u64;
            loop {
                polls += 1;
                let body = agent
                    .get(server.url(url))
                    .call()
                    .map_err(|e| format!("GET {url}: {e}"))?
                    .body_mut()
                    .read_to_string()
                    .map_err(|e| e.to_string())?;
                if body.contains(&marker) {
                    break;
                }
                if !args.poll.is_zero() {
                    std::thread::sleep(args.poll);
                }
                if written.elapsed() > EDIT_TIMEOUT {
                    return Err(format!(
                        "{kind} edit {i} not served after {EDIT_TIMEOUT:?}; server said:\n{}",
                        server.stderr()
                    ));
                }
            }
            visible.push(written.elapsed());
            if let Some(at) = events.first_after(written, Duration::from_secs(5)) {
                announced.push(at - written);
            }
            if i == 0 {
                println!(
                    "  {kind} edit 0: served after {:.1?} ({polls} GETs)",
                    visible[0]
                );
            }
        }
        std::thread::sleep(Duration::from_millis(300));
        let reported: Vec<Duration> = server.rebuild_times()[reported_before..].to_vec();
        results.push((kind, visible, announced, reported));
    }

    // The server's peak memory, read before it stops.
    let peak_mb = std::fs::read_to_string(format!("/proc/{}/status", server.child.id()))
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map(|kb| kb / 1024);
    let status = server.stop()?;
    let polling = if args.poll.is_zero() {
        "GETs in a tight loop".to_string()
    } else {
        format!("a GET every {:?}", args.poll)
    };
    println!(
        "\n{} edits of each kind, pause {:?}, {polling}",
        args.edits, args.pause
    );
    println!(
        "{:<48} {:>9} {:>9} {:>9} {:>9}",
        "", "min", "median", "p90", "max"
    );
    for (kind, visible, announced, reported) in &results {
        let label = if *kind == "plan" {
            "one-plan edit"
        } else {
            "one-record data edit"
        };
        print_row(&format!("{label}: write -> GET has new text"), visible);
        print_row(&format!("{label}: write -> reload event"), announced);
        print_row(&format!("{label}: rebuild (server's report)"), reported);
    }
    println!("server stopped on Ctrl-C with {status}");
    // One line for examples/bench.rs to read: medians of write -> served, in ms.
    let median = |kind: &str| {
        results
            .iter()
            .find(|r| r.0 == kind)
            .and_then(|r| median_ms(&r.1))
            .map_or("n/a".to_string(), |ms| format!("{ms:.1}"))
    };
    println!(
        "median-ms plan={} data={} server-peak-mb={} start-ms={}",
        median("plan"),
        median("data"),
        peak_mb.map_or("n/a".to_string(), |mb| mb.to_string()),
        server.started_in.as_millis()
    );
    Ok(())
}

fn median_ms(samples: &[Duration]) -> Option<f64> {
    let mut s = samples.to_vec();
    s.sort();
    s.get(s.len().checked_sub(1)? / 2)
        .map(|d| d.as_secs_f64() * 1000.0)
}

fn print_row(label: &str, samples: &[Duration]) {
    if samples.is_empty() {
        println!("{label:<48} (no samples)");
        return;
    }
    let mut s = samples.to_vec();
    s.sort();
    let at = |q: f64| s[((s.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "{label:<48} {:>9} {:>9} {:>9} {:>9}   (n={})",
        ms(s[0]),
        ms(at(0.5)),
        ms(at(0.9)),
        ms(s[s.len() - 1]),
        s.len()
    );
}

/// Builds `cunwu` in release mode (cheap when it is up to date) and returns its path.
fn release_binary() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "cunwu"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err("cargo build --release --bin cunwu failed".into());
    }
    // This example runs from target/release/examples/.
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|dir| dir.join(format!("cunwu{}", std::env::consts::EXE_SUFFIX)))
        .ok_or("cannot find the target folder")?;
    if !bin.is_file() {
        return Err(format!("no binary at {}", bin.display()));
    }
    Ok(bin)
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_file() {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from, to)?;
        return Ok(());
    }
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        copy_tree(&e.path(), &to.join(e.file_name()))?;
    }
    Ok(())
}

/// Every file under `dir` with extension `ext`, as paths relative to `base`, sorted.
fn files_with_ext(base: &Path, dir: &str, ext: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![base.join(dir)];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "private" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == ext) {
                if let Ok(rel) = path.strip_prefix(base) {
                    out.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    out.sort();
    out
}

struct Plan {
    file: String,
    url: String,
}

/// The first plan (not a section's `_index.md`); its page is `/<path without .md>/`.
fn pick_plan(portal: &Path) -> Result<Plan, String> {
    let file = files_with_ext(portal, "content", "md")
        .into_iter()
        .find(|f| !f.ends_with("/_index.md"))
        .ok_or("the portal has no plan under content/")?;
    let id = file
        .strip_prefix("content/")
        .and_then(|f| f.strip_suffix(".md"))
        .unwrap_or(&file);
    Ok(Plan {
        url: format!("/{id}/"),
        file,
    })
}

struct Village {
    file: String,
    id: String,
    url: String,
}

/// The first village with a `summary`, in the sorted data files.
fn pick_village(portal: &Path) -> Result<Option<Village>, String> {
    for file in files_with_ext(portal, "data", "toml") {
        let Ok(text) = std::fs::read_to_string(portal.join(&file)) else {
            continue;
        };
        let Ok(doc) = text.parse::<toml::Table>() else {
            continue;
        };
        let Some(areas) = doc.get("area").and_then(|a| a.as_array()) else {
            continue;
        };
        for area in areas {
            let level = area.get("level").and_then(|v| v.as_str());
            let id = area.get("id").and_then(|v| v.as_str());
            let has_summary = area.get("summary").is_some_and(|v| v.is_str());
            if let (Some("village"), Some(id), true) = (level, id, has_summary) {
                let village = Village {
                    file: file.clone(),
                    id: id.to_string(),
                    url: format!("/areas/{id}/"),
                };
                // Make sure the text edit will find the line.
                village.with_summary(&text, "probe")?;
                return Ok(Some(village));
            }
        }
    }
    Ok(None)
}

impl Village {
    /// The data file with this village's `summary` line replaced by one ending in `marker`.
    fn with_summary(&self, text: &str, marker: &str) -> Result<String, String> {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let id_line = format!("id = \"{}\"", self.id);
        let start = lines
            .iter()
            .position(|l| l.trim() == id_line)
            .ok_or_else(|| format!("no `{id_line}` line in {}", self.file))?;
        let at = lines[start + 1..]
            .iter()
            .take_while(|l| !l.trim_start().starts_with('['))
            .position(|l| l.trim_start().starts_with("summary"))
            .map(|i| start + 1 + i)
            .ok_or_else(|| format!("no summary line for {} in {}", self.id, self.file))?;
        let summary = toml::Value::String(format!("本村概况（基准测试标记 {marker}）"));
        lines[at] = format!("summary = {summary}");
        let mut out = lines.join("\n");
        out.push('\n');
        Ok(out)
    }
}

/// The running `cunwu serve`.
struct Server {
    child: Child,
    port: u16,
    started_in: Duration,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(bin: &Path, portal: &Path) -> Result<Server, String> {
        let started = Instant::now();
        let mut child = Command::new(bin)
            .arg("serve")
            .arg("--root")
            .arg(portal)
            .args(["--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("start {}: {e}", bin.display()))?;
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = stderr.clone();
        let err = child.stderr.take().ok_or("no stderr")?;
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if let Ok(mut s) = sink.lock() {
                    s.push(line);
                }
            }
        });
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().ok_or("no stdout")?;
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let port = loop {
            match rx.recv_timeout(Duration::from_secs(600)) {
                Ok(line) => {
                    if let Some(port) = line
                        .split_once("serving at http://127.0.0.1:")
                        .and_then(|(_, rest)| rest.trim().trim_end_matches('/').parse::<u16>().ok())
                    {
                        break port;
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let said = stderr.lock().map(|s| s.join("\n")).unwrap_or_default();
                    return Err(format!("the server printed no address; it said:\n{said}"));
                }
            }
        };
        Ok(Server {
            child,
            port,
            started_in: started.elapsed(),
            stderr,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.join("\n")).unwrap_or_default()
    }

    fn first_build_line(&self) -> Option<String> {
        self.stderr
            .lock()
            .ok()?
            .iter()
            .find(|l| l.contains("rebuilt:"))
            .map(|l| {
                l.split_once(" / ")
                    .map_or(l.as_str(), |(_, en)| en)
                    .to_string()
            })
    }

    /// The rebuild times printed so far (`... in N ms`), first build included.
    fn rebuild_times(&self) -> Vec<Duration> {
        let lines = self.stderr.lock().map(|s| s.clone()).unwrap_or_default();
        lines
            .iter()
            .filter(|l| l.contains("rebuilt:"))
            .filter_map(|l| l.rsplit_once(" in ")?.1.strip_suffix(" ms")?.parse().ok())
            .map(Duration::from_millis)
            .collect()
    }

    /// Ctrl-C, and the exit status.
    fn stop(&mut self) -> Result<String, String> {
        #[cfg(unix)]
        {
            let _ = Command::new("kill")
                .args(["-INT", &self.child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(status)) = self.child.try_wait() {
                    return Ok(status.to_string());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        Err("the server did not stop on Ctrl-C within 10 s".into())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// When each live-reload event arrived.
struct EventLog {
    seen: Arc<Mutex<Vec<Instant>>>,
}

impl EventLog {
    fn open(port: u16) -> Result<EventLog, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
        write!(
            stream,
            "GET /__cunwu/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .map_err(|e| e.to_string())?;
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            let mut pending = String::new();
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let now = Instant::now();
                pending.push_str(&String::from_utf8_lossy(&buf[..n]));
                while let Some(i) = pending.find('\n') {
                    if pending[..i].starts_with("data:") {
                        if let Ok(mut s) = sink.lock() {
                            s.push(now);
                        }
                    }
                    pending.drain(..=i);
                }
            }
        });
        Ok(EventLog { seen })
    }

    /// The first event after `t`, waiting up to `wait` for it.
    fn first_after(&self, t: Instant, wait: Duration) -> Option<Instant> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(at) = self.seen.lock().ok()?.iter().find(|at| **at > t) {
                return Some(*at);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
