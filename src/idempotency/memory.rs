//! In-process idempotency store for a single gateway (no Redis configured).
//!
//! Bounded by bytes, not entries: a stored outcome carries its response body (a shipment
//! is a few KB), so a cap of a million entries could hold gigabytes. Past the budget the
//! least useful entries go first; the order-reference rule still prevents a second
//! booking if an outcome was evicted early. A deployment that needs every outcome for the
//! full 24 h at volume sets `SHIPGATE_REDIS_URL`.

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

/// What the store may hold by default, in MiB. At 256 connections booking as fast as
/// they can, the gateway itself uses about 65 MB; this keeps it under 100 MB with a full
/// store, while still holding several thousand outcomes (a shipment's is about 2.5 KB).
pub const DEFAULT_BUDGET_MB: u64 = 16;

pub struct MemoryStore {
    cache: Cache<String, Entry>,
}

/// Bytes an entry keeps alive: its strings and body, an allocator header per allocation,
/// and the cache's own nodes (hash table, access and write orders, expiry timer). The
/// overheads are estimates checked against the process's RSS with the store full of
/// shipment outcomes (about 1.6 KB of strings and body, 2.5 KB weighed).
fn weight(key: &str, entry: &Entry) -> u32 {
    const ALLOCATION: usize = 32;
    const CACHE_NODES: usize = 640;
    let state = match &entry.state {
        State::InFlight { owner } => owner.len() + ALLOCATION,
        State::Done(r) => {
            r.body.len()
                + ALLOCATION
                + r.headers
                    .iter()
                    .map(|(n, v)| n.len() + v.len() + 2 * ALLOCATION + 48)
                    .sum::<usize>()
        }
    };
    let bytes = key.len() + entry.fingerprint.len() + 2 * ALLOCATION + state + CACHE_NODES;
    u32::try_from(bytes).unwrap_or(u32::MAX)
}

impl MemoryStore {
    pub fn new(budget_bytes: u64) -> Self {
        MemoryStore {
            cache: Cache::builder()
                .weigher(|key: &String, entry: &Entry| weight(key, entry))
                .max_capacity(budget_bytes)
                .expire_after(PerEntry)
                .build(),
        }
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new(DEFAULT_BUDGET_MB << 20)
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
                    // Its own copy of the body: the response's buffer has room to grow
                    // (serialisers double it), which the store would keep alive unused.
                    state: State::Done(StoredResponse {
                        status: response.status,
                        headers: response.headers.clone(),
                        body: bytes::Bytes::copy_from_slice(&response.body),
                    }),
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

    // A store full of outcomes stays within its byte budget (an entry cap would not: each
    // outcome carries a body).
    #[tokio::test]
    async fn outcomes_stay_within_the_byte_budget() {
        let budget = 256 * 1024;
        let s = MemoryStore::new(budget);
        let ttl = Duration::from_secs(60);
        let big = StoredResponse {
            status: 201,
            headers: vec![("content-type".into(), "application/json".into())],
            body: bytes::Bytes::from(vec![b'x'; 4096]),
        };
        for i in 0..1_000 {
            let key = format!("k-{i}");
            assert_eq!(s.begin(&key, "f", "a", ttl).await.unwrap(), Begin::Started);
            assert!(s.complete(&key, "a", &big, ttl).await.unwrap());
        }
        s.cache.run_pending_tasks();
        assert!(
            s.cache.weighted_size() <= budget,
            "{} bytes held",
            s.cache.weighted_size()
        );
        assert!(s.cache.entry_count() > 0 && s.cache.entry_count() < 1_000);
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
