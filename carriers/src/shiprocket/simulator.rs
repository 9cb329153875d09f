//! The Shiprocket sandbox: Shiprocket's paths, wire format and quirks on the simulator
//! kit ([`crate::simulator`]), its validation errors and error bodies Laravel's
//! ([`crate::simulator::laravel`]).
//!
//! What it plays, and the rules a test can rely on:
//!
//! - **Login** (`POST /v1/external/auth/login`) accepts [`SANDBOX_EMAIL`] /
//!   [`SANDBOX_PASSWORD`] (account `default`) and any email and password registered as an
//!   [account](crate::simulator::accounts) (`POST /_accounts`,
//!   `{"account": "a", "email": "…", "password": "…"}`; `GET /_accounts` counts each
//!   account's logins and the requests made with its tokens; bookings are shared by all
//!   accounts). It issues a token good until the kit expires it
//!   ([`tokens`](crate::simulator::tokens): `POST /sandbox/expire-tokens`, or a lifetime in
//!   requests); a missing, unknown or expired token gets Shiprocket's 401.
//! - **Rates** (`GET …/courier/serviceability/`) quote three couriers by a fixed rule:
//!   500 g slabs of the larger of dead and volumetric (L·B·H/5000) weight, a courier base
//!   price plus a per-slab price, +20 % between PIN codes sharing their first two digits
//!   and +50 % farther, and COD charges of ₹35 or 1.5 % of the declared value. The PIN
//!   code [`UNSERVICEABLE_PINCODE`] (999999) is served by no courier: rates come back
//!   empty and assigning an AWB to it fails the way Shiprocket reports it, inside HTTP 200.
//! - **Booking** is Shiprocket's three calls with real state: an order (order id and
//!   shipment id) → an AWB (counted by [`Simulator::bookings`]; a second assign is refused
//!   with 400 "Cannot reassign") → a label URL `{base_url}/labels/{awb}.pdf` that serves a
//!   PDF rendered by [`crate::label::render_pdf`]. A second order with the same channel
//!   `order_id` returns the existing order (with its AWB once assigned) instead of
//!   creating another — an assumption about Shiprocket, made so a retried booking can be
//!   shown not to double-book.
//! - **Tracking** moves forward one scan per track call along the journey table below (its
//!   detours chosen by the kit's [`rules`](crate::simulator::rules)), starting with
//!   Shiprocket's "no activities found" reply right after booking. Times are IST without
//!   a zone. An AWB never issued gets `{}` with HTTP 200, like the real unknown-AWB reply.
//! - **Cancel** by AWB answers 204 with no body; a parcel already picked up goes to RTO
//!   instead of being cancelled. Orders without AWB are cancelled by order id.
//! - **NDR actions** (`POST /v1/external/ndr/{awb}/action`, `{"action": "re-attempt" |
//!   "return", "comments": …, "phone"?, "address1"?, "address2"?, "deferred_date"?}`) are
//!   taken for a parcel whose latest scan shown is a failed attempt not yet instructed
//!   (pincodes ending `99` or `98`): 202 `{"status": "Data Updated Sucessfully"}` as in
//!   the docs, and the next track calls show a re-attempt out for delivery and delivered,
//!   or the way back ending `RTO DELIVERED`. `comments` and a known `action` are required
//!   (422 in Laravel's shape; `fake-attempt` is not played); an AWB never issued is 404
//!   and a parcel not awaiting an instruction 400, each `{"message", "status_code"}` with
//!   wording of our own (the docs show no refusal).
//! - **Orders** (`GET /v1/external/orders`, "Get all Orders") lists the orders in the
//!   docs' shape, newest first, 15 a page; `search` finds an AWB or any channel order id
//!   containing the text, so a booking whose answers were lost (order, AWB or both) is
//!   found by shipgate's shipment id. The AWB shows on the order as soon as it is
//!   assigned, answered or not. An empty result is `data: []` (assumed; the docs show
//!   no empty example).
//! - **Memory** is the kit's bounded [`store`](crate::simulator::store): a forgotten
//!   order's ids are answered as ids Shiprocket never issued (tracking `{}`, cancel "AWB
//!   not found" or "order not found", assign "Invalid shipment id", the label link S3's
//!   `NoSuchKey`, not listed), and its channel `order_id` makes a new order.
//!
//! Deterministic apart from ids, tokens and timestamps. The mutex is never held while a
//! label is rendered.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::kit::time::IST;
use crate::label::LabelData;
use crate::schema::{Address, Currency, Money, Payment, Phone, PostalCode};
use crate::simulator::journey::{
    Detour, Instruction, Journey, Mark, Place, Places, Scan, Step, Trip, step,
};
use crate::simulator::labels::{self, warehouse};
use crate::simulator::laravel::Rule::{
    Array, Digits, Gt, In, Max, Required, RequiredWithout, Says,
};
use crate::simulator::laravel::{Errors, error, invalid, page};
use crate::simulator::pricing::{CodFee, Pricing, Rate, Round, Tariff, Zone};
use crate::simulator::rules::{self, Pins, Serviceability};
use crate::simulator::sandbox::{Reveal, Route, Sandbox, Wire, reply};
use crate::simulator::store::Key;
use crate::simulator::tokens::{Gate, Refused};
use crate::simulator::values::{list, number, rupees_trimmed as rupees, scalar, text as field};
use crate::simulator::{Answer, SimRequest, SimResponse, require};

use super::simulator_pickups::Numbers;

pub const SANDBOX_EMAIL: &str = "sandbox@shipgate.test";
pub const SANDBOX_PASSWORD: &str = "sandbox-password";
/// The one pickup location registered in the sandbox account.
pub const SANDBOX_PICKUP_LOCATION: &str = "Primary";
/// No courier serves this PIN code.
pub const UNSERVICEABLE_PINCODE: &str = "999999";
/// The sandbox account's default custom channel, where API orders land.
const SANDBOX_CHANNEL_ID: u64 = 900_003;
/// Orders per page of "Get all Orders" unless `per_page` says otherwise.
const ORDERS_PER_PAGE: usize = 15;
/// A parcel's dimensions in cm, as Shiprocket's parameters name them.
const DIMENSIONS: [&str; 3] = ["length", "breadth", "height"];
/// How Shiprocket writes times: IST without a zone.
const TIME: &str = "%Y-%m-%d %H:%M:%S";

const NO_ACTIVITIES: &str = "Aahh! There is no activities found in our DB. Please have some patience it will be updated soon.";

struct Courier {
    id: u32,
    name: &'static str,
    /// Paise for the first 500 g slab and for each further one.
    tariff: Tariff,
    days: i64,
}

#[rustfmt::skip]
const COURIERS: [Courier; 3] = [
    Courier { id: 43, name: "Delhivery Surface",  tariff: Tariff { first_slab: 4500, further_slab: 3500 }, days: 5 },
    Courier { id: 1,  name: "Blue Dart",          tariff: Tariff { first_slab: 8900, further_slab: 6000 }, days: 2 },
    Courier { id: 51, name: "Xpressbees Surface", tariff: Tariff { first_slab: 4000, further_slab: 3200 }, days: 6 },
];

/// One scan's codes as Shiprocket writes them: sr-status, its label, the courier's code,
/// the activity text.
type Code = (&'static str, &'static str, &'static str, &'static str);

use Place::{Destination as Dest, Origin, Transit as Hub};

#[rustfmt::skip]
const OUT_FOR_DELIVERY: Step<Code> = step(("17", "OUT FOR DELIVERY", "X-DDD3FD", "Dispatched - Out for delivery"), Dest);
#[rustfmt::skip]
const TRIP_ARRIVED: Step<Code> = step(("18", "IN TRANSIT", "X-ILL2F", "In Transit - Trip Arrived"), Hub);

/// The journey every sandbox parcel takes, and its detours.
#[rustfmt::skip]
static JOURNEY: Journey<Code> = Journey {
    forward: &[
        step(("5",  "MANIFEST GENERATED",         "X-UCI",     "Manifested - Consignment Manifested"),             Origin),
        step(("NA", "NA",                         "FMPUR-101", "Manifested - Pickup scheduled"),                   Origin),
        step(("42", "PICKED UP",                  "X-PPOM",    "In Transit - Shipment picked up"),                 Origin).marked(Mark::PickedUp),
        step(("6",  "SHIPPED",                    "X-PIOM",    "In Transit - Shipment Recieved at Origin Center"), Origin),
        TRIP_ARRIVED,
        step(("NA", "NA",                         "X-DBL1F",   "In Transit - Added to Bag"),                       Hub),
        step(("38", "REACHED AT DESTINATION HUB", "X-IBD3F",   "In Transit - Shipment Received at Facility"),      Dest),
        OUT_FOR_DELIVERY,
        DELIVERED,
    ],
    cancelled: &[step(("8", "CANCELED", "CANCELLED", "Canceled - Shipment cancelled by seller"), Origin)],
    redelivered: &[OUT_FOR_DELIVERY, DELIVERED],
    rto: &RTO,
    returned: &[
        step(("9", "RTO INITIATED", "RT-101", "Returned - Return to origin initiated on seller request"), Origin)
            .marked(Mark::Returning),
    ],
    detours: &[
        (rules::NDR, &[Detour::attempts(&ATTEMPT, 1)]),
        (rules::RTO, &[Detour::attempts(&ATTEMPT, 2), Detour::returned(&RTO)]),
        (rules::LOST, &[Detour::lost(&[step(("12", "LOST", "LT-100", "Lost - Shipment Lost"), Hub).marked(Mark::Lost)])]),
        (rules::MISROUTED, &[Detour::misrouted(&[step(("39", "MISROUTED", "DLYMR-118", "In Transit - Misrouted"), Hub), TRIP_ARRIVED])]),
    ],
    time_digits: 0,
};

/// A failed attempt (an NDR: the parcel waits for the seller's action), then out for
/// delivery again.
#[rustfmt::skip]
const ATTEMPT: [Step<Code>; 2] = [step(("21", "UNDELIVERED", "EOD-11", "Undelivered - Consignee Unavailable"), Dest).marked(Mark::Undelivered), OUT_FOR_DELIVERY];
#[rustfmt::skip]
const DELIVERED: Step<Code> = step(("7", "DELIVERED", "EOD-38", "Delivered - Delivered to consignee"), Dest).marked(Mark::Delivered);
/// Back to the origin after failed attempts (or a `return` action), ending with
/// Shiprocket's RTO-delivered scan.
#[rustfmt::skip]
const RTO: [Step<Code>; 3] = [
    step(("9",  "RTO INITIATED",    "RT-107",  "Returned - Unsuccessful NDR Reattempt"), Dest).marked(Mark::Returning),
    step(("46", "RTO IN INTRANSIT", "X-ILL2R", "Returned - IST received"),               Hub).marked(Mark::Returning),
    step(("10", "RTO DELIVERED",    "RD-AC",   "Returned - RETURN Accepted"),            Origin).marked(Mark::Returning),
];

struct Booking {
    awb: String,
    courier: &'static Courier,
    routing_code: String,
    trip: Trip<Code>,
}

/// An order as the sandbox keeps it, with its AWB once assigned.
pub struct Order {
    order_id: u64,
    shipment_id: u64,
    channel_order_id: String,
    consignee: Address,
    payment: Payment,
    weight_g: u32,
    /// `LxBxH` in cm, as the orders list writes it.
    dimensions: String,
    /// The order value in rupees as sent (`sub_total`).
    sub_total: f64,
    /// (name, sku, units) per order item.
    items: Vec<(String, String, u64)>,
    created_at: DateTime<Utc>,
    cancelled: bool,
    booking: Option<Booking>,
    /// For a return order: the buyer it is collected from (`consignee` is then the
    /// warehouse it goes back to).
    returned_from: Option<Address>,
}

impl Order {
    /// Cancels the order and its AWB. A parcel already picked up is sent back (RTO)
    /// instead, and the scan shows on the next track call.
    fn cancel(&mut self, now: DateTime<Utc>) -> Result<(), &'static str> {
        if let Some(booking) = self.booking.as_mut() {
            let refused = "a delivered shipment cannot be cancelled";
            booking.trip.cancel().map_err(|_| refused)?;
            booking.trip.advance(now);
        }
        self.cancelled = true;
        Ok(())
    }

    /// The order status text and id (`[codes.order_status]`) the order's state stands for.
    fn status(&self) -> (&'static str, u32) {
        let booking = self.booking.as_ref();
        if self.returned_from.is_some() {
            return return_status(self.cancelled, booking.is_some());
        }
        match (self.cancelled, booking) {
            // A cancel after pickup turned into a return.
            (true, Some(b)) if b.trip.reached(Mark::Returning) => ("RTO INITIATED", 15),
            (true, _) => ("CANCELED", 5),
            (false, Some(_)) => ("READY TO SHIP", 3),
            (false, None) => ("NEW", 1),
        }
    }

    /// The label data of a booked order.
    fn label(&self) -> Option<LabelData> {
        let from = match &self.returned_from {
            Some(buyer) => buyer.clone(),
            None => warehouse()?,
        };
        let booking = self.booking.as_ref()?;
        let names = self.items.iter().map(|(name, _, _)| name.as_str());
        let description = names
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        Some(LabelData {
            carrier_name: format!("Shiprocket · {}", booking.courier.name),
            service: booking.courier.name.to_string(),
            awb: booking.awb.clone(),
            order_ref: self.channel_order_id.clone(),
            from,
            to: self.consignee.clone(),
            weight_g: self.weight_g,
            payment: self.payment.clone(),
            routing_code: Some(booking.routing_code.clone()),
            description: (!description.is_empty()).then_some(description),
            created: IST.wall(self.created_at).date(),
        })
    }

    /// The tracking answer: the scans revealed so far, newest first; "no activities" until
    /// the AWB shows a scan (by shipment id, an empty list once an AWB is assigned).
    fn tracking(&self, key: Key) -> Value {
        let no_activities = json!({"tracking_data": {"track_status": 0, "error": NO_ACTIVITIES}});
        let (destination, consignee) = (&self.consignee.city, &self.consignee.name);
        let weight = format!("{:.2}", f64::from(self.weight_g) / 1000.0);
        let Some(booking) = self.booking.as_ref() else {
            return no_activities;
        };
        let (trip, scans) = (&booking.trip, booking.trip.scans());
        if scans.is_empty() && key == Key::Awb {
            return no_activities;
        }
        // The newest scan Shiprocket classified sets the shipment's status.
        let mut codes = scans.iter().rev().map(|s| s.step.code);
        let classified = codes.find(|c| c.0 != "NA");
        let (status, label, ..) = classified.unwrap_or(("1", "AWB Assigned", "", ""));
        let activity = |s: &Scan<Code>| {
            let (sr_status, _, courier_code, activity) = s.step.code;
            json!({
                "date": IST.format(s.time, TIME), "status": courier_code, "activity": activity,
                "location": trip.location(s.step.place), "sr-status": sr_status,
            })
        };
        let time_of = |mark| trip.first(mark).map(|s| IST.format(s.time, TIME));
        json!({"tracking_data": {
            "track_status": i32::from(!scans.is_empty()),
            "shipment_status": status.parse::<u32>().unwrap_or(1),
            "shipment_track": [{
                "id": self.shipment_id + 7, "awb_code": booking.awb,
                "courier_company_id": booking.courier.id, "shipment_id": self.shipment_id,
                "order_id": self.order_id, "pickup_date": time_of(Mark::PickedUp),
                "delivered_date": time_of(Mark::Delivered),
                "weight": weight, "packages": 1, "current_status": label,
                "delivered_to": destination, "destination": destination,
                "consignee_name": consignee, "origin": "Bengaluru", "courier_agent_details": null,
            }],
            "shipment_track_activities": scans.iter().rev().map(activity).collect::<Vec<_>>(),
            "track_url": format!("https://shiprocket.co/tracking/{}", booking.awb),
        }})
    }

    /// The destination PIN code.
    pub(super) fn consignee_pin(&self) -> &str {
        self.consignee.postal_code.as_str()
    }

    pub(super) fn trip_mut(&mut self) -> Option<&mut Trip<Code>> {
        Some(&mut self.booking.as_mut()?.trip)
    }

    pub(super) fn shipment_id_text(&self) -> String {
        self.shipment_id.to_string()
    }

    /// The AWB, once assigned and while not cancelled.
    pub(super) fn live_awb(&self) -> Option<String> {
        let booking = self.booking.as_ref().filter(|_| !self.cancelled)?;
        Some(booking.awb.clone())
    }
}

/// Shiprocket's API in the sandbox: the kit configured by [`Shiprocket`].
pub type ShiprocketSimulator = Sandbox<Shiprocket>;
type S = ShiprocketSimulator;

/// Shiprocket's wire format and sandbox rules, as the kit's configuration.
pub struct Shiprocket;

impl Wire for Shiprocket {
    /// Found by channel order id (the reference), order id, shipment id and AWB.
    type Record = Order;
    type Code = Code;
    type Numbers = Numbers;
    /// Open: login, the S3-like label link, the sandbox controls; the rest need a token.
    #[rustfmt::skip]
    const ROUTES: &'static [Route<Self>] = &[
        Route::post("/v1/external/auth/login",                  S::login).open(),
        Route::post("/sandbox/expire-tokens",                   S::expire).open(),
        Route::post("/_accounts",                               S::add_account).open(),
        Route::get("/_accounts",                                S::accounts).open(),
        Route::get("/labels/",                                  S::label_pdf).below().open(),
        Route::get("/v1/external/courier/serviceability",       S::serviceability),
        Route::post("/v1/external/orders/create/adhoc",         S::create_order),
        Route::post("/v1/external/orders/create/return",        S::create_return_order),
        Route::post("/v1/external/courier/assign/awb",          S::assign_awb),
        Route::post("/v1/external/courier/generate/label",      S::generate_label),
        Route::post("/v1/external/orders/cancel/shipment/awbs", S::cancel),
        Route::post("/v1/external/orders/cancel",               S::cancel),
        Route::get("/v1/external/orders",                       S::list_orders),
        Route::get(TRACK_AWB,                                   S::track).below(),
        Route::post(NDR,                                        S::ndr_action).below(),
        Route::get(TRACK_SHIPMENT,                              S::track).below(),
        Route::post("/v1/external/settings/company/addpickup",  S::add_pickup),
        Route::post("/v1/external/courier/generate/pickup",     S::generate_pickup),
        Route::post("/v1/external/manifests/generate",          S::generate_manifest),
        Route::post("/v1/external/manifests/print",             S::print_manifest),
    ];
    const GATE: Gate = Gate::login("Bearer");
    const ACCOUNT: &'static [(&'static str, &'static str)] =
        &[("email", SANDBOX_EMAIL), ("password", SANDBOX_PASSWORD)];
    /// Right after booking, Shiprocket has no activities to show.
    const REVEAL: Reveal = Reveal::After;

    fn trip(order: &mut Order) -> Option<&mut Trip<Code>> {
        Some(&mut order.booking.as_mut()?.trip)
    }

    fn numbers() -> Numbers {
        Numbers::default()
    }

    const SERVED: Serviceability = Serviceability {
        unserved: &[Pins::Exactly(UNSERVICEABLE_PINCODE)],
        prepaid_only: &[],
    };

    fn pricing() -> Pricing {
        let zones = vec![
            Zone::new("z_a", 3),
            Zone::new("z_b", 2).priced(120, 0),
            Zone::new("z_d", 0).priced(150, 1),
        ];
        let rates = COURIERS.iter().map(|c| Rate::everywhere(c.name, c.tariff));
        Pricing {
            cod: Some(CodFee::new(15, 3500, Round::Down)),
            ..Pricing::new(500, zones, rates.collect())
        }
    }

    fn refused(why: Refused) -> SimResponse {
        match why {
            Refused::Expired => error(401, "Token has expired"),
            Refused::Missing | Refused::Unknown => error(401, BAD_CREDENTIALS),
        }
    }

    fn unknown_path() -> SimResponse {
        error(404, "404 Not Found")
    }
}

impl ShiprocketSimulator {
    fn login(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        Errors::new()
            .require(&body, "email password")
            .answer(INVALID)?;
        let [email, password] = ["email", "password"].map(|k| field(&body, k).unwrap_or_default());
        let token = self.log_in(&[("email", &email), ("password", &password)]);
        let wrong = || error(400, "Invalid email and password combination");
        let token = token.ok_or_else(wrong)?;
        reply(json!({
            "company_id": 900001, "created_at": IST.format(Utc::now(), TIME),
            "email": email, "first_name": "Sandbox", "id": 900002,
            "last_name": "Shipper", "token": token,
        }))
    }

    fn serviceability(&self, req: &SimRequest) -> Answer {
        let q = |key: &str| req.query_value(key).map(str::trim);
        let positive = |key| req.query_number(key).filter(|v| *v > 0.0);
        let pickup = req.query_text("pickup_postcode");
        let delivery = req.query_text("delivery_postcode");
        let weight_kg = positive("weight").filter(|w| w.is_finite());
        let cod = q("cod");
        let mut errors = Errors::new();
        errors.check(weight_kg.is_some(), "weight", RequiredWithout("order_id"));
        let cod_given = matches!(cod, Some("0" | "1"));
        errors.check(cod_given, "cod", RequiredWithout("order_id"));
        for (key, pin) in [("pickup_postcode", pickup), ("delivery_postcode", delivery)] {
            errors.check(PostalCode::parse(pin, "IN").is_ok(), key, Digits(6));
        }
        // Bounded so that the charges computed from them cannot overflow: far beyond any
        // parcel (kg, cm).
        let limits = DIMENSIONS.map(|key| (key, 1e5));
        for (key, max) in [("weight", 1e6)].into_iter().chain(limits) {
            let over = req.query_number(key).is_some_and(|v| v > max);
            errors.check(!over, key, Max(max));
        }
        errors.answer(MISSING)?;
        let volumetric_g = match DIMENSIONS.map(positive) {
            [Some(l), Some(b), Some(h)] => (l * b * h / 5.0).round() as i64,
            _ => 0,
        };
        let declared = q("declared_value").and_then(|v| Money::from_major_str(v, Currency::inr()));
        let cod = (cod == Some("1")).then_some(declared.map_or(0, |m| m.amount));
        let weight_g = (weight_kg.unwrap_or(0.5) * 1000.0).round() as i64;
        let quote = |c: &Courier| {
            let grams = weight_g.max(volumetric_g) as f64;
            let lane = (pickup, delivery);
            let q = self.pricing_for(lane)?.charges(lane, grams, c.name, cod)?;
            let days = c.days + q.zone.extra_days;
            Some(json!({
                "courier_company_id": c.id, "courier_name": c.name,
                "rate": rupees(q.freight + q.cod), "freight_charge": rupees(q.freight),
                "cod_charges": rupees(q.cod), "cod": 1, "blocked": 0,
                "charge_weight": (q.slabs * self.pricing.slab_g) as f64 / 1000.0, "min_weight": 0.5,
                "etd": IST.format(Utc::now() + Duration::days(days), "%b %d, %Y"),
                "etd_hours": days * 24, "estimated_delivery_days": days.to_string(),
                "is_surface": c.id != 1, "zone": q.zone.name, "postcode": delivery, "rating": 4.5,
            }))
        };
        let companies: Vec<Value> = COURIERS.iter().filter_map(quote).collect();
        let rate = |c: &&Value| c["rate"].as_f64().unwrap_or(f64::MAX);
        let cheapest = companies.iter().min_by(|a, b| rate(a).total_cmp(&rate(b)));
        let recommended = cheapest.map_or(Value::Null, |c| c["courier_company_id"].clone());
        reply(json!({
            "currency": "INR", "status": 200,
            "data": {
                "available_courier_companies": companies, "blocked_courier_companies": [],
                "recommended_courier_company_id": recommended,
                "shiprocket_recommended_courier_id": recommended,
            },
        }))
    }

    fn create_order(&self, req: &SimRequest) -> Answer {
        const REQUIRED: &str = "order_id order_date pickup_location billing_customer_name \
            billing_address billing_city billing_pincode billing_state billing_country \
            billing_phone payment_method sub_total length breadth height weight";
        const NUMBERS: [&str; 5] = ["sub_total", "length", "breadth", "height", "weight"];
        let body = req.json();
        let text = |key: &str| field(&body, key);
        let items = list(&body, "order_items");
        let mut errors = Errors::new();
        errors.require(&body, REQUIRED);
        errors
            .check(items.is_some(), "order_items", Required)
            .answer(INVALID)?;
        let registered = text("pickup_location").as_deref() == Some(SANDBOX_PICKUP_LOCATION);
        require(registered, || error(422, WRONG_PICKUP))?;
        let phone = text("billing_phone").and_then(|p| Phone::parse(&p, "IN").ok());
        let pincode = text("billing_pincode").and_then(|p| PostalCode::parse(&p, "IN").ok());
        let method = text("payment_method").map(|m| m.to_ascii_lowercase());
        let method = method.unwrap_or_default();
        let numbers = NUMBERS.map(|k| number(&body, k));
        let mut errors = Errors::new();
        errors.check(phone.is_some(), "billing_phone", Says(BAD_PHONE));
        errors.check(pincode.is_some(), "billing_pincode", Digits(6));
        let known_method = matches!(method.as_str(), "prepaid" | "cod");
        errors.check(known_method, "payment_method", In);
        for (key, value) in NUMBERS.iter().zip(numbers) {
            // An order may be free, a parcel may not be weightless or flat.
            let ok = value.is_some_and(|v| v > 0.0 || (*key == "sub_total" && v >= 0.0));
            errors.check(ok, key, Gt(0.0));
        }
        errors.answer(INVALID)?;
        let (Some(phone), Some(postal_code)) = (phone, pincode) else {
            unreachable!("checked above");
        };
        let channel_order_id = text("order_id").unwrap_or_default();
        let mut guard = self.books();
        let books = &mut *guard;
        let slot = books.store.vacant(&channel_order_id);
        let slot = slot.map_err(|existing| SimResponse::json(200, &order_reply(existing)))?;
        let [sub_total, length, breadth, height, weight] = numbers.map(|n| n.unwrap_or(0.0));
        let item = |i: &Value| {
            let units = number(i, "units").map_or(1, |u| u.max(1.0) as u64);
            let text = |key| field(i, key).unwrap_or_default();
            (text("name"), text("sku"), units)
        };
        let name = [text("billing_customer_name"), text("billing_last_name")];
        let consignee = Address {
            name: name.into_iter().flatten().collect::<Vec<_>>().join(" "),
            phone,
            email: text("billing_email"),
            line1: text("billing_address").unwrap_or_default(),
            line2: text("billing_address_2"),
            landmark: None,
            city: text("billing_city").unwrap_or_default(),
            state: text("billing_state"),
            postal_code,
            country: "IN".into(),
        };
        let cod_amount = Money::inr((sub_total * 100.0).round() as i64);
        let payment = match method.as_str() {
            "cod" => Payment::Cod { cod_amount },
            _ => Payment::Prepaid,
        };
        let order_id = 300_000_000 + books.numbers.issue();
        let shipment_id = 200_000_000 + books.numbers.issue();
        let order = Order {
            order_id,
            shipment_id,
            channel_order_id,
            consignee,
            payment,
            weight_g: (weight * 1000.0).round() as u32,
            dimensions: format!("{length:.2}x{breadth:.2}x{height:.2}"),
            sub_total,
            items: items.into_iter().flatten().map(item).collect(),
            created_at: Utc::now(),
            cancelled: false,
            booking: None,
            returned_from: None,
        };
        let answer = order_reply(&order);
        let keys = [(Key::OrderId, order_id), (Key::ShipmentId, shipment_id)];
        slot.insert(order, keys.map(|(key, id)| (key, id.to_string())));
        reply(answer)
    }

    fn assign_awb(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let shipment_id = field(&body, "shipment_id");
        let shipment_id = shipment_id.ok_or_else(|| invalid(MISSING, "shipment_id", Required))?;
        let mut guard = self.books();
        let books = &mut *guard;
        let unknown = || error(400, "Invalid shipment id");
        let id = books.store.find(Key::ShipmentId, &shipment_id);
        let id = id.ok_or_else(unknown)?;
        let seq = books.numbers.issue();
        let order = books.store.get_mut(id).ok_or_else(unknown)?;
        require(order.booking.is_none(), || error(400, REASSIGN))?;
        require(!order.cancelled, || error(400, CANCELLED))?;
        assign_fits_order(order, &body)?;
        let failed = |message: String| {
            let answer = json!({"awb_assign_status": 0, "response": {"data": {"awb_assign_error": message}}});
            SimResponse::json(200, &answer)
        };
        // A return is served where it is collected.
        let pin = match &order.returned_from {
            Some(buyer) => buyer.postal_code.as_str(),
            None => order.consignee.postal_code.as_str(),
        };
        let no_courier = || {
            failed(format!(
                "Delivery postcode {pin} is not serviceable by any courier."
            ))
        };
        require(self.served.serves(pin), no_courier)?;
        let not_served = |id| {
            failed(format!(
                "Courier {id} is not serviceable for this shipment."
            ))
        };
        let courier = match field(&body, "courier_id") {
            None => &COURIERS[0],
            Some(id) => {
                let asked = COURIERS.iter().find(|c| c.id.to_string() == id);
                asked.ok_or_else(|| not_served(id))?
            }
        };
        let awb = format!("{:03}{:09}", courier.id, 100_000 + seq);
        let routing_code = format!("S1/{}/{:03}", &pin[..3], courier.id);
        let c = &order.consignee;
        let destination = Places::facility(&c.city, "DC", c.state.as_deref().unwrap_or_default());
        let trip = match &order.returned_from {
            Some(buyer) => return_trip(buyer, &destination),
            None => JOURNEY.trip(
                pin,
                Places::new(HUB, "Nagpur_Hub (Maharashtra)", &destination),
            ),
        };
        let now = Utc::now();
        let answer = json!({
            "awb_assign_status": 1,
            "response": {"data": {
                "courier_company_id": courier.id, "awb_code": awb,
                "cod": i32::from(matches!(order.payment, Payment::Cod { .. })),
                "order_id": order.order_id, "shipment_id": order.shipment_id, "awb_code_status": 1,
                "assigned_date_time": {
                    "date": IST.format(now, "%Y-%m-%d %H:%M:%S%.6f"),
                    "timezone_type": 3, "timezone": "Asia/Kolkata",
                },
                "applied_weight": f64::from(order.weight_g.max(500)) / 1000.0,
                "courier_name": courier.name, "child_courier_name": null,
                "pickup_scheduled_date": IST.format(now + Duration::hours(4), "%Y-%m-%d %H:00:00"),
                "routing_code": routing_code, "rto_routing_code": "",
                "invoice_no": format!("SG{}", order.order_id),
            }},
        });
        let booking = Booking {
            awb: awb.clone(),
            courier,
            routing_code,
            trip,
        };
        order.booking = Some(booking);
        books.store.add_key(id, Key::Awb, &awb);
        books.store.count_booking();
        reply(answer)
    }

    fn generate_label(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let ids = body.get("shipment_id").and_then(Value::as_array);
        let ids = ids.ok_or_else(|| invalid(INVALID, "shipment_id", Array))?;
        let books = self.books();
        let awb_of = |id: &Value| books.store.by(Key::ShipmentId, &scalar(id)?)?.live_awb();
        let (awbs, not_created): (Vec<_>, Vec<_>) = ids.iter().partition(|id| awb_of(id).is_some());
        let answer = match awbs.first().and_then(|id| awb_of(id)) {
            Some(awb) => json!({
                "label_created": 1,
                "label_url": labels::link(&req.base_url, &awb),
                "response": "Label has been created and uploaded successfully!",
                "not_created": not_created,
            }),
            None => {
                json!({"label_created": 0, "not_created": [], "response": "No valid shipment ids to print label"})
            }
        };
        reply(answer)
    }

    /// The PDF behind a label link, `/labels/{awb}.pdf`, served like S3 serves it.
    fn label_pdf(&self, req: &SimRequest) -> Answer {
        let awb = labels::awb_of(req.route().1).ok_or_else(Shiprocket::unknown_path)?;
        // Rendered once the lock is let go.
        let order = self.books().store.by(Key::Awb, awb).map(Order::label);
        let data = order.ok_or_else(labels::missing)?;
        Ok(labels::pdf(
            &data.ok_or_else(|| error(500, "label data unavailable"))?,
        ))
    }
    /// Cancels by AWB (`awbs`) or by order id (`ids`); refused only when every one is.
    fn cancel(&self, req: &SimRequest) -> Answer {
        let by_awb = req.route().1.ends_with("/awbs");
        let (field_name, key, missing) = match by_awb {
            true => ("awbs", Key::Awb, "AWB not found"),
            false => ("ids", Key::OrderId, "order not found"),
        };
        let body = req.json();
        let values = list(&body, field_name);
        let values = values.ok_or_else(|| invalid(INVALID, field_name, Required))?;
        let now = Utc::now();
        let named = values.iter().filter_map(scalar);
        let mut books = self.books();
        let refused = books.store.act_on(key, named, missing, |o| o.cancel(now));
        let failed = || error(400, &format!("Cancellation failed. {}", refused.join("; ")));
        require(refused.len() < values.len(), failed)?;
        let cancelled = json!({"status": 200, "message": "Order(s) cancelled successfully."});
        Ok(match by_awb {
            true => SimResponse::raw(204, "application/json", Vec::new()),
            false => SimResponse::json(200, &cancelled),
        })
    }

    /// "Get all Orders": newest first, paginated, narrowed by `search`, which matches an
    /// AWB exactly or any channel order id containing the text (a search, not a lookup:
    /// `SG-1` also finds `SG-10`). No match is `data: []` with HTTP 200.
    fn list_orders(&self, req: &SimRequest) -> Answer {
        let search = Some(req.query_text("search").to_ascii_lowercase()).filter(|s| !s.is_empty());
        let positive = |key| req.query_text(key).parse::<usize>().ok().filter(|n| *n > 0);
        let per_page = positive("per_page").unwrap_or(ORDERS_PER_PAGE).min(100);
        let books = self.books();
        let matches = |o: &&Order| match &search {
            None => true,
            Some(text) => {
                let channel_order_id = o.channel_order_id.to_ascii_lowercase();
                let awb = o.booking.as_ref().map(|b| b.awb.to_ascii_lowercase());
                awb.as_ref() == Some(text) || channel_order_id.contains(text.as_str())
            }
        };
        let matched: Vec<&Order> = books.store.newest_first().filter(matches).collect();
        let base = req.base_url.trim_end_matches('/');
        let link = |n| format!("{base}/v1/external/orders?page={n}");
        let (shown, meta) = page(matched, positive("page").unwrap_or(1), per_page, link);
        let data: Vec<Value> = shown.into_iter().map(listed_order).collect();
        reply(json!({"data": data, "meta": meta}))
    }

    /// An NDR action on an AWB (see the module docs): the trip instructed, or refused.
    fn ndr_action(&self, req: &SimRequest) -> Answer {
        let path = req.route().1.strip_prefix(NDR).unwrap_or_default();
        let awb = path.strip_suffix("/action").filter(|a| !a.contains('/'));
        let awb = awb.ok_or_else(|| error(404, "404 Not Found"))?;
        let body = req.json();
        let mut errors = Errors::new();
        errors.require(&body, "action comments");
        let action = field(&body, "action").unwrap_or_default();
        let known = ["re-attempt", "return"].contains(&action.as_str());
        errors.check(action.is_empty() || known, "action", In);
        errors.answer(INVALID)?;
        let instruction = match action.as_str() {
            "return" => Instruction::Return,
            _ => Instruction::Redeliver,
        };
        let mut books = self.books();
        let booking = books
            .store
            .by_mut(Key::Awb, awb)
            .and_then(|o| o.booking.as_mut());
        // Not in the docs: wording ours.
        let booking = booking.ok_or_else(|| error(404, "AWB not found"))?;
        let not_ndr = || error(400, "Action can not be taken: the shipment is not in NDR.");
        S::instruct(&mut booking.trip, instruction).map_err(|_| not_ndr())?;
        let taken = json!({ "status": "Data Updated Sucessfully" });
        Ok(SimResponse::json(202, &taken))
    }

    /// Answers a track call with the scans revealed so far, then reveals the next one.
    fn track(&self, req: &SimRequest) -> Answer {
        let path = req.route().1;
        let shipment = || path.strip_prefix(TRACK_SHIPMENT).unwrap_or_default();
        let (key, value) = match path.strip_prefix(TRACK_AWB) {
            Some(awb) => (Key::Awb, awb),
            None => (Key::ShipmentId, shipment()),
        };
        let mut found = self.track_each([(key, value)], |order| order.tracking(key));
        reply(found.pop().unwrap_or_else(|| json!({})))
    }
}

// --- Return orders -------------------------------------------------------------------
//
// `POST /v1/external/orders/create/return` makes an order collected from the buyer
// (`pickup_*`) and delivered to the warehouse (`shipping_*`), answered like the docs'
// sample (`status` "RETURN PENDING", `status_code` 21); a reused `order_id`, a missing
// field, a bad phone or PIN code, an unknown `return_reason` or a QC check without
// `qc_product_name` is the docs' 422 "Oops! Invalid Data." with Laravel's errors. Its AWB
// is assigned with `is_return: 1` (a return order without it, or a forward order with it,
// is refused with 400; wording ours), by a courier serving the buyer's PIN code. Its trip
// shows the tracking statuses Shiprocket uses for any pickup (27 Pickup Booked, 19 Out
// For Pickup, 42 Picked Up, …, 7 Delivered at the warehouse); the orders list shows the
// return order statuses (21 Return Pending, 28 Return Pickup Generated, 27 Return
// Cancelled). Cancelled before pickup it shows 8 CANCELED; after pickup it still goes on to
// the warehouse.

/// The return reasons Shiprocket publishes for return orders (its API takes the text).
const RETURN_REASONS: &[&str] = &[
    "Bought by Mistake",
    "Better price available",
    "Performance or quality not adequate",
    "Incompatible or not useful",
    "Product damaged, but shipping box OK",
    "Item arrived too late",
    "Missing parts or accessories",
    "Both product and shipping box damaged",
    "Wrong item was sent",
    "Item defective or doesn't work",
    "No longer needed",
    "Didn't approve purchase",
    "Inaccurate website description",
    "Return against replacement",
    "Delay Refund",
    "Delivered Late",
    "Product does not Match Description on Website",
    "Both Product & Outer Box Damaged",
    "Defective or does not work",
    "Product damaged, but outer Box OK",
    "Missing Parts or Accessories",
    "Incorrect Item Delivered",
    "Product Defective or Doesn't Work",
    "Product performance/quality is not up to my expectations",
    "Other",
    "Changed my mind",
    "Does not fit",
    "Size not as expected",
    "Item is damaged",
    "Received wrong item",
    "Parcel damaged on arrival",
    "Quality not as expected",
    "Missing Item or accessories",
    "Performance not adequate",
    "Not as described",
    "Arrived too late",
    "Order Not Received",
    "Empty Package",
    "Wrong item or Wrong colour was sent",
    "Item defective, expired, spoilt or does not work",
    "Items or parts missing",
    "Size or Quantity issues",
    "Status as delivered but order not received",
    "N/A",
];

/// A return's trip: from the buyer's door to the warehouse.
#[rustfmt::skip]
static RETURN_JOURNEY: Journey<Code> = Journey {
    forward: &[
        step(("27", "PICKUP BOOKED",  "FMPUR-101", "Pickup Booked - Return pickup scheduled"),   Origin),
        step(("19", "OUT FOR PICKUP", "X-DDD3FP",  "Out For Pickup - Out for pickup"),           Origin),
        step(("42", "PICKED UP",      "X-PPOM",    "Picked Up - Return picked up from customer"), Origin).marked(Mark::PickedUp),
        RETURN_TO_WAREHOUSE[0], RETURN_TO_WAREHOUSE[1], RETURN_TO_WAREHOUSE[2], RETURN_TO_WAREHOUSE[3],
    ],
    cancelled: &[step(("8", "CANCELED", "CANCELLED", "Canceled - Return pickup cancelled by seller"), Origin)],
    returned: &RETURN_TO_WAREHOUSE,
    redelivered: &[],
    rto: &[],
    detours: &[],
    time_digits: 0,
};

/// A picked-up return's way to the warehouse.
#[rustfmt::skip]
const RETURN_TO_WAREHOUSE: [Step<Code>; 4] = [
    step(("18", "IN TRANSIT",                 "X-ILL2F",  "In Transit - Trip Arrived"),                       Hub),
    step(("38", "REACHED AT DESTINATION HUB", "X-IBD3F",  "In Transit - Shipment Received at Facility"),      Dest),
    step(("17", "OUT FOR DELIVERY",           "X-DDD3FD", "Dispatched - Out for delivery to seller"),         Dest),
    step(("7",  "DELIVERED",                  "EOD-38",   "Delivered - Return delivered to seller"),          Dest).marked(Mark::Delivered),
];

/// The order status (text, `[codes.order_status]` id) of a return order.
fn return_status(cancelled: bool, assigned: bool) -> (&'static str, u32) {
    match (cancelled, assigned) {
        (true, _) => ("RETURN CANCELLED", 27),
        (false, true) => ("RETURN PICKUP GENERATED", 28),
        (false, false) => ("RETURN PENDING", 21),
    }
}

/// Whether `is_return` in an AWB assignment agrees with the order (wording ours).
fn assign_fits_order(order: &Order, body: &Value) -> Result<(), SimResponse> {
    let is_return = field(body, "is_return").is_some_and(|v| v == "1" || v == "true");
    match (order.returned_from.is_some(), is_return) {
        (true, false) => Err(error(400, "This is a return shipment: pass is_return = 1.")),
        (false, true) => Err(error(400, "This is not a return shipment.")),
        _ => Ok(()),
    }
}

/// A return's trip from `buyer` to the warehouse facility `destination`.
fn return_trip(buyer: &Address, destination: &str) -> Trip<Code> {
    let state = buyer.state.as_deref().unwrap_or_default();
    let origin = Places::facility(&buyer.city, "PU", state);
    let places = Places::new(&origin, "Nagpur_Hub (Maharashtra)", destination);
    RETURN_JOURNEY.trip(buyer.postal_code.as_str(), places)
}

/// An address from a return order's `pickup_*` or `shipping_*` fields (already checked).
fn return_party(body: &Value, side: &str, phone: Phone, postal_code: PostalCode) -> Address {
    let text = |key: &str| field(body, &format!("{side}_{key}"));
    let name = [text("customer_name"), text("last_name")];
    Address {
        name: name.into_iter().flatten().collect::<Vec<_>>().join(" "),
        phone,
        email: text("email"),
        line1: text("address").unwrap_or_default(),
        line2: text("address_2"),
        landmark: None,
        city: text("city").unwrap_or_default(),
        state: text("state"),
        postal_code,
        country: "IN".into(),
    }
}

impl ShiprocketSimulator {
    /// `POST /v1/external/orders/create/return` (see above).
    fn create_return_order(&self, req: &SimRequest) -> Answer {
        const REQUIRED: &str = "order_id order_date pickup_customer_name pickup_address \
            pickup_city pickup_state pickup_country pickup_pincode pickup_email pickup_phone \
            shipping_customer_name shipping_address shipping_city shipping_country \
            shipping_pincode shipping_state shipping_phone payment_method sub_total length \
            breadth height weight";
        const NUMBERS: [&str; 5] = ["sub_total", "length", "breadth", "height", "weight"];
        let body = req.json();
        let text = |key: &str| field(&body, key);
        let items = list(&body, "order_items").filter(|i| !i.is_empty());
        let mut errors = Errors::new();
        errors.require(&body, REQUIRED);
        errors.check(items.is_some(), "order_items", Required);
        let phone = |key: &str| text(key).and_then(|p| Phone::parse(&p, "IN").ok());
        let pin = |key: &str| text(key).and_then(|p| PostalCode::parse(&p, "IN").ok());
        let (buyer_phone, warehouse_phone) = (phone("pickup_phone"), phone("shipping_phone"));
        let (buyer_pin, warehouse_pin) = (pin("pickup_pincode"), pin("shipping_pincode"));
        if text("pickup_phone").is_some() {
            errors.check(
                buyer_phone.is_some(),
                "pickup_phone",
                Says(BAD_RETURN_PHONE),
            );
        }
        if text("shipping_phone").is_some() {
            errors.check(
                warehouse_phone.is_some(),
                "shipping_phone",
                Says(BAD_RETURN_PHONE),
            );
        }
        for (key, ok) in [
            ("pickup_pincode", buyer_pin.is_some()),
            ("shipping_pincode", warehouse_pin.is_some()),
        ] {
            if text(key).is_some() {
                errors.check(ok, key, Digits(6));
            }
        }
        let method = text("payment_method")
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !method.is_empty() {
            errors.check(method == "prepaid", "payment_method", In);
        }
        let numbers = NUMBERS.map(|k| number(&body, k));
        for (key, value) in NUMBERS.iter().zip(numbers) {
            if text(key).is_some() {
                let ok = value.is_some_and(|v| v > 0.0 || (*key == "sub_total" && v >= 0.0));
                errors.check(ok, key, Gt(0.0));
            }
        }
        for (i, item) in items.into_iter().flatten().enumerate() {
            let reason = field(item, "return_reason");
            let known = reason
                .as_deref()
                .is_none_or(|r| RETURN_REASONS.contains(&r));
            errors.check(known, &format!("order_items.{i}.return_reason"), In);
            let qc = item.get("qc_enable").and_then(Value::as_bool) == Some(true);
            let named = field(item, "qc_product_name").is_some();
            errors.check(
                !qc || named,
                &format!("order_items.{i}.qc_product_name"),
                Required,
            );
        }
        let channel_order_id = text("order_id").unwrap_or_default();
        let mut guard = self.books();
        let books = &mut *guard;
        let taken = !channel_order_id.is_empty() && books.store.vacant(&channel_order_id).is_err();
        errors.check(
            !taken,
            "order_id",
            Says("The order id has already been taken."),
        );
        errors.answer(INVALID)?;
        let (Some(buyer_phone), Some(warehouse_phone), Some(buyer_pin), Some(warehouse_pin)) =
            (buyer_phone, warehouse_phone, buyer_pin, warehouse_pin)
        else {
            unreachable!("checked above");
        };
        let slot = books.store.vacant(&channel_order_id);
        let slot = slot.map_err(|_| error(500, "order id race"))?;
        let [sub_total, length, breadth, height, weight] = numbers.map(|n| n.unwrap_or(0.0));
        let item = |i: &Value| {
            let units = number(i, "units").map_or(1, |u| u.max(1.0) as u64);
            let text = |key| field(i, key).unwrap_or_default();
            (text("name"), text("sku"), units)
        };
        let order_id = 300_000_000 + books.numbers.issue();
        let shipment_id = 200_000_000 + books.numbers.issue();
        let order = Order {
            order_id,
            shipment_id,
            channel_order_id,
            consignee: return_party(&body, "shipping", warehouse_phone, warehouse_pin),
            payment: Payment::Prepaid,
            weight_g: (weight * 1000.0).round() as u32,
            dimensions: format!("{length:.2}x{breadth:.2}x{height:.2}"),
            sub_total,
            items: items.into_iter().flatten().map(item).collect(),
            created_at: Utc::now(),
            cancelled: false,
            booking: None,
            returned_from: Some(return_party(&body, "pickup", buyer_phone, buyer_pin)),
        };
        let (status, status_code) = order.status();
        let answer = json!({
            "order_id": order_id, "shipment_id": shipment_id, "status": status,
            "status_code": status_code, "company_name": "shiprocket",
        });
        let keys = [(Key::OrderId, order_id), (Key::ShipmentId, shipment_id)];
        slot.insert(order, keys.map(|(key, id)| (key, id.to_string())));
        reply(answer)
    }
}

const BAD_RETURN_PHONE: &str = "Please enter a valid 10 digit phone number.";

const TRACK_AWB: &str = "/v1/external/courier/track/awb/";
/// `{NDR}{awb}/action`.
const NDR: &str = "/v1/external/ndr/";
const TRACK_SHIPMENT: &str = "/v1/external/courier/track/shipment/";
const BAD_CREDENTIALS: &str =
    "Failed to authenticate because of bad credentials or an invalid authorization header.";
const WRONG_PICKUP: &str =
    "Wrong Pickup location entered. Please choose one location from data given";
const BAD_PHONE: &str = "Please enter a valid 10 digit billing phone number.";
/// Shiprocket's two headlines of a 422.
const INVALID: &str = "Oops! Invalid Data.";
const MISSING: &str = "Required field missing";
const REASSIGN: &str = "Oops! Cannot reassign courier for this shipment.";
const CANCELLED: &str = "Shipment is cancelled, AWB cannot be assigned.";
/// Where every sandbox parcel is picked up.
const HUB: &str = "Bengaluru_Hub (Karnataka)";

/// One order as "Get all Orders" lists it: the docs' keys in the docs' order, the
/// shipment as a one-item list whose `awb` and `courier` stay `""` until assigned.
fn listed_order(order: &Order) -> Value {
    let (status, code) = order.status();
    let booking = order.booking.as_ref();
    let stamp = IST.format(order.created_at, "%d %b %Y, %I:%M %p");
    let product = |(i, (name, sku, units)): (usize, &(String, String, u64))| {
        let id = order.order_id * 10 + i as u64;
        json!({
            "id": id, "channel_order_product_id": id.to_string(), "name": name,
            "channel_sku": sku, "quantity": units, "product_id": id + 1, "available": 0,
            "status": status, "hsn": "",
        })
    };
    let mut activities = vec!["ORDER_CREATED"];
    activities.extend(booking.map(|_| "AWB_ASSIGNED"));
    activities.extend(order.cancelled.then_some("ORDER_CANCELLED"));
    let payment_method = match order.payment {
        Payment::Cod { .. } => "cod",
        Payment::Prepaid => "prepaid",
    };
    json!({
        "id": order.order_id, "channel_id": SANDBOX_CHANNEL_ID, "channel_name": "CUSTOM",
        "base_channel_code": "CS", "channel_order_id": order.channel_order_id,
        "customer_name": order.consignee.name,
        "customer_email": order.consignee.email.clone().unwrap_or_default(),
        "customer_phone": order.consignee.phone.national(),
        "pickup_location": SANDBOX_PICKUP_LOCATION, "payment_status": "",
        "total": format!("{:.2}", order.sub_total), "tax": "0.00", "sla": "2 days",
        "shipping_method": "SR", "expedited": 0, "status": status, "status_code": code,
        "payment_method": payment_method, "is_international": 0, "purpose_of_shipment": 0,
        "channel_created_at": stamp, "created_at": stamp,
        "products": order.items.iter().enumerate().map(product).collect::<Vec<_>>(),
        "shipments": [{
            "id": order.shipment_id, "isd_code": "+91",
            "courier": booking.map_or("", |b| b.courier.name),
            "weight": f64::from(order.weight_g) / 1000.0, "dimensions": order.dimensions,
            "pickup_scheduled_date": null, "pickup_token_number": null,
            "awb": booking.map_or(String::new(), |b| b.awb.clone()), "return_awb": "",
            "volumetric_weight": 0, "pod": null, "etd": "NA",
            "rto_delivered_date": "0000-00-00 00:00:00", "delivered_date": null,
            "etd_escalation_btn": false,
        }],
        "activities": activities, "allow_return": 0, "is_incomplete": 0, "errors": [],
        "show_escalation_btn": 0, "escalation_status": "", "escalation_history": [],
    })
}

fn order_reply(order: &Order) -> Value {
    let booking = order.booking.as_ref();
    let (status, code) = order.status();
    json!({
        "order_id": order.order_id, "channel_order_id": order.channel_order_id,
        "shipment_id": order.shipment_id, "status": status, "status_code": code,
        "onboarding_completed_now": 0, "awb_code": booking.map(|b| b.awb.clone()),
        "courier_company_id": booking.map(|b| b.courier.id),
        "courier_name": booking.map(|b| b.courier.name),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulator::Simulator;
    use crate::simulator::tokens::KEPT_TOKENS;

    fn request(method: &str, path: &str, token: &str, body: &Value) -> SimRequest {
        SimRequest {
            method: method.into(),
            path: path.into(),
            headers: vec![("authorization".into(), format!("Bearer {token}"))],
            body: body.to_string().into_bytes(),
            base_url: "http://sandbox.test/sandbox/shiprocket".into(),
            ..SimRequest::default()
        }
    }

    fn call(
        sim: &ShiprocketSimulator,
        method: &str,
        path: &str,
        token: &str,
        body: &Value,
    ) -> (u16, Value) {
        let resp = sim.handle(&request(method, path, token, body));
        let value = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
        (resp.status, value)
    }

    fn login(sim: &ShiprocketSimulator) -> String {
        let body = json!({"email": SANDBOX_EMAIL, "password": SANDBOX_PASSWORD});
        let (status, answer) = call(sim, "POST", "/v1/external/auth/login", "", &body);
        assert_eq!(status, 200, "{answer}");
        answer["token"].as_str().unwrap().to_string()
    }

    /// Creates the order for channel id `order`; the order reply.
    fn create_order(sim: &ShiprocketSimulator, token: &str, order: &str) -> Value {
        let body = json!({
            "order_id": order,
            "order_date": "2026-01-15 10:00",
            "pickup_location": SANDBOX_PICKUP_LOCATION,
            "billing_customer_name": "Asha",
            "billing_address": "4 MG Road",
            "billing_city": "Pune",
            "billing_pincode": "411038",
            "billing_state": "Maharashtra",
            "billing_country": "India",
            "billing_phone": "9876543210",
            "payment_method": "Prepaid",
            "sub_total": 499,
            "length": 10,
            "breadth": 10,
            "height": 10,
            "weight": 0.5,
            "order_items": [{"name": "Mug", "sku": "MUG-1", "units": 1, "selling_price": 499}],
        });
        let (status, answer) = call(
            sim,
            "POST",
            "/v1/external/orders/create/adhoc",
            token,
            &body,
        );
        assert_eq!(status, 200, "{answer}");
        answer
    }

    fn assign_awb(sim: &ShiprocketSimulator, token: &str, shipment_id: &Value) -> (u16, Value) {
        let body = json!({"shipment_id": shipment_id});
        call(sim, "POST", "/v1/external/courier/assign/awb", token, &body)
    }

    /// Books channel order `order` (order, then AWB); (shipment id, AWB).
    fn book(sim: &ShiprocketSimulator, token: &str, order: &str) -> (u64, String) {
        let shipment_id = create_order(sim, token, order)["shipment_id"].clone();
        let (status, answer) = assign_awb(sim, token, &shipment_id);
        assert_eq!(status, 200, "{answer}");
        let awb = answer["response"]["data"]["awb_code"].as_str().unwrap();
        (shipment_id.as_u64().unwrap(), awb.to_string())
    }

    fn track_awb(sim: &ShiprocketSimulator, token: &str, awb: &str) -> Value {
        let path = format!("/v1/external/courier/track/awb/{awb}");
        let (status, answer) = call(sim, "GET", &path, token, &Value::Null);
        assert_eq!(status, 200);
        answer
    }

    fn activities(answer: &Value) -> usize {
        answer["tracking_data"]["shipment_track_activities"]
            .as_array()
            .map_or(0, Vec::len)
    }

    #[test]
    fn forgets_the_oldest_orders_beyond_the_bound() {
        let sim = ShiprocketSimulator::with_kept_bookings(3);
        let token = login(&sim);
        let booked: Vec<(u64, String)> = (1..=5)
            .map(|n| book(&sim, &token, &format!("SG-{n}")))
            .collect();
        assert_eq!(sim.bookings(), 5, "forgotten bookings still count");

        for (shipment_id, awb) in &booked[..2] {
            assert_eq!(track_awb(&sim, &token, awb), json!({}), "unknown-AWB reply");
            let path = format!("/v1/external/courier/track/shipment/{shipment_id}");
            assert_eq!(
                call(&sim, "GET", &path, &token, &Value::Null),
                (200, json!({}))
            );
            let (status, answer) = assign_awb(&sim, &token, &json!(shipment_id));
            assert_eq!(
                (status, &answer["message"]),
                (400, &json!("Invalid shipment id"))
            );
            let label = sim.handle(&request(
                "GET",
                &format!("/labels/{awb}.pdf"),
                "",
                &Value::Null,
            ));
            assert_eq!(label.status, 404);
        }

        for (_, awb) in &booked[2..] {
            let first = track_awb(&sim, &token, awb);
            assert_eq!(first["tracking_data"]["error"], NO_ACTIVITIES, "{first}");
            assert_eq!(activities(&track_awb(&sim, &token, awb)), 1);
            assert_eq!(
                activities(&track_awb(&sim, &token, awb)),
                2,
                "one scan per track call"
            );
        }

        let (status, listed) = call(&sim, "GET", "/v1/external/orders", &token, &Value::Null);
        assert_eq!(status, 200);
        let channel_ids: Vec<&Value> = listed["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| &o["channel_order_id"])
            .collect();
        assert_eq!(
            channel_ids,
            [&json!("SG-5"), &json!("SG-4"), &json!("SG-3")]
        );

        // A kept order is still not booked twice: the same order comes back, and its
        // AWB cannot be assigned again.
        let again = create_order(&sim, &token, "SG-5");
        assert_eq!(again["shipment_id"], json!(booked[4].0));
        assert_eq!(again["awb_code"], json!(booked[4].1));
        let (status, _) = assign_awb(&sim, &token, &again["shipment_id"]);
        assert_eq!(status, 400);
        assert_eq!(sim.bookings(), 5);

        // A forgotten order left no index behind: its channel id makes a new order.
        let fresh = create_order(&sim, &token, "SG-1");
        assert_ne!(fresh["shipment_id"], json!(booked[0].0));
        assert_eq!(fresh["awb_code"], Value::Null);
    }

    #[test]
    fn a_parcel_cancelled_before_pickup_has_no_pickup_date() {
        let sim = ShiprocketSimulator::new();
        let token = login(&sim);
        let (_, awb) = book(&sim, &token, "SG-1");
        // Each track call reveals one scan: manifested, pickup scheduled; not picked up.
        for _ in 0..2 {
            track_awb(&sim, &token, &awb);
        }
        let cancel = json!({ "awbs": [awb] });
        let path = "/v1/external/orders/cancel/shipment/awbs";
        assert_eq!(call(&sim, "POST", path, &token, &cancel).0, 204);
        let answer = track_awb(&sim, &token, &awb);
        let data = &answer["tracking_data"];
        assert_eq!(
            data["shipment_track_activities"][0]["sr-status"], "8",
            "{answer}"
        );
        assert_eq!(
            data["shipment_track"][0]["pickup_date"],
            Value::Null,
            "{answer}"
        );
    }

    #[test]
    fn a_registered_account_logs_in_and_is_counted_alone() {
        let sim = ShiprocketSimulator::new();
        let account = json!({"account": "a", "email": "a@shop.test", "password": "pw-a"});
        let added = call(&sim, "POST", "/_accounts", "", &account);
        assert_eq!(added, (201, json!({"account": "a"})));
        let incomplete = json!({"account": "b", "email": "b@shop.test"});
        let (status, refused) = call(&sim, "POST", "/_accounts", "", &incomplete);
        assert_eq!(status, 400);
        assert!(refused["error"].as_str().unwrap().contains("password"));
        let log_in = |email: &str, password: &str| {
            let body = json!({"email": email, "password": password});
            call(&sim, "POST", "/v1/external/auth/login", "", &body)
        };
        let (status, answer) = log_in("a@shop.test", "pw-a");
        assert_eq!((status, &answer["email"]), (200, &json!("a@shop.test")));
        let token = answer["token"].as_str().unwrap();
        for _ in 0..2 {
            let orders = call(&sim, "GET", "/v1/external/orders", token, &Value::Null);
            assert_eq!(orders.0, 200);
        }
        let wrong =
            json!({"message": "Invalid email and password combination", "status_code": 400});
        assert_eq!(log_in("a@shop.test", "pw-b"), (400, wrong.clone()));
        assert_eq!(log_in(SANDBOX_EMAIL, "pw-a"), (400, wrong));
        let counts = json!({"accounts": [
            {"account": "default", "requests": 0}, {"account": "a", "requests": 3},
        ]});
        assert_eq!(
            call(&sim, "GET", "/_accounts", "", &Value::Null),
            (200, counts)
        );
    }

    #[test]
    fn forgets_the_oldest_tokens() {
        let sim = ShiprocketSimulator::new();
        let oldest = login(&sim);
        let tokens: Vec<String> = (0..KEPT_TOKENS).map(|_| login(&sim)).collect();
        let path = "/v1/external/orders";
        let (status, answer) = call(&sim, "GET", path, &oldest, &Value::Null);
        assert_eq!(status, 401);
        assert_eq!(
            answer["message"],
            "Failed to authenticate because of bad credentials or an invalid authorization header."
        );
        for token in [&tokens[0], &tokens[KEPT_TOKENS - 1]] {
            assert_eq!(call(&sim, "GET", path, token, &Value::Null).0, 200);
        }
        assert_eq!(sim.expire_tokens(), KEPT_TOKENS);
    }
}
