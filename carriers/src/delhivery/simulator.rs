//! Delhivery's API in-process, for sandbox mode and tests.
//!
//! It answers on Delhivery's own paths and in its wire format, quirks included, so the
//! adapter's real parsers run against it: form-encoded create with errors inside HTTP 200,
//! JSON tracking with `Scans[].ScanDetail` and zone-less IST times (fraction trimmed the
//! way Delhivery trims it), an XML cancel reply, the unknown-waybill error in HTTP 200,
//! and a 401 for a wrong token.
//!
//! Sandbox rules (deterministic, apart from waybill numbers and scan times):
//! - token [`SANDBOX_TOKEN`], registered warehouse [`SANDBOX_PICKUP_LOCATION`];
//! - pincode [`UNSERVICEABLE_PIN`] is served for nothing; pincodes starting with 9 (in
//!   India, the Army Postal Service range) are served for prepaid but not for COD;
//! - every track call moves each tracked shipment forward one scan: Manifested, pickup
//!   scheduled, picked up, origin centre, trip departed, trip arrived, destination
//!   facility, out for delivery, delivered; a destination pincode ending in
//!   [`NDR_PIN_SUFFIX`] first gets one failed attempt (consignee unavailable);
//! - cancel before pickup ends the shipment as Delhivery does (`UD` / `Not Picked` /
//!   `DTUP-210 Seller cancelled the order`, per the 2026 capture); cancel after pickup
//!   turns it into an RTO; cancel is idempotent like the real API; a delivered or
//!   returned shipment cannot be cancelled;
//! - a reused `order` is refused as `Duplicate Order Id`, so a retried booking never
//!   allocates a second waybill;
//! - tracking takes `ref_ids=` (the `order` sent at booking, comma-separated like
//!   `waybill=`) as well as waybills, so a booking whose answer the gateway never saw is
//!   found by shipgate's shipment id; a reference nobody booked gets the same
//!   "Data does not exists" error in HTTP 200 as an unknown waybill (assumed: the
//!   captures only show it for a waybill);
//! - only the most recent [`KEPT_BOOKINGS`] bookings are kept (or the number given to
//!   [`DelhiverySimulator::with_kept_bookings`]); older ones are forgotten, oldest first,
//!   so the sandbox inside a long-running gateway and the `shipgate simulate` benchmark
//!   do not grow without end. A forgotten shipment is answered as a waybill Delhivery
//!   never issued: tracking it (by waybill or `ref_ids`) gets "Data does not exists",
//!   cancelling it gets the unknown-waybill reply, and its `order` can be booked again
//!   (the duplicate refusal covers kept bookings only). [`Simulator::bookings`] still
//!   counts every booking ever made;
//! - charges: Rs 30–80 per 500 g slab by mode and zone (zone from how many leading pincode
//!   digits match), 10 % fuel surcharge, COD fee of 1.5 % (at least Rs 35), 18 % GST split
//!   CGST/SGST within a state circle and IGST across.
//!
//! Answers for situations no capture shows (refused cancel, bad charges parameters) follow
//! Delhivery's shapes with wording of our own; they are marked where they are built.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde_json::{Value, json};

use super::wire::format_ist;
use crate::carrier::Settings;
use crate::schema::{Currency, Money};
use crate::simulator::{KEPT_BOOKINGS, SimRequest, SimResponse, Simulator};

pub const SANDBOX_TOKEN: &str = "shipgate-sandbox-delhivery-token";
pub const SANDBOX_PICKUP_LOCATION: &str = "SHIPGATE SANDBOX WAREHOUSE";
pub const SANDBOX_CLIENT: &str = "SANDBOX-SHIPGATE";
/// A pincode the sandbox serves for nothing.
pub const UNSERVICEABLE_PIN: &str = "999999";
/// Destination pincodes ending in this get one failed delivery attempt.
pub const NDR_PIN_SUFFIX: &str = "99";

/// Settings that make the adapter talk to this simulator.
pub fn sandbox_settings() -> Settings {
    Settings::from([
        ("api_token".to_string(), SANDBOX_TOKEN.to_string()),
        (
            "pickup_location".to_string(),
            SANDBOX_PICKUP_LOCATION.to_string(),
        ),
    ])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Origin,
    Transit,
    Destination,
}

/// One scan a shipment will show, with real Delhivery codes (all in the mapping).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Step {
    status_type: &'static str,
    status: &'static str,
    nsl: &'static str,
    instructions: &'static str,
    place: Place,
}

const fn step(
    status_type: &'static str,
    status: &'static str,
    nsl: &'static str,
    instructions: &'static str,
    place: Place,
) -> Step {
    Step {
        status_type,
        status,
        nsl,
        instructions,
        place,
    }
}

const MANIFESTED: Step = step(
    "UD",
    "Manifested",
    "X-UCI",
    "Manifest uploaded",
    Place::Origin,
);
const PICKED_UP_CODE: &str = "X-PPOM";
const OUT_FOR_DELIVERY: Step = step(
    "UD",
    "Dispatched",
    "X-DDD3FD",
    "Out for delivery",
    Place::Destination,
);

/// After the manifest scan.
const FORWARD: [Step; 8] = [
    step(
        "UD",
        "Manifested",
        "FMPUR-101",
        "Pickup scheduled",
        Place::Origin,
    ),
    step(
        "UD",
        "In Transit",
        PICKED_UP_CODE,
        "Shipment picked up",
        Place::Origin,
    ),
    step(
        "UD",
        "In Transit",
        "X-PIOM",
        "Shipment Recieved at Origin Center",
        Place::Origin,
    ),
    step(
        "UD",
        "In Transit",
        "X-DLL2F",
        "Bag Added To Trip",
        Place::Origin,
    ),
    step(
        "UD",
        "In Transit",
        "X-ILL2F",
        "Trip Arrived",
        Place::Transit,
    ),
    step(
        "UD",
        "Pending",
        "X-IBD3F",
        "Shipment Received at Facility",
        Place::Destination,
    ),
    OUT_FOR_DELIVERY,
    step(
        "DL",
        "Delivered",
        "EOD-38",
        "Delivered to consignee",
        Place::Destination,
    ),
];

/// Inserted before the final delivery for NDR pincodes.
const FAILED_ATTEMPT: [Step; 2] = [
    step(
        "UD",
        "Pending",
        "EOD-11",
        "Consignee Unavailable",
        Place::Destination,
    ),
    OUT_FOR_DELIVERY,
];

const CANCELLED: Step = step(
    "UD",
    "Not Picked",
    "DTUP-210",
    "Seller cancelled the order",
    Place::Origin,
);

const RETURN: [Step; 4] = [
    step(
        "RT",
        "In Transit",
        "RT-101",
        "Returned as per Client Instructions",
        Place::Destination,
    ),
    step(
        "RT",
        "In Transit",
        "X-ILL2R",
        "IST received",
        Place::Transit,
    ),
    step(
        "RT",
        "Dispatched",
        "X-DRD3R",
        "Dispatched for RTO",
        Place::Origin,
    ),
    step("DL", "RTO", "RD-AC", "RETURN Accepted", Place::Origin),
];

#[derive(Debug, Clone)]
struct Scan {
    step: Step,
    time: DateTime<Utc>,
}

#[derive(Debug, Clone)]
struct SimShipment {
    waybill: String,
    order: String,
    order_type: &'static str,
    cod_amount: Value,
    invoice_amount: Value,
    origin: String,
    transit: String,
    destination: String,
    destination_city: String,
    pickup_location: String,
    manifested_at: DateTime<Utc>,
    history: Vec<Scan>,
    pending: VecDeque<Step>,
    cancelled: bool,
}

impl SimShipment {
    /// The latest scan; a shipment is created with its manifest scan, so there is one.
    fn last(&self) -> Scan {
        self.history.last().cloned().unwrap_or(Scan {
            step: MANIFESTED,
            time: self.manifested_at,
        })
    }

    fn picked_up(&self) -> bool {
        self.history.iter().any(|s| s.step.nsl == PICKED_UP_CODE)
    }

    fn finished(&self) -> bool {
        self.history
            .last()
            .is_some_and(|s| s.step.status_type == "DL")
            || self.history.iter().any(|s| s.step.status_type == "RT")
    }

    fn record(&mut self, step: Step, now: DateTime<Utc>) {
        // Delhivery's times have millisecond precision; keep them strictly increasing at
        // that precision even for calls within the same millisecond.
        let now = now.trunc_subsecs(3);
        let time = match self.history.last() {
            Some(last) if now <= last.time => last.time + Duration::milliseconds(1),
            _ => now,
        };
        self.history.push(Scan { step, time });
    }

    fn advance(&mut self, now: DateTime<Utc>) {
        if let Some(step) = self.pending.pop_front() {
            self.record(step, now);
        }
    }

    fn location(&self, place: Place) -> &str {
        match place {
            Place::Origin => &self.origin,
            Place::Transit => &self.transit,
            Place::Destination => &self.destination,
        }
    }

    fn time_of(&self, status_type: &str, status: &str) -> Value {
        self.history
            .iter()
            .find(|s| s.step.status_type == status_type && s.step.status == status)
            .map_or(Value::Null, |s| json!(format_ist(s.time)))
    }

    /// The `ShipmentData[].Shipment` object, key for key as in the captures.
    fn render(&self, with_scans: bool) -> Value {
        let last = self.last();
        let first_time = |wanted: fn(&Step) -> bool| {
            self.history
                .iter()
                .find(|s| wanted(&s.step))
                .map(|s| format_ist(s.time))
        };
        let mut shipment = json!({
            "AWB": self.waybill,
            "CODAmount": self.cod_amount,
            "ChargedWeight": null,
            "DeliveryDate": self.time_of("DL", "Delivered"),
            "DestRecieveDate": self.time_of("UD", "Pending"),
            "Destination": self.destination_city,
            "DispatchCount": self.history.iter().filter(|s| s.step.status == "Dispatched").count(),
            "Ewaybill": [],
            "ExpectedDeliveryDate": null,
            "Extras": "",
            "FirstAttemptDate": self.time_of("UD", "Dispatched"),
            "InvoiceAmount": self.invoice_amount,
            "OrderType": self.order_type,
            "Origin": self.origin,
            "OriginRecieveDate": null,
            "OutDestinationDate": null,
            "PickUpDate": format_ist(self.manifested_at),
            "PickedupDate": first_time(|s| s.nsl == PICKED_UP_CODE),
            "PickupLocation": self.pickup_location,
            "PromisedDeliveryDate": null,
            "Quantity": "1",
            "RTOStartedDate": first_time(|s| s.status_type == "RT"),
            "ReferenceNo": self.order,
            "ReturnPromisedDeliveryDate": null,
            "ReturnedDate": self.time_of("DL", "RTO"),
            "ReverseInTransit": false,
            "SenderName": SANDBOX_CLIENT,
            "Status": {
                "Instructions": last.step.instructions,
                "RecievedBy": "",
                "Status": last.step.status,
                "StatusCode": last.step.nsl,
                "StatusDateTime": format_ist(last.time),
                "StatusLocation": self.location(last.step.place),
                "StatusType": last.step.status_type,
            },
        });
        if with_scans {
            let scans: Vec<Value> = self
                .history
                .iter()
                .map(|s| {
                    let time = format_ist(s.time);
                    json!({"ScanDetail": {
                        "Instructions": s.step.instructions,
                        "Scan": s.step.status,
                        "ScanDateTime": time,
                        "ScanType": s.step.status_type,
                        "ScannedLocation": self.location(s.step.place),
                        "StatusCode": s.step.nsl,
                        "StatusDateTime": time,
                    }})
                })
                .collect();
            shipment["Scans"] = Value::Array(scans);
        }
        shipment
    }
}

/// Shipments are keyed by their booking's sequence number rather than a position in a
/// list, so forgetting the oldest does not move the others under the indexes.
#[derive(Debug, Default)]
struct State {
    /// Kept shipments by booking sequence number; the first is the oldest.
    shipments: BTreeMap<usize, SimShipment>,
    by_waybill: HashMap<String, usize>,
    by_order: HashMap<String, usize>,
    /// Bookings ever made, forgotten ones included; also the next sequence number.
    booked: usize,
    kept: usize,
    next_number: u64,
    uploads: u64,
}

impl State {
    fn keep(&mut self, shipment: SimShipment) {
        let id = self.booked;
        self.booked += 1;
        self.by_waybill.insert(shipment.waybill.clone(), id);
        self.by_order.insert(shipment.order.clone(), id);
        self.shipments.insert(id, shipment);
        while self.shipments.len() > self.kept {
            let Some((_, old)) = self.shipments.pop_first() else {
                break;
            };
            self.by_waybill.remove(&old.waybill);
            self.by_order.remove(&old.order);
        }
    }

    /// A unique 14-digit waybill. Numbers start from the clock so a restarted sandbox
    /// does not hand out waybills an earlier run already stored in the gateway.
    fn issue_waybill(&mut self) -> String {
        const SPAN: u64 = 10_000_000_000_000; // 10^13
        self.next_number += 1;
        (SPAN + self.next_number % SPAN).to_string()
    }
}

/// The simulator; all state sits behind one mutex, so it is shared freely across threads.
pub struct DelhiverySimulator {
    state: Mutex<State>,
}

impl Default for DelhiverySimulator {
    fn default() -> Self {
        Self::new()
    }
}

impl DelhiverySimulator {
    /// A simulator that keeps the most recent [`KEPT_BOOKINGS`] bookings.
    pub fn new() -> Self {
        Self::with_kept_bookings(KEPT_BOOKINGS)
    }

    /// A simulator that keeps only the most recent `kept` bookings (at least one), so
    /// tests can see forgetting without booking thousands.
    pub fn with_kept_bookings(kept: usize) -> Self {
        let seed = u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0);
        DelhiverySimulator {
            state: Mutex::new(State {
                next_number: seed,
                kept: kept.max(1),
                ..State::default()
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves plain data behind; keep serving.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Simulator for DelhiverySimulator {
    fn handle(&self, request: &SimRequest) -> SimResponse {
        let path = request.path.trim_end_matches('/');
        let route = (request.method.to_ascii_uppercase(), path);
        let known = matches!(
            (route.0.as_str(), route.1),
            ("POST", "/api/cmu/create.json")
                | ("GET", "/api/v1/packages/json" | "/api/packages/json")
                | ("POST", "/api/p/edit")
                | ("GET", "/c/api/pin-codes/json")
                | ("GET", "/api/kinko/v1/invoice/charges/.json")
        );
        if !known {
            return not_found_page();
        }
        if let Some(denied) = check_token(request) {
            return denied;
        }
        let now = Utc::now();
        match route.1 {
            "/api/cmu/create.json" => self.create(request, now),
            "/api/p/edit" => self.cancel(request),
            "/c/api/pin-codes/json" => pincodes(request),
            "/api/kinko/v1/invoice/charges/.json" => charges(request),
            _ => self.track(request, now),
        }
    }

    fn bookings(&self) -> usize {
        self.state().booked
    }
}

/// Delhivery's API sits behind token authentication that answers like Django REST
/// framework's: the "not provided" wording is the one Delhivery's FAQ lists for a
/// missing header.
fn check_token(request: &SimRequest) -> Option<SimResponse> {
    let detail = match request.header("authorization").map(str::trim) {
        None | Some("") => "Authentication credentials were not provided.",
        Some(value) => match value.strip_prefix("Token ") {
            Some(token) if token.trim() == SANDBOX_TOKEN => return None,
            _ => "Invalid token.",
        },
    };
    Some(SimResponse::json(401, &json!({ "detail": detail })))
}

fn not_found_page() -> SimResponse {
    // Delhivery's own 404 is its website's HTML page (staging 2017 capture).
    let page = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Delhivery | </title></head>\n\
                <body><div class=\"error-page\"><h1>Page not found</h1>\n\
                <p>The page you requested for was not found on this server.</p></div></body>\n</html>\n";
    SimResponse::raw(404, "text/html; charset=utf-8", page)
}

fn valid_pin(pin: &str) -> bool {
    pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit()) && !pin.starts_with('0')
}

fn serviceable(pin: &str) -> bool {
    valid_pin(pin) && pin != UNSERVICEABLE_PIN
}

fn cod_serviceable(pin: &str) -> bool {
    serviceable(pin) && !pin.starts_with('9')
}

/// A string field whether Delhivery's client sent it as a string or a number.
fn field(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn amount(value: &Value, key: &str) -> Value {
    let text = field(value, key);
    text.parse::<f64>().ok().map_or(json!(0), |n| json!(n))
}

fn place_name(city: &str, state: &str, kind: &str) -> String {
    let city: String = city.split_whitespace().collect();
    let city = if city.is_empty() {
        "Sandbox".to_string()
    } else {
        city
    };
    if state.is_empty() {
        format!("{city}_{kind}")
    } else {
        format!("{city}_{kind} ({state})")
    }
}

fn create_answer(
    success: bool,
    packages: Vec<Value>,
    upload_wbn: String,
    rmk: Option<&str>,
) -> SimResponse {
    let count = |mode: &str| {
        packages
            .iter()
            .filter(|p| p["payment"] == mode && p["status"] == "Success")
            .count()
    };
    let cod_total: f64 = packages
        .iter()
        .filter(|p| p["payment"] == "COD" && p["status"] == "Success")
        .filter_map(|p| p["cod_amount"].as_f64())
        .sum();
    let mut answer = json!({
        "cash_pickups_count": 0.0,
        "package_count": packages.len(),
        "prepaid_count": count("Pre-paid"),
        "pickups_count": 0,
        "replacement_count": 0,
        "cash_pickups": 0.0,
        "cod_amount": cod_total,
        "cod_count": count("COD"),
        "upload_wbn": upload_wbn,
        "packages": packages,
        "success": success,
    });
    if let Some(rmk) = rmk {
        answer["rmk"] = json!(rmk);
    }
    SimResponse::json(200, &answer)
}

impl DelhiverySimulator {
    fn create(&self, request: &SimRequest, now: DateTime<Utc>) -> SimResponse {
        let mut state = self.state();
        state.uploads += 1;
        let upload_wbn = format!("UPL{}{:04}", state.next_number, state.uploads % 10_000);
        let form: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&request.body).unwrap_or_default();
        let form_value = |key: &str| form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        if form_value("format") != Some("json") {
            return create_answer(
                false,
                Vec::new(),
                upload_wbn,
                Some("format key missing in the post"),
            );
        }
        let data: Value = match serde_json::from_str(form_value("data").unwrap_or_default()) {
            Ok(data) => data,
            Err(e) => {
                let remark =
                    format!("Error message is '{e}'. Quote this error message while reporting.");
                return create_answer(false, Vec::new(), upload_wbn, Some(&remark));
            }
        };
        let warehouse = data
            .get("pickup_location")
            .map(|p| field(p, "name"))
            .unwrap_or_default();
        if warehouse != SANDBOX_PICKUP_LOCATION {
            return create_answer(
                false,
                Vec::new(),
                upload_wbn,
                Some("ClientWarehouse matching query does not exist."),
            );
        }
        let shipments = match data.get("shipments").and_then(Value::as_array) {
            Some(list) if !list.is_empty() => list.clone(),
            _ => {
                return create_answer(
                    false,
                    Vec::new(),
                    upload_wbn,
                    Some("shipment list contains no data"),
                );
            }
        };
        let mut packages = Vec::new();
        for shipment in &shipments {
            packages.push(book(&mut state, shipment, &warehouse, now));
        }
        let success = packages.iter().all(|p| p["status"] == "Success");
        let rmk = (!success).then_some(
            "An internal Error has occurred, Please get in touch with client.support@delhivery.com",
        );
        create_answer(success, packages, upload_wbn, rmk)
    }

    fn track(&self, request: &SimRequest, now: DateTime<Utc>) -> SimResponse {
        let mut state = self.state();
        let split = |key: &str| -> Vec<String> {
            request
                .query_value(key)
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        let mut found: Vec<usize> = Vec::new();
        let by_waybill = split("waybill")
            .into_iter()
            .filter_map(|w| state.by_waybill.get(&w).copied());
        let by_order = split("ref_ids")
            .into_iter()
            .filter_map(|r| state.by_order.get(&r).copied());
        for id in by_waybill.chain(by_order) {
            if !found.contains(&id) {
                found.push(id);
            }
        }
        if found.is_empty() {
            return SimResponse::json(
                200,
                &json!({
                    "Success": false,
                    "Error": "Data does not exists for provided Waybill(s)",
                    "rmk": "Some error has occurred. Please contact client.support@delhivery.com with error message- Data does not exists for provided Waybill(s)",
                }),
            );
        }
        let with_scans = request
            .query_value("verbose")
            .is_some_and(|v| v.trim() != "0");
        let data: Vec<Value> = found
            .into_iter()
            .filter_map(|id| {
                let shipment = state.shipments.get_mut(&id)?;
                shipment.advance(now);
                Some(json!({ "Shipment": shipment.render(with_scans) }))
            })
            .collect();
        SimResponse::json(200, &json!({ "ShipmentData": data }))
    }

    fn cancel(&self, request: &SimRequest) -> SimResponse {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let waybill = field(&body, "waybill");
        let wants_cancel = match body.get("cancellation") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("true"),
            _ => false,
        };
        let mut state = self.state();
        let Some(shipment) = state
            .by_waybill
            .get(&waybill)
            .copied()
            .and_then(|id| state.shipments.get_mut(&id))
        else {
            // Not captured from Delhivery: wording ours, shape theirs.
            return cancel_reply(false, &waybill, "", "Waybill not found for this client.");
        };
        let order = shipment.order.clone();
        if !wants_cancel {
            return cancel_reply(
                false,
                &waybill,
                &order,
                "Nothing to update: cancellation was not requested.",
            );
        }
        if !shipment.cancelled {
            if shipment.finished() {
                return cancel_reply(
                    false,
                    &waybill,
                    &order,
                    "Shipment cannot be cancelled in its current status.",
                );
            }
            shipment.pending = if shipment.picked_up() {
                RETURN.into_iter().collect()
            } else {
                VecDeque::from([CANCELLED])
            };
            // Like the real one, the cancellation shows on a later tracking pull (the
            // next one here), not in the cancel answer.
            shipment.cancelled = true;
        }
        cancel_reply(true, &waybill, &order, "Shipment has been cancelled.")
    }
}

fn book(state: &mut State, shipment: &Value, warehouse: &str, now: DateTime<Utc>) -> Value {
    let order = field(shipment, "order");
    let pin = field(shipment, "pin");
    let is_cod = field(shipment, "payment_mode").eq_ignore_ascii_case("cod");
    let payment = if is_cod { "COD" } else { "Pre-paid" };
    let phone: String = field(shipment, "phone")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let sort_code = if valid_pin(&pin) {
        format!("SBX/{}", &pin[..3])
    } else {
        String::new()
    };
    let package = |waybill: &str, status: &str, serviceable: bool, remark: &str| {
        json!({
            "waybill": waybill,
            "refnum": order,
            "client": SANDBOX_CLIENT,
            "payment": payment,
            "cod_amount": if is_cod { amount(shipment, "cod_amount") } else { json!(0.0) },
            "status": status,
            "sort_code": sort_code,
            "serviceable": serviceable,
            "remarks": [remark],
        })
    };
    if order.is_empty() || order.len() > 50 {
        return package(
            "",
            "Fail",
            true,
            "oid does not pass the validator <lambda>.check if there any extra character or dots in column",
        );
    }
    if state.by_order.contains_key(&order) {
        return package("", "Fail", true, "Duplicate Order Id");
    }
    if !(if is_cod {
        cod_serviceable(&pin)
    } else {
        serviceable(&pin)
    }) {
        let remark = format!(
            "Crashing while saving package due to exception '{pin} is non serviceable pincode'. Package might have been partially saved."
        );
        return package("", "Fail", false, &remark);
    }
    // Delhivery takes 10 digits, optionally after 91 or 0 (error-remarks.csv).
    let national = match phone.len() {
        12 if phone.starts_with("91") => &phone[2..],
        11 if phone.starts_with('0') => &phone[1..],
        _ => phone.as_str(),
    };
    if national.len() != 10 {
        return package(
            "",
            "Fail",
            true,
            &format!("Incorrect phone number(s) for order {order}"),
        );
    }
    let waybill = state.issue_waybill();
    let mut pending: VecDeque<Step> = FORWARD.into_iter().collect();
    if pin.ends_with(NDR_PIN_SUFFIX) {
        // Failed attempt and re-dispatch go between out-for-delivery and delivered.
        let delivered = pending.pop_back();
        pending.extend(FAILED_ATTEMPT);
        pending.extend(delivered);
    }
    let origin_city = field(shipment, "return_city");
    let origin_state = field(shipment, "return_state");
    let city = field(shipment, "city");
    let state_name = field(shipment, "state");
    let mut sim = SimShipment {
        waybill: waybill.clone(),
        order: order.clone(),
        order_type: payment,
        cod_amount: if is_cod {
            amount(shipment, "cod_amount")
        } else {
            json!(0)
        },
        invoice_amount: amount(shipment, "total_amount"),
        origin: place_name(&origin_city, &origin_state, "Sandbox_H"),
        transit: "Sandbox_Gateway_GW (Sandbox)".to_string(),
        destination: place_name(&city, &state_name, "Sandbox_D"),
        destination_city: city,
        pickup_location: warehouse.to_string(),
        manifested_at: now.trunc_subsecs(3),
        history: Vec::new(),
        pending,
        cancelled: false,
    };
    sim.record(MANIFESTED, now);
    state.keep(sim);
    package(&waybill, "Success", true, "")
}

fn cancel_reply(ok: bool, waybill: &str, order: &str, remark: &str) -> SimResponse {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<root><status>{}</status><waybill>{}</waybill><order_id>{}</order_id><remark>{}</remark></root>",
        if ok { "True" } else { "False" },
        escape(waybill),
        escape(order),
        escape(remark),
    );
    SimResponse::raw(200, "application/xml; charset=utf-8", body)
}

fn state_code(pin: &str) -> &'static str {
    match pin.as_bytes().first() {
        Some(b'1') => "DL",
        Some(b'2') => "UP",
        Some(b'3') => "RJ",
        Some(b'4') => "MH",
        Some(b'5') => "KA",
        Some(b'6') => "TN",
        Some(b'7') => "WB",
        Some(b'8') => "BR",
        _ => "AP",
    }
}

fn pincodes(request: &SimRequest) -> SimResponse {
    let codes: Vec<Value> = request
        .query_value("filter_codes")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|pin| serviceable(pin))
        .map(|pin| {
            let yes_no = |b: bool| if b { "Y" } else { "N" };
            let cod = yes_no(cod_serviceable(pin));
            json!({"postal_code": {
                "remarks": "",
                "pin": pin.parse::<u64>().unwrap_or_default(),
                "country_code": "IN",
                "state_code": state_code(pin),
                "cod": cod,
                "pre_paid": "Y",
                "pickup": "Y",
                "cash": cod,
                "repl": "Y",
                "district": format!("Sandbox District {}", &pin[..3]),
                "is_oda": "N",
                "sort_code": format!("SBX/{}", &pin[..3]),
                "max_amount": 0.0,
                "max_weight": 0.0,
            }})
        })
        .collect();
    SimResponse::json(200, &json!({ "delivery_codes": codes }))
}

/// Paise as the rupee number Delhivery writes (`45.0`, `4.05`).
fn rupees(paise: i64) -> Value {
    json!(paise as f64 / 100.0)
}

fn percent(paise: i64, tenths_of_percent: i64) -> i64 {
    (paise * tenths_of_percent + 500) / 1000
}

/// The heaviest `cgm` (grams) the simulated charges API prices.
const MAX_CGM: f64 = 1e12;

fn charges(request: &SimRequest) -> SimResponse {
    let q = |key: &str| {
        request
            .query_value(key)
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let (md, o_pin, d_pin, pt) = (q("md"), q("o_pin"), q("d_pin"), q("pt"));
    // Bounded so that the charges below cannot overflow (10^12 g is far beyond any
    // shipment; shipgate sends at most 50 parcels' chargeable weight).
    let cgm = q("cgm")
        .parse::<f64>()
        .ok()
        .filter(|g| g.is_finite() && (0.0..=MAX_CGM).contains(g));
    // Not captured from Delhivery: wording ours.
    let bad = |what: &str| {
        SimResponse::json(
            400,
            &json!({ "error": format!("invalid or missing parameter: {what}") }),
        )
    };
    if !matches!(md.as_str(), "S" | "E") {
        return bad("md");
    }
    let Some(cgm) = cgm else { return bad("cgm") };
    if !valid_pin(&o_pin) {
        return bad("o_pin");
    }
    if !valid_pin(&d_pin) {
        return bad("d_pin");
    }
    if !serviceable(&o_pin) || !serviceable(&d_pin) {
        return SimResponse::json(200, &json!({ "error": "NSZ" }));
    }
    let shared = o_pin
        .bytes()
        .zip(d_pin.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let zone = match shared {
        3.. => "A",
        2 => "B",
        1 => "C",
        _ => "D",
    };
    let per_slab: i64 = match (md.as_str(), zone) {
        ("S", "A") => 3000,
        ("S", "B") => 3500,
        ("S", "C") => 4000,
        ("S", _) => 5000,
        (_, "A") => 4000,
        (_, "B") => 5500,
        (_, "C") => 6500,
        _ => 8000,
    };
    let slabs = ((cgm / 500.0).ceil() as i64).max(1);
    let freight = slabs * per_slab;
    let fuel = percent(freight, 100);
    let cod = if pt.eq_ignore_ascii_case("cod") {
        let cod_paise = match q("cod").parse::<f64>() {
            Err(_) => 0,
            // Within Money::MAX_AMOUNT, not saturated by an `as` cast.
            Ok(rupees) => match Money::from_major_f64(rupees, Currency::inr()) {
                Some(m) => m.amount,
                None => return bad("cod"),
            },
        };
        percent(cod_paise, 15).max(3500)
    } else {
        0
    };
    let gross = freight + fuel + cod;
    let same_circle = shared >= 2;
    let (cgst, sgst, igst) = if same_circle {
        (percent(gross, 90), percent(gross, 90), 0)
    } else {
        (0, 0, percent(gross, 180))
    };
    let total = gross + cgst + sgst + igst;
    let item = json!({
        "charge_ROV": 0.0, "charge_REATTEMPT": 0.0, "charge_RTO": 0.0, "charge_MPS": 0.0,
        "charge_pickup": 0.0, "charge_CWH": 0.0, "charge_DEMUR": 0.0, "charge_AWB": 0.0,
        "charge_AIR": 0.0, "charge_LABEL": 0.0, "charge_PEAK": 0.0, "charge_POD": 0.0,
        "charge_LM": 0.0, "charge_CCOD": 0.0, "charge_E2E": 0.0, "charge_DTO": 0.0,
        "charge_COVID": 0.0, "charge_DPH": 0.0, "charge_FOD": 0.0, "charge_DOCUMENT": 0.0,
        "charge_WOD": 0.0, "charge_INS": 0.0, "charge_FS": 0.0, "charge_CNC": 0.0,
        "charge_FOV": 0.0, "charge_QC": 0.0,
        "charge_DL": rupees(freight),
        "charge_FSC": rupees(fuel),
        "charge_COD": rupees(cod),
        "gross_amount": rupees(gross),
        "total_amount": rupees(total),
        "tax_data": {
            "swacch_bharat_tax": 0.0,
            "IGST": rupees(igst),
            "SGST": rupees(sgst),
            "krishi_kalyan_cess": 0.0,
            "CGST": rupees(cgst),
            "service_tax": 0.0,
        },
        "zone": zone,
        "wt_rule_id": null,
        "zonal_cl": null,
        "charged_weight": cgm,
        "status": q("ss"),
        "adhoc_data": {},
    });
    SimResponse::json(200, &json!([item]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str, query: &[(&str, &str)]) -> SimRequest {
        SimRequest {
            method: "GET".into(),
            path: path.into(),
            query: query
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            headers: vec![("authorization".into(), format!("Token {SANDBOX_TOKEN}"))],
            ..SimRequest::default()
        }
    }

    fn post(path: &str, body: Vec<u8>) -> SimRequest {
        SimRequest {
            method: "POST".into(),
            body,
            ..get(path, &[])
        }
    }

    fn json_of(resp: &SimResponse) -> Value {
        serde_json::from_slice(&resp.body).unwrap()
    }

    /// Books one prepaid shipment under `order`; the package answer.
    fn create(sim: &DelhiverySimulator, order: &str) -> Value {
        let data = json!({
            "pickup_location": {"name": SANDBOX_PICKUP_LOCATION},
            "shipments": [{
                "order": order,
                "pin": "560102",
                "payment_mode": "Prepaid",
                "phone": "9876543210",
                "city": "Bengaluru",
                "state": "Karnataka",
                "total_amount": "499",
            }],
        });
        let form =
            serde_urlencoded::to_string([("format", "json"), ("data", &data.to_string())]).unwrap();
        let resp = sim.handle(&post("/api/cmu/create.json", form.into_bytes()));
        json_of(&resp)["packages"][0].clone()
    }

    fn book(sim: &DelhiverySimulator, order: &str) -> String {
        let package = create(sim, order);
        assert_eq!(package["status"], "Success", "{package}");
        package["waybill"].as_str().unwrap().to_string()
    }

    /// Tracks one waybill or order (`key` is `waybill` or `ref_ids`) with scans.
    fn track(sim: &DelhiverySimulator, key: &str, id: &str) -> Value {
        json_of(&sim.handle(&get(
            "/api/v1/packages/json/",
            &[(key, id), ("verbose", "1")],
        )))
    }

    fn assert_unknown(answer: &Value) {
        assert_eq!(
            answer["Error"], "Data does not exists for provided Waybill(s)",
            "{answer}"
        );
    }

    #[test]
    fn forgets_the_oldest_bookings_beyond_the_bound() {
        let sim = DelhiverySimulator::with_kept_bookings(3);
        let waybills: Vec<String> = (1..=5).map(|n| book(&sim, &format!("ORD-{n}"))).collect();
        assert_eq!(sim.bookings(), 5, "forgotten bookings still count");

        for (waybill, order) in waybills[..2].iter().zip(["ORD-1", "ORD-2"]) {
            assert_unknown(&track(&sim, "waybill", waybill));
            assert_unknown(&track(&sim, "ref_ids", order));
            let cancel = sim.handle(&post(
                "/api/p/edit",
                json!({"waybill": waybill, "cancellation": "true"})
                    .to_string()
                    .into_bytes(),
            ));
            let body = String::from_utf8(cancel.body).unwrap();
            assert!(body.contains("<status>False</status>"), "{body}");
            assert!(body.contains("Waybill not found"), "{body}");
        }

        let scans = |answer: &Value| {
            answer["ShipmentData"][0]["Shipment"]["Scans"]
                .as_array()
                .map_or(0, Vec::len)
        };
        for (waybill, order) in waybills[2..].iter().zip(["ORD-3", "ORD-4", "ORD-5"]) {
            let first = track(&sim, "waybill", waybill);
            let second = track(&sim, "ref_ids", order);
            assert_eq!(second["ShipmentData"][0]["Shipment"]["AWB"], *waybill);
            // Booked with the manifest scan; each track call reveals one more.
            assert_eq!(scans(&first), 2, "{first}");
            assert_eq!(scans(&second), 3, "{second}");
        }

        let again = create(&sim, "ORD-5");
        assert_eq!(again["status"], "Fail");
        assert_eq!(again["remarks"], json!(["Duplicate Order Id"]));
        assert_eq!(sim.bookings(), 5);

        // A forgotten order left no index behind: it books afresh, as documented.
        let rebooked = book(&sim, "ORD-1");
        assert!(!waybills.contains(&rebooked));
        assert_eq!(sim.bookings(), 6);
        assert_unknown(&track(&sim, "waybill", &waybills[2]));
    }

    #[test]
    fn wrong_or_missing_token_is_401() {
        let sim = DelhiverySimulator::new();
        let mut req = get("/c/api/pin-codes/json/", &[("filter_codes", "560001")]);
        req.headers = vec![("authorization".into(), "Token nope".into())];
        let resp = sim.handle(&req);
        assert_eq!(resp.status, 401);
        assert!(String::from_utf8_lossy(&resp.body).contains("Invalid token."));
        req.headers.clear();
        assert_eq!(sim.handle(&req).status, 401);
    }

    #[test]
    fn unknown_path_is_delhivery_html_404() {
        let sim = DelhiverySimulator::new();
        let resp = sim.handle(&get("/api/nothing/here", &[]));
        assert_eq!(resp.status, 404);
        assert!(resp.content_type.starts_with("text/html"));
    }

    #[test]
    fn serviceability_rules() {
        let sim = DelhiverySimulator::new();
        let resp = sim.handle(&get(
            "/c/api/pin-codes/json/",
            &[("filter_codes", "560001,999999,940001")],
        ));
        let v: Value = serde_json::from_slice(&resp.body).unwrap();
        let codes = v["delivery_codes"].as_array().unwrap();
        assert_eq!(codes.len(), 2);
        assert_eq!(codes[0]["postal_code"]["cod"], "Y");
        assert_eq!(codes[1]["postal_code"]["cod"], "N");
        assert_eq!(codes[1]["postal_code"]["pre_paid"], "Y");
    }

    #[test]
    fn charges_formula() {
        let sim = DelhiverySimulator::new();
        let resp = sim.handle(&get(
            "/api/kinko/v1/invoice/charges/.json",
            &[
                ("md", "S"),
                ("ss", "Delivered"),
                ("o_pin", "110001"),
                ("d_pin", "560001"),
                ("cgm", "1200"),
                ("pt", "Pre-paid"),
                ("cod", "0"),
            ],
        ));
        let v: Value = serde_json::from_slice(&resp.body).unwrap();
        // Zone D surface: 3 slabs x Rs 50 = 150; fuel 15; IGST 18 % of 165 = 29.70.
        assert_eq!(v[0]["charge_DL"], json!(150.0));
        assert_eq!(v[0]["charge_FSC"], json!(15.0));
        assert_eq!(v[0]["tax_data"]["IGST"], json!(29.7));
        assert_eq!(v[0]["total_amount"], json!(194.7));
        let nsz = sim.handle(&get(
            "/api/kinko/v1/invoice/charges/.json",
            &[
                ("md", "E"),
                ("o_pin", "110001"),
                ("d_pin", "999999"),
                ("cgm", "500"),
            ],
        ));
        assert_eq!(
            serde_json::from_slice::<Value>(&nsz.body).unwrap(),
            json!({"error": "NSZ"})
        );
    }
}
