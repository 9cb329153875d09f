//! The global carriers side by side (issue 18): one rate request from New Delhi to New
//! York quotes FedEx, UPS and DHL Express while the Indian carriers (and USPS, which ships
//! from the United States) say `not_serviceable` before any call; a US domestic request
//! adds USPS; within Canada UPS alone quotes, in CAD, and books, labels and tracks there
//! (through its Mississauga hub). What each carrier does on its home lane is the
//! conformance suite's.

use crate::common;

use common::{json_of, shipment_body_between, spawn_app};
use serde_json::{Value, json};

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

/// Ottawa to Toronto, as the gateway takes it (the buyer's postal code without its space).
fn canadian_booking(order_ref: &str) -> Value {
    json!({
        "order_ref": order_ref,
        "carrier": "ups",
        "from": {"name": "Jamie D's Emporium", "phone": "+1 613 555 0100", "line1": "150 Elgin St.",
                 "city": "Ottawa", "state": "ON", "postal_code": "K2P 1L4", "country": "CA"},
        "to": {"name": "Bob Norman", "phone": "+1 416 555 0123", "line1": "290 Bremner Blvd",
               "city": "Toronto", "state": "Ontario", "postal_code": "m5v3l9", "country": "CA"},
        "parcels": [{"weight_g": 1000, "length_mm": 300, "width_mm": 200, "height_mm": 100,
                     "declared_value": {"amount": 2999, "currency": "CAD"}, "description": "T-shirts"}],
        "payment": {"mode": "prepaid"}
    })
}

#[tokio::test]
async fn within_canada_ups_alone_quotes_in_cad_then_books_labels_and_tracks_to_delivery() {
    let app = spawn_app().await;
    let mut rate = canadian_booking("unused");
    let object = rate.as_object_mut().unwrap();
    object.remove("order_ref");
    object.remove("carrier");
    let rates = json_of(app.post("/v1/rates", &rate).await, 200).await;
    assert_eq!(quoted(&rates), ["ups"], "{rates}");
    assert_eq!(
        not_serviceable(&rates),
        with_rate_api_but(&["ups"]),
        "{rates}"
    );
    let quotes = rates["quotes"].as_array().unwrap();
    let mut services: Vec<&str> = quotes
        .iter()
        .map(|q| q["service"].as_str().unwrap())
        .collect();
    services.sort();
    assert_eq!(services, ["01", "02", "11", "13", "14"], "{rates}");
    for quote in quotes {
        assert_eq!(quote["total"]["currency"], "CAD", "{quote}");
        assert!(quote["total"]["amount"].as_i64().unwrap() > 0, "{quote}");
    }

    // UPS Ground is the US's: refused before any call.
    let mut ground = canadian_booking("ORD-CA-GROUND");
    ground["service"] = json!("03");
    let before = app.bookings("ups");
    let r = app
        .post_keyed("/v1/shipments", "ORD-CA-GROUND", &ground)
        .await;
    assert!(r.status().is_client_error(), "{}", r.text().await.unwrap());
    assert_eq!(app.bookings("ups"), before);

    let mut body = canadian_booking("ORD-CA-1");
    body["service"] = json!("13");
    let created = json_of(
        app.post_keyed("/v1/shipments", "ORD-CA-1", &body).await,
        201,
    )
    .await;
    let id = created["id"].as_str().unwrap().to_string();
    let awb = created["awb"].as_str().unwrap().to_string();
    assert!(awb.starts_with("1Z"), "{created}");
    assert_eq!(created["service"], "13", "{created}");

    let location = format!("/v1/shipments/{id}");
    let label = app.get(&format!("{location}/label")).await;
    assert_eq!(label.status(), 200);
    assert_eq!(label.headers()["content-type"], "application/pdf");
    let zpl = app.get(&format!("{location}/label?format=zpl")).await;
    assert_eq!(zpl.status(), 200);
    let zpl = zpl.text().await.unwrap();
    assert!(
        zpl.contains(&awb) && zpl.contains("UPS EXPRESS SAVER"),
        "{zpl}"
    );

    // Each refresh shows the next scan; bounded, as the journey is.
    let mut tracking = Value::Null;
    for _ in 0..30 {
        tracking = json_of(app.get(&format!("{location}/tracking")).await, 200).await;
        if tracking["status"] == "delivered" {
            break;
        }
    }
    assert_eq!(tracking["status"], "delivered", "{tracking}");
    let events = tracking["events"].as_array().unwrap();
    assert!(
        events.iter().any(|e| e["location"]
            .as_str()
            .is_some_and(|l| l.contains("Mississauga"))),
        "{tracking}"
    );
    for e in events {
        assert_ne!(e["sub_status"], "unmapped", "{e}");
    }
}
