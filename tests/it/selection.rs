//! Carrier selection rules over HTTP: validation with pointers, versions and tenant
//! isolation, recommendations on `POST /v1/rates`, and `carrier: auto` bookings that fall
//! back after a refusal but never after an outcome that may have booked.

use crate::common;

use common::{TestApp, only_carriers, pointers, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};
use shipgate::config::CarrierConfig;
use shipgate::store::Role;

/// A gateway with Delhivery and Shiprocket, the two carriers these tests' expectations
/// name.
async fn app() -> TestApp {
    spawn_app_with(|c| {
        c.limits.enabled = false;
        only_carriers(c, &["delhivery", "shiprocket"]);
    })
    .await
}

async fn put_rules(app: &TestApp, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .put(app.url("/v1/selection-rules"))
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn get_as(app: &TestApp, key: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
}

async fn rules(app: &TestApp, body: Value) -> Value {
    let r = put_rules(app, &app.api_key, &body).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

async fn rates(app: &TestApp, body: &Value) -> Value {
    let r = app.post("/v1/rates", body).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

/// The path of each carrier's booking call, where a fault makes it refuse or go silent.
fn create_path(carrier: &str) -> &'static str {
    match carrier {
        "delhivery" => "create.json",
        _ => "assign/awb",
    }
}

fn other(carrier: &str) -> &'static str {
    if carrier == "delhivery" {
        "shiprocket"
    } else {
        "delhivery"
    }
}

/// Rules that put `carrier` first whatever the sandbox prices are.
fn prefer(carrier: &str) -> Value {
    json!({"rules": [{"name": "house carrier", "then": {"action": "prefer", "carriers": [carrier], "weight": 90}}]})
}

#[tokio::test]
async fn invalid_rules_are_rejected_with_every_pointer() {
    let app = app().await;
    let r = put_rules(
        &app,
        &app.api_key,
        &json!({
            "objective": "soonest",
            "rules": [
                {"when": {"weight_g": {"min": 2000, "max": 1000}}, "then": {"action": "exclude", "carriers": ["delhivery"]}},
                {"when": {"zones": ["moon"], "dest_pincodes": ["12345"]}, "then": {"action": "prefer", "carriers": ["acme_express"]}},
                {"when": {"payment_mode": "cod"}}
            ]
        }),
    )
    .await;
    let (status, body) = problem(r).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation_failed"))
    );
    let mut got = pointers(&body);
    got.sort();
    assert_eq!(
        got,
        [
            "/objective",
            "/rules/0/when/weight_g/max",
            "/rules/1/then/carriers/0",
            "/rules/1/then/weight",
            "/rules/1/when/dest_pincodes/0",
            "/rules/1/when/zones/0",
            "/rules/2/then",
        ]
    );
    // A misspelt condition is refused, not ignored.
    let r = put_rules(
        &app,
        &app.api_key,
        &json!({"rules": [{"when": {"weigth_g": {"max": 1}}, "then": {"action": "exclude", "carriers": ["delhivery"]}}]}),
    )
    .await;
    let (status, body) = problem(r).await;
    assert_eq!(status, 422);
    assert!(pointers(&body)[0].starts_with("/rules/0/when"), "{body}");
    assert!(
        body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("weigth_g"),
        "{body}"
    );
    // Nothing was stored.
    assert_eq!(app.get("/v1/selection-rules").await.status(), 404);
    // The validate route answers the same without storing.
    let r = app
        .post(
            "/v1/selection-rules/validate",
            &json!({"rules": [{"then": {"action": "force"}}]}),
        )
        .await;
    let (status, body) = problem(r).await;
    assert_eq!(
        (status, pointers(&body)),
        (422, vec!["/rules/0/then/carrier".to_string()])
    );
    let ok: Value = app
        .post("/v1/selection-rules/validate", &prefer("delhivery"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ok["valid"], true);
    assert_eq!(app.get("/v1/selection-rules").await.status(), 404);
}

#[tokio::test]
async fn every_put_is_a_version_and_tenants_never_see_each_other() {
    let app = app().await;
    let v1 = rules(&app, prefer("delhivery")).await;
    assert_eq!(v1["version"], 1);
    let v2 = rules(
        &app,
        json!({"objective": "fastest", "rules": [{"when": {"tags_any": ["Fragile"]}, "then": {"action": "exclude", "carriers": ["shiprocket"]}}]}),
    )
    .await;
    assert_eq!(v2["version"], 2);
    let active: Value = app.get("/v1/selection-rules").await.json().await.unwrap();
    assert_eq!(active["version"], 2);
    assert_eq!(active["objective"], "fastest");
    // Stored normalised: the tag lower-cased.
    assert_eq!(active["rules"][0]["when"]["tags_any"], json!(["fragile"]));
    let old: Value = app
        .get("/v1/selection-rules/versions/1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(old["rules"][0]["then"]["carriers"], json!(["delhivery"]));
    let history: Value = app
        .get("/v1/selection-rules/versions")
        .await
        .json()
        .await
        .unwrap();
    let listed: Vec<(i64, bool)> = history["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_i64().unwrap(),
                v["active"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(listed, [(2, true), (1, false)]);
    assert_eq!(
        app.get("/v1/selection-rules/versions/3").await.status(),
        404
    );
    assert_eq!(
        app.get("/v1/selection-rules/versions/x").await.status(),
        404
    );

    // What GET returns can be PUT back as it is.
    let mut round = active.clone();
    let obj = round.as_object_mut().unwrap();
    obj.remove("version");
    obj.remove("created_at");
    let v3 = rules(&app, round).await;
    assert_eq!(
        (v3["version"].as_i64(), &v3["rules"]),
        (Some(3), &active["rules"])
    );

    // Another tenant: none of it, and its own numbering.
    let other_admin = app.key_for_tenant("acme", Role::Admin).await;
    assert_eq!(
        get_as(&app, &other_admin, "/v1/selection-rules")
            .await
            .status(),
        404
    );
    assert_eq!(
        get_as(&app, &other_admin, "/v1/selection-rules/versions/1")
            .await
            .status(),
        404
    );
    let r = put_rules(&app, &other_admin, &prefer("shiprocket")).await;
    assert_eq!(r.json::<Value>().await.unwrap()["version"], 1);
    let mine: Value = app.get("/v1/selection-rules").await.json().await.unwrap();
    assert_eq!(mine["version"], 3);

    // Writing rules needs an admin key; reading them does not.
    let writer = app.key_for_tenant("acme", Role::Write).await;
    let (status, body) = problem(put_rules(&app, &writer, &prefer("delhivery")).await).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));
    let reader = app.key_for_tenant("acme", Role::Read).await;
    let r = get_as(&app, &reader, "/v1/selection-rules").await;
    assert_eq!(r.json::<Value>().await.unwrap()["version"], 1);
}

#[tokio::test]
async fn rates_recommend_by_the_rules_and_say_why() {
    let app = app().await;
    let body = shipment_body("x", "x");
    // No rules: the cheapest quote.
    let plain = rates(&app, &body).await;
    let cheapest = &plain["quotes"][0];
    let rec = &plain["recommendation"];
    assert_eq!(
        (&rec["carrier"], &rec["service"], &rec["total"]),
        (
            &cheapest["carrier"],
            &cheapest["service"],
            &cheapest["total"]
        )
    );
    assert_eq!(rec["objective"], "cheapest");
    assert!(rec.get("rule_set_version").is_none());
    assert!(
        rec["reasons"][0]
            .as_str()
            .unwrap()
            .contains("no selection rules")
    );
    let alternatives = rec["alternatives"].as_array().unwrap();
    assert_eq!(
        alternatives.len() + 1,
        plain["quotes"].as_array().unwrap().len()
    );

    // Exclude the cheapest carrier for fragile orders only.
    let loser = cheapest["carrier"].as_str().unwrap();
    rules(
        &app,
        json!({"rules": [{"name": "no fragile", "when": {"tags_any": ["fragile"]}, "then": {"action": "exclude", "carriers": [loser]}}]}),
    )
    .await;
    let same = rates(&app, &body).await;
    assert_eq!(same["recommendation"]["carrier"], loser);
    assert_eq!(same["recommendation"]["rule_set_version"], 1);
    let mut fragile = body.clone();
    fragile["tags"] = json!(["FRAGILE"]);
    let rec = rates(&app, &fragile).await["recommendation"].clone();
    assert_eq!(rec["carrier"], other(loser));
    let reasons: Vec<&str> = rec["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        reasons[0].starts_with("rules[0] \"no fragile\" matched (tags any of [fragile])"),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("excluded by rules[0]") && r.contains(loser)),
        "{reasons:?}"
    );

    // A request's objective overrides the set's: fastest goes by estimated delivery.
    let mut fastest = body.clone();
    fastest["objective"] = json!("fastest");
    let r = rates(&app, &fastest).await;
    let quotes = r["quotes"].as_array().unwrap();
    let eta = |q: &Value| q["estimated_delivery"].as_str().map(str::to_string);
    let soonest = quotes
        .iter()
        .filter_map(eta)
        .min()
        .expect("some quote has an estimate");
    assert_eq!(eta(&r["recommendation"]).as_deref(), Some(soonest.as_str()));
    assert_eq!(r["recommendation"]["objective"], "fastest");

    // cheapest_within_promise needs a date to keep, and keeps it.
    let mut promise = body.clone();
    promise["objective"] = json!("cheapest_within_promise");
    let (status, problem_body) = problem(app.post("/v1/rates", &promise).await).await;
    assert_eq!(
        (status, pointers(&problem_body)),
        (422, vec!["/deliver_by".to_string()])
    );
    promise["deliver_by"] = json!(soonest);
    let r = rates(&app, &promise).await;
    let rec = &r["recommendation"];
    assert!(eta(rec).is_some_and(|d| d <= soonest), "{rec}");
    let cheapest_in_time = quotes
        .iter()
        .filter(|q| eta(q).is_some_and(|d| d <= soonest))
        .map(|q| q["total"]["amount"].as_i64().unwrap())
        .min()
        .unwrap();
    assert_eq!(rec["total"]["amount"].as_i64(), Some(cheapest_in_time));
    // Bad hints are validated like any field.
    let mut bad = body.clone();
    bad["deliver_by"] = json!("tomorrow");
    bad["tags"] = json!(["ok", "not ok"]);
    let (status, problem_body) = problem(app.post("/v1/rates", &bad).await).await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&problem_body), ["/tags/1", "/deliver_by"]);
    let mut auto_with_service = shipment_body("ORD-SVC", "auto");
    auto_with_service["service"] = json!("express");
    let (status, problem_body) = problem(app.post("/v1/shipments", &auto_with_service).await).await;
    assert_eq!(
        (status, pointers(&problem_body)),
        (422, vec!["/service".to_string()])
    );
}

#[tokio::test]
async fn auto_falls_back_to_the_next_carrier_when_the_first_refuses() {
    let app = app().await;
    for first in ["delhivery", "shiprocket"] {
        let second = other(first);
        rules(&app, prefer(first)).await;
        let before = (app.bookings(first), app.bookings(second));
        // The first choice refuses without booking anything.
        app.arm_fault(
            first,
            json!({"path_contains": create_path(first), "status": 400, "before_simulator": true}),
        )
        .await;
        let order = format!("ORD-FALLBACK-{first}");
        let r = app
            .post("/v1/shipments", &shipment_body(&order, "auto"))
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let s: Value = r.json().await.unwrap();
        assert_eq!(s["carrier"], second);
        assert_eq!(
            (app.bookings(first), app.bookings(second)),
            (before.0, before.1 + 1),
            "nothing at {first}, one AWB at {second}"
        );
        let selection = &s["selection"];
        let attempts: Vec<(&str, &str)> = selection["attempts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["carrier"].as_str().unwrap(),
                    a["outcome"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(attempts, [(first, "refused"), (second, "booked")]);
        assert_eq!(selection["attempts"][0]["error_class"], "rejected");
        assert!(selection["rule_set_version"].is_i64());
        assert!(
            selection["reasons"][0]
                .as_str()
                .unwrap()
                .contains("\"house carrier\" matched"),
            "{selection}"
        );
        // Kept with the shipment, and a keyless retry finds it instead of booking again.
        let id = s["id"].as_str().unwrap();
        let got: Value = app
            .get(&format!("/v1/shipments/{id}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(got["selection"], *selection);
        let again = app
            .post("/v1/shipments", &shipment_body(&order, "auto"))
            .await;
        assert_eq!(again.status(), 200);
        let again: Value = again.json().await.unwrap();
        assert_eq!(again["id"], id);
        assert_eq!(
            again["selection"], *selection,
            "the answer to a retry shows it too"
        );
        assert_eq!(app.bookings(second), before.1 + 1);
    }
}

#[tokio::test]
async fn auto_never_falls_back_after_a_timeout_whose_outcome_is_unknown() {
    let app = spawn_app_with(|c| {
        c.limits.enabled = false;
        only_carriers(c, &["delhivery", "shiprocket"]);
        c.carriers.insert(
            "delhivery".into(),
            CarrierConfig {
                timeout_ms: Some(400),
                ..Default::default()
            },
        );
    })
    .await;
    rules(&app, prefer("delhivery")).await;
    // Delhivery books the AWB but answers after the gateway stopped waiting.
    app.arm_fault(
        "delhivery",
        json!({"path_contains": "create.json", "delay_ms": 1500}),
    )
    .await;
    let body = shipment_body("ORD-AUTO-TIMEOUT", "auto");
    let r = app
        .client
        .post(app.url("/v1/shipments"))
        .bearer_auth(&app.api_key)
        .header("idempotency-key", "auto-timeout-1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202, "{}", r.text().await.unwrap());
    let s: Value = r.json().await.unwrap();
    assert_eq!(
        (s["carrier"].as_str(), s["booking_state"].as_str()),
        (Some("delhivery"), Some("pending_confirmation"))
    );
    let attempts = s["selection"]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1, "{attempts:?}");
    assert_eq!(attempts[0]["outcome"], "outcome_unknown");
    assert_eq!(attempts[0]["error_class"], "timeout");
    assert_eq!(app.bookings("shiprocket"), 0, "never booked elsewhere");
    assert_eq!(app.bookings("delhivery"), 1);

    // The same key replays the same outcome.
    let replay = app
        .client
        .post(app.url("/v1/shipments"))
        .bearer_auth(&app.api_key)
        .header("idempotency-key", "auto-timeout-1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 202);
    assert!(replay.headers().contains_key("idempotent-replayed"));
    // Without a key the same order is reconciled at Delhivery, not re-booked anywhere.
    let r = app.post("/v1/shipments", &body).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let settled: Value = r.json().await.unwrap();
    assert_eq!(settled["id"], s["id"]);
    assert_eq!(settled["booking_state"], "confirmed");
    assert_eq!(
        (app.bookings("delhivery"), app.bookings("shiprocket")),
        (1, 0)
    );
}

#[tokio::test]
async fn force_and_exhausted_candidates_do_not_book_anywhere_else() {
    let app = app().await;
    // A forced carrier that refuses: no fallback, and the order stays bookable.
    rules(
        &app,
        json!({"rules": [{"then": {"action": "force", "carrier": "delhivery"}}]}),
    )
    .await;
    app.arm_fault(
        "delhivery",
        json!({"path_contains": "create.json", "status": 400, "before_simulator": true}),
    )
    .await;
    let body = shipment_body("ORD-FORCED", "auto");
    let (status, p) = problem(app.post("/v1/shipments", &body).await).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (422, Some("carrier_rejected"))
    );
    assert_eq!(p["source"]["carrier"], "delhivery");
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("tried delhivery: rejected"),
        "{p}"
    );
    assert_eq!(
        (app.bookings("delhivery"), app.bookings("shiprocket")),
        (0, 0)
    );
    let r = app.post("/v1/shipments", &body).await;
    assert_eq!(r.status(), 201, "the refusal released the order reference");
    assert_eq!(r.json::<Value>().await.unwrap()["carrier"], "delhivery");

    // Every candidate refuses: each tried once, nothing booked.
    rules(&app, prefer("delhivery")).await;
    for carrier in ["delhivery", "shiprocket"] {
        app.arm_fault(
            carrier,
            json!({"path_contains": create_path(carrier), "status": 400, "before_simulator": true}),
        )
        .await;
    }
    let before = (app.bookings("delhivery"), app.bookings("shiprocket"));
    let (status, p) = problem(
        app.post("/v1/shipments", &shipment_body("ORD-NOBODY", "auto"))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("tried delhivery: rejected, shiprocket: rejected"),
        "{p}"
    );
    assert_eq!(
        (app.bookings("delhivery"), app.bookings("shiprocket")),
        before
    );

    // Rules that leave nothing: a 422 that says why, before any carrier is called.
    rules(
        &app,
        json!({"rules": [{"then": {"action": "allow_only", "carriers": ["ratecard"]}}]}),
    )
    .await;
    let (status, p) = problem(
        app.post("/v1/shipments", &shipment_body("ORD-NONE", "auto"))
            .await,
    )
    .await;
    assert_eq!((status, pointers(&p)), (422, vec!["/carrier".to_string()]));
    assert_eq!(p["errors"][0]["code"], "no_carrier_available");
    assert!(
        p["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("not allowed by rules[0]"),
        "{p}"
    );
}

#[tokio::test]
async fn rules_are_cached_per_process_and_other_processes_catch_up_within_the_ttl() {
    let a = app().await;
    let b = spawn_app_with(|c| {
        c.limits.enabled = false;
        only_carriers(c, &["delhivery", "shiprocket"]);
        c.database_url = a.database_url.clone();
        c.selection.cache_ttl_ms = 3_000;
    })
    .await;
    let body = shipment_body("x", "x");
    let version = |r: &Value| r["recommendation"]["rule_set_version"].as_i64();
    // B reads "no rules" once and keeps it.
    assert_eq!(version(&rates(&b, &body).await), None);
    let loaded = std::time::Instant::now();
    rules(&a, prefer("delhivery")).await;
    // The process that took the upload applies it at once…
    assert_eq!(version(&rates(&a, &body).await), Some(1));
    // …the other answers from memory until its entry expires, then reads the new version.
    let cached = version(&rates(&b, &body).await);
    if loaded.elapsed() < std::time::Duration::from_millis(2_500) {
        assert_eq!(cached, None, "served from the cache, not the database");
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if version(&rates(&b, &body).await) == Some(1) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "B never saw version 1"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // Not before the entry B loaded (just before `loaded`) expired.
    assert!(loaded.elapsed() >= std::time::Duration::from_millis(2_900));
}
