//! Booking writes, many bookings per transaction.
//!
//! A booking writes twice: the reservation before the carrier call and the confirmation
//! after it (see `shipments.rs`). Written one booking at a time that is a dozen statements
//! and two commits per booking, and on SQLite, with its single writer, those statements
//! queue behind each other: the keyed-create benchmark spent most of its time switching
//! threads between statements rather than in SQLite. Here every statement takes all the
//! bookings of a batch at once (multi-row `VALUES` in the few shapes of `batch.rs`), so
//! a batch costs about as much as one booking did; `service::booking_writer` gathers the
//! batches.
//!
//! Reservations and confirmations of one batch share its transaction, and a batch is all
//! or nothing: the writer retries each booking alone when a batch fails for a reason other
//! than an unreachable database, so one bad row cannot fail the bookings beside it.

use std::collections::{BTreeMap, HashMap, HashSet};

use carriers::schema::{CreatedShipment, ShipmentKind, TrackingEvent};
use carriers::taxonomy::{Status, SubStatus};
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use super::batch::{shaped, statement, value_rows};
use super::oms_webhooks::{self as outbox, Announcement};
use super::records::from_ms;
use super::shipments::{SHIPMENT_COLUMNS, shipment_from_row};
use super::{BookingState, NewShipment, ReserveOutcome, ShipmentRecord, Store, now_ms};
use crate::oms_webhooks::events::{
    EventType, ReturnSummary, ShipmentSummary, payload, return_payload,
};

/// A booking the carrier confirmed, to record.
#[derive(Debug, Clone)]
pub struct Confirmation {
    pub id: String,
    pub created: CreatedShipment,
    /// The shipment's first timeline event (`label_created`).
    pub first_event: TrackingEvent,
    /// When its first tracking poll is due (Unix ms).
    pub first_poll_at: i64,
    /// The delivery date promised: the quote's, or the lane's history (`analytics`).
    pub estimated_delivery: Option<chrono::NaiveDate>,
    /// The total of the quote booked (`auto`): what scorecards count as its cost when
    /// the carrier states no charge.
    pub quoted_cost: Option<carriers::schema::Money>,
}

impl Store {
    /// Writes `reserves` and `confirms` in one transaction. Per reservation: reserved, or
    /// the shipment that already holds its order reference. Per confirmation: the
    /// confirmed shipment, or `None` when no shipment has its id.
    pub async fn write_bookings(
        &self,
        reserves: &[&NewShipment],
        confirms: &[&Confirmation],
    ) -> Result<(Vec<ReserveOutcome>, Vec<Option<ShipmentRecord>>), sqlx::Error> {
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        let reserved = reserve(&mut tx, reserves).await?;
        let confirmed = confirm(&mut tx, confirms).await?;
        tx.commit().await?;
        Ok((reserved, confirmed))
    }

    /// Claims (tenant, order_ref, package_no) for a new booking.
    pub async fn reserve_shipment(&self, new: &NewShipment) -> Result<ReserveOutcome, sqlx::Error> {
        let (mut reserved, _) = self.write_bookings(&[new], &[]).await?;
        Ok(reserved.pop().expect("one outcome per reservation"))
    }
}

/// Inserts the reservations; one whose (tenant, order reference, package) is taken gets
/// the shipment that took it, unless that booking failed: a failed booking does not hold
/// its order reference, and is replaced.
async fn reserve(
    tx: &mut Transaction<'_, Any>,
    news: &[&NewShipment],
) -> Result<Vec<ReserveOutcome>, sqlx::Error> {
    let now = now_ms();
    let mut inserted: HashSet<String> = HashSet::new();
    // In key order: two processes' batches that claim some of the same order references
    // then wait for each other in one order (PostgreSQL), never in a cycle.
    let mut sorted = news.to_vec();
    sorted.sort_by(|a, b| {
        (&a.tenant_id, &a.request.order_ref, a.package_no).cmp(&(
            &b.tenant_id,
            &b.request.order_ref,
            b.package_no,
        ))
    });
    for chunk in shaped(&sorted) {
        let sql = statement("reserve shipments", chunk.len(), |n| {
            let rows = (0..n)
                .map(|r| {
                    let p = |i: usize| format!("${}", r * 19 + i);
                    format!(
                        "({}, {}, {}, {}, {}, {}, NULL, {}, {}, {}, {}, {}, {}, '{{}}', NULL, NULL, NULL, {}, {}, {}, {}, {}, {}, {}, {})",
                        p(1),
                        p(2),
                        p(3),
                        p(4),
                        p(5),
                        p(6),
                        p(7),
                        p(8),
                        p(9),
                        p(10),
                        p(11),
                        p(12),
                        p(13),
                        p(13),
                        p(14),
                        p(15),
                        p(16),
                        p(17),
                        p(18),
                        p(19)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "INSERT INTO shipments (id, tenant_id, order_ref, package_no, carrier, service, awb, \
                 status, sub_status, kind, booking_state, label_format, request_json, carrier_refs, \
                 routing_code, charged_amount, charged_currency, created_at, updated_at, carrier_account, \
                 address_score, address_band, address_quality, tracking_token, buyer_phone) \
                 VALUES {rows} ON CONFLICT (tenant_id, order_ref, package_no) DO NOTHING RETURNING id"
            )
        });
        let mut query = sqlx::query(sql);
        for new in chunk {
            let req = &new.request;
            query = query
                .bind(new.id.clone())
                .bind(new.tenant_id.clone())
                .bind(req.order_ref.clone())
                .bind(new.package_no)
                .bind(new.carrier.clone())
                .bind(req.service.clone())
                .bind(Status::Unknown.as_str())
                .bind(SubStatus::NotFound.as_str())
                .bind(kind_str(req.kind))
                .bind(BookingState::Booking.as_str())
                .bind(req.label_format.as_str())
                .bind(serde_json::to_string(req).expect("request serialises"))
                .bind(now)
                .bind(new.carrier_account.clone())
                .bind(new.address_quality.as_ref().map(|q| i64::from(q.score)))
                .bind(new.address_quality.as_ref().map(|q| q.band.as_str()))
                .bind(
                    new.address_quality
                        .as_ref()
                        .map(|q| serde_json::to_string(q).expect("address quality serialises")),
                )
                // The buyer's link, fixed at booking (`store::tracking`).
                .bind(super::tracking::new_tracking_token())
                .bind(super::buyer_phone_key(req.to.phone.e164()));
        }
        for row in query.fetch_all(&mut **tx).await? {
            inserted.insert(row.try_get("id")?);
        }
    }
    let mut outcomes = Vec::with_capacity(news.len());
    for new in news {
        outcomes.push(if inserted.contains(&new.id) {
            ReserveOutcome::Reserved
        } else {
            reserve_taken(tx, new).await?
        });
    }
    Ok(outcomes)
}

/// The order reference of `new` was taken (rare): replace a failed booking, or report the
/// one that holds it.
async fn reserve_taken(
    tx: &mut Transaction<'_, Any>,
    new: &NewShipment,
) -> Result<ReserveOutcome, sqlx::Error> {
    let req = &new.request;
    let freed = sqlx::query(
        "DELETE FROM shipments WHERE tenant_id = $1 AND order_ref = $2 AND package_no = $3 \
         AND booking_state = 'failed'",
    )
    .bind(&new.tenant_id)
    .bind(&req.order_ref)
    .bind(new.package_no)
    .execute(&mut **tx)
    .await?;
    if freed.rows_affected() > 0 {
        let mut again = Box::pin(reserve(tx, &[new])).await?;
        return Ok(again.pop().expect("one outcome per reservation"));
    }
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE tenant_id = $1 AND order_ref = $2 AND package_no = $3"
    )))
    .bind(&new.tenant_id)
    .bind(&req.order_ref)
    .bind(new.package_no)
    .fetch_one(&mut **tx)
    .await?;
    Ok(ReserveOutcome::Exists(Box::new(shipment_from_row(&row)?)))
}

/// Records confirmed bookings: AWB, carrier references and charge, labels, the first
/// event, the `shipment.created` webhooks and the first tracking poll.
async fn confirm(
    tx: &mut Transaction<'_, Any>,
    confirms: &[&Confirmation],
) -> Result<Vec<Option<ShipmentRecord>>, sqlx::Error> {
    if confirms.is_empty() {
        return Ok(Vec::new());
    }
    let now = now_ms();
    let mut records: HashMap<String, ShipmentRecord> = HashMap::with_capacity(confirms.len());
    for chunk in shaped(confirms) {
        // `column1…` are the names both engines give the columns of a `VALUES` list.
        let sql = statement("confirm shipments", chunk.len(), |n| {
            format!(
                "UPDATE shipments SET awb = v.column2, service = v.column3, carrier_refs = v.column4, \
                 routing_code = v.column5, charged_amount = v.column6, charged_currency = v.column7, \
                 status = v.column8, sub_status = v.column9, booking_state = 'confirmed', \
                 updated_at = v.column10, estimated_delivery = v.column11 \
                 FROM (VALUES {}) AS v WHERE shipments.id = v.column1 \
                 RETURNING {SHIPMENT_COLUMNS}",
                value_rows(n, 11)
            )
        });
        let mut query = sqlx::query(sql);
        for c in chunk {
            let created = &c.created;
            query = query
                .bind(c.id.clone())
                .bind(created.awb.clone())
                .bind(created.service.clone())
                .bind(serde_json::to_string(&created.carrier_refs).expect("map serialises"))
                .bind(created.routing_code.clone())
                .bind(created.charged.as_ref().map(|m| m.amount))
                .bind(
                    created
                        .charged
                        .as_ref()
                        .map(|m| m.currency.as_str().to_string()),
                )
                .bind(c.first_event.status.as_str())
                .bind(c.first_event.sub_status.as_str())
                .bind(now)
                .bind(c.estimated_delivery.map(|d| d.to_string()));
        }
        for row in query.fetch_all(&mut **tx).await? {
            let record = shipment_from_row(&row)?;
            records.insert(record.id.clone(), record);
        }
    }
    let found: Vec<&Confirmation> = confirms
        .iter()
        .copied()
        .filter(|c| records.contains_key(&c.id))
        .collect();

    // One label per shipment and format: a later one replaces an earlier one.
    let labels: BTreeMap<(&str, &str), &[u8]> = found
        .iter()
        .flat_map(|c| {
            c.created
                .labels
                .iter()
                .map(|l| ((c.id.as_str(), l.format.as_str()), l.content.as_slice()))
        })
        .collect();
    let labels: Vec<_> = labels.into_iter().collect();
    for chunk in shaped(&labels) {
        let sql = statement("confirm labels", chunk.len(), |n| {
            format!(
                "INSERT INTO labels (shipment_id, format, content, created_at) VALUES {} \
                 ON CONFLICT (shipment_id, format) DO UPDATE SET content = excluded.content",
                value_rows(n, 4)
            )
        });
        let mut query = sqlx::query(sql);
        for ((id, format), content) in chunk {
            query = query
                .bind(id.to_string())
                .bind(format.to_string())
                .bind(content.to_vec())
                .bind(now);
        }
        query.execute(&mut **tx).await?;
    }

    // Documents the carrier generated with the booking (a commercial invoice).
    let documents: Vec<(&str, &carriers::schema::Document)> = found
        .iter()
        .flat_map(|c| c.created.documents.iter().map(|d| (c.id.as_str(), d)))
        .collect();
    super::documents::put_documents(tx, &documents, now).await?;

    let events: Vec<(&str, &TrackingEvent)> = found
        .iter()
        .map(|c| (c.id.as_str(), &c.first_event))
        .collect();
    super::events::insert_new(tx, &events, now).await?;

    // `shipment.created`, queued with the booking it announces.
    let tenants: Vec<&str> = found
        .iter()
        .map(|c| records[&c.id].tenant_id.as_str())
        .collect();
    let subscriptions = outbox::subscriptions(tx, &tenants).await?;
    if !subscriptions.is_empty() {
        let at = from_ms(now);
        let announcements: Vec<Announcement> = found
            .iter()
            .map(|c| (c, &records[&c.id]))
            .filter(|(_, r)| subscriptions.wants(&r.tenant_id, EventType::ShipmentCreated))
            .map(|(c, r)| {
                let summary = ShipmentSummary {
                    id: c.id.clone(),
                    order_ref: r.order_ref.clone(),
                    carrier: r.carrier.clone(),
                    awb: Some(c.created.awb.clone()),
                    kind: kind_str(r.kind).to_string(),
                    status: Some(c.first_event.status),
                    sub_status: Some(c.first_event.sub_status),
                    ndr_attempts: r.ndr_attempts,
                    tracking_token: r.tracking_token.clone(),
                    tracking_url: r
                        .tracking_token
                        .as_deref()
                        .map(crate::tracking_page::tracking_url),
                };
                Announcement {
                    tenant_id: r.tenant_id.clone(),
                    shipment_id: c.id.clone(),
                    event_type: EventType::ShipmentCreated,
                    payload: payload(EventType::ShipmentCreated, at, &summary, &c.first_event, at),
                }
            })
            .collect();
        outbox::enqueue(tx, &subscriptions, &announcements, now).await?;
        // `return.created` for a return, with the booking too.
        let returns: Vec<Announcement> = found
            .iter()
            .map(|c| &records[&c.id])
            .filter(|r| subscriptions.wants(&r.tenant_id, EventType::ReturnCreated))
            .filter_map(|r| Some((r, r.request.returning.as_ref()?)))
            .map(|(r, details)| Announcement {
                tenant_id: r.tenant_id.clone(),
                shipment_id: r.id.clone(),
                event_type: EventType::ReturnCreated,
                payload: return_payload(at, &summary_of(r), &return_summary(details)),
            })
            .collect();
        outbox::enqueue(tx, &subscriptions, &returns, now).await?;
    }

    // A shipment confirmed twice (reconciliation) keeps its schedule.
    for chunk in shaped(&found) {
        let sql = statement("confirm polls", chunk.len(), |n| {
            format!(
                "INSERT INTO tracking_polls (shipment_id, carrier_account, next_poll_at) VALUES {} \
                 ON CONFLICT (shipment_id) DO NOTHING",
                value_rows(n, 3)
            )
        });
        let mut query = sqlx::query(sql);
        for c in chunk {
            query = query
                .bind(c.id.clone())
                // Claimed per account: each account's loop polls its own shipments.
                .bind(records[&c.id].carrier_account.clone())
                .bind(c.first_poll_at);
        }
        query.execute(&mut **tx).await?;
    }

    // Scorecards count forward shipments from their booking, in this transaction, and
    // last: a day's row per lane is shared by every booking on it, so the row lock taken
    // here makes a second writer wait until this commit. Taken last, the wait is the
    // commit only, and the writers' other statements run side by side.
    let booked: Vec<crate::analytics::store::Booked> = found
        .iter()
        .map(|c| (c, &records[&c.id]))
        .filter(|(_, r)| r.kind == ShipmentKind::Forward)
        .map(|(c, r)| crate::analytics::store::Booked {
            shipment_id: c.id.clone(),
            tenant_id: r.tenant_id.clone(),
            carrier: r.carrier.clone(),
            carrier_account: r.carrier_account.clone(),
            lane: crate::analytics::Lane {
                origin: crate::analytics::region(&r.request.from),
                destination: crate::analytics::region(&r.request.to),
            },
            booked_at: r.created_at.timestamp_millis(),
            charged: c.created.charged.clone().or_else(|| c.quoted_cost.clone()),
            promised: c.estimated_delivery,
        })
        .collect();
    crate::analytics::store::on_booked(tx, &booked).await?;

    Ok(confirms
        .iter()
        .map(|c| records.get(&c.id).cloned())
        .collect())
}

fn kind_str(kind: ShipmentKind) -> &'static str {
    match kind {
        ShipmentKind::Forward => "forward",
        ShipmentKind::Reverse => "reverse",
    }
}

/// A confirmed shipment as a message shows it.
fn summary_of(r: &ShipmentRecord) -> ShipmentSummary {
    ShipmentSummary {
        id: r.id.clone(),
        order_ref: r.order_ref.clone(),
        carrier: r.carrier.clone(),
        awb: r.awb.clone(),
        kind: kind_str(r.kind).to_string(),
        status: Some(r.status),
        sub_status: Some(r.sub_status),
        ndr_attempts: r.ndr_attempts,
        tracking_token: r.tracking_token.clone(),
        tracking_url: r
            .tracking_token
            .as_deref()
            .map(crate::tracking_page::tracking_url),
    }
}

fn return_summary(details: &carriers::families::ReturnDetails) -> ReturnSummary {
    ReturnSummary {
        forward_shipment_id: details.forward_shipment_id.clone(),
        reason: details.reason,
        comment: details.comment.clone(),
        qc: details.qc.clone(),
    }
}
