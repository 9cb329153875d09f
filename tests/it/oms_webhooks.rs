//! Outbound webhooks to the OMS, end to end over real HTTP: endpoint CRUD with validation
//! pointers and tenant isolation, SSRF refusal in live mode (at creation and at connect
//! time), Standard Webhooks signatures verified by an independent implementation (the
//! `standardwebhooks` crate, in `common::receiver`), both signatures during a rotation,
//! event-type filters, retries on a short schedule, `Retry-After`, 410 Gone, timeouts,
//! dead letters and replay, attempts visible through the API, and a gateway killed with
//! SIGKILL mid-stream delivering every event afterwards.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, Utc};
use common::gateway::{KEY, command, start};
use common::receiver::{Receiver, Reply};
use common::{TestApp, json_of, pointers, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};
use shipgate::config::{CarrierConfig, Config, Mode};
use shipgate::store::{NewShipment, Role};

const WAIT: Duration = Duration::from_secs(20);

fn fast(c: &mut Config) {
    c.limits.enabled = false;
    c.oms_webhooks.retry_schedule_secs = vec![0.0, 0.3, 0.3, 0.3];
}

async fn app() -> TestApp {
    spawn_app_with(fast).await
}

async fn create_endpoint(app: &TestApp, url: &str, types: Option<&[&str]>) -> (String, String) {
    let mut body = json!({"url": url, "description": "OMS"});
    if let Some(types) = types {
        body["event_types"] = json!(types);
    }
    let r = app.post("/v1/webhook-endpoints", &body).await;
    assert_eq!(r.status(), 201);
    let e: Value = r.json().await.unwrap();
    (
        e["id"].as_str().unwrap().to_string(),
        e["secret"].as_str().unwrap().to_string(),
    )
}

async fn book(app: &TestApp) -> (String, String) {
    let order_ref = format!("OUT-{}", uuid::Uuid::new_v4().simple());
    let r = app
        .post("/v1/shipments", &shipment_body(&order_ref, "delhivery"))
        .await;
    assert_eq!(r.status(), 201);
    let s: Value = r.json().await.unwrap();
    (
        s["id"].as_str().unwrap().to_string(),
        s["awb"].as_str().unwrap().to_string(),
    )
}

fn delhivery_push(awb: &str, status_type: &str, status: &str, nsl: &str, time: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({"Shipment": {
        "Status": {"Status": status, "StatusDateTime": time, "StatusType": status_type,
                   "StatusLocation": "Bengaluru_Koramangala_D (Karnataka)", "Instructions": status},
        "NSLCode": nsl, "Sortcode": "BLR/KOR", "ReferenceNo": "ref", "AWB": awb
    }}))
    .unwrap()
}

async fn push(app: &TestApp, body: Vec<u8>) {
    let r = app
        .client
        .post(app.url("/v1/carriers/delhivery/webhooks"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

async fn message(app: &TestApp, id: &str) -> Value {
    json_of(app.get(&format!("/v1/webhook-messages/{id}")).await, 200).await
}

/// Waits until the message's only delivery is in `status`.
async fn delivery_becomes(app: &TestApp, id: &str, status: &str) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let m = message(app, id).await;
        if m["deliveries"][0]["status"] == status {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "delivery never became {status}: {m:#}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// ---------------------------------------------------------------------------------------
// endpoints
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn endpoints_are_managed_validated_and_private_to_their_tenant() {
    let app = app().await;
    let r = app
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": "https://oms.example.com/hooks", "event_types": ["shipment.delivered", "ndr.raised"]}),
        )
        .await;
    let created = json_of(r, 201).await;
    let id = created["id"].as_str().unwrap();
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(
        created["event_types"],
        json!(["shipment.delivered", "ndr.raised"])
    );
    assert_eq!(created["enabled"], true);

    // Shown once: never in reads.
    let got = json_of(app.get(&format!("/v1/webhook-endpoints/{id}")).await, 200).await;
    assert!(got.get("secret").is_none(), "{got}");
    let list = json_of(app.get("/v1/webhook-endpoints").await, 200).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert!(list.to_string().find("whsec_").is_none());

    // Update, including clearing the filter with null.
    let r = app
        .client
        .patch(app.url(&format!("/v1/webhook-endpoints/{id}")))
        .bearer_auth(&app.api_key)
        .json(&json!({"event_types": null, "description": "main OMS", "enabled": false}))
        .send()
        .await
        .unwrap();
    let updated = json_of(r, 200).await;
    assert_eq!(updated["event_types"], Value::Null);
    assert_eq!(updated["description"], "main OMS");
    assert_eq!(updated["enabled"], false);
    assert_eq!(updated["disabled_reason"], "disabled through the API");

    // Every bad field, at its pointer.
    let r = app
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": "ftp://oms.example.com", "event_types": ["shipment.delivered", "parcel.teleported"],
                    "description": "x".repeat(501)}),
        )
        .await;
    let (status, p) = problem(r).await;
    assert_eq!(status, 422);
    assert_eq!(
        pointers(&p),
        ["/url", "/event_types/1", "/description"],
        "{p}"
    );
    let (status, p) = problem(app.post("/v1/webhook-endpoints", &json!({})).await).await;
    assert_eq!((status, pointers(&p)), (422, vec!["/url".to_string()]));
    let (status, p) = problem(
        app.post(
            "/v1/webhook-endpoints",
            &json!({"url": "https://user:pw@oms.example.com/", "event_types": []}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&p), ["/url", "/event_types"]);
    let (status, p) = problem(
        app.post(
            "/v1/webhook-endpoints",
            &json!({"url": "https://a.example", "colour": "red"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{p}");
    let r = app
        .get(&format!(
            "/v1/webhook-endpoints/{id}/messages?status=lost&limit=0"
        ))
        .await;
    let (status, p) = problem(r).await;
    assert_eq!(
        (status, pointers(&p)),
        (422, vec!["/status".to_string(), "/limit".to_string()])
    );

    // Roles: reading needs `read`, managing needs `admin`.
    let reader = app.key_for_tenant("demo", Role::Read).await;
    let r = app
        .client
        .get(app.url("/v1/webhook-endpoints"))
        .bearer_auth(&reader)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .post(app.url("/v1/webhook-endpoints"))
        .bearer_auth(&reader)
        .json(&json!({"url": "https://oms.example.com/"}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 403);

    // Another tenant sees none of it.
    let other = app.key_for_tenant("acme", Role::Admin).await;
    let as_other = |method: reqwest::Method, path: String| {
        app.client
            .request(method, app.url(&path))
            .bearer_auth(&other)
            .json(&if path.ends_with("/replay") {
                json!({"since": "2020-01-01T00:00:00Z"})
            } else {
                json!({})
            })
            .send()
    };
    for (method, path) in [
        (reqwest::Method::GET, format!("/v1/webhook-endpoints/{id}")),
        (
            reqwest::Method::PATCH,
            format!("/v1/webhook-endpoints/{id}"),
        ),
        (
            reqwest::Method::DELETE,
            format!("/v1/webhook-endpoints/{id}"),
        ),
        (
            reqwest::Method::GET,
            format!("/v1/webhook-endpoints/{id}/messages"),
        ),
        (
            reqwest::Method::POST,
            format!("/v1/webhook-endpoints/{id}/rotate-secret"),
        ),
        (
            reqwest::Method::POST,
            format!("/v1/webhook-endpoints/{id}/replay"),
        ),
    ] {
        let (status, _) = problem(as_other(method.clone(), path.clone()).await.unwrap()).await;
        assert_eq!(status, 404, "{method} {path}");
    }
    let theirs = json_of(
        app.client
            .get(app.url("/v1/webhook-endpoints"))
            .bearer_auth(&other)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(theirs["data"], json!([]));

    // Creating is idempotent with a key: a retry answers the same endpoint, not a second.
    let create = || {
        app.client
            .post(app.url("/v1/webhook-endpoints"))
            .bearer_auth(&app.api_key)
            .header("idempotency-key", "create-endpoint-1")
            .json(&json!({"url": "https://oms.example.com/retried"}))
            .send()
    };
    let first = json_of(create().await.unwrap(), 201).await;
    let again = create().await.unwrap();
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(json_of(again, 201).await["id"], first["id"]);
    let list = json_of(app.get("/v1/webhook-endpoints").await, 200).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 2);

    // Documented in OpenAPI.
    let doc = app.openapi().await;
    for path in [
        "/v1/webhook-endpoints",
        "/v1/webhook-endpoints/{id}",
        "/v1/webhook-endpoints/{id}/rotate-secret",
        "/v1/webhook-endpoints/{id}/messages",
        "/v1/webhook-endpoints/{id}/replay",
        "/v1/webhook-messages/{id}",
        "/v1/webhook-messages/{id}/replay",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from /openapi.json"
        );
    }

    let r = app
        .client
        .delete(app.url(&format!("/v1/webhook-endpoints/{id}")))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        problem(app.get(&format!("/v1/webhook-endpoints/{id}")).await)
            .await
            .0,
        404
    );
}

fn live(c: &mut Config) {
    fast(c);
    c.mode = Mode::Live;
    let settings = |pairs: &[(&str, &str)]| CarrierConfig {
        settings: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..CarrierConfig::default()
    };
    c.carriers.insert(
        "delhivery".into(),
        settings(&[("api_token", "t"), ("pickup_location", "WH")]),
    );
    c.carriers.insert(
        "shiprocket".into(),
        settings(&[
            ("email", "a@example.com"),
            ("password", "p"),
            ("pickup_location", "WH"),
        ]),
    );
}

#[tokio::test]
async fn live_mode_refuses_internal_destinations_and_sandbox_allows_them() {
    let receiver = Receiver::start().await;
    let app = spawn_app_with(live).await;
    for url in [
        receiver.url.as_str(),
        "http://localhost:9000/hooks",
        "http://10.0.0.7/hooks",
        "http://192.168.1.20/hooks",
        "http://[::1]:8080/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.1.1/",
        "http://[::ffff:127.0.0.1]/",
    ] {
        let (status, p) = problem(
            app.post("/v1/webhook-endpoints", &json!({"url": url}))
                .await,
        )
        .await;
        assert_eq!(status, 422, "{url}: {p}");
        assert_eq!(p["errors"][0]["pointer"], "/url");
        assert_eq!(p["errors"][0]["code"], "forbidden_destination", "{url}");
    }
    // PATCH is checked the same way.
    let (id, _) = create_endpoint(&app, "https://93.184.216.34/hooks", None).await;
    let r = app
        .client
        .patch(app.url(&format!("/v1/webhook-endpoints/{id}")))
        .bearer_auth(&app.api_key)
        .json(&json!({"url": "http://127.0.0.1/"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem(r).await.1["errors"][0]["code"],
        "forbidden_destination"
    );

    // At connect time too: an endpoint whose name resolves inside (as after DNS
    // rebinding; here written around the API check) is never called.
    let port = receiver
        .url
        .split(':')
        .nth(2)
        .unwrap()
        .split('/')
        .next()
        .unwrap();
    let tenant = app.state.store.ensure_tenant("demo").await.unwrap();
    let sneaky = app
        .state
        .store
        .endpoint_create(&shipgate::store::NewEndpoint {
            id: "ep_sneaky".into(),
            tenant_id: tenant.id.clone(),
            url: format!("http://localhost:{port}/hooks"),
            description: None,
            event_types: None,
            secret: shipgate::oms_webhooks::signing::Secret::generate()
                .as_str()
                .into(),
            enabled: true,
        })
        .await
        .unwrap();
    let input: carriers::schema::ShipmentRequestInput =
        serde_json::from_value(shipment_body("LIVE-1", "delhivery")).unwrap();
    let request = carriers::schema::ShipmentRequest::parse(&input).unwrap();
    let shipment_id = "shp_live_ssrf".to_string();
    app.state
        .store
        .reserve_shipment(&NewShipment {
            id: shipment_id.clone(),
            tenant_id: tenant.id.clone(),
            package_no: 1,
            carrier: "delhivery".into(),
            carrier_account: "delhivery".into(),
            request,
            address_quality: None,
        })
        .await
        .unwrap();
    let event = carriers::schema::TrackingEvent::new(
        carriers::taxonomy::Unified::new(carriers::taxonomy::SubStatus::InTransit),
        "X-ILL1F",
        "In Transit",
        Utc::now(),
    );
    assert_eq!(
        app.state
            .store
            .add_events(&shipment_id, &[event])
            .await
            .unwrap(),
        1
    );
    let list = format!("/v1/webhook-endpoints/{}/messages", sneaky.id);
    let deadline = Instant::now() + WAIT;
    let attempted = loop {
        let page = json_of(app.get(&list).await, 200).await;
        if page["data"][0]["attempts"].as_i64().unwrap_or(0) >= 1 {
            break page;
        }
        assert!(Instant::now() < deadline, "no attempt recorded: {page}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let error = attempted["data"][0]["last_error"].as_str().unwrap();
    assert!(error.contains("refused to connect"), "{error}");
    assert!(receiver.received().is_empty());

    // Sandbox mode: an OMS under development receives on localhost.
    let sandbox = app_with_receiver_allowed().await;
    create_endpoint(&sandbox, &receiver.url, None).await;
}

async fn app_with_receiver_allowed() -> TestApp {
    app().await
}

// ---------------------------------------------------------------------------------------
// signatures, types, rotation
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn messages_are_signed_filtered_by_type_and_signed_twice_during_rotation() {
    let app = app().await;
    let everything = Receiver::start().await;
    let delivered_only = Receiver::start().await;
    let (id, secret) = create_endpoint(&app, &everything.url, None).await;
    let (_, other_secret) =
        create_endpoint(&app, &delivered_only.url, Some(&["shipment.delivered"])).await;
    everything.set_secrets(&[&secret]);
    delivered_only.set_secrets(&[&other_secret]);

    let (shipment_id, awb) = book(&app).await;
    let created = everything
        .wait_for(WAIT, "shipment.created", |r| {
            r.iter().any(|m| m.event_type() == "shipment.created")
        })
        .await;
    let m = &created[0];
    assert_eq!(m.verified, [true], "signature must verify: {m:?}");
    assert!(m.id.starts_with("msg_"));
    assert_eq!(m.body["data"]["shipment"]["id"], shipment_id.as_str());
    assert_eq!(m.body["data"]["shipment"]["awb"], awb.as_str());
    assert_eq!(m.body["data"]["event"]["carrier_code"], "shipgate:booked");
    assert!(m.signature.starts_with("v1,") && !m.signature.contains(' '));

    // Rotate: the next messages carry both signatures; each secret verifies.
    let r = app
        .post(
            &format!("/v1/webhook-endpoints/{id}/rotate-secret"),
            &json!({}),
        )
        .await;
    let rotated = json_of(r, 200).await;
    let new_secret = rotated["secret"].as_str().unwrap();
    assert_ne!(new_secret, secret);
    assert!(rotated["previous_secret_expires_at"].is_string());
    everything.set_secrets(&[&secret, new_secret]);

    push(
        &app,
        delhivery_push(&awb, "UD", "Pending", "EOD-11", "2025-11-12 19:05:11"),
    )
    .await;
    push(
        &app,
        delhivery_push(&awb, "DL", "Delivered", "EOD-38", "2025-11-13 14:05:00"),
    )
    .await;
    let got = everything
        .wait_for(WAIT, "ndr + delivered", |r| {
            r.iter().any(|m| m.event_type() == "shipment.delivered")
                && r.iter().any(|m| m.event_type() == "ndr.raised")
        })
        .await;
    let after: Vec<_> = got
        .iter()
        .filter(|m| m.event_type() != "shipment.created")
        .collect();
    let types: BTreeSet<&str> = after.iter().map(|m| m.event_type()).collect();
    assert_eq!(
        types,
        BTreeSet::from(["tracking.updated", "ndr.raised", "shipment.delivered"])
    );
    for m in &after {
        assert_eq!(m.signature.split(' ').count(), 2, "{}", m.signature);
        assert_eq!(
            m.verified,
            [true, true],
            "both secrets verify {}",
            m.event_type()
        );
    }
    assert_eq!(
        after
            .iter()
            .filter(|m| m.event_type() == "tracking.updated")
            .count(),
        2
    );

    // The filtered endpoint got exactly the delivery, signed with its own secret.
    let only = delivered_only
        .wait_for(WAIT, "shipment.delivered", |r| !r.is_empty())
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let only_now = delivered_only.received();
    assert_eq!(only_now.len(), 1, "{only_now:?}");
    assert_eq!(only[0].event_type(), "shipment.delivered", "{:?}", only[0]);
    assert_eq!(only[0].verified, [true]);
    assert_eq!(only[0].body["data"]["shipment"]["status"], "delivered");

    // Cancelling announces it too (on a second shipment).
    let (second, _) = book(&app).await;
    let r = app
        .post(&format!("/v1/shipments/{second}/cancel"), &json!({}))
        .await;
    assert!(r.status().is_success());
    everything
        .wait_for(WAIT, "shipment.cancelled", |r| {
            r.iter().any(|m| {
                m.event_type() == "shipment.cancelled"
                    && m.body["data"]["shipment"]["id"] == second.as_str()
            })
        })
        .await;
}

// ---------------------------------------------------------------------------------------
// failing receivers
// ---------------------------------------------------------------------------------------

/// One endpoint for `receiver` that takes only `tracking.updated`, and one message to it;
/// returns (endpoint id, message id).
async fn one_message(app: &TestApp, receiver: &Receiver) -> (String, String) {
    let (endpoint, secret) = create_endpoint(app, &receiver.url, Some(&["tracking.updated"])).await;
    receiver.set_secrets(&[&secret]);
    let (_, awb) = book(app).await;
    push(
        app,
        delhivery_push(&awb, "UD", "In Transit", "X-ILL1F", "2025-11-12 10:00:00"),
    )
    .await;
    let first = receiver
        .wait_for(WAIT, "a first attempt", |r| !r.is_empty())
        .await;
    (endpoint, first[0].id.clone())
}

#[tokio::test]
async fn failures_are_retried_on_the_schedule_and_every_attempt_is_visible() {
    let app = app().await;
    let receiver = Receiver::start().await;
    receiver.script([Reply::Status(500), Reply::Status(502)]);
    let (endpoint, msg) = one_message(&app, &receiver).await;
    let m = delivery_becomes(&app, &msg, "succeeded").await;
    let got = receiver.received();
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|r| r.id == msg && r.verified == [true]));
    // 0.3 s ± 20 % between attempts.
    for pair in got.windows(2) {
        let gap = pair[1].at - pair[0].at;
        assert!(gap >= Duration::from_millis(230), "{gap:?}");
    }
    let log = m["deliveries"][0]["attempt_log"].as_array().unwrap();
    let codes: Vec<i64> = log
        .iter()
        .map(|a| a["status_code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [500, 502, 204]);
    assert_eq!(log[0]["outcome"], "failed");
    assert_eq!(log[0]["response_excerpt"], "receiver says 500");
    assert!(log[0]["duration_ms"].is_i64() && log[0]["attempted_at"].is_string());
    assert_eq!(m["deliveries"][0]["attempts"], 3);
    assert_eq!(m["type"], "tracking.updated");
    assert_eq!(m["payload"]["type"], "tracking.updated");

    let page = json_of(
        app.get(&format!(
            "/v1/webhook-endpoints/{endpoint}/messages?status=succeeded"
        ))
        .await,
        200,
    )
    .await;
    assert_eq!(page["data"][0]["message_id"], msg.as_str());
    assert_eq!(page["data"][0]["last_status_code"], 204);

    // Past retention, a finished delivery goes with its attempts and its message; a
    // delivery still pending stays whatever its age.
    receiver.otherwise(Reply::Status(500));
    let (_, awb) = book(&app).await;
    push(
        &app,
        delhivery_push(&awb, "UD", "In Transit", "X-ILL1F", "2025-11-12 13:00:00"),
    )
    .await;
    receiver
        .wait_for(WAIT, "a failing attempt", |r| r.len() > 3)
        .await;
    let future = Utc::now().timestamp_millis() + 60_000;
    assert_eq!(app.state.store.outbox_purge(future, 1000).await.unwrap(), 1);
    assert_eq!(
        problem(app.get(&format!("/v1/webhook-messages/{msg}")).await)
            .await
            .0,
        404
    );
    let page = json_of(
        app.get(&format!("/v1/webhook-endpoints/{endpoint}/messages"))
            .await,
        200,
    )
    .await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["data"][0]["status"], "pending");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let app = app().await;
    let receiver = Receiver::start().await;
    receiver.script([Reply::RetryAfter(429, 2)]);
    let (_, msg) = one_message(&app, &receiver).await;
    let m = delivery_becomes(&app, &msg, "succeeded").await;
    let got = receiver.received();
    assert_eq!(got.len(), 2);
    let gap = got[1].at - got[0].at;
    // The schedule alone would retry after about 0.3 s.
    assert!(gap >= Duration::from_millis(1900), "retried after {gap:?}");
    assert_eq!(m["deliveries"][0]["attempt_log"][0]["outcome"], "throttled");
}

#[tokio::test]
async fn a_410_disables_the_endpoint_and_stops_its_deliveries() {
    let app = app().await;
    let receiver = Receiver::start().await;
    receiver.otherwise(Reply::Status(410));
    let (endpoint, msg) = one_message(&app, &receiver).await;
    let m = delivery_becomes(&app, &msg, "cancelled").await;
    assert_eq!(m["deliveries"][0]["attempt_log"][0]["outcome"], "gone");
    let e = json_of(
        app.get(&format!("/v1/webhook-endpoints/{endpoint}")).await,
        200,
    )
    .await;
    assert_eq!(e["enabled"], false);
    assert!(
        e["disabled_reason"].as_str().unwrap().contains("410"),
        "{e}"
    );
    // Nothing new is sent to it.
    let (_, awb) = book(&app).await;
    push(
        &app,
        delhivery_push(&awb, "UD", "In Transit", "X-ILL1F", "2025-11-12 11:00:00"),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(receiver.received().len(), 1);
    // Replaying to a disabled endpoint is refused, not silently dropped.
    let r = app
        .post(
            &format!("/v1/webhook-endpoints/{endpoint}/replay"),
            &json!({"since": "2020-01-01T00:00:00Z", "status": "all"}),
        )
        .await;
    assert_eq!(problem(r).await.1["code"], "endpoint_disabled");
}

#[tokio::test]
async fn a_timeout_is_retried() {
    let app = spawn_app_with(|c| {
        fast(c);
        c.oms_webhooks.timeout_ms = 300;
    })
    .await;
    let receiver = Receiver::start().await;
    receiver.script([Reply::Slow(Duration::from_secs(2))]);
    let (_, msg) = one_message(&app, &receiver).await;
    let m = delivery_becomes(&app, &msg, "succeeded").await;
    let log = m["deliveries"][0]["attempt_log"].as_array().unwrap();
    assert_eq!(log[0]["outcome"], "timeout");
    assert_eq!(log[0]["status_code"], Value::Null);
    assert_eq!(log[1]["outcome"], "succeeded");
}

#[tokio::test]
async fn dead_letters_replay_one_by_one_or_by_time_range() {
    let app = app().await;
    let receiver = Receiver::start().await;
    receiver.otherwise(Reply::Status(500));
    let since = Utc::now();
    let (endpoint, first) = one_message(&app, &receiver).await;
    let m = delivery_becomes(&app, &first, "dead").await;
    assert_eq!(
        m["deliveries"][0]["attempts"], 4,
        "the schedule has four attempts"
    );
    // A second dead message.
    let (_, awb) = book(&app).await;
    push(
        &app,
        delhivery_push(&awb, "UD", "In Transit", "X-ILL1F", "2025-11-12 12:00:00"),
    )
    .await;
    let deadline = Instant::now() + WAIT;
    let second = loop {
        let page = json_of(
            app.get(&format!(
                "/v1/webhook-endpoints/{endpoint}/messages?status=dead"
            ))
            .await,
            200,
        )
        .await;
        if page["data"].as_array().unwrap().len() == 2 {
            break page["data"][0]["message_id"].as_str().unwrap().to_string();
        }
        assert!(Instant::now() < deadline, "second message not dead: {page}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_ne!(second, first);
    // Another tenant can neither see nor replay them.
    let other = app.key_for_tenant("acme", Role::Admin).await;
    for (method, path) in [
        (
            reqwest::Method::GET,
            format!("/v1/webhook-messages/{first}"),
        ),
        (
            reqwest::Method::POST,
            format!("/v1/webhook-messages/{first}/replay"),
        ),
    ] {
        let r = app
            .client
            .request(method, app.url(&path))
            .bearer_auth(&other)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(problem(r).await.0, 404, "{path}");
    }

    // The receiver is fixed; replay one message…
    receiver.otherwise(Reply::Ok);
    let r = app
        .post(&format!("/v1/webhook-messages/{first}/replay"), &json!({}))
        .await;
    assert_eq!(json_of(r, 202).await["replayed"], 1);
    delivery_becomes(&app, &first, "succeeded").await;
    assert_eq!(
        message(&app, &second).await["deliveries"][0]["status"],
        "dead"
    );
    // …then everything dead since the start.
    let r = app
        .post(
            &format!("/v1/webhook-endpoints/{endpoint}/replay"),
            &json!({"since": since.to_rfc3339()}),
        )
        .await;
    assert_eq!(json_of(r, 202).await["replayed"], 1);
    let m = delivery_becomes(&app, &second, "succeeded").await;
    assert_eq!(
        m["deliveries"][0]["attempt_log"].as_array().unwrap().len(),
        5
    );
    let ok: Vec<_> = receiver
        .received()
        .into_iter()
        .filter(|r| matches!(r.reply, Reply::Ok))
        .map(|r| r.id)
        .collect();
    assert_eq!(ok, [first.clone(), second.clone()]);
    // A range that ends before it starts is refused at its pointer.
    let r = app
        .post(
            &format!("/v1/webhook-endpoints/{endpoint}/replay"),
            &json!({"since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z", "status": "lost"}),
        )
        .await;
    let (status, p) = problem(r).await;
    assert_eq!(
        (status, pointers(&p)),
        (422, vec!["/until".to_string(), "/status".to_string()])
    );
    assert_eq!(
        problem(
            app.post("/v1/webhook-messages/msg_nope/replay", &json!({}))
                .await
        )
        .await
        .0,
        404
    );
}

// ---------------------------------------------------------------------------------------
// kill -9
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_mid_stream_loses_no_webhook() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::database_url(&dir).await;
    let binary = |db: &str| {
        let mut cmd = command(db);
        cmd.env("SHIPGATE_LIMITS__ENABLED", "false").env(
            "SHIPGATE_OMS_WEBHOOKS__RETRY_SCHEDULE_SECS",
            "[0, 0.5, 1, 1, 1, 1, 1, 1]",
        );
        start(cmd)
    };
    let receiver = Receiver::start().await;
    // The receiver fails now and then, so retries are in flight when the gateway dies.
    receiver.script((0..50).map(|i| {
        if i % 7 == 3 {
            Reply::Status(503)
        } else {
            Reply::Ok
        }
    }));
    let mut gw = binary(&db);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let r = client
        .post(format!("{}/v1/webhook-endpoints", gw.url))
        .bearer_auth(KEY)
        .json(&json!({"url": receiver.url, "event_types": ["tracking.updated"]}))
        .send()
        .await
        .unwrap();
    let endpoint: Value = json_of(r, 201).await;
    receiver.set_secrets(&[endpoint["secret"].as_str().unwrap()]);

    let mut awbs = Vec::new();
    for i in 0..4 {
        let r = client
            .post(format!("{}/v1/shipments", gw.url))
            .bearer_auth(KEY)
            .json(&shipment_body(&format!("KILL-OUT-{i}"), "delhivery"))
            .send()
            .await
            .unwrap();
        let s = json_of(r, 201).await;
        awbs.push(s["awb"].as_str().unwrap().to_string());
    }

    // Pushers send distinct scans until the gateway dies; each answered one is recorded
    // as (AWB, event time in UTC).
    let answered: Arc<Mutex<BTreeSet<(String, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let base = NaiveDateTime::parse_from_str("2025-11-01 08:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    let mut pushers = Vec::new();
    for worker in 0..8i64 {
        let (client, url, answered, stop, awbs) = (
            client.clone(),
            gw.url.clone(),
            answered.clone(),
            stop.clone(),
            awbs.clone(),
        );
        pushers.push(tokio::spawn(async move {
            let mut n = 0i64;
            while !stop.load(Ordering::Relaxed) {
                let awb = &awbs[(n as usize + worker as usize) % awbs.len()];
                let local = base + chrono::Duration::seconds(worker * 1_000_000 + n);
                let time = local.format("%Y-%m-%d %H:%M:%S").to_string();
                n += 1;
                let sent = client
                    .post(format!("{url}/v1/carriers/delhivery/webhooks"))
                    .body(delhivery_push(awb, "UD", "In Transit", "X-ILL1F", &time))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status().is_success() => {
                        let utc = (local - chrono::Duration::minutes(330)).and_utc();
                        let key = utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                        answered.lock().unwrap().insert((awb.clone(), key));
                    }
                    Ok(r) => panic!("push refused: {}", r.status()),
                    Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                }
            }
        }));
    }
    // Kill once webhooks are flowing and plenty of pushes are answered.
    let deadline = Instant::now() + Duration::from_secs(30);
    while (answered.lock().unwrap().len() < 300 || receiver.received().len() < 50)
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    gw.child.kill().unwrap();
    gw.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for p in pushers {
        p.await.unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(
        answered.len() >= 100,
        "only {} pushes answered",
        answered.len()
    );
    eprintln!(
        "killed with {} pushes answered and {} webhook requests received",
        answered.len(),
        receiver.received().len()
    );

    let _gw = binary(&db);
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let received = receiver.received();
        let mut delivered: BTreeMap<(String, String), bool> = BTreeMap::new();
        for r in &received {
            assert!(
                r.verified.iter().all(|v| *v),
                "a signature did not verify: {r:?}"
            );
            if !matches!(r.reply, Reply::Ok) {
                continue;
            }
            let awb = r.body["data"]["shipment"]["awb"]
                .as_str()
                .unwrap_or("")
                .to_string();
            let t = r.body["data"]["event"]["event_time"].as_str().unwrap_or("");
            let t = chrono::DateTime::parse_from_rfc3339(t)
                .map(|t| {
                    t.with_timezone(&Utc)
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                })
                .unwrap_or_default();
            delivered.insert((awb, t), true);
        }
        let missing = answered
            .iter()
            .filter(|k| !delivered.contains_key(*k))
            .count();
        if missing == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{missing} of {} answered pushes never reached the receiver ({} requests seen)",
            answered.len(),
            received.len()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
