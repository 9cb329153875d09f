//! What every adapter's tracking and push reading shares: one push read as an update,
//! unmapped codes kept (never guessed), and the AWB a shipment is known by.

use serde::de::DeserializeOwned;

use crate::CarrierError;
use crate::schema::TrackingEvent;
use crate::schema::{CreatedShipment, PushedUpdate, ShipmentRef, TrackingUpdate};
use crate::taxonomy::{Status, Unified};

pub use crate::schema::read_pushes;

/// Reads a push body holding one push (`read` turns it into an update): the form the
/// replay tests and the fuzzer check; the gateway takes batches with [`read_pushes`].
pub fn read_push<T: DeserializeOwned>(
    carrier: &str,
    body: &[u8],
    read: impl Fn(T) -> Result<PushedUpdate, CarrierError>,
) -> Result<TrackingUpdate, CarrierError> {
    let push = serde_json::from_slice(body)
        .map_err(|e| CarrierError::bad_response(format!("unreadable {carrier} push: {e}")))?;
    let pushed = read(push)?;
    Ok(TrackingUpdate {
        awb: pushed.awb,
        events: pushed.events,
    })
}

/// The unified status found for a raw code, or `unknown/unmapped` with a warning naming
/// the code, so the mapping file can be completed.
pub fn or_unmapped(carrier: &str, found: Option<Unified>, code: &str) -> Unified {
    found.unwrap_or_else(|| {
        tracing::warn!(carrier, code, "unmapped status; kept as unknown/unmapped");
        Unified::UNMAPPED
    })
}

/// The AWB stored for a shipment, trimmed; `None` when there is none to act on, so the
/// adapter goes by its reference instead.
pub fn stored_awb(shipment: &ShipmentRef) -> Option<&str> {
    crate::kit::lenient::trimmed(shipment.awb.as_deref())
}

/// Events oldest first (a stable sort: scans whose times tie keep the carrier's order),
/// the failed delivery attempts numbered from 1.
pub fn oldest_first(mut events: Vec<TrackingEvent>) -> Vec<TrackingEvent> {
    events.sort_by_key(|e| e.event_time);
    let mut attempts = 0;
    for e in &mut events {
        if e.status == Status::DeliveryFailed {
            attempts += 1;
            e.attempt = Some(attempts);
        }
    }
    events
}

/// A lookup answered by tracking: the booking `found` makes of the update, or `None` when
/// the carrier refused under `not_found` (it holds no such shipment); any other failure
/// unchanged.
pub fn found_by_tracking(
    tracked: Result<TrackingUpdate, CarrierError>,
    not_found: &str,
    found: impl FnOnce(TrackingUpdate) -> CreatedShipment,
) -> Result<Option<CreatedShipment>, CarrierError> {
    match tracked {
        Ok(update) => Ok(Some(found(update))),
        Err(CarrierError::Rejected { code, .. }) if code == not_found => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::PushedUpdate;

    #[test]
    fn one_push_and_unmapped_codes() {
        let read = |awb: String| {
            Ok(PushedUpdate {
                awb,
                reference: None,
                events: Vec::new(),
            })
        };
        assert_eq!(read_push("x", br#""A1""#, read).unwrap().awb, "A1");
        let err = read_push("x", b"nope", read).unwrap_err();
        assert!(err.to_string().contains("unreadable x push"), "{err}");
        assert_eq!(or_unmapped("x", None, "Q"), Unified::UNMAPPED);
        let mut shipment = ShipmentRef {
            shipment_id: "s".into(),
            order_ref: "o".into(),
            awb: Some(" 12 ".into()),
            carrier_refs: Default::default(),
        };
        assert_eq!(stored_awb(&shipment), Some("12"));
        shipment.awb = Some(" ".into());
        assert_eq!(stored_awb(&shipment), None);
    }

    #[test]
    fn events_oldest_first_with_attempts_numbered() {
        let at =
            |h: u32| chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 1, 1, h, 0, 0).unwrap();
        let event = |code: &str, h: u32| {
            let mut e = TrackingEvent::new(Unified::UNMAPPED, code, code, at(h));
            if code.starts_with("ndr") {
                e.status = Status::DeliveryFailed;
            }
            e
        };
        let events = oldest_first(vec![
            event("ndr2", 5),
            event("a", 1),
            event("b", 1),
            event("ndr1", 3),
        ]);
        let codes: Vec<_> = events.iter().map(|e| e.carrier_code.as_str()).collect();
        assert_eq!(codes, ["a", "b", "ndr1", "ndr2"], "stable for ties");
        let attempts: Vec<_> = events.iter().map(|e| e.attempt).collect();
        assert_eq!(attempts, [None, None, Some(1), Some(2)]);
    }

    #[test]
    fn a_lookup_by_tracking_is_none_only_for_not_found() {
        let found = |u: TrackingUpdate| CreatedShipment::new(u.awb, "std", Default::default());
        let update = TrackingUpdate {
            awb: "A1".into(),
            events: Vec::new(),
        };
        let booked = found_by_tracking(Ok(update), "not_found", found).unwrap();
        assert_eq!(booked.map(|b| b.awb).as_deref(), Some("A1"));
        let gone = CarrierError::rejected("not_found", "no such AWB", 200);
        assert_eq!(found_by_tracking(Err(gone), "not_found", found), Ok(None));
        let other = CarrierError::rejected("unauthorized", "bad key", 401);
        assert_eq!(
            found_by_tracking(Err(other.clone()), "not_found", found),
            Err(other)
        );
    }
}
