//! Customer returns over HTTP (issue 17), on SQLite and PostgreSQL, against both
//! simulators: a delivered shipment's return is booked, picked up from the buyer and
//! delivered back to the warehouse in the simulator's next scans; its label, cancel,
//! polling and webhooks work as for any shipment; and returns are told apart from RTOs.

use crate::common;

use std::time::Duration;

use common::receiver::Receiver;
use common::{TestApp, json_of, pointers, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};
use shipgate::store::Role;

const CARRIERS: [&str; 2] = ["delhivery", "shiprocket"];

async fn app() -> TestApp {
    spawn_app_with(|c| {
        // Polls would reveal scans on their own; these tests reveal them by tracking.
        c.polling.enabled = false;
    })
    .await
}

/// Tracks (each call reveals the simulator's next scan) until `sub_status` shows, at most
/// 30 times; the sub-statuses seen on the way.
async fn track_until(app: &TestApp, id: &str, sub_status: &str) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..30 {
        let t = json_of(app.get(&format!("/v1/shipments/{id}/tracking")).await, 200).await;
        let now = t["sub_status"].as_str().unwrap().to_string();
        if seen.last() != Some(&now) {
            seen.push(now.clone());
        }
        if now == sub_status {
            return seen;
        }
    }
    panic!("shipment {id} never reached {sub_status}: {seen:?}");
}

/// A forward shipment booked and tracked until delivered. The buyer has an email:
/// Shiprocket requires one to collect a return (`pickup_email`).
async fn delivered(app: &TestApp, carrier: &str, order_ref: &str) -> Value {
    let mut body = shipment_body(order_ref, carrier);
    body["to"]["email"] = json!("asha@example.com");
    let s = json_of(app.post_keyed("/v1/shipments", order_ref, &body).await, 201).await;
    let id = s["id"].as_str().unwrap();
    track_until(app, id, "delivered").await;
    s
}

async fn book_return(
    app: &TestApp,
    forward_id: &str,
    key: &str,
    body: &Value,
) -> reqwest::Response {
    app.post_keyed(&format!("/v1/shipments/{forward_id}/returns"), key, body)
        .await
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_return_is_booked_picked_up_and_delivered_back() {
    for carrier in CARRIERS {
        let app = app().await;
        let receiver = Receiver::subscribed(&app, &["return.created"]).await;
        let forward = delivered(&app, carrier, &format!("RET-{carrier}")).await;
        let forward_id = id_of(&forward);

        let r = book_return(
            &app,
            &forward_id,
            "ret-1",
            &json!({"reason": "size_issue", "comment": "too small"}),
        )
        .await;
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        let ret = json_of(r, 201).await;
        let ret_id = id_of(&ret);
        assert_eq!(location, Some(format!("/v1/shipments/{ret_id}")));
        assert_eq!(ret["kind"], "reverse", "{ret}");
        assert_eq!(ret["forward_shipment_id"], forward_id.as_str());
        assert_eq!(ret["return"]["reason"], "size_issue");
        assert_eq!(ret["return"]["comment"], "too small");
        assert_eq!(ret["order_ref"], forward["order_ref"]);
        assert_eq!(ret["carrier"], carrier);
        assert!(
            ret["awb"]
                .as_str()
                .is_some_and(|a| a != forward["awb"].as_str().unwrap())
        );
        // From the buyer back to the warehouse, the forward's parcels.
        assert_eq!(ret["from"], forward["to"], "{ret}");
        assert_eq!(ret["to"], forward["from"]);
        assert_eq!(ret["parcels"], forward["parcels"]);
        assert_eq!(ret["payment"]["mode"], "prepaid");

        // The forward shipment shows its return; the return's own list too.
        let now = json_of(app.get(&format!("/v1/shipments/{forward_id}")).await, 200).await;
        assert_eq!(now["returns"][0]["id"], ret_id.as_str(), "{now}");
        assert_eq!(now["returns"][0]["reason"], "size_issue");
        let list = json_of(
            app.get(&format!("/v1/shipments/{forward_id}/returns"))
                .await,
            200,
        )
        .await;
        assert_eq!(list["data"].as_array().unwrap().len(), 1);
        assert_eq!(list["data"][0]["id"], ret_id.as_str());

        // Picked up from the buyer, delivered back to the warehouse.
        let seen = track_until(&app, &ret_id, "delivered").await;
        for wanted in ["pickup_scheduled", "out_for_pickup", "picked_up"] {
            assert!(
                seen.iter().any(|s| s == wanted),
                "{carrier}: {wanted} in {seen:?}"
            );
        }
        assert!(
            !seen.iter().any(|s| s.starts_with("rto")),
            "a return is no RTO: {seen:?}"
        );
        let done = json_of(app.get(&format!("/v1/shipments/{ret_id}")).await, 200).await;
        assert_eq!(
            (done["status"].as_str(), done["terminal"].as_bool()),
            (Some("delivered"), Some(true))
        );
        assert!(
            done["returns"].is_null(),
            "a return lists no returns: {done}"
        );

        // `return.created` with the return and its forward id; the operator's audit entry;
        // the metric.
        let got = receiver
            .wait_for(Duration::from_secs(15), "return.created", |r| !r.is_empty())
            .await;
        let message = &got[0].body;
        assert_eq!(message["type"], "return.created");
        assert_eq!(
            message["data"]["shipment"]["id"],
            ret_id.as_str(),
            "{message}"
        );
        assert_eq!(message["data"]["shipment"]["kind"], "reverse");
        assert_eq!(
            message["data"]["return"]["forward_shipment_id"],
            forward_id.as_str()
        );
        assert_eq!(message["data"]["return"]["reason"], "size_issue");
        let trail = json_of(app.get("/v1/audit-events?action=return.created").await, 200).await;
        assert_eq!(trail["data"][0]["target"]["id"], ret_id.as_str(), "{trail}");
        assert_eq!(
            trail["data"][0]["after"]["forward_shipment_id"],
            forward_id.as_str()
        );
        let metrics = app.get("/metrics").await.text().await.unwrap();
        assert!(
            metrics
                .lines()
                .any(|l| l.starts_with("shipgate_returns_booked_total")
                    && l.contains(&format!("carrier=\"{carrier}\""))
                    && l.contains("outcome=\"booked\"")),
            "{carrier}: no returns metric"
        );

        // Delivered back, the return no longer blocks another of the order.
        let again = book_return(&app, &forward_id, "ret-2", &json!({"reason": "defective"})).await;
        json_of(again, 201).await;
    }
}

#[tokio::test]
async fn a_returns_tracking_is_polled_like_any_shipment() {
    let app = spawn_app_with(|c| {
        c.polling.first_poll_secs = 0;
        c.polling.tick_ms = 50;
        for secs in [
            &mut c.polling.near_delivery_secs,
            &mut c.polling.pre_transit_secs,
            &mut c.polling.transit_min_secs,
            &mut c.polling.transit_max_secs,
            &mut c.polling.exception_secs,
        ] {
            *secs = 1;
        }
    })
    .await;
    for carrier in CARRIERS {
        let forward = delivered(&app, carrier, &format!("POLL-{carrier}")).await;
        let ret = json_of(
            book_return(
                &app,
                &id_of(&forward),
                &format!("p-{carrier}"),
                &json!({"reason": "damaged"}),
            )
            .await,
            201,
        )
        .await;
        let id = id_of(&ret);
        // No tracking call: the poller alone moves it.
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let now = json_of(app.get(&format!("/v1/shipments/{id}")).await, 200).await;
            if now["sub_status"] == "delivered" {
                let subs: Vec<&str> = now["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["sub_status"].as_str().unwrap())
                    .collect();
                assert!(subs.contains(&"picked_up"), "{subs:?}");
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{carrier}: return never delivered by polls: {now}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test]
async fn a_returns_label_and_cancel_work_like_any_shipment() {
    for carrier in CARRIERS {
        let app = app().await;
        let forward = delivered(&app, carrier, &format!("LBL-{carrier}")).await;
        let forward_id = id_of(&forward);
        let ret = json_of(
            book_return(&app, &forward_id, "l-1", &json!({"reason": "wrong_item"})).await,
            201,
        )
        .await;
        let id = id_of(&ret);

        let label = app.get(&format!("/v1/shipments/{id}/label")).await;
        assert_eq!(label.status(), 200, "{carrier}");
        assert_eq!(label.headers()["content-type"], "application/pdf");
        let pdf = label.bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF"), "{carrier}: a PDF label");

        let cancelled = json_of(
            app.post_keyed(&format!("/v1/shipments/{id}/cancel"), "c-1", &json!({}))
                .await,
            200,
        )
        .await;
        assert_eq!(cancelled["kind"], "reverse");
        let seen = track_until(&app, &id, "cancelled").await;
        assert!(!seen.iter().any(|s| s == "picked_up"), "{seen:?}");

        // A cancelled return does not block the next one.
        let next = json_of(
            book_return(&app, &forward_id, "l-2", &json!({"reason": "wrong_item"})).await,
            201,
        )
        .await;
        assert_ne!(next["id"], ret["id"]);
        assert_eq!(next["kind"], "reverse");
    }
}

#[tokio::test]
async fn a_replayed_return_changes_nothing_and_a_second_open_one_is_refused() {
    for carrier in CARRIERS {
        let app = app().await;
        let forward = delivered(&app, carrier, &format!("IDEM-{carrier}")).await;
        let forward_id = id_of(&forward);
        let body = json!({"reason": "changed_mind"});
        let first = json_of(book_return(&app, &forward_id, "same", &body).await, 201).await;
        let booked = app.bookings(carrier);
        let replay = json_of(book_return(&app, &forward_id, "same", &body).await, 201).await;
        assert_eq!(replay["id"], first["id"]);
        assert_eq!(replay["awb"], first["awb"]);
        assert_eq!(
            app.bookings(carrier),
            booked,
            "{carrier}: nothing booked again"
        );
        // The same key with another body is the idempotency layer's 422.
        let (status, _) =
            problem(book_return(&app, &forward_id, "same", &json!({"reason": "other"})).await)
                .await;
        assert_eq!(status, 422);
        // Another request while the first is open: 409, nothing booked.
        let (status, p) = problem(book_return(&app, &forward_id, "other", &body).await).await;
        assert_eq!(
            (status, p["code"].as_str()),
            (409, Some("return_exists")),
            "{p}"
        );
        assert_eq!(app.bookings(carrier), booked);
        let list = json_of(
            app.get(&format!("/v1/shipments/{forward_id}/returns"))
                .await,
            200,
        )
        .await;
        assert_eq!(list["data"].as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn bad_returns_are_refused_at_their_pointer_and_nothing_is_booked() {
    let app = app().await;
    let forward = delivered(&app, "delhivery", "BAD-DL").await;
    let forward_id = id_of(&forward);
    let booked = app.bookings("delhivery");
    let refused = |body: Value| {
        let app = &app;
        let forward_id = forward_id.clone();
        async move {
            let key = uuid::Uuid::new_v4().to_string();
            problem(book_return(app, &forward_id, &key, &body).await).await
        }
    };

    let (status, p) = refused(json!({})).await;
    assert_eq!(
        (status, pointers(&p)),
        (422, vec!["/reason".to_string()]),
        "{p}"
    );
    let (status, p) = refused(json!({"reason": "meh"})).await;
    assert_eq!(
        (status, p["errors"][0]["code"].as_str()),
        (422, Some("invalid_reason"))
    );
    let (status, p) = refused(json!({
        "reason": "damaged",
        "pickup_from": {"name": "Asha", "phone": "12", "line1": "x", "city": "Pune", "postal_code": "4110"},
        "parcels": [{"weight_g": -5}],
        "comment": "x".repeat(201),
    }))
    .await;
    assert_eq!(status, 422);
    let ps = pointers(&p);
    for pointer in [
        "/pickup_from/phone",
        "/pickup_from/postal_code",
        "/parcels/0/weight_g",
        "/comment",
    ] {
        assert!(ps.iter().any(|x| x == pointer), "{pointer} in {ps:?}");
    }
    let (status, p) = refused(json!({"reason": "damaged", "colour": "red"})).await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(pointers(&p), vec!["/colour".to_string()]);
    // Delhivery has no doorstep quality check.
    let (status, p) = refused(json!({"reason": "damaged", "qc": {"product_name": "Kurta"}})).await;
    assert_eq!(
        (status, pointers(&p), p["errors"][0]["code"].as_str()),
        (422, vec!["/qc".to_string()], Some("qc_not_offered"))
    );
    let (status, p) = refused(json!({"reason": "damaged", "qc": {"image_url": "ftp://x"}})).await;
    assert_eq!(status, 422);
    assert_eq!(
        pointers(&p),
        vec!["/qc/product_name".to_string(), "/qc/image_url".to_string()]
    );
    assert_eq!(app.bookings("delhivery"), booked, "nothing booked");

    // A shipment not delivered yet cannot be returned.
    let body = shipment_body("BAD-NOT-YET", "delhivery");
    let fresh = json_of(app.post_keyed("/v1/shipments", "not-yet", &body).await, 201).await;
    let (status, p) =
        problem(book_return(&app, &id_of(&fresh), "nr", &json!({"reason": "damaged"})).await).await;
    assert_eq!(
        (status, p["errors"][0]["code"].as_str()),
        (422, Some("not_returnable")),
        "{p}"
    );

    // Nor a return itself.
    let ret = json_of(
        book_return(&app, &forward_id, "ok", &json!({"reason": "damaged"})).await,
        201,
    )
    .await;
    let (status, p) =
        problem(book_return(&app, &id_of(&ret), "rr", &json!({"reason": "damaged"})).await).await;
    assert_eq!(
        (status, p["errors"][0]["code"].as_str()),
        (422, Some("forward_is_return")),
        "{p}"
    );

    // Roles and tenants: a read key cannot book one; another tenant sees no such shipment.
    let read = app.key_for_tenant("demo", Role::Read).await;
    let r = app
        .client
        .post(app.url(&format!("/v1/shipments/{forward_id}/returns")))
        .bearer_auth(&read)
        .header("idempotency-key", "read-1")
        .json(&json!({"reason": "damaged"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let other = app.key_for_tenant("other", Role::Write).await;
    let r = app
        .client
        .post(app.url(&format!("/v1/shipments/{forward_id}/returns")))
        .bearer_auth(&other)
        .header("idempotency-key", "other-1")
        .json(&json!({"reason": "damaged"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn the_kind_filter_tells_rto_from_returns() {
    let app = app().await;
    // An RTO: a forward shipment coming back (Delhivery, PIN code ending 98).
    let mut body = shipment_body("KIND-RTO", "delhivery");
    body["to"]["postal_code"] = json!("560098");
    let rto = json_of(
        app.post_keyed("/v1/shipments", "kind-rto", &body).await,
        201,
    )
    .await;
    track_until(&app, &id_of(&rto), "rto_delivered").await;
    // A customer return.
    let forward = delivered(&app, "shiprocket", "KIND-FWD").await;
    let ret = json_of(
        book_return(
            &app,
            &id_of(&forward),
            "kind-ret",
            &json!({"reason": "other"}),
        )
        .await,
        201,
    )
    .await;

    let ids = |list: &Value| -> Vec<String> {
        list["data"].as_array().unwrap().iter().map(id_of).collect()
    };
    let reverse = json_of(app.get("/v1/shipments?kind=reverse").await, 200).await;
    assert_eq!(ids(&reverse), vec![id_of(&ret)]);
    let forwards = json_of(app.get("/v1/shipments?kind=forward").await, 200).await;
    let forwards = ids(&forwards);
    assert!(forwards.contains(&id_of(&rto)) && forwards.contains(&id_of(&forward)));
    assert!(!forwards.contains(&id_of(&ret)));
    // RTOs among forward shipments: by status, never a return.
    let rtos = json_of(app.get("/v1/shipments?kind=forward&status=rto").await, 200).await;
    assert_eq!(ids(&rtos), vec![id_of(&rto)]);
    // The counts too.
    let summary = json_of(app.get("/v1/shipments/summary?kind=reverse").await, 200).await;
    assert_eq!(summary["total"], 1, "{summary}");
    assert_eq!(summary["by_status"]["rto"], 0);
    let summary = json_of(app.get("/v1/shipments/summary?kind=forward").await, 200).await;
    assert_eq!(
        (
            summary["total"].as_i64(),
            summary["by_status"]["rto"].as_i64()
        ),
        (Some(2), Some(1))
    );
    let (status, p) = problem(app.get("/v1/shipments?kind=sideways").await).await;
    assert_eq!(
        (status, pointers(&p)),
        (422, vec!["/kind".to_string()]),
        "{p}"
    );
    // The NDR queue holds neither.
    let queue = json_of(app.get("/v1/ndr").await, 200).await;
    assert!(ids_in_queue(&queue).iter().all(|id| *id != id_of(&ret)));
}

fn ids_in_queue(queue: &Value) -> Vec<String> {
    let entries = queue["data"].as_array().unwrap();
    entries
        .iter()
        .map(|e| e["shipment_id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_return_without_a_forward_shipment() {
    let app = app().await;
    let body = json!({
        "order_ref": "EXT-1",
        "carrier": "shiprocket",
        "reason": "defective",
        "pickup_from": {"name": "Asha Rao", "phone": "+91 98765 43210", "email": "asha@example.com",
                        "line1": "12 MG Road", "city": "Bengaluru", "state": "Karnataka", "postal_code": "560001"},
        "deliver_to": {"name": "Shipgate Warehouse", "phone": "9000000001", "line1": "Plot 4",
                       "city": "New Delhi", "state": "Delhi", "postal_code": "110020"},
        "parcels": [{"weight_g": 400, "description": "Phone case"}],
        "qc": {"product_name": "Phone case", "brand": "Acme", "image_url": "https://example.com/c.jpg"},
    });
    let ret = json_of(app.post_keyed("/v1/returns", "ext-1", &body).await, 201).await;
    assert_eq!(ret["kind"], "reverse");
    assert!(ret["forward_shipment_id"].is_null(), "{ret}");
    assert_eq!(ret["return"]["qc"]["product_name"], "Phone case");
    assert_eq!(ret["from"]["postal_code"], "560001");
    track_until(&app, &id_of(&ret), "delivered").await;

    // A second open return of the same order is refused; a delivered one is not open.
    let again = json_of(app.post_keyed("/v1/returns", "ext-2", &body).await, 201).await;
    let (status, p) = problem(app.post_keyed("/v1/returns", "ext-3", &body).await).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (409, Some("return_exists")),
        "{p}"
    );
    assert_ne!(again["id"], ret["id"]);

    let (status, p) = problem(
        app.post_keyed("/v1/returns", "ext-4", &json!({"carrier": "auto"}))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    let ps = pointers(&p);
    for pointer in [
        "/order_ref",
        "/carrier",
        "/reason",
        "/pickup_from",
        "/deliver_to",
        "/parcels",
    ] {
        assert!(ps.iter().any(|x| x == pointer), "{pointer} in {ps:?}");
    }
    let mut unknown = body.clone();
    unknown["carrier"] = json!("pigeon");
    let (status, p) = problem(app.post_keyed("/v1/returns", "ext-5", &unknown).await).await;
    assert_eq!(
        (status, p["errors"][0]["code"].as_str()),
        (422, Some("unknown_carrier"))
    );
}

/// The carrier books the return but its answer is lost (a 502 page after it acted): the
/// return is kept `pending_confirmation` (202) and reconciled as a return — found at the
/// carrier under its id, never booked a second time.
#[tokio::test]
async fn a_return_whose_answer_is_lost_is_reconciled_not_rebooked() {
    for (carrier, call) in [
        ("delhivery", "/api/cmu/create.json"),
        ("shiprocket", "/courier/assign/awb"),
    ] {
        let app = app().await;
        let forward = delivered(&app, carrier, &format!("LOST-{carrier}")).await;
        let before = app.bookings(carrier);
        app.arm_fault(carrier, json!({"path_contains": call, "status": 502}))
            .await;
        let pending = json_of(
            book_return(
                &app,
                &id_of(&forward),
                "lost-1",
                &json!({"reason": "damaged"}),
            )
            .await,
            202,
        )
        .await;
        assert_eq!(
            pending["booking_state"], "pending_confirmation",
            "{carrier}: {pending}"
        );
        assert_eq!(pending["kind"], "reverse");
        assert_eq!(app.faults_waiting(carrier).await, 0);
        // Reading it settles it with the carrier.
        let settled = json_of(
            app.get(&format!("/v1/shipments/{}", id_of(&pending))).await,
            200,
        )
        .await;
        assert_eq!(
            settled["booking_state"], "confirmed",
            "{carrier}: {settled}"
        );
        assert!(settled["awb"].as_str().is_some());
        assert_eq!(settled["kind"], "reverse");
        assert_eq!(app.bookings(carrier), before + 1, "{carrier}: booked once");
        // And it goes on as a return: picked up from the buyer.
        track_until(&app, &id_of(&settled), "picked_up").await;
    }
}
