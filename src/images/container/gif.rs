//! GIF blocks: `scan` reads the screen size, counts frames and finds XMP;
//! `strip` drops comments and application blocks other than the looping
//! one (XMP, ICC and vendor data live there).

use super::{Broken, Meta, le16};

const LOOPING: [&[u8]; 2] = [b"NETSCAPE2.0", b"ANIMEXTS1.0"];

enum Block<'a> {
    /// The header, screen descriptor and global colour table.
    Head(std::ops::Range<usize>),
    /// An extension: label, application identifier (if any), whole range.
    Extension(u8, &'a [u8], std::ops::Range<usize>),
    Frame(std::ops::Range<usize>),
    Trailer,
}

/// The end of the data sub-blocks starting at `pos`.
fn sub_blocks(b: &[u8], mut pos: usize) -> Result<usize, Broken> {
    loop {
        let n = usize::from(*b.get(pos).ok_or(Broken::Truncated)?);
        pos += 1 + n;
        if n == 0 {
            return Ok(pos);
        }
        if pos > b.len() {
            return Err(Broken::Truncated);
        }
    }
}

/// Size of a colour table, from a packed flags byte.
fn table(flags: u8) -> usize {
    if flags & 0x80 != 0 {
        3 << ((flags & 7) + 1)
    } else {
        0
    }
}

fn walk(b: &[u8], mut visit: impl FnMut(Block) -> Result<(), Broken>) -> Result<(), Broken> {
    if !(b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a")) {
        return Err(Broken::Invalid("不是 GIF 文件"));
    }
    let flags = *b.get(10).ok_or(Broken::Truncated)?;
    let mut pos = 13 + table(flags);
    if pos > b.len() {
        return Err(Broken::Truncated);
    }
    visit(Block::Head(0..pos))?;
    loop {
        match b.get(pos) {
            None => return Err(Broken::Truncated),
            Some(0x3B) => return visit(Block::Trailer),
            Some(0x21) => {
                let label = *b.get(pos + 1).ok_or(Broken::Truncated)?;
                let app = if label == 0xFF && b.get(pos + 2) == Some(&11) {
                    b.get(pos + 3..pos + 14).ok_or(Broken::Truncated)?
                } else {
                    &[]
                };
                let end = sub_blocks(b, pos + 2)?;
                visit(Block::Extension(label, app, pos..end))?;
                pos = end;
            }
            Some(0x2C) => {
                let flags = *b.get(pos + 9).ok_or(Broken::Truncated)?;
                // descriptor, local colour table, LZW code size, data
                let end = sub_blocks(b, pos + 10 + table(flags) + 1)?;
                visit(Block::Frame(pos..end))?;
                pos = end;
            }
            Some(_) => return Err(Broken::Invalid("GIF 数据块错乱")),
        }
    }
}

pub(crate) fn scan(b: &[u8]) -> Result<Meta, Broken> {
    let mut meta = Meta::default();
    let mut frames = 0;
    walk(b, |block| {
        match block {
            Block::Head(_) => {
                meta.width = u32::from(le16(b, 6).unwrap_or(0));
                meta.height = u32::from(le16(b, 8).unwrap_or(0));
            }
            Block::Extension(0xFF, b"XMP DataXMP", range) => {
                meta.xmp.extend_from_slice(&b[range]);
            }
            Block::Frame(_) => frames += 1,
            _ => {}
        }
        Ok(())
    })?;
    if frames == 0 {
        return Err(Broken::Invalid("GIF 里没有图像"));
    }
    meta.animated = frames > 1;
    Ok(meta)
}

pub(crate) fn strip(b: &[u8]) -> Result<Vec<u8>, Broken> {
    let mut out = Vec::with_capacity(b.len());
    walk(b, |block| {
        match block {
            Block::Head(r) | Block::Frame(r) => out.extend_from_slice(&b[r]),
            // graphic control (delays, transparency) and plain text draw
            Block::Extension(0xF9 | 0x01, _, r) => out.extend_from_slice(&b[r]),
            Block::Extension(0xFF, app, r) if LOOPING.contains(&app) => {
                out.extend_from_slice(&b[r]);
            }
            Block::Extension(..) => {}
            Block::Trailer => out.push(0x3B),
        }
        Ok(())
    })?;
    Ok(out)
}
