//! Bad input: every case gets the right 4xx problem+json at the right pointer, and none
//! of it reaches a carrier or leaves a shipment behind.

mod common;

use common::{pointers, problem, shipment_body, spawn_app};
use serde_json::json;
use shipgate::store::Role;

#[tokio::test]
async fn bad_input_is_rejected_precisely_and_leaves_nothing_behind() {
    let app = spawn_app().await;

    // Malformed JSON.
    let r = app
        .client
        .post(app.url("/v1/shipments"))
        .bearer_auth(&app.api_key)
        .header("content-type", "application/json")
        .body("{\"order_ref\": ")
        .send()
        .await
        .unwrap();
    let (status, body) = problem(r).await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (400, "malformed_json")
    );

    // Wrong type: the pointer names the field.
    let mut b = shipment_body("ORD-T1", "delhivery");
    b["parcels"][0]["weight_g"] = json!("heavy");
    let (status, body) = problem(app.post("/v1/shipments", &b).await).await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body), vec!["/parcels/0/weight_g"]);

    // Every wrong type at once, each at its pointer (serde alone stops at the first).
    b["order_ref"] = json!(1001);
    b["to"]["postal_code"] = json!(560001);
    let (status, body) = problem(app.post("/v1/shipments", &b).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation_failed"))
    );
    let mut p = pointers(&body);
    p.sort();
    assert_eq!(
        p,
        ["/order_ref", "/parcels/0/weight_g", "/to/postal_code"],
        "{body}"
    );
    let errors = body["errors"].as_array().unwrap();
    assert!(errors.iter().all(|e| e["code"] == "invalid_type"), "{body}");

    // A currency that is not an ISO 4217 code (three capitals are not enough).
    let mut b = shipment_body("ORD-T1", "delhivery");
    b["parcels"][0]["declared_value"]["currency"] = json!("ZZZ");
    let (status, body) = problem(app.post("/v1/shipments", &b).await).await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body), vec!["/parcels/0/declared_value/currency"]);
    assert_eq!(body["errors"][0]["code"], "invalid_currency");
    assert!(
        body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("not an ISO 4217 currency code"),
        "{body}"
    );

    // 5-digit pincode, zero weight, COD amount on prepaid: all reported at once.
    let mut b = shipment_body("ORD-T2", "delhivery");
    b["to"]["postal_code"] = json!("56001");
    b["parcels"][0]["weight_g"] = json!(0);
    b["payment"] = json!({"mode": "prepaid", "cod_amount": {"amount": 1000, "currency": "INR"}});
    let (status, body) = problem(app.post("/v1/shipments", &b).await).await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "validation_failed");
    let p = pointers(&body);
    for expected in [
        "/to/postal_code",
        "/parcels/0/weight_g",
        "/payment/cod_amount",
    ] {
        assert!(
            p.contains(&expected.to_string()),
            "{expected} missing from {p:?}"
        );
    }

    // Negative weight.
    let mut b = shipment_body("ORD-T3", "delhivery");
    b["parcels"][0]["weight_g"] = json!(-5);
    let (_, body) = problem(app.post("/v1/shipments", &b).await).await;
    assert_eq!(pointers(&body), vec!["/parcels/0/weight_g"]);

    // COD without an amount, bad phone.
    let mut b = shipment_body("ORD-T4", "delhivery");
    b["payment"] = json!({"mode": "cod"});
    b["from"]["phone"] = json!("12345");
    let (_, body) = problem(app.post("/v1/shipments", &b).await).await;
    let p = pointers(&body);
    assert!(
        p.contains(&"/payment/cod_amount".to_string()) && p.contains(&"/from/phone".to_string()),
        "{p:?}"
    );

    // Unknown carrier.
    let (status, body) = problem(
        app.post("/v1/shipments", &shipment_body("ORD-T5", "pigeon"))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body), vec!["/carrier"]);
    assert_eq!(body["errors"][0]["code"], "unknown_carrier");
    let mut rate = shipment_body("R", "x");
    rate["carriers"] = json!(["delhivery", "pigeon"]);
    let (status, body) = problem(app.post("/v1/rates", &rate).await).await;
    assert_eq!(
        (status, pointers(&body)),
        (422, vec!["/carriers/1".to_string()])
    );

    // Body over the size limit.
    let mut b = shipment_body("ORD-T6", "delhivery");
    b["to"]["line2"] = json!("x".repeat(300 * 1024));
    let (status, body) = problem(app.post("/v1/shipments", &b).await).await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (413, "payload_too_large")
    );

    // Wrong content type.
    let r = app
        .client
        .post(app.url("/v1/shipments"))
        .bearer_auth(&app.api_key)
        .header("content-type", "text/plain")
        .body(shipment_body("ORD-T7", "delhivery").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 415);

    // Missing and wrong API keys.
    let r = app
        .client
        .post(app.url("/v1/shipments"))
        .json(&shipment_body("ORD-T8", "delhivery"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["www-authenticate"],
        r#"Bearer realm="shipgate""#
    );
    let (status, body) = problem(r).await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (401, "unauthorized")
    );
    let r = app
        .client
        .post(app.url("/v1/shipments"))
        .bearer_auth("sg_not_a_key")
        .json(&shipment_body("ORD-T9", "delhivery"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["www-authenticate"],
        r#"Bearer realm="shipgate", error="invalid_token""#
    );
    assert_eq!(problem(r).await.0, 401);

    // A read-only key cannot book.
    let read_key = app.key_for_tenant("demo", Role::Read).await;
    let r = app
        .client
        .post(app.url("/v1/shipments"))
        .bearer_auth(&read_key)
        .json(&shipment_body("ORD-T10", "delhivery"))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 403);

    // Unknown routes and methods are problems too.
    assert_eq!(problem(app.get("/v1/nothing").await).await.0, 404);
    let r = app
        .client
        .delete(app.url("/v1/rates"))
        .send()
        .await
        .unwrap();
    let allow = r.headers().get("allow").cloned();
    let (status, p) = problem(r).await;
    assert_eq!(
        (status, p["status"].as_u64(), p["code"].as_str()),
        (405, Some(405), Some("method_not_allowed"))
    );
    assert_eq!(allow.as_ref().and_then(|v| v.to_str().ok()), Some("POST"));

    // Nothing reached a carrier, nothing was written.
    assert_eq!(app.bookings("delhivery"), 0);
    let demo = app.state.store.find_tenant("demo").await.unwrap().unwrap();
    assert_eq!(app.state.store.count_shipments(&demo.id).await.unwrap(), 0);
}

#[tokio::test]
async fn another_tenants_shipment_is_not_found() {
    let app = spawn_app().await;
    let created: serde_json::Value = app
        .post("/v1/shipments", &shipment_body("ORD-ISO", "delhivery"))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().expect("created").to_string();

    let other = app.key_for_tenant("other", Role::Admin).await;
    for path in ["", "/label", "/tracking"] {
        let r = app
            .client
            .get(app.url(&format!("/v1/shipments/{id}{path}")))
            .bearer_auth(&other)
            .send()
            .await
            .unwrap();
        assert_eq!(problem(r).await.0, 404, "GET {path}");
    }
    let r = app
        .client
        .post(app.url(&format!("/v1/shipments/{id}/cancel")))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 404);
    // The owner still sees it, uncancelled.
    let mine: serde_json::Value = app
        .get(&format!("/v1/shipments/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["status"], "pre_transit");
}

#[tokio::test]
async fn same_order_ref_books_once() {
    let app = spawn_app().await;
    let first = app
        .post("/v1/shipments", &shipment_body("ORD-DUP", "delhivery"))
        .await;
    assert_eq!(first.status(), 201);
    let first: serde_json::Value = first.json().await.unwrap();
    let (status, body) = problem(
        app.post("/v1/shipments", &shipment_body("ORD-DUP", "shiprocket"))
            .await,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (409, "order_already_booked")
    );
    assert_eq!(body["shipment_id"], first["id"]);
    assert_eq!(app.bookings("delhivery") + app.bookings("shiprocket"), 1);
}

/// Regressions from fuzzing and property tests: amounts over `Money::MAX_AMOUNT` (whose
/// sums over parcels overflowed) are refused at their pointer with `too_large`, and a
/// body that is not UTF-8 is malformed even where the bad bytes sit in an ignored key.
#[tokio::test]
async fn amounts_over_the_cap_and_bodies_that_are_not_utf8_are_refused() {
    let app = spawn_app().await;
    let codes = |body: &serde_json::Value| -> Vec<(String, String)> {
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["pointer"].as_str().unwrap().to_string(),
                    e["code"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };

    let mut b = shipment_body("ORD-CAP1", "delhivery");
    b["parcels"][0]["declared_value"]["amount"] = json!(1_000_000_000_000_001i64);
    b["payment"] = json!({"mode": "cod", "cod_amount": {"amount": i64::MAX, "currency": "INR"}});
    let (status, body) = problem(app.post("/v1/shipments", &b).await).await;
    assert_eq!(status, 422);
    assert_eq!(
        codes(&body),
        vec![
            (
                "/parcels/0/declared_value/amount".to_string(),
                "too_large".to_string()
            ),
            (
                "/payment/cod_amount/amount".to_string(),
                "too_large".to_string()
            ),
        ]
    );

    // Fifty parcels just under i64::MAX / 50 each would overflow their sum.
    let base = shipment_body("unused", "delhivery");
    let parcel = json!({"weight_g": 100,
                        "declared_value": {"amount": i64::MAX / 50, "currency": "INR"}});
    let rate = json!({"from": base["from"], "to": base["to"], "parcels": vec![parcel; 50],
                      "payment": {"mode": "prepaid"}});
    let (status, body) = problem(app.post("/v1/rates", &rate).await).await;
    assert_eq!(status, 422);
    let found = codes(&body);
    assert_eq!(found.len(), 50);
    assert_eq!(
        found[49],
        (
            "/parcels/49/declared_value/amount".to_string(),
            "too_large".to_string()
        )
    );

    // At the cap is fine.
    let mut b = shipment_body("ORD-CAP2", "delhivery");
    b["parcels"][0]["declared_value"]["amount"] = json!(1_000_000_000_000_000i64);
    assert_eq!(app.post("/v1/shipments", &b).await.status().as_u16(), 201);

    let r = app
        .client
        .post(app.url("/v1/shipments"))
        .bearer_auth(&app.api_key)
        .header("content-type", "application/json")
        .body(b"{\"parc%ls\":[{\"wei\xffht_g\":\"heavy\"}]}".to_vec())
        .send()
        .await
        .unwrap();
    let (status, body) = problem(r).await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (400, "malformed_json")
    );
}
