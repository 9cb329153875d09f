//! What every reader of outside input must satisfy, named, so the fuzz targets and the
//! conformance suite (`tests/it/conformance.rs`) run the same checks.
//!
//! Each carrier lists its answer readers in a [`Harness`] (`delhivery`, `shiprocket`):
//! one [`Parser`] per operation's answer, plus its pushes. Each parser is a fuzz target by
//! its name (the one fuzz binary, `fuzz/fuzz_targets/readers.rs`, runs the one
//! `SHIPGATE_FUZZ_TARGET` names); the conformance suite walks [`carriers::registry()`] and
//! fails for a registered carrier without a harness, for two parsers of one name,
//! for a panic on any fixture cut at any byte, and for an unmapped code in any fixture or
//! sample. The other readers of untrusted input (the credentials pushes carry, public
//! request bodies, uploaded rate cards) are in [`OTHERS`].
//!
//! Beyond "no panic" (which includes arithmetic overflow: the fuzz profile keeps overflow
//! checks on), [`check`] asserts what a reader of that input relies on: statuses stay
//! inside the unified taxonomy with consistent flags, amounts stay within
//! [`carriers::schema::Money::MAX_AMOUNT`] and survive formatting and re-parsing, parsed
//! requests survive serialising and re-reading, and every field error points into the
//! document that was sent.
//!
//! A carrier body is read twice: as a 200 answer and as an error answer whose status the
//! first byte picks, since both paths parse the body (errors inside HTTP 200, error pages,
//! 5xx bodies).

pub mod bluedart;
pub mod check;
pub mod clickpost;
pub mod delhivery;
pub mod dhl_express;
pub mod dtdc;
pub mod ecomexpress;
pub mod fedex;
pub mod push_auth;
pub mod requests;
pub mod shiprocket;
pub mod ups;
pub mod usps;
pub mod xpressbees;

use carriers::schema::TrackingEvent;
use carriers::wire::HttpResponse;

/// One reader of outside input, by the name of its fuzz target.
pub struct Parser {
    pub name: &'static str,
    read: Read,
}

enum Read {
    /// Reads input that carries no scans.
    Plain(fn(&[u8])),
    /// Reads tracking answers or pushes, returning the events read from a 200 answer.
    Tracking(fn(&[u8]) -> Vec<TrackingEvent>),
}

impl Parser {
    pub const fn plain(name: &'static str, read: fn(&[u8])) -> Self {
        Parser {
            name,
            read: Read::Plain(read),
        }
    }

    pub const fn tracking(name: &'static str, read: fn(&[u8]) -> Vec<TrackingEvent>) -> Self {
        Parser {
            name,
            read: Read::Tracking(read),
        }
    }

    /// Reads `data`, panicking when an invariant breaks; the tracking events it read (none
    /// for a reader of anything else).
    pub fn read(&self, data: &[u8]) -> Vec<TrackingEvent> {
        match self.read {
            Read::Plain(read) => {
                read(data);
                Vec::new()
            }
            Read::Tracking(read) => read(data),
        }
    }
}

impl Parser {
    /// Whether this reader makes sense of `data` (reads something from it, as a success
    /// or as an error answer): which reader a recorded payload is for.
    pub fn accepts(&self, data: &[u8]) -> bool {
        let before = check::read_so_far();
        self.read(data);
        check::read_so_far() > before
    }
}

/// A carrier's readers and where its public samples are.
pub struct Harness {
    /// The carrier id, as registered.
    pub carrier: &'static str,
    /// Its directory under `../shared/carrier-samples/`; `None` for a carrier with no
    /// public samples there (Ecom Express), whose readers are fed its fixtures only.
    pub samples: Option<&'static str>,
    pub parsers: &'static [Parser],
}

/// Every carrier's harness; a carrier in [`carriers::registry()`] without one fails the
/// conformance suite.
pub const HARNESSES: &[Harness] = &[
    delhivery::HARNESS,
    shiprocket::HARNESS,
    bluedart::HARNESS,
    xpressbees::HARNESS,
    ecomexpress::HARNESS,
    dtdc::HARNESS,
    clickpost::HARNESS,
    fedex::HARNESS,
    ups::HARNESS,
    dhl_express::HARNESS,
    usps::HARNESS,
];

/// The readers of untrusted input that belong to no carrier.
pub const OTHERS: &[Parser] = &[
    Parser::plain("webhook_auth", push_auth::check),
    Parser::plain("rate_request", requests::rate),
    Parser::plain("shipment_request", requests::shipment),
    Parser::plain("rate_card", requests::rate_card),
    Parser::plain("address_check", requests::address),
];

/// The harness of a carrier.
pub fn harness(carrier: &str) -> Option<&'static Harness> {
    HARNESSES.iter().find(|h| h.carrier == carrier)
}

/// Every parser, carriers' and others'.
pub fn parsers() -> impl Iterator<Item = &'static Parser> {
    HARNESSES
        .iter()
        .flat_map(|h| h.parsers.iter())
        .chain(OTHERS)
}

/// Non-2xx statuses a carrier (or a proxy in front of it) answers.
const ERROR_STATUSES: [u16; 12] = [400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504, 302];

/// Reads `data` as each of [`responses`] with `read`: errors are checked, and `ok` checks
/// what was read.
pub fn answers<T>(
    data: &[u8],
    read: impl Fn(&HttpResponse) -> Result<T, carriers::CarrierError>,
    ok: impl Fn(&T),
) {
    for resp in responses(data) {
        check::result(&read(&resp), &ok);
    }
}

/// The answers `data` is read as: a 200, then an error status chosen by its first byte.
pub fn responses(data: &[u8]) -> [HttpResponse; 2] {
    let status =
        ERROR_STATUSES[usize::from(data.first().copied().unwrap_or(0)) % ERROR_STATUSES.len()];
    [
        HttpResponse::new(200, data.to_vec()),
        HttpResponse::new(status, data.to_vec()),
    ]
}
