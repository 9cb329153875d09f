use std::collections::BTreeMap;
use std::str::FromStr;

use carriers::schema::{LabelFormat, ShipmentKind, ShipmentRequest, TrackingEvent};
use carriers::taxonomy::{Status, SubStatus};
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Read,
    Write,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Read => "read",
            Role::Write => "write",
            Role::Admin => "admin",
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "read" => Ok(Role::Read),
            "write" => Ok(Role::Write),
            "admin" => Ok(Role::Admin),
            other => Err(format!("unknown role `{other}` (admin, write or read)")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: String,
    pub name: String,
}

/// Where a booking stands, independent of the tracking status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingState {
    /// The carrier call is in progress; the order reference is reserved.
    Booking,
    /// The carrier confirmed the booking (AWB known).
    Confirmed,
    /// The carrier call may have booked it but gave no answer: reconcile before retrying.
    PendingConfirmation,
    /// Reconciliation found no booking and the carrier refused a new one; the order
    /// reference is free to be booked again.
    Failed,
}

impl BookingState {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingState::Booking => "booking",
            BookingState::Confirmed => "confirmed",
            BookingState::PendingConfirmation => "pending_confirmation",
            BookingState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "booking" => Some(BookingState::Booking),
            "confirmed" => Some(BookingState::Confirmed),
            "pending_confirmation" => Some(BookingState::PendingConfirmation),
            "failed" => Some(BookingState::Failed),
            _ => None,
        }
    }
}

/// What is written when a booking starts.
#[derive(Debug, Clone)]
pub struct NewShipment {
    pub id: String,
    pub tenant_id: String,
    pub package_no: i64,
    /// The carrier id, and the account booking it (the request may name either).
    pub carrier: String,
    pub carrier_account: String,
    pub request: ShipmentRequest,
    /// The destination's score and what the tenant's address policy made of it.
    pub address_quality: Option<AddressQuality>,
}

/// A booking's address quality (issue 17): the score of its destination
/// (`carriers::address_quality`) and what the tenant's address policy made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AddressQuality {
    /// 0 to 100.
    pub score: u8,
    pub band: carriers::address_quality::Band,
    /// Worst first, each at the pointer of its field in the booking (`/to/postal_code`).
    pub reasons: Vec<carriers::address_quality::Reason>,
    /// Whether the tenant's address policy flagged the shipment for a look.
    pub flagged: bool,
    /// The policy rule that decided; null when none matched.
    pub rule: Option<String>,
    /// The version of the address policy applied (0: the built-in default).
    pub policy_version: i64,
}

#[derive(Debug, Clone)]
pub struct ShipmentRecord {
    pub id: String,
    pub tenant_id: String,
    pub order_ref: String,
    pub package_no: i64,
    pub carrier: String,
    /// The account that booked it; tracking and cancellation use the same one.
    pub carrier_account: String,
    pub service: Option<String>,
    pub awb: Option<String>,
    pub status: Status,
    pub sub_status: SubStatus,
    pub kind: ShipmentKind,
    pub booking_state: BookingState,
    pub label_format: LabelFormat,
    pub request: ShipmentRequest,
    pub carrier_refs: BTreeMap<String, String>,
    pub routing_code: Option<String>,
    pub charged: Option<carriers::schema::Money>,
    /// Why the booking failed (state `failed`).
    pub failure: Option<String>,
    /// Failed delivery attempts (NDR events) on the timeline so far.
    pub ndr_attempts: i64,
    /// `None` for shipments booked before addresses were scored.
    pub address_quality: Option<AddressQuality>,
    /// The date promised at booking: the carrier's, or the lane's median transit
    /// (`analytics`); `None` when neither was known.
    pub estimated_delivery: Option<chrono::NaiveDate>,
    /// Opens the buyer's tracking page (`/t/{token}`); `None` only for a row written
    /// without one, which no booking does.
    pub tracking_token: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ShipmentRecord {
    pub fn shipment_ref(&self) -> carriers::schema::ShipmentRef {
        carriers::schema::ShipmentRef {
            shipment_id: self.id.clone(),
            order_ref: self.order_ref.clone(),
            awb: self.awb.clone(),
            carrier_refs: self.carrier_refs.clone(),
        }
    }

    pub fn is_terminal(&self) -> bool {
        self.sub_status.is_terminal()
    }
}

/// A stored tracking event: the unified event plus when shipgate received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EventRecord {
    #[serde(flatten)]
    pub event: TrackingEvent,
    pub received_at: DateTime<Utc>,
}

pub(crate) fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}
