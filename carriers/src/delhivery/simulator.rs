//! Delhivery's API in-process, for sandbox mode and tests: Delhivery's paths and wire
//! format on the simulator kit ([`crate::simulator`]).
//!
//! It answers in Delhivery's format, quirks included, so the adapter's real parsers run
//! against it: form-encoded create with errors inside HTTP 200, JSON tracking with
//! `Scans[].ScanDetail` and zone-less IST times (fraction trimmed the way Delhivery trims
//! it), an XML cancel reply, the unknown-waybill error in HTTP 200, and a 401 for a wrong
//! token.
//!
//! Sandbox rules (deterministic, apart from waybill numbers and scan times):
//! - token [`SANDBOX_TOKEN`] (account `default`), registered warehouse
//!   [`SANDBOX_PICKUP_LOCATION`]; more tokens are accepted once registered as
//!   [accounts](crate::simulator::accounts) (`POST /_accounts`,
//!   `{"account": "a", "api_token": "…"}`), each account's requests counted
//!   (`GET /_accounts`), its bookings shared with every other account;
//! - pincode [`UNSERVICEABLE_PIN`] is served for nothing; pincodes starting with 9 (in
//!   India, the Army Postal Service range) are served for prepaid but not for COD;
//! - every track call moves each tracked shipment forward one scan of the journey table
//!   below, its detours chosen by the kit's [`rules`](crate::simulator::rules) (`99`,
//!   [`NDR_PIN_SUFFIX`], one failed attempt);
//! - cancel before pickup ends the shipment as Delhivery does (`UD` / `Not Picked` /
//!   `DTUP-210 Seller cancelled the order`, per the 2026 capture); cancel after pickup
//!   turns it into an RTO; cancel is idempotent like the real API; a delivered, returning
//!   or lost shipment cannot be cancelled;
//! - a reused `order` is refused as `Duplicate Order Id`, so a retried booking never
//!   allocates a second waybill;
//! - tracking takes `ref_ids=` (the `order` sent at booking, comma-separated like
//!   `waybill=`) as well as waybills, so a booking whose answer the gateway never saw is
//!   found by shipgate's shipment id; a reference nobody booked, or a shipment the kit's
//!   store forgot, gets the unknown-waybill answer (HTTP 200; assumed for `ref_ids`);
//! - charges: Rs 30–80 per 500 g slab by mode and zone (zone from how many leading pincode
//!   digits match), 10 % fuel surcharge, COD fee of 1.5 % (at least Rs 35), 18 % GST split
//!   CGST/SGST within a state circle and IGST across.
//!
//! - NDR instructions (`POST /api/p/update`, `{"data": [{"waybill", "act", "action_data"}]}`)
//!   are taken the way Delhivery documents them, asynchronously: every request is answered
//!   `{"request_id": "UPL…"}` and each waybill's outcome is read from
//!   `GET /api/cmu/get_bulk_upl/<UPL…>` (`{"request_id", "status": "Completed", "data":
//!   [{"waybill", "act", "status": "Success"|"Fail", "remark"}]}`; the last
//!   [`KEPT_UPLOADS`] kept). `RE-ATTEMPT`, `DEFER_DLV` (with `deferred_date`,
//!   `YYYY-MM-DD`) and `EDIT_DETAILS` (with any of `name`, `phone`, `add`) succeed only
//!   for a parcel whose latest scan is a failed attempt not yet instructed (pincodes
//!   ending `99` or `98`); the next track calls then show it out for delivery again and
//!   delivered. Anything else, an unknown waybill included, is a `Fail` line. Both answer
//!   shapes and every remark are ours: Delhivery publishes neither. The six-day limit on
//!   `deferred_date` is not checked.
//!
//! Answers for situations no capture shows (refused cancel, bad charges parameters) follow
//! Delhivery's shapes with wording of our own; they are marked where they are built.

use std::collections::VecDeque;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::carrier::Settings;
use crate::kit::time::IST;
use crate::schema::{Currency, Money};
use crate::simulator::ids::Counter;
use crate::simulator::journey::{
    Detour, Instruction, Journey, Mark, Place, Places, Scan, Step, Trip, step,
};
use crate::simulator::pricing::{CodFee, Gst, Pricing, Round, Zone};
use crate::simulator::rules::{self, Pins, Serviceability, is_pincode};
use crate::simulator::sandbox::{Books, Reveal, Route, Sandbox, Wire, reply};
use crate::simulator::store::Key;
use crate::simulator::tokens::{Gate, Refused};
use crate::simulator::values::{flag, indian_mobile, list, number, rupees, text, xml_escape};
use crate::simulator::{Answer, SimRequest, SimResponse, require};

use super::simulator_pickups::Warehouses;

pub const SANDBOX_TOKEN: &str = "shipgate-sandbox-delhivery-token";
pub const SANDBOX_PICKUP_LOCATION: &str = "SHIPGATE SANDBOX WAREHOUSE";
pub const SANDBOX_CLIENT: &str = "SANDBOX-SHIPGATE";
/// A pincode the sandbox serves for nothing.
pub const UNSERVICEABLE_PIN: &str = "999999";
/// Destination pincodes ending in this get one failed delivery attempt.
pub const NDR_PIN_SUFFIX: &str = "99";
/// How many NDR uploads' statuses the sandbox keeps.
pub const KEPT_UPLOADS: usize = 1_000;

/// Settings that make the adapter talk to this simulator.
pub fn sandbox_settings() -> Settings {
    let pairs = [
        ("api_token", SANDBOX_TOKEN),
        ("pickup_location", SANDBOX_PICKUP_LOCATION),
    ];
    pairs.map(|(k, v)| (k.to_string(), v.to_string())).into()
}

/// Delhivery's wire format and sandbox rules, as the kit's configuration.
pub struct Delhivery;

/// Delhivery's API in the sandbox: the kit configured by [`Delhivery`].
pub type DelhiverySimulator = Sandbox<Delhivery>;
type S = DelhiverySimulator;

impl Wire for Delhivery {
    const GATE: Gate = Gate::fixed("Token", "api_token");
    const ACCOUNT: &'static [(&'static str, &'static str)] = &[("api_token", SANDBOX_TOKEN)];
    /// A booking shows its manifest scan; each track call shows the next one.
    const REVEAL: Reveal = Reveal::Before;

    type Record = Shipment;
    type Code = Code;
    type Numbers = Numbers;
    #[rustfmt::skip]
    const ROUTES: &'static [Route<Self>] = &[
        Route::post("/api/cmu/create.json",                S::create),
        Route::get("/api/v1/packages/json",                S::track).or("/api/packages/json"),
        Route::post("/api/p/edit",                         S::cancel),
        Route::post("/api/p/update",                       S::ndr),
        Route::get("/api/cmu/get_bulk_upl/",               S::ndr_status).below(),
        Route::get("/c/api/pin-codes/json",                S::pincodes),
        Route::get("/api/kinko/v1/invoice/charges/.json",  S::charges),
        Route::post("/api/backend/clientwarehouse/create", S::warehouse_create),
        Route::post("/fm/request/new",                     S::pickup_request),
        Route::post("/_accounts",                          S::add_account).open(),
        Route::get("/_accounts",                           S::accounts).open(),
    ];

    fn trip(shipment: &mut Shipment) -> Option<&mut Trip<Code>> {
        Some(&mut shipment.trip)
    }

    fn numbers() -> Numbers {
        Numbers {
            waybills: Counter::from_clock(),
            uploads: Counter::new(),
            ndr_uploads: VecDeque::new(),
            warehouses: Warehouses::default(),
        }
    }

    /// The pincodes the sandbox serves, as documented above.
    const SERVED: Serviceability = Serviceability {
        unserved: &[Pins::Exactly(UNSERVICEABLE_PIN)],
        prepaid_only: &[Pins::StartingWith("9")],
    };

    /// The sandbox's charges, as documented above: paise per 500 g slab by mode
    /// (`S`urface, `E`xpress) in zones A–D (3, 2, 1, 0 leading pincode digits shared).
    fn pricing() -> Pricing {
        let zones = [("A", 3), ("B", 2), ("C", 1), ("D", 0)].map(|(n, d)| Zone::new(n, d));
        let card = [
            ("S", [3000, 3500, 4000, 5000]),
            ("E", [4000, 5500, 6500, 8000]),
        ];
        Pricing {
            fuel_per_mille: 100,
            cod: Some(CodFee::new(15, 3500, Round::Nearest)),
            gst: Some(Gst::new(180, 2)),
            ..Pricing::by_zone(500, zones, &card)
        }
    }

    /// Delhivery's token authentication answers like Django REST framework's: the "not
    /// provided" wording is the one Delhivery's FAQ lists for a missing header.
    fn refused(why: Refused) -> SimResponse {
        let detail = match why {
            Refused::Missing => "Authentication credentials were not provided.",
            Refused::Unknown | Refused::Expired => "Invalid token.",
        };
        SimResponse::json(401, &json!({ "detail": detail }))
    }

    /// Delhivery's own 404 is its website's HTML page (staging 2017 capture).
    fn unknown_path() -> SimResponse {
        let page = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Delhivery | </title></head>\n\
                    <body><div class=\"error-page\"><h1>Page not found</h1>\n\
                    <p>The page you requested for was not found on this server.</p></div></body>\n</html>\n";
        SimResponse::raw(404, "text/html; charset=utf-8", page)
    }
}

/// The numbers Delhivery hands out: waybills, seeded from the clock so a restarted
/// sandbox does not hand out waybills an earlier run already stored in the gateway, and
/// upload numbers, one per create or NDR call; with the statuses of the latest NDR
/// uploads, by their id.
pub struct Numbers {
    waybills: Counter,
    uploads: Counter,
    ndr_uploads: VecDeque<(String, Value)>,
    /// Registered warehouses and pickups (`simulator_pickups.rs`).
    pub(super) warehouses: Warehouses,
}

impl Numbers {
    /// A new upload id, `UPL` and digits like the create answer's `upload_wbn`.
    fn upload_id(&mut self) -> String {
        let upload = self.uploads.issue() % 10_000;
        format!("UPL{}{upload:04}", self.waybills.current())
    }
}

/// One scan's codes as Delhivery writes them (all in the mapping): StatusType, Status,
/// NSL code, instructions.
type Code = (&'static str, &'static str, &'static str, &'static str);

use Place::{Destination as Dest, Origin, Transit};

#[rustfmt::skip]
const OUT_FOR_DELIVERY: Step<Code> = step(("UD", "Dispatched", "X-DDD3FD", "Out for delivery"), Dest);
#[rustfmt::skip]
const TRIP_ARRIVED: Step<Code> = step(("UD", "In Transit", "X-ILL2F", "Trip Arrived"), Transit);
/// The way back, after its first scan (why it goes back).
#[rustfmt::skip]
const BACK: [Step<Code>; 3] = [
    step(("RT", "In Transit", "X-ILL2R", "IST received"),       Transit).marked(Mark::Returning),
    step(("RT", "Dispatched", "X-DRD3R", "Dispatched for RTO"), Origin).marked(Mark::Returning),
    step(("DL", "RTO",        "RD-AC",   "RETURN Accepted"),    Origin).marked(Mark::Returning),
];
/// A failed attempt (an NDR: the parcel waits for the seller's instruction), then out for
/// delivery again.
#[rustfmt::skip]
const ATTEMPT: [Step<Code>; 2] = [step(("UD", "Pending", "EOD-11", "Consignee Unavailable"), Dest).marked(Mark::Undelivered), OUT_FOR_DELIVERY];
#[rustfmt::skip]
const DELIVERED: Step<Code> = step(("DL", "Delivered", "EOD-38", "Delivered to consignee"), Dest).marked(Mark::Delivered);
/// Back to the origin after failed attempts, ending with Delhivery's RTO-delivered scan.
#[rustfmt::skip]
const RTO: [Step<Code>; 4] = [
    step(("RT", "In Transit", "RT-107", "Unsuccessful NDR Reattempt"), Dest).marked(Mark::Returning), BACK[0], BACK[1], BACK[2],
];

#[rustfmt::skip]
static JOURNEY: Journey<Code> = Journey {
    forward: &[
        step(("UD", "Manifested", "X-UCI",     "Manifest uploaded"),                  Origin),
        step(("UD", "Manifested", "FMPUR-101", "Pickup scheduled"),                   Origin),
        step(("UD", "In Transit", "X-PPOM",    "Shipment picked up"),                 Origin).marked(Mark::PickedUp),
        step(("UD", "In Transit", "X-PIOM",    "Shipment Recieved at Origin Center"), Origin),
        step(("UD", "In Transit", "X-DLL2F",   "Bag Added To Trip"),                  Origin),
        TRIP_ARRIVED,
        step(("UD", "Pending",    "X-IBD3F",   "Shipment Received at Facility"),      Dest),
        OUT_FOR_DELIVERY,
        DELIVERED,
    ],
    cancelled: &[step(("UD", "Not Picked", "DTUP-210", "Seller cancelled the order"), Origin)],
    returned: &[step(("RT", "In Transit", "RT-101", "Returned as per Client Instructions"), Dest).marked(Mark::Returning), BACK[0], BACK[1], BACK[2]],
    redelivered: &[OUT_FOR_DELIVERY, DELIVERED],
    // Delhivery's NDR API takes no return instruction; the simulator never gives one.
    rto: &RTO,
    detours: &[
        (rules::NDR, &[Detour::attempts(&ATTEMPT, 1)]),
        (rules::RTO, &[Detour::attempts(&ATTEMPT, 2), Detour::returned(&RTO)]),
        (rules::LOST, &[Detour::lost(&[step(("LT", "Lost", "LT-100", "Shipment Lost"), Transit).marked(Mark::Lost)])]),
        (rules::MISROUTED, &[Detour::misrouted(&[step(("UD", "In Transit", "DLYMR-118", "Misrouted"), Transit), TRIP_ARRIVED])]),
    ],
    time_digits: 3,
};

/// A scan time as Delhivery writes it: IST wall time, no zone, milliseconds with trailing
/// zeros dropped (`…:25.57`, and no fraction at all on a whole second).
fn ist(scan: &Scan<Code>) -> String {
    IST.format_trimmed(scan.time, "%Y-%m-%dT%H:%M:%S%.3f")
}

/// A booking as the sandbox keeps it.
pub struct Shipment {
    waybill: String,
    order: String,
    /// The shipment as booked, for the fields tracking echoes.
    booked: Value,
    pub(super) trip: Trip<Code>,
}

impl Shipment {
    /// A field of the shipment as booked, as text.
    pub(super) fn booked_field(&self, key: &str) -> String {
        field(&self.booked, key)
    }

    /// The `ShipmentData[].Shipment` object, key for key as in the captures.
    fn render(&self, with_scans: bool) -> Value {
        let (trip, scans) = (&self.trip, self.trip.scans());
        let time_of = |kind: &str, status: &str| {
            let matches = |s: &&Scan<Code>| (s.step.code.0, s.step.code.1) == (kind, status);
            scans.iter().find(matches).map(ist)
        };
        let status = trip.last().map(|last| {
            let (kind, status, nsl, says) = last.step.code;
            json!({
                "Instructions": says, "RecievedBy": "", "Status": status, "StatusCode": nsl,
                "StatusDateTime": ist(last), "StatusLocation": trip.location(last.step.place),
                "StatusType": kind,
            })
        });
        let dispatches = scans.iter().filter(|s| s.step.code.1 == "Dispatched");
        let (payment, cod_amount) = payment(&self.booked);
        let mut shipment = json!({
            "AWB": self.waybill, "CODAmount": cod_amount.unwrap_or(json!(0)), "ChargedWeight": null,
            "DeliveryDate": time_of("DL", "Delivered"), "DestRecieveDate": time_of("UD", "Pending"),
            "Destination": field(&self.booked, "city"), "DispatchCount": dispatches.count(),
            "Ewaybill": [], "ExpectedDeliveryDate": null, "Extras": "",
            "FirstAttemptDate": time_of("UD", "Dispatched"), "InvoiceAmount": amount(&self.booked, "total_amount"),
            "OrderType": payment, "Origin": trip.location(Place::Origin),
            "OriginRecieveDate": null, "OutDestinationDate": null,
            "PickUpDate": scans.first().map(ist),
            "PickedupDate": trip.first(Mark::PickedUp).map(ist),
            "PickupLocation": SANDBOX_PICKUP_LOCATION, "PromisedDeliveryDate": null, "Quantity": "1",
            "RTOStartedDate": trip.first(Mark::Returning).map(ist), "ReferenceNo": self.order,
            "ReturnPromisedDeliveryDate": null, "ReturnedDate": time_of("DL", "RTO"),
            "ReverseInTransit": payment == "Pickup" && trip.reached(Mark::PickedUp), "SenderName": SANDBOX_CLIENT, "Status": status,
        });
        if with_scans {
            let scans = scans.iter().map(|s| {
                let ((kind, status, nsl, says), time) = (s.step.code, ist(s));
                json!({"ScanDetail": {
                    "Instructions": says, "Scan": status, "ScanDateTime": time,
                    "ScanType": kind, "ScannedLocation": trip.location(s.step.place),
                    "StatusCode": nsl, "StatusDateTime": time,
                }})
            });
            shipment["Scans"] = scans.collect();
        }
        shipment
    }
}

/// A string field whether Delhivery's client sent it as a string or a number.
fn field(value: &Value, key: &str) -> String {
    text(value, key).unwrap_or_default()
}

/// A facility in Delhivery's style, `Bengaluru_Sandbox_D (Karnataka)`.
fn place_name(city: &str, state: &str, kind: &str) -> String {
    let city: String = city.split_whitespace().collect();
    Places::facility(if city.is_empty() { "Sandbox" } else { &city }, kind, state)
}

/// The create answer around the packages booked (or not).
fn create_answer(packages: Vec<Value>, upload_wbn: &str, rmk: Option<&str>) -> SimResponse {
    let booked = |mode: &'static str| {
        let booked = packages.iter().filter(move |p| p["status"] == "Success");
        booked.filter(move |p| p["payment"] == mode)
    };
    let cod_total: f64 = booked("COD").filter_map(|p| p["cod_amount"].as_f64()).sum();
    let mut answer = json!({
        "cash_pickups_count": 0.0, "package_count": packages.len(),
        "prepaid_count": booked("Pre-paid").count(), "pickups_count": booked("Pickup").count(), "replacement_count": 0,
        "cash_pickups": 0.0, "cod_amount": cod_total, "cod_count": booked("COD").count(),
        "upload_wbn": upload_wbn, "success": rmk.is_none(), "packages": packages,
    });
    if let Some(rmk) = rmk {
        answer["rmk"] = json!(rmk);
    }
    SimResponse::json(200, &answer)
}

impl DelhiverySimulator {
    fn create(&self, request: &SimRequest) -> Answer {
        let mut books = self.books();
        let upload_wbn = books.numbers.upload_id();
        let fail = |remark: &str| create_answer(Vec::new(), &upload_wbn, Some(remark));
        let json_format = request.form_value("format").as_deref() == Some("json");
        require(json_format, || fail("format key missing in the post"))?;
        let data = request.form_value("data").unwrap_or_default();
        let quote = "Quote this error message while reporting.";
        let data: Value = serde_json::from_str(&data)
            .map_err(|e| fail(&format!("Error message is '{e}'. {quote}")))?;
        let warehouse = data.get("pickup_location").map(|p| field(p, "name"));
        let registered = warehouse.as_deref() == Some(SANDBOX_PICKUP_LOCATION);
        require(registered, || {
            fail("ClientWarehouse matching query does not exist.")
        })?;
        let shipments = list(&data, "shipments");
        let shipments = shipments.ok_or_else(|| fail("shipment list contains no data"))?;
        let now = Utc::now();
        let book = |s| self.book(&mut books, s, now);
        let packages: Vec<Value> = shipments.iter().map(book).collect();
        let failed = packages.iter().any(|p| p["status"] != "Success");
        let rmk = failed.then_some(INTERNAL_ERROR);
        Ok(create_answer(packages, &upload_wbn, rmk))
    }

    /// Books one shipment of a create call (the warehouse already checked); its package.
    fn book(&self, books: &mut Books<Delhivery>, shipment: &Value, now: DateTime<Utc>) -> Value {
        let f = |key: &str| field(shipment, key);
        let (order, pin) = (f("order"), f("pin"));
        let (payment, cod_amount) = payment(shipment);
        let sort_code = is_pincode(&pin).then(|| format!("SBX/{}", &pin[..3]));
        let package = |waybill: &str, status: &str, serviceable: bool, remark: &str| {
            json!({
                "waybill": waybill, "refnum": order, "client": SANDBOX_CLIENT, "payment": payment,
                "cod_amount": cod_amount.clone().unwrap_or(json!(0.0)), "status": status,
                "sort_code": sort_code.clone().unwrap_or_default(), "serviceable": serviceable,
                "remarks": [remark],
            })
        };
        let failed = |serviceable, remark: &str| package("", "Fail", serviceable, remark);
        if order.is_empty() || order.len() > 50 {
            return failed(true, BAD_ORDER_ID);
        }
        let Ok(slot) = books.store.vacant(&order) else {
            return failed(true, "Duplicate Order Id");
        };
        if !self.served.serves_for(&pin, cod_amount.is_some()) {
            let crash = "Crashing while saving package due to exception";
            let remark = format!("{crash} '{pin} is non serviceable pincode'. {PARTIALLY_SAVED}");
            return failed(false, &remark);
        }
        // Delhivery takes 10 digits, optionally after 91 or 0 (error-remarks.csv).
        if indian_mobile(&f("phone")).is_none() {
            let remark = format!("Incorrect phone number(s) for order {order}");
            return failed(true, &remark);
        }
        let reverse = is_reverse_pickup(shipment);
        if reverse && let Err(remark) = reverse_pickup_fits(shipment) {
            return failed(true, &remark);
        }
        let waybill = books.numbers.waybills.issue_fixed(14);
        let mut trip = match reverse {
            true => reverse_trip(shipment),
            false => {
                let origin = place_name(&f("return_city"), &f("return_state"), "Sandbox_H");
                let destination = place_name(&f("city"), &f("state"), "Sandbox_D");
                let places = Places::new(&origin, "Sandbox_Gateway_GW (Sandbox)", &destination);
                JOURNEY.trip(&pin, places)
            }
        };
        trip.advance(now); // booked with its manifest scan
        let kept = Shipment {
            waybill: waybill.clone(),
            order: order.clone(),
            booked: shipment.clone(),
            trip,
        };
        slot.insert(kept, [(Key::Awb, waybill.clone())]);
        books.store.count_booking();
        package(&waybill, "Success", true, "")
    }

    fn track(&self, request: &SimRequest) -> Answer {
        let waybills = request.query_list("waybill").map(|w| (Key::Awb, w));
        let references = request.query_list("ref_ids").map(|r| (Key::Reference, r));
        let verbose = request.query_value("verbose").map(str::trim);
        let with_scans = !matches!(verbose, None | Some("0"));
        let render = |s: &Shipment| json!({ "Shipment": s.render(with_scans) });
        let data = self.track_each(waybills.chain(references), render);
        if data.is_empty() {
            let error = "Data does not exists for provided Waybill(s)";
            let rmk = format!("Some error has occurred. {SUPPORT} with error message- {error}");
            return reply(json!({ "Success": false, "Error": error, "rmk": rmk }));
        }
        reply(json!({ "ShipmentData": data }))
    }

    fn cancel(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let waybill = field(&body, "waybill");
        let wants_cancel = flag(&body, "cancellation");
        let mut books = self.books();
        let Some(shipment) = books.store.by_mut(Key::Awb, &waybill) else {
            // Not captured from Delhivery: wording ours, shape theirs.
            let remark = "Waybill not found for this client.";
            return Err(cancel_reply(false, &waybill, "", remark));
        };
        let reply = |ok, remark| cancel_reply(ok, &waybill, &shipment.order, remark);
        let nothing = "Nothing to update: cancellation was not requested.";
        require(wants_cancel, || reply(false, nothing))?;
        // Like the real one, the cancellation shows on a later tracking pull (the next one
        // here), not in the cancel answer.
        let too_late = "Shipment cannot be cancelled in its current status.";
        shipment.trip.cancel().map_err(|_| reply(false, too_late))?;
        Ok(reply(true, "Shipment has been cancelled."))
    }

    /// `POST /api/p/update`: each instruction applied or refused, the outcome kept under
    /// a new upload id, which is the whole answer (shape ours, see the module docs).
    fn ndr(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let items = list(&body, "data").filter(|items| !items.is_empty());
        // Not captured from Delhivery: wording and shape ours.
        let nothing = || {
            SimResponse::json(
                200,
                &json!({ "success": false, "error": "data: no waybill given" }),
            )
        };
        let items = items.ok_or_else(nothing)?;
        let mut books = self.books();
        let lines: Vec<Value> = items.iter().map(|i| ndr_line(&mut books, i)).collect();
        let id = books.numbers.upload_id();
        let status = json!({ "request_id": id, "status": "Completed", "data": lines });
        let uploads = &mut books.numbers.ndr_uploads;
        uploads.push_back((id.clone(), status));
        if uploads.len() > KEPT_UPLOADS {
            uploads.pop_front();
        }
        reply(json!({ "request_id": id }))
    }

    /// `GET /api/cmu/get_bulk_upl/<id>`: a kept upload's status; Django REST framework's
    /// 404 for any other id (assumed).
    fn ndr_status(&self, request: &SimRequest) -> Answer {
        let (_, path) = request.route();
        let id = path.rsplit('/').next().unwrap_or_default();
        let books = self.books();
        let kept = books.numbers.ndr_uploads.iter().find(|(k, _)| k == id);
        let not_found = || SimResponse::json(404, &json!({ "detail": "Not found." }));
        let (_, status) = kept.ok_or_else(not_found)?;
        reply(status.clone())
    }

    fn pincodes(&self, request: &SimRequest) -> Answer {
        let yes_no = |b: bool| if b { "Y" } else { "N" };
        let pins = request.query_list("filter_codes");
        let served = pins.filter(|pin| self.served.serves(pin));
        let codes: Vec<Value> = served
            .map(|pin| {
                let (cod, area) = (yes_no(self.served.serves_cod(pin)), &pin[..3]);
                json!({"postal_code": {
                    "remarks": "", "pin": pin.parse::<u64>().unwrap_or_default(),
                    "country_code": "IN", "state_code": state_code(pin), "cod": cod,
                    "pre_paid": "Y", "pickup": "Y", "cash": cod, "repl": "Y",
                    "district": format!("Sandbox District {area}"), "is_oda": "N",
                    "sort_code": format!("SBX/{area}"), "max_amount": 0.0, "max_weight": 0.0,
                }})
            })
            .collect();
        reply(json!({ "delivery_codes": codes }))
    }

    fn charges(&self, request: &SimRequest) -> Answer {
        let q = |key: &str| request.query_text(key);
        let (md, o_pin, d_pin) = (q("md"), q("o_pin"), q("d_pin"));
        // Not captured from Delhivery: wording ours.
        let bad = |what: &str| {
            let error = format!("invalid or missing parameter: {what}");
            SimResponse::json(400, &json!({ "error": error }))
        };
        let nsz = || SimResponse::json(200, &json!({ "error": "NSZ" }));
        require(self.pricing.offers(md), || bad("md"))?;
        // Bounded so that the charges cannot overflow (10^12 g is far beyond any
        // shipment; shipgate sends at most 50 parcels' chargeable weight).
        let cgm = request
            .query_number("cgm")
            .filter(|g| (0.0..=1e12).contains(g));
        let cgm = cgm.ok_or_else(|| bad("cgm"))?;
        for (key, pin) in [("o_pin", o_pin), ("d_pin", d_pin)] {
            require(is_pincode(pin), || bad(key))?;
        }
        // Within Money::MAX_AMOUNT, not saturated by an `as` cast.
        let cod = match (q("pt").eq_ignore_ascii_case("cod"), q("cod").parse::<f64>()) {
            (false, _) => None,
            (true, Err(_)) => Some(0),
            (true, Ok(rupees)) => {
                let paise = Money::from_major_f64(rupees, Currency::inr()).map(|m| m.amount);
                Some(paise.ok_or_else(|| bad("cod"))?)
            }
        };
        let lane = (o_pin, d_pin);
        let charges = self
            .pricing_for(lane)
            .and_then(|p| p.charges(lane, cgm, md, cod));
        let c = charges.ok_or_else(nsz)?;
        let mut item = json!({
            "charge_DL": rupees(c.freight), "charge_FSC": rupees(c.fuel), "charge_COD": rupees(c.cod),
            "gross_amount": rupees(c.gross()), "total_amount": rupees(c.total()),
            "tax_data": {
                "swacch_bharat_tax": 0.0, "IGST": rupees(c.igst), "SGST": rupees(c.sgst),
                "krishi_kalyan_cess": 0.0, "CGST": rupees(c.cgst), "service_tax": 0.0,
            },
            "zone": c.zone.name, "wt_rule_id": null, "zonal_cl": null, "charged_weight": cgm,
            "status": q("ss"), "adhoc_data": {},
        });
        // The charges the sandbox never levies, each 0.0 as Delhivery lists them.
        for charge in NIL_CHARGES.split_whitespace() {
            item[format!("charge_{charge}")] = json!(0.0);
        }
        reply(json!([item]))
    }
}

const NIL_CHARGES: &str = "ROV REATTEMPT RTO MPS pickup CWH DEMUR AWB AIR LABEL PEAK POD LM \
                           CCOD E2E DTO COVID DPH FOD DOCUMENT WOD INS FS CNC FOV QC";

/// One waybill's NDR instruction applied to its trip, as its status line.
fn ndr_line(books: &mut Books<Delhivery>, item: &Value) -> Value {
    let (waybill, act) = (field(item, "waybill"), field(item, "act"));
    let line = |status: &str, remark: &str| json!({ "waybill": waybill, "act": act, "status": status, "remark": remark });
    let data = item.get("action_data").cloned().unwrap_or(Value::Null);
    if let Err(remark) = ndr_data_fits(&act, &data) {
        return line("Fail", &remark);
    }
    let Some(shipment) = books.store.by_mut(Key::Awb, &waybill) else {
        return line("Fail", "Waybill not found for this client.");
    };
    match S::instruct(&mut shipment.trip, Instruction::Redeliver) {
        Ok(()) => line("Success", &format!("{act} applied")),
        Err(_) => {
            let remark =
                format!("{act} not allowed: package is not pending after a failed attempt");
            line("Fail", &remark)
        }
    }
}

/// Whether `action_data` carries what `act` needs (wording ours).
fn ndr_data_fits(act: &str, data: &Value) -> Result<(), String> {
    match act {
        "RE-ATTEMPT" => Ok(()),
        "DEFER_DLV" => {
            let date = text(data, "deferred_date").unwrap_or_default();
            let parsed = NaiveDate::parse_from_str(&date, "%Y-%m-%d");
            parsed
                .map(|_| ())
                .map_err(|_| "deferred_date must be YYYY-MM-DD".into())
        }
        "EDIT_DETAILS" => {
            let any = ["name", "phone", "add"]
                .iter()
                .any(|k| text(data, k).is_some());
            any.then_some(())
                .ok_or_else(|| "EDIT_DETAILS needs name, phone or add".into())
        }
        _ => Err(format!("Invalid act: {act}")),
    }
}

/// A shipment's `OrderType` and, when it is COD, the amount to collect.
fn payment(shipment: &Value) -> (&'static str, Option<Value>) {
    if is_reverse_pickup(shipment) {
        return ("Pickup", None);
    }
    match field(shipment, "payment_mode").eq_ignore_ascii_case("cod") {
        true => ("COD", Some(amount(shipment, "cod_amount"))),
        false => ("Pre-paid", None),
    }
}

// --- Reverse pickups (returns) -------------------------------------------------------
//
// A create with `payment_mode: "Pickup"` books a reverse pickup: the consignee fields are
// the buyer the parcel is collected from, the `return_*` fields the warehouse it goes back
// to. Its trip runs on Delhivery's reverse-pickup status types (status-codes.csv): `PP`
// Open / Scheduled / Dispatched (out for pickup), `PU` In Transit / Pending / Dispatched,
// then `DL` / `DTO` (delivered to origin). A cancel before pickup shows `CN` / `Canceled`;
// after pickup the parcel still goes on to the warehouse. Refusal remarks are ours
// (Delhivery publishes none for reverse pickups), in the create answer's shape.

/// The way back of a reverse pickup, from the buyer's door to the warehouse.
#[rustfmt::skip]
static REVERSE_JOURNEY: Journey<Code> = Journey {
    forward: &[
        step(("PP", "Open",       "X-UCI",    "Pickup request created"),           Origin),
        step(("PP", "Scheduled",  "X-ASP",    "Pickup scheduled"),                 Origin),
        step(("PP", "Dispatched", "X-DDD3FP", "Out for pickup"),                   Origin),
        step(("PU", "In Transit", "X-PPOM",   "Shipment picked up from customer"), Origin).marked(Mark::PickedUp),
        REVERSE_TO_WAREHOUSE[0], REVERSE_TO_WAREHOUSE[1], REVERSE_TO_WAREHOUSE[2], REVERSE_TO_WAREHOUSE[3],
    ],
    cancelled: &[step(("CN", "Canceled", "EOD-21", "Pickup request cancelled"), Origin)],
    returned: &REVERSE_TO_WAREHOUSE,
    redelivered: &[],
    rto: &[],
    detours: &[],
    time_digits: 3,
};

/// A picked-up return's way to the warehouse (also after a late cancel: the parcel has
/// left the buyer, so it is delivered back all the same).
#[rustfmt::skip]
const REVERSE_TO_WAREHOUSE: [Step<Code>; 4] = [
    step(("PU", "In Transit", "X-ILL2F",  "Trip Arrived"),                              Transit),
    step(("PU", "Pending",    "X-IBD3F",  "Shipment Received at Facility"),             Dest),
    step(("PU", "Dispatched", "X-DDD3FD", "Dispatched for delivery to client warehouse"), Dest),
    step(("DL", "DTO",        "RD-AC1",   "RTO/DTO Delivered"),                         Dest).marked(Mark::Delivered),
];

/// Whether a create's shipment is a reverse pickup.
fn is_reverse_pickup(shipment: &Value) -> bool {
    field(shipment, "payment_mode").eq_ignore_ascii_case("pickup")
}

/// What a reverse pickup needs beyond a forward booking: somewhere to deliver it (the
/// `return_*` address) and nothing to collect.
fn reverse_pickup_fits(shipment: &Value) -> Result<(), String> {
    let f = |key: &str| field(shipment, key);
    if !is_pincode(&f("return_pin")) || f("return_add").trim().is_empty() {
        return Err("return_add and return_pin are mandatory for Pickup packages".into());
    }
    if number(shipment, "cod_amount").is_some_and(|c| c > 0.0) {
        return Err("cod_amount must be 0 for Pickup packages".into());
    }
    Ok(())
}

/// A reverse pickup's trip: from the buyer (the consignee) to the warehouse (`return_*`).
fn reverse_trip(shipment: &Value) -> Trip<Code> {
    let f = |key: &str| field(shipment, key);
    let origin = place_name(&f("city"), &f("state"), "Sandbox_P");
    let warehouse = place_name(&f("return_city"), &f("return_state"), "Sandbox_H");
    let places = Places::new(&origin, "Sandbox_Gateway_GW (Sandbox)", &warehouse);
    REVERSE_JOURNEY.trip(&f("return_pin"), places)
}

/// Create remarks word for word as Delhivery writes them (error-remarks.csv), typos and
/// all: the adapter classifies them by their text.
const BAD_ORDER_ID: &str =
    "oid does not pass the validator <lambda>.check if there any extra character or dots in column";
const PARTIALLY_SAVED: &str = "Package might have been partially saved.";
const INTERNAL_ERROR: &str =
    "An internal Error has occurred, Please get in touch with client.support@delhivery.com";
/// Tracking errors point at the support desk so.
const SUPPORT: &str = "Please contact client.support@delhivery.com";

/// A rupee amount field as a JSON number, 0 when absent.
fn amount(value: &Value, key: &str) -> Value {
    number(value, key).map_or(json!(0), |n| json!(n))
}

fn cancel_reply(ok: bool, waybill: &str, order: &str, remark: &str) -> SimResponse {
    let [waybill, order, remark] = [waybill, order, remark].map(xml_escape);
    let status = if ok { "True" } else { "False" };
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<root><status>{status}</status><waybill>{waybill}</waybill><order_id>{order}</order_id><remark>{remark}</remark></root>"
    );
    SimResponse::raw(200, "application/xml; charset=utf-8", body)
}

/// The state of a pincode's first digit, roughly (its postal zone).
fn state_code(pin: &str) -> &'static str {
    let states = ["DL", "UP", "RJ", "MH", "KA", "TN", "WB", "BR"];
    let zone = pin
        .bytes()
        .next()
        .map_or(0, |d| usize::from(d.wrapping_sub(b'1')));
    states.get(zone).copied().unwrap_or("AP")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulator::Simulator;

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
    fn a_shipment_named_twice_is_tracked_once() {
        let sim = DelhiverySimulator::new();
        let waybill = book(&sim, "ORD-1");
        let twice = format!("{waybill},{waybill}");
        let query = [
            ("waybill", twice.as_str()),
            ("ref_ids", "ORD-1"),
            ("verbose", "1"),
        ];
        let answer = json_of(&sim.handle(&get("/api/v1/packages/json/", &query)));
        let data = answer["ShipmentData"].as_array().unwrap();
        assert_eq!(data.len(), 1, "{answer}");
        let scans = data[0]["Shipment"]["Scans"].as_array().unwrap();
        assert_eq!(scans.len(), 2, "moved on one scan, not three");
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
    fn a_registered_account_is_admitted_by_its_token_and_counted_alone() {
        let sim = DelhiverySimulator::new();
        let control = |method: &str, body: Value| {
            let request = SimRequest {
                method: method.into(),
                path: "/_accounts".into(),
                body: body.to_string().into_bytes(),
                ..SimRequest::default()
            };
            let resp = sim.handle(&request);
            (resp.status, json_of(&resp))
        };
        let added = control("POST", json!({"account": "a", "api_token": "token-a"}));
        assert_eq!(added, (201, json!({"account": "a"})));
        let (status, refused) = control("POST", json!({"account": "b", "token": "x"}));
        assert_eq!(status, 400);
        assert!(refused["error"].as_str().unwrap().contains("api_token"));
        let pins = |token: &str| {
            let mut req = get("/c/api/pin-codes/json/", &[("filter_codes", "560001")]);
            req.headers = vec![("authorization".into(), format!("Token {token}"))];
            let resp = sim.handle(&req);
            (resp.status, json_of(&resp))
        };
        for _ in 0..2 {
            assert_eq!(pins("token-a").0, 200);
        }
        assert_eq!(
            pins("token-b"),
            (401, json!({"detail": "Invalid token."})),
            "unknown credentials are refused as before"
        );
        assert_eq!(pins(SANDBOX_TOKEN).0, 200);
        let counts = json!({"accounts": [
            {"account": "default", "requests": 1}, {"account": "a", "requests": 2},
        ]});
        assert_eq!(control("GET", Value::Null), (200, counts));
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
