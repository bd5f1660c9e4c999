//! What a file is, from its bytes and headers alone: the format (whatever
//! its extension says), the stored size, the EXIF orientation, whether it
//! carries a location — and every reason to refuse it, in Chinese, before a
//! single pixel is decoded (so a 50 000 × 50 000 "decompression bomb" costs
//! nothing).

use exif::{In, Tag};

use super::Format;
use super::container::{self, Broken, Meta};

/// A problem with one image, for its diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub message: String,
    pub hint: String,
}

impl Problem {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

const EXPORT_HINT: &str = "请用看图或修图软件另存为 JPEG（照片）或 PNG（截图、图表）后再放进来";

impl From<Broken> for Problem {
    fn from(b: Broken) -> Problem {
        match b {
            Broken::Truncated => Problem::new(
                "图片文件不完整：文件在结尾之前就断了，可能是复制或上传时中断了",
                "从手机或原来的位置重新导出、复制这张图片",
            ),
            Broken::Invalid(what) => Problem::new(
                format!("图片文件已损坏（{what}）"),
                "用看图软件打开检查：能打开就另存为 JPEG 或 PNG，打不开就从原处重新复制",
            ),
            Broken::Unsupported(what) => {
                Problem::new(format!("不支持这种图片：{what}"), EXPORT_HINT)
            }
        }
    }
}

/// What the first bytes say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sniffed {
    Image(Format),
    Heic,
    Avif,
    Other(&'static str),
    Unknown,
}

pub(crate) fn sniff(b: &[u8]) -> Sniffed {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Sniffed::Image(Format::Jpeg);
    }
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Sniffed::Image(Format::Png);
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Sniffed::Image(Format::Gif);
    }
    if b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Sniffed::Image(Format::Webp);
    }
    if b.get(4..8) == Some(b"ftyp") {
        return iso_brand(b);
    }
    if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        return Sniffed::Other("TIFF");
    }
    if b.starts_with(b"BM") {
        return Sniffed::Other("BMP");
    }
    if b.starts_with(b"8BPS") {
        return Sniffed::Other("Photoshop（PSD）");
    }
    let text = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    let start = text
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(0);
    let head = &text[start..text.len().min(start + 4096)];
    if head.starts_with(b"<") && contains(head, b"<svg") {
        return Sniffed::Image(Format::Svg);
    }
    Sniffed::Unknown
}

/// HEIC and AVIF share the ISO media container; the brands tell them apart.
fn iso_brand(b: &[u8]) -> Sniffed {
    let size = container::be32(b, 0).unwrap_or(0) as usize;
    let end = size.clamp(12, b.len().min(256));
    let brands: Vec<&[u8]> = std::iter::once(b.get(8..12).unwrap_or(&[]))
        .chain(b.get(16..end).unwrap_or(&[]).chunks_exact(4))
        .collect();
    let has = |names: &[&[u8]]| brands.iter().any(|x| names.contains(x));
    if has(&[b"avif", b"avis"]) {
        Sniffed::Avif
    } else if has(&[
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
    ]) {
        Sniffed::Heic
    } else {
        Sniffed::Other("MP4/MOV 等媒体文件")
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// A raster image's facts, from its headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Probe {
    pub format: Format,
    /// As stored, before orientation.
    pub width: u32,
    pub height: u32,
    /// EXIF orientation, 1–8 (1 when absent or unreadable).
    pub orientation: u8,
    pub had_location: bool,
    pub animated: bool,
    pub progressive: bool,
}

impl Probe {
    /// Width and height as the image is shown.
    pub fn upright(&self) -> (u32, u32) {
        if self.orientation >= 5 {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

/// A raster image's facts, or why it is refused. `format` comes from
/// [`sniff`]; SVG is handled elsewhere.
pub(crate) fn probe(b: &[u8], format: Format, max_pixels: u64) -> Result<Probe, Problem> {
    let meta: Meta = match format {
        Format::Jpeg => container::jpeg::scan(b)?,
        Format::Png => container::png::scan(b)?,
        Format::Gif => container::gif::scan(b)?,
        Format::Webp => container::webp::scan(b)?,
        Format::Svg => return Err(Broken::Unsupported("SVG").into()),
    };
    if meta.width == 0 || meta.height == 0 {
        return Err(Broken::Invalid("宽或高为 0").into());
    }
    let pixels = u64::from(meta.width) * u64::from(meta.height);
    if pixels > max_pixels {
        return Err(Problem::new(
            format!(
                "图片太大：{}×{}，共 {} 万像素，超过了 [images] max_pixels（{} 万像素）",
                meta.width,
                meta.height,
                pixels / 10_000,
                max_pixels / 10_000
            ),
            "请把图片缩小后再放进来（手机照片约 1200 万像素就够了）；确实需要这么大的话，在 site.toml 的 [images] 里调大 max_pixels",
        ));
    }
    let (orientation, exif_location) = meta.exif.as_deref().map(exif_facts).unwrap_or((1, false));
    Ok(Probe {
        format,
        width: meta.width,
        height: meta.height,
        orientation,
        had_location: exif_location
            || contains(&meta.xmp, b"GPSLatitude")
            || contains(&meta.xmp, b"GPSLongitude"),
        animated: meta.animated,
        progressive: meta.progressive,
    })
}

/// The EXIF orientation (1 when absent or unreadable).
pub(crate) fn exif_orientation(tiff: &[u8]) -> u8 {
    exif_facts(tiff).0
}

/// Orientation and whether the GPS block has a position. Unreadable EXIF
/// counts as neither: it is never published anyway.
fn exif_facts(tiff: &[u8]) -> (u8, bool) {
    let Ok(exif) = exif::Reader::new().read_raw(tiff.to_vec()) else {
        return (1, false);
    };
    let orientation = exif
        .get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1) as u8;
    let located = exif
        .fields()
        .any(|f| matches!(f.tag, Tag::GPSLatitude | Tag::GPSLongitude));
    (orientation, located)
}

/// The refusal for a file that is not a raster image zhibu reads.
pub(crate) fn refusal(s: Sniffed) -> Problem {
    match s {
        Sniffed::Heic => Problem::new(
            "这是 HEIC 格式的照片（苹果手机默认的格式），大多数浏览器和微信里都显示不出来",
            "请导出为 JPEG 再放进来：在 iPhone 的“设置 → 相机 → 格式”里选“兼容性最佳”，以后拍的就是 JPEG；已经拍好的，可以在电脑上用“照片”或“预览”导出为 JPEG",
        ),
        Sniffed::Avif => Problem::new("这是 AVIF 格式的图片，zhibu 暂不处理这种格式", EXPORT_HINT),
        Sniffed::Other(kind) => Problem::new(
            format!("这是 {kind} 文件，网页上不能作为图片显示"),
            EXPORT_HINT,
        ),
        Sniffed::Unknown | Sniffed::Image(_) => Problem::new(
            "不是能识别的图片文件（开头不是 JPEG、PNG、GIF、WebP 或 SVG 的格式）",
            "用看图软件打开确认它是图片，再另存为 JPEG 或 PNG；只改扩展名不会改变格式",
        ),
    }
}
