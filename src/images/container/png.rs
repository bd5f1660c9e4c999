//! PNG chunks: `scan` reads the header, animation control, EXIF (`eXIf`, or
//! ImageMagick's hex "Raw profile type exif" text) and XMP (`iTXt`);
//! `strip` keeps the chunks that draw the image and drops the others.

use std::io::Read as _;

use super::{Broken, Meta, be32, without_exif_prefix};

const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
/// Ancillary chunks that change how the image looks (or animates): kept.
const DRAWING: [&[u8; 4]; 13] = [
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"cICP", b"mDCV", b"cLLI", b"bKGD",
    b"acTL", b"fcTL", b"fdAT",
];
/// Text chunks are inflated up to this much (XMP is a few kB).
const TEXT_LIMIT: u64 = 1 << 20;

/// Calls `visit(type, whole chunk range, data)` for each chunk up to IEND.
fn walk(
    b: &[u8],
    mut visit: impl FnMut(&[u8; 4], std::ops::Range<usize>, &[u8]) -> Result<(), Broken>,
) -> Result<(), Broken> {
    if !b.starts_with(SIGNATURE) {
        return Err(Broken::Invalid("不是 PNG 文件"));
    }
    let mut pos = SIGNATURE.len();
    loop {
        let len = be32(b, pos).ok_or(Broken::Truncated)? as usize;
        let kind: &[u8; 4] = b
            .get(pos + 4..pos + 8)
            .and_then(|k| k.try_into().ok())
            .ok_or(Broken::Truncated)?;
        let end = pos
            .checked_add(12)
            .and_then(|x| x.checked_add(len))
            .ok_or(Broken::Invalid("PNG 块长度错误"))?;
        if end > b.len() {
            return Err(Broken::Truncated);
        }
        visit(kind, pos..end, &b[pos + 8..pos + 8 + len])?;
        if kind == b"IEND" {
            return Ok(());
        }
        pos = end;
    }
}

pub(crate) fn scan(b: &[u8]) -> Result<Meta, Broken> {
    let mut meta = Meta::default();
    let mut header = false;
    walk(b, |kind, _, data| {
        match kind {
            b"IHDR" => {
                let (Some(w), Some(h)) = (be32(data, 0), be32(data, 4)) else {
                    return Err(Broken::Invalid("PNG 文件头太短"));
                };
                (meta.width, meta.height) = (w, h);
                header = true;
            }
            b"acTL" => meta.animated = be32(data, 0).is_some_and(|frames| frames > 1),
            b"eXIf" => meta.exif = Some(without_exif_prefix(data).to_vec()),
            b"iTXt" => {
                if let Some(text) = itxt(data, b"XML:com.adobe.xmp") {
                    meta.xmp.extend_from_slice(&text);
                }
            }
            b"tEXt" | b"zTXt" if meta.exif.is_none() => meta.exif = raw_profile_exif(kind, data),
            _ => {}
        }
        Ok(())
    })?;
    if !header {
        return Err(Broken::Invalid("PNG 缺少文件头"));
    }
    Ok(meta)
}

/// The text of an `iTXt` chunk with this keyword (inflated if compressed).
fn itxt(data: &[u8], keyword: &[u8]) -> Option<Vec<u8>> {
    let rest = data.strip_prefix(keyword)?.strip_prefix(b"\0")?;
    let (&compressed, rest) = rest.split_first()?;
    let rest = rest.get(1..)?; // compression method
    // language tag, then translated keyword, each ending in a zero byte
    let i = rest.iter().position(|&c| c == 0)?;
    let rest = &rest[i + 1..];
    let j = rest.iter().position(|&c| c == 0)?;
    let text = &rest[j + 1..];
    if compressed == 1 {
        inflate(text)
    } else {
        Some(text.to_vec())
    }
}

fn inflate(z: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(z)
        .take(TEXT_LIMIT)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// ImageMagick keeps a JPEG's EXIF in a text chunk "Raw profile type exif":
/// a name line, a length line, then hex digits.
fn raw_profile_exif(kind: &[u8; 4], data: &[u8]) -> Option<Vec<u8>> {
    let (key, rest) = data.split_at(data.iter().position(|&c| c == 0)?);
    if key != b"Raw profile type exif" && key != b"Raw profile type APP1" {
        return None;
    }
    let rest = &rest[1..];
    let text = if kind == b"zTXt" {
        inflate(rest.get(1..)?)?
    } else {
        rest.to_vec()
    };
    let mut lines = text.split(|&c| c == b'\n').filter(|l| !l.is_empty());
    lines.next()?; // "exif"
    lines.next()?; // the length
    let hex: Vec<u8> = lines
        .flatten()
        .copied()
        .filter(u8::is_ascii_hexdigit)
        .collect();
    let bytes: Option<Vec<u8>> = hex
        .chunks_exact(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
        .collect();
    Some(without_exif_prefix(&bytes?).to_vec())
}

/// The image without text, EXIF, time or other metadata chunks.
pub(crate) fn strip(b: &[u8]) -> Result<Vec<u8>, Broken> {
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(SIGNATURE);
    walk(b, |kind, whole, _| {
        let critical = kind[0].is_ascii_uppercase();
        if critical || DRAWING.contains(&kind) {
            out.extend_from_slice(&b[whole]);
        }
        Ok(())
    })?;
    Ok(out)
}
