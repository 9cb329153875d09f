//! The audit trail over HTTP (issue 17), on SQLite and PostgreSQL: every change to a
//! tenant's configuration and every operator action is recorded with who made it and
//! what it changed, never a secret, and read back filtered and page by page.

use crate::common;

use common::{TestApp, json_of, problem, spawn_app};
use serde_json::{Value, json};
use shipgate::store::Role;

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut r = app
        .client
        .request(method, app.url(path))
        .bearer_auth(&app.api_key)
        .header("idempotency-key", uuid::Uuid::new_v4().to_string());
    if let Some(body) = body {
        r = r.json(&body);
    }
    r.send().await.unwrap()
}

async fn trail(app: &TestApp, query: &str) -> Value {
    json_of(app.get(&format!("/v1/audit-events{query}")).await, 200).await
}

#[tokio::test]
async fn every_change_is_recorded_with_who_and_what_and_no_secret() {
    let app = spawn_app().await;
    use reqwest::Method;
    // A tenant carrier account: created, rotated, disabled, deleted.
    let token = "AUDIT-DELHIVERY-TOKEN-51c";
    let r = app
        .client
        .post(app.url("/sandbox/delhivery/_accounts"))
        .json(&json!({"account": "audit", "api_token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let account = json_of(
        send(&app, Method::POST, "/v1/carrier-accounts", Some(json!({
            "carrier": "delhivery", "name": "main", "credentials": {"api_token": token},
            "settings": {"pickup_location": carriers::delhivery::simulator::SANDBOX_PICKUP_LOCATION},
        })))
        .await,
        201,
    )
    .await;
    let account_id = account["id"].as_str().unwrap();
    let push_secret = account["push_secret"].as_str().unwrap();
    let patched = json_of(
        send(
            &app,
            Method::PATCH,
            &format!("/v1/carrier-accounts/{account_id}"),
            Some(json!({"enabled": false, "rotate_push_secret": true})),
        )
        .await,
        200,
    )
    .await;
    let new_push_secret = patched["push_secret"].as_str().unwrap();
    let r = send(
        &app,
        Method::DELETE,
        &format!("/v1/carrier-accounts/{account_id}"),
        None,
    )
    .await;
    assert_eq!(r.status(), 204);

    // A webhook endpoint: created, changed, its secret rotated, deleted.
    let endpoint = json_of(
        send(
            &app,
            Method::POST,
            "/v1/webhook-endpoints",
            Some(json!({"url": "https://oms.example.com/hooks"})),
        )
        .await,
        201,
    )
    .await;
    let endpoint_id = endpoint["id"].as_str().unwrap();
    let endpoint_secret = endpoint["secret"].as_str().unwrap();
    json_of(
        send(
            &app,
            Method::PATCH,
            &format!("/v1/webhook-endpoints/{endpoint_id}"),
            Some(json!({"description": "the OMS"})),
        )
        .await,
        200,
    )
    .await;
    let rotated = json_of(
        send(
            &app,
            Method::POST,
            &format!("/v1/webhook-endpoints/{endpoint_id}/rotate-secret"),
            None,
        )
        .await,
        200,
    )
    .await;
    let rotated_secret = rotated["secret"].as_str().unwrap();
    assert_eq!(
        send(
            &app,
            Method::DELETE,
            &format!("/v1/webhook-endpoints/{endpoint_id}"),
            None
        )
        .await
        .status(),
        204
    );

    // Rules, a rate card and an NDR policy.
    json_of(
        send(&app, Method::PUT, "/v1/selection-rules", Some(json!({"rules": [
            {"name": "cheapest", "then": {"action": "prefer", "carriers": ["delhivery"], "weight": 50}}]}))).await,
        201,
    )
    .await;
    json_of(
        send(
            &app,
            Method::PUT,
            "/v1/ndr-policy",
            Some(json!({"rules": [{"name": "wait", "then": "wait"}]})),
        )
        .await,
        201,
    )
    .await;
    json_of(
        send(
            &app,
            Method::PUT,
            "/v1/ndr-policy",
            Some(json!({"rules": [{"name": "again", "then": "reattempt"}]})),
        )
        .await,
        201,
    )
    .await;

    let all = trail(&app, "?limit=200").await;
    let actions: Vec<&str> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "ndr_policy.updated",
            "ndr_policy.updated",
            "selection_rules.updated",
            "webhook_endpoint.deleted",
            "webhook_endpoint.secret_rotated",
            "webhook_endpoint.updated",
            "webhook_endpoint.created",
            "carrier_account.deleted",
            "carrier_account.updated",
            "carrier_account.created",
        ],
        "newest first"
    );
    let text = all.to_string();
    for secret in [
        token,
        push_secret,
        new_push_secret,
        endpoint_secret,
        rotated_secret,
    ] {
        assert!(!text.contains(secret), "a secret in the audit trail");
    }
    let events = all["data"].as_array().unwrap();
    let find = |action: &str| events.iter().find(|e| e["action"] == action).unwrap();
    // Who: the bootstrap admin key, by id.
    let created = find("carrier_account.created");
    assert_eq!(created["actor"]["kind"], "api_key");
    assert_eq!(created["actor"]["role"], "admin");
    assert!(
        created["actor"]["key_id"]
            .as_str()
            .unwrap()
            .starts_with("key_")
    );
    assert!(created["request_id"].as_str().is_some());
    assert_eq!(
        created["target"],
        json!({"type": "carrier_account", "id": account_id})
    );
    assert!(created["before"].is_null());
    assert_eq!(created["after"]["credential_fields"], json!(["api_token"]));
    // What: before and after of a change.
    let updated = find("carrier_account.updated");
    assert_eq!(updated["before"]["enabled"], true);
    assert_eq!(updated["after"]["enabled"], false);
    assert_eq!(updated["after"]["push_secret_rotated"], true);
    assert_eq!(find("carrier_account.deleted")["after"], Value::Null);
    let endpoint_change = find("webhook_endpoint.updated");
    assert_eq!(endpoint_change["before"]["description"], Value::Null);
    assert_eq!(endpoint_change["after"]["description"], "the OMS");
    let policy = &events[0];
    assert_eq!(policy["before"]["rules"][0]["then"], "wait");
    assert_eq!(policy["after"]["rules"][0]["then"], "reattempt");

    // Filters, and pages that walk the whole trail once.
    let endpoint_only = trail(
        &app,
        &format!("?target_type=webhook_endpoint&target_id={endpoint_id}"),
    )
    .await;
    assert_eq!(endpoint_only["data"].as_array().unwrap().len(), 4);
    let one_action = trail(&app, "?action=ndr_policy.updated").await;
    assert_eq!(one_action["data"].as_array().unwrap().len(), 2);
    let mut seen = Vec::new();
    let mut query = "?limit=3".to_string();
    loop {
        let page = trail(&app, &query).await;
        seen.extend(
            page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].clone()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    let every: Vec<Value> = events.iter().map(|e| e["id"].clone()).collect();
    assert_eq!(seen, every);
    let future = trail(&app, "?from=2999-01-01T00:00:00Z").await;
    assert_eq!(future["data"], json!([]));

    // Bad parameters at their pointer; admin only; another tenant sees nothing of it.
    let (status, body) = problem(
        app.get("/v1/audit-events?from=yesterday&limit=0&colour=red")
            .await,
    )
    .await;
    assert_eq!(status, 422);
    let mut pointers = common::pointers(&body);
    pointers.sort();
    assert_eq!(pointers, ["/colour", "/from", "/limit"]);
    let reader = app.key_for_tenant("demo", Role::Write).await;
    let r = app
        .client
        .get(app.url("/v1/audit-events"))
        .bearer_auth(&reader)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 403);
    let other = app.key_for_tenant("other", Role::Admin).await;
    let r = app
        .client
        .get(app.url("/v1/audit-events"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(r, 200).await["data"], json!([]));
}
