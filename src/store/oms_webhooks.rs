//! Outbound webhooks (`crate::oms_webhooks`): endpoints, the outbox and delivery attempts.
//!
//! The outbox is written by [`enqueue`] inside the transaction that stores the event it
//! announces (`events::record`, a booking's confirmation), so an event is stored exactly
//! when its messages are: a crash between "stored" and "queued" cannot happen. Fan-out
//! to the tenant's endpoints happens there too, one delivery row per (message, endpoint)
//! subscribed to the type and enabled at that moment — an endpoint created later is not
//! sent older messages, a disabled one gets nothing — with multi-row statements, once per
//! batch of events, not per event.
//!
//! Deliveries are claimed with a lease like the carrier inbox (`inbox.rs`): an
//! `UPDATE … RETURNING` of due rows whose lease lapsed, `FOR UPDATE SKIP LOCKED` on
//! PostgreSQL so several gateways share the work without waiting on each other. A
//! dispatcher that dies leaves its lease to expire and the rows are sent again
//! (at-least-once: receivers deduplicate on `webhook-id`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use super::batch::{placeholders, shaped, statement, value_rows};
use super::{Engine, Store, now_ms};
use crate::oms_webhooks::events::EventType;

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum DeliveryState {
    /// To be sent at `next_attempt_at` (first attempt or a retry).
    Pending,
    Succeeded,
    /// Every attempt failed: dead-lettered, kept for replay.
    Dead,
    /// Its endpoint was disabled before it got through.
    Cancelled,
}

impl DeliveryState {
    pub const ALL: [DeliveryState; 4] = [
        DeliveryState::Pending,
        DeliveryState::Succeeded,
        DeliveryState::Dead,
        DeliveryState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Succeeded => "succeeded",
            DeliveryState::Dead => "dead",
            DeliveryState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryState> {
        DeliveryState::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

#[derive(Debug, Clone)]
pub struct EndpointRecord {
    pub id: String,
    pub tenant_id: String,
    pub url: String,
    pub description: Option<String>,
    /// `None`: every type.
    pub event_types: Option<Vec<EventType>>,
    pub secret: String,
    /// The secret before the last rotation, still signing until `previous_expires_at`.
    pub previous_secret: Option<String>,
    pub previous_expires_at: Option<i64>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl EndpointRecord {
    pub fn wants(&self, event_type: EventType) -> bool {
        self.event_types
            .as_ref()
            .is_none_or(|types| types.contains(&event_type))
    }

    /// The previous secret while it still signs at `now`.
    pub fn previous_secret_at(&self, now: i64) -> Option<&str> {
        match (&self.previous_secret, self.previous_expires_at) {
            (Some(s), Some(until)) if until > now => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewEndpoint {
    pub id: String,
    pub tenant_id: String,
    pub url: String,
    pub description: Option<String>,
    pub event_types: Option<Vec<EventType>>,
    pub secret: String,
    pub enabled: bool,
}

/// Changes to an endpoint; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct EndpointPatch {
    pub url: Option<String>,
    pub description: Option<Option<String>>,
    pub event_types: Option<Option<Vec<EventType>>>,
    pub enabled: Option<bool>,
}

/// A delivery as the API lists it.
#[derive(Debug, Clone)]
pub struct DeliveryRow {
    pub id: i64,
    pub message_id: String,
    pub endpoint_id: String,
    pub event_type: String,
    pub state: DeliveryState,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_attempt_at: Option<i64>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub completed_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct AttemptRow {
    pub delivery_id: i64,
    pub attempted_at: i64,
    pub status_code: Option<i64>,
    pub duration_ms: i64,
    pub outcome: String,
    pub error: Option<String>,
    pub response_excerpt: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MessageRecord {
    pub id: String,
    pub event_type: String,
    pub shipment_id: Option<String>,
    pub payload: String,
    pub created_at: i64,
}

/// A delivery claimed for sending.
#[derive(Debug, Clone)]
pub struct ClaimedDelivery {
    pub id: i64,
    pub message_id: String,
    pub endpoint_id: String,
    /// Attempts made before this one.
    pub attempts: i64,
    pub payload: String,
    /// When the claim lapses (Unix ms).
    pub claimed_until: i64,
}

/// The outcome of one attempt, to record.
#[derive(Debug, Clone)]
pub struct AttemptResult {
    pub delivery_id: i64,
    /// `Pending` again (a retry at `next_attempt_at`), or a final state.
    pub state: DeliveryState,
    pub next_attempt_at: i64,
    pub attempted_at: i64,
    pub status_code: Option<u16>,
    pub duration_ms: i64,
    /// `succeeded`, `failed`, `timeout`, `throttled`, `gone`, `refused`.
    pub outcome: &'static str,
    pub error: Option<String>,
    pub response_excerpt: Option<String>,
}

/// A message to write with the event that causes it.
#[derive(Debug, Clone)]
pub(crate) struct Announcement {
    pub tenant_id: String,
    pub shipment_id: String,
    pub event_type: EventType,
    pub payload: String,
}

/// The enabled endpoints of some tenants and what they want, read inside the writing
/// transaction. (An endpoint disabled while that transaction runs may still be given
/// deliveries; the dispatcher finds it disabled and cancels them.)
#[derive(Debug, Default)]
pub(crate) struct Subscriptions {
    /// Per tenant: (endpoint id, the types it wants; `None` for all).
    endpoints: HashMap<String, Vec<Subscription>>,
}

type Subscription = (String, Option<Vec<EventType>>);

impl Subscriptions {
    pub fn is_empty(&self) -> bool {
        self.endpoints.is_empty()
    }

    pub fn wants(&self, tenant_id: &str, event_type: EventType) -> bool {
        !self.wanting(tenant_id, event_type).is_empty()
    }

    fn wanting(&self, tenant_id: &str, event_type: EventType) -> Vec<&str> {
        self.endpoints
            .get(tenant_id)
            .into_iter()
            .flatten()
            .filter(|(_, types)| types.as_ref().is_none_or(|t| t.contains(&event_type)))
            .map(|(id, _)| id.as_str())
            .collect()
    }
}

/// The subscriptions of `tenants` (one query per chunk of tenants).
pub(crate) async fn subscriptions(
    tx: &mut Transaction<'_, Any>,
    tenants: &[&str],
) -> Result<Subscriptions, sqlx::Error> {
    let tenants: Vec<&str> = tenants
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut subs = Subscriptions::default();
    for chunk in shaped(&tenants) {
        let sql = statement("outbox endpoints", chunk.len(), |n| {
            format!(
                "SELECT id, tenant_id, event_types FROM webhook_endpoints \
                 WHERE enabled = 1 AND tenant_id IN ({})",
                placeholders(1, n)
            )
        });
        let mut query = sqlx::query(sql);
        for tenant in chunk {
            query = query.bind(tenant.to_string());
        }
        for row in query.fetch_all(&mut **tx).await? {
            let types: Option<String> = row.try_get("event_types")?;
            subs.endpoints
                .entry(row.try_get("tenant_id")?)
                .or_default()
                .push((row.try_get("id")?, parse_types(types.as_deref())));
        }
    }
    Ok(subs)
}

/// Writes `announcements` to the outbox inside `tx`: a message and one delivery per
/// endpoint in `subs` of its tenant that wants its type; a message nobody wants is not
/// written. Returns how many deliveries were written.
pub(crate) async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    subs: &Subscriptions,
    announcements: &[Announcement],
    now: i64,
) -> Result<usize, sqlx::Error> {
    let mut messages: Vec<(String, &Announcement)> = Vec::new();
    let mut deliveries: Vec<(usize, &str)> = Vec::new();
    for a in announcements {
        let wanting = subs.wanting(&a.tenant_id, a.event_type);
        if wanting.is_empty() {
            continue;
        }
        deliveries.extend(wanting.into_iter().map(|ep| (messages.len(), ep)));
        messages.push((new_message_id(), a));
    }
    for chunk in shaped(&messages) {
        let sql = statement("outbox messages", chunk.len(), |n| {
            format!(
                "INSERT INTO webhook_messages (id, tenant_id, event_type, shipment_id, payload, \
                 created_at) VALUES {}",
                value_rows(n, 6)
            )
        });
        let mut query = sqlx::query(sql);
        for (id, a) in chunk {
            query = query
                .bind(id.clone())
                .bind(a.tenant_id.clone())
                .bind(a.event_type.as_str())
                // Empty: a message about no one shipment (a COD remittance, a pickup, a
                // manifest).
                .bind(Some(a.shipment_id.clone()).filter(|id| !id.is_empty()))
                .bind(a.payload.clone())
                .bind(now);
        }
        query.execute(&mut **tx).await?;
    }
    for chunk in shaped(&deliveries) {
        let sql = statement("outbox deliveries", chunk.len(), |n| {
            format!(
                "INSERT INTO webhook_deliveries (message_id, endpoint_id, state, attempts, \
                 next_attempt_at, created_at) VALUES {}",
                (0..n)
                    .map(|r| {
                        let p = r * 3;
                        format!(
                            "(${}, ${}, 'pending', 0, ${}, ${})",
                            p + 1,
                            p + 2,
                            p + 3,
                            p + 3
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        let mut query = sqlx::query(sql);
        for (message, endpoint) in chunk {
            query = query
                .bind(messages[*message].0.clone())
                .bind(endpoint.to_string())
                .bind(now);
        }
        query.execute(&mut **tx).await?;
    }
    metrics::counter!("shipgate_oms_webhook_deliveries_queued_total")
        .increment(deliveries.len() as u64);
    Ok(deliveries.len())
}

/// `msg_` and a time-ordered UUID: unique, and new rows land at the end of the index.
pub fn new_message_id() -> String {
    format!("msg_{}", uuid::Uuid::now_v7().simple())
}

fn parse_types(text: Option<&str>) -> Option<Vec<EventType>> {
    let names: Vec<String> = serde_json::from_str(text?).ok()?;
    Some(names.iter().filter_map(|n| EventType::parse(n)).collect())
}

fn types_json(types: &Option<Vec<EventType>>) -> Option<String> {
    types.as_ref().map(|t| {
        serde_json::to_string(&t.iter().map(|t| t.as_str()).collect::<Vec<_>>())
            .expect("strings serialise")
    })
}

const ENDPOINT_COLUMNS: &str = "id, tenant_id, url, description, event_types, secret, \
    previous_secret, previous_expires_at, enabled, disabled_reason, created_at, updated_at";

fn endpoint_from_row(r: &AnyRow) -> Result<EndpointRecord, sqlx::Error> {
    let types: Option<String> = r.try_get("event_types")?;
    Ok(EndpointRecord {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        url: r.try_get("url")?,
        description: r.try_get("description")?,
        event_types: parse_types(types.as_deref()),
        secret: r.try_get("secret")?,
        previous_secret: r.try_get("previous_secret")?,
        previous_expires_at: r.try_get("previous_expires_at")?,
        enabled: r.try_get::<i64, _>("enabled")? != 0,
        disabled_reason: r.try_get("disabled_reason")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const DELIVERY_COLUMNS: &str = "d.id, d.message_id, d.endpoint_id, m.event_type, d.state, \
    d.attempts, d.next_attempt_at, d.last_attempt_at, d.last_status, d.last_error, d.created_at, \
    d.completed_at";

fn delivery_from_row(r: &AnyRow) -> Result<DeliveryRow, sqlx::Error> {
    let state: String = r.try_get("state")?;
    Ok(DeliveryRow {
        id: r.try_get("id")?,
        message_id: r.try_get("message_id")?,
        endpoint_id: r.try_get("endpoint_id")?,
        event_type: r.try_get("event_type")?,
        state: DeliveryState::parse(&state).ok_or_else(|| sqlx::Error::ColumnDecode {
            index: "state".into(),
            source: state.into(),
        })?,
        attempts: r.try_get("attempts")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
        last_attempt_at: r.try_get("last_attempt_at")?,
        last_status: r.try_get("last_status")?,
        last_error: r.try_get("last_error")?,
        created_at: r.try_get("created_at")?,
        completed_at: r.try_get("completed_at")?,
    })
}

impl Store {
    pub async fn endpoint_create(&self, new: &NewEndpoint) -> Result<EndpointRecord, sqlx::Error> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO webhook_endpoints (id, tenant_id, url, description, event_types, secret, \
             enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(&new.id)
        .bind(&new.tenant_id)
        .bind(&new.url)
        .bind(new.description.clone())
        .bind(types_json(&new.event_types))
        .bind(&new.secret)
        .bind(i64::from(new.enabled))
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.endpoint_get(&new.tenant_id, &new.id)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }

    /// A tenant's endpoints, oldest first.
    pub async fn endpoints(&self, tenant_id: &str) -> Result<Vec<EndpointRecord>, sqlx::Error> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE tenant_id = $1 \
             ORDER BY created_at, id"
        )))
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(endpoint_from_row).collect()
    }

    /// A tenant's endpoint; another tenant's is indistinguishable from a missing one.
    pub async fn endpoint_get(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<EndpointRecord>, sqlx::Error> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2"
        )))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(endpoint_from_row).transpose()
    }

    /// Endpoints by id, whichever tenant (for the dispatcher).
    pub async fn endpoints_by_id(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, EndpointRecord>, sqlx::Error> {
        let mut found = HashMap::new();
        for chunk in shaped(ids) {
            let sql = statement("endpoints by id", chunk.len(), |n| {
                format!(
                    "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id IN ({})",
                    placeholders(1, n)
                )
            });
            let mut query = sqlx::query(sql);
            for id in chunk {
                query = query.bind(id.clone());
            }
            for row in query.fetch_all(&self.pool).await? {
                let e = endpoint_from_row(&row)?;
                found.insert(e.id.clone(), e);
            }
        }
        Ok(found)
    }

    /// Applies `patch`; re-enabling clears the reason it was disabled. Disabling cancels
    /// what was still to be sent to it (a replay brings it back).
    pub async fn endpoint_update(
        &self,
        tenant_id: &str,
        id: &str,
        patch: &EndpointPatch,
    ) -> Result<Option<EndpointRecord>, sqlx::Error> {
        let Some(current) = self.endpoint_get(tenant_id, id).await? else {
            return Ok(None);
        };
        let now = now_ms();
        let url = patch.url.clone().unwrap_or(current.url);
        let description = patch.description.clone().unwrap_or(current.description);
        let types = patch.event_types.clone().unwrap_or(current.event_types);
        let enabled = patch.enabled.unwrap_or(current.enabled);
        let reason = if enabled {
            None
        } else if patch.enabled == Some(false) && current.enabled {
            Some("disabled through the API".to_string())
        } else {
            current.disabled_reason
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE webhook_endpoints SET url = $1, description = $2, event_types = $3, \
             enabled = $4, disabled_reason = $5, updated_at = $6 WHERE tenant_id = $7 AND id = $8",
        )
        .bind(url)
        .bind(description)
        .bind(types_json(&types))
        .bind(i64::from(enabled))
        .bind(reason.clone())
        .bind(now)
        .bind(tenant_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if !enabled && current.enabled {
            cancel_pending(&mut tx, id, reason.as_deref().unwrap_or("disabled"), now).await?;
        }
        tx.commit().await?;
        self.endpoint_get(tenant_id, id).await
    }

    /// Deletes an endpoint with its deliveries and their attempts.
    pub async fn endpoint_delete(&self, tenant_id: &str, id: &str) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let lock = match self.engine {
            Engine::Postgres => " FOR UPDATE",
            Engine::Sqlite => "",
        };
        let found = sqlx::query(AssertSqlSafe(format!(
            "SELECT id FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2{lock}"
        )))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
        if found {
            // Explicitly, not by cascade alone: the engines differ in when they check.
            sqlx::query(
                "DELETE FROM webhook_attempts WHERE delivery_id IN \
                 (SELECT id FROM webhook_deliveries WHERE endpoint_id = $1)",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM webhook_deliveries WHERE endpoint_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(found)
    }

    /// Replaces the secret; the old one keeps signing until `previous_until` (Unix ms).
    pub async fn endpoint_rotate(
        &self,
        tenant_id: &str,
        id: &str,
        secret: &str,
        previous_until: i64,
    ) -> Result<Option<EndpointRecord>, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE webhook_endpoints SET previous_secret = secret, previous_expires_at = $1, \
             secret = $2, updated_at = $3 WHERE tenant_id = $4 AND id = $5",
        )
        .bind(previous_until)
        .bind(secret)
        .bind(now_ms())
        .bind(tenant_id)
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        self.endpoint_get(tenant_id, id).await
    }

    /// Disables an endpoint for the dispatcher (the receiver said 410 Gone) and cancels
    /// what was still to be sent to it.
    pub async fn endpoint_disable(&self, id: &str, reason: &str) -> Result<u64, sqlx::Error> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = $1, updated_at = $2 \
             WHERE id = $3",
        )
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let cancelled = cancel_pending(&mut tx, id, reason, now).await?;
        tx.commit().await?;
        Ok(cancelled)
    }

    /// No delivery to `endpoint_id` before `until` (the receiver asked to wait): one
    /// statement for its whole backlog, so every gateway sharing the database holds back.
    pub async fn endpoint_postpone(
        &self,
        endpoint_id: &str,
        until: i64,
    ) -> Result<u64, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET next_attempt_at = $1 WHERE endpoint_id = $2 \
             AND state = 'pending' AND next_attempt_at < $1 AND claimed_until <= $3",
        )
        .bind(until)
        .bind(endpoint_id)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// An endpoint's deliveries, newest first, after the keyset position `after`
    /// (created_at, id), optionally in one state.
    pub async fn endpoint_deliveries(
        &self,
        tenant_id: &str,
        endpoint_id: &str,
        state: Option<DeliveryState>,
        after: Option<(i64, i64)>,
        limit: u32,
    ) -> Result<Vec<DeliveryRow>, sqlx::Error> {
        let (after_at, after_id) = after.unwrap_or((i64::MAX, i64::MAX));
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d \
             JOIN webhook_messages m ON m.id = d.message_id \
             JOIN webhook_endpoints e ON e.id = d.endpoint_id \
             WHERE e.tenant_id = $1 AND d.endpoint_id = $2 AND ($3 IS NULL OR d.state = $3) \
             AND (d.created_at < $4 OR (d.created_at = $4 AND d.id < $5)) \
             ORDER BY d.created_at DESC, d.id DESC LIMIT $6"
        )))
        .bind(tenant_id)
        .bind(endpoint_id)
        .bind(state.map(DeliveryState::as_str))
        .bind(after_at)
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(delivery_from_row).collect()
    }

    /// The ids of a tenant's messages about one shipment, newest first, at most `limit`
    /// (index `webhook_messages_shipment`, migration 0022).
    pub async fn shipment_message_ids(
        &self,
        tenant_id: &str,
        shipment_id: &str,
        limit: u32,
    ) -> Result<Vec<String>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id FROM webhook_messages WHERE tenant_id = $1 AND shipment_id = $2 \
             ORDER BY created_at DESC, id DESC LIMIT $3",
        )
        .bind(tenant_id)
        .bind(shipment_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| r.try_get("id")).collect()
    }

    /// A tenant's message with its deliveries and their attempts (oldest first).
    pub async fn message(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<(MessageRecord, Vec<DeliveryRow>, Vec<AttemptRow>)>, sqlx::Error> {
        let Some(row) = sqlx::query(
            "SELECT id, event_type, shipment_id, payload, created_at FROM webhook_messages \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let message = MessageRecord {
            id: row.try_get("id")?,
            event_type: row.try_get("event_type")?,
            shipment_id: row.try_get("shipment_id")?,
            payload: row.try_get("payload")?,
            created_at: row.try_get("created_at")?,
        };
        let deliveries = sqlx::query(AssertSqlSafe(format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d \
             JOIN webhook_messages m ON m.id = d.message_id WHERE d.message_id = $1 ORDER BY d.id"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(delivery_from_row)
        .collect::<Result<Vec<_>, _>>()?;
        let attempts = sqlx::query(
            "SELECT a.delivery_id, a.attempted_at, a.status_code, a.duration_ms, a.outcome, \
             a.error, a.response_excerpt FROM webhook_attempts a \
             JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.message_id = $1 \
             ORDER BY a.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(AttemptRow {
                delivery_id: r.try_get("delivery_id")?,
                attempted_at: r.try_get("attempted_at")?,
                status_code: r.try_get("status_code")?,
                duration_ms: r.try_get("duration_ms")?,
                outcome: r.try_get("outcome")?,
                error: r.try_get("error")?,
                response_excerpt: r.try_get("response_excerpt")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(Some((message, deliveries, attempts)))
    }

    /// Sends a tenant's message again to each enabled endpoint it was for (those not
    /// already on their way), with a fresh schedule. `None` if there is no such message.
    pub async fn message_replay(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<u64>, sqlx::Error> {
        let found = sqlx::query("SELECT id FROM webhook_messages WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        if found.is_none() {
            return Ok(None);
        }
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = $1, \
             claimed_until = 0, completed_at = NULL WHERE message_id = $2 AND state <> 'pending' \
             AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE tenant_id = $3 AND enabled = 1)",
        )
        .bind(now_ms())
        .bind(id)
        .bind(tenant_id)
        .execute(&self.pool)
        .await?;
        Ok(Some(done.rows_affected()))
    }

    /// Sends again an endpoint's deliveries created in `[since, until)` that are in one
    /// of `states`, with a fresh schedule. Returns how many.
    pub async fn endpoint_replay(
        &self,
        endpoint_id: &str,
        since: i64,
        until: i64,
        states: &[DeliveryState],
    ) -> Result<u64, sqlx::Error> {
        let mut total = 0;
        for state in states {
            let done = sqlx::query(
                "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, \
                 next_attempt_at = $1, claimed_until = 0, completed_at = NULL \
                 WHERE endpoint_id = $2 AND created_at >= $3 AND created_at < $4 AND state = $5",
            )
            .bind(now_ms())
            .bind(endpoint_id)
            .bind(since)
            .bind(until)
            .bind(state.as_str())
            .execute(&self.pool)
            .await?;
            total += done.rows_affected();
        }
        Ok(total)
    }

    /// Claims up to `limit` due deliveries for `lease_ms`, soonest due first, skipping
    /// the endpoints in `skip` (this process sends them all it may already).
    pub async fn delivery_claim(
        &self,
        limit: usize,
        lease_ms: i64,
        skip: &[String],
    ) -> Result<Vec<ClaimedDelivery>, sqlx::Error> {
        let skip_clause = if skip.is_empty() {
            String::new()
        } else {
            format!("AND endpoint_id NOT IN ({})", placeholders(4, skip.len()))
        };
        let filter = format!(
            "state = 'pending' AND next_attempt_at <= $2 AND claimed_until <= $2 {skip_clause}"
        );
        let sql = match self.engine {
            // As the inbox: rows another process holds are skipped, not waited for.
            Engine::Postgres => format!(
                "WITH due AS (SELECT id FROM webhook_deliveries WHERE {filter} \
                 ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) \
                 UPDATE webhook_deliveries SET claimed_until = $1 FROM due \
                 WHERE webhook_deliveries.id = due.id \
                 RETURNING webhook_deliveries.id, message_id, endpoint_id, attempts"
            ),
            Engine::Sqlite => format!(
                "UPDATE webhook_deliveries SET claimed_until = $1 WHERE id IN \
                 (SELECT id FROM webhook_deliveries WHERE {filter} ORDER BY next_attempt_at LIMIT $3) \
                 RETURNING id, message_id, endpoint_id, attempts"
            ),
        };
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut query = sqlx::query(AssertSqlSafe(sql))
            .bind(now + lease_ms)
            .bind(now)
            .bind(limit as i64);
        for ep in skip {
            query = query.bind(ep.clone());
        }
        let rows = query.fetch_all(&self.writer).await?;
        drop(_turn);
        let mut claimed = Vec::with_capacity(rows.len());
        for r in &rows {
            claimed.push(ClaimedDelivery {
                id: r.try_get("id")?,
                message_id: r.try_get("message_id")?,
                endpoint_id: r.try_get("endpoint_id")?,
                attempts: r.try_get("attempts")?,
                payload: String::new(),
                claimed_until: now + lease_ms,
            });
        }
        let ids: Vec<String> = claimed
            .iter()
            .map(|c| c.message_id.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut payloads = HashMap::new();
        for chunk in shaped(&ids) {
            let sql = statement("message payloads", chunk.len(), |n| {
                format!(
                    "SELECT id, payload FROM webhook_messages WHERE id IN ({})",
                    placeholders(1, n)
                )
            });
            let mut query = sqlx::query(sql);
            for id in chunk {
                query = query.bind(id.clone());
            }
            for row in query.fetch_all(&self.writer).await? {
                payloads.insert(
                    row.try_get::<String, _>("id")?,
                    row.try_get::<String, _>("payload")?,
                );
            }
        }
        for c in &mut claimed {
            // Several endpoints' deliveries of one message share its payload.
            c.payload = payloads.get(&c.message_id).cloned().unwrap_or_default();
        }
        claimed.sort_by_key(|c| c.id);
        Ok(claimed)
    }

    /// Gives claimed deliveries back, due again at `at`, without counting an attempt.
    pub async fn delivery_release(&self, ids: &[i64], at: i64) -> Result<(), sqlx::Error> {
        for chunk in shaped(ids) {
            let sql = statement("release deliveries", chunk.len(), |n| {
                format!(
                    "UPDATE webhook_deliveries SET claimed_until = 0, \
                     next_attempt_at = CASE WHEN next_attempt_at < $1 THEN $1 ELSE next_attempt_at END \
                     WHERE state = 'pending' AND id IN ({})",
                    placeholders(2, n)
                )
            });
            let mut query = sqlx::query(sql).bind(at);
            for id in chunk {
                query = query.bind(*id);
            }
            query.execute(&self.pool).await?;
        }
        Ok(())
    }

    /// Records attempts and where their deliveries stand now, in one transaction.
    /// Deliveries deleted meanwhile (their endpoint was) are skipped.
    pub async fn delivery_complete(&self, results: &[AttemptResult]) -> Result<(), sqlx::Error> {
        let _turn = self.write_turn().await;
        let mut tx = self.writer.begin().await?;
        let mut kept = Vec::with_capacity(results.len());
        for r in results {
            let finished = r.state != DeliveryState::Pending;
            let updated = sqlx::query(
                "UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1, \
                 next_attempt_at = $2, claimed_until = 0, last_attempt_at = $3, last_status = $4, \
                 last_error = $5, completed_at = $6 WHERE id = $7 AND state = 'pending'",
            )
            .bind(r.state.as_str())
            .bind(r.next_attempt_at)
            .bind(r.attempted_at)
            .bind(r.status_code.map(i64::from))
            .bind(r.error.clone())
            .bind(finished.then_some(r.attempted_at))
            .bind(r.delivery_id)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 1 {
                kept.push(r);
            }
        }
        for chunk in shaped(&kept) {
            let sql = statement("insert attempts", chunk.len(), |n| {
                format!(
                    "INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, \
                     duration_ms, outcome, error, response_excerpt) VALUES {}",
                    value_rows(n, 7)
                )
            });
            let mut query = sqlx::query(sql);
            for r in chunk {
                query = query
                    .bind(r.delivery_id)
                    .bind(r.attempted_at)
                    .bind(r.status_code.map(i64::from))
                    .bind(r.duration_ms)
                    .bind(r.outcome)
                    .bind(r.error.clone())
                    .bind(r.response_excerpt.clone());
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await
    }

    /// Deletes up to `limit` deliveries that finished before `before` (Unix ms), with
    /// their attempts, and then the messages created before then that no delivery needs
    /// any more. Returns how many deliveries went.
    pub async fn outbox_purge(&self, before: i64, limit: i64) -> Result<u64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let due = "SELECT id FROM webhook_deliveries WHERE state <> 'pending' AND completed_at < $1 \
                   ORDER BY completed_at LIMIT $2";
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM webhook_attempts WHERE delivery_id IN ({due})"
        )))
        .bind(before)
        .bind(limit)
        .execute(&mut *tx)
        .await?;
        let deleted = sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM webhook_deliveries WHERE id IN ({due})"
        )))
        .bind(before)
        .bind(limit)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Message ids are `msg_` + a UUIDv7, whose first 12 hex digits are its creation
        // time in Unix ms: comparing ids is comparing creation times, through the key.
        sqlx::query(
            "DELETE FROM webhook_messages WHERE id IN (SELECT m.id FROM webhook_messages m \
             WHERE m.id < $1 AND NOT EXISTS \
             (SELECT 1 FROM webhook_deliveries d WHERE d.message_id = m.id) LIMIT $2)",
        )
        .bind(format!("msg_{:012x}", before.max(0)))
        .bind(limit)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(deleted)
    }

    /// Deliveries still to be sent (the partial index counts them).
    pub async fn delivery_backlog(&self) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE state = 'pending'")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    /// How many deliveries each endpoint has in each state (tests and operators).
    pub async fn delivery_counts(
        &self,
        endpoint_id: &str,
    ) -> Result<BTreeMap<String, i64>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT state, COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = $1 GROUP BY state",
        )
        .bind(endpoint_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("state")?, r.try_get("n")?)))
            .collect()
    }
}

/// Cancels an endpoint's deliveries still to send; those being sent right now are left
/// to their dispatcher, which records how they went (and cancels them when it finds the
/// endpoint disabled).
async fn cancel_pending(
    tx: &mut Transaction<'_, Any>,
    endpoint_id: &str,
    reason: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE webhook_deliveries SET state = 'cancelled', completed_at = $1, \
         last_error = $2 WHERE endpoint_id = $3 AND state = 'pending' AND claimed_until <= $1",
    )
    .bind(now)
    .bind(format!("endpoint disabled: {reason}"))
    .bind(endpoint_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}
