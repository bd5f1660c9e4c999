//! Formats other than the phone JPEG, and every file that must be refused
//! with a message naming it.

use super::*;
use zhibu::config::ImagesConfig;
use zhibu::images::{Format, Role, Silent, sample};

fn one(site: &Site, rel: &str, bytes: &[u8], config: &ImagesConfig) -> Processed {
    site.bytes(rel, bytes);
    let site_path = rel.strip_prefix("content/").unwrap_or(rel);
    processor(site, config).process(&[job(site, rel, site_path, all())], &Silent)
}

/// The one error for `rel`: message and hint.
fn refused(site: &Site, rel: &str, bytes: &[u8], config: &ImagesConfig) -> (String, String) {
    let done = one(site, rel, bytes, config);
    assert!(done.sets.is_empty(), "{rel} was published");
    assert!(done.files.is_empty());
    assert_eq!(done.summary.failed, 1);
    let d: Vec<_> = done.diagnostics.iter().collect();
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].is_error());
    assert_eq!(d[0].file.as_deref(), Some(std::path::Path::new(rel)));
    (d[0].message.clone(), d[0].hint.clone().unwrap_or_default())
}

#[test]
fn bad_files_are_refused_with_a_reason_and_a_fix() {
    let site = Site::empty("img-refused");
    let c = ImagesConfig::default();
    let (m, h) = refused(&site, "content/a/IMG_0001.HEIC", &sample::heic(), &c);
    assert!(
        m.contains("HEIC") && h.contains("兼容性最佳") && h.contains("JPEG"),
        "{m} {h}"
    );
    // an iPhone photo renamed to .jpg is still HEIC
    let (m, _) = refused(&site, "content/a/renamed.jpg", &sample::heic(), &c);
    assert!(m.contains("HEIC"), "{m}");
    let photo = sample::phone_photo(640, 480, 1, 1);
    let (m, h) = refused(
        &site,
        "content/a/cut.jpg",
        &photo[..photo.len() * 3 / 5],
        &c,
    );
    assert!(m.contains("不完整") && h.contains("重新"), "{m} {h}");
    let (m, h) = refused(
        &site,
        "content/a/bomb.png",
        &sample::png_claiming(50_000, 50_000),
        &c,
    );
    assert!(m.contains("50000×50000") && m.contains("max_pixels"), "{m}");
    assert!(h.contains("缩小"), "{h}");
    let (m, _) = refused(
        &site,
        "content/a/bomb.jpg",
        &sample::jpeg_claiming(50_000, 50_000),
        &c,
    );
    assert!(m.contains("图片太大"), "{m}");
    let small = ImagesConfig {
        max_pixels: 1_000_000,
        ..ImagesConfig::default()
    };
    let (m, _) = refused(
        &site,
        "content/a/big.jpg",
        &sample::phone_photo(1200, 900, 2, 1),
        &small,
    );
    assert!(m.contains("100 万像素"), "{m}");
    let (m, _) = refused(&site, "content/a/notes.jpg", "会议记录".as_bytes(), &c);
    assert!(m.contains("不是能识别的图片"), "{m}");
    let (m, _) = refused(&site, "content/a/empty.png", b"", &c);
    assert!(m.contains("不是能识别的图片"), "{m}");
    let (m, _) = refused(&site, "content/a/scan.tif", b"II*\0\x08\0\0\0\0\0", &c);
    assert!(m.contains("TIFF"), "{m}");
    let (m, h) = refused(
        &site,
        "content/a/broken.png",
        &sample::png_claiming(10, 10)[..40],
        &c,
    );
    assert!(m.contains("不完整"), "{m} {h}");
    let script = b"<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <script>alert(1)</script>\n</svg>";
    let (m, _) = refused(&site, "content/a/logo.svg", script, &c);
    assert!(m.contains("<script>"), "{m}");
    // a huge file is refused by its size, before it is read
    let huge = ImagesConfig {
        max_pixels: 1_000_000,
        ..ImagesConfig::default()
    };
    let mut big = sample::heic();
    big.resize(40 << 20, 0);
    let (m, _) = refused(&site, "content/a/video.jpg", &big, &huge);
    assert!(m.contains("图片文件太大"), "{m}");
    // a file that vanished
    let done = processor(&site, &c).process(
        &[job(&site, "content/a/gone.jpg", "a/gone.jpg", all())],
        &Silent,
    );
    assert!(
        done.diagnostics
            .iter()
            .next()
            .unwrap()
            .message
            .contains("读不到")
    );
}

#[test]
fn svg_is_published_as_it_is_with_its_line_in_errors() {
    let site = Site::empty("img-svg");
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="10" height="10"/></svg>"#;
    let done = one(&site, "content/logo.svg", svg, &ImagesConfig::default());
    let set = &done.sets["logo.svg"];
    assert_eq!((set.width, set.height), (200, 100));
    assert!(set.variants.is_empty());
    assert_eq!(output(&done, "logo.svg"), svg);
    let view = set.view(Role::View, "标志", "", |p| p.to_string());
    assert_eq!((view.src.as_str(), view.width), ("logo.svg", 200));
    let bad = b"<svg xmlns=\"http://www.w3.org/2000/svg\">\n\n<g onclick=\"x()\"/></svg>";
    site.bytes("content/bad.svg", bad);
    let done = processor(&site, &ImagesConfig::default())
        .process(&[job(&site, "content/bad.svg", "bad.svg", all())], &Silent);
    let d = done.diagnostics.iter().next().unwrap();
    assert_eq!(d.line, 3, "{d}");
    assert!(d.message.contains("onclick"), "{d}");
}

#[test]
fn cmyk_grey_and_progressive_jpegs() {
    let site = Site::empty("img-cmyk");
    // magenta and yellow ink: red
    let done = one(
        &site,
        "content/print.jpg",
        &sample::cmyk_jpeg(64, 48, [0, 255, 255, 0]),
        &ImagesConfig::default(),
    );
    assert!(done.diagnostics.is_empty(), "{:?}", done.diagnostics);
    let v = done.sets["print.jpg"].variants.last().unwrap();
    let bytes = output(&done, &v.path);
    assert_clean(&bytes, "cmyk");
    for c in corners(&bytes) {
        assert!(near(c, RED), "{c:?}");
    }
    let grey: Vec<u8> = (0..300 * 200).map(|i| (i % 300 % 256) as u8).collect();
    let mut g = Vec::new();
    jpeg_encoder::Encoder::new(&mut g, 85)
        .encode(&grey, 300, 200, jpeg_encoder::ColorType::Luma)
        .unwrap();
    let done = one(&site, "content/grey.jpg", &g, &ImagesConfig::default());
    assert!(done.diagnostics.is_empty(), "{:?}", done.diagnostics);
    let rgb = sample::photo_pixels(320, 240, 5);
    let mut prog = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut prog, 85);
    enc.set_progressive(true);
    enc.encode(&rgb, 320, 240, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    let done = one(&site, "content/prog.jpg", &prog, &ImagesConfig::default());
    assert!(done.diagnostics.is_empty(), "{:?}", done.diagnostics);
    assert_eq!(done.sets["prog.jpg"].width, 320);
}

#[test]
fn png_rules_16_bit_palette_and_photographic() {
    let site = Site::empty("img-png");
    let c = ImagesConfig::default();
    // 16-bit with an EXIF chunk: orientation 6 and a position
    let done = one(&site, "content/deep.png", &sample::png_16bit(40, 20), &c);
    assert!(done.diagnostics.is_empty(), "{:?}", done.diagnostics);
    let set = &done.sets["deep.png"];
    assert_eq!((set.width, set.height), (20, 40));
    assert!(set.had_location);
    for v in &set.variants {
        assert_clean(&output(&done, &v.path), &v.path);
    }
    // palette with transparency stays PNG with alpha
    let done = one(&site, "content/logo.png", &sample::png_palette(64, 64), &c);
    let v = done.sets["logo.png"].variants.last().unwrap();
    assert_eq!(v.format, Format::Png);
    let img = image::load_from_memory(&output(&done, &v.path)).unwrap();
    assert!(img.color().has_alpha());
    // a flat drawing stays PNG; a photo saved as PNG becomes JPEG
    let done = one(
        &site,
        "content/chart.png",
        &sample::png(&sample::quadrants(800, 600), 800, 600, 3),
        &c,
    );
    assert!(
        done.sets["chart.png"]
            .variants
            .iter()
            .all(|v| v.format == Format::Png)
    );
    let photo = sample::png(&sample::photo_pixels(800, 600, 3), 800, 600, 3);
    let done = one(&site, "content/photo.png", &photo, &c);
    let set = &done.sets["photo.png"];
    assert!(
        set.variants.iter().all(|v| v.format == Format::Jpeg),
        "{:?}",
        set.variants
    );
    assert!(set.variants.iter().all(|v| v.path.ends_with(".jpg")));
}

#[test]
fn an_animated_gif_is_viewed_as_itself_without_its_metadata() {
    let site = Site::empty("img-gif");
    let gif = sample::animated_gif(120, 80, 5);
    let done = one(&site, "content/a/loop.gif", &gif, &ImagesConfig::default());
    assert!(done.diagnostics.is_empty(), "{:?}", done.diagnostics);
    let set = &done.sets["a/loop.gif"];
    assert!(set.animated && set.had_location);
    let original = set.original.as_ref().unwrap();
    assert_eq!(original.path, "a/loop.gif");
    let bytes = output(&done, "a/loop.gif");
    assert_clean(&bytes, "loop.gif");
    assert!(!bytes.windows(11).any(|w| w == b"XMP DataXMP"));
    use image::AnimationDecoder;
    let frames = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(&bytes))
        .unwrap()
        .into_frames()
        .count();
    assert_eq!(frames, 5);
    // thumbnails and the share image are stills of the first frame
    assert!(!set.variants.is_empty() && set.share.is_some());
    let view = set.view(Role::View, "", "", |p| p.to_string());
    assert_eq!(view.src, "a/loop.gif");
    assert!(view.srcset.is_empty());
}

#[test]
fn a_display_p3_photo_is_converted_to_srgb() {
    let site = Site::empty("img-p3");
    let flat: Vec<u8> = (0..64 * 64).flat_map(|_| [200u8, 100, 50]).collect();
    let plain = sample::jpeg(&flat, 64, 64, 95);
    let p3 = sample::with_segment(
        &plain,
        0xE2,
        &sample::icc_payload(&sample::display_p3_icc()),
    );
    let c = ImagesConfig::default();
    let done = one(&site, "content/srgb.jpg", &plain, &c);
    let kept = corners(&output(&done, &done.sets["srgb.jpg"].variants[0].path))[0];
    let done = one(&site, "content/p3.jpg", &p3, &c);
    let bytes = output(&done, &done.sets["p3.jpg"].variants[0].path);
    assert_clean(&bytes, "p3");
    let converted = corners(&bytes)[0];
    assert!(
        kept.iter()
            .zip([200u8, 100, 50])
            .all(|(a, b)| a.abs_diff(b) <= 3),
        "{kept:?}"
    );
    // P3's red is redder than sRGB's: in sRGB the same colour needs more red
    assert!(converted[0] > kept[0] + 8, "{converted:?} vs {kept:?}");
}

#[test]
fn share_images_fit_in_300_kb_even_for_noise() {
    let site = Site::empty("img-share");
    let mut x = 1u32;
    let noise: Vec<u8> = (0..1600 * 1200 * 3)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    let done = one(
        &site,
        "content/noise.jpg",
        &sample::jpeg(&noise, 1600, 1200, 95),
        &ImagesConfig::default(),
    );
    let share = done.sets["noise.jpg"].share.as_ref().unwrap();
    assert!(share.bytes <= 300_000, "{share:?}");
    assert!(share.width.min(share.height) >= 300, "{share:?}");
    assert_eq!(output(&done, &share.path).len() as u64, share.bytes);
}

#[test]
fn webp_is_read() {
    let site = Site::empty("img-webp");
    let mut w = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut w)
        .encode(
            &sample::quadrants(200, 100),
            200,
            100,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    let done = one(&site, "content/pic.webp", &w, &ImagesConfig::default());
    assert!(done.diagnostics.is_empty(), "{:?}", done.diagnostics);
    let set = &done.sets["pic.webp"];
    assert_eq!((set.width, set.height), (200, 100));
    let v = set.variants.last().unwrap();
    assert_eq!(v.format, Format::Png);
    let [tl, tr, ..] = corners(&output(&done, &v.path));
    assert!(near(tl, RED) && near(tr, GREEN));
}
