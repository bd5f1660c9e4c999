//! The image processor on images generated in code: `processing.rs`
//! checks upright copies of the right sizes with no metadata left in any
//! published byte, the cache (hits, recovery from corrupt entries, a cache
//! that cannot be made) and the originals option; `formats.rs` the other
//! formats and every file that must be refused.

#[path = "../common/mod.rs"]
mod common;
mod formats;
mod processing;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::Site;
use zhibu::cache::Cache;
use zhibu::config::ImagesConfig;
use zhibu::images::{Job, Processed, Processor, Progress, Role, Roles, sample};

pub(crate) fn processor(site: &Site, config: &ImagesConfig) -> Processor {
    let (cache, warning) = Cache::open(&site.root);
    assert!(warning.is_none());
    Processor::new(&site.root, config, Arc::new(cache))
}

pub(crate) fn all() -> Roles {
    Role::Thumbnail | Role::View | Role::Share
}

pub(crate) fn job(site: &Site, rel: &str, site_path: &str, roles: Roles) -> Job {
    Job {
        source: site.root.join(rel),
        site_path: site_path.to_string(),
        roles,
    }
}

pub(crate) fn output(done: &Processed, path: &str) -> Vec<u8> {
    done.files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no output {path}"))
        .read()
        .unwrap()
        .into_owned()
}

/// The markers of a JPEG up to its first scan, which must be only what
/// draws the image: JFIF, tables, frame, scan.
pub(crate) fn jpeg_markers(b: &[u8]) -> Vec<u8> {
    assert_eq!(&b[..2], &[0xFF, 0xD8]);
    let mut i = 2;
    let mut markers = Vec::new();
    while i + 4 <= b.len() {
        assert_eq!(b[i], 0xFF, "a marker at {i}");
        let m = b[i + 1];
        markers.push(m);
        if m == 0xDA {
            break;
        }
        i += 2 + usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
    }
    markers
}

/// Asserts that nothing but pixels left: no EXIF, XMP, IPTC, GPS, camera
/// names, comments or ICC, wherever in the file.
pub(crate) fn assert_clean(bytes: &[u8], what: &str) {
    for needle in [
        &b"Exif"[..],
        b"GPS",
        b"http://ns.adobe.com",
        b"xmpmeta",
        b"Photoshop",
        b"8BIM",
        b"TestPhone",
        b"TestMaker",
        b"ICC_PROFILE",
        b"eXIf",
        b"iTXt",
        b"tEXt",
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{what} still contains {:?}",
            String::from_utf8_lossy(needle)
        );
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        for m in jpeg_markers(bytes) {
            assert!(
                matches!(m, 0xE0 | 0xDB | 0xC0 | 0xC2 | 0xC4 | 0xDA | 0xDD),
                "{what} has marker FF{m:02X}"
            );
        }
    }
}

/// Any published file as RGB (zhibu reads JPEG with jpeg-decoder, not
/// through `image`).
pub(crate) fn decode(bytes: &[u8]) -> image::RgbImage {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let mut d = jpeg_decoder::Decoder::new(bytes);
        let px = d.decode().unwrap();
        let info = d.info().unwrap();
        let (w, h) = (u32::from(info.width), u32::from(info.height));
        let rgb = match info.pixel_format {
            jpeg_decoder::PixelFormat::L8 => px.iter().flat_map(|&v| [v, v, v]).collect(),
            _ => px,
        };
        image::RgbImage::from_raw(w, h, rgb).unwrap()
    } else {
        image::load_from_memory(bytes).unwrap().into_rgb8()
    }
}

pub(crate) fn pixel(img: &image::RgbImage, x: u32, y: u32) -> [u8; 3] {
    img.get_pixel(x, y).0
}

pub(crate) fn near(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) < 40)
}

pub(crate) const RED: [u8; 3] = [255, 0, 0];
pub(crate) const GREEN: [u8; 3] = [0, 255, 0];
pub(crate) const BLUE: [u8; 3] = [0, 0, 255];
pub(crate) const WHITE: [u8; 3] = [255, 255, 255];

/// The colours at the four corners of a decoded copy.
pub(crate) fn corners(bytes: &[u8]) -> [[u8; 3]; 4] {
    let img = decode(bytes);
    let (w, h) = img.dimensions();
    let m = 4;
    [
        pixel(&img, m, m),
        pixel(&img, w - 1 - m, m),
        pixel(&img, m, h - 1 - m),
        pixel(&img, w - 1 - m, h - 1 - m),
    ]
}

pub(crate) struct Counting {
    pub total: AtomicUsize,
    pub steps: AtomicUsize,
    pub cached: AtomicUsize,
}

impl Progress for Counting {
    fn start(&self, total: usize) {
        self.total.store(total, Ordering::SeqCst);
    }
    fn step(&self, from_cache: bool) {
        self.steps.fetch_add(1, Ordering::SeqCst);
        self.cached
            .fetch_add(usize::from(from_cache), Ordering::SeqCst);
    }
}

pub(crate) fn counting() -> Counting {
    Counting {
        total: AtomicUsize::new(0),
        steps: AtomicUsize::new(0),
        cached: AtomicUsize::new(0),
    }
}

pub(crate) fn photos(site: &Site, n: usize) -> Vec<Job> {
    (0..n)
        .map(|i| {
            let rel = format!("content/activities/a/photo-{i}.jpg");
            site.bytes(&rel, &sample::phone_photo(640, 480, i as u64, 1));
            settled(&site.root.join(&rel));
            job(site, &rel, &format!("activities/a/photo-{i}.jpg"), all())
        })
        .collect()
}

pub(crate) fn outputs(done: &Processed) -> Vec<(String, Vec<u8>)> {
    done.files
        .iter()
        .map(|f| (f.path.clone(), f.read().unwrap().into_owned()))
        .collect()
}

/// Dates a file an hour back, as files are that were not just written (the
/// cache does not fingerprint a file modified in the last two seconds).
pub(crate) fn settled(path: &std::path::Path) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
}
