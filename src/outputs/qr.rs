//! An SVG QR code per page, for posters in the branch's offline rooms. The
//! path merges each row's dark runs, so a code is a few kilobytes.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode};

/// Quiet zone around the code, in modules (the standard asks for 4).
const QUIET: usize = 4;

/// The SVG for `text`. Text too long for a QR code gives an empty-looking
/// but valid SVG rather than a failed build (URLs are far below the limit).
pub fn svg(text: &str) -> String {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L));
    let (width, colors) = match code {
        Ok(c) => (c.width(), c.to_colors()),
        Err(_) => (21, vec![Color::Light; 21 * 21]),
    };
    let size = width + 2 * QUIET;
    let mut d = String::with_capacity(width * width);
    for y in 0..width {
        let row = &colors[y * width..(y + 1) * width];
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let _ = write!(
                    d,
                    "M{} {}h{}v1h-{}z",
                    start + QUIET,
                    y + QUIET,
                    x - start,
                    x - start
                );
            } else {
                x += 1;
            }
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\">\
<rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{d}\"/></svg>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_and_decodable_shape() {
        let url = "https://www.example.edu.cn/dangjian/zhibu1/lessons/dang-zhang-xue-xi-01/";
        let s = svg(url);
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
        assert!(s.len() < 6000, "{} bytes", s.len());
        // the three finder patterns start at the quiet-zone corner
        assert!(s.contains("M4 4h7v1h-7z"), "{s}");
        // the module count matches the code's width
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
        let n = code.width() + 8;
        assert!(s.contains(&format!("viewBox=\"0 0 {n} {n}\"")));
        let dark = code
            .to_colors()
            .iter()
            .filter(|c| **c == Color::Dark)
            .count();
        let d = s.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let drawn: usize = d
            .split('h')
            .skip(1)
            .step_by(2)
            .map(|seg| seg.split('v').next().unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(dark, drawn);
    }
}
