//! `GET /v1/shipments/export` (issue 21): the list's shipments as CSV, with the list's
//! filters, every page of them, a tenant's own only, formula cells made text.

use crate::common;

use common::{TestApp, json_of, pointers, problem, shipment_body};
use serde_json::{Value, json};
use shipgate::store::Role;

async fn app() -> TestApp {
    common::spawn_app_with(|c| c.polling.enabled = false).await
}

/// The export's rows (header first) under `key`.
async fn export(app: &TestApp, key: &str, query: &str) -> Vec<csv::StringRecord> {
    let r = app
        .client
        .get(app.url(&format!("/v1/shipments/export{query}")))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"shipments-")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let text = r.text().await.unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a CSV record"))
        .collect()
}

/// Every id the list gives for `filters`, walking its pages two at a time.
async fn listed(app: &TestApp, filters: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/v1/shipments?limit=2{filters}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = json_of(app.get(&path).await, 200).await;
        for s in page["data"].as_array().unwrap() {
            ids.push(s["id"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return ids,
        }
    }
}

#[tokio::test]
async fn the_export_has_the_lists_shipments_for_the_same_filters() {
    let app = app().await;
    let mut booked = Vec::new();
    for (i, carrier) in [
        "delhivery",
        "shiprocket",
        "delhivery",
        "delhivery",
        "shiprocket",
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = shipment_body(&format!("EXP-{i}"), carrier);
        if i == 1 {
            body["payment"] =
                json!({"mode": "cod", "cod_amount": {"amount": 45050, "currency": "INR"}});
        }
        booked.push(json_of(app.post("/v1/shipments", &body).await, 201).await);
    }
    let key = app.api_key.clone();

    for filters in [
        "",
        "&carrier=delhivery",
        "&carrier=shiprocket&status=pre_transit",
        "&status=delivered",
    ] {
        let rows = export(&app, &key, &filters.replacen('&', "?", 1)).await;
        assert_eq!(rows[0].get(0), Some("id"));
        let ids: Vec<String> = rows[1..].iter().map(|r| r[0].to_string()).collect();
        assert_eq!(ids, listed(&app, filters).await, "filters `{filters}`");
    }

    let rows = export(&app, &key, "").await;
    let header: Vec<&str> = rows[0].iter().collect();
    assert_eq!(
        header,
        [
            "id",
            "order_ref",
            "carrier",
            "carrier_account",
            "service",
            "awb",
            "status",
            "sub_status",
            "kind",
            "booking_state",
            "created_at",
            "updated_at",
            "to_name",
            "to_city",
            "to_state",
            "to_postal_code",
            "to_country",
            "weight_g",
            "payment_mode",
            "cod_amount",
            "currency",
            "cost",
            "cost_currency",
            "estimated_delivery",
            "late",
        ]
    );
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let cod = rows
        .iter()
        .find(|r| r[col("id")] == booked[1]["id"])
        .expect("the COD shipment");
    assert_eq!(&cod[col("awb")], booked[1]["awb"].as_str().unwrap());
    assert_eq!(&cod[col("payment_mode")], "cod");
    assert_eq!(&cod[col("cod_amount")], "450.50");
    assert_eq!(&cod[col("currency")], "INR");
    assert_eq!(&cod[col("to_postal_code")], "560001");
    assert_eq!(&cod[col("weight_g")], "500");
    assert_eq!(&cod[col("late")], "false");

    // The list's parameter checks, and no paging parameters: the file has every row.
    let (status, body) = problem(
        app.get("/v1/shipments/export?status=lost-ish&limit=5")
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body), ["/status", "/limit"]);
}

#[tokio::test]
async fn formula_cells_are_text_and_a_tenant_exports_only_its_own() {
    let app = app().await;
    let mut body = shipment_body("EXP-INJECT", "delhivery");
    body["to"]["name"] = json!("=HYPERLINK(\"http://x\")");
    body["to"]["city"] = json!("@Pune");
    let mine = json_of(app.post("/v1/shipments", &body).await, 201).await;

    let rows = export(&app, &app.api_key.clone(), "").await;
    assert_eq!(rows.len(), 2);
    let header: Vec<&str> = rows[0].iter().collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    assert_eq!(&rows[1][col("id")], mine["id"].as_str().unwrap());
    assert_eq!(&rows[1][col("to_name")], "'=HYPERLINK(\"http://x\")");
    assert_eq!(&rows[1][col("to_city")], "'@Pune");

    let other: Value = {
        let key = app.key_for_tenant("export-other", Role::Read).await;
        let rows = export(&app, &key, "").await;
        json!(rows.len())
    };
    assert_eq!(other, 1, "another tenant's export is its header alone");
}
