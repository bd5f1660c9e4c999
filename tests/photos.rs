//! Photos in a built site (issue 13): a fixture with phone photos generated
//! in code (EXIF orientation 6 and GPS, one of them 12 MP) in an activity
//! bundle, a lesson's cover, a member's photo, a Markdown body image from
//! the bundle and one from static/. Checks the HTML (srcset, sizes,
//! width/height, og:image) and the published bytes (nothing but pixels,
//! upright, no originals unless asked for), the cache on a second build,
//! and refusals reported by `build` and `check`.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::Site;
use regex::Regex;
use zhibu::images::sample;

/// One 12-MP phone photo, shot sideways (orientation 6: the pixels are
/// 4032×3024, the photo is upright 3024×4032), made once for every test.
fn big_photo() -> &'static [u8] {
    static P: OnceLock<Vec<u8>> = OnceLock::new();
    P.get_or_init(|| sample::phone_photo(4032, 3024, 7, 6))
}

fn small_photo(seed: u64) -> Vec<u8> {
    sample::phone_photo(1600, 1200, seed, 1)
}

const ACTIVITY: &str = "content/activities/2025-05-04-wusi/";

fn site(name: &str) -> Site {
    let s = Site::new(name);
    s.bytes(&format!("{ACTIVITY}photo-1.jpg"), big_photo());
    s.bytes(&format!("{ACTIVITY}photo-2.jpg"), &small_photo(2));
    s.bytes(&format!("{ACTIVITY}photo-3.jpg"), &small_photo(3));
    s.file(
        &format!("{ACTIVITY}index.md"),
        "---\ntitle: 五四主题党日\ndate: 2025-05-04 14:00\nkind: 主题党日\nlocation: 党员之家\nparticipants: [zhang-san]\n---\n\n活动内容。\n\n![大家的合影](photo-2.jpg \"合影\")\n\n![横幅](/images/banner.jpg)\n",
    );
    s.bytes("static/images/banner.jpg", &small_photo(4));
    s.remove("content/members/zhang-san.md");
    s.file(
        "content/members/zhang-san/index.md",
        "---\nname: 张三\nrole: 学生党员\nphoto: me.jpg\n---\n\n事迹。\n",
    );
    s.bytes("content/members/zhang-san/me.jpg", &small_photo(5));
    s.remove("content/lessons/dang-zhang-01.md");
    s.file(
        "content/lessons/dang-zhang-01/index.md",
        "---\ntitle: 党章第一课\ndate: 2025-09-01\ncourse: 党章学习\ncover: cover.jpg\n---\n\n正文。\n",
    );
    s.bytes("content/lessons/dang-zhang-01/cover.jpg", &small_photo(6));
    s
}

/// Every `<img …>` tag of a page.
fn imgs(html: &str) -> Vec<String> {
    Regex::new(r"<img [^>]*>")
        .unwrap()
        .find_iter(html)
        .map(|m| m.as_str().to_string())
        .collect()
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let re = Regex::new(&format!(r#"\s{name}="([^"]*)""#)).unwrap();
    re.captures(tag).map(|c| c[1].to_string())
}

/// The JPEG's size from its header.
fn jpeg_size(b: &[u8]) -> (u32, u32) {
    let mut d = jpeg_decoder::Decoder::new(b);
    d.read_info().unwrap();
    let i = d.info().unwrap();
    (u32::from(i.width), u32::from(i.height))
}

/// Nothing but pixels: no EXIF, XMP, IPTC, GPS, camera names or comments.
fn assert_clean(b: &[u8], what: &str) {
    for needle in [
        &b"Exif"[..],
        b"GPS",
        b"xmpmeta",
        b"http://ns.adobe.com",
        b"8BIM",
        b"TestPhone",
        b"TestMaker",
        b"shot on",
    ] {
        assert!(
            !b.windows(needle.len()).any(|w| w == needle),
            "{what} still holds {:?}",
            String::from_utf8_lossy(needle)
        );
    }
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The site path behind a root-relative URL of the test site.
fn file_of(s: &Site, url: &str) -> Vec<u8> {
    let rel = url
        .trim_start_matches("https://test.example.edu.cn")
        .trim_start_matches('/');
    std::fs::read(s.public().join(rel)).unwrap_or_else(|e| panic!("{url}: {e}"))
}

#[test]
fn pages_show_sized_copies_and_share_a_small_upright_image() {
    let s = site("photos-html");
    let report = s.build_ok();
    assert_eq!(report.images.images, 6, "{:?}", report.images);
    assert_eq!(report.images.with_location, 6);
    assert!(report.images.location_line().unwrap().contains("6 张照片"));

    let html = s.read("activities/2025-05-04-wusi/index.html");
    let tags = imgs(&html);
    // The gallery: three thumbnails opening the viewing copy, sized.
    let gallery: Vec<&String> = tags.iter().filter(|t| t.contains("现场照片")).collect();
    assert_eq!(gallery.len(), 3, "{tags:#?}");
    let first = gallery[0];
    let srcset = attr(first, "srcset").expect("a srcset");
    assert!(
        srcset.contains(" 320w") && srcset.contains(" 640w"),
        "{first}"
    );
    assert_eq!(
        attr(first, "sizes").as_deref(),
        Some(zhibu::images::GALLERY_SIZES)
    );
    // Upright: the sideways 4032×3024 photo is published portrait.
    let (w, h): (u32, u32) = (
        attr(first, "width").unwrap().parse().unwrap(),
        attr(first, "height").unwrap().parse().unwrap(),
    );
    assert!(h > w, "{first}");
    // Each thumbnail opens the viewing copy (long side 1600), not the original.
    assert!(
        html.contains("<a href=\"/activities/2025-05-04-wusi/photo-1-1200w."),
        "{html}"
    );
    // The body's own images: the bundle photo and the one from static/.
    let body: Vec<&String> = tags
        .iter()
        .filter(|t| t.contains("合影") || t.contains("横幅"))
        .collect();
    assert_eq!(body.len(), 2, "{tags:#?}");
    assert!(attr(body[0], "srcset").is_some(), "{}", body[0]);
    assert_eq!(
        attr(body[0], "sizes").as_deref(),
        Some(zhibu::images::VIEW_SIZES)
    );
    assert_eq!(attr(body[0], "width").as_deref(), Some("1600"));
    assert_eq!(attr(body[0], "height").as_deref(), Some("1200"));
    assert_eq!(attr(body[0], "title").as_deref(), Some("合影"));
    assert!(
        attr(body[0], "loading").is_none(),
        "the first body image loads at once"
    );
    assert_eq!(attr(body[1], "loading").as_deref(), Some("lazy"));
    assert!(attr(body[1], "srcset").unwrap().contains("images/banner-"));
    // Below the body's images, the gallery loads lazily.
    assert_eq!(attr(first, "loading").as_deref(), Some("lazy"));

    // og:image: a JPEG of at most 300 KB, short side at least 300.
    let og = Regex::new(r#"<meta property="og:image" content="([^"]+)">"#)
        .unwrap()
        .captures(&html)
        .expect("og:image")[1]
        .to_string();
    assert!(og.starts_with("https://test.example.edu.cn/"), "{og}");
    let share = file_of(&s, &og);
    assert!(share.len() <= 300_000, "{} bytes", share.len());
    let (sw, sh) = jpeg_size(&share);
    assert!(sw.min(sh) >= 300 && sh > sw, "{sw}×{sh}");
    assert!(html.contains(&format!(
        "<meta property=\"og:image:width\" content=\"{sw}\">"
    )));
    assert_clean(&share, "the share image");

    // The member's portrait and the home page's card covers.
    let member = s.read("members/zhang-san/index.html");
    let portrait = imgs(&member)
        .into_iter()
        .find(|t| t.contains("portrait"))
        .unwrap();
    assert!(
        attr(&portrait, "srcset").unwrap().contains("me-320w"),
        "{portrait}"
    );
    let home = s.read("index.html");
    let cover = imgs(&home)
        .into_iter()
        .find(|t| t.contains("card-cover"))
        .expect("a card cover on the home page");
    assert!(
        attr(&cover, "srcset").is_some() && attr(&cover, "width").is_some(),
        "{cover}"
    );
    let lesson = s.read("lessons/dang-zhang-01/index.html");
    assert!(
        lesson.contains("/lessons/dang-zhang-01/cover-share."),
        "the lesson's cover is its share image"
    );
}

#[test]
fn published_bytes_are_pixels_only_and_originals_stay_home() {
    let s = site("photos-bytes");
    s.build_ok();
    for name in ["photo-1.jpg", "photo-2.jpg", "photo-3.jpg"] {
        assert!(
            !s.exists(&format!("activities/2025-05-04-wusi/{name}")),
            "{name} published"
        );
    }
    assert!(!s.exists("members/zhang-san/me.jpg"));
    let mut all = Vec::new();
    files_under(&s.public(), &mut all);
    let jpegs: Vec<_> = all
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    // 6 photos, each with its copies; static/'s banner is published as is.
    assert!(jpegs.len() > 12, "{jpegs:?}");
    for p in &jpegs {
        let b = std::fs::read(p).unwrap();
        if p.ends_with("images/banner.jpg") {
            continue;
        }
        assert_clean(&b, &p.display().to_string());
        if p.to_string_lossy().contains("photo-1-") {
            let (w, h) = jpeg_size(&b);
            assert!(h > w, "{} is {w}×{h}", p.display());
        }
    }

    // A second build takes every photo from the cache and publishes the same.
    let again = s.build_ok();
    assert_eq!(again.images.from_cache, again.images.images);
}

#[test]
fn originals_when_asked_for_are_stripped_and_upright() {
    let s = site("photos-originals");
    s.file(
        "site.toml",
        "title = \"测试支部\"\nbase_url = \"https://test.example.edu.cn/\"\n[images]\noriginals = true\n",
    );
    s.build_ok();
    let original =
        std::fs::read(s.public().join("activities/2025-05-04-wusi/photo-1.jpg")).unwrap();
    assert_clean(&original, "the original");
    assert_eq!(jpeg_size(&original), (3024, 4032));
    let other = std::fs::read(s.public().join("activities/2025-05-04-wusi/photo-2.jpg")).unwrap();
    assert_clean(&other, "photo-2.jpg");
}

#[test]
fn refused_photos_fail_build_and_check_with_the_file_named() {
    let s = site("photos-heic");
    s.bytes(&format!("{ACTIVITY}IMG_0001.HEIC"), &sample::heic());
    let err = s.build_err();
    assert!(err.contains("IMG_0001.HEIC"), "{err}");
    assert!(err.contains("兼容性最佳") || err.contains("JPEG"), "{err}");
    let checked = zhibu::pipeline::check(&s.options());
    let d = checked.expect_err("check reports the HEIC file");
    assert!(d.render(false).contains("IMG_0001.HEIC"));
    // The output folder was never written.
    assert!(!s.exists("index.html"));
}
