//! One canonical reading of a text, the way a reader sees it, for every
//! scanner of the gate: inputs (Markdown, TOML, templates, stylesheets) and
//! rendered outputs (HTML, CSV, JSON, search index, feeds) alike.
//!
//! [`canonical`] makes, in one pass, a text in which every written form of a
//! digit, a separator, an `@` or a letter of an address is its plain ASCII
//! form, with a map back to the bytes as written:
//!
//! - HTML/XML character references (`&#49;`, `&#x31;`, `&nbsp;`, `&commat;`),
//!   percent-encoding (`tel:138%2012345678`, `%E2%80%8B`), CSS escapes
//!   (`content: "\31 38"`) and JSON/TOML escapes (`\u0031`, `\n`) decoded;
//! - every tag dropped (`<p>`, `<span class=…>`, `<!-- -->`): formatting tags
//!   inside a line (`<strong>`, `<a>`, `<wbr>`, …) vanish so that what they
//!   split is read whole, `<br>` reads as a line break and every other tag as
//!   a hard boundary (`\u{1}`), so table cells and paragraphs stay apart.
//!   What is inside a tag after its name (attribute values: `href="tel:…"`,
//!   `title`, `data-*`) is read on its own, appended after the text, behind
//!   a boundary. A closed comment (`<!-- … -->`) vanishes like a formatting
//!   tag, since the page's cleaner drops it, and its text is read apart too;
//! - NFKC (full-width, mathematical and compatibility forms, compatibility
//!   ideographs and radicals), except the enclosed and parenthesised numbers
//!   (`①`, `⑴`, `㈠`), which are list markers and stay boundaries;
//! - every Unicode decimal digit (Nd: `١`, `०`, `๑`, …) as its ASCII digit;
//! - `×` and letters that look like X (`Х`, `Χ`, `✕`) as `X`;
//! - format characters (Cf: zero-width space and joiners, direction marks,
//!   word joiner, soft hyphen, byte order mark) and variation selectors
//!   removed;
//! - every space (no-break, figure, ideographic, …) as ` `, every line break
//!   as `\n`, every dash (Pd: `‐ – — − －`) as `-`, middle dots (`· ・ ‧`) and
//!   `．` as `.`, and `。` as `.` between an address's letters (`qq。com`).
//!
//! A character whose reading is only punctuation that no scanner reads
//! (`，` `：` `（`) stays as written, so an ordinary Chinese page has nothing
//! to change. [`is_plain`] tests that on the bytes, a chunk at a time, and a
//! plain text is scanned as it is: the fast path.

use std::borrow::Cow;
use std::ops::Range;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// The hard boundary a dropped tag leaves: no scanner joins across it.
pub const BOUNDARY: char = '\u{1}';
const BOUNDARY_STR: &str = "\u{1}";

/// A text as the scanners read it, with the way back to the written bytes.
#[derive(Debug, Clone)]
pub struct Reading<'a> {
    text: Cow<'a, str>,
    /// Pieces of the reading in order; empty when it is the text as written.
    segs: Vec<Seg>,
}

/// A piece of the reading: `canon..` (up to the next piece) read from
/// `orig`. A verbatim piece is the written bytes themselves.
#[derive(Debug, Clone, Copy)]
struct Seg {
    canon: usize,
    orig: Range32,
    verbatim: bool,
}

#[derive(Debug, Clone, Copy)]
struct Range32 {
    start: u32,
    end: u32,
}

impl<'a> Reading<'a> {
    /// The canonical text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the reading is the text as written (nothing to change).
    pub fn is_verbatim(&self) -> bool {
        self.segs.is_empty()
    }

    /// The written byte range that `range` of the reading was read from.
    /// Both ends lie on char boundaries of the written text.
    pub fn written(&self, range: Range<usize>) -> Range<usize> {
        if self.segs.is_empty() || range.is_empty() {
            return range;
        }
        let start = self.origin(range.start).0;
        let end = self.origin(range.end - 1).1;
        start.min(end)..end.max(start)
    }

    /// The written bytes the reading's byte `at` comes from.
    fn origin(&self, at: usize) -> (usize, usize) {
        let k = self.segs.partition_point(|s| s.canon <= at).max(1) - 1;
        let s = self.segs[k];
        if s.verbatim {
            // Verbatim pieces copy whole characters.
            let mut cs = at;
            while cs > s.canon && !self.text.is_char_boundary(cs) {
                cs -= 1;
            }
            let len = self.text[cs..].chars().next().map_or(1, char::len_utf8);
            let start = s.orig.start as usize + (cs - s.canon);
            (start, start + len)
        } else {
            (s.orig.start as usize, s.orig.end as usize)
        }
    }
}

/// Whether `bytes` read the same canonically: no tag, reference, escape or
/// percent sign, and no character whose reading differs. Tested a chunk at
/// a time: most chunks of a page have no byte that could start one.
pub fn is_plain(bytes: &[u8]) -> bool {
    let mut i = 0;
    loop {
        i = next_special(bytes, i, bytes.len());
        if i >= bytes.len() {
            return true;
        }
        if inert_at(bytes, i) || full_stop_at(bytes, i) {
            i += 3;
        } else if special_at(bytes, i) {
            return false;
        } else {
            i += 1;
        }
    }
}

/// A byte that may start something the reading changes. CJK ideographs
/// (lead bytes `e4`–`e9`) and UTF-8 continuation bytes never do.
#[inline(always)]
fn maybe_special(b: u8) -> bool {
    SPECIAL[b as usize]
}

/// [`maybe_special`] as a table (`next_special` tests whole chunks with the
/// same comparisons; a unit test holds the two equal).
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = matches!(c, b'<' | b'&' | b'%' | b'\\') || (c >= 0xc2 && !(c >= 0xe4 && c <= 0xe9));
        b += 1;
    }
    t
};

/// The commonest punctuation of a Chinese page (`，` `。` `、` `：` `；`
/// `（` `）` `“` `”` `《` `》` `！` `？`), told from its bytes: read as
/// written.
#[inline(always)]
fn inert_at(bytes: &[u8], at: usize) -> bool {
    matches!(
        bytes.get(at..at + 3),
        Some(
            [0xef, 0xbc, 0x8c | 0x9a | 0x9b | 0x88 | 0x89 | 0x81 | 0x9f]
                | [0xe3, 0x80, 0x81 | 0x8a | 0x8b]
                | [0xe2, 0x80, 0x9c | 0x9d]
        )
    )
}

/// Whether `at` starts a `。` that is a sentence's full stop, not a dot in
/// an address: it is read as `.` only before a letter (`qq。com`), and
/// nearly every `。` of a page is followed by an ideograph or a line break.
fn full_stop_at(bytes: &[u8], at: usize) -> bool {
    bytes.get(at..at + 3) == Some(&[0xe3, 0x80, 0x82])
        && bytes
            .get(at + 3)
            .is_none_or(|&n| !n.is_ascii_alphabetic() && n != 0xef)
}

/// Position of the next byte at or after `from` (before `end`) that may
/// start something the reading changes, 16 bytes at a time: a page's tags
/// are a few bytes apart, so finding the byte within a block (not only
/// whether the block has one) is what counts.
fn next_special(bytes: &[u8], from: usize, end: usize) -> usize {
    let mut i = from;
    while i + 16 <= end {
        let mask = special_mask(block(bytes, i));
        if mask != 0 {
            return i + mask.trailing_zeros() as usize;
        }
        i += 16;
    }
    while i < end && !maybe_special(bytes[i]) {
        i += 1;
    }
    i
}

/// The 16 bytes at `at`.
#[inline(always)]
fn block(bytes: &[u8], at: usize) -> wide::u8x16 {
    let arr: [u8; 16] = bytes[at..at + 16].try_into().expect("16 bytes");
    wide::u8x16::from(arr)
}

/// One bit per byte of `v` that [`maybe_special`] holds for: the same test
/// as the table, as vector comparisons.
#[inline(always)]
fn special_mask(v: wide::u8x16) -> u32 {
    use wide::u8x16;
    let eq = |c: u8| v.simd_eq(u8x16::splat(c));
    // b >= 0xc2, unsigned: max(b, 0xc2) == b.
    let high = v.max(u8x16::splat(0xc2)).simd_eq(v);
    // b in e4..=e9 (CJK ideographs' lead bytes): b - 0xe4 <= 5, wrapping.
    let d = v - u8x16::splat(0xe4);
    let ideograph = d.min(u8x16::splat(5)).simd_eq(d);
    let special = eq(b'<') | eq(b'&') | eq(b'%') | eq(b'\\') | (high & !ideograph);
    special.to_bitmask()
}

/// Whether the reading changes what starts at byte `at`.
fn special_at(bytes: &[u8], at: usize) -> bool {
    let mut scratch = String::new();
    let b = bytes[at];
    if b == b'<' {
        return tag_at(bytes, at, bytes.len()).is_some();
    }
    if b < 0x80 {
        return decode_ascii_special(bytes, at, &mut scratch).is_some_and(|(_, changed)| changed);
    }
    let Some(c) = char_at(bytes, at) else {
        return false;
    };
    read_char(c, None, None, &mut scratch)
}

/// The character whose UTF-8 encoding starts at `at`, decoded by hand: this
/// runs once per non-ideographic character of every page, where a general
/// UTF-8 validation per call was a tenth of the reading's time.
fn char_at(bytes: &[u8], at: usize) -> Option<char> {
    let lead = bytes[at];
    let (len, bits) = match lead {
        0xc0..=0xdf => (2, lead & 0x1f),
        0xe0..=0xef => (3, lead & 0x0f),
        0xf0..=0xf7 => (4, lead & 0x07),
        _ => return None,
    };
    let mut code = u32::from(bits);
    for &c in bytes.get(at + 1..at + len)? {
        if c & 0xc0 != 0x80 {
            return None;
        }
        code = (code << 6) | u32::from(c & 0x3f);
    }
    // Overlong forms would decode to a shorter character; refuse them as
    // `str` does.
    let shortest = match code {
        0..=0x7f => 1,
        0x80..=0x7ff => 2,
        0x800..=0xffff => 3,
        _ => 4,
    };
    if shortest != len {
        return None;
    }
    char::from_u32(code)
}

/// The canonical reading of `text` (see the module documentation).
pub fn canonical(text: &str) -> Reading<'_> {
    if is_plain(text.as_bytes()) {
        return Reading {
            text: Cow::Borrowed(text),
            segs: Vec::new(),
        };
    }
    read_all(text, Builder::new(text.len(), true)).finish()
}

/// The text of [`canonical`] without the way back to the written bytes:
/// the same reading at less cost, for scanning a text that is most likely
/// clean (a rendered page); map findings with [`canonical`].
pub fn canonical_text(text: &str) -> Cow<'_, str> {
    if is_plain(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(read_all(text, Builder::new(text.len(), false)).out)
}

fn read_all(text: &str, mut b: Builder) -> Builder {
    let mut attrs: Vec<Range<usize>> = Vec::new();
    read_into(text, 0..text.len(), true, &mut b, &mut attrs);
    let mut none = Vec::new();
    for r in attrs {
        b.push_mapped(BOUNDARY_STR, r.start..r.start);
        if !r.is_empty() {
            read_into(text, r, false, &mut b, &mut none);
        }
    }
    b
}

struct Builder {
    out: String,
    /// Whether `segs` are kept (the way back to the written bytes).
    track: bool,
    segs: Vec<Seg>,
    /// The written position just after the last verbatim byte, if the
    /// reading ends in a verbatim piece.
    open: Option<usize>,
}

impl Builder {
    fn new(len: usize, track: bool) -> Self {
        Builder {
            out: String::with_capacity(len),
            track,
            segs: Vec::new(),
            open: None,
        }
    }

    fn push_verbatim(&mut self, text: &str, from: usize) {
        if text.is_empty() {
            return;
        }
        if self.track && self.open != Some(from) {
            self.segs.push(Seg {
                canon: self.out.len(),
                orig: Range32 {
                    start: from as u32,
                    end: (from + text.len()) as u32,
                },
                verbatim: true,
            });
        }
        self.out.push_str(text);
        self.open = Some(from + text.len());
    }

    /// Pushes `s`, read from the written bytes `orig`. An empty `s` leaves
    /// nothing (the written bytes are dropped).
    fn push_mapped(&mut self, s: &str, orig: Range<usize>) {
        self.open = None;
        if s.is_empty() {
            return;
        }
        if !self.track {
            self.out.push_str(s);
            return;
        }
        self.segs.push(Seg {
            canon: self.out.len(),
            orig: Range32 {
                start: orig.start as u32,
                end: orig.end as u32,
            },
            verbatim: false,
        });
        self.out.push_str(s);
    }

    fn last_char(&self) -> Option<char> {
        self.out.chars().next_back()
    }

    fn finish(self) -> Reading<'static> {
        Reading {
            text: Cow::Owned(self.out),
            segs: self.segs,
        }
    }
}

/// Reads `text[range]` into `b`; with `tags`, tags are dropped and their
/// attribute values' ranges pushed to `attrs`.
fn read_into(
    text: &str,
    range: Range<usize>,
    tags: bool,
    b: &mut Builder,
    attrs: &mut Vec<Range<usize>>,
) {
    let bytes = text.as_bytes();
    let end = range.end;
    let mut copied = range.start;
    let mut i = range.start;
    let mut scratch = String::new();
    while i < end {
        i = next_special(bytes, i, end);
        if i >= end {
            break;
        }
        let c = bytes[i];
        if c == b'<' {
            match tags.then(|| tag_at(bytes, i, end)).flatten() {
                Some(tag) => {
                    b.push_verbatim(&text[copied..i], copied);
                    i = read_tag(bytes, i, end, tag, b, attrs);
                    copied = i;
                }
                None => i += 1,
            }
            continue;
        }
        if inert_at(bytes, i) || full_stop_at(bytes, i) {
            i += 3;
            continue;
        }
        if c < 0x80 {
            scratch.clear();
            match decode_ascii_special(&bytes[..end], i, &mut scratch) {
                Some((len, true)) => {
                    b.push_verbatim(&text[copied..i], copied);
                    // The decoded characters read like any written ones.
                    let mut read = String::new();
                    let decoded = std::mem::take(&mut scratch);
                    for ch in decoded.chars() {
                        if !read_char(ch, b.last_char(), None, &mut read) {
                            read.push(ch);
                        }
                    }
                    b.push_mapped(&read, i..i + len);
                    i += len;
                    copied = i;
                }
                Some((len, false)) => i += len,
                None => i += 1,
            }
            continue;
        }
        let Some(ch) = char_at(&bytes[..end], i) else {
            i += 1;
            continue;
        };
        let len = ch.len_utf8();
        let next = text[i + len..end].chars().next();
        scratch.clear();
        let prev = if copied < i {
            text[..i].chars().next_back()
        } else {
            b.last_char()
        };
        if read_char(ch, prev, next, &mut scratch) {
            b.push_verbatim(&text[copied..i], copied);
            let s = std::mem::take(&mut scratch);
            b.push_mapped(&s, i..i + len);
            copied = i + len;
        }
        i += len;
    }
    b.push_verbatim(&text[copied..end], copied);
}

/// Reads the tag at `at` (what the text before it was already pushed):
/// what it leaves in the reading, and its attribute values to be read
/// apart. Returns where the reading goes on.
fn read_tag(
    bytes: &[u8],
    at: usize,
    end: usize,
    tag: Tag,
    b: &mut Builder,
    attrs: &mut Vec<Range<usize>>,
) -> usize {
    // A ruby annotation (`<rt>`, `<rp>`) stands above the base text, not
    // inside it: `<ruby>139<rt>x</rt>12345678</ruby>` reads as one number;
    // the annotation is read apart.
    if tag.kind == TagKind::Annotation {
        if let Some(close) = annotation_end(bytes, at, tag.end, end) {
            b.push_mapped("", at..close.1);
            attrs.extend(tag.values);
            attrs.push(tag.end..close.0);
            return close.1;
        }
    }
    let emit = match tag.kind {
        TagKind::Inline => "",
        // `139<br>⏎12345678` is one line break, not two: the source's own
        // line end follows the tag.
        TagKind::Break if line_end_follows(bytes, tag.end) => "",
        TagKind::Break => "\n",
        TagKind::Line => "\n\n",
        TagKind::Block | TagKind::Annotation => BOUNDARY_STR,
    };
    b.push_mapped(emit, at..tag.end);
    // Without the way back (a first look for anything at all), a value that
    // can hold no identifier and no ID keyword is left out, its boundary
    // kept: nothing read elsewhere joins it, and every line stays a row.
    attrs.extend(tag.values.map(|v| {
        if b.track || may_hold_identifier(bytes, v.clone()) {
            v
        } else {
            v.start..v.start
        }
    }));
    tag.end
}

/// Whether an attribute's text may hold an identifier or change how one
/// is read: an ASCII digit, any non-ASCII byte (other digits, names,
/// Chinese numerals, sentence stops), a byte the reading decodes (`&`, `%`,
/// `\`), an `@` or a mark an address is written around (`#`, brackets,
/// ` at `), a line break, or an ID keyword (`ID`, `id card`) that makes a
/// 15-digit number on its line an old ID. Most attributes of a page
/// (`class="site-header"`, `href="../index.html"`) have none. A scanner
/// that reads other ASCII-only text must add what starts it here (and to
/// the pieces of `leaving_out_plain_attributes_changes_no_finding`).
fn may_hold_identifier(bytes: &[u8], value: Range<usize>) -> bool {
    let text = &bytes[..value.end];
    let mut i = value.start;
    while i < value.end {
        let n = (value.end - i).min(16);
        // A value's last block is read from the page around it when the
        // page goes on (it nearly always does), its extra bytes masked off.
        let (marks, mut starts) = if i + 16 <= bytes.len() {
            let v = block(bytes, i);
            let eq = |c: u8| v.simd_eq(wide::u8x16::splat(c));
            let within = if n == 16 { u32::MAX } else { (1 << n) - 1 };
            (
                identifier_mask(v) & within,
                (eq(b' ') | eq(b'I') | eq(b'i')).to_bitmask() & within,
            )
        } else {
            text[i..]
                .iter()
                .enumerate()
                .fold((0, 0), |(m, s), (k, &c)| {
                    let bit = 1u32 << k;
                    let mark = if may_start_identifier(c) { bit } else { 0 };
                    let start = if matches!(c, b' ' | b'I' | b'i') {
                        bit
                    } else {
                        0
                    };
                    (m | mark, s | start)
                })
        };
        if marks != 0 {
            return true;
        }
        while starts != 0 {
            let k = i + starts.trailing_zeros() as usize;
            starts &= starts - 1;
            let rest = &text[k..];
            let word = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
            if rest.starts_with(b"ID") || word(b" at ") || rest.starts_with(b"id card") {
                return true;
            }
        }
        i += n;
    }
    false
}

/// [`may_hold_identifier`]'s bytes that decide it alone.
fn may_start_identifier(c: u8) -> bool {
    c.is_ascii_digit()
        || c >= 0x80
        || matches!(
            c,
            b'@' | b'#' | b'&' | b'%' | b'\\' | b'(' | b'[' | b'{' | b'\n' | b'\r'
        )
}

/// One bit per byte of `v` that [`may_start_identifier`] holds for.
#[inline(always)]
fn identifier_mask(v: wide::u8x16) -> u32 {
    use wide::u8x16;
    let eq = |c: u8| v.simd_eq(u8x16::splat(c));
    // b - '0' <= 9, wrapping: a digit.
    let d = v - u8x16::splat(b'0');
    let digit = d.min(u8x16::splat(9)).simd_eq(d);
    let high = v.max(u8x16::splat(0x80)).simd_eq(v);
    let marks = eq(b'@') | eq(b'#') | eq(b'&') | eq(b'%') | eq(b'\\') | eq(b'(') | eq(b'[');
    (digit | high | marks | eq(b'{') | eq(b'\n') | eq(b'\r')).to_bitmask()
}

/// Decodes the reference, escape or percent-encoding at `at` (an ASCII `&`,
/// `%` or `\`) into `out`. Returns its written length and whether the
/// reading differs from the written text (an `&amp;` reads as `&`, which no
/// scanner reads either, so it is left as written).
fn decode_ascii_special(bytes: &[u8], at: usize, out: &mut String) -> Option<(usize, bool)> {
    let rest = &bytes[at..];
    let (len, decoded): (usize, String) = match rest[0] {
        b'&' => {
            let semi = rest.iter().take(40).position(|&b| b == b';')?;
            let ent = std::str::from_utf8(&rest[..=semi]).ok()?;
            if ent.len() < 3
                || !ent[1..semi]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'#')
            {
                return None;
            }
            let d = html_escape::decode_html_entities(ent);
            if d == ent {
                return None;
            }
            (semi + 1, d.into_owned())
        }
        b'%' => {
            // A run of %XX, decoded together (UTF-8 sequences span several).
            let mut n = 0;
            while rest.get(n) == Some(&b'%')
                && rest.get(n + 1).is_some_and(u8::is_ascii_hexdigit)
                && rest.get(n + 2).is_some_and(u8::is_ascii_hexdigit)
            {
                n += 3;
            }
            if n == 0 {
                return None;
            }
            let d = percent_encoding::percent_decode(&rest[..n])
                .decode_utf8()
                .ok()?;
            (n, d.into_owned())
        }
        b'\\' => {
            let next = *rest.get(1)?;
            match next {
                b'u' | b'U' => {
                    let w = if next == b'u' { 4 } else { 8 };
                    let hex = std::str::from_utf8(rest.get(2..2 + w)?).ok()?;
                    let v = u32::from_str_radix(hex, 16).ok()?;
                    if (0xd800..0xdc00).contains(&v) && next == b'u' {
                        // A JSON surrogate pair.
                        let lo = rest.get(6..12)?;
                        if &lo[..2] != b"\\u" {
                            return None;
                        }
                        let lo =
                            u32::from_str_radix(std::str::from_utf8(&lo[2..]).ok()?, 16).ok()?;
                        let c = char::from_u32(
                            0x10000 + ((v - 0xd800) << 10) + (lo.checked_sub(0xdc00)?),
                        )?;
                        (12, c.to_string())
                    } else {
                        (2 + w, char::from_u32(v)?.to_string())
                    }
                }
                b'n' | b'r' => (2, "\n".to_string()),
                b't' => (2, "\t".to_string()),
                h if h.is_ascii_hexdigit() => {
                    // CSS: up to six hex digits, then one optional space.
                    let n = rest[1..]
                        .iter()
                        .take(6)
                        .take_while(|b| b.is_ascii_hexdigit())
                        .count();
                    let v =
                        u32::from_str_radix(std::str::from_utf8(&rest[1..1 + n]).ok()?, 16).ok()?;
                    let mut len = 1 + n;
                    if matches!(rest.get(len), Some(b' ' | b'\t' | b'\n')) {
                        len += 1;
                    }
                    (len, char::from_u32(v)?.to_string())
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    // Everything decoded is read (a decoded `<` never starts a tag: the
    // decoded text is not parsed again).
    let changed = true;
    out.push_str(&decoded);
    Some((len, changed))
}

/// ASCII characters a scanner reads: digits, letters, `@ + - .`, spaces and
/// line breaks.
fn relevant_ascii(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '@' | '+' | '-' | '.' | ' ' | '\n' | '\t' | '\r')
}

/// Reads one written (non-ASCII or decoded) character into `out`. Returns
/// `false`, leaving `out` alone, when it reads as written. `prev` and `next`
/// are the neighbouring characters, for `。` in an address.
fn read_char(c: char, prev: Option<char>, next: Option<char>, out: &mut String) -> bool {
    if c.is_ascii() {
        return false;
    }
    // The commonest characters of a Chinese page, read as written.
    if matches!(
        c,
        '\u{4e00}'
            ..='\u{9fff}'
                | '，'
                | '、'
                | '：'
                | '；'
                | '（'
                | '）'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '《'
                | '》'
                | '！'
                | '？'
                | '【'
                | '】'
    ) {
        return false;
    }
    match c {
        '。' | '｡' => {
            let addr = prev.is_some_and(|p| p.is_ascii_alphanumeric())
                && next.is_some_and(|n| {
                    n.is_ascii_alphabetic() || matches!(n, 'ａ'..='ｚ' | 'Ａ'..='Ｚ')
                });
            if addr {
                out.push('.');
            }
            return addr;
        }
        '×' | '✕' | '✖' | '╳' | '⨯' | 'Х' | 'х' | 'Χ' | 'χ' | '✗' | '✘' => {
            out.push('X');
            return true;
        }
        '·' | '・' | '‧' | '∙' | '•' | '･' => {
            out.push('.');
            return true;
        }
        // Dashes that are not Pd: the minus sign, the long vowel mark an
        // input method gives for `-`, small and modifier minus.
        '−' | 'ー' | '－' | '﹣' | '⁻' | '₋' | '➖' | '⁃' => {
            out.push('-');
            return true;
        }
        '\u{2028}' | '\u{2029}' | '\u{85}' => {
            out.push('\n');
            return true;
        }
        // Variation selectors and the combining keycap (`1️⃣`).
        '\u{fe00}'..='\u{fe0f}'
        | '\u{e0100}'..='\u{e01ef}'
        | '\u{180b}'..='\u{180d}'
        | '\u{20e3}'
        | '\u{34f}' => return true,
        // Enclosed and parenthesised numbers are list markers: boundaries.
        '\u{2460}'..='\u{24ff}' | '\u{2776}'..='\u{2793}' | '\u{3200}'..='\u{32ff}' => {
            return false;
        }
        _ => {}
    }
    if c.is_whitespace() {
        out.push(' ');
        return true;
    }
    match c.general_category() {
        GeneralCategory::Format => return true,
        GeneralCategory::DecimalNumber => {
            if let Some(d) = nfkc_digit(c).or_else(|| nd_value(c)) {
                out.push(d);
                return true;
            }
        }
        GeneralCategory::DashPunctuation => {
            out.push('-');
            return true;
        }
        _ => {}
    }
    if is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes {
        return false;
    }
    let mut read = String::new();
    for n in std::iter::once(c).nfkc() {
        if n.is_ascii() || n == c || !read_char(n, prev, next, &mut read) {
            read.push(n);
        }
    }
    if read == c.to_string() {
        return false;
    }
    // Punctuation no scanner reads stays as written.
    if !read.chars().any(relevant_ascii) && read.is_ascii() {
        return false;
    }
    out.push_str(&read);
    true
}

/// Whether only spaces and a line end come next after `at`.
fn line_end_follows(bytes: &[u8], at: usize) -> bool {
    let rest = bytes.get(at..).unwrap_or_default();
    let gap = rest
        .iter()
        .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r'))
        .count();
    rest.get(gap) == Some(&b'\n')
}

fn nfkc_digit(c: char) -> Option<char> {
    let mut it = std::iter::once(c).nfkc();
    let d = it.next()?;
    (it.next().is_none() && d.is_ascii_digit()).then_some(d)
}

/// The value of a decimal digit (Nd): Unicode encodes each script's digits
/// as a run of ten, zero first, so the value is the distance from the start
/// of the run, modulo ten (some runs hold several sets).
fn nd_value(c: char) -> Option<char> {
    let mut start = c as u32;
    while start > 0
        && char::from_u32(start - 1)
            .is_some_and(|p| p.general_category() == GeneralCategory::DecimalNumber)
    {
        start -= 1;
    }
    char::from_digit((c as u32 - start) % 10, 10)
}

#[derive(Debug, PartialEq)]
enum TagKind {
    Inline,
    Break,
    /// Paragraphs, rows, list items: a line of their own.
    Line,
    Block,
    /// An opening `<rt>` or `<rp>`: a ruby annotation, read apart.
    Annotation,
}

struct Tag {
    end: usize,
    kind: TagKind,
    values: Option<Range<usize>>,
}

/// The tag starting at `at` (a `<` followed by a letter, `/` or `!`), with
/// the range of what is written inside it after its name.
fn tag_at(bytes: &[u8], at: usize, end: usize) -> Option<Tag> {
    let next = *bytes.get(at + 1)?;
    if next == b'!' {
        // A comment's or CDATA section's text is read like any text (a
        // template's comment may be published): only its opening is a
        // boundary. What a doctype or any other `<!…>` holds is published
        // in the page's source too: it is read apart, like attributes.
        let body = &bytes[at..end];
        // A closed comment is not seen where it stands (the page's cleaner
        // drops it, so `139<!-- -->12345678` shows as one number); its text
        // is read apart, like attribute values, in case it is published.
        if body.starts_with(b"<!--") {
            if let Some(close) = memchr::memmem::find(&body[4..], b"-->") {
                return Some(Tag {
                    end: at + 4 + close + 3,
                    kind: TagKind::Inline,
                    values: (close > 0).then_some(at + 4..at + 4 + close),
                });
            }
        }
        let open = [&b"<!--"[..], b"<![CDATA["]
            .into_iter()
            .find(|o| body.starts_with(o));
        return Some(match open {
            Some(o) => Tag {
                end: at + o.len(),
                kind: TagKind::Block,
                values: None,
            },
            None => {
                let close = at + memchr::memchr(b'>', body)?;
                Tag {
                    end: close + 1,
                    kind: TagKind::Block,
                    values: (at + 2 < close).then_some(at + 2..close),
                }
            }
        });
    }
    let closing = next == b'/';
    let name_at = at + 1 + usize::from(closing);
    if !bytes.get(name_at)?.is_ascii_alphabetic() {
        return None;
    }
    // This runs for every tag of every page: the name is walked once with
    // a table, and lowercased afterwards only if `tag_kind` may know it.
    let limit = end.min(bytes.len());
    let mut name_end = name_at;
    let mut digits = false;
    while name_end < limit && NAME_BYTE[bytes[name_end] as usize] {
        digits |= bytes[name_end].is_ascii_digit();
        name_end += 1;
    }
    // A tag's name ends at a space, `/` or `>` (`<a@b.cn>` is an address).
    if !bytes
        .get(name_end)
        .is_some_and(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
    {
        return None;
    }
    let close = tag_close(bytes, name_end, end)?;
    let name = &bytes[name_at..name_end];
    // Everything inside the tag but its name is read apart: attribute
    // values, and whatever else is written there (`<D 13800138000>`).
    // A name with digits other than a heading's (`<p6263 8544 …>`) may be
    // a number written after a `<`: it is read with the rest.
    let heading = name.len() == 2 && name[0].eq_ignore_ascii_case(&b'h');
    let from = if digits && !heading {
        name_at
    } else {
        name_end
    };
    let values = (from < close).then_some(from..close);
    let kind = match name_kind(name) {
        TagKind::Block
            if !closing
                && (name.eq_ignore_ascii_case(b"rt") || name.eq_ignore_ascii_case(b"rp")) =>
        {
            TagKind::Annotation
        }
        kind => kind,
    };
    Some(Tag {
        end: close + 1,
        kind,
        values,
    })
}

/// Bytes a tag's name is made of.
static NAME_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b':';
        b += 1;
    }
    t
};

/// The `>` closing a tag whose attributes start at `from`; quoted values
/// may hold `>`. A `<` outside quotes means this was no tag (`a < b <c`).
/// Each block of 16 bytes is compared once and its `> < " '` handled from
/// the bit mask: a tag's quotes are a few bytes apart.
fn tag_close(bytes: &[u8], from: usize, end: usize) -> Option<usize> {
    use wide::u8x16;
    let end = end.min(bytes.len());
    let mut quote = 0u8;
    let mut i = from;
    while i < end {
        let n = (end - i).min(16);
        let mut mask = if n == 16 {
            let v = block(bytes, i);
            let eq = |c: u8| v.simd_eq(u8x16::splat(c));
            (eq(b'>') | eq(b'<') | eq(b'"') | eq(b'\'')).to_bitmask()
        } else {
            bytes[i..end]
                .iter()
                .enumerate()
                .filter(|(_, b)| matches!(b, b'>' | b'<' | b'"' | b'\''))
                .fold(0u32, |m, (k, _)| m | 1 << k)
        };
        while mask != 0 {
            let k = i + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            let b = bytes[k];
            if quote != 0 {
                if b == quote {
                    quote = 0;
                }
            } else if b == b'>' {
                return Some(k);
            } else if b == b'<' {
                return None;
            } else {
                quote = b;
            }
        }
        i += n;
    }
    None
}

/// For an opening `<rt>` or `<rp>` at `at` whose tag ends at `open_end`:
/// where its content ends (the closing tag's start) and where the closing
/// tag ends. Without a closing tag (HTML lets it out), the annotation ends
/// at the next `<rt`, `<rp` or `</ruby`.
fn annotation_end(bytes: &[u8], at: usize, open_end: usize, end: usize) -> Option<(usize, usize)> {
    let name = bytes.get(at + 1..at + 3)?;
    if !(name.eq_ignore_ascii_case(b"rt") || name.eq_ignore_ascii_case(b"rp")) {
        return None;
    }
    if !bytes
        .get(at + 3)
        .is_some_and(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
    {
        return None;
    }
    let mut p = open_end;
    while let Some(q) = memchr::memchr(b'<', &bytes[p..end]) {
        let q = p + q;
        let rest = &bytes[q..end];
        let is = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
        if is(b"</rt") || is(b"</rp") {
            let close = q + memchr::memchr(b'>', rest).map_or(rest.len(), |e| e + 1);
            return Some((q, close));
        }
        if is(b"<rt") || is(b"<rp") || is(b"</ruby") {
            return Some((q, q));
        }
        p = q + 1;
    }
    None
}

/// The longest tag name [`tag_kind`] knows (`blockquote`); a longer one is
/// a boundary.
const NAME_MAX: usize = 10;

/// How a tag named `name` (any case) reads: [`tag_kind`] of its lowercase
/// form, copied only when the name has a capital (pages are written in
/// lowercase).
fn name_kind(name: &[u8]) -> TagKind {
    if name.len() > NAME_MAX {
        return TagKind::Block;
    }
    match tag_kind(name) {
        TagKind::Block if name.iter().any(u8::is_ascii_uppercase) => {
            let mut lower = [0u8; NAME_MAX];
            let lower = &mut lower[..name.len()];
            lower.copy_from_slice(name);
            lower.make_ascii_lowercase();
            tag_kind(lower)
        }
        kind => kind,
    }
}

/// How a tag reads, by its lowercased name: formatting tags inside a line
/// (`<strong>`, `<a>`, `<span>`, `<wbr>`, …) as nothing, `<br>` as a line
/// break, tags that make a line of their own (a paragraph, a table row) as
/// two line breaks, which no number joins across, so that a sentence or a
/// row ends there, and every other tag as a boundary.
fn tag_kind(name: &[u8]) -> TagKind {
    match name {
        b"a" | b"abbr" | b"b" | b"bdi" | b"bdo" | b"cite" | b"code" | b"del" | b"dfn" | b"em"
        | b"font" | b"i" | b"ins" | b"kbd" | b"mark" | b"q" | b"s" | b"samp" | b"small"
        | b"ruby" | b"rb" | b"span" | b"strong" | b"sub" | b"sup" | b"time" | b"u" | b"var"
        | b"wbr" => TagKind::Inline,
        b"br" => TagKind::Break,
        b"p" | b"div" | b"li" | b"tr" | b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6"
        | b"table" | b"ul" | b"ol" | b"dt" | b"dd" | b"section" | b"article" | b"blockquote"
        | b"pre" | b"title" | b"caption" => TagKind::Line,
        _ => TagKind::Block,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chunk_test_and_the_table_agree_on_every_byte() {
        for b in 0..=255u8 {
            let mut bytes = [b'a'; 64];
            bytes[40] = b;
            let at = next_special(&bytes, 0, bytes.len());
            assert_eq!(at == 40, maybe_special(b), "byte {b:#x}");
        }
    }

    fn read(s: &str) -> String {
        canonical(s).text().to_string()
    }

    #[test]
    fn forms_read_as_ascii() {
        let cases = [
            ("１３８", "138"),
            ("𝟏𝟑𝟖", "138"),
            ("١٣٨", "138"),
            ("१३८", "138"),
            ("1\u{200b}3\u{200e}8\u{2060}", "138"),
            ("138\u{a0}1234", "138 1234"),
            ("138\u{3000}1234", "138 1234"),
            ("138–1234—5678", "138-1234-5678"),
            ("138·1234", "138.1234"),
            ("&#49;&#x33;8", "138"),
            ("1&nbsp;38", "1 38"),
            ("tel:138%201234", "tel:138 1234"),
            ("\\31 38", "138"),
            ("\\u0031\\u00338", "138"),
            ("002×", "002X"),
            ("002Х", "002X"),
            ("a＠b．com", "a@b.com"),
            ("a﹫b。com", "a@b.com"),
            ("<p>139<strong>1234</strong>5678</p>", "\n\n13912345678\n\n"),
            ("138<br>1234", "138\n1234"),
            ("<td>1</td><td>2</td>", "\u{1}1\u{1}\u{1}2\u{1}"),
            // A closed comment vanishes where it stands; its text is read
            // apart. An unclosed one is a boundary, its text read on.
            ("<!-- 138 -->", "\u{1} 138 "),
            ("139<!-- x -->12345678", "13912345678\u{1} x "),
            ("<!-- 138", "\u{1} 138"),
        ];
        for (written, expected) in cases {
            assert_eq!(read(written), expected, "{written:?}");
        }
    }

    #[test]
    fn attributes_are_read_apart() {
        let r = read("<a href=\"tel:138%2012345678\">电话</a>");
        assert_eq!(r, "电话\u{1} href=\"tel:138 12345678\"");
    }

    #[test]
    fn chinese_pages_are_plain() {
        for s in [
            "本村共有农户73户，人口317人；项目总投资26.70万元。",
            "（一）道路硬化：“五个好”《方案》【说明】！？、",
            "",
            "plain ascii 100 % 2020-04-15",
        ] {
            assert!(is_plain(s.as_bytes()), "{s}");
            assert!(canonical(s).is_verbatim());
        }
        assert!(!is_plain("<p>".as_bytes()));
        assert!(!is_plain("１".as_bytes()));
        assert!(!is_plain("&#49;".as_bytes()));
        assert!(!is_plain("a &amp; b".as_bytes()));
        assert!(is_plain("a & b; 50% ".as_bytes()));
    }

    #[test]
    fn ranges_map_back_to_the_written_bytes() {
        let w = "电话：&#49;38<b>1234</b>５６７８。";
        let r = canonical(w);
        let t = r.text();
        let at = t.find("13812345678").unwrap();
        let back = r.written(at..at + 11);
        assert_eq!(&w[back], "&#49;38<b>1234</b>５６７８");
    }

    #[test]
    fn list_markers_stay() {
        assert_eq!(read("①13812345678"), "①13812345678");
    }
}
