//! Which outbound event types a stored tracking change announces, and the payload.
//!
//! Every new event on a timeline is a `tracking.updated`. On top of that, an event that
//! moves the shipment's status (as the timeline fold of `store::events` decides: a late,
//! older scan or one a terminal state ignores moves nothing) announces the milestone it
//! reaches: delivered, a failed delivery (each one: every attempt is an NDR to act on),
//! the start of a return to origin, an exception, a cancellation. A booking confirmed is
//! a `shipment.created`. Deriving milestones from the fold, not from raw scans, means the
//! OMS hears "delivered" once, and never for a shipment that is not delivered.

use carriers::schema::TrackingEvent;
use carriers::taxonomy::{Status, Unified};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The event types an endpoint can subscribe to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
pub enum EventType {
    #[serde(rename = "shipment.created")]
    ShipmentCreated,
    #[serde(rename = "tracking.updated")]
    TrackingUpdated,
    #[serde(rename = "shipment.delivered")]
    ShipmentDelivered,
    #[serde(rename = "ndr.raised")]
    NdrRaised,
    #[serde(rename = "rto.initiated")]
    RtoInitiated,
    #[serde(rename = "shipment.exception")]
    ShipmentException,
    #[serde(rename = "shipment.cancelled")]
    ShipmentCancelled,
    /// An NDR action was sent to the carrier (by the API or the tenant's NDR policy).
    #[serde(rename = "ndr.action_requested")]
    NdrActionRequested,
    /// An NDR action moved on: accepted or rejected by the carrier, effective (a later
    /// scan shows it) or expired.
    #[serde(rename = "ndr.action_result")]
    NdrActionResult,
    /// A carrier charged a shipment for more weight than declared, beyond the tolerance.
    #[serde(rename = "weight.discrepancy_flagged")]
    WeightDiscrepancyFlagged,
    /// A return (a shipment of kind `reverse`) was booked: its pickup from the buyer.
    #[serde(rename = "return.created")]
    ReturnCreated,
    /// A COD remittance file was reconciled: its lines counted by outcome.
    #[serde(rename = "cod.remittance_reconciled")]
    CodRemittanceReconciled,
    /// A carrier confirmed a pickup (`store::pickups::PickupMessage`).
    #[serde(rename = "pickup.scheduled")]
    PickupScheduled,
    /// Tracking showed shipments of a pickup not picked up.
    #[serde(rename = "pickup.failed")]
    PickupFailed,
    /// A manifest was made (`store::manifests::ManifestMessage`).
    #[serde(rename = "manifest.created")]
    ManifestCreated,
}

impl EventType {
    pub const ALL: [EventType; 15] = [
        EventType::ShipmentCreated,
        EventType::TrackingUpdated,
        EventType::ShipmentDelivered,
        EventType::NdrRaised,
        EventType::RtoInitiated,
        EventType::ShipmentException,
        EventType::ShipmentCancelled,
        EventType::NdrActionRequested,
        EventType::NdrActionResult,
        EventType::WeightDiscrepancyFlagged,
        EventType::ReturnCreated,
        EventType::CodRemittanceReconciled,
        EventType::PickupScheduled,
        EventType::PickupFailed,
        EventType::ManifestCreated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ShipmentCreated => "shipment.created",
            EventType::TrackingUpdated => "tracking.updated",
            EventType::ShipmentDelivered => "shipment.delivered",
            EventType::NdrRaised => "ndr.raised",
            EventType::RtoInitiated => "rto.initiated",
            EventType::ShipmentException => "shipment.exception",
            EventType::ShipmentCancelled => "shipment.cancelled",
            EventType::NdrActionRequested => "ndr.action_requested",
            EventType::NdrActionResult => "ndr.action_result",
            EventType::WeightDiscrepancyFlagged => "weight.discrepancy_flagged",
            EventType::ReturnCreated => "return.created",
            EventType::CodRemittanceReconciled => "cod.remittance_reconciled",
            EventType::PickupScheduled => "pickup.scheduled",
            EventType::PickupFailed => "pickup.failed",
            EventType::ManifestCreated => "manifest.created",
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The schema of this type's message body in the OpenAPI document.
    pub fn message_schema(self) -> &'static str {
        match self {
            EventType::NdrActionRequested | EventType::NdrActionResult => "NdrActionMessage",
            EventType::ReturnCreated => "ReturnMessage",
            EventType::WeightDiscrepancyFlagged => "WeightDiscrepancyMessage",
            EventType::CodRemittanceReconciled => "CodRemittanceMessage",
            EventType::PickupScheduled | EventType::PickupFailed => "PickupMessage",
            EventType::ManifestCreated => "ManifestMessage",
            _ => "EventMessage",
        }
    }

    /// Whether the message is about an NDR action ([`NdrActionMessage`]) rather than a
    /// tracking event ([`EventMessage`]).
    pub fn is_ndr_action(self) -> bool {
        matches!(
            self,
            EventType::NdrActionRequested | EventType::NdrActionResult
        )
    }
}

/// The milestone announced by an event the fold applied, taking the shipment from
/// `before` to `after` (the event's own status). `None` when it reaches none.
pub fn milestone(before: Option<Unified>, after: Unified) -> Option<EventType> {
    let was = |status: Status| before.is_some_and(|b| b.status == status);
    match after.status {
        Status::Delivered if !was(Status::Delivered) => Some(EventType::ShipmentDelivered),
        // Every failed attempt is an NDR, even right after another one.
        Status::DeliveryFailed => Some(EventType::NdrRaised),
        Status::Rto if !was(Status::Rto) => Some(EventType::RtoInitiated),
        Status::Exception if before != Some(after) => Some(EventType::ShipmentException),
        Status::Cancelled if !was(Status::Cancelled) => Some(EventType::ShipmentCancelled),
        _ => None,
    }
}

/// What a payload says about the shipment: where it stands now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShipmentSummary {
    pub id: String,
    pub order_ref: String,
    pub carrier: String,
    pub awb: Option<String>,
    /// `forward` or `reverse`.
    pub kind: String,
    pub status: Option<carriers::taxonomy::Status>,
    pub sub_status: Option<carriers::taxonomy::SubStatus>,
    pub ndr_attempts: i64,
    /// The secret in the buyer's tracking page link (pass it on to the buyer only).
    pub tracking_token: Option<String>,
    /// The buyer's tracking page: absolute when the gateway's `http.public_url` is
    /// configured, else the path `/t/{tracking_token}`.
    pub tracking_url: Option<String>,
}

impl ShipmentSummary {
    /// `tracking_token` and the `tracking_url` it opens.
    pub fn tracking(token: Option<String>) -> (Option<String>, Option<String>) {
        let url = token.as_deref().map(crate::tracking_page::tracking_url);
        (token, url)
    }
}

/// The body of every message: what happened, when, and where the shipment stands. The
/// OpenAPI document's `webhooks` describe it per event type (`api::outbound_events`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventMessage {
    /// The event type; a receiver subscribed to fewer types never sees the others.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// When the event was stored (RFC 3339, UTC, milliseconds).
    #[schema(format = DateTime)]
    pub timestamp: String,
    pub data: EventData,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventData {
    pub shipment: ShipmentSummary,
    pub event: MessageEvent,
}

/// The tracking event that made the message, with when shipgate received it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageEvent {
    #[serde(flatten)]
    pub event: TrackingEvent,
    /// When shipgate received the event (RFC 3339, UTC, milliseconds).
    #[schema(format = DateTime)]
    pub received_at: String,
}

/// The body sent: `{"type", "timestamp", "data": {"shipment", "event"}}`.
pub fn payload(
    event_type: EventType,
    at: DateTime<Utc>,
    shipment: &ShipmentSummary,
    event: &TrackingEvent,
    received_at: DateTime<Utc>,
) -> String {
    let message = EventMessage {
        event_type,
        timestamp: at.to_rfc3339_opts(SecondsFormat::Millis, true),
        data: EventData {
            shipment: shipment.clone(),
            event: MessageEvent {
                event: event.clone(),
                received_at: received_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            },
        },
    };
    serde_json::to_string(&message).expect("messages serialise")
}

/// An NDR action as the API and the webhook messages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NdrActionSummary {
    /// `nda_…`.
    pub id: String,
    /// `reattempt`, `reschedule`, `change_address`, `change_phone` or `rto`.
    pub action: String,
    /// The action's `date`, `address` or `phone`, as given.
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    pub state: crate::store::NdrState,
    /// `api`, `buyer` (on the tracking page), or `policy:<rule name>` when the tenant's
    /// NDR policy decided it.
    pub source: String,
    /// The failed delivery attempt it answers (1 for the first).
    pub attempt: i64,
    /// What the carrier said, in its words.
    pub carrier_message: Option<String>,
    /// The carrier's reference for the instruction, where it gives one.
    pub carrier_ref: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    /// When it became `effective` or `expired`.
    pub settled_at: Option<DateTime<Utc>>,
}

/// The body of an NDR action message: `{"type", "timestamp", "data": {"shipment",
/// "ndr_action"}}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NdrActionMessage {
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// When the change was stored (RFC 3339, UTC, milliseconds).
    #[schema(format = DateTime)]
    pub timestamp: String,
    pub data: NdrActionData,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NdrActionData {
    pub shipment: ShipmentSummary,
    pub ndr_action: NdrActionSummary,
}

pub fn ndr_payload(
    event_type: EventType,
    at: DateTime<Utc>,
    shipment: &ShipmentSummary,
    action: &NdrActionSummary,
) -> String {
    let message = NdrActionMessage {
        event_type,
        timestamp: at.to_rfc3339_opts(SecondsFormat::Millis, true),
        data: NdrActionData {
            shipment: shipment.clone(),
            ndr_action: action.clone(),
        },
    };
    serde_json::to_string(&message).expect("messages serialise")
}

/// A carrier's charged weight against the declared one, as the API and the webhook
/// messages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WeightDiscrepancyView {
    pub shipment_id: String,
    pub carrier: String,
    pub awb: String,
    /// The declared chargeable weight: per parcel the larger of dead and volumetric
    /// weight (by the carrier's divisor), summed.
    pub declared_g: i64,
    /// The weight the carrier charged.
    pub charged_g: i64,
    /// `charged_g − declared_g`.
    pub difference_g: i64,
    /// The difference allowed before it is flagged.
    pub tolerance_g: i64,
    /// What the extra weight costs at the carrier account's rate card (total with
    /// surcharges and tax); null when no card prices the shipment (`impact_note` says why).
    pub impact: Option<carriers::schema::Money>,
    pub impact_note: Option<String>,
    /// `open` (flagged), `disputed`, `accepted` (the dispute won: the declared weight
    /// stands), `rejected` (the charged weight stands); null within tolerance.
    pub state: Option<String>,
    /// The import that brought the charge.
    pub import_id: String,
    pub flagged_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// The body of a `weight.discrepancy_flagged` message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WeightDiscrepancyMessage {
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// When the discrepancy was stored (RFC 3339, UTC, milliseconds).
    #[schema(format = DateTime)]
    pub timestamp: String,
    pub data: WeightDiscrepancyData,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WeightDiscrepancyData {
    pub shipment: ShipmentSummary,
    pub weight_discrepancy: WeightDiscrepancyView,
}

pub fn weight_payload(
    at: DateTime<Utc>,
    shipment: &ShipmentSummary,
    discrepancy: &WeightDiscrepancyView,
) -> String {
    let message = WeightDiscrepancyMessage {
        event_type: EventType::WeightDiscrepancyFlagged,
        timestamp: at.to_rfc3339_opts(SecondsFormat::Millis, true),
        data: WeightDiscrepancyData {
            shipment: shipment.clone(),
            weight_discrepancy: discrepancy.clone(),
        },
    };
    serde_json::to_string(&message).expect("messages serialise")
}

/// A return as the `return.created` message shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnSummary {
    /// The forward shipment it returns; null for a return booked without one.
    pub forward_shipment_id: Option<String>,
    #[schema(value_type = String)]
    pub reason: carriers::families::ReturnReason,
    pub comment: Option<String>,
    /// The doorstep quality check asked for, if any.
    #[schema(value_type = Option<Object>)]
    pub qc: Option<carriers::families::QcCheck>,
}

/// The body of a `return.created` message: `{"type", "timestamp", "data": {"shipment",
/// "return"}}`, `shipment` being the return itself (kind `reverse`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnMessage {
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// When the return was booked (RFC 3339, UTC, milliseconds).
    #[schema(format = DateTime)]
    pub timestamp: String,
    pub data: ReturnData,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReturnData {
    pub shipment: ShipmentSummary,
    #[serde(rename = "return")]
    pub return_: ReturnSummary,
}

pub fn return_payload(
    at: DateTime<Utc>,
    shipment: &ShipmentSummary,
    ret: &ReturnSummary,
) -> String {
    let message = ReturnMessage {
        event_type: EventType::ReturnCreated,
        timestamp: at.to_rfc3339_opts(SecondsFormat::Millis, true),
        data: ReturnData {
            shipment: shipment.clone(),
            return_: ret.clone(),
        },
    };
    serde_json::to_string(&message).expect("messages serialise")
}

/// A reconciled COD remittance file as the API and the webhook messages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodRemittanceSummary {
    /// `codr_…`.
    pub id: String,
    /// `delhivery`, `shiprocket` or `generic`.
    pub layout: String,
    /// The layout's carrier; null for the generic layout.
    pub carrier: Option<String>,
    /// `upload`, or `sftp:<source id>` for a file pulled from a carrier's SFTP folder.
    pub source: String,
    pub file_name: Option<String>,
    /// SHA-256 of the file's bytes (hex): the same content is reconciled once.
    pub content_sha256: String,
    /// Lines in the file.
    pub lines: i64,
    /// Lines by outcome.
    pub counts: CodOutcomeCounts,
    pub created_at: DateTime<Utc>,
}

/// Lines by outcome.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodOutcomeCounts {
    pub matched: i64,
    pub amount_mismatch: i64,
    pub remitted_not_delivered: i64,
    pub unknown_awb: i64,
    pub duplicate_line: i64,
}

impl CodRemittanceSummary {
    pub fn of(r: &crate::store::RemittanceRow) -> CodRemittanceSummary {
        use crate::store::CodOutcome as O;
        let n = |o: O| r.counts.get(&o).copied().unwrap_or(0);
        CodRemittanceSummary {
            id: r.id.clone(),
            layout: r.layout.clone(),
            carrier: r.carrier.clone(),
            source: r.source.clone(),
            file_name: r.file_name.clone(),
            content_sha256: r.content_sha256.clone(),
            lines: r.lines,
            counts: CodOutcomeCounts {
                matched: n(O::Matched),
                amount_mismatch: n(O::AmountMismatch),
                remitted_not_delivered: n(O::RemittedNotDelivered),
                unknown_awb: n(O::UnknownAwb),
                duplicate_line: n(O::DuplicateLine),
            },
            created_at: DateTime::from_timestamp_millis(r.created_at).unwrap_or_default(),
        }
    }
}

/// The body of a `cod.remittance_reconciled` message: `{"type", "timestamp", "data":
/// {"remittance"}}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodRemittanceMessage {
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// When the remittance was stored (RFC 3339, UTC, milliseconds).
    #[schema(format = DateTime)]
    pub timestamp: String,
    pub data: CodRemittanceData,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodRemittanceData {
    pub remittance: CodRemittanceSummary,
}

pub fn cod_payload(at: DateTime<Utc>, remittance: &CodRemittanceSummary) -> String {
    let message = CodRemittanceMessage {
        event_type: EventType::CodRemittanceReconciled,
        timestamp: at.to_rfc3339_opts(SecondsFormat::Millis, true),
        data: CodRemittanceData {
            remittance: remittance.clone(),
        },
    };
    serde_json::to_string(&message).expect("messages serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use carriers::taxonomy::SubStatus;

    fn u(sub: SubStatus) -> Unified {
        Unified::new(sub)
    }

    #[test]
    fn milestones_follow_status_transitions() {
        use EventType::*;
        let ofd = Some(u(SubStatus::OutForDelivery));
        assert_eq!(
            milestone(ofd, u(SubStatus::Delivered)),
            Some(ShipmentDelivered)
        );
        assert_eq!(
            milestone(
                Some(u(SubStatus::Delivered)),
                u(SubStatus::DeliveredToNeighbor)
            ),
            None
        );
        assert_eq!(
            milestone(ofd, u(SubStatus::CustomerUnavailable)),
            Some(NdrRaised)
        );
        assert_eq!(
            milestone(
                Some(u(SubStatus::CustomerUnavailable)),
                u(SubStatus::CustomerUnavailable)
            ),
            Some(NdrRaised)
        );
        assert_eq!(
            milestone(Some(u(SubStatus::Refused)), u(SubStatus::RtoInitiated)),
            Some(RtoInitiated)
        );
        assert_eq!(
            milestone(Some(u(SubStatus::RtoInitiated)), u(SubStatus::RtoInTransit)),
            None
        );
        assert_eq!(milestone(None, u(SubStatus::Lost)), Some(ShipmentException));
        assert_eq!(
            milestone(Some(u(SubStatus::Lost)), u(SubStatus::Lost)),
            None
        );
        assert_eq!(
            milestone(ofd, u(SubStatus::Cancelled)),
            Some(ShipmentCancelled)
        );
        assert_eq!(milestone(None, u(SubStatus::InTransit)), None);
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
        }
    }
}
