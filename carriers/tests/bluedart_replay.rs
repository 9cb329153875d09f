//! Blue Dart adapter against Blue Dart's published samples, the project's own fixtures and
//! the simulator.
//!
//! Samples come from `../shared/carrier-samples/bluedart` (skipped outside CI when absent,
//! a failure in CI): the status table and the three push products, every file replayed,
//! including the two Blue Dart published as invalid JSON (refused whole: see
//! `parse_pushes`). Fixtures from `fixtures/bluedart` cover what the samples lack.

mod common;

use std::sync::Arc;

use serde_json::{Value, json};

use carriers::bluedart::simulator::{
    BlueDartSimulator, SANDBOX_LICENCE_KEY, SANDBOX_LOGIN_ID, UNSERVICEABLE_PIN, sandbox_settings,
};
use carriers::bluedart::{self, BlueDart, Service};
use carriers::families::{ReturnReason, ReturnRequest, Returns};
use carriers::schema::{
    Lane, RateRequest, RateRequestInput, Serviceability, ShipmentKind, ShipmentRef,
    ShipmentRequest, ShipmentRequestInput, TrackingUpdate,
};
use carriers::taxonomy::{Status, SubStatus};
use carriers::wire::HttpResponse;
use carriers::{AccountCheck, Carrier, CarrierError, Operation, Simulator};
use common::{Scripted, SimTransport, block_on, body_json, cod, parse_csv, prepaid, subs, utc};

const CARRIER: &str = "bluedart";
const SIM_ROOT: &str = "http://127.0.0.1:8080/sandbox/bluedart";

fn adapter() -> BlueDart {
    BlueDart::new(&sandbox_settings()).expect("sandbox settings build the adapter")
}

fn mapping() -> &'static carriers::mapping::Mapping {
    bluedart::mapping().expect("mappings/bluedart.toml parses")
}

fn fixture(file: &str) -> HttpResponse {
    HttpResponse::new(200, common::fixture(CARRIER, file))
}

fn shipment_request(to_pin: &str, payment: Value) -> ShipmentRequest {
    let input: ShipmentRequestInput = serde_json::from_value(json!({
        "order_ref": "ORD-BD-1",
        "carrier": "bluedart",
        "from": {"name": "Acme & Sons", "phone": "+91 98765 43210", "line1": "Plot 12, Okhla Industrial Area Phase 2",
                 "city": "New Delhi", "state": "Delhi", "postal_code": "110020"},
        "to": {"name": "Asha Rao", "phone": "09123456789", "line1": "Flat 5, Lake View Apartments", "line2": "HSR Layout Sector 2",
               "city": "Bengaluru", "state": "Karnataka", "postal_code": to_pin},
        "parcels": [{"weight_g": 750, "length_mm": 200, "width_mm": 150, "height_mm": 105,
                     "declared_value": {"amount": 149900, "currency": "INR"}, "description": "Cotton kurta"}],
        "payment": payment,
    }))
    .unwrap();
    ShipmentRequest::parse(&input).expect("valid shipment request")
}

// ---------------------------------------------------------------------------------------
// Blue Dart's samples
// ---------------------------------------------------------------------------------------

/// Every status row of status-codes.csv resolves; the rows that describe shipments (not
/// their status) are named as such in the mapping file and resolve to nothing.
#[test]
fn every_status_code_of_the_table_is_mapped() {
    let Some(csv) = common::sample(CARRIER, "status-codes.csv") else {
        return;
    };
    let rows = parse_csv(&String::from_utf8(csv).unwrap());
    let m = mapping();
    let mut checked = 0;
    for row in &rows[1..] {
        let (code, kind) = (row[0].trim(), row[2].trim());
        if let Some(rest) = kind.strip_prefix("ScanCode (ScanGroupType=") {
            let group = &rest[..rest.find(',').unwrap()];
            let scan_type = rest
                .split("ScanType=")
                .nth(1)
                .unwrap()
                .trim_end_matches(')');
            let found = bluedart::resolve(m, scan_type, group, code, false);
            assert!(
                found.is_some(),
                "{group}/{code} ({scan_type}) unmapped: {row:?}"
            );
            checked += 1;
        } else if kind == "ScanType" {
            // UD alone is deliberately no fallback (see the mapping file).
            let found = m.lookup("scan_type", code);
            assert_eq!(found.is_some(), code != "UD", "ScanType {code}");
            checked += 1;
        } else if kind == "QC Type" && code == "F" {
            assert_eq!(m.lookup("qc", "F").unwrap().sub_status, SubStatus::QcFailed);
            checked += 1;
        }
    }
    assert_eq!(checked, 11, "status rows checked");
    let sub = |t, g, c| bluedart::resolve(m, t, g, c, false).unwrap().sub_status;
    assert_eq!(sub("DL", "T", "000"), SubStatus::Delivered);
    assert_eq!(sub("UD", "S", "001"), SubStatus::ArrivedAtFacility);
    assert_eq!(sub("UD", "S", "002"), SubStatus::OutForDelivery);
    assert_eq!(sub("UD", "T", "003"), SubStatus::PremisesClosed);
    assert_eq!(sub("RD", "T", "999"), SubStatus::InTransit);
}

#[test]
fn lite_push_sample_is_three_scans_of_one_waybill() {
    let Some(body) = common::sample(CARRIER, "webhook_push_lite_docs_sample.json") else {
        return;
    };
    let updates = adapter().parse_webhook(&[], &body).unwrap();
    assert_eq!(updates.len(), 3);
    assert!(
        updates
            .iter()
            .all(|u| u.awb == "57941201614" && u.reference.is_none())
    );
    let only = |i: usize| {
        assert_eq!(updates[i].events.len(), 1, "{:?}", updates[i]);
        updates[i].events[0].clone()
    };
    let (outscan, closed, inscan) = (only(0), only(1), only(2));
    assert_eq!(outscan.sub_status, SubStatus::OutForDelivery);
    assert_eq!(outscan.carrier_code, "S/002");
    // 23-05-2019 14:48 IST, no zone in the push.
    assert_eq!(outscan.event_time, utc("2019-05-23T09:18:00Z"));
    assert_eq!(outscan.location.as_deref(), Some("PLW"));
    assert_eq!(closed.status, Status::DeliveryFailed);
    assert_eq!(closed.sub_status, SubStatus::PremisesClosed);
    assert_eq!(closed.carrier_code, "T/003");
    assert_eq!(
        closed.carrier_status,
        "RESIDENCE/OFFICE CLOSED;CANT DELIVER"
    );
    assert_eq!(closed.ndr_reason.as_deref(), Some("premises_closed"));
    assert!(closed.action_required);
    assert_eq!(inscan.sub_status, SubStatus::ArrivedAtFacility);
    assert_eq!(inscan.event_time, utc("2019-05-23T09:06:00Z"));
}

#[test]
fn plus_push_sample_repaired_is_read_and_as_published_refused() {
    let Some(body) = common::sample(CARRIER, "webhook_push_plus_docs_sample_repaired.json") else {
        return;
    };
    let updates = adapter().parse_webhook(&[], &body).unwrap();
    assert_eq!(updates.len(), 3);
    for update in &updates {
        assert_eq!(update.awb, "69679343790");
        assert_eq!(update.reference.as_deref(), Some("5671827"));
        // The pickup (PickUpDate/PickUpTime) and the delivery, in time order.
        assert_eq!(
            subs(&TrackingUpdate {
                awb: update.awb.clone(),
                events: update.events.clone()
            }),
            vec![SubStatus::PickedUp, SubStatus::Delivered]
        );
        let (pickup, delivered) = (&update.events[0], &update.events[1]);
        assert_eq!(pickup.event_time, utc("2019-05-27T09:14:00Z"));
        assert_eq!(delivered.event_time, utc("2019-05-28T08:55:00Z"));
        assert_eq!(delivered.location.as_deref(), Some("GOREGAON"));
        assert_eq!(delivered.description.as_deref(), Some("tatacliq_order"));
        assert!(delivered.terminal);
    }
    // As Blue Dart published it: trailing commas, not JSON. Refused whole, with why.
    let published =
        common::sample(CARRIER, "webhook_push_plus_docs_sample_as_published.txt").unwrap();
    let err = adapter().parse_webhook(&[], &published).unwrap_err();
    assert!(
        matches!(&err, CarrierError::BadResponse(m) if m.contains("not JSON")),
        "{err}"
    );
}

#[test]
fn advance_push_sample_as_published_is_refused_and_its_shape_is_read() {
    let Some(body) = common::sample(CARRIER, "webhook_push_advance_docs_sample_as_published.txt")
    else {
        return;
    };
    // Smart quotes, `{base 64}` placeholders and a doubled quote: not JSON.
    let err = adapter().parse_webhook(&[], &body).unwrap_err();
    assert!(matches!(err, CarrierError::BadResponse(_)), "{err}");

    // The same shape, valid (our fixture): a reverse pickup refused at the door, QC failed.
    let body = common::fixture(CARRIER, "push_advance_reverse_qc_failed.json");
    let updates = adapter().parse_webhook(&[], &body).unwrap();
    assert_eq!(updates.len(), 1);
    let events = &updates[0].events;
    assert_eq!(updates[0].reference.as_deref(), Some("sg_return_0001"));
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(
        events[0].sub_status,
        SubStatus::Refused,
        "never an RTO on a reverse pickup"
    );
    assert_eq!(
        events[0].carrier_status, "CONSIGNEE REFUSED TO ACCEPT",
        "trailing ` |` trimmed"
    );
    assert_eq!(events[1].sub_status, SubStatus::QcFailed);
    assert_eq!(
        events[1].description.as_deref(),
        Some("Item used/ damaged or in bad condition; Not the same product")
    );

    let body = common::fixture(CARRIER, "push_plus_rto.json");
    let updates = adapter().parse_webhook(&[], &body).unwrap();
    let update = TrackingUpdate {
        awb: updates[0].awb.clone(),
        events: updates[0].events.clone(),
    };
    assert_eq!(
        subs(&update),
        vec![
            SubStatus::PickedUp,
            SubStatus::RtoInTransit,
            SubStatus::RtoInTransit,
            SubStatus::RtoDelivered
        ]
    );
    for bad in [
        &b"{}"[..],
        b"[]",
        b"{\"statustracking\": [{\"Shipment\": {}}]}",
        b"nope",
    ] {
        assert!(adapter().parse_webhook(&[], bad).is_err());
    }
}

// ---------------------------------------------------------------------------------------
// Our fixtures: answers
// ---------------------------------------------------------------------------------------

#[test]
fn tracking_xml_is_read_in_time_order_with_attempts_numbered() {
    let m = mapping();
    let update =
        bluedart::parse_track(m, &fixture("track_ndr_then_delivered.xml"), "50123456781").unwrap();
    assert_eq!(update.awb, "50123456781");
    assert_eq!(
        subs(&update),
        vec![
            SubStatus::PickedUp,
            SubStatus::ArrivedAtFacility,
            SubStatus::ReachedDestinationHub,
            SubStatus::OutForDelivery,
            SubStatus::CustomerUnavailable,
            SubStatus::OutForDelivery,
            SubStatus::Delivered,
        ]
    );
    // 01-Dec-2026 17:05 IST.
    assert_eq!(update.events[0].event_time, utc("2026-12-01T11:35:00Z"));
    let ndr = &update.events[4];
    assert_eq!((ndr.attempt, ndr.carrier_code.as_str()), (Some(1), "T/013"));
    assert_eq!(ndr.carrier_status, "CONSIGNEE NOT AVAILABLE;CANT DELIVER");
    assert_eq!(ndr.location.as_deref(), Some("HSR LAYOUT"));

    let rto = bluedart::parse_track(m, &fixture("track_rto.xml"), "50123456798").unwrap();
    assert_eq!(
        subs(&rto),
        vec![
            SubStatus::PickedUp,
            SubStatus::Refused,
            SubStatus::AddressIssue,
            SubStatus::RtoInTransit,
            SubStatus::RtoInTransit,
            SubStatus::RtoOutForDelivery,
            SubStatus::RtoDelivered,
        ]
    );
    assert_eq!(rto.events[2].attempt, Some(2));

    let unmapped =
        bluedart::parse_track(m, &fixture("track_unmapped_code.xml"), "50123456799").unwrap();
    assert_eq!(subs(&unmapped), vec![SubStatus::Unmapped], "never guessed");

    let err = bluedart::parse_track(m, &fixture("track_not_found.xml"), "50100000000").unwrap_err();
    assert!(
        matches!(&err, CarrierError::Rejected { code, .. } if code == "awb_not_found"),
        "{err}"
    );
    let err = bluedart::parse_track(m, &fixture("track_licence_error.xml"), "1").unwrap_err();
    assert!(
        matches!(&err, CarrierError::Rejected { code, http_status: 200, .. } if code == "unauthorized"),
        "{err}"
    );
    assert!(bluedart::parse_track(m, &HttpResponse::new(200, "{}"), "1").is_err());

    // Lookup by reference: found, or nothing (booking again is safe).
    let found = bluedart::parse_lookup(&fixture("track_rto.xml"), "sg_fixture_0002").unwrap();
    let found = found.expect("the waybill under the reference");
    assert_eq!(
        (found.awb.as_str(), found.service.as_str()),
        ("50123456798", "ground")
    );
    assert_eq!(found.routing_code.as_deref(), Some("BOM"));
    assert_eq!(
        bluedart::parse_lookup(&fixture("track_not_found.xml"), "x").unwrap(),
        None
    );
}

#[test]
fn waybill_answers_labels_and_refusals() {
    let created = bluedart::parse_create(&fixture("waybill_created.json"), Service::APEX).unwrap();
    assert_eq!(created.awb, "50123456781");
    assert_eq!(created.service, "apex");
    assert_eq!(created.routing_code.as_deref(), Some("BLR/HSR"));
    assert_eq!(created.carrier_refs["token_number"], "PU12345");
    assert_eq!(created.carrier_refs["credit_reference"], "sg_fixture_0001");
    assert_eq!(created.labels.len(), 1, "Blue Dart's own label, kept");
    assert!(created.labels[0].content.starts_with(b"%PDF"));
    // The same PDF as .NET writes a byte[]: an array of numbers.
    let bytes = bluedart::parse_create(&fixture("waybill_created_label_bytes.json"), Service::APEX)
        .unwrap();
    assert_eq!(bytes.labels[0].content, created.labels[0].content);
    assert!(!bytes.carrier_refs.contains_key("token_number"));

    let err =
        bluedart::parse_create(&fixture("waybill_refused_in_200.json"), Service::APEX).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected(
            "duplicate_credit_reference_no",
            "Duplicate CreditReferenceNo sg_fixture_0001",
            200
        )
    );
    let gateway = HttpResponse::new(400, common::fixture(CARRIER, "waybill_gateway_400.json"));
    let err = bluedart::parse_create(&gateway, Service::APEX).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected(
            "invalid_consignee_pincode",
            "Consignee pincode is invalid",
            400
        )
    );
    let err = bluedart::parse_create(&HttpResponse::new(502, "<html>bad</html>"), Service::APEX)
        .unwrap_err();
    assert!(
        matches!(err, CarrierError::Upstream { status: 502, .. }),
        "{err}"
    );
    let err = bluedart::parse_create(&HttpResponse::new(200, "{}"), Service::APEX).unwrap_err();
    assert!(matches!(err, CarrierError::BadResponse(_)), "{err}");

    let cancelled = bluedart::parse_cancel(&fixture("cancel_ok.json")).unwrap();
    assert_eq!(cancelled.carrier_message, "Waybill Cancelled Successfully");
    let err = bluedart::parse_cancel(&fixture("cancel_refused.json")).unwrap_err();
    assert!(
        matches!(&err, CarrierError::Rejected { code, .. } if code == "cancellation_not_allowed"),
        "{err}"
    );

    let token = bluedart::parse_login(&fixture("login_response.json")).unwrap();
    let life = token.expires_in.expect("the JWT's exp claim");
    assert_eq!(
        life,
        bluedart::MAX_TOKEN_LIFE,
        "a JWT good till 2100, trusted for 30 days"
    );
    let err = bluedart::parse_login(&HttpResponse::new(401, r#"{"error-response":[{"Status":[{"StatusCode":"Unauthorized","StatusInformation":"Invalid ClientID or clientSecret"}]}]}"#)).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected("unauthorized", "Invalid ClientID or clientSecret", 401)
    );
}

#[test]
fn pincode_answers_make_lane_serviceability() {
    let oda = bluedart::parse_pincode(&fixture("pincode_served_oda_prepaid_only.json"))
        .unwrap()
        .unwrap();
    assert!(oda.is_oda() && oda.delivers(false) && !oda.delivers(true));
    assert!(oda.picks_up(false) && !oda.picks_up(true));
    assert_eq!(
        bluedart::parse_pincode(&fixture("pincode_not_served.json"))
            .unwrap()
            .map(|_| ()),
        None
    );
    let err = bluedart::parse_pincode(&fixture("pincode_bad_licence.json")).unwrap_err();
    assert!(
        matches!(&err, CarrierError::Rejected { code, .. } if code == "unauthorized"),
        "{err}"
    );
    let lane = |cod| Lane {
        pickup_pincode: "110020".into(),
        delivery_pincode: "560088".into(),
        cod,
        kind: ShipmentKind::Forward,
    };
    let served = bluedart::lane_serviceability(Some(&oda), Some(&oda), &lane(false));
    assert_eq!(
        served,
        Serviceability::Serviceable,
        "ODA is served, with added days"
    );
    let cod = bluedart::lane_serviceability(Some(&oda), Some(&oda), &lane(true));
    assert!(matches!(cod, Serviceability::NotServiceable { reason } if reason.contains("COD")));
    let none = bluedart::lane_serviceability(Some(&oda), None, &lane(false));
    assert!(!none.is_serviceable());
}

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

#[test]
fn requests_match_blue_darts_shapes_and_mark_every_credential() {
    let bd = adapter();
    let login = common::fixture(CARRIER, "login_response.json");
    let created = common::fixture(CARRIER, "waybill_created.json");
    let t = Scripted::new([
        HttpResponse::new(200, login),
        HttpResponse::new(200, created),
    ]);
    let req = shipment_request("560102", cod(49_900));
    let booked = block_on(bd.create_shipment(&t, "sg_shipment_1", &req)).unwrap();
    assert_eq!(booked.awb, "50123456781");
    let sent = t.sent();
    let (op, login) = &sent[0];
    assert_eq!(
        (*op, login.path.as_str()),
        (Operation::Login, "/token/v1/login")
    );
    assert_eq!(
        login.header_value("ClientID"),
        Some(carriers::bluedart::simulator::SANDBOX_CLIENT_ID)
    );
    assert!(
        login
            .secrets()
            .iter()
            .any(|s| s == carriers::bluedart::simulator::SANDBOX_CLIENT_SECRET)
    );
    let (op, create) = &sent[1];
    assert_eq!(
        (*op, create.path.as_str()),
        (Operation::CreateShipment, "/waybill/v1/GenerateWayBill")
    );
    let jwt = create
        .header_value("JWTToken")
        .expect("the JWT as Blue Dart's header");
    assert!(create.secrets().iter().any(|s| s == jwt));
    for secret in [SANDBOX_LOGIN_ID, SANDBOX_LICENCE_KEY] {
        assert!(
            create.secrets().iter().any(|s| s == secret),
            "{secret} marked"
        );
    }
    let body = body_json(create);
    assert_eq!(body["Profile"]["LoginID"], SANDBOX_LOGIN_ID);
    assert_eq!(body["Profile"]["Api_type"], "S");
    let (consignee, shipper, services) = (
        &body["Request"]["Consignee"],
        &body["Request"]["Shipper"],
        &body["Request"]["Services"],
    );
    assert_eq!(consignee["ConsigneePincode"], "560102");
    assert_eq!(consignee["ConsigneeMobile"], "9123456789");
    assert_eq!(
        consignee["ConsigneeAddress1"],
        "Flat 5, Lake View Apartments,"
    );
    assert_eq!(consignee["ConsigneeAddress2"], "HSR Layout Sector 2");
    assert_eq!(shipper["CustomerCode"], "114074");
    assert_eq!(shipper["OriginArea"], "DEL");
    assert_eq!(
        shipper["CustomerName"], "Acme Sons",
        "no ampersands for Blue Dart"
    );
    assert_eq!(services["ProductCode"], "A");
    assert_eq!(services["SubProductCode"], "C");
    assert_eq!(services["CollectableAmount"], "499.00");
    assert_eq!(services["DeclaredValue"], "1499.00");
    assert_eq!(services["ActualWeight"], "0.75");
    assert_eq!(services["CreditReferenceNo"], "sg_shipment_1");
    assert_eq!(services["IsReversePickup"], false);
    assert_eq!(services["PDFOutputNotRequired"], false);
    assert!(
        services["PickupDate"]
            .as_str()
            .unwrap()
            .starts_with("/Date(")
    );
    assert_eq!(services["Dimensions"][0]["Length"], 20.0);

    // The tracking query by reference, credentials in the query marked.
    let track = bd.track_request("sg_shipment_1", true);
    let q = |k: &str| {
        track
            .query
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(
        (q("awb"), q("numbers"), q("format")),
        (Some("ref"), Some("sg_shipment_1"), Some("xml"))
    );
    assert_eq!(q("lickey"), Some(SANDBOX_LICENCE_KEY));
    assert!(track.secrets().iter().any(|s| s == SANDBOX_LICENCE_KEY));

    // Refused for good, before any call.
    let t = Scripted::new([]);
    let mut long = shipment_request("560102", prepaid());
    long.to.line1 = "A very long address line that will not fit ".repeat(3);
    let err = block_on(bd.create_shipment(&t, "sg_2", &long)).unwrap_err();
    assert!(matches!(err, CarrierError::Unsupported(_)), "{err}");
    let mut other = shipment_request("560102", prepaid());
    other.service = Some("overnight".into());
    assert!(matches!(
        block_on(bd.create_shipment(&t, "sg_2", &other)),
        Err(CarrierError::Unsupported(_))
    ));
    let rate: RateRequest = RateRequest::parse(
        &serde_json::from_value::<RateRequestInput>(json!({
            "from": {"name": "A", "phone": "9876543210", "line1": "1 Road", "city": "Delhi", "postal_code": "110020"},
            "to": {"name": "B", "phone": "9123456789", "line1": "2 Lane", "city": "Bengaluru", "postal_code": "560102"},
            "parcels": [{"weight_g": 900}], "payment": {"mode": "prepaid"},
        }))
        .unwrap(),
    )
    .unwrap();
    assert!(matches!(
        block_on(bd.rates(&t, &rate)),
        Err(CarrierError::Unsupported(_))
    ));
    assert!(!bd.capabilities().rates && bd.capabilities().cod);
    assert!(
        t.sent().is_empty(),
        "nothing sent for what Blue Dart cannot do"
    );
}

// ---------------------------------------------------------------------------------------
// Against the simulator
// ---------------------------------------------------------------------------------------

fn shipment_ref(id: &str, awb: Option<&str>) -> ShipmentRef {
    ShipmentRef {
        shipment_id: id.into(),
        order_ref: "ORD-BD-1".into(),
        awb: awb.map(str::to_string),
        carrier_refs: Default::default(),
    }
}

/// Books, labels, tracks to delivered, finds by reference, pushes, cancels, refreshes its
/// JWT and books a return: the whole life of a Blue Dart waybill on the simulator.
#[test]
fn a_waybill_lives_its_life_on_the_simulator() {
    let sim = Arc::new(BlueDartSimulator::new());
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let bd = adapter();

    assert_eq!(
        block_on(bd.check_account(&t)).unwrap(),
        AccountCheck::Verified
    );
    let lane = |to: &str, cod| Lane {
        pickup_pincode: "110020".into(),
        delivery_pincode: to.into(),
        cod,
        kind: ShipmentKind::Forward,
    };
    let ask = |l: Lane| block_on(bd.serviceability(&t, &l)).unwrap();
    assert!(ask(lane("560102", true)).is_serviceable());
    assert!(ask(lane("560188", false)).is_serviceable(), "ODA served");
    assert!(!ask(lane("940001", true)).is_serviceable(), "prepaid only");
    assert!(!ask(lane(UNSERVICEABLE_PIN, false)).is_serviceable());
    // COD must be able to leave its origin as COD; a return is collected prepaid.
    let from_prepaid_only = |cod, kind| Lane {
        pickup_pincode: "940001".into(),
        delivery_pincode: "560102".into(),
        cod,
        kind,
    };
    let cod_out = ask(from_prepaid_only(true, ShipmentKind::Forward));
    assert!(
        matches!(&cod_out, Serviceability::NotServiceable { reason } if reason.contains("pick up")),
        "{cod_out:?}"
    );
    assert!(ask(from_prepaid_only(false, ShipmentKind::Forward)).is_serviceable());
    assert!(ask(from_prepaid_only(true, ShipmentKind::Reverse)).is_serviceable());

    let req = shipment_request("560102", cod(49_900));
    let booked = block_on(bd.create_shipment(&t, "sg_sim_1", &req)).unwrap();
    assert_eq!(booked.awb.len(), 11);
    assert_eq!(booked.routing_code.as_deref(), Some("BLR/BLR"));
    let label = &booked.labels[0];
    let pdf = lopdf::Document::load_mem(&label.content).expect("Blue Dart's label opens");
    let text = pdf.extract_text(&[1]).unwrap_or_default();
    assert!(text.contains(&booked.awb), "the AWB on the label: {text}");

    // A retry under the same reference: refused inside HTTP 200, found by lookup.
    let again = block_on(bd.create_shipment(&t, "sg_sim_1", &req)).unwrap_err();
    assert!(
        matches!(&again, CarrierError::Rejected { code, http_status: 200, .. } if code == "duplicate_credit_reference_no"),
        "{again}"
    );
    let found = block_on(bd.lookup(&t, &shipment_ref("sg_sim_1", None)))
        .unwrap()
        .unwrap();
    assert_eq!(found.awb, booked.awb);
    assert_eq!(
        block_on(bd.lookup(&t, &shipment_ref("sg_nobody", None))).unwrap(),
        None
    );
    assert_eq!(sim.bookings(), 1);

    // Tracked to delivered; the JWT expires on the way and is replaced once.
    let shipment = shipment_ref("sg_sim_1", Some(&booked.awb));
    let mut seen = Vec::new();
    for i in 0..10 {
        if i == 3 {
            sim.expire_tokens();
        }
        let update = block_on(bd.track(&t, &shipment)).unwrap();
        let last = update.events.last().unwrap().sub_status;
        seen.push(last);
        if last == SubStatus::Delivered {
            assert!(
                update
                    .events
                    .iter()
                    .any(|e| e.sub_status == SubStatus::PickedUp)
            );
            assert!(update.events.is_sorted_by_key(|e| e.event_time));
            break;
        }
    }
    assert_eq!(seen.last(), Some(&SubStatus::Delivered), "{seen:?}");
    let logins = t.ops().iter().filter(|op| **op == Operation::Login).count();
    // The account check logged in (as the check); the expired JWT made the one login.
    assert_eq!(logins, 1, "one login after the JWT expired");

    // The push Blue Dart would send, read back.
    for product in ["lite", "plus"] {
        let push = sim.handle(&carriers::simulator::SimRequest::new(
            "GET",
            &format!("/_pushes/{}?product={product}", booked.awb),
            Vec::<(String, String)>::new(),
            Vec::new(),
            SIM_ROOT,
        ));
        let updates = bd.parse_webhook(&[], &push.body).unwrap();
        let events: Vec<_> = updates.iter().flat_map(|u| u.events.iter()).collect();
        assert!(updates.iter().all(|u| u.awb == booked.awb));
        assert!(
            events.iter().any(|e| e.sub_status == SubStatus::Delivered),
            "{product}"
        );
    }

    // Delivered: not cancelled. A fresh one is.
    let err = block_on(bd.cancel(&t, &shipment)).unwrap_err();
    assert!(
        matches!(&err, CarrierError::Rejected { code, .. } if code == "cancellation_not_allowed"),
        "{err}"
    );
    let fresh =
        block_on(bd.create_shipment(&t, "sg_sim_2", &shipment_request("110001", prepaid())))
            .unwrap();
    let outcome = block_on(bd.cancel(&t, &shipment_ref("sg_sim_2", Some(&fresh.awb)))).unwrap();
    assert_eq!(outcome.carrier_message, "Waybill Cancelled Successfully");
    // By reference alone, the AWB is found first.
    let again = block_on(bd.cancel(&t, &shipment_ref("sg_sim_2", None))).unwrap();
    assert_eq!(again.carrier_message, outcome.carrier_message);

    // A failed attempt (pincode ending 99) is an NDR with Blue Dart's reason.
    let ndr = block_on(bd.create_shipment(&t, "sg_sim_3", &shipment_request("560099", prepaid())))
        .unwrap();
    let ndr_ref = shipment_ref("sg_sim_3", Some(&ndr.awb));
    let failed = (0..10)
        .map(|_| block_on(bd.track(&t, &ndr_ref)).unwrap())
        .find_map(|u| {
            u.events
                .into_iter()
                .find(|e| e.status == Status::DeliveryFailed)
        })
        .expect("a failed attempt");
    assert_eq!(failed.sub_status, SubStatus::CustomerUnavailable);
    assert_eq!(failed.attempt, Some(1));

    // A return: a reverse-pickup waybill, picked up and delivered to the warehouse.
    let request = ReturnRequest {
        shipment_id: "sg_ret_1".into(),
        pickup: req.to.clone(),
        deliver_to: req.from.clone(),
        parcels: req.parcels.clone(),
        service: None,
        reason: ReturnReason::Damaged,
        qc: None,
        customs: None,
    };
    assert!(!bd.offers_qc());
    let ret = block_on(bd.create_return(&t, None, &request)).unwrap();
    let ret_ref = shipment_ref("sg_ret_1", Some(&ret.awb));
    let mut subs_seen = Vec::new();
    for _ in 0..10 {
        let update = block_on(bd.track(&t, &ret_ref)).unwrap();
        subs_seen = subs(&update);
        if subs_seen.last() == Some(&SubStatus::Delivered) {
            break;
        }
    }
    assert_eq!(
        subs_seen.first(),
        Some(&SubStatus::PickedUp),
        "{subs_seen:?}"
    );
    assert_eq!(
        subs_seen.last(),
        Some(&SubStatus::Delivered),
        "{subs_seen:?}"
    );
    assert!(!subs_seen.iter().any(|s| s.status() == Status::Rto));

    // Credentials Blue Dart refuses.
    let mut wrong = sandbox_settings();
    wrong.insert("licence_key".into(), "not-ours".into());
    let err = block_on(BlueDart::new(&wrong).unwrap().check_account(&t)).unwrap_err();
    assert!(
        matches!(&err, CarrierError::Rejected { code, .. } if code == "unauthorized"),
        "{err}"
    );
    let mut wrong = sandbox_settings();
    wrong.insert("client_secret".into(), "not-ours".into());
    let err = block_on(BlueDart::new(&wrong).unwrap().check_account(&t)).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected("unauthorized", "Invalid ClientID or clientSecret", 401)
    );
}

/// Pickups: the location kept by shipgate (no call), a registration for the waybills
/// answered with Blue Dart's token, its cancellation, and Blue Dart's refusals.
#[test]
fn pickups_are_registered_and_cancelled_by_token() {
    use carriers::bluedart::pickups::{parse_pickup, parse_pickup_cancel};
    use carriers::families::{PickupLocation, PickupRequest, Pickups};

    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    let registered = parse_pickup(&fixture("pickup_registered.json"), day).unwrap();
    assert_eq!(
        (registered.pickup_id.as_str(), registered.date),
        ("84512367", day)
    );
    assert_eq!(registered.carrier_message, "Pickup registered successfully");
    let err = parse_pickup(&fixture("pickup_refused.json"), day).unwrap_err();
    assert!(
        matches!(&err, CarrierError::Rejected { code, http_status: 200, .. } if code == "invalid_pickup_date"),
        "{err}"
    );
    assert!(parse_pickup_cancel(&fixture("pickup_registered.json")).is_ok());

    let sim = Arc::new(BlueDartSimulator::new());
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let bd = adapter();
    let req = shipment_request("560102", prepaid());
    let location = PickupLocation {
        name: "Okhla WH".into(),
        address: req.from.clone(),
        working_hours: None,
    };
    let kept = block_on(bd.register_location(&t, &location)).unwrap();
    assert!(kept.active && kept.carrier_id.is_none());
    assert!(t.ops().is_empty(), "Blue Dart keeps no pickup locations");

    let booked = block_on(bd.create_shipment(&t, "sg_pu_1", &req)).unwrap();
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Duration::days(2);
    let request = |date, awb: &str| PickupRequest {
        location: "Okhla WH".into(),
        address: req.from.clone(),
        date,
        window: None,
        shipments: vec![shipment_ref("sg_pu_1", Some(awb))],
        packages: 1,
    };
    let scheduled = block_on(bd.schedule(&t, &request(tomorrow, &booked.awb))).unwrap();
    assert!(!scheduled.pickup_id.is_empty());
    let sent = t.sim_request(&bd.pickup_request(&request(tomorrow, &booked.awb)).unwrap());
    let body: Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body["request"]["AWBNo"], json!([booked.awb]));
    assert_eq!(body["request"]["AreaCode"], "DEL");
    assert_eq!(body["request"]["ShipmentPickupTime"], "1100");
    assert_eq!(body["profile"]["LicenceKey"], SANDBOX_LICENCE_KEY);

    let cancelled = block_on(Pickups::cancel(&bd, &t, &scheduled)).unwrap();
    assert_eq!(cancelled.carrier_message, "Pickup cancelled successfully");
    let unknown = carriers::families::ScheduledPickup {
        pickup_id: "1".into(),
        ..scheduled.clone()
    };
    let err = block_on(Pickups::cancel(&bd, &t, &unknown)).unwrap_err();
    assert!(
        matches!(&err, CarrierError::Rejected { code, .. } if code == "invalid_token_number"),
        "{err}"
    );
    let past = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let err = block_on(bd.schedule(&t, &request(past, &booked.awb))).unwrap_err();
    assert!(
        matches!(&err, CarrierError::Rejected { code, .. } if code == "invalid_pickup_date"),
        "{err}"
    );
    let err = block_on(bd.schedule(&t, &request(tomorrow, "00000000000"))).unwrap_err();
    assert!(
        matches!(&err, CarrierError::Rejected { code, .. } if code == "invalid_awb"),
        "{err}"
    );
}
