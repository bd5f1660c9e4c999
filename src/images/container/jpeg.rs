//! JPEG markers: `scan` finds the frame size, EXIF and XMP and checks that
//! the file reaches its end marker; `strip` copies the image without APPn
//! metadata segments, comments, or whatever follows the end marker (phones
//! append depth maps, gain maps and maker data there).

use super::{Broken, Meta, be16};

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
const APP14: u8 = 0xEE;
const COM: u8 = 0xFE;
const EXIF: &[u8] = b"Exif\0\0";
const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXT: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";

/// One piece of a JPEG file, as a byte range of it.
enum Piece {
    /// A marker with its segment (`marker`, whole range, payload range).
    Segment(u8, std::ops::Range<usize>, std::ops::Range<usize>),
    /// Entropy-coded data after a start of scan.
    Data(std::ops::Range<usize>),
}

/// Walks the file from SOI to EOI; `visit` sees every piece in order.
fn walk(b: &[u8], mut visit: impl FnMut(Piece) -> Result<(), Broken>) -> Result<(), Broken> {
    if b.len() < 4 || b[0] != 0xFF || b[1] != SOI {
        return Err(Broken::Invalid("不是 JPEG 文件"));
    }
    let mut pos = 2;
    loop {
        // Markers may be preceded by fill bytes; stray bytes between
        // segments are skipped as decoders do.
        while pos < b.len() && b[pos] != 0xFF {
            pos += 1;
        }
        while pos < b.len() && b[pos] == 0xFF {
            pos += 1;
        }
        let Some(&marker) = b.get(pos) else {
            return Err(Broken::Truncated);
        };
        let start = pos - 1;
        pos += 1;
        match marker {
            EOI => return visit(Piece::Segment(EOI, start..pos, pos..pos)),
            0xD0..=0xD7 | 0x01 => visit(Piece::Segment(marker, start..pos, pos..pos))?,
            0x00 | SOI => return Err(Broken::Invalid("JPEG 标记错乱")),
            _ => {
                let len = usize::from(be16(b, pos).ok_or(Broken::Truncated)?);
                if len < 2 {
                    return Err(Broken::Invalid("JPEG 段长度错误"));
                }
                let end = pos + len;
                if end > b.len() {
                    return Err(Broken::Truncated);
                }
                visit(Piece::Segment(marker, start..end, pos + 2..end))?;
                pos = end;
                if marker == SOS {
                    let data = pos;
                    pos = entropy_end(b, pos)?;
                    visit(Piece::Data(data..pos))?;
                }
            }
        }
    }
}

/// Where the entropy-coded data starting at `pos` ends: at the first 0xFF
/// that is neither a stuffed zero nor a restart marker.
fn entropy_end(b: &[u8], mut pos: usize) -> Result<usize, Broken> {
    loop {
        let i = pos
            + b[pos..]
                .iter()
                .position(|&x| x == 0xFF)
                .ok_or(Broken::Truncated)?;
        match b.get(i + 1) {
            None => return Err(Broken::Truncated),
            Some(0x00 | 0xD0..=0xD7) => pos = i + 2,
            Some(_) => return Ok(i),
        }
    }
}

/// More scans than this (progressive files have about ten) would make the
/// decoder go over every coefficient that many times: refused.
const MAX_SCANS: usize = 100;

pub(crate) fn scan(b: &[u8]) -> Result<Meta, Broken> {
    let mut meta = Meta::default();
    let mut frame = false;
    let mut scans = 0;
    walk(b, |piece| {
        let Piece::Segment(marker, _, payload) = piece else {
            return Ok(());
        };
        let p = &b[payload];
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                if matches!(marker, 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
                    return Err(Broken::Unsupported("分层或算术编码的 JPEG"));
                }
                let (Some(h), Some(w)) = (be16(p, 1), be16(p, 3)) else {
                    return Err(Broken::Invalid("JPEG 帧头太短"));
                };
                if w == 0 || h == 0 {
                    return Err(Broken::Unsupported("尺寸写在文件末尾的 JPEG"));
                }
                if !frame {
                    (meta.width, meta.height) = (u32::from(w), u32::from(h));
                    meta.progressive = marker == 0xC2;
                    frame = true;
                }
            }
            APP1 if p.starts_with(EXIF) && meta.exif.is_none() => {
                meta.exif = Some(p[EXIF.len()..].to_vec());
            }
            APP1 if p.starts_with(XMP) || p.starts_with(XMP_EXT) => {
                meta.xmp.extend_from_slice(p);
            }
            SOS if !frame => return Err(Broken::Invalid("JPEG 缺少帧头")),
            SOS => {
                scans += 1;
                if scans > MAX_SCANS {
                    return Err(Broken::Unsupported("扫描段多得异常的 JPEG"));
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    if !frame {
        return Err(Broken::Invalid("JPEG 缺少帧头"));
    }
    Ok(meta)
}

/// The same image without metadata: APPn segments go except the Adobe
/// colour-transform segment and the ICC profile (the pixels are in that
/// colour space); comments and anything after the end marker go too.
pub(crate) fn strip(b: &[u8]) -> Result<Vec<u8>, Broken> {
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, SOI]);
    walk(b, |piece| {
        match piece {
            Piece::Segment(marker, whole, payload) => {
                let p = &b[payload];
                let keep = match marker {
                    APP14 => p.starts_with(b"Adobe"),
                    APP2 => p.starts_with(b"ICC_PROFILE\0"),
                    0xE0..=0xEF | COM => false,
                    _ => true,
                };
                if keep {
                    out.extend_from_slice(&b[whole]);
                }
            }
            Piece::Data(range) => out.extend_from_slice(&b[range]),
        }
        Ok(())
    })?;
    Ok(out)
}
