//! An SVG QR code per page, for posters in the branch's offline rooms. The
//! path merges each row's dark runs, so a code is a few kilobytes.
//!
//! The qrcode crate encodes; choosing the mask (the standard's penalty rules)
//! is done here, with the crate's scoring but without its per-module boxed
//! closures, which made it take 0.4 ms a code — seconds on a 10 000-page site.

use qrcode::EcLevel;
use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::types::Color;

/// Quiet zone around the code, in modules (the standard asks for 4).
const QUIET: usize = 4;

const PATTERNS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The standard's eight mask conditions (ISO/IEC 18004 table 10), `x` column, `y` row.
fn mask_bit(p: usize, x: usize, y: usize) -> bool {
    match p {
        0 => (x + y) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (x + y) % 3 == 0,
        4 => (y / 2 + x / 3) % 2 == 0,
        5 => (x * y) % 2 + (x * y) % 3 == 0,
        6 => ((x * y) % 2 + (x * y) % 3) % 2 == 0,
        _ => ((x + y) % 2 + (x * y) % 3) % 2 == 0,
    }
}

/// Rows of up to 64 modules as bits (bit x = column x, set = dark).
type Rows = Vec<u64>;

/// What masking does to a canvas of one version and error level: for each
/// mask, the mask bits, and the finished functional modules (finder,
/// timing, format information …) taken from the qrcode crate.
struct Masks {
    mask: [Rows; 8],
    reference: [Rows; 8],
}

fn masks(version: qrcode::Version, ec: EcLevel, w: usize) -> Masks {
    let mut base = Canvas::new(version, ec);
    base.draw_all_functional_patterns();
    let build = |f: &dyn Fn(usize) -> Rows| -> [Rows; 8] { std::array::from_fn(f) };
    Masks {
        mask: build(&|p| {
            (0..w)
                .map(|y| (0..w).fold(0u64, |r, x| r | (u64::from(mask_bit(p, x, y)) << x)))
                .collect()
        }),
        reference: build(&|p| {
            let mut c = base.clone();
            c.apply_mask(PATTERNS[p]);
            to_rows(
                w,
                &c.into_colors()
                    .into_iter()
                    .map(|m| m == Color::Dark)
                    .collect::<Vec<_>>(),
            )
        }),
    }
}

fn to_rows(w: usize, m: &[bool]) -> Rows {
    (0..w)
        .map(|y| (0..w).fold(0u64, |r, x| r | (u64::from(m[y * w + x]) << x)))
        .collect()
}

fn transpose(w: usize, rows: &[u64]) -> Rows {
    (0..w)
        .map(|x| (0..w).fold(0u64, |c, y| c | (((rows[y] >> x) & 1) << y)))
        .collect()
}

thread_local! {
    static MASKS: std::cell::RefCell<std::collections::HashMap<(i16, u8), std::rc::Rc<Masks>>> = Default::default();
}

/// The modules of the code for `text` (row by row, `true` = dark) and its width.
pub fn matrix(text: &str) -> Option<(usize, Vec<bool>)> {
    let (bits, ec) = [EcLevel::M, EcLevel::L].into_iter().find_map(|ec| {
        qrcode::bits::encode_auto(text.as_bytes(), ec)
            .ok()
            .map(|b| (b, ec))
    })?;
    let version = bits.version();
    let (data, ecc) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec).ok()?;
    let mut canvas = Canvas::new(version, ec);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ecc);
    let w = version.width() as usize;
    if w > 64 {
        // Very long text: the crate's own (slower) path.
        return qrcode::QrCode::with_error_correction_level(text.as_bytes(), ec)
            .ok()
            .map(|c| {
                (
                    w,
                    c.to_colors()
                        .into_iter()
                        .map(|m| m == Color::Dark)
                        .collect(),
                )
            });
    }
    // Data modules and their colours before masking.
    let (mut data_rows, mut color_rows) = (vec![0u64; w], vec![0u64; w]);
    for y in 0..w {
        for x in 0..w {
            if let Module::Unmasked(c) = canvas.get(x as i16, y as i16) {
                data_rows[y] |= 1 << x;
                color_rows[y] |= u64::from(c == Color::Dark) << x;
            }
        }
    }
    let key = (version.width(), ec as u8);
    let m = MASKS.with(|cache| {
        cache
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| std::rc::Rc::new(masks(version, ec, w)))
            .clone()
    });
    let (best, _) = (0..8)
        .map(|p| {
            let rows: Rows = (0..w)
                .map(|y| {
                    (data_rows[y] & (color_rows[y] ^ m.mask[p][y]))
                        | (!data_rows[y] & m.reference[p][y])
                })
                .collect();
            let score = penalty(w, &rows);
            (rows, score)
        })
        // min_by_key keeps the first of equal scores, as the crate does.
        .min_by_key(|(_, score)| *score)?;
    Some((
        w,
        (0..w * w)
            .map(|i| (best[i / w] >> (i % w)) & 1 == 1)
            .collect(),
    ))
}

/// ISO/IEC 18004 mask penalty on bit rows, scored as the qrcode crate does
/// (its constant offset left out: only the order of the eight masks matters).
fn penalty(w: usize, rows: &[u64]) -> i32 {
    let cols = transpose(w, rows);
    let mut score = 0i32;
    for lines in [rows, &cols[..]] {
        for &r in lines {
            // N1: runs of five or more.
            let mut x = 0;
            while x < w {
                let rest = r >> x;
                let len = if rest & 1 == 1 {
                    (!rest).trailing_zeros()
                } else {
                    rest.trailing_zeros()
                } as usize;
                let len = len.min(w - x);
                if len >= 5 {
                    score += len as i32 - 2;
                }
                x += len;
            }
            // N3: 1:1:3:1:1 patterns without four light modules on one side.
            for j in 0..w.saturating_sub(6) {
                if (r >> j) & 0x7F != 0b101_1101 {
                    continue;
                }
                let span = |from: usize, to: usize| -> bool {
                    let to = to.min(w);
                    from < to && (r >> from) & ((1u64 << (to - from)) - 1) != 0
                };
                if !span(j.saturating_sub(4), j) || !span(j + 7, j + 11) {
                    score += 40;
                }
            }
        }
    }
    // N2: 2×2 blocks of one colour.
    let inner = (1u64 << (w - 1)) - 1;
    for y in 0..w - 1 {
        let (a, b) = (rows[y], rows[y + 1]);
        let same = !(a ^ b) & !(a ^ (a >> 1)) & !(b ^ (b >> 1)) & inner;
        score += 3 * same.count_ones() as i32;
    }
    // N4: balance of dark and light.
    let dark: u32 = rows.iter().map(|r| r.count_ones()).sum();
    let ratio = (dark as usize * 200 / (w * w)) as i32;
    score + (ratio - 100).abs()
}

fn push_num(s: &mut String, n: usize) {
    if n >= 10 {
        push_num(s, n / 10);
    }
    s.push(char::from(b'0' + (n % 10) as u8));
}

/// The SVG for `text`. Text too long for a QR code gives an empty but valid
/// SVG rather than a failed build (URLs are far below the limit).
pub fn svg(text: &str) -> String {
    let (width, modules) = matrix(text).unwrap_or((21, vec![false; 21 * 21]));
    let size = width + 2 * QUIET;
    let mut d = String::with_capacity(width * width);
    for y in 0..width {
        let row = &modules[y * width..(y + 1) * width];
        let mut x = 0;
        while x < width {
            if row[x] {
                let start = x;
                while x < width && row[x] {
                    x += 1;
                }
                // M{x} {y}h{n}v1h-{n}z, written without the formatting machinery
                d.push('M');
                push_num(&mut d, start + QUIET);
                d.push(' ');
                push_num(&mut d, y + QUIET);
                d.push('h');
                push_num(&mut d, x - start);
                d.push_str("v1h-");
                push_num(&mut d, x - start);
                d.push('z');
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
    use qrcode::QrCode;

    #[test]
    fn same_code_as_the_qrcode_crate() {
        // lengths from version 2 to version 12 (alignment patterns, version information)
        for i in 0..120 {
            let url = format!(
                "https://www.example.edu.cn/{}/lessons/ke-{i}/",
                "zhibu-".repeat(i % 40)
            );
            let ours = matrix(&url).unwrap();
            let theirs = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
            let theirs: Vec<bool> = theirs
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect();
            assert_eq!(ours.1, theirs, "{url}");
        }
    }

    #[test]
    fn compact_svg() {
        let url = "https://www.example.edu.cn/dangjian/zhibu1/lessons/dang-zhang-xue-xi-01/";
        let s = svg(url);
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
        assert!(s.len() < 6000, "{} bytes", s.len());
        // the finder pattern starts at the quiet-zone corner
        assert!(s.contains("M4 4h7v1h-7z"), "{s}");
        let (w, m) = matrix(url).unwrap();
        assert!(s.contains(&format!("viewBox=\"0 0 {0} {0}\"", w + 8)));
        let d = s.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let drawn: usize = d
            .split('h')
            .skip(1)
            .step_by(2)
            .map(|seg| seg.split('v').next().unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(m.iter().filter(|&&x| x).count(), drawn);
    }
}
