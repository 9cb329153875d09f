//! Carrier scorecards, delivery estimates and late shipments over HTTP (issue 20), on
//! SQLite and PostgreSQL.
//!
//! Shipments are booked through the API on the Delhivery and Shiprocket simulators; their
//! scans are recorded through the store's one entry for scans (`Store::add_events`, which
//! pushes and polls use too), with chosen carrier times, so that every number of the
//! scorecard can be counted by hand: repeats, late older scans and a delivery after an
//! undone RTO are among them and must not count twice.

use crate::common;

use carriers::schema::TrackingEvent;
use carriers::taxonomy::{SubStatus, Unified};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use common::{TestApp, json_of, only_carriers, pointers, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};
use shipgate::store::Role;

async fn app() -> TestApp {
    spawn_app_with(|c| {
        c.limits.enabled = false;
        // Scans are recorded by the test, never found by polls.
        c.polling.enabled = false;
        only_carriers(c, &["delhivery", "shiprocket"]);
        // Rules and lane history are read afresh for every request.
        c.selection.cache_ttl_ms = 0;
    })
    .await
}

fn ist() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600 + 1800).unwrap()
}

fn today() -> NaiveDate {
    Utc::now().with_timezone(&ist()).date_naive()
}

/// Noon (India) `days` after today.
fn noon(days: i64) -> DateTime<Utc> {
    ist()
        .from_local_datetime(
            &(today() + Duration::days(days))
                .and_hms_opt(12, 0, 0)
                .unwrap(),
        )
        .unwrap()
        .with_timezone(&Utc)
}

/// Books `order` with `carrier` from Delhi to `pin`; the shipment.
async fn book(app: &TestApp, order: &str, carrier: &str, pin: &str) -> Value {
    let mut body = shipment_body(order, carrier);
    body["to"]["postal_code"] = json!(pin);
    json_of(app.post("/v1/shipments", &body).await, 201).await
}

/// Records one carrier scan; how many events were new.
async fn scan(app: &TestApp, id: &str, sub: SubStatus, code: &str, at: DateTime<Utc>) -> usize {
    let event = TrackingEvent::new(Unified::new(sub), code, code, at);
    app.state.store.add_events(id, &[event]).await.unwrap()
}

/// A shipment picked up today and delivered `days` later, `failed` attempts first.
async fn delivered(app: &TestApp, id: &str, days: i64, failed: usize) {
    scan(app, id, SubStatus::PickedUp, "PU", noon(0)).await;
    for f in 0..failed {
        let code = format!("NDR{f}");
        scan(
            app,
            id,
            SubStatus::CustomerUnavailable,
            &code,
            noon(0) + Duration::hours(1 + f as i64),
        )
        .await;
    }
    scan(app, id, SubStatus::Delivered, "DL", noon(days)).await;
}

async fn cards(app: &TestApp, query: &str) -> Value {
    json_of(
        app.get(&format!("/v1/analytics/carriers{query}")).await,
        200,
    )
    .await
}

fn row<'a>(cards: &'a Value, account: &str, lane: Option<(&str, &str)>) -> &'a Value {
    cards["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["carrier_account"] == account
                && match lane {
                    None => r["lane"].is_null(),
                    Some((o, d)) => r["lane"]["origin"] == o && r["lane"]["destination"] == d,
                }
        })
        .unwrap_or_else(|| panic!("no row {account} {lane:?} in {cards}"))
}

fn id(s: &Value) -> String {
    s["id"].as_str().unwrap().to_string()
}

/// The numbers of a scorecard row that do not depend on prices or promises.
fn counts(r: &Value) -> Value {
    json!([
        r["shipments"],
        r["delivered"],
        r["delivered_pct"],
        r["first_attempt_pct"],
        r["ndr_pct"],
        r["rto_pct"],
        r["transit_days_median"],
        r["transit_days_p90"]
    ])
}

#[tokio::test]
async fn scorecards_count_each_shipment_once_and_feed_estimates_and_selection() {
    let app = app().await;
    let ka = Some(("IN-DL", "IN-KA"));

    // Twelve Delhivery shipments Delhi → Karnataka, one Delhi → Maharashtra. No history
    // yet: no promised date.
    let mut d = Vec::new();
    for i in 0..12 {
        let s = book(&app, &format!("ORD-D{i}"), "delhivery", "560001").await;
        assert!(s.get("estimated_delivery").is_none(), "{s}");
        assert_eq!(s["late"], false);
        d.push(id(&s));
    }
    let mh = id(&book(&app, "ORD-MH", "delhivery", "400001").await);
    // A booking cancelled before it shipped leaves the scorecard.
    let cancelled = id(&book(&app, "ORD-CANCELLED", "delhivery", "560001").await);
    let r = app
        .post(&format!("/v1/shipments/{cancelled}/cancel"), &json!({}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // Delivered in 1, 2, 2, 5 (see below), 3, 3, 4, 5, 6 and 9 days; d2 and d5 after a
    // failed attempt; d10 fails and goes back; d11 is on its way.
    for (i, days) in [(0, 1), (2, 2), (4, 3), (6, 4), (7, 5), (8, 6), (9, 9)] {
        delivered(&app, &d[i], days, 0).await;
    }
    delivered(&app, &d[5], 3, 1).await;
    // d2: its failed attempt arrives late, older than the delivery.
    scan(
        &app,
        &d[2],
        SubStatus::CustomerUnavailable,
        "NDR-LATE",
        noon(1),
    )
    .await;
    // d1: the delivery is scanned before the pickup arrives (late, older): 2 days from pickup.
    scan(&app, &d[1], SubStatus::Delivered, "DL", noon(2)).await;
    scan(&app, &d[1], SubStatus::PickedUp, "PU", noon(0)).await;
    // d0: its delivery pushed again, and a second delivered scan a day later: still one
    // delivery, still 1 day.
    assert_eq!(
        scan(&app, &d[0], SubStatus::Delivered, "DL", noon(1)).await,
        0
    );
    scan(&app, &d[0], SubStatus::Delivered, "DL-AGAIN", noon(2)).await;
    // d3: delivered in 3, sent back (RTO), then the RTO undone and delivered at 5 days.
    delivered(&app, &d[3], 3, 0).await;
    scan(&app, &d[3], SubStatus::RtoInitiated, "RTO", noon(4)).await;
    scan(&app, &d[3], SubStatus::Delivered, "DL-2", noon(5)).await;
    // d10: failed, then returned to origin.
    scan(&app, &d[10], SubStatus::PickedUp, "PU", noon(0)).await;
    scan(
        &app,
        &d[10],
        SubStatus::CustomerUnavailable,
        "NDR0",
        noon(1),
    )
    .await;
    scan(&app, &d[10], SubStatus::RtoInitiated, "RTO", noon(2)).await;
    scan(&app, &d[11], SubStatus::PickedUp, "PU", noon(0)).await;
    delivered(&app, &mh, 2, 0).await;

    // By hand, Delhi → Karnataka: 12 shipments, 10 delivered (83.3 %), 8 of them on the
    // first attempt (80.0 %), 3 with an NDR (25.0 %), 1 RTO (8.3 %); transit days
    // 1,2,2,3,3,4,5,5,6,9: median (5th) 3, p90 (9th) 6. Nothing promised, no charge.
    let lanes = cards(&app, "?group_by=lane").await;
    assert_eq!(lanes["group_by"], "lane");
    let r = row(&lanes, "delhivery", ka);
    assert_eq!(
        counts(r),
        json!([12, 10, 83.3, 80.0, 25.0, 8.3, 3, 6]),
        "{r}"
    );
    assert_eq!(r["carrier"], "delhivery");
    assert!(
        r["on_time_pct"].is_null() && r["cost_per_shipment"].is_null(),
        "{r}"
    );
    let r = row(&lanes, "delhivery", Some(("IN-DL", "IN-MH")));
    assert_eq!(
        counts(r),
        json!([1, 1, 100.0, 100.0, 0.0, 0.0, 2, 2]),
        "{r}"
    );
    // By account (the default): 13 shipments, 11 delivered (84.6 %), 9 first attempt
    // (81.8 %), NDR 3 (23.1 %), RTO 1 (7.7 %); transit 1,2,2,2,3,3,4,5,5,6,9: median
    // (6th) 3, p90 (10th) 6.
    let accounts = cards(&app, "").await;
    assert_eq!(accounts["group_by"], "account");
    assert_eq!(accounts["to"], today().to_string());
    assert_eq!(accounts["from"], (today() - Duration::days(29)).to_string());
    let r = row(&accounts, "delhivery", None);
    assert_eq!(
        counts(r),
        json!([13, 11, 84.6, 81.8, 23.1, 7.7, 3, 6]),
        "{r}"
    );

    // Every scan again, in another order: nothing moves.
    for id in d.iter().rev() {
        let events = app.state.store.events(id).await.unwrap();
        let again: Vec<TrackingEvent> = events.into_iter().rev().map(|e| e.event).collect();
        assert_eq!(app.state.store.add_events(id, &again).await.unwrap(), 0);
    }
    assert_eq!(cards(&app, "").await, accounts);

    // The period: booked today, so a period ending yesterday or starting tomorrow is empty.
    let yesterday = today() - Duration::days(1);
    let tomorrow = today() + Duration::days(1);
    assert_eq!(
        cards(&app, &format!("?to={yesterday}")).await["data"],
        json!([])
    );
    let later = cards(&app, &format!("?from={tomorrow}&to={tomorrow}")).await;
    assert_eq!(
        (later["from"].as_str(), later["data"].clone()),
        (Some(tomorrow.to_string().as_str()), json!([]))
    );
    let exact = cards(&app, &format!("?from={today}&to={today}", today = today())).await;
    assert_eq!(counts(row(&exact, "delhivery", None)), counts(r));

    // Estimates from history: Delhivery's quote (no promise of its own in the sandbox)
    // says today + the lane's median of 3 days; a booking promises the same date.
    let rates = json_of(app.post("/v1/rates", &shipment_body("q", "x")).await, 200).await;
    let quotes = rates["quotes"].as_array().unwrap();
    let promised = (today() + Duration::days(3)).to_string();
    for q in quotes {
        match q["estimated_delivery_source"].as_str() {
            Some("history") => {
                assert_eq!(
                    (&q["carrier_account"], q["estimated_delivery"].as_str()),
                    (&json!("delhivery"), Some(promised.as_str())),
                    "{q}"
                )
            }
            Some("carrier") => assert!(q["estimated_delivery"].is_string(), "{q}"),
            _ => assert!(q.get("estimated_delivery").is_none(), "{q}"),
        }
    }
    assert!(
        quotes
            .iter()
            .any(|q| q["estimated_delivery_source"] == "history"),
        "{rates}"
    );
    // Another lane has no history: no estimate from it.
    let mut elsewhere = shipment_body("q", "x");
    elsewhere["to"]["postal_code"] = json!("700001");
    let rates = json_of(app.post("/v1/rates", &elsewhere).await, 200).await;
    assert!(
        rates["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["estimated_delivery_source"] != "history"),
        "{rates}"
    );

    // Two more bookings promise the history's date: one delivered by it, one after.
    let on_time = book(&app, "ORD-E1", "delhivery", "560001").await;
    assert_eq!(on_time["estimated_delivery"], promised.as_str());
    let late = book(&app, "ORD-E2", "delhivery", "560001").await;
    // The buyer's tracking page says the promised date while the parcel is on its way.
    let page = app
        .client
        .get(app.url(late["tracking_url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let expected = chrono::NaiveDate::parse_from_str(&promised, "%Y-%m-%d")
        .unwrap()
        .format("%A %-d %B %Y")
        .to_string();
    let page = page.text().await.unwrap();
    assert!(
        page.contains("Expected by") && page.contains(&expected),
        "{page}"
    );
    delivered(&app, &id(&on_time), 3, 0).await;
    delivered(&app, &id(&late), 4, 0).await;
    let shown = json_of(
        app.get(&format!("/v1/shipments/{}", id(&on_time))).await,
        200,
    )
    .await;
    assert_eq!(shown["estimated_delivery"], promised.as_str());
    let r = cards(&app, "?group_by=lane").await;
    let r = row(&r, "delhivery", ka);
    assert_eq!(
        (&r["shipments"], &r["on_time_pct"]),
        (&json!(14), &json!(50.0)),
        "{r}"
    );

    // Late: a promise that has passed on a shipment still on its way. The promise of d11
    // (booked without one) is set in the past, as if it had been made days ago.
    let before = json_of(app.get("/v1/shipments/summary").await, 200).await;
    assert_eq!(before["late"], 0, "{before}");
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    sqlx::query("UPDATE shipments SET estimated_delivery = $1 WHERE id = $2 OR id = $3")
        .bind(yesterday.to_string())
        .bind(&d[11])
        .bind(&d[9])
        .execute(&pool)
        .await
        .unwrap();
    let listed = json_of(app.get("/v1/shipments?late=true").await, 200).await;
    let ids: Vec<&str> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    // d9 was delivered: not late however its date.
    assert_eq!(ids, vec![d[11].as_str()]);
    assert_eq!(listed["data"][0]["late"], true);
    let acting = json_of(
        app.get("/v1/shipments?action_required=true&limit=200")
            .await,
        200,
    )
    .await;
    assert!(
        acting["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == d[11].as_str()),
        "{acting}"
    );
    let summary = json_of(app.get("/v1/shipments/summary").await, 200).await;
    assert_eq!(summary["late"], 1, "{summary}");
    assert_eq!(
        summary["action_required"].as_i64(),
        before["action_required"].as_i64().map(|n| n + 1),
        "{summary}"
    );
    let others = json_of(app.get("/v1/shipments?late=false&limit=200").await, 200).await;
    assert!(
        others["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["id"] != d[11].as_str())
    );
    let (status, p) = problem(app.get("/v1/shipments?late=maybe").await).await;
    assert_eq!((status, pointers(&p)), (422, vec!["/late".to_string()]));

    // Five Shiprocket bookings, through `auto` with Shiprocket preferred: each costs its
    // quote; all delivered on the first attempt in 1 day.
    let put = |body: Value| {
        app.client
            .put(app.url("/v1/selection-rules"))
            .bearer_auth(&app.api_key)
            .json(&body)
            .send()
    };
    let r = put(json!({"rules": [{"then": {"action": "prefer", "carriers": ["shiprocket"], "weight": 90}}]})).await.unwrap();
    assert_eq!(r.status(), 201);
    let mut cost = 0;
    let mut promised_sr = Vec::new();
    for i in 0..5 {
        let s = book(&app, &format!("ORD-S{i}"), "auto", "560001").await;
        assert_eq!(s["carrier"], "shiprocket", "{s}");
        let attempt = s["selection"]["attempts"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        cost += attempt["total"]["amount"].as_i64().unwrap();
        promised_sr.push(
            s["estimated_delivery"]
                .as_str()
                .map(|d| d.parse::<NaiveDate>().unwrap()),
        );
        delivered(&app, &id(&s), 1, 0).await;
    }
    let r = cards(&app, "").await;
    let sr = row(&r, "shiprocket", None);
    assert_eq!(
        counts(sr),
        json!([5, 5, 100.0, 100.0, 0.0, 0.0, 1, 1]),
        "{sr}"
    );
    let per = (cost as f64 / 5.0).round() as i64;
    assert_eq!(
        sr["cost_per_shipment"],
        json!({"amount": per, "currency": "INR"})
    );
    assert_eq!(
        sr["cost_per_delivered"],
        json!({"amount": per, "currency": "INR"})
    );
    let kept: Vec<bool> = promised_sr
        .iter()
        .flatten()
        .map(|p| today() + Duration::days(1) <= *p)
        .collect();
    let on_time = (!kept.is_empty()).then(|| {
        (kept.iter().filter(|k| **k).count() as f64 * 1000.0 / kept.len() as f64).round() / 10.0
    });
    assert_eq!(sr["on_time_pct"], json!(on_time), "{sr}");

    // Selection by the lane's first-attempt rate: Shiprocket (100 % of 5) beats Delhivery
    // (about 80 %), unless 5 deliveries are too few to count.
    let best = |min: i64| {
        json!({"rules": [{"name": "best FAD", "then": {"action": "prefer_best", "metric": "first_attempt_pct",
            "window_days": 30, "min_shipments": min, "weight": 90}}]})
    };
    assert_eq!(put(best(5)).await.unwrap().status(), 201);
    let rec =
        json_of(app.post("/v1/rates", &shipment_body("q", "x")).await, 200).await["recommendation"]
            .clone();
    assert_eq!(rec["carrier"], "shiprocket", "{rec}");
    let reasons = rec["reasons"].to_string();
    assert!(reasons.contains("best first_attempt_pct on IN-DL → IN-KA over 30 days: shiprocket (100.0% of 5 deliveries)"), "{reasons}");
    assert_eq!(put(best(6)).await.unwrap().status(), 201);
    let rec =
        json_of(app.post("/v1/rates", &shipment_body("q", "x")).await, 200).await["recommendation"]
            .clone();
    assert_eq!(rec["carrier"], "delhivery", "{rec}");
    assert!(
        rec["reasons"]
            .to_string()
            .contains("too little history (under 6): shiprocket (5)"),
        "{rec}"
    );
    // `auto` books the better one too.
    assert_eq!(put(best(5)).await.unwrap().status(), 201);
    let s = book(&app, "ORD-AUTO-BEST", "auto", "560001").await;
    assert_eq!(s["carrier"], "shiprocket", "{s}");
    assert_eq!(put(best(6)).await.unwrap().status(), 201);
    let s = book(&app, "ORD-AUTO-BEST-2", "auto", "560001").await;
    assert_eq!(s["carrier"], "delhivery", "{s}");
}

#[tokio::test]
async fn bad_queries_and_rules_are_refused_at_their_pointers() {
    let app = app().await;
    for (query, pointer, code) in [
        ("?from=2026-13-01", "/from", "invalid_date"),
        ("?to=tomorrow", "/to", "invalid_date"),
        ("?from=0001-01-01", "/from", "invalid_date"),
        ("?from=2026-03-02&to=2026-03-01", "/from", "invalid_range"),
        ("?from=2025-01-01&to=2026-01-02", "/from", "period_too_long"),
        ("?group_by=carrier", "/group_by", "invalid_value"),
        ("?colour=red", "/colour", "unknown_parameter"),
        (
            "?group_by=lane&group_by=account",
            "/group_by",
            "repeated_parameter",
        ),
    ] {
        let (status, p) = problem(app.get(&format!("/v1/analytics/carriers{query}")).await).await;
        assert_eq!(status, 422, "{query}: {p}");
        assert_eq!(pointers(&p), vec![pointer.to_string()], "{query}: {p}");
        assert_eq!(p["errors"][0]["code"], code, "{query}: {p}");
    }
    // 366 days is the longest period; a read key may look.
    let reader = app.key_for_tenant("demo", Role::Read).await;
    let r = app
        .client
        .get(app.url("/v1/analytics/carriers?from=2025-01-01&to=2026-01-01&group_by=lane"))
        .bearer_auth(&reader)
        .send()
        .await
        .unwrap();
    let body = json_of(r, 200).await;
    assert_eq!(
        (&body["from"], &body["data"]),
        (&json!("2025-01-01"), &json!([]))
    );
    let anonymous = app
        .client
        .get(app.url("/v1/analytics/carriers"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    let (status, p) = problem(
        app.post(
            "/v1/selection-rules/validate",
            &json!({"rules": [
                {"then": {"action": "prefer_best", "weight": 10}},
                {"then": {"action": "prefer_best", "metric": "happiness", "window_days": 0, "min_shipments": 0, "weight": 91, "carriers": ["delhivery"]}},
                {"then": {"action": "prefer", "carriers": ["delhivery"], "weight": 10, "metric": "rto_pct"}}
            ]}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{p}");
    let mut got = pointers(&p);
    got.sort();
    assert_eq!(
        got,
        [
            "/rules/0/then/metric",
            "/rules/1/then/carriers",
            "/rules/1/then/metric",
            "/rules/1/then/min_shipments",
            "/rules/1/then/weight",
            "/rules/1/then/window_days",
            "/rules/2/then/metric",
        ]
    );
}
