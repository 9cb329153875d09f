//! NDR actions over HTTP (issue 17), on SQLite and PostgreSQL, against both simulators: a
//! parcel to a PIN code ending in `99` fails its first delivery attempt; the instruction
//! sent through the API changes what the simulator's next scans show.

use crate::common;

use std::time::{Duration, Instant};

use common::receiver::Receiver;
use common::{TestApp, json_of, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};
use shipgate::store::Role;

const CARRIERS: [&str; 2] = ["delhivery", "shiprocket"];

async fn app() -> TestApp {
    spawn_app_with(|c| {
        c.ndr.settle_every_ms = 50;
        // Polls would reveal scans on their own; these tests reveal them by tracking.
        c.polling.enabled = false;
    })
    .await
}

/// Books to a PIN code whose first delivery attempt fails.
async fn book_failing(app: &TestApp, carrier: &str, order_ref: &str) -> String {
    let mut body = shipment_body(order_ref, carrier);
    body["to"]["postal_code"] = json!("560099");
    let s = json_of(app.post_keyed("/v1/shipments", order_ref, &body).await, 201).await;
    s["id"].as_str().unwrap().to_string()
}

/// Tracks (each call reveals the simulator's next scan) until `status` shows, at most 30
/// times.
async fn track_until(app: &TestApp, id: &str, status: &str) -> Value {
    for _ in 0..30 {
        let t = json_of(app.get(&format!("/v1/shipments/{id}/tracking")).await, 200).await;
        if t["status"] == status {
            return t;
        }
    }
    panic!("shipment {id} never reached {status}");
}

async fn act(app: &TestApp, id: &str, key: &str, body: Value) -> reqwest::Response {
    app.post_keyed(&format!("/v1/shipments/{id}/ndr-actions"), key, &body)
        .await
}

async fn actions(app: &TestApp, id: &str) -> Vec<Value> {
    let list = json_of(
        app.get(&format!("/v1/shipments/{id}/ndr-actions")).await,
        200,
    )
    .await;
    list["data"].as_array().unwrap().clone()
}

/// Waits (polling, up to 15 s) until the shipment's first action is in `state`.
async fn settles(app: &TestApp, id: &str, state: &str) {
    let until = Instant::now() + Duration::from_secs(15);
    loop {
        let now = actions(app, id).await;
        if now.first().is_some_and(|a| a["state"] == state) {
            return;
        }
        assert!(
            Instant::now() < until,
            "action never became {state}: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn a_reattempt_is_delivered_in_the_next_scans_and_becomes_effective() {
    for carrier in CARRIERS {
        let app = app().await;
        let receiver =
            Receiver::subscribed(&app, &["ndr.action_requested", "ndr.action_result"]).await;
        let id = book_failing(&app, carrier, &format!("NDR-{carrier}")).await;
        track_until(&app, &id, "delivery_failed").await;
        let failed = json_of(app.get(&format!("/v1/shipments/{id}")).await, 200).await;
        assert_eq!(failed["ndr_attempts"], 1, "{failed}");

        // The queue shows it, with nothing done yet.
        let queue = json_of(app.get("/v1/ndr").await, 200).await;
        let entry = &queue["data"][0];
        assert_eq!(entry["shipment_id"], id.as_str(), "{queue}");
        assert_eq!(entry["attempts"], 1);
        assert_eq!(entry["actions"], json!([]));
        assert!(entry["reason"].as_str().is_some());
        assert!(entry["hours_since_attempt"].as_i64().unwrap() >= 0);

        let r = act(&app, &id, "act-1", json!({"action": "reattempt"})).await;
        let action = json_of(r, 201).await;
        let trail = json_of(
            app.get("/v1/audit-events?action=ndr_action.requested")
                .await,
            200,
        )
        .await;
        assert_eq!(trail["data"][0]["actor"]["kind"], "api_key", "{trail}");
        assert_eq!(trail["data"][0]["target"]["id"], id.as_str());
        assert_eq!(trail["data"][0]["after"]["id"], action["id"]);
        assert_eq!(action["state"], "accepted", "{carrier}: {action}");
        assert_eq!(action["attempt"], 1);
        assert_eq!(action["source"], "api");
        // A replay answers the same; another instruction for the attempt is refused.
        let replay = json_of(
            act(&app, &id, "act-1", json!({"action": "reattempt"})).await,
            201,
        )
        .await;
        assert_eq!(replay["id"], action["id"]);
        let (status, body) =
            problem(act(&app, &id, "act-2", json!({"action": "reattempt"})).await).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("ndr_action_exists"))
        );
        assert_eq!(actions(&app, &id).await.len(), 1);

        track_until(&app, &id, "delivered").await;
        let delivered = json_of(app.get(&format!("/v1/shipments/{id}")).await, 200).await;
        assert_eq!(
            delivered["ndr_attempts"], 1,
            "no further failed attempt: {delivered}"
        );
        settles(&app, &id, "effective").await;
        let queue = json_of(app.get("/v1/ndr").await, 200).await;
        assert_eq!(
            queue["data"],
            json!([]),
            "a delivered shipment leaves the queue"
        );

        let got = receiver
            .wait_for(Duration::from_secs(15), "the NDR messages", |r| {
                r.iter()
                    .filter(|m| m.event_type() == "ndr.action_result")
                    .count()
                    >= 2
            })
            .await;
        let types: Vec<(String, String)> = got
            .iter()
            .map(|m| {
                (
                    m.event_type().to_string(),
                    m.body["data"]["ndr_action"]["state"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .collect();
        assert_eq!(
            types,
            [
                ("ndr.action_requested".into(), "requested".into()),
                ("ndr.action_result".into(), "accepted".into()),
                ("ndr.action_result".into(), "effective".into()),
            ],
            "{carrier}"
        );
        assert!(got.iter().all(|m| m.verified == [true]));
        assert_eq!(got[0].body["data"]["shipment"]["id"], id.as_str());
    }
}

/// Tracks until the shipment is back with its sender.
async fn track_until_returned(app: &TestApp, id: &str) {
    let mut last = Value::Null;
    for _ in 0..30 {
        last = json_of(app.get(&format!("/v1/shipments/{id}/tracking")).await, 200).await;
        if last["sub_status"] == "rto_delivered" {
            return;
        }
    }
    panic!("shipment {id} never came back: {last}");
}

#[tokio::test]
async fn an_rto_ends_rto_delivered() {
    // Shiprocket takes a return instruction after a failed attempt.
    let app = app().await;
    let id = book_failing(&app, "shiprocket", "RTO-SR").await;
    track_until(&app, &id, "delivery_failed").await;
    let action = json_of(act(&app, &id, "rto-1", json!({"action": "rto"})).await, 201).await;
    assert_eq!(action["state"], "accepted", "{action}");
    track_until_returned(&app, &id).await;
    settles(&app, &id, "effective").await;

    // Delhivery's NDR API has no return instruction: refused before anything is sent,
    // and its own return to origin (a PIN code ending in 98) still ends rto_delivered.
    let id = book_failing(&app, "delhivery", "RTO-DL").await;
    track_until(&app, &id, "delivery_failed").await;
    let (status, body) = problem(act(&app, &id, "rto-2", json!({"action": "rto"})).await).await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["code"], "action_not_offered");
    assert!(actions(&app, &id).await.is_empty());
    let mut body = shipment_body("RTO-DL-98", "delhivery");
    body["to"]["postal_code"] = json!("560098");
    let s = json_of(
        app.post_keyed("/v1/shipments", "RTO-DL-98", &body).await,
        201,
    )
    .await;
    track_until_returned(&app, s["id"].as_str().unwrap()).await;
}

#[tokio::test]
async fn bad_instructions_are_refused_at_their_pointer_and_nothing_is_sent() {
    let app = app().await;
    let id = book_failing(&app, "delhivery", "NDR-BAD").await;
    let refused = |body: Value| {
        let app = &app;
        let id = id.clone();
        async move {
            let key = uuid::Uuid::new_v4().to_string();
            let (status, problem) = problem(act(app, &id, &key, body).await).await;
            assert_eq!(status, 422, "{problem}");
            let errors = problem["errors"].as_array().unwrap().clone();
            errors
                .iter()
                .map(|e| {
                    format!(
                        "{} {}",
                        e["pointer"].as_str().unwrap(),
                        e["code"].as_str().unwrap()
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    // Not waiting after a failed attempt yet.
    assert_eq!(
        refused(json!({"action": "reattempt"})).await,
        ["/action not_awaiting_ndr_action"]
    );
    track_until(&app, &id, "delivery_failed").await;
    assert_eq!(refused(json!({})).await, ["/action required"]);
    assert_eq!(
        refused(json!({"action": "deliver_anyway"})).await,
        ["/action invalid_value"]
    );
    assert_eq!(
        refused(json!({"action": "reschedule"})).await,
        ["/date required"]
    );
    assert_eq!(
        refused(json!({"action": "reschedule", "date": "2020-01-01"})).await,
        ["/date date_in_past"]
    );
    assert_eq!(
        refused(json!({"action": "reattempt", "date": "2999-01-01"})).await,
        ["/date date_too_far"]
    );
    assert_eq!(
        refused(json!({"action": "reattempt", "date": "tomorrow"})).await,
        ["/date invalid_date"]
    );
    assert_eq!(
        refused(json!({"action": "change_phone", "phone": "12"})).await,
        ["/phone invalid_phone"]
    );
    assert_eq!(
        refused(json!({"action": "rto", "phone": "9876543210"})).await,
        ["/phone not_allowed"]
    );
    let mut address = common::address("560001");
    address["postal_code"] = json!("12");
    let pointers = refused(json!({"action": "change_address", "address": address})).await;
    assert!(
        pointers.iter().all(|p| p.starts_with("/address/")),
        "{pointers:?}"
    );
    // A type error is reported at its pointer too.
    let (status, body) = problem(act(&app, &id, "typed", json!({"action": 7})).await).await;
    assert_eq!(status, 422);
    assert_eq!(common::pointers(&body), ["/action"]);
    // A read key cannot act.
    let reader = app.key_for_tenant("demo", Role::Read).await;
    let r = app
        .client
        .post(app.url(&format!("/v1/shipments/{id}/ndr-actions")))
        .bearer_auth(&reader)
        .header("idempotency-key", "by-reader")
        .json(&json!({"action": "reattempt"}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 403);
    // Another tenant's shipment is not found.
    let other = app.key_for_tenant("other", Role::Admin).await;
    let r = app
        .client
        .post(app.url(&format!("/v1/shipments/{id}/ndr-actions")))
        .bearer_auth(&other)
        .header("idempotency-key", "by-other")
        .json(&json!({"action": "reattempt"}))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 404);
    assert_eq!(
        actions(&app, &id).await,
        Vec::<Value>::new(),
        "nothing stored"
    );

    // A valid one still goes through after all that.
    let ok = json_of(
        act(
            &app,
            &id,
            "good",
            json!({"action": "change_phone", "phone": "+91 98111 22334"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(ok["params"]["phone"], "+919811122334", "{ok}");
}

#[tokio::test]
async fn an_instruction_nothing_shows_expires() {
    let app = spawn_app_with(|c| {
        c.ndr.settle_every_ms = 50;
        c.ndr.expire_after_secs = 1;
        c.polling.enabled = false;
    })
    .await;
    let id = book_failing(&app, "shiprocket", "NDR-EXPIRES").await;
    track_until(&app, &id, "delivery_failed").await;
    let action = json_of(
        act(&app, &id, "x-1", json!({"action": "reattempt"})).await,
        201,
    )
    .await;
    assert_eq!(action["state"], "accepted");
    settles(&app, &id, "expired").await;
    // An expired instruction frees the attempt for another.
    let second = json_of(act(&app, &id, "x-2", json!({"action": "rto"})).await, 201).await;
    assert_eq!(second["attempt"], 1);
    assert_eq!(actions(&app, &id).await.len(), 2);
}

/// Waits (polling, up to 15 s) until the NDR queue shows a decision for the shipment
/// (with the action it sent, if `sent`).
async fn decided(app: &TestApp, id: &str, sent: bool) -> Value {
    let until = Instant::now() + Duration::from_secs(15);
    loop {
        let queue = json_of(app.get("/v1/ndr").await, 200).await;
        let entry = queue["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["shipment_id"] == id)
            .cloned();
        let done = |e: &Value| {
            let decisions = e["decisions"].as_array().unwrap();
            !decisions.is_empty() && (!sent || decisions[0]["action_id"].is_string())
        };
        if let Some(entry) = entry.filter(done) {
            return entry;
        }
        assert!(Instant::now() < until, "no decision about {id}: {queue}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn a_tenant_policy_decides_each_failed_attempt_and_says_which_rule_did() {
    let app = app().await;
    // Bad rules are refused at their pointers, and nothing is stored.
    let r = app
        .client
        .put(app.url("/v1/ndr-policy"))
        .bearer_auth(&app.api_key)
        .json(&json!({"rules": [{"name": "x", "when": {"reasons": ["lost"]}, "then": "deliver"}]}))
        .send()
        .await
        .unwrap();
    let (status, body) = problem(r).await;
    assert_eq!(status, 422);
    let mut pointers = common::pointers(&body);
    pointers.sort();
    assert_eq!(pointers, ["/rules/0/then", "/rules/0/when/reasons/0"]);
    assert_eq!(problem(app.get("/v1/ndr-policy").await).await.0, 404);

    let put = |rules: Value| {
        let app = &app;
        async move {
            let r = app
                .client
                .put(app.url("/v1/ndr-policy"))
                .bearer_auth(&app.api_key)
                .json(&json!({"rules": rules}))
                .send()
                .await
                .unwrap();
            json_of(r, 201).await
        }
    };
    let v1 = put(json!([{"name": "wait for the OMS", "then": "wait"}])).await;
    assert_eq!(v1["version"], 1);
    // Delhivery: waiting is decided and recorded, and nothing is sent.
    let waiting = book_failing(&app, "delhivery", "POLICY-WAIT").await;
    track_until(&app, &waiting, "delivery_failed").await;
    let entry = decided(&app, &waiting, false).await;
    assert_eq!(entry["decisions"][0]["decision"], "wait", "{entry}");
    assert_eq!(entry["decisions"][0]["rule"], "wait for the OMS");
    assert_eq!(entry["decisions"][0]["policy_version"], 1);
    assert!(actions(&app, &waiting).await.is_empty());

    let v2 = put(json!([
        {"name": "refused: return", "when": {"reasons": ["refused"]}, "then": "rto"},
        {"name": "first miss: try again", "when": {"attempts": {"max": 1}}, "then": "reattempt"},
    ]))
    .await;
    assert_eq!(v2["version"], 2);
    let got = json_of(app.get("/v1/ndr-policy").await, 200).await;
    assert_eq!(got["version"], 2);
    assert_eq!(got["rules"][1]["then"], "reattempt");
    let old = json_of(app.get("/v1/ndr-policy/versions/1").await, 200).await;
    assert_eq!(old["rules"][0]["then"], "wait");

    for carrier in CARRIERS {
        let id = book_failing(&app, carrier, &format!("POLICY-{carrier}")).await;
        track_until(&app, &id, "delivery_failed").await;
        // The decision is recorded first, then its instruction sent, answered and noted.
        let entry = decided(&app, &id, true).await;
        let decision = &entry["decisions"][0];
        assert_eq!(decision["rule"], "first miss: try again", "{entry}");
        assert_eq!(
            (
                decision["decision"].as_str(),
                decision["policy_version"].as_i64()
            ),
            (Some("reattempt"), Some(2))
        );
        let sent = actions(&app, &id).await;
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!(sent[0]["source"], "policy:first miss: try again");
        assert_eq!(sent[0]["state"], "accepted");
        assert_eq!(decision["action_id"], sent[0]["id"]);
        track_until(&app, &id, "delivered").await;
        settles(&app, &id, "effective").await;
    }
    // The trail names the rule that sent each instruction.
    let trail = json_of(
        app.get("/v1/audit-events?action=ndr_action.requested")
            .await,
        200,
    )
    .await;
    let actors: Vec<(&str, &str)> = trail["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"]["kind"].as_str().unwrap(),
                e["actor"]["rule"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        actors,
        [
            ("ndr_policy", "first miss: try again"),
            ("ndr_policy", "first miss: try again")
        ]
    );
    // The shipment decided under version 1 keeps its decision.
    let all = app
        .state
        .store
        .ndr_decisions(std::slice::from_ref(&waiting))
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].policy_version, 1);
}
