//! The MyDHL API in-process, for sandbox mode and tests: MyDHL's paths and JSON on the
//! simulator kit ([`crate::simulator`]), so the adapter's real builders and parsers run
//! against it.
//!
//! What it plays, and the rules a test can rely on:
//! - **Authentication**: HTTP Basic with [`SANDBOX_API_KEY`] / [`SANDBOX_API_SECRET`]
//!   (account `default`, shipper account [`SANDBOX_ACCOUNT`]) or any pair registered as an
//!   [account](crate::simulator::accounts) (`POST /_accounts`,
//!   `{"account": "a", "api_key": "…", "api_secret": "…"}`; `GET /_accounts` counts each
//!   account's requests). The kit's fixed gate checks one credential field and MyDHL's
//!   Basic pair is two, so each handler admits the pair itself ([`Wire::GATE`] is unused
//!   and every route is open to the kit). A missing or wrong pair is MyDHL's 401 problem
//!   document. A shipper account number must be nine digits, else the 400 DHL's docs
//!   show ("The account number is not found or invalid…").
//! - **Rates** (`POST /rates`) for cross-border lanes only (a domestic lane is a 404
//!   "Product(s) not available", wording ours): EXPRESS WORLDWIDE (`P`), EXPRESS 12:00
//!   (`Y`) and EXPRESS 9:00 (`K`), priced by 500 g slabs of the larger of actual and
//!   volumetric (L·W·H/5000) weight in the shipper country's currency (INR from India,
//!   USD from the US, EUR elsewhere), plus a 27.5 % fuel surcharge (`FF`), with DHL's
//!   totals, detailed lines, delivery date and transit days.
//! - **Import accounts**: a shipper account number beginning `96` is an import account
//!   (the sandbox's convention: DHL knows each account's kind, the sandbox reads it from
//!   the number; [`SANDBOX_IMPORT_ACCOUNT`] is the sandbox's). A booking under one is an
//!   import, billed to the receiver: a shipment declared as a return
//!   (`exportReasonType: return`) comes back from abroad to the account holder and must
//!   be booked under an import account, else a 400 saying so (wording ours). Images and
//!   the proof of delivery of an import are filed under the import account.
//! - **Shipments** (`POST /shipments`): a dutiable booking with its export declaration
//!   (lines with commodity code, price, quantity, origin), declared value and incoterm is
//!   required for a cross-border lane; a missing field is a 400 problem naming it
//!   (wording ours). It issues a 10-digit AWB and a 20-character piece number per
//!   package, and answers one label per piece (rendered by [`crate::label`] in the
//!   `encodingFormat` asked, `pdf` or `zpl`) and DHL's commercial invoice as a PDF.
//!   Like DHL, it keeps no idempotency: the same reference twice books twice.
//! - **Tracking** (`GET /shipments/{awb}/tracking`; `GET /tracking` by
//!   `shipmentTrackingNumber` or by `shipmentReference` with `shipperAccountNumber` and
//!   the date range MyDHL requires) reveals one checkpoint per call along the journey
//!   table below, newest first, each with its local date, time and `GMTOffset` (IST at
//!   an Indian origin, the US zones with daylight saving, Leipzig's hub in between). The
//!   kit's detours apply by destination postal code (`…99` not home then delivered,
//!   `…98` returned to shipper, `…97` on hold, `…96` mis-sorted). Unknown: 404 "No
//!   shipments found…" as the karrio capture shows.
//! - **Images** (`GET /shipments/{awb}/get-image`, `typeCode` `label` in `encodingFormat`
//!   `pdf`|`zpl`, or `invoice`) for the account and booking month named; **proof of
//!   delivery** (`GET /shipments/{awb}/proof-of-delivery`) once the parcel is delivered,
//!   404 before.
//! - **Pickups** (`POST /pickups`, local time with a `GMT±hh:mm` offset, not in the past)
//!   answer a dispatch confirmation number; `PATCH /pickups/{number}` moves a live one
//!   (the body's `dispatchConfirmationNumber` must be the path's, its
//!   `originalShipperAccountNumber` nine digits, the new time neither past nor more than
//!   10 days ahead, as MyDHL's schema says) and answers the same number;
//!   `DELETE /pickups/{number}` cancels it once (404 for a number never issued or already
//!   cancelled; wording ours).
//! - **Address validation** (`GET /address-validate`): every place but postal codes made
//!   only of zeros is served, answered with the city in capitals and a service area.
//!
//! Cancelling a shipment has no endpoint, as at DHL.

use base64::Engine;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::carrier::Settings;
use crate::kit::time::{IST, UTC, Zone};
use crate::label::{LabelData, render};
use crate::schema::{Address, LabelFormat, Payment, Phone, PostalCode};
use crate::simulator::ids::Counter;
use crate::simulator::journey::{Detour, Journey, Mark, Place, Places, Step, Trip, step};
use crate::simulator::pricing::{Pricing, Rate, Tariff, Zone as PriceZone};
use crate::simulator::rules::{self, Serviceability};
use crate::simulator::sandbox::{Reveal, Route, Sandbox, Wire, reply};
use crate::simulator::store::Key;
use crate::simulator::tokens::{Gate, Refused};
use crate::simulator::values::{list, number, text};
use crate::simulator::{Answer, SimRequest, SimResponse, require};

use super::zone_of;

pub const SANDBOX_API_KEY: &str = "shipgate-sandbox-mydhl-key";
pub const SANDBOX_API_SECRET: &str = "shipgate-sandbox-mydhl-secret";
pub const SANDBOX_ACCOUNT: &str = "950000001";
/// The sandbox's import account, which returns are billed to.
pub const SANDBOX_IMPORT_ACCOUNT: &str = "960000001";
/// Pickups kept for cancelling; older ones are forgotten.
const KEPT_PICKUPS: usize = 5_000;
/// DHL's volumetric divisor, cm³ per kg.
const VOLUMETRIC: f64 = 5000.0;
/// Fuel surcharge on the freight, per mille.
const FUEL_PER_MILLE: i64 = 275;

pub fn sandbox_settings() -> Settings {
    [
        ("api_key", SANDBOX_API_KEY),
        ("api_secret", SANDBOX_API_SECRET),
        ("account_number", SANDBOX_ACCOUNT),
        ("import_account_number", SANDBOX_IMPORT_ACCOUNT),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .into()
}

/// DHL's products in the sandbox: code, name, transit days, delivery time.
const PRODUCTS: [(&str, &str, i64, &str); 3] = [
    ("P", "EXPRESS WORLDWIDE", 4, "23:59:00"),
    ("Y", "EXPRESS 12:00", 3, "12:00:00"),
    ("K", "EXPRESS 9:00", 3, "09:00:00"),
];

/// One checkpoint: DHL's type code and description.
type Code = (&'static str, &'static str);

use Place::{Destination as Dest, Origin, Transit as Hub};

#[rustfmt::skip]
static JOURNEY: Journey<Code> = Journey {
    forward: &[
        step(("PU", "Shipment picked up"), Origin).marked(Mark::PickedUp),
        step(("PL", "Processed at DHL facility"), Origin),
        step(("DF", "Departed from DHL facility"), Origin),
        step(("AF", "Arrived at DHL facility"), Hub),
        step(("DF", "Departed from DHL facility"), Hub),
        step(("CR", "Clearance release"), Dest),
        step(("AR", "Arrived at DHL delivery facility"), Dest),
        step(("WC", "With delivery courier"), Dest),
        step(("OK", "Delivered"), Dest).marked(Mark::Delivered),
    ],
    cancelled: &[],
    returned: &[],
    redelivered: &[],
    rto: &[],
    detours: &[
        (rules::NDR, &[Detour::attempts(&NOT_HOME, 1)]),
        (rules::RTO, &[Detour::returned(&RETURNED)]),
        (rules::LOST, &[Detour::lost(&ON_HOLD)]),
        (rules::MISROUTED, &[Detour::misrouted(&MIS_SORT)]),
    ],
    time_digits: 0,
};

#[rustfmt::skip]
const NOT_HOME: [Step<Code>; 2] = [
    step(("NH", "Not home"), Dest).marked(Mark::Undelivered),
    step(("WC", "With delivery courier"), Dest),
];
#[rustfmt::skip]
const RETURNED: [Step<Code>; 2] = [
    step(("NH", "Not home"), Dest).marked(Mark::Undelivered),
    step(("RT", "Returned to shipper"), Dest).marked(Mark::Returning),
];
const ON_HOLD: [Step<Code>; 1] = [step(("OH", "On hold"), Hub).marked(Mark::Lost)];
const MIS_SORT: [Step<Code>; 1] = [step(("MS", "Mis-sort"), Hub)];

/// The hub every sandbox parcel crosses, its service area and zone.
const HUB: (&str, &str) = ("LEJ", "LEIPZIG - GERMANY");

/// One booking as the sandbox keeps it.
pub struct Booking {
    awb: String,
    reference: Option<String>,
    account: String,
    product: String,
    pieces: Vec<String>,
    booked: DateTime<Utc>,
    label: LabelData,
    invoice: Option<Vec<u8>>,
    areas: [(String, String, Zone); 3],
    trip: Trip<Code>,
}

/// The numbers the sandbox hands out.
pub struct Numbers {
    awb: Counter,
    piece: Counter,
    pickup: Counter,
    /// Dispatch confirmation numbers issued, oldest first, and whether cancelled.
    pickups: std::collections::VecDeque<(String, bool)>,
}

/// MyDHL's wire format and the sandbox's rules, as the kit's configuration.
pub struct MyDhl;

pub type DhlExpressSimulator = Sandbox<MyDhl>;

impl Wire for MyDhl {
    type Record = Booking;
    type Code = Code;
    type Numbers = Numbers;
    const ROUTES: &'static [Route<Self>] = &[
        Route::post("/rates", Sandbox::rates).open(),
        Route::post("/shipments", Sandbox::create).open(),
        Route::get("/shipments/", Sandbox::shipment_get)
            .below()
            .open(),
        Route::get("/tracking", Sandbox::tracking).open(),
        Route::post("/pickups", Sandbox::pickup).open(),
        Route::patch("/pickups/", Sandbox::pickup_update)
            .below()
            .open(),
        Route::delete("/pickups/", Sandbox::pickup_cancel)
            .below()
            .open(),
        Route::get("/address-validate", Sandbox::address).open(),
        Route::post("/_accounts", Sandbox::add_account).open(),
        Route::get("/_accounts", Sandbox::accounts).open(),
    ];
    const GATE: Gate = Gate::fixed("Basic", "api_key");
    const ACCOUNT: &'static [(&'static str, &'static str)] = &[
        ("api_key", SANDBOX_API_KEY),
        ("api_secret", SANDBOX_API_SECRET),
    ];
    const REVEAL: Reveal = Reveal::Before;
    fn numbers() -> Numbers {
        Numbers {
            awb: Counter::from_clock(),
            piece: Counter::from_clock(),
            pickup: Counter::from_clock(),
            pickups: Default::default(),
        }
    }
    fn trip(record: &mut Booking) -> Option<&mut Trip<Code>> {
        Some(&mut record.trip)
    }
    const SERVED: Serviceability = Serviceability {
        unserved: &[],
        prepaid_only: &[],
    };
    /// The INR card (an Indian shipper): paise per 500 g slab, first and further.
    fn pricing() -> Pricing {
        card([
            ("P", 320_000, 65_000),
            ("Y", 390_000, 78_000),
            ("K", 460_000, 90_000),
        ])
    }
    fn refused(_: Refused) -> SimResponse {
        unauthorized()
    }
    fn unknown_path() -> SimResponse {
        problem(404, "Not Found", "The requested resource was not found")
    }
}

fn card(prices: [(&'static str, i64, i64); 3]) -> Pricing {
    let rates = prices
        .iter()
        .map(|(service, first_slab, further_slab)| Rate {
            service,
            zone: "",
            tariff: Tariff {
                first_slab: *first_slab,
                further_slab: *further_slab,
            },
        })
        .collect();
    let mut pricing = Pricing::new(500, vec![PriceZone::new("world", 0)], rates);
    pricing.fuel_per_mille = FUEL_PER_MILLE;
    pricing
}

/// The currency DHL bills a shipper in, and the card it prices by.
fn billing(country: &str, inr: &Pricing) -> (&'static str, Pricing) {
    match country {
        "IN" => ("INR", inr.clone()),
        "US" => (
            "USD",
            card([("P", 4_500, 900), ("Y", 5_500, 1_100), ("K", 6_500, 1_300)]),
        ),
        _ => (
            "EUR",
            card([("P", 4_200, 850), ("Y", 5_100, 1_000), ("K", 6_000, 1_200)]),
        ),
    }
}

/// MyDHL's problem document.
fn problem(status: u16, title: &str, detail: &str) -> SimResponse {
    SimResponse::json(
        status,
        &json!({ "status": status, "title": title, "detail": detail, "message": title, "instance": "/mydhlapi" }),
    )
}

fn bad(detail: &str) -> SimResponse {
    problem(400, "Bad request", detail)
}

fn unauthorized() -> SimResponse {
    problem(401, "Unauthorized", "Invalid Credentials")
}

fn not_found(detail: &str) -> SimResponse {
    problem(404, "Not Found", detail)
}

/// An amount in minor units as the JSON number DHL writes (two decimals).
fn major(minor: i64) -> Value {
    json!(minor as f64 / 100.0)
}

/// MyDHL's date-time, `2026-12-06T14:00:00 GMT+05:30`.
fn read_planned(text: &str) -> Option<DateTime<Utc>> {
    let (wall, offset) = text.trim().split_once(" GMT")?;
    UTC.parse(&format!("{wall}{offset}"))
}

fn account_number(body: &Value) -> Option<String> {
    list(body, "accounts")?
        .iter()
        .find(|a| text(a, "typeCode").as_deref() == Some("shipper"))
        .and_then(|a| text(a, "number"))
}

/// Whether a (valid) account number is an import account, by the sandbox's convention.
fn is_import_account(number: &str) -> bool {
    number.starts_with("96")
}

fn valid_account(number: Option<&str>) -> Result<String, SimResponse> {
    match number {
        Some(n) if n.len() == 9 && n.bytes().all(|b| b.is_ascii_digit()) => Ok(n.to_string()),
        _ => Err(bad(
            "The account number is not found or invalid. Please check the account number and retry.",
        )),
    }
}

/// The party's address as the label prints it.
fn address_of(party: &Value) -> Result<Address, SimResponse> {
    let postal = &party["postalAddress"];
    let contact = &party["contactInformation"];
    let field = |object: &Value, key: &str, path: &str| {
        text(object, key).ok_or_else(|| bad(&format!("{path}.{key} is required")))
    };
    let country = field(postal, "countryCode", "postalAddress")?;
    let postal_code = field(postal, "postalCode", "postalAddress")?;
    let phone = field(contact, "phone", "contactInformation")?;
    Ok(Address {
        name: field(contact, "fullName", "contactInformation")?,
        phone: Phone::parse(&phone, &country)
            .or_else(|_| Phone::parse("0000000", "XX"))
            .map_err(|e| bad(&e))?,
        email: text(contact, "email"),
        line1: field(postal, "addressLine1", "postalAddress")?,
        line2: text(postal, "addressLine2"),
        landmark: text(postal, "addressLine3"),
        city: field(postal, "cityName", "postalAddress")?,
        state: text(postal, "provinceCode"),
        postal_code: PostalCode::parse(&postal_code, &country).map_err(|e| bad(&e))?,
        country,
    })
}

/// A service area: three letters of the city, the place as DHL names it, its zone.
fn area(address: &Address) -> (String, String, Zone) {
    let code: String = address
        .city
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(3)
        .collect::<String>()
        .to_ascii_uppercase();
    let place = format!(
        "{} - {}",
        address.city.to_ascii_uppercase(),
        address.country
    );
    (code, place, zone_of(address))
}

/// Chargeable grams of DHL's packages: the larger of actual and volumetric weight.
fn chargeable_g(packages: &[Value]) -> Option<f64> {
    let mut total = 0.0;
    for p in packages {
        let kg = number(p, "weight").filter(|w| *w > 0.0)?;
        let d = &p["dimensions"];
        let volume = ["length", "width", "height"]
            .iter()
            .map(|k| number(d, k).unwrap_or(0.0))
            .product::<f64>();
        total += kg.max(volume / VOLUMETRIC) * 1000.0;
    }
    Some(total)
}

/// A one-page PDF of `lines` in Helvetica: the sandbox's commercial invoice and ePOD.
pub fn text_pdf(lines: &[String]) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 10.into()]),
        Operation::new("TL", vec![14.into()]),
        Operation::new("Td", vec![50.into(), 790.into()]),
    ];
    for line in lines {
        let ascii: String = line
            .chars()
            .map(|c| if c.is_ascii() { c } else { '?' })
            .collect();
        ops.push(Operation::new("Tj", vec![Object::string_literal(ascii)]));
        ops.push(Operation::new("T*", vec![]));
    }
    ops.push(Operation::new("ET", vec![]));
    let content = Content { operations: ops }.encode().unwrap_or_default();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    // Writing to memory does not fail.
    let _ = doc.save_to(&mut out);
    out
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The invoice DHL prints from the export declaration.
fn invoice(awb: &str, body: &Value, shipper: &Address, receiver: &Address) -> Vec<u8> {
    let content = &body["content"];
    let declaration = &content["exportDeclaration"];
    let currency = text(content, "declaredValueCurrency").unwrap_or_default();
    let mut lines = vec![
        "COMMERCIAL INVOICE".to_string(),
        format!("Waybill: {awb}"),
        format!(
            "Invoice: {} of {}",
            text(&declaration["invoice"], "number").unwrap_or_default(),
            text(&declaration["invoice"], "date").unwrap_or_default()
        ),
        format!(
            "Shipper: {}, {}, {}",
            shipper.name, shipper.city, shipper.country
        ),
        format!(
            "Receiver: {}, {}, {}",
            receiver.name, receiver.city, receiver.country
        ),
        format!(
            "Incoterm: {}   Reason for export: {}",
            text(content, "incoterm").unwrap_or_default(),
            text(declaration, "exportReason").unwrap_or_default()
        ),
    ];
    if let Some(account) = account_number(body).filter(|a| is_import_account(a)) {
        lines.push(format!(
            "Import: billed to the receiver, account {account}; declared as {}",
            text(declaration, "exportReasonType").unwrap_or_default()
        ));
    }
    for item in list(declaration, "lineItems").into_iter().flatten() {
        let hs = item["commodityCodes"][0]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        lines.push(format!(
            "{}. {} x {}  HS {}  origin {}  {} {} each",
            text(item, "number").unwrap_or_default(),
            text(&item["quantity"], "value").unwrap_or_default(),
            text(item, "description").unwrap_or_default(),
            hs,
            text(item, "manufacturerCountry").unwrap_or_default(),
            text(item, "price").unwrap_or_default(),
            currency,
        ));
    }
    lines.push(format!(
        "Total declared value: {} {currency}",
        text(content, "declaredValue").unwrap_or_default()
    ));
    text_pdf(&lines)
}

impl Booking {
    /// The labels of every piece in `format`, as MyDHL's documents.
    fn labels(&self, format: LabelFormat) -> Vec<Value> {
        let image = match format {
            LabelFormat::Pdf => "PDF",
            LabelFormat::Zpl => "ZPL",
        };
        let count = self.pieces.len();
        self.pieces
            .iter()
            .enumerate()
            .map(|(i, piece)| {
                let mut data = self.label.clone();
                data.order_ref = format!("Piece {}/{count} {piece}", i + 1);
                json!({
                    "imageFormat": image,
                    "content": b64(&render(&data, format)),
                    "typeCode": "label",
                    "packageReferenceNumber": i + 1,
                })
            })
            .collect()
    }

    fn delivered(&self) -> bool {
        self.trip.reached(Mark::Delivered)
    }

    /// MyDHL's tracking entry: the checkpoints revealed, newest first.
    fn tracking(&self) -> Value {
        let events: Vec<Value> = self
            .trip
            .scans()
            .iter()
            .rev()
            .map(|scan| {
                let (code, place, zone) = match scan.step.place {
                    Origin => &self.areas[0],
                    Hub => &self.areas[1],
                    Dest => &self.areas[2],
                };
                let (type_code, description) = scan.step.code;
                json!({
                    "date": zone.format(scan.time, "%Y-%m-%d"),
                    "time": zone.format(scan.time, "%H:%M:%S"),
                    "GMTOffset": zone.format(scan.time, "%:z"),
                    "typeCode": type_code,
                    "description": format!("{description} - {place}"),
                    "serviceArea": [{ "code": code, "description": place }],
                })
            })
            .collect();
        let status = match self.trip.last() {
            None => "pre-transit",
            Some(_) if self.delivered() => "delivered",
            Some(_) => "transit",
        };
        json!({
            "shipmentTrackingNumber": self.awb,
            "status": status,
            "shipmentTimestamp": self.booked.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "productCode": self.product,
            "description": self.label.service,
            "events": events,
        })
    }
}

impl Sandbox<MyDhl> {
    /// The Basic pair of a registered account, counted; MyDHL's 401 otherwise.
    fn admit_basic(&self, req: &SimRequest) -> Result<(), SimResponse> {
        let header = req.header("authorization").unwrap_or_default().trim();
        let pair = header
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
            .and_then(|(_, token)| {
                base64::engine::general_purpose::STANDARD
                    .decode(token.trim())
                    .ok()
            })
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(unauthorized)?;
        let (key, secret) = pair.split_once(':').ok_or_else(unauthorized)?;
        let mut books = self.books();
        let account = books
            .accounts
            .holding(&[("api_key", key), ("api_secret", secret)])
            .map(str::to_string)
            .ok_or_else(unauthorized)?;
        books.accounts.count(&account);
        Ok(())
    }

    fn rates(&self, req: &SimRequest) -> Answer {
        self.admit_basic(req)?;
        let body = req.json();
        valid_account(account_number(&body).as_deref())?;
        let details = &body["customerDetails"];
        let from = text(&details["shipperDetails"], "countryCode");
        let to = text(&details["receiverDetails"], "countryCode");
        let (Some(from), Some(to)) = (from, to) else {
            return Err(bad(
                "customerDetails.shipperDetails and receiverDetails need a countryCode",
            ));
        };
        let planned = text(&body, "plannedShippingDateAndTime").and_then(|t| read_planned(&t));
        let planned = planned.ok_or_else(|| {
            bad("plannedShippingDateAndTime must be YYYY-MM-DDTHH:MM:SS GMT+HH:MM")
        })?;
        let packages = list(&body, "packages").ok_or_else(|| bad("packages is required"))?;
        let grams =
            chargeable_g(packages).ok_or_else(|| bad("every package needs a weight above 0"))?;
        require(from != to, || {
            not_found("Product(s) not available based on your search criteria")
        })?;
        let (currency, pricing) = billing(&from, &self.pricing);
        let products: Vec<Value> = PRODUCTS
            .iter()
            .filter_map(|(code, name, days, time)| {
                let charges = pricing.charges(("0", "0"), grams, code, None)?;
                let total = charges.freight + charges.fuel;
                let due = (planned + Duration::days(*days)).date_naive();
                Some(json!({
                    "productName": name,
                    "productCode": code,
                    "localProductCode": code,
                    "localProductCountryCode": from,
                    "networkTypeCode": "TD",
                    "isCustomerAgreement": false,
                    "weight": { "volumetric": grams / 1000.0, "provided": grams / 1000.0, "unitOfMeasurement": "metric" },
                    "totalPrice": [{ "currencyType": "BILLC", "priceCurrency": currency, "price": major(total) }],
                    "totalPriceBreakdown": [{
                        "currencyType": "BILLC",
                        "priceCurrency": currency,
                        "priceBreakdown": [
                            { "typeCode": "SPRQT", "price": major(charges.freight) },
                            { "typeCode": "STSCH", "price": major(charges.fuel) },
                        ],
                    }],
                    "detailedPriceBreakdown": [{
                        "currencyType": "BILLC",
                        "priceCurrency": currency,
                        "breakdown": [
                            { "name": name, "price": major(charges.freight), "priceCurrency": currency },
                            { "name": "FUEL SURCHARGE", "serviceCode": "FF", "localServiceCode": "FF", "typeCode": "FF", "serviceTypeCode": "SCH", "price": major(charges.fuel), "priceCurrency": currency },
                        ],
                    }],
                    "deliveryCapabilities": {
                        "deliveryTypeCode": "QDDC",
                        "estimatedDeliveryDateAndTime": format!("{due}T{time}"),
                        "destinationServiceAreaCode": "",
                        "totalTransitDays": days,
                    },
                }))
            })
            .collect();
        reply(json!({ "products": products, "exchangeRates": [], "warnings": [] }))
    }

    fn create(&self, req: &SimRequest) -> Answer {
        self.admit_basic(req)?;
        let body = req.json();
        let account = valid_account(account_number(&body).as_deref())?;
        let product = text(&body, "productCode").ok_or_else(|| bad("productCode is required"))?;
        let Some(&(_, name, _, _)) = PRODUCTS.iter().find(|(code, ..)| *code == product) else {
            return Err(bad(&format!(
                "product {product} is not available for this shipper account"
            )));
        };
        text(&body, "plannedShippingDateAndTime")
            .and_then(|t| read_planned(&t))
            .ok_or_else(|| {
                bad("plannedShippingDateAndTime must be YYYY-MM-DDTHH:MM:SS GMT+HH:MM")
            })?;
        let details = &body["customerDetails"];
        let shipper = address_of(&details["shipperDetails"])?;
        let receiver = address_of(&details["receiverDetails"])?;
        require(shipper.country != receiver.country, || {
            bad(&format!(
                "product {product} is not available for this route"
            ))
        })?;
        let content = &body["content"];
        let packages =
            list(content, "packages").ok_or_else(|| bad("content.packages is required"))?;
        let grams =
            chargeable_g(packages).ok_or_else(|| bad("every package needs a weight above 0"))?;
        require(content["isCustomsDeclarable"] == json!(true), || {
            bad("content.isCustomsDeclarable must be true for a dutiable shipment")
        })?;
        let lines = list(&content["exportDeclaration"], "lineItems").ok_or_else(|| {
            bad("content.exportDeclaration.lineItems is required for a dutiable shipment")
        })?;
        for line in lines {
            let complete = number(line, "price").is_some()
                && number(&line["quantity"], "value").is_some_and(|q| q > 0.0)
                && line["commodityCodes"][0]["value"]
                    .as_str()
                    .is_some_and(|c| !c.trim().is_empty())
                && text(line, "manufacturerCountry").is_some();
            require(complete, || {
                bad("every lineItem needs price, quantity, commodityCodes and manufacturerCountry")
            })?;
        }
        let declared_return =
            text(&content["exportDeclaration"], "exportReasonType").as_deref() == Some("return");
        require(!declared_return || is_import_account(&account), || {
            bad(&format!(
                "account {account} is not an import account: a return from abroad is an import, billed to the receiver's DHL import account"
            ))
        })?;
        for key in ["declaredValue", "declaredValueCurrency", "incoterm"] {
            require(text(content, key).is_some(), || {
                bad(&format!("content.{key} is required"))
            })?;
        }
        let format = match text(&body["outputImageProperties"], "encodingFormat").as_deref() {
            None | Some("pdf") => LabelFormat::Pdf,
            Some("zpl") => LabelFormat::Zpl,
            Some(other) => return Err(bad(&format!("encodingFormat {other} is not supported"))),
        };
        let reference = list(&body, "customerReferences")
            .and_then(|refs| refs.iter().find_map(|r| text(r, "value")));
        let now = Utc::now();
        let mut books = self.books();
        let awb = books.numbers.awb.issue_fixed(10);
        let pieces: Vec<String> = packages
            .iter()
            .map(|_| format!("JD01{}", books.numbers.piece.issue_fixed(16)))
            .collect();
        let label = LabelData {
            carrier_name: "DHL Express".into(),
            service: name.into(),
            awb: awb.clone(),
            order_ref: String::new(),
            from: shipper.clone(),
            to: receiver.clone(),
            weight_g: grams.ceil() as u32,
            payment: Payment::Prepaid,
            routing_code: Some(area(&receiver).0),
            description: text(content, "description"),
            created: now.date_naive(),
        };
        let areas = [
            area(&shipper),
            (
                HUB.0.into(),
                HUB.1.into(),
                Zone::Named(chrono_tz::Europe::Berlin),
            ),
            area(&receiver),
        ];
        let places = Places::new(&areas[0].1, &areas[1].1, &areas[2].1);
        let booking = Booking {
            awb: awb.clone(),
            reference,
            account,
            product: product.clone(),
            pieces,
            booked: now,
            invoice: Some(invoice(&awb, &body, &shipper, &receiver)),
            trip: JOURNEY.trip(receiver.postal_code.as_str(), places),
            areas,
            label,
        };
        let mut documents = booking.labels(format);
        if let Some(pdf) = &booking.invoice {
            documents
                .push(json!({ "imageFormat": "PDF", "content": b64(pdf), "typeCode": "invoice" }));
        }
        let packages_out: Vec<Value> = booking
            .pieces
            .iter()
            .enumerate()
            .map(|(i, piece)| json!({ "referenceNumber": i + 1, "trackingNumber": piece }))
            .collect();
        let destination = booking.areas[2].0.clone();
        let answer = json!({
            "shipmentTrackingNumber": awb,
            "trackingUrl": format!("{}/shipments/{awb}/tracking", req.base_url.trim_end_matches('/')),
            "packages": packages_out,
            "documents": documents,
            "shipmentDetails": [{
                "serviceHandlingFeatureCodes": [],
                "originServiceArea": { "serviceAreaCode": booking.areas[0].0, "facilityCode": booking.areas[0].0 },
                "destinationServiceArea": { "serviceAreaCode": destination, "facilityCode": destination },
                "packagesCount": booking.pieces.len(),
            }],
            "warnings": [],
        });
        let slot = books
            .store
            .vacant(&awb)
            .map_err(|_| problem(500, "Internal Server Error", "waybill reused"))?;
        slot.insert(booking, [(Key::Awb, awb.clone())]);
        books.store.count_booking();
        reply(answer)
    }

    /// Below `/shipments/{awb}/`: `tracking`, `get-image`, `proof-of-delivery`.
    fn shipment_get(&self, req: &SimRequest) -> Answer {
        self.admit_basic(req)?;
        let path = req.route().1.trim_start_matches("/shipments/");
        let (awb, action) = path.split_once('/').unwrap_or((path, ""));
        match action {
            "tracking" => {
                let found = self.track_each([(Key::Awb, awb)], Booking::tracking);
                require(!found.is_empty(), || {
                    not_found("No shipments found for the given tracking number")
                })?;
                reply(json!({ "shipments": found }))
            }
            "get-image" => self.image(req, awb),
            "proof-of-delivery" => self.pod(req, awb),
            _ => Err(MyDhl::unknown_path()),
        }
    }

    fn image(&self, req: &SimRequest, awb: &str) -> Answer {
        let books = self.books();
        let booking = books
            .store
            .by(Key::Awb, awb)
            .filter(|b| b.account == req.query_text("shipperAccountNumber"))
            .filter(|b| {
                b.booked.format("%Y-%m").to_string() == req.query_text("pickupYearAndMonth")
            })
            .ok_or_else(|| not_found("No image found for the given shipment and account"))?;
        let documents = match (req.query_text("typeCode"), req.query_text("encodingFormat")) {
            ("label", "pdf" | "") => booking.labels(LabelFormat::Pdf),
            ("label", "zpl") => booking.labels(LabelFormat::Zpl),
            ("invoice", "pdf" | "") => booking
                .invoice
                .iter()
                .map(|pdf| json!({ "typeCode": "invoice", "imageFormat": "PDF", "content": b64(pdf) }))
                .collect(),
            (kind, encoding) => return Err(bad(&format!("typeCode {kind} in {encoding} is not available"))),
        };
        require(!documents.is_empty(), || {
            not_found("No image found for the given shipment and account")
        })?;
        reply(json!({ "documents": documents }))
    }

    fn pod(&self, req: &SimRequest, awb: &str) -> Answer {
        let books = self.books();
        let booking = books
            .store
            .by(Key::Awb, awb)
            .filter(|b| b.account == req.query_text("shipperAccountNumber"))
            .ok_or_else(|| not_found("No shipments found for the given tracking number"))?;
        require(booking.delivered(), || {
            not_found("Proof of delivery is not available for this shipment yet")
        })?;
        let delivered = booking
            .trip
            .first(Mark::Delivered)
            .map(|s| s.time)
            .unwrap_or_default();
        let pdf = text_pdf(&[
            "PROOF OF DELIVERY".into(),
            format!("Waybill: {awb}"),
            format!("Delivered: {} UTC", delivered.format("%Y-%m-%d %H:%M")),
            format!("To: {}, {}", booking.label.to.name, booking.label.to.city),
        ]);
        reply(
            json!({ "documents": [{ "typeCode": "POD", "encodingFormat": "PDF", "content": b64(&pdf) }] }),
        )
    }

    fn tracking(&self, req: &SimRequest) -> Answer {
        self.admit_basic(req)?;
        let mut awbs: Vec<String> = req
            .query_list("shipmentTrackingNumber")
            .map(str::to_string)
            .collect();
        let reference = req.query_text("shipmentReference");
        if !reference.is_empty() {
            let account = req.query_text("shipperAccountNumber");
            require(!account.is_empty(), || {
                bad("shipperAccountNumber is required when tracking by shipmentReference")
            })?;
            let day = |key| req.query_text(key).parse::<NaiveDate>().ok();
            let (Some(from), Some(to)) = (day("dateRangeFrom"), day("dateRangeTo")) else {
                return Err(bad(
                    "When tracking by Shipment reference you need to restrict the search by timeframe",
                ));
            };
            let books = self.books();
            awbs.extend(
                books
                    .store
                    .newest_first()
                    .filter(|b| b.reference.as_deref() == Some(reference) && b.account == account)
                    .filter(|b| (from..=to).contains(&b.booked.date_naive()))
                    .map(|b| b.awb.clone()),
            );
        }
        require(!awbs.is_empty() || !reference.is_empty(), || {
            bad("shipmentTrackingNumber or shipmentReference is required")
        })?;
        let found = self.track_each(
            awbs.iter().map(|a| (Key::Awb, a.as_str())),
            Booking::tracking,
        );
        require(!found.is_empty(), || {
            not_found("No shipments found for the given criteria")
        })?;
        reply(json!({ "shipments": found }))
    }

    fn pickup(&self, req: &SimRequest) -> Answer {
        self.admit_basic(req)?;
        let body = req.json();
        valid_account(account_number(&body).as_deref())?;
        let planned = text(&body, "plannedPickupDateAndTime").unwrap_or_default();
        let at = read_planned(&planned)
            .ok_or_else(|| bad("plannedPickupDateAndTime must be YYYY-MM-DDTHH:MM:SS GMT+HH:MM"))?;
        require(
            at.date_naive() + Duration::days(1) >= Utc::now().date_naive(),
            || bad("plannedPickupDateAndTime is in the past"),
        )?;
        let shipper = address_of(&body["customerDetails"]["shipperDetails"])?;
        require(list(&body, "shipmentDetails").is_some(), || {
            bad("shipmentDetails is required")
        })?;
        let date = planned.get(..10).unwrap_or_default().to_string();
        let ready = planned.get(11..16).unwrap_or("10:00").to_string();
        let mut books = self.books();
        let today = Utc::now();
        let number = format!(
            "{}{:02}{:02}{:02}{}",
            area(&shipper).0,
            today.year() % 100,
            today.month(),
            today.day(),
            books.numbers.pickup.issue_fixed(6)
        );
        let pickups = &mut books.numbers.pickups;
        pickups.push_back((number.clone(), false));
        while pickups.len() > KEPT_PICKUPS {
            pickups.pop_front();
        }
        reply(json!({
            "dispatchConfirmationNumbers": [number],
            "readyByTime": ready,
            "nextPickupDate": date,
            "warnings": [],
        }))
    }

    fn pickup_update(&self, req: &SimRequest) -> Answer {
        self.admit_basic(req)?;
        let number = req.route().1.trim_start_matches("/pickups/").to_string();
        let body = req.json();
        require(
            text(&body, "dispatchConfirmationNumber").as_deref() == Some(number.as_str()),
            || bad("dispatchConfirmationNumber must be the pickup's in the path"),
        )?;
        valid_account(text(&body, "originalShipperAccountNumber").as_deref())?;
        let planned = text(&body, "plannedPickupDateAndTime").unwrap_or_default();
        let at = read_planned(&planned)
            .ok_or_else(|| bad("plannedPickupDateAndTime must be YYYY-MM-DDTHH:MM:SS GMT+HH:MM"))?;
        let today = Utc::now().date_naive();
        require(at.date_naive() + Duration::days(1) >= today, || {
            bad("plannedPickupDateAndTime is in the past")
        })?;
        require(at.date_naive() <= today + Duration::days(10), || {
            bad("plannedPickupDateAndTime is more than 10 days ahead")
        })?;
        address_of(&body["customerDetails"]["shipperDetails"])?;
        let books = self.books();
        require(
            books
                .numbers
                .pickups
                .iter()
                .any(|(n, cancelled)| *n == number && !*cancelled),
            || not_found("No pickup found for the given dispatch confirmation number"),
        )?;
        reply(json!({
            "dispatchConfirmationNumber": number,
            "readyByTime": planned.get(11..16).unwrap_or("10:00"),
            "nextPickupDate": planned.get(..10).unwrap_or_default(),
            "warnings": [],
        }))
    }

    fn pickup_cancel(&self, req: &SimRequest) -> Answer {
        self.admit_basic(req)?;
        let number = req.route().1.trim_start_matches("/pickups/").to_string();
        require(
            !req.query_text("requestorName").is_empty() && !req.query_text("reason").is_empty(),
            || bad("requestorName and reason are required"),
        )?;
        let mut books = self.books();
        let entry = books
            .numbers
            .pickups
            .iter_mut()
            .find(|(n, cancelled)| *n == number && !*cancelled)
            .ok_or_else(|| {
                not_found("No pickup found for the given dispatch confirmation number")
            })?;
        entry.1 = true;
        reply(json!({ "dispatchConfirmationNumber": number, "status": "cancelled" }))
    }

    fn address(&self, req: &SimRequest) -> Answer {
        self.admit_basic(req)?;
        let kind = req.query_text("type");
        require(kind == "pickup" || kind == "delivery", || {
            bad("type must be pickup or delivery")
        })?;
        let country = req.query_text("countryCode");
        require(country.len() == 2, || bad("countryCode is required"))?;
        let postal = req.query_text("postalCode");
        let city = req.query_text("cityName");
        let unserved = !postal.is_empty() && postal.bytes().all(|b| b == b'0');
        let unnamed = postal.is_empty() && city.is_empty();
        require(!(unserved || unnamed), || {
            not_found("No address found for the given criteria")
        })?;
        let code: String = city
            .chars()
            .filter(char::is_ascii_alphabetic)
            .take(3)
            .collect();
        let mut found = json!({
            "countryCode": country,
            "postalCode": postal,
            "cityName": city.to_ascii_uppercase(),
            "serviceArea": {
                "code": code.to_ascii_uppercase(),
                "description": format!("{} - {country}", city.to_ascii_uppercase()),
            },
        });
        if let Some(county) = req.query_value("countyName") {
            found["countyName"] = json!(county);
        }
        reply(json!({ "warnings": [], "address": [found] }))
    }
}

/// Today in India, for tests that book pickups.
pub fn india_today() -> NaiveDate {
    IST.wall(Utc::now()).date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulator::Simulator;

    fn auth() -> (String, String) {
        let token = b64(format!("{SANDBOX_API_KEY}:{SANDBOX_API_SECRET}").as_bytes());
        ("Authorization".into(), format!("Basic {token}"))
    }

    #[test]
    fn refuses_a_wrong_pair_and_counts_the_right_one() {
        let sim = DhlExpressSimulator::new();
        let wrong = (
            "Authorization".to_string(),
            format!("Basic {}", b64(b"a:b")),
        );
        let req = SimRequest::new(
            "GET",
            "/address-validate?type=delivery&countryCode=US&postalCode=10001",
            [wrong],
            vec![],
            "",
        );
        assert_eq!(sim.handle(&req).status, 401);
        let req = SimRequest::new(
            "GET",
            "/address-validate?type=delivery&countryCode=US&postalCode=10001&cityName=New York",
            [auth()],
            vec![],
            "",
        );
        let answer = sim.handle(&req);
        assert_eq!(
            answer.status,
            200,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
        let counts = sim.handle(&SimRequest::new("GET", "/_accounts", [], vec![], ""));
        let counts: Value = serde_json::from_slice(&counts.body).unwrap();
        assert_eq!(counts["accounts"][0]["requests"], 1);
    }

    #[test]
    fn invoices_are_readable_pdfs() {
        let pdf = text_pdf(&["COMMERCIAL INVOICE".into(), "Waybill: 1234567890".into()]);
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert!(doc.extract_text(&[1]).unwrap().contains("1234567890"));
    }
}
