//! The search index of the live site, rebuilt on one low-priority thread
//! after edits settle, so that a save shows up before the index is done.
//! While pages are being rebuilt it waits at a [`Gate`]: on two cores an
//! index built in the background would otherwise take a core from the next
//! reload.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::diagnostics::Diagnostic;
use crate::outputs::search::Input;
use crate::serve::http::{Shared, Snapshot};

/// How long the index waits for the editor to pause: a burst of saves
/// builds one index, not one each.
const SETTLE: Duration = Duration::from_millis(700);

#[derive(Clone)]
pub(super) struct SearchIndex {
    shared: Arc<Shared>,
    /// The newest request wins; an older one finishing late is dropped.
    generation: Arc<AtomicU64>,
    pool: Arc<rayon::ThreadPool>,
    pub(super) gate: Arc<Gate>,
}

impl SearchIndex {
    pub(super) fn new(shared: Arc<Shared>) -> Result<SearchIndex, Diagnostic> {
        // One low-priority thread for the index: the next edit's pages come first.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "zhibu-search".into())
            .start_handler(|_| lower_priority())
            .build()
            .map_err(|e| Diagnostic::error(format!("无法启动搜索索引线程：{e}")))?;
        Ok(SearchIndex {
            shared,
            generation: Arc::new(AtomicU64::new(0)),
            pool: Arc::new(pool),
            gate: Arc::new(Gate::default()),
        })
    }

    /// Builds the index at once, on this thread (the first build).
    pub(super) fn build_now(&self, input: &Input) {
        self.publish(input.build(&|| {}));
    }

    /// Builds the index from `input` in the background once edits pause.
    /// Takes the index's input, not the site, which stays unshared.
    pub(super) fn refresh(&self, input: Input) {
        let mine = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let me = self.clone();
        std::thread::spawn(move || {
            std::thread::sleep(SETTLE);
            // A newer edit may have come while this one waited.
            let current = || me.generation.load(Ordering::SeqCst) == mine;
            if !current() {
                return;
            }
            let gate = &me.gate;
            let build = || current().then(|| input.build(&|| gate.wait()));
            let Some(files) = me.pool.install(build) else {
                return;
            };
            if current() {
                me.publish(files);
            }
            // Trimming locks the allocator for a moment: not during a rebuild.
            gate.wait();
            super::release_memory();
        });
    }

    fn publish(&self, files: Vec<crate::files::OutputFile>) {
        let index = files
            .into_iter()
            .map(|f| (f.path.clone(), Arc::new(f)))
            .collect();
        *self
            .shared
            .search
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Arc::new(Snapshot::new(index));
    }
}

/// Where the background search index waits while pages are rebuilt.
#[derive(Default)]
pub(super) struct Gate {
    closed: Mutex<bool>,
    opened: Condvar,
}

/// Reopens the gate when dropped (also when a rebuild fails).
pub(super) struct Closed<'a>(&'a Gate);

impl Gate {
    pub(super) fn close(&self) -> Closed<'_> {
        *self.closed.lock().unwrap_or_else(|e| e.into_inner()) = true;
        Closed(self)
    }

    fn wait(&self) {
        let mut closed = self.closed.lock().unwrap_or_else(|e| e.into_inner());
        while *closed {
            closed = self.opened.wait(closed).unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl Drop for Closed<'_> {
    fn drop(&mut self) {
        *self.0.closed.lock().unwrap_or_else(|e| e.into_inner()) = false;
        self.0.opened.notify_all();
    }
}

/// Nice 10 for the calling thread (Linux: nice values are per thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on the calling thread (who = 0) only changes its scheduling.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}
