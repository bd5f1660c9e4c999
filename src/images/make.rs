//! The cold path for one image: from its bytes to encoded copies. Probing
//! refuses what cannot be published; decoding happens inside a share of
//! the memory budget and at the smallest JPEG scale that still covers the
//! largest copy; copies are resized one from the other (1600 → 960 → 640 →
//! 320), so each resize reads a small image.

use super::budget::Budget;
use super::container::{self, Broken};
use super::decode::{self, Pixels};
use super::encode;
use super::plan::{Plan, SHARE_MAX_BYTES, plan};
use super::probe::{self, Probe, Problem, Sniffed};
use super::{Format, Role, Roles, svg};
use crate::config::ImagesConfig;

/// Animations larger than this get a warning.
const BIG_ANIMATION: usize = 2 << 20;

/// What a copy is for; also names its file and its cache entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Use {
    /// A resized copy of this width.
    Sized(u32),
    Share,
    /// The original, stripped or re-encoded, at the source's own path.
    Original,
    /// The source file itself, unchanged (SVG): copied from where it is.
    Source,
}

pub(crate) struct Piece {
    pub what: Use,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// Empty for [`Use::Source`].
    pub bytes: Vec<u8>,
}

/// Everything made for one image.
pub(crate) struct Made {
    pub width: u32,
    pub height: u32,
    pub animated: bool,
    pub had_location: bool,
    pub pieces: Vec<Piece>,
    /// The share image is the sized copy of this width (it has the share
    /// size, is a JPEG and small enough): published once, not twice.
    pub share_of: Option<u32>,
    pub warnings: Vec<Problem>,
}

/// A problem, with the line and column when it has one (SVG).
pub(crate) type Refusal = (Problem, u32, u32);

pub(crate) fn make(
    bytes: &[u8],
    roles: Roles,
    config: &ImagesConfig,
    budget: &Budget,
) -> Result<Made, Refusal> {
    let format = match probe::sniff(bytes) {
        Sniffed::Image(Format::Svg) => return svg_source(bytes),
        Sniffed::Image(f) => f,
        other => return Err((probe::refusal(other), 0, 0)),
    };
    // The probe walks the whole container: a JPEG cut short (which would
    // decode to grey at the bottom without complaint) is refused there.
    let probe = probe::probe(bytes, format, config.max_pixels).map_err(|p| (p, 0, 0))?;
    raster(bytes, &probe, roles, config, budget).map_err(|p| (p, 0, 0))
}

fn svg_source(bytes: &[u8]) -> Result<Made, Refusal> {
    let (width, height) = svg::check(bytes)?;
    Ok(Made {
        width,
        height,
        animated: false,
        had_location: false,
        pieces: vec![Piece {
            what: Use::Source,
            width,
            height,
            format: Format::Svg,
            bytes: Vec::new(),
        }],
        share_of: None,
        warnings: Vec::new(),
    })
}

/// Bytes decoding and the copies will hold at most at once (measured:
/// a 12-MP photo for 1600-px copies peaks at about 20 MB).
fn cost(probe: &Probe, decoded: (u32, u32), largest: (u32, u32), original: bool) -> u64 {
    let px = |(w, h): (u32, u32)| u64::from(w) * u64::from(h);
    let full = px((probe.width, probe.height));
    let decode = match probe.format {
        // planes and output, plus all coefficients for a progressive file
        Format::Jpeg => px(decoded) * 5 + if probe.progressive { full * 3 } else { 0 },
        // native (up to 16-bit RGBA) and the 8-bit copy
        _ => full * 12,
    };
    // resizing: the source, the filter's intermediate rows and the copy
    let copies = px(decoded) * 3 + px(largest) * 3 * 2;
    // the upright original beside the decoded one
    let upright = if original { px(decoded) * 4 } else { 0 };
    decode.max(copies) + upright
}

/// The size JPEG's scaled decoding gives for `need` (1, 1/2, 1/4 or 1/8).
fn jpeg_scaled(w: u32, h: u32, need: (u32, u32)) -> (u32, u32) {
    for denom in [8u32, 4, 2] {
        let s = |x: u32| x.div_ceil(denom);
        if s(w) >= need.0 && s(h) >= need.1 {
            return (s(w), s(h));
        }
    }
    (w, h)
}

fn raster(
    bytes: &[u8],
    probe: &Probe,
    roles: Roles,
    config: &ImagesConfig,
    budget: &Budget,
) -> Result<Made, Problem> {
    let (uw, uh) = probe.upright();
    // An animation is viewed as itself; only its stills are resized.
    let mut sized_roles = roles;
    if probe.animated && roles.contains(Role::View) {
        sized_roles = if roles.contains(Role::Thumbnail) {
            Roles::from(Role::Thumbnail)
        } else {
            Roles::NONE
        };
        if roles.contains(Role::Share) {
            sized_roles |= Role::Share;
        }
    }
    let plan = plan(uw, uh, sized_roles);
    // static/ files are published at their own name, so in their own format.
    let keep_original = config.originals || roles.is_static();
    let reencode_original = keep_original && probe.orientation != 1 && !probe.animated;
    let mut pieces = Vec::new();
    let mut share_of = None;
    if !plan.sized.is_empty() || plan.share.is_some() || reencode_original {
        let need_up = if reencode_original {
            (uw, uh)
        } else {
            plan.largest()
        };
        let need = if probe.orientation >= 5 {
            (need_up.1, need_up.0)
        } else {
            need_up
        };
        let decoded = match probe.format {
            Format::Jpeg => jpeg_scaled(probe.width, probe.height, need),
            _ => (probe.width, probe.height),
        };
        let _permit = budget.acquire(cost(probe, decoded, plan.largest(), reencode_original));
        let px = decode::decode(bytes, probe, need, config.max_pixels.saturating_mul(12))?;
        if reencode_original {
            pieces.push(reencoded(&px, probe, config.quality, roles.is_static())?);
        }
        let (made, same) = copies(px, probe, &plan, config.quality)?;
        pieces.extend(made);
        share_of = same;
    }
    let mut warnings = Vec::new();
    if probe.animated || (keep_original && !reencode_original) {
        let stripped = strip(bytes, probe.format)?;
        if probe.animated && stripped.len() > BIG_ANIMATION {
            warnings.push(Problem::new(
                format!(
                    "动图有 {:.1} MB，在手机上要加载很久",
                    stripped.len() as f64 / (1 << 20) as f64
                ),
                "改用视频（MP4）效果更好，或把动图压缩到 2 MB 以内",
            ));
        }
        pieces.push(Piece {
            what: Use::Original,
            width: uw,
            height: uh,
            format: probe.format,
            bytes: stripped,
        });
    }
    Ok(Made {
        width: uw,
        height: uh,
        animated: probe.animated,
        had_location: probe.had_location,
        pieces,
        share_of,
        warnings,
    })
}

fn strip(bytes: &[u8], format: Format) -> Result<Vec<u8>, Problem> {
    let stripped: Result<Vec<u8>, Broken> = match format {
        Format::Jpeg => container::jpeg::strip(bytes),
        Format::Png => container::png::strip(bytes),
        Format::Gif => container::gif::strip(bytes),
        Format::Webp => container::webp::strip(bytes),
        Format::Svg => Ok(bytes.to_vec()),
    };
    Ok(stripped?)
}

/// The original with its orientation applied: JPEG stays JPEG (at least
/// quality 90), the others become PNG, or JPEG when opaque and photographic
/// — or, with `same_format` (a file of static/, whose name must still fit),
/// stay PNG or become lossless WebP.
fn reencoded(px: &Pixels, probe: &Probe, quality: u8, same_format: bool) -> Result<Piece, Problem> {
    let px = decode::oriented(px, probe.orientation);
    let (format, bytes) = match probe.format {
        Format::Jpeg => (Format::Jpeg, encode::jpeg(&px, quality.max(90))?),
        Format::Png if same_format => (Format::Png, encode::png(&px)?),
        Format::Webp if same_format => (Format::Webp, encode::webp_lossless(&px)?),
        _ => choose_format(&px, quality.max(90))?,
    };
    Ok(Piece {
        what: Use::Original,
        width: px.width,
        height: px.height,
        format,
        bytes,
    })
}

/// PNG, unless the image is opaque and its JPEG is less than half the size.
fn choose_format(px: &Pixels, quality: u8) -> Result<(Format, Vec<u8>), Problem> {
    let png = encode::png(px)?;
    if px.has_alpha() {
        return Ok((Format::Png, png));
    }
    let jpeg = encode::jpeg(px, quality)?;
    Ok(if jpeg.len() * 2 < png.len() {
        (Format::Jpeg, jpeg)
    } else {
        (Format::Png, png)
    })
}

/// The resized copies and the share image. `px` is as stored; copies are
/// resized as stored, each from the one before (the decoded image is freed
/// after the first), and turned upright just before encoding. Returns the
/// width of the copy that serves as the share image too, when one does.
fn copies(
    px: Pixels,
    probe: &Probe,
    plan: &Plan,
    quality: u8,
) -> Result<(Vec<Piece>, Option<u32>), Problem> {
    let o = probe.orientation;
    let stored = |(w, h): (u32, u32)| if o >= 5 { (h, w) } else { (w, h) };
    let mut pieces = Vec::new();
    let mut share_of = None;
    let largest = plan.sized.last().map_or(0, |s| s.0);
    if let Some(size) = plan.share
        && largest < size.0
    {
        pieces.push(share(&px, o, stored(size), quality)?);
    }
    let mut format = (probe.format == Format::Jpeg).then_some(Format::Jpeg);
    let mut current = px;
    for &(w, h) in plan.sized.iter().rev() {
        let (sw, sh) = stored((w, h));
        current = encode::resize(&current, sw, sh)?;
        let shown = decode::oriented(&current, o);
        let bytes = match format {
            Some(Format::Jpeg) => encode::jpeg(&shown, quality)?,
            Some(_) => encode::png(&shown)?,
            None => {
                let (f, bytes) = choose_format(&shown, quality)?;
                format = Some(f);
                bytes
            }
        };
        if let Some(size) = plan.share
            && w == largest
            && w >= size.0
        {
            // A small source's largest copy often has the share size: a
            // JPEG within the share budget is then the share image itself.
            if size == (w, h)
                && format == Some(Format::Jpeg)
                && bytes.len() as u64 <= SHARE_MAX_BYTES
            {
                share_of = Some(w);
            } else {
                pieces.push(share(&current, o, stored(size), quality)?);
            }
        }
        pieces.push(Piece {
            what: Use::Sized(w),
            width: w,
            height: h,
            format: format.unwrap_or(Format::Png),
            bytes,
        });
    }
    Ok((pieces, share_of))
}

/// The share image from stored pixels, resized to `size` (as stored).
fn share(from: &Pixels, orientation: u8, size: (u32, u32), quality: u8) -> Result<Piece, Problem> {
    let img = encode::resize(from, size.0, size.1)?;
    let shown = decode::oriented(&img, orientation);
    let (width, height, bytes) = encode::share(&shown, quality)?;
    Ok(Piece {
        what: Use::Share,
        width,
        height,
        format: Format::Jpeg,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_scale_covers_the_need() {
        assert_eq!(jpeg_scaled(4032, 3024, (1600, 1200)), (2016, 1512));
        assert_eq!(jpeg_scaled(4032, 3024, (640, 480)), (1008, 756));
        assert_eq!(jpeg_scaled(4032, 3024, (320, 240)), (504, 378));
        assert_eq!(jpeg_scaled(4032, 3024, (4032, 3024)), (4032, 3024));
        assert_eq!(jpeg_scaled(1000, 750, (960, 720)), (1000, 750));
    }
}
