//! Bulk bookings (`batches`, `batch_items`): what a batch holds and where each item is.
//!
//! The item states are the worker's queue, in the database rather than in memory, so a
//! process that dies loses nothing: its `booking` items are taken again once their lease
//! lapses. Claims are conditional updates (`… WHERE state = 'queued'`), so two processes on
//! one database never work the same item at once.

use std::collections::BTreeMap;

use sqlx::Row;
use sqlx::any::AnyRow;

use super::batch::{shaped, statement, value_rows};
use super::{PageKey, Store, now_ms};

/// The item states, in the order counts are shown.
pub const ITEM_STATES: [&str; 7] = [
    "queued",
    "booking",
    "booked",
    "pending",
    "failed",
    "invalid",
    "cancelled",
];

#[derive(Debug, Clone)]
pub struct BatchRow {
    pub id: String,
    pub tenant_id: String,
    /// `json` or `csv`.
    pub source: String,
    /// `queued`, `running`, `completed` or `cancelled`.
    pub state: String,
    pub total: i64,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
}

/// An item as intake stored it: a parsed request to book (`queued`), or the errors that
/// kept it from being one (`invalid`).
#[derive(Debug, Clone)]
pub struct NewBatchItem {
    pub row_no: Option<i64>,
    pub order_ref: Option<String>,
    pub carrier: Option<String>,
    /// The `ShipmentRequest`, as JSON; `None` for an invalid item.
    pub request_json: Option<String>,
    /// The field errors of an invalid item, as JSON.
    pub errors_json: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BatchItemRow {
    pub idx: i64,
    pub row_no: Option<i64>,
    pub order_ref: Option<String>,
    pub carrier: Option<String>,
    pub state: String,
    pub errors_json: Option<String>,
    pub problem_json: Option<String>,
    pub shipment_id: Option<String>,
    pub awb: Option<String>,
    pub attempts: i64,
}

/// An item this process claimed and now books.
#[derive(Debug, Clone)]
pub struct ClaimedItem {
    pub batch_id: String,
    pub idx: i64,
    pub tenant_id: String,
    pub request_json: String,
    /// Claims so far, this one included.
    pub attempts: i64,
}

/// A `pending` item: its shipment's outcome is not known yet.
#[derive(Debug, Clone)]
pub struct PendingItem {
    pub batch_id: String,
    pub idx: i64,
    pub tenant_id: String,
    pub shipment_id: String,
}

/// How an item's booking ended (for now).
#[derive(Debug, Clone)]
pub enum ItemOutcome {
    Booked {
        shipment_id: String,
        awb: Option<String>,
    },
    Pending {
        shipment_id: String,
    },
    Failed {
        problem_json: String,
        shipment_id: Option<String>,
    },
    /// Back to the queue, not before `not_before` (ms); `counted` false gives the claim
    /// back (a carrier's quota delayed it: no attempt was made).
    Retry {
        not_before: i64,
        problem_json: String,
        counted: bool,
    },
}

const BATCH_COLUMNS: &str =
    "id, tenant_id, source, state, total, created_at, started_at, finished_at";
const ITEM_COLUMNS: &str = "idx, row_no, order_ref, carrier, state, errors_json, problem_json, \
     shipment_id, awb, attempts";
const ITEM_WIDTH: usize = 10;

fn batch_row(r: &AnyRow) -> BatchRow {
    BatchRow {
        id: r.get("id"),
        tenant_id: r.get("tenant_id"),
        source: r.get("source"),
        state: r.get("state"),
        total: r.get("total"),
        created_at: r.get("created_at"),
        started_at: r.get("started_at"),
        finished_at: r.get("finished_at"),
    }
}

fn item_row(r: &AnyRow) -> BatchItemRow {
    BatchItemRow {
        idx: r.get("idx"),
        row_no: r.get("row_no"),
        order_ref: r.get("order_ref"),
        carrier: r.get("carrier"),
        state: r.get("state"),
        errors_json: r.get("errors_json"),
        problem_json: r.get("problem_json"),
        shipment_id: r.get("shipment_id"),
        awb: r.get("awb"),
        attempts: r.get("attempts"),
    }
}

impl Store {
    /// Stores a batch and all its items in one transaction.
    pub async fn insert_batch(
        &self,
        id: &str,
        tenant_id: &str,
        source: &str,
        items: &[NewBatchItem],
    ) -> Result<BatchRow, sqlx::Error> {
        let now = now_ms();
        let state = if items.iter().all(|i| i.request_json.is_none()) {
            "completed"
        } else {
            "queued"
        };
        let finished = (state == "completed").then_some(now);
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO batches (id, tenant_id, source, state, total, created_at, finished_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(tenant_id)
        .bind(source)
        .bind(state)
        .bind(items.len() as i64)
        .bind(now)
        .bind(finished)
        .execute(&mut *tx)
        .await?;
        let mut idx = 0i64;
        for chunk in shaped(items) {
            let sql = statement("insert_batch_items", chunk.len(), |n| {
                format!(
                    "INSERT INTO batch_items (batch_id, idx, tenant_id, row_no, order_ref, carrier, \
                     state, request_json, errors_json, updated_at) VALUES {}",
                    value_rows(n, ITEM_WIDTH)
                )
            });
            let mut q = sqlx::query(sql);
            for item in chunk {
                let state = if item.request_json.is_some() {
                    "queued"
                } else {
                    "invalid"
                };
                q = q
                    .bind(id)
                    .bind(idx)
                    .bind(tenant_id)
                    .bind(item.row_no)
                    .bind(item.order_ref.clone())
                    .bind(item.carrier.clone())
                    .bind(state)
                    .bind(item.request_json.clone())
                    .bind(item.errors_json.clone())
                    .bind(now);
                idx += 1;
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(BatchRow {
            id: id.into(),
            tenant_id: tenant_id.into(),
            source: source.into(),
            state: state.into(),
            total: items.len() as i64,
            created_at: now,
            started_at: None,
            finished_at: finished,
        })
    }

    pub async fn batch(&self, tenant_id: &str, id: &str) -> Result<Option<BatchRow>, sqlx::Error> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {BATCH_COLUMNS} FROM batches WHERE tenant_id = $1 AND id = $2"
        )))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(batch_row))
    }

    /// The tenant's batches, newest first, after `after`.
    pub async fn batches(
        &self,
        tenant_id: &str,
        after: Option<&PageKey>,
        limit: i64,
    ) -> Result<Vec<BatchRow>, sqlx::Error> {
        let (ms, id) = after.map_or((i64::MAX, String::new()), |k| {
            (k.created_at_ms, k.id.clone())
        });
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {BATCH_COLUMNS} FROM batches WHERE tenant_id = $1 \
             AND (created_at < $2 OR (created_at = $2 AND id < $3)) \
             ORDER BY created_at DESC, id DESC LIMIT $4"
        )))
        .bind(tenant_id)
        .bind(ms)
        .bind(if after.is_some() { id } else { "~".into() })
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(batch_row).collect())
    }

    /// Items per state (every state present, zero when none).
    pub async fn batch_counts(&self, batch_id: &str) -> Result<BTreeMap<String, i64>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT state, COUNT(*) AS n FROM batch_items WHERE batch_id = $1 GROUP BY state",
        )
        .bind(batch_id)
        .fetch_all(&self.pool)
        .await?;
        let mut counts: BTreeMap<String, i64> =
            ITEM_STATES.iter().map(|s| (s.to_string(), 0)).collect();
        for r in rows {
            counts.insert(r.get("state"), r.get("n"));
        }
        Ok(counts)
    }

    /// A page of a batch's items in order, from index `from`, optionally of one state.
    pub async fn batch_items(
        &self,
        batch_id: &str,
        state: Option<&str>,
        from: i64,
        limit: i64,
    ) -> Result<Vec<BatchItemRow>, sqlx::Error> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ITEM_COLUMNS} FROM batch_items WHERE batch_id = $1 AND idx >= $2 \
             AND ($3 = '' OR state = $3) ORDER BY idx LIMIT $4"
        )))
        .bind(batch_id)
        .bind(from)
        .bind(state.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(item_row).collect())
    }

    /// The shipments a batch booked (or found booked), in item order; `None` when the
    /// tenant has no such batch.
    pub async fn batch_shipment_ids(
        &self,
        tenant_id: &str,
        batch_id: &str,
    ) -> Result<Option<Vec<String>>, sqlx::Error> {
        if self.batch(tenant_id, batch_id).await?.is_none() {
            return Ok(None);
        }
        let rows = sqlx::query(
            "SELECT shipment_id FROM batch_items WHERE batch_id = $1 AND state = 'booked' \
             AND shipment_id IS NOT NULL ORDER BY idx",
        )
        .bind(batch_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(rows.iter().map(|r| r.get("shipment_id")).collect()))
    }

    /// Claims up to `limit` due items for this process. Items left `booking` longer than
    /// `lease_ms` (their process died) go back to the queue first.
    pub async fn claim_batch_items(
        &self,
        limit: i64,
        lease_ms: i64,
    ) -> Result<Vec<ClaimedItem>, sqlx::Error> {
        let now = now_ms();
        sqlx::query(
            "UPDATE batch_items SET state = 'queued', not_before = 0, updated_at = $1 \
             WHERE state = 'booking' AND claimed_at < $2",
        )
        .bind(now)
        .bind(now - lease_ms)
        .execute(&self.pool)
        .await?;
        let candidates = sqlx::query(
            "SELECT batch_id, idx, tenant_id, request_json, attempts FROM batch_items \
             WHERE state = 'queued' AND not_before <= $1 ORDER BY not_before, batch_id, idx LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::new();
        for r in candidates {
            let batch_id: String = r.get("batch_id");
            let idx: i64 = r.get("idx");
            let done = sqlx::query(
                "UPDATE batch_items SET state = 'booking', claimed_at = $1, updated_at = $1, \
                 attempts = attempts + 1 WHERE batch_id = $2 AND idx = $3 AND state = 'queued'",
            )
            .bind(now)
            .bind(&batch_id)
            .bind(idx)
            .execute(&self.pool)
            .await?;
            if done.rows_affected() == 1 {
                if claimed
                    .last()
                    .is_none_or(|c: &ClaimedItem| c.batch_id != batch_id)
                {
                    sqlx::query(
                        "UPDATE batches SET state = 'running', started_at = $1 \
                         WHERE id = $2 AND state = 'queued'",
                    )
                    .bind(now)
                    .bind(&batch_id)
                    .execute(&self.pool)
                    .await?;
                }
                claimed.push(ClaimedItem {
                    batch_id,
                    idx,
                    tenant_id: r.get("tenant_id"),
                    request_json: r.get("request_json"),
                    attempts: r.get::<i64, _>("attempts") + 1,
                });
            }
        }
        Ok(claimed)
    }

    /// Records how an item's booking went. A `booking` item only: one whose lease lapsed
    /// and that another process finished is left as that one wrote it.
    pub async fn finish_batch_item(
        &self,
        batch_id: &str,
        idx: i64,
        outcome: &ItemOutcome,
    ) -> Result<(), sqlx::Error> {
        let (state, shipment_id, awb, problem, not_before, uncount) = match outcome {
            ItemOutcome::Booked { shipment_id, awb } => {
                ("booked", Some(shipment_id), awb.as_ref(), None, 0, 0)
            }
            ItemOutcome::Pending { shipment_id } => {
                ("pending", Some(shipment_id), None, None, 0, 0)
            }
            ItemOutcome::Failed {
                problem_json,
                shipment_id,
            } => (
                "failed",
                shipment_id.as_ref(),
                None,
                Some(problem_json),
                0,
                0,
            ),
            ItemOutcome::Retry {
                not_before,
                problem_json,
                counted,
            } => (
                "queued",
                None,
                None,
                Some(problem_json),
                *not_before,
                i64::from(!counted),
            ),
        };
        sqlx::query(
            "UPDATE batch_items SET state = $1, shipment_id = $2, awb = $3, problem_json = $4, \
             not_before = $5, updated_at = $6, attempts = attempts - $9 \
             WHERE batch_id = $7 AND idx = $8 AND state IN ('booking', 'pending')",
        )
        .bind(state)
        .bind(shipment_id.cloned())
        .bind(awb.cloned())
        .bind(problem.cloned())
        .bind(not_before)
        .bind(now_ms())
        .bind(batch_id)
        .bind(idx)
        .bind(uncount)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// `pending` items not looked at for `every_ms`, oldest first; marks them looked at.
    pub async fn pending_batch_items(
        &self,
        every_ms: i64,
        limit: i64,
    ) -> Result<Vec<PendingItem>, sqlx::Error> {
        let now = now_ms();
        let rows = sqlx::query(
            "SELECT batch_id, idx, tenant_id, shipment_id FROM batch_items \
             WHERE state = 'pending' AND not_before <= $1 ORDER BY not_before LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut items = Vec::new();
        for r in rows {
            let batch_id: String = r.get("batch_id");
            let idx: i64 = r.get("idx");
            sqlx::query("UPDATE batch_items SET not_before = $1 WHERE batch_id = $2 AND idx = $3")
                .bind(now + every_ms)
                .bind(&batch_id)
                .bind(idx)
                .execute(&self.pool)
                .await?;
            items.push(PendingItem {
                batch_id,
                idx,
                tenant_id: r.get("tenant_id"),
                shipment_id: r.get("shipment_id"),
            });
        }
        Ok(items)
    }

    /// Marks finished the open batches with nothing left to work, and returns them.
    pub async fn complete_batches(&self) -> Result<Vec<BatchRow>, sqlx::Error> {
        let open = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {BATCH_COLUMNS} FROM batches b WHERE state IN ('queued', 'running') \
             AND NOT EXISTS (SELECT 1 FROM batch_items i WHERE i.batch_id = b.id \
             AND i.state IN ('queued', 'booking', 'pending'))"
        )))
        .fetch_all(&self.pool)
        .await?;
        let now = now_ms();
        let mut done = Vec::new();
        for r in open.iter().map(batch_row) {
            let updated = sqlx::query(
                "UPDATE batches SET state = 'completed', finished_at = $1 \
                 WHERE id = $2 AND state IN ('queued', 'running')",
            )
            .bind(now)
            .bind(&r.id)
            .execute(&self.pool)
            .await?;
            if updated.rows_affected() == 1 {
                done.push(BatchRow {
                    state: "completed".into(),
                    finished_at: Some(now),
                    ..r
                });
            }
        }
        Ok(done)
    }

    /// Cancels a batch: its queued items become `cancelled` (items being booked finish).
    /// `None` when the tenant has no such batch.
    pub async fn cancel_batch(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<BatchRow>, sqlx::Error> {
        let Some(batch) = self.batch(tenant_id, id).await? else {
            return Ok(None);
        };
        if batch.state == "completed" || batch.state == "cancelled" {
            return Ok(Some(batch));
        }
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE batches SET state = 'cancelled', finished_at = $1 \
             WHERE id = $2 AND state IN ('queued', 'running')",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE batch_items SET state = 'cancelled', updated_at = $1 \
             WHERE batch_id = $2 AND state = 'queued'",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.batch(tenant_id, id).await
    }
}
