//! QR codes as inline SVG, made at build time (the `qrcode` crate encodes;
//! this file draws), so a printed 公示 links back to its page online.
//!
//! The drawing is one `<path>` of dark runs on a white square with a 4-module
//! quiet zone: each run of dark modules in a row is `M{x} {y}h{n}v1h-{n}z`
//! in module units, so the SVG stays small and sharp at any print size.

use std::fmt::Write;

use qrcode::{Color, EcLevel, QrCode};

use super::charts::esc;

/// Modules of white border around the code, as the standard asks.
pub const QUIET: usize = 4;

/// The QR code of `url` as an SVG, labelled for screen readers; `None` if
/// the text is too long for any QR version.
pub fn svg(url: &str, id: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let n = code.width();
    let colors = code.to_colors();
    let size = n + 2 * QUIET;
    let mut d = String::new();
    for y in 0..n {
        let row = &colors[y * n..(y + 1) * n];
        let mut x = 0;
        while x < n {
            if row[x] == Color::Dark {
                let start = x;
                while x < n && row[x] == Color::Dark {
                    x += 1;
                }
                let run = x - start;
                let _ = write!(d, "M{} {}h{run}v1h-{run}z", start + QUIET, y + QUIET);
            } else {
                x += 1;
            }
        }
    }
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="qr" id="{id}" role="img" aria-labelledby="{id}-t" viewBox="0 0 {size} {size}" width="100%" shape-rendering="crispEdges"><title id="{id}-t">二维码：{}</title><rect width="{size}" height="{size}" fill="#fff"/><path class="modules" fill="#000" d="{d}"/></svg>"##,
        esc(url)
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn draws_a_path_inside_a_quiet_zone() {
        let svg = super::svg("https://example.org/cunwu/programmes/a/index.html", "qr").unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(
            svg.contains(r#"d="M4 4h7v1h-7z"#),
            "the finder pattern's top row: {svg}"
        );
    }
}
