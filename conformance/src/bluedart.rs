//! Blue Dart: every answer reader (login, location finder, waybill, cancel, XML tracking
//! with the lookup by reference) and the push reader (Lite, Plus and Advance).

use carriers::bluedart::{self, Service};
use carriers::mapping::Mapping;
use carriers::schema::{Lane, ShipmentKind, TrackingEvent};

use crate::{Harness, Parser, answers, check, responses};

pub const HARNESS: Harness = Harness {
    carrier: "bluedart",
    samples: Some("bluedart"),
    parsers: &[
        Parser::plain("bluedart_login", login),
        Parser::plain("bluedart_pincode", pincode),
        Parser::plain("bluedart_create", create),
        Parser::plain("bluedart_cancel", cancel),
        Parser::plain("bluedart_pickup", pickup),
        Parser::tracking("bluedart_track", track),
        Parser::tracking("bluedart_webhook", webhook),
    ],
};

fn mapping() -> &'static Mapping {
    bluedart::mapping().expect("the embedded Blue Dart mapping parses")
}

/// `GET /token/v1/login`: a token is never blank.
pub fn login(data: &[u8]) {
    answers(data, bluedart::parse_login, |token| {
        assert!(!token.value.trim().is_empty());
    });
}

/// `GetServicesforPincode`, and the lane decision read from it for both ends.
pub fn pincode(data: &[u8]) {
    answers(data, bluedart::parse_pincode, |found| {
        for cod in [false, true] {
            let lane = Lane {
                pickup_pincode: "110001".into(),
                delivery_pincode: "560001".into(),
                cod,
                kind: ShipmentKind::Forward,
            };
            let _ = bluedart::lane_serviceability(found.as_ref(), found.as_ref(), &lane);
            if let Some(found) = found {
                let _ = found.is_oda();
            }
        }
    });
}

/// `GenerateWayBill`: an AWB is never blank, a label kept is a PDF.
pub fn create(data: &[u8]) {
    answers(
        data,
        |resp| bluedart::parse_create(resp, Service::APEX),
        |created| {
            assert!(!created.awb.trim().is_empty());
            for label in &created.labels {
                assert!(label.content.starts_with(b"%PDF"));
            }
        },
    );
}

/// `CancelWaybill`.
pub fn cancel(data: &[u8]) {
    answers(data, bluedart::parse_cancel, |outcome| {
        assert!(!outcome.carrier_message.trim().is_empty());
    });
}

/// `RegisterPickup` (a token is never blank) and `CancelPickup`.
pub fn pickup(data: &[u8]) {
    answers(
        data,
        |resp| bluedart::pickups::parse_pickup(resp, Default::default()),
        |pickup| assert!(!pickup.pickup_id.trim().is_empty()),
    );
    answers(data, bluedart::pickups::parse_pickup_cancel, |_| ());
}

/// The XML tracking answer, by waybill and as the lookup by reference.
pub fn track(data: &[u8]) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    for resp in responses(data) {
        check::result(
            &bluedart::parse_track(mapping(), &resp, "50123456781"),
            |update| {
                check::tracking(update);
                if resp.status == 200 {
                    events.extend(update.events.iter().cloned());
                }
            },
        );
        check::result(&bluedart::parse_lookup(&resp, "sg_ref"), |found| {
            if let Some(created) = found {
                assert!(!created.awb.trim().is_empty());
            }
        });
    }
    events
}

/// Status pushes, any product.
pub fn webhook(data: &[u8]) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    check::result(&bluedart::parse_pushes(mapping(), data), |pushed| {
        check::pushes(pushed);
        events.extend(pushed.iter().flat_map(|u| u.events.iter().cloned()));
    });
    events
}
