//! Delhivery adapter against real payloads, the project's own fixtures and the simulator.
//!
//! Real samples come from `../shared/carrier-samples/delhivery` (skipped outside CI when
//! absent, a failure in CI); fixtures from `fixtures/delhivery`. Every response sample an
//! implemented operation consumes is replayed here, and every status code anywhere in
//! them, or in status-codes.csv, must be mapped.

mod common;

use std::collections::BTreeSet;
use std::sync::Mutex;

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};

use carriers::delhivery::classify_create_remark;
use carriers::delhivery::simulator::{
    DelhiverySimulator, NDR_PIN_SUFFIX, SANDBOX_CLIENT, SANDBOX_PICKUP_LOCATION, SANDBOX_TOKEN,
    UNSERVICEABLE_PIN, sandbox_settings,
};
use carriers::delhivery::wire::IST;
use carriers::delhivery::{self, Delhivery, Service};
use carriers::families::{NdrAction, NdrActionKind, NdrActions};
use carriers::schema::{
    ChargeKind, Lane, Phone, RateRequest, RateRequestInput, Serviceability, ShipmentRef,
    ShipmentRequest, ShipmentRequestInput, TrackingUpdate,
};
use carriers::taxonomy::{Status, SubStatus};
use carriers::wire::{HttpResponse, Method};
use carriers::{AccountCheck, Carrier, CarrierError, Operation, Simulator};
use common::{Fault, Scripted, SimTransport, block_on, parse_csv, utc};

const CARRIER: &str = "delhivery";
/// Where the gateway mounts the simulator; request paths are relative to it.
const SIM_ROOT: &str = "http://127.0.0.1:8080/sandbox/delhivery";

// ---------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------

fn adapter() -> Delhivery {
    Delhivery::new(&sandbox_settings()).expect("sandbox settings build the adapter")
}

fn mapping() -> &'static carriers::mapping::Mapping {
    delhivery::mapping().expect("mappings/delhivery.toml parses")
}

fn ok(body: Vec<u8>) -> HttpResponse {
    HttpResponse::new(200, body)
}

fn fixture(file: &str) -> HttpResponse {
    ok(common::fixture(CARRIER, file))
}

fn shipment_request(to_pin: &str, payment: Value, service: Option<&str>) -> ShipmentRequest {
    let input: ShipmentRequestInput = serde_json::from_value(json!({
        "order_ref": "ORD-1001",
        "carrier": "delhivery",
        "service": service,
        "from": {"name": "Acme & Sons; Traders", "phone": "+91 98765 43210", "line1": "12 MG Road #4",
                 "city": "New Delhi", "state": "Delhi", "postal_code": "110046"},
        "to": {"name": "Asha Rao", "phone": "09123456789", "line1": "Flat 5, Lake View", "line2": "HSR Layout",
               "city": "Bengaluru", "state": "Karnataka", "postal_code": to_pin},
        "parcels": [{"weight_g": 750, "length_mm": 200, "width_mm": 150, "height_mm": 105,
                     "declared_value": {"amount": 149900, "currency": "INR"}, "description": "Cotton kurta 100%"}],
        "payment": payment,
    }))
    .unwrap();
    ShipmentRequest::parse(&input).expect("valid shipment request")
}

fn rate_request(from_pin: &str, to_pin: &str, payment: Value) -> RateRequest {
    let input: RateRequestInput = serde_json::from_value(json!({
        "from": {"name": "Acme", "phone": "9876543210", "line1": "1 Road", "city": "Pune", "postal_code": from_pin},
        "to": {"name": "Asha", "phone": "9123456789", "line1": "2 Lane", "city": "Pune", "postal_code": to_pin},
        "parcels": [{"weight_g": 900}],
        "payment": payment,
    }))
    .unwrap();
    RateRequest::parse(&input).expect("valid rate request")
}

fn prepaid() -> Value {
    json!({"mode": "prepaid"})
}

fn cod(paise: i64) -> Value {
    json!({"mode": "cod", "cod_amount": {"amount": paise, "currency": "INR"}})
}

fn track_sample(file: &str) -> Option<TrackingUpdate> {
    let body = common::sample(CARRIER, file)?;
    Some(
        delhivery::parse_track_response(mapping(), &ok(body))
            .unwrap_or_else(|e| panic!("{file}: {e}")),
    )
}

fn subs(update: &TrackingUpdate) -> Vec<SubStatus> {
    update.events.iter().map(|e| e.sub_status).collect()
}

// ---------------------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------------------

#[test]
fn create_success_samples() {
    let Some(body) = common::sample(CARRIER, "prod2026_create_package_response_success.json")
    else {
        return;
    };
    let created = delhivery::parse_create_response(&ok(body), Service::Surface).unwrap();
    assert_eq!(created.awb, "57930810000066");
    assert_eq!(created.service, "surface");
    assert_eq!(created.routing_code.as_deref(), Some("CHA/RAM"));
    assert_eq!(
        created.carrier_refs["upload_wbn"],
        "UPL14784772876334680653"
    );
    assert_eq!(created.carrier_refs["order"], "CAPTURE-1787596016179");
    assert!(
        created.labels.is_empty(),
        "the gateway renders Delhivery labels"
    );
    assert_eq!(created.charged, None);

    let body = common::sample(CARRIER, "staging2017_create_package_response.json").unwrap();
    let created = delhivery::parse_create_response(&ok(body), Service::Express).unwrap();
    assert_eq!(created.awb, "3132110000070");
    assert_eq!(created.service, "express");
    assert_eq!(created.routing_code.as_deref(), Some("PNQ/VAD"));
}

#[test]
fn create_failure_inside_http_200_is_a_rejection() {
    let Some(body) = common::sample(
        CARRIER,
        "prod2026_create_package_response_fail_insufficient_balance.json",
    ) else {
        return;
    };
    match delhivery::parse_create_response(&ok(body), Service::Surface).unwrap_err() {
        CarrierError::Rejected {
            code,
            message,
            http_status,
        } => {
            assert_eq!(code, "insufficient_balance");
            assert!(message.contains("insufficient balance"), "{message}");
            assert_eq!(http_status, 200);
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn create_refusal_fixtures() {
    let e = delhivery::parse_create_response(
        &fixture("create_package_response_fail_duplicate_order.json"),
        Service::Surface,
    )
    .unwrap_err();
    assert_eq!(
        e,
        CarrierError::rejected("duplicate_order_id", "Duplicate Order Id", 200)
    );
    let e = delhivery::parse_create_response(
        &fixture("create_package_response_fail_unknown_warehouse.json"),
        Service::Surface,
    )
    .unwrap_err();
    assert_eq!(
        e,
        CarrierError::rejected(
            "unknown_pickup_location",
            "ClientWarehouse matching query does not exist.",
            200
        )
    );
}

#[test]
fn every_documented_create_remark_gets_a_specific_code() {
    let Some(csv) = common::sample(CARRIER, "error-remarks.csv") else {
        return;
    };
    let rows = parse_csv(&String::from_utf8(csv).unwrap());
    assert!(rows.len() > 10);
    for row in &rows[1..] {
        let remark = &row[0];
        let code = classify_create_remark(remark);
        assert_ne!(code, "create_failed", "no code for remark {remark:?}");
        // And through the parser, as a failed package line.
        let body = json!({
            "success": false,
            "packages": [{"waybill": "", "status": "Fail", "remarks": [remark]}],
        });
        let e =
            delhivery::parse_create_response(&ok(body.to_string().into_bytes()), Service::Surface)
                .unwrap_err();
        assert_eq!(e, CarrierError::rejected(code, remark.trim(), 200));
    }
}

#[test]
fn malformed_create_answers_are_bad_responses() {
    let no_waybill = json!({
        "success": true,
        "packages": [{"waybill": "", "status": "Success", "remarks": [""]}],
    });
    let e = delhivery::parse_create_response(
        &ok(no_waybill.to_string().into_bytes()),
        Service::Surface,
    )
    .unwrap_err();
    assert!(matches!(e, CarrierError::BadResponse(_)), "{e:?}");
    let html = HttpResponse::new(200, "<html><body>Maintenance</body></html>");
    assert!(matches!(
        delhivery::parse_create_response(&html, Service::Surface),
        Err(CarrierError::BadResponse(_))
    ));
    let e = delhivery::parse_create_response(
        &HttpResponse::new(503, "upstream down"),
        Service::Surface,
    )
    .unwrap_err();
    assert!(matches!(e, CarrierError::Upstream { status: 503, .. }));
    assert!(e.may_have_happened());
}

// ---------------------------------------------------------------------------------------
// Track
// ---------------------------------------------------------------------------------------

#[test]
fn track_in_transit_with_ist_times_converted() {
    let Some(update) = track_sample("prod2024_track_response_in_transit_verbose2.json") else {
        return;
    };
    assert_eq!(update.awb, "26805710004126");
    assert_eq!(update.events.len(), 9);
    let first = &update.events[0];
    assert_eq!(
        (first.status, first.sub_status),
        (Status::PreTransit, SubStatus::Manifested)
    );
    assert_eq!(first.carrier_code, "X-UCI");
    assert_eq!(first.carrier_status, "Manifested");
    assert_eq!(first.description.as_deref(), Some("Manifest uploaded"));
    assert_eq!(
        first.location.as_deref(),
        Some("Amritsar_VerkaBypss_I (Punjab)")
    );
    // 2024-09-21T14:31:48.752 IST is 09:01:48.752 UTC.
    assert_eq!(first.event_time, utc("2024-09-21T09:01:48.752Z"));
    // No fraction, and a two-digit fraction.
    assert_eq!(update.events[1].event_time, utc("2024-09-21T09:06:53Z"));
    assert_eq!(update.events[4].event_time, utc("2024-09-21T12:50:25.570Z"));
    assert_eq!(
        subs(&update),
        vec![
            SubStatus::Manifested,
            SubStatus::PickupScheduled,
            SubStatus::PickedUp,
            SubStatus::InTransit,
            SubStatus::ArrivedAtFacility,
            SubStatus::InTransit,
            SubStatus::DepartedFacility,
            SubStatus::ArrivedAtFacility,
            SubStatus::ArrivedAtFacility,
        ]
    );
    let last = update.events.last().unwrap();
    assert_eq!(last.carrier_code, "X-ILL1F");
    assert!(!last.terminal && !last.action_required);
}

#[test]
fn track_cancelled_samples_at_every_verbosity() {
    for (file, count) in [
        ("prod2026_track_response_cancelled_verbose0.json", 1),
        ("prod2026_track_response_cancelled_verbose1.json", 3),
        ("prod2026_track_response_cancelled_verbose2.json", 3),
    ] {
        let Some(update) = track_sample(file) else {
            return;
        };
        assert_eq!(update.awb, "57930810000066", "{file}");
        assert_eq!(update.events.len(), count, "{file}");
        let last = update.events.last().unwrap();
        assert_eq!(
            (last.status, last.sub_status),
            (Status::Cancelled, SubStatus::Cancelled),
            "{file}"
        );
        assert_eq!(last.carrier_code, "DTUP-210");
        assert_eq!(last.carrier_status, "Not Picked");
        assert!(last.terminal);
        assert_eq!(last.event_time, utc("2026-08-24T18:28:39.774Z"));
    }
    let update = track_sample("prod2026_track_response_cancelled_verbose1.json").unwrap();
    assert_eq!(
        subs(&update),
        vec![
            SubStatus::Manifested,
            SubStatus::PickupRescheduled,
            SubStatus::Cancelled
        ]
    );
}

#[test]
fn track_manifested_and_not_picked_samples() {
    let Some(update) = track_sample("prod2026_track_response_manifested_verbose0.json") else {
        return;
    };
    assert_eq!(subs(&update), vec![SubStatus::Manifested]);
    assert_eq!(update.events[0].event_time, utc("2026-08-24T18:26:59.828Z"));
    let update = track_sample("prod2026_track_response_not_picked_verbose0.json").unwrap();
    let event = &update.events[0];
    assert_eq!(
        (event.status, event.sub_status),
        (Status::PreTransit, SubStatus::PickupRescheduled)
    );
    assert_eq!(event.carrier_code, "X-PNP");
    // A missed pickup slot right after manifest is not yet something to act on.
    assert!(!event.action_required);
}

#[test]
fn track_errors_inside_http_200_are_rejections() {
    let Some(body) = common::sample(CARRIER, "prod2026_track_response_unknown_awb_http200.json")
    else {
        return;
    };
    let e = delhivery::parse_track_response(mapping(), &ok(body)).unwrap_err();
    assert_eq!(
        e,
        CarrierError::rejected(
            delhivery::TRACK_NOT_FOUND,
            "Data does not exists for provided Waybill(s)",
            200
        )
    );
    let body = common::sample(CARRIER, "staging2017_track_response_error_http200.json").unwrap();
    match delhivery::parse_track_response(mapping(), &ok(body)).unwrap_err() {
        CarrierError::Rejected {
            code,
            message,
            http_status: 200,
        } => {
            assert_eq!(code, delhivery::TRACK_ERROR);
            assert_eq!(
                message,
                "local variable 'client_dict' referenced before assignment"
            );
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn track_delivered_fixture() {
    let update = delhivery::parse_track_response(
        mapping(),
        &fixture("track_response_delivered_verbose1.json"),
    )
    .unwrap();
    assert_eq!(update.awb, "29990100000017");
    assert_eq!(update.events.len(), 12);
    let last = update.events.last().unwrap();
    assert_eq!(
        (last.status, last.sub_status),
        (Status::Delivered, SubStatus::Delivered)
    );
    assert!(last.terminal);
    // Crossing midnight: 2025-11-03T23:58:10.104 IST is 18:28:10.104 UTC the same day,
    // and 2025-11-04T09:15:33.87 IST is 03:45:33.870 UTC.
    assert_eq!(update.events[6].event_time, utc("2025-11-03T18:28:10.104Z"));
    assert_eq!(update.events[7].event_time, utc("2025-11-04T03:45:33.870Z"));
    assert!(
        update
            .events
            .windows(2)
            .all(|w| w[0].event_time <= w[1].event_time)
    );
    let ofd = &update.events[10];
    assert_eq!(ofd.sub_status, SubStatus::OutForDelivery);
}

#[test]
fn track_ndr_fixture() {
    let update =
        delhivery::parse_track_response(mapping(), &fixture("track_response_ndr_verbose1.json"))
            .unwrap();
    let failed: Vec<_> = update
        .events
        .iter()
        .filter(|e| e.status == Status::DeliveryFailed)
        .collect();
    assert_eq!(failed.len(), 2);
    assert_eq!(failed[0].sub_status, SubStatus::CustomerUnavailable);
    assert_eq!(
        failed[0].ndr_reason.as_deref(),
        Some("customer_unavailable")
    );
    assert!(failed[0].action_required);
    assert_eq!(failed[1].sub_status, SubStatus::CodNotReady);
    assert_eq!(failed[1].carrier_code, "EOD-16");
    assert_eq!(
        update.events.last().unwrap().sub_status,
        SubStatus::CodNotReady
    );
}

#[test]
fn track_rto_fixture_keeps_the_return_leg() {
    let update =
        delhivery::parse_track_response(mapping(), &fixture("track_response_rto_verbose1.json"))
            .unwrap();
    assert_eq!(
        subs(&update),
        vec![
            SubStatus::Manifested,
            SubStatus::PickedUp,
            SubStatus::OutForDelivery,
            SubStatus::Refused,
            SubStatus::RtoInitiated,
            SubStatus::RtoInTransit,
            // DLYLH-109 is "delayed" on the forward leg; on the return leg it stays RTO.
            SubStatus::RtoInTransit,
            SubStatus::RtoInTransit,
            SubStatus::RtoOutForDelivery,
            SubStatus::RtoDelivered,
        ]
    );
    let delay = &update.events[6];
    assert_eq!(delay.carrier_code, "DLYLH-109");
    assert_eq!(delay.description.as_deref(), Some("Vehicle Breakdown"));
    assert!(update.events.last().unwrap().terminal);
}

#[test]
fn track_reverse_pickup_fixture() {
    let update = delhivery::parse_track_response(
        mapping(),
        &fixture("track_response_reverse_pickup_verbose1.json"),
    )
    .unwrap();
    assert_eq!(
        subs(&update),
        vec![
            SubStatus::Manifested,
            SubStatus::PickupScheduled,
            SubStatus::OutForPickup,
            SubStatus::PickedUp,
            SubStatus::ReachedDestinationHub,
            SubStatus::OutForDelivery,
            // "RTO/DTO Delivered" on a DL/DTO scan: the reverse parcel reached the seller.
            SubStatus::Delivered,
        ]
    );
}

#[test]
fn unmapped_codes_are_kept_never_guessed() {
    let body = json!({"ShipmentData": [{"Shipment": {"AWB": "1", "Scans": [{"ScanDetail": {
        "ScanType": "ZZ", "Scan": "Teleported", "StatusCode": "QQ-999", "Instructions": "New thing",
        "StatusDateTime": "2025-01-01T10:00:00", "ScannedLocation": "Somewhere"}}]}}]});
    let update =
        delhivery::parse_track_response(mapping(), &ok(body.to_string().into_bytes())).unwrap();
    let e = &update.events[0];
    assert_eq!(
        (e.status, e.sub_status),
        (Status::Unknown, SubStatus::Unmapped)
    );
    assert_eq!(e.carrier_code, "QQ-999");
    assert_eq!(e.carrier_status, "Teleported");
}

#[test]
fn malformed_track_answers_are_bad_responses() {
    let bad_time = json!({"ShipmentData": [{"Shipment": {"AWB": "1", "Status": {
        "StatusType": "UD",
        "Status": "Manifested",
        "StatusCode": "X-UCI",
        "StatusDateTime": "24/08/2026",
    }}}]});
    let e = delhivery::parse_track_response(mapping(), &ok(bad_time.to_string().into_bytes()))
        .unwrap_err();
    assert!(matches!(e, CarrierError::BadResponse(_)), "{e:?}");
    let truncated = ok(br#"{"ShipmentData": [{"Shipment": {"AWB": "1""#.to_vec());
    assert!(matches!(
        delhivery::parse_track_response(mapping(), &truncated),
        Err(CarrierError::BadResponse(_))
    ));
    let no_awb = json!({"ShipmentData": [{"Shipment": {"Status": {"StatusType": "UD"}}}]});
    let e = delhivery::parse_track_response(mapping(), &ok(no_awb.to_string().into_bytes()))
        .unwrap_err();
    assert!(matches!(e, CarrierError::BadResponse(_)), "{e:?}");
    let empty = ok(b"{}".to_vec());
    assert!(matches!(
        delhivery::parse_track_response(mapping(), &empty),
        Err(CarrierError::BadResponse(_))
    ));
}

#[test]
fn webhook_pushes() {
    if let Some(body) = common::sample(CARRIER, "webhook_push_scan_docs_sample.json") {
        let update = delhivery::parse_webhook(mapping(), &body).unwrap();
        assert_eq!(update.awb, "XXXXXXXXXXXX");
        let e = &update.events[0];
        assert_eq!(e.sub_status, SubStatus::Manifested);
        assert_eq!(e.carrier_code, "X-UCI");
        assert_eq!(e.event_time, utc("2019-01-09T11:40:42.767Z"));
    }
    let body = common::fixture(CARRIER, "webhook_push_ndr.json");
    let update = delhivery::parse_webhook(mapping(), &body).unwrap();
    assert_eq!(update.awb, "29990100000028");
    let e = &update.events[0];
    assert_eq!(e.sub_status, SubStatus::CustomerUnavailable);
    assert_eq!(e.event_time, utc("2025-11-12T13:35:11.204Z"));
    assert!(matches!(
        delhivery::parse_webhook(mapping(), b"not json"),
        Err(CarrierError::BadResponse(_))
    ));
}

// ---------------------------------------------------------------------------------------
// Cancel
// ---------------------------------------------------------------------------------------

#[test]
fn cancel_xml_reply() {
    let Some(body) = common::sample(CARRIER, "prod2026_cancel_response.xml") else {
        return;
    };
    let outcome = delhivery::parse_cancel_response(&ok(body)).unwrap();
    assert_eq!(outcome.carrier_message, "Shipment has been cancelled.");
}

#[test]
fn cancel_html_404_is_a_rejection() {
    let Some(body) = common::sample(CARRIER, "staging2017_cancel_response_http404.html") else {
        return;
    };
    let e = delhivery::parse_cancel_response(&HttpResponse::new(404, body)).unwrap_err();
    assert_eq!(e, CarrierError::rejected("http_404", "Page not found", 404));
}

#[test]
fn cancel_refused_fixture_and_garbage() {
    let e = delhivery::parse_cancel_response(&fixture("cancel_response_refused.xml")).unwrap_err();
    assert_eq!(
        e,
        CarrierError::rejected(
            delhivery::CANCEL_REFUSED,
            "Shipment cannot be cancelled in its current status.",
            200
        )
    );
    assert!(matches!(
        delhivery::parse_cancel_response(&ok(b"{\"status\": true}".to_vec())),
        Err(CarrierError::BadResponse(_))
    ));
}

// ---------------------------------------------------------------------------------------
// Serviceability and rates
// ---------------------------------------------------------------------------------------

#[test]
fn pincode_serviceability_samples() {
    let Some(body) = common::sample(CARRIER, "prod2026_pincode_serviceability_response.json")
    else {
        return;
    };
    let pins = delhivery::parse_serviceability_response(&ok(body)).unwrap();
    let pin = pins.find("135001").expect("135001 is listed");
    assert!(pin.pre_paid.is_set());
    assert!(pin.cod.is_set());
    assert!(pin.pickup.is_set());
    assert_eq!(pin.sort_code.get(), Some("CHA/RAM"));
    assert!(pins.find("110001").is_none());
    // The same sort code the create answer gave for this destination.
    let created = common::sample(CARRIER, "prod2026_create_package_response_success.json").unwrap();
    let created = delhivery::parse_create_response(&ok(created), Service::Surface).unwrap();
    assert_eq!(pin.sort_code.0, created.routing_code);

    let body = common::sample(CARRIER, "staging2017_pincode_serviceability_response.json").unwrap();
    let pins = delhivery::parse_serviceability_response(&ok(body)).unwrap();
    assert_eq!(pins.find("411008").unwrap().district.get(), Some("Pune"));

    let body = common::sample(
        CARRIER,
        "staging2017_pincode_serviceability_response_multiple.json",
    )
    .unwrap();
    let pins = delhivery::parse_serviceability_response(&ok(body)).unwrap();
    for pin in ["411006", "411007", "411008"] {
        assert!(pins.find(pin).unwrap().pickup.is_set(), "{pin}");
    }
}

fn lane(pickup: &str, delivery: &str, cod: bool, kind: carriers::schema::ShipmentKind) -> Lane {
    Lane {
        pickup_pincode: pickup.into(),
        delivery_pincode: delivery.into(),
        cod,
        kind,
    }
}

#[test]
fn lane_serviceability_from_samples_and_fixtures() {
    use carriers::schema::ShipmentKind::{Forward, Reverse};
    let Some(body) = common::sample(CARRIER, "prod2026_pincode_serviceability_response.json")
    else {
        return;
    };
    let pins = delhivery::parse_serviceability_response(&ok(body)).unwrap();
    for (cod, kind) in [(false, Forward), (true, Forward), (false, Reverse)] {
        assert_eq!(
            delhivery::lane_serviceability(&pins, &lane("135001", "135001", cod, kind)),
            Serviceability::Serviceable
        );
    }
    // A PIN code the answer does not list is not served.
    let Serviceability::NotServiceable { reason } =
        delhivery::lane_serviceability(&pins, &lane("135001", "110001", false, Forward))
    else {
        panic!("110001 is not listed");
    };
    assert!(reason.contains("110001"), "{reason}");

    // 194101: prepaid delivery only, no pickup.
    let pins = delhivery::parse_serviceability_response(&fixture(
        "pincode_serviceability_response_no_cod.json",
    ))
    .unwrap();
    let no = |l: Lane| match delhivery::lane_serviceability(&pins, &l) {
        Serviceability::NotServiceable { reason } => reason,
        Serviceability::Serviceable => panic!("{l:?} should not be served"),
    };
    assert!(no(lane("194101", "194101", true, Forward)).contains("COD parcels to PIN 194101"));
    assert!(
        no(lane("194101", "194101", false, Forward)).contains("does not pick up at PIN 194101")
    );
    assert!(no(lane("194101", "194101", false, Reverse)).contains("pick up"));
    let pins = delhivery::parse_serviceability_response(&fixture(
        "pincode_serviceability_response_empty.json",
    ))
    .unwrap();
    assert!(
        !delhivery::lane_serviceability(&pins, &lane("110001", "560001", false, Forward))
            .is_serviceable()
    );
}

#[test]
fn serviceability_asks_both_pincodes_in_one_call_on_the_simulator() {
    use carriers::schema::ShipmentKind::Forward;
    let sim = std::sync::Arc::new(DelhiverySimulator::default());
    let t = SimTransport::new(sim, SIM_ROOT);
    let a = adapter();
    assert!(a.capabilities().serviceability);
    let answer = block_on(a.serviceability(&t, &lane("110020", "560001", true, Forward))).unwrap();
    assert_eq!(answer, Serviceability::Serviceable);
    let answer =
        block_on(a.serviceability(&t, &lane("110020", UNSERVICEABLE_PIN, false, Forward))).unwrap();
    assert!(!answer.is_serviceable());
    let log = t.log.lock().unwrap();
    assert_eq!(log.len(), 2, "one call per lane: {log:?}");
    assert!(
        log.iter().all(|(op, path)| *op == Operation::Serviceability
            && path.contains("/c/api/pin-codes/json/"))
    );
}

#[test]
fn charges_nsz_sample_means_no_quote() {
    let Some(body) = common::sample(CARRIER, "staging2017_invoice_charges_response_nsz.json")
    else {
        return;
    };
    assert_eq!(
        delhivery::parse_rate_response(&ok(body), Service::Express).unwrap(),
        None
    );
}

/// Regression (fuzzing): `{"error": "   "}` was a refusal with an empty code.
#[test]
fn charges_error_without_a_code_gets_a_stable_one() {
    for body in [r#"{"error":"   "}"#, r#"{"error":""}"#] {
        let err = delhivery::parse_rate_response(&ok(body.as_bytes().to_vec()), Service::Surface)
            .unwrap_err();
        assert!(
            matches!(&err, carriers::CarrierError::Rejected { code, .. } if code == "charges_error"),
            "{err:?}"
        );
    }
}

#[test]
fn charges_fixtures_in_paise() {
    let quote = delhivery::parse_rate_response(
        &fixture("invoice_charges_response_surface_prepaid.json"),
        Service::Surface,
    )
    .unwrap()
    .unwrap();
    assert_eq!(quote.carrier, "delhivery");
    assert_eq!(quote.service, "surface");
    assert_eq!(quote.total.amount, 8987);
    assert_eq!(quote.total.currency.as_str(), "INR");
    let lines: Vec<_> = quote
        .breakdown
        .iter()
        .map(|c| (c.kind, c.label.as_str(), c.amount.amount))
        .collect();
    assert_eq!(
        lines,
        vec![
            (ChargeKind::Freight, "charge_DL", 6800),
            (ChargeKind::FuelSurcharge, "charge_FSC", 816),
            (ChargeKind::Tax, "IGST", 1371),
        ]
    );
    let quote = delhivery::parse_rate_response(
        &fixture("invoice_charges_response_express_cod.json"),
        Service::Express,
    )
    .unwrap()
    .unwrap();
    assert_eq!(quote.total.amount, 17866);
    let sum: i64 = quote.breakdown.iter().map(|c| c.amount.amount).sum();
    assert_eq!(sum, 17866);
    assert!(
        quote
            .breakdown
            .iter()
            .any(|c| c.kind == ChargeKind::Cod && c.amount.amount == 4500)
    );
    assert_eq!(
        quote
            .breakdown
            .iter()
            .filter(|c| c.kind == ChargeKind::Tax)
            .count(),
        2
    );
}

#[test]
fn rates_check_serviceability_then_price_each_service() {
    let Some(pins) = common::sample(
        CARRIER,
        "staging2017_pincode_serviceability_response_multiple.json",
    ) else {
        return;
    };
    let t = Scripted::new(vec![
        ok(pins),
        fixture("invoice_charges_response_surface_prepaid.json"),
        fixture("invoice_charges_response_express_cod.json"),
    ]);
    let req = rate_request("411006", "411008", prepaid());
    let quotes = block_on(adapter().rates(&t, &req)).unwrap();
    assert_eq!(
        quotes
            .iter()
            .map(|q| q.service.as_str())
            .collect::<Vec<_>>(),
        ["surface", "express"]
    );
    assert_eq!(quotes[0].total.amount, 8987);
    let sent = t.sent();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0].0, Operation::Serviceability);
    assert_eq!(sent[0].1.path, "/c/api/pin-codes/json/");
    assert_eq!(
        sent[0].1.query,
        vec![("filter_codes".to_string(), "411008,411006".to_string())]
    );
    let charges = &sent[1].1;
    assert_eq!(sent[1].0, Operation::Rates);
    assert_eq!(charges.path, "/api/kinko/v1/invoice/charges/.json");
    let q = |k: &str| {
        charges
            .query
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(q("md"), Some("S"));
    assert_eq!(q("ss"), Some("Delivered"));
    assert_eq!(q("o_pin"), Some("411006"));
    assert_eq!(q("d_pin"), Some("411008"));
    assert_eq!(q("cgm"), Some("900"));
    assert_eq!(q("pt"), Some("Pre-paid"));
    assert_eq!(
        sent[2].1.query.iter().find(|(k, _)| k == "md").unwrap().1,
        "E"
    );
    for (_, request) in &sent {
        assert_eq!(
            request.header_value("authorization"),
            Some(format!("Token {SANDBOX_TOKEN}").as_str())
        );
    }
}

#[test]
fn rates_are_empty_when_not_serviceable() {
    // Destination not served at all: one call, no pricing.
    let t = Scripted::new(vec![fixture("pincode_serviceability_response_empty.json")]);
    let quotes =
        block_on(adapter().rates(&t, &rate_request("411006", "560001", prepaid()))).unwrap();
    assert!(quotes.is_empty());
    assert_eq!(t.sent().len(), 1);
    // Served for prepaid only: COD gets nothing (and the origin is not picked up either).
    let t = Scripted::new(vec![fixture("pincode_serviceability_response_no_cod.json")]);
    let quotes =
        block_on(adapter().rates(&t, &rate_request("194101", "194101", cod(50000)))).unwrap();
    assert!(quotes.is_empty());
    assert_eq!(t.sent().len(), 1);
}

// ---------------------------------------------------------------------------------------
// Requests as data
// ---------------------------------------------------------------------------------------

#[test]
fn create_request_is_the_form_delhivery_expects() {
    let a = adapter();
    let req = shipment_request("560102", cod(149900), Some("express"));
    let http = a.create_request("sg_01HZY3", &req).unwrap();
    assert_eq!(http.method, Method::Post);
    assert_eq!(http.path, "/api/cmu/create.json");
    assert_eq!(http.content_type, Some("application/x-www-form-urlencoded"));
    assert_eq!(
        http.header_value("authorization"),
        Some(format!("Token {SANDBOX_TOKEN}").as_str())
    );
    let body = String::from_utf8(http.body.clone().unwrap()).unwrap();
    assert!(body.starts_with("format=json&data=%7B"), "{body}");
    let form: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap();
    assert_eq!(form[0], ("format".to_string(), "json".to_string()));
    let data: Value = serde_json::from_str(&form[1].1).unwrap();
    assert_eq!(
        data["pickup_location"],
        json!({"name": SANDBOX_PICKUP_LOCATION})
    );
    let s = &data["shipments"][0];
    assert_eq!(s["order"], "sg_01HZY3");
    assert_eq!(s["pin"], "560102");
    assert_eq!(s["phone"], "9123456789");
    assert_eq!(s["country"], "India");
    assert_eq!(s["add"], "Flat 5, Lake View, HSR Layout");
    assert_eq!(s["payment_mode"], "COD");
    assert_eq!(s["cod_amount"], "1499.00");
    assert_eq!(s["total_amount"], "1499.00");
    assert_eq!(s["shipping_mode"], "Express");
    assert_eq!(s["weight"], 750);
    assert_eq!(s["shipment_length"], 20.0);
    assert_eq!(s["shipment_height"], 10.5);
    assert_eq!(s["waybill"], "");
    // Characters Delhivery's create chokes on are cleaned out of free text.
    assert_eq!(s["return_name"], "Acme and Sons Traders");
    assert_eq!(s["return_add"], "12 MG Road 4");
    assert_eq!(s["products_desc"], "Cotton kurta 100");
    assert_eq!(s["return_pin"], "110046");
    assert_eq!(s["return_phone"], "9876543210");
}

#[test]
fn create_request_matches_the_real_capture_shape() {
    let Some(form) = common::sample(CARRIER, "prod2026_create_package_request_form.txt") else {
        return;
    };
    let decoded: Value = serde_json::from_slice(
        &common::sample(CARRIER, "prod2026_create_package_request_decoded.json").unwrap(),
    )
    .unwrap();
    // The capture decodes to its documented JSON: same envelope our request uses.
    let fields: Vec<(String, String)> =
        serde_urlencoded::from_bytes(form.trim_ascii_end()).unwrap();
    assert_eq!(
        fields.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        ["format", "data"]
    );
    assert_eq!(
        serde_json::from_str::<Value>(&fields[1].1).unwrap(),
        decoded
    );
    // Every field we send is one Delhivery's own capture or docs use.
    let http = adapter()
        .create_request("sg_1", &shipment_request("560102", prepaid(), None))
        .unwrap();
    let ours: Vec<(String, String)> = serde_urlencoded::from_bytes(&http.body.unwrap()).unwrap();
    let data: Value = serde_json::from_str(&ours[1].1).unwrap();
    let docs: Value = {
        let text = String::from_utf8(
            common::sample(CARRIER, "docs_create_package_request_body.txt").unwrap(),
        )
        .unwrap();
        serde_json::from_str(text.trim_start_matches("format=json&data=")).unwrap()
    };
    let known: BTreeSet<&String> = decoded["shipments"][0]
        .as_object()
        .unwrap()
        .keys()
        .chain(docs["shipments"][0].as_object().unwrap().keys())
        .collect();
    for key in data["shipments"][0].as_object().unwrap().keys() {
        let documented = known.contains(key) || key.starts_with("shipment_");
        assert!(documented, "`{key}` is not a Delhivery create field");
    }
    assert_eq!(data["shipments"][0]["shipping_mode"], "Surface");
    assert_eq!(
        data["shipments"][0]["payment_mode"],
        decoded["shipments"][0]["payment_mode"]
    );
}

#[test]
fn cancel_track_and_lookup_requests() {
    let a = adapter();
    let cancel = a.cancel_request("57930810000066").unwrap();
    assert_eq!(
        (cancel.method, cancel.path.as_str()),
        (Method::Post, "/api/p/edit")
    );
    assert_eq!(cancel.content_type, Some("application/json"));
    if let Some(sample) = common::sample(CARRIER, "prod2026_cancel_request.json") {
        assert_eq!(cancel.body.as_deref(), Some(sample.trim_ascii_end()));
    }
    let track = a.track_request("57930810000066");
    assert_eq!(track.path, "/api/v1/packages/json/");
    assert_eq!(
        track.query,
        vec![
            ("waybill".to_string(), "57930810000066".to_string()),
            ("verbose".to_string(), "1".to_string())
        ]
    );
    let lookup = a.lookup_request("sg_1");
    assert_eq!(lookup.query[0], ("ref_ids".to_string(), "sg_1".to_string()));
    assert_eq!(
        lookup.header_value("authorization"),
        Some(format!("Token {SANDBOX_TOKEN}").as_str())
    );
}

/// What Delhivery can never book is refused for good before anything is sent:
/// `Unsupported` (422 `carrier_unsupported` at the API), never a retryable `NotSent`
/// (503 `carrier_unavailable`, which told clients to try again).
#[test]
fn requests_delhivery_can_never_accept_are_unsupported() {
    let a = adapter();
    fn unsupported<T: std::fmt::Debug>(r: Result<T, CarrierError>) -> &'static str {
        match r {
            Err(CarrierError::Unsupported(what)) => what,
            other => panic!("not Unsupported: {other:?}"),
        }
    }
    let req = shipment_request("560102", prepaid(), Some("overnight"));
    assert_eq!(
        unsupported(a.create_request("sg_1", &req)),
        "a service other than `surface` or `express`"
    );
    let req = shipment_request("560102", prepaid(), None);
    unsupported(a.create_request("sg 1 #", &req));
    unsupported(a.create_request(&"x".repeat(51), &req));
    for (to, from) in [("US", "IN"), ("IN", "AE"), ("GB", "GB")] {
        let mut abroad = req.clone();
        abroad.to.country = to.into();
        abroad.from.country = from.into();
        assert_eq!(
            unsupported(a.create_request("sg_1", &abroad)),
            "international shipping"
        );
    }

    // Through the adapter: nothing reaches the carrier, nothing is booked.
    let sim = DelhiverySimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let mut abroad = req.clone();
    abroad.to.country = "US".into();
    let err = block_on(a.create_shipment(&t, "sg_abroad", &abroad)).unwrap_err();
    assert_eq!(err, CarrierError::Unsupported("international shipping"));
    assert_eq!(
        err.to_string(),
        "international shipping is not supported by this carrier"
    );
    assert!(!err.may_have_happened());
    let overnight = shipment_request("560102", prepaid(), Some("overnight"));
    let err = block_on(a.create_shipment(&t, "sg_overnight", &overnight)).unwrap_err();
    assert!(matches!(err, CarrierError::Unsupported(_)), "{err:?}");
    assert!(t.log.lock().unwrap().is_empty());
    assert_eq!(sim.bookings(), 0);
}

#[test]
fn settings_and_spec() {
    let spec = delhivery::spec();
    assert_eq!(spec.id, "delhivery");
    let required: Vec<_> = spec.required_settings().collect();
    assert_eq!(required, ["api_token", "pickup_location"]);
    let secret = |key| spec.setting(key).map(|s| s.secret);
    assert_eq!(
        [secret("api_token"), secret("pickup_location"), secret("x")],
        [Some(true), Some(false), None]
    );
    // The sandbox settings are exactly the settings the spec declares.
    let declared: Vec<_> = spec.settings.iter().map(|s| s.key).collect();
    assert!(
        (spec.sandbox_settings)()
            .keys()
            .eq(declared.iter().copied())
    );
    assert!((5_000..=15_000).contains(&spec.default_timeout_ms));
    let built = (spec.build)(&(spec.sandbox_settings)()).unwrap();
    let caps = built.capabilities();
    assert!(caps.rates && caps.create_shipment && caps.cancel && caps.track && caps.cod);
    assert!(!caps.international && caps.native_label_formats.is_empty());
    let mut missing = (spec.sandbox_settings)();
    missing.remove("pickup_location");
    assert_eq!(
        (spec.build)(&missing).err(),
        Some("missing setting `pickup_location`".to_string())
    );
    // The Debug form never shows the token.
    assert!(!format!("{:?}", adapter()).contains(SANDBOX_TOKEN));
}

// ---------------------------------------------------------------------------------------
// Every code is mapped
// ---------------------------------------------------------------------------------------

#[test]
fn every_code_in_status_codes_csv_is_mapped() {
    let Some(csv) = common::sample(CARRIER, "status-codes.csv") else {
        return;
    };
    let rows = parse_csv(&String::from_utf8(csv).unwrap());
    assert_eq!(
        rows[0][..4],
        [
            "carrier_code",
            "carrier_description",
            "carrier_status_type",
            "code_kind"
        ]
    );
    let m = mapping();
    let mut missing = Vec::new();
    let mut wrong_leg = Vec::new();
    for row in &rows[1..] {
        let (code, description, status_type, kind) = (&row[0], &row[1], &row[2], &row[3]);
        let table = if kind.starts_with("status_type") {
            ("status_type", code.clone())
        } else if kind.starts_with("status ") || kind == "status" {
            ("status", format!("{status_type}/{code}"))
        } else if kind.starts_with("nsl_code") {
            ("nsl", code.clone())
        } else {
            panic!("unknown code kind {kind:?}");
        };
        if m.lookup(table.0, &table.1).is_none() {
            missing.push(format!(
                "[codes.{}] {:?}  # {description}",
                table.0, table.1
            ));
            continue;
        }
        // A code listed under the return leg must resolve to the return leg (or an
        // exception) when it arrives with that StatusType.
        if table.0 == "nsl" && status_type == "RT" {
            let u = delhivery::resolve(m, status_type, "", code).unwrap();
            if !matches!(u.status, Status::Rto | Status::Exception) {
                wrong_leg.push(format!("RT {code} -> {u}"));
            }
        }
        if table.0 == "nsl" && status_type == "DL" {
            let u = delhivery::resolve(m, status_type, "", code).unwrap();
            if !matches!(u.status, Status::Delivered | Status::Rto) {
                wrong_leg.push(format!("DL {code} -> {u}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "codes in status-codes.csv with no mapping row:\n{}",
        missing.join("\n")
    );
    assert!(
        wrong_leg.is_empty(),
        "codes resolving off their leg:\n{}",
        wrong_leg.join("\n")
    );
}

/// StatusType/Status/StatusCode values anywhere in a JSON document.
#[derive(Default)]
struct Seen {
    types: BTreeSet<String>,
    pairs: BTreeSet<(String, String)>,
    nsl: BTreeSet<String>,
}

fn collect_codes(value: &Value, seen: &mut Seen) {
    match value {
        Value::Object(map) => {
            let s = |k: &str| {
                map.get(k)
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
            };
            let status_type = s("StatusType").or(s("ScanType"));
            if let Some(t) = status_type {
                seen.types.insert(t.to_string());
                if let Some(status) = s("Status").or(s("Scan")) {
                    seen.pairs.insert((t.to_string(), status.to_string()));
                }
            }
            for key in ["StatusCode", "NSLCode"] {
                if let Some(code) = s(key) {
                    seen.nsl.insert(code.to_string());
                }
            }
            map.values().for_each(|v| collect_codes(v, seen));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_codes(v, seen)),
        _ => {}
    }
}

#[test]
fn every_code_in_samples_and_fixtures_is_mapped() {
    let mut files = Vec::new();
    if let Some(dir) = common::samples_dir(CARRIER) {
        files.extend(std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()));
    }
    files.extend(
        std::fs::read_dir(common::fixtures_dir(CARRIER))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    let mut seen = Seen::default();
    let mut scanned = 0;
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let Ok(value) = serde_json::from_slice::<Value>(&std::fs::read(path).unwrap()) else {
            continue;
        };
        collect_codes(&value, &mut seen);
        scanned += 1;
    }
    assert!(scanned >= 10, "only {scanned} JSON files scanned");
    assert!(seen.nsl.contains("X-UCI") && seen.nsl.contains("EOD-11"));
    let m = mapping();
    let mut missing: Vec<String> = Vec::new();
    missing.extend(
        seen.types
            .iter()
            .filter(|t| m.lookup("status_type", t).is_none())
            .map(|t| format!("StatusType {t}")),
    );
    missing.extend(
        seen.pairs
            .iter()
            .filter(|(t, s)| m.lookup("status", &format!("{t}/{s}")).is_none())
            .map(|(t, s)| format!("Status {t}/{s}")),
    );
    missing.extend(
        seen.nsl
            .iter()
            .filter(|c| m.lookup("nsl", c).is_none())
            .map(|c| format!("StatusCode {c}")),
    );
    assert!(
        missing.is_empty(),
        "codes in samples/fixtures with no mapping row:\n{}",
        missing.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// Round trip against the simulator
// ---------------------------------------------------------------------------------------

fn shipment_ref(shipment_id: &str, awb: Option<&str>) -> ShipmentRef {
    ShipmentRef {
        shipment_id: shipment_id.to_string(),
        order_ref: "ORD-1001".to_string(),
        awb: awb.map(str::to_string),
        ..ShipmentRef::default()
    }
}

#[test]
fn simulator_round_trip_create_track_cancel_unknown() {
    let sim = DelhiverySimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let a = adapter();

    let req = shipment_request("560102", cod(149900), Some("express"));
    let created = block_on(a.create_shipment(&t, "sg_round_trip_1", &req)).unwrap();
    assert_eq!(created.awb.len(), 14);
    assert!(created.awb.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(created.service, "express");
    assert_eq!(created.routing_code.as_deref(), Some("SBX/560"));
    assert_eq!(created.carrier_refs["order"], "sg_round_trip_1");
    assert_eq!(sim.bookings(), 1);

    // Each pull moves one scan forward, with codes the mapping knows.
    let r = shipment_ref("sg_round_trip_1", Some(&created.awb));
    let mut seen = Vec::new();
    for pull in 1..=4 {
        let update = block_on(a.track(&t, &r)).unwrap();
        assert_eq!(update.awb, created.awb);
        assert_eq!(update.events.len(), pull + 1, "pull {pull}");
        assert!(
            update.events.iter().all(|e| e.status != Status::Unknown),
            "{update:?}"
        );
        assert!(
            update
                .events
                .windows(2)
                .all(|w| w[0].event_time < w[1].event_time)
        );
        let now = Utc::now();
        assert!(
            update
                .events
                .iter()
                .all(|e| (now - e.event_time).num_seconds().abs() < 60),
            "times are UTC"
        );
        seen.push(update.events.last().unwrap().sub_status);
    }
    assert_eq!(
        seen,
        [
            SubStatus::PickupScheduled,
            SubStatus::PickedUp,
            SubStatus::ArrivedAtFacility,
            SubStatus::DepartedFacility
        ]
    );

    // Cancelled after pickup: Delhivery returns it to origin.
    let outcome = block_on(a.cancel(&t, &r)).unwrap();
    assert_eq!(outcome.carrier_message, "Shipment has been cancelled.");
    // Idempotent, like the real API.
    assert!(block_on(a.cancel(&t, &r)).is_ok());
    let mut last = None;
    for _ in 0..6 {
        last = Some(block_on(a.track(&t, &r)).unwrap());
    }
    let update = last.unwrap();
    let tail: Vec<SubStatus> = update
        .events
        .iter()
        .rev()
        .take(4)
        .rev()
        .map(|e| e.sub_status)
        .collect();
    assert_eq!(
        tail,
        [
            SubStatus::RtoInitiated,
            SubStatus::RtoInTransit,
            SubStatus::RtoOutForDelivery,
            SubStatus::RtoDelivered
        ]
    );
    assert!(update.events.last().unwrap().terminal);
    // Cancelling again still answers True, as the real API does for a repeat cancel.
    assert!(block_on(a.cancel(&t, &r)).is_ok());

    // Unknown waybill: Delhivery's error inside HTTP 200.
    let e = block_on(a.track(&t, &shipment_ref("sg_nobody", Some("19999999999999")))).unwrap_err();
    assert_eq!(
        e,
        CarrierError::rejected(
            delhivery::TRACK_NOT_FOUND,
            "Data does not exists for provided Waybill(s)",
            200
        )
    );
    assert_eq!(sim.bookings(), 1);
}

#[test]
fn simulator_cancel_before_pickup_and_delivery_path() {
    let sim = DelhiverySimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let a = adapter();

    let early =
        block_on(a.create_shipment(&t, "sg_early", &shipment_request("560102", prepaid(), None)))
            .unwrap();
    let r = shipment_ref("sg_early", Some(&early.awb));
    assert_eq!(
        block_on(a.cancel(&t, &r)).unwrap().carrier_message,
        "Shipment has been cancelled."
    );
    let update = block_on(a.track(&t, &r)).unwrap();
    let last = update.events.last().unwrap();
    assert_eq!(
        (last.sub_status, last.carrier_code.as_str()),
        (SubStatus::Cancelled, "DTUP-210")
    );
    assert_eq!(last.carrier_status, "Not Picked");
    // Nothing moves after a pre-pickup cancel.
    assert_eq!(
        block_on(a.track(&t, &r)).unwrap().events.len(),
        update.events.len()
    );

    // A destination ending in NDR_PIN_SUFFIX gets one failed attempt, then delivery.
    let pin = format!("5601{NDR_PIN_SUFFIX}");
    let ndr = block_on(a.create_shipment(&t, "sg_ndr", &shipment_request(&pin, cod(50000), None)))
        .unwrap();
    let r = shipment_ref("sg_ndr", Some(&ndr.awb));
    let mut update = block_on(a.track(&t, &r)).unwrap();
    for _ in 0..15 {
        update = block_on(a.track(&t, &r)).unwrap();
    }
    let subs = subs(&update);
    assert!(subs.contains(&SubStatus::CustomerUnavailable), "{subs:?}");
    assert_eq!(subs.last(), Some(&SubStatus::Delivered));
    assert_eq!(
        subs.iter()
            .filter(|s| **s == SubStatus::OutForDelivery)
            .count(),
        2
    );
    // Delivered shipments cannot be cancelled.
    let e = block_on(a.cancel(&t, &r)).unwrap_err();
    assert!(
        matches!(e, CarrierError::Rejected { ref code, .. } if code == delhivery::CANCEL_REFUSED),
        "{e:?}"
    );
}

#[test]
fn simulator_detours_are_chosen_by_the_destination_pincode() {
    common::assert_detours("5601", |order, pin| {
        let sim = DelhiverySimulator::new();
        let t = SimTransport::new(&sim, SIM_ROOT);
        let a = adapter();
        let booked =
            block_on(a.create_shipment(&t, order, &shipment_request(pin, prepaid(), None)));
        let r = shipment_ref(order, Some(&booked.unwrap().awb));
        // Past the longest journey: nine scans, two attempts of two and three back.
        (0..20).fold(Vec::new(), |_, _| subs(&block_on(a.track(&t, &r)).unwrap()))
    });
}

#[test]
fn simulator_lookup_by_reference_and_no_double_booking() {
    let sim = DelhiverySimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let a = adapter();
    let req = shipment_request("400001", prepaid(), None);
    let created = block_on(a.create_shipment(&t, "sg_retry", &req)).unwrap();

    // The answer was "lost": the shipment is found by shipgate's id, without an AWB.
    let found = block_on(a.track(&t, &shipment_ref("sg_retry", None))).unwrap();
    assert_eq!(found.awb, created.awb);
    // The label's routing code is recovered from the pincode API.
    let routing = block_on(a.routing_code(&t, "400001")).unwrap();
    assert_eq!(routing, created.routing_code);
    // A blind retry is refused, and no second waybill is booked.
    let e = block_on(a.create_shipment(&t, "sg_retry", &req)).unwrap_err();
    assert_eq!(
        e,
        CarrierError::rejected("duplicate_order_id", "Duplicate Order Id", 200)
    );
    assert_eq!(sim.bookings(), 1);
    // Cancel without a stored AWB looks it up first.
    assert!(block_on(a.cancel(&t, &shipment_ref("sg_retry", None))).is_ok());
    let e = block_on(a.track(&t, &shipment_ref("sg_never_booked", None))).unwrap_err();
    assert!(
        matches!(e, CarrierError::Rejected { ref code, .. } if code == delhivery::TRACK_NOT_FOUND)
    );
}

#[test]
fn simulator_rates_and_serviceability() {
    let sim = DelhiverySimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let a = adapter();
    let quotes = block_on(a.rates(&t, &rate_request("110046", "560102", cod(149900)))).unwrap();
    assert_eq!(quotes.len(), 2);
    let surface = &quotes[0];
    assert_eq!(surface.service, "surface");
    // Zone D surface, 2 slabs x Rs 50 = 100.00; fuel 10.00; COD max(35, 1.5 % of 1499 = 22.49) = 35.00;
    // gross 145.00; IGST 26.10; total 171.10.
    assert_eq!(surface.total.amount, 17110);
    let sum: i64 = surface.breakdown.iter().map(|c| c.amount.amount).sum();
    assert_eq!(sum, surface.total.amount);
    assert!(
        quotes[1].total.amount > surface.total.amount,
        "express costs more"
    );

    assert!(
        block_on(a.rates(&t, &rate_request("110046", UNSERVICEABLE_PIN, prepaid())))
            .unwrap()
            .is_empty()
    );
    assert!(
        block_on(a.rates(&t, &rate_request("110046", "940001", cod(10000))))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        block_on(a.rates(&t, &rate_request("110046", "940001", prepaid())))
            .unwrap()
            .len(),
        2
    );

    // Booking to an unserviceable pincode is refused the way Delhivery refuses it.
    let e = block_on(a.create_shipment(
        &t,
        "sg_nowhere",
        &shipment_request(UNSERVICEABLE_PIN, prepaid(), None),
    ))
    .unwrap_err();
    assert!(
        matches!(e, CarrierError::Rejected { ref code, .. } if code == "non_serviceable_pincode"),
        "{e:?}"
    );
    assert_eq!(sim.bookings(), 0);
}

/// The simulated charges API refuses a weight or COD amount whose charges would
/// overflow (a saturated `as` cast once made them panic), as it refuses a bad parameter.
#[test]
fn simulator_charges_refuse_figures_beyond_any_shipment() {
    let sim = DelhiverySimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let a = adapter();
    let request = a.rate_request(
        &rate_request("110046", "560102", cod(149900)),
        Service::Surface,
    );
    let with = |key: &str, value: &str| {
        let mut r = t.sim_request(&request);
        for (k, v) in &mut r.query {
            if k == key {
                *v = value.to_string();
            }
        }
        sim.handle(&r)
    };
    assert_eq!(with("cgm", "900").status, 200);
    for (key, value) in [("cgm", "1e17"), ("cod", "1e20"), ("cod", "-1e20")] {
        let answer = with(key, value);
        let body = String::from_utf8_lossy(&answer.body);
        assert_eq!(answer.status, 400, "{key}={value}: {body}");
        assert!(body.contains(key), "{body}");
    }
}

#[test]
fn simulator_rejects_a_wrong_token_and_warehouse() {
    let sim = DelhiverySimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let mut settings = sandbox_settings();
    settings.insert("api_token".into(), "not-the-token".into());
    let wrong = Delhivery::new(&settings).unwrap();
    let e = block_on(wrong.track(&t, &shipment_ref("sg_1", Some("1")))).unwrap_err();
    assert_eq!(
        e,
        CarrierError::rejected(delhivery::UNAUTHORIZED, "Invalid token.", 401)
    );
    let body = common::fixture(CARRIER, "auth_response_invalid_token_http401.json");
    let e = delhivery::parse_cancel_response(&HttpResponse::new(401, body)).unwrap_err();
    assert_eq!(
        e,
        CarrierError::rejected(delhivery::UNAUTHORIZED, "Invalid token.", 401)
    );

    let mut settings = sandbox_settings();
    settings.insert("pickup_location".into(), "Somewhere Else".into());
    let wrong = Delhivery::new(&settings).unwrap();
    let e =
        block_on(wrong.create_shipment(&t, "sg_1", &shipment_request("560102", prepaid(), None)))
            .unwrap_err();
    assert_eq!(
        e,
        CarrierError::rejected(
            "unknown_pickup_location",
            "ClientWarehouse matching query does not exist.",
            200
        )
    );
    assert_eq!(sim.bookings(), 0);
}

#[test]
fn check_account_reads_one_pincode_with_the_accounts_own_token() {
    let sim = DelhiverySimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    common::add_account(
        &sim,
        json!({"account": "tenant", "api_token": "tenant-token"}),
    );
    let with_token = |token: &str| {
        let mut settings = sandbox_settings();
        settings.insert("api_token".into(), token.into());
        Delhivery::new(&settings).unwrap()
    };
    let check = |adapter: Delhivery| block_on(adapter.check_account(&t));
    assert_eq!(
        check(with_token("tenant-token")),
        Ok(AccountCheck::Verified)
    );
    assert_eq!(
        check(with_token("tenant-token")),
        Ok(AccountCheck::Verified)
    );
    assert_eq!(check(adapter()), Ok(AccountCheck::Verified));
    assert_eq!(
        check(with_token("not-a-token")),
        Err(CarrierError::rejected(
            delhivery::UNAUTHORIZED,
            "Invalid token.",
            401
        ))
    );
    let counts = [("default".to_string(), 1), ("tenant".to_string(), 2)];
    assert_eq!(common::account_requests(&sim), counts);
    let log = t.log.lock().unwrap().clone();
    let pincode_reads = (Operation::CheckAccount, delhivery::PINCODE_PATH.to_string());
    assert_eq!(log, vec![pincode_reads; 4], "one call each");
    assert!(Operation::CheckAccount.is_idempotent(), "a read");
}

#[test]
fn simulator_is_thread_safe_and_waybills_are_unique() {
    let sim = DelhiverySimulator::new();
    let awbs = Mutex::new(BTreeSet::new());
    std::thread::scope(|scope| {
        for worker in 0..4 {
            let (sim, awbs) = (&sim, &awbs);
            scope.spawn(move || {
                let t = SimTransport::new(sim, SIM_ROOT);
                let a = adapter();
                for i in 0..10 {
                    let id = format!("sg_thread_{worker}_{i}");
                    let created = block_on(a.create_shipment(
                        &t,
                        &id,
                        &shipment_request("560102", prepaid(), None),
                    ))
                    .unwrap();
                    block_on(a.track(&t, &shipment_ref(&id, Some(&created.awb)))).unwrap();
                    awbs.lock().unwrap().insert(created.awb);
                }
            });
        }
    });
    assert_eq!(awbs.lock().unwrap().len(), 40);
    assert_eq!(sim.bookings(), 40);
}

#[test]
fn simulator_times_are_zone_less_ist() {
    let sim = DelhiverySimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let a = adapter();
    let created =
        block_on(a.create_shipment(&t, "sg_times", &shipment_request("560102", prepaid(), None)))
            .unwrap();
    let answer = sim.handle(&t.sim_request(&a.track_request(&created.awb)));
    let v: Value = serde_json::from_slice(&answer.body).unwrap();
    let text = v["ShipmentData"][0]["Shipment"]["Scans"][0]["ScanDetail"]["StatusDateTime"]
        .as_str()
        .unwrap();
    assert!(!text.ends_with('Z') && !text.contains('+'), "{text}");
    let utc_time = IST.parse(text).unwrap();
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").unwrap();
    assert_eq!(
        Utc.from_utc_datetime(&naive) - utc_time,
        chrono::Duration::minutes(330)
    );
}

// ---------------------------------------------------------------------------------------
// Lookup: finding a booking whose create answer was lost
// ---------------------------------------------------------------------------------------

/// The reference the 2026 production captures were booked under.
const CAPTURE_REF: &str = "CAPTURE-1787596016179";

#[test]
fn lookup_reads_real_track_answers_as_the_booking_create_made() {
    let Some(create) = common::sample(CARRIER, "prod2026_create_package_response_success.json")
    else {
        return;
    };
    let created = delhivery::parse_create_response(&ok(create), Service::Surface).unwrap();
    // The same shipment tracked by reference, before and after its cancellation: the
    // lookup describes the booking as create did (AWB, `order`, `client`).
    for file in [
        "prod2026_track_response_manifested_verbose0.json",
        "prod2026_track_response_cancelled_verbose0.json",
        "prod2026_track_response_cancelled_verbose1.json",
        "prod2026_track_response_cancelled_verbose2.json",
        "prod2026_track_response_not_picked_verbose0.json",
    ] {
        let body = common::sample(CARRIER, file).unwrap();
        let found = delhivery::parse_lookup_response(&ok(body), CAPTURE_REF)
            .unwrap_or_else(|e| panic!("{file}: {e}"))
            .unwrap_or_else(|| panic!("{file}: a cancelled booking is still the booking"));
        assert_eq!(found.awb, created.awb, "{file}");
        for key in ["order", "client"] {
            assert_eq!(
                found.carrier_refs[key], created.carrier_refs[key],
                "{file}: {key}"
            );
        }
        assert_eq!(found.service, "surface", "tracking does not name the mode");
        assert_eq!(found.routing_code, None);
        assert!(found.labels.is_empty() && found.charged.is_none());
    }
    // References compare trimmed and regardless of case.
    let body = common::sample(CARRIER, "prod2026_track_response_manifested_verbose0.json").unwrap();
    let found = delhivery::parse_lookup_response(&ok(body.clone()), " capture-1787596016179 ")
        .unwrap()
        .unwrap();
    assert_eq!(found.awb, "57930810000066");
    // An answer naming only another reference is not "no booking": it is unreadable.
    let e = delhivery::parse_lookup_response(&ok(body), "sg_someone_else").unwrap_err();
    assert!(matches!(e, CarrierError::BadResponse(_)), "{e:?}");
    assert!(e.may_have_happened());

    // The 2024 capture (verbose=2, another account) reads the same way.
    let body = common::sample(CARRIER, "prod2024_track_response_in_transit_verbose2.json").unwrap();
    let found = delhivery::parse_lookup_response(&ok(body), "2245")
        .unwrap()
        .unwrap();
    assert_eq!(found.awb, "26805710004126");
    assert_eq!(found.carrier_refs["order"], "2245");
    assert_eq!(found.carrier_refs["client"], "c00000-EXAMPLECLIENT-do");
}

#[test]
fn lookup_misses_are_none_and_other_failures_stay_errors() {
    let Some(body) = common::sample(CARRIER, "prod2026_track_response_unknown_awb_http200.json")
    else {
        return;
    };
    // "Data does not exists": no booking under this reference, booking again is safe.
    assert_eq!(
        delhivery::parse_lookup_response(&ok(body), "sg_never_booked").unwrap(),
        None
    );
    assert_eq!(
        delhivery::parse_lookup_response(&ok(br#"{"ShipmentData": []}"#.to_vec()), "sg_1").unwrap(),
        None
    );
    // Any other refusal says nothing about the booking and must not read as "none".
    let body = common::sample(CARRIER, "staging2017_track_response_error_http200.json").unwrap();
    let e = delhivery::parse_lookup_response(&ok(body), "sg_1").unwrap_err();
    assert!(
        matches!(e, CarrierError::Rejected { ref code, .. } if code == delhivery::TRACK_ERROR),
        "{e:?}"
    );
    let denied = HttpResponse::new(
        401,
        common::fixture(CARRIER, "auth_response_invalid_token_http401.json"),
    );
    let e = delhivery::parse_lookup_response(&denied, "sg_1").unwrap_err();
    assert!(
        matches!(e, CarrierError::Rejected { ref code, .. } if code == delhivery::UNAUTHORIZED),
        "{e:?}"
    );
    let e = delhivery::parse_lookup_response(&HttpResponse::new(502, "bad gateway"), "sg_1")
        .unwrap_err();
    assert!(e.may_have_happened(), "{e:?}");
    let e = delhivery::parse_lookup_response(&ok(b"{}".to_vec()), "sg_1").unwrap_err();
    assert!(matches!(e, CarrierError::BadResponse(_)), "{e:?}");
}

#[test]
fn lookup_is_one_track_call_by_reference() {
    let Some(body) = common::sample(CARRIER, "prod2026_track_response_manifested_verbose0.json")
    else {
        return;
    };
    let t = Scripted::new([ok(body)]);
    let found = block_on(adapter().lookup(&t, &shipment_ref(CAPTURE_REF, None)))
        .unwrap()
        .unwrap();
    assert_eq!(found.awb, "57930810000066");
    let sent = t.sent();
    assert_eq!(sent.len(), 1);
    let (op, request) = &sent[0];
    assert_eq!(*op, Operation::Lookup);
    assert!(op.is_idempotent(), "the executor may retry a lookup");
    assert_eq!(
        (request.method, request.path.as_str()),
        (Method::Get, delhivery::TRACK_PATH)
    );
    assert_eq!(
        request.query,
        vec![
            ("ref_ids".to_string(), CAPTURE_REF.to_string()),
            ("verbose".to_string(), "1".to_string())
        ]
    );
    // Without a reference there is nothing to look up, and nothing is sent (an empty
    // `ref_ids` would come back "not found" and wrongly invite a second booking).
    let t = Scripted::new([]);
    let e = block_on(adapter().lookup(&t, &shipment_ref("  ", None))).unwrap_err();
    assert!(matches!(e, CarrierError::NotSent(_)), "{e:?}");
    assert!(t.sent().is_empty());
}

#[test]
fn simulator_lookup_finds_the_booking_create_made() {
    let sim = DelhiverySimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let a = adapter();
    let created = block_on(a.create_shipment(
        &t,
        "sg_lookup_1",
        &shipment_request("560102", cod(149900), Some("express")),
    ))
    .unwrap();
    let found = block_on(a.lookup(&t, &shipment_ref("sg_lookup_1", None)))
        .unwrap()
        .expect("the booking is found by shipgate's id");
    assert_eq!(found.awb, created.awb);
    assert_eq!(found.carrier_refs["order"], "sg_lookup_1");
    assert_eq!(found.carrier_refs["client"], created.carrier_refs["client"]);
    assert_eq!(found.carrier_refs["client"], SANDBOX_CLIENT);
    // The label's routing code comes from the pincode API, as documented.
    assert_eq!(
        block_on(a.routing_code(&t, "560102")).unwrap(),
        created.routing_code
    );

    // Nobody booked this reference.
    assert_eq!(
        block_on(a.lookup(&t, &shipment_ref("sg_lookup_never", None))).unwrap(),
        None
    );

    // Cancelled at Delhivery: still the booking; tracking shows the cancellation.
    let r = shipment_ref("sg_lookup_1", Some(&created.awb));
    block_on(a.cancel(&t, &r)).unwrap();
    let found = block_on(a.lookup(&t, &shipment_ref("sg_lookup_1", None)))
        .unwrap()
        .unwrap();
    assert_eq!(found.awb, created.awb);
    assert_eq!(sim.bookings(), 1);
}

#[test]
fn simulator_create_whose_answer_is_lost_is_found_not_rebooked() {
    let sim = DelhiverySimulator::new();
    // Delhivery books the waybill, but the answer arrives after the gateway gave up.
    let t = SimTransport::new(&sim, SIM_ROOT).with_fault(Box::new(|op, _| {
        if op == Operation::CreateShipment {
            Fault::LoseAnswer(CarrierError::Timeout { timeout_ms: 10_000 })
        } else {
            Fault::Pass
        }
    }));
    let a = adapter();
    let req = shipment_request("400001", prepaid(), None);
    let e = block_on(a.create_shipment(&t, "sg_lost_answer", &req)).unwrap_err();
    assert!(e.may_have_happened(), "{e:?}");
    assert_eq!(sim.bookings(), 1, "the waybill was booked all the same");

    let found = block_on(a.lookup(&t, &shipment_ref("sg_lost_answer", None)))
        .unwrap()
        .expect("lookup finds the booking the lost answer described");
    assert_eq!(found.awb.len(), 14);
    assert_eq!(found.carrier_refs["order"], "sg_lost_answer");
    // It is the waybill Delhivery holds: tracking it by AWB names the same shipment.
    let tracked = block_on(a.track(&t, &shipment_ref("sg_lost_answer", Some(&found.awb)))).unwrap();
    assert_eq!(tracked.awb, found.awb);
    // Looking up again is harmless, and a blind retry would be refused, not re-booked.
    let again = block_on(a.lookup(&t, &shipment_ref("sg_lost_answer", None)))
        .unwrap()
        .unwrap();
    assert_eq!(again.awb, found.awb);
    t.clear_fault();
    let e = block_on(a.create_shipment(&t, "sg_lost_answer", &req)).unwrap_err();
    assert_eq!(
        e,
        CarrierError::rejected("duplicate_order_id", "Duplicate Order Id", 200)
    );
    assert_eq!(sim.bookings(), 1);
}

// ---------------------------------------------------------------------------------------
// NDR actions
// ---------------------------------------------------------------------------------------

fn ndr(a: &Delhivery) -> &dyn NdrActions {
    a.ndr_actions().expect("Delhivery takes NDR actions")
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

fn body_of(request: &carriers::wire::HttpRequest) -> Value {
    serde_json::from_slice(request.body.as_deref().unwrap()).unwrap()
}

#[test]
fn ndr_requests_are_delhiverys_documented_shape() {
    let a = adapter();
    let request = a
        .ndr_request(" 2999000000001 ", &NdrAction::Reattempt { date: None })
        .unwrap();
    assert_eq!(
        (request.method, request.path.as_str()),
        (Method::Post, "/api/p/update")
    );
    let reattempt = body_of(&request);
    assert_eq!(
        reattempt,
        json!({"data": [{"waybill": "2999000000001", "act": "RE-ATTEMPT"}]})
    );
    // The docs' sample, its waybill ours: the same keys and words.
    if let Some(sample) = common::sample(CARRIER, "docs_ndr_action_request.json") {
        let mut sample: Value = serde_json::from_slice(&sample).unwrap();
        sample["data"][0]["waybill"] = json!("2999000000001");
        assert_eq!(reattempt, sample);
    }
    let deferred = json!({"waybill": "2999000000001", "act": "DEFER_DLV",
                          "action_data": {"deferred_date": "2026-12-08"}});
    for action in [
        NdrAction::Reschedule { date: day(8) },
        NdrAction::Reattempt { date: Some(day(8)) },
    ] {
        let body = body_of(&a.ndr_request("2999000000001", &action).unwrap());
        assert_eq!(body["data"][0], deferred, "{action:?}");
    }
    let phone = Phone::parse("+91 98765 43210", "IN").unwrap();
    let body = body_of(
        &a.ndr_request("2999000000001", &NdrAction::ChangePhone { phone })
            .unwrap(),
    );
    assert_eq!(body["data"][0]["act"], "EDIT_DETAILS");
    assert_eq!(
        body["data"][0]["action_data"],
        json!({"phone": "9876543210"})
    );
    let to = shipment_request("560001", prepaid(), None).to;
    let address = NdrAction::ChangeAddress {
        address: Box::new(to.clone()),
    };
    let body = body_of(&a.ndr_request("2999000000001", &address).unwrap());
    let data = &body["data"][0]["action_data"];
    assert_eq!(
        (data["name"].as_str(), data["add"].as_str()),
        (Some(to.name.as_str()), Some(to.street().as_str()))
    );
    // No return instruction in Delhivery's NDR API: refused before anything is sent.
    assert!(!ndr(&a).offers(NdrActionKind::Rto));
    for kind in [
        NdrActionKind::Reattempt,
        NdrActionKind::Reschedule,
        NdrActionKind::ChangeAddress,
        NdrActionKind::ChangePhone,
    ] {
        assert!(ndr(&a).offers(kind), "{kind:?}");
    }
    let t = Scripted::new([]);
    let refused = block_on(ndr(&a).act(
        &t,
        &shipment_ref("sg_1", Some("2999000000001")),
        &NdrAction::ReturnToOrigin,
    ));
    assert!(
        matches!(refused, Err(CarrierError::Unsupported(_))),
        "{refused:?}"
    );
    assert!(t.sent().is_empty());
}

#[test]
fn ndr_answers_from_fixtures() {
    let upload = delhivery::parse_ndr_response(&fixture("ndr_update_response_upload_id.json"));
    assert_eq!(upload.unwrap(), "UPL29990000010001");
    let status = |file, waybill| {
        delhivery::parse_ndr_status_response(&fixture(file), waybill, "UPL29990000010001")
    };
    let applied = status("ndr_status_response_applied.json", "2999000000001").unwrap();
    assert!(applied.accepted);
    assert_eq!(applied.carrier_message, "DEFER_DLV applied");
    assert_eq!(applied.carrier_ref.as_deref(), Some("UPL29990000010001"));
    let refused = status("ndr_status_response_refused.json", "2999000000002").unwrap_err();
    let CarrierError::Rejected { code, message, .. } = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(code, delhivery::NDR_REFUSED);
    assert!(message.starts_with("RE-ATTEMPT not allowed"), "{message}");
    // A status without a line for the waybill yet: still being processed, so taken.
    let queued = status("ndr_status_response_refused.json", "2999000000009").unwrap();
    assert!(queued.accepted, "{queued:?}");
    // An answer without an upload id says why in its words, or is unreadable.
    let no_id = delhivery::parse_ndr_response(&ok(
        br#"{"success": false, "error": "data: no waybill given"}"#.to_vec(),
    ));
    assert_eq!(
        no_id,
        Err(CarrierError::rejected(
            delhivery::NDR_REFUSED,
            "data: no waybill given",
            200
        ))
    );
    let silent = delhivery::parse_ndr_response(&ok(b"{}".to_vec()));
    assert!(
        matches!(silent, Err(CarrierError::BadResponse(_))),
        "{silent:?}"
    );
    let body = common::fixture(CARRIER, "auth_response_invalid_token_http401.json");
    let token = delhivery::parse_ndr_response(&HttpResponse::new(401, body));
    assert!(
        matches!(
            token,
            Err(CarrierError::Rejected {
                http_status: 401,
                ..
            })
        ),
        "{token:?}"
    );
}

/// Books a prepaid parcel to `pin` on the simulator; the adapter, its transport and the ref.
fn booked_on<'s>(
    sim: &'s DelhiverySimulator,
    order: &str,
    pin: &str,
) -> (Delhivery, SimTransport<&'s DelhiverySimulator>, ShipmentRef) {
    let t = SimTransport::new(sim, SIM_ROOT);
    let a = adapter();
    let created = block_on(a.create_shipment(&t, order, &shipment_request(pin, prepaid(), None)));
    let r = shipment_ref(order, Some(&created.unwrap().awb));
    (a, t, r)
}

fn failed(sub: SubStatus) -> bool {
    sub.status() == Status::DeliveryFailed
}

#[test]
fn simulator_ndr_reattempt_then_delivered() {
    let sim = DelhiverySimulator::new();
    let (a, t, r) = booked_on(&sim, "sg_ndr", "560199");
    let track = || subs(&block_on(a.track(&t, &r)).unwrap());
    // Seven forward scans after the manifest one, then the failed attempt.
    let (calls, _) = common::track_until(20, track, failed);
    assert_eq!(calls, 8);
    let taken = block_on(ndr(&a).act(&t, &r, &NdrAction::Reattempt { date: None })).unwrap();
    assert!(taken.accepted);
    assert!(
        taken
            .carrier_ref
            .as_deref()
            .is_some_and(|id| id.starts_with("UPL")),
        "{taken:?}"
    );
    // One instruction per failed attempt.
    let again = block_on(ndr(&a).act(&t, &r, &NdrAction::Reattempt { date: None })).unwrap_err();
    assert!(
        matches!(&again, CarrierError::Rejected { code, .. } if code == delhivery::NDR_REFUSED),
        "{again:?}"
    );
    assert_eq!(track().last(), Some(&SubStatus::OutForDelivery));
    assert_eq!(track().last(), Some(&SubStatus::Delivered));
    // Delivered: nothing more to instruct.
    let late = block_on(ndr(&a).act(&t, &r, &NdrAction::Reschedule { date: day(9) })).unwrap_err();
    let CarrierError::Rejected { code, message, .. } = late else {
        panic!("{late:?}")
    };
    assert_eq!(code, delhivery::NDR_REFUSED);
    assert!(message.contains("not pending"), "{message}");
    // Each instruction is an update and one status read.
    let ndr_calls = t
        .ops()
        .iter()
        .filter(|op| **op == Operation::NdrAction)
        .count();
    assert_eq!(ndr_calls, 6);
}

#[test]
fn simulator_ndr_reschedule_turns_an_rto_bound_parcel_into_a_delivery() {
    let sim = DelhiverySimulator::new();
    // 98: without an instruction two failed attempts, then back to the origin.
    let (a, t, r) = booked_on(&sim, "sg_ndr_rto", "560198");
    let track = || subs(&block_on(a.track(&t, &r)).unwrap());
    let (calls, _) = common::track_until(20, track, failed);
    assert_eq!(calls, 8);
    block_on(ndr(&a).act(&t, &r, &NdrAction::Reschedule { date: day(8) })).unwrap();
    let (calls, seen) = common::track_until(5, track, |s| s == SubStatus::Delivered);
    assert_eq!(calls, 2);
    assert_eq!(seen.iter().filter(|s| failed(**s)).count(), 1, "{seen:?}");
    assert!(!seen.iter().any(|s| s.status() == Status::Rto), "{seen:?}");
}

#[test]
fn simulator_ndr_refuses_an_unknown_waybill_and_a_parcel_not_yet_attempted() {
    let sim = DelhiverySimulator::new();
    let (a, t, r) = booked_on(&sim, "sg_ndr_early", "560199");
    let phone = NdrAction::ChangePhone {
        phone: Phone::parse("9876543210", "IN").unwrap(),
    };
    for shipment in [r.clone(), shipment_ref("sg_none", Some("2999999999999"))] {
        let refused = block_on(ndr(&a).act(&t, &shipment, &phone)).unwrap_err();
        assert!(
            matches!(&refused, CarrierError::Rejected { code, .. } if code == delhivery::NDR_REFUSED),
            "{refused:?}"
        );
    }
}
