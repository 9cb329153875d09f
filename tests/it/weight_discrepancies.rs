//! Weight discrepancies and freight invoices over HTTP (issue 17, point 5), on SQLite and
//! PostgreSQL: shipments booked on both simulators, carrier files imported in each
//! layout, flags priced at the rate card, disputes raised and decided, and the overcharge
//! report.
//!
//! The numbers, by hand. Every test shipment (`shipment_body`) goes New Delhi 110020 →
//! Bengaluru 560001 (metro to metro) with one 500 g parcel of 200×150×100 mm: 3000 cm³ /
//! 5000 = 600 g volumetric, so 600 g declared chargeable. The tolerance is the larger of
//! 50 g and 5 % (30 g): 50 g. On [`card`] (first 500 g ₹40, each further 500 g ₹35, fuel
//! 10 %, GST 18 %):
//! - 600 g bills 1000 g: freight 7500 + fuel 750 = 8250, GST 1485, total 9735 paise;
//! - 1500 g: freight 11000 + fuel 1100 = 12100, GST 2178, total 14278 paise;
//! - so charging 1500 g costs 14278 − 9735 = 4543 paise more.

use crate::common;

use std::time::Duration;

use common::receiver::Receiver;
use common::{TestApp, json_of, pointers, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};
use shipgate::store::Role;

const CARRIERS: [&str; 2] = ["delhivery", "shiprocket"];
const IMPACT_1500_G: i64 = 4543;

async fn app() -> TestApp {
    spawn_app_with(|c| c.polling.enabled = false).await
}

fn card() -> Value {
    json!({
        "name": "Contract 2026",
        "volumetric_divisor": 5000,
        "first_slab_g": 500,
        "additional_slab_g": 500,
        "zones": {
            "metro_to_metro": {"first_slab": 4000, "additional_slab": 3500},
            "rest_of_india":  {"first_slab": 5000, "additional_slab": 4500}
        },
        "cod": {"percent": "2", "minimum": 4000},
        "fuel_surcharge_percent": "10",
        "gst_percent": "18"
    })
}

async fn upload_card(app: &TestApp, account: &str) {
    let r = app
        .client
        .put(app.url(&format!("/v1/rate-cards/{account}")))
        .bearer_auth(&app.api_key)
        .json(&card())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

/// Books a shipment; its id and AWB.
async fn book(app: &TestApp, carrier: &str, order_ref: &str) -> (String, String) {
    let s = json_of(
        app.post_keyed(
            "/v1/shipments",
            order_ref,
            &shipment_body(order_ref, carrier),
        )
        .await,
        201,
    )
    .await;
    (
        s["id"].as_str().unwrap().to_string(),
        s["awb"].as_str().unwrap().to_string(),
    )
}

async fn import_as(
    app: &TestApp,
    key: &str,
    query: &str,
    idempotency_key: &str,
    content_type: &str,
    csv: &str,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/v1/carrier-charges{query}")))
        .bearer_auth(key)
        .header("idempotency-key", idempotency_key)
        .header("content-type", content_type)
        .body(csv.to_string())
        .send()
        .await
        .unwrap()
}

async fn import(app: &TestApp, idempotency_key: &str, csv: &str) -> reqwest::Response {
    import_as(app, &app.api_key, "", idempotency_key, "text/csv", csv).await
}

/// A weights-only file in `carrier`'s own layout.
fn weights_file(carrier: &str, rows: &[(&str, u32)]) -> String {
    let mut csv = match carrier {
        "delhivery" => "Waybill,Order Id,Charged Weight (g),Remarks\n".to_string(),
        _ => "Order ID,AWB Code,Courier Name,Entered Weight (KG),Charged Weight (KG)\n".to_string(),
    };
    for (awb, grams) in rows {
        csv.push_str(&match carrier {
            "delhivery" => format!("{awb},ORD,{grams},hub reweigh\n"),
            _ => format!(
                "ORD,{awb},Delhivery Surface,0.5,{}\n",
                *grams as f64 / 1000.0
            ),
        });
    }
    csv
}

fn ids(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s.get("shipment_id")
                .or_else(|| s.get("id"))
                .and_then(Value::as_str)
                .unwrap()
                .to_string()
        })
        .collect()
}

async fn dispute(app: &TestApp, id: &str, key: &str, body: &Value) -> reqwest::Response {
    app.post_keyed(&format!("/v1/shipments/{id}/weight-dispute"), key, body)
        .await
}

fn evidence() -> Value {
    json!({"weight_g": 500, "length_mm": 200, "width_mm": 150, "height_mm": 100,
           "photo_urls": ["https://photos.example.in/p/1.jpg", "https://photos.example.in/p/2.jpg"],
           "comment": "packed and weighed on a calibrated scale"})
}

#[tokio::test]
async fn charged_weights_are_flagged_at_the_rate_card_disputed_and_decided() {
    for carrier in CARRIERS {
        let other = if carrier == "delhivery" {
            "shiprocket"
        } else {
            "delhivery"
        };
        let app = app().await;
        let receiver = Receiver::subscribed(&app, &["weight.discrepancy_flagged"]).await;
        // Only this carrier's account has a card.
        upload_card(&app, carrier).await;
        let (fine, fine_awb) = book(&app, carrier, &format!("W-{carrier}-1")).await;
        let (heavy, heavy_awb) = book(&app, carrier, &format!("W-{carrier}-2")).await;

        // The carrier's own layout: 640 g is within the 50 g tolerance, 1500 g is not.
        let file = weights_file(carrier, &[(&fine_awb, 640), (&heavy_awb, 1500)]);
        let summary = json_of(import(&app, "imp-1", &file).await, 201).await;
        assert_eq!(summary["layout"], carrier, "{summary}");
        assert_eq!(summary["lines"], 2);
        assert_eq!(summary["within_tolerance"], 1);
        assert_eq!(summary["flagged"], 1);
        assert_eq!(summary["unknown_awbs"], 0);
        assert_eq!(summary["rows"][1]["weight"], "flagged");
        assert_eq!(summary["rows"][1]["declared_g"], 600);
        assert_eq!(summary["rows"][1]["impact"]["amount"], IMPACT_1500_G);

        let open = json_of(app.get("/v1/shipments?weight_discrepancy=open").await, 200).await;
        assert_eq!(ids(&open), [heavy.as_str()], "{open}");
        let shown = json_of(app.get(&format!("/v1/shipments/{heavy}")).await, 200).await;
        let d = &shown["weight_discrepancy"];
        assert_eq!(d["state"], "open", "{shown}");
        assert_eq!(d["declared_g"], 600);
        assert_eq!(d["charged_g"], 1500);
        assert_eq!(d["difference_g"], 900);
        assert_eq!(d["tolerance_g"], 50);
        assert_eq!(
            d["impact"],
            json!({"amount": IMPACT_1500_G, "currency": "INR"})
        );
        let fine_view = json_of(app.get(&format!("/v1/shipments/{fine}")).await, 200).await;
        assert_eq!(
            fine_view["weight_discrepancy"]["state"],
            Value::Null,
            "{fine_view}"
        );
        assert_eq!(fine_view["weight_discrepancy"]["charged_g"], 640);
        let listed = json_of(app.get("/v1/weight-discrepancies").await, 200).await;
        assert_eq!(ids(&listed), [heavy.as_str()], "{listed}");

        // The OMS hears of the flag once.
        let got = receiver
            .wait_for(Duration::from_secs(15), "the flag", |r| !r.is_empty())
            .await;
        assert_eq!(got[0].event_type(), "weight.discrepancy_flagged");
        assert_eq!(got[0].body["data"]["shipment"]["id"], heavy.as_str());
        assert_eq!(
            got[0].body["data"]["weight_discrepancy"]["impact"]["amount"],
            IMPACT_1500_G
        );

        // The same file again, under another key: nothing changes.
        let again = json_of(import(&app, "imp-2", &file).await, 200).await;
        assert_eq!(again["id"], summary["id"]);
        assert_eq!(
            json_of(app.get("/v1/weight-discrepancies").await, 200).await,
            listed
        );
        let trail = json_of(
            app.get("/v1/audit-events?action=carrier_charges.imported")
                .await,
            200,
        )
        .await;
        assert_eq!(trail["data"].as_array().unwrap().len(), 1, "{trail}");

        // The generic layout, with a shipment of an account no card prices.
        let (unpriced, unpriced_awb) = book(&app, other, &format!("W-{carrier}-3")).await;
        let generic = format!(
            "carrier,awb,charged_weight_g\n{other},{unpriced_awb},2000\n{carrier},UNKNOWN-1,900\n{carrier},{fine_awb},650\n"
        );
        let summary = json_of(import(&app, "imp-3", &generic).await, 201).await;
        assert_eq!(summary["layout"], "generic");
        assert_eq!(summary["flagged"], 1, "{summary}");
        assert_eq!(summary["unknown_awbs"], 1);
        assert_eq!(summary["within_tolerance"], 1);
        // Two flagged now, a page at a time, newest first.
        let first = json_of(app.get("/v1/weight-discrepancies?limit=1").await, 200).await;
        assert_eq!(ids(&first), [unpriced.as_str()], "{first}");
        let cursor = first["next_cursor"].as_str().unwrap();
        let second = json_of(
            app.get(&format!("/v1/weight-discrepancies?limit=1&cursor={cursor}"))
                .await,
            200,
        )
        .await;
        assert_eq!(ids(&second), [heavy.as_str()], "{second}");
        assert_eq!(second["next_cursor"], Value::Null);
        let d = json_of(app.get(&format!("/v1/shipments/{unpriced}")).await, 200).await;
        let d = &d["weight_discrepancy"];
        assert_eq!(d["state"], "open");
        assert_eq!(d["impact"], Value::Null, "{d}");
        assert!(
            d["impact_note"].as_str().unwrap().contains("no rate card"),
            "{d}"
        );

        // Disputes: not without an open discrepancy, not with bad evidence.
        let (status, body) = problem(dispute(&app, &fine, "d-0", &evidence()).await).await;
        assert_eq!(
            (status, body["errors"][0]["code"].as_str()),
            (422, Some("no_open_discrepancy")),
            "{body}"
        );
        let mut bad = evidence();
        bad["weight_g"] = json!(0);
        bad["photo_urls"] = json!(["http://photos.example.in/1.jpg", "https://"]);
        bad.as_object_mut().unwrap().remove("height_mm");
        let (status, body) = problem(dispute(&app, &heavy, "d-1", &bad).await).await;
        assert_eq!(status, 422);
        assert_eq!(
            pointers(&body),
            ["/weight_g", "/height_mm", "/photo_urls/0", "/photo_urls/1"],
            "{body}"
        );
        let raised = json_of(dispute(&app, &heavy, "d-2", &evidence()).await, 201).await;
        assert_eq!(raised["state"], "disputed", "{raised}");
        assert_eq!(raised["raised_via"], "shipgate");
        assert_eq!(raised["photo_urls"].as_array().unwrap().len(), 2);
        let replay = json_of(dispute(&app, &heavy, "d-2", &evidence()).await, 201).await;
        assert_eq!(replay["id"], raised["id"]);
        let (status, body) = problem(dispute(&app, &heavy, "d-3", &evidence()).await).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("weight_dispute_exists")),
            "{body}"
        );
        let open = json_of(app.get("/v1/shipments?weight_discrepancy=open").await, 200).await;
        assert_eq!(ids(&open), [unpriced.as_str()], "{open}");
        let disputed = json_of(
            app.get("/v1/weight-discrepancies?state=disputed").await,
            200,
        )
        .await;
        assert_eq!(ids(&disputed), [heavy.as_str()]);
        // A later charge for a disputed shipment does not move it.
        let later = weights_file(carrier, &[(&heavy_awb, 2500)]);
        let summary = json_of(import(&app, "imp-4", &later).await, 201).await;
        assert_eq!(summary["kept_decided"], 1, "{summary}");

        // The carrier's decision.
        let decision = |key: &str, body: Value| {
            let path = format!("/v1/shipments/{heavy}/weight-dispute/decision");
            let key = key.to_string();
            let app = &app;
            async move { app.post_keyed(&path, &key, &body).await }
        };
        let (status, body) = problem(decision("x-1", json!({"outcome": "maybe"})).await).await;
        assert_eq!(
            (status, pointers(&body)),
            (422, vec!["/outcome".to_string()])
        );
        let decided = json_of(
            decision(
                "x-2",
                json!({"outcome": "rejected", "note": "hub scale photo shows 1.5 kg"}),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(decided["state"], "rejected", "{decided}");
        assert!(decided["decided_at"].is_string());
        let (status, body) = problem(decision("x-3", json!({"outcome": "accepted"})).await).await;
        assert_eq!(
            (status, body["errors"][0]["code"].as_str()),
            (422, Some("no_open_dispute"))
        );
        let weight = json_of(
            app.get(&format!("/v1/shipments/{heavy}/weight-dispute"))
                .await,
            200,
        )
        .await;
        assert_eq!(
            weight["weight_discrepancy"]["state"], "rejected",
            "{weight}"
        );
        assert_eq!(weight["weight_discrepancy"]["charged_g"], 1500);
        assert_eq!(
            weight["disputes"][0]["decision_note"],
            "hub scale photo shows 1.5 kg"
        );
        // A decided discrepancy takes no new dispute.
        let (status, _) = problem(dispute(&app, &heavy, "d-4", &evidence()).await).await;
        assert_eq!(status, 422);
        for action in ["weight_dispute.raised", "weight_dispute.decided"] {
            let trail = json_of(
                app.get(&format!("/v1/audit-events?action={action}")).await,
                200,
            )
            .await;
            assert_eq!(
                trail["data"].as_array().unwrap().len(),
                1,
                "{action}: {trail}"
            );
            assert_eq!(trail["data"][0]["target"]["id"], heavy.as_str());
        }
        // One message per newly flagged discrepancy: the heavy one, then the unpriced one
        // (the re-import and the later charge flagged nothing new).
        let got = receiver
            .wait_for(Duration::from_secs(15), "both flags", |r| r.len() >= 2)
            .await;
        let flagged: Vec<&Value> = got
            .iter()
            .map(|m| &m.body["data"]["shipment"]["id"])
            .collect();
        assert_eq!(flagged, [&json!(heavy), &json!(unpriced)]);
    }
}

#[tokio::test]
async fn freight_invoices_give_one_list_of_overcharges() {
    let app = app().await;
    for carrier in CARRIERS {
        upload_card(&app, carrier).await;
    }
    let (d_ok, d_ok_awb) = book(&app, "delhivery", "INV-D1").await;
    let (d_over, d_over_awb) = book(&app, "delhivery", "INV-D2").await;
    let (s_zone, s_zone_awb) = book(&app, "shiprocket", "INV-S1").await;
    let _ = d_ok;

    // Delhivery's layout: the first line bills exactly the card's price for 600 g; the
    // second bills 1500 g of freight (₹110 against ₹75).
    let delhivery = format!(
        "Waybill,Invoice Date,Zone,Charged Weight (g),charge_DL,charge_FSC,charge_COD,charge_RTO,Tax,Total Amount\n\
         {d_ok_awb},2026-12-05,C,600,75.00,7.50,0,0,14.85,97.35\n\
         {d_over_awb},05-12-2026,C,1500,110.00,11.00,0,0,21.78,142.78\n"
    );
    let summary = json_of(import(&app, "inv-d", &delhivery).await, 201).await;
    assert_eq!(summary["invoice_lines"], 2, "{summary}");
    assert_eq!(summary["overcharged_lines"], 1);
    assert_eq!(summary["flagged"], 1);
    assert_eq!(summary["rows"][1]["overcharge"]["amount"], 14278 - 9735);
    // Shiprocket's layout: the right price but billed in zone D (rest of India) for a
    // metro-to-metro lane, and an AWB shipgate never booked.
    let shiprocket = format!(
        "AWB Code,Courier Name,Invoice Date,Zone,Charged Weight (KG),Freight Charges,Fuel Surcharge,COD Charges,RTO Charges,Other Charges,GST,Total Charges\n\
         {s_zone_awb},Delhivery Surface,2026-12-06,z_d,0.6,75,7.5,0,0,0,14.85,97.35\n\
         SR-NOT-OURS,Delhivery Surface,2026-12-06,z_d,0.5,50,5,0,0,0,9.9,64.9\n"
    );
    let summary = json_of(import(&app, "inv-s", &shiprocket).await, 201).await;
    assert_eq!(summary["invoice_lines"], 2, "{summary}");
    assert_eq!(summary["unknown_awbs"], 1);

    let report = json_of(
        app.get("/v1/reports/overcharges?from=2026-12-01&to=2026-12-31")
            .await,
        200,
    )
    .await;
    let lines = report["lines"].as_array().unwrap();
    let mut awbs: Vec<&str> = lines.iter().map(|l| l["awb"].as_str().unwrap()).collect();
    awbs.sort_unstable();
    let mut want = vec![d_over_awb.as_str(), "SR-NOT-OURS", s_zone_awb.as_str()];
    want.sort_unstable();
    assert_eq!(awbs, want, "{report}");
    let line = |awb: &str| lines.iter().find(|l| l["awb"] == awb).unwrap().clone();
    let over = &line(&d_over_awb);
    assert_eq!(over["shipment_id"], d_over.as_str());
    assert_eq!(over["expected_source"], "rate_card");
    assert_eq!(over["overcharge"]["amount"], 4543);
    let freight = over["charges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "freight")
        .unwrap();
    assert_eq!(freight["expected"]["amount"], 7500, "{over}");
    assert_eq!(freight["billed"]["amount"], 11000);
    assert_eq!(freight["difference"]["amount"], 3500);
    let unknown = &line("SR-NOT-OURS");
    assert_eq!(unknown["shipment_id"], Value::Null);
    assert_eq!(unknown["overcharge"], Value::Null);
    let zone = &line(&s_zone_awb);
    assert_eq!(zone["shipment_id"], s_zone.as_str());
    assert_eq!(zone["zone_mismatch"], true, "{zone}");
    assert_eq!(zone["expected_zone"], "metro_to_metro");
    assert_eq!(zone["overcharge"]["amount"], 0);
    let totals = &report["totals"];
    assert_eq!(
        totals[0],
        json!({"carrier": "delhivery", "lines": 2,
               "billed": {"amount": 9735 + 14278, "currency": "INR"},
               "expected": {"amount": 9735 * 2, "currency": "INR"},
               "overcharge": {"amount": 4543, "currency": "INR"},
               "overcharged_lines": 1, "unpriced_lines": 0}),
        "{report}"
    );
    assert_eq!(totals[1]["carrier"], "shiprocket");
    assert_eq!(totals[1]["lines"], 2);
    assert_eq!(totals[1]["unpriced_lines"], 1);

    // Re-importing either file changes nothing; the same lines in another file are
    // duplicates, not billed twice.
    json_of(import(&app, "inv-d-again", &delhivery).await, 200).await;
    let reordered = delhivery.replace("97.35\n", "97.35\n\n");
    let summary = json_of(import(&app, "inv-d-copy", &reordered).await, 201).await;
    assert_eq!(summary["invoice_lines"], 0, "{summary}");
    assert_eq!(summary["duplicate_invoice_lines"], 2);
    let after = json_of(
        app.get("/v1/reports/overcharges?from=2026-12-01&to=2026-12-31")
            .await,
        200,
    )
    .await;
    assert_eq!(after, report);
    // Outside the range, nothing; one carrier, its lines only.
    let none = json_of(
        app.get("/v1/reports/overcharges?from=2026-11-01&to=2026-11-30")
            .await,
        200,
    )
    .await;
    assert_eq!(none["lines"], json!([]));
    assert_eq!(none["totals"], json!([]));
    let one = json_of(
        app.get("/v1/reports/overcharges?from=2026-12-01&to=2026-12-31&carrier=shiprocket")
            .await,
        200,
    )
    .await;
    assert_eq!(one["totals"].as_array().unwrap().len(), 1);
    let (status, body) = problem(
        app.get("/v1/reports/overcharges?from=2026-12-31&to=2026-12-01&x=1")
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body), ["/to", "/x"], "{body}");
}

#[tokio::test]
async fn bad_files_are_refused_at_their_line_and_column_and_nothing_is_stored() {
    let app = app().await;
    let (_, awb) = book(&app, "shiprocket", "BAD-1").await;
    let bad = format!(
        "AWB Code,Charged Weight (KG),Invoice Date,Total Charges\n\
         {awb},1.5,2026-12-05,99.00\n\
         ,abc,2026-02-30,-5\n"
    );
    let (status, body) = problem(import(&app, "bad-1", &bad).await).await;
    assert_eq!(status, 422);
    assert_eq!(
        pointers(&body),
        ["/csv/3/1", "/csv/3/2", "/csv/3/3", "/csv/3/4"],
        "{body}"
    );
    let (status, body) = problem(import(&app, "bad-2", "sku,qty\n1,2\n").await).await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("unknown_layout"))
    );
    // A named layout the header does not fit.
    let good = format!("AWB Code,Charged Weight (KG)\n{awb},1.5\n");
    let (status, body) = problem(
        import_as(
            &app,
            &app.api_key,
            "?layout=delhivery",
            "bad-3",
            "text/csv",
            &good,
        )
        .await,
    )
    .await;
    assert_eq!(pointers(&body), ["/csv/1/3", "/csv/1/3"], "{body}");
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("missing_column"))
    );
    let (status, body) = problem(
        import_as(
            &app,
            &app.api_key,
            "?layout=dhl",
            "bad-4",
            "text/csv",
            &good,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, pointers(&body)),
        (422, vec!["/layout".to_string()])
    );
    let (status, _) =
        problem(import_as(&app, &app.api_key, "", "bad-5", "application/json", &good).await).await;
    assert_eq!(status, 415);
    let reader = app.key_for_tenant("demo", Role::Read).await;
    let (status, _) = problem(import_as(&app, &reader, "", "bad-6", "text/csv", &good).await).await;
    assert_eq!(status, 403);
    // Nothing of the refused files was kept.
    let listed = json_of(app.get("/v1/weight-discrepancies").await, 200).await;
    assert_eq!(listed["data"], json!([]));
    let (status, body) = problem(app.get("/v1/shipments?weight_discrepancy=maybe").await).await;
    assert_eq!(
        (status, pointers(&body)),
        (422, vec!["/weight_discrepancy".to_string()])
    );

    // The good file imports; another tenant sees none of it.
    let summary = json_of(import(&app, "good-1", &good).await, 201).await;
    assert_eq!(summary["flagged"], 1, "{summary}");
    let other = app.key_for_tenant("other", Role::Admin).await;
    let theirs = app
        .client
        .get(app.url("/v1/weight-discrepancies"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(theirs, 200).await["data"], json!([]));
    // The other tenant's import does not match this tenant's AWB.
    let r = import_as(&app, &other, "", "good-1", "text/csv", &good).await;
    assert_eq!(json_of(r, 201).await["unknown_awbs"], 1);
}

#[tokio::test]
async fn an_auto_booking_keeps_its_quote_and_the_invoice_is_checked_against_it() {
    let app = app().await;
    let s = json_of(
        app.post_keyed("/v1/shipments", "AUTO-1", &shipment_body("AUTO-1", "auto"))
            .await,
        201,
    )
    .await;
    let (id, awb, carrier) = (
        s["id"].as_str().unwrap(),
        s["awb"].as_str().unwrap(),
        s["carrier"].as_str().unwrap(),
    );
    // The chosen quote's breakdown is kept with the booking.
    let booked = &s["selection"]["attempts"][0];
    assert_eq!(booked["outcome"], "booked", "{s}");
    let breakdown = booked["breakdown"].as_array().unwrap();
    assert!(!breakdown.is_empty(), "{booked}");
    let quoted = |kind: &str| -> i64 {
        breakdown
            .iter()
            .filter(|c| c["kind"] == kind)
            .map(|c| c["amount"]["amount"].as_i64().unwrap())
            .sum()
    };
    let total = booked["total"]["amount"].as_i64().unwrap();
    // The carrier bills ₹10 more freight than it quoted (no rate card is uploaded: the
    // quote is all there is to check against).
    let freight = rupees(quoted("freight") + 1000);
    let file = format!(
        "carrier,awb,charged_weight_g,invoice_date,freight,fuel_surcharge,cod,tax,other,total\n\
         {carrier},{awb},600,2026-12-07,{freight},{},{},{},{},{}\n",
        rupees(quoted("fuel_surcharge")),
        rupees(quoted("cod")),
        rupees(quoted("tax")),
        rupees(quoted("other")),
        rupees(total + 1000)
    );
    let summary = json_of(import(&app, "auto-inv", &file).await, 201).await;
    assert_eq!(
        summary["rows"][0]["overcharge"]["amount"], 1000,
        "{summary}"
    );
    let report = json_of(
        app.get("/v1/reports/overcharges?from=2026-12-07&to=2026-12-07")
            .await,
        200,
    )
    .await;
    let line = &report["lines"][0];
    assert_eq!(line["shipment_id"], id, "{report}");
    assert_eq!(line["expected_source"], "booking_quote");
    let differences: Vec<(&str, i64)> = line["charges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["difference"]["amount"] != 0)
        .map(|c| {
            (
                c["kind"].as_str().unwrap(),
                c["difference"]["amount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(differences, [("freight", 1000), ("total", 1000)], "{line}");
}

/// Paise as rupees, the way carrier files write them.
fn rupees(paise: i64) -> String {
    format!("{}.{:02}", paise / 100, paise % 100)
}

#[tokio::test]
async fn a_file_of_thousands_of_lines_is_taken_whole_and_a_larger_one_refused() {
    let app = app().await;
    let (_, awb) = book(&app, "delhivery", "W-big-1").await;
    let mut csv = String::from("Waybill,Charged Weight (g)\n");
    for i in 0..12_000 {
        csv.push_str(&format!("UNKNOWN{i:012},500\n"));
    }
    csv.push_str(&format!("{awb},1500\n"));
    assert!(csv.len() > 256 * 1024, "larger than the default body limit");
    let summary = json_of(import(&app, "big-1", &csv).await, 201).await;
    assert_eq!(summary["lines"], 12_001, "{}", summary["lines"]);
    assert_eq!(summary["unknown_awbs"], 12_000);
    assert_eq!(summary["flagged"], 1);
    // Past the file limit (8 MiB) it is refused whole, before it is read.
    let huge = "Waybill,Charged Weight (g)\n".to_string() + &"X,1\n".repeat(2_200_000);
    let (status, body) = problem(import(&app, "big-2", &huge).await).await;
    assert_eq!(status, 413, "{body}");
}
