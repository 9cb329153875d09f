//! Manifests over HTTP (issue 17), on SQLite and PostgreSQL, against both simulators:
//! closing the day for an account and a pickup location makes the carrier's manifest
//! where it has one (Shiprocket) and always shipgate's handover sheet, read back here as
//! a PDF: its AWBs, counts and COD total.

use crate::common;

use std::time::Duration;

use common::receiver::Receiver;
use common::{TestApp, json_of, pointers, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};

const CARRIERS: [&str; 2] = ["delhivery", "shiprocket"];

async fn app() -> TestApp {
    spawn_app_with(|c| c.polling.enabled = false).await
}

async fn create_location(app: &TestApp, name: &str) -> Value {
    let mut from = shipment_body("x", "x")["from"].clone();
    from["email"] = json!("ops@example.com");
    let body = json!({"name": name, "address": from});
    json_of(
        app.post_keyed("/v1/pickup-locations", name, &body).await,
        201,
    )
    .await
}

async fn book(app: &TestApp, carrier: &str, order_ref: &str, cod: Option<i64>) -> Value {
    let mut body = shipment_body(order_ref, carrier);
    if let Some(paise) = cod {
        body["payment"] =
            json!({"mode": "cod", "cod_amount": {"amount": paise, "currency": "INR"}});
    }
    json_of(app.post_keyed("/v1/shipments", order_ref, &body).await, 201).await
}

/// Every page's text of a PDF.
fn pdf_text(pdf: &[u8]) -> (usize, String) {
    let doc = lopdf::Document::load_mem(pdf).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("text");
    (pages.len(), text)
}

async fn document(app: &TestApp, id: &str) -> Vec<u8> {
    let r = app.get(&format!("/v1/manifests/{id}/document")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    r.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn closing_the_day_manifests_each_shipment_once_with_a_handover_sheet() {
    for carrier in CARRIERS {
        let app = app().await;
        let receiver = Receiver::subscribed(&app, &["manifest.created"]).await;
        let location = create_location(&app, "Okhla").await;
        let a = book(&app, carrier, &format!("MF-A-{carrier}"), Some(120_000)).await;
        let b = book(&app, carrier, &format!("MF-B-{carrier}"), None).await;
        let c = book(&app, carrier, &format!("MF-C-{carrier}"), Some(45_050)).await;
        let body = json!({"pickup_location": location["id"], "carrier_account": carrier});
        let m = json_of(app.post_keyed("/v1/manifests", "mf-1", &body).await, 201).await;
        assert_eq!(m["shipment_count"], 3, "{carrier}: {m}");
        assert_eq!(m["pieces"], 3);
        assert_eq!(
            m["cod_total"],
            json!({"amount": 165_050, "currency": "INR"})
        );
        let awbs: Vec<&str> = m["shipments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["awb"].as_str().unwrap())
            .collect();
        assert_eq!(awbs, [&a, &b, &c].map(|s| s["awb"].as_str().unwrap()));
        match carrier {
            "shiprocket" => {
                assert_eq!(m["carrier_state"], "created", "{m}");
                assert!(
                    m["carrier_manifest_id"]
                        .as_str()
                        .unwrap()
                        .starts_with("MANIFEST-"),
                    "{m}"
                );
                assert!(
                    m["carrier_document_url"]
                        .as_str()
                        .unwrap()
                        .ends_with(".pdf")
                );
            }
            _ => {
                assert_eq!(m["carrier_state"], "none", "{m}");
                assert!(
                    m["carrier_message"]
                        .as_str()
                        .unwrap()
                        .contains("no manifest API")
                );
            }
        }
        let id = m["id"].as_str().unwrap();

        // A replay answers the same; each shipment is in one manifest only.
        let replay = json_of(app.post_keyed("/v1/manifests", "mf-1", &body).await, 201).await;
        assert_eq!(replay["id"], m["id"]);
        let again = json!({"pickup_location": location["id"], "carrier_account": carrier, "shipments": [b["id"]]});
        let (status, p) = problem(app.post_keyed("/v1/manifests", "mf-2", &again).await).await;
        assert_eq!(
            (status, p["code"].as_str()),
            (409, Some("shipment_in_manifest"))
        );
        assert!(p["detail"].as_str().unwrap().contains(id), "{p}");
        let (status, p) = problem(app.post_keyed("/v1/manifests", "mf-3", &body).await).await;
        assert_eq!(
            (status, p["errors"][0]["code"].as_str()),
            (422, Some("nothing_to_manifest")),
            "{p}"
        );

        // The handover sheet: every AWB, the counts, the COD total, both signature boxes.
        let pdf = document(&app, id).await;
        let (pages, text) = pdf_text(&pdf);
        assert_eq!(pages, 1);
        for awb in &awbs {
            assert!(
                text.contains(awb),
                "{carrier}: {awb} not on the sheet: {text}"
            );
        }
        for s in [&a, &b, &c] {
            assert!(text.contains(s["order_ref"].as_str().unwrap()), "{text}");
        }
        assert!(
            text.contains("INR 1,200.00")
                && text.contains("INR 450.50")
                && text.contains("prepaid"),
            "{text}"
        );
        assert!(
            text.contains("Total shipments") && text.contains("INR 1,650.50"),
            "{text}"
        );
        assert!(
            text.contains("Handed over by (seller)") && text.contains("Received by (courier)"),
            "{text}"
        );
        assert!(text.contains("Okhla"), "{text}");

        // Listed, audited, announced.
        let list = json_of(app.get("/v1/manifests").await, 200).await;
        assert_eq!(list["data"][0]["id"], id);
        let trail = json_of(
            app.get("/v1/audit-events?action=manifest.created").await,
            200,
        )
        .await;
        assert_eq!(trail["data"][0]["target"]["id"], id);
        let got = receiver
            .wait_for(Duration::from_secs(15), "manifest.created", |r| {
                !r.is_empty()
            })
            .await;
        assert_eq!(got[0].event_type(), "manifest.created");
        assert_eq!(got[0].body["data"]["manifest"]["id"], id);
        assert_eq!(got[0].body["data"]["manifest"]["shipment_count"], 3);
    }
}

#[tokio::test]
async fn a_long_manifest_runs_over_pages_with_every_awb() {
    let app = app().await;
    let location = create_location(&app, "Okhla").await;
    let mut ids = Vec::new();
    let mut awbs = Vec::new();
    for i in 0..16 {
        let s = book(&app, "delhivery", &format!("MF-LONG-{i}"), Some(10_000)).await;
        ids.push(s["id"].clone());
        awbs.push(s["awb"].as_str().unwrap().to_string());
    }
    let body = json!({"pickup_location": location["id"], "carrier_account": "delhivery", "shipments": ids});
    let m = json_of(app.post_keyed("/v1/manifests", "long", &body).await, 201).await;
    assert_eq!(m["cod_total"]["amount"], 160_000);
    let pdf = document(&app, m["id"].as_str().unwrap()).await;
    let (pages, text) = pdf_text(&pdf);
    assert_eq!(pages, 2, "{text}");
    assert!(text.contains("Page 2 of 2"));
    for awb in &awbs {
        assert!(text.contains(awb.as_str()), "{awb} missing");
    }
    assert!(text.contains("INR 1,600.00"), "{text}");
    // The sheet for a look (CI keeps it as an artefact when it fails).
    if let Ok(dir) = std::env::var("SG_TEST_ARTEFACTS") {
        std::fs::write(format!("{dir}/manifest.pdf"), &pdf).unwrap();
    }
}

#[tokio::test]
async fn bad_manifests_are_refused_at_their_pointers() {
    let app = app().await;
    let location = create_location(&app, "Okhla").await;
    let s = book(&app, "shiprocket", "MF-BAD-S", None).await;
    let (status, p) = problem(
        app.post_keyed("/v1/manifests", "b1", &json!({"date": "tomorrowish"}))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        pointers(&p),
        ["/pickup_location", "/carrier_account", "/date"]
    );
    let body = json!({"pickup_location": "pl_nope", "carrier_account": "delhivery"});
    let (_, p) = problem(app.post_keyed("/v1/manifests", "b2", &body).await).await;
    assert_eq!(p["errors"][0]["code"], "unknown_pickup_location");
    let body = json!({"pickup_location": location["id"], "carrier_account": "nope"});
    let (_, p) = problem(app.post_keyed("/v1/manifests", "b3", &body).await).await;
    assert_eq!(pointers(&p), ["/carrier_account"]);
    let body = json!({"pickup_location": location["id"], "carrier_account": "delhivery", "shipments": [s["id"], "shp_nope"]});
    let (_, p) = problem(app.post_keyed("/v1/manifests", "b4", &body).await).await;
    let codes: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["other_carrier_account", "unknown_shipment"]);
    let body = json!({"pickup_location": location["id"], "carrier_account": "delhivery"});
    let (_, p) = problem(app.post_keyed("/v1/manifests", "b5", &body).await).await;
    assert_eq!(p["errors"][0]["code"], "nothing_to_manifest");
    assert_eq!(
        app.get("/v1/manifests/mf_nope/document").await.status(),
        404
    );
}

#[tokio::test]
async fn two_manifests_racing_for_a_shipment_make_one() {
    let app = app().await;
    let location = create_location(&app, "Okhla").await;
    for round in 0..3 {
        let s = book(&app, "shiprocket", &format!("MF-RACE-{round}"), None).await;
        let body = json!({"pickup_location": location["id"], "carrier_account": "shiprocket", "shipments": [s["id"]]});
        let (a, b) = (format!("race-a-{round}"), format!("race-b-{round}"));
        let (one, two) = tokio::join!(
            app.post_keyed("/v1/manifests", &a, &body),
            app.post_keyed("/v1/manifests", &b, &body),
        );
        let mut statuses = [one.status().as_u16(), two.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "round {round}");
    }
    let list = json_of(app.get("/v1/manifests").await, 200).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 3);
}
