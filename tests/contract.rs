//! The OpenAPI document as a contract: every operation documents the answers its layers
//! can give (401, 403, 429, 5xx …) as `application/problem+json`, and exactly the creating
//! routes document `Idempotency-Key` — the same routes the idempotency layer guards.
//! `scripts/contract.sh` then checks the running server against this document.

mod common;

use common::spawn_app;
use serde_json::{Value, json};
use shipgate::api::IDEMPOTENT_ROUTES;

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

async fn document() -> Value {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// `(method, path, operation)` for every operation.
fn operations(doc: &Value) -> Vec<(&'static str, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                all.push((method, path.clone(), op.clone()));
            }
        }
    }
    assert!(all.len() > 20, "suspiciously few operations: {}", all.len());
    all
}

fn needs_key(op: &Value) -> bool {
    op["security"]
        .as_array()
        .is_some_and(|s| s.iter().any(|r| r.get("api_key").is_some()))
}

fn statuses(op: &Value) -> Vec<String> {
    op["responses"]
        .as_object()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_operation_documents_its_layer_responses() {
    let doc = document().await;
    let mut missing = Vec::new();
    for (method, path, op) in operations(&doc) {
        let has = statuses(&op);
        let mut want = vec!["400", "500"];
        if path.starts_with("/v1/") && path != "/v1/carriers/{carrier}/webhooks" {
            assert!(
                needs_key(&op),
                "{method} {path} is not marked as needing an API key"
            );
        }
        if needs_key(&op) {
            want.extend(["401", "403", "429", "503"]);
        }
        if op.get("requestBody").is_some() {
            want.extend(["413", "415", "422"]);
        }
        if path.contains('{') {
            want.push("404");
        }
        for status in want {
            if !has.iter().any(|s| s == status) {
                missing.push(format!("{method} {path}: {status}"));
            }
        }
    }
    assert!(missing.is_empty(), "undocumented responses: {missing:#?}");
}

#[tokio::test]
async fn every_problem_response_is_problem_json_with_its_headers() {
    let doc = document().await;
    for (method, path, op) in operations(&doc) {
        for (status, response) in op["responses"].as_object().unwrap() {
            let code: u16 = status.parse().expect("numeric status");
            let headers = &response["headers"];
            assert!(
                headers.get("x-request-id").is_some(),
                "{method} {path} {status} lacks x-request-id"
            );
            if needs_key(&op) {
                assert!(
                    headers.get("RateLimit").is_some(),
                    "{method} {path} {status} lacks RateLimit"
                );
            }
            // The one error status with a body of its own: load balancers read the
            // readiness report whatever the status.
            if code < 400 || (path == "/readyz" && code == 503) {
                continue;
            }
            let content = response["content"]
                .as_object()
                .unwrap_or_else(|| panic!("{method} {path} {status} documents no body"));
            let types: Vec<&String> = content.keys().collect();
            assert_eq!(
                types,
                ["application/problem+json"],
                "{method} {path} {status}"
            );
            assert_eq!(
                content["application/problem+json"]["schema"]["$ref"],
                "#/components/schemas/Problem",
                "{method} {path} {status}"
            );
            if matches!(code, 409 | 429 | 503) {
                assert!(
                    headers.get("Retry-After").is_some(),
                    "{method} {path} {status} lacks Retry-After"
                );
            }
        }
    }
}

#[tokio::test]
async fn exactly_the_creating_routes_document_idempotency_key() {
    let doc = document().await;
    let mut documented = Vec::new();
    for (method, path, op) in operations(&doc) {
        let takes_key = op["parameters"].as_array().is_some_and(|ps| {
            ps.iter()
                .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header")
        });
        if takes_key {
            assert_eq!(method, "post", "{path}");
            assert!(
                statuses(&op).iter().any(|s| s == "409"),
                "{path}: a key still in use answers 409"
            );
            documented.push(path);
        }
    }
    documented.sort();
    let mut expected: Vec<String> = IDEMPOTENT_ROUTES.iter().map(|p| p.to_string()).collect();
    expected.sort();
    assert_eq!(documented, expected);
}

#[tokio::test]
async fn the_idempotency_layer_guards_exactly_the_documented_routes() {
    // A key the layer refuses (400) proves the layer runs on a route; other routes ignore it.
    let app = spawn_app().await;
    let bad_key = "x".repeat(300);
    let send = |path: String| {
        app.client
            .post(app.url(&path))
            .bearer_auth(&app.api_key)
            .header("Idempotency-Key", bad_key.clone())
            .json(&json!({}))
            .send()
    };
    for route in IDEMPOTENT_ROUTES {
        let path = route.replace("{id}", "nope");
        let r = send(path.clone()).await.unwrap();
        assert_eq!(r.status(), 400, "{path}");
        let body: Value = r.json().await.unwrap();
        assert!(
            body["detail"].as_str().unwrap().contains("Idempotency-Key"),
            "{path}: {body}"
        );
    }
    for path in ["/v1/rates", "/v1/selection-rules/validate"] {
        // Answered by the handler (a validation result), not refused for the key.
        let r = send(path.to_string()).await.unwrap();
        assert!(
            matches!(r.status().as_u16(), 200 | 422),
            "{path} is not a creating route: {}",
            r.status()
        );
    }
}

#[tokio::test]
async fn the_label_documents_pdf_and_zpl() {
    let doc = document().await;
    let ok = &doc["paths"]["/v1/shipments/{id}/label"]["get"]["responses"]["200"]["content"];
    assert!(ok.get("application/pdf").is_some(), "{ok}");
    assert!(ok.get("application/zpl").is_some(), "{ok}");
}

#[tokio::test]
async fn operation_ids_are_unique_camel_case_and_every_response_is_described() {
    let doc = document().await;
    let mut ids = Vec::new();
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap_or_default().to_string();
        assert!(
            id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && id.chars().all(|c| c.is_ascii_alphanumeric()),
            "{method} {path}: operationId `{id}`"
        );
        ids.push(id);
        for (status, response) in op["responses"].as_object().unwrap() {
            assert!(
                response["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{method} {path} {status} has no description"
            );
        }
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "operationIds repeat");
    for expected in [
        "createShipment",
        "getShipment",
        "listShipments",
        "getShipmentLabel",
        "refreshTracking",
        "getTrackingByAwb",
        "createWebhookEndpoint",
        "quoteRates",
        "cancelShipment",
    ] {
        assert!(ids.iter().any(|i| i == expected), "no {expected}");
    }
}

/// Every outbound event type is documented under `webhooks`, with its own schema (the
/// common message with `type` fixed) and the Standard Webhooks headers.
#[tokio::test]
async fn outbound_webhook_messages_are_documented_per_event_type() {
    use shipgate::oms_webhooks::events::EventType;
    let doc = document().await;
    let webhooks = doc["webhooks"].as_object().expect("webhooks");
    assert_eq!(webhooks.len(), EventType::ALL.len());
    for event in EventType::ALL {
        let op = &webhooks[event.as_str()]["post"];
        let schema_ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .unwrap();
        let name = schema_ref.rsplit('/').next().unwrap();
        let schema = &doc["components"]["schemas"][name];
        assert_eq!(
            schema["allOf"][1]["properties"]["type"]["enum"],
            json!([event.as_str()]),
            "{name}"
        );
        let headers: Vec<&str> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            headers,
            ["webhook-id", "webhook-timestamp", "webhook-signature"]
        );
    }
    // The message schema is what the dispatcher sends.
    let message = &doc["components"]["schemas"]["EventMessage"];
    for field in ["type", "timestamp", "data"] {
        assert!(message["properties"].get(field).is_some(), "{message}");
    }
}
