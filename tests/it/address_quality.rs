//! Address quality over HTTP (issue 17), on SQLite and PostgreSQL: the check route, the
//! score every booking keeps, the tenant's address policy (block, refuse COD, flag),
//! the shipment list by band, and RTO rates by band once the simulator returns a parcel.

use crate::common;

use common::{TestApp, json_of, pointers, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};
use shipgate::store::Role;

async fn app() -> TestApp {
    spawn_app_with(|c| {
        // Tracking calls reveal the simulators' scans; polls would race them.
        c.polling.enabled = false;
    })
    .await
}

/// A real-looking address that scores `good`.
fn good(pin: &str) -> Value {
    json!({
        "name": "Priya Sharma",
        "phone": "+91 98450 12345",
        "line1": "Flat 302, Sunshine Apartments, 12th Main Road",
        "line2": "Indiranagar",
        "city": "Bengaluru",
        "state": "Karnataka",
        "postal_code": pin,
    })
}

/// `good` with a placeholder phone (a run of digits): `fair`.
fn fair(pin: &str) -> Value {
    let mut a = good(pin);
    a["phone"] = json!("+91 98765 43210");
    a
}

/// Junk line and a phone of one digit: `poor`, but valid enough to book.
fn poor(pin: &str) -> Value {
    let mut a = good(pin);
    a["line1"] = json!("test");
    a["line2"] = Value::Null;
    a["phone"] = json!("9999999999");
    a
}

fn booking(order_ref: &str, carrier: &str, to: Value) -> Value {
    let mut body = shipment_body(order_ref, carrier);
    body["to"] = to;
    body
}

fn cod(mut body: Value) -> Value {
    body["payment"] = json!({"mode": "cod", "cod_amount": {"amount": 49900, "currency": "INR"}});
    body
}

async fn book(app: &TestApp, body: &Value, status: u16) -> Value {
    let key = body["order_ref"].as_str().unwrap();
    json_of(app.post_keyed("/v1/shipments", key, body).await, status).await
}

async fn put_policy(app: &TestApp, rules: Value) -> Value {
    let r = app
        .client
        .put(app.url("/v1/address-policy"))
        .bearer_auth(&app.api_key)
        .json(&json!({"rules": rules}))
        .send()
        .await
        .unwrap();
    json_of(r, 201).await
}

#[tokio::test]
async fn the_check_route_scores_normalises_and_points_at_fields() {
    let app = app().await;
    let reader = app.key_for_tenant("demo", Role::Read).await;
    let check = |body: Value| {
        let app = &app;
        let reader = reader.clone();
        async move {
            app.client
                .post(app.url("/v1/addresses/check"))
                .bearer_auth(&reader)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };

    let mut messy = good("560038");
    messy["line1"] = json!("  Flat 302 ,, Sunshine Apts, 12th Main Rd ");
    messy["landmark"] = json!("Opp. CMH Hospital");
    messy["city"] = json!("bangalore");
    messy["state"] = json!("KA");
    let a = json_of(check(messy).await, 200).await;
    assert_eq!(
        (a["score"].as_u64(), a["band"].as_str()),
        (Some(100), Some("good")),
        "{a}"
    );
    assert_eq!(a["reasons"], json!([]));
    assert_eq!(
        a["address"]["line1"],
        "Flat 302, Sunshine Apartments, 12th Main Road"
    );
    assert_eq!(a["address"]["city"], "Bangalore");
    assert_eq!(a["address"]["state"], "Karnataka");
    assert_eq!(a["address"]["phone"], "+919845012345");
    assert_eq!(a["district"], "Bengaluru Urban");
    assert_eq!(a["state_code"], "KA");
    assert_eq!(a["parts"]["house"], "Flat 302");
    assert_eq!(a["parts"]["building"], "Sunshine Apartments");
    assert_eq!(a["parts"]["street"], "12th Main Road");
    assert_eq!(a["parts"]["landmark"], "Opposite CMH Hospital");

    // A PIN code that does not exist, a city and state elsewhere, junk, a dummy phone.
    let mut bad = poor("560999");
    bad["city"] = json!("Mumbai");
    bad["state"] = json!("Maharashtra");
    let a = json_of(check(bad).await, 200).await;
    assert_eq!(
        (a["score"].as_u64(), a["band"].as_str()),
        (Some(0), Some("poor")),
        "{a}"
    );
    let found: Vec<(&str, &str)> = a["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["code"].as_str().unwrap(), r["pointer"].as_str().unwrap()))
        .collect();
    for want in [
        ("pincode_unknown", "/postal_code"),
        ("line_junk", "/line1"),
        ("phone_repeated_digits", "/phone"),
    ] {
        assert!(found.contains(&want), "{want:?} in {found:?}");
    }
    let mut mismatched = good("560001");
    mismatched["city"] = json!("Chennai");
    mismatched["state"] = json!("Tamil Nadu");
    let a = json_of(check(mismatched).await, 200).await;
    let codes: Vec<&str> = a["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["state_mismatch", "city_mismatch"], "{a}");
    assert_eq!(a["band"], "poor");

    // Abroad: only the checks that apply, and it says so.
    let a = json_of(
        check(
            json!({"name": "Sam Lee", "phone": "+1 415 555 0100", "line1": "1 Market St",
            "city": "San Francisco", "state": "CA", "postal_code": "94105", "country": "US"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(a["checks"], json!(["phone_pattern", "lines", "junk"]));
    assert_eq!(a["reasons"][0]["code"], "checks_limited");
    assert_eq!(a["reasons"][0]["pointer"], "/country");

    // Not an address at all: a 422 at every pointer, as a booking would be.
    let (status, body) = problem(
        check(json!({"name": "Asha", "phone": "12345", "line1": "12 MG Road", "postal_code": "56001"}))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    let mut at = pointers(&body);
    at.sort();
    assert_eq!(at, ["/city", "/phone", "/postal_code"], "{body}");
    let (status, body) = problem(check(json!({"name": 7, "city": ["x"]})).await).await;
    assert_eq!(status, 422);
    assert!(pointers(&body).contains(&"/name".to_string()), "{body}");
    // Without a key: 401.
    let r = app
        .client
        .post(app.url("/v1/addresses/check"))
        .json(&good("560001"))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 401);

    let metrics = app.metrics().await;
    assert!(
        metrics.contains("shipgate_address_scores_total{band=\"poor\",source=\"check\"}"),
        "{metrics}"
    );
}

#[tokio::test]
async fn every_booking_keeps_its_score_and_the_list_filters_by_band() {
    let app = app().await;
    let g = book(&app, &booking("AQ-GOOD", "delhivery", good("560001")), 201).await;
    let f = book(&app, &booking("AQ-FAIR", "shiprocket", fair("560001")), 201).await;
    // The default policy flags a poor address and books it all the same.
    let p = book(
        &app,
        &cod(booking("AQ-POOR", "delhivery", poor("560001"))),
        201,
    )
    .await;
    assert_eq!(g["address_quality"]["band"], "good", "{g}");
    assert_eq!(g["address_quality"]["score"], 100);
    assert_eq!(g["address_quality"]["flagged"], false);
    assert_eq!(f["address_quality"]["band"], "fair", "{f}");
    assert_eq!(f["address_quality"]["reasons"][0]["code"], "phone_sequence");
    assert_eq!(f["address_quality"]["reasons"][0]["pointer"], "/to/phone");
    let q = &p["address_quality"];
    assert_eq!(
        (q["band"].as_str(), q["flagged"].as_bool()),
        (Some("poor"), Some(true)),
        "{p}"
    );
    assert_eq!(q["rule"], "default: flag poor addresses");
    assert_eq!(q["policy_version"], 0);
    assert_eq!(
        p["payment"]["mode"], "cod",
        "the default never changes the payment"
    );
    let pointers: Vec<&str> = q["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["pointer"].as_str().unwrap())
        .collect();
    assert!(
        pointers.contains(&"/to/line1") && pointers.contains(&"/to/phone"),
        "{q}"
    );

    // Shown when read back, and filtered by band.
    let id = p["id"].as_str().unwrap();
    let read = json_of(app.get(&format!("/v1/shipments/{id}")).await, 200).await;
    assert_eq!(read["address_quality"], p["address_quality"]);
    for (band, order) in [
        ("good", "AQ-GOOD"),
        ("fair", "AQ-FAIR"),
        ("poor", "AQ-POOR"),
    ] {
        let list = json_of(
            app.get(&format!("/v1/shipments?address_band={band}")).await,
            200,
        )
        .await;
        let orders: Vec<&str> = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["order_ref"].as_str().unwrap())
            .collect();
        assert_eq!(orders, [order], "{band}");
    }
    let (status, body) = problem(app.get("/v1/shipments?address_band=awful").await).await;
    assert_eq!(
        (status, pointers_of(&body)),
        (422, vec!["/address_band".to_string()])
    );

    let metrics = app.metrics().await;
    assert!(
        metrics.contains("shipgate_address_policy_decisions_total{action=\"flag\"}"),
        "{metrics}"
    );
}

fn pointers_of(problem: &Value) -> Vec<String> {
    pointers(problem)
}

#[tokio::test]
async fn the_policy_blocks_refuses_cod_or_flags() {
    let app = app().await;
    // The default, before anything is stored.
    let current = json_of(app.get("/v1/address-policy").await, 200).await;
    assert_eq!(current["version"], 0);
    assert_eq!(current["rules"][0]["then"], "flag");

    // Only an admin sets it; bad rules are refused at their pointers, nothing stored.
    let writer = app.key_for_tenant("demo", Role::Write).await;
    let r = app
        .client
        .put(app.url("/v1/address-policy"))
        .bearer_auth(&writer)
        .json(&json!({"rules": [{"name": "x", "then": "block"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 403);
    let r = app
        .client
        .put(app.url("/v1/address-policy"))
        .bearer_auth(&app.api_key)
        .json(&json!({"rules": [
            {"name": "a", "when": {"bands": ["awful"], "score": {"min": -1}}, "then": "shred"},
            {"name": "b", "when": {"payment": "prepaid", "reasons": ["pincode_unknown", "nope"]}, "then": "refuse_cod"},
        ]}))
        .send()
        .await
        .unwrap();
    let (status, body) = problem(r).await;
    assert_eq!(status, 422);
    let mut at = pointers(&body);
    at.sort();
    assert_eq!(
        at,
        [
            "/rules/0/then",
            "/rules/0/when/bands/0",
            "/rules/0/when/score/min",
            "/rules/1/when/payment",
            "/rules/1/when/reasons/1",
        ]
    );
    assert_eq!(
        json_of(app.get("/v1/address-policy").await, 200).await["version"],
        0
    );

    // Book first what will be blocked later: a repeat still gets its shipment.
    let early = booking("AQ-EARLY", "delhivery", poor("560001"));
    let booked_early = json_of(app.post("/v1/shipments", &early).await, 201).await;

    // Block.
    let v1 = put_policy(
        &app,
        json!([{"name": "poor: block", "when": {"bands": ["poor"]}, "then": "block"}]),
    )
    .await;
    assert_eq!(v1["version"], 1);
    let trail = json_of(
        app.get("/v1/audit-events?action=address_policy.updated")
            .await,
        200,
    )
    .await;
    assert_eq!(trail["data"][0]["target"]["id"], "1", "{trail}");
    assert_eq!(trail["data"][0]["before"]["rules"][0]["then"], "flag");
    assert_eq!(trail["data"][0]["after"]["rules"][0]["then"], "block");
    for carrier in ["delhivery", "shiprocket", "auto"] {
        let before = (app.bookings("delhivery"), app.bookings("shiprocket"));
        let order = format!("AQ-BLOCK-{carrier}");
        let r = app
            .post_keyed(
                "/v1/shipments",
                &order,
                &booking(&order, carrier, poor("560001")),
            )
            .await;
        let (status, body) = problem(r).await;
        assert_eq!(status, 422, "{carrier}: {body}");
        let errors = body["errors"].as_array().unwrap();
        assert_eq!(errors[0]["pointer"], "/to");
        assert_eq!(errors[0]["code"], "address_blocked");
        assert!(
            errors[0]["detail"]
                .as_str()
                .unwrap()
                .contains("poor: block"),
            "{body}"
        );
        let at = pointers(&body);
        assert!(
            at.contains(&"/to/line1".to_string()) && at.contains(&"/to/phone".to_string()),
            "{at:?}"
        );
        assert_eq!(
            (app.bookings("delhivery"), app.bookings("shiprocket")),
            before,
            "{carrier}: no carrier was asked"
        );
        // The order is free: fixed, it books (under a new key: the old one answered).
        let fixed = json_of(
            app.post_keyed(
                "/v1/shipments",
                &format!("{order}-fixed"),
                &booking(&order, carrier, good("560001")),
            )
            .await,
            201,
        )
        .await;
        assert_eq!(fixed["address_quality"]["band"], "good");
        assert_eq!(fixed["address_quality"]["policy_version"], 1);
    }
    let again = json_of(app.post("/v1/shipments", &early).await, 200).await;
    assert_eq!(
        again["id"], booked_early["id"],
        "a repeat of a booked order is not blocked"
    );

    // Refuse cash on delivery below 80; prepaid passes on to the next rule.
    put_policy(
        &app,
        json!([
            {"name": "no COD under 80", "when": {"score": {"max": 79}}, "then": "refuse_cod"},
            {"name": "fair: flag", "when": {"bands": ["fair"]}, "then": "flag"},
        ]),
    )
    .await;
    let before = app.bookings("delhivery");
    let r = app
        .post_keyed(
            "/v1/shipments",
            "AQ-COD",
            &cod(booking("AQ-COD", "delhivery", fair("560001"))),
        )
        .await;
    let (status, body) = problem(r).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["pointer"], "/payment");
    assert_eq!(body["errors"][0]["code"], "cod_not_allowed");
    let detail = body["errors"][0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("not allowed for this address") && detail.contains("70"),
        "{detail}"
    );
    assert_eq!(body["errors"][1]["pointer"], "/to/phone", "{body}");
    assert_eq!(
        app.bookings("delhivery"),
        before,
        "nothing booked, nothing converted"
    );
    let prepaid = json_of(
        app.post_keyed(
            "/v1/shipments",
            "AQ-COD-prepaid",
            &booking("AQ-COD", "delhivery", fair("560001")),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(prepaid["payment"]["mode"], "prepaid");
    let q = &prepaid["address_quality"];
    assert_eq!(
        (q["flagged"].as_bool(), q["rule"].as_str()),
        (Some(true), Some("fair: flag")),
        "{q}"
    );
    assert_eq!(q["policy_version"], 2);
    // A good address keeps its COD.
    let good_cod = book(
        &app,
        &cod(booking("AQ-COD-GOOD", "shiprocket", good("560001"))),
        201,
    )
    .await;
    assert_eq!(good_cod["payment"]["mode"], "cod");
    assert_eq!(good_cod["address_quality"]["flagged"], false);
    assert_eq!(good_cod["address_quality"]["rule"], Value::Null);

    // Flag only.
    put_policy(&app, json!([{"name": "flag anything short of good", "when": {"score": {"max": 79}}, "then": "flag"}])).await;
    let flagged = book(
        &app,
        &cod(booking("AQ-FLAG", "shiprocket", poor("560001"))),
        201,
    )
    .await;
    assert_eq!(flagged["address_quality"]["flagged"], true);
    assert_eq!(
        flagged["address_quality"]["rule"],
        "flag anything short of good"
    );
    assert_eq!(flagged["payment"]["mode"], "cod");

    // Every version stays readable; another tenant has its own (the default).
    let v1 = json_of(app.get("/v1/address-policy/versions/1").await, 200).await;
    assert_eq!(v1["rules"][0]["then"], "block");
    assert_eq!(
        json_of(app.get("/v1/address-policy").await, 200).await["version"],
        3
    );
    assert_eq!(
        problem(app.get("/v1/address-policy/versions/9").await)
            .await
            .0,
        404
    );
    let other = app.key_for_tenant("other", Role::Read).await;
    let r = app
        .client
        .get(app.url("/v1/address-policy"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(r, 200).await["version"], 0);
}

/// Tracks (each call reveals the simulator's next scan) until `done` holds.
async fn track_until(app: &TestApp, id: &str, done: impl Fn(&Value) -> bool) {
    let mut last = Value::Null;
    for _ in 0..40 {
        last = json_of(app.get(&format!("/v1/shipments/{id}/tracking")).await, 200).await;
        if done(&last) {
            return;
        }
    }
    panic!("shipment {id} never got there: {last}");
}

#[tokio::test]
async fn the_report_gives_rto_rates_by_band() {
    let app = app().await;
    // A PIN code ending in 98 is returned to origin by the Delhivery simulator.
    let returned = book(&app, &booking("AQ-RTO", "delhivery", poor("560098")), 201).await;
    let delivered = book(&app, &booking("AQ-OK", "delhivery", good("560001")), 201).await;
    book(&app, &booking("AQ-OPEN", "shiprocket", fair("560001")), 201).await;
    track_until(&app, returned["id"].as_str().unwrap(), |t| {
        t["sub_status"] == "rto_delivered"
    })
    .await;
    track_until(&app, delivered["id"].as_str().unwrap(), |t| {
        t["status"] == "delivered"
    })
    .await;

    let report = json_of(app.get("/v1/reports/address-quality").await, 200).await;
    assert_eq!(
        report["thresholds"],
        json!({"good_from": 80, "fair_from": 50})
    );
    let rows: Vec<(String, i64, i64, i64, Value)> = report["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["band"].as_str().unwrap().to_string(),
                r["shipments"].as_i64().unwrap(),
                r["delivered"].as_i64().unwrap(),
                r["rto"].as_i64().unwrap(),
                r["rto_pct"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("good".into(), 1, 1, 0, json!(0.0)),
            ("fair".into(), 1, 0, 0, Value::Null),
            ("poor".into(), 1, 0, 1, json!(100.0)),
        ],
        "{report}"
    );
    // A range that holds nothing, and bad ranges at their parameters.
    let later = json_of(
        app.get("/v1/reports/address-quality?from=2999-01-01T00:00:00Z")
            .await,
        200,
    )
    .await;
    assert!(
        later["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["shipments"] == 0),
        "{later}"
    );
    let (status, body) = problem(
        app.get("/v1/reports/address-quality?from=yesterday&to=2020-01-01T00:00:00Z&band=poor")
            .await,
    )
    .await;
    assert_eq!(status, 422);
    let mut at = pointers(&body);
    at.sort();
    assert_eq!(at, ["/band", "/from"]);
    // Another tenant sees none of these.
    let other = app.key_for_tenant("other", Role::Read).await;
    let r = app
        .client
        .get(app.url("/v1/reports/address-quality"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    let theirs = json_of(r, 200).await;
    assert!(
        theirs["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["shipments"] == 0),
        "{theirs}"
    );
}
