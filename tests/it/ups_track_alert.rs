//! UPS Track Alert through the gateway (issue 18), on SQLite and (with
//! `SG_TEST_POSTGRES_URL`) PostgreSQL: a booking subscribes its package with the
//! account's push URL and webhook token as the credential; the UPS simulator's pushes,
//! delivered to the gateway with the headers UPS sends, move the shipment to delivered
//! with polling off; a push without the credential is refused by the gateway's token check.

use crate::common;

use std::time::{Duration, Instant};

use common::{TestApp, json_of, shipment_body_between, spawn_app_with};
use serde_json::Value;
use shipgate::config::CarrierConfig;

const SECRET: &str = "ups-track-alert-secret";

async fn app() -> TestApp {
    spawn_app_with(|c| {
        c.polling.enabled = false;
        c.carriers.insert(
            "ups".into(),
            CarrierConfig {
                settings: [
                    ("webhook_token", SECRET),
                    // Where UPS would push; the test relays each push to this gateway.
                    (
                        "track_alert_url",
                        "http://127.0.0.1:9/v1/carriers/ups/webhooks",
                    ),
                ]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
                ..CarrierConfig::default()
            },
        );
    })
    .await
}

/// The pushes the simulator has due (each call moves subscribed parcels on one scan).
async fn due(app: &TestApp) -> Vec<Value> {
    let r = app
        .client
        .post(app.url("/sandbox/ups/_track_alert/deliver"))
        .send()
        .await
        .unwrap();
    json_of(r, 200).await["pushes"].as_array().unwrap().clone()
}

#[tokio::test]
async fn track_alert_pushes_reach_the_gateway_with_the_subscribed_credential() {
    let app = app().await;
    let body = shipment_body_between("ORD-TA-1", "ups", "US", "US");
    let created = json_of(
        app.post_keyed("/v1/shipments", "ORD-TA-1", &body).await,
        201,
    )
    .await;
    let id = created["id"].as_str().unwrap().to_string();
    let awb = created["awb"].as_str().unwrap().to_string();
    assert_eq!(
        created["carrier_refs"]["track_alert"], "subscribed",
        "{created}"
    );

    let send = |push: &Value, credential: Option<&str>| {
        let path = push["url"]
            .as_str()
            .unwrap()
            .trim_start_matches("http://127.0.0.1:9");
        let mut r = app
            .client
            .post(app.url(path))
            .header("content-type", "application/json")
            .header(
                "user-agent",
                push["headers"]["user-agent"].as_str().unwrap(),
            )
            .body(serde_json::to_vec(&push["body"]).unwrap());
        if let Some(c) = credential {
            r = r.header("credential", c);
        }
        r.send()
    };
    let mut refused_once = false;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        for push in due(&app).await {
            assert_eq!(
                push["headers"]["credential"], SECRET,
                "subscribed with the webhook token"
            );
            assert_eq!(push["body"]["trackingNumber"], awb.as_str());
            if !refused_once {
                // Without the credential, or with another: the token check refuses it.
                for wrong in [None, Some("not-the-secret")] {
                    let r = send(&push, wrong).await.unwrap();
                    assert_eq!(r.status(), 401, "{wrong:?}");
                }
                refused_once = true;
            }
            let credential = push["headers"]["credential"].as_str().unwrap();
            let r = send(&push, Some(credential)).await.unwrap();
            assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        }
        let shipment = json_of(app.get(&format!("/v1/shipments/{id}")).await, 200).await;
        if shipment["status"] == "delivered" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "never delivered by pushes: {shipment}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(refused_once);
}
