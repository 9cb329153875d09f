//! FedEx adapter against the public samples, the project's own fixtures and the simulator.
//!
//! Real samples come from `../shared/carrier-samples/fedex` (skipped outside CI when
//! absent, a failure in CI); fixtures from `fixtures/fedex`. Every response sample an
//! implemented operation consumes is replayed here, every request we build is held
//! against the sample request's shape, and every code in status-codes.csv must be mapped.

mod common;

use chrono::NaiveDate;
use serde_json::{Value, json};

use carriers::families::{
    AddressClass, AddressValidation, Documents, PickupLocation, PickupRequest, Pickups,
    ReturnRequest, Returns,
};
use carriers::fedex::simulator::{FedexSimulator, SANDBOX_ACCOUNT, sandbox_settings};
use carriers::fedex::{self, Fedex};
use carriers::schema::{
    ChargeKind, DocumentKind, LabelFormat, RateRequest, RateRequestInput, ShipmentRef,
    ShipmentRequest, ShipmentRequestInput,
};
use carriers::taxonomy::{Status, SubStatus};
use carriers::wire::{HttpRequest, HttpResponse, Method};
use carriers::{AccountCheck, Carrier, CarrierError, Simulator};
use common::{Fault, Scripted, SimTransport, block_on, parse_csv, utc};

const CARRIER: &str = "fedex";
const SIM_ROOT: &str = "http://127.0.0.1:8080/sandbox/fedex";

fn adapter() -> Fedex {
    Fedex::new(&sandbox_settings()).unwrap()
}

fn m() -> &'static carriers::mapping::Mapping {
    fedex::mapping().unwrap()
}

fn ok(body: &[u8]) -> HttpResponse {
    HttpResponse::new(200, body.to_vec())
}

fn body_of(request: &HttpRequest) -> Value {
    serde_json::from_slice(request.body.as_deref().unwrap_or_default()).unwrap()
}

/// Every key path of a JSON value's objects (arrays looked into, indices dropped).
fn paths(value: &Value, prefix: &str, out: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{prefix}/{k}");
                out.insert(p.clone());
                paths(v, &p, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| paths(v, prefix, out)),
        _ => {}
    }
}

/// Asserts that every path in `wanted` is in both the sample and what we built.
fn same_shape(sample: &Value, built: &Value, wanted: &[&str]) {
    let (mut s, mut b) = Default::default();
    paths(sample, "", &mut s);
    paths(built, "", &mut b);
    for path in wanted {
        assert!(s.contains(*path), "the sample lacks {path}");
        assert!(b.contains(*path), "our request lacks {path}: {built}");
    }
}

fn address(country: &str, city: &str, state: &str, postal: &str, phone: &str) -> Value {
    json!({"name": "Pat Doe", "phone": phone, "line1": "350 Fifth Avenue", "line2": "Suite 100",
           "city": city, "state": state, "postal_code": postal, "country": country})
}

fn us_to_us(postal: &str, parcels: Value) -> Value {
    json!({
        "order_ref": "ORD-US-1", "carrier": "fedex",
        "from": address("US", "Memphis", "TN", "38117", "+1 901 555 0100"),
        "to": address("US", "New York", "NY", postal, "+1 212 555 0100"),
        "parcels": parcels, "payment": {"mode": "prepaid"},
    })
}

fn in_to_us() -> Value {
    json!({
        "order_ref": "ORD-EXP-1", "carrier": "fedex",
        "from": address("IN", "New Delhi", "Delhi", "110020", "9000000001"),
        "to": address("US", "New York", "NY", "10118", "+1 212 555 0100"),
        "parcels": [{"weight_g": 500, "length_mm": 200, "width_mm": 150, "height_mm": 100,
                     "declared_value": {"amount": 499900, "currency": "INR"}, "description": "Silk scarf"}],
        "payment": {"mode": "prepaid"},
        "customs": {"contents": "sale", "incoterm": "DAP", "duties_payer": "recipient", "invoice_number": "INV-77",
                    "items": [{"description": "Silk scarf", "hs_code": "621410", "origin_country": "IN",
                               "quantity": 2, "unit_value": {"amount": 249950, "currency": "INR"}, "weight_g": 250}]},
    })
}

fn shipment(body: Value) -> ShipmentRequest {
    let input: ShipmentRequestInput = serde_json::from_value(body).unwrap();
    ShipmentRequest::parse(&input).expect("valid shipment request")
}

fn rates_for(body: Value) -> RateRequest {
    let mut body = body;
    let object = body.as_object_mut().unwrap();
    object.remove("order_ref");
    object.remove("carrier");
    let input: RateRequestInput = serde_json::from_value(body).unwrap();
    RateRequest::parse(&input).expect("valid rate request")
}

fn one_parcel() -> Value {
    json!([{"weight_g": 500, "length_mm": 200, "width_mm": 150, "height_mm": 100}])
}

// ---------------------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------------------

#[test]
fn the_token_sample_logs_in_by_form_fields_and_bad_credentials_are_refused() {
    let Some(token) = common::sample(CARRIER, "auth_response.json") else {
        return;
    };
    let t = Scripted::new([ok(&token)]);
    assert_eq!(
        block_on(adapter().check_account(&t)).unwrap(),
        AccountCheck::Verified
    );
    let sent = t.sent();
    assert_eq!(sent[0].1.path, "/oauth/token");
    let form = String::from_utf8(sent[0].1.body.clone().unwrap()).unwrap();
    assert!(
        form.contains("grant_type=client_credentials") && form.contains("client_id="),
        "{form}"
    );
    let refused = common::fixture(CARRIER, "oauth_token_response_invalid_client_http401.json");
    let t = Scripted::new([HttpResponse::new(401, refused)]);
    let err = block_on(adapter().check_account(&t)).unwrap_err();
    assert!(
        err.to_string()
            .contains("client credentials were not valid"),
        "{err}"
    );
}

#[test]
fn a_refused_token_is_replaced_once_and_the_call_repeated() {
    let sim = FedexSimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let fedex = adapter();
    let req = rates_for(us_to_us("10118", one_parcel()));
    assert!(!block_on(fedex.rates(&t, &req)).unwrap().is_empty());
    assert_eq!(sim.expire_tokens(), 1);
    assert!(!block_on(fedex.rates(&t, &req)).unwrap().is_empty());
    let logins = t
        .ops()
        .iter()
        .filter(|op| **op == carriers::Operation::Login)
        .count();
    assert_eq!(logins, 2, "one login, then one after the 401");
}

// ---------------------------------------------------------------------------------------
// Rates
// ---------------------------------------------------------------------------------------

#[test]
fn rate_requests_follow_the_sample_in_pounds_inches_and_the_origin_currency() {
    let Some(sample) = common::sample(CARRIER, "rate_request.json") else {
        return;
    };
    let sample: Value = serde_json::from_slice(&sample).unwrap();
    let req = rates_for(in_to_us());
    let built = body_of(&fedex::rate_request(SANDBOX_ACCOUNT, &req).unwrap());
    same_shape(
        &sample,
        &built,
        &[
            "/accountNumber/value",
            "/rateRequestControlParameters/returnTransitTimes",
            "/requestedShipment/shipper/address/countryCode",
            "/requestedShipment/recipient/address/countryCode",
            "/requestedShipment/preferredCurrency",
            "/requestedShipment/rateRequestType",
            "/requestedShipment/requestedPackageLineItems/weight/units",
            "/requestedShipment/requestedPackageLineItems/dimensions/units",
            "/requestedShipment/customsClearanceDetail/commodities/harmonizedCode",
            "/requestedShipment/customsClearanceDetail/dutiesPayment/paymentType",
        ],
    );
    let shipment = &built["requestedShipment"];
    assert_eq!(shipment["preferredCurrency"], "INR");
    let item = &shipment["requestedPackageLineItems"][0];
    // 500 g = 1.102 lb, up to 1.2; 200 × 150 × 100 mm = 7.87 × 5.91 × 3.94 in, each up.
    assert_eq!(item["weight"], json!({"units": "LB", "value": 1.2}));
    assert_eq!(
        item["dimensions"],
        json!({"length": 8, "width": 6, "height": 4, "units": "IN"})
    );
    assert_eq!(
        shipment["customsClearanceDetail"]["dutiesPayment"]["paymentType"],
        "RECIPIENT"
    );
    let us =
        body_of(&fedex::rate_request("1", &rates_for(us_to_us("10118", one_parcel()))).unwrap());
    assert_eq!(us["requestedShipment"]["preferredCurrency"], "USD");
    assert!(
        us["requestedShipment"]
            .get("customsClearanceDetail")
            .is_none()
    );
}

#[test]
fn rate_samples_quote_the_account_rate_with_surcharges_taxes_and_transit() {
    let Some(domestic) = common::sample(CARRIER, "rate_response.json") else {
        return;
    };
    let quotes = fedex::parse_rate_response(&ok(&domestic)).unwrap();
    let q = &quotes[0];
    assert_eq!(
        (q.service.as_str(), q.service_name.as_str()),
        ("FEDEX_EXPRESS_SAVER", "FedEx Economy")
    );
    assert_eq!(
        (q.total.amount, q.total.currency.as_str()),
        (3854, "USD"),
        "ACCOUNT, not PREFERRED_CURRENCY"
    );
    let line = |kind| {
        q.breakdown
            .iter()
            .find(|c| c.kind == kind)
            .map(|c| c.amount.amount)
    };
    assert_eq!(line(ChargeKind::Freight), Some(2920));
    assert_eq!(line(ChargeKind::FuelSurcharge), Some(431));
    assert_eq!(line(ChargeKind::Tax), Some(503));

    let intl = common::sample(CARRIER, "rate_response_international.json").unwrap();
    let quotes = fedex::parse_rate_response(&ok(&intl)).unwrap();
    assert_eq!(quotes.len(), 6, "{quotes:?}");
    let ground = quotes.iter().find(|q| q.service == "FEDEX_GROUND").unwrap();
    assert_eq!(ground.transit_days, Some(4));
    assert_eq!(
        ground.estimated_delivery,
        NaiveDate::from_ymd_opt(2024, 7, 25)
    );
    assert!(
        quotes
            .iter()
            .filter(|q| q.service != "FEDEX_GROUND")
            .all(|q| q.total.currency.as_str() == "USD" && q.total.amount > 0)
    );
    // Ground from Canada bills the account in CAD; the USD lines are conversions.
    assert_eq!(
        (ground.total.amount, ground.total.currency.as_str()),
        (53568, "CAD")
    );

    // The API reference's examples: a list of whole answers.
    let docs: Vec<Value> = serde_json::from_slice(
        &common::sample(CARRIER, "docs_example_rate_response.json").unwrap(),
    )
    .unwrap();
    for answer in docs {
        let quotes = fedex::parse_rate_response(&ok(answer.to_string().as_bytes())).unwrap();
        assert!(!quotes.is_empty() && quotes.iter().all(|q| q.total.amount > 0));
    }
}

#[test]
fn rates_from_india_are_in_rupees_and_a_closed_lane_is_fedex_refusal() {
    let body = common::fixture(CARRIER, "rate_response_in_to_us_inr.json");
    let quotes = fedex::parse_rate_response(&ok(&body)).unwrap();
    let ip = &quotes[0];
    assert_eq!(
        (ip.total.amount, ip.total.currency.as_str()),
        (671715, "INR"),
        "the account's rate wins over the list rate listed first"
    );
    assert_eq!(ip.transit_days, Some(4));
    assert!(
        ip.breakdown.iter().all(|c| c.amount.amount != 0),
        "zero surcharges left out"
    );
    assert_eq!(
        ip.breakdown
            .iter()
            .find(|c| c.kind == ChargeKind::Tax)
            .unwrap()
            .label,
        "Goods and Services Tax"
    );
    let ie = &quotes[1];
    assert_eq!(
        (ie.total.amount, ie.transit_days),
        (549482, Some(6)),
        "amounts as strings; transit from commit"
    );
    let closed = common::fixture(CARRIER, "rate_response_error_service_unavailable.json");
    match fedex::parse_rate_response(&HttpResponse::new(400, closed)) {
        Err(CarrierError::Rejected { code, message, .. }) => {
            assert_eq!(code, "SERVICE.UNAVAILABLE.ERROR");
            assert!(message.contains("Service is not allowed"));
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Ship
// ---------------------------------------------------------------------------------------

#[test]
fn ship_requests_follow_the_samples_with_customs_invoice_and_references() {
    let Some(sample) = common::sample(CARRIER, "create_shipment_request.json") else {
        return;
    };
    let sample: Value = serde_json::from_slice(&sample).unwrap();
    let req = shipment(in_to_us());
    let request = fedex::create_request(SANDBOX_ACCOUNT, "sg_exp_1", &req).unwrap();
    assert_eq!(
        (request.method, request.path.as_str()),
        (Method::Post, "/ship/v1/shipments")
    );
    assert_eq!(
        request.header_value("x-customer-transaction-id"),
        Some("sg_exp_1")
    );
    let built = body_of(&request);
    same_shape(
        &sample,
        &built,
        &[
            "/accountNumber/value",
            "/labelResponseOptions",
            "/requestedShipment/shipper/contact/personName",
            "/requestedShipment/shipper/address/streetLines",
            "/requestedShipment/recipients/address/postalCode",
            "/requestedShipment/serviceType",
            "/requestedShipment/packagingType",
            "/requestedShipment/labelSpecification/imageType",
            "/requestedShipment/labelSpecification/labelStockType",
            "/requestedShipment/shippingChargesPayment/paymentType",
            "/requestedShipment/requestedPackageLineItems/customerReferences/customerReferenceType",
            "/requestedShipment/requestedPackageLineItems/weight/value",
            "/requestedShipment/customsClearanceDetail/commercialInvoice/termsOfSale",
            "/requestedShipment/customsClearanceDetail/commercialInvoice/customerReferences/value",
            "/requestedShipment/customsClearanceDetail/commodities/countryOfManufacture",
            "/requestedShipment/customsClearanceDetail/commodities/customsValue/amount",
            "/requestedShipment/shippingDocumentSpecification/shippingDocumentTypes",
            "/requestedShipment/totalPackageCount",
        ],
    );
    let requested = &built["requestedShipment"];
    assert_eq!(
        requested["serviceType"], "FEDEX_INTERNATIONAL_PRIORITY",
        "the lane's default"
    );
    assert_eq!(
        requested["requestedPackageLineItems"][0]["customerReferences"][0]["value"],
        "sg_exp_1"
    );
    let customs = &requested["customsClearanceDetail"];
    assert_eq!(customs["commercialInvoice"]["termsOfSale"], "DAP");
    assert_eq!(customs["commodities"][0]["harmonizedCode"], "621410");
    assert_eq!(
        customs["commodities"][0]["customsValue"],
        json!({"amount": 4999.0, "currency": "INR"})
    );
    assert_eq!(
        requested["shippingDocumentSpecification"]["shippingDocumentTypes"],
        json!(["COMMERCIAL_INVOICE"])
    );

    let multi = common::sample(CARRIER, "create_shipment_request_multi_piece.json").unwrap();
    let multi: Value = serde_json::from_slice(&multi).unwrap();
    let pieces = json!([{"weight_g": 4000}, {"weight_g": 9071, "length_mm": 305, "width_mm": 305, "height_mm": 305}]);
    let mut body = us_to_us("10118", pieces);
    body["label_format"] = json!("zpl");
    let built = body_of(&fedex::create_request("1", "sg_multi", &shipment(body)).unwrap());
    same_shape(
        &multi,
        &built,
        &[
            "/requestedShipment/requestedPackageLineItems/weight/units",
            "/requestedShipment/totalPackageCount",
        ],
    );
    let items = built["requestedShipment"]["requestedPackageLineItems"]
        .as_array()
        .unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[1]["weight"]["value"], 20.0,
        "9071 g is 19.998 lb, up to 20.0"
    );
    assert_eq!(
        items[1]["dimensions"]["length"], 13,
        "305 mm is 12.008 in, up to 13"
    );
    assert_eq!(
        built["requestedShipment"]["labelSpecification"]["imageType"],
        "ZPLII"
    );
    assert_eq!(built["requestedShipment"]["serviceType"], "FEDEX_GROUND");

    let recipient_pays =
        common::sample(CARRIER, "create_shipment_request_paid_by_recipient.json").unwrap();
    let recipient_pays: Value = serde_json::from_slice(&recipient_pays).unwrap();
    same_shape(
        &recipient_pays,
        &built,
        &["/requestedShipment/shippingChargesPayment/payor/responsibleParty/accountNumber/value"],
    );
}

#[test]
fn cod_and_international_without_customs_are_refused_unsent() {
    // COD across a border: FedEx has none.
    let mut body = in_to_us();
    body["payment"] = json!({"mode": "cod", "cod_amount": {"amount": 5000, "currency": "INR"}});
    assert!(matches!(
        fedex::create_request("1", "sg", &shipment(body)),
        Err(CarrierError::Unsupported(_))
    ));
}

fn cod(mut body: Value, amount: i64, currency: &str) -> Value {
    body["payment"] =
        json!({"mode": "cod", "cod_amount": {"amount": amount, "currency": currency}});
    body
}

fn in_domestic() -> Value {
    json!({
        "order_ref": "ORD-IN-COD", "carrier": "fedex", "service": "STANDARD_OVERNIGHT",
        "from": address("IN", "New Delhi", "Delhi", "110020", "9000000001"),
        "to": address("IN", "Bengaluru", "Karnataka", "560001", "9000000002"),
        "parcels": one_parcel(), "payment": {"mode": "prepaid"},
    })
}

#[test]
fn cod_asks_fedex_to_collect_cash_on_domestic_lanes_and_quotes_its_surcharge() {
    // Ground (the US default): shipment-level COD and the package's.
    let req = shipment(cod(us_to_us("10118", one_parcel()), 5000, "USD"));
    let built = body_of(&fedex::create_request(SANDBOX_ACCOUNT, "sg_cod", &req).unwrap());
    let services = &built["requestedShipment"]["shipmentSpecialServices"];
    assert_eq!(services["specialServiceTypes"], json!(["COD"]));
    assert_eq!(services["shipmentCODDetail"]["codCollectionType"], "CASH");
    assert_eq!(
        services["shipmentCODDetail"]["codCollectionAmount"],
        json!({"amount": 50.0, "currency": "USD"})
    );
    let package = &built["requestedShipment"]["requestedPackageLineItems"][0];
    assert_eq!(
        package["packageSpecialServices"]["packageCODDetail"]["codCollectionAmount"]["amount"],
        50.0
    );
    // Ground collects per package: several packages are refused unsent; Express takes them.
    let two = json!([{"weight_g": 500}, {"weight_g": 700}]);
    let req = shipment(cod(us_to_us("10118", two.clone()), 5000, "USD"));
    assert!(matches!(
        fedex::create_request("1", "sg", &req),
        Err(CarrierError::NotSent(_))
    ));
    let mut express = cod(us_to_us("10118", two), 5000, "USD");
    express["service"] = json!("FEDEX_2_DAY");
    let built = body_of(&fedex::create_request("1", "sg", &shipment(express)).unwrap());
    assert_eq!(
        built["requestedShipment"]["shipmentSpecialServices"]["specialServiceTypes"],
        json!(["COD"])
    );
    assert!(
        built["requestedShipment"]["requestedPackageLineItems"][0]["packageSpecialServices"]
            .is_null()
    );

    let sim = FedexSimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let fedex = adapter();
    let quotes = block_on(fedex.rates(
        &t,
        &rates_for(cod(us_to_us("10118", one_parcel()), 5000, "USD")),
    ))
    .unwrap();
    assert!(!quotes.is_empty());
    for q in &quotes {
        let fee: Vec<i64> = q
            .breakdown
            .iter()
            .filter(|c| c.kind == ChargeKind::Cod)
            .map(|c| c.amount.amount)
            .collect();
        assert_eq!(fee, [1500], "{q:?}");
        assert_eq!(
            q.breakdown.iter().map(|c| c.amount.amount).sum::<i64>(),
            q.total.amount,
            "{q:?}"
        );
    }
    let prepaid = block_on(fedex.rates(&t, &rates_for(us_to_us("10118", one_parcel())))).unwrap();
    assert!(
        prepaid
            .iter()
            .all(|q| q.breakdown.iter().all(|c| c.kind != ChargeKind::Cod))
    );
    // India: rupees, GST on the fee as well; and the booking is taken.
    let quotes = block_on(fedex.rates(&t, &rates_for(cod(in_domestic(), 129900, "INR")))).unwrap();
    let q = &quotes[0];
    assert!(
        q.breakdown.iter().any(|c| c.kind == ChargeKind::Cod
            && c.amount.amount == 7500
            && c.amount.currency.as_str() == "INR"),
        "{q:?}"
    );
    let created = block_on(fedex.create_shipment(
        &t,
        "sg_in_cod",
        &shipment(cod(in_domestic(), 129900, "INR")),
    ))
    .unwrap();
    assert!(!created.awb.is_empty());
    // Across a border: no quote, and nothing asked.
    let calls = t.ops().len();
    let mut export = in_to_us();
    export["payment"] = json!({"mode": "cod", "cod_amount": {"amount": 5000, "currency": "INR"}});
    assert!(
        block_on(fedex.rates(&t, &rates_for(export)))
            .unwrap()
            .is_empty()
    );
    assert_eq!(t.ops().len(), calls);
}

#[test]
fn ship_samples_give_the_master_number_fedex_labels_and_the_routing_code() {
    let Some(answer) = common::sample(CARRIER, "create_shipment_response.json") else {
        return;
    };
    let created = fedex::parse_create_response(&ok(&answer)).unwrap();
    assert_eq!(created.awb, "794953535000");
    assert_eq!(created.service, "STANDARD_OVERNIGHT");
    assert_eq!(created.routing_code.as_deref(), Some("XH Ga"));
    assert_eq!(created.labels.len(), 1);
    assert_eq!(created.labels[0].format, LabelFormat::Pdf);
    assert!(created.labels[0].content.starts_with(b"%PDF-"));

    let returned = common::sample(CARRIER, "create_return_shipment_response.json").unwrap();
    let created = fedex::parse_create_response(&ok(&returned)).unwrap();
    assert_eq!(created.awb, "794953535000");
    assert!(created.labels[0].content.starts_with(b"%PDF-"));

    let multi = common::fixture(CARRIER, "ship_response_multi_piece_zpl.json");
    let created = fedex::parse_create_response(&ok(&multi)).unwrap();
    assert_eq!(created.awb, "794900000011");
    assert_eq!(
        created.carrier_refs["piece_tracking_numbers"],
        "794900000011,794900000012"
    );
    assert_eq!(created.labels.len(), 1, "one ZPL file for both pieces");
    let zpl = String::from_utf8(created.labels[0].content.clone()).unwrap();
    assert_eq!(zpl.matches("^XA").count(), 2);
    assert!(zpl.contains("794900000011") && zpl.contains("794900000012"));
    assert_eq!(created.charged.as_ref().map(|m| m.amount), Some(2487));

    let refused = common::fixture(CARRIER, "ship_response_error_postal_code.json");
    match fedex::parse_create_response(&HttpResponse::new(400, refused)) {
        Err(CarrierError::Rejected { code, message, .. }) => {
            assert_eq!(code, "RECIPIENTS.POSTALCODE.INVALID");
            assert!(
                message.contains("Invalid postal code") && message.contains("Shipper phone"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    let docs_error = common::sample(CARRIER, "docs_example_error_response.json").unwrap();
    let err = fedex::parse_create_response(&HttpResponse::new(400, docs_error)).unwrap_err();
    assert!(matches!(err, CarrierError::Rejected { .. }), "{err:?}");
    let five = fedex::parse_create_response(&HttpResponse::new(503, b"<html>busy</html>".to_vec()))
        .unwrap_err();
    assert!(five.may_have_happened(), "{five:?}");
}

// ---------------------------------------------------------------------------------------
// Cancel
// ---------------------------------------------------------------------------------------

#[test]
fn cancel_follows_the_sample_and_reads_both_answers() {
    let Some(sample) = common::sample(CARRIER, "cancel_shipment_request.json") else {
        return;
    };
    let sample: Value = serde_json::from_slice(&sample).unwrap();
    let request = fedex::cancel_request("2349857", "794953555571").unwrap();
    assert_eq!(request.method, Method::Put);
    assert_eq!(body_of(&request), sample);
    let answer = common::sample(CARRIER, "cancel_shipment_response.json").unwrap();
    assert_eq!(
        fedex::parse_cancel_response(&ok(&answer))
            .unwrap()
            .carrier_message,
        "Success"
    );
    let refused = common::fixture(CARRIER, "cancel_response_not_cancelled.json");
    let err = fedex::parse_cancel_response(&ok(&refused)).unwrap_err();
    assert!(err.to_string().contains("already tendered"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Tracking
// ---------------------------------------------------------------------------------------

#[test]
fn track_requests_follow_the_sample() {
    let Some(sample) = common::sample(CARRIER, "track_request.json") else {
        return;
    };
    let sample: Value = serde_json::from_slice(&sample).unwrap();
    let built = body_of(&fedex::track_request("399368623212").unwrap());
    same_shape(
        &sample,
        &built,
        &[
            "/trackingInfo/trackingNumberInfo/trackingNumber",
            "/includeDetailedScans",
        ],
    );
}

fn sub_statuses(update: &carriers::schema::TrackingUpdate) -> Vec<(String, SubStatus)> {
    update
        .events
        .iter()
        .map(|e| (e.carrier_code.clone(), e.sub_status))
        .collect()
}

#[test]
fn track_samples_map_every_scan_in_order_and_in_utc() {
    let Some(kitchen) = common::sample(CARRIER, "track_response.json") else {
        return;
    };
    let all = fedex::parse_track_response_all(m(), &ok(&kitchen)).unwrap();
    assert_eq!(all.len(), 1, "the unknown number is left out");
    let pu = &all[0].events[0];
    assert_eq!(
        pu.sub_status,
        SubStatus::PickedUp,
        "A25 on a pickup scan does not make it a customs event"
    );
    assert_eq!(pu.event_time, utc("2018-02-02T19:01:00Z"));
    assert_eq!(pu.location.as_deref(), Some("SEATTLE, WA, US"));

    let dup = common::sample(CARRIER, "track_response_duplicate_tracking_number.json").unwrap();
    let all = fedex::parse_track_response_all(m(), &ok(&dup)).unwrap();
    assert_eq!(all.len(), 2, "one number, two shipments");
    let live = fedex::parse_track_response(m(), &ok(&dup), "776094337676").unwrap();
    assert_eq!(live.events.last().unwrap().sub_status, SubStatus::Delivered);
    assert_eq!(
        live.events.last().unwrap().event_time,
        utc("2024-04-26T16:26:00Z")
    );
    let codes = sub_statuses(&live);
    assert!(
        codes.contains(&("DE/08".into(), SubStatus::CustomerUnavailable)),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("DE/A47".into(), SubStatus::Other)),
        "{codes:?}"
    );
    let other = &all
        .iter()
        .find(|u| u.events.iter().any(|e| e.carrier_code == "HP"))
        .unwrap();
    let other_codes = sub_statuses(other);
    assert!(
        other_codes.contains(&("HP".into(), SubStatus::AtPickupPoint)),
        "{other_codes:?}"
    );
    assert!(
        other_codes.contains(&("DY/A52".into(), SubStatus::Delayed)),
        "{other_codes:?}"
    );
    assert!(
        live.events
            .windows(2)
            .all(|w| w[0].event_time <= w[1].event_time)
    );

    let odd = common::sample(CARRIER, "track_response_inconsistent_datetime.json").unwrap();
    let update = fedex::parse_track_response(m(), &ok(&odd), "738488882438").unwrap();
    let pickup = update
        .events
        .iter()
        .find(|e| e.carrier_code == "PU")
        .unwrap();
    // No offset: midnight in Mankato, Minnesota (CDT, -05:00 in August).
    assert_eq!(pickup.event_time, utc("2024-08-15T05:00:00Z"));
    assert_eq!(
        update.events.last().unwrap().event_time,
        utc("2024-08-20T16:41:57Z")
    );

    let error = common::sample(CARRIER, "track_response_error.json").unwrap();
    match fedex::parse_track_response_all(m(), &HttpResponse::new(400, error)) {
        Err(CarrierError::Rejected { code, message, .. }) => {
            assert_eq!(code, "TRACKING.TRACKINGNUMBER.EMPTY");
            assert_eq!(message, "Please provide tracking number.");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_parcel_returned_to_the_shipper_ends_rto_delivered() {
    let body = common::fixture(CARRIER, "track_response_returned_to_shipper.json");
    let update = fedex::parse_track_response(m(), &ok(&body), "794900000021").unwrap();
    let subs: Vec<SubStatus> = update.events.iter().map(|e| e.sub_status).collect();
    assert_eq!(
        subs,
        [
            SubStatus::PickedUp,
            SubStatus::OutForDelivery,
            SubStatus::CustomerUnavailable,
            SubStatus::RtoInTransit,
            SubStatus::RtoInTransit,
            SubStatus::RtoDelivered,
        ]
    );
    // "2026-11-10T08:02:00" without offset, New York in November: EST.
    assert_eq!(update.events[1].event_time, utc("2026-11-10T13:02:00Z"));
    assert!(update.events.last().unwrap().terminal);
}

#[test]
fn status_codes_csv_is_mapped_code_by_code_in_its_table() {
    let Some(csv) = common::sample(CARRIER, "status-codes.csv") else {
        return;
    };
    let rows = parse_csv(&String::from_utf8(csv).unwrap());
    assert_eq!(
        rows[0][..3],
        ["carrier_code", "carrier_description", "carrier_status_type"]
    );
    let mut missing = Vec::new();
    for row in &rows[1..] {
        let (code, description, kind) = (&row[0], &row[1], &row[2]);
        let table = match kind.as_str() {
            "exceptionCode" => "exception",
            "derivedStatusCode" => "derived",
            "scanEvents[].eventType"
            | "latestStatusDetail.code"
            | "FedEx tracking status/event code" => "event",
            other => panic!("unknown kind {other:?}"),
        };
        if m().lookup(table, code).is_none() {
            missing.push(format!("[codes.{table}] {code:?}  # {description}"));
        }
    }
    assert!(missing.is_empty(), "unmapped:\n{}", missing.join("\n"));
    let exception = |code| m().lookup("exception", code).unwrap().status;
    assert_eq!(exception("08"), Status::DeliveryFailed);
    assert_eq!(
        m().lookup("event", "CD").unwrap().sub_status,
        SubStatus::HeldByCustoms
    );
    assert_eq!(
        m().lookup("event", "HP").unwrap().sub_status,
        SubStatus::AtPickupPoint
    );
    assert_eq!(m().lookup("event", "RS").unwrap().status, Status::Rto);
}

#[test]
fn webhook_pushes_carry_the_reference_and_map_customs_and_pickup_points() {
    let body = common::fixture(CARRIER, "webhook_push_track_result.json");
    let pushed = adapter().parse_webhook(&[], &body).unwrap();
    assert_eq!(pushed.len(), 1);
    assert_eq!(
        (pushed[0].awb.as_str(), pushed[0].reference.as_deref()),
        ("794900000031", Some("sg_push_1"))
    );
    let subs: Vec<SubStatus> = pushed[0].events.iter().map(|e| e.sub_status).collect();
    assert_eq!(subs, [SubStatus::HeldByCustoms, SubStatus::AtPickupPoint]);
    // A whole Track answer pushed is read the same way.
    let sample = common::fixture(CARRIER, "track_response_returned_to_shipper.json");
    assert_eq!(
        adapter().parse_webhook(&[], &sample).unwrap()[0]
            .reference
            .as_deref(),
        Some("sg_rts_1")
    );
    assert!(adapter().parse_webhook(&[], b"{}").is_err());
}

// ---------------------------------------------------------------------------------------
// Lookup, pickups, addresses
// ---------------------------------------------------------------------------------------

#[test]
fn lookup_reads_the_reference_answers() {
    let none = common::fixture(CARRIER, "reference_track_response_not_found.json");
    assert_eq!(
        fedex::parse_lookup_response(&ok(&none), "sg_missing_1").unwrap(),
        None
    );
    let found = common::fixture(CARRIER, "track_response_returned_to_shipper.json");
    let created = fedex::parse_lookup_response(&ok(&found), "sg_rts_1")
        .unwrap()
        .unwrap();
    assert_eq!(
        (created.awb.as_str(), created.service.as_str()),
        ("794900000021", "FEDEX_2_DAY")
    );
    let err =
        fedex::parse_lookup_response(&HttpResponse::new(500, b"oops".to_vec()), "x").unwrap_err();
    assert!(err.may_have_happened());
}

#[test]
fn pickup_samples_and_requests() {
    let Some(sample) = common::sample(CARRIER, "pickup_request.json") else {
        return;
    };
    let sample: Value = serde_json::from_slice(&sample).unwrap();
    let req = shipment(us_to_us("10118", one_parcel()));
    let pickup = PickupRequest {
        location: "Memphis WH".into(),
        address: req.from.clone(),
        date: NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
        window: None,
        shipments: Vec::new(),
        packages: 3,
    };
    let built = body_of(&fedex::pickup_request("2349857", &pickup).unwrap());
    same_shape(
        &sample,
        &built,
        &[
            "/associatedAccountNumber/value",
            "/carrierCode",
            "/originDetail/pickupLocation/address/postalCode",
            "/originDetail/pickupLocation/contact/personName",
            "/originDetail/readyDateTimestamp",
            "/originDetail/customerCloseTime",
            "/packageCount",
            "/pickupType",
        ],
    );
    assert_eq!(
        built["originDetail"]["readyDateTimestamp"],
        "2026-12-08T10:00:00Z"
    );
    let answer = common::sample(CARRIER, "pickup_response.json").unwrap();
    let (id, message) = fedex::parse_pickup_response(&ok(&answer)).unwrap();
    assert_eq!(
        (id.as_str(), message.as_str()),
        ("COSA|3001", "Courier on the way")
    );
    let cancel_sample: Value =
        serde_json::from_slice(&common::sample(CARRIER, "pickup_cancel_request.json").unwrap())
            .unwrap();
    let date = NaiveDate::from_ymd_opt(2020, 7, 3).unwrap();
    let built =
        body_of(&fedex::pickup_cancel_request("2349857", "XXX561073", "NQAA", date).unwrap());
    assert_eq!(built, cancel_sample);
    let cancelled = common::sample(CARRIER, "pickup_cancel_response.json").unwrap();
    let outcome = fedex::parse_pickup_cancel_response(&ok(&cancelled)).unwrap();
    assert_eq!(
        outcome.carrier_message,
        "Requested pickup has been cancelled Successfully."
    );
}

#[test]
fn address_answers_classify_and_suggest() {
    let sent = shipment(us_to_us("10118", one_parcel())).to;
    let body = common::fixture(CARRIER, "address_resolve_response_residential.json");
    let verdict = fedex::parse_address_response(&ok(&body), &sent).unwrap();
    assert!(verdict.deliverable);
    assert_eq!(verdict.classification, AddressClass::Residential);
    let suggestion = verdict.suggestion.unwrap();
    assert_eq!(
        (suggestion.line1.as_str(), suggestion.city.as_str()),
        ("350 5TH AVE", "NEW YORK")
    );
    assert_eq!(suggestion.phone, sent.phone, "contact kept");
    let body = common::fixture(CARRIER, "address_resolve_response_unresolved.json");
    let verdict = fedex::parse_address_response(&ok(&body), &sent).unwrap();
    assert!(!verdict.deliverable && verdict.suggestion.is_none());
    assert_eq!(verdict.classification, AddressClass::Unknown);
    assert_eq!(
        verdict.carrier_message,
        "Standardized address is not found."
    );
}

// ---------------------------------------------------------------------------------------
// The simulator, end to end through the adapter
// ---------------------------------------------------------------------------------------

fn reference(id: &str, awb: Option<&str>) -> ShipmentRef {
    ShipmentRef {
        shipment_id: id.into(),
        order_ref: "ORD".into(),
        awb: awb.map(str::to_string),
        carrier_refs: Default::default(),
    }
}

#[test]
fn the_simulator_quotes_books_labels_tracks_and_cancels_in_fedex_shapes() {
    let sim = FedexSimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let fedex = adapter();
    let us = block_on(fedex.rates(&t, &rates_for(us_to_us("10118", one_parcel())))).unwrap();
    assert!(
        us.len() >= 3
            && us
                .iter()
                .all(|q| q.total.currency.as_str() == "USD" && q.transit_days.is_some())
    );
    let from_india = block_on(fedex.rates(&t, &rates_for(in_to_us()))).unwrap();
    assert!(
        !from_india.is_empty()
            && from_india
                .iter()
                .all(|q| q.total.currency.as_str() == "INR")
    );
    assert!(
        from_india
            .iter()
            .all(|q| q.breakdown.iter().any(|c| c.kind == ChargeKind::Tax)),
        "GST from India"
    );

    // International: FedEx's PDF label and its commercial invoice.
    let created = block_on(fedex.create_shipment(&t, "sg_sim_exp", &shipment(in_to_us()))).unwrap();
    assert_eq!(created.awb.len(), 12);
    assert!(created.labels[0].content.starts_with(b"%PDF-"));
    assert_eq!(created.documents.len(), 1);
    assert_eq!(created.documents[0].kind, DocumentKind::CommercialInvoice);
    assert_eq!(sim.bookings(), 1);

    // Domestic, two pieces, ZPL: one label per piece joined.
    let pieces = json!([{"weight_g": 500}, {"weight_g": 1500}]);
    let mut body = us_to_us("10199", pieces);
    body["label_format"] = json!("zpl");
    let created = block_on(fedex.create_shipment(&t, "sg_sim_us", &shipment(body))).unwrap();
    let zpl = String::from_utf8(created.labels[0].content.clone()).unwrap();
    assert_eq!(zpl.matches("^XA").count(), 2);
    assert!(zpl.contains(&created.awb));
    assert!(created.documents.is_empty(), "no invoice at home");

    // Tracking moves on one scan per call; the 99 detour fails an attempt.
    let r = reference("sg_sim_us", Some(&created.awb));
    let mut last = Vec::new();
    for _ in 0..12 {
        last = block_on(fedex.track(&t, &r)).unwrap().events;
    }
    let subs: Vec<SubStatus> = last.iter().map(|e| e.sub_status).collect();
    assert!(subs.contains(&SubStatus::CustomerUnavailable), "{subs:?}");
    assert_eq!(subs.last(), Some(&SubStatus::Delivered), "{subs:?}");
    assert!(last.iter().all(|e| e.sub_status != SubStatus::Unmapped));

    // Lookup by reference, without moving the trip; a reference never used is none.
    let found = block_on(fedex.lookup(&t, &reference("sg_sim_exp", None)))
        .unwrap()
        .unwrap();
    assert_eq!(found.awb.len(), 12);
    assert_eq!(
        block_on(fedex.lookup(&t, &reference("sg_never", None))).unwrap(),
        None
    );

    // Cancel before pickup (twice is harmless); after pickup FedEx refuses.
    let exp = reference("sg_sim_exp", Some(&found.awb));
    block_on(Carrier::cancel(&fedex, &t, &exp)).unwrap();
    block_on(Carrier::cancel(&fedex, &t, &exp)).unwrap();
    let events = block_on(fedex.track(&t, &exp)).unwrap().events;
    assert_eq!(events.last().unwrap().sub_status, SubStatus::Cancelled);
    let err = block_on(Carrier::cancel(&fedex, &t, &r)).unwrap_err();
    assert!(err.to_string().contains("tendered"), "{err}");
    // An unknown number is FedEx's not found.
    let err = block_on(fedex.track(&t, &reference("x", Some("799999999999")))).unwrap_err();
    assert!(
        matches!(err, CarrierError::Rejected { ref code, .. } if code == "not_found"),
        "{err:?}"
    );
}

#[test]
fn the_simulator_schedules_and_cancels_pickups_and_validates_addresses() {
    let sim = FedexSimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let fedex = adapter();
    let from = shipment(us_to_us("10118", one_parcel())).from;
    let location = PickupLocation {
        name: "Memphis WH".into(),
        address: from.clone(),
        working_hours: None,
    };
    let registered = block_on(fedex.register_location(&t, &location)).unwrap();
    assert_eq!(registered.carrier_name, "Memphis WH");
    assert!(t.ops().is_empty(), "no call: FedEx keeps no registry");
    let request = PickupRequest {
        location: "Memphis WH".into(),
        address: from.clone(),
        date: NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
        window: None,
        shipments: Vec::new(),
        packages: 1,
    };
    let scheduled = block_on(Pickups::schedule(&fedex, &t, &request)).unwrap();
    assert!(scheduled.pickup_id.starts_with("NQAA|"), "{scheduled:?}");
    let cancelled = block_on(Pickups::cancel(&fedex, &t, &scheduled)).unwrap();
    assert!(cancelled.carrier_message.contains("cancelled"));

    let verdict = block_on(fedex.validate(&t, &from)).unwrap();
    assert!(verdict.deliverable);
    assert_eq!(
        verdict.classification,
        AddressClass::Commercial,
        "a suite is a business"
    );
    assert_eq!(verdict.suggestion.unwrap().line1, "350 FIFTH AVENUE");
}

#[test]
fn the_simulator_books_returns_and_gives_the_proof_of_delivery_once_delivered() {
    let sim = FedexSimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let fedex = adapter();
    let created =
        block_on(fedex.create_shipment(&t, "sg_pod", &shipment(us_to_us("10118", one_parcel()))))
            .unwrap();
    let r = reference("sg_pod", Some(&created.awb));
    let early = block_on(fedex.document(&t, &r, DocumentKind::ProofOfDelivery)).unwrap_err();
    assert!(
        matches!(early, CarrierError::Rejected { ref code, .. } if code == "TRACKING.DATA.NOTFOUND"),
        "{early:?}"
    );
    for _ in 0..9 {
        block_on(fedex.track(&t, &r)).unwrap();
    }
    let pod = block_on(fedex.document(&t, &r, DocumentKind::ProofOfDelivery)).unwrap();
    assert!(pod.content.starts_with(b"%PDF-"));
    assert_eq!(pod.kind, DocumentKind::ProofOfDelivery);

    // The return: from the buyer back to the warehouse, a booking with its own label.
    let mut back = shipment(us_to_us("38117", one_parcel()));
    std::mem::swap(&mut back.from, &mut back.to);
    let request = ReturnRequest::of("sg_pod_ret", &back);
    let sent = fedex::return_request("1", &request).unwrap();
    let body = body_of(&sent);
    assert_eq!(
        body["requestedShipment"]["shipmentSpecialServices"]["specialServiceTypes"],
        json!(["RETURN_SHIPMENT"])
    );
    assert_eq!(
        body["requestedShipment"]["shipper"]["address"]["city"],
        "New York"
    );
    let ret = block_on(fedex.create_return(&t, Some(&r), &request)).unwrap();
    assert_ne!(ret.awb, created.awb);
    assert!(ret.labels[0].content.starts_with(b"%PDF-"));
    let mut qc = request.clone();
    qc.qc = Some(carriers::families::QcCheck {
        product_name: "x".into(),
        brand: None,
        image_url: None,
        color: None,
        size: None,
    });
    assert!(matches!(
        block_on(fedex.create_return(&t, None, &qc)),
        Err(CarrierError::Unsupported(_))
    ));
}

#[test]
fn proof_of_delivery_answers_are_a_pdf_or_fedex_alert() {
    let body = common::fixture(CARRIER, "tracking_documents_response_spod.json");
    let pod = fedex::parse_proof_of_delivery_response(&ok(&body)).unwrap();
    assert_eq!(
        (pod.kind, pod.content_type.as_str()),
        (DocumentKind::ProofOfDelivery, "application/pdf")
    );
    let body = common::fixture(CARRIER, "tracking_documents_response_not_delivered.json");
    match fedex::parse_proof_of_delivery_response(&ok(&body)) {
        Err(CarrierError::Rejected { code, message, .. }) => {
            assert_eq!(
                (code.as_str(), message.as_str()),
                ("TRACKING.DATA.NOTFOUND", "Tracking data unavailable")
            );
        }
        other => panic!("{other:?}"),
    }
    let request = fedex::proof_of_delivery_request("794900000021").unwrap();
    let body = body_of(&request);
    assert_eq!(
        body["trackDocumentDetail"]["documentType"],
        "SIGNATURE_PROOF_OF_DELIVERY"
    );
    assert_eq!(
        body["trackDocumentSpecification"][0]["trackingNumberInfo"]["trackingNumber"],
        "794900000021"
    );
}

#[test]
fn multi_piece_pdf_labels_from_the_simulator_are_one_pdf_page_per_piece() {
    let sim = FedexSimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let pieces = json!([{"weight_g": 500}, {"weight_g": 700}, {"weight_g": 900}]);
    let created =
        block_on(adapter().create_shipment(&t, "sg_pdf3", &shipment(us_to_us("10118", pieces))))
            .unwrap();
    assert_eq!(created.labels.len(), 1);
    let pdf = lopdf::Document::load_mem(&created.labels[0].content).unwrap();
    assert_eq!(pdf.get_pages().len(), 3);
    let text = pdf.extract_text(&[1]).unwrap_or_default();
    assert!(
        text.contains(&created.awb),
        "the master number on the first page"
    );
}

// ---------------------------------------------------------------------------------------
// Trade documents (ETD, post-shipment upload)
// ---------------------------------------------------------------------------------------

fn upload(kind: DocumentKind, content: &[u8]) -> carriers::families::DocumentUpload {
    carriers::families::DocumentUpload {
        kind,
        file_name: "sg_exp-commercial_invoice.pdf".into(),
        content_type: "application/pdf".into(),
        content: content.to_vec(),
        origin_country: "IN".into(),
        destination_country: "US".into(),
        booked_at: utc("2026-07-14T09:30:00Z"),
    }
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\n\x00\xff binary\n%%EOF";

#[test]
fn the_upload_sample_names_the_document_id_and_the_request_is_multipart_post_shipment() {
    let (Some(token), Some(answer)) = (
        common::sample(CARRIER, "auth_response.json"),
        common::sample(CARRIER, "document_upload_response.json"),
    ) else {
        return;
    };
    let t = Scripted::new([ok(&token), ok(&answer)]);
    let shipment = reference("sg_exp", Some("794953535000"));
    let uploaded =
        block_on(adapter().upload(&t, &shipment, &upload(DocumentKind::CommercialInvoice, PDF)))
            .unwrap();
    assert_eq!(uploaded.carrier_document_id, "090493e181586308");
    let sent = t.sent();
    let request = &sent[1].1;
    // The sandbox settings point at the sandbox's root; FedEx's own host by default.
    assert_eq!(request.path, "/documents/v1/etds/upload");
    let content_type = request.header_value("content-type").unwrap();
    let parts =
        carriers::kit::multipart::parts(content_type, request.body.as_deref().unwrap()).unwrap();
    let document: Value = serde_json::from_slice(&parts[0].content).unwrap();
    assert_eq!(parts[0].name, "document");
    assert_eq!(document["workflowName"], "ETDPostshipment");
    assert_eq!(document["meta"]["shipDocumentType"], "COMMERCIAL_INVOICE");
    assert_eq!(document["meta"]["trackingNumber"], "794953535000");
    assert_eq!(document["meta"]["shipmentDate"], "2026-07-14T09:30:00");
    assert_eq!(
        (
            &document["meta"]["originCountryCode"],
            &document["meta"]["destinationCountryCode"]
        ),
        (&json!("IN"), &json!("US"))
    );
    assert_eq!(
        (parts[1].name.as_str(), parts[1].content.as_slice()),
        ("attachment", PDF)
    );
    let mut live = sandbox_settings();
    live.remove("document_api_url");
    let request = fedex::etd_upload_request(
        fedex::DOCUMENT_API_URL,
        "794953535000",
        &upload(DocumentKind::CustomsDeclaration, PDF),
    )
    .unwrap();
    assert_eq!(
        request.path,
        "https://documentapi.prod.fedex.com/documents/v1/etds/upload"
    );
    assert!(Fedex::new(&live).is_ok());
    live.insert("document_api_url".into(), "ftp://x".into());
    assert!(Fedex::new(&live).is_err(), "neither https nor a path");
    // A 2xx without a document id is never an upload taken for done.
    let empty = fedex::parse_etd_upload_response(&ok(br#"{"output": {"meta": {}}}"#));
    assert!(
        matches!(empty, Err(CarrierError::BadResponse(_))),
        "{empty:?}"
    );
    let refused = fedex::parse_etd_upload_response(&HttpResponse::new(
        400,
        r#"{"errors": [{"code": "INVALID.INPUT.EXCEPTION", "message": "Invalid field value in the input"}]}"#,
    ));
    assert!(
        matches!(&refused, Err(CarrierError::Rejected { code, .. }) if code == "INVALID.INPUT.EXCEPTION"),
        "{refused:?}"
    );
}

#[test]
fn trade_documents_go_to_an_etd_booking_only_as_pdf_within_the_limit() {
    let sim = FedexSimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let fedex = adapter();
    let created = block_on(fedex.create_shipment(&t, "sg_etd", &shipment(in_to_us()))).unwrap();
    let booked = reference("sg_etd", Some(&created.awb));
    let first =
        block_on(fedex.upload(&t, &booked, &upload(DocumentKind::CommercialInvoice, PDF))).unwrap();
    let second =
        block_on(fedex.upload(&t, &booked, &upload(DocumentKind::CustomsDeclaration, PDF)))
            .unwrap();
    assert_ne!(first.carrier_document_id, second.carrier_document_id);
    // A domestic booking asked for no ETD: FedEx refuses the upload.
    let domestic =
        block_on(fedex.create_shipment(&t, "sg_dom", &shipment(us_to_us("10118", one_parcel()))))
            .unwrap();
    let refused = block_on(fedex.upload(
        &t,
        &reference("sg_dom", Some(&domestic.awb)),
        &upload(DocumentKind::CommercialInvoice, PDF),
    ));
    assert!(
        matches!(&refused, Err(CarrierError::Rejected { code, .. }) if code == "ETD.POSTSHIPMENT.NOTALLOWED"),
        "{refused:?}"
    );
    // Not a PDF: the sandbox, as FedEx, refuses it.
    let refused = block_on(fedex.upload(
        &t,
        &booked,
        &upload(DocumentKind::CommercialInvoice, b"hello"),
    ));
    assert!(
        matches!(&refused, Err(CarrierError::Rejected { code, .. }) if code == "DOCUMENT.FORMAT.INVALID"),
        "{refused:?}"
    );
    // Refused unsent: no AWB, a kind FedEx takes no upload of, too large, not PDF.
    let calls = t.ops().len();
    let unsent = [
        block_on(fedex.upload(
            &t,
            &reference("sg_x", None),
            &upload(DocumentKind::CommercialInvoice, PDF),
        )),
        block_on(fedex.upload(&t, &booked, &upload(DocumentKind::ProofOfDelivery, PDF))),
        block_on(fedex.upload(
            &t,
            &booked,
            &upload(
                DocumentKind::CommercialInvoice,
                &vec![b'%'; fedex::ETD_LIMIT_BYTES + 1],
            ),
        )),
        block_on(fedex.upload(
            &t,
            &booked,
            &carriers::families::DocumentUpload {
                content_type: "image/png".into(),
                ..upload(DocumentKind::CommercialInvoice, PDF)
            },
        )),
    ];
    for result in unsent {
        assert!(
            matches!(
                result,
                Err(CarrierError::NotSent(_) | CarrierError::Unsupported(_))
            ),
            "{result:?}"
        );
    }
    assert_eq!(t.ops().len(), calls, "nothing sent");
    assert_eq!(
        fedex.upload_kinds(),
        [
            DocumentKind::CommercialInvoice,
            DocumentKind::CustomsDeclaration
        ]
    );
}

#[test]
fn a_us_recipient_is_classed_by_fedex_and_a_home_is_charged_its_surcharge() {
    let sim = FedexSimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let fedex = adapter();
    // The simulator classes an address with a suite as a business.
    let office = block_on(fedex.rates(&t, &rates_for(us_to_us("10118", one_parcel())))).unwrap();
    let surcharge = |q: &carriers::schema::RateQuote| {
        q.breakdown.iter().any(|c| c.label.contains("Residential"))
    };
    assert!(office.iter().all(|q| !surcharge(q)), "{office:?}");
    let mut home = us_to_us("10118", one_parcel());
    home["to"]["line2"] = Value::Null;
    home["to"]["line1"] = json!("12 Elm Street");
    let quotes = block_on(fedex.rates(&t, &rates_for(home.clone()))).unwrap();
    assert!(quotes.iter().all(surcharge), "{quotes:?}");
    for (a, b) in quotes.iter().zip(&office) {
        assert_eq!(a.total.amount - b.total.amount, 555, "{a:?}");
    }
    // The booking sends the same flag, learnt at the quote: no second resolution call.
    let ops_before = t.ops().len();
    block_on(fedex.create_shipment(&t, "sg_home", &shipment(home.clone()))).unwrap();
    let ops = &t.ops()[ops_before..];
    assert_eq!(ops, [carriers::Operation::CreateShipment]);
    // Another account (adapter) logs in and asks for itself.
    let ops_before = t.ops().len();
    block_on(adapter().create_shipment(&t, "sg_home_2", &shipment(home))).unwrap();
    assert_eq!(
        t.ops()[ops_before..],
        [
            carriers::Operation::Login,
            carriers::Operation::AddressValidation,
            carriers::Operation::CreateShipment
        ]
    );
    let built = body_of(
        &fedex::create_request_for(
            "1",
            "sg",
            &shipment(us_to_us("10118", one_parcel())),
            Some(true),
        )
        .unwrap(),
    );
    assert_eq!(
        built["requestedShipment"]["recipients"][0]["address"]["residential"],
        true
    );
    assert!(built["requestedShipment"]["recipients"][0]["contact"]["personName"].is_string());
    // An export to a US address is classed as well (the flag is for the delivery), once.
    let mut export = in_to_us();
    export["to"]["line1"] = json!("400 Park Avenue");
    let before = t.ops().len();
    block_on(fedex.rates(&t, &rates_for(export.clone()))).unwrap();
    assert_eq!(
        t.ops()[before..],
        [
            carriers::Operation::AddressValidation,
            carriers::Operation::Rates
        ]
    );
    let before = t.ops().len();
    block_on(fedex.rates(&t, &rates_for(export))).unwrap();
    assert_eq!(t.ops()[before..], [carriers::Operation::Rates]);
}

#[test]
fn an_address_fedex_could_not_class_is_asked_again() {
    let sim = FedexSimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT).with_fault(Box::new(|op, _| match op {
        carriers::Operation::AddressValidation => Fault::Answer(HttpResponse::new(
            503,
            "<html><h1>Service Unavailable</h1></html>",
        )),
        _ => Fault::Pass,
    }));
    let fedex = adapter();
    let req = rates_for(us_to_us("10118", one_parcel()));
    for _ in 0..2 {
        let before = t.ops().len();
        // Rated without the flag, and nothing remembered.
        assert!(!block_on(fedex.rates(&t, &req)).unwrap().is_empty());
        let ops = t.ops();
        let asked = ops[before..].iter();
        let asked = asked.filter(|op| **op == carriers::Operation::AddressValidation);
        assert_eq!(asked.count(), 1);
    }
    t.clear_fault();
    block_on(fedex.rates(&t, &req)).unwrap();
    let before = t.ops().len();
    block_on(fedex.rates(&t, &req)).unwrap();
    assert_eq!(t.ops()[before..], [carriers::Operation::Rates]);
}

/// Found by the fuzzer: a track result whose `error` has no code is still a refusal that
/// names one (the conformance check refuses a refusal without a code).
#[test]
fn a_track_error_without_a_code_names_one() {
    let body = json!({"output": {"completeTrackResults": [{"trackingNumber": "1",
        "trackResults": [{"trackingNumberInfo": {"trackingNumber": "1"},
            "error": {"message": "Reference number cannot be found."}}]}]}});
    match fedex::parse_track_response_all(m(), &ok(body.to_string().as_bytes())) {
        Err(CarrierError::Rejected { code, message, .. }) => {
            assert!(!code.trim().is_empty());
            assert_eq!(message, "Reference number cannot be found.");
        }
        other => panic!("{other:?}"),
    }
}
