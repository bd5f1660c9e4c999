//! Each page's segmented terms, kept between builds (issue 19): jieba's
//! segmentation is the costliest part of the index, and a rebuild after one
//! edit needs it for that one page only.
//!
//! A page's entry is keyed by a hash of exactly what [`super::terms`]
//! reads — title, tags, kind, body and extra text — salted with everything
//! else that changes the terms: the dictionary of words kept whole, the
//! synonym groups, and the code of the index (`ZHIBU_SEARCH_CODE`, the
//! version). All entries of one build are stored as one record of the
//! build cache ([`crate::cache`]), rewritten when the set changed, so it
//! holds exactly the pages of the last build and needs no pruning of its
//! own. The record is checked by the cache (length and checksum); an entry
//! that does not decode is a miss, never an error.

use std::sync::Mutex;

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::Xxh3;

use super::docs::Doc;
use crate::cache::reader::Reader;
use crate::cache::{Cache, Key};

/// Bump when what an entry holds changes meaning.
const VERSION: u32 = 1;

fn record_key() -> Key {
    Key::new("search-terms", VERSION, &[b"pages"])
}

/// The terms of the last build's pages, and those of this build.
pub(crate) struct TermCache {
    /// The record as read: entries point into it.
    bytes: Vec<u8>,
    old: FxHashMap<u128, (usize, usize)>,
    salt: u128,
    /// This build's entries: (key, encoded terms), by document.
    fresh: Mutex<Vec<(usize, u128, Vec<u8>)>>,
    misses: std::sync::atomic::AtomicUsize,
    recording: bool,
}

/// One document's terms, encoded as they come: per term its length (u16),
/// its bytes and its weight.
pub(crate) struct Entry {
    bytes: Vec<u8>,
    /// False when a term was too long to store (the page is not cached).
    whole: bool,
}

impl Entry {
    pub(crate) fn push(&mut self, term: &str, weight: u8) {
        match u16::try_from(term.len()) {
            Ok(len) => {
                self.bytes.extend_from_slice(&len.to_le_bytes());
                self.bytes.extend_from_slice(term.as_bytes());
                self.bytes.push(weight);
            }
            Err(_) => self.whole = false,
        }
    }
}

impl TermCache {
    /// A cache that knows nothing and records nothing (serve, tests,
    /// `--no-cache`).
    pub(crate) fn empty() -> TermCache {
        let mut c = TermCache::from_bytes(Vec::new(), 0);
        c.recording = false;
        c
    }

    /// The last build's terms from `cache`; `salt` is a hash of the
    /// dictionary, synonyms and index code (see the module docs).
    pub(crate) fn load(cache: &Cache, salt: u128) -> TermCache {
        let bytes = cache.get(&record_key()).unwrap_or_default();
        TermCache::from_bytes(bytes, salt)
    }

    fn from_bytes(bytes: Vec<u8>, salt: u128) -> TermCache {
        let old = index(&bytes).unwrap_or_default();
        TermCache {
            bytes,
            old,
            salt,
            fresh: Mutex::new(Vec::new()),
            misses: Default::default(),
            recording: true,
        }
    }

    /// Whether the site's cache probably holds the last build's terms (then
    /// jieba's dictionary is loaded only if a page misses).
    pub(crate) fn probably_there(site_root: &std::path::Path) -> bool {
        Cache::has_record(site_root, &record_key())
    }

    /// The key of one document's terms.
    pub(crate) fn key(&self, d: &Doc) -> u128 {
        // Destructured so that a new field of Doc is a decision here.
        let Doc {
            path: _,
            title,
            kind,
            date: _,
            summary: _,
            tags,
            body,
            extra,
        } = d;
        let mut h = Xxh3::new();
        h.update(&self.salt.to_le_bytes());
        for part in [title.as_str(), kind, body, extra]
            .into_iter()
            .chain(tags.iter().map(String::as_str))
        {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        h.digest128()
    }

    /// Calls `emit` for each cached term of the document with `key`;
    /// false (and nothing emitted) when it is not cached or does not decode.
    pub(crate) fn replay(&self, doc: usize, key: u128, mut emit: impl FnMut(&str, u8)) -> bool {
        let Some(&(start, end)) = self.old.get(&key) else {
            self.misses
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return false;
        };
        let entry = &self.bytes[start..end];
        let Some(terms) = decode(entry) else {
            self.misses
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return false;
        };
        for (t, w) in terms {
            emit(t, w);
        }
        self.keep(doc, key, entry.to_vec());
        true
    }

    /// An entry to fill with a document's terms as they are worked out,
    /// when this cache will be saved (`None` otherwise: nothing to record).
    pub(crate) fn entry(&self) -> Option<Entry> {
        self.recording.then(|| Entry {
            bytes: Vec::new(),
            whole: true,
        })
    }

    /// Records the terms worked out for a document (a miss).
    pub(crate) fn store(&self, doc: usize, key: u128, entry: Entry) {
        if entry.whole {
            self.keep(doc, key, entry.bytes);
        }
    }

    fn keep(&self, doc: usize, key: u128, entry: Vec<u8>) {
        self.fresh
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((doc, key, entry));
    }

    /// Documents whose terms had to be worked out.
    #[cfg(test)]
    pub(crate) fn misses(&self) -> usize {
        self.misses.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Writes this build's entries back when they differ from what was
    /// read (a failed write only costs the next build time).
    pub(crate) fn save(self, cache: &Cache) {
        let mut fresh = self.fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        fresh.sort_unstable_by_key(|e| e.1);
        fresh.dedup_by_key(|e| e.1);
        let unchanged = self.misses.into_inner() == 0 && fresh.len() == self.old.len();
        if unchanged || !cache.is_enabled() {
            return;
        }
        let mut out = Vec::with_capacity(fresh.iter().map(|e| e.2.len() + 20).sum::<usize>() + 4);
        out.extend_from_slice(&(fresh.len() as u32).to_le_bytes());
        for (_, key, entry) in &fresh {
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&(entry.len() as u32).to_le_bytes());
            out.extend_from_slice(entry);
        }
        cache.put(&record_key(), &out);
    }
}

/// Where each entry of a record is; `None` when the record is malformed.
fn index(bytes: &[u8]) -> Option<FxHashMap<u128, (usize, usize)>> {
    let mut r = Reader::new(bytes);
    let n = r.u32()? as usize;
    let mut map = FxHashMap::with_capacity_and_hasher(n.min(1 << 20), Default::default());
    for _ in 0..n {
        let key = u128::from_le_bytes(r.array()?);
        let len = r.u32()? as usize;
        let start = r.at();
        r.take(len)?;
        map.insert(key, (start, start + len));
    }
    r.done().then_some(map)
}

fn decode(entry: &[u8]) -> Option<Vec<(&str, u8)>> {
    let mut r = Reader::new(entry);
    let mut out = Vec::new();
    while !r.done() {
        let len = u16::from_le_bytes(r.array()?) as usize;
        let term = std::str::from_utf8(r.take(len)?).ok()?;
        let w = r.take(1)?[0];
        out.push((term, w));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn doc(title: &str, body: &str) -> Doc {
        Doc {
            path: "lessons/a/".into(),
            title: title.into(),
            kind: "课程".into(),
            date: String::new(),
            summary: String::new(),
            tags: vec!["党史".into()],
            body: Arc::from(body),
            extra: String::new(),
        }
    }

    fn tmp(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("zhibu-terms-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn terms_come_back_from_the_next_build() {
        let root = tmp("roundtrip");
        let (cache, _) = Cache::open(&root);
        let c = TermCache::load(&cache, 7);
        let d = doc("党章学习", "学习党章");
        let k = c.key(&d);
        assert!(!c.replay(0, k, |_, _| {}));
        let mut e = c.entry().unwrap();
        e.push("党章", 40);
        e.push("学习", 3);
        c.store(0, k, e);
        c.save(&cache);

        let c = TermCache::load(&cache, 7);
        let mut got = Vec::new();
        assert!(c.replay(0, k, |t, w| got.push((t.to_string(), w))));
        assert_eq!(got, vec![("党章".to_string(), 40), ("学习".to_string(), 3)]);
        assert_eq!(c.misses(), 0);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn the_key_follows_the_text_and_the_salt_not_the_path() {
        let c = TermCache::from_bytes(Vec::new(), 1);
        let a = doc("党章学习", "学习党章");
        let mut moved = a.clone();
        moved.path = "lessons/b/".into();
        assert_eq!(c.key(&a), c.key(&moved));
        assert_ne!(c.key(&a), c.key(&doc("党章学习", "学习党章。")));
        let other = TermCache::from_bytes(Vec::new(), 2);
        assert_ne!(c.key(&a), other.key(&a));
    }

    #[test]
    fn a_malformed_record_is_empty_and_a_bad_entry_a_miss() {
        assert!(index(&[1, 0, 0, 0, 9]).is_none());
        assert!(decode(&[5, 0, b'a']).is_none());
        assert!(decode(&[2, 0, 0xff, 0xfe, 1]).is_none(), "not UTF-8");
        let mut rec = 1u32.to_le_bytes().to_vec();
        rec.extend_from_slice(&9u128.to_le_bytes());
        rec.extend_from_slice(&3u32.to_le_bytes());
        rec.extend_from_slice(&[9, 0, b'x']);
        let c = TermCache::from_bytes(rec, 0);
        assert!(!c.replay(0, 9, |_, _| panic!("nothing to emit")));
        assert_eq!(c.misses(), 1);
    }
}
