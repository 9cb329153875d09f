//! Fault injection: carriers that hang, reset connections, answer slowly, answer 5xx, HTML
//! or truncated JSON, or flap; Redis and PostgreSQL stopped and restarted under load; the
//! gateway killed with SIGKILL and restarted.
//!
//! Each test checks the gateway's promises rather than one status code: no panic, a clear
//! problem+json error (never the carrier's raw body), no order with two AWBs at the
//! carrier, no answered write lost, and recovery without anyone stepping in. Carrier
//! timeouts are short (config), so the whole file runs in well under a minute.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
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
    faulty_at(config, carrier.url(), timeout_ms);
}

fn faulty_at(config: &mut Config, base_url: &str, timeout_ms: u64) {
    config.limits.enabled = false;
    config.rates.cache_ttl_ms = 0;
    config.rates.serviceability_ttl_secs = 0;
    config.rates.deadline_ms = 1_500;
    config.carriers.insert(
        "delhivery".into(),
        CarrierConfig {
            base_url: Some(base_url.into()),
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
        let r = app
            .post_keyed("/v1/shipments", &format!("create-{i}"), &body)
            .await;
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
        let r = app
            .post_keyed("/v1/shipments", &format!("create-{i}"), &body)
            .await;
        assert_eq!(r.status(), 202);
        assert_eq!(r.headers()["idempotent-replayed"], "true");
        assert_eq!(creates(&carrier), before, "a replay reaches no carrier");

        // The carrier is back; a retry under a new key is settled by lookup, not re-booked
        // blindly.
        carrier.set(Behaviour::Normal);
        let r = app
            .post_keyed("/v1/shipments", &format!("create-{i}-again"), &body)
            .await;
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

/// A booking the gateway cannot settle (its create and every lookup fail) stays pending
/// until an operator resolves it through the API: booked under the AWB the carrier's
/// records show, or not booked, which frees the order for a new booking. Audited; bad
/// input refused at its pointers; a settled booking is not resolved again.
#[tokio::test]
async fn an_operator_resolves_a_booking_the_gateway_cannot_settle() {
    watch_panics();
    let carrier = FaultCarrier::start().await;
    let app = spawn_app_with(|c| faulty(c, &carrier, 300)).await;
    let pending = |order: &'static str| {
        let (app, carrier) = (&app, &carrier);
        async move {
            carrier.set(Behaviour::Status {
                status: 503,
                after_booking: true,
            });
            let r = app.post("/v1/shipments", &tagged(order)).await;
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["booking_state"], "pending_confirmation", "{body}");
            format!("/v1/shipments/{}", body["id"].as_str().unwrap())
        }
    };

    let location = pending("ORD-RESOLVE-1").await;
    let resolve = format!("{location}/resolve");
    for (body, pointer) in [
        (json!({}), "/outcome"),
        (json!({"outcome": "maybe"}), "/outcome"),
        (json!({"outcome": "booked"}), "/awb"),
        (json!({"outcome": "booked", "awb": "AB CD"}), "/awb"),
        (json!({"outcome": "not_booked", "awb": "123"}), "/awb"),
    ] {
        let (status, p) = problem(app.post(&resolve, &body).await).await;
        assert_eq!(
            (status, p["errors"][0]["pointer"].as_str()),
            (422, Some(pointer)),
            "{body}: {p}"
        );
    }
    let (status, p) = problem(
        app.post(
            &resolve,
            &json!({"outcome": "booked", "awb": "1", "note": "x"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, p["errors"][0]["pointer"].as_str()),
        (422, Some("/note")),
        "{p}"
    );
    // A retry looks the booking up; the lookup fails too, so it stays pending.
    let r = app.post("/v1/shipments", &tagged("ORD-RESOLVE-1")).await;
    assert_eq!(r.status(), 202);
    let awb = carrier.awbs_by_tag().remove("ORD-RESOLVE-1").unwrap()[0].clone();
    let resolved = app
        .post(&resolve, &json!({"outcome": "booked", "awb": awb}))
        .await;
    let resolved: Value = resolved.json().await.unwrap();
    assert_eq!(
        (
            &resolved["booking_state"],
            &resolved["awb"],
            &resolved["sub_status"]
        ),
        (&json!("confirmed"), &json!(awb), &json!("label_created")),
        "{resolved}"
    );
    let (status, p) = problem(app.post(&resolve, &json!({"outcome": "not_booked"})).await).await;
    assert_eq!((status, p["code"].as_str()), (409, Some("not_pending")));
    let trail: Value = app
        .get("/v1/audit-events?action=shipment.resolved")
        .await
        .json()
        .await
        .unwrap();
    let entry = &trail["data"][0];
    assert_eq!(
        entry["before"]["booking_state"], "pending_confirmation",
        "{trail}"
    );
    assert_eq!(entry["after"]["awb"], json!(awb), "{trail}");

    // Not booked: the order is free again and books at the next request.
    let location = pending("ORD-RESOLVE-2").await;
    let r = app
        .post(
            &format!("{location}/resolve"),
            &json!({"outcome": "not_booked"}),
        )
        .await;
    let failed: Value = r.json().await.unwrap();
    assert_eq!(failed["booking_state"], "failed", "{failed}");
    carrier.set(Behaviour::Normal);
    let r = app.post("/v1/shipments", &tagged("ORD-RESOLVE-2")).await;
    assert_eq!(r.status(), 201);
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
                    None => app.post_keyed("/v1/shipments", &order, &body).await,
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
        tokio::spawn(async move {
            app.post_keyed("/v1/shipments", "first", &body)
                .await
                .status()
        })
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
    let r = app.post_keyed("/v1/shipments", "second", &body).await;
    assert_eq!(r.headers().get("retry-after").unwrap(), "1");
    let (status, p) = problem(r).await;
    assert_eq!(
        (status, p["code"].as_str().unwrap()),
        (409, "booking_in_progress")
    );
    assert_eq!(first.await.unwrap(), StatusCode::ACCEPTED);

    // The retry the 409 asked for runs for real (no replay) and settles the booking.
    carrier.set(Behaviour::Normal);
    let r = app.post_keyed("/v1/shipments", "second", &body).await;
    assert!(r.headers().get("idempotent-replayed").is_none());
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    one_awb_per_order(&carrier);
    assert_eq!(carrier.bookings().len(), 1);
    assert_no_panic();
}

/// Regression: carrier failures that leave nothing to protect (a carrier that could not be
/// reached booked nothing; a failed cancel may simply be sent again) were stored under the
/// idempotency key, so the retry with the same key replayed the failure for a day.
#[tokio::test]
async fn transient_carrier_failures_are_not_replayed_under_the_key() {
    watch_panics();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = spawn_app_with(|c| faulty_at(c, &format!("http://127.0.0.1:{port}"), 300)).await;
    let body = tagged("ORD-DOWN");
    let r = app.post_keyed("/v1/shipments", "down-1", &body).await;
    assert_eq!(r.headers().get("retry-after").unwrap(), "1");
    let (status, p) = problem(r).await;
    assert_eq!(
        (status, p["code"].as_str().unwrap()),
        (502, "carrier_unreachable")
    );

    // The carrier comes up: the same key books for real.
    let carrier = FaultCarrier::start_on(port).await;
    let r = app.post_keyed("/v1/shipments", "down-1", &body).await;
    assert!(r.headers().get("idempotent-replayed").is_none());
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(carrier.bookings().len(), 1);

    let cancel = format!("/v1/shipments/{id}/cancel");
    carrier.set_for("p/edit", Behaviour::Hang);
    let r = app.post_keyed(&cancel, "cancel-1", &json!({})).await;
    assert_eq!(r.headers().get("retry-after").unwrap(), "1");
    let (status, p) = problem(r).await;
    assert_eq!(
        (status, p["code"].as_str().unwrap()),
        (504, "carrier_timeout")
    );
    carrier.set(Behaviour::Normal);
    let r = app.post_keyed(&cancel, "cancel-1", &json!({})).await;
    assert!(r.headers().get("idempotent-replayed").is_none());
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "cancelled");
    assert_no_panic();
}

// ---------------------------------------------------------------------------------------
// Redis, PostgreSQL and the gateway itself
// ---------------------------------------------------------------------------------------

/// What a load of clients saw: every answered create, and how often each refusal came.
#[derive(Default)]
struct Seen {
    /// order reference -> shipment id, for every create answered 2xx.
    answered: Mutex<BTreeMap<String, String>>,
    /// Keyed writes refused with 503 (and the problem code).
    refused: Mutex<Vec<String>>,
    reads_ok: AtomicUsize,
    reads_refused: AtomicUsize,
    /// 409s for a key whose earlier attempt still holds it.
    key_in_flight: AtomicUsize,
    stop: std::sync::atomic::AtomicBool,
}

impl Seen {
    fn answered(&self) -> usize {
        self.answered.lock().unwrap().len()
    }

    fn refused(&self) -> usize {
        self.refused.lock().unwrap().len()
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// Waits (up to `secs`) for `done`, failing with `what`.
async fn wait_for(secs: u64, what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// One client creating orders one after another, each under its own key and retried
/// with that key until it is answered 2xx. `base` says where the gateway is now.
/// Temporary refusals must be 503 problem+json with `Retry-After` (code
/// `temporary_code`), or 409 `booking_in_progress`; a dead gateway (connection refused)
/// is waited out; anything else fails the test.
async fn writer(
    client: reqwest::Client,
    base: Arc<Mutex<String>>,
    key: String,
    prefix: String,
    temporary_code: &'static str,
    seen: Arc<Seen>,
) {
    let mut n = 0;
    while !seen.stopped() {
        let order = format!("{prefix}-{n}");
        let body = tagged(&order);
        loop {
            let url = format!("{}/v1/shipments", base.lock().unwrap());
            let sent = client
                .post(url)
                .bearer_auth(&key)
                .header("idempotency-key", &order)
                .json(&body)
                .send()
                .await;
            let Ok(r) = sent else {
                // The gateway is down (killed): try again shortly, as a client would.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            };
            let status = r.status().as_u16();
            if (200..300).contains(&status) {
                let s: Value = r.json().await.unwrap();
                let id = s["id"].as_str().unwrap().to_string();
                let before = seen
                    .answered
                    .lock()
                    .unwrap()
                    .insert(order.clone(), id.clone());
                assert!(
                    before.is_none_or(|b| b == id),
                    "{order} answered with two shipments"
                );
                break;
            }
            let retry_after = r.headers().contains_key("retry-after");
            let (status, p) = problem(r).await;
            let code = p["code"].as_str().unwrap().to_string();
            match (status, code.as_str()) {
                (503, c) if c == temporary_code => {
                    assert!(retry_after, "a 503 says when to retry: {p}");
                    seen.refused.lock().unwrap().push(code);
                }
                (409, "booking_in_progress") => assert!(retry_after, "{p}"),
                (409, "idempotency_key_in_flight") => {
                    assert!(retry_after, "{p}");
                    seen.key_in_flight.fetch_add(1, Ordering::SeqCst);
                }
                _ => panic!("{order}: unexpected answer {status}: {p}"),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        n += 1;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn http_client() -> reqwest::Client {
    // Generous, only so that a hang fails the test instead of stalling it.
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// Every answered create exists as a confirmed shipment whose AWB is the carrier's only
/// AWB for that order (pending ones are given time to be reconciled).
async fn assert_answered_kept(
    client: &reqwest::Client,
    base: &str,
    key: &str,
    seen: &Seen,
    carrier: &FaultCarrier,
) {
    let answered = seen.answered.lock().unwrap().clone();
    let deadline = Instant::now() + Duration::from_secs(30);
    for (order, id) in &answered {
        loop {
            let r = client
                .get(format!("{base}/v1/shipments/{id}"))
                .bearer_auth(key)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{order}: answered, then lost");
            let s: Value = r.json().await.unwrap();
            assert_eq!(s["order_ref"], order.as_str());
            if s["booking_state"] == "confirmed" {
                let awbs = carrier.awbs_by_tag().remove(order).unwrap_or_default();
                assert_eq!(
                    awbs,
                    vec![s["awb"].as_str().unwrap().to_string()],
                    "{order}"
                );
                break;
            }
            assert!(Instant::now() < deadline, "{order} never confirmed: {s}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    one_awb_per_order(carrier);
}

/// How a test breaks Redis, and mends it again.
#[derive(Clone, Copy)]
enum RedisOutage {
    /// The server process is killed, then started again on the same port.
    Killed,
    /// SIGSTOP: connections stay open and nothing answers; then SIGCONT.
    Hung,
}

/// Six keyed writers and two readers run against `app` while Redis is broken and mended:
/// keyed writes are refused (503 `unavailable` with Retry-After) while it is out, reads
/// never fail, writing resumes afterwards, and every answered create is kept with one
/// AWB at the carrier. Returns what the clients saw.
async fn redis_outage_under_keyed_load(
    app: &TestApp,
    carrier: &FaultCarrier,
    redis: &mut common::redis::RedisServer,
    outage: RedisOutage,
) -> Arc<Seen> {
    let tag = match outage {
        RedisOutage::Killed => "REDIS",
        RedisOutage::Hung => "HUNG",
    };
    let first = app
        .post("/v1/shipments", &tagged(&format!("ORD-{tag}-READ")))
        .await;
    assert_eq!(first.status(), 201);
    let read_url = app.url(&format!(
        "/v1/shipments/{}",
        first.json::<Value>().await.unwrap()["id"].as_str().unwrap()
    ));
    let seen = Arc::new(Seen::default());
    let base = Arc::new(Mutex::new(app.address.clone()));
    let mut tasks = Vec::new();
    for w in 0..6 {
        tasks.push(tokio::spawn(writer(
            http_client(),
            base.clone(),
            app.api_key.clone(),
            format!("ORD-{tag}-{w}"),
            "unavailable",
            seen.clone(),
        )));
    }
    for _ in 0..2 {
        let (client, url, key, seen) = (
            http_client(),
            read_url.clone(),
            app.api_key.clone(),
            seen.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while !seen.stopped() {
                let r = client.get(&url).bearer_auth(&key).send().await.unwrap();
                assert_eq!(r.status(), 200, "reads never depend on Redis");
                seen.reads_ok.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }));
    }

    wait_for(20, "creates before the outage", || seen.answered() >= 20).await;
    match outage {
        RedisOutage::Killed => redis.kill(),
        RedisOutage::Hung => redis.pause(),
    }
    let reads = seen.reads_ok.load(Ordering::SeqCst);
    wait_for(20, "keyed writes refused while Redis is out", || {
        seen.refused() >= 6
    })
    .await;
    wait_for(20, "reads while Redis is out", || {
        seen.reads_ok.load(Ordering::SeqCst) >= reads + 10
    })
    .await;
    let before = seen.answered();
    match outage {
        RedisOutage::Killed => redis.restart(),
        RedisOutage::Hung => redis.resume(),
    }
    wait_for(30, "creates after Redis is back", || {
        seen.answered() >= before + 20
    })
    .await;
    seen.stop.store(true, Ordering::SeqCst);
    for t in tasks {
        t.await.unwrap();
    }
    assert_answered_kept(&app.client, &app.address, &app.api_key, &seen, carrier).await;
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_killed_and_restarted_under_keyed_load() {
    watch_panics();
    let mut redis = common::redis::RedisServer::start();
    let carrier = FaultCarrier::start().await;
    let app = spawn_app_with(|c| {
        faulty(c, &carrier, 2_000);
        c.redis_url = Some(redis.url());
    })
    .await;
    redis_outage_under_keyed_load(&app, &carrier, &mut redis, RedisOutage::Killed).await;
    assert_no_panic();
}

/// A hung Redis (SIGSTOP: connections open, no answers) must not hang the gateway: keyed
/// writes are refused within the Redis response timeout, reads go on, and after SIGCONT
/// every order is booked once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hung_redis_fails_keyed_writes_fast_and_recovers() {
    watch_panics();
    let mut redis = common::redis::RedisServer::start();
    let carrier = FaultCarrier::start().await;
    let app = spawn_app_with(|c| {
        faulty(c, &carrier, 2_000);
        c.redis_url = Some(redis.url());
        // A claim that reaches Redis only after the hang (the request was refused long
        // before) holds its key until this expires.
        c.idempotency.lock_ttl_secs = Some(3);
    })
    .await;
    let seen = redis_outage_under_keyed_load(&app, &carrier, &mut redis, RedisOutage::Hung).await;
    eprintln!(
        "hung Redis: {} keyed writes refused, {} answered 409 idempotency_key_in_flight afterwards",
        seen.refused(),
        seen.key_in_flight.load(Ordering::SeqCst)
    );
    assert_no_panic();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_stopped_under_load_answers_503_and_recovers() {
    watch_panics();
    let Some(mut pg) = common::postgres::Postgres::start() else {
        return;
    };
    {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&pg.admin_url()).await.unwrap();
        sqlx::query("CREATE DATABASE sg_faults")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let db = format!("postgres://postgres@127.0.0.1:{}/sg_faults", pg.port);
    let carrier = FaultCarrier::start().await;
    let app = spawn_app_with(|c| {
        faulty(c, &carrier, 2_000);
        c.database_url = db;
        c.database_acquire_timeout_ms = 500;
        // A booking cut off by the outage is settled by the reconciler soon after.
        c.idempotency.lock_ttl_secs = Some(3);
    })
    .await;

    let seen = Arc::new(Seen::default());
    let base = Arc::new(Mutex::new(app.address.clone()));
    let mut tasks = Vec::new();
    for w in 0..6 {
        tasks.push(tokio::spawn(writer(
            http_client(),
            base.clone(),
            app.api_key.clone(),
            format!("ORD-PG-{w}"),
            "database_unavailable",
            seen.clone(),
        )));
    }
    {
        let (client, url, key, seen) = (
            http_client(),
            app.url("/v1/shipments?limit=5"),
            app.api_key.clone(),
            seen.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while !seen.stopped() {
                let r = client.get(&url).bearer_auth(&key).send().await.unwrap();
                if r.status() == 200 {
                    seen.reads_ok.fetch_add(1, Ordering::SeqCst);
                } else {
                    let retry_after = r.headers().contains_key("retry-after");
                    let (status, p) = problem(r).await;
                    assert_eq!(
                        (status, p["code"].as_str().unwrap()),
                        (503, "database_unavailable")
                    );
                    assert!(retry_after, "{p}");
                    seen.reads_refused.fetch_add(1, Ordering::SeqCst);
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }));
    }

    // A carrier pushing scans for a booked shipment throughout, resending what was not
    // accepted, as carriers do.
    let pushed = app.post("/v1/shipments", &tagged("ORD-PG-PUSHED")).await;
    assert_eq!(pushed.status(), 201);
    let pushed: Value = pushed.json().await.unwrap();
    let accepted: Arc<Mutex<BTreeSet<i64>>> = Arc::default();
    {
        let (client, url, seen, accepted) = (
            http_client(),
            app.url("/v1/carriers/delhivery/webhooks"),
            seen.clone(),
            accepted.clone(),
        );
        let awb = pushed["awb"].as_str().unwrap().to_string();
        tasks.push(tokio::spawn(async move {
            let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
                .unwrap()
                .and_hms_opt(8, 0, 0)
                .unwrap();
            let mut n = 0;
            while !seen.stopped() {
                let local = start + chrono::Duration::seconds(n);
                let body = json!({"Shipment": {
                    "Status": {"Status": "In Transit", "StatusType": "UD",
                               "StatusDateTime": local.format("%Y-%m-%dT%H:%M:%S").to_string(),
                               "StatusLocation": "Bengaluru_Koramangala_D (Karnataka)",
                               "Instructions": "In Transit"},
                    "NSLCode": "X-ILL1F", "Sortcode": "BLR/KOR", "ReferenceNo": "ref", "AWB": awb
                }});
                let r = client.post(&url).json(&body).send().await.unwrap();
                match r.status().as_u16() {
                    200 => {
                        let utc = local - chrono::Duration::minutes(330);
                        accepted
                            .lock()
                            .unwrap()
                            .insert(utc.and_utc().timestamp_millis());
                        n += 1;
                    }
                    // Not stored, so not accepted: sent again.
                    503 => {}
                    other => panic!("push answered {other}: {}", r.text().await.unwrap()),
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }

    wait_for(20, "creates before the outage", || seen.answered() >= 20).await;
    pg.stop();
    wait_for(20, "writes refused while PostgreSQL is down", || {
        seen.refused() >= 6
    })
    .await;
    wait_for(20, "reads refused while PostgreSQL is down", || {
        seen.reads_refused.load(Ordering::SeqCst) >= 2
    })
    .await;
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let before = seen.answered();
    pg.start_again();
    // The same gateway, not restarted, serves again.
    wait_for(40, "creates after PostgreSQL is back", || {
        seen.answered() >= before + 20
    })
    .await;
    seen.stop.store(true, Ordering::SeqCst);
    for t in tasks {
        t.await.unwrap();
    }
    assert_answered_kept(&app.client, &app.address, &app.api_key, &seen, &carrier).await;
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);

    // Every accepted push becomes an event, outage or not.
    let accepted = accepted.lock().unwrap().clone();
    assert!(
        accepted.len() >= 5,
        "only {} pushes accepted",
        accepted.len()
    );
    let path = format!("/v1/shipments/{}", pushed["id"].as_str().unwrap());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let s: Value = app.get(&path).await.json().await.unwrap();
        let stored: BTreeSet<i64> = s["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["carrier_code"] == "X-ILL1F")
            .map(|e| {
                chrono::DateTime::parse_from_rfc3339(e["event_time"].as_str().unwrap())
                    .unwrap()
                    .timestamp_millis()
            })
            .collect();
        let missing = accepted.difference(&stored).count();
        if missing == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{missing} of {} accepted pushes never became events",
            accepted.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_no_panic();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn gateway_killed_mid_create_keeps_every_answered_shipment() {
    use common::gateway::{Gateway, KEY, command, start};
    watch_panics();
    let dir = tempfile::tempdir().unwrap();
    let db = common::database_url(&dir).await;
    let carrier = FaultCarrier::start().await;
    // The carrier books at once and answers a little later, so creates are in flight
    // (booked, not yet stored) when the gateway dies.
    carrier.set_for("create.json", Behaviour::Slow(Duration::from_millis(100)));
    let binary = || -> Gateway {
        let mut cmd = command(&db);
        cmd.env("SHIPGATE_LIMITS__ENABLED", "false")
            .env("SHIPGATE_CARRIERS__DELHIVERY__BASE_URL", carrier.url())
            .env("SHIPGATE_CARRIERS__DELHIVERY__TIMEOUT_MS", "2000")
            .env("SHIPGATE_IDEMPOTENCY__LOCK_TTL_SECS", "3");
        start(cmd)
    };
    let mut gw = binary();
    let base = Arc::new(Mutex::new(gw.url.clone()));
    let seen = Arc::new(Seen::default());
    let tasks: Vec<_> = (0..6)
        .map(|w| {
            tokio::spawn(writer(
                http_client(),
                base.clone(),
                KEY.to_string(),
                format!("ORD-KILL-{w}"),
                "unavailable",
                seen.clone(),
            ))
        })
        .collect();

    wait_for(30, "creates before the kill", || seen.answered() >= 15).await;
    // Kill while bookings are made at the carrier but not yet answered (the carrier
    // holds each answer 100 ms, which dwarfs the time from this check to the signal).
    let unanswered = || -> BTreeSet<String> {
        let answered = seen.answered.lock().unwrap();
        carrier
            .bookings()
            .into_iter()
            .map(|b| b.tag)
            .filter(|tag| !answered.contains_key(tag))
            .collect()
    };
    wait_for(10, "a booking in flight", || !unanswered().is_empty()).await;
    // SIGKILL mid-stream: no graceful shutdown.
    gw.child.kill().unwrap();
    gw.child.wait().unwrap();
    let orphans = unanswered();
    let mut logs = gw.logs();
    let before = seen.answered();
    let gw = binary();
    *base.lock().unwrap() = gw.url.clone();
    wait_for(40, "creates after the restart", || {
        seen.answered() >= before + 15
    })
    .await;
    seen.stop.store(true, Ordering::SeqCst);
    for t in tasks {
        t.await.unwrap();
    }
    let client = http_client();
    assert_answered_kept(&client, &gw.url, KEY, &seen, &carrier).await;
    // Orders booked at the carrier when the gateway died were answered after the restart,
    // with the AWB booked before it (checked above), not a second one.
    let answered = seen.answered.lock().unwrap().clone();
    assert!(!orphans.is_empty());
    for tag in &orphans {
        assert!(
            answered.contains_key(tag),
            "{tag} booked but never answered"
        );
    }
    logs.extend(gw.logs());
    assert!(
        !logs.iter().any(|l| l.contains("panicked")),
        "the gateway panicked: {logs:#?}"
    );
    assert_no_panic();
}
