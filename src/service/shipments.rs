//! Shipments after the API has parsed them: booking, settling bookings whose outcome is
//! unknown (reconciliation), cancelling, tracking and labels.
//!
//! A booking's reserve → call → confirm / keep pending / release sequence is
//! [`super::booking`]'s, shared with `auto` bookings (`selection::booking`, which choose
//! their carriers by the tenant's rules). This file checks that a named carrier can take
//! a booking, and answers repeats of one.
//!
//! [`Shipments`] holds what these need (the store, the registry, the booking path, `auto`
//! and how long a booking may run), not the application: it is built once at start-up,
//! the HTTP handlers reach it through their state, and nothing here knows about HTTP.

use std::sync::Arc;
use std::time::Duration;

use carriers::label::{LabelData, render};
use carriers::schema::{LabelFormat, ShipmentKind, ShipmentRequest, TrackingEvent};
use carriers::taxonomy::{Status, SubStatus, Unified};
use carriers::{CarrierError, Operation};
use chrono::Utc;

use crate::error::ApiError;
use crate::executor::observe;
use crate::registry::{Accounts, RegisteredCarrier, Registry};
use crate::selection::booking::{AutoBooked, AutoBooking};
use crate::service::booking::{Booking, Outcome, Reserved};
use crate::shutdown::{CancellationToken, Ticks};
use crate::store::{BookingState, EventRecord, ShipmentRecord, Store};

/// What a create request led to.
pub enum Created {
    /// Booked now (201).
    Booked(ShipmentRecord),
    /// The carrier may have booked it; kept for reconciliation (202).
    Pending(ShipmentRecord),
    /// The same request was booked before: here is that shipment (200).
    Existing(ShipmentRecord),
}

/// Booking, reconciliation, cancelling, tracking and labels, for the API and the
/// background reconciler alike.
pub struct Shipments {
    store: Store,
    registry: Arc<Registry>,
    booking: Arc<Booking>,
    auto: AutoBooking,
    /// A booking still `booking` this long after its last write was left by a process
    /// that died mid-call (the idempotency lock, which outlives the slowest booking).
    stale_after: Duration,
}

impl Shipments {
    pub fn new(
        store: Store,
        registry: Arc<Registry>,
        booking: Arc<Booking>,
        auto: AutoBooking,
        stale_after: Duration,
    ) -> Shipments {
        Shipments {
            store,
            registry,
            booking,
            auto,
            stale_after,
        }
    }

    /// Books `req` for the tenant. `carrier = "auto"` is chosen by the tenant's selection
    /// rules, with fallback (`selection::booking`).
    ///
    /// Sending the same request again (same order reference and body) is safe with or without
    /// an idempotency key: it answers with the shipment already booked, reconciling it first
    /// when its outcome is still unknown, and never reaches the carrier for a second AWB.
    pub async fn create(&self, tenant_id: &str, req: ShipmentRequest) -> Result<Created, ApiError> {
        if req.carrier == "auto" {
            return match self.auto.create(tenant_id, &req).await? {
                AutoBooked::Booked(record) => Ok(Created::Booked(record)),
                AutoBooked::Pending(record) => Ok(Created::Pending(record)),
                AutoBooked::Repeat(existing) => self.existing_booking(*existing, &req, true).await,
            };
        }
        let accounts = self.registry.for_tenant(tenant_id);
        let carrier = named_carrier(&accounts, &req)?;
        let reservation = match self.booking.reserve(tenant_id, &carrier, &req).await? {
            Reserved::Held(reservation) => reservation,
            Reserved::Taken(existing) => {
                return self.existing_booking(*existing, &req, false).await;
            }
        };
        tracing::info!(shipment_id = %reservation.id(), carrier = carrier.id, account = carrier.account, order_ref = %req.order_ref, "booking shipment");
        match self
            .booking
            .book_with(&carrier, reservation, &req, &mut ())
            .await?
        {
            Outcome::Booked(record) => Ok(Created::Booked(record)),
            Outcome::Pending(record) => Ok(Created::Pending(record)),
            Outcome::Refused(reservation, error) => {
                self.booking.release(reservation).await?;
                Err(ApiError::Carrier {
                    carrier: carrier.id.into(),
                    error,
                    shipment_id: None,
                })
            }
        }
    }

    /// The order reference is taken: the same request gets the booking, another one a 409.
    async fn existing_booking(
        &self,
        existing: ShipmentRecord,
        req: &ShipmentRequest,
        auto: bool,
    ) -> Result<Created, ApiError> {
        same_order(&existing, req, auto)?;
        match existing.booking_state {
            BookingState::Confirmed => Ok(Created::Existing(existing)),
            BookingState::PendingConfirmation => {
                let record = self.reconcile(&existing.tenant_id, &existing.id).await?;
                Ok(match record.booking_state {
                    BookingState::Confirmed => Created::Existing(record),
                    _ => Created::Pending(record),
                })
            }
            BookingState::Booking | BookingState::Failed => Err(ApiError::Conflict {
                code: "booking_in_progress",
                detail: format!(
                    "shipment {} for order_ref `{}` is being booked right now; retry shortly",
                    existing.id, existing.order_ref
                ),
                shipment_id: Some(existing.id),
            }),
        }
    }

    /// Settles a booking whose outcome is unknown: asks the carrier for a booking under our
    /// shipment id first, and books again (under the same id, which carriers treat as a
    /// duplicate) only when the carrier says it has none. One process at a time, by a
    /// database claim, so concurrent reconcilers cannot both re-book.
    pub async fn reconcile(&self, tenant_id: &str, id: &str) -> Result<ShipmentRecord, ApiError> {
        let stale_ms = self.stale_after.as_millis() as i64;
        if !self.store.claim_for_reconcile(id, stale_ms).await? {
            return self.get(tenant_id, id).await;
        }
        let shipment = self.get(tenant_id, id).await?;
        let carrier = self.carrier_of(&shipment)?;
        let outcome = |result: &'static str| {
            metrics::counter!("shipgate_reconciliations_total", "carrier" => carrier.id, "result" => result).increment(1);
        };
        let lookup = observe(
            carrier.transport.account(),
            Operation::Lookup,
            carrier
                .adapter
                .lookup(&carrier.transport, &shipment.shipment_ref()),
        )
        .await;
        match lookup {
            Ok(Some(mut created)) => {
                outcome("found");
                // A lookup cannot always tell the service booked; the request can.
                if let Some(service) = &shipment.request.service {
                    created.service.clone_from(service);
                }
                tracing::info!(shipment_id = %id, awb = %created.awb, "reconciled: the carrier had booked it");
                self.booking
                    .confirm_with_history(&carrier, tenant_id, id, &created, &shipment.request)
                    .await?;
            }
            Ok(None) => {
                tracing::info!(shipment_id = %id, "reconciled: the carrier has no booking; booking again");
                // A return is booked again as a return, through its family.
                let rebooked = match shipment.kind {
                    ShipmentKind::Reverse => {
                        let call = crate::service::returns::rebook(&carrier, &shipment);
                        observe(carrier.transport.account(), Operation::CreateShipment, call).await
                    }
                    ShipmentKind::Forward => {
                        let call = carrier.adapter.create_shipment(
                            &carrier.transport,
                            id,
                            &shipment.request,
                        );
                        observe(carrier.transport.account(), Operation::CreateShipment, call).await
                    }
                };
                match rebooked {
                    Ok(created) => {
                        outcome("rebooked");
                        self.booking
                            .confirm_with_history(
                                &carrier,
                                tenant_id,
                                id,
                                &created,
                                &shipment.request,
                            )
                            .await?;
                    }
                    // A carrier refusing our id as a duplicate has a booking under it that the
                    // lookup missed: look again later rather than give up on it.
                    Err(e) if e.may_have_happened() || is_duplicate(&e) => {
                        outcome("unknown");
                        self.store
                            .set_booking_state(id, BookingState::PendingConfirmation)
                            .await?;
                    }
                    Err(e) => {
                        outcome("failed");
                        tracing::warn!(shipment_id = %id, error = %e, "booking failed after reconciliation");
                        self.store
                            .mark_failed(id, &format!("{}: {e}", carrier.id))
                            .await?;
                    }
                }
            }
            // A carrier with no way to find a booking (USPS): only an operator can settle
            // it (`resolve`), so it is neither booked again nor looked up in vain loudly.
            Err(CarrierError::Unsupported(why)) => {
                outcome("awaiting_operator");
                tracing::debug!(shipment_id = %id, why, "booking outcome unknown and the carrier has no lookup: awaiting an operator");
                self.store
                    .set_booking_state(id, BookingState::PendingConfirmation)
                    .await?;
            }
            Err(e) => {
                outcome("lookup_failed");
                tracing::warn!(shipment_id = %id, error = %e, "reconciliation lookup failed; will retry");
                self.store
                    .set_booking_state(id, BookingState::PendingConfirmation)
                    .await?;
            }
        }
        self.get(tenant_id, id).await
    }

    /// An operator settles a booking whose outcome the gateway cannot learn (its carrier
    /// has no lookup, or the lookup keeps failing): booked under `awb` as the carrier's
    /// records show, or not booked at all, which frees the order to be booked again.
    pub async fn resolve(
        &self,
        tenant_id: &str,
        id: &str,
        resolution: Resolution,
    ) -> Result<ShipmentRecord, ApiError> {
        let shipment = self.get(tenant_id, id).await?;
        let not_pending = |s: &ShipmentRecord| ApiError::Conflict {
            code: "not_pending",
            detail: format!(
                "shipment {} is {}: only a booking pending confirmation is resolved by hand",
                s.id,
                s.booking_state.as_str()
            ),
            shipment_id: Some(s.id.clone()),
        };
        if shipment.booking_state != BookingState::PendingConfirmation {
            return Err(not_pending(&shipment));
        }
        // The same claim as the reconciler's, so the two cannot both settle it.
        if !self.store.claim_for_reconcile(id, i64::MAX / 4).await? {
            return Err(not_pending(&self.get(tenant_id, id).await?));
        }
        let carrier = self.carrier_of(&shipment)?;
        match resolution {
            Resolution::Booked { awb, service } => {
                let service = service
                    .or_else(|| shipment.request.service.clone())
                    .unwrap_or_default();
                let created =
                    carriers::schema::CreatedShipment::new(awb, service, Default::default());
                tracing::info!(shipment_id = %id, awb = %created.awb, "resolved by an operator: booked");
                metrics::counter!("shipgate_reconciliations_total", "carrier" => carrier.id, "result" => "resolved_booked").increment(1);
                self.booking
                    .confirm_with_history(&carrier, tenant_id, id, &created, &shipment.request)
                    .await?;
            }
            Resolution::NotBooked => {
                tracing::info!(shipment_id = %id, "resolved by an operator: not booked");
                metrics::counter!("shipgate_reconciliations_total", "carrier" => carrier.id, "result" => "resolved_not_booked").increment(1);
                self.store
                    .mark_failed(id, "an operator found no booking at the carrier")
                    .await?;
            }
        }
        self.get(tenant_id, id).await
    }

    /// Runs until the process stops: settles unconfirmed bookings a few seconds after they
    /// became unconfirmed, and bookings whose process died mid-call.
    pub async fn reconcile_forever(self: Arc<Self>, stop: CancellationToken) {
        let stale_ms = self.stale_after.as_millis() as i64;
        // Stops between rounds only: a lookup cut short would leave the booking for the
        // next process to settle, which is safe but slower for its caller.
        let mut ticks = Ticks::new(Duration::from_secs(5), stop);
        while ticks.next().await {
            let due = match self.store.unconfirmed(3_000, stale_ms, 50).await {
                Ok(due) => due,
                Err(e) => {
                    tracing::warn!(error = %e, "reconciler: cannot list unconfirmed bookings");
                    continue;
                }
            };
            for (tenant_id, id) in due {
                if let Err(e) = self.reconcile(&tenant_id, &id).await {
                    tracing::warn!(shipment_id = %id, error = %e, "reconciler: attempt failed");
                }
            }
        }
    }

    pub async fn get(&self, tenant_id: &str, id: &str) -> Result<ShipmentRecord, ApiError> {
        self.store
            .get_shipment(tenant_id, id)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no shipment `{id}`")))
    }

    pub(crate) fn carrier_of(
        &self,
        shipment: &ShipmentRecord,
    ) -> Result<Arc<RegisteredCarrier>, ApiError> {
        // The booking account's credentials are the ones that see the booking.
        self.registry
            .booked_with(&shipment.tenant_id, &shipment.carrier_account)
            .filter(|a| a.id == shipment.carrier)
            .ok_or_else(|| {
                ApiError::Unavailable(format!(
                    "carrier account `{}` of shipment {} is not enabled on this gateway",
                    shipment.carrier_account, shipment.id
                ))
            })
    }

    /// Cancels at the carrier. Cancelling a cancelled shipment is a no-op.
    pub async fn cancel(&self, tenant_id: &str, id: &str) -> Result<ShipmentRecord, ApiError> {
        let shipment = self.get(tenant_id, id).await?;
        if shipment.status == Status::Cancelled {
            return Ok(shipment);
        }
        confirmed(&shipment, "cancelled")?;
        if shipment.is_terminal() || shipment.status == Status::Rto {
            return Err(ApiError::Conflict {
                code: "not_cancellable",
                detail: format!(
                    "shipment {} is {}/{}; only shipments not yet delivered or returned can be cancelled",
                    shipment.id, shipment.status, shipment.sub_status
                ),
                shipment_id: Some(shipment.id.clone()),
            });
        }
        let carrier = self.carrier_of(&shipment)?;
        let outcome = call(
            &carrier,
            Operation::Cancel,
            carrier
                .adapter
                .cancel(&carrier.transport, &shipment.shipment_ref()),
        )
        .await?;
        let event = TrackingEvent::new(
            Unified::new(SubStatus::Cancelled),
            "shipgate:cancelled",
            outcome.carrier_message,
            Utc::now(),
        );
        self.store.add_events(&shipment.id, &[event]).await?;
        tracing::info!(shipment_id = %shipment.id, "shipment cancelled");
        self.get(tenant_id, id).await
    }

    /// Pulls the carrier's history, stores what is new, and returns the whole timeline.
    pub async fn refresh_tracking(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<(ShipmentRecord, Vec<EventRecord>), ApiError> {
        let shipment = self.get(tenant_id, id).await?;
        confirmed(&shipment, "tracked")?;
        let carrier = self.carrier_of(&shipment)?;
        let update = call(
            &carrier,
            Operation::Track,
            carrier
                .adapter
                .track(&carrier.transport, &shipment.shipment_ref()),
        )
        .await?;
        // The store counts unmapped codes (shipgate_tracking_unmapped_total) as it stores
        // them, so a scan seen by a pull and by a push counts once.
        let added = self.store.add_events(&shipment.id, &update.events).await?;
        tracing::debug!(shipment_id = %shipment.id, added, "tracking refreshed");
        let shipment = self.get(tenant_id, id).await?;
        let events = self.store.events(&shipment.id).await?;
        Ok((shipment, events))
    }

    /// The label in `format`: the carrier's own when it gave one at booking; else, for a
    /// carrier that produces labels in `format`, fetched from it now (a courier's label
    /// carries its own barcodes and routing, so shipgate does not stand in for it: a
    /// failed fetch is the carrier's error, to retry); else refused for a carrier whose
    /// labels only it can make (`own_labels_only`); else rendered. Kept once made.
    pub async fn label(
        &self,
        tenant_id: &str,
        id: &str,
        format: Option<LabelFormat>,
    ) -> Result<(ShipmentRecord, LabelFormat, Vec<u8>), ApiError> {
        let shipment = self.get(tenant_id, id).await?;
        confirmed(&shipment, "labelled")?;
        let format = format.unwrap_or(shipment.label_format);
        if let Some(content) = self.store.label(&shipment.id, format).await? {
            return Ok((shipment, format, content));
        }
        if let Ok(carrier) = self.carrier_of(&shipment)
            && carrier.capabilities.native_label_formats.contains(&format)
        {
            let label = call(
                &carrier,
                Operation::Label,
                carrier
                    .adapter
                    .label(&carrier.transport, &shipment.shipment_ref(), format),
            )
            .await?;
            self.store
                .save_label(&shipment.id, label.format, &label.content)
                .await?;
            tracing::info!(shipment_id = %shipment.id, "label fetched from the carrier");
            return Ok((shipment, label.format, label.content));
        }
        let name = self
            .registry
            .carrier(&shipment.carrier)
            .map_or(shipment.carrier.as_str(), |c| c.name);
        if let Ok(carrier) = self.carrier_of(&shipment)
            && carrier.capabilities.own_labels_only
        {
            let booked = shipment.label_format;
            let kept = self.store.label(&shipment.id, booked).await?.is_some();
            return Err(ApiError::Conflict {
                code: "label_format_unavailable",
                detail: match kept {
                    true => format!(
                        "{name} made this shipment's label as {} at booking and has no reprint in {};                          its labels carry barcodes only {name} makes, so shipgate does not draw one:                          ask for {}, or book with label_format {}",
                        booked.as_str(),
                        format.as_str(),
                        booked.as_str(),
                        format.as_str()
                    ),
                    false => format!(
                        "no {name} label is kept for this shipment (its booking answer was lost)                          and {name} has no reprint; its labels carry barcodes only {name} makes, so                          shipgate does not draw one: cancel and book again for a label"
                    ),
                },
                shipment_id: Some(shipment.id.clone()),
            });
        }
        let req = &shipment.request;
        let data = LabelData {
            carrier_name: name.to_string(),
            service: shipment.service.clone().unwrap_or_default(),
            awb: shipment.awb.clone().unwrap_or_default(),
            order_ref: shipment.order_ref.clone(),
            from: req.from.clone(),
            to: req.to.clone(),
            weight_g: req.total_weight_g(),
            payment: req.payment.clone(),
            routing_code: shipment.routing_code.clone(),
            description: Some(req.description()).filter(|d| !d.is_empty()),
            created: shipment.created_at.date_naive(),
        };
        let content = render(&data, format);
        self.store
            .save_label(&shipment.id, format, &content)
            .await?;
        Ok((shipment, format, content))
    }
}

/// What an operator found at the carrier for a booking pending confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Booked {
        awb: String,
        service: Option<String>,
    },
    NotBooked,
}

fn is_duplicate(e: &CarrierError) -> bool {
    matches!(e, CarrierError::Rejected { code, .. } if code.contains("duplicate"))
}

/// A carrier the request names that this gateway does not book with.
/// The account a booking naming its carrier books with, once it is known to take this
/// booking (an unknown carrier, no booking API, COD or a service it does not offer: 422).
pub fn named_carrier(
    accounts: &Accounts,
    req: &ShipmentRequest,
) -> Result<Arc<RegisteredCarrier>, ApiError> {
    let carrier = accounts
        .resolve(&req.carrier)
        .cloned()
        .ok_or_else(|| unknown_carrier(accounts, &req.carrier))?;
    if !carrier.capabilities.create_shipment {
        return Err(ApiError::Carrier {
            carrier: carrier.id.into(),
            error: CarrierError::Unsupported("creating shipments"),
            shipment_id: None,
        });
    }
    if req.payment.cod_amount().is_some() && !carrier.capabilities.cod {
        return Err(ApiError::Validation(vec![carriers::schema::FieldError {
            pointer: "/payment/mode".into(),
            code: "cod_not_supported".into(),
            detail: format!("{} does not collect cash on delivery", carrier.id),
        }]));
    }
    if let Some(service) = req.service.as_deref().filter(|s| !carrier.offers(s)) {
        return Err(ApiError::Validation(vec![carriers::schema::FieldError {
            pointer: "/service".into(),
            code: "service_not_offered".into(),
            detail: format!(
                "carrier account {} is limited by its tenant to other services than `{service}`",
                carrier.account
            ),
        }]));
    }
    Ok(carrier)
}

/// Whether `req` repeats the booking `existing` of its order: `Ok` when it is the same
/// request (answered with that shipment), else the 409 `order_already_booked`. `auto`
/// resolved to a carrier, so everything but the choice itself is compared.
pub fn same_order(
    existing: &ShipmentRecord,
    req: &ShipmentRequest,
    auto: bool,
) -> Result<(), ApiError> {
    let same = if auto {
        let mut stored = existing.request.clone();
        stored.carrier.clone_from(&req.carrier);
        stored.service.clone_from(&req.service);
        &stored == req
    } else {
        &existing.request == req
    };
    if same {
        return Ok(());
    }
    Err(ApiError::Conflict {
        code: "order_already_booked",
        detail: format!(
            "order_ref `{}` already has shipment {} ({}) for a different request; one order \
             reference and package books one AWB",
            existing.order_ref,
            existing.id,
            existing.booking_state.as_str()
        ),
        shipment_id: Some(existing.id.clone()),
    })
}

pub fn unknown_carrier(accounts: &Accounts, id: &str) -> ApiError {
    if let Some(broken) = accounts.broken(id) {
        return ApiError::Unavailable(format!(
            "your own {id} account {} cannot be used: {}",
            broken.account, broken.reason
        ));
    }
    ApiError::Validation(vec![carriers::schema::FieldError {
        pointer: "/carrier".into(),
        code: "unknown_carrier".into(),
        detail: format!(
            "`{id}` is not an enabled carrier or carrier account; use one of: {}, or auto",
            accounts.ids().join(", ")
        ),
    }])
}

pub(crate) fn confirmed(shipment: &ShipmentRecord, action: &str) -> Result<(), ApiError> {
    if shipment.booking_state != BookingState::Confirmed || shipment.awb.is_none() {
        return Err(ApiError::Conflict {
            code: "not_booked",
            detail: format!(
                "shipment {} is {}; it can be {action} once the carrier has confirmed it",
                shipment.id,
                shipment.booking_state.as_str()
            ),
            shipment_id: Some(shipment.id.clone()),
        });
    }
    Ok(())
}

/// An observed carrier call whose failure becomes the API's carrier error.
pub(crate) async fn call<T>(
    carrier: &RegisteredCarrier,
    op: Operation,
    work: impl std::future::Future<Output = Result<T, CarrierError>>,
) -> Result<T, ApiError> {
    observe(carrier.transport.account(), op, work)
        .await
        .map_err(|error| ApiError::Carrier {
            carrier: carrier.id.into(),
            error,
            shipment_id: None,
        })
}
