//! Ecom Express' client API in-process, for sandbox mode and tests: its paths and wire
//! format on the simulator kit ([`crate::simulator`]), both hosts' paths under one root.
//!
//! Quirks played as Ecom plays them, so the adapter's parsers run for real: credentials
//! as form fields on every call (HTTP 401 "Unauthorised Request" when they are wrong),
//! documents as JSON text in the form field `json_input`, refusals inside HTTP 200
//! (`"success": "no"`, or per-AWB lines with `success`/`status` false and Ecom's reason
//! words), tracking in XML with zone-less IST times (`02 May, 2022, 10:48`), and the
//! forward codes repeated on the way back after an RTS (777).
//!
//! Sandbox rules (deterministic, apart from numbers and scan times):
//! - credentials [`SANDBOX_USERNAME`] / [`SANDBOX_PASSWORD`] (account `default`); more
//!   accounts through `POST /_accounts`, each account's requests counted;
//! - AWB series of [`SERIES_LENGTH`] numbers, 10 digits, the first naming the type (`1`
//!   PPD, `2` COD, `3` REV): a manifest whose AWB is of another type or never issued is
//!   `INCORRECT_AWB_NUMBER`, one already manifested `AIRWAYBILL_IN_USE`;
//! - pincodes: [`UNSERVICEABLE_PIN`] is not listed, [`INACTIVE_PIN`] is listed inactive,
//!   pincodes starting [`PREPAID_ONLY_PREFIX`] take no COD and no reverse pickups;
//! - each track call reveals one more scan, with the kit's detours on destination
//!   pincodes (`…99` one failed attempt 219, `…98` two refusals 210 then RTS, `…97` lost
//!   333, `…96` misrouted 20701);
//! - `cancel_awb` before pickup stops the journey; after pickup it is refused;
//! - `ndr_resolutions` takes `RAD` (with a `scheduled_delivery_date` after today) or
//!   `RTO` only while the latest scan shown is a failed attempt not yet instructed;
//! - a reverse pickup plays the return's own journey, collected at the buyer's;
//! - the label service (`GET /services/expp/shipping_label`, credentials and
//!   `awb_numbers` in the query) answers the PDF of the first AWB named, drawn with
//!   `crate::label::render_pdf` from the manifest (the simulator is the carrier), or
//!   `"success": "no"` inside HTTP 200 for an AWB it holds no manifest for.
//!
//! Answer words for situations no source shows (the reverse manifest's refusals, an NDR
//! refused for a parcel not awaiting one) are our own, in Ecom's shapes.

use std::fmt::Write as _;

use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};

use crate::carrier::Settings;
use crate::kit::time::IST;
use crate::label::{LabelData, render_pdf};
use crate::schema::{Address, Currency, Money, Payment, Phone, PostalCode};
use crate::simulator::ids::Counter;
use crate::simulator::journey::{
    Instruction, Journey, Mark, Place, Places, Scan, Step, Trip, step,
};
use crate::simulator::pricing::Pricing;
use crate::simulator::rules::{self, Pins, Serviceability, is_pincode};
use crate::simulator::sandbox::{Reveal, Route, Sandbox, Wire, reply};
use crate::simulator::store::Key;
use crate::simulator::tokens::{Gate, Refused};
use crate::simulator::values::text;
use crate::simulator::{Answer, SimRequest, SimResponse};

pub const SANDBOX_USERNAME: &str = "shipgate-sandbox";
pub const SANDBOX_PASSWORD: &str = "shipgate-sandbox-ecomexpress-password";
pub const SANDBOX_PICKUP_LOCATION: &str = "SBXWH01";
/// A pincode Ecom does not list.
pub const UNSERVICEABLE_PIN: &str = "999999";
/// A pincode Ecom lists inactive.
pub const INACTIVE_PIN: &str = "194101";
/// Pincodes served prepaid only (no COD, no reverse pickups).
pub const PREPAID_ONLY_PREFIX: &str = "79";
/// How many AWBs one `fetch_awb` call hands out, whatever count was asked (small, so
/// tests see the pool refill).
pub const SERIES_LENGTH: usize = 5;

pub fn sandbox_settings() -> Settings {
    let pairs = [
        ("username", SANDBOX_USERNAME),
        ("password", SANDBOX_PASSWORD),
        ("pickup_location_code", SANDBOX_PICKUP_LOCATION),
        ("hosts", "base"),
    ];
    pairs.map(|(k, v)| (k.to_string(), v.to_string())).into()
}

pub struct EcomExpressWire;
pub type EcomExpressSimulator = Sandbox<EcomExpressWire>;
type S = EcomExpressSimulator;

/// A scan as Ecom writes it: reason code number, its words, the scan's status text.
type Code = (&'static str, &'static str, &'static str);

use Place::{Destination as Dest, Origin, Transit};

const OFD: Step<Code> = step(
    ("006", "Out for delivery", "Shipment out for delivery"),
    Dest,
);
const DLVD: Step<Code> =
    step(("999", "Delivered", "Shipment delivered"), Dest).marked(Mark::Delivered);
const INSCAN: Step<Code> = step(("004", "Shipment in-scan", "Shipment in-scan"), Transit);
#[rustfmt::skip]
const RTO: [Step<Code>; 5] = [
    step(("777", "RTS - Return To Shipper", "Shipment marked for return"), Dest).marked(Mark::Returning),
    step(("003", "Bag scanned", "Bag scanned at DC"), Transit).marked(Mark::Returning),
    step(("005", "Shipment in-scan at DC", "Shipment in-scan at DC"), Origin).marked(Mark::Returning),
    step(("006", "Out for delivery", "Shipment out for delivery to shipper"), Origin).marked(Mark::Returning),
    step(("999", "Delivered", "Shipment delivered to shipper"), Origin).marked(Mark::Returning),
];
#[rustfmt::skip]
const ATTEMPT: [Step<Code>; 2] = [step(("219", "Consignee not available", "Undelivered"), Dest).marked(Mark::Undelivered), OFD];
#[rustfmt::skip]
const REFUSED: [Step<Code>; 2] = [step(("210", "Shipment attempted - Customer refused to accept", "Undelivered"), Dest).marked(Mark::Undelivered), OFD];

#[rustfmt::skip]
static JOURNEY: Journey<Code> = Journey {
    forward: &[
        step(("001", "Soft data uploaded", "Shipment uploaded"), Origin),
        step(("0011", "Shipment picked up", "Shipment picked up"), Origin).marked(Mark::PickedUp),
        step(("002", "Shipment in-scan", "Shipment in-scan"), Origin),
        step(("003", "Bag scanned", "Bag scanned at origin"), Origin),
        INSCAN,
        step(("005", "Shipment in-scan at DC", "Shipment in-scan at DC"), Dest),
        OFD,
        DLVD,
    ],
    // Ecom's scan for a shipment cancelled before pickup is in no source read: the
    // sandbox shows none, and the journey stops.
    cancelled: &[],
    returned: &RTO,
    redelivered: &[OFD, DLVD],
    rto: &RTO,
    detours: rules::rule_detours! {
        attempt: &ATTEMPT,
        refused: &REFUSED,
        rto: &RTO,
        lost: &[step(("333", "Shipment lost", "Shipment lost"), Transit).marked(Mark::Lost)],
        misrouted: &[step(("20701", "Misroute due to wrong pincode given by customer", "Misrouted"), Transit), INSCAN],
    },
    time_digits: 0,
};

#[rustfmt::skip]
static REVERSE_JOURNEY: Journey<Code> = Journey::one_way(
    &[
        step(("001", "Soft data uploaded", "Reverse pickup uploaded"), Origin),
        step(("0011", "Shipment picked up", "Reverse shipment picked up"), Origin).marked(Mark::PickedUp),
        INSCAN,
        step(("005", "Shipment in-scan at DC", "Shipment in-scan at DC"), Dest),
        OFD,
        DLVD,
    ],
    &[OFD, DLVD],
);

pub struct Shipment {
    awb: String,
    order: String,
    trip: Trip<Code>,
    /// What the label service prints; `None` when the manifest's parties do not make
    /// addresses (the label call then says so).
    label: Option<LabelData>,
}

/// A party of a manifest as an address, `None` when its phone or pincode is unusable.
fn party(
    s: &Value,
    name: &str,
    lines: [&str; 2],
    city: &str,
    pin: &str,
    mobile: &str,
) -> Option<Address> {
    let f = |key: &str| text(s, key).unwrap_or_default();
    Some(Address {
        name: f(name),
        phone: Phone::parse(&f(mobile), "IN").ok()?,
        email: None,
        line1: f(lines[0]),
        line2: Some(f(lines[1])).filter(|l| !l.is_empty()),
        landmark: None,
        city: Some(f(city))
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| "Sandbox".into()),
        state: None,
        postal_code: PostalCode::parse(&f(pin), "IN").ok()?,
        country: "IN".into(),
    })
}

/// The type's first digit (see the module docs).
fn prefix(kind: &str) -> Option<char> {
    match kind.trim().to_ascii_uppercase().as_str() {
        "PPD" => Some('1'),
        "COD" => Some('2'),
        "REV" => Some('3'),
        _ => None,
    }
}

pub struct Numbers {
    awbs: Counter,
    series: Counter,
}

impl Numbers {
    fn issued(&self, awb: &str, lot: char) -> bool {
        let Some(number) = awb.strip_prefix(lot).and_then(|n| n.parse::<u64>().ok()) else {
            return false;
        };
        awb.len() == 10 && number <= self.awbs.current() % 1_000_000_000
    }
}

impl Wire for EcomExpressWire {
    /// Admission is by form fields ([`EcomExpressSimulator::admit_form`]); the kit's gate
    /// is never asked (every route is open to it).
    const GATE: Gate = Gate::fixed("Token", "username");
    const ACCOUNT: &'static [(&'static str, &'static str)] = &[
        ("username", SANDBOX_USERNAME),
        ("password", SANDBOX_PASSWORD),
    ];
    const REVEAL: Reveal = Reveal::Before;
    type Record = Shipment;
    type Code = Code;
    type Numbers = Numbers;
    #[rustfmt::skip]
    const ROUTES: &'static [Route<Self>] = &[
        Route::post("/apiv2/fetch_awb",           S::fetch_awb).open(),
        Route::post("/apiv2/manifest_awb",        S::manifest).open(),
        Route::post("/apiv2/manifest_awb_rev_v2", S::reverse).open(),
        Route::post("/apiv2/pincode",             S::pincode).open(),
        Route::post("/track_me/api/mawbd",        S::track).open(),
        Route::post("/apiv2/cancel_awb",          S::cancel).open(),
        Route::post("/apiv2/ndr_resolutions",     S::ndr).open(),
        Route::get("/services/expp/shipping_label", S::label).open(),
        Route::post("/_accounts",                 S::add_account).open(),
        Route::get("/_accounts",                  S::accounts).open(),
    ];

    fn numbers() -> Numbers {
        Numbers {
            awbs: Counter::from_clock(),
            series: Counter::new(),
        }
    }

    fn trip(shipment: &mut Shipment) -> Option<&mut Trip<Code>> {
        Some(&mut shipment.trip)
    }

    const SERVED: Serviceability = Serviceability {
        unserved: &[
            Pins::Exactly(UNSERVICEABLE_PIN),
            Pins::Exactly(INACTIVE_PIN),
        ],
        prepaid_only: &[Pins::StartingWith(PREPAID_ONLY_PREFIX)],
    };

    /// Ecom has no rate API: the sandbox prices nothing.
    fn pricing() -> Pricing {
        Pricing::new(500, Vec::new(), Vec::new())
    }

    fn refused(_why: Refused) -> SimResponse {
        SimResponse::raw(401, "text/html", "Unauthorised Request")
    }

    fn unknown_path() -> SimResponse {
        SimResponse::raw(404, "text/html", "<h1>Not Found</h1>")
    }
}

fn field(request: &SimRequest, key: &str) -> String {
    request
        .form_value(key)
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// `json_input`, parsed; `Null` when absent or not JSON.
fn json_input(request: &SimRequest) -> Value {
    serde_json::from_str(&field(request, "json_input")).unwrap_or(Value::Null)
}

/// A scan time as Ecom's tracking writes it: IST, no zone. Ecom writes minutes; the
/// sandbox adds the seconds, because its scans are revealed a second apart and a
/// timeline must not rest on ties.
fn ist(scan: &Scan<Code>) -> String {
    IST.format(scan.time, "%d %b, %Y, %H:%M:%S")
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn xml_field(out: &mut String, kind: &str, name: &str, value: &str) {
    let _ = write!(
        out,
        "<field type=\"{kind}\" name=\"{name}\">{}</field>",
        xml_escape(value)
    );
}

impl EcomExpressSimulator {
    /// The account whose `username` and `password` the form carries, counted; else Ecom's
    /// 401.
    fn admit_form(&self, request: &SimRequest) -> Result<String, SimResponse> {
        let given = |key: &str| {
            request
                .form_value(key)
                .or_else(|| request.query_value(key).map(str::to_string))
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        let (user, password) = (given("username"), given("password"));
        let mut books = self.books();
        let account = books
            .accounts
            .holding(&[("username", &user), ("password", &password)])
            .map(str::to_string)
            .ok_or_else(|| EcomExpressWire::refused(Refused::Unknown))?;
        books.accounts.count(&account);
        Ok(account)
    }

    fn fetch_awb(&self, request: &SimRequest) -> Answer {
        self.admit_form(request)?;
        let kind = field(request, "type");
        let Some(lot) = prefix(&kind) else {
            return reply(
                json!({ "success": "no", "error": ["Invalid type. Valid types are PPD, COD, REV"] }),
            );
        };
        let count: usize = field(request, "count").parse().unwrap_or(0);
        if count == 0 {
            return reply(
                json!({ "success": "no", "error": ["count should be a positive number"] }),
            );
        }
        let mut books = self.books();
        let numbers = &mut books.numbers;
        let awbs: Vec<String> = (0..SERIES_LENGTH.min(count))
            .map(|_| format!("{lot}{:09}", numbers.awbs.issue() % 1_000_000_000))
            .collect();
        let reference = numbers.series.issue();
        reply(json!({ "reference_id": reference, "success": "yes", "awb": awbs }))
    }

    /// Books a shipment object (forward or reverse) under its AWB, or says why not.
    fn book(&self, s: &Value, reverse: bool) -> Result<String, String> {
        let f = |key: &str| text(s, key).unwrap_or_default();
        let (awb, order) = (f("AWB_NUMBER"), f("ORDER_NUMBER"));
        if order.is_empty() || order.len() > 50 {
            return Err("ORDER_NUMBER_INVALID".into());
        }
        let product = f("PRODUCT").to_ascii_uppercase();
        let lot = match (reverse, product.as_str()) {
            (true, "REV") => '3',
            (false, "PPD") => '1',
            (false, "COD") => '2',
            _ => return Err("INVALID_PRODUCT_TYPE".into()),
        };
        let (pickup_pin, drop_pin) = match reverse {
            true => (f("REVPICKUP_PINCODE"), f("DROP_PINCODE")),
            false => (f("PICKUP_PINCODE"), f("PINCODE")),
        };
        for pin in [&pickup_pin, &drop_pin] {
            if !(is_pincode(pin) && self.served.serves(pin)) {
                return Err(format!("NON_SERVICEABLE_PINCODE {pin}"));
            }
        }
        let cod = product == "COD";
        if (cod || reverse)
            && !self
                .served
                .serves_cod(if reverse { &pickup_pin } else { &drop_pin })
        {
            return Err("PINCODE_NOT_SERVICEABLE_FOR_PRODUCT".into());
        }
        if cod
            && text(s, "COLLECTABLE_VALUE")
                .and_then(|v| v.parse::<f64>().ok())
                .is_none_or(|v| v <= 0.0)
        {
            return Err("COLLECTABLE_VALUE_INVALID".into());
        }
        let mut books = self.books();
        if books.store.find(Key::Awb, &awb).is_some() {
            return Err("AIRWAYBILL_IN_USE".into());
        }
        if !books.numbers.issued(&awb, lot) {
            return Err("INCORRECT_AWB_NUMBER".into());
        }
        let Ok(slot) = books.store.vacant(&order) else {
            return Err("ORDER_NUMBER_ALREADY_EXISTS".into());
        };
        let city = |key: &str| {
            let c = f(key).to_uppercase();
            if c.is_empty() { "SBX".to_string() } else { c }
        };
        let (from_city, to_city) = match reverse {
            true => (city("REVPICKUP_CITY"), "SELLER".to_string()),
            false => ("ORIGIN".to_string(), city("DESTINATION_CITY")),
        };
        let places = Places::new(
            &format!("{from_city}-HUB"),
            "SBX-TRANSIT",
            &format!("{to_city}-DC"),
        );
        let (from, to) = match reverse {
            true => (
                party(
                    s,
                    "REVPICKUP_NAME",
                    ["REVPICKUP_ADDRESS1", "REVPICKUP_ADDRESS2"],
                    "REVPICKUP_CITY",
                    "REVPICKUP_PINCODE",
                    "REVPICKUP_MOBILE",
                ),
                party(
                    s,
                    "DROP_NAME",
                    ["DROP_ADDRESS_LINE1", "DROP_ADDRESS_LINE2"],
                    "",
                    "DROP_PINCODE",
                    "DROP_MOBILE",
                ),
            ),
            false => (
                party(
                    s,
                    "PICKUP_NAME",
                    ["PICKUP_ADDRESS_LINE1", "PICKUP_ADDRESS_LINE2"],
                    "",
                    "PICKUP_PINCODE",
                    "PICKUP_MOBILE",
                ),
                party(
                    s,
                    "CONSIGNEE",
                    ["CONSIGNEE_ADDRESS1", "CONSIGNEE_ADDRESS2"],
                    "DESTINATION_CITY",
                    "PINCODE",
                    "MOBILE",
                ),
            ),
        };
        let weight_g = text(s, "ACTUAL_WEIGHT")
            .and_then(|w| w.parse::<f64>().ok())
            .map_or(0, |kg| (kg * 1000.0).round() as u32);
        let payment = match cod {
            true => text(s, "COLLECTABLE_VALUE")
                .and_then(|v| Money::from_major_str(&v, Currency::inr()))
                .map_or(Payment::Prepaid, |m| Payment::Cod { cod_amount: m }),
            false => Payment::Prepaid,
        };
        let label = from.zip(to).map(|(from, to)| LabelData {
            carrier_name: "Ecom Express".into(),
            service: if reverse {
                "REV".into()
            } else {
                product.clone()
            },
            awb: awb.clone(),
            order_ref: order.clone(),
            from,
            to,
            weight_g,
            payment,
            routing_code: Some(format!("S{}", drop_pin.get(..3).unwrap_or_default())),
            description: text(s, "ITEM_DESCRIPTION"),
            created: IST.wall(Utc::now()).date(),
        });
        let journey = if reverse { &REVERSE_JOURNEY } else { &JOURNEY };
        let mut trip = journey.trip(&drop_pin, places);
        trip.advance(Utc::now());
        slot.insert(
            Shipment {
                awb: awb.clone(),
                order: order.clone(),
                trip,
                label,
            },
            [(Key::Awb, awb.clone())],
        );
        books.store.count_booking();
        Ok(order)
    }

    fn manifest(&self, request: &SimRequest) -> Answer {
        self.admit_form(request)?;
        let Value::Array(items) = json_input(request) else {
            return reply(
                json!({ "shipments": [], "error": ["json_input should be a list of shipments"] }),
            );
        };
        let lines: Vec<Value> = items
            .iter()
            .map(|s| {
                let awb = text(s, "AWB_NUMBER").unwrap_or_default();
                let order = text(s, "ORDER_NUMBER").unwrap_or_default();
                match self.book(s, false) {
                    Ok(_) => json!({ "reason": "", "order_number": order, "awb": awb, "success": true }),
                    Err(reason) => json!({ "reason": reason, "order_number": order, "awb": awb, "success": false }),
                }
            })
            .collect();
        reply(json!({ "shipments": lines }))
    }

    fn reverse(&self, request: &SimRequest) -> Answer {
        self.admit_form(request)?;
        let document = json_input(request);
        let s = &document["ECOMEXPRESS-OBJECTS"]["SHIPMENT"];
        let awb = text(s, "AWB_NUMBER").unwrap_or_default();
        let order = text(s, "ORDER_NUMBER").unwrap_or_default();
        let line = match s.is_object().then(|| self.book(s, true)) {
            Some(Ok(_)) => {
                json!({ "success": "True", "airwaybill_number": awb, "order_id": order, "error_list": {} })
            }
            Some(Err(reason)) => {
                json!({ "success": "False", "airwaybill_number": awb, "order_id": order, "error_list": { "reason": reason } })
            }
            None => {
                json!({ "success": "False", "airwaybill_number": "", "order_id": "", "error_list": { "reason": "Invalid json_input: ECOMEXPRESS-OBJECTS.SHIPMENT is required" } })
            }
        };
        reply(json!({ "RESPONSE-OBJECTS": { "AIRWAYBILL-OBJECTS": { "AIRWAYBILL": line } } }))
    }

    fn pincode(&self, request: &SimRequest) -> Answer {
        self.admit_form(request)?;
        let pin = field(request, "pincode");
        if !is_pincode(&pin) || pin == UNSERVICEABLE_PIN {
            return reply(json!([]));
        }
        let active = pin != INACTIVE_PIN;
        let full = !pin.starts_with(PREPAID_ONLY_PREFIX);
        let zone = &pin[..3];
        reply(json!([{
            "pincode": pin.parse::<u64>().unwrap_or_default(),
            "city": format!("SANDBOX {zone}"), "state": "SANDBOX", "dccode": format!("S{zone}"),
            "active": active, "cod": full, "prepaid": true, "reverse": full,
            "city_code": format!("S{zone}"), "state_code": "SB",
        }]))
    }

    /// The status push Ecom would send now for `awb`: its latest scan shown.
    pub fn push_of(&self, awb: &str) -> Option<Value> {
        let books = self.books();
        let id = books.store.find(Key::Awb, awb)?;
        let shipment = books.store.get(id)?;
        let scan = shipment.trip.last()?;
        let (code, words, status) = scan.step.code;
        let place = shipment.trip.location(scan.step.place);
        let returning = shipment.trip.reached(Mark::Returning);
        Some(json!({
            "awb": shipment.awb, "datetime": IST.format(scan.time, "%Y-%m-%d %H:%M:%S"),
            "status": status, "reason_code": format!("{code} - {words}"),
            "reason_code_number": code, "location": place, "Employee": "Sandbox FE",
            "status_update_number": "1", "order_number": shipment.order,
            "city": place.split('-').next().unwrap_or_default(),
            "ref_awb": "", "rts_shipment": if returning { "1" } else { "0" },
        }))
    }

    fn track(&self, request: &SimRequest) -> Answer {
        self.admit_form(request)?;
        let awbs = field(request, "awb");
        let keys: Vec<(Key, &str)> = awbs
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| (Key::Awb, a))
            .collect();
        let objects = self.track_each(keys, |s: &Shipment| {
            let mut out = String::from("<object pk=\"1\" model=\"awb\">");
            xml_field(&mut out, "BigIntegerField", "awb_number", &s.awb);
            xml_field(&mut out, "CharField", "orderid", &s.order);
            let last = s.trip.last();
            let (status, code, words) = last.map_or(("", "", ""), |l| {
                (l.step.code.2, l.step.code.0, l.step.code.1)
            });
            xml_field(&mut out, "CharField", "status", status);
            xml_field(&mut out, "CharField", "reason_code_number", code);
            xml_field(&mut out, "CharField", "reason_code_description", words);
            let updated = last.map(ist).unwrap_or_default();
            xml_field(&mut out, "CharField", "last_update_date", &updated);
            let returning = s.trip.reached(Mark::Returning);
            xml_field(
                &mut out,
                "CharField",
                "rts_shipment",
                if returning { "1" } else { "0" },
            );
            xml_field(&mut out, "CharField", "ref_awb", "");
            out.push_str("<field type=\"Related\" name=\"scans\">");
            for scan in s.trip.scans().iter().rev() {
                let (code, words, status) = scan.step.code;
                let place = s.trip.location(scan.step.place);
                out.push_str("<object pk=\"1\" model=\"scan_stages\">");
                xml_field(&mut out, "DateTimeField", "updated_on", &ist(scan));
                xml_field(&mut out, "CharField", "status", status);
                xml_field(
                    &mut out,
                    "CharField",
                    "reason_code",
                    &format!("{code} - {words}"),
                );
                xml_field(&mut out, "CharField", "reason_code_number", code);
                xml_field(&mut out, "CharField", "location", place);
                xml_field(
                    &mut out,
                    "CharField",
                    "location_city",
                    place.split('-').next().unwrap_or_default(),
                );
                xml_field(&mut out, "CharField", "location_type", "Service Center");
                out.push_str("</object>");
            }
            out.push_str("</field></object>");
            out
        });
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ecomexpress-objects version=\"1.0\">{}</ecomexpress-objects>",
            objects.concat()
        );
        Ok(SimResponse::raw(200, "application/xml", body))
    }

    /// The label service: the PDF of the first AWB named, or a refusal inside HTTP 200.
    fn label(&self, request: &SimRequest) -> Answer {
        self.admit_form(request)?;
        let named = request.query_value("awb_numbers").unwrap_or_default();
        let awb = named
            .split(',')
            .map(str::trim)
            .find(|a| !a.is_empty())
            .unwrap_or_default();
        let books = self.books();
        let label = books.store.by(Key::Awb, awb).and_then(|s| s.label.clone());
        match label {
            Some(data) => Ok(SimResponse::raw(200, "application/pdf", render_pdf(&data))),
            None => {
                reply(json!({ "success": "no", "reason": format!("No label found for AWB {awb}") }))
            }
        }
    }

    fn cancel(&self, request: &SimRequest) -> Answer {
        self.admit_form(request)?;
        let awbs = field(request, "awbs");
        let mut books = self.books();
        let lines: Vec<Value> = awbs
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|awb| {
                let Some(shipment) = books.store.by_mut(Key::Awb, awb) else {
                    return json!({ "awb": awb, "order_number": "", "success": false, "reason": "INCORRECT_AIRWAYBILL_NUMBER" });
                };
                let order = shipment.order.clone();
                match shipment.trip.cancel() {
                    Ok(()) => json!({ "awb": awb, "order_number": order, "success": true, "reason": "" }),
                    Err(_) => json!({ "awb": awb, "order_number": order, "success": false, "reason": "Shipment cannot be cancelled: already picked up" }),
                }
            })
            .collect();
        reply(Value::Array(lines))
    }

    fn ndr(&self, request: &SimRequest) -> Answer {
        self.admit_form(request)?;
        let Value::Array(items) = json_input(request) else {
            return reply(
                json!([{ "awb": "", "status": false, "error": ["json_input should be a list"] }]),
            );
        };
        let today = IST.wall(Utc::now()).date();
        let mut books = self.books();
        let lines: Vec<Value> = items
            .iter()
            .map(|line| {
                let awb = text(line, "awb").unwrap_or_default();
                let refuse = |why: &str| json!({ "awb": awb, "status": false, "error": [why] });
                let instruction = match text(line, "instruction").unwrap_or_default().as_str() {
                    "RAD" => {
                        let date = text(line, "scheduled_delivery_date")
                            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
                        match date {
                            Some(d) if d > today => Instruction::Redeliver,
                            _ => return refuse("Invalid scheduled_delivery_date"),
                        }
                    }
                    "RTO" => Instruction::Return,
                    _ => return refuse("Invalid instruction"),
                };
                if let Some(m) = text(line, "mobile")
                    && !(m.len() == 10 && m.bytes().all(|b| b.is_ascii_digit()))
                {
                    return refuse("Invalid mobile");
                }
                let Some(shipment) = books.store.by_mut(Key::Awb, &awb) else {
                    return refuse("Invalid AWB");
                };
                match Self::instruct(&mut shipment.trip, instruction) {
                    Ok(()) => json!({ "awb": awb, "status": true, "error": [] }),
                    Err(_) => refuse("AWB not in NDR state"),
                }
            })
            .collect();
        reply(Value::Array(lines))
    }
}
