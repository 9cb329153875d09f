//! The one booking path: reserve → call the carrier → confirm, keep pending, or hand the
//! reservation back.
//!
//! A booking with a named carrier (`service::shipments`) and an `auto` booking
//! (`selection::booking`, which may try several carriers) differ only in which carriers
//! they try. What a carrier's answer does to the shipment is decided here, once, by the
//! one question of docs/architecture.md ("Rules of the house") — might the carrier have
//! booked it?
//! - booked: AWB, label, first event and first tracking poll are written in one
//!   transaction;
//! - maybe (timeout, 5xx, unreadable answer): the row stays `pending_confirmation` and is
//!   reconciled with that carrier — looked up by our shipment id — before any second
//!   booking;
//! - no (rejection, connect failure, never sent): the reservation is handed back still
//!   held, for the caller to release (so the OMS can fix the order and book again) or to
//!   move to its next carrier without ever letting go of the order.
//!
//! The reservation row is written before any carrier call, so two racing requests or a
//! retry find it and can never both reach a carrier.

use std::future::Future;
use std::sync::Arc;

use carriers::schema::{CreatedShipment, Money, ShipmentKind, ShipmentRequest, TrackingEvent};
use carriers::taxonomy::{SubStatus, Unified};
use carriers::{CarrierError, Operation};
use chrono::{NaiveDate, Utc};

use crate::config::PollingConfig;
use crate::error::ApiError;
use crate::executor::observe;
use crate::registry::RegisteredCarrier;
use crate::service::address_quality;
use crate::service::booking_writer::BookingWriter;
use crate::store::{
    BookingState, Confirmation, NewShipment, ReserveOutcome, ShipmentRecord, Store,
};

/// What every booking writes: reservations and confirmations (group-committed by the
/// [`BookingWriter`]) and the states in between.
pub struct Booking {
    store: Store,
    writer: Arc<BookingWriter>,
    /// When a confirmed shipment is first polled, scheduled with its confirmation.
    polling: PollingConfig,
    /// What a low address score does to a booking, per tenant.
    address_policies: Arc<address_quality::AddressPolicies>,
    /// Lane history, for the delivery date promised when the carrier promises none.
    scores: Arc<crate::analytics::Scores>,
}

/// What reserving an order (or moving its reservation) led to.
pub enum Reserved {
    Held(Reservation),
    /// The order's row is not this request's: the shipment as it stands.
    Taken(Box<ShipmentRecord>),
}

/// A shipment row in `booking` state that this request holds: while it is held nobody
/// else reaches a carrier for the order. It ends booked, pending or released, or, if the
/// process dies meanwhile, settled by the reconciler once stale.
#[must_use = "a held reservation is booked, released or moved to another carrier"]
pub struct Reservation {
    id: String,
    tenant_id: String,
    /// The delivery date to promise once booked.
    estimate: Option<NaiveDate>,
    /// The total of the quote booked (`auto`), the cost scorecards count when the
    /// carrier states no charge.
    quoted: Option<Money>,
}

impl Reservation {
    /// The shipment id, sent to the carrier as our reference for the booking.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Books a quote (`auto`): promises the date it gave instead of the lane's history,
    /// and remembers its total.
    pub fn quote(&mut self, date: Option<NaiveDate>, total: &Money) {
        if date.is_some() {
            self.estimate = date;
        }
        self.quoted = Some(total.clone());
    }
}

/// What one carrier's answer led to.
pub enum Outcome {
    /// Booked now.
    Booked(ShipmentRecord),
    /// The carrier may have booked it; kept for reconciliation with that carrier.
    Pending(ShipmentRecord),
    /// Certainly not booked; the reservation is handed back, still held.
    Refused(Reservation, CarrierError),
}

/// A carrier's answer, as told to a [`Journal`].
pub enum Answer<'a> {
    Booked,
    /// It may have booked it.
    Unknown(&'a CarrierError),
    /// It certainly did not.
    Refused(&'a CarrierError),
}

/// Hears the carrier's answer before the shipment is written, so that a record kept
/// alongside (`auto`'s selection record) is never behind the shipment it describes.
pub trait Journal {
    fn answered(&mut self, answer: Answer<'_>)
    -> impl Future<Output = Result<(), ApiError>> + Send;
}

/// Nothing is kept alongside a booking with a named carrier.
impl Journal for () {
    async fn answered(&mut self, _: Answer<'_>) -> Result<(), ApiError> {
        Ok(())
    }
}

impl Booking {
    pub fn new(
        store: Store,
        polling: PollingConfig,
        address_policies: Arc<address_quality::AddressPolicies>,
        scores: Arc<crate::analytics::Scores>,
    ) -> Booking {
        Booking {
            writer: BookingWriter::new(store.clone()),
            store,
            polling,
            address_policies,
            scores,
        }
    }

    /// The delivery date the lane's history promises a forward booking of `req` with
    /// `account` today (`analytics::Scores::estimate`); `None` without enough history, or
    /// when it cannot be read (a booking does not fail for want of an estimate).
    pub async fn estimate(
        &self,
        tenant_id: &str,
        account: &str,
        req: &ShipmentRequest,
    ) -> Option<NaiveDate> {
        if req.kind != ShipmentKind::Forward {
            return None;
        }
        let lane = crate::analytics::Lane {
            origin: crate::analytics::region(&req.from),
            destination: crate::analytics::region(&req.to),
        };
        let today = crate::selection::today();
        match self.scores.estimate(tenant_id, account, &lane, today).await {
            Ok(date) => date,
            Err(e) => {
                tracing::warn!(error = %e, "lane history unreadable; booking without an estimate");
                None
            }
        }
    }

    /// Claims (tenant, order reference, package) for a new shipment booked with
    /// `carrier`, before any carrier is called. The destination is scored first and the
    /// score kept with the claim; when the tenant's address policy refuses the booking,
    /// the claim is let go again and the refusal returned (a repeat of an order already
    /// booked still gets its shipment).
    pub async fn reserve(
        &self,
        tenant_id: &str,
        carrier: &RegisteredCarrier,
        req: &ShipmentRequest,
    ) -> Result<Reserved, ApiError> {
        self.reserve_numbered(tenant_id, carrier, req, 1).await
    }

    /// [`Booking::reserve`] under a package number of the order: 1 for a forward
    /// booking, a negative number for a return of the order (`service::returns`).
    pub async fn reserve_numbered(
        &self,
        tenant_id: &str,
        carrier: &RegisteredCarrier,
        req: &ShipmentRequest,
        package_no: i64,
    ) -> Result<Reserved, ApiError> {
        // A return's destination is the seller's own warehouse: only deliveries to
        // buyers are scored and held to the address policy.
        let screening = match req.kind {
            ShipmentKind::Forward => Some(
                address_quality::screen(&self.store, &self.address_policies, tenant_id, req)
                    .await?,
            ),
            ShipmentKind::Reverse => None,
        };
        let (quality, refusal) = match screening {
            Some(s) => (Some(s.quality), s.refusal),
            None => (None, None),
        };
        let id = format!("shp_{}", uuid::Uuid::now_v7().simple());
        let new = NewShipment {
            id: id.clone(),
            tenant_id: tenant_id.into(),
            package_no,
            carrier: carrier.id.into(),
            carrier_account: carrier.account.into(),
            request: req.clone(),
            address_quality: quality,
        };
        Ok(match self.writer.reserve(new).await? {
            ReserveOutcome::Reserved => {
                let reservation = Reservation {
                    id,
                    tenant_id: tenant_id.into(),
                    estimate: self.estimate(tenant_id, carrier.account, req).await,
                    quoted: None,
                };
                if let Some(refusal) = refusal {
                    self.release(reservation).await?;
                    return Err(refusal);
                }
                Reserved::Held(reservation)
            }
            ReserveOutcome::Exists(existing) => Reserved::Taken(existing),
        })
    }

    /// Moves a held reservation to another carrier account, for the next attempt of an
    /// `auto` booking. `Taken` when it is not held any more: a reconciler took it over and
    /// settles it with the carrier called last.
    pub async fn switch(
        &self,
        mut reservation: Reservation,
        carrier: &RegisteredCarrier,
        req: &ShipmentRequest,
    ) -> Result<Reserved, ApiError> {
        let json = serde_json::to_string(req).expect("request serialises");
        let moved = self
            .store
            .switch_reserved_carrier(
                &reservation.id,
                carrier.id,
                carrier.account,
                req.service.as_deref(),
                &json,
            )
            .await?;
        Ok(if moved {
            reservation.estimate = self
                .estimate(&reservation.tenant_id, carrier.account, req)
                .await;
            Reserved::Held(reservation)
        } else {
            let now = self.shipment(&reservation.tenant_id, &reservation.id);
            Reserved::Taken(Box::new(now.await?))
        })
    }

    /// Lets go of an order nothing was booked for, so it can be fixed and booked again.
    pub async fn release(&self, reservation: Reservation) -> Result<(), ApiError> {
        self.store.release_reservation(&reservation.id).await?;
        Ok(())
    }

    /// Books the reserved shipment `req` with `carrier` and writes what its answer means;
    /// `journal` hears the answer first.
    pub async fn book_with(
        &self,
        carrier: &RegisteredCarrier,
        reservation: Reservation,
        req: &ShipmentRequest,
        journal: &mut impl Journal,
    ) -> Result<Outcome, ApiError> {
        let id = reservation.id().to_string();
        let call = carrier
            .adapter
            .create_shipment(&carrier.transport, &id, req);
        self.book_call(carrier, reservation, call, journal).await
    }

    /// [`Booking::book_with`] for any booking call of `carrier` (a return goes through
    /// its `Returns` family): what its answer means is decided here all the same.
    pub async fn book_call(
        &self,
        carrier: &RegisteredCarrier,
        reservation: Reservation,
        call: impl Future<Output = Result<CreatedShipment, CarrierError>>,
        journal: &mut impl Journal,
    ) -> Result<Outcome, ApiError> {
        let id = reservation.id.as_str();
        let result = observe(carrier.transport.account(), Operation::CreateShipment, call).await;
        match result {
            Ok(created) => {
                journal.answered(Answer::Booked).await?;
                let (estimate, quoted) = (reservation.estimate, reservation.quoted.clone());
                Ok(Outcome::Booked(
                    self.confirm_quoted(carrier, id, &created, estimate, quoted)
                        .await?,
                ))
            }
            Err(error) if error.may_have_happened() => {
                journal.answered(Answer::Unknown(&error)).await?;
                self.store
                    .set_booking_state(id, BookingState::PendingConfirmation)
                    .await?;
                metrics::counter!("shipgate_shipments_pending_confirmation_total", "carrier" => carrier.id).increment(1);
                tracing::warn!(shipment_id = %id, carrier = carrier.id, error = %error, "booking outcome unknown; kept for reconciliation");
                Ok(Outcome::Pending(
                    self.shipment(&reservation.tenant_id, id).await?,
                ))
            }
            Err(error) => {
                journal.answered(Answer::Refused(&error)).await?;
                Ok(Outcome::Refused(reservation, error))
            }
        }
    }

    /// Records a booking the carrier confirmed (now, or found by reconciliation), with
    /// the delivery date it promises; the shipment as stored.
    /// [`Self::confirm`] with the date the lane's history promises: for a booking settled
    /// after the fact (reconciled, or resolved by an operator), which had no quote.
    pub async fn confirm_with_history(
        &self,
        carrier: &RegisteredCarrier,
        tenant_id: &str,
        id: &str,
        created: &CreatedShipment,
        req: &ShipmentRequest,
    ) -> Result<ShipmentRecord, ApiError> {
        let estimate = self.estimate(tenant_id, carrier.account, req).await;
        self.confirm(carrier, id, created, estimate).await
    }

    pub async fn confirm(
        &self,
        carrier: &RegisteredCarrier,
        id: &str,
        created: &CreatedShipment,
        estimated_delivery: Option<NaiveDate>,
    ) -> Result<ShipmentRecord, ApiError> {
        self.confirm_quoted(carrier, id, created, estimated_delivery, None)
            .await
    }

    /// [`Booking::confirm`] of a quote booked: its total is the cost scorecards count
    /// when the carrier states no charge.
    async fn confirm_quoted(
        &self,
        carrier: &RegisteredCarrier,
        id: &str,
        created: &CreatedShipment,
        estimated_delivery: Option<NaiveDate>,
        quoted: Option<Money>,
    ) -> Result<ShipmentRecord, ApiError> {
        let record = self
            .writer
            .confirm(Confirmation {
                id: id.to_string(),
                created: created.clone(),
                first_event: booked_event(created),
                first_poll_at: crate::polling::first_poll_at(&self.polling),
                estimated_delivery,
                quoted_cost: quoted,
            })
            .await?;
        metrics::counter!("shipgate_shipments_booked_total", "carrier" => carrier.id).increment(1);
        tracing::info!(shipment_id = %id, awb = %created.awb, "shipment booked");
        Ok(record)
    }

    async fn shipment(&self, tenant_id: &str, id: &str) -> Result<ShipmentRecord, ApiError> {
        self.store
            .get_shipment(tenant_id, id)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no shipment `{id}`")))
    }
}

fn booked_event(created: &CreatedShipment) -> TrackingEvent {
    TrackingEvent::new(
        Unified::new(SubStatus::LabelCreated),
        crate::store::BOOKED_CODE,
        format!("AWB {} allocated", created.awb),
        Utc::now(),
    )
}
