//! The executor against carriers that misbehave, and against "any server that answers
//! like Delhivery": the gateway speaks real HTTP to whatever base URL it is given.

use crate::common;

use std::time::Duration;

use std::sync::{Arc, Mutex};

use actix_web::dev::Service;
use actix_web::{HttpResponse, web};
use common::fake_delhivery::{fake_delhivery, serve};
use common::{problem, shipment_body, spawn_app_with};
use futures::future::{FutureExt, LocalBoxFuture};
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

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Good,
    Garbage,
    Html,
    Error500,
    Silent,
}

const TEXT: &str = "text/plain; charset=utf-8";

/// The fake Delhivery, broken on demand in the ways real carriers break: while broken,
/// every request gets the broken answer; while good, the fake Delhivery answers.
fn switchable(mode: Arc<Mutex<Mode>>) -> impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static {
    move |cfg: &mut web::ServiceConfig| {
        let mode = mode.clone();
        cfg.service(
            web::scope("")
                .wrap_fn(move |request, good| -> LocalBoxFuture<'static, _> {
                    let mode = *mode.lock().unwrap();
                    let broken = match mode {
                        Mode::Good => return good.call(request).boxed_local(),
                        Mode::Garbage => HttpResponse::Ok()
                            .content_type(TEXT)
                            .body("}{ definitely not json"),
                        Mode::Html => HttpResponse::BadGateway()
                            .content_type("text/html")
                            .body("<html><body><h1>502 Bad Gateway</h1></body></html>"),
                        Mode::Error500 => HttpResponse::InternalServerError()
                            .content_type(TEXT)
                            .body("boom"),
                        Mode::Silent => {
                            return async move {
                                tokio::time::sleep(Duration::from_secs(5)).await;
                                Ok(request.into_response(
                                    HttpResponse::Ok().content_type(TEXT).body("late"),
                                ))
                            }
                            .boxed_local();
                        }
                    };
                    async move { Ok(request.into_response(broken)) }.boxed_local()
                })
                .configure(fake_delhivery()),
        );
    }
}

#[tokio::test]
async fn garbage_html_5xx_and_silence_become_clear_gateway_errors() {
    let mode = Arc::new(Mutex::new(Mode::Good));
    let base = serve(switchable(mode.clone())).await;
    let app = spawn_app_with(|c| point_delhivery_at(c, &base)).await;
    let r = app
        .post("/v1/shipments", &shipment_body("ORD-OK", "delhivery"))
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let tracking = format!("/v1/shipments/{id}/tracking");

    for (broken, status, code) in [
        (Mode::Garbage, 502, "carrier_bad_response"),
        (Mode::Html, 502, "carrier_error"),
        (Mode::Error500, 502, "carrier_error"),
        (Mode::Silent, 504, "carrier_timeout"),
    ] {
        *mode.lock().unwrap() = broken;
        let (got, body) = problem(app.get(&tracking).await).await;
        assert_eq!(
            (got, body["code"].as_str().unwrap()),
            (status, code),
            "{body}"
        );
        assert_eq!(body["source"]["carrier"], "delhivery");
        // The carrier's raw body is never passed through.
        assert!(
            !body.to_string().contains("<html") && !body.to_string().contains("definitely"),
            "{body}"
        );
    }
    // Cancel and rates fail the same clear way.
    *mode.lock().unwrap() = Mode::Html;
    let (got, body) = problem(
        app.post(
            &format!("/v1/shipments/{id}/cancel"),
            &serde_json::json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (got, body["source"]["carrier"].as_str().unwrap()),
        (502, "delhivery")
    );
}

#[tokio::test]
async fn a_booking_with_unknown_outcome_is_accepted_then_reconciled() {
    for broken in [Mode::Garbage, Mode::Error500, Mode::Silent] {
        let mode = Arc::new(Mutex::new(broken));
        let base = serve(switchable(mode.clone())).await;
        let app = spawn_app_with(|c| point_delhivery_at(c, &base)).await;
        let r = app
            .post("/v1/shipments", &shipment_body("ORD-UNKNOWN", "delhivery"))
            .await;
        // The carrier may have booked it: 202 with the shipment, never a blind retry.
        assert_eq!(r.status(), 202);
        let pending: Value = r.json().await.unwrap();
        assert_eq!(pending["booking_state"], "pending_confirmation");
        let id = pending["id"].as_str().unwrap();

        // Once the carrier answers again, reading the shipment settles it by lookup.
        *mode.lock().unwrap() = Mode::Good;
        let settled: Value = app
            .get(&format!("/v1/shipments/{id}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(settled["booking_state"], "confirmed", "{settled}");
        assert_eq!(settled["awb"], common::fake_delhivery::AWB);
    }
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
    let base = serve(|cfg: &mut web::ServiceConfig| {
        cfg.default_service(web::to(|| async {
            HttpResponse::ServiceUnavailable()
                .content_type(TEXT)
                .body("down")
        }));
    })
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

#[tokio::test]
async fn a_failing_carrier_opens_its_circuit_and_fails_fast() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let app = spawn_app_with(|c| {
        point_delhivery_at(c, &base);
        c.limits.enabled = false;
    })
    .await;
    let mut rate = shipment_body("x", "x");
    rate["carriers"] = serde_json::json!(["delhivery"]);
    let mut codes = Vec::new();
    for _ in 0..12 {
        let body: Value = app.post("/v1/rates", &rate).await.json().await.unwrap();
        codes.push(body["errors"][0]["code"].as_str().unwrap().to_string());
    }
    // Ten real connection failures (each request's serviceability check and rate call),
    // then the account is skipped without anything being sent.
    assert!(codes[..5].iter().all(|c| c == "connect"), "{codes:?}");
    assert!(codes[5..].iter().all(|c| c == "circuit_open"), "{codes:?}");
    let body: Value = app.post("/v1/rates", &rate).await.json().await.unwrap();
    assert!(
        body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("circuit open"),
        "{body}"
    );
    // A booking meanwhile is refused at once, nothing sent, and told when to come back:
    // within the circuit's cool-down (15 s by default).
    let r = app
        .post("/v1/shipments", &shipment_body("CIRCUIT-1", "delhivery"))
        .await;
    assert_eq!(r.status(), 503);
    let retry_after: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=15).contains(&retry_after),
        "Retry-After: {retry_after}"
    );
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["code"], "carrier_unavailable", "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("circuit open"),
        "{problem}"
    );
}
