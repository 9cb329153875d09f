//! The FedEx sandbox: FedEx's REST paths and JSON shapes on the simulator kit
//! ([`crate::simulator`]).
//!
//! What it plays, and the rules a test can rely on:
//!
//! - **OAuth** (`POST /oauth/token`, form `grant_type=client_credentials`, `client_id`,
//!   `client_secret`) accepts [`SANDBOX_CLIENT_ID`] / [`SANDBOX_CLIENT_SECRET`] (account
//!   `default`) and any pair registered with `POST /_accounts`; it issues bearer tokens
//!   (`expires_in: 3599`) the kit can expire (`POST /sandbox/expire-tokens`). A missing,
//!   unknown or expired token gets FedEx's 401 `NOT.AUTHORIZED.ERROR`.
//! - **Rates** (`POST /rate/v1/rates/quotes`) price every service of the lane by a rate
//!   card: whole billed pounds (the larger of actual and dimensional weight, L·W·H/139),
//!   a first pound and each further pound per service, 15 % fuel surcharge, and for a
//!   parcel from India 18 % GST as a tax. From the US in USD, from India in INR; lanes
//!   from other countries are FedEx's `SERVICE.UNAVAILABLE.ERROR`. Domestic services in
//!   the US and India, international priority and economy from either.
//! - **Ship** (`POST /ship/v1/shipments`) books with 12-digit tracking numbers (one per
//!   package, the first the master), returns one base64 label per package in the format
//!   asked (`PDF` or `ZPLII`, drawn by [`crate::label`] with the package's number), and
//!   for an international booking with customs a base64 commercial invoice PDF in
//!   `shipmentDocuments`. International bookings without commodities are refused.
//!   The kit keeps one booking per customer reference: a second booking under a kept
//!   reference answers the first (an assumption of the sandbox; FedEx itself would book
//!   again, which is why the adapter looks up by reference before any retry).
//! - **Tracking** (`POST /track/v1/trackingnumbers`) moves one scan per call along the
//!   journey below, with the kit's detours for destination postal codes ending 99 (a
//!   failed attempt), 98 (two, then back to the shipper), 97 (an exception) and 96
//!   (delayed); times carry the offset of the scan's US state. A number never issued is
//!   FedEx's `TRACKING.TRACKINGNUMBER.NOTFOUND` inside a 200.
//! - **Reference tracking** (`POST /track/v1/referencenumbers`) finds a booking by the
//!   customer reference on its packages, without moving it on; none is
//!   `TRACKING.REFERENCENUMBER.NOTFOUND` (wording assumed).
//! - **Cancel** (`PUT /ship/v1/shipments/cancel`) before pickup ends the trip with a
//!   cancelled scan; after pickup FedEx refuses (`SHIPMENT.CANCEL.NOTALLOWED`, wording
//!   ours), and a cancelled shipment can be cancelled again.
//! - **Proof of delivery** (`POST /track/v1/trackingdocuments`) is a PDF once the parcel
//!   shows delivered; before that an empty `document` list with FedEx's alert.
//! - **Trade documents** (`POST /documents/v1/etds/upload`, multipart `document` JSON +
//!   PDF `attachment`, workflow `ETDPostshipment`) are taken for a tracking number booked
//!   with `POST_SHIPMENT_UPLOAD_REQUESTED`; each answers a new `docId`. An attachment that
//!   is not a PDF is refused (`DOCUMENT.FORMAT.INVALID`, wording ours).
//! - **COD** (`shipmentSpecialServices` `COD` with `shipmentCODDetail`) is taken within a
//!   country only, in the origin's currency; rates add a flat COD surcharge (USD 15, INR
//!   75, GST on it from India); across a border it is refused (wording ours).
//! - **Residential delivery**: a US-origin rate to an address flagged `residential` adds a
//!   flat `RESIDENTIAL_DELIVERY` surcharge (USD 5.55).
//! - **Returns** are bookings like any other (the `RETURN_SHIPMENT` special service is
//!   accepted), from the buyer to the warehouse, along the same journey.
//! - **Pickups** (`POST /pickup/v1/pickups`, `PUT /pickup/v1/pickups/cancel`) confirm a
//!   code and a location (`NQAA`), and cancel by them.
//! - **Address validation** (`POST /address/v1/addresses/resolve`) upper-cases the
//!   street, classifies an address with a suite, floor, plaza or industrial area as
//!   `BUSINESS` and others as `RESIDENTIAL`; a postal code of zeros does not resolve.

use std::collections::HashMap;

use base64::Engine;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::carrier::Settings;
use crate::kit::multipart;
use crate::kit::time::Zone;
use crate::label::{LabelData, render_pdf, render_zpl};
use crate::schema::{Address, LabelFormat, Payment, Phone, PostalCode};
use crate::simulator::ids::Counter;
use crate::simulator::journey::{Detour, Journey, Mark, Place, Places, Scan, Step, Trip, step};
use crate::simulator::pricing::Pricing;
use crate::simulator::rules::{self, Pins, Serviceability};
use crate::simulator::sandbox::{Reveal, Route, Sandbox, Wire, reply};
use crate::simulator::store::Key;
use crate::simulator::tokens::{Gate, Refused};
use crate::simulator::values::{list, number, text};
use crate::simulator::{Answer, SimRequest, SimResponse, require};

use super::parse::us_zone;

pub const SANDBOX_CLIENT_ID: &str = "sandbox-fedex-client";
pub const SANDBOX_CLIENT_SECRET: &str = "sandbox-fedex-secret";
pub const SANDBOX_ACCOUNT: &str = "740561073";
/// FedEx's station the sandbox's pickups are dispatched from.
pub const PICKUP_LOCATION: &str = "NQAA";

/// The settings that reach the sandbox.
pub fn sandbox_settings() -> Settings {
    let pairs = [
        ("client_id", SANDBOX_CLIENT_ID),
        ("client_secret", SANDBOX_CLIENT_SECRET),
        ("account_number", SANDBOX_ACCOUNT),
        // Trade documents go to the sandbox's own root, not FedEx's document host.
        ("document_api_url", "/"),
    ];
    pairs.map(|(k, v)| (k.to_string(), v.to_string())).into()
}

/// One scan as FedEx writes it: event type, derived status code, description, and the
/// exception code and text of an exception scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub event: &'static str,
    pub derived: &'static str,
    pub description: &'static str,
    pub exception: &'static str,
    pub exception_text: &'static str,
}

const fn code(event: &'static str, derived: &'static str, description: &'static str) -> Code {
    Code {
        event,
        derived,
        description,
        exception: "",
        exception_text: "",
    }
}

const fn exception(
    event: &'static str,
    description: &'static str,
    exception: &'static str,
    exception_text: &'static str,
) -> Code {
    Code {
        event,
        derived: event,
        description,
        exception,
        exception_text,
    }
}

use Place::{Destination as Dest, Origin, Transit as Hub};

const ON_VEHICLE: Step<Code> = step(code("OD", "IT", "On FedEx vehicle for delivery"), Dest);
const DELIVERED: Step<Code> = step(code("DL", "DL", "Delivered"), Dest).marked(Mark::Delivered);
const NOBODY_IN: Step<Code> = step(
    exception(
        "DE",
        "Delivery exception",
        "08",
        "Customer not available or business closed",
    ),
    Dest,
)
.marked(Mark::Undelivered);
const ATTEMPT: [Step<Code>; 2] = [NOBODY_IN, ON_VEHICLE];
const RETURN: [Step<Code>; 3] = [
    step(code("RS", "RS", "Return to shipper"), Dest).marked(Mark::Returning),
    step(code("AR", "IT", "Arrived at FedEx hub"), Hub).marked(Mark::Returning),
    step(code("DL", "DL", "Delivered"), Origin).marked(Mark::Returning),
];

/// Every sandbox parcel's way, and its detours.
#[rustfmt::skip]
static JOURNEY: Journey<Code> = Journey {
    forward: &[
        step(code("OC", "IN", "Shipment information sent to FedEx"), Origin),
        step(code("EP", "IN", "Enroute to Pickup"),                  Origin),
        step(code("PU", "PU", "Picked up"),                          Origin).marked(Mark::PickedUp),
        step(code("DP", "IT", "Left FedEx origin facility"),         Origin),
        step(code("AR", "IT", "Arrived at FedEx hub"),               Hub),
        step(code("DP", "IT", "Departed FedEx hub"),                 Hub),
        step(code("AR", "IT", "At local FedEx facility"),            Dest),
        ON_VEHICLE,
        DELIVERED,
    ],
    cancelled: &[step(code("CA", "CA", "Shipment cancelled by sender"), Origin)],
    returned: &[step(code("RS", "RS", "Return to shipper"), Origin).marked(Mark::Returning)],
    redelivered: &[ON_VEHICLE, DELIVERED],
    rto: &RETURN,
    detours: &[
        (rules::NDR, &[Detour::attempts(&ATTEMPT, 1)]),
        (rules::RTO, &[Detour::attempts(&ATTEMPT, 2), Detour::returned(&RETURN)]),
        (rules::LOST, &[Detour::lost(&[step(code("SE", "DE", "Shipment exception"), Hub).marked(Mark::Lost)])]),
        (rules::MISROUTED, &[Detour::misrouted(&[step(exception("DY", "Delay", "A52", "Package delayed"), Hub)])]),
    ],
    time_digits: 0,
};

/// A booking as the sandbox keeps it.
pub struct Booking {
    awb: String,
    reference: String,
    service: &'static Service,
    shipper: Address,
    recipient: Address,
    /// Tracking number and weight in grams, per package.
    packages: Vec<(String, u32)>,
    commodities: Vec<String>,
    created: DateTime<Utc>,
    trip: Trip<Code>,
    /// Booked with electronic trade documents, post-shipment upload allowed.
    etd: bool,
    /// The ids of the trade documents uploaded for it.
    uploads: Vec<String>,
}

/// A service the sandbox prices: minor units for the first pound and each further one.
pub struct Service {
    code: &'static str,
    name: &'static str,
    /// Origin country and whether the service crosses a border.
    origin: &'static str,
    international: bool,
    first_lb: i64,
    further_lb: i64,
    days: i64,
}

#[rustfmt::skip]
const SERVICES: [Service; 8] = [
    Service { code: "FEDEX_GROUND",                 name: "FedEx Ground",                       origin: "US", international: false, first_lb: 995,    further_lb: 125,    days: 4 },
    Service { code: "FEDEX_2_DAY",                  name: "FedEx 2Day",                         origin: "US", international: false, first_lb: 2450,   further_lb: 380,    days: 2 },
    Service { code: "STANDARD_OVERNIGHT",           name: "FedEx Standard Overnight",           origin: "US", international: false, first_lb: 4275,   further_lb: 520,    days: 1 },
    Service { code: "FEDEX_INTERNATIONAL_PRIORITY", name: "FedEx International Priority",       origin: "US", international: true,  first_lb: 6890,   further_lb: 1850,   days: 3 },
    Service { code: "INTERNATIONAL_ECONOMY",        name: "FedEx International Economy",        origin: "US", international: true,  first_lb: 5420,   further_lb: 1390,   days: 5 },
    Service { code: "STANDARD_OVERNIGHT",           name: "FedEx Standard Overnight",           origin: "IN", international: false, first_lb: 45000,  further_lb: 12000,  days: 1 },
    Service { code: "FEDEX_INTERNATIONAL_PRIORITY", name: "FedEx International Priority",       origin: "IN", international: true,  first_lb: 385000, further_lb: 110000, days: 4 },
    Service { code: "INTERNATIONAL_ECONOMY",        name: "FedEx International Economy",        origin: "IN", international: true,  first_lb: 315000, further_lb: 90000,  days: 6 },
];

fn currency_of(origin: &str) -> &'static str {
    if origin == "IN" { "INR" } else { "USD" }
}

/// The services of a lane.
fn services(from: &str, to: &str) -> impl Iterator<Item = &'static Service> {
    let international = from != to;
    let to_ok = !to.is_empty();
    SERVICES
        .iter()
        .filter(move |s| to_ok && s.origin == from && s.international == international)
}

/// Per-pound pricing of one parcel list: (base, fuel, tax) in minor units.
fn price(service: &Service, billed_lb: i64) -> (i64, i64, i64) {
    let base = service.first_lb + service.further_lb * (billed_lb - 1).max(0);
    let fuel = (base * 15 + 50) / 100;
    let tax = if service.origin == "IN" {
        ((base + fuel) * 18 + 50) / 100
    } else {
        0
    };
    (base, fuel, tax)
}

/// The COD special service of a requested shipment, if asked: FedEx's COD fee in minor
/// units for the origin (a flat fee of the sandbox's), or FedEx's refusal: COD only within
/// a country, a positive amount in the origin's currency, a collection type named.
fn cod_fee(shipment: &Value, from: &str, to: &str) -> Result<Option<i64>, SimResponse> {
    let services = &shipment["shipmentSpecialServices"];
    let asked = services["specialServiceTypes"]
        .as_array()
        .is_some_and(|l| l.iter().any(|s| s == "COD"));
    if !asked {
        return Ok(None);
    }
    // Our wordings, in FedEx's error shape.
    let refuse = |message: &str| errors(400, "SPECIALSERVICE.COD.INVALID", message);
    if from != to {
        return Err(refuse("COD is not available for international shipments."));
    }
    let detail = &services["shipmentCODDetail"];
    let amount = number(&detail["codCollectionAmount"], "amount").unwrap_or(0.0);
    let currency = text(&detail["codCollectionAmount"], "currency").unwrap_or_default();
    if amount <= 0.0 || currency != currency_of(from) || text(detail, "codCollectionType").is_none()
    {
        return Err(refuse(
            "COD collection amount, currency or type is invalid.",
        ));
    }
    Ok(Some(if from == "IN" { 7500 } else { 1500 }))
}

fn major(minor: i64) -> Value {
    json!((minor as f64) / 100.0)
}

/// The numbers the sandbox hands out, and the pickups it holds.
pub struct Numbers {
    tracking: Counter,
    pickups: HashMap<String, (NaiveDate, bool)>,
}

/// FedEx's API in the sandbox.
pub type FedexSimulator = Sandbox<FedexApi>;
type S = FedexSimulator;

/// FedEx's wire format and sandbox rules, as the kit's configuration.
pub struct FedexApi;

fn errors(status: u16, code: &str, message: &str) -> SimResponse {
    SimResponse::json(
        status,
        &json!({
            "transactionId": "sandbox-transaction",
            "errors": [{"code": code, "message": message}],
        }),
    )
}

fn invalid(message: &str) -> SimResponse {
    errors(400, "INVALID.INPUT.EXCEPTION", message)
}

impl Wire for FedexApi {
    /// Found by customer reference and by every package's tracking number.
    type Record = Booking;
    type Code = Code;
    type Numbers = Numbers;
    #[rustfmt::skip]
    const ROUTES: &'static [Route<Self>] = &[
        Route::post("/oauth/token",                  S::token).open(),
        Route::post("/sandbox/expire-tokens",        S::expire).open(),
        Route::post("/_accounts",                    S::add_account).open(),
        Route::get("/_accounts",                     S::accounts).open(),
        Route::post("/rate/v1/rates/quotes",         S::rates),
        Route::post("/ship/v1/shipments",            S::ship),
        Route::put("/ship/v1/shipments/cancel",      S::cancel),
        Route::post("/track/v1/trackingnumbers",     S::track),
        Route::post("/track/v1/referencenumbers",    S::by_reference),
        Route::post("/track/v1/trackingdocuments",   S::proof_of_delivery),
        Route::post("/documents/v1/etds/upload",     S::upload_document),
        Route::post("/pickup/v1/pickups",            S::pickup),
        Route::put("/pickup/v1/pickups/cancel",      S::cancel_pickup),
        Route::post("/address/v1/addresses/resolve", S::resolve_address),
    ];
    const GATE: Gate = Gate::login("Bearer");
    const ACCOUNT: &'static [(&'static str, &'static str)] = &[
        ("client_id", SANDBOX_CLIENT_ID),
        ("client_secret", SANDBOX_CLIENT_SECRET),
    ];
    /// A booking shows its first scan on the first track call.
    const REVEAL: Reveal = Reveal::Before;

    fn numbers() -> Numbers {
        Numbers {
            tracking: Counter::from_clock(),
            pickups: HashMap::new(),
        }
    }

    fn trip(record: &mut Booking) -> Option<&mut Trip<Code>> {
        Some(&mut record.trip)
    }

    /// FedEx's lanes are priced by [`SERVICES`], not by the kit's pincode rules.
    const SERVED: Serviceability = Serviceability {
        unserved: &[Pins::Exactly("00000")],
        prepaid_only: &[],
    };

    fn pricing() -> Pricing {
        Pricing::new(454, Vec::new(), Vec::new())
    }

    fn refused(why: Refused) -> SimResponse {
        let message = match why {
            Refused::Expired => {
                "The given JWT has expired. Please modify your request and try again."
            }
            Refused::Missing | Refused::Unknown => {
                "The given JWT is invalid. Please modify your request and try again."
            }
        };
        errors(401, "NOT.AUTHORIZED.ERROR", message)
    }

    fn unknown_path() -> SimResponse {
        errors(
            404,
            "NOT.FOUND.ERROR",
            "The resource you requested is no longer available. Please modify your request and try again.",
        )
    }
}

/// A FedEx party (`contact` and `address`) as an address, `None` when it lacks one.
fn party(value: &Value) -> Option<Address> {
    let address = &value["address"];
    let contact = &value["contact"];
    let country = text(address, "countryCode")?;
    let lines = list(address, "streetLines").cloned().unwrap_or_default();
    let line = |i: usize| lines.get(i).and_then(Value::as_str).map(str::to_string);
    let phone = text(contact, "phoneNumber").unwrap_or_default();
    Some(Address {
        name: text(contact, "personName").or_else(|| text(contact, "companyName"))?,
        phone: Phone::parse(&phone, &country).ok()?,
        email: text(contact, "emailAddress"),
        line1: line(0)?,
        line2: line(1),
        landmark: None,
        city: text(address, "city")?,
        state: text(address, "stateOrProvinceCode"),
        postal_code: PostalCode::parse(&text(address, "postalCode")?, &country).ok()?,
        country,
    })
}

/// A package's weight in grams from FedEx's `{units, value}`.
fn grams(weight: &Value) -> Option<u32> {
    let value = number(weight, "value").filter(|v| *v > 0.0 && *v < 10_000.0)?;
    let kg = match text(weight, "units").as_deref() {
        Some("KG") => value,
        _ => value * 0.453_592_37,
    };
    Some((kg * 1000.0).round() as u32)
}

/// Billed whole pounds of a package: actual or dimensional (÷139 in inches), up.
fn billed_lb(item: &Value) -> Option<i64> {
    let g = grams(&item["weight"])?;
    let actual = f64::from(g) / 453.592_37;
    let dims = &item["dimensions"];
    let dim = match ["length", "width", "height"].map(|k| number(dims, k)) {
        [Some(l), Some(w), Some(h)] if l * w * h < 1e9 => l * w * h / 139.0,
        _ => 0.0,
    };
    Some(actual.max(dim).ceil().max(1.0) as i64)
}

/// A time as FedEx writes a scan's: with the offset of the place's zone.
fn stamp(time: DateTime<Utc>, state: Option<&str>, country: &str) -> String {
    const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%:z";
    match (country, state.and_then(us_zone)) {
        ("US" | "CA", Some(Zone::Named(tz))) => time.with_timezone(&tz).format(FORMAT).to_string(),
        ("IN", _) => {
            let ist = FixedOffset::east_opt(19_800)
                .unwrap_or(FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()));
            time.with_timezone(&ist).format(FORMAT).to_string()
        }
        _ => time.format(FORMAT).to_string(),
    }
}

impl Booking {
    fn label(&self, tracking: &str, weight_g: u32) -> LabelData {
        LabelData {
            carrier_name: "FedEx".into(),
            service: self.service.name.to_string(),
            awb: tracking.to_string(),
            order_ref: self.reference.clone(),
            from: self.shipper.clone(),
            to: self.recipient.clone(),
            weight_g,
            payment: Payment::Prepaid,
            routing_code: Some(format!(
                "XH {}",
                self.recipient.state_code().unwrap_or("ZZ")
            )),
            description: None,
            created: self.created.date_naive(),
        }
    }

    fn invoice(&self) -> LabelData {
        LabelData {
            carrier_name: "FedEx Commercial Invoice".into(),
            description: Some(self.commodities.join(", ")).filter(|d| !d.is_empty()),
            ..self.label(&self.awb, self.packages.iter().map(|p| p.1).sum())
        }
    }

    /// Where a place of the trip is: city, state, country.
    fn place(&self, place: Place) -> (String, Option<String>, String) {
        let of = |a: &Address| {
            (
                a.city.to_uppercase(),
                a.state_code().map(str::to_string),
                a.country.clone(),
            )
        };
        match place {
            Place::Origin => of(&self.shipper),
            Place::Destination => of(&self.recipient),
            Place::Transit if self.shipper.country == "IN" && self.recipient.country == "IN" => {
                ("MUMBAI".into(), Some("MH".into()), "IN".into())
            }
            Place::Transit => ("MEMPHIS".into(), Some("TN".into()), "US".into()),
        }
    }

    fn scan(&self, scan: &Scan<Code>) -> Value {
        let (city, state, country) = self.place(scan.step.place);
        let code = scan.step.code;
        let mut event = json!({
            "date": stamp(scan.time, state.as_deref(), &country),
            "eventType": code.event,
            "eventDescription": code.description,
            "derivedStatusCode": code.derived,
            "scanLocation": {
                "streetLines": [""], "city": city, "stateOrProvinceCode": state,
                "countryCode": country, "residential": false,
            },
        });
        if !code.exception.is_empty() {
            event["exceptionCode"] = json!(code.exception);
            event["exceptionDescription"] = json!(code.exception_text);
        }
        event
    }

    /// The Track API's result for this booking: its scans newest first.
    fn track_result(&self) -> Value {
        let scans = self.trip.scans();
        let events: Vec<Value> = scans.iter().rev().map(|s| self.scan(s)).collect();
        let latest = scans.last().map_or(json!({"code": "OC", "derivedCode": "IN", "description": "Label created"}), |s| {
            json!({"code": s.step.code.event, "derivedCode": s.step.code.derived, "description": s.step.code.description})
        });
        json!({
            "trackingNumberInfo": {"trackingNumber": self.awb, "carrierCode": "FDXE", "trackingNumberUniqueId": format!("12028~{}~FDEG", self.awb)},
            "additionalTrackingInfo": {
                "packageIdentifiers": [{"type": "CUSTOMER_REFERENCE", "values": [self.reference]}],
                "hasAssociatedShipments": false,
            },
            "serviceDetail": {"type": self.service.code, "description": self.service.name},
            "latestStatusDetail": latest,
            "scanEvents": events,
        })
    }
}

fn not_found(number: &str, code: &str, message: &str) -> Value {
    json!({
        "trackingNumber": number,
        "trackResults": [{
            "trackingNumberInfo": {"trackingNumber": number, "trackingNumberUniqueId": "", "carrierCode": ""},
            "error": {"code": code, "message": message},
        }],
    })
}

fn track_answer(results: Vec<Value>) -> Answer {
    reply(json!({
        "transactionId": "sandbox-transaction",
        "output": {"completeTrackResults": results},
    }))
}

impl FedexSimulator {
    fn token(&self, req: &SimRequest) -> Answer {
        let grant = req.form_value("grant_type").unwrap_or_default();
        require(grant == "client_credentials", || {
            errors(
                400,
                "BAD.REQUEST.ERROR",
                "Missing or duplicate parameters. Please modify your request and try again.",
            )
        })?;
        let [id, secret] =
            ["client_id", "client_secret"].map(|k| req.form_value(k).unwrap_or_default());
        let token = self.log_in(&[("client_id", &id), ("client_secret", &secret)]);
        let token = token.ok_or_else(|| {
            errors(401, "NOT.AUTHORIZED.ERROR", "The given client credentials were not valid. Please modify your request and try again.")
        })?;
        reply(
            json!({"access_token": token, "token_type": "bearer", "expires_in": 3599, "scope": "CXS"}),
        )
    }

    fn rates(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let shipment = &body["requestedShipment"];
        let from = text(&shipment["shipper"]["address"], "countryCode").unwrap_or_default();
        let to = text(&shipment["recipient"]["address"], "countryCode").unwrap_or_default();
        require(text(&body["accountNumber"], "value").is_some(), || {
            invalid("Account number is required.")
        })?;
        let items = list(shipment, "requestedPackageLineItems").filter(|i| !i.is_empty());
        let items = items.ok_or_else(|| invalid("requestedPackageLineItems is required."))?;
        let billed: Option<Vec<i64>> = items.iter().map(billed_lb).collect();
        let billed = billed.ok_or_else(|| invalid("Package weight is missing or invalid."))?;
        let lb: i64 = billed.iter().sum();
        let cod = cod_fee(shipment, &from, &to)?;
        // FedEx's residential delivery surcharge, on US lanes to an address flagged so.
        let residential = shipment["recipient"]["address"]["residential"] == true && from == "US";
        let today = Utc::now().date_naive();
        let details: Vec<Value> = services(&from, &to)
            .map(|s| {
                let (base, fuel, mut tax) = price(s, lb);
                let cod = cod.unwrap_or(0);
                let home = if residential { 555 } else { 0 };
                if s.origin == "IN" {
                    // GST on the COD fee as on the rest.
                    tax = ((base + fuel + cod) * 18 + 50) / 100;
                }
                let mut surcharges = vec![json!({"type": "FUEL", "description": "Fuel Surcharge", "level": "PACKAGE", "amount": major(fuel)})];
                if cod > 0 {
                    surcharges.push(json!({"type": "COD", "description": "COD Surcharge", "level": "SHIPMENT", "amount": major(cod)}));
                }
                if home > 0 {
                    surcharges.push(json!({"type": "RESIDENTIAL_DELIVERY", "description": "Residential delivery charge", "level": "PACKAGE", "amount": major(home)}));
                }
                let cod = cod + home;
                let currency = currency_of(s.origin);
                let delivery = today + Duration::days(s.days);
                let mut taxes = Vec::new();
                if tax > 0 {
                    taxes.push(json!({"type": "GST", "description": "Goods and Services Tax", "amount": major(tax)}));
                }
                json!({
                    "serviceType": s.code, "serviceName": s.name, "packagingType": "YOUR_PACKAGING",
                    "commit": {"dateDetail": {"dayOfWeek": delivery.format("%a").to_string(), "dayFormat": format!("{delivery}T23:59:00")}},
                    "operationalDetail": {"transitTime": transit_words(s.days), "deliveryDate": format!("{delivery}T23:59:00")},
                    "ratedShipmentDetails": [{
                        "rateType": "ACCOUNT", "ratedWeightMethod": "ACTUAL",
                        "totalDiscounts": 0, "totalBaseCharge": major(base),
                        "totalNetCharge": major(base + fuel + cod + tax), "totalNetFedExCharge": major(base + fuel + cod),
                        "currency": currency,
                        "shipmentRateDetail": {
                            "fuelSurchargePercent": 15.0, "totalSurcharges": major(fuel + cod), "currency": currency,
                            "surCharges": surcharges,
                            "taxes": taxes,
                            "totalBillingWeight": {"units": "LB", "value": lb},
                        },
                    }],
                })
            })
            .collect();
        require(!details.is_empty(), || {
            errors(
                400,
                "SERVICE.UNAVAILABLE.ERROR",
                "Service is not allowed. Please modify your request and try again.",
            )
        })?;
        reply(
            json!({"transactionId": "sandbox-transaction", "output": {"rateReplyDetails": details}}),
        )
    }

    fn ship(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let shipment = &body["requestedShipment"];
        require(text(&body["accountNumber"], "value").is_some(), || {
            invalid("Account number is required.")
        })?;
        let shipper = party(&shipment["shipper"])
            .ok_or_else(|| invalid("Shipper contact or address is missing or invalid."))?;
        let recipients = list(shipment, "recipients").cloned().unwrap_or_default();
        let recipient = recipients.first().and_then(party);
        let recipient = recipient
            .ok_or_else(|| invalid("Recipient contact or address is missing or invalid."))?;
        let service_code = text(shipment, "serviceType").unwrap_or_default();
        let service =
            services(&shipper.country, &recipient.country).find(|s| s.code == service_code);
        let service = service.ok_or_else(|| {
            errors(
                400,
                "SERVICE.UNAVAILABLE.ERROR",
                "Service is not allowed. Please modify your request and try again.",
            )
        })?;
        cod_fee(shipment, &shipper.country, &recipient.country)?;
        let format = match text(&shipment["labelSpecification"], "imageType").as_deref() {
            Some("PDF") => LabelFormat::Pdf,
            Some("ZPLII") => LabelFormat::Zpl,
            _ => {
                return Err(invalid(
                    "labelSpecification.imageType must be PDF or ZPLII in the sandbox.",
                ));
            }
        };
        let items =
            list(shipment, "requestedPackageLineItems").filter(|i| !i.is_empty() && i.len() <= 99);
        let items = items.ok_or_else(|| invalid("requestedPackageLineItems is required."))?;
        let weights: Option<Vec<u32>> = items.iter().map(|i| grams(&i["weight"])).collect();
        let weights = weights.ok_or_else(|| invalid("Package weight is missing or invalid."))?;
        let reference = items[0]["customerReferences"]
            .as_array()
            .and_then(|refs| {
                refs.iter()
                    .find(|r| r["customerReferenceType"] == "CUSTOMER_REFERENCE")
            })
            .and_then(|r| text(r, "value"))
            .unwrap_or_default();
        let commodities = list(&shipment["customsClearanceDetail"], "commodities")
            .cloned()
            .unwrap_or_default();
        let customs_ok = commodities.iter().all(|c| {
            text(c, "harmonizedCode").is_some() && text(c, "countryOfManufacture").is_some()
        });
        require(
            !service.international || (!commodities.is_empty() && customs_ok),
            || {
                errors(
                    400,
                    "COMMODITY.HARMONIZEDCODE.REQUIRED",
                    "Commodities with harmonized code and country of manufacture are required for international shipments.",
                )
            },
        )?;
        let mut guard = self.books();
        let books = &mut *guard;
        let reference = if reference.is_empty() {
            format!("sandbox-{}", books.numbers.tracking.current())
        } else {
            reference
        };
        let slot = books.store.vacant(&reference);
        let slot = slot.map_err(|existing| SimResponse::json(200, &ship_answer(existing, None)))?;
        let packages: Vec<(String, u32)> = (weights.iter())
            .map(|w| (books.numbers.tracking.issue_fixed(12), *w))
            .collect();
        let awb = packages[0].0.clone();
        let places = Places::new(&shipper.city, "MEMPHIS", &recipient.city);
        let trip = JOURNEY.trip(recipient.postal_code.as_str(), places);
        let booking = Booking {
            awb: awb.clone(),
            reference,
            service,
            shipper,
            recipient,
            packages,
            commodities: commodities
                .iter()
                .filter_map(|c| text(c, "description"))
                .collect(),
            created: Utc::now(),
            trip,
            etd: shipment["shipmentSpecialServices"]["etdDetail"]["attributes"]
                .as_array()
                .is_some_and(|a| a.iter().any(|v| v == "POST_SHIPMENT_UPLOAD_REQUESTED")),
            uploads: Vec::new(),
        };
        let keys: Vec<(Key, String)> = booking
            .packages
            .iter()
            .map(|(n, _)| (Key::Awb, n.clone()))
            .collect();
        // Render outside the lock: labels are the slow part.
        let pieces: Vec<LabelData> = booking
            .packages
            .iter()
            .map(|(n, w)| booking.label(n, *w))
            .collect();
        let invoice = service.international.then(|| booking.invoice());
        let answer_base = ship_answer(&booking, None);
        slot.insert(booking, keys);
        books.store.count_booking();
        drop(guard);
        let b64 = |bytes: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(bytes);
        let labels: Vec<String> = pieces
            .iter()
            .map(|data| match format {
                LabelFormat::Pdf => b64(render_pdf(data)),
                LabelFormat::Zpl => b64(render_zpl(data).into_bytes()),
            })
            .collect();
        let invoice = invoice.map(|data| b64(render_pdf(&data)));
        reply(with_documents(answer_base, &labels, format, invoice))
    }

    fn cancel(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let number = text(&body, "trackingNumber").unwrap_or_default();
        let mut books = self.books();
        let booking = books.store.by_mut(Key::Awb, &number);
        let booking = booking.ok_or_else(|| {
            errors(404, "TRACKING.TRACKINGNUMBER.NOTFOUND", "Tracking number cannot be found. Please correct the tracking number and try again.")
        })?;
        require(
            !booking.trip.reached(Mark::PickedUp) || booking.trip.is_cancelled(),
            || {
                errors(
                    400,
                    "SHIPMENT.CANCEL.NOTALLOWED",
                    "Shipment cannot be cancelled: it has been tendered to FedEx.",
                )
            },
        )?;
        booking
            .trip
            .cancel()
            .map_err(|_| invalid("Shipment cannot be cancelled."))?;
        reply(json!({
            "transactionId": "sandbox-transaction",
            "output": {"cancelledShipment": true, "cancelledHistory": true, "successMessage": "Success"},
        }))
    }

    fn track(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let numbers: Vec<String> = list(&body, "trackingInfo")
            .into_iter()
            .flatten()
            .filter_map(|t| text(&t["trackingNumberInfo"], "trackingNumber"))
            .collect();
        require(!numbers.is_empty(), || {
            errors(
                400,
                "TRACKING.TRACKINGNUMBER.EMPTY",
                "Please provide tracking number.",
            )
        })?;
        let results = numbers
            .iter()
            .map(|n| {
                let found = self.track_each([(Key::Awb, n.as_str())], Booking::track_result);
                match found.into_iter().next() {
                    Some(result) => json!({"trackingNumber": n, "trackResults": [result]}),
                    None => not_found(n, "TRACKING.TRACKINGNUMBER.NOTFOUND", "Tracking number cannot be found. Please correct the tracking number and try again."),
                }
            })
            .collect();
        track_answer(results)
    }

    /// A trade document uploaded after booking (`ETDPostshipment`): `multipart/form-data`
    /// with the `document` JSON and a PDF `attachment`, for a tracking number booked with
    /// post-shipment upload; answers a fresh 16-hex-digit document id.
    fn upload_document(&self, req: &SimRequest) -> Answer {
        let content_type = req.header("content-type").unwrap_or_default();
        let parts = multipart::parts(content_type, &req.body)
            .ok_or_else(|| invalid("The request must be multipart/form-data."))?;
        let part = |name: &str| parts.iter().find(|p| p.name == name);
        let document: Value = part("document")
            .and_then(|p| serde_json::from_slice(&p.content).ok())
            .ok_or_else(|| invalid("document is required and must be JSON."))?;
        let attachment = part("attachment")
            .filter(|p| !p.content.is_empty())
            .ok_or_else(|| invalid("attachment is required."))?;
        require(
            text(&document, "workflowName").as_deref() == Some("ETDPostshipment"),
            || invalid("workflowName must be ETDPreshipment or ETDPostshipment."),
        )?;
        let meta = &document["meta"];
        let doc_type = text(meta, "shipDocumentType").unwrap_or_default();
        let short = match doc_type.as_str() {
            "COMMERCIAL_INVOICE" => "CI",
            "CERTIFICATE_OF_ORIGIN" => "CO",
            "PRO_FORMA_INVOICE" => "PI",
            "OTHER" => "OTHER",
            _ => return Err(invalid("meta.shipDocumentType is invalid.")),
        };
        require(attachment.content.starts_with(b"%PDF-"), || {
            errors(
                400,
                "DOCUMENT.FORMAT.INVALID",
                "The attached document is not a valid PDF.",
            )
        })?;
        let number = text(meta, "trackingNumber").unwrap_or_default();
        let mut books = self.books();
        let id = format!("0904{:012x}", books.numbers.tracking.current());
        let booking = books.store.by_mut(Key::Awb, &number).ok_or_else(|| {
            errors(404, "TRACKING.TRACKINGNUMBER.NOTFOUND", "Tracking number cannot be found. Please correct the tracking number and try again.")
        })?;
        require(booking.etd, || {
            errors(
                400,
                "ETD.POSTSHIPMENT.NOTALLOWED",
                "The shipment was not booked for post-shipment document upload.",
            )
        })?;
        let id = format!("{id}{:x}", booking.uploads.len());
        booking.uploads.push(id.clone());
        drop(books);
        reply(json!({
            "transactionId": "sandbox-transaction",
            "output": {"meta": {"documentType": short, "docId": id, "folderId": ["0b0493e1812f8921"]}},
        }))
    }

    /// The signature proof of delivery once the parcel shows delivered: a PDF with the
    /// number and the delivery time; before that FedEx's alert and no document.
    fn proof_of_delivery(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let specs = list(&body, "trackDocumentSpecification")
            .cloned()
            .unwrap_or_default();
        let number = specs
            .first()
            .and_then(|s| text(&s["trackingNumberInfo"], "trackingNumber"));
        let number = number.ok_or_else(|| {
            errors(
                400,
                "TRACKING.TRACKINGNUMBER.EMPTY",
                "Please provide tracking number.",
            )
        })?;
        let books = self.books();
        let booking = books.store.by(Key::Awb, &number).ok_or_else(|| {
            errors(404, "TRACKING.TRACKINGNUMBER.NOTFOUND", "Tracking number cannot be found. Please correct the tracking number and try again.")
        })?;
        let delivered = booking.trip.first(Mark::Delivered).map(|scan| scan.time);
        let Some(when) = delivered else {
            return reply(json!({
                "transactionId": "sandbox-transaction",
                "output": {"documentType": "SIGNATURE_PROOF_OF_DELIVERY", "documentFormat": "PDF", "document": [],
                           "alerts": [{"code": "TRACKING.DATA.NOTFOUND", "message": "Tracking data unavailable", "alertType": "NOTE"}]},
            }));
        };
        let data = LabelData {
            carrier_name: "FedEx Signature Proof of Delivery".into(),
            description: Some(format!(
                "Delivered {} to {}; signed for by S.RECEIVER",
                when.format("%Y-%m-%d %H:%M UTC"),
                booking.recipient.city
            )),
            ..booking.label(&number, booking.packages.iter().map(|p| p.1).sum())
        };
        drop(books);
        let pdf = base64::engine::general_purpose::STANDARD.encode(render_pdf(&data));
        reply(json!({
            "transactionId": "sandbox-transaction",
            "output": {"documentType": "SIGNATURE_PROOF_OF_DELIVERY", "documentFormat": "PDF", "document": [pdf]},
        }))
    }

    fn by_reference(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let info = &body["referencesInformation"];
        let reference = text(info, "value").unwrap_or_default();
        require(!reference.is_empty(), || {
            invalid("referencesInformation.value is required.")
        })?;
        let books = self.books();
        let result = match books.store.by(Key::Reference, &reference) {
            Some(booking) => {
                json!({"trackingNumber": booking.awb, "trackResults": [booking.track_result()]})
            }
            None => not_found(
                &reference,
                "TRACKING.REFERENCENUMBER.NOTFOUND",
                "Reference number cannot be found. Please correct the reference number and try again.",
            ),
        };
        track_answer(vec![result])
    }

    fn pickup(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let origin = &body["originDetail"];
        require(party(&origin["pickupLocation"]).is_some(), || {
            invalid("Pickup location contact or address is missing or invalid.")
        })?;
        let ready = text(origin, "readyDateTimestamp").unwrap_or_default();
        let date = ready
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let date = date.ok_or_else(|| invalid("readyDateTimestamp is missing or invalid."))?;
        let mut books = self.books();
        let code = books.numbers.tracking.issue_fixed(4);
        books.numbers.pickups.insert(code.clone(), (date, false));
        reply(json!({
            "transactionId": "sandbox-transaction",
            "output": {"pickupConfirmationCode": code, "message": "Courier on the way", "location": PICKUP_LOCATION},
        }))
    }

    fn cancel_pickup(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let code = text(&body, "pickupConfirmationCode").unwrap_or_default();
        let mut books = self.books();
        let pickup = books
            .numbers
            .pickups
            .get_mut(&code)
            .filter(|_| text(&body, "location").as_deref() == Some(PICKUP_LOCATION));
        let pickup = pickup.ok_or_else(|| {
            errors(
                400,
                "PICKUP.CONFIRMATIONCODE.INVALID",
                "Invalid pickup confirmation code. Please modify your request and try again.",
            )
        })?;
        pickup.1 = true;
        reply(json!({
            "transactionId": "sandbox-transaction",
            "output": {"pickupConfirmationCode": code, "cancelConfirmationMessage": "Requested pickup has been cancelled Successfully."},
        }))
    }

    fn resolve_address(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let addresses = list(&body, "addressesToValidate").filter(|a| !a.is_empty());
        let addresses = addresses.ok_or_else(|| invalid("addressesToValidate is required."))?;
        let resolved: Vec<Value> = addresses
            .iter()
            .map(|a| {
                let address = &a["address"];
                let lines: Vec<String> = list(address, "streetLines").into_iter().flatten()
                    .filter_map(|l| l.as_str().map(|s| s.trim().to_uppercase())).filter(|l| !l.is_empty()).collect();
                let postal = text(address, "postalCode").unwrap_or_default();
                let ok = !lines.is_empty() && !postal.is_empty() && postal.chars().any(|c| c != '0');
                let joined = lines.join(" ");
                let business = ["SUITE", "STE ", "FLOOR", "PLAZA", "INDUSTRIAL", "PLOT"].iter().any(|w| joined.contains(w));
                let class = match (ok, business) {
                    (false, _) => "UNKNOWN",
                    (true, true) => "BUSINESS",
                    (true, false) => "RESIDENTIAL",
                };
                let flag = if ok { "true" } else { "false" };
                json!({
                    "streetLinesToken": lines,
                    "city": text(address, "city").map(|c| c.to_uppercase()),
                    "stateOrProvinceCode": text(address, "stateOrProvinceCode"),
                    "postalCode": postal,
                    "countryCode": text(address, "countryCode"),
                    "classification": class,
                    "attributes": {"Resolved": flag, "DPV": flag, "Matched": flag, "AddressType": if ok { "STANDARDIZED" } else { "RAW" }},
                    "customerMessages": if ok { json!([]) } else { json!([{"code": "STANDARDIZED.ADDRESS.NOTFOUND", "message": "Standardized address is not found."}]) },
                })
            })
            .collect();
        reply(
            json!({"transactionId": "sandbox-transaction", "output": {"resolvedAddresses": resolved}}),
        )
    }
}

/// `FOUR_DAYS` for 4, as FedEx spells transit times.
fn transit_words(days: i64) -> &'static str {
    match days {
        1 => "ONE_DAY",
        2 => "TWO_DAYS",
        3 => "THREE_DAYS",
        4 => "FOUR_DAYS",
        5 => "FIVE_DAYS",
        6 => "SIX_DAYS",
        _ => "SEVEN_DAYS",
    }
}

/// The ship answer of a booking, without documents (a repeated reference gets this).
fn ship_answer(b: &Booking, _unused: Option<()>) -> Value {
    let lb: i64 = b
        .packages
        .iter()
        .map(|(_, g)| (f64::from(*g) / 453.592_37).ceil().max(1.0) as i64)
        .sum();
    let (base, fuel, tax) = price(b.service, lb);
    let currency = currency_of(b.service.origin);
    let pieces: Vec<Value> = b
        .packages
        .iter()
        .map(|(n, _)| json!({
            "trackingNumber": n, "masterTrackingNumber": b.awb, "serviceCategory": "EXPRESS",
            "customerReferences": [{"customerReferenceType": "CUSTOMER_REFERENCE", "value": b.reference}],
            "packageDocuments": [],
        }))
        .collect();
    json!({
        "transactionId": "sandbox-transaction",
        "customerTransactionId": b.reference,
        "output": {"transactionShipments": [{
            "serviceType": b.service.code, "serviceName": b.service.name,
            "shipDatestamp": b.created.date_naive().to_string(),
            "masterTrackingNumber": b.awb,
            "pieceResponses": pieces,
            "shipmentDocuments": [],
            "completedShipmentDetail": {
                "masterTrackingId": {"trackingIdType": "FEDEX", "trackingNumber": b.awb},
                "operationalDetail": {"ursaPrefixCode": "XH", "ursaSuffixCode": b.recipient.state_code().unwrap_or("ZZ")},
                "shipmentRating": {"shipmentRateDetails": [{"rateType": "PAYOR_ACCOUNT_SHIPMENT", "totalNetCharge": major(base + fuel + tax), "currency": currency}]},
            },
        }]},
    })
}

/// The ship answer with each piece's label and the commercial invoice.
fn with_documents(
    mut answer: Value,
    labels: &[String],
    format: LabelFormat,
    invoice: Option<String>,
) -> Value {
    let doc_type = match format {
        LabelFormat::Pdf => "PDF",
        LabelFormat::Zpl => "ZPLII",
    };
    let shipment = &mut answer["output"]["transactionShipments"][0];
    if let Some(pieces) = shipment["pieceResponses"].as_array_mut() {
        for (piece, label) in pieces.iter_mut().zip(labels) {
            let number = piece["trackingNumber"].clone();
            piece["packageDocuments"] = json!([{
                "contentType": "LABEL", "copiesToPrint": 1, "docType": doc_type,
                "trackingNumber": number, "encodedLabel": label,
            }]);
        }
    }
    if let Some(invoice) = invoice {
        shipment["shipmentDocuments"] = json!([{
            "contentType": "COMMERCIAL_INVOICE", "copiesToPrint": 1, "docType": "PDF", "encodedLabel": invoice,
        }]);
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulator::Simulator;

    fn call(
        sim: &FedexSimulator,
        method: &str,
        path: &str,
        token: &str,
        body: &Value,
    ) -> (u16, Value) {
        let headers = [("Authorization".to_string(), format!("Bearer {token}"))];
        let request = SimRequest::new(method, path, headers, body.to_string().into_bytes(), "");
        let answer = sim.handle(&request);
        (
            answer.status,
            serde_json::from_slice(&answer.body).unwrap_or(Value::Null),
        )
    }

    fn token(sim: &FedexSimulator) -> String {
        let form = format!(
            "grant_type=client_credentials&client_id={SANDBOX_CLIENT_ID}&client_secret={SANDBOX_CLIENT_SECRET}"
        );
        let headers = [(
            "Content-Type".to_string(),
            "application/x-www-form-urlencoded".to_string(),
        )];
        let answer = sim.handle(&SimRequest::new(
            "POST",
            "/oauth/token",
            headers,
            form.into_bytes(),
            "",
        ));
        assert_eq!(answer.status, 200);
        let body: Value = serde_json::from_slice(&answer.body).unwrap();
        body["access_token"].as_str().unwrap().to_string()
    }

    #[test]
    fn refuses_a_wrong_token_in_fedex_words() {
        let sim = FedexSimulator::new();
        let (status, body) = call(
            &sim,
            "POST",
            "/track/v1/trackingnumbers",
            "nope",
            &json!({}),
        );
        assert_eq!(status, 401);
        assert_eq!(body["errors"][0]["code"], "NOT.AUTHORIZED.ERROR");
        let t = token(&sim);
        let (status, body) = call(&sim, "POST", "/track/v1/trackingnumbers", &t, &json!({}));
        assert_eq!(
            (status, &body["errors"][0]["code"]),
            (400, &json!("TRACKING.TRACKINGNUMBER.EMPTY"))
        );
    }

    #[test]
    fn prices_by_whole_pounds_in_the_origin_currency() {
        let base = SERVICES
            .iter()
            .find(|s| s.origin == "IN" && s.international)
            .unwrap();
        let (b, f, t) = price(base, 2);
        assert_eq!(b, base.first_lb + base.further_lb);
        assert_eq!(f, (b * 15 + 50) / 100);
        assert_eq!(t, ((b + f) * 18 + 50) / 100);
        assert_eq!(currency_of("IN"), "INR");
        assert!(
            services("DE", "US").next().is_none(),
            "no lane from Germany"
        );
        assert_eq!(
            billed_lb(&json!({"weight": {"units": "LB", "value": 1.1}})),
            Some(2)
        );
        let bulky = json!({"weight": {"units": "LB", "value": 1.0}, "dimensions": {"length": 20, "width": 10, "height": 10}});
        assert_eq!(billed_lb(&bulky), Some(15), "2000 in³ / 139 = 14.4 lb");
    }

    #[test]
    fn stamps_scans_with_the_offset_of_their_state() {
        let winter = DateTime::parse_from_rfc3339("2026-01-15T18:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(stamp(winter, Some("CA"), "US"), "2026-01-15T10:00:00-08:00");
        let summer = DateTime::parse_from_rfc3339("2026-07-15T18:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(stamp(summer, Some("NY"), "US"), "2026-07-15T14:00:00-04:00");
        assert_eq!(stamp(summer, None, "IN"), "2026-07-15T23:30:00+05:30");
    }
}
