//! Shiprocket's pickup locations, pickups and manifests.
//!
//! - **Pickup locations**: `POST /v1/external/settings/company/addpickup` with the
//!   nickname (`pickup_location`, at most 36 characters in Shiprocket's panel), contact
//!   `name`, `email`, `phone`, `address` (Shiprocket wants at least 10 characters: a
//!   shorter street gets the city appended), `address_2`, `city`, `state`, `country`,
//!   `pin_code`; answered with the stored `address` and its `pickup_id` (sample), a
//!   refusal as Laravel's 422 (`message`, `errors`).
//! - **Pickups**: `POST /v1/external/courier/generate/pickup` with Shiprocket's
//!   `shipment_id` list (sample). It takes no date, window or location: Shiprocket asks
//!   the assigned courier for the next slot at the shipments' own pickup location and
//!   answers `pickup_scheduled_date` and a `pickup_token_number`, which becomes the
//!   pickup id; the date asked for is kept by shipgate and the confirmed one reported.
//! - **Manifests**: `POST /v1/external/manifests/generate` (`shipment_id` list) answers a
//!   `manifest_url`; an already manifested shipment is its 400 (sample), and then, or
//!   when the link comes back empty, `POST /v1/external/manifests/print` (`order_ids`)
//!   gives the link of the manifest that exists. The manifest's id is the link's file name
//!   (`MANIFEST-3051`): Shiprocket gives no other.
//! - Shiprocket's API has no pickup cancellation: [`Pickups::cancel`] is `Unsupported`.

use async_trait::async_trait;
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::CarrierError;
use crate::carrier::{Operation, Transport};
use crate::families::{
    Manifest, Manifests, PickupLocation, PickupRequest, Pickups, RegisteredLocation,
    ScheduledPickup,
};
use crate::kit::adapter::Result;
use crate::kit::lenient::trimmed;
use crate::schema::{CancelOutcome, ShipmentRef};
use crate::wire::{HttpRequest, HttpResponse};

use super::{Shiprocket, refusal};

pub const PATH_ADD_PICKUP: &str = "/v1/external/settings/company/addpickup";
pub const PATH_GENERATE_PICKUP: &str = "/v1/external/courier/generate/pickup";
pub const PATH_GENERATE_MANIFEST: &str = "/v1/external/manifests/generate";
pub const PATH_PRINT_MANIFEST: &str = "/v1/external/manifests/print";
/// Shiprocket answered a pickup without scheduling it.
pub const PICKUP_NOT_SCHEDULED: &str = "pickup_not_scheduled";
/// The shipments lack the Shiprocket ids a pickup or manifest names.
pub const NO_SHIPROCKET_IDS: &str = "Shiprocket shipment ids";

/// Shiprocket's id of each shipment (`carrier_refs[key]`), as numbers where they are.
fn ids(shipments: &[ShipmentRef], key: &str) -> Result<Vec<Value>> {
    shipments
        .iter()
        .map(|s| {
            let id = s
                .carrier_refs
                .get(key)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty());
            let id = id.ok_or_else(|| {
                CarrierError::NotSent(format!(
                    "shipment {} has no Shiprocket {key} among its carrier refs",
                    s.shipment_id
                ))
            })?;
            Ok(id.parse::<u64>().map_or_else(|_| json!(id), |n| json!(n)))
        })
        .collect()
}

pub fn add_pickup_request(location: &PickupLocation) -> Result<HttpRequest> {
    let a = &location.address;
    let mut street = a.line1.clone();
    if street.chars().count() < 10 {
        street = format!("{street}, {}", a.city);
    }
    let line2 = [a.line2.as_deref(), a.landmark.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    HttpRequest::post(PATH_ADD_PICKUP).json(&json!({
        "pickup_location": location.name,
        "name": a.name,
        "email": a.email.clone().unwrap_or_default(),
        "phone": a.phone.national(),
        "address": street,
        "address_2": line2,
        "city": a.city,
        "state": a.state.clone().unwrap_or_default(),
        "country": "India",
        "pin_code": a.postal_code.as_str(),
    }))
}

pub fn parse_add_pickup_response(resp: &HttpResponse, name: &str) -> Result<RegisteredLocation> {
    if !resp.is_success() {
        return Err(refusal(resp));
    }
    let answer: Value = resp.json()?;
    if answer.get("success").and_then(Value::as_bool) == Some(false) {
        return Err(refusal(&HttpResponse::new(422, resp.body.clone())));
    }
    let address = answer.get("address").cloned().unwrap_or(Value::Null);
    let id = answer
        .get("pickup_id")
        .or_else(|| address.get("id"))
        .and_then(|v| match v {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) => trimmed(Some(s)).map(str::to_string),
            _ => None,
        });
    let id = id.ok_or_else(|| CarrierError::bad_response("addpickup answer has no pickup_id"))?;
    let code = address.get("pickup_code").and_then(Value::as_str);
    Ok(RegisteredLocation {
        carrier_name: name.to_string(),
        carrier_id: Some(id.clone()),
        active: address
            .get("status")
            .and_then(Value::as_i64)
            .is_none_or(|s| s == 1),
        carrier_message: match code {
            Some(code) => format!("Pickup location {id} added (code {code})"),
            None => format!("Pickup location {id} added"),
        },
    })
}

pub fn generate_pickup_request(shipments: &[ShipmentRef]) -> Result<HttpRequest> {
    HttpRequest::post(PATH_GENERATE_PICKUP)
        .json(&json!({ "shipment_id": ids(shipments, "shipment_id")? }))
}

pub fn parse_generate_pickup_response(
    resp: &HttpResponse,
    asked: NaiveDate,
) -> Result<ScheduledPickup> {
    if !resp.is_success() {
        return Err(refusal(resp));
    }
    let answer: Value = resp.json()?;
    let inner = answer.get("response").cloned().unwrap_or(Value::Null);
    let words = inner
        .get("data")
        .and_then(Value::as_str)
        .and_then(|s| trimmed(Some(s)))
        .map(str::to_string);
    if answer.get("pickup_status").and_then(Value::as_i64) != Some(1) {
        let message = words
            .or_else(|| {
                answer
                    .get("message")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "Shiprocket did not schedule the pickup".into());
        return Err(CarrierError::rejected(
            PICKUP_NOT_SCHEDULED,
            message,
            resp.status,
        ));
    }
    let token = inner
        .get("pickup_token_number")
        .and_then(Value::as_str)
        .and_then(|s| trimmed(Some(s)));
    let token = token.map(|t| {
        t.strip_prefix("Reference No:")
            .unwrap_or(t)
            .trim()
            .to_string()
    });
    let date = inner
        .get("pickup_scheduled_date")
        .and_then(Value::as_str)
        .and_then(|d| d.get(..10))
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or(asked);
    Ok(ScheduledPickup {
        pickup_id: token
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| format!("SR-{date}")),
        date,
        carrier_message: words.unwrap_or_else(|| "Pickup scheduled".into()),
    })
}

pub fn generate_manifest_request(shipments: &[ShipmentRef]) -> Result<HttpRequest> {
    HttpRequest::post(PATH_GENERATE_MANIFEST)
        .json(&json!({ "shipment_id": ids(shipments, "shipment_id")? }))
}

pub fn print_manifest_request(shipments: &[ShipmentRef]) -> Result<HttpRequest> {
    HttpRequest::post(PATH_PRINT_MANIFEST)
        .json(&json!({ "order_ids": ids(shipments, "order_id")? }))
}

/// The manifest link of a generate or print answer; `None` for an empty one.
pub fn parse_manifest_response(resp: &HttpResponse) -> Result<Option<String>> {
    if !resp.is_success() {
        return Err(refusal(resp));
    }
    let answer: Value = resp.json()?;
    Ok(answer
        .get("manifest_url")
        .and_then(Value::as_str)
        .and_then(|s| trimmed(Some(s)))
        .map(str::to_string))
}

/// `MANIFEST-3051` of `…/manifest/MANIFEST-3051.pdf`.
pub fn manifest_id(url: &str) -> String {
    let file = url.rsplit('/').next().unwrap_or(url);
    file.strip_suffix(".pdf").unwrap_or(file).to_string()
}

#[async_trait]
impl Pickups for Shiprocket {
    async fn register_location(
        &self,
        t: &dyn Transport,
        location: &PickupLocation,
    ) -> Result<RegisteredLocation> {
        let read = |resp: &HttpResponse| parse_add_pickup_response(resp, &location.name);
        self.call(t, Operation::Pickup, add_pickup_request(location), read)
            .await
    }

    async fn schedule(
        &self,
        t: &dyn Transport,
        request: &PickupRequest,
    ) -> Result<ScheduledPickup> {
        if request.shipments.is_empty() {
            return Err(CarrierError::Unsupported(
                "a Shiprocket pickup without shipments (it picks up by shipment id)",
            ));
        }
        let read = |resp: &HttpResponse| parse_generate_pickup_response(resp, request.date);
        self.call(
            t,
            Operation::Pickup,
            generate_pickup_request(&request.shipments),
            read,
        )
        .await
    }

    async fn cancel(&self, _: &dyn Transport, _: &ScheduledPickup) -> Result<CancelOutcome> {
        Err(CarrierError::Unsupported(
            "pickup cancellation (Shiprocket has no API for it)",
        ))
    }
}

#[async_trait]
impl Manifests for Shiprocket {
    async fn create(&self, t: &dyn Transport, shipments: &[ShipmentRef]) -> Result<Manifest> {
        let awbs = shipments.iter().filter_map(|s| s.awb.clone()).collect();
        let generated = self
            .call(
                t,
                Operation::Manifest,
                generate_manifest_request(shipments),
                parse_manifest_response,
            )
            .await;
        let url = match generated {
            Ok(Some(url)) => url,
            // Made before (its answer lost, or manifested in the panel): print that one.
            Ok(None)
            | Err(CarrierError::Rejected {
                http_status: 400, ..
            }) => self
                .call(
                    t,
                    Operation::Manifest,
                    print_manifest_request(shipments),
                    parse_manifest_response,
                )
                .await?
                .ok_or_else(|| CarrierError::bad_response("Shiprocket gave no manifest link"))?,
            Err(e) => return Err(e),
        };
        Ok(Manifest {
            manifest_id: manifest_id(&url),
            awbs,
            document_url: Some(url),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/../../shared/carrier-samples/shiprocket/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("sample {path}: {e}"))
    }

    fn shipment(shipment_id: &str, order_id: &str) -> ShipmentRef {
        ShipmentRef {
            shipment_id: "shp_1".into(),
            order_ref: "ORD-1".into(),
            awb: Some("143254213727423".into()),
            carrier_refs: BTreeMap::from([
                ("shipment_id".to_string(), shipment_id.to_string()),
                ("order_id".to_string(), order_id.to_string()),
            ]),
        }
    }

    fn body(r: &HttpRequest) -> Value {
        serde_json::from_slice(r.body.as_deref().unwrap()).unwrap()
    }

    fn json_of(name: &str) -> Value {
        serde_json::from_slice(&sample(name)).unwrap()
    }

    #[test]
    fn requests_match_the_samples() {
        let pickup = generate_pickup_request(&[shipment("16091084", "1")]).unwrap();
        assert_eq!(body(&pickup), json_of("generate_pickup_request.json"));
        let manifest = generate_manifest_request(&[shipment("16090109", "1")]).unwrap();
        assert_eq!(body(&manifest), json_of("generate_manifest_request.json"));
        let print = print_manifest_request(&[shipment("1", "16240904")]).unwrap();
        assert_eq!(body(&print), json_of("print_manifest_request.json"));
        let mut bare = shipment("1", "1");
        bare.carrier_refs.clear();
        assert!(matches!(
            generate_pickup_request(&[bare]),
            Err(CarrierError::NotSent(_))
        ));
    }

    #[test]
    fn answers_are_read() {
        let r = parse_add_pickup_response(
            &HttpResponse::new(200, sample("add_pickup_location_response.json")),
            "TESTADI",
        )
        .unwrap();
        assert_eq!(r.carrier_id.as_deref(), Some("1856901"));
        assert_eq!(r.carrier_name, "TESTADI");
        assert!(r.active);
        let e = parse_add_pickup_response(
            &HttpResponse::new(422, sample("add_pickup_location_response_422.json")),
            "x",
        )
        .unwrap_err();
        let CarrierError::Rejected {
            message,
            http_status: 422,
            ..
        } = e
        else {
            panic!("{e:?}")
        };
        assert!(message.contains("Not a valid mobile number"), "{message}");

        let asked = NaiveDate::from_ymd_opt(2021, 12, 9).unwrap();
        let p = parse_generate_pickup_response(
            &HttpResponse::new(200, sample("generate_pickup_response.json")),
            asked,
        )
        .unwrap();
        assert_eq!(p.pickup_id, "194_BIGFOOT 1966840_11122021");
        assert_eq!(p.date, NaiveDate::from_ymd_opt(2021, 12, 10).unwrap());
        assert!(p.carrier_message.contains("Pickup is confirmed"));
        let e = parse_generate_pickup_response(
            &HttpResponse::new(
                400,
                sample("generate_pickup_response_400_invalid_shipment.json"),
            ),
            asked,
        )
        .unwrap_err();
        assert!(
            matches!(e, CarrierError::Rejected { http_status: 400, ref message, .. } if message.contains("Invalid shipment id")),
            "{e:?}"
        );

        let url = parse_manifest_response(&HttpResponse::new(
            200,
            sample("generate_manifest_response.json"),
        ))
        .unwrap()
        .unwrap();
        assert_eq!(manifest_id(&url), "MANIFEST-3051");
        assert_eq!(
            parse_manifest_response(&HttpResponse::new(
                200,
                sample("generate_manifest_response_http200_empty_input.json")
            ))
            .unwrap(),
            None
        );
        let e = parse_manifest_response(&HttpResponse::new(
            400,
            sample("generate_manifest_response_400_already_manifested.json"),
        ))
        .unwrap_err();
        assert!(matches!(
            e,
            CarrierError::Rejected {
                http_status: 400,
                ..
            }
        ));
        let printed = parse_manifest_response(&HttpResponse::new(
            200,
            sample("print_manifest_response.json"),
        ))
        .unwrap()
        .unwrap();
        assert!(printed.ends_with("D52FE1564654197.pdf"));
        let e = parse_manifest_response(&HttpResponse::new(
            500,
            sample("print_manifest_response_500_wrong_format.json"),
        ))
        .unwrap_err();
        assert!(e.may_have_happened());
    }
}
