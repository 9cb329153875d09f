//! Identical rate requests of one tenant, answered from memory for a short time.
//!
//! An OMS checkout asks for the same rates again and again (every page view, every
//! retry); asking every carrier each time costs the carriers' quotas and the buyer's
//! time. Answers are kept for `[rates] cache_ttl_ms` (30 s by default: rates move daily,
//! not by the second) under the tenant, the carrier accounts it books with and the
//! normalised request, so one tenant never sees another's entry, and an account a tenant
//! adds or disables is asked (or left alone) at once, not after the entry expires.
//!
//! What is cached: only complete answers, where every account asked either quoted or
//! said it does not serve the lane. An answer with a timeout, an open circuit or any other
//! error is partial by accident; caching it would repeat the accident for the whole TTL
//! while the carrier may already be back.
//!
//! In process only (not Redis): the entries are short-lived and cheap to recompute, and
//! a shared entry would need the whole answer on the wire to every process.

use std::sync::Arc;
use std::time::{Duration, Instant};

use carriers::schema::RateRequest;
use moka::sync::Cache;
use sha2::{Digest, Sha256};

use super::rates::RateResponse;
use crate::registry::Accounts;

#[derive(Clone)]
struct Entry {
    response: Arc<RateResponse>,
    expires: Instant,
}

pub struct RateCache {
    entries: Option<Cache<[u8; 32], Entry>>,
    ttl: Duration,
}

impl RateCache {
    /// `ttl` zero turns the cache off.
    pub fn new(ttl: Duration, capacity: u64) -> RateCache {
        let entries = (!ttl.is_zero()).then(|| {
            Cache::builder()
                .max_capacity(capacity)
                .time_to_live(ttl)
                .build()
        });
        RateCache { entries, ttl }
    }

    pub fn enabled(&self) -> bool {
        self.entries.is_some()
    }

    /// The tenant, its accounts in use, and the request with its carrier list in a
    /// canonical order: asking for `[a, b]` or `[b, a, a]` is the same question.
    fn key(tenant_id: &str, accounts: &Accounts, req: &RateRequest) -> [u8; 32] {
        let mut normalised = req.clone();
        // Tags, promise and objective only steer the recommendation, which is computed
        // after the cache; carriers quote the same without them.
        normalised.selection = Default::default();
        if let Some(ids) = &mut normalised.carriers {
            ids.sort();
            ids.dedup();
        }
        let mut hash = Sha256::new();
        hash.update(tenant_id.as_bytes());
        hash.update([0]);
        for id in accounts.all().map(|a| a.account) {
            hash.update(id.as_bytes());
            hash.update([0]);
        }
        hash.update(serde_json::to_vec(&normalised).expect("a rate request serialises"));
        hash.finalize().into()
    }

    /// A cached answer and the time it has left.
    pub fn get(
        &self,
        tenant_id: &str,
        accounts: &Accounts,
        req: &RateRequest,
    ) -> Option<(Arc<RateResponse>, Duration)> {
        let entry = self
            .entries
            .as_ref()?
            .get(&Self::key(tenant_id, accounts, req))?;
        let left = entry.expires.checked_duration_since(Instant::now())?;
        Some((entry.response, left))
    }

    /// Keeps `response` when it is complete (see the module docs); returns whether it did.
    pub fn put(
        &self,
        tenant_id: &str,
        accounts: &Accounts,
        req: &RateRequest,
        response: &Arc<RateResponse>,
    ) -> bool {
        let Some(entries) = &self.entries else {
            return false;
        };
        if !cacheable(response) {
            return false;
        }
        entries.insert(
            Self::key(tenant_id, accounts, req),
            Entry {
                response: response.clone(),
                expires: Instant::now() + self.ttl,
            },
        );
        true
    }
}

/// Every account answered: quotes, or "not serviceable".
pub fn cacheable(response: &RateResponse) -> bool {
    response
        .errors
        .iter()
        .all(|e| e.code == super::rates::NOT_SERVICEABLE)
}
