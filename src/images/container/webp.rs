//! WebP (RIFF) chunks: `scan` reads the canvas size, animation, EXIF and
//! XMP; `strip` drops the EXIF and XMP chunks and their flags.

use super::{Broken, Meta, le16, le32, without_exif_prefix};

const FLAG_XMP: u8 = 0x04;
const FLAG_EXIF: u8 = 0x08;
const FLAG_ANIMATION: u8 = 0x02;

fn u24(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from(*b.get(i)?) | u32::from(*b.get(i + 1)?) << 8 | u32::from(*b.get(i + 2)?) << 16)
}

/// Calls `visit(fourcc, whole chunk range with padding, data)`.
fn walk(
    b: &[u8],
    mut visit: impl FnMut(&[u8], std::ops::Range<usize>, &[u8]) -> Result<(), Broken>,
) -> Result<(), Broken> {
    if b.len() < 12 || &b[..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return Err(Broken::Invalid("不是 WebP 文件"));
    }
    let riff_end = (le32(b, 4).ok_or(Broken::Truncated)? as usize).saturating_add(8);
    if riff_end > b.len() {
        return Err(Broken::Truncated);
    }
    let mut pos = 12;
    while pos + 8 <= riff_end {
        let fourcc = &b[pos..pos + 4];
        let len = le32(b, pos + 4).ok_or(Broken::Truncated)? as usize;
        let data_end = pos
            .checked_add(8 + len)
            .filter(|&e| e <= riff_end)
            .ok_or(Broken::Truncated)?;
        let end = (data_end + (len & 1)).min(riff_end);
        visit(fourcc, pos..end, &b[pos + 8..data_end])?;
        pos = end;
    }
    Ok(())
}

pub(crate) fn scan(b: &[u8]) -> Result<Meta, Broken> {
    let mut meta = Meta::default();
    walk(b, |fourcc, _, d| {
        match fourcc {
            b"VP8X" => {
                let flags = *d.first().ok_or(Broken::Truncated)?;
                meta.animated = flags & FLAG_ANIMATION != 0;
                meta.width = 1 + u24(d, 4).ok_or(Broken::Truncated)?;
                meta.height = 1 + u24(d, 7).ok_or(Broken::Truncated)?;
            }
            b"VP8 " if meta.width == 0 => {
                if d.get(3..6) != Some(&[0x9d, 0x01, 0x2a][..]) {
                    return Err(Broken::Invalid("WebP 图像头错误"));
                }
                meta.width = u32::from(le16(d, 6).ok_or(Broken::Truncated)? & 0x3fff);
                meta.height = u32::from(le16(d, 8).ok_or(Broken::Truncated)? & 0x3fff);
            }
            b"VP8L" if meta.width == 0 => {
                if d.first() != Some(&0x2f) {
                    return Err(Broken::Invalid("WebP 图像头错误"));
                }
                let bits = le32(d, 1).ok_or(Broken::Truncated)?;
                meta.width = 1 + (bits & 0x3fff);
                meta.height = 1 + ((bits >> 14) & 0x3fff);
            }
            b"EXIF" => meta.exif = Some(without_exif_prefix(d).to_vec()),
            b"XMP " => meta.xmp.extend_from_slice(d),
            _ => {}
        }
        Ok(())
    })?;
    if meta.width == 0 || meta.height == 0 {
        return Err(Broken::Invalid("WebP 里没有图像"));
    }
    Ok(meta)
}

pub(crate) fn strip(b: &[u8]) -> Result<Vec<u8>, Broken> {
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    walk(b, |fourcc, whole, _| {
        match fourcc {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let at = out.len() + 8;
                out.extend_from_slice(&b[whole]);
                if let Some(flags) = out.get_mut(at) {
                    *flags &= !(FLAG_EXIF | FLAG_XMP);
                }
            }
            _ => out.extend_from_slice(&b[whole]),
        }
        Ok(())
    })?;
    let size = (out.len() - 8) as u32;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Ok(out)
}
