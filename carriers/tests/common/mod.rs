//! Shared helpers for replay tests.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::future::Future;
use std::ops::Deref;
use std::path::PathBuf;
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use async_trait::async_trait;
use carriers::simulator::{SimRequest, Simulator};
use carriers::taxonomy::{Status, SubStatus};
use carriers::wire::{HttpRequest, HttpResponse};
use carriers::{CarrierError, Operation, Transport};
use chrono::{DateTime, Utc};

/// The real carrier payloads in `../shared/carrier-samples/<carrier>`, beside the
/// checkout. Outside CI they may be absent and the replay tests skip; in CI (`CI` set)
/// their absence is a failure, so a broken checkout cannot pass by skipping.
pub fn samples_dir(carrier: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/carrier-samples")
        .join(carrier);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing: CI must have ../shared/carrier-samples beside the checkout",
            dir.display()
        );
    }
    eprintln!("skipping: {} not found", dir.display());
    None
}

pub fn sample(carrier: &str, file: &str) -> Option<Vec<u8>> {
    let path = samples_dir(carrier)?.join(file);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// The project's own fixtures in `fixtures/<carrier>/`.
pub fn fixture(carrier: &str, file: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(carrier)
        .join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn fixtures_dir(carrier: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(carrier)
}

/// Runs a future to completion. The transports here answer synchronously, so the future
/// never waits on anything outside this thread and a no-op waker is all an executor
/// needs to be.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::yield_now();
    }
}

/// An RFC 3339 time, as UTC.
pub fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// Minimal RFC 4180 reader: quoted fields, doubled quotes, commas and newlines inside.
/// Lines with nothing but blanks are no records and are skipped.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows.retain(|row| row.iter().any(|f| !f.trim().is_empty()));
    rows
}

/// A transport that answers from a script, in order, and records what was sent.
#[derive(Default)]
pub struct Scripted {
    replies: Mutex<VecDeque<HttpResponse>>,
    sent: Mutex<Vec<(Operation, HttpRequest)>>,
}

impl Scripted {
    pub fn new(replies: impl IntoIterator<Item = HttpResponse>) -> Self {
        Scripted {
            replies: Mutex::new(replies.into_iter().collect()),
            sent: Mutex::default(),
        }
    }

    pub fn sent(&self) -> Vec<(Operation, HttpRequest)> {
        self.sent.lock().unwrap().clone()
    }
}

#[async_trait]
impl Transport for Scripted {
    async fn send(
        &self,
        op: Operation,
        request: HttpRequest,
    ) -> Result<HttpResponse, CarrierError> {
        self.sent.lock().unwrap().push((op, request));
        self.replies
            .lock()
            .unwrap()
            .pop_front()
            .ok_or_else(|| CarrierError::NotSent("script exhausted".into()))
    }
}

/// What a fault hook may do to one request on its way to the simulator.
pub enum Fault {
    /// Let it through.
    Pass,
    /// Answer this instead of asking the simulator.
    Answer(HttpResponse),
    /// Let the simulator act, then lose the answer.
    LoseAnswer(CarrierError),
}

pub type FaultHook = Box<dyn Fn(Operation, &HttpRequest) -> Fault + Send + Sync>;

/// Sends every request to a simulator in-process, the way the gateway's sandbox route
/// does over HTTP. `S` holds the simulator: a borrow, or an `Arc` the test keeps a clone
/// of. Absolute URLs under `base_url` (label links) reach the simulator by their path;
/// any other host is a connect failure.
pub struct SimTransport<S> {
    sim: S,
    base_url: String,
    /// Each request that reached the simulator's host, with its path.
    pub log: Mutex<Vec<(Operation, String)>>,
    fault: Mutex<Option<FaultHook>>,
}

impl<S> SimTransport<S> {
    pub fn new(sim: S, base_url: &str) -> Self {
        SimTransport {
            sim,
            base_url: base_url.to_string(),
            log: Mutex::default(),
            fault: Mutex::default(),
        }
    }

    pub fn with_fault(self, hook: FaultHook) -> Self {
        *self.fault.lock().unwrap() = Some(hook);
        self
    }

    pub fn clear_fault(&self) {
        *self.fault.lock().unwrap() = None;
    }

    pub fn ops(&self) -> Vec<Operation> {
        self.log.lock().unwrap().iter().map(|(op, _)| *op).collect()
    }

    /// The request as the simulator sees it.
    pub fn sim_request(&self, request: &HttpRequest) -> SimRequest {
        let path = request
            .path
            .strip_prefix(self.base_url.as_str())
            .unwrap_or(&request.path);
        let mut headers = request.headers.clone();
        if let Some(ct) = request.content_type {
            headers.push(("content-type".into(), ct.into()));
        }
        SimRequest {
            method: request.method.as_str().to_string(),
            path: path.to_string(),
            query: request.query.clone(),
            headers,
            body: request.body.clone().unwrap_or_default(),
            base_url: self.base_url.clone(),
        }
    }
}

#[async_trait]
impl<S> Transport for SimTransport<S>
where
    S: Deref + Send + Sync,
    S::Target: Simulator,
{
    async fn send(
        &self,
        op: Operation,
        request: HttpRequest,
    ) -> Result<HttpResponse, CarrierError> {
        let fault = match self.fault.lock().unwrap().as_ref() {
            Some(hook) => hook(op, &request),
            None => Fault::Pass,
        };
        if request.path.starts_with("http") && !request.path.starts_with(self.base_url.as_str()) {
            return Err(CarrierError::Connect(format!(
                "unknown host in {}",
                request.path
            )));
        }
        let sim_request = self.sim_request(&request);
        self.log
            .lock()
            .unwrap()
            .push((op, sim_request.path.clone()));
        if let Fault::Answer(resp) = fault {
            return Ok(resp);
        }
        let reply = self.sim.handle(&sim_request);
        if let Fault::LoseAnswer(err) = fault {
            return Err(err);
        }
        Ok(HttpResponse::new(reply.status, reply.body)
            .with_header("content-type", reply.content_type))
    }
}

/// Registers (or replaces) a simulator account: `POST /_accounts` with `body`, which
/// must be accepted.
pub fn add_account(sim: &dyn Simulator, body: serde_json::Value) {
    let body = body.to_string().into_bytes();
    let answer = sim.handle(&SimRequest::new("POST", "/_accounts", [], body, ""));
    let text = String::from_utf8_lossy(&answer.body);
    assert_eq!(answer.status, 201, "{text}");
}

/// Each simulator account's request count, by name (`GET /_accounts`).
pub fn account_requests(sim: &dyn Simulator) -> Vec<(String, u64)> {
    let answer = sim.handle(&SimRequest::new("GET", "/_accounts", [], Vec::new(), ""));
    let counts: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    let accounts = counts["accounts"].as_array().unwrap().iter();
    let count = |a: &serde_json::Value| {
        let name = a["account"].as_str().unwrap().to_string();
        (name, a["requests"].as_u64().unwrap())
    };
    accounts.map(count).collect()
}

/// The detours every sandbox offers on the same destination pincode endings (the
/// simulator kit's `rules`), seen through a carrier's adapter: `track(order, pin)` books
/// a parcel to `pin` and tracks it until its journey has ended, answering the unified
/// sub-statuses seen; `area` is the first four digits of the pincodes it is given.
pub fn assert_detours(area: &str, track: impl Fn(&str, &str) -> Vec<SubStatus>) {
    let failed = |subs: &[SubStatus]| {
        let failed = subs.iter().filter(|s| s.status() == Status::DeliveryFailed);
        failed.count()
    };
    let ofd = |subs: &[SubStatus]| {
        subs.iter()
            .filter(|s| **s == SubStatus::OutForDelivery)
            .count()
    };
    // 99: one failed attempt, out for delivery again, delivered.
    let ndr = track("detour_ndr", &format!("{area}99"));
    assert_eq!((failed(&ndr), ofd(&ndr)), (1, 2), "{ndr:?}");
    assert_eq!(ndr.last(), Some(&SubStatus::Delivered), "{ndr:?}");
    // 98: two failed attempts, then back to the origin.
    let rto = track("detour_rto", &format!("{area}98"));
    assert_eq!(failed(&rto), 2, "{rto:?}");
    assert!(rto.contains(&SubStatus::RtoInitiated), "{rto:?}");
    assert_eq!(rto.last(), Some(&SubStatus::RtoDelivered), "{rto:?}");
    assert!(!rto.contains(&SubStatus::Delivered), "{rto:?}");
    // 97: lost on the way, never out for delivery.
    let lost = track("detour_lost", &format!("{area}97"));
    assert_eq!(lost.last(), Some(&SubStatus::Lost), "{lost:?}");
    assert_eq!(ofd(&lost), 0, "{lost:?}");
    // 96: misrouted, then delivered.
    let misrouted = track("detour_misrouted", &format!("{area}96"));
    assert!(misrouted.contains(&SubStatus::Misrouted), "{misrouted:?}");
    assert_eq!(
        misrouted.last(),
        Some(&SubStatus::Delivered),
        "{misrouted:?}"
    );
    // Any other ending goes straight to delivery.
    let plain = track("detour_none", &format!("{area}38"));
    let detoured = [SubStatus::Lost, SubStatus::Misrouted];
    assert_eq!(failed(&plain), 0, "{plain:?}");
    assert!(!plain.iter().any(|s| detoured.contains(s)), "{plain:?}");
    assert_eq!(plain.last(), Some(&SubStatus::Delivered), "{plain:?}");
}

/// Calls `track` (one track call, the sub-statuses of the events it answers) until the
/// latest one is `wanted`, at most `limit` times: how many calls that took, and what the
/// last one answered. Panics when `limit` calls never get there.
pub fn track_until(
    limit: usize,
    mut track: impl FnMut() -> Vec<SubStatus>,
    wanted: impl Fn(SubStatus) -> bool,
) -> (usize, Vec<SubStatus>) {
    let mut seen = Vec::new();
    for call in 1..=limit {
        seen = track();
        if seen.last().copied().is_some_and(&wanted) {
            return (call, seen);
        }
    }
    panic!("not reached in {limit} track calls: {seen:?}");
}

/// A prepaid `payment` for a shipment request's JSON.
pub fn prepaid() -> serde_json::Value {
    serde_json::json!({"mode": "prepaid"})
}

/// A cash-on-delivery `payment` of `paise` for a shipment request's JSON.
pub fn cod(paise: i64) -> serde_json::Value {
    serde_json::json!({"mode": "cod", "cod_amount": {"amount": paise, "currency": "INR"}})
}

/// The sub-statuses of an update's events, in order.
pub fn subs(update: &carriers::schema::TrackingUpdate) -> Vec<SubStatus> {
    update.events.iter().map(|e| e.sub_status).collect()
}

/// A shipment as the gateway names it to an adapter: `id`, order `ORD-<id>`, the AWB
/// stored for it, no carrier refs.
pub fn shipment_ref(id: &str, awb: Option<&str>) -> carriers::schema::ShipmentRef {
    carriers::schema::ShipmentRef {
        shipment_id: id.into(),
        order_ref: format!("ORD-{id}"),
        awb: awb.map(str::to_string),
        carrier_refs: Default::default(),
    }
}

/// A request's JSON body.
pub fn body_json(request: &HttpRequest) -> serde_json::Value {
    serde_json::from_slice(request.body.as_deref().unwrap_or_default()).unwrap()
}
