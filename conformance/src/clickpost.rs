//! ClickPost: every answer reader and the push reader.

use carriers::clickpost::{self, Placed};
use carriers::mapping::Mapping;
use carriers::schema::{Lane, ShipmentKind, TrackingEvent};

use crate::{Harness, Parser, answers, check, responses};

pub const HARNESS: Harness = Harness {
    carrier: "clickpost",
    samples: Some("clickpost"),
    parsers: &[
        Parser::plain("clickpost_serviceability", serviceability),
        Parser::plain("clickpost_create", create),
        Parser::plain("clickpost_label", label),
        Parser::tracking("clickpost_tracking", tracking),
        Parser::plain("clickpost_cancel", cancel),
        Parser::plain("clickpost_ndr", ndr),
        Parser::plain("clickpost_pickup", pickup),
        Parser::plain("clickpost_awb_register", awb_register),
        Parser::tracking("clickpost_webhook", webhook),
        Parser::plain("clickpost_webhook_register", webhook_register),
    ],
};

fn mapping() -> &'static Mapping {
    clickpost::mapping().expect("the embedded ClickPost mapping parses")
}

fn placed(p: &Placed) {
    if let Placed::Booked(b) = p {
        assert!(!b.awb.trim().is_empty(), "{b:?}");
    }
}

/// Serviceability v1 (quotes, one freight line each) and v2 (the lane decision and the
/// accounts that fit it).
pub fn serviceability(data: &[u8]) {
    for resp in responses(data) {
        for cod in [false, true] {
            check::result(&clickpost::parse_rate_response(&resp, cod), |quotes| {
                for q in quotes {
                    check::quote(q);
                    assert!(q.service.contains(':'), "{q:?}");
                    let lines: i64 = q.breakdown.iter().map(|c| c.amount.amount).sum();
                    assert_eq!(lines, q.total.amount, "{q:?}");
                }
            });
            let lane = Lane {
                pickup_pincode: "110001".into(),
                delivery_pincode: "560001".into(),
                cod,
                kind: ShipmentKind::Forward,
            };
            check::result(
                &clickpost::parse_serviceability_response(&resp, &lane),
                |(verdict, accounts)| assert_eq!(verdict.is_serviceable(), !accounts.is_empty()),
            );
        }
    }
}

/// Create v3 (200, 323, 102, 319) and the lookup by reference.
pub fn create(data: &[u8]) {
    for resp in responses(data) {
        check::result(&clickpost::parse_create_response(&resp), placed);
        check::result(&clickpost::parse_lookup_response(&resp), |found| {
            found.iter().for_each(placed)
        });
    }
}

/// The label PDF downloaded from ClickPost's link.
pub fn label(data: &[u8]) {
    answers(data, clickpost::parse_label_download, |pdf| {
        assert!(pdf.starts_with(b"%PDF-"))
    });
}

/// `GET /api/v2/track-order/`.
pub fn tracking(data: &[u8]) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    for resp in responses(data) {
        check::result(
            &clickpost::parse_track_response(mapping(), "69590558973", &resp),
            |update| {
                check::tracking(update);
                if resp.status == 200 {
                    events.extend(update.events.clone());
                }
            },
        );
    }
    events
}

pub fn cancel(data: &[u8]) {
    answers(data, clickpost::parse_cancel_response, |o| {
        assert!(!o.carrier_message.trim().is_empty())
    });
}

pub fn ndr(data: &[u8]) {
    answers(data, clickpost::parse_ndr_response, |outcome| {
        assert!(outcome.accepted && !outcome.carrier_message.trim().is_empty());
    });
}

pub fn pickup(data: &[u8]) {
    let date = "2026-12-08".parse().expect("a date");
    answers(
        data,
        |resp| clickpost::parse_pickup_response(resp, date),
        |p| assert!(!p.pickup_id.trim().is_empty()),
    );
}

pub fn awb_register(data: &[u8]) {
    answers(data, clickpost::parse_awb_register_response, |_| ());
}

/// Webhook pushes: one object, or a batch.
pub fn webhook(data: &[u8]) -> Vec<TrackingEvent> {
    check::push_events(
        &clickpost::parse_pushes(mapping(), data),
        &clickpost::parse_webhook(mapping(), data),
    )
}

/// The webhook register answer: the key pushes will carry.
pub fn webhook_register(data: &[u8]) {
    answers(data, clickpost::parse_webhook_register_response, |key| {
        assert!(!key.trim().is_empty())
    });
}
