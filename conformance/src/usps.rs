//! USPS: every answer reader of the adapter.

use carriers::mapping::Mapping;
use carriers::schema::{Address, LabelFormat, Phone, PostalCode, TrackingEvent};
use carriers::usps;

use crate::{Harness, Parser, answers, check, responses};

pub const HARNESS: Harness = Harness {
    carrier: "usps",
    samples: Some("usps"),
    parsers: &[
        Parser::plain("usps_options", options),
        Parser::plain("usps_payment", payment),
        Parser::plain("usps_label", label),
        Parser::plain("usps_cancel", cancel),
        Parser::tracking("usps_track", track),
        Parser::plain("usps_pickup", pickup),
        Parser::plain("usps_scan_form", scan_form),
        Parser::plain("usps_address", address),
    ],
};

fn mapping() -> &'static Mapping {
    usps::mapping().expect("the embedded USPS mapping parses")
}

/// `/shipments/v3/options/search`: quotes in USD, positive, one per mail class.
pub fn options(data: &[u8]) {
    answers(data, usps::parse_options_response, |quotes| {
        for q in quotes {
            check::quote(q);
            assert!(q.total.amount > 0, "{q:?}");
            assert_eq!(q.total.currency.as_str(), "USD");
        }
        let mut classes: Vec<&str> = quotes.iter().map(|q| q.service.as_str()).collect();
        classes.dedup();
        assert_eq!(classes.len(), quotes.len(), "one quote per mail class");
    });
}

/// `/payments/v3/payment-authorization`: a token is never blank.
pub fn payment(data: &[u8]) {
    answers(data, usps::parse_payment_response, |token| {
        assert!(!token.trim().is_empty());
    });
}

/// `/labels/v3/label` (multipart or JSON), in both formats, and its reprint.
pub fn label(data: &[u8]) {
    for format in [LabelFormat::Pdf, LabelFormat::Zpl] {
        answers(
            data,
            |resp| {
                usps::parse_label_response(
                    resp,
                    format,
                    "USPS_GROUND_ADVANTAGE",
                    Default::default(),
                )
            },
            |created| {
                assert!(!created.awb.trim().is_empty());
                assert_eq!(created.labels.len(), 1);
                assert_eq!(created.labels[0].format, format);
                if let Some(charged) = &created.charged {
                    check::money(charged);
                }
            },
        );
        answers(
            data,
            |resp| usps::parse_reprint_response(resp, format),
            |doc| {
                assert_eq!(doc.format, format);
            },
        );
    }
    for resp in responses(data) {
        check::result(&usps::parse_label_parts(&resp), |_| ());
    }
}

/// `DELETE /labels/v3/label/{n}`.
pub fn cancel(data: &[u8]) {
    answers(data, usps::parse_cancel_response, |outcome| {
        assert!(!outcome.carrier_message.is_empty());
    });
}

/// `/tracking/v3/tracking/{n}`.
pub fn track(data: &[u8]) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    for resp in responses(data) {
        check::result(
            &usps::parse_track_response(mapping(), &resp, "9200190000000000000000"),
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

/// `/pickup/v3/carrier-pickup` (schedule and cancel).
pub fn pickup(data: &[u8]) {
    answers(
        data,
        |resp| usps::parse_pickup_response(resp, None),
        |p| {
            assert!(!p.pickup_id.trim().is_empty());
        },
    );
    answers(data, usps::parse_cancel_pickup_response, |_| ());
}

/// `/scan-forms/v3/scan-form`.
pub fn scan_form(data: &[u8]) {
    answers(data, usps::parse_scan_form_response, |m| {
        assert!(!m.manifest_id.trim().is_empty());
    });
}

/// `/addresses/v3/address`: a suggestion is a US address.
pub fn address(data: &[u8]) {
    let asked = Address {
        name: "Lina Smith".into(),
        phone: Phone::parse("2125550100", "US").expect("a phone"),
        email: None,
        line1: "1309 S Agnew Ave".into(),
        line2: None,
        landmark: None,
        city: "Oklahoma City".into(),
        state: Some("OK".into()),
        postal_code: PostalCode::parse("73108", "US").expect("a ZIP"),
        country: "US".into(),
    };
    answers(
        data,
        |resp| usps::parse_address_response(resp, &asked),
        |v| {
            if let Some(s) = &v.suggestion {
                assert_eq!(s.country, "US");
            }
            assert!(!v.carrier_message.is_empty());
        },
    );
}
