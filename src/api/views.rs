//! Response bodies. Stored records are not serialised directly so the API shape stays
//! stable while storage evolves.

use std::collections::BTreeMap;

use carriers::schema::{Address, LabelFormat, Money, Parcel, Payment, ShipmentKind};
use carriers::taxonomy::{Status, SubStatus};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::store::{BookingState, EventRecord, ShipmentRecord};

#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentView {
    pub id: String,
    pub order_ref: String,
    pub carrier: String,
    /// The carrier account that booked it (the carrier id for its default account).
    pub carrier_account: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub awb: Option<String>,
    pub status: Status,
    pub sub_status: SubStatus,
    pub terminal: bool,
    /// `forward`, or `reverse` for a customer return (a parcel coming back to origin after
    /// failed deliveries is a `forward` shipment in status `rto`).
    pub kind: ShipmentKind,
    /// For a return: the forward shipment it returns, when it was booked from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forward_shipment_id: Option<String>,
    /// For a return: why, and the doorstep check asked for.
    #[serde(rename = "return", skip_serializing_if = "Option::is_none")]
    pub return_details: Option<ReturnView>,
    /// For a forward shipment read alone: its returns, oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returns: Option<Vec<ReturnLink>>,
    pub booking_state: BookingState,
    /// Failed delivery attempts (NDR events) so far.
    pub ndr_attempts: i64,
    /// The destination's address quality at booking: score, band, reasons and what the
    /// tenant's address policy made of it. Absent for shipments booked before addresses
    /// were scored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_quality: Option<crate::store::AddressQuality>,
    /// The delivery date promised at booking (India date): the carrier's own, or the
    /// lane's median transit in the tenant's history; absent when neither was known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_delivery: Option<chrono::NaiveDate>,
    /// Past `estimated_delivery` and still on its way (see `GET /v1/shipments?late=true`).
    pub late: bool,
    /// Why the booking failed, when `booking_state` is `failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    pub label_format: LabelFormat,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charged: Option<Money>,
    pub carrier_refs: BTreeMap<String, String>,
    pub from: Address,
    pub to: Address,
    pub parcels: Vec<Parcel>,
    pub payment: Payment,
    /// The customs content booked with a shipment that crosses a border.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customs: Option<carriers::schema::Customs>,
    /// The order's lines booked with it (absent when none were given).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<carriers::schema::Item>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<EventRecord>>,
    /// For `carrier: auto`: the rule set version, reasons and every carrier tried.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selection: Option<crate::selection::booking::SelectionRecord>,
    /// The carrier's charged weight against the declared one, once a carrier file named
    /// the shipment (`state` says whether it is a flagged discrepancy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_discrepancy: Option<crate::oms_webhooks::events::WeightDiscrepancyView>,
    /// The secret in the buyer's tracking page link: whoever holds it sees the page, so
    /// hand it to the buyer only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_token: Option<String>,
    /// The buyer's tracking page: absolute when `http.buyer_url` is configured, else the
    /// path `/t/{tracking_token}` on this gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_url: Option<String>,
    pub links: Links,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Links {
    #[serde(rename = "self")]
    pub self_: String,
    pub label: String,
    pub tracking: String,
    pub cancel: String,
}

/// A return's reason and check.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnView {
    pub reason: carriers::families::ReturnReason,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qc: Option<carriers::families::QcCheck>,
}

/// One return of a forward shipment.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnLink {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub awb: Option<String>,
    pub status: Status,
    pub sub_status: SubStatus,
    pub reason: Option<carriers::families::ReturnReason>,
    pub created_at: DateTime<Utc>,
}

impl From<&ShipmentRecord> for ReturnLink {
    fn from(r: &ShipmentRecord) -> Self {
        ReturnLink {
            id: r.id.clone(),
            awb: r.awb.clone(),
            status: r.status,
            sub_status: r.sub_status,
            reason: r.request.returning.as_ref().map(|d| d.reason),
            created_at: r.created_at,
        }
    }
}

/// Whether a shipment is late on `today`: what `late=true` lists (`store::queries`).
pub fn is_late(s: &ShipmentRecord, today: chrono::NaiveDate) -> bool {
    s.estimated_delivery.is_some_and(|d| d < today)
        && s.booking_state == BookingState::Confirmed
        && !s.sub_status.is_terminal()
        && s.status != Status::Rto
}

impl ShipmentView {
    pub fn new(s: ShipmentRecord, events: Option<Vec<EventRecord>>) -> Self {
        let base = format!("/v1/shipments/{}", s.id);
        let returning = s.request.returning.clone();
        ShipmentView {
            forward_shipment_id: returning
                .as_ref()
                .and_then(|d| d.forward_shipment_id.clone()),
            return_details: returning.map(|d| ReturnView {
                reason: d.reason,
                comment: d.comment,
                qc: d.qc,
            }),
            returns: None,
            terminal: s.is_terminal(),
            late: is_late(&s, crate::selection::today()),
            links: Links {
                self_: base.clone(),
                label: format!("{base}/label"),
                tracking: format!("{base}/tracking"),
                cancel: format!("{base}/cancel"),
            },
            id: s.id,
            order_ref: s.order_ref,
            carrier: s.carrier,
            carrier_account: s.carrier_account,
            service: s.service,
            awb: s.awb,
            status: s.status,
            sub_status: s.sub_status,
            kind: s.kind,
            booking_state: s.booking_state,
            ndr_attempts: s.ndr_attempts,
            address_quality: s.address_quality,
            estimated_delivery: s.estimated_delivery,
            failure: s.failure,
            label_format: s.label_format,
            routing_code: s.routing_code,
            charged: s.charged,
            carrier_refs: s.carrier_refs,
            from: s.request.from,
            to: s.request.to,
            parcels: s.request.parcels,
            payment: s.request.payment,
            customs: s.request.customs,
            items: s.request.items,
            created_at: s.created_at,
            updated_at: s.updated_at,
            events,
            selection: None,
            weight_discrepancy: None,
            tracking_url: s
                .tracking_token
                .as_deref()
                .map(crate::tracking_page::tracking_url),
            tracking_token: s.tracking_token,
        }
    }

    /// With the returns of a forward shipment.
    pub fn with_returns(mut self, returns: &[ShipmentRecord]) -> Self {
        self.returns = Some(returns.iter().map(ReturnLink::from).collect());
        self
    }

    pub fn with_selection(
        mut self,
        selection: Option<crate::selection::booking::SelectionRecord>,
    ) -> Self {
        self.selection = selection;
        self
    }

    pub fn with_weight(
        mut self,
        weight: Option<crate::oms_webhooks::events::WeightDiscrepancyView>,
    ) -> Self {
        self.weight_discrepancy = weight;
        self
    }
}

/// The unified timeline of one shipment.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrackingView {
    pub shipment_id: String,
    pub carrier: String,
    pub awb: Option<String>,
    pub status: Status,
    pub sub_status: SubStatus,
    pub terminal: bool,
    pub action_required: bool,
    /// Oldest first, by carrier event time.
    pub events: Vec<EventRecord>,
}

impl TrackingView {
    pub fn new(s: ShipmentRecord, events: Vec<EventRecord>) -> Self {
        TrackingView {
            shipment_id: s.id,
            carrier: s.carrier,
            awb: s.awb,
            status: s.status,
            sub_status: s.sub_status,
            terminal: s.sub_status.is_terminal(),
            action_required: s.sub_status.action_required(),
            events,
        }
    }
}
