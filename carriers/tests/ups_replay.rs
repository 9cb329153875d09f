//! UPS: every public sample an implemented operation consumes, replayed to its unified
//! values; the requests built against the samples' shapes; and the adapter against its
//! simulator: rates domestic and international (USD from the US, INR from India, CAD
//! within Canada, with Canada's services, kilos and a Mississauga hub), a
//! booking with its GIF label wrapped in a PDF and its ZPL, customs and the commercial
//! invoice, multi-piece, void, tracking through the journey and its detours, lookup by
//! reference, label recovery, returns, pickups, address validation, Track Alert pushes.
//! Every code in status-codes.csv and in the samples must be mapped.

mod common;

use carriers::families::{
    AddressClass, PickupLocation, PickupRequest, ReturnReason, ReturnRequest,
};
use carriers::schema::{
    Address, AddressInput, ChargeKind, DocumentKind, LabelFormat, RateRequest, RateRequestInput,
    ShipmentRef, ShipmentRequest, ShipmentRequestInput, Violations,
};
use carriers::simulator::Simulator;
use carriers::taxonomy::SubStatus;
use carriers::ups::{self, Ups, UpsSimulator};
use carriers::wire::HttpResponse;
use carriers::{Carrier, CarrierError, Transport};
use serde_json::{Value, json};

use common::{Scripted, SimTransport, block_on};

const CARRIER: &str = "ups";
const BASE: &str = "http://sim.test/sandbox/ups";

fn mapping() -> &'static carriers::mapping::Mapping {
    ups::mapping().unwrap()
}

fn ok(body: Vec<u8>) -> HttpResponse {
    HttpResponse::new(200, body)
}

fn adapter() -> Ups {
    Ups::new(&ups::simulator::sandbox_settings()).unwrap()
}

fn sim() -> (Ups, SimTransport<Box<UpsSimulator>>) {
    let t = SimTransport::new(Box::new(UpsSimulator::new()), BASE);
    (adapter(), t)
}

fn us_address(name: &str, line1: &str, city: &str, state: &str, zip: &str) -> Value {
    json!({"name": name, "phone": "+1 212 555 0100", "line1": line1, "city": city, "state": state, "postal_code": zip, "country": "US"})
}

fn us_shipment(zip: &str, parcels: Value, service: Option<&str>, format: &str) -> ShipmentRequest {
    let input: ShipmentRequestInput = serde_json::from_value(json!({
        "order_ref": "ORD-UPS-1",
        "carrier": "ups",
        "service": service,
        "from": us_address("Acme Supply", "500 W 33rd St", "New York", "NY", "10001"),
        "to": us_address("Jane Buyer", "1 Market St Apt 5", "San Francisco", "CA", zip),
        "parcels": parcels,
        "payment": {"mode": "prepaid"},
        "label_format": format,
    }))
    .unwrap();
    ShipmentRequest::parse(&input).expect("valid shipment request")
}

fn one_parcel() -> Value {
    json!([{"weight_g": 1000, "length_mm": 300, "width_mm": 200, "height_mm": 100, "description": "Books"}])
}

fn export(zip: &str, duties_payer: &str) -> ShipmentRequest {
    let input: ShipmentRequestInput = serde_json::from_value(json!({
        "order_ref": "ORD-EXP-1",
        "carrier": "ups",
        "from": {"name": "Kiran Exports", "phone": "+91 98765 43210", "line1": "12 Connaught Place",
                 "city": "New Delhi", "state": "Delhi", "postal_code": "110001", "country": "IN"},
        "to": us_address("Jane Buyer", "350 5th Ave", "New York", "NY", zip),
        "parcels": [{"weight_g": 1200, "declared_value": {"amount": 250000, "currency": "INR"}, "description": "Silk scarves"}],
        "payment": {"mode": "prepaid"},
        "customs": {"contents": "sale", "incoterm": "DAP", "duties_payer": duties_payer, "invoice_number": "INV-77",
                    "items": [{"description": "Silk scarf", "hs_code": "6214.10", "origin_country": "IN", "quantity": 2,
                               "unit_value": {"amount": 125000, "currency": "INR"}, "weight_g": 600}]},
    }))
    .unwrap();
    ShipmentRequest::parse(&input).expect("valid export")
}

fn rates_for(from: Value, to: Value, customs: Option<Value>) -> RateRequest {
    let mut body = json!({"from": from, "to": to, "parcels": [{"weight_g": 1400}], "payment": {"mode": "prepaid"}});
    if let Some(c) = customs {
        body["customs"] = c;
    }
    let input: RateRequestInput = serde_json::from_value(body).unwrap();
    RateRequest::parse(&input).expect("valid rate request")
}

fn delhi() -> Value {
    json!({"name": "Kiran", "phone": "+91 98765 43210", "line1": "12 Connaught Place", "city": "New Delhi", "state": "Delhi", "postal_code": "110001", "country": "IN"})
}

fn reference(shipment_id: &str, created: &carriers::schema::CreatedShipment) -> ShipmentRef {
    ShipmentRef {
        shipment_id: shipment_id.into(),
        order_ref: "ORD".into(),
        awb: Some(created.awb.clone()),
        carrier_refs: created.carrier_refs.clone(),
    }
}

// ---------------------------------------------------------------------------------------
// Samples
// ---------------------------------------------------------------------------------------

#[test]
fn the_rate_sample_quotes_negotiated_totals_with_transit_and_itemized_surcharges() {
    let Some(body) = common::sample(CARRIER, "rate_response.json") else {
        return;
    };
    let quotes = ups::parse_rate_response(&ok(body)).unwrap();
    let services: Vec<&str> = quotes.iter().map(|q| q.service.as_str()).collect();
    assert_eq!(services, ["14", "01", "13", "02", "11"]);
    let early = &quotes[0];
    // Negotiated with taxes: what the account is billed.
    assert_eq!(
        (early.total.amount, early.total.currency.as_str()),
        (34400, "CAD")
    );
    assert_eq!(early.service_name, "UPS Express Early");
    assert_eq!(early.transit_days, Some(1));
    assert_eq!(early.estimated_delivery.unwrap().to_string(), "2025-05-27");
    let freight = early
        .breakdown
        .iter()
        .find(|c| c.kind == ChargeKind::Freight)
        .unwrap();
    assert_eq!(freight.amount.amount, 25111);
    assert!(
        early
            .breakdown
            .iter()
            .any(|c| c.kind == ChargeKind::Tax && c.amount.amount == 1638)
    );
    let standard = &quotes[4];
    assert_eq!(
        (
            standard.transit_days,
            standard.estimated_delivery.unwrap().to_string()
        ),
        (Some(6), "2025-06-04".into())
    );
}

#[test]
fn every_rate_sample_reads_with_its_currency_and_shapes() {
    for (file, currency) in [
        ("rate_response_fr.json", "EUR"),
        ("rate_response_missing_amount.json", "CAD"),
        ("rate_response_with_total_charges.json", "CAD"),
    ] {
        let Some(body) = common::sample(CARRIER, file) else {
            return;
        };
        let quotes = ups::parse_rate_response(&ok(body)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(!quotes.is_empty(), "{file}");
        for q in &quotes {
            assert_eq!(q.total.currency.as_str(), currency, "{file}");
            assert!(q.total.amount > 0, "{file}");
        }
    }
    // A single ItemizedCharges object (not a list) is read as one line: the French
    // sample's fuel surcharge under negotiated rates.
    let body = common::sample(CARRIER, "rate_response_fr.json").unwrap();
    let express = ups::parse_rate_response(&ok(body)).unwrap().remove(0);
    assert_eq!(
        (express.service.as_str(), express.total.amount),
        ("07", 1813)
    );
    let fuel = express
        .breakdown
        .iter()
        .find(|c| c.kind == ChargeKind::FuelSurcharge)
        .unwrap();
    assert_eq!(fuel.amount.amount, 274);
    // Negotiated total without taxes where UPS gives none with them.
    let body = common::sample(CARRIER, "rate_response_with_total_charges.json").unwrap();
    let first = ups::parse_rate_response(&ok(body)).unwrap().remove(0);
    assert_eq!(first.total.amount, 6623);
}

#[test]
fn the_shipping_samples_book_even_when_the_label_is_a_png_nobody_asked_for() {
    for file in [
        "create_shipment_response.json",
        "create_return_shipment_response.json",
    ] {
        let Some(body) = common::sample(CARRIER, file) else {
            return;
        };
        let created =
            ups::parse_create_response(&ok(body), "01").unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(created.awb, "1ZXXXXXXXXXXXXXXXX", "{file}");
        assert!(created.labels.is_empty(), "{file}: a PNG is not kept");
        assert!(
            created.carrier_refs["label_error"].contains("PNG"),
            "{file}"
        );
        assert!(created.charged.is_some(), "{file}");
    }
    let body = common::sample(CARRIER, "create_shipment_response.json").unwrap();
    let created = ups::parse_create_response(&ok(body), "01").unwrap();
    // TotalChargesWithTaxes, in the currency UPS billed.
    let charged = created.charged.unwrap();
    assert_eq!((charged.amount, charged.currency.as_str()), (15542, "CAD"));
}

#[test]
fn the_documentation_example_of_a_booking_reads_without_inventing_values() {
    // UPS's reference example: every value is the word "string".
    let Some(body) = common::sample(CARRIER, "docs_example_create_shipment_response.json") else {
        return;
    };
    let created = ups::parse_create_response(&ok(body), "03").unwrap();
    assert_eq!(created.awb, "string");
    assert!(created.labels.is_empty() && created.documents.is_empty());
    assert!(created.carrier_refs.contains_key("label_error"));
    assert_eq!(created.charged, None, "no currency called \"string\"");
}

#[test]
fn the_void_and_pickup_samples_read() {
    let Some(body) = common::sample(CARRIER, "cancel_shipment_response.json") else {
        return;
    };
    assert!(
        ups::parse_void_response(&ok(body))
            .unwrap()
            .carrier_message
            .contains("Success")
    );
    let body = common::sample(CARRIER, "pickup_response.json").unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2024, 12, 15).unwrap();
    let pickup = ups::parse_pickup_response(&ok(body), date).unwrap();
    assert_eq!(pickup.pickup_id, "2929AONCALL02");
    assert!(
        pickup.carrier_message.contains("6.50 USD"),
        "{}",
        pickup.carrier_message
    );
    let body = common::sample(CARRIER, "pickup_cancel_response.json").unwrap();
    assert!(ups::parse_pickup_cancel_response(&ok(body)).is_ok());
}

#[test]
fn ups_errors_are_refusals_in_its_words() {
    for (file, status, code) in [
        ("pickup_error_response.json", 400, "9560131"),
        ("track_response_invalid_tracking_number.json", 400, "TV1002"),
        ("docs_example_error_response.json", 400, "250003"),
        ("document_upload_error_response.json", 400, "9590018"),
        ("track_response_auth_error.json", 401, "unauthorized"),
        ("auth_error_response.json", 401, "unauthorized"),
    ] {
        let Some(body) = common::sample(CARRIER, file) else {
            return;
        };
        let resp = HttpResponse::new(status, body);
        match ups::refusal(&resp) {
            CarrierError::Rejected {
                code: got,
                message,
                http_status,
            } => {
                assert_eq!((got.as_str(), http_status), (code, status), "{file}");
                assert!(!message.is_empty(), "{file}");
            }
            other => panic!("{file}: {other:?}"),
        }
    }
    let e = ups::refusal(&HttpResponse::new(503, "<html>down</html>"));
    assert!(matches!(e, CarrierError::Upstream { status: 503, .. }));
}

#[test]
fn the_token_sample_is_a_token_and_its_refusal_a_login_failure() {
    use carriers::kit::session::Login;
    let login = ups::UpsLogin::new("id", "secret");
    let Some(body) = common::sample(CARRIER, "auth_response.json") else {
        return;
    };
    let token = login.parse(&ok(body)).unwrap();
    assert_eq!(token.value, "access_token");
    assert_eq!(
        token.expires_in,
        Some(std::time::Duration::from_secs(14399))
    );
    let body = common::sample(CARRIER, "auth_error_response.json").unwrap();
    let e = login.parse(&HttpResponse::new(401, body)).unwrap_err();
    assert!(
        e.to_string().contains("Invalid Access License number"),
        "{e}"
    );
    // The client authenticates by Basic header, the secret marked.
    let request = login.request().unwrap();
    assert_eq!(
        request.header_value("authorization"),
        Some("Basic aWQ6c2VjcmV0")
    );
    assert!(request.secrets().iter().any(|s| s == "secret"));
}

#[test]
fn the_track_sample_maps_its_customs_release_in_utc() {
    let Some(body) = common::sample(CARRIER, "track_response.json") else {
        return;
    };
    let update = ups::parse_track_response(mapping(), &ok(body), "1Z023E2X0214323462").unwrap();
    let e = &update.events[0];
    assert_eq!(
        (e.carrier_code.as_str(), e.sub_status),
        ("X/SR", SubStatus::CustomsCleared)
    );
    // 07:13:56 in Wayne, New Jersey, in February: EST, UTC-5.
    assert_eq!(e.event_time, common::utc("2021-02-10T12:13:56Z"));
    assert_eq!(e.location.as_deref(), Some("Wayne, NJ, US"));
    let Some(body) = common::sample(CARRIER, "track_response_not_found.json") else {
        return;
    };
    let update = ups::parse_track_response(mapping(), &ok(body.clone()), "1Z1").unwrap();
    assert!(update.events.is_empty());
    assert_eq!(ups::parse_lookup_response(&ok(body), "sg_1").unwrap(), None);
}

#[test]
fn every_code_in_status_codes_csv_is_mapped() {
    let Some(csv) = common::sample(CARRIER, "status-codes.csv") else {
        return;
    };
    let rows = common::parse_csv(&String::from_utf8(csv).unwrap());
    let mut missing = Vec::new();
    for row in rows.iter().skip(1) {
        let (code, kind) = (&row[0], &row[2]);
        let kind = kind
            .split("type=")
            .nth(1)
            .and_then(|k| k.split(',').next())
            .unwrap();
        if ups::resolve(mapping(), kind, code).is_none()
            || mapping()
                .lookup("activity", &format!("{kind}/{code}"))
                .is_none()
        {
            missing.push(format!("{kind}/{code}"));
        }
    }
    assert!(missing.is_empty(), "unmapped: {missing:?}");
    assert!(rows.len() > 4);
}

#[test]
fn times_take_the_gmt_time_then_the_offset_then_the_place() {
    use carriers::ups::wire::Activity;
    let read =
        |v: Value| ups::activity_time(&serde_json::from_value::<Activity>(v).unwrap()).unwrap();
    let gmt = read(
        json!({"date": "20260310", "time": "080000", "gmtDate": "20260310", "gmtTime": "120000", "gmtOffset": "-04:00"}),
    );
    assert_eq!(gmt, common::utc("2026-03-10T12:00:00Z"));
    let offset = read(json!({"date": "20260310", "time": "080000", "gmtOffset": "-04:00"}));
    assert_eq!(offset, common::utc("2026-03-10T12:00:00Z"));
    // Chicago across the spring change (8 March 2026): CST, then CDT.
    let place = |date: &str| json!({"date": date, "time": "080000", "location": {"address": {"stateProvince": "IL", "countryCode": "US"}}});
    assert_eq!(read(place("20260307")), common::utc("2026-03-07T14:00:00Z"));
    assert_eq!(read(place("20260309")), common::utc("2026-03-09T13:00:00Z"));
    // Canada by province: Ontario is Eastern, Saskatchewan Central without daylight saving.
    let province = |p: &str| json!({"date": "20260701", "time": "080000", "location": {"address": {"stateProvince": p, "countryCode": "CA"}}});
    assert_eq!(read(province("ON")), common::utc("2026-07-01T12:00:00Z"));
    assert_eq!(read(province("SK")), common::utc("2026-07-01T14:00:00Z"));
    assert_eq!(read(province("BC")), common::utc("2026-07-01T15:00:00Z"));
}

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

fn body_of(request: &carriers::wire::HttpRequest) -> Value {
    serde_json::from_slice(request.body.as_deref().unwrap()).unwrap()
}

#[test]
fn the_create_request_has_the_samples_shape_in_pounds_and_inches() {
    let req = us_shipment("94105", one_parcel(), Some("03"), "pdf");
    let request = adapter().create_request("sg_shp_1", &req).unwrap();
    assert_eq!(request.path, "/api/shipments/v2409/ship");
    let body = body_of(&request);
    let s = &body["ShipmentRequest"]["Shipment"];
    let Some(sample) = common::sample(CARRIER, "create_shipment_request.json") else {
        return;
    };
    let sample: Value = serde_json::from_slice(&sample).unwrap();
    let t = &sample["ShipmentRequest"]["Shipment"];
    for key in [
        "Shipper",
        "ShipTo",
        "ShipFrom",
        "PaymentInformation",
        "Service",
        "Package",
        "ReferenceNumber",
    ] {
        assert!(t.get(key).is_some() && s.get(key).is_some(), "{key}");
    }
    assert_eq!(s["ReferenceNumber"]["Value"], "sg_shp_1");
    assert_eq!(s["Service"]["Code"], "03");
    assert_eq!(s["Shipper"]["ShipperNumber"], ups::SANDBOX_ACCOUNT);
    let p = &s["Package"][0];
    // 1000 g = 2.2046 lb, rounded up to 2.3; 300 mm = 11.81 in, rounded up to 11.9.
    assert_eq!(
        p["PackageWeight"],
        json!({"UnitOfMeasurement": {"Code": "LBS"}, "Weight": "2.3"})
    );
    assert_eq!(p["Dimensions"]["Length"], "11.9");
    assert_eq!(p["Dimensions"]["UnitOfMeasurement"]["Code"], "IN");
    assert_eq!(
        body["ShipmentRequest"]["LabelSpecification"]["LabelImageFormat"]["Code"],
        "GIF"
    );
    assert_eq!(s["ShipTo"]["Address"]["StateProvinceCode"], "CA");
    let zpl = us_shipment("94105", one_parcel(), None, "zpl");
    let body = body_of(&adapter().create_request("x", &zpl).unwrap());
    assert_eq!(
        body["ShipmentRequest"]["LabelSpecification"]["LabelImageFormat"]["Code"],
        "ZPL"
    );
    assert_eq!(
        body["ShipmentRequest"]["Shipment"]["Service"]["Code"], "03",
        "Ground by default"
    );
    let bad = us_shipment("94105", one_parcel(), Some("99"), "pdf");
    assert!(matches!(
        adapter().create_request("x", &bad),
        Err(CarrierError::Unsupported(_))
    ));
}

#[test]
fn an_export_carries_its_invoice_in_kilos_with_duties_billed_as_asked() {
    let req = export("10118", "sender");
    let body = body_of(&adapter().create_request("sg_exp", &req).unwrap());
    let s = &body["ShipmentRequest"]["Shipment"];
    let Some(sample) = common::sample(CARRIER, "create_shipment_request_international.json") else {
        return;
    };
    let sample: Value = serde_json::from_slice(&sample).unwrap();
    let forms = &s["ShipmentServiceOptions"]["InternationalForms"];
    let sample_forms =
        &sample["ShipmentRequest"]["Shipment"]["ShipmentServiceOptions"]["InternationalForms"];
    for key in [
        "FormType",
        "InvoiceNumber",
        "InvoiceDate",
        "ReasonForExport",
        "CurrencyCode",
        "Product",
        "Contacts",
    ] {
        assert!(
            sample_forms.get(key).is_some() && forms.get(key).is_some(),
            "{key}"
        );
    }
    assert_eq!(forms["Product"][0]["CommodityCode"], "621410");
    assert_eq!(forms["Product"][0]["OriginCountryCode"], "IN");
    assert_eq!(forms["Product"][0]["Unit"]["Value"], "1250.00");
    assert_eq!(
        (
            forms["TermsOfShipment"].as_str(),
            forms["CurrencyCode"].as_str()
        ),
        (Some("DAP"), Some("INR"))
    );
    assert_eq!(forms["InvoiceNumber"], "INV-77");
    assert_eq!(
        s["Package"][0]["PackageWeight"],
        json!({"UnitOfMeasurement": {"Code": "KGS"}, "Weight": "1.2"})
    );
    assert_eq!(
        s["Service"]["Code"], "65",
        "Worldwide Saver by default abroad"
    );
    let charges = s["PaymentInformation"]["ShipmentCharge"]
        .as_array()
        .unwrap();
    assert_eq!(charges[1]["Type"], "02");
    assert!(charges[1].get("BillShipper").is_some());
    let body = body_of(
        &adapter()
            .create_request("x", &export("10118", "recipient"))
            .unwrap(),
    );
    assert!(
        body["ShipmentRequest"]["Shipment"]["PaymentInformation"]["ShipmentCharge"][1]
            .get("BillReceiver")
            .is_some()
    );
    assert!(matches!(
        adapter().create_request("x", &export("10118", "third_party")),
        Err(CarrierError::Unsupported(_))
    ));
}

#[test]
fn the_rate_and_pickup_requests_have_the_samples_shapes() {
    let req = rates_for(
        us_address("A", "1 Main St", "New York", "NY", "10001"),
        us_address("B", "2 Main St", "Austin", "TX", "73301"),
        None,
    );
    let request = adapter().rate_request(&req).unwrap();
    assert_eq!(request.path, "/api/rating/v2409/Shoptimeintransit");
    let body = body_of(&request);
    let Some(sample) = common::sample(CARRIER, "rate_request.json") else {
        return;
    };
    let sample: Value = serde_json::from_slice(&sample).unwrap();
    assert_eq!(
        body["RateRequest"]["Request"]["RequestOption"],
        sample["RateRequest"]["Request"]["RequestOption"]
    );
    for key in [
        "Shipper",
        "ShipTo",
        "ShipFrom",
        "Package",
        "DeliveryTimeInformation",
        "ShipmentTotalWeight",
        "ShipmentRatingOptions",
    ] {
        assert!(body["RateRequest"]["Shipment"].get(key).is_some(), "{key}");
    }
    let pickup = pickup_request(chrono::Utc::now().date_naive().succ_opt().unwrap());
    let body = body_of(&adapter().pickup_request(&pickup).unwrap());
    let sample: Value =
        serde_json::from_slice(&common::sample(CARRIER, "pickup_request.json").unwrap()).unwrap();
    for key in [
        "PickupDateInfo",
        "PickupAddress",
        "PickupPiece",
        "Shipper",
        "PaymentMethod",
    ] {
        assert!(
            sample["PickupCreationRequest"].get(key).is_some()
                && body["PickupCreationRequest"].get(key).is_some(),
            "{key}"
        );
    }
    assert_eq!(
        body["PickupCreationRequest"]["PickupAddress"]["StateProvince"],
        "NY"
    );
}

fn pickup_request(date: chrono::NaiveDate) -> PickupRequest {
    let mut v = Violations::default();
    let input: AddressInput = serde_json::from_value(us_address(
        "Acme Dock",
        "500 W 33rd St",
        "New York",
        "NY",
        "10001",
    ))
    .unwrap();
    let address = Address::parse(&input, "/address", &mut v).unwrap();
    PickupRequest {
        location: "Acme Dock".into(),
        address,
        date,
        window: None,
        shipments: Vec::new(),
        packages: 3,
    }
}

// ---------------------------------------------------------------------------------------
// Against the simulator
// ---------------------------------------------------------------------------------------

#[test]
fn rates_are_in_dollars_at_home_and_rupees_from_india() {
    let (ups, t) = sim();
    let home = rates_for(
        us_address("A", "1 Main St", "New York", "NY", "10001"),
        us_address("B", "2 Main St", "Austin", "TX", "73301"),
        None,
    );
    let quotes = block_on(ups.rates(&t, &home)).unwrap();
    let services: Vec<&str> = quotes.iter().map(|q| q.service.as_str()).collect();
    assert_eq!(services, ["03", "12", "02", "01"]);
    assert!(quotes.iter().all(|q| q.total.currency.as_str() == "USD"
        && q.transit_days.is_some()
        && q.estimated_delivery.is_some()));
    let ground = &quotes[0];
    // 1400 g: three half-kilo slabs, $9.50 + 2 × $1.20, 15 % fuel.
    assert_eq!(ground.total.amount, 1190 + 179);
    assert!(
        ground
            .breakdown
            .iter()
            .any(|c| c.kind == ChargeKind::FuelSurcharge && c.amount.amount == 179)
    );
    let customs = json!({"contents": "sale", "incoterm": "DAP", "duties_payer": "recipient",
        "items": [{"description": "Silk scarf", "hs_code": "621410", "origin_country": "IN", "quantity": 1, "unit_value": {"amount": 200000, "currency": "INR"}, "weight_g": 1400}]});
    let abroad = rates_for(
        delhi(),
        us_address("B", "350 5th Ave", "New York", "NY", "10118"),
        Some(customs),
    );
    let quotes = block_on(ups.rates(&t, &abroad)).unwrap();
    assert_eq!(quotes.len(), 3);
    for q in &quotes {
        assert_eq!(q.total.currency.as_str(), "INR", "{q:?}");
        assert!(
            q.breakdown.iter().any(|c| c.kind == ChargeKind::Tax),
            "IGST on Indian origins"
        );
    }
    // Within India UPS books nothing: not serviceable, without a call.
    let before = t.ops().len();
    let india = rates_for(
        delhi(),
        json!({"name": "B", "phone": "+91 91234 56789", "line1": "1 MG Road", "city": "Bengaluru", "state": "Karnataka", "postal_code": "560001", "country": "IN"}),
        None,
    );
    assert!(block_on(ups.rates(&t, &india)).unwrap().is_empty());
    assert_eq!(t.ops().len(), before);
}

fn pdf_text_or_bytes_contain(pdf: &[u8], needle: &str) -> bool {
    String::from_utf8_lossy(pdf).contains(needle)
}

#[test]
fn a_booking_gets_the_gif_label_in_a_pdf_then_zpl_by_recovery_and_voids() {
    let (ups, t) = sim();
    let req = us_shipment("94105", one_parcel(), Some("02"), "pdf");
    let created = block_on(ups.create_shipment(&t, "sg_1", &req)).unwrap();
    assert!(
        created.awb.starts_with("1Z") && created.awb.len() == 18,
        "{}",
        created.awb
    );
    assert_eq!(created.service, "02");
    assert_eq!(created.labels.len(), 1);
    let pdf = &created.labels[0];
    assert_eq!(pdf.format, LabelFormat::Pdf);
    let doc = lopdf::Document::load_mem(&pdf.content).unwrap();
    assert_eq!(doc.get_pages().len(), 1);
    assert!(pdf_text_or_bytes_contain(&pdf.content, &created.awb));
    assert_eq!(created.charged.as_ref().unwrap().currency.as_str(), "USD");
    let shipment = reference("sg_1", &created);
    let zpl = block_on(ups.label(&t, &shipment, LabelFormat::Zpl)).unwrap();
    let zpl = String::from_utf8(zpl.content).unwrap();
    assert!(
        zpl.starts_with("^XA") && zpl.trim_end().ends_with("^XZ") && zpl.contains(&created.awb)
    );
    let again = block_on(ups.label(&t, &shipment, LabelFormat::Pdf)).unwrap();
    assert!(again.content.starts_with(b"%PDF-"));
    let outcome = block_on(ups.cancel(&t, &shipment)).unwrap();
    assert!(outcome.carrier_message.contains("Voided"));
    let update = block_on(ups.track(&t, &shipment)).unwrap();
    assert_eq!(
        update.events.last().unwrap().sub_status,
        SubStatus::LabelVoided
    );
}

#[test]
fn a_zpl_booking_keeps_ups_zpl_and_multi_piece_labels_join_in_order() {
    let (ups, t) = sim();
    let parcels = json!([{"weight_g": 800}, {"weight_g": 900}, {"weight_g": 700}]);
    let req = us_shipment("94105", parcels, None, "zpl");
    let created = block_on(ups.create_shipment(&t, "sg_multi", &req)).unwrap();
    let numbers: Vec<&str> = created.carrier_refs["tracking_numbers"]
        .split(',')
        .collect();
    assert_eq!(numbers.len(), 3);
    assert_eq!(numbers[0], created.awb);
    let zpl = String::from_utf8(created.labels[0].content.clone()).unwrap();
    assert_eq!(zpl.matches("^XA").count(), 3);
    let positions: Vec<usize> = numbers.iter().map(|n| zpl.find(n).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "pieces in order");
    let pdf = block_on(ups.label(&t, &reference("sg_multi", &created), LabelFormat::Pdf)).unwrap();
    let doc = lopdf::Document::load_mem(&pdf.content).unwrap();
    assert_eq!(doc.get_pages().len(), 3);
    for (page, number) in numbers.iter().enumerate() {
        let text = doc.extract_text(&[page as u32 + 1]).unwrap();
        assert!(text.contains(number), "page {page}: {text}");
    }
}

#[test]
fn an_export_from_india_books_with_the_commercial_invoice_and_clears_customs() {
    let (ups, t) = sim();
    let created = block_on(ups.create_shipment(&t, "sg_exp", &export("10118", "sender"))).unwrap();
    assert_eq!(created.service, "65");
    let invoice = created
        .documents
        .iter()
        .find(|d| d.kind == DocumentKind::CommercialInvoice)
        .unwrap();
    assert!(invoice.content.starts_with(b"%PDF-"));
    let text = lopdf::Document::load_mem(&invoice.content)
        .unwrap()
        .extract_text(&[1])
        .unwrap();
    assert!(
        text.contains("621410") && text.contains(&created.awb),
        "{text}"
    );
    assert_eq!(created.charged.as_ref().unwrap().currency.as_str(), "INR");
    let shipment = reference("sg_exp", &created);
    let (_, seen) = common::track_until(
        20,
        || subs(&block_on(ups.track(&t, &shipment)).unwrap()),
        |s| s == SubStatus::Delivered,
    );
    assert!(
        seen.contains(&SubStatus::CustomsProcessing) && seen.contains(&SubStatus::CustomsCleared),
        "{seen:?}"
    );
    // Delivered: the void period is over, in UPS's words.
    match block_on(ups.cancel(&t, &shipment)) {
        Err(CarrierError::Rejected { code, .. }) => assert_eq!(code, "190117"),
        other => panic!("{other:?}"),
    }
}

fn subs(update: &carriers::schema::TrackingUpdate) -> Vec<SubStatus> {
    update.events.iter().map(|e| e.sub_status).collect()
}

#[test]
fn the_journey_and_its_detours_map_through_the_adapter() {
    let (ups, t) = sim();
    let track = |order: &str, zip: &str| {
        let created =
            block_on(ups.create_shipment(&t, order, &us_shipment(zip, one_parcel(), None, "pdf")))
                .unwrap();
        let shipment = reference(order, &created);
        let mut last = Vec::new();
        for _ in 0..25 {
            let update = block_on(ups.track(&t, &shipment)).unwrap();
            for e in &update.events {
                assert_ne!(e.sub_status, SubStatus::Unmapped, "{e:?}");
            }
            let now = subs(&update);
            if now == last {
                break;
            }
            last = now;
        }
        last
    };
    common::assert_detours("941", track);
}

#[test]
fn a_lost_answer_is_found_by_reference_and_its_label_recovered() {
    let sim = std::sync::Arc::new(UpsSimulator::new());
    let t = SimTransport::new(sim.clone(), BASE);
    let ups = adapter();
    let shipment = ShipmentRef {
        shipment_id: "sg_lost".into(),
        order_ref: "O".into(),
        awb: None,
        carrier_refs: Default::default(),
    };
    assert_eq!(
        block_on(ups.lookup(&t, &shipment)).unwrap(),
        None,
        "nothing booked yet"
    );
    let created = block_on(ups.create_shipment(
        &t,
        "sg_lost",
        &us_shipment("94105", one_parcel(), None, "pdf"),
    ))
    .unwrap();
    let found = block_on(ups.lookup(&t, &shipment))
        .unwrap()
        .expect("found by reference");
    assert_eq!(found.awb, created.awb);
    let found_ref = ShipmentRef {
        awb: Some(found.awb.clone()),
        carrier_refs: found.carrier_refs.clone(),
        ..shipment.clone()
    };
    let label = block_on(ups.label(&t, &found_ref, LabelFormat::Pdf)).unwrap();
    assert!(pdf_text_or_bytes_contain(&label.content, &created.awb));
    // Booking again under the same reference answers the same booking.
    let again = block_on(ups.create_shipment(
        &t,
        "sg_lost",
        &us_shipment("94105", one_parcel(), None, "pdf"),
    ))
    .unwrap();
    assert_eq!(again.awb, created.awb);
    assert_eq!(sim.bookings(), 1);
}

#[test]
fn returns_pickups_and_addresses() {
    let (ups, t) = sim();
    let forward = us_shipment("94105", one_parcel(), None, "pdf");
    let ret = ReturnRequest {
        shipment_id: "sg_ret".into(),
        pickup: forward.to.clone(),
        deliver_to: forward.from.clone(),
        parcels: forward.parcels.clone(),
        service: None,
        reason: ReturnReason::Damaged,
        qc: None,
        customs: None,
    };
    let request = ups.return_request(&ret).unwrap();
    let sent = body_of(&request);
    assert_eq!(
        sent["ShipmentRequest"]["Shipment"]["ReturnService"]["Code"],
        "9"
    );
    // UPS's published return request: the same return service, and every part of a
    // shipment this one sends is there too, the buyer shipping from its own address.
    if let Some(sample) = common::sample(CARRIER, "create_return_shipment_request.json") {
        let sample: Value = serde_json::from_slice(&sample).unwrap();
        let (t, s) = (
            &sample["ShipmentRequest"]["Shipment"],
            &sent["ShipmentRequest"]["Shipment"],
        );
        assert_eq!(t["ReturnService"]["Code"], s["ReturnService"]["Code"]);
        for key in [
            "Shipper",
            "ShipTo",
            "ShipFrom",
            "PaymentInformation",
            "Service",
            "Package",
        ] {
            assert!(t.get(key).is_some() && s.get(key).is_some(), "{key}");
        }
        assert_eq!(s["ShipFrom"]["Address"]["PostalCode"], "94105");
    }
    let created = block_on(ups.returns().unwrap().create_return(&t, None, &ret)).unwrap();
    assert!(created.labels[0].content.starts_with(b"%PDF-"));
    let shipment = reference("sg_ret", &created);
    let (_, seen) = common::track_until(
        20,
        || subs(&block_on(ups.track(&t, &shipment)).unwrap()),
        |s| s == SubStatus::Delivered,
    );
    assert!(seen.contains(&SubStatus::PickedUp), "{seen:?}");

    let pickups = ups.pickups().unwrap();
    let location = PickupLocation {
        name: "Acme Dock".into(),
        address: pickup_request(chrono::Utc::now().date_naive()).address,
        working_hours: None,
    };
    let before = t.ops().len();
    let registered = block_on(pickups.register_location(&t, &location)).unwrap();
    assert_eq!(
        (registered.carrier_name.as_str(), registered.active),
        ("Acme Dock", true)
    );
    assert_eq!(t.ops().len(), before, "no call to register");
    let tomorrow = chrono::Utc::now().date_naive().succ_opt().unwrap();
    let scheduled = block_on(pickups.schedule(&t, &pickup_request(tomorrow))).unwrap();
    assert!(scheduled.pickup_id.starts_with("29"));
    assert!(block_on(pickups.cancel(&t, &scheduled)).is_ok());
    let yesterday = chrono::Utc::now().date_naive().pred_opt().unwrap();
    match block_on(pickups.schedule(&t, &pickup_request(yesterday))) {
        Err(CarrierError::Rejected { code, message, .. }) => assert_eq!(
            (code.as_str(), message.as_str()),
            ("9560131", "Invalid pickup date")
        ),
        other => panic!("{other:?}"),
    }

    let validation = ups.address_validation().unwrap();
    let mut v = Violations::default();
    let office = Address::parse(
        &serde_json::from_value(us_address(
            "A",
            "350 5th Ave Suite 300",
            "New York",
            "NY",
            "10118",
        ))
        .unwrap(),
        "/a",
        &mut v,
    )
    .unwrap();
    let verdict = block_on(validation.validate(&t, &office)).unwrap();
    assert!(verdict.deliverable);
    assert_eq!(verdict.classification, AddressClass::Commercial);
    assert_eq!(
        verdict.suggestion.unwrap().postal_code.as_str(),
        "10118-1234"
    );
    let home = Address::parse(
        &serde_json::from_value(us_address(
            "B",
            "1 Market St Apt 5",
            "San Francisco",
            "CA",
            "94105",
        ))
        .unwrap(),
        "/a",
        &mut v,
    )
    .unwrap();
    assert_eq!(
        block_on(validation.validate(&t, &home))
            .unwrap()
            .classification,
        AddressClass::Residential
    );
    let nowhere = Address::parse(
        &serde_json::from_value(us_address("C", "1 Nowhere Rd", "Austin", "TX", "73300")).unwrap(),
        "/a",
        &mut v,
    )
    .unwrap();
    assert!(
        !block_on(validation.validate(&t, &nowhere))
            .unwrap()
            .deliverable
    );
    let india = Address::parse(&serde_json::from_value(delhi()).unwrap(), "/a", &mut v).unwrap();
    assert!(matches!(
        block_on(validation.validate(&t, &india)),
        Err(CarrierError::Unsupported(_))
    ));
}

#[test]
fn a_refused_token_is_replaced_once_and_wrong_credentials_are_refused() {
    let sim = std::sync::Arc::new(UpsSimulator::new());
    let t = SimTransport::new(sim.clone(), BASE);
    let ups = adapter();
    let req = rates_for(
        us_address("A", "1 Main St", "New York", "NY", "10001"),
        us_address("B", "2 Main St", "Austin", "TX", "73301"),
        None,
    );
    block_on(ups.rates(&t, &req)).unwrap();
    assert_eq!(sim.expire_tokens(), 1);
    block_on(ups.rates(&t, &req)).unwrap();
    let logins = t
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, p)| p == ups::TOKEN_PATH)
        .count();
    assert_eq!(logins, 2, "one login, one more after the 401");
    let mut settings = ups::simulator::sandbox_settings();
    settings.insert("client_secret".into(), "wrong".into());
    let wrong = Ups::new(&settings).unwrap();
    match block_on(wrong.check_account(&t)) {
        Err(CarrierError::Rejected {
            http_status,
            message,
            ..
        }) => {
            assert_eq!(http_status, 401);
            assert!(message.contains("ClientId is Invalid"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(block_on(ups.check_account(&t)).is_ok());
    assert!(sim.bookings() == 0);
}

#[test]
fn track_alert_pushes_read_one_event_or_a_batch() {
    let body = common::fixture(CARRIER, "track_alert_push.json");
    let pushed = ups::parse_pushes(mapping(), &body).unwrap();
    assert_eq!(pushed.len(), 1);
    let e = &pushed[0].events[0];
    assert_eq!(
        (pushed[0].awb.as_str(), e.sub_status),
        ("1Z12345E0205271688", SubStatus::OutForDelivery)
    );
    assert_eq!(
        e.event_time,
        common::utc("2026-07-14T12:05:00Z"),
        "GMT time wins"
    );
    let batch = common::fixture(CARRIER, "track_alert_push_batch.json");
    let pushed = ups::parse_pushes(mapping(), &batch).unwrap();
    assert_eq!(pushed.len(), 2);
    // No GMT time: the local time in Atlanta, EDT in July.
    assert_eq!(
        pushed[1].events[0].event_time,
        common::utc("2026-07-15T18:30:00Z")
    );
    assert_eq!(pushed[1].events[0].sub_status, SubStatus::Delivered);
    assert!(ups::parse_pushes(mapping(), b"{}").is_err());
    let manifest = common::fixture(CARRIER, "track_alert_push_manifest.json");
    let pushed = ups::parse_pushes(mapping(), &manifest).unwrap();
    assert_eq!(pushed[0].awb, "1ZSG00010300000017", "trimmed");
    let e = &pushed[0].events[0];
    assert_eq!(
        (e.sub_status, e.event_time),
        (SubStatus::LabelCreated, common::utc("2026-03-02T04:12:30Z"))
    );
    let adapter = adapter();
    assert!(adapter.parse_webhook(&[], &body).is_ok());
}

#[test]
fn an_unknown_code_stays_unmapped() {
    let body = common::fixture(CARRIER, "track_unmapped_exception.json");
    let update = ups::parse_track_response(mapping(), &ok(body), "1Z12345E0205271688").unwrap();
    assert_eq!(update.events[0].sub_status, SubStatus::Unmapped);
    assert_eq!(update.events[0].carrier_code, "X/Q9");
}

#[test]
fn the_simulator_counts_one_booking_per_reference() {
    let sim = std::sync::Arc::new(UpsSimulator::new());
    let t = SimTransport::new(sim.clone(), BASE);
    let ups = adapter();
    let req = us_shipment("94105", one_parcel(), None, "pdf");
    block_on(ups.create_shipment(&t, "sg_a", &req)).unwrap();
    block_on(ups.create_shipment(&t, "sg_a", &req)).unwrap();
    block_on(ups.create_shipment(&t, "sg_b", &req)).unwrap();
    assert_eq!(sim.bookings(), 2);
    let _: &dyn Transport = &t;
}

/// A package UPS names no number for (found by fuzzing): no shipment of its own among
/// all the answer's packages, but the asked number's when tracking one.
#[test]
fn a_package_without_a_number_belongs_only_to_the_number_asked() {
    let body = json!({"trackResponse": {"shipment": [{"package": [{"activity": [{
        "date": "20260714", "time": "050750",
        "location": {"address": {"countryCode": "US"}},
        "status": {"type": "I", "code": "OR", "description": "Origin Scan"}}]}]}]}});
    let resp = ok(serde_json::to_vec(&body).unwrap());
    assert!(
        ups::parse_track_response_all(mapping(), &resp)
            .unwrap()
            .is_empty()
    );
    let one = ups::parse_track_response(mapping(), &resp, "1Z999AA10123456784").unwrap();
    assert_eq!(one.awb, "1Z999AA10123456784");
    assert_eq!(one.events.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Paperless documents and proof of delivery
// ---------------------------------------------------------------------------------------

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\n\x00\xff binary\n%%EOF";

fn paperless(kind: DocumentKind, content: &[u8]) -> carriers::families::DocumentUpload {
    carriers::families::DocumentUpload {
        kind,
        file_name: "sg_exp-commercial_invoice.pdf".into(),
        content_type: "application/pdf".into(),
        content: content.to_vec(),
        origin_country: "IN".into(),
        destination_country: "US".into(),
        booked_at: common::utc("2026-07-14T09:30:05Z"),
    }
}

#[test]
fn the_upload_samples_give_the_forms_history_id_then_the_push_or_ups_refusal() {
    use carriers::families::Documents;
    let (Some(token), Some(answer), Some(refused)) = (
        common::sample(CARRIER, "auth_response.json"),
        common::sample(CARRIER, "document_upload_response.json"),
        common::sample(CARRIER, "document_upload_error_response.json"),
    ) else {
        return;
    };
    let pushed = common::fixture(CARRIER, "paperless_push_response.json");
    let shipment = ShipmentRef {
        shipment_id: "sg_exp".into(),
        order_ref: "ORD".into(),
        awb: Some("1Z12345E0205271688".into()),
        carrier_refs: [
            (
                "shipment_identification_number".to_string(),
                "1Z12345E0205271688".to_string(),
            ),
            (
                "tracking_numbers".to_string(),
                "1Z12345E0205271688,1Z12345E0205271699".to_string(),
            ),
        ]
        .into(),
    };
    let t = Scripted::new([ok(token.clone()), ok(answer), ok(pushed)]);
    let uploaded = block_on(adapter().upload(
        &t,
        &shipment,
        &paperless(DocumentKind::CommercialInvoice, PDF),
    ))
    .unwrap();
    assert_eq!(uploaded.carrier_document_id, "2016-01-18-11.01.07.589501");
    let sent = t.sent();
    let (upload, push) = (&sent[1].1, &sent[2].1);
    assert_eq!(upload.path, "/api/paperlessdocuments/v2/upload");
    assert_eq!(
        upload.header_value("ShipperNumber"),
        Some(ups::simulator::SANDBOX_ACCOUNT)
    );
    let form = &body_of(upload)["UploadRequest"]["UserCreatedForm"][0];
    assert_eq!(form["UserCreatedFormDocumentType"], "002");
    assert_eq!(form["UserCreatedFormFileFormat"], "pdf");
    use base64::Engine;
    let file = base64::engine::general_purpose::STANDARD
        .decode(form["UserCreatedFormFile"].as_str().unwrap())
        .unwrap();
    assert_eq!(file, PDF);
    assert_eq!(push.path, "/api/paperlessdocuments/v2/image");
    let push = &body_of(push)["PushToImageRepositoryRequest"];
    assert_eq!(
        push["FormsHistoryDocumentID"]["DocumentID"],
        json!(["2016-01-18-11.01.07.589501"])
    );
    assert_eq!(push["ShipmentIdentifier"], "1Z12345E0205271688");
    assert_eq!(push["ShipmentType"], "1");
    assert_eq!(push["ShipmentDateAndTime"], "2026-07-14-09.30.05");
    assert_eq!(
        push["TrackingNumber"],
        json!(["1Z12345E0205271688", "1Z12345E0205271699"])
    );
    // The account lacks the forms functionality: UPS's refusal, and no push.
    let t = Scripted::new([ok(token), HttpResponse::new(400, refused)]);
    let result = block_on(adapter().upload(
        &t,
        &shipment,
        &paperless(DocumentKind::CustomsDeclaration, PDF),
    ));
    match result {
        Err(CarrierError::Rejected { code, message, .. }) => {
            assert_eq!(code, "9590018");
            assert!(message.contains("user generated forms"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(t.sent().len(), 2, "no push after a refused upload");
    assert_eq!(
        body_of(&t.sent()[1].1)["UploadRequest"]["UserCreatedForm"][0]["UserCreatedFormDocumentType"],
        "013"
    );
}

#[test]
fn the_pod_fixture_is_ups_letter_and_a_package_not_delivered_has_none() {
    let body = common::fixture(CARRIER, "track_response_pod.json");
    let doc =
        ups::parse_proof_of_delivery_response(&ok(body.clone()), "1Z12345E0205271688").unwrap();
    assert_eq!(doc.kind, DocumentKind::ProofOfDelivery);
    assert_eq!(doc.content_type, "text/html");
    assert!(
        String::from_utf8(doc.content)
            .unwrap()
            .contains("Received By: JSMITH")
    );
    let Some(sample) = common::sample(CARRIER, "track_response.json") else {
        return;
    };
    // UPS's kitchen-sink example asks for no POD: there is none to give.
    let inquiry: Value = serde_json::from_slice(&sample).unwrap();
    let number = inquiry["trackResponse"]["shipment"][0]["package"][0]["trackingNumber"]
        .as_str()
        .unwrap()
        .to_string();
    match ups::parse_proof_of_delivery_response(&ok(sample), &number) {
        Err(CarrierError::Rejected { code, .. }) => assert_eq!(code, "not_available"),
        other => panic!("{other:?}"),
    }
    if let Some(missing) = common::sample(CARRIER, "track_response_not_found.json") {
        let result = ups::parse_proof_of_delivery_response(&ok(missing), "1Z0000000000000000");
        assert!(
            matches!(result, Err(CarrierError::Rejected { .. })),
            "{result:?}"
        );
    }
    let garbage = json!({"trackResponse": {"shipment": [{"package": [{"trackingNumber": "1Z1",
        "deliveryInformation": {"pod": {"content": "bm90IGEgbGV0dGVy"}}}]}]}});
    let result =
        ups::parse_proof_of_delivery_response(&ok(garbage.to_string().into_bytes()), "1Z1");
    assert!(
        matches!(result, Err(CarrierError::BadResponse(_))),
        "{result:?}"
    );
}

#[test]
fn the_simulator_files_paperless_documents_and_gives_the_pod_once_delivered() {
    use carriers::families::Documents;
    let (ups, t) = sim();
    let created = block_on(ups.create_shipment(&t, "sg_pl", &export("10118", "sender"))).unwrap();
    let shipment = reference("sg_pl", &created);
    let first = block_on(ups.upload(
        &t,
        &shipment,
        &paperless(DocumentKind::CommercialInvoice, PDF),
    ))
    .unwrap();
    let second = block_on(ups.upload(
        &t,
        &shipment,
        &paperless(DocumentKind::CustomsDeclaration, PDF),
    ))
    .unwrap();
    assert_ne!(first.carrier_document_id, second.carrier_document_id);
    // A shipment number UPS never issued: the upload is kept, the push refused.
    let mut stranger = shipment.clone();
    stranger.awb = Some("1Z999999999999999".into());
    stranger.carrier_refs.clear();
    match block_on(ups.upload(
        &t,
        &stranger,
        &paperless(DocumentKind::CommercialInvoice, PDF),
    )) {
        Err(CarrierError::Rejected { code, message, .. }) => {
            assert_eq!(code, "9590012");
            assert!(message.contains("Forms History"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let too_big = vec![b'%'; ups::PAPERLESS_LIMIT_BYTES + 1];
    let calls = t.ops().len();
    assert!(matches!(
        block_on(ups.upload(
            &t,
            &shipment,
            &paperless(DocumentKind::CommercialInvoice, &too_big)
        )),
        Err(CarrierError::NotSent(_))
    ));
    assert!(matches!(
        block_on(ups.upload(&t, &shipment, &paperless(DocumentKind::Manifest, PDF))),
        Err(CarrierError::Unsupported(_))
    ));
    assert_eq!(t.ops().len(), calls, "refused unsent");
    // Proof of delivery: none before delivery, UPS's letter after.
    match block_on(ups.document(&t, &shipment, DocumentKind::ProofOfDelivery)) {
        Err(CarrierError::Rejected { code, .. }) => assert_eq!(code, "not_available"),
        other => panic!("{other:?}"),
    }
    common::track_until(
        25,
        || subs(&block_on(ups.track(&t, &shipment)).unwrap()),
        |s| s == SubStatus::Delivered,
    );
    let pod = block_on(ups.document(&t, &shipment, DocumentKind::ProofOfDelivery)).unwrap();
    assert_eq!(pod.content_type, "text/html");
    let letter = String::from_utf8(pod.content).unwrap();
    assert!(
        letter.contains(&created.awb) && letter.contains("Delivered On"),
        "{letter}"
    );
    assert_eq!(ups.kinds(), [DocumentKind::ProofOfDelivery]);
}

// ---------------------------------------------------------------------------------------
// Track Alert subscriptions
// ---------------------------------------------------------------------------------------

const PUSH_URL: &str = "http://127.0.0.1:8080/v1/carriers/ups/webhooks";

fn alerting(credential_key: &str) -> Ups {
    let mut settings = ups::simulator::sandbox_settings();
    settings.insert("track_alert_url".into(), PUSH_URL.into());
    settings.insert(credential_key.into(), "push-secret-1".into());
    Ups::new(&settings).unwrap()
}

#[test]
fn the_subscription_fixture_reads_and_settings_are_checked() {
    let body = common::fixture(CARRIER, "track_alert_subscription_response.json");
    let (valid, invalid) = ups::parse_track_alert_response(&ok(body)).unwrap();
    assert_eq!(
        (valid, invalid),
        (
            vec!["1Z12345E0205271688".to_string()],
            vec!["1Z12345E0205271699".to_string()]
        )
    );
    assert!(matches!(
        ups::parse_track_alert_response(&ok(b"{}".to_vec())),
        Err(CarrierError::BadResponse(_))
    ));
    let request = ups::track_alert_request(&["1Z1".into()], PUSH_URL, "push-secret-1").unwrap();
    assert_eq!(request.path, "/api/track/v1/subscription/standard/package");
    assert!(
        request.secrets().iter().any(|s| s == "push-secret-1"),
        "the credential is masked in logs"
    );
    let body = body_of(&request);
    assert_eq!(
        (
            &body["destination"]["url"],
            &body["destination"]["credential"]
        ),
        (&json!(PUSH_URL), &json!("push-secret-1"))
    );
    assert!(ups::track_alert_request(&[], PUSH_URL, "x").is_err());
    // The credential defaults to the webhook token the gateway checks; a URL without one,
    // or not HTTPS (loopback aside), does not build.
    let mut settings = ups::simulator::sandbox_settings();
    settings.insert(
        "track_alert_url".into(),
        "https://gw.example.com/v1/carriers/ups/webhooks".into(),
    );
    assert!(Ups::new(&settings).is_err(), "no credential");
    settings.insert("webhook_token".into(), "tok-1".into());
    assert!(Ups::new(&settings).is_ok());
    settings.insert(
        "track_alert_url".into(),
        "http://gw.example.com/hook".into(),
    );
    assert!(Ups::new(&settings).is_err(), "plain HTTP off loopback");
}

#[test]
fn bookings_subscribe_and_the_simulator_pushes_each_scan_once_with_the_credential() {
    let simulator = UpsSimulator::new();
    let t = SimTransport::new(&simulator, BASE);
    let ups = alerting("track_alert_credential");
    let parcels = json!([{"weight_g": 1000, "description": "Books"}, {"weight_g": 800, "description": "Books"}]);
    let created =
        block_on(ups.create_shipment(&t, "sg_ta", &us_shipment("10118", parcels, None, "pdf")))
            .unwrap();
    assert_eq!(created.carrier_refs["track_alert"], "subscribed");
    let packages: Vec<&str> = created.carrier_refs["tracking_numbers"]
        .split(',')
        .collect();
    assert_eq!(packages.len(), 2);
    let deliver = || -> Vec<Value> {
        let request = carriers::simulator::SimRequest::new(
            "POST",
            "/_track_alert/deliver",
            Vec::<(String, String)>::new(),
            Vec::new(),
            "",
        );
        let answer = simulator.handle(&request);
        let body: Value = serde_json::from_slice(&answer.body).unwrap();
        body["pushes"].as_array().unwrap().clone()
    };
    let mut seen = Vec::new();
    let mut pushed_numbers = std::collections::BTreeSet::new();
    for _ in 0..25 {
        for push in deliver() {
            assert_eq!(push["url"], PUSH_URL);
            assert_eq!(push["headers"]["credential"], "push-secret-1");
            let headers = [("credential".to_string(), "push-secret-1".to_string())];
            let body = serde_json::to_vec(&push["body"]).unwrap();
            let updates = ups.parse_webhook(&headers, &body).unwrap();
            assert_eq!(updates.len(), 1);
            pushed_numbers.insert(updates[0].awb.clone());
            if updates[0].awb == packages[0] {
                seen.extend(updates[0].events.iter().map(|e| e.sub_status));
            }
        }
        if seen.last() == Some(&SubStatus::Delivered) {
            break;
        }
    }
    assert_eq!(seen.last(), Some(&SubStatus::Delivered), "{seen:?}");
    assert_eq!(
        seen.iter().filter(|s| **s == SubStatus::Delivered).count(),
        1,
        "each scan pushed once: {seen:?}"
    );
    assert_eq!(
        pushed_numbers,
        packages.iter().map(|p| p.to_string()).collect()
    );
    assert!(deliver().is_empty(), "nothing left to push");
    // Without Track Alert settings nothing is subscribed.
    let plain = block_on(adapter().create_shipment(
        &t,
        "sg_plain",
        &us_shipment("10118", one_parcel(), None, "pdf"),
    ))
    .unwrap();
    assert!(!plain.carrier_refs.contains_key("track_alert"));
}

#[test]
fn a_failed_subscription_never_fails_or_repeats_the_booking() {
    let (Some(token), Some(booked)) = (
        common::sample(CARRIER, "auth_response.json"),
        common::sample(CARRIER, "create_shipment_response.json"),
    ) else {
        return;
    };
    for (status, refused) in [
        (500, "<html>Internal error</html>".to_string()),
        (400, json!({"response": {"errors": [{"code": "TA0002", "message": "destination url and credential are required"}]}}).to_string()),
    ] {
        let t = Scripted::new([ok(token.clone()), ok(booked.clone()), HttpResponse::new(status, refused)]);
        let created = block_on(alerting("webhook_token").create_shipment(&t, "sg_x", &us_shipment("10118", one_parcel(), None, "pdf"))).unwrap();
        assert_eq!(created.awb, "1ZXXXXXXXXXXXXXXXX");
        assert_eq!(created.carrier_refs["track_alert"], "failed");
        let ops: Vec<carriers::Operation> = t.sent().iter().map(|(op, _)| *op).collect();
        assert_eq!(
            ops,
            [carriers::Operation::Login, carriers::Operation::CreateShipment, carriers::Operation::Track],
            "booked once"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Within Canada
// ---------------------------------------------------------------------------------------

fn ca_address(name: &str, line1: &str, city: &str, province: &str, postal: &str) -> Value {
    json!({"name": name, "phone": "+1 613 555 0100", "line1": line1, "city": city, "state": province, "postal_code": postal, "country": "CA"})
}

fn ottawa() -> Value {
    ca_address("Maple Goods", "150 Elgin St", "Ottawa", "ON", "K2P 1L4")
}

fn ca_shipment(service: Option<&str>, zip: &str) -> ShipmentRequest {
    let input: ShipmentRequestInput = serde_json::from_value(json!({
        "order_ref": "ORD-UPS-CA",
        "carrier": "ups",
        "service": service,
        "from": ottawa(),
        "to": ca_address("Jean Buyer", "290 Bremner Blvd", "Toronto", "ON", zip),
        "parcels": one_parcel(),
        "payment": {"mode": "prepaid"},
        "label_format": "pdf",
    }))
    .unwrap();
    ShipmentRequest::parse(&input).expect("valid shipment request")
}

#[test]
fn within_canada_ups_quotes_its_canadian_services_in_cad_from_kilos() {
    let (ups, t) = sim();
    let req = rates_for(
        ottawa(),
        ca_address("B", "290 Bremner Blvd", "Toronto", "ON", "m5v3l9"),
        None,
    );
    let body = body_of(&ups.rate_request(&req).unwrap());
    let s = &body["RateRequest"]["Shipment"];
    assert_eq!(
        s["Package"][0]["PackageWeight"]["UnitOfMeasurement"]["Code"],
        "KGS"
    );
    assert_eq!(s["Package"][0]["PackageWeight"]["Weight"], "1.4");
    assert_eq!(s["ShipTo"]["Address"]["PostalCode"], "M5V3L9");
    assert_eq!(s["ShipTo"]["Address"]["StateProvinceCode"], "ON");
    assert_eq!(s["ShipFrom"]["Address"]["PostalCode"], "K2P1L4");

    let quotes = block_on(ups.rates(&t, &req)).unwrap();
    let services: Vec<&str> = quotes.iter().map(|q| q.service.as_str()).collect();
    assert_eq!(services, ["11", "02", "13", "01", "14"]);
    let names: Vec<&str> = quotes.iter().map(|q| q.service_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "UPS Standard",
            "UPS Expedited",
            "UPS Express Saver",
            "UPS Express",
            "UPS Express Early"
        ]
    );
    assert!(quotes.iter().all(|q| q.total.currency.as_str() == "CAD"
        && q.transit_days.is_some()
        && q.estimated_delivery.is_some()));
    // 1400 g: three half-kilo slabs, CAD 11.50 + 2 × 1.40, 15 % fuel.
    assert_eq!(quotes[0].total.amount, 1430 + 215);
}

#[test]
fn within_canada_ups_books_standard_by_default_and_tracks_through_mississauga() {
    let (ups, t) = sim();
    let created =
        block_on(ups.create_shipment(&t, "sg_ca_1", &ca_shipment(None, "M5V 3L9"))).unwrap();
    assert_eq!(created.service, "11");
    assert_eq!(created.charged.as_ref().unwrap().currency.as_str(), "CAD");
    assert!(created.labels[0].content.starts_with(b"%PDF-"));
    assert!(created.documents.is_empty(), "no invoice within Canada");
    let shipment = reference("sg_ca_1", &created);
    let zpl = block_on(ups.label(&t, &shipment, LabelFormat::Zpl)).unwrap();
    let zpl = String::from_utf8(zpl.content).unwrap();
    assert!(
        zpl.contains("UPS STANDARD") && zpl.contains("Toronto ON M5V3L9"),
        "{zpl}"
    );
    let mut update = block_on(ups.track(&t, &shipment)).unwrap();
    for _ in 0..20 {
        if update.events.last().unwrap().sub_status == SubStatus::Delivered {
            break;
        }
        update = block_on(ups.track(&t, &shipment)).unwrap();
    }
    assert_eq!(
        update.events.last().unwrap().sub_status,
        SubStatus::Delivered
    );
    let places: Vec<&str> = update
        .events
        .iter()
        .filter_map(|e| e.location.as_deref())
        .collect();
    assert!(
        places.iter().any(|p| p.contains("Mississauga")),
        "{places:?}"
    );
    assert!(
        !places.iter().any(|p| p.contains("Louisville")),
        "{places:?}"
    );
    for e in &update.events {
        assert_ne!(e.sub_status, SubStatus::Unmapped, "{e:?}");
        let lag = (chrono::Utc::now() - e.event_time).num_minutes().abs();
        assert!(
            lag < 60 * 24 * 30,
            "a scan time read in the wrong zone: {e:?}"
        );
    }
}

#[test]
fn within_canada_a_us_only_service_and_address_validation_are_refused_unsent() {
    let (ups, t) = sim();
    for us_only in ["03", "12", "59"] {
        let refused =
            block_on(ups.create_shipment(&t, "sg_ca_2", &ca_shipment(Some(us_only), "M5V 3L9")));
        assert!(
            matches!(refused, Err(CarrierError::Unsupported(_))),
            "{us_only}: {refused:?}"
        );
    }
    let express =
        block_on(ups.create_shipment(&t, "sg_ca_3", &ca_shipment(Some("01"), "M5V 3L9"))).unwrap();
    assert_eq!(express.service, "01");
    let before = t.ops().len();
    let input: AddressInput = serde_json::from_value(ottawa()).unwrap();
    let address = Address::parse(&input, "/address", &mut Violations::default()).unwrap();
    let validation = ups.address_validation().unwrap();
    let refused = block_on(validation.validate(&t, &address));
    assert!(
        matches!(refused, Err(CarrierError::Unsupported(m)) if m.contains("US and Puerto Rico"))
    );
    assert_eq!(t.ops().len(), before, "refused unsent");
}
