//! Sandbox simulators: each carrier's API as a pure function of the request plus a small
//! state, answering in that carrier's real wire format and with its quirks.
//!
//! The gateway serves them over HTTP under `/sandbox/<carrier>/…` and, in sandbox mode,
//! points the carriers' base URLs there, so a sandbox request runs the same executor,
//! HTTP stack and parsers as production.
//!
//! # The kit
//!
//! What a sandbox does is the same from carrier to carrier; only the wire format differs.
//! So a carrier's simulator is its paths, field names and answer shapes plus a
//! *configuration* of this kit, and the gateway's test stand-ins take from it what they
//! stand in for (a simulator with other pricing, faults to inject):
//!
//! - [`sandbox`]: the simulator itself, configured by the carrier's [`sandbox::Wire`]: its
//!   route table, how its API admits a request (a fixed token, or tokens issued at
//!   login), its record per booking and its refusals; the constructors stand-ins use;
//! - [`store`]: the bookings kept, found by id, client reference or AWB, oldest forgotten
//!   first past a bound, a reused reference refused while it is kept;
//! - [`journey`]: scan journeys as data: the steps every parcel takes, detours (failed
//!   attempts, RTO, lost, misrouted) chosen by rules over the request, cancellation
//!   before and after pickup, one scan revealed per track call;
//! - [`pricing`]: sandbox charges from weight slabs by mode and zone, fuel, COD fee, GST;
//! - [`rules`]: which pincodes are served, for what, and the pincode endings that choose
//!   the same detours in every carrier's sandbox (99 NDR, 98 RTO, 97 lost, 96 misrouted);
//! - [`faults`]: answers lost, error pages, slow answers, for the HTTP layer to apply;
//! - [`accounts`]: the credentials a simulator accepts, its own (`default`) and any a
//!   tenant or test registers, each account's requests counted;
//! - [`tokens`]: tokens issued at login, good for a number of requests, expired at will;
//! - [`labels`]: label links to hosted PDFs, served like storage serves them, and the
//!   sandbox warehouse that ships every parcel;
//! - [`laravel`]: the validation errors, error bodies and pagination of carriers whose
//!   API is a Laravel app (Shiprocket);
//! - [`ids`], [`values`]: numbers handed out, and the request and answer values
//!   (text or number fields, rupee amounts, phone numbers) carriers' JSON carries;
//! - [`SimRequest`]: built the same way by every server in front of a simulator (the
//!   gateway's sandbox route, the fault and rates stand-ins), with readers for the route,
//!   a JSON or form body and comma-separated lists; [`Answer`], so a handler returns its
//!   refusals with `?` (a check a line with [`require`], a JSON answer with
//!   [`sandbox::reply`]).
//!
//! Left outside it on purpose: `tests/it/common/fake_delhivery.rs` answers canned captures
//! written from Delhivery's docs alone, to prove the gateway talks to any server that
//! answers like Delhivery, not only to this simulator; the scripted Delhivery replays
//! scans a test writes per waybill, which a static journey table cannot hold.
//!
//! Why a kit: written by hand, each simulator grew its own store, journeys, pricing and
//! token bookkeeping (over a thousand lines each), and the test stand-ins re-implemented
//! pieces of them a third time. Written once, a sandbox rule behaves the same for every
//! carrier and is tested where it lives, and a new carrier's sandbox is mostly its wire
//! format.
//!
//! A simulator keeps only the most recent [`KEPT_BOOKINGS`] bookings. The sandbox runs
//! inside the gateway for as long as the gateway runs, and `shipgate simulate` books as
//! fast as it can: kept forever, bookings (about 2 KB each) grew a long benchmark to
//! 400 MB. A forgotten booking answers as the carrier answers for an id it never issued.

use std::sync::{Mutex, MutexGuard, PoisonError};

pub mod accounts;
pub mod faults;
pub mod ids;
pub mod journey;
pub mod labels;
pub mod laravel;
pub mod pricing;
pub mod rules;
pub mod sandbox;
pub mod store;
pub mod tokens;
pub mod values;

/// A request as the simulator sees it.
#[derive(Debug, Clone, Default)]
pub struct SimRequest {
    pub method: String,
    /// Path below `/sandbox/<carrier>`, starting with `/`.
    pub path: String,
    /// Decoded query pairs.
    pub query: Vec<(String, String)>,
    /// Lower-case header names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Absolute URL of this simulator's root, for links it hands out (label PDFs).
    pub base_url: String,
}

impl SimRequest {
    /// A request for `target` (a path below the simulator's root, with or without its
    /// `?query`), the query decoded and header names lower-cased: how every server in
    /// front of a simulator (the gateway's sandbox route, the tests' stand-ins) hands it
    /// a request.
    pub fn new(
        method: &str,
        target: &str,
        headers: impl IntoIterator<Item = (String, String)>,
        body: Vec<u8>,
        base_url: &str,
    ) -> Self {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        SimRequest {
            method: method.to_string(),
            path: path.to_string(),
            query: serde_urlencoded::from_str(query).unwrap_or_default(),
            headers: headers
                .into_iter()
                .map(|(name, value)| (name.to_ascii_lowercase(), value))
                .collect(),
            body,
            base_url: base_url.to_string(),
        }
    }

    /// The upper-case method and the path without its trailing `/`, to match routes on.
    pub fn route(&self) -> (String, &str) {
        let path = self.path.split('?').next().unwrap_or_default();
        (self.method.to_ascii_uppercase(), path.trim_end_matches('/'))
    }

    /// The body as JSON; anything else reads as an empty object, as a field-by-field
    /// validator sees a body it cannot parse.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| serde_json::json!({}))
    }

    /// Field `key` of a form-encoded body.
    pub fn form_value(&self, key: &str) -> Option<String> {
        let form: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&self.body).unwrap_or_default();
        form.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Query parameter `key` trimmed, blank when absent.
    pub fn query_text(&self, key: &str) -> &str {
        self.query_value(key).unwrap_or_default().trim()
    }

    /// Query parameter `key` as a number; `None` when absent or not one.
    pub fn query_number(&self, key: &str) -> Option<f64> {
        self.query_text(key).parse().ok()
    }

    /// The comma-separated values of query parameter `key`, trimmed, blanks skipped.
    pub fn query_list(&self, key: &str) -> impl Iterator<Item = &str> {
        let list = self.query_value(key).unwrap_or_default().split(',');
        list.map(str::trim).filter(|s| !s.is_empty())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct SimResponse {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl SimResponse {
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        SimResponse {
            status,
            content_type: "application/json",
            body: serde_json::to_vec(value).expect("a Value always serialises"),
        }
    }

    pub fn raw(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        SimResponse {
            status,
            content_type,
            body: body.into(),
        }
    }
}

/// A handler's answer; the error side is an answer too (a refusal), so checks return it
/// with `?` and the router answers whichever comes back.
pub type Answer = Result<SimResponse, SimResponse>;

/// `Ok` when `ok`, else the refusal: a handler's checks, one line each, returned with `?`.
pub fn require(ok: bool, refusal: impl FnOnce() -> SimResponse) -> Result<(), SimResponse> {
    if ok { Ok(()) } else { Err(refusal()) }
}

/// How many bookings each simulator remembers; older ones are forgotten, oldest first.
/// About 40 MB per carrier at ~2 KB a booking, and far more than any test or retry
/// window needs to look back.
pub const KEPT_BOOKINGS: usize = 20_000;

pub trait Simulator: Send + Sync {
    fn handle(&self, request: &SimRequest) -> SimResponse;
    /// How many shipments the simulator has booked since it started, for tests that prove
    /// no double booking. Counts every booking ever made, including those since forgotten
    /// (see [`KEPT_BOOKINGS`]), so it never goes down.
    fn bookings(&self) -> usize;
}

/// A simulator's state behind its one mutex. A panic elsewhere while holding the lock
/// leaves plain data behind, so a poisoned lock keeps serving.
pub fn lock<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_read_as_carriers_read_them() {
        let headers = [("Authorization".to_string(), "Token t".to_string())];
        let body = b"format=json&data=%7B%7D".to_vec();
        let req = SimRequest::new(
            "post",
            "/api/x/?waybill=1%2C%202,,3&verbose=",
            headers,
            body,
            "",
        );
        assert_eq!(req.route(), ("POST".to_string(), "/api/x"));
        assert_eq!(req.header("authorization"), Some("Token t"));
        assert_eq!(
            req.query_list("waybill").collect::<Vec<_>>(),
            ["1", "2", "3"]
        );
        assert_eq!(req.query_text("verbose"), "");
        assert_eq!(
            (req.query_number("verbose"), req.query_number("waybill")),
            (None, None)
        );
        assert_eq!(req.form_value("data").as_deref(), Some("{}"));
        assert_eq!(req.json(), serde_json::json!({}), "a form is no JSON");
        let json = SimRequest::new("POST", "/", [], br#"{"a":1}"#.to_vec(), "");
        assert_eq!(json.json()["a"], 1);
    }

    #[test]
    fn checks_refuse_with_their_answer() {
        let refusal = || SimResponse::raw(400, "text/plain", "no");
        assert!(require(true, refusal).is_ok());
        assert_eq!(require(false, refusal).unwrap_err().status, 400);
    }
}
