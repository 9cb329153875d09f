//! DHL Express (MyDHL API): every answer reader.

use carriers::dhl_express::{self, parse_document_response, parse_label_image_response};
use carriers::mapping::Mapping;
use carriers::schema::{Address, DocumentKind, LabelFormat, Phone, PostalCode, TrackingEvent};

use crate::{Harness, Parser, answers, check, responses};

pub const HARNESS: Harness = Harness {
    carrier: "dhl_express",
    samples: Some("dhl-express"),
    parsers: &[
        Parser::plain("dhl_express_rates", rates),
        Parser::plain("dhl_express_create", create),
        Parser::tracking("dhl_express_track", track),
        Parser::plain("dhl_express_documents", documents),
        Parser::plain("dhl_express_pickup", pickup),
        Parser::plain("dhl_express_address", address),
    ],
};

fn mapping() -> &'static Mapping {
    dhl_express::mapping().expect("the embedded DHL Express mapping parses")
}

/// `POST /rates`: every quote is DHL's, positive, in a real currency.
pub fn rates(data: &[u8]) {
    answers(data, dhl_express::parse_rate_response, |quotes| {
        for q in quotes {
            check::quote(q);
            assert_eq!(q.carrier, "dhl_express");
            assert!(!q.service.trim().is_empty(), "{q:?}");
        }
    });
}

/// `POST /shipments`: an AWB and at least one label, each label what it claims.
pub fn create(data: &[u8]) {
    answers(
        data,
        |r| dhl_express::parse_create_response(r, "P"),
        |created| {
            assert!(!created.awb.trim().is_empty());
            assert!(!created.labels.is_empty());
            for label in &created.labels {
                match label.format {
                    LabelFormat::Pdf => assert!(label.content.starts_with(b"%PDF-")),
                    LabelFormat::Zpl => assert!(
                        String::from_utf8_lossy(&label.content)
                            .trim_start()
                            .starts_with("^XA")
                    ),
                }
            }
            for doc in &created.documents {
                assert!(doc.content.starts_with(b"%PDF-"));
            }
        },
    );
}

/// `GET /shipments/{awb}/tracking` and `GET /tracking` (also read as a lookup).
pub fn track(data: &[u8]) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    for resp in responses(data) {
        check::result(
            &dhl_express::parse_track_response_all(mapping(), &resp),
            |all| {
                all.iter().for_each(check::tracking);
                if resp.status == 200 {
                    events.extend(all.iter().flat_map(|u| u.events.clone()));
                }
            },
        );
        check::result(
            &dhl_express::parse_lookup_response(&resp, "sg_ref"),
            |found| {
                if let Some(created) = found {
                    assert!(!created.awb.trim().is_empty());
                }
            },
        );
    }
    events
}

/// `get-image` (labels, invoice) and `proof-of-delivery`: PDFs and labels as claimed.
pub fn documents(data: &[u8]) {
    for kind in [
        DocumentKind::CommercialInvoice,
        DocumentKind::ProofOfDelivery,
    ] {
        answers(
            data,
            |r| parse_document_response(r, kind),
            |doc| {
                assert_eq!(doc.kind, kind);
                assert!(doc.content.starts_with(b"%PDF-"));
            },
        );
    }
    for format in [LabelFormat::Pdf, LabelFormat::Zpl] {
        answers(
            data,
            |r| parse_label_image_response(r, format),
            |label| {
                assert_eq!(label.format, format);
            },
        );
    }
}

/// `POST /pickups`, `PATCH` and `DELETE /pickups/{number}`.
pub fn pickup(data: &[u8]) {
    let asked = dhl_express::simulator::india_today();
    answers(
        data,
        |r| dhl_express::parse_pickup_response(r, asked),
        |p| {
            assert!(!p.pickup_id.trim().is_empty());
        },
    );
    answers(
        data,
        |r| dhl_express::parse_pickup_update_response(r, "PRG1", asked),
        |p| {
            // Never an empty number: the one asked about when DHL names none.
            assert!(!p.pickup_id.trim().is_empty(), "{p:?}");
            assert!(p.carrier_message.contains("PRG1"), "{p:?}");
        },
    );
    answers(data, dhl_express::parse_pickup_cancel_response, |_| ());
}

/// `GET /address-validate`: a deliverable verdict names DHL's service area.
pub fn address(data: &[u8]) {
    let Ok(phone) = Phone::parse("+12125550100", "US") else {
        return;
    };
    let Ok(postal_code) = PostalCode::parse("10001", "US") else {
        return;
    };
    let given = Address {
        name: "Jane Smith".into(),
        phone,
        email: None,
        line1: "456 Broadway".into(),
        line2: None,
        landmark: None,
        city: "New York".into(),
        state: Some("NY".into()),
        postal_code,
        country: "US".into(),
    };
    answers(
        data,
        |r| dhl_express::parse_address_response(r, &given),
        |v| {
            assert!(!v.carrier_message.is_empty());
            if let Some(s) = &v.suggestion {
                assert_eq!(s.country, given.country);
            }
        },
    );
}
