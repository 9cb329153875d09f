//! Replays USPS's public payloads (`../shared/carrier-samples/usps`) and the project's own
//! fixtures through the adapter's parsers, checks the requests built match the samples'
//! shapes and every status code is mapped, and drives the adapter against the USPS
//! simulator end to end.

mod common;

use std::sync::Arc;

use carriers::families::{AddressClass, PickupLocation, PickupRequest, ScheduledPickup};
use carriers::kit::session::{ClientAuth, ClientCredentials, Login};
use carriers::mapping::Mapping;
use carriers::schema::{
    Address, ChargeKind, Currency, Customs, CustomsItem, DutiesPayer, ExportReason, Incoterm,
    LabelFormat, Money, Parcel, Payment, Phone, PostalCode, RateRequest, ShipmentKind, ShipmentRef,
    ShipmentRequest,
};
use carriers::simulator::Simulator;
use carriers::taxonomy::{Status, SubStatus};
use carriers::usps::{self, Usps, UspsSimulator};
use carriers::wire::HttpResponse;
use carriers::{AccountCheck, Carrier, CarrierError, Operation};
use common::{Fault, SimTransport, block_on, parse_csv, utc};
use serde_json::Value;

const CARRIER: &str = "usps";
const SIM_ROOT: &str = "http://sim.test/sandbox/usps";

fn sample(file: &str, status: u16) -> Option<HttpResponse> {
    common::sample(CARRIER, file).map(|body| HttpResponse::new(status, body))
}

fn sample_json(file: &str) -> Option<Value> {
    common::sample(CARRIER, file).map(|b| serde_json::from_slice(&b).unwrap())
}

fn fixture(file: &str, status: u16) -> HttpResponse {
    HttpResponse::new(status, common::fixture(CARRIER, file))
}

fn mapping() -> &'static Mapping {
    usps::mapping().expect("mappings/usps.toml parses")
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

fn adapter() -> Usps {
    Usps::new(&(usps::spec().sandbox_settings)()).expect("sandbox settings build the adapter")
}

fn address(name: &str, line1: &str, city: &str, state: &str, zip: &str) -> Address {
    Address {
        name: name.into(),
        phone: Phone::parse("+1 212 555 0100", "US").unwrap(),
        email: Some("ops@example.com".into()),
        line1: line1.into(),
        line2: None,
        landmark: None,
        city: city.into(),
        state: Some(state.into()),
        postal_code: PostalCode::parse(zip, "US").unwrap(),
        country: "US".into(),
    }
}

fn from() -> Address {
    address(
        "Tall Tom",
        "1098 N Fraser Street",
        "Georgetown",
        "SC",
        "29440",
    )
}

fn to(zip: &str) -> Address {
    address(
        "Lina Smith",
        "1309 S Agnew Avenue",
        "Oklahoma City",
        "OK",
        zip,
    )
}

fn parcel(weight_g: u32) -> Parcel {
    Parcel {
        weight_g,
        length_mm: Some(300),
        width_mm: Some(200),
        height_mm: Some(100),
        declared_value: None,
        description: Some("Books".into()),
    }
}

fn rate_request(to: Address) -> RateRequest {
    RateRequest {
        from: from(),
        to,
        parcels: vec![parcel(500)],
        payment: Payment::Prepaid,
        carriers: None,
        selection: Default::default(),
        customs: None,
    }
}

fn shipment(to: Address, service: &str, format: LabelFormat) -> ShipmentRequest {
    ShipmentRequest {
        items: Vec::new(),
        order_ref: "ORD-1".into(),
        carrier: CARRIER.into(),
        service: Some(service.into()),
        from: from(),
        to,
        parcels: vec![parcel(500)],
        payment: Payment::Prepaid,
        label_format: format,
        kind: ShipmentKind::Forward,
        selection: Default::default(),
        customs: None,
        returning: None,
    }
}

/// Every key of `ours` (recursively, arrays by their first item) is a key the sample has
/// at the same place: the request is in USPS's shape.
fn same_shape(ours: &Value, theirs: &Value, at: &str) {
    match (ours, theirs) {
        (Value::Object(o), Value::Object(t)) => {
            for (key, value) in o {
                let there = t
                    .get(key)
                    .unwrap_or_else(|| panic!("{at}.{key} is not in USPS's sample: {theirs}"));
                same_shape(value, there, &format!("{at}.{key}"));
            }
        }
        (Value::Array(o), Value::Array(t)) => {
            if let (Some(o), Some(t)) = (o.first(), t.first()) {
                same_shape(o, t, &format!("{at}[0]"));
            }
        }
        _ => {}
    }
}

/// `a` with `b`'s keys added where `a` lacks them (objects merged deeply): a request's
/// shape as USPS's samples and documented examples show it between them.
fn merged(a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let mut out = a.clone();
            for (k, v) in b {
                let joined = match a.get(k) {
                    Some(mine) => merged(mine, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), joined);
            }
            Value::Object(out)
        }
        (Value::Array(a), Value::Array(b)) if !a.is_empty() && !b.is_empty() => {
            Value::Array(vec![merged(&a[0], &b[0])])
        }
        _ => a.clone(),
    }
}

fn body_of(request: &carriers::wire::HttpRequest) -> Value {
    serde_json::from_slice(request.body.as_deref().unwrap()).unwrap()
}

// ---------------------------------------------------------------------------------------
// Public samples

#[test]
fn the_token_answer_gives_the_token_and_its_life() {
    let Some(resp) = sample("auth_response.json", 200) else {
        return;
    };
    let login = ClientCredentials {
        token_path: usps::TOKEN_PATH.into(),
        client_id: "id".into(),
        client_secret: "secret".into(),
        scope: None,
        auth: ClientAuth::Form,
    };
    let token = login.parse(&resp).unwrap();
    assert_eq!(token.value, "access_token");
    assert_eq!(
        token.expires_in,
        Some(std::time::Duration::from_secs(14399))
    );
    let body = String::from_utf8(login.request().unwrap().body.unwrap()).unwrap();
    assert!(body.contains("client_id=id") && body.contains("client_secret=secret"));
}

#[test]
fn the_rate_sample_quotes_each_mail_class_once_without_flat_rate_packaging() {
    let Some(resp) = sample("rate_response.json", 200) else {
        return;
    };
    let quotes = usps::parse_options_response(&resp).unwrap();
    let got: Vec<(&str, String, Option<u32>, Option<String>)> = quotes
        .iter()
        .map(|q| {
            (
                q.service.as_str(),
                q.total.to_major_string(),
                q.transit_days,
                q.estimated_delivery.map(|d| d.to_string()),
            )
        })
        .collect();
    let day = |d: &str| Some(d.to_string());
    assert_eq!(
        got,
        [
            ("LIBRARY_MAIL", "42.74".into(), Some(7), day("2025-06-06")),
            (
                "PRIORITY_MAIL_EXPRESS",
                "457.30".into(),
                Some(2),
                day("2025-05-31")
            ),
            ("PRIORITY_MAIL", "184.00".into(), Some(2), day("2025-06-02")),
            (
                "USPS_GROUND_ADVANTAGE",
                "151.85".into(),
                Some(4),
                day("2025-06-03")
            ),
            ("MEDIA_MAIL", "45.13".into(), Some(7), day("2025-06-06")),
        ]
    );
    for q in &quotes {
        assert_eq!(q.total.currency.as_str(), "USD");
        assert_eq!(q.carrier, CARRIER);
        assert_eq!(q.breakdown[0].kind, ChargeKind::Freight);
    }
    assert_eq!(quotes[0].service_name, "Library Mail");
    assert_eq!(quotes[3].service_name, "USPS Ground Advantage");
}

#[test]
fn the_international_rate_sample_reads_in_the_same_shape() {
    // The options search answers abroad in the domestic shape, read the same way; the
    // request names the country and its postal code as the answer echoes them.
    let Some(resp) = sample("international_rate_response.json", 200) else {
        return;
    };
    let echoed = sample_json("international_rate_response.json").unwrap();
    let mut abroad = rate_request(india());
    abroad.to.country = echoed["destinationCountryCode"].as_str().unwrap().into();
    abroad.to.postal_code =
        PostalCode::parse(echoed["foreignPostalCode"].as_str().unwrap(), "GB").unwrap();
    abroad.to.state = None;
    abroad.from.postal_code =
        PostalCode::parse(echoed["originZIPCode"].as_str().unwrap(), "US").unwrap();
    abroad.to.phone = Phone::parse("+44 20 7946 0000", "GB").unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let request = usps::options_request(&abroad, None, date).unwrap();
    let ours = body_of(&request);
    for key in [
        "originZIPCode",
        "destinationCountryCode",
        "foreignPostalCode",
    ] {
        assert_eq!(ours[key], echoed[key], "{key}");
    }
    assert!(ours.get("destinationZIPCode").is_none());
    let quotes = usps::parse_options_response(&resp).unwrap();
    assert_eq!(quotes.len(), 1);
    assert_eq!(
        quotes[0].service,
        "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE"
    );
    assert_eq!(quotes[0].total.to_major_string(), "31.95");
    assert_eq!(quotes[0].transit_days, None);
}

#[test]
fn the_rate_request_has_the_samples_shape() {
    let Some(theirs) = sample_json("rate_request.json") else {
        return;
    };
    let account = carriers::usps::wire::UspsPaymentAccount {
        account_type: "EPS".into(),
        account_number: "1000405525".into(),
    };
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let request = usps::options_request(&rate_request(to("73108")), Some(account), date).unwrap();
    assert_eq!(request.path, "/shipments/v3/options/search");
    let ours = body_of(&request);
    same_shape(&ours, &theirs[0], "options");
    // 500 g is 1.11 lb (rounded up), 300 mm 11.9 in.
    assert_eq!(ours["packageDescription"]["weight"], 1.11);
    assert_eq!(ours["packageDescription"]["length"], 11.9);
    assert_eq!(ours["originZIPCode"], "29440");
    assert_eq!(ours["pricingOptions"][0]["priceType"], "COMMERCIAL");
}

#[test]
fn the_label_request_has_the_samples_shape_and_prints_the_shipment_id() {
    let Some(theirs) = sample_json("create_label_request.json") else {
        return;
    };
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let mut req = shipment(to("73108-2438"), "PRIORITY_MAIL", LabelFormat::Zpl);
    req.to.line2 = Some("Apt 303".into());
    let request = usps::label_request("sg_123", &req, "PRIORITY_MAIL", "pay-tok", date).unwrap();
    assert_eq!(request.header_value(usps::PAYMENT_HEADER), Some("pay-tok"));
    assert!(request.secrets().iter().any(|s| s == "pay-tok"));
    let ours = body_of(&request);
    // The sample's addresses, with the fields USPS documents for addresses besides.
    let documented = sample_json("docs_example_label_response_metadata.json").unwrap();
    let address = &documented["labelMetadata"]["labelAddress"];
    let theirs = merged(
        &theirs[0],
        &serde_json::json!({"toAddress": address, "fromAddress": address}),
    );
    same_shape(&ours, &theirs, "label");
    let package = &ours["packageDescription"];
    assert_eq!(package["customerReference"][0]["referenceNumber"], "sg_123");
    assert_eq!(package["weightUOM"], "lb");
    assert_eq!(package["processingCategory"], "MACHINABLE");
    assert_eq!(ours["imageInfo"]["imageType"], "ZPL203DPI");
    assert_eq!(ours["toAddress"]["ZIPCode"], "73108");
    assert_eq!(ours["toAddress"]["ZIPPlus4"], "2438");
    assert_eq!(ours["toAddress"]["secondaryAddress"], "Apt 303");
    assert_eq!(ours["toAddress"]["firstName"], "Lina");
    assert_eq!(ours["toAddress"]["lastName"], "Smith");
    assert_eq!(ours["toAddress"]["phone"], "2125550100");
}

#[test]
fn the_multipart_label_sample_books_a_pdf_label_with_its_postage() {
    let Some(resp) = sample("create_label_response_multipart.txt", 200) else {
        return;
    };
    let created =
        usps::parse_label_response(&resp, LabelFormat::Pdf, "LIBRARY_MAIL", Default::default())
            .unwrap();
    assert_eq!(created.awb, "9234690361980900000142");
    assert_eq!(created.routing_code.as_deref(), Some("42073108"));
    assert_eq!(created.charged.as_ref().unwrap().to_major_string(), "18.76");
    assert_eq!(created.labels.len(), 1);
    assert!(created.labels[0].content.starts_with(b"%PDF"));
    // Asked for ZPL, a PDF is USPS sending the wrong thing: refused, not stored.
    let wrong =
        usps::parse_label_response(&resp, LabelFormat::Zpl, "LIBRARY_MAIL", Default::default());
    assert!(
        matches!(wrong, Err(CarrierError::BadResponse(_))),
        "{wrong:?}"
    );
}

#[test]
fn the_documented_json_label_answer_reads_its_metadata() {
    let Some(resp) = sample("docs_example_label_response_metadata.json", 200) else {
        return;
    };
    let (metadata, image) = usps::parse_label_parts(&resp).unwrap();
    assert_eq!(metadata.tracking_number.get(), Some("string"));
    assert_eq!(image.as_deref(), Some("string"));
    // "string" is no label: the booking answer is unreadable, never stored as a label.
    let created =
        usps::parse_label_response(&resp, LabelFormat::Pdf, "PRIORITY_MAIL", Default::default());
    assert!(matches!(created, Err(CarrierError::BadResponse(_))));
}

#[test]
fn the_cancel_sample_is_a_cancelled_label() {
    let Some(resp) = sample("cancel_label_response.json", 200) else {
        return;
    };
    let outcome = usps::parse_cancel_response(&resp).unwrap();
    assert!(outcome.carrier_message.contains("9234690361980900000142"));
    assert!(outcome.carrier_message.contains("CANCELED"));
    let (code, message, _) =
        rejected(usps::parse_cancel_response(&fixture("cancel_refused.json", 200)).unwrap_err());
    assert_eq!(code, "cancel_refused");
    assert!(message.contains("REJECTED"), "{message}");
}

fn assert_sample_journey(update: &carriers::schema::TrackingUpdate) {
    let codes: Vec<&str> = update
        .events
        .iter()
        .map(|e| e.carrier_code.as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "GX", "03", "SF", "10", "T1", "TL", "TL", "TL", "A1", "07", "OF", "01"
        ]
    );
    let subs: Vec<SubStatus> = update.events.iter().map(|e| e.sub_status).collect();
    use SubStatus::*;
    assert_eq!(
        subs,
        [
            LabelCreated,
            PickedUp,
            DepartedFacility,
            ArrivedAtFacility,
            DepartedFacility,
            InTransit,
            InTransit,
            InTransit,
            ArrivedAtFacility,
            ReachedDestinationHub,
            OutForDelivery,
            Delivered
        ]
    );
    // The GMT timestamp, not the local wall time, is the instant.
    assert_eq!(update.events[0].event_time, utc("2024-11-15T16:32:33Z"));
    let last = update.events.last().unwrap();
    assert_eq!(last.event_time, utc("2024-11-22T18:58:40Z"));
    assert!(last.terminal);
    assert_eq!(last.location.as_deref(), Some("HERNANDO FL 34442"));
    assert_eq!(last.carrier_status, "Delivered, Parcel Locker");
}

#[test]
fn the_tracking_samples_replay_to_delivered_in_utc() {
    let Some(resp) = sample("track_response.json", 200) else {
        return;
    };
    let update = usps::parse_track_response(mapping(), &resp, "89108749065090").unwrap();
    assert_sample_journey(&update);
    // The documentation's list: the same journey under its number, and the schema's
    // placeholder item, whose "string" code is kept unmapped (it is no USPS code).
    let docs = sample("docs_example_track_response.json", 200).unwrap();
    let update = usps::parse_track_response(mapping(), &docs, "9400109104250532908587").unwrap();
    assert_sample_journey(&update);
    assert_eq!(update.awb, "9400109104250532908587");
    let placeholder = usps::parse_track_response(mapping(), &docs, "string").unwrap();
    assert_eq!(placeholder.events[0].sub_status, SubStatus::Unmapped);
    assert_eq!(
        placeholder.events[0].event_time,
        utc("2024-04-04T14:03:12.041Z")
    );
    let request = usps::track_request("89108749065090").unwrap();
    assert_eq!(request.path, "/tracking/v3/tracking/89108749065090");
    assert_eq!(
        request.query,
        [("expand".to_string(), "DETAIL".to_string())]
    );
    let listed = sample_json("track_request.json").unwrap();
    assert_eq!(listed[0], "89108749065090");
}

#[test]
fn usps_errors_are_refusals_in_its_words() {
    let Some(resp) = sample("track_response_error.json", 400) else {
        return;
    };
    let (code, message, status) =
        rejected(usps::parse_track_response(mapping(), &resp, "X1").unwrap_err());
    assert_eq!(
        (code.as_str(), message.as_str(), status),
        ("string", "string", 400)
    );
    let docs = sample("docs_example_error_response.json", 404).unwrap();
    assert!(matches!(
        usps::parse_cancel_response(&docs),
        Err(CarrierError::Rejected {
            http_status: 404,
            ..
        })
    ));
    let auth = sample("track_response_auth_error.json", 401).unwrap();
    let (code, message, _) =
        rejected(usps::parse_track_response(mapping(), &auth, "X1").unwrap_err());
    assert_eq!(code, "unauthorized");
    assert!(
        message.contains("Client authentication failed"),
        "{message}"
    );
    let (code, message, _) = rejected(
        usps::parse_track_response(mapping(), &fixture("track_not_found.json", 404), "X1")
            .unwrap_err(),
    );
    assert_eq!(code, "TRACKING_NUMBER_NOT_FOUND");
    assert!(
        message.starts_with("Not Found: A status update"),
        "{message}"
    );
    // A 5xx may have happened.
    let upstream = usps::parse_track_response(mapping(), &HttpResponse::new(503, "<html>"), "X1");
    assert!(matches!(upstream, Err(CarrierError::Upstream { .. })));
}

#[test]
fn the_pickup_samples_schedule_a_pickup_and_the_request_has_their_shape() {
    let Some(resp) = sample("pickup_response.json", 200) else {
        return;
    };
    let asked = chrono::NaiveDate::from_ymd_opt(2019, 8, 20).unwrap();
    let pickup = usps::parse_pickup_response(&resp, Some(asked)).unwrap();
    assert_eq!(pickup.pickup_id, "string");
    assert_eq!(pickup.date.to_string(), "2019-08-24");
    let ours =
        usps::parse_pickup_response(&fixture("pickup_response.json", 200), Some(asked)).unwrap();
    assert_eq!(
        (ours.pickup_id.as_str(), ours.date.to_string()),
        ("WTC123456789", "2026-03-03".into())
    );

    let theirs = sample_json("pickup_request.json").unwrap();
    let documented = sample_json("pickup_response.json").unwrap();
    let theirs = merged(&theirs, &documented["carrierPickupRequest"]);
    let mut refs = std::collections::BTreeMap::new();
    refs.insert(
        usps::REF_MAIL_CLASS.to_string(),
        "PRIORITY_MAIL".to_string(),
    );
    let booked = |id: &str| ShipmentRef {
        shipment_id: id.into(),
        order_ref: id.into(),
        awb: Some("9200190100000000000017".into()),
        carrier_refs: refs.clone(),
    };
    let request = PickupRequest {
        location: "Main".into(),
        address: from(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
        window: None,
        shipments: vec![booked("a"), booked("b"), ShipmentRef::default()],
        packages: 4,
    };
    let built = usps::pickup_request(&request).unwrap();
    let ours = body_of(&built);
    same_shape(&ours, &theirs, "pickup");
    assert_eq!(ours["pickupDate"], "2026-03-03");
    assert_eq!(
        ours["packages"],
        serde_json::json!([
            {"packageType": "PRIORITY_MAIL", "packageCount": 2},
            {"packageType": "OTHER", "packageCount": 2}
        ])
    );
    let cancel = usps::cancel_pickup_request("WTC123456789").unwrap();
    assert_eq!(cancel.method, carriers::wire::Method::Delete);
    assert_eq!(cancel.path, "/pickup/v3/carrier-pickup/WTC123456789");
}

#[test]
fn the_scan_form_samples_make_a_manifest_and_the_request_has_their_shape() {
    let Some(resp) = sample("scan_form_response.json", 200) else {
        return;
    };
    let manifest = usps::parse_scan_form_response(&resp).unwrap();
    assert_eq!(manifest.manifest_id, "string");
    assert_eq!(manifest.awbs, ["string"]);
    let theirs = sample_json("scan_form_request.json").unwrap();
    let req = shipment(to("73108"), "PRIORITY_MAIL", LabelFormat::Pdf);
    let refs = [
        (usps::REF_FROM_ZIP, "29440"),
        (usps::REF_FROM_STREET, "1098 N Fraser Street"),
        (usps::REF_FROM_CITY, "Georgetown"),
        (usps::REF_FROM_STATE, "SC"),
        (usps::REF_FROM_NAME, "Tall Tom"),
    ];
    let refs: std::collections::BTreeMap<String, String> = refs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let label = ShipmentRef {
        shipment_id: "sg_1".into(),
        order_ref: req.order_ref.clone(),
        awb: Some("794947717776".into()),
        carrier_refs: refs.clone(),
    };
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let documented = sample_json("scan_form_response.json").unwrap();
    let theirs = merged(&theirs, &documented["SCANFormMetadata"]);
    let ours = body_of(&usps::scan_form_request(std::slice::from_ref(&label), date).unwrap());
    same_shape(&ours, &theirs, "scan form");
    assert_eq!(
        ours["shipment"]["trackingNumbers"],
        serde_json::json!(["794947717776"])
    );
    assert_eq!(ours["entryFacilityZIPCode"], "29440");
    // Labels from another origin ZIP need their own form.
    let mut elsewhere = label.clone();
    elsewhere
        .carrier_refs
        .insert(usps::REF_FROM_ZIP.into(), "10001".into());
    let err = usps::scan_form_request(&[label, elsewhere], date).unwrap_err();
    assert!(err.to_string().contains("one origin ZIP"), "{err}");
}

#[test]
fn every_code_in_status_codes_csv_is_mapped_where_it_belongs() {
    let Some(csv) = common::sample(CARRIER, "status-codes.csv") else {
        return;
    };
    let rows = parse_csv(&String::from_utf8(csv).unwrap());
    let mut read = 0;
    for row in rows.iter().skip(1) {
        let code = &row[0];
        assert_eq!(row[2], "trackingEvents[].eventCode", "{row:?}");
        let unified = mapping()
            .lookup(usps::EVENT_CODES, code)
            .unwrap_or_else(|| panic!("status-codes.csv code {code} is not mapped"));
        let expected = match code.as_str() {
            "01" => SubStatus::Delivered,
            "03" => SubStatus::PickedUp,
            "07" => SubStatus::ReachedDestinationHub,
            "10" | "A1" => SubStatus::ArrivedAtFacility,
            "GX" => SubStatus::LabelCreated,
            "OF" => SubStatus::OutForDelivery,
            "SF" | "T1" => SubStatus::DepartedFacility,
            "TL" => SubStatus::InTransit,
            other => panic!("status-codes.csv has a code this test does not know: {other}"),
        };
        assert_eq!(unified.sub_status, expected, "{code}");
        read += 1;
    }
    assert_eq!(read, 10);
}

// ---------------------------------------------------------------------------------------
// The project's fixtures

#[test]
fn a_return_to_sender_is_resolved_as_the_way_back_and_times_follow_the_zone_rule() {
    let resp = fixture("track_returned_to_sender.json", 200);
    let update = usps::parse_track_response(mapping(), &resp, "9200190100000000000031").unwrap();
    let got: Vec<(&str, SubStatus, String)> = update
        .events
        .iter()
        .map(|e| {
            (
                e.carrier_code.as_str(),
                e.sub_status,
                e.event_time.to_rfc3339(),
            )
        })
        .collect();
    use SubStatus::*;
    assert_eq!(
        got,
        [
            // Mountain Standard Time before the 8 March 2026 change…
            ("GX", LabelCreated, "2026-03-03T16:00:00+00:00".into()),
            ("03", PickedUp, "2026-03-04T00:30:00+00:00".into()),
            ("OF", OutForDelivery, "2026-03-06T14:00:00+00:00".into()),
            (
                "02",
                CustomerUnavailable,
                "2026-03-06T20:05:00+00:00".into()
            ),
            ("09", RtoInitiated, "2026-03-09T22:20:00+00:00".into()),
            ("TL", RtoInTransit, "2026-03-11T04:40:00+00:00".into()),
            // …the offset given (-06:00), then the state's zone alone (Denver, now MDT).
            ("OF", RtoOutForDelivery, "2026-03-13T13:02:00+00:00".into()),
            ("01", RtoDelivered, "2026-03-13T16:15:00+00:00".into()),
        ]
    );
    assert!(update.events[3].action_required);
    assert_eq!(update.events[3].status, Status::DeliveryFailed);
    assert!(update.events.last().unwrap().terminal);
}

#[test]
fn exceptions_land_where_they_belong_in_a_list_answer() {
    let resp = fixture("track_exceptions.json", 200);
    let update = usps::parse_track_response(mapping(), &resp, "9200190100000000000048").unwrap();
    let got: Vec<(&str, SubStatus)> = update
        .events
        .iter()
        .map(|e| (e.carrier_code.as_str(), e.sub_status))
        .collect();
    use SubStatus::*;
    assert_eq!(
        got,
        [
            ("11", Lost),
            ("04", Refused),
            ("08", Misrouted),
            ("16", AtPickupPoint)
        ]
    );
    // Arizona keeps standard time in July: 09:30 there is 16:30 UTC.
    assert_eq!(update.events[3].event_time, utc("2026-07-02T16:30:00Z"));
    assert_eq!(update.events[3].status, Status::AvailableForPickup);
    let (code, message, _) = rejected(
        usps::parse_track_response(mapping(), &resp, "9200190100000000000055").unwrap_err(),
    );
    assert_eq!(code, "not_found");
    assert!(message.contains("not yet available"));
    // A number the answer does not hold is an unreadable answer, never another's scans.
    let other = usps::parse_track_response(mapping(), &resp, "9200190100000000000000");
    assert!(matches!(other, Err(CarrierError::BadResponse(_))));
}

#[test]
fn an_unknown_code_is_kept_unmapped_never_guessed() {
    let resp = fixture("track_unmapped_code.json", 200);
    let update = usps::parse_track_response(mapping(), &resp, "9200190100000000000062").unwrap();
    assert_eq!(update.events[0].sub_status, SubStatus::Unmapped);
    assert_eq!(update.events[0].carrier_code, "ZZ");
}

#[test]
fn a_scan_without_any_zone_is_unreadable_not_guessed() {
    let body = r#"{"trackingNumber":"X1","trackingEvents":[{"eventCode":"TL","eventTimestamp":"2026-03-03T09:00:00"}]}"#;
    let resp = HttpResponse::new(200, body);
    assert!(matches!(
        usps::parse_track_response(mapping(), &resp, "X1"),
        Err(CarrierError::BadResponse(_))
    ));
    // With the destination's state the wall time has a zone (Eastern, EST in early March).
    let body = r#"{"trackingNumber":"X1","destinationState":"NY","trackingEvents":[{"eventCode":"TL","eventTimestamp":"2026-03-03T09:00:00"}]}"#;
    let update =
        usps::parse_track_response(mapping(), &HttpResponse::new(200, body), "X1").unwrap();
    assert_eq!(update.events[0].event_time, utc("2026-03-03T14:00:00Z"));
}

#[test]
fn the_fixture_labels_read_as_zpl_from_multipart_and_json() {
    let multipart = fixture("label_response_zpl_multipart.txt", 200);
    let created = usps::parse_label_response(
        &multipart,
        LabelFormat::Zpl,
        "PRIORITY_MAIL",
        Default::default(),
    )
    .unwrap();
    assert_eq!(created.awb, "9200190100000000000017");
    let zpl = String::from_utf8(created.labels[0].content.clone()).unwrap();
    assert!(zpl.starts_with("^XA") && zpl.contains("9200190100000000000017"));
    // Postage and the nonstandard-length fee.
    assert_eq!(created.charged.unwrap().to_major_string(), "13.35");
    let json = fixture("label_response_json.json", 200);
    let created = usps::parse_label_response(
        &json,
        LabelFormat::Zpl,
        "USPS_GROUND_ADVANTAGE",
        Default::default(),
    )
    .unwrap();
    assert_eq!(created.awb, "9200190100000000000024");
    assert_eq!(created.charged.unwrap().to_major_string(), "5.50");
    // An international label names its number `internationalTrackingNumber`.
    let intl = usps::parse_label_response(
        &fixture("intl_label_multipart.txt", 200),
        LabelFormat::Zpl,
        "PRIORITY_MAIL_INTERNATIONAL",
        Default::default(),
    )
    .unwrap();
    assert_eq!(intl.awb, "LZ100000017US");
    assert!(String::from_utf8_lossy(&intl.labels[0].content).contains("LZ100000017US"));
    assert_eq!(
        intl.charged.unwrap().to_major_string(),
        "55.00",
        "postage and the extra service"
    );
    let token = usps::parse_payment_response(&fixture("payment_authorization_response.json", 200));
    assert_eq!(token.unwrap(), "eyJhbGciOiJSUzI1NiJ9.fixture-payment-token");
}

#[test]
fn fees_are_lines_and_flat_rate_options_are_not_quoted() {
    let quotes =
        usps::parse_options_response(&fixture("options_response_nonstandard.json", 200)).unwrap();
    assert_eq!(quotes.len(), 2);
    let ground = &quotes[0];
    assert_eq!(ground.total.to_major_string(), "21.35");
    let lines: Vec<(ChargeKind, &str, String)> = ground
        .breakdown
        .iter()
        .map(|c| (c.kind, c.label.as_str(), c.amount.to_major_string()))
        .collect();
    assert_eq!(
        lines,
        [
            (
                ChargeKind::Freight,
                "USPS Ground Advantage Nonmachinable Single-piece",
                "17.35".into()
            ),
            (
                ChargeKind::Other,
                "Nonstandard Length fee > 22 in.",
                "4.00".into()
            ),
        ]
    );
    assert_eq!(quotes[1].service, "PRIORITY_MAIL");
    assert_eq!(quotes[1].total.to_major_string(), "28.95");
}

#[test]
fn address_verdicts_carry_the_standard_form_and_the_class() {
    let asked = to("73108");
    let v = usps::parse_address_response(&fixture("address_response.json", 200), &asked).unwrap();
    assert!(v.deliverable);
    assert_eq!(v.classification, AddressClass::Commercial);
    let s = v.suggestion.unwrap();
    assert_eq!(
        (s.line1.as_str(), s.line2.as_deref()),
        ("350 5TH AVE", Some("STE 300"))
    );
    assert_eq!(s.postal_code.as_str(), "10118-0300");
    assert_eq!(
        s.name, "Lina Smith",
        "the contact stays the one asked about"
    );
    let v =
        usps::parse_address_response(&fixture("address_missing_unit.json", 200), &asked).unwrap();
    assert!(!v.deliverable);
    assert_eq!(v.classification, AddressClass::Residential);
    assert!(v.carrier_message.contains("unit"), "{}", v.carrier_message);
    let v = usps::parse_address_response(&fixture("address_not_found.json", 400), &asked).unwrap();
    assert!(!v.deliverable && v.suggestion.is_none());
    assert!(v.carrier_message.contains("Address Not Found"));
    let request = usps::address_request(&asked).unwrap();
    assert_eq!(request.path, "/addresses/v3/address");
    assert!(request.query.contains(&("ZIPCode".into(), "73108".into())));
    assert!(request.query.contains(&("state".into(), "OK".into())));
}

#[test]
fn units_zip_codes_and_refusals_at_the_edge() {
    assert_eq!(usps::zip_parts("10001").unwrap(), ("10001".into(), None));
    assert_eq!(
        usps::zip_parts("10001-1234").unwrap(),
        ("10001".into(), Some("1234".into()))
    );
    assert!(usps::zip_parts("560001").is_err());
    assert!(usps::zip_parts("SW1A 1AA").is_err());
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let mut heavy = shipment(to("73108"), "PRIORITY_MAIL", LabelFormat::Pdf);
    heavy.parcels[0].weight_g = 40_000;
    assert!(matches!(
        usps::label_request("s", &heavy, "PRIORITY_MAIL", "t", date),
        Err(CarrierError::Unsupported(_))
    ));
    let mut two = shipment(to("73108"), "PRIORITY_MAIL", LabelFormat::Pdf);
    two.parcels.push(parcel(100));
    assert!(matches!(
        usps::label_request("s", &two, "PRIORITY_MAIL", "t", date),
        Err(CarrierError::Unsupported(_))
    ));
    let mut big = parcel(12_000);
    big.length_mm = Some(700);
    assert_eq!(usps::processing_category(&big), "NON_MACHINABLE");
    assert_eq!(usps::processing_category(&parcel(500)), "MACHINABLE");
    assert!(usps::track_request("../etc").is_err());
}

// ---------------------------------------------------------------------------------------
// Against the simulator

/// A buyer in Bengaluru.
fn india() -> Address {
    Address {
        name: "Asha Rao".into(),
        phone: Phone::parse("+91 98765 43210", "IN").unwrap(),
        email: None,
        line1: "12 MG Road".into(),
        line2: None,
        landmark: None,
        city: "Bengaluru".into(),
        state: Some("Karnataka".into()),
        postal_code: PostalCode::parse("560001", "IN").unwrap(),
        country: "IN".into(),
    }
}

/// An export to India of `quantity` kurtas at `cents` each, duties paid by the buyer.
fn export(quantity: u32, cents: i64) -> ShipmentRequest {
    let usd = Currency::parse("USD").unwrap();
    let mut req = shipment(india(), "PRIORITY_MAIL_INTERNATIONAL", LabelFormat::Pdf);
    req.service = None;
    req.customs = Some(Customs {
        contents: ExportReason::Sale,
        incoterm: Incoterm::Dap,
        duties_payer: DutiesPayer::Recipient,
        invoice_number: Some("INV-77".into()),
        items: vec![CustomsItem {
            description: "Men's cotton kurta".into(),
            hs_code: "621142".into(),
            origin_country: "US".into(),
            quantity,
            unit_value: Money::from_major_f64(cents as f64 / 100.0, usd).unwrap(),
            weight_g: 400,
        }],
    });
    req
}

#[test]
fn an_export_books_an_international_label_with_its_customs_form() {
    let (sim, t) = sim_transport();
    let usps = adapter();
    let quotes = block_on(usps.rates(&t, &rate_request(india()))).unwrap();
    let services: Vec<&str> = quotes.iter().map(|q| q.service.as_str()).collect();
    assert_eq!(
        services,
        [
            "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE",
            "PRIORITY_MAIL_INTERNATIONAL",
            "PRIORITY_MAIL_EXPRESS_INTERNATIONAL"
        ]
    );
    assert_eq!(quotes[1].service_name, "Priority Mail International");
    assert!(quotes.iter().all(|q| q.total.currency.as_str() == "USD"));

    // The request: the address abroad, the customs form in USD and pounds, the
    // exemption from AES filing, USPS's content type, the invoice.
    let req = export(2, 2500);
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let built =
        usps::intl_label_request("sg_9", &req, "PRIORITY_MAIL_INTERNATIONAL", "tok", date).unwrap();
    assert_eq!(built.path, "/international-labels/v3/international-label");
    let body = body_of(&built);
    assert_eq!(body["toAddress"]["countryISOAlpha2Code"], "IN");
    assert_eq!(body["toAddress"]["country"], "India");
    assert_eq!(body["toAddress"]["postalCode"], "560001");
    assert_eq!(body["toAddress"]["province"], "Karnataka");
    assert_eq!(body["fromAddress"]["ZIPCode"], "29440");
    let form = &body["customsForm"];
    assert_eq!(form["customsContentType"], "MERCHANDISE");
    assert_eq!(form["AESITN"], "NOEEI 30.37(a)");
    assert_eq!(form["invoiceNumber"], "INV-77");
    let line = &form["contents"][0];
    assert_eq!(line["HSTariffNumber"], "621142");
    assert_eq!(line["countryofOrigin"], "US");
    assert_eq!(
        (line["itemQuantity"].clone(), line["itemValue"].clone()),
        (2.into(), 25.0.into())
    );
    assert_eq!(line["itemTotalValue"], 50.0);
    // 400 g is 0.89 lb rounded up; two of them 800 g, 1.77 lb.
    assert_eq!(
        (line["itemWeight"].clone(), line["itemTotalWeight"].clone()),
        (0.89.into(), 1.77.into())
    );
    assert_eq!(
        body["packageDescription"]["customerReference"][0]["referenceNumber"],
        "sg_9"
    );

    // Booked on the simulator, tracked, refunded by the international API.
    let created = block_on(usps.create_shipment(&t, "sg_1", &export(2, 2500))).unwrap();
    assert_eq!(sim.bookings(), 1);
    assert!(
        created.awb.starts_with("LZ") && created.awb.ends_with("US"),
        "{}",
        created.awb
    );
    assert_eq!(
        created.service, "PRIORITY_MAIL_INTERNATIONAL",
        "the default abroad"
    );
    assert_eq!(created.carrier_refs[usps::REF_INTL_COUNTRY], "IN");
    assert!(created.labels[0].content.starts_with(b"%PDF"));
    assert!(created.charged.is_some());
    let shipment = booked(&created);
    assert!(matches!(
        block_on(usps.label(&t, &shipment, LabelFormat::Zpl)),
        Err(CarrierError::Unsupported(_))
    ));
    let update = block_on(usps.track(&t, &shipment)).unwrap();
    assert_eq!(update.awb, created.awb);
    assert!(
        update
            .events
            .iter()
            .all(|e| e.sub_status != SubStatus::Unmapped)
    );
    let outcome = block_on(usps.cancel(&t, &shipment)).unwrap();
    assert!(outcome.carrier_message.contains("CANCELED"));
    let cancels: Vec<String> = t
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|(op, _)| *op == Operation::Cancel)
        .map(|(_, p)| p.clone())
        .collect();
    assert!(
        cancels
            .iter()
            .all(|p| p.contains("/international-labels/v3/international-label/")),
        "{cancels:?}"
    );
    // The domestic API refunds only its own labels.
    let domestic = ShipmentRef {
        carrier_refs: Default::default(),
        ..booked(&created)
    };
    let (_, _, status) = rejected(block_on(usps.cancel(&t, &domestic)).unwrap_err());
    assert_eq!(status, 404);

    // The simulator refuses a customs form USPS would refuse, in USPS's words.
    let mut bare = export(1, 2500);
    bare.customs.as_mut().unwrap().items[0].hs_code = "62".into();
    let (_, message, status) =
        rejected(block_on(usps.create_shipment(&t, "sg_2", &bare)).unwrap_err());
    assert_eq!(status, 400);
    assert!(message.contains("HSTariffNumber"), "{message}");
}

fn sim_transport() -> (Arc<UspsSimulator>, SimTransport<Arc<UspsSimulator>>) {
    let sim = Arc::new(UspsSimulator::new());
    (sim.clone(), SimTransport::new(sim, SIM_ROOT))
}

fn booked(created: &carriers::schema::CreatedShipment) -> ShipmentRef {
    ShipmentRef {
        shipment_id: "sg_1".into(),
        order_ref: "ORD-1".into(),
        awb: Some(created.awb.clone()),
        carrier_refs: created.carrier_refs.clone(),
    }
}

#[test]
fn rates_book_label_track_and_cancel_on_the_simulator() {
    let (sim, t) = sim_transport();
    let usps = adapter();
    assert_eq!(
        block_on(usps.check_account(&t)).unwrap(),
        AccountCheck::Verified
    );
    let quotes = block_on(usps.rates(&t, &rate_request(to("73108")))).unwrap();
    let services: Vec<&str> = quotes.iter().map(|q| q.service.as_str()).collect();
    assert_eq!(
        services,
        [
            "USPS_GROUND_ADVANTAGE",
            "PRIORITY_MAIL",
            "PRIORITY_MAIL_EXPRESS"
        ]
    );
    assert!(
        quotes
            .iter()
            .all(|q| q.total.currency.as_str() == "USD" && q.transit_days.is_some())
    );
    // Mailed from abroad USPS quotes nothing; from the US abroad, its international
    // classes (see `an_export_books_an_international_label_with_its_customs_form`).
    let mut inbound = rate_request(to("73108"));
    inbound.from = india();
    assert!(block_on(usps.rates(&t, &inbound)).unwrap().is_empty());

    let req = shipment(to("73108"), "PRIORITY_MAIL", LabelFormat::Pdf);
    let created = block_on(usps.create_shipment(&t, "sg_1", &req)).unwrap();
    assert_eq!(sim.bookings(), 1);
    assert!(created.awb.starts_with("9200190") && created.awb.len() == 22);
    assert_eq!(created.service, "PRIORITY_MAIL");
    let pdf = lopdf::Document::load_mem(&created.labels[0].content).unwrap();
    assert!(pdf.extract_text(&[1]).unwrap().contains(&created.awb));
    assert_eq!(created.carrier_refs[usps::REF_FROM_ZIP], "29440");
    assert!(created.charged.is_some());
    let shipment = booked(&created);
    let zpl = block_on(usps.label(&t, &shipment, LabelFormat::Zpl)).unwrap();
    let zpl = String::from_utf8(zpl.content).unwrap();
    assert!(zpl.starts_with("^XA") && zpl.contains(&created.awb));
    assert_eq!(sim.bookings(), 1, "a reprint books nothing");

    let first = block_on(usps.track(&t, &shipment)).unwrap();
    let second = block_on(usps.track(&t, &shipment)).unwrap();
    assert!(second.events.len() > first.events.len());
    assert_eq!(first.events[0].sub_status, SubStatus::LabelCreated);
    assert!(
        second
            .events
            .iter()
            .all(|e| e.sub_status != SubStatus::Unmapped)
    );
    let outcome = block_on(usps.cancel(&t, &shipment)).unwrap();
    assert!(outcome.carrier_message.contains("CANCELED"));
    // One payment authorization served the label, the reprint and the cancel.
    let payments = t
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, p)| p.contains("payment"))
        .count();
    assert_eq!(payments, 1);
}

#[test]
fn every_detour_tracks_to_its_end_with_mapped_codes() {
    let (_, t) = sim_transport();
    let usps = adapter();
    let cases = [
        ("73108", SubStatus::Delivered),
        ("73199", SubStatus::Delivered),
        ("73198", SubStatus::RtoDelivered),
        ("73197", SubStatus::Lost),
        ("73196", SubStatus::Delivered),
    ];
    for (zip, end) in cases {
        let created = block_on(usps.create_shipment(
            &t,
            zip,
            &shipment(to(zip), "USPS_GROUND_ADVANTAGE", LabelFormat::Pdf),
        ))
        .unwrap();
        let shipment = booked(&created);
        let mut last = None;
        for _ in 0..20 {
            let update = block_on(usps.track(&t, &shipment)).unwrap();
            assert!(
                update
                    .events
                    .iter()
                    .all(|e| e.sub_status != SubStatus::Unmapped),
                "{zip}"
            );
            last = update.events.last().map(|e| e.sub_status);
            if last.is_some_and(|s| s.is_terminal()) {
                break;
            }
        }
        assert_eq!(last, Some(end), "{zip}");
    }
}

#[test]
fn pickups_scan_forms_and_addresses_on_the_simulator() {
    let (_, t) = sim_transport();
    let usps = adapter();
    let created = block_on(usps.create_shipment(
        &t,
        "sg_1",
        &shipment(to("73108"), "PRIORITY_MAIL", LabelFormat::Zpl),
    ))
    .unwrap();
    let label = booked(&created);
    let pickups = usps.pickups().unwrap();
    let location = PickupLocation {
        name: "Main".into(),
        address: from(),
        working_hours: None,
    };
    let registered = block_on(pickups.register_location(&t, &location)).unwrap();
    assert!(registered.active);
    let request = PickupRequest {
        location: "Main".into(),
        address: from(),
        date: chrono::Utc::now().date_naive() + chrono::Duration::days(1),
        window: None,
        shipments: vec![label.clone()],
        packages: 1,
    };
    let pickup = block_on(pickups.schedule(&t, &request)).unwrap();
    assert!(pickup.pickup_id.starts_with("WTC"));
    block_on(pickups.cancel(&t, &pickup)).unwrap();
    let unknown = ScheduledPickup {
        pickup_id: "WTC000000001".into(),
        ..pickup
    };
    let (_, _, status) = rejected(block_on(pickups.cancel(&t, &unknown)).unwrap_err());
    assert_eq!(status, 404);

    let manifest = block_on(
        usps.manifests()
            .unwrap()
            .create(&t, std::slice::from_ref(&label)),
    )
    .unwrap();
    assert!(manifest.manifest_id.starts_with("EFN"));
    assert_eq!(manifest.awbs, std::slice::from_ref(&created.awb));

    let validation = usps.address_validation().unwrap();
    let mut suite = to("73108");
    suite.line2 = Some("Ste 300".into());
    let v = block_on(validation.validate(&t, &suite)).unwrap();
    assert!(v.deliverable);
    assert_eq!(v.classification, AddressClass::Commercial);
    assert_eq!(v.suggestion.unwrap().postal_code.as_str(), "73108-1309");
    let mut nowhere = to("73108");
    nowhere.line1 = "Agnew Avenue".into();
    let v = block_on(validation.validate(&t, &nowhere)).unwrap();
    assert!(!v.deliverable);
}

#[test]
fn lookup_says_usps_cannot_be_searched_and_never_books() {
    let (sim, t) = sim_transport();
    let usps = adapter();
    let shipment = ShipmentRef {
        shipment_id: "sg_lost".into(),
        order_ref: "ORD-9".into(),
        awb: None,
        carrier_refs: Default::default(),
    };
    let err = block_on(usps.lookup(&t, &shipment)).unwrap_err();
    assert!(
        err.to_string().contains("no search by customer reference"),
        "{err}"
    );
    assert_eq!(sim.bookings(), 0);
    assert!(t.log.lock().unwrap().is_empty(), "nothing sent");
    // Without a tracking number there is nothing to track or cancel either.
    assert!(matches!(
        block_on(usps.track(&t, &shipment)),
        Err(CarrierError::NotSent(_))
    ));
}

#[test]
fn a_refused_payment_token_is_replaced_once() {
    let (sim, t) = sim_transport();
    let usps = adapter();
    let req = shipment(to("73108"), "PRIORITY_MAIL", LabelFormat::Pdf);
    block_on(usps.create_shipment(&t, "sg_1", &req)).unwrap();
    // The sandbox forgets its payment tokens' validity by a restart: a new simulator
    // behind the same adapter refuses the cached one (and the OAuth token).
    let (sim2, t2) = sim_transport();
    let created = block_on(usps.create_shipment(&t2, "sg_2", &req)).unwrap();
    assert!(!created.awb.is_empty());
    assert_eq!((sim.bookings(), sim2.bookings()), (1, 1));
    let paths: Vec<String> = t2
        .log
        .lock()
        .unwrap()
        .iter()
        .map(|(_, p)| p.clone())
        .collect();
    let payments = paths.iter().filter(|p| p.contains("payment")).count();
    assert_eq!(payments, 1, "{paths:?}");
}

#[test]
fn wrong_credentials_are_usps_refusal_and_international_is_refused_unsent() {
    let sim = Arc::new(UspsSimulator::new());
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let mut settings = (usps::spec().sandbox_settings)();
    settings.insert("client_secret".into(), "wrong".into());
    let usps = Usps::new(&settings).unwrap();
    let (code, message, status) = rejected(block_on(usps.check_account(&t)).unwrap_err());
    assert_eq!((code.as_str(), status), ("login_failed", 401));
    assert!(
        message.contains("Client authentication failed"),
        "{message}"
    );
    // Mailed from outside the US, or abroad with what USPS cannot take (the sender
    // paying duties, a declaration needing an AES filing, values not in USD, no customs):
    // refused before anything is sent.
    let mut inbound = shipment(to("73108"), "PRIORITY_MAIL", LabelFormat::Pdf);
    inbound.from = india();
    let err = block_on(adapter().create_shipment(&t, "sg_x", &inbound)).unwrap_err();
    assert!(matches!(err, CarrierError::Unsupported(_)), "{err:?}");
    let mut ddp = export(1, 2500);
    ddp.customs.as_mut().unwrap().duties_payer = DutiesPayer::Sender;
    let mut costly = export(2, 150_000);
    costly.service = Some("PRIORITY_MAIL_INTERNATIONAL".into());
    let mut rupees = export(1, 2500);
    rupees.customs.as_mut().unwrap().items[0].unit_value = Money::inr(250_000);
    let mut undeclared = export(1, 2500);
    undeclared.customs = None;
    for (req, unsupported) in [
        (ddp, true),
        (costly, true),
        (rupees, false),
        (undeclared, false),
    ] {
        let err = block_on(adapter().create_shipment(&t, "sg_x", &req)).unwrap_err();
        match unsupported {
            true => assert!(matches!(err, CarrierError::Unsupported(_)), "{err:?}"),
            false => assert!(matches!(err, CarrierError::NotSent(_)), "{err:?}"),
        }
    }
    let ops = t.ops();
    assert_eq!(
        ops,
        [Operation::CheckAccount],
        "the refused booking sent nothing"
    );
    let bad = Usps::new(&{
        let mut s = (usps::spec().sandbox_settings)();
        s.insert("account_type".into(), "CASH".into());
        s
    });
    assert!(bad.unwrap_err().contains("account_type"));
}

#[test]
fn a_lost_label_answer_is_never_rebooked_by_the_adapter() {
    let sim = Arc::new(UspsSimulator::new());
    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(Box::new(|op, _| match op {
        Operation::CreateShipment => Fault::LoseAnswer(CarrierError::Timeout { timeout_ms: 10 }),
        _ => Fault::Pass,
    }));
    let usps = adapter();
    let req = shipment(to("73108"), "PRIORITY_MAIL", LabelFormat::Pdf);
    let err = block_on(usps.create_shipment(&t, "sg_1", &req)).unwrap_err();
    assert!(err.may_have_happened());
    assert_eq!(sim.bookings(), 1, "USPS booked it; the answer was lost");
    let shipment = ShipmentRef {
        shipment_id: "sg_1".into(),
        ..Default::default()
    };
    assert!(block_on(usps.lookup(&t, &shipment)).is_err());
    assert_eq!(sim.bookings(), 1);
}

#[test]
fn a_lost_token_answer_books_nothing_and_says_so() {
    for lost in ["/oauth2/v3/token", "/payments/v3/payment-authorization"] {
        let sim = Arc::new(UspsSimulator::new());
        let hook = move |_: Operation, request: &carriers::wire::HttpRequest| match request
            .path
            .ends_with(lost)
        {
            true => Fault::LoseAnswer(CarrierError::Timeout { timeout_ms: 10 }),
            false => Fault::Pass,
        };
        let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(Box::new(hook));
        let req = shipment(to("73108"), "PRIORITY_MAIL", LabelFormat::Pdf);
        let err = block_on(adapter().create_shipment(&t, "sg_1", &req)).unwrap_err();
        assert!(matches!(err, CarrierError::NotSent(_)), "{lost}: {err:?}");
        assert!(!err.may_have_happened());
        assert_eq!(sim.bookings(), 0, "{lost}");
    }
}

#[test]
fn a_return_label_goes_from_the_buyer_to_the_seller_and_tracks_to_delivered() {
    use carriers::families::{QcCheck, ReturnReason, ReturnRequest};
    let (sim, t) = sim_transport();
    let usps = adapter();
    let returns = usps.returns().unwrap();
    assert!(!returns.offers_qc());
    let mut request = ReturnRequest {
        shipment_id: "sg_ret".into(),
        pickup: to("73108"),
        deliver_to: from(),
        parcels: vec![parcel(500)],
        service: None,
        reason: ReturnReason::Damaged,
        qc: Some(QcCheck {
            product_name: "Book".into(),
            brand: None,
            image_url: None,
            color: None,
            size: None,
        }),
        customs: None,
    };
    let refused = block_on(returns.create_return(&t, None, &request));
    assert!(matches!(refused, Err(CarrierError::Unsupported(_))));
    assert!(t.log.lock().unwrap().is_empty(), "refused unsent");
    request.qc = None;
    let created = block_on(returns.create_return(&t, None, &request)).unwrap();
    assert_eq!(sim.bookings(), 1);
    assert_eq!(created.service, usps::DEFAULT_MAIL_CLASS);
    assert!(created.labels[0].content.starts_with(b"%PDF"));
    let sent: Vec<String> = t
        .log
        .lock()
        .unwrap()
        .iter()
        .map(|(_, p)| p.clone())
        .collect();
    assert!(
        sent.iter().any(|p| p.ends_with("/labels/v3/return-label")),
        "{sent:?}"
    );
    let shipment = booked(&created);
    let mut seen = Vec::new();
    for _ in 0..12 {
        let update = block_on(usps.track(&t, &shipment)).unwrap();
        seen.push(update.events.last().unwrap().sub_status);
    }
    assert!(
        seen.contains(&SubStatus::PickedUp) && seen.contains(&SubStatus::Delivered),
        "{seen:?}"
    );
}

#[test]
fn an_account_check_logs_in_and_authorizes_payment_without_booking() {
    let (sim, t) = sim_transport();
    assert_eq!(
        block_on(adapter().check_account(&t)).unwrap(),
        AccountCheck::Verified
    );
    let sent: Vec<(Operation, String)> = t.log.lock().unwrap().clone();
    let paths: Vec<&str> = sent.iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(
        paths,
        ["/oauth2/v3/token", "/payments/v3/payment-authorization"]
    );
    assert!(sent.iter().all(|(op, _)| *op == Operation::CheckAccount));
    assert_eq!(sim.bookings(), 0);
    let mut settings = (usps::spec().sandbox_settings)();
    settings.insert("mid".into(), " ".into());
    assert!(Usps::new(&settings).unwrap_err().contains("mid"));
}
