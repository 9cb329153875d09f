//! Tracking polling: shipments are refreshed from their carrier in the background, at
//! intervals that follow their status, within the carrier's quota, across restarts, and
//! with several gateways on one database never polling one shipment at once.

use crate::common;

use std::future::Future;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::scripted_delhivery::{ScriptedDelhivery, scan};
use common::{TestApp, shipment_body, spawn_app_with};
use serde_json::Value;
use shipgate::Config;
use shipgate::config::{CarrierConfig, PollingConfig};
use shipgate::store::PollState;

const HOUR_MS: f64 = 3_600_000.0;

/// Polls due right after booking, every interval one second, a quick tick.
fn fast_polling() -> PollingConfig {
    PollingConfig {
        first_poll_secs: 0,
        tick_ms: 50,
        near_delivery_secs: 1,
        pre_transit_secs: 1,
        transit_min_secs: 1,
        transit_max_secs: 1,
        exception_secs: 1,
        ..PollingConfig::default()
    }
}

fn point_delhivery_at(config: &mut Config, base_url: &str) {
    config.carriers.insert(
        "delhivery".into(),
        CarrierConfig {
            base_url: Some(base_url.into()),
            timeout_ms: Some(2_000),
            ..Default::default()
        },
    );
}

/// Books a Delhivery shipment; answers its id and AWB.
async fn book(app: &TestApp, order_ref: &str) -> (String, String) {
    let r = app
        .post("/v1/shipments", &shipment_body(order_ref, "delhivery"))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let s: Value = r.json().await.unwrap();
    (
        s["id"].as_str().unwrap().to_string(),
        s["awb"].as_str().unwrap().to_string(),
    )
}

async fn eventually<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn poll_state(app: &TestApp, id: &str) -> PollState {
    app.state
        .store
        .poll_state(id)
        .await
        .unwrap()
        .expect("a booked shipment has a polling schedule")
}

async fn shipment(app: &TestApp, id: &str) -> Value {
    app.get(&format!("/v1/shipments/{id}"))
        .await
        .json()
        .await
        .unwrap()
}

fn hours_ago(h: i64) -> chrono::DateTime<Utc> {
    Utc::now() - chrono::Duration::hours(h)
}

#[tokio::test]
async fn booked_shipments_are_polled_and_their_events_stored() {
    // The sandbox simulator moves a shipment one scan forward per tracking call.
    let app = spawn_app_with(|c| c.polling = fast_polling()).await;
    let (id, _) = book(&app, "ORD-POLL-1").await;
    let (app, id) = (&app, &id);
    eventually(
        "polls moved the shipment into transit",
        Duration::from_secs(30),
        || async move {
            let s = shipment(app, id).await;
            s["status"] == "in_transit"
        },
    )
    .await;
    // Nobody asked for tracking: the events came from polls and are stored.
    let s = shipment(app, id).await;
    let events = s["events"].as_array().unwrap();
    assert!(
        events
            .iter()
            .filter(|e| !e["carrier_code"].as_str().unwrap().starts_with("shipgate:"))
            .count()
            >= 3,
        "{s}"
    );
    let state = poll_state(app, id).await;
    assert!(state.polls >= 2, "{state:?}");
    assert!(state.next_poll_at.is_some());
    assert_eq!(state.failures, 0);
}

#[tokio::test]
async fn intervals_follow_the_status() {
    let fake = ScriptedDelhivery::start().await;
    let app = spawn_app_with(|c| {
        point_delhivery_at(c, &fake.base_url("gw"));
        // Default intervals; polls only when the test makes a shipment due.
        c.polling = PollingConfig {
            first_poll_secs: 3600,
            tick_ms: 50,
            ..PollingConfig::default()
        };
    })
    .await;
    let manifested = |h| scan("UD", "Manifested", "X-UCI", hours_ago(h));
    let picked_up = |h| scan("UD", "In Transit", "X-PPOM", hours_ago(h));
    // (scans, expected interval in hours: None for never again)
    let cases: Vec<(&str, Vec<Value>, Option<f64>)> = vec![
        ("pre_transit", vec![manifested(1)], Some(3.0)),
        ("busy transit", vec![manifested(5), picked_up(1)], Some(2.0)),
        (
            "quiet transit",
            vec![manifested(50), picked_up(24)],
            Some(6.0),
        ),
        (
            "long quiet transit",
            vec![manifested(99), picked_up(96)],
            Some(12.0),
        ),
        (
            "out for delivery",
            vec![
                picked_up(20),
                scan("UD", "Dispatched", "X-DDD3FD", hours_ago(1)),
            ],
            Some(0.5),
        ),
        (
            "failed attempt",
            vec![
                picked_up(20),
                scan("UD", "Pending", "DLYDC-107", hours_ago(1)),
            ],
            Some(0.5),
        ),
        (
            "rto in transit",
            vec![
                picked_up(40),
                scan("RT", "In Transit", "RT-101", hours_ago(24)),
            ],
            Some(6.0),
        ),
        (
            "delivered",
            vec![
                picked_up(20),
                scan("DL", "Delivered", "EOD-38", hours_ago(1)),
            ],
            None,
        ),
        (
            "rto delivered",
            vec![
                picked_up(40),
                scan("RT", "In Transit", "RT-101", hours_ago(24)),
                scan("DL", "RTO", "RD-AC1", hours_ago(2)),
            ],
            None,
        ),
    ];
    let (app, fake) = (&app, &fake);
    let mut booked = Vec::new();
    for (i, (name, scans, expected)) in cases.into_iter().enumerate() {
        let (id, awb) = book(app, &format!("ORD-INT-{i}")).await;
        fake.set_scans(&awb, scans);
        booked.push((name, id, awb, expected));
    }
    for (_, id, _, _) in &booked {
        let now = Utc::now().timestamp_millis();
        assert!(app.state.store.poll_at(id, Some(now)).await.unwrap());
    }
    for (name, id, awb, expected) in &booked {
        eventually(
            &format!("{name} was polled"),
            Duration::from_secs(20),
            || async move { poll_state(app, id).await.polls >= 1 },
        )
        .await;
        let state = poll_state(app, id).await;
        assert_eq!(fake.calls_for(awb), 1, "{name}");
        assert_eq!(state.last_outcome.as_deref(), Some("updated"), "{name}");
        match expected {
            None => assert_eq!(state.next_poll_at, None, "{name}: terminal, never again"),
            Some(hours) => {
                let next = state.next_poll_at.expect(name) - state.last_polled_at.unwrap();
                let (lo, hi) = (hours * 0.9 * HOUR_MS - 5_000.0, hours * 1.1 * HOUR_MS);
                assert!(
                    (lo..=hi).contains(&(next as f64)),
                    "{name}: next poll {:.2} h after the last, expected {hours} h ± 10 %",
                    next as f64 / HOUR_MS
                );
            }
        }
    }
}

#[tokio::test]
async fn a_recent_push_makes_a_poll_unnecessary() {
    let fake = ScriptedDelhivery::start().await;
    let app = spawn_app_with(|c| {
        point_delhivery_at(c, &fake.base_url("gw"));
        c.polling = PollingConfig {
            first_poll_secs: 3600,
            tick_ms: 50,
            ..PollingConfig::default()
        };
    })
    .await;
    let (id, awb) = book(&app, "ORD-FRESH").await;
    let (app, id) = (&app, &id);
    // A scan arrives the way pushes are stored (picked up an hour ago: 2 h interval).
    let pushed = carriers::schema::TrackingEvent::new(
        carriers::taxonomy::Unified::new(carriers::taxonomy::SubStatus::PickedUp),
        "X-PPOM",
        "In Transit",
        hours_ago(1),
    );
    let received = Utc::now().timestamp_millis();
    app.state.store.add_events(id, &[pushed]).await.unwrap();
    app.state
        .store
        .poll_at(id, Some(Utc::now().timestamp_millis()))
        .await
        .unwrap();
    eventually(
        "the due shipment was looked at",
        Duration::from_secs(10),
        || async move { poll_state(app, id).await.last_outcome.is_some() },
    )
    .await;
    let state = poll_state(app, id).await;
    assert_eq!(state.last_outcome.as_deref(), Some("fresh"), "{state:?}");
    assert_eq!(fake.calls_for(&awb), 0, "the carrier was not asked");
    assert_eq!(state.polls, 0);
    let next = state.next_poll_at.unwrap() - received;
    assert!(
        (next as f64) > 1.8 * HOUR_MS - 5_000.0 && (next as f64) < 2.2 * HOUR_MS + 5_000.0,
        "next poll {next} ms after the push"
    );
}

#[tokio::test]
async fn terminal_states_stop_polling_but_rto_continues_to_its_end() {
    let fake = ScriptedDelhivery::start().await;
    let app = spawn_app_with(|c| {
        point_delhivery_at(c, &fake.base_url("gw"));
        c.polling = fast_polling();
    })
    .await;
    let (delivered, delivered_awb) = book(&app, "ORD-END-1").await;
    let (returned, returned_awb) = book(&app, "ORD-END-2").await;
    let picked_up = scan("UD", "In Transit", "X-PPOM", hours_ago(30));
    let rto = scan("RT", "In Transit", "RT-101", hours_ago(20));
    fake.set_scans(
        &delivered_awb,
        vec![
            picked_up.clone(),
            scan("DL", "Delivered", "EOD-38", hours_ago(1)),
        ],
    );
    fake.set_scans(&returned_awb, vec![picked_up.clone(), rto.clone()]);
    let (app, delivered, returned) = (&app, &delivered, &returned);

    eventually(
        "the delivered shipment stopped",
        Duration::from_secs(20),
        || async move { poll_state(app, delivered).await.next_poll_at.is_none() },
    )
    .await;
    eventually(
        "the returning shipment is in RTO",
        Duration::from_secs(20),
        || async move { shipment(app, returned).await["status"] == "rto" },
    )
    .await;
    // RTO is not an end: polls go on.
    let polls = poll_state(app, returned).await.polls;
    eventually(
        "the RTO shipment is polled again",
        Duration::from_secs(20),
        || async move { poll_state(app, returned).await.polls >= polls + 2 },
    )
    .await;
    assert!(poll_state(app, returned).await.next_poll_at.is_some());
    // Until it is back with the shipper.
    fake.set_scans(
        &returned_awb,
        vec![picked_up, rto, scan("DL", "RTO", "RD-AC1", hours_ago(1))],
    );
    eventually(
        "the returned shipment stopped",
        Duration::from_secs(20),
        || async move { poll_state(app, returned).await.next_poll_at.is_none() },
    )
    .await;
    assert_eq!(shipment(app, returned).await["sub_status"], "rto_delivered");

    let calls = (
        fake.calls_for(&delivered_awb),
        fake.calls_for(&returned_awb),
    );
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert_eq!(
        (
            fake.calls_for(&delivered_awb),
            fake.calls_for(&returned_awb)
        ),
        calls,
        "terminal shipments are not polled"
    );
}

#[tokio::test]
async fn failed_polls_back_off_and_recover() {
    let fake = ScriptedDelhivery::start().await;
    let app = spawn_app_with(|c| {
        point_delhivery_at(c, &fake.base_url("gw"));
        c.polling = PollingConfig {
            retry_secs: 2,
            jitter: 0.0,
            ..fast_polling()
        };
        c.polling.first_poll_secs = 3600;
    })
    .await;
    let (id, awb) = book(&app, "ORD-BACKOFF").await;
    let (app, id) = (&app, &id);
    fake.fail_next(&awb, 2);
    app.state
        .store
        .poll_at(id, Some(Utc::now().timestamp_millis()))
        .await
        .unwrap();

    for (failures, wait_ms) in [(1, 2_000), (2, 4_000)] {
        eventually(
            &format!("failure {failures}"),
            Duration::from_secs(20),
            || async move { poll_state(app, id).await.failures == failures },
        )
        .await;
        let state = poll_state(app, id).await;
        assert_eq!(state.last_outcome.as_deref(), Some("failed"));
        assert!(
            state.last_error.as_deref().unwrap().contains("503"),
            "{state:?}"
        );
        let next = state.next_poll_at.unwrap() - state.last_polled_at.unwrap();
        assert!(
            (wait_ms - 500..=wait_ms).contains(&next),
            "after failure {failures}: {next} ms"
        );
    }
    eventually(
        "a poll succeeded again",
        Duration::from_secs(20),
        || async move { poll_state(app, id).await.last_outcome.as_deref() == Some("updated") },
    )
    .await;
    assert_eq!(poll_state(app, id).await.failures, 0);
    // The carrier was not hammered while failing: the retries waited their back-off.
    let calls: Vec<_> = fake.calls().into_iter().filter(|c| c.awb == awb).collect();
    assert_eq!(calls.len(), 3);
    assert!(calls[1].at - calls[0].at >= Duration::from_millis(1_900));
    assert!(calls[2].at - calls[1].at >= Duration::from_millis(3_900));
}

#[tokio::test]
async fn an_open_circuit_defers_polls_without_counting_failures() {
    let fake = ScriptedDelhivery::start().await;
    let app = spawn_app_with(|c| {
        point_delhivery_at(c, &fake.base_url("gw"));
        c.polling = PollingConfig {
            first_poll_secs: 3600,
            retry_secs: 3600,
            concurrency: 1,
            ..fast_polling()
        };
    })
    .await;
    let mut booked = Vec::new();
    for i in 0..12 {
        let (id, awb) = book(&app, &format!("ORD-CIRCUIT-{i}")).await;
        fake.fail_next(&awb, 100);
        booked.push(id);
    }
    for id in &booked {
        app.state
            .store
            .poll_at(id, Some(Utc::now().timestamp_millis()))
            .await
            .unwrap();
    }
    let (app, booked_ref) = (&app, &booked);
    eventually(
        "every shipment was looked at",
        Duration::from_secs(30),
        || async move {
            let mut all = true;
            for id in booked_ref {
                all &= poll_state(app, id).await.last_outcome.is_some();
            }
            all
        },
    )
    .await;
    let mut failed = 0;
    let mut deferred = 0;
    for id in &booked {
        let state = poll_state(app, id).await;
        match state.last_outcome.as_deref() {
            Some("failed") => {
                failed += 1;
                assert_eq!(state.failures, 1);
            }
            Some("deferred") => {
                deferred += 1;
                assert_eq!(state.failures, 0, "not sent is not a failure");
                assert_eq!(state.polls, 0);
                assert!(state.last_error.unwrap().contains("circuit open"));
            }
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    // Ten failures in a row open the circuit; the rest were never sent.
    assert_eq!((failed, deferred), (10, 2));
    assert_eq!(fake.calls().len(), 10);
}

#[tokio::test]
async fn polls_stay_within_their_share_of_the_carrier_quota() {
    let fake = ScriptedDelhivery::start().await;
    let app = spawn_app_with(|c| {
        point_delhivery_at(c, &fake.base_url("gw"));
        c.carriers.get_mut("delhivery").unwrap().quota_per_second = Some(4.0);
        // Half of 4/s for polls: 2 a second, while 12 shipments are due every second.
        c.polling = PollingConfig {
            quota_share: 0.5,
            ..fast_polling()
        };
    })
    .await;
    let mut booked = Vec::new();
    for i in 0..12 {
        booked.push(book(&app, &format!("ORD-QUOTA-{i}")).await);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let start = Instant::now();
    let window = Duration::from_secs(3);
    // The OMS tracks a few shipments meanwhile: the headroom left by the share serves them.
    for (id, _) in booked.iter().take(3) {
        let r = app.get(&format!("/v1/shipments/{id}/tracking")).await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    let api_calls = 3;
    tokio::time::sleep_until((start + window).into()).await;
    let in_window = fake
        .calls()
        .iter()
        .filter(|c| c.at >= start && c.at < start + window)
        .count();
    let polls = in_window.saturating_sub(api_calls);
    // 2/s over 3 s, one at the window's edge, one for arrival jitter.
    assert!(polls <= 8, "{polls} polls in {window:?} at a 2/s share");
    assert!(polls >= 2, "polling runs ({polls} polls)");
    assert!(
        in_window <= 14,
        "{in_window} calls in {window:?} at a 4/s quota"
    );
}

#[tokio::test]
async fn a_restarted_gateway_takes_over_due_polls_and_lapsed_claims() {
    let fake = ScriptedDelhivery::start().await;
    // The database outlives the first gateway (a test app's own directory goes with it).
    let dir = tempfile::tempdir().unwrap();
    let database_url = common::database_url(&dir).await;
    let first = spawn_app_with(|c| {
        point_delhivery_at(c, &fake.base_url("first"));
        c.database_url = database_url.clone();
        c.polling = PollingConfig {
            enabled: false,
            ..fast_polling()
        };
    })
    .await;
    let mut booked = Vec::new();
    for i in 0..3 {
        booked.push(book(&first, &format!("ORD-RESTART-{i}")).await);
    }
    // A process claims one shipment and dies before polling it.
    let dead = first
        .state
        .store
        .polls_claim("delhivery", 1, 2_000, "a-process-that-died")
        .await
        .unwrap();
    assert_eq!(dead.len(), 1);
    let claimed = dead[0].clone();
    drop(first);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(fake.calls().is_empty(), "the first gateway did not poll");

    let second = spawn_app_with(|c| {
        point_delhivery_at(c, &fake.base_url("second"));
        c.database_url = database_url;
        c.polling = fast_polling();
    })
    .await;
    let (second_ref, fake_ref) = (&second, &fake);
    for (id, awb) in &booked {
        eventually(
            "every shipment was polled",
            Duration::from_secs(20),
            || async move {
                fake_ref.calls_for(awb) >= 1 && poll_state(second_ref, id).await.polls >= 1
            },
        )
        .await;
    }
    let first_call = fake
        .calls()
        .into_iter()
        .find(|c| {
            c.awb
                == booked
                    .iter()
                    .find(|b| b.0 == claimed.shipment_id)
                    .unwrap()
                    .1
        })
        .unwrap();
    assert!(
        first_call.unix_ms >= claimed.claimed_until,
        "the claimed shipment was polled only once its lease lapsed"
    );
    assert!(fake.calls().iter().all(|c| c.gateway == "second"));
}

#[tokio::test]
async fn two_gateways_share_the_polling_and_never_poll_one_shipment_at_once() {
    let fake = ScriptedDelhivery::start().await;
    fake.set_delay(Duration::from_millis(40));
    let polling = PollingConfig {
        batch_size: 25,
        concurrency: 16,
        tick_ms: 20,
        ..fast_polling()
    };
    let a = spawn_app_with(|c| {
        point_delhivery_at(c, &fake.base_url("a"));
        c.polling = polling.clone();
        c.limits.enabled = false;
    })
    .await;
    let db = a.database_url.clone();
    let b = spawn_app_with(|c| {
        point_delhivery_at(c, &fake.base_url("b"));
        c.database_url = db;
        c.polling = polling.clone();
    })
    .await;
    let shipments = 150;
    let refs: Vec<String> = (0..shipments).map(|i| format!("ORD-TWO-{i}")).collect();
    let booked: Vec<(String, String)> =
        futures::future::join_all(refs.iter().map(|r| book(&a, r))).await;
    let (booked_ref, fake_ref) = (&booked, &fake);
    eventually(
        "every shipment was polled three times",
        Duration::from_secs(60),
        || async move {
            booked_ref
                .iter()
                .all(|(_, awb)| fake_ref.calls_for(awb) >= 3)
        },
    )
    .await;
    drop(b);
    let calls = fake.calls();
    let by = |g: &str| calls.iter().filter(|c| c.gateway == g).count();
    assert!(
        by("a") > 0 && by("b") > 0,
        "both gateways polled: a {} b {}",
        by("a"),
        by("b")
    );
    assert_eq!(
        fake.max_in_flight(),
        1,
        "a shipment was polled twice at once"
    );
}
