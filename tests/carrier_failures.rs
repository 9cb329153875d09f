//! The executor against carriers that misbehave, and against "any server that answers
//! like Delhivery": the gateway speaks real HTTP to whatever base URL it is given.

mod common;

use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use common::fake_delhivery::{fake_delhivery, serve};
use common::{problem, shipment_body, spawn_app_with};
use serde_json::Value;
use shipgate::config::CarrierConfig;

fn point_delhivery_at(config: &mut shipgate::Config, base_url: &str) {
    config.carriers.insert(
        "delhivery".into(),
        CarrierConfig {
            base_url: Some(base_url.into()),
            timeout_ms: Some(500),
            ..Default::default()
        },
    );
}

#[tokio::test]
async fn tracking_comes_from_whatever_server_answers_like_delhivery() {
    let base = serve(fake_delhivery()).await;
    let app = spawn_app_with(|c| point_delhivery_at(c, &base)).await;
    let r = app
        .post("/v1/shipments", &shipment_body("ORD-FAKE", "delhivery"))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let s: Value = r.json().await.unwrap();
    assert_eq!(s["awb"], "90000000000017");
    assert_eq!(s["routing_code"], "BLR/KOR");

    let t: Value = app
        .get(&format!(
            "/v1/shipments/{}/tracking",
            s["id"].as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    let carrier_events: Vec<&Value> = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["carrier_code"].as_str().unwrap().starts_with("shipgate:"))
        .collect();
    assert_eq!(carrier_events.len(), 3, "{t}");
    assert_eq!(carrier_events[0]["carrier_code"], "X-UCI");
    assert_eq!(carrier_events[0]["status"], "pre_transit");
    // 10:30 IST is 05:00 UTC.
    assert_eq!(carrier_events[0]["event_time"], "2026-03-01T05:00:00Z");
    assert_eq!(carrier_events[1]["status"], "in_transit");
    assert_eq!(carrier_events[2]["status"], "out_for_delivery");
    assert_eq!(t["status"], "out_for_delivery");
}

async fn create_against(router: Router) -> (u16, Value, common::TestApp) {
    let base = serve(router).await;
    let app = spawn_app_with(|c| point_delhivery_at(c, &base)).await;
    let r = app
        .post("/v1/shipments", &shipment_body("ORD-BAD", "delhivery"))
        .await;
    let (status, body) = problem(r).await;
    assert_eq!(body["source"]["carrier"], "delhivery", "{body}");
    (status, body, app)
}

async fn shipment_state(app: &common::TestApp, body: &Value) -> Option<String> {
    let id = body["shipment_id"].as_str()?;
    let s: Value = app
        .get(&format!("/v1/shipments/{id}"))
        .await
        .json()
        .await
        .unwrap();
    s["booking_state"].as_str().map(String::from)
}

#[tokio::test]
async fn garbage_html_5xx_and_silence_become_clear_gateway_errors() {
    // Garbage on 200: unreadable, may have been booked.
    let (status, body, app) =
        create_against(Router::new().fallback(|| async { "}{ definitely not json" })).await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (502, "carrier_bad_response")
    );
    assert_eq!(
        shipment_state(&app, &body).await.as_deref(),
        Some("pending_confirmation")
    );

    // An HTML error page from a proxy.
    let (status, body, _) = create_against(Router::new().fallback(|| async {
        (
            StatusCode::BAD_GATEWAY,
            [("content-type", "text/html")],
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        )
            .into_response()
    }))
    .await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (502, "carrier_error")
    );
    // The carrier's raw body is never passed through.
    assert!(!body.to_string().contains("<html"), "{body}");

    // A plain 500.
    let (status, _, _) = create_against(
        Router::new()
            .fallback(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response() }),
    )
    .await;
    assert_eq!(status, 502);

    // Nothing within the timeout: 504, and the shipment is kept for reconciliation.
    let (status, body, app) = create_against(Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_secs(5)).await;
        "late"
    }))
    .await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (504, "carrier_timeout")
    );
    assert_eq!(
        shipment_state(&app, &body).await.as_deref(),
        Some("pending_confirmation")
    );
    // A retry of the same order does not reach the carrier again.
    let (status, retry) = problem(
        app.post("/v1/shipments", &shipment_body("ORD-BAD", "delhivery"))
            .await,
    )
    .await;
    assert_eq!(
        (status, retry["code"].as_str().unwrap()),
        (409, "order_already_booked")
    );
}

#[tokio::test]
async fn unreachable_carrier_is_safe_to_retry() {
    // A port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let app = spawn_app_with(|c| point_delhivery_at(c, &base)).await;
    let (status, body) = problem(
        app.post("/v1/shipments", &shipment_body("ORD-DOWN", "delhivery"))
            .await,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (502, "carrier_unreachable")
    );
    assert!(body.get("shipment_id").is_none());
    // Nothing was kept: the same order can be booked once the carrier is back.
    let demo = app.state.store.find_tenant("demo").await.unwrap().unwrap();
    assert_eq!(app.state.store.count_shipments(&demo.id).await.unwrap(), 0);
}

#[tokio::test]
async fn rates_report_failing_carriers_without_failing_the_request() {
    let base = serve(
        Router::new()
            .fallback(|| async { (StatusCode::SERVICE_UNAVAILABLE, "down").into_response() }),
    )
    .await;
    let app = spawn_app_with(|c| point_delhivery_at(c, &base)).await;
    let r = app.post("/v1/rates", &shipment_body("x", "x")).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["carrier"] != "delhivery")
    );
    assert!(!body["quotes"].as_array().unwrap().is_empty());
    let errors = body["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["carrier"] == "delhivery" && e["code"] == "upstream"),
        "{body}"
    );
}
