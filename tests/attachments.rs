//! Attachments (issue 14, item 6): `static/` is copied to the site with
//! checked links; JPEG and PNG metadata (EXIF GPS, camera, text chunks) is
//! stripped; the text of PDFs goes through the privacy gate; large files are
//! reported. Images and PDFs are generated here, byte by byte and with lopdf.

mod common;

use common::{Portal, Site};
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};
use proptest::prelude::*;

// ---------- generated JPEG ----------

fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
    let mut v = vec![0xFF, marker];
    v.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
    v.extend_from_slice(data);
    v
}

/// An EXIF block (little-endian TIFF) with a GPS IFD: latitude, longitude,
/// the camera's make and model.
fn exif_with_gps(secret: &str) -> Vec<u8> {
    let mut v = b"Exif\0\0II*\0\x08\0\0\0".to_vec();
    // IFD0: two entries, Make (ASCII) and GPSInfo (pointer).
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&[0x0F, 0x01, 2, 0]);
    v.extend_from_slice(&(secret.len() as u32 + 1).to_le_bytes());
    v.extend_from_slice(&50u32.to_le_bytes());
    v.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0]);
    v.extend_from_slice(&80u32.to_le_bytes());
    v.extend_from_slice(&0u32.to_le_bytes());
    while v.len() < 6 + 50 {
        v.push(0);
    }
    v.extend_from_slice(secret.as_bytes());
    v.push(0);
    while v.len() < 6 + 80 {
        v.push(0);
    }
    // GPS IFD: GPSLatitudeRef 'N', GPSLatitude 25/1 4/1 0/1.
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&[1, 0, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    v.extend_from_slice(&[2, 0, 5, 0, 3, 0, 0, 0]);
    v.extend_from_slice(&120u32.to_le_bytes());
    v.extend_from_slice(&0u32.to_le_bytes());
    while v.len() < 6 + 120 {
        v.push(0);
    }
    for (n, d) in [(25u32, 1u32), (4, 1), (0, 1)] {
        v.extend_from_slice(&n.to_le_bytes());
        v.extend_from_slice(&d.to_le_bytes());
    }
    v
}

/// A JPEG's parts: the segments a reader needs and those carrying metadata.
#[derive(Debug, Clone)]
enum Part {
    Keep(u8, Vec<u8>),
    Drop(u8, Vec<u8>),
}

fn jpeg_of(parts: &[Part], scan: &[u8], trailer: &[u8]) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8];
    for p in parts {
        let (Part::Keep(m, d) | Part::Drop(m, d)) = p;
        v.extend(segment(*m, d));
    }
    v.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
    v.extend_from_slice(scan);
    v.extend_from_slice(&[0xFF, 0xD9]);
    v.extend_from_slice(trailer);
    v
}

/// Entropy-coded bytes as an encoder writes them: 0xFF stuffed as FF 00,
/// restart markers FF D0–D7 between intervals.
fn scan_data() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..300).prop_map(|raw| {
        let mut out = Vec::new();
        for (i, b) in raw.into_iter().enumerate() {
            out.push(b);
            if b == 0xFF {
                out.push(0x00);
            }
            if i % 97 == 96 {
                out.extend_from_slice(&[0xFF, 0xD0 + (i / 97 % 8) as u8]);
            }
        }
        out
    })
}

fn jpeg_parts() -> impl Strategy<Value = Vec<Part>> {
    let secret = "[a-z]{4}".prop_map(|s| format!("SECRET-{s}"));
    let part = prop_oneof![
        secret
            .clone()
            .prop_map(|s| Part::Drop(0xE1, exif_with_gps(&s))),
        secret.clone().prop_map(|s| Part::Drop(
            0xE1,
            format!("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>{s}</x:xmpmeta>").into_bytes()
        )),
        secret
            .clone()
            .prop_map(|s| Part::Drop(0xED, format!("Photoshop 3.0\0{s}").into_bytes())),
        secret
            .clone()
            .prop_map(|s| Part::Drop(0xFE, s.into_bytes())),
        (0xE3u8..=0xEC, secret).prop_map(|(m, s)| Part::Drop(m, s.into_bytes())),
        Just(Part::Keep(
            0xE0,
            b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0".to_vec()
        )),
        Just(Part::Keep(0xDB, vec![0; 65])),
        Just(Part::Keep(
            0xC4,
            vec![
                0, 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3
            ]
        )),
        Just(Part::Keep(0xC0, vec![8, 0, 4, 0, 4, 1, 1, 0x11, 0])),
        Just(Part::Keep(0xEE, b"Adobe\0\x64\0\0\0\0\x01".to_vec())),
    ];
    prop::collection::vec(part, 1..8)
}

// ---------- generated PNG ----------

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut v = (data.len() as u32).to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(data);
    let mut c = kind.to_vec();
    c.extend_from_slice(data);
    v.extend_from_slice(&crc32(&c).to_be_bytes());
    v
}

/// A 1×1 grey PNG with `extra` chunks after IHDR.
fn png_with(extra: &[Vec<u8>], idat: &[u8]) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
    for c in extra {
        v.extend_from_slice(c);
    }
    v.extend(chunk(b"IDAT", idat));
    v.extend(chunk(b"IEND", b""));
    v
}

/// Chunks that carry metadata: text, EXIF, time, a private one.
const DROPPED_PNG_CHUNKS: &[[u8; 4]] =
    &[*b"tEXt", *b"zTXt", *b"iTXt", *b"eXIf", *b"tIME", *b"prVt"];

/// zlib stream of one filtered row of a 1×1 grey image (stored, uncompressed).
const IDAT_1X1: &[u8] = &[
    0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF, 0x00, 0x80, 0x00, 0x81, 0x00, 0x81,
];

// ---------- generated PDF ----------

/// A one-page PDF showing `lines` in Courier, with `author` in its info.
fn pdf(lines: &[&str], author: Option<&str>) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Courier",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 12.into()]),
        Operation::new("Td", vec![72.into(), 760.into()]),
    ];
    for line in lines {
        ops.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
        ops.push(Operation::new("Td", vec![0.into(), (-16).into()]));
    }
    ops.push(Operation::new("ET", vec![]));
    let content = Content { operations: ops };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    if let Some(a) = author {
        let info = doc.add_object(dictionary! { "Author" => Object::string_literal(a) });
        doc.trailer.set("Info", info);
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Valid resident ID numbers (GB 11643 check character) of people born in 1949–1999.
fn resident_id() -> impl Strategy<Value = String> {
    (1949u32..2000, 1u32..13, 1u32..29, 0u32..1000).prop_map(|(y, m, d, seq)| {
        let body = format!("110105{y:04}{m:02}{d:02}{seq:03}");
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = body
            .bytes()
            .zip(weights)
            .map(|(b, w)| (b - b'0') as u32 * w)
            .sum();
        let check = b"10X98765432"[(sum % 11) as usize] as char;
        format!("{body}{check}")
    })
}

fn decode(url: &str) -> String {
    percent_encoding::percent_decode_str(url)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

fn portal() -> Portal {
    Portal::from_fixture("minimal")
}

/// Appends a paragraph to the minimal fixture's plan.
fn link_from_plan(portal: &Portal, markdown: &str) {
    let plan = portal.read("content/plans/work-plan-2020.md");
    portal.write(
        "content/plans/work-plan-2020.md",
        format!("{plan}\n{markdown}\n"),
    );
}

#[test]
fn static_files_are_copied_and_links_to_them_work_from_any_page() {
    let portal = portal();
    portal.write("static/photos/公示栏.png", png_with(&[], IDAT_1X1));
    portal.write("static/批复.pdf", pdf(&["Approved: road 1.2 km"], None));
    link_from_plan(
        &portal,
        "![公示栏](/static/photos/公示栏.png)\n\n[县里的批复](../../static/批复.pdf) [同一份](/static/%E6%89%B9%E5%A4%8D.pdf)",
    );
    let site = portal.built();
    assert!(site.exists("static/photos/公示栏.png"));
    assert_eq!(
        std::fs::read(site.root.join("static/批复.pdf")).unwrap(),
        std::fs::read(portal.path("static/批复.pdf")).unwrap(),
        "a PDF is published as it is"
    );
    let page = site.page("plans/work-plan-2020/index.html");
    let img: Vec<_> = page
        .select("main img")
        .iter()
        .map(|i| decode(i.value().attr("src").unwrap()))
        .collect();
    assert_eq!(img, ["../../static/photos/公示栏.png"]);
    let links: Vec<_> = page
        .select("main a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| h.contains("static"))
        .map(decode)
        .collect();
    assert_eq!(links, ["../../static/批复.pdf", "../../static/批复.pdf"]);
}

#[test]
fn a_link_to_a_missing_attachment_is_a_finding_with_file_and_line() {
    for (link, shown) in [
        (
            "![照片](/static/photos/missing.jpg)",
            "static/photos/missing.jpg",
        ),
        ("[批复](../../static/Missing.PDF)", "static/Missing.PDF"),
        ("[批复](/static/批复.pdf#page=2)", "static/批复.pdf"),
    ] {
        let portal = portal();
        portal.write("static/photos/other.png", png_with(&[], IDAT_1X1));
        link_from_plan(&portal, link);
        let at = portal.locate("content/plans/work-plan-2020.md", link);
        let run = portal.build();
        run.assert_refused()
            .assert_mentions("attachment.link")
            .assert_mentions(&at)
            .assert_mentions(shown);
        assert!(!portal.output().exists(), "nothing written");
    }
}

#[test]
fn only_images_and_pdfs_are_taken_and_broken_ones_are_refused() {
    for (name, bytes, rule) in [
        ("static/表.xlsx", b"PK\x03\x04".to_vec(), "attachment.kind"),
        (
            "static/说明.docx",
            b"PK\x03\x04".to_vec(),
            "attachment.kind",
        ),
        ("static/a.jpg", b"not a jpeg".to_vec(), "attachment.read"),
        (
            "static/b.png",
            png_with(&[], IDAT_1X1)[..40].to_vec(),
            "attachment.read",
        ),
        (
            "static/c.pdf",
            b"%PDF-1.5 nothing".to_vec(),
            "attachment.read",
        ),
    ] {
        let portal = portal();
        portal.write(name, bytes);
        portal
            .build()
            .assert_refused()
            .assert_mentions(rule)
            .assert_mentions(name);
    }
}

#[test]
fn a_pdf_with_an_id_number_in_its_text_or_info_refuses_the_build() {
    let id = "11010519491231002X";
    for (bytes, why) in [
        (
            pdf(&["Household list", &format!("ID {id}")], None),
            "page text",
        ),
        (pdf(&["Road plan"], Some(&format!("clerk {id}"))), "author"),
        (
            pdf(&["contact 139 1234 5678"], None),
            "a mobile number in the text",
        ),
    ] {
        let portal = portal();
        portal.write("static/名单.pdf", bytes);
        let run = portal.build();
        run.assert_refused().assert_mentions("static/名单.pdf");
        assert!(
            run.stderr.contains("privacy.resident-id") || run.stderr.contains("privacy.mobile"),
            "{why}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains(id), "{why}: the number is masked");
        assert!(!portal.output().exists(), "{why}: nothing written");
    }
}

#[test]
fn a_pdf_without_text_and_a_large_file_are_reported() {
    let portal = portal();
    portal.write("static/扫描件.pdf", pdf(&[], None));
    let big: Vec<u8> = IDAT_1X1.iter().copied().cycle().take(3000).collect();
    portal.write(
        "static/大照片.png",
        png_with(
            &[
                chunk(b"pHYs", &[0, 0, 11, 19, 0, 0, 11, 19, 1]),
                chunk(b"zzzz", &big),
            ],
            IDAT_1X1,
        ),
    );
    let toml = portal.read("cunwu.toml");
    portal.write(
        "cunwu.toml",
        format!("{toml}\n[attachments]\nmax_size_kb = 2\n"),
    );
    let run = portal.build();
    run.assert_ok()
        .assert_mentions("warning[attachment.pdf-text]")
        .assert_mentions("static/扫描件.pdf")
        .assert_mentions("warning[attachment.size]")
        .assert_mentions("static/大照片.png");
    let site = Site::at(portal.output());
    assert!(site.exists("static/扫描件.pdf") && site.exists("static/大照片.png"));
}

#[test]
fn a_file_name_with_a_mobile_number_refuses_the_build() {
    let portal = portal();
    portal.write("static/13912345678.png", png_with(&[], IDAT_1X1));
    portal
        .build()
        .assert_refused()
        .assert_mentions("privacy.mobile");
    assert!(!portal.output().exists());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Whatever metadata segments a photo carries and wherever they sit, the
    /// published JPEG has none of them, keeps every segment that draws the
    /// picture in order and the scan data byte for byte, and ends at EOI.
    #[test]
    fn jpeg_metadata_never_reaches_the_site(
        parts in jpeg_parts(),
        scan in scan_data(),
        trailer in prop::collection::vec(any::<u8>(), 0..20),
    ) {
        let portal = portal();
        let jpeg = jpeg_of(&parts, &scan, &trailer);
        portal.write("static/photo.jpg", &jpeg);
        let site = portal.built();
        let out = std::fs::read(site.root.join("static/photo.jpg")).unwrap();
        let kept: Vec<Part> = parts.iter().filter(|p| matches!(p, Part::Keep(..))).cloned().collect();
        prop_assert_eq!(&out, &jpeg_of(&kept, &scan, &[]));
        for w in [&b"SECRET"[..], b"Exif", b"GPS", b"xmpmeta", b"Photoshop"] {
            prop_assert!(!out.windows(w.len()).any(|x| x == w), "{:?} left", String::from_utf8_lossy(w));
        }
    }

    /// PNG text, EXIF and time chunks (and bytes after IEND) never reach the
    /// site; the image chunks do, unchanged.
    #[test]
    fn png_metadata_never_reaches_the_site(
        secrets in prop::collection::vec("[a-z]{3,8}", 1..5),
        kinds in prop::collection::vec(prop::sample::select(DROPPED_PNG_CHUNKS), 1..5),
    ) {
        let portal = portal();
        let extra: Vec<Vec<u8>> = kinds
            .iter()
            .zip(secrets.iter().cycle())
            .map(|(k, s)| chunk(k, format!("GPSLatitude\0SECRET-{s}").as_bytes()))
            .collect();
        let srgb = chunk(b"sRGB", &[0]);
        let mut with = vec![srgb.clone()];
        with.extend(extra);
        let mut png = png_with(&with, IDAT_1X1);
        png.extend_from_slice(b"SECRET trailing");
        portal.write("static/shot.png", &png);
        let site = portal.built();
        let out = std::fs::read(site.root.join("static/shot.png")).unwrap();
        prop_assert_eq!(out, png_with(&[srgb], IDAT_1X1));
    }

    /// Any valid resident ID in a PDF's text refuses the build, masked.
    #[test]
    fn any_id_number_in_a_pdf_refuses_the_build(id in resident_id(), spaced in any::<bool>()) {
        let written = if spaced {
            format!("{} {} {}", &id[..6], &id[6..14], &id[14..])
        } else {
            id.clone()
        };
        let portal = portal();
        portal.write("static/list.pdf", pdf(&["Approval", &format!("No. {written}")], None));
        let run = portal.build();
        run.assert_refused().assert_mentions("privacy.resident-id").assert_mentions("static/list.pdf");
        prop_assert!(!run.stderr.contains(&id));
        prop_assert!(!portal.output().exists());
    }
}
