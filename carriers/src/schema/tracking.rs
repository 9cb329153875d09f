use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::taxonomy::{Status, SubStatus, Unified, fold_status};

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

/// A shipment's status after `events`, whatever order they arrived in: they are taken
/// oldest first by event time (a stable sort, so equal times keep the given order) and
/// folded with [`fold_status`].
pub fn status_of<'a>(events: impl IntoIterator<Item = &'a TrackingEvent>) -> Option<Unified> {
    let mut ordered: Vec<&TrackingEvent> = events.into_iter().collect();
    ordered.sort_by_key(|e| e.event_time);
    ordered
        .into_iter()
        .map(|e| Unified {
            status: e.status,
            sub_status: e.sub_status,
        })
        .fold(None, fold_status)
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

/// Reads a carrier push body: one object, as carriers document, or an array of them (some
/// accounts get scans batched). In an array an entry that cannot be read is logged and
/// skipped, so one bad scan does not cost the others; the push is an error only when
/// nothing in it can be read. `read` turns one entry into an update.
pub fn read_pushes<T: serde::de::DeserializeOwned>(
    carrier: &str,
    body: &[u8],
    read: impl Fn(T) -> Result<PushedUpdate, crate::CarrierError>,
) -> Result<Vec<PushedUpdate>, crate::CarrierError> {
    let unreadable = |e: serde_json::Error| {
        crate::CarrierError::bad_response(format!("unreadable {carrier} push: {e}"))
    };
    let value: serde_json::Value = serde_json::from_slice(body).map_err(unreadable)?;
    let serde_json::Value::Array(items) = value else {
        return Ok(vec![read(T::deserialize(value).map_err(unreadable)?)?]);
    };
    let mut pushes = Vec::with_capacity(items.len());
    let mut first_error = None;
    for (i, item) in items.into_iter().enumerate() {
        match T::deserialize(item).map_err(unreadable).and_then(&read) {
            Ok(pushed) => pushes.push(pushed),
            Err(e) => {
                tracing::warn!(carrier, index = i, error = %e, "skipping an unreadable entry of a push");
                first_error.get_or_insert(e);
            }
        }
    }
    match (pushes.is_empty(), first_error) {
        (true, Some(e)) => Err(e),
        (true, None) => Err(crate::CarrierError::bad_response(format!(
            "empty {carrier} push"
        ))),
        (false, _) => Ok(pushes),
    }
}
