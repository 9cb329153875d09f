//! Shipments through real HTTP against the sandbox simulators: what the API promises
//! beyond the round trip every carrier makes in the conformance suite
//! (`tests/conformance.rs`).

use crate::common;

use common::{problem, shipment_body, spawn_app};
use serde_json::{Value, json};

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
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("shipgate_carrier_operations_total"),
        "{metrics}"
    );
    assert!(metrics.contains("operation=\"create_shipment\""));
}

/// Shiprocket's label call fails at booking: the booking stands, and the label asked for
/// later is the courier's, fetched then (not one shipgate draws in its place). While the
/// carrier cannot produce it, the answer is the carrier's error, to retry.
#[tokio::test]
async fn a_courier_label_that_failed_at_booking_is_fetched_from_the_carrier_later() {
    let app = spawn_app().await;
    let refuse_label = json!({"path_contains": "generate/label", "status": 503,
                              "before_simulator": true});
    app.arm_fault("shiprocket", refuse_label.clone()).await;
    let r = app
        .post(
            "/v1/shipments",
            &shipment_body("ORD-LABEL-LATER", "shiprocket"),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let shipment: Value = r.json().await.unwrap();
    let location = format!("/v1/shipments/{}", shipment["id"].as_str().unwrap());
    assert_eq!(
        app.faults_waiting("shiprocket").await,
        0,
        "the booking asked for its label"
    );

    app.arm_fault("shiprocket", refuse_label).await;
    let (status, body) = problem(app.get(&format!("{location}/label")).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (502, Some("carrier_error")),
        "{body}"
    );

    let r = app.get(&format!("{location}/label")).await;
    assert_eq!(r.status(), 200);
    let pdf = r.bytes().await.unwrap();
    let text = lopdf::Document::load_mem(&pdf)
        .unwrap()
        .extract_text(&[1])
        .unwrap_or_default();
    // The simulator's label names the courier Shiprocket assigned (shipgate's own would
    // say only SHIPROCKET).
    assert!(
        text.contains("SHIPROCKET ·"),
        "not the courier's label: {text}"
    );
    // Kept: asked again, the same document without another call.
    app.arm_fault(
        "shiprocket",
        json!({"path_contains": "generate/label", "status": 503, "before_simulator": true}),
    )
    .await;
    let again = app.get(&format!("{location}/label")).await;
    assert_eq!(again.bytes().await.unwrap(), pdf);
}

/// A shipment may have several pieces (the schema takes up to 50); a carrier that books
/// one package per AWB refuses it for good instead of booking the pieces as one box.
#[tokio::test]
async fn multi_piece_shipments_are_refused_by_one_piece_carriers_not_merged() {
    let app = spawn_app().await;
    for carrier in ["delhivery", "shiprocket"] {
        let mut body = shipment_body(&format!("ORD-MPS-{carrier}"), carrier);
        let piece = body["parcels"][0].clone();
        body["parcels"] = json!([piece.clone(), piece]);
        let (status, problem) = problem(app.post("/v1/shipments", &body).await).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (422, Some("carrier_unsupported")),
            "{carrier}: {problem}"
        );
        assert!(
            problem["detail"].as_str().unwrap().contains("multi-piece"),
            "{problem}"
        );
    }
    let mut body = shipment_body("ORD-MPS-TOO-MANY", "delhivery");
    let piece = body["parcels"][0].clone();
    body["parcels"] = Value::Array(vec![piece; 51]);
    let (status, problem) = problem(app.post("/v1/shipments", &body).await).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(common::pointers(&problem), ["/parcels/50"], "{problem}");
    assert_eq!(app.bookings("delhivery") + app.bookings("shiprocket"), 0);
}

/// Documents and carrier address validation for carriers that offer neither: an empty
/// list, a clear 404 for every kind, and a 422 at the account before any carrier call.
#[tokio::test]
async fn documents_and_address_validation_say_what_a_carrier_lacks() {
    let app = spawn_app().await;
    let created: Value = app
        .post("/v1/shipments", &shipment_body("ORD-DOCS", "delhivery"))
        .await
        .json()
        .await
        .unwrap();
    let location = format!("/v1/shipments/{}", created["id"].as_str().unwrap());
    let listed: Value = app
        .get(&format!("{location}/documents"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed,
        json!({"data": [], "next_cursor": null, "uploaded": []})
    );
    for kind in ["commercial_invoice", "proof_of_delivery", "passport"] {
        let (status, p) = problem(app.get(&format!("{location}/documents/{kind}")).await).await;
        assert_eq!(
            (status, p["code"].as_str()),
            (404, Some("not_found")),
            "{kind}: {p}"
        );
    }
    let (status, _) = problem(app.get("/v1/shipments/shp_missing/documents").await).await;
    assert_eq!(status, 404);

    let address = common::address("560001");
    let (status, p) = problem(
        app.post(
            "/v1/addresses/validate",
            &json!({"carrier_account": "delhivery", "address": address}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (
            status,
            p["errors"][0]["code"].as_str(),
            p["errors"][0]["pointer"].as_str()
        ),
        (
            422,
            Some("address_validation_not_offered"),
            Some("/carrier_account")
        )
    );
    let (status, p) = problem(app.post("/v1/addresses/validate", &json!({})).await).await;
    let pointers: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        (status, pointers),
        (422, vec!["/carrier_account", "/address"])
    );
    let (status, p) = problem(
        app.post(
            "/v1/addresses/validate",
            &json!({"carrier_account": "nope", "address": address}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, p["errors"][0]["code"].as_str()),
        (422, Some("unknown_carrier_account"))
    );
}
