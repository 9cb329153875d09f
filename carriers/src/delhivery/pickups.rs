//! Delhivery's warehouses and pickups: registering a warehouse
//! (`POST /api/backend/clientwarehouse/create/`) and asking for a collection from one
//! (`POST /fm/request/new/`).
//!
//! What Delhivery publishes, and what is assumed here:
//! - Warehouse create takes `name`, `registered_name`, `email`, `phone`, `address`,
//!   `city`, `pin`, `country` and the return address (`return_*`), and answers
//!   `{"data": {"name", "active", "message", …}, "success": true, "error": ""}` (staging
//!   2017 capture). A new warehouse is often `active: false` ("forwarded to vendor Desk
//!   team … activate it in 24 hours"): registered, usable once Delhivery activates it.
//!   A refusal's shape is unpublished: assumed `success: false` with the words in `error`
//!   (or any non-2xx). Delhivery takes no working hours: they stay in shipgate.
//! - Pickup request takes `pickup_location` (the warehouse name), `pickup_date`,
//!   `pickup_time` (one time, so a window's start is sent) and `expected_package_count`,
//!   and answers 201 with `pickup_id` (staging 2017 capture). It names no shipments:
//!   Delhivery collects whatever is manifested at that warehouse. Refusals unpublished:
//!   any non-2xx, or an answer without `pickup_id`, is a refusal in Delhivery's words.
//! - Delhivery's API has no pickup cancellation and no manifest call (the manifest is
//!   the booking itself): [`Pickups::cancel`] is `Unsupported`, and shipgate's handover
//!   sheet is the only manifest document.

use async_trait::async_trait;
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::CarrierError;
use crate::carrier::{Operation, Transport};
use crate::families::{
    PickupLocation, PickupRequest, Pickups, RegisteredLocation, ScheduledPickup,
};
use crate::kit::adapter::Result;
use crate::kit::http;
use crate::kit::lenient::trimmed;
use crate::schema::CancelOutcome;
use crate::wire::{HttpRequest, HttpResponse};

use super::Delhivery;

pub const WAREHOUSE_CREATE_PATH: &str = "/api/backend/clientwarehouse/create/";
pub const PICKUP_PATH: &str = "/fm/request/new/";
/// Delhivery refused a warehouse or a pickup (its words in the message).
pub const PICKUP_REFUSED: &str = "pickup_refused";
pub const WAREHOUSE_REFUSED: &str = "warehouse_refused";

impl Delhivery {
    /// The warehouse create body, in the order of Delhivery's docs sample; the return
    /// address is the warehouse itself.
    pub fn warehouse_request(&self, location: &PickupLocation) -> Result<HttpRequest> {
        let a = &location.address;
        let street = a.street();
        let state = a.state.clone().unwrap_or_default();
        let body = json!({
            "phone": a.phone.national(),
            "city": a.city,
            "state": state,
            "name": location.name,
            "pin": a.postal_code.as_str(),
            "address": street,
            "country": "India",
            "email": a.email.clone().unwrap_or_default(),
            "registered_name": a.name,
            "return_address": street,
            "return_pin": a.postal_code.as_str(),
            "return_city": a.city,
            "return_state": state,
            "return_country": "India",
        });
        self.authorised(HttpRequest::post(WAREHOUSE_CREATE_PATH))
            .json(&body)
    }

    /// The pickup request: the warehouse, the date, the window's start and the count.
    pub fn pickup_request(&self, request: &PickupRequest) -> Result<HttpRequest> {
        let time = request
            .window
            .map(|(start, _)| start.format("%H:%M:%S").to_string())
            .unwrap_or_else(|| "11:00:00".into());
        let body = json!({
            "pickup_time": time,
            "pickup_date": request.date.format("%Y-%m-%d").to_string(),
            "pickup_location": request.location,
            "expected_package_count": request.packages.max(1),
        });
        self.authorised(HttpRequest::post(PICKUP_PATH)).json(&body)
    }
}

/// The words of an answer that says why: `error`, `message`, `detail` or `remark`, also
/// inside `data`.
fn said(value: &Value) -> Option<String> {
    let here = ["error", "message", "detail", "remark"]
        .iter()
        .filter_map(|k| value.get(k))
        .find_map(|v| match v {
            Value::String(s) => trimmed(Some(s)).map(str::to_string),
            Value::Object(_) | Value::Array(_) => Some(v.to_string()),
            _ => None,
        });
    here.or_else(|| {
        value
            .get("data")
            .and_then(|d| d.get("message"))
            .and_then(Value::as_str)
            .and_then(|s| trimmed(Some(s)))
            .map(str::to_string)
    })
}

fn refused(resp: &HttpResponse, code: &str) -> CarrierError {
    let words = resp.json::<Value>().ok().as_ref().and_then(said);
    http::refusal(resp, Some(code.into()), words)
}

/// Reads a warehouse create answer: registered (active or waiting for Delhivery's
/// activation), or refused in Delhivery's words.
pub fn parse_warehouse_response(resp: &HttpResponse, name: &str) -> Result<RegisteredLocation> {
    if !resp.is_success() {
        return Err(refused(resp, WAREHOUSE_REFUSED));
    }
    let answer: Value = resp.json()?;
    let ok = answer.get("success").and_then(Value::as_bool) == Some(true);
    if !ok {
        let words =
            said(&answer).unwrap_or_else(|| "Delhivery did not create the warehouse".into());
        return Err(CarrierError::rejected(
            WAREHOUSE_REFUSED,
            words,
            resp.status,
        ));
    }
    let data = answer.get("data").cloned().unwrap_or(Value::Null);
    let carrier_name = data
        .get("name")
        .and_then(Value::as_str)
        .and_then(|s| trimmed(Some(s)))
        .unwrap_or(name)
        .to_string();
    let active = data.get("active").and_then(Value::as_bool).unwrap_or(true);
    let message = data
        .get("message")
        .and_then(Value::as_str)
        .and_then(|s| trimmed(Some(s)))
        .map(str::to_string)
        .unwrap_or_else(|| "Warehouse created".into());
    Ok(RegisteredLocation {
        carrier_name,
        carrier_id: None,
        active,
        carrier_message: message,
    })
}

/// Reads a pickup request answer: `pickup_id` and the date Delhivery confirmed.
pub fn parse_pickup_response(resp: &HttpResponse, asked: NaiveDate) -> Result<ScheduledPickup> {
    if !resp.is_success() {
        return Err(refused(resp, PICKUP_REFUSED));
    }
    let answer: Value = resp.json()?;
    let id = match answer.get("pickup_id") {
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) => trimmed(Some(s)).map(str::to_string),
        _ => None,
    };
    let Some(pickup_id) = id else {
        let words =
            said(&answer).unwrap_or_else(|| "Delhivery answered without a pickup id".into());
        return Err(CarrierError::rejected(PICKUP_REFUSED, words, resp.status));
    };
    let date = answer
        .get("pickup_date")
        .and_then(Value::as_str)
        .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .unwrap_or(asked);
    let center = answer.get("incoming_center_name").and_then(Value::as_str);
    let message = match center.and_then(|c| trimmed(Some(c))) {
        Some(c) => format!("Pickup {pickup_id} scheduled, collected by centre {c}"),
        None => format!("Pickup {pickup_id} scheduled"),
    };
    Ok(ScheduledPickup {
        pickup_id,
        date,
        carrier_message: message,
    })
}

#[async_trait]
impl Pickups for Delhivery {
    async fn register_location(
        &self,
        t: &dyn Transport,
        location: &PickupLocation,
    ) -> Result<RegisteredLocation> {
        let resp = t
            .send(Operation::Pickup, self.warehouse_request(location)?)
            .await?;
        parse_warehouse_response(&resp, &location.name)
    }

    async fn schedule(
        &self,
        t: &dyn Transport,
        request: &PickupRequest,
    ) -> Result<ScheduledPickup> {
        let resp = t
            .send(Operation::Pickup, self.pickup_request(request)?)
            .await?;
        parse_pickup_response(&resp, request.date)
    }

    /// Delhivery's API has no pickup cancellation (see the module docs).
    async fn cancel(&self, _: &dyn Transport, _: &ScheduledPickup) -> Result<CancelOutcome> {
        Err(CarrierError::Unsupported(
            "pickup cancellation (Delhivery has no API for it)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> String {
        let path = format!(
            "{}/../../shared/carrier-samples/delhivery/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("sample {path}: {e}"))
    }

    fn adapter() -> Delhivery {
        Delhivery::new(&super::super::simulator::sandbox_settings()).unwrap()
    }

    fn location() -> PickupLocation {
        let mut v = crate::schema::Violations::default();
        let input: crate::schema::AddressInput = serde_json::from_value(json!({
            "name": "AutomatedTests", "phone": "8888888888", "email": "ops@example.com",
            "line1": "123, sector 40 Gurgaon", "city": "Delhi", "state": "Delhi", "postal_code": "132103"
        }))
        .unwrap();
        PickupLocation {
            name: "AutomatedTestsWarehouse".into(),
            address: crate::schema::Address::parse(&input, "", &mut v).unwrap(),
            working_hours: None,
        }
    }

    #[test]
    fn warehouse_request_has_the_fields_of_delhivery_samples() {
        let request = adapter().warehouse_request(&location()).unwrap();
        let sent: Value = serde_json::from_slice(request.body.as_deref().unwrap()).unwrap();
        for name in [
            "docs_warehouse_create_request.json",
            "staging2017_warehouse_create_request.json",
        ] {
            let sample: Value = serde_json::from_str(&sample(name)).unwrap();
            for key in sample.as_object().unwrap().keys() {
                assert!(sent.get(key).is_some(), "{name}: `{key}` not sent: {sent}");
            }
        }
        let staging: Value =
            serde_json::from_str(&sample("staging2017_warehouse_create_request.json")).unwrap();
        for key in ["name", "pin", "phone", "city", "state", "country"] {
            let want = &staging[key];
            assert_eq!(&sent[key], want, "{key}");
        }
        assert_eq!(request.path, WAREHOUSE_CREATE_PATH);
    }

    #[test]
    fn warehouse_answers_are_read() {
        let resp = HttpResponse::new(200, sample("staging2017_warehouse_create_response.json"));
        let r = parse_warehouse_response(&resp, "x").unwrap();
        assert_eq!(r.carrier_name, "AutomatedTestsWarehouse");
        assert!(!r.active);
        assert!(
            r.carrier_message.contains("activate it in 24 hours"),
            "{}",
            r.carrier_message
        );
        // The status read has the same shape.
        let resp = HttpResponse::new(200, sample("staging2017_warehouse_status_response.json"));
        let r = parse_warehouse_response(&resp, "x").unwrap();
        assert!(!r.active && r.carrier_message.contains("isn't active"));
        let refused = HttpResponse::new(
            200,
            r#"{"success": false, "error": "name already exists", "data": {}}"#,
        );
        let e = parse_warehouse_response(&refused, "x").unwrap_err();
        assert_eq!(
            e,
            CarrierError::rejected(WAREHOUSE_REFUSED, "name already exists", 200)
        );
    }

    #[test]
    fn pickup_request_matches_the_samples_and_its_answer_is_read() {
        let sample_req: Value = serde_json::from_str(&sample("docs_pickup_request.json")).unwrap();
        let date = NaiveDate::from_ymd_opt(2023, 12, 29).unwrap();
        let window = Some((
            chrono::NaiveTime::from_hms_opt(11, 0, 0).unwrap(),
            chrono::NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
        ));
        let request = PickupRequest {
            location: "warehouse_name".into(),
            address: crate::simulator::labels::warehouse().unwrap(),
            date,
            window,
            shipments: Vec::new(),
            packages: 1,
        };
        let built = adapter().pickup_request(&request).unwrap();
        let sent: Value = serde_json::from_slice(built.body.as_deref().unwrap()).unwrap();
        assert_eq!(sent, sample_req);
        assert_eq!(built.path, PICKUP_PATH);
        let staging: Value =
            serde_json::from_str(&sample("staging2017_pickup_request.json")).unwrap();
        assert_eq!(
            staging.as_object().unwrap().keys().collect::<Vec<_>>(),
            sent.as_object().unwrap().keys().collect::<Vec<_>>()
        );

        let resp = HttpResponse::new(201, sample("staging2017_pickup_response_http201.json"));
        let asked = NaiveDate::from_ymd_opt(2017, 3, 29).unwrap();
        let p = parse_pickup_response(&resp, asked).unwrap();
        assert_eq!(p.pickup_id, "4363128");
        assert_eq!(p.date, NaiveDate::from_ymd_opt(2017, 3, 30).unwrap());
        assert!(p.carrier_message.contains("HQ"));
        let refused = HttpResponse::new(400, r#"{"error": "pickup_location is not active"}"#);
        let e = parse_pickup_response(&refused, asked).unwrap_err();
        assert_eq!(
            e,
            CarrierError::rejected(PICKUP_REFUSED, "pickup_location is not active", 400)
        );
    }
}
