//! Byte-identity of two output folders: every file hashed (xxh3-128, with
//! its length), the two trees compared path by path. A warm build's output
//! must be exactly what a cold `--no-cache` build of the same corpus writes.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

/// Every file under a folder: its path inside it, length and hash.
pub(crate) struct Tree(BTreeMap<String, (u64, u128)>);

impl Tree {
    pub(crate) fn of(dir: &Path) -> Tree {
        let files = crate::walk(dir);
        let hashed: Vec<(String, (u64, u128))> = files
            .par_iter()
            .map(|p| {
                let bytes = std::fs::read(p).expect("read an output file");
                let rel = p
                    .strip_prefix(dir)
                    .expect("walk stays inside the folder")
                    .to_string_lossy()
                    .into_owned();
                (
                    rel,
                    (bytes.len() as u64, xxhash_rust::xxh3::xxh3_128(&bytes)),
                )
            })
            .collect();
        Tree(hashed.into_iter().collect())
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The files that differ: missing on one side, or other bytes. At most
    /// `limit` of them, and their number.
    pub(crate) fn differences(&self, other: &Tree, limit: usize) -> (usize, Vec<String>) {
        let mut shown = Vec::new();
        let mut count = 0;
        let mut note = |s: String| {
            count += 1;
            if shown.len() < limit {
                shown.push(s);
            }
        };
        for (path, a) in &self.0 {
            match other.0.get(path) {
                None => note(format!("{path}: only in the cold build")),
                Some(b) if a != b => note(format!(
                    "{path}: {} bytes in the cold build, {} in the warm one",
                    a.0, b.0
                )),
                Some(_) => {}
            }
        }
        for path in other.0.keys() {
            if !self.0.contains_key(path) {
                note(format!("{path}: only in the warm build"));
            }
        }
        (count, shown)
    }
}
