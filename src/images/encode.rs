//! Resizing (fast_image_resize: SIMD convolution, Lanczos 3) and encoding
//! (jpeg-encoder with optimised Huffman tables; PNG and lossless WebP
//! through `image`).
//! Encoders here are given pixels only, so no metadata can reach a copy:
//! the JPEG has its JFIF header and nothing else, the PNG only IHDR, IDAT
//! and IEND.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::ImageEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};

use super::decode::Pixels;
use super::plan::{SHARE_MAX_BYTES, SHARE_MIN_SHORT_SIDE};
use super::probe::Problem;

fn failed(e: impl std::fmt::Display) -> Problem {
    Problem::new(
        format!("生成图片副本时出错：{e}"),
        "请把这张图片另存为普通的 JPEG 或 PNG 后再试；问题仍在的话请报告给 zhibu 的维护者",
    )
}

fn pixel_type(channels: u8) -> PixelType {
    match channels {
        1 => PixelType::U8,
        4 => PixelType::U8x4,
        _ => PixelType::U8x3,
    }
}

/// `px` at `w`×`h` (a copy when the size is already right).
pub(crate) fn resize(px: &Pixels, w: u32, h: u32) -> Result<Pixels, Problem> {
    if (w, h) == (px.width, px.height) {
        return Ok(px.clone());
    }
    let t = pixel_type(px.channels);
    let src = ImageRef::new(px.width, px.height, &px.data, t).map_err(failed)?;
    let mut dst = Image::new(w, h, t);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(failed)?;
    Ok(Pixels {
        width: w,
        height: h,
        channels: px.channels,
        data: dst.into_vec(),
    })
}

/// Transparent pixels over white, for formats without alpha.
fn flatten(px: &Pixels) -> std::borrow::Cow<'_, [u8]> {
    if px.channels != 4 {
        return std::borrow::Cow::Borrowed(&px.data);
    }
    std::borrow::Cow::Owned(
        px.data
            .chunks_exact(4)
            .flat_map(|p| {
                let a = u32::from(p[3]);
                let over = |c: u8| ((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
                [over(p[0]), over(p[1]), over(p[2])]
            })
            .collect(),
    )
}

pub(crate) fn jpeg(px: &Pixels, quality: u8) -> Result<Vec<u8>, Problem> {
    let w = u16::try_from(px.width).map_err(failed)?;
    let h = u16::try_from(px.height).map_err(failed)?;
    let data = flatten(px);
    let color = if px.channels == 1 {
        jpeg_encoder::ColorType::Luma
    } else {
        jpeg_encoder::ColorType::Rgb
    };
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100));
    enc.set_optimized_huffman_tables(true);
    enc.encode(&data, w, h, color).map_err(failed)?;
    Ok(out)
}

pub(crate) fn png(px: &Pixels) -> Result<Vec<u8>, Problem> {
    let color = color_type(px);
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Default, PngFilter::Adaptive)
        .write_image(&px.data, px.width, px.height, color)
        .map_err(failed)?;
    Ok(out)
}

/// Lossless WebP (for a WebP of static/ that must be turned upright and
/// keep its name): pixels only, like the others.
pub(crate) fn webp_lossless(px: &Pixels) -> Result<Vec<u8>, Problem> {
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
        .write_image(&px.data, px.width, px.height, color_type(px))
        .map_err(failed)?;
    Ok(out)
}

fn color_type(px: &Pixels) -> image::ExtendedColorType {
    match px.channels {
        1 => image::ExtendedColorType::L8,
        4 => image::ExtendedColorType::Rgba8,
        _ => image::ExtendedColorType::Rgb8,
    }
}

/// The share image: JPEG at `quality`, then lower qualities, then smaller
/// (keeping the short side at least 300 px when the source had it) until it
/// fits in 300 KB. Returns the pixels' size and the bytes.
pub(crate) fn share(px: &Pixels, quality: u8) -> Result<(u32, u32, Vec<u8>), Problem> {
    let qualities: Vec<u8> = std::iter::once(quality)
        .chain([70, 60, 50, 40].into_iter().filter(|&q| q < quality))
        .collect();
    let mut current = std::borrow::Cow::Borrowed(px);
    loop {
        let mut bytes = Vec::new();
        for &q in &qualities {
            bytes = jpeg(&current, q)?;
            if bytes.len() as u64 <= SHARE_MAX_BYTES {
                break;
            }
        }
        let short = current.width.min(current.height);
        if bytes.len() as u64 <= SHARE_MAX_BYTES || short <= SHARE_MIN_SHORT_SIDE {
            return Ok((current.width, current.height, bytes));
        }
        let f = 0.8f64.max(f64::from(SHARE_MIN_SHORT_SIDE) / f64::from(short));
        let scale = |x: u32| ((f64::from(x) * f).round() as u32).max(1);
        let (w, h) = (scale(current.width), scale(current.height));
        current = std::borrow::Cow::Owned(resize(&current, w, h)?);
    }
}
