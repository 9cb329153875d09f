//! A tenant's versioned rules in force (selection rules, the address policy), kept in
//! process.
//!
//! Every rate request and `auto` booking needs the tenant's selection rules, and every
//! booking its address policy; reading and parsing them from the database each time would
//! put a query on the hottest path. An upload
//! through this process replaces the entry at once; other gateway processes sharing the
//! database pick it up when their entry expires (`selection.cache_ttl_ms`), so the time
//! for a change to reach every process is bounded and no message bus is needed.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::rules::RuleSet;
use crate::error::ApiError;
use crate::service::stale_refresh::Refresh;
use crate::store::{RuleSets, Store, StoredRuleSet};

/// A tenant's rules in force, with their version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Active<T> {
    pub version: i64,
    pub rules: T,
    pub created_at: DateTime<Utc>,
}

/// A tenant's selection rule set in force.
pub type ActiveRuleSet = Active<RuleSet>;

impl ActiveRuleSet {
    /// Reads a stored version; a stored set that no longer parses is a bug, not bad input.
    pub fn from_stored(stored: StoredRuleSet) -> Result<ActiveRuleSet, ApiError> {
        let rules = RuleSet::from_json(&stored.rules_json).map_err(|e| {
            ApiError::Internal(anyhow::anyhow!(
                "stored selection rule set version {} does not parse: {e}",
                stored.version
            ))
        })?;
        Ok(ActiveRuleSet {
            version: stored.version,
            rules,
            created_at: stored.created_at,
        })
    }
}

struct Entry<T> {
    loaded: Instant,
    /// `None`: the tenant has no rules (also worth caching: most tenants have none).
    active: Option<Arc<Active<T>>>,
    refresh: Refresh,
}

/// One kind of rules ([`RuleSets`]) per tenant, each read from the store on a miss or
/// once its entry is older than the TTL.
pub struct PolicyCache<T> {
    kind: RuleSets,
    /// Counts hits, stale answers and misses by `result`.
    metric: &'static str,
    parse: fn(StoredRuleSet) -> Result<Active<T>, ApiError>,
    ttl: Duration,
    entries: RwLock<HashMap<String, Entry<T>>>,
}

/// The tenants' selection rule sets.
pub type RuleCache = PolicyCache<RuleSet>;

impl RuleCache {
    pub fn new(ttl: Duration) -> RuleCache {
        PolicyCache::of(
            RuleSets::Selection,
            "shipgate_selection_rule_cache_total",
            ActiveRuleSet::from_stored,
            ttl,
        )
    }
}

impl<T> PolicyCache<T> {
    pub fn of(
        kind: RuleSets,
        metric: &'static str,
        parse: fn(StoredRuleSet) -> Result<Active<T>, ApiError>,
        ttl: Duration,
    ) -> PolicyCache<T> {
        PolicyCache {
            kind,
            metric,
            parse,
            ttl,
            entries: RwLock::default(),
        }
    }

    /// The tenant's rules in force, from memory unless the entry is missing or expired.
    pub async fn active(
        &self,
        store: &Store,
        tenant_id: &str,
    ) -> Result<Option<Arc<Active<T>>>, ApiError> {
        // Expired: one caller reloads, the others use the stale rules meanwhile.
        let _reloading = match self.read().get(tenant_id) {
            Some(entry) if entry.loaded.elapsed() < self.ttl => {
                metrics::counter!(self.metric, "result" => "hit").increment(1);
                return Ok(entry.active.clone());
            }
            Some(stale) => match stale.refresh.claim() {
                Some(reloading) => Some(reloading),
                None => {
                    metrics::counter!(self.metric, "result" => "stale").increment(1);
                    return Ok(stale.active.clone());
                }
            },
            None => None,
        };
        metrics::counter!(self.metric, "result" => "miss").increment(1);
        let active = store
            .latest_rule_set(self.kind, tenant_id)
            .await?
            .map(self.parse)
            .transpose()?
            .map(Arc::new);
        self.put(tenant_id, active.clone());
        Ok(active)
    }

    /// Replaces the tenant's entry (after an upload through this process).
    pub fn put(&self, tenant_id: &str, active: Option<Arc<Active<T>>>) {
        let mut entries = self.entries.write().unwrap_or_else(|p| p.into_inner());
        // A read that started before an upload must not put the older version back.
        if let Some(current) = entries.get(tenant_id)
            && let (Some(have), Some(new)) = (&current.active, &active)
            && have.version > new.version
            && current.loaded.elapsed() < self.ttl
        {
            return;
        }
        entries.insert(
            tenant_id.to_string(),
            Entry {
                loaded: Instant::now(),
                active,
                refresh: Refresh::default(),
            },
        );
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Entry<T>>> {
        self.entries.read().unwrap_or_else(|p| p.into_inner())
    }
}
