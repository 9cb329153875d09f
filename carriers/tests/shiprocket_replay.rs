//! Replays Shiprocket's published payloads (`../shared/carrier-samples/shiprocket`) and the
//! project's own fixtures through the adapter's parsers, checks every status code is
//! mapped, and drives the adapter against the Shiprocket simulator end to end.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use carriers::mapping::Mapping;
use carriers::schema::{
    Address, ChargeKind, LabelFormat, Money, Parcel, Payment, Phone, PostalCode, RateRequest,
    ShipmentKind, ShipmentRef, ShipmentRequest,
};
use carriers::shiprocket::wire::{
    AssignedAwb, CreatedOrder, LabelLink, OrderDraft, ShiprocketOrderRequest,
};
use carriers::shiprocket::{self, Shiprocket, ShiprocketSimulator};
use carriers::simulator::{SimRequest, Simulator};
use carriers::taxonomy::{Status, SubStatus};
use carriers::wire::HttpResponse;
use carriers::{Carrier, CarrierError, Operation};
use common::{Fault, Scripted, SimTransport, block_on, parse_csv, utc};
use serde_json::Value;

const CARRIER: &str = "shiprocket";

// ---------------------------------------------------------------------------------------
// helpers

fn sample(file: &str, status: u16) -> Option<HttpResponse> {
    common::sample(CARRIER, file).map(|body| HttpResponse::new(status, body))
}

fn fixture(file: &str, status: u16) -> HttpResponse {
    HttpResponse::new(status, common::fixture(CARRIER, file))
}

fn mapping() -> Mapping {
    shiprocket::mapping().expect("mappings/shiprocket.toml parses")
}

fn rejected(err: CarrierError) -> (String, String, u16) {
    match err {
        CarrierError::Rejected {
            code,
            message,
            http_status,
        } => (code, message, http_status),
        other => panic!("expected Rejected, got {other:?}"),
    }
}

fn sandbox_settings() -> carriers::Settings {
    (shiprocket::spec().sandbox_settings)()
}

fn adapter() -> Shiprocket {
    Shiprocket::new(&sandbox_settings()).expect("sandbox settings build the adapter")
}

fn address(name: &str, pin: &str, city: &str, state: &str) -> Address {
    Address {
        name: name.into(),
        phone: Phone::parse("+91 98765 43210", "IN").unwrap(),
        email: Some("buyer@example.com".into()),
        line1: "4 Temple Street".into(),
        line2: Some("Flat 2B".into()),
        landmark: Some("Near the water tank".into()),
        city: city.into(),
        state: Some(state.into()),
        postal_code: PostalCode::parse(pin, "IN").unwrap(),
        country: "IN".into(),
    }
}

fn parcel(weight_g: u32, dims_mm: Option<(u32, u32, u32)>) -> Parcel {
    Parcel {
        weight_g,
        length_mm: dims_mm.map(|d| d.0),
        width_mm: dims_mm.map(|d| d.1),
        height_mm: dims_mm.map(|d| d.2),
        declared_value: Some(Money::inr(149_900)),
        description: Some("Cotton kurta".into()),
    }
}

fn rate_request(to_pin: &str, payment: Payment) -> RateRequest {
    RateRequest {
        from: address("Warehouse", "560025", "Bengaluru", "Karnataka"),
        to: address("Asha Rao", to_pin, "Pune", "Maharashtra"),
        parcels: vec![parcel(500, Some((200, 150, 101)))],
        payment,
        carriers: None,
    }
}

fn shipment_request(to_pin: &str, service: Option<&str>, payment: Payment) -> ShipmentRequest {
    ShipmentRequest {
        order_ref: "ORD-1001".into(),
        carrier: CARRIER.into(),
        service: service.map(str::to_string),
        from: address("Warehouse", "560025", "Bengaluru", "Karnataka"),
        to: address("Asha Rao", to_pin, "Pune", "Maharashtra"),
        parcels: vec![parcel(1234, Some((200, 150, 101)))],
        payment,
        label_format: LabelFormat::Pdf,
        kind: ShipmentKind::Forward,
    }
}

fn json_keys(bytes: &[u8]) -> BTreeSet<String> {
    match serde_json::from_slice::<Value>(bytes).expect("JSON") {
        Value::Object(map) => map.keys().cloned().collect(),
        other => panic!("not an object: {other}"),
    }
}

const SIM_ROOT: &str = "http://sandbox.test/sandbox/shiprocket";

// ---------------------------------------------------------------------------------------
// request building

#[test]
fn request_bodies_use_shiprockets_field_names() {
    let Some(login) = common::sample(CARRIER, "auth_login_request.json") else {
        return;
    };
    let ours = shiprocket::login_request("a@b.test", "pw").unwrap();
    assert_eq!(json_keys(ours.body.as_ref().unwrap()), json_keys(&login));
    assert_eq!(ours.path, "/v1/external/auth/login");

    let ours = shiprocket::assign_awb_request("16090281", Some("10")).unwrap();
    let theirs = common::sample(CARRIER, "assign_awb_request.json").unwrap();
    assert_eq!(
        ours.body.as_deref().map(json_keys),
        Some(json_keys(&theirs))
    );
    assert_eq!(
        serde_json::from_slice::<Value>(ours.body.as_ref().unwrap()).unwrap(),
        serde_json::from_slice::<Value>(&theirs).unwrap(),
        "same types as the sample: ids as strings"
    );

    let ours = shiprocket::label_request("16104408").unwrap();
    let theirs = common::sample(CARRIER, "generate_label_request.json").unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(ours.body.as_ref().unwrap()).unwrap(),
        serde_json::from_slice::<Value>(&theirs).unwrap()
    );

    let ours = shiprocket::cancel_awb_request("19041211125783").unwrap();
    let theirs = common::sample(CARRIER, "cancel_shipment_by_awb_request.json").unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(ours.body.as_ref().unwrap()).unwrap(),
        serde_json::from_slice::<Value>(&theirs).unwrap()
    );

    // Every field of our order is one the documented example has.
    let req = shipment_request("411038", None, Payment::Prepaid);
    let ours = shiprocket::order_request(OrderDraft {
        shipment_id: "shp_1",
        request: &req,
        pickup_location: "Primary",
        order_date: chrono::NaiveDate::from_ymd_opt(2024, 6, 27)
            .unwrap()
            .and_hms_opt(10, 5, 0)
            .unwrap(),
    })
    .unwrap();
    let theirs = common::sample(CARRIER, "create_adhoc_order_request.json").unwrap();
    let extra: Vec<_> = json_keys(ours.body.as_ref().unwrap())
        .difference(&json_keys(&theirs))
        .cloned()
        .collect();
    assert!(
        extra.is_empty(),
        "fields the documented order lacks: {extra:?}"
    );
}

#[test]
fn order_converts_units_and_money_at_the_edge() {
    let req = shipment_request(
        "411038",
        Some("43"),
        Payment::Cod {
            cod_amount: Money::inr(99_950),
        },
    );
    let order = ShiprocketOrderRequest::try_from(OrderDraft {
        shipment_id: "shp_42",
        request: &req,
        pickup_location: "Primary",
        order_date: chrono::NaiveDate::from_ymd_opt(2024, 6, 27)
            .unwrap()
            .and_hms_opt(10, 5, 0)
            .unwrap(),
    })
    .unwrap();
    let body = serde_json::to_value(&order).unwrap();
    assert_eq!(
        body["order_id"], "shp_42",
        "channel order id is shipgate's shipment id"
    );
    assert_eq!(body["order_date"], "2024-06-27 10:05");
    assert_eq!(body["weight"], 1.234, "1234 g in kg");
    assert_eq!(
        (
            body["length"].clone(),
            body["breadth"].clone(),
            body["height"].clone()
        ),
        (20.into(), 15.into(), 11.into()),
        "mm rounded up to cm"
    );
    assert_eq!(body["payment_method"], "COD");
    assert_eq!(body["sub_total"], 999.5, "COD amount in rupees");
    assert_eq!(body["order_items"][0]["selling_price"], 999.5);
    assert_eq!(body["billing_phone"], "9876543210");
    assert_eq!(body["billing_pincode"], "411038");
    assert_eq!(body["billing_address_2"], "Flat 2B, Near the water tank");
    assert_eq!(body["shipping_is_billing"], true);
    assert!(body["comment"].as_str().unwrap().contains("ORD-1001"));

    // No dimensions: Shiprocket requires them, so a 10 cm cube is declared.
    let mut bare = shipment_request("411038", None, Payment::Prepaid);
    bare.parcels = vec![parcel(500, None)];
    let body = serde_json::to_value(
        ShiprocketOrderRequest::try_from(OrderDraft {
            shipment_id: "shp_43",
            request: &bare,
            pickup_location: "Primary",
            order_date: chrono::NaiveDate::from_ymd_opt(2024, 6, 27)
                .unwrap()
                .and_hms_opt(10, 5, 0)
                .unwrap(),
        })
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (
            body["length"].clone(),
            body["breadth"].clone(),
            body["height"].clone()
        ),
        (10.into(), 10.into(), 10.into())
    );
    assert_eq!(body["weight"], 0.5);
    assert_eq!(body["payment_method"], "Prepaid");
    assert_eq!(body["sub_total"], 1499, "declared value in whole rupees");
}

#[test]
fn rates_query_is_in_kg_and_cm() {
    let req = shiprocket::rates_request(&rate_request("411038", Payment::Prepaid)).unwrap();
    assert_eq!(req.path, "/v1/external/courier/serviceability/");
    let q: BTreeMap<_, _> = req.query.iter().cloned().collect();
    assert_eq!(q["pickup_postcode"], "560025");
    assert_eq!(q["delivery_postcode"], "411038");
    assert_eq!(q["weight"], "0.5");
    assert_eq!(q["cod"], "0");
    assert_eq!(
        (
            q["length"].as_str(),
            q["breadth"].as_str(),
            q["height"].as_str()
        ),
        ("20", "15", "11")
    );

    let cod = Payment::Cod {
        cod_amount: Money::inr(50_000),
    };
    let req = shiprocket::rates_request(&rate_request("411038", cod)).unwrap();
    let q: BTreeMap<_, _> = req.query.iter().cloned().collect();
    assert_eq!(q["cod"], "1");
    assert_eq!(q["declared_value"], "500.00");
}

#[test]
fn bearer_token_goes_to_shiprocket_and_nowhere_else() {
    let Some(assigned) = sample("assign_awb_response.json", 200) else {
        return;
    };
    let t = Scripted::new([
        fixture("auth_login_response.json", 200),
        sample("create_adhoc_order_response.json", 200).unwrap(),
        assigned,
        sample("generate_label_response.json", 200).unwrap(),
        HttpResponse::new(200, b"%PDF-1.4 fake label".to_vec()),
    ]);
    let created = block_on(adapter().create_shipment(
        &t,
        "shp_1",
        &shipment_request("411038", Some("142"), Payment::Prepaid),
    ))
    .unwrap();
    assert_eq!(created.awb, "321055706540");
    assert_eq!(created.labels[0].content, b"%PDF-1.4 fake label");

    let sent = t.sent();
    let ops: Vec<_> = sent.iter().map(|(op, _)| *op).collect();
    assert_eq!(
        ops,
        [
            Operation::Login,
            Operation::CreateShipment,
            Operation::CreateShipment,
            Operation::Label,
            Operation::Label
        ]
    );
    let token = "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.fixture-payload.fixture-signature";
    assert_eq!(
        sent[0].1.header_value("authorization"),
        None,
        "login carries no token"
    );
    for (_, req) in &sent[1..4] {
        assert_eq!(
            req.header_value("authorization"),
            Some(token),
            "{}",
            req.path
        );
    }
    assert!(
        sent[4].1.path.starts_with("https://kr-shipmultichannel.s3"),
        "label fetched from its link"
    );
    assert_eq!(
        sent[4].1.header_value("authorization"),
        None,
        "the token never goes to S3"
    );
    let assign: Value = serde_json::from_slice(sent[2].1.body.as_ref().unwrap()).unwrap();
    assert_eq!(assign["courier_id"], "142");
}

#[test]
fn a_401_logs_in_again_and_repeats_the_call_once() {
    let Some(services) = sample("serviceability_response.json", 200) else {
        return;
    };
    let expired = fixture("error_response_401_token_expired.json", 401);
    let t = Scripted::new([
        fixture("auth_login_response.json", 200),
        expired.clone(),
        HttpResponse::new(200, br#"{"token":"second-token"}"#.to_vec()),
        services,
    ]);
    let carrier = adapter();
    let quotes = block_on(carrier.rates(&t, &rate_request("175019", Payment::Prepaid))).unwrap();
    assert_eq!(quotes.len(), 3);
    let sent = t.sent();
    assert_eq!(
        sent.iter().map(|(op, _)| *op).collect::<Vec<_>>(),
        [
            Operation::Login,
            Operation::Rates,
            Operation::Login,
            Operation::Rates
        ]
    );
    assert_eq!(
        sent[3].1.header_value("authorization"),
        Some("Bearer second-token")
    );

    // The new token is cached: the next call logs in no more.
    let t = Scripted::new([
        expired.clone(),
        HttpResponse::new(200, br#"{"token":"third"}"#.to_vec()),
        expired,
    ]);
    let err = block_on(carrier.rates(&t, &rate_request("175019", Payment::Prepaid))).unwrap_err();
    let sent = t.sent();
    assert_eq!(
        sent[0].1.header_value("authorization"),
        Some("Bearer second-token")
    );
    assert_eq!(sent.len(), 3, "one re-login, one repeat, then give up");
    let (code, message, status) = rejected(err);
    assert_eq!((code.as_str(), status), ("401", 401));
    assert_eq!(message, "Token has expired");
}

#[test]
fn login_refusal_is_rejected_with_shiprockets_message() {
    let err = shiprocket::parse_login(&fixture(
        "auth_login_response_400_invalid_credentials.json",
        400,
    ))
    .unwrap_err();
    let (code, message, status) = rejected(err);
    assert_eq!((code.as_str(), status), ("400", 400));
    assert!(
        message.contains("Invalid email and password combination"),
        "{message}"
    );
    assert_eq!(
        shiprocket::parse_login(&fixture("auth_login_response.json", 200)).unwrap(),
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.fixture-payload.fixture-signature"
    );
}

// ---------------------------------------------------------------------------------------
// replay: rates

#[test]
fn serviceability_becomes_one_quote_per_courier_in_paise() {
    let Some(resp) = sample("serviceability_response.json", 200) else {
        return;
    };
    let quotes = shiprocket::parse_rates(&resp).unwrap();
    let summary: Vec<_> = quotes
        .iter()
        .map(|q| (q.service.as_str(), q.service_name.as_str(), q.total.amount))
        .collect();
    assert_eq!(
        summary,
        [
            ("43", "Delhivery Surface", 5400),
            ("225", "India Post-Business Parcel Surface Prepaid", 12390),
            ("19", "Ecom Express Surface 2kg", 15012),
        ]
    );
    let first = &quotes[0];
    assert_eq!(first.carrier, "shiprocket");
    assert_eq!(first.total.currency.as_str(), "INR");
    assert_eq!(
        first.estimated_delivery,
        chrono::NaiveDate::from_ymd_opt(2024, 7, 1)
    );
    assert_eq!(first.transit_days, Some(4));
    assert_eq!(first.breakdown.len(), 1);
    assert_eq!(first.breakdown[0].kind, ChargeKind::Freight);
    assert_eq!(first.breakdown[0].amount.amount, 5400);
}

#[test]
fn serviceability_with_cod_string_amounts_and_blocked_couriers() {
    let quotes = shiprocket::parse_rates(&fixture(
        "serviceability_response_cod_string_amounts.json",
        200,
    ))
    .unwrap();
    assert_eq!(quotes.len(), 1, "blocked couriers are not quoted");
    let q = &quotes[0];
    assert_eq!(
        (q.service.as_str(), q.total.amount, q.transit_days),
        ("51", 9550, Some(6))
    );
    let parts: Vec<_> = q
        .breakdown
        .iter()
        .map(|c| (c.kind, c.amount.amount))
        .collect();
    assert_eq!(
        parts,
        [(ChargeKind::Freight, 6050), (ChargeKind::Cod, 3500)]
    );

    let none = shiprocket::parse_rates(&fixture(
        "serviceability_response_http200_no_couriers.json",
        200,
    ))
    .unwrap();
    assert!(
        none.is_empty(),
        "PHP's data: [] means nothing serves the lane"
    );
}

#[test]
fn serviceability_errors_are_rejections() {
    let Some(resp) = sample("serviceability_response_422_missing_fields.json", 422) else {
        return;
    };
    let (code, message, status) = rejected(shiprocket::parse_rates(&resp).unwrap_err());
    assert_eq!((code.as_str(), status), ("422", 422));
    assert!(message.starts_with("Required field missing"), "{message}");
    assert!(
        message.contains("weight: The weight field is required when order id is not present."),
        "{message}"
    );

    let resp = sample("serviceability_response_http200_order_not_found.json", 200).unwrap();
    let (code, message, status) = rejected(shiprocket::parse_rates(&resp).unwrap_err());
    assert_eq!(
        (code.as_str(), message.as_str(), status),
        ("404", "Order does not exist!", 200)
    );
}

// ---------------------------------------------------------------------------------------
// replay: create (order, AWB, label)

#[test]
fn create_order_replies() {
    let Some(resp) = sample("create_adhoc_order_response.json", 200) else {
        return;
    };
    assert_eq!(
        shiprocket::parse_order_created(&resp).unwrap(),
        CreatedOrder {
            order_id: "16161616".into(),
            shipment_id: "15151515".into(),
            status_code: Some("1".into()),
            awb: None,
        }
    );
    let ret =
        shiprocket::parse_order_created(&sample("create_return_order_response.json", 200).unwrap())
            .unwrap();
    assert_eq!(
        (
            ret.order_id.as_str(),
            ret.shipment_id.as_str(),
            ret.status_code.as_deref()
        ),
        ("170872392", "170411259", Some("21"))
    );

    let existing = shiprocket::parse_order_created(&fixture(
        "create_adhoc_order_response_existing_with_awb.json",
        200,
    ))
    .unwrap();
    assert_eq!(
        existing.awb,
        Some(AssignedAwb {
            awb: "043000100013".into(),
            courier_company_id: Some("43".into()),
            courier_name: Some("Delhivery Surface".into()),
            routing_code: None,
        })
    );

    let (code, message, status) = rejected(
        shiprocket::parse_order_created(
            &sample("create_adhoc_order_response_400_invalid_channel.json", 400).unwrap(),
        )
        .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str(), status),
        ("400", "Given channel id does not exist", 400)
    );

    let (code, message, status) = rejected(
        shiprocket::parse_order_created(
            &sample("create_adhoc_order_response_422_missing_fields.json", 422).unwrap(),
        )
        .unwrap_err(),
    );
    assert_eq!((code.as_str(), status), ("422", 422));
    assert_eq!(
        message,
        "Oops! Invalid Data.; order_id: The order id field is required."
    );

    let (code, message, _) = rejected(
        shiprocket::parse_order_created(
            &sample("create_return_order_response_422.json", 422).unwrap(),
        )
        .unwrap_err(),
    );
    assert_eq!(code, "422");
    assert!(
        message.contains("order_id: The order id has already been taken."),
        "{message}"
    );
}

#[test]
fn assign_awb_replies() {
    let Some(resp) = sample("assign_awb_response.json", 200) else {
        return;
    };
    assert_eq!(
        shiprocket::parse_awb_assigned(&resp).unwrap(),
        AssignedAwb {
            awb: "321055706540".into(),
            courier_company_id: Some("142".into()),
            courier_name: Some("Amazon Surface".into()),
            routing_code: None,
        }
    );
    let (code, message, status) = rejected(
        shiprocket::parse_awb_assigned(
            &sample("assign_awb_response_400_cannot_reassign.json", 400).unwrap(),
        )
        .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str(), status),
        (
            "400",
            "Oops! Cannot reassign courier for this shipment.",
            400
        )
    );

    let (code, message, status) = rejected(
        shiprocket::parse_awb_assigned(
            &sample("assign_awb_response_422_missing_fields.json", 422).unwrap(),
        )
        .unwrap_err(),
    );
    assert_eq!((code.as_str(), status), ("422", 422));
    assert_eq!(
        message,
        "Required field missing; shipment_id: The shipment id field is required."
    );

    let (code, message, status) = rejected(
        shiprocket::parse_awb_assigned(&fixture(
            "assign_awb_response_http200_not_assigned.json",
            200,
        ))
        .unwrap_err(),
    );
    assert_eq!((code.as_str(), status), ("awb_assign_failed", 200));
    assert!(message.contains("not serviceable"), "{message}");
}

#[test]
fn generate_label_replies() {
    let Some(resp) = sample("generate_label_response.json", 200) else {
        return;
    };
    assert_eq!(
        shiprocket::parse_label_link(&resp).unwrap(),
        LabelLink("https://kr-shipmultichannel.s3.ap-southeast-1.amazonaws.com/25149/labels/shipping-label-16104408-788830567028.pdf".into())
    );
    let (code, message, status) = rejected(
        shiprocket::parse_label_link(
            &sample("generate_label_response_422_not_array.json", 422).unwrap(),
        )
        .unwrap_err(),
    );
    assert_eq!((code.as_str(), status), ("422", 422));
    assert_eq!(
        message,
        "Oops! Invalid Data.; shipment_id: The shipment id must be an array."
    );

    let (code, message, status) = rejected(
        shiprocket::parse_label_link(
            &sample("generate_label_response_http200_not_created.json", 200).unwrap(),
        )
        .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str(), status),
        (
            "label_not_created",
            "No valid shipment ids to print label",
            200
        )
    );

    assert!(matches!(
        shiprocket::parse_label_pdf(&HttpResponse::new(
            200,
            b"<Error>NoSuchKey</Error>".to_vec()
        )),
        Err(CarrierError::BadResponse(_))
    ));
}

// ---------------------------------------------------------------------------------------
// replay: cancel

#[test]
fn cancel_replies() {
    let Some(body) = common::sample(CARRIER, "cancel_shipment_by_awb_response_http204.json") else {
        return;
    };
    let outcome = shiprocket::parse_cancelled(&HttpResponse::new(204, body)).unwrap();
    assert_eq!(
        outcome.carrier_message,
        "Bulk Shipment cancellation is in progress. Please wait for some time."
    );
    // A real 204 carries no body at all.
    let outcome = shiprocket::parse_cancelled(&HttpResponse::new(204, Vec::new())).unwrap();
    assert_eq!(outcome.carrier_message, "cancellation accepted (HTTP 204)");
    let outcome = shiprocket::parse_cancelled(&fixture("cancel_order_response.json", 200)).unwrap();
    assert_eq!(outcome.carrier_message, "Order(s) cancelled successfully.");
}

// ---------------------------------------------------------------------------------------
// replay: tracking

#[test]
fn tracking_by_awb_or_shipment_turns_ist_scans_into_utc_events() {
    let Some(resp) = sample("track_shipment_id_response_picked_up.json", 200) else {
        return;
    };
    let m = mapping();
    let update = shiprocket::parse_tracking(&m, "1091188857722", &resp).unwrap();
    assert_eq!(update.awb, "1091188857722");
    let events: Vec<_> = update
        .events
        .iter()
        .map(|e| (e.carrier_code.as_str(), e.status, e.sub_status))
        .collect();
    assert_eq!(
        events,
        [
            ("5", Status::PreTransit, SubStatus::Manifested),
            // sr-status "NA": the scan keeps the status it found.
            ("FMPUR-101", Status::PreTransit, SubStatus::Manifested),
            ("42", Status::InTransit, SubStatus::PickedUp),
        ]
    );
    let picked_up = &update.events[2];
    // 2021-12-23 14:23:18 IST is 08:53:18 UTC.
    assert_eq!(picked_up.event_time, utc("2021-12-23T08:53:18Z"));
    assert_eq!(
        picked_up.location.as_deref(),
        Some("Palwal_NewColony_D (Haryana)")
    );
    assert_eq!(
        picked_up.description.as_deref(),
        Some("In Transit - Shipment picked up")
    );
    assert!(!picked_up.terminal);
    assert_eq!(update.events[0].event_time, utc("2021-12-23T08:49:34Z"));

    // The order-id endpoint wraps the same object in an array.
    let by_order = shiprocket::parse_tracking(
        &m,
        "1091188857722",
        &sample("track_order_id_response.json", 200).unwrap(),
    )
    .unwrap();
    assert_eq!(by_order, update);
}

#[test]
fn tracking_several_awbs_and_empty_answers() {
    let Some(resp) = sample("track_multiple_awbs_response.json", 200) else {
        return;
    };
    let m = mapping();
    let first = shiprocket::parse_tracking(&m, "788829354408", &resp).unwrap();
    assert_eq!(first.events.len(), 1);
    let e = &first.events[0];
    // No sr-status on the scan: the payload's shipment_status 1 (AWB Assigned) is its state.
    assert_eq!(
        (e.status, e.sub_status, e.carrier_code.as_str()),
        (Status::PreTransit, SubStatus::LabelCreated, "NA")
    );
    assert_eq!(e.event_time, utc("2019-07-31T20:35:05Z"));
    assert_eq!(e.location, None, "\"NA\" is no location");
    let second = shiprocket::parse_tracking(&m, "788830567028", &resp).unwrap();
    assert_eq!(second.events[0].sub_status, SubStatus::PickupScheduled);

    let none = shiprocket::parse_tracking(
        &m,
        "19041211125783",
        &sample("track_awb_response_no_activities.json", 200).unwrap(),
    )
    .unwrap();
    assert_eq!(none.awb, "19041211125783");
    assert!(none.events.is_empty(), "booked, not scanned yet");

    let (code, _, status) = rejected(
        shiprocket::parse_tracking(
            &m,
            "788830567028",
            &sample(
                "track_multiple_awbs_response_http200_unknown_awbs.json",
                200,
            )
            .unwrap(),
        )
        .unwrap_err(),
    );
    assert_eq!((code.as_str(), status), ("awb_not_found", 200));
}

#[test]
fn tracking_journeys_from_fixtures() {
    let m = mapping();
    let update = shiprocket::parse_tracking(
        &m,
        "77412300981",
        &fixture("track_awb_response_ndr_then_delivered.json", 200),
    )
    .unwrap();
    let subs: Vec<_> = update.events.iter().map(|e| e.sub_status).collect();
    assert_eq!(
        subs,
        [
            SubStatus::PickedUp,
            SubStatus::InTransit,
            SubStatus::InTransit,
            SubStatus::ReachedDestinationHub,
            SubStatus::OutForDelivery,
            SubStatus::Other,
            SubStatus::OutForDelivery,
            SubStatus::Delivered,
        ]
    );
    let ndr = &update.events[5];
    assert_eq!(ndr.status, Status::DeliveryFailed);
    assert!(ndr.action_required);
    assert_eq!(ndr.carrier_status, "UNDELIVERED");
    assert_eq!(
        ndr.description.as_deref(),
        Some("Consignee not available at address")
    );
    let delivered = update.events.last().unwrap();
    assert!(delivered.terminal);
    assert_eq!(delivered.event_time, utc("2024-03-07T10:32:45Z"));

    let rto = shiprocket::parse_tracking(
        &m,
        "1091100220033",
        &fixture("track_awb_response_rto_delivered.json", 200),
    )
    .unwrap();
    let subs: Vec<_> = rto.events.iter().map(|e| e.sub_status).collect();
    assert_eq!(
        subs,
        [
            SubStatus::Other,
            SubStatus::RtoInitiated,
            SubStatus::RtoInTransit,
            SubStatus::RtoDelivered
        ]
    );
    assert!(rto.events[3].terminal);
}

#[test]
fn an_unmapped_code_stays_raw_and_unknown() {
    let update = shiprocket::parse_tracking(
        &mapping(),
        "043000100099",
        &fixture("track_awb_response_unmapped_code.json", 200),
    )
    .unwrap();
    let last = update.events.last().unwrap();
    assert_eq!(
        (last.status, last.sub_status),
        (Status::Unknown, SubStatus::Unmapped)
    );
    assert_eq!(last.carrier_code, "99");
    assert_eq!(last.carrier_status, "SOMETHING NEW");
    assert_eq!(update.events[0].sub_status, SubStatus::PickedUp);
}

#[test]
fn webhook_pushes() {
    let Some(body) = common::sample(CARRIER, "webhook_push_in_transit.json") else {
        return;
    };
    let update = shiprocket::parse_webhook(&mapping(), &body).unwrap();
    assert_eq!(update.awb, "19041424751540");
    assert_eq!(update.events.len(), 17);
    assert_eq!(update.events[0].sub_status, SubStatus::Manifested);
    assert_eq!(update.events[1].sub_status, SubStatus::PickedUp);
    assert_eq!(update.events[2].carrier_status, "SHIPPED");
    // "Added to Bag" (sr-status NA) after SHIPPED stays in transit.
    assert_eq!(
        (
            update.events[3].carrier_code.as_str(),
            update.events[3].status
        ),
        ("X-DBL1F", Status::InTransit)
    );
    assert!(
        update
            .events
            .iter()
            .skip(1)
            .all(|e| e.status == Status::InTransit)
    );
    let last = update.events.last().unwrap();
    assert_eq!(last.event_time, utc("2023-05-23T06:13:46Z"));
    assert!(
        update
            .events
            .windows(2)
            .all(|w| w[0].event_time <= w[1].event_time)
    );

    let bare = shiprocket::parse_webhook(
        &mapping(),
        &common::fixture(CARRIER, "webhook_push_delivered_no_scans.json"),
    )
    .unwrap();
    assert_eq!(bare.events.len(), 1);
    assert_eq!(bare.events[0].sub_status, SubStatus::Delivered);
    assert_eq!(bare.events[0].event_time, utc("2024-03-07T10:32:45Z"));
}

// ---------------------------------------------------------------------------------------
// replay: generic errors

#[test]
fn http_errors_keep_their_class() {
    let Some(not_found) = sample("error_response_404_wrong_endpoint.json", 404) else {
        return;
    };
    for parse in [
        |r: &HttpResponse| shiprocket::parse_rates(r).map(drop),
        |r: &HttpResponse| shiprocket::parse_order_created(r).map(drop),
        |r: &HttpResponse| shiprocket::parse_awb_assigned(r).map(drop),
        |r: &HttpResponse| shiprocket::parse_label_link(r).map(drop),
        |r: &HttpResponse| shiprocket::parse_cancelled(r).map(drop),
        |r: &HttpResponse| shiprocket::parse_tracking(&mapping(), "1", r).map(drop),
    ] {
        let (code, message, status) = rejected(parse(&not_found).unwrap_err());
        assert_eq!(
            (code.as_str(), message.as_str(), status),
            ("404", "404 Not Found", 404)
        );

        let nginx = sample("error_response_502_nginx.html", 502).unwrap();
        match parse(&nginx).unwrap_err() {
            CarrierError::Upstream { status, detail } => {
                assert_eq!(status, 502);
                assert!(detail.contains("502 Bad Gateway"), "{detail}");
            }
            other => panic!("502 must be Upstream, got {other:?}"),
        }
        // A 500 is Upstream even when its body is Shiprocket JSON: it may have happened.
        let json500 = sample("print_manifest_response_500_wrong_format.json", 500).unwrap();
        assert!(matches!(
            parse(&json500).unwrap_err(),
            CarrierError::Upstream { status: 500, .. }
        ));
        // HTML where JSON was promised, with a 200: unreadable, not a refusal.
        let html200 = HttpResponse::new(200, b"<html>maintenance</html>".to_vec());
        assert!(matches!(
            parse(&html200).unwrap_err(),
            CarrierError::BadResponse(_)
        ));
    }
}

// ---------------------------------------------------------------------------------------
// mapping coverage

/// The mapping table a status-codes.csv row belongs in.
fn csv_kind(status_type: &str) -> &'static str {
    if status_type.starts_with("order_status") {
        shiprocket::KIND_ORDER_STATUS
    } else if status_type.contains("Shipments API") {
        shiprocket::KIND_SHIPMENT_STATUS
    } else if status_type.contains("tracking_data.shipment_status") {
        shiprocket::KIND_SR_STATUS
    } else {
        panic!("status-codes.csv has a kind this test does not know: {status_type}")
    }
}

#[test]
fn every_published_status_code_is_mapped_in_its_own_table() {
    let m = mapping();
    let Some(csv) = common::sample(CARRIER, "status-codes.csv") else {
        return;
    };
    // The source column has commas and quotes: read as CSV, not split on commas.
    let csv = parse_csv(&String::from_utf8(csv).unwrap());
    let mut missing = Vec::new();
    let mut rows = 0;
    for f in &csv[1..] {
        let (code, description, kind) = (f[0].trim(), f[1].trim(), csv_kind(&f[2]));
        rows += 1;
        if m.lookup(kind, code).is_none() {
            missing.push(format!("[codes.{kind}] {code} ({description})"));
        }
    }
    assert!(rows > 150, "status-codes.csv read only {rows} rows");
    assert!(
        missing.is_empty(),
        "unmapped published codes:\n{}",
        missing.join("\n")
    );

    // The same number means different things per table.
    assert_eq!(
        m.lookup("order_status", "20").unwrap().sub_status,
        SubStatus::InTransit
    );
    assert_eq!(
        m.lookup("sr_status", "20").unwrap().sub_status,
        SubStatus::PickupFailed
    );
    assert_eq!(
        m.lookup("order_status", "60").unwrap().status,
        Status::InTransit
    );
    assert_eq!(
        m.lookup("sr_status", "60").unwrap().status,
        Status::PreTransit
    );
}

/// Every status id and label a payload carries, with the table it is read against.
fn collect_codes(v: &Value, in_tracking: bool, out: &mut BTreeSet<(&'static str, String)>) {
    let text = |v: &Value| {
        match v {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
        .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("na"))
    };
    match v {
        Value::Array(items) => items
            .iter()
            .for_each(|i| collect_codes(i, in_tracking, out)),
        Value::Object(map) => {
            for (key, value) in map {
                let kind = match key.as_str() {
                    "sr-status" | "shipment_status_id" => Some(shiprocket::KIND_SR_STATUS),
                    "shipment_status" if in_tracking && value.is_number() => {
                        Some(shiprocket::KIND_SR_STATUS)
                    }
                    "shipment_status" if value.is_string() => {
                        Some(shiprocket::KIND_SR_STATUS_LABEL)
                    }
                    "sr-status-label" | "current_status" => Some(shiprocket::KIND_SR_STATUS_LABEL),
                    "current_status_id" => Some(shiprocket::KIND_ORDER_STATUS),
                    // An order's status id, next to its status text (not an error's status_code).
                    "status_code"
                        if map.get("status").is_some_and(Value::is_string)
                            && !map.contains_key("message") =>
                    {
                        Some(shiprocket::KIND_ORDER_STATUS)
                    }
                    _ => None,
                };
                if let (Some(kind), Some(code)) = (kind, text(value)) {
                    out.insert((kind, code));
                }
                collect_codes(value, in_tracking || key == "tracking_data", out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_status_in_samples_and_fixtures_is_mapped() {
    let m = mapping();
    let mut files = Vec::new();
    if let Some(dir) = common::samples_dir(CARRIER) {
        files.extend(std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()));
    }
    files.extend(
        std::fs::read_dir(common::fixtures_dir(CARRIER))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    let mut codes = BTreeSet::new();
    let mut read = 0;
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".json") || name.contains("unmapped") {
            continue;
        }
        let Ok(value) = serde_json::from_slice::<Value>(&std::fs::read(&path).unwrap()) else {
            continue;
        };
        read += 1;
        collect_codes(&value, false, &mut codes);
    }
    assert!(read >= 10, "only {read} payloads read");
    assert!(
        codes.iter().any(|(k, _)| *k == shiprocket::KIND_SR_STATUS),
        "no tracking code found: {codes:?}"
    );
    let missing: Vec<_> = codes
        .iter()
        .filter(|(kind, code)| m.lookup(kind, code).is_none())
        .map(|(k, c)| format!("[codes.{k}] {c}"))
        .collect();
    assert!(
        missing.is_empty(),
        "codes in payloads that no row maps:\n{}",
        missing.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// against the simulator

#[test]
fn spec_and_settings() {
    let spec = shiprocket::spec();
    assert_eq!(spec.id, "shiprocket");
    assert_eq!(
        spec.required_settings,
        ["email", "password", "pickup_location"]
    );
    assert_eq!(spec.default_timeout_ms, 15_000);
    let carrier = (spec.build)(&sandbox_settings()).unwrap();
    let caps = carrier.capabilities();
    assert!(
        caps.rates
            && caps.create_shipment
            && caps.cancel
            && caps.track
            && caps.cod
            && !caps.international
    );
    assert_eq!(caps.native_label_formats, [LabelFormat::Pdf]);
    let err = (spec.build)(&carriers::Settings::new()).err().unwrap();
    assert!(err.contains("email"), "{err}");
}

#[test]
fn round_trip_against_the_simulator() {
    let sim = Arc::new(ShiprocketSimulator::new());
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let carrier = adapter();

    // Rates: three couriers, cheapest first is not promised but all are priced.
    let quotes = block_on(carrier.rates(&t, &rate_request("411038", Payment::Prepaid))).unwrap();
    assert_eq!(quotes.len(), 3);
    assert!(
        quotes
            .iter()
            .all(|q| q.total.amount > 0 && q.estimated_delivery.is_some())
    );
    let cod = Payment::Cod {
        cod_amount: Money::inr(50_000),
    };
    let cod_quotes = block_on(carrier.rates(&t, &rate_request("411038", cod))).unwrap();
    assert!(cod_quotes.iter().all(|q| {
        q.breakdown
            .iter()
            .any(|c| c.kind == ChargeKind::Cod && c.amount.amount == 3500)
    }));
    assert!(
        block_on(carrier.rates(&t, &rate_request("999999", Payment::Prepaid)))
            .unwrap()
            .is_empty()
    );

    // Book with the quoted courier.
    let service = quotes
        .iter()
        .find(|q| q.service_name == "Blue Dart")
        .unwrap()
        .service
        .clone();
    let created = block_on(carrier.create_shipment(
        &t,
        "shp_round_trip",
        &shipment_request("411038", Some(&service), Payment::Prepaid),
    ))
    .unwrap();
    assert_eq!(created.service, service);
    assert_eq!(sim.bookings(), 1);
    assert_eq!(created.carrier_refs["channel_order_id"], "shp_round_trip");
    assert!(
        created.carrier_refs.contains_key("order_id")
            && created.carrier_refs.contains_key("shipment_id")
    );
    assert_eq!(
        created.carrier_refs["label_url"],
        format!("{SIM_ROOT}/labels/{}.pdf", created.awb)
    );
    assert!(created.routing_code.is_some());
    assert_eq!(
        created.labels.len(),
        1,
        "label error: {:?}",
        created.carrier_refs.get("label_error")
    );
    assert!(created.labels[0].content.starts_with(b"%PDF"));

    let shipment = ShipmentRef {
        shipment_id: "shp_round_trip".into(),
        order_ref: "ORD-1001".into(),
        awb: Some(created.awb.clone()),
        carrier_refs: created.carrier_refs.clone(),
    };
    // Right after booking there are no scans yet.
    assert!(
        block_on(carrier.track(&t, &shipment))
            .unwrap()
            .events
            .is_empty()
    );
    let first = block_on(carrier.track(&t, &shipment)).unwrap();
    assert_eq!(first.events.len(), 1);
    assert_eq!(first.events[0].sub_status, SubStatus::Manifested);

    // The token dies; the next calls log in again without the caller noticing.
    let logins_before = t.ops().iter().filter(|op| **op == Operation::Login).count();
    assert_eq!(sim.expire_tokens(), 1);
    let mut last = first;
    for _ in 0..3 {
        let next = block_on(carrier.track(&t, &shipment)).unwrap();
        assert_eq!(
            next.events.len(),
            last.events.len() + 1,
            "one scan per track call"
        );
        assert!(
            next.events
                .windows(2)
                .all(|w| w[0].event_time < w[1].event_time)
        );
        last = next;
    }
    let logins_after = t.ops().iter().filter(|op| **op == Operation::Login).count();
    assert_eq!(
        logins_after,
        logins_before + 1,
        "one re-login, then the new token is reused"
    );
    assert_eq!(
        last.events.last().unwrap().carrier_status,
        "In Transit - Shipment Recieved at Origin Center"
    );
    assert_eq!(last.events.last().unwrap().sub_status, SubStatus::InTransit);
    assert_eq!(last.events[2].sub_status, SubStatus::PickedUp);

    // Cancel after pickup: Shiprocket sends it back.
    let outcome = block_on(carrier.cancel(&t, &shipment)).unwrap();
    assert_eq!(outcome.carrier_message, "cancellation accepted (HTTP 204)");
    let after = block_on(carrier.track(&t, &shipment)).unwrap();
    assert_eq!(
        after.events.last().unwrap().sub_status,
        SubStatus::RtoInitiated
    );

    // An AWB the simulator never issued.
    let unknown = ShipmentRef {
        awb: Some("000000000000".into()),
        ..shipment.clone()
    };
    let (code, _, _) = rejected(block_on(carrier.track(&t, &unknown)).unwrap_err());
    assert_eq!(code, "awb_not_found");
    let (code, message, status) = rejected(block_on(carrier.cancel(&t, &unknown)).unwrap_err());
    assert_eq!((code.as_str(), status), ("400", 400));
    assert!(message.contains("AWB not found"), "{message}");
    assert_eq!(sim.bookings(), 1);
}

#[test]
fn cancel_before_pickup_cancels_and_auto_courier_is_chosen() {
    let sim = Arc::new(ShiprocketSimulator::new());
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let carrier = adapter();
    let created = block_on(carrier.create_shipment(
        &t,
        "shp_auto",
        &shipment_request("411038", None, Payment::Prepaid),
    ))
    .unwrap();
    assert_eq!(
        created.service, "43",
        "no service: the account's rules pick the courier"
    );
    let shipment = ShipmentRef {
        shipment_id: "shp_auto".into(),
        awb: Some(created.awb.clone()),
        carrier_refs: created.carrier_refs,
        ..Default::default()
    };
    block_on(carrier.cancel(&t, &shipment)).unwrap();
    let update = block_on(carrier.track(&t, &shipment)).unwrap();
    let last = update.events.last().unwrap();
    assert_eq!((last.status, last.terminal), (Status::Cancelled, true));
}

#[test]
fn simulator_refusals_reach_the_caller_as_rejections() {
    let sim = Arc::new(ShiprocketSimulator::new());
    let t = SimTransport::new(sim.clone(), SIM_ROOT);

    // Unknown pickup location: refused at step 1, nothing exists at Shiprocket.
    let mut settings = sandbox_settings();
    settings.insert("pickup_location".into(), "Nowhere".into());
    let wrong = Shiprocket::new(&settings).unwrap();
    let (code, message, _) = rejected(
        block_on(wrong.create_shipment(
            &t,
            "shp_a",
            &shipment_request("411038", None, Payment::Prepaid),
        ))
        .unwrap_err(),
    );
    assert_eq!(code, "422");
    assert!(message.contains("Wrong Pickup location"), "{message}");

    // Wrong password.
    settings.insert("password".into(), "nope".into());
    let locked_out = Shiprocket::new(&settings).unwrap();
    let (code, message, _) = rejected(
        block_on(locked_out.rates(&t, &rate_request("411038", Payment::Prepaid))).unwrap_err(),
    );
    assert_eq!(code, "400");
    assert!(message.starts_with("Shiprocket login failed"), "{message}");

    // Unserviceable PIN code: the order exists, the AWB is refused inside HTTP 200, and the
    // error names the order so nothing is lost.
    let carrier = adapter();
    let err = block_on(carrier.create_shipment(
        &t,
        "shp_b",
        &shipment_request("999999", None, Payment::Prepaid),
    ))
    .unwrap_err();
    let (code, message, status) = rejected(err);
    assert_eq!((code.as_str(), status), ("awb_assign_failed", 200));
    assert!(
        message.contains("not serviceable") && message.contains("channel order id shp_b"),
        "{message}"
    );
    assert_eq!(sim.bookings(), 0);
    // Cancelling that shipment cancels the dangling order, by what the adapter remembers.
    let outcome = block_on(carrier.cancel(
        &t,
        &ShipmentRef {
            shipment_id: "shp_b".into(),
            ..Default::default()
        },
    ))
    .unwrap();
    assert_eq!(outcome.carrier_message, "Order(s) cancelled successfully.");

    // A service that is no Shiprocket courier id never leaves shipgate.
    let err = block_on(carrier.create_shipment(
        &t,
        "shp_c",
        &shipment_request("411038", Some("express"), Payment::Prepaid),
    ))
    .unwrap_err();
    assert!(matches!(err, CarrierError::NotSent(_)), "{err:?}");
}

#[test]
fn a_failed_assign_is_continued_not_rebooked() {
    let sim = Arc::new(ShiprocketSimulator::new());
    // The first assign meets a 502 before reaching Shiprocket.
    let failed_once = Arc::new(Mutex::new(false));
    let flag = failed_once.clone();
    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(Box::new(move |_, req| {
        let mut failed = flag.lock().unwrap();
        if req.path.ends_with("/courier/assign/awb") && !*failed {
            *failed = true;
            return Fault::Answer(HttpResponse::new(
                502,
                b"<html><title>502 Bad Gateway</title></html>".to_vec(),
            ));
        }
        Fault::Pass
    }));
    let carrier = adapter();
    let req = shipment_request("411038", None, Payment::Prepaid);
    let err = block_on(carrier.create_shipment(&t, "shp_retry", &req)).unwrap_err();
    let CarrierError::Upstream {
        status: 502,
        detail,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert!(
        detail.contains("exists without an AWB") && detail.contains("shp_retry"),
        "{detail}"
    );

    let created = block_on(carrier.create_shipment(&t, "shp_retry", &req)).unwrap();
    assert_eq!(sim.bookings(), 1);
    let creates = t
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, p)| p.ends_with("/orders/create/adhoc"))
        .count();
    assert_eq!(creates, 1, "the order is created once");
    assert!(
        detail.contains(&created.carrier_refs["order_id"]),
        "the error named the order: {detail}"
    );
}

#[test]
fn an_assign_whose_answer_was_lost_is_recovered_not_rebooked() {
    let sim = Arc::new(ShiprocketSimulator::new());
    let lost = Arc::new(Mutex::new(false));
    let flag = lost.clone();
    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(Box::new(move |_, req| {
        let mut done = flag.lock().unwrap();
        if req.path.ends_with("/courier/assign/awb") && !*done {
            *done = true;
            return Fault::LoseAnswer(CarrierError::Timeout { timeout_ms: 15_000 });
        }
        Fault::Pass
    }));
    let carrier = adapter();
    let req = shipment_request("411038", Some("51"), Payment::Prepaid);
    let err = block_on(carrier.create_shipment(&t, "shp_lost", &req)).unwrap_err();
    assert!(err.may_have_happened(), "{err:?}");
    assert_eq!(
        sim.bookings(),
        1,
        "the AWB was assigned although the answer was lost"
    );

    // The retry is refused "cannot reassign" and finds the AWB through tracking instead.
    let created = block_on(carrier.create_shipment(&t, "shp_lost", &req)).unwrap();
    assert_eq!(sim.bookings(), 1);
    assert_eq!(created.service, "51");
    assert!(created.awb.starts_with("051"), "{}", created.awb);
    assert_eq!(created.labels.len(), 1);
}

#[test]
fn a_new_process_finds_the_order_by_channel_order_id() {
    let sim = Arc::new(ShiprocketSimulator::new());
    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(Box::new(|_, req| {
        if req.path.ends_with("/courier/generate/label") {
            return Fault::Answer(HttpResponse::new(503, b"busy".to_vec()));
        }
        Fault::Pass
    }));
    let req = shipment_request("411038", None, Payment::Prepaid);
    // The AWB is booked; the label fails: the booking still succeeds, without a label.
    let first = block_on(adapter().create_shipment(&t, "shp_restart", &req)).unwrap();
    assert!(first.labels.is_empty());
    assert!(
        first.carrier_refs["label_error"].contains("503"),
        "{:?}",
        first.carrier_refs
    );
    t.clear_fault();

    // A second process (no memory) books the same shipment id again: Shiprocket returns
    // the existing order with its AWB, so nothing is assigned twice.
    let again = block_on(adapter().create_shipment(&t, "shp_restart", &req)).unwrap();
    assert_eq!(again.awb, first.awb);
    assert_eq!(sim.bookings(), 1);
    assert_eq!(again.labels.len(), 1);

    // And the label can be fetched for a booked shipment on its own.
    let shipment = ShipmentRef {
        carrier_refs: first.carrier_refs.clone(),
        ..Default::default()
    };
    let label = block_on(adapter().label(&t, &shipment)).unwrap();
    assert!(label.content.starts_with(b"%PDF"));
}

#[test]
fn simulator_speaks_shiprockets_401_and_404() {
    let sim = ShiprocketSimulator::with_token_lifetime(1);
    let req = |path: &str, token: Option<&str>| SimRequest {
        method: "GET".into(),
        path: path.into(),
        query: vec![
            ("pickup_postcode".into(), "560025".into()),
            ("delivery_postcode".into(), "411038".into()),
            ("weight".into(), "0.5".into()),
            ("cod".into(), "0".into()),
        ],
        headers: token
            .map(|t| vec![("authorization".into(), format!("Bearer {t}"))])
            .unwrap_or_default(),
        body: Vec::new(),
        base_url: SIM_ROOT.into(),
    };
    let no_token = sim.handle(&req("/v1/external/courier/serviceability/", None));
    assert_eq!(no_token.status, 401);
    let login = sim.handle(&SimRequest {
        method: "POST".into(),
        path: "/v1/external/auth/login".into(),
        body: format!(
            r#"{{"email":"{}","password":"{}"}}"#,
            shiprocket::SANDBOX_EMAIL,
            shiprocket::SANDBOX_PASSWORD
        )
        .into_bytes(),
        ..Default::default()
    });
    let token = serde_json::from_slice::<Value>(&login.body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        sim.handle(&req("/v1/external/courier/serviceability/", Some(&token)))
            .status,
        200
    );
    let expired = sim.handle(&req("/v1/external/courier/serviceability/", Some(&token)));
    assert_eq!(expired.status, 401, "a token good for one request");
    assert_eq!(
        serde_json::from_slice::<Value>(&expired.body).unwrap()["message"],
        "Token has expired"
    );
    let wrong = sim.handle(&req("/v1/external/no/such/endpoint", Some(&token)));
    assert_eq!(wrong.status, 404);
    assert_eq!(
        serde_json::from_slice::<Value>(&wrong.body).unwrap(),
        serde_json::json!({"message": "404 Not Found", "status_code": 404})
    );
}
