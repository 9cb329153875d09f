//! Delhivery: every response parser and the push parser.

use carriers::delhivery::{self, Service};
use carriers::mapping::Mapping;
use carriers::schema::{Lane, ShipmentKind};

use carriers::schema::TrackingEvent;

use crate::{Harness, Parser, answers, check, responses};

pub const HARNESS: Harness = Harness {
    carrier: "delhivery",
    samples: Some("delhivery"),
    parsers: &[
        Parser::plain("delhivery_charges", charges),
        Parser::plain("delhivery_pincodes", pincodes),
        Parser::plain("delhivery_create", create),
        Parser::tracking("delhivery_track", track),
        Parser::plain("delhivery_cancel", cancel),
        Parser::plain("delhivery_ndr", ndr),
        Parser::tracking("delhivery_webhook", webhook),
    ],
};

fn mapping() -> &'static Mapping {
    delhivery::mapping().expect("the embedded Delhivery mapping parses")
}

/// `/api/kinko/v1/invoice/charges/.json`: a priced quote is positive.
pub fn charges(data: &[u8]) {
    for resp in responses(data) {
        for service in [Service::Surface, Service::Express] {
            check::result(&delhivery::parse_rate_response(&resp, service), |q| {
                if let Some(q) = q {
                    check::quote(q);
                    assert!(q.total.amount > 0, "{q:?}");
                }
            });
        }
    }
}

/// `/c/api/pin-codes/json/`, and the lane decision read from it.
pub fn pincodes(data: &[u8]) {
    for resp in responses(data) {
        check::result(&delhivery::parse_serviceability_response(&resp), |pins| {
            for cod in [false, true] {
                let lane = Lane {
                    pickup_pincode: "110001".into(),
                    delivery_pincode: "400001".into(),
                    cod,
                    kind: ShipmentKind::Forward,
                };
                let _ = delhivery::lane_serviceability(pins, &lane);
            }
        });
    }
}

/// `/api/cmu/create.json` (create and manifest in one call).
pub fn create(data: &[u8]) {
    for resp in responses(data) {
        check::result(
            &delhivery::parse_create_response(&resp, Service::Surface),
            |created| assert!(!created.awb.trim().is_empty()),
        );
    }
}

/// `/api/v1/packages/json/`: tracking by waybill, and the lookup by reference.
pub fn track(data: &[u8]) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    for resp in responses(data) {
        check::result(
            &delhivery::parse_track_response_all(mapping(), &resp),
            |all| {
                assert!(!all.is_empty());
                all.iter().for_each(check::tracking);
                if resp.status == 200 {
                    events.extend(all.iter().flat_map(|u| u.events.clone()));
                }
            },
        );
        check::result(
            &delhivery::parse_lookup_response(&resp, "sg_ref"),
            |found| {
                if let Some(created) = found {
                    assert!(!created.awb.trim().is_empty());
                }
            },
        );
    }
    events
}

/// `/api/p/edit` (cancel; XML).
pub fn cancel(data: &[u8]) {
    answers(data, delhivery::parse_cancel_response, |_| ());
}

/// `/api/p/update` (an upload id) and `/api/cmu/get_bulk_upl/<id>` (its status): an id
/// is never blank, and a status read is taken with that id as its reference.
pub fn ndr(data: &[u8]) {
    answers(data, delhivery::parse_ndr_response, |id| {
        assert!(id.starts_with("UPL") && id.len() > 3, "{id}");
    });
    answers(
        data,
        |resp| delhivery::parse_ndr_status_response(resp, "2999000000001", "UPL1"),
        |outcome| {
            assert!(outcome.accepted);
            assert_eq!(outcome.carrier_ref.as_deref(), Some("UPL1"));
        },
    );
}

/// Scan pushes: one object or a batch.
pub fn webhook(data: &[u8]) -> Vec<TrackingEvent> {
    check::push_events(
        &delhivery::parse_pushes(mapping(), data),
        &delhivery::parse_webhook(mapping(), data),
    )
}
