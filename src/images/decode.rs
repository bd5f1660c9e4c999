//! Bytes to upright sRGB pixels. JPEG goes through `jpeg-decoder`, which
//! can decode at 1/2, 1/4 or 1/8 scale in the inverse DCT (a 12-MP photo
//! for 1600-px copies is decoded at 2016 × 1512: a quarter of the memory and
//! of the colour conversion); PNG, GIF (first frame) and WebP through
//! `image`. CMYK becomes RGB, 16 bits become 8, palettes are expanded and
//! an ICC profile is converted to sRGB (moxcms). The pixels stay as stored:
//! [`oriented`] turns each (smaller) copy upright, which is cheaper than
//! turning the decoded image and needs no second full-size buffer.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use jpeg_decoder::PixelFormat;
use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};

use super::Format;
use super::probe::{Probe, Problem};

/// 8-bit pixels, row by row, 1 (grey), 3 (RGB) or 4 (RGBA) channels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pixels {
    pub width: u32,
    pub height: u32,
    pub channels: u8,
    pub data: Vec<u8>,
}

impl Pixels {
    pub fn has_alpha(&self) -> bool {
        self.channels == 4
    }
}

fn failed(e: impl std::fmt::Display) -> Problem {
    Problem::new(
        format!("图片无法解码：{e}"),
        "用看图软件打开检查：能打开就另存为 JPEG 或 PNG，打不开就从原处重新复制",
    )
}

/// Decodes at least `need` (stored orientation; JPEG may scale down to
/// it), with allocations bounded by `max_bytes`.
pub(crate) fn decode(
    b: &[u8],
    probe: &Probe,
    need: (u32, u32),
    max_bytes: u64,
) -> Result<Pixels, Problem> {
    match probe.format {
        Format::Jpeg => jpeg(b, need, max_bytes),
        Format::Png => other(b, ImageFormat::Png, max_bytes),
        Format::Gif => other(b, ImageFormat::Gif, max_bytes),
        Format::Webp => other(b, ImageFormat::WebP, max_bytes),
        Format::Svg => Err(failed("SVG")),
    }
}

fn jpeg(b: &[u8], need: (u32, u32), max_bytes: u64) -> Result<Pixels, Problem> {
    let mut d = jpeg_decoder::Decoder::new(b);
    d.set_max_decoding_buffer_size(usize::try_from(max_bytes).unwrap_or(usize::MAX));
    d.read_info().map_err(failed)?;
    let clamp = |x: u32| x.clamp(1, u32::from(u16::MAX)) as u16;
    d.scale(clamp(need.0), clamp(need.1)).map_err(failed)?;
    let data = d.decode().map_err(failed)?;
    let info = d.info().ok_or_else(|| failed("没有图像信息"))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    let icc = d.icc_profile();
    let mut px = match info.pixel_format {
        PixelFormat::L8 => Pixels {
            width,
            height,
            channels: 1,
            data,
        },
        PixelFormat::L16 => Pixels {
            width,
            height,
            channels: 1,
            data: data
                .chunks_exact(2)
                .map(|c| (u16::from_ne_bytes([c[0], c[1]]) >> 8) as u8)
                .collect(),
        },
        PixelFormat::RGB24 => Pixels {
            width,
            height,
            channels: 3,
            data,
        },
        PixelFormat::CMYK32 => return Ok(cmyk(width, height, &data, icc.as_deref())),
    };
    if px.data.len() != (width * height * u32::from(px.channels)) as usize {
        return Err(failed("像素数与尺寸不符"));
    }
    if let Some(icc) = icc {
        to_srgb(&mut px, &icc);
    }
    Ok(px)
}

fn other(b: &[u8], format: ImageFormat, max_bytes: u64) -> Result<Pixels, Problem> {
    let mut reader = ImageReader::with_format(Cursor::new(b), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(max_bytes);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(failed)?;
    let icc = decoder.icc_profile().ok().flatten();
    let img = DynamicImage::from_decoder(decoder).map_err(failed)?;
    let (width, height) = (img.width(), img.height());
    let color = img.color();
    let mut px = if color.has_alpha() {
        let data = img.into_rgba8().into_raw();
        if data.chunks_exact(4).all(|p| p[3] == 255) {
            Pixels {
                width,
                height,
                channels: 3,
                data: data
                    .chunks_exact(4)
                    .flat_map(|p| [p[0], p[1], p[2]])
                    .collect(),
            }
        } else {
            Pixels {
                width,
                height,
                channels: 4,
                data,
            }
        }
    } else if color.channel_count() == 1 {
        Pixels {
            width,
            height,
            channels: 1,
            data: img.into_luma8().into_raw(),
        }
    } else {
        Pixels {
            width,
            height,
            channels: 3,
            data: img.into_rgb8().into_raw(),
        }
    };
    if let Some(icc) = icc {
        to_srgb(&mut px, &icc);
    }
    Ok(px)
}

/// CMYK (255 = full ink, as jpeg-decoder delivers it) to RGB: through the
/// file's CMYK profile when it has a usable one, else by the usual formula.
fn cmyk(width: u32, height: u32, data: &[u8], icc: Option<&[u8]>) -> Pixels {
    let profile = icc
        .and_then(|i| ColorProfile::new_from_slice(i).ok())
        .filter(|p| p.color_space == DataColorSpace::Cmyk);
    if let Some(p) = profile
        && let Ok(t) = p.create_transform_8bit(
            Layout::Rgba,
            &ColorProfile::new_srgb(),
            Layout::Rgb,
            TransformOptions::default(),
        )
    {
        let mut out = vec![0u8; data.len() / 4 * 3];
        if t.transform(data, &mut out).is_ok() {
            return Pixels {
                width,
                height,
                channels: 3,
                data: out,
            };
        }
    }
    let data = data
        .chunks_exact(4)
        .flat_map(|p| {
            let k = 255 - u32::from(p[3]);
            let ch = |c: u8| ((255 - u32::from(c)) * k / 255) as u8;
            [ch(p[0]), ch(p[1]), ch(p[2])]
        })
        .collect();
    Pixels {
        width,
        height,
        channels: 3,
        data,
    }
}

/// Converts RGB(A) pixels in the colour space of `icc` to sRGB, in strips
/// (so the copy is small). A profile moxcms cannot read is taken as sRGB.
fn to_srgb(px: &mut Pixels, icc: &[u8]) {
    let layout = match px.channels {
        3 => Layout::Rgb,
        4 => Layout::Rgba,
        _ => return,
    };
    let Ok(src) = ColorProfile::new_from_slice(icc) else {
        return;
    };
    if src.color_space != DataColorSpace::Rgb {
        return;
    }
    let Ok(t) = src.create_transform_8bit(
        layout,
        &ColorProfile::new_srgb(),
        layout,
        TransformOptions::default(),
    ) else {
        return;
    };
    let strip = (px.width as usize * px.channels as usize * 64).max(1);
    let mut out = vec![0u8; strip];
    for chunk in px.data.chunks_mut(strip) {
        let out = &mut out[..chunk.len()];
        if t.transform(chunk, out).is_err() {
            return;
        }
        chunk.copy_from_slice(out);
    }
}

/// `px` as shown under an EXIF orientation (1–8): borrowed when upright.
pub(crate) fn oriented(px: &Pixels, orientation: u8) -> std::borrow::Cow<'_, Pixels> {
    if !(2..=8).contains(&orientation) {
        return std::borrow::Cow::Borrowed(px);
    }
    let (w, h, c) = (px.width as usize, px.height as usize, px.channels as usize);
    let (nw, nh) = if orientation >= 5 { (h, w) } else { (w, h) };
    let mut out = vec![0u8; px.data.len()];
    for y in 0..nh {
        for x in 0..nw {
            // where the shown pixel (x, y) is stored
            let (sx, sy) = match orientation {
                2 => (w - 1 - x, y),
                3 => (w - 1 - x, h - 1 - y),
                4 => (x, h - 1 - y),
                5 => (y, x),
                6 => (y, h - 1 - x),
                7 => (w - 1 - y, h - 1 - x),
                _ => (w - 1 - y, x),
            };
            let from = (sy * w + sx) * c;
            let to = (y * nw + x) * c;
            out[to..to + c].copy_from_slice(&px.data[from..from + c]);
        }
    }
    std::borrow::Cow::Owned(Pixels {
        width: nw as u32,
        height: nh as u32,
        channels: px.channels,
        data: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 3×2 image whose pixels are their own index.
    fn grid() -> Pixels {
        Pixels {
            width: 3,
            height: 2,
            channels: 1,
            data: vec![0, 1, 2, 3, 4, 5],
        }
    }

    #[test]
    fn orientations() {
        // stored:   0 1 2
        //           3 4 5
        let o = |n| {
            let p = oriented(&grid(), n).into_owned();
            (p.width, p.height, p.data)
        };
        assert_eq!(o(1), (3, 2, vec![0, 1, 2, 3, 4, 5]));
        assert_eq!(o(2), (3, 2, vec![2, 1, 0, 5, 4, 3]));
        assert_eq!(o(3), (3, 2, vec![5, 4, 3, 2, 1, 0]));
        assert_eq!(o(4), (3, 2, vec![3, 4, 5, 0, 1, 2]));
        assert_eq!(o(5), (2, 3, vec![0, 3, 1, 4, 2, 5]));
        // 90° clockwise: the left column becomes the top row, read upwards
        assert_eq!(o(6), (2, 3, vec![3, 0, 4, 1, 5, 2]));
        assert_eq!(o(7), (2, 3, vec![5, 2, 4, 1, 3, 0]));
        assert_eq!(o(8), (2, 3, vec![2, 5, 1, 4, 0, 3]));
    }

    #[test]
    fn cmyk_without_a_profile() {
        let p = cmyk(2, 1, &[0, 0, 0, 0, 255, 0, 0, 0], None);
        assert_eq!(p.data, vec![255, 255, 255, 0, 255, 255]);
    }
}
