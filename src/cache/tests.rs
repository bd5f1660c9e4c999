use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::*;

struct Tmp(PathBuf);

impl Tmp {
    fn new(name: &str) -> Tmp {
        let d = std::env::temp_dir().join(format!("zhibu-cache-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        Tmp(d)
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn open(site: &Path) -> Cache {
    let (c, w) = Cache::open(site);
    assert!(w.is_none(), "{w:?}");
    c
}

fn age(path: &Path, days: u64) {
    let f = File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(days * 24 * 3600))
        .unwrap();
}

fn entry_files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root.join(LAYOUT))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect()
}

#[test]
fn keys_hash_parts_with_their_lengths() {
    let a = Key::new("images", 1, &[b"ab", b"c"]);
    assert_ne!(a, Key::new("images", 1, &[b"a", b"bc"]));
    assert_ne!(a, Key::new("images", 2, &[b"ab", b"c"]));
    assert_ne!(a, Key::new("search", 1, &[b"ab", b"c"]));
    assert_eq!(a, Key::new("images", 1, &[b"ab", b"c"]));
    assert_eq!(a.hex().len(), 32);
}

#[test]
fn records_round_trip_and_count() {
    let t = Tmp::new("records");
    let c = open(&t.0);
    let k = Key::new("test", 1, &[b"x"]);
    assert_eq!(c.get(&k), None);
    assert!(c.put(&k, b"hello"));
    assert_eq!(c.get(&k).as_deref(), Some(&b"hello"[..]));
    let s = c.stats();
    assert_eq!((s.hits, s.misses, s.written, s.recovered), (1, 1, 1, 0));
    // the folder is marked for git and for backup tools
    assert!(t.0.join(".zhibu/.gitignore").is_file());
    assert!(t.0.join(".zhibu/cache/CACHEDIR.TAG").is_file());
    // a second cache on the same folder (another build) sees it
    assert_eq!(open(&t.0).get(&k).as_deref(), Some(&b"hello"[..]));
}

#[test]
fn corrupt_and_truncated_records_are_misses_and_rewritten() {
    let t = Tmp::new("corrupt");
    let c = open(&t.0);
    let k = Key::new("test", 1, &[b"y"]);
    assert!(c.put(&k, b"some payload of a record"));
    let file = entry_files(c.root().unwrap()).pop().unwrap();
    let good = fs::read(&file).unwrap();
    // truncated
    fs::write(&file, &good[..good.len() - 3]).unwrap();
    assert_eq!(c.get(&k), None);
    assert!(!file.exists(), "a broken entry is deleted");
    // same length, one byte flipped
    let mut flipped = good.clone();
    *flipped.last_mut().unwrap() ^= 1;
    fs::write(&file, &flipped).unwrap();
    assert_eq!(c.get(&k), None);
    // garbage, and an empty file
    fs::write(&file, b"garbage").unwrap();
    assert_eq!(c.get(&k), None);
    fs::write(&file, b"").unwrap();
    assert_eq!(c.get(&k), None);
    // a folder where the entry should be
    fs::create_dir_all(&file).unwrap();
    assert_eq!(c.get(&k), None);
    fs::remove_dir(&file).unwrap();
    assert_eq!(c.stats().recovered, 5);
    assert!(c.put(&k, b"again"));
    assert_eq!(c.get(&k).as_deref(), Some(&b"again"[..]));
}

#[test]
fn blobs_are_checked_by_length() {
    let t = Tmp::new("blobs");
    let c = open(&t.0);
    let k = Key::new("test", 1, &[b"blob"]);
    assert_eq!(c.blob(&k, "jpg", 4), None);
    let p = c.put_blob(&k, "jpg", b"\xff\xd8..").unwrap();
    assert!(p.to_string_lossy().ends_with(".jpg"));
    assert_eq!(c.blob(&k, "jpg", 4).as_deref(), Some(p.as_path()));
    fs::write(&p, b"\xff").unwrap();
    assert_eq!(c.blob(&k, "jpg", 4), None);
    assert!(!p.exists());
    assert_eq!(c.stats().recovered, 1);
}

#[test]
fn a_cache_that_cannot_be_made_is_disabled_with_one_warning() {
    let t = Tmp::new("readonly");
    // Tests run as root, for whom permissions do not stop writes: a file in
    // the way of the folder does.
    fs::write(t.0.join(".zhibu"), b"not a folder").unwrap();
    let (c, w) = Cache::open(&t.0);
    assert!(!c.is_enabled());
    let w = w.expect("a warning");
    assert!(w.message.contains("无法使用构建缓存"), "{w}");
    let k = Key::new("test", 1, &[b"z"]);
    assert!(!c.put(&k, b"v"));
    assert_eq!(c.get(&k), None);
    assert_eq!(c.put_blob(&k, "png", b"v"), None);
    assert!(!c.prune(Duration::ZERO).ran);
    // file_hash still works, by reading
    fs::write(t.0.join("a.jpg"), b"photo").unwrap();
    let h = c.file_hash(&t.0.join("a.jpg")).unwrap();
    assert_eq!(h.hash, content_hash(b"photo"));
    assert!(h.bytes.is_some());
    assert!(c.take_warnings().is_empty());
}

#[test]
fn prune_removes_old_untouched_entries_and_leftovers() {
    let t = Tmp::new("prune");
    let c = open(&t.0);
    let old = Key::new("test", 1, &[b"old"]);
    let used = Key::new("test", 1, &[b"used"]);
    let fresh = Key::new("test", 1, &[b"fresh"]);
    let p_old = c.put_blob(&old, "jpg", b"1").unwrap();
    let p_used = c.put_blob(&used, "jpg", b"2").unwrap();
    let p_fresh = c.put_blob(&fresh, "jpg", b"3").unwrap();
    age(&p_old, 40);
    age(&p_used, 40);
    // a hit touches the entry: it is in use, so it stays
    assert!(c.blob(&used, "jpg", 1).is_some());
    let leftover = p_fresh.with_file_name(".tmp-1-2");
    fs::write(&leftover, b"half").unwrap();
    age(&leftover, 1);
    let r = c.prune(PRUNE_AFTER);
    assert!(r.ran);
    assert_eq!(r.removed, 2, "{r:?}");
    assert!(!p_old.exists() && !leftover.exists());
    assert!(p_used.exists() && p_fresh.exists());
    // once a day at most
    age(&p_fresh, 40);
    assert!(!c.prune(PRUNE_AFTER).ran);
    assert!(p_fresh.exists());
    // deleting everything is always fine
    fs::remove_dir_all(t.0.join(".zhibu")).unwrap();
    assert_eq!(c.blob(&fresh, "jpg", 1), None);
    assert!(c.put_blob(&fresh, "jpg", b"3").is_some());
}

#[test]
fn file_hashes_are_remembered_by_fingerprint() {
    let t = Tmp::new("files");
    let c = open(&t.0);
    let photo = t.0.join("photo.jpg");
    fs::write(&photo, b"pixels").unwrap();
    // just written: hashed, not remembered
    assert!(c.file_hash(&photo).unwrap().bytes.is_some());
    assert!(c.file_hash(&photo).unwrap().bytes.is_some());
    age(&photo, 1);
    let first = c.file_hash(&photo).unwrap();
    assert!(first.bytes.is_some());
    let second = c.file_hash(&photo).unwrap();
    assert!(second.bytes.is_none(), "known from its fingerprint");
    assert_eq!(first.hash, second.hash);
    // an edit changes size or time: read again
    fs::write(&photo, b"other pixels").unwrap();
    age(&photo, 1);
    let third = c.file_hash(&photo).unwrap();
    assert_eq!(third.hash, content_hash(b"other pixels"));
    assert!(third.bytes.is_some());
}

#[test]
fn two_builds_at_once_never_see_half_an_entry() {
    let t = Tmp::new("concurrent");
    let root = t.0.clone();
    let payload: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::thread::scope(|s| {
        for _ in 0..4 {
            let (root, payload) = (&root, &payload);
            s.spawn(move || {
                let c = open(root);
                for i in 0..20u8 {
                    let k = Key::new("test", 1, &[&[i % 5]]);
                    if let Some(got) = c.get(&k) {
                        assert_eq!(&got, payload);
                    }
                    assert!(c.put(&k, payload));
                    if let Some(p) = c.blob(&k, "bin", payload.len() as u64) {
                        assert_eq!(&fs::read(p).unwrap(), payload);
                    }
                    c.put_blob(&k, "bin", payload).unwrap();
                    assert_eq!(c.stats().recovered, 0);
                }
            });
        }
    });
    let leftovers: Vec<_> = entry_files(&root.join(DIR))
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn over_the_size_bound_the_least_recently_used_entries_go() {
    let t = Tmp::new("size");
    let c = open(&t.0);
    let paths: Vec<PathBuf> = (0..4u8)
        .map(|i| {
            let p = c
                .put_blob(&Key::new("test", 1, &[&[i]]), "bin", &[i; 100])
                .unwrap();
            // entry i was last used i+1 days ago: entry 3 is the oldest
            age(&p, u64::from(i) + 1);
            p
        })
        .collect();
    // 400 bytes against a bound of 250: down to 3/4 of it (187), oldest first
    let r = c.prune_now(PRUNE_AFTER, 250);
    assert_eq!(r.removed, 3, "{r:?}");
    assert!(paths[0].exists(), "the most recently used stays");
    assert!(paths[1..].iter().all(|p| !p.exists()));
    // under the bound nothing more goes
    assert_eq!(c.prune_now(PRUNE_AFTER, 250).removed, 0);
}

#[test]
fn a_scratch_cache_keeps_blobs_on_disk_finds_nothing_and_cleans_up() {
    let t = Tmp::new("scratch");
    let dir = t.0.join(".public.zhibu-photos");
    // left by a crashed build: emptied
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("stale.jpg"), b"old").unwrap();
    let c = Cache::scratch(dir.clone());
    assert!(!dir.join("stale.jpg").exists());
    assert!(!c.is_enabled());
    let k = Key::new("images", 1, &[b"photo"]);
    let at = c
        .put_blob(&k, "jpg", b"pixels")
        .expect("a scratch blob is written");
    assert!(at.starts_with(&dir));
    assert_eq!(fs::read(&at).unwrap(), b"pixels");
    assert_eq!(c.blob(&k, "jpg", 6), None, "nothing is read back");
    assert!(!c.put(&k, b"record"));
    assert_eq!(c.get(&k), None);
    drop(c);
    assert!(!dir.exists(), "the scratch folder goes with the build");
}
