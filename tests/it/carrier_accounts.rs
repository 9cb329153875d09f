//! Tenants' own carrier accounts over HTTP (issue 16), on SQLite and PostgreSQL.
//!
//! The simulators take several accounts (`/sandbox/<carrier>/_accounts`) and count the
//! requests each account's credentials made, so these tests see which credentials every
//! carrier call used, not only what the gateway answered.

use crate::common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::{TestApp, is_postgres, json_of, problem, shipment_body, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use shipgate::store::Role;

const ACME_TOKEN: &str = "ACME-DELHIVERY-TOKEN-5b1f0c";
const GLOBEX_TOKEN: &str = "GLOBEX-DELHIVERY-TOKEN-9e4d2a";

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    key: &str,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(key);
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.expect("request")
}

/// Registers an account with the carrier's simulator (the "carrier" issues credentials).
async fn simulator_account(app: &TestApp, carrier: &str, fields: Value) {
    let r = app
        .client
        .post(app.url(&format!("/sandbox/{carrier}/_accounts")))
        .json(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

/// Requests each simulator account's credentials made so far.
async fn simulator_requests(app: &TestApp, carrier: &str) -> BTreeMap<String, u64> {
    let body = json_of(
        app.client
            .get(app.url(&format!("/sandbox/{carrier}/_accounts")))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    body["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["account"].as_str().unwrap().to_string(),
                a["requests"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The accounts that quoted the common rate request for `key`'s tenant, and the answer.
async fn quoting_accounts(app: &TestApp, key: &str) -> (Vec<String>, Value) {
    let r = send(
        app,
        reqwest::Method::POST,
        "/v1/rates",
        key,
        Some(&common::rate_body()),
    )
    .await;
    let quotes = json_of(r, 200).await;
    let mut accounts: Vec<String> = quotes["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["carrier_account"].as_str().unwrap().to_string())
        .collect();
    accounts.dedup();
    (accounts, quotes)
}

fn delhivery_account(name: &str, token: &str) -> Value {
    json!({
        "carrier": "delhivery",
        "name": name,
        "credentials": {"api_token": token},
        "settings": {"pickup_location": carriers::delhivery::simulator::SANDBOX_PICKUP_LOCATION},
    })
}

async fn add_account(app: &TestApp, key: &str, body: &Value) -> Value {
    let r = app
        .client
        .post(app.url("/v1/carrier-accounts"))
        .bearer_auth(key)
        .header("idempotency-key", uuid::Uuid::new_v4().to_string())
        .json(body)
        .send()
        .await
        .unwrap();
    json_of(r, 201).await
}

async fn book(app: &TestApp, key: &str, order_ref: &str, carrier: &str) -> Value {
    let r = app
        .client
        .post(app.url("/v1/shipments"))
        .bearer_auth(key)
        .header("idempotency-key", uuid::Uuid::new_v4().to_string())
        .json(&shipment_body(order_ref, carrier))
        .send()
        .await
        .unwrap();
    json_of(r, 201).await
}

fn delhivery_push(awb: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({"Shipment": {
        "Status": {"Status": "Delivered", "StatusDateTime": "2026-12-06 10:15:00",
                   "StatusType": "DL", "StatusLocation": "Bengaluru_Koramangala_D (Karnataka)",
                   "Instructions": "Delivered to consignee"},
        "NSLCode": "EOD-38", "Sortcode": "BLR/KOR", "ReferenceNo": "ref", "AWB": awb
    }}))
    .unwrap()
}

async fn push(app: &TestApp, url: &str, secret: Option<&str>, body: Vec<u8>) -> (u16, Value) {
    let mut request = app.client.post(url).body(body);
    if let Some(secret) = secret {
        request = request.header("authorization", secret);
    }
    let r = request.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// Waits (polling, up to 15 s) for `check` to hold.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let until = Instant::now() + Duration::from_secs(15);
    while !check().await {
        assert!(Instant::now() < until, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn status_of(app: &TestApp, key: &str, id: &str) -> String {
    let body = json_of(
        send(
            app,
            reqwest::Method::GET,
            &format!("/v1/shipments/{id}"),
            key,
            None,
        )
        .await,
        200,
    )
    .await;
    body["status"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn two_tenants_with_their_own_delhivery_accounts_never_touch_each_others_shipments() {
    let app = spawn_app().await;
    simulator_account(
        &app,
        "delhivery",
        json!({"account": "acme", "api_token": ACME_TOKEN}),
    )
    .await;
    simulator_account(
        &app,
        "delhivery",
        json!({"account": "globex", "api_token": GLOBEX_TOKEN}),
    )
    .await;
    let acme = app.key_for_tenant("acme", Role::Admin).await;
    let globex = app.key_for_tenant("globex", Role::Admin).await;
    let initech = app.key_for_tenant("initech", Role::Admin).await;
    let acme_reader = app.key_for_tenant("acme", Role::Read).await;

    // A token the carrier does not know is refused in its words, and nothing is saved.
    let r = send(
        &app,
        reqwest::Method::POST,
        "/v1/carrier-accounts",
        &acme,
        Some(&delhivery_account("main", "NOT-A-DELHIVERY-TOKEN")),
    )
    .await;
    let (status, body) = problem(r).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["pointer"], "/credentials");
    assert_eq!(body["errors"][0]["code"], "carrier_refused_credentials");
    assert!(body["detail"].as_str().is_some());
    assert!(
        body.to_string().contains("Invalid token."),
        "the carrier's words: {body}"
    );
    assert!(!body.to_string().contains("NOT-A-DELHIVERY-TOKEN"));
    let listed = json_of(
        send(
            &app,
            reqwest::Method::GET,
            "/v1/carrier-accounts",
            &acme,
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(listed["data"], json!([]));

    // Bad input: every problem at its pointer.
    let r = app
        .client
        .post(app.url("/v1/carrier-accounts"))
        .bearer_auth(&acme)
        .json(&json!({"carrier": "delhivery", "name": " ",
                      "credentials": {"pickup_location": "X", "token": "t"},
                      "options": {"quota_per_second": 0}}))
        .send()
        .await
        .unwrap();
    let (status, body) = problem(r).await;
    assert_eq!(status, 422);
    let mut pointers = common::pointers(&body);
    pointers.sort();
    assert_eq!(
        pointers,
        [
            "/credentials/api_token",
            "/credentials/pickup_location",
            "/credentials/token",
            "/name",
            "/options/quota_per_second",
            "/settings/pickup_location",
        ]
    );

    // A read key cannot add one.
    let r = send(
        &app,
        reqwest::Method::POST,
        "/v1/carrier-accounts",
        &acme_reader,
        Some(&delhivery_account("main", ACME_TOKEN)),
    )
    .await;
    assert_eq!(problem(r).await.0, 403);

    // Rates before acme has its own account: the platform's Delhivery quotes (and the
    // answer is cached; adding an account must not be hidden behind it).
    let (quoted, quotes) = quoting_accounts(&app, &acme).await;
    assert!(quoted.iter().any(|a| a == "delhivery"), "{quotes}");

    let before = simulator_requests(&app, "delhivery").await;
    let a = add_account(&app, &acme, &delhivery_account("main", ACME_TOKEN)).await;
    let b = add_account(&app, &globex, &delhivery_account("main", GLOBEX_TOKEN)).await;
    let after = simulator_requests(&app, "delhivery").await;
    assert_eq!(a["checked_with_carrier"], true);
    assert_eq!(
        after["acme"],
        before["acme"] + 1,
        "checked with acme's token"
    );
    assert_eq!(after["globex"], before["globex"] + 1);
    for account in [&a, &b] {
        assert!(account["id"].as_str().unwrap().starts_with("ca_"));
        assert_eq!(account["credential_fields"], json!(["api_token"]));
        assert_eq!(account["status"], "active");
        assert!(account["push_secret"].as_str().unwrap().starts_with("psk_"));
        assert_eq!(account["push_secret_header"], "authorization");
        let text = account.to_string();
        assert!(!text.contains(ACME_TOKEN) && !text.contains(GLOBEX_TOKEN));
    }
    let (a_id, b_id) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    // Shown once: reading it back shows neither the credentials nor the push secret.
    let read = json_of(
        send(
            &app,
            reqwest::Method::GET,
            &format!("/v1/carrier-accounts/{a_id}"),
            &acme_reader,
            None,
        )
        .await,
        200,
    )
    .await;
    assert!(read.get("push_secret").is_none());
    assert!(!read.to_string().contains(ACME_TOKEN));
    // The same name twice in one tenant is a conflict.
    let r = send(
        &app,
        reqwest::Method::POST,
        "/v1/carrier-accounts",
        &acme,
        Some(&delhivery_account("main", ACME_TOKEN)),
    )
    .await;
    assert_eq!(problem(r).await.0, 409);

    // Each tenant sees its own account first, and nobody else's.
    let carriers_of = |key: String| {
        let app = &app;
        async move {
            let list = json_of(
                send(app, reqwest::Method::GET, "/v1/carriers", &key, None).await,
                200,
            )
            .await;
            list["data"]
                .as_array()
                .unwrap()
                .iter()
                // The Indian carriers this test is about (the global ones are shared alike).
                .filter(|c| ["delhivery", "shiprocket"].contains(&c["id"].as_str().unwrap()))
                .map(|c| {
                    format!(
                        "{}:{}",
                        c["account"].as_str().unwrap(),
                        c["owner"].as_str().unwrap()
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        carriers_of(acme.clone()).await,
        [format!("{a_id}:tenant"), "shiprocket:platform".into()]
    );
    assert_eq!(
        carriers_of(globex.clone()).await,
        [format!("{b_id}:tenant"), "shiprocket:platform".into()]
    );
    assert_eq!(
        carriers_of(initech.clone()).await,
        ["delhivery:platform", "shiprocket:platform"]
    );
    let r = send(
        &app,
        reqwest::Method::GET,
        &format!("/v1/carrier-accounts/{b_id}"),
        &acme,
        None,
    )
    .await;
    assert_eq!(problem(r).await.0, 404);
    let r = send(
        &app,
        reqwest::Method::PATCH,
        &format!("/v1/carrier-accounts/{b_id}"),
        &acme,
        Some(&json!({"enabled": false})),
    )
    .await;
    assert_eq!(problem(r).await.0, 404);

    // Rate shopping asks the tenant's own Delhivery account, not the platform's.
    let (quoted, quotes) = quoting_accounts(&app, &acme).await;
    assert!(quoted.iter().any(|a| a == a_id), "{quotes}");
    assert!(
        !quoted.iter().any(|a| a == "delhivery" || a == b_id),
        "{quotes}"
    );
    // Selection rules may name the tenant's own account, not another tenant's.
    let rules = |account: &str| {
        json!({"rules": [{"name": "own contract first",
        "then": {"action": "prefer", "carriers": [account], "weight": 90}}]})
    };
    let r = send(
        &app,
        reqwest::Method::PUT,
        "/v1/selection-rules",
        &acme,
        Some(&rules(a_id)),
    )
    .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let r = send(
        &app,
        reqwest::Method::PUT,
        "/v1/selection-rules",
        &globex,
        Some(&rules(a_id)),
    )
    .await;
    assert_eq!(problem(r).await.0, 422);
    let auto = book(&app, &acme, "ACME-AUTO", "auto").await;
    assert_eq!(auto["carrier_account"], a_id, "{auto}");

    // Booking: "delhivery" means the tenant's own account, with its own credentials.
    let counts = simulator_requests(&app, "delhivery").await;
    let sa = book(&app, &acme, "ACME-1", "delhivery").await;
    assert_eq!(sa["carrier_account"], a_id);
    let mid = simulator_requests(&app, "delhivery").await;
    assert!(mid["acme"] > counts["acme"]);
    assert_eq!(mid["globex"], counts["globex"]);
    assert_eq!(mid["default"], counts["default"]);
    let sb = book(&app, &globex, "GLOBEX-1", "delhivery").await;
    assert_eq!(sb["carrier_account"], b_id);
    let sc = book(&app, &initech, "INITECH-1", "delhivery").await;
    assert_eq!(
        sc["carrier_account"], "delhivery",
        "the shared platform account"
    );
    let end = simulator_requests(&app, "delhivery").await;
    assert_eq!(
        end["acme"], mid["acme"],
        "globex and initech never used acme's token"
    );
    assert!(end["globex"] > mid["globex"]);
    assert!(end["default"] > mid["default"]);
    // Its shipments are polled by its own account's loop, and its calls are counted
    // under its own account.
    let sa_poll = app
        .state
        .store
        .poll_state(sa["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sa_poll.carrier_account, a_id);
    let metrics = app.metrics().await;
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("shipgate_carrier_operations_total")
                && l.contains(&format!("account=\"{a_id}\""))
                && l.contains("operation=\"create_shipment\"")),
        "{metrics}"
    );
    // Another tenant's account cannot be named.
    let r = send(
        &app,
        reqwest::Method::POST,
        "/v1/shipments",
        &globex,
        Some(&shipment_body("GLOBEX-2", a_id)),
    )
    .await;
    let (status, body) = problem(r).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation_failed")),
        "{body}"
    );
    let (sa_id, sb_id, sc_id) = (
        sa["id"].as_str().unwrap(),
        sb["id"].as_str().unwrap(),
        sc["id"].as_str().unwrap(),
    );
    let r = send(
        &app,
        reqwest::Method::GET,
        &format!("/v1/shipments/{sa_id}"),
        &globex,
        None,
    )
    .await;
    assert_eq!(problem(r).await.0, 404);

    // Tracking pulls use the booking account's credentials.
    let before = simulator_requests(&app, "delhivery").await;
    let r = send(
        &app,
        reqwest::Method::GET,
        &format!("/v1/shipments/{sb_id}/tracking"),
        &globex,
        None,
    )
    .await;
    assert_eq!(r.status(), 200);
    let after = simulator_requests(&app, "delhivery").await;
    assert!(after["globex"] > before["globex"]);
    assert_eq!(after["acme"], before["acme"]);

    // Pushes: each account's own URL and secret reach only that account's shipments.
    let a_url = sa_push_url(&a);
    let b_secret = b["push_secret"].as_str().unwrap();
    let a_secret = a["push_secret"].as_str().unwrap();
    let (status, _) = push(
        &app,
        &a_url,
        Some(b_secret),
        delhivery_push(sa["awb"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, 401, "globex's secret does not open acme's URL");
    let (status, _) = push(
        &app,
        &a_url,
        None,
        delhivery_push(sa["awb"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, 401);
    let wrong_carrier = a_url.replace("/delhivery/", "/shiprocket/");
    let (status, _) = push(&app, &wrong_carrier, Some(a_secret), delhivery_push("X")).await;
    assert_eq!(status, 404);
    // Globex's AWB pushed to acme's URL is stored but touches nothing.
    let (status, accepted) = push(
        &app,
        &a_url,
        Some(&format!("Token {a_secret}")),
        delhivery_push(sb["awb"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, 200, "{accepted}");
    let stray = accepted["id"].as_i64().unwrap();
    // Acme's AWB pushed to the carrier-wide URL (platform accounts) touches nothing either.
    let (status, _) = push(
        &app,
        &app.url("/v1/carriers/delhivery/webhooks"),
        None,
        delhivery_push(sa["awb"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, 200);
    // Initech's AWB at the carrier-wide URL updates initech's shipment.
    let (status, _) = push(
        &app,
        &app.url("/v1/carriers/delhivery/webhooks"),
        None,
        delhivery_push(sc["awb"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, 200);
    // Acme's AWB at acme's URL updates acme's shipment.
    let (status, _) = push(
        &app,
        &a_url,
        Some(a_secret),
        delhivery_push(sa["awb"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, 200);
    eventually("acme's and initech's shipments are delivered", || async {
        status_of(&app, &acme, sa_id).await == "delivered"
            && status_of(&app, &initech, sc_id).await == "delivered"
    })
    .await;
    let store = &app.state.store;
    eventually("the stray push is processed", || async {
        store
            .inbox_rows(Some("delhivery"), None, 100)
            .await
            .unwrap()
            .iter()
            .any(|r| r.id == stray && r.state != shipgate::store::InboxState::Pending)
    })
    .await;
    assert_ne!(
        status_of(&app, &globex, sb_id).await,
        "delivered",
        "globex untouched"
    );
    let rows = store
        .inbox_rows(Some("delhivery"), None, 100)
        .await
        .unwrap();
    let stray_row = rows.iter().find(|r| r.id == stray).unwrap();
    assert_eq!(stray_row.state, shipgate::store::InboxState::UnknownAwb);

    // Options: a tenant limits its account to some services and sets its quota.
    let limited = json_of(
        send(
            &app,
            reqwest::Method::PATCH,
            &format!("/v1/carrier-accounts/{b_id}"),
            &globex,
            Some(&json!({"options": {"services": ["surface"], "quota_per_second": 50}})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(limited["options"]["services"], json!(["surface"]));
    let quotes = json_of(
        send(&app, reqwest::Method::POST, "/v1/rates", &globex, Some(&json!({
            "carriers": ["delhivery"],
            "from": common::rate_body()["from"], "to": common::rate_body()["to"],
            "parcels": common::rate_body()["parcels"], "payment": common::rate_body()["payment"],
        }))).await,
        200,
    )
    .await;
    let services: Vec<&str> = quotes["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["service"].as_str().unwrap())
        .collect();
    assert_eq!(services, ["surface"], "{quotes}");
    let mut express = shipment_body("GLOBEX-EXPRESS", "delhivery");
    express["service"] = json!("express");
    let r = send(
        &app,
        reqwest::Method::POST,
        "/v1/shipments",
        &globex,
        Some(&express),
    )
    .await;
    let (status, body) = problem(r).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(common::pointers(&body), ["/service"]);
    assert_eq!(body["errors"][0]["code"], "service_not_offered");
    let tenant = app.state.store.ensure_tenant("globex").await.unwrap();
    let account = app.state.registry.booked_with(&tenant.id, b_id).unwrap();
    assert_eq!(account.transport.quota_per_second(), Some(50.0));

    // Deleting an account with shipments under way is refused; disabling is not.
    let r = send(
        &app,
        reqwest::Method::DELETE,
        &format!("/v1/carrier-accounts/{b_id}"),
        &globex,
        None,
    )
    .await;
    let (status, body) = problem(r).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("account_in_use"))
    );
    let disabled = json_of(
        send(
            &app,
            reqwest::Method::PATCH,
            &format!("/v1/carrier-accounts/{b_id}"),
            &globex,
            Some(&json!({"enabled": false})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(disabled["status"], "disabled");
    assert_eq!(
        carriers_of(globex.clone()).await,
        ["delhivery:platform", "shiprocket:platform"],
        "a disabled account books nothing new"
    );
    // Its shipments are still tracked with it.
    let before = simulator_requests(&app, "delhivery").await;
    let r = send(
        &app,
        reqwest::Method::GET,
        &format!("/v1/shipments/{sb_id}/tracking"),
        &globex,
        None,
    )
    .await;
    assert_eq!(r.status(), 200);
    assert!(simulator_requests(&app, "delhivery").await["globex"] > before["globex"]);

    // Nothing the tenants gave as a secret is in the database in plain text.
    let raw = common::raw_database(&app.database_url);
    assert!(raw.contains(a_id), "the dump reads the accounts");
    for secret in [ACME_TOKEN, GLOBEX_TOKEN, a_secret, b_secret] {
        assert!(!raw.contains(secret), "a secret is stored in plain text");
    }
}

fn sa_push_url(account: &Value) -> String {
    account["push_url"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_platform_account_shared_by_name_serves_only_the_tenants_it_names() {
    let app = spawn_app_with(|c| {
        c.carriers.insert(
            "delhivery".into(),
            shipgate::config::CarrierConfig {
                share_with: Some("acme, initech".into()),
                ..Default::default()
            },
        );
    })
    .await;
    let acme = app.key_for_tenant("acme", Role::Admin).await;
    let globex = app.key_for_tenant("globex", Role::Admin).await;
    // The tenants did not exist when the gateway started: they are found at the next
    // refresh.
    app.state
        .registry
        .refresh(&app.state.store, app.state.sealing.as_deref())
        .await
        .unwrap();
    let sa = book(&app, &acme, "ACME-1", "delhivery").await;
    assert_eq!(sa["carrier_account"], "delhivery");
    let r = send(
        &app,
        reqwest::Method::POST,
        "/v1/shipments",
        &globex,
        Some(&shipment_body("GLOBEX-1", "delhivery")),
    )
    .await;
    let (status, body) = problem(r).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(common::pointers(&body), ["/carrier"]);
}

/// A change made through one gateway process reaches another within its refresh
/// interval, without a restart; a call under way finishes on the credentials it started
/// with.
#[tokio::test]
async fn changes_reach_every_process_and_calls_under_way_keep_their_credentials() {
    let first = spawn_app_with(|c| c.carrier_accounts.refresh_ms = 100).await;
    let database_url = first.database_url.clone();
    let second = spawn_app_with(move |c| {
        c.database_url = database_url;
        c.carrier_accounts.refresh_ms = 100;
    })
    .await;
    let old = json!({"account": "old", "email": "ops@acme.test", "password": "OLD-PASSWORD-71c"});
    let new = json!({"account": "new", "email": "ops@acme.test", "password": "NEW-PASSWORD-d03"});
    for app in [&first, &second] {
        simulator_account(app, "shiprocket", old.clone()).await;
        simulator_account(app, "shiprocket", new.clone()).await;
    }
    let acme = first.key_for_tenant("acme", Role::Admin).await;
    let account = add_account(
        &first,
        &acme,
        &json!({
            "carrier": "shiprocket",
            "name": "main",
            "credentials": {"email": "ops@acme.test", "password": "OLD-PASSWORD-71c"},
            "settings": {"pickup_location": carriers::shiprocket::SANDBOX_PICKUP_LOCATION},
        }),
    )
    .await;
    let id = account["id"].as_str().unwrap().to_string();

    // The second process books on it without a restart.
    eventually("the second process has the account", || async {
        carriers_of(&second, &acme).await.contains(&id)
    })
    .await;
    let booked = book(&second, &acme, "ACME-1", "shiprocket").await;
    assert_eq!(booked["carrier_account"], id.as_str());
    assert!(simulator_requests(&second, "shiprocket").await["old"] > 0);

    // A password the carrier refuses changes nothing.
    let r = send(
        &first,
        reqwest::Method::PATCH,
        &format!("/v1/carrier-accounts/{id}"),
        &acme,
        Some(&json!({"credentials": {"password": "NOT-THE-PASSWORD"}})),
    )
    .await;
    let (status, body) = problem(r).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(common::pointers(&body), ["/credentials"]);
    let unchanged = json_of(
        send(
            &first,
            reqwest::Method::GET,
            &format!("/v1/carrier-accounts/{id}"),
            &acme,
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        unchanged["credentials_changed_at"],
        account["credentials_changed_at"]
    );
    // A booking under way on the second process while the first rotates the password:
    // its remaining calls still go out with the old credentials.
    second
        .arm_fault(
            "shiprocket",
            json!({"path_contains": "orders/create/adhoc", "delay_ms": 1500}),
        )
        .await;
    let before = simulator_requests(&second, "shiprocket").await;
    let in_flight = {
        let url = second.url("/v1/shipments");
        let client = second.client.clone();
        let key = acme.clone();
        tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(key)
                .header("idempotency-key", "in-flight-1")
                .json(&shipment_body("ACME-2", "shiprocket"))
                .send()
                .await
                .unwrap()
        })
    };
    eventually("the booking is under way", || async {
        second.faults_waiting("shiprocket").await == 0
    })
    .await;
    let rotated = json_of(
        send(
            &first,
            reqwest::Method::PATCH,
            &format!("/v1/carrier-accounts/{id}"),
            &acme,
            Some(&json!({"credentials": {"password": "NEW-PASSWORD-d03"}})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(rotated["checked_with_carrier"], true);
    assert!(
        rotated["credentials_changed_at"] != account["credentials_changed_at"],
        "{rotated}"
    );
    let done = in_flight.await.unwrap();
    assert_eq!(done.status(), 201, "{}", done.text().await.unwrap());
    let during = simulator_requests(&second, "shiprocket").await;
    assert_eq!(
        during["new"], before["new"],
        "the call under way kept the old password"
    );
    assert!(during["old"] > before["old"]);

    // Calls after the change use the new password, on the second process too.
    eventually("the second process uses the new password", || async {
        let r = send(
            &second,
            reqwest::Method::GET,
            &format!("/v1/shipments/{}/tracking", booked["id"].as_str().unwrap()),
            &acme,
            None,
        )
        .await;
        assert_eq!(r.status(), 200);
        simulator_requests(&second, "shiprocket").await["new"] > during["new"]
    })
    .await;

    // Disabling reaches it as well.
    send(
        &first,
        reqwest::Method::PATCH,
        &format!("/v1/carrier-accounts/{id}"),
        &acme,
        Some(&json!({"enabled": false})),
    )
    .await;
    eventually("the second process stops booking on it", || async {
        !carriers_of(&second, &acme).await.contains(&id)
    })
    .await;
}

async fn carriers_of(app: &TestApp, key: &str) -> Vec<String> {
    let list = json_of(
        send(app, reqwest::Method::GET, "/v1/carriers", key, None).await,
        200,
    )
    .await;
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["account"].as_str().unwrap().to_string())
        .collect()
}

/// A gateway whose master key does not open the stored credentials fails closed: the
/// account is unusable, says why, and the tenant's bookings say so rather than use
/// somebody else's account.
#[tokio::test]
async fn a_wrong_master_key_fails_closed_with_a_clear_error() {
    let first = spawn_app().await;
    simulator_account(
        &first,
        "delhivery",
        json!({"account": "acme", "api_token": ACME_TOKEN}),
    )
    .await;
    let acme = first.key_for_tenant("acme", Role::Admin).await;
    let account = add_account(&first, &acme, &delhivery_account("main", ACME_TOKEN)).await;
    let id = account["id"].as_str().unwrap();

    // The sandbox key kept in the database replaced: a gateway with another master key.
    let other = shipgate::sealed::MasterKey::generate("sandbox").export();
    let replace = "UPDATE sandbox_master_key SET master_key = $1";
    if is_postgres() {
        let pool = sqlx::PgPool::connect(&first.database_url).await.unwrap();
        sqlx::query(replace)
            .bind(other.as_str())
            .execute(&pool)
            .await
            .unwrap();
    } else {
        let pool = sqlx::SqlitePool::connect(&first.database_url)
            .await
            .unwrap();
        sqlx::query(replace)
            .bind(other.as_str())
            .execute(&pool)
            .await
            .unwrap();
    }
    let database_url = first.database_url.clone();
    let second = spawn_app_with(move |c| c.database_url = database_url).await;
    let shown = json_of(
        send(
            &second,
            reqwest::Method::GET,
            &format!("/v1/carrier-accounts/{id}"),
            &acme,
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(shown["status"], "unusable");
    let why = shown["problem"].as_str().unwrap();
    assert!(why.contains("sandbox"), "names the key: {why}");
    assert!(!why.contains(ACME_TOKEN));
    let r = send(
        &second,
        reqwest::Method::POST,
        "/v1/shipments",
        &acme,
        Some(&shipment_body("ACME-1", "delhivery")),
    )
    .await;
    let (status, body) = problem(r).await;
    assert_eq!(status, 503, "{body}");
    assert!(body["detail"].as_str().unwrap().contains(id), "{body}");
    // Rates say why Delhivery gave no quote.
    let quotes = json_of(
        send(
            &second,
            reqwest::Method::POST,
            "/v1/rates",
            &acme,
            Some(&common::rate_body()),
        )
        .await,
        200,
    )
    .await;
    let unusable: Vec<&Value> = quotes["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["code"] == "account_unusable")
        .collect();
    assert_eq!(unusable.len(), 1, "{quotes}");
    assert_eq!(unusable[0]["carrier_account"], id);
    assert!(
        quotes["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["carrier"] != "delhivery"),
        "{quotes}"
    );
}

/// Live mode without `SHIPGATE_MASTER_KEY` stores no credential and says what to set.
#[tokio::test]
async fn live_mode_without_a_master_key_stores_no_credentials() {
    let app = common::spawn_live_app().await;
    assert!(
        app.state.sealing.is_none(),
        "the test runs without a master key"
    );
    let r = send(
        &app,
        reqwest::Method::POST,
        "/v1/carrier-accounts",
        &app.api_key,
        Some(&delhivery_account("main", ACME_TOKEN)),
    )
    .await;
    let (status, body) = problem(r).await;
    assert_eq!(status, 503, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("SHIPGATE_MASTER_KEY")
    );
    let listed = json_of(
        send(
            &app,
            reqwest::Method::GET,
            "/v1/carrier-accounts",
            &app.api_key,
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(listed["data"], json!([]));
}
