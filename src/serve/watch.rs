//! Watching the site's folders: content/, themes/, templates/, static/ and
//! site.toml. Bursts of events (an editor saving writes several) are
//! gathered into one change.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::serve::Change;

/// Quiet time that ends a burst of events.
const QUIET: Duration = Duration::from_millis(25);
/// A burst never waits longer than this.
const MAX_WAIT: Duration = Duration::from_millis(400);

/// One burst of changes.
pub struct Batch {
    pub kind: Change,
    /// The paths the events named (absolute).
    pub paths: Vec<PathBuf>,
    /// Not a change on disk: the photos processed in the background are
    /// ready (see [`Waker`]).
    pub photos: bool,
}

type Message = (Instant, notify::Result<Event>);

/// Wakes [`Watch::next`] from another thread with a batch that says the
/// photos are ready (serve/photos.rs).
#[derive(Clone)]
pub(crate) struct Waker(Sender<Message>);

/// The info string of the event a [`Waker`] sends.
const PHOTOS_READY: &str = "zhibu: photos ready";

impl Waker {
    pub(crate) fn wake(&self) {
        let e = Event::new(EventKind::Other).set_info(PHOTOS_READY);
        let _ = self.0.send((Instant::now(), Ok(e)));
    }
}

pub struct Watch {
    _watcher: RecommendedWatcher,
    /// Events with the moment they arrived.
    rx: Receiver<Message>,
    tx: Sender<Message>,
    /// The site folder, absolute.
    pub root: PathBuf,
}

impl Watch {
    pub fn new(root: &Path) -> notify::Result<Watch> {
        // Absolute, so that event paths (absolute) can be compared with it.
        let root = &std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let (tx, rx) = channel();
        let sender = tx.clone();
        let mut watcher = notify::recommended_watcher(move |e| {
            let _ = sender.send((Instant::now(), e));
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
            tx,
            root: root.to_path_buf(),
        })
    }

    /// What wakes [`Self::next`] when the photos are ready.
    pub(crate) fn waker(&self) -> Waker {
        Waker(self.tx.clone())
    }

    /// Blocks until something relevant changed; `None` when the watcher stopped.
    ///
    /// A burst ends after [`QUIET`] without a relevant event, counted from
    /// when the events happened (not from when this thread, busy with the
    /// last rebuild, got to read them), or after [`MAX_WAIT`].
    pub fn next(&self) -> Option<Batch> {
        let (mut last, mut kind, mut paths) = loop {
            let (at, event) = self.rx.recv().ok()?;
            if let Ok(e) = &event
                && e.info() == Some(PHOTOS_READY)
            {
                return Some(Batch {
                    kind: Change::Content,
                    paths: Vec::new(),
                    photos: true,
                });
            }
            if let Ok(e) = event
                && let Some(c) = self.classify(&e)
            {
                break (at, c, e.paths);
            }
        };
        let deadline = last + MAX_WAIT;
        let mut photos = false;
        loop {
            let wait = (last + QUIET)
                .min(deadline)
                .saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(wait) {
                Ok((_, Ok(e))) if e.info() == Some(PHOTOS_READY) => photos = true,
                Ok((at, Ok(e))) => {
                    if let Some(c) = self.classify(&e) {
                        paths.extend(e.paths);
                        if c == Change::Everything {
                            kind = Change::Everything;
                        }
                        last = last.max(at);
                    }
                }
                Ok((_, Err(_))) => {}
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
            if Instant::now() >= deadline {
                break;
            }
        }
        Some(Batch {
            kind,
            paths,
            photos,
        })
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

    #[test]
    fn a_save_is_one_batch_and_ignored_files_are_left_out() {
        let root = std::env::temp_dir().join(format!("zhibu-watch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("content/lessons")).unwrap();
        std::fs::write(root.join("site.toml"), "title = \"x\"\n").unwrap();
        let watch = Watch::new(&root).unwrap();
        let lesson = watch.root.join("content/lessons/a.md");
        // An editor's swap file, then the file itself written twice in a row.
        std::fs::write(watch.root.join("content/lessons/.a.md.swp"), "x").unwrap();
        std::fs::write(&lesson, "---\ntitle: 一\n---\n").unwrap();
        std::fs::write(&lesson, "---\ntitle: 二\n---\n").unwrap();
        let batch = watch.next().unwrap();
        assert_eq!(batch.kind, Change::Content);
        assert!(batch.paths.contains(&lesson), "{:?}", batch.paths);
        assert!(
            batch
                .paths
                .iter()
                .all(|p| !p.to_string_lossy().contains(".swp")),
            "{:?}",
            batch.paths
        );
        // The next change is a batch of its own, and site.toml means everything.
        std::fs::write(watch.root.join("site.toml"), "title = \"y\"\n").unwrap();
        let batch = watch.next().unwrap();
        assert_eq!(batch.kind, Change::Everything, "{:?}", batch.paths);
        let _ = std::fs::remove_dir_all(&root);
    }
}
