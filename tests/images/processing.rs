//! Phone photos through the processor, and the cache.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::*;
use zhibu::cache::Cache;
use zhibu::config::ImagesConfig;
use zhibu::images::{Format, ImageSet, Job, Processor, Role, Roles, Silent, sample};

#[test]
fn a_phone_photo_becomes_upright_small_copies_without_metadata() {
    let site = Site::empty("img-phone");
    let (w, h) = (4032, 3024);
    let photo = sample::phone_jpeg(&sample::quadrants(w, h), w, h, 6);
    site.bytes("content/activities/wusi/photo-1.jpg", &photo);
    let p = processor(&site, &ImagesConfig::default());
    let done = p.process(
        &[job(
            &site,
            "content/activities/wusi/photo-1.jpg",
            "activities/wusi/photo-1.jpg",
            all(),
        )],
        &Silent,
    );
    assert!(done.diagnostics.is_empty(), "{:?}", done.diagnostics);
    let set = &done.sets["activities/wusi/photo-1.jpg"];
    // orientation 6: the landscape sensor image is a portrait photo
    assert_eq!((set.width, set.height), (3024, 4032));
    let sizes: Vec<(u32, u32)> = set.variants.iter().map(|v| (v.width, v.height)).collect();
    assert_eq!(
        sizes,
        vec![(320, 427), (640, 853), (960, 1280), (1200, 1600)]
    );
    assert!(set.had_location);
    assert!(
        set.original.is_none(),
        "originals are not published by default"
    );
    assert!(
        !done
            .files
            .iter()
            .any(|f| f.path == "activities/wusi/photo-1.jpg")
    );
    for v in set.variants.iter().chain(set.share.iter()) {
        assert!(v.path.starts_with("activities/wusi/photo-1-"), "{}", v.path);
        assert_eq!(v.format, Format::Jpeg);
        let bytes = output(&done, &v.path);
        assert_eq!(bytes.len() as u64, v.bytes);
        assert_clean(&bytes, &v.path);
        let img = decode(&bytes);
        assert_eq!(img.dimensions(), (v.width, v.height), "{}", v.path);
        // rotated 90° clockwise: the stored left column is the top row
        let [tl, tr, bl, br] = corners(&bytes);
        assert!(near(tl, BLUE) && near(tr, RED), "{}: {tl:?} {tr:?}", v.path);
        assert!(
            near(bl, WHITE) && near(br, GREEN),
            "{}: {bl:?} {br:?}",
            v.path
        );
    }
    let share = set.share.as_ref().unwrap();
    assert_eq!((share.width, share.height), (900, 1200));
    assert!(share.bytes <= 300_000);
    assert_eq!(done.summary.with_location, 1);
    assert!(
        done.summary
            .location_line()
            .unwrap()
            .contains("1 张照片带有拍摄地点")
    );
    assert_eq!(done.summary.line().unwrap(), "图片 1 张（0 张来自缓存）");
    // the copies are cache files, copied by the writer: nothing in memory
    assert!(
        done.files
            .iter()
            .all(|f| matches!(f.data, zhibu::files::Data::Copy(_)))
    );
}

#[test]
fn every_orientation_is_applied() {
    let site = Site::empty("img-orient");
    let (w, h) = (400, 300);
    let mut jobs = Vec::new();
    for o in 1..=8u16 {
        let photo = sample::phone_jpeg(&sample::quadrants(w, h), w, h, o);
        site.bytes(&format!("content/p{o}.jpg"), &photo);
        jobs.push(job(
            &site,
            &format!("content/p{o}.jpg"),
            &format!("p{o}.jpg"),
            Roles::from(Role::View),
        ));
    }
    let done = processor(&site, &ImagesConfig::default()).process(&jobs, &Silent);
    assert!(done.diagnostics.is_empty(), "{:?}", done.diagnostics);
    // corners as shown: top left, top right, bottom left, bottom right
    let expected = [
        [RED, GREEN, BLUE, WHITE],
        [GREEN, RED, WHITE, BLUE],
        [WHITE, BLUE, GREEN, RED],
        [BLUE, WHITE, RED, GREEN],
        [RED, BLUE, GREEN, WHITE],
        [BLUE, RED, WHITE, GREEN],
        [WHITE, GREEN, BLUE, RED],
        [GREEN, WHITE, RED, BLUE],
    ];
    for o in 1..=8usize {
        let set = &done.sets[&format!("p{o}.jpg")];
        let upright = if o >= 5 { (300, 400) } else { (400, 300) };
        assert_eq!((set.width, set.height), upright, "orientation {o}");
        let v = set.variants.last().unwrap();
        let got = corners(&output(&done, &v.path));
        for (g, e) in got.iter().zip(expected[o - 1]) {
            assert!(near(*g, e), "orientation {o}: {got:?}");
        }
    }
}

#[test]
fn the_second_build_takes_everything_from_the_cache() {
    let site = Site::empty("img-cache");
    let jobs = photos(&site, 4);
    let config = ImagesConfig::default();
    let first = processor(&site, &config).process(&jobs, &Silent);
    assert_eq!(first.summary.images, 4);
    assert_eq!(first.summary.from_cache, 0);
    // another build, another process would do the same: a new cache value
    let progress = counting();
    let p = processor(&site, &config);
    let second = p.process(&jobs, &progress);
    assert_eq!(second.summary.from_cache, 4);
    assert_eq!(progress.total.load(Ordering::SeqCst), 4);
    assert_eq!(progress.steps.load(Ordering::SeqCst), 4);
    assert_eq!(progress.cached.load(Ordering::SeqCst), 4);
    assert_eq!(second.sets, first.sets);
    assert_eq!(outputs(&second), outputs(&first));
    assert_eq!(second.summary.line().unwrap(), "图片 4 张（4 张来自缓存）");
    // nothing was written: every lookup hit
    assert_eq!(p.cache().stats().written, 0);
    // another quality is other copies
    let lower = ImagesConfig {
        quality: 60,
        ..ImagesConfig::default()
    };
    let third = processor(&site, &lower).process(&jobs, &Silent);
    assert_eq!(third.summary.from_cache, 0);
    // an edited photo is processed again, the others not
    site.bytes(
        "content/activities/a/photo-0.jpg",
        &sample::phone_photo(640, 480, 99, 1),
    );
    settled(&site.root.join("content/activities/a/photo-0.jpg"));
    let fourth = processor(&site, &config).process(&jobs, &Silent);
    assert_eq!(fourth.summary.from_cache, 3);
}

#[test]
fn corrupt_cache_entries_are_recomputed() {
    let site = Site::empty("img-corrupt");
    let jobs = photos(&site, 2);
    let config = ImagesConfig::default();
    let first = processor(&site, &config).process(&jobs, &Silent);
    let entries: Vec<_> = walkdir::WalkDir::new(site.root.join(".zhibu/cache/v1/images"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    // per photo: two copies (the 640-px one is the share image too) and
    // the manifest
    assert!(entries.len() >= 6, "{entries:?}");
    for (i, e) in entries.iter().enumerate() {
        let bytes = std::fs::read(e).unwrap();
        let broken = match i % 3 {
            0 => bytes[..bytes.len() / 2].to_vec(),
            1 => b"garbage".to_vec(),
            _ => Vec::new(),
        };
        std::fs::write(e, broken).unwrap();
    }
    let p = processor(&site, &config);
    let second = p.process(&jobs, &Silent);
    assert!(second.diagnostics.is_empty(), "{:?}", second.diagnostics);
    assert_eq!(second.summary.from_cache, 0);
    assert!(p.cache().stats().recovered >= 2);
    assert_eq!(outputs(&second), outputs(&first));
    let third = processor(&site, &config).process(&jobs, &Silent);
    assert_eq!(third.summary.from_cache, 2);
    // and deleting the cache is always fine
    std::fs::remove_dir_all(site.root.join(".zhibu")).unwrap();
    let fourth = processor(&site, &config).process(&jobs, &Silent);
    assert_eq!(fourth.summary.from_cache, 0);
    assert_eq!(outputs(&fourth), outputs(&first));
}

#[test]
fn without_a_cache_folder_copies_are_kept_in_memory() {
    let site = Site::empty("img-nocache");
    let jobs = photos(&site, 1);
    site.bytes(".zhibu", b"in the way");
    let (cache, warning) = Cache::open(&site.root);
    assert!(warning.is_some());
    let p = Processor::new(&site.root, &ImagesConfig::default(), Arc::new(cache));
    let done = p.process(&jobs, &Silent);
    assert!(done.diagnostics.is_empty(), "{:?}", done.diagnostics);
    assert_eq!(done.summary.images, 1);
    assert!(
        done.files
            .iter()
            .all(|f| matches!(f.data, zhibu::files::Data::Bytes(_)))
    );
}

#[test]
fn jobs_for_one_photo_are_merged_and_a_tiny_budget_only_slows_down() {
    let site = Site::empty("img-merge");
    let mut jobs = photos(&site, 3);
    let extra = Job {
        roles: Roles::from(Role::Share),
        ..jobs[0].clone()
    };
    jobs[0].roles = Roles::from(Role::Thumbnail);
    jobs.push(extra);
    let p = processor(&site, &ImagesConfig::default()).with_budget(1);
    let done = p.process(&jobs, &Silent);
    assert_eq!(done.summary.images, 3);
    let first: &ImageSet = &done.sets["activities/a/photo-0.jpg"];
    assert!(first.share.is_some());
    assert_eq!(
        first.variants.len(),
        2,
        "thumbnails only: {:?}",
        first.variants
    );
    assert!(p.budget().peak() <= 1);
}

#[test]
fn views_give_templates_srcset_and_sizes() {
    let site = Site::empty("img-views");
    let jobs = photos(&site, 1);
    let done = processor(&site, &ImagesConfig::default()).process(&jobs, &Silent);
    let set = &done.sets["activities/a/photo-0.jpg"];
    let url = |p: &str| format!("/base/{p}");
    let thumb = set.view(Role::Thumbnail, "合影", zhibu::images::THUMBNAIL_SIZES, url);
    assert_eq!(thumb.alt, "合影");
    assert_eq!((thumb.width, thumb.height), (640, 480));
    assert!(thumb.src.starts_with("/base/activities/a/photo-0-640w."));
    assert_eq!(thumb.srcset.matches("w, ").count(), 1, "{}", thumb.srcset);
    assert!(thumb.srcset.contains(" 320w") && thumb.srcset.ends_with(" 640w"));
    assert_eq!(thumb.sizes, zhibu::images::THUMBNAIL_SIZES);
    // 640 × 480: the largest copy has the share size and is the share image.
    let share = set.view(Role::Share, "", "", url);
    assert!(share.src.contains("photo-0-640w."), "{}", share.src);
    assert!(share.srcset.is_empty() && share.sizes.is_empty());
}

#[test]
fn originals_are_published_stripped_when_asked_for() {
    let site = Site::empty("img-originals");
    let (w, h) = (400, 300);
    let upright = sample::phone_jpeg(&sample::quadrants(w, h), w, h, 1);
    let turned = sample::phone_jpeg(&sample::quadrants(w, h), w, h, 6);
    site.bytes("content/a.jpg", &upright);
    site.bytes("content/b.jpg", &turned);
    let config = ImagesConfig {
        originals: true,
        ..ImagesConfig::default()
    };
    let jobs = [
        job(&site, "content/a.jpg", "x/a.jpg", Roles::from(Role::View)),
        job(&site, "content/b.jpg", "x/b.jpg", Roles::from(Role::View)),
    ];
    let done = processor(&site, &config).process(&jobs, &Silent);
    assert!(done.diagnostics.is_empty(), "{:?}", done.diagnostics);
    // orientation 1: the same JPEG data, losslessly without metadata
    let a = output(&done, "x/a.jpg");
    assert_clean(&a, "x/a.jpg");
    assert!(a.len() < upright.len());
    let decoded = |b: &[u8]| decode(b).into_raw();
    assert_eq!(decoded(&a), decoded(&upright));
    // orientation 6: re-encoded upright, else it would show sideways
    let b = output(&done, "x/b.jpg");
    assert_clean(&b, "x/b.jpg");
    assert_eq!(decode(&b).dimensions(), (300, 400));
    let o = done.sets["x/b.jpg"].original.as_ref().unwrap();
    assert_eq!((o.width, o.height, o.path.as_str()), (300, 400, "x/b.jpg"));
}

#[test]
fn a_small_photo_shares_its_largest_copy_instead_of_a_second_file() {
    let site = Site::empty("img-share-once");
    // Long side ≤ 1200: the share image would be the viewing copy again.
    let (w, h) = (1000, 750);
    site.bytes(
        "content/a.jpg",
        &sample::phone_jpeg(&sample::quadrants(w, h), w, h, 1),
    );
    // Long side 1600: the share image (1200) is a copy of its own.
    let (bw, bh) = (1600, 1200);
    site.bytes(
        "content/b.jpg",
        &sample::phone_jpeg(&sample::quadrants(bw, bh), bw, bh, 1),
    );
    let jobs = [
        job(&site, "content/a.jpg", "x/a.jpg", all()),
        job(&site, "content/b.jpg", "x/b.jpg", all()),
    ];
    let p = processor(&site, &ImagesConfig::default());
    for done in [p.process(&jobs, &Silent), p.process(&jobs, &Silent)] {
        assert!(done.diagnostics.is_empty(), "{:?}", done.diagnostics);
        let a = &done.sets["x/a.jpg"];
        let largest = a.variants.last().unwrap();
        let share = a.share.as_ref().expect("a share image");
        assert_eq!(share, largest, "the share image is the largest copy");
        assert_eq!((share.width, share.height), (1000, 750));
        assert!(share.bytes <= zhibu::images::SHARE_MAX_BYTES);
        let view = a.view(Role::Share, "", "", |p| p.to_string());
        assert_eq!(view.src, largest.path);
        let files_a: Vec<&str> = done
            .files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| p.starts_with("x/a-"))
            .collect();
        assert!(
            !files_a.iter().any(|p| p.contains("-share.")),
            "{files_a:?}"
        );
        assert_eq!(files_a.len(), a.variants.len(), "{files_a:?}");
        let b = &done.sets["x/b.jpg"];
        let b_share = b.share.as_ref().unwrap();
        assert!(b_share.path.contains("-share."), "{b_share:?}");
        assert_eq!((b_share.width, b_share.height), (1200, 900));
    }
}
