//! The active rule set per tenant, kept in process.
//!
//! Every rate request and `auto` booking needs the tenant's rules; reading and parsing
//! them from the database each time would put a query on the hottest path. An upload
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
use crate::store::{Store, StoredRuleSet};

/// A tenant's rule set in force, with its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveRuleSet {
    pub version: i64,
    pub rules: RuleSet,
    pub created_at: DateTime<Utc>,
}

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

#[derive(Clone)]
struct Entry {
    loaded: Instant,
    /// `None`: the tenant has no rules (also worth caching: most tenants have none).
    active: Option<Arc<ActiveRuleSet>>,
    refresh: Refresh,
}

pub struct RuleCache {
    ttl: Duration,
    entries: RwLock<HashMap<String, Entry>>,
}

impl RuleCache {
    pub fn new(ttl: Duration) -> RuleCache {
        RuleCache {
            ttl,
            entries: RwLock::default(),
        }
    }

    /// The tenant's active rule set, from memory unless the entry is missing or expired.
    pub async fn active(
        &self,
        store: &Store,
        tenant_id: &str,
    ) -> Result<Option<Arc<ActiveRuleSet>>, ApiError> {
        // Expired: one caller reloads, the others use the stale rules meanwhile.
        let _reloading = match self.read().get(tenant_id) {
            Some(entry) if entry.loaded.elapsed() < self.ttl => {
                metrics::counter!("shipgate_selection_rule_cache_total", "result" => "hit")
                    .increment(1);
                return Ok(entry.active.clone());
            }
            Some(stale) => match stale.refresh.claim() {
                Some(reloading) => Some(reloading),
                None => {
                    metrics::counter!("shipgate_selection_rule_cache_total", "result" => "stale")
                        .increment(1);
                    return Ok(stale.active.clone());
                }
            },
            None => None,
        };
        metrics::counter!("shipgate_selection_rule_cache_total", "result" => "miss").increment(1);
        let active = store
            .latest_rule_set(crate::store::RuleSets::Selection, tenant_id)
            .await?
            .map(ActiveRuleSet::from_stored)
            .transpose()?
            .map(Arc::new);
        self.put(tenant_id, active.clone());
        Ok(active)
    }

    /// Replaces the tenant's entry (after an upload through this process).
    pub fn put(&self, tenant_id: &str, active: Option<Arc<ActiveRuleSet>>) {
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

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Entry>> {
        self.entries.read().unwrap_or_else(|p| p.into_inner())
    }
}
