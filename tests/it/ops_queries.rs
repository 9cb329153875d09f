//! Ops queries over real HTTP against the sandbox: the filtered shipment list and its
//! cursor pagination, the AWB lookup, the status summary, tenant isolation and 422s for
//! bad query parameters. Runs on SQLite, and on PostgreSQL under SG_TEST_POSTGRES_URL.
//!
//! Expected answers are computed from each shipment as `GET /v1/shipments/{id}` shows it,
//! not hard-coded, so the tests hold whatever exact scans the simulators produce; the few
//! states the test depends on (a failed delivery, cancellations) are asserted first.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use carriers::taxonomy::SubStatus;
use chrono::{DateTime, Utc};
use common::{TestApp, address, pointers, problem, shipment_body, spawn_app};
use serde_json::{Value, json};
use shipgate::store::Role;

/// Books a shipment for the app's tenant; a PIN ending in 99 gets a failed delivery
/// attempt in the Delhivery sandbox.
async fn book(app: &TestApp, order_ref: &str, carrier: &str, pin: &str) -> Value {
    let mut body = shipment_body(order_ref, carrier);
    body["to"] = address(pin);
    let r = app.post("/v1/shipments", &body).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

/// One tracking refresh: the sandbox moves the shipment one scan forward.
async fn track(app: &TestApp, id: &str) -> Value {
    let r = app.get(&format!("/v1/shipments/{id}/tracking")).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

async fn get_as(app: &TestApp, key: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .bearer_auth(key)
        .send()
        .await
        .expect("request")
}

async fn list_as(app: &TestApp, key: &str, query: &str) -> Value {
    let r = get_as(app, key, &format!("/v1/shipments?{query}")).await;
    assert_eq!(r.status(), 200, "{query}: {}", r.text().await.unwrap());
    r.json().await.unwrap()
}

async fn list(app: &TestApp, query: &str) -> Value {
    list_as(app, &app.api_key, query).await
}

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

/// Every page of `query` with page size `limit`: the ids in order and the page count.
async fn walk(app: &TestApp, query: &str, limit: u32) -> (Vec<String>, usize) {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut q = format!("{query}&limit={limit}");
        if let Some(c) = &cursor {
            q.push_str(&format!("&cursor={c}"));
        }
        let page = list(app, &q).await;
        pages += 1;
        let got = ids(&page);
        assert!(got.len() <= limit as usize);
        seen.extend(got);
        match page["next_cursor"].as_str() {
            Some(c) => {
                assert!(!c.is_empty());
                cursor = Some(c.to_string());
            }
            None => break,
        }
        assert!(pages < 100, "pagination does not end");
    }
    (seen, pages)
}

fn created_at(s: &Value) -> DateTime<Utc> {
    s["created_at"].as_str().unwrap().parse().unwrap()
}

/// `shipments` in the list's order: newest first, ties by id descending.
fn newest_first(shipments: &[Value]) -> Vec<String> {
    let mut sorted: Vec<&Value> = shipments.iter().collect();
    sorted.sort_by(|a, b| {
        (created_at(b), b["id"].as_str().unwrap()).cmp(&(created_at(a), a["id"].as_str().unwrap()))
    });
    sorted
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

fn action_required(s: &Value) -> bool {
    SubStatus::from_str(s["sub_status"].as_str().unwrap())
        .unwrap()
        .action_required()
}

fn query_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

struct Fixture {
    app: TestApp,
    /// Every shipment as `GET /v1/shipments/{id}` shows it.
    truth: Vec<Value>,
    by_ref: BTreeMap<String, Value>,
}

impl Fixture {
    fn expect(&self, keep: impl Fn(&Value) -> bool) -> Vec<String> {
        let kept: Vec<Value> = self.truth.iter().filter(|s| keep(s)).cloned().collect();
        newest_first(&kept)
    }

    fn id(&self, order_ref: &str) -> String {
        self.by_ref[order_ref]["id"].as_str().unwrap().to_string()
    }
}

/// Seven shipments across both carriers in different states: fresh, moved on by
/// tracking, a failed delivery (Delhivery, PIN ending in 99) and cancelled ones.
async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let d_new = book(&app, "ORD-D-NEW", "delhivery", "560001").await;
    let d_track = book(&app, "ORD-D-TRACK", "delhivery", "560001").await;
    let d_ndr = book(&app, "ORD-D-NDR", "delhivery", "560099").await;
    let d_cancel = book(&app, "ORD-D-CANCEL", "delhivery", "560001").await;
    let s_new = book(&app, "ORD-S-NEW", "shiprocket", "560001").await;
    let s_track = book(&app, "ORD-S-TRACK", "shiprocket", "400001").await;
    let s_cancel = book(&app, "ORD-S-CANCEL", "shiprocket", "560001").await;

    for s in [&d_track, &s_track] {
        for _ in 0..3 {
            track(&app, s["id"].as_str().unwrap()).await;
        }
    }
    let ndr_id = d_ndr["id"].as_str().unwrap();
    let mut reached = false;
    for _ in 0..20 {
        if track(&app, ndr_id).await["status"] == "delivery_failed" {
            reached = true;
            break;
        }
    }
    assert!(
        reached,
        "the Delhivery sandbox never failed the delivery to 560099"
    );
    for s in [&d_cancel, &s_cancel] {
        let r = app
            .post(
                &format!("/v1/shipments/{}/cancel", s["id"].as_str().unwrap()),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }

    let mut truth = Vec::new();
    let mut by_ref = BTreeMap::new();
    for s in [
        &d_new, &d_track, &d_ndr, &d_cancel, &s_new, &s_track, &s_cancel,
    ] {
        let r = app
            .get(&format!("/v1/shipments/{}", s["id"].as_str().unwrap()))
            .await;
        assert_eq!(r.status(), 200);
        let current: Value = r.json().await.unwrap();
        by_ref.insert(
            current["order_ref"].as_str().unwrap().to_string(),
            current.clone(),
        );
        truth.push(current);
    }
    assert_eq!(by_ref["ORD-D-NDR"]["status"], "delivery_failed");
    assert_eq!(by_ref["ORD-D-CANCEL"]["status"], "cancelled");
    assert_eq!(by_ref["ORD-S-CANCEL"]["status"], "cancelled");
    assert_eq!(by_ref["ORD-D-NEW"]["sub_status"], "label_created");
    Fixture { app, truth, by_ref }
}

#[tokio::test]
async fn every_filter_selects_exactly_the_matching_shipments() {
    let f = fixture().await;
    let app = &f.app;

    // No filter: everything, newest first, without timelines.
    let all = list(app, "").await;
    assert_eq!(ids(&all), f.expect(|_| true));
    assert_eq!(all["next_cursor"], Value::Null);
    for s in all["data"].as_array().unwrap() {
        assert!(s.get("events").is_none(), "a list carries no timeline");
        assert!(s["links"]["self"].as_str().is_some());
    }

    let by = |field: &'static str, value: &'static str| {
        move |s: &Value| s[field].as_str() == Some(value)
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "status=delivery_failed",
            f.expect(by("status", "delivery_failed")),
        ),
        ("status=cancelled", f.expect(by("status", "cancelled"))),
        ("status=pre_transit", f.expect(by("status", "pre_transit"))),
        (
            "status=delivery_failed&sub_status=customer_unavailable",
            f.expect(by("sub_status", "customer_unavailable")),
        ),
        (
            "sub_status=label_created",
            f.expect(by("sub_status", "label_created")),
        ),
        ("carrier=shiprocket", f.expect(by("carrier", "shiprocket"))),
        ("carrier=delhivery", f.expect(by("carrier", "delhivery"))),
        (
            "carrier=delhivery&status=cancelled",
            f.expect(|s| s["carrier"] == "delhivery" && s["status"] == "cancelled"),
        ),
        ("order_ref=ORD-S-TRACK", vec![f.id("ORD-S-TRACK")]),
        ("action_required=true", f.expect(action_required)),
        ("action_required=false", f.expect(|s| !action_required(s))),
        ("booking_state=confirmed", f.expect(|_| true)),
        ("booking_state=pending_confirmation", vec![]),
        ("order_ref=ORD-NOBODY", vec![]),
    ];
    for (query, expected) in &cases {
        assert_eq!(&ids(&list(app, query).await), expected, "{query}");
    }
    // The cases are not vacuous.
    assert_eq!(f.expect(by("status", "cancelled")).len(), 2);
    assert_eq!(f.expect(by("carrier", "shiprocket")).len(), 3);
    assert!(f.expect(action_required).contains(&f.id("ORD-D-NDR")));
    assert!(f.expect(|s| !action_required(s)).len() >= 5);

    // AWB, exact.
    let awb = f.by_ref["ORD-D-TRACK"]["awb"].as_str().unwrap();
    assert_eq!(
        ids(&list(app, &format!("awb={awb}")).await),
        vec![f.id("ORD-D-TRACK")]
    );

    // Creation range: from inclusive, to exclusive.
    let mut times: Vec<DateTime<Utc>> = f.truth.iter().map(created_at).collect();
    times.sort();
    let (from, to) = (times[2], times[5]);
    let query = format!(
        "created_from={}&created_to={}",
        query_time(from),
        query_time(to)
    );
    let expected = f.expect(|s| created_at(s) >= from && created_at(s) < to);
    assert!(!expected.is_empty());
    assert_eq!(ids(&list(app, &query).await), expected, "{query}");
    let query = format!("created_from={}", query_time(times[6]));
    assert_eq!(
        ids(&list(app, &query).await),
        f.expect(|s| created_at(s) >= times[6])
    );
    // An offset whose `+` was not escaped in the URL still means that offset.
    let ist = from.with_timezone(&chrono::FixedOffset::east_opt(19800).unwrap());
    let query = format!(
        "created_from={}&created_to={}",
        ist.format("%Y-%m-%dT%H:%M:%S%.3f+05:30"),
        query_time(to)
    );
    assert_eq!(
        ids(&list(app, &query).await),
        f.expect(|s| created_at(s) >= from && created_at(s) < to)
    );

    // A read-only key may query.
    let reader = app.key_for_tenant("demo", Role::Read).await;
    assert_eq!(ids(&list_as(app, &reader, "").await), f.expect(|_| true));
}

#[tokio::test]
async fn pagination_walks_every_shipment_once_while_new_ones_are_booked() {
    let f = fixture().await;
    let app = &f.app;
    let everything = f.expect(|_| true);
    assert_eq!(everything.len(), 7);

    for limit in [1, 2, 3, 6, 7, 50] {
        let (seen, pages) = walk(app, "", limit).await;
        assert_eq!(seen, everything, "limit {limit}");
        assert_eq!(
            pages,
            everything.len().div_ceil(limit as usize),
            "limit {limit}"
        );
    }
    // Filtered walks page within the filter.
    let (seen, _) = walk(app, "carrier=delhivery", 1).await;
    assert_eq!(seen, f.expect(|s| s["carrier"] == "delhivery"));

    // A walk that sees bookings and status changes between its pages: no duplicate, no
    // gap, and the new shipments (newer than the walk's position) wait for the next walk.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut booked = Vec::new();
    for round in 0.. {
        let mut q = "limit=2".to_string();
        if let Some(c) = &cursor {
            q.push_str(&format!("&cursor={c}"));
        }
        let page = list(app, &q).await;
        seen.extend(ids(&page));
        let new = book(app, &format!("ORD-LATE-{round}"), "shiprocket", "560001").await;
        booked.push(new["id"].as_str().unwrap().to_string());
        track(app, &f.id("ORD-S-TRACK")).await;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, everything);
    let fresh = ids(&list(app, "limit=200").await);
    booked.reverse();
    assert_eq!(fresh[..booked.len()], booked[..], "new bookings come first");
    assert_eq!(fresh[booked.len()..], everything[..]);
}

/// Shipments created in the same millisecond are ordered by id, so no page boundary can
/// fall between two of them and lose one; and an AWB two carriers share needs `carrier`.
#[tokio::test]
async fn ties_on_creation_time_and_shared_awbs() {
    let f = fixture().await;
    let app = &f.app;
    sqlx::any::install_default_drivers();
    let db = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    sqlx::query("UPDATE shipments SET created_at = (SELECT MIN(created_at) FROM shipments)")
        .execute(&db)
        .await
        .unwrap();
    let mut by_id: Vec<String> = f.expect(|_| true);
    by_id.sort();
    by_id.reverse();
    for limit in [1, 2, 3] {
        assert_eq!(walk(app, "", limit).await.0, by_id, "limit {limit}");
    }

    // Two carriers issued the same AWB to this tenant.
    let awb = f.by_ref["ORD-D-NEW"]["awb"].as_str().unwrap().to_string();
    sqlx::query("UPDATE shipments SET awb = $1 WHERE id = $2")
        .bind(&awb)
        .bind(f.id("ORD-S-NEW"))
        .execute(&db)
        .await
        .unwrap();
    db.close().await;
    let (status, body) = problem(app.get(&format!("/v1/tracking/{awb}")).await).await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (409, "ambiguous_awb")
    );
    for (carrier, order_ref) in [("delhivery", "ORD-D-NEW"), ("shiprocket", "ORD-S-NEW")] {
        let r = app
            .get(&format!("/v1/tracking/{awb}?carrier={carrier}"))
            .await;
        assert_eq!(r.status(), 200);
        let t: Value = r.json().await.unwrap();
        assert_eq!(t["shipment_id"], f.id(order_ref).as_str());
    }
}

#[tokio::test]
async fn awb_lookup_returns_the_stored_timeline() {
    let f = fixture().await;
    let app = &f.app;
    let ndr = &f.by_ref["ORD-D-NDR"];
    let awb = ndr["awb"].as_str().unwrap();

    let r = app.get(&format!("/v1/tracking/{awb}")).await;
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["shipment_id"], ndr["id"]);
    assert_eq!(t["carrier"], "delhivery");
    assert_eq!(t["awb"], awb);
    assert_eq!(t["status"], "delivery_failed");
    assert_eq!(t["action_required"], true);
    assert_eq!(t["terminal"], false);
    // The stored timeline, as the shipment shows it; reading does not call the carrier
    // (which would add the next scan).
    assert_eq!(t["events"], ndr["events"]);
    let again: Value = app
        .get(&format!("/v1/tracking/{awb}?carrier=delhivery"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["events"], ndr["events"]);

    let (status, body) = problem(
        app.get(&format!("/v1/tracking/{awb}?carrier=shiprocket"))
            .await,
    )
    .await;
    assert_eq!((status, body["code"].as_str().unwrap()), (404, "not_found"));
    let (status, _) = problem(app.get("/v1/tracking/NO-SUCH-AWB").await).await;
    assert_eq!(status, 404);
    let (status, _) = problem(app.get("/v1/tracking/%FF%FE").await).await;
    assert_eq!(
        status, 400,
        "a path that is not UTF-8 is still a problem document"
    );
}

#[tokio::test]
async fn summary_counts_by_status_and_sub_status() {
    let f = fixture().await;
    let app = &f.app;
    let count = |keep: &dyn Fn(&Value) -> bool| f.truth.iter().filter(|s| keep(s)).count() as i64;

    let r = app.get("/v1/shipments/summary").await;
    assert_eq!(
        r.status(),
        200,
        "the static segment wins over /v1/shipments/{{id}}"
    );
    let s: Value = r.json().await.unwrap();
    assert_eq!(s["total"], 7);
    assert_eq!(s["action_required"], count(&action_required));
    assert!(s["action_required"].as_i64().unwrap() >= 1);
    assert_eq!(s["from"], Value::Null);
    let by_status = s["by_status"].as_object().unwrap();
    assert_eq!(by_status.len(), 10, "every status, zeros included: {s}");
    for (status, n) in by_status {
        assert_eq!(
            n,
            &json!(count(&|x: &Value| x["status"] == status.as_str())),
            "{status}"
        );
    }
    assert_eq!(by_status["cancelled"], 2);
    assert_eq!(by_status["delivered"], 0);
    let by_sub = s["by_sub_status"].as_object().unwrap();
    let mut expected_sub: BTreeMap<String, i64> = BTreeMap::new();
    for x in &f.truth {
        *expected_sub
            .entry(x["sub_status"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let got_sub: BTreeMap<String, i64> = by_sub
        .iter()
        .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
        .collect();
    assert_eq!(got_sub, expected_sub);

    // A range: from inclusive, to exclusive.
    let mut times: Vec<DateTime<Utc>> = f.truth.iter().map(created_at).collect();
    times.sort();
    let (from, to) = (times[1], times[4]);
    let s: Value = app
        .get(&format!(
            "/v1/shipments/summary?from={}&to={}",
            query_time(from),
            query_time(to)
        ))
        .await
        .json()
        .await
        .unwrap();
    let in_range = |x: &Value| created_at(x) >= from && created_at(x) < to;
    assert_eq!(s["total"], count(&in_range));
    let echoed: DateTime<Utc> = s["from"].as_str().unwrap().parse().unwrap();
    assert_eq!(echoed, from, "{s}");
    let sum: i64 = s["by_status"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_i64().unwrap())
        .sum();
    assert_eq!(sum, s["total"].as_i64().unwrap());

    // A range before anything was booked.
    let s: Value = app
        .get("/v1/shipments/summary?to=2000-01-01T00:00:00Z")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s["total"], 0);
    assert_eq!(s["by_sub_status"], json!({}));

    // `/v1/shipments/{id}` still routes to the shipment.
    let id = f.id("ORD-D-NEW");
    let r = app.get(&format!("/v1/shipments/{id}")).await;
    assert_eq!(r.status(), 200);
    let (status, _) = problem(app.get("/v1/shipments/shp_nope").await).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn another_tenant_sees_none_of_it() {
    let f = fixture().await;
    let app = &f.app;
    let other = app.key_for_tenant("other", Role::Write).await;

    assert_eq!(list_as(app, &other, "").await["data"], json!([]));
    assert_eq!(
        list_as(app, &other, "carrier=delhivery").await["data"],
        json!([])
    );
    let awb = f.by_ref["ORD-D-NDR"]["awb"].as_str().unwrap();
    let (status, _) = problem(get_as(app, &other, &format!("/v1/tracking/{awb}")).await).await;
    assert_eq!(status, 404, "another tenant's AWB is not found");
    let s: Value = get_as(app, &other, "/v1/shipments/summary")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s["total"], 0);

    // Its own booking is its own, even with an order reference the first tenant uses.
    let r = app
        .client
        .post(app.url("/v1/shipments"))
        .bearer_auth(&other)
        .json(&shipment_body("ORD-D-NEW", "delhivery"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let mine: Value = r.json().await.unwrap();
    assert_eq!(
        ids(&list_as(app, &other, "order_ref=ORD-D-NEW").await),
        vec![mine["id"].as_str().unwrap().to_string()]
    );
    assert_eq!(
        ids(&list(app, "order_ref=ORD-D-NEW").await),
        vec![f.id("ORD-D-NEW")]
    );
    assert_eq!(ids(&list(app, "").await), f.expect(|_| true));
    let s: Value = app.get("/v1/shipments/summary").await.json().await.unwrap();
    assert_eq!(s["total"], 7);
}

/// A 422 for query parameters, each error saying it is about a query parameter.
async fn bad(app: &TestApp, path: &str) -> Value {
    let (status, body) = problem(app.get(path).await).await;
    assert_eq!(status, 422, "{path}: {body}");
    assert_eq!(body["code"], "validation_failed");
    for e in body["errors"].as_array().unwrap() {
        assert!(
            e["detail"]
                .as_str()
                .unwrap()
                .starts_with("query parameter `"),
            "{e}"
        );
    }
    body
}

#[tokio::test]
async fn bad_parameters_are_422_with_one_pointer_each() {
    let app = spawn_app().await;
    let app = &app;
    let as_set = |body: &Value| pointers(body).into_iter().collect::<BTreeSet<_>>();
    let set = |list: &[&str]| list.iter().map(|p| p.to_string()).collect::<BTreeSet<_>>();

    let body = bad(
        app,
        "/v1/shipments?status=flying&sub_status=nope&carrier=fedexx&created_from=yesterday\
         &created_to=2026-13-01T00:00:00Z&action_required=maybe&booking_state=done&limit=0\
         &cursor=!!&colour=red&awb=",
    )
    .await;
    assert_eq!(
        as_set(&body),
        set(&[
            "/status",
            "/sub_status",
            "/carrier",
            "/created_from",
            "/created_to",
            "/action_required",
            "/booking_state",
            "/limit",
            "/cursor",
            "/colour",
            "/awb",
        ])
    );
    assert_eq!(pointers(&body).len(), 11, "one error per parameter");

    let body = bad(app, "/v1/shipments?status=in_transit&sub_status=refused").await;
    assert_eq!(pointers(&body), ["/sub_status"]);
    assert_eq!(body["errors"][0]["code"], "status_mismatch");
    for limit in ["201", "-1", "abc", "1.5", ""] {
        let path = format!("/v1/shipments?limit={limit}");
        assert_eq!(pointers(&bad(app, &path).await), ["/limit"], "{limit}");
    }
    let body = bad(app, "/v1/shipments?status=delivered&status=cancelled").await;
    assert_eq!(pointers(&body), ["/status"]);
    assert_eq!(body["errors"][0]["code"], "repeated_parameter");
    let body = bad(
        app,
        "/v1/shipments?created_from=2026-05-02T00:00:00Z&created_to=2026-05-01T00:00:00Z",
    )
    .await;
    assert_eq!(pointers(&body), ["/created_to"]);
    // A syntactically fine cursor that is not ours.
    let body = bad(app, "/v1/shipments?cursor=aGVsbG8").await;
    assert_eq!(pointers(&body), ["/cursor"]);

    let body = bad(app, "/v1/shipments/summary?from=x&to=2026-05-01&foo=1").await;
    assert_eq!(as_set(&body), set(&["/from", "/to", "/foo"]));
    let body = bad(
        app,
        "/v1/shipments/summary?from=2026-05-01T00:00:00Z&to=2026-05-01T00:00:00Z",
    )
    .await;
    assert_eq!(pointers(&body), ["/to"]);
    let body = bad(app, "/v1/tracking/123?carrier=nope&x=1").await;
    assert_eq!(as_set(&body), set(&["/carrier", "/x"]));

    // Garbage that is not even a parameter does not become a 500.
    for path in [
        "/v1/shipments?%ZZ=%FF",
        "/v1/shipments?&&=&",
        "/v1/shipments?status",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 422, "{path}");
    }
    // Valid, empty answers.
    assert_eq!(
        list(app, "").await,
        json!({"data": [], "next_cursor": null})
    );
}

#[tokio::test]
async fn the_routes_are_in_the_openapi_document() {
    let app = spawn_app().await;
    let spec: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths = &spec["paths"];
    assert!(
        paths["/v1/shipments"]["get"].is_object(),
        "list undocumented"
    );
    assert!(paths["/v1/shipments"]["post"].is_object(), "create lost");
    assert!(paths["/v1/shipments/summary"]["get"].is_object());
    assert!(paths["/v1/tracking/{awb}"]["get"].is_object());
    let names: BTreeSet<&str> = paths["/v1/shipments"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["in"], "query");
            p["name"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "status",
            "sub_status",
            "carrier",
            "order_ref",
            "awb",
            "created_from",
            "created_to",
            "action_required",
            "booking_state",
            "weight_discrepancy",
            "kind",
            "address_band",
            "buyer_phone",
            "late",
            "limit",
            "cursor",
        ])
    );
    let awb_params: Vec<&str> = paths["/v1/tracking/{awb}"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(awb_params, ["awb", "carrier"]);
}
