//! Photos from phones, published small, upright and without metadata.
//!
//! A build makes one [`Processor`] (site root, `[images]` config, the build
//! [`Cache`](crate::cache::Cache)) and calls [`Processor::process`] once with
//! every image a page shows, as [`Job`]s: the source file, the output path
//! the original would have (`activities/wusi/photo-1.jpg`) and the
//! [`Roles`] it plays there (card or gallery thumbnail, viewing size, share
//! image). It gets back a [`Processed`]: one [`ImageSet`] per image (keyed by
//! that output path), the output files, diagnostics and a [`Summary`].
//! Templates never see paths: [`ImageSet::view`] makes an [`ImageView`]
//! (`src`, `srcset`, `sizes`, `width`, `height`, `alt`) for one role.
//!
//! ```text
//! let (cache, warning) = Cache::open(root);
//! let processor = Processor::new(root, &config.images, Arc::new(cache));
//! let done = processor.process(&jobs, &Reporter::stderr());
//! let view = done.sets["activities/wusi/photo-1.jpg"]
//!     .view(Role::Thumbnail, "合影", THUMBNAIL_SIZES, |p| url_of(p));
//! // done.files go to the writer (copied from the cache files);
//! // done.diagnostics are errors (the image is left out) and warnings;
//! // done.summary.line() and .location_line() go into the build summary.
//! // After a successful build: cache.prune(cache::PRUNE_AFTER).
//! ```
//!
//! What is published (decisions, with their reasons in docs/images.md):
//!
//! - **Sizes.** Thumbnails 320 and 640 px wide; a viewing copy with a long
//!   side of 1600 px plus a 960-px step; a share image with a long side of
//!   1200 px (short side at least 300), JPEG, at most 300 KB. Never
//!   upscaled: a small source gives fewer, smaller copies.
//! - **Formats.** JPEG stays JPEG at `[images] quality`. PNG, GIF and WebP
//!   stay PNG, unless the image is opaque and photographic: when the JPEG of
//!   its largest copy is less than half the size of the PNG, every copy is
//!   JPEG. No WebP or AVIF output (measured: see docs/images.md).
//! - **Pixels only.** Copies are re-encoded from pixels: no EXIF, XMP, IPTC,
//!   GPS, maker notes, comments or ICC profile. The EXIF orientation is
//!   applied to the pixels; an ICC profile (Display P3 from iPhones, CMYK
//!   from print files) is converted to sRGB first, so colours stay right.
//! - **Originals** are published only with `[images] originals = true`, at
//!   their own path, stripped losslessly (metadata segments and chunks
//!   removed, colour profile kept) — or re-encoded when their EXIF
//!   orientation was not 1, because without EXIF they would show sideways.
//! - **static/** raster files (JPEG, PNG, GIF, WebP; the site's and an
//!   on-disk theme's) are jobs of their own ([`Roles::STATIC`]): published
//!   at their own name, which templates and styles use, never resized,
//!   stripped like originals — and when they must be turned upright,
//!   re-encoded in their own format (JPEG ≥ 90, PNG, lossless WebP) so the
//!   name still fits. A phone photo dropped in static/ for a banner leaves
//!   its location at home.
//! - **Animated GIF, PNG, WebP:** thumbnails and the share image come from
//!   the first frame; the viewing copy is the original file, stripped
//!   losslessly (a large one gets a warning).
//! - **SVG** is published as is, never rasterised; one with scripts, event
//!   attributes, `javascript:` links or `<foreignObject>` is an error.
//! - **Refused**, each with a Chinese message naming the file and the fix:
//!   HEIC/HEIF (tell the editor to export JPEG or set 兼容性最佳), AVIF, TIFF,
//!   BMP, unknown files, broken or truncated files, and anything over
//!   `[images] max_pixels`, judged from the header before decoding.
//!
//! Processing runs on rayon's pool; decoding holds a share of a fixed
//! working-memory budget ([`budget`]), and JPEGs are decoded at 1/2, 1/4 or
//! 1/8 scale when the largest copy is that much smaller, so a few photos
//! are in memory at once whatever the core count. Everything made is cached
//! by content hash and parameters; a warm build only reads small records
//! and stats files.

mod body;
pub mod budget;
mod container;
mod decode;
mod encode;
mod header;
pub(crate) mod jobs;
mod make;
mod plan;
mod probe;
mod process;
pub mod progress;
mod published;
#[doc(hidden)]
pub mod sample;
mod svg;

#[cfg(test)]
mod tests;

use std::ops::{BitOr, BitOrAssign};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub(crate) use body::{
    MARKER as BODY_MARKER, Tag as BodyTag, attr as escape_attr, link_tag as photo_link_tag,
    rewrite as rewrite_body, rewrite_links as rewrite_photo_links,
};
pub use plan::{
    SHARE_LONG_SIDE, SHARE_MAX_BYTES, SHARE_MIN_SHORT_SIDE, THUMBNAIL_WIDTHS, VIEW_LONG_SIDE,
    VIEW_STEP,
};
pub use process::{Processed, Processor, Summary};
pub use progress::{Progress, Reporter, Silent};
pub use published::Published;

/// `sizes` for a card or gallery thumbnail in the default theme: two
/// columns on a phone, about 20rem on wider screens.
pub const THUMBNAIL_SIZES: &str = "(min-width: 48rem) 20rem, 50vw";
/// `sizes` for an activity's gallery in the default theme: two columns in
/// the article on a phone (its padding and the gap taken off: 155 px at
/// 390 px, so a phone with a pixel ratio of 2 takes the 320-px copy), three
/// of about 14rem from 40rem up.
pub const GALLERY_SIZES: &str = "(min-width: 40rem) 14rem, calc(50vw - 2.5rem)";
/// `sizes` for an image in the text column (at most 45rem wide).
pub const VIEW_SIZES: &str = "(min-width: 48rem) 45rem, 100vw";

/// Where an image appears.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Cards, member portraits, gallery grids.
    Thumbnail,
    /// The image itself: in the text, a gallery's full view.
    View,
    /// `og:image` and WeChat's share card.
    Share,
}

/// A set of roles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Roles(u8);

impl Roles {
    pub const NONE: Roles = Roles(0);
    /// A file of static/ (or of the theme): templates and styles name it,
    /// so it is published at its own path, with nothing but pixels (its
    /// original, stripped; re-encoded in its own format when it must be
    /// turned upright).
    pub const STATIC: Roles = Roles(8);

    fn bit(r: Role) -> u8 {
        match r {
            Role::Thumbnail => 1,
            Role::View => 2,
            Role::Share => 4,
        }
    }

    pub fn contains(self, r: Role) -> bool {
        self.0 & Roles::bit(r) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether [`Roles::STATIC`] is among them.
    pub fn is_static(self) -> bool {
        self.0 & Roles::STATIC.0 != 0
    }

    pub(crate) fn bits(self) -> u8 {
        self.0
    }
}

impl From<Role> for Roles {
    fn from(r: Role) -> Roles {
        Roles(Roles::bit(r))
    }
}

impl BitOr<Role> for Roles {
    type Output = Roles;
    fn bitor(self, r: Role) -> Roles {
        Roles(self.0 | Roles::bit(r))
    }
}

impl BitOr for Role {
    type Output = Roles;
    fn bitor(self, r: Role) -> Roles {
        Roles::from(self) | r
    }
}

impl BitOrAssign for Roles {
    fn bitor_assign(&mut self, r: Roles) {
        self.0 |= r.0;
    }
}

impl BitOrAssign<Role> for Roles {
    fn bitor_assign(&mut self, r: Role) {
        self.0 |= Roles::bit(r);
    }
}

/// One image a page shows. Several jobs for the same file and path (a
/// gallery photo that is also the cover) are merged, their roles joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// The file on disk (absolute, or relative to the working directory).
    pub source: PathBuf,
    /// The output path the original has (`activities/wusi/photo-1.jpg`):
    /// copies are published beside it, named after it.
    pub site_path: String,
    pub roles: Roles,
}

/// File formats read and written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
    Svg,
}

impl Format {
    /// The format a file name's extension names (JPEG when it names none
    /// of these).
    pub(crate) fn of_name(name: &str) -> Format {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("png") => Format::Png,
            Some("gif") => Format::Gif,
            Some("webp") => Format::Webp,
            Some("svg") => Format::Svg,
            _ => Format::Jpeg,
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Webp => "webp",
            Format::Svg => "svg",
        }
    }
}

/// One published file of an image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// Output path, `/`-separated, beside the original:
    /// `activities/wusi/photo-1-640w.1a2b3c4d.jpg`.
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub bytes: u64,
}

/// Everything published for one source image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageSet {
    /// The job's site path (the original's output path).
    pub site_path: String,
    /// Upright size of the source.
    pub width: u32,
    pub height: u32,
    /// Resized copies (of the first frame, for animations), by width.
    pub variants: Vec<Variant>,
    /// The share image, when the share role was asked for.
    pub share: Option<Variant>,
    /// The original, published at `site_path`: with `originals = true`, for
    /// SVG, and for animations (their viewing copy).
    pub original: Option<Variant>,
    pub animated: bool,
    /// The source carried a location (EXIF or XMP GPS); no copy does.
    pub had_location: bool,
}

/// What a template needs for one `<img>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageView {
    pub src: String,
    /// `url 320w, url 640w, …`; empty when there is one file only.
    pub srcset: String,
    /// Empty when `srcset` is.
    pub sizes: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

impl ImageSet {
    /// The file a link to the image opens: the original when it is
    /// published (`originals = true`, animations, SVG), else the largest
    /// copy.
    pub fn link_target(&self) -> Option<&Variant> {
        self.original
            .as_ref()
            .or(self.variants.last())
            .or(self.share.as_ref())
    }

    /// The `<img>` for `role`. `url` turns an output path into the URL the
    /// page uses (relative or absolute: the route table decides).
    pub fn view(
        &self,
        role: Role,
        alt: &str,
        sizes: &str,
        url: impl Fn(&str) -> String,
    ) -> ImageView {
        let single = |v: &Variant| ImageView {
            src: url(&v.path),
            srcset: String::new(),
            sizes: String::new(),
            width: v.width,
            height: v.height,
            alt: alt.to_string(),
        };
        let still = match role {
            Role::Share => self.share.as_ref().or(self.variants.last()),
            Role::View if self.animated || self.variants.is_empty() => {
                self.original.as_ref().or(self.variants.last())
            }
            _ => None,
        };
        if let Some(v) = still {
            return single(v);
        }
        let Some(src) = (match role {
            // A browser without srcset gets a sharp enough thumbnail.
            Role::Thumbnail => self
                .variants
                .iter()
                .find(|v| v.width >= THUMBNAIL_WIDTHS[1])
                .or(self.variants.last()),
            _ => self.variants.last(),
        }) else {
            return match &self.original {
                Some(o) => single(o),
                None => ImageView {
                    src: String::new(),
                    srcset: String::new(),
                    sizes: String::new(),
                    width: self.width,
                    height: self.height,
                    alt: alt.to_string(),
                },
            };
        };
        let mut view = single(src);
        if self.variants.len() > 1 {
            view.srcset = self
                .variants
                .iter()
                .map(|v| format!("{} {}w", url(&v.path), v.width))
                .collect::<Vec<_>>()
                .join(", ");
            view.sizes = sizes.to_string();
        }
        view
    }
}

/// Whether a file is a raster image (everything [`is_image_name`] knows
/// but SVG): published only as the pipeline's copies, never as it is.
pub fn is_raster_name(name: &str) -> bool {
    is_image_name(name) && !name.to_ascii_lowercase().ends_with(".svg")
}

/// Whether a file name looks like an image zhibu knows of — including the
/// ones it refuses with a message (HEIC, AVIF, TIFF, BMP), so that those
/// reach [`Processor::process`] and are explained instead of copied.
pub fn is_image_name(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some(
            "jpg"
                | "jpeg"
                | "jfif"
                | "png"
                | "gif"
                | "webp"
                | "svg"
                | "heic"
                | "heif"
                | "avif"
                | "tif"
                | "tiff"
                | "bmp"
        )
    )
}
