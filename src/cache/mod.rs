//! The persistent build cache in `<site root>/.zhibu/cache/`: results that
//! are slow to make and depend only on some input bytes and parameters —
//! resized photos, segmented search terms, parsed files, the output
//! folder's manifest and each output's recorded reads.
//!
//! How it works (the design in one place; ARCHITECTURE.md points here):
//!
//! - **Keys.** A [`Key`] is a 128-bit xxh3 hash of a namespace (`images`),
//!   the namespace's format version, and the parts the caller gives: usually
//!   [`content_hash`] of the input bytes plus every processing parameter.
//!   Changing a parameter or bumping the version simply misses; nothing is
//!   ever looked up by file name.
//! - **Layout.** `.zhibu/cache/v1/<namespace>/<2 hex>/<30 hex>.<ext>`, with
//!   `CACHEDIR.TAG` (backup tools skip the folder) and `.zhibu/.gitignore`
//!   (`*`, so git ignores the cache even in sites whose own .gitignore
//!   predates it). `v1` is the layout of this file; an other layout's folder
//!   simply ages out.
//! - **Records and blobs.** A *record* ([`Cache::get`]/[`Cache::put`]) is a
//!   small value stored with a header (magic, length, xxh3 checksum) and
//!   checked on every read. A *blob* ([`Cache::blob`]/[`Cache::put_blob`]) is
//!   stored raw, so that the output can be copied straight from the cache
//!   file (a build never holds its photos in memory); its owner keeps its
//!   length in a record and the cache checks that length on use.
//! - **Writes are atomic:** a temporary file in the same folder
//!   (`.tmp-<pid>-<n>`, created exclusively), then `rename` over the entry.
//!   A reader sees the old entry or the new one, never half of one. Two
//!   builds at once make the same bytes for the same key, so whichever
//!   rename lands last is as good as the other.
//! - **Never breaks a build.** A missing, truncated, corrupt or unreadable
//!   entry is a miss (and a corrupt one is deleted, then rewritten by the
//!   caller); a failed write is ignored after one warning; a cache folder
//!   that cannot be made (a read-only checkout) disables the cache with one
//!   warning. Deleting `.zhibu/cache/` at any time is always safe.
//! - **Pruning.** Every hit touches its entry when the entry's time is more
//!   than an hour old. [`Cache::prune`], called at the end of a build, runs
//!   at most once a day (a `last-prune` stamp) and deletes entries untouched
//!   for [`PRUNE_AFTER`] and temporary files left by a crash, then, while the
//!   cache is over [`MAX_BYTES`], the entries used longest ago. An entry in
//!   use by a build has just been touched, so it is not pruned under it.
//! - **Outputs link to blobs.** A build puts a blob in its output as a hard
//!   link ([`Cache::blobs`], `write::link`), so 300 photos' copies cost no
//!   bytes. The cost: a program that rewrites a published photo in place
//!   rewrites the blob too. The output is zhibu's to overwrite (docs say to
//!   edit `content/`), and the entry is replaced when its photo changes.
//! - **Without the cache** (`--no-cache`, or a cache folder that cannot be
//!   made), [`Cache::scratch`] still keeps blobs out of memory: they go to a
//!   scratch folder beside the output, which nothing reads back and which is
//!   deleted when the cache is dropped (at the end of the build). Without it
//!   a cold build of 300 photos held some 200 MB of copies until writing.
//! - **Source fingerprints.** [`Cache::file_hash`] remembers the content
//!   hash of a file under its path, size, modification time and inode, so a
//!   warm build learns the hash of 300 photos from 300 `stat` calls instead
//!   of reading 1 GB (as git's index does). A file modified in the last two
//!   seconds is hashed but not remembered (a second write in the same
//!   timestamp tick could not be told apart).

use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use xxhash_rust::xxh3::{Xxh3, xxh3_64, xxh3_128};

use crate::diagnostics::Diagnostic;

mod prune;
pub(crate) mod reader;
#[cfg(test)]
mod tests;

/// The cache folder, relative to the site root.
pub const DIR: &str = ".zhibu/cache";
/// Entries untouched for this long are deleted by [`Cache::prune`].
pub const PRUNE_AFTER: Duration = Duration::from_secs(30 * 24 * 3600);
/// Beyond this size, [`Cache::prune`] deletes the entries used longest ago
/// until the cache is back under three quarters of it.
pub const MAX_BYTES: u64 = 2 << 30;
/// The layout of the folder (this file); bump it when that changes.
const LAYOUT: &str = "v1";
const RECORD_MAGIC: &[u8; 8] = b"zhibuR1\n";
const HEADER: usize = 24;
/// A hit refreshes its entry's time when that is older than this.
const TOUCH_AFTER: Duration = Duration::from_secs(3600);
/// Pruning runs at most this often.
const PRUNE_EVERY: Duration = Duration::from_secs(24 * 3600);
/// Temporary files older than this are leftovers of a crashed build.
const STALE_TMP: Duration = Duration::from_secs(3600);
/// Files modified more recently than this are not fingerprinted.
const SETTLE: Duration = Duration::from_secs(2);

/// 128-bit hash of some bytes: what cache keys are made of.
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxh3_128(bytes)
}

/// Where an entry lives: a namespace and a hash of everything it depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    namespace: &'static str,
    hash: u128,
}

impl Key {
    /// `namespace` is a short lower-case name (`images`); bump `version`
    /// whenever what the namespace stores changes meaning. Each part is
    /// hashed with its length, so (`ab`, `c`) and (`a`, `bc`) differ.
    pub fn new(namespace: &'static str, version: u32, parts: &[&[u8]]) -> Key {
        debug_assert!(
            namespace
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        );
        let mut h = Xxh3::new();
        h.update(namespace.as_bytes());
        h.update(&version.to_le_bytes());
        for p in parts {
            h.update(&(p.len() as u64).to_le_bytes());
            h.update(p);
        }
        Key {
            namespace,
            hash: h.digest128(),
        }
    }

    /// 32 hex digits.
    pub fn hex(&self) -> String {
        format!("{:032x}", self.hash)
    }
}

/// Counts since the cache was opened (for summaries and tests).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub written: u64,
    /// Corrupt or truncated entries found (and deleted).
    pub recovered: u64,
}

/// What [`Cache::prune`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PruneReport {
    /// False when it was skipped (pruned less than a day ago, or no cache).
    pub ran: bool,
    pub removed: usize,
    pub bytes: u64,
}

/// A content hash of a file, and its bytes when they had to be read.
pub struct FileHash {
    pub hash: u128,
    pub bytes: Option<Vec<u8>>,
}

#[derive(Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    written: AtomicU64,
    recovered: AtomicU64,
}

/// The cache of one build (or one `serve` session). `Sync`: share it by
/// reference across rayon's threads.
pub struct Cache {
    /// `<site>/.zhibu/cache`; `None` when the cache is disabled.
    root: Option<PathBuf>,
    /// Where blobs go when the cache is disabled ([`Cache::scratch`]).
    scratch: Option<PathBuf>,
    counters: Counters,
    write_failed: AtomicBool,
    warnings: Mutex<Vec<Diagnostic>>,
}

impl Cache {
    /// Opens (and if needed makes) `<site_root>/.zhibu/cache`. When that is
    /// impossible the cache is disabled and the warning says so once.
    pub fn open(site_root: &Path) -> (Cache, Option<Diagnostic>) {
        let root = site_root.join(DIR);
        match prepare(&root) {
            Ok(()) => (Cache::at(Some(root)), None),
            Err(e) => (
                Cache::disabled(),
                Some(
                    Diagnostic::warning(format!("无法使用构建缓存 {DIR}/：{e}"))
                        .hint("本次构建不用缓存：图片每次都要重新处理，结果相同但更慢。站点文件夹只读时这是正常的；否则请检查 .zhibu/ 文件夹的权限"),
                ),
            ),
        }
    }

    /// A cache that stores nothing: every lookup misses.
    pub fn disabled() -> Cache {
        Cache::at(None)
    }

    /// A disabled cache whose blobs are written to `dir` instead of being
    /// kept in memory: nothing is ever found, and `dir` (emptied first, as
    /// a crashed build may have left it) is deleted when the cache is
    /// dropped. When `dir` cannot be made, blobs stay in memory.
    pub fn scratch(dir: PathBuf) -> Cache {
        let _ = fs::remove_dir_all(&dir);
        let mut c = Cache::at(None);
        c.scratch = fs::create_dir_all(&dir).is_ok().then_some(dir);
        c
    }

    fn at(root: Option<PathBuf>) -> Cache {
        Cache {
            root,
            scratch: None,
            counters: Counters::default(),
            write_failed: AtomicBool::new(false),
            warnings: Mutex::new(Vec::new()),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.root.is_some()
    }

    /// The cache folder, when enabled.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// The folder of every blob this cache hands out: the cache itself, or
    /// the scratch folder. Its files are never changed in place (only
    /// replaced, by a rename), so an output may be a hard link to one.
    pub fn blobs(&self) -> Option<&Path> {
        self.root.as_deref().or(self.scratch.as_deref())
    }

    pub fn stats(&self) -> CacheStats {
        let c = &self.counters;
        CacheStats {
            hits: c.hits.load(Ordering::Relaxed),
            misses: c.misses.load(Ordering::Relaxed),
            written: c.written.load(Ordering::Relaxed),
            recovered: c.recovered.load(Ordering::Relaxed),
        }
    }

    /// Warnings gathered since the last call (a failed write, at most one).
    pub fn take_warnings(&self) -> Vec<Diagnostic> {
        match self.warnings.lock() {
            Ok(mut w) => std::mem::take(&mut *w),
            Err(e) => std::mem::take(&mut *e.into_inner()),
        }
    }

    /// Whether `<site_root>/.zhibu/cache` holds a record for `key`, without
    /// opening the cache (a hint only: the record may still not decode).
    pub fn has_record(site_root: &Path, key: &Key) -> bool {
        Cache::at(Some(site_root.join(DIR)))
            .entry_path(key, "rec")
            .is_some_and(|p| p.is_file())
    }

    fn entry_path(&self, key: &Key, ext: &str) -> Option<PathBuf> {
        let root = self.root.as_ref()?;
        let hex = key.hex();
        Some(
            root.join(LAYOUT)
                .join(key.namespace)
                .join(&hex[..2])
                .join(format!("{}.{ext}", &hex[2..])),
        )
    }

    fn count(&self, c: &AtomicU64) {
        c.fetch_add(1, Ordering::Relaxed);
    }

    /// A record's payload, checked; `None` on a miss or a broken entry.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let path = self.entry_path(key, "rec")?;
        let found = read_record(&path);
        match found {
            Ok(payload) => {
                self.count(&self.counters.hits);
                touch_if_old(&path);
                Some(payload)
            }
            Err(broken) => {
                if broken {
                    self.count(&self.counters.recovered);
                    let _ = fs::remove_file(&path);
                }
                self.count(&self.counters.misses);
                None
            }
        }
    }

    /// Stores a record; false when it could not be written (never fatal).
    pub fn put(&self, key: &Key, payload: &[u8]) -> bool {
        let Some(path) = self.entry_path(key, "rec") else {
            return false;
        };
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(RECORD_MAGIC);
        header.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        header.extend_from_slice(&xxh3_64(payload).to_le_bytes());
        self.write(&path, &[&header, payload])
    }

    /// The path of a blob of exactly `len` bytes, touched; `None` when it is
    /// missing or has another length (then it is deleted).
    pub fn blob(&self, key: &Key, ext: &str, len: u64) -> Option<PathBuf> {
        let path = self.entry_path(key, ext)?;
        match fs::metadata(&path) {
            Ok(m) if m.is_file() && m.len() == len => {
                if is_old(&m, TOUCH_AFTER) {
                    touch(&path);
                }
                self.count(&self.counters.hits);
                Some(path)
            }
            Ok(_) => {
                self.count(&self.counters.recovered);
                self.count(&self.counters.misses);
                let _ = fs::remove_file(&path);
                None
            }
            Err(_) => {
                self.count(&self.counters.misses);
                None
            }
        }
    }

    /// Stores a blob and returns its path; `None` when disabled (without a
    /// scratch folder) or failed.
    pub fn put_blob(&self, key: &Key, ext: &str, bytes: &[u8]) -> Option<PathBuf> {
        if let Some(dir) = &self.scratch {
            let path = dir.join(format!("{}.{ext}", key.hex()));
            return fs::write(&path, bytes).is_ok().then_some(path);
        }
        let path = self.entry_path(key, ext)?;
        self.write(&path, &[bytes]).then_some(path)
    }

    fn write(&self, dest: &Path, parts: &[&[u8]]) -> bool {
        match write_atomic(dest, parts) {
            Ok(()) => {
                self.count(&self.counters.written);
                true
            }
            Err(e) => {
                if !self.write_failed.swap(true, Ordering::Relaxed)
                    && let Ok(mut w) = self.warnings.lock()
                {
                    w.push(
                        Diagnostic::warning(format!("写入构建缓存失败：{e}"))
                            .in_file(dest)
                            .hint("本次构建不受影响，只是下次构建要重新处理这些图片；请检查磁盘空间和 .zhibu/ 的权限"),
                    );
                }
                false
            }
        }
    }

    /// The content hash of a file, from its remembered fingerprint when its
    /// size, time and inode are unchanged, else by reading it (and then the
    /// bytes come back too, so the caller need not read it again).
    pub fn file_hash(&self, path: &Path) -> io::Result<FileHash> {
        let before = fs::metadata(path)?;
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let key = Key::new("files", 1, &[abs.as_os_str().as_encoded_bytes()]);
        let stamp = fingerprint(&before);
        if self.is_enabled()
            && let Some(rec) = self.get(&key)
            && rec.len() == stamp.len() + 16
            && rec[..stamp.len()] == stamp[..]
        {
            let mut h = [0u8; 16];
            h.copy_from_slice(&rec[stamp.len()..]);
            return Ok(FileHash {
                hash: u128::from_le_bytes(h),
                bytes: None,
            });
        }
        let bytes = fs::read(path)?;
        let hash = content_hash(&bytes);
        let after = fs::metadata(path)?;
        if self.is_enabled() && fingerprint(&after) == stamp && is_old(&after, SETTLE) {
            let mut rec = stamp;
            rec.extend_from_slice(&hash.to_le_bytes());
            self.put(&key, &rec);
        }
        Ok(FileHash {
            hash,
            bytes: Some(bytes),
        })
    }
}

impl Drop for Cache {
    fn drop(&mut self) {
        if let Some(dir) = &self.scratch {
            let _ = fs::remove_dir_all(dir);
        }
    }
}

fn prepare(root: &Path) -> io::Result<()> {
    fs::create_dir_all(root.join(LAYOUT))?;
    if let Some(zhibu) = root.parent() {
        let ignore = zhibu.join(".gitignore");
        if !ignore.exists() {
            write_atomic(&ignore, &[b"# zhibu's build cache: never commit it\n*\n"])?;
        }
    }
    let tag = root.join("CACHEDIR.TAG");
    if !tag.exists() {
        write_atomic(
            &tag,
            &[b"Signature: 8a477f597d28d172789f06886806bc55\n# zhibu's build cache (processed images and the like); safe to delete.\n"],
        )?;
    }
    // Can we write here? (A folder can exist but be read-only.)
    // Unique per call: two caches opened at once in one process (tests, a
    // build beside serve) must not remove each other's probe.
    let n = TMP_SEQ.fetch_add(1, Ordering::Relaxed);
    let probe = root.join(format!(".tmp-{}-{n}-probe", std::process::id()));
    File::create_new(&probe)?;
    match fs::remove_file(&probe) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Ok(payload), or Err(true) when the entry exists but is broken.
fn read_record(path: &Path) -> Result<Vec<u8>, bool> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => return Err(e.kind() != io::ErrorKind::NotFound),
    };
    if bytes.len() < HEADER || &bytes[..8] != RECORD_MAGIC {
        return Err(true);
    }
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[i..i + 8]);
        u64::from_le_bytes(w)
    };
    let (len, sum) = (word(8), word(16));
    let payload = &bytes[HEADER..];
    if payload.len() as u64 != len || xxh3_64(payload) != sum {
        return Err(true);
    }
    Ok(payload.to_vec())
}

/// Temporary names are unique in the process (several caches may share a
/// folder: tests, or serve and a build) and by pid across processes.
static TMP_SEQ: AtomicU64 = AtomicU64::new(0);

fn write_atomic(dest: &Path, parts: &[&[u8]]) -> io::Result<()> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    let mut created = None;
    // A concurrent prune may remove an empty folder between making it and
    // creating the file; a crashed process with our pid may have left a
    // name behind: a few more tries cover both.
    for _ in 0..4 {
        let n = TMP_SEQ.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".tmp-{}-{n}", std::process::id()));
        fs::create_dir_all(dir)?;
        match File::create_new(&tmp) {
            Ok(f) => {
                created = Some((f, tmp));
                break;
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::AlreadyExists
                ) => {}
            Err(e) => return Err(e),
        }
    }
    let (mut file, tmp) = created.ok_or_else(|| io::Error::other("无法创建临时文件"))?;
    let written = parts.iter().try_for_each(|p| file.write_all(p));
    drop(file);
    let renamed = written.and_then(|()| fs::rename(&tmp, dest));
    if renamed.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    renamed
}

fn is_old(m: &fs::Metadata, age: Duration) -> bool {
    m.modified()
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|d| d > age)
}

fn touch_if_old(path: &Path) {
    if fs::metadata(path).is_ok_and(|m| is_old(&m, TOUCH_AFTER)) {
        touch(path);
    }
}

fn touch(path: &Path) {
    if let Ok(f) = File::open(path) {
        let _ = f.set_modified(SystemTime::now());
    }
}

/// Size, modification time (ns) and file identity.
fn fingerprint(m: &fs::Metadata) -> Vec<u8> {
    let mut v = Vec::with_capacity(48);
    v.extend_from_slice(&m.len().to_le_bytes());
    let t = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .unwrap_or_default();
    v.extend_from_slice(&t.as_secs().to_le_bytes());
    v.extend_from_slice(&t.subsec_nanos().to_le_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        v.extend_from_slice(&m.ino().to_le_bytes());
        v.extend_from_slice(&m.dev().to_le_bytes());
    }
    v
}
