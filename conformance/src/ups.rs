//! UPS: every answer reader and the Track Alert push reader.

use carriers::kit::session::Login;
use carriers::mapping::Mapping;
use carriers::schema::{Address, AddressInput, TrackingEvent, Violations};
use carriers::ups;

use crate::{Harness, Parser, check, responses};

pub const HARNESS: Harness = Harness {
    carrier: "ups",
    samples: Some("ups"),
    parsers: &[
        Parser::plain("ups_login", login),
        Parser::plain("ups_rates", rates),
        Parser::plain("ups_ship", ship),
        Parser::plain("ups_label", label),
        Parser::plain("ups_void", void),
        Parser::tracking("ups_track", track),
        Parser::plain("ups_pickup", pickup),
        Parser::plain("ups_address", address),
        Parser::plain("ups_documents", documents),
        Parser::plain("ups_upload", upload),
        Parser::plain("ups_subscription", subscription),
        Parser::tracking("ups_webhook", webhook),
    ],
};

fn mapping() -> &'static Mapping {
    ups::mapping().expect("the embedded UPS mapping parses")
}

/// `/security/v1/oauth/token`: a token is never blank.
pub fn login(data: &[u8]) {
    let login = ups::UpsLogin::new("id", "secret");
    for resp in responses(data) {
        check::result(&login.parse(&resp), |token| {
            assert!(!token.value.trim().is_empty())
        });
    }
}

/// `/api/rating/{version}/Shoptimeintransit`: every quote positive, in a real currency.
pub fn rates(data: &[u8]) {
    for resp in responses(data) {
        check::result(&ups::parse_rate_response(&resp), |quotes| {
            for q in quotes {
                check::quote(q);
                assert!(q.total.amount > 0, "{q:?}");
            }
        });
    }
}

/// `/api/shipments/{version}/ship` (bookings and returns): a shipment number, labels
/// that are what they claim.
pub fn ship(data: &[u8]) {
    for resp in responses(data) {
        check::result(&ups::parse_create_response(&resp, "03"), |created| {
            assert!(!created.awb.trim().is_empty());
            for label in &created.labels {
                assert!(!label.content.is_empty());
            }
            if let Some(charged) = &created.charged {
                check::money(charged);
            }
        });
    }
}

/// `/api/labels/v1/recovery`.
pub fn label(data: &[u8]) {
    for resp in responses(data) {
        check::result(&ups::parse_label_response(&resp, "1Z0"), |label| {
            assert!(!label.content.is_empty())
        });
    }
}

/// `/api/track/v1/details/{n}?returnPOD=true`: UPS's letter, HTML or PDF, never empty.
pub fn documents(data: &[u8]) {
    for resp in responses(data) {
        check::result(
            &ups::parse_proof_of_delivery_response(&resp, "1Z0"),
            |doc| {
                assert!(!doc.content.is_empty());
                assert!(["text/html", "application/pdf"].contains(&doc.content_type.as_str()));
            },
        );
    }
}

/// `/api/paperlessdocuments/v2/upload` and `/image`: a Forms History id never blank.
pub fn upload(data: &[u8]) {
    for resp in responses(data) {
        check::result(&ups::parse_paperless_upload_response(&resp), |uploaded| {
            let id = &uploaded.carrier_document_id;
            assert!(!id.is_empty() && id.trim() == id, "{id:?}");
        });
        check::result(&ups::parse_paperless_push_response(&resp), |group| {
            assert!(group.as_ref().is_none_or(|g| !g.is_empty()));
        });
    }
}

/// `/api/track/v1/subscription/standard/package`: numbers, never blank, in one list.
pub fn subscription(data: &[u8]) {
    for resp in responses(data) {
        check::result(
            &ups::parse_track_alert_response(&resp),
            |(valid, invalid)| {
                assert!(!valid.is_empty() || !invalid.is_empty());
                assert!(
                    valid
                        .iter()
                        .chain(invalid)
                        .all(|n| !n.is_empty() && n.trim() == n)
                );
            },
        );
    }
}

/// `DELETE /api/shipments/{version}/void/cancel/{id}`.
pub fn void(data: &[u8]) {
    for resp in responses(data) {
        check::result(&ups::parse_void_response(&resp), |_| ());
    }
}

/// `/api/track/v1/details/{n}`, and tracking by reference for a lookup.
pub fn track(data: &[u8]) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    for resp in responses(data) {
        check::result(&ups::parse_track_response_all(mapping(), &resp), |all| {
            all.iter().for_each(check::tracking);
            if resp.status == 200 {
                events.extend(all.iter().flat_map(|u| u.events.clone()));
            }
        });
        check::result(&ups::parse_lookup_response(&resp, "sg_ref"), |found| {
            if let Some(created) = found {
                assert!(!created.awb.trim().is_empty());
            }
        });
    }
    events
}

/// Pickup creation (a PRN) and cancel.
pub fn pickup(data: &[u8]) {
    // A date as the parser's own type (the conformance crate takes no date crate).
    let date = serde_json::from_value(serde_json::json!("2026-01-05")).expect("a date");
    for resp in responses(data) {
        check::result(&ups::parse_pickup_response(&resp, date), |p| {
            assert!(!p.pickup_id.trim().is_empty())
        });
        check::result(&ups::parse_pickup_cancel_response(&resp), |_| ());
    }
}

fn asked() -> Address {
    let input: AddressInput = serde_json::from_value(serde_json::json!({
        "name": "A", "phone": "+1 212 555 0100", "line1": "350 5th Ave", "city": "New York",
        "state": "NY", "postal_code": "10118", "country": "US"
    }))
    .expect("an address input");
    Address::parse(&input, "/a", &mut Violations::default()).expect("a valid address")
}

/// `/api/addressvalidation/v2/3`: a verdict, its suggestion (if any) in the asked country.
pub fn address(data: &[u8]) {
    let asked = asked();
    for resp in responses(data) {
        check::result(&ups::parse_address_response(&resp, &asked), |verdict| {
            if let Some(s) = &verdict.suggestion {
                assert!(!s.line1.is_empty());
            }
        });
    }
}

/// Track Alert pushes: one event or a batch.
pub fn webhook(data: &[u8]) -> Vec<TrackingEvent> {
    check::push_events(
        &ups::parse_pushes(mapping(), data),
        &ups::parse_webhook(mapping(), data),
    )
}
