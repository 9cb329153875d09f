//! NDR actions (issue 17): what was told to the carrier about a failed delivery attempt,
//! and its lifecycle. Every state change writes its outbound webhook in the same
//! transaction (`ndr.action_requested`, `ndr.action_result`), so the OMS hears of each
//! exactly when it is stored.

use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use super::batch::{placeholders, shaped, statement};
use super::oms_webhooks::{self as outbox, Announcement};
use super::records::from_ms;
use super::shipments::{SHIPMENT_COLUMNS, shipment_from_row};
use super::{ShipmentRecord, Store, now_ms};
use crate::oms_webhooks::events::{EventType, NdrActionSummary, ShipmentSummary, ndr_payload};

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NdrState {
    /// Sent; no answer yet (or none came: it may have reached the carrier).
    Requested,
    /// The carrier took it.
    Accepted,
    /// The carrier refused it (`carrier_message` says why); another may be sent.
    Rejected,
    /// A later scan shows it: a new delivery attempt, or the return begun.
    Effective,
    /// Nothing showed it in time, or the shipment ended another way.
    Expired,
}

impl NdrState {
    pub fn as_str(self) -> &'static str {
        match self {
            NdrState::Requested => "requested",
            NdrState::Accepted => "accepted",
            NdrState::Rejected => "rejected",
            NdrState::Effective => "effective",
            NdrState::Expired => "expired",
        }
    }

    fn parse(s: &str) -> Option<NdrState> {
        Some(match s {
            "requested" => NdrState::Requested,
            "accepted" => NdrState::Accepted,
            "rejected" => NdrState::Rejected,
            "effective" => NdrState::Effective,
            "expired" => NdrState::Expired,
            _ => return None,
        })
    }
}

/// One stored action.
#[derive(Debug, Clone)]
pub struct NdrActionRow {
    pub id: String,
    pub tenant_id: String,
    pub shipment_id: String,
    /// `reattempt`, `reschedule`, `change_address`, `change_phone` or `rto`.
    pub action: String,
    /// Its date, address or phone, as JSON.
    pub params_json: String,
    pub state: NdrState,
    /// `api`, or `policy:<rule>` when a tenant's NDR policy decided it.
    pub source: String,
    /// The failed attempt it answers (the shipment's `ndr_attempts` then).
    pub attempt: i64,
    pub attempt_event_at: i64,
    pub carrier_message: Option<String>,
    pub carrier_ref: Option<String>,
    pub requested_at: i64,
    pub answered_at: Option<i64>,
    pub settled_at: Option<i64>,
}

/// An action to store, `requested`.
pub struct NewNdrAction<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub shipment_id: &'a str,
    pub action: &'a str,
    pub params_json: &'a str,
    pub source: &'a str,
    pub attempt: i64,
    pub attempt_event_at: i64,
}

const COLUMNS: &str = "id, tenant_id, shipment_id, action, params_json, state, source, attempt, \
    attempt_event_at, carrier_message, carrier_ref, requested_at, answered_at, settled_at";

fn row(r: &AnyRow) -> Result<NdrActionRow, sqlx::Error> {
    let state: String = r.try_get("state")?;
    Ok(NdrActionRow {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        shipment_id: r.try_get("shipment_id")?,
        action: r.try_get("action")?,
        params_json: r.try_get("params_json")?,
        state: NdrState::parse(&state).ok_or_else(|| sqlx::Error::ColumnDecode {
            index: "state".into(),
            source: state.into(),
        })?,
        source: r.try_get("source")?,
        attempt: r.try_get("attempt")?,
        attempt_event_at: r.try_get("attempt_event_at")?,
        carrier_message: r.try_get("carrier_message")?,
        carrier_ref: r.try_get("carrier_ref")?,
        requested_at: r.try_get("requested_at")?,
        answered_at: r.try_get("answered_at")?,
        settled_at: r.try_get("settled_at")?,
    })
}

impl NdrActionRow {
    pub fn summary(&self) -> NdrActionSummary {
        NdrActionSummary {
            id: self.id.clone(),
            action: self.action.clone(),
            params: serde_json::from_str(&self.params_json).unwrap_or_default(),
            state: self.state,
            source: self.source.clone(),
            attempt: self.attempt,
            carrier_message: self.carrier_message.clone(),
            carrier_ref: self.carrier_ref.clone(),
            requested_at: from_ms(self.requested_at),
            answered_at: self.answered_at.map(from_ms),
            settled_at: self.settled_at.map(from_ms),
        }
    }
}

/// The failed attempt a shipment is waiting on: its count, when it happened and why.
#[derive(Debug, Clone)]
pub struct FailedAttempt {
    pub attempt: i64,
    pub event_at: i64,
    pub sub_status: String,
    pub description: Option<String>,
}

impl Store {
    /// Stores a new `requested` action and announces it. `None` when the attempt already
    /// has an action that was not rejected (nothing is stored then).
    pub async fn ndr_action_add(
        &self,
        new: &NewNdrAction<'_>,
    ) -> Result<Option<NdrActionRow>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        let inserted = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO ndr_actions (id, tenant_id, shipment_id, action, params_json, state, \
             source, attempt, attempt_event_at, requested_at) \
             VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7, $8, $9) RETURNING {COLUMNS}"
        )))
        .bind(new.id)
        .bind(new.tenant_id)
        .bind(new.shipment_id)
        .bind(new.action)
        .bind(new.params_json)
        .bind(new.source)
        .bind(new.attempt)
        .bind(new.attempt_event_at)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let stored = match inserted {
            Ok(r) => row(&r)?,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(None),
            Err(e) => return Err(e),
        };
        announce(
            &mut tx,
            std::slice::from_ref(&stored),
            EventType::NdrActionRequested,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(stored))
    }

    /// Records the carrier's answer (`accepted` or `rejected`) to a `requested` action and
    /// announces it; `None` when it is no longer `requested` (the sweep settled it).
    pub async fn ndr_action_answer(
        &self,
        id: &str,
        state: NdrState,
        carrier_message: &str,
        carrier_ref: Option<&str>,
    ) -> Result<Option<NdrActionRow>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        let updated = sqlx::query(AssertSqlSafe(format!(
            "UPDATE ndr_actions SET state = $1, carrier_message = $2, carrier_ref = $3, \
             answered_at = $4 WHERE id = $5 AND state = 'requested' RETURNING {COLUMNS}"
        )))
        .bind(state.as_str())
        .bind(carrier_message)
        .bind(carrier_ref)
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| row(&r))
        .transpose()?;
        if let Some(answered) = &updated {
            announce(
                &mut tx,
                std::slice::from_ref(answered),
                EventType::NdrActionResult,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(updated)
    }

    /// Forgets a `requested` action that certainly never reached the carrier (refused
    /// before sending), so the attempt can be acted on again.
    pub async fn ndr_action_forget(&self, id: &str) -> Result<(), sqlx::Error> {
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM ndr_actions WHERE id = $1 AND state = 'requested'")
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// A shipment's actions, oldest first.
    pub async fn ndr_actions(
        &self,
        shipment_ids: &[String],
    ) -> Result<Vec<NdrActionRow>, sqlx::Error> {
        let mut found = Vec::new();
        for chunk in shaped(shipment_ids) {
            let sql = statement("ndr actions of shipments", chunk.len(), |n| {
                format!(
                    "SELECT {COLUMNS} FROM ndr_actions WHERE shipment_id IN ({}) \
                     ORDER BY requested_at, id",
                    placeholders(1, n)
                )
            });
            let mut query = sqlx::query(sql);
            for id in chunk {
                query = query.bind(id.clone());
            }
            for r in query.fetch_all(&self.pool).await? {
                found.push(row(&r)?);
            }
        }
        Ok(found)
    }

    /// The newest failed delivery attempt on each shipment's timeline (those that have
    /// one), with the shipment's attempt count: a few queries for a whole page.
    pub async fn failed_attempts(
        &self,
        shipments: &[(String, i64)],
    ) -> Result<Vec<(String, FailedAttempt)>, sqlx::Error> {
        let mut found: Vec<(String, FailedAttempt)> = Vec::new();
        for chunk in shaped(shipments) {
            let sql = statement("newest failed attempts", chunk.len(), |n| {
                format!(
                    "SELECT shipment_id, event_time, sub_status, description FROM tracking_events \
                     WHERE status = 'delivery_failed' AND shipment_id IN ({}) \
                     ORDER BY shipment_id, event_time DESC, id DESC",
                    placeholders(1, n)
                )
            });
            let mut query = sqlx::query(sql);
            for (id, _) in chunk {
                query = query.bind(id.clone());
            }
            for r in query.fetch_all(&self.pool).await? {
                let id: String = r.try_get("shipment_id")?;
                // Newest first per shipment: its first row is the one.
                if found.last().is_some_and(|(last, _)| *last == id) {
                    continue;
                }
                let attempts = chunk.iter().find(|(s, _)| *s == id).map_or(0, |(_, n)| *n);
                found.push((
                    id,
                    FailedAttempt {
                        attempt: attempts,
                        event_at: r.try_get("event_time")?,
                        sub_status: r.try_get("sub_status")?,
                        description: r.try_get("description")?,
                    },
                ));
            }
        }
        Ok(found)
    }

    /// Settles open actions and announces each: `effective` where a scan received after
    /// the request and newer than the failed attempt shows the instruction followed (a new
    /// delivery attempt or a delivery for a re-attempt, reschedule or change; the return
    /// begun for an RTO), `expired` where the shipment ended otherwise or nothing showed
    /// it before `expire_before` (Unix ms). Returns what changed.
    pub async fn ndr_settle(&self, expire_before: i64) -> Result<Vec<NdrActionRow>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        let shown = |statuses: &str| {
            format!(
                "EXISTS (SELECT 1 FROM tracking_events e WHERE e.shipment_id = ndr_actions.shipment_id \
                 AND e.event_time > ndr_actions.attempt_event_at \
                 AND e.received_at >= ndr_actions.requested_at AND e.status IN ({statuses}))"
            )
        };
        let effective = format!(
            "UPDATE ndr_actions SET state = 'effective', settled_at = $1 \
             WHERE state IN ('requested', 'accepted') AND (\
             (action = 'rto' AND {}) OR \
             (action <> 'rto' AND {})) RETURNING {COLUMNS}",
            shown("'rto'"),
            shown("'out_for_delivery', 'delivered', 'delivery_failed'"),
        );
        let mut settled: Vec<NdrActionRow> = sqlx::query(AssertSqlSafe(effective))
            .bind(now)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(row)
            .collect::<Result<_, _>>()?;
        let expired: Vec<NdrActionRow> = sqlx::query(AssertSqlSafe(format!(
            "UPDATE ndr_actions SET state = 'expired', settled_at = $1 \
             WHERE state IN ('requested', 'accepted') AND (requested_at < $2 OR EXISTS \
             (SELECT 1 FROM shipments s WHERE s.id = ndr_actions.shipment_id \
             AND (s.status IN ('delivered', 'cancelled') \
             OR s.sub_status IN ('rto_delivered', 'rto_disposed', 'lost', 'destroyed')))) \
             RETURNING {COLUMNS}"
        )))
        .bind(now)
        .bind(expire_before)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(row)
        .collect::<Result<_, _>>()?;
        settled.extend(expired);
        if !settled.is_empty() {
            announce(&mut tx, &settled, EventType::NdrActionResult, now).await?;
        }
        tx.commit().await?;
        Ok(settled)
    }
}

/// What a tenant's NDR policy decided about one failed attempt.
#[derive(Debug, Clone)]
pub struct NdrDecisionRow {
    pub shipment_id: String,
    pub attempt: i64,
    pub policy_version: i64,
    /// The rule that decided; `None` when none matched.
    pub rule: Option<String>,
    /// `reattempt`, `rto`, `wait`, or `none` (no rule matched).
    pub decision: String,
    /// The action it sent, if any.
    pub action_id: Option<String>,
    /// Why nothing was sent although the rule said so (the carrier takes no such
    /// instruction, the attempt was acted on meanwhile…).
    pub detail: Option<String>,
    pub decided_at: i64,
}

impl Store {
    /// Shipments waiting after a failed attempt that their tenant's NDR policy has not
    /// decided about yet, nor anybody acted on: at most `limit`, longest waiting first.
    pub async fn ndr_undecided(&self, limit: i64) -> Result<Vec<ShipmentRecord>, sqlx::Error> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments \
             WHERE tenant_id IN (SELECT DISTINCT tenant_id FROM ndr_policies) \
             AND status = 'delivery_failed' AND booking_state = 'confirmed' AND kind = 'forward' \
             AND NOT EXISTS (SELECT 1 FROM ndr_decisions d WHERE d.shipment_id = shipments.id \
                             AND d.attempt = shipments.ndr_attempts) \
             AND NOT EXISTS (SELECT 1 FROM ndr_actions a WHERE a.shipment_id = shipments.id \
                             AND a.attempt = shipments.ndr_attempts) \
             ORDER BY updated_at LIMIT $1"
        )))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(shipment_from_row).collect()
    }

    /// Records a decision, claiming the attempt; false when another process decided first.
    pub async fn ndr_decide(
        &self,
        d: &NdrDecisionRow,
        tenant_id: &str,
    ) -> Result<bool, sqlx::Error> {
        let _turn = self.write_turn().await;
        let done = sqlx::query(
            "INSERT INTO ndr_decisions (shipment_id, attempt, tenant_id, policy_version, rule, \
             decision, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (shipment_id, attempt) DO NOTHING",
        )
        .bind(&d.shipment_id)
        .bind(d.attempt)
        .bind(tenant_id)
        .bind(d.policy_version)
        .bind(d.rule.as_deref())
        .bind(&d.decision)
        .bind(d.decided_at)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// What acting on a decision led to: the action sent, or why none was.
    pub async fn ndr_decision_outcome(
        &self,
        shipment_id: &str,
        attempt: i64,
        action_id: Option<&str>,
        detail: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "UPDATE ndr_decisions SET action_id = $1, detail = $2 \
             WHERE shipment_id = $3 AND attempt = $4",
        )
        .bind(action_id)
        .bind(detail)
        .bind(shipment_id)
        .bind(attempt)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The decisions about these shipments' failed attempts, oldest first.
    pub async fn ndr_decisions(
        &self,
        shipment_ids: &[String],
    ) -> Result<Vec<NdrDecisionRow>, sqlx::Error> {
        let mut found = Vec::new();
        for chunk in shaped(shipment_ids) {
            let sql = statement("ndr decisions of shipments", chunk.len(), |n| {
                format!(
                    "SELECT shipment_id, attempt, policy_version, rule, decision, action_id, \
                     detail, decided_at FROM ndr_decisions WHERE shipment_id IN ({}) \
                     ORDER BY decided_at",
                    placeholders(1, n)
                )
            });
            let mut query = sqlx::query(sql);
            for id in chunk {
                query = query.bind(id.clone());
            }
            for r in query.fetch_all(&self.pool).await? {
                found.push(NdrDecisionRow {
                    shipment_id: r.try_get("shipment_id")?,
                    attempt: r.try_get("attempt")?,
                    policy_version: r.try_get("policy_version")?,
                    rule: r.try_get("rule")?,
                    decision: r.try_get("decision")?,
                    action_id: r.try_get("action_id")?,
                    detail: r.try_get("detail")?,
                    decided_at: r.try_get("decided_at")?,
                });
            }
        }
        Ok(found)
    }
}

/// Writes the webhook messages of `actions` (one `event_type` each) to the outbox.
async fn announce(
    tx: &mut Transaction<'_, Any>,
    actions: &[NdrActionRow],
    event_type: EventType,
    now: i64,
) -> Result<(), sqlx::Error> {
    let tenants: Vec<&str> = actions.iter().map(|a| a.tenant_id.as_str()).collect();
    let subscriptions = outbox::subscriptions(tx, &tenants).await?;
    if !actions
        .iter()
        .any(|a| subscriptions.wants(&a.tenant_id, event_type))
    {
        return Ok(());
    }
    let at = from_ms(now);
    let mut out = Vec::new();
    for action in actions {
        if !subscriptions.wants(&action.tenant_id, event_type) {
            continue;
        }
        let Some(summary) = summary(tx, &action.shipment_id).await? else {
            continue;
        };
        out.push(Announcement {
            tenant_id: action.tenant_id.clone(),
            shipment_id: action.shipment_id.clone(),
            event_type,
            payload: ndr_payload(event_type, at, &summary, &action.summary()),
        });
    }
    outbox::enqueue(tx, &subscriptions, &out, now).await?;
    Ok(())
}

/// Where a shipment stands, for a message about it.
pub(super) async fn summary(
    tx: &mut Transaction<'_, Any>,
    id: &str,
) -> Result<Option<ShipmentSummary>, sqlx::Error> {
    let found = sqlx::query(
        "SELECT id, order_ref, carrier, awb, kind, status, sub_status, ndr_attempts, tracking_token \
         FROM shipments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = found else {
        return Ok(None);
    };
    let status: Option<String> = r.try_get("status")?;
    let sub_status: Option<String> = r.try_get("sub_status")?;
    let (tracking_token, tracking_url) = ShipmentSummary::tracking(r.try_get("tracking_token")?);
    Ok(Some(ShipmentSummary {
        id: r.try_get("id")?,
        order_ref: r.try_get("order_ref")?,
        carrier: r.try_get("carrier")?,
        awb: r.try_get("awb")?,
        kind: r.try_get("kind")?,
        status: status.and_then(|s| s.parse().ok()),
        sub_status: sub_status.and_then(|s| s.parse().ok()),
        ndr_attempts: r.try_get("ndr_attempts")?,
        tracking_token,
        tracking_url,
    }))
}
