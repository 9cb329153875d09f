//! Pickup locations (a tenant's warehouses and their registration with each carrier
//! account) and carrier pickups with their shipments (issue 17). A pickup is stored
//! `requested` before the carrier is called; a unique index admits one live pickup per
//! account, location and date, and one live pickup per shipment, so no retry path asks a
//! carrier twice. Scheduling and failing are announced (`pickup.scheduled`,
//! `pickup.failed`) in the transaction that stores them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};
use utoipa::ToSchema;

use super::oms_webhooks::{self as outbox, Announcement};
use super::records::from_ms;
use super::{Store, now_ms};
use crate::oms_webhooks::events::EventType;

/// A pickup location's registration with one carrier account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LocationRegistration {
    /// The carrier account id.
    pub account: String,
    pub carrier: String,
    /// `pending` (being registered, or the answer was lost), `registered` or `failed`.
    pub state: String,
    /// The name the carrier knows the location by.
    pub carrier_name: String,
    /// The carrier's id for it, where it gives one.
    pub carrier_id: Option<String>,
    /// Whether the carrier says the location is usable yet (Delhivery activates new
    /// warehouses by hand); null before an answer.
    pub carrier_active: Option<bool>,
    /// The carrier's words: why it failed, or what it said on registering.
    pub carrier_message: Option<String>,
    pub attempts: i64,
    pub updated_at: DateTime<Utc>,
}

/// A pickup location as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PickupLocationView {
    pub id: String,
    pub name: String,
    /// As given, normalised.
    #[schema(value_type = Object)]
    pub address: serde_json::Value,
    /// Opening hours (`HH:MM`, local time), when given.
    pub working_hours: Option<WorkingHours>,
    /// False once deactivated: no new pickups or manifests.
    pub active: bool,
    /// One entry per carrier account that takes pickups.
    pub registrations: Vec<LocationRegistration>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct WorkingHours {
    #[schema(example = "09:30")]
    pub from: String,
    #[schema(example = "18:00")]
    pub to: String,
}

/// A location row before its registrations are read.
#[derive(Debug, Clone)]
pub struct LocationRow {
    pub id: String,
    pub tenant_id: String,
    pub name: String,
    pub address_json: String,
    pub postal_code: String,
    pub hours: Option<(String, String)>,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

const LOCATION_COLUMNS: &str = "id, tenant_id, name, address_json, postal_code, hours_from, hours_to, active, created_at, updated_at";

fn location_row(r: &AnyRow) -> Result<LocationRow, sqlx::Error> {
    let from: Option<String> = r.try_get("hours_from")?;
    let to: Option<String> = r.try_get("hours_to")?;
    let active: i64 = r.try_get("active")?;
    Ok(LocationRow {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        name: r.try_get("name")?,
        address_json: r.try_get("address_json")?,
        postal_code: r.try_get("postal_code")?,
        hours: from.zip(to),
        active: active == 1,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn registration_row(r: &AnyRow) -> Result<LocationRegistration, sqlx::Error> {
    let active: Option<i64> = r.try_get("carrier_active")?;
    Ok(LocationRegistration {
        account: r.try_get("account")?,
        carrier: r.try_get("carrier")?,
        state: r.try_get("state")?,
        carrier_name: r.try_get("carrier_name")?,
        carrier_id: r.try_get("carrier_id")?,
        carrier_active: active.map(|a| a == 1),
        carrier_message: r.try_get("carrier_message")?,
        attempts: r.try_get("attempts")?,
        updated_at: from_ms(r.try_get("updated_at")?),
    })
}

impl LocationRow {
    pub fn view(&self, registrations: Vec<LocationRegistration>) -> PickupLocationView {
        PickupLocationView {
            id: self.id.clone(),
            name: self.name.clone(),
            address: serde_json::from_str(&self.address_json).unwrap_or_default(),
            working_hours: self
                .hours
                .clone()
                .map(|(from, to)| WorkingHours { from, to }),
            active: self.active,
            registrations,
            created_at: from_ms(self.created_at),
            updated_at: from_ms(self.updated_at),
        }
    }
}

/// A location to store.
pub struct NewLocation<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub name: &'a str,
    pub address_json: &'a str,
    pub postal_code: &'a str,
    pub hours: Option<(&'a str, &'a str)>,
}

/// Where a pickup stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PickupState {
    /// Stored and sent; no answer yet (or it was lost: the carrier may have it).
    Requested,
    /// The carrier confirmed it.
    Scheduled,
    /// The carrier refused it (`carrier_message` says why).
    Rejected,
    /// Tracking shows every shipment picked up.
    Completed,
    /// Tracking shows some shipments not picked up.
    PartiallyFailed,
    /// Tracking shows no shipment picked up.
    Failed,
    Cancelled,
}

impl PickupState {
    pub fn as_str(self) -> &'static str {
        match self {
            PickupState::Requested => "requested",
            PickupState::Scheduled => "scheduled",
            PickupState::Rejected => "rejected",
            PickupState::Completed => "completed",
            PickupState::PartiallyFailed => "partially_failed",
            PickupState::Failed => "failed",
            PickupState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<PickupState> {
        use PickupState::*;
        [
            Requested,
            Scheduled,
            Rejected,
            Completed,
            PartiallyFailed,
            Failed,
            Cancelled,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

/// One shipment of a pickup and what tracking showed of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PickupShipment {
    pub shipment_id: String,
    pub awb: Option<String>,
    pub order_ref: String,
    /// `pending`, `picked_up` or `not_picked`: the first pickup scan after the request;
    /// `cancelled` when the shipment was cancelled first (it counts for neither).
    pub outcome: String,
    /// The carrier's words for a shipment not picked up.
    pub outcome_text: Option<String>,
    pub outcome_at: Option<DateTime<Utc>>,
}

/// A pickup as the API and its webhooks show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PickupView {
    pub id: String,
    pub pickup_location: String,
    pub carrier: String,
    pub carrier_account: String,
    /// The date asked for (`YYYY-MM-DD`, the location's local date).
    #[schema(format = Date)]
    pub date: String,
    /// The collection window asked for (`HH:MM`), when given.
    pub window: Option<WorkingHours>,
    /// Parcels to collect.
    pub packages: i64,
    pub state: PickupState,
    /// The carrier's pickup reference.
    pub carrier_pickup_id: Option<String>,
    /// The date the carrier confirmed (it may move the one asked for).
    #[schema(format = Date)]
    pub carrier_date: Option<String>,
    pub carrier_message: Option<String>,
    pub shipments: Vec<PickupShipment>,
    pub requested_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub settled_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// A pickup row before its shipments are read.
#[derive(Debug, Clone)]
pub struct PickupRow {
    pub id: String,
    pub tenant_id: String,
    pub location_id: String,
    pub carrier: String,
    pub carrier_account: String,
    pub date: String,
    pub window: Option<(String, String)>,
    pub packages: i64,
    pub state: PickupState,
    pub carrier_pickup_id: Option<String>,
    pub carrier_date: Option<String>,
    pub carrier_message: Option<String>,
    pub requested_at: i64,
    pub answered_at: Option<i64>,
    pub settled_at: Option<i64>,
    pub cancelled_at: Option<i64>,
}

const PICKUP_COLUMNS: &str = "id, tenant_id, location_id, carrier, carrier_account, pickup_date, \
    window_from, window_to, packages, state, carrier_pickup_id, carrier_date, carrier_message, \
    requested_at, answered_at, settled_at, cancelled_at";

fn pickup_row(r: &AnyRow) -> Result<PickupRow, sqlx::Error> {
    let state: String = r.try_get("state")?;
    let from: Option<String> = r.try_get("window_from")?;
    let to: Option<String> = r.try_get("window_to")?;
    Ok(PickupRow {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        location_id: r.try_get("location_id")?,
        carrier: r.try_get("carrier")?,
        carrier_account: r.try_get("carrier_account")?,
        date: r.try_get("pickup_date")?,
        window: from.zip(to),
        packages: r.try_get("packages")?,
        state: PickupState::parse(&state).ok_or_else(|| sqlx::Error::ColumnDecode {
            index: "state".into(),
            source: state.into(),
        })?,
        carrier_pickup_id: r.try_get("carrier_pickup_id")?,
        carrier_date: r.try_get("carrier_date")?,
        carrier_message: r.try_get("carrier_message")?,
        requested_at: r.try_get("requested_at")?,
        answered_at: r.try_get("answered_at")?,
        settled_at: r.try_get("settled_at")?,
        cancelled_at: r.try_get("cancelled_at")?,
    })
}

/// A pickup to store, `requested`, with its shipments.
pub struct NewPickup<'a> {
    pub id: &'a str,
    pub tenant_id: &'a str,
    pub location_id: &'a str,
    pub carrier: &'a str,
    pub carrier_account: &'a str,
    pub date: &'a str,
    pub window: Option<(&'a str, &'a str)>,
    pub packages: i64,
    pub shipment_ids: &'a [String],
}

/// Why a pickup could not be stored.
#[derive(Debug)]
pub enum PickupConflict {
    /// A live pickup for the same account, location and date.
    SameDay(String),
    /// The shipment is in another live pickup (the shipment, the pickup).
    Shipment(String, String),
}

/// Filters for the pickup list.
#[derive(Debug, Default)]
pub struct PickupFilter {
    pub state: Option<PickupState>,
    pub location_id: Option<String>,
    pub carrier_account: Option<String>,
    pub date: Option<String>,
}

impl Store {
    pub async fn location_add(
        &self,
        new: &NewLocation<'_>,
    ) -> Result<Option<LocationRow>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let inserted = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO pickup_locations (id, tenant_id, name, address_json, postal_code, \
             hours_from, hours_to, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING {LOCATION_COLUMNS}"
        )))
        .bind(new.id)
        .bind(new.tenant_id)
        .bind(new.name)
        .bind(new.address_json)
        .bind(new.postal_code)
        .bind(new.hours.map(|h| h.0))
        .bind(new.hours.map(|h| h.1))
        .bind(now)
        .fetch_one(&self.writer)
        .await;
        match inserted {
            Ok(r) => Ok(Some(location_row(&r)?)),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn location(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<LocationRow>, sqlx::Error> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {LOCATION_COLUMNS} FROM pickup_locations WHERE tenant_id = $1 AND id = $2"
        )))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(location_row)
        .transpose()
    }

    /// The active location named `name`.
    pub async fn location_named(
        &self,
        tenant_id: &str,
        name: &str,
    ) -> Result<Option<LocationRow>, sqlx::Error> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {LOCATION_COLUMNS} FROM pickup_locations WHERE tenant_id = $1 AND name = $2 AND active = 1"
        )))
        .bind(tenant_id)
        .bind(name)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(location_row)
        .transpose()
    }

    /// A tenant's locations, newest first, after `before` (a location id) when paging.
    pub async fn locations(
        &self,
        tenant_id: &str,
        limit: i64,
        after: Option<&str>,
    ) -> Result<Vec<LocationRow>, sqlx::Error> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {LOCATION_COLUMNS} FROM pickup_locations WHERE tenant_id = $1 \
             AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3"
        )))
        .bind(tenant_id)
        .bind(after.unwrap_or_default())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(location_row).collect()
    }

    pub async fn location_deactivate(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<LocationRow>, sqlx::Error> {
        let _turn = self.write_turn().await;
        sqlx::query(AssertSqlSafe(format!(
            "UPDATE pickup_locations SET active = 0, updated_at = $1 WHERE tenant_id = $2 AND id = $3 \
             RETURNING {LOCATION_COLUMNS}"
        )))
        .bind(now_ms())
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.writer)
        .await?
        .as_ref()
        .map(location_row)
        .transpose()
    }

    pub async fn registrations(
        &self,
        location_id: &str,
    ) -> Result<Vec<LocationRegistration>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT account, carrier, state, carrier_name, carrier_id, carrier_active, \
             carrier_message, attempts, updated_at FROM pickup_location_accounts \
             WHERE location_id = $1 ORDER BY account",
        )
        .bind(location_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(registration_row).collect()
    }

    /// Claims a registration attempt: inserts it `pending`, or moves a `failed` one back
    /// to `pending`. False when it is registered already or another attempt holds it.
    pub async fn registration_claim(
        &self,
        location_id: &str,
        account: &str,
        carrier: &str,
        carrier_name: &str,
    ) -> Result<bool, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let inserted = sqlx::query(
            "INSERT INTO pickup_location_accounts (location_id, account, carrier, state, \
             carrier_name, attempts, updated_at) VALUES ($1, $2, $3, 'pending', $4, 1, $5) \
             ON CONFLICT (location_id, account) DO UPDATE SET state = 'pending', \
             attempts = pickup_location_accounts.attempts + 1, updated_at = $5 \
             WHERE pickup_location_accounts.state = 'failed'",
        )
        .bind(location_id)
        .bind(account)
        .bind(carrier)
        .bind(carrier_name)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    /// Records the carrier's answer to a registration attempt.
    #[allow(clippy::too_many_arguments)]
    pub async fn registration_answer(
        &self,
        location_id: &str,
        account: &str,
        registered: bool,
        carrier_name: Option<&str>,
        carrier_id: Option<&str>,
        carrier_active: Option<bool>,
        message: &str,
    ) -> Result<(), sqlx::Error> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "UPDATE pickup_location_accounts SET state = $1, carrier_name = COALESCE($2, carrier_name), \
             carrier_id = $3, carrier_active = $4, carrier_message = $5, updated_at = $6 \
             WHERE location_id = $7 AND account = $8",
        )
        .bind(if registered { "registered" } else { "failed" })
        .bind(carrier_name)
        .bind(carrier_id)
        .bind(carrier_active.map(i64::from))
        .bind(message)
        .bind(now_ms())
        .bind(location_id)
        .bind(account)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Stores a `requested` pickup and its shipments; a conflict when the account,
    /// location and date, or one of the shipments, already has a live pickup.
    pub async fn pickup_add(
        &self,
        new: &NewPickup<'_>,
    ) -> Result<Result<PickupRow, PickupConflict>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        let inserted = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO pickups (id, tenant_id, location_id, carrier, carrier_account, pickup_date, \
             window_from, window_to, packages, state, requested_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'requested', $10) RETURNING {PICKUP_COLUMNS}"
        )))
        .bind(new.id)
        .bind(new.tenant_id)
        .bind(new.location_id)
        .bind(new.carrier)
        .bind(new.carrier_account)
        .bind(new.date)
        .bind(new.window.map(|w| w.0))
        .bind(new.window.map(|w| w.1))
        .bind(new.packages)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let stored = match inserted {
            Ok(r) => pickup_row(&r)?,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                drop(tx);
                let other: Option<String> = sqlx::query_scalar(
                    "SELECT id FROM pickups WHERE carrier_account = $1 AND location_id = $2 \
                     AND pickup_date = $3 AND state IN ('requested', 'scheduled')",
                )
                .bind(new.carrier_account)
                .bind(new.location_id)
                .bind(new.date)
                .fetch_optional(&self.writer)
                .await?;
                return Ok(Err(PickupConflict::SameDay(other.unwrap_or_default())));
            }
            Err(e) => return Err(e),
        };
        for shipment_id in new.shipment_ids {
            let added = sqlx::query(
                "INSERT INTO pickup_shipments (pickup_id, shipment_id) VALUES ($1, $2)",
            )
            .bind(new.id)
            .bind(shipment_id)
            .execute(&mut *tx)
            .await;
            match added {
                Ok(_) => {}
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    drop(tx);
                    let other: Option<String> = sqlx::query_scalar(
                        "SELECT pickup_id FROM pickup_shipments WHERE shipment_id = $1 AND live = 1",
                    )
                    .bind(shipment_id)
                    .fetch_optional(&self.writer)
                    .await?;
                    return Ok(Err(PickupConflict::Shipment(
                        shipment_id.clone(),
                        other.unwrap_or_default(),
                    )));
                }
                Err(e) => return Err(e),
            }
        }
        tx.commit().await?;
        Ok(Ok(stored))
    }

    /// Forgets a `requested` pickup that certainly never reached the carrier.
    pub async fn pickup_forget(&self, id: &str) -> Result<(), sqlx::Error> {
        let _turn = self.write_turn().await;
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM pickup_shipments WHERE pickup_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM pickups WHERE id = $1 AND state = 'requested'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Records the carrier's answer to a `requested` pickup: `scheduled` (announced) or
    /// `rejected` (its shipments freed for another pickup).
    pub async fn pickup_answer(
        &self,
        id: &str,
        scheduled: bool,
        carrier_pickup_id: Option<&str>,
        carrier_date: Option<&str>,
        message: &str,
    ) -> Result<Option<PickupRow>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        let updated = sqlx::query(AssertSqlSafe(format!(
            "UPDATE pickups SET state = $1, carrier_pickup_id = $2, carrier_date = $3, \
             carrier_message = $4, answered_at = $5 WHERE id = $6 AND state = 'requested' \
             RETURNING {PICKUP_COLUMNS}"
        )))
        .bind(if scheduled { "scheduled" } else { "rejected" })
        .bind(carrier_pickup_id)
        .bind(carrier_date)
        .bind(message)
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .as_ref()
        .map(pickup_row)
        .transpose()?;
        if let Some(p) = &updated {
            if scheduled {
                announce(&mut tx, p, EventType::PickupScheduled, now).await?;
            } else {
                free_shipments(&mut tx, id).await?;
            }
        }
        tx.commit().await?;
        Ok(updated)
    }

    /// Starts moving a pickup the carrier knows (it has the carrier's id) from state
    /// `from` to a new date and window: stored first and `requested` until the carrier
    /// answers, so a lost answer leaves it `requested` (the carrier may have moved it or
    /// not) rather than showing a date nobody confirmed. `None` when it is not in `from`
    /// any more (a concurrent change); a conflict when another live pickup has the
    /// account, location and new date.
    pub async fn pickup_move(
        &self,
        tenant_id: &str,
        id: &str,
        from: PickupState,
        date: &str,
        window: Option<(&str, &str)>,
        message: &str,
    ) -> Result<Option<Result<PickupRow, PickupConflict>>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let moved = sqlx::query(AssertSqlSafe(format!(
            "UPDATE pickups SET pickup_date = $1, window_from = $2, window_to = $3, \
             state = 'requested', carrier_message = $4 WHERE tenant_id = $5 AND id = $6 \
             AND state = $7 AND carrier_pickup_id IS NOT NULL RETURNING {PICKUP_COLUMNS}"
        )))
        .bind(date)
        .bind(window.map(|w| w.0))
        .bind(window.map(|w| w.1))
        .bind(message)
        .bind(tenant_id)
        .bind(id)
        .bind(from.as_str())
        .fetch_optional(&self.writer)
        .await;
        match moved {
            Ok(row) => row.as_ref().map(pickup_row).transpose().map(|r| r.map(Ok)),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                let other: Option<String> = sqlx::query_scalar(
                    "SELECT p.id FROM pickups p JOIN pickups me ON me.id = $1 \
                     WHERE p.carrier_account = me.carrier_account AND p.location_id = me.location_id \
                     AND p.pickup_date = $2 AND p.state IN ('requested', 'scheduled')",
                )
                .bind(id)
                .bind(date)
                .fetch_optional(&self.writer)
                .await?;
                Ok(Some(Err(PickupConflict::SameDay(
                    other.unwrap_or_default(),
                ))))
            }
            Err(e) => Err(e),
        }
    }

    /// Puts a pickup whose move the carrier refused (or that never left shipgate) back
    /// as `before` was, with `message`; `None` when it changed meanwhile or another live
    /// pickup took its old date in between (it then stays `requested` at the new date,
    /// and `message` is recorded there).
    pub async fn pickup_move_back(
        &self,
        before: &PickupRow,
        message: &str,
    ) -> Result<Option<PickupRow>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let restored = sqlx::query(AssertSqlSafe(format!(
            "UPDATE pickups SET pickup_date = $1, window_from = $2, window_to = $3, \
             state = $4, carrier_message = $5 WHERE id = $6 AND state = 'requested' \
             RETURNING {PICKUP_COLUMNS}"
        )))
        .bind(&before.date)
        .bind(before.window.as_ref().map(|w| w.0.as_str()))
        .bind(before.window.as_ref().map(|w| w.1.as_str()))
        .bind(before.state.as_str())
        .bind(message)
        .bind(&before.id)
        .fetch_optional(&self.writer)
        .await;
        match restored {
            Ok(row) => row.as_ref().map(pickup_row).transpose(),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                sqlx::query(
                    "UPDATE pickups SET carrier_message = $1 WHERE id = $2 AND state = 'requested'",
                )
                .bind(message)
                .bind(&before.id)
                .execute(&self.writer)
                .await?;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Cancels a live pickup (its shipments freed); `None` when it is not live.
    pub async fn pickup_cancel(
        &self,
        tenant_id: &str,
        id: &str,
        message: &str,
    ) -> Result<Option<PickupRow>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        let updated = sqlx::query(AssertSqlSafe(format!(
            "UPDATE pickups SET state = 'cancelled', cancelled_at = $1, carrier_message = $2 \
             WHERE tenant_id = $3 AND id = $4 AND state IN ('requested', 'scheduled') RETURNING {PICKUP_COLUMNS}"
        )))
        .bind(now)
        .bind(message)
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .as_ref()
        .map(pickup_row)
        .transpose()?;
        if updated.is_some() {
            free_shipments(&mut tx, id).await?;
        }
        tx.commit().await?;
        Ok(updated)
    }

    pub async fn pickup(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<PickupRow>, sqlx::Error> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {PICKUP_COLUMNS} FROM pickups WHERE tenant_id = $1 AND id = $2"
        )))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(pickup_row)
        .transpose()
    }

    /// A tenant's pickups, newest first, filtered; after the pickup id `after` when paging.
    pub async fn pickups(
        &self,
        tenant_id: &str,
        f: &PickupFilter,
        limit: i64,
        after: Option<&str>,
    ) -> Result<Vec<PickupRow>, sqlx::Error> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {PICKUP_COLUMNS} FROM pickups WHERE tenant_id = $1 \
             AND ($2 = '' OR state = $2) AND ($3 = '' OR location_id = $3) \
             AND ($4 = '' OR carrier_account = $4) AND ($5 = '' OR pickup_date = $5) \
             AND ($6 = '' OR id < $6) ORDER BY id DESC LIMIT $7"
        )))
        .bind(tenant_id)
        .bind(f.state.map(PickupState::as_str).unwrap_or_default())
        .bind(f.location_id.clone().unwrap_or_default())
        .bind(f.carrier_account.clone().unwrap_or_default())
        .bind(f.date.clone().unwrap_or_default())
        .bind(after.unwrap_or_default())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(pickup_row).collect()
    }

    /// A pickup's shipments, in the order they were asked for.
    pub async fn pickup_shipments(
        &self,
        pickup_id: &str,
    ) -> Result<Vec<PickupShipment>, sqlx::Error> {
        pickup_shipments(&self.pool, pickup_id).await
    }

    /// Decides the outcome of pending shipments of live pickups from the scans received
    /// since each was requested (the first picked-up or not-picked scan), and settles the
    /// pickups whose shipments all have one: `completed`, `partially_failed` or `failed`
    /// (announced as `pickup.failed`). Returns the pickups settled.
    pub async fn pickups_settle(&self) -> Result<Vec<PickupRow>, sqlx::Error> {
        let _turn = self.write_turn().await;
        let now = now_ms();
        let mut tx = self.writer.begin().await?;
        let rows = sqlx::query(
            "SELECT ps.pickup_id, ps.shipment_id, e.status, e.sub_status, e.description, e.event_time \
             FROM pickup_shipments ps JOIN pickups p ON p.id = ps.pickup_id \
             JOIN tracking_events e ON e.shipment_id = ps.shipment_id \
             WHERE ps.outcome = 'pending' AND ps.live = 1 AND p.state IN ('requested', 'scheduled') \
             AND e.received_at >= p.requested_at \
             AND (e.sub_status IN ('pickup_failed', 'pickup_rescheduled') \
                  OR e.status IN ('in_transit', 'out_for_delivery', 'available_for_pickup', \
                                  'delivery_failed', 'delivered', 'rto', 'cancelled')) \
             ORDER BY ps.pickup_id, ps.shipment_id, e.event_time, e.id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut touched: Vec<String> = Vec::new();
        let mut last: Option<(String, String)> = None;
        for r in &rows {
            let key: (String, String) = (r.try_get("pickup_id")?, r.try_get("shipment_id")?);
            if last.as_ref() == Some(&key) {
                continue;
            }
            let sub: String = r.try_get("sub_status")?;
            let status: String = r.try_get("status")?;
            let failed = sub == "pickup_failed" || sub == "pickup_rescheduled";
            let outcome = match (failed, status.as_str()) {
                (true, _) => "not_picked",
                (false, "cancelled") => "cancelled",
                _ => "picked_up",
            };
            let text: Option<String> = r.try_get("description")?;
            let at: i64 = r.try_get("event_time")?;
            sqlx::query(
                "UPDATE pickup_shipments SET outcome = $1, outcome_text = $2, outcome_at = $3 \
                 WHERE pickup_id = $4 AND shipment_id = $5",
            )
            .bind(outcome)
            .bind(if failed { text } else { None })
            .bind(at)
            .bind(&key.0)
            .bind(&key.1)
            .execute(&mut *tx)
            .await?;
            if !touched.contains(&key.0) {
                touched.push(key.0.clone());
            }
            last = Some(key);
        }
        let mut settled = Vec::new();
        for id in touched {
            let outcomes: Vec<String> =
                sqlx::query_scalar("SELECT outcome FROM pickup_shipments WHERE pickup_id = $1")
                    .bind(&id)
                    .fetch_all(&mut *tx)
                    .await?;
            if outcomes.iter().any(|o| o == "pending") {
                continue;
            }
            // A shipment cancelled first counts for neither.
            let counted = outcomes.iter().filter(|o| *o != "cancelled").count();
            let picked = outcomes.iter().filter(|o| *o == "picked_up").count();
            let state = match picked {
                _ if counted == 0 => PickupState::Cancelled,
                n if n == counted => PickupState::Completed,
                0 => PickupState::Failed,
                _ => PickupState::PartiallyFailed,
            };
            let row = sqlx::query(AssertSqlSafe(format!(
                "UPDATE pickups SET state = $1, settled_at = $2 WHERE id = $3 \
                 AND state IN ('requested', 'scheduled') RETURNING {PICKUP_COLUMNS}"
            )))
            .bind(state.as_str())
            .bind(now)
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row.as_ref().map(pickup_row).transpose()? else {
                continue;
            };
            // Settled: its shipments may be in another pickup now.
            free_shipments(&mut tx, &id).await?;
            if matches!(state, PickupState::Failed | PickupState::PartiallyFailed) {
                announce(&mut tx, &row, EventType::PickupFailed, now).await?;
            }
            settled.push(row);
        }
        tx.commit().await?;
        Ok(settled)
    }

    /// The view of `row` (its location's name and its shipments read).
    pub async fn pickup_view(&self, row: &PickupRow) -> Result<PickupView, sqlx::Error> {
        let shipments = pickup_shipments(&self.pool, &row.id).await?;
        Ok(view_of(row, shipments))
    }
}

async fn pickup_shipments<'e, E>(db: E, pickup_id: &str) -> Result<Vec<PickupShipment>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT ps.shipment_id, s.awb, s.order_ref, ps.outcome, ps.outcome_text, ps.outcome_at \
         FROM pickup_shipments ps JOIN shipments s ON s.id = ps.shipment_id \
         WHERE ps.pickup_id = $1 ORDER BY s.created_at, s.id",
    )
    .bind(pickup_id)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            let at: Option<i64> = r.try_get("outcome_at")?;
            Ok(PickupShipment {
                shipment_id: r.try_get("shipment_id")?,
                awb: r.try_get("awb")?,
                order_ref: r.try_get("order_ref")?,
                outcome: r.try_get("outcome")?,
                outcome_text: r.try_get("outcome_text")?,
                outcome_at: at.map(from_ms),
            })
        })
        .collect()
}

fn view_of(row: &PickupRow, shipments: Vec<PickupShipment>) -> PickupView {
    PickupView {
        id: row.id.clone(),
        pickup_location: row.location_id.clone(),
        carrier: row.carrier.clone(),
        carrier_account: row.carrier_account.clone(),
        date: row.date.clone(),
        window: row
            .window
            .clone()
            .map(|(from, to)| WorkingHours { from, to }),
        packages: row.packages,
        state: row.state,
        carrier_pickup_id: row.carrier_pickup_id.clone(),
        carrier_date: row.carrier_date.clone(),
        carrier_message: row.carrier_message.clone(),
        shipments,
        requested_at: from_ms(row.requested_at),
        answered_at: row.answered_at.map(from_ms),
        settled_at: row.settled_at.map(from_ms),
        cancelled_at: row.cancelled_at.map(from_ms),
    }
}

/// The body of a pickup message: `{"type", "timestamp", "data": {"pickup"}}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PickupMessage {
    #[serde(rename = "type")]
    pub event_type: EventType,
    #[schema(format = DateTime)]
    pub timestamp: String,
    pub data: PickupData,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PickupData {
    pub pickup: PickupView,
}

/// A pickup that ended (cancelled, failed to schedule, settled) holds its shipments no
/// more: they may be collected by another.
async fn free_shipments(tx: &mut Transaction<'_, Any>, pickup_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE pickup_shipments SET live = 0 WHERE pickup_id = $1")
        .bind(pickup_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Writes the webhook message of `pickup` to the outbox.
async fn announce(
    tx: &mut Transaction<'_, Any>,
    pickup: &PickupRow,
    event_type: EventType,
    now: i64,
) -> Result<(), sqlx::Error> {
    let subscriptions = outbox::subscriptions(tx, &[pickup.tenant_id.as_str()]).await?;
    if !subscriptions.wants(&pickup.tenant_id, event_type) {
        return Ok(());
    }
    let shipments = pickup_shipments(&mut **tx, &pickup.id).await?;
    let view = view_of(pickup, shipments);
    let message = PickupMessage {
        event_type,
        timestamp: from_ms(now).to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        data: PickupData { pickup: view },
    };
    let announcement = Announcement {
        tenant_id: pickup.tenant_id.clone(),
        shipment_id: String::new(),
        event_type,
        payload: serde_json::to_string(&message).expect("messages serialise"),
    };
    outbox::enqueue(tx, &subscriptions, &[announcement], now).await?;
    Ok(())
}
