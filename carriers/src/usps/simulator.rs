//! The USPS sandbox: USPS APIs v3 paths and wire format on the simulator kit
//! ([`crate::simulator`]).
//!
//! What it plays, and the rules a test can rely on:
//!
//! - **OAuth** (`POST /oauth2/v3/token`, form `grant_type=client_credentials`,
//!   `client_id`, `client_secret`) accepts [`SANDBOX_CLIENT_ID`] / [`SANDBOX_CLIENT_SECRET`]
//!   (account `default`) and any pair registered with `POST /_accounts`; wrong ones get
//!   USPS's `invalid_client` 401. Tokens are the kit's ([`crate::simulator::tokens`]).
//! - **Payment authorization** (`POST /payments/v3/payment-authorization`) needs a `PAYER`
//!   and a `LABEL_OWNER` role with CRID, MID and account number, and issues a token the
//!   label calls must carry in `X-Payment-Authorization-Token` (401 without one it issued).
//! - **Shipping options** (`POST /shipments/v3/options/search`) price three mail classes
//!   from a rate card in USD: 1 lb slabs, zones by how many leading ZIP digits the two
//!   ends share (3: zone 01, 1: zone 04, none: zone 08, dearer and a day or two slower),
//!   a nonstandard-length fee over 22 inches, and a delivery commitment per class. A
//!   parcel over 70 lb gets USPS's 400.
//! - **Labels** (`POST /labels/v3/label`) answer `multipart/form-data` as USPS does: the
//!   `labelMetadata` JSON part and the `labelImage` part, base64 of a 4×6 PDF or ZPL drawn
//!   by [`crate::label`] with the tracking number on it (`92001901…`, 22 digits). Every
//!   call books a new label (USPS does not deduplicate). `…/reprint` draws a booked label
//!   again in the format asked. Return labels (`POST /labels/v3/return-label`) are booked
//!   the same way, answered in the return parts (`returnLabelMetadata`,
//!   `returnLabelImage`), and travel the same journey from the buyer to the seller.
//! - **Tracking** (`GET /tracking/v3/tracking/{n}`) moves one scan per call (revealed
//!   before answering; the label's `GX` shows from booking) along the journey below, with
//!   the kit's detours on destination ZIPs ending 99 (a notice left, then delivered), 98
//!   (two notices, returned to sender and delivered back), 97 (dead letter: lost), 96
//!   (missent, then on). Each scan has its local wall time in the zone of its state, the
//!   `GMTTimestamp` and the `GMTOffset`, as USPS writes them.
//! - **International** options (`destinationCountryCode` other than `US`) price three
//!   classes by the pound (First-Class Package International Service up to 4 lb,
//!   Priority Mail International and Priority Mail Express International up to 66 lb);
//!   **international labels** (`POST /international-labels/v3/international-label`)
//!   need an address abroad and a customs form whose every line has a description,
//!   quantity, USD value, 6–10 digit HS tariff number and origin, a content type and an
//!   `AESITN`; they answer the same multipart shape with `internationalTrackingNumber`
//!   (`LZ…US`), travel the domestic journey to an International Service Center and on
//!   to the address (USPS's partner-country scans are not played), and are refunded at
//!   `DELETE /international-labels/v3/international-label/{n}` (each API refunds only
//!   its own labels).
//! - **Cancel** (`DELETE /labels/v3/label/{n}`) answers `{"status": "CANCELED"}`. As in
//!   every sandbox here, a label already in USPS's hands is sent back instead (a customer
//!   recall, then the way back); a delivered one is refused.
//! - **Carrier pickups** (`POST`, `DELETE /pickup/v3/carrier-pickup[/{n}]`), **SCAN forms**
//!   (`POST /scan-forms/v3/scan-form`: only labels it issued, a PDF form listing them) and
//!   **addresses** (`GET /addresses/v3/address`: upper-cased, a ZIP+4 derived from the
//!   house number, `business` `Y` for a suite; a street without a house number is
//!   "Address Not Found.").
//!
//! Deterministic apart from numbers, tokens and timestamps. Refusal wording is ours, in
//! USPS's error shape (`{"apiVersion", "error": {"code", "message", "errors"}}`).

use std::collections::{HashMap, VecDeque};

use base64::Engine;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::carrier::Settings;
use crate::label::LabelData;
use crate::label::handover::{HandoverLine, HandoverSheet};
use crate::schema::{Address, Currency, LabelFormat, Payment, Phone, PostalCode};
use crate::simulator::ids::Counter;
use crate::simulator::journey::{Detour, Journey, Mark, Place, Places, Scan, Step, Trip, step};
use crate::simulator::pricing::{Pricing, Rate, Tariff, Zone as PriceZone};
use crate::simulator::rules::{self, Serviceability};
use crate::simulator::sandbox::{Reveal, Route, Sandbox, Wire, reply};
use crate::simulator::store::Key;
use crate::simulator::tokens::{Gate, Refused};
use crate::simulator::values::{number, text as field};
use crate::simulator::{Answer, SimRequest, SimResponse, require};

use super::parse::{service_name, state_zone};
use super::requests::MAX_WEIGHT_G;

pub const SANDBOX_CLIENT_ID: &str = "sandbox-usps-client";
pub const SANDBOX_CLIENT_SECRET: &str = "sandbox-usps-secret";
pub const SANDBOX_CRID: &str = "56982563";
pub const SANDBOX_MID: &str = "904128936";
pub const SANDBOX_MANIFEST_MID: &str = "904128937";
pub const SANDBOX_ACCOUNT_NUMBER: &str = "1000405525";
/// The boundary of the sandbox's multipart label answers.
pub const BOUNDARY: &str = "usps-sandbox-label-part";
const MULTIPART: &str = "multipart/form-data; boundary=usps-sandbox-label-part";
/// Payment tokens remembered.
const KEPT_PAYMENT_TOKENS: usize = 1_000;

/// The settings of the sandbox account.
pub fn sandbox_settings() -> Settings {
    let pairs = [
        ("client_id", SANDBOX_CLIENT_ID),
        ("client_secret", SANDBOX_CLIENT_SECRET),
        ("crid", SANDBOX_CRID),
        ("mid", SANDBOX_MID),
        ("manifest_mid", SANDBOX_MANIFEST_MID),
        ("account_type", "EPS"),
        ("account_number", SANDBOX_ACCOUNT_NUMBER),
    ];
    pairs.map(|(k, v)| (k.to_string(), v.to_string())).into()
}

/// A scan's code and USPS's words for it.
type Code = (&'static str, &'static str);

use Place::{Destination as Dest, Origin, Transit as Hub};

const OUT_FOR_DELIVERY: Step<Code> = step(("OF", "Out for Delivery"), Dest);
const DELIVERED: Step<Code> =
    step(("01", "Delivered, In/At Mailbox"), Dest).marked(Mark::Delivered);
const ARRIVED_REGIONAL: Step<Code> = step(("A1", "Arrived at USPS Regional Facility"), Hub);
/// A notice left (no one to sign), then out for delivery again.
const ATTEMPT: [Step<Code>; 2] = [
    step(
        ("02", "Notice Left (No Authorized Recipient Available)"),
        Dest,
    )
    .marked(Mark::Undelivered),
    OUT_FOR_DELIVERY,
];
/// Back to the sender, delivered there (scans resolved as the return's by the adapter).
const BACK: [Step<Code>; 3] = [
    step(("09", "Return to Sender"), Dest).marked(Mark::Returning),
    step(("TL", "In Transit to Next Facility"), Hub).marked(Mark::Returning),
    step(("01", "Delivered, Front Door/Porch"), Origin).marked(Mark::Returning),
];

#[rustfmt::skip]
static JOURNEY: Journey<Code> = Journey {
    forward: &[
        step(("GX", "Shipping Label Created, USPS Awaiting Item"), Origin),
        step(("MA", "Pre-Shipment Info Sent to USPS, USPS Awaiting Item"), Origin),
        step(("03", "USPS in possession of item"), Origin).marked(Mark::PickedUp),
        step(("10", "Arrived at USPS Regional Origin Facility"), Origin),
        step(("T1", "Departed USPS Regional Facility"), Origin),
        step(("TL", "In Transit to Next Facility"), Hub),
        ARRIVED_REGIONAL,
        step(("07", "Arrived at Post Office"), Dest),
        OUT_FOR_DELIVERY,
        DELIVERED,
    ],
    // A refunded label leaves no scan.
    cancelled: &[],
    returned: &[
        step(("44", "Customer Recall"), Hub).marked(Mark::Returning),
        step(("TL", "In Transit to Next Facility"), Hub).marked(Mark::Returning),
        step(("01", "Delivered, Front Door/Porch"), Origin).marked(Mark::Returning),
    ],
    redelivered: &[OUT_FOR_DELIVERY, DELIVERED],
    rto: &BACK,
    detours: &[
        (rules::NDR, &[Detour::attempts(&ATTEMPT, 1)]),
        (rules::RTO, &[Detour::attempts(&ATTEMPT, 2), Detour::returned(&BACK)]),
        (rules::LOST, &[Detour::lost(&[step(("11", "Dead Letter"), Hub).marked(Mark::Lost)])]),
        (rules::MISROUTED, &[Detour::misrouted(&[step(("08", "Missent"), Hub), ARRIVED_REGIONAL])]),
    ],
    time_digits: 0,
};

/// A mail class the sandbox prices: its first and further pound in cents, its days.
struct MailClass {
    code: &'static str,
    tariff: Tariff,
    days: i64,
    guaranteed: bool,
}

#[rustfmt::skip]
const MAIL_CLASSES: [MailClass; 3] = [
    MailClass { code: "USPS_GROUND_ADVANTAGE", tariff: Tariff { first_slab: 550,  further_slab: 120 }, days: 4, guaranteed: false },
    MailClass { code: "PRIORITY_MAIL",         tariff: Tariff { first_slab: 935,  further_slab: 210 }, days: 2, guaranteed: false },
    MailClass { code: "PRIORITY_MAIL_EXPRESS", tariff: Tariff { first_slab: 3045, further_slab: 450 }, days: 1, guaranteed: true },
];

/// An international mail class: its first and further pound in cents, its days, its
/// heaviest parcel in pounds.
struct IntlClass {
    code: &'static str,
    tariff: Tariff,
    days: i64,
    max_lb: f64,
}

#[rustfmt::skip]
const INTL_CLASSES: [IntlClass; 3] = [
    IntlClass { code: "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE", tariff: Tariff { first_slab: 1750, further_slab: 600 }, days: 12, max_lb: 4.0 },
    IntlClass { code: "PRIORITY_MAIL_INTERNATIONAL",              tariff: Tariff { first_slab: 4995, further_slab: 420 }, days: 8,  max_lb: 66.0 },
    IntlClass { code: "PRIORITY_MAIL_EXPRESS_INTERNATIONAL",      tariff: Tariff { first_slab: 6895, further_slab: 520 }, days: 4,  max_lb: 66.0 },
];

/// Cents for `lb` pounds abroad by `class`: the first pound and each further one begun.
fn intl_cents(class: &IntlClass, lb: f64) -> i64 {
    let pounds = lb.ceil().max(1.0) as i64;
    class.tariff.first_slab + class.tariff.further_slab * (pounds - 1)
}

/// Customs content types the International Labels API takes.
const CONTENT_TYPES: [&str; 8] = [
    "MERCHANDISE",
    "GIFT",
    "DOCUMENTS",
    "SAMPLE",
    "RETURN",
    "OTHER",
    "HUMANITARIAN_DONATIONS",
    "DANGEROUS_GOODS",
];

/// Cents added to a parcel longer than 22 inches.
const NONSTANDARD_LENGTH_FEE: i64 = 400;

/// A label as the sandbox keeps it.
pub struct Label {
    tracking_number: String,
    mail_class: String,
    reference: String,
    from: Address,
    to: Address,
    weight_g: u32,
    created: DateTime<Utc>,
    cancelled: bool,
    trip: Trip<Code>,
}

/// What the sandbox counts and remembers besides labels.
pub struct Numbers {
    labels: Counter,
    pickups: Counter,
    manifests: Counter,
    payment_tokens: VecDeque<String>,
    /// Pickup confirmation number → cancelled.
    pickups_made: HashMap<String, bool>,
}

pub struct Usps;

pub type UspsSimulator = Sandbox<Usps>;
type S = UspsSimulator;

impl Wire for Usps {
    type Record = Label;
    type Code = Code;
    type Numbers = Numbers;
    #[rustfmt::skip]
    const ROUTES: &'static [Route<Self>] = &[
        Route::post("/oauth2/v3/token",                    S::token).open(),
        Route::post("/sandbox/expire-tokens",              S::expire).open(),
        Route::post("/_accounts",                          S::add_account).open(),
        Route::get("/_accounts",                           S::accounts).open(),
        Route::post("/shipments/v3/options/search",        S::options),
        Route::post("/payments/v3/payment-authorization",  S::payment_authorization),
        Route::post("/labels/v3/label",                    S::create_label),
        Route::post("/labels/v3/return-label",             S::create_return_label),
        Route::post("/labels/v3/label/",                   S::reprint).below(),
        Route::delete("/labels/v3/label/",                 S::cancel_label).below(),
        Route::post("/international-labels/v3/international-label", S::create_intl_label),
        Route::delete("/international-labels/v3/international-label/", S::cancel_intl_label).below(),
        Route::get("/tracking/v3/tracking/",               S::track).below(),
        Route::post("/pickup/v3/carrier-pickup",           S::schedule_pickup),
        Route::delete("/pickup/v3/carrier-pickup/",        S::cancel_pickup).below(),
        Route::post("/scan-forms/v3/scan-form",            S::scan_form),
        Route::get("/addresses/v3/address",                S::address),
    ];
    const GATE: Gate = Gate::login("Bearer");
    const ACCOUNT: &'static [(&'static str, &'static str)] = &[
        ("client_id", SANDBOX_CLIENT_ID),
        ("client_secret", SANDBOX_CLIENT_SECRET),
    ];
    /// The label's own scan shows from booking; each track call reveals the next.
    const REVEAL: Reveal = Reveal::Before;

    fn numbers() -> Numbers {
        Numbers {
            labels: Counter::from_clock(),
            pickups: Counter::from_clock(),
            manifests: Counter::from_clock(),
            payment_tokens: VecDeque::new(),
            pickups_made: HashMap::new(),
        }
    }

    fn trip(label: &mut Label) -> Option<&mut Trip<Code>> {
        Some(&mut label.trip)
    }

    /// Every ZIP is served (USPS delivers everywhere).
    const SERVED: Serviceability = Serviceability {
        unserved: &[],
        prepaid_only: &[],
    };

    fn pricing() -> Pricing {
        let zones = vec![
            PriceZone::new("01", 3),
            PriceZone::new("04", 1).priced(130, 1),
            PriceZone::new("08", 0).priced(170, 2),
        ];
        let rates = MAIL_CLASSES
            .iter()
            .map(|c| Rate::everywhere(c.code, c.tariff));
        // Slabs of a pound.
        Pricing::new(454, zones, rates.collect())
    }

    fn refused(why: Refused) -> SimResponse {
        let (code, title) = match why {
            Refused::Expired => ("EXPIRED_TOKEN", "The access token has expired."),
            Refused::Missing | Refused::Unknown => {
                ("INVALID_TOKEN", "The access token is invalid.")
            }
        };
        usps_error(401, "Unauthorized", code, title)
    }

    fn unknown_path() -> SimResponse {
        usps_error(404, "Resource not found.", "NOT_FOUND", "No such resource.")
    }
}

/// USPS's error document.
fn usps_error(status: u16, message: &str, code: &str, detail: &str) -> SimResponse {
    SimResponse::json(
        status,
        &json!({
            "apiVersion": "3.0.0",
            "error": {
                "code": status.to_string(),
                "message": message,
                "errors": [{"status": status.to_string(), "code": code, "title": message, "detail": detail}],
            },
        }),
    )
}

fn bad_request(detail: &str) -> SimResponse {
    usps_error(400, "Bad Request", "INVALID_REQUEST", detail)
}

fn cents(amount: i64) -> Value {
    json!((amount as f64) / 100.0)
}

fn zip5(value: &str) -> String {
    value.chars().filter(char::is_ascii_digit).take(5).collect()
}

/// A USPS address JSON as a schema address, for drawing labels.
fn address_of(value: &Value) -> Option<Address> {
    let f = |k: &str| field(value, k).unwrap_or_default();
    let zip = zip5(&f("ZIPCode"));
    let name = [f("firstName"), f("lastName")].join(" ").trim().to_string();
    let name = if name.is_empty() { f("firm") } else { name };
    Some(Address {
        name,
        phone: Phone::parse(&field(value, "phone").unwrap_or("2025550100".into()), "US").ok()?,
        email: field(value, "email"),
        line1: f("streetAddress"),
        line2: field(value, "secondaryAddress"),
        landmark: None,
        city: f("city"),
        state: field(value, "state"),
        postal_code: PostalCode::parse(&zip, "US").ok()?,
        country: "US".into(),
    })
}

/// An address abroad (the International Labels API's `toAddress`) as a schema address.
fn foreign_address_of(value: &Value) -> Option<Address> {
    let country = field(value, "countryISOAlpha2Code")?;
    if country == "US" || country.len() != 2 {
        return None;
    }
    let phone = field(value, "phone").unwrap_or_default();
    let name = [field(value, "firstName"), field(value, "lastName")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Some(Address {
        name,
        phone: Phone::parse(&format!("+{}", phone.trim_start_matches('+')), &country).ok()?,
        email: None,
        line1: field(value, "streetAddress")?,
        line2: field(value, "secondaryAddress"),
        landmark: None,
        city: field(value, "city")?,
        state: field(value, "province"),
        postal_code: PostalCode::parse(&field(value, "postalCode").unwrap_or_default(), &country)
            .ok()?,
        country,
    })
}

/// A place's name in scans: city, state and ZIP joined by `|` (split when answering).
fn place(address: &Address) -> String {
    format!(
        "{}|{}|{}",
        address.city.to_ascii_uppercase(),
        address.state.clone().unwrap_or_default(),
        address.postal_code.as_str()
    )
}

impl Label {
    fn data(&self, format_created: NaiveDate) -> LabelData {
        LabelData {
            carrier_name: "USPS".into(),
            service: service_name(&self.mail_class),
            awb: self.tracking_number.clone(),
            order_ref: self.reference.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            weight_g: self.weight_g,
            payment: Payment::Prepaid,
            routing_code: Some(format!("420{}", self.to.postal_code.as_str())),
            description: None,
            created: format_created,
        }
    }

    fn state(&self) -> &str {
        self.to.state.as_deref().unwrap_or_default()
    }

    /// One scan as USPS writes it: the local wall time in the zone of its state, the
    /// instant in UTC and the offset.
    fn scan(&self, scan: &Scan<Code>) -> Value {
        let (code, words) = scan.step.code;
        let mut parts = self.trip.location(scan.step.place).split('|');
        let (city, state, zip) = (parts.next(), parts.next(), parts.next());
        let state = state.filter(|s| !s.is_empty());
        let tz = state
            .and_then(state_zone)
            .unwrap_or(chrono_tz::America::New_York);
        let local = scan.time.with_timezone(&tz);
        let offset = local.format("%:z").to_string();
        json!({
            "eventType": words,
            "eventTimestamp": local.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "GMTTimestamp": scan.time.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "GMTOffset": offset,
            "eventCountry": null,
            "eventCity": city,
            "eventState": state,
            "eventZIP": zip.filter(|z| !z.is_empty()),
            "firm": null,
            "name": null,
            "authorizedAgent": "false",
            "eventCode": code,
        })
    }

    fn tracking(&self) -> Value {
        let scans: Vec<Value> = self
            .trip
            .scans()
            .iter()
            .rev()
            .map(|s| self.scan(s))
            .collect();
        let (status, category) = match self.trip.last() {
            Some(last) => (last.step.code.1, category_of(last.step.code.0)),
            None => ("Shipping Label Created, USPS Awaiting Item", "Pre-Shipment"),
        };
        json!({
            "trackingNumber": self.tracking_number,
            "destinationCity": self.to.city.to_ascii_uppercase(),
            "destinationState": self.state(),
            "destinationZIP": self.to.postal_code.as_str(),
            "originCity": self.from.city.to_ascii_uppercase(),
            "originState": self.from.state,
            "originZIP": self.from.postal_code.as_str(),
            "mailClass": service_name(&self.mail_class),
            "status": status,
            "statusCategory": category,
            "trackingEvents": scans,
        })
    }
}

/// USPS's coarse status category for a code.
fn category_of(code: &str) -> &'static str {
    match code {
        "GX" | "MA" => "Pre-Shipment",
        "01" => "Delivered",
        "OF" => "Out for Delivery",
        "02" => "Alert",
        "09" | "44" => "Alert",
        _ => "In Transit",
    }
}

/// The tracking number at the end of a path below `prefix` (and before `/reprint`).
fn number_in(request: &SimRequest, prefix: &str) -> String {
    let (_, path) = request.route();
    let rest = path.strip_prefix(prefix).unwrap_or_default();
    rest.split('/').next().unwrap_or_default().to_string()
}

impl UspsSimulator {
    fn token(&self, request: &SimRequest) -> Answer {
        let grant = request.form_value("grant_type").unwrap_or_default();
        require(grant == "client_credentials", || {
            SimResponse::json(
                400,
                &json!({"error": "unsupported_grant_type", "error_description": "grant_type must be client_credentials"}),
            )
        })?;
        let [id, secret] =
            ["client_id", "client_secret"].map(|k| request.form_value(k).unwrap_or_default());
        let token = self.log_in(&[("client_id", &id), ("client_secret", &secret)]);
        let token = token.ok_or_else(|| {
            SimResponse::json(
                401,
                &json!({
                    "error": "invalid_client",
                    "error_description": "Client authentication failed.",
                    "error_uri": "https://datatracker.ietf.org/doc/html/rfc6749#page-45",
                }),
            )
        })?;
        reply(json!({
            "access_token": token,
            "token_type": "Bearer",
            "issued_at": Utc::now().timestamp_millis().to_string(),
            "expires_in": "28799",
            "status": "approved",
            "scope": "addresses prices labels tracking pickup scan-forms payments shipments",
            "client_id": id,
        }))
    }

    fn options(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        if field(&body, "destinationCountryCode").is_some_and(|c| c != "US") {
            return self.intl_options(&body);
        }
        let origin = zip5(&field(&body, "originZIPCode").unwrap_or_default());
        let destination = zip5(&field(&body, "destinationZIPCode").unwrap_or_default());
        require(origin.len() == 5 && destination.len() == 5, || {
            bad_request("originZIPCode and destinationZIPCode must be 5-digit ZIP Codes")
        })?;
        let package = body
            .get("packageDescription")
            .cloned()
            .unwrap_or(Value::Null);
        let weight_lb = number(&package, "weight").filter(|w| *w > 0.0);
        let weight_lb =
            weight_lb.ok_or_else(|| bad_request("packageDescription.weight is required"))?;
        let grams = weight_lb * 453.592;
        require(grams <= f64::from(MAX_WEIGHT_G) + 1.0, || {
            bad_request("The package weight exceeds the 70 lb maximum")
        })?;
        let length = ["length", "width", "height"]
            .iter()
            .filter_map(|k| number(&package, k))
            .fold(0.0_f64, f64::max);
        let fee = (length > 22.0).then_some(NONSTANDARD_LENGTH_FEE);
        let mailing = package
            .get("mailingDate")
            .and_then(Value::as_str)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .unwrap_or_else(|| Utc::now().date_naive());
        let price_type = body["pricingOptions"][0]["priceType"]
            .as_str()
            .unwrap_or("RETAIL")
            .to_string();
        let mut shipping_options = Vec::new();
        for class in &MAIL_CLASSES {
            let Some(charges) =
                self.pricing
                    .charges((&origin, &destination), grams, class.code, None)
            else {
                continue;
            };
            let days = class.days + charges.zone.extra_days;
            let fees: Vec<Value> = fee
                .map(|f| json!({"name": "Nonstandard Length fee > 22 in.", "price": cents(f), "SKU": "DXL0"}))
                .into_iter()
                .collect();
            let total = charges.freight + fee.unwrap_or(0);
            let name = service_name(class.code);
            shipping_options.push(json!({
                "mailClass": class.code,
                "rateOptions": [{
                    "commitment": {
                        "name": format!("{days} Days"),
                        "scheduleDeliveryDate": (mailing + Duration::days(days)).to_string(),
                        "guaranteedDelivery": class.guaranteed,
                    },
                    "totalPrice": cents(total),
                    "totalBasePrice": cents(charges.freight),
                    "rates": [{
                        "description": format!("{name} Machinable Single-piece"),
                        "price": cents(charges.freight),
                        "zone": charges.zone.name,
                        "weight": weight_lb,
                        "fees": fees,
                        "priceType": price_type,
                        "mailClass": class.code,
                        "productName": name,
                        "processingCategory": "MACHINABLE",
                        "rateIndicator": "SP",
                        "destinationEntryFacilityType": "NONE",
                        "SKU": format!("SBX{}", charges.zone.name),
                    }],
                    "extraServices": [{"name": "USPS Tracking", "price": 0, "extraService": "920", "SKU": "DXTR"}],
                }],
            }));
        }
        reply(json!({
            "originZIPCode": origin,
            "destinationZIPCode": destination,
            "pricingOptions": [{"shippingOptions": shipping_options, "priceType": price_type}],
        }))
    }

    /// International options: every class the weight fits, priced by the pound.
    fn intl_options(&self, body: &Value) -> Answer {
        let origin = zip5(&field(body, "originZIPCode").unwrap_or_default());
        require(origin.len() == 5, || {
            bad_request("originZIPCode must be a 5-digit ZIP Code")
        })?;
        let country = field(body, "destinationCountryCode").unwrap_or_default();
        require(
            country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()),
            || bad_request("destinationCountryCode must be an ISO 3166-1 alpha-2 code"),
        )?;
        let package = body
            .get("packageDescription")
            .cloned()
            .unwrap_or(Value::Null);
        let weight_lb = number(&package, "weight").filter(|w| *w > 0.0);
        let weight_lb =
            weight_lb.ok_or_else(|| bad_request("packageDescription.weight is required"))?;
        let price_type = body["pricingOptions"][0]["priceType"]
            .as_str()
            .unwrap_or("RETAIL")
            .to_string();
        let options: Vec<Value> = INTL_CLASSES
            .iter()
            .filter(|c| weight_lb <= c.max_lb)
            .map(|class| {
                let price = cents(intl_cents(class, weight_lb));
                json!({
                    "mailClass": class.code,
                    "rateOptions": [{
                        "totalPrice": price,
                        "totalBasePrice": price,
                        "rates": [{
                            "description": format!("{} Single-piece", service_name(class.code)),
                            "price": price,
                            "zone": "INTL",
                            "weight": weight_lb,
                            "fees": [],
                            "priceType": price_type,
                            "mailClass": class.code,
                            "processingCategory": "NON_MACHINABLE",
                            "rateIndicator": "SP",
                            "destinationEntryFacilityType": "NONE",
                            "SKU": format!("SBXI{}", class.days),
                        }],
                        "extraServices": [],
                    }],
                })
            })
            .collect();
        require(!options.is_empty(), || {
            bad_request("The package weight exceeds the 66 lb international maximum")
        })?;
        reply(json!({
            "originZIPCode": origin,
            "foreignPostalCode": field(body, "foreignPostalCode"),
            "destinationCountryCode": country,
            "pricingOptions": [{"shippingOptions": options, "priceType": price_type}],
        }))
    }

    /// An international label: a US sender, an address abroad, and the customs form
    /// every line of which has a description, quantity, USD value, HS tariff number and
    /// origin.
    fn create_intl_label(&self, request: &SimRequest) -> Answer {
        self.paid(request)?;
        let body = request.json();
        let package = body
            .get("packageDescription")
            .cloned()
            .unwrap_or(Value::Null);
        let mail_class = field(&package, "mailClass").unwrap_or_default();
        let class = INTL_CLASSES
            .iter()
            .find(|c| c.code == mail_class)
            .ok_or_else(|| {
                bad_request(&format!(
                    "mailClass {mail_class:?} is not an international mail class"
                ))
            })?;
        let weight_lb = number(&package, "weight").filter(|w| *w > 0.0 && *w <= class.max_lb);
        let weight_lb = weight_lb.ok_or_else(|| {
            bad_request(&format!(
                "packageDescription.weight must be over 0 and at most {} lb",
                class.max_lb
            ))
        })?;
        let from = body.get("fromAddress").and_then(address_of);
        let to = body.get("toAddress").and_then(foreign_address_of);
        let (Some(from), Some(to)) = (from, to) else {
            return Err(bad_request(
                "fromAddress needs a US street, city, state and ZIPCode; toAddress a street, city, postalCode and countryISOAlpha2Code outside the US",
            ));
        };
        let form = &body["customsForm"];
        let content_type = field(form, "customsContentType").unwrap_or_default();
        require(CONTENT_TYPES.contains(&content_type.as_str()), || {
            bad_request("customsForm.customsContentType is not a USPS content type")
        })?;
        require(
            content_type != "OTHER" || field(form, "contentComments").is_some(),
            || bad_request("customsForm.contentComments is required for OTHER"),
        )?;
        require(field(form, "AESITN").is_some(), || {
            bad_request("customsForm.AESITN (an ITN or exemption) is required")
        })?;
        let contents = form["contents"].as_array().cloned().unwrap_or_default();
        require(!contents.is_empty(), || {
            bad_request("customsForm.contents must list the parcel's items")
        })?;
        for (i, item) in contents.iter().enumerate() {
            let hs = field(item, "HSTariffNumber").unwrap_or_default();
            let origin = field(item, "countryofOrigin").unwrap_or_default();
            let fine = field(item, "itemDescription").is_some()
                && item["itemQuantity"].as_u64().is_some_and(|q| q > 0)
                && number(item, "itemValue").is_some_and(|v| v > 0.0)
                && (6..=10).contains(&hs.len())
                && hs.bytes().all(|b| b.is_ascii_digit())
                && origin.len() == 2;
            require(fine, || {
                bad_request(&format!(
                    "customsForm.contents[{i}] needs itemDescription, itemQuantity, itemValue, a 6 to 10 digit HSTariffNumber and countryofOrigin"
                ))
            })?;
        }
        let reference = package["customerReference"][0]["referenceNumber"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let format = image_format(&body["imageInfo"]["imageType"])?;
        let price = intl_cents(class, weight_lb);
        let now = Utc::now();
        let places = Places {
            transit: "ISC NEW YORK NY(USPS)|NY|".to_string(),
            ..Places::new(&place(&from), "|| ", &place(&to))
        };
        let mut trip = JOURNEY.trip(to.postal_code.as_str(), places);
        trip.advance(now);
        let label = {
            let mut books = self.books();
            let number = format!("LZ{}US", books.numbers.labels.issue_fixed(9));
            let label = Label {
                tracking_number: number.clone(),
                mail_class: mail_class.clone(),
                reference,
                from,
                to,
                weight_g: (weight_lb * 453.592).round() as u32,
                created: now,
                cancelled: false,
                trip,
            };
            let data = label.data(now.date_naive());
            let slot = books
                .store
                .vacant(&number)
                .map_err(|_| bad_request("duplicate label"))?;
            slot.insert(label, [(Key::Awb, number.clone())]);
            books.store.count_booking();
            data
        };
        let metadata = json!({
            "labelAddress": {
                "streetAddress": label.to.line1.to_ascii_uppercase(),
                "city": label.to.city.to_ascii_uppercase(),
                "postalCode": label.to.postal_code.as_str(),
                "countryISOAlpha2Code": label.to.country,
            },
            "internationalTrackingNumber": label.awb,
            "postage": cents(price),
            "extraServices": [],
            "fees": [],
            "weightUOM": "lb",
            "weight": weight_lb,
            "SKU": format!("SBXI{}", class.days),
        });
        Ok(multipart_label(&metadata, &label, format))
    }

    fn cancel_intl_label(&self, request: &SimRequest) -> Answer {
        self.paid(request)?;
        let number = number_in(request, "/international-labels/v3/international-label/");
        let mut books = self.books();
        let label = books
            .store
            .by_mut(Key::Awb, &number)
            .filter(|l| l.to.country != "US")
            .ok_or_else(|| not_found(&number))?;
        label.trip.cancel().map_err(|_| {
            usps_error(
                400,
                "Bad Request",
                "REFUND_NOT_ALLOWED",
                "The label has been delivered or is on its way back; it cannot be cancelled.",
            )
        })?;
        label.cancelled = true;
        reply(json!({"trackingNumber": number, "status": "CANCELED"}))
    }

    fn payment_authorization(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let roles = body
            .get("roles")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for role in ["PAYER", "LABEL_OWNER"] {
            let found = roles.iter().find(|r| r["roleName"] == role);
            let complete = found.is_some_and(|r| {
                ["CRID", "MID", "accountType", "accountNumber"]
                    .iter()
                    .all(|k| field(r, k).is_some())
            });
            require(complete, || {
                bad_request(&format!(
                    "roles must include {role} with CRID, MID, accountType and accountNumber"
                ))
            })?;
        }
        let mut books = self.books();
        let n = books.numbers.labels.issue();
        let token = format!("sbx-pay-{n:x}-{}", Utc::now().timestamp_subsec_nanos());
        let kept = &mut books.numbers.payment_tokens;
        kept.push_back(token.clone());
        if kept.len() > KEPT_PAYMENT_TOKENS {
            kept.pop_front();
        }
        reply(json!({"paymentAuthorizationToken": token, "roles": roles}))
    }

    fn paid(&self, request: &SimRequest) -> Result<(), SimResponse> {
        let token = request
            .header("x-payment-authorization-token")
            .unwrap_or_default();
        let known = !token.is_empty()
            && self
                .books()
                .numbers
                .payment_tokens
                .iter()
                .any(|t| t == token);
        require(known, || {
            usps_error(
                401,
                "Unauthorized",
                "INVALID_PAYMENT_TOKEN",
                "The payment authorization token is missing or invalid.",
            )
        })
    }

    /// A return label: a label from the buyer to the seller, in USPS's return parts.
    fn create_return_label(&self, request: &SimRequest) -> Answer {
        let answer = self.create_label(request)?;
        let body = String::from_utf8_lossy(&answer.body)
            .replace("name=\"labelMetadata\"", "name=\"returnLabelMetadata\"")
            .replace("name=\"labelImage\"", "name=\"returnLabelImage\"");
        Ok(SimResponse::raw(answer.status, MULTIPART, body))
    }

    fn create_label(&self, request: &SimRequest) -> Answer {
        self.paid(request)?;
        let body = request.json();
        let package = body
            .get("packageDescription")
            .cloned()
            .unwrap_or(Value::Null);
        let mail_class = field(&package, "mailClass").unwrap_or_default();
        require(MAIL_CLASSES.iter().any(|c| c.code == mail_class), || {
            bad_request(&format!(
                "mailClass {mail_class:?} is not offered for this package"
            ))
        })?;
        let weight_lb = number(&package, "weight").filter(|w| *w > 0.0);
        let weight_lb =
            weight_lb.ok_or_else(|| bad_request("packageDescription.weight is required"))?;
        let grams = weight_lb * 453.592;
        require(grams <= f64::from(MAX_WEIGHT_G) + 1.0, || {
            bad_request("The package weight exceeds the 70 lb maximum")
        })?;
        let from = body.get("fromAddress").and_then(address_of);
        let to = body.get("toAddress").and_then(address_of);
        let (Some(from), Some(to)) = (from, to) else {
            return Err(bad_request(
                "fromAddress and toAddress need a street, city, state and 5-digit ZIPCode",
            ));
        };
        require(!to.line1.is_empty() && !to.city.is_empty(), || {
            bad_request("toAddress.streetAddress and toAddress.city are required")
        })?;
        let reference = package["customerReference"][0]["referenceNumber"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let format = image_format(&body["imageInfo"]["imageType"])?;
        let charges = self
            .pricing
            .charges(
                (from.postal_code.as_str(), to.postal_code.as_str()),
                grams,
                &mail_class,
                None,
            )
            .ok_or_else(|| bad_request("no price for this package"))?;
        let class = MAIL_CLASSES
            .iter()
            .find(|c| c.code == mail_class)
            .expect("checked above");
        let days = class.days + charges.zone.extra_days;
        let now = Utc::now();
        let places = Places::new(&place(&from), "|| ", &place(&to));
        let places = Places {
            transit: format!(
                "{} DISTRIBUTION CENTER||",
                to.state.clone().unwrap_or_default()
            ),
            ..places
        };
        let mut trip = JOURNEY.trip(to.postal_code.as_str(), places);
        trip.advance(now); // the label's own scan
        let label = {
            let mut books = self.books();
            let number = format!("9200190{}", books.numbers.labels.issue_fixed(15));
            let label = Label {
                tracking_number: number.clone(),
                mail_class: mail_class.clone(),
                reference,
                from,
                to,
                weight_g: grams.round() as u32,
                created: now,
                cancelled: false,
                trip,
            };
            let data = label.data(now.date_naive());
            let slot = books
                .store
                .vacant(&number)
                .map_err(|_| bad_request("duplicate label"))?;
            slot.insert(label, [(Key::Awb, number.clone())]);
            books.store.count_booking();
            data
        };
        let metadata = json!({
            "labelAddress": {
                "streetAddress": label.to.line1.to_ascii_uppercase(),
                "city": label.to.city.to_ascii_uppercase(),
                "state": label.to.state,
                "ZIPCode": label.to.postal_code.as_str(),
            },
            "routingInformation": label.routing_code,
            "trackingNumber": label.awb,
            "postage": cents(charges.freight),
            "extraServices": [{"name": "USPS Tracking", "price": 0.0, "SKU": "DXTR"}],
            "zone": charges.zone.name,
            "commitment": {"name": format!("{days} Days"), "scheduleDeliveryDate": (now.date_naive() + Duration::days(days)).to_string()},
            "weightUOM": "LB",
            "weight": weight_lb,
            "dimensionalWeight": 0,
            "fees": [],
            "bannerText": "USPS TRACKING # USPS Ship",
            "SKU": format!("SBX{}", charges.zone.name),
        });
        Ok(multipart_label(&metadata, &label, format))
    }

    fn reprint(&self, request: &SimRequest) -> Answer {
        self.paid(request)?;
        let (_, path) = request.route();
        require(path.ends_with("/reprint"), Self::unknown_path)?;
        let number = number_in(request, "/labels/v3/label/");
        let format = image_format(&request.json()["imageInfo"]["imageType"])?;
        // Drawn after the lock is let go.
        let data = {
            let books = self.books();
            let label = books
                .store
                .by(Key::Awb, &number)
                .ok_or_else(|| not_found(&number))?;
            label.data(label.created.date_naive())
        };
        let metadata = json!({"trackingNumber": data.awb, "routingInformation": data.routing_code});
        Ok(multipart_label(&metadata, &data, format))
    }

    fn unknown_path() -> SimResponse {
        <Usps as Wire>::unknown_path()
    }

    fn cancel_label(&self, request: &SimRequest) -> Answer {
        self.paid(request)?;
        let number = number_in(request, "/labels/v3/label/");
        let mut books = self.books();
        let label = books
            .store
            .by_mut(Key::Awb, &number)
            .filter(|l| l.to.country == "US")
            .ok_or_else(|| not_found(&number))?;
        label.trip.cancel().map_err(|_| {
            usps_error(
                400,
                "Bad Request",
                "REFUND_NOT_ALLOWED",
                "The label has been delivered or is on its way back; it cannot be cancelled.",
            )
        })?;
        label.cancelled = true;
        reply(json!({"trackingNumber": number, "status": "CANCELED"}))
    }

    fn track(&self, request: &SimRequest) -> Answer {
        let number = number_in(request, "/tracking/v3/tracking/");
        let found = self.track_each([(Key::Awb, number.as_str())], Label::tracking);
        found
            .into_iter()
            .next()
            .map(|t| Ok(SimResponse::json(200, &t)))
            .unwrap_or_else(|| Err(not_found(&number)))
    }

    fn schedule_pickup(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let date = body
            .get("pickupDate")
            .and_then(Value::as_str)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let date = date.ok_or_else(|| bad_request("pickupDate must be a date (YYYY-MM-DD)"))?;
        require(date >= Utc::now().date_naive(), || {
            bad_request("pickupDate must not be in the past")
        })?;
        let address = &body["pickupAddress"]["address"];
        require(
            field(address, "streetAddress").is_some()
                && zip5(&field(address, "ZIPCode").unwrap_or_default()).len() == 5,
            || bad_request("pickupAddress.address needs streetAddress and ZIPCode"),
        )?;
        let packages = body
            .get("packages")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let count: i64 = packages
            .iter()
            .filter_map(|p| p["packageCount"].as_i64())
            .sum();
        require(count > 0, || {
            bad_request("packages must count at least one package")
        })?;
        let mut books = self.books();
        let number = format!("WTC{}", books.numbers.pickups.issue_fixed(9));
        books.numbers.pickups_made.insert(number.clone(), false);
        reply(json!({
            "confirmationNumber": number,
            "pickupDate": date.to_string(),
            "carrierPickupRequest": body,
        }))
    }

    fn cancel_pickup(&self, request: &SimRequest) -> Answer {
        let number = number_in(request, "/pickup/v3/carrier-pickup/");
        let mut books = self.books();
        let made = books.numbers.pickups_made.get_mut(&number);
        let made = made.ok_or_else(|| {
            usps_error(
                404,
                "Not Found",
                "PICKUP_NOT_FOUND",
                "No carrier pickup with this confirmation number.",
            )
        })?;
        *made = true;
        Ok(SimResponse::raw(200, "application/json", ""))
    }

    fn scan_form(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let numbers: Vec<String> = body["shipment"]["trackingNumbers"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        require(!numbers.is_empty(), || {
            bad_request("shipment.trackingNumbers must list at least one label")
        })?;
        let entry = zip5(&field(&body, "entryFacilityZIPCode").unwrap_or_default());
        require(entry.len() == 5, || {
            bad_request("entryFacilityZIPCode must be a 5-digit ZIP Code")
        })?;
        let (lines, manifest) = {
            let mut books = self.books();
            let mut lines = Vec::new();
            for n in &numbers {
                let label = books.store.by(Key::Awb, n).filter(|l| !l.cancelled);
                let label = label.ok_or_else(|| {
                    bad_request(&format!("label {n} is not an open label of this account"))
                })?;
                lines.push(HandoverLine {
                    awb: n.clone(),
                    order_ref: label.reference.clone(),
                    cod_amount: 0,
                    pieces: 1,
                });
            }
            (
                lines,
                format!("EFN{}", books.numbers.manifests.issue_fixed(17)),
            )
        };
        let sheet = HandoverSheet {
            manifest_id: manifest.clone(),
            carrier_name: "USPS PS Form 5630 (SCAN)".into(),
            carrier_account: SANDBOX_MID.into(),
            carrier_manifest_id: Some(manifest.clone()),
            location_name: "Entry facility".into(),
            location_address: entry.clone(),
            date: Utc::now().date_naive(),
            currency: Currency::parse("USD").expect("USD"),
            lines,
        };
        let image = base64::engine::general_purpose::STANDARD
            .encode(crate::label::handover::render(&sheet));
        reply(json!({
            "SCANFormMetadata": {
                "form": "5630",
                "imageType": "PDF",
                "labelType": "8.5x11LABEL",
                "mailingDate": field(&body, "mailingDate"),
                "entryFacilityZIPCode": entry,
                "destinationEntryFacilityType": "NONE",
                "manifestNumber": manifest,
                "trackingNumbers": numbers,
                "fromAddress": body.get("fromAddress"),
            },
            "SCANFormImage": image,
        }))
    }

    fn address(&self, request: &SimRequest) -> Answer {
        let street = request.query_text("streetAddress").to_ascii_uppercase();
        let zip = zip5(request.query_text("ZIPCode"));
        let state = request.query_text("state").to_ascii_uppercase();
        require(zip.len() == 5 && state.len() == 2, || {
            bad_request("state and a 5-digit ZIPCode are required")
        })?;
        let house: String = street.chars().take_while(char::is_ascii_digit).collect();
        require(!house.is_empty(), || {
            usps_error(
                400,
                "Address Not Found.",
                "ADDRESS_NOT_FOUND",
                "Address Not Found.",
            )
        })?;
        let secondary = request.query_text("secondaryAddress").to_ascii_uppercase();
        let business = secondary.starts_with("STE") || secondary.starts_with("SUITE");
        let plus4 = format!("{:04}", house.parse::<u64>().unwrap_or(0) % 10_000);
        reply(json!({
            "firm": null,
            "address": {
                "streetAddress": street,
                "secondaryAddress": (!secondary.is_empty()).then_some(secondary),
                "city": request.query_text("city").to_ascii_uppercase(),
                "state": state,
                "ZIPCode": zip,
                "ZIPPlus4": plus4,
            },
            "additionalInfo": {
                "deliveryPoint": "00",
                "carrierRoute": "C001",
                "DPVConfirmation": "Y",
                "DPVCMRA": "N",
                "business": if business { "Y" } else { "N" },
                "centralDeliveryPoint": "N",
                "vacant": "N",
            },
            "corrections": [],
            "matches": [{"code": "31", "text": "Single Response - exact match"}],
        }))
    }
}

fn not_found(number: &str) -> SimResponse {
    usps_error(
        404,
        "Not Found",
        "TRACKING_NUMBER_NOT_FOUND",
        &format!("A status update is not yet available on your Package ({number})."),
    )
}

/// The label format an `imageType` asks for.
fn image_format(value: &Value) -> Result<LabelFormat, SimResponse> {
    match value.as_str().unwrap_or("PDF") {
        "PDF" => Ok(LabelFormat::Pdf),
        "ZPL203DPI" | "ZPL300DPI" => Ok(LabelFormat::Zpl),
        other => Err(bad_request(&format!(
            "imageType {other:?} is not offered by the sandbox"
        ))),
    }
}

/// USPS's multipart label answer: the metadata part and the base64 image part.
fn multipart_label(metadata: &Value, data: &LabelData, format: LabelFormat) -> SimResponse {
    let image = crate::label::render(data, format);
    let image = base64::engine::general_purpose::STANDARD.encode(image);
    let (content_type, filename) = match format {
        LabelFormat::Pdf => ("application/pdf", "labelImage.pdf"),
        LabelFormat::Zpl => ("application/zpl", "labelImage.zpl"),
    };
    let body = format!(
        "--{BOUNDARY}\r\nContent-Type: application/json\r\nContent-Disposition: form-data; name=\"labelMetadata\"\r\n\r\n{metadata}\r\n--{BOUNDARY}\r\nContent-Type: {content_type}\r\nContent-Disposition: form-data; filename=\"{filename}\"; name=\"labelImage\"\r\n\r\n{image}\r\n--{BOUNDARY}--\r\n"
    );
    SimResponse::raw(200, MULTIPART, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulator::Simulator;

    fn call(
        sim: &UspsSimulator,
        method: &str,
        target: &str,
        headers: Vec<(String, String)>,
        body: &str,
    ) -> SimResponse {
        sim.handle(&SimRequest::new(
            method,
            target,
            headers,
            body.as_bytes().to_vec(),
            "http://sim",
        ))
    }

    fn token(sim: &UspsSimulator) -> String {
        let form = format!(
            "grant_type=client_credentials&client_id={SANDBOX_CLIENT_ID}&client_secret={SANDBOX_CLIENT_SECRET}"
        );
        let answer = call(sim, "POST", "/oauth2/v3/token", vec![], &form);
        assert_eq!(answer.status, 200);
        let v: Value = serde_json::from_slice(&answer.body).unwrap();
        v["access_token"].as_str().unwrap().to_string()
    }

    #[test]
    fn wrong_client_credentials_get_usps_invalid_client() {
        let sim = UspsSimulator::new();
        let answer = call(
            &sim,
            "POST",
            "/oauth2/v3/token",
            vec![],
            "grant_type=client_credentials&client_id=x&client_secret=y",
        );
        assert_eq!(answer.status, 401);
        assert!(String::from_utf8_lossy(&answer.body).contains("invalid_client"));
        let bearer = ("authorization".to_string(), "Bearer nope".to_string());
        let answer = call(
            &sim,
            "GET",
            "/tracking/v3/tracking/9200190100000000000001",
            vec![bearer],
            "",
        );
        assert_eq!(answer.status, 401);
    }

    #[test]
    fn a_label_needs_a_payment_token_it_issued() {
        let sim = UspsSimulator::new();
        let bearer = (
            "authorization".to_string(),
            format!("Bearer {}", token(&sim)),
        );
        let answer = call(&sim, "POST", "/labels/v3/label", vec![bearer.clone()], "{}");
        assert_eq!(answer.status, 401);
        assert!(String::from_utf8_lossy(&answer.body).contains("INVALID_PAYMENT_TOKEN"));
        let refused = call(
            &sim,
            "POST",
            "/payments/v3/payment-authorization",
            vec![bearer],
            r#"{"roles":[{"roleName":"PAYER"}]}"#,
        );
        assert_eq!(refused.status, 400);
        assert_eq!(sim.bookings(), 0);
    }
}
