//! Dry runs (`dry_runs`): what shipgate would have booked, kept for a parallel run's
//! comparison and pruned after the retention period (at each insert, by index).

use std::collections::HashMap;

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, now_ms};

/// A dry run to keep.
#[derive(Debug, Clone)]
pub struct NewDryRun {
    pub id: String,
    pub tenant_id: String,
    pub order_ref: String,
    pub from_postal_code: String,
    pub to_postal_code: String,
    pub weight_g: i64,
    pub payment_mode: String,
    pub carrier_account: String,
    pub carrier: String,
    pub service: Option<String>,
    pub total_amount: Option<i64>,
    pub currency: Option<String>,
    pub estimated_delivery: Option<String>,
    pub reason: String,
    /// The parsed booking request, as JSON.
    pub request: String,
    /// The dry run as answered, as JSON.
    pub answer: String,
}

/// A stored dry run.
#[derive(Debug, Clone)]
pub struct DryRunRow {
    pub id: String,
    pub order_ref: String,
    pub carrier_account: String,
    pub carrier: String,
    pub service: Option<String>,
    pub total_amount: Option<i64>,
    pub currency: Option<String>,
    pub request: String,
    pub answer: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, order_ref, carrier_account, carrier, service, total_amount, currency, \
                       request, answer, created_at";

fn row(r: &AnyRow) -> DryRunRow {
    DryRunRow {
        id: r.get("id"),
        order_ref: r.get("order_ref"),
        carrier_account: r.get("carrier_account"),
        carrier: r.get("carrier"),
        service: r.get("service"),
        total_amount: r.get("total_amount"),
        currency: r.get("currency"),
        request: r.get("request"),
        answer: r.get("answer"),
        created_at: r.get("created_at"),
    }
}

impl Store {
    /// Keeps a dry run, and drops every dry run created before `prune_before_ms`; how
    /// many were dropped.
    pub async fn insert_dry_run(
        &self,
        new: &NewDryRun,
        prune_before_ms: i64,
    ) -> Result<u64, sqlx::Error> {
        let pruned = sqlx::query("DELETE FROM dry_runs WHERE created_at < $1")
            .bind(prune_before_ms)
            .execute(&self.pool)
            .await?
            .rows_affected();
        sqlx::query(
            "INSERT INTO dry_runs (id, tenant_id, order_ref, from_postal_code, to_postal_code, \
             weight_g, payment_mode, carrier_account, carrier, service, total_amount, currency, \
             estimated_delivery, reason, request, answer, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(&new.id)
        .bind(&new.tenant_id)
        .bind(&new.order_ref)
        .bind(&new.from_postal_code)
        .bind(&new.to_postal_code)
        .bind(new.weight_g)
        .bind(&new.payment_mode)
        .bind(&new.carrier_account)
        .bind(&new.carrier)
        .bind(&new.service)
        .bind(new.total_amount)
        .bind(&new.currency)
        .bind(&new.estimated_delivery)
        .bind(&new.reason)
        .bind(&new.request)
        .bind(&new.answer)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(pruned)
    }

    pub async fn dry_run(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<DryRunRow>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM dry_runs WHERE tenant_id = $1 AND id = $2");
        let found = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(tenant_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.as_ref().map(row))
    }

    /// Newest first (ids are time-ordered), optionally of one order, after the id `after`.
    pub async fn dry_runs(
        &self,
        tenant_id: &str,
        order_ref: Option<&str>,
        limit: i64,
        after: Option<&str>,
    ) -> Result<Vec<DryRunRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {COLUMNS} FROM dry_runs WHERE tenant_id = $1 \
             AND ($2 IS NULL OR order_ref = $2) AND ($3 IS NULL OR id < $3) \
             ORDER BY id DESC LIMIT $4"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(tenant_id)
            .bind(order_ref)
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(row).collect())
    }

    /// The latest dry run of each of these orders that has one.
    pub async fn latest_dry_runs(
        &self,
        tenant_id: &str,
        order_refs: &[String],
    ) -> Result<HashMap<String, DryRunRow>, sqlx::Error> {
        let mut latest: HashMap<String, DryRunRow> = HashMap::new();
        for chunk in order_refs.chunks(500) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "SELECT {COLUMNS} FROM dry_runs WHERE tenant_id = $1 AND order_ref IN ({})",
                marks.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(tenant_id);
            for order_ref in chunk {
                query = query.bind(order_ref);
            }
            for found in query.fetch_all(&self.pool).await?.iter().map(row) {
                match latest.get(&found.order_ref) {
                    Some(kept) if (kept.created_at, &kept.id) >= (found.created_at, &found.id) => {}
                    _ => {
                        latest.insert(found.order_ref.clone(), found);
                    }
                }
            }
        }
        Ok(latest)
    }
}
