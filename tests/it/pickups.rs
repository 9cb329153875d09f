//! Pickup locations, pickups and manifests over HTTP (issue 17), on SQLite and
//! PostgreSQL, against both simulators. A location is registered with both sandbox
//! accounts; a pickup's shipments bound for a PIN code ending `95` are not picked up at
//! the first visit (the simulators' "not picked" scan), which the pickup then shows.

use crate::common;

use std::time::{Duration, Instant};

use common::receiver::Receiver;
use common::{TestApp, json_of, pointers, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};
use shipgate::store::Role;

const CARRIERS: [&str; 2] = ["delhivery", "shiprocket"];

async fn app() -> TestApp {
    spawn_app_with(|c| {
        c.pickups.settle_every_ms = 50;
        // Polls would reveal scans on their own; these tests reveal them by tracking.
        c.polling.enabled = false;
    })
    .await
}

/// The warehouse of [`shipment_body`]'s `from`.
fn location_body(name: &str) -> Value {
    let mut from = shipment_body("x", "x")["from"].clone();
    from["email"] = json!("ops@example.com");
    json!({"name": name, "address": from, "working_hours": {"from": "09:30", "to": "18:00"}})
}

async fn create_location(app: &TestApp, name: &str) -> Value {
    json_of(
        app.post_keyed(
            "/v1/pickup-locations",
            &format!("loc-{name}"),
            &location_body(name),
        )
        .await,
        201,
    )
    .await
}

fn tomorrow() -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(330) + chrono::Duration::days(1))
        .date_naive()
        .to_string()
}

async fn book(app: &TestApp, carrier: &str, order_ref: &str, pin: &str, cod: Option<i64>) -> Value {
    let mut body = shipment_body(order_ref, carrier);
    body["to"]["postal_code"] = json!(pin);
    if let Some(paise) = cod {
        body["payment"] =
            json!({"mode": "cod", "cod_amount": {"amount": paise, "currency": "INR"}});
    }
    json_of(app.post_keyed("/v1/shipments", order_ref, &body).await, 201).await
}

/// Tracks (each call reveals the simulator's next scan) until `sub_status` shows.
async fn track_until(app: &TestApp, id: &str, sub_status: &str) {
    for _ in 0..30 {
        let t = json_of(app.get(&format!("/v1/shipments/{id}/tracking")).await, 200).await;
        if t["sub_status"] == sub_status
            || t["events"]
                .as_array()
                .is_some_and(|e| e.iter().any(|e| e["sub_status"] == sub_status))
        {
            return;
        }
    }
    panic!("shipment {id} never showed {sub_status}");
}

/// Polls the pickup until `state` (up to 15 s).
async fn pickup_becomes(app: &TestApp, id: &str, state: &str) -> Value {
    let until = Instant::now() + Duration::from_secs(15);
    loop {
        let p = json_of(app.get(&format!("/v1/pickups/{id}")).await, 200).await;
        if p["state"] == state {
            return p;
        }
        assert!(Instant::now() < until, "pickup never became {state}: {p}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn a_location_is_registered_with_every_pickup_account_once() {
    let app = app().await;
    let location = create_location(&app, "Okhla WH-1").await;
    let id = location["id"].as_str().unwrap();
    let regs = location["registrations"].as_array().unwrap();
    for carrier in CARRIERS {
        let reg = regs
            .iter()
            .find(|r| r["carrier"] == carrier)
            .unwrap_or_else(|| panic!("{carrier}: {location}"));
        assert_eq!(reg["state"], "registered", "{carrier}: {reg}");
        assert_eq!(reg["carrier_name"], "Okhla WH-1");
        assert_eq!(reg["carrier_active"], true);
    }
    assert!(
        regs.iter()
            .any(|r| r["carrier"] == "shiprocket" && r["carrier_id"].is_string())
    );
    assert_eq!(
        location["working_hours"],
        json!({"from": "09:30", "to": "18:00"})
    );

    // A replay answers the same, and registers nothing again.
    let replay = json_of(
        app.post_keyed(
            "/v1/pickup-locations",
            "loc-Okhla WH-1",
            &location_body("Okhla WH-1"),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(replay["id"], location["id"]);
    // The same name under another key is a conflict.
    let (status, body) = problem(
        app.post_keyed(
            "/v1/pickup-locations",
            "other",
            &location_body("Okhla WH-1"),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("pickup_location_exists"))
    );

    // Read back, listed, audited.
    let got = json_of(app.get(&format!("/v1/pickup-locations/{id}")).await, 200).await;
    assert_eq!(got["registrations"], location["registrations"]);
    let list = json_of(app.get("/v1/pickup-locations").await, 200).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let trail = json_of(
        app.get("/v1/audit-events?action=pickup_location.created")
            .await,
        200,
    )
    .await;
    assert_eq!(trail["data"][0]["target"]["id"], id);

    // Registering again asks no carrier: every account has it.
    let again = json_of(
        app.post(&format!("/v1/pickup-locations/{id}/register"), &json!({}))
            .await,
        200,
    )
    .await;
    assert!(
        again["registrations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["attempts"] == 1),
        "{again}"
    );

    // A carrier's refusal is kept per account: the sandboxes refuse a name they have.
    let location2 = create_location(&app, "SHIPGATE SANDBOX WAREHOUSE").await;
    let delhivery = location2["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["carrier"] == "delhivery")
        .unwrap()
        .clone();
    assert_eq!(delhivery["state"], "failed", "{location2}");
    assert!(
        delhivery["carrier_message"]
            .as_str()
            .unwrap()
            .contains("already exists"),
        "{delhivery}"
    );

    // Deactivated: it goes on showing, and its name is free.
    let off = json_of(
        app.post(&format!("/v1/pickup-locations/{id}/deactivate"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(off["active"], false);
    create_location(&app, "Okhla WH-1-again").await;
}

#[tokio::test]
async fn bad_locations_are_refused_at_their_pointers_and_roles_hold() {
    let app = app().await;
    let mut body = location_body("ok");
    body["name"] = json!("bad/name!");
    body["address"]["phone"] = json!("12345");
    body["working_hours"] = json!({"from": "18:00", "to": "09:00"});
    body["address"].as_object_mut().unwrap().remove("email");
    let (status, p) = problem(app.post_keyed("/v1/pickup-locations", "bad", &body).await).await;
    assert_eq!(status, 422);
    let at = pointers(&p);
    for pointer in [
        "/name",
        "/address/phone",
        "/address/email",
        "/working_hours/to",
    ] {
        assert!(at.contains(&pointer.to_string()), "{pointer} not in {at:?}");
    }
    let (_, p) = problem(
        app.post_keyed("/v1/pickup-locations", "none", &json!({}))
            .await,
    )
    .await;
    assert_eq!(pointers(&p), ["/name", "/address"]);

    let write = app.key_for_tenant("demo", Role::Write).await;
    let r = app
        .client
        .post(app.url("/v1/pickup-locations"))
        .bearer_auth(&write)
        .header("idempotency-key", "w")
        .json(&location_body("W"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Another tenant sees none of them.
    create_location(&app, "Mine").await;
    let other = app.key_for_tenant("other", Role::Admin).await;
    let r = app
        .client
        .get(app.url("/v1/pickup-locations"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    let list: Value = r.json().await.unwrap();
    assert_eq!(list["data"], json!([]));
}

async fn pickup(app: &TestApp, key: &str, body: &Value) -> reqwest::Response {
    app.post_keyed("/v1/pickups", key, body).await
}

#[tokio::test]
async fn a_pickup_is_scheduled_and_tracking_shows_what_was_not_picked_up() {
    for carrier in CARRIERS {
        let app = app().await;
        let receiver = Receiver::subscribed(&app, &["pickup.scheduled", "pickup.failed"]).await;
        let location = create_location(&app, "Okhla").await;
        let picked = book(&app, carrier, &format!("PU-OK-{carrier}"), "560001", None).await;
        let missed = book(
            &app,
            carrier,
            &format!("PU-MISS-{carrier}"),
            "560095",
            Some(120_000),
        )
        .await;
        let body = json!({
            "pickup_location": location["id"], "carrier_account": carrier, "date": tomorrow(),
            "window": {"from": "10:00", "to": "13:00"}, "shipments": [picked["id"], missed["id"]],
        });
        let p = json_of(pickup(&app, "pu-1", &body).await, 201).await;
        assert_eq!(p["state"], "scheduled", "{carrier}: {p}");
        assert!(
            p["carrier_pickup_id"]
                .as_str()
                .is_some_and(|s| !s.is_empty()),
            "{p}"
        );
        assert_eq!(p["packages"], 2);
        assert_eq!(p["shipments"][0]["outcome"], "pending");
        let id = p["id"].as_str().unwrap();
        let scheduled = receiver
            .wait_for(Duration::from_secs(15), "pickup.scheduled", |r| {
                !r.is_empty()
            })
            .await;
        assert_eq!(scheduled[0].event_type(), "pickup.scheduled");
        assert_eq!(scheduled[0].body["data"]["pickup"]["id"], id);

        // A replay answers the same; another request for the day, or for a shipment, is refused.
        let replay = json_of(pickup(&app, "pu-1", &body).await, 201).await;
        assert_eq!(replay["id"], p["id"]);
        let (status, problem_body) = problem(pickup(&app, "pu-2", &body).await).await;
        assert_eq!(
            (status, problem_body["code"].as_str()),
            (409, Some("pickup_exists")),
            "{problem_body}"
        );

        track_until(&app, picked["id"].as_str().unwrap(), "picked_up").await;
        track_until(
            &app,
            missed["id"].as_str().unwrap(),
            if carrier == "delhivery" {
                "pickup_rescheduled"
            } else {
                "pickup_failed"
            },
        )
        .await;
        let settled = pickup_becomes(&app, id, "partially_failed").await;
        let outcome = |sid: &Value| {
            settled["shipments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["shipment_id"] == *sid)
                .unwrap()
                .clone()
        };
        assert_eq!(outcome(&picked["id"])["outcome"], "picked_up", "{settled}");
        let missed_outcome = outcome(&missed["id"]);
        assert_eq!(missed_outcome["outcome"], "not_picked", "{settled}");
        assert!(
            missed_outcome["outcome_text"].as_str().is_some(),
            "{missed_outcome}"
        );
        let failed = receiver
            .wait_for(Duration::from_secs(15), "pickup.failed", |r| r.len() >= 2)
            .await;
        assert_eq!(failed[1].event_type(), "pickup.failed");
        assert_eq!(
            failed[1].body["data"]["pickup"]["state"],
            "partially_failed"
        );

        // Listed and filtered; audited.
        let list = json_of(
            app.get(&format!(
                "/v1/pickups?state=partially_failed&carrier_account={carrier}"
            ))
            .await,
            200,
        )
        .await;
        assert_eq!(list["data"][0]["id"], id);
        let none = json_of(app.get("/v1/pickups?state=scheduled").await, 200).await;
        assert_eq!(none["data"], json!([]));
        let trail = json_of(
            app.get("/v1/audit-events?action=pickup.requested").await,
            200,
        )
        .await;
        assert_eq!(trail["data"][0]["target"]["id"], id);
        // The missed parcel is picked up at the next visit: it goes on as before.
        track_until(&app, missed["id"].as_str().unwrap(), "picked_up").await;
    }
}

#[tokio::test]
async fn a_lost_answer_never_asks_the_carrier_for_a_second_pickup() {
    for (carrier, path) in [
        ("delhivery", "fm/request"),
        ("shiprocket", "generate/pickup"),
    ] {
        let app = app().await;
        let location = create_location(&app, "Okhla").await;
        let s = book(&app, carrier, &format!("PU-LOST-{carrier}"), "560001", None).await;
        // The carrier schedules it; its answer is lost.
        app.arm_fault(carrier, json!({"path_contains": path, "status": 503}))
            .await;
        let body = json!({"pickup_location": location["id"], "carrier_account": carrier, "date": tomorrow(), "shipments": [s["id"]]});
        let p = json_of(pickup(&app, "lost-1", &body).await, 201).await;
        assert_eq!(p["state"], "requested", "{carrier}: {p}");
        // Any further pickup call would meet this fault.
        app.arm_fault(
            carrier,
            json!({"path_contains": path, "status": 500, "before_simulator": true}),
        )
        .await;
        let replay = json_of(pickup(&app, "lost-1", &body).await, 201).await;
        assert_eq!(replay["id"], p["id"]);
        let (status, body2) = problem(pickup(&app, "lost-2", &body).await).await;
        assert_eq!(
            (status, body2["code"].as_str()),
            (409, Some("pickup_exists"))
        );
        let mut other_day = body.clone();
        other_day["date"] = json!(
            (chrono::Utc::now() + chrono::Duration::minutes(330) + chrono::Duration::days(2))
                .date_naive()
                .to_string()
        );
        let (status, body3) = problem(pickup(&app, "lost-3", &other_day).await).await;
        assert_eq!(
            (status, body3["code"].as_str()),
            (409, Some("shipment_in_pickup")),
            "{body3}"
        );
        assert_eq!(
            app.faults_waiting(carrier).await,
            1,
            "{carrier}: the carrier was asked again"
        );

        // Cancelled in shipgate (neither carrier has a cancel call): the shipment is free again.
        let cancelled = json_of(
            app.post_keyed(
                &format!("/v1/pickups/{}/cancel", p["id"].as_str().unwrap()),
                "c1",
                &json!({}),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(cancelled["state"], "cancelled");
        let (status, again) = problem(
            app.post_keyed(
                &format!("/v1/pickups/{}/cancel", p["id"].as_str().unwrap()),
                "c2",
                &json!({}),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, again["code"].as_str()),
            (409, Some("pickup_not_cancellable"))
        );
        assert!(
            cancelled["carrier_message"]
                .as_str()
                .unwrap()
                .contains("support"),
            "{cancelled}"
        );

        // The fault armed above takes the next call: no answer, so `requested` again.
        let fresh = json_of(pickup(&app, "lost-4", &body).await, 201).await;
        assert_eq!(fresh["state"], "requested", "{fresh}");
        let fresh_cancel = format!("/v1/pickups/{}/cancel", fresh["id"].as_str().unwrap());
        json_of(app.post_keyed(&fresh_cancel, "c3", &json!({})).await, 200).await;
        // Refused by the carrier: `rejected`, and the shipment may be asked for again.
        app.arm_fault(
            carrier,
            json!({"path_contains": path, "status": 400, "before_simulator": true}),
        )
        .await;
        let rejected = json_of(pickup(&app, "lost-5", &body).await, 201).await;
        assert_eq!(rejected["state"], "rejected", "{rejected}");
        assert!(rejected["carrier_message"].as_str().is_some(), "{rejected}");
        let scheduled = json_of(pickup(&app, "lost-6", &body).await, 201).await;
        assert_eq!(scheduled["state"], "scheduled", "{scheduled}");
    }
}

#[tokio::test]
async fn bad_pickups_are_refused_at_their_pointers() {
    let app = app().await;
    let location = create_location(&app, "Okhla").await;
    let d = book(&app, "delhivery", "PU-BAD-D", "560001", None).await;
    let s = book(&app, "shiprocket", "PU-BAD-S", "560001", None).await;
    let mut elsewhere = shipment_body("PU-BAD-ELSEWHERE", "delhivery");
    elsewhere["from"]["postal_code"] = json!("400001");
    elsewhere["from"]["city"] = json!("Mumbai");
    elsewhere["from"]["state"] = json!("Maharashtra");
    let elsewhere = json_of(
        app.post_keyed("/v1/shipments", "PU-BAD-ELSEWHERE", &elsewhere)
            .await,
        201,
    )
    .await;
    let gone = book(&app, "delhivery", "PU-BAD-GONE", "560001", None).await;
    track_until(&app, gone["id"].as_str().unwrap(), "picked_up").await;

    let body = json!({
        "pickup_location": location["id"], "carrier_account": "delhivery", "date": "2020-01-01",
        "window": {"from": "13:00", "to": "10:00"}, "shipments": [d["id"]],
    });
    let (status, p) = problem(pickup(&app, "b1", &body).await).await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&p), ["/date", "/window/to"], "{p}");
    assert_eq!(p["errors"][0]["code"], "date_in_past");
    assert_eq!(p["errors"][1]["code"], "window_inverted");

    let ok = |extra: Value| {
        let mut b = json!({"pickup_location": location["id"], "carrier_account": "delhivery", "date": tomorrow()});
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        b
    };
    let (_, p) = problem(
        pickup(
            &app,
            "b2",
            &ok(json!({"pickup_location": "pl_nope", "shipments": [d["id"]]})),
        )
        .await,
    )
    .await;
    assert_eq!(
        (pointers(&p), p["errors"][0]["code"].clone()),
        (
            vec!["/pickup_location".to_string()],
            json!("unknown_pickup_location")
        )
    );
    let (_, p) = problem(
        pickup(
            &app,
            "b3",
            &ok(json!({"shipments": [s["id"], elsewhere["id"], gone["id"], "shp_nope"]})),
        )
        .await,
    )
    .await;
    let codes: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers(&p),
        [
            "/shipments/0",
            "/shipments/1",
            "/shipments/2",
            "/shipments/3"
        ],
        "{p}"
    );
    assert_eq!(
        codes,
        [
            "other_carrier_account",
            "other_pickup_location",
            "already_picked_up",
            "unknown_shipment"
        ]
    );
    let (_, p) = problem(pickup(&app, "b4", &ok(json!({}))).await).await;
    assert_eq!(pointers(&p), ["/shipments"]);
    let (_, p) = problem(
        pickup(
            &app,
            "b5",
            &ok(json!({"window": {"from": "07:00", "to": "09:00"}, "packages": 3})),
        )
        .await,
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "outside_working_hours", "{p}");
    // By count, for Delhivery.
    let by_count = json_of(pickup(&app, "b6", &ok(json!({"packages": 3}))).await, 201).await;
    assert_eq!(
        (by_count["state"].as_str(), by_count["packages"].as_i64()),
        (Some("scheduled"), Some(3))
    );
    // A read key may not ask.
    let read = app.key_for_tenant("demo", Role::Read).await;
    let r = app
        .client
        .post(app.url("/v1/pickups"))
        .bearer_auth(&read)
        .header("idempotency-key", "r")
        .json(&ok(json!({"packages": 1})))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn a_shipment_cancelled_before_pickup_counts_for_neither() {
    let app = app().await;
    let location = create_location(&app, "Okhla").await;
    let kept = book(&app, "delhivery", "PU-KEPT", "560001", None).await;
    let dropped = book(&app, "delhivery", "PU-DROPPED", "560001", None).await;
    let body = json!({"pickup_location": location["id"], "carrier_account": "delhivery", "date": tomorrow(), "shipments": [kept["id"], dropped["id"]]});
    let p = json_of(pickup(&app, "pu-c", &body).await, 201).await;
    let dropped_id = dropped["id"].as_str().unwrap();
    json_of(
        app.post(&format!("/v1/shipments/{dropped_id}/cancel"), &json!({}))
            .await,
        200,
    )
    .await;
    track_until(&app, dropped_id, "cancelled").await;
    track_until(&app, kept["id"].as_str().unwrap(), "picked_up").await;
    let settled = pickup_becomes(&app, p["id"].as_str().unwrap(), "completed").await;
    let outcomes: Vec<&str> = settled["shipments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["picked_up", "cancelled"], "{settled}");
}

/// A warehouse outside India is kept (carriers of other countries collect there), and a
/// carrier that collects only within India says so in its registration without being
/// asked.
#[tokio::test]
async fn a_location_abroad_is_refused_by_carriers_that_collect_only_at_home() {
    let app = app().await;
    let (mut from, _) = common::people_in("US");
    from["email"] = json!("us-ops@example.com");
    let r = app
        .post_keyed(
            "/v1/pickup-locations",
            "loc-us",
            &json!({"name": "NYC WH", "address": from}),
        )
        .await;
    let location = json_of(r, 201).await;
    assert_eq!(location["address"]["country"], "US", "{location}");
    for carrier in ["delhivery", "shiprocket"] {
        let reg = location["registrations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["carrier"] == carrier)
            .unwrap_or_else(|| panic!("{carrier}: {location}"));
        assert_eq!(reg["state"], "failed", "{reg}");
        assert!(
            reg["carrier_message"]
                .as_str()
                .unwrap()
                .ends_with("collects only within IN"),
            "{reg}"
        );
    }
    assert_eq!(app.bookings("delhivery") + app.bookings("shiprocket"), 0);
}
