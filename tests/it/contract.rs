//! The OpenAPI document as a contract: every operation documents the answers its layers
//! can give (401, 403, 429, 5xx …) as `application/problem+json`, and exactly the creating
//! routes document `Idempotency-Key` — the same routes the idempotency layer guards.
//! `scripts/contract.sh` then checks the running server against this document.

use crate::common;

use carriers::schema::FieldError;
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
        // Carrier pushes authenticate as carriers do, not with API keys.
        if path.starts_with("/v1/") && !path.starts_with("/v1/carriers/{carrier}/webhooks") {
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
    for path in [
        "/v1/rates",
        "/v1/selection-rules/validate",
        "/v1/addresses/check",
    ] {
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

// ---- request schemas --------------------------------------------------------------------
//
// The `*Input` types are all `Option` so that the server reports every violation at its
// pointer; their schemas still say what the server requires, with the constraints it
// enforces, and never more: a request the server accepts must validate.

fn component<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let schema = &doc["components"]["schemas"][name];
    assert!(schema.is_object(), "no component {name}");
    schema
}

fn required(schema: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().map(|n| n.as_str().unwrap()).collect())
        .unwrap_or_default();
    names.sort_unstable();
    names
}

fn allows_null(schema: &Value) -> bool {
    match &schema["type"] {
        Value::String(t) => t == "null",
        Value::Array(types) => types.iter().any(|t| t == "null"),
        _ => ["oneOf", "anyOf"].iter().any(|k| {
            schema[k]
                .as_array()
                .is_some_and(|branches| branches.iter().any(allows_null))
        }),
    }
}

/// The component a property names: its `$ref`, or that of its non-null `oneOf` branch.
fn ref_of(schema: &Value) -> &str {
    if let Some(r) = schema["$ref"].as_str() {
        return r;
    }
    let branches = schema["oneOf"]
        .as_array()
        .unwrap_or_else(|| panic!("{schema}"));
    let named: Vec<&str> = branches.iter().filter_map(|b| b["$ref"].as_str()).collect();
    assert_eq!(named.len(), 1, "{schema}");
    named[0]
}

#[tokio::test]
async fn request_bodies_list_the_fields_the_server_requires() {
    let doc = document().await;
    for (name, fields) in [
        (
            "ShipmentRequestInput",
            &["carrier", "from", "order_ref", "parcels", "payment", "to"][..],
        ),
        ("RateRequestInput", &["from", "parcels", "payment", "to"]),
        (
            "AddressInput",
            &["city", "line1", "name", "phone", "postal_code"],
        ),
        ("ParcelInput", &["weight_g"]),
        ("PaymentInput", &["mode"]),
        (
            "RateCardInput",
            &[
                "additional_slab_g",
                "first_slab_g",
                "gst_percent",
                "name",
                "volumetric_divisor",
                "zones",
            ],
        ),
        ("ZoneRateInput", &["additional_slab", "first_slab"]),
        ("CodInput", &["percent"]),
        ("RuleSetInput", &[]),
        ("RuleInput", &["then"]),
        ("ActionInput", &["action"]),
        ("EndpointInput", &["url"]),
        ("EndpointUpdate", &[]),
        ("ReplayRange", &["since"]),
    ] {
        let schema = component(&doc, name);
        assert_eq!(required(schema), fields, "{name}");
        for field in fields {
            let property = &schema["properties"][field];
            assert!(
                !allows_null(property),
                "{name}.{field} is required but nullable: {property}"
            );
        }
    }
    // A field required only with another value stays optional.
    let payment = component(&doc, "PaymentInput");
    assert!(allows_null(&payment["properties"]["cod_amount"]));
}

#[tokio::test]
async fn request_enums_are_the_components_responses_use() {
    let doc = document().await;
    let schemas = &doc["components"]["schemas"];
    let prop = |name: &str, field: &str| &component(&doc, name)["properties"][field];

    assert_eq!(
        ref_of(prop("ShipmentRequestInput", "payment")),
        "#/components/schemas/PaymentInput"
    );
    let mode = ref_of(prop("PaymentInput", "mode"));
    assert_eq!(mode, "#/components/schemas/PaymentMode");
    assert_eq!(
        ref_of(prop("ShipmentView", "payment")),
        "#/components/schemas/Payment"
    );
    assert_eq!(ref_of(prop("Payment", "mode")), mode);
    assert_eq!(ref_of(prop("ConditionsInput", "payment_mode")), mode);
    assert_eq!(ref_of(prop("Conditions", "payment_mode")), mode);
    assert_eq!(schemas["PaymentMode"]["enum"], json!(["prepaid", "cod"]));

    let label = ref_of(prop("ShipmentRequestInput", "label_format"));
    assert_eq!(label, ref_of(prop("ShipmentView", "label_format")));
    assert_eq!(schemas["LabelFormat"]["enum"], json!(["pdf", "zpl"]));

    let objective = ref_of(prop("SelectionRecord", "objective"));
    assert_eq!(objective, "#/components/schemas/Objective");
    for name in ["ShipmentRequestInput", "RateRequestInput", "RuleSetInput"] {
        assert_eq!(ref_of(prop(name, "objective")), objective, "{name}");
    }
    assert_eq!(ref_of(prop("RuleSet", "objective")), objective);

    assert_eq!(
        prop("ConditionsInput", "zones")["items"],
        prop("Conditions", "zones")["items"]
    );
    assert_eq!(
        prop("EndpointInput", "event_types")["items"],
        prop("EndpointView", "event_types")["items"]
    );
    assert_eq!(
        prop("EndpointUpdate", "event_types")["items"],
        prop("EndpointView", "event_types")["items"]
    );
    assert_eq!(
        ref_of(prop("DeliveryView", "type")),
        "#/components/schemas/EventType"
    );
    assert_eq!(
        ref_of(prop("ActionInput", "action")),
        "#/components/schemas/ActionKind"
    );
    assert_eq!(
        ref_of(prop("ReplayRange", "status")),
        "#/components/schemas/ReplayStatus"
    );
    let status = ref_of(prop("DeliveryView", "status"));
    assert_eq!(status, "#/components/schemas/DeliveryState");
    let deliveries = &doc["paths"]["/v1/webhook-endpoints/{id}/messages"]["get"]["parameters"];
    let param = deliveries
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "status")
        .unwrap();
    assert_eq!(ref_of(&param["schema"]), status);

    // Every reference leads somewhere (a hand-written schema is not followed by utoipa to
    // collect what it names).
    fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("$ref", Value::String(r)) => out.push(r),
                        _ => refs(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r}"));
        assert!(schemas.get(name).is_some(), "dangling {r}");
    }
}

#[tokio::test]
async fn request_bounds_are_the_servers() {
    use carriers::schema::{MAX_PIECES, MAX_TAG_LEN, MAX_TAGS, Money};

    let doc = document().await;
    let prop = |name: &str, field: &str| component(&doc, name)["properties"][field].clone();
    let shipment_parcels = prop("ShipmentRequestInput", "parcels");
    assert_eq!(
        (
            shipment_parcels["minItems"].clone(),
            shipment_parcels["maxItems"].clone()
        ),
        (json!(1), json!(MAX_PIECES))
    );
    let rate_parcels = prop("RateRequestInput", "parcels");
    assert_eq!(
        (
            rate_parcels["minItems"].clone(),
            rate_parcels["maxItems"].clone()
        ),
        (json!(1), json!(MAX_PIECES))
    );
    for (name, least) in [("DeclaredValue", 0), ("CodAmount", 1)] {
        let amount = prop(name, "amount");
        assert_eq!(amount["minimum"], json!(least), "{name}");
        assert_eq!(amount["maximum"], json!(Money::MAX_AMOUNT), "{name}");
        assert_eq!(
            ref_of(&prop(name, "currency")),
            "#/components/schemas/Currency"
        );
    }
    assert_eq!(
        prop("ShipmentRequestInput", "tags")["maxItems"],
        json!(MAX_TAGS)
    );
    let tag = component(&doc, "Tag")["pattern"].as_str().unwrap();
    assert!(tag.contains(&format!("{{1,{MAX_TAG_LEN}}}")), "{tag}");
    assert_eq!(
        prop("RuleSetInput", "rules")["maxItems"],
        json!(shipgate::selection::rules::MAX_RULES)
    );
    let url = prop("EndpointInput", "url");
    assert_eq!(url["format"], "uri");
    let max_url = shipgate::oms_webhooks::MAX_URL_LEN;
    assert!(
        url["pattern"]
            .as_str()
            .unwrap()
            .contains(&format!("{{0,{max_url}}}")),
        "{url}"
    );
    let weight = prop("ParcelInput", "weight_g");
    assert_eq!(
        (weight["minimum"].clone(), weight["maximum"].clone()),
        (json!(1), json!(1_000_000))
    );
    assert_eq!(prop("RateRequestInput", "deadline_ms")["minimum"], json!(1));
    assert_eq!(prop("ShipmentRequestInput", "deliver_by")["format"], "date");
    assert_eq!(prop("ReplayRange", "since")["format"], "date-time");
    for (path, name) in [
        ("/v1/shipments", "limit"),
        ("/v1/webhook-endpoints/{id}/messages", "limit"),
    ] {
        let params = doc["paths"][path]["get"]["parameters"].as_array().unwrap();
        let limit = &params.iter().find(|p| p["name"] == name).unwrap()["schema"];
        assert_eq!(
            (limit["minimum"].clone(), limit["maximum"].clone()),
            (json!(1), json!(200)),
            "{path}"
        );
    }
}

/// Checks `value` against `schema` (resolving `$ref`s in `doc`) for the keywords the
/// request schemas use; any other assertion keyword fails the test rather than being
/// skipped, so a constraint added later is checked too. `format` is an annotation (JSON
/// Schema 2020-12) and is not asserted.
fn violations(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    const ANNOTATIONS: [&str; 6] = [
        "description",
        "example",
        "examples",
        "format",
        "title",
        "uniqueItems",
    ];
    let Some(keywords) = schema.as_object() else {
        panic!("{at}: not a schema: {schema}");
    };
    let mut own = Vec::new();
    let mut fail = |why: String| own.push(format!("{at}: {why}"));
    for (keyword, arg) in keywords {
        match keyword.as_str() {
            "$ref" => {
                let name = arg
                    .as_str()
                    .unwrap()
                    .trim_start_matches("#/components/schemas/");
                violations(doc, &doc["components"]["schemas"][name], value, at, out);
            }
            "oneOf" => {
                let passing = arg
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|branch| {
                        let mut errors = Vec::new();
                        violations(doc, branch, value, at, &mut errors);
                        errors.is_empty()
                    })
                    .count();
                if passing != 1 {
                    out.push(format!("{at}: {passing} `oneOf` branches match {value}"));
                }
            }
            "type" => {
                let types: Vec<&str> = match arg {
                    Value::String(t) => vec![t.as_str()],
                    other => other
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.as_str().unwrap())
                        .collect(),
                };
                let is = |t: &str| match t {
                    "null" => value.is_null(),
                    "string" => value.is_string(),
                    "boolean" => value.is_boolean(),
                    "object" => value.is_object(),
                    "array" => value.is_array(),
                    "number" => value.is_number(),
                    "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
                    other => panic!("type {other}"),
                };
                if !types.iter().any(|t| is(t)) {
                    fail(format!("{value} is not {types:?}"));
                }
            }
            "enum" => {
                if !arg.as_array().unwrap().contains(value) {
                    fail(format!("{value} is not one of {arg}"));
                }
            }
            "pattern" => {
                if let Some(text) = value.as_str() {
                    let re = regex::Regex::new(arg.as_str().unwrap()).expect("pattern compiles");
                    if !re.is_match(text) {
                        fail(format!("{value:?} does not match {arg}"));
                    }
                }
            }
            "minLength" | "maxLength" => {
                if let Some(text) = value.as_str() {
                    let n = text.chars().count() as u64;
                    let bound = arg.as_u64().unwrap();
                    if (keyword == "minLength" && n < bound)
                        || (keyword == "maxLength" && n > bound)
                    {
                        fail(format!("{n} characters against {keyword} {bound}"));
                    }
                }
            }
            "minimum" | "maximum" => {
                if let Some(n) = value.as_f64() {
                    let bound = arg.as_f64().unwrap();
                    if (keyword == "minimum" && n < bound) || (keyword == "maximum" && n > bound) {
                        fail(format!("{n} against {keyword} {bound}"));
                    }
                }
            }
            "minItems" | "maxItems" => {
                if let Some(items) = value.as_array() {
                    let n = items.len() as u64;
                    let bound = arg.as_u64().unwrap();
                    if (keyword == "minItems" && n < bound) || (keyword == "maxItems" && n > bound)
                    {
                        fail(format!("{n} items against {keyword} {bound}"));
                    }
                }
            }
            "items" => {
                if let Some(items) = value.as_array() {
                    for (i, item) in items.iter().enumerate() {
                        violations(doc, arg, item, &format!("{at}/{i}"), out);
                    }
                }
            }
            "required" => {
                if let Some(object) = value.as_object() {
                    for name in arg.as_array().unwrap() {
                        if !object.contains_key(name.as_str().unwrap()) {
                            fail(format!("{name} is missing"));
                        }
                    }
                }
            }
            "minProperties" => {
                if value
                    .as_object()
                    .is_some_and(|o| (o.len() as u64) < arg.as_u64().unwrap())
                {
                    fail(format!("fewer than {arg} members"));
                }
            }
            "properties" | "additionalProperties" | "propertyNames" => {
                let Some(object) = value.as_object() else {
                    continue;
                };
                let declared = schema["properties"].as_object();
                for (name, member) in object {
                    let pointer = format!("{at}/{name}");
                    match (keyword.as_str(), declared.and_then(|d| d.get(name))) {
                        ("properties", Some(property)) => {
                            violations(doc, property, member, &pointer, out)
                        }
                        ("additionalProperties", None) => match arg {
                            Value::Bool(false) => out.push(format!("{pointer}: not allowed")),
                            Value::Bool(true) => {}
                            additional => violations(doc, additional, member, &pointer, out),
                        },
                        ("propertyNames", _) => violations(doc, arg, &json!(name), &pointer, out),
                        _ => {}
                    }
                }
            }
            other if ANNOTATIONS.contains(&other) => {}
            other => panic!("{at}: the test validator does not know `{other}`"),
        }
    }
    out.extend(own);
}

fn schema_violations(doc: &Value, component: &str, body: &Value) -> Vec<String> {
    let mut out = Vec::new();
    violations(
        doc,
        &json!({"$ref": format!("#/components/schemas/{component}")}),
        body,
        "",
        &mut out,
    );
    out
}

/// What the server's parser says of `body` as a `kind` request: every field error when it
/// refuses it.
fn server_verdict(kind: &str, body: &Value) -> Result<(), Vec<FieldError>> {
    use carriers::ratecard::{RateCard, RateCardInput};
    use carriers::schema::{
        DecodeError, RateRequest, RateRequestInput, ShipmentRequest, ShipmentRequestInput, decode,
    };
    use shipgate::selection::rules::{KnownCarriers, RuleSet, RuleSetInput};
    fn decoded<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Vec<FieldError>> {
        decode(bytes).map_err(|e| match e {
            DecodeError::Invalid(errors) => errors,
            DecodeError::Malformed(why) => panic!("{why}"),
        })
    }
    let bytes = serde_json::to_vec(body).unwrap();
    match kind {
        "ShipmentRequestInput" => decoded::<ShipmentRequestInput>(&bytes)
            .and_then(|i| ShipmentRequest::parse(&i).map(drop)),
        "RateRequestInput" => {
            decoded::<RateRequestInput>(&bytes).and_then(|i| RateRequest::parse(&i).map(drop))
        }
        "RateCardInput" => {
            decoded::<RateCardInput>(&bytes).and_then(|i| RateCard::parse(&i).map(drop))
        }
        "RuleSetInput" => decoded::<RuleSetInput>(&bytes)
            .and_then(|i| RuleSet::parse(&i, &KnownCarriers::Any).map(drop)),
        other => panic!("{other}"),
    }
}

fn address() -> Value {
    json!({"name": "Asha Rao", "phone": "+91 98765 43210", "line1": "12 MG Road",
        "city": "Bengaluru", "postal_code": "560001"})
}

/// `base` with the member at `pointer` set to `value` (added when absent).
fn with(mut base: Value, pointer: &str, value: Value) -> Value {
    let (parent, name) = pointer.rsplit_once('/').expect("a pointer");
    base.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("{pointer}"))
        .insert(name.to_string(), value);
    base
}

/// Request bodies (by their schema's name) with edge cases: each is what a client might
/// send, and the tests below say which of them the server takes.
///
/// Left out on purpose: enum values with surrounding whitespace (`" fastest "` as an
/// `objective`, and in selection rules a zone, a `payment_mode` or an `action`). The
/// parser trims them and takes them, but the schemas are the plain enums the responses use
/// (so that SDKs generate enum types), which do not.
fn request_cases() -> Vec<(&'static str, Value)> {
    let shipment = json!({"order_ref": "ORD-1", "carrier": "delhivery", "from": address(),
        "to": address(), "parcels": [{"weight_g": 500}], "payment": {"mode": "prepaid"}});
    let rate = json!({"from": address(), "to": address(), "parcels": [{"weight_g": 500}],
        "payment": {"mode": "prepaid"}});
    let card = json!({"name": "Surface", "volumetric_divisor": 5000, "first_slab_g": 500,
        "additional_slab_g": 500, "gst_percent": 18,
        "zones": {"within_city": {"first_slab": 3000, "additional_slab": 2800}}});
    let exclude = json!({"action": "exclude", "carriers": ["delhivery"]});
    let rule = |when: Value, then: Value| json!({"rules": [{"when": when, "then": then}]});
    let long = |n: usize| "x".repeat(n);
    let padded = |n: usize| format!("\u{85} {}\u{3000}\t", "é".repeat(n));
    let mut cases = vec![];
    let s = |p: &str, v: Value| ("ShipmentRequestInput", with(shipment.clone(), p, v));
    for order_ref in [
        json!(" ORD-1 "),
        json!("A".repeat(50)),
        json!("ORD#1/2.3:4_5-6"),
        json!("ORD 1"),
        json!("A".repeat(51)),
        json!(""),
    ] {
        cases.push(s("/order_ref", order_ref));
    }
    for carrier in [
        json!("auto"),
        json!(padded(40)),
        json!(long(41)),
        json!(" "),
    ] {
        cases.push(s("/carrier", carrier));
    }
    for service in [json!(null), json!(""), json!(padded(60)), json!(long(61))] {
        cases.push(s("/service", service));
    }
    for (field, value) in [
        ("name", json!(padded(100))),
        ("name", json!(long(101))),
        ("name", json!("  ")),
        ("phone", json!("9876543210")),
        ("phone", json!("09876543210")),
        ("phone", json!(" 919876543210 ")),
        ("phone", json!("(+91) 98765-43.210")),
        ("phone", json!("12345")),
        ("phone", json!("98765x3210")),
        ("email", json!("a@b.co")),
        ("email", json!(" a@@b.c ")),
        ("email", json!("")),
        ("email", json!(null)),
        ("email", json!("a b@c.d")),
        ("email", json!("ab.c")),
        ("line1", json!(padded(200))),
        ("line1", json!(long(201))),
        ("line2", json!("")),
        ("line2", json!(null)),
        ("landmark", json!(padded(200))),
        ("city", json!(long(101))),
        ("state", json!(padded(100))),
        ("postal_code", json!(" 560001 ")),
        ("postal_code", json!("56001")),
        ("postal_code", json!("ab")),
        ("country", json!(" in ")),
        ("country", json!("")),
        ("country", json!(null)),
        ("country", json!("IND")),
    ] {
        cases.push(s(&format!("/to/{field}"), value));
    }
    let abroad = json!({"name": "A", "phone": "+44 20 7946 0958", "line1": "1 High St",
        "city": "London", "postal_code": "sw1a 1aa", "country": "gb"});
    cases.push(s("/to", abroad.clone()));
    cases.push(s("/to/city", json!(null)));
    // Across a border: customs, the country's postal code and (US, CA) state rules.
    let item = json!({"description": "Cotton T-shirt", "hs_code": " 6109.10.00 ",
        "origin_country": "in", "quantity": 2,
        "unit_value": {"amount": 1500, "currency": "INR"}, "weight_g": 200});
    let customs = json!({"contents": "sale", "incoterm": "DDP", "duties_payer": "sender",
        "invoice_number": "INV-1", "items": [item.clone()]});
    let abroad_with = |to: Value, customs: Value| {
        let mut body = with(shipment.clone(), "/to", to);
        body["customs"] = customs;
        ("ShipmentRequestInput", body)
    };
    let us = json!({"name": "Sam Lee", "phone": "+1 415 555 0100", "line1": "1 Market St",
        "city": "San Francisco", "state": "california", "postal_code": "94105-1234",
        "country": "US"});
    let canada = json!({"name": "Ana", "phone": "+1 613 555 0100", "line1": "1 Wellington St",
        "city": "Ottawa", "state": "ON", "postal_code": "k1a0b1", "country": "CA"});
    cases.push(abroad_with(abroad.clone(), customs.clone()));
    cases.push(abroad_with(us.clone(), customs.clone()));
    cases.push(abroad_with(
        canada.clone(),
        json!({"contents": "gift", "items": [item.clone()]}),
    ));
    cases.push(abroad_with(
        with(us.clone(), "/state", json!("Bavaria")),
        customs.clone(),
    ));
    cases.push(abroad_with(
        with(us.clone(), "/state", json!(null)),
        customs.clone(),
    ));
    cases.push(abroad_with(
        with(us.clone(), "/postal_code", json!("9410")),
        customs.clone(),
    ));
    cases.push(abroad_with(
        with(canada.clone(), "/postal_code", json!("K1A 0B")),
        customs.clone(),
    ));
    for (field, value) in [
        ("contents", json!("bribe")),
        ("contents", json!(null)),
        ("incoterm", json!("XYZ")),
        ("incoterm", json!(null)),
        ("duties_payer", json!("buyer")),
        ("duties_payer", json!("recipient")),
        ("invoice_number", json!("x".repeat(51))),
        ("items", json!([])),
        ("items", json!(vec![item.clone(); 101])),
        (
            "items",
            json!([with(item.clone(), "/hs_code", json!("61091"))]),
        ),
        (
            "items",
            json!([with(item.clone(), "/hs_code", json!("6109.10.0010"))]),
        ),
        (
            "items",
            json!([with(item.clone(), "/origin_country", json!("IND"))]),
        ),
        ("items", json!([with(item.clone(), "/quantity", json!(0))])),
        ("items", json!([with(item.clone(), "/quantity", json!(3))])),
        ("items", json!([with(item.clone(), "/weight_g", json!(0))])),
        (
            "items",
            json!([with(
                item.clone(),
                "/unit_value",
                json!({"amount": 0, "currency": "INR"})
            )]),
        ),
        (
            "items",
            json!([with(
                item.clone(),
                "/unit_value",
                json!({"amount": 1, "currency": "USD"})
            )]),
        ),
        (
            "items",
            json!([with(item.clone(), "/description", json!(long(201)))]),
        ),
    ] {
        cases.push(abroad_with(
            us.clone(),
            with(customs.clone(), &format!("/{field}"), value),
        ));
    }
    // At home, customs are ignored whatever they say.
    let mut home = shipment.clone();
    home["customs"] = json!({"contents": "sale", "items": [item.clone()]});
    cases.push(("ShipmentRequestInput", home));
    for parcels in [
        json!([{"weight_g": 1}]),
        json!([{"weight_g": 1_000_000, "length_mm": 5000, "width_mm": 1, "height_mm": 1,
            "declared_value": {"amount": 0, "currency": "INR"}, "description": padded(200)}]),
        json!([{"weight_g": 5, "declared_value": {"amount": 1_000_000_000_000_000_i64, "currency": "USD"}}]),
        json!([{"weight_g": 5, "declared_value": null, "length_mm": null, "description": null}]),
        json!([]),
        json!([{"weight_g": 1}, {"weight_g": 1}]),
        json!([{"weight_g": 0}]),
        json!([{"weight_g": 1_000_001}]),
        json!([{"weight_g": 1, "length_mm": 5001, "width_mm": 1, "height_mm": 1}]),
        json!([{"weight_g": 1, "declared_value": {"amount": -1, "currency": "INR"}}]),
        json!([{"weight_g": 1, "declared_value": {"amount": 1, "currency": "inr"}}]),
        json!([{"weight_g": 1, "description": long(201)}]),
    ] {
        cases.push(s("/parcels", parcels));
    }
    for payment in [
        json!({"mode": "cod", "cod_amount": {"amount": 1, "currency": "INR"}}),
        json!({"mode": "prepaid", "cod_amount": null}),
        json!({"mode": "cod", "cod_amount": {"amount": 0, "currency": "INR"}}),
        json!({"mode": "card"}),
        json!({"mode": null}),
    ] {
        cases.push(s("/payment", payment));
    }
    for (field, value) in [
        ("label_format", json!("zpl")),
        ("label_format", json!(null)),
        ("label_format", json!("png")),
        (
            "tags",
            json!(["Fragile", " b2b ", "ürgent", "日本", long(40), "a.b:c-d_e"]),
        ),
        ("tags", json!(vec!["x"; 20])),
        ("tags", json!([])),
        ("tags", json!(null)),
        ("tags", json!(vec!["x"; 21])),
        ("tags", json!(["two words"])),
        ("tags", json!(["a,b"])),
        ("tags", json!([long(41)])),
        ("deliver_by", json!("2026-03-01")),
        ("deliver_by", json!(" 2026-03-01 ")),
        ("objective", json!("cheapest_within_promise")),
        ("objective", json!(null)),
        ("objective", json!("soonest")),
    ] {
        cases.push(s(&format!("/{field}"), value));
    }
    let mut unknown = shipment.clone();
    unknown["note"] = json!("ignored");
    cases.push(("ShipmentRequestInput", unknown));

    let r = |p: &str, v: Value| ("RateRequestInput", with(rate.clone(), p, v));
    cases.push(r("/parcels", json!(vec![json!({"weight_g": 1}); 50])));
    cases.push(r("/parcels", json!(vec![json!({"weight_g": 1}); 51])));
    cases.push(r(
        "/parcels",
        json!([{"weight_g": 400, "length_mm": 200, "width_mm": 200, "height_mm": 100,
            "declared_value": {"amount": 100, "currency": "INR"}},
            {"weight_g": 700, "declared_value": {"amount": 200, "currency": "INR"}}]),
    ));
    let mut abroad_rate = with(rate.clone(), "/to", abroad.clone());
    cases.push(("RateRequestInput", abroad_rate.clone()));
    abroad_rate["customs"] = json!({"contents": "sample", "items": [item.clone()]});
    cases.push(("RateRequestInput", abroad_rate.clone()));
    abroad_rate["customs"] = json!({"contents": "sample", "items": []});
    cases.push(("RateRequestInput", abroad_rate));
    cases.push(r(
        "/payment",
        json!({"mode": "cod", "cod_amount": {"amount": 99, "currency": "INR"}}),
    ));
    for (field, value) in [
        ("carriers", json!([])),
        ("carriers", json!(["delhivery"])),
        ("deadline_ms", json!(1)),
        ("deadline_ms", json!(null)),
        ("tags", json!([" Fragile "])),
        ("objective", json!("fastest")),
    ] {
        cases.push(r(&format!("/{field}"), value));
    }

    let k = |p: &str, v: Value| ("RateCardInput", with(card.clone(), p, v));
    for percent in [
        json!("12.5"),
        json!(" 12.50 % "),
        json!("100.00"),
        json!("007"),
        json!(0),
        json!(100),
        json!("101"),
        json!("100.01"),
        json!("5.123"),
        json!(".5"),
        json!(12.5),
        json!(-1),
    ] {
        cases.push(k("/gst_percent", percent.clone()));
        cases.push(k("/fuel_surcharge_percent", percent.clone()));
    }
    for (field, value) in [
        ("name", json!(padded(100))),
        ("name", json!(long(101))),
        ("currency", json!("")),
        ("currency", json!(" USD ")),
        ("currency", json!("usd")),
        ("volumetric_divisor", json!(1000)),
        ("volumetric_divisor", json!(10_001)),
        ("first_slab_g", json!(1_000_000)),
        ("additional_slab_g", json!(0)),
        ("max_weight_g", json!(500)),
        ("max_weight_g", json!(50_000_000)),
        ("max_weight_g", json!(50_000_001)),
        ("cod", json!({"percent": "1.5"})),
        ("cod", json!({"percent": 2, "minimum": 100_000_000})),
        ("cod", json!({"minimum": 5})),
        ("cod", json!(null)),
        (
            "zones",
            json!({"within_city": {"first_slab": 1, "additional_slab": 0, "transit_days": 0},
                "within_state": {"first_slab": 100_000_000, "additional_slab": 100_000_000, "transit_days": 60},
                "metro_to_metro": {"first_slab": 1, "additional_slab": 0, "transit_days": null},
                "rest_of_india": {"first_slab": 1, "additional_slab": 0}, "special": {"first_slab": 1, "additional_slab": 0}}),
        ),
        ("zones", json!({})),
        (
            "zones",
            json!({"elsewhere": {"first_slab": 1, "additional_slab": 0}}),
        ),
        (
            "zones",
            json!({"special": {"first_slab": 0, "additional_slab": 0}}),
        ),
        (
            "zones",
            json!({"special": {"first_slab": 1, "additional_slab": 0, "transit_days": 61}}),
        ),
        ("zones", json!({"special": null})),
    ] {
        cases.push(k(&format!("/{field}"), value));
    }
    let mut misspelt = card.clone();
    misspelt["gst"] = json!(18);
    cases.push(("RateCardInput", misspelt));

    let q = |body: Value| ("RuleSetInput", body);
    let every_condition = json!({"zones": ["special", "within_city"], "dest_states": ["KA", " mh "],
        "dest_pincodes": ["560001", " 560001 - 560099 "], "weight_g": {"min": 0},
        "longest_side_mm": {"max": 0}, "volume_cm3": {"min": 1, "max": 1},
        "payment_mode": "cod", "cod_amount": {"min": 100}, "declared_value": {"max": 5},
        "tags_any": ["Fragile"], "tags_all": vec!["x"; 20], "tags_none": ["b2b"],
        "deliver_within_days": {"max": 3}});
    cases.push(q(rule(every_condition, exclude.clone())));
    for then in [
        json!({"action": "allow_only", "carriers": ["delhivery", " shiprocket "]}),
        json!({"action": "prefer", "carriers": ["delhivery"], "weight": 90}),
        json!({"action": "force", "carrier": "delhivery", "service": padded(60)}),
        json!({"action": "force", "carrier": "delhivery", "service": null}),
        json!({"action": "prefer", "carriers": ["delhivery"], "weight": 91}),
        json!({"action": "force", "carrier": "delhivery", "service": ""}),
        json!({"action": "boost", "carriers": ["delhivery"]}),
        json!({"action": "exclude", "carriers": []}),
        json!({"carriers": ["delhivery"]}),
    ] {
        cases.push(q(rule(json!(null), then)));
    }
    for when in [
        json!({}),
        json!({"zones": ["elsewhere"]}),
        json!({"zones": []}),
        json!({"dest_states": ["K"]}),
        json!({"dest_pincodes": ["56000"]}),
        json!({"dest_pincodes": ["060001"]}),
        json!({"weight_g": {}}),
        json!({"weight_g": {"min": -1}}),
        json!({"payment_mode": "card"}),
        json!({"tags_any": vec!["x"; 21]}),
        json!({"tags_any": ["a b"]}),
    ] {
        cases.push(q(rule(when, exclude.clone())));
    }
    cases.push(q(
        json!({"rules": [{"name": padded(100), "then": exclude}]}),
    ));
    cases.push(q(json!({"rules": [{"name": long(101), "then": exclude}]})));
    cases.push(q(json!({"rules": [{"when": {}}]})));
    cases.push(q(json!({"rules": vec![json!({"then": exclude}); 200]})));
    cases.push(q(json!({"rules": vec![json!({"then": exclude}); 201]})));
    cases.push(q(
        json!({"objective": "fastest", "promise_days": 60, "rules": null}),
    ));
    cases.push(q(json!({"promise_days": 61})));
    cases.push(q(json!({"objective": "soonest"})));
    cases.push(q(json!({"rule": []})));
    cases
}

#[tokio::test]
async fn every_request_the_server_accepts_validates_and_clear_mistakes_do_not() {
    let doc = document().await;
    let (mut accepted, mut refused) = (0, 0);
    let mut wrong = Vec::new();
    for (component, body) in request_cases() {
        let errors = schema_violations(&doc, component, &body);
        match server_verdict(component, &body) {
            Ok(()) => {
                accepted += 1;
                if !errors.is_empty() {
                    wrong.push(format!("accepted but invalid: {body}\n  {errors:?}"));
                }
            }
            Err(why) => {
                refused += 1;
                // Only these refusals are looser in the schema than in the server: what
                // JSON Schema cannot say (a dependency between fields, a table lookup, text
                // that is all whitespace), each named here so that nothing else slips
                // through.
                let inexpressible = |e: &FieldError| {
                    let blank = body
                        .pointer(&e.pointer)
                        .and_then(Value::as_str)
                        .is_some_and(|t| t.trim().is_empty());
                    match e.code.as_str() {
                        // Per country: 10 digits in India, 7 to 15 elsewhere; a PIN code.
                        "invalid_phone" | "invalid_postal_code" => true,
                        // Active ISO 4217 codes, Indian state codes: tables.
                        "invalid_currency" | "invalid_state" => true,
                        // Dependencies between fields (and on the country, across a border).
                        "cod_amount_on_prepaid" | "service_with_auto" | "empty_range" => true,
                        "currency_mismatch" | "heavier_than_parcels" | "incoterm_conflict" => true,
                        "required" => {
                            blank
                                || e.pointer == "/payment/cod_amount"
                                || e.pointer == "/customs"
                                || e.pointer.ends_with("/state")
                        }
                        _ => false,
                    }
                };
                if errors.is_empty() && !why.iter().all(inexpressible) {
                    wrong.push(format!("refused ({why:?}) but valid: {body}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        accepted > 40 && refused > 40,
        "{accepted} accepted, {refused} refused"
    );
}
