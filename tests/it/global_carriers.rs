//! The global carriers side by side (issue 18): one rate request from New Delhi to New
//! York quotes FedEx, UPS and DHL Express while the Indian carriers (and USPS, which ships
//! from the United States) say `not_serviceable` before any call; a US domestic request
//! adds USPS. What each carrier does on its own lane is the conformance suite's.

use crate::common;

use common::{json_of, shipment_body_between, spawn_app};
use serde_json::Value;

fn rate_request(from: &str, to: &str) -> Value {
    let mut body = shipment_body_between("unused", "unused", from, to);
    let object = body.as_object_mut().unwrap();
    object.remove("order_ref");
    object.remove("carrier");
    body
}

fn quoted(rates: &Value) -> Vec<String> {
    let mut carriers: Vec<String> = rates["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["carrier"].as_str().unwrap().to_string())
        .collect();
    carriers.sort();
    carriers.dedup();
    carriers
}

fn not_serviceable(rates: &Value) -> Vec<String> {
    let mut carriers: Vec<String> = rates["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["code"] == "not_serviceable")
        .map(|e| e["carrier"].as_str().unwrap().to_string())
        .collect();
    carriers.sort();
    carriers
}

/// Every registered carrier with a rate API except `quoting`, sorted: those asked and
/// expected to refuse the lane (carriers without one are quoted from rate cards, and
/// none is uploaded here).
fn with_rate_api_but(quoting: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = carriers::registry()
        .into_iter()
        .filter(|spec| {
            let adapter = common::sandbox_adapter(spec);
            adapter.capabilities().rates && !quoting.contains(&spec.id)
        })
        .map(|spec| spec.id.to_string())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn new_delhi_to_new_york_quotes_the_global_carriers_beside_the_indian_ones_refusing() {
    let app = spawn_app().await;
    let rates = json_of(app.post("/v1/rates", &rate_request("IN", "US")).await, 200).await;
    assert_eq!(quoted(&rates), ["dhl_express", "fedex", "ups"], "{rates}");
    let others = with_rate_api_but(&["dhl_express", "fedex", "ups"]);
    assert!(others.contains(&"usps".to_string()) && others.contains(&"delhivery".to_string()));
    assert_eq!(not_serviceable(&rates), others, "{rates}");
    assert_eq!(
        rates["errors"].as_array().unwrap().len(),
        others.len(),
        "{rates}"
    );
    for quote in rates["quotes"].as_array().unwrap() {
        // From India, in rupees; each with its delivery estimate.
        assert_eq!(quote["total"]["currency"], "INR", "{quote}");
        assert!(quote["total"]["amount"].as_i64().unwrap() > 0, "{quote}");
        assert!(
            quote["transit_days"].is_number() || quote["estimated_delivery"].is_string(),
            "{quote}"
        );
    }
    let refusal = rates["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["carrier"] == "delhivery")
        .unwrap();
    assert_eq!(
        refusal["detail"],
        "Delhivery ships only within IN (no cross-border shipping)"
    );
    // No Indian carrier was called for it.
    assert_eq!(app.bookings("delhivery") + app.bookings("shiprocket"), 0);

    let rates = json_of(app.post("/v1/rates", &rate_request("US", "US")).await, 200).await;
    assert_eq!(quoted(&rates), ["fedex", "ups", "usps"], "{rates}");
    assert_eq!(
        not_serviceable(&rates),
        with_rate_api_but(&["fedex", "ups", "usps"]),
        "{rates}"
    );
    for quote in rates["quotes"].as_array().unwrap() {
        assert_eq!(quote["total"]["currency"], "USD", "{quote}");
    }
}
