//! The container walkers and the probe on files made in code: what they
//! find, what `strip` keeps and drops, and the refusals.

use super::container::{Broken, gif, jpeg, png, webp};
use super::probe::{Sniffed, probe, sniff};
use super::{Format, sample};

fn has(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn phone() -> Vec<u8> {
    sample::phone_jpeg(&sample::quadrants(64, 48), 64, 48, 6)
}

#[test]
fn jpeg_scan_finds_size_exif_and_xmp() {
    let m = jpeg::scan(&phone()).unwrap();
    assert_eq!((m.width, m.height), (64, 48));
    assert!(m.exif.as_deref().unwrap().starts_with(b"II*\0"));
    assert!(has(&m.xmp, b"GPSLatitude"));
    assert!(!m.progressive && !m.animated);
    let p = probe(&phone(), Format::Jpeg, 100_000_000).unwrap();
    assert_eq!((p.orientation, p.upright()), (6, (48, 64)));
    assert!(p.had_location);
}

#[test]
fn location_in_xmp_alone_counts() {
    let plain = sample::jpeg(&sample::quadrants(32, 32), 32, 32, 80);
    let xmp = [
        &b"http://ns.adobe.com/xap/1.0/\0"[..],
        &sample::xmp_packet(true),
    ]
    .concat();
    let p = probe(
        &sample::with_segment(&plain, 0xE1, &xmp),
        Format::Jpeg,
        u64::MAX,
    )
    .unwrap();
    assert!(p.had_location);
    let none = [
        &b"http://ns.adobe.com/xap/1.0/\0"[..],
        &sample::xmp_packet(false),
    ]
    .concat();
    let p = probe(
        &sample::with_segment(&plain, 0xE1, &none),
        Format::Jpeg,
        u64::MAX,
    )
    .unwrap();
    assert!(!p.had_location);
    assert_eq!(p.orientation, 1);
}

#[test]
fn jpeg_strip_keeps_the_image_and_its_profile_only() {
    let icc = sample::icc_payload(b"a colour profile");
    let mut file = sample::with_segment(&phone(), 0xE2, &icc);
    file.extend_from_slice(b"MPF: a depth map and maker data after the end");
    let out = jpeg::strip(&file).unwrap();
    for gone in [
        &b"Exif"[..],
        b"xmpmeta",
        b"Photoshop",
        b"TestPhone",
        b"depth map",
    ] {
        assert!(!has(&out, gone), "{}", String::from_utf8_lossy(gone));
    }
    assert!(has(&out, b"ICC_PROFILE\0") && has(&out, b"a colour profile"));
    assert!(out.ends_with(&[0xFF, 0xD9]));
    // the same pixels
    let decode = |b: &[u8]| jpeg_decoder::Decoder::new(b).decode().unwrap();
    assert_eq!(decode(&out), decode(&file));
    let again = jpeg::scan(&out).unwrap();
    assert!(again.exif.is_none() && again.xmp.is_empty());
}

#[test]
fn jpeg_refusals() {
    let whole = phone();
    assert_eq!(
        jpeg::scan(&whole[..whole.len() - 10]),
        Err(Broken::Truncated)
    );
    assert_eq!(jpeg::scan(&whole[..200]), Err(Broken::Truncated));
    assert!(matches!(
        jpeg::scan(b"\xFF\xD8\xFF\xD9"),
        Err(Broken::Invalid(_))
    ));
    // a thousand scans of nothing: refused before any decoding
    let mut many = vec![0xFF, 0xD8];
    many.extend_from_slice(&[0xFF, 0xC2, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
    for _ in 0..1000 {
        many.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0x00]);
    }
    many.extend_from_slice(&[0xFF, 0xD9]);
    assert!(matches!(jpeg::scan(&many), Err(Broken::Unsupported(_))));
    // arithmetic coding
    let arith = [
        0xFF, 0xD8, 0xFF, 0xC9, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xFF, 0xD9,
    ];
    assert!(matches!(jpeg::scan(&arith), Err(Broken::Unsupported(_))));
}

#[test]
fn png_scan_and_strip() {
    let deep = sample::png_16bit(8, 4);
    let m = png::scan(&deep).unwrap();
    assert_eq!((m.width, m.height), (8, 4));
    assert!(m.exif.is_some());
    let out = png::strip(&deep).unwrap();
    assert!(!has(&out, b"eXIf"));
    assert!(png::scan(&out).unwrap().exif.is_none());
    let pal = sample::png_palette(16, 16);
    let out = png::strip(&pal).unwrap();
    assert!(has(&out, b"PLTE") && has(&out, b"tRNS"));
    assert_eq!(
        image::load_from_memory(&out).unwrap(),
        image::load_from_memory(&pal).unwrap()
    );
    assert_eq!(png::scan(&pal[..pal.len() - 5]), Err(Broken::Truncated));
    // ImageMagick's hex EXIF in a text chunk is found too
    let exif = sample::exif_block(&sample::Exif {
        orientation: Some(8),
        gps: Some((1.0, 2.0)),
        camera: None,
    });
    let hex: String = exif.iter().map(|b| format!("{b:02x}")).collect();
    let text = format!("Raw profile type exif\0\nexif\n{}\n{hex}\n", exif.len());
    let magick = sample::png_raw(
        2,
        2,
        8,
        0,
        &[vec![0, 0], vec![0, 0]],
        &[(b"tEXt", text.into_bytes())],
    );
    let p = probe(&magick, Format::Png, u64::MAX).unwrap();
    assert_eq!(p.orientation, 8);
    assert!(p.had_location);
    assert!(!has(&png::strip(&magick).unwrap(), b"Raw profile"));
}

#[test]
fn gif_scan_and_strip() {
    let anim = sample::animated_gif(10, 10, 3);
    let m = gif::scan(&anim).unwrap();
    assert!(m.animated);
    assert!(has(&m.xmp, b"GPSLatitude"));
    let out = gif::strip(&anim).unwrap();
    assert!(!has(&out, b"XMP DataXMP") && !has(&out, b"GPS"));
    assert!(has(&out, b"NETSCAPE2.0"), "looping is kept");
    assert!(gif::scan(&out).unwrap().xmp.is_empty());
    assert_eq!(gif::scan(&anim[..anim.len() - 1]), Err(Broken::Truncated));
    let still = sample::animated_gif(10, 10, 1);
    assert!(!gif::scan(&still).unwrap().animated);
}

/// A lossless WebP wrapped in VP8X with EXIF and XMP chunks.
fn webp_with_metadata() -> Vec<u8> {
    let mut simple = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut simple)
        .encode(
            &sample::quadrants(6, 4),
            6,
            4,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    let chunk = |fourcc: &[u8], data: &[u8]| {
        let mut c = fourcc.to_vec();
        c.extend_from_slice(&(data.len() as u32).to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    };
    let vp8x = [0x0C, 0, 0, 0, 5, 0, 0, 3, 0, 0]; // EXIF | XMP, 6 × 4
    let exif = sample::exif_block(&sample::Exif {
        orientation: Some(3),
        gps: Some((1.0, 2.0)),
        camera: Some(("TestMaker", "TestPhone")),
    });
    let mut body = b"WEBP".to_vec();
    body.extend(chunk(b"VP8X", &vp8x));
    body.extend_from_slice(&simple[12..]); // the VP8L chunk
    body.extend(chunk(b"EXIF", &exif));
    body.extend(chunk(b"XMP ", &sample::xmp_packet(true)));
    let mut file = b"RIFF".to_vec();
    file.extend_from_slice(&(body.len() as u32).to_le_bytes());
    file.extend(body);
    file
}

#[test]
fn webp_scan_and_strip() {
    let file = webp_with_metadata();
    let p = probe(&file, Format::Webp, u64::MAX).unwrap();
    assert_eq!((p.width, p.height, p.orientation), (6, 4, 3));
    assert!(p.had_location);
    let out = webp::strip(&file).unwrap();
    assert!(!has(&out, b"EXIF") && !has(&out, b"XMP ") && !has(&out, b"TestPhone"));
    assert_eq!(out[20] & 0x0C, 0, "flags cleared");
    assert_eq!(
        u32::from_le_bytes(out[4..8].try_into().unwrap()) as usize,
        out.len() - 8
    );
    let img = image::load_from_memory(&out).unwrap();
    assert_eq!((img.width(), img.height()), (6, 4));
}

#[test]
fn sniffing_goes_by_content() {
    assert_eq!(sniff(&sample::heic()), Sniffed::Heic);
    assert_eq!(
        sniff(b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf"),
        Sniffed::Avif
    );
    assert!(matches!(
        sniff(b"\0\0\0\x18ftypisom\0\0\0\0isomiso2"),
        Sniffed::Other(_)
    ));
    assert_eq!(sniff(&phone()), Sniffed::Image(Format::Jpeg));
    assert_eq!(
        sniff(b"\xEF\xBB\xBF\n <?xml version=\"1.0\"?><svg/>"),
        Sniffed::Image(Format::Svg)
    );
    assert_eq!(sniff(b"<html><body>no</body></html>"), Sniffed::Unknown);
    assert_eq!(sniff(b""), Sniffed::Unknown);
}
