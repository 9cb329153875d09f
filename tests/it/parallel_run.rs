//! `POST /v1/parallel-run/compare`: the OMS's actual bookings (JSON and CSV) against
//! stored dry runs, priced-now orders and unmatched ones, savings per lane to the paisa,
//! and bad rows at their pointers while the rest is compared.

use crate::common;

use common::{TestApp, only_carriers, shipment_body, spawn_app_with};
use serde_json::{Value, json};

async fn app() -> TestApp {
    spawn_app_with(|c| {
        c.limits.enabled = false;
        only_carriers(c, &["delhivery", "shiprocket"]);
    })
    .await
}

/// A dry run of `order_ref` to the PIN code `to`: (carrier, total paise).
async fn dry_run(app: &TestApp, order_ref: &str, to: &str) -> (String, i64) {
    let mut body = shipment_body(order_ref, "auto");
    body["to"]["postal_code"] = json!(to);
    body["dry_run"] = json!(true);
    let r = app.post("/v1/shipments", &body).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let answer: Value = r.json().await.unwrap();
    (
        answer["carrier"].as_str().unwrap().to_string(),
        answer["total"]["amount"].as_i64().unwrap(),
    )
}

async fn compare(app: &TestApp, path: &str, content_type: &str, body: String) -> Value {
    let r = app
        .client
        .post(app.url(path))
        .bearer_auth(&app.api_key)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

fn lane<'a>(report: &'a Value, destination: &str) -> &'a Value {
    report["lanes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["lane"]["destination"] == destination)
        .unwrap_or_else(|| panic!("no lane to {destination}: {report}"))
}

fn inr(report: &Value, field: &str) -> i64 {
    let list = report[field].as_array().unwrap();
    assert_eq!(list.len(), 1, "{field}: {list:?}");
    assert_eq!(list[0]["currency"], "INR");
    list[0]["amount"].as_i64().unwrap()
}

#[tokio::test]
async fn compare_reports_savings_per_lane_from_json_and_csv() {
    let app = app().await;
    let (c1, t1) = dry_run(&app, "PR-1", "560001").await;
    let (_, t2) = dry_run(&app, "PR-2", "560001").await;
    let (_, t3) = dry_run(&app, "PR-3", "400001").await;

    // PR-1 as shipgate would; PR-2 and PR-3 with a pricier carrier; PR-4 has no dry run
    // but its lane; PR-5 neither; then three bad rows.
    let rows = json!([
        {"order_ref": "PR-1", "carrier": c1, "cost": {"amount": t1, "currency": "INR"}, "outcome": "delivered"},
        {"order_ref": "PR-2", "carrier": "bluedart", "cost": {"amount": t2 + 5000, "currency": "INR"}, "outcome": "delivered"},
        {"order_ref": "PR-3", "carrier": "bluedart", "cost": {"amount": t3 + 1234, "currency": "INR"}, "outcome": "rto"},
        {"order_ref": "PR-4", "carrier": "bluedart", "cost": {"amount": 99900, "currency": "INR"},
         "from_postal_code": "110020", "to_postal_code": "600001", "weight_g": 500},
        {"order_ref": "PR-5", "carrier": "bluedart", "cost": {"amount": 5000, "currency": "INR"}},
        {"order_ref": "PR-6", "carrier": "bluedart", "cost": {"amount": "12.5", "currency": "INR"}},
        {"carrier": "bluedart", "cost": {"amount": 100, "currency": "INR"}},
        {"order_ref": "PR-8", "carrier": "bluedart", "cost": {"amount": 100, "currency": "INR"}, "outcome": "misplaced"},
    ]);
    let report = compare(
        &app,
        "/v1/parallel-run/compare",
        "application/json",
        json!({ "bookings": rows }).to_string(),
    )
    .await;
    assert_eq!(app.bookings("delhivery") + app.bookings("shiprocket"), 0);

    let errors: Vec<(&str, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["pointer"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            ("/bookings/5/cost/amount", "invalid_amount"),
            ("/bookings/6/order_ref", "required"),
            ("/bookings/7/outcome", "invalid_outcome"),
        ]
    );
    let overall = &report["overall"];
    assert_eq!(overall["orders"], 5);
    assert_eq!(overall["from_dry_runs"], 3);
    assert_eq!(overall["quoted_now"], 1);
    assert_eq!(overall["unmatched"], 1);
    assert_eq!(overall["different"], 3);
    let pr4 = report["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["order_ref"] == "PR-4")
        .expect("PR-4 differs");
    assert_eq!(pr4["matched"], "quoted_now");
    let q4 = pr4["shipgate"]["total"]["amount"].as_i64().unwrap();
    assert_eq!(pr4["saving"]["amount"].as_i64().unwrap(), 99900 - q4);
    assert_eq!(inr(overall, "savings"), 5000 + 1234 + (99900 - q4));
    assert_eq!(
        inr(overall, "actual_cost") - inr(overall, "shipgate_cost"),
        inr(overall, "savings")
    );
    let pr5 = report["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["order_ref"] == "PR-5")
        .expect("PR-5 is listed");
    assert_eq!(pr5["matched"], "unmatched");
    assert!(pr5["reason"].as_str().unwrap().contains("no dry run"));

    // Per lane, to the paisa, from the dry runs' stored prices.
    let ka = lane(&report, "IN-KA");
    assert_eq!(ka["lane"]["origin"], "IN-DL");
    assert_eq!(
        (ka["orders"].as_i64(), ka["different"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(inr(ka, "savings"), 5000);
    assert_eq!(inr(ka, "shipgate_cost"), t1 + t2);
    assert_eq!(ka["oms_outcomes"]["delivered"], 2);
    assert_eq!(ka["oms_outcomes"]["delivered_pct"], 100.0);
    let mh = lane(&report, "IN-MH");
    assert_eq!(inr(mh, "savings"), 1234);
    assert_eq!(mh["oms_outcomes"]["rto"], 1);
    assert_eq!(mh["oms_outcomes"]["rto_pct"], 100.0);
    assert_eq!(inr(lane(&report, "IN-TN"), "savings"), 99900 - q4);

    // A page at a time.
    let page = compare(
        &app,
        "/v1/parallel-run/compare?limit=1",
        "application/json",
        json!({ "bookings": rows }).to_string(),
    )
    .await;
    assert_eq!(page["orders"].as_array().unwrap().len(), 1);
    let cursor = page["next_cursor"]
        .as_str()
        .expect("more orders")
        .to_string();
    let next = compare(
        &app,
        &format!("/v1/parallel-run/compare?limit=1&cursor={cursor}"),
        "application/json",
        json!({ "bookings": rows }).to_string(),
    )
    .await;
    assert_ne!(
        next["orders"][0]["order_ref"],
        page["orders"][0]["order_ref"]
    );

    // The same bookings as CSV: the same numbers; bad cells at line and column.
    let csv = format!(
        "order_ref,carrier,service,cost_amount,cost_currency,outcome,from_postal_code,to_postal_code,weight_g\n\
         PR-1,{c1},,{t1},INR,delivered,,,\n\
         PR-2,bluedart,,{},INR,delivered,,,\n\
         PR-3,bluedart,,{},INR,rto,,,\n\
         PR-4,bluedart,,99900,INR,,110020,600001,500\n\
         PR-5,bluedart,,5000,INR,,,,\n\
         PR-6,bluedart,,12.5,INR,,,,\n\
         ,bluedart,,100,INR,,,,\n\
         PR-8,bluedart,,100,INR,misplaced,,,\n",
        t2 + 5000,
        t3 + 1234
    );
    let from_csv = compare(&app, "/v1/parallel-run/compare", "text/csv", csv).await;
    assert_eq!(from_csv["overall"]["orders"], 5);
    assert_eq!(from_csv["overall"]["different"], 3);
    assert_eq!(
        inr(&from_csv["overall"], "savings"),
        5000 + 1234 + (99900 - q4)
    );
    let errors: Vec<&str> = from_csv["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(errors, ["/csv/7/4", "/csv/8/1", "/csv/9/6"]);
}

#[tokio::test]
async fn compare_refuses_what_it_cannot_read() {
    let app = app().await;
    let r = app
        .client
        .post(app.url("/v1/parallel-run/compare"))
        .bearer_auth(&app.api_key)
        .header("content-type", "application/json")
        .body(r#"{"orders": []}"#)
        .send()
        .await
        .unwrap();
    let (status, body) = common::problem(r).await;
    assert_eq!(
        (status, common::pointers(&body)),
        (422, vec!["/bookings".to_string()])
    );
    let r = app
        .client
        .post(app.url("/v1/parallel-run/compare"))
        .bearer_auth(&app.api_key)
        .header("content-type", "text/csv")
        .body("order_ref,carrier\nX,bluedart\n")
        .send()
        .await
        .unwrap();
    let (status, body) = common::problem(r).await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("missing_column"))
    );
    let r = app
        .client
        .post(app.url("/v1/parallel-run/compare"))
        .bearer_auth(&app.api_key)
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
}
