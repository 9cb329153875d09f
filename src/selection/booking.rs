//! `"carrier": "auto"`: book the best candidate under the tenant's rules, falling back to
//! the next one only when the carrier certainly did not book.
//!
//! The one question of docs/architecture.md decides every step. A refusal that cannot have booked
//! (the carrier's rejection, a request never sent — quota, open breaker — or a connection
//! never made) moves the same reservation to the next candidate. An outcome that may have
//! booked (timeout, 5xx, unreadable answer) stops at once: the shipment stays
//! `pending_confirmation` with the carrier that may hold it and is reconciled there, never
//! booked elsewhere — that would be two AWBs for one parcel.
//!
//! The reservation row is taken before the first carrier call and only re-pointed between
//! attempts, so a concurrent or retried request for the same order finds it, and a crash
//! mid-way leaves a row the reconciler settles with the carrier last called. Each step is
//! written to the shipment's `selection` record before the call it describes.

use std::sync::Arc;

use carriers::schema::{Charge, Money, Objective, ShipmentRequest};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Selection;
use super::plan::Planner;
use crate::error::ApiError;
use crate::registry::Registry;
use crate::service::booking::{Answer, Booking, Journal, Outcome, Reservation, Reserved};
use crate::service::rate_cards::RateCards;
use crate::service::rates::RateShop;
use crate::store::{ShipmentRecord, Store};

/// Carriers tried at most per booking: each attempt can take a carrier's full timeout,
/// and the idempotency lock must outlive the whole booking.
pub const MAX_ATTEMPTS: usize = 3;

/// How an `auto` booking chose its carrier, kept with the shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SelectionRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_set_version: Option<i64>,
    pub objective: Objective,
    /// The evaluation's reasons, as a rate recommendation gives them.
    pub reasons: Vec<String>,
    /// Every carrier tried, in order.
    pub attempts: Vec<AttemptRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AttemptRecord {
    /// The carrier account tried (the carrier id for a carrier's default account).
    pub carrier: String,
    pub service: String,
    /// The quoted total.
    pub total: Money,
    /// The quote's breakdown, kept so a carrier's invoice can be checked against it
    /// (`service::weights`); empty in records written before it was kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakdown: Vec<Charge>,
    pub outcome: AttemptOutcome,
    /// The failure class (`rejected`, `connect`, `not_sent`, `timeout`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttemptOutcome {
    /// Being called (a record left in this state means the process stopped mid-call).
    InFlight,
    Booked,
    /// Certainly not booked; the next candidate was tried.
    Refused,
    /// The carrier may have booked it: reconciled with this carrier, no fallback.
    OutcomeUnknown,
}

/// What an `auto` booking led to.
pub enum AutoBooked {
    /// Booked now.
    Booked(ShipmentRecord),
    /// The carrier tried last may have booked it; kept for reconciliation with it.
    Pending(ShipmentRecord),
    /// The order has a shipment already: answered like any repeat of a booking.
    Repeat(Box<ShipmentRecord>),
}

/// What an `auto` booking reads and writes: quotes from the rate shop, the tenant's rules,
/// the carriers that can book, and the one booking path.
pub struct AutoBooking {
    store: Store,
    registry: Arc<Registry>,
    planner: Planner,
    booking: Arc<Booking>,
}

impl AutoBooking {
    pub fn new(
        store: Store,
        registry: Arc<Registry>,
        rate_shop: Arc<RateShop>,
        rate_cards: Arc<RateCards>,
        selection: Arc<Selection>,
        booking: Arc<Booking>,
    ) -> AutoBooking {
        AutoBooking {
            store,
            registry,
            planner: Planner::new(rate_shop, rate_cards, selection),
            booking,
        }
    }

    /// Books `req` (whose carrier is `auto`) with the best candidate that accepts it.
    pub async fn create(
        &self,
        tenant_id: &str,
        req: &ShipmentRequest,
    ) -> Result<AutoBooked, ApiError> {
        // A retry of a booked order answers from the database, without shopping again.
        if let Some(existing) = self
            .store
            .shipment_by_order(tenant_id, &req.order_ref, 1)
            .await?
        {
            return Ok(AutoBooked::Repeat(Box::new(existing)));
        }
        // One view for the whole booking: the accounts that quoted are the ones looked
        // up, however the tenant's accounts change meanwhile.
        let accounts = self.registry.for_tenant(tenant_id);
        let plan = self.planner.plan(tenant_id, &accounts, req).await?;
        let candidates = plan.candidates;
        let mut record = SelectionRecord {
            rule_set_version: plan.rule_set_version,
            objective: plan.objective,
            reasons: plan.reasons,
            attempts: Vec::new(),
        };

        // Held between attempts: a refusal hands it back for the next candidate.
        let mut held: Option<Reservation> = None;
        let mut failures = Vec::new();
        for (i, quote) in candidates.iter().enumerate() {
            let carrier = accounts
                .get(&quote.carrier_account)
                .cloned()
                .expect("candidates are accounts of this view");
            let mut attempt_req = req.clone();
            // The account that quoted books it.
            attempt_req.carrier.clone_from(&quote.carrier_account);
            attempt_req.service = Some(quote.service.clone());
            let reserved = match held.take() {
                None => {
                    self.booking
                        .reserve(tenant_id, &carrier, &attempt_req)
                        .await?
                }
                Some(reservation) => {
                    self.booking
                        .switch(reservation, &carrier, &attempt_req)
                        .await?
                }
            };
            let reservation = match reserved {
                Reserved::Held(reservation) => reservation,
                // Another request for this order got there first.
                Reserved::Taken(existing) if i == 0 => {
                    return Ok(AutoBooked::Repeat(existing));
                }
                // Someone else (a reconciler) holds the reservation now; report its state.
                Reserved::Taken(now) => return Ok(AutoBooked::Pending(*now)),
            };
            let mut reservation = reservation;
            // The quote's own date is the promise (the carrier's, or the lane's history).
            reservation.quote(
                quote.estimated_delivery.or_else(|| {
                    quote
                        .transit_days
                        .map(|d| super::today() + chrono::Days::new(u64::from(d)))
                }),
                &quote.total,
            );
            let id = reservation.id().to_owned();
            record.attempts.push(AttemptRecord {
                carrier: quote.carrier_account.clone(),
                service: quote.service.clone(),
                total: quote.total.clone(),
                breakdown: quote.breakdown.clone(),
                outcome: AttemptOutcome::InFlight,
                error_class: None,
                error: None,
            });
            save(&self.store, &id, &record).await?;
            tracing::info!(shipment_id = %id, carrier = carrier.id, service = %quote.service, attempt = i + 1, order_ref = %req.order_ref, "auto booking: trying carrier");
            let mut journal = Attempts {
                store: &self.store,
                id: &id,
                record: &mut record,
            };
            let attempts = (i + 1).to_string();
            match self
                .booking
                .book_with(&carrier, reservation, &attempt_req, &mut journal)
                .await?
            {
                Outcome::Booked(shipment) => {
                    metrics::counter!("shipgate_auto_bookings_total", "result" => "booked", "attempts" => attempts).increment(1);
                    return Ok(AutoBooked::Booked(shipment));
                }
                Outcome::Pending(shipment) => {
                    // No fallback: another carrier could book a second AWB for the parcel.
                    metrics::counter!("shipgate_auto_bookings_total", "result" => "pending", "attempts" => attempts).increment(1);
                    return Ok(AutoBooked::Pending(shipment));
                }
                Outcome::Refused(reservation, error) => {
                    tracing::info!(shipment_id = %id, carrier = carrier.id, error = %error, "auto booking: refused, trying the next candidate");
                    failures.push((carrier.id, error));
                    held = Some(reservation);
                }
            }
        }
        let reservation = held.expect("the last refusal handed the reservation back");
        self.booking.release(reservation).await?;
        metrics::counter!("shipgate_auto_bookings_total", "result" => "refused", "attempts" => candidates.len().to_string()).increment(1);
        let attempts = failures
            .iter()
            .map(|(c, e)| format!("{c}: {}", e.class()))
            .collect::<Vec<_>>()
            .join(", ");
        let (carrier, last) = failures.pop().expect("every candidate failed");
        Err(ApiError::AutoBookingFailed {
            attempts,
            carrier: carrier.into(),
            last,
        })
    }
}

/// Writes the carrier's answer into the attempt just made before the shipment's own state
/// is written, so the record is never behind the shipment.
struct Attempts<'a> {
    store: &'a Store,
    id: &'a str,
    record: &'a mut SelectionRecord,
}

impl Journal for Attempts<'_> {
    async fn answered(&mut self, answer: Answer<'_>) -> Result<(), ApiError> {
        let last = self
            .record
            .attempts
            .last_mut()
            .expect("pushed before the call");
        let error = match answer {
            Answer::Booked => {
                last.outcome = AttemptOutcome::Booked;
                None
            }
            Answer::Unknown(error) => {
                last.outcome = AttemptOutcome::OutcomeUnknown;
                Some(error)
            }
            Answer::Refused(error) => {
                last.outcome = AttemptOutcome::Refused;
                Some(error)
            }
        };
        if let Some(error) = error {
            last.error_class = Some(error.class().into());
            last.error = Some(error.to_string());
        }
        save(self.store, self.id, self.record).await
    }
}

async fn save(store: &Store, id: &str, record: &SelectionRecord) -> Result<(), ApiError> {
    let json = serde_json::to_string(record).expect("record serialises");
    store.save_selection(id, &json).await?;
    Ok(())
}

/// A shipment's selection record, if it was booked with `auto`.
pub async fn record_of(
    store: &Store,
    shipment_id: &str,
) -> Result<Option<SelectionRecord>, ApiError> {
    match store.selection(shipment_id).await? {
        None => Ok(None),
        Some(json) => serde_json::from_str(&json).map(Some).map_err(|e| {
            ApiError::Internal(anyhow::anyhow!(
                "selection record of {shipment_id} does not parse: {e}"
            ))
        }),
    }
}
