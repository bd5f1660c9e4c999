//! What the last build wrote into an output folder (issue 19), kept in the
//! build cache under the folder's absolute path: each file's path, the key
//! it was made from (or the hash of its contents), its length and
//! modification time, and each folder's modification time.
//!
//! A build that finds the folder exactly as recorded makes and writes only
//! what changed ([`super::update`]). A file whose length or time differs —
//! touched by hand, half-written by a build that was killed — is simply
//! made again; a folder whose time differs (someone added or removed a
//! file in it) is looked through at the end, so that what a build leaves
//! is always what a build from scratch would. Without a manifest (a fresh
//! folder, `--no-cache`, a deleted cache) everything is written through
//! the staging folder, as before.

use std::fs;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::cache::reader::Reader;
use crate::cache::{Cache, Key};

/// Bump when the record's layout or meaning changes.
const VERSION: u32 = 1;

/// One file as the last build left it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The key it was made from, or the hash of its contents.
    pub(crate) id: u128,
    pub(crate) len: u64,
    pub(crate) mtime: i128,
}

/// An output folder as recorded.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Manifest {
    pub(crate) files: FxHashMap<String, Entry>,
    /// Folder (relative, `""` for the output itself) → modification time.
    pub(crate) dirs: FxHashMap<String, i128>,
}

/// The part of a manifest still true on disk.
pub(crate) struct Verified {
    /// Files whose length and time are as recorded.
    pub(crate) files: FxHashMap<String, Entry>,
    /// Every file the manifest names (intact or not), to remove if this
    /// build does not make it again.
    pub(crate) known: FxHashSet<String>,
    /// Folders whose entries changed since (to look through at the end).
    pub(crate) changed_dirs: Vec<String>,
}

fn key(output: &Path) -> Key {
    // The same name whether the folder exists yet or not.
    let abs = super::absolute(output);
    Key::new("outputs", VERSION, &[abs.as_os_str().as_encoded_bytes()])
}

/// Modification time in nanoseconds (0 when the system has none).
pub(crate) fn mtime(m: &fs::Metadata) -> i128 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

impl Manifest {
    /// The manifest of `output`, when the cache has one that decodes.
    pub(crate) fn load(cache: &Cache, output: &Path) -> Option<Manifest> {
        decode(&cache.get(&key(output))?)
    }

    /// Stores it for the next build (a failed write only costs time).
    pub(crate) fn save(&self, cache: &Cache, output: &Path) {
        cache.put(&key(output), &encode(self));
    }

    /// Drops the record before the folder is changed: if the build is
    /// killed halfway, the next one writes everything.
    pub(crate) fn forget(cache: &Cache, output: &Path) {
        if cache.is_enabled() {
            cache.put(&key(output), &[]);
        }
    }

    /// The files and folders of `output` that `ids` name (path, key, and
    /// the entry of a file kept as it was), read from disk where needed.
    pub(crate) fn record(output: &Path, ids: Vec<super::update::Made>) -> Manifest {
        let files: FxHashMap<String, Entry> = ids
            .into_par_iter()
            .filter_map(|(path, id, kept)| {
                if let Some(e) = kept {
                    return Some((path, e));
                }
                let m = fs::symlink_metadata(output.join(&path)).ok()?;
                let entry = Entry {
                    id,
                    len: m.len(),
                    mtime: mtime(&m),
                };
                Some((path, entry))
            })
            .collect();
        let mut names: FxHashSet<&str> = FxHashSet::default();
        names.insert("");
        for path in files.keys() {
            let mut p = path.as_str();
            while let Some(i) = p.rfind('/') {
                p = &p[..i];
                if !names.insert(p) {
                    break;
                }
            }
        }
        let dirs = names
            .into_par_iter()
            .filter_map(|d| {
                let m = fs::symlink_metadata(output.join(d)).ok()?;
                Some((d.to_string(), mtime(&m)))
            })
            .collect();
        Manifest { files, dirs }
    }

    /// What is still true of this manifest in `output`; `None` when the
    /// folder is gone (then everything is written afresh).
    pub(crate) fn verify(self, output: &Path) -> Option<Verified> {
        let root = fs::symlink_metadata(output).ok()?;
        if !root.is_dir() {
            return None;
        }
        let known: FxHashSet<String> = self.files.keys().cloned().collect();
        let files = self
            .files
            .into_par_iter()
            .filter(|(path, e)| {
                fs::symlink_metadata(output.join(path))
                    .is_ok_and(|m| m.is_file() && m.len() == e.len && mtime(&m) == e.mtime)
            })
            .collect();
        let changed_dirs = self
            .dirs
            .into_par_iter()
            .filter(|(d, t)| {
                !fs::symlink_metadata(output.join(d)).is_ok_and(|m| m.is_dir() && mtime(&m) == *t)
            })
            .map(|(d, _)| d)
            .collect();
        Some(Verified {
            files,
            known,
            changed_dirs,
        })
    }
}

fn encode(m: &Manifest) -> Vec<u8> {
    let mut out = Vec::with_capacity(m.files.len() * 80 + m.dirs.len() * 40 + 8);
    let mut files: Vec<_> = m.files.iter().collect();
    files.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out.extend_from_slice(&(files.len() as u32).to_le_bytes());
    for (path, e) in files {
        put_str(&mut out, path);
        out.extend_from_slice(&e.id.to_le_bytes());
        out.extend_from_slice(&e.len.to_le_bytes());
        out.extend_from_slice(&e.mtime.to_le_bytes());
    }
    let mut dirs: Vec<_> = m.dirs.iter().collect();
    dirs.sort_unstable();
    out.extend_from_slice(&(dirs.len() as u32).to_le_bytes());
    for (d, t) in dirs {
        put_str(&mut out, d);
        out.extend_from_slice(&t.to_le_bytes());
    }
    out
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn decode(bytes: &[u8]) -> Option<Manifest> {
    let mut r = Reader::new(bytes);
    let mut m = Manifest::default();
    for _ in 0..r.u32()? {
        let path = r.str()?;
        let id = u128::from_le_bytes(r.array()?);
        let len = u64::from_le_bytes(r.array()?);
        let mtime = i128::from_le_bytes(r.array()?);
        m.files.insert(path, Entry { id, len, mtime });
    }
    for _ in 0..r.u32()? {
        let d = r.str()?;
        let t = i128::from_le_bytes(r.array()?);
        m.dirs.insert(d, t);
    }
    // Paths come from the cache: only ones a build could have written.
    let safe = m.files.keys().all(|p| super::is_contained(p))
        && m.dirs
            .keys()
            .all(|d| d.is_empty() || super::is_contained(d));
    (r.done() && safe).then_some(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("zhibu-manifest-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_manifest_survives_the_cache_and_sees_what_changed_on_disk() {
        let d = tmp("roundtrip");
        let out = d.join("public");
        fs::create_dir_all(out.join("a/b")).unwrap();
        fs::write(out.join("a/b/index.html"), "one").unwrap();
        fs::write(out.join("index.html"), "two").unwrap();
        let m = Manifest::record(
            &out,
            vec![
                ("a/b/index.html".into(), 1, None),
                ("index.html".into(), 2, None),
            ],
        );
        assert_eq!(m.dirs.len(), 3, "the output, a and a/b: {:?}", m.dirs);
        let (cache, _) = Cache::open(&d);
        m.save(&cache, &out);
        let back = Manifest::load(&cache, &out).unwrap();
        assert_eq!(back, m);

        // touched by hand: that file is no longer trusted
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(out.join("index.html"), "TWO").unwrap();
        fs::write(out.join("a/stray.txt"), "x").unwrap();
        let v = back.verify(&out).unwrap();
        assert!(v.files.contains_key("a/b/index.html"));
        assert!(!v.files.contains_key("index.html"));
        assert_eq!(v.known.len(), 2);
        assert!(
            v.changed_dirs.contains(&"a".to_string()),
            "{:?}",
            v.changed_dirs
        );
        assert!(!v.changed_dirs.contains(&"a/b".to_string()));

        Manifest::forget(&cache, &out);
        assert!(Manifest::load(&cache, &out).is_none());
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn broken_or_hostile_records_are_no_manifest() {
        assert!(decode(&[1, 0, 0, 0]).is_none());
        let mut m = Manifest::default();
        m.files.insert(
            "../../etc/passwd".into(),
            Entry {
                id: 1,
                len: 1,
                mtime: 1,
            },
        );
        assert!(decode(&encode(&m)).is_none());
    }
}
