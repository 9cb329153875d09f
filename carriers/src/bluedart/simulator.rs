//! Blue Dart's API in-process, for sandbox mode and tests: the API gateway's paths and
//! Blue Dart's wire format on the simulator kit ([`crate::simulator`]).
//!
//! Its quirks are Blue Dart's, so the adapter's real parsers run against it: a JWT from a
//! login with `ClientID`/`clientSecret` headers, sent back as the `JWTToken` header (not
//! `Authorization`), the `LoginID`/`LicenceKey` profile checked on every call, refusals
//! inside HTTP 200 (`IsError` with a `Status` list), the gateway's `error-response` with
//! HTTP 400 for a request it cannot take, XML tracking with zone-less IST times
//! (`29-Jul-2017`, `14:08`), newest scan first, and the label PDF as a .NET byte array.
//!
//! Sandbox rules (deterministic, apart from AWBs and scan times):
//! - client id [`SANDBOX_CLIENT_ID`] with [`SANDBOX_CLIENT_SECRET`], login id
//!   [`SANDBOX_LOGIN_ID`] with licence key [`SANDBOX_LICENCE_KEY`] (account `default`);
//!   more accounts through `POST /_accounts`, each counted by `GET /_accounts`; JWTs
//!   expire on `POST /_expire`;
//! - pincode [`UNSERVICEABLE_PIN`] is served for nothing; pincodes starting with 9 are
//!   served prepaid only; pincodes ending in `88` are extended delivery locations (ODA:
//!   served, 25 km out, one added day);
//! - each track call moves each tracked waybill one scan along the journey below, with
//!   the kit's detours on destination pincodes (`99` one failed attempt, `98` two and
//!   RTO, `97` lost, `96` misrouted); the first step is the pickup, which Blue Dart shows
//!   as the shipment's `PickUpDate`/`PickUpTime` rather than as a scan, then the origin
//!   inscan;
//! - a reused `CreditReferenceNo` is refused inside HTTP 200, so a retried booking never
//!   allocates a second AWB; tracking takes `awb=ref` to find a waybill by it, and answers
//!   an unknown number with a `NF` shipment;
//! - cancel before pickup stops the waybill, after pickup returns it (`RETURNED (SHIPPER
//!   REQUEST)`, then back to the shipper); a delivered, returning or lost waybill is not
//!   cancelled;
//! - a pickup registration (`RegisterPickup`) is answered with a token for a served
//!   pincode, a day not past and waybills the sandbox booked (refused inside HTTP 200
//!   otherwise); it can be cancelled by token and the same day. Pickups do not change the
//!   journey: every waybill's first step is its pickup anyway;
//! - `GET /_pushes/<awb>?product=lite|plus` answers the push Blue Dart would send for the
//!   scans shown so far, to post to shipgate's webhook endpoint.
//!
//! Blue Dart has no rate API, so the simulator prices nothing ([`Wire::pricing`] is the
//! kit's requirement only, served by no route). Answers for situations no public source
//! shows (the gateway's 401 and 404, refusal words) follow Blue Dart's shapes with wording
//! of our own.

use std::collections::VecDeque;

use base64::Engine;
use chrono::{DateTime, DurationRound, NaiveDate, TimeDelta, Utc};
use serde_json::{Value, json};

use crate::carrier::Settings;
use crate::kit::time::IST;
use crate::label::{LabelData, render_pdf};
use crate::schema::{Address, Currency, Money, Payment, Phone, PostalCode};
use crate::simulator::ids::Counter;
use crate::simulator::journey::{Journey, Mark, Place, Places, Scan, Step, Trip, step};
use crate::simulator::pricing::{Pricing, Zone};
use crate::simulator::rules::{self, Pins, Serviceability, is_pincode};
use crate::simulator::sandbox::{Books, Reveal, Route, Sandbox, Wire, reply};
use crate::simulator::store::Key;
use crate::simulator::tokens::{Credential, Gate, Refused};
use crate::simulator::values::{flag, indian_mobile, number, text, xml_escape};
use crate::simulator::{Answer, SimRequest, SimResponse, require};

pub const SANDBOX_CLIENT_ID: &str = "shipgate-sandbox-bluedart-client";
pub const SANDBOX_CLIENT_SECRET: &str = "shipgate-sandbox-bluedart-secret";
pub const SANDBOX_LOGIN_ID: &str = "SBX00001";
pub const SANDBOX_LICENCE_KEY: &str = "shipgate-sandbox-bluedart-licence";
pub const SANDBOX_CUSTOMER_CODE: &str = "114074";
pub const SANDBOX_ORIGIN_AREA: &str = "DEL";
/// A pincode the sandbox serves for nothing.
pub const UNSERVICEABLE_PIN: &str = "999999";
/// Pincodes ending in this are extended delivery locations (ODA).
pub const ODA_PIN_SUFFIX: &str = "88";

/// Settings that make the adapter talk to this simulator.
pub fn sandbox_settings() -> Settings {
    let pairs = [
        ("client_id", SANDBOX_CLIENT_ID),
        ("client_secret", SANDBOX_CLIENT_SECRET),
        ("login_id", SANDBOX_LOGIN_ID),
        ("licence_key", SANDBOX_LICENCE_KEY),
        ("customer_code", SANDBOX_CUSTOMER_CODE),
        ("origin_area", SANDBOX_ORIGIN_AREA),
    ];
    pairs.map(|(k, v)| (k.to_string(), v.to_string())).into()
}

/// Blue Dart's wire format and sandbox rules, as the kit's configuration.
pub struct BlueDart;

/// Blue Dart's API in the sandbox: the kit configured by [`BlueDart`].
pub type BlueDartSimulator = Sandbox<BlueDart>;
type S = BlueDartSimulator;

impl Wire for BlueDart {
    /// Unused by the routes (every one is `open` and checks the `JWTToken` header itself,
    /// [`BlueDartSimulator::admit_jwt`]): the kit's gates read `Authorization` only.
    const GATE: Gate = Gate::login("Bearer");
    const ACCOUNT: &'static [(&'static str, &'static str)] = &[
        ("client_id", SANDBOX_CLIENT_ID),
        ("client_secret", SANDBOX_CLIENT_SECRET),
        ("login_id", SANDBOX_LOGIN_ID),
        ("licence_key", SANDBOX_LICENCE_KEY),
    ];
    /// A waybill shows no scan until the first track call reveals its origin inscan.
    const REVEAL: Reveal = Reveal::Before;

    type Record = Waybill;
    type Code = Code;
    type Numbers = Numbers;
    #[rustfmt::skip]
    const ROUTES: &'static [Route<Self>] = &[
        Route::get("/token/v1/login",                  S::login).open(),
        Route::post("/finder/v1/GetServicesforPincode", S::pincode).open(),
        Route::post("/waybill/v1/GenerateWayBill",     S::generate).open(),
        Route::post("/waybill/v1/CancelWaybill",       S::cancel).open(),
        Route::get("/tracking/v1/shipment",            S::track).open(),
        Route::post("/pickup/v1/RegisterPickup",       S::register_pickup).open(),
        Route::post("/cancel-pickup/v1/CancelPickup",  S::cancel_pickup).open(),
        Route::get("/_pushes/",                        S::push).below().open(),
        Route::post("/_expire",                        S::expire).open(),
        Route::post("/_accounts",                      S::add_account).open(),
        Route::get("/_accounts",                       S::accounts).open(),
    ];

    fn trip(waybill: &mut Waybill) -> Option<&mut Trip<Code>> {
        Some(&mut waybill.trip)
    }

    fn numbers() -> Numbers {
        Numbers {
            awbs: Counter::from_clock(),
            pickups: Counter::from_clock(),
            tokens: VecDeque::new(),
        }
    }

    /// The pincodes the sandbox serves, as documented above.
    const SERVED: Serviceability = Serviceability {
        unserved: &[Pins::Exactly(UNSERVICEABLE_PIN)],
        prepaid_only: &[Pins::StartingWith("9")],
    };

    /// Served by no route: Blue Dart has no rate API. The kit asks every simulator for a
    /// pricing; this one is a flat card nobody reads.
    fn pricing() -> Pricing {
        let zones = [("A", 3), ("B", 0)].map(|(n, d)| Zone::new(n, d));
        Pricing::by_zone(500, zones, &[("A", [5000, 8000])])
    }

    /// The gateway's 401 (wording ours).
    fn refused(why: Refused) -> SimResponse {
        let words = match why {
            Refused::Missing => "JWTToken header is missing",
            Refused::Unknown => "JWTToken is invalid",
            Refused::Expired => "JWTToken has expired",
        };
        gateway_error(401, "Unauthorized", words)
    }

    /// The gateway's 404 (wording ours).
    fn unknown_path() -> SimResponse {
        gateway_error(404, "NotFound", "The requested resource was not found")
    }
}

/// The numbers Blue Dart hands out: AWBs of 11 digits and pickup tokens, both seeded
/// from the clock so a restarted sandbox does not hand out numbers an earlier run stored;
/// with the latest pickups registered (token, day, cancelled).
pub struct Numbers {
    awbs: Counter,
    pickups: Counter,
    tokens: VecDeque<(String, String, bool)>,
}

/// How many pickup registrations the sandbox remembers.
pub const KEPT_PICKUPS: usize = 1_000;

/// The gateway's error list, `{"error-response": [{"IsError": true, "Status": [...]}]}`.
fn gateway_error(status: u16, code: &str, words: &str) -> SimResponse {
    let line = json!({ "StatusCode": code, "StatusInformation": words });
    let body = json!({ "error-response": [{ "IsError": true, "Status": [line] }] });
    SimResponse::json(status, &body)
}

/// One scan's codes as Blue Dart writes them (all in the mapping): ScanType,
/// ScanGroupType, ScanCode, Scan.
pub type Code = (&'static str, &'static str, &'static str, &'static str);

use Place::{Destination as Dest, Origin, Transit};

/// The pickup: no scan of its own in Blue Dart's answers, but the shipment's
/// `PickUpDate`/`PickUpTime` from then on (so the group and code are blank, and the
/// renderers leave it out of the scan lists).
#[rustfmt::skip]
const PICKED_UP: Step<Code> = step(("", "", "", "SHIPMENT PICKED UP"), Origin).marked(Mark::PickedUp);
#[rustfmt::skip]
const INSCAN: Step<Code> = step(("UD", "S", "001", "SHIPMENT INSCAN"), Origin);
#[rustfmt::skip]
const CONNECTING: Step<Code> = step(("UD", "T", "221", "SHPT RCD IN TRANSIT LOC; BEING CONNECTED"), Transit);
#[rustfmt::skip]
const OUTSCAN: Step<Code> = step(("UD", "S", "002", "SHIPMENT OUTSCAN"), Dest);
#[rustfmt::skip]
const DELIVERED: Step<Code> = step(("DL", "T", "000", "SHIPMENT DELIVERED"), Dest).marked(Mark::Delivered);
/// A failed attempt (an NDR with Blue Dart's reason), then out for delivery again.
#[rustfmt::skip]
const ATTEMPT: [Step<Code>; 2] = [
    step(("UD", "T", "013", "CONSIGNEE NOT AVAILABLE;CANT DELIVER"), Dest).marked(Mark::Undelivered),
    OUTSCAN,
];
/// Back to the shipper on the same AWB (ScanType `RT`), ending delivered back.
#[rustfmt::skip]
const BACK: [Step<Code>; 3] = [
    step(("RT", "S", "001", "SHIPMENT ARRIVED"),          Transit).marked(Mark::Returning),
    step(("RT", "S", "002", "SHIPMENT OUTSCAN"),          Origin).marked(Mark::Returning),
    step(("RT", "T", "188", "DELIVERED BACK TO SHIPPER"), Origin).marked(Mark::Returning),
];
#[rustfmt::skip]
const RTO: [Step<Code>; 4] = [
    step(("RT", "T", "016", "RTO FROM ORIGIN S.C. ON SAME AWB"), Dest).marked(Mark::Returning), BACK[0], BACK[1], BACK[2],
];

#[rustfmt::skip]
static JOURNEY: Journey<Code> = Journey {
    forward: &[
        PICKED_UP,
        INSCAN,
        CONNECTING,
        step(("UD", "S", "001", "SHIPMENT ARRIVED"),                         Dest),
        step(("UD", "T", "222", "SHPT RCVD AT DESTN LOC FOR DLVRY ATTEMPT"), Dest),
        OUTSCAN,
        DELIVERED,
    ],
    // Blue Dart shows nothing more for a waybill cancelled before pickup.
    cancelled: &[],
    returned: &[step(("RT", "T", "074", "RETURNED (SHIPPER REQUEST)"), Transit).marked(Mark::Returning), BACK[0], BACK[1], BACK[2]],
    redelivered: &[OUTSCAN, DELIVERED],
    rto: &RTO,
    detours: rules::rule_detours! {
        attempt: &ATTEMPT,
        refused: &ATTEMPT,
        rto: &RTO,
        lost: &[step(("DL", "T", "021", "LOST SHIPMENT"), Transit).marked(Mark::Lost)],
        misrouted: &[step(("UD", "T", "185", "APEX / SFC SHPT OVERCARRIED IN NETWORK"), Transit), CONNECTING],
    },
    time_digits: 0,
};

/// A reverse pickup: from the buyer's door to the warehouse, the same scans (its
/// `ShipmentMode` is `R`, so none of them is an RTO).
#[rustfmt::skip]
static REVERSE_JOURNEY: Journey<Code> = Journey {
    forward: &[
        PICKED_UP,
        INSCAN,
        CONNECTING,
        step(("UD", "S", "001", "SHIPMENT ARRIVED"), Dest),
        OUTSCAN,
        DELIVERED,
    ],
    cancelled: &[],
    returned: &[CONNECTING, OUTSCAN, DELIVERED],
    redelivered: &[],
    rto: &[],
    detours: &[],
    time_digits: 0,
};

/// A waybill as the sandbox keeps it.
pub struct Waybill {
    awb: String,
    reference: String,
    product: String,
    reverse: bool,
    destination_area: String,
    trip: Trip<Code>,
}

/// Blue Dart's three-letter area for a pincode, roughly (by its first two digits).
fn area_of(pin: &str) -> &'static str {
    match pin.get(..2).unwrap_or_default() {
        "11" => "DEL",
        "12" | "13" => "GGN",
        "20" | "21" | "22" => "LKO",
        "30" | "31" | "32" | "33" | "34" => "JAI",
        "40" | "41" | "42" | "43" | "44" => "BOM",
        "50" | "51" | "52" | "53" => "HYD",
        "56" | "57" | "58" | "59" => "BLR",
        "60" | "61" | "62" | "63" | "64" => "MAA",
        "70" | "71" | "72" | "73" | "74" => "CCU",
        _ => "SBX",
    }
}

/// The times Blue Dart shows for a trip's scans: to the minute, as it writes them, and a
/// minute apart at least, so scans revealed within one minute (a test tracking quickly)
/// keep their order. Each time depends on the scans before it only, so a scan shows the
/// same time in every answer.
fn minute_times(scans: &[Scan<Code>]) -> Vec<DateTime<Utc>> {
    let mut times: Vec<DateTime<Utc>> = Vec::with_capacity(scans.len());
    for scan in scans {
        let minute = scan
            .time
            .duration_trunc(TimeDelta::minutes(1))
            .unwrap_or(scan.time);
        let time = match times.last() {
            Some(last) if minute <= *last => *last + TimeDelta::minutes(1),
            _ => minute,
        };
        times.push(time);
    }
    times
}

/// Whether a step shows as a scan (the pickup shows as shipment fields instead).
fn is_scan(scan: &Scan<Code>) -> bool {
    !scan.step.code.1.is_empty()
}

/// A scan's date and time as the XML tracking answer writes them (IST, no zone).
fn xml_time(time: DateTime<Utc>) -> (String, String) {
    (IST.format(time, "%d-%b-%Y"), IST.format(time, "%H:%M"))
}

/// A scan's date and time as pushes write them.
fn push_time(time: DateTime<Utc>) -> (String, String) {
    (IST.format(time, "%d-%m-%Y"), IST.format(time, "%H%M"))
}

impl Waybill {
    /// The `<Shipment>` element, scans newest first as Blue Dart lists them.
    fn render(&self) -> String {
        let trip = &self.trip;
        let e = xml_escape;
        let mut xml = format!(
            "<Shipment WaybillNo=\"{}\" RefNo=\"{}\"><Prodcode>{}</Prodcode><ShipmentMode>{}</ShipmentMode>\
             <Origin>{}</Origin><Destination>{}</Destination><DestinationAreaCode>{}</DestinationAreaCode>",
            e(&self.awb),
            e(&self.reference),
            e(&self.product),
            if self.reverse { "R" } else { "F" },
            e(trip.location(Place::Origin)),
            e(trip.location(Place::Destination)),
            e(&self.destination_area),
        );
        let times = minute_times(trip.scans());
        let picked = trip
            .scans()
            .iter()
            .position(|s| s.step.mark == Mark::PickedUp);
        if let Some(picked) = picked {
            let (date, time) = xml_time(times[picked]);
            xml.push_str(&format!(
                "<PickUpDate>{date}</PickUpDate><PickUpTime>{time}</PickUpTime>"
            ));
        }
        let shown = trip.scans().iter().zip(&times).filter(|(s, _)| is_scan(s));
        if let Some((last, at)) = shown.clone().next_back() {
            let (kind, _, _, says) = last.step.code;
            let (date, time) = xml_time(*at);
            xml.push_str(&format!(
                "<Status>{}</Status><StatusType>{kind}</StatusType><StatusDate>{date}</StatusDate><StatusTime>{time}</StatusTime>",
                e(says)
            ));
        }
        xml.push_str("<Scans>");
        for (scan, at) in shown.rev() {
            let (kind, group, code, says) = scan.step.code;
            let (date, time) = xml_time(*at);
            xml.push_str(&format!(
                "<ScanDetail><Scan>{}</Scan><ScanCode>{code}</ScanCode><ScanType>{kind}</ScanType>\
                 <ScanGroupType>{group}</ScanGroupType><ScanDate>{date}</ScanDate><ScanTime>{time}</ScanTime>\
                 <ScannedLocationCode>{}</ScannedLocationCode><ScannedLocation>{}</ScannedLocation></ScanDetail>",
                e(says),
                e(&self.destination_area),
                e(trip.location(scan.step.place)),
            ));
        }
        xml.push_str("</Scans></Shipment>");
        xml
    }

    /// The scans shown so far as Blue Dart's push: Lite (one entry per scan) or Plus
    /// (one entry with the scan list).
    fn push(&self, lite: bool) -> Value {
        let trip = &self.trip;
        let times = minute_times(trip.scans());
        let scan_json = |(scan, at): (&Scan<Code>, &DateTime<Utc>)| {
            let (kind, group, code, says) = scan.step.code;
            let (date, time) = push_time(*at);
            json!({
                "Scan": says, "ScanCode": code, "ScanGroupType": group, "ScanType": kind,
                "ScanDate": date, "ScanTime": time, "ScannedLocationCode": self.destination_area,
                "ScannedLocation": trip.location(scan.step.place), "StatusTimeZone": "IST",
                "Comments": "",
            })
        };
        let entries: Vec<Value> = match lite {
            true => trip
                .scans()
                .iter()
                .zip(&times)
                .filter(|(s, _)| is_scan(s))
                .map(|scan| {
                    let mut shipment = scan_json(scan);
                    shipment["WaybillNo"] = json!(self.awb);
                    shipment["RefNo"] = json!(self.reference);
                    json!({ "Shipment": shipment })
                })
                .collect(),
            false => {
                let picked = trip
                    .scans()
                    .iter()
                    .position(|s| s.step.mark == Mark::PickedUp);
                let picked = picked.map(|i| push_time(times[i]));
                let (pickup_date, pickup_time) = picked.unwrap_or_default();
                vec![json!({ "Shipment": {
                    "SenderID": "Bluedart", "ReceiverID": "SHIPGATE", "WaybillNo": self.awb,
                    "RefNo": self.reference, "Prodcode": self.product,
                    "ShipmentMode": if self.reverse { "R" } else { "F" },
                    "PickUpDate": pickup_date, "PickUpTime": pickup_time,
                    "Origin": trip.location(Place::Origin), "Destination": trip.location(Place::Destination),
                    "DestinationAreaCode": self.destination_area,
                    "Scans": { "ScanDetail": trip.scans().iter().zip(&times).filter(|(s, _)| is_scan(s)).map(scan_json).collect::<Vec<_>>() },
                }})]
            }
        };
        json!({ "statustracking": entries })
    }
}

/// The profile's fields of a body (`Profile`, or `profile` in the finder's).
fn profile_of(body: &Value) -> (String, String) {
    let profile = body.get("Profile").or_else(|| body.get("profile"));
    let field = |key| profile.and_then(|p| text(p, key)).unwrap_or_default();
    (field("LoginID"), field("LicenceKey"))
}

/// Blue Dart's refusal inside HTTP 200: `{<result>: {"IsError": true, "Status": [...]}}`.
fn refused_in_200(result: &str, code: &str, words: &str) -> SimResponse {
    let line = json!({ "StatusCode": code, "StatusInformation": words });
    let body = json!({ result: { "IsError": true, "ErrorMessage": words, "Status": [line] } });
    SimResponse::json(200, &body)
}

const BAD_PROFILE: &str = "Invalid LoginID or LicenceKey";

/// A sandbox address for a label, from Blue Dart's lines and pincode.
fn label_address(name: &str, lines: [String; 3], pin: &str, phone: &str) -> Option<Address> {
    let [l1, l2, l3] = lines;
    let line2 = [l2, l3].join(" ").trim().to_string();
    Some(Address {
        name: name.to_string(),
        phone: Phone::parse(phone, "IN").ok()?,
        email: None,
        line1: l1,
        line2: Some(line2).filter(|l| !l.is_empty()),
        landmark: None,
        city: area_of(pin).to_string(),
        state: None,
        postal_code: PostalCode::parse(pin, "IN").ok()?,
        country: "IN".into(),
    })
}

impl BlueDartSimulator {
    /// The gateway's admission: the `JWTToken` header holds a token the login issued and
    /// that has not expired; the request counts for its account.
    pub fn admit_jwt(&self, request: &SimRequest) -> Result<(), SimResponse> {
        let jwt = request
            .header("jwttoken")
            .map(str::trim)
            .unwrap_or_default();
        let credential = match jwt.is_empty() {
            true => Credential::Missing,
            false => Credential::Token(jwt),
        };
        let mut books = self.books();
        let books = &mut *books;
        let account = books.tokens.spend(credential).map_err(BlueDart::refused)?;
        books.accounts.count(&account);
        Ok(())
    }

    /// Whether a profile's login id and licence key belong to an account.
    fn profile_known(&self, login_id: &str, licence_key: &str) -> bool {
        let credentials = [("login_id", login_id), ("licence_key", licence_key)];
        self.books().accounts.holding(&credentials).is_some()
    }

    /// `GET /token/v1/login`: a JWT for the account holding the client id and secret.
    fn login(&self, request: &SimRequest) -> Answer {
        let id = request.header("clientid").unwrap_or_default().trim();
        let secret = request.header("clientsecret").unwrap_or_default().trim();
        let refused = || gateway_error(401, "Unauthorized", "Invalid ClientID or clientSecret");
        require(!id.is_empty() && !secret.is_empty(), refused)?;
        let token = self.log_in(&[("client_id", id), ("client_secret", secret)]);
        let token = token.ok_or_else(refused)?;
        reply(json!({ "JWTToken": token }))
    }

    /// `POST /finder/v1/GetServicesforPincode`.
    fn pincode(&self, request: &SimRequest) -> Answer {
        self.admit_jwt(request)?;
        let body = request.json();
        let result = "GetServicesforPincodeResult";
        let (login_id, licence_key) = profile_of(&body);
        require(self.profile_known(&login_id, &licence_key), || {
            refused_in_200(result, "InvalidProfile", BAD_PROFILE)
        })?;
        let pin = text(&body, "pinCode").unwrap_or_default();
        require(is_pincode(&pin) && self.served.serves(&pin), || {
            refused_in_200(result, "PincodeNotServiced", "Pincode not serviceable")
        })?;
        let yes = |b: bool| if b { "Yes" } else { "No" };
        let cod = yes(self.served.serves_cod(&pin));
        let oda = pin.ends_with(ODA_PIN_SUFFIX);
        let area = area_of(&pin);
        reply(json!({ result: {
            "IsError": false, "ErrorMessage": "Valid", "PinCode": pin.parse::<u64>().unwrap_or_default(),
            "PinDescription": format!("SANDBOX {area}"), "AreaCode": area, "ServiceCenterCode": area,
            "eTailPrePaidAirInbound": "Yes", "eTailPrePaidAirOutbound": "Yes",
            "eTailCODAirInbound": cod, "eTailCODAirOutbound": cod,
            "eTailPrePaidGroundInbound": "Yes", "eTailPrePaidGroundOutbound": "Yes",
            "eTailCODGroundInbound": cod, "eTailCODGroundOutbound": cod,
            "ApexEDLDist": if oda { "25" } else { "0" }, "ApexEDLAddDays": if oda { "1" } else { "0" },
            "AdditionalTTDays": "0",
        }}))
    }

    /// `POST /waybill/v1/GenerateWayBill`: forward waybills and reverse pickups.
    fn generate(&self, request: &SimRequest) -> Answer {
        self.admit_jwt(request)?;
        let body = request.json();
        let result = "GenerateWayBillResult";
        let (login_id, licence_key) = profile_of(&body);
        require(self.profile_known(&login_id, &licence_key), || {
            refused_in_200(result, "InvalidProfile", BAD_PROFILE)
        })?;
        let req = body.get("Request").cloned().unwrap_or(Value::Null);
        let part = |key: &str| req.get(key).cloned().unwrap_or(Value::Null);
        let (consignee, shipper, services) = (part("Consignee"), part("Shipper"), part("Services"));
        let field = |object: &Value, key: &str| text(object, key).unwrap_or_default();
        let bad = |code: &str, words: &str| gateway_error(400, code, words);

        let to_pin = field(&consignee, "ConsigneePincode");
        let from_pin = field(&shipper, "CustomerPincode");
        require(is_pincode(&to_pin), || {
            bad("InvalidConsigneePincode", "Consignee pincode is invalid")
        })?;
        require(is_pincode(&from_pin), || {
            bad("InvalidCustomerPincode", "Customer pincode is invalid")
        })?;
        let to_phone = indian_mobile(&field(&consignee, "ConsigneeMobile"));
        let to_phone =
            to_phone.ok_or_else(|| bad("InvalidConsigneeMobile", "Consignee mobile is invalid"))?;
        let from_phone = indian_mobile(&field(&shipper, "CustomerMobile"));
        let from_phone =
            from_phone.ok_or_else(|| bad("InvalidCustomerMobile", "Customer mobile is invalid"))?;
        for (object, prefix) in [
            (&consignee, "ConsigneeAddress"),
            (&shipper, "CustomerAddress"),
        ] {
            for n in 1..=3 {
                let line = field(object, &format!("{prefix}{n}"));
                require(line.chars().count() <= 30, || {
                    bad(
                        "AddressTooLong",
                        &format!("{prefix}{n} exceeds 30 characters"),
                    )
                })?;
            }
        }
        let product = field(&services, "ProductCode").to_ascii_uppercase();
        require(["A", "E", "D"].contains(&product.as_str()), || {
            bad("InvalidProductCode", "ProductCode must be A, E or D")
        })?;
        let weight = number(&services, "ActualWeight").unwrap_or(0.0);
        require(weight > 0.0 && weight <= 1000.0, || {
            bad("InvalidWeight", "ActualWeight must be above 0")
        })?;
        let reference = field(&services, "CreditReferenceNo");
        require(
            !reference.is_empty() && reference.chars().count() <= 40,
            || {
                bad(
                    "InvalidCreditReferenceNo",
                    "CreditReferenceNo is mandatory (up to 40 characters)",
                )
            },
        )?;
        let cod = field(&services, "SubProductCode").eq_ignore_ascii_case("C");
        let collect = number(&services, "CollectableAmount").unwrap_or(0.0);
        let reverse = flag(&services, "IsReversePickup");
        require(!cod || collect > 0.0, || {
            bad(
                "InvalidCollectableAmount",
                "CollectableAmount is mandatory for COD",
            )
        })?;
        require(!(reverse && cod), || {
            bad("InvalidSubProductCode", "A reverse pickup cannot be COD")
        })?;
        require(self.served.serves_for(&to_pin, cod), || {
            let words = format!("Destination pincode {to_pin} is not serviceable for this product");
            refused_in_200(result, "DestinationNotServiceable", &words)
        })?;
        require(self.served.serves(&from_pin), || {
            let words = format!("Pickup pincode {from_pin} is not serviceable");
            refused_in_200(result, "OriginNotServiceable", &words)
        })?;

        let mut books = self.books();
        let books: &mut Books<BlueDart> = &mut books;
        let Ok(slot) = books.store.vacant(&reference) else {
            let words = format!("Duplicate CreditReferenceNo {reference}");
            return Err(refused_in_200(result, "DuplicateCreditReferenceNo", &words));
        };
        let awb = books.numbers.awbs.issue_fixed(11);
        let lines = |object: &Value, prefix: &str| {
            [1, 2, 3].map(|n| field(object, &format!("{prefix}{n}")))
        };
        let (to_area, from_area) = (area_of(&to_pin), area_of(&from_pin));
        let places = Places::new(
            &format!("{from_area} SERVICE CENTRE"),
            "SANDBOX HUB",
            &format!("{to_area} SERVICE CENTRE"),
        );
        let trip = match reverse {
            true => REVERSE_JOURNEY.trip(&to_pin, places),
            false => JOURNEY.trip(&to_pin, places),
        };
        let payment = match cod {
            true => Money::from_major_f64(collect, Currency::inr())
                .map(|cod_amount| Payment::Cod { cod_amount }),
            false => Some(Payment::Prepaid),
        };
        let label = (|| {
            Some(LabelData {
                carrier_name: "Blue Dart".into(),
                service: product.clone(),
                awb: awb.clone(),
                order_ref: reference.clone(),
                from: label_address(
                    &field(&shipper, "CustomerName"),
                    lines(&shipper, "CustomerAddress"),
                    &from_pin,
                    &from_phone,
                )?,
                to: label_address(
                    &field(&consignee, "ConsigneeName"),
                    lines(&consignee, "ConsigneeAddress"),
                    &to_pin,
                    &to_phone,
                )?,
                weight_g: (weight * 1000.0).round() as u32,
                payment: payment?,
                routing_code: Some(format!("{to_area}/{to_area}")),
                description: text(&services, "Commodity").or_else(|| {
                    services
                        .get("Commodity")
                        .and_then(|c| text(c, "CommodityDetail1"))
                }),
                created: IST.wall(Utc::now()).date(),
            })
        })();
        // Blue Dart's .NET gateway writes the PDF's bytes as a JSON array of numbers.
        let print = label.map(|data| render_pdf(&data)).unwrap_or_default();
        let record = Waybill {
            awb: awb.clone(),
            reference: reference.clone(),
            product: product.clone(),
            reverse,
            destination_area: to_area.to_string(),
            trip,
        };
        slot.insert(record, [(Key::Awb, awb.clone())]);
        books.store.count_booking();
        reply(json!({ result: {
            "AWBNo": awb, "AWBPrintContent": print, "CCRCRDREF": reference,
            "DestinationArea": to_area, "DestinationLocation": to_area,
            "IsError": false, "IsErrorInPU": false, "ShipmentPickupDate": text(&services, "PickupDate"),
            "Status": [{ "StatusCode": "Valid", "StatusInformation": "Waybill Generation Sucessful" }],
            "TokenNumber": "",
        }}))
    }

    /// `POST /waybill/v1/CancelWaybill`.
    fn cancel(&self, request: &SimRequest) -> Answer {
        self.admit_jwt(request)?;
        let body = request.json();
        let result = "CancelWaybillResult";
        let (login_id, licence_key) = profile_of(&body);
        require(self.profile_known(&login_id, &licence_key), || {
            refused_in_200(result, "InvalidProfile", BAD_PROFILE)
        })?;
        let awb = body
            .get("Request")
            .and_then(|r| text(r, "AWBNo"))
            .unwrap_or_default();
        let mut books = self.books();
        let Some(waybill) = books.store.by_mut(Key::Awb, &awb) else {
            return Err(refused_in_200(
                result,
                "InvalidAWB",
                &format!("Waybill {awb} not found"),
            ));
        };
        let too_late = "Waybill cannot be cancelled in its current status";
        waybill
            .trip
            .cancel()
            .map_err(|_| refused_in_200(result, "CancellationNotAllowed", too_late))?;
        reply(json!({ result: {
            "AWBNo": awb, "IsError": false,
            "Status": [{ "StatusCode": "Valid", "StatusInformation": "Waybill Cancelled Successfully" }],
        }}))
    }

    /// `GET /tracking/v1/shipment?handler=tnt&action=custawbquery&…&format=xml`.
    fn track(&self, request: &SimRequest) -> Answer {
        self.admit_jwt(request)?;
        let xml = |inner: String| {
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ShipmentData>{inner}</ShipmentData>"
            );
            SimResponse::raw(200, "text/xml; charset=utf-8", body)
        };
        let known = self.profile_known(request.query_text("loginid"), request.query_text("lickey"));
        require(known, || {
            xml("<Error>Invalid LicenseKey or LoginID</Error>".into())
        })?;
        let key = match request.query_text("awb") {
            "ref" => Key::Reference,
            _ => Key::Awb,
        };
        let mut out = String::new();
        for number in request.query_list("numbers") {
            let found = self.track_each([(key, number)], Waybill::render);
            match found.into_iter().next() {
                Some(shipment) => out.push_str(&shipment),
                None => {
                    let attr = if key == Key::Reference {
                        "RefNo"
                    } else {
                        "WaybillNo"
                    };
                    out.push_str(&format!(
                        "<Shipment {attr}=\"{}\"><StatusType>NF</StatusType><Status>No Information Found</Status></Shipment>",
                        xml_escape(number)
                    ));
                }
            }
        }
        Ok(xml(out))
    }

    /// `POST /pickup/v1/RegisterPickup`: a token for a pickup at a served pincode, on a
    /// day not past, for waybills the sandbox booked.
    fn register_pickup(&self, request: &SimRequest) -> Answer {
        self.admit_jwt(request)?;
        let body = request.json();
        let result = "RegisterPickupResult";
        let (login_id, licence_key) = profile_of(&body);
        require(self.profile_known(&login_id, &licence_key), || {
            refused_in_200(result, "InvalidProfile", BAD_PROFILE)
        })?;
        let req = body.get("request").cloned().unwrap_or(Value::Null);
        let field = |key: &str| text(&req, key).unwrap_or_default();
        let pin = field("CustomerPincode");
        require(is_pincode(&pin) && self.served.serves(&pin), || {
            refused_in_200(
                result,
                "PickupNotServiceable",
                &format!("Pickup pincode {pin} is not serviceable"),
            )
        })?;
        require(indian_mobile(&field("MobileTelNo")).is_some(), || {
            refused_in_200(result, "InvalidMobileTelNo", "MobileTelNo is invalid")
        })?;
        let day = dotnet_day(&field("ShipmentPickupDate"));
        let today = IST.wall(Utc::now()).date();
        let day = day.filter(|d| *d >= today);
        let day = day.ok_or_else(|| {
            refused_in_200(
                result,
                "InvalidPickupDate",
                "ShipmentPickupDate must be today or later",
            )
        })?;
        let awbs: Vec<String> = req
            .get("AWBNo")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let mut books = self.books();
        for awb in &awbs {
            require(books.store.by(Key::Awb, awb).is_some(), || {
                refused_in_200(result, "InvalidAWB", &format!("Waybill {awb} not found"))
            })?;
        }
        let token = format!("{}", books.numbers.pickups.issue() % 100_000_000);
        let tokens = &mut books.numbers.tokens;
        tokens.push_back((token.clone(), day.to_string(), false));
        if tokens.len() > KEPT_PICKUPS {
            tokens.pop_front();
        }
        reply(json!({ result: {
            "IsError": false, "TokenNumber": token,
            "Status": [{ "StatusCode": "Valid", "StatusInformation": "Pickup registered successfully" }],
        }}))
    }

    /// `POST /cancel-pickup/v1/CancelPickup`: a token the sandbox issued, for its day.
    fn cancel_pickup(&self, request: &SimRequest) -> Answer {
        self.admit_jwt(request)?;
        let body = request.json();
        let result = "CancelPickupResult";
        let (login_id, licence_key) = profile_of(&body);
        require(self.profile_known(&login_id, &licence_key), || {
            refused_in_200(result, "InvalidProfile", BAD_PROFILE)
        })?;
        let req = body.get("request").cloned().unwrap_or(Value::Null);
        let token = text(&req, "TokenNumber").unwrap_or_default();
        let day = dotnet_day(&text(&req, "PickupRegistrationDate").unwrap_or_default());
        let mut books = self.books();
        let kept = books
            .numbers
            .tokens
            .iter_mut()
            .find(|(t, _, _)| *t == token);
        let Some((_, kept_day, cancelled)) = kept else {
            return Err(refused_in_200(
                result,
                "InvalidTokenNumber",
                &format!("Pickup token {token} not found"),
            ));
        };
        require(
            day.map(|d| d.to_string()).as_ref() == Some(&*kept_day),
            || {
                refused_in_200(
                    result,
                    "InvalidPickupDate",
                    "PickupRegistrationDate does not match the pickup",
                )
            },
        )?;
        *cancelled = true;
        reply(json!({ result: {
            "IsError": false,
            "Status": [{ "StatusCode": "Valid", "StatusInformation": "Pickup cancelled successfully" }],
        }}))
    }

    /// `GET /_pushes/<awb>?product=lite|plus` (a sandbox control): the push for the scans
    /// shown so far, without moving the waybill on.
    fn push(&self, request: &SimRequest) -> Answer {
        let (_, path) = request.route();
        let awb = path.rsplit('/').next().unwrap_or_default();
        let lite = request.query_text("product").eq_ignore_ascii_case("lite");
        let books = self.books();
        let waybill = books.store.by(Key::Awb, awb);
        let waybill =
            waybill.ok_or_else(|| gateway_error(404, "InvalidAWB", "Waybill not found"))?;
        reply(waybill.push(lite))
    }
}

/// The IST day of a `/Date(<ms>)/` value.
fn dotnet_day(text: &str) -> Option<NaiveDate> {
    let ms = text.trim().strip_prefix("/Date(")?.strip_suffix(")/")?;
    let ms: i64 = ms.split(['+', '-']).next()?.parse().ok()?;
    let at = DateTime::<Utc>::from_timestamp_millis(ms)?;
    Some(IST.wall(at).date())
}

/// The label PDF of an answer, as the adapter would decode it (for tests).
pub fn print_content_bytes(answer: &Value) -> Option<Vec<u8>> {
    let content = answer
        .get("GenerateWayBillResult")?
        .get("AWBPrintContent")?;
    match content {
        Value::Array(items) => items.iter().map(|n| n.as_u64().map(|n| n as u8)).collect(),
        Value::String(text) => base64::engine::general_purpose::STANDARD.decode(text).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulator::Simulator;

    fn request(method: &str, target: &str, jwt: &str, body: Value) -> SimRequest {
        let headers = [("JWTToken".to_string(), jwt.to_string())];
        SimRequest::new(
            method,
            target,
            headers,
            body.to_string().into_bytes(),
            "http://sim",
        )
    }

    fn login(sim: &BlueDartSimulator) -> String {
        let headers = [
            ("ClientID".to_string(), SANDBOX_CLIENT_ID.to_string()),
            (
                "clientSecret".to_string(),
                SANDBOX_CLIENT_SECRET.to_string(),
            ),
        ];
        let resp = sim.handle(&SimRequest::new(
            "GET",
            "/token/v1/login",
            headers,
            Vec::new(),
            "",
        ));
        assert_eq!(resp.status, 200);
        let v: Value = serde_json::from_slice(&resp.body).unwrap();
        v["JWTToken"].as_str().unwrap().to_string()
    }

    fn profile() -> Value {
        json!({"LoginID": SANDBOX_LOGIN_ID, "LicenceKey": SANDBOX_LICENCE_KEY, "Api_type": "S"})
    }

    #[test]
    fn the_jwt_header_admits_and_expires() {
        let sim = BlueDartSimulator::new();
        let body = json!({"pinCode": "560001", "profile": profile()});
        let no_jwt = sim.handle(&request(
            "POST",
            "/finder/v1/GetServicesforPincode",
            "",
            body.clone(),
        ));
        assert_eq!(no_jwt.status, 401);
        let jwt = login(&sim);
        let ok = sim.handle(&request(
            "POST",
            "/finder/v1/GetServicesforPincode",
            &jwt,
            body.clone(),
        ));
        assert_eq!(ok.status, 200);
        sim.expire_tokens();
        let expired = sim.handle(&request(
            "POST",
            "/finder/v1/GetServicesforPincode",
            &jwt,
            body,
        ));
        assert_eq!(expired.status, 401);
        assert!(String::from_utf8_lossy(&expired.body).contains("expired"));
    }

    #[test]
    fn a_wrong_licence_key_is_refused_inside_200() {
        let sim = BlueDartSimulator::new();
        let jwt = login(&sim);
        let mut bad = profile();
        bad["LicenceKey"] = json!("nope");
        let body = json!({"pinCode": "560001", "profile": bad});
        let resp = sim.handle(&request(
            "POST",
            "/finder/v1/GetServicesforPincode",
            &jwt,
            body,
        ));
        assert_eq!(resp.status, 200);
        let v: Value = serde_json::from_slice(&resp.body).unwrap();
        assert_eq!(v["GetServicesforPincodeResult"]["IsError"], true);
        let track = sim.handle(&request(
            "GET",
            "/tracking/v1/shipment?loginid=x&lickey=y&awb=awb&numbers=1",
            &jwt,
            Value::Null,
        ));
        assert_eq!(track.status, 200);
        assert!(String::from_utf8_lossy(&track.body).contains("<Error>"));
    }

    #[test]
    fn unknown_paths_are_the_gateways_404() {
        let sim = BlueDartSimulator::new();
        let resp = sim.handle(&request("GET", "/nothing", "", Value::Null));
        assert_eq!(resp.status, 404);
        assert_eq!(sim.bookings(), 0);
    }
}
