//! Bookings written many to a transaction (`store::bookings`, `service::booking_writer`),
//! on both engines: every statement of a batch takes all its bookings at once, so each
//! booking's rows must land exactly as a booking written alone would leave them.

use crate::common;

use std::collections::BTreeMap;

use carriers::schema::{
    CreatedShipment, Currency, LabelDocument, LabelFormat, Money, ShipmentRequest,
    ShipmentRequestInput, TrackingEvent,
};
use carriers::taxonomy::{SubStatus, Unified};
use chrono::Utc;
use common::{TestApp, shipment_body, spawn_app_with};
use serde_json::{Value, json};
use shipgate::store::{BookingState, Confirmation, NewShipment, ReserveOutcome};

async fn app() -> TestApp {
    spawn_app_with(|c| c.limits.enabled = false).await
}

fn request(order_ref: &str) -> ShipmentRequest {
    let input: ShipmentRequestInput =
        serde_json::from_value(shipment_body(order_ref, "delhivery")).unwrap();
    ShipmentRequest::parse(&input).unwrap()
}

fn new_shipment(tenant_id: &str, id: &str, order_ref: &str) -> NewShipment {
    NewShipment {
        id: id.into(),
        tenant_id: tenant_id.into(),
        package_no: 1,
        carrier: "delhivery".into(),
        carrier_account: "delhivery".into(),
        request: request(order_ref),
        address_quality: None,
    }
}

fn confirmation(id: &str, awb: &str, charged: Option<i64>) -> Confirmation {
    Confirmation {
        id: id.into(),
        created: CreatedShipment {
            awb: awb.into(),
            service: "surface".into(),
            carrier_refs: BTreeMap::from([("upload_wbn".to_string(), format!("UPL-{awb}"))]),
            routing_code: charged.map(|_| "DEL/ABC".to_string()),
            labels: vec![LabelDocument {
                format: LabelFormat::Zpl,
                content: format!("^XA^FD{awb}^FS^XZ").into_bytes(),
            }],
            documents: Vec::new(),
            charged: charged.map(|amount| Money {
                amount,
                currency: Currency::inr(),
            }),
        },
        first_event: TrackingEvent::new(
            Unified::new(SubStatus::LabelCreated),
            shipgate::store::BOOKED_CODE,
            format!("AWB {awb} allocated"),
            Utc::now(),
        ),
        first_poll_at: Utc::now().timestamp_millis() + 60_000,
        estimated_delivery: None,
        quoted_cost: None,
    }
}

#[tokio::test]
async fn one_batch_reserves_replaces_failed_reports_taken_and_confirms() {
    let app = app().await;
    let store = &app.state.store;
    let tenant = store.ensure_tenant("demo").await.unwrap();
    let endpoint = app
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": "http://127.0.0.1:9/hooks", "event_types": ["shipment.created"]}),
        )
        .await;
    assert_eq!(endpoint.status(), 201);
    let endpoint: Value = endpoint.json().await.unwrap();

    // Two bookings reserved earlier, one of them failed since.
    let earlier = [
        new_shipment(&tenant.id, "shp_b1", "B-1"),
        new_shipment(&tenant.id, "shp_b2", "B-2"),
        new_shipment(&tenant.id, "shp_failed", "B-FAILED"),
    ];
    let (reserved, _) = store
        .write_bookings(&earlier.iter().collect::<Vec<_>>(), &[])
        .await
        .unwrap();
    assert!(
        reserved
            .iter()
            .all(|r| matches!(r, ReserveOutcome::Reserved))
    );
    store.mark_failed("shp_failed", "refused").await.unwrap();

    let reserves = [
        new_shipment(&tenant.id, "shp_new", "B-NEW"),
        // The same order again within the batch: the first one holds it.
        new_shipment(&tenant.id, "shp_new_again", "B-NEW"),
        // Held by a booking in progress.
        new_shipment(&tenant.id, "shp_b1_again", "B-1"),
        // Held by a failed booking, which gives it up.
        new_shipment(&tenant.id, "shp_retry", "B-FAILED"),
    ];
    let confirms = [
        confirmation("shp_b1", "AWB0001", Some(12_345)),
        confirmation("shp_missing", "AWB0002", None),
        confirmation("shp_b2", "AWB0003", None),
    ];
    let (reserved, confirmed) = store
        .write_bookings(
            &reserves.iter().collect::<Vec<_>>(),
            &confirms.iter().collect::<Vec<_>>(),
        )
        .await
        .unwrap();

    assert!(matches!(reserved[0], ReserveOutcome::Reserved));
    match &reserved[1] {
        ReserveOutcome::Exists(s) => assert_eq!(
            (s.id.as_str(), s.booking_state),
            ("shp_new", BookingState::Booking)
        ),
        ReserveOutcome::Reserved => panic!("one order reference reserved twice in a batch"),
    }
    match &reserved[2] {
        // Confirmed by this very batch, after its reservations.
        ReserveOutcome::Exists(s) => assert_eq!(s.id, "shp_b1"),
        ReserveOutcome::Reserved => panic!("an order reference in use reserved again"),
    }
    assert!(matches!(reserved[3], ReserveOutcome::Reserved));
    assert!(
        store
            .get_shipment(&tenant.id, "shp_failed")
            .await
            .unwrap()
            .is_none()
    );

    assert_eq!(confirmed.len(), 3);
    assert!(confirmed[1].is_none(), "no shipment has that id");
    let b1 = confirmed[0].as_ref().unwrap();
    assert_eq!(b1.id, "shp_b1");
    assert_eq!(b1.awb.as_deref(), Some("AWB0001"));
    assert_eq!(b1.booking_state, BookingState::Confirmed);
    assert_eq!(b1.sub_status, SubStatus::LabelCreated);
    assert_eq!(b1.routing_code.as_deref(), Some("DEL/ABC"));
    assert_eq!(b1.charged.as_ref().map(|m| m.amount), Some(12_345));
    assert_eq!(b1.carrier_refs["upload_wbn"], "UPL-AWB0001");
    let b2 = confirmed[2].as_ref().unwrap();
    assert_eq!(
        (b2.id.as_str(), b2.awb.as_deref()),
        ("shp_b2", Some("AWB0003"))
    );
    assert_eq!(
        (b2.charged.as_ref(), b2.routing_code.as_deref()),
        (None, None)
    );
    // What the batch returned is what is stored.
    let stored = store
        .get_shipment(&tenant.id, "shp_b2")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(format!("{stored:?}"), format!("{b2:?}"));

    for (id, awb) in [("shp_b1", "AWB0001"), ("shp_b2", "AWB0003")] {
        let label = store.label(id, LabelFormat::Zpl).await.unwrap().unwrap();
        assert_eq!(label, format!("^XA^FD{awb}^FS^XZ").into_bytes(), "{id}");
        let events = store.events(id).await.unwrap();
        assert_eq!(events.len(), 1, "{id}: {events:?}");
        assert_eq!(events[0].event.sub_status, SubStatus::LabelCreated);
        let poll = store
            .poll_state(id)
            .await
            .unwrap()
            .expect("first poll scheduled");
        assert_eq!(poll.carrier_account, "delhivery");
        assert!(poll.next_poll_at.is_some());
    }
    // One `shipment.created` message per confirmed booking, none for the missing one.
    let messages: Value = app
        .get(&format!(
            "/v1/webhook-endpoints/{}/messages",
            endpoint["id"].as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    let mut announced = Vec::new();
    for m in messages["data"].as_array().unwrap() {
        let id = m["message_id"].as_str().unwrap();
        let (message, ..) = store.message(&tenant.id, id).await.unwrap().unwrap();
        let payload: Value = serde_json::from_str(&message.payload).unwrap();
        assert_eq!(payload["type"], "shipment.created", "{payload}");
        assert_eq!(
            Some(payload["data"]["shipment"]["id"].clone()),
            message.shipment_id.map(Value::from),
            "{payload}"
        );
        announced.push(
            payload["data"]["shipment"]["awb"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    announced.sort();
    assert_eq!(announced, ["AWB0001", "AWB0003"], "{messages:#}");
}

#[tokio::test]
async fn concurrent_creates_are_each_booked_once_with_their_own_rows() {
    let app = app().await;
    let creates = (0..48).map(|i| {
        app.client
            .post(app.url("/v1/shipments"))
            .bearer_auth(&app.api_key)
            .json(&shipment_body(&format!("CONC-{i}"), "delhivery"))
            .send()
    });
    let mut awbs = std::collections::HashSet::new();
    for (i, r) in futures::future::join_all(creates)
        .await
        .into_iter()
        .enumerate()
    {
        let r = r.unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let s: Value = r.json().await.unwrap();
        assert_eq!(s["order_ref"], format!("CONC-{i}"));
        assert_eq!(s["booking_state"], "confirmed");
        assert!(awbs.insert(s["awb"].as_str().unwrap().to_string()), "{s}");
        let tracking: Value = app
            .get(&format!("/v1/tracking/{}", s["awb"].as_str().unwrap()))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(tracking["shipment_id"], s["id"], "{tracking}");
    }
}

// A batch is one transaction: when one booking in it cannot be written, the others are
// written alone and succeed, and only that one fails.
#[tokio::test]
async fn one_bad_booking_does_not_fail_the_batch_beside_it() {
    let app = app().await;
    let store = app.state.store.clone();
    let tenant = store.ensure_tenant("demo").await.unwrap();
    let writer = shipgate::service::booking_writer::BookingWriter::new(store.clone());
    // Both are queued before the writer task first runs (one thread), so they share a
    // batch; the second names no tenant that exists, which the foreign key refuses.
    let (good, bad) = tokio::join!(
        writer.reserve(new_shipment(&tenant.id, "shp_good", "GOOD-1")),
        writer.reserve(new_shipment("ten_missing", "shp_bad", "BAD-1")),
    );
    assert!(matches!(good, Ok(ReserveOutcome::Reserved)));
    assert!(bad.is_err(), "a shipment of an unknown tenant was reserved");
    let stored = store.get_shipment(&tenant.id, "shp_good").await.unwrap();
    assert_eq!(stored.map(|s| s.booking_state), Some(BookingState::Booking));
}

/// While the database is unreachable, reservations queued behind a batch that is waiting
/// for it fail together with that batch instead of waiting a whole acquire timeout again
/// in the next one; the writer books again once the database is back.
#[tokio::test]
async fn reservations_queued_behind_an_unreachable_database_fail_with_it() {
    let Some(mut pg) = common::postgres::Postgres::start() else {
        return;
    };
    let store =
        shipgate::store::Store::connect_with(&pg.admin_url(), std::time::Duration::from_secs(2))
            .await
            .unwrap();
    store.migrate().await.unwrap();
    let tenant = store.ensure_tenant("demo").await.unwrap();
    let writer = shipgate::service::booking_writer::BookingWriter::new(store.clone());
    pg.stop();

    // One thread. On PostgreSQL two writers take batches at once: `first` and `second`
    // each start one, which takes it alone and waits for the database; `third` queues
    // behind them.
    let mut first = Box::pin(writer.reserve(new_shipment(&tenant.id, "shp_down_1", "DOWN-1")));
    let mut second = Box::pin(writer.reserve(new_shipment(&tenant.id, "shp_down_2", "DOWN-2")));
    let mut third = Box::pin(writer.reserve(new_shipment(&tenant.id, "shp_down_3", "DOWN-3")));
    assert!(futures::poll!(&mut first).is_pending());
    tokio::task::yield_now().await;
    assert!(futures::poll!(&mut second).is_pending());
    tokio::task::yield_now().await;
    assert!(futures::poll!(&mut third).is_pending());
    let mut errors = Vec::new();
    for batch in [first, second] {
        let Err(error) = batch.await else {
            panic!("reserved while the database is down")
        };
        assert!(
            matches!(*error, sqlx::Error::PoolTimedOut | sqlx::Error::Io(_)),
            "{error:?}"
        );
        errors.push(error);
    }
    match futures::poll!(&mut third) {
        std::task::Poll::Ready(Err(e)) => assert!(
            errors.iter().any(|b| std::sync::Arc::ptr_eq(&e, b)),
            "answered with an error of its own, after waiting again"
        ),
        std::task::Poll::Ready(Ok(_)) => panic!("reserved while the database is down"),
        std::task::Poll::Pending => {
            panic!("the queued reservation was not answered with a batch")
        }
    }

    pg.start_again();
    let booked = writer
        .reserve(new_shipment(&tenant.id, "shp_up", "UP-1"))
        .await
        .unwrap();
    assert!(matches!(booked, ReserveOutcome::Reserved));
}
