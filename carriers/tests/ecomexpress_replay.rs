//! Ecom Express adapter against the project's own fixtures and the simulator.
//!
//! Ecom Express has no shared samples (`../shared/carrier-samples` holds none for it):
//! the fixtures in `fixtures/ecomexpress` are the project's own, written from the sources
//! in `fixtures/ecomexpress/SOURCES.md`. Every fixture is replayed here (a test fails on
//! a fixture no case reads).

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::{Value, json};

use carriers::ecomexpress::simulator::{
    EcomExpressSimulator, INACTIVE_PIN, SANDBOX_PASSWORD, SANDBOX_USERNAME, UNSERVICEABLE_PIN,
    sandbox_settings,
};
use carriers::ecomexpress::{self, Account, EcomExpress, Lot};
use carriers::families::{
    NdrAction, NdrActionKind, NdrActions, ReturnReason, ReturnRequest, Returns,
};
use carriers::schema::{
    LabelFormat, Lane, Phone, Serviceability, ShipmentKind, ShipmentRequest, ShipmentRequestInput,
};
use carriers::simulator::Simulator;
use carriers::taxonomy::{Status, SubStatus};
use carriers::wire::{HttpRequest, HttpResponse};
use carriers::{AccountCheck, Carrier, CarrierError, Operation};
use common::{Fault, SimTransport, block_on, cod, prepaid, shipment_ref, subs};

const CARRIER: &str = "ecomexpress";
const SIM_ROOT: &str = "http://127.0.0.1:8080/sandbox/ecomexpress";

fn adapter() -> EcomExpress {
    EcomExpress::new(&sandbox_settings()).expect("sandbox settings build the adapter")
}

fn mapping() -> &'static carriers::mapping::Mapping {
    ecomexpress::mapping().expect("mappings/ecomexpress.toml parses")
}

fn account() -> Account {
    Account {
        username: zeroize::Zeroizing::new("api-user".into()),
        password: zeroize::Zeroizing::new("p@ss&word=1".into()),
        pickup_location_code: "WH-DEL-1".into(),
        seller_gstin: Some("07AAACS1234A1Z5".into()),
        single_host: false,
    }
}

fn shipment_request(to_pin: &str, payment: Value, value_paise: i64) -> ShipmentRequest {
    let input: ShipmentRequestInput = serde_json::from_value(json!({
        "order_ref": "ORD-EE-1",
        "carrier": "ecomexpress",
        "from": {"name": "Acme Traders", "phone": "+91 98765 43210", "line1": "12 MG Road",
                 "city": "New Delhi", "state": "Delhi", "postal_code": "110055"},
        "to": {"name": "Asha Rao", "phone": "09123456789", "line1": "Flat 5, Lake View", "line2": "HSR Layout",
               "city": "Bengaluru", "state": "Karnataka", "postal_code": to_pin},
        "parcels": [{"weight_g": 1200, "length_mm": 200, "width_mm": 100, "height_mm": 101,
                     "declared_value": {"amount": value_paise, "currency": "INR"}, "description": "Mobile phone"}],
        "payment": payment,
    }))
    .unwrap();
    ShipmentRequest::parse(&input).expect("valid shipment request")
}

fn form(request: &HttpRequest) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(request.body.as_deref().unwrap_or_default()).unwrap()
}

fn form_field(request: &HttpRequest, key: &str) -> Option<String> {
    form(request)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

fn json_input(request: &HttpRequest) -> Value {
    serde_json::from_str(&form_field(request, "json_input").expect("json_input")).unwrap()
}

fn code_of(err: &CarrierError) -> &str {
    match err {
        CarrierError::Rejected { code, .. } => code,
        other => panic!("not a refusal: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Every fixture
// ---------------------------------------------------------------------------------------

#[test]
fn every_fixture_reads_into_unified_values() {
    let mut read = BTreeSet::new();
    let mut fx = |file: &str| {
        read.insert(file.to_string());
        HttpResponse::new(200, common::fixture(CARRIER, file))
    };

    // AWB series: numbers or strings, and "success": "no" inside HTTP 200.
    let series = ecomexpress::parse_fetch_awb(&fx("fetch_awb_ok.json")).unwrap();
    assert_eq!(series.len(), 5);
    assert_eq!(series[2], "2004817303");
    let err = ecomexpress::parse_fetch_awb(&fx("fetch_awb_refused.json")).unwrap_err();
    assert!(err.to_string().contains("Invalid type"), "{err}");

    // Manifests.
    ecomexpress::parse_manifest(&fx("manifest_ok.json"), "2004817301").unwrap();
    let other = ecomexpress::parse_manifest(&fx("manifest_ok.json"), "2004817399").unwrap_err();
    assert!(matches!(other, CarrierError::BadResponse(_)), "{other:?}");
    let in_use = ecomexpress::parse_manifest(&fx("manifest_awb_in_use.json"), "2004817301");
    assert_eq!(code_of(&in_use.unwrap_err()), ecomexpress::AWB_IN_USE);
    let unserved = ecomexpress::parse_manifest(&fx("manifest_not_serviceable.json"), "2004817301");
    assert_eq!(
        code_of(&unserved.unwrap_err()),
        ecomexpress::NOT_SERVICEABLE
    );
    ecomexpress::parse_reverse(&fx("reverse_ok.json"), "3000214420").unwrap();
    let rev = ecomexpress::parse_reverse(&fx("reverse_refused.json"), "3000214420").unwrap_err();
    assert_eq!(code_of(&rev), ecomexpress::NOT_SERVICEABLE);

    // Pincodes: served, prepaid only, inactive, not listed.
    let served = ecomexpress::parse_pincode(&fx("pincode_served.json"), "560034")
        .unwrap()
        .unwrap();
    assert!(served.cod() && served.prepaid() && served.reverse());
    let prepaid_only = ecomexpress::parse_pincode(&fx("pincode_prepaid_only.json"), "793001")
        .unwrap()
        .unwrap();
    assert!(prepaid_only.prepaid() && !prepaid_only.cod() && !prepaid_only.reverse());
    let inactive = ecomexpress::parse_pincode(&fx("pincode_inactive.json"), "194101")
        .unwrap()
        .unwrap();
    assert!(!inactive.active() && !inactive.cod() && !inactive.prepaid());
    assert!(
        ecomexpress::parse_pincode(&fx("pincode_not_listed.json"), "999999")
            .unwrap()
            .is_none()
    );
    assert!(
        ecomexpress::parse_pincode(&fx("pincode_served.json"), "560001")
            .unwrap()
            .is_none()
    );

    // Cancel and NDR, refusals inside HTTP 200.
    let done = ecomexpress::parse_cancel(&fx("cancel_ok.json"), "2004817301").unwrap();
    assert!(!done.carrier_message.is_empty());
    let late = ecomexpress::parse_cancel(&fx("cancel_refused.json"), "2004817301").unwrap_err();
    assert_eq!(code_of(&late), ecomexpress::NOT_ALLOWED);
    let taken = ecomexpress::parse_ndr(&fx("ndr_ok.json"), "2004817301").unwrap();
    assert!(taken.accepted && taken.carrier_ref.is_none());
    let not = ecomexpress::parse_ndr(&fx("ndr_refused.json"), "2004817301").unwrap_err();
    assert_eq!(code_of(&not), ecomexpress::NOT_ALLOWED);
    let label = ecomexpress::parse_label(&fx("label_refused.json")).unwrap_err();
    assert!(label.to_string().contains("No label found"), "{label}");

    // Tracking XML: newest first on the wire, oldest first read; IST without a zone.
    let delivered =
        ecomexpress::parse_track(mapping(), &fx("track_delivered.xml"), "2004817301").unwrap();
    assert_eq!(
        subs(&delivered),
        [
            SubStatus::Manifested,
            SubStatus::PickedUp,
            SubStatus::DepartedFacility,
            SubStatus::ReachedDestinationHub,
            SubStatus::CodNotReady,
            SubStatus::OutForDelivery,
            SubStatus::Delivered,
        ]
    );
    let first = &delivered.events[0];
    assert_eq!(first.event_time, common::utc("2026-12-06T05:50:00Z"));
    let ndr = &delivered.events[4];
    assert_eq!(ndr.carrier_code, "209");
    assert_eq!(
        ndr.ndr_reason.as_deref(),
        Some("Consignee Refusing to Pay COD Amount")
    );
    assert_eq!(ndr.attempt, Some(1));
    assert_eq!(
        delivered.events[6].location.as_deref(),
        Some("BENGALURU, KRM")
    );

    // After the RTS (777), the forward codes mean the way back.
    let rto = ecomexpress::parse_track(mapping(), &fx("track_rto.xml"), "1000730045").unwrap();
    assert_eq!(
        subs(&rto),
        [
            SubStatus::PickedUp,
            SubStatus::ReachedDestinationHub,
            SubStatus::OutForDelivery,
            SubStatus::Refused,
            SubStatus::RtoInitiated,
            SubStatus::RtoInTransit,
            SubStatus::RtoOutForDelivery,
            SubStatus::RtoDelivered,
        ]
    );

    // Exceptions, an unreadable time skipped, an unknown code kept unmapped.
    let ex = ecomexpress::parse_track(
        mapping(),
        &fx("track_exceptions_unmapped.xml"),
        "1000730077",
    )
    .unwrap();
    assert_eq!(
        subs(&ex),
        [
            SubStatus::Unmapped,
            SubStatus::Delayed,
            SubStatus::Stuck,
            SubStatus::Lost
        ]
    );
    assert_eq!(ex.events[0].carrier_code, "98765");

    let missing = ecomexpress::parse_track(mapping(), &fx("track_not_found.xml"), "2004817301");
    assert_eq!(code_of(&missing.unwrap_err()), ecomexpress::NOT_FOUND);

    // Pushes.
    let mut push = |file: &str| {
        read.insert(file.to_string());
        common::fixture(CARRIER, file)
    };
    let one = ecomexpress::parse_pushes(mapping(), &push("webhook_ecom_delivered.json")).unwrap();
    assert_eq!(one[0].awb, "2004817388");
    assert_eq!(one[0].reference.as_deref(), Some("shp_push_01"));
    assert_eq!(one[0].events[0].sub_status, SubStatus::Delivered);
    assert_eq!(
        one[0].events[0].event_time,
        common::utc("2026-12-09T07:35:41Z")
    );
    let ndr = ecomexpress::parse_push(mapping(), &push("webhook_ecom_ndr.json")).unwrap();
    assert_eq!(ndr.events[0].sub_status, SubStatus::CustomerUnavailable);
    assert_eq!(
        ndr.events[0].ndr_reason.as_deref(),
        Some("Consignee Not Available")
    );
    let batch = ecomexpress::parse_pushes(mapping(), &push("webhook_ecom_batch.json")).unwrap();
    let got: Vec<(&str, SubStatus)> = batch
        .iter()
        .map(|u| (u.awb.as_str(), u.events[0].sub_status))
        .collect();
    assert_eq!(
        got,
        [
            ("1000730101", SubStatus::PickedUp),
            ("1000730102", SubStatus::ReachedDestinationHub)
        ]
    );
    let back =
        ecomexpress::parse_push(mapping(), &push("webhook_ecom_rts_delivered.json")).unwrap();
    assert_eq!(back.events[0].sub_status, SubStatus::RtoDelivered);
    let no_awb = ecomexpress::parse_pushes(mapping(), &push("webhook_ecom_no_awb.json"));
    assert!(no_awb.is_err());

    // Every fixture file was read by a case above.
    let all: BTreeSet<String> = std::fs::read_dir(common::fixtures_dir(CARRIER))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".json") || n.ends_with(".xml"))
        .collect();
    assert_eq!(all, read, "every fixture replayed");
}

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

#[test]
fn requests_are_form_bodies_with_credentials_and_json_inside() {
    let a = account();
    let fetch = ecomexpress::fetch_awb_request(&a, Lot::Cod).unwrap();
    assert_eq!(fetch.path, "https://api.ecomexpress.in/apiv2/fetch_awb/");
    assert_eq!(
        fetch.content_type,
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(form_field(&fetch, "username").as_deref(), Some("api-user"));
    // The password survives form encoding (`&` and `=` inside it).
    assert_eq!(
        form_field(&fetch, "password").as_deref(),
        Some("p@ss&word=1")
    );
    assert_eq!(form_field(&fetch, "type").as_deref(), Some("COD"));
    assert_eq!(form_field(&fetch, "count").as_deref(), Some("50"));
    assert!(fetch.secrets().iter().any(|s| s == "p@ss&word=1"));
    assert_eq!(
        ecomexpress::fetch_awb_request(&a, Lot::Reverse)
            .map(|r| form_field(&r, "type"))
            .unwrap()
            .as_deref(),
        Some("REV")
    );

    let date = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    let req = shipment_request("560034", cod(149_950), 149_950);
    let s = ecomexpress::forward_shipment(&a, "shp_1", &req, "2004817301", date).unwrap();
    let manifest = ecomexpress::manifest_request(&a, &s).unwrap();
    assert_eq!(
        manifest.path,
        "https://api.ecomexpress.in/apiv2/manifest_awb/"
    );
    let sent = json_input(&manifest);
    let line = &sent[0];
    assert_eq!(line["AWB_NUMBER"], "2004817301");
    assert_eq!(line["ORDER_NUMBER"], "shp_1");
    assert_eq!(line["PRODUCT"], "COD");
    assert_eq!(line["COLLECTABLE_VALUE"], "1499.50");
    assert_eq!(line["DECLARED_VALUE"], "1499.50");
    assert_eq!(line["PINCODE"], "560034");
    assert_eq!(line["MOBILE"], "9123456789");
    assert_eq!(line["PICKUP_MOBILE"], "9876543210");
    assert_eq!(line["CONSIGNEE_ADDRESS1"], "Flat 5, Lake View");
    assert_eq!(line["CONSIGNEE_ADDRESS2"], "HSR Layout");
    assert_eq!(
        (line["LENGTH"].as_u64(), line["HEIGHT"].as_u64()),
        (Some(20), Some(11))
    );
    assert_eq!(line["ACTUAL_WEIGHT"], 1.2);
    assert_eq!(line["ADDITIONAL_INFORMATION"]["INVOICE_NUMBER"], "ORD-EE-1");
    assert_eq!(line["ADDITIONAL_INFORMATION"]["INVOICE_DATE"], "06-12-2026");
    assert_eq!(
        line["ADDITIONAL_INFORMATION"]["PICKUP_LOCATION_CODE"],
        "WH-DEL-1"
    );

    // Refused unsent: an e-way-bill value, an order number Ecom cannot take.
    let big = shipment_request("560034", prepaid(), 5_000_000);
    let err = ecomexpress::forward_shipment(&a, "shp_1", &big, "", date).unwrap_err();
    assert!(matches!(err, CarrierError::Unsupported(_)), "{err:?}");
    let long = ecomexpress::forward_shipment(&a, &"s".repeat(51), &req, "", date);
    assert!(matches!(long, Err(CarrierError::NotSent(_))));

    // Tracking and cancel name the AWB; tracking goes to plapi.
    let track = ecomexpress::track_request(&a, " 2004817301 ").unwrap();
    assert_eq!(
        track.path,
        "https://plapi.ecomexpress.in/track_me/api/mawbd/"
    );
    assert_eq!(form_field(&track, "awb").as_deref(), Some("2004817301"));
    let cancel = ecomexpress::cancel_request(&a, "2004817301").unwrap();
    assert_eq!(form_field(&cancel, "awbs").as_deref(), Some("2004817301"));

    // NDR: RAD with a date (tomorrow by default), phone, address; RTO.
    let ndr = |action: &NdrAction| ecomexpress::ndr_request(&a, "2004817301", action, date);
    let plain = json_input(&ndr(&NdrAction::Reattempt { date: None }).unwrap());
    assert_eq!(plain[0]["instruction"], "RAD");
    assert_eq!(plain[0]["scheduled_delivery_date"], "2026-12-07");
    let phone = Phone::parse("9123456780", "IN").unwrap();
    let with_phone = json_input(&ndr(&NdrAction::ChangePhone { phone }).unwrap());
    assert_eq!(with_phone[0]["mobile"], "9123456780");
    let moved = NdrAction::ChangeAddress {
        address: Box::new(shipment_request("560035", prepaid(), 1000).to),
    };
    let with_address = json_input(&ndr(&moved).unwrap());
    assert_eq!(
        with_address[0]["consignee_address"]["CA1"],
        "Flat 5, Lake View"
    );
    let rto = json_input(&ndr(&NdrAction::ReturnToOrigin).unwrap());
    assert_eq!(rto[0]["instruction"], "RTO");
    assert!(rto[0].get("scheduled_delivery_date").is_none());
    let past = ndr(&NdrAction::Reattempt { date: Some(date) }).unwrap_err();
    assert!(matches!(past, CarrierError::NotSent(_)), "{past:?}");

    // The reverse pickup document.
    let ret = ReturnRequest {
        shipment_id: "ret_1".into(),
        pickup: req.to.clone(),
        deliver_to: req.from.clone(),
        parcels: req.parcels.clone(),
        service: None,
        reason: ReturnReason::SizeIssue,
        qc: None,
        customs: None,
    };
    let doc = ecomexpress::reverse_document(&a, &ret, "3000214420", date).unwrap();
    let http = ecomexpress::reverse_request(&a, &doc).unwrap();
    assert_eq!(
        http.path,
        "https://api.ecomexpress.in/apiv2/manifest_awb_rev_v2/"
    );
    let sent = json_input(&http);
    let s = &sent["ECOMEXPRESS-OBJECTS"]["SHIPMENT"];
    assert_eq!(
        (s["PRODUCT"].as_str(), s["REVPICKUP_PINCODE"].as_str()),
        (Some("REV"), Some("560034"))
    );
    assert_eq!(s["DROP_PINCODE"], "110055");
}

// ---------------------------------------------------------------------------------------
// Against the simulator
// ---------------------------------------------------------------------------------------

fn track_to(
    ee: &EcomExpress,
    t: &SimTransport<&EcomExpressSimulator>,
    awb: &str,
    wanted: SubStatus,
) -> Vec<SubStatus> {
    let track = || subs(&block_on(ee.track(t, &shipment_ref("any", Some(awb)))).unwrap());
    common::track_until(30, track, |s| s == wanted).1
}

#[test]
fn the_sandbox_books_from_its_awb_pool_tracks_cancels_and_takes_ndr_resolutions() {
    let sim = EcomExpressSimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let ee = adapter();
    assert_eq!(
        block_on(ee.check_account(&t)).unwrap(),
        AccountCheck::Verified
    );

    // Serviceability: both ends, by payment and direction.
    let lane = |from: &str, to: &str, cod: bool, kind| Lane {
        pickup_pincode: from.into(),
        delivery_pincode: to.into(),
        cod,
        kind,
    };
    let check = |l: Lane| block_on(ee.serviceability(&t, &l)).unwrap();
    assert_eq!(
        check(lane("110055", "560001", true, ShipmentKind::Forward)),
        Serviceability::Serviceable
    );
    assert!(
        !check(lane(
            "110055",
            UNSERVICEABLE_PIN,
            false,
            ShipmentKind::Forward
        ))
        .is_serviceable()
    );
    assert!(!check(lane("110055", INACTIVE_PIN, false, ShipmentKind::Forward)).is_serviceable());
    assert_eq!(
        check(lane("110055", "793001", true, ShipmentKind::Forward)),
        Serviceability::not("Ecom Express does not collect cash on delivery at 793001")
    );
    assert!(check(lane("110055", "793001", false, ShipmentKind::Forward)).is_serviceable());
    assert!(!check(lane("793001", "110055", false, ShipmentKind::Reverse)).is_serviceable());

    // The first COD booking fetches a series; the next draws from it.
    let creates = |from: usize| {
        t.ops()[from..]
            .iter()
            .filter(|o| **o == Operation::CreateShipment)
            .count()
    };
    let before = t.ops().len();
    let first = block_on(ee.create_shipment(
        &t,
        "shp_a",
        &shipment_request("560001", cod(49_900), 49_900),
    ))
    .unwrap();
    assert_eq!(creates(before), 2, "fetch_awb, manifest");
    assert!(
        first.awb.starts_with('2') && first.awb.len() == 10,
        "{}",
        first.awb
    );
    // Ecom's own label, fetched after the manifest: a PDF naming the AWB.
    assert_eq!(first.labels.len(), 1);
    assert!(first.labels[0].content.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&first.labels[0].content).to_string();
    assert!(text.contains(&first.awb), "the AWB is on the label");
    let again_label = block_on(ee.label(
        &t,
        &shipment_ref("shp_a", Some(&first.awb)),
        LabelFormat::Pdf,
    ))
    .unwrap();
    assert!(again_label.content.starts_with(b"%PDF-"));
    let zpl = block_on(ee.label(
        &t,
        &shipment_ref("shp_a", Some(&first.awb)),
        LabelFormat::Zpl,
    ));
    assert!(matches!(zpl, Err(CarrierError::Unsupported(_))));
    let before = t.ops().len();
    let second = block_on(ee.create_shipment(
        &t,
        "shp_b",
        &shipment_request("560001", cod(49_900), 49_900),
    ))
    .unwrap();
    assert_eq!(creates(before), 1, "drawn from the pool");
    assert_ne!(first.awb, second.awb);
    let pre =
        block_on(ee.create_shipment(&t, "shp_c", &shipment_request("560001", prepaid(), 49_900)))
            .unwrap();
    assert!(
        pre.awb.starts_with('1'),
        "a prepaid series of its own: {}",
        pre.awb
    );
    // The same shipment id again: the same AWB, Ecom's AIRWAYBILL_IN_USE, one booking.
    let again = block_on(ee.create_shipment(
        &t,
        "shp_a",
        &shipment_request("560001", cod(49_900), 49_900),
    ))
    .unwrap();
    assert_eq!(again.awb, first.awb);
    assert_eq!(sim.bookings(), 3);
    let err = block_on(ee.create_shipment(
        &t,
        "shp_d",
        &shipment_request(UNSERVICEABLE_PIN, prepaid(), 1000),
    ))
    .unwrap_err();
    assert_eq!(code_of(&err), ecomexpress::NOT_SERVICEABLE);
    assert_eq!(sim.bookings(), 3);

    // Tracking to delivered; a push of the same scan reads the same.
    let seen = track_to(&ee, &t, &first.awb, SubStatus::Delivered);
    assert_eq!(seen.first(), Some(&SubStatus::Manifested));
    assert!(
        seen.contains(&SubStatus::PickedUp) && seen.contains(&SubStatus::ReachedDestinationHub)
    );
    let push = sim.push_of(&first.awb).unwrap().to_string();
    let pushed = ee.parse_webhook(&[], push.as_bytes()).unwrap();
    assert_eq!(
        (pushed[0].awb.as_str(), pushed[0].reference.as_deref()),
        (first.awb.as_str(), Some("shp_a"))
    );
    assert_eq!(pushed[0].events[0].sub_status, SubStatus::Delivered);

    // Cancel: before pickup taken, delivered refused.
    block_on(ee.cancel(&t, &shipment_ref("shp_b", Some(&second.awb)))).unwrap();
    let late = block_on(ee.cancel(&t, &shipment_ref("shp_a", Some(&first.awb)))).unwrap_err();
    assert_eq!(code_of(&late), ecomexpress::NOT_ALLOWED);

    // NDR on a …99 pincode: refused before the failed attempt, taken after it.
    let ndr =
        block_on(ee.create_shipment(&t, "shp_ndr", &shipment_request("560099", prepaid(), 1000)))
            .unwrap();
    let at = shipment_ref("shp_ndr", Some(&ndr.awb));
    let early = block_on(ee.act(&t, &at, &NdrAction::Reattempt { date: None })).unwrap_err();
    assert_eq!(code_of(&early), ecomexpress::NOT_ALLOWED);
    track_to(&ee, &t, &ndr.awb, SubStatus::CustomerUnavailable);
    assert!(
        [
            NdrActionKind::Reattempt,
            NdrActionKind::Reschedule,
            NdrActionKind::ChangeAddress,
            NdrActionKind::ChangePhone,
            NdrActionKind::Rto
        ]
        .into_iter()
        .all(|k| ee.offers(k))
    );
    let phone = Phone::parse("9123456780", "IN").unwrap();
    assert!(
        block_on(ee.act(&t, &at, &NdrAction::ChangePhone { phone }))
            .unwrap()
            .accepted
    );
    let seen = track_to(&ee, &t, &ndr.awb, SubStatus::Delivered);
    assert_eq!(
        seen.iter()
            .filter(|s| **s == SubStatus::CustomerUnavailable)
            .count(),
        1
    );

    // RTO through ndr_resolutions: the way back read through [codes.rts].
    let back =
        block_on(ee.create_shipment(&t, "shp_back", &shipment_request("560199", prepaid(), 1000)))
            .unwrap();
    track_to(&ee, &t, &back.awb, SubStatus::CustomerUnavailable);
    let at = shipment_ref("shp_back", Some(&back.awb));
    block_on(ee.act(&t, &at, &NdrAction::ReturnToOrigin)).unwrap();
    let seen = track_to(&ee, &t, &back.awb, SubStatus::RtoDelivered);
    assert!(
        seen.contains(&SubStatus::RtoInitiated) && !seen.contains(&SubStatus::Delivered),
        "{seen:?}"
    );
    let push = sim.push_of(&back.awb).unwrap().to_string();
    assert_eq!(
        ee.parse_webhook(&[], push.as_bytes()).unwrap()[0].events[0].sub_status,
        SubStatus::RtoDelivered
    );

    // The kit's detours.
    common::assert_detours("5600", |order, pin| {
        let booked =
            block_on(ee.create_shipment(&t, order, &shipment_request(pin, prepaid(), 1000)))
                .unwrap();
        let r = shipment_ref(order, Some(&booked.awb));
        (0..20).fold(Vec::new(), |_, _| {
            subs(&block_on(ee.track(&t, &r)).unwrap())
        })
    });

    // A return: the REV series and the reverse journey.
    let req = shipment_request("560001", prepaid(), 1000);
    let ret = ReturnRequest {
        shipment_id: "shp_ret".into(),
        pickup: req.to.clone(),
        deliver_to: req.from.clone(),
        parcels: req.parcels.clone(),
        service: None,
        reason: ReturnReason::SizeIssue,
        qc: None,
        customs: None,
    };
    assert!(!ee.offers_qc());
    let booked =
        block_on(ee.create_return(&t, Some(&shipment_ref("shp_a", Some(&first.awb))), &ret))
            .unwrap();
    assert!(booked.awb.starts_with('3'), "{}", booked.awb);
    let seen = track_to(&ee, &t, &booked.awb, SubStatus::Delivered);
    assert!(seen.contains(&SubStatus::PickedUp) && !seen.iter().any(|s| s.status() == Status::Rto));

    // Wrong credentials: Ecom's 401, an account error.
    common::add_account(
        &sim,
        json!({"account": "other", "username": "other", "password": "right"}),
    );
    let mut settings = sandbox_settings();
    settings.insert("username".into(), "other".into());
    settings.insert("password".into(), "wrong".into());
    let wrong = EcomExpress::new(&settings).unwrap();
    let err = block_on(wrong.check_account(&t)).unwrap_err();
    assert_eq!(code_of(&err), "unauthorized");
    assert!(SANDBOX_USERNAME != "other" && !SANDBOX_PASSWORD.is_empty());
}

/// Lost answers: a lost series answer cannot have booked anything (not sent); after a
/// lost manifest answer the AWB drawn finds the booking, and booking again is idempotent.
#[test]
fn lost_answers_are_settled_by_the_awb_drawn() {
    let sim = Arc::new(EcomExpressSimulator::new());
    let lose = |path: &'static str| -> common::FaultHook {
        let armed = std::sync::atomic::AtomicBool::new(true);
        Box::new(move |_, request: &HttpRequest| {
            if request.path.contains(path) && armed.swap(false, std::sync::atomic::Ordering::SeqCst)
            {
                Fault::LoseAnswer(CarrierError::Timeout { timeout_ms: 15_000 })
            } else {
                Fault::Pass
            }
        })
    };
    let ee = adapter();
    let req = shipment_request("560001", prepaid(), 1000);

    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(lose("fetch_awb"));
    let err = block_on(ee.create_shipment(&t, "shp_l1", &req)).unwrap_err();
    assert!(
        matches!(err, CarrierError::NotSent(_)) && !err.may_have_happened(),
        "{err:?}"
    );
    block_on(ee.create_shipment(&t, "shp_l1", &req)).unwrap();

    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(lose("manifest_awb"));
    let err = block_on(ee.create_shipment(&t, "shp_l2", &req)).unwrap_err();
    assert!(err.may_have_happened(), "{err:?}");
    let found = block_on(ee.lookup(&t, &shipment_ref("shp_l2", None)))
        .unwrap()
        .expect("found");
    let again = block_on(ee.create_shipment(&t, "shp_l2", &req)).unwrap();
    assert_eq!(found.awb, again.awb);
    assert_eq!(sim.bookings(), 2);

    // The label call failing: the booking stands, the reason kept.
    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(Box::new(|_, r: &HttpRequest| {
        if r.path.contains("shipping_label") {
            Fault::Answer(HttpResponse::new(503, "Service Unavailable"))
        } else {
            Fault::Pass
        }
    }));
    let unlabelled = block_on(ee.create_shipment(&t, "shp_l4", &req)).unwrap();
    assert!(unlabelled.labels.is_empty());
    assert!(
        unlabelled
            .carrier_refs
            .contains_key(ecomexpress::REF_LABEL_ERROR)
    );
    assert_eq!(sim.bookings(), 3);
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let later = block_on(ee.label(
        &t,
        &shipment_ref("shp_l4", Some(&unlabelled.awb)),
        LabelFormat::Pdf,
    ))
    .unwrap();
    assert!(later.content.starts_with(b"%PDF-"));

    // A drawn AWB Ecom never got a manifest for: not found, safe to book again.
    let fresh = EcomExpress::new(&sandbox_settings()).unwrap();
    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(Box::new(|_, r: &HttpRequest| {
        if r.path.contains("manifest_awb") {
            Fault::Answer(HttpResponse::new(502, "Bad Gateway"))
        } else {
            Fault::Pass
        }
    }));
    assert!(block_on(fresh.create_shipment(&t, "shp_l3", &req)).is_err());
    assert_eq!(
        block_on(fresh.lookup(&t, &shipment_ref("shp_l3", None))).unwrap(),
        None
    );
    // No AWB known at all: an operator settles it.
    let unknown = block_on(fresh.lookup(&t, &shipment_ref("shp_never", None))).unwrap_err();
    assert!(matches!(unknown, CarrierError::NotSent(_)));
}
