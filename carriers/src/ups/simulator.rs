//! UPS's REST APIs in-process, for sandbox mode and tests: UPS's paths and JSON on the
//! simulator kit ([`crate::simulator`]).
//!
//! It answers as UPS does, so the adapter's parsers run against it: OAuth2 client
//! credentials with the client id and secret in a Basic header (tokens issued at login,
//! `expires_in` as text), rating in Shop mode with time in transit, shipping with GIF or
//! ZPL labels per package and the commercial invoice as a PDF for a parcel crossing a
//! border, label recovery, void by `DELETE`, tracking by number and by reference (UPS's
//! `TW0001` warning when nothing is found), pickups (PRN, cancel by `DELETE` with the PRN
//! in a header), address validation with classification, and UPS's error document
//! (`{"response": {"errors": [{"code", "message"}]}}`) for refusals.
//!
//! Sandbox rules (deterministic, apart from numbers and scan times):
//! - client id [`SANDBOX_CLIENT_ID`], secret [`SANDBOX_CLIENT_SECRET`] (account
//!   `default`), shipper number [`SANDBOX_ACCOUNT`]; more clients as
//!   [accounts](crate::simulator::accounts) (`POST /_accounts`);
//! - rates: a weight-slab card per service (per half kilo), domestic within the US
//!   (Ground, 3 Day Select, 2nd Day Air, Next Day Air), domestic within Canada (Standard,
//!   Expedited, Express Saver, Express, Express Early; in CAD) and international
//!   (Worldwide Saver, Expedited, Express) from anywhere; in USD from the US, CAD from
//!   Canada, INR from India, the origin's currency elsewhere; 15 % fuel surcharge (code
//!   375), 18 % IGST on Indian origins; no domestic service outside the US (with Puerto
//!   Rico) and Canada, and within Canada none of the US's (Ground, 3 Day Select: our
//!   `111210`/`120102` refusals);
//! - a parcel within Canada passes UPS's Mississauga (ON) hub, every other one
//!   Louisville (KY);
//! - the tracking journey below in UPS's type/code pairs, one scan per track call, with
//!   customs scans on international parcels and the kit's detours on destination postal
//!   codes ending 99 (a failed attempt), 98 (two, then back to the shipper), 97 (lost),
//!   96 (misrouted); times are the local time of each scan's place with UPS's GMT date,
//!   time and offset alongside;
//! - void before pickup ends the parcel with a voided-label scan; after pickup it sends
//!   the parcel back to the shipper, as every sandbox of the kit does; a parcel delivered,
//!   returning or lost is refused (`190117`, our wording). UPS's own void period is
//!   shorter (it ends once the package is in its network); the adapter passes UPS's
//!   refusal on in its words either way;
//! - a reused reference answers the booking already made under it (UPS itself would book
//!   again; the sandbox keeps one booking per reference, as the kit's store does);
//! - address validation: US and Puerto Rico only; a ZIP ending `00` has no candidate; an
//!   address line with `SUITE`, `STE`, `FLOOR` or `FL ` is commercial, else residential.
//!
//! - proof of delivery: tracking with `returnPOD=true` reads without moving the parcel
//!   on, and once it shows delivered carries an HTML letter, base64, in
//!   `deliveryInformation.pod.content`;
//! - paperless documents (`/api/paperlessdocuments/v2/upload`, `.../image`): uploads of
//!   up to 13 files of UPS's formats (10 MB each) get Forms History ids; a push files
//!   known ids with a booking named by its shipment number and a package of it.
//!
//! - Track Alert: `POST /api/track/v1/subscription/standard/package` subscribes packages
//!   the sandbox issued (others are `invalidTrackingNumbers`) to a destination URL and
//!   credential; the sandbox sends no HTTP itself: `POST /_track_alert/deliver` moves
//!   every subscribed parcel on one scan and answers the pushes due (each scan once), with
//!   their URL and headers, for a test or the walk-through to deliver.
//!
//! Codes and wordings no public UPS payload shows (void refused, label not found, bad
//! weight) follow UPS's error document with wording of our own; they are marked.

use std::collections::HashMap;

use base64::Engine;
use chrono::{Duration, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::carrier::Settings;
use crate::kit::label_image::{IndexedImage, encode_gif};
use crate::simulator::ids::Counter;
use crate::simulator::journey::{Detour, Journey, Mark, Place, Places, Scan, Step, Trip, step};
use crate::simulator::pricing::{Pricing, Rate, Tariff, Zone as PriceZone};
use crate::simulator::rules::{self, Serviceability};
use crate::simulator::sandbox::{Reveal, Route, Sandbox, Wire, reply};
use crate::simulator::store::Key;
use crate::simulator::tokens::{Gate, Refused};
use crate::simulator::values::text;
use crate::simulator::{Answer, SimRequest, SimResponse, require};

use super::parse::zone_of;

pub const SANDBOX_CLIENT_ID: &str = "shipgate-sandbox-ups-client";
pub const SANDBOX_CLIENT_SECRET: &str = "shipgate-sandbox-ups-secret";
pub const SANDBOX_ACCOUNT: &str = "SG0001";

/// Settings that make the adapter talk to this simulator.
pub fn sandbox_settings() -> Settings {
    [
        ("client_id", SANDBOX_CLIENT_ID),
        ("client_secret", SANDBOX_CLIENT_SECRET),
        ("account_number", SANDBOX_ACCOUNT),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .into()
}

/// UPS's wire format and sandbox rules, as the kit's configuration.
pub struct Ups;

pub type UpsSimulator = Sandbox<Ups>;
type S = UpsSimulator;

/// A scan as UPS writes it: status type, code, description.
type Code = (&'static str, &'static str, &'static str);

impl Wire for Ups {
    type Record = Booking;
    type Code = Code;
    type Numbers = Numbers;
    #[rustfmt::skip]
    const ROUTES: &'static [Route<Self>] = &[
        Route::post("/security/v1/oauth/token",         S::token).open(),
        Route::post("/api/rating/",                     S::rate).below(),
        Route::post("/api/shipments/",                  S::ship).below(),
        Route::delete("/api/shipments/",                S::delete).below(),
        Route::post("/api/labels/v1/recovery",          S::recover_label),
        Route::get("/api/track/v1/reference/details/",  S::track_reference).below(),
        Route::get("/api/track/v1/details/",            S::track).below(),
        Route::post("/api/pickupcreation/",             S::pickup).below(),
        Route::post("/api/addressvalidation/",          S::validate_address).below(),
        Route::post("/api/paperlessdocuments/",         S::paperless).below(),
        Route::post("/api/track/v1/subscription/standard/package", S::subscribe),
        Route::post("/_track_alert/deliver",            S::deliver_pushes).open(),
        Route::post("/_accounts",                       S::add_account).open(),
        Route::get("/_accounts",                        S::accounts).open(),
    ];
    const GATE: Gate = Gate::login("Bearer");
    const ACCOUNT: &'static [(&'static str, &'static str)] = &[
        ("client_id", SANDBOX_CLIENT_ID),
        ("client_secret", SANDBOX_CLIENT_SECRET),
    ];
    /// A booking shows its label-created scan; each track call shows the next one.
    const REVEAL: Reveal = Reveal::Before;

    fn numbers() -> Numbers {
        Numbers {
            packages: Counter::from_clock(),
            pickups: HashMap::new(),
            prns: Counter::from_clock(),
            forms: HashMap::new(),
            alerts: HashMap::new(),
        }
    }

    fn trip(record: &mut Booking) -> Option<&mut Trip<Code>> {
        Some(&mut record.trip)
    }

    /// Not used: UPS's lanes are decided by country (see the rate card).
    const SERVED: Serviceability = Serviceability {
        unserved: &[],
        prepaid_only: &[],
    };

    /// Not used: the rate card is per currency ([`card`]).
    fn pricing() -> Pricing {
        Pricing::new(
            500,
            vec![PriceZone::new("A", 0)],
            vec![Rate::everywhere("03", Tariff::per_slab(950))],
        )
    }

    /// UPS's 401 for a bearer token it does not accept.
    fn refused(_why: Refused) -> SimResponse {
        error(401, "250002", "Invalid Authentication Information.")
    }

    fn unknown_path() -> SimResponse {
        // Our wording: UPS's gateway answers unknown resources with a bare 404.
        error(404, "404", "Resource not found")
    }
}

/// The numbers UPS hands out: package sequence numbers (seeded from the clock, so a
/// restarted sandbox does not repeat tracking numbers), PRNs, and the pickups made.
pub struct Numbers {
    packages: Counter,
    prns: Counter,
    /// PRN → cancelled.
    pickups: HashMap<String, bool>,
    /// Forms History: uploaded document id → shipment number it was pushed with.
    forms: HashMap<String, Option<String>>,
    /// Track Alert: package number → its subscription.
    alerts: HashMap<String, Subscription>,
}

/// A package's Track Alert subscription: where its events go, the credential sent back,
/// and how many of its scans were pushed.
pub struct Subscription {
    url: String,
    credential: String,
    credential_type: String,
    pushed: usize,
}

/// A booking as the sandbox keeps it.
pub struct Booking {
    number: String,
    packages: Vec<String>,
    reference: String,
    service: String,
    trip: Trip<Code>,
    /// City, state, country of origin, hub and destination.
    places: [(String, String, String); 3],
    ship_to: Vec<String>,
    weight: String,
    /// Forms History documents pushed with it.
    documents: Vec<String>,
}

/// UPS's error document.
fn error(status: u16, code: &str, message: &str) -> SimResponse {
    SimResponse::json(
        status,
        &json!({ "response": { "errors": [{ "code": code, "message": message }] } }),
    )
}

fn success() -> Value {
    json!({ "ResponseStatus": { "Code": "1", "Description": "Success" } })
}

// ---------------------------------------------------------------------------------------
// The journey
// ---------------------------------------------------------------------------------------

use Place::{Destination as Dest, Origin, Transit};

const LABEL_CREATED: Step<Code> = step(
    (
        "M",
        "MP",
        "Shipper created a label, UPS has not received the package yet.",
    ),
    Origin,
);
const OUT_FOR_DELIVERY: Step<Code> = step(("I", "OT", "Out For Delivery Today"), Dest);
const DELIVERED: Step<Code> = step(("D", "FS", "DELIVERED"), Dest).marked(Mark::Delivered);
const HUB_ARRIVAL: Step<Code> = step(("I", "AR", "Arrived at Facility"), Transit);
#[rustfmt::skip]
const ATTEMPT: [Step<Code>; 2] = [
    step(("X", "48", "The receiver was not available for delivery. We'll make a second attempt the next business day."), Dest).marked(Mark::Undelivered),
    OUT_FOR_DELIVERY,
];
#[rustfmt::skip]
const BACK: [Step<Code>; 3] = [
    step(("RS", "RS", "The package is being returned to the sender."), Dest).marked(Mark::Returning),
    step(("RS", "RT", "Returning to shipper, in transit."), Transit).marked(Mark::Returning),
    step(("RS", "RD", "Returned to shipper: delivered back to the sender."), Origin).marked(Mark::Returning),
];
const VOIDED: [Step<Code>; 1] = [step(("MV", "MV", "Shipper voided the label."), Origin)];
#[rustfmt::skip]
const DETOURS: &[(rules::Pins, &[Detour<Code>])] = &[
    (rules::NDR, &[Detour::attempts(&ATTEMPT, 1)]),
    (rules::RTO, &[Detour::attempts(&ATTEMPT, 2), Detour::returned(&BACK)]),
    (rules::LOST, &[Detour::lost(&[step(("X", "LO", "The package cannot be located."), Transit).marked(Mark::Lost)])]),
    (rules::MISROUTED, &[Detour::misrouted(&[step(("I", "MR", "The package was misrouted; it is being sent on."), Transit), HUB_ARRIVAL])]),
];

#[rustfmt::skip]
static DOMESTIC: Journey<Code> = Journey {
    forward: &[
        LABEL_CREATED,
        step(("P", "PU", "Pickup Scan"), Origin).marked(Mark::PickedUp),
        step(("I", "OR", "Origin Scan"), Origin),
        step(("I", "DP", "Departed from Facility"), Origin),
        HUB_ARRIVAL,
        step(("I", "DP", "Departed from Facility"), Transit),
        step(("I", "AR", "Arrived at Facility"), Dest),
        OUT_FOR_DELIVERY,
        DELIVERED,
    ],
    cancelled: &VOIDED,
    returned: &BACK,
    redelivered: &[OUT_FOR_DELIVERY, DELIVERED],
    rto: &BACK,
    detours: DETOURS,
    time_digits: 0,
};

#[rustfmt::skip]
static INTERNATIONAL: Journey<Code> = Journey {
    forward: &[
        LABEL_CREATED,
        step(("P", "PU", "Pickup Scan"), Origin).marked(Mark::PickedUp),
        step(("I", "OR", "Origin Scan"), Origin),
        step(("I", "DP", "Departed from Facility"), Origin),
        HUB_ARRIVAL,
        step(("I", "CP", "Your package is being processed by the customs agency."), Transit),
        step(("X", "SR", "Your package was released by the customs agency."), Transit),
        step(("I", "AR", "Arrived at Facility"), Dest),
        OUT_FOR_DELIVERY,
        DELIVERED,
    ],
    cancelled: &VOIDED,
    returned: &BACK,
    redelivered: &[OUT_FOR_DELIVERY, DELIVERED],
    rto: &BACK,
    detours: DETOURS,
    time_digits: 0,
};

// ---------------------------------------------------------------------------------------
// Rates
// ---------------------------------------------------------------------------------------

/// Per service: first half kilo and each further half kilo, in the currency's minor
/// units per unit of [`card`]'s scale; and business days in transit.
struct Service {
    code: &'static str,
    name: &'static str,
    first: i64,
    further: i64,
    days: i64,
}

#[rustfmt::skip]
const DOMESTIC_SERVICES: &[Service] = &[
    Service { code: "03", name: "UPS Ground",        first: 950,  further: 120, days: 4 },
    Service { code: "12", name: "UPS 3 Day Select",  first: 1600, further: 220, days: 3 },
    Service { code: "02", name: "UPS 2nd Day Air",   first: 2400, further: 350, days: 2 },
    Service { code: "01", name: "UPS Next Day Air",  first: 4200, further: 600, days: 1 },
];
/// Within Canada, in CAD cents (Canada's codes and names: [`super::CANADA_SERVICES`]).
#[rustfmt::skip]
const CANADA_SERVICES: &[Service] = &[
    Service { code: "11", name: "UPS Standard",      first: 1150, further: 140, days: 3 },
    Service { code: "02", name: "UPS Expedited",     first: 1900, further: 260, days: 2 },
    Service { code: "13", name: "UPS Express Saver", first: 2900, further: 420, days: 1 },
    Service { code: "01", name: "UPS Express",       first: 3400, further: 480, days: 1 },
    Service { code: "14", name: "UPS Express Early", first: 5200, further: 700, days: 1 },
];
#[rustfmt::skip]
const WORLD_SERVICES: &[Service] = &[
    Service { code: "08", name: "UPS Worldwide Expedited", first: 5200, further: 900,  days: 5 },
    Service { code: "65", name: "UPS Worldwide Saver",     first: 6400, further: 1100, days: 3 },
    Service { code: "07", name: "UPS Worldwide Express",   first: 7600, further: 1300, days: 2 },
];

/// The currency an origin is billed in, and how many of its minor units one US cent of
/// the card is (INR: 1 cent = 0.83 rupee, i.e. 83 paise).
fn card(origin: &str) -> (&'static str, i64) {
    match origin {
        "IN" => ("INR", 83),
        "CA" => ("CAD", 1),
        "GB" => ("GBP", 1),
        "DE" | "FR" | "NL" | "IT" | "ES" | "BE" | "AT" | "IE" => ("EUR", 1),
        _ => ("USD", 1),
    }
}

fn minor(amount: i64) -> String {
    format!("{}.{:02}", amount / 100, amount % 100)
}

fn money(currency: &str, amount: i64) -> Value {
    json!({ "CurrencyCode": currency, "MonetaryValue": minor(amount) })
}

/// Grams in a `{"UnitOfMeasurement": {"Code"}, "Weight"}` weight; `None` when unreadable.
fn grams(weight: &Value) -> Option<f64> {
    let value: f64 = text(weight, "Weight")?.trim().parse().ok()?;
    let unit = weight
        .pointer("/UnitOfMeasurement/Code")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let factor = match unit {
        "LBS" => 453.592_37,
        "KGS" => 1000.0,
        _ => return None,
    };
    (value > 0.0 && value.is_finite()).then_some(value * factor)
}

fn packages_of(shipment: &Value) -> Vec<Value> {
    match shipment.get("Package") {
        Some(Value::Array(list)) => list.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => Vec::new(),
    }
}

/// The weight of every package, when each is readable.
fn total_grams(shipment: &Value) -> Result<f64, SimResponse> {
    let packages = packages_of(shipment);
    require(!packages.is_empty(), || {
        error(400, "111100", "Missing or invalid Package")
    })?;
    packages
        .iter()
        .map(|p| p.get("PackageWeight").and_then(grams))
        .sum::<Option<f64>>()
        // Our wording.
        .ok_or_else(|| error(400, "111050", "Missing or invalid package weight"))
}

fn country_of(party: &Value) -> String {
    party
        .pointer("/Address/CountryCode")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_uppercase()
}

fn field(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The services a lane has: US domestic, Canadian domestic, or international from
/// anywhere; none within another country.
fn services(from: &str, to: &str) -> &'static [Service] {
    let us = |c: &str| matches!(c, "US" | "PR");
    if us(from) && us(to) {
        DOMESTIC_SERVICES
    } else if from == "CA" && to == "CA" {
        CANADA_SERVICES
    } else if from == to {
        &[]
    } else {
        WORLD_SERVICES
    }
}

/// The hub a parcel passes: Mississauga within Canada, Louisville otherwise.
fn hub(from: &str, to: &str) -> (String, String, String) {
    let (city, province, country) = if from == "CA" && to == "CA" {
        ("Mississauga", "ON", "CA")
    } else {
        ("Louisville", "KY", "US")
    };
    (city.into(), province.into(), country.into())
}

/// The charges of `service` for `grams` from `origin`: base, fuel, tax, total.
fn charges(service: &Service, grams: f64, origin: &str) -> (&'static str, i64, i64, i64) {
    let (currency, scale) = card(origin);
    let slabs = ((grams / 500.0).ceil() as i64).max(1);
    let base = (service.first + service.further * (slabs - 1)) * scale;
    let fuel = (base * 15 + 50) / 100;
    let tax = if origin == "IN" {
        ((base + fuel) * 18 + 50) / 100
    } else {
        0
    };
    (currency, base, fuel, tax)
}

/// The `n`th business day after `from` (weekends skipped).
fn business_days(from: NaiveDate, n: i64) -> NaiveDate {
    use chrono::Datelike;
    let mut day = from;
    let mut left = n;
    while left > 0 {
        day = day.succ_opt().unwrap_or(day);
        if day.weekday().number_from_monday() <= 5 {
            left -= 1;
        }
    }
    day
}

// ---------------------------------------------------------------------------------------
// Labels and documents, drawn by the sandbox (it plays UPS)
// ---------------------------------------------------------------------------------------

/// A small landscape label image as UPS's GIFs are (UPS prints them turned): a frame,
/// a band for the ship-to block and the tracking number as bars, eight per character.
pub fn label_gif(tracking: &str) -> Vec<u8> {
    let (w, h) = (300usize, 200usize);
    let mut pixels = vec![0u8; w * h];
    let mut set = |x: usize, y: usize| pixels[y * w + x] = 1;
    for x in 0..w {
        for y in [0, 1, h - 2, h - 1, 60] {
            set(x, y);
        }
    }
    for y in 0..h {
        for x in [0, 1, w - 2, w - 1] {
            set(x, y);
        }
    }
    // The bars: one 3-pixel column per bit of each character, set bits black.
    let mut x = 12;
    for byte in tracking.bytes() {
        for bit in (0..8).rev() {
            if x + 3 >= w - 4 {
                break;
            }
            if byte >> bit & 1 == 1 {
                for xx in x..x + 2 {
                    for y in 90..170 {
                        set(xx, y);
                    }
                }
            }
            x += 3;
        }
    }
    let image = IndexedImage {
        width: w as u16,
        height: h as u16,
        palette: vec![255, 255, 255, 0, 0, 0],
        pixels,
    };
    encode_gif(&image).unwrap_or_default()
}

/// A ZPL label in UPS's thermal layout (ship-to block, service, tracking barcode).
pub fn label_zpl(tracking: &str, service: &str, ship_to: &[String], weight: &str) -> String {
    let clean = |s: &str| s.replace(['^', '~'], " ");
    let mut zpl = String::from("^XA^CI28^LH0,0\n^FO20,20^A0N,28,28^FDSHIP TO:^FS\n");
    for (i, line) in ship_to.iter().enumerate() {
        zpl.push_str(&format!(
            "^FO40,{}^A0N,30,30^FD{}^FS\n",
            55 + 35 * i,
            clean(line)
        ));
    }
    zpl.push_str(&format!("^FO20,300^A0N,50,50^FD{}^FS\n", clean(service)));
    zpl.push_str(&format!(
        "^FO20,360^A0N,28,28^FDTRACKING #: {tracking}^FS\n"
    ));
    zpl.push_str(&format!("^FO20,400^A0N,28,28^FDWT: {}^FS\n", clean(weight)));
    zpl.push_str(&format!(
        "^FO60,460^BY3^BCN,200,N,N,N^FD>:{tracking}^FS\n^XZ\n"
    ));
    zpl
}

fn pdf_text(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control())
        .map(|c| match c {
            '(' | ')' | '\\' => format!("\\{c}"),
            c => c.to_string(),
        })
        .collect()
}

/// The commercial invoice UPS prints from the international forms: one page of text.
pub fn invoice_pdf(number: &str, forms: &Value) -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut lines = vec![
        "COMMERCIAL INVOICE".to_string(),
        format!("Waybill: {number}"),
        format!(
            "Invoice: {}  Date: {}",
            field(forms, "/InvoiceNumber"),
            field(forms, "/InvoiceDate")
        ),
        format!(
            "Terms of shipment: {}  Reason: {}",
            field(forms, "/TermsOfShipment"),
            field(forms, "/ReasonForExport")
        ),
    ];
    let products = match forms.get("Product") {
        Some(Value::Array(list)) => list.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    };
    for p in &products {
        lines.push(format!(
            "{} x {}  HS {}  origin {}  unit value {} {}",
            field(p, "/Unit/Number"),
            field(p, "/Description"),
            field(p, "/CommodityCode"),
            field(p, "/OriginCountryCode"),
            field(p, "/Unit/Value"),
            field(forms, "/CurrencyCode"),
        ));
    }
    let mut content = String::from("BT /F1 11 Tf 40 800 Td 14 TL\n");
    for line in &lines {
        content.push_str(&format!("({}) Tj T*\n", pdf_text(line)));
    }
    content.push_str("ET\n");
    let mut doc = Document::with_version("1.4");
    let font = doc.add_object(
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
    );
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let pages = doc.new_object_id();
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).ok();
    out
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A package's label in `format` (`GIF` or `ZPL`), base64.
fn label_image(booking: &Booking, tracking: &str, format: &str) -> String {
    match format {
        "ZPL" => b64(label_zpl(
            tracking,
            &booking.service_name(),
            &booking.ship_to,
            &booking.weight,
        )
        .as_bytes()),
        _ => b64(&label_gif(tracking)),
    }
}

/// A tracking number as UPS builds one: `1Z`, the shipper number (six characters), the
/// service, seven digits and UPS's check digit.
pub fn tracking_number(account: &str, service: &str, sequence: u64) -> String {
    let mut shipper: String = account
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .take(6)
        .collect();
    while shipper.len() < 6 {
        shipper.push('0');
    }
    let body = format!("{shipper}{service:0>2}{:07}", sequence % 10_000_000);
    let digits: Vec<u32> = body
        .chars()
        .map(|c| {
            c.to_digit(10)
                .unwrap_or_else(|| ((c as u32).saturating_sub('A' as u32) + 2) % 10)
        })
        .collect();
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| if i % 2 == 1 { d * 2 } else { *d })
        .sum();
    format!("1Z{body}{}", (10 - sum % 10) % 10)
}

impl Booking {
    fn service_name(&self) -> String {
        super::service_name_from(&self.places[0].2, &self.service).to_uppercase()
    }

    fn place(&self, place: Place) -> &(String, String, String) {
        match place {
            Place::Origin => &self.places[0],
            Place::Transit => &self.places[1],
            Place::Destination => &self.places[2],
        }
    }

    /// One scan as a Track API activity: the local time of its place, GMT alongside.
    fn activity(&self, scan: &Scan<Code>) -> Value {
        let (city, state, country) = self.place(scan.step.place);
        let (kind, code, description) = scan.step.code;
        let local = zone_of(country, state).map_or(scan.time.naive_utc(), |z| z.wall(scan.time));
        let offset = (local - scan.time.naive_utc()).num_minutes();
        let sign = if offset < 0 { '-' } else { '+' };
        let gmt_offset = format!("{sign}{:02}:{:02}", offset.abs() / 60, offset.abs() % 60);
        json!({
            "date": local.format("%Y%m%d").to_string(), "time": local.format("%H%M%S").to_string(),
            "gmtDate": scan.time.format("%Y%m%d").to_string(), "gmtTime": scan.time.format("%H:%M:%S").to_string().replace(':', ""),
            "gmtOffset": gmt_offset,
            "location": { "address": { "city": city, "stateProvince": state, "countryCode": country, "country": country } },
            "status": { "type": kind, "code": code, "description": description, "simplifiedTextDescription": description },
        })
    }

    /// One scan as the Track Alert push UPS sends for a package.
    fn push(&self, number: &str, scan: &Scan<Code>) -> Value {
        let (city, state, country) = self.place(scan.step.place);
        let (kind, code, description) = scan.step.code;
        let local = zone_of(country, state).map_or(scan.time.naive_utc(), |z| z.wall(scan.time));
        let delivered = scan.step.mark == Mark::Delivered;
        json!({
            "trackingNumber": number,
            "localActivityDate": local.format("%Y%m%d").to_string(),
            "localActivityTime": local.format("%H%M%S").to_string(),
            "gmtActivityDate": scan.time.format("%Y%m%d").to_string(),
            "gmtActivityTime": scan.time.format("%H%M%S").to_string(),
            "activityLocation": { "city": city, "stateProvince": state, "postalCode": "", "country": country },
            "activityStatus": { "type": kind, "code": code, "description": description },
            "scheduledDeliveryDate": "",
            "actualDeliveryDate": if delivered { local.format("%Y%m%d").to_string() } else { String::new() },
            "actualDeliveryTime": if delivered { local.format("%H%M%S").to_string() } else { String::new() },
        })
    }

    /// The Track API's `package` entries, activities newest first as UPS lists them.
    fn tracked(&self, only: Option<&str>) -> Vec<Value> {
        let activities: Vec<Value> = self
            .trip
            .scans()
            .iter()
            .rev()
            .map(|s| self.activity(s))
            .collect();
        self.packages
            .iter()
            .filter(|p| only.is_none_or(|o| o == p.as_str() || o == self.number))
            .map(|p| json!({
                "trackingNumber": p,
                "activity": activities,
                "currentStatus": activities.first().map(|a| a["status"].clone()),
                "referenceNumber": [{ "type": "SHIPMENT", "number": self.reference }],
                "service": { "code": self.service, "description": super::service_name_from(&self.places[0].2, &self.service) },
                "packageCount": self.packages.len(),
            }))
            .collect()
    }
}

fn track_answer(inquiry: &str, packages: Vec<Value>) -> Value {
    if packages.is_empty() {
        return json!({ "trackResponse": { "shipment": [{ "inquiryNumber": inquiry, "warnings": [{ "code": "TW0001", "message": "Tracking Information Not Found" }] }] } });
    }
    json!({ "trackResponse": { "shipment": [{ "inquiryNumber": inquiry, "package": packages }] } })
}

/// The last path segment.
fn last_segment(request: &SimRequest) -> String {
    request
        .route()
        .1
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

impl UpsSimulator {
    /// OAuth2 client credentials, the client in a Basic header (or the form).
    fn token(&self, request: &SimRequest) -> Answer {
        let grant = request.form_value("grant_type");
        require(grant.as_deref() == Some("client_credentials"), || {
            error(400, "10400", "Invalid/Missing grant_type")
        })?;
        let basic = request
            .header("authorization")
            .and_then(|h| h.trim().strip_prefix("Basic "))
            .and_then(|b| {
                base64::engine::general_purpose::STANDARD
                    .decode(b.trim())
                    .ok()
            })
            .and_then(|b| String::from_utf8(b).ok());
        let (id, secret) = match basic.as_deref().and_then(|b| b.split_once(':')) {
            Some((id, secret)) => (id.to_string(), secret.to_string()),
            None => (
                request.form_value("client_id").unwrap_or_default(),
                request.form_value("client_secret").unwrap_or_default(),
            ),
        };
        let token = self.log_in(&[("client_id", &id), ("client_secret", &secret)]);
        let token = token.ok_or_else(|| error(401, "10401", "ClientId is Invalid"))?;
        reply(json!({
            "token_type": "Bearer", "issued_at": Utc::now().timestamp_millis().to_string(),
            "client_id": id, "access_token": token, "scope": "", "expires_in": "14399",
            "refresh_count": "0", "status": "approved",
        }))
    }

    fn rate(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let shipment = body
            .pointer("/RateRequest/Shipment")
            .cloned()
            .unwrap_or(Value::Null);
        require(shipment.is_object(), || {
            error(
                400,
                "111210",
                "The requested service is unavailable between the selected locations.",
            )
        })?;
        let from = country_of(
            shipment
                .get("ShipFrom")
                .or(shipment.get("Shipper"))
                .unwrap_or(&Value::Null),
        );
        let to = country_of(shipment.get("ShipTo").unwrap_or(&Value::Null));
        require(!from.is_empty() && !to.is_empty(), || {
            error(
                400,
                "111057",
                "Missing or invalid ship to/ship from country code",
            )
        })?;
        let grams = total_grams(&shipment)?;
        let offered = services(&from, &to);
        require(!offered.is_empty(), || {
            error(
                400,
                "111210",
                "The requested service is unavailable between the selected locations.",
            )
        })?;
        let today = Utc::now().date_naive();
        let rated: Vec<Value> = offered
            .iter()
            .map(|s| {
                let (currency, base, fuel, tax) = charges(s, grams, &from);
                let transport = base + fuel;
                let arrival = business_days(today, s.days);
                let mut rated = json!({
                    "Service": { "Code": s.code, "Description": "" },
                    "RatedShipmentAlert": [{ "Code": "110971", "Description": "Your invoice may vary from the displayed reference rates" }],
                    "BillingWeight": { "UnitOfMeasurement": { "Code": "KGS", "Description": "Kilograms" }, "Weight": format!("{:.1}", (grams / 500.0).ceil().max(1.0) / 2.0) },
                    "TransportationCharges": money(currency, transport),
                    "BaseServiceCharge": money(currency, base),
                    "ItemizedCharges": [{ "Code": "375", "CurrencyCode": currency, "MonetaryValue": minor(fuel) }],
                    "ServiceOptionsCharges": money(currency, 0),
                    "TotalCharges": money(currency, transport),
                    "TimeInTransit": { "PickupDate": today.format("%Y%m%d").to_string(), "PackageBillType": "03", "ServiceSummary": {
                        "Service": { "Description": s.name },
                        "EstimatedArrival": {
                            "Arrival": { "Date": arrival.format("%Y%m%d").to_string(), "Time": "233000" },
                            "BusinessDaysInTransit": s.days.to_string(),
                            "TotalTransitDays": (arrival - today).num_days().to_string(),
                        },
                    }},
                });
                if tax > 0 {
                    rated["TaxCharges"] = json!([{ "Type": "IGST", "MonetaryValue": minor(tax) }]);
                    rated["TotalChargesWithTaxes"] = money(currency, transport + tax);
                }
                rated
            })
            .collect();
        let mut response = success();
        response["Alert"] = json!([{ "Code": "110971", "Description": "Your invoice may vary from the displayed reference rates" }]);
        reply(json!({ "RateResponse": { "Response": response, "RatedShipment": rated } }))
    }

    fn ship(&self, request: &SimRequest) -> Answer {
        require(request.route().1.ends_with("/ship"), Ups::unknown_path)?;
        let body = request.json();
        let shipment = body
            .pointer("/ShipmentRequest/Shipment")
            .cloned()
            .unwrap_or(Value::Null);
        require(shipment.is_object(), || {
            error(400, "120100", "Missing or invalid shipment")
        })?;
        let account = field(&shipment, "/Shipper/ShipperNumber");
        require(!account.is_empty(), || {
            error(400, "120100", "Missing or invalid shipper number")
        })?;
        let from = country_of(shipment.get("ShipFrom").unwrap_or(&Value::Null));
        let to = country_of(&shipment["ShipTo"]);
        let service = field(&shipment, "/Service/Code");
        let offered = services(&from, &to);
        require(offered.iter().any(|s| s.code == service), || {
            error(
                400,
                "120102",
                "The selected service is not available from the origin to the destination.",
            )
        })?;
        let weight_grams = total_grams(&shipment)?;
        let format = field(
            &body,
            "/ShipmentRequest/LabelSpecification/LabelImageFormat/Code",
        )
        .to_ascii_uppercase();
        // Our wording: the sandbox draws GIF and ZPL only.
        require(format == "GIF" || format == "ZPL", || {
            error(400, "120402", "Invalid or missing label image format")
        })?;
        let forms = shipment
            .pointer("/ShipmentServiceOptions/InternationalForms")
            .cloned();
        let international = from != to;
        if international {
            let forms = forms.as_ref().ok_or_else(|| {
                error(
                    400,
                    "120908",
                    "International forms are required for this shipment",
                )
            })?;
            let products = match forms.get("Product") {
                Some(Value::Array(list)) => list.clone(),
                Some(one @ Value::Object(_)) => vec![one.clone()],
                _ => Vec::new(),
            };
            require(!products.is_empty(), || {
                error(400, "120914", "Missing product information on the invoice")
            })?;
            for p in &products {
                let complete = [
                    "/Description",
                    "/CommodityCode",
                    "/OriginCountryCode",
                    "/Unit/Value",
                    "/Unit/Number",
                ]
                .iter()
                .all(|f| !field(p, f).is_empty());
                require(complete, || {
                    error(400, "120914", "Missing product information on the invoice")
                })?;
            }
        }
        let reference = field(&shipment, "/ReferenceNumber/Value");
        let mut books = self.books();
        if !reference.is_empty()
            && let Some(existing) = books.store.by(Key::Reference, &reference)
        {
            return reply(ship_answer(existing, &format, forms.as_ref(), weight_grams));
        }
        let count = packages_of(&shipment).len();
        let packages: Vec<String> = (0..count)
            .map(|_| tracking_number(&account, &service, books.numbers.packages.issue()))
            .collect();
        let number = packages[0].clone();
        let party = |p: &str| {
            let a = &shipment[p]["Address"];
            (
                field(a, "/City"),
                field(a, "/StateProvinceCode"),
                field(a, "/CountryCode"),
            )
        };
        let origin = party("ShipFrom");
        let destination = party("ShipTo");
        let hub = hub(&origin.2, &destination.2);
        let postal = field(&shipment, "/ShipTo/Address/PostalCode");
        let journey = if international {
            &INTERNATIONAL
        } else {
            &DOMESTIC
        };
        let names = |p: &(String, String, String)| format!("{}, {}", p.0, p.2);
        let mut trip = journey.trip(
            &postal,
            Places::new(&names(&origin), &names(&hub), &names(&destination)),
        );
        trip.advance(Utc::now());
        let mut ship_to = vec![field(&shipment, "/ShipTo/Name")];
        if let Some(Value::Array(lines)) = shipment.pointer("/ShipTo/Address/AddressLine") {
            ship_to.extend(lines.iter().filter_map(Value::as_str).map(String::from));
        }
        ship_to.push(format!("{} {} {}", destination.0, destination.1, postal));
        ship_to.push(destination.2.clone());
        let booking = Booking {
            number: number.clone(),
            packages: packages.clone(),
            reference: reference.clone(),
            service,
            trip,
            places: [origin, hub, destination],
            ship_to,
            weight: format!("{:.1} KG", weight_grams / 1000.0),
            documents: Vec::new(),
        };
        let answer = ship_answer(&booking, &format, forms.as_ref(), weight_grams);
        let keys: Vec<(Key, String)> = packages.iter().map(|p| (Key::Awb, p.clone())).collect();
        let key = if reference.is_empty() {
            number.clone()
        } else {
            reference
        };
        let Ok(slot) = books.store.vacant(&key) else {
            return Err(error(400, "120100", "Duplicate shipment"));
        };
        slot.insert(booking, keys);
        books.store.count_booking();
        reply(answer)
    }

    fn delete(&self, request: &SimRequest) -> Answer {
        let path = request.route().1.to_string();
        if path.contains("/void/cancel/") {
            return self.void(&last_segment(request));
        }
        if path.contains("/pickup/") {
            return self.cancel_pickup(request);
        }
        Err(Ups::unknown_path())
    }

    fn void(&self, number: &str) -> Answer {
        let mut books = self.books();
        // Our wording for both refusals.
        let booking = books.store.by_mut(Key::Awb, number).ok_or_else(|| {
            error(
                400,
                "190102",
                "No shipment found within the allowed void period",
            )
        })?;
        booking
            .trip
            .cancel()
            .map_err(|_| error(400, "190117", "The void period has expired: the shipment has been delivered or is on its way back"))?;
        let packages: Vec<Value> = booking.packages.iter().map(|p| json!({ "TrackingNumber": p, "Status": { "Code": "1", "Description": "Voided" } })).collect();
        reply(json!({ "VoidShipmentResponse": {
            "Response": success(),
            "SummaryResult": { "Status": { "Code": "1", "Description": "Voided" } },
            "PackageLevelResult": packages,
        }}))
    }

    fn recover_label(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let tracking = field(&body, "/LabelRecoveryRequest/TrackingNumber");
        let format = field(
            &body,
            "/LabelRecoveryRequest/LabelSpecification/LabelImageFormat/Code",
        )
        .to_ascii_uppercase();
        require(format == "GIF" || format == "ZPL", || {
            error(400, "120402", "Invalid or missing label image format")
        })?;
        let books = self.books();
        // Our wording.
        let booking = books
            .store
            .by(Key::Awb, &tracking)
            .ok_or_else(|| error(400, "190285", "No label found for the tracking number"))?;
        reply(json!({ "LabelRecoveryResponse": {
            "Response": success(),
            "ShipmentIdentificationNumber": booking.number,
            "LabelResults": { "TrackingNumber": tracking, "LabelImage": {
                "LabelImageFormat": { "Code": format },
                "GraphicImage": label_image(booking, &tracking, &format),
            }},
        }}))
    }

    fn track(&self, request: &SimRequest) -> Answer {
        let number = last_segment(request);
        if request.query_value("returnPOD") == Some("true") {
            return self.proof_of_delivery(&number);
        }
        let found = self.track_each([(Key::Awb, number.as_str())], |b| b.tracked(Some(&number)));
        reply(track_answer(&number, found.into_iter().flatten().collect()))
    }

    /// Tracking with `returnPOD=true`: what the package shows now, without moving it on,
    /// and once delivered UPS's proof of delivery letter (base64 HTML) in
    /// `deliveryInformation.pod.content`.
    fn proof_of_delivery(&self, number: &str) -> Answer {
        let books = self.books();
        let Some(booking) = books.store.by(Key::Awb, number) else {
            return reply(track_answer(number, Vec::new()));
        };
        let mut packages = booking.tracked(Some(number));
        if let Some(delivered) = booking.trip.first(Mark::Delivered) {
            let (city, _, country) = booking.place(delivered.step.place);
            let letter = format!(
                "<!DOCTYPE html><html><head><title>Proof of Delivery</title></head><body>\
                 <h1>Proof of Delivery</h1><p>Tracking Number: {number}</p>\
                 <p>Service: {}</p><p>Delivered On: {}</p><p>Delivered To: {city}, {country}</p>\
                 <p>Received By: RECEIVER</p><p>Left At: Front Door</p></body></html>",
                booking.service_name(),
                delivered.time.format("%m/%d/%Y %I:%M %p"),
            );
            let content = base64::engine::general_purpose::STANDARD.encode(letter);
            for package in &mut packages {
                package["deliveryInformation"] = json!({
                    "location": "Front Door", "receivedBy": "RECEIVER", "pod": { "content": content },
                });
            }
        }
        reply(track_answer(number, packages))
    }

    /// The Paperless Documents API: `upload` into Forms History, `image` (push to the
    /// image repository) files uploaded documents with a booked shipment.
    fn paperless(&self, request: &SimRequest) -> Answer {
        let (_, path) = request.route();
        let shipper = request
            .header("shippernumber")
            .unwrap_or_default()
            .to_string();
        // Our wording for a missing shipper number.
        require(!shipper.trim().is_empty(), || {
            error(400, "9590001", "Missing or invalid shipper number")
        })?;
        match path.rsplit('/').next() {
            Some("upload") if path.contains("/v2/") => self.paperless_upload(request),
            Some("image") if path.contains("/v2/") => self.paperless_push(request),
            _ => Err(<Ups as Wire>::unknown_path()),
        }
    }

    fn paperless_upload(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let forms = match body.pointer("/UploadRequest/UserCreatedForm") {
            Some(Value::Array(list)) => list.clone(),
            Some(one @ Value::Object(_)) => vec![one.clone()],
            _ => Vec::new(),
        };
        // Our wordings, in UPS's error document.
        require(!forms.is_empty() && forms.len() <= 13, || {
            error(400, "9590002", "Missing or invalid UserCreatedForm")
        })?;
        for form in &forms {
            let file = text(form, "UserCreatedFormFile").unwrap_or_default();
            let bytes = base64::engine::general_purpose::STANDARD.decode(file.trim());
            let bytes = bytes.map_err(|_| error(400, "9590003", "Invalid UserCreatedFormFile"))?;
            require(!bytes.is_empty() && bytes.len() <= 10 * 1024 * 1024, || {
                error(400, "9590004", "The file exceeds the maximum allowed size")
            })?;
            let format = text(form, "UserCreatedFormFileFormat").unwrap_or_default();
            let allowed = [
                "bmp", "doc", "docx", "gif", "jpg", "pdf", "png", "rtf", "tif", "txt", "xls",
                "xlsx",
            ];
            require(
                allowed.contains(&format.to_ascii_lowercase().as_str()),
                || error(400, "9590005", "Invalid UserCreatedFormFileFormat"),
            )?;
            let kind = text(form, "UserCreatedFormDocumentType").unwrap_or_default();
            let kind_ok =
                kind.len() == 3 && kind.parse::<u8>().is_ok_and(|k| (1..=13).contains(&k));
            require(kind_ok, || {
                error(400, "9590006", "Invalid UserCreatedFormDocumentType")
            })?;
        }
        let mut books = self.books();
        let now = Utc::now();
        let ids: Vec<String> = forms
            .iter()
            .map(|_| {
                let seq = books.numbers.prns.issue() % 1_000_000;
                let id = format!("{}.{seq:06}", now.format("%Y-%m-%d-%H.%M.%S"));
                books.numbers.forms.insert(id.clone(), None);
                id
            })
            .collect();
        let ids = if ids.len() == 1 {
            json!(ids[0])
        } else {
            json!(ids)
        };
        reply(json!({ "UploadResponse": {
            "Response": success(),
            "FormsHistoryDocumentID": { "DocumentID": ids },
        }}))
    }

    fn paperless_push(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let push = body
            .get("PushToImageRepositoryRequest")
            .cloned()
            .unwrap_or(Value::Null);
        let ids: Vec<String> = match push.pointer("/FormsHistoryDocumentID/DocumentID") {
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect(),
            Some(Value::String(one)) => vec![one.clone()],
            _ => Vec::new(),
        };
        let shipment = field(&push, "/ShipmentIdentifier");
        require(field(&push, "/ShipmentType") == "1", || {
            error(400, "9590010", "Invalid ShipmentType")
        })?;
        let mut books = self.books();
        require(
            !ids.is_empty() && ids.iter().all(|id| books.numbers.forms.contains_key(id)),
            || error(400, "9590011", "Invalid DocumentID"),
        )?;
        let numbers: Vec<String> = match push.get("TrackingNumber") {
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect(),
            Some(Value::String(one)) => vec![one.clone()],
            _ => Vec::new(),
        };
        let booking = numbers
            .first()
            .and_then(|n| books.store.by_mut(Key::Awb, n))
            .filter(|b| b.number == shipment);
        let booking = booking.ok_or_else(|| error(400, "9590012", "Invalid ShipmentIdentifier"))?;
        booking.documents.extend(ids.iter().cloned());
        for id in &ids {
            books
                .numbers
                .forms
                .insert(id.clone(), Some(shipment.clone()));
        }
        let group = format!(
            "{}{:06}",
            Utc::now().format("%Y-%m-%d-%H.%M.%S."),
            ids.len()
        );
        reply(json!({ "PushToImageRepositoryResponse": {
            "Response": success(),
            "FormsGroupID": group,
        }}))
    }

    /// Track Alert: subscribes up to 100 packages the sandbox issued to the destination's
    /// URL; unknown numbers come back as invalid, as UPS answers them.
    fn subscribe(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let numbers: Vec<String> = body["trackingNumberList"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter_map(Value::as_str)
                    .map(|n| n.trim().to_string())
                    .collect()
            })
            .unwrap_or_default();
        // Our wordings, in UPS's error document.
        require(!numbers.is_empty() && numbers.len() <= 100, || {
            error(
                400,
                "TA0001",
                "trackingNumberList must name 1 to 100 tracking numbers",
            )
        })?;
        let url = field(&body, "/destination/url");
        let credential = field(&body, "/destination/credential");
        require(url.starts_with("http") && !credential.is_empty(), || {
            error(400, "TA0002", "destination url and credential are required")
        })?;
        let credential_type = field(&body, "/destination/credentialType");
        let mut books = self.books();
        let (mut valid, mut invalid) = (Vec::new(), Vec::new());
        for number in numbers {
            let known = number.starts_with("1Z") && books.store.find(Key::Awb, &number).is_some();
            if known {
                let pushed = books.numbers.alerts.get(&number).map_or(0, |s| s.pushed);
                books.numbers.alerts.insert(
                    number.clone(),
                    Subscription {
                        url: url.clone(),
                        credential: credential.clone(),
                        credential_type: credential_type.clone(),
                        pushed,
                    },
                );
                valid.push(number);
            } else {
                invalid.push(number);
            }
        }
        reply(json!({ "validTrackingNumbers": valid, "invalidTrackingNumbers": invalid }))
    }

    /// The sandbox's stand-in for time passing with Track Alert on: every subscribed
    /// package moves on one scan, and each scan not pushed yet comes back as the push UPS
    /// would send, with its destination and headers (`credential`, `credentialType`,
    /// UPS's user agent), for the caller to deliver (the sandbox sends nothing itself).
    fn deliver_pushes(&self, _request: &SimRequest) -> Answer {
        let mut guard = self.books();
        let books = &mut *guard;
        let now = Utc::now();
        let mut numbers: Vec<String> = books.numbers.alerts.keys().cloned().collect();
        numbers.sort();
        let mut moved = std::collections::HashSet::new();
        let mut pushes = Vec::new();
        for number in numbers {
            let Some(id) = books.store.find(Key::Awb, &number) else {
                continue;
            };
            let Some(booking) = books.store.get_mut(id) else {
                continue;
            };
            // A shipment's packages travel together: move it once.
            if moved.insert(id) {
                booking.trip.advance(now);
            }
            let subscription = books.numbers.alerts.get_mut(&number).expect("listed above");
            for scan in &booking.trip.scans()[subscription.pushed..] {
                pushes.push(json!({
                    "url": subscription.url,
                    "headers": {
                        "content-type": "application/json",
                        "credential": subscription.credential,
                        "credentialType": subscription.credential_type,
                        "user-agent": "UPSPubSubTrackingService",
                    },
                    "body": booking.push(&number, scan),
                }));
            }
            subscription.pushed = booking.trip.scans().len();
        }
        reply(json!({ "pushes": pushes }))
    }

    /// Tracking by reference: what the booking shows now, without moving it on.
    fn track_reference(&self, request: &SimRequest) -> Answer {
        let reference = last_segment(request);
        let books = self.books();
        let packages = books
            .store
            .by(Key::Reference, &reference)
            .map(|b| b.tracked(None))
            .unwrap_or_default();
        reply(track_answer(&reference, packages))
    }

    fn pickup(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let pickup = body
            .get("PickupCreationRequest")
            .cloned()
            .unwrap_or(Value::Null);
        let date =
            NaiveDate::parse_from_str(&field(&pickup, "/PickupDateInfo/PickupDate"), "%Y%m%d");
        let today = Utc::now().date_naive();
        require(
            date.is_ok_and(|d| d >= today && d <= today + Duration::days(14)),
            || error(400, "9560131", "Invalid pickup date"),
        )?;
        require(
            !field(&pickup, "/PickupAddress/PostalCode").is_empty(),
            || error(400, "9510131", "Missing or invalid pickup address"),
        )?;
        let mut books = self.books();
        let prn = format!("29{:011}", books.numbers.prns.issue() % 100_000_000_000);
        books.numbers.pickups.insert(prn.clone(), false);
        reply(json!({ "PickupCreationResponse": {
            "Response": success(),
            "PRN": prn,
            "RateStatus": { "Code": "01", "Description": "Rate available" },
            "RateResult": { "RateType": "SD", "CurrencyCode": card(&field(&pickup, "/PickupAddress/CountryCode")).0, "ChargeDetail": [{ "ChargeCode": "B", "ChargeDescription": "BASE CHARGE", "ChargeAmount": "6.50" }], "GrandTotalOfAllCharge": "6.50" },
        }}))
    }

    fn cancel_pickup(&self, request: &SimRequest) -> Answer {
        let prn = request.header("prn").unwrap_or_default().trim().to_string();
        let mut books = self.books();
        // Our wording.
        let cancelled = books
            .numbers
            .pickups
            .get_mut(&prn)
            .ok_or_else(|| error(400, "9510113", "No pickup found for the PRN"))?;
        *cancelled = true;
        reply(json!({ "PickupCancelResponse": { "Response": success(), "PickupType": "01" } }))
    }

    fn validate_address(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let key = body
            .pointer("/XAVRequest/AddressKeyFormat")
            .cloned()
            .unwrap_or(Value::Null);
        let country = field(&key, "/CountryCode").to_ascii_uppercase();
        require(country == "US" || country == "PR", || {
            error(400, "264002", "Country Code is invalid or is not supported")
        })?;
        let zip = field(&key, "/PostcodePrimaryLow");
        require(
            zip.len() == 5 && zip.bytes().all(|b| b.is_ascii_digit()),
            || error(400, "264005", "Invalid postal code"),
        )?;
        if zip.ends_with("00") {
            return reply(
                json!({ "XAVResponse": { "Response": success(), "NoCandidatesIndicator": "" } }),
            );
        }
        let lines: Vec<String> = match key.get("AddressLine") {
            Some(Value::Array(l)) => l
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_uppercase)
                .collect(),
            Some(Value::String(s)) => vec![s.to_uppercase()],
            _ => Vec::new(),
        };
        let joined = format!("{} ", lines.join(" "));
        let commercial = ["SUITE", "STE ", "FLOOR", "FL "]
            .iter()
            .any(|m| joined.contains(m));
        let class = if commercial {
            json!({ "Code": "1", "Description": "Commercial" })
        } else {
            json!({ "Code": "2", "Description": "Residential" })
        };
        reply(json!({ "XAVResponse": {
            "Response": success(),
            "ValidAddressIndicator": "",
            "AddressClassification": class,
            "Candidate": [{
                "AddressClassification": class,
                "AddressKeyFormat": {
                    "AddressLine": lines,
                    "PoliticalDivision2": field(&key, "/PoliticalDivision2").to_uppercase(),
                    "PoliticalDivision1": field(&key, "/PoliticalDivision1").to_uppercase(),
                    "PostcodePrimaryLow": zip,
                    "PostcodeExtendedLow": "1234",
                    "Region": format!("{} {}", field(&key, "/PoliticalDivision2").to_uppercase(), zip),
                    "CountryCode": country,
                },
            }],
        }}))
    }
}

/// The shipping answer for a booking: a label per package, the invoice for a parcel
/// crossing a border, the charges by the rate card.
fn ship_answer(booking: &Booking, format: &str, forms: Option<&Value>, grams: f64) -> Value {
    let origin = &booking.places[0].2;
    let destination = &booking.places[2].2;
    let service = services(origin, destination)
        .iter()
        .find(|s| s.code == booking.service);
    let (currency, base, fuel, tax) =
        service.map_or(("USD", 0, 0, 0), |s| charges(s, grams, origin));
    let packages: Vec<Value> = booking
        .packages
        .iter()
        .map(|p| json!({
            "TrackingNumber": p,
            "ServiceOptionsCharges": money(currency, 0),
            "ShippingLabel": { "ImageFormat": { "Code": format, "Description": format }, "GraphicImage": label_image(booking, p, format) },
        }))
        .collect();
    let mut results = json!({
        "ShipmentCharges": {
            "BaseServiceCharge": money(currency, base),
            "TransportationCharges": money(currency, base + fuel),
            "ItemizedCharges": [{ "Code": "375", "CurrencyCode": currency, "MonetaryValue": minor(fuel) }],
            "ServiceOptionsCharges": money(currency, 0),
            "TotalCharges": money(currency, base + fuel),
            "TotalChargesWithTaxes": money(currency, base + fuel + tax),
        },
        "BillingWeight": { "UnitOfMeasurement": { "Code": "KGS", "Description": "Kilograms" }, "Weight": format!("{:.1}", (grams / 500.0).ceil().max(1.0) / 2.0) },
        "ShipmentIdentificationNumber": booking.number,
        "PackageResults": packages,
    });
    if origin != destination
        && let Some(forms) = forms
    {
        results["Form"] = json!({
            "Code": "01", "Description": "All Requested International Forms",
            "Image": { "ImageFormat": { "Code": "PDF", "Description": "PDF" }, "GraphicImage": b64(&invoice_pdf(&booking.number, forms)) },
        });
    }
    json!({ "ShipmentResponse": {
        "Response": { "ResponseStatus": { "Code": "1", "Description": "Success" }, "TransactionReference": { "CustomerContext": booking.reference } },
        "ShipmentResults": results,
    }})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(from: &str, to: &str) -> Vec<&'static str> {
        services(from, to).iter().map(|s| s.code).collect()
    }

    #[test]
    fn lanes_have_their_services_and_hubs() {
        assert_eq!(codes("US", "PR"), ["03", "12", "02", "01"]);
        assert_eq!(codes("CA", "CA"), ["11", "02", "13", "01", "14"]);
        assert_eq!(codes("CA", "US"), ["08", "65", "07"]);
        assert!(codes("IN", "IN").is_empty());
        assert!(
            !codes("CA", "CA").contains(&"03"),
            "no UPS Ground within Canada"
        );
        assert_eq!(hub("CA", "CA").0, "Mississauga");
        assert_eq!(hub("CA", "US").0, "Louisville");
        let (currency, base, fuel, _) = charges(&CANADA_SERVICES[0], 1400.0, "CA");
        assert_eq!((currency, base, fuel), ("CAD", 1430, 215));
    }
}
