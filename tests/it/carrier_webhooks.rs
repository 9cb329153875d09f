//! Carrier tracking pushes at `POST /v1/carriers/<carrier>/webhooks`, end to end: every
//! Delhivery and Shiprocket push sample and fixture becomes the asserted unified events on
//! a shipment booked in the sandbox, redeliveries add nothing, late events never move a
//! shipment back, each authentication check refuses what it should, unreadable bodies are
//! refused, pushes for unknown AWBs are kept, and a gateway killed with SIGKILL while
//! ingesting loses no push it answered.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use common::gateway::{Gateway, KEY, command, start};
use common::{TestApp, home_shipment_body, problem, shipment_body, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use shipgate::config::{CarrierConfig, Mode};
use shipgate::store::InboxState;

// ---------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------

/// `../shared/carrier-samples/<carrier>` beside the checkout. Outside CI it may be absent
/// (the sample part of a test is skipped); in CI (`CI` set) its absence fails the test.
fn samples_dir(carrier: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/carrier-samples")
        .join(carrier);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing: CI must have ../shared/carrier-samples beside the checkout",
            dir.display()
        );
    }
    eprintln!("skipping samples: {} not found", dir.display());
    None
}

fn fixtures_dir(carrier: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(carrier)
}

/// Every push payload of a carrier, by file name: the files named as pushes (`webhook*`
/// or `*push*`) among its fixtures and its shared samples (when present), whatever their
/// format — one published malformed is there too, and must be refused.
fn push_files(carrier: &str) -> Vec<(String, Vec<u8>)> {
    let mut dirs = vec![fixtures_dir(carrier)];
    dirs.extend(samples_of(carrier).and_then(|dir| samples_dir(&dir)));
    let mut files = Vec::new();
    for dir in dirs {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with("webhook") || name.contains("push") {
                files.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// The carrier's directory among the shared samples (`dhl_express` keeps its samples in
/// `dhl-express`); `None` for a carrier with none there (Ecom Express).
fn samples_of(carrier: &str) -> Option<String> {
    match conformance::harness(carrier) {
        Some(h) => h.samples.map(str::to_string),
        None => Some(carrier.to_string()),
    }
}

/// Every occurrence of `from` in `body` replaced by `to`: a push's AWB, wherever the
/// carrier repeats it.
fn replaced(body: &[u8], from: &str, to: &str) -> Vec<u8> {
    let (from, to) = (from.as_bytes(), to.as_bytes());
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if !from.is_empty() && body[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    out
}

/// The payload with its AWB replaced (the field each carrier keeps it in).
fn with_awb(carrier: &str, body: &[u8], awb: &str) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(body).unwrap();
    match carrier {
        "delhivery" => value["Shipment"]["AWB"] = json!(awb),
        "shiprocket" => value["awb"] = json!(awb),
        other => panic!("no AWB field known for {other}"),
    }
    serde_json::to_vec_pretty(&value).unwrap()
}

async fn book(app: &TestApp, carrier: &str) -> (String, String) {
    let order_ref = format!("WH-{}", uuid::Uuid::new_v4().simple());
    let spec = carriers::registry()
        .into_iter()
        .find(|s| s.id == carrier)
        .unwrap();
    let r = app
        .post("/v1/shipments", &home_shipment_body(&order_ref, &spec))
        .await;
    assert_eq!(r.status(), 201, "booking with {carrier}");
    let s: Value = r.json().await.unwrap();
    (
        s["id"].as_str().unwrap().to_string(),
        s["awb"].as_str().unwrap().to_string(),
    )
}

async fn push(app: &TestApp, carrier: &str, body: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/v1/carriers/{carrier}/webhooks")))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn accepted(app: &TestApp, carrier: &str, body: Vec<u8>) -> Value {
    let r = push(app, carrier, body).await;
    let status = r.status();
    let answer: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["success"], true);
    answer
}

/// Waits until the processor has taken every stored push (none pending any more).
async fn settle(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let pending = app
            .state
            .store
            .inbox_rows(None, Some(InboxState::Pending), 1)
            .await
            .unwrap();
        if pending.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "pushes still pending after 20 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn shipment(app: &TestApp, id: &str) -> Value {
    let r = app.get(&format!("/v1/shipments/{id}")).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// The carrier's events of a timeline (shipgate's own booked marker left out), as
/// (code, sub-status, event time).
fn scans(shipment: &Value) -> Vec<(String, String, DateTime<Utc>)> {
    shipment["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["carrier_code"] != "shipgate:booked")
        .map(|e| {
            (
                e["carrier_code"].as_str().unwrap().to_string(),
                e["sub_status"].as_str().unwrap().to_string(),
                utc(e["event_time"].as_str().unwrap()),
            )
        })
        .collect()
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// Delhivery's zone-less IST time for a UTC instant.
fn ist(t: DateTime<Utc>) -> String {
    let ist = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
    t.with_timezone(&ist)
        .format("%Y-%m-%dT%H:%M:%S%.3f")
        .to_string()
}

fn delhivery_push(awb: &str, status_type: &str, status: &str, nsl: &str, time: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({"Shipment": {
        "Status": {"Status": status, "StatusDateTime": time, "StatusType": status_type,
                   "StatusLocation": "Bengaluru_Koramangala_D (Karnataka)", "Instructions": status},
        "NSLCode": nsl, "Sortcode": "BLR/KOR", "ReferenceNo": "ref", "AWB": awb
    }}))
    .unwrap()
}

async fn metric(app: &TestApp, series: &str) -> f64 {
    let text = app.metrics().await;
    text.lines()
        .find_map(|l| l.strip_prefix(series))
        .and_then(|rest| rest.trim().parse().ok())
        .unwrap_or(0.0)
}

fn carrier_settings(pairs: &[(&str, &str)]) -> CarrierConfig {
    CarrierConfig {
        settings: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..CarrierConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// every sample and fixture
// ---------------------------------------------------------------------------------------

struct Expected {
    /// (carrier code, sub-status, event time) in event-time order.
    events: Vec<(&'static str, &'static str, &'static str)>,
    /// The shipment's sub-status afterwards.
    sub_status: &'static str,
    ndr_attempts: i64,
}

/// What each push file must produce. A push file without an entry fails the test, so a
/// new sample cannot slip in unasserted.
fn expected(file: &str) -> Option<Expected> {
    let in_transit = |t| ("18", "in_transit", t);
    Some(match file {
        // Delhivery's documented scan push (shared samples).
        "webhook_push_scan_docs_sample.json" => Expected {
            events: vec![("X-UCI", "manifested", "2019-01-09T11:40:42.767Z")],
            sub_status: "manifested",
            ndr_attempts: 0,
        },
        // fixtures/delhivery: a failed delivery attempt.
        "webhook_push_ndr.json" => Expected {
            events: vec![("EOD-11", "customer_unavailable", "2025-11-12T13:35:11.204Z")],
            sub_status: "customer_unavailable",
            ndr_attempts: 1,
        },
        // Shiprocket's documented push (shared samples): the whole scan history.
        "webhook_push_in_transit.json" => Expected {
            events: vec![
                ("5", "manifested", "2023-05-19T06:29:16Z"),
                ("42", "picked_up", "2023-05-19T10:02:17Z"),
                ("6", "in_transit", "2023-05-19T11:10:19Z"),
                ("X-DBL1F", "in_transit", "2023-05-19T11:49:14Z"),
                in_transit("2023-05-20T04:57:56Z"),
                in_transit("2023-05-20T06:53:44Z"),
                in_transit("2023-05-20T08:54:50Z"),
                in_transit("2023-05-20T09:53:38Z"),
                ("X-DWS", "in_transit", "2023-05-20T09:53:38Z"),
                ("X-DBL1F", "in_transit", "2023-05-20T10:31:22Z"),
                in_transit("2023-05-21T04:20:45Z"),
                in_transit("2023-05-22T16:31:12Z"),
                in_transit("2023-05-22T21:25:34Z"),
                in_transit("2023-05-23T02:08:08Z"),
                in_transit("2023-05-23T04:18:27Z"),
                in_transit("2023-05-23T04:44:27Z"),
                in_transit("2023-05-23T06:13:46Z"),
            ],
            sub_status: "in_transit",
            ndr_attempts: 0,
        },
        // fixtures/shiprocket: delivered, with no scans, only the shipment-level status.
        "webhook_push_delivered_no_scans.json" => Expected {
            events: vec![("7", "delivered", "2024-03-07T10:32:45Z")],
            sub_status: "delivered",
            ndr_attempts: 0,
        },
        _ => return None,
    })
}

/// Every push file of every carrier that takes pushes, posted for shipments booked in the
/// sandbox under the push's AWBs: accepted, it becomes the events asserted above (or, for
/// a file without an entry there, exactly what the carrier's replay-tested reader reads
/// from it) on each shipment; refused by the reader, it is a 400. Redeliveries add nothing.
#[tokio::test]
async fn every_push_sample_and_fixture_becomes_the_asserted_events_once() {
    let app = spawn_app().await;
    let mut seen = BTreeSet::new();
    let mut takes_pushes = Vec::new();
    for spec in carriers::registry() {
        let adapter = common::sandbox_adapter(&spec);
        if !adapter.capabilities().webhooks {
            continue;
        }
        let carrier = spec.id;
        takes_pushes.push(carrier);
        for (file, body) in push_files(carrier) {
            let Ok(read) = adapter.parse_webhook(&[], &body) else {
                let r = push(&app, carrier, body).await;
                assert_eq!(r.status(), 400, "{carrier}/{file}: its reader refuses it");
                continue;
            };
            // Each AWB the push names, booked; the push rewritten to the booked AWBs.
            let mut body = body;
            let mut booked = Vec::new();
            for awb in read.iter().map(|u| u.awb.clone()).collect::<BTreeSet<_>>() {
                let (id, new_awb) = book(&app, carrier).await;
                body = replaced(&body, &awb, &new_awb);
                booked.push((id, new_awb));
            }
            let read = adapter.parse_webhook(&[], &body).unwrap();
            let table = expected(&file);
            let want = |awb: &str| match &table {
                Some(want) => want
                    .events
                    .iter()
                    .map(|(c, s, t)| (c.to_string(), s.to_string(), utc(t)))
                    .collect(),
                None => timeline(&read, awb),
            };
            let answer = accepted(&app, carrier, body.clone()).await;
            assert_eq!(answer["status"], "accepted", "{carrier}/{file}");
            settle(&app).await;
            for (id, awb) in &booked {
                let s = shipment(&app, id).await;
                assert_eq!(scans(&s), want(awb), "{carrier}/{file}: {awb}");
                if let Some(want) = &table {
                    assert_eq!(s["sub_status"], want.sub_status, "{carrier}/{file}");
                    assert_eq!(s["ndr_attempts"], want.ndr_attempts, "{carrier}/{file}");
                }
            }

            // The same body again is absorbed by the inbox.
            let again = accepted(&app, carrier, body.clone()).await;
            assert_eq!(again["status"], "duplicate", "{carrier}/{file}");
            // The same push re-encoded (a carrier's retry need not be byte-identical) is
            // stored again, and its events are recognised as known.
            if let Ok(reencoded) = serde_json::from_slice::<Value>(&body) {
                let reencoded = serde_json::to_vec(&reencoded).unwrap();
                let answer = accepted(&app, carrier, reencoded).await;
                assert_eq!(answer["status"], "accepted", "{carrier}/{file}");
                settle(&app).await;
            }
            for (id, awb) in &booked {
                let after = shipment(&app, id).await;
                assert_eq!(scans(&after), want(awb), "{carrier}/{file} redelivered");
            }
            seen.insert(carrier);
        }
    }
    for carrier in takes_pushes {
        assert!(seen.contains(carrier), "{carrier}: no push file was read");
    }
}

/// A shipment's timeline after pushes `read` for `awb`: their scans in event-time order,
/// each once.
fn timeline(
    read: &[carriers::schema::PushedUpdate],
    awb: &str,
) -> Vec<(String, String, DateTime<Utc>)> {
    let mut events: Vec<(String, String, DateTime<Utc>)> = read
        .iter()
        .filter(|u| u.awb == awb)
        .flat_map(|u| &u.events)
        .map(|e| {
            let sub = serde_json::to_value(e.sub_status).unwrap();
            (
                e.carrier_code.clone(),
                sub.as_str().unwrap().to_string(),
                e.event_time,
            )
        })
        .collect();
    events.sort_by_key(|e| e.2);
    events.dedup();
    events
}

// ---------------------------------------------------------------------------------------
// the event store rules
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn delivered_pushed_before_out_for_delivery_stays_delivered() {
    let app = spawn_app().await;
    let (id, awb) = book(&app, "delhivery").await;
    let delivered = delhivery_push(&awb, "DL", "Delivered", "EOD-38", "2025-11-13 14:05:00");
    let out_for_delivery =
        delhivery_push(&awb, "UD", "Dispatched", "X-DDD3FD", "2025-11-13 09:10:00");
    accepted(&app, "delhivery", delivered).await;
    settle(&app).await;
    accepted(&app, "delhivery", out_for_delivery).await;
    settle(&app).await;

    let s = shipment(&app, &id).await;
    assert_eq!(
        (s["status"].as_str(), s["terminal"].as_bool()),
        (Some("delivered"), Some(true))
    );
    let got: Vec<(String, String)> = scans(&s).into_iter().map(|(c, s, _)| (c, s)).collect();
    assert_eq!(
        got,
        [
            ("X-DDD3FD".to_string(), "out_for_delivery".to_string()),
            ("EOD-38".to_string(), "delivered".to_string())
        ]
    );

    // Nothing but the RTO family leaves a terminal state, even with a newer scan.
    accepted(
        &app,
        "delhivery",
        delhivery_push(&awb, "UD", "In Transit", "X-ILL1F", "2025-11-14 08:00:00"),
    )
    .await;
    settle(&app).await;
    assert_eq!(shipment(&app, &id).await["sub_status"], "delivered");
}

/// The store folds events that arrive in order onto the stored status and re-reads the
/// timeline only for late ones; whatever the order and grouping of arrival, the result
/// must be the status of the whole timeline.
#[tokio::test]
async fn any_arrival_order_ends_in_the_status_of_the_whole_timeline() {
    use carriers::schema::TrackingEvent;
    use carriers::taxonomy::{SubStatus, Unified};
    use chrono::TimeZone;

    let app = spawn_app().await;
    let at = |sub: SubStatus, hour: u32, code: &str| {
        TrackingEvent::new(
            Unified::new(sub),
            code,
            code,
            Utc.with_ymd_and_hms(2025, 3, 1, hour, 0, 0).unwrap(),
        )
    };
    let journey = vec![
        at(SubStatus::Manifested, 1, "A"),
        at(SubStatus::PickedUp, 2, "B"),
        at(SubStatus::Unmapped, 3, "C"),
        at(SubStatus::OutForDelivery, 4, "D"),
        at(SubStatus::CustomerUnavailable, 5, "E"),
        at(SubStatus::OutForDelivery, 6, "F"),
        at(SubStatus::Delivered, 7, "G"),
        at(SubStatus::InTransit, 8, "H"),
        at(SubStatus::RtoInitiated, 9, "I"),
        at(SubStatus::RtoInTransit, 10, "J"),
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut random = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for round in 0..12 {
        let (id, _) = book(&app, "delhivery").await;
        // A prefix of the journey, shuffled, delivered in random groups, some twice.
        let mut events = journey[..journey.len() - round % 4].to_vec();
        for i in (1..events.len()).rev() {
            events.swap(i, random(i + 1));
        }
        let mut rest = &events[..];
        while !rest.is_empty() {
            let take = 1 + random(rest.len().min(3));
            let (group, tail) = rest.split_at(take);
            app.state.store.add_events(&id, group).await.unwrap();
            if random(3) == 0 {
                app.state.store.add_events(&id, group).await.unwrap();
            }
            rest = tail;
        }
        let timeline = app.state.store.events(&id).await.unwrap();
        let want = shipgate::store::current_status(&timeline).unwrap();
        let s = shipment(&app, &id).await;
        let order: Vec<&str> = events.iter().map(|e| e.carrier_code.as_str()).collect();
        assert_eq!(
            s["sub_status"],
            want.sub_status.as_str(),
            "arrival order {order:?}"
        );
        let failed = events.iter().filter(|e| e.carrier_code == "E").count();
        assert_eq!(s["ndr_attempts"], failed, "arrival order {order:?}");
        assert_eq!(scans(&s).len(), events.len());
    }
}

#[tokio::test]
async fn failed_attempts_are_counted_once_each() {
    let app = spawn_app().await;
    let (id, awb) = book(&app, "delhivery").await;
    let first = delhivery_push(&awb, "UD", "Pending", "EOD-11", "2025-11-12 19:05:11");
    let second = delhivery_push(&awb, "UD", "Pending", "EOD-16", "2025-11-13 18:40:00");
    for body in [first.clone(), second.clone(), first, second] {
        accepted(&app, "delhivery", body).await;
    }
    settle(&app).await;
    let s = shipment(&app, &id).await;
    assert_eq!(s["ndr_attempts"], 2, "{s}");
    assert_eq!(s["status"], "delivery_failed");
    assert_eq!(scans(&s).len(), 2);
}

#[tokio::test]
async fn a_scan_seen_by_pull_and_by_push_is_one_event() {
    let app = spawn_app().await;
    let (id, awb) = book(&app, "delhivery").await;
    // The sandbox reveals a scan per pull.
    let mut pulled = Value::Null;
    for _ in 0..3 {
        let r = app.get(&format!("/v1/shipments/{id}/tracking")).await;
        assert_eq!(r.status(), 200);
        pulled = r.json().await.unwrap();
    }
    let events: Vec<Value> = pulled["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["carrier_code"] != "shipgate:booked")
        .cloned()
        .collect();
    assert!(!events.is_empty(), "{pulled}");
    let before = events.len();
    // Delhivery pushes the scans it also lists: same code, text, place and time.
    for e in &events {
        let body = serde_json::to_vec(&json!({"Shipment": {
            "Status": {"Status": e["carrier_status"], "StatusType": "UD",
                       "StatusDateTime": ist(utc(e["event_time"].as_str().unwrap())),
                       "StatusLocation": e["location"], "Instructions": "pushed"},
            "NSLCode": e["carrier_code"], "AWB": awb}}))
        .unwrap();
        accepted(&app, "delhivery", body).await;
    }
    settle(&app).await;
    assert_eq!(scans(&shipment(&app, &id).await).len(), before);
}

#[tokio::test]
async fn unmapped_codes_are_kept_counted_and_never_override() {
    let app = spawn_app().await;
    let series = "shipgate_tracking_unmapped_total{carrier=\"delhivery\"}";
    let before = metric(&app, series).await;
    let (id, awb) = book(&app, "delhivery").await;
    accepted(
        &app,
        "delhivery",
        delhivery_push(&awb, "UD", "In Transit", "X-ILL1F", "2025-11-12 10:00:00"),
    )
    .await;
    let odd = delhivery_push(&awb, "ZZ", "Teleported", "Q-999", "2025-11-12 11:00:00");
    accepted(&app, "delhivery", odd.clone()).await;
    settle(&app).await;
    let s = shipment(&app, &id).await;
    assert_eq!(s["sub_status"], "arrived_at_facility", "{s}");
    let last = scans(&s).pop().unwrap();
    assert_eq!((last.0.as_str(), last.1.as_str()), ("Q-999", "unmapped"));
    assert_eq!(metric(&app, series).await, before + 1.0);
    // The same unmapped scan again is not counted again.
    let mut reencoded: Value = serde_json::from_slice(&odd).unwrap();
    reencoded["Shipment"]["Sortcode"] = json!("BLR/NEW");
    accepted(&app, "delhivery", serde_json::to_vec(&reencoded).unwrap()).await;
    settle(&app).await;
    assert_eq!(metric(&app, series).await, before + 1.0);
}

// ---------------------------------------------------------------------------------------
// tolerance and refusals
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn sloppy_real_world_payloads_are_read() {
    let app = spawn_app().await;

    // Delhivery: a numeric AWB, extra fields, no location or instructions, a whole-second
    // time with a space, and two scans batched in one array.
    let (id, awb) = book(&app, "delhivery").await;
    let body = json!([
        {"Shipment": {"AWB": awb.parse::<u64>().unwrap(), "NSLCode": "X-PIOM", "Extra": {"x": [1]},
                      "Status": {"Status": "In Transit", "StatusType": "UD",
                                 "StatusDateTime": "2025-11-10 21:15:02"}}},
        {"Shipment": {"AWB": awb, "NSLCode": "X-DDD3FD",
                      "Status": {"Status": "Dispatched", "StatusType": "UD",
                                 "StatusDateTime": "2025-11-11T08:01:00.5", "StatusLocation": null}}}
    ]);
    accepted(&app, "delhivery", serde_json::to_vec(&body).unwrap()).await;
    settle(&app).await;
    let s = shipment(&app, &id).await;
    let got: Vec<String> = scans(&s).into_iter().map(|e| e.1).collect();
    assert_eq!(got, ["arrived_at_facility", "out_for_delivery"], "{s}");

    // Shiprocket: ids as strings, flags as strings, unknown fields, no scans. (Its AWBs
    // keep leading zeros, so they stay strings.)
    let (id, awb) = book(&app, "shiprocket").await;
    let body = json!({
        "awb": awb, "current_status": "OUT FOR DELIVERY",
        "current_status_id": "17", "shipment_status": "OUT FOR DELIVERY",
        "shipment_status_id": "17", "current_timestamp": "07 03 2024 09:15:00",
        "order_id": id, "sr_order_id": "300000999", "is_return": "0", "new_field": {"a": null}
    });
    accepted(&app, "shiprocket", serde_json::to_vec(&body).unwrap()).await;
    settle(&app).await;
    let s = shipment(&app, &id).await;
    assert_eq!(s["status"], "out_for_delivery", "{s}");
}

#[tokio::test]
async fn unreadable_bodies_are_refused_with_400() {
    let app = spawn_app().await;
    for (carrier, body) in [
        ("delhivery", &b"not json at all"[..]),
        ("delhivery", b""),
        (
            "delhivery",
            br#"{"Shipment": {"Status": {"Status": "Manifested"}}}"#,
        ),
        ("delhivery", br#"[]"#),
        ("shiprocket", br#"{"courier_name": "no awb"}"#),
        ("shiprocket", b"\xff\xfe<xml/>"),
    ] {
        let (status, p) = problem(push(&app, carrier, body.to_vec()).await).await;
        assert_eq!(
            status,
            400,
            "{carrier} {:?}: {p}",
            String::from_utf8_lossy(body)
        );
        assert_eq!(p["code"], "bad_request");
    }
    // Kept for inspection, never processed.
    settle(&app).await;
    let rejected = app
        .state
        .store
        .inbox_rows(None, Some(InboxState::Rejected), 100)
        .await
        .unwrap();
    assert_eq!(rejected.len(), 6);
    assert!(rejected.iter().all(|r| r.error.is_some()));

    // A carrier that does not exist, or does not push.
    let (status, _) = problem(push(&app, "pigeon", b"{}".to_vec()).await).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_push_for_an_unknown_awb_is_kept_and_counted() {
    let app = spawn_app().await;
    let series = "shipgate_webhook_unknown_awb_total{carrier=\"delhivery\"}";
    let before = metric(&app, series).await;
    let body = delhivery_push(
        "99999999999999",
        "UD",
        "In Transit",
        "X-ILL1F",
        "2025-11-12 10:00:00",
    );
    let answer = accepted(&app, "delhivery", body).await;
    assert_eq!(answer["status"], "accepted");
    settle(&app).await;
    let rows = app
        .state
        .store
        .inbox_rows(Some("delhivery"), Some(InboxState::UnknownAwb), 10)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id, answer["id"].as_i64().unwrap());
    assert!(rows[0].error.as_deref().unwrap().contains("99999999999999"));
    assert_eq!(metric(&app, series).await, before + 1.0);
}

/// A push is processed in the transaction that stores it. When processing fails (here a
/// trigger refuses the shipment's events), the push is still stored, raw, and answered;
/// the processor takes it from the table once the database accepts its events.
#[tokio::test]
async fn a_push_whose_processing_fails_is_stored_raw_and_processed_once_it_can_be() {
    let app = spawn_app().await;
    let (id, awb) = book(&app, "delhivery").await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    let (refuse, accept): (Vec<String>, Vec<&str>) = if common::is_postgres() {
        (
            vec![
                format!(
                    "CREATE FUNCTION refuse_events() RETURNS trigger AS $$ BEGIN \
                     IF NEW.shipment_id = '{id}' THEN RAISE EXCEPTION 'refused by the test'; \
                     END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
                ),
                "CREATE TRIGGER refuse_events BEFORE INSERT ON tracking_events \
                 FOR EACH ROW EXECUTE FUNCTION refuse_events()"
                    .to_string(),
            ],
            vec!["DROP TRIGGER refuse_events ON tracking_events"],
        )
    } else {
        (
            vec![format!(
                "CREATE TRIGGER refuse_events BEFORE INSERT ON tracking_events \
                 WHEN NEW.shipment_id = '{id}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )],
            vec!["DROP TRIGGER refuse_events"],
        )
    };
    for sql in &refuse {
        sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .execute(&pool)
            .await
            .unwrap();
    }
    let raw = "shipgate_webhook_pushes_stored_raw_total{carrier=\"delhivery\"}";
    let before = metric(&app, raw).await;

    let body = delhivery_push(&awb, "UD", "In Transit", "X-ILL1F", "2025-11-12 10:00:00");
    let answer = accepted(&app, "delhivery", body).await;
    assert_eq!(answer["status"], "accepted");
    assert_eq!(metric(&app, raw).await, before + 1.0);
    let row = answer["id"].as_i64().unwrap();
    let state = || async {
        let rows = app
            .state
            .store
            .inbox_rows(Some("delhivery"), None, 10)
            .await
            .unwrap();
        rows.iter().find(|r| r.id == row).map(|r| r.state)
    };
    assert_eq!(
        state().await,
        Some(InboxState::Pending),
        "stored raw, not lost"
    );
    assert!(scans(&shipment(&app, &id).await).is_empty());

    for sql in &accept {
        sqlx::query(*sql).execute(&pool).await.unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while scans(&shipment(&app, &id).await).is_empty() {
        assert!(
            Instant::now() < deadline,
            "the raw push was not processed after the database took its events again"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(state().await, Some(InboxState::Processed));
}

// ---------------------------------------------------------------------------------------
// authentication
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn tokens_signatures_and_address_lists_are_enforced() {
    let app = spawn_app_with(|c| {
        c.carriers.insert(
            "delhivery".into(),
            carrier_settings(&[
                ("webhook_token", "dlv-push-secret"),
                ("webhook_hmac_secret", "dlv-hmac-key"),
            ]),
        );
        c.carriers.insert(
            "shiprocket".into(),
            carrier_settings(&[
                ("webhook_token", "sr-token"),
                ("webhook_allowed_ips", "192.0.2.0/24, 2001:db8::/32"),
            ]),
        );
    })
    .await;
    let (id, awb) = book(&app, "delhivery").await;
    let body = delhivery_push(&awb, "UD", "In Transit", "X-ILL1F", "2025-11-12 10:00:00");
    let signature = shipgate::webhooks::auth::sign(b"dlv-hmac-key", &body);
    let send = |token: Option<&str>, sig: Option<&str>, body: Vec<u8>| {
        let mut r = app
            .client
            .post(app.url("/v1/carriers/delhivery/webhooks"))
            .body(body);
        if let Some(t) = token {
            r = r.header("authorization", t);
        }
        if let Some(s) = sig {
            r = r.header("x-webhook-signature", s);
        }
        r.send()
    };

    for (token, sig) in [
        (None, Some(signature.as_str())),
        (Some("Bearer wrong"), Some(signature.as_str())),
        (Some("dlv-push-secret"), None),
        (Some("dlv-push-secret"), Some("00ff")),
        (Some("dlv-push-secret"), Some("not hex or base64!")),
    ] {
        let (status, p) = problem(send(token, sig, body.clone()).await.unwrap()).await;
        assert_eq!(status, 401, "{token:?} {sig:?}: {p}");
        assert_eq!(p["code"], "unauthorized");
    }
    // A signature of another body.
    let (status, _) = problem(
        send(Some("dlv-push-secret"), Some(&signature), b"{}".to_vec())
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401);
    // Right token (bare or with a scheme) and signature.
    let ok = send(
        Some("Bearer dlv-push-secret"),
        Some(&signature),
        body.clone(),
    )
    .await
    .unwrap();
    assert_eq!(ok.status(), 200);
    settle(&app).await;
    assert_eq!(scans(&shipment(&app, &id).await).len(), 1);

    // Shiprocket's token is right, but the test client is not in its allow-list.
    let r = app
        .client
        .post(app.url("/v1/carriers/shiprocket/webhooks"))
        .header("x-api-key", "sr-token")
        .body(r#"{"awb": "1"}"#)
        .send()
        .await
        .unwrap();
    let (status, p) = problem(r).await;
    assert_eq!(status, 403, "{p}");
    assert_eq!(p["code"], "forbidden");
    // Nothing refused was stored.
    let stored = app.state.store.inbox_rows(None, None, 100).await.unwrap();
    assert_eq!(stored.len(), 1);
}

#[tokio::test]
async fn an_alias_keeps_the_carrier_name_out_of_the_url() {
    let app = spawn_app_with(|c| {
        c.carriers.insert(
            "shiprocket".into(),
            carrier_settings(&[
                ("webhook_alias", "aggregator-a"),
                ("webhook_allowed_ips", "127.0.0.1"),
            ]),
        );
    })
    .await;
    let (id, awb) = book(&app, "shiprocket").await;
    let fixture =
        std::fs::read(fixtures_dir("shiprocket").join("webhook_push_delivered_no_scans.json"))
            .unwrap();
    accepted(&app, "aggregator-a", with_awb("shiprocket", &fixture, &awb)).await;
    settle(&app).await;
    assert_eq!(shipment(&app, &id).await["status"], "delivered");
}

#[tokio::test]
async fn live_mode_refuses_pushes_for_carriers_without_authentication() {
    let app = spawn_app_with(|c| {
        c.mode = Mode::Live;
        c.carriers.insert(
            "delhivery".into(),
            carrier_settings(&[("api_token", "t"), ("pickup_location", "WH")]),
        );
        c.carriers.insert(
            "shiprocket".into(),
            carrier_settings(&[
                ("email", "a@example.com"),
                ("password", "p"),
                ("pickup_location", "WH"),
                ("webhook_token", "sr-live-token"),
            ]),
        );
    })
    .await;
    let body = delhivery_push("1", "UD", "In Transit", "X-ILL1F", "2025-11-12 10:00:00");
    for token in [None, Some("anything")] {
        let mut r = app
            .client
            .post(app.url("/v1/carriers/delhivery/webhooks"))
            .body(body.clone());
        if let Some(t) = token {
            r = r.header("authorization", t);
        }
        let (status, p) = problem(r.send().await.unwrap()).await;
        assert_eq!(status, 401, "{p}");
    }
    // A carrier with a token configured takes pushes in live mode.
    let r = app
        .client
        .post(app.url("/v1/carriers/shiprocket/webhooks"))
        .header("x-api-key", "sr-live-token")
        .body(r#"{"awb": "77412300981", "current_status": "DELIVERED", "shipment_status_id": 7, "current_timestamp": "07 03 2024 16:02:45"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

// ---------------------------------------------------------------------------------------
// kill -9 while ingesting
// ---------------------------------------------------------------------------------------

fn start_binary(db: &str) -> Gateway {
    let mut cmd = command(db);
    cmd.env("SHIPGATE_LIMITS__ENABLED", "false");
    start(cmd)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_while_ingesting_loses_no_answered_push() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::database_url(&dir).await;
    let mut gw = start_binary(&db);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    let mut shipments = Vec::new();
    for i in 0..4 {
        let r = client
            .post(format!("{}/v1/shipments", gw.url))
            .bearer_auth(KEY)
            .json(&shipment_body(&format!("KILL-{i}"), "delhivery"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let s: Value = r.json().await.unwrap();
        shipments.push((
            s["id"].as_str().unwrap().to_string(),
            s["awb"].as_str().unwrap().to_string(),
        ));
    }

    // Pushers send distinct scans until the gateway dies; each answered one is recorded.
    let answered: Arc<Mutex<BTreeSet<(String, i64)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let base = NaiveDateTime::parse_from_str("2025-11-01 08:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    let mut pushers = Vec::new();
    for worker in 0..12i64 {
        let (client, url, answered, stop) = (
            client.clone(),
            gw.url.clone(),
            answered.clone(),
            stop.clone(),
        );
        let shipments = shipments.clone();
        pushers.push(tokio::spawn(async move {
            let mut n = 0i64;
            while !stop.load(Ordering::Relaxed) {
                let (_, awb) = &shipments[(n as usize + worker as usize) % shipments.len()];
                let local = base + chrono::Duration::seconds(worker * 1_000_000 + n);
                let time = local.format("%Y-%m-%d %H:%M:%S").to_string();
                let body = delhivery_push(awb, "UD", "In Transit", "X-ILL1F", &time);
                n += 1;
                let sent = client
                    .post(format!("{url}/v1/carriers/delhivery/webhooks"))
                    .body(body)
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status().is_success() => {
                        let utc = local - chrono::Duration::minutes(330);
                        answered
                            .lock()
                            .unwrap()
                            .insert((awb.clone(), utc.and_utc().timestamp_millis()));
                    }
                    Ok(r) => panic!("push refused: {}", r.status()),
                    // The gateway is gone; what was not answered may be lost.
                    Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while answered.lock().unwrap().len() < 400 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // SIGKILL, mid-stream: no graceful shutdown, no flush.
    gw.child.kill().unwrap();
    gw.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for p in pushers {
        p.await.unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(
        answered.len() >= 100,
        "only {} pushes answered",
        answered.len()
    );

    let gw = start_binary(&db);
    let mut expected: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    for (awb, t) in &answered {
        expected.entry(awb.clone()).or_default().insert(*t);
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut missing = 0;
        for (id, awb) in &shipments {
            let s: Value = client
                .get(format!("{}/v1/shipments/{id}", gw.url))
                .bearer_auth(KEY)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let stored: BTreeSet<i64> = scans(&s)
                .into_iter()
                .map(|(_, _, t)| t.timestamp_millis())
                .collect();
            missing += expected
                .get(awb)
                .map_or(0, |want| want.difference(&stored).count());
        }
        if missing == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{missing} of {} answered pushes are not stored as events after restart",
            answered.len()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// FedEx signs its tracking webhooks with HMAC-SHA256 of the body, base64, in
/// `fdx-signature`: with only the secret configured, that header is the one checked.
#[tokio::test]
async fn a_fedex_push_is_checked_by_its_own_signature_header() {
    use base64::Engine;
    use hmac::{KeyInit, Mac};
    let app = spawn_app_with(|c| {
        c.carriers.insert(
            "fedex".into(),
            carrier_settings(&[("webhook_hmac_secret", "fedex-security-token")]),
        );
    })
    .await;
    let body = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/fedex/webhook_push_track_result.json"),
    )
    .unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"fedex-security-token").unwrap();
    mac.update(&body);
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let send = |header: &'static str, value: String| {
        app.client
            .post(app.url("/v1/carriers/fedex/webhooks"))
            .header(header, value)
            .body(body.clone())
            .send()
    };
    let (status, _) = problem(
        send("x-webhook-signature", signature.clone())
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401, "the generic header is not FedEx's");
    let (status, _) = problem(send("fdx-signature", "AAAA".into()).await.unwrap()).await;
    assert_eq!(status, 401);
    let ok = send("fdx-signature", signature).await.unwrap();
    assert_eq!(ok.status(), 200, "{}", ok.text().await.unwrap());
}
