//! One reload at a time for an expired cache entry, the others serving the stale value
//! meanwhile (stale-while-revalidate).
//!
//! Why: at expiry every request in flight would otherwise reload at once. With 256
//! concurrent quotes that was 256 identical queries queued on the database pool, and on a
//! thread-per-core HTTP server every request of that worker waited behind them:
//! `rates-ratecard`'s p99 at 256 connections went from 15 ms to 86–300 ms (bench/run).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether an entry is being reloaded; a new entry gets a new one.
#[derive(Debug, Default, Clone)]
pub struct Refresh(Arc<AtomicBool>);

impl Refresh {
    /// The slot for the one caller that reloads (`None`: another is reloading, serve the
    /// stale value). The slot frees itself when dropped, also when the reload is cancelled
    /// (a client that hangs up drops its request), so an entry cannot stay stale for good.
    pub fn claim(&self) -> Option<Reloading> {
        (!self.0.swap(true, Ordering::AcqRel)).then(|| Reloading(self.0.clone()))
    }
}

pub struct Reloading(Arc<AtomicBool>);

impl Drop for Reloading {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_claim_at_a_time_and_free_again_when_dropped() {
        let refresh = Refresh::default();
        let first = refresh.claim().expect("free");
        assert!(refresh.clone().claim().is_none(), "taken while reloading");
        drop(first);
        assert!(
            refresh.claim().is_some(),
            "free once the reload ends or is cancelled"
        );
    }
}
