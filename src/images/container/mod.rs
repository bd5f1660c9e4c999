//! The four raster containers read without decoding a pixel: size,
//! animation, where the metadata is (EXIF, XMP), whether the file is
//! complete — and the same walk again to copy a file without its metadata
//! (`strip`, for `[images] originals = true`). Every length read from a file
//! is bounds-checked; a file that ends early is [`Broken::Truncated`].

pub(crate) mod gif;
pub(crate) mod jpeg;
pub(crate) mod png;
pub(crate) mod webp;

/// What a container says about its image.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Meta {
    pub width: u32,
    pub height: u32,
    /// The EXIF block from its TIFF header on.
    pub exif: Option<Vec<u8>>,
    /// Every XMP packet, one after the other (only ever searched).
    pub xmp: Vec<u8>,
    pub animated: bool,
    /// JPEG only: progressive files keep all coefficients while decoding.
    pub progressive: bool,
}

/// Why a file cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Broken {
    /// The file ends before its end marker.
    Truncated,
    /// Not what its first bytes claim; the words say what is wrong.
    Invalid(&'static str),
    /// A valid file of a kind zhibu cannot decode (arithmetic-coded JPEG …).
    Unsupported(&'static str),
}

/// Big-endian u16 at `i`, if the bytes are there.
pub(crate) fn be16(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]))
}

pub(crate) fn be32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

pub(crate) fn le16(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*b.get(i)?, *b.get(i + 1)?]))
}

pub(crate) fn le32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// EXIF blocks are sometimes stored with the JPEG APP1 prefix.
pub(crate) fn without_exif_prefix(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"Exif\0\0").unwrap_or(b)
}
