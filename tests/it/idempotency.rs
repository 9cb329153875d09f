//! Idempotency keys and unknown booking outcomes, in-process and through a real Redis
//! that the tests start (and kill) themselves.

use crate::common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::redis::RedisServer;
use common::{TestApp, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};
use shipgate::config::CarrierConfig;

fn base(config: &mut shipgate::Config) {
    config.limits.enabled = false;
}

fn bookings(apps: &[&TestApp], carrier: &str) -> usize {
    apps.iter().map(|a| a.bookings(carrier)).sum()
}

/// Fires `n` identical keyed creates at the apps, round robin, all at once.
async fn stampede(
    apps: &[&TestApp],
    n: usize,
    key: &str,
    body: &Value,
) -> BTreeMap<u16, Vec<Value>> {
    let calls = (0..n).map(|i| {
        let app = apps[i % apps.len()];
        async move {
            let r = app.post_keyed("/v1/shipments", key, body).await;
            let status = r.status().as_u16();
            let replayed = r.headers().get("idempotent-replayed").is_some();
            let mut v: Value = r.json().await.unwrap();
            v["_replayed"] = json!(replayed);
            (status, v)
        }
    });
    let mut by_status: BTreeMap<u16, Vec<Value>> = BTreeMap::new();
    for (status, v) in futures::future::join_all(calls).await {
        by_status.entry(status).or_default().push(v);
    }
    by_status
}

fn assert_one_booking(by_status: &BTreeMap<u16, Vec<Value>>, n: usize) {
    let ok = &by_status[&201];
    let ids: std::collections::BTreeSet<&str> =
        ok.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 1, "every 2xx carries the same shipment: {ids:?}");
    assert_eq!(
        ok.iter().filter(|v| v["_replayed"] == false).count(),
        1,
        "exactly one executed"
    );
    let conflicts = by_status.get(&409).map_or(0, Vec::len);
    for v in by_status.get(&409).into_iter().flatten() {
        assert_eq!(v["code"], "idempotency_key_in_flight");
    }
    assert_eq!(
        ok.len() + conflicts,
        n,
        "only 201s and 409s: {:?}",
        by_status.keys()
    );
}

#[tokio::test]
async fn concurrent_identical_creates_book_once_in_process() {
    let app = spawn_app_with(base).await;
    let body = shipment_body("ORD-STAMPEDE", "delhivery");
    let by_status = stampede(&[&app], 200, "stampede-1", &body).await;
    assert_one_booking(&by_status, 200);
    assert_eq!(app.bookings("delhivery"), 1);
    // Afterwards every retry is a replay of the first outcome.
    let r = app.post_keyed("/v1/shipments", "stampede-1", &body).await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["idempotent-replayed"], "true");
}

#[tokio::test]
async fn concurrent_identical_creates_book_once_across_two_processes() {
    let redis = RedisServer::start();
    let a = spawn_app_with(|c| {
        base(c);
        c.redis_url = Some(redis.url());
    })
    .await;
    let db = a.database_url.clone();
    let b = spawn_app_with(|c| {
        base(c);
        c.redis_url = Some(redis.url());
        c.database_url = db;
    })
    .await;
    let body = shipment_body("ORD-TWO-PROC", "shiprocket");
    let by_status = stampede(&[&a, &b], 200, "stampede-2", &body).await;
    assert_one_booking(&by_status, 200);
    assert_eq!(bookings(&[&a, &b], "shiprocket"), 1);
}

#[tokio::test]
async fn concurrent_identical_creates_book_once_across_two_processes_with_shared_limits() {
    // With limits on, a keyed write claims its key and is charged in one script: the
    // stampede guarantee must hold through that path too.
    let redis = RedisServer::start();
    let config = |c: &mut shipgate::Config| {
        c.redis_url = Some(redis.url());
        c.limits.writes = shipgate::config::Limit {
            per_second: 1000.0,
            burst: 1000,
        };
    };
    let a = spawn_app_with(config).await;
    let db = a.database_url.clone();
    let b = spawn_app_with(|c| {
        config(c);
        c.database_url = db;
    })
    .await;
    let body = shipment_body("ORD-TWO-PROC-LIMITED", "delhivery");
    let by_status = stampede(&[&a, &b], 200, "stampede-3", &body).await;
    assert_one_booking(&by_status, 200);
    assert_eq!(bookings(&[&a, &b], "delhivery"), 1);
}

#[tokio::test]
async fn key_rules() {
    let app = spawn_app_with(base).await;
    let body = shipment_body("ORD-RULES", "delhivery");
    assert_eq!(
        app.post_keyed("/v1/shipments", "k-1", &body).await.status(),
        201
    );

    // Same key, another body: 422, nothing executed.
    let mut other = body.clone();
    other["parcels"][0]["weight_g"] = json!(900);
    let (status, p) = problem(app.post_keyed("/v1/shipments", "k-1", &other).await).await;
    assert_eq!(
        (status, p["code"].as_str().unwrap()),
        (422, "idempotency_key_reused")
    );

    // Key order and whitespace do not make another body.
    let reordered: Value =
        serde_json::from_str(&serde_json::to_string_pretty(&body).unwrap()).unwrap();
    let r = app.post_keyed("/v1/shipments", "k-1", &reordered).await;
    assert_eq!(
        (
            r.status().as_u16(),
            r.headers().contains_key("idempotent-replayed")
        ),
        (201, true)
    );

    // A malformed key is refused before anything runs.
    let (status, _) = problem(
        app.post_keyed("/v1/shipments", &"x".repeat(256), &body)
            .await,
    )
    .await;
    assert_eq!(status, 400);

    // The key is scoped by route: the same key on a cancel is a different request.
    let id = app
        .post_keyed("/v1/shipments", "k-1", &body)
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post_keyed(&format!("/v1/shipments/{id}/cancel"), "k-1", &json!({}))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("idempotent-replayed").is_none());

    // Errors are outcomes too: a rejected request replays its problem.
    let mut bad = shipment_body("ORD-RULES-2", "delhivery");
    bad["to"]["postal_code"] = json!("12");
    let first = app.post_keyed("/v1/shipments", "k-bad", &bad).await;
    assert_eq!(first.status(), 422);
    let again = app.post_keyed("/v1/shipments", "k-bad", &bad).await;
    assert_eq!(
        (
            again.status().as_u16(),
            again.headers().contains_key("idempotent-replayed")
        ),
        (422, true)
    );

    // Without a key, the same order still books once: the same request gets the same
    // shipment back (200), another request a 409.
    let r = app.post("/v1/shipments", &body).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["id"], id.as_str());
    assert_eq!(app.bookings("delhivery"), 1);
}

#[tokio::test]
async fn replay_survives_a_gateway_restart_with_redis() {
    let redis = RedisServer::start();
    // The database outlives the first process (a TestApp deletes its own on drop).
    let dir = tempfile::tempdir().unwrap();
    let db = common::database_url(&dir).await;
    let first = spawn_app_with(|c| {
        base(c);
        c.redis_url = Some(redis.url());
        c.database_url = db.clone();
    })
    .await;
    let body = shipment_body("ORD-RESTART", "delhivery");
    let created: Value = first
        .post_keyed("/v1/shipments", "restart-1", &body)
        .await
        .json()
        .await
        .unwrap();
    drop(first);

    let second = spawn_app_with(|c| {
        base(c);
        c.redis_url = Some(redis.url());
        c.database_url = db;
    })
    .await;
    let r = second.post_keyed("/v1/shipments", "restart-1", &body).await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["idempotent-replayed"], "true");
    assert_eq!(r.json::<Value>().await.unwrap()["id"], created["id"]);
    assert_eq!(
        second.bookings("delhivery"),
        0,
        "the restarted process booked nothing"
    );
}

/// The carrier books the AWB but answers after the gateway's timeout.
async fn lost_answer(carrier: &str, path: &str) {
    let app = spawn_app_with(|c| {
        base(c);
        c.carriers.insert(
            carrier.into(),
            CarrierConfig {
                timeout_ms: Some(400),
                ..Default::default()
            },
        );
    })
    .await;
    app.arm_fault(carrier, json!({"path_contains": path, "delay_ms": 1500}))
        .await;

    let body = shipment_body(&format!("ORD-LOST-{carrier}"), carrier);
    let r = app.post_keyed("/v1/shipments", "lost-1", &body).await;
    assert_eq!(r.status(), 202, "{}", r.text().await.unwrap());
    let pending: Value = r.json().await.unwrap();
    assert_eq!(pending["booking_state"], "pending_confirmation");
    let id = pending["id"].as_str().unwrap().to_string();
    assert_eq!(app.bookings(carrier), 1, "the carrier did book it");

    // Retry with the same key: the first outcome again.
    let r = app.post_keyed("/v1/shipments", "lost-1", &body).await;
    assert_eq!(
        (
            r.status().as_u16(),
            r.headers().contains_key("idempotent-replayed")
        ),
        (202, true)
    );

    // Retry without a key, same order: reconciled by lookup, not re-booked.
    let r = app.post("/v1/shipments", &body).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let settled: Value = r.json().await.unwrap();
    assert_eq!(settled["id"], id.as_str());
    assert_eq!(settled["booking_state"], "confirmed");
    let awb = settled["awb"].as_str().unwrap().to_string();
    assert_eq!(app.bookings(carrier), 1, "still one AWB at the carrier");

    let shipment: Value = app
        .get(&format!("/v1/shipments/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (shipment["booking_state"].as_str(), shipment["awb"].as_str()),
        (Some("confirmed"), Some(awb.as_str()))
    );
    // And the label works for the reconciled booking.
    assert_eq!(
        app.get(&format!("/v1/shipments/{id}/label")).await.status(),
        200
    );
}

#[tokio::test]
async fn delhivery_answer_lost_after_booking_is_reconciled_not_rebooked() {
    lost_answer("delhivery", "create.json").await;
}

#[tokio::test]
async fn shiprocket_answer_lost_after_awb_is_reconciled_not_rebooked() {
    lost_answer("shiprocket", "assign/awb").await;
}

/// The client gives up while the carrier is still answering. The booking is finished and
/// stored all the same: a keyed retry is a replay (not a 409 for as long as the key's
/// in-flight marker lives), and an unkeyed booking does not stay `booking` until the
/// reconciler takes it.
#[tokio::test]
async fn a_client_that_hangs_up_mid_booking_does_not_cut_it_short() {
    let app = spawn_app_with(base).await;
    app.arm_fault(
        "delhivery",
        json!({"path_contains": "create.json", "delay_ms": 700, "times": 2}),
    )
    .await;
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let keyed = shipment_body("ORD-HANGUP-KEYED", "delhivery");
    let unkeyed = shipment_body("ORD-HANGUP-PLAIN", "delhivery");
    for (body, key) in [(&keyed, Some("hangup-1")), (&unkeyed, None)] {
        let mut request = impatient
            .post(app.url("/v1/shipments"))
            .bearer_auth(&app.api_key)
            .json(body);
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        let sent = request.send().await;
        assert!(
            sent.as_ref().is_err_and(|e| e.is_timeout()),
            "the client was meant to give up first: {sent:?}"
        );
    }

    // Until the booking is finished the retry is told to wait; then it is a replay.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let replay = loop {
        let r = app.post_keyed("/v1/shipments", "hangup-1", &keyed).await;
        if r.status() != 409 || std::time::Instant::now() > deadline {
            break r;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(replay.status(), 201, "{}", replay.text().await.unwrap());
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let replay: Value = replay.json().await.unwrap();
    assert_eq!(replay["booking_state"], "confirmed");

    let plain = loop {
        let page: Value = app
            .get("/v1/shipments?order_ref=ORD-HANGUP-PLAIN")
            .await
            .json()
            .await
            .unwrap();
        let state = page["data"][0]["booking_state"].clone();
        if state == "confirmed" || std::time::Instant::now() > deadline {
            break page["data"][0].clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(plain["booking_state"], "confirmed", "{plain}");
    assert!(plain["awb"].is_string());
    assert_eq!(app.bookings("delhivery"), 2, "each order booked once");
}

#[tokio::test]
async fn background_reconciler_settles_pending_bookings() {
    let app = spawn_app_with(|c| {
        base(c);
        c.carriers.insert(
            "delhivery".into(),
            CarrierConfig {
                timeout_ms: Some(400),
                ..Default::default()
            },
        );
    })
    .await;
    app.arm_fault(
        "delhivery",
        json!({"path_contains": "create.json", "status": 502}),
    )
    .await;
    let r = app
        .post("/v1/shipments", &shipment_body("ORD-BG", "delhivery"))
        .await;
    assert_eq!(r.status(), 202);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Without anyone asking, the reconciler confirms it within a few ticks.
    let demo = app.state.store.find_tenant("demo").await.unwrap().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let s = app
            .state
            .store
            .get_shipment(&demo.id, &id)
            .await
            .unwrap()
            .unwrap();
        if s.booking_state == shipgate::store::BookingState::Confirmed {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not reconciled: {:?}",
            s.booking_state
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(app.bookings("delhivery"), 1);
}

#[tokio::test]
async fn redis_outage_fails_keyed_writes_closed_and_reads_open() {
    let mut redis = RedisServer::start();
    let app = spawn_app_with(|c| {
        base(c);
        c.redis_url = Some(redis.url());
    })
    .await;
    let created: Value = app
        .post_keyed(
            "/v1/shipments",
            "outage-0",
            &shipment_body("ORD-OUT-0", "delhivery"),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    redis.kill();
    let body = shipment_body("ORD-OUT-1", "delhivery");
    let (status, p) = problem(app.post_keyed("/v1/shipments", "outage-1", &body).await).await;
    assert_eq!((status, p["code"].as_str().unwrap()), (503, "unavailable"));
    // Reads keep working; readiness says why it is not ready.
    let got = app.get(&format!("/v1/shipments/{id}")).await;
    assert_eq!(got.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    assert_eq!(ready.json::<Value>().await.unwrap()["redis"], "unreachable");
    assert_eq!(
        app.bookings("delhivery"),
        1,
        "the refused request was not executed"
    );

    // Redis comes back: keyed writes work again, and the retried request books once.
    redis.restart();
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let status = loop {
        let r = app.post_keyed("/v1/shipments", "outage-1", &body).await;
        if r.status() != 503 || std::time::Instant::now() > deadline {
            break r.status().as_u16();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(status, 201);
    assert_eq!(
        app.post_keyed("/v1/shipments", "outage-1", &body)
            .await
            .status(),
        201
    );
    assert_eq!(app.bookings("delhivery"), 2);
    assert_eq!(
        app.client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

/// The query string is part of the request a key stands for: a carrier file sent again
/// under its key with another `?layout=` is another request (422), not a replay of the
/// first answer; the same query is a replay.
#[tokio::test]
async fn the_query_string_is_part_of_the_keyed_request() {
    let app = spawn_app_with(base).await;
    let import = |query: &'static str| {
        app.client
            .post(app.url(&format!("/v1/carrier-charges{query}")))
            .bearer_auth(&app.api_key)
            .header("idempotency-key", "file-1")
            .header("content-type", "text/csv")
            .body("carrier,awb,charged_weight_g\ndelhivery,NOSUCHAWB,500\n")
            .send()
    };
    let first = import("?layout=generic").await.unwrap();
    assert_eq!(first.status(), 201);
    let again = import("?layout=generic").await.unwrap();
    assert_eq!(
        (
            again.status().as_u16(),
            again.headers().contains_key("idempotent-replayed")
        ),
        (201, true)
    );
    let (status, p) = problem(import("?layout=delhivery").await.unwrap()).await;
    assert_eq!(
        (status, p["code"].as_str().unwrap()),
        (422, "idempotency_key_reused")
    );
}
