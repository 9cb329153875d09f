//! Replays Shiprocket's published payloads (`../shared/carrier-samples/shiprocket`) and the
//! project's own fixtures through the adapter's parsers, checks every status code is
//! mapped, and drives the adapter against the Shiprocket simulator end to end.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use carriers::families::{NdrAction, NdrActionKind, NdrActions};
use carriers::mapping::Mapping;
use carriers::schema::{
    Address, ChargeKind, LabelFormat, Lane, Money, Parcel, Payment, Phone, PostalCode, RateRequest,
    Serviceability, ShipmentKind, ShipmentRef, ShipmentRequest,
};
use carriers::shiprocket::wire::ShiprocketOrderRequest;
use carriers::shiprocket::{self, Shiprocket, ShiprocketSimulator};
use carriers::shiprocket::{AssignedAwb, CreatedOrder, LabelLink, OrderDraft};
use carriers::simulator::{SimRequest, Simulator};
use carriers::taxonomy::{Status, SubStatus};
use carriers::wire::HttpResponse;
use carriers::{AccountCheck, Carrier, CarrierError, Operation};
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
        selection: Default::default(),
        customs: None,
    }
}

fn shipment_request(to_pin: &str, service: Option<&str>, payment: Payment) -> ShipmentRequest {
    ShipmentRequest {
        items: Vec::new(),
        order_ref: "ORD-1001".into(),
        carrier: CARRIER.into(),
        service: service.map(str::to_string),
        from: address("Warehouse", "560025", "Bengaluru", "Karnataka"),
        to: address("Asha Rao", to_pin, "Pune", "Maharashtra"),
        parcels: vec![parcel(1234, Some((200, 150, 101)))],
        payment,
        label_format: LabelFormat::Pdf,
        kind: ShipmentKind::Forward,
        selection: Default::default(),
        customs: None,
        returning: None,
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
    let ours = shiprocket::create_order_request(OrderDraft {
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
    let req = shiprocket::rate_request(&rate_request("411038", Payment::Prepaid)).unwrap();
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
    let req = shiprocket::rate_request(&rate_request("411038", cod)).unwrap();
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
    let err = shiprocket::parse_login_response(&fixture(
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
        shiprocket::parse_login_response(&fixture("auth_login_response.json", 200)).unwrap(),
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
    let quotes = shiprocket::parse_rate_response(&resp).unwrap();
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
    let quotes = shiprocket::parse_rate_response(&fixture(
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

    let none = shiprocket::parse_rate_response(&fixture(
        "serviceability_response_http200_no_couriers.json",
        200,
    ))
    .unwrap();
    assert!(
        none.is_empty(),
        "PHP's data: [] means nothing serves the lane"
    );
}

/// A serviceability answer with one courier and the given charges (JSON values).
fn one_courier(rate: Value, freight: Value, cod: Value) -> HttpResponse {
    let body = serde_json::json!({
        "currency": "INR",
        "status": 200,
        "data": {"available_courier_companies": [{
            "courier_company_id": 51, "courier_name": "Xpressbees Surface", "cod": 1,
            "blocked": 0, "rate": rate, "freight_charge": freight, "cod_charges": cod,
        }]}
    });
    HttpResponse::new(200, serde_json::to_vec(&body).unwrap())
}

/// Charges at the cap (₹10 trillion) are read; sums and differences of them over the
/// cap are unreadable answers, not wrapped or out-of-cap figures.
#[test]
fn serviceability_charges_are_summed_within_the_cap() {
    let cap = "10000000000000.00";
    let half = "5000000000000.00";
    // No `rate`: the total is freight + COD, up to the cap.
    let quotes =
        shiprocket::parse_rate_response(&one_courier(Value::Null, half.into(), half.into()))
            .unwrap();
    assert_eq!(quotes[0].total.amount, Money::MAX_AMOUNT);
    let lines: i64 = quotes[0].breakdown.iter().map(|c| c.amount.amount).sum();
    assert_eq!(lines, Money::MAX_AMOUNT);
    // Over it: freight and COD each at the cap.
    let err = shiprocket::parse_rate_response(&one_courier(Value::Null, cap.into(), cap.into()))
        .unwrap_err();
    assert!(
        matches!(&err, CarrierError::BadResponse(m) if m.contains("add up to more than")),
        "{err:?}"
    );
    // A rate far below freight and COD would need an "other charges" line beyond the cap.
    let err = shiprocket::parse_rate_response(&one_courier("1.00".into(), cap.into(), cap.into()))
        .unwrap_err();
    assert!(matches!(err, CarrierError::BadResponse(_)), "{err:?}");
    // A rate below freight alone is a negative line within the cap, kept as it is.
    let quotes =
        shiprocket::parse_rate_response(&one_courier("90.00".into(), "100.00".into(), Value::Null))
            .unwrap();
    let parts: Vec<_> = quotes[0]
        .breakdown
        .iter()
        .map(|c| (c.kind, c.amount.amount))
        .collect();
    assert_eq!(
        parts,
        [(ChargeKind::Freight, 10_000), (ChargeKind::Other, -1_000)]
    );
}

/// A serviceability query with a weight or a side beyond any parcel is refused by the
/// simulator (its charges would overflow), like any other invalid field.
#[test]
fn the_simulator_refuses_weights_and_sides_beyond_any_parcel() {
    let sim = Arc::new(ShiprocketSimulator::default());
    let t = SimTransport::new(sim, SIM_ROOT);
    let a = adapter();
    let mut req = rate_request("411038", Payment::Prepaid);
    req.parcels = vec![parcel(4_000_000_000, None)];
    let (code, message, status) = rejected(block_on(a.rates(&t, &req)).unwrap_err());
    assert_eq!((code.as_str(), status), ("422", 422), "{message}");
    assert!(message.contains("weight"), "{message}");
    req.parcels = vec![parcel(500, Some((u32::MAX, u32::MAX, u32::MAX)))];
    let (_, message, status) = rejected(block_on(a.rates(&t, &req)).unwrap_err());
    assert_eq!(status, 422, "{message}");
    assert!(message.contains("length"), "{message}");
}

fn lane(delivery: &str, cod: bool, kind: ShipmentKind) -> Lane {
    Lane {
        pickup_pincode: "110020".into(),
        delivery_pincode: delivery.into(),
        cod,
        kind,
    }
}

#[test]
fn lane_serviceability_reads_the_courier_list() {
    let Some(resp) = sample("serviceability_response.json", 200) else {
        return;
    };
    for cod in [false, true] {
        assert_eq!(
            shiprocket::parse_serviceability_response(
                &resp,
                &lane("175019", cod, ShipmentKind::Forward)
            )
            .unwrap(),
            Serviceability::Serviceable
        );
    }
    let none = fixture("serviceability_response_http200_no_couriers.json", 200);
    let Serviceability::NotServiceable { reason } = shiprocket::parse_serviceability_response(
        &none,
        &lane("175019", true, ShipmentKind::Forward),
    )
    .unwrap() else {
        panic!("no courier, no service");
    };
    assert!(
        reason.contains("COD") && reason.contains("175019"),
        "{reason}"
    );
    let resp = sample("serviceability_response_422_missing_fields.json", 422).unwrap();
    assert!(matches!(
        shiprocket::parse_serviceability_response(
            &resp,
            &lane("175019", false, ShipmentKind::Forward)
        ),
        Err(CarrierError::Rejected { .. })
    ));
    // The lane check asks at the lightest slab, with the payment mode.
    let req = shiprocket::serviceability_request(&lane("175019", true, ShipmentKind::Forward));
    assert_eq!(req.path, "/v1/external/courier/serviceability/");
    let q: BTreeMap<_, _> = req.query.iter().cloned().collect();
    assert_eq!(q["weight"], "0.5");
    assert_eq!(q["cod"], "1");
    assert_eq!(q["delivery_postcode"], "175019");
}

#[test]
fn lane_serviceability_on_the_simulator() {
    let sim = Arc::new(ShiprocketSimulator::default());
    let t = SimTransport::new(sim, "http://127.0.0.1:8080/sandbox/shiprocket");
    let a = adapter();
    assert!(a.capabilities().serviceability);
    let served = block_on(a.serviceability(&t, &lane("560001", true, ShipmentKind::Forward)));
    assert_eq!(served.unwrap(), Serviceability::Serviceable);
    let unserved = block_on(a.serviceability(&t, &lane("999999", false, ShipmentKind::Forward)));
    assert!(!unserved.unwrap().is_serviceable());
    assert!(matches!(
        block_on(a.serviceability(&t, &lane("560001", false, ShipmentKind::Reverse))),
        Err(CarrierError::Unsupported(_))
    ));
}

#[test]
fn serviceability_errors_are_rejections() {
    let Some(resp) = sample("serviceability_response_422_missing_fields.json", 422) else {
        return;
    };
    let (code, message, status) = rejected(shiprocket::parse_rate_response(&resp).unwrap_err());
    assert_eq!((code.as_str(), status), ("422", 422));
    assert!(message.starts_with("Required field missing"), "{message}");
    assert!(
        message.contains("weight: The weight field is required when order id is not present."),
        "{message}"
    );

    let resp = sample("serviceability_response_http200_order_not_found.json", 200).unwrap();
    let (code, message, status) = rejected(shiprocket::parse_rate_response(&resp).unwrap_err());
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
        shiprocket::parse_create_order_response(&resp).unwrap(),
        CreatedOrder {
            order_id: "16161616".into(),
            shipment_id: "15151515".into(),
            status_code: Some("1".into()),
            awb: None,
        }
    );
    let ret = shiprocket::parse_create_order_response(
        &sample("create_return_order_response.json", 200).unwrap(),
    )
    .unwrap();
    assert_eq!(
        (
            ret.order_id.as_str(),
            ret.shipment_id.as_str(),
            ret.status_code.as_deref()
        ),
        ("170872392", "170411259", Some("21"))
    );

    let existing = shiprocket::parse_create_order_response(&fixture(
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
        shiprocket::parse_create_order_response(
            &sample("create_adhoc_order_response_400_invalid_channel.json", 400).unwrap(),
        )
        .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str(), status),
        ("400", "Given channel id does not exist", 400)
    );

    let (code, message, status) = rejected(
        shiprocket::parse_create_order_response(
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
        shiprocket::parse_create_order_response(
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
        shiprocket::parse_assign_awb_response(&resp).unwrap(),
        AssignedAwb {
            awb: "321055706540".into(),
            courier_company_id: Some("142".into()),
            courier_name: Some("Amazon Surface".into()),
            routing_code: None,
        }
    );
    let (code, message, status) = rejected(
        shiprocket::parse_assign_awb_response(
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
        shiprocket::parse_assign_awb_response(
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
        shiprocket::parse_assign_awb_response(&fixture(
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
        shiprocket::parse_label_response(&resp).unwrap(),
        LabelLink("https://kr-shipmultichannel.s3.ap-southeast-1.amazonaws.com/25149/labels/shipping-label-16104408-788830567028.pdf".into())
    );
    let (code, message, status) = rejected(
        shiprocket::parse_label_response(
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
        shiprocket::parse_label_response(
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
        shiprocket::parse_label_download(&HttpResponse::new(
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
    let outcome = shiprocket::parse_cancel_response(&HttpResponse::new(204, body)).unwrap();
    assert_eq!(
        outcome.carrier_message,
        "Bulk Shipment cancellation is in progress. Please wait for some time."
    );
    // A real 204 carries no body at all.
    let outcome = shiprocket::parse_cancel_response(&HttpResponse::new(204, Vec::new())).unwrap();
    assert_eq!(outcome.carrier_message, "cancellation accepted (HTTP 204)");
    let outcome =
        shiprocket::parse_cancel_response(&fixture("cancel_order_response.json", 200)).unwrap();
    assert_eq!(outcome.carrier_message, "Order(s) cancelled successfully.");
}

// ---------------------------------------------------------------------------------------
// replay: tracking
//
// Scans Shiprocket leaves unclassified (`sr-status` "NA") are read by the courier's own
// code where shipgate knows the courier's table.

#[test]
fn unclassified_scans_are_read_by_the_couriers_own_codes() {
    let resp = fixture("track_awb_response_xpressbees_courier_codes.json", 200);
    let update = shiprocket::parse_track_response(&mapping(), "14344924000107", &resp).unwrap();
    let subs: Vec<_> = update.events.iter().map(|e| e.sub_status).collect();
    assert_eq!(
        subs,
        [
            SubStatus::Manifested,
            SubStatus::OutForPickup,
            SubStatus::PickedUp,
            SubStatus::ArrivedAtFacility,
            SubStatus::InTransit,
            SubStatus::ReachedDestinationHub,
            SubStatus::OutForDelivery,
            SubStatus::Delivered,
        ]
    );

    // A push names the courier by name. Delhivery's codes are read with Delhivery's own
    // mapping; on the return leg a forward code keeps the parcel returning.
    let push = |courier: &str, scans: serde_json::Value| {
        let body = serde_json::json!({
            "awb": "1091100220099", "courier_name": courier,
            "current_status": "IN TRANSIT", "shipment_status_id": 18,
            "current_timestamp": "10 05 2024 12:00:00", "scans": scans,
        });
        shiprocket::parse_webhook(&mapping(), body.to_string().as_bytes()).unwrap()
    };
    let forward = push(
        "Delhivery Surface",
        serde_json::json!([
            {"date": "2024-05-09 10:00:00", "status": "X-UCI", "activity": "Manifested", "sr-status": "5"},
            {"date": "2024-05-09 11:00:00", "status": "FMPUR-101", "activity": "Pickup scheduled", "sr-status": "NA"},
            {"date": "2024-05-09 12:00:00", "status": "X-PPOM", "activity": "Picked up", "sr-status": "42"},
        ]),
    );
    assert_eq!(forward.events[1].sub_status, SubStatus::PickupScheduled);
    let returning = push(
        "Delhivery Surface",
        serde_json::json!([
            {"date": "2024-05-09 10:00:00", "status": "RT-101", "activity": "RTO initiated", "sr-status": "9"},
            {"date": "2024-05-09 11:00:00", "status": "X-DBL1F", "activity": "Added to Bag", "sr-status": "NA"},
            {"date": "2024-05-09 12:00:00", "status": "RT-IT", "activity": "RTO in transit", "sr-status": "46"},
        ]),
    );
    assert_eq!(returning.events[1].status, Status::Rto, "{returning:?}");
    // A courier without a table: the scan keeps the status it found.
    let other = push(
        "Ekart Logistics",
        serde_json::json!([
            {"date": "2024-05-09 10:00:00", "status": "X-UCI", "activity": "Manifested", "sr-status": "5"},
            {"date": "2024-05-09 11:00:00", "status": "PKD", "activity": "Picked", "sr-status": "NA"},
            {"date": "2024-05-09 12:00:00", "status": "X-PPOM", "activity": "Picked up", "sr-status": "42"},
        ]),
    );
    assert_eq!(other.events[1].sub_status, SubStatus::Manifested);
}

#[test]
fn tracking_by_awb_or_shipment_turns_ist_scans_into_utc_events() {
    let Some(resp) = sample("track_shipment_id_response_picked_up.json", 200) else {
        return;
    };
    let m = mapping();
    let update = shiprocket::parse_track_response(&m, "1091188857722", &resp).unwrap();
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
            // sr-status "NA": read by the courier's own code (Delhivery, courier id 10).
            ("FMPUR-101", Status::PreTransit, SubStatus::PickupScheduled),
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
    let by_order = shiprocket::parse_track_response(
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
    let first = shiprocket::parse_track_response(&m, "788829354408", &resp).unwrap();
    assert_eq!(first.events.len(), 1);
    let e = &first.events[0];
    // No sr-status on the scan: the payload's shipment_status 1 (AWB Assigned) is its state.
    assert_eq!(
        (e.status, e.sub_status, e.carrier_code.as_str()),
        (Status::PreTransit, SubStatus::LabelCreated, "NA")
    );
    assert_eq!(e.event_time, utc("2019-07-31T20:35:05Z"));
    assert_eq!(e.location, None, "\"NA\" is no location");
    let second = shiprocket::parse_track_response(&m, "788830567028", &resp).unwrap();
    assert_eq!(second.events[0].sub_status, SubStatus::PickupScheduled);

    let none = shiprocket::parse_track_response(
        &m,
        "19041211125783",
        &sample("track_awb_response_no_activities.json", 200).unwrap(),
    )
    .unwrap();
    assert_eq!(none.awb, "19041211125783");
    assert!(none.events.is_empty(), "booked, not scanned yet");

    let (code, _, status) = rejected(
        shiprocket::parse_track_response(
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
    let update = shiprocket::parse_track_response(
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

    let rto = shiprocket::parse_track_response(
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
    let update = shiprocket::parse_track_response(
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
        |r: &HttpResponse| shiprocket::parse_rate_response(r).map(drop),
        |r: &HttpResponse| shiprocket::parse_create_order_response(r).map(drop),
        |r: &HttpResponse| shiprocket::parse_assign_awb_response(r).map(drop),
        |r: &HttpResponse| shiprocket::parse_label_response(r).map(drop),
        |r: &HttpResponse| shiprocket::parse_cancel_response(r).map(drop),
        |r: &HttpResponse| shiprocket::parse_track_response(&mapping(), "1", r).map(drop),
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
    let required: Vec<_> = spec.required_settings().collect();
    assert_eq!(required, ["email", "password", "pickup_location"]);
    let secrets: Vec<_> = spec.settings.iter().filter(|s| s.secret).collect();
    assert_eq!(
        secrets.iter().map(|s| s.key).collect::<Vec<_>>(),
        ["email", "password"]
    );
    assert!(!spec.setting("pickup_location").unwrap().secret);
    assert!(spec.settings.iter().all(|s| !s.about.is_empty()));
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
    // The Debug form shows no credential.
    let shown = format!("{:?}", adapter());
    assert!(
        shown.contains(shiprocket::SANDBOX_PICKUP_LOCATION),
        "{shown}"
    );
    for secret in [shiprocket::SANDBOX_EMAIL, shiprocket::SANDBOX_PASSWORD] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[test]
fn check_account_logs_in_afresh_with_the_accounts_own_credentials() {
    let sim = Arc::new(ShiprocketSimulator::new());
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let tenant = serde_json::json!({"account": "tenant", "email": "t@shop.test", "password": "pw"});
    common::add_account(sim.as_ref(), tenant);
    let login = |email: &str, password: &str| {
        let mut settings = sandbox_settings();
        settings.insert("email".into(), email.into());
        settings.insert("password".into(), password.into());
        Shiprocket::new(&settings).unwrap()
    };
    let carrier = login("t@shop.test", "pw");
    // A cached token proves nothing about the credentials: the check logs in again, and
    // the calls after use its token.
    block_on(carrier.rates(&t, &rate_request("560001", Payment::Prepaid))).unwrap();
    assert_eq!(
        block_on(carrier.check_account(&t)),
        Ok(AccountCheck::Verified)
    );
    block_on(carrier.rates(&t, &rate_request("560001", Payment::Prepaid))).unwrap();
    use Operation::{CheckAccount, Login, Rates};
    assert_eq!(t.ops(), [Login, Rates, CheckAccount, Rates]);
    assert_eq!(t.log.lock().unwrap()[2].1, shiprocket::PATH_LOGIN);
    let counts = [("default".to_string(), 0), ("tenant".to_string(), 4)];
    assert_eq!(common::account_requests(sim.as_ref()), counts);

    for (email, password) in [("t@shop.test", "wrong"), ("nobody@shop.test", "pw")] {
        let refused = block_on(login(email, password).check_account(&t)).unwrap_err();
        let (code, message, status) = rejected(refused);
        assert_eq!(
            (code.as_str(), status),
            ("400", 400),
            "Shiprocket's own status"
        );
        let words = "Shiprocket login failed: Invalid email and password combination";
        assert_eq!(message, words);
    }
    assert_eq!(common::account_requests(sim.as_ref()), counts);
    assert_eq!(
        block_on(adapter().check_account(&t)),
        Ok(AccountCheck::Verified)
    );
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
fn simulator_detours_are_chosen_by_the_destination_pincode() {
    common::assert_detours("4110", |order, pin| {
        let t = SimTransport::new(Arc::new(ShiprocketSimulator::new()), SIM_ROOT);
        let carrier = adapter();
        let request = shipment_request(pin, None, Payment::Prepaid);
        let created = block_on(carrier.create_shipment(&t, order, &request)).unwrap();
        let shipment = ShipmentRef {
            shipment_id: order.into(),
            awb: Some(created.awb.clone()),
            carrier_refs: created.carrier_refs,
            ..Default::default()
        };
        // Past the longest journey, and the "no activities" answer right after booking.
        let track = || block_on(carrier.track(&t, &shipment)).unwrap();
        let last = (0..25).fold(None, |_, _| Some(track())).unwrap();
        last.events.iter().map(|e| e.sub_status).collect()
    });
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

    // A service that is no Shiprocket courier id never leaves shipgate, and is refused
    // for good (no retry makes it one).
    let err = block_on(carrier.create_shipment(
        &t,
        "shp_c",
        &shipment_request("411038", Some("express"), Payment::Prepaid),
    ))
    .unwrap_err();
    assert!(matches!(err, CarrierError::Unsupported(_)), "{err:?}");
}

/// What Shiprocket can never accept is refused before anything is sent, as
/// `Unsupported` (422 `carrier_unsupported` at the API), not a retryable `NotSent`.
#[test]
fn requests_shiprocket_can_never_accept_are_unsupported() {
    let sim = Arc::new(ShiprocketSimulator::new());
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let carrier = adapter();
    fn unsupported<T: std::fmt::Debug>(r: Result<T, CarrierError>) -> &'static str {
        match r {
            Err(CarrierError::Unsupported(what)) => what,
            other => panic!("not Unsupported: {other:?}"),
        }
    }

    let mut abroad = shipment_request("411038", None, Payment::Prepaid);
    abroad.to.country = "US".into();
    assert_eq!(
        unsupported(block_on(carrier.create_shipment(&t, "shp_us", &abroad))),
        "international shipping"
    );
    let mut abroad = rate_request("411038", Payment::Prepaid);
    abroad.from.country = "AE".into();
    assert_eq!(
        unsupported(block_on(carrier.rates(&t, &abroad))),
        "international shipping"
    );
    let express = shipment_request("411038", Some("express"), Payment::Prepaid);
    unsupported(block_on(carrier.create_shipment(&t, "shp_x", &express)));
    let mut empty = shipment_request("411038", None, Payment::Prepaid);
    empty.parcels.clear();
    assert_eq!(
        unsupported(block_on(carrier.create_shipment(&t, "shp_empty", &empty))),
        "a shipment without a parcel"
    );
    // An AWB that cannot go into a URL path can never be tracked or cancelled.
    let odd = ShipmentRef {
        shipment_id: "shp_odd".into(),
        awb: Some("1904/../121".into()),
        ..Default::default()
    };
    unsupported(block_on(carrier.track(&t, &odd)));
    unsupported(block_on(carrier.cancel(&t, &odd)));

    // Only the login may have been sent; nothing else reached Shiprocket.
    let sent = t.log.lock().unwrap().clone();
    assert!(
        sent.iter().all(|(_, path)| path.contains("auth/login")),
        "{sent:?}"
    );
    assert_eq!(sim.bookings(), 0);
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

// ---------------------------------------------------------------------------------------
// lookup: finding (and finishing) a booking whose answers were lost

fn by_id(shipment_id: &str) -> ShipmentRef {
    ShipmentRef {
        shipment_id: shipment_id.into(),
        order_ref: "ORD-1001".into(),
        ..Default::default()
    }
}

fn pdf() -> HttpResponse {
    HttpResponse::new(200, b"%PDF-1.4\n% label\n".to_vec())
}

#[test]
fn orders_search_matches_the_channel_order_id_exactly() {
    let search = fixture("orders_search_response_partial_matches.json", 200);
    // The search for sg_fixture_7 lists sg_fixture_70 and sg_fixture_71 too.
    let booked = shiprocket::parse_lookup_response(&search, "sg_fixture_7")
        .unwrap()
        .unwrap();
    assert_eq!(
        booked,
        CreatedOrder {
            order_id: "168807908".into(),
            shipment_id: "168347943".into(),
            status_code: Some("3".into()),
            awb: Some(AssignedAwb {
                awb: "1091188857722".into(),
                courier_company_id: None,
                courier_name: Some("Delhivery Surface".into()),
                routing_code: None,
            }),
        }
    );
    let fresh = shiprocket::parse_lookup_response(&search, "sg_fixture_70")
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            fresh.shipment_id.as_str(),
            fresh.awb,
            fresh.status_code.as_deref()
        ),
        ("168347955", None, Some("1"))
    );
    let cancelled = shiprocket::parse_lookup_response(&search, "sg_fixture_71")
        .unwrap()
        .unwrap();
    assert_eq!(cancelled.status_code.as_deref(), Some("5"));
    assert_eq!(
        shiprocket::parse_lookup_response(&search, "sg_fixture").unwrap(),
        None,
        "a search hit is not a match"
    );
    let empty = fixture("orders_search_response_empty.json", 200);
    assert_eq!(
        shiprocket::parse_lookup_response(&empty, "sg_fixture_7").unwrap(),
        None
    );

    // Nothing but an explicit list may read as "no such order".
    let e = shiprocket::parse_lookup_response(&HttpResponse::new(200, b"{}".to_vec()), "x")
        .unwrap_err();
    assert!(matches!(e, CarrierError::BadResponse(_)), "{e:?}");
    let inside_200 = HttpResponse::new(
        200,
        br#"{"status": 500, "message": "Something went wrong"}"#.to_vec(),
    );
    let (code, message, _) =
        rejected(shiprocket::parse_lookup_response(&inside_200, "x").unwrap_err());
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("500", "Something went wrong")
    );
    let no_shipment = HttpResponse::new(
        200,
        br#"{"data": [{"id": 1, "channel_order_id": "x"}]}"#.to_vec(),
    );
    let e = shiprocket::parse_lookup_response(&no_shipment, "x").unwrap_err();
    assert!(matches!(e, CarrierError::BadResponse(_)), "{e:?}");
    if let Some(nginx) = sample("error_response_502_nginx.html", 502) {
        let e = shiprocket::parse_lookup_response(&nginx, "x").unwrap_err();
        assert!(
            matches!(e, CarrierError::Upstream { status: 502, .. }),
            "{e:?}"
        );
    }

    let request = shiprocket::lookup_request(" sg_fixture_7 ").unwrap();
    assert_eq!(request.path, shiprocket::PATH_ORDERS);
    assert_eq!(
        request.query,
        vec![("search".to_string(), "sg_fixture_7".to_string())]
    );
    assert!(matches!(
        shiprocket::lookup_request(" "),
        Err(CarrierError::NotSent(_))
    ));
}

#[test]
fn lookup_replays_a_booked_order_through_real_answers() {
    let (Some(track), Some(label)) = (
        sample("track_shipment_id_response_picked_up.json", 200),
        sample("generate_label_response.json", 200),
    ) else {
        return;
    };
    let t = Scripted::new([
        fixture("auth_login_response.json", 200),
        fixture("orders_search_response_partial_matches.json", 200),
        track,
        label,
        pdf(),
    ]);
    let found = block_on(adapter().lookup(&t, &by_id("sg_fixture_7")))
        .unwrap()
        .expect("the order with an AWB is the booking");
    assert_eq!(found.awb, "1091188857722");
    // The list names the courier; tracking by shipment id gives its id, the service code.
    assert_eq!(found.service, "10");
    assert_eq!(
        found.carrier_refs,
        BTreeMap::from(
            [
                ("order_id", "168807908"),
                ("shipment_id", "168347943"),
                ("channel_order_id", "sg_fixture_7"),
                ("courier_company_id", "10"),
                ("courier_name", "Delhivery Surface"),
                (
                    "label_url",
                    "https://kr-shipmultichannel.s3.ap-southeast-1.amazonaws.com/25149/labels/shipping-label-16104408-788830567028.pdf"
                ),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        )
    );
    assert_eq!(found.labels.len(), 1);
    let sent = t.sent();
    let calls: Vec<(Operation, &str)> = sent.iter().map(|(op, r)| (*op, r.path.as_str())).collect();
    assert_eq!(
        calls[..4],
        [
            (Operation::Login, shiprocket::PATH_LOGIN),
            (Operation::Lookup, shiprocket::PATH_ORDERS),
            (
                Operation::Lookup,
                "/v1/external/courier/track/shipment/168347943"
            ),
            (Operation::Label, shiprocket::PATH_GENERATE_LABEL),
        ]
    );
    assert!(
        sent[1]
            .1
            .header_value("authorization")
            .is_some_and(|h| h.starts_with("Bearer ")),
        "the search is authenticated"
    );
    assert!(
        sent.iter().all(|(op, _)| *op != Operation::CreateShipment),
        "nothing is booked for an order that has its AWB"
    );
}

#[test]
fn lookup_finishes_an_order_left_without_an_awb() {
    let (Some(assign), Some(label)) = (
        sample("assign_awb_response.json", 200),
        sample("generate_label_response.json", 200),
    ) else {
        return;
    };
    let t = Scripted::new([
        fixture("auth_login_response.json", 200),
        fixture("orders_search_response_no_awb.json", 200),
        assign,
        label,
        pdf(),
    ]);
    // The gateway passes the courier it booked with; the AWB is assigned on that order.
    let shipment = ShipmentRef {
        carrier_refs: BTreeMap::from([("courier_company_id".to_string(), "142".to_string())]),
        ..by_id("sg_fixture_8")
    };
    let found = block_on(adapter().lookup(&t, &shipment)).unwrap().unwrap();
    assert_eq!(found.awb, "321055706540");
    assert_eq!(found.service, "142");
    assert_eq!(found.carrier_refs["courier_name"], "Amazon Surface");
    assert_eq!(found.carrier_refs["order_id"], "281248157");
    assert_eq!(found.labels.len(), 1);
    let sent = t.sent();
    let ops: Vec<Operation> = sent.iter().map(|(op, _)| *op).collect();
    assert_eq!(
        ops,
        [
            Operation::Login,
            Operation::Lookup,
            Operation::CreateShipment,
            Operation::Label,
            Operation::Label
        ]
    );
    let (_, assign_request) = &sent[2];
    assert_eq!(assign_request.path, shiprocket::PATH_ASSIGN_AWB);
    let body: Value = serde_json::from_slice(assign_request.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"shipment_id": "16090281", "courier_id": "142"}),
        "step 2 for the existing order, never a new order"
    );
}

#[test]
fn lookup_without_an_order_or_with_a_cancelled_one_is_none() {
    let t = Scripted::new([
        fixture("auth_login_response.json", 200),
        fixture("orders_search_response_empty.json", 200),
    ]);
    assert_eq!(
        block_on(adapter().lookup(&t, &by_id("sg_nobody"))).unwrap(),
        None
    );
    // Cancelled before an AWB: it will never carry one, and nothing more is sent.
    let t = Scripted::new([
        fixture("auth_login_response.json", 200),
        fixture("orders_search_response_partial_matches.json", 200),
    ]);
    assert_eq!(
        block_on(adapter().lookup(&t, &by_id("sg_fixture_71"))).unwrap(),
        None
    );
    assert_eq!(t.sent().len(), 2);
    // A search that fails is no answer: the outcome stays unknown.
    let t = Scripted::new([
        fixture("auth_login_response.json", 200),
        HttpResponse::new(502, b"<html>502 Bad Gateway</html>".to_vec()),
    ]);
    let e = block_on(adapter().lookup(&t, &by_id("sg_nobody"))).unwrap_err();
    assert!(e.may_have_happened(), "{e:?}");
}

/// The simulator's orders for a channel order id, listed over its own API.
fn sim_orders(sim: &ShiprocketSimulator, channel_order_id: &str) -> Vec<Value> {
    let login = sim.handle(&SimRequest {
        method: "POST".into(),
        path: shiprocket::PATH_LOGIN.into(),
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
    let listed = sim.handle(&SimRequest {
        method: "GET".into(),
        path: shiprocket::PATH_ORDERS.into(),
        query: vec![("search".into(), channel_order_id.into())],
        headers: vec![("authorization".into(), format!("Bearer {token}"))],
        base_url: SIM_ROOT.into(),
        ..Default::default()
    });
    assert_eq!(listed.status, 200);
    let body: Value = serde_json::from_slice(&listed.body).unwrap();
    body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["channel_order_id"] == channel_order_id)
        .cloned()
        .collect()
}

#[test]
fn simulator_lookup_finds_what_create_booked() {
    let sim = Arc::new(ShiprocketSimulator::new());
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let created = block_on(adapter().create_shipment(
        &t,
        "shp_lookup",
        &shipment_request("411038", Some("1"), Payment::Prepaid),
    ))
    .unwrap();
    // Another process (no memory of the booking) finds it by shipgate's id.
    let found = block_on(adapter().lookup(&t, &by_id("shp_lookup")))
        .unwrap()
        .unwrap();
    assert_eq!(found.awb, created.awb);
    assert_eq!(found.service, created.service);
    for key in [
        "order_id",
        "shipment_id",
        "channel_order_id",
        "courier_company_id",
        "label_url",
    ] {
        assert_eq!(found.carrier_refs[key], created.carrier_refs[key], "{key}");
    }
    assert_eq!(found.labels.len(), 1);
    assert!(found.labels[0].content.starts_with(b"%PDF"));
    assert_eq!(sim.bookings(), 1);
    // The simulator's list is in the docs' shape.
    let listed = sim_orders(&sim, "shp_lookup");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["shipments"][0]["awb"], created.awb.as_str());
    assert_eq!(listed[0]["shipments"][0]["courier"], "Blue Dart");
    assert_eq!(
        (
            listed[0]["status"].as_str(),
            listed[0]["status_code"].as_u64()
        ),
        (Some("READY TO SHIP"), Some(3))
    );

    // An id the simulator never saw, and one that only a longer id contains.
    assert_eq!(
        block_on(adapter().lookup(&t, &by_id("shp_nobody"))).unwrap(),
        None
    );
    assert_eq!(
        block_on(adapter().lookup(&t, &by_id("shp_look"))).unwrap(),
        None
    );

    // Cancelled at Shiprocket: still the booking, without a label.
    let shipment = ShipmentRef {
        awb: Some(created.awb.clone()),
        carrier_refs: created.carrier_refs.clone(),
        ..by_id("shp_lookup")
    };
    block_on(adapter().cancel(&t, &shipment)).unwrap();
    let found = block_on(adapter().lookup(&t, &by_id("shp_lookup")))
        .unwrap()
        .unwrap();
    assert_eq!(found.awb, created.awb);
    assert!(found.labels.is_empty());
    assert_eq!(sim.bookings(), 1);
}

#[test]
fn simulator_awb_booked_after_the_timeout_is_found_by_lookup() {
    let sim = Arc::new(ShiprocketSimulator::new());
    // Shiprocket assigns the AWB; its answer comes after the gateway gave up.
    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(Box::new(|_, req| {
        if req.path.ends_with("/courier/assign/awb") {
            return Fault::LoseAnswer(CarrierError::Timeout { timeout_ms: 15_000 });
        }
        Fault::Pass
    }));
    let carrier = adapter();
    let req = shipment_request("411038", Some("51"), Payment::Prepaid);
    let e = block_on(carrier.create_shipment(&t, "shp_late", &req)).unwrap_err();
    assert!(e.may_have_happened(), "{e:?}");
    assert_eq!(sim.bookings(), 1);

    for lookup_by in [&carrier, &adapter()] {
        let found = block_on(lookup_by.lookup(&t, &by_id("shp_late")))
            .unwrap()
            .expect("the AWB booked after the timeout is found");
        assert!(found.awb.starts_with("051"), "{}", found.awb);
        assert_eq!(found.service, "51");
        assert_eq!(found.labels.len(), 1);
    }
    assert_eq!(sim.bookings(), 1, "found, never booked again");
    assert_eq!(sim_orders(&sim, "shp_late").len(), 1);
}

#[test]
fn simulator_order_whose_answer_was_lost_is_finished_by_lookup_once() {
    let sim = Arc::new(ShiprocketSimulator::new());
    // Step 1 reaches Shiprocket, its answer does not come back: no memory of the order.
    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(Box::new(|_, req| {
        if req.path.ends_with("/orders/create/adhoc") {
            return Fault::LoseAnswer(CarrierError::Timeout { timeout_ms: 15_000 });
        }
        Fault::Pass
    }));
    let req = shipment_request("411038", Some("51"), Payment::Prepaid);
    let e = block_on(adapter().create_shipment(&t, "shp_half", &req)).unwrap_err();
    assert!(e.may_have_happened(), "{e:?}");
    assert_eq!(sim.bookings(), 0, "an order, no AWB yet");
    assert_eq!(sim_orders(&sim, "shp_half").len(), 1);

    // The lookup finishes that order with the courier the gateway booked with.
    let shipment = ShipmentRef {
        carrier_refs: BTreeMap::from([("courier_company_id".to_string(), "51".to_string())]),
        ..by_id("shp_half")
    };
    let found = block_on(adapter().lookup(&t, &shipment)).unwrap().unwrap();
    assert!(found.awb.starts_with("051"), "{}", found.awb);
    assert_eq!(found.service, "51");
    assert_eq!(found.labels.len(), 1);
    assert_eq!(sim.bookings(), 1);

    // Looking up again, or a blind create from another process, finds the same AWB.
    let again = block_on(adapter().lookup(&t, &by_id("shp_half")))
        .unwrap()
        .unwrap();
    assert_eq!(again.awb, found.awb);
    t.clear_fault();
    let retried = block_on(adapter().create_shipment(&t, "shp_half", &req)).unwrap();
    assert_eq!(retried.awb, found.awb);
    assert_eq!(sim.bookings(), 1);
    assert_eq!(sim_orders(&sim, "shp_half").len(), 1, "one order, ever");

    // Without the courier, the lookup does not guess: no booking yet, and booking again
    // (as the gateway's reconciler does next) continues the order it found.
    let lost_order = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(Box::new(|_, req| {
        if req.path.ends_with("/orders/create/adhoc") {
            return Fault::LoseAnswer(CarrierError::Timeout { timeout_ms: 15_000 });
        }
        Fault::Pass
    }));
    assert!(block_on(adapter().create_shipment(&lost_order, "shp_half_2", &req)).is_err());
    let reconciler = adapter();
    assert_eq!(
        block_on(reconciler.lookup(&t, &by_id("shp_half_2"))).unwrap(),
        None
    );
    assert_eq!(sim.bookings(), 1, "nothing assigned blind");
    let creates_before = creates(&t);
    let rebooked = block_on(reconciler.create_shipment(&t, "shp_half_2", &req)).unwrap();
    assert_eq!(
        creates(&t),
        creates_before,
        "no order created: the found one continues"
    );
    assert_eq!(
        rebooked.service, "51",
        "the request's courier, not the account's rules"
    );
    assert_eq!(sim.bookings(), 2);
    assert_eq!(sim_orders(&sim, "shp_half_2").len(), 1);
}

fn creates(t: &SimTransport<Arc<ShiprocketSimulator>>) -> usize {
    t.log
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, p)| p.ends_with("/orders/create/adhoc"))
        .count()
}

#[test]
fn simulator_lookup_of_an_order_that_cannot_get_an_awb() {
    let sim = Arc::new(ShiprocketSimulator::new());
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let carrier = adapter();
    // Step 2 is refused (no courier serves the PIN code): an order without AWB remains.
    let req = shipment_request("999999", None, Payment::Prepaid);
    assert!(block_on(carrier.create_shipment(&t, "shp_stuck", &req)).is_err());
    // Finishing it (the courier is known here) is refused the same way: no booking, not
    // an error the gateway would retry for ever.
    assert_eq!(
        block_on(carrier.lookup(&t, &by_id("shp_stuck"))).unwrap(),
        None
    );
    // Elsewhere the courier is unknown: no booking either, and nothing is assigned.
    assert_eq!(
        block_on(adapter().lookup(&t, &by_id("shp_stuck"))).unwrap(),
        None
    );
    assert_eq!(sim.bookings(), 0);
    // Booking again continues the same order and reports Shiprocket's refusal.
    let (code, message, _) =
        rejected(block_on(carrier.create_shipment(&t, "shp_stuck", &req)).unwrap_err());
    assert_eq!(code, "awb_assign_failed");
    assert!(message.contains("channel order id shp_stuck"), "{message}");
    assert_eq!(creates(&t), 1);
    assert_eq!(sim_orders(&sim, "shp_stuck").len(), 1);
    // Once that order is cancelled there is no booking to find.
    block_on(carrier.cancel(&t, &by_id("shp_stuck"))).unwrap();
    assert_eq!(
        block_on(adapter().lookup(&t, &by_id("shp_stuck"))).unwrap(),
        None
    );
    assert_eq!(sim.bookings(), 0);
}

#[test]
fn lookup_leaves_an_order_of_unknown_courier_to_booking_again() {
    let (Some(assign), Some(label)) = (
        sample("assign_awb_response.json", 200),
        sample("generate_label_response.json", 200),
    ) else {
        return;
    };
    let t = Scripted::new([
        fixture("auth_login_response.json", 200),
        fixture("orders_search_response_no_awb.json", 200),
        assign,
        label,
        pdf(),
    ]);
    let carrier = adapter();
    // Step 1's answer was lost, so nothing here knows which courier the OMS chose.
    assert_eq!(
        block_on(carrier.lookup(&t, &by_id("sg_fixture_8"))).unwrap(),
        None
    );
    assert_eq!(t.sent().len(), 2, "login and search only; nothing assigned");
    // The gateway books again with the request: the found order continues at step 2.
    let created = block_on(carrier.create_shipment(
        &t,
        "sg_fixture_8",
        &shipment_request("411038", Some("142"), Payment::Prepaid),
    ))
    .unwrap();
    assert_eq!(created.awb, "321055706540");
    assert_eq!(created.carrier_refs["order_id"], "281248157");
    let sent = t.sent();
    assert!(
        sent.iter()
            .all(|(_, r)| r.path != shiprocket::PATH_CREATE_ORDER),
        "no second order"
    );
    let body: Value = serde_json::from_slice(sent[2].1.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"shipment_id": "16090281", "courier_id": "142"})
    );
}

// ---------------------------------------------------------------------------------------
// NDR actions

fn ndr(carrier: &Shiprocket) -> &dyn NdrActions {
    carrier.ndr_actions().expect("Shiprocket takes NDR actions")
}

fn ndr_body(action: &NdrAction) -> Value {
    let request = shiprocket::ndr_action_request(" 19041211125783 ", action).unwrap();
    assert_eq!(request.path, "/v1/external/ndr/19041211125783/action");
    serde_json::from_slice(request.body.as_deref().unwrap()).unwrap()
}

#[test]
fn ndr_requests_use_shiprockets_fields() {
    let returned = ndr_body(&NdrAction::ReturnToOrigin);
    assert_eq!(returned["action"], "return");
    // The docs' sample has the same keys: an action and a comment.
    if let Some(sample) = common::sample(CARRIER, "ndr_action_request.json") {
        assert_eq!(
            json_keys(&serde_json::to_vec(&returned).unwrap()),
            json_keys(&sample)
        );
    }
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    for action in [
        NdrAction::Reschedule { date },
        NdrAction::Reattempt { date: Some(date) },
    ] {
        let body = ndr_body(&action);
        assert_eq!(
            (body["action"].as_str(), body["deferred_date"].as_str()),
            (Some("re-attempt"), Some("2026-12-08"))
        );
    }
    let plain = ndr_body(&NdrAction::Reattempt { date: None });
    assert_eq!(plain["action"], "re-attempt");
    assert!(
        !plain["comments"].as_str().unwrap().is_empty(),
        "comments are required"
    );
    assert!(plain.get("deferred_date").is_none(), "{plain}");
    let phone = Phone::parse("+91 98765 43210", "IN").unwrap();
    assert_eq!(
        ndr_body(&NdrAction::ChangePhone { phone })["phone"],
        "9876543210"
    );
    let mut to = address("Asha Rao", "411001", "Pune", "Maharashtra");
    to.line2 = Some(" Flat 4 ".into());
    to.landmark = None;
    let moved = ndr_body(&NdrAction::ChangeAddress {
        address: Box::new(to.clone()),
    });
    assert_eq!(
        (moved["action"].as_str(), moved["address1"].as_str()),
        (Some("re-attempt"), Some(to.line1.as_str()))
    );
    assert_eq!(moved["address2"], "Flat 4");
    let carrier = adapter();
    for kind in <NdrActionKind as strum::IntoEnumIterator>::iter() {
        assert!(ndr(&carrier).offers(kind), "{kind:?}");
    }
}

#[test]
fn ndr_action_replies() {
    if let Some(taken) = sample("ndr_action_response_http202.json", 202) {
        let outcome = shiprocket::parse_ndr_action_response(&taken).unwrap();
        assert!(outcome.accepted);
        assert_eq!(outcome.carrier_message, "Data Updated Sucessfully");
        assert_eq!(outcome.carrier_ref, None);
    }
    let (code, message, status) = rejected(
        shiprocket::parse_ndr_action_response(&fixture(
            "ndr_action_response_400_not_in_ndr.json",
            400,
        ))
        .unwrap_err(),
    );
    assert_eq!((code.as_str(), status), ("400", 400));
    assert!(message.contains("not in NDR"), "{message}");
    let (code, message, _) = rejected(
        shiprocket::parse_ndr_action_response(&fixture(
            "ndr_action_response_422_missing_comments.json",
            422,
        ))
        .unwrap_err(),
    );
    assert_eq!(code, "422");
    assert!(message.contains("comments"), "{message}");
    let empty = shiprocket::parse_ndr_action_response(&HttpResponse::new(202, Vec::new())).unwrap();
    assert!(
        empty.accepted && empty.carrier_message.contains("202"),
        "{empty:?}"
    );
}

/// Books a prepaid parcel to `pin` on a new simulator: the adapter, transport and ref.
fn booked_to(
    order: &str,
    pin: &str,
) -> (
    Shiprocket,
    SimTransport<Arc<ShiprocketSimulator>>,
    ShipmentRef,
) {
    let t = SimTransport::new(Arc::new(ShiprocketSimulator::new()), SIM_ROOT);
    let carrier = adapter();
    let request = shipment_request(pin, None, Payment::Prepaid);
    let created = block_on(carrier.create_shipment(&t, order, &request)).unwrap();
    let shipment = ShipmentRef {
        shipment_id: order.into(),
        awb: Some(created.awb.clone()),
        carrier_refs: created.carrier_refs,
        ..Default::default()
    };
    (carrier, t, shipment)
}

fn failed(sub: SubStatus) -> bool {
    sub.status() == Status::DeliveryFailed
}

/// One track call's sub-statuses.
fn tracked(
    carrier: &Shiprocket,
    t: &SimTransport<Arc<ShiprocketSimulator>>,
    r: &ShipmentRef,
) -> Vec<SubStatus> {
    let update = block_on(carrier.track(t, r)).unwrap();
    update.events.iter().map(|e| e.sub_status).collect()
}

#[test]
fn simulator_ndr_return_ends_rto_delivered() {
    let (carrier, t, r) = booked_to("sg_ndr_rto", "411099");
    let track = || tracked(&carrier, &t, &r);
    // "No activities" first, eight forward scans, then the failed attempt.
    let (calls, _) = common::track_until(20, track, failed);
    assert_eq!(calls, 10);
    let taken = block_on(ndr(&carrier).act(&t, &r, &NdrAction::ReturnToOrigin)).unwrap();
    assert_eq!(
        (taken.accepted, taken.carrier_message.as_str()),
        (true, "Data Updated Sucessfully")
    );
    let (calls, seen) = common::track_until(5, track, |s| s == SubStatus::RtoDelivered);
    assert_eq!(calls, 3);
    assert!(seen.contains(&SubStatus::RtoInitiated), "{seen:?}");
    assert!(!seen.contains(&SubStatus::Delivered), "{seen:?}");
    // Returned: no more instructions.
    let late = block_on(ndr(&carrier).act(&t, &r, &NdrAction::Reattempt { date: None }));
    let (code, _, status) = rejected(late.unwrap_err());
    assert_eq!((code.as_str(), status), ("400", 400));
}

#[test]
fn simulator_ndr_reattempt_delivers_and_refuses_a_second_action() {
    // 98: without an instruction two failed attempts, then back to the origin.
    let (carrier, t, r) = booked_to("sg_ndr_again", "411098");
    let track = || tracked(&carrier, &t, &r);
    let (calls, _) = common::track_until(20, track, failed);
    assert_eq!(calls, 10);
    let phone = Phone::parse("9876543210", "IN").unwrap();
    block_on(ndr(&carrier).act(&t, &r, &NdrAction::ChangePhone { phone })).unwrap();
    let again = block_on(ndr(&carrier).act(&t, &r, &NdrAction::ReturnToOrigin));
    let (code, message, _) = rejected(again.unwrap_err());
    assert_eq!(code, "400");
    assert!(message.contains("not in NDR"), "{message}");
    assert_eq!(track().last(), Some(&SubStatus::OutForDelivery));
    let (calls, seen) = common::track_until(3, track, |s| s == SubStatus::Delivered);
    assert_eq!(calls, 1);
    assert_eq!(seen.iter().filter(|s| failed(**s)).count(), 1, "{seen:?}");
    assert!(!seen.iter().any(|s| s.status() == Status::Rto), "{seen:?}");
}

#[test]
fn simulator_ndr_refuses_an_unknown_awb_and_a_parcel_not_yet_attempted() {
    let (carrier, t, r) = booked_to("sg_ndr_early", "411099");
    let early = block_on(ndr(&carrier).act(&t, &r, &NdrAction::Reattempt { date: None }));
    assert_eq!(rejected(early.unwrap_err()).2, 400);
    let unknown = ShipmentRef {
        awb: Some("000000000000".into()),
        ..r.clone()
    };
    let missing = block_on(ndr(&carrier).act(&t, &unknown, &NdrAction::ReturnToOrigin));
    let (_, message, status) = rejected(missing.unwrap_err());
    assert_eq!(status, 404);
    assert!(message.contains("AWB not found"), "{message}");
}
