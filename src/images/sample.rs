//! Images made in code for tests and the benchmark (they are never
//! downloaded): photo-like JPEGs as phones write them — EXIF orientation,
//! GPS position, camera make and model, XMP with a location, ICC profiles —
//! and the awkward files editors bring: CMYK, 16-bit and palette PNG,
//! animated GIF, HEIC, a header that claims 50 000 × 50 000 pixels.
//!
//! Public only so that the integration tests and examples/bench.rs can use
//! it; not part of zhibu's interface.

use image::ImageEncoder;

/// A small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// RGB pixels that compress like a photo (smooth colour fields, edges,
/// texture and sensor grain): a 12-MP one is about 3 MB as a JPEG at 92.
pub fn photo_pixels(w: u32, h: u32, seed: u64) -> Vec<u8> {
    let (w, h) = (w as usize, h as usize);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    const GX: usize = 16;
    const GY: usize = 12;
    let grid: Vec<[f32; 3]> = (0..(GX + 1) * (GY + 1))
        .map(|_| {
            let mut c = [0f32; 3];
            for v in &mut c {
                *v = (rng.next() % 256) as f32;
            }
            c
        })
        .collect();
    let sx: Vec<f32> = (0..w).map(|x| (x as f32 * 0.07).sin() * 20.0).collect();
    let cy: Vec<f32> = (0..h).map(|y| (y as f32 * 0.05).cos()).collect();
    let mut out = vec![0u8; w * h * 3];
    for (y, &cos_y) in cy.iter().enumerate() {
        let fy = y as f32 * GY as f32 / h as f32;
        let (iy, ty) = (fy as usize, fy.fract());
        let row: Vec<[f32; 3]> = (0..=GX)
            .map(|i| {
                let (a, b) = (grid[iy * (GX + 1) + i], grid[(iy + 1) * (GX + 1) + i]);
                [0, 1, 2].map(|c| a[c] + (b[c] - a[c]) * ty)
            })
            .collect();
        for (x, &sin_x) in sx.iter().enumerate() {
            let fx = x as f32 * GX as f32 / w as f32;
            let (ix, tx) = (fx as usize, fx.fract());
            let edge = if (x / 37 + y / 53) % 7 == 0 {
                30.0
            } else {
                0.0
            };
            let r = rng.next();
            let i = (y * w + x) * 3;
            for c in 0..3 {
                let base = row[ix][c] + (row[ix + 1][c] - row[ix][c]) * tx;
                let grain = ((r >> (c * 8)) % 13) as f32 - 6.0;
                let v = base + sin_x * cos_y + edge + grain;
                out[i + c] = v.clamp(0.0, 255.0) as u8;
            }
        }
    }
    out
}

/// Four flat quadrants, as stored: red top left, green top right, blue
/// bottom left, white bottom right. After an orientation is applied, the
/// colours show where each corner went.
pub fn quadrants(w: u32, h: u32) -> Vec<u8> {
    let row = |left: [u8; 3], right: [u8; 3]| -> Vec<u8> {
        (0..w)
            .flat_map(|x| if x < w / 2 { left } else { right })
            .collect()
    };
    let (top, bottom) = (
        row([255, 0, 0], [0, 255, 0]),
        row([0, 0, 255], [255, 255, 255]),
    );
    let mut out = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        out.extend_from_slice(if y < h / 2 { &top } else { &bottom });
    }
    out
}

/// A JPEG of RGB pixels, without any metadata.
pub fn jpeg(rgb: &[u8], w: u32, h: u32, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, quality);
    enc.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    enc.encode(rgb, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .expect("sample JPEG encodes");
    out
}

/// A CMYK JPEG (Adobe, as Photoshop writes them) of a flat colour.
pub fn cmyk_jpeg(w: u32, h: u32, cmyk: [u8; 4]) -> Vec<u8> {
    let px: Vec<u8> = (0..w * h).flat_map(|_| cmyk).collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&px, w as u16, h as u16, jpeg_encoder::ColorType::Cmyk)
        .expect("sample CMYK JPEG encodes");
    out
}

/// What a phone writes into EXIF.
#[derive(Clone, Debug, Default)]
pub struct Exif {
    pub orientation: Option<u16>,
    /// Latitude and longitude in degrees (north and east).
    pub gps: Option<(f64, f64)>,
    /// Make and model.
    pub camera: Option<(&'static str, &'static str)>,
}

/// One IFD entry: tag, type, count and the value bytes.
struct Entry(u16, u16, u32, Vec<u8>);

fn ascii(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    v
}

fn rationals(deg: f64) -> Vec<u8> {
    let d = deg.abs();
    let (whole, minutes) = (d.trunc(), (d.fract() * 60.0));
    [
        (whole as u32, 1u32),
        (minutes.trunc() as u32, 1),
        ((minutes.fract() * 6000.0) as u32, 100),
    ]
    .iter()
    .flat_map(|(n, q)| [n.to_le_bytes(), q.to_le_bytes()].concat())
    .collect()
}

/// Lays out IFDs one after the other (each entry's data after all IFDs).
/// `pointers` patches an entry of IFD `from` to the offset of IFD `to`.
fn tiff(ifds: Vec<Vec<Entry>>, pointers: &[(usize, u16, usize)]) -> Vec<u8> {
    let mut starts = Vec::new();
    let mut at = 8u32;
    for ifd in &ifds {
        starts.push(at);
        at += 2 + 12 * ifd.len() as u32 + 4;
    }
    let mut data = Vec::new();
    let mut out = b"II*\0\x08\0\0\0".to_vec();
    for (i, ifd) in ifds.iter().enumerate() {
        out.extend_from_slice(&(ifd.len() as u16).to_le_bytes());
        for Entry(tag, kind, count, value) in ifd {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&kind.to_le_bytes());
            out.extend_from_slice(&count.to_le_bytes());
            let pointer = pointers.iter().find(|p| p.0 == i && p.1 == *tag);
            if let Some(&(_, _, to)) = pointer {
                out.extend_from_slice(&starts[to].to_le_bytes());
            } else if value.len() <= 4 {
                let mut v = value.clone();
                v.resize(4, 0);
                out.extend_from_slice(&v);
            } else {
                out.extend_from_slice(&(at + data.len() as u32).to_le_bytes());
                data.extend_from_slice(value);
                if data.len() % 2 == 1 {
                    data.push(0);
                }
            }
        }
        out.extend_from_slice(&0u32.to_le_bytes());
    }
    out.extend_from_slice(&data);
    out
}

/// An EXIF block (TIFF, little endian) as a phone writes it.
pub fn exif_block(e: &Exif) -> Vec<u8> {
    let mut ifd0 = Vec::new();
    if let Some((make, model)) = e.camera {
        ifd0.push(Entry(0x010F, 2, make.len() as u32 + 1, ascii(make)));
        ifd0.push(Entry(0x0110, 2, model.len() as u32 + 1, ascii(model)));
    }
    if let Some(o) = e.orientation {
        ifd0.push(Entry(0x0112, 3, 1, o.to_le_bytes().to_vec()));
    }
    let mut ifds = vec![ifd0];
    let mut pointers = Vec::new();
    if let Some((lat, lon)) = e.gps {
        ifds[0].push(Entry(0x8825, 4, 1, vec![0; 4]));
        pointers.push((0, 0x8825, 1));
        ifds.push(vec![
            Entry(0x0000, 1, 4, vec![2, 3, 0, 0]),
            Entry(0x0001, 2, 2, ascii("N")),
            Entry(0x0002, 5, 3, rationals(lat)),
            Entry(0x0003, 2, 2, ascii("E")),
            Entry(0x0004, 5, 3, rationals(lon)),
        ]);
    }
    tiff(ifds, &pointers)
}

/// An XMP packet, with a location when `gps`.
pub fn xmp_packet(gps: bool) -> Vec<u8> {
    let place = if gps {
        r#" exif:GPSLatitude="39,54.50N" exif:GPSLongitude="116,23.40E""#
    } else {
        ""
    };
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\" tiff:Model=\"TestPhone 12\"{place}/></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>"
    )
    .into_bytes()
}

/// `jpeg` with an APPn segment (`marker` 0xE0–0xEF) right after SOI.
pub fn with_segment(jpeg: &[u8], marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A JPEG as a phone writes it: EXIF (orientation, GPS, camera), XMP with
/// the location, an IPTC block, and a comment.
pub fn phone_jpeg(rgb: &[u8], w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let plain = jpeg(rgb, w, h, 92);
    let exif = exif_block(&Exif {
        orientation: Some(orientation),
        gps: Some((39.9087, 116.3975)),
        camera: Some(("TestMaker", "TestPhone 12")),
    });
    let mut out = with_segment(&plain, 0xFE, b"shot on TestPhone");
    out = with_segment(
        &out,
        0xED,
        b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x0c\x1c\x02\x5a\0\x06Beijing",
    );
    out = with_segment(
        &out,
        0xE1,
        &[&b"http://ns.adobe.com/xap/1.0/\0"[..], &xmp_packet(true)].concat(),
    );
    with_segment(&out, 0xE1, &[&b"Exif\0\0"[..], &exif].concat())
}

/// A photo-like phone JPEG of the given size (the benchmark's corpus).
pub fn phone_photo(w: u32, h: u32, seed: u64, orientation: u16) -> Vec<u8> {
    phone_jpeg(&photo_pixels(w, h, seed), w, h, orientation)
}

/// An APP2 ICC segment's payload for `profile`.
pub fn icc_payload(profile: &[u8]) -> Vec<u8> {
    [&b"ICC_PROFILE\0\x01\x01"[..], profile].concat()
}

/// The Display P3 profile iPhones embed.
pub fn display_p3_icc() -> Vec<u8> {
    moxcms::ColorProfile::new_display_p3()
        .encode()
        .expect("moxcms encodes its own profile")
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

/// A PNG written by hand: `rows` are the raw (unfiltered) scanlines.
/// `extra` chunks go before IDAT.
pub fn png_raw(
    w: u32,
    h: u32,
    bit_depth: u8,
    color_type: u8,
    rows: &[Vec<u8>],
    extra: &[(&[u8; 4], Vec<u8>)],
) -> Vec<u8> {
    use std::io::Write as _;
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[bit_depth, color_type, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    for (kind, data) in extra {
        chunk(&mut out, kind, data);
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    for r in rows {
        let _ = z.write_all(&[0]);
        let _ = z.write_all(r);
    }
    chunk(&mut out, b"IDAT", &z.finish().expect("in memory"));
    chunk(&mut out, b"IEND", &[]);
    out
}

/// An 8-bit PNG through `image` (`channels` 1, 3 or 4).
pub fn png(px: &[u8], w: u32, h: u32, channels: u8) -> Vec<u8> {
    let color = match channels {
        1 => image::ExtendedColorType::L8,
        4 => image::ExtendedColorType::Rgba8,
        _ => image::ExtendedColorType::Rgb8,
    };
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(px, w, h, color)
        .expect("sample PNG encodes");
    out
}

/// A 16-bit RGB PNG of a gradient, with an EXIF chunk (orientation 6, GPS).
pub fn png_16bit(w: u32, h: u32) -> Vec<u8> {
    let rows: Vec<Vec<u8>> = (0..h)
        .map(|y| {
            (0..w)
                .flat_map(|x| {
                    let v = ((x * 65535) / w.max(1)) as u16;
                    let g = ((y * 65535) / h.max(1)) as u16;
                    [v.to_be_bytes(), g.to_be_bytes(), 0x8000u16.to_be_bytes()].concat()
                })
                .collect()
        })
        .collect();
    let exif = exif_block(&Exif {
        orientation: Some(6),
        gps: Some((31.2, 121.5)),
        camera: None,
    });
    png_raw(w, h, 16, 2, &rows, &[(b"eXIf", exif)])
}

/// A palette PNG (four colours, with a transparent one).
pub fn png_palette(w: u32, h: u32) -> Vec<u8> {
    let rows: Vec<Vec<u8>> = (0..h)
        .map(|y| (0..w).map(|x| ((x / 8 + y / 8) % 4) as u8).collect())
        .collect();
    let plte = vec![200, 16, 46, 255, 215, 0, 255, 255, 255, 0, 0, 0];
    png_raw(
        w,
        h,
        8,
        3,
        &rows,
        &[(b"PLTE", plte), (b"tRNS", vec![255, 255, 255, 0])],
    )
}

/// An animated GIF of `frames` frames, with a comment and an XMP block.
pub fn animated_gif(w: u32, h: u32, frames: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = image::codecs::gif::GifEncoder::new(&mut out);
        let _ = enc.set_repeat(image::codecs::gif::Repeat::Infinite);
        for i in 0..frames {
            let img = image::RgbaImage::from_fn(w, h, |x, y| {
                let on = (x + y + i * 4) % 16 < 8;
                image::Rgba(if on {
                    [200, 16, 46, 255]
                } else {
                    [255, 215, 0, 255]
                })
            });
            enc.encode_frame(image::Frame::new(img))
                .expect("sample GIF encodes");
        }
    }
    // a comment and an XMP application block before the trailer
    let trailer = out.pop();
    debug_assert_eq!(trailer, Some(0x3B));
    out.extend_from_slice(b"\x21\xFE\x0dGPS 39.9N ABC\x00");
    out.extend_from_slice(b"\x21\xFF\x0bXMP DataXMP");
    let xmp = xmp_packet(true);
    for part in xmp.chunks(255) {
        out.push(part.len() as u8);
        out.extend_from_slice(part);
    }
    out.push(0);
    out.push(0x3B);
    out
}

/// The first bytes of an iPhone photo: an ISO media `ftyp` box of brand heic.
pub fn heic() -> Vec<u8> {
    let mut v = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    v.extend_from_slice(&[0u8; 64]);
    v
}

/// A PNG whose header claims `w`×`h` pixels, with hardly any data.
pub fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    png_raw(w, h, 8, 2, &[vec![0; 3]], &[])
}

/// A real small JPEG whose frame header is patched to claim `w`×`h`.
pub fn jpeg_claiming(w: u16, h: u16) -> Vec<u8> {
    let mut b = jpeg(&quadrants(16, 16), 16, 16, 80);
    if let Some(i) = b.windows(2).position(|p| p == [0xFF, 0xC0]) {
        b[i + 5..i + 7].copy_from_slice(&h.to_be_bytes());
        b[i + 7..i + 9].copy_from_slice(&w.to_be_bytes());
    }
    b
}
