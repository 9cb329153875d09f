//! The Shiprocket bearer token, cached per adapter.
//!
//! Shiprocket authenticates with a token from `POST /v1/external/auth/login` that lives
//! about ten days (240 hours). Logging in for every call would double the traffic and
//! trip Shiprocket's login throttling, so the token is kept and reused, and dropped a day
//! before it would expire so a long-running process never sends a stale one on purpose.
//! A token can still die early (password changed, revoked, a sandbox expiring it): the
//! adapter then sees a 401, which means the call was not executed, drops the token with
//! [`TokenCache::invalidate`] and logs in again once.
//!
//! A plain `std::sync::Mutex` is enough: it is never held across an await. Two calls that
//! find the cache empty at the same moment both log in; Shiprocket keeps both tokens
//! valid, the later one wins the slot, and nothing breaks.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a token is reused: Shiprocket's 10 days less a day of margin.
pub const TOKEN_REUSE: Duration = Duration::from_secs(9 * 24 * 3600);

#[derive(Debug)]
struct Cached {
    token: String,
    obtained: Instant,
}

#[derive(Debug)]
pub struct TokenCache {
    slot: Mutex<Option<Cached>>,
    reuse_for: Duration,
}

impl Default for TokenCache {
    fn default() -> Self {
        TokenCache::new(TOKEN_REUSE)
    }
}

impl TokenCache {
    pub fn new(reuse_for: Duration) -> Self {
        TokenCache {
            slot: Mutex::new(None),
            reuse_for,
        }
    }

    /// The cached token while it is young enough to use.
    pub fn current(&self) -> Option<String> {
        let slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        slot.as_ref()
            .filter(|c| c.obtained.elapsed() < self.reuse_for)
            .map(|c| c.token.clone())
    }

    pub fn store(&self, token: String) {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        *slot = Some(Cached {
            token,
            obtained: Instant::now(),
        });
    }

    /// Forgets `token` if it is still the cached one. Comparing first keeps a call that
    /// was refused with an old token from throwing away a fresh token another call has
    /// just obtained.
    pub fn invalidate(&self, token: &str) {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.as_ref().is_some_and(|c| c.token == token) {
            *slot = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_until_too_old_and_invalidates_only_its_own_token() {
        let cache = TokenCache::default();
        assert_eq!(cache.current(), None);
        cache.store("a".into());
        assert_eq!(cache.current().as_deref(), Some("a"));
        cache.store("b".into());
        cache.invalidate("a");
        assert_eq!(cache.current().as_deref(), Some("b"));
        cache.invalidate("b");
        assert_eq!(cache.current(), None);

        let short = TokenCache::new(Duration::ZERO);
        short.store("c".into());
        assert_eq!(short.current(), None);
    }
}
