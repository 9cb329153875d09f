//! Moving a pickup (`PATCH /v1/pickups/{id}`) over HTTP, on SQLite and PostgreSQL, against
//! the MyDHL simulator (DHL Express has a call for it) and Delhivery's (which has none):
//! bad input refused at its pointer, a move confirmed, refused or lost, each leaving the
//! pickup where the carrier has it, and the move audited. One app walks every case.

use crate::common;

use common::{TestApp, json_of, pointers, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};

async fn app() -> TestApp {
    spawn_app_with(|c| {
        c.polling.enabled = false;
    })
    .await
}

/// A day from today in India.
fn day(ahead: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(330) + chrono::Duration::days(ahead))
        .date_naive()
        .to_string()
}

async fn patch(app: &TestApp, id: &str, body: &Value) -> reqwest::Response {
    app.client
        .patch(app.url(&format!("/v1/pickups/{id}")))
        .bearer_auth(&app.api_key)
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn schedule(app: &TestApp, key: &str, location: &Value, carrier: &str, date: &str) -> Value {
    let body = json!({"pickup_location": location["id"], "carrier_account": carrier,
                      "date": date, "window": {"from": "10:00", "to": "17:00"}, "packages": 2});
    let p = json_of(app.post_keyed("/v1/pickups", key, &body).await, 201).await;
    assert_eq!(p["state"], "scheduled", "{carrier}: {p}");
    p
}

#[tokio::test]
async fn a_dhl_pickup_is_moved_and_kept_right_whatever_the_carrier_answers() {
    let app = app().await;
    let mut from = shipment_body("x", "x")["from"].clone();
    from["email"] = json!("ops@example.com");
    let location = json_of(
        app.post_keyed(
            "/v1/pickup-locations",
            "loc",
            &json!({"name": "Okhla", "address": from,
                    "working_hours": {"from": "09:30", "to": "18:00"}}),
        )
        .await,
        201,
    )
    .await;
    let pickup = schedule(&app, "pu-1", &location, "dhl_express", &day(1)).await;
    let id = pickup["id"].as_str().unwrap();
    let dispatch = pickup["carrier_pickup_id"].as_str().unwrap().to_string();

    // Bad input: every mistake at its pointer, nothing sent.
    for (body, expected) in [
        (json!({}), vec!["/date"]),
        (
            json!({"date": "2020-01-01", "window": {"from": "19:00", "to": "18:00"}}),
            vec!["/date", "/window/to"],
        ),
        (json!({"date": "tomorrow"}), vec!["/date"]),
        (json!({"date": day(9)}), vec!["/date"]),
        (
            json!({"window": {"from": "7am", "to": "12:00"}}),
            vec!["/window/from"],
        ),
        (
            json!({"window": {"from": "08:00", "to": "12:00"}}),
            vec!["/window"],
        ),
    ] {
        let (status, p) = problem(patch(&app, id, &body).await).await;
        assert_eq!(status, 422, "{body}: {p}");
        assert_eq!(pointers(&p), expected, "{body}: {p}");
    }
    let (status, p) =
        problem(patch(&app, id, &json!({"date": day(2), "colour": "red"})).await).await;
    assert_eq!(status, 422, "{p}");
    let (status, _) = problem(patch(&app, "pu_nope", &json!({"date": day(2)})).await).await;
    assert_eq!(status, 404);
    let unchanged = json_of(app.get(&format!("/v1/pickups/{id}")).await, 200).await;
    assert_eq!(unchanged["date"], pickup["date"]);

    // Moved: DHL confirms the new date and window.
    let moved = json_of(
        patch(
            &app,
            id,
            &json!({"date": day(3), "window": {"from": "11:00", "to": "13:00"}}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(moved["state"], "scheduled", "{moved}");
    assert_eq!(moved["date"], day(3));
    assert_eq!(moved["carrier_date"], day(3));
    assert_eq!(moved["window"], json!({"from": "11:00", "to": "13:00"}));
    assert_eq!(moved["carrier_pickup_id"], dispatch.as_str());
    let message = moved["carrier_message"].as_str().unwrap();
    assert!(
        message.contains(&format!("DHL moved pickup {dispatch}"))
            && message.contains("ready by 11:00"),
        "{message}"
    );
    let trail = json_of(
        app.get("/v1/audit-events?action=pickup.rescheduled").await,
        200,
    )
    .await;
    assert_eq!(trail["data"][0]["target"]["id"], id, "{trail}");
    assert_eq!(trail["data"][0]["before"]["date"], day(1), "{trail}");
    assert_eq!(trail["data"][0]["after"]["date"], day(3), "{trail}");

    // Only the window: the date stays.
    let narrowed = json_of(
        patch(
            &app,
            id,
            &json!({"window": {"from": "12:00", "to": "14:00"}}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (narrowed["date"].clone(), narrowed["state"].clone()),
        (json!(day(3)), json!("scheduled"))
    );
    assert_eq!(narrowed["window"]["from"], "12:00");

    // Refused by DHL: as it was, in DHL's words.
    app.arm_fault(
        "dhl_express",
        json!({"path_contains": "pickups/", "status": 400, "before_simulator": true}),
    )
    .await;
    let refused = json_of(patch(&app, id, &json!({"date": day(4)})).await, 200).await;
    assert_eq!(refused["state"], "scheduled", "{refused}");
    assert_eq!(refused["date"], day(3), "{refused}");
    assert_eq!(refused["window"]["from"], "12:00", "{refused}");
    assert!(
        refused["carrier_message"]
            .as_str()
            .unwrap()
            .contains("refused to move the pickup"),
        "{refused}"
    );

    // Lost: DHL moved it but its answer never came. `requested` at the new date, and the
    // same change again settles it.
    app.arm_fault(
        "dhl_express",
        json!({"path_contains": "pickups/", "status": 503}),
    )
    .await;
    let lost = json_of(patch(&app, id, &json!({"date": day(5)})).await, 200).await;
    assert_eq!(lost["state"], "requested", "{lost}");
    assert_eq!(lost["date"], day(5));
    assert_eq!(lost["carrier_pickup_id"], dispatch.as_str());
    assert!(
        lost["carrier_message"]
            .as_str()
            .unwrap()
            .contains("no answer"),
        "{lost}"
    );
    let settled = json_of(patch(&app, id, &json!({"date": day(5)})).await, 200).await;
    assert_eq!(settled["state"], "scheduled", "{settled}");
    assert_eq!(settled["carrier_date"], day(5));

    // Another live DHL pickup there that day: the move would make two.
    let other = schedule(&app, "pu-2", &location, "dhl_express", &day(2)).await;
    let (status, p) = problem(patch(&app, id, &json!({"date": day(2)})).await).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (409, Some("pickup_exists")),
        "{p}"
    );
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains(other["id"].as_str().unwrap()),
        "{p}"
    );
    let still = json_of(app.get(&format!("/v1/pickups/{id}")).await, 200).await;
    assert_eq!(
        (still["date"].clone(), still["state"].clone()),
        (json!(day(5)), json!("scheduled"))
    );

    // A carrier with no such call is refused without a call; a cancelled pickup is not
    // moved.
    let delhivery = schedule(&app, "pu-3", &location, "delhivery", &day(1)).await;
    let (status, p) = problem(
        patch(
            &app,
            delhivery["id"].as_str().unwrap(),
            &json!({"date": day(2)}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(pointers(&p), ["/date"]);
    assert_eq!(p["errors"][0]["code"], "reschedule_not_offered", "{p}");
    let kept = json_of(
        app.get(&format!(
            "/v1/pickups/{}",
            delhivery["id"].as_str().unwrap()
        ))
        .await,
        200,
    )
    .await;
    assert_eq!(
        (kept["date"].clone(), kept["state"].clone()),
        (json!(day(1)), json!("scheduled"))
    );
    json_of(
        app.post_keyed(&format!("/v1/pickups/{id}/cancel"), "c1", &json!({}))
            .await,
        200,
    )
    .await;
    let (status, p) = problem(patch(&app, id, &json!({"date": day(6)})).await).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (409, Some("pickup_not_reschedulable")),
        "{p}"
    );
}
