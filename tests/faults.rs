//! Fault injection: carriers that hang, reset connections, answer slowly, answer 5xx, HTML
//! or truncated JSON, or flap; Redis and PostgreSQL stopped and restarted under load; the
//! gateway killed with SIGKILL and restarted.
//!
//! Each test checks the gateway's promises rather than one status code: no panic, a clear
//! problem+json error (never the carrier's raw body), no order with two AWBs at the
//! carrier, no answered write lost, and recovery without anyone stepping in. Carrier
//! timeouts are short (config), so the whole file runs in well under a minute.

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant};

use common::fault_carrier::{Behaviour, FaultCarrier, MARKER};
use common::{TestApp, problem, shipment_body, spawn_app_with};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shipgate::config::{CarrierConfig, Config};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// Counts panics anywhere in this test process (the in-process gateway's tasks included),
/// still printing them as usual.
fn watch_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            default(info);
        }));
    });
}

fn assert_no_panic() {
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "something panicked");
}

/// Delhivery pointed at `carrier` with a short timeout; a circuit that never opens, so
/// every request really reaches the fault; no limits and no rate cache in the way.
fn faulty(config: &mut Config, carrier: &FaultCarrier, timeout_ms: u64) {
    config.limits.enabled = false;
    config.rates.cache_ttl_ms = 0;
    config.rates.serviceability_ttl_secs = 0;
    config.rates.deadline_ms = 1_500;
    config.carriers.insert(
        "delhivery".into(),
        CarrierConfig {
            base_url: Some(carrier.url().into()),
            timeout_ms: Some(timeout_ms),
            breaker_threshold: Some(1_000_000),
            ..Default::default()
        },
    );
}

/// A Delhivery shipment for `order_ref`, which the fault carrier sees as its `tag`.
fn tagged(order_ref: &str) -> Value {
    let mut body = shipment_body(order_ref, "delhivery");
    body["parcels"][0]["description"] = json!(order_ref);
    body
}

async fn keyed(app: &TestApp, path: &str, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(&app.api_key)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .expect("the gateway answers")
}

/// The carrier's raw answer must never reach a client.
fn assert_no_leak(text: &str) {
    for raw in [
        MARKER,
        "<html",
        "body starts with",
        "charge_DL",
        "delivery_codes",
    ] {
        assert!(
            !text.contains(raw),
            "raw carrier body leaked ({raw}): {text}"
        );
    }
}

fn one_awb_per_order(carrier: &FaultCarrier) {
    for (tag, awbs) in carrier.awbs_by_tag() {
        assert_eq!(awbs.len(), 1, "order {tag} got several AWBs: {awbs:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Carriers
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn rates_fan_out_reports_a_broken_carrier_clearly_without_its_body() {
    watch_panics();
    let carrier = FaultCarrier::start().await;
    let app = spawn_app_with(|c| faulty(c, &carrier, 300)).await;
    let mut rate = shipment_body("x", "x");
    rate.as_object_mut().unwrap().remove("carrier");

    let cases = [
        (Behaviour::Hang, "timeout"),
        (
            Behaviour::Reset {
                after_booking: false,
            },
            "upstream",
        ),
        (Behaviour::Slow(Duration::from_secs(2)), "timeout"),
        (
            Behaviour::Status {
                status: 500,
                after_booking: false,
            },
            "upstream",
        ),
        (
            Behaviour::Html {
                status: 502,
                after_booking: false,
            },
            "upstream",
        ),
        (
            Behaviour::Html {
                status: 200,
                after_booking: false,
            },
            "bad_response",
        ),
        (Behaviour::Truncated, "bad_response"),
    ];
    for (behaviour, code) in cases {
        carrier.set(behaviour.clone());
        let r = app.post("/v1/rates", &rate).await;
        assert_eq!(r.status(), 200, "{behaviour:?}");
        let text = r.text().await.unwrap();
        assert_no_leak(&text);
        let body: Value = serde_json::from_str(&text).unwrap();
        let quotes = body["quotes"].as_array().unwrap();
        assert!(
            quotes.iter().any(|q| q["carrier"] == "shiprocket"),
            "the healthy carrier still quotes ({behaviour:?}): {body}"
        );
        assert!(
            quotes.iter().all(|q| q["carrier"] != "delhivery"),
            "{behaviour:?}: {body}"
        );
        let errors: Vec<&Value> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["carrier"] == "delhivery")
            .collect();
        assert_eq!(errors.len(), 1, "{behaviour:?}: {body}");
        assert_eq!(errors[0]["code"], code, "{behaviour:?}: {body}");
        assert!(
            !errors[0]["detail"].as_str().unwrap().is_empty(),
            "{behaviour:?}: {body}"
        );
    }

    // Flapping: every answer is either a quote or a clean error, never anything else.
    carrier.set(Behaviour::Flapping(Box::new(Behaviour::Html {
        status: 503,
        after_booking: false,
    })));
    let mut outcomes = BTreeSet::new();
    for _ in 0..6 {
        let r = app.post("/v1/rates", &rate).await;
        assert_eq!(r.status(), 200);
        let text = r.text().await.unwrap();
        assert_no_leak(&text);
        let body: Value = serde_json::from_str(&text).unwrap();
        let quoted = body["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["carrier"] == "delhivery");
        let failed = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["carrier"] == "delhivery")
            .map(|e| e["code"].as_str().unwrap().to_string());
        assert!(quoted != failed.is_some(), "{body}");
        outcomes.insert(failed.unwrap_or_else(|| "quoted".into()));
    }
    assert!(outcomes.contains("upstream"), "{outcomes:?}");

    // Recovered: Delhivery quotes again.
    carrier.set(Behaviour::Normal);
    let body: Value = app.post("/v1/rates", &rate).await.json().await.unwrap();
    assert!(
        body["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["carrier"] == "delhivery"),
        "{body}"
    );
    assert_no_panic();
}

/// Faults on the create call that may or may not have booked: each answer is 202
/// `pending_confirmation`, a keyed retry replays it, and once the carrier is back the
/// booking is settled with exactly one AWB.
#[tokio::test]
async fn create_faults_keep_the_booking_pending_and_never_book_twice() {
    watch_panics();
    let carrier = FaultCarrier::start().await;
    let app = spawn_app_with(|c| faulty(c, &carrier, 300)).await;
    let cases = [
        Behaviour::Hang,
        Behaviour::Reset {
            after_booking: false,
        },
        Behaviour::Reset {
            after_booking: true,
        },
        Behaviour::Slow(Duration::from_millis(1_000)),
        Behaviour::Status {
            status: 500,
            after_booking: false,
        },
        Behaviour::Html {
            status: 502,
            after_booking: true,
        },
        Behaviour::Html {
            status: 200,
            after_booking: true,
        },
        Behaviour::Truncated,
    ];
    for (i, behaviour) in cases.into_iter().enumerate() {
        let order = format!("ORD-CREATE-{i}");
        let body = tagged(&order);
        carrier.set_for("create.json", behaviour.clone());
        let r = keyed(&app, "/v1/shipments", &format!("create-{i}"), &body).await;
        assert_eq!(r.status(), 202, "{behaviour:?}");
        let text = r.text().await.unwrap();
        assert_no_leak(&text);
        let pending: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            pending["booking_state"], "pending_confirmation",
            "{pending}"
        );
        let id = pending["id"].as_str().unwrap().to_string();

        // The same key: the first outcome, not a second call.
        let creates = |c: &FaultCarrier| {
            c.requests()
                .iter()
                .filter(|(_, p)| p.contains("create.json"))
                .count()
        };
        let before = creates(&carrier);
        let r = keyed(&app, "/v1/shipments", &format!("create-{i}"), &body).await;
        assert_eq!(r.status(), 202);
        assert_eq!(r.headers()["idempotent-replayed"], "true");
        assert_eq!(creates(&carrier), before, "a replay reaches no carrier");

        // The carrier is back; a retry under a new key is settled by lookup, not re-booked
        // blindly.
        carrier.set(Behaviour::Normal);
        let r = keyed(&app, "/v1/shipments", &format!("create-{i}-again"), &body).await;
        assert_eq!(r.status(), 200, "{behaviour:?}");
        let settled: Value = r.json().await.unwrap();
        assert_eq!(settled["id"], id.as_str());
        assert_eq!(settled["booking_state"], "confirmed", "{settled}");
        let awbs = carrier.awbs_by_tag().remove(&order).unwrap_or_default();
        assert_eq!(
            awbs,
            vec![settled["awb"].as_str().unwrap().to_string()],
            "{behaviour:?}: exactly the AWB the shipment shows"
        );
    }
    one_awb_per_order(&carrier);

    // A carrier that certainly refused (a 4xx page): a clear 422 and nothing kept.
    carrier.set_for(
        "create.json",
        Behaviour::Html {
            status: 404,
            after_booking: false,
        },
    );
    let (status, p) = problem(app.post("/v1/shipments", &tagged("ORD-REFUSED")).await).await;
    assert_eq!(
        (status, p["code"].as_str().unwrap()),
        (422, "carrier_rejected")
    );
    assert_eq!(p["source"]["carrier"], "delhivery");
    assert_no_leak(&p.to_string());
    carrier.set(Behaviour::Normal);
    assert_eq!(
        app.post("/v1/shipments", &tagged("ORD-REFUSED"))
            .await
            .status(),
        201,
        "the refused order can be booked once the carrier takes it"
    );
    one_awb_per_order(&carrier);
    assert_no_panic();
}

#[tokio::test]
async fn tracking_and_cancel_faults_are_clear_problems() {
    watch_panics();
    let carrier = FaultCarrier::start().await;
    let app = spawn_app_with(|c| faulty(c, &carrier, 300)).await;
    let r = app.post("/v1/shipments", &tagged("ORD-TRACK")).await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cases = [
        (Behaviour::Hang, 504, "carrier_timeout"),
        (
            Behaviour::Slow(Duration::from_secs(1)),
            504,
            "carrier_timeout",
        ),
        (
            Behaviour::Reset {
                after_booking: false,
            },
            502,
            "carrier_error",
        ),
        (
            Behaviour::Status {
                status: 503,
                after_booking: false,
            },
            502,
            "carrier_error",
        ),
        (
            Behaviour::Html {
                status: 502,
                after_booking: false,
            },
            502,
            "carrier_error",
        ),
        (
            Behaviour::Html {
                status: 200,
                after_booking: false,
            },
            502,
            "carrier_bad_response",
        ),
        (Behaviour::Truncated, 502, "carrier_bad_response"),
    ];
    for (behaviour, status, code) in &cases {
        carrier.set_for("packages/json", behaviour.clone());
        let (got, p) = problem(app.get(&format!("/v1/shipments/{id}/tracking")).await).await;
        assert_eq!(
            (got, p["code"].as_str().unwrap()),
            (*status, *code),
            "tracking, {behaviour:?}: {p}"
        );
        assert_eq!(p["source"]["carrier"], "delhivery");
        assert_no_leak(&p.to_string());
    }
    carrier.set(Behaviour::Normal);
    assert_eq!(
        app.get(&format!("/v1/shipments/{id}/tracking"))
            .await
            .status(),
        200
    );

    for (behaviour, status, code) in &cases {
        carrier.set_for("p/edit", behaviour.clone());
        let (got, p) = problem(
            app.post(&format!("/v1/shipments/{id}/cancel"), &json!({}))
                .await,
        )
        .await;
        assert_eq!(
            (got, p["code"].as_str().unwrap()),
            (*status, *code),
            "cancel, {behaviour:?}: {p}"
        );
        assert_no_leak(&p.to_string());
        let shipment: Value = app
            .get(&format!("/v1/shipments/{id}"))
            .await
            .json()
            .await
            .unwrap();
        assert_ne!(
            shipment["status"], "cancelled",
            "an unanswered cancel is not recorded as done"
        );
    }
    // The carrier is back: cancelling again (the carrier may already have) succeeds.
    carrier.set(Behaviour::Normal);
    let r = app
        .post(&format!("/v1/shipments/{id}/cancel"), &json!({}))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "cancelled");
    one_awb_per_order(&carrier);
    assert_no_panic();
}

/// A carrier that fails every other call: clients that retry with their key (and read
/// pending shipments) end with every order booked exactly once.
#[tokio::test]
async fn a_flapping_carrier_books_each_order_exactly_once() {
    watch_panics();
    let carrier = FaultCarrier::start().await;
    let app = Arc::new(spawn_app_with(|c| faulty(c, &carrier, 300)).await);
    carrier.set(Behaviour::Flapping(Box::new(Behaviour::Html {
        status: 502,
        after_booking: true,
    })));
    let orders: Vec<String> = (0..6).map(|i| format!("ORD-FLAP-{i}")).collect();
    let clients = orders.iter().cloned().map(|order| {
        let app = app.clone();
        async move {
            let body = tagged(&order);
            let deadline = Instant::now() + Duration::from_secs(30);
            let mut id = None;
            loop {
                assert!(Instant::now() < deadline, "{order} never settled");
                let r = match &id {
                    None => keyed(&app, "/v1/shipments", &order, &body).await,
                    Some(id) => app.get(&format!("/v1/shipments/{id}")).await,
                };
                let status = r.status();
                let text = r.text().await.unwrap();
                assert_no_leak(&text);
                assert!(status != 500, "{order}: {text}");
                if status.is_success() {
                    let s: Value = serde_json::from_str(&text).unwrap();
                    if s["booking_state"] == "confirmed" {
                        return (order, s["awb"].as_str().unwrap().to_string());
                    }
                    id = Some(s["id"].as_str().unwrap().to_string());
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    });
    let settled = futures::future::join_all(clients).await;
    let by_tag = carrier.awbs_by_tag();
    for (order, awb) in settled {
        assert_eq!(by_tag.get(&order), Some(&vec![awb]), "{order}");
    }
    one_awb_per_order(&carrier);
    assert_no_panic();
}

/// Regression: a 409 `booking_in_progress` used to be stored under the idempotency key,
/// so the retry it asks for replayed the 409 for a day.
#[tokio::test]
async fn booking_in_progress_says_retry_after_and_is_not_stored() {
    watch_panics();
    let carrier = FaultCarrier::start().await;
    let app = Arc::new(spawn_app_with(|c| faulty(c, &carrier, 2_000)).await);
    carrier.set_for("create.json", Behaviour::Hang);
    let body = tagged("ORD-INPROGRESS");
    let first = {
        let (app, body) = (app.clone(), body.clone());
        tokio::spawn(async move { keyed(&app, "/v1/shipments", "first", &body).await.status() })
    };
    // The first booking is at the carrier now.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !carrier
        .requests()
        .iter()
        .any(|(_, p)| p.contains("create.json"))
    {
        assert!(Instant::now() < deadline, "the first create never arrived");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let r = keyed(&app, "/v1/shipments", "second", &body).await;
    assert_eq!(r.headers().get("retry-after").unwrap(), "1");
    let (status, p) = problem(r).await;
    assert_eq!(
        (status, p["code"].as_str().unwrap()),
        (409, "booking_in_progress")
    );
    assert_eq!(first.await.unwrap(), StatusCode::ACCEPTED);

    // The retry the 409 asked for runs for real (no replay) and settles the booking.
    carrier.set(Behaviour::Normal);
    let r = keyed(&app, "/v1/shipments", "second", &body).await;
    assert!(r.headers().get("idempotent-replayed").is_none());
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    one_awb_per_order(&carrier);
    assert_eq!(carrier.bookings().len(), 1);
    assert_no_panic();
}
