//! In-process idempotency store for a single gateway (no Redis configured).

use std::time::{Duration, Instant};

use async_trait::async_trait;
use moka::Expiry;
use moka::ops::compute::{CompResult, Op};
use moka::sync::Cache;

use super::{Begin, IdempotencyStore, StoreUnavailable, StoredResponse};

#[derive(Debug, Clone)]
enum State {
    InFlight { owner: String },
    Done(StoredResponse),
}

#[derive(Debug, Clone)]
struct Entry {
    fingerprint: String,
    state: State,
    expires_at: Instant,
}

/// Each entry expires at its own time (markers after the lock TTL, outcomes after 24 h).
struct PerEntry;

impl Expiry<String, Entry> for PerEntry {
    fn expire_after_create(&self, _: &String, value: &Entry, now: Instant) -> Option<Duration> {
        Some(value.expires_at.saturating_duration_since(now))
    }
    fn expire_after_update(
        &self,
        _: &String,
        value: &Entry,
        now: Instant,
        _: Option<Duration>,
    ) -> Option<Duration> {
        Some(value.expires_at.saturating_duration_since(now))
    }
}

pub struct MemoryStore {
    cache: Cache<String, Entry>,
}

impl MemoryStore {
    pub fn new(max_entries: u64) -> Self {
        MemoryStore {
            cache: Cache::builder()
                .max_capacity(max_entries)
                .expire_after(PerEntry)
                .build(),
        }
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new(1_000_000)
    }
}

#[async_trait]
impl IdempotencyStore for MemoryStore {
    async fn begin(
        &self,
        key: &str,
        fingerprint: &str,
        owner: &str,
        lock_ttl: Duration,
    ) -> Result<Begin, StoreUnavailable> {
        let mut outcome = Begin::Started;
        // The compute closure runs under the entry's lock: check and claim are one step.
        self.cache
            .entry(key.to_string())
            .and_compute_with(|existing| {
                let now = Instant::now();
                match existing
                    .map(|e| e.into_value())
                    .filter(|e| e.expires_at > now)
                {
                    None => {
                        outcome = Begin::Started;
                        Op::Put(Entry {
                            fingerprint: fingerprint.to_string(),
                            state: State::InFlight {
                                owner: owner.to_string(),
                            },
                            expires_at: now + lock_ttl,
                        })
                    }
                    Some(e) if e.fingerprint != fingerprint => {
                        outcome = Begin::Mismatch;
                        Op::Nop
                    }
                    Some(Entry {
                        state: State::InFlight { .. },
                        expires_at,
                        ..
                    }) => {
                        outcome = Begin::InFlight {
                            retry_after: expires_at.saturating_duration_since(now),
                        };
                        Op::Nop
                    }
                    Some(Entry {
                        state: State::Done(r),
                        ..
                    }) => {
                        outcome = Begin::Completed(r);
                        Op::Nop
                    }
                }
            });
        Ok(outcome)
    }

    async fn complete(
        &self,
        key: &str,
        owner: &str,
        response: &StoredResponse,
        ttl: Duration,
    ) -> Result<bool, StoreUnavailable> {
        let result = self
            .cache
            .entry(key.to_string())
            .and_compute_with(|existing| match existing.map(|e| e.into_value()) {
                Some(Entry {
                    fingerprint,
                    state: State::InFlight { owner: o },
                    ..
                }) if o == owner => Op::Put(Entry {
                    fingerprint,
                    state: State::Done(response.clone()),
                    expires_at: Instant::now() + ttl,
                }),
                _ => Op::Nop,
            });
        Ok(matches!(
            result,
            CompResult::ReplacedWith(_) | CompResult::Inserted(_)
        ))
    }

    async fn release(&self, key: &str, owner: &str) -> Result<(), StoreUnavailable> {
        self.cache
            .entry(key.to_string())
            .and_compute_with(|existing| match existing.map(|e| e.into_value()) {
                Some(Entry {
                    state: State::InFlight { owner: o },
                    ..
                }) if o == owner => Op::Remove,
                _ => Op::Nop,
            });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response() -> StoredResponse {
        StoredResponse {
            status: 201,
            headers: vec![],
            body: bytes::Bytes::from_static(b"{}"),
        }
    }

    #[tokio::test]
    async fn life_cycle() {
        let s = MemoryStore::default();
        let ttl = Duration::from_secs(60);
        assert_eq!(s.begin("k", "f", "a", ttl).await.unwrap(), Begin::Started);
        assert!(matches!(
            s.begin("k", "f", "b", ttl).await.unwrap(),
            Begin::InFlight { .. }
        ));
        assert_eq!(s.begin("k", "g", "b", ttl).await.unwrap(), Begin::Mismatch);
        // Only the owner completes.
        assert!(!s.complete("k", "b", &response(), ttl).await.unwrap());
        assert!(s.complete("k", "a", &response(), ttl).await.unwrap());
        assert_eq!(
            s.begin("k", "f", "c", ttl).await.unwrap(),
            Begin::Completed(response())
        );
        // Release by a non-owner does nothing; by the owner frees the key.
        assert_eq!(s.begin("r", "f", "a", ttl).await.unwrap(), Begin::Started);
        s.release("r", "x").await.unwrap();
        assert!(matches!(
            s.begin("r", "f", "b", ttl).await.unwrap(),
            Begin::InFlight { .. }
        ));
        s.release("r", "a").await.unwrap();
        assert_eq!(s.begin("r", "f", "b", ttl).await.unwrap(), Begin::Started);
    }

    #[tokio::test]
    async fn expired_markers_can_be_taken_over() {
        let s = MemoryStore::default();
        assert_eq!(
            s.begin("k", "f", "a", Duration::from_millis(20))
                .await
                .unwrap(),
            Begin::Started
        );
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert_eq!(
            s.begin("k", "f", "b", Duration::from_secs(5))
                .await
                .unwrap(),
            Begin::Started
        );
        assert!(
            !s.complete("k", "a", &response(), Duration::from_secs(5))
                .await
                .unwrap()
        );
    }
}
