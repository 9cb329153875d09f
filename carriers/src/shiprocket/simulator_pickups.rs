//! Shiprocket's pickup locations, pickups and manifests in the sandbox (the rest of the
//! simulator is in `simulator.rs`).
//!
//! - `POST …/settings/company/addpickup` registers a nickname (`pickup_location`) with
//!   its address; required fields, a 10-digit `phone` ("Not a valid mobile number", as
//!   the 422 sample), an `address` of at least 10 characters and a valid `pin_code` are
//!   checked Laravel's way; a nickname already in use is a 422 (wording ours). The answer
//!   is the sample's shape with a new `pickup_id`. [`SANDBOX_PICKUP_LOCATION`] exists
//!   from the start.
//! - `POST …/courier/generate/pickup` takes Shiprocket `shipment_id`s of booked, live
//!   shipments (else the sample's 400 "Invalid shipment id") and answers as the sample,
//!   scheduled for the next day. A parcel bound for a PIN code ending
//!   [`rules::PICKUP_FAILS`] (`95`) then shows a "Pickup Exception" scan (sr-status 20)
//!   next, and is picked up at the next visit.
//! - `POST …/manifests/generate` answers a `manifest_url` for new shipment ids, the
//!   sample's 400 with `already_manifested_shipment_ids` for any manifested before, and
//!   an empty link for an empty list (sample); `POST …/manifests/print` (`order_ids`)
//!   answers the link of the manifest holding those orders, and the sample's 500 for a
//!   body that is not a list. The links are not served.

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::kit::time::IST;
use crate::simulator::ids::Counter;
use crate::simulator::journey::{Place, Step, step};
use crate::simulator::laravel::Rule::{Array, Digits, Required};
use crate::simulator::laravel::{Errors, error, invalid};
use crate::simulator::rules::{self, is_pincode};
use crate::simulator::store::Key;
use crate::simulator::values::{indian_mobile, scalar, text};
use crate::simulator::{Answer, SimRequest, SimResponse, require};

use super::simulator::{SANDBOX_PICKUP_LOCATION, ShiprocketSimulator};

/// A pickup the courier did not complete (sr-status 20, "Pickup Exception").
#[rustfmt::skip]
pub(super) static PICKUP_EXCEPTION: [Step<(&str, &str, &str, &str)>; 1] =
    [step(("20", "PICKUP EXCEPTION", "X-PNP", "Pickup Exception - Shipment not received from client"), Place::Origin)];

const INVALID: &str = "Oops! Invalid Data.";

/// The sandbox's ids, with its pickup locations and manifests. Derefs to the id counter
/// the booking code issues from.
pub struct Numbers {
    ids: Counter,
    /// Nickname → pickup id.
    locations: BTreeMap<String, u64>,
    /// Shiprocket shipment id → the link of the manifest holding it.
    manifested: BTreeMap<String, String>,
    manifests: u64,
}

impl Default for Numbers {
    fn default() -> Self {
        Numbers {
            ids: Counter::new(),
            locations: BTreeMap::from([(SANDBOX_PICKUP_LOCATION.to_string(), 1_856_900)]),
            manifested: BTreeMap::new(),
            manifests: 3_050,
        }
    }
}

impl Deref for Numbers {
    type Target = Counter;
    fn deref(&self) -> &Counter {
        &self.ids
    }
}

impl DerefMut for Numbers {
    fn deref_mut(&mut self) -> &mut Counter {
        &mut self.ids
    }
}

impl ShiprocketSimulator {
    pub(super) fn add_pickup(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let mut errors = Errors::new();
        errors.require(
            &body,
            "pickup_location name email phone address city state country pin_code",
        );
        let f = |k: &str| text(&body, k).unwrap_or_default();
        if !f("phone").is_empty() && indian_mobile(&f("phone")).is_none() {
            return Err(SimResponse::json(
                422,
                &json!({
                    "message": "Not a valid mobile number", "errors": {"phone": ["The phone must be a valid mobile number."]}, "status_code": 422,
                }),
            ));
        }
        let (address, pin) = (f("address"), f("pin_code"));
        errors.check(
            address.is_empty() || address.chars().count() >= 10,
            "address",
            Required,
        );
        errors.check(pin.is_empty() || is_pincode(&pin), "pin_code", Digits(6));
        errors.answer(INVALID)?;
        let mut books = self.books();
        let nickname = f("pickup_location");
        let taken = books.numbers.locations.contains_key(&nickname);
        require(!taken, || error(422, "Address nick name already in use"))?;
        let id = 1_856_900 + books.numbers.issue();
        books.numbers.locations.insert(nickname.clone(), id);
        let now = IST.format(Utc::now(), "%Y-%m-%d %H:%M:%S");
        Ok(SimResponse::json(
            200,
            &json!({
                "success": true,
                "address": {
                    "company_id": 25149, "pickup_code": nickname, "address": address,
                    "address_2": f("address_2"), "address_type": null, "city": f("city"), "state": f("state"),
                    "country": f("country"), "gstin": null, "pin_code": pin, "phone": f("phone"),
                    "email": f("email"), "name": f("name"), "alternate_phone": null, "lat": null, "long": null,
                    "status": 1, "phone_verified": 0, "rto_address_id": id, "extra_info": "{\"source\":3}",
                    "updated_at": now, "created_at": now, "id": id,
                },
                "pickup_id": id, "company_name": "ShipgateSandbox", "full_name": "API",
            }),
        ))
    }

    pub(super) fn generate_pickup(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let ids = body.get("shipment_id").and_then(Value::as_array);
        let ids = ids.ok_or_else(|| invalid(INVALID, "shipment_id", Array))?;
        let ids: Vec<String> = ids.iter().filter_map(scalar).collect();
        require(!ids.is_empty(), || {
            invalid(INVALID, "shipment_id", Required)
        })?;
        let mut books = self.books();
        let invalid_id = || error(400, "Invalid shipment id");
        let mut awbs = Vec::new();
        for id in &ids {
            let order = books.store.by(Key::ShipmentId, id).ok_or_else(invalid_id)?;
            awbs.push(order.live_awb().ok_or_else(invalid_id)?);
        }
        for id in &ids {
            let Some(order) = books.store.by_mut(Key::ShipmentId, id) else {
                continue;
            };
            let fails = rules::PICKUP_FAILS.contains(order.consignee_pin());
            if let Some(trip) = order.trip_mut().filter(|_| fails) {
                trip.pickup_failed(&PICKUP_EXCEPTION);
            }
        }
        let now = Utc::now();
        let date = IST.format(now + Duration::days(1), "%Y-%m-%d 10:00:00");
        let token = format!(
            "Reference No: SBX_{} {}",
            books.numbers.issue(),
            IST.format(now, "%d%m%Y")
        );
        Ok(SimResponse::json(
            200,
            &json!({
                "pickup_status": 1,
                "response": {
                    "pickup_scheduled_date": date, "pickup_token_number": token, "status": 3, "others": "{}",
                    "pickup_generated_date": {"date": IST.format(now, "%Y-%m-%d %H:%M:%S%.6f"), "timezone_type": 3, "timezone": "Asia/Kolkata"},
                    "data": format!("Pickup is confirmed by Sandbox Courier For AWB :- {}", awbs.join(", ")),
                },
            }),
        ))
    }

    pub(super) fn generate_manifest(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let ids = body.get("shipment_id").and_then(Value::as_array);
        let ids = ids.ok_or_else(|| invalid(INVALID, "shipment_id", Array))?;
        let ids: Vec<String> = ids.iter().filter_map(scalar).collect();
        if ids.is_empty() {
            return Ok(SimResponse::json(
                200,
                &json!({"status": 1, "manifest_url": ""}),
            ));
        }
        let mut books = self.books();
        for id in &ids {
            let live = books
                .store
                .by(Key::ShipmentId, id)
                .and_then(|o| o.live_awb());
            require(live.is_some(), || error(400, "Invalid shipment id"))?;
        }
        let before: Vec<Value> = ids
            .iter()
            .filter(|id| books.numbers.manifested.contains_key(*id))
            .map(|id| id.parse::<u64>().map_or_else(|_| json!(id), |n| json!(n)))
            .collect();
        if !before.is_empty() {
            return Err(SimResponse::json(
                400,
                &json!({
                    "message": "Manifest already generated for some shipment_ids, Please try again after removin them",
                    "status_code": 400, "already_manifested_shipment_ids": before,
                }),
            ));
        }
        books.numbers.manifests += 1;
        let base = req.base_url.trim_end_matches('/');
        let url = format!("{base}/manifests/MANIFEST-{}.pdf", books.numbers.manifests);
        for id in ids {
            books.numbers.manifested.insert(id, url.clone());
        }
        Ok(SimResponse::json(
            200,
            &json!({"status": 1, "manifest_url": url}),
        ))
    }

    pub(super) fn print_manifest(&self, req: &SimRequest) -> Answer {
        let body = req.json();
        let wrong = || error(500, "Invalid argument supplied for foreach()");
        let ids = body
            .get("order_ids")
            .and_then(Value::as_array)
            .ok_or_else(wrong)?;
        let books = self.books();
        let url = ids.iter().filter_map(scalar).find_map(|order_id| {
            let order = books.store.by(Key::OrderId, &order_id)?;
            books
                .numbers
                .manifested
                .get(&order.shipment_id_text())
                .cloned()
        });
        let url = url.ok_or_else(|| error(400, "Manifest not generated for these orders"))?;
        Ok(SimResponse::json(200, &json!({ "manifest_url": url })))
    }
}
