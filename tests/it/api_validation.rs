//! Bad input: every case gets the right 4xx problem+json at the right pointer, and none
//! of it reaches a carrier or leaves a shipment behind.

use crate::common;

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

    // Order lines: each mistake at its line's pointer.
    let mut b = shipment_body("ORD-T1", "delhivery");
    b["items"] =
        json!([{"sku": "A-1", "quantity": 3}, {"name": "no sku"}, {"sku": "B", "quantity": 0}]);
    let (status, body) = problem(app.post("/v1/shipments", &b).await).await;
    assert_eq!(status, 422);
    assert_eq!(
        pointers(&body),
        vec!["/items/1/sku", "/items/2/quantity"],
        "{body}"
    );

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

/// Across a border: customs are required (at `/customs`), checked field by field, and the
/// destination's postal code and state follow its country's rules. A request that passes
/// is valid for the gateway; Delhivery and Shiprocket ship within India only, so booking
/// it is their refusal (422 `carrier_unsupported`), with nothing booked.
#[tokio::test]
async fn international_requests_are_checked_for_customs_and_the_country_s_formats() {
    let app = spawn_app().await;
    let codes = |body: &serde_json::Value| -> Vec<(String, String)> {
        body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|e| {
                (
                    e["pointer"].as_str().unwrap().to_string(),
                    e["code"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let pair = |p: &str, c: &str| (p.to_string(), c.to_string());
    let item = json!({"description": "Cotton kurta", "hs_code": "6211.42.10",
        "origin_country": "IN", "quantity": 1,
        "unit_value": {"amount": 49900, "currency": "INR"}, "weight_g": 400});
    let abroad = |order_ref: &str, carrier: &str| {
        let mut b = shipment_body(order_ref, carrier);
        b["to"] = json!({"name": "Sam Lee", "phone": "+1 415 555 0100",
            "line1": "1 Market St", "city": "San Francisco", "state": "California",
            "postal_code": "94105-1234", "country": "US"});
        b
    };

    // No customs.
    let (status, body) = problem(
        app.post("/v1/shipments", &abroad("ORD-X1", "delhivery"))
            .await,
    )
    .await;
    assert_eq!(
        (status, codes(&body)),
        (422, vec![pair("/customs", "required")])
    );
    assert!(
        body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("from IN to US"),
        "{body}"
    );

    // Every customs mistake at its pointer, with the postal code and state ones.
    let mut b = abroad("ORD-X2", "delhivery");
    b["to"]["postal_code"] = json!("9410");
    b["to"]["state"] = json!("Bavaria");
    b["customs"] = json!({"contents": "bribe", "incoterm": "DDP", "duties_payer": "recipient",
        "items": [item.clone(),
                  {"description": "Silk scarf", "hs_code": "6214", "origin_country": "IND",
                   "quantity": 0, "unit_value": {"amount": 100, "currency": "USD"},
                   "weight_g": 50}]});
    let (status, body) = problem(app.post("/v1/shipments", &b).await).await;
    assert_eq!(status, 422);
    assert_eq!(
        codes(&body),
        vec![
            pair("/to/state", "invalid_state"),
            pair("/to/postal_code", "invalid_postal_code"),
            pair("/customs/contents", "invalid_contents"),
            pair("/customs/duties_payer", "incoterm_conflict"),
            pair("/customs/items/1/hs_code", "invalid_hs_code"),
            pair("/customs/items/1/origin_country", "invalid_country"),
            pair("/customs/items/1/quantity", "out_of_range"),
        ],
        "{body}"
    );
    let detail = |pointer: &str| {
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["pointer"] == pointer)
            .and_then(|e| e["detail"].as_str())
            .unwrap()
            .to_string()
    };
    assert!(detail("/to/postal_code").contains("ZIP+4 (12345-6789)"));
    assert!(detail("/customs/items/1/hs_code").contains("6 to 10 digits"));

    // Currencies that must agree, and items heavier than the parcel.
    let mut b = abroad("ORD-X3", "delhivery");
    let mut usd = item.clone();
    usd["unit_value"]["currency"] = json!("USD");
    b["customs"] = json!({"contents": "sale", "items": [usd]});
    let (_, body) = problem(app.post("/v1/shipments", &b).await).await;
    assert_eq!(
        codes(&body),
        vec![pair(
            "/customs/items/0/unit_value/currency",
            "currency_mismatch"
        )]
    );
    let mut heavy = item.clone();
    heavy["quantity"] = json!(2);
    b["customs"] = json!({"contents": "sale", "items": [heavy]});
    let (_, body) = problem(app.post("/v1/shipments", &b).await).await;
    assert_eq!(
        codes(&body),
        vec![pair("/customs/items", "heavier_than_parcels")]
    );

    // Valid: the Indian carriers refuse it for good, and nothing is booked.
    for carrier in ["delhivery", "shiprocket"] {
        let mut b = abroad(&format!("ORD-X4-{carrier}"), carrier);
        b["customs"] = json!({"contents": "sale", "incoterm": "DAP", "items": [item.clone()]});
        let (status, body) = problem(app.post("/v1/shipments", &b).await).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("carrier_unsupported")),
            "{carrier}: {body}"
        );
    }
    assert_eq!(app.bookings("delhivery") + app.bookings("shiprocket"), 0);

    // Other countries' postal codes: normalised when valid, refused naming the format.
    for (country, state, postal_code, ok) in [
        ("GB", None, "sw1a1aa", true),
        ("DE", None, "10115", true),
        ("CA", Some("Ontario"), "k1a0b1", true),
        ("GB", None, "SW1A", false),
        ("DE", None, "1011", false),
        ("CA", Some("ON"), "K1A-0B1", false),
    ] {
        let mut b = abroad(&format!("ORD-X5-{country}-{ok}"), "delhivery");
        b["to"]["country"] = json!(country);
        b["to"]["state"] = json!(state);
        b["to"]["postal_code"] = json!(postal_code);
        b["customs"] = json!({"contents": "gift", "items": [item.clone()]});
        let (status, body) = problem(app.post("/v1/shipments", &b).await).await;
        if ok {
            assert_eq!(body["code"], "carrier_unsupported", "{country}: {body}");
        } else {
            assert_eq!(
                (status, codes(&body)),
                (422, vec![pair("/to/postal_code", "invalid_postal_code")]),
                "{country}"
            );
        }
    }

    // A domestic shipment may carry customs: ignored, and booked as before.
    let mut b = shipment_body("ORD-X6", "delhivery");
    b["customs"] = json!({"contents": "not checked at home"});
    let r = app.post("/v1/shipments", &b).await;
    assert_eq!(r.status().as_u16(), 201);
    let created: serde_json::Value = r.json().await.unwrap();
    assert!(created.get("customs").is_none(), "{created}");

    // A COD amount in another currency than the declared value.
    let mut b = shipment_body("ORD-X7", "delhivery");
    b["payment"] = json!({"mode": "cod", "cod_amount": {"amount": 100, "currency": "USD"}});
    let (_, body) = problem(app.post("/v1/shipments", &b).await).await;
    assert_eq!(
        codes(&body),
        vec![pair("/payment/cod_amount/currency", "currency_mismatch")]
    );

    // Quotes: customs optional across a border, checked when given.
    let base = abroad("unused", "x");
    let mut rate = json!({"from": base["from"], "to": base["to"],
        "parcels": [{"weight_g": 500}, {"weight_g": 700}], "payment": {"mode": "prepaid"},
        "customs": {"contents": "sale", "items": [{"description": "Kurta"}]}});
    let (status, body) = problem(app.post("/v1/rates", &rate).await).await;
    assert_eq!(status, 422);
    assert_eq!(
        codes(&body),
        vec![
            pair("/customs/items/0/hs_code", "required"),
            pair("/customs/items/0/origin_country", "required"),
            pair("/customs/items/0/quantity", "required"),
            pair("/customs/items/0/unit_value", "required"),
            pair("/customs/items/0/weight_g", "required"),
        ]
    );
    rate.as_object_mut().unwrap().remove("customs");
    assert_eq!(app.post("/v1/rates", &rate).await.status().as_u16(), 200);
}
