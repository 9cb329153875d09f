//! Dry-run bookings (`"dry_run": true` on `POST /v1/shipments`): what would be booked,
//! with no booking call, no shipment and the order reference left free; checked like a
//! booking; `auto` ranked by the tenant's rules; a label specimen in PDF and ZPL.

use crate::common;

use common::{TestApp, only_carriers, pointers, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};
use shipgate::store::Role;

async fn app() -> TestApp {
    spawn_app_with(|c| {
        c.limits.enabled = false;
        only_carriers(c, &["delhivery", "shiprocket"]);
    })
    .await
}

fn dry(order_ref: &str, carrier: &str) -> Value {
    let mut body = shipment_body(order_ref, carrier);
    body["dry_run"] = json!(true);
    body
}

pub async fn dry_run(app: &TestApp, body: &Value) -> Value {
    let r = app.post("/v1/shipments", body).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

fn booking_calls(app: &TestApp) -> usize {
    app.bookings("delhivery") + app.bookings("shiprocket")
}

async fn shipments_of(app: &TestApp, order_ref: &str) -> usize {
    let r = app
        .get(&format!("/v1/shipments?order_ref={order_ref}"))
        .await;
    assert_eq!(r.status(), 200);
    let page: Value = r.json().await.unwrap();
    page["data"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_dry_run_books_nothing_and_names_what_it_would_book() {
    let app = app().await;
    let answer = dry_run(&app, &dry("DR-1", "auto")).await;
    assert_eq!(answer["dry_run"], true);
    assert_eq!(answer["outcome"], "would_book");
    assert_eq!(answer["order_ref"], "DR-1");
    let account = answer["carrier_account"].as_str().unwrap();
    assert!(["delhivery", "shiprocket"].contains(&account), "{answer}");
    assert!(answer["service"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(answer["total"]["amount"].as_i64().unwrap() > 0, "{answer}");
    assert_eq!(answer["total"]["currency"], "INR");
    assert!(!answer["breakdown"].as_array().unwrap().is_empty());
    assert_eq!(answer["selection"]["mode"], "auto");
    assert!(
        !answer["selection"]["reasons"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{answer}"
    );
    assert_eq!(answer["request"]["to_postal_code"], "560001");
    assert_eq!(answer["request"]["weight_g"], 500);

    // No booking call, no shipment, nothing the carrier sees.
    assert_eq!(booking_calls(&app), 0);
    assert_eq!(shipments_of(&app, "DR-1").await, 0);

    // Kept, and listed by order.
    let id = answer["id"].as_str().unwrap();
    let r = app.get(&format!("/v1/dry-runs/{id}")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), answer);
    let listed: Value = app
        .get("/v1/dry-runs?order_ref=DR-1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    assert_eq!(listed["data"][0]["id"], answer["id"]);
    assert!(listed["next_cursor"].is_null());

    // Another tenant sees none of it.
    let other = app.key_for_tenant("other-tenant", Role::Read).await;
    let r = app
        .client
        .get(app.url(&format!("/v1/dry-runs/{id}")))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // The label specimen: a readable PDF, and ZPL, with the placeholder AWB.
    let link = answer["links"]["label_preview"].as_str().unwrap();
    assert!(link.ends_with("format=pdf"), "{link}");
    let r = app.get(link).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    let doc = lopdf::Document::load_mem(&pdf).expect("the specimen is a readable PDF");
    let text = doc.extract_text(&[1]).unwrap_or_default();
    assert!(text.contains("DRYRUN"), "{text}");
    assert!(text.contains("SPECIMEN"), "{text}");
    let r = app
        .get(&format!("/v1/dry-runs/{id}/label?format=zpl"))
        .await;
    assert_eq!(r.status(), 200);
    let zpl = r.text().await.unwrap();
    assert!(
        zpl.starts_with("^XA") && zpl.trim_end().ends_with("^XZ"),
        "{zpl}"
    );
    assert!(zpl.contains("DRYRUN") && zpl.contains("SPECIMEN"), "{zpl}");
    assert_eq!(booking_calls(&app), 0);

    // The order reference is still free: a real booking books normally.
    let r = app
        .post("/v1/shipments", &shipment_body("DR-1", "auto"))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    assert_eq!(booking_calls(&app), 1);
    assert_eq!(shipments_of(&app, "DR-1").await, 1);
}

#[tokio::test]
async fn a_named_carrier_dry_run_and_its_validation_match_a_booking() {
    let app = app().await;
    let answer = dry_run(&app, &dry("DR-N", "delhivery")).await;
    assert_eq!(answer["carrier"], "delhivery");
    assert_eq!(answer["carrier_account"], "delhivery");
    assert_eq!(answer["selection"]["mode"], "named");
    assert!(answer["total"]["amount"].as_i64().unwrap() > 0, "{answer}");

    // The same 422s at the same pointers as a booking.
    let mut bad = dry("", "delhivery");
    bad["parcels"][0]["weight_g"] = json!(0);
    bad["to"]["postal_code"] = json!("");
    let (status, dry_problem) = problem(app.post("/v1/shipments", &bad).await).await;
    assert_eq!(status, 422);
    bad.as_object_mut().unwrap().remove("dry_run");
    let (status, real_problem) = problem(app.post("/v1/shipments", &bad).await).await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&dry_problem), pointers(&real_problem));
    assert!(pointers(&dry_problem).contains(&"/order_ref".to_string()));

    let (status, body) = problem(app.post("/v1/shipments", &dry("DR-X", "nope")).await).await;
    assert_eq!(
        (status, pointers(&body)),
        (422, vec!["/carrier".to_string()])
    );
    // A service the carrier does not quote: named, priced at nothing, and said why.
    let mut unquoted = dry("DR-S", "delhivery");
    unquoted["service"] = json!("no-such-service");
    let answer = dry_run(&app, &unquoted).await;
    assert_eq!(answer["service"], "no-such-service");
    assert!(answer.get("total").is_none(), "{answer}");
    let reasons = answer["selection"]["reasons"].to_string();
    assert!(reasons.contains("no quote from delhivery"), "{reasons}");
    assert_eq!(booking_calls(&app), 0);
}

#[tokio::test]
async fn an_auto_dry_run_follows_the_selection_rules() {
    let app = app().await;
    let first = dry_run(&app, &dry("DR-R", "auto")).await;
    let chosen = first["carrier"].as_str().unwrap().to_string();
    let other = if chosen == "delhivery" {
        "shiprocket"
    } else {
        "delhivery"
    };
    let r = app
        .client
        .put(app.url("/v1/selection-rules"))
        .bearer_auth(&app.api_key)
        .json(&json!({"rules": [{"name": "house carrier",
            "then": {"action": "prefer", "carriers": [other], "weight": 90}}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let second = dry_run(&app, &dry("DR-R", "auto")).await;
    assert_eq!(second["carrier"], other, "{second}");
    assert_eq!(second["selection"]["rule_set_version"], 1);
    assert!(
        second["alternatives"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["carrier"] == chosen.as_str()),
        "{second}"
    );
    assert_eq!(booking_calls(&app), 0);
}

#[tokio::test]
async fn a_dry_run_of_a_booked_order_says_it_would_be_a_repeat() {
    let app = app().await;
    let r = app
        .post("/v1/shipments", &shipment_body("DR-B", "delhivery"))
        .await;
    assert_eq!(r.status(), 201);
    let shipment: Value = r.json().await.unwrap();
    let answer = dry_run(&app, &dry("DR-B", "delhivery")).await;
    assert_eq!(answer["outcome"], "repeat");
    assert_eq!(answer["repeat_of"], shipment["id"]);
    // Another request for the order: the booking's own 409.
    let mut different = dry("DR-B", "delhivery");
    different["parcels"][0]["weight_g"] = json!(900);
    let (status, body) = problem(app.post("/v1/shipments", &different).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("order_already_booked"))
    );
    assert_eq!(booking_calls(&app), 1);
}

#[tokio::test]
async fn the_booking_documents_the_dry_run_answer() {
    let app = common::spawn_app().await;
    let doc = app.openapi().await;
    let answer = &doc["paths"]["/v1/shipments"]["post"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    let schema = match answer.get("$ref").and_then(Value::as_str) {
        Some(r) => &doc["components"]["schemas"][r.rsplit('/').next().unwrap()],
        None => answer,
    };
    let refs = schema["oneOf"].to_string();
    assert!(
        refs.contains("ShipmentView") && refs.contains("DryRunView"),
        "{schema}"
    );
    assert!(
        doc["components"]["schemas"]["ShipmentRequestInput"]["properties"]["dry_run"].is_object()
    );
}
