//! XpressBees' client API in-process, for sandbox mode and tests: its paths and wire
//! format on the simulator kit ([`crate::simulator`]), every host's paths under one root.
//!
//! Quirks played as XpressBees plays them, so the adapter's parsers run for real: a login
//! refused inside HTTP 200 (`code` 401 and a message), the `token` header (not
//! `Authorization`) with `versionnumber: v1`, the account's `XBkey` checked on every call
//! ("Invalid XBkey" inside HTTP 200), every refusal as `ReturnCode`/`ReturnMessage`
//! inside HTTP 200, zone-less IST times `dd-mm-yyyy HH:MM:SS`, the audit log newest
//! first, and HTTP 401 for a token it never issued or has expired.
//!
//! Sandbox rules (deterministic, apart from numbers and scan times):
//! - credentials [`SANDBOX_USERNAME`], [`SANDBOX_PASSWORD`], [`SANDBOX_SECRET_KEY`] and
//!   `XBkey` [`SANDBOX_XB_KEY`] (account `default`); more accounts through
//!   `POST /_accounts`, each account's requests counted (`GET /_accounts`);
//! - AWB series of [`SERIES_LENGTH`] numbers, 14 digits, the first two naming the lot
//!   (`13` forward COD, `14` forward prepaid, `15` reverse prepaid, `16` reverse COD): a
//!   manifest whose AWB is of another lot, or never issued, is "Invalid AWB Prefix", one
//!   already manifested "AirWayBillNO Already exists", a reused `OrderNo` "OrderNo
//!   Already exists";
//! - pincode [`UNSERVICEABLE_PIN`] is served for nothing ("No Data Found"); every other
//!   valid pincode for pickup and delivery on both flows;
//! - each track call reveals one more scan of the journey below, with the kit's detours on
//!   destination pincodes (`…99` one failed attempt "Customer Not Available", `…98` two
//!   refusals then RTO, `…97` lost, `…96` misrouted);
//! - `forwardcancellation` before pickup stops the journey, after pickup sends it back
//!   (RTON…RTD); delivered, returning or lost parcels are "Shipment cannot be cancelled";
//! - `UpdateNDRDeferredDeliveryDate` is taken only while the latest scan shown is a failed
//!   attempt not yet instructed; the next scans then deliver the parcel;
//! - a reverse manifest plays the return's own journey: picked up from the buyer,
//!   delivered to the seller.
//!
//! Answers for situations no source shows (the reverse manifest's answer, the wording of
//! an NDR refused for a parcel not awaiting one) follow XpressBees' shapes with wording of
//! our own.

use std::collections::VecDeque;

use chrono::Utc;
use serde_json::{Value, json};

use crate::carrier::Settings;
use crate::kit::time::IST;
use crate::simulator::ids::Counter;
use crate::simulator::journey::{
    Instruction, Journey, Mark, Place, Places, Scan, Step, Trip, step,
};
use crate::simulator::pricing::Pricing;
use crate::simulator::rules::{self, Pins, Serviceability, is_pincode};
use crate::simulator::sandbox::{Reveal, Route, Sandbox, Wire, reply};
use crate::simulator::store::Key;
use crate::simulator::tokens::{Credential, Gate, Refused};
use crate::simulator::values::text;
use crate::simulator::{Answer, SimRequest, SimResponse, require};

pub const SANDBOX_USERNAME: &str = "sandbox@shipgate.example";
pub const SANDBOX_PASSWORD: &str = "shipgate-sandbox-xpressbees-password";
pub const SANDBOX_SECRET_KEY: &str = "shipgate-sandbox-xpressbees-secret";
pub const SANDBOX_XB_KEY: &str = "SBXB4sh1pgate";
pub const SANDBOX_BUSINESS_ACCOUNT: &str = "SHIPGATE SANDBOX";
pub const SANDBOX_VENDOR_CODE: &str = "SBXVENDOR01";
/// A pincode the sandbox serves for nothing.
pub const UNSERVICEABLE_PIN: &str = "999999";
/// How many AWBs one series holds.
pub const SERIES_LENGTH: usize = 5;
/// Batches kept for their series to be fetched.
const KEPT_BATCHES: usize = 1_000;

/// Settings that make the adapter talk to this simulator (every call to its root).
pub fn sandbox_settings() -> Settings {
    let pairs = [
        ("username", SANDBOX_USERNAME),
        ("password", SANDBOX_PASSWORD),
        ("secret_key", SANDBOX_SECRET_KEY),
        ("xb_key", SANDBOX_XB_KEY),
        ("business_account_name", SANDBOX_BUSINESS_ACCOUNT),
        ("pickup_vendor_code", SANDBOX_VENDOR_CODE),
        ("hosts", "base"),
    ];
    pairs.map(|(k, v)| (k.to_string(), v.to_string())).into()
}

/// XpressBees' wire format and sandbox rules, as the kit's configuration.
pub struct XpressBeesWire;

/// XpressBees' API in the sandbox.
pub type XpressBeesSimulator = Sandbox<XpressBeesWire>;
type S = XpressBeesSimulator;

/// A scan as XpressBees writes it: status code, Description, Process.
type Code = (&'static str, &'static str, &'static str);

use Place::{Destination as Dest, Origin, Transit};

const OFD: Step<Code> = step(
    ("OFD", "Out for Delivery", "Shipment Out for Delivery"),
    Dest,
);
const DLVD: Step<Code> =
    step(("DLVD", "Delivered", "Shipment Delivered"), Dest).marked(Mark::Delivered);
const IT: Step<Code> = step(("IT", "InTransit", "Shipment added in Bag"), Transit);
#[rustfmt::skip]
const BACK: [Step<Code>; 4] = [
    step(("RTO-IT", "RTO InTransit", "Bag Outscan"),               Transit).marked(Mark::Returning),
    step(("RAO", "Reached At Origin", "Bag Inscan"),               Origin).marked(Mark::Returning),
    step(("RTO-OFD", "RTO Out for Delivery", "RTO Dispatched"),    Origin).marked(Mark::Returning),
    step(("RTD", "RTO Delivered", "RTO Delivered to Shipper"),     Origin).marked(Mark::Returning),
];
const RTON: Step<Code> =
    step(("RTON", "RTO Notified", "RTO Initiated"), Dest).marked(Mark::Returning);
#[rustfmt::skip]
const RTO: [Step<Code>; 5] = [RTON, BACK[0], BACK[1], BACK[2], BACK[3]];
#[rustfmt::skip]
const ATTEMPT: [Step<Code>; 2] = [step(("UD", "Customer Not Available", "Undelivered"), Dest).marked(Mark::Undelivered), OFD];
#[rustfmt::skip]
const REFUSED: [Step<Code>; 2] = [step(("UD", "Customer Refused To Accept", "Undelivered"), Dest).marked(Mark::Undelivered), OFD];

#[rustfmt::skip]
static JOURNEY: Journey<Code> = Journey {
    forward: &[
        step(("DRC", "Pending Manifest Data Received", "Manifest Data Received"), Origin),
        step(("OFP", "Out for Pickup", "Pickup Assigned"),                           Origin),
        step(("PUD", "PickDone", "Shipment Picked"),                                 Origin).marked(Mark::PickedUp),
        step(("PKD", "Picked Shipment InScan from Manifest", "Hub Inscan"),          Origin),
        IT,
        step(("RAD", "Reached at Destination", "Shipment BagOut From Bag"),          Dest),
        OFD,
        DLVD,
    ],
    // XpressBees' scan for a shipment cancelled before pickup is in no source read: the
    // sandbox shows none, and the journey stops.
    cancelled: &[],
    returned: &RTO,
    redelivered: &[OFD, DLVD],
    rto: &RTO,
    detours: rules::rule_detours! {
        attempt: &ATTEMPT,
        refused: &REFUSED,
        rto: &RTO,
        lost: &[step(("LOST", "Lost", "Shipment Lost"), Transit).marked(Mark::Lost)],
        misrouted: &[step(("IT", "Shipment Misrouted", "Misroute"), Transit), IT],
    },
    time_digits: 0,
};

/// A return: picked up at the buyer's (origin), delivered to the seller (destination).
#[rustfmt::skip]
static REVERSE_JOURNEY: Journey<Code> = Journey::one_way(
    &[
        step(("DRC", "Pending Manifest Data Received", "Reverse Manifest Received"), Origin),
        step(("OFP", "Out for Pickup", "Reverse Pickup Assigned"),                    Origin),
        step(("PUD", "PickDone", "Reverse Shipment Picked"),                          Origin).marked(Mark::PickedUp),
        IT,
        step(("RAD", "Reached at Destination", "Shipment BagOut From Bag"),           Dest),
        OFD,
        DLVD,
    ],
    &[OFD, DLVD],
);

/// A booking as the sandbox keeps it.
pub struct Shipment {
    awb: String,
    order: String,
    trip: Trip<Code>,
}

/// The lots' AWB prefixes (see the module docs).
fn prefix(service_type: &str, delivery_type: &str) -> Option<&'static str> {
    match (
        service_type.to_ascii_uppercase().as_str(),
        delivery_type.to_ascii_uppercase().as_str(),
    ) {
        ("FORWARD", "COD") => Some("13"),
        ("FORWARD", "PREPAID") => Some("14"),
        ("REVERSE", "PREPAID") => Some("15"),
        ("REVERSE", "COD") => Some("16"),
        _ => None,
    }
}

/// AWB series handed out.
pub struct Numbers {
    awbs: Counter,
    batches: Counter,
    /// Batch id, its service type and its numbers, the latest [`KEPT_BATCHES`].
    series: VecDeque<(String, String, Vec<String>)>,
}

impl Numbers {
    /// Whether `awb` was handed out in a series of `lot_prefix`.
    fn issued(&self, awb: &str, lot_prefix: &str) -> bool {
        let Some(number) = awb
            .strip_prefix(lot_prefix)
            .and_then(|n| n.parse::<u64>().ok())
        else {
            return false;
        };
        awb.len() == 14 && number % 1_000_000_000_000 <= self.awbs.current() % 1_000_000_000_000
    }
}

impl Wire for XpressBeesWire {
    /// Admission is XpressBees' own `token` header ([`XpressBeesSimulator::admit_token`]);
    /// the kit's gate is never asked (every route is open to it).
    const GATE: Gate = Gate::login("Bearer");
    const ACCOUNT: &'static [(&'static str, &'static str)] = &[
        ("username", SANDBOX_USERNAME),
        ("password", SANDBOX_PASSWORD),
        ("secret_key", SANDBOX_SECRET_KEY),
        ("xb_key", SANDBOX_XB_KEY),
    ];
    /// A booking shows its manifest scan; each track call reveals the next one.
    const REVEAL: Reveal = Reveal::Before;
    type Record = Shipment;
    type Code = Code;
    type Numbers = Numbers;
    #[rustfmt::skip]
    const ROUTES: &'static [Route<Self>] = &[
        Route::post("/api/auth/generateToken",                           S::login).open(),
        Route::post("/POSTShipmentService.svc/AWBNumberSeriesGeneration", S::awb_batch).open(),
        Route::post("/TrackingService.svc/GetAWBNumberGeneratedSeries",   S::awb_series).open(),
        Route::post("/shipmentmanifestation/forward",                     S::forward).open(),
        Route::post("/shipmentmanifestation/reverse",                     S::reverse).open(),
        Route::post("/expose/get/serviceabilitypincode/details",          S::pincodes).open(),
        Route::post("/GetShipmentAuditLog",                               S::track).open(),
        Route::post("/forwardcancellation",                               S::cancel).open(),
        Route::post("/client/UpdateNDRDeferredDeliveryDate",              S::ndr).open(),
        Route::post("/_accounts",                                         S::add_account).open(),
        Route::get("/_accounts",                                          S::accounts).open(),
    ];

    fn numbers() -> Numbers {
        Numbers {
            awbs: Counter::from_clock(),
            batches: Counter::new(),
            series: VecDeque::new(),
        }
    }

    fn trip(shipment: &mut Shipment) -> Option<&mut Trip<Code>> {
        Some(&mut shipment.trip)
    }

    const SERVED: Serviceability = Serviceability {
        unserved: &[Pins::Exactly(UNSERVICEABLE_PIN)],
        prepaid_only: &[],
    };

    /// XpressBees has no rate API: the sandbox prices nothing.
    fn pricing() -> Pricing {
        Pricing::new(500, Vec::new(), Vec::new())
    }

    fn refused(why: Refused) -> SimResponse {
        let message = match why {
            Refused::Missing => "Token is required",
            Refused::Unknown => "Invalid Token",
            Refused::Expired => "Token Expired",
        };
        SimResponse::json(401, &json!({ "code": 401, "message": message }))
    }

    fn unknown_path() -> SimResponse {
        SimResponse::json(
            404,
            &json!({ "code": 404, "message": "Resource not found" }),
        )
    }
}

/// A refusal inside HTTP 200, XpressBees' way.
fn refusal(code: u32, message: &str) -> SimResponse {
    SimResponse::json(
        200,
        &json!({ "ReturnCode": code, "ReturnMessage": message }),
    )
}

/// A scan time as XpressBees writes it: IST, no zone.
fn ist(scan: &Scan<Code>) -> String {
    IST.format(scan.time, "%d-%m-%Y %H:%M:%S")
}

/// A field of an object inside a manifest (`PickupDetails.Addresses[0].City`).
fn first_address_field(manifest: &Value, party: &str, key: &str) -> String {
    text(&manifest[party]["Addresses"][0], key).unwrap_or_default()
}

impl XpressBeesSimulator {
    /// The `token` header spent, and the `XBkey` of the same account: the account, or
    /// XpressBees' answer (401 for the token, "Invalid XBkey" inside HTTP 200).
    fn admit_token(&self, request: &SimRequest) -> Result<String, SimResponse> {
        let mut books = self.books();
        let token = request
            .header("token")
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let credential = token.map_or(Credential::Missing, Credential::Token);
        let account = books
            .tokens
            .spend(credential)
            .map_err(XpressBeesWire::refused)?;
        books.accounts.count(&account);
        let key = request.header("xbkey").map_or("", str::trim);
        let holder = books.accounts.holding(&[("xb_key", key)]);
        require(holder == Some(account.as_str()), || {
            refusal(101, "Invalid XBkey")
        })?;
        Ok(account)
    }

    fn login(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let field = |key: &str| text(&body, key).unwrap_or_default();
        let (user, password, secret) = (field("username"), field("password"), field("secretkey"));
        let given = [
            ("username", user.as_str()),
            ("password", password.as_str()),
            ("secret_key", secret.as_str()),
        ];
        match self.log_in(&given) {
            Some(token) => {
                reply(json!({ "token": token, "code": 200, "message": "Token generated" }))
            }
            None => reply(json!({ "code": 401, "message": "Invalid Credentials" })),
        }
    }

    fn awb_batch(&self, request: &SimRequest) -> Answer {
        self.admit_token(request)?;
        let body = request.json();
        let field = |key: &str| text(&body, key).unwrap_or_default();
        require(field("BusinessUnit").eq_ignore_ascii_case("ECOM"), || {
            refusal(102, "Invalid BusinessUnit")
        })?;
        let (service, delivery) = (field("ServiceType"), field("DeliveryType"));
        let lot = prefix(&service, &delivery)
            .ok_or_else(|| refusal(103, "Invalid ServiceType or DeliveryType"))?;
        let mut books = self.books();
        let numbers = &mut books.numbers;
        let awbs = (0..SERIES_LENGTH)
            .map(|_| format!("{lot}{:012}", numbers.awbs.issue() % 1_000_000_000_000));
        let awbs: Vec<String> = awbs.collect();
        let batch = format!("XB{}", numbers.batches.issue());
        numbers
            .series
            .push_back((batch.clone(), service.to_ascii_uppercase(), awbs));
        if numbers.series.len() > KEPT_BATCHES {
            numbers.series.pop_front();
        }
        reply(json!({ "ReturnCode": 100, "ReturnMessage": "Successful", "BatchID": batch }))
    }

    fn awb_series(&self, request: &SimRequest) -> Answer {
        self.admit_token(request)?;
        let body = request.json();
        let field = |key: &str| text(&body, key).unwrap_or_default();
        let (batch, service) = (field("BatchID"), field("ServiceType").to_ascii_uppercase());
        let books = self.books();
        let found = books
            .numbers
            .series
            .iter()
            .find(|(b, s, _)| *b == batch && *s == service);
        let (_, _, awbs) = found.ok_or_else(|| refusal(104, "Invalid BatchID"))?;
        let now = IST.format(Utc::now(), "%d-%m-%Y %H:%M:%S");
        reply(json!({
            "ReturnCode": 100, "ReturnMessage": "Successful", "BatchID": batch,
            "AWBNoGenRequestedDateTime": now, "AWBNoSeries": awbs,
        }))
    }

    /// Books a manifest (forward or reverse) whose checks passed this far.
    fn book(&self, manifest: &Value, reverse: bool) -> Answer {
        let field = |key: &str| text(manifest, key).unwrap_or_default();
        let (awb, order) = (field("AirWayBillNO"), field("OrderNo"));
        require(!order.is_empty() && order.len() <= 50, || {
            refusal(101, "Invalid OrderNo")
        })?;
        require(!field("BusinessAccountName").is_empty(), || {
            refusal(101, "Invalid BusinessAccountName")
        })?;
        let (service, payment) = match (reverse, field("OrderType").to_ascii_lowercase().as_str()) {
            (true, _) => ("REVERSE", "PREPAID"),
            (false, "cod") => ("FORWARD", "COD"),
            (false, "prepaid") => ("FORWARD", "PREPAID"),
            _ => return Err(refusal(101, "Invalid OrderType")),
        };
        let (pickup_pin, drop_pin) = (
            first_address_field(manifest, "PickupDetails", "PinCode"),
            first_address_field(manifest, "DropDetails", "PinCode"),
        );
        for pin in [&pickup_pin, &drop_pin] {
            let served = is_pincode(pin) && self.served.serves(pin);
            require(served, || {
                refusal(101, &format!("Pincode {pin} is not serviceable"))
            })?;
        }
        let mut books = self.books();
        if books.store.find(Key::Awb, &awb).is_some() {
            return Err(refusal(101, "AirWayBillNO Already exists"));
        }
        let lot = prefix(service, payment).unwrap_or_default();
        require(books.numbers.issued(&awb, lot), || {
            refusal(101, "Invalid AWB Prefix")
        })?;
        let Ok(slot) = books.store.vacant(&order) else {
            return Err(refusal(101, "OrderNo Already exists"));
        };
        let city = |party| first_address_field(manifest, party, "City");
        let hub = |c: String, kind: &str| {
            format!(
                "{}/{kind}",
                if c.is_empty() {
                    "SBX".into()
                } else {
                    c.to_uppercase()
                }
            )
        };
        let places = Places::new(
            &hub(city("PickupDetails"), "HUB"),
            "SBX/TRANSIT",
            &hub(city("DropDetails"), "DC"),
        );
        let journey = if reverse { &REVERSE_JOURNEY } else { &JOURNEY };
        let mut trip = journey.trip(&drop_pin, places);
        trip.advance(Utc::now());
        let kept = Shipment {
            awb: awb.clone(),
            order: order.clone(),
            trip,
        };
        slot.insert(kept, [(Key::Awb, awb.clone())]);
        books.store.count_booking();
        let token_number = format!("{}_{}", books.numbers.batches.current(), order);
        reply(
            json!({ "AWBNo": awb, "ReturnCode": 100, "ReturnMessage": "successful", "TokenNumber": token_number }),
        )
    }

    fn forward(&self, request: &SimRequest) -> Answer {
        self.admit_token(request)?;
        self.book(&request.json(), false)
    }

    fn reverse(&self, request: &SimRequest) -> Answer {
        self.admit_token(request)?;
        self.book(&request.json(), true)
    }

    fn pincodes(&self, request: &SimRequest) -> Answer {
        self.admit_token(request)?;
        let body = request.json();
        let field = |key: &str| text(&body, key).unwrap_or_default();
        let flow = field("BusinessFlow");
        let service = field("BusinessService");
        let known = ["forward", "reverse"].contains(&flow.to_ascii_lowercase().as_str())
            && ["pickup", "delivery"].contains(&service.to_ascii_lowercase().as_str());
        require(known, || {
            refusal(102, "Invalid BusinessFlow or BusinessService")
        })?;
        let pin = field("Pincode");
        let served = is_pincode(&pin) && self.served.serves(&pin);
        require(served, || refusal(101, "No Data Found"))?;
        let zone = &pin[..3];
        reply(json!({
            "ReturnCode": 100, "ReturnMessage": "success",
            "ServicablePincodeDetails": [{
                "rowid": "1", "businessunit": "eComm", "businessflow": flow, "businessservice": service,
                "pincode": pin.parse::<u64>().unwrap_or_default(), "HubName": format!("SBX/{zone}"),
                "processcode": "N/A-01/1B", "rtoprocesscode": "", "statename": "SANDBOX",
                "cityname": format!("SANDBOX {zone}"),
            }],
        }))
    }

    /// The status push XpressBees would send now for `awb`: its latest scan shown, with
    /// the AWB and the order number (see the adapter's module docs for the format).
    pub fn push_of(&self, awb: &str) -> Option<Value> {
        let books = self.books();
        let id = books.store.find(Key::Awb, awb)?;
        let shipment = books.store.get(id)?;
        let scan = shipment.trip.last()?;
        let (status, description, process) = scan.step.code;
        let hub = shipment.trip.location(scan.step.place);
        Some(json!({
            "AWBNumber": shipment.awb, "OrderNo": shipment.order,
            "ShipmentStatus": status, "ShipmentStatusDateTime": ist(scan),
            "Description": description, "HubLocation": hub,
            "City": hub.split('/').next().unwrap_or_default(), "State": "SANDBOX",
            "Process": process,
        }))
    }

    fn track(&self, request: &SimRequest) -> Answer {
        self.admit_token(request)?;
        let awb = text(&request.json(), "AWBNumber").unwrap_or_default();
        let render = |s: &Shipment| {
            let scans = s.trip.scans().iter().rev().map(|scan| {
                let (status, description, process) = scan.step.code;
                let hub = s.trip.location(scan.step.place);
                json!({
                    "ShipmentStatus": status, "ShipmentStatusDateTime": ist(scan),
                    "Description": description, "HubLocation": hub,
                    "City": hub.split('/').next().unwrap_or_default(), "State": "SANDBOX",
                    "Process": process,
                })
            });
            json!({
                "ReturnCode": 100, "ReturnMessage": "Successful", "AWBNumber": s.awb,
                "ShipmentLogDetails": scans.collect::<Vec<_>>(),
            })
        };
        let found = self.track_each([(Key::Awb, awb.as_str())], render);
        let answer = found
            .into_iter()
            .next()
            .ok_or_else(|| refusal(101, "Details not found"))?;
        reply(answer)
    }

    fn cancel(&self, request: &SimRequest) -> Answer {
        self.admit_token(request)?;
        let body = request.json();
        let awb = text(&body, "ShippingID").unwrap_or_default();
        require(text(&body, "CancellationReason").is_some(), || {
            refusal(101, "CancellationReason is required")
        })?;
        let mut books = self.books();
        let shipment = books
            .store
            .by_mut(Key::Awb, &awb)
            .ok_or_else(|| refusal(101, "Invalid ShippingID"))?;
        let too_late = || refusal(101, "Shipment cannot be cancelled in its current status");
        shipment.trip.cancel().map_err(|_| too_late())?;
        reply(
            json!({ "ShippingID": awb, "ReturnCode": 100, "ReturnMessage": "Shipment Updated Successfully" }),
        )
    }

    fn ndr(&self, request: &SimRequest) -> Answer {
        self.admit_token(request)?;
        let body = request.json();
        let awb = text(&body, "ShippingID").unwrap_or_default();
        let date = text(&body, "DeferredDeliveryDate").unwrap_or_default();
        let readable = chrono::NaiveDateTime::parse_from_str(&date, "%d-%m-%Y %H:%M:%S").is_ok();
        require(readable, || refusal(101, "Invalid DeferredDeliveryDate"))?;
        if let Some(phone) = text(&body, "PrimaryCustomerMobileNumber") {
            let ok = phone.len() == 10 && phone.bytes().all(|b| b.is_ascii_digit());
            require(ok, || refusal(101, "Invalid PrimaryCustomerMobileNumber"))?;
        }
        let mut books = self.books();
        let shipment = books
            .store
            .by_mut(Key::Awb, &awb)
            .ok_or_else(|| refusal(101, "Invalid ShippingID"))?;
        // Wording ours: XpressBees' refusal for a parcel not awaiting an instruction is
        // in no source read.
        let not_ndr = || refusal(101, "Shipment is not in NDR status");
        Self::instruct(&mut shipment.trip, Instruction::Redeliver).map_err(|_| not_ndr())?;
        reply(json!({ "ShippingID": awb, "ReturnCode": 100, "ReturnMessage": "Successful" }))
    }
}
