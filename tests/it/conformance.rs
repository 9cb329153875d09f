//! The conformance suite: what every carrier in `carriers::registry()` must do, checked
//! for each one, so a new carrier gets these tests by being registered.
//!
//! - its answer readers are listed in a `conformance` harness, each with a fuzz target,
//!   and none panics on any of its fixtures cut at any byte, and every status code in its
//!   fixtures and public samples is mapped (`conformance/tests/readers.rs`: they need no
//!   gateway, so they run once, not again on PostgreSQL);
//! - its capabilities say what it implements (families, pushes, serviceability, its own
//!   labels);
//! - a round trip on its simulator through the gateway's HTTP API and real executor:
//!   rates → create → label → track → cancel;
//! - a booking whose answer is lost at any of its calls is found by `lookup` and never
//!   booked twice;
//! - the secrets its requests mark never reach a log, at any level.
//!
//! What is specific to one carrier (its wire quirks, its codes' meanings) stays in its
//! replay tests (`carriers/tests/<carrier>_replay.rs`).

use crate::common;

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use carriers::carrier::{Capabilities, CarrierSpec, Operation, Transport};
use carriers::families::Family;
use carriers::schema::{LabelFormat, Lane, ShipmentKind, ShipmentRef};
use carriers::wire::{HttpRequest, HttpResponse};
use carriers::{Carrier, CarrierError};
use common::{
    export_lane, home_lane, home_shipment_body, shipment_body_between, spawn_app, spawn_app_with,
};
use serde_json::{Value, json};
use shipgate::breaker::Breaker;
use shipgate::config::CarrierConfig;
use shipgate::executor::{Account, Executor};

fn adapter(spec: &CarrierSpec) -> Box<dyn Carrier> {
    common::sandbox_adapter(spec)
}

// ---------------------------------------------------------------------------------------
// Capabilities
// ---------------------------------------------------------------------------------------

/// A transport that sends nothing, counting what it was asked to send.
#[derive(Default)]
struct Refusing(Mutex<usize>);

#[async_trait]
impl Transport for Refusing {
    async fn send(&self, _: Operation, _: HttpRequest) -> Result<HttpResponse, CarrierError> {
        *self.0.lock().unwrap() += 1;
        Err(CarrierError::NotSent("conformance probe".into()))
    }
}

fn unsupported<T>(result: &Result<T, CarrierError>) -> bool {
    matches!(result, Err(CarrierError::Unsupported(_)))
}

/// Capabilities are read from what an adapter implements: the families it returns, and
/// the optional operations whose trait defaults answer "unsupported".
#[tokio::test]
async fn capabilities_say_what_each_adapter_implements() {
    for spec in carriers::registry() {
        let carrier = adapter(&spec);
        // As the gateway publishes them (`GET /v1/carriers`).
        let caps = carriers::Capabilities::of(&*carrier);
        assert_eq!(caps.families, Family::of(&*carrier), "{}", spec.id);

        let pushes = carrier.parse_webhook(&[], b"{}");
        assert_eq!(
            caps.webhooks,
            !unsupported(&pushes),
            "{}: webhooks",
            spec.id
        );

        let probe = Refusing::default();
        let lane = Lane {
            pickup_pincode: "110020".into(),
            delivery_pincode: "560001".into(),
            cod: false,
            kind: ShipmentKind::Forward,
        };
        let answer = carrier.serviceability(&probe, &lane).await;
        assert_eq!(
            caps.serviceability,
            !unsupported(&answer) || *probe.0.lock().unwrap() > 0,
            "{}: serviceability",
            spec.id
        );

        let probe = Refusing::default();
        let shipment = ShipmentRef {
            shipment_id: "sg_probe".into(),
            order_ref: "ORD-PROBE".into(),
            awb: Some("PROBE1".into()),
            carrier_refs: Default::default(),
        };
        let label = carrier.label(&probe, &shipment, LabelFormat::Pdf).await;
        assert_eq!(
            !caps.native_label_formats.is_empty(),
            !unsupported(&label) || *probe.0.lock().unwrap() > 0,
            "{}: a carrier with its own label formats fetches its labels",
            spec.id
        );
    }
}

// ---------------------------------------------------------------------------------------
// Through the gateway
// ---------------------------------------------------------------------------------------

/// The rate request for a booking's parcel and lane, asking `carrier` alone.
fn rate_request(mut booking: Value, carrier: &str) -> Value {
    let object = booking.as_object_mut().unwrap();
    object.remove("order_ref");
    object.remove("carrier");
    booking["carriers"] = json!([carrier]);
    booking
}

/// The rate request for the carrier's home lane, asking it alone.
fn rate_body(spec: &CarrierSpec) -> Value {
    rate_request(home_shipment_body("unused", spec), spec.id)
}

async fn json_of(response: reqwest::Response, expected: u16, what: &str) -> Value {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert_eq!(status, expected, "{what}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"))
}

/// Rates → create → label → track → cancel on each carrier's simulator, through the
/// public API, the real executor and real HTTP: the README's walk-through, for every
/// carrier.
#[tokio::test]
async fn round_trip_on_each_simulator_through_the_gateway() {
    for spec in carriers::registry() {
        round_trip(&spec).await;
    }
}

/// A rate card under the account of `spec`'s carrier, which publishes no rate API: its
/// quotes come as the carrier's and book the first service it lists.
async fn put_rate_card(app: &common::TestApp, spec: &CarrierSpec, caps: &Capabilities) {
    let service = caps.services.first().unwrap_or_else(|| {
        panic!(
            "{} has no rate API and lists no `services` for a rate card to price",
            spec.id
        )
    });
    let name = format!("{} contract", spec.name);
    common::put_rate_card(app, spec.id, &name, Some(service)).await;
}

async fn round_trip(spec: &CarrierSpec) {
    let id = spec.id;
    let app = spawn_app().await;
    let listed = json_of(app.get("/v1/carriers").await, 200, "carriers").await;
    let entry = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in GET /v1/carriers: {listed}"));
    let families: Vec<&str> = Family::of(&*adapter(spec))
        .into_iter()
        .map(<&str>::from)
        .collect();
    assert_eq!(entry["families"], json!(families), "{id}");
    // Each family the gateway has routes for has its round trip below; a carrier offering
    // another is a gap to close first.
    let with_round_trip = [
        "ndr_actions",
        "returns",
        "pickups",
        "manifests",
        "documents",
        "address_validation",
    ];
    let without_round_trip: Vec<&&str> = families
        .iter()
        .filter(|f| !with_round_trip.contains(*f))
        .collect();
    assert!(
        without_round_trip.is_empty(),
        "{id} offers {without_round_trip:?}: add their round trips to the conformance suite"
    );

    // Rates from just this carrier: its rate API, or for a carrier without one the
    // tenant's rate card under its account, pricing the first service it books.
    let caps = adapter(spec).capabilities();
    if !caps.rates {
        put_rate_card(&app, spec, &caps).await;
    }
    let rates = json_of(app.post("/v1/rates", &rate_body(spec)).await, 200, id).await;
    let quotes = rates["quotes"].as_array().unwrap();
    assert!(!quotes.is_empty(), "{id} quoted nothing: {rates}");
    for q in quotes {
        assert_eq!(q["carrier"], id);
        assert!(q["total"]["amount"].as_i64().unwrap() > 0, "{q}");
        let currency = q["total"]["currency"].as_str().unwrap_or_default();
        assert!(carriers::schema::Currency::parse(currency).is_some(), "{q}");
    }

    // Book with the quoted service.
    let mut body = home_shipment_body(&format!("ORD-CONF-{id}"), spec);
    body["service"] = quotes[0]["service"].clone();
    let r = app.post("/v1/shipments", &body).await;
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let created = json_of(r, 201, id).await;
    let shipment = created["id"].as_str().unwrap();
    assert_eq!(location, format!("/v1/shipments/{shipment}"));
    let awb = created["awb"].as_str().unwrap_or_default().to_string();
    assert!(!awb.is_empty(), "{created}");
    assert_eq!(
        (
            &created["status"],
            &created["sub_status"],
            &created["booking_state"]
        ),
        (
            &json!("pre_transit"),
            &json!("label_created"),
            &json!("confirmed")
        ),
        "{id}: {created}"
    );
    let phone = created["to"]["phone"].as_str().unwrap_or_default();
    assert!(
        phone.starts_with('+'),
        "{id}: the buyer's phone in E.164: {created}"
    );
    assert_eq!(app.bookings(id), 1, "{id}");
    let got = json_of(app.get(&location).await, 200, id).await;
    assert_eq!(got["awb"], awb.as_str());
    assert_eq!(got["events"].as_array().unwrap().len(), 1, "{got}");

    // The PDF label opens and carries the AWB; ZPL where asked; other formats refused.
    let label = app.get(&format!("{location}/label")).await;
    assert_eq!(label.status(), 200, "{id} label");
    assert_eq!(label.headers()["content-type"], "application/pdf");
    let pdf = label.bytes().await.unwrap();
    let doc = lopdf::Document::load_mem(&pdf).expect("the label is a readable PDF");
    let text = doc.extract_text(&[1]).unwrap_or_default();
    assert!(
        text.contains(&awb) || String::from_utf8_lossy(&pdf).contains(&awb),
        "{id}: AWB {awb} not in the label"
    );
    // ZPL: the carrier's, fetched, or drawn by shipgate; never drawn for a carrier whose
    // labels only it can make and that did not make this one in ZPL.
    let zpl = app.get(&format!("{location}/label?format=zpl")).await;
    if caps.own_labels_only && !caps.native_label_formats.contains(&LabelFormat::Zpl) {
        let (status, problem) = common::problem(zpl).await;
        assert_eq!(
            (status, &problem["code"]),
            (409, &json!("label_format_unavailable"))
        );
    } else {
        assert_eq!(zpl.status(), 200);
        assert_eq!(zpl.headers()["content-type"], "application/zpl");
        let zpl = zpl.text().await.unwrap();
        assert!(zpl.starts_with("^XA") && zpl.trim_end().ends_with("^XZ") && zpl.contains(&awb));
    }
    let png = app.get(&format!("{location}/label?format=png")).await;
    assert_eq!(common::problem(png).await.0, 400);

    // Tracking refreshes from the carrier and moves forward, in event-time order.
    let track = || async { json_of(app.get(&format!("{location}/tracking")).await, 200, id).await };
    let (first, second) = (track().await, track().await);
    let n1 = first["events"].as_array().unwrap().len();
    let events = second["events"].as_array().unwrap();
    assert!(
        events.len() > n1 && n1 >= 1,
        "{id}: tracking did not move forward: {n1} then {}",
        events.len()
    );
    assert_ne!(second["status"], "unknown", "{id}: {second}");
    let times: Vec<chrono::DateTime<chrono::Utc>> = events
        .iter()
        .map(|e| {
            let t = e["event_time"].as_str().unwrap();
            assert!(t.ends_with('Z'), "{t} is not UTC");
            t.parse().unwrap()
        })
        .collect();
    assert!(times.is_sorted(), "{id}: timeline out of order: {times:?}");
    for e in events {
        assert_ne!(e["sub_status"], "unmapped", "{id}: {e}");
        assert!(e["carrier_code"].as_str().is_some(), "{e}");
    }

    // Cancel, and cancelling again is harmless.
    let cancel = || async {
        let r = app.post(&format!("{location}/cancel"), &json!({})).await;
        json_of(r, 200, id).await
    };
    let cancelled = cancel().await;
    assert_eq!(
        (&cancelled["status"], &cancelled["terminal"]),
        (&json!("cancelled"), &json!(true)),
        "{id}: {cancelled}"
    );
    assert_eq!(cancel().await["status"], "cancelled");
    assert_eq!(app.bookings(id), 1, "{id}");

    let delivered = delivered_round_trip(&app, spec).await;
    lanes_round_trip(&app, spec).await;
    if families.contains(&"documents") {
        documents_round_trip(&app, spec, &delivered).await;
    }
    if families.contains(&"address_validation") {
        address_validation_round_trip(&app, spec).await;
    }
    if families.contains(&"ndr_actions") {
        ndr_round_trip(&app, spec).await;
    }
    if families.contains(&"returns") {
        returns_round_trip(&app, spec).await;
    }
    if families.contains(&"pickups") {
        pickups_round_trip(&app, spec).await;
    }
    if families.contains(&"manifests") {
        manifests_round_trip(&app, spec).await;
    }
}

/// Tracks `location` until its `field` (`status` or `sub_status`) is `value`; the
/// sub-statuses seen on the way.
async fn track_until(
    app: &common::TestApp,
    id: &str,
    location: &str,
    field: &str,
    value: &str,
) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..40 {
        let t = json_of(app.get(&format!("{location}/tracking")).await, 200, id).await;
        seen.push(t["sub_status"].as_str().unwrap_or_default().to_string());
        if t[field] == value {
            return seen;
        }
    }
    panic!("{id}: {location} never {field} {value}: {seen:?}");
}

/// A fresh booking tracked through the simulator's whole journey to `delivered`, every
/// scan mapped; the shipment's path.
async fn delivered_round_trip(app: &common::TestApp, spec: &CarrierSpec) -> String {
    let id = spec.id;
    let body = home_shipment_body(&format!("ORD-DLV-{id}"), spec);
    let created = json_of(app.post("/v1/shipments", &body).await, 201, id).await;
    let location = format!("/v1/shipments/{}", created["id"].as_str().unwrap());
    let seen = track_until(app, id, &location, "status", "delivered").await;
    assert!(
        !seen.iter().any(|s| s == "unmapped" || s.starts_with("rto")),
        "{id}: {seen:?}"
    );
    let shipment = json_of(app.get(&location).await, 200, id).await;
    assert!(shipment["terminal"] == true, "{id}: {shipment}");
    location
}

/// What the carrier declares of its lanes holds at the API: a lane it does not serve is
/// `not_serviceable` in the rate answer (never a carrier call that fails), and a carrier
/// that ships across borders quotes and books a parcel with its customs content, whose
/// label opens and whose documents (its commercial invoice, where it makes one) are PDFs.
async fn lanes_round_trip(app: &common::TestApp, spec: &CarrierSpec) {
    let id = spec.id;
    let international = adapter(spec).capabilities().international;
    let (from, to) = export_lane(spec);
    let unserved = if !international {
        Some((from, to))
    } else {
        ["US", "IN"]
            .into_iter()
            .find(|c| !spec.domestic.contains(c))
            .map(|c| (c, c))
    };
    if let Some((from, to)) = unserved {
        let body = rate_request(shipment_body_between("unused", id, from, to), id);
        let rates = json_of(app.post("/v1/rates", &body).await, 200, id).await;
        let error = rates["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["carrier"] == id)
            .unwrap_or_else(|| panic!("{id}: {from}→{to} gave no error: {rates}"));
        assert_eq!(
            error["code"], "not_serviceable",
            "{id}: {from}→{to}: {error}"
        );
        assert!(rates["quotes"].as_array().unwrap().is_empty(), "{rates}");
    }
    if !international {
        return;
    }
    let mut body = shipment_body_between(&format!("ORD-INTL-{id}"), id, from, to);
    let rate = rate_request(body.clone(), id);
    let rates = json_of(app.post("/v1/rates", &rate).await, 200, id).await;
    let quotes = rates["quotes"].as_array().unwrap();
    assert!(
        !quotes.is_empty(),
        "{id} quoted nothing {from}→{to}: {rates}"
    );
    body["service"] = quotes[0]["service"].clone();
    let created = json_of(app.post("/v1/shipments", &body).await, 201, id).await;
    let location = format!("/v1/shipments/{}", created["id"].as_str().unwrap());
    assert_eq!(
        created["customs"]["items"][0]["hs_code"], "621142",
        "{created}"
    );
    let label = app.get(&format!("{location}/label")).await;
    assert_eq!(label.status(), 200, "{id}: export label");
    assert!(label.bytes().await.unwrap().starts_with(b"%PDF"));
    let listed = json_of(app.get(&format!("{location}/documents")).await, 200, id).await;
    for doc in listed["data"].as_array().unwrap() {
        if doc["stored"] == true {
            let r = app.get(doc["href"].as_str().unwrap()).await;
            assert_eq!(r.status(), 200, "{id}: {doc}");
            let pdf = r.bytes().await.unwrap();
            lopdf::Document::load_mem(&pdf).expect("a carrier document is a readable PDF");
        }
    }
}

/// Each kind of document the carrier produces on request, for a delivered shipment: a
/// PDF the second time served from storage (the carrier is asked once).
async fn documents_round_trip(app: &common::TestApp, spec: &CarrierSpec, delivered: &str) {
    let id = spec.id;
    let adapter = adapter(spec);
    let kinds = adapter
        .documents()
        .expect("the carrier offers documents")
        .kinds();
    assert!(
        !kinds.is_empty(),
        "{id}: a documents family producing nothing"
    );
    let listed = json_of(app.get(&format!("{delivered}/documents")).await, 200, id).await;
    for kind in kinds {
        let entry = listed["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == kind.as_str())
            .cloned()
            .unwrap_or_else(|| panic!("{id}: {} not listed: {listed}", kind.as_str()));
        let href = entry["href"].as_str().unwrap();
        for _ in 0..2 {
            let r = app.get(href).await;
            assert_eq!(r.status(), 200, "{id}: {}", kind.as_str());
            let content_type = r.headers()["content-type"].to_str().unwrap().to_string();
            let content = r.bytes().await.unwrap();
            // As the carrier produced it: a PDF, or UPS's HTML proof-of-delivery letter.
            if content_type.starts_with("text/html") {
                let text = String::from_utf8_lossy(&content).to_ascii_lowercase();
                assert!(text.contains("<html"), "{id}: {}", kind.as_str());
            } else {
                lopdf::Document::load_mem(&content).expect("a carrier document is a readable PDF");
            }
        }
        let again = json_of(app.get(&format!("{delivered}/documents")).await, 200, id).await;
        assert!(
            again["data"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["kind"] == kind.as_str() && d["stored"] == true),
            "{id}: {again}"
        );
    }
    let unknown = app.get(&format!("{delivered}/documents/passport")).await;
    assert_eq!(common::problem(unknown).await.0, 404);
}

/// The carrier's opinion of the home lane's buyer address through the API, and an
/// invalid address refused at its pointer before the carrier is asked.
async fn address_validation_round_trip(app: &common::TestApp, spec: &CarrierSpec) {
    let id = spec.id;
    let (_, to) = home_lane(spec);
    let address = common::people_in(to).1;
    let body = json!({"carrier_account": id, "address": address});
    let verdict = json_of(app.post("/v1/addresses/validate", &body).await, 200, id).await;
    assert_eq!(verdict["carrier"], id);
    assert_eq!(verdict["deliverable"], true, "{id}: {verdict}");
    assert!(
        ["residential", "commercial", "mixed", "unknown"]
            .contains(&verdict["classification"].as_str().unwrap_or_default()),
        "{verdict}"
    );
    let mut bad = address.clone();
    bad["postal_code"] = json!("");
    let r = app
        .post(
            "/v1/addresses/validate",
            &json!({"carrier_account": id, "address": bad}),
        )
        .await;
    let (status, problem) = common::problem(r).await;
    assert_eq!(status, 422);
    assert_eq!(
        problem["errors"][0]["pointer"], "/address/postal_code",
        "{problem}"
    );
}

/// A delivered shipment's return booked through the API: a shipment of kind `reverse`
/// linked to it, whose label opens and whose tracking, mapped by the carrier's mapping
/// file, shows it picked up and delivered back; a quality check only where offered.
async fn returns_round_trip(app: &common::TestApp, spec: &CarrierSpec) {
    let id = spec.id;
    let offers_qc = adapter(spec)
        .returns()
        .expect("the carrier offers returns")
        .offers_qc();
    let mut body = home_shipment_body(&format!("ORD-RET-{id}"), spec);
    body["to"]["email"] = json!("buyer@example.com");
    let created = json_of(app.post("/v1/shipments", &body).await, 201, id).await;
    let forward = format!("/v1/shipments/{}", created["id"].as_str().unwrap());
    track_until(app, id, &forward, "sub_status", "delivered").await;
    let qc = json!({"reason": "damaged", "qc": {"product_name": "Cotton kurta"}});
    let r = app
        .post_keyed(&format!("{forward}/returns"), &format!("qc-{id}"), &qc)
        .await;
    if offers_qc {
        let ret = json_of(r, 201, id).await;
        assert_eq!(ret["return"]["qc"]["product_name"], "Cotton kurta", "{id}");
        let location = format!("/v1/shipments/{}", ret["id"].as_str().unwrap());
        app.post(&format!("{location}/cancel"), &json!({})).await;
        track_until(app, id, &location, "sub_status", "cancelled").await;
    } else {
        assert_eq!(r.status(), 422, "{id}: a QC check it does not offer");
    }
    let r = app
        .post_keyed(
            &format!("{forward}/returns"),
            &format!("ret-{id}"),
            &json!({"reason": "damaged"}),
        )
        .await;
    let ret = json_of(r, 201, id).await;
    assert_eq!(
        (ret["kind"].as_str(), ret["forward_shipment_id"].as_str()),
        (Some("reverse"), created["id"].as_str()),
        "{id}: {ret}"
    );
    let location = format!("/v1/shipments/{}", ret["id"].as_str().unwrap());
    let label = app.get(&format!("{location}/label")).await;
    assert_eq!(label.status(), 200, "{id}: return label");
    assert!(label.bytes().await.unwrap().starts_with(b"%PDF"));
    let seen = track_until(app, id, &location, "sub_status", "delivered").await;
    assert!(seen.iter().any(|s| s == "picked_up"), "{id}: {seen:?}");
    assert!(
        !seen.iter().any(|s| s == "unmapped" || s.starts_with("rto")),
        "{id}: {seen:?}"
    );
}

/// A fresh booking manifested: the carrier's manifest is made, and the handover sheet
/// lists the AWB.
async fn manifests_round_trip(app: &common::TestApp, spec: &CarrierSpec) {
    let id = spec.id;
    let locations = json_of(app.get("/v1/pickup-locations").await, 200, id).await;
    let location = locations["data"][0]["id"].clone();
    let created = json_of(
        app.post(
            "/v1/shipments",
            &home_shipment_body(&format!("ORD-CONF-MF-{id}"), spec),
        )
        .await,
        201,
        id,
    )
    .await;
    let request =
        json!({"pickup_location": location, "carrier_account": id, "shipments": [created["id"]]});
    let manifest = json_of(
        app.post_keyed("/v1/manifests", "conf-mf", &request).await,
        201,
        id,
    )
    .await;
    assert_eq!(manifest["carrier_state"], "created", "{id}: {manifest}");
    let r = app
        .get(&format!(
            "/v1/manifests/{}/document",
            manifest["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(r.status(), 200);
    let pdf = r.bytes().await.unwrap();
    let doc = lopdf::Document::load_mem(&pdf).expect("the handover sheet is a readable PDF");
    let text = doc.extract_text(&[1]).unwrap_or_default();
    assert!(
        text.contains(created["awb"].as_str().unwrap()),
        "{id}: {text}"
    );
}

/// A pickup location registered with the carrier, a pickup scheduled there for a fresh
/// booking, and the simulator's scans picking it up settle the pickup `completed`.
async fn pickups_round_trip(app: &common::TestApp, spec: &CarrierSpec) {
    let id = spec.id;
    let mut from = home_shipment_body("x", spec)["from"].clone();
    from["email"] = json!("ops@example.com");
    let r = app
        .post_keyed(
            "/v1/pickup-locations",
            "conf-loc",
            &json!({"name": "Conformance WH", "address": from}),
        )
        .await;
    let location = json_of(r, 201, id).await;
    let registration = location["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["account"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id}: not registered: {location}"));
    assert_eq!(registration["state"], "registered", "{id}: {registration}");
    let body = home_shipment_body(&format!("ORD-CONF-PU-{id}"), spec);
    let created = json_of(app.post("/v1/shipments", &body).await, 201, id).await;
    let shipment = created["id"].as_str().unwrap();
    let date = (chrono::Utc::now() + chrono::Duration::hours(5) + chrono::Duration::minutes(30))
        .date_naive()
        .succ_opt()
        .unwrap()
        .to_string();
    let request = json!({"pickup_location": location["id"], "carrier_account": id, "date": date, "shipments": [shipment]});
    let pickup = json_of(
        app.post_keyed("/v1/pickups", "conf-pu", &request).await,
        201,
        id,
    )
    .await;
    assert_eq!(pickup["state"], "scheduled", "{id}: {pickup}");
    let path = format!("/v1/pickups/{}", pickup["id"].as_str().unwrap());
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let _ = app.get(&format!("/v1/shipments/{shipment}/tracking")).await;
        let now = json_of(app.get(&path).await, 200, id).await;
        if now["state"] == "completed" {
            assert_eq!(now["shipments"][0]["outcome"], "picked_up", "{id}: {now}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{id}: pickup never completed: {now}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A failed delivery attempt acted on through the API: each instruction the carrier takes
/// is accepted, and after a re-attempt (every carrier with NDR actions takes one) the
/// simulator's next scans deliver the parcel.
async fn ndr_round_trip(app: &common::TestApp, spec: &CarrierSpec) {
    let id = spec.id;
    let adapter = adapter(spec);
    let family = adapter
        .ndr_actions()
        .expect("the carrier offers NDR actions");
    assert!(
        family.offers(carriers::families::NdrActionKind::Reattempt),
        "{id}: an NDR family without a re-attempt"
    );
    let mut body = home_shipment_body(&format!("ORD-NDR-{id}"), spec);
    // The simulators' failed-attempt detour: a destination postal code ending in 99.
    let postal = body["to"]["postal_code"].as_str().unwrap().to_string();
    body["to"]["postal_code"] = json!(format!("{}99", &postal[..postal.len() - 2]));
    let created = json_of(app.post("/v1/shipments", &body).await, 201, id).await;
    let location = format!("/v1/shipments/{}", created["id"].as_str().unwrap());
    track_until(app, id, &location, "status", "delivery_failed").await;
    let acted = app
        .post_keyed(
            &format!("{location}/ndr-actions"),
            &format!("ndr-{id}"),
            &json!({"action": "reattempt"}),
        )
        .await;
    let action = json_of(acted, 201, id).await;
    assert_eq!(action["state"], "accepted", "{id}: {action}");
    track_until(app, id, &location, "status", "delivered").await;
}

/// Whether the carrier can find a booking by shipgate's id: a carrier that cannot answers
/// `CarrierError::Unsupported` from `lookup` without a call.
fn has_lookup(spec: &CarrierSpec) -> bool {
    let refusing = Refusing::default();
    let probe = ShipmentRef {
        shipment_id: "sg_probe".into(),
        order_ref: "ORD-PROBE".into(),
        awb: None,
        carrier_refs: Default::default(),
    };
    let answer = futures::executor::block_on(adapter(spec).lookup(&refusing, &probe));
    let unsupported = matches!(answer, Err(CarrierError::Unsupported(_)));
    assert!(
        !unsupported || *refusing.0.lock().unwrap() == 0,
        "{}: a lookup answering Unsupported makes no call",
        spec.id
    );
    !unsupported
}

/// The answer to each call of a booking in turn (login, order, AWB, label: whatever the
/// carrier takes) arrives after the gateway gave up, although the carrier acted. A retry
/// of the same order settles it with one booking at the carrier, never two. A carrier
/// with no lookup leaves it `pending_confirmation` for an operator, who resolves it
/// through the API; it is never booked again on its own.
#[tokio::test]
async fn a_booking_whose_answer_is_lost_at_any_call_is_found_not_rebooked() {
    for spec in carriers::registry() {
        let id = spec.id;
        let lookup = has_lookup(&spec);
        let mut calls = 0;
        let mut resolved_by_hand = 0;
        for k in 0..16 {
            // A fresh gateway each time, so the k-th call is the same one whatever the
            // adapter caches (a token, a payment authorization): every call is lost once.
            let app = spawn_app_with(|c| {
                c.carriers.insert(
                    id.into(),
                    CarrierConfig {
                        timeout_ms: Some(300),
                        breaker_threshold: Some(1_000),
                        ..Default::default()
                    },
                );
            })
            .await;
            app.arm_fault(id, json!({"after": k, "delay_ms": 1_200}))
                .await;
            let body = home_shipment_body(&format!("ORD-LOST-{id}-{k}"), &spec);
            let first = app.post("/v1/shipments", &body).await;
            let first_status = first.status().as_u16();
            if app.faults_waiting(id).await == 1 {
                // The booking took fewer than k + 1 calls: every call has been lost once.
                assert_eq!(first_status, 201, "{id}: a clean booking");
                calls = k;
                break;
            }
            let mut retry = app.post("/v1/shipments", &body).await;
            // Without a lookup, a booking that may have happened waits for an operator;
            // a lost answer the carrier cannot have acted on (a login) is booked again.
            if !lookup && retry.status() == 202 {
                let pending = json_of(retry, 202, id).await;
                assert_eq!(
                    pending["booking_state"], "pending_confirmation",
                    "{pending}"
                );
                let resolve = format!("/v1/shipments/{}/resolve", pending["id"].as_str().unwrap());
                let answer = json!({"outcome": "booked", "awb": format!("OPS{k}")});
                let resolved = json_of(app.post(&resolve, &answer).await, 200, id).await;
                assert_eq!(resolved["booking_state"], "confirmed", "{resolved}");
                assert_eq!(
                    common::problem(app.post(&resolve, &answer).await).await.0,
                    409
                );
                retry = app.post("/v1/shipments", &body).await;
                resolved_by_hand += 1;
            }
            let status = retry.status().as_u16();
            let settled = json_of(retry, if status == 200 { 200 } else { 201 }, id).await;
            assert_eq!(
                settled["booking_state"], "confirmed",
                "{id}, answer {k} lost (first answer {first_status}): {settled}"
            );
            assert!(
                !settled["awb"].as_str().unwrap_or_default().is_empty(),
                "{settled}"
            );
            assert_eq!(
                app.bookings(id),
                1,
                "{id}: answer {k} lost, then retried: one booking per order"
            );
        }
        assert!(calls > 0, "{id}: the booking never ran out of calls");
        assert!(
            lookup || resolved_by_hand > 0,
            "{id}: without a lookup, no lost answer ever waited for an operator"
        );
        eprintln!("{id}: lost the answer to each of {calls} booking calls in turn");
    }
}

// ---------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------

/// Everything logged in this process, at every level.
fn captured() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = log.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Sink(sink.clone()))
            .init();
        log
    })
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Sends through the real executor, keeping every secret the requests mark.
struct Recording<'a> {
    inner: &'a dyn Transport,
    secrets: Mutex<BTreeSet<String>>,
}

#[async_trait]
impl Transport for Recording<'_> {
    async fn send(
        &self,
        op: Operation,
        request: HttpRequest,
    ) -> Result<HttpResponse, CarrierError> {
        self.secrets
            .lock()
            .unwrap()
            .extend(request.secrets().iter().cloned());
        self.inner.send(op, request).await
    }
}

/// Every operation of each adapter through the real executor (which logs each request
/// with its headers at debug) against the simulator, and everything logged at trace:
/// not one value a request marked secret appears.
#[tokio::test]
async fn secrets_marked_by_requests_never_reach_the_log() {
    let log = captured();
    let app = spawn_app().await;
    let executor = Executor::new().unwrap();
    for spec in carriers::registry() {
        let id = spec.id;
        let base = url::Url::parse(&app.url(&format!("/sandbox/{id}"))).unwrap();
        let transport = executor.transport(
            Account { carrier: id, id },
            base,
            Duration::from_secs(10),
            None,
            shipgate::executor::MAX_IN_FLIGHT,
            Breaker::new(1_000, Duration::from_secs(1)),
        );
        let recording = Recording {
            inner: &transport,
            secrets: Mutex::default(),
        };
        let carrier = adapter(&spec);
        let body = home_shipment_body(&format!("ORD-SECRET-{id}"), &spec);
        let request = carriers::schema::ShipmentRequest::parse(
            &serde_json::from_value(body.clone()).unwrap(),
        )
        .unwrap();
        let rate = carriers::schema::RateRequest::parse(
            &serde_json::from_value(rate_body(&spec)).unwrap(),
        )
        .unwrap();
        if carrier.capabilities().rates {
            carrier.rates(&recording, &rate).await.unwrap();
        }
        let created = carrier
            .create_shipment(&recording, "sg_conformance_secret", &request)
            .await
            .unwrap();
        let shipment = ShipmentRef {
            shipment_id: "sg_conformance_secret".into(),
            order_ref: format!("ORD-SECRET-{id}"),
            awb: Some(created.awb.clone()),
            carrier_refs: created.carrier_refs.clone(),
        };
        carrier.track(&recording, &shipment).await.unwrap();
        if has_lookup(&spec) {
            carrier.lookup(&recording, &shipment).await.unwrap();
        }
        carrier.cancel(&recording, &shipment).await.unwrap();
        let secrets = recording.secrets.into_inner().unwrap();
        assert!(!secrets.is_empty(), "{id}'s requests mark no secret");
        eprintln!("{id}: {} marked secrets checked", secrets.len());

        let text = String::from_utf8_lossy(&log.lock().unwrap()).into_owned();
        assert!(
            text.lines()
                .any(|l| l.contains("carrier request") && l.contains(id)),
            "{id}: requests were not logged:\n{text}"
        );
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{id}: a marked secret ({} characters) is in the log",
                secret.len()
            );
        }
    }
}
