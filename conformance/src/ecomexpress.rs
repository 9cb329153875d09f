//! Ecom Express: every answer reader and the push reader. Ecom Express has no shared
//! samples; its readers are fed the project's fixtures (`fixtures/ecomexpress`) and the
//! fuzzer's inputs.

use carriers::ecomexpress;
use carriers::mapping::Mapping;
use carriers::schema::TrackingEvent;

use crate::{Harness, Parser, answers, check, responses};

pub const HARNESS: Harness = Harness {
    carrier: "ecomexpress",
    samples: None,
    parsers: &[
        Parser::plain("ecomexpress_fetch_awb", fetch_awb),
        Parser::plain("ecomexpress_manifest", manifest),
        Parser::plain("ecomexpress_pincode", pincode),
        Parser::tracking("ecomexpress_track", track),
        Parser::plain("ecomexpress_cancel", cancel),
        Parser::plain("ecomexpress_ndr", ndr),
        Parser::plain("ecomexpress_label", label),
        Parser::tracking("ecomexpress_webhook", webhook),
    ],
};

const AWB: &str = "2004817301";

fn mapping() -> &'static Mapping {
    ecomexpress::mapping().expect("the embedded Ecom Express mapping parses")
}

/// `fetch_awb`: a series is never empty nor holds a blank number.
pub fn fetch_awb(data: &[u8]) {
    answers(data, ecomexpress::parse_fetch_awb, |series| {
        assert!(!series.is_empty());
        assert!(series.iter().all(|a| !a.trim().is_empty()), "{series:?}");
    });
}

/// The forward (`manifest_awb`) and reverse (`manifest_awb_rev_v2`) manifests' answers.
pub fn manifest(data: &[u8]) {
    answers(data, |resp| ecomexpress::parse_manifest(resp, AWB), |()| {});
    answers(data, |resp| ecomexpress::parse_reverse(resp, AWB), |()| {});
}

/// The pincode API: an entry found is the pincode asked about; no flag is set on an
/// inactive pincode.
pub fn pincode(data: &[u8]) {
    for pin in ["560034", "194101"] {
        answers(
            data,
            |resp| ecomexpress::parse_pincode(resp, pin),
            |found| {
                if let Some(entry) = found {
                    assert_eq!(entry.pincode.known(), Some(pin));
                    if !entry.active() {
                        assert!(!entry.cod() && !entry.prepaid() && !entry.reverse());
                    }
                }
            },
        );
    }
}

/// `track_me/api/mawbd` (XML).
pub fn track(data: &[u8]) -> Vec<TrackingEvent> {
    let mut events = Vec::new();
    for awb in [AWB, "1000730045", "1000730077"] {
        for resp in responses(data) {
            check::result(&ecomexpress::parse_track(mapping(), &resp, awb), |update| {
                check::tracking(update);
                assert_eq!(update.awb, awb);
                if resp.status == 200 {
                    events.extend(update.events.iter().cloned());
                }
            });
        }
    }
    events
}

/// `cancel_awb`.
pub fn cancel(data: &[u8]) {
    answers(
        data,
        |resp| ecomexpress::parse_cancel(resp, AWB),
        |outcome| assert!(!outcome.carrier_message.trim().is_empty()),
    );
}

/// `ndr_resolutions`: taken synchronously, no request id.
pub fn ndr(data: &[u8]) {
    answers(
        data,
        |resp| ecomexpress::parse_ndr(resp, AWB),
        |outcome| assert!(outcome.accepted && outcome.carrier_ref.is_none()),
    );
}

/// The label service: a PDF is Ecom's bytes, untouched.
pub fn label(data: &[u8]) {
    answers(data, ecomexpress::parse_label, |doc| {
        assert!(doc.content.starts_with(b"%PDF-"));
        assert_eq!(doc.content, data);
    });
}

/// Status pushes: one scan or a batch.
pub fn webhook(data: &[u8]) -> Vec<TrackingEvent> {
    check::push_events(
        &ecomexpress::parse_pushes(mapping(), data),
        &ecomexpress::parse_push(mapping(), data),
    )
}
