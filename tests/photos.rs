//! Photos in a built site (issue 13): a fixture with phone photos generated
//! in code (EXIF orientation 6 and GPS, one of them 12 MP) in an activity
//! bundle, a lesson's cover, a member's photo, a Markdown body image from
//! the bundle and one from static/. Checks the HTML (srcset, sizes,
//! width/height, og:image) and the published bytes (nothing but pixels,
//! upright, no originals unless asked for), the cache on a second build,
//! and refusals reported by `build` and `check`; links to photos, photos
//! of static/, the first card's cover, and `serve`'s stand-ins.

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
    // 6 photos, each with its copies; static/'s banner under its own name.
    assert!(jpegs.len() > 12, "{jpegs:?}");
    assert!(s.exists("images/banner.jpg"));
    for p in &jpegs {
        let b = std::fs::read(p).unwrap();
        assert_clean(&b, &p.display().to_string());
        if p.to_string_lossy().contains("photo-1-") {
            let (w, h) = jpeg_size(&b);
            assert!(h > w, "{} is {w}×{h}", p.display());
        }
    }

    // A second build takes every photo from the cache and publishes the same.
    let again = s.build_ok();
    assert_eq!(again.images.from_cache, again.images.images);

    // Without the cache the copies wait in a scratch folder beside the
    // output, not in memory: the same files, and the folder gone after.
    let cached = common::snapshot(&s.public());
    let opts = zhibu::pipeline::Options {
        no_cache: true,
        ..s.options()
    };
    let cold = zhibu::pipeline::build(&opts).unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert_eq!(cold.images.from_cache, 0);
    assert!(
        common::snapshot(&s.public()) == cached,
        "--no-cache published other photos"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&s.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("zhibu-photos"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
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

/// The `href` of the link whose text is `text`.
fn href_of(html: &str, text: &str) -> String {
    let re = Regex::new(&format!(r#"<a href="([^"]*)"[^>]*>{text}</a>"#)).unwrap();
    re.captures(html)
        .unwrap_or_else(|| panic!("no link {text} in {html}"))[1]
        .to_string()
}

#[test]
fn links_to_photos_open_a_published_file() {
    let s = site("photos-links");
    s.file(
        &format!("{ACTIVITY}index.md"),
        "---\ntitle: 五四主题党日\ndate: 2025-05-04 14:00\n---\n\n[原图](photo-2.jpg \"原图\")，\
         [横幅原图](/images/banner.jpg)。\n\n<p>另见 <a href=\"photo-3.jpg\">第三张</a>。</p>\n",
    );
    s.build_ok();
    let html = s.read("activities/2025-05-04-wusi/index.html");
    for text in ["原图", "第三张"] {
        let href = href_of(&html, text);
        assert!(href.contains("-1600w."), "{text}: {href}");
        let b = file_of(&s, &href);
        assert_eq!(jpeg_size(&b), (1600, 1200), "{text}: {href}");
        assert_clean(&b, &href);
    }
    // A photo of static/ is published under its own name: the link stays.
    assert_eq!(href_of(&html, "横幅原图"), "/images/banner.jpg");
    assert!(!html.contains("data-zhibu-img"), "{html}");

    // With originals published, a link opens the stripped original.
    s.file(
        "site.toml",
        "title = \"测试支部\"\nbase_url = \"https://test.example.edu.cn/\"\n[images]\noriginals = true\n",
    );
    s.build_ok();
    let html = s.read("activities/2025-05-04-wusi/index.html");
    assert_eq!(
        href_of(&html, "原图"),
        "/activities/2025-05-04-wusi/photo-2.jpg"
    );
    assert_clean(&file_of(&s, &href_of(&html, "第三张")), "photo-3.jpg");
}

#[test]
fn photos_in_static_keep_their_name_and_lose_their_location() {
    let s = site("photos-static");
    // A phone photo shot sideways as a banner, a logo in PNG, and a
    // download that zhibu cannot rewrite.
    s.bytes(
        "static/images/hero.jpg",
        &sample::phone_photo(800, 600, 9, 6),
    );
    let logo = image::RgbaImage::from_fn(48, 32, |x, y| {
        image::Rgba([
            (x * 5) as u8,
            (y * 7) as u8,
            90,
            if x < 4 { 0 } else { 255 },
        ])
    });
    let mut png = std::io::Cursor::new(Vec::new());
    logo.write_to(&mut png, image::ImageFormat::Png).unwrap();
    s.bytes("static/images/logo.png", png.get_ref());
    s.file("templates/partials/extra.html", "");
    s.build_ok();
    let hero = std::fs::read(s.public().join("images/hero.jpg")).unwrap();
    assert_clean(&hero, "static/images/hero.jpg");
    // Turned upright (orientation 6), at its own name, not resized.
    assert_eq!(jpeg_size(&hero), (600, 800));
    let banner = std::fs::read(s.public().join("images/banner.jpg")).unwrap();
    assert_clean(&banner, "static/images/banner.jpg");
    assert_eq!(jpeg_size(&banner), (1600, 1200));
    let published = std::fs::read(s.public().join("images/logo.png")).unwrap();
    let back = image::load_from_memory(&published).unwrap().to_rgba8();
    assert_eq!(back, logo, "the logo's pixels are kept exactly");
    // The build counts the static photos' locations too.
    let report = s.build_ok();
    assert_eq!(report.images.with_location, 7, "{:?}", report.images);
}

#[test]
fn the_first_card_cover_loads_first_and_the_others_lazily() {
    let s = site("photos-cards");
    for (slug, seed) in [("2025-06-01-a", 11), ("2025-07-01-b", 12)] {
        let dir = format!("content/activities/{slug}/");
        s.file(
            &format!("{dir}index.md"),
            &format!(
                "---\ntitle: 活动 {slug}\ndate: {}\n---\n\n内容。\n",
                &slug[..10]
            ),
        );
        s.bytes(
            &format!("{dir}photo-1.jpg"),
            &sample::phone_photo(640, 480, seed, 1),
        );
    }
    s.build_ok();
    for page in ["index.html", "activities/index.html"] {
        let covers: Vec<String> = imgs(&s.read(page))
            .into_iter()
            .filter(|t| t.contains("card-cover"))
            .collect();
        assert_eq!(covers.len(), 3, "{page}: {covers:#?}");
        assert_eq!(
            attr(&covers[0], "fetchpriority").as_deref(),
            Some("high"),
            "{page}"
        );
        assert!(
            attr(&covers[0], "loading").is_none(),
            "{page}: {}",
            covers[0]
        );
        for c in &covers[1..] {
            assert_eq!(attr(c, "loading").as_deref(), Some("lazy"), "{page}: {c}");
            assert!(attr(c, "fetchpriority").is_none(), "{page}: {c}");
        }
    }
    // A 640 × 480 cover's share image is its 640-px copy, published once.
    let html = s.read("activities/2025-06-01-a/index.html");
    let og = Regex::new(r#"<meta property="og:image" content="([^"]+)">"#)
        .unwrap()
        .captures(&html)
        .expect("og:image")[1]
        .to_string();
    assert!(og.contains("photo-1-640w."), "{og}");
    assert_eq!(jpeg_size(&file_of(&s, &og)), (640, 480));
    assert!(html.contains("<meta property=\"og:image:width\" content=\"640\">"));
    let mut all = Vec::new();
    files_under(&s.public().join("activities/2025-06-01-a"), &mut all);
    assert!(
        !all.iter().any(|p| p.to_string_lossy().contains("-share.")),
        "{all:?}"
    );
}

#[test]
fn serve_shows_originals_with_their_size_before_the_copies() {
    let s = site("photos-stand-ins");
    // Only the live site's first build: its photos are not processed yet.
    let live = zhibu::serve::LiveSite::new(s.options()).unwrap();
    let page = live.files()["activities/2025-05-04-wusi/index.html"]
        .read()
        .unwrap()
        .into_owned();
    let html = String::from_utf8(page).unwrap();
    let tags = imgs(&html);
    let big = tags
        .iter()
        .find(|t| attr(t, "src").is_some_and(|s| s.ends_with("/photo-1.jpg")))
        .unwrap_or_else(|| panic!("the original stands in: {tags:#?}"));
    // 4032×3024 stored, orientation 6: shown 3024×4032.
    assert_eq!(attr(big, "width").as_deref(), Some("3024"), "{big}");
    assert_eq!(attr(big, "height").as_deref(), Some("4032"), "{big}");
    for t in &tags {
        if attr(t, "src").is_some_and(|s| s.ends_with(".jpg")) {
            assert!(attr(t, "width").is_some(), "{t}");
        }
    }
    // Meanwhile the originals are there to be shown.
    assert!(
        live.files()
            .contains_key("activities/2025-05-04-wusi/photo-1.jpg")
    );
}

#[test]
fn a_warm_build_keeps_photo_copies_the_cache_touched() {
    use std::os::unix::fs::MetadataExt;
    let s = site("photos-touch");
    s.build_ok();
    let mut all = Vec::new();
    files_under(&s.public().join("activities/2025-05-04-wusi"), &mut all);
    let copies: Vec<(std::path::PathBuf, u64)> = all
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .map(|p| {
            let ino = std::fs::metadata(&p).unwrap().ino();
            (p, ino)
        })
        .collect();
    assert!(copies.len() >= 6, "{copies:?}");
    // Each copy is the cache's own file, linked: no bytes copied.
    for (p, _) in &copies {
        let links = std::fs::metadata(p).unwrap().nlink();
        assert!(links >= 2, "{} is a copy ({links} link)", p.display());
    }
    // Every cache entry last used two hours ago: this build touches them.
    let mut entries = Vec::new();
    files_under(&s.root.join(".zhibu/cache"), &mut entries);
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
    for e in &entries {
        let f = std::fs::File::options().write(true).open(e).unwrap();
        f.set_modified(then).unwrap();
    }
    let again = s.build_ok();
    assert_eq!(again.images.from_cache, again.images.images);
    for (p, ino) in &copies {
        assert_eq!(
            std::fs::metadata(p).unwrap().ino(),
            *ino,
            "{} was written again",
            p.display()
        );
    }
}
