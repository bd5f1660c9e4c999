//! Watching the site's folders: content/, themes/, templates/, static/ and
//! site.toml. Bursts of events (an editor saving writes several) are
//! gathered into one change.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::serve::site::Change;

/// Quiet time that ends a burst of events.
const QUIET: Duration = Duration::from_millis(25);
/// A burst never waits longer than this.
const MAX_WAIT: Duration = Duration::from_millis(400);

/// One burst of changes.
pub struct Batch {
    pub kind: Change,
    /// The paths the events named (absolute).
    pub paths: Vec<PathBuf>,
}

pub struct Watch {
    _watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<Event>>,
    /// The site folder, absolute.
    pub root: PathBuf,
}

impl Watch {
    pub fn new(root: &Path) -> notify::Result<Watch> {
        // Absolute, so that event paths (absolute) can be compared with it.
        let root = &std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })?;
        for dir in ["content", "themes", "templates", "static"] {
            let p = root.join(dir);
            if p.is_dir() {
                watcher.watch(&p, RecursiveMode::Recursive)?;
            }
        }
        // site.toml is watched through its folder (editors replace the file).
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        Ok(Watch {
            _watcher: watcher,
            rx,
            root: root.to_path_buf(),
        })
    }

    /// Blocks until something relevant changed; `None` when the watcher stopped.
    pub fn next(&self) -> Option<Batch> {
        let mut change: Option<Change> = None;
        let mut paths: Vec<PathBuf> = Vec::new();
        loop {
            let event = match change {
                None => self.rx.recv().ok()?,
                Some(kind) => match self.rx.recv_timeout(QUIET) {
                    Ok(e) => e,
                    Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                        return Some(Batch { kind, paths });
                    }
                },
            };
            if let Ok(e) = event
                && let Some(c) = self.classify(&e)
            {
                paths.extend(e.paths.iter().cloned());
                change = Some(match (change, c) {
                    (Some(Change::Everything), _) | (_, Change::Everything) => Change::Everything,
                    _ => Change::Content,
                });
                let started = Instant::now();
                // drain the burst, but never wait forever on a busy folder
                while started.elapsed() < MAX_WAIT {
                    match self.rx.recv_timeout(QUIET) {
                        Ok(Ok(e)) => {
                            if let Some(c2) = self.classify(&e) {
                                paths.extend(e.paths.iter().cloned());
                                if c2 == Change::Everything {
                                    change = Some(Change::Everything);
                                }
                            }
                        }
                        Ok(Err(_)) => {}
                        Err(_) => break,
                    }
                }
                return change.map(|kind| Batch { kind, paths });
            }
        }
    }

    fn classify(&self, e: &Event) -> Option<Change> {
        if matches!(e.kind, EventKind::Access(_)) {
            return None;
        }
        e.paths
            .iter()
            .filter_map(|p| classify_path(&self.root, p))
            .max_by_key(|c| *c == Change::Everything)
    }
}

/// What a changed path means, or `None` for paths zhibu does not read.
pub fn classify_path(root: &Path, p: &Path) -> Option<Change> {
    let rel = p.strip_prefix(root).ok()?;
    let name = rel.file_name()?.to_string_lossy();
    if name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
    {
        return None;
    }
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .to_string();
    match first.as_str() {
        "content" => Some(Change::Content),
        "themes" | "templates" | "static" => Some(Change::Everything),
        "site.toml" => Some(Change::Everything),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let r = Path::new("/site");
        assert_eq!(
            classify_path(r, Path::new("/site/content/lessons/a.md")),
            Some(Change::Content)
        );
        assert_eq!(
            classify_path(r, Path::new("/site/site.toml")),
            Some(Change::Everything)
        );
        assert_eq!(
            classify_path(r, Path::new("/site/templates/base.html")),
            Some(Change::Everything)
        );
        assert_eq!(classify_path(r, Path::new("/site/public/index.html")), None);
        assert_eq!(
            classify_path(r, Path::new("/site/content/lessons/.a.md.swp")),
            None
        );
        assert_eq!(
            classify_path(r, Path::new("/site/content/lessons/a.md~")),
            None
        );
        assert_eq!(classify_path(r, Path::new("/elsewhere/x")), None);
    }
}
