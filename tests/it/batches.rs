//! Bulk booking (`/v1/batches`): intake with per-item errors, the background worker booking
//! through the shipments path once per order, CSV in and out, cancel, quotas, and a
//! `kill -9` of the real binary mid-batch.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use shipgate::config::CarrierConfig;

use crate::common::{
    self, TestApp, json_of, only_carriers, problem, shipment_body, spawn_app_with,
};

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    )
}

async fn two_carrier_app() -> TestApp {
    spawn_app_with(|c| only_carriers(c, &["delhivery", "shiprocket"])).await
}

async fn post_csv(app: &TestApp, csv: &str) -> reqwest::Response {
    app.client
        .post(app.url("/v1/batches"))
        .bearer_auth(&app.api_key)
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .unwrap()
}

/// Polls the batch until it has finished (completed or cancelled) and nothing is being
/// booked any more.
async fn wait_done(app: &TestApp, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let batch = json_of(app.get(&format!("/v1/batches/{id}")).await, 200).await;
        let finished = matches!(batch["state"].as_str(), Some("completed" | "cancelled"));
        if finished && batch["counts"]["booking"] == 0 {
            return batch;
        }
        assert!(Instant::now() < deadline, "batch never finished: {batch}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every item, following the cursor through small pages.
async fn all_items(app: &TestApp, id: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut path = format!("/v1/batches/{id}/items?limit=3");
    loop {
        let page = json_of(app.get(&path).await, 200).await;
        items.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/v1/batches/{id}/items?limit=3&cursor={c}"),
            None => return items,
        }
    }
}

fn pointers_of(item: &Value) -> Vec<&str> {
    item["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["pointer"].as_str().unwrap()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_json_batch_books_good_items_once_and_keeps_bad_ones_at_their_pointers() {
    let app = two_carrier_app().await;
    let refs: Vec<String> = (0..3).map(|i| unique(&format!("BJ{i}"))).collect();
    let mut bad_pin = shipment_body(&unique("BJX"), "delhivery");
    bad_pin["to"]["postal_code"] = json!("12");
    let mut no_carrier = shipment_body(&unique("BJY"), "delhivery");
    no_carrier.as_object_mut().unwrap().remove("carrier");
    let body = json!({"items": [
        shipment_body(&refs[0], "delhivery"),
        shipment_body(&refs[1], "shiprocket"),
        shipment_body(&refs[2], "auto"),
        bad_pin,
        no_carrier,
        shipment_body(&refs[0], "shiprocket"),
        "not a shipment",
    ], "label_format": "zpl"});
    let created = json_of(app.post("/v1/batches", &body).await, 202).await;
    assert_eq!(created["total"], 7);
    assert_eq!(created["counts"]["invalid"], 4, "{created}");
    let id = created["id"].as_str().unwrap();

    let done = wait_done(&app, id).await;
    assert_eq!(done["state"], "completed", "{done}");
    assert_eq!(done["counts"]["booked"], 3, "{done}");
    assert_eq!(done["counts"]["invalid"], 4, "{done}");
    assert!(done["finished_at"].is_string() && done["items_per_second"].is_number());
    assert_eq!(app.bookings("delhivery") + app.bookings("shiprocket"), 3);

    let items = all_items(&app, id).await;
    assert_eq!(items.len(), 7);
    assert_eq!(
        items
            .iter()
            .map(|i| i["index"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        (0..7).collect::<Vec<_>>()
    );
    for item in &items[..3] {
        assert_eq!(item["state"], "booked", "{item}");
        let shipment = json_of(
            app.get(&format!(
                "/v1/shipments/{}",
                item["shipment_id"].as_str().unwrap()
            ))
            .await,
            200,
        )
        .await;
        assert_eq!(shipment["awb"], item["awb"]);
        assert_eq!(shipment["order_ref"], item["order_ref"]);
        assert_eq!(
            shipment["label_format"], "zpl",
            "the batch's label format applies"
        );
    }
    assert!(
        pointers_of(&items[3]).contains(&"/items/3/to/postal_code"),
        "{}",
        items[3]
    );
    assert_eq!(pointers_of(&items[4]), ["/items/4/carrier"], "{}", items[4]);
    assert_eq!(pointers_of(&items[5]), ["/items/5/order_ref"]);
    assert_eq!(items[5]["errors"][0]["code"], "duplicate_in_batch");
    assert_eq!(items[6]["state"], "invalid");
    assert!(
        pointers_of(&items[6])[0].starts_with("/items/6"),
        "{}",
        items[6]
    );

    let invalid = json_of(
        app.get(&format!("/v1/batches/{id}/items?state=invalid"))
            .await,
        200,
    )
    .await;
    assert_eq!(invalid["data"].as_array().unwrap().len(), 4);
    let (status, _) = problem(app.get(&format!("/v1/batches/{id}/items?state=lost")).await).await;
    assert_eq!(status, 422);

    // The results sheet: a header and a line per item, AWBs in it.
    let csv = app
        .client
        .get(app.url(&format!("/v1/batches/{id}/items")))
        .bearer_auth(&app.api_key)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    assert_eq!(text.lines().count(), 8, "{text}");
    assert!(text.starts_with("index,row,order_ref,carrier,state,shipment_id,awb"));
    assert!(text.contains(items[0]["awb"].as_str().unwrap()));
    assert!(text.contains("duplicate_in_batch"));

    // Its labels in one ZPL stream: the booked items', once each, in the batch's order.
    let labels = app
        .post("/v1/labels", &json!({"batch_id": id, "format": "zpl"}))
        .await;
    assert_eq!(labels.status(), 200);
    assert_eq!(labels.headers()["x-label-count"], "3");
    let zpl = labels.text().await.unwrap();
    let at = |awb: &Value| {
        zpl.find(awb.as_str().unwrap())
            .expect("each AWB is printed")
    };
    assert!(at(&items[0]["awb"]) < at(&items[1]["awb"]));
    assert!(at(&items[1]["awb"]) < at(&items[2]["awb"]));
    let (status, problem) = problem(
        app.post(
            "/v1/labels",
            &json!({"batch_id": "bat_none", "format": "pdf"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, &problem["errors"][0]["pointer"]),
        (422, &json!("/batch_id"))
    );

    let list = json_of(app.get("/v1/batches?limit=1").await, 200).await;
    assert_eq!(list["data"][0]["id"], id);
    assert!(
        app.metrics()
            .await
            .contains("shipgate_batch_items_total{state=\"booked\"}")
    );
    // Another tenant sees nothing of it.
    let other = app
        .key_for_tenant("batch-other", shipgate::store::Role::Read)
        .await;
    let r = app
        .client
        .get(app.url(&format!("/v1/batches/{id}")))
        .bearer_auth(other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn what_is_not_a_batch_is_refused_whole() {
    let app = two_carrier_app().await;
    let (status, body) = problem(app.post("/v1/batches", &json!({"items": []})).await).await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("empty_batch"))
    );
    let (status, body) = problem(app.post("/v1/batches", &json!({"orders": []})).await).await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = problem(post_csv(&app, "order_ref,colour\nA-1,red\n").await).await;
    assert_eq!(status, 422);
    let small = spawn_app_with(|c| c.batches.max_items = 2).await;
    let three = json!({"items": [shipment_body("A", "delhivery"), shipment_body("B", "delhivery"),
        shipment_body("C", "delhivery")]});
    let (status, body) = problem(small.post("/v1/batches", &three).await).await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (422, Some("too_many_items"))
    );
    let r = app
        .client
        .post(app.url("/v1/batches"))
        .bearer_auth(&app.api_key)
        .header("content-type", "application/xml")
        .body("<batch/>")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
}

#[tokio::test]
async fn a_csv_batch_from_the_template_books_and_names_rows_and_columns() {
    let app = two_carrier_app().await;
    let template = app.get("/v1/batches/template.csv").await;
    assert_eq!(template.status(), 200);
    let template = template.text().await.unwrap();
    let mut lines = template.lines();
    let header = lines.next().unwrap().to_string();
    let example = lines.next().unwrap().to_string();
    assert!(header.starts_with("order_ref,carrier,"), "{header}");

    let good = unique("BC1");
    let bad_weight = unique("BC2");
    let bad_pin = unique("BC3");
    let other = unique("BC4");
    let file = [
        header.clone(),
        example.replacen("ORD-1001", &good, 1),
        example
            .replacen("ORD-1001", &bad_weight, 1)
            .replacen(",500,", ",heavy,", 1),
        example
            .replacen("ORD-1001", &bad_pin, 1)
            .replacen(",560001,", ",56,", 1),
        example
            .replacen("ORD-1001", &other, 1)
            .replacen("delhivery", "shiprocket", 1),
    ]
    .join("\n");
    let created = json_of(post_csv(&app, &file).await, 202).await;
    assert_eq!(created["source"], "csv");
    let id = created["id"].as_str().unwrap();
    let done = wait_done(&app, id).await;
    assert_eq!(done["counts"]["booked"], 2, "{done}");
    assert_eq!(done["counts"]["invalid"], 2, "{done}");

    let items = all_items(&app, id).await;
    assert_eq!(items[0]["row"], 2);
    assert_eq!(items[0]["state"], "booked");
    assert_eq!(items[3]["state"], "booked");
    let weight = &items[1]["errors"][0];
    assert_eq!(weight["pointer"], "/rows/3/weight_g", "{}", items[1]);
    assert_eq!(
        (weight["row"].as_i64(), weight["column"].as_str()),
        (Some(3), Some("weight_g"))
    );
    let pin = items[2]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["column"] == "to_postal_code")
        .unwrap_or_else(|| panic!("{}", items[2]));
    assert_eq!(pin["pointer"], "/rows/4/to_postal_code");
    assert_eq!(pin["row"], 4);
}

#[tokio::test]
async fn cancel_stops_the_queued_items_and_lets_bookings_finish() {
    let app = spawn_app_with(|c| {
        only_carriers(c, &["delhivery"]);
        c.batches.concurrency = 1;
    })
    .await;
    app.arm_fault("delhivery", json!({"delay_ms": 300, "times": 1000}))
        .await;
    let items: Vec<Value> = (0..20)
        .map(|i| shipment_body(&unique(&format!("BX{i}")), "delhivery"))
        .collect();
    let created = json_of(app.post("/v1/batches", &json!({"items": items})).await, 202).await;
    let id = created["id"].as_str().unwrap();
    let cancelled = json_of(
        app.post(&format!("/v1/batches/{id}/cancel"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(cancelled["state"], "cancelled");
    let done = wait_done(&app, id).await;
    let counts = &done["counts"];
    assert_eq!(done["state"], "cancelled");
    assert_eq!(counts["queued"], 0, "{done}");
    assert!(counts["cancelled"].as_i64().unwrap() >= 15, "{done}");
    assert_eq!(
        counts["cancelled"].as_i64().unwrap() + counts["booked"].as_i64().unwrap(),
        20,
        "{done}"
    );
    // Cancelling again changes nothing.
    let again = json_of(
        app.post(&format!("/v1/batches/{id}/cancel"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(again["counts"], done["counts"]);
}

#[tokio::test]
async fn repeated_batches_never_book_an_order_twice() {
    let app = two_carrier_app().await;
    let refs: Vec<String> = (0..4).map(|i| unique(&format!("BR{i}"))).collect();
    let items: Vec<Value> = refs.iter().map(|r| shipment_body(r, "delhivery")).collect();
    let body = json!({"items": items});
    let first = json_of(
        app.post_keyed("/v1/batches", "batch-key-1", &body).await,
        202,
    )
    .await;
    let replay = json_of(
        app.post_keyed("/v1/batches", "batch-key-1", &body).await,
        202,
    )
    .await;
    assert_eq!(
        first["id"], replay["id"],
        "the same key answers the same batch"
    );
    let first_id = first["id"].as_str().unwrap();
    wait_done(&app, first_id).await;
    let booked: Vec<Value> = all_items(&app, first_id).await;
    assert!(booked.iter().all(|i| i["state"] == "booked"));
    assert_eq!(app.bookings("delhivery"), 4);

    // A second batch with the same orders, one of them changed.
    let mut items = body["items"].as_array().unwrap().clone();
    items[3]["parcels"][0]["weight_g"] = json!(900);
    let second = json_of(app.post("/v1/batches", &json!({"items": items})).await, 202).await;
    let second_id = second["id"].as_str().unwrap();
    let done = wait_done(&app, second_id).await;
    assert_eq!(done["counts"]["booked"], 3, "{done}");
    assert_eq!(done["counts"]["failed"], 1, "{done}");
    let again = all_items(&app, second_id).await;
    for (a, b) in booked.iter().zip(&again).take(3) {
        assert_eq!(
            a["shipment_id"], b["shipment_id"],
            "points at the existing shipment"
        );
        assert_eq!(a["awb"], b["awb"]);
    }
    assert_eq!(
        again[3]["problem"]["code"], "order_already_booked",
        "{}",
        again[3]
    );
    assert_eq!(again[3]["shipment_id"], booked[3]["shipment_id"]);
    assert_eq!(app.bookings("delhivery"), 4, "no second AWB");

    // The labels helper's view: the shipments in item order.
    let ids = app
        .state
        .store
        .batch_shipment_ids(
            &app.state.store.ensure_tenant("demo").await.unwrap().id,
            first_id,
        )
        .await
        .unwrap()
        .unwrap();
    let expected: Vec<String> = booked
        .iter()
        .map(|i| i["shipment_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn a_carrier_quota_delays_items_instead_of_failing_them() {
    let app = spawn_app_with(|c| {
        only_carriers(c, &["delhivery"]);
        c.carriers.insert(
            "delhivery".into(),
            CarrierConfig {
                quota_per_second: Some(2.0),
                ..Default::default()
            },
        );
    })
    .await;
    let items: Vec<Value> = (0..12)
        .map(|i| shipment_body(&unique(&format!("BQ{i}")), "delhivery"))
        .collect();
    let created = json_of(app.post("/v1/batches", &json!({"items": items})).await, 202).await;
    let done = wait_done(&app, created["id"].as_str().unwrap()).await;
    assert_eq!(done["counts"]["booked"], 12, "{done}");
    assert_eq!(done["counts"]["failed"], 0, "{done}");
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("shipgate_batch_items_total{state=\"delayed\"}"),
        "the quota delayed none: {metrics}"
    );
}

#[tokio::test]
async fn progress_streams_as_server_sent_events_until_done() {
    let app = two_carrier_app().await;
    let items: Vec<Value> = (0..3)
        .map(|i| shipment_body(&unique(&format!("BE{i}")), "delhivery"))
        .collect();
    let created = json_of(app.post("/v1/batches", &json!({"items": items})).await, 202).await;
    let id = created["id"].as_str().unwrap();
    let r = app.get(&format!("/v1/batches/{id}/events")).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let text = r.text().await.unwrap();
    assert!(text.contains("event: done\n"), "{text}");
    let last = text.trim_end().rsplit("data: ").next().unwrap();
    let done: Value = serde_json::from_str(last).unwrap();
    assert_eq!(done["counts"]["booked"], 3, "{done}");
}

/// The real binary, killed with SIGKILL mid-batch and started again on the same
/// database: the batch completes and every order has exactly one shipment and one AWB.
#[tokio::test]
async fn a_batch_survives_kill_9_and_books_every_order_once() {
    use common::gateway::{KEY, command, start};
    let dir = tempfile::tempdir().unwrap();
    let db = common::database_url(&dir).await;
    let launch = || {
        let mut cmd = command(&db);
        cmd.env("SHIPGATE_BATCHES__LEASE_MS", "2000")
            .env("SHIPGATE_IDEMPOTENCY__LOCK_TTL_SECS", "3");
        start(cmd)
    };
    let client = reqwest::Client::new();
    let get = |url: String| {
        let client = client.clone();
        async move {
            let r = client.get(url).bearer_auth(KEY).send().await.unwrap();
            json_of(r, 200).await
        }
    };
    const N: usize = 300;
    let refs: Vec<String> = (0..N).map(|i| format!("KILL-{i:04}")).collect();
    let carriers = ["delhivery", "shiprocket"];
    let items: Vec<Value> = refs
        .iter()
        .enumerate()
        .map(|(i, r)| shipment_body(r, carriers[i % 2]))
        .collect();

    let mut gw = launch();
    let r = client
        .post(format!("{}/v1/batches", gw.url))
        .bearer_auth(KEY)
        .json(&json!({"items": items}))
        .send()
        .await
        .unwrap();
    let id = json_of(r, 202).await["id"].as_str().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let b = get(format!("{}/v1/batches/{id}", gw.url)).await;
        if b["counts"]["booked"].as_i64().unwrap() >= 20 {
            break;
        }
        assert!(Instant::now() < deadline, "nothing booked: {b}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    gw.child.kill().unwrap();
    gw.child.wait().unwrap();
    drop(gw);

    let gw = launch();
    let deadline = Instant::now() + Duration::from_secs(120);
    let done = loop {
        let b = get(format!("{}/v1/batches/{id}", gw.url)).await;
        if b["state"] == "completed" {
            break b;
        }
        assert!(
            Instant::now() < deadline,
            "not completed after restart: {b}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(done["counts"]["booked"], N as i64, "{done}");

    // Straight from the database: one shipment and one AWB per order reference.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db).await.unwrap();
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT order_ref, COUNT(*), COUNT(DISTINCT awb) FROM shipments \
         WHERE order_ref LIKE 'KILL-%' GROUP BY order_ref",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), N);
    for (order_ref, shipments, awbs) in &rows {
        assert_eq!((*shipments, *awbs), (1, 1), "{order_ref}");
    }
    // (AWBs are not compared across orders: the sandbox's simulators number AWBs from
    // the start again in a new process, so two orders' AWBs may coincide.)
}
