//! Generated inputs over the loaders and the renderer, in process (issue 12):
//! no input may panic or take long. A seeded generator mutates the example's
//! data file and writes Markdown documents from risky pieces (shortcodes,
//! raw HTML, deep nesting, bidi and control characters, huge figures, ids
//! that climb out of the site); each is parsed by the loader, and every
//! document body is rendered, sanitised and has its shortcodes found. Every
//! 100th input also goes through the checker and the printing of findings.
//!
//! By default 20,000 inputs (CI); the ignored long run 200,000. The
//! `CUNWU_FUZZ_CASES` variable overrides how many, `CUNWU_FUZZ_SEED` the
//! seed (fixed by default, so a failure is reproducible):
//! `CUNWU_FUZZ_SEED=7 cargo test --release --test fuzz -- --ignored --nocapture`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use cunwu::check::limits::{MAX_NESTING, MAX_SHORTCODES};
use cunwu::load;
use cunwu::messages::Lang;
use cunwu::render::markdown::{LinkResolver, plain_text, to_html};
use cunwu::shortcode::Shortcode;

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1e-28",
    "5e28",
    "79228162514264337593543950335",
    "99999999999999999999999999999999",
    "1000000000000",
    "1000000000001",
    "9223372036854775807",
    "-9223372036854775808",
    "0x10",
    "1_000",
    "nan",
    "inf",
    "\"1e30\"",
    "\"12.345678901234567890123456789\"",
    "0.000000000000000000000000001",
    "26.70",
    "\"2/3\"",
    "\"0/0\"",
];

const IDS: &[&str] = &[
    "\"../../x\"",
    "\"/tmp/x\"",
    "\"a/../b\"",
    "\"\"",
    "\"con\"",
    "\"x\\u202e\"",
    "\"龙沱乡\"",
    "\"a b\"",
    "\"xialongjing\"",
    "\"limu\"",
    "\"yishiyiyi-2019\"",
];

const FRAGMENTS: &[&str] = &[
    "村民",
    "资金 26.70 万元",
    "\n\n",
    "\n",
    "# 标题\n",
    "## 标题 {#id onclick=x}\n",
    "{{< funds programme=\"yishiyiyi-2019\" >}}",
    "\n\n{{< funds programme=\"yishiyiyi-2019\" >}}\n\n",
    "{{< exit village=\"fenshui\" year=\"2020\" >}}",
    "{{< x",
    "{{< funds programme=“中文” >}}",
    "{{<",
    ">}}",
    "<div>",
    "</div>",
    "<span>",
    "<table><tr><td>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:x\">",
    "[链接](../villages/xialongjing-2019.md)",
    "[x](javascript:alert(1))",
    "![i](data:text/html,x)",
    "> ",
    ">>>>>>>>>>",
    "- ",
    "    ",
    "1. ",
    "```\n",
    "`",
    "*",
    "**",
    "_",
    "[^1]",
    "[^1]: 注\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "\u{202e}",
    "\u{2066}",
    "\u{0}",
    "\u{7}",
    "\r\n",
    "\u{e000}embed-0\u{e000}",
    "<p>\u{e000}embed-9\u{e000}</p>",
    "&amp;",
    "&#0;",
    "<!--",
    "-->",
    "+++",
    "王小明",
    "13800138000",
    "5 户",
];

struct Embeds;

impl LinkResolver for Embeds {
    fn resolve(&self, dest: &str) -> Option<String> {
        dest.ends_with(".md").then(|| "../x/index.html".to_string())
    }
    fn shortcode(&self, call: &Shortcode) -> Option<String> {
        (call.name == "funds").then(|| "<table><tr><td>1</td></tr></table>".to_string())
    }
}

fn markdown(rng: &mut Rng) -> String {
    let mut body = String::new();
    let pieces = 1 + rng.below(24);
    for _ in 0..pieces {
        let piece = rng.pick(FRAGMENTS);
        // Now and then a piece many times over: depth and length.
        let times = if rng.below(40) == 0 {
            1 + rng.below(200)
        } else {
            1
        };
        for _ in 0..times {
            body.push_str(piece);
        }
    }
    body
}

fn document(rng: &mut Rng) -> String {
    let id = if rng.below(3) == 0 {
        format!("id = {}\n", rng.pick(IDS))
    } else {
        String::new()
    };
    let front = match rng.below(10) {
        0 => String::new(),
        1 => "+++\ntitle = \"未闭合\"\n".to_string(),
        _ => format!(
            "+++\n{id}title = \"测试\"\ndate = 2020-01-0{}\nyear = {}\n+++\n",
            1 + rng.below(9),
            rng.pick(&["2020", "1800", "\"x\"", "99999999999"])
        ),
    };
    format!("{front}{}", markdown(rng))
}

/// The data file with a few values replaced, lines cut or repeated.
fn data(rng: &mut Rng, base: &str) -> String {
    let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
    for _ in 0..1 + rng.below(6) {
        let i = rng.below(lines.len());
        match rng.below(6) {
            0 | 1 => {
                if let Some((key, _)) = lines[i].split_once(" = ") {
                    let value = if key.trim() == "id" || rng.below(4) == 0 {
                        rng.pick(IDS)
                    } else {
                        rng.pick(NUMBERS)
                    };
                    lines[i] = format!("{key} = {value}");
                }
            }
            2 => {
                lines.remove(i);
            }
            3 => {
                let line = lines[i].clone();
                lines.insert(i, line);
            }
            4 => {
                let cut = rng.below(lines[i].len() + 1);
                let cut = (0..=cut)
                    .rev()
                    .find(|&c| lines[i].is_char_boundary(c))
                    .unwrap_or(0);
                lines[i].truncate(cut);
            }
            _ => {
                let piece = rng.pick(FRAGMENTS).to_string();
                lines.insert(i, piece);
            }
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
    }
    lines.join("\n")
}

/// No script element, event handler or `javascript:` URL in the parsed page.
fn assert_safe(html: &str, case: usize, input: &str) {
    let doc = scraper::Html::parse_fragment(html);
    for node in doc.tree.nodes() {
        if let Some(el) = node.value().as_element() {
            assert_ne!(el.name(), "script", "case {case}: script from {input:?}");
            for (name, value) in el.attrs() {
                assert!(
                    !name.to_ascii_lowercase().starts_with("on"),
                    "case {case}: {name} from {input:?}"
                );
                assert!(
                    !value.trim().to_ascii_lowercase().starts_with("javascript:"),
                    "case {case}: {name}={value} from {input:?}"
                );
            }
        }
    }
}

/// The CI-sized run: 20,000 inputs, about 20-30 s in a debug build.
#[test]
fn generated_inputs_never_panic_or_take_long() {
    fuzz(20_000);
}

/// The long run (documented in docs/limits.md): 200,000 inputs, about six
/// minutes in a debug build on a busy two-core machine:
/// `cargo test --test fuzz -- --ignored --nocapture`.
#[test]
#[ignore]
fn long_run_of_generated_inputs() {
    fuzz(200_000);
}

fn fuzz(default_cases: usize) {
    let cases: usize = std::env::var("CUNWU_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    let seed: u64 = std::env::var("CUNWU_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x00c0_ffee_1212);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let data_path = root.join("data/limu/xialongjing.toml");
    let doc_path = root.join("content/other/patrol-plan-2020.md");
    let base = std::fs::read_to_string(&data_path).unwrap();
    let mut parts = load::load_parts(&root, Some(Lang::En));
    let mut rng = Rng(seed | 1);
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    let mut findings = 0usize;
    let (mut t_load, mut t_render, mut t_check) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for case in 0..cases {
        let t0 = Instant::now();
        let is_doc = rng.below(2) == 0;
        let text = if is_doc {
            document(&mut rng)
        } else {
            data(&mut rng, &base)
        };
        let path = if is_doc { &doc_path } else { &data_path };
        let ta = Instant::now();
        if parts.replace(path, text.clone().into()).is_err() {
            panic!("{} is not a file of the example", path.display());
        }
        t_load += ta.elapsed();
        let ta = Instant::now();
        // As in a build, a document past the limits is refused before it is
        // rendered; only the loader and the limits themselves see it.
        let within_limits = cunwu::check::limits::too_deep(&text, MAX_NESTING).is_none()
            && text.matches("{{<").count() <= MAX_SHORTCODES;
        if is_doc && within_limits {
            let html = to_html(&text, &Embeds);
            if case % 10 == 0 {
                assert_safe(&html, case, &text);
            }
            let _ = plain_text(&text, 300);
            let _ = cunwu::shortcode::find(&text);
        }
        t_render += ta.elapsed();
        let ta = Instant::now();
        if case % 100 == 0 {
            let loaded = parts.loaded();
            let ix = cunwu::model::Index::build(&loaded.portal);
            let report = cunwu::check::run(&loaded.portal, &ix, Lang::En);
            let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
            let mut diags = loaded.diags;
            diags.extend(report.diags);
            findings += diags.len();
            cunwu::print::human(&mut out, &loaded.sources, &diags, Lang::En).unwrap();
            let printed = String::from_utf8(out.into_inner()).unwrap();
            if let Some(line) = printed.lines().find(|l| l.contains('\u{202e}')) {
                panic!("case {case}: raw bidi printed: {line:?}");
            }
        }
        t_check += ta.elapsed();
        slowest = slowest.max(t0.elapsed());
    }
    let took = started.elapsed();
    eprintln!("load {t_load:?} render {t_render:?} check {t_check:?}");
    eprintln!(
        "fuzz: {cases} inputs (seed {seed:#x}) in {:.1} s, slowest {:.0} ms, {findings} findings printed",
        took.as_secs_f64(),
        slowest.as_secs_f64() * 1000.0
    );
    assert!(
        slowest < Duration::from_secs(5),
        "one input took {slowest:?}"
    );
}
