//! `static/`: the portal's attachments (photos of the notice board, scanned
//! approvals), copied to the site under `static/` as they will be published.
//!
//! - Only JPEG, PNG and PDF files are taken (`attachment.kind`): the formats
//!   whose published content the privacy gate can account for.
//! - Photos lose their metadata before anything else sees them: a JPEG keeps
//!   only the segments that draw the picture (JFIF, Adobe, ICC profile,
//!   tables, frames, scans), so EXIF (GPS position, camera, time), XMP, IPTC
//!   and comments are gone; a PNG keeps only its image and colour chunks, so
//!   text chunks (`tEXt`, `zTXt`, `iTXt`), `eXIf` and `tIME` are gone. Bytes
//!   after the end of the image are dropped. A file that is not a whole
//!   image is refused (`attachment.read`), never copied as it is.
//! - The text of a PDF (every page, and its title, author, subject and
//!   keywords) becomes a source the privacy gate scans like any data file,
//!   so a PDF with an ID number refuses the build, and the finding names
//!   `static/….pdf` and the line of its text. An encrypted PDF is refused; a
//!   PDF without text (a scan) is reported, to be checked by hand.
//! - A file over `[attachments] max_size_kb` is reported (`attachment.size`).
//!
//! Files are listed in sorted order, hidden and private ones skipped like
//! elsewhere; links are not followed.

use std::path::Path;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::messages::{Lang, Msg};
use crate::model::{Attachment, Config};
use crate::rule::RuleId;
use crate::source::{SourceFile, Sources};

/// The folder of the portal (and of the site) that holds attachments.
pub const FOLDER: &str = "static";

/// Extensions taken, lowercased.
pub const EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "pdf"];

/// No attachment larger than this is read at all.
pub const MAX_ATTACHMENT_BYTES: u64 = 64 * 1024 * 1024;

/// What is published of one file, or why it is not.
enum Read {
    Published { bytes: Vec<u8>, text: String },
}

/// One file of `static/` as read: its name, its path, what is published (or
/// the finding that refuses it) and a warning.
type OneFile = (
    String,
    std::path::PathBuf,
    Result<Read, Diagnostic>,
    Option<Diagnostic>,
);

/// Reads `static/` under `root`: the attachments as published, each with a
/// source added to `sources` that holds its text for the privacy gate, and
/// the findings.
pub fn read(
    root: &Path,
    config: &Config,
    sources: &mut Sources,
    lang: Lang,
) -> (Vec<Attachment>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    let base = root.join(FOLDER);
    if !base.is_dir() {
        return (out, diags);
    }
    let private = &config.privacy.private_paths;
    let walker = walkdir::WalkDir::new(&base)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !super::is_ignored(e.file_name().to_string_lossy().as_ref())
                && !super::is_private_path(root, e.path(), private)
        });
    let mut files = Vec::new();
    for e in walker.flatten() {
        if e.file_type().is_dir() {
            continue;
        }
        let rel = e.path().strip_prefix(root).unwrap_or(e.path());
        let name = super::rel_name(rel);
        files.push((
            name,
            e.path().to_path_buf(),
            e.path_is_symlink() || !e.file_type().is_file(),
        ));
    }
    let limit = config.attachments.max_size_kb.saturating_mul(1024);
    let read: Vec<OneFile> = {
        use rayon::prelude::*;
        files
            .into_par_iter()
            .map(|(name, path, special)| {
                let (result, warning) = read_one(&name, &path, special, limit, lang);
                (name, path, result, warning)
            })
            .collect()
    };
    for (name, path, result, warning) in read {
        diags.extend(warning);
        match result {
            Ok(Read::Published { bytes, text }) => {
                let file = sources.add(SourceFile::new(name.clone(), path, Arc::from(text)));
                out.push(Attachment {
                    path: name,
                    bytes: Arc::from(bytes),
                    file,
                });
            }
            Err(d) => diags.push(d),
        }
    }
    (out, diags)
}

fn size_text(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", n.div_ceil(1024))
    }
}

/// One file: what is published (or the finding that refuses it), and a
/// warning (large, or a PDF without text).
fn read_one(
    name: &str,
    path: &Path,
    special: bool,
    limit: u64,
    lang: Lang,
) -> (Result<Read, Diagnostic>, Option<Diagnostic>) {
    let error = |rule: RuleId, msg: Msg| Diagnostic::error(rule, msg.text(lang)).field(name);
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !EXTENSIONS.contains(&ext.as_str()) {
        return (
            Err(error(
                RuleId::AttachmentKind,
                Msg::AttachmentKind { path: name },
            )),
            None,
        );
    }
    if special {
        return (
            Err(error(
                RuleId::AttachmentRead,
                Msg::AttachmentNotRegular { path: name },
            )),
            None,
        );
    }
    let len = std::fs::symlink_metadata(path)
        .map(|m| m.len())
        .unwrap_or(0);
    if len > MAX_ATTACHMENT_BYTES {
        let size = size_text(len);
        return (
            Err(error(
                RuleId::AttachmentSize,
                Msg::AttachmentTooBig {
                    path: name,
                    size: &size,
                },
            )),
            None,
        );
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let reason = e.to_string();
            return (
                Err(error(
                    RuleId::AttachmentRead,
                    Msg::AttachmentUnreadable {
                        path: name,
                        reason: &reason,
                    },
                )),
                None,
            );
        }
    };
    let mut warning = (bytes.len() as u64 > limit).then(|| {
        let (size, max) = (size_text(bytes.len() as u64), size_text(limit));
        Diagnostic::warning(
            RuleId::AttachmentSize,
            Msg::AttachmentTooLarge {
                path: name,
                size: &size,
                limit: &max,
            }
            .text(lang),
        )
        .field(name)
    });
    let not_whole = |format: &str| {
        error(
            RuleId::AttachmentRead,
            Msg::AttachmentNotWhole { path: name, format },
        )
    };
    let result = match ext.as_str() {
        "jpg" | "jpeg" => strip_jpeg(&bytes)
            .map(|bytes| Read::Published {
                bytes,
                text: String::new(),
            })
            .ok_or_else(|| not_whole("JPEG")),
        "png" => strip_png(&bytes)
            .map(|bytes| Read::Published {
                bytes,
                text: String::new(),
            })
            .ok_or_else(|| not_whole("PNG")),
        _ => match pdf_text(&bytes) {
            PdfText::Text(text) => {
                if text.trim().is_empty() {
                    warning.get_or_insert_with(|| {
                        Diagnostic::warning(
                            RuleId::AttachmentPdfText,
                            Msg::AttachmentPdfNoText { path: name }.text(lang),
                        )
                        .field(name)
                    });
                }
                Ok(Read::Published { bytes, text })
            }
            PdfText::Encrypted => Err(error(
                RuleId::AttachmentPdfText,
                Msg::AttachmentPdfLocked { path: name },
            )),
            PdfText::Broken => Err(not_whole("PDF")),
        },
    };
    (result, warning)
}

/// The JPEG `bytes` with every segment but those that draw the picture
/// removed, and nothing after the end of the image; `None` if it is not a
/// whole JPEG.
pub fn strip_jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    loop {
        // A marker: 0xFF, any fill 0xFF bytes, then its code.
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        while *bytes.get(i)? == 0xFF {
            i += 1;
        }
        let marker = bytes[i];
        i += 1;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Some(out);
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                continue;
            }
            0x00 | 0xD8 => return None,
            _ => {}
        }
        let len = u16::from_be_bytes([*bytes.get(i)?, *bytes.get(i + 1)?]) as usize;
        if len < 2 {
            return None;
        }
        let end = i.checked_add(len)?;
        let segment = bytes.get(i..end)?;
        if keep_jpeg_segment(marker, &segment[2..]) {
            out.extend_from_slice(&[0xFF, marker]);
            out.extend_from_slice(segment);
        }
        i = end;
        if marker == 0xDA {
            // Entropy-coded data up to the next marker (not a stuffed 0xFF00
            // nor a restart marker), copied as it is.
            let start = i;
            loop {
                let at = i + memchr::memchr(0xFF, bytes.get(i..)?)?;
                let next = *bytes.get(at + 1)?;
                if next == 0x00 || (0xD0..=0xD7).contains(&next) || next == 0xFF {
                    i = at + if next == 0xFF { 1 } else { 2 };
                    continue;
                }
                i = at;
                break;
            }
            out.extend_from_slice(&bytes[start..i]);
        }
    }
}

/// Whether a JPEG segment is kept: everything but application segments and
/// comments, except JFIF/JFXX (APP0), the ICC profile (APP2) and Adobe's
/// colour transform (APP14), which change how the picture looks.
fn keep_jpeg_segment(marker: u8, data: &[u8]) -> bool {
    match marker {
        0xE0 => data.starts_with(b"JFIF\0") || data.starts_with(b"JFXX\0"),
        0xE2 => data.starts_with(b"ICC_PROFILE\0"),
        0xEE => data.starts_with(b"Adobe"),
        0xE1..=0xEF | 0xFE => false,
        _ => true,
    }
}

/// PNG chunks kept: the image and how its colours are shown. Text, EXIF,
/// time and any private chunk are dropped.
const PNG_KEEP: &[&[u8; 4]] = &[
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
    b"pHYs", b"bKGD", b"hIST", b"acTL", b"fcTL", b"fdAT",
];

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// The PNG `bytes` with only [`PNG_KEEP`] chunks, ending at `IEND`; `None`
/// if it is not a whole PNG.
pub fn strip_png(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(PNG_SIGNATURE) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut i = PNG_SIGNATURE.len();
    let mut first = true;
    loop {
        let len = u32::from_be_bytes(bytes.get(i..i + 4)?.try_into().ok()?) as usize;
        let kind: &[u8; 4] = bytes.get(i + 4..i + 8)?.try_into().ok()?;
        let end = i.checked_add(12)?.checked_add(len)?;
        let chunk = bytes.get(i..end)?;
        if first && kind != b"IHDR" {
            return None;
        }
        first = false;
        if PNG_KEEP.contains(&kind) {
            out.extend_from_slice(chunk);
        }
        i = end;
        if kind == b"IEND" {
            return Some(out);
        }
    }
}

enum PdfText {
    Text(String),
    Encrypted,
    Broken,
}

/// The text of every page of a PDF, and its document information (title,
/// author, subject, keywords, creator), one line each.
fn pdf_text(bytes: &[u8]) -> PdfText {
    // A malformed file must not stop the build: the reader's panics are caught.
    let read = std::panic::catch_unwind(|| {
        let doc = match lopdf::Document::load_mem(bytes) {
            Ok(doc) => doc,
            Err(lopdf::Error::Decryption(_)) => return PdfText::Encrypted,
            Err(_) => return PdfText::Broken,
        };
        if doc.is_encrypted() {
            return PdfText::Encrypted;
        }
        let mut text = String::new();
        if let Ok(info) = doc
            .trailer
            .get(b"Info")
            .and_then(|o| o.as_reference())
            .and_then(|r| doc.get_dictionary(r))
        {
            for key in [
                &b"Title"[..],
                b"Author",
                b"Subject",
                b"Keywords",
                b"Creator",
            ] {
                if let Ok(lopdf::Object::String(s, _)) = info.get(key) {
                    text.push_str(&pdf_string(s));
                    text.push('\n');
                }
            }
        }
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        for n in pages {
            if let Ok(t) = doc.extract_text(&[n]) {
                text.push_str(&t);
                text.push('\n');
            }
        }
        PdfText::Text(text)
    });
    read.unwrap_or(PdfText::Broken)
}

/// A PDF text string: UTF-16BE with its byte-order mark, else bytes as Latin-1.
fn pdf_string(s: &[u8]) -> String {
    if let Some(rest) = s.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        s.iter().map(|&b| b as char).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
        let mut v = vec![0xFF, marker];
        v.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(data);
        v
    }

    #[test]
    fn exif_and_comments_leave_a_jpeg_and_the_picture_stays() {
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        jpeg.extend(segment(0xE1, b"Exif\0\0GPS 25.04N 102.71E"));
        jpeg.extend(segment(0xFE, b"camera owner"));
        jpeg.extend(segment(0xDB, &[0; 65]));
        jpeg.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
        jpeg.extend([0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        jpeg.extend([0xFF, 0xD9]);
        jpeg.extend(b"trailing secrets");
        let out = strip_jpeg(&jpeg).unwrap();
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("GPS") && !text.contains("camera") && !text.contains("secrets"));
        assert!(out.windows(4).any(|w| w == b"JFIF"));
        assert!(out.ends_with(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9]));
        assert_eq!(strip_jpeg(&jpeg[..jpeg.len() - 30]), None, "truncated");
    }
}
