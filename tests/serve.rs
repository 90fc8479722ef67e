//! `cunwu serve`, end to end: the real binary on a free loopback port, a copy of
//! the example portal in a temporary folder, and real HTTP (ureq, or raw bytes
//! over a `TcpStream` for requests a client would normalise or refuse to send).
//!
//! Every wait is bounded: poll every 50 ms up to [`WAIT`], then fail with the
//! server's terminal output.

mod common;
#[path = "../examples/synth/mod.rs"]
#[allow(dead_code)]
mod synth;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use common::Portal;

/// The longest any single wait may take.
const WAIT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(50);

const VILLAGE: &str = "/areas/xialongjing/";
const PLAN_URL: &str = "/villages/xialongjing-2019/";
const PLAN_FILE: &str = "content/villages/xialongjing-2019.md";
const DATA_FILE: &str = "data/limu/xialongjing.toml";

// ---------------------------------------------------------------------------
// The server under test.

/// A running `cunwu serve --port 0` on a portal; killed on drop.
struct Server {
    child: Option<Child>,
    port: u16,
    agent: ureq::Agent,
    stderr: Arc<Mutex<String>>,
    root: PathBuf,
}

/// One HTTP answer.
#[derive(Debug)]
struct Reply {
    status: u16,
    content_type: String,
    content_length: Option<usize>,
    location: Option<String>,
    body: String,
}

impl Server {
    fn start(portal: &Portal) -> Server {
        Server::start_in(portal, portal.root().to_str().unwrap(), portal.tmp(), &[])
    }

    /// The server started in `cwd` with `--root root` (as written: may be
    /// relative) and the environment `env`.
    fn start_in(portal: &Portal, root: &str, cwd: &Path, env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cunwu"))
            .args(["serve", "--root", root, "--port", "0"])
            .current_dir(cwd)
            .envs(env.iter().copied())
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start cunwu serve");
        // Both pipes are drained for the whole run so the server never blocks on a full pipe.
        let stderr = Arc::new(Mutex::new(String::new()));
        let err_pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines() {
                let Ok(line) = line else { break };
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let (tx, rx) = mpsc::channel();
        let out_pipe = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out_pipe).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + WAIT * 2;
        let url = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some((_, url)) = line.split_once("serving at ") {
                        break url.trim().to_string();
                    }
                }
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "no URL on stdout ({e}); stderr:\n{}",
                        stderr.lock().unwrap()
                    );
                }
            }
        };
        let port: u16 = url
            .strip_prefix("http://127.0.0.1:")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected URL {url:?}"));
        assert_ne!(port, 0, "--port 0 must pick a real port");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        Server {
            child: Some(child),
            port,
            agent,
            stderr,
            root: portal.root().to_path_buf(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn reply(res: Result<ureq::http::Response<ureq::Body>, ureq::Error>, what: &str) -> Reply {
        let mut res = res.unwrap_or_else(|e| panic!("{what}: {e}"));
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type").unwrap_or_default();
        let content_length = header("content-length").and_then(|v| v.parse().ok());
        let location = header("location");
        let status = res.status().as_u16();
        let body = res
            .body_mut()
            .read_to_string()
            .unwrap_or_else(|e| panic!("{what}: body: {e}"));
        Reply {
            status,
            content_type,
            content_length,
            location,
            body,
        }
    }

    fn get(&self, path: &str) -> Reply {
        Self::reply(
            self.agent.get(self.url(path)).call(),
            &format!("GET {path}"),
        )
    }

    fn head(&self, path: &str) -> Reply {
        Self::reply(
            self.agent.head(self.url(path)).call(),
            &format!("HEAD {path}"),
        )
    }

    /// Sends `request` as bytes (a `Connection: close` is added) and returns the
    /// status and the whole answer as text.
    fn raw(&self, request: &str) -> (u16, String) {
        raw_exchange(self.port, request)
    }

    /// Polls `path` until `ok` holds for its answer.
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
        let deadline = Instant::now() + WAIT;
        loop {
            let reply = self.get(path);
            if ok(&reply) {
                return reply;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out after {WAIT:?} waiting for {what} at {path}; last answer {} with body:\n{}\n\
                     server stderr:\n{}",
                    reply.status,
                    reply.body,
                    self.stderr()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Polls `path` until it is served (200) without the findings' overlay:
    /// the portal is good again.
    fn wait_for_clean(&self, path: &str, what: &str) -> Reply {
        self.wait_for(path, what, |r| {
            r.status == 200 && !r.body.contains("cunwu-overlay")
        })
    }

    /// Waits until the server's terminal output satisfies `ok`.
    fn wait_stderr(&self, what: &str, ok: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + WAIT;
        while !ok(&self.stderr()) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} on stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(POLL);
        }
    }

    fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// Sends SIGINT (Ctrl-C) and waits, bounded, for the server to exit.
    fn interrupt(&mut self) -> ExitStatus {
        let sent = Command::new("kill")
            .args(["-INT", &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -INT failed");
        let child = self.child.as_mut().unwrap();
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                self.child = None;
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                self.child = None;
                panic!(
                    "the server did not stop within {WAIT:?} of Ctrl-C; stderr:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if !std::thread::panicking() {
            assert_no_temp_files(&self.root);
        }
    }
}

/// No `.cunwu-*` file or folder is left in the portal (at any depth) or beside it.
fn assert_no_temp_files(root: &Path) {
    let mut left = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".cunwu-")
            {
                left.push(path.clone());
            }
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            }
        }
    }
    if let Some(parent) = root.parent() {
        for e in std::fs::read_dir(parent).unwrap() {
            let path = e.unwrap().path();
            if path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".cunwu-")
            {
                left.push(path);
            }
        }
    }
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}

/// One request over a fresh connection, written as is.
fn raw_exchange(port: u16, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let request = request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| text.strip_prefix("HTTP/1.0 "))
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP status in answer to {request:?}: {text:?}"));
    (status, text)
}

/// A raw connection to the live-reload event stream.
struct Events {
    stream: TcpStream,
    buf: String,
}

impl Events {
    /// Opens `/__cunwu/events` with `extra` header lines; returns the status
    /// line and headers, and the open stream when the status is 200.
    fn open(port: u16, extra: &str) -> (u16, String, Option<Events>) {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let request = format!(
            "GET /__cunwu/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n{extra}\r\n"
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut events = Events {
            stream,
            buf: String::new(),
        };
        let deadline = Instant::now() + WAIT;
        while !events.buf.contains("\r\n\r\n") {
            assert!(Instant::now() < deadline, "no answer from the event stream");
            if events.read_some() == Some(0) {
                break;
            }
        }
        let head = events
            .buf
            .split_once("\r\n\r\n")
            .map_or(events.buf.clone(), |(h, _)| h.to_string());
        let status = head
            .get(9..12)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status from the event stream: {head:?}"));
        let open = (status == 200).then_some(events);
        (status, head, open)
    }

    /// Reads what is there; `Some(0)` at end of stream, `None` on timeout.
    fn read_some(&mut self) -> Option<usize> {
        let mut chunk = [0u8; 4096];
        match self.stream.read(&mut chunk) {
            Ok(n) => {
                self.buf.push_str(&String::from_utf8_lossy(&chunk[..n]));
                Some(n)
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                None
            }
            Err(_) => Some(0),
        }
    }

    /// The `data:` values received so far, as numbers.
    fn versions(&self) -> Vec<u64> {
        self.buf
            .lines()
            .filter_map(|l| l.strip_prefix("data: "))
            .filter_map(|v| v.trim().parse().ok())
            .collect()
    }

    /// Waits until a version satisfying `ok` arrives.
    fn wait_version(&mut self, what: &str, ok: impl Fn(u64) -> bool) -> u64 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(v) = self.versions().into_iter().find(|v| ok(*v)) {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} on the event stream; got {:?}",
                self.buf
            );
            if self.read_some() == Some(0) {
                panic!(
                    "the event stream ended while waiting for {what}: {:?}",
                    self.buf
                );
            }
        }
    }

    /// Waits until the server closes the stream.
    fn wait_end(&mut self) {
        let deadline = Instant::now() + WAIT;
        while self.read_some() != Some(0) {
            assert!(Instant::now() < deadline, "the event stream was not closed");
        }
    }
}

// ---------------------------------------------------------------------------
// Helpers for editing the portal.

/// A marker nobody else writes: unique per process, call and time.
fn marker(tag: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{tag}{}x{n}x{nanos}", std::process::id())
}

/// The plan with a sentence holding `marker` appended.
fn plan_with(portal: &Portal, marker: &str) -> String {
    let mut text = portal.read(PLAN_FILE);
    text.push_str(&format!("\n\n村民代表会议补充说明：{marker}。\n"));
    text
}

/// Replaces the first `from` in a portal file with `to`.
fn replace_in(portal: &Portal, rel: &str, from: &str, to: &str) {
    let text = portal.read(rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    portal.write(rel, text.replacen(from, to, 1));
}

/// The page without what the preview injects (the overlay and the reload script).
fn without_injection(body: &str) -> String {
    let mut out = body.to_string();
    if let Some(start) = out.find("<div id=\"cunwu-overlay\"") {
        let end = start + out[start..].find("</div>\n").expect("overlay end") + "</div>\n".len();
        out.replace_range(start..end, "");
    }
    if let Some(start) = out.find("<script>(function(){var v=") {
        let end =
            start + out[start..].find("</script>\n").expect("script end") + "</script>\n".len();
        out.replace_range(start..end, "");
    }
    out
}

fn is_overlay_for(reply: &Reply, needles: &[&str]) -> bool {
    reply.body.contains("id=\"cunwu-overlay\"") && needles.iter().all(|n| reply.body.contains(n))
}

// ---------------------------------------------------------------------------
// Pages and HTTP semantics.

#[test]
fn serves_pages_with_types_head_redirects_404_and_405() {
    let portal = Portal::example();
    let server = Server::start(&portal);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert!(home.body.contains("青山县村务公开"), "{}", home.body);

    let village = server.get(VILLAGE);
    assert_eq!(village.status, 200);
    assert_eq!(village.content_type, "text/html; charset=utf-8");
    assert!(village.body.contains("下龙井村"));
    assert_eq!(village.content_length, Some(village.body.len()));
    // `index.html` is served for the folder and by its own name.
    let by_name = server.get("/areas/xialongjing/index.html");
    assert_eq!(by_name.status, 200);
    assert_eq!(
        without_injection(&by_name.body),
        without_injection(&village.body)
    );

    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.content_type, "text/css; charset=utf-8");
    assert!(
        !css.body.contains("__cunwu"),
        "only HTML gets the reload script"
    );

    let json = server.get("/checks.json");
    assert_eq!(json.status, 200);
    assert_eq!(json.content_type, "application/json; charset=utf-8");

    // HEAD: the same headers as GET, no body.
    let head = server.head(VILLAGE);
    assert_eq!(head.status, 200);
    assert_eq!(head.content_type, village.content_type);
    assert_eq!(head.content_length, Some(village.body.len()));
    assert!(head.body.is_empty());
    let (status, raw) = server.raw(&format!(
        "HEAD {VILLAGE} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        server.port
    ));
    assert_eq!(status, 200);
    let (headers, body) = raw.split_once("\r\n\r\n").unwrap();
    assert!(body.is_empty(), "HEAD sent a body: {body:?}");
    assert!(
        headers
            .to_ascii_lowercase()
            .contains(&format!("content-length: {}", village.body.len())),
        "{headers}"
    );

    // A folder without its slash is redirected, so relative links work.
    let redirect = server.get("/areas/xialongjing");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.location.as_deref(), Some("/areas/xialongjing/"));

    // Missing pages get the site's own 404 page, with status 404.
    for missing in ["/no-such-page/", "/no-such-file.html", "/areas/nowhere"] {
        let r = server.get(missing);
        assert_eq!(r.status, 404, "{missing}");
        assert_eq!(r.content_type, "text/html; charset=utf-8", "{missing}");
        assert!(r.body.contains("页面不存在"), "{missing}: {}", r.body);
    }
    // No directory listings: a folder without index.html is a 404.
    for folder in ["/areas/", "/projects/", "/areas"] {
        let r = server.get(folder);
        assert_eq!(r.status, 404, "{folder}");
        assert!(
            !r.body.contains("xialongjing/"),
            "{folder} lists its folder"
        );
    }
    // The portal's sources are not part of the site.
    for source in [
        "/cunwu.toml",
        "/data/limu/xialongjing.toml",
        "/content/villages/xialongjing-2019.md",
    ] {
        let r = server.get(source);
        assert_eq!(r.status, 404, "{source}");
        assert!(
            !r.body.contains("[[area]]") && !r.body.contains("+++"),
            "{source}"
        );
    }

    // Only GET and HEAD.
    let post = Server::reply(server.agent.post(server.url("/")).send("x=1"), "POST /");
    assert_eq!(post.status, 405);
    let put = Server::reply(server.agent.put(server.url(VILLAGE)).send("x"), "PUT");
    assert_eq!(put.status, 405);
    let delete = Server::reply(server.agent.delete(server.url(VILLAGE)).call(), "DELETE");
    assert_eq!(delete.status, 405);
    // ...and nothing was changed by them.
    assert_eq!(server.get(VILLAGE).status, 200);
}

// ---------------------------------------------------------------------------
// Watching and rebuilding.

#[test]
fn a_plan_edit_shows_up_and_open_pages_are_told_to_reload() {
    let portal = Portal::example();
    let server = Server::start(&portal);
    let before = server.get(PLAN_URL);
    assert_eq!(before.status, 200);
    let (status, _, events) = Events::open(server.port, "");
    assert_eq!(status, 200);
    let mut events = events.unwrap();
    let first = events.wait_version("the current version", |_| true);

    let m = marker("PLANEDIT");
    portal.write(PLAN_FILE, plan_with(&portal, &m));
    let page = server.wait_for(PLAN_URL, "the edited plan", |r| {
        r.status == 200 && r.body.contains(&m)
    });
    assert!(!page.body.contains("cunwu-overlay"));
    events.wait_version("a reload after the edit", |v| v > first);

    // A second edit replaces the first.
    let m2 = marker("PLANEDIT");
    portal.write(PLAN_FILE, plan_with(&portal, &m2));
    server.wait_for(PLAN_URL, "the second edit", |r| r.body.contains(&m2));
}

#[test]
fn editors_that_save_through_a_temp_file_are_followed() {
    let portal = Portal::example();
    let server = Server::start(&portal);
    let plan = portal.path(PLAN_FILE);

    // VS Code and many others: write `x.md.tmp`, rename it over `x.md`. Twice,
    // so the watch survives the file being replaced.
    for round in 0..2 {
        let m = marker("RENAMED");
        let tmp = plan.with_file_name("xialongjing-2019.md.tmp");
        std::fs::write(&tmp, plan_with(&portal, &m)).unwrap();
        std::fs::rename(&tmp, &plan).unwrap();
        server.wait_for(
            PLAN_URL,
            &format!("the renamed-over plan (round {round})"),
            |r| r.status == 200 && r.body.contains(&m),
        );
    }

    // Vim: move the original to a backup `x.md~`, write a new file, remove the backup.
    let m = marker("VIMSAVE");
    let text = plan_with(&portal, &m);
    let backup = plan.with_file_name("xialongjing-2019.md~");
    std::fs::rename(&plan, &backup).unwrap();
    std::fs::write(&plan, text).unwrap();
    std::fs::remove_file(&backup).unwrap();
    server.wait_for(PLAN_URL, "the vim-saved plan", |r| {
        r.status == 200 && r.body.contains(&m)
    });

    // The temp and backup names never became pages of their own.
    assert_eq!(server.get("/villages/xialongjing-2019.md/").status, 404);
}

#[test]
fn a_broken_data_file_shows_the_overlay_over_the_last_good_site() {
    let portal = Portal::example();
    let server = Server::start(&portal);
    let good = server.get(VILLAGE);
    assert_eq!(good.status, 200);
    assert!(!good.body.contains("cunwu-overlay"));

    // 26.71 ≠ 15.00 + 11.70: the checker refuses the build.
    replace_in(&portal, DATA_FILE, "total = 26.70", "total = 26.71");
    let broken = server.wait_for(VILLAGE, "the overlay", |r| {
        is_overlay_for(r, &["funds.total", "xialongjing.toml", "26.71"])
    });
    assert_eq!(broken.status, 200, "the last good page is still served");
    assert_eq!(broken.content_type, "text/html; charset=utf-8");
    assert_eq!(
        without_injection(&broken.body),
        without_injection(&good.body),
        "the page underneath the overlay is the last good one"
    );
    // Every page shows it, the 404 page too.
    assert!(is_overlay_for(&server.get("/"), &["funds.total"]));
    assert!(is_overlay_for(&server.get(PLAN_URL), &["funds.total"]));
    let missing = server.get("/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(is_overlay_for(&missing, &["funds.total"]));
    // Not in files that are not HTML.
    assert!(!server.get("/style.css").body.contains("cunwu-overlay"));

    // The terminal shows the findings once for the one change.
    server.wait_stderr("the refused rebuild", |s| s.contains("error[funds.total]"));
    std::thread::sleep(Duration::from_millis(500));
    let stderr = server.stderr();
    assert_eq!(stderr.matches("error[funds.total]").count(), 1, "{stderr}");

    // Fixed: the overlay goes away by itself, and the page is the good one again.
    replace_in(&portal, DATA_FILE, "total = 26.71", "total = 26.70");
    let fixed = server.wait_for_clean(VILLAGE, "the overlay to go");
    assert_eq!(
        without_injection(&fixed.body),
        without_injection(&good.body)
    );
    assert!(!server.get("/").body.contains("cunwu-overlay"));
}

#[test]
fn a_portal_broken_from_the_start_shows_its_findings_not_a_missing_page() {
    let portal = Portal::example();
    // 26.71 ≠ 15.00 + 11.70: the first build is refused, so there is no
    // last good site to show under the overlay.
    replace_in(&portal, DATA_FILE, "total = 26.70", "total = 26.71");
    let server = Server::start(&portal);
    for path in [
        "/",
        VILLAGE,
        PLAN_URL,
        "/no-such-page/",
        "/areas/index.html",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 503, "{path}: {}", r.body);
        assert_eq!(r.content_type, "text/html; charset=utf-8", "{path}");
        assert!(
            is_overlay_for(&r, &["funds.total", "xialongjing.toml", "26.71"]),
            "{path} does not show the findings: {}",
            r.body
        );
    }
    // Files that are not pages stay missing.
    assert_eq!(server.get("/style.css").status, 404);

    replace_in(&portal, DATA_FILE, "total = 26.71", "total = 26.70");
    let fixed = server.wait_for_clean("/", "the site once fixed");
    assert!(fixed.body.contains("</html>"));
    assert_eq!(server.get(VILLAGE).status, 200);
}

#[test]
fn broken_toml_syntax_shows_the_overlay_until_fixed() {
    let portal = Portal::example();
    let server = Server::start(&portal);
    let good = server.get(VILLAGE);

    // Not TOML; the markup also checks that the overlay escapes what it quotes.
    replace_in(
        &portal,
        DATA_FILE,
        "households = 73",
        "households = <b>73</b>",
    );
    let broken = server.wait_for(VILLAGE, "the overlay for bad TOML", |r| {
        is_overlay_for(r, &["xialongjing.toml", "&lt;b&gt;73"])
    });
    assert_eq!(broken.status, 200);
    assert_eq!(
        without_injection(&broken.body),
        without_injection(&good.body)
    );
    assert!(
        !broken.body.contains("<b>73</b>"),
        "the overlay let markup through"
    );

    replace_in(
        &portal,
        DATA_FILE,
        "households = <b>73</b>",
        "households = 73",
    );
    server.wait_for_clean(VILLAGE, "the overlay to go");

    // A broken plan front matter is reported the same way.
    replace_in(&portal, PLAN_FILE, "year = 2019", "year = \"二〇一九");
    server.wait_for(PLAN_URL, "the overlay for a bad plan", |r| {
        is_overlay_for(r, &["xialongjing-2019.md"])
    });
    replace_in(&portal, PLAN_FILE, "year = \"二〇一九", "year = 2019");
    server.wait_for(PLAN_URL, "the overlay to go", |r| {
        !r.body.contains("cunwu-overlay")
    });
}

// ---------------------------------------------------------------------------
// Safety.

#[test]
fn traversal_paths_never_leave_the_site() {
    let portal = Portal::example();
    // Something outside the portal worth stealing, one level up.
    let secret = "SECRET-OUTSIDE-THE-SITE";
    std::fs::write(portal.tmp().join("secret.txt"), secret).unwrap();
    let server = Server::start(&portal);
    let port = server.port;
    let targets = [
        "/../Cargo.toml",
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/..%2fsecret.txt",
        "/areas/../../secret.txt",
        "/areas/%2e%2e/%2e%2e/secret.txt",
        "/.%2e/secret.txt",
        "/a\\..\\..\\etc\\passwd",
        "/a%5c..%5c..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "///etc/passwd",
        "//secret.txt",
        "/%2fetc%2fpasswd",
        "/%00",
        "/index.html%00.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%252e%252e/secret.txt",
    ];
    for target in targets {
        let (status, text) = raw_exchange(
            port,
            &format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
        );
        assert!(
            status == 400 || status == 404,
            "{target}: status {status}\n{text}"
        );
        assert!(!text.contains(secret), "{target} leaked the secret file");
        assert!(
            !text.contains("root:x:0:0") && !text.contains("root:"),
            "{target} leaked /etc/passwd"
        );
        assert!(!text.contains("[package]"), "{target} leaked Cargo.toml");
    }
    // The same in absolute form, which a proxy-style client may send.
    let (status, text) = raw_exchange(
        port,
        &format!(
            "GET http://127.0.0.1:{port}/../secret.txt HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        ),
    );
    assert!(status == 400 || status == 404, "absolute form: {status}");
    assert!(!text.contains(secret));
    // And the server still works afterwards.
    assert_eq!(server.get(VILLAGE).status, 200);
}

#[test]
fn only_local_hosts_and_origins_are_answered() {
    let portal = Portal::example();
    let server = Server::start(&portal);
    let port = server.port;
    let get = |host: &str| {
        raw_exchange(
            port,
            &format!("GET {VILLAGE} HTTP/1.1\r\nHost: {host}\r\n\r\n"),
        )
    };
    // No Host at all (HTTP/1.0 style) is refused too.
    let (status, text) = raw_exchange(port, &format!("GET {VILLAGE} HTTP/1.0\r\n\r\n"));
    assert!(status == 400 || status == 403, "no Host: {status}");
    assert!(!text.contains("下龙井村"));
    // DNS rebinding: another name pointing at 127.0.0.1 is refused.
    for bad in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "localhost:1".to_string(),
        format!("127.0.0.1:{}", port.wrapping_add(1).max(1)),
        "localhost.evil.example".to_string(),
    ] {
        let (status, text) = get(&bad);
        assert_eq!(status, 403, "Host: {bad}");
        assert!(!text.contains("下龙井村"), "Host: {bad} got the page");
    }
    for good in [
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("127.0.0.1:{port}"),
        "localhost".to_string(),
    ] {
        let (status, text) = get(&good);
        assert_eq!(status, 200, "Host: {good}");
        assert!(text.contains("下龙井村"), "Host: {good}");
    }
    // The event stream checks Host too.
    let (status, _) = raw_exchange(
        port,
        "GET /__cunwu/events HTTP/1.1\r\nHost: evil.example\r\n\r\n",
    );
    assert_eq!(status, 403);

    // The live-reload stream checks Origin.
    for bad in [
        "Origin: http://evil.example\r\n".to_string(),
        format!("Origin: http://evil.example:{port}\r\n"),
        "Origin: null\r\n".to_string(),
        format!(
            "Origin: http://localhost:{}\r\n",
            port.wrapping_add(1).max(1)
        ),
    ] {
        let (status, head, _) = Events::open(port, &bad);
        assert_eq!(status, 403, "{bad}: {head}");
    }
    for good in [
        String::new(),
        format!("Origin: http://127.0.0.1:{port}\r\n"),
        format!("Origin: http://localhost:{port}\r\n"),
    ] {
        let (status, head, events) = Events::open(port, &good);
        assert_eq!(status, 200, "{good:?}: {head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: text/event-stream"),
            "{good:?}: {head}"
        );
        let mut events = events.unwrap();
        events.wait_version("the first data line", |_| true);
        assert!(events.buf.contains("\ndata: "), "{:?}", events.buf);
    }
}

#[test]
fn the_reload_script_is_served_but_never_built() {
    let portal = Portal::example();
    let server = Server::start(&portal);
    for page in ["/", VILLAGE, PLAN_URL] {
        let body = server.get(page).body;
        assert!(
            body.contains("/__cunwu/events"),
            "{page} has no reload script"
        );
        assert!(body.contains("EventSource"), "{page}");
        // Injected inside the document, before </body>.
        let script = body.find("/__cunwu/events").unwrap();
        assert!(script < body.rfind("</body>").unwrap(), "{page}");
    }
    // The preview wrote nothing to disk.
    assert!(!portal.output().exists(), "serve wrote an output folder");
    assert!(
        !portal.path("public").exists(),
        "serve wrote public/ in the portal"
    );
    drop(server);

    // The same portal built for publishing has no trace of the preview.
    portal.build().assert_ok();
    let out = portal.output();
    let files = common::snapshot(&out);
    assert!(
        files.keys().any(|f| f.ends_with(".html")),
        "nothing was built in {}",
        out.display()
    );
    for (name, bytes) in &files {
        assert!(!name.contains("__cunwu"), "{name}");
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("__cunwu"),
            "{name} contains the preview's script"
        );
        assert!(
            !text.contains("cunwu-overlay"),
            "{name} contains the overlay"
        );
        assert!(
            !text.contains("EventSource"),
            "{name} contains a reload script"
        );
    }
}

// ---------------------------------------------------------------------------
// Load, and stopping.

#[test]
fn keeps_answering_under_load_while_rebuilding() {
    const THREADS: usize = 4;
    const REQUESTS: usize = 400;
    const EDITS: usize = 3;
    const SLOWEST: Duration = Duration::from_secs(2);
    let portal = Portal::example();
    let server = Server::start(&portal);
    let pages = [
        ("/", "青山县村务公开"),
        (VILLAGE, "下龙井村"),
        (PLAN_URL, "下龙井村"),
        ("/style.css", "{"),
    ];

    let done = AtomicUsize::new(0);
    let next = AtomicUsize::new(0);
    // (start of the request, latency, status, whether the body was the page)
    let results = Mutex::new(Vec::with_capacity(REQUESTS));
    // (when the edit was written, when the new text was first served)
    let windows = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|scope| {
        // The editor: one plan edit at 1/8, 3/8 and 5/8 of the load, each
        // waited for (bounded) with its own requests, not counted in the load.
        scope.spawn(|| {
            for k in 0..EDITS {
                let at = REQUESTS / 8 + k * REQUESTS / 4;
                let deadline = Instant::now() + WAIT;
                while done.load(Ordering::SeqCst) < at && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(2));
                }
                let m = marker("LOADEDIT");
                let written = Instant::now();
                portal.write(PLAN_FILE, plan_with(&portal, &m));
                server.wait_for(PLAN_URL, "the edit under load", |r| r.body.contains(&m));
                windows.lock().unwrap().push((written, Instant::now()));
            }
        });
        for _ in 0..THREADS {
            scope.spawn(|| {
                let agent = server.agent.clone();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= REQUESTS {
                        break;
                    }
                    let (path, expect) = pages[i % pages.len()];
                    let t0 = Instant::now();
                    let res = agent.get(server.url(path)).call();
                    let (status, ok) = match res {
                        Ok(mut r) => {
                            let status = r.status().as_u16();
                            let body = r.body_mut().read_to_string().unwrap_or_default();
                            (status, body.contains(expect))
                        }
                        Err(_) => (0, false),
                    };
                    let took = t0.elapsed();
                    results.lock().unwrap().push((t0, took, status, ok, path));
                    done.fetch_add(1, Ordering::SeqCst);
                    // Paced a little, so the load spans the rebuilds.
                    std::thread::sleep(Duration::from_millis(5));
                }
            });
        }
    });
    let total = started.elapsed();
    let results = results.into_inner().unwrap();
    let windows = windows.into_inner().unwrap();
    assert_eq!(results.len(), REQUESTS);
    assert_eq!(windows.len(), EDITS, "every edit was served");
    let failed: Vec<_> = results.iter().filter(|r| r.2 != 200 || !r.3).collect();
    assert!(
        failed.is_empty(),
        "{} requests failed, e.g. {:?}",
        failed.len(),
        failed.first()
    );
    let mut latencies: Vec<Duration> = results.iter().map(|r| r.1).collect();
    latencies.sort();
    let max = *latencies.last().unwrap();
    let median = latencies[latencies.len() / 2];
    let during = results
        .iter()
        .filter(|r| windows.iter().any(|(a, b)| r.0 >= *a && r.0 <= *b))
        .count();
    let rebuild_ms: Vec<u128> = windows.iter().map(|(a, b)| (*b - *a).as_millis()).collect();
    println!(
        "load: {REQUESTS} requests from {THREADS} threads in {total:?}; latency median {median:?}, max {max:?}; \
         {during} requests started while a rebuild was pending; edit-to-served {rebuild_ms:?} ms"
    );
    assert!(max < SLOWEST, "a request took {max:?}");
    assert!(
        during > 0,
        "no request overlapped a rebuild; the load test proves nothing"
    );
}

#[test]
fn ctrl_c_stops_cleanly_even_with_a_page_open() {
    let portal = Portal::example();
    let mut server = Server::start(&portal);
    assert_eq!(server.get(VILLAGE).status, 200);
    // An open tab: its event stream never ends by itself.
    let (status, _, events) = Events::open(server.port, "");
    assert_eq!(status, 200);
    let mut events = events.unwrap();
    events.wait_version("the first event", |_| true);
    // And an edit that triggers a rebuild just before the stop.
    portal.write(PLAN_FILE, plan_with(&portal, &marker("BEFORESTOP")));

    let status = server.interrupt();
    assert!(
        status.success(),
        "exit status {status:?}; stderr:\n{}",
        server.stderr()
    );
    assert_eq!(status.code(), Some(0));
    // The open stream was ended by the server (the last chunk of a finished
    // response), not cut off.
    events.wait_end();
    assert!(
        events.buf.ends_with("0\r\n\r\n"),
        "the stream was cut off: {:?}",
        events.buf
    );
    server.wait_stderr("the stop message", |s| s.contains("preview stopped"));
    assert!(!portal.output().exists());
    assert!(!portal.path("public").exists());
    assert_no_temp_files(portal.root());
    // Nothing listens on the port any more.
    assert!(TcpStream::connect(("127.0.0.1", server.port)).is_err());
}

#[test]
fn ctrl_c_right_after_start_exits_zero() {
    let portal = Portal::example();
    let mut server = Server::start(&portal);
    let status = server.interrupt();
    assert_eq!(status.code(), Some(0), "stderr:\n{}", server.stderr());
}

// ---------------------------------------------------------------------------
// The privacy gate's second pass (issue 11): the preview refuses the same way.

#[cfg(unix)]
#[test]
fn the_preview_refuses_registers_small_counts_and_links_out_of_the_portal() {
    let portal = Portal::example();
    let server = Server::start(&portal);
    let good = server.get(PLAN_URL);
    assert_eq!(good.status, 200);
    let plan = portal.read(PLAN_FILE);
    let cases = [
        (
            format!("{plan}\n\n| 户主 | 人均纯收入（元） |\n|---|---|\n| 张某某 | 4800 |\n"),
            "privacy.individual-record",
        ),
        (format!("{plan}\n\n本村返贫１户。\n"), "privacy.small-count"),
    ];
    for (text, rule) in &cases {
        portal.write(PLAN_FILE, text);
        let refused = server.wait_for(PLAN_URL, rule, |r| is_overlay_for(r, &[rule]));
        assert_eq!(
            without_injection(&refused.body),
            without_injection(&good.body),
            "the page under the overlay is the last good one"
        );
        portal.write(PLAN_FILE, &plan);
        server.wait_for_clean(PLAN_URL, "the overlay to go");
    }
    // A link to a file outside the portal.
    let outside = tempfile::TempDir::new().unwrap();
    std::fs::write(
        outside.path().join("r.md"),
        "+++\ntitle = \"x\"\n+++\n名单\n",
    )
    .unwrap();
    let link = portal.path("content/villages/linked.md");
    std::os::unix::fs::symlink(outside.path().join("r.md"), &link).unwrap();
    server.wait_for(PLAN_URL, "privacy.link", |r| {
        is_overlay_for(r, &["privacy.link", "linked.md"])
    });
    std::fs::remove_file(&link).unwrap();
    server.wait_for_clean(PLAN_URL, "the overlay to go");
}

// ---------------------------------------------------------------------------
// The privacy gate in the preview (issue 11).

/// A personal number in any written form is refused by the preview as by a
/// build: the overlay names the rule over the last good page, and neither
/// the overlay nor the terminal shows the number.
#[test]
fn the_preview_refuses_personal_numbers_in_any_written_form() {
    let portal = Portal::example();
    let server = Server::start(&portal);
    let good = server.get(PLAN_URL);
    assert_eq!(good.status, 200);
    let plan = portal.read(PLAN_FILE);
    for (written, rule, secret) in [
        (
            "户主身份证 110105 1949\u{a0}1231 002×。",
            "privacy.resident-id",
            "11010519491231002",
        ),
        (
            "联系电话 １３８\u{200b}1234–&#53;678。",
            "privacy.mobile",
            "13812345678",
        ),
    ] {
        portal.write(PLAN_FILE, format!("{plan}\n{written}\n"));
        let shown = server.wait_for(PLAN_URL, "the overlay", |r| is_overlay_for(r, &[rule]));
        assert_eq!(
            without_injection(&shown.body),
            without_injection(&good.body),
            "the last good page stays under the overlay"
        );
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        assert!(!digits(&shown.body).contains(secret), "{}", shown.body);
        server.wait_stderr("the refusal", |s| s.contains(&format!("error[{rule}]")));
        assert!(!digits(&server.stderr()).contains(secret));
        portal.write(PLAN_FILE, &plan);
        server.wait_for_clean(PLAN_URL, "the overlay to go");
    }
}

// ----- issue 12: the preview's limits -----

#[test]
fn site_data_is_not_read_by_other_sites() {
    let portal = Portal::example();
    let server = Server::start(&portal);
    let port = server.port;
    let get = |path: &str, extra: &str| {
        raw_exchange(
            port,
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n"),
        )
    };
    let foreign = [
        "Origin: http://evil.example\r\n".to_string(),
        format!(
            "Origin: http://localhost:{}\r\n",
            port.wrapping_add(1).max(1)
        ),
        "Origin: null\r\n".to_string(),
        "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: no-cors\r\nSec-Fetch-Dest: script\r\n"
            .to_string(),
        "Sec-Fetch-Site: same-site\r\nSec-Fetch-Mode: cors\r\n".to_string(),
        "Sec-Fetch-Site: cross-site\r\n".to_string(),
    ];
    for path in [
        "/search-index.js",
        "/search/d/0.js",
        "/checks.json",
        "/datapackage.json",
        VILLAGE,
    ] {
        for extra in &foreign {
            let (status, text) = get(path, extra);
            assert_eq!(status, 403, "{path} with {extra:?}");
            assert!(!text.contains("下龙井"), "{path} with {extra:?} leaked");
        }
        // The preview's own pages, and a typed address, still read it.
        for extra in [
            "",
            "Sec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: cors\r\n",
            "Sec-Fetch-Site: none\r\nSec-Fetch-Mode: navigate\r\n",
            &format!("Origin: http://127.0.0.1:{port}\r\n"),
        ] {
            let (status, _) = get(path, extra);
            assert_eq!(status, 200, "{path} with {extra:?}");
        }
    }
    // Following a link from another site to a page is a navigation: allowed.
    let (status, text) = get(
        VILLAGE,
        "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Dest: document\r\n",
    );
    assert_eq!(status, 200);
    assert!(text.contains("下龙井村"));
}

#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let portal = Portal::example();
    let server = Server::start(&portal);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .write_all(format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n", server.port).as_bytes())
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(40)))
        .unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let _ = stream.read_to_end(&mut buf);
    let took = started.elapsed();
    assert!(
        took < cunwu::serve::HEADER_READ_TIMEOUT + Duration::from_secs(10),
        "still open after {took:?}"
    );
    assert!(
        took + Duration::from_secs(1) >= cunwu::serve::HEADER_READ_TIMEOUT,
        "closed too soon: {took:?}"
    );
    assert!(!String::from_utf8_lossy(&buf).contains("<html"));
}

#[test]
fn open_connections_are_capped() {
    let portal = Portal::example();
    let server = Server::start(&portal);
    let port = server.port;
    let idle: Vec<TcpStream> = (0..cunwu::serve::MAX_CONNECTIONS)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    // One more is not served while the others hold every slot...
    let mut extra = TcpStream::connect(("127.0.0.1", port)).unwrap();
    extra
        .write_all(
            format!(
                "GET {VILLAGE} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )
        .unwrap();
    extra
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    let mut first = [0u8; 1];
    let waited = extra.read(&mut first);
    assert!(
        matches!(&waited, Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)),
        "answered past the cap: {waited:?}"
    );
    // ...and is served as soon as one closes.
    drop(idle);
    extra
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut rest = Vec::new();
    let _ = extra.read_to_end(&mut rest);
    let text = String::from_utf8_lossy(&rest);
    assert!(
        text.contains("200 OK") || text.contains("下龙井村"),
        "{text}"
    );
}

// ----- issue 15: pages made on request -----

/// Asks the preview for every file `cunwu build` writes for the portal as it
/// is now, and asserts each is served with the built bytes (HTML without
/// what the preview injects): pages rendered on request, assets, and the
/// whole-site files (search index, downloads, check report, feed, sitemap).
fn assert_serves_the_build(server: &Server, portal: &Portal, step: &str) {
    let out = built(portal).expect(step);
    let built = common::snapshot(&out);
    assert!(built.len() > 20, "{step}: only {} files built", built.len());
    for (path, bytes) in &built {
        if path == ".cunwu-site" {
            continue; // the writer's stamp, not a file of the site
        }
        let url = format!(
            "/{}",
            percent_encoding::utf8_percent_encode(path, PATH_CHARS)
        );
        let r = server.get(&url);
        assert_eq!(r.status, 200, "{step}: {path}: {}", r.body);
        let served = if path.ends_with(".html") {
            assert!(!r.body.contains("cunwu-overlay"), "{step}: {path}");
            without_injection(&r.body)
        } else {
            r.body
        };
        assert!(
            served.as_bytes() == bytes.as_slice(),
            "{step}: {path} is not the built file ({} bytes served, {} built)",
            served.len(),
            bytes.len()
        );
    }
    std::fs::remove_dir_all(&out).unwrap();
}

/// Builds the portal beside it; the output folder, or the findings.
fn built(portal: &Portal) -> Result<PathBuf, String> {
    let out = portal.tmp().join(format!("built-{}", marker("B")));
    let root = portal.root().to_str().unwrap().to_string();
    let run = common::cunwu(&["build", "--root", &root, "--output", out.to_str().unwrap()]);
    match run.code {
        0 => Ok(out),
        _ => Err(run.stderr),
    }
}

/// The bytes of a path that may be sent as they are.
const PATH_CHARS: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.');

/// The village `id`'s data file with its `summary` replaced.
fn with_summary(text: &str, id: &str, summary: &str) -> String {
    let id_line = format!("id = \"{id}\"");
    let start = text.find(&id_line).expect("the village's table");
    let at = start + text[start..].find("summary = ").expect("a summary line");
    let end = at + text[at..].find('\n').unwrap();
    format!("{}summary = \"{summary}\"{}", &text[..at], &text[end..])
}

/// The first data file with a project, and that project's id.
fn first_project(portal: &Portal) -> (String, String) {
    let head = "[[project]]\nid = \"";
    common::Site::at(portal.root().join("data"))
        .files()
        .into_iter()
        .map(|f| format!("data/{f}"))
        .find_map(|f| {
            let text = portal.read(&f);
            let at = text.find(head)? + head.len();
            let id = text[at..].split('"').next()?.to_string();
            Some((f, id))
        })
        .expect("a project")
}

/// Generated portals of random shape: every file the preview makes on
/// request equals the one a build writes, at start, after a plan edit,
/// after a data-record edit (each shown at the page being viewed) and after
/// a data edit that renames a project (its old page is gone).
#[test]
fn every_file_made_on_request_is_the_file_a_build_writes() {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut cases = 0;
    for case in 0..6u64 {
        if cases == 2 {
            break;
        }
        let seed = seed.wrapping_add(case) % 1000 + 1;
        let per_township = 3 + (seed % 5) as usize;
        let villages = per_township * (2 + (seed % 2) as usize);
        let spec = synth::Spec::Portal {
            villages,
            per_township,
            groups_per_village: 1 + (seed % 3) as usize,
            seed,
        };
        println!("case {case}: {spec:?}");
        let portal = Portal::empty();
        synth::generate(&spec, portal.root()).unwrap();
        // Some generated portals put digit runs side by side that the gate
        // refuses (a build refuses them too): another shape then.
        match built(&portal) {
            Ok(out) => std::fs::remove_dir_all(out).unwrap(),
            Err(findings) => {
                println!("skipped, the build refuses it:\n{findings}");
                continue;
            }
        }
        cases += 1;
        let server = Server::start(&portal);
        assert_serves_the_build(&server, &portal, &format!("{spec:?} at start"));

        // A plan edit, seen at the plan's page.
        let plans = common::Site::at(portal.root().join("content")).files();
        let plan = plans
            .iter()
            .find(|p| p.ends_with(".md") && !p.ends_with("_index.md"))
            .expect("a plan");
        let plan_file = format!("content/{plan}");
        let plan_url = format!("/{}/", plan.strip_suffix(".md").unwrap());
        let m = marker("ONREQUEST");
        portal.write(
            &plan_file,
            format!("{}\n\n补充说明：{m}。\n", portal.read(&plan_file)),
        );
        server.wait_for(&plan_url, "the plan edit", |r| r.body.contains(&m));
        assert_serves_the_build(&server, &portal, &format!("{spec:?} after a plan edit"));

        // A data-record edit, seen at the village's page.
        let village = portal.village_ids()[(seed as usize) % villages].clone();
        let data_file = village_data_file(&portal, &village);
        let m = marker("RECORD");
        portal.write(
            &data_file,
            with_summary(&portal.read(&data_file), &village, &format!("本村概况 {m}")),
        );
        let url = format!("/areas/{village}/");
        server.wait_for(&url, "the data edit", |r| {
            r.status == 200 && r.body.contains(&m)
        });
        assert_serves_the_build(&server, &portal, &format!("{spec:?} after a data edit"));

        // A data edit that renames a project moves its page: the list of
        // pages kept across summary edits is made again.
        let (file, old_id) = first_project(&portal);
        let new_id = format!("{old_id}x");
        portal.write(
            &file,
            portal.read(&file).replace(
                &format!("id = \"{old_id}\"\n"),
                &format!("id = \"{new_id}\"\n"),
            ),
        );
        server.wait_for(
            &format!("/projects/{new_id}/"),
            "the renamed project",
            |r| r.status == 200,
        );
        assert_eq!(server.get(&format!("/projects/{old_id}/")).status, 404);
        assert_serves_the_build(&server, &portal, &format!("{spec:?} after a rename"));
    }
    assert_eq!(cases, 2, "too few generated portals build");
}

/// A number that only the rendered page shows (`139**1234**5678` is none in
/// the Markdown) is refused by the output scan when the page is asked for:
/// the findings over the last good page, the number in neither; the search
/// index that would carry it is not served either.
#[test]
fn a_number_only_the_page_shows_is_refused_when_the_page_is_made() {
    let portal = Portal::example();
    let server = Server::start(&portal);
    let good = server.get(PLAN_URL);
    assert_eq!(good.status, 200);
    let plan = portal.read(PLAN_FILE);
    portal.write(PLAN_FILE, format!("{plan}\n联系电话 139**1234**5678。\n"));
    let shown = server.wait_for(PLAN_URL, "the findings", |r| {
        is_overlay_for(r, &["privacy.mobile"])
    });
    assert_eq!(
        without_injection(&shown.body),
        without_injection(&good.body),
        "the last good page stays under the findings"
    );
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    assert!(!digits(&shown.body).contains("13912345678"));
    server.wait_stderr("the refusal", |s| s.contains("error[privacy.mobile]"));
    assert!(!server.stderr().contains("13912345678"));
    // A page never served before has no last good version: the findings alone.
    let home = server.get("/");
    if home.body.contains("cunwu-overlay") {
        assert!(!digits(&home.body).contains("13912345678"));
    }
    let index = server.get("/search-index.js");
    assert!(!index.body.contains("5678"), "{}", index.body);
    // Fixed: the page is made again from the fixed plan.
    portal.write(PLAN_FILE, &plan);
    server.wait_for_clean(PLAN_URL, "the findings to go");
    assert_eq!(server.get("/search-index.js").status, 200);
}

/// A personal number put into a data record is refused by the gate on the
/// edit: the page viewed keeps the last good record under the findings.
#[test]
fn a_personal_number_in_a_data_edit_is_refused_in_the_preview() {
    let portal = Portal::example();
    let server = Server::start(&portal);
    let good = server.get(VILLAGE);
    assert_eq!(good.status, 200);
    let text = portal.read(DATA_FILE);
    portal.write(
        DATA_FILE,
        with_summary(&text, "xialongjing", "联系人电话 13812345678"),
    );
    let shown = server.wait_for(VILLAGE, "the findings", |r| {
        is_overlay_for(r, &["privacy.mobile"])
    });
    assert_eq!(
        without_injection(&shown.body),
        without_injection(&good.body)
    );
    assert!(!shown.body.contains("13812345678"));
    // Every page shows the findings, over the last good site.
    let home = server.get("/");
    assert!(is_overlay_for(&home, &["privacy.mobile"]));
    assert!(!home.body.contains("13812345678"));
    portal.write(DATA_FILE, &text);
    server.wait_for_clean(VILLAGE, "the findings to go");
}

/// `cunwu serve` run in the portal's folder (root `.`, the default) or next
/// to it (a relative root): the watcher reports absolute paths, and a data
/// edit must still take the record route (the files already read), not a
/// full rebuild, and serve what a build writes.
#[test]
fn a_data_edit_under_a_relative_root_takes_the_record_route() {
    for (case, relative) in [(0, true), (1, false)] {
        let portal = Portal::example();
        let (root, cwd) = if relative {
            (".".to_string(), portal.root().to_path_buf())
        } else {
            let name = portal.root().file_name().unwrap().to_str().unwrap();
            (
                name.to_string(),
                portal.root().parent().unwrap().to_path_buf(),
            )
        };
        let server = Server::start_in(&portal, &root, &cwd, &[("CUNWU_TIMINGS", "1")]);
        let village = portal.village_ids()[case].clone();
        let data_file = village_data_file(&portal, &village);
        let m = marker("RELROOT");
        portal.write(
            &data_file,
            with_summary(&portal.read(&data_file), &village, &format!("本村概况 {m}")),
        );
        server.wait_for(&format!("/areas/{village}/"), "the data edit", |r| {
            r.status == 200 && r.body.contains(&m)
        });
        let log = server.stderr.lock().unwrap().clone();
        assert!(
            log.contains("[time] edit: read"),
            "root {root:?}: the data edit was not taken by the record route:\n{log}"
        );
        assert_eq!(
            log.matches("[time] load: list").count(),
            1,
            "root {root:?}: the data edit loaded the whole portal again:\n{log}"
        );
        assert_serves_the_build(
            &server,
            &portal,
            &format!("root {root:?} after a data edit"),
        );
    }
}

/// The data file (from the portal's root) that holds `village`'s record.
fn village_data_file(portal: &Portal, village: &str) -> String {
    common::Site::at(portal.root().join("data"))
        .files()
        .into_iter()
        .map(|f| format!("data/{f}"))
        .find(|f| portal.read(f).contains(&format!("id = \"{village}\"")))
        .expect("the village's data file")
}
