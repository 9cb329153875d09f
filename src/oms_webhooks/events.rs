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
    pub const ALL: [EventType; 12] = [
        EventType::ShipmentCreated,
        EventType::TrackingUpdated,
        EventType::ShipmentDelivered,
        EventType::NdrRaised,
        EventType::RtoInitiated,
        EventType::ShipmentException,
        EventType::ShipmentCancelled,
        EventType::NdrActionRequested,
        EventType::NdrActionResult,
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
    /// `api`, or `policy:<rule name>` when the tenant's NDR policy decided it.
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
