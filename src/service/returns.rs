//! Customer returns (issue 17): a reverse pickup from the buyer back to the warehouse,
//! booked as a shipment of kind `reverse` through the carrier's `Returns` family.
//!
//! A return is a shipment like any other once booked (tracked, polled, labelled, cancelled
//! and pushed through the existing routes), so booking one goes through the same
//! reserve → call → confirm path as a forward booking (`service::booking`): stored before
//! the carrier is called, kept for reconciliation when the carrier's answer is lost, handed
//! back when the carrier refuses it. What is particular to returns is decided here:
//! - from a forward shipment (`POST /v1/shipments/{id}/returns`), only a delivered forward
//!   shipment may be returned, never a return itself; the pickup is the forward's `to`, the
//!   warehouse its `from` and the parcels its parcels unless the request overrides them;
//!   the carrier account is the forward's; a return across a border carries the forward's
//!   customs turned around (`families::returning_customs`: declared as a return, `DAP`,
//!   duties the seller's), which a carrier booking it as an import (DHL Express) needs;
//! - without one (`POST /v1/returns`, for an order shipgate did not ship), the request
//!   names all of it;
//! - one open return per order at a time (409 `return_exists`): a return still under way
//!   blocks another, a cancelled, delivered or failed one does not. Returns of an order
//!   book under the order's reference with package numbers -1, -2, … (`store::returns`),
//!   so two racing requests cannot both book.
//!
//! Why a route of its own rather than `kind: "reverse"` on `POST /v1/shipments`: a return
//! has its own vocabulary (a reason, a doorstep quality check, the buyer as pickup) and
//! none of a booking's (cash on delivery, customs, `carrier: auto`, selection hints), and
//! it is booked through another carrier call. One shape per operation keeps each request
//! schema exact and each refusal specific, instead of a shipment schema where half the
//! fields are refused for one kind.

use std::sync::Arc;

use carriers::CarrierError;
use carriers::families::{QcCheck, ReturnDetails, ReturnReason, ReturnRequest, returning_customs};
use carriers::schema::{
    Address, AddressInput, LabelFormat, MAX_PIECES, Parcel, ParcelInput, Payment, SelectionHints,
    ShipmentKind, ShipmentRequest, Violations,
};
use carriers::taxonomy::Status;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, refused};
use crate::registry::{RegisteredCarrier, Registry};
use crate::service::booking::{Booking, Outcome, Reserved};
use crate::store::{BookingState, ShipmentRecord, Store};

/// Longest free-text comment on a return.
const MAX_COMMENT: usize = 200;

/// A return of a forward shipment: every field but `reason` defaults from it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnInput {
    /// Why the buyer returns it: `damaged`, `defective`, `wrong_item`, `missing_parts`,
    /// `not_as_described`, `size_issue`, `quality_issue`, `changed_mind`, `arrived_late`
    /// or `other`.
    #[schema(value_type = ReturnReason)]
    pub reason: Option<String>,
    /// The buyer's own words, at most 200 characters.
    pub comment: Option<String>,
    /// Where the parcel is collected; the forward shipment's `to` when absent.
    pub pickup_from: Option<AddressInput>,
    /// Where it goes back to; the forward shipment's `from` when absent.
    pub deliver_to: Option<AddressInput>,
    /// The parcels collected; the forward shipment's when absent.
    #[schema(value_type = Option<Vec<ParcelInput>>, min_items = 1, max_items = 50)]
    pub parcels: Option<Vec<ParcelInput>>,
    /// A doorstep quality check, where the carrier offers one (Shiprocket); refused
    /// (`qc_not_offered`) where it does not (Delhivery).
    pub qc: Option<QcInput>,
    /// A service code of the carrier's; its default when absent.
    pub service: Option<String>,
    /// `pdf` (default) or `zpl`.
    #[schema(value_type = Option<LabelFormat>)]
    pub label_format: Option<String>,
}

/// A return without a forward shipment in shipgate: everything is named.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandaloneReturnInput {
    /// The OMS's order reference the return belongs to (as for a booking).
    #[schema(value_type = String, example = "ORD-1001")]
    pub order_ref: Option<String>,
    /// A carrier id (`delhivery`, `shiprocket`) or one of the tenant's carrier accounts;
    /// not `auto`.
    #[schema(value_type = String, example = "shiprocket")]
    pub carrier: Option<String>,
    pub service: Option<String>,
    #[schema(value_type = ReturnReason)]
    pub reason: Option<String>,
    pub comment: Option<String>,
    /// The buyer the parcel is collected from.
    #[schema(value_type = AddressInput)]
    pub pickup_from: Option<AddressInput>,
    /// The warehouse it goes back to.
    #[schema(value_type = AddressInput)]
    pub deliver_to: Option<AddressInput>,
    #[schema(value_type = Vec<ParcelInput>, min_items = 1, max_items = 50)]
    pub parcels: Option<Vec<ParcelInput>>,
    pub qc: Option<QcInput>,
    #[schema(value_type = Option<LabelFormat>)]
    pub label_format: Option<String>,
}

/// What the courier checks at the buyer's door before taking the parcel.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QcInput {
    /// The product expected, at most 100 characters.
    #[schema(value_type = String)]
    pub product_name: Option<String>,
    pub brand: Option<String>,
    /// An `http(s)` picture of the product as sold.
    pub image_url: Option<String>,
    pub color: Option<String>,
    pub size: Option<String>,
}

/// What booking a return led to.
pub enum Booked {
    /// Booked now (201).
    Booked(ShipmentRecord),
    /// The carrier may have booked it; reconciled like any booking (202).
    Pending(ShipmentRecord),
}

impl Booked {
    pub fn status_and_record(self) -> (u16, ShipmentRecord) {
        match self {
            Booked::Booked(r) => (201, r),
            Booked::Pending(r) => (202, r),
        }
    }
}

pub struct Returns {
    store: Store,
    registry: Arc<Registry>,
    booking: Arc<Booking>,
}

impl Returns {
    pub fn new(store: Store, registry: Arc<Registry>, booking: Arc<Booking>) -> Returns {
        Returns {
            store,
            registry,
            booking,
        }
    }

    /// Books the return of `forward`.
    pub async fn of_forward(
        &self,
        forward: &ShipmentRecord,
        input: &ReturnInput,
    ) -> Result<Booked, ApiError> {
        let mut v = Violations::default();
        let reason = parse_reason(&mut v, input.reason.as_deref());
        let comment = text(&mut v, "/comment", input.comment.as_deref(), MAX_COMMENT);
        let pickup = optional_address(&mut v, input.pickup_from.as_ref(), "/pickup_from");
        let deliver_to = optional_address(&mut v, input.deliver_to.as_ref(), "/deliver_to");
        let parcels = input
            .parcels
            .as_ref()
            .map(|p| parse_parcels(&mut v, Some(p)));
        let qc = input.qc.as_ref().and_then(|q| parse_qc(&mut v, q));
        let service = text(&mut v, "/service", input.service.as_deref(), 60);
        let label_format = parse_label_format(&mut v, input.label_format.as_deref());
        let errors = v.into_vec();
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        if forward.kind == ShipmentKind::Reverse {
            return Err(refused(
                "",
                "forward_is_return",
                format!(
                    "shipment {} is itself a return; book returns of forward shipments",
                    forward.id
                ),
            ));
        }
        if forward.status != Status::Delivered || forward.booking_state != BookingState::Confirmed {
            return Err(refused(
                "",
                "not_returnable",
                format!(
                    "shipment {} is `{}`: only a delivered shipment can be returned",
                    forward.id, forward.sub_status
                ),
            ));
        }
        let carrier = self
            .registry
            .booked_with(&forward.tenant_id, &forward.carrier_account)
            .ok_or_else(|| {
                ApiError::Unavailable(format!(
                    "carrier account `{}` of shipment {} is not enabled on this gateway",
                    forward.carrier_account, forward.id
                ))
            })?;
        let from = pickup.unwrap_or_else(|| forward.request.to.clone());
        let to = deliver_to.unwrap_or_else(|| forward.request.from.clone());
        // The goods going back across the border are declared again, turned around:
        // a return into the seller's country, duties on re-entry the seller's.
        let customs = forward
            .request
            .customs
            .as_ref()
            .filter(|_| from.crosses_border_to(&to))
            .map(returning_customs);
        let req = ShipmentRequest {
            items: Vec::new(),
            order_ref: forward.order_ref.clone(),
            carrier: forward.carrier_account.clone(),
            service,
            from,
            to,
            parcels: parcels.unwrap_or_else(|| forward.request.parcels.clone()),
            payment: Payment::Prepaid,
            label_format: label_format.unwrap_or(forward.label_format),
            kind: ShipmentKind::Reverse,
            selection: SelectionHints::default(),
            customs,
            returning: Some(ReturnDetails {
                forward_shipment_id: Some(forward.id.clone()),
                reason,
                comment,
                qc,
            }),
        };
        self.book(&forward.tenant_id, &carrier, req, Some(forward))
            .await
    }

    /// Books a return that has no forward shipment in shipgate.
    pub async fn standalone(
        &self,
        tenant_id: &str,
        input: &StandaloneReturnInput,
    ) -> Result<Booked, ApiError> {
        let mut v = Violations::default();
        let order_ref = required(&mut v, "/order_ref", input.order_ref.as_deref(), 50);
        if !order_ref.is_empty()
            && !order_ref
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_/#.:".contains(c))
        {
            v.add(
                "/order_ref",
                "invalid_order_ref",
                "letters, digits and - _ / # . : only (carriers reject other characters)",
            );
        }
        let carrier_name = required(&mut v, "/carrier", input.carrier.as_deref(), 40);
        if carrier_name == "auto" {
            v.add(
                "/carrier",
                "auto_not_allowed",
                "name the carrier (or carrier account) to collect the return; `auto` chooses \
                 among rates, which returns do not have",
            );
        }
        let reason = parse_reason(&mut v, input.reason.as_deref());
        let comment = text(&mut v, "/comment", input.comment.as_deref(), MAX_COMMENT);
        let pickup = required_address(&mut v, input.pickup_from.as_ref(), "/pickup_from");
        let deliver_to = required_address(&mut v, input.deliver_to.as_ref(), "/deliver_to");
        let parcels = parse_parcels(&mut v, input.parcels.as_ref());
        let qc = input.qc.as_ref().and_then(|q| parse_qc(&mut v, q));
        let service = text(&mut v, "/service", input.service.as_deref(), 60);
        let label_format = parse_label_format(&mut v, input.label_format.as_deref());
        let errors = v.into_vec();
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let accounts = self.registry.for_tenant(tenant_id);
        let carrier = accounts
            .resolve(&carrier_name)
            .cloned()
            .ok_or_else(|| super::shipments::unknown_carrier(&accounts, &carrier_name))?;
        let req = ShipmentRequest {
            items: Vec::new(),
            order_ref,
            carrier: carrier.account.to_string(),
            service,
            from: pickup.expect("checked"),
            to: deliver_to.expect("checked"),
            parcels,
            payment: Payment::Prepaid,
            label_format: label_format.unwrap_or_default(),
            kind: ShipmentKind::Reverse,
            selection: SelectionHints::default(),
            customs: None,
            returning: Some(ReturnDetails {
                forward_shipment_id: None,
                reason,
                comment,
                qc,
            }),
        };
        self.book(tenant_id, &carrier, req, None).await
    }

    /// The returns of a forward shipment, oldest first.
    pub async fn of(&self, forward: &ShipmentRecord) -> Result<Vec<ShipmentRecord>, ApiError> {
        let all = self
            .store
            .returns_of_order(&forward.tenant_id, &forward.order_ref)
            .await?;
        Ok(all
            .into_iter()
            .filter(|r| forward_of(r) == Some(forward.id.as_str()))
            .collect())
    }

    /// Reserves and books `req` (a reverse shipment) with `carrier`'s `Returns` family.
    async fn book(
        &self,
        tenant_id: &str,
        carrier: &Arc<RegisteredCarrier>,
        req: ShipmentRequest,
        forward: Option<&ShipmentRecord>,
    ) -> Result<Booked, ApiError> {
        let family = carrier.adapter.returns().ok_or_else(|| {
            refused(
                "",
                "returns_not_offered",
                format!("{} books no returns", carrier.name),
            )
        })?;
        let wants_qc = req.returning.as_ref().is_some_and(|r| r.qc.is_some());
        if wants_qc && !family.offers_qc() {
            return Err(refused(
                "/qc",
                "qc_not_offered",
                format!(
                    "{} offers no doorstep quality check on returns",
                    carrier.name
                ),
            ));
        }
        let open = self
            .store
            .returns_of_order(tenant_id, &req.order_ref)
            .await?;
        if let Some(open) = open.iter().find(|r| is_open(r)) {
            return Err(exists(&req.order_ref, &open.id));
        }
        let number = self.store.next_return_no(tenant_id, &req.order_ref).await?;
        let reservation = match self
            .booking
            .reserve_numbered(tenant_id, carrier, &req, number)
            .await?
        {
            Reserved::Held(reservation) => reservation,
            // Another return of the order took the number a moment ago.
            Reserved::Taken(other) => return Err(exists(&req.order_ref, &other.id)),
        };
        tracing::info!(shipment_id = %reservation.id(), carrier = carrier.id, order_ref = %req.order_ref, "booking return");
        let request = ReturnRequest::of(reservation.id(), &req);
        let forward = forward.map(ShipmentRecord::shipment_ref);
        let call = family.create_return(&carrier.transport, forward.as_ref(), &request);
        let outcome = self
            .booking
            .book_call(carrier, reservation, call, &mut ())
            .await?;
        let count = |outcome: &'static str| {
            metrics::counter!("shipgate_returns_booked_total", "carrier" => carrier.id, "outcome" => outcome)
                .increment(1);
        };
        match outcome {
            Outcome::Booked(record) => {
                count("booked");
                Ok(Booked::Booked(record))
            }
            Outcome::Pending(record) => {
                count("pending");
                Ok(Booked::Pending(record))
            }
            Outcome::Refused(reservation, error) => {
                count("refused");
                self.booking.release(reservation).await?;
                Err(ApiError::Carrier {
                    carrier: carrier.id.into(),
                    error,
                    shipment_id: None,
                })
            }
        }
    }
}

/// Books a reverse shipment again under its id, for reconciliation (`service::shipments`)
/// after the carrier had no booking: through the `Returns` family, never as a forward
/// booking.
pub async fn rebook(
    carrier: &RegisteredCarrier,
    shipment: &ShipmentRecord,
) -> Result<carriers::schema::CreatedShipment, CarrierError> {
    let family = carrier
        .adapter
        .returns()
        .ok_or(CarrierError::Unsupported("returns"))?;
    let request = ReturnRequest::of(&shipment.id, &shipment.request);
    family
        .create_return(&carrier.transport, None, &request)
        .await
}

/// The forward shipment a return undoes, if it was booked from one.
pub fn forward_of(shipment: &ShipmentRecord) -> Option<&str> {
    let details = shipment.request.returning.as_ref()?;
    details.forward_shipment_id.as_deref()
}

/// A return still under way: not ended (delivered back, cancelled, lost…) and not a
/// booking that failed.
fn is_open(r: &ShipmentRecord) -> bool {
    !r.is_terminal() && r.booking_state != BookingState::Failed
}

fn exists(order_ref: &str, id: &str) -> ApiError {
    ApiError::Conflict {
        code: "return_exists",
        detail: format!(
            "order {order_ref} has an open return ({id}); another is booked once it is \
             delivered back or cancelled"
        ),
        shipment_id: Some(id.to_string()),
    }
}

fn parse_reason(v: &mut Violations, reason: Option<&str>) -> ReturnReason {
    use strum::VariantArray;
    match reason.map(str::trim) {
        None | Some("") => {
            v.add(
                "/reason",
                "required",
                "why the buyer returns it is required",
            );
            ReturnReason::Other
        }
        Some(r) => ReturnReason::parse(r).unwrap_or_else(|| {
            let names: Vec<&str> = ReturnReason::VARIANTS.iter().map(|r| r.as_str()).collect();
            v.add(
                "/reason",
                "invalid_reason",
                format!(
                    "`{r}` is not a return reason; use one of {}",
                    names.join(", ")
                ),
            );
            ReturnReason::Other
        }),
    }
}

fn required(v: &mut Violations, pointer: &str, value: Option<&str>, max: usize) -> String {
    match value.map(str::trim) {
        None | Some("") => {
            v.add(pointer, "required", "this field is required");
            String::new()
        }
        Some(s) => text(v, pointer, Some(s), max).unwrap_or_default(),
    }
}

fn text(v: &mut Violations, pointer: &str, value: Option<&str>, max: usize) -> Option<String> {
    match value.map(str::trim) {
        None | Some("") => None,
        Some(s) if s.chars().count() > max => {
            v.add(pointer, "too_long", format!("at most {max} characters"));
            None
        }
        Some(s) => Some(s.to_string()),
    }
}

fn optional_address(
    v: &mut Violations,
    input: Option<&AddressInput>,
    pointer: &str,
) -> Option<Address> {
    input.and_then(|a| Address::parse(a, pointer, v))
}

fn required_address(
    v: &mut Violations,
    input: Option<&AddressInput>,
    pointer: &str,
) -> Option<Address> {
    if input.is_none() {
        v.add(pointer, "required", "this address is required");
    }
    optional_address(v, input, pointer)
}

fn parse_parcels(v: &mut Violations, input: Option<&Vec<ParcelInput>>) -> Vec<Parcel> {
    match input {
        None => {
            v.add("/parcels", "required", "at least one parcel is required");
            Vec::new()
        }
        Some(list) if list.is_empty() => {
            v.add("/parcels", "required", "at least one parcel is required");
            Vec::new()
        }
        Some(list) if list.len() > MAX_PIECES => {
            v.add(
                format!("/parcels/{MAX_PIECES}"),
                "too_many_parcels",
                format!("at most {MAX_PIECES} parcel(s) per request"),
            );
            Vec::new()
        }
        Some(list) => list
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Parcel::parse(p, &format!("/parcels/{i}"), v))
            .collect(),
    }
}

fn parse_qc(v: &mut Violations, input: &QcInput) -> Option<QcCheck> {
    let product_name = required(v, "/qc/product_name", input.product_name.as_deref(), 100);
    let image_url = text(v, "/qc/image_url", input.image_url.as_deref(), 500);
    if let Some(url) = &image_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        v.add("/qc/image_url", "invalid_url", "an http or https URL");
    }
    let qc = QcCheck {
        product_name,
        brand: text(v, "/qc/brand", input.brand.as_deref(), 50),
        image_url,
        color: text(v, "/qc/color", input.color.as_deref(), 50),
        size: text(v, "/qc/size", input.size.as_deref(), 50),
    };
    Some(qc)
}

fn parse_label_format(v: &mut Violations, format: Option<&str>) -> Option<LabelFormat> {
    match format {
        None => None,
        Some("pdf") => Some(LabelFormat::Pdf),
        Some("zpl") => Some(LabelFormat::Zpl),
        Some(other) => {
            v.add(
                "/label_format",
                "invalid_label_format",
                format!("`{other}` is not a label format; use `pdf` or `zpl`"),
            );
            None
        }
    }
}
