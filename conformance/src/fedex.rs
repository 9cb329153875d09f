//! FedEx: every answer reader and the push reader.

use carriers::fedex;
use carriers::mapping::Mapping;
use carriers::schema::{Address, Phone, PostalCode, TrackingEvent};

use crate::{Harness, Parser, answers, check, responses};

pub const HARNESS: Harness = Harness {
    carrier: "fedex",
    samples: Some("fedex"),
    parsers: &[
        Parser::plain("fedex_rates", rates),
        Parser::plain("fedex_create", create),
        Parser::tracking("fedex_track", track),
        Parser::plain("fedex_cancel", cancel),
        Parser::plain("fedex_pickup", pickup),
        Parser::plain("fedex_address", address),
        Parser::plain("fedex_documents", documents),
        Parser::plain("fedex_upload", upload),
        Parser::tracking("fedex_webhook", webhook),
    ],
};

fn mapping() -> &'static Mapping {
    fedex::mapping().expect("the embedded FedEx mapping parses")
}

/// `/rate/v1/rates/quotes`: every quote is positive and in a known currency.
pub fn rates(data: &[u8]) {
    answers(data, fedex::parse_rate_response, |quotes| {
        for q in quotes {
            check::quote(q);
            assert!(q.total.amount > 0, "{q:?}");
        }
    });
}

/// `/ship/v1/shipments`: an AWB, labels that are what they claim.
pub fn create(data: &[u8]) {
    answers(data, fedex::parse_create_response, |created| {
        assert!(!created.awb.trim().is_empty());
        for label in &created.labels {
            assert!(!label.content.is_empty());
        }
        for doc in &created.documents {
            assert!(doc.content.starts_with(b"%PDF"));
        }
    });
}

/// `/track/v1/trackingnumbers`, and the reference search of a lookup (same shape).
pub fn track(data: &[u8]) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    for resp in responses(data) {
        check::result(&fedex::parse_track_response_all(mapping(), &resp), |all| {
            assert!(!all.is_empty());
            all.iter().for_each(check::tracking);
            if resp.status == 200 {
                events.extend(all.iter().flat_map(|u| u.events.clone()));
            }
        });
        check::result(&fedex::parse_lookup_response(&resp, "sg_ref"), |found| {
            if let Some(created) = found {
                assert!(!created.awb.trim().is_empty());
            }
        });
    }
    events
}

/// `PUT /ship/v1/shipments/cancel`.
pub fn cancel(data: &[u8]) {
    answers(data, fedex::parse_cancel_response, |_| ());
}

/// `/pickup/v1/pickups` and its cancel: an id that cancels (`location|code` or a code).
pub fn pickup(data: &[u8]) {
    answers(data, fedex::parse_pickup_response, |(id, _)| {
        assert!(!id.trim().is_empty() && !id.ends_with('|'), "{id}");
    });
    answers(data, fedex::parse_pickup_cancel_response, |_| ());
}

fn sent() -> Address {
    Address {
        name: "Conformance".into(),
        phone: Phone::parse("2125550100", "US").unwrap(),
        email: None,
        line1: "350 Fifth Avenue".into(),
        line2: None,
        landmark: None,
        city: "New York".into(),
        state: Some("NY".into()),
        postal_code: PostalCode::parse("10118", "US").unwrap(),
        country: "US".into(),
    }
}

/// `/address/v1/addresses/resolve`: a suggestion only for a deliverable address.
pub fn address(data: &[u8]) {
    answers(
        data,
        |r| fedex::parse_address_response(r, &sent()),
        |verdict| {
            assert!(verdict.deliverable || verdict.suggestion.is_none());
        },
    );
}

/// `/track/v1/trackingdocuments`: a proof of delivery is a PDF.
pub fn documents(data: &[u8]) {
    answers(data, fedex::parse_proof_of_delivery_response, |doc| {
        assert!(doc.content.starts_with(b"%PDF-"));
    });
}

/// `/documents/v1/etds/upload`: a document id, never blank.
pub fn upload(data: &[u8]) {
    answers(data, fedex::parse_etd_upload_response, |uploaded| {
        let id = &uploaded.carrier_document_id;
        assert!(!id.is_empty() && id.trim() == id, "{id:?}");
    });
}

/// Tracking webhook pushes: a Track API answer or one track result.
pub fn webhook(data: &[u8]) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    check::result(&fedex::parse_pushes(mapping(), data), |pushed| {
        check::pushes(pushed);
        events.extend(pushed.iter().flat_map(|u| u.events.iter().cloned()));
    });
    events
}
