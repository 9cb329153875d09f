//! The shipper's trade documents handed to the carrier over HTTP (issue 18): FedEx
//! electronic trade documents and UPS Paperless Documents, on their simulators, on SQLite
//! and (with `SG_TEST_POSTGRES_URL`) PostgreSQL. One booking per carrier walks every
//! case: an upload and its replay under the same `Idempotency-Key`, a second one of the
//! kind refused, the other kind taken, the listing and download, every bad input refused
//! at its pointer before the carrier is asked, and the audit trail.

use crate::common;

use common::{TestApp, json_of, pointers, problem, shipment_body_between, spawn_app};
use serde_json::Value;

/// A small PDF with binary bytes, as shippers' invoices are.
fn pdf(marker: &str) -> Vec<u8> {
    let mut bytes = format!("%PDF-1.4\n% {marker}\n1 0 obj <<>> endobj\n").into_bytes();
    bytes.extend_from_slice(&[0, 0xff, 0x80, b'\n']);
    bytes.extend_from_slice(b"%%EOF\n");
    bytes
}

async fn upload(
    app: &TestApp,
    id: &str,
    query: &str,
    content_type: &str,
    key: Option<&str>,
    body: Vec<u8>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!("/v1/shipments/{id}/documents{query}")))
        .bearer_auth(&app.api_key)
        .header("content-type", content_type)
        .body(body);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    request.send().await.expect("request")
}

async fn book(app: &TestApp, carrier: &str, from: &str, to: &str) -> String {
    let order = format!("ORD-DOC-{carrier}-{from}{to}");
    let body = shipment_body_between(&order, carrier, from, to);
    let created = json_of(app.post_keyed("/v1/shipments", &order, &body).await, 201).await;
    created["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn shippers_documents_reach_the_carrier_once_and_are_kept_with_its_id() {
    let app = spawn_app().await;
    for carrier in ["fedex", "ups"] {
        let id = book(&app, carrier, "IN", "US").await;
        let invoice = pdf(&format!("{carrier} invoice"));

        let first = upload(
            &app,
            &id,
            "?kind=commercial_invoice",
            "application/pdf",
            Some(&format!("{carrier}-ci")),
            invoice.clone(),
        )
        .await;
        assert_eq!(
            first.headers()["location"].to_str().unwrap(),
            format!("/v1/shipments/{id}/documents/commercial_invoice?source=shipper")
        );
        let first = json_of(first, 201).await;
        let carrier_id = first["carrier_document_id"].as_str().unwrap().to_string();
        assert!(!carrier_id.is_empty(), "{carrier}: {first}");
        assert_eq!(
            (first["kind"].as_str(), first["size"].as_i64()),
            (Some("commercial_invoice"), Some(invoice.len() as i64))
        );

        // The same key replays the answer: the carrier is not asked again.
        let again = upload(
            &app,
            &id,
            "?kind=commercial_invoice",
            "application/pdf",
            Some(&format!("{carrier}-ci")),
            invoice.clone(),
        )
        .await;
        assert_eq!(
            again
                .headers()
                .get("idempotent-replayed")
                .map(|v| v.to_str().unwrap()),
            Some("true")
        );
        assert_eq!(json_of(again, 201).await, first);
        // Another key for the same kind: refused, never a second document at the carrier.
        let (status, body) = problem(
            upload(
                &app,
                &id,
                "?kind=commercial_invoice",
                "application/pdf",
                Some(&format!("{carrier}-ci-2")),
                invoice.clone(),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("document_uploaded")),
            "{body}"
        );
        assert!(
            body["detail"].as_str().unwrap().contains(&carrier_id),
            "{body}"
        );

        let declaration = json_of(
            upload(
                &app,
                &id,
                "?kind=customs_declaration",
                "application/pdf",
                None,
                pdf("declaration"),
            )
            .await,
            201,
        )
        .await;
        assert_ne!(
            declaration["carrier_document_id"],
            first["carrier_document_id"]
        );

        // Listed beside the carrier's own commercial invoice, which stays the carrier's.
        let listed = json_of(app.get(&format!("/v1/shipments/{id}/documents")).await, 200).await;
        let uploaded: Vec<(&str, &str)> = listed["uploaded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                (
                    u["kind"].as_str().unwrap(),
                    u["carrier_document_id"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            uploaded,
            [
                ("commercial_invoice", carrier_id.as_str()),
                (
                    "customs_declaration",
                    declaration["carrier_document_id"].as_str().unwrap()
                )
            ],
            "{carrier}: {listed}"
        );
        let carriers_invoice = app
            .get(&format!("/v1/shipments/{id}/documents/commercial_invoice"))
            .await;
        assert_eq!(carriers_invoice.status(), 200);
        assert_ne!(
            carriers_invoice.bytes().await.unwrap().to_vec(),
            invoice,
            "the carrier's invoice is kept"
        );
        let mine = app
            .get(&format!(
                "/v1/shipments/{id}/documents/commercial_invoice?source=shipper"
            ))
            .await;
        assert_eq!(mine.status(), 200);
        assert_eq!(mine.headers()["content-type"], "application/pdf");
        assert_eq!(mine.bytes().await.unwrap().to_vec(), invoice);

        // Bad input, refused before the carrier is asked, each at its pointer.
        let (status, body) =
            problem(upload(&app, &id, "", "application/pdf", None, pdf("x")).await).await;
        assert_eq!(
            (status, pointers(&body)),
            (422, vec!["/kind".to_string()]),
            "{body}"
        );
        let (status, body) = problem(
            upload(
                &app,
                &id,
                "?kind=proof_of_delivery&lang=en",
                "application/pdf",
                None,
                pdf("x"),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, pointers(&body)),
            (422, vec!["/lang".to_string(), "/kind".to_string()]),
            "{body}"
        );
        let (status, _) = problem(
            upload(
                &app,
                &id,
                "?kind=commercial_invoice",
                "image/png",
                None,
                pdf("x"),
            )
            .await,
        )
        .await;
        assert_eq!(status, 415);
        let (status, body) = problem(
            upload(
                &app,
                &id,
                "?kind=commercial_invoice",
                "application/pdf",
                None,
                b"<html>an invoice</html>".to_vec(),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, pointers(&body)),
            (422, vec![String::new()]),
            "{body}"
        );
        assert_eq!(body["errors"][0]["code"], "not_pdf");
        let (status, _) = problem(
            upload(
                &app,
                "shp_missing",
                "?kind=commercial_invoice",
                "application/pdf",
                None,
                pdf("x"),
            )
            .await,
        )
        .await;
        assert_eq!(status, 404);
        let (status, body) = problem(
            app.get(&format!(
                "/v1/shipments/{id}/documents/commercial_invoice?source=buyer"
            ))
            .await,
        )
        .await;
        assert_eq!(
            (status, pointers(&body)),
            (422, vec!["/source".to_string()])
        );
    }

    // FedEx takes up to 5 MB: one byte more is refused unsent.
    let id = book(&app, "fedex", "IN", "US").await;
    let mut big = pdf("big");
    big.resize(5 * 1024 * 1024 + 1, b' ');
    let (status, body) = problem(
        upload(
            &app,
            &id,
            "?kind=commercial_invoice",
            "application/pdf",
            None,
            big,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (413, Some("payload_too_large")),
        "{body}"
    );

    // A carrier that takes no trade documents.
    let domestic = {
        let body = common::shipment_body("ORD-DOC-DLV", "delhivery");
        let created = json_of(
            app.post_keyed("/v1/shipments", "ORD-DOC-DLV", &body).await,
            201,
        )
        .await;
        created["id"].as_str().unwrap().to_string()
    };
    let (status, body) = problem(
        upload(
            &app,
            &domestic,
            "?kind=commercial_invoice",
            "application/pdf",
            None,
            pdf("x"),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, pointers(&body)),
        (422, vec!["/kind".to_string()]),
        "{body}"
    );
    assert!(
        body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("takes no documents"),
        "{body}"
    );

    // Audited as the shipment's change, with the carrier's id.
    let trail = json_of(
        app.get("/v1/audit-events?action=shipment.document_uploaded")
            .await,
        200,
    )
    .await;
    let entries = trail["data"].as_array().unwrap();
    assert_eq!(entries.len(), 4, "{trail}");
    assert!(
        entries.iter().all(|e| e["after"]["carrier_document_id"]
            .as_str()
            .is_some_and(|s| !s.is_empty())),
        "{trail}"
    );
}

#[tokio::test]
async fn the_upload_route_is_documented_with_its_key() {
    let app = spawn_app().await;
    let doc: Value = json_of(app.get("/openapi.json").await, 200).await;
    let op = &doc["paths"]["/v1/shipments/{id}/documents"]["post"];
    assert_eq!(op["operationId"], "uploadShipmentDocument");
    assert!(
        op["requestBody"]["content"]["application/pdf"].is_object(),
        "{op}"
    );
    let params: Vec<&str> = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        params.contains(&"kind") && params.contains(&"Idempotency-Key"),
        "{params:?}"
    );
}
