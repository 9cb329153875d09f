//! DTDC's three systems in-process, for sandbox mode and tests: Shipsy's customer
//! integration API, the tracking API and the pincode lookup, their paths and wire
//! formats on the simulator kit ([`crate::simulator`]), every host's paths under one root.
//!
//! Quirks played as DTDC plays them, so the adapter's parsers run for real: Shipsy's
//! `api-key` header checked on every Shipsy call (HTTP 401 `{"error": {"message": "Wrong
//! api key", "reason": "WRONG_API_KEY"}}`, or "API key should be present"); a consignment
//! refused inside HTTP 200 (`success: false` with `message` and `reason`); a cancellation
//! refused inside HTTP 200 (`failures`); the tracking login answering its token as bare
//! text (and its refusal as words, HTTP 200: the status of DTDC's refusal is in no
//! source); the token as `x-access-token`, HTTP 401 in Spring's shape for a token it never
//! issued or that has expired; tracking refusals inside HTTP 200 (`statusCode` 206,
//! `status: FAILED`, `errorDetails`); zone-less IST times `DDMMYYYY` / `HHMM`; the label
//! as PDF bytes (or base64 in JSON), drawn by [`crate::label::render_pdf`] from the
//! consignment (the simulator is the carrier).
//!
//! Sandbox rules (deterministic, apart from numbers and scan times):
//! - `api-key` [`SANDBOX_API_KEY`] with customer code [`SANDBOX_CUSTOMER_CODE`], tracking
//!   user [`SANDBOX_TRACKING_USERNAME`] / [`SANDBOX_TRACKING_PASSWORD`] (account
//!   `default`); more accounts through `POST /_accounts`, each account's requests counted
//!   (`GET /_accounts`);
//! - pincode [`UNSERVICEABLE_PIN`] is served for nothing; pincodes starting with 9 are
//!   served prepaid only (no COD); every other valid pincode is served;
//! - DTDC allocates `D` and ten digits per consignment; a customer reference already
//!   uploaded is refused ("already exists");
//! - each track call reveals one more scan of the journey below, with the kit's detours
//!   on destination pincodes (`…99` one failed attempt `PNA`, `…98` two refusals `PRF`
//!   then RTO, `…97` under investigation then lost `LST`, `…96` misrouted);
//! - cancel before pickup stops the journey, after pickup sends it back (SETRTO…RTODLV);
//!   delivered, returning or lost consignments cannot be cancelled;
//! - a consignment of another account is "Not Authorized to view the information" to
//!   tracking and "does not belong to the client" to cancellation;
//! - a reverse consignment plays the return's own journey: picked up from the buyer,
//!   delivered to the seller.
//!
//! Answers for situations no source shows (the wording of a duplicate reference, of a
//! cancellation too late, of an unknown label, tracking "No Data Found") follow DTDC's
//! shapes with wording of our own.

use base64::Engine;
use chrono::Utc;
use serde_json::{Value, json};

use crate::carrier::Settings;
use crate::kit::time::IST;
use crate::label::{LabelData, render_pdf};
use crate::schema::{Address, Currency, Money, Payment, Phone, PostalCode};
use crate::simulator::ids::Counter;
use crate::simulator::journey::{Journey, Mark, Place, Places, Step, Trip, step};
use crate::simulator::pricing::Pricing;
use crate::simulator::rules::{self, Pins, Serviceability, is_pincode};
use crate::simulator::sandbox::{Reveal, Route, Sandbox, Wire, reply};
use crate::simulator::store::Key;
use crate::simulator::tokens::{Gate, Refused};
use crate::simulator::values::{list, number, text};
use crate::simulator::{Answer, SimRequest, SimResponse, require};

use super::Service;

pub const SANDBOX_API_KEY: &str = "shipgate-sandbox-dtdc-api-key";
pub const SANDBOX_CUSTOMER_CODE: &str = "GL0001";
pub const SANDBOX_TRACKING_USERNAME: &str = "GL0001_trk_json";
pub const SANDBOX_TRACKING_PASSWORD: &str = "shipgate-sandbox-dtdc-tracking";
/// A pincode the sandbox serves for nothing.
pub const UNSERVICEABLE_PIN: &str = "999999";
/// The most consignments one upload takes (DTDC's document).
pub const MAX_CONSIGNMENTS: usize = 20;

/// Settings that make the adapter talk to this simulator (every call to its root).
pub fn sandbox_settings() -> Settings {
    let pairs = [
        ("api_key", SANDBOX_API_KEY),
        ("customer_code", SANDBOX_CUSTOMER_CODE),
        ("tracking_username", SANDBOX_TRACKING_USERNAME),
        ("tracking_password", SANDBOX_TRACKING_PASSWORD),
        ("hosts", "base"),
    ];
    pairs.map(|(k, v)| (k.to_string(), v.to_string())).into()
}

/// DTDC's wire format and sandbox rules, as the kit's configuration.
pub struct DtdcWire;

/// DTDC's APIs in the sandbox.
pub type DtdcSimulator = Sandbox<DtdcWire>;
type S = DtdcSimulator;

/// A scan as DTDC writes it: code, words, remarks.
pub(super) type Code = (&'static str, &'static str, &'static str);

use Place::{Destination as Dest, Origin, Transit};

const OUTDLV: Step<Code> = step(("OUTDLV", "Out For Delivery", ""), Dest);
const DLV: Step<Code> = step(("DLV", "Delivered", "SIGN"), Dest).marked(Mark::Delivered);
const CDOUT: Step<Code> = step(("CDOUT", "In Transit", ""), Transit);
#[rustfmt::skip]
const BACK: [Step<Code>; 5] = [
    step(("RTO", "RTO Processed & Forwarded", ""),     Transit).marked(Mark::Returning),
    step(("RTOIBMD", "RTO In Transit", ""),            Origin).marked(Mark::Returning),
    step(("RTOINSCAN", "RTO In Scan", ""),             Origin).marked(Mark::Returning),
    step(("RTOOUTDLV", "RTO Out For Delivery", ""),    Origin).marked(Mark::Returning),
    step(("RTODLV", "RTO Delivered", "SIGN"),          Origin).marked(Mark::Returning),
];
const SETRTO: Step<Code> = step(("SETRTO", "Set For RTO", ""), Dest).marked(Mark::Returning);
#[rustfmt::skip]
const RTO: [Step<Code>; 6] = [SETRTO, BACK[0], BACK[1], BACK[2], BACK[3], BACK[4]];
#[rustfmt::skip]
const ATTEMPT: [Step<Code>; 2] = [
    step(("NONDLV", "Not Delivered", "PNA|RECEIVER NOT AVAILABLE-(CIR)"), Dest).marked(Mark::Undelivered),
    OUTDLV,
];
#[rustfmt::skip]
const REFUSED: [Step<Code>; 2] = [
    step(("NONDLV", "Not Delivered", "PRF|RECEIVER REFUSED DELIVERY(CIR)"), Dest).marked(Mark::Undelivered),
    OUTDLV,
];

#[rustfmt::skip]
static JOURNEY: Journey<Code> = Journey {
    forward: &[
        step(("SPL", "Softdata Upload", ""),     Origin),
        step(("BKD", "Booked", ""),              Origin).marked(Mark::PickedUp),
        step(("OBMD", "In Transit", ""),         Origin),
        CDOUT,
        step(("CDIN", "In Transit", ""),         Transit),
        step(("IBMD", "In Transit", ""),         Dest),
        OUTDLV,
        DLV,
    ],
    // DTDC's scan for a consignment cancelled before pickup is in no source read: the
    // sandbox shows none, and the journey stops.
    cancelled: &[],
    returned: &BACK,
    redelivered: &[OUTDLV, DLV],
    rto: &RTO,
    detours: rules::rule_detours! {
        attempt: &ATTEMPT,
        refused: &REFUSED,
        rto: &RTO,
        lost: &[
            step(("SUI", "Shipment Under Investigation", ""), Transit),
            step(("NONDLV", "Not Delivered", "LST|CONSIGNMENT LOST-(OTR)"), Transit).marked(Mark::Lost),
        ],
        misrouted: &[step(("IRMF", "Mis Route", ""), Transit), CDOUT],
    },
    time_digits: 0,
};

/// A return: picked up at the buyer's (origin), delivered to the seller (destination).
#[rustfmt::skip]
static REVERSE_JOURNEY: Journey<Code> = Journey::one_way(
    &[
        step(("SPL", "Softdata Upload", ""),     Origin),
        step(("BKD", "Booked", ""),              Origin).marked(Mark::PickedUp),
        step(("OBMD", "In Transit", ""),         Origin),
        step(("IBMD", "In Transit", ""),         Dest),
        OUTDLV,
        DLV,
    ],
    &[OUTDLV, DLV],
);

/// A consignment as the sandbox keeps it.
pub struct Consignment {
    pub(super) awb: String,
    pub(super) reference: String,
    pub(super) account: String,
    pub(super) product: String,
    pub(super) label: Option<LabelData>,
    pub(super) trip: Trip<Code>,
}

impl Wire for DtdcWire {
    /// Admission is DTDC's own: Shipsy's `api-key` ([`DtdcSimulator::admit_key`]) and the
    /// tracking token ([`DtdcSimulator::admit_token`]); the kit's gate is never asked
    /// (every route is open to it).
    const GATE: Gate = Gate::login("Bearer");
    const ACCOUNT: &'static [(&'static str, &'static str)] = &[
        ("api_key", SANDBOX_API_KEY),
        ("customer_code", SANDBOX_CUSTOMER_CODE),
        ("tracking_username", SANDBOX_TRACKING_USERNAME),
        ("tracking_password", SANDBOX_TRACKING_PASSWORD),
    ];
    /// An upload shows its softdata scan; each track call reveals the next one.
    const REVEAL: Reveal = Reveal::Before;
    type Record = Consignment;
    type Code = Code;
    type Numbers = Counter;
    #[rustfmt::skip]
    const ROUTES: &'static [Route<Self>] = &[
        Route::post("/api/customer/integration/consignment/softdata",            S::softdata).open(),
        Route::get("/api/customer/integration/consignment/shippinglabel/stream", S::label).open(),
        Route::post("/api/customer/integration/consignment/cancel",              S::cancel).open(),
        Route::get("/dtdc-api/api/dtdc/authenticate",                           S::login).open(),
        Route::post("/dtdc-api/rest/JSONCnTrk/getTrackDetails",                  S::track).open(),
        Route::post("/ratecalapi/PincodeApiCall",                                S::pincodes).open(),
        Route::post("/_accounts",                                                S::add_account).open(),
        Route::get("/_accounts",                                                 S::accounts).open(),
    ];

    fn numbers() -> Counter {
        Counter::from_clock()
    }

    fn trip(consignment: &mut Consignment) -> Option<&mut Trip<Code>> {
        Some(&mut consignment.trip)
    }

    const SERVED: Serviceability = Serviceability {
        unserved: &[Pins::Exactly(UNSERVICEABLE_PIN)],
        prepaid_only: &[Pins::StartingWith("9")],
    };

    /// DTDC has no rate API: the sandbox prices nothing.
    fn pricing() -> Pricing {
        Pricing::new(500, Vec::new(), Vec::new())
    }

    /// The tracking API's 401, in the shape of the shared sample.
    fn refused(why: Refused) -> SimResponse {
        let message = match why {
            Refused::Missing => "Unauthorized: Authentication token was either missing or invalid.",
            Refused::Unknown | Refused::Expired => {
                "Unauthorized: Authentication token was either missing or invalid."
            }
        };
        SimResponse::json(
            401,
            &json!({
                "timestamp": Utc::now().format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string(),
                "status": 401, "error": "Unauthorized", "message": message,
                "path": "/dtdc-tracking-api/dtdc-api/rest/JSONCnTrk/getTrackDetails",
            }),
        )
    }

    fn unknown_path() -> SimResponse {
        SimResponse::json(
            404,
            &json!({ "status": 404, "error": "Not Found", "message": "No message available" }),
        )
    }
}

/// Shipsy's error object at `status`.
fn shipsy_error(status: u16, reason: &str, message: &str) -> SimResponse {
    SimResponse::json(
        status,
        &json!({ "error": { "message": message, "statusCode": status, "reason": reason } }),
    )
}

/// One consignment refused inside HTTP 200.
fn refused_consignment(reference: &str, reason: &str, message: &str) -> Value {
    json!({
        "success": false, "customer_reference_number": reference,
        "reason": reason, "message": message,
    })
}

/// A sandbox address for the label, from a consignment party.
fn label_address(party: &Value) -> Option<Address> {
    let field = |k: &str| text(party, k).unwrap_or_default();
    let line2 = field("address_line_2");
    Some(Address {
        name: field("name"),
        phone: Phone::parse(&field("phone"), "IN").ok()?,
        email: None,
        line1: field("address_line_1"),
        line2: Some(line2).filter(|l| !l.is_empty()),
        landmark: None,
        city: field("city"),
        state: Some(field("state")).filter(|s| !s.is_empty()),
        postal_code: PostalCode::parse(&field("pincode"), "IN").ok()?,
        country: "IN".into(),
    })
}

impl DtdcSimulator {
    /// Shipsy's admission: the `api-key` of an account, which the call counts for.
    fn admit_key(&self, request: &SimRequest) -> Result<String, SimResponse> {
        let key = request.header("api-key").map_or("", str::trim);
        require(!key.is_empty(), || {
            shipsy_error(401, "NO_API_KEY", "API key should be present")
        })?;
        let mut books = self.books();
        let account = books
            .accounts
            .holding(&[("api_key", key)])
            .map(str::to_string)
            .ok_or_else(|| shipsy_error(401, "WRONG_API_KEY", "Wrong api key"))?;
        books.accounts.count(&account);
        Ok(account)
    }

    /// Whether `code` is the customer code of `account`.
    fn owns_code(&self, account: &str, code: &str) -> bool {
        let books = self.books();
        let key = books
            .accounts
            .holding(&[("customer_code", code)])
            .map(str::to_string);
        key.as_deref() == Some(account)
    }

    /// Checks one consignment and books it: its result entry either way.
    fn book(&self, account: &str, c: &Value) -> Value {
        let field = |k: &str| text(c, k).unwrap_or_default();
        let reference = field("customer_reference_number");
        if reference.is_empty() || reference.len() > 50 {
            return refused_consignment(
                &reference,
                "CUSTOMER_REFERENCE_NUMBER_INVALID",
                "customer_reference_number is required (at most 50 characters)",
            );
        }
        if !self.owns_code(account, &field("customer_code")) {
            return refused_consignment(
                &reference,
                "INVALID_CUSTOMER_CODE",
                "Customer code does not belong to the client",
            );
        }
        let service = field("service_type_id");
        if Service::from_code(Some(&service)).is_err() {
            return refused_consignment(
                &reference,
                "INVALID_SERVICE_TYPE",
                "Invalid service_type_id",
            );
        }
        if !["NON-DOCUMENT", "DOCUMENT"].contains(&field("load_type").as_str()) {
            return refused_consignment(&reference, "INVALID_LOAD_TYPE", "Invalid load_type");
        }
        let weight = number(c, "weight").filter(|w| w.is_finite()).unwrap_or(0.0);
        if weight <= 0.0 || field("weight_unit") != "kg" || field("dimension_unit") != "cm" {
            return refused_consignment(
                &reference,
                "INVALID_WEIGHT",
                "Weight must be positive, in kg and cm",
            );
        }
        let cod = field("cod_collection_mode").eq_ignore_ascii_case("cash");
        let collect = number(c, "cod_amount")
            .filter(|a| a.is_finite())
            .unwrap_or(0.0);
        if cod && collect <= 0.0 {
            return refused_consignment(
                &reference,
                "INVALID_COD_AMOUNT",
                "cod_amount must be positive for a COD consignment",
            );
        }
        let reverse = field("consignment_type").eq_ignore_ascii_case("REVERSE");
        if reverse && cod {
            return refused_consignment(
                &reference,
                "COD_NOT_ALLOWED",
                "COD is not allowed on a reverse consignment",
            );
        }
        let (origin, destination) = (&c["origin_details"], &c["destination_details"]);
        let (from_pin, to_pin) = (
            text(origin, "pincode").unwrap_or_default(),
            text(destination, "pincode").unwrap_or_default(),
        );
        for pin in [&from_pin, &to_pin] {
            if !(is_pincode(pin) && self.served.serves(pin)) {
                return refused_consignment(
                    &reference,
                    "NON_SERVICEABLE_PINCODE",
                    &format!("Pincode {pin} is not serviceable"),
                );
            }
        }
        if cod && !self.served.serves_cod(&to_pin) {
            return refused_consignment(
                &reference,
                "COD_NOT_SERVICEABLE",
                &format!("COD is not serviceable at pincode {to_pin}"),
            );
        }
        let payment = match cod {
            true => Money::from_major_f64(collect, Currency::inr())
                .map(|cod_amount| Payment::Cod { cod_amount }),
            false => Some(Payment::Prepaid),
        };
        let mut books = self.books();
        let awb = format!("D{}", books.numbers.issue_fixed(10));
        let label = (|| {
            Some(LabelData {
                carrier_name: "DTDC".into(),
                service: service.clone(),
                awb: awb.clone(),
                order_ref: reference.clone(),
                from: label_address(origin)?,
                to: label_address(destination)?,
                weight_g: (weight * 1000.0).round() as u32,
                payment: payment?,
                routing_code: Some(to_pin[..3].to_string()),
                description: text(c, "description"),
                created: IST.wall(Utc::now()).date(),
            })
        })();
        let Ok(slot) = books.store.vacant(&reference) else {
            // Wording ours: DTDC's words for a reference uploaded twice are in no source.
            return refused_consignment(
                &reference,
                "DUPLICATE_CUSTOMER_REFERENCE_NUMBER",
                "Consignment with this customer reference number already exists",
            );
        };
        let hub = |party: &Value, kind: &str| {
            let city = text(party, "city").unwrap_or_else(|| "SANDBOX".into());
            format!("{} {kind}", city.to_uppercase())
        };
        let places = Places::new(
            &hub(origin, "BRANCH"),
            "BANGALORE SURFACE APEX",
            &hub(destination, "BRANCH"),
        );
        let journey = if reverse { &REVERSE_JOURNEY } else { &JOURNEY };
        let mut trip = journey.trip(&to_pin, places);
        trip.advance(Utc::now());
        let kept = Consignment {
            awb: awb.clone(),
            reference: reference.clone(),
            account: account.to_string(),
            product: service,
            label,
            trip,
        };
        slot.insert(kept, [(Key::Awb, awb.clone())]);
        books.store.count_booking();
        json!({
            "success": true, "reference_number": awb, "customer_reference_number": reference,
            "courier_partner": "DTDC", "courier_account": "DTDC",
            "pieces": [{ "reference_number": format!("{awb}001") }],
        })
    }

    /// `POST softdata`: up to [`MAX_CONSIGNMENTS`], each booked or refused on its own.
    fn softdata(&self, request: &SimRequest) -> Answer {
        let account = self.admit_key(request)?;
        let body = request.json();
        let consignments = list(&body, "consignments").cloned().unwrap_or_default();
        require(!consignments.is_empty(), || {
            shipsy_error(
                400,
                "WRONG_INPUT",
                "consignments should be a non-empty array",
            )
        })?;
        require(consignments.len() <= MAX_CONSIGNMENTS, || {
            shipsy_error(
                400,
                "WRONG_INPUT",
                "At most 20 consignments are allowed in one request",
            )
        })?;
        let data: Vec<Value> = consignments
            .iter()
            .map(|c| self.book(&account, c))
            .collect();
        reply(json!({ "status": "OK", "data": data }))
    }

    /// `GET shippinglabel/stream`: the consignment's label as PDF bytes, or base64 in
    /// JSON.
    fn label(&self, request: &SimRequest) -> Answer {
        let account = self.admit_key(request)?;
        let awb = request.query_text("reference_number").trim().to_string();
        let code = request.query_text("label_code");
        require(["SHIP_LABEL_4X6", "SHIP_LABEL_A4"].contains(&code), || {
            shipsy_error(400, "WRONG_INPUT", "Invalid label_code")
        })?;
        let books = self.books();
        let not_found = || shipsy_error(400, "CONSIGNMENT_NOT_FOUND", "Consignment not found");
        let consignment = books.store.by(Key::Awb, &awb).ok_or_else(not_found)?;
        require(consignment.account == account, not_found)?;
        let pdf = consignment.label.as_ref().map(render_pdf).ok_or_else(|| {
            shipsy_error(
                400,
                "LABEL_NOT_AVAILABLE",
                "Label is not available for this consignment",
            )
        })?;
        match request.query_text("label_format") {
            "pdf" => Ok(SimResponse::raw(200, "application/pdf", pdf)),
            "base64" => {
                let label = base64::engine::general_purpose::STANDARD.encode(pdf);
                reply(json!({ "label": label }))
            }
            _ => Err(shipsy_error(400, "WRONG_INPUT", "Invalid label_format")),
        }
    }

    /// `POST cancel`: every AWB cancelled, or `success: false` with the failures.
    fn cancel(&self, request: &SimRequest) -> Answer {
        let account = self.admit_key(request)?;
        let body = request.json();
        let code = text(&body, "customerCode").unwrap_or_default();
        require(!code.is_empty(), || {
            SimResponse::json(
                400,
                &json!({ "error": {
                "statusCode": 400, "reason": "WRONG_INPUT", "code": "CUSTOMER_CODE_MISSING",
                "message": "customerCode is required" } }),
            )
        })?;
        let awbs = list(&body, "AWBNo").cloned().unwrap_or_default();
        require(!awbs.is_empty(), || {
            shipsy_error(400, "WRONG_INPUT", "AWBNo should be a non-empty array")
        })?;
        let owns = self.owns_code(&account, &code);
        let mut failures = Vec::new();
        let mut books = self.books();
        for awb in awbs.iter().filter_map(Value::as_str) {
            let failure = |reason: &str, message: &str| json!({ "reference_number": awb, "reason": reason, "message": message });
            let consignment = books
                .store
                .by_mut(Key::Awb, awb)
                .filter(|c| owns && c.account == account);
            let Some(consignment) = consignment else {
                failures.push(failure(
                    "CONSIGNMENT_DOES_NOT_BELONG_TO_CLIENT",
                    "Consignment does not belong to the client",
                ));
                continue;
            };
            if consignment.trip.cancel().is_err() {
                // Wording ours.
                failures.push(failure(
                    "CANCELLATION_NOT_ALLOWED",
                    "Consignment cannot be cancelled in its current status",
                ));
            }
        }
        match failures.is_empty() {
            true => reply(json!({ "status": "OK", "success": true })),
            false => reply(json!({ "status": "OK", "success": false, "failures": failures })),
        }
    }
}
