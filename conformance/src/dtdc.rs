//! DTDC: every answer reader and the push reader.

use carriers::dtdc;
use carriers::mapping::Mapping;
use carriers::schema::TrackingEvent;

use crate::{Harness, Parser, answers, check, responses};

pub const HARNESS: Harness = Harness {
    carrier: "dtdc",
    samples: Some("dtdc"),
    parsers: &[
        Parser::plain("dtdc_login", login),
        Parser::plain("dtdc_softdata", softdata),
        Parser::plain("dtdc_label", label),
        Parser::plain("dtdc_cancel", cancel),
        Parser::plain("dtdc_pincodes", pincodes),
        Parser::tracking("dtdc_track", track),
        Parser::tracking("dtdc_webhook", webhook),
    ],
};

fn mapping() -> &'static Mapping {
    dtdc::mapping().expect("the embedded DTDC mapping parses")
}

/// `authenticate`: a token is one non-blank word.
pub fn login(data: &[u8]) {
    answers(data, dtdc::parse_login, |token| {
        assert!(!token.value.trim().is_empty());
        assert!(
            !token.value.contains(char::is_whitespace),
            "{:?}",
            token.value
        );
    });
}

/// `softdata`: the AWB DTDC allocated is never blank.
pub fn softdata(data: &[u8]) {
    answers(data, dtdc::parse_softdata, |booked| {
        assert!(!booked.awb.trim().is_empty());
    });
}

/// `shippinglabel/stream`: whatever is read is a PDF.
pub fn label(data: &[u8]) {
    answers(
        data,
        |resp| dtdc::parse_label(resp, "D1005560078"),
        |label| assert!(label.content.starts_with(b"%PDF")),
    );
}

/// `cancel`: done, with words.
pub fn cancel(data: &[u8]) {
    answers(data, dtdc::parse_cancel, |outcome| {
        assert!(!outcome.carrier_message.trim().is_empty());
    });
}

/// `PincodeApiCall`: COD is never served where parcels are not.
pub fn pincodes(data: &[u8]) {
    answers(data, dtdc::parse_pincodes, |found| {
        assert!(found.served || !found.cod, "{found:?}");
    });
}

/// `getTrackDetails`.
pub fn track(data: &[u8]) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    for resp in responses(data) {
        check::result(
            &dtdc::parse_track(mapping(), &resp, "D1005560078"),
            |update| {
                check::tracking(update);
                if resp.status == 200 {
                    events.extend(update.events.iter().cloned());
                }
            },
        );
    }
    events
}

/// Tracking pushes: one consignment's status or a batch.
pub fn webhook(data: &[u8]) -> Vec<TrackingEvent> {
    check::push_events(
        &dtdc::parse_pushes(mapping(), data),
        &dtdc::parse_push(mapping(), data),
    )
}
