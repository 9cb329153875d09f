//! The Shiprocket sandbox: Shiprocket's paths, wire format and quirks on the simulator
//! kit ([`crate::simulator`]).
//!
//! What it plays, and the rules a test can rely on:
//!
//! - **Login** (`POST /v1/external/auth/login`) accepts [`SANDBOX_EMAIL`] /
//!   [`SANDBOX_PASSWORD`] and issues a token that, like a real one, stays good until it
//!   expires: `POST /sandbox/expire-tokens` (or [`ShiprocketSimulator::expire_tokens`])
//!   expires every token at once, and [`ShiprocketSimulator::with_token_lifetime`] makes
//!   tokens run out after a number of requests. Missing, unknown and expired tokens get Shiprocket's 401, so
//!   re-login can be tested for real. Only the [`KEPT_TOKENS`] most recent tokens are
//!   remembered; a forgotten one gets the unknown-token 401.
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
//! - **Tracking** moves forward one scan per track call along a Delhivery-like journey
//!   (manifested, picked up, hubs, out for delivery, delivered), starting with
//!   Shiprocket's "no activities found" reply right after booking. Times are IST without
//!   a zone, as Shiprocket writes them. An AWB the simulator never issued gets `{}` with
//!   HTTP 200, like the real unknown-AWB reply.
//! - **Cancel** by AWB answers 204 with no body; a parcel already picked up goes to RTO
//!   instead of being cancelled. Orders without AWB are cancelled by order id.
//! - **Orders** (`GET /v1/external/orders`, "Get all Orders") lists the orders in the
//!   docs' shape, newest first, 15 a page; `search` finds an AWB or any channel order id
//!   containing the text, so a booking whose answers were lost (order, AWB or both) is
//!   found by shipgate's shipment id. The AWB shows on the order as soon as it is
//!   assigned, answered or not. An empty result is `data: []` (assumed; the docs show
//!   no empty example).
//! - **Memory** is bounded: only the most recent [`KEPT_BOOKINGS`] orders are kept (or
//!   [`ShiprocketSimulator::with_kept_bookings`]). A forgotten order, its shipment and
//!   its AWB are answered as ids Shiprocket never issued: tracking gets `{}`, cancel "AWB
//!   not found" or "order not found", assigning an AWB "Invalid shipment id", the label
//!   link S3's `NoSuchKey`, and "Get all Orders" no longer lists it; its channel
//!   `order_id` makes a new order. [`Simulator::bookings`] still counts every AWB ever
//!   assigned.
//!
//! Deterministic apart from ids, tokens and timestamps. Thread-safe: one mutex, never
//! held while a label is rendered.

use std::sync::Mutex;

use chrono::{DateTime, Duration, NaiveDateTime, Timelike, Utc};
use serde_json::{Map, Value, json};

use crate::kit::time::IST_OFFSET;
use crate::label::{LabelData, render_pdf};
use crate::schema::{Address, Currency, Money, Payment, Phone, PostalCode};
use crate::simulator::ids::Counter;
use crate::simulator::journey::{Journey, Mark, Place, Places, Step, Trip};
use crate::simulator::pricing::{CodFee, Pricing, Rate, Round, Tariff, Zone};
use crate::simulator::rules::{Pins, Serviceability};
use crate::simulator::store::{Key, Store};
use crate::simulator::tokens::{Refused, Tokens, credential};
use crate::simulator::values::{number, rupees_trimmed as rupees, scalar, text as field};
use crate::simulator::{KEPT_BOOKINGS, SimRequest, SimResponse, Simulator, lock};

pub const SANDBOX_EMAIL: &str = "sandbox@shipgate.test";
pub const SANDBOX_PASSWORD: &str = "sandbox-password";
/// The one pickup location registered in the sandbox account.
pub const SANDBOX_PICKUP_LOCATION: &str = "Primary";
/// No courier serves this PIN code.
pub const UNSERVICEABLE_PINCODE: &str = "999999";
/// Authenticated requests a sandbox token is good for: no limit. A real token lives ten
/// days, expired for all callers at once; a count per token would refuse the gateway's
/// shared token to some concurrent callers and not others, which no real account does
/// (it made `bench/run` report 401s once the gateway logged in once for all callers).
pub const DEFAULT_TOKEN_REQUESTS: u32 = u32::MAX;
/// Tokens remembered; older ones are forgotten. The gateway uses one token at a time
/// per adapter, so a token this many logins old has long been replaced.
pub const KEPT_TOKENS: usize = 1_000;
/// The sandbox account's default custom channel, where API orders land.
const SANDBOX_CHANNEL_ID: u64 = 900_003;
/// Orders per page of "Get all Orders" unless `per_page` says otherwise.
const ORDERS_PER_PAGE: usize = 15;

const NO_ACTIVITIES: &str = "Aahh! There is no activities found in our DB. Please have some patience it will be updated soon.";

const SERVICEABILITY: Serviceability = Serviceability {
    unserved: &[Pins::Exactly(UNSERVICEABLE_PINCODE)],
    prepaid_only: &[],
};

struct Courier {
    id: u32,
    name: &'static str,
    tariff: Tariff,
    days: i64,
}

const fn courier(id: u32, name: &'static str, base: i64, per_slab: i64, days: i64) -> Courier {
    let tariff = Tariff {
        first_slab: base,
        further_slab: per_slab,
    };
    Courier {
        id,
        name,
        tariff,
        days,
    }
}

const COURIERS: [Courier; 3] = [
    courier(43, "Delhivery Surface", 4500, 3500, 5),
    courier(1, "Blue Dart", 8900, 6000, 2),
    courier(51, "Xpressbees Surface", 4000, 3200, 6),
];

fn pricing() -> Pricing {
    let zone = |name, shared_digits, percent, extra_days| Zone {
        name,
        shared_digits,
        percent,
        extra_days,
    };
    let rate = |c: &Courier| Rate {
        service: c.name,
        zone: "",
        tariff: c.tariff,
    };
    Pricing {
        slab_g: 500,
        zones: vec![
            zone("z_a", 3, 100, 0),
            zone("z_b", 2, 120, 0),
            zone("z_d", 0, 150, 1),
        ],
        rates: COURIERS.iter().map(rate).collect(),
        fuel_per_mille: 0,
        cod: Some(CodFee::new(15, 3500, Round::Down)),
        gst: None,
    }
}

/// One scan's codes as Shiprocket writes them: sr-status, its label, the courier's code,
/// the activity text.
type Code = (&'static str, &'static str, &'static str, &'static str);

const fn scan(code: Code, at: Place) -> Step<Code> {
    Step::new(code, at)
}

use Place::{Destination as Dest, Origin, Transit as Hub};

/// The journey every sandbox parcel takes.
#[rustfmt::skip]
static JOURNEY: Journey<Code> = Journey {
    forward: &[
        scan(("5",  "MANIFEST GENERATED",         "X-UCI",     "Manifested - Consignment Manifested"),             Origin),
        scan(("NA", "NA",                         "FMPUR-101", "Manifested - Pickup scheduled"),                   Origin),
        scan(("42", "PICKED UP",                  "X-PPOM",    "In Transit - Shipment picked up"),                 Origin).marked(Mark::PickedUp),
        scan(("6",  "SHIPPED",                    "X-PIOM",    "In Transit - Shipment Recieved at Origin Center"), Origin),
        scan(("18", "IN TRANSIT",                 "X-ILL2F",   "In Transit - Trip Arrived"),                       Hub),
        scan(("NA", "NA",                         "X-DBL1F",   "In Transit - Added to Bag"),                       Hub),
        scan(("38", "REACHED AT DESTINATION HUB", "X-IBD3F",   "In Transit - Shipment Received at Facility"),      Dest),
        scan(("17", "OUT FOR DELIVERY",           "X-DDD3FD",  "Dispatched - Out for delivery"),                   Dest),
        scan(("7",  "DELIVERED",                  "EOD-38",    "Delivered - Delivered to consignee"),              Dest).marked(Mark::Delivered),
    ],
    cancelled: &[scan(("8", "CANCELED", "CANCELLED", "Canceled - Shipment cancelled by seller"), Origin)],
    returned: &[
        scan(("9", "RTO INITIATED", "RT-101", "Returned - Return to origin initiated on seller request"), Origin)
            .marked(Mark::Returning),
    ],
    detours: &[],
    time_digits: 0,
};

struct Booking {
    awb: String,
    courier: &'static Courier,
    routing_code: String,
    trip: Trip<Code>,
}

struct Order {
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
    description: String,
    created_at: NaiveDateTime,
    cancelled: bool,
    booking: Option<Booking>,
}

impl Order {
    /// Cancels the order and its AWB. A parcel already picked up is sent back (RTO)
    /// instead, and the scan shows on the next track call.
    fn cancel(&mut self, now: DateTime<Utc>) -> Result<(), &'static str> {
        if let Some(booking) = self.booking.as_mut() {
            let trip = &mut booking.trip;
            trip.cancel()
                .map_err(|_| "a delivered shipment cannot be cancelled")?;
            trip.advance(now);
        }
        self.cancelled = true;
        Ok(())
    }

    /// The order status text and id (`[codes.order_status]`) the order's state stands for.
    fn status(&self) -> (&'static str, u32) {
        let returning = self
            .booking
            .as_ref()
            .is_some_and(|b| b.trip.reached(Mark::Returning));
        match (self.cancelled, &self.booking) {
            // A cancel after pickup turned into a return.
            (true, _) if returning => ("RTO INITIATED", 15),
            (true, _) => ("CANCELED", 5),
            (false, Some(_)) => ("READY TO SHIP", 3),
            (false, None) => ("NEW", 1),
        }
    }
}

struct State {
    /// Found by channel order id (the reference), order id, shipment id and AWB.
    orders: Store<Order>,
    tokens: Tokens,
    ids: Counter,
}

pub struct ShiprocketSimulator {
    state: Mutex<State>,
}

impl Default for ShiprocketSimulator {
    fn default() -> Self {
        Self::new()
    }
}

impl ShiprocketSimulator {
    pub fn new() -> Self {
        Self::with_token_lifetime(DEFAULT_TOKEN_REQUESTS)
    }

    /// A simulator whose tokens expire after `requests` authenticated requests.
    pub fn with_token_lifetime(requests: u32) -> Self {
        Self::with_limits(requests, KEPT_BOOKINGS)
    }

    /// A simulator that keeps only the most recent `kept` orders (at least one), so tests
    /// can see forgetting without booking thousands.
    pub fn with_kept_bookings(kept: usize) -> Self {
        Self::with_limits(DEFAULT_TOKEN_REQUESTS, kept)
    }

    fn with_limits(token_requests: u32, kept_orders: usize) -> Self {
        let state = State {
            orders: Store::new(kept_orders),
            tokens: Tokens::new(token_requests, KEPT_TOKENS),
            ids: Counter::new(),
        };
        ShiprocketSimulator {
            state: Mutex::new(state),
        }
    }

    /// Expires every token still remembered; returns how many there were.
    pub fn expire_tokens(&self) -> usize {
        lock(&self.state).tokens.expire_all()
    }

    fn login(&self, body: &Value) -> SimResponse {
        let (email, password) = (field(body, "email"), field(body, "password"));
        let mut missing = Map::new();
        if email.is_none() {
            complain(&mut missing, "email", "The email field is required.");
        }
        if password.is_none() {
            complain(&mut missing, "password", "The password field is required.");
        }
        if !missing.is_empty() {
            return invalid("Oops! Invalid Data.", missing);
        }
        if email.as_deref() != Some(SANDBOX_EMAIL) || password.as_deref() != Some(SANDBOX_PASSWORD)
        {
            return error(400, "Invalid email and password combination");
        }
        let token = lock(&self.state).tokens.issue();
        SimResponse::json(
            200,
            &json!({
                "company_id": 900001, "created_at": ist_now().format("%Y-%m-%d %H:%M:%S").to_string(),
                "email": SANDBOX_EMAIL, "first_name": "Sandbox", "id": 900002,
                "last_name": "Shipper", "token": token,
            }),
        )
    }

    /// Spends one request of the caller's token, or answers Shiprocket's 401.
    fn authenticate(&self, req: &SimRequest) -> Result<(), SimResponse> {
        let spent = lock(&self.state).tokens.spend(credential(req, "Bearer"));
        spent.map_err(|refused| match refused {
            Refused::Expired => error(401, "Token has expired"),
            Refused::Unknown => error(
                401,
                "Failed to authenticate because of bad credentials or an invalid authorization header.",
            ),
        })
    }

    fn serviceability(&self, req: &SimRequest) -> SimResponse {
        let q = |key: &str| req.query_value(key).map(str::trim);
        let positive = |key: &str| {
            q(key)
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| *v > 0.0)
        };
        let (pickup, delivery) = (
            q("pickup_postcode").unwrap_or(""),
            q("delivery_postcode").unwrap_or(""),
        );
        let weight_kg = positive("weight").filter(|w| w.is_finite());
        let cod = q("cod");
        let mut errors = Map::new();
        if weight_kg.is_none() {
            complain(
                &mut errors,
                "weight",
                "The weight field is required when order id is not present.",
            );
        }
        if !matches!(cod, Some("0" | "1")) {
            complain(
                &mut errors,
                "cod",
                "The cod field is required when order id is not present.",
            );
        }
        for (key, value) in [("pickup_postcode", pickup), ("delivery_postcode", delivery)] {
            if PostalCode::parse(value, "IN").is_err() {
                complain(
                    &mut errors,
                    key,
                    &format!("The {} must be 6 digits.", key.replace('_', " ")),
                );
            }
        }
        // Bounded so that the charges computed from them cannot overflow.
        for (key, max) in [
            ("weight", MAX_WEIGHT_KG),
            ("length", MAX_SIDE_CM),
            ("breadth", MAX_SIDE_CM),
            ("height", MAX_SIDE_CM),
        ] {
            if q(key)
                .and_then(|v| v.parse::<f64>().ok())
                .is_some_and(|v| v > max)
            {
                complain(
                    &mut errors,
                    key,
                    &format!("The {key} may not be greater than {max}."),
                );
            }
        }
        if !errors.is_empty() {
            return invalid("Required field missing", errors);
        }
        let volumetric_g = match ["length", "breadth", "height"].map(positive) {
            [Some(l), Some(b), Some(h)] => (l * b * h / 5.0).round() as i64,
            _ => 0,
        };
        let declared = req
            .query_value("declared_value")
            .and_then(|v| Money::from_major_str(v, Currency::inr()))
            .map_or(0, |m| m.amount);
        let weight_g = (weight_kg.unwrap_or(0.5) * 1000.0).round() as i64;
        let served = SERVICEABILITY.serves(pickup) && SERVICEABILITY.serves(delivery);
        let pricing = pricing();
        let quote = |c: &Courier| {
            let grams = weight_g.max(volumetric_g) as f64;
            let cod = (cod == Some("1")).then_some(declared);
            let q = pricing.charges((pickup, delivery), grams, c.name, cod)?;
            let days = c.days + q.zone.extra_days;
            Some(json!({
                "courier_company_id": c.id, "courier_name": c.name,
                "rate": rupees(q.freight + q.cod), "freight_charge": rupees(q.freight),
                "cod_charges": rupees(q.cod), "cod": 1, "blocked": 0,
                "charge_weight": (q.slabs * pricing.slab_g) as f64 / 1000.0, "min_weight": 0.5,
                "etd": (ist_now().date() + Duration::days(days)).format("%b %d, %Y").to_string(),
                "etd_hours": days * 24, "estimated_delivery_days": days.to_string(),
                "is_surface": c.id != 1, "zone": q.zone.name, "postcode": delivery, "rating": 4.5,
            }))
        };
        let companies: Vec<Value> = match served {
            true => COURIERS.iter().filter_map(quote).collect(),
            false => Vec::new(),
        };
        let rate = |c: &&Value| c["rate"].as_f64().unwrap_or(f64::MAX);
        let cheapest = companies.iter().min_by(|a, b| rate(a).total_cmp(&rate(b)));
        let recommended = cheapest.map_or(Value::Null, |c| c["courier_company_id"].clone());
        SimResponse::json(
            200,
            &json!({
                "currency": "INR", "status": 200,
                "data": {
                    "available_courier_companies": companies, "blocked_courier_companies": [],
                    "recommended_courier_company_id": recommended,
                    "shiprocket_recommended_courier_id": recommended,
                },
            }),
        )
    }

    fn create_order(&self, body: &Value) -> SimResponse {
        const REQUIRED: &str = "order_id order_date pickup_location billing_customer_name \
            billing_address billing_city billing_pincode billing_state billing_country \
            billing_phone payment_method sub_total length breadth height weight";
        let mut errors = Map::new();
        for key in REQUIRED
            .split_whitespace()
            .filter(|key| field(body, key).is_none())
        {
            let message = format!("The {} field is required.", key.replace('_', " "));
            complain(&mut errors, key, &message);
        }
        let items = body.get("order_items").and_then(Value::as_array);
        if items.is_none_or(|i| i.is_empty()) {
            complain(
                &mut errors,
                "order_items",
                "The order items field is required.",
            );
        }
        if !errors.is_empty() {
            return invalid("Oops! Invalid Data.", errors);
        }
        if field(body, "pickup_location").as_deref() != Some(SANDBOX_PICKUP_LOCATION) {
            return error(
                422,
                "Wrong Pickup location entered. Please choose one location from data given",
            );
        }
        let phone = field(body, "billing_phone").and_then(|p| Phone::parse(&p, "IN").ok());
        let pincode = field(body, "billing_pincode").and_then(|p| PostalCode::parse(&p, "IN").ok());
        let payment_method = field(body, "payment_method")
            .unwrap_or_default()
            .to_ascii_lowercase();
        const NUMBERS: [&str; 5] = ["sub_total", "length", "breadth", "height", "weight"];
        let numbers = NUMBERS.map(|k| number(body, k));
        let mut errors = Map::new();
        if phone.is_none() {
            complain(
                &mut errors,
                "billing_phone",
                "Please enter a valid 10 digit billing phone number.",
            );
        }
        if pincode.is_none() {
            complain(
                &mut errors,
                "billing_pincode",
                "The billing pincode must be 6 digits.",
            );
        }
        if !matches!(payment_method.as_str(), "prepaid" | "cod") {
            complain(
                &mut errors,
                "payment_method",
                "The selected payment method is invalid.",
            );
        }
        for (key, value) in NUMBERS.iter().zip(numbers) {
            if !value.is_some_and(|v| v > 0.0 || (*key == "sub_total" && v >= 0.0)) {
                complain(
                    &mut errors,
                    key,
                    &format!("The {key} must be greater than 0."),
                );
            }
        }
        let (Some(phone), Some(pincode), true) = (phone, pincode, errors.is_empty()) else {
            return invalid("Oops! Invalid Data.", errors);
        };
        let channel_order_id = field(body, "order_id").unwrap_or_default();
        let mut guard = lock(&self.state);
        let state = &mut *guard;
        let slot = match state.orders.vacant(&channel_order_id) {
            Ok(slot) => slot,
            Err(existing) => return SimResponse::json(200, &order_reply(existing)),
        };
        let [sub_total, length, breadth, height, weight] = numbers.map(|n| n.unwrap_or(0.0));
        let text = |object: &Value, key: &str| field(object, key).unwrap_or_default();
        let order_items: Vec<(String, String, u64)> = items
            .into_iter()
            .flatten()
            .map(|i| {
                let units = number(i, "units").map_or(1, |u| u.max(1.0) as u64);
                (text(i, "name"), text(i, "sku"), units)
            })
            .collect();
        let names: Vec<&str> = order_items
            .iter()
            .map(|(name, _, _)| name.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        let name = [
            field(body, "billing_customer_name"),
            field(body, "billing_last_name"),
        ];
        let order = Order {
            order_id: 300_000_000 + state.ids.issue(),
            shipment_id: 200_000_000 + state.ids.issue(),
            channel_order_id,
            consignee: Address {
                name: name.into_iter().flatten().collect::<Vec<_>>().join(" "),
                phone,
                email: field(body, "billing_email"),
                line1: text(body, "billing_address"),
                line2: field(body, "billing_address_2"),
                landmark: None,
                city: text(body, "billing_city"),
                state: field(body, "billing_state"),
                postal_code: pincode,
                country: "IN".into(),
            },
            payment: match payment_method.as_str() {
                "cod" => Payment::Cod {
                    cod_amount: Money::inr((sub_total * 100.0).round() as i64),
                },
                _ => Payment::Prepaid,
            },
            weight_g: (weight * 1000.0).round() as u32,
            dimensions: format!("{length:.2}x{breadth:.2}x{height:.2}"),
            sub_total,
            description: names.join(", "),
            items: order_items,
            created_at: ist_now().with_nanosecond(0).unwrap_or_else(ist_now),
            cancelled: false,
            booking: None,
        };
        let reply = order_reply(&order);
        let keys = [
            (Key::OrderId, order.order_id),
            (Key::ShipmentId, order.shipment_id),
        ];
        slot.insert(order, keys.map(|(key, id)| (key, id.to_string())));
        SimResponse::json(200, &reply)
    }

    fn assign_awb(&self, body: &Value) -> SimResponse {
        let Some(shipment_id) = field(body, "shipment_id") else {
            return invalid_field(
                "Required field missing",
                "shipment_id",
                "The shipment id field is required.",
            );
        };
        let courier_id = field(body, "courier_id");
        let mut guard = lock(&self.state);
        let state = &mut *guard;
        let Some(id) = find(&state.orders, Key::ShipmentId, &shipment_id) else {
            return error(400, "Invalid shipment id");
        };
        let seq = state.ids.issue();
        let Some(order) = state.orders.get_mut(id) else {
            return error(400, "Invalid shipment id");
        };
        if order.booking.is_some() {
            return error(400, "Oops! Cannot reassign courier for this shipment.");
        }
        if order.cancelled {
            return error(400, "Shipment is cancelled, AWB cannot be assigned.");
        }
        let assign_failed = |message: String| {
            let answer = json!({"awb_assign_status": 0, "response": {"data": {"awb_assign_error": message}}});
            SimResponse::json(200, &answer)
        };
        let pin = order.consignee.postal_code.as_str();
        if !SERVICEABILITY.serves(pin) {
            return assign_failed(format!(
                "Delivery postcode {pin} is not serviceable by any courier."
            ));
        }
        let courier = match courier_id {
            None => &COURIERS[0],
            Some(id) => match COURIERS.iter().find(|c| c.id.to_string() == id) {
                Some(c) => c,
                None => {
                    return assign_failed(format!(
                        "Courier {id} is not serviceable for this shipment."
                    ));
                }
            },
        };
        let awb = format!("{:03}{:09}", courier.id, 100_000 + seq);
        let routing_code = format!("S1/{}/{:03}", &pin[..3], courier.id);
        let c = &order.consignee;
        let places = Places {
            origin: "Bengaluru_Hub (Karnataka)".into(),
            transit: "Nagpur_Hub (Maharashtra)".into(),
            destination: Places::facility(&c.city, "DC", c.state.as_deref().unwrap_or_default()),
        };
        let trip = JOURNEY.trip(pin, places);
        let now = ist_now();
        let reply = json!({
            "awb_assign_status": 1,
            "response": {"data": {
                "courier_company_id": courier.id, "awb_code": awb,
                "cod": i32::from(matches!(order.payment, Payment::Cod { .. })),
                "order_id": order.order_id, "shipment_id": order.shipment_id, "awb_code_status": 1,
                "assigned_date_time": {
                    "date": now.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
                    "timezone_type": 3, "timezone": "Asia/Kolkata",
                },
                "applied_weight": f64::from(order.weight_g.max(500)) / 1000.0,
                "courier_name": courier.name, "child_courier_name": null,
                "pickup_scheduled_date": (now + Duration::hours(4)).format("%Y-%m-%d %H:00:00").to_string(),
                "routing_code": routing_code, "rto_routing_code": "",
                "invoice_no": format!("SG{}", order.order_id),
            }},
        });
        order.booking = Some(Booking {
            awb: awb.clone(),
            courier,
            routing_code,
            trip,
        });
        state.orders.add_key(id, Key::Awb, &awb);
        state.orders.count_booking();
        SimResponse::json(200, &reply)
    }

    fn generate_label(&self, body: &Value, base_url: &str) -> SimResponse {
        let Some(ids) = body.get("shipment_id").and_then(Value::as_array) else {
            return invalid_field(
                "Oops! Invalid Data.",
                "shipment_id",
                "The shipment id must be an array.",
            );
        };
        let state = lock(&self.state);
        let awb_of = |id: &Value| {
            let order = state
                .orders
                .get(find(&state.orders, Key::ShipmentId, &scalar(id)?)?)?;
            Some(
                order
                    .booking
                    .as_ref()
                    .filter(|_| !order.cancelled)?
                    .awb
                    .clone(),
            )
        };
        let (awbs, not_created): (Vec<_>, Vec<_>) = ids
            .iter()
            .map(|id| (awb_of(id), id))
            .partition(|(awb, _)| awb.is_some());
        let not_created: Vec<&Value> = not_created.into_iter().map(|(_, id)| id).collect();
        let answer = match awbs.into_iter().find_map(|(awb, _)| awb) {
            Some(awb) => json!({
                "label_created": 1,
                "label_url": format!("{}/labels/{awb}.pdf", base_url.trim_end_matches('/')),
                "response": "Label has been created and uploaded successfully!",
                "not_created": not_created,
            }),
            None => {
                json!({"label_created": 0, "not_created": [], "response": "No valid shipment ids to print label"})
            }
        };
        SimResponse::json(200, &answer)
    }

    fn label_pdf(&self, awb: &str) -> SimResponse {
        let data = {
            let state = lock(&self.state);
            let Some(order) = state.orders.by(Key::Awb, awb) else {
                return SimResponse::raw(
                    404,
                    "application/xml",
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
                );
            };
            let (Some(booking), Some(from)) = (order.booking.as_ref(), pickup_address()) else {
                return error(500, "label data unavailable");
            };
            LabelData {
                carrier_name: format!("Shiprocket · {}", booking.courier.name),
                service: booking.courier.name.to_string(),
                awb: booking.awb.clone(),
                order_ref: order.channel_order_id.clone(),
                from,
                to: order.consignee.clone(),
                weight_g: order.weight_g,
                payment: order.payment.clone(),
                routing_code: Some(booking.routing_code.clone()),
                description: (!order.description.is_empty()).then(|| order.description.clone()),
                created: order.created_at.date(),
            }
        };
        SimResponse::raw(200, "application/pdf", render_pdf(&data))
    }

    /// Cancels by AWB (`awbs`) or by order id (`ids`); refused only when every one is.
    fn cancel(&self, body: &Value, list: &str, key: Key, missing: &str) -> SimResponse {
        let Some(values) = body
            .get(list)
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        else {
            return invalid_field(
                "Oops! Invalid Data.",
                list,
                &format!("The {list} field is required."),
            );
        };
        let mut state = lock(&self.state);
        let mut refused = Vec::new();
        for value in values.iter().filter_map(scalar) {
            let id = find(&state.orders, key, &value);
            match id.and_then(|id| state.orders.get_mut(id)) {
                None => refused.push(format!("{value}: {missing}")),
                Some(order) => {
                    if let Err(reason) = order.cancel(Utc::now()) {
                        refused.push(format!("{value}: {reason}"));
                    }
                }
            }
        }
        if refused.len() == values.len() {
            return error(400, &format!("Cancellation failed. {}", refused.join("; ")));
        }
        match key {
            Key::Awb => SimResponse::raw(204, "application/json", Vec::new()),
            _ => SimResponse::json(
                200,
                &json!({"status": 200, "message": "Order(s) cancelled successfully."}),
            ),
        }
    }

    /// "Get all Orders": newest first, paginated, narrowed by `search`, which matches an
    /// AWB exactly or any channel order id containing the text (a search, not a lookup:
    /// `SG-1` also finds `SG-10`). No match is `data: []` with HTTP 200.
    fn list_orders(&self, req: &SimRequest) -> SimResponse {
        let search = req
            .query_value("search")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_lowercase);
        let positive = |key: &str| {
            req.query_value(key)
                .and_then(|v| v.trim().parse::<usize>().ok())
                .filter(|n| *n > 0)
        };
        let per_page = positive("per_page").unwrap_or(ORDERS_PER_PAGE).min(100);
        let page = positive("page").unwrap_or(1);
        let state = lock(&self.state);
        let matches = |o: &&Order| match &search {
            None => true,
            Some(text) => {
                o.channel_order_id
                    .to_ascii_lowercase()
                    .contains(text.as_str())
                    || o.booking
                        .as_ref()
                        .is_some_and(|b| b.awb.eq_ignore_ascii_case(text))
            }
        };
        let matched: Vec<&Order> = state.orders.newest_first().filter(matches).collect();
        let total = matched.len();
        let total_pages = total.div_ceil(per_page).max(1);
        let skipped = (page - 1).saturating_mul(per_page);
        let data: Vec<Value> = matched
            .into_iter()
            .skip(skipped)
            .take(per_page)
            .map(listed_order)
            .collect();
        let links = match page < total_pages {
            true => {
                json!({"next": format!("{}/v1/external/orders?page={}", req.base_url.trim_end_matches('/'), page + 1)})
            }
            false => json!({}),
        };
        SimResponse::json(
            200,
            &json!({
                "data": data,
                "meta": {"pagination": {
                    "total": total, "count": data.len(), "per_page": per_page,
                    "current_page": page, "total_pages": total_pages, "links": links,
                }},
            }),
        )
    }

    /// Answers a track call with the scans revealed so far, then reveals the next one.
    fn track(&self, key: Key, value: &str) -> SimResponse {
        let mut state = lock(&self.state);
        let id = find(&state.orders, key, value);
        let Some(order) = id.and_then(|id| state.orders.get_mut(id)) else {
            return SimResponse::json(200, &json!({}));
        };
        let no_activities = json!({"tracking_data": {"track_status": 0, "error": NO_ACTIVITIES}});
        let (order_id, shipment_id) = (order.order_id, order.shipment_id);
        let (destination, consignee) = (order.consignee.city.clone(), order.consignee.name.clone());
        let weight = format!("{:.2}", f64::from(order.weight_g) / 1000.0);
        let Some(booking) = order.booking.as_mut() else {
            return SimResponse::json(200, &no_activities);
        };
        let trip = &booking.trip;
        let reply = if trip.scans().is_empty() && key == Key::Awb {
            no_activities
        } else {
            let shown = trip.scans().iter().rev().map(|s| s.step.code);
            let latest = shown
                .map(|(sr, label, ..)| (sr, label))
                .find(|(sr, _)| *sr != "NA");
            let latest = latest.unwrap_or(("1", "AWB Assigned"));
            let activities: Vec<Value> = trip
                .scans()
                .iter()
                .rev()
                .map(|s| {
                    let (sr_status, _, courier_code, activity) = s.step.code;
                    json!({
                        "date": ist_text(s.time), "status": courier_code, "activity": activity,
                        "location": trip.location(s.step.place), "sr-status": sr_status,
                    })
                })
                .collect();
            json!({"tracking_data": {
                "track_status": i32::from(!trip.scans().is_empty()),
                "shipment_status": latest.0.parse::<u32>().unwrap_or(1),
                "shipment_track": [{
                    "id": shipment_id + 7, "awb_code": booking.awb,
                    "courier_company_id": booking.courier.id, "shipment_id": shipment_id,
                    "order_id": order_id,
                    "pickup_date": trip.first(Mark::PickedUp).map(|s| ist_text(s.time)),
                    "delivered_date": trip.first(Mark::Delivered).map(|s| ist_text(s.time)),
                    "weight": weight, "packages": 1, "current_status": latest.1,
                    "delivered_to": destination, "destination": destination,
                    "consignee_name": consignee, "origin": "Bengaluru", "courier_agent_details": null,
                }],
                "shipment_track_activities": activities,
                "track_url": format!("https://shiprocket.co/tracking/{}", booking.awb),
            }})
        };
        booking.trip.advance(Utc::now());
        SimResponse::json(200, &reply)
    }
}

impl Simulator for ShiprocketSimulator {
    fn handle(&self, req: &SimRequest) -> SimResponse {
        let path = req
            .path
            .split('?')
            .next()
            .unwrap_or("")
            .trim_end_matches('/');
        let method = req.method.to_ascii_uppercase();
        let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Object(Map::new()));

        // Unauthenticated routes: login, the S3-like label link, the sandbox controls.
        match (method.as_str(), path) {
            ("POST", "/v1/external/auth/login") => return self.login(&body),
            ("POST", "/sandbox/expire-tokens") => {
                return SimResponse::json(200, &json!({"expired": self.expire_tokens()}));
            }
            ("GET", p) if p.starts_with("/labels/") => {
                return match p
                    .strip_prefix("/labels/")
                    .and_then(|f| f.strip_suffix(".pdf"))
                {
                    Some(awb) => self.label_pdf(awb),
                    None => error(404, "404 Not Found"),
                };
            }
            _ => {}
        }

        // The rest need a token; an unknown path is a 404 before that.
        const TRACK_AWB: &str = "/v1/external/courier/track/awb/";
        const TRACK_SHIPMENT: &str = "/v1/external/courier/track/shipment/";
        type Action = fn(&ShiprocketSimulator, &SimRequest, &Value, &str) -> SimResponse;
        let action: Action = match (method.as_str(), path) {
            ("GET", "/v1/external/courier/serviceability") => |s, r, _, _| s.serviceability(r),
            ("POST", "/v1/external/orders/create/adhoc") => |s, _, b, _| s.create_order(b),
            ("POST", "/v1/external/courier/assign/awb") => |s, _, b, _| s.assign_awb(b),
            ("POST", "/v1/external/courier/generate/label") => {
                |s, r, b, _| s.generate_label(b, &r.base_url)
            }
            ("POST", "/v1/external/orders/cancel/shipment/awbs") => {
                |s, _, b, _| s.cancel(b, "awbs", Key::Awb, "AWB not found")
            }
            ("POST", "/v1/external/orders/cancel") => {
                |s, _, b, _| s.cancel(b, "ids", Key::OrderId, "order not found")
            }
            ("GET", "/v1/external/orders") => |s, r, _, _| s.list_orders(r),
            ("GET", p) if p.starts_with(TRACK_AWB) => {
                |s, _, _, p| s.track(Key::Awb, &p[TRACK_AWB.len()..])
            }
            ("GET", p) if p.starts_with(TRACK_SHIPMENT) => {
                |s, _, _, p| s.track(Key::ShipmentId, &p[TRACK_SHIPMENT.len()..])
            }
            _ => return error(404, "404 Not Found"),
        };
        match self.authenticate(req) {
            Ok(()) => action(self, req, &body, path),
            Err(refused) => refused,
        }
    }

    fn bookings(&self) -> usize {
        lock(&self.state).orders.bookings()
    }
}

/// The kept order under `key`. Order and shipment ids are found by their number, so
/// `007` finds shipment 7, and `abc` nothing.
fn find(orders: &Store<Order>, key: Key, text: &str) -> Option<u64> {
    match key {
        Key::OrderId | Key::ShipmentId => orders.find(key, &text.parse::<u64>().ok()?.to_string()),
        Key::Reference | Key::Awb => orders.find(key, text),
    }
}

/// One order as "Get all Orders" lists it: the docs' keys in the docs' order, the
/// shipment as a one-item list whose `awb` and `courier` stay `""` until assigned.
fn listed_order(order: &Order) -> Value {
    let (status, code) = order.status();
    let booking = order.booking.as_ref();
    let stamp = order.created_at.format("%d %b %Y, %I:%M %p").to_string();
    let products: Vec<Value> = order
        .items
        .iter()
        .enumerate()
        .map(|(i, (name, sku, units))| {
            let id = order.order_id * 10 + i as u64;
            json!({
                "id": id, "channel_order_product_id": id.to_string(), "name": name,
                "channel_sku": sku, "quantity": units, "product_id": id + 1, "available": 0,
                "status": status, "hsn": "",
            })
        })
        .collect();
    let activities: Vec<&str> = [
        ("ORDER_CREATED", true),
        ("AWB_ASSIGNED", booking.is_some()),
        ("ORDER_CANCELLED", order.cancelled),
    ]
    .into_iter()
    .filter_map(|(activity, happened)| happened.then_some(activity))
    .collect();
    json!({
        "id": order.order_id, "channel_id": SANDBOX_CHANNEL_ID, "channel_name": "CUSTOM",
        "base_channel_code": "CS", "channel_order_id": order.channel_order_id,
        "customer_name": order.consignee.name,
        "customer_email": order.consignee.email.clone().unwrap_or_default(),
        "customer_phone": order.consignee.phone.national(),
        "pickup_location": SANDBOX_PICKUP_LOCATION, "payment_status": "",
        "total": format!("{:.2}", order.sub_total), "tax": "0.00", "sla": "2 days",
        "shipping_method": "SR", "expedited": 0, "status": status, "status_code": code,
        "payment_method": match order.payment {
            Payment::Cod { .. } => "cod",
            Payment::Prepaid => "prepaid",
        },
        "is_international": 0, "purpose_of_shipment": 0,
        "channel_created_at": stamp, "created_at": stamp, "products": products,
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

/// The heaviest weight (kg) and longest side (cm) the simulated serviceability API
/// prices: far beyond any parcel, and small enough that no charge overflows.
const MAX_WEIGHT_KG: f64 = 1_000_000.0;
const MAX_SIDE_CM: f64 = 100_000.0;

/// The sandbox account's registered pickup location ("Primary").
fn pickup_address() -> Option<Address> {
    Some(Address {
        name: "Shipgate Sandbox Warehouse".into(),
        phone: Phone::parse("9000000001", "IN").ok()?,
        email: Some("warehouse@shipgate.test".into()),
        line1: "12 Residency Road".into(),
        line2: None,
        landmark: None,
        city: "Bengaluru".into(),
        state: Some("Karnataka".into()),
        postal_code: PostalCode::parse("560025", "IN").ok()?,
        country: "IN".into(),
    })
}

fn ist_now() -> NaiveDateTime {
    Utc::now().with_timezone(&IST_OFFSET).naive_local()
}

/// A time as Shiprocket writes it: IST without a zone.
fn ist_text(time: DateTime<Utc>) -> String {
    time.with_timezone(&IST_OFFSET)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Adds a Laravel-style validation message for `key`.
fn complain(errors: &mut Map<String, Value>, key: &str, message: &str) {
    errors.insert(key.into(), json!([message]));
}

/// Shiprocket's error shape: `{"message": …, "status_code": …}`.
fn error(status: u16, message: &str) -> SimResponse {
    SimResponse::json(status, &json!({"message": message, "status_code": status}))
}

/// Shiprocket's validation error for one field.
fn invalid_field(message: &str, key: &str, complaint: &str) -> SimResponse {
    let mut errors = Map::new();
    complain(&mut errors, key, complaint);
    invalid(message, errors)
}

/// Shiprocket's validation error: 422 with `errors: {field: [..]}`.
fn invalid(message: &str, errors: Map<String, Value>) -> SimResponse {
    SimResponse::json(
        422,
        &json!({"message": message, "errors": errors, "status_code": 422}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
