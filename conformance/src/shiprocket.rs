//! Shiprocket: every response parser and the push parser.

use std::sync::OnceLock;

use carriers::mapping::Mapping;
use carriers::schema::{Lane, ShipmentKind};
use carriers::shiprocket::{self, AssignedAwb};

use carriers::schema::TrackingEvent;

use crate::{Harness, Parser, answers, check, responses};

pub const HARNESS: Harness = Harness {
    carrier: "shiprocket",
    samples: Some("shiprocket"),
    parsers: &[
        Parser::plain("shiprocket_login", login),
        Parser::plain("shiprocket_serviceability", serviceability),
        Parser::plain("shiprocket_order", order),
        Parser::plain("shiprocket_awb", awb),
        Parser::plain("shiprocket_label", label),
        Parser::tracking("shiprocket_tracking", tracking),
        Parser::plain("shiprocket_cancel", cancel),
        Parser::plain("shiprocket_ndr", ndr),
        Parser::tracking("shiprocket_webhook", webhook),
    ],
};

fn mapping() -> &'static Mapping {
    static MAPPING: OnceLock<Mapping> = OnceLock::new();
    MAPPING.get_or_init(|| shiprocket::mapping().expect("the embedded Shiprocket mapping parses"))
}

fn assigned(awb: &AssignedAwb) {
    assert!(!awb.awb.trim().is_empty(), "{awb:?}");
}

/// `/v1/external/auth/login`: a token is never blank.
pub fn login(data: &[u8]) {
    for resp in responses(data) {
        check::result(&shiprocket::parse_login_response(&resp), |token| {
            assert!(!token.trim().is_empty())
        });
    }
}

/// `/v1/external/courier/serviceability/`: quotes (whose lines add up to their total)
/// and the lane decision.
pub fn serviceability(data: &[u8]) {
    for resp in responses(data) {
        check::result(&shiprocket::parse_rate_response(&resp), |quotes| {
            for q in quotes {
                check::quote(q);
                let lines: i64 = q.breakdown.iter().map(|c| c.amount.amount).sum();
                assert_eq!(lines, q.total.amount, "{q:?}");
            }
        });
        for cod in [false, true] {
            let lane = Lane {
                pickup_pincode: "110001".into(),
                delivery_pincode: "400001".into(),
                cod,
                kind: ShipmentKind::Forward,
            };
            check::result(
                &shiprocket::parse_serviceability_response(&resp, &lane),
                |_| (),
            );
        }
    }
}

/// `/v1/external/orders/create/adhoc`, and the orders search that finds an order again.
pub fn order(data: &[u8]) {
    for resp in responses(data) {
        check::result(&shiprocket::parse_create_order_response(&resp), |order| {
            assert!(!order.shipment_id.trim().is_empty(), "{order:?}");
            order.awb.iter().for_each(assigned);
        });
        check::result(
            &shiprocket::parse_lookup_response(&resp, "sg_ref"),
            |found| {
                if let Some(order) = found {
                    order.awb.iter().for_each(assigned);
                }
            },
        );
    }
}

/// `/v1/external/courier/assign/awb`.
pub fn awb(data: &[u8]) {
    for resp in responses(data) {
        check::result(&shiprocket::parse_assign_awb_response(&resp), assigned);
    }
}

/// `/v1/external/courier/generate/label` and the label download.
pub fn label(data: &[u8]) {
    for resp in responses(data) {
        check::result(&shiprocket::parse_label_response(&resp), |link| {
            assert!(!link.0.trim().is_empty())
        });
        check::result(&shiprocket::parse_label_download(&resp), |pdf| {
            assert!(pdf.starts_with(b"%PDF-"))
        });
    }
}

/// `/v1/external/courier/track/awb/…` and `/track/shipment/…`.
pub fn tracking(data: &[u8]) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    for resp in responses(data) {
        // By AWB: the answer is for an AWB.
        check::result(
            &shiprocket::parse_track_response(mapping(), "19041211125783", &resp),
            |update| {
                check::tracking(update);
                if resp.status == 200 {
                    events.extend(update.events.clone());
                }
            },
        );
        // By shipment id: a shipment not given an AWB yet has none to report.
        check::result(
            &shiprocket::parse_track_response(mapping(), "", &resp),
            |update| check::events(&update.events),
        );
    }
    events
}

/// `/v1/external/orders/cancel/shipment/awbs` and `/orders/cancel`.
pub fn cancel(data: &[u8]) {
    answers(data, shiprocket::parse_cancel_response, |_| ());
}

/// `/v1/external/ndr/{awb}/action`: a taken action has words.
pub fn ndr(data: &[u8]) {
    answers(data, shiprocket::parse_ndr_action_response, |outcome| {
        assert!(outcome.accepted && !outcome.carrier_message.trim().is_empty());
    });
}

/// Tracking pushes: one object or a batch.
pub fn webhook(data: &[u8]) -> Vec<TrackingEvent> {
    check::push_events(
        &shiprocket::parse_pushes(mapping(), data),
        &shiprocket::parse_webhook(mapping(), data),
    )
}
