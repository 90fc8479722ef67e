//! Scanner for personal identifiers (个人身份信息) in text.
//!
//! A village transparency portal publishes budgets, subsidies, contracts and
//! notices, but nothing that identifies an individual household may ever be
//! published: no resident ID numbers, mobile numbers, bank card numbers or
//! e-mail addresses. This scanner is the last line of defence. It runs over
//! every input before rendering and again over every written output file, so
//! an identifier is caught however it got in (content, data files, templates).
//!
//! The scanner is pure (no I/O) and works in a single pass over the bytes of a
//! `&str`. Bytes that cannot start an identifier (anything other than an ASCII
//! digit or `@`) are skipped in wide chunks, and nothing is allocated for a
//! text without findings.
//!
//! Numbers are read as *chains*: runs of ASCII digits joined by a single space
//! or hyphen (`138 0013 8000`, `6222-0212-…`). A `.` between two digits is part
//! of the run, so a run containing one is a decimal number, version or IP
//! address and is never an identifier. Each chain is matched greedily against
//! the grouped forms (3-4-4 mobiles, 4-4-4-4 cards, 6-8-4 IDs, `+86` prefixes),
//! then run by run. A grouped form is only accepted when the separators that
//! join it to neighbouring runs differ from its own separators, so a row of
//! space-separated figures such as `150 1200 1500 1800` is not read as a phone.
//!
//! A candidate must not touch another ASCII digit. An adjacent ASCII letter is
//! accepted (`ID110105…`, `Tel13800138000`) unless the letters lead on to more
//! digits, as in hashes and hex strings like `3f9a13800138000b2`.

use std::ops::Range;

use super::reading;

/// What kind of identifier a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdentifierKind {
    /// 18-character resident identity card number (GB 11643-1999), with a
    /// province code (GB/T 2260), birth date and MOD 11-2 check digit.
    ResidentId,
    /// Old 15-digit resident identity card number (no check digit); only
    /// reported next to a keyword such as 身份证 or `ID`.
    ResidentIdOld,
    /// Mainland China mobile number (11 digits starting `13`–`19`), optionally
    /// with a `+86`/`86`/`0086` prefix and 3-4-4 grouping.
    Mobile,
    /// Bank card number: 16–19 digits, Luhn-valid, starting with 3–6 or 9.
    BankCard,
    /// Conventional ASCII e-mail address `local@domain.tld`.
    Email,
}

impl IdentifierKind {
    /// Every kind, in declaration order.
    pub const ALL: [IdentifierKind; 5] = [
        Self::ResidentId,
        Self::ResidentIdOld,
        Self::Mobile,
        Self::BankCard,
        Self::Email,
    ];

    /// Stable rule identifier used in diagnostics and configuration,
    /// e.g. `privacy.resident-id`.
    pub fn rule_id(self) -> &'static str {
        match self {
            Self::ResidentId => "privacy.resident-id",
            Self::ResidentIdOld => "privacy.resident-id-15",
            Self::Mobile => "privacy.mobile",
            Self::BankCard => "privacy.bank-card",
            Self::Email => "privacy.email",
        }
    }

    /// Chinese name of the identifier kind, for messages to users.
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::ResidentId => "身份证号码",
            Self::ResidentIdOld => "旧版15位身份证号码",
            Self::Mobile => "手机号码",
            Self::BankCard => "银行卡号",
            Self::Email => "电子邮箱",
        }
    }

    /// English name of the identifier kind, for messages to users.
    pub fn name_en(self) -> &'static str {
        match self {
            Self::ResidentId => "resident ID number",
            Self::ResidentIdOld => "old 15-digit resident ID number",
            Self::Mobile => "mobile phone number",
            Self::BankCard => "bank card number",
            Self::Email => "email address",
        }
    }

    /// How many leading and trailing characters a masked value keeps.
    fn kept(self) -> (usize, usize) {
        match self {
            Self::ResidentId | Self::ResidentIdOld => (6, 4),
            Self::Mobile => (3, 4),
            Self::BankCard => (4, 4),
            Self::Email => (1, 0),
        }
    }
}

/// One identifier found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What kind of identifier this is.
    pub kind: IdentifierKind,
    /// Byte range of the whole written identifier in the scanned text,
    /// including separators and a `+86`-style prefix. Both ends lie on char
    /// boundaries, so `&text[range]` is always valid.
    pub range: Range<usize>,
    /// Masked form of the identifier, safe to print (see [`mask`]).
    pub masked: String,
}

/// Scans `text` and returns every identifier found, in order of position.
///
/// Findings do not nest: digits inside an e-mail address are reported only as
/// part of the address, and an 18-digit resident ID is never also reported as
/// a bank card. Returns an empty vector (without allocating) when nothing is
/// found.
///
/// The text is read canonically first ([`reading::canonical`]): entities,
/// escapes, percent-encoding, tags, full-width and other digits, format
/// characters and every kind of space and dash; ranges still point into
/// `text` as written.
pub fn scan(text: &str) -> Vec<Finding> {
    // Most texts hold nothing: they are read once without the way back to
    // the written bytes, and again with it only when something is found.
    let read = reading::canonical_text(text);
    if scan_folded(read.as_bytes()).is_empty() && chinese_digit_runs(&read).is_empty() {
        return Vec::new();
    }
    let reading = reading::canonical(text);
    let mut found = if reading.is_verbatim() {
        scan_folded(text.as_bytes())
    } else {
        scan_folded(reading.text().as_bytes())
            .into_iter()
            .map(|f| Finding {
                range: reading.written(f.range.clone()),
                ..f
            })
            .collect()
    };
    for f in chinese_digit_runs(reading.text()) {
        let range = reading.written(f.range.clone());
        merge(&mut found, Finding { range, ..f });
    }
    found
}

/// Adds `f` to the ordered `found` unless it overlaps one already there.
fn merge(found: &mut Vec<Finding>, f: Finding) {
    let overlaps = |g: &Finding| g.range.start < f.range.end && f.range.start < g.range.end;
    if !found.iter().any(overlaps) {
        let at = found.partition_point(|g| g.range.start < f.range.start);
        found.insert(at, f);
    }
}

/// The digit a Chinese numeral stands for when a number is read out digit
/// by digit (`一三九…`, `幺三九…`, financial `壹叁玖…`).
fn chinese_digit(c: char) -> Option<u8> {
    Some(match c {
        '〇' | '零' | '洞' => b'0',
        '一' | '幺' | '壹' => b'1',
        '二' | '两' | '贰' | '貳' => b'2',
        '三' | '叁' | '參' => b'3',
        '四' | '肆' => b'4',
        '五' | '伍' => b'5',
        '六' | '陆' | '陸' => b'6',
        '七' | '柒' => b'7',
        '八' | '捌' => b'8',
        '九' | '玖' => b'9',
        _ => return None,
    })
}

/// Numbers written digit by digit in Chinese numerals (`一三九 一二三四
/// 五六七八`): a run of at least 11 such numerals (counts and years use
/// 十, 百, 千, 万 or are shorter) is read as ASCII digits and scanned; each
/// finding covers the whole run.
fn chinese_digit_runs(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    if text.is_ascii() {
        return out;
    }
    // A run worth reading holds at least 11 numerals of 3 bytes each, so it
    // spans more than 32 bytes: a character 32 bytes on that is neither a
    // numeral nor a separator shows that no such run starts before it. Most
    // of a page is skipped a probe at a time (Chinese text is full of 一 and
    // 三 in words such as 一事一议, so counting numerals first did not help).
    const SPAN: usize = 32;
    let len = text.len();
    let mut p = 0;
    while p < len {
        let mut b = (p + SPAN).min(len - 1);
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        let Some(c) = text[b..].chars().next() else {
            break;
        };
        if !in_numeral_run(c) {
            p = b + c.len_utf8();
            continue;
        }
        // The whole stretch of numerals and separators around the probe,
        // with a check character written after it.
        let mut s = b;
        while let Some(pc) = text[..s]
            .chars()
            .next_back()
            .filter(|&pc| in_numeral_run(pc))
        {
            s -= pc.len_utf8();
        }
        let mut e = b;
        while let Some(nc) = text[e..].chars().next().filter(|&nc| in_numeral_run(nc)) {
            e += nc.len_utf8();
        }
        if let Some(x) = text[e..]
            .chars()
            .next()
            .filter(|x| matches!(x, 'X' | 'x' | '×'))
        {
            e += x.len_utf8();
        }
        numeral_runs_in(&text[s..e], s, &mut out);
        p = e.max(b + c.len_utf8());
    }
    out
}

/// A Chinese numeral or a separator a run of them may hold.
fn in_numeral_run(c: char) -> bool {
    chinese_digit(c).is_some() || matches!(c, ' ' | '-' | '\u{3000}')
}

/// The runs of at least 11 numerals in `text` (a stretch found by
/// [`chinese_digit_runs`] starting at byte `offset`), read as ASCII digits.
fn numeral_runs_in(text: &str, offset: usize, out: &mut Vec<Finding>) {
    let mut ascii = Vec::new();
    let mut count = 0;
    let mut start = None;
    let mut end = 0;
    let mut flush =
        |ascii: &mut Vec<u8>, count: &mut usize, start: &mut Option<usize>, end: usize| {
            if let Some(s) = start.take() {
                if *count >= 11 {
                    for f in scan_folded(ascii) {
                        out.push(Finding {
                            range: offset + s..offset + end,
                            ..f
                        });
                    }
                }
            }
            ascii.clear();
            *count = 0;
        };
    for (i, c) in text.char_indices() {
        if let Some(d) = chinese_digit(c) {
            if start.is_none() {
                start = Some(i);
            }
            ascii.push(d);
            count += 1;
            end = i + c.len_utf8();
        } else if start.is_some() && matches!(c, ' ' | '-' | '\u{3000}') {
            ascii.push(b' ');
        } else if start.is_some() && matches!(c, 'X' | 'x' | '×') {
            ascii.push(b'X');
            end = i + c.len_utf8();
            flush(&mut ascii, &mut count, &mut start, end);
        } else {
            flush(&mut ascii, &mut count, &mut start, end);
        }
    }
    flush(&mut ascii, &mut count, &mut start, end);
}

/// How the scanner reads one written character, for comparing values
/// (allowlist, acknowledgements): its canonical reading's first character,
/// `None` when it reads as nothing.
pub fn fold(c: char) -> Option<char> {
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    let r = reading::canonical(s);
    r.text().chars().next()
}

/// [`scan`] over a rendered file's bytes, which need not be checked as
/// UTF-8 first: a plain file (see [`reading::is_plain`]) is scanned as
/// bytes; any other is read as text (lossily: the ranges of a file that is
/// not valid UTF-8 may then be off, its findings are not).
pub fn scan_bytes(bytes: &[u8]) -> Vec<Finding> {
    if !reading::is_plain(bytes) {
        // Validated with SIMD: rendered pages are large.
        return match simdutf8::basic::from_utf8(bytes) {
            Ok(text) => scan(text),
            Err(_) => scan(&String::from_utf8_lossy(bytes)),
        };
    }
    let mut found = scan_folded(bytes);
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        for f in chinese_digit_runs(text) {
            merge(&mut found, f);
        }
    }
    found
}

/// [`scan`] over text whose full-width forms are already folded.
fn scan_folded(bytes: &[u8]) -> Vec<Finding> {
    let mut findings = Vec::new();
    // The runs of the current chain, reused (allocated at the first chain
    // of several runs).
    let mut runs = Vec::new();
    let mut pos = 0;
    while let Some(p) = next_candidate(bytes, pos) {
        if bytes[p] == b'@' {
            match email_at(bytes, p) {
                Some(range) => {
                    // Numbers inside the local part were already reported;
                    // the address covers them.
                    while findings
                        .last()
                        .is_some_and(|f: &Finding| f.range.start >= range.start)
                    {
                        findings.pop();
                    }
                    pos = range.end;
                    findings.push(Finding {
                        kind: IdentifierKind::Email,
                        masked: mask(
                            IdentifierKind::Email,
                            &String::from_utf8_lossy(&bytes[range.clone()]),
                        ),
                        range,
                    });
                }
                None => pos = p + 1,
            }
        } else {
            pos = scan_chain(bytes, p, &mut findings, &mut runs);
        }
    }
    obfuscated_emails(bytes, &mut findings);
    findings
}

/// Top-level domains an address written around an `@` (`zhangsan[at]qq.com`)
/// must end in: with a spelled-out `at` or a `#`, only a known one makes
/// the text an address rather than prose or a URL fragment.
const KNOWN_TLDS: [&[u8]; 18] = [
    b"com", b"cn", b"net", b"org", b"edu", b"gov", b"top", b"vip", b"cc", b"io", b"me", b"info",
    b"biz", b"xyz", b"hk", b"tw", b"mo", b"mil",
];

/// E-mail addresses written so that they are not one (`zhangsan[at]qq.com`,
/// `zhangsan(at)qq(dot)com`, `zhangsan at qq dot com`, `zhangsan#qq.com`,
/// `zhangsan @ qq.com`): a reader puts them back together at once. Pushed
/// in order among `findings`, skipping those inside an address found.
fn obfuscated_emails(bytes: &[u8], findings: &mut Vec<Finding>) {
    // Every form has a `#`, an `@` or the letters `at` (any case): SIMD
    // searches skip the texts with none of them.
    let has = |n: &[u8]| memchr::memmem::find(bytes, n).is_some();
    if memchr::memchr2(b'#', b'@', bytes).is_none()
        && !has(b"at")
        && !has(b"AT")
        && !has(b"At")
        && !has(b"aT")
        && !has(AITE.as_bytes())
        && !has(LITTLE_MOUSE.as_bytes())
    {
        return;
    }
    // Every marker has its `#`, `@` or `at` within its first four bytes
    // (`（at）`: three bytes of bracket first), so only the four positions
    // up to each of those are tried, in order, each once.
    let mut hits: Vec<usize> = memchr::memchr2_iter(b'#', b'@', bytes).collect();
    for pair in [
        &b"at"[..],
        b"At",
        b"aT",
        b"AT",
        AITE.as_bytes(),
        LITTLE_MOUSE.as_bytes(),
    ] {
        hits.extend(memchr::memmem::find_iter(bytes, pair));
    }
    hits.sort_unstable();
    let mut found: Vec<(Range<usize>, String)> = Vec::new();
    let mut p = 0;
    for h in hits {
        for q in h.saturating_sub(3).max(p)..=h {
            p = q + 1;
            if !matches!(
                bytes[q],
                b'#' | b'@' | b'(' | b'[' | b'{' | b' ' | b'\n' | b'*' | 0xE3 | 0xE5 | 0xE8 | 0xEF
            ) {
                continue;
            }
            let Some(after) = at_marker(bytes, q) else {
                continue;
            };
            if let Some((range, value)) = address_around(bytes, q, after, spelled_at(&bytes[q..])) {
                p = range.end;
                found.push((range, value));
                break;
            }
        }
    }
    for (range, value) in found {
        findings.retain(|f| f.range.end <= range.start || f.range.start >= range.end);
        let at = findings.partition_point(|f| f.range.start < range.start);
        findings.insert(
            at,
            Finding {
                kind: IdentifierKind::Email,
                masked: mask(IdentifierKind::Email, &value),
                range,
            },
        );
    }
}

/// Whether the marker at the start of `rest` is `at` spelled out between
/// spaces (or line breaks).
fn spelled_at(rest: &[u8]) -> bool {
    let lead = rest
        .iter()
        .take_while(|&&b| matches!(b, b' ' | b'\n'))
        .count();
    lead > 0
        && rest
            .get(lead..lead + 3)
            .is_some_and(|w| w[..2].eq_ignore_ascii_case(b"at") && matches!(w[2], b' ' | b'\n'))
}

/// `at` said in Chinese (`zhangsan艾特qq.com`, `zhangsan小老鼠qq.com`).
const AITE: &str = "艾特";
const LITTLE_MOUSE: &str = "小老鼠";

/// Where the text after an `@` written another way starts, if one stands
/// at `p`: `#`, `(at)`, `[at]`, `{at}`, `(@)`, `[@]`, `艾特` (any case, spaces
/// around allowed), ` at `, and `@` with spaces or a line break on either
/// side or none (`zhangsan @qq.com`, `zhangsan@qq .com`: the domain is read
/// the lenient way).
fn at_marker(bytes: &[u8], p: usize) -> Option<usize> {
    let gap = |from: usize| {
        bytes[from..]
            .iter()
            .take(3)
            .take_while(|&&b| matches!(b, b' ' | b'\n' | b'*'))
            .count()
    };
    let lead = gap(p);
    let rest = &bytes[p + lead..];
    let is = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
    let len = if (rest.first() == Some(&b'#') && lead == 0) || rest.first() == Some(&b'@') {
        1
    } else if is(b"(at)") || is(b"[at]") || is(b"{at}") || (lead > 0 && is(b"at ")) {
        if rest[0] == b'a' || rest[0] == b'A' {
            2
        } else {
            4
        }
    } else if is(b"(@)") || is(b"[@]") {
        3
    } else if let Some(w) = [
        "（at）",
        "【at】",
        "［at］",
        "〔at〕",
        "「at」",
        "〖at〗",
        "〔@〕",
        LITTLE_MOUSE,
        "（@）",
        "【@】",
        "［@］",
        AITE,
        "［艾特］",
        "【艾特】",
        "（艾特）",
        "(艾特)",
        "[艾特]",
    ]
    .iter()
    .find(|w| is(w.as_bytes()))
    {
        w.len()
    } else {
        return None;
    };
    let after = p + lead + len;
    Some(after + gap(after))
}

/// The address whose `@` is written at `marker..after`: a local part
/// before it, a domain after it with labels joined by `.`, `(dot)`,
/// `[dot]`, ` dot ` or `。`, ending in a [`KNOWN_TLDS`] one.
///
/// With a spelled-out ` at ` (`spelled`), a label must also be joined by a
/// spelled-out dot: "details at qingshan.gov.cn" is prose.
fn address_around(
    bytes: &[u8],
    marker: usize,
    after: usize,
    spelled: bool,
) -> Option<(Range<usize>, String)> {
    let mut end_local = marker;
    while end_local > 0 && matches!(bytes[end_local - 1], b' ' | b'\n' | b'*') {
        end_local -= 1;
    }
    let mut start = end_local;
    while start > 0 && is_local_byte(bytes[start - 1]) {
        start -= 1;
    }
    while start < end_local && matches!(bytes[start], b'.' | b'+' | b'-') {
        start += 1;
    }
    if start == end_local {
        // A name in Chinese before the `@` (`张三@qq.com`).
        start = cjk_before(bytes, end_local, 6);
    }
    let local = &bytes[start..end_local];
    let well_formed = !local.ends_with(b".") && !local.windows(2).any(|w| w == b"..");
    if !well_formed
        || !local
            .iter()
            .any(|b| b.is_ascii_alphanumeric() || *b >= 0x80)
    {
        return None;
    }
    let mut labels: Vec<&[u8]> = Vec::new();
    let mut spelled_dot = false;
    let mut i = after;
    let mut end = after;
    loop {
        let s = i;
        while bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-')
        {
            i += 1;
        }
        if i == s {
            break;
        }
        labels.push(&bytes[s..i]);
        end = i;
        // A dot, with spaces on either side or none: `.`, `。`, `点`,
        // `[.]`, `(.)`, `(dot)`, `[dot]`, ` dot `.
        let lead = bytes[i..]
            .iter()
            .take(2)
            .take_while(|&&b| b == b' ')
            .count();
        let rest = &bytes[i + lead..];
        let is = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
        let written = [
            "。",
            "点",
            "[.]",
            "(.)",
            "（.）",
            "［.］",
            "（dot）",
            "［dot］",
            "【dot】",
            "〔dot〕",
            "「dot」",
        ]
        .iter()
        .find(|w| is(w.as_bytes()));
        let dot = if rest.first() == Some(&b'.') {
            1
        } else if let Some(w) = written {
            // `点` is a dot said, as ` dot ` is.
            spelled_dot |= *w == "点" || w.contains("dot");
            w.len()
        } else if is(b"(dot)") || is(b"[dot]") || is(b"{dot}") || (lead > 0 && is(b"dot ")) {
            spelled_dot = true;
            if rest[0] == b'd' || rest[0] == b'D' {
                3
            } else {
                5
            }
        } else {
            break;
        };
        i += lead + dot;
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    let tld = labels.last()?;
    let known = KNOWN_TLDS.iter().any(|t| tld.eq_ignore_ascii_case(t));
    if labels.len() < 2
        || !known
        || (spelled && !spelled_dot)
        || labels
            .iter()
            .any(|l| l.len() > 63 || l.starts_with(b"-") || l.ends_with(b"-"))
    {
        return None;
    }
    let mut value = String::from_utf8_lossy(local).into_owned();
    value.push('@');
    value.push_str(
        &labels
            .iter()
            .map(|l| String::from_utf8_lossy(l))
            .collect::<Vec<_>>()
            .join("."),
    );
    Some((start..end, value))
}

/// Masks an identifier for messages: never print the full value.
///
/// Resident IDs keep the first 6 and last 4 characters (`110105********002X`,
/// `110105*****1002`), mobiles the first 3 and last 4 (`138****8000`), bank
/// cards the first 4 and last 4 (`6222***********0123`). Separators and a
/// `+86`/`0086` prefix are dropped first. E-mail addresses keep the first
/// character of the local part and the domain (`z***@example.com`). A value
/// too short to keep anything while hiding at least four characters is masked
/// completely.
pub fn mask(kind: IdentifierKind, value: &str) -> String {
    if kind == IdentifierKind::Email {
        return match value.split_once('@') {
            Some((local, domain)) if !local.is_empty() => {
                let first = local.chars().next().unwrap_or('*');
                format!("{first}***@{domain}")
            }
            _ => "***".to_string(),
        };
    }
    let chars: Vec<u8> = value.bytes().filter(u8::is_ascii_alphanumeric).collect();
    let mut chars = chars.as_slice();
    if kind == IdentifierKind::Mobile {
        if chars.len() == 13 && chars.starts_with(b"86") {
            chars = &chars[2..];
        } else if chars.len() == 15 && chars.starts_with(b"0086") {
            chars = &chars[4..];
        }
    }
    mask_plain(kind, chars)
}

/// Computes the GB 11643-1999 (ISO 7064 MOD 11-2) check character for the
/// first 17 digits of a resident ID.
///
/// Returns `b'0'..=b'9'` or `b'X'`, or `None` if `first17` is not exactly 17
/// ASCII digits.
pub fn resident_id_check_digit(first17: &[u8]) -> Option<u8> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    if first17.len() != 17 || !first17.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(CHECK[(sum % 11) as usize])
}

/// Returns whether `digits` passes the Luhn (mod 10) check used by bank
/// cards. `digits` must consist of ASCII digits only (no separators);
/// anything else, including the empty string, is not valid.
pub fn luhn_valid(digits: &str) -> bool {
    luhn_bytes(digits.as_bytes())
}

// ---------------------------------------------------------------------------
// Fast skipping

/// Whether a byte can start a candidate: an ASCII digit or `@`.
#[inline(always)]
fn is_candidate_byte(b: u8) -> bool {
    (b.wrapping_sub(b'0') < 10) | (b == b'@')
}

/// Position of the next ASCII digit or `@` at or after `from`, 16 bytes at
/// a time: a page's figures are often a few bytes apart (a chart's
/// coordinates), so the byte within a block is found from its bit mask.
fn next_candidate(bytes: &[u8], from: usize) -> Option<usize> {
    use wide::u8x16;
    let mut i = from;
    while i + 16 <= bytes.len() {
        let arr: [u8; 16] = bytes[i..i + 16].try_into().expect("16 bytes");
        let v = u8x16::from(arr);
        // b - '0' <= 9, wrapping: a digit.
        let d = v - u8x16::splat(b'0');
        let digit = d.min(u8x16::splat(9)).simd_eq(d);
        let mask = (digit | v.simd_eq(u8x16::splat(b'@'))).to_bitmask();
        if mask != 0 {
            return Some(i + mask.trailing_zeros() as usize);
        }
        i += 16;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|&b| is_candidate_byte(b))
        .map(|p| i + p)
}

// ---------------------------------------------------------------------------
// Number chains

/// The most runs any grouped form spans (`4-4-4-4-3` bank card).
const MAX_GROUPS: usize = 5;

/// The digits of the shortest identifier read (a mobile's 11).
const SHORTEST_IDENTIFIER: usize = 11;

/// The runs read ahead while matching grouped forms: a form's runs, then as
/// many again, to tell whether the runs after it make an identifier of
/// their own (`180 0259 3119 180 0259 3119` is two mobiles, not a row).
const WINDOW: usize = 2 * MAX_GROUPS;

/// One run of digits; `.` between two digits is part of the run.
#[derive(Debug, Clone, Copy, Default)]
struct Group {
    start: usize,
    end: usize,
    /// The run contains `.` between digits or follows `digit.`: a decimal
    /// number, version or address, never an identifier.
    decimal: bool,
}

impl Group {
    fn len(self) -> usize {
        self.end - self.start
    }
}

/// A normalised identifier value (digits, maybe a final `X`), kept on the
/// stack so that rejected candidates cost no allocation.
#[derive(Clone, Copy)]
struct Value {
    buf: [u8; 20],
    len: usize,
}

impl Value {
    fn new() -> Self {
        Value {
            buf: [0; 20],
            len: 0,
        }
    }

    fn from_slice(s: &[u8]) -> Self {
        let mut v = Value::new();
        v.push(s);
        v
    }

    /// Appends `s`; returns `false` (and leaves the value unchanged) if the
    /// result would not fit.
    fn push(&mut self, s: &[u8]) -> bool {
        let Some(dst) = self.buf.get_mut(self.len..self.len + s.len()) else {
            return false;
        };
        dst.copy_from_slice(s);
        self.len += s.len();
        true
    }

    fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// A candidate accepted by the rules, before the boundary check.
struct Hit {
    kind: IdentifierKind,
    range: Range<usize>,
    value: Value,
}

impl Hit {
    fn new(kind: IdentifierKind, range: Range<usize>, value: &[u8]) -> Self {
        Hit {
            kind,
            range,
            value: Value::from_slice(value),
        }
    }

    fn into_finding(self) -> Finding {
        Finding {
            kind: self.kind,
            masked: mask_plain(self.kind, self.value.as_slice()),
            range: self.range,
        }
    }
}

/// The most runs a whole chain is read over.
const MAX_CHAIN: usize = 24;

/// Reads the number chain starting at `start` (an ASCII digit not preceded by
/// one), pushes its findings and returns the position just after it.
///
/// The whole chain is tried first, whatever its grouping (`532622 1985 0715
/// 1231`, `138 12345678`); then the grouped forms run by run, and runs of
/// 18 characters that make a valid resident ID anywhere in the chain.
fn scan_chain(
    bytes: &[u8],
    start: usize,
    out: &mut Vec<Finding>,
    runs: &mut Vec<(Group, u8)>,
) -> usize {
    // Most numbers are one run (`2020`, `16.30`): read without a chain.
    let g = parse_group(bytes, start);
    if separator_after(bytes, g.end).0 == 0 && bytes.get(g.end).is_none_or(|&b| b != b'.') {
        let after_dot = start >= 2 && bytes[start - 1] == b'.' && bytes[start - 2].is_ascii_digit();
        if !after_dot {
            if let Some(hit) = match_single(bytes, g) {
                if boundary_ok(bytes, &hit.range) {
                    out.push(hit.into_finding());
                }
            }
        }
        return g.end;
    }
    let end = read_chain(bytes, start, runs);
    let groups = &runs[..];
    // Amounts, dates and addresses (`16.30`, `2020.04.15`): decimals only.
    if groups.iter().all(|(g, _)| g.decimal) {
        return end;
    }
    if groups.len() > 1 {
        if let Some(hit) = match_whole(bytes, groups) {
            if boundary_ok(bytes, &hit.range) {
                out.push(hit.into_finding());
                return end;
            }
        }
    }
    // Resident IDs anywhere in the chain; the runs between them are read
    // as chains of their own.
    let mut from = 0;
    let mut i = 0;
    while groups.len() > 1 && i < groups.len() {
        if let Some((j, hit)) = id_from(bytes, groups, i) {
            match_runs(bytes, &groups[from..i], out);
            out.push(hit.into_finding());
            from = j + 1;
            i = j + 1;
            continue;
        }
        // A run that is a whole card or ID by itself stands apart too:
        // `130 0000 0000 6200000000000054` is a mobile and a card.
        let (g, _) = groups[i];
        if let Some(hit) = (g.len() >= 16).then(|| match_single(bytes, g)).flatten() {
            match_runs(bytes, &groups[from..i], out);
            out.push(hit.into_finding());
            from = i + 1;
        }
        i += 1;
    }
    match_runs(bytes, &groups[from..], out);
    end
}

/// Matches `runs` (part of a chain, read as a chain of its own): as a
/// whole, else by grouped forms run by run.
fn match_runs(bytes: &[u8], runs: &[(Group, u8)], out: &mut Vec<Finding>) {
    if runs.is_empty() {
        return;
    }
    if runs.len() > 1 {
        if let Some(hit) = match_whole(bytes, runs) {
            if boundary_ok(bytes, &hit.range) {
                out.push(hit.into_finding());
                return;
            }
        }
    }
    let mut groups = [Group::default(); WINDOW];
    // seps[k] joins groups[k] to the following run (0: the part ends there).
    let mut seps = [0u8; WINDOW];
    let mut n = 0;
    let mut next = 0;
    let mut prev_sep = 0u8;
    let mut prev_len = 0usize;
    loop {
        while n < WINDOW && next < runs.len() {
            let (g, sep) = runs[next];
            groups[n] = g;
            // The part ends at its last run.
            seps[n] = if next + 1 == runs.len() { 0 } else { sep };
            n += 1;
            next += 1;
        }
        if n == 0 {
            break;
        }
        let found = out.len();
        let before = Neighbour {
            sep: prev_sep,
            len: prev_len,
        };
        let used = match_at(bytes, &groups[..n], &seps[..n], before, out);
        // A part read as an identifier is no row of figures: the next
        // grouping beside it stays unambiguous (`15653423683 180 0259 3119`).
        prev_sep = if out.len() > found { 0 } else { seps[used - 1] };
        prev_len = groups[used - 1].len();
        groups.copy_within(used..n, 0);
        seps.copy_within(used..n, 0);
        n -= used;
    }
}

/// Reads the chain of runs starting at `start` into `runs` (each run's
/// range and the separator class after it); returns where it ends.
fn read_chain(bytes: &[u8], start: usize, runs: &mut Vec<(Group, u8)>) -> usize {
    runs.clear();
    let mut at = start;
    loop {
        let mut g = parse_group(bytes, at);
        // `digit.digit` with a short run on either side is a decimal number,
        // date, version or address, and `digit:digit` a time of day
        // (`23:12`, `8:30`) or a ratio: neither run is an identifier.
        if let Some((p, sep)) = runs.last_mut() {
            let short = |g: &Group| g.len() < 3;
            match *sep {
                // A time of day or a ratio (`23:12`, `1:10000`): its short
                // runs. A long run beside one is read on its own: an item's
                // number, then a colon and a mobile (`电话1：13912345678`).
                b':' if short(p) || short(&g) => {
                    p.decimal |= short(p);
                    g.decimal |= short(&g);
                }
                // An item's number (`1. 139 1234 5678`, `13800138000. 5月`):
                // no decimal point has a space after it.
                b'.' if bytes[p.end..g.start].contains(&b' ') => p.decimal |= short(p),
                // A decimal, date, version or address (`899.04`,
                // `2020.04.15`): both runs; but no fraction is written as
                // long as an identifier, an item's number is
                // (`1．13912345678`).
                b'.' if short(p) || short(&g) => {
                    p.decimal = true;
                    g.decimal |= g.len() < SHORTEST_IDENTIFIER;
                }
                _ => {}
            }
        } else if start >= 2 && bytes[start - 1] == b'.' && bytes[start - 2].is_ascii_digit() {
            g.decimal = true;
        }
        let (sep, len) = separator_after(bytes, g.end);
        // An item's number in brackets (`（1）139 1234 5678`, `1）`, `[1]`)
        // is no part of what follows: it stands alone.
        let country = g.start > 0 && bytes[g.start - 1] == b'+';
        if runs.is_empty()
            && g.len() <= 2
            && !country
            && sep != 0
            && closing_bracket_at(bytes, g.end)
        {
            runs.push((g, 0));
            return g.end;
        }
        runs.push((g, sep));
        if sep == 0 || runs.len() == MAX_CHAIN {
            // A decimal ending the chain (`5.` then a non-digit) is not one.
            if runs.len() == 1
                && bytes.get(g.end) == Some(&b'.')
                && bytes.get(g.end + 1).is_some_and(u8::is_ascii_digit)
            {
                runs[0].0.decimal = true;
            }
            return g.end;
        }
        at = g.end + len;
    }
}

/// Whether a closing bracket is written at `at`: `)` `]` `}` and their
/// full-width and Chinese forms (`）` `］` `】` `〕` `」` `》` …), and closing
/// quotes.
fn closing_bracket_at(bytes: &[u8], at: usize) -> bool {
    match bytes.get(at..) {
        Some([b')' | b']' | b'}' | b'"', ..]) => true,
        Some([0xe2, 0x80, 0x99 | 0x9d, ..]) => true,
        Some([0xef, 0xbc, 0x89 | 0xbd, ..] | [0xef, 0xbd, 0x9d, ..]) => true,
        Some([0xe3, 0x80, b, ..]) => matches!(b, 0x89 | 0x8b | 0x8d | 0x8f | 0x91 | 0x95 | 0x97),
        Some([0xef, 0xb9, 0x9a | 0x9c | 0x9e, ..]) => true,
        _ => false,
    }
}

/// Whether runs joined by these separators may be one number: none is
/// part of a decimal. A dot or a colon joins only runs of three digits or
/// more on both its sides ([`read_chain`] marks the others as decimals):
/// decimals (`899.04`), dates (`2020.04.15`), IP addresses
/// (`192.168.1.100`), version numbers and times (`23:12`) have a shorter run
/// beside one, so they never join into an identifier; a clerk's dotted
/// grouping (`138.1234.5678`) does.
fn joinable(groups: &[(Group, u8)]) -> bool {
    !groups.iter().any(|(g, _)| g.decimal)
}

/// Card prefixes (BIN) of banks whose cards are refused even when the
/// number fails the Luhn check, since a mistyped card still identifies:
/// UnionPay `62`, and `9558`/`9559` (ICBC and ABC debit cards).
fn strong_bin(d: &[u8]) -> bool {
    (d.starts_with(b"62") && (16..=19).contains(&d.len()))
        || ((d.starts_with(b"9558") || d.starts_with(b"9559")) && (16..=19).contains(&d.len()))
}

/// Weaker prefixes (Visa `4`, Mastercard `51`–`55`, JCB `35`): refused
/// without a valid Luhn check only as one run of 16 digits, since a row of
/// figures (`4500 3200 1800 2000`) can start with them.
fn weak_bin(d: &[u8]) -> bool {
    d.len() == 16
        && (d[0] == b'4' || (d[0] == b'5' && (b'1'..=b'5').contains(&d[1])) || d.starts_with(b"35"))
}

/// A run of a chain: its digits, alone or with the separator after it.
trait Run: Copy {
    fn group(self) -> Group;
}

impl Run for Group {
    fn group(self) -> Group {
        self
    }
}

impl Run for (Group, u8) {
    fn group(self) -> Group {
        self.0
    }
}

/// The chain read as one number, whatever its grouping.
fn match_whole<R: Run>(bytes: &[u8], runs: &[R]) -> Option<Hit> {
    use IdentifierKind::*;
    if runs.len() < 2 || runs.iter().any(|r| r.group().decimal) {
        return None;
    }
    let mut v = Value::new();
    for r in runs {
        let g = r.group();
        if !v.push(&bytes[g.start..g.end]) {
            return None;
        }
    }
    let group = |k: usize| runs[k].group();
    let first = group(0).start;
    let last = group(runs.len() - 1).end;
    let d = v.as_slice();
    if d.len() == 17 && is_x(bytes.get(last)) {
        let mut id = v;
        id.push(&bytes[last..last + 1]);
        if resident_id_valid(id.as_slice()) {
            return Some(Hit::new(ResidentId, first..last + 1, id.as_slice()));
        }
    }
    let range = first..last;
    // Every digit written apart (`1 3 9 1 2 3 4 5 6 7 8`): nothing else
    // is written so, and the rules below still check the digits.
    let one_by_one = runs.iter().all(|r| r.group().len() == 1);
    // The check character set apart (`110105 19491231 002 X`).
    if d.len() == 17 {
        if let Some(x) = x_after_separator(bytes, last) {
            let mut id = v;
            id.push(&bytes[x..x + 1]);
            if resident_id_valid(id.as_slice()) {
                return Some(Hit::new(ResidentId, first..x + 1, id.as_slice()));
            }
        }
    }
    // A country code as a group of its own before a grouping the forms
    // below do not know (`+86 (139) 1234-5678`, `0086 139 1234-5678`).
    let p = &bytes[group(0).start..group(0).end];
    if (p == b"86" || p == b"0086") && runs.len() >= 3 {
        let rest = &runs[1..];
        let mut m = Value::new();
        for r in rest {
            let g = r.group();
            m.push(&bytes[g.start..g.end]);
        }
        let rest_min = rest.iter().map(|r| r.group().len()).min().unwrap_or(0);
        if is_mobile(m.as_slice()) && rest.len() <= 4 && rest_min >= 3 {
            return Some(Hit::new(
                Mobile,
                plus_start(bytes, first)..last,
                m.as_slice(),
            ));
        }
    }
    let min = runs.iter().map(|r| r.group().len()).min().unwrap_or(0);
    let min_but_last = runs[..runs.len() - 1]
        .iter()
        .map(|r| r.group().len())
        .min()
        .unwrap_or(0);
    match d.len() {
        // A mobile's groups have three digits or more (`138 12345678`,
        // `1381 234 5678`): a date's two-digit groups (`1900-01-01`) never
        // join into one.
        11 if is_mobile(d) && ((runs.len() <= 4 && min >= 3) || one_by_one) => {
            Some(Hit::new(Mobile, range, d))
        }
        15 if old_id_valid(d) && old_id_context(bytes, first, last) => {
            Some(Hit::new(ResidentIdOld, range, d))
        }
        18 if resident_id_valid(d) => Some(Hit::new(ResidentId, range, d)),
        // A card's groups have three digits or more; the last may be short
        // (`6222 0212 3456 7890 1`).
        16..=19 if (min_but_last >= 3 || one_by_one) && any_card(d, false) => {
            Some(Hit::new(BankCard, range, d))
        }
        _ => None,
    }
}

/// The resident ID made of the runs from `i` on, if they make a valid one
/// (`0871 532622 1985 0715 1231 2020`, an ID among other figures): a
/// resident ID's check character and birth date make a chance match rare.
/// Returns the index of its last run.
fn id_from(bytes: &[u8], groups: &[(Group, u8)], i: usize) -> Option<(usize, Hit)> {
    let mut v = Value::new();
    for j in i..groups.len() {
        let (g, _) = groups[j];
        if !v.push(&bytes[g.start..g.end]) || v.len > 18 || !joinable(&groups[i..=j]) {
            return None;
        }
        let mut id = v;
        let end = if v.len == 17 && is_x(bytes.get(g.end)) {
            id.push(&bytes[g.end..g.end + 1]);
            g.end + 1
        } else {
            g.end
        };
        if id.len == 18 {
            let range = groups[i].0.start..end;
            let valid = resident_id_valid(id.as_slice()) && boundary_ok(bytes, &range);
            return valid.then(|| {
                (
                    j,
                    Hit::new(IdentifierKind::ResidentId, range, id.as_slice()),
                )
            });
        }
    }
    None
}

fn parse_group(bytes: &[u8], start: usize) -> Group {
    let mut end = start;
    while bytes.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    Group {
        start,
        end,
        decimal: false,
    }
}

/// The separator joining the run ending at `end` to a following run, as
/// its class and length, or `(0, 0)`: one to three of spaces, a line break,
/// hyphens, dots and colons (a reading has every space, dash and dot in
/// these forms). The class is `.` when a dot is in it, else `:` when a
/// colon is, else `-` when a hyphen is, else ` `. Tabs, commas, `/`, `|`
/// and a tag's boundary never join: they separate columns and figures.
///
/// What a reader does not see is not counted: spaces beside a line break
/// (`139   ⏎1234`, a Markdown hard break or an indented line), the `\r` of
/// a Windows line end, and the `\` of a Markdown hard break (`139\⏎1234`).
fn separator_after(bytes: &[u8], end: usize) -> (u8, usize) {
    let mut len = 0;
    let mut chars = 0;
    let mut class = b' ';
    let mut breaks = 0;
    // Spaces counted since the last character seen, and whether a line
    // break came after that character.
    let mut spaces = 0;
    let mut after_break = false;
    let at_line_end = |at: usize| match bytes.get(at) {
        Some(b'\n') => true,
        Some(b'\r') => bytes.get(at + 1) == Some(&b'\n'),
        _ => false,
    };
    while let Some(&b) = bytes.get(end + len) {
        // The same in full width (a reading keeps punctuation no scanner
        // reads as written): `（139）`, `139～1234`, `139：1234`, `139。1234`.
        let seen = if b >= 0x80 {
            // `～ （ ） ＿ ［ ］ 【 】` read like a space, `：` like a colon,
            // `。 ｡` like a dot; anything else (the common case: `193户`)
            // ends the chain.
            let wide = match bytes.get(end + len..end + len + 3) {
                Some([0xef, 0xbc, 0x9a]) => Some(b':'),
                Some([0xe3, 0x80, 0x82] | [0xef, 0xbd, 0xa1]) => Some(b'.'),
                // Brackets and quotes of every kind: `〔139〕`, `「139」`,
                // `《139》`, `“139”`, `｛139｝`.
                Some(
                    [0xef, 0xbd, 0x9e | 0x9b | 0x9d]
                    | [0xef, 0xbc, 0x88 | 0x89 | 0xbf | 0xbb | 0xbd]
                    | [0xe3, 0x80, 0x88..=0x91 | 0x94..=0x97]
                    | [0xef, 0xb9, 0x99..=0x9e]
                    | [0xe2, 0x80, 0x98 | 0x99 | 0x9c | 0x9d],
                ) => Some(b' '),
                _ => None,
            };
            let Some(w) = wide else { break };
            match w {
                b'.' => class = b'.',
                b':' if class != b'.' => class = b':',
                _ => {}
            }
            len += 3;
            true
        } else {
            match b {
                b' ' if after_break => {}
                b' ' => spaces += 1,
                b'\n' => {
                    breaks += 1;
                    chars -= spaces;
                    spaces = 0;
                    after_break = true;
                }
                b'\r' | b'\\' if at_line_end(end + len + 1) => {
                    len += 1;
                    continue;
                }
                b'-' if class == b' ' => class = b'-',
                b'-' => {}
                b'.' => class = b'.',
                // A colon is a time's (`23:12`) unless both runs are long
                // (`139:1234:5678`); `read_chain` tells them apart.
                b':' if class != b'.' => class = b':',
                b':' => {}
                // `139_1234_5678`, `139~1234~5678`, `(139)1234-5678`,
                // `+86 (139) 1234 5678`, and what Markdown leaves in a data
                // file's text (`**139**1234`, `` `139`1234 ``, `139\-1234`):
                // read like a space.
                b'_' | b'~' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'"' | b'*' | b'`'
                | b'\\' => {}
                _ => break,
            }
            len += 1;
            !matches!(b, b' ' | b'\n')
        };
        if seen {
            spaces = 0;
            after_break = false;
        }
        if !(b == b' ' && after_break) {
            chars += 1;
        }
        // Spaces still to be told apart (beside a break or not) wait; a
        // long run of them is a column's gap, not a number's.
        if chars - spaces > 3 || spaces > 8 {
            return (0, 0);
        }
    }
    if chars > 3 {
        return (0, 0);
    }
    let joins = len > 0 && breaks <= 1 && bytes.get(end + len).is_some_and(u8::is_ascii_digit);
    if joins { (class, len) } else { (0, 0) }
}

/// The run just before a grouping: the separator joining it (0: none, or
/// the run was read as an identifier) and its width in digits.
#[derive(Clone, Copy)]
struct Neighbour {
    sep: u8,
    len: usize,
}

/// Matches at `groups[0]`, preferring the longest grouped form; pushes a
/// finding if any and returns how many runs were consumed (at least 1).
fn match_at(
    bytes: &[u8],
    groups: &[Group],
    seps: &[u8],
    before: Neighbour,
    out: &mut Vec<Finding>,
) -> usize {
    for len in (2..=groups.len().min(MAX_GROUPS)).rev() {
        let inner = &seps[..len - 1];
        // A neighbour joined by one of the form's own separators makes the
        // grouping ambiguous (a row of figures, a longer number).
        let joined = |s: u8| s != 0 && inner.contains(&s);
        // Nobody writes a figure with a leading zero (`0259`): such a
        // grouping is no row of figures. It may still be a piece of a longer
        // number grouped evenly (`6222 0212 3456 7890 1234`), which a
        // neighbour as wide as the group it touches suggests.
        let not_figures = groups[..len]
            .iter()
            .any(|g| g.len() > 1 && bytes[g.start] == b'0');
        let ambiguous = |s: u8, neighbour_len: usize, touched: Group| {
            joined(s) && !(not_figures && neighbour_len != touched.len())
        };
        let after_len = groups.get(len).map_or(0, |g| g.len());
        // Unless the neighbour after is an identifier of its own, plain or
        // grouped (`180 0259 3119 15653423683`): two numbers, not one row.
        let own = |k: usize| {
            k < groups.len()
                && (match_single(bytes, groups[k]).is_some()
                    || (2..=MAX_GROUPS).any(|m| {
                        k + m <= groups.len()
                            && match_part(bytes, &groups[k..k + m], &seps[k..k + m - 1]).is_some()
                    }))
        };
        if ambiguous(before.sep, before.len, groups[0])
            || (ambiguous(seps[len - 1], after_len, groups[len - 1]) && !own(len))
        {
            continue;
        }
        if let Some(hit) = match_part(bytes, &groups[..len], inner) {
            if boundary_ok(bytes, &hit.range) {
                out.push(hit.into_finding());
                return len;
            }
        }
    }
    if let Some(hit) = match_single(bytes, groups[0]) {
        if boundary_ok(bytes, &hit.range) {
            out.push(hit.into_finding());
        }
    }
    1
}

/// Runs of a chain read as one identifier: a grouped form, or any grouping
/// the chain alone would be read in (`138 12345678`, `622202 1234567890128`),
/// so an identifier beside another number is read as it is read alone. With
/// mixed separators the runs are no one grouping (`…7890 180` after a card
/// written with hyphens).
fn match_part(bytes: &[u8], groups: &[Group], seps: &[u8]) -> Option<Hit> {
    let one_separator = seps.windows(2).all(|w| w[0] == w[1]);
    match_grouped(bytes, groups, seps)
        .or_else(|| one_separator.then(|| match_whole(bytes, groups)).flatten())
}

/// Grouped forms spanning several runs.
fn match_grouped(bytes: &[u8], groups: &[Group], seps: &[u8]) -> Option<Hit> {
    use IdentifierKind::*;
    if groups.iter().any(|g| g.decimal || g.len() > 11) {
        return None;
    }
    let mut lens = [0usize; MAX_GROUPS];
    for (l, g) in lens.iter_mut().zip(groups) {
        *l = g.len();
    }
    let lens = &lens[..groups.len()];
    let all_same = |s: &[u8]| s.windows(2).all(|w| w[0] == w[1]);
    let digits = |gs: &[Group]| {
        let mut v = Value::new();
        for g in gs {
            v.push(&bytes[g.start..g.end]);
        }
        v
    };
    let first = groups[0];
    let last = groups[groups.len() - 1];
    let prefixed = || {
        let p = &bytes[first.start..first.end];
        p == b"86" || p == b"0086"
    };
    match lens {
        [2 | 4, 11] if prefixed() => {
            let v = digits(&groups[1..]);
            is_mobile(v.as_slice()).then(|| {
                Hit::new(
                    Mobile,
                    plus_start(bytes, first.start)..last.end,
                    v.as_slice(),
                )
            })
        }
        [2 | 4, 3, 4, 4] if prefixed() && all_same(&seps[1..]) => {
            let v = digits(&groups[1..]);
            is_mobile(v.as_slice()).then(|| {
                Hit::new(
                    Mobile,
                    plus_start(bytes, first.start)..last.end,
                    v.as_slice(),
                )
            })
        }
        [3, 4, 4] if all_same(seps) => {
            let v = digits(groups);
            is_mobile(v.as_slice()).then(|| Hit::new(Mobile, first.start..last.end, v.as_slice()))
        }
        [6, 8, 4] if all_same(seps) => {
            let v = digits(groups);
            resident_id_valid(v.as_slice())
                .then(|| Hit::new(ResidentId, first.start..last.end, v.as_slice()))
        }
        [6, 8, 3] if all_same(seps) && is_x(bytes.get(last.end)) => {
            let mut v = digits(groups);
            v.push(&bytes[last.end..last.end + 1]);
            resident_id_valid(v.as_slice())
                .then(|| Hit::new(ResidentId, first.start..last.end + 1, v.as_slice()))
        }
        [4, 4, 4, 4] | [4, 4, 4, 4, 1..=3] if all_same(seps) => {
            let v = digits(groups);
            let d = v.as_slice();
            let range = first.start..last.end;
            if resident_id_valid(d) {
                Some(Hit::new(ResidentId, range, d))
            } else {
                any_card(d, false).then(|| Hit::new(BankCard, range, d))
            }
        }
        _ => None,
    }
}

/// Forms made of a single run of digits.
fn match_single(bytes: &[u8], g: Group) -> Option<Hit> {
    use IdentifierKind::*;
    if g.decimal {
        return None;
    }
    let d = &bytes[g.start..g.end];
    let range = g.start..g.end;
    if d.len() == 17 && is_x(bytes.get(g.end)) {
        let id = &bytes[g.start..g.end + 1];
        if resident_id_valid(id) {
            return Some(Hit::new(ResidentId, g.start..g.end + 1, id));
        }
    }
    // The check character set apart (`11010519491231002 X`).
    if let Some(x) = (d.len() == 17)
        .then(|| x_after_separator(bytes, g.end))
        .flatten()
    {
        let mut id = Value::new();
        id.push(d);
        id.push(&bytes[x..x + 1]);
        if resident_id_valid(id.as_slice()) {
            return Some(Hit::new(ResidentId, g.start..x + 1, id.as_slice()));
        }
    }
    match d.len() {
        11 if is_mobile(d) => Some(Hit::new(Mobile, range, d)),
        13 if d.starts_with(b"86") && is_mobile(&d[2..]) => {
            Some(Hit::new(Mobile, plus_start(bytes, g.start)..g.end, &d[2..]))
        }
        15 if old_id_valid(d) && old_id_context(bytes, g.start, g.end) => {
            Some(Hit::new(ResidentIdOld, range, d))
        }
        15 if d.starts_with(b"0086") && is_mobile(&d[4..]) => {
            Some(Hit::new(Mobile, plus_start(bytes, g.start)..g.end, &d[4..]))
        }
        18 if resident_id_valid(d) => Some(Hit::new(ResidentId, range, d)),
        16..=19 if any_card(d, true) => Some(Hit::new(BankCard, range, d)),
        _ => None,
    }
}

/// A card number: Luhn-valid with a card's first digit, or a bank's prefix
/// ([`strong_bin`], and for one run of digits, [`weak_bin`]) whatever the
/// check; never a unified social credit code.
fn any_card(d: &[u8], one_run: bool) -> bool {
    let credit = d.len() == 18 && credit_code_valid(d);
    !credit && (card_valid(d) || strong_bin(d) || (one_run && weak_bin(d)))
}

/// The position of an `X` check character written apart from the digits
/// before it (`… 0 0 2 X`): one to three spaces or hyphens after `end`.
fn x_after_separator(bytes: &[u8], end: usize) -> Option<usize> {
    let gap = bytes[end..]
        .iter()
        .take(4)
        .take_while(|&&b| matches!(b, b' ' | b'-'))
        .count();
    let x = end + gap;
    let alone = !bytes.get(x + 1).is_some_and(u8::is_ascii_alphanumeric);
    (gap > 0 && gap <= 3 && is_x(bytes.get(x)) && alone).then_some(x)
}

fn is_x(b: Option<&u8>) -> bool {
    matches!(b, Some(b'X' | b'x'))
}

/// Extends a `86…` prefix start over a preceding `+` (not part of a sum).
fn plus_start(bytes: &[u8], start: usize) -> usize {
    let plus = start >= 1 && bytes[start - 1] == b'+';
    let after_digit = start >= 2 && bytes[start - 2].is_ascii_digit();
    if plus && !after_digit {
        start - 1
    } else {
        start
    }
}

/// The characters on both sides of `range` are no ASCII digits, and adjacent
/// ASCII letters do not lead on to digits (hashes, hex strings, codes).
fn boundary_ok(bytes: &[u8], range: &Range<usize>) -> bool {
    side_ok(bytes[..range.start].iter().rev()) && side_ok(bytes[range.end..].iter())
}

fn side_ok<'a>(mut side: impl Iterator<Item = &'a u8>) -> bool {
    match side.next() {
        Some(b) if b.is_ascii_digit() => false,
        Some(b) if b.is_ascii_alphabetic() => {
            for b in side {
                if b.is_ascii_digit() {
                    return false;
                }
                if !b.is_ascii_alphabetic() {
                    break;
                }
            }
            true
        }
        _ => true,
    }
}

// ---------------------------------------------------------------------------
// Rules per kind

fn is_mobile(d: &[u8]) -> bool {
    d.len() == 11
        && d[0] == b'1'
        && (b'3'..=b'9').contains(&d[1])
        && d.iter().all(u8::is_ascii_digit)
}

/// Whether two digits are a province's code (GB/T 2260), the first two of
/// every resident ID: a year (`19`, `20`) or a day (`30`) is none, so a row
/// of dates and figures rarely reads as an ID by chance.
fn province_code(d: &[u8]) -> bool {
    matches!(
        number(&d[..2]),
        11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81..=83
    )
}

/// 18 characters: a province's code, valid birth date 1900–2099, matching
/// check character.
fn resident_id_valid(id: &[u8]) -> bool {
    if id.len() != 18 || !id[..2].iter().all(u8::is_ascii_digit) || !province_code(id) {
        return false;
    }
    let Some(check) = resident_id_check_digit(&id[..17]) else {
        return false;
    };
    let year = number(&id[6..10]);
    (1900..=2099).contains(&year)
        && valid_date(year, number(&id[10..12]), number(&id[12..14]))
        && id[17].to_ascii_uppercase() == check
}

/// 15 digits: a province's code and a valid birth date 19YYMMDD.
fn old_id_valid(d: &[u8]) -> bool {
    d.len() == 15
        && d.iter().all(u8::is_ascii_digit)
        && province_code(d)
        && valid_date(
            1900 + number(&d[6..8]),
            number(&d[8..10]),
            number(&d[10..12]),
        )
}

/// Keywords that make a 15-digit number an old resident ID when they occur
/// in its sentence, its table row or its column's header.
const OLD_ID_KEYWORDS: [&str; 13] = [
    "身份证",
    "身份号",
    "证件号",
    "公民身份",
    "ID",
    "身份證",
    "身分證",
    "證件號",
    "证件号码",
    "id card",
    "Id card",
    "sfz",
    "SFZ",
];

/// [`OLD_ID_KEYWORDS`] as one automaton, built once. Case counts: a page's
/// code and a search index hold `id` keys everywhere.
fn old_id_keywords() -> &'static aho_corasick::AhoCorasick {
    static KEYWORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::new(OLD_ID_KEYWORDS).expect("fixed keyword list")
        });
    &KEYWORDS
}

/// Whether `range` of `text` is a word of its own: no ASCII letter right
/// before or after it, but a plural's `s` (`PAID`, `VALID`, `IDEA` hold no
/// `ID`; `IDs` does).
fn ascii_word_at(text: &[u8], range: Range<usize>) -> bool {
    let letter = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphabetic);
    let before = range.start.checked_sub(1).and_then(|i| text.get(i));
    let mut after = range.end;
    if matches!(text.get(after), Some(b's' | b'S')) {
        after += 1;
    }
    !letter(before) && !letter(text.get(after))
}

/// Whether an ID keyword occurs in the sentence or line of the number at
/// `start..end` (a table row is a line: Markdown, CSV, and HTML rows, which
/// the reading puts on lines of their own), or in the first line of the
/// rows above it in its table (its column's header).
fn old_id_context(bytes: &[u8], start: usize, end: usize) -> bool {
    // A sentence or a table row longer than this is not one a reader takes
    // in at once; the bound keeps each candidate's cost small.
    const LIMIT: usize = 4 * 1024;
    let is_stop = |w: &[u8]| {
        w.starts_with("。".as_bytes())
            || w.starts_with("！".as_bytes())
            || w.starts_with("？".as_bytes())
    };
    // The sentence (or line) around the number.
    let lo = start.saturating_sub(LIMIT);
    let mut from = start;
    while from > lo && bytes[from - 1] != b'\n' && !(from >= 3 && is_stop(&bytes[from - 3..])) {
        from -= 1;
    }
    let hi = (end + LIMIT).min(bytes.len());
    let mut to = end;
    while to < hi && bytes[to] != b'\n' && !is_stop(&bytes[to..]) {
        to += 1;
    }
    // Searched as bytes, all keywords at once: a long line (a search
    // index is one) may hold many 15-digit candidates.
    let has_keyword = |r: &[u8]| {
        old_id_keywords()
            .find_iter(r)
            .any(|m| !r[m.range()].is_ascii() || ascii_word_at(r, m.range()))
    };
    if has_keyword(&bytes[from..to]) {
        return true;
    }
    // The table the line is in: lines with cells, up to the first.
    let is_row = |l: &[u8]| l.iter().any(|&b| matches!(b, b'|' | b',' | b'\t' | 0x01));
    // Lines are looked for within the window only: a page or a search
    // index may be one very long line.
    let line_start = |at: usize| memchr::memrchr(b'\n', &bytes[lo..at]).map_or(lo, |p| lo + p + 1);
    let mut ls = line_start(start);
    let line_end = memchr::memchr(b'\n', &bytes[start..hi]).map_or(hi, |p| start + p);
    if !is_row(&bytes[ls..line_end]) {
        return false;
    }
    while ls > lo {
        let prev_start = line_start(ls - 1);
        let prev = &bytes[prev_start..ls - 1];
        // Empty lines are skipped: the reading puts each HTML row apart.
        if !prev.is_empty() {
            if !is_row(prev) {
                break;
            }
            if has_keyword(prev) {
                return true;
            }
        }
        ls = prev_start;
    }
    false
}

/// 16–19 digits, first digit 3–6 or 9, Luhn-valid, and not an all-digit
/// unified social credit code (统一社会信用代码, 18 characters with its own
/// check character), which organisations publish legitimately.
fn card_valid(d: &[u8]) -> bool {
    (16..=19).contains(&d.len())
        && matches!(d[0], b'3'..=b'6' | b'9')
        && luhn_bytes(d)
        && !(d.len() == 18 && credit_code_valid(d))
}

/// GB 32100-2015 check for an all-digit 18-character unified social credit
/// code.
fn credit_code_valid(d: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    if d.len() != 18 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = d[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(&c, w)| u32::from(c - b'0') * w)
        .sum();
    (31 - sum % 31) % 31 == u32::from(d[17] - b'0')
}

fn luhn_bytes(d: &[u8]) -> bool {
    if d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(k, &c)| {
            let v = u32::from(c - b'0');
            if k % 2 == 1 {
                if v > 4 { v * 2 - 9 } else { v * 2 }
            } else {
                v
            }
        })
        .sum();
    sum % 10 == 0
}

/// Decimal value of a short run of ASCII digits.
fn number(d: &[u8]) -> u32 {
    d.iter().fold(0, |n, &c| n * 10 + u32::from(c - b'0'))
}

fn valid_date(year: u32, month: u32, day: u32) -> bool {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

// ---------------------------------------------------------------------------
// E-mail

/// Where up to `most` CJK ideographs written just before `end` start.
fn cjk_before(bytes: &[u8], end: usize, most: usize) -> usize {
    let mut start = end;
    for _ in 0..most {
        let ideograph = start >= 3
            && (0xe4..=0xe9).contains(&bytes[start - 3])
            && std::str::from_utf8(&bytes[start - 3..start]).is_ok();
        if !ideograph {
            break;
        }
        start -= 3;
    }
    start
}

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Top-level "domains" that are really file extensions (`logo@2x.png`).
const FILE_EXTENSIONS: [&[u8]; 22] = [
    b"png", b"jpg", b"jpeg", b"gif", b"svg", b"webp", b"avif", b"bmp", b"ico", b"tif", b"tiff",
    b"css", b"js", b"mjs", b"map", b"json", b"html", b"htm", b"woff", b"woff2", b"ttf", b"pdf",
];

/// The e-mail address around the `@` at `at`, if there is one.
fn email_at(bytes: &[u8], at: usize) -> Option<Range<usize>> {
    let mut start = at;
    while start > 0 && is_local_byte(bytes[start - 1]) {
        start -= 1;
    }
    // Leading punctuation is not part of the address (`见.abc@…`, `--abc@…`).
    while start < at && matches!(bytes[start], b'.' | b'+' | b'-') {
        start += 1;
    }
    let local = &bytes[start..at];
    if local.is_empty() || local.ends_with(b".") || local.windows(2).any(|w| w == b"..") {
        return None;
    }

    // The domain, with an ideographic full stop between its labels
    // (`qq。com`, also when written as `&#12290;`) read as a dot.
    const STOP: &[u8] = "。".as_bytes();
    let mut end = at + 1;
    let mut read: Vec<u8> = Vec::new();
    let mut ends: Vec<usize> = Vec::new();
    loop {
        match bytes.get(end) {
            Some(&b) if is_domain_byte(b) => {
                read.push(b);
                end += 1;
            }
            _ if bytes[end..].starts_with(STOP)
                && read.last().is_some_and(u8::is_ascii_alphanumeric)
                && bytes.get(end + 3).is_some_and(u8::is_ascii_alphanumeric) =>
            {
                read.push(b'.');
                end += 3;
            }
            _ => break,
        }
        ends.push(end);
    }
    // Trailing punctuation ends the sentence, not the domain.
    while read.last().is_some_and(|b| matches!(b, b'.' | b'-')) {
        read.pop();
        ends.pop();
    }
    let end = ends.last().copied().unwrap_or(at + 1);
    let domain = &read[..];
    if domain.len() > 253 {
        return None;
    }
    let mut labels = 0;
    let mut tld: &[u8] = &[];
    for label in domain.split(|&b| b == b'.') {
        if label.is_empty()
            || label.len() > 63
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
        {
            return None;
        }
        labels += 1;
        tld = label;
    }
    let tld_ok = tld.len() >= 2
        && tld.iter().all(u8::is_ascii_alphabetic)
        && !FILE_EXTENSIONS
            .iter()
            .any(|ext| tld.eq_ignore_ascii_case(ext));
    (labels >= 2 && tld_ok).then_some(start..end)
}

// ---------------------------------------------------------------------------
// Masking

/// Masks a normalised (ASCII) value of a numeric kind.
fn mask_plain(kind: IdentifierKind, value: &[u8]) -> String {
    const MIN_HIDDEN: usize = 4;
    let (head, tail) = kind.kept();
    let n = value.len();
    if n < head + tail + MIN_HIDDEN {
        return "*".repeat(n);
    }
    let mut out = String::with_capacity(n);
    out.extend(
        value[..head]
            .iter()
            .map(|&b| char::from(b.to_ascii_uppercase())),
    );
    out.extend(std::iter::repeat_n('*', n - head - tail));
    out.extend(
        value[n - tail..]
            .iter()
            .map(|&b| char::from(b.to_ascii_uppercase())),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::IdentifierKind::*;
    use super::*;

    /// The kinds and matched substrings found in `text`.
    fn found(text: &str) -> Vec<(IdentifierKind, &str)> {
        scan(text)
            .into_iter()
            .map(|f| (f.kind, &text[f.range]))
            .collect()
    }

    /// Two identifiers written side by side, each plain or grouped, joined by
    /// any separator that joins runs (a space, full-width brackets): both are
    /// found, each at its own place. A grouping beside a number that is an
    /// identifier on its own is not a row of figures.
    #[test]
    fn identifiers_side_by_side_are_each_found_whatever_joins_them() {
        let written = [
            "15653423683",
            "180 0259 3119",
            "180-0259-3119",
            "138 12345678",
            "1381 234 5678",
            "1381234-5678",
            "110000192001010003",
            "110000 19200101 0003",
            "6222 0212 3456 7890 128",
            "6222-0212-3456-7890",
            "622202 1234567890128",
        ];
        let joins = [
            " ", "  ", " ）", "（", "） ", "【", " ～ ", "：", " ： ", "，", "号",
        ];
        for a in written {
            for b in written {
                for join in joins {
                    let text = format!("是{a}{join}{b}是");
                    let at_b = text.len() - "是".len() - b.len();
                    let got: Vec<&str> = found(&text).into_iter().map(|(_, w)| w).collect();
                    assert_eq!(got, vec![a, b], "{text:?} (second at {at_b})");
                }
            }
        }
    }

    /// A grouped identifier with a group written with a leading zero
    /// (`0259`) is no row of figures: beside a number of another width,
    /// joined by the same separator, it is found. The same grouping without
    /// a leading zero beside such a number stays a row of figures.
    #[test]
    fn a_group_with_a_leading_zero_is_no_row_of_figures() {
        // (written with `|` for the separator, has a leading zero)
        let written = [
            ("180|0259|3119", true),
            ("138|0013|8000", true),
            ("139|1234|0567", true),
            ("138|00138000", true),
            ("110000|19200101|0003", true),
            ("6222|0212|3456|7890|128", true),
            ("1380|013|8000", true),
            ("150|1200|1500", false),
            ("187|5230|4600", false),
            ("138|12345678", false),
            ("1381|234|5678", false),
        ];
        let numbers = [
            "1", "7", "12", "90", "100", "365", "2023", "12000", "300000",
        ];
        for (form, zero) in written {
            let widths: Vec<usize> = form.split('|').map(str::len).collect();
            let (first, last) = (widths[0], widths[widths.len() - 1]);
            for sep in [" ", "-", "  "] {
                let id = form.replace('|', sep);
                for n in numbers {
                    let texts = [
                        (format!("是{n}{sep}{id}是"), n.len() != first),
                        (format!("是{id}{sep}{n}是"), n.len() != last),
                        (
                            format!("是{n}{sep}{id}{sep}{n}是"),
                            n.len() != first && n.len() != last,
                        ),
                    ];
                    for (text, other_width) in texts {
                        let got: Vec<&str> = found(&text).into_iter().map(|(_, w)| w).collect();
                        if zero && other_width {
                            // Found alone, or inside a longer identifier.
                            let covered = got.iter().any(|w| w.contains(id.as_str()));
                            assert!(covered, "{text:?} read as {got:?}");
                        } else if !zero {
                            assert!(got.is_empty(), "{text:?} read as {got:?}");
                        }
                    }
                }
            }
        }
    }

    /// Identifiers written the ways the red team of December 2026 found
    /// unread, each as a class: the whole form is generated over every
    /// identifier kind.
    fn red_team_identifiers() -> Vec<(IdentifierKind, Vec<&'static str>)> {
        vec![
            (Mobile, vec!["139", "1234", "5678"]),
            (Mobile, vec!["138", "00138000"]),
            (BankCard, vec!["6222", "0212", "3456", "7890", "128"]),
            (ResidentId, vec!["110105", "19491231", "002X"]),
        ]
    }

    /// An item's number before an identifier, joined by a colon or a dot
    /// (`电话1：13912345678`, `1. 13912345678`, `1．139 1234 5678`): a time's
    /// or a decimal's short run, but the identifier is read on its own.
    #[test]
    fn an_items_number_before_an_identifier_hides_nothing() {
        let before = [
            "1：",
            "电话1：",
            "电话2: ",
            "12：",
            "1:",
            "1. ",
            "12. ",
            "1．",
            "2．",
            "1.　",
            "（1）.",
            "v1. ",
            "共计1. ",
            "3.",
        ];
        // With a dot and no space, `1.139 1234 5678` is a row of figures
        // (1.139, 1234, 5678): only an identifier in one run is read there.
        let decimal_like = |b: &str| b.ends_with('.') || b.ends_with('．');
        for (kind, groups) in red_team_identifiers() {
            for sep in ["", " ", "-"] {
                let id = groups.join(sep);
                for b in before.iter().filter(|b| sep.is_empty() || !decimal_like(b)) {
                    let text = format!("是{b}{id}是");
                    let got = found(&text);
                    assert!(
                        got.iter().any(|(k, w)| *k == kind && *w == id),
                        "{text:?} read as {got:?}"
                    );
                }
            }
        }
        // Times, ratios and decimals stay clean.
        for text in [
            "8:30",
            "23:12:05",
            "1:10000",
            "比例尺1：50000",
            "3.14",
            "0.1380013800",
            "2020.04.15",
        ] {
            assert_clean(text);
        }
    }

    /// A line break inside an identifier the way editors and Markdown
    /// write one: trailing spaces, a Windows line end, a backslash, `<br>`
    /// then the source's own line end, an indented next line.
    #[test]
    fn one_line_break_written_any_way_joins() {
        let breaks = [
            "\n",
            "  \n",
            "   \n",
            "      \n",
            "\r\n",
            "  \r\n",
            " \r\n",
            "\\\n",
            "\\\r\n",
            "<br>\n",
            "<br />\r\n",
            "<br/>  \n",
            "\n    ",
            "  \n  ",
        ];
        for (kind, groups) in red_team_identifiers() {
            for br in breaks {
                for at in 1..groups.len() {
                    let text = format!(
                        "是{}{br}{}是",
                        groups[..at].join(" "),
                        groups[at..].join(" ")
                    );
                    let got = found(&text);
                    assert!(
                        got.iter().any(|(k, _)| *k == kind),
                        "{text:?} read as {got:?}"
                    );
                }
            }
        }
        // Two breaks (a blank line, `<br>` twice) part two numbers; so
        // does a long gap inside a line (a column of aligned text).
        for text in [
            "139\n\n12345678",
            "139<br>\n<br>\n12345678",
            "139 \r\n \r\n12345678",
            "139          12345678",
        ] {
            assert_clean(text);
        }
    }

    /// Separators a reader takes for a dash, a dot or nothing: the ideographic
    /// full stop an input method types for `.`, the minus sign and the long
    /// vowel mark, and what Markdown leaves in a data file's text.
    #[test]
    fn separators_of_other_scripts_and_markdown_join() {
        let seps = [
            "。", "｡", "−", "ー", "﹣", "**", "*", "`", "\\-", "` `", "_",
        ];
        for (kind, groups) in red_team_identifiers() {
            for sep in seps {
                let text = format!("是{}是", groups.join(sep));
                let got = found(&text);
                assert!(
                    got.iter().any(|(k, _)| *k == kind),
                    "{text:?} read as {got:?}"
                );
                let text = format!("是**{}**{}是", groups[0], groups[1..].join(sep));
                let got = found(&text);
                assert!(
                    got.iter().any(|(k, _)| *k == kind),
                    "{text:?} read as {got:?}"
                );
            }
        }
        // A sentence ending in a figure, the next starting with one.
        assert_clean("共139。2020年起");
    }

    /// A resident ID's check character set apart by a space or a hyphen,
    /// whatever the grouping of its 17 digits.
    #[test]
    fn a_check_character_set_apart_is_read() {
        let digits = "11010519491231002";
        for cut in [
            vec![17],
            vec![6, 11],
            vec![6, 8, 3],
            vec![2, 2, 2, 11],
            vec![4, 4, 4, 5],
        ] {
            let mut parts = Vec::new();
            let mut at = 0;
            for n in cut {
                parts.push(&digits[at..at + n]);
                at += n;
            }
            for sep in [" ", "-"] {
                for gap in [" ", "-", "  "] {
                    for x in ["X", "x"] {
                        let text = format!("身份号{}{gap}{x}。", parts.join(sep));
                        let got = found(&text);
                        assert!(
                            got.iter().any(|(k, w)| *k == ResidentId && w.ends_with(x)),
                            "{text:?} read as {got:?}"
                        );
                    }
                }
            }
        }
        // A letter that is a word's, not a check character's.
        assert_clean("11010519491231002 Xian");
    }

    /// English keywords for an old ID are words, not letters inside one.
    #[test]
    fn an_old_id_keyword_is_a_word() {
        let old = "110105491231002";
        for label in [
            "ID",
            "ID:",
            "IDs",
            "(ID)",
            "Id card",
            "sfz:",
            "SFZ ",
            "身份证",
        ] {
            let text = format!("{label} {old}");
            assert_eq!(found(&text), vec![(ResidentIdOld, old)], "{text:?}");
        }
        for label in [
            "PAID",
            "VALID",
            "GRID",
            "IDEA",
            "Order PAID ref",
            "valid card",
            "IDLE",
        ] {
            assert_clean(&format!("{label} {old}"));
        }
    }

    /// A group in brackets or quotes of any kind (`〔139〕12345678`,
    /// `139「1234」5678`), and an item's number in brackets before an
    /// identifier (`（1）139 1234 5678`, `1）`, `[1]`).
    #[test]
    fn brackets_of_every_kind_join_and_item_numbers_stand_alone() {
        let pairs = [
            ("(", ")"),
            ("（", "）"),
            ("[", "]"),
            ("［", "］"),
            ("【", "】"),
            ("〔", "〕"),
            ("﹝", "﹞"),
            ("「", "」"),
            ("『", "』"),
            ("〈", "〉"),
            ("《", "》"),
            ("｛", "｝"),
            ("{", "}"),
            ("〖", "〗"),
            ("﹙", "﹚"),
            ("“", "”"),
            ("\"", "\""),
        ];
        for (kind, groups) in red_team_identifiers() {
            for (open, close) in pairs {
                for at in 0..groups.len() {
                    let mut parts: Vec<String> = groups.iter().map(|g| g.to_string()).collect();
                    parts[at] = format!("{open}{}{close}", groups[at]);
                    let text = format!("是{}是", parts.concat());
                    let got = found(&text);
                    assert!(
                        got.iter().any(|(k, _)| *k == kind),
                        "{text:?} read as {got:?}"
                    );
                }
                for item in ["1", "12"] {
                    for lead in [open, ""] {
                        for gap in ["", " "] {
                            let text = format!("是{lead}{item}{close}{gap}{}是", groups.join(" "));
                            let got = found(&text);
                            assert!(
                                got.iter().any(|(k, _)| *k == kind),
                                "{text:?} read as {got:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    /// A comment inside a number (`139<!-- -->12345678`) is not seen on the
    /// page: the number is read whole, and what the comment holds too.
    #[test]
    fn a_comment_inside_a_number_hides_nothing() {
        for (kind, groups) in red_team_identifiers() {
            for comment in ["<!---->", "<!-- -->", "<!--x-->", "<!-- 备注 -->"] {
                let text = format!("是{}是", groups.join(comment));
                let got = found(&text);
                assert!(
                    got.iter().any(|(k, _)| *k == kind),
                    "{text:?} read as {got:?}"
                );
            }
            let text = format!("<!-- {} -->", groups.join(""));
            assert!(found(&text).iter().any(|(k, _)| *k == kind), "{text:?}");
        }
    }

    /// An address with its `@` or its dots written apart or another way, and
    /// spaces or a line break on one side only, whatever the mix.
    #[test]
    fn an_address_written_apart_is_read_whole() {
        let locals = ["zhangsan", "li.si_88", "张三"];
        let ats = [
            "@",
            " @",
            "@ ",
            " @ ",
            "\n@",
            "@\n",
            "[at]",
            " [at] ",
            "(at)",
            " (at) ",
            "#",
            "艾特",
            "[艾特]",
            " at ",
            "**@**",
            "〔at〕",
            "「at」",
            "小老鼠",
            "（at）",
        ];
        let dots = [
            ".",
            " .",
            ". ",
            "。",
            "点",
            "[.]",
            "(.)",
            " [dot] ",
            "(dot)",
            " dot ",
            "（dot）",
            "〔dot〕",
        ];
        for local in locals {
            for at in ats {
                for dot in dots {
                    let spelled_at = at.trim() == "at";
                    let spelled_dot = ["dot", "点"].iter().any(|d| dot.contains(d));
                    if spelled_at && !spelled_dot {
                        continue; // "details at qingshan.gov.cn" is prose
                    }
                    if local == "张三" && at.trim() == "#" {
                        continue; // a topic tag (`#村务公开`)
                    }
                    let text = format!("邮箱：{local}{at}qq{dot}com，欢迎来信");
                    let got = found(&text);
                    assert!(
                        got.iter().any(|(k, w)| *k == Email && w.contains("qq")),
                        "{text:?} read as {got:?}"
                    );
                }
            }
        }
        for text in [
            "关注@村委会",
            "单价 @ 5.00 元",
            "details at qingshan.gov.cn",
            "see you at 3. com",
            "he is at home.com",
            "微博@青山村 qq.com",
            "@media screen",
            "logo@2x.png",
            "话题#村务公开",
        ] {
            assert_clean(text);
        }
    }

    /// The byte test of the fast path agrees with the reading on every
    /// character, alone and between others.
    #[test]
    fn numbers_side_by_side_are_each_found() {
        // A grouped mobile between runs that are whole numbers themselves.
        for (text, expected) in [
            (
                "130 0000 0000 6200000000000054",
                vec![IdentifierKind::Mobile, IdentifierKind::BankCard],
            ),
            (
                "6200000000000054 130 0000 0000",
                vec![IdentifierKind::BankCard, IdentifierKind::Mobile],
            ),
            ("2020 13812345678", vec![IdentifierKind::Mobile]),
        ] {
            let kinds: Vec<_> = scan(text).into_iter().map(|f| f.kind).collect();
            assert_eq!(kinds, expected, "{text}");
        }
    }

    #[test]
    fn a_number_written_as_a_tag_name_is_read() {
        let text = "蜑磕<p6263 8544 6386 8389g 笟rrJ> z( h寞哈D\n慑=L";
        let found = scan(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, IdentifierKind::BankCard);
    }

    #[test]
    fn the_fast_path_agrees_with_the_reading() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            for s in [c.to_string(), format!("村{c}a")] {
                let same = reading::canonical(&s).text() == s;
                assert_eq!(reading::is_plain(s.as_bytes()), same, "{c:?}");
            }
        }
    }

    fn assert_clean(text: &str) {
        assert_eq!(found(text), vec![], "false alarm in {text:?}");
    }

    /// Appends the resident ID check character to 17 digits.
    fn with_check(first17: &str) -> String {
        let c = resident_id_check_digit(first17.as_bytes()).unwrap();
        format!("{first17}{}", char::from(c))
    }

    /// Appends the Luhn check digit to a payload.
    fn with_luhn(payload: &str) -> String {
        (0..10)
            .map(|c| format!("{payload}{c}"))
            .find(|s| luhn_valid(s))
            .unwrap()
    }

    /// Replaces the last digit, making a Luhn-valid number invalid.
    fn break_luhn(s: &str) -> String {
        let (head, last) = s.split_at(s.len() - 1);
        let d = (last.parse::<u8>().unwrap() + 1) % 10;
        format!("{head}{d}")
    }

    // --- check digits ---------------------------------------------------

    #[test]
    fn check_digit_known_values() {
        // The example from GB 11643-1999 itself.
        assert_eq!(resident_id_check_digit(b"11010519491231002"), Some(b'X'));
        // Computed independently (sum of digit × weight, mod 11, mapped
        // through "10X98765432").
        assert_eq!(resident_id_check_digit(b"44010619900307123"), Some(b'1'));
        assert_eq!(resident_id_check_digit(b"51010019800101001"), Some(b'9'));
        assert_eq!(resident_id_check_digit(b"11010119900307001"), Some(b'1'));
        assert_eq!(resident_id_check_digit(b"1101051949123100"), None);
        assert_eq!(resident_id_check_digit(b"1101051949123100A"), None);
        assert_eq!(resident_id_check_digit(b"110105194912310021"), None);
    }

    #[test]
    fn check_digit_covers_all_residues() {
        // Every remainder 0..=10 maps to its character in "10X98765432".
        let mut seen = std::collections::BTreeSet::new();
        for seq in 0..200 {
            let first17 = format!("11010519491231{seq:03}");
            seen.insert(resident_id_check_digit(first17.as_bytes()).unwrap());
        }
        assert_eq!(seen.len(), 11);
    }

    #[test]
    fn luhn_known_values() {
        assert!(luhn_valid("79927398713"));
        assert!(luhn_valid("4111111111111111"));
        assert!(luhn_valid("6222021234567890128"));
        assert!(!luhn_valid("6222021234567890127"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("4111 1111 1111 1111"));
        assert!(!luhn_valid("411111111111111x"));
    }

    // --- resident ID ----------------------------------------------------

    #[test]
    fn resident_id_caught() {
        let text = "身份证号11010519491231002X，请核对。";
        let f = scan(text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, ResidentId);
        assert_eq!(&text[f[0].range.clone()], "11010519491231002X");
        assert_eq!(f[0].masked, "110105********002X");

        assert_eq!(
            found("身份证号11010519491231002x。"),
            vec![(ResidentId, "11010519491231002x")]
        );
        let id = with_check("44010619900307123");
        assert_eq!(id, "440106199003071231");
        for text in [
            id.clone(),
            format!("张三（{id}）"),
            format!("ID{id}"),
            format!("<td>{id}</td>"),
            format!("id={id}&x=1"),
            format!("证件号码：{id}。"),
        ] {
            assert_eq!(found(&text), vec![(ResidentId, id.as_str())], "{text}");
        }
    }

    #[test]
    fn resident_id_grouped() {
        assert_eq!(
            found("身份证 110105 19491231 002X"),
            vec![(ResidentId, "110105 19491231 002X")]
        );
        let f = scan("440106-19900307-1231");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, ResidentId);
        assert_eq!(f[0].masked, "440106********1231");
    }

    #[test]
    fn resident_id_not_caught() {
        // Wrong check digit (the correct one is X).
        assert_clean("身份证号110105194912310029，");
        assert_clean("11010519491231002Y");
        // Part of a longer run of digits or letters with digits.
        assert_clean("111010519491231002X");
        assert_clean("11010519491231002X1");
        assert_clean("a1b11010519491231002X");
        assert_clean("11010519491231002Xab9");
        // Region digit 0 or 9.
        assert_clean(&with_check("01010519491231002"));
        assert_clean(&with_check("91010519491231002"));
        // Impossible dates, years out of range.
        assert_clean(&with_check("11010519490230002"));
        assert_clean(&with_check("11010519491301002"));
        assert_clean(&with_check("11010519000229002"));
        assert_clean(&with_check("11010518991231002"));
        assert_clean(&with_check("11010521001231002"));
        // Decimal.
        let id = with_check("11010519491231002");
        assert_eq!(found(&format!("3.{id}")), vec![(ResidentId, id.as_str())]);
    }

    #[test]
    fn resident_id_leap_years() {
        assert_eq!(found(&with_check("11010520000229002")).len(), 1);
        assert_eq!(found(&with_check("11010520240229002")).len(), 1);
        assert_clean(&with_check("11010520230229002"));
        assert_clean(&with_check("11010521000229002"));
    }

    #[test]
    fn resident_id_is_not_also_a_card() {
        // Find an ID that is also Luhn-valid and starts with a card digit.
        let id = (0..1000)
            .map(|seq| with_check(&format!("44010619900307{seq:03}")))
            .find(|id| luhn_valid(id))
            .unwrap();
        assert!(card_valid(id.as_bytes()));
        assert_eq!(found(&format!("号码{id}")), vec![(ResidentId, id.as_str())]);
    }

    // --- old 15-digit ID --------------------------------------------------

    #[test]
    fn old_resident_id() {
        let f = scan("身份证号码：110105491231002");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, ResidentIdOld);
        assert_eq!(f[0].masked, "110105*****1002");
        assert_eq!(
            found("ID: 110105491231002"),
            vec![(ResidentIdOld, "110105491231002")]
        );
        assert_eq!(
            found("公民身份号码 110105491231002。"),
            vec![(ResidentIdOld, "110105491231002")]
        );
        // No keyword nearby: a 15-digit figure is not reported.
        assert_clean("注册号110105491231002");
        // A keyword is looked for within 4 KB of the number on its line or
        // in its table, however long the line (a search index is one line):
        // each candidate's cost is bounded.
        let far = format!("身份证{}110105491231002", "材料".repeat(1000));
        assert_clean(&far);
        let near = format!("{}身份证110105491231002", "材料".repeat(100_000));
        assert_eq!(found(&near), vec![(ResidentIdOld, "110105491231002")]);
        let column = format!(
            "{}\n| 身份证 |\n|---|\n| 110105491231002 |",
            "x".repeat(100_000)
        );
        assert_eq!(found(&column), vec![(ResidentIdOld, "110105491231002")]);
        // The keyword anywhere in the sentence is enough (issue 11).
        assert_eq!(
            found("身份证在村委会登记，编号为110105491231002"),
            vec![(ResidentIdOld, "110105491231002")]
        );
        // Invalid date or region.
        assert_clean("身份证：110105491331002");
        assert_clean("身份证：010105491231002");
        assert_clean("身份证：1101054912310021");
    }

    // --- mobile -------------------------------------------------------------

    #[test]
    fn mobile_caught() {
        let f = scan("联系电话13800138000。");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, Mobile);
        assert_eq!(f[0].masked, "138****8000");
        for (text, hit) in [
            ("电话：13800138000", "13800138000"),
            ("Tel13800138000", "13800138000"),
            ("手机 138 0013 8000 张", "138 0013 8000"),
            ("手机138-0013-8000", "138-0013-8000"),
            ("+86 138 0013 8000", "+86 138 0013 8000"),
            ("+86-138-0013-8000", "+86-138-0013-8000"),
            ("+8613800138000", "+8613800138000"),
            ("8613800138000", "8613800138000"),
            ("0086-13800138000", "0086-13800138000"),
            ("008613800138000", "008613800138000"),
            ("(+86)13800138000", "+86)13800138000"),
            ("13800138000-8021", "13800138000"),
            ("2020-03-15 13800138000", "13800138000"),
            ("0871-12345678 19912345678", "19912345678"),
            ("电话13800138000.", "13800138000"),
        ] {
            let f = scan(text);
            assert_eq!(f.len(), 1, "{text}");
            assert_eq!(
                (f[0].kind, &text[f[0].range.clone()]),
                (Mobile, hit),
                "{text}"
            );
            assert_eq!(f[0].masked, mask(Mobile, hit), "{text}");
        }
        assert_eq!(mask(Mobile, "+86 138 0013 8000"), "138****8000");
        assert_eq!(
            found("13800138000,13900139000 15012345678、"),
            vec![
                (Mobile, "13800138000"),
                (Mobile, "13900139000"),
                (Mobile, "15012345678")
            ]
        );
    }

    #[test]
    fn mobile_not_caught() {
        assert_clean("12800138000"); // no such prefix
        assert_clean("10086"); // service number
        assert_clean("138001380001"); // longer run
        assert_clean("113800138000");
        assert_clean("13800138000.5"); // decimal
        // No fraction is written as long as a mobile: `5.` is an item's number.
        assert_eq!(found("5.13800138000"), vec![(Mobile, "13800138000")]);
        assert_clean("0871-12345678"); // landline
        assert_clean("(0871)12345678");
        assert_clean("010-87654321");
        assert_clean("a1b2c13800138000f"); // hash / hex
        assert_clean("0x13800138000");
        assert_clean("1380013800"); // 10 digits
        assert_clean("138 0013 800");
        // Any mix of spaces and hyphens joins the groups (issue 11).
        assert_eq!(found("138 0013-8000"), vec![(Mobile, "138 0013-8000")]);
        assert_clean("150 1200 1500 1800"); // row of figures
        assert_clean("90 150 1200 1500");
        assert_clean("1,380,013,800.00");
    }

    // --- bank card ------------------------------------------------------

    #[test]
    fn bank_card_caught() {
        let card19 = with_luhn("622202123456789012");
        let card16 = with_luhn("436742123456789");
        assert_eq!(card19.len(), 19);
        assert_eq!(card16.len(), 16);
        let f = scan(&format!("卡号：{card19}。"));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, BankCard);
        assert_eq!(f[0].masked, format!("6222***********{}", &card19[15..]));
        assert_eq!(
            found(&format!("Visa{card16}")),
            vec![(BankCard, card16.as_str())]
        );

        let spaced = card19
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>();
        for sep in [" ", "-"] {
            let grouped = spaced.join(sep);
            let text = format!("账号 {grouped} 开户行");
            assert_eq!(found(&text), vec![(BankCard, grouped.as_str())]);
            assert_eq!(scan(&text)[0].masked, mask(BankCard, &card19));
        }
        let grouped16 = card16
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(found(&grouped16), vec![(BankCard, grouped16.as_str())]);
        // Each length from 16 to 19, each allowed first digit.
        for first in ['3', '4', '5', '6', '9'] {
            for len in 16..=19 {
                let card = with_luhn(&format!("{first}{}", &"1234567890123456789"[..len - 2]));
                if len == 18 && credit_code_valid(card.as_bytes()) {
                    continue;
                }
                assert_eq!(found(&card), vec![(BankCard, card.as_str())], "{card}");
            }
        }
    }

    #[test]
    fn bank_card_not_caught() {
        let card = with_luhn("622202123456789012");
        // A mistyped UnionPay card is still a card (issue 11); a number
        // with no bank's prefix that fails Luhn is not.
        assert_eq!(found(&break_luhn(&card)).len(), 1);
        assert_clean(&break_luhn(&with_luhn("312345678901234")));
        // First digit outside 3–6, 9.
        for first in ['1', '2', '7', '8'] {
            assert_clean(&with_luhn(&format!("{first}22202123456789012")));
        }
        // Too short or too long.
        assert_clean(&with_luhn("62220212345678"));
        assert_clean(&with_luhn("62220212345678901234"));
        assert_clean(&format!("1{card}"));
        assert_clean(&format!("{card}.00"));
        // Grouping continued by a fifth full group is something else.
        assert_clean("6222 0212 3456 7890 1234 5678");
    }

    #[test]
    fn credit_code_is_not_a_card() {
        // An all-digit unified social credit code that happens to be Luhn-valid.
        let code = (0..100_000)
            .map(|n| format!("91440101{n:09}"))
            .map(|first17| {
                let sum: u32 = first17
                    .bytes()
                    .zip([
                        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
                    ])
                    .map(|(c, w)| u32::from(c - b'0') * w)
                    .sum();
                (first17, (31 - sum % 31) % 31)
            })
            .filter(|(_, c)| *c < 10)
            .map(|(first17, c)| format!("{first17}{c}"))
            .find(|code| luhn_valid(code))
            .unwrap();
        assert!(credit_code_valid(code.as_bytes()));
        assert_clean(&format!("统一社会信用代码：{code}"));
    }

    // --- email ------------------------------------------------------------

    #[test]
    fn email_caught() {
        let text = "来信请寄zhangsan.li@example.com.cn。";
        let f = scan(text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, Email);
        assert_eq!(&text[f[0].range.clone()], "zhangsan.li@example.com.cn");
        assert_eq!(f[0].masked, "z***@example.com.cn");
        assert_eq!(
            found("mailto:a_b+c@mail-1.163.com."),
            vec![(Email, "a_b+c@mail-1.163.com")]
        );
        // A numeric local part is an address, not also a phone.
        let f = scan("QQ邮箱13800138000@qq.com");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, Email);
        assert_eq!(f[0].masked, "1***@qq.com");
        assert_eq!(
            found("电话13800138000 邮箱x@y.org"),
            vec![(Mobile, "13800138000"), (Email, "x@y.org")]
        );
        assert_eq!(found("<a@b.cn>"), vec![(Email, "a@b.cn")]);
    }

    #[test]
    fn email_not_caught() {
        assert_clean("@media screen");
        assert_clean("关注@村委会");
        assert_clean("user@localhost");
        assert_clean("a@b.c");
        assert_clean("logo@2x.png");
        assert_clean("vue@3.2.0");
        assert_clean("x@-a.com");
        assert_clean("a..b@x.com");
        assert_clean("https://example.com/@user");
    }

    // --- no false alarms ----------------------------------------------------

    #[test]
    fn ordinary_figures_are_clean() {
        for text in [
            "899.04",
            "1,011.00",
            "合计：1,011.00元，其中899.04元为补贴",
            "2020-03-15",
            "2020年3月中旬",
            "2020/03/15 08:30:00",
            "共39979人",
            "监督电话12317",
            "举报电话：0871-12345678",
            "0871-1234567",
            "2024年",
            "1949—2024",
            "3.14159265358979323846",
            "192.168.100.200",
            "123456789012345678901234567890",
            "1234567890123456",
            "| 序号 | 金额 | 日期 |\n|---|---:|---|\n| 1 | 899.04 | 2020-03-15 |",
            "<div class=\"col-12\" style=\"width:100px\"><h2 id=\"s-3\">第3节</h2></div>",
            "# 2023年度村务公开\n\n**总计**：39979元（[附件](a.pdf)）",
            "&#20013;&#25991;",
            "color: #138001;",
        ] {
            assert_clean(text);
        }
    }

    /// Issue 11: groups joined by any mix of separators are one number,
    /// whatever the grouping.
    #[test]
    fn any_grouping_and_any_mix_of_separators_joins() {
        let id = with_check("53262219850715123");
        let (a, b, c, d) = (&id[..6], &id[6..10], &id[10..14], &id[14..]);
        for text in [
            format!("{a} {b} {c} {d}"),
            format!("{a}\u{a0}{b}-{c}\n{d}"),
            format!("{a}.{b}.{c}.{d}"),
            format!("{a} - {b}{c} {d}"),
            format!("{a}—{b}–{c}·{d}"),
        ] {
            let f = found(&text);
            assert_eq!(f.len(), 1, "{text:?}: {f:?}");
            assert_eq!(f[0].0, ResidentId, "{text:?}");
        }
        for text in [
            "138 12345678",
            "1381 234 5678",
            "138\u{a0}1234\u{3000}5678",
            "138.1234.5678",
            "138\n1234 5678",
            "13８－１２３４—5678",
        ] {
            assert_eq!(found(text).len(), 1, "{text:?}");
            assert_eq!(found(text)[0].0, Mobile, "{text:?}");
        }
        let card = with_luhn("622202123456789012");
        for text in [
            format!("{} {}", &card[..6], &card[6..]),
            format!("{}-{}-{}", &card[..3], &card[3..10], &card[10..]),
        ] {
            assert_eq!(found(&text), vec![(BankCard, text.as_str())], "{text:?}");
        }
        // An ID inside a longer chain of groups.
        let text = format!("电话 0871 身份证 {a} {b} {c} {d} 2020");
        assert_eq!(found(&text).len(), 1, "{text}");
        let text = format!("0871 {a} {b} {c} {d} 2020");
        assert_eq!(found(&text), vec![(ResidentId, &text[5..5 + 21])]);
    }

    /// Dots join only runs of three digits or more; two line breaks, commas
    /// and table cells never join.
    #[test]
    fn decimals_dates_addresses_and_columns_do_not_join() {
        for text in [
            "192.168.1.100",
            "10.13.81.234",
            "2020.04.15 2020.12.31",
            "1381234567.8",
            "13,812,345,678 元",
            "138,1234,5678",
            "138\n\n1234 5678",
            "| 138 | 1234 | 5678 |",
            "<td>138</td><td>12345678</td>",
            "<p>138</p>\n<p>1234 5678</p>",
            "4500 3200 1800 2000 元",
            "ISBN 978-7-111-54742-6",
            "①13８",
            // A timetable: a day, a time and the next row's date once read
            // as `232312 19480522 2220`, a valid ID by chance.
            "1900-03-23 23:12\n1948-05-22 22:20 ",
            "1900-03-23 23：12\n1948-05-22 22：20 ",
        ] {
            assert_clean(text);
        }
        assert_eq!(found("139:1234:5678"), vec![(Mobile, "139:1234:5678")]);
    }

    /// A string with a valid check character is no ID unless its first two
    /// digits are a province's code.
    #[test]
    fn an_id_starts_with_a_province_code() {
        for first in 10..=99u32 {
            let id = with_check(&format!("{first}010519491231002"));
            let caught = found(&id).iter().any(|f| f.0 == ResidentId);
            assert_eq!(caught, province_code(id.as_bytes()), "{id}");
        }
    }

    #[test]
    fn mistyped_cards_with_a_bank_prefix_are_cards() {
        let card = with_luhn("622202123456789012");
        let wrong = break_luhn(&card);
        for text in [wrong.clone(), format!("{} {}", &wrong[..4], &wrong[4..])] {
            assert_eq!(found(&text).len(), 1, "{text}");
            assert_eq!(found(&text)[0].0, BankCard);
        }
        // 16 digits starting with 4 that fail Luhn: only as one run.
        let visa = break_luhn(&with_luhn("411111111111111"));
        assert_eq!(found(&visa).len(), 1);
        assert_clean(&format!("{} {} {}", &visa[..6], &visa[6..11], &visa[11..]));
        assert_clean(&format!(
            "{} {} {} {}",
            &visa[..4],
            &visa[4..8],
            &visa[8..12],
            &visa[12..]
        ));
    }

    #[test]
    fn old_ids_by_their_sentence_row_or_column() {
        let old = "110105491231002";
        for text in [
            format!("身份证已核对，编号为{old}。"),
            format!("| 户主 | 证件号码 |\n|--|--|\n| 某某 | {old} |"),
            format!("户主,身份证号\r\n某某,{old}\r\n"),
            format!("<table><tr><th>身份证号</th></tr>\n<tr><td>{old}</td></tr></table>"),
        ] {
            assert_eq!(found(&text).len(), 1, "{text}");
        }
        assert_clean(&format!("身份证已核对。编号为{old}。"));
        assert_clean(&format!("| 项目 | 编码 |\n|--|--|\n| 道路 | {old} |"));
    }

    #[test]
    fn e_mail_in_full_width_and_ideographic_forms() {
        for text in [
            "zhang＠example．com",
            "zhang﹫qq。com",
            "ｚｈａｎｇ＠ｑｑ．ｃｏｍ",
            "zhang&#64;qq.com",
            "mailto:zhang%40qq.com",
        ] {
            let f = scan(text);
            assert_eq!(f.len(), 1, "{text}");
            assert_eq!(f[0].kind, Email, "{text}");
        }
        assert_clean("共5户。com");
    }

    #[test]
    fn masks() {
        assert_eq!(mask(ResidentId, "11010519491231002x"), "110105********002X");
        assert_eq!(mask(ResidentIdOld, "110105491231002"), "110105*****1002");
        assert_eq!(mask(Mobile, "13800138000"), "138****8000");
        assert_eq!(mask(Mobile, "0086-138-0013-8000"), "138****8000");
        assert_eq!(mask(BankCard, "6222 0212 3456 7890"), "6222********7890");
        assert_eq!(mask(Email, "zhangsan@example.com"), "z***@example.com");
        assert_eq!(mask(Email, "no-at-sign"), "***");
        // Too short to keep anything: fully hidden.
        assert_eq!(mask(Mobile, "1380013"), "*******");
        assert_eq!(mask(BankCard, ""), "");
        for kind in IdentifierKind::ALL {
            assert_ne!(mask(kind, "13800138000"), "13800138000");
        }
    }

    #[test]
    fn kind_names() {
        let rules: Vec<_> = IdentifierKind::ALL.iter().map(|k| k.rule_id()).collect();
        assert_eq!(
            rules,
            [
                "privacy.resident-id",
                "privacy.resident-id-15",
                "privacy.mobile",
                "privacy.bank-card",
                "privacy.email"
            ]
        );
        assert_eq!(ResidentId.name_zh(), "身份证号码");
        assert_eq!(ResidentIdOld.name_zh(), "旧版15位身份证号码");
        assert_eq!(Mobile.name_zh(), "手机号码");
        assert_eq!(BankCard.name_zh(), "银行卡号");
        assert_eq!(Email.name_zh(), "电子邮箱");
        assert!(IdentifierKind::ALL.iter().all(|k| !k.name_en().is_empty()));
    }

    #[test]
    fn no_allocation_without_hits() {
        let f = scan("2020年3月中旬，共39979元。899.04");
        assert_eq!(f.capacity(), 0);
    }

    #[test]
    fn findings_are_ordered() {
        let id = "11010519491231002X";
        let text = format!("a@b.cn {id} 13800138000 身份证110105491231002");
        let kinds: Vec<_> = scan(&text).iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [Email, ResidentId, Mobile, ResidentIdOld]);
    }

    // --- properties ---------------------------------------------------------

    mod props {
        use super::*;
        use proptest::prelude::*;

        /// Filler characters: Chinese, ASCII letters, spaces, punctuation.
        /// No digits, `@` or `+`, so the filler itself never holds an
        /// identifier and never extends one.
        fn filler_char() -> impl Strategy<Value = char> {
            prop_oneof![
                4 => proptest::char::range('\u{4e00}', '\u{9fa5}'),
                2 => proptest::char::range('a', 'z'),
                1 => proptest::char::range('A', 'Z'),
                1 => Just(' '),
                2 => proptest::sample::select(vec![
                    '，', '。', '、', '：', '；', '（', '）', '“', '”', '《', '》', '！', '？', '—',
                    ',', '.', ';', ':', '!', '?', '(', ')', '[', ']', '-', '/', '#', '*', '_',
                    '<', '>', '"', '\'', '=', '|', '\n',
                ]),
            ]
        }

        fn filler() -> impl Strategy<Value = String> {
            proptest::collection::vec(filler_char(), 0..40).prop_map(|v| v.into_iter().collect())
        }

        /// Inserts `item` at char position `idx` (modulo length) of `filler`;
        /// returns the text and the byte range of the item.
        fn insert(filler: &str, idx: usize, item: &str) -> (String, Range<usize>) {
            let k = idx % (filler.chars().count() + 1);
            let at = filler
                .char_indices()
                .nth(k)
                .map_or(filler.len(), |(i, _)| i);
            let text = format!("{}{item}{}", &filler[..at], &filler[at..]);
            (text, at..at + item.len())
        }

        fn days_in_month(y: u32, m: u32) -> u32 {
            (28..=31).rev().find(|&d| valid_date(y, m, d)).unwrap()
        }

        /// Every province code an ID may start with.
        fn province() -> impl Strategy<Value = u32> {
            proptest::sample::select(
                (10..=99u32)
                    .filter(|p| province_code(p.to_string().as_bytes()))
                    .collect::<Vec<_>>(),
            )
        }

        /// First 17 digits of an ID with a province code and a valid birth
        /// date.
        fn id17() -> impl Strategy<Value = String> {
            (
                province(),
                0u32..=9_999,
                1900u32..=2099,
                1u32..=12,
                1u32..=31,
                0u32..=999,
            )
                .prop_map(|(first, rest, y, m, d, seq)| {
                    let d = 1 + (d - 1) % days_in_month(y, m);
                    format!("{first}{rest:04}{y:04}{m:02}{d:02}{seq:03}")
                })
        }

        fn valid_id() -> impl Strategy<Value = String> {
            (id17(), any::<bool>()).prop_map(|(s, lower)| {
                let id = with_check(&s);
                if lower { id.to_lowercase() } else { id }
            })
        }

        fn mobile() -> impl Strategy<Value = String> {
            (3u32..=9, 0u64..1_000_000_000).prop_map(|(second, rest)| format!("1{second}{rest:09}"))
        }

        fn write_mobile(m: &str, style: u8) -> String {
            let (a, b, c) = (&m[..3], &m[3..7], &m[7..]);
            match style % 8 {
                0 => m.to_string(),
                1 => format!("{a} {b} {c}"),
                2 => format!("{a}-{b}-{c}"),
                3 => format!("+86 {m}"),
                4 => format!("+86{m}"),
                5 => format!("0086-{m}"),
                6 => format!("+86-{a}-{b}-{c}"),
                _ => format!("86 {a} {b} {c}"),
            }
        }

        fn card() -> impl Strategy<Value = String> {
            (any::<bool>(), proptest::collection::vec(0u8..10, 17)).prop_map(|(long, digits)| {
                let body_len = if long { 16 } else { 13 };
                let body: String = digits[..body_len]
                    .iter()
                    .map(|d| char::from(b'0' + d))
                    .collect();
                with_luhn(&format!("62{body}"))
            })
        }

        fn write_card(c: &str, style: u8) -> String {
            let groups: Vec<&str> = c
                .as_bytes()
                .chunks(4)
                .map(|g| std::str::from_utf8(g).unwrap())
                .collect();
            match style % 3 {
                0 => c.to_string(),
                1 => groups.join(" "),
                _ => groups.join("-"),
            }
        }

        fn assert_single(text: &str, kind: IdentifierKind, range: Range<usize>, masked: String) {
            let f = scan(text);
            assert_eq!(
                f,
                vec![Finding {
                    kind,
                    range,
                    masked
                }],
                "text: {text:?}"
            );
        }

        proptest! {
            #[test]
            fn inserted_resident_ids_are_found(f in filler(), idx in any::<usize>(), id in valid_id()) {
                let (text, range) = insert(&f, idx, &id);
                assert_single(&text, ResidentId, range, mask(ResidentId, &id));
            }

            #[test]
            fn inserted_mobiles_are_found(
                f in filler(), idx in any::<usize>(), m in mobile(), style in any::<u8>(),
            ) {
                let written = write_mobile(&m, style);
                let (text, range) = insert(&f, idx, &written);
                assert_single(&text, Mobile, range, mask(Mobile, &m));
            }

            #[test]
            fn inserted_cards_are_found(
                f in filler(), idx in any::<usize>(), c in card(), style in any::<u8>(),
            ) {
                let written = write_card(&c, style);
                let (text, range) = insert(&f, idx, &written);
                assert_single(&text, BankCard, range, mask(BankCard, &c));
            }

            #[test]
            fn wrong_check_digit_is_not_an_id(
                f in filler(), idx in any::<usize>(), s in id17(), pick in 0usize..10,
            ) {
                let right = resident_id_check_digit(s.as_bytes()).unwrap();
                let wrong: Vec<u8> = b"0123456789X".iter().copied().filter(|&c| c != right).collect();
                let id = format!("{s}{}", char::from(wrong[pick]));
                let (text, _) = insert(&f, idx, &id);
                let found = scan(&text);
                // Provinces 3x–6x start like a card: an 18-digit number
                // there may still be refused as a mistyped card.
                if s.starts_with(['1', '2']) {
                    prop_assert_eq!(found, vec![], "text: {:?}", text);
                } else {
                    prop_assert!(found.iter().all(|f| f.kind == BankCard), "text: {:?}", text);
                }
            }

            #[test]
            fn money_and_dates_are_clean(
                items in proptest::collection::vec(
                    prop_oneof![
                        "[0-9]{1,5}\\.[0-9]{2}",
                        "[1-9][0-9]{0,2}(,[0-9]{3}){0,3}\\.[0-9]{2}",
                        (1900u32..2100, 1u32..=12, 1u32..=28, 0u8..6).prop_map(|(y, m, d, style)| {
                            match style {
                                0 => format!("{y}-{m:02}-{d:02}"),
                                1 => format!("{y}年{m}月{d}日"),
                                2 => format!("{y}/{m:02}/{d:02}"),
                                3 => format!("{y}.{m:02}.{d:02}"),
                                4 => format!("{y}-{m:02}-{d:02} {:02}:{:02}", d % 24, m * 4),
                                _ => format!("{y}年{m}月中旬"),
                            }
                        }),
                        (0u32..24, 0u32..60, 0u32..60, 0u8..3).prop_map(|(h, m, s, style)| {
                            match style {
                                0 => format!("{h:02}:{m:02}"),
                                1 => format!("{h}:{m:02}:{s:02}"),
                                _ => format!("{h}:{m:02}-{}:{s:02}", (h + 2) % 24),
                            }
                        }),
                    ],
                    1..8,
                ),
                seps in proptest::collection::vec(
                    proptest::sample::select(vec![" ", "，", "元", "；", "、", "\n", " | ", "至", "~"]),
                    8,
                ),
            ) {
                let mut text = String::new();
                for (item, sep) in items.iter().zip(&seps) {
                    text.push_str(item);
                    text.push_str(sep);
                }
                prop_assert_eq!(scan(&text), vec![], "text: {:?}", text);
            }

            /// The first look at a text leaves out attribute values that
            /// hold no digit, address mark or decodable byte; it must find
            /// something exactly when the full reading does.
            #[test]
            fn leaving_out_plain_attributes_changes_no_finding(
                parts in proptest::collection::vec(
                    proptest::sample::select(vec![
                        "<a href=\"", "<span class='", "<p title=", "<td data-x=\"", "</a>", "<br>",
                        "\">", "'>", ">", "\"", "'", " ", "\n", "村", "zhangsan", " at ", "at ",
                        "qq", " dot ", ".com", "com", "#", "@", "(at)", "[dot]", "．", "１",
                        "13800138000", "138", "1234", "5678", "一三八", "site-header", "&#49;",
                        "%31", "\\31 ", "x", "-", "ID", "id card", "身份证", "110105491231002",
                        "|", ",", "\n\n", "</td>", "<tr>", "<!x ", "。",
                    ]),
                    0..32,
                ),
            ) {
                let text: String = parts.concat();
                let found = |t: &str| {
                    !scan_folded(t.as_bytes()).is_empty() || !chinese_digit_runs(t).is_empty()
                };
                let quick = reading::canonical_text(&text);
                let full = reading::canonical(&text);
                prop_assert_eq!(found(&quick), found(full.text()), "text: {:?}", text);
            }

            #[test]
            fn findings_are_well_formed(
                parts in proptest::collection::vec(
                    prop_oneof![
                        "[0-9]{1,20}",
                        "[ .\\-+@xX]",
                        "[a-z]{1,3}",
                        "[身份证号码中文，。]{1,3}",
                        Just("13800138000".to_string()),
                        Just("11010519491231002X".to_string()),
                        Just("a@b.cn".to_string()),
                    ],
                    0..30,
                ),
            ) {
                let text: String = parts.concat();
                let findings = scan(&text);
                for w in findings.windows(2) {
                    prop_assert!(w[0].range.start < w[1].range.start);
                }
                for f in &findings {
                    prop_assert!(text.is_char_boundary(f.range.start));
                    prop_assert!(text.is_char_boundary(f.range.end));
                    prop_assert!(f.range.start < f.range.end);
                    prop_assert!(f.masked.contains('*'));
                    prop_assert_ne!(&f.masked, &text[f.range.clone()]);
                }
            }
        }
    }
}
