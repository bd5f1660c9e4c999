//! Regenerates the example site's phone-like photos: generated in code
//! (never downloaded), with the EXIF orientation and GPS position a phone
//! writes, so that a build of the example shows the photo pipeline turning
//! them upright and stripping the location. Small enough to commit.
//!
//! `cargo run --example example_photos` (from the repository root).

use zhibu::images::sample::phone_photo;

/// (file, stored width, stored height, seed, EXIF orientation)
const PHOTOS: [(&str, u32, u32, u64, u16); 4] = [
    (
        "content/activities/2025-07-10-xiang-cun-zhen-xing/photo-1.jpg",
        1200,
        900,
        11,
        1,
    ),
    // Held upright: the phone stored it sideways with orientation 6.
    (
        "content/activities/2025-07-10-xiang-cun-zhen-xing/photo-2.jpg",
        1200,
        900,
        12,
        6,
    ),
    (
        "content/activities/2025-07-10-xiang-cun-zhen-xing/photo-3.jpg",
        1200,
        900,
        13,
        3,
    ),
    (
        "content/activities/2025-09-20-ying-xin-zhi-yuan/photo-1.jpg",
        1200,
        900,
        14,
        8,
    ),
];

fn main() -> std::io::Result<()> {
    for (path, w, h, seed, orientation) in PHOTOS {
        let bytes = phone_photo(w, h, seed, orientation);
        assert!(bytes.len() <= 300_000, "{path}: {} bytes", bytes.len());
        std::fs::write(path, &bytes)?;
        println!(
            "{path}: {} KB, orientation {orientation}",
            bytes.len() / 1000
        );
    }
    Ok(())
}
