//! Tenants' rule sets, versioned: carrier selection rules, NDR and address policies.
//!
//! A new set never overwrites an old one: it is inserted as the tenant's next version, so
//! whatever was decided by a set (a shipment's `rule_set_version`, an NDR decision's
//! `policy_version`) always points at the rules it was decided by. Versions are numbered
//! per tenant by the insert itself (highest + 1); two concurrent uploads that pick the
//! same number collide on the primary key and the loser retries.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::records::from_ms;
use super::{Store, now_ms};

/// Which rule sets: each kind has its own table of the same shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSets {
    /// Carrier selection rules (`crate::selection`).
    Selection,
    /// NDR policies (`crate::service::ndr_policy`).
    NdrPolicy,
    /// Address policies (`crate::service::address_policy`).
    AddressPolicy,
}

impl RuleSets {
    fn table(self) -> &'static str {
        match self {
            RuleSets::Selection => "selection_rule_sets",
            RuleSets::NdrPolicy => "ndr_policies",
            RuleSets::AddressPolicy => "address_policies",
        }
    }
}

/// One stored version of a tenant's rule set, still as its JSON text (the selection module
/// owns the schema).
#[derive(Debug, Clone)]
pub struct StoredRuleSet {
    pub version: i64,
    pub rules_json: String,
    pub created_at: DateTime<Utc>,
}

fn from_row(r: &AnyRow) -> Result<StoredRuleSet, sqlx::Error> {
    Ok(StoredRuleSet {
        version: r.try_get("version")?,
        rules_json: r.try_get("rules_json")?,
        created_at: from_ms(r.try_get("created_at")?),
    })
}

/// How often an upload retries after losing a version number to a concurrent one.
const VERSION_RACE_RETRIES: usize = 5;

impl Store {
    /// Stores `rules_json` as the tenant's next version of `kind` and returns it.
    pub async fn add_rule_set(
        &self,
        kind: RuleSets,
        tenant_id: &str,
        rules_json: &str,
    ) -> Result<StoredRuleSet, sqlx::Error> {
        let table = kind.table();
        let mut attempt = 0;
        loop {
            let now = now_ms();
            let inserted = sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO {table} (tenant_id, version, rules_json, created_at) \
                 SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3 FROM {table} \
                 WHERE tenant_id = $1 \
                 ON CONFLICT (tenant_id, version) DO NOTHING"
            )))
            .bind(tenant_id)
            .bind(rules_json)
            .bind(now)
            .execute(&self.pool)
            .await;
            match inserted {
                Ok(done) if done.rows_affected() == 1 => {
                    return self
                        .latest_rule_set(kind, tenant_id)
                        .await?
                        .ok_or(sqlx::Error::RowNotFound);
                }
                // PostgreSQL may report the collision as a unique violation instead.
                Ok(_) => {}
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {}
                Err(e) => return Err(e),
            }
            attempt += 1;
            if attempt >= VERSION_RACE_RETRIES {
                return Err(sqlx::Error::Protocol(
                    "could not take a rule set version number after several concurrent uploads"
                        .into(),
                ));
            }
        }
    }

    /// The tenant's active (highest) version of `kind`.
    pub async fn latest_rule_set(
        &self,
        kind: RuleSets,
        tenant_id: &str,
    ) -> Result<Option<StoredRuleSet>, sqlx::Error> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT version, rules_json, created_at FROM {} \
             WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1",
            kind.table()
        )))
        .bind(tenant_id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
    }

    pub async fn rule_set_version(
        &self,
        kind: RuleSets,
        tenant_id: &str,
        version: i64,
    ) -> Result<Option<StoredRuleSet>, sqlx::Error> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT version, rules_json, created_at FROM {} \
             WHERE tenant_id = $1 AND version = $2",
            kind.table()
        )))
        .bind(tenant_id)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
    }

    /// Every version of the tenant's `kind`, newest first, at most `limit`.
    pub async fn rule_set_history(
        &self,
        kind: RuleSets,
        tenant_id: &str,
        limit: i64,
    ) -> Result<Vec<StoredRuleSet>, sqlx::Error> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT version, rules_json, created_at FROM {} \
             WHERE tenant_id = $1 ORDER BY version DESC LIMIT $2",
            kind.table()
        )))
        .bind(tenant_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(from_row)
        .collect()
    }
}
