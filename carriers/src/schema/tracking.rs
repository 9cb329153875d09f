use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::taxonomy::{Status, SubStatus, Unified};

/// One carrier scan translated into the unified taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TrackingEvent {
    pub status: Status,
    pub sub_status: SubStatus,
    /// The carrier's raw code, exactly as sent (kept even when unmapped).
    pub carrier_code: String,
    /// The carrier's raw status text.
    pub carrier_status: String,
    /// Free-text remark from the carrier, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Carrier time converted to UTC using the carrier's zone.
    pub event_time: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ndr_reason: Option<String>,
    pub action_required: bool,
    pub terminal: bool,
}

impl TrackingEvent {
    pub fn new(
        unified: Unified,
        carrier_code: impl Into<String>,
        carrier_status: impl Into<String>,
        event_time: DateTime<Utc>,
    ) -> Self {
        let ndr = unified.status == Status::DeliveryFailed;
        TrackingEvent {
            status: unified.status,
            sub_status: unified.sub_status,
            carrier_code: carrier_code.into(),
            carrier_status: carrier_status.into(),
            description: None,
            location: None,
            event_time,
            attempt: None,
            ndr_reason: ndr.then(|| unified.sub_status.to_string()),
            action_required: unified.sub_status.action_required(),
            terminal: unified.sub_status.is_terminal(),
        }
    }

    pub fn with_location(mut self, location: Option<String>) -> Self {
        self.location = location.filter(|l| !l.trim().is_empty());
        self
    }

    pub fn with_description(mut self, description: Option<String>) -> Self {
        self.description = description.filter(|d| !d.trim().is_empty());
        self
    }
}

/// What a tracking pull returns: the carrier's full known history for one AWB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingUpdate {
    pub awb: String,
    pub events: Vec<TrackingEvent>,
}

/// What one carrier push says about one shipment: the AWB it names, the client reference
/// when the carrier repeats it (shipgate's shipment id, sent at booking), and the events
/// it carries, oldest first. A push may hold several of these (batched pushes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedUpdate {
    pub awb: String,
    pub reference: Option<String>,
    pub events: Vec<TrackingEvent>,
}
