//! A bound on the memory images take while they are processed: a
//! semaphore counted in bytes. Each image asks for what its decoded pixels
//! and working copies need (estimated from its header) and waits while
//! others hold the rest, so 300 photos on any number of cores never have
//! more than a few decoded at once. An image larger than the whole budget
//! waits for all of it and then runs alone.
//!
//! Waiting blocks a rayon worker; that cannot deadlock, because a holder
//! never waits for anything but its own work.

use std::sync::{Condvar, Mutex};

/// Working memory for images, in bytes: two 12-MP photos decoded at half
/// scale with their copies, or one decoded whole.
pub const DEFAULT_BYTES: u64 = 64 << 20;

pub struct Budget {
    total: u64,
    state: Mutex<State>,
    freed: Condvar,
}

#[derive(Default)]
struct State {
    in_use: u64,
    peak: u64,
}

/// A share of the budget, given back when dropped.
pub struct Permit<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Budget {
    pub fn new(total: u64) -> Budget {
        Budget {
            total: total.max(1),
            state: Mutex::new(State::default()),
            freed: Condvar::new(),
        }
    }

    /// Waits until `bytes` (at most the whole budget) are free and takes them.
    pub fn acquire(&self, bytes: u64) -> Permit<'_> {
        let bytes = bytes.clamp(1, self.total);
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while s.in_use + bytes > self.total {
            s = self.freed.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        s.in_use += bytes;
        s.peak = s.peak.max(s.in_use);
        Permit {
            budget: self,
            bytes,
        }
    }

    /// The most ever held at once.
    pub fn peak(&self) -> u64 {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).peak
    }

    pub fn total(&self) -> u64 {
        self.total
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut s = self.budget.state.lock().unwrap_or_else(|e| e.into_inner());
        s.in_use -= self.bytes;
        drop(s);
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn never_more_than_the_budget_at_once() {
        let b = Budget::new(100);
        let held = AtomicU64::new(0);
        let max = AtomicU64::new(0);
        std::thread::scope(|s| {
            for i in 0..8u64 {
                let (b, held, max) = (&b, &held, &max);
                s.spawn(move || {
                    for _ in 0..20 {
                        let want = 30 + i * 5;
                        let _p = b.acquire(want);
                        let now = held.fetch_add(want, Ordering::SeqCst) + want;
                        max.fetch_max(now, Ordering::SeqCst);
                        std::thread::yield_now();
                        held.fetch_sub(want, Ordering::SeqCst);
                    }
                });
            }
        });
        assert!(max.load(Ordering::SeqCst) <= 100);
        assert!(b.peak() <= 100 && b.peak() >= 30);
        // larger than everything: runs alone
        let _p = b.acquire(1000);
        assert_eq!(b.peak(), 100);
    }
}
