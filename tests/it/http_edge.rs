//! The HTTP edge: the server's bounds on clients (idle, slow and too many connections),
//! what is checked before a body is read, and the contract every route keeps (a key for
//! every `/v1` operation, problem documents for every 4xx, request ids everywhere).

use crate::common;

use std::time::Duration;

use common::{TestApp, problem, spawn_app_with};
use serde_json::{Value, json};
use shipgate::config::{CarrierConfig, Config};
use shipgate::store::Role;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn bounded(c: &mut Config) {
    c.http.keep_alive_secs = 1;
    c.http.header_timeout_ms = 500;
    c.http.body_timeout_ms = 500;
}

async fn connect(app: &TestApp) -> TcpStream {
    let addr = app.address.trim_start_matches("http://");
    TcpStream::connect(addr).await.expect("connect")
}

/// Reads until the server closes the connection (or `within` passes: `None`), returning
/// what it sent.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut seen = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(within, read).await.ok()?;
    Some(String::from_utf8_lossy(&seen).into_owned())
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_timeout() {
    let app = spawn_app_with(bounded).await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: gateway\r\n\r\n")
        .await
        .unwrap();
    // The answer comes, then the connection idles until the server closes it (1 s).
    let seen = read_until_closed(&mut stream, Duration::from_secs(15))
        .await
        .expect("the idle connection is closed by the server");
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
}

#[tokio::test]
async fn a_client_that_sends_no_request_is_disconnected() {
    let app = spawn_app_with(bounded).await;
    let mut stream = connect(&app).await;
    let seen = read_until_closed(&mut stream, Duration::from_secs(15))
        .await
        .expect("a silent connection is closed after the header timeout");
    assert!(
        seen.is_empty() || seen.starts_with("HTTP/1.1 408"),
        "{seen}"
    );
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_a_408_problem() {
    let app = spawn_app_with(bounded).await;
    let mut stream = connect(&app).await;
    let head = format!(
        "POST /v1/rates HTTP/1.1\r\nhost: gateway\r\nauthorization: Bearer {}\r\n\
         content-type: application/json\r\ncontent-length: 100\r\nx-request-id: slow-1\r\n\r\n{{\"from\":",
        app.api_key
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let seen = read_until_closed(&mut stream, Duration::from_secs(15))
        .await
        .expect("answered and closed");
    assert!(seen.starts_with("HTTP/1.1 408"), "{seen}");
    assert!(seen.contains("application/problem+json"), "{seen}");
    assert!(seen.contains("\"code\":\"request_timeout\""), "{seen}");
    assert!(seen.contains("\"request_id\":\"slow-1\""), "{seen}");
}

/// More idle and slow-body connections than the cap: the gateway keeps answering (the
/// surplus waits in the backlog until the timeouts free a slot) and memory stays bounded.
#[tokio::test]
async fn more_connections_than_the_cap_leave_healthz_answering() {
    let app = spawn_app_with(|c| {
        bounded(c);
        c.http.max_connections = 40;
        c.http.workers = 2;
    })
    .await;
    let rss_before = rss_kb();
    let mut held = Vec::new();
    for i in 0..240 {
        let mut stream = connect(&app).await;
        if i % 2 == 0 {
            // A slow body, authenticated, so it gets as far as reading.
            let head = format!(
                "POST /v1/rates HTTP/1.1\r\nhost: gateway\r\nauthorization: Bearer {}\r\n\
                 content-type: application/json\r\ncontent-length: 200000\r\n\r\n{}",
                app.api_key,
                " ".repeat(1000)
            );
            let _ = stream.write_all(head.as_bytes()).await;
        }
        held.push(stream);
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let healthz = client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("healthz answers while more connections than the cap are open");
    assert_eq!(healthz.status(), 200);
    let grown_mb = rss_kb().saturating_sub(rss_before) / 1024;
    assert!(
        grown_mb < 40,
        "RSS grew by {grown_mb} MB with 240 idle or slow connections"
    );
    drop(held);
}

fn rss_kb() -> u64 {
    shipgate::process_memory::status_kb("VmRSS").unwrap()
}

/// A push with the wrong token is refused from its headers: the gateway does not wait for
/// (or buffer) a body it will refuse. Were the body read first, this would wait for the
/// 30 s body timeout instead.
#[tokio::test]
async fn a_carrier_push_is_authenticated_before_its_body_is_read() {
    let app = spawn_app_with(|c| {
        c.http.body_timeout_ms = 30_000;
        c.carriers.insert(
            "delhivery".into(),
            CarrierConfig {
                settings: [("webhook_token".to_string(), "push-secret".to_string())]
                    .into_iter()
                    .collect(),
                ..CarrierConfig::default()
            },
        );
    })
    .await;
    let mut stream = connect(&app).await;
    stream
        .write_all(
            b"POST /v1/carriers/delhivery/webhooks HTTP/1.1\r\nhost: gateway\r\n\
              authorization: wrong\r\ncontent-type: application/json\r\n\
              content-length: 200000\r\n\r\n",
        )
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
        .await
        .expect("refused without waiting for the body")
        .unwrap();
    let seen = String::from_utf8_lossy(&buf[..n]);
    assert!(seen.starts_with("HTTP/1.1 401"), "{seen}");
}

/// Every documented `/v1` operation that names the `api_key` scheme answers 401 without a
/// key: authentication is per handler argument, so this is what proves none forgot it.
#[tokio::test]
async fn every_keyed_operation_refuses_a_request_without_a_key() {
    let app = spawn_app_with(|_| {}).await;
    let doc: Value = app.get("/openapi.json").await.json().await.unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let keyed = op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("api_key").is_some()));
            if !keyed {
                continue;
            }
            let url = app.url(&path.replace('{', "x").replace('}', ""));
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let resp = app
                .client
                .request(method.clone(), url)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let www = resp.headers().get("www-authenticate").cloned();
            let (status, body) = problem(resp).await;
            assert_eq!(status, 401, "{method} {path}: {body}");
            assert_eq!(www.unwrap(), "Bearer realm=\"shipgate\"", "{method} {path}");
            checked += 1;
        }
    }
    assert!(checked >= 25, "only {checked} operations checked");
}

/// The idempotency scope is the route, but the role is checked first: a key of a lesser
/// role never receives what an admin's request stored, and a replay never shows a secret.
#[tokio::test]
async fn a_replay_needs_the_routes_role_and_never_shows_a_secret() {
    let app = spawn_app_with(|_| {}).await;
    let body = json!({"url": "http://127.0.0.1:9/hook"});
    let first = app.post_keyed("/v1/webhook-endpoints", "ep-1", &body).await;
    assert_eq!(first.status(), 201);
    assert!(
        first.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/v1/webhook-endpoints/ep_")
    );
    let created: Value = first.json().await.unwrap();
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));

    for role in [Role::Read, Role::Write] {
        let key = app.key_for_tenant("demo", role).await;
        let resp = app
            .client
            .post(app.url("/v1/webhook-endpoints"))
            .bearer_auth(&key)
            .header("idempotency-key", "ep-1")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(resp.headers().get("idempotent-replayed").is_none());
        let (status, problem) = problem(resp).await;
        assert_eq!(status, 403, "{role:?}: {problem}");
        assert!(!problem.to_string().contains("whsec_"));
    }

    let replay = app.post_keyed("/v1/webhook-endpoints", "ep-1", &body).await;
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let replayed: Value = replay.json().await.unwrap();
    assert_eq!(replayed["id"], created["id"]);
    assert!(replayed.get("secret").is_none(), "{replayed}");

    // The same for a rotation.
    let id = created["id"].as_str().unwrap();
    let path = format!("/v1/webhook-endpoints/{id}/rotate-secret");
    let rotated: Value = app
        .post_keyed(&path, "rot-1", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(rotated["secret"].as_str().unwrap().starts_with("whsec_"));
    let again = app.post_keyed(&path, "rot-1", &json!({})).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert!(again.get("secret").is_none(), "{again}");
    assert!(again.get("previous_secret_expires_at").is_some(), "{again}");
}

/// A 401 is the caller's, not the request's: the next caller with the same key runs it.
#[tokio::test]
async fn refusals_of_the_caller_are_not_stored_under_the_key() {
    let app = spawn_app_with(|_| {}).await;
    let body = common::shipment_body("ORD-EDGE-401", "delhivery");
    let refused = app
        .client
        .post(app.url("/v1/shipments"))
        .bearer_auth("sg_not_a_key_at_all_000000")
        .header("idempotency-key", "k-401")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(refused).await.0, 401);
    let booked = app.post_keyed("/v1/shipments", "k-401", &body).await;
    assert_eq!(booked.status(), 201);
    assert!(booked.headers().get("idempotent-replayed").is_none());
}

#[tokio::test]
async fn problems_from_creating_routes_carry_the_request_id() {
    let app = spawn_app_with(|_| {}).await;
    for key in [None, Some("rid-1")] {
        let mut req = app
            .client
            .post(app.url("/v1/shipments"))
            .bearer_auth(&app.api_key)
            .header("x-request-id", "req-edge-1")
            .json(&json!({"order_ref": 5}));
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.headers()["x-request-id"], "req-edge-1");
        let (status, body) = problem(resp).await;
        assert_eq!(status, 422);
        assert_eq!(body["request_id"], "req-edge-1", "{key:?}");
    }
}

#[tokio::test]
async fn the_label_route_refuses_repeated_and_unknown_parameters_as_problems() {
    let app = spawn_app_with(|_| {}).await;
    let booked: Value = app
        .post(
            "/v1/shipments",
            &common::shipment_body("ORD-EDGE-LBL", "delhivery"),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = booked["id"].as_str().unwrap();
    for query in ["format=zpl&format=pdf", "format=png", "size=4x6", "format"] {
        let resp = app.get(&format!("/v1/shipments/{id}/label?{query}")).await;
        let (status, body) = problem(resp).await;
        assert_eq!(status, 400, "{query}: {body}");
    }
    assert_eq!(
        app.get(&format!("/v1/shipments/{id}/label?format=zpl"))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn the_carrier_list_is_a_page_like_every_list() {
    let app = spawn_app_with(|_| {}).await;
    let body: Value = app.get("/v1/carriers").await.json().await.unwrap();
    assert!(body["data"].as_array().unwrap().len() >= 2, "{body}");
    assert!(body["next_cursor"].is_null(), "{body}");
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let app = spawn_app_with(|_| {}).await;
    let (status, body) = problem(app.get("/v1/nothing-here").await).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    let resp = app
        .client
        .delete(app.url("/v1/shipments"))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    let allow = resp.headers()["allow"].to_str().unwrap().to_string();
    assert_eq!(allow, "GET, POST");
    let (status, body) = problem(resp).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (405, Some("method_not_allowed"))
    );
}
