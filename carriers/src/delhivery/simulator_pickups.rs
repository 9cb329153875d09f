//! Delhivery's warehouses and pickups in the sandbox (the rest of the simulator is in
//! `simulator.rs`).
//!
//! - `POST /api/backend/clientwarehouse/create/` registers a warehouse by `name` (a
//!   valid `pin`, a 10-digit `phone` and an `address` required) and answers as the
//!   staging capture does, `active: true` in the sandbox; a name already registered is
//!   refused `success: false` (wording ours: Delhivery publishes no refusal).
//!   [`SANDBOX_PICKUP_LOCATION`] is registered from the start.
//! - `POST /fm/request/new/` takes a pickup for a registered warehouse on a date not in
//!   the past (India time), answered 201 like the capture with a new `pickup_id`. The
//!   parcels it covers are those booked with the warehouse's PIN code as `return_pin`
//!   (every parcel, for the sandbox warehouse) and not yet picked up: those bound for a
//!   PIN code ending [`rules::PICKUP_FAILS`] (`95`) show Delhivery's "Not Picked" scan
//!   (`X-PNP`, as in the 2026 capture) next, then are picked up at the next visit.
//!   Refusals are 400 `{"error": …}` (shape and wording ours).

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use serde_json::json;

use crate::kit::time::IST;
use crate::simulator::journey::{Place, Step, step};
use crate::simulator::rules::{self, is_pincode};
use crate::simulator::values::{indian_mobile, number, text};
use crate::simulator::{Answer, SimRequest, SimResponse, require};

use super::simulator::{DelhiverySimulator, SANDBOX_CLIENT, SANDBOX_PICKUP_LOCATION};

/// The scan of a parcel the pickup did not collect (the 2026 "not picked" capture).
#[rustfmt::skip]
pub(super) static NOT_PICKED: [Step<(&str, &str, &str, &str)>; 1] =
    [step(("UD", "Not Picked", "X-PNP", "Shipment not received from client"), Place::Origin)];

/// Registered warehouses (name → PIN code; blank: every parcel) and pickup ids issued.
pub struct Warehouses {
    by_name: BTreeMap<String, String>,
    next_pickup: u64,
}

impl Default for Warehouses {
    fn default() -> Self {
        Warehouses {
            by_name: BTreeMap::from([(SANDBOX_PICKUP_LOCATION.to_string(), String::new())]),
            next_pickup: 4_363_128,
        }
    }
}

fn refuse(message: &str) -> SimResponse {
    SimResponse::json(400, &json!({ "error": message }))
}

impl DelhiverySimulator {
    pub(super) fn warehouse_create(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let field = |k: &str| {
            text(&body, k)
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let (name, pin, phone) = (field("name"), field("pin"), field("phone"));
        let failed = |error: &str| {
            SimResponse::json(200, &json!({"data": {}, "success": false, "error": error}))
        };
        require(!name.is_empty(), || failed("name is required"))?;
        require(is_pincode(&pin), || failed("pin is not a valid pincode"))?;
        require(indian_mobile(&phone).is_some(), || {
            failed("phone is not a valid mobile number")
        })?;
        require(!field("address").is_empty(), || {
            failed("address is required")
        })?;
        let mut books = self.books();
        let warehouses = &mut books.numbers.warehouses;
        let exists = warehouses.by_name.contains_key(&name);
        require(!exists, || {
            failed(&format!("Client Warehouse with name {name} already exists"))
        })?;
        warehouses.by_name.insert(name.clone(), pin.clone());
        Ok(SimResponse::json(
            200,
            &json!({
                "data": {
                    "name": name, "pincode": pin, "phone": phone.parse::<u64>().unwrap_or_default(),
                    "client": SANDBOX_CLIENT, "address": field("address"), "active": true,
                    "message": "Client warehouse created and marked active",
                },
                "success": true, "error": "",
            }),
        ))
    }

    pub(super) fn pickup_request(&self, request: &SimRequest) -> Answer {
        let body = request.json();
        let location = text(&body, "pickup_location").unwrap_or_default();
        let date = text(&body, "pickup_date").unwrap_or_default();
        let time = text(&body, "pickup_time").unwrap_or_default();
        let count = number(&body, "expected_package_count").unwrap_or(0.0);
        let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| refuse("pickup_date must be YYYY-MM-DD"))?;
        let today = IST.wall(Utc::now()).date();
        require(date >= today, || {
            refuse("pickup_date cannot be in the past")
        })?;
        require(count >= 1.0, || {
            refuse("expected_package_count must be at least 1")
        })?;
        let mut books = self.books();
        let books = &mut *books;
        let Some(pin) = books
            .numbers
            .warehouses
            .by_name
            .get(location.trim())
            .cloned()
        else {
            return Err(refuse("ClientWarehouse matching query does not exist."));
        };
        books.numbers.warehouses.next_pickup += 1;
        let pickup_id = books.numbers.warehouses.next_pickup;
        for shipment in books.store.each_mut() {
            let from_here = pin.is_empty() || shipment.booked_field("return_pin") == pin;
            if from_here && rules::PICKUP_FAILS.contains(&shipment.booked_field("pin")) {
                shipment.trip.pickup_failed(&NOT_PICKED);
            }
        }
        Ok(SimResponse::json(
            201,
            &json!({
                "pickup_id": pickup_id, "client_name": SANDBOX_CLIENT,
                "pickup_location_name": location.trim(), "incoming_center_name": "Sandbox_H",
                "pickup_time": time, "pickup_date": date.format("%Y-%m-%d").to_string(),
                "expected_package_count": count as u64,
            }),
        ))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::simulator::Simulator;

    fn post(sim: &DelhiverySimulator, path: &str, body: Value) -> (u16, Value) {
        let headers = [(
            "authorization".to_string(),
            format!("Token {}", super::super::simulator::SANDBOX_TOKEN),
        )];
        let req = SimRequest::new(
            "POST",
            path,
            headers,
            body.to_string().into_bytes(),
            "http://sim",
        );
        let resp = sim.handle(&req);
        (
            resp.status,
            serde_json::from_slice(&resp.body).unwrap_or(Value::Null),
        )
    }

    #[test]
    fn warehouses_register_once_and_pickups_need_one() {
        let sim = DelhiverySimulator::new();
        let wh =
            json!({"name": "WH-1", "pin": "560095", "phone": "9000000001", "address": "Plot 4"});
        let (status, answer) = post(&sim, "/api/backend/clientwarehouse/create/", wh.clone());
        assert_eq!(
            (status, answer["success"].clone()),
            (200, json!(true)),
            "{answer}"
        );
        let (_, again) = post(&sim, "/api/backend/clientwarehouse/create/", wh);
        assert_eq!(again["success"], false);
        let tomorrow = (IST.wall(Utc::now()).date() + chrono::Duration::days(1)).to_string();
        let pickup = json!({"pickup_location": "WH-1", "pickup_date": tomorrow, "pickup_time": "11:00:00", "expected_package_count": 2});
        let (status, answer) = post(&sim, "/fm/request/new/", pickup.clone());
        assert_eq!(status, 201, "{answer}");
        assert!(answer["pickup_id"].as_u64().is_some());
        let mut unknown = pickup.clone();
        unknown["pickup_location"] = json!("nowhere");
        assert_eq!(post(&sim, "/fm/request/new/", unknown).0, 400);
        let mut past = pickup;
        past["pickup_date"] = json!("2020-01-01");
        assert_eq!(post(&sim, "/fm/request/new/", past).0, 400);
    }
}
