//! The Shiprocket sandbox: Shiprocket's paths, wire format and quirks, served in-process.
//!
//! What it plays, and the rules a test can rely on:
//!
//! - **Login** (`POST /v1/external/auth/login`) accepts [`SANDBOX_EMAIL`] /
//!   [`SANDBOX_PASSWORD`] and issues a token that is good for a fixed number of
//!   authenticated requests ([`DEFAULT_TOKEN_REQUESTS`], or
//!   [`ShiprocketSimulator::with_token_lifetime`]). `POST /sandbox/expire-tokens` (or
//!   [`ShiprocketSimulator::expire_tokens`]) expires every token at once. Missing,
//!   unknown and expired tokens get Shiprocket's 401, so re-login can be tested for real.
//!   Only the [`KEPT_TOKENS`] most recent tokens are remembered: the gateway logs in
//!   again every [`DEFAULT_TOKEN_REQUESTS`] requests, so a long benchmark would otherwise
//!   pile up spent tokens forever. A forgotten token gets the unknown-token 401, which
//!   the adapter answers by logging in again like for any other 401.
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
//!   the number given to [`ShiprocketSimulator::with_kept_bookings`]), oldest order
//!   first out, so the sandbox inside a long-running gateway and the `shipgate simulate`
//!   benchmark do not grow without end. A forgotten order, its shipment and its AWB are
//!   answered as ids Shiprocket never issued: tracking gets `{}`, cancel "AWB not found"
//!   or "order not found", assigning an AWB "Invalid shipment id", the label link S3's
//!   `NoSuchKey`, and "Get all Orders" no longer lists it; its channel `order_id` makes
//!   a new order (the duplicate check covers kept orders only). [`Simulator::bookings`]
//!   still counts every AWB ever assigned.
//!
//! Deterministic apart from ids, tokens and timestamps. Thread-safe: one mutex, never
//! held while a label is rendered.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike, Utc};
use serde_json::{Map, Value, json};

use super::wire::ist;
use crate::label::{LabelData, render_pdf};
use crate::schema::{Address, Currency, Money, Payment, Phone, PostalCode};
use crate::simulator::{KEPT_BOOKINGS, SimRequest, SimResponse, Simulator};

pub const SANDBOX_EMAIL: &str = "sandbox@shipgate.test";
pub const SANDBOX_PASSWORD: &str = "sandbox-password";
/// The one pickup location registered in the sandbox account.
pub const SANDBOX_PICKUP_LOCATION: &str = "Primary";
/// No courier serves this PIN code.
pub const UNSERVICEABLE_PINCODE: &str = "999999";
/// Authenticated requests a sandbox token is good for.
pub const DEFAULT_TOKEN_REQUESTS: u32 = 100;
/// Tokens remembered; older ones are forgotten. The gateway uses one token at a time
/// per adapter, so a token this many logins old has long been replaced.
pub const KEPT_TOKENS: usize = 1_000;
/// The sandbox account's default custom channel, where API orders land.
const SANDBOX_CHANNEL_ID: u64 = 900_003;
/// Orders per page of "Get all Orders" unless `per_page` says otherwise.
const ORDERS_PER_PAGE: usize = 15;

const NO_ACTIVITIES: &str = "Aahh! There is no activities found in our DB. Please have some patience it will be updated soon.";

struct Courier {
    id: u32,
    name: &'static str,
    base_paise: i64,
    per_slab_paise: i64,
    days: i64,
}

const COURIERS: [Courier; 3] = [
    Courier {
        id: 43,
        name: "Delhivery Surface",
        base_paise: 4500,
        per_slab_paise: 3500,
        days: 5,
    },
    Courier {
        id: 1,
        name: "Blue Dart",
        base_paise: 8900,
        per_slab_paise: 6000,
        days: 2,
    },
    Courier {
        id: 51,
        name: "Xpressbees Surface",
        base_paise: 4000,
        per_slab_paise: 3200,
        days: 6,
    },
];

#[derive(Clone, Copy)]
enum Place {
    Origin,
    Hub,
    Destination,
}

/// The journey every sandbox parcel takes: (sr-status, label, courier code, activity, where).
const JOURNEY: [(&str, &str, &str, &str, Place); 9] = [
    (
        "5",
        "MANIFEST GENERATED",
        "X-UCI",
        "Manifested - Consignment Manifested",
        Place::Origin,
    ),
    (
        "NA",
        "NA",
        "FMPUR-101",
        "Manifested - Pickup scheduled",
        Place::Origin,
    ),
    (
        "42",
        "PICKED UP",
        "X-PPOM",
        "In Transit - Shipment picked up",
        Place::Origin,
    ),
    (
        "6",
        "SHIPPED",
        "X-PIOM",
        "In Transit - Shipment Recieved at Origin Center",
        Place::Origin,
    ),
    (
        "18",
        "IN TRANSIT",
        "X-ILL2F",
        "In Transit - Trip Arrived",
        Place::Hub,
    ),
    (
        "NA",
        "NA",
        "X-DBL1F",
        "In Transit - Added to Bag",
        Place::Hub,
    ),
    (
        "38",
        "REACHED AT DESTINATION HUB",
        "X-IBD3F",
        "In Transit - Shipment Received at Facility",
        Place::Destination,
    ),
    (
        "17",
        "OUT FOR DELIVERY",
        "X-DDD3FD",
        "Dispatched - Out for delivery",
        Place::Destination,
    ),
    (
        "7",
        "DELIVERED",
        "EOD-38",
        "Delivered - Delivered to consignee",
        Place::Destination,
    ),
];
/// Index of the first scan after which a cancellation becomes an RTO.
const PICKED_UP: usize = 2;

#[derive(Clone)]
struct Scan {
    at: NaiveDateTime,
    sr_status: &'static str,
    label: &'static str,
    courier_code: &'static str,
    activity: &'static str,
    location: String,
}

struct Booking {
    awb: String,
    courier: &'static Courier,
    routing_code: String,
    scans: Vec<Scan>,
    /// Next JOURNEY step to reveal.
    next: usize,
    /// Cancelled or sent back: the journey stops.
    stopped: bool,
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
    order_date: NaiveDate,
    created_at: NaiveDateTime,
    cancelled: bool,
    booking: Option<Booking>,
}

#[derive(Default)]
struct State {
    seq: u64,
    /// Requests left per token.
    tokens: HashMap<String, u32>,
    /// Kept tokens in the order they were issued, to forget the oldest.
    token_order: VecDeque<String>,
    /// By order id. Ids only grow, so the first entry is the oldest order: the one to
    /// forget next.
    orders: BTreeMap<u64, Order>,
    by_channel_id: HashMap<String, u64>,
    by_shipment: HashMap<u64, u64>,
    by_awb: HashMap<String, u64>,
    /// AWBs ever assigned, on forgotten orders too.
    bookings: usize,
    kept_orders: usize,
}

impl State {
    fn next_id(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn keep_token(&mut self, token: String, requests: u32) {
        self.tokens.insert(token.clone(), requests);
        self.token_order.push_back(token);
        while self.token_order.len() > KEPT_TOKENS {
            if let Some(old) = self.token_order.pop_front() {
                self.tokens.remove(&old);
            }
        }
    }

    fn keep_order(&mut self, order: Order) {
        let id = order.order_id;
        self.by_channel_id
            .insert(order.channel_order_id.clone(), id);
        self.by_shipment.insert(order.shipment_id, id);
        self.orders.insert(id, order);
        while self.orders.len() > self.kept_orders {
            let Some((_, old)) = self.orders.pop_first() else {
                break;
            };
            self.by_channel_id.remove(&old.channel_order_id);
            self.by_shipment.remove(&old.shipment_id);
            if let Some(booking) = &old.booking {
                self.by_awb.remove(&booking.awb);
            }
        }
    }
}

pub struct ShiprocketSimulator {
    state: Mutex<State>,
    token_requests: u32,
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
        ShiprocketSimulator {
            state: Mutex::new(State {
                kept_orders: kept_orders.max(1),
                ..State::default()
            }),
            token_requests,
        }
    }

    /// Expires every token still remembered; returns how many there were.
    pub fn expire_tokens(&self) -> usize {
        let mut state = self.lock();
        state.tokens.values_mut().for_each(|left| *left = 0);
        state.tokens.len()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn login(&self, body: &Value) -> SimResponse {
        let email = field(body, "email");
        let password = field(body, "password");
        let mut missing = Map::new();
        if email.is_none() {
            missing.insert("email".into(), json!(["The email field is required."]));
        }
        if password.is_none() {
            missing.insert(
                "password".into(),
                json!(["The password field is required."]),
            );
        }
        if !missing.is_empty() {
            return invalid("Oops! Invalid Data.", missing);
        }
        if email.as_deref() != Some(SANDBOX_EMAIL) || password.as_deref() != Some(SANDBOX_PASSWORD)
        {
            return error(400, "Invalid email and password combination");
        }
        let mut state = self.lock();
        let n = state.next_id();
        let token = format!("sandbox.{n}.{:x}", nanos());
        state.keep_token(token.clone(), self.token_requests);
        SimResponse::json(
            200,
            &json!({
                "company_id": 900001,
                "created_at": ist_now().format("%Y-%m-%d %H:%M:%S").to_string(),
                "email": SANDBOX_EMAIL,
                "first_name": "Sandbox",
                "id": 900002,
                "last_name": "Shipper",
                "token": token,
            }),
        )
    }

    /// Spends one request of the caller's token, or answers Shiprocket's 401.
    fn authenticate(&self, req: &SimRequest) -> Result<(), SimResponse> {
        let token = req
            .header("authorization")
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .map(str::trim);
        let mut state = self.lock();
        match token.and_then(|t| state.tokens.get_mut(t)) {
            Some(left) if *left > 0 => {
                *left -= 1;
                Ok(())
            }
            Some(_) => Err(error(401, "Token has expired")),
            None => Err(error(
                401,
                "Failed to authenticate because of bad credentials or an invalid authorization header.",
            )),
        }
    }

    fn serviceability(&self, req: &SimRequest) -> SimResponse {
        let pickup = req
            .query_value("pickup_postcode")
            .map(str::trim)
            .unwrap_or("");
        let delivery = req
            .query_value("delivery_postcode")
            .map(str::trim)
            .unwrap_or("");
        let weight_kg: Option<f64> = req
            .query_value("weight")
            .and_then(|w| w.trim().parse().ok())
            .filter(|w: &f64| w.is_finite() && *w > 0.0);
        // Bounded so that the charges computed from them cannot overflow.
        let too_large = |key: &str, max: f64| {
            req.query_value(key)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .is_some_and(|v| v > max)
                .then(|| {
                    (
                        key.to_string(),
                        json!([format!("The {key} may not be greater than {max}.")]),
                    )
                })
        };
        let cod = req.query_value("cod").map(str::trim);
        let mut errors = Map::new();
        if weight_kg.is_none() {
            errors.insert(
                "weight".into(),
                json!(["The weight field is required when order id is not present."]),
            );
        }
        if !matches!(cod, Some("0" | "1")) {
            errors.insert(
                "cod".into(),
                json!(["The cod field is required when order id is not present."]),
            );
        }
        for (key, value) in [("pickup_postcode", pickup), ("delivery_postcode", delivery)] {
            if PostalCode::parse(value, "IN").is_err() {
                errors.insert(
                    key.into(),
                    json!([format!("The {} must be 6 digits.", key.replace('_', " "))]),
                );
            }
        }
        errors.extend(
            [
                too_large("weight", MAX_WEIGHT_KG),
                too_large("length", MAX_SIDE_CM),
                too_large("breadth", MAX_SIDE_CM),
                too_large("height", MAX_SIDE_CM),
            ]
            .into_iter()
            .flatten(),
        );
        if !errors.is_empty() {
            return invalid("Required field missing", errors);
        }
        let cod = cod == Some("1");
        let dims = ["length", "breadth", "height"].map(|k| {
            req.query_value(k)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| *v > 0.0)
        });
        let volumetric_g = match dims {
            [Some(l), Some(b), Some(h)] => (l * b * h / 5.0).round() as i64,
            _ => 0,
        };
        let declared = req
            .query_value("declared_value")
            .and_then(|v| Money::from_major_str(v, Currency::inr()))
            .map_or(0, |m| m.amount);
        let weight_g = (weight_kg.unwrap_or(0.5) * 1000.0).round() as i64;
        let companies: Vec<Value> =
            if pickup == UNSERVICEABLE_PINCODE || delivery == UNSERVICEABLE_PINCODE {
                Vec::new()
            } else {
                COURIERS
                    .iter()
                    .map(|c| {
                        let q = quote(
                            c,
                            pickup,
                            delivery,
                            weight_g.max(volumetric_g),
                            cod,
                            declared,
                        );
                        json!({
                            "courier_company_id": c.id,
                            "courier_name": c.name,
                            "rate": rupees(q.freight + q.cod),
                            "freight_charge": rupees(q.freight),
                            "cod_charges": rupees(q.cod),
                            "cod": 1,
                            "blocked": 0,
                            "charge_weight": q.charge_weight_g as f64 / 1000.0,
                            "min_weight": 0.5,
                            "etd": q.etd.format("%b %d, %Y").to_string(),
                            "etd_hours": q.days * 24,
                            "estimated_delivery_days": q.days.to_string(),
                            "is_surface": c.id != 1,
                            "zone": q.zone,
                            "postcode": delivery,
                            "rating": 4.5,
                        })
                    })
                    .collect()
            };
        let recommended = companies
            .iter()
            .min_by(|a, b| {
                a["rate"]
                    .as_f64()
                    .partial_cmp(&b["rate"].as_f64())
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .map(|c| c["courier_company_id"].clone())
            .unwrap_or(Value::Null);
        SimResponse::json(
            200,
            &json!({
                "currency": "INR",
                "status": 200,
                "data": {
                    "available_courier_companies": companies,
                    "blocked_courier_companies": [],
                    "recommended_courier_company_id": recommended,
                    "shiprocket_recommended_courier_id": recommended,
                },
            }),
        )
    }

    fn create_order(&self, body: &Value) -> SimResponse {
        const REQUIRED: [&str; 16] = [
            "order_id",
            "order_date",
            "pickup_location",
            "billing_customer_name",
            "billing_address",
            "billing_city",
            "billing_pincode",
            "billing_state",
            "billing_country",
            "billing_phone",
            "payment_method",
            "sub_total",
            "length",
            "breadth",
            "height",
            "weight",
        ];
        let mut errors = Map::new();
        for key in REQUIRED {
            if field(body, key).is_none() {
                errors.insert(
                    key.into(),
                    json!([format!("The {} field is required.", key.replace('_', " "))]),
                );
            }
        }
        let items = body.get("order_items").and_then(Value::as_array);
        if items.is_none_or(|i| i.is_empty()) {
            errors.insert(
                "order_items".into(),
                json!(["The order items field is required."]),
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
        let numbers =
            ["sub_total", "length", "breadth", "height", "weight"].map(|k| number(body, k));
        let mut errors = Map::new();
        if phone.is_none() {
            errors.insert(
                "billing_phone".into(),
                json!(["Please enter a valid 10 digit billing phone number."]),
            );
        }
        if pincode.is_none() {
            errors.insert(
                "billing_pincode".into(),
                json!(["The billing pincode must be 6 digits."]),
            );
        }
        if !matches!(payment_method.as_str(), "prepaid" | "cod") {
            errors.insert(
                "payment_method".into(),
                json!(["The selected payment method is invalid."]),
            );
        }
        for (key, value) in ["sub_total", "length", "breadth", "height", "weight"]
            .iter()
            .zip(numbers)
        {
            let positive = value.is_some_and(|v| v > 0.0 || (*key == "sub_total" && v >= 0.0));
            if !positive {
                errors.insert(
                    (*key).into(),
                    json!([format!("The {key} must be greater than 0.")]),
                );
            }
        }
        let (Some(phone), Some(pincode), true) = (phone, pincode, errors.is_empty()) else {
            return invalid("Oops! Invalid Data.", errors);
        };
        let channel_order_id = field(body, "order_id").unwrap_or_default();
        let mut state = self.lock();
        if let Some(order) = state
            .by_channel_id
            .get(&channel_order_id)
            .and_then(|id| state.orders.get(id))
        {
            return SimResponse::json(200, &order_reply(order));
        }
        let sub_total = numbers[0].unwrap_or(0.0);
        let order_items: Vec<(String, String, u64)> = items
            .into_iter()
            .flatten()
            .map(|i| {
                let units = number(i, "units").map_or(1, |u| u.max(1.0) as u64);
                (
                    field(i, "name").unwrap_or_default(),
                    field(i, "sku").unwrap_or_default(),
                    units,
                )
            })
            .collect();
        let created_at = ist_now().with_nanosecond(0).unwrap_or_else(ist_now);
        let order = Order {
            order_id: 300_000_000 + state.next_id(),
            shipment_id: 200_000_000 + state.next_id(),
            channel_order_id,
            consignee: Address {
                name: [
                    field(body, "billing_customer_name"),
                    field(body, "billing_last_name"),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
                phone,
                email: field(body, "billing_email"),
                line1: field(body, "billing_address").unwrap_or_default(),
                line2: field(body, "billing_address_2"),
                landmark: None,
                city: field(body, "billing_city").unwrap_or_default(),
                state: field(body, "billing_state"),
                postal_code: pincode,
                country: "IN".into(),
            },
            payment: if payment_method == "cod" {
                Payment::Cod {
                    cod_amount: Money::inr((sub_total * 100.0).round() as i64),
                }
            } else {
                Payment::Prepaid
            },
            weight_g: (numbers[4].unwrap_or(0.0) * 1000.0).round() as u32,
            dimensions: format!(
                "{:.2}x{:.2}x{:.2}",
                numbers[1].unwrap_or(0.0),
                numbers[2].unwrap_or(0.0),
                numbers[3].unwrap_or(0.0)
            ),
            sub_total,
            description: order_items
                .iter()
                .map(|(name, _, _)| name.as_str())
                .filter(|name| !name.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            items: order_items,
            order_date: created_at.date(),
            created_at,
            cancelled: false,
            booking: None,
        };
        let reply = order_reply(&order);
        state.keep_order(order);
        SimResponse::json(200, &reply)
    }

    fn assign_awb(&self, body: &Value) -> SimResponse {
        let Some(shipment_id) = field(body, "shipment_id") else {
            return invalid(
                "Required field missing",
                Map::from_iter([(
                    "shipment_id".to_string(),
                    json!(["The shipment id field is required."]),
                )]),
            );
        };
        let courier_id = field(body, "courier_id");
        let mut state = self.lock();
        let Some(order_id) = shipment_id
            .parse::<u64>()
            .ok()
            .and_then(|s| state.by_shipment.get(&s).copied())
        else {
            return error(400, "Invalid shipment id");
        };
        let seq = state.next_id();
        let Some(order) = state.orders.get_mut(&order_id) else {
            return error(400, "Invalid shipment id");
        };
        if order.booking.is_some() {
            return error(400, "Oops! Cannot reassign courier for this shipment.");
        }
        if order.cancelled {
            return error(400, "Shipment is cancelled, AWB cannot be assigned.");
        }
        let assign_failed = |message: String| {
            SimResponse::json(
                200,
                &json!({"awb_assign_status": 0, "response": {"data": {"awb_assign_error": message}}}),
            )
        };
        if order.consignee.postal_code.as_str() == UNSERVICEABLE_PINCODE {
            return assign_failed(format!(
                "Delivery postcode {UNSERVICEABLE_PINCODE} is not serviceable by any courier."
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
        let routing_code = format!(
            "S1/{}/{:03}",
            &order.consignee.postal_code.as_str()[..3],
            courier.id
        );
        let now = ist_now();
        order.booking = Some(Booking {
            awb: awb.clone(),
            courier,
            routing_code: routing_code.clone(),
            scans: Vec::new(),
            next: 0,
            stopped: false,
        });
        let reply = json!({
            "awb_assign_status": 1,
            "response": {"data": {
                "courier_company_id": courier.id,
                "awb_code": awb,
                "cod": i32::from(matches!(order.payment, Payment::Cod { .. })),
                "order_id": order.order_id,
                "shipment_id": order.shipment_id,
                "awb_code_status": 1,
                "assigned_date_time": {
                    "date": now.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
                    "timezone_type": 3,
                    "timezone": "Asia/Kolkata",
                },
                "applied_weight": f64::from(order.weight_g.max(500)) / 1000.0,
                "courier_name": courier.name,
                "child_courier_name": null,
                "pickup_scheduled_date": (now + Duration::hours(4)).format("%Y-%m-%d %H:00:00").to_string(),
                "routing_code": routing_code,
                "rto_routing_code": "",
                "invoice_no": format!("SG{}", order.order_id),
            }},
        });
        state.by_awb.insert(awb, order_id);
        state.bookings += 1;
        SimResponse::json(200, &reply)
    }

    fn generate_label(&self, body: &Value, base_url: &str) -> SimResponse {
        let Some(ids) = body.get("shipment_id").and_then(Value::as_array) else {
            return invalid(
                "Oops! Invalid Data.",
                Map::from_iter([(
                    "shipment_id".to_string(),
                    json!(["The shipment id must be an array."]),
                )]),
            );
        };
        let state = self.lock();
        let mut first_awb = None;
        let mut not_created = Vec::new();
        for id in ids {
            let awb = scalar(id)
                .and_then(|s| s.parse::<u64>().ok())
                .and_then(|s| state.by_shipment.get(&s))
                .and_then(|o| state.orders.get(o))
                .filter(|o| !o.cancelled)
                .and_then(|o| o.booking.as_ref())
                .map(|b| b.awb.clone());
            match awb {
                Some(awb) => {
                    first_awb.get_or_insert(awb);
                }
                None => not_created.push(id.clone()),
            }
        }
        match first_awb {
            Some(awb) => SimResponse::json(
                200,
                &json!({
                    "label_created": 1,
                    "label_url": format!("{}/labels/{awb}.pdf", base_url.trim_end_matches('/')),
                    "response": "Label has been created and uploaded successfully!",
                    "not_created": not_created,
                }),
            ),
            None => SimResponse::json(
                200,
                &json!({"label_created": 0, "not_created": [], "response": "No valid shipment ids to print label"}),
            ),
        }
    }

    fn label_pdf(&self, awb: &str) -> SimResponse {
        let data = {
            let state = self.lock();
            let Some(order) = state.by_awb.get(awb).and_then(|o| state.orders.get(o)) else {
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
                created: order.order_date,
            }
        };
        SimResponse::raw(200, "application/pdf", render_pdf(&data))
    }

    fn cancel_awbs(&self, body: &Value) -> SimResponse {
        let Some(awbs) = body
            .get("awbs")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        else {
            return invalid(
                "Oops! Invalid Data.",
                Map::from_iter([("awbs".to_string(), json!(["The awbs field is required."]))]),
            );
        };
        let mut state = self.lock();
        let mut refused = Vec::new();
        for awb in awbs.iter().filter_map(scalar) {
            let order = state
                .by_awb
                .get(&awb)
                .copied()
                .and_then(|id| state.orders.get_mut(&id));
            match order {
                None => refused.push(format!("{awb}: AWB not found")),
                Some(order) => {
                    if let Err(reason) = cancel_order(order) {
                        refused.push(format!("{awb}: {reason}"));
                    }
                }
            }
        }
        if refused.len() == awbs.len() {
            return error(400, &format!("Cancellation failed. {}", refused.join("; ")));
        }
        SimResponse::raw(204, "application/json", Vec::new())
    }

    fn cancel_orders(&self, body: &Value) -> SimResponse {
        let Some(ids) = body
            .get("ids")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        else {
            return invalid(
                "Oops! Invalid Data.",
                Map::from_iter([("ids".to_string(), json!(["The ids field is required."]))]),
            );
        };
        let mut state = self.lock();
        let mut refused = Vec::new();
        for id in ids.iter().filter_map(scalar) {
            match id
                .parse::<u64>()
                .ok()
                .and_then(|i| state.orders.get_mut(&i))
            {
                None => refused.push(format!("{id}: order not found")),
                Some(order) => {
                    if let Err(reason) = cancel_order(order) {
                        refused.push(format!("{id}: {reason}"));
                    }
                }
            }
        }
        if refused.len() == ids.len() {
            return error(400, &format!("Cancellation failed. {}", refused.join("; ")));
        }
        SimResponse::json(
            200,
            &json!({"status": 200, "message": "Order(s) cancelled successfully."}),
        )
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
        let state = self.lock();
        // Newest first: order ids only grow.
        let matched: Vec<&Order> = state
            .orders
            .values()
            .rev()
            .filter(|o| match &search {
                None => true,
                Some(text) => {
                    o.channel_order_id
                        .to_ascii_lowercase()
                        .contains(text.as_str())
                        || o.booking
                            .as_ref()
                            .is_some_and(|b| b.awb.eq_ignore_ascii_case(text))
                }
            })
            .collect();
        let total = matched.len();
        let total_pages = total.div_ceil(per_page).max(1);
        let data: Vec<Value> = matched
            .into_iter()
            .skip((page - 1).saturating_mul(per_page))
            .take(per_page)
            .map(listed_order)
            .collect();
        let links = if page < total_pages {
            json!({"next": format!("{}/v1/external/orders?page={}", req.base_url.trim_end_matches('/'), page + 1)})
        } else {
            json!({})
        };
        SimResponse::json(
            200,
            &json!({
                "data": data,
                "meta": {"pagination": {
                    "total": total,
                    "count": data.len(),
                    "per_page": per_page,
                    "current_page": page,
                    "total_pages": total_pages,
                    "links": links,
                }},
            }),
        )
    }

    /// Answers a track call with the scans revealed so far, then reveals the next one.
    fn track(&self, order_id: Option<u64>, by_shipment: bool) -> SimResponse {
        let mut state = self.lock();
        let Some(order) = order_id.and_then(|id| state.orders.get_mut(&id)) else {
            return SimResponse::json(200, &json!({}));
        };
        let (order_id, shipment_id) = (order.order_id, order.shipment_id);
        let destination = order.consignee.city.clone();
        let consignee = order.consignee.name.clone();
        let weight = format!("{:.2}", f64::from(order.weight_g) / 1000.0);
        let dest_location = match &order.consignee.state {
            Some(st) => format!("{destination}_DC ({st})"),
            None => format!("{destination}_DC"),
        };
        let Some(booking) = order.booking.as_mut() else {
            return SimResponse::json(
                200,
                &json!({"tracking_data": {"track_status": 0, "error": NO_ACTIVITIES}}),
            );
        };
        let reply = if booking.scans.is_empty() && !by_shipment {
            json!({"tracking_data": {"track_status": 0, "error": NO_ACTIVITIES}})
        } else {
            let latest = booking
                .scans
                .iter()
                .rev()
                .find(|s| s.sr_status != "NA")
                .map_or(("1", "AWB Assigned"), |s| (s.sr_status, s.label));
            let activities: Vec<Value> = booking
                .scans
                .iter()
                .rev()
                .map(|s| {
                    json!({
                        "date": s.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                        "status": s.courier_code,
                        "activity": s.activity,
                        "location": s.location,
                        "sr-status": s.sr_status,
                    })
                })
                .collect();
            let delivered = booking.scans.iter().find(|s| s.sr_status == "7");
            json!({"tracking_data": {
                "track_status": i32::from(!booking.scans.is_empty()),
                "shipment_status": latest.0.parse::<u32>().unwrap_or(1),
                "shipment_track": [{
                    "id": shipment_id + 7,
                    "awb_code": booking.awb,
                    "courier_company_id": booking.courier.id,
                    "shipment_id": shipment_id,
                    "order_id": order_id,
                    "pickup_date": booking.scans.get(PICKED_UP).map(|s| s.at.format("%Y-%m-%d %H:%M:%S").to_string()),
                    "delivered_date": delivered.map(|s| s.at.format("%Y-%m-%d %H:%M:%S").to_string()),
                    "weight": weight,
                    "packages": 1,
                    "current_status": latest.1,
                    "delivered_to": destination,
                    "destination": destination,
                    "consignee_name": consignee,
                    "origin": "Bengaluru",
                    "courier_agent_details": null,
                }],
                "shipment_track_activities": activities,
                "track_url": format!("https://shiprocket.co/tracking/{}", booking.awb),
            }})
        };
        if !booking.stopped
            && let Some(&(sr_status, label, courier_code, activity, place)) =
                JOURNEY.get(booking.next)
        {
            let location = match place {
                Place::Origin => "Bengaluru_Hub (Karnataka)".to_string(),
                Place::Hub => "Nagpur_Hub (Maharashtra)".to_string(),
                Place::Destination => dest_location,
            };
            let at = next_scan_time(&booking.scans);
            booking.scans.push(Scan {
                at,
                sr_status,
                label,
                courier_code,
                activity,
                location,
            });
            booking.next += 1;
        }
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

        enum Route<'a> {
            Serviceability,
            CreateOrder,
            AssignAwb,
            GenerateLabel,
            CancelAwbs,
            CancelOrders,
            TrackAwb(&'a str),
            TrackShipment(&'a str),
            ListOrders,
        }
        let route = match (method.as_str(), path) {
            ("GET", "/v1/external/courier/serviceability") => Route::Serviceability,
            ("POST", "/v1/external/orders/create/adhoc") => Route::CreateOrder,
            ("POST", "/v1/external/courier/assign/awb") => Route::AssignAwb,
            ("POST", "/v1/external/courier/generate/label") => Route::GenerateLabel,
            ("POST", "/v1/external/orders/cancel/shipment/awbs") => Route::CancelAwbs,
            ("POST", "/v1/external/orders/cancel") => Route::CancelOrders,
            ("GET", "/v1/external/orders") => Route::ListOrders,
            ("GET", p) if p.starts_with("/v1/external/courier/track/awb/") => {
                Route::TrackAwb(&p["/v1/external/courier/track/awb/".len()..])
            }
            ("GET", p) if p.starts_with("/v1/external/courier/track/shipment/") => {
                Route::TrackShipment(&p["/v1/external/courier/track/shipment/".len()..])
            }
            _ => return error(404, "404 Not Found"),
        };
        if let Err(refused) = self.authenticate(req) {
            return refused;
        }
        match route {
            Route::Serviceability => self.serviceability(req),
            Route::CreateOrder => self.create_order(&body),
            Route::AssignAwb => self.assign_awb(&body),
            Route::GenerateLabel => self.generate_label(&body, &req.base_url),
            Route::CancelAwbs => self.cancel_awbs(&body),
            Route::CancelOrders => self.cancel_orders(&body),
            Route::ListOrders => self.list_orders(req),
            Route::TrackAwb(awb) => {
                let order = self.lock().by_awb.get(awb).copied();
                self.track(order, false)
            }
            Route::TrackShipment(id) => {
                let order = id
                    .parse::<u64>()
                    .ok()
                    .and_then(|s| self.lock().by_shipment.get(&s).copied());
                self.track(order, true)
            }
        }
    }

    fn bookings(&self) -> usize {
        self.lock().bookings
    }
}

/// Cancels an order and its AWB. A parcel already picked up is sent back (RTO) instead.
fn cancel_order(order: &mut Order) -> Result<(), String> {
    if let Some(booking) = order.booking.as_mut() {
        if booking.scans.iter().any(|s| s.sr_status == "7") {
            return Err("a delivered shipment cannot be cancelled".into());
        }
        if !booking.stopped {
            let at = next_scan_time(&booking.scans);
            let scan = if booking.next > PICKED_UP {
                (
                    "9",
                    "RTO INITIATED",
                    "RT-101",
                    "Returned - Return to origin initiated on seller request",
                )
            } else {
                (
                    "8",
                    "CANCELED",
                    "CANCELLED",
                    "Canceled - Shipment cancelled by seller",
                )
            };
            booking.scans.push(Scan {
                at,
                sr_status: scan.0,
                label: scan.1,
                courier_code: scan.2,
                activity: scan.3,
                location: "Bengaluru_Hub (Karnataka)".into(),
            });
            booking.stopped = true;
        }
    }
    order.cancelled = true;
    Ok(())
}

/// The order status text and id (`[codes.order_status]`) the order's state stands for.
fn order_status(order: &Order) -> (&'static str, u32) {
    let booking = order.booking.as_ref();
    let returning = booking.is_some_and(|b| b.scans.iter().any(|s| s.sr_status == "9"));
    match (order.cancelled, booking) {
        // A cancel after pickup turned into a return.
        (true, _) if returning => ("RTO INITIATED", 15),
        (true, _) => ("CANCELED", 5),
        (false, Some(_)) => ("READY TO SHIP", 3),
        (false, None) => ("NEW", 1),
    }
}

/// One order as "Get all Orders" lists it: the docs' keys in the docs' order, the
/// shipment as a one-item list whose `awb` and `courier` stay `""` until assigned.
fn listed_order(order: &Order) -> Value {
    let (status, code) = order_status(order);
    let booking = order.booking.as_ref();
    let stamp = order.created_at.format("%d %b %Y, %I:%M %p").to_string();
    let products: Vec<Value> = order
        .items
        .iter()
        .enumerate()
        .map(|(i, (name, sku, units))| {
            let id = order.order_id * 10 + i as u64;
            json!({
                "id": id,
                "channel_order_product_id": id.to_string(),
                "name": name,
                "channel_sku": sku,
                "quantity": units,
                "product_id": id + 1,
                "available": 0,
                "status": status,
                "hsn": "",
            })
        })
        .collect();
    let mut activities = vec!["ORDER_CREATED"];
    if booking.is_some() {
        activities.push("AWB_ASSIGNED");
    }
    if order.cancelled {
        activities.push("ORDER_CANCELLED");
    }
    json!({
        "id": order.order_id,
        "channel_id": SANDBOX_CHANNEL_ID,
        "channel_name": "CUSTOM",
        "base_channel_code": "CS",
        "channel_order_id": order.channel_order_id,
        "customer_name": order.consignee.name,
        "customer_email": order.consignee.email.clone().unwrap_or_default(),
        "customer_phone": order.consignee.phone.national(),
        "pickup_location": SANDBOX_PICKUP_LOCATION,
        "payment_status": "",
        "total": format!("{:.2}", order.sub_total),
        "tax": "0.00",
        "sla": "2 days",
        "shipping_method": "SR",
        "expedited": 0,
        "status": status,
        "status_code": code,
        "payment_method": match order.payment {
            Payment::Cod { .. } => "cod",
            Payment::Prepaid => "prepaid",
        },
        "is_international": 0,
        "purpose_of_shipment": 0,
        "channel_created_at": stamp,
        "created_at": stamp,
        "products": products,
        "shipments": [{
            "id": order.shipment_id,
            "isd_code": "+91",
            "courier": booking.map_or("", |b| b.courier.name),
            "weight": f64::from(order.weight_g) / 1000.0,
            "dimensions": order.dimensions,
            "pickup_scheduled_date": null,
            "pickup_token_number": null,
            "awb": booking.map_or(String::new(), |b| b.awb.clone()),
            "return_awb": "",
            "volumetric_weight": 0,
            "pod": null,
            "etd": "NA",
            "rto_delivered_date": "0000-00-00 00:00:00",
            "delivered_date": null,
            "etd_escalation_btn": false,
        }],
        "activities": activities,
        "allow_return": 0,
        "is_incomplete": 0,
        "errors": [],
        "show_escalation_btn": 0,
        "escalation_status": "",
        "escalation_history": [],
    })
}

fn order_reply(order: &Order) -> Value {
    let booking = order.booking.as_ref();
    let (status, code) = order_status(order);
    json!({
        "order_id": order.order_id,
        "channel_order_id": order.channel_order_id,
        "shipment_id": order.shipment_id,
        "status": status,
        "status_code": code,
        "onboarding_completed_now": 0,
        "awb_code": booking.map(|b| b.awb.clone()),
        "courier_company_id": booking.map(|b| b.courier.id),
        "courier_name": booking.map(|b| b.courier.name),
    })
}

struct Quote {
    freight: i64,
    cod: i64,
    charge_weight_g: i64,
    days: i64,
    etd: NaiveDate,
    zone: &'static str,
}

/// The heaviest weight (kg) and longest side (cm) the simulated serviceability API
/// prices: far beyond any parcel, and small enough that no charge overflows.
const MAX_WEIGHT_KG: f64 = 1_000_000.0;
const MAX_SIDE_CM: f64 = 100_000.0;

fn quote(
    c: &Courier,
    pickup: &str,
    delivery: &str,
    weight_g: i64,
    cod: bool,
    declared: i64,
) -> Quote {
    let charge_weight_g = ((weight_g.max(500) + 499) / 500) * 500;
    let slabs = charge_weight_g / 500;
    let (zone, percent, extra_days) = if pickup.get(..3) == delivery.get(..3) {
        ("z_a", 100, 0)
    } else if pickup.get(..2) == delivery.get(..2) {
        ("z_b", 120, 0)
    } else {
        ("z_d", 150, 1)
    };
    let freight = (c.base_paise + c.per_slab_paise * (slabs - 1)) * percent / 100;
    let cod = if cod {
        (declared * 15 / 1000).max(3500)
    } else {
        0
    };
    let days = c.days + extra_days;
    Quote {
        freight,
        cod,
        charge_weight_g,
        days,
        etd: ist_now().date() + Duration::days(days),
        zone,
    }
}

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
    Utc::now().with_timezone(&ist()).naive_local()
}

/// Scan times strictly increase even when two track calls land in the same second.
fn next_scan_time(scans: &[Scan]) -> NaiveDateTime {
    let now = ist_now().with_nanosecond(0).unwrap_or_else(ist_now);
    match scans.last() {
        Some(last) if last.at >= now => last.at + Duration::seconds(1),
        _ => now,
    }
}

fn nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

fn rupees(paise: i64) -> Value {
    if paise % 100 == 0 {
        json!(paise / 100)
    } else {
        json!(paise as f64 / 100.0)
    }
}

/// A string or number field as trimmed text; empty counts as absent (Laravel's `required`).
fn field(body: &Value, key: &str) -> Option<String> {
    body.get(key).and_then(scalar)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn number(body: &Value, key: &str) -> Option<f64> {
    match body.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Shiprocket's error shape: `{"message": …, "status_code": …}`.
fn error(status: u16, message: &str) -> SimResponse {
    SimResponse::json(status, &json!({"message": message, "status_code": status}))
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
