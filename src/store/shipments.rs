//! Shipments and their labels (their tracking timeline is in `events.rs`).
//!
//! A booking is written in two steps around the carrier call: a reservation row first
//! (which claims the unique tenant + order reference + package number, so no concurrent
//! or retried request can book the same package twice), then the confirmation with the
//! AWB, the label, the first event and its `shipment.created` webhooks in one transaction.
//! Both are written in batches, in `bookings.rs`; this file reads shipments and makes the
//! rarer single-shipment changes.

use std::collections::BTreeMap;

use carriers::schema::{LabelFormat, Money};
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use super::records::from_ms;
use super::{BookingState, Engine, ShipmentRecord, Store, now_ms};

pub enum ReserveOutcome {
    Reserved,
    /// The tenant already has a shipment for this order reference and package.
    Exists(Box<ShipmentRecord>),
}

pub(super) const SHIPMENT_COLUMNS: &str = "id, tenant_id, order_ref, package_no, carrier, carrier_account, service, awb, \
    status, sub_status, kind, booking_state, label_format, request_json, carrier_refs, \
    routing_code, charged_amount, charged_currency, failure, ndr_attempts, created_at, updated_at, \
    address_quality, estimated_delivery, tracking_token";

pub(super) fn shipment_from_row(r: &AnyRow) -> Result<ShipmentRecord, sqlx::Error> {
    let decode = |col: &str, e: String| sqlx::Error::ColumnDecode {
        index: col.into(),
        source: e.into(),
    };
    let status: String = r.try_get("status")?;
    let sub_status: String = r.try_get("sub_status")?;
    let kind: String = r.try_get("kind")?;
    let state: String = r.try_get("booking_state")?;
    let label_format: String = r.try_get("label_format")?;
    let request: String = r.try_get("request_json")?;
    let refs: String = r.try_get("carrier_refs")?;
    let amount: Option<i64> = r.try_get("charged_amount")?;
    let currency: Option<String> = r.try_get("charged_currency")?;
    let carrier: String = r.try_get("carrier")?;
    let account: Option<String> = r.try_get("carrier_account")?;
    Ok(ShipmentRecord {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        order_ref: r.try_get("order_ref")?,
        package_no: r.try_get("package_no")?,
        carrier_account: account.unwrap_or_else(|| carrier.clone()),
        carrier,
        service: r.try_get("service")?,
        awb: r.try_get("awb")?,
        status: status
            .parse()
            .map_err(|_| decode("status", status.clone()))?,
        sub_status: sub_status
            .parse()
            .map_err(|_| decode("sub_status", sub_status.clone()))?,
        kind: serde_json::from_value(serde_json::Value::String(kind.clone()))
            .map_err(|_| decode("kind", kind))?,
        booking_state: BookingState::parse(&state).ok_or_else(|| decode("booking_state", state))?,
        label_format: if label_format == "zpl" {
            LabelFormat::Zpl
        } else {
            LabelFormat::Pdf
        },
        request: serde_json::from_str(&request)
            .map_err(|e| decode("request_json", e.to_string()))?,
        carrier_refs: serde_json::from_str(&refs)
            .map_err(|e| decode("carrier_refs", e.to_string()))?,
        routing_code: r.try_get("routing_code")?,
        charged: match (
            amount,
            currency.and_then(|c| carriers::schema::Currency::parse(&c)),
        ) {
            (Some(amount), Some(currency)) => Some(Money { amount, currency }),
            _ => None,
        },
        failure: r.try_get("failure")?,
        ndr_attempts: r.try_get("ndr_attempts")?,
        address_quality: r
            .try_get::<Option<String>, _>("address_quality")?
            .map(|json| serde_json::from_str(&json))
            .transpose()
            .map_err(|e| decode("address_quality", e.to_string()))?,
        estimated_delivery: r
            .try_get::<Option<String>, _>("estimated_delivery")?
            .and_then(|d| d.parse().ok()),
        tracking_token: r.try_get("tracking_token")?,
        created_at: from_ms(r.try_get("created_at")?),
        updated_at: from_ms(r.try_get("updated_at")?),
    })
}

impl Store {
    pub async fn set_booking_state(
        &self,
        id: &str,
        state: BookingState,
    ) -> Result<(), sqlx::Error> {
        let _turn = self.write_turn().await;
        sqlx::query("UPDATE shipments SET booking_state = $1, updated_at = $2 WHERE id = $3")
            .bind(state.as_str())
            .bind(now_ms())
            .bind(id)
            .execute(&self.writer)
            .await
            .map(|_| ())
    }

    /// Takes the right to reconcile a booking whose outcome is unknown: a shipment pending
    /// confirmation, or one stuck in `booking` for longer than `stale_ms` (its process died
    /// mid-call). Only one process wins, so only one can ever re-book.
    pub async fn claim_for_reconcile(&self, id: &str, stale_ms: i64) -> Result<bool, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let claimed = sqlx::query(
            "UPDATE shipments SET booking_state = 'booking', updated_at = $1 WHERE id = $2 AND \
             (booking_state = 'pending_confirmation' OR (booking_state = 'booking' AND updated_at < $3))",
        )
        .bind(now)
        .bind(id)
        .bind(now - stale_ms)
        .execute(&self.writer)
        .await?;
        Ok(claimed.rows_affected() == 1)
    }

    /// Shipments whose booking outcome is unknown, oldest first: pending confirmation for
    /// at least `min_age_ms`, or stuck in `booking` for longer than `stale_ms`.
    pub async fn unconfirmed(
        &self,
        min_age_ms: i64,
        stale_ms: i64,
        limit: i64,
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        let now = now_ms();
        let rows = sqlx::query(
            "SELECT tenant_id, id FROM shipments WHERE \
             (booking_state = 'pending_confirmation' AND updated_at < $1) OR \
             (booking_state = 'booking' AND updated_at < $2) ORDER BY updated_at LIMIT $3",
        )
        .bind(now - min_age_ms)
        .bind(now - stale_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("tenant_id")?, r.try_get("id")?)))
            .collect()
    }

    pub async fn mark_failed(&self, id: &str, reason: &str) -> Result<(), sqlx::Error> {
        let _turn = self.write_turn().await;
        sqlx::query("UPDATE shipments SET booking_state = 'failed', failure = $1, updated_at = $2 WHERE id = $3")
            .bind(reason)
            .bind(now_ms())
            .bind(id)
            .execute(&self.writer)
            .await
            .map(|_| ())
    }

    /// Drops a reservation whose booking definitely did not happen, so the order can be
    /// booked again once fixed.
    pub async fn release_reservation(&self, id: &str) -> Result<(), sqlx::Error> {
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM shipments WHERE id = $1 AND booking_state = 'booking'")
            .bind(id)
            .execute(&self.writer)
            .await
            .map(|_| ())
    }

    /// A tenant's shipment; another tenant's id is indistinguishable from a missing one.
    pub async fn get_shipment(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<ShipmentRecord>, sqlx::Error> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE tenant_id = $1 AND id = $2"
        )))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(shipment_from_row).transpose()
    }

    pub async fn count_shipments(&self, tenant_id: &str) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM shipments WHERE tenant_id = $1")
            .bind(tenant_id)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    pub async fn label(
        &self,
        shipment_id: &str,
        format: LabelFormat,
    ) -> Result<Option<Vec<u8>>, sqlx::Error> {
        let row = sqlx::query("SELECT content FROM labels WHERE shipment_id = $1 AND format = $2")
            .bind(shipment_id)
            .bind(format.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| r.try_get::<Vec<u8>, _>("content")).transpose()
    }

    pub async fn save_label(
        &self,
        shipment_id: &str,
        format: LabelFormat,
        content: &[u8],
    ) -> Result<(), sqlx::Error> {
        let _turn = self.write_turn().await;
        let mut tx = self.writer.begin().await?;
        put_label(&mut tx, shipment_id, format, content).await?;
        tx.commit().await
    }

    /// Carrier references of a shipment, merged with what a later call learnt.
    pub async fn merge_carrier_refs(
        &self,
        id: &str,
        refs: &BTreeMap<String, String>,
    ) -> Result<(), sqlx::Error> {
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        let lock = match self.engine {
            Engine::Postgres => " FOR UPDATE",
            Engine::Sqlite => "",
        };
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT carrier_refs FROM shipments WHERE id = $1{lock}"
        )))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let mut current: BTreeMap<String, String> =
            serde_json::from_str(&row.try_get::<String, _>("carrier_refs")?).unwrap_or_default();
        current.extend(refs.clone());
        sqlx::query("UPDATE shipments SET carrier_refs = $1 WHERE id = $2")
            .bind(serde_json::to_string(&current).expect("map serialises"))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }
}

async fn put_label(
    tx: &mut Transaction<'_, Any>,
    shipment_id: &str,
    format: LabelFormat,
    content: &[u8],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO labels (shipment_id, format, content, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (shipment_id, format) DO UPDATE SET content = excluded.content",
    )
    .bind(shipment_id)
    .bind(format.as_str())
    .bind(content.to_vec())
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
