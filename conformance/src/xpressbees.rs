//! XpressBees: every answer reader and the push reader.

use carriers::mapping::Mapping;
use carriers::schema::TrackingEvent;
use carriers::xpressbees;

use crate::{Harness, Parser, answers, check, responses};

pub const HARNESS: Harness = Harness {
    carrier: "xpressbees",
    samples: Some("xpressbees"),
    parsers: &[
        Parser::plain("xpressbees_login", login),
        Parser::plain("xpressbees_awb", awb),
        Parser::plain("xpressbees_manifest", manifest),
        Parser::plain("xpressbees_pincodes", pincodes),
        Parser::tracking("xpressbees_track", track),
        Parser::plain("xpressbees_cancel", cancel),
        Parser::plain("xpressbees_ndr", ndr),
        Parser::tracking("xpressbees_webhook", webhook),
    ],
};

fn mapping() -> &'static Mapping {
    xpressbees::mapping().expect("the embedded XpressBees mapping parses")
}

/// `generateToken`: a token is never blank.
pub fn login(data: &[u8]) {
    answers(data, xpressbees::parse_login, |token| {
        assert!(!token.value.trim().is_empty());
    });
}

/// `AWBNumberSeriesGeneration` (a batch id) and `GetAWBNumberGeneratedSeries` (its
/// numbers): neither is ever blank.
pub fn awb(data: &[u8]) {
    answers(data, xpressbees::parse_awb_batch, |batch| {
        assert!(!batch.trim().is_empty());
    });
    answers(data, xpressbees::parse_awb_series, |series| {
        assert!(!series.is_empty());
        assert!(series.iter().all(|a| !a.trim().is_empty()), "{series:?}");
    });
}

/// The forward and reverse manifests' answer: the AWB booked is the one sent.
pub fn manifest(data: &[u8]) {
    let sent = "14000000000001";
    answers(
        data,
        |resp| xpressbees::parse_manifest(resp, sent),
        |done| assert_eq!(done.awb, sent),
    );
}

/// The pincode master: an entry found is the pincode asked about.
pub fn pincodes(data: &[u8]) {
    for pin in ["560001", "110001"] {
        answers(
            data,
            |resp| xpressbees::parse_pincodes(resp, pin),
            |found| {
                if let Some(entry) = found {
                    assert_eq!(entry.pincode.known(), Some(pin));
                }
            },
        );
    }
}

/// `GetShipmentAuditLog`.
pub fn track(data: &[u8]) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    for resp in responses(data) {
        check::result(
            &xpressbees::parse_track(mapping(), &resp, "14000000000001"),
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

/// `forwardcancellation`.
pub fn cancel(data: &[u8]) {
    answers(data, xpressbees::parse_cancel, |outcome| {
        assert!(!outcome.carrier_message.trim().is_empty());
    });
}

/// `UpdateNDRDeferredDeliveryDate`: taken synchronously, no request id.
pub fn ndr(data: &[u8]) {
    answers(
        data,
        |resp| xpressbees::parse_ndr(resp, "14000000000001"),
        |outcome| {
            assert!(outcome.accepted && outcome.carrier_ref.is_none());
        },
    );
}

/// Status pushes: one scan or a batch.
pub fn webhook(data: &[u8]) -> Vec<TrackingEvent> {
    check::push_events(
        &xpressbees::parse_pushes(mapping(), data),
        &xpressbees::parse_push(mapping(), data),
    )
}
