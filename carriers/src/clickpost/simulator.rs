//! ClickPost's API in-process, for sandbox mode and tests: ClickPost's paths and wire
//! format on the simulator kit ([`crate::simulator`]).
//!
//! It answers as ClickPost does, quirks included: `username` and `key` in the query of
//! every call (a wrong pair is `meta.status` 301 inside HTTP 200), every answer a
//! `{"meta", "result"}` envelope with ClickPost's own codes inside HTTP 200, tracking
//! with zone-less IST times keyed by waybill, and labels as links to a PDF host.
//!
//! Sandbox rules (deterministic, apart from numbers and scan times):
//! - username [`SANDBOX_USERNAME`] and key [`SANDBOX_KEY`] (account `default`); more are
//!   accepted once registered (`POST /_accounts`, `{"account", "username", "key"}`),
//!   each account's requests counted (`GET /_accounts`);
//! - three courier accounts behind the ClickPost account, in this order: `4` "Delhivery
//!   Surface" (prepaid and COD, reverse pickups), `6` "Xpressbees Surface" (prepaid and
//!   COD, reverse pickups), `3` "Ecom Express" (prepaid only, and asynchronous: its create
//!   answers `102` and so does the next ask under the same reference; the ask after that
//!   finds it placed). Pincode [`UNSERVICEABLE_PIN`] is served by none, pincodes starting
//!   with 9 only prepaid;
//! - charges per 500 g slab by account and zone (shared leading pincode digits), 18 % GST
//!   included, COD Rs 40 more: `shipping_charge` of serviceability v1 when it is given
//!   the weight, `comitted_sla` 2 to 5 days;
//! - create v3 keeps the `reference_number`: asked again, a placed order answers `323`
//!   with its AWB (never a second booking), one still processing `102`; the
//!   `GET create-order/?reference_number=` lookup answers the same order as `200` (or
//!   `102`), and one it never saw as `meta.status` 400 "Order not found for the
//!   reference_number";
//! - tracking reveals one more scan per call (ClickPost's codes, the four detours on
//!   destination pincodes ending 99/98/97/96; a failed attempt is code 9 with NDR code 1,
//!   "Customer Unavailable"); a waybill it does not track is a record with `valid: false`;
//! - cancel before pickup shows code 10; after pickup the parcel returns (11, 21, 13, 14);
//! - the NDR API takes `RE-ATTEMPT`, `DEFER_DLV` and `EDIT_DETAILS` for a parcel whose
//!   latest scan is a failed attempt not yet instructed; the next scans deliver it;
//! - reverse pickups (`delivery_type: RVP`, with `rvp_reason`) take their own journey
//!   (1, 25, 4, 5, 6, 8); the pickup API confirms a number; AWB register v2 tracks an AWB
//!   booked elsewhere (`303` when already registered).
//!
//! Answers no source shows (the lookup's not-found wording, the refusals' words) follow
//! ClickPost's envelope with wording of ours, from its error table where it has one.

use chrono::Utc;
use serde_json::{Value, json};

use crate::kit::time::IST;
use crate::label::LabelData;
use crate::schema::{Address, Currency, Money, Payment, Phone, PostalCode};
use crate::simulator::ids::Counter;
use crate::simulator::journey::{Journey, Mark, Place, Places, Scan, Step, Trip, step};
use crate::simulator::labels;
use crate::simulator::pricing::{Pricing, Zone};
use crate::simulator::rules::{self, Pins, Serviceability};
use crate::simulator::sandbox::{Reveal, Route, Sandbox, Wire, reply};
use crate::simulator::store::Key;
use crate::simulator::tokens::{Gate, Refused};
use crate::simulator::values::{indian_mobile, list, number, text};
use crate::simulator::{Answer, SimRequest, SimResponse};

pub const SANDBOX_USERNAME: &str = "shipgate-sandbox";
pub const SANDBOX_KEY: &str = "5b1c7e2a-0000-4c1d-9e8f-shipgate0001";
/// A pincode no sandbox courier account serves.
pub const UNSERVICEABLE_PIN: &str = "999999";

/// A courier account behind the sandbox's ClickPost account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxAccount {
    pub cp_id: u32,
    pub account_code: &'static str,
    pub cod: bool,
    pub rvp: bool,
    /// Whether its courier books asynchronously (ClickPost answers 102 first).
    pub asynchronous: bool,
    pub sla_days: u32,
}

#[rustfmt::skip]
pub const ACCOUNTS: [SandboxAccount; 3] = [
    SandboxAccount { cp_id: 4, account_code: "Delhivery Surface",  cod: true,  rvp: true,  asynchronous: false, sla_days: 4 },
    SandboxAccount { cp_id: 6, account_code: "Xpressbees Surface", cod: true,  rvp: true,  asynchronous: false, sla_days: 5 },
    SandboxAccount { cp_id: 3, account_code: "Ecom Express",       cod: false, rvp: false, asynchronous: true,  sla_days: 3 },
];

fn account(cp_id: Option<f64>, code: &str) -> Option<&'static SandboxAccount> {
    let cp_id = cp_id?;
    ACCOUNTS
        .iter()
        .find(|a| f64::from(a.cp_id) == cp_id && a.account_code.eq_ignore_ascii_case(code.trim()))
}

/// ClickPost's wire format and sandbox rules, as the kit's configuration.
pub struct ClickPost;

pub type ClickPostSimulator = Sandbox<ClickPost>;
pub(super) type S = ClickPostSimulator;

/// One scan: ClickPost's status code, the courier's words, and the NDR code of a failed
/// attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub status: u16,
    pub text: &'static str,
    pub ndr: Option<u8>,
}

const fn c(status: u16, text: &'static str) -> Code {
    Code {
        status,
        text,
        ndr: None,
    }
}

/// ClickPost's description and bucket for its status codes (bucket numbers as the
/// samples show them; codes without one in the samples get none).
fn describe(status: u16) -> (&'static str, Option<u8>) {
    match status {
        1 => ("OrderPlaced", Some(1)),
        2 => ("PickupPending", Some(1)),
        4 => ("PickedUp", None),
        5 => ("InTransit", Some(3)),
        6 => ("OutForDelivery", Some(4)),
        8 => ("Delivered", Some(6)),
        9 => ("FailedDelivery", Some(5)),
        10 => ("Cancelled", None),
        11 => ("RTORequested", None),
        12 => ("RTOMarked", None),
        13 => ("RTOOutForDelivery", None),
        14 => ("RTODelivered", None),
        16 => ("Lost", None),
        18 => ("ShipmentDelayed", None),
        21 => ("RTOInTransit", None),
        25 => ("OutForPickup", None),
        28 => ("AWBRegistered", None),
        1004 => ("DestinationHubIn", None),
        _ => ("", None),
    }
}

use Place::{Destination as Dest, Origin, Transit};

const OUT_FOR_DELIVERY: Step<Code> = step(c(6, "Out for Delivery"), Dest);
const DELIVERED: Step<Code> = step(c(8, "Delivered to consignee"), Dest).marked(Mark::Delivered);
#[rustfmt::skip]
const ATTEMPT: [Step<Code>; 2] = [
    step(Code { status: 9, text: "Consignee unavailable", ndr: Some(1) }, Dest).marked(Mark::Undelivered),
    OUT_FOR_DELIVERY,
];
#[rustfmt::skip]
const BACK: [Step<Code>; 4] = [
    step(c(12, "Marked for return"),      Dest).marked(Mark::Returning),
    step(c(21, "RTO in transit"),         Transit).marked(Mark::Returning),
    step(c(13, "RTO out for delivery"),   Origin).marked(Mark::Returning),
    step(c(14, "RTO delivered to shipper"), Origin).marked(Mark::Returning),
];

#[rustfmt::skip]
pub(super) static JOURNEY: Journey<Code> = Journey {
    forward: &[
        step(c(1, "Manifested"),                     Origin),
        step(c(2, "Pickup scheduled"),               Origin),
        step(c(25, "Out for pickup"),                Origin),
        step(c(4, "Shipment picked up"),             Origin).marked(Mark::PickedUp),
        step(c(5, "Bag added to trip"),              Transit),
        step(c(1004, "Reached destination hub"),     Dest),
        OUT_FOR_DELIVERY,
        DELIVERED,
    ],
    cancelled: &[step(c(10, "Cancelled by seller"), Origin)],
    returned: &[step(c(11, "RTO requested by seller"), Transit).marked(Mark::Returning), BACK[1], BACK[2], BACK[3]],
    redelivered: &[OUT_FOR_DELIVERY, DELIVERED],
    rto: &BACK,
    detours: rules::rule_detours! {
        attempt: &ATTEMPT,
        refused: &ATTEMPT,
        rto: &BACK,
        lost: &[step(c(16, "Shipment lost"), Transit).marked(Mark::Lost)],
        misrouted: &[step(c(18, "Misrouted"), Transit), step(c(5, "Rerouted"), Transit)],
    },
    time_digits: 0,
};

/// A reverse pickup: collected at the buyer, delivered to the warehouse.
#[rustfmt::skip]
static REVERSE_JOURNEY: Journey<Code> = Journey {
    forward: &[
        step(c(1, "Reverse pickup created"),         Origin),
        step(c(25, "Out for pickup"),                Origin),
        step(c(4, "Picked up from customer"),        Origin).marked(Mark::PickedUp),
        REVERSE_BACK[0], REVERSE_BACK[1], REVERSE_BACK[2],
    ],
    cancelled: &[step(c(10, "Pickup cancelled"), Origin)],
    returned: &REVERSE_BACK,
    redelivered: &[],
    rto: &[],
    detours: &[],
    time_digits: 0,
};

#[rustfmt::skip]
const REVERSE_BACK: [Step<Code>; 3] = [
    step(c(5, "In transit to warehouse"),          Transit),
    step(c(6, "Out for delivery to warehouse"),    Dest),
    step(c(8, "Delivered to warehouse"),           Dest).marked(Mark::Delivered),
];

/// How an order stands at ClickPost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Standing {
    /// Queued for an asynchronous courier: this many more asks answer 102.
    Processing(u8),
    Placed,
}

/// A booking as the sandbox keeps it.
pub struct Order {
    pub(super) awb: String,
    pub(super) reference: String,
    pub(super) order_id: u64,
    pub(super) tracking_id: u64,
    pub(super) account: SandboxAccount,
    pub(super) standing: Standing,
    pub(super) security_key: String,
    pub(super) sort_code: String,
    pub(super) label: Option<LabelData>,
    pub(super) trip: Trip<Code>,
}

impl Order {
    /// Create's answer for this order (`200`, `323` or `102`).
    fn answer(&self, base_url: &str, status: u16) -> Value {
        if let Standing::Processing(_) = self.standing {
            return json!({
                "order_id": self.order_id,
                "result": {"waybill": null, "sort_code": null, "security_key": null, "label": null, "reference_number": self.reference},
                "meta": {"message": "We are processing your order", "success": false, "status": 102},
            });
        }
        let message = match status {
            323 => "You have already placed this order",
            _ => "Order Placed Successfully",
        };
        json!({
            "meta": {"status": status, "success": status == 200, "message": message},
            "result": {
                "waybill": self.awb, "label": labels::link(base_url, &self.awb),
                "sort_code": self.sort_code, "security_key": self.security_key,
                "reference_number": self.reference,
                "courier_partner_id": self.account.cp_id, "courier_name": courier_name(self.account.cp_id),
            },
            "tracking_id": self.tracking_id,
            "order_id": self.order_id,
        })
    }

    /// One ask about a queued order: still processing, or placed now.
    fn ask(&mut self) {
        self.standing = match self.standing {
            Standing::Processing(0) | Standing::Placed => Standing::Placed,
            Standing::Processing(n) => Standing::Processing(n - 1),
        };
    }

    /// The tracking record, newest scan first.
    fn record(&self) -> Value {
        let trip = &self.trip;
        let scan = |s: &Scan<Code>| {
            let (description, bucket) = describe(s.step.code.status);
            json!({
                "clickpost_status_code": s.step.code.status,
                "clickpost_status_description": description,
                "clickpost_status_bucket": bucket,
                "status": s.step.code.text, "remark": s.step.code.text,
                "location": trip.location(s.step.place),
                "timestamp": IST.format(s.time, "%Y-%m-%d %H:%M:%S"),
                "tracking_id": self.tracking_id,
            })
        };
        let scans: Vec<Value> = trip.scans().iter().rev().map(scan).collect();
        let ndr = trip
            .scans()
            .iter()
            .rev()
            .find_map(|s| s.step.code.ndr)
            .map(|code| json!({"ndr_bucket_code": code, "ndr_description": ndr_words(code)}));
        json!({
            "latest_status": scans.first().cloned().unwrap_or(json!({})),
            "scans": scans,
            "additional": {"ndr": ndr.unwrap_or(json!({})), "is_stuck": false},
            "valid": true,
        })
    }
}

fn ndr_words(code: u8) -> &'static str {
    match code {
        1 => "Customer Unavailable",
        _ => "Unknown Exception",
    }
}

fn courier_name(cp_id: u32) -> &'static str {
    match cp_id {
        4 => "Delhivery",
        6 => "Xpressbees",
        3 => "Ecom Express",
        _ => "",
    }
}

/// The numbers ClickPost hands out, seeded from the clock so a restarted sandbox does
/// not hand out AWBs an earlier run stored.
pub struct Numbers {
    awbs: Counter,
    pub(super) ids: Counter,
}

impl Wire for ClickPost {
    // Every route checks `username`/`key` in the query itself (ClickPost's way); the
    // kit's header gate is never consulted.
    const GATE: Gate = Gate::fixed("Key", "key");
    const ACCOUNT: &'static [(&'static str, &'static str)] =
        &[("username", SANDBOX_USERNAME), ("key", SANDBOX_KEY)];
    const REVEAL: Reveal = Reveal::Before;
    type Record = Order;
    type Code = Code;
    type Numbers = Numbers;
    #[rustfmt::skip]
    const ROUTES: &'static [Route<Self>] = &[
        Route::post("/api/v1/serviceability_api",      S::serviceability).open(),
        Route::post("/api/v2/serviceability_api",      S::serviceability).open(),
        Route::post("/api/v3/create-order",            S::create).open(),
        Route::get("/api/v3/create-order",             S::lookup).open(),
        Route::get("/api/v2/track-order",              S::track).open(),
        Route::get("/api/v1/cancel-order",             S::cancel).open(),
        Route::post("/api/v1/ndr_user_feedback",       S::ndr).open(),
        Route::post("/api/v1/create-pickup",           S::pickup).open(),
        Route::post("/api/v2/tracking/awb-register",   S::awb_register).open(),
        Route::get("/labels/",                         S::label_pdf).below().open(),
        Route::post("/_accounts",                      S::add_account).open(),
        Route::get("/_accounts",                       S::accounts).open(),
    ];

    fn numbers() -> Numbers {
        Numbers {
            awbs: Counter::from_clock(),
            ids: Counter::new(),
        }
    }

    fn trip(order: &mut Order) -> Option<&mut Trip<Code>> {
        Some(&mut order.trip)
    }

    const SERVED: Serviceability = Serviceability {
        unserved: &[Pins::Exactly(UNSERVICEABLE_PIN)],
        prepaid_only: &[Pins::StartingWith("9")],
    };

    /// Paise per 500 g slab, GST included, in zones A–D (3, 2, 1, 0 leading pincode
    /// digits shared), per courier account.
    fn pricing() -> Pricing {
        let zones = [("A", 3), ("B", 2), ("C", 1), ("D", 0)].map(|(n, d)| Zone::new(n, d));
        let card = [
            ("Delhivery Surface", [3500, 4200, 5000, 6200]),
            ("Xpressbees Surface", [3300, 4000, 4800, 5900]),
            ("Ecom Express", [3400, 4100, 4900, 6000]),
        ];
        Pricing::by_zone(500, zones, &card)
    }

    fn refused(_: Refused) -> SimResponse {
        auth_failed()
    }

    /// ClickPost runs on Django: an unknown path is its plain 404 page.
    fn unknown_path() -> SimResponse {
        let page = "<!DOCTYPE html>\n<html><head><title>Not Found</title></head><body><h1>Not Found</h1>\
                    <p>The requested resource was not found on this server.</p></body></html>\n";
        SimResponse::raw(404, "text/html; charset=utf-8", page)
    }
}

/// ClickPost's envelope with `meta` only, inside HTTP 200.
pub(super) fn meta(status: u16, message: &str) -> SimResponse {
    let success = status == 200;
    SimResponse::json(
        200,
        &json!({"meta": {"status": status, "success": success, "message": message}}),
    )
}

fn auth_failed() -> SimResponse {
    meta(301, "Authentication Failed: Invalid Token or API Key")
}

/// The COD fee on top of the card, in paise.
pub(super) const COD_FEE: i64 = 4000;

pub(super) fn field(v: &Value, key: &str) -> String {
    text(v, key).unwrap_or_default()
}

/// An address the sandbox reads back from a create body, for the label.
#[allow(clippy::too_many_arguments)]
fn address(
    name: String,
    phone: &str,
    line: String,
    city: String,
    state: String,
    pin: &str,
    email: String,
) -> Option<Address> {
    Some(Address {
        name,
        phone: Phone::parse(phone, "IN").ok()?,
        email: (!email.is_empty()).then_some(email),
        line1: line,
        line2: None,
        landmark: None,
        city,
        state: (!state.is_empty()).then_some(state),
        postal_code: PostalCode::parse(pin, "IN").ok()?,
        country: "IN".into(),
    })
}

impl ClickPostSimulator {
    /// Admits a request by its query's `key` (and `username` where given), counting it.
    pub(super) fn let_in(&self, req: &SimRequest, key: Option<&str>) -> Result<(), SimResponse> {
        let key = key.unwrap_or(req.query_text("key"));
        let username = req.query_text("username");
        let mut books = self.books();
        let mut given = vec![("key", key)];
        if !username.is_empty() {
            given.push(("username", username));
        }
        let account = match key.is_empty() {
            true => None,
            false => books.accounts.holding(&given).map(str::to_string),
        };
        let account = account.ok_or_else(auth_failed)?;
        books.accounts.count(&account);
        Ok(())
    }

    /// Create order v3.
    fn create(&self, req: &SimRequest) -> Answer {
        self.let_in(req, None)?;
        let body = req.json();
        let get = |k: &str| body.get(k).cloned().unwrap_or(Value::Null);
        let (pickup, drop, details, additional) = (
            get("pickup_info"),
            get("drop_info"),
            get("shipment_details"),
            get("additional"),
        );
        let reference = field(&details, "reference_number");
        if reference.is_empty() || reference.len() > 100 {
            return Err(meta(
                314,
                "Invalid Format Of Order Data: reference_number is required",
            ));
        }
        let mut books = self.books();
        if let Some(order) = books.store.by_mut(Key::Reference, &reference) {
            // ClickPost's polling: the same order asked again.
            order.ask();
            return reply(order.answer(&req.base_url, 323));
        }
        let order_type = field(&details, "order_type").to_ascii_uppercase();
        if !matches!(order_type.as_str(), "PREPAID" | "COD") {
            return Err(meta(307, "You have entered invalid Order Type"));
        }
        let delivery_type = field(&details, "delivery_type").to_ascii_uppercase();
        let delivery_type = if delivery_type.is_empty() {
            field(&additional, "delivery_type").to_ascii_uppercase()
        } else {
            delivery_type
        };
        let reverse = match delivery_type.as_str() {
            "" | "FORWARD" => false,
            "RVP" => true,
            _ => return Err(meta(309, "Invalid Delivery Type")),
        };
        let Some(acct) = account(
            number(&details, "courier_partner"),
            &field(&details, "account_code"),
        ) else {
            return Err(meta(
                316,
                "You Dont Have Credentials For The Courier Partner",
            ));
        };
        if reverse && field(&details, "rvp_reason").is_empty() {
            return Err(meta(310, "RVP reason is missing"));
        }
        if reverse && !acct.rvp {
            return Err(meta(311, "Invalid Courier Partner For RVP"));
        }
        if list(&details, "items").is_none_or(Vec::is_empty) {
            return Err(meta(312, "Items Data is missing from order details"));
        }
        let cod = order_type == "COD";
        let cod_value = number(&details, "cod_value").unwrap_or(0.0);
        if cod && !(acct.cod && cod_value > 0.0 && cod_value < 1e7) {
            return Err(meta(315, "Invalid Cod Value"));
        }
        let (from_pin, to_pin) = (
            field(&pickup, "pickup_pincode"),
            field(&drop, "drop_pincode"),
        );
        let courier = courier_name(acct.cp_id);
        let courier_error = |reason: String| {
            let job = books_free_id();
            let message = format!(
                "{{'status': {{'reason': '{reason}', 'job_id': '{job}', 'success': False, 'value': 'ValidationError', 'type': 'Complete'}}}}"
            );
            SimResponse::json(
                200,
                &json!({"meta": {"status": 319, "success": false, "message": message}, "reference_number": reference}),
            )
        };
        if !self.served.serves(&from_pin) || !self.served.serves_for(&to_pin, cod) {
            return Err(courier_error(format!(
                "{courier}: pincode {to_pin} not serviceable"
            )));
        }
        for (what, phone) in [
            ("pickup_phone", field(&pickup, "pickup_phone")),
            ("drop_phone", field(&drop, "drop_phone")),
        ] {
            if indian_mobile(&phone).is_none() {
                return Err(courier_error(format!("{courier}: invalid {what}")));
            }
        }
        let weight_g = number(&details, "weight")
            .filter(|w| *w > 0.0 && *w <= 1e8)
            .map(|w| w as u32);
        let Some(weight_g) = weight_g else {
            return Err(meta(
                314,
                "Invalid Format Of Order Data: weight must be grams above 0",
            ));
        };
        let now = Utc::now();
        let awb = books.numbers.awbs.issue_fixed(12);
        let order_id = books.numbers.ids.issue() + 8_000_000;
        let tracking_id = order_id + 4_000_000;
        let sort_code = format!("{}/{}", city_code(&field(&drop, "drop_city")), &to_pin[..3]);
        let from = address(
            field(&pickup, "pickup_name"),
            &field(&pickup, "pickup_phone"),
            field(&pickup, "pickup_address"),
            field(&pickup, "pickup_city"),
            field(&pickup, "pickup_state"),
            &from_pin,
            field(&pickup, "email"),
        );
        let to = address(
            field(&drop, "drop_name"),
            &field(&drop, "drop_phone"),
            field(&drop, "drop_address"),
            field(&drop, "drop_city"),
            field(&drop, "drop_state"),
            &to_pin,
            field(&drop, "drop_email"),
        );
        let payment = match cod {
            true => Money::from_major_f64(cod_value, Currency::inr())
                .map_or(Payment::Prepaid, |m| Payment::Cod { cod_amount: m }),
            false => Payment::Prepaid,
        };
        let label = match (from, to) {
            (Some(from), Some(to)) => Some(LabelData {
                carrier_name: format!("{courier} via ClickPost"),
                service: acct.account_code.to_string(),
                awb: awb.clone(),
                order_ref: reference.clone(),
                from,
                to,
                weight_g,
                payment,
                routing_code: Some(sort_code.clone()),
                description: list(&details, "items").and_then(|i| text(i.first()?, "description")),
                created: IST.wall(now).date(),
            }),
            _ => None,
        };
        let places = Places::new(
            &Places::facility(&field(&pickup, "pickup_city"), "Hub", ""),
            "Sandbox_Gateway",
            &Places::facility(&field(&drop, "drop_city"), "DC", ""),
        );
        let mut trip = match reverse {
            true => REVERSE_JOURNEY.trip(&to_pin, places),
            false => JOURNEY.trip(&to_pin, places),
        };
        trip.advance(now);
        let order = Order {
            awb: awb.clone(),
            reference: reference.clone(),
            order_id,
            tracking_id,
            account: *acct,
            // The create answer is the first 102; one more ask answers 102 too.
            standing: if acct.asynchronous {
                Standing::Processing(1)
            } else {
                Standing::Placed
            },
            security_key: format!("{:08x}-5b1c-4c1d-9e8f-{awb}", order_id),
            sort_code,
            label,
            trip,
        };
        let answer = order.answer(&req.base_url, 200);
        let Ok(slot) = books.store.vacant(&reference) else {
            return Err(meta(500, "reference taken"));
        };
        slot.insert(order, [(Key::Awb, awb)]);
        books.store.count_booking();
        reply(answer)
    }

    /// `GET create-order/?reference_number=`: the order as create answers it.
    fn lookup(&self, req: &SimRequest) -> Answer {
        self.let_in(req, None)?;
        let reference = req.query_text("reference_number").to_string();
        let mut books = self.books();
        let order = books.store.by_mut(Key::Reference, &reference);
        let order = order.ok_or_else(|| {
            meta(
                400,
                &format!("Order not found for the reference_number {reference}"),
            )
        })?;
        order.ask();
        reply(order.answer(&req.base_url, 200))
    }

    /// `GET /api/v2/track-order/`: up to five waybills of one courier.
    fn track(&self, req: &SimRequest) -> Answer {
        self.let_in(req, None)?;
        let cp_id = req.query_number("cp_id");
        let cp_id =
            cp_id.ok_or_else(|| meta(302, "Invalid Courier Partner Id with Field cp_id"))?;
        let waybills: Vec<String> = req.query_list("waybill").map(str::to_string).collect();
        if waybills.is_empty() || waybills.len() > 5 {
            return Err(meta(400, "waybill: one to five comma-separated waybills"));
        }
        let mut result = serde_json::Map::new();
        for waybill in &waybills {
            let records = self.track_each([(Key::Awb, waybill.as_str())], |o: &Order| {
                (f64::from(o.account.cp_id) == cp_id).then(|| o.record())
            });
            let record = records.into_iter().flatten().next();
            let record =
                record.unwrap_or_else(|| json!({"valid": false, "scans": [], "latest_status": {}}));
            result.insert(waybill.clone(), record);
        }
        reply(
            json!({"meta": {"status": 200, "success": true, "message": "SUCCESS"}, "result": result}),
        )
    }

    /// The PDF behind a label link, served like S3 serves it.
    fn label_pdf(&self, req: &SimRequest) -> Answer {
        let awb = labels::awb_of(req.route().1).ok_or_else(ClickPost::unknown_path)?;
        let data = self
            .books()
            .store
            .by(Key::Awb, awb)
            .map(|o| o.label.clone());
        let data = data
            .ok_or_else(labels::missing)?
            .ok_or_else(labels::missing)?;
        Ok(labels::pdf(&data))
    }
}

/// A job id in the shape of ClickPost's 319 answers.
fn books_free_id() -> String {
    let nanos = Utc::now().timestamp_subsec_nanos();
    format!("{nanos:08x}-2f3e-4d5c-8b7a-000000000319")
}

/// A tracking id derived from a waybill's digits.
pub(super) fn books_free_id_from(waybill: &str) -> u64 {
    waybill.bytes().fold(1_188_000u64, |n, b| {
        n.wrapping_mul(31).wrapping_add(u64::from(b)) % 9_000_000 + 1_000_000
    })
}

/// Three letters of a city, upper case, for sort codes (`DEL/110`).
pub(super) fn city_code(city: &str) -> String {
    let code: String = city
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(3)
        .collect();
    if code.is_empty() {
        "SBX".into()
    } else {
        code.to_ascii_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulator::Simulator;

    fn call(sim: &ClickPostSimulator, method: &str, target: &str, body: Value) -> (u16, Value) {
        let body = if body.is_null() {
            Vec::new()
        } else {
            body.to_string().into_bytes()
        };
        let resp = sim.handle(&SimRequest::new(method, target, [], body, "http://sim"));
        let value = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
        (resp.status, value)
    }

    fn signed(path: &str, rest: &str) -> String {
        format!("{path}?username={SANDBOX_USERNAME}&key={SANDBOX_KEY}{rest}")
    }

    fn order(reference: &str, cp_id: u32, account_code: &str) -> Value {
        json!({
            "pickup_info": {"pickup_name": "WH", "pickup_phone": "9000000001", "pickup_address": "1 Road",
                            "pickup_city": "New Delhi", "pickup_state": "Delhi", "pickup_pincode": "110020", "email": ""},
            "drop_info": {"drop_name": "Asha", "drop_phone": "9876543210", "drop_address": "4 Street",
                          "drop_city": "Bengaluru", "drop_state": "Karnataka", "drop_pincode": "560102"},
            "shipment_details": {"order_type": "PREPAID", "reference_number": reference, "weight": 500,
                                 "courier_partner": cp_id, "account_code": account_code, "delivery_type": "FORWARD",
                                 "items": [{"sku": "A", "description": "kurta", "quantity": 1, "price": 100}]},
            "additional": {"label": true, "async": false},
        })
    }

    #[test]
    fn answers_in_clickposts_envelope_with_its_codes() {
        let sim = ClickPostSimulator::new();
        // A wrong key is 301 inside HTTP 200; an unknown path Django's HTML 404.
        let (status, wrong) = call(
            &sim,
            "GET",
            "/api/v2/track-order/?username=u&key=k&waybill=1&cp_id=4",
            Value::Null,
        );
        assert_eq!((status, wrong["meta"]["status"].as_u64()), (200, Some(301)));
        let page = sim.handle(&SimRequest::new("GET", "/api/nothing", [], Vec::new(), ""));
        assert_eq!(page.status, 404);
        assert!(page.content_type.starts_with("text/html"));

        let create = signed("/api/v3/create-order/", "");
        let (_, placed) = call(&sim, "POST", &create, order("R1", 4, "Delhivery Surface"));
        assert_eq!(placed["meta"]["status"], 200, "{placed}");
        let awb = placed["result"]["waybill"].as_str().unwrap().to_string();
        assert_eq!(
            placed["result"]["label"],
            format!("http://sim/labels/{awb}.pdf")
        );
        // The same reference again: 323 with the same waybill, no second booking.
        let (_, again) = call(&sim, "POST", &create, order("R1", 4, "Delhivery Surface"));
        assert_eq!(
            (
                again["meta"]["status"].as_u64(),
                again["result"]["waybill"].as_str()
            ),
            (Some(323), Some(awb.as_str()))
        );
        assert_eq!(sim.bookings(), 1);
        // The asynchronous courier: 102, 102, then placed.
        let (_, queued) = call(&sim, "POST", &create, order("R2", 3, "Ecom Express"));
        assert_eq!(queued["meta"]["status"], 102);
        let lookup = signed("/api/v3/create-order/", "&reference_number=R2");
        let statuses: Vec<u64> = (0..2)
            .map(|_| {
                call(&sim, "GET", &lookup, Value::Null).1["meta"]["status"]
                    .as_u64()
                    .unwrap()
            })
            .collect();
        assert_eq!(statuses, [102, 200]);
        let (_, missing) = call(
            &sim,
            "GET",
            &signed("/api/v3/create-order/", "&reference_number=R9"),
            Value::Null,
        );
        assert_eq!(missing["meta"]["status"], 400);
        // An account the enterprise does not have.
        let (_, refused) = call(&sim, "POST", &create, order("R3", 99, "Nobody"));
        assert_eq!(refused["meta"]["status"], 316);

        // Tracking keyed by waybill; a waybill of another courier is not valid.
        let (_, tracked) = call(
            &sim,
            "GET",
            &signed(
                "/api/v2/track-order/",
                &format!("&waybill={awb},NOPE&cp_id=4"),
            ),
            Value::Null,
        );
        let record = &tracked["result"][awb.as_str()];
        assert_eq!(record["valid"], true);
        assert_eq!(
            record["latest_status"]["clickpost_status_code"], 2,
            "one scan more per call"
        );
        assert!(record["latest_status"]["timestamp"].as_str().unwrap().len() == 19);
        assert_eq!(tracked["result"]["NOPE"]["valid"], false);
        let (_, other) = call(
            &sim,
            "GET",
            &signed("/api/v2/track-order/", &format!("&waybill={awb}&cp_id=6")),
            Value::Null,
        );
        assert_eq!(other["result"][awb.as_str()]["valid"], false);

        // Cancel, cancel again (600), and an unknown waybill (350).
        let cancel = |w: &str| {
            call(
                &sim,
                "GET",
                &signed(
                    "/api/v1/cancel-order/",
                    &format!("&waybill={w}&cp_id=4&account_code=Delhivery%20Surface"),
                ),
                Value::Null,
            )
            .1["meta"]["status"]
                .as_u64()
        };
        assert_eq!(
            [cancel(&awb), cancel(&awb), cancel("NOPE")],
            [Some(200), Some(600), Some(350)]
        );
    }
}
