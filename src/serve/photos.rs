//! The photos of the live site, processed in the background: `serve` shows
//! a page at once (with the original files standing in for copies not made
//! yet) and the photos follow. After the first build and after every
//! rebuild, the live site's image jobs are handed over; when they differ
//! from the last ones, one low-priority thread processes them through the
//! same build cache as `zhibu build` (so a warm cache answers in moments),
//! one photo at a time on a thread of its own,
//! and wakes the editing loop, which hands the new image sets to the live
//! site: the outputs that read them (`Dep::Image`) are made again by the
//! ordinary change path and the open pages reload.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::cache::Cache;
use crate::config::ImagesConfig;
use crate::diagnostics::Diagnostics;
use crate::images::{Job, Processor, Published, Silent};
use crate::serve::watch::Waker;

/// What the live site asks for: its jobs and the names of static/ files
/// (in the theme's order).
pub(crate) struct Request {
    pub(crate) jobs: Vec<Job>,
    pub(crate) statics: Vec<String>,
    /// The live site already shows every photo it has a set for.
    pub(crate) complete: bool,
}

/// Processed photos, for the live site.
pub(crate) struct Ready {
    pub(crate) published: Published,
    pub(crate) diagnostics: Diagnostics,
}

pub(crate) struct Photos {
    processor: Arc<Processor>,
    waker: Waker,
    /// The newest request wins; an older one finishing late is dropped.
    generation: Arc<AtomicU64>,
    /// The jobs of the last request (the same jobs are not made again).
    last: Mutex<Vec<Job>>,
    ready: Arc<Mutex<Option<Ready>>>,
    /// One thread at a time processes photos.
    busy: Arc<Mutex<()>>,
    /// Where they are processed (`None` if no thread could be started:
    /// then on rayon's global pool).
    pool: Option<Arc<rayon::ThreadPool>>,
}

impl Photos {
    pub(crate) fn new(root: PathBuf, config: &ImagesConfig, waker: Waker) -> Photos {
        let (cache, _warning) = Cache::open(&root);
        Photos {
            processor: Arc::new(Processor::new(&root, config, Arc::new(cache))),
            waker,
            generation: Arc::new(AtomicU64::new(0)),
            last: Mutex::new(Vec::new()),
            ready: Arc::new(Mutex::new(None)),
            busy: Arc::new(Mutex::new(())),
            pool: rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .thread_name(|_| "zhibu-photos".into())
                .build()
                .ok()
                .map(Arc::new),
        }
    }

    /// Processes `req` in the background unless the live site shows the
    /// photos of these very jobs already.
    pub(crate) fn refresh(&self, req: Request) {
        {
            let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
            if req.complete && *last == req.jobs {
                return;
            }
            last.clone_from(&req.jobs);
        }
        let mine = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let generation = Arc::clone(&self.generation);
        let processor = Arc::clone(&self.processor);
        let ready = Arc::clone(&self.ready);
        let busy = Arc::clone(&self.busy);
        let waker = self.waker.clone();
        let pool = self.pool.clone();
        std::thread::spawn(move || {
            let _one = busy.lock().unwrap_or_else(|e| e.into_inner());
            if generation.load(Ordering::SeqCst) != mine {
                return;
            }
            // On a pool of its own, one photo at a time: the pages of the
            // next save, on the global pool, never wait behind photos.
            // (Not at a lower priority: on a busy machine a niced thread
            // hardly runs, and the photos would never come.)
            let mut done = match &pool {
                Some(pool) => pool.install(|| processor.process(&req.jobs, &Silent)),
                None => processor.process(&req.jobs, &Silent),
            };
            let diagnostics = std::mem::take(&mut done.diagnostics);
            let published = Published::new(done, &req.statics);
            if generation.load(Ordering::SeqCst) != mine {
                return;
            }
            *ready.lock().unwrap_or_else(|e| e.into_inner()) = Some(Ready {
                published,
                diagnostics,
            });
            waker.wake();
        });
    }

    /// The photos processed since the last call, if any.
    pub(crate) fn take(&self) -> Option<Ready> {
        self.ready.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}
