//! Progress a person can follow while photos are processed: a bar when
//! stderr is a terminal, and plain lines in CI logs (every 5 s or every
//! 10 %, after the first 2 s, so a warm build prints none). The summary line
//! at the end is [`Summary::line`](super::Summary::line), printed by the
//! caller with the rest of the build's summary.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// What [`Processor::process`](super::Processor::process) reports.
pub trait Progress: Sync {
    /// `total` images to go through.
    fn start(&self, _total: usize) {}
    /// One more done (or failed); `from_cache` when nothing was decoded.
    fn step(&self, _from_cache: bool) {}
    fn finish(&self) {}
}

/// Reports nothing (tests, `check`).
pub struct Silent;

impl Progress for Silent {}

/// The bar or the lines.
pub struct Reporter {
    mode: Mode,
}

enum Mode {
    Bar {
        bar: Mutex<Option<ProgressBar>>,
        cached: AtomicUsize,
    },
    Lines(Mutex<Lines>),
}

struct Lines {
    out: Box<dyn Write + Send>,
    every: Duration,
    quiet_for: Duration,
    total: usize,
    done: usize,
    cached: usize,
    started: Instant,
    last: Instant,
    last_tenth: usize,
}

impl Reporter {
    /// A bar on a terminal, lines every 5 s or 10 % otherwise.
    pub fn stderr() -> Reporter {
        if std::io::stderr().is_terminal() {
            Reporter {
                mode: Mode::Bar {
                    bar: Mutex::new(None),
                    cached: AtomicUsize::new(0),
                },
            }
        } else {
            Reporter::lines(
                Box::new(std::io::stderr()),
                Duration::from_secs(5),
                Duration::from_secs(2),
            )
        }
    }

    /// Plain lines to `out`: at most every `every` or at each new tenth,
    /// and none in the first `quiet_for`.
    pub fn lines(out: Box<dyn Write + Send>, every: Duration, quiet_for: Duration) -> Reporter {
        let now = Instant::now();
        Reporter {
            mode: Mode::Lines(Mutex::new(Lines {
                out,
                every,
                quiet_for,
                total: 0,
                done: 0,
                cached: 0,
                started: now,
                last: now,
                last_tenth: 0,
            })),
        }
    }
}

fn counts(done: usize, total: usize, cached: usize) -> String {
    let pct = done * 100 / total.max(1);
    format!("{done}/{total}（{pct}%），其中 {cached} 张来自缓存")
}

impl Progress for Reporter {
    fn start(&self, total: usize) {
        match &self.mode {
            Mode::Bar { bar, .. } => {
                if total == 0 {
                    return;
                }
                let b = ProgressBar::new(total as u64);
                b.set_style(
                    ProgressStyle::with_template("处理图片 [{bar:30}] {pos}/{len} {msg} {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                if let Ok(mut slot) = bar.lock() {
                    *slot = Some(b);
                }
            }
            Mode::Lines(l) => {
                if let Ok(mut l) = l.lock() {
                    let now = Instant::now();
                    (l.total, l.done, l.cached, l.started, l.last, l.last_tenth) =
                        (total, 0, 0, now, now, 0);
                }
            }
        }
    }

    fn step(&self, from_cache: bool) {
        match &self.mode {
            Mode::Bar { bar, cached } => {
                let c = cached.fetch_add(usize::from(from_cache), Ordering::Relaxed)
                    + usize::from(from_cache);
                if let Ok(slot) = bar.lock()
                    && let Some(b) = slot.as_ref()
                {
                    b.inc(1);
                    b.set_message(format!("（{c} 张来自缓存）"));
                }
            }
            Mode::Lines(l) => {
                let Ok(mut l) = l.lock() else { return };
                l.done += 1;
                l.cached += usize::from(from_cache);
                let now = Instant::now();
                let tenth = l.done * 10 / l.total.max(1);
                let due = now.duration_since(l.last) >= l.every || tenth > l.last_tenth;
                if l.done < l.total && due && now.duration_since(l.started) >= l.quiet_for {
                    let line = counts(l.done, l.total, l.cached);
                    let _ = writeln!(l.out, "处理图片：{line}");
                    (l.last, l.last_tenth) = (now, tenth);
                }
            }
        }
    }

    fn finish(&self) {
        if let Mode::Bar { bar, .. } = &self.mode
            && let Ok(mut slot) = bar.lock()
            && let Some(b) = slot.take()
        {
            b.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_every_tenth_with_counts() {
        let out = Shared::default();
        let r = Reporter::lines(
            Box::new(out.clone()),
            Duration::from_secs(3600),
            Duration::ZERO,
        );
        r.start(20);
        for i in 0..20 {
            r.step(i % 2 == 0);
        }
        r.finish();
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 9, "{text}");
        assert_eq!(lines[0], "处理图片：2/20（10%），其中 1 张来自缓存");
        assert_eq!(lines[8], "处理图片：18/20（90%），其中 9 张来自缓存");
    }

    #[test]
    fn a_quick_run_prints_nothing() {
        let out = Shared::default();
        let r = Reporter::lines(
            Box::new(out.clone()),
            Duration::ZERO,
            Duration::from_secs(3600),
        );
        r.start(300);
        for _ in 0..300 {
            r.step(true);
        }
        r.finish();
        assert!(out.0.lock().unwrap().is_empty());
    }
}
