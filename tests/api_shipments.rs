//! The README walk-through, through real HTTP against the sandbox simulators, for every
//! carrier: rate → ship → label → track → cancel.

mod common;

use common::{problem, shipment_body, spawn_app};
use serde_json::{Value, json};

async fn walk_through(carrier: &str) {
    let app = spawn_app().await;

    // Rates from just this carrier.
    let mut rate = shipment_body("unused", carrier);
    rate["carriers"] = json!([carrier]);
    let r = app.post("/v1/rates", &rate).await;
    assert_eq!(r.status(), 200);
    let rates: Value = r.json().await.unwrap();
    let quotes = rates["quotes"].as_array().unwrap();
    assert!(!quotes.is_empty(), "{carrier} quoted nothing: {rates}");
    for q in quotes {
        assert_eq!(q["carrier"], carrier);
        assert!(q["total"]["amount"].as_i64().unwrap() > 0);
        assert_eq!(q["total"]["currency"], "INR");
    }
    let service = quotes[0]["service"].as_str().unwrap().to_string();

    // Book with the quoted service.
    let mut body = shipment_body(&format!("ORD-{carrier}-1"), carrier);
    body["service"] = json!(service);
    let r = app.post("/v1/shipments", &body).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let shipment: Value = r.json().await.unwrap();
    let id = shipment["id"].as_str().unwrap();
    assert_eq!(location, format!("/v1/shipments/{id}"));
    let awb = shipment["awb"].as_str().unwrap().to_string();
    assert!(!awb.is_empty());
    assert_eq!(shipment["status"], "pre_transit");
    assert_eq!(shipment["sub_status"], "label_created");
    assert_eq!(shipment["booking_state"], "confirmed");
    assert_eq!(shipment["to"]["phone"], "+919876543210");
    assert_eq!(app.bookings(carrier), 1);

    // Read it back with its first event.
    let got: Value = app.get(&location).await.json().await.unwrap();
    assert_eq!(got["awb"], awb.as_str());
    assert_eq!(got["events"].as_array().unwrap().len(), 1);

    // The PDF label opens and carries the AWB.
    let r = app.get(&format!("{location}/label")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let doc = lopdf::Document::load_mem(&pdf).expect("label is a readable PDF");
    let text = doc.extract_text(&[1]).unwrap_or_default();
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains(&awb) || raw.contains(&awb),
        "AWB {awb} not in the label"
    );

    // ZPL where asked.
    let r = app.get(&format!("{location}/label?format=zpl")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zpl");
    let zpl = r.text().await.unwrap();
    assert!(zpl.starts_with("^XA") && zpl.trim_end().ends_with("^XZ") && zpl.contains(&awb));
    assert_eq!(
        problem(app.get(&format!("{location}/label?format=png")).await)
            .await
            .0,
        400
    );

    // Tracking refreshes from the carrier and moves forward.
    let first: Value = app
        .get(&format!("{location}/tracking"))
        .await
        .json()
        .await
        .unwrap();
    let second: Value = app
        .get(&format!("{location}/tracking"))
        .await
        .json()
        .await
        .unwrap();
    let n1 = first["events"].as_array().unwrap().len();
    let n2 = second["events"].as_array().unwrap().len();
    assert!(
        n2 > n1 && n1 >= 1,
        "tracking did not move forward: {n1} then {n2}"
    );
    let events = second["events"].as_array().unwrap();
    let times: Vec<chrono::DateTime<chrono::Utc>> = events
        .iter()
        .map(|e| {
            let t = e["event_time"].as_str().unwrap();
            assert!(t.ends_with('Z'), "{t} is not UTC");
            t.parse().unwrap()
        })
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "timeline is in event-time order");
    for e in events {
        assert_ne!(e["sub_status"], "unmapped", "{e}");
        assert!(e["carrier_code"].as_str().is_some());
    }

    // Cancel, and cancelling again is harmless.
    let r = app.post(&format!("{location}/cancel"), &json!({})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let cancelled: Value = r.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["terminal"], true);
    let again: Value = app
        .post(&format!("{location}/cancel"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["status"], "cancelled");
    assert_eq!(app.bookings(carrier), 1);
}

#[tokio::test]
async fn delhivery_walk_through() {
    walk_through("delhivery").await;
}

#[tokio::test]
async fn shiprocket_walk_through() {
    walk_through("shiprocket").await;
}

/// What a carrier can never do is refused for good: 422 `carrier_unsupported`, not 503
/// `carrier_unavailable` (which said "try again"). Delhivery and Shiprocket ship within
/// India only, and a service a carrier does not offer never becomes one. Nothing is
/// booked, and the order can be booked afterwards.
#[tokio::test]
async fn bookings_a_carrier_can_never_make_are_422_carrier_unsupported() {
    let app = spawn_app().await;
    for carrier in ["delhivery", "shiprocket"] {
        let mut body = shipment_body(&format!("ORD-ABROAD-{carrier}"), carrier);
        body["to"] = json!({"name": "Sam Lee", "phone": "+1 415 555 0100",
                            "line1": "1 Market St", "city": "San Francisco", "state": "CA",
                            "postal_code": "94105", "country": "US"});
        // Valid for the gateway (customs are required across a border): the carrier
        // says no.
        body["customs"] = json!({"contents": "sale", "items": [{"description": "Cotton kurta",
            "hs_code": "6211.42", "origin_country": "IN", "quantity": 1,
            "unit_value": {"amount": 49900, "currency": "INR"}, "weight_g": 400}]});
        let r = app.post("/v1/shipments", &body).await;
        assert!(r.headers().get("retry-after").is_none(), "{carrier}");
        let (status, body) = problem(r).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("carrier_unsupported")),
            "{carrier}: {body}"
        );
        assert_eq!(
            body["detail"].as_str().unwrap(),
            format!("{carrier}: international shipping is not supported by this carrier"),
            "{body}"
        );
    }
    for (carrier, service) in [("delhivery", "overnight"), ("shiprocket", "express")] {
        let mut body = shipment_body(&format!("ORD-SERVICE-{carrier}"), carrier);
        body["service"] = json!(service);
        let (status, body) = problem(app.post("/v1/shipments", &body).await).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("carrier_unsupported")),
            "{carrier}: {body}"
        );
    }
    assert_eq!(app.bookings("delhivery") + app.bookings("shiprocket"), 0);

    let r = app
        .post(
            "/v1/shipments",
            &shipment_body("ORD-ABROAD-delhivery", "delhivery"),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn rates_fan_out_to_every_carrier_cheapest_first() {
    let app = spawn_app().await;
    let rates: Value = app
        .post("/v1/rates", &shipment_body("x", "x"))
        .await
        .json()
        .await
        .unwrap();
    let quotes = rates["quotes"].as_array().unwrap();
    let carriers: std::collections::BTreeSet<&str> = quotes
        .iter()
        .map(|q| q["carrier"].as_str().unwrap())
        .collect();
    assert!(
        carriers.contains("delhivery") && carriers.contains("shiprocket"),
        "{rates}"
    );
    let totals: Vec<i64> = quotes
        .iter()
        .map(|q| q["total"]["amount"].as_i64().unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]), "{totals:?}");
}

#[tokio::test]
async fn auto_books_the_cheapest_quote() {
    let app = spawn_app().await;
    let rates: Value = app
        .post("/v1/rates", &shipment_body("x", "x"))
        .await
        .json()
        .await
        .unwrap();
    let cheapest = rates["quotes"][0].clone();
    let r = app
        .post("/v1/shipments", &shipment_body("ORD-AUTO", "auto"))
        .await;
    assert_eq!(r.status(), 201);
    let s: Value = r.json().await.unwrap();
    assert_eq!(s["carrier"], cheapest["carrier"]);
    assert_eq!(s["service"], cheapest["service"]);
}

#[tokio::test]
async fn operations_endpoints() {
    let app = spawn_app().await;
    let health: Value = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let spec: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/v1/rates",
        "/v1/shipments",
        "/v1/shipments/{id}/label",
        "/v1/shipments/{id}/tracking",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} undocumented");
    }
    let docs = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));
    // After one booking the carrier metrics are there.
    app.post("/v1/shipments", &shipment_body("ORD-M", "delhivery"))
        .await;
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("shipgate_carrier_operations_total"),
        "{metrics}"
    );
    assert!(metrics.contains("operation=\"create_shipment\""));
}
