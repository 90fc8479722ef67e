//! Issue 11: every written form of a personal number or a roster name is
//! refused, in every place it can be written and in every form an output
//! encodes it; and an equally large set of public look-alikes (dates,
//! amounts, codes, 12317, ISBN, IP addresses, comma amounts) is not.
//!
//! Most cases run through the library (`cunwu::gate::scan`, the roster
//! matcher, and the output scan's reading of a file's bytes): values are
//! generated from a fixed seed, written in random groupings, separators and
//! character forms, put into each place (plan body, front matter, data
//! string, template, stylesheet, file name, link URL), and each place's text
//! is encoded as each output encodes text (HTML, CSV, JSON, search index,
//! feed, sitemap, print view). A sample goes through the real binary: one
//! case per class and place must refuse with exit 1 and leave the previous
//! `public/` byte-identical, and the look-alikes in every place must build.

mod common;

use common::{PROVINCES, Portal, snapshot};
use cunwu::gate::roster::Roster;
use cunwu::gate::scan::{self, IdentifierKind, luhn_valid, resident_id_check_digit};

// ---------------------------------------------------------------------------
// A small deterministic generator (no seed from the clock: failures repeat).

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

// ---------------------------------------------------------------------------
// The personal values.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Class {
    Id18,
    Id15,
    Mobile,
    Card,
    CardBin,
    Email,
    Name,
}

const CLASSES: [Class; 7] = [
    Class::Id18,
    Class::Id15,
    Class::Mobile,
    Class::Card,
    Class::CardBin,
    Class::Email,
    Class::Name,
];

/// Roster names (simplified) and a traditional way of writing each.
const NAMES: [(&str, &str); 8] = [
    ("陈国强", "陳國強"),
    ("刘晓东", "劉曉東"),
    ("张伟", "張偉"),
    ("黄丽华", "黃麗華"),
    ("赵建军", "趙建軍"),
    ("吴红梅", "吳紅梅"),
    ("郑志刚", "鄭志剛"),
    ("钱学兰", "錢學蘭"),
];

fn roster() -> Roster {
    let names: Vec<&str> = NAMES.iter().map(|(s, _)| *s).collect();
    Roster::parse(&names.join("\n"))
}

/// A region code: a province's and four more digits.
fn region(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(&PROVINCES), rng.digits(4))
}

fn valid_id(rng: &mut Rng) -> String {
    let region = region(rng);
    let year = 1930 + rng.below(80);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let first17 = format!("{region}{year}{month:02}{day:02}{}", rng.digits(3));
    let check = resident_id_check_digit(first17.as_bytes()).unwrap();
    format!("{first17}{}", char::from(check))
}

fn old_id(rng: &mut Rng) -> String {
    let region = region(rng);
    format!(
        "{region}{:02}{:02}{:02}{}",
        30 + rng.below(60),
        1 + rng.below(12),
        1 + rng.below(28),
        rng.digits(3)
    )
}

fn mobile(rng: &mut Rng) -> String {
    format!("1{}{}", 3 + rng.below(7), rng.digits(9))
}

fn with_luhn(payload: &str) -> String {
    (0..10)
        .map(|c| format!("{payload}{c}"))
        .find(|s| luhn_valid(s))
        .unwrap()
}

fn card(rng: &mut Rng) -> String {
    let len = 16 + rng.below(4);
    let prefix = *rng.pick(&["622202", "621700", "436742", "955880", "530990", "356833"]);
    with_luhn(&format!("{prefix}{}", rng.digits(len - 1 - prefix.len())))
}

/// A UnionPay-prefixed card with a wrong check digit (a mistyped card).
fn card_bin(rng: &mut Rng) -> String {
    let c = card(rng);
    let c = format!("62{}", &c[2..]);
    let c = if luhn_valid(&c) { c } else { c.clone() };
    let (head, last) = c.split_at(c.len() - 1);
    let mut d = last.parse::<u8>().unwrap();
    loop {
        d = (d + 1) % 10;
        let s = format!("{head}{d}");
        if !luhn_valid(&s) {
            return s;
        }
    }
}

/// One personal value of `class`, as plain ASCII (names: simplified).
fn value(class: Class, rng: &mut Rng) -> String {
    match class {
        Class::Id18 => valid_id(rng),
        Class::Id15 => old_id(rng),
        Class::Mobile => mobile(rng),
        Class::Card => card(rng),
        Class::CardBin => card_bin(rng),
        Class::Email => format!(
            "{}{}@{}.{}",
            rng.pick(&["zhang", "li.ming", "wang_x", "hx"]),
            rng.digits(3),
            rng.pick(&["qq", "163", "example", "mail.hexi"]),
            rng.pick(&["com", "cn", "org"])
        ),
        Class::Name => NAMES[rng.below(NAMES.len())].0.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Written forms.

/// Splits `digits` into groups, the way a clerk reads them aloud.
fn grouping(class: Class, digits: &str, rng: &mut Rng) -> Vec<String> {
    let n = digits.len();
    let sizes: Vec<usize> = match (class, rng.below(4)) {
        (_, 0) => vec![n],
        // 17 digits when the check character is an X written after them.
        (Class::Id18, 1) => vec![6, 8, n - 14],
        (Class::Id18, 2) => vec![6, 4, 4, n - 14],
        (Class::Mobile, 1) => vec![3, 4, 4],
        (Class::Mobile, 2) => vec![3, 8],
        (Class::Card | Class::CardBin, 1) => {
            let mut v = vec![4; n / 4];
            if n % 4 > 0 {
                v.push(n % 4);
            }
            v
        }
        (Class::Card | Class::CardBin, 2) => vec![6, n - 6],
        _ => {
            // Random groups of 3 to 6 digits (at most 4 for a mobile).
            let mut v = Vec::new();
            let mut left = n;
            while left > 0 {
                let max = if class == Class::Mobile { 4 } else { 6 };
                let s = (3 + rng.below(max - 2)).min(left);
                v.push(s);
                left -= s;
            }
            if v.len() > 1 && *v.last().unwrap() < 3 {
                let last = v.pop().unwrap();
                *v.last_mut().unwrap() += last;
            }
            v
        }
    };
    let mut out = Vec::new();
    let mut at = 0;
    for s in sizes {
        out.push(digits[at..at + s].to_string());
        at += s;
    }
    out
}

const SEPARATORS: [&str; 11] = [
    " ", "-", "\u{a0}", "\u{3000}", "\n", ".", "–", "—", "\u{202f}", " - ", "\u{2009}",
];

/// How each digit is written.
#[derive(Clone, Copy, Debug)]
enum Digits {
    Ascii,
    FullWidth,
    MathBold,
    ArabicIndic,
    Devanagari,
    ZeroWidth,
    Bidi,
    WordJoiner,
    DecimalEntity,
    HexEntity,
    Percent,
    InlineTag,
}

const DIGIT_FORMS: [Digits; 12] = [
    Digits::Ascii,
    Digits::FullWidth,
    Digits::MathBold,
    Digits::ArabicIndic,
    Digits::Devanagari,
    Digits::ZeroWidth,
    Digits::Bidi,
    Digits::WordJoiner,
    Digits::DecimalEntity,
    Digits::HexEntity,
    Digits::Percent,
    Digits::InlineTag,
];

fn write_digit(c: char, form: Digits, k: usize) -> String {
    let d = c as u32 - '0' as u32;
    let shift = |zero: u32| char::from_u32(zero + d).unwrap().to_string();
    if !c.is_ascii_digit() {
        return match (c, form) {
            ('X', Digits::FullWidth) => "Ｘ".into(),
            ('X', Digits::MathBold) => "×".into(),
            ('X', Digits::ArabicIndic) => "Х".into(), // Cyrillic
            _ => c.to_string(),
        };
    }
    match form {
        Digits::Ascii => c.to_string(),
        Digits::FullWidth => shift(0xff10),
        Digits::MathBold => shift(0x1d7ce),
        Digits::ArabicIndic => shift(0x660),
        Digits::Devanagari => shift(0x966),
        Digits::ZeroWidth if k % 3 == 1 => format!("{c}\u{200b}"),
        Digits::Bidi if k % 4 == 2 => format!("\u{200e}{c}\u{202c}"),
        Digits::WordJoiner if k % 2 == 1 => format!("{c}\u{2060}\u{fe0f}"),
        Digits::DecimalEntity => format!("&#{};", c as u32),
        Digits::HexEntity if k % 2 == 0 => format!("&#x{:X};", c as u32),
        Digits::Percent if k % 2 == 1 => format!("%{:02X}", c as u32),
        Digits::InlineTag if k == 3 => format!("<strong>{c}</strong>"),
        _ => c.to_string(),
    }
}

/// A random written form of a personal value (or a name).
fn written(class: Class, v: &str, rng: &mut Rng) -> String {
    match class {
        Class::Email => {
            let at = *rng.pick(&["@", "＠", "﹫", "&#64;", "%40"]);
            let dot = *rng.pick(&[".", "．", "。"]);
            let (local, domain) = v.split_once('@').unwrap();
            let full = rng.below(3) == 0;
            let fw = |s: &str| -> String {
                if full {
                    s.chars()
                        .map(|c| {
                            if c.is_ascii_alphanumeric() {
                                char::from_u32(c as u32 - 0x20 + 0xff00).unwrap()
                            } else {
                                c
                            }
                        })
                        .collect()
                } else {
                    s.to_string()
                }
            };
            format!("{}{at}{}", fw(local), fw(&domain.replace('.', dot)))
        }
        Class::Name => {
            let trad = NAMES.iter().find(|(s, _)| *s == v).unwrap().1;
            let base = if rng.below(2) == 0 { v } else { trad };
            let sep = *rng.pick(&["", " ", "\u{3000}", "\u{200b}", "<b></b>", "\u{a0}"]);
            let chars: Vec<String> = base.chars().map(|c| c.to_string()).collect();
            chars.join(sep)
        }
        _ => {
            let (digits, x) = match v.strip_suffix('X') {
                Some(d) => (d.to_string(), "X"),
                None => (v.to_string(), ""),
            };
            let groups = grouping(class, &digits, rng);
            let form = *rng.pick(&DIGIT_FORMS);
            let mut out = String::new();
            let mut k = 0;
            for (i, g) in groups.iter().enumerate() {
                if i > 0 {
                    let mut sep = SEPARATORS[rng.below(SEPARATORS.len())];
                    // A dot beside a run of one or two digits is a decimal
                    // point (`4862.3`), knowingly not read as a grouping.
                    if sep == "." && (g.len() < 3 || groups[i - 1].len() < 3) {
                        sep = " ";
                    }
                    out.push_str(sep);
                }
                for c in g.chars() {
                    out.push_str(&write_digit(c, form, k));
                    k += 1;
                }
            }
            for c in x.chars() {
                out.push_str(&write_digit(c, form, k));
            }
            out
        }
    }
}

/// The sentence a value is written in: IDs of the old kind need their
/// keyword in the same sentence or the column's header.
fn sentence(class: Class, w: &str, rng: &mut Rng) -> String {
    match class {
        Class::Id15 => match rng.below(3) {
            0 => format!("身份证号码：{w}。"),
            1 => format!("该户身份证已登记，编号为{w}。"),
            _ => format!("\n\n| 户主 | 身份证号 |\n|--|--|\n| 某某 | {w} |\n\n"),
        },
        Class::Mobile => format!("联系电话：{w}。"),
        Class::Card | Class::CardBin => format!("补助发放至账户 {w}。"),
        Class::Email => format!("来信请寄 {w} 。"),
        Class::Name => format!("走访了{w}家。"),
        Class::Id18 => format!("证件 {w}，已核对。"),
    }
}

// ---------------------------------------------------------------------------
// Places and output forms.

const PLACES: [&str; 7] = [
    "plan body",
    "front matter",
    "data string",
    "template",
    "stylesheet",
    "file name",
    "link URL",
];

/// The text of the place's file with `s` written in it.
fn place(p: &str, s: &str) -> String {
    match p {
        "plan body" => format!("+++\ntitle = \"计划\"\n+++\n\n## 任务\n\n{s}\n"),
        "front matter" => format!(
            "+++\ntitle = \"计划\"\nsummary = \"{}\"\n+++\n\n正文。\n",
            s.replace('\n', " ")
        ),
        // TOML: non-ASCII as `\u` escapes.
        "data string" => format!("outcomes = [\"{}\"]\n", toml_escape(s)),
        "template" => format!(
            "{{% block main %}}<article><p title=\"{}\">说明</p><p>{s}</p></article>{{% endblock %}}\n",
            s.replace('"', "&quot;")
        ),
        // CSS: every character of the text as an escape.
        "stylesheet" => format!(
            ".notice::after {{ content: \"{}\"; }}\n",
            s.chars()
                .map(|c| format!("\\{:x} ", c as u32))
                .collect::<String>()
        ),
        "file name" => format!("content/plans/{}.md", s.replace(['\n', '/'], " ")),
        "link URL" => format!(
            "见[联系方式](tel:{})。\n",
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
        ),
        _ => unreachable!(),
    }
}

fn toml_escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '"' => "\\\"".to_string(),
            '\\' => "\\\\".to_string(),
            '\n' => "\\n".to_string(),
            c if c.is_ascii() => c.to_string(),
            c if (c as u32) < 0x10000 => format!("\\u{:04X}", c as u32),
            c => format!("\\U{:08X}", c as u32),
        })
        .collect()
}

const OUTPUTS: [&str; 7] = [
    "html",
    "csv",
    "json",
    "search index",
    "feed",
    "sitemap",
    "print view",
];

/// `text` as the output `form` encodes a text.
fn output(form: &str, text: &str) -> String {
    let html = html_escape::encode_text(text);
    match form {
        "html" => format!("<main><h1>计划</h1><p>{html}</p></main>"),
        "csv" => format!("名称,说明\r\n项目,\"{}\"\r\n", text.replace('"', "\"\"")),
        // JSON with every non-ASCII character as a `\u` escape.
        "json" => {
            let mut out = String::from("{\"rows\":[{\"note\":\"");
            for c in text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
                    c => {
                        let mut buf = [0u16; 2];
                        for u in c.encode_utf16(&mut buf) {
                            out.push_str(&format!("\\u{u:04x}"));
                        }
                    }
                }
            }
            out.push_str("\"}]}");
            out
        }
        "search index" => format!(
            "window.CUNWU_SEARCH={{\"docs\":[{{\"t\":\"计划\",\"s\":{}}}],\"words\":{}}};\n",
            serde_json::to_string(text).unwrap(),
            serde_json::to_string(&cunwu::render::search::tokens(text)).unwrap()
        ),
        // XML, non-ASCII as numeric character references.
        "feed" => {
            let refs: String = html
                .chars()
                .map(|c| {
                    if c.is_ascii() {
                        c.to_string()
                    } else {
                        format!("&#{};", c as u32)
                    }
                })
                .collect();
            format!("<?xml version=\"1.0\"?><feed><entry><summary>{refs}</summary></entry></feed>")
        }
        "sitemap" => format!(
            "<urlset><url><loc>https://hexi.example/plans/{}/</loc></url></urlset>",
            percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC)
        ),
        // Digits set in tags of their own, as a print layout might.
        "print view" => {
            let split: String = html
                .chars()
                .enumerate()
                .map(|(k, c)| {
                    if c.is_ascii_digit() && k % 5 == 0 {
                        format!("<span class=\"d\">{c}</span><wbr>")
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            format!("<table class=\"print\"><tr><th>说明</th><td>{split}</td></tr></table>")
        }
        _ => unreachable!(),
    }
}

// ---------------------------------------------------------------------------
// What the gate sees.

/// Whether the gate finds `class` in `text` (an input file's text or an
/// output file's bytes).
fn caught(class: Class, text: &str, roster: &Roster, output: bool) -> bool {
    if class == Class::Name {
        return !roster.find(text).is_empty();
    }
    let found = if output {
        scan::scan_bytes(text.as_bytes())
    } else {
        scan::scan(text)
    };
    let kind = match class {
        Class::Id18 => IdentifierKind::ResidentId,
        Class::Id15 => IdentifierKind::ResidentIdOld,
        Class::Mobile => IdentifierKind::Mobile,
        Class::Card | Class::CardBin => IdentifierKind::BankCard,
        Class::Email => IdentifierKind::Email,
        Class::Name => unreachable!(),
    };
    found.iter().any(|f| f.kind == kind)
}

/// Every finding the gate makes in `text`.
fn anything(text: &str, roster: &Roster, output: bool) -> Vec<String> {
    let found = if output {
        scan::scan_bytes(text.as_bytes())
    } else {
        scan::scan(text)
    };
    let mut all: Vec<String> = found
        .iter()
        .map(|f| format!("{:?} {}", f.kind, f.masked))
        .collect();
    all.extend(roster.find(text).into_iter().map(|h| h.masked));
    all
}

const VALUES_PER_CLASS: usize = 6;
const FORMS_PER_VALUE: usize = 10;

#[test]
fn every_written_form_in_every_place_and_output_is_caught() {
    let mut rng = Rng(0x5eed_1105_2026);
    let roster = roster();
    let mut cases = 0;
    let mut missed = Vec::new();
    for class in CLASSES {
        for _ in 0..VALUES_PER_CLASS {
            let v = value(class, &mut rng);
            for _ in 0..FORMS_PER_VALUE {
                let w = written(class, &v, &mut rng);
                let s = sentence(class, &w, &mut rng);
                for p in PLACES {
                    // A file name holds no table; the sentence is one line.
                    let s = if p == "file name" || p == "front matter" {
                        sentence_line(class, &w)
                    } else {
                        s.clone()
                    };
                    // A place that escapes every character itself (CSS
                    // escapes, a URL's percent-encoding, a file name) shows
                    // markup literally: it holds what a reader would see.
                    let text = if matches!(p, "stylesheet" | "link URL" | "file name") {
                        place(p, &visible(&s))
                    } else {
                        place(p, &s)
                    };
                    cases += 1;
                    if !caught(class, &text, &roster, false) {
                        missed.push(format!("{class:?} in {p}: {text:?}"));
                    }
                    for o in OUTPUTS {
                        // What a reader sees of the place is what the
                        // output holds: the sentence with its markup read.
                        let out = output(o, &visible(&s));
                        cases += 1;
                        if !caught(class, &out, &roster, true) {
                            missed.push(format!("{class:?} from {p} in {o}: {out:?}"));
                        }
                    }
                }
            }
        }
    }
    assert!(
        missed.is_empty(),
        "{} of {cases} cases missed, e.g.:\n{}",
        missed.len(),
        missed
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(cases >= 20_000, "{cases}");
}

/// What a reader sees of a written text: tags, character references and
/// percent-encoding read (the characters themselves stay as written).
fn visible(s: &str) -> String {
    let no_tags = s
        .replace("<strong>", "")
        .replace("</strong>", "")
        .replace("<b></b>", "");
    let decoded = html_escape::decode_html_entities(&no_tags).into_owned();
    percent_encoding::percent_decode_str(&decoded)
        .decode_utf8_lossy()
        .into_owned()
}

/// The sentence on one line (for places that hold one line).
fn sentence_line(class: Class, w: &str) -> String {
    let w = w.replace('\n', " ");
    match class {
        Class::Id15 => format!("身份证号码：{w}"),
        Class::Mobile => format!("电话 {w}"),
        Class::Card | Class::CardBin => format!("账户 {w}"),
        Class::Email => format!("邮箱 {w} "),
        Class::Name => format!("{w}家"),
        Class::Id18 => format!("证件 {w}"),
    }
}

// ---------------------------------------------------------------------------
// Public look-alikes.

/// Public figures that look like personal numbers.
fn look_alikes(rng: &mut Rng) -> Vec<String> {
    let year = 2015 + rng.below(10);
    let m = 1 + rng.below(12);
    let d = 1 + rng.below(28);
    let amount = format!("{}.{:02}", 100 + rng.below(900), rng.below(100));
    vec![
        format!("{year}.{m:02}.{d:02} 开工"),
        format!("{year}-{m:02}-{d:02} 至 {year}-12-31"),
        format!("{year}年{m}月{d}日"),
        format!("{year}/{m:02}/{d:02}"),
        format!("总投资 {amount} 万元"),
        format!(
            "合计 {},{:03},{:03},{:03} 元",
            10 + rng.below(90),
            rng.below(1000),
            rng.below(1000),
            rng.below(1000)
        ),
        format!(
            "{},{:03} 户 {},{:03} 人",
            1 + rng.below(99),
            rng.below(1000),
            1 + rng.below(99),
            rng.below(1000)
        ),
        format!("项目编号 XM-{year}-{:04}", rng.below(10000)),
        format!(
            "合同编号 HX{year}-{:03}-{:02}",
            rng.below(1000),
            rng.below(100)
        ),
        "监督举报电话 12317".to_string(),
        format!(
            "ISBN 978-7-{:03}-{:05}-{}",
            rng.below(1000),
            rng.below(100000),
            rng.below(10)
        ),
        format!("服务器 192.168.{}.{}", rng.below(256), rng.below(256)),
        format!(
            "地址 {}.{}.{}.{}",
            100 + rng.below(156),
            100 + rng.below(156),
            100 + rng.below(156),
            100 + rng.below(156)
        ),
        format!(
            "版本 v{}.{}.{}",
            rng.below(10),
            rng.below(20),
            rng.below(100)
        ),
        format!("邮编 6{:05}", rng.below(100000)),
        format!("办公室 0874-{:07}", rng.below(10_000_000)),
        format!(
            "{amount} 万元，{}.{:02} 万元",
            10 + rng.below(90),
            rng.below(100)
        ),
        format!("占比 {}.{}%", rng.below(100), rng.below(10)),
        format!("第 {} 期，共 {} 户", rng.below(100), rng.below(1000)),
    ]
}

/// Public text in the same character forms personal numbers were tried in.
fn disguise(text: &str, rng: &mut Rng) -> String {
    let form = *rng.pick(&[
        Digits::Ascii,
        Digits::FullWidth,
        Digits::ZeroWidth,
        Digits::DecimalEntity,
        Digits::ArabicIndic,
        Digits::WordJoiner,
    ]);
    let sep = *rng.pick(&[" ", "\u{a0}", "\u{3000}", " "]);
    text.chars()
        .enumerate()
        .map(|(k, c)| match c {
            ' ' => sep.to_string(),
            c if c.is_ascii_digit() => write_digit(c, form, k),
            c => c.to_string(),
        })
        .collect()
}

#[test]
fn public_look_alikes_pass_in_every_place_and_output() {
    let mut rng = Rng(0x0010_c4a1_1ce5);
    let roster = roster();
    let mut cases = 0;
    let mut alarms = Vec::new();
    // As many texts as personal values were written above.
    let rounds =
        CLASSES.len() * VALUES_PER_CLASS * FORMS_PER_VALUE / look_alikes(&mut Rng(1)).len() + 1;
    for _ in 0..rounds {
        for text in look_alikes(&mut rng) {
            let s = disguise(&text, &mut rng);
            for p in PLACES {
                let file = place(p, &s);
                cases += 1;
                let found = anything(&file, &roster, false);
                if !found.is_empty() {
                    alarms.push(format!("{found:?} in {p}: {file:?}"));
                }
                for o in OUTPUTS {
                    let out = output(o, &visible(&s));
                    cases += 1;
                    let found = anything(&out, &roster, true);
                    if !found.is_empty() {
                        alarms.push(format!("{found:?} from {p} in {o}: {out:?}"));
                    }
                }
            }
        }
    }
    assert!(
        alarms.is_empty(),
        "{} false alarms of {cases}, e.g.:\n{}",
        alarms.len(),
        alarms
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(cases >= 20_000, "{cases}");
}

#[test]
fn comma_amounts_are_not_phones_in_the_search_index_either() {
    let tokens = cunwu::render::search::tokens("本年度投入 13,812,345,678 元，覆盖 11,491 户");
    assert!(tokens.contains(&"11491".to_string()), "{tokens:?}");
    let index = output("search index", "本年度投入 13,812,345,678 元");
    assert!(scan::scan_bytes(index.as_bytes()).is_empty(), "{index}");
}

// ---------------------------------------------------------------------------
// The real binary: one case per class and place, previous output unchanged.

/// Writes `s` into the portal at place `p`; returns the file that holds it.
fn write_into(portal: &Portal, p: &str, s: &str) -> String {
    let plan = "content/plans/work-plan-2020.md";
    match p {
        "plan body" => {
            let text = portal.read(plan);
            portal.write(plan, format!("{text}\n{s}\n"));
            plan.to_string()
        }
        "front matter" => {
            let text = portal.read(plan).replacen(
                "summary = \"",
                &format!("summary = \"{}", toml_escape(&s.replace('\n', " "))),
                1,
            );
            portal.write(plan, text);
            plan.to_string()
        }
        "data string" => {
            let file = "data/projects.toml";
            let text = portal.read(file).replacen(
                "outcomes = [",
                &format!("outcomes = [\"{}\", ", toml_escape(s)),
                1,
            );
            portal.write(file, text);
            file.to_string()
        }
        "template" => {
            let file = "templates/page.html";
            let base = std::fs::read_to_string(
                common::fixture_dir("privacy/id-in-template").join("templates/page.html"),
            )
            .unwrap();
            let clean: String = base
                .lines()
                .filter(|l| !l.contains("11010519491231002X"))
                .map(|l| format!("{l}\n"))
                .collect();
            portal.write(
                file,
                clean.replacen("<article>", &format!("<article><p>{s}</p>"), 1),
            );
            file.to_string()
        }
        "stylesheet" => {
            let file = "themes/default/static/style.css";
            let css = std::fs::read_to_string(common::repo_root().join(file)).unwrap();
            portal.write(file, format!("{css}\n{}", place(p, s)));
            file.to_string()
        }
        "file name" => {
            let name = place(p, s);
            portal.write(&name, portal.read(plan));
            name
        }
        "link URL" => {
            let text = portal.read(plan);
            portal.write(plan, format!("{text}\n{}", place(p, s)));
            plan.to_string()
        }
        _ => unreachable!(),
    }
}

/// Puts back the files a case changed.
fn restore(portal: &Portal, clean: &Portal, file: &str) {
    if clean.path(file).exists() {
        portal.write(file, clean.read(file));
    } else {
        portal.remove(file);
    }
}

#[test]
fn the_binary_refuses_each_class_in_each_place_and_keeps_the_old_site() {
    let clean = Portal::from_fixture("privacy/clean");
    let portal = Portal::from_fixture("privacy/clean");
    portal.built();
    let before = snapshot(&portal.output());
    let roster_dir = tempfile::TempDir::new().unwrap();
    let roster_file = roster_dir.path().join("roster.txt");
    std::fs::write(
        &roster_file,
        NAMES
            .iter()
            .map(|(s, _)| format!("{s}\n"))
            .collect::<String>(),
    )
    .unwrap();
    let roster_arg = roster_file.to_str().unwrap();
    let mut rng = Rng(0x00b1_4a27);
    for class in CLASSES {
        for p in PLACES {
            let v = value(class, &mut rng);
            // A form any place can hold (no line break, tag or entity in a
            // file name, where `&`, `<` and `/` have no meaning).
            let w = loop {
                let w = written(class, &v, &mut rng);
                if p != "file name" || !w.contains(['<', '&', '%', '\n', '\u{200b}']) {
                    break w;
                }
            };
            let s = sentence_line(class, &w);
            // Places that escape every character show markup literally.
            let s = if matches!(p, "stylesheet" | "link URL" | "file name") {
                visible(&s)
            } else {
                s
            };
            let file = write_into(&portal, p, &s);
            let run = portal.build_with(&["--roster", roster_arg]);
            assert_eq!(
                run.code, 1,
                "{class:?} in {p} ({file}: {s:?}) was not refused:\n{}",
                run.stderr
            );
            let secret = if class == Class::Name {
                v.clone()
            } else {
                v.trim_end_matches('X').to_string()
            };
            // The full value is never printed, in any form.
            for shown in [&run.stderr, &run.stdout] {
                let digits_only: String = shown.chars().filter(char::is_ascii_digit).collect();
                assert!(
                    class == Class::Name || !digits_only.contains(&secret),
                    "{class:?} in {p} printed in full:\n{shown}"
                );
                assert!(!shown.contains(&v), "{class:?} in {p}:\n{shown}");
            }
            assert_eq!(
                snapshot(&portal.output()),
                before,
                "public/ changed after refusing {class:?} in {p}"
            );
            restore(&portal, &clean, &file);
        }
    }
    // Public look-alikes in every place at once build.
    let mut rng = Rng(0x600d);
    let texts = look_alikes(&mut rng);
    for (i, p) in PLACES.iter().enumerate() {
        let s = disguise(&texts[i % texts.len()], &mut rng);
        // A file name may hold only what a page address may (issue 12):
        // letters, digits, `-`, `_` and `.`; the rest reads as `-` here.
        let s = if *p == "file name" {
            s.chars()
                .map(|c| {
                    if c.is_alphanumeric() || matches!(c, '_' | '.') {
                        c
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
                .trim_matches(['-', '.'])
                .to_string()
        } else {
            s
        };
        write_into(&portal, p, &s.replace('/', "-"));
    }
    // An allowlisted office line, in written forms of its own.
    let config = portal.read("cunwu.toml");
    portal.write(
        "cunwu.toml",
        format!("{config}\n[privacy]\nallow = [\"13800138000\"]\n"),
    );
    let plan = portal.read("content/plans/work-plan-2020.md");
    portal.write(
        "content/plans/work-plan-2020.md",
        format!(
            "{plan}\n\n{}\n\n乡镇值班电话 138\u{a0}0013\u{a0}8000，或 １３８－００１３－８０００。\n",
            texts.join("\n\n").replace('/', "-")
        ),
    );
    portal.build_with(&["--roster", roster_arg]).assert_ok();
}

/// A number split by Markdown emphasis is whole only once rendered: the
/// output scan refuses it in every file that shows it.
#[test]
fn a_number_whole_only_in_the_output_is_refused_by_the_output_scan() {
    let portal = Portal::from_fixture("privacy/clean");
    portal.built();
    let before = snapshot(&portal.output());
    let plan = portal.read("content/plans/work-plan-2020.md");
    portal.write(
        "content/plans/work-plan-2020.md",
        format!("{plan}\n联系人电话 139**1234**&#53;678。\n"),
    );
    let run = portal.build();
    run.assert_refused()
        .assert_mentions("error[privacy.mobile]")
        .assert_mentions("139****5678")
        .assert_not_mentions("13912345678");
    assert_eq!(snapshot(&portal.output()), before);
}

/// Findings of other stages quote what was written: an unknown field's
/// name, an unknown reference, a broken link's target. None of them prints
/// a personal number in full, in the terminal or in `--format json`.
#[test]
fn messages_of_every_stage_print_numbers_masked() {
    let portal = Portal::from_fixture("privacy/clean");
    let projects = portal.read("data/projects.toml");
    portal.write(
        "data/projects.toml",
        projects.replacen(
            "area = \"xialongjing\"",
            "area = \"13912345678\"\n\"532622198507151231\" = 1",
            1,
        ),
    );
    let plan = portal.read("content/plans/work-plan-2020.md");
    portal.write(
        "content/plans/work-plan-2020.md",
        format!("{plan}\n见[名单](6222021234567890128.md)。\n"),
    );
    let secrets = ["13912345678", "532622198507151231", "6222021234567890128"];
    for run in [portal.build(), portal.check_with(&["--format", "json"])] {
        assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
        for rule in ["load.unknown-field", "refs.resolve"] {
            assert!(
                run.stderr.contains(rule) || run.stdout.contains(rule),
                "{rule} not reported:\n{}{}",
                run.stdout,
                run.stderr
            );
        }
        for secret in secrets {
            for shown in [&run.stdout, &run.stderr] {
                assert!(!shown.contains(secret), "`{secret}` printed:\n{shown}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Red-team pass: forms found published before (separators `_ ~ : ( )`,
// every digit written apart, a bracketed area code after +86, e-mails with
// the `@` written out, roster names with a middle dot).

/// Generated forms of one value of each class that a reader reads as the
/// value; each must be caught.
fn red_team_forms(rng: &mut Rng) -> Vec<(Class, String)> {
    let mut out = Vec::new();
    let m = mobile(rng);
    let id = valid_id(rng);
    // An 18-digit card may also read as a unified social credit code,
    // which is published on purpose (see `any_card`): 16, 17 or 19 digits.
    let c = std::iter::repeat_with(|| card(rng))
        .find(|c| c.len() != 18)
        .unwrap();
    let sep = *rng.pick(&["_", "~", ":", " _ ", "～", "："]);
    out.push((
        Class::Mobile,
        format!("{}{sep}{}{sep}{}", &m[..3], &m[3..7], &m[7..]),
    ));
    out.push((
        Class::Id18,
        format!("{}{sep}{}{sep}{}", &id[..6], &id[6..14], &id[14..]),
    ));
    let spaced = |s: &str, gap: &str| s.chars().map(String::from).collect::<Vec<_>>().join(gap);
    let gap = *rng.pick(&[" ", "\u{3000}", "-", " - "]);
    out.push((Class::Mobile, spaced(&m, gap)));
    out.push((Class::Id18, spaced(&id, gap)));
    out.push((Class::Card, spaced(&c, gap)));
    let (o, cl) = *rng.pick(&[("(", ")"), ("（", "）"), ("[", "]")]);
    let pre = *rng.pick(&["+86 ", "0086 ", "86-", "+86"]);
    out.push((
        Class::Mobile,
        format!("{pre}{o}{}{cl} {}-{}", &m[..3], &m[3..7], &m[7..]),
    ));
    out.push((Class::Mobile, format!("{o}{}{cl}{}", &m[..3], &m[3..])));
    // A ruby annotation stands above the base text: `139` + `12345678`.
    let (rt, rp) = *rng.pick(&[
        ("<rt>x</rt>", ""),
        ("<RT class=\"a\">ab</RT>", ""),
        ("<rp>(</rp><rt>1</rt><rp>)</rp>", ""),
        ("<rt>x</rt>", "</ruby>"),
    ]);
    let cut = 1 + rng.below(9);
    out.push((
        Class::Mobile,
        format!("<ruby>{}{rt}{}{rp}", &m[..cut], &m[cut..]),
    ));
    let cut = 1 + rng.below(16);
    out.push((
        Class::Id18,
        format!("<ruby>{}{rt}{}{rp}", &id[..cut], &id[cut..]),
    ));
    let local = format!("zh{}", rng.digits(3));
    let at = *rng.pick(&[
        "[at]", "(at)", "（at）", "[AT]", " [at] ", "#", " @ ", "(@)", "{at}",
    ]);
    let dot = *rng.pick(&[".", "(dot)", "[dot]", " dot ", "。"]);
    let tld = *rng.pick(&["com", "cn", "net", "org"]);
    out.push((Class::Email, format!("{local}{at}qq{dot}{tld}")));
    out.push((Class::Email, format!("{local} at example dot {tld}")));
    out
}

#[test]
fn red_team_forms_are_caught_in_inputs_and_outputs() {
    let roster = roster();
    let mut rng = Rng(0x5eed_0bad_cafe);
    let mut missed = Vec::new();
    let mut tried = 0;
    for _ in 0..200 {
        for (class, v) in red_team_forms(&mut rng) {
            for text in [
                format!("联系：{v}。"),
                format!("<p>联系 {v}</p>"),
                format!("| 联系 | {v} |"),
            ] {
                tried += 1;
                if !caught(class, &text, &roster, false) || !caught(class, &text, &roster, true) {
                    missed.push(format!("{class:?}: {}", visible(&text)));
                }
            }
        }
    }
    assert!(tried >= 5000);
    assert!(
        missed.is_empty(),
        "{} of {tried} missed:\n{}",
        missed.len(),
        missed[..missed.len().min(20)].join("\n")
    );
}

#[test]
fn red_team_look_alikes_are_not_caught() {
    let roster = roster();
    let mut rng = Rng(0x1005_a11e);
    for _ in 0..300 {
        let t = rng.digits(2);
        for text in [
            format!("时间 13:{t}-14:{t}，比例 1:3:5，2019~2020 年"),
            "(1) 13 个村 (2) 1234 户 (3) 5678 人，[1][2]".to_string(),
            format!("评分 1 3 5 7 9 2 4 6 {}", rng.below(10)),
            format!("Details at qingshan.gov.cn; meet at 10:{t} at the office."),
            format!("C#.net，第3#楼，编号#{t}，[见](page.html#top)"),
            format!("XM_2020_{t}31，report_2020_03_{t}.pdf，(0871) 6512 3456"),
        ] {
            let found = anything(&text, &roster, false);
            assert!(found.is_empty(), "{text}: {found:?}");
        }
    }
}

#[test]
fn roster_names_with_a_middle_dot_are_matched_without_it_and_with_any_dot() {
    let roster = Roster::parse("阿依·古丽\n买买提.艾力\n");
    for name in ["阿依", "买买提"] {
        let rest = if name == "阿依" { "古丽" } else { "艾力" };
        for joiner in [
            "", "·", "•", "・", ".", "-", " ", "\u{3000}", "&middot;", "&#183;",
        ] {
            let text = format!("村民{name}{joiner}{rest}参加培训");
            assert_eq!(roster.find(&text).len(), 1, "{text}");
        }
        // With a ruby annotation (pinyin) between the characters.
        let text = format!("<ruby>{name}<rt>pinyin</rt>{rest}</ruby>");
        assert_eq!(roster.find(&text).len(), 1, "{text}");
    }
}

/// Numbers read out digit by digit in Chinese numerals (`一三九一二三四五六七八`,
/// `幺`, financial `壹叁玖`): caught from 11 numerals on; counts, years and
/// shorter runs are not.
#[test]
fn numbers_written_in_chinese_numerals_digit_by_digit_are_caught() {
    let roster = roster();
    let forms: [&[char]; 3] = [
        &['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'],
        &['零', '幺', '两', '三', '四', '五', '六', '七', '八', '九'],
        &['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'],
    ];
    let mut rng = Rng(0x00c4_1e5e);
    for _ in 0..300 {
        let digits = *rng.pick(&forms);
        let (class, v) = match rng.below(2) {
            0 => (Class::Mobile, mobile(&mut rng)),
            _ => (Class::Id18, valid_id(&mut rng)),
        };
        let gap = *rng.pick(&["", " ", "\u{3000}", "-"]);
        let written: String = v
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let w = match c.to_digit(10) {
                    Some(d) => digits[d as usize].to_string(),
                    None => "X".to_string(),
                };
                if i > 0 && i % 4 == 3 {
                    format!("{gap}{w}")
                } else {
                    w
                }
            })
            .collect();
        let text = format!("联系电话{written}。");
        assert!(caught(class, &text, &roster, false), "{text}");
        assert!(caught(class, &text, &roster, true), "{text}");
    }
    for text in [
        "二〇二〇年一月一日至二〇二〇年十二月三十一日",
        "一百三十九万一千二百三十四元",
        "一三九一二三四五六七",
        "第一二三四五六七八九组",
    ] {
        assert!(anything(text, &roster, false).is_empty(), "{text}");
    }
}
