//! Manifests (issue 17): a day's handover of shipments for one carrier account and
//! pickup location. A shipment is in one manifest only (a unique key on
//! `manifest_shipments.shipment_id`); the manifest and its lines are stored in one
//! transaction with its `manifest.created` message.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};
use utoipa::ToSchema;

use super::oms_webhooks::{self as outbox, Announcement};
use super::records::from_ms;
use super::{Store, now_ms};
use crate::oms_webhooks::events::EventType;

/// One shipment of a manifest, as the handover sheet lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ManifestLine {
    pub shipment_id: String,
    pub awb: String,
    pub order_ref: String,
    /// Cash to collect, minor units (0 for prepaid).
    pub cod_amount: i64,
    pub pieces: i64,
}

/// A manifest as the API and its webhooks show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ManifestView {
    pub id: String,
    pub pickup_location: String,
    pub carrier: String,
    pub carrier_account: String,
    /// The day it closes (`YYYY-MM-DD`).
    #[schema(format = Date)]
    pub date: String,
    /// The carrier's own manifest: `none` (the carrier has no manifest call: Delhivery),
    /// `requested` (its answer was lost), `created` or `failed`.
    pub carrier_state: String,
    pub carrier_manifest_id: Option<String>,
    /// The carrier's manifest document, where it made one.
    pub carrier_document_url: Option<String>,
    pub carrier_message: Option<String>,
    pub shipment_count: i64,
    pub pieces: i64,
    /// Cash on delivery to collect, over all shipments.
    pub cod_total: carriers::schema::Money,
    /// shipgate's handover sheet (PDF).
    pub document: String,
    pub shipments: Vec<ManifestLine>,
    pub created_at: DateTime<Utc>,
}

/// A manifest row before its lines are read.
#[derive(Debug, Clone)]
pub struct ManifestRow {
    pub id: String,
    pub tenant_id: String,
    pub location_id: String,
    pub carrier: String,
    pub carrier_account: String,
    pub date: String,
    pub carrier_state: String,
    pub carrier_manifest_id: Option<String>,
    pub carrier_document_url: Option<String>,
    pub carrier_message: Option<String>,
    pub shipment_count: i64,
    pub pieces: i64,
    pub cod_total: i64,
    pub currency: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, tenant_id, location_id, carrier, carrier_account, manifest_date, \
    carrier_state, carrier_manifest_id, carrier_document_url, carrier_message, shipment_count, \
    pieces, cod_total, currency, created_at";

fn row(r: &AnyRow) -> Result<ManifestRow, sqlx::Error> {
    Ok(ManifestRow {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        location_id: r.try_get("location_id")?,
        carrier: r.try_get("carrier")?,
        carrier_account: r.try_get("carrier_account")?,
        date: r.try_get("manifest_date")?,
        carrier_state: r.try_get("carrier_state")?,
        carrier_manifest_id: r.try_get("carrier_manifest_id")?,
        carrier_document_url: r.try_get("carrier_document_url")?,
        carrier_message: r.try_get("carrier_message")?,
        shipment_count: r.try_get("shipment_count")?,
        pieces: r.try_get("pieces")?,
        cod_total: r.try_get("cod_total")?,
        currency: r.try_get("currency")?,
        created_at: r.try_get("created_at")?,
    })
}

impl ManifestRow {
    pub fn view(&self, shipments: Vec<ManifestLine>) -> ManifestView {
        let currency = carriers::schema::Currency::parse(&self.currency)
            .unwrap_or_else(carriers::schema::Currency::inr);
        ManifestView {
            id: self.id.clone(),
            pickup_location: self.location_id.clone(),
            carrier: self.carrier.clone(),
            carrier_account: self.carrier_account.clone(),
            date: self.date.clone(),
            carrier_state: self.carrier_state.clone(),
            carrier_manifest_id: self.carrier_manifest_id.clone(),
            carrier_document_url: self.carrier_document_url.clone(),
            carrier_message: self.carrier_message.clone(),
            shipment_count: self.shipment_count,
            pieces: self.pieces,
            cod_total: carriers::schema::Money {
                amount: self.cod_total,
                currency,
            },
            document: format!("/v1/manifests/{}/document", self.id),
            shipments,
            created_at: from_ms(self.created_at),
        }
    }
}

/// A manifest to store with its lines.
pub struct NewManifest<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub location_id: &'a str,
    pub carrier: &'a str,
    pub carrier_account: &'a str,
    pub date: &'a str,
    /// `none` or `requested`.
    pub carrier_state: &'a str,
    pub currency: &'a str,
    pub lines: &'a [ManifestLine],
}

/// The body of a manifest message: `{"type", "timestamp", "data": {"manifest"}}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ManifestMessage {
    #[serde(rename = "type")]
    pub event_type: EventType,
    #[schema(format = DateTime)]
    pub timestamp: String,
    pub data: ManifestData,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ManifestData {
    pub manifest: ManifestView,
}

impl Store {
    /// Stores a manifest and its lines; `Err((shipment, manifest))` when a shipment is in
    /// another manifest already (nothing stored then).
    pub async fn manifest_add(
        &self,
        new: &NewManifest<'_>,
    ) -> Result<Result<ManifestRow, (String, String)>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        let cod: i64 = new.lines.iter().map(|l| l.cod_amount).sum();
        let pieces: i64 = new.lines.iter().map(|l| l.pieces).sum();
        let stored = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO manifests (id, tenant_id, location_id, carrier, carrier_account, \
             manifest_date, carrier_state, shipment_count, pieces, cod_total, currency, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING {COLUMNS}"
        )))
        .bind(new.id)
        .bind(new.tenant_id)
        .bind(new.location_id)
        .bind(new.carrier)
        .bind(new.carrier_account)
        .bind(new.date)
        .bind(new.carrier_state)
        .bind(new.lines.len() as i64)
        .bind(pieces)
        .bind(cod)
        .bind(new.currency)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let stored = row(&stored)?;
        for (i, line) in new.lines.iter().enumerate() {
            let added = sqlx::query(
                "INSERT INTO manifest_shipments (manifest_id, shipment_id, position, awb, order_ref, \
                 cod_amount, pieces) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(new.id)
            .bind(&line.shipment_id)
            .bind(i as i64)
            .bind(&line.awb)
            .bind(&line.order_ref)
            .bind(line.cod_amount)
            .bind(line.pieces)
            .execute(&mut *tx)
            .await;
            match added {
                Ok(_) => {}
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    drop(tx);
                    let other = self
                        .manifest_of(&line.shipment_id)
                        .await?
                        .unwrap_or_default();
                    return Ok(Err((line.shipment_id.clone(), other)));
                }
                Err(e) => return Err(e),
            }
        }
        tx.commit().await?;
        Ok(Ok(stored))
    }

    /// The manifest a shipment is in.
    pub async fn manifest_of(&self, shipment_id: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT manifest_id FROM manifest_shipments WHERE shipment_id = $1")
            .bind(shipment_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Records what the carrier made of the manifest (`created` or `failed`), and
    /// announces `manifest.created` either way: shipgate's handover sheet exists.
    pub async fn manifest_answer(
        &self,
        id: &str,
        carrier_state: Option<&str>,
        carrier_manifest_id: Option<&str>,
        url: Option<&str>,
        message: Option<&str>,
    ) -> Result<ManifestRow, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        let updated = sqlx::query(AssertSqlSafe(format!(
            "UPDATE manifests SET carrier_state = COALESCE($1, carrier_state), \
             carrier_manifest_id = $2, carrier_document_url = $3, carrier_message = $4 \
             WHERE id = $5 RETURNING {COLUMNS}"
        )))
        .bind(carrier_state)
        .bind(carrier_manifest_id)
        .bind(url)
        .bind(message)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let updated = row(&updated)?;
        announce(&mut tx, &updated, now).await?;
        tx.commit().await?;
        Ok(updated)
    }

    pub async fn manifest(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<ManifestRow>, sqlx::Error> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM manifests WHERE tenant_id = $1 AND id = $2"
        )))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(row)
        .transpose()
    }

    /// A tenant's manifests, newest first; after the manifest id `after` when paging.
    pub async fn manifests(
        &self,
        tenant_id: &str,
        location_id: Option<&str>,
        limit: i64,
        after: Option<&str>,
    ) -> Result<Vec<ManifestRow>, sqlx::Error> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM manifests WHERE tenant_id = $1 AND ($2 = '' OR location_id = $2) \
             AND ($3 = '' OR id < $3) ORDER BY id DESC LIMIT $4"
        )))
        .bind(tenant_id)
        .bind(location_id.unwrap_or_default())
        .bind(after.unwrap_or_default())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row).collect()
    }

    pub async fn manifest_lines(&self, id: &str) -> Result<Vec<ManifestLine>, sqlx::Error> {
        lines(&self.pool, id).await
    }

    /// The ids of a tenant's booked shipments of `account` from `postal_code` that no
    /// manifest holds yet and that are not picked up, cancelled or ended: what closing
    /// the day hands over, oldest first (at most `limit`).
    pub async fn unmanifested(
        &self,
        tenant_id: &str,
        account: &str,
        postal_code: &str,
        limit: i64,
    ) -> Result<Vec<String>, sqlx::Error> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT s.id, s.request_json FROM shipments s WHERE s.tenant_id = $1 AND s.carrier_account = $2 \
             AND s.booking_state = 'confirmed' AND s.awb IS NOT NULL AND s.status = 'pre_transit' \
             AND NOT EXISTS (SELECT 1 FROM manifest_shipments m WHERE m.shipment_id = s.id) \
             ORDER BY s.created_at, s.id LIMIT $3",
        )
        .bind(tenant_id)
        .bind(account)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter(|(_, request)| {
                serde_json::from_str::<carriers::schema::ShipmentRequest>(request)
                    .is_ok_and(|r| r.from.postal_code.as_str() == postal_code)
            })
            .map(|(id, _)| id)
            .collect())
    }
}

async fn lines<'e, E>(db: E, id: &str) -> Result<Vec<ManifestLine>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT shipment_id, awb, order_ref, cod_amount, pieces FROM manifest_shipments \
         WHERE manifest_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ManifestLine {
                shipment_id: r.try_get("shipment_id")?,
                awb: r.try_get("awb")?,
                order_ref: r.try_get("order_ref")?,
                cod_amount: r.try_get("cod_amount")?,
                pieces: r.try_get("pieces")?,
            })
        })
        .collect()
}

async fn announce(
    tx: &mut Transaction<'_, Any>,
    m: &ManifestRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    let event_type = EventType::ManifestCreated;
    let subscriptions = outbox::subscriptions(tx, &[m.tenant_id.as_str()]).await?;
    if !subscriptions.wants(&m.tenant_id, event_type) {
        return Ok(());
    }
    let view = m.view(lines(&mut **tx, &m.id).await?);
    let message = ManifestMessage {
        event_type,
        timestamp: from_ms(now).to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        data: ManifestData { manifest: view },
    };
    let announcement = Announcement {
        tenant_id: m.tenant_id.clone(),
        shipment_id: String::new(),
        event_type,
        payload: serde_json::to_string(&message).expect("messages serialise"),
    };
    outbox::enqueue(tx, &subscriptions, &[announcement], now).await?;
    Ok(())
}
