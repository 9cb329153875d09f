//! `POST /v1/labels` (issue 21): many shipments' labels as one PDF (4×6 roll or A4 four
//! up) or one ZPL stream, in the asked order, from a list or a manifest; a shipment that
//! cannot be printed fails the request at its pointer.

use crate::common;

use common::{TestApp, json_of, pointers, problem, shipment_body, shipment_body_between};
use serde_json::{Value, json};
use shipgate::store::Role;

async fn app() -> TestApp {
    common::spawn_app_with(|c| c.polling.enabled = false).await
}

/// Books `body` and answers the shipment.
async fn book(app: &TestApp, body: Value) -> Value {
    json_of(app.post("/v1/shipments", &body).await, 201).await
}

/// An Indian domestic booking to `pin` whose first order line is `sku`.
fn body_to(order_ref: &str, carrier: &str, pin: &str, sku: &str) -> Value {
    let mut body = shipment_body(order_ref, carrier);
    body["to"]["postal_code"] = json!(pin);
    body["items"] =
        json!([{"sku": sku, "name": "Kurta", "quantity": 2}, {"sku": "AAA-FIRST-IF-SORTED"}]);
    body
}

fn ids(shipments: &[&Value]) -> Value {
    json!(
        shipments
            .iter()
            .map(|s| s["id"].clone())
            .collect::<Vec<_>>()
    )
}

/// Each page's (decompressed) content stream: what a label page draws.
fn page_contents(pdf: &[u8]) -> Vec<Vec<u8>> {
    let doc = lopdf::Document::load_mem(pdf).expect("a readable PDF");
    doc.get_pages()
        .into_values()
        .map(|p| doc.get_page_content(p))
        .collect()
}

async fn single_label(app: &TestApp, shipment: &Value) -> Vec<u8> {
    let r = app
        .get(&format!(
            "/v1/shipments/{}/label?format=pdf",
            shipment["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(r.status(), 200);
    r.bytes().await.unwrap().to_vec()
}

async fn print(app: &TestApp, body: Value) -> reqwest::Response {
    app.post("/v1/labels", &body).await
}

/// The AWBs of `shipments` in the order they appear in a ZPL stream, and its formats.
fn zpl_order(zpl: &str, shipments: &[&Value]) -> (usize, Vec<String>) {
    let mut found: Vec<(usize, String)> = shipments
        .iter()
        .map(|s| {
            let awb = s["awb"].as_str().unwrap();
            (
                zpl.find(awb).expect("every AWB is in the stream"),
                awb.to_string(),
            )
        })
        .collect();
    found.sort();
    (
        zpl.matches("^XA").count(),
        found.into_iter().map(|(_, awb)| awb).collect(),
    )
}

#[tokio::test]
async fn a_roll_has_every_page_of_every_label_once_in_the_given_order() {
    let app = app().await;
    let a = book(&app, body_to("BL-ROLL-A", "delhivery", "560001", "SKU-B")).await;
    let b = book(&app, shipment_body("BL-ROLL-B", "shiprocket")).await;
    // FedEx answers one label per piece: a two-piece shipment's label has two pages.
    let mut two = shipment_body_between("BL-ROLL-C", "fedex", "US", "US");
    let piece = two["parcels"][0].clone();
    two["parcels"] = json!([piece.clone(), piece]);
    let c = book(&app, two).await;
    let order = [&c, &a, &b];

    let mut expected = Vec::new();
    for s in order {
        expected.extend(page_contents(&single_label(&app, s).await));
    }
    assert_eq!(expected.len(), 4, "the FedEx label has a page per piece");

    let r = print(&app, json!({"shipment_ids": ids(&order), "format": "pdf"})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.headers()["x-label-count"], "3");
    assert_eq!(r.headers()["x-label-order"], "as_given");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"labels-")
            && disposition.ends_with(".pdf\""),
        "{disposition}"
    );
    let pdf = r.bytes().await.unwrap();
    assert_eq!(
        page_contents(&pdf),
        expected,
        "every label page, in order, once"
    );

    // On A4 the four label pages (sizes vary by carrier) share one sheet.
    let r = print(
        &app,
        json!({"shipment_ids": ids(&order), "format": "pdf", "layout": "a4_4up"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let pdf = r.bytes().await.unwrap();
    if let Ok(dir) = std::env::var("SG_TEST_ARTEFACTS") {
        std::fs::write(format!("{dir}/labels-a4-mixed.pdf"), &pdf).unwrap();
    }
    assert_eq!(page_contents(&pdf).len(), 1);
}

#[tokio::test]
async fn labels_sort_by_pincode_or_sku_for_picking_and_zpl_is_one_stream() {
    let app = app().await;
    let x = book(&app, body_to("BL-SORT-1", "delhivery", "560001", "SKU-A")).await;
    let y = book(&app, body_to("BL-SORT-2", "delhivery", "110020", "SKU-C")).await;
    let z = book(&app, body_to("BL-SORT-3", "shiprocket", "400001", "SKU-B")).await;
    let w = book(&app, body_to("BL-SORT-0", "delhivery", "400001", "SKU-C")).await;
    // No order lines: after every SKU.
    let v = book(&app, shipment_body("BL-SORT-4", "delhivery")).await;
    let all = [&x, &y, &z, &w, &v];
    let awbs = |list: &[&Value]| -> Vec<String> {
        list.iter()
            .map(|s| s["awb"].as_str().unwrap().to_string())
            .collect()
    };
    for (order, header, expected) in [
        ("as_given", "as_given", awbs(&[&x, &y, &z, &w, &v])),
        // Ties by order_ref: BL-SORT-0 before BL-SORT-3, BL-SORT-1 before BL-SORT-4.
        ("pincode", "pincode,order_ref", awbs(&[&y, &w, &z, &x, &v])),
        ("sku", "sku,order_ref", awbs(&[&x, &z, &w, &y, &v])),
    ] {
        let r = print(
            &app,
            json!({"shipment_ids": ids(&all), "format": "zpl", "order": order}),
        )
        .await;
        assert_eq!(r.status(), 200, "{order}");
        assert_eq!(r.headers()["content-type"], "application/zpl");
        assert_eq!(r.headers()["x-label-order"], header);
        let zpl = r.text().await.unwrap();
        let (formats, got) = zpl_order(&zpl, &all);
        assert_eq!(formats, 5, "one ^XA…^XZ per label: {zpl}");
        assert_eq!(zpl.matches("^XZ").count(), 5);
        assert_eq!(got, expected, "{order}");
    }
}

#[tokio::test]
async fn a4_sheets_carry_four_labels_each() {
    let app = app().await;
    let mut shipments = Vec::new();
    for i in 0..5 {
        shipments.push(
            book(
                &app,
                body_to(&format!("BL-A4-{i}"), "delhivery", "560001", "SKU"),
            )
            .await,
        );
    }
    let list: Vec<&Value> = shipments.iter().collect();
    let r = print(
        &app,
        json!({"shipment_ids": ids(&list), "format": "pdf", "layout": "a4_4up"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-label-count"], "5");
    let pdf = r.bytes().await.unwrap();
    if let Ok(dir) = std::env::var("SG_TEST_ARTEFACTS") {
        std::fs::write(format!("{dir}/labels-a4.pdf"), &pdf).unwrap();
    }
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    assert_eq!(pages.len(), 2, "ceil(5 / 4) sheets");
    for (page, forms) in pages.iter().zip([4, 1]) {
        let dict = doc.get_dictionary(*page).unwrap();
        let media: Vec<f32> = dict
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_float().unwrap())
            .collect();
        assert_eq!(media, [0.0, 0.0, 595.0, 842.0], "A4");
        let resources = dict.get(b"Resources").unwrap().as_dict().unwrap();
        let xobjects = resources.get(b"XObject").unwrap().as_dict().unwrap();
        assert_eq!(xobjects.len(), forms);
    }
    // A layout is for PDF.
    let (status, body) = problem(
        print(
            &app,
            json!({"shipment_ids": ids(&list), "format": "zpl", "layout": "a4_4up"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, pointers(&body)),
        (422, vec!["/layout".to_string()])
    );
}

#[tokio::test]
async fn a_manifest_prints_in_its_own_order() {
    let app = app().await;
    let mut from = shipment_body("x", "x")["from"].clone();
    from["email"] = json!("ops@example.com");
    let location = json_of(
        app.post_keyed(
            "/v1/pickup-locations",
            "okhla",
            &json!({"name": "Okhla", "address": from}),
        )
        .await,
        201,
    )
    .await;
    let a = book(&app, body_to("BL-MF-A", "delhivery", "560001", "SKU-Z")).await;
    let b = book(&app, body_to("BL-MF-B", "delhivery", "110020", "SKU-A")).await;
    let m = json_of(
        app.post_keyed(
            "/v1/manifests",
            "mf",
            &json!({"pickup_location": location["id"], "carrier_account": "delhivery"}),
        )
        .await,
        201,
    )
    .await;
    let manifest_awbs: Vec<String> = m["shipments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["awb"].as_str().unwrap().to_string())
        .collect();
    let r = print(&app, json!({"manifest_id": m["id"], "format": "zpl"})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-label-count"], "2");
    let (formats, got) = zpl_order(&r.text().await.unwrap(), &[&a, &b]);
    assert_eq!((formats, got), (2, manifest_awbs));

    let (status, body) =
        problem(print(&app, json!({"manifest_id": "mf_nope", "format": "pdf"})).await).await;
    assert_eq!(
        (status, pointers(&body)),
        (422, vec!["/manifest_id".to_string()])
    );
}

#[tokio::test]
async fn shipments_that_cannot_be_printed_fail_the_file_at_their_pointers() {
    let app = common::spawn_app_with(|c| {
        c.polling.enabled = false;
        c.labels.max_shipments = 4;
    })
    .await;
    let good = book(&app, shipment_body("BL-ERR-OK", "delhivery")).await;
    let failed = book(&app, shipment_body("BL-ERR-FAILED", "delhivery")).await;
    app.state
        .store
        .mark_failed(failed["id"].as_str().unwrap(), "test: not booked")
        .await
        .unwrap();
    // FedEx labels are FedEx's own: one booked as PDF has no ZPL.
    let fedex = book(
        &app,
        shipment_body_between("BL-ERR-FX", "fedex", "US", "US"),
    )
    .await;
    // Another tenant's shipment is not found, as if it did not exist.
    let other_key = app.key_for_tenant("other-tenant", Role::Write).await;
    let foreign: Value = app
        .client
        .post(app.url("/v1/shipments"))
        .bearer_auth(&other_key)
        .json(&shipment_body("BL-ERR-FOREIGN", "delhivery"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let list = json!([good["id"], failed["id"], fedex["id"], foreign["id"]]);
    let (status, body) =
        problem(print(&app, json!({"shipment_ids": list, "format": "zpl"})).await).await;
    assert_eq!(status, 422, "{body}");
    let errors: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["pointer"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("/shipment_ids/1", "not_booked"),
            ("/shipment_ids/2", "label_format_unavailable"),
            ("/shipment_ids/3", "not_found"),
        ]
        .map(|(p, c)| (p.to_string(), c.to_string())),
        "{body}"
    );

    // Over the cap, repeated, no source, two sources.
    let five = json!([good["id"], "b", "c", "d", "e"]);
    for (body, pointer, code) in [
        (
            json!({"shipment_ids": five, "format": "pdf"}),
            "/shipment_ids",
            "too_many_labels",
        ),
        (
            json!({"shipment_ids": [good["id"], good["id"]], "format": "pdf"}),
            "/shipment_ids/1",
            "duplicate_shipment",
        ),
        (json!({"format": "pdf"}), "", "no_source"),
        (
            json!({"shipment_ids": [good["id"]], "manifest_id": "m", "format": "pdf"}),
            "",
            "several_sources",
        ),
        (
            json!({"batch_id": "b_1", "format": "pdf"}),
            "/batch_id",
            "not_found",
        ),
    ] {
        let (status, problem) = problem(print(&app, body.clone()).await).await;
        assert_eq!(status, 422, "{body}: {problem}");
        assert_eq!(problem["errors"][0]["pointer"], pointer, "{problem}");
        assert_eq!(problem["errors"][0]["code"], code, "{problem}");
    }
}
