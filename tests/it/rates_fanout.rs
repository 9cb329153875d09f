//! `POST /v1/rates` as a fan-out: carrier accounts asked at once within per-carrier and
//! overall deadlines, circuit breakers that skip failing accounts, pincode serviceability
//! that skips accounts not serving a lane (cached in process and in Redis), and the
//! per-tenant rate cache. The "carriers" are fake Delhivery servers (several accounts of
//! one carrier, each at its own base URL) that count the calls they get.

use crate::common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::fake_rates::{FakeRates, Overlap, UNSERVED_PIN};
use common::redis::RedisServer;
use common::{TestApp, address, pointers, problem, spawn_app_with};
use serde_json::{Value, json};
use shipgate::Config;
use shipgate::config::CarrierConfig;
use shipgate::store::Role;

fn rate_body(to_pin: &str) -> Value {
    json!({
        "from": address("110020"),
        "to": address(to_pin),
        "parcels": [{"weight_g": 500}],
        "payment": {"mode": "prepaid"},
    })
}

/// Only the given accounts: the built-in carriers' default accounts are disabled.
fn only_accounts(c: &mut Config, accounts: &[(&str, &FakeRates, Option<u64>)]) {
    for spec in carriers::registry() {
        c.carriers.insert(
            spec.id.into(),
            CarrierConfig {
                enabled: Some(false),
                ..Default::default()
            },
        );
    }
    for (id, fake, timeout_ms) in accounts {
        c.carriers.insert(
            (*id).into(),
            CarrierConfig {
                adapter: Some("delhivery".into()),
                base_url: Some(fake.url.clone()),
                timeout_ms: *timeout_ms,
                ..Default::default()
            },
        );
    }
}

fn settings(c: &mut Config, deadline_ms: u64, cache_ttl_ms: u64, serviceability_ttl_secs: u64) {
    c.rates.deadline_ms = deadline_ms;
    c.rates.cache_ttl_ms = cache_ttl_ms;
    c.rates.serviceability_ttl_secs = serviceability_ttl_secs;
}

async fn rates(app: &TestApp, key: &str, body: &Value) -> (Value, String, Duration) {
    let start = Instant::now();
    let r = app
        .client
        .post(app.url("/v1/rates"))
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .unwrap();
    let elapsed = start.elapsed();
    assert_eq!(r.status(), 200);
    let cache = r
        .headers()
        .get("cache-status")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.json().await.unwrap(), cache, elapsed)
}

fn accounts_of(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|q| q["carrier_account"].as_str().unwrap().to_string())
        .collect()
}

fn error_of<'a>(body: &'a Value, account: &str) -> &'a Value {
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["carrier_account"] == account)
        .unwrap_or_else(|| panic!("no error entry for {account}: {body}"))
}

async fn readiness(app: &TestApp) -> Value {
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(
        r.status(),
        200,
        "an open circuit never makes the gateway unready"
    );
    r.json().await.unwrap()
}

async fn breaker_gauge(app: &TestApp, account: &str) -> Option<f64> {
    let text = app.metrics().await;
    text.lines()
        .filter(|l| l.starts_with("shipgate_carrier_breaker_state{"))
        .find(|l| l.contains(&format!("account=\"{account}\"")))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

#[tokio::test]
async fn four_accounts_answer_with_the_slowest_that_made_it() {
    // Rate latencies 50, 100, 200 and 3000 ms; every account may take 200 ms per call
    // (the fakes spend half their latency on each of Delhivery's two charges calls, which
    // go together), and the whole request 1 s.
    let overlap = Arc::new(Overlap::default());
    let fast = FakeRates::start_with(9000, 50, Some(overlap.clone())).await;
    let medium = FakeRates::start_with(7000, 100, Some(overlap.clone())).await;
    let slow = FakeRates::start_with(8000, 200, Some(overlap.clone())).await;
    let stuck = FakeRates::start_with(1000, 3000, Some(overlap.clone())).await;
    let app = spawn_app_with(|c| {
        only_accounts(
            c,
            &[
                ("acct_fast", &fast, Some(200)),
                ("acct_medium", &medium, Some(200)),
                ("acct_slow", &slow, Some(200)),
                ("acct_stuck", &stuck, Some(200)),
            ],
        );
        settings(c, 1000, 0, 3600);
    })
    .await;
    let (body, cache, elapsed) = rates(&app, &app.api_key, &rate_body("560001")).await;
    eprintln!("four accounts answered in {elapsed:?}");
    assert!(
        elapsed < Duration::from_secs(1),
        "answered after {elapsed:?}, not at the slowest carrier's 3 s nor at the deadline"
    );
    assert_eq!(
        overlap.peak(),
        8,
        "every account was asked at once, both its charges calls together"
    );
    // Cheapest first; two services per account.
    assert_eq!(
        accounts_of(&body["quotes"]),
        [
            "acct_medium",
            "acct_slow",
            "acct_fast",
            "acct_medium",
            "acct_slow",
            "acct_fast"
        ]
    );
    let totals: Vec<i64> = body["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["total"]["amount"].as_i64().unwrap())
        .collect();
    assert_eq!(totals, [7000, 8000, 9000, 14000, 16000, 18000]);
    assert!(
        body["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["carrier"] == "delhivery")
    );
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{body}");
    let stuck_error = error_of(&body, "acct_stuck");
    assert_eq!(stuck_error["carrier"], "delhivery");
    assert_eq!(stuck_error["code"], "timeout");
    assert!(
        stuck_error["detail"].as_str().unwrap().contains("200 ms"),
        "{stuck_error}"
    );
    assert_eq!(cache, "shipgate; fwd=bypass");
}

#[tokio::test]
async fn the_request_deadline_cuts_slow_accounts_and_says_so() {
    let fast = FakeRates::start(5000, 40).await;
    let stuck = FakeRates::start(1000, 3000).await;
    let app = spawn_app_with(|c| {
        only_accounts(c, &[("dl_fast", &fast, None), ("dl_stuck", &stuck, None)]);
        settings(c, 5000, 0, 3600);
    })
    .await;
    let mut body = rate_body("560001");
    body["deadline_ms"] = json!(400);
    let (answer, _, elapsed) = rates(&app, &app.api_key, &body).await;
    assert!(
        elapsed >= Duration::from_millis(400),
        "the deadline is waited for while an account may still answer ({elapsed:?})"
    );
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
    assert_eq!(accounts_of(&answer["quotes"]), ["dl_fast", "dl_fast"]);
    let late = error_of(&answer, "dl_stuck");
    assert_eq!(late["code"], "timeout");
    assert!(
        late["detail"]
            .as_str()
            .unwrap()
            .contains("deadline of 400 ms"),
        "{late}"
    );
    // A deadline cut is not the carrier failing: its circuit stays closed.
    assert_eq!(
        readiness(&app).await["carriers"]["dl_stuck"]["breaker"],
        "closed"
    );
}

#[tokio::test]
async fn a_bad_deadline_is_refused_at_its_pointer() {
    let fake = FakeRates::start(5000, 0).await;
    let app = spawn_app_with(|c| {
        only_accounts(c, &[("dl_a", &fake, None)]);
        c.rates.max_deadline_ms = 5000;
    })
    .await;
    for bad in [json!(0), json!(-5), json!(5001), json!("soon"), json!(1.5)] {
        let mut body = rate_body("560001");
        body["deadline_ms"] = bad.clone();
        let (status, problem) = problem(app.post("/v1/rates", &body).await).await;
        assert_eq!(status, 422, "{bad}: {problem}");
        assert_eq!(pointers(&problem), ["/deadline_ms"], "{bad}: {problem}");
    }
    // Reported together with the request's other mistakes.
    let mut body = rate_body("56001");
    body["deadline_ms"] = json!(0);
    body["carriers"] = json!(["dl_a", "nope"]);
    let (_, problem) = problem(app.post("/v1/rates", &body).await).await;
    let mut found = pointers(&problem);
    found.sort();
    assert_eq!(found, ["/carriers/1", "/deadline_ms", "/to/postal_code"]);
    assert_eq!(fake.hits(), 0, "nothing is asked for a bad request");
}

#[tokio::test]
async fn a_failing_account_opens_its_circuit_is_skipped_and_comes_back() {
    let healthy = FakeRates::start(6000, 0).await;
    let flaky = FakeRates::start(4000, 0).await;
    let app = spawn_app_with(|c| {
        only_accounts(
            c,
            &[("dl_healthy", &healthy, None), ("dl_flaky", &flaky, None)],
        );
        settings(c, 1000, 0, 0);
        let flaky = c.carriers.get_mut("dl_flaky").unwrap();
        flaky.breaker_threshold = Some(3);
        flaky.breaker_cool_down_ms = Some(400);
    })
    .await;
    let body = rate_body("560001");
    let key = app.api_key.clone();
    assert_eq!(breaker_gauge(&app, "dl_flaky").await, Some(0.0));

    flaky.set_failing(true);
    for _ in 0..3 {
        let (answer, _, _) = rates(&app, &key, &body).await;
        assert_eq!(error_of(&answer, "dl_flaky")["code"], "upstream");
        assert_eq!(accounts_of(&answer["quotes"]), ["dl_healthy", "dl_healthy"]);
    }
    assert_eq!(flaky.hits(), 3, "one pincode call per request, each a 503");
    let ready = readiness(&app).await;
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["carriers"]["dl_flaky"]["breaker"], "open");
    assert_eq!(ready["carriers"]["dl_flaky"]["carrier"], "delhivery");
    assert!(
        ready["carriers"]["dl_flaky"]["retry_in_ms"]
            .as_u64()
            .unwrap()
            <= 400
    );
    assert_eq!(ready["carriers"]["dl_healthy"]["breaker"], "closed");
    assert_eq!(breaker_gauge(&app, "dl_flaky").await, Some(2.0));

    // Open: not asked at all, and the others still quote.
    for _ in 0..3 {
        let (answer, _, _) = rates(&app, &key, &body).await;
        assert_eq!(error_of(&answer, "dl_flaky")["code"], "circuit_open");
        assert_eq!(accounts_of(&answer["quotes"]), ["dl_healthy", "dl_healthy"]);
    }
    assert_eq!(flaky.hits(), 3, "an open circuit sends nothing");

    // After the cool-down one probe goes; it fails, so the circuit opens again.
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(
        readiness(&app).await["carriers"]["dl_flaky"]["breaker"],
        "half_open"
    );
    let (answer, _, _) = rates(&app, &key, &body).await;
    assert_eq!(error_of(&answer, "dl_flaky")["code"], "upstream");
    assert_eq!(flaky.hits(), 4, "exactly one probe");
    let (answer, _, _) = rates(&app, &key, &body).await;
    assert_eq!(error_of(&answer, "dl_flaky")["code"], "circuit_open");
    assert_eq!(flaky.hits(), 4);

    // The carrier recovers: the next probe succeeds and closes the circuit.
    flaky.set_failing(false);
    tokio::time::sleep(Duration::from_millis(450)).await;
    let (answer, _, _) = rates(&app, &key, &body).await;
    assert!(answer["errors"].as_array().unwrap().is_empty(), "{answer}");
    assert_eq!(
        accounts_of(&answer["quotes"]),
        ["dl_flaky", "dl_healthy", "dl_flaky", "dl_healthy"]
    );
    assert_eq!(
        readiness(&app).await["carriers"]["dl_flaky"]["breaker"],
        "closed"
    );
    assert_eq!(breaker_gauge(&app, "dl_flaky").await, Some(0.0));
    let (answer, _, _) = rates(&app, &key, &body).await;
    assert_eq!(answer["quotes"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn serviceability_skips_unserved_lanes_and_is_cached() {
    let fake = FakeRates::start(5000, 0).await;
    let app = spawn_app_with(|c| {
        only_accounts(c, &[("dl_svc", &fake, None)]);
        settings(c, 1000, 0, 3600);
    })
    .await;
    let key = app.api_key.clone();

    let (answer, _, _) = rates(&app, &key, &rate_body(UNSERVED_PIN)).await;
    let skipped = error_of(&answer, "dl_svc");
    assert_eq!(skipped["code"], "not_serviceable");
    assert!(
        skipped["detail"].as_str().unwrap().contains(UNSERVED_PIN),
        "{skipped}"
    );
    assert_eq!((fake.pincode_hits(), fake.charges_hits()), (1, 0));
    // Asked again: the cached answer skips the account without any call.
    let (answer, _, _) = rates(&app, &key, &rate_body(UNSERVED_PIN)).await;
    assert_eq!(error_of(&answer, "dl_svc")["code"], "not_serviceable");
    assert_eq!((fake.pincode_hits(), fake.charges_hits()), (1, 0));

    // A served lane: the pre-check once, then only the rate calls (the adapter trusts the
    // pre-check and does not ask about the lane again).
    let (answer, _, _) = rates(&app, &key, &rate_body("560001")).await;
    assert_eq!(answer["quotes"].as_array().unwrap().len(), 2);
    let after_first = (fake.pincode_hits(), fake.charges_hits());
    assert_eq!(after_first, (2, 2), "one pre-check, two services");
    let (answer, _, _) = rates(&app, &key, &rate_body("560001")).await;
    assert_eq!(answer["quotes"].as_array().unwrap().len(), 2);
    assert_eq!((fake.pincode_hits(), fake.charges_hits()), (2, 4));

    // COD is another question for the same PIN codes.
    let mut cod = rate_body(UNSERVED_PIN);
    cod["payment"] = json!({"mode": "cod", "cod_amount": {"amount": 49900, "currency": "INR"}});
    rates(&app, &key, &cod).await;
    assert_eq!(fake.pincode_hits(), 3);
}

#[tokio::test]
async fn without_the_pre_check_the_adapter_asks_about_the_lane_itself() {
    // Delhivery's charges API prices any pair of PIN codes: with the gateway's
    // serviceability pre-check off, the adapter must still refuse an unserved lane.
    let fake = FakeRates::start(5000, 0).await;
    let app = spawn_app_with(|c| {
        only_accounts(c, &[("dl_own", &fake, None)]);
        settings(c, 1000, 0, 0);
    })
    .await;
    let key = app.api_key.clone();
    let (answer, _, _) = rates(&app, &key, &rate_body(UNSERVED_PIN)).await;
    assert_eq!(error_of(&answer, "dl_own")["code"], "not_serviceable");
    assert!(answer["quotes"].as_array().unwrap().is_empty(), "{answer}");
    assert_eq!((fake.pincode_hits(), fake.charges_hits()), (1, 0));
    let (answer, _, _) = rates(&app, &key, &rate_body("560001")).await;
    assert_eq!(answer["quotes"].as_array().unwrap().len(), 2);
    assert_eq!((fake.pincode_hits(), fake.charges_hits()), (2, 2));
}

#[tokio::test]
async fn serviceability_failure_asks_for_rates_anyway() {
    // The serviceability call fails, the rate call works: the quote is not lost.
    let fake = FakeRates::start(5000, 0).await;
    let app = spawn_app_with(|c| {
        only_accounts(c, &[("dl_sf", &fake, None)]);
        settings(c, 1000, 0, 3600);
    })
    .await;
    fake.set_failing(true);
    let (answer, _, _) = rates(&app, &app.api_key, &rate_body("560001")).await;
    assert_eq!(error_of(&answer, "dl_sf")["code"], "upstream");
    assert_eq!(
        fake.pincode_hits(),
        2,
        "the pre-check failed, rates were asked anyway"
    );
    fake.set_failing(false);
    let (answer, _, _) = rates(&app, &app.api_key, &rate_body("560001")).await;
    assert_eq!(answer["quotes"].as_array().unwrap().len(), 2, "{answer}");
    assert_eq!(
        fake.pincode_hits(),
        3,
        "a failed check was not cached (and, answered, not repeated by the adapter)"
    );
}

async fn wait_for_redis_keys(url: &str, pattern: &str) {
    let client = redis::Client::open(url).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    for _ in 0..100 {
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(pattern)
            .query_async(&mut conn)
            .await
            .unwrap();
        if !keys.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no Redis key matches {pattern}");
}

#[tokio::test]
async fn serviceability_is_shared_through_redis_and_survives_its_outage() {
    let mut redis = RedisServer::start();
    let fake = FakeRates::start(5000, 0).await;
    let configure = |c: &mut Config| {
        only_accounts(c, &[("dl_shared", &fake, None)]);
        settings(c, 1000, 0, 3600);
        c.redis_url = Some(redis.url());
    };
    let first = spawn_app_with(configure).await;
    let second = spawn_app_with(configure).await;

    let (answer, _, _) = rates(&first, &first.api_key, &rate_body(UNSERVED_PIN)).await;
    assert_eq!(error_of(&answer, "dl_shared")["code"], "not_serviceable");
    assert_eq!(fake.pincode_hits(), 1);
    wait_for_redis_keys(&redis.url(), "sg:serviceability:v1:dl_shared:*").await;

    // Another process knows it without asking the carrier.
    let (answer, _, _) = rates(&second, &second.api_key, &rate_body(UNSERVED_PIN)).await;
    assert_eq!(error_of(&answer, "dl_shared")["code"], "not_serviceable");
    assert_eq!(fake.pincode_hits(), 1, "the second process read Redis");

    // Redis down: rates still answer, serviceability is asked in process.
    redis.kill();
    let (answer, _, _) = rates(&second, &second.api_key, &rate_body("560001")).await;
    assert_eq!(answer["quotes"].as_array().unwrap().len(), 2, "{answer}");
    assert!(answer["errors"].as_array().unwrap().is_empty(), "{answer}");
    let (answer, _, _) = rates(&second, &second.api_key, &rate_body(UNSERVED_PIN)).await;
    assert_eq!(error_of(&answer, "dl_shared")["code"], "not_serviceable");
}

#[tokio::test]
async fn identical_requests_are_answered_from_the_rate_cache_per_tenant() {
    let fake = FakeRates::start(5000, 0).await;
    let flaky = FakeRates::start(4000, 0).await;
    let app = spawn_app_with(|c| {
        only_accounts(
            c,
            &[("dl_cache", &fake, None), ("dl_cache_flaky", &flaky, None)],
        );
        settings(c, 1000, 400, 3600);
    })
    .await;
    let key = app.api_key.clone();
    let body = rate_body("560001");

    let (first, cache, _) = rates(&app, &key, &body).await;
    assert_eq!(cache, "shipgate; fwd=miss; stored");
    let hits = fake.charges_hits();
    let (second, cache, _) = rates(&app, &key, &body).await;
    assert!(cache.starts_with("shipgate; hit; ttl="), "{cache}");
    assert_eq!(first, second);
    assert_eq!(fake.charges_hits(), hits, "a hit asks no carrier");

    // The same request from another tenant is its own entry.
    let other = app.key_for_tenant("other-shop", Role::Read).await;
    let (_, cache, _) = rates(&app, &other, &body).await;
    assert_eq!(cache, "shipgate; fwd=miss; stored");
    assert_eq!(fake.charges_hits(), hits + 2);

    // A different parcel is a different question; the carrier order is not.
    let mut heavier = body.clone();
    heavier["parcels"][0]["weight_g"] = json!(900);
    let (_, cache, _) = rates(&app, &key, &heavier).await;
    assert_eq!(cache, "shipgate; fwd=miss; stored");
    let mut named = body.clone();
    named["carriers"] = json!(["dl_cache", "dl_cache_flaky"]);
    rates(&app, &key, &named).await;
    named["carriers"] = json!(["dl_cache_flaky", "dl_cache", "dl_cache"]);
    let (_, cache, _) = rates(&app, &key, &named).await;
    assert!(cache.starts_with("shipgate; hit"), "{cache}");

    // Entries expire.
    tokio::time::sleep(Duration::from_millis(450)).await;
    let (_, cache, _) = rates(&app, &key, &body).await;
    assert_eq!(cache, "shipgate; fwd=miss; stored");

    // An answer with a failed account is not kept.
    tokio::time::sleep(Duration::from_millis(450)).await;
    flaky.set_failing(true);
    let (partial, cache, _) = rates(&app, &key, &body).await;
    assert_eq!(error_of(&partial, "dl_cache_flaky")["code"], "upstream");
    assert_eq!(cache, "shipgate; fwd=miss");
    let (_, cache, _) = rates(&app, &key, &body).await;
    assert_eq!(cache, "shipgate; fwd=miss");
}

#[tokio::test]
async fn accounts_quote_book_and_track_with_their_own_transport() {
    use common::fake_delhivery::{AWB, fake_delhivery, serve};
    let booking_fake = serve(fake_delhivery()).await;
    let rates_fake = FakeRates::start(5000, 0).await;
    let app = spawn_app_with(|c| {
        c.carriers.insert(
            "delhivery_express".into(),
            CarrierConfig {
                adapter: Some("delhivery".into()),
                base_url: Some(booking_fake.clone()),
                ..Default::default()
            },
        );
        c.carriers.insert(
            "delhivery_rates".into(),
            CarrierConfig {
                adapter: Some("delhivery".into()),
                base_url: Some(rates_fake.url.clone()),
                ..Default::default()
            },
        );
    })
    .await;

    let carriers: Value = app.get("/v1/carriers").await.json().await.unwrap();
    let listed: Vec<(String, String)> = carriers["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["account"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for pair in [
        ("delhivery", "delhivery"),
        ("delhivery", "delhivery_express"),
        ("delhivery", "delhivery_rates"),
        ("shiprocket", "shiprocket"),
    ] {
        assert!(
            listed.contains(&(pair.0.to_string(), pair.1.to_string())),
            "{listed:?}"
        );
    }

    // Naming an account asks that account; naming a carrier asks all its accounts.
    let mut body = rate_body("560001");
    body["carriers"] = json!(["delhivery_rates"]);
    let (answer, _, _) = rates(&app, &app.api_key, &body).await;
    assert_eq!(
        accounts_of(&answer["quotes"]),
        ["delhivery_rates", "delhivery_rates"]
    );
    body["carriers"] = json!(["delhivery"]);
    let (answer, _, _) = rates(&app, &app.api_key, &body).await;
    let mut asked: Vec<String> = accounts_of(&answer["quotes"])
        .into_iter()
        .chain(accounts_of(&json!(answer["errors"])))
        .collect();
    asked.sort();
    asked.dedup();
    assert_eq!(asked, ["delhivery", "delhivery_express", "delhivery_rates"]);

    // Booking with an account stores it; tracking goes through the same account.
    let r = app
        .post(
            "/v1/shipments",
            &common::shipment_body("ORD-ACCOUNT-1", "delhivery_express"),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let shipment: Value = r.json().await.unwrap();
    assert_eq!(shipment["carrier"], "delhivery");
    assert_eq!(shipment["carrier_account"], "delhivery_express");
    assert_eq!(shipment["awb"], AWB);
    let id = shipment["id"].as_str().unwrap();
    let tracking: Value = app
        .get(&format!("/v1/shipments/{id}/tracking"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(tracking["status"], "out_for_delivery", "{tracking}");

    // A carrier id books with its default account (the sandbox simulator).
    let r = app
        .post(
            "/v1/shipments",
            &common::shipment_body("ORD-ACCOUNT-2", "delhivery"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let shipment: Value = r.json().await.unwrap();
    assert_eq!(shipment["carrier_account"], "delhivery");
    assert_ne!(shipment["awb"], AWB);
}

#[tokio::test]
async fn account_configuration_mistakes_stop_start_up() {
    for (key, adapter, wanted) in [
        (
            "delhivery_x",
            Some("fedex_ground"),
            "names unknown carrier `fedex_ground`",
        ),
        ("courier_x", None, "SHIPGATE_CARRIERS__COURIER_X__ADAPTER"),
        (
            "shiprocket",
            Some("delhivery"),
            "default account of shiprocket",
        ),
        ("Bad-Name", Some("delhivery"), "lower-case letters"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            database_url: common::database_url(&dir).await,
            ..Config::default()
        };
        config.carriers.insert(
            key.into(),
            CarrierConfig {
                adapter: adapter.map(str::to_string),
                ..Default::default()
            },
        );
        let err = match shipgate::Application::build(config).await {
            Ok(_) => panic!("{key} should be refused"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains(wanted), "{key}: {err}");
    }
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: common::database_url(&dir).await,
        ..Config::default()
    };
    config.rates.deadline_ms = 20_000;
    match shipgate::Application::build(config).await {
        Ok(_) => panic!("a default deadline above the maximum is refused"),
        Err(e) => assert!(e.to_string().contains("SHIPGATE_RATES__DEADLINE_MS"), "{e}"),
    }
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: common::database_url(&dir).await,
        ..Config::default()
    };
    config
        .carriers
        .entry("delhivery".into())
        .or_default()
        .max_concurrent_calls = Some(0);
    match shipgate::Application::build(config).await {
        Ok(_) => panic!("no call ever in flight is refused"),
        Err(e) => assert!(
            e.to_string()
                .contains("SHIPGATE_CARRIERS__DELHIVERY__MAX_CONCURRENT_CALLS must be at least 1"),
            "{e}"
        ),
    }
}

#[tokio::test]
async fn an_account_configured_from_the_environment() {
    use common::gateway::{KEY, command, start};
    let fake = FakeRates::start(4200, 0).await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("env.db").display());
    let mut cmd = command(&db);
    cmd.env("SHIPGATE_CARRIERS__DELHIVERY_EXPRESS__ADAPTER", "delhivery")
        .env("SHIPGATE_CARRIERS__DELHIVERY_EXPRESS__BASE_URL", &fake.url)
        .env(
            "SHIPGATE_CARRIERS__DELHIVERY_EXPRESS__BREAKER_THRESHOLD",
            "2",
        )
        .env(
            "SHIPGATE_CARRIERS__DELHIVERY_EXPRESS__MAX_CONCURRENT_CALLS",
            "4",
        )
        .env("SHIPGATE_RATES__DEADLINE_MS", "800");
    let gateway = start(cmd);
    let mut body = rate_body("560001");
    body["carriers"] = json!(["delhivery_express"]);
    let client = reqwest::Client::new();
    let answer: Value = client
        .post(format!("{}/v1/rates", gateway.url))
        .bearer_auth(KEY)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        accounts_of(&answer["quotes"]),
        ["delhivery_express", "delhivery_express"],
        "{answer}"
    );
    assert_eq!(answer["quotes"][0]["total"]["amount"], 4200);
    assert!(fake.charges_hits() >= 2);
}

/// An account's calls in flight are bounded (`max_concurrent_calls`): the rest wait their
/// turn and are answered; one whose deadline passes while it waits is cut by the deadline
/// without reaching the carrier, and the account's circuit stays closed.
#[tokio::test]
async fn calls_in_flight_are_bounded_per_account_and_the_rest_wait_their_turn() {
    let overlap = Arc::new(Overlap::default());
    // Each charges call takes 100 ms; a quote makes two at once.
    let fake = FakeRates::start_with(5000, 200, Some(overlap.clone())).await;
    let app = spawn_app_with(|c| {
        only_accounts(c, &[("dl_a", &fake, None)]);
        settings(c, 5000, 0, 3600);
        c.carriers.get_mut("dl_a").unwrap().max_concurrent_calls = Some(2);
    })
    .await;
    let body = rate_body("560001");
    let asked = (0..6).map(|_| rates(&app, &app.api_key, &body));
    for (answer, _, _) in futures::future::join_all(asked).await {
        assert_eq!(accounts_of(&answer["quotes"]), ["dl_a", "dl_a"], "{answer}");
    }
    assert_eq!(fake.charges_hits(), 12);
    // Without the bound the six quotes' twelve calls overlap; with it, two at most, and
    // the two are used.
    assert_eq!(overlap.peak(), 2, "charges calls in flight at once");

    // One turn: a quote of 500 ms calls holds it, and a quote with 200 ms to live waits
    // behind it.
    let fake = FakeRates::start(5000, 1000).await;
    let app = spawn_app_with(|c| {
        only_accounts(c, &[("dl_b", &fake, None)]);
        settings(c, 5000, 0, 3600);
        c.carriers.get_mut("dl_b").unwrap().max_concurrent_calls = Some(1);
    })
    .await;
    let first = tokio::spawn({
        let (client, url, key) = (
            app.client.clone(),
            app.url("/v1/rates"),
            app.api_key.clone(),
        );
        async move {
            let r = client
                .post(url)
                .bearer_auth(key)
                .json(&rate_body("560001"))
                .send();
            r.await.unwrap().json::<Value>().await.unwrap()
        }
    });
    let waiting_since = Instant::now();
    while fake.charges_hits() == 0 {
        assert!(
            waiting_since.elapsed() < Duration::from_secs(10),
            "no call arrived"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut body = rate_body("560001");
    body["deadline_ms"] = json!(200);
    let (answer, _, _) = rates(&app, &app.api_key, &body).await;
    let cut = error_of(&answer, "dl_b");
    assert_eq!(cut["code"], "timeout", "{answer}");
    assert!(
        cut["detail"]
            .as_str()
            .unwrap()
            .contains("deadline of 200 ms"),
        "{cut}"
    );
    let first = first.await.unwrap();
    assert_eq!(accounts_of(&first["quotes"]), ["dl_b", "dl_b"], "{first}");
    assert_eq!(
        fake.charges_hits(),
        2,
        "the cut quote's calls never reached the carrier"
    );
    assert_eq!(
        readiness(&app).await["carriers"]["dl_b"]["breaker"],
        "closed"
    );
}
