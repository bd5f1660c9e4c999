//! Keeping the build cache bounded: entries untouched for a month go, and
//! when what is left is still over [`MAX_BYTES`], the entries used longest
//! ago go until it is under three quarters of it. A hit touches its entry
//! (at most once an hour), so an entry's time is when a build last used it.

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use super::{Cache, MAX_BYTES, PRUNE_EVERY, PruneReport, STALE_TMP, is_old, write_atomic};

impl Cache {
    /// Deletes entries untouched for `max_age`, stale temporary files and,
    /// over [`MAX_BYTES`], the least recently used entries, at most once a
    /// day (see the module docs). Never fails.
    pub fn prune(&self, max_age: Duration) -> PruneReport {
        let Some(root) = &self.root else {
            return PruneReport::default();
        };
        let stamp = root.join("last-prune");
        if fs::metadata(&stamp).is_ok_and(|m| !is_old(&m, PRUNE_EVERY)) {
            return PruneReport::default();
        }
        // Stamp first, so that a second build at the same moment skips.
        let _ = write_atomic(&stamp, &[b"zhibu\n"]);
        self.prune_now(max_age, MAX_BYTES)
    }

    /// [`Cache::prune`] without the once-a-day check, with a size bound.
    pub fn prune_now(&self, max_age: Duration, max_bytes: u64) -> PruneReport {
        let mut report = PruneReport {
            ran: self.root.is_some(),
            ..PruneReport::default()
        };
        let Some(root) = &self.root else {
            return report;
        };
        let mut dirs = Vec::new();
        let mut kept: Vec<(SystemTime, u64, PathBuf)> = Vec::new();
        for e in walkdir::WalkDir::new(root)
            .min_depth(1)
            .contents_first(true)
            .into_iter()
            .flatten()
        {
            if e.file_type().is_dir() {
                dirs.push(e.path().to_path_buf());
                continue;
            }
            let name = e.file_name().to_string_lossy();
            if e.depth() == 1 {
                continue; // CACHEDIR.TAG, last-prune
            }
            let Ok(m) = e.metadata() else { continue };
            let limit = if name.starts_with(".tmp-") {
                STALE_TMP
            } else {
                max_age
            };
            if is_old(&m, limit) {
                if fs::remove_file(e.path()).is_ok() {
                    report.removed += 1;
                    report.bytes += m.len();
                }
            } else if !name.starts_with(".tmp-") {
                let used = m.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                kept.push((used, m.len(), e.path().to_path_buf()));
            }
        }
        let mut total: u64 = kept.iter().map(|k| k.1).sum();
        if total > max_bytes {
            kept.sort_unstable();
            for (_, len, path) in kept {
                if total <= max_bytes / 4 * 3 {
                    break;
                }
                if fs::remove_file(&path).is_ok() {
                    report.removed += 1;
                    report.bytes += len;
                    total -= len;
                }
            }
        }
        for d in dirs {
            // Only empty folders go; remove_dir refuses the others.
            let _ = fs::remove_dir(d);
        }
        report
    }
}
