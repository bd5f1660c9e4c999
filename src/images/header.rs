//! An image's upright size from the first bytes of its file only, for
//! `serve` before the copies are made: the original stands in with its
//! `width` and `height`, so nothing moves when the copies arrive. A JPEG's
//! frame header follows its EXIF block (at most 64 KB) and a few tables;
//! PNG, GIF and WebP state their size in the first 30 bytes. Anything
//! unexpected is `None`: the processor judges the file properly later.

use std::io::Read;
use std::path::Path;

use super::Format;
use super::container::{be16, be32, le16};
use super::probe::{self, Sniffed};

/// How much of a file is read.
const HEAD: u64 = 256 << 10;

/// The upright size of the image in `path`, from its first bytes.
pub(crate) fn upright_size(path: &Path) -> Option<(u32, u32)> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(HEAD)
        .read_to_end(&mut head)
        .ok()?;
    size(&head)
}

/// The upright size stated by the first bytes of an image file.
pub(crate) fn size(b: &[u8]) -> Option<(u32, u32)> {
    let (w, h) = match probe::sniff(b) {
        Sniffed::Image(Format::Jpeg) => return jpeg(b),
        Sniffed::Image(Format::Png) if b.get(12..16) == Some(b"IHDR") => {
            (be32(b, 16)?, be32(b, 20)?)
        }
        Sniffed::Image(Format::Gif) => (u32::from(le16(b, 6)?), u32::from(le16(b, 8)?)),
        Sniffed::Image(Format::Webp) => webp(b)?,
        _ => return None,
    };
    (w > 0 && h > 0).then_some((w, h))
}

/// Segments up to the frame header: its size, turned by the EXIF
/// orientation found on the way.
fn jpeg(b: &[u8]) -> Option<(u32, u32)> {
    let mut pos = 2;
    let mut orientation = 1;
    loop {
        while *b.get(pos)? == 0xFF && *b.get(pos + 1)? == 0xFF {
            pos += 1;
        }
        if *b.get(pos)? != 0xFF {
            return None;
        }
        let marker = *b.get(pos + 1)?;
        let len = usize::from(be16(b, pos + 2)?);
        let payload = b.get(pos + 4..pos + 2 + len)?;
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let (h, w) = (u32::from(be16(payload, 1)?), u32::from(be16(payload, 3)?));
                if w == 0 || h == 0 {
                    return None;
                }
                return Some(if orientation >= 5 { (h, w) } else { (w, h) });
            }
            0xE1 if payload.starts_with(b"Exif\0\0") => {
                orientation = probe::exif_orientation(&payload[6..]);
            }
            0xDA | 0xD9 => return None,
            _ => {}
        }
        pos += 2 + len;
    }
}

/// The canvas (VP8X) or the frame size of the first chunk.
fn webp(b: &[u8]) -> Option<(u32, u32)> {
    let u24 = |i: usize| -> Option<u32> {
        Some(
            u32::from(*b.get(i)?)
                | u32::from(*b.get(i + 1)?) << 8
                | u32::from(*b.get(i + 2)?) << 16,
        )
    };
    match b.get(12..16)? {
        b"VP8X" => Some((1 + u24(24)?, 1 + u24(27)?)),
        b"VP8 " => Some((
            u32::from(le16(b, 26)? & 0x3fff),
            u32::from(le16(b, 28)? & 0x3fff),
        )),
        b"VP8L" if *b.get(20)? == 0x2f => {
            let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
            Some((1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::sample;

    #[test]
    fn a_phone_photo_turned_by_its_exif() {
        let photo = sample::phone_photo(640, 480, 1, 6);
        assert_eq!(size(&photo), Some((480, 640)));
        let upright = sample::phone_photo(640, 480, 1, 1);
        assert_eq!(size(&upright), Some((640, 480)));
        // The first 64 KB are enough, whatever follows.
        assert_eq!(size(&photo[..photo.len().min(64 << 10)]), Some((480, 640)));
    }

    #[test]
    fn png_gif_webp_and_nonsense() {
        let px = image::RgbaImage::from_pixel(30, 20, image::Rgba([1, 2, 3, 255]));
        for format in [
            image::ImageFormat::Png,
            image::ImageFormat::Gif,
            image::ImageFormat::WebP,
        ] {
            let mut out = std::io::Cursor::new(Vec::new());
            px.write_to(&mut out, format).unwrap();
            assert_eq!(size(out.get_ref()), Some((30, 20)), "{format:?}");
        }
        assert_eq!(size(b"\xFF\xD8\xFF"), None);
        assert_eq!(size(b"hello"), None);
        assert_eq!(size(&[0xFF, 0xD8, 0xFF, 0xE1, 0x00]), None);
    }
}
