//! Carrier selection rule sets, versioned per tenant, and the selection record of each
//! `auto` booking.
//!
//! A new set never overwrites an old one: it is inserted as the tenant's next version, so
//! a shipment's recorded `rule_set_version` always points at the rules it was chosen by.
//! Versions are numbered per tenant by the insert itself (highest + 1); two concurrent
//! uploads that pick the same number collide on the primary key and the loser retries.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::records::from_ms;
use super::{Store, now_ms};

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
    /// Stores `rules_json` as the tenant's next version and returns it.
    pub async fn add_rule_set(
        &self,
        tenant_id: &str,
        rules_json: &str,
    ) -> Result<StoredRuleSet, sqlx::Error> {
        let mut attempt = 0;
        loop {
            let now = now_ms();
            let inserted = sqlx::query(
                "INSERT INTO selection_rule_sets (tenant_id, version, rules_json, created_at) \
                 SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3 FROM selection_rule_sets \
                 WHERE tenant_id = $1 \
                 ON CONFLICT (tenant_id, version) DO NOTHING",
            )
            .bind(tenant_id)
            .bind(rules_json)
            .bind(now)
            .execute(&self.pool)
            .await;
            match inserted {
                Ok(done) if done.rows_affected() == 1 => {
                    return self
                        .latest_rule_set(tenant_id)
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

    /// The tenant's active (highest) version.
    pub async fn latest_rule_set(
        &self,
        tenant_id: &str,
    ) -> Result<Option<StoredRuleSet>, sqlx::Error> {
        sqlx::query(
            "SELECT version, rules_json, created_at FROM selection_rule_sets \
             WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(tenant_id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
    }

    pub async fn rule_set_version(
        &self,
        tenant_id: &str,
        version: i64,
    ) -> Result<Option<StoredRuleSet>, sqlx::Error> {
        sqlx::query(
            "SELECT version, rules_json, created_at FROM selection_rule_sets \
             WHERE tenant_id = $1 AND version = $2",
        )
        .bind(tenant_id)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
    }

    /// Every version of the tenant's rule set, newest first, at most `limit`.
    pub async fn rule_set_history(
        &self,
        tenant_id: &str,
        limit: i64,
    ) -> Result<Vec<StoredRuleSet>, sqlx::Error> {
        sqlx::query(
            "SELECT version, rules_json, created_at FROM selection_rule_sets \
             WHERE tenant_id = $1 ORDER BY version DESC LIMIT $2",
        )
        .bind(tenant_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(from_row)
        .collect()
    }

    /// Records (or updates) how an `auto` booking chose its carrier.
    pub async fn save_selection(
        &self,
        shipment_id: &str,
        selection_json: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE shipments SET selection_json = $1 WHERE id = $2")
            .bind(selection_json)
            .bind(shipment_id)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    pub async fn selection(&self, shipment_id: &str) -> Result<Option<String>, sqlx::Error> {
        Ok(
            sqlx::query("SELECT selection_json FROM shipments WHERE id = $1")
                .bind(shipment_id)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get::<Option<String>, _>("selection_json"))
                .transpose()?
                .flatten(),
        )
    }

    /// Moves a reservation still being booked to another carrier (an `auto` booking
    /// falling back after a definite refusal). Only a row in `booking` moves, so a
    /// reservation a reconciler has claimed meanwhile is never re-pointed.
    pub async fn switch_reserved_carrier(
        &self,
        shipment_id: &str,
        carrier: &str,
        carrier_account: &str,
        service: Option<&str>,
        request_json: &str,
    ) -> Result<bool, sqlx::Error> {
        let moved = sqlx::query(
            "UPDATE shipments SET carrier = $1, carrier_account = $6, service = $2, \
             request_json = $3, updated_at = $4 WHERE id = $5 AND booking_state = 'booking'",
        )
        .bind(carrier)
        .bind(service)
        .bind(request_json)
        .bind(now_ms())
        .bind(shipment_id)
        .bind(carrier_account)
        .execute(&self.pool)
        .await?;
        Ok(moved.rows_affected() == 1)
    }

    /// The tenant's shipment for an order reference and package, if any: an `auto`
    /// retry answers with it before shopping for rates again.
    pub async fn shipment_by_order(
        &self,
        tenant_id: &str,
        order_ref: &str,
        package_no: i64,
    ) -> Result<Option<super::ShipmentRecord>, sqlx::Error> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM shipments WHERE tenant_id = $1 AND order_ref = $2 AND package_no = $3",
            super::shipments::SHIPMENT_COLUMNS
        )))
        .bind(tenant_id)
        .bind(order_ref)
        .bind(package_no)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref()
            .map(super::shipments::shipment_from_row)
            .transpose()
    }
}
