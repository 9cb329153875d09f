//! The tracking event store: every scan, pulled or pushed, enters through [`record`], so
//! the rules of docs/architecture.md ("Unified tracking taxonomy") hold whatever the source and whatever the order of arrival.
//!
//! - **Once.** An event's identity is its carrier code, text, location and time
//!   ([`dedupe_key`]); the same scan pushed twice, or seen by a push and by a pull, is
//!   stored once (a unique index decides, so concurrent writers agree too).
//! - **By event time.** The current status is a fold over the timeline in carrier event
//!   time ([`current_status`]): a late, older event never moves a shipment back, a
//!   terminal state is left only for the RTO family, and unmapped codes never override a
//!   known status.
//! - **Cheaply.** A shipment remembers its newest carrier event time (`last_event_at`), so
//!   events that arrive in order only fold forward from the stored status; the whole
//!   timeline is re-read only when an older event arrives late.
//! - **Counted.** New failed-delivery events add to the shipment's `ndr_attempts`; new
//!   unmapped codes are counted in `shipgate_tracking_unmapped_total` (here, so pushes and
//!   pulls count alike, and a scan seen twice counts once).
//!
//! The shipment rows are locked before their events are written: two processes adding
//! events to one shipment at once would otherwise each compute the status from a
//! timeline missing the other's events. Many shipments are written at once (a batch of
//! pushes) with a few multi-row statements, not a few statements per shipment.

use std::collections::{BTreeMap, HashMap, HashSet};

use carriers::schema::{TrackingEvent, status_of};
use carriers::taxonomy::{Status, SubStatus, Unified, fold_status};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use super::batch::{placeholders, shaped, statement, value_rows};
use super::oms_webhooks::{self as outbox, Announcement};
use super::records::from_ms;
use super::{Engine, EventRecord, Store, now_ms};
use crate::oms_webhooks::events::{EventType, ShipmentSummary, milestone, payload};

/// Carrier code of the event shipgate writes when a booking is confirmed.
pub const BOOKED_CODE: &str = "shipgate:booked";

const EVENT_COLUMNS: &str = "status, sub_status, carrier_code, carrier_status, description, \
    location, event_time, received_at, attempt, ndr_reason, action_required, terminal";

pub(super) fn event_from_row(r: &AnyRow) -> Result<EventRecord, sqlx::Error> {
    let status: String = r.try_get("status")?;
    let sub_status: String = r.try_get("sub_status")?;
    let attempt: Option<i64> = r.try_get("attempt")?;
    let bad = |v: String| sqlx::Error::ColumnDecode {
        index: "status".into(),
        source: v.into(),
    };
    Ok(EventRecord {
        event: TrackingEvent {
            status: status.parse().map_err(|_| bad(status.clone()))?,
            sub_status: sub_status.parse().map_err(|_| bad(sub_status.clone()))?,
            carrier_code: r.try_get("carrier_code")?,
            carrier_status: r.try_get("carrier_status")?,
            description: r.try_get("description")?,
            location: r.try_get("location")?,
            event_time: from_ms(r.try_get("event_time")?),
            attempt: attempt.map(|a| a as u32),
            ndr_reason: r.try_get("ndr_reason")?,
            action_required: r.try_get::<i64, _>("action_required")? != 0,
            terminal: r.try_get::<i64, _>("terminal")? != 0,
        },
        received_at: from_ms(r.try_get("received_at")?),
    })
}

/// Identity of a scan: the same scan pushed twice, or seen by push and by pull, is one event.
fn dedupe_key(e: &TrackingEvent) -> String {
    let mut h = Sha256::new();
    for part in [
        e.carrier_code.as_str(),
        e.carrier_status.as_str(),
        e.location.as_deref().unwrap_or(""),
        &e.event_time.timestamp_millis().to_string(),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..16])
}

/// The shipment's status after a timeline: latest by event time, except that a terminal
/// state is only left for the RTO family, events shipgate could not map never override a
/// known status, and shipgate's own "booked" marker yields to any carrier scan (its clock
/// is not the carrier's, and a manifest scan can carry an earlier time).
pub fn current_status(events: &[EventRecord]) -> Option<Unified> {
    let has_carrier_scan = events.iter().any(|e| e.event.carrier_code != BOOKED_CODE);
    status_of(
        events
            .iter()
            .map(|e| &e.event)
            .filter(|e| !(has_carrier_scan && e.carrier_code == BOOKED_CODE)),
    )
}

fn unified(e: &TrackingEvent) -> Unified {
    Unified {
        status: e.status,
        sub_status: e.sub_status,
    }
}

/// [`current_status`] of a stored timeline, reading only what the fold needs.
async fn stored_status(
    tx: &mut Transaction<'_, Any>,
    shipment_id: &str,
) -> Result<Option<Unified>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT status, sub_status, carrier_code FROM tracking_events WHERE shipment_id = $1 \
         ORDER BY event_time, id",
    )
    .bind(shipment_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut timeline = Vec::with_capacity(rows.len());
    for row in &rows {
        let status: String = row.try_get("status")?;
        let sub_status: String = row.try_get("sub_status")?;
        let code: String = row.try_get("carrier_code")?;
        if let (Ok(status), Ok(sub_status)) = (status.parse(), sub_status.parse()) {
            timeline.push((Unified { status, sub_status }, code == BOOKED_CODE));
        }
    }
    let has_carrier_scan = timeline.iter().any(|(_, booked)| !booked);
    Ok(timeline
        .into_iter()
        .filter(|(_, booked)| !(has_carrier_scan && *booked))
        .map(|(u, _)| u)
        .fold(None, fold_status))
}

/// Writes `(shipment id, event)` rows (no two alike) and returns the (shipment id, dedupe
/// key) of those that were not stored before.
pub(super) async fn insert_new(
    tx: &mut Transaction<'_, Any>,
    rows: &[(&str, &TrackingEvent)],
    received_at: i64,
) -> Result<HashSet<(String, String)>, sqlx::Error> {
    let mut inserted = HashSet::new();
    for chunk in shaped(rows) {
        let sql = statement("insert events", chunk.len(), |n| {
            format!(
                "INSERT INTO tracking_events (shipment_id, dedupe_key, status, sub_status, carrier_code, \
                 carrier_status, description, location, event_time, received_at, attempt, ndr_reason, \
                 action_required, terminal) VALUES {} \
                 ON CONFLICT (shipment_id, dedupe_key) DO NOTHING RETURNING shipment_id, dedupe_key",
                value_rows(n, 14)
            )
        });
        let mut query = sqlx::query(sql);
        for (shipment_id, e) in chunk {
            query = query
                .bind(shipment_id.to_string())
                .bind(dedupe_key(e))
                .bind(e.status.as_str())
                .bind(e.sub_status.as_str())
                .bind(e.carrier_code.clone())
                .bind(e.carrier_status.clone())
                .bind(e.description.clone())
                .bind(e.location.clone())
                .bind(e.event_time.timestamp_millis())
                .bind(received_at)
                .bind(e.attempt.map(i64::from))
                .bind(e.ndr_reason.clone())
                .bind(i64::from(e.action_required))
                .bind(i64::from(e.terminal));
        }
        for row in query.fetch_all(&mut **tx).await? {
            inserted.insert((row.try_get("shipment_id")?, row.try_get("dedupe_key")?));
        }
    }
    Ok(inserted)
}

/// Where a shipment's timeline stood before new events.
struct Standing {
    carrier: String,
    status: Option<Unified>,
    last_event_at: Option<i64>,
    ndr_attempts: i64,
    /// Who and what the shipment is, for the webhooks its new events announce.
    about: About,
}

#[derive(Clone)]
struct About {
    tenant_id: String,
    order_ref: String,
    awb: Option<String>,
    kind: String,
    tracking_token: Option<String>,
}

/// Locks the shipments (until commit) and reads what their status fold continues from.
///
/// PostgreSQL: `FOR UPDATE` in id order, so two batches never wait for each other in a
/// cycle. SQLite has no row locks; a no-op write takes the database's write lock first,
/// so that the transaction cannot be refused when it writes after reading (and the
/// gateway's webhook writers already take turns, see `Store::write_turn`).
async fn lock(
    tx: &mut Transaction<'_, Any>,
    engine: Engine,
    ids: &[&str],
) -> Result<HashMap<String, Standing>, sqlx::Error> {
    let mut standing = HashMap::new();
    for chunk in shaped(ids) {
        let sql = match engine {
            Engine::Postgres => statement("lock shipments (postgres)", chunk.len(), |n| {
                format!(
                    "SELECT id, carrier, status, sub_status, last_event_at, ndr_attempts, \
                     tenant_id, order_ref, awb, kind, tracking_token \
                     FROM shipments WHERE id IN ({}) ORDER BY id FOR UPDATE",
                    placeholders(1, n)
                )
            }),
            Engine::Sqlite => statement("lock shipments (sqlite)", chunk.len(), |n| {
                format!(
                    "UPDATE shipments SET ndr_attempts = ndr_attempts WHERE id IN ({}) \
                     RETURNING id, carrier, status, sub_status, last_event_at, ndr_attempts, \
                     tenant_id, order_ref, awb, kind, tracking_token",
                    placeholders(1, n)
                )
            }),
        };
        let mut query = sqlx::query(sql);
        for id in chunk {
            query = query.bind(id.to_string());
        }
        for row in query.fetch_all(&mut **tx).await? {
            let status: String = row.try_get("status")?;
            let sub_status: String = row.try_get("sub_status")?;
            standing.insert(
                row.try_get("id")?,
                Standing {
                    carrier: row.try_get("carrier")?,
                    status: match (status.parse::<Status>(), sub_status.parse::<SubStatus>()) {
                        (Ok(status), Ok(sub_status)) => Some(Unified { status, sub_status }),
                        _ => None,
                    },
                    last_event_at: row.try_get("last_event_at")?,
                    ndr_attempts: row.try_get("ndr_attempts")?,
                    about: About {
                        tenant_id: row.try_get("tenant_id")?,
                        order_ref: row.try_get("order_ref")?,
                        awb: row.try_get("awb")?,
                        kind: row.try_get("kind")?,
                        tracking_token: row.try_get("tracking_token")?,
                    },
                },
            );
        }
    }
    Ok(standing)
}

/// Adds events to shipments' timelines inside `tx` (keyed by shipment id; shipments that
/// do not exist are skipped) and moves each one's status, NDR count and newest event time
/// accordingly, and writes the outbound webhooks the new events announce to the outbox
/// (same transaction: stored events and queued webhooks commit together). Returns how
/// many events were new.
pub(super) async fn record(
    tx: &mut Transaction<'_, Any>,
    engine: Engine,
    events: &BTreeMap<String, Vec<TrackingEvent>>,
    now: i64,
) -> Result<usize, sqlx::Error> {
    let ids: Vec<&str> = events
        .iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(id, _)| id.as_str())
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    let standing = lock(tx, engine, &ids).await?;

    let mut rows: Vec<(&str, &TrackingEvent)> = Vec::new();
    for id in &ids {
        if !standing.contains_key(*id) {
            continue;
        }
        let mut seen = HashSet::new();
        rows.extend(
            events[*id]
                .iter()
                .filter(|e| seen.insert(dedupe_key(e)))
                .map(|e| (*id, e)),
        );
    }
    let inserted = insert_new(tx, &rows, now).await?;
    let mut new: BTreeMap<&str, Vec<&TrackingEvent>> = BTreeMap::new();
    for (id, e) in rows {
        if inserted.contains(&(id.to_string(), dedupe_key(e))) {
            new.entry(id).or_default().push(e);
        }
    }

    let mut added = 0;
    let mut moved: Vec<(&str, Standing)> = Vec::with_capacity(new.len());
    let mut announced: Vec<(&str, Vec<(EventType, &TrackingEvent)>)> = Vec::new();
    let mut scored: Vec<crate::analytics::store::Moved> = Vec::with_capacity(new.len());
    for (id, mut new) in new {
        added += new.len();
        new.sort_by_key(|e| e.event_time);
        let before = &standing[id];
        let (after, announcements) = advance(tx, id, before, &new).await?;
        let scans: Vec<&TrackingEvent> = new
            .iter()
            .copied()
            .filter(|e| e.carrier_code != BOOKED_CODE)
            .collect();
        let oldest = scans.iter().map(|e| e.event_time.timestamp_millis()).min();
        scored.push(crate::analytics::store::Moved {
            shipment_id: id,
            // Before the first carrier scan the stored status is shipgate's booked marker.
            before: before.last_event_at.and(before.status),
            in_order: match (before.last_event_at, oldest) {
                (Some(last), Some(oldest)) => oldest >= last,
                _ => true,
            },
            scans,
            after: after.status,
            ndr_attempts: after.ndr_attempts,
        });
        moved.push((id, after));
        announced.push((id, announcements));
    }
    // One statement per chunk of shipments, not one per shipment. The values' types are
    // those sqlx declares for the bound parameters, so both engines read them alike.
    // `updated_at` moves when what the shipment shows moves (status, NDR count), not for
    // every scan: most scans leave the status as it was, and leaving every indexed column
    // alone lets PostgreSQL update the row in place instead of in all its indexes.
    for chunk in shaped(&moved) {
        let sql = statement("move shipments", chunk.len(), |n| {
            format!(
                "UPDATE shipments SET status = COALESCE(v.column2, shipments.status), \
                 sub_status = COALESCE(v.column3, shipments.sub_status), ndr_attempts = v.column4, \
                 last_event_at = v.column5, \
                 updated_at = CASE WHEN v.column6 = 1 THEN $1 ELSE shipments.updated_at END \
                 FROM (VALUES {}) AS v WHERE shipments.id = v.column1",
                (0..n)
                    .map(|r| format!("({})", placeholders(2 + r * 6, 6)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        let mut query = sqlx::query(sql).bind(now);
        for (id, after) in chunk {
            let before = &standing[*id];
            let shown_changed =
                after.status != before.status || after.ndr_attempts != before.ndr_attempts;
            query = query
                .bind(id.to_string())
                .bind(after.status.map(|u| u.status.as_str()))
                .bind(after.status.map(|u| u.sub_status.as_str()))
                .bind(after.ndr_attempts)
                .bind(after.last_event_at)
                .bind(i64::from(shown_changed));
        }
        query.execute(&mut **tx).await?;
    }
    announce(tx, &moved, &announced, now).await?;
    // Scorecards move with the scans that move them (`analytics`), last: a lane's daily row
    // is shared by every shipment on it, so its lock makes the next writer wait until this
    // commit. Taken last, the wait is the commit only.
    crate::analytics::store::on_events(tx, &scored).await?;
    Ok(added)
}

/// Writes the outbound webhooks of new events to the outbox; payloads are built only for
/// what some endpoint of the tenant wants.
async fn announce(
    tx: &mut Transaction<'_, Any>,
    moved: &[(&str, Standing)],
    announced: &[(&str, Vec<(EventType, &TrackingEvent)>)],
    now: i64,
) -> Result<(), sqlx::Error> {
    let tenants: Vec<&str> = moved
        .iter()
        .map(|(_, s)| s.about.tenant_id.as_str())
        .collect();
    let subscriptions = outbox::subscriptions(tx, &tenants).await?;
    if subscriptions.is_empty() {
        return Ok(());
    }
    let at = from_ms(now);
    let mut out = Vec::new();
    for ((id, after), (_, list)) in moved.iter().zip(announced) {
        let about = &after.about;
        let (tracking_token, tracking_url) =
            ShipmentSummary::tracking(about.tracking_token.clone());
        let summary = ShipmentSummary {
            id: id.to_string(),
            order_ref: about.order_ref.clone(),
            carrier: after.carrier.clone(),
            awb: about.awb.clone(),
            kind: about.kind.clone(),
            status: after.status.map(|u| u.status),
            sub_status: after.status.map(|u| u.sub_status),
            ndr_attempts: after.ndr_attempts,
            tracking_token,
            tracking_url,
        };
        for (event_type, event) in list {
            if subscriptions.wants(&about.tenant_id, *event_type) {
                out.push(Announcement {
                    tenant_id: about.tenant_id.clone(),
                    shipment_id: id.to_string(),
                    event_type: *event_type,
                    payload: payload(*event_type, at, &summary, event, at),
                });
            }
        }
    }
    outbox::enqueue(tx, &subscriptions, &out, now).await?;
    Ok(())
}

/// Where a shipment stands after `new` events (sorted by event time), counting what must
/// be counted on the way, and what the events announce to the tenant's webhooks.
async fn advance<'e>(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    before: &Standing,
    new: &[&'e TrackingEvent],
) -> Result<(Standing, Vec<(EventType, &'e TrackingEvent)>), sqlx::Error> {
    for e in new.iter().filter(|e| e.sub_status == SubStatus::Unmapped) {
        metrics::counter!("shipgate_tracking_unmapped_total", "carrier" => before.carrier.clone())
            .increment(1);
        tracing::warn!(carrier = %before.carrier, shipment_id = id, code = %e.carrier_code, status = %e.carrier_status, "unmapped carrier status code");
    }
    let ndr_attempts = before.ndr_attempts
        + new
            .iter()
            .filter(|e| e.status == Status::DeliveryFailed)
            .count() as i64;

    let scans: Vec<&TrackingEvent> = new
        .iter()
        .copied()
        .filter(|e| e.carrier_code != BOOKED_CODE)
        .collect();
    let newest = scans.iter().map(|e| e.event_time.timestamp_millis()).max();
    let oldest = scans.iter().map(|e| e.event_time.timestamp_millis()).min();
    let in_order = scans.len() == new.len()
        && match (before.last_event_at, oldest) {
            (Some(last), Some(oldest)) => oldest >= last,
            (None, _) => true,
            (Some(_), None) => false,
        };
    let mut milestones: Vec<(EventType, &TrackingEvent)> = Vec::new();
    let status = if in_order {
        // Before the first carrier scan the stored status is shipgate's booked marker,
        // which yields to any scan, so the fold starts afresh.
        let mut current = before.last_event_at.and(before.status);
        for e in &scans {
            let next = fold_status(current, unified(e));
            // Applied: the event's own status is where the shipment now stands.
            if next == Some(unified(e))
                && let Some(kind) = milestone(current, unified(e))
            {
                milestones.push((kind, *e));
            }
            current = next;
        }
        current
    } else {
        // A late event re-folds the whole timeline: only where it ends up is news.
        let status = stored_status(tx, id).await?;
        if let Some(after) = status.filter(|s| Some(*s) != before.status)
            && let Some(kind) = milestone(before.status, after)
            && let Some(e) = scans.iter().rev().find(|e| unified(e) == after)
        {
            milestones.push((kind, *e));
        }
        status
    };
    // Each new scan is a `tracking.updated`, followed by the milestone it reached.
    let mut announcements = Vec::with_capacity(scans.len() + milestones.len());
    for e in &scans {
        announcements.push((EventType::TrackingUpdated, *e));
        announcements.extend(
            milestones
                .iter()
                .filter(|(_, m)| std::ptr::eq(*m, *e))
                .copied(),
        );
    }
    Ok((
        Standing {
            carrier: before.carrier.clone(),
            status: status.or(before.status),
            last_event_at: match (before.last_event_at, newest) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            },
            ndr_attempts,
            about: before.about.clone(),
        },
        announcements,
    ))
}

impl Store {
    /// A shipment's timeline, oldest first by carrier event time.
    pub async fn events(&self, shipment_id: &str) -> Result<Vec<EventRecord>, sqlx::Error> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {EVENT_COLUMNS} FROM tracking_events WHERE shipment_id = $1 ORDER BY event_time, id"
        )))
        .bind(shipment_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    /// Adds new events (duplicates are ignored) and moves the shipment's current status by
    /// the timeline rules, in one transaction. Returns how many events were new.
    pub async fn add_events(
        &self,
        shipment_id: &str,
        events: &[TrackingEvent],
    ) -> Result<usize, sqlx::Error> {
        let events = BTreeMap::from([(shipment_id.to_string(), events.to_vec())]);
        let _turn = self.write_turn().await;
        let mut tx = self.writer.begin().await?;
        let added = record(&mut tx, self.engine, &events, now_ms()).await?;
        tx.commit().await?;
        Ok(added)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn at(sub: SubStatus, minute: u32, code: &str) -> EventRecord {
        EventRecord {
            event: TrackingEvent::new(
                Unified::new(sub),
                code,
                code,
                Utc.with_ymd_and_hms(2025, 1, 1, 10, minute, 0).unwrap(),
            ),
            received_at: Utc::now(),
        }
    }

    #[test]
    fn late_older_events_do_not_move_back() {
        let timeline = [
            at(SubStatus::Delivered, 30, "DL"),
            at(SubStatus::OutForDelivery, 10, "OFD"),
        ];
        assert_eq!(
            current_status(&timeline).unwrap().sub_status,
            SubStatus::Delivered
        );
    }

    #[test]
    fn terminal_holds_except_for_rto() {
        let held = [
            at(SubStatus::Delivered, 10, "DL"),
            at(SubStatus::InTransit, 20, "IT"),
        ];
        assert_eq!(
            current_status(&held).unwrap().sub_status,
            SubStatus::Delivered
        );
        let rto = [
            at(SubStatus::Delivered, 10, "DL"),
            at(SubStatus::RtoInitiated, 20, "RT"),
        ];
        assert_eq!(
            current_status(&rto).unwrap().sub_status,
            SubStatus::RtoInitiated
        );
    }

    #[test]
    fn unmapped_never_overrides_and_booked_yields() {
        let timeline = [
            at(SubStatus::LabelCreated, 50, BOOKED_CODE),
            at(SubStatus::PickedUp, 10, "PU"),
            at(SubStatus::Unmapped, 20, "??"),
        ];
        assert_eq!(
            current_status(&timeline).unwrap().sub_status,
            SubStatus::PickedUp
        );
    }

    #[test]
    fn the_same_scan_has_the_same_key() {
        let a = at(SubStatus::PickedUp, 10, "PU").event;
        let mut b = a.clone();
        b.description = Some("pushed, with a remark".into());
        assert_eq!(dedupe_key(&a), dedupe_key(&b));
        b.event_time += chrono::Duration::seconds(1);
        assert_ne!(dedupe_key(&a), dedupe_key(&b));
    }
}
