//! DHL Express returns over HTTP, on SQLite and PostgreSQL: a return from abroad is an
//! import shipment, so the gateway hands the carrier the forward's customs turned around
//! (declared as a return, `DAP`, duties the seller's) and DHL bills it to the import
//! account; without that account, or within one country, the return is refused saying
//! why, and nothing stays booked.

use crate::common;

use common::{TestApp, json_of, only_carriers, problem, shipment_body_between, spawn_app_with};
use serde_json::{Value, json};

/// The sandbox's DHL account, and a second DHL account with no import account.
async fn app() -> TestApp {
    spawn_app_with(|c| {
        only_carriers(c, &["dhl_express"]);
        c.polling.enabled = false;
        let section = c.carriers.entry("dhl_no_import".into()).or_default();
        section.adapter = Some("dhl_express".into());
        section.enabled = Some(true);
        section
            .settings
            .insert("import_account_number".into(), String::new());
    })
    .await
}

async fn track_until(app: &TestApp, id: &str, sub_status: &str) {
    for _ in 0..30 {
        let t = json_of(app.get(&format!("/v1/shipments/{id}/tracking")).await, 200).await;
        if t["sub_status"] == sub_status {
            return;
        }
    }
    panic!("shipment {id} never reached {sub_status}");
}

/// An India → United States export with `carrier`, delivered.
async fn delivered_export(app: &TestApp, carrier: &str, order_ref: &str) -> Value {
    let body = shipment_body_between(order_ref, carrier, "IN", "US");
    let created = json_of(app.post_keyed("/v1/shipments", order_ref, &body).await, 201).await;
    let id = created["id"].as_str().unwrap();
    track_until(app, id, "delivered").await;
    created
}

#[tokio::test]
async fn a_dhl_return_is_booked_as_an_import_with_the_goods_declared_back() {
    let app = app().await;
    let forward = delivered_export(&app, "dhl_express", "ORD-DHL-RET-1").await;
    let id = forward["id"].as_str().unwrap();

    let r = app
        .post_keyed(
            &format!("/v1/shipments/{id}/returns"),
            "dhl-ret-1",
            &json!({"reason": "wrong_item"}),
        )
        .await;
    let ret = json_of(r, 201).await;
    assert_eq!(ret["kind"], "reverse", "{ret}");
    assert_eq!(ret["forward_shipment_id"], id);
    assert_eq!(
        (
            ret["from"]["country"].as_str(),
            ret["to"]["country"].as_str()
        ),
        (Some("US"), Some("IN")),
        "from the buyer abroad back to the warehouse"
    );
    // The forward's goods, turned around.
    let customs = &ret["customs"];
    assert_eq!(
        (
            &customs["contents"],
            &customs["incoterm"],
            &customs["duties_payer"]
        ),
        (&json!("return"), &json!("DAP"), &json!("recipient")),
        "{ret}"
    );
    assert_eq!(customs["items"], forward["customs"]["items"]);
    assert_eq!(customs["items"][0]["origin_country"], "IN");
    let ret_id = ret["id"].as_str().unwrap();
    let awb = ret["awb"].as_str().unwrap();
    assert_eq!(awb.len(), 10, "{ret}");

    // DHL's own label, and the invoice of the import, stored with the return.
    let label = app.get(&format!("/v1/shipments/{ret_id}/label")).await;
    assert_eq!(label.status(), 200);
    let pdf = label.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF") && String::from_utf8_lossy(&pdf).contains(awb));
    let docs = json_of(
        app.get(&format!("/v1/shipments/{ret_id}/documents")).await,
        200,
    )
    .await;
    let invoice = docs["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "commercial_invoice" && d["stored"] == true)
        .unwrap_or_else(|| panic!("{docs}"));
    let r = app.get(invoice["href"].as_str().unwrap()).await;
    let pdf = r.bytes().await.unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let text = doc.extract_text(&[1]).unwrap_or_default();
    assert!(
        text.contains("account 960000001") && text.contains("declared as return"),
        "billed to the import account: {text}"
    );
    // The ZPL label comes from DHL's archive of the import account.
    let zpl = app
        .get(&format!("/v1/shipments/{ret_id}/label?format=zpl"))
        .await;
    assert_eq!(zpl.status(), 200);
    assert!(zpl.text().await.unwrap().contains(awb));
    track_until(&app, ret_id, "delivered").await;

    // Delivered back to a US address instead: a return within one country, no DHL
    // Express booking; refused, and nothing left open.
    let (_, us_warehouse) = common::people_in("US");
    let r = app
        .post_keyed(
            &format!("/v1/shipments/{id}/returns"),
            "dhl-ret-2",
            &json!({"reason": "damaged", "deliver_to": us_warehouse}),
        )
        .await;
    let (status, body) = problem(r).await;
    assert_eq!(
        (status, &body["code"]),
        (422, &json!("carrier_unsupported")),
        "{body}"
    );
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("one country"),
        "{body}"
    );

    // A DHL account without an import account cannot book returns: it says what to set.
    let other = delivered_export(&app, "dhl_no_import", "ORD-DHL-RET-2").await;
    let r = app
        .post_keyed(
            &format!("/v1/shipments/{}/returns", other["id"].as_str().unwrap()),
            "dhl-ret-3",
            &json!({"reason": "damaged"}),
        )
        .await;
    let (status, body) = problem(r).await;
    assert_eq!(
        (status, &body["code"]),
        (422, &json!("carrier_unsupported")),
        "{body}"
    );
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("import_account_number"),
        "{body}"
    );
    let returns = json_of(
        app.get(&format!(
            "/v1/shipments/{}/returns",
            other["id"].as_str().unwrap()
        ))
        .await,
        200,
    )
    .await;
    assert_eq!(
        returns["data"],
        json!([]),
        "a refused return is not kept: {returns}"
    );
}
