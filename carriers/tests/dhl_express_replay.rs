//! Replays DHL Express's public payloads (`../shared/carrier-samples/dhl-express`: MyDHL
//! JSON, and the legacy XML-PI tracking captures for what their codes mean) and the
//! project's fixtures through the adapter's parsers, checks the requests built against
//! the samples' shapes, and drives the adapter against the MyDHL simulator end to end.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use base64::Engine;
use carriers::dhl_express::simulator::SANDBOX_IMPORT_ACCOUNT;
use carriers::dhl_express::{
    self, CANCEL_MESSAGE, DhlExpress, NOT_FOUND, PIECES_REF, simulator::DhlExpressSimulator,
};
use carriers::families::{
    AddressClass, DocumentKind, PickupRequest, ReturnRequest, Returns, ScheduledPickup,
    returning_customs,
};
use carriers::mapping::Mapping;
use carriers::schema::{
    Address, ChargeKind, Currency, Customs, CustomsItem, DutiesPayer, ExportReason, Incoterm,
    LabelFormat, Money, Parcel, Payment, Phone, PostalCode, RateRequest, ShipmentKind, ShipmentRef,
    ShipmentRequest,
};
use carriers::simulator::Simulator;
use carriers::taxonomy::{Status, SubStatus};
use carriers::wire::HttpResponse;
use carriers::{AccountCheck, Carrier, CarrierError, Operation};
use chrono::{NaiveDate, NaiveTime};
use common::{Fault, SimTransport, block_on, parse_csv, utc};
use serde_json::Value;

const SAMPLES: &str = "dhl-express";
const FIXTURES: &str = "dhl_express";
const SIM_ROOT: &str = "http://sandbox.test/sandbox/dhl_express";

// ---------------------------------------------------------------------------------------
// helpers

fn sample(file: &str, status: u16) -> Option<HttpResponse> {
    common::sample(SAMPLES, file).map(|body| HttpResponse::new(status, body))
}

fn fixture(file: &str, status: u16) -> HttpResponse {
    HttpResponse::new(status, common::fixture(FIXTURES, file))
}

fn mapping() -> &'static Mapping {
    dhl_express::mapping().expect("mappings/dhl_express.toml parses")
}

fn adapter() -> DhlExpress {
    DhlExpress::new(&(dhl_express::spec().sandbox_settings)()).expect("sandbox settings build")
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

fn delhi() -> Address {
    Address {
        name: "Shipgate Exports".into(),
        phone: Phone::parse("9000000001", "IN").unwrap(),
        email: Some("ops@example.com".into()),
        line1: "Plot 4, Industrial Area".into(),
        line2: None,
        landmark: None,
        city: "New Delhi".into(),
        state: Some("Delhi".into()),
        postal_code: PostalCode::parse("110020", "IN").unwrap(),
        country: "IN".into(),
    }
}

fn new_york(zip: &str) -> Address {
    Address {
        name: "Jane Smith".into(),
        phone: Phone::parse("+1 212 555 0100", "US").unwrap(),
        email: Some("jane@example.com".into()),
        line1: "456 Broadway".into(),
        line2: Some("Floor 5".into()),
        landmark: None,
        city: "New York".into(),
        state: Some("NY".into()),
        postal_code: PostalCode::parse(zip, "US").unwrap(),
        country: "US".into(),
    }
}

fn parcel(weight_g: u32) -> Parcel {
    Parcel {
        weight_g,
        length_mm: Some(201),
        width_mm: Some(150),
        height_mm: Some(100),
        declared_value: None,
        description: Some("Cotton kurta".into()),
    }
}

fn customs(payer: DutiesPayer) -> Customs {
    Customs {
        contents: ExportReason::Sale,
        incoterm: Incoterm::Dap,
        duties_payer: payer,
        invoice_number: Some("INV-2026-001".into()),
        items: vec![CustomsItem {
            description: "Cotton kurta".into(),
            hs_code: "62114290".into(),
            origin_country: "IN".into(),
            quantity: 2,
            unit_value: Money::from_major_str("1500", Currency::inr()).unwrap(),
            weight_g: 250,
        }],
    }
}

fn export(zip: &str, pieces: usize, format: LabelFormat) -> ShipmentRequest {
    ShipmentRequest {
        items: Vec::new(),
        order_ref: "ORD-EXP-1".into(),
        carrier: "dhl_express".into(),
        service: Some("P".into()),
        from: delhi(),
        to: new_york(zip),
        parcels: (0..pieces).map(|_| parcel(1234)).collect(),
        payment: Payment::Prepaid,
        label_format: format,
        kind: ShipmentKind::Forward,
        selection: Default::default(),
        customs: Some(customs(DutiesPayer::Recipient)),
        returning: None,
    }
}

fn rate_request(to: Address) -> RateRequest {
    RateRequest {
        from: delhi(),
        to,
        parcels: vec![parcel(500)],
        payment: Payment::Prepaid,
        carriers: None,
        selection: Default::default(),
        customs: Some(customs(DutiesPayer::Recipient)),
    }
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn shipment_ref(id: &str, awb: Option<&str>) -> ShipmentRef {
    ShipmentRef {
        shipment_id: id.into(),
        order_ref: "ORD-EXP-1".into(),
        awb: awb.map(str::to_string),
        carrier_refs: Default::default(),
    }
}

fn sim() -> Arc<DhlExpressSimulator> {
    Arc::new(DhlExpressSimulator::new())
}

fn pdf_text(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// status codes

#[test]
fn every_code_in_the_status_table_and_the_xmlpi_captures_is_mapped() {
    let Some(csv) = common::sample(SAMPLES, "status-codes.csv") else {
        return;
    };
    let rows = parse_csv(&String::from_utf8(csv).unwrap());
    assert!(rows.len() > 10);
    for row in rows.iter().skip(1) {
        let code = &row[0];
        assert!(
            mapping().lookup("event", code).is_some(),
            "{code} ({}) unmapped",
            row[1]
        );
    }
    // XML-PI's ServiceEvent/EventCode is the same code list as MyDHL's typeCode.
    let mut seen = BTreeSet::new();
    for file in [
        "xmlpi_track_response.xml",
        "xmlpi_track_response_in_transit.xml",
    ] {
        let xml = String::from_utf8(common::sample(SAMPLES, file).unwrap()).unwrap();
        for part in xml.split("<EventCode>").skip(1) {
            let code = part.split('<').next().unwrap().trim().to_string();
            assert!(
                mapping().lookup("event", &code).is_some(),
                "{code} in {file}"
            );
            seen.insert(code);
        }
    }
    assert!(seen.contains("RW") && seen.contains("PO"), "{seen:?}");
    let sub = |code| mapping().lookup("event", code).unwrap().sub_status;
    assert_eq!(sub("OK"), SubStatus::Delivered);
    assert_eq!(sub("PU"), SubStatus::PickedUp);
    assert_eq!(sub("WC"), SubStatus::OutForDelivery);
    assert_eq!(sub("AR"), SubStatus::ReachedDestinationHub);
    assert_eq!(sub("AF"), SubStatus::ArrivedAtFacility);
    assert_eq!(sub("DF"), SubStatus::DepartedFacility);
    // Where the judgement calls land: customs holds, failed attempts, access points,
    // returns.
    assert_eq!(sub("CD"), SubStatus::HeldByCustoms);
    assert_eq!(sub("CR"), SubStatus::CustomsCleared);
    assert_eq!(sub("NH"), SubStatus::CustomerUnavailable);
    assert_eq!(sub("CC"), SubStatus::AtPickupPoint);
    assert_eq!(sub("RT"), SubStatus::RtoInitiated);
    assert_eq!(sub("RD"), SubStatus::Refused);
    assert!(
        mapping().lookup("event", "ZX").is_none(),
        "no guess for an unknown code"
    );
}

// ---------------------------------------------------------------------------------------
// tracking

#[test]
fn the_mydhl_tracking_sample_reads_oldest_first() {
    let Some(resp) = sample("mydhl_track_response.json", 200) else {
        return;
    };
    let update = dhl_express::parse_track_response(mapping(), &resp).unwrap();
    assert_eq!(update.awb, "9356579890");
    let codes: Vec<&str> = update
        .events
        .iter()
        .map(|e| e.carrier_code.as_str())
        .collect();
    assert_eq!(codes, ["PU", "OK"], "DHL lists the newest first");
    // No GMTOffset in this capture: read as UTC (see the module doc).
    assert_eq!(update.events[0].event_time, utc("2024-01-15T08:00:00Z"));
    assert_eq!(update.events[1].event_time, utc("2024-01-15T17:00:00Z"));
    assert_eq!(update.events[1].status, Status::Delivered);
    assert!(update.events[1].terminal);
    assert_eq!(
        update.events[0].location.as_deref(),
        Some("Los Angeles, CA")
    );
    assert_eq!(update.events[0].carrier_status, "Shipment picked up");
}

#[test]
fn an_unknown_tracking_number_is_dhls_404_and_no_booking() {
    let Some(resp) = sample("mydhl_track_error_response.json", 404) else {
        return;
    };
    let (code, message, status) =
        rejected(dhl_express::parse_track_response(mapping(), &resp).unwrap_err());
    assert_eq!((code.as_str(), status), (NOT_FOUND, 404));
    assert!(message.contains("No shipments found"), "{message}");
    assert_eq!(
        dhl_express::parse_lookup_response(&resp, "sg_1").unwrap(),
        None
    );
}

#[test]
fn checkpoints_keep_their_own_gmt_offsets() {
    let resp = fixture("track_export_in_us.json", 200);
    let update = dhl_express::parse_track_response(mapping(), &resp).unwrap();
    let first = &update.events[0];
    assert_eq!(first.carrier_code, "PU");
    assert_eq!(
        first.event_time,
        utc("2026-11-30T13:10:00Z"),
        "18:40 at +05:30"
    );
    let hub = update
        .events
        .iter()
        .find(|e| e.carrier_code == "AF")
        .unwrap();
    assert_eq!(
        hub.event_time,
        utc("2026-12-01T08:15:00Z"),
        "09:15 at +01:00"
    );
    let last = update.events.last().unwrap();
    assert_eq!(last.carrier_code, "OK");
    assert_eq!(
        last.event_time,
        utc("2026-12-04T19:12:00Z"),
        "14:12 at -05:00"
    );
    assert!(
        update
            .events
            .windows(2)
            .all(|w| w[0].event_time <= w[1].event_time)
    );
    let of = |code: &str| {
        update
            .events
            .iter()
            .find(|e| e.carrier_code == code)
            .unwrap()
    };
    assert_eq!(of("CD").sub_status, SubStatus::HeldByCustoms);
    assert!(of("CD").action_required);
    assert_eq!(of("CR").sub_status, SubStatus::CustomsCleared);
    assert_eq!(of("NH").status, Status::DeliveryFailed);
    assert_eq!(of("NH").location.as_deref(), Some("NEW YORK, NY - USA"));
    // The same reading with the offset written the way XML-PI writes it.
    let text = String::from_utf8(common::fixture(FIXTURES, "track_export_in_us.json")).unwrap();
    let gmt = text.replace("\"+05:30\"", "\"GMT+05:30\"");
    let update =
        dhl_express::parse_track_response(mapping(), &HttpResponse::new(200, gmt)).unwrap();
    assert_eq!(update.events[0].event_time, utc("2026-11-30T13:10:00Z"));
}

#[test]
fn an_unknown_code_is_kept_unmapped_never_guessed() {
    let update =
        dhl_express::parse_track_response(mapping(), &fixture("track_unmapped.json", 200)).unwrap();
    let odd = update
        .events
        .iter()
        .find(|e| e.carrier_code == "ZX")
        .unwrap();
    assert_eq!(odd.sub_status, SubStatus::Unmapped);
    assert_eq!(odd.status, Status::Unknown);
}

#[test]
fn a_checkpoint_without_a_date_is_a_bad_answer() {
    let body = r#"{"shipments":[{"shipmentTrackingNumber":"1","events":[{"typeCode":"PU","time":"10:00:00"}]}]}"#;
    let err =
        dhl_express::parse_track_response(mapping(), &HttpResponse::new(200, body)).unwrap_err();
    assert!(matches!(err, CarrierError::BadResponse(_)), "{err:?}");
}

// ---------------------------------------------------------------------------------------
// rates

#[test]
fn the_rate_samples_read_as_quotes_with_their_breakdowns() {
    if let Some(resp) = sample("mydhl_rate_response.json", 200) {
        let quotes = dhl_express::parse_rate_response(&resp).unwrap();
        assert_eq!(quotes.len(), 2);
        let p = &quotes[0];
        assert_eq!(
            (p.service.as_str(), p.service_name.as_str()),
            ("P", "EXPRESS WORLDWIDE")
        );
        assert_eq!(
            p.total,
            Money::from_major_str("25.99", Currency::parse("USD").unwrap()).unwrap()
        );
        assert_eq!(p.breakdown.len(), 1);
        assert_eq!(p.breakdown[0].kind, ChargeKind::Freight);
        assert_eq!(p.breakdown[0].amount.amount, 2350);
        assert_eq!(p.estimated_delivery, NaiveDate::from_ymd_opt(2024, 1, 15));
        let y = &quotes[1];
        assert_eq!((y.service.as_str(), y.total.amount), ("Y", 3599));
        assert!(y.breakdown.is_empty());
    }
    if let Some(resp) = sample("mydhl_docs_example_rate_response.json", 200) {
        let quotes = dhl_express::parse_rate_response(&resp).unwrap();
        let q = &quotes[0];
        // BILLC (EUR), not the pickup country's CZK nor DHL's USD base.
        assert_eq!(q.total.currency.as_str(), "EUR");
        assert_eq!(q.total.amount, 8925);
        let lines: Vec<(ChargeKind, &str, i64)> = q
            .breakdown
            .iter()
            .map(|c| (c.kind, c.label.as_str(), c.amount.amount))
            .collect();
        assert_eq!(
            lines,
            [
                (ChargeKind::Freight, "EXPRESS WORLDWIDE", 6550),
                (ChargeKind::FuelSurcharge, "FUEL SURCHARGE", 1375),
                (ChargeKind::Tax, "VAT", 1000),
            ]
        );
        assert_eq!(q.transit_days, Some(4));
        assert_eq!(q.estimated_delivery, NaiveDate::from_ymd_opt(2024, 11, 7));
    }
    let quotes = dhl_express::parse_rate_response(&fixture("rate_in_us_inr.json", 200)).unwrap();
    let q = &quotes[0];
    assert_eq!(
        q.total,
        Money::from_major_str("4746.40", Currency::inr()).unwrap()
    );
    let kinds: Vec<ChargeKind> = q.breakdown.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            ChargeKind::Freight,
            ChargeKind::FuelSurcharge,
            ChargeKind::Other
        ]
    );
    assert_eq!(
        q.breakdown.iter().map(|c| c.amount.amount).sum::<i64>(),
        q.total.amount
    );
    assert_eq!(q.transit_days, Some(4), "sent as text");
}

#[test]
fn rate_refusals_are_dhls_words() {
    if let Some(resp) = sample("mydhl_rate_error_response.json", 400) {
        let (code, message, status) =
            rejected(dhl_express::parse_rate_response(&resp).unwrap_err());
        assert_eq!(
            (code.as_str(), message.as_str(), status),
            ("http_400", "Invalid postal code provided", 400)
        );
    }
    let (code, message, _) =
        rejected(dhl_express::parse_rate_response(&fixture("unauthorized.json", 401)).unwrap_err());
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("unauthorized", "Invalid Credentials")
    );
    // DHL's 404 on rates is "no product on this lane": not serviceable.
    let none = HttpResponse::new(
        404,
        r#"{"status":404,"title":"Not Found","detail":"Product(s) not available"}"#,
    );
    assert!(dhl_express::parse_rate_response(&none).unwrap().is_empty());
    let upstream =
        dhl_express::parse_rate_response(&HttpResponse::new(503, "<html>down</html>")).unwrap_err();
    assert!(matches!(
        upstream,
        CarrierError::Upstream { status: 503, .. }
    ));
}

// ---------------------------------------------------------------------------------------
// booking

#[test]
fn the_create_samples_read_as_bookings_or_clear_refusals() {
    if let Some(resp) = sample("mydhl_create_shipment_response.json", 201) {
        let created = dhl_express::parse_create_response(&resp, "P").unwrap();
        assert_eq!(created.awb, "9356579890", "a number in this capture");
        assert_eq!(created.carrier_refs[PIECES_REF], "9356579890");
        assert_eq!(created.labels.len(), 1);
        assert_eq!(created.labels[0].format, LabelFormat::Pdf);
        assert!(created.labels[0].content.starts_with(b"%PDF-"));
        assert!(
            created.documents.is_empty(),
            "no invoice for a non-dutiable shipment"
        );
    }
    if let Some(resp) = sample("mydhl_docs_example_create_shipment_response.json", 201) {
        // DHL's documentation example elides its base64 ("JVBERi0xLjQKJeLjz9MK..."): a
        // label that is not one is refused, never stored.
        let err = dhl_express::parse_create_response(&resp, "P").unwrap_err();
        assert!(
            matches!(&err, CarrierError::BadResponse(m) if m.contains("base64")),
            "{err:?}"
        );
    }
    if let Some(resp) = sample("mydhl_create_shipment_error_response.json", 400) {
        let (code, message, _) =
            rejected(dhl_express::parse_create_response(&resp, "P").unwrap_err());
        assert_eq!(
            (code.as_str(), message.as_str()),
            (
                "http_400",
                "Invalid shipment request - missing required field"
            )
        );
    }
    if let Some(resp) = sample("mydhl_docs_example_error_response.json", 400) {
        let (_, message, _) = rejected(dhl_express::parse_create_response(&resp, "P").unwrap_err());
        assert!(
            message.starts_with("The account number is not found or invalid"),
            "{message}"
        );
    }
}

#[test]
fn requests_follow_the_samples_shapes() {
    let dhl = adapter();
    let Some(rate_sample) = common::sample(SAMPLES, "mydhl_rate_request.json") else {
        return;
    };
    let rate_sample: Value = serde_json::from_slice(&rate_sample).unwrap();
    let built = dhl.rate_request(&rate_request(new_york("10001"))).unwrap();
    let body: Value = serde_json::from_slice(built.body.as_ref().unwrap()).unwrap();
    assert!(keys(&rate_sample).is_subset(&keys(&body)), "{body}");
    assert!(
        keys(&rate_sample["customerDetails"]["shipperDetails"])
            .is_subset(&keys(&body["customerDetails"]["shipperDetails"]))
    );
    assert_eq!(body["packages"][0]["weight"], 0.5);
    assert_eq!(
        body["packages"][0]["dimensions"]["length"], 21,
        "201 mm rounds up to 21 cm"
    );
    assert_eq!(body["isCustomsDeclarable"], true);
    assert_eq!(body["monetaryAmount"][0]["value"], 3000.0);
    assert_eq!(
        body["accounts"][0]["number"],
        dhl_express::simulator::SANDBOX_ACCOUNT
    );
    let planned = body["plannedShippingDateAndTime"].as_str().unwrap();
    assert_eq!(
        planned.len(),
        "2024-11-05T14:00:00 GMT+00:00".len(),
        "{planned}"
    );
    assert!(planned.ends_with(" GMT+00:00"));

    let create_sample: Value = serde_json::from_slice(
        &common::sample(SAMPLES, "mydhl_create_shipment_request.json").unwrap(),
    )
    .unwrap();
    let body = dhl
        .create_body("sg_ship_1", &export("10001", 1, LabelFormat::Pdf))
        .unwrap();
    assert!(
        keys(&create_sample).is_subset(&keys(&body)),
        "{:?}",
        keys(&body)
    );
    assert!(keys(&create_sample["content"]).is_subset(&keys(&body["content"])));
    assert!(
        keys(&create_sample["customerDetails"]["receiverDetails"])
            .is_subset(&keys(&body["customerDetails"]["receiverDetails"]))
    );
    assert_eq!(
        body["customerReferences"][0],
        serde_json::json!({"value": "sg_ship_1", "typeCode": "CU"})
    );
    assert_eq!(
        body["content"]["packages"][0]["weight"], 1.234,
        "grams kept to DHL's three decimals"
    );
    let line = &body["content"]["exportDeclaration"]["lineItems"][0];
    assert_eq!(line["commodityCodes"][0]["value"], "62114290");
    assert_eq!(line["manufacturerCountry"], "IN");
    assert_eq!(line["quantity"]["value"], 2);
    assert_eq!(line["price"], 1500.0);
    assert_eq!(line["weight"]["netValue"], 0.5);
    assert_eq!(body["content"]["declaredValue"], 3000.0);
    assert_eq!(body["content"]["declaredValueCurrency"], "INR");
    assert_eq!(body["content"]["incoterm"], "DAP");
    assert_eq!(
        body["content"]["exportDeclaration"]["invoice"]["number"],
        "INV-2026-001"
    );
    assert_eq!(
        body["customerDetails"]["receiverDetails"]["contactInformation"]["phone"],
        "+12125550100"
    );
    assert!(
        body.get("valueAddedServices").is_none(),
        "the receiver pays duties"
    );
    let invoice_asked = body["outputImageProperties"]["imageOptions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["typeCode"] == "invoice" && o["isRequested"] == true);
    assert!(invoice_asked);

    let pickup_sample: Value =
        serde_json::from_slice(&common::sample(SAMPLES, "mydhl_pickup_request.json").unwrap())
            .unwrap();
    let pickup = dhl
        .pickup_request(&pickup_at(
            new_york("10001"),
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        ))
        .unwrap();
    let body: Value = serde_json::from_slice(pickup.body.as_ref().unwrap()).unwrap();
    assert!(
        keys(&pickup_sample).is_subset(&keys(&body)),
        "{:?}",
        keys(&body)
    );
}

#[test]
fn every_request_is_basic_authenticated_and_marked_secret() {
    let dhl = adapter();
    let request = dhl.track_request("1234567890");
    let token = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        dhl_express::simulator::SANDBOX_API_KEY,
        dhl_express::simulator::SANDBOX_API_SECRET
    ));
    assert_eq!(
        request.header_value("authorization"),
        Some(format!("Basic {token}").as_str())
    );
    for secret in [
        dhl_express::simulator::SANDBOX_API_KEY,
        dhl_express::simulator::SANDBOX_API_SECRET,
    ] {
        assert!(
            request.secrets().iter().any(|s| s == secret),
            "{secret} not marked"
        );
        assert!(!request.masked(&format!("x {secret} y")).contains(secret));
    }
    let reference = request.header_value("message-reference").unwrap();
    assert!((28..=36).contains(&reference.len()), "{reference}");
    assert_ne!(
        Some(reference),
        dhl.track_request("1234567890")
            .header_value("message-reference")
    );
}

#[test]
fn what_dhl_cannot_book_is_refused_before_sending() {
    let dhl = adapter();
    let mut domestic = export("10001", 1, LabelFormat::Pdf);
    domestic.from = new_york("10018");
    assert!(matches!(
        dhl.create_body("sg_1", &domestic),
        Err(CarrierError::Unsupported(_))
    ));
    let mut third = export("10001", 1, LabelFormat::Pdf);
    third.customs = Some(customs(DutiesPayer::ThirdParty));
    assert!(matches!(
        dhl.create_body("sg_1", &third),
        Err(CarrierError::Unsupported(_))
    ));
    let mut sender = export("10001", 1, LabelFormat::Pdf);
    sender.customs = Some(Customs {
        incoterm: Incoterm::Ddp,
        ..customs(DutiesPayer::Sender)
    });
    let body = dhl.create_body("sg_1", &sender).unwrap();
    assert_eq!(
        body["valueAddedServices"][0]["serviceCode"], "DD",
        "duties paid by the shipper"
    );
    assert_eq!(body["content"]["incoterm"], "DDP");
    let mut odd = export("10001", 1, LabelFormat::Pdf);
    odd.service = Some("EXPRESS".into());
    assert!(matches!(
        dhl.create_body("sg_1", &odd),
        Err(CarrierError::Unsupported(_))
    ));
    assert!(matches!(
        dhl.create_body(" ", &export("10001", 1, LabelFormat::Pdf)),
        Err(CarrierError::NotSent(_))
    ));
    // A domestic lane is no DHL lane in shipgate: no call, no quote.
    let sim = sim();
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let mut lane = rate_request(new_york("10001"));
    lane.from = new_york("10018");
    assert!(block_on(dhl.rates(&t, &lane)).unwrap().is_empty());
    assert!(t.ops().is_empty());
}

// ---------------------------------------------------------------------------------------
// pickups, documents, address validation samples

fn pickup_at(address: Address, date: NaiveDate) -> PickupRequest {
    PickupRequest {
        location: "Main WH".into(),
        address,
        date,
        window: Some((
            NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
            NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
        )),
        shipments: Vec::new(),
        packages: 2,
    }
}

#[test]
fn pickup_samples_read_as_dhl_confirms_them() {
    let asked = NaiveDate::from_ymd_opt(2024, 1, 14).unwrap();
    if let Some(resp) = sample("mydhl_pickup_response.json", 200) {
        let pickup = dhl_express::parse_pickup_response(&resp, asked).unwrap();
        assert_eq!(pickup.pickup_id, "PRG999123456");
        assert_eq!(
            pickup.date,
            NaiveDate::from_ymd_opt(2024, 1, 15).unwrap(),
            "DHL's next pickup date"
        );
        assert!(pickup.carrier_message.contains("PRG999123457"));
        assert!(pickup.carrier_message.contains("ready by 09:00"));
    }
    if let Some(resp) = sample("mydhl_pickup_cancel_response.json", 200) {
        let outcome = dhl_express::parse_pickup_cancel_response(&resp).unwrap();
        assert_eq!(
            outcome.carrier_message,
            "DHL pickup PRG999123456: cancelled"
        );
    }
    let (code, message, _) = rejected(
        dhl_express::parse_pickup_cancel_response(&fixture("pickup_cancel_not_found.json", 404))
            .unwrap_err(),
    );
    assert_eq!(code, "http_404");
    assert!(message.contains("No pickup found"));
}

#[test]
fn the_pickup_update_sample_reads_as_the_moved_pickup() {
    let asked = NaiveDate::from_ymd_opt(2024, 1, 15).unwrap();
    if let Some(resp) = sample("mydhl_pickup_update_response.json", 200) {
        let moved =
            dhl_express::parse_pickup_update_response(&resp, "PRG999123456", asked).unwrap();
        assert_eq!(moved.pickup_id, "PRG999123456");
        assert_eq!(
            moved.date,
            NaiveDate::from_ymd_opt(2024, 1, 16).unwrap(),
            "DHL's next pickup date, not the one asked"
        );
        assert_eq!(
            moved.carrier_message,
            "DHL moved pickup PRG999123456, to 2024-01-16; ready by 10:00"
        );
    }
    // DHL may answer another number and warn; both reach the shipper.
    let moved = dhl_express::parse_pickup_update_response(
        &fixture("pickup_update_moved.json", 200),
        "DEL261207000001",
        asked,
    )
    .unwrap();
    assert_eq!(moved.pickup_id, "DEL261207000002");
    assert_eq!(moved.date, NaiveDate::from_ymd_opt(2026, 12, 9).unwrap());
    assert!(
        moved
            .carrier_message
            .contains("now dispatch confirmation DEL261207000002"),
        "{}",
        moved.carrier_message
    );
    assert!(
        moved
            .carrier_message
            .contains("DHL warns: Pickup moved to the next working day")
    );
    assert!(
        moved
            .carrier_message
            .contains("DHL warns: Ready time adjusted")
    );
    // A refusal is DHL's words; a date that is none is a bad answer, never the one asked.
    let (_, message, status) = rejected(
        dhl_express::parse_pickup_update_response(
            &fixture("pickup_cancel_not_found.json", 404),
            "X",
            asked,
        )
        .unwrap_err(),
    );
    assert_eq!(status, 404);
    assert!(message.contains("No pickup found"));
    let garbled = HttpResponse::new(
        200,
        br#"{"dispatchConfirmationNumber": "X1", "nextPickupDate": "16/01/2024"}"#.to_vec(),
    );
    assert!(matches!(
        dhl_express::parse_pickup_update_response(&garbled, "X1", asked),
        Err(CarrierError::BadResponse(_))
    ));
}

#[test]
fn a_pickup_update_sends_the_whole_pickup_again_with_its_number() {
    let dhl = adapter();
    let date = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    let request = dhl
        .pickup_update_request("DEL261207000001", &pickup_at(delhi(), date))
        .unwrap();
    assert_eq!(request.method, carriers::wire::Method::Patch);
    assert_eq!(request.path, "/pickups/DEL261207000001");
    let body: Value = serde_json::from_slice(request.body.as_ref().unwrap()).unwrap();
    assert_eq!(body["dispatchConfirmationNumber"], "DEL261207000001");
    assert_eq!(
        body["originalShipperAccountNumber"],
        dhl_express::simulator::SANDBOX_ACCOUNT
    );
    assert_eq!(
        body["plannedPickupDateAndTime"],
        "2026-12-08T09:30:00 GMT+05:30"
    );
    assert_eq!(body["closeTime"], "17:00");
    if let Some(sample) = common::sample(SAMPLES, "mydhl_pickup_request.json") {
        let sample: Value = serde_json::from_slice(&sample).unwrap();
        assert!(
            keys(&sample).is_subset(&keys(&body)),
            "the POST shape, and more"
        );
    }
}

#[test]
fn pickup_times_are_local_to_the_pickup_address() {
    let dhl = adapter();
    let planned = |address: Address, date: NaiveDate| {
        let request = dhl.pickup_request(&pickup_at(address, date)).unwrap();
        let body: Value = serde_json::from_slice(request.body.as_ref().unwrap()).unwrap();
        (
            body["plannedPickupDateAndTime"]
                .as_str()
                .unwrap()
                .to_string(),
            body["closeTime"].clone(),
        )
    };
    let (winter, close) = planned(
        new_york("10001"),
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
    );
    assert_eq!(winter, "2026-12-07T09:30:00 GMT-05:00");
    assert_eq!(close, "17:00");
    let (summer, _) = planned(
        new_york("10001"),
        NaiveDate::from_ymd_opt(2026, 7, 7).unwrap(),
    );
    assert_eq!(summer, "2026-07-07T09:30:00 GMT-04:00", "daylight saving");
    let (india, _) = planned(delhi(), NaiveDate::from_ymd_opt(2026, 7, 7).unwrap());
    assert_eq!(india, "2026-07-07T09:30:00 GMT+05:30");
}

#[test]
fn the_pod_sample_is_a_pdf_document() {
    let Some(resp) = sample("mydhl_proof_of_delivery_response.json", 200) else {
        return;
    };
    let doc = dhl_express::parse_document_response(&resp, DocumentKind::ProofOfDelivery).unwrap();
    assert_eq!(doc.content_type, "application/pdf");
    assert_eq!(doc.content, b"%PDF-1.4\n");
    let err =
        dhl_express::parse_document_response(&resp, DocumentKind::CommercialInvoice).unwrap_err();
    assert!(
        matches!(err, CarrierError::BadResponse(_)),
        "a POD is no invoice"
    );
}

#[test]
fn the_address_sample_names_a_service_area() {
    let Some(resp) = sample("mydhl_address_validation_response.json", 200) else {
        return;
    };
    let mut given = new_york("90001");
    given.city = "Los Angeles".into();
    given.state = Some("CA".into());
    let verdict = dhl_express::parse_address_response(&resp, &given).unwrap();
    assert!(verdict.deliverable);
    assert_eq!(
        verdict.classification,
        AddressClass::Unknown,
        "DHL does not say"
    );
    assert_eq!(verdict.suggestion, None, "same place, DHL's capitals aside");
    assert!(verdict.carrier_message.contains("LOS ANGELES - USA"));
    given.city = "Los Angles".into();
    let verdict = dhl_express::parse_address_response(&resp, &given).unwrap();
    assert_eq!(verdict.suggestion.unwrap().city, "LOS ANGELES");
    let verdict =
        dhl_express::parse_address_response(&fixture("address_not_found.json", 404), &given)
            .unwrap();
    assert!(!verdict.deliverable);
    assert!(verdict.carrier_message.contains("No address found"));
}

// ---------------------------------------------------------------------------------------
// against the simulator

#[test]
fn an_export_from_india_quotes_in_inr_books_labels_and_tracks_to_delivered() {
    let dhl = adapter();
    let sim = sim();
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let quotes = block_on(dhl.rates(&t, &rate_request(new_york("10001")))).unwrap();
    let services: Vec<&str> = quotes.iter().map(|q| q.service.as_str()).collect();
    assert_eq!(services, ["P", "Y", "K"]);
    for q in &quotes {
        assert_eq!(q.total.currency.as_str(), "INR");
        assert!(q.transit_days.is_some() && q.estimated_delivery.is_some());
        assert_eq!(
            q.breakdown.iter().map(|c| c.amount.amount).sum::<i64>(),
            q.total.amount
        );
        assert!(
            q.breakdown
                .iter()
                .any(|c| c.kind == ChargeKind::FuelSurcharge)
        );
    }
    let mut us = rate_request(delhi());
    us.from = new_york("10001");
    let quotes = block_on(dhl.rates(&t, &us)).unwrap();
    assert_eq!(
        quotes[0].total.currency.as_str(),
        "USD",
        "a US shipper is billed in USD"
    );

    // Two pieces: one label per piece, joined into one PDF with the AWB on each page.
    let created =
        block_on(dhl.create_shipment(&t, "sg_exp_1", &export("10001", 2, LabelFormat::Pdf)))
            .unwrap();
    assert_eq!(created.awb.len(), 10);
    assert_eq!(created.carrier_refs[PIECES_REF].split(',').count(), 2);
    assert_eq!(created.labels.len(), 1);
    let pdf = &created.labels[0];
    let doc = lopdf::Document::load_mem(&pdf.content).unwrap();
    assert_eq!(doc.get_pages().len(), 2);
    assert!(pdf_text(&pdf.content).contains(&created.awb));
    assert_eq!(created.routing_code.as_deref(), Some("NEW"));
    let invoice = &created.documents[0];
    assert_eq!(invoice.kind, DocumentKind::CommercialInvoice);
    let text = pdf_text(&invoice.content);
    assert!(
        text.contains("COMMERCIAL INVOICE")
            && text.contains("62114290")
            && text.contains(&created.awb),
        "{text}"
    );
    assert_eq!(sim.bookings(), 1);

    // The label in the other encoding and the invoice again, from DHL's image archive.
    let booked = ShipmentRef {
        carrier_refs: created.carrier_refs.clone(),
        ..shipment_ref("sg_exp_1", Some(&created.awb))
    };
    let zpl = block_on(dhl.label(&t, &booked, LabelFormat::Zpl)).unwrap();
    let zpl_text = String::from_utf8(zpl.content).unwrap();
    assert_eq!(zpl_text.matches("^XA").count(), 2, "one format per piece");
    assert!(zpl_text.contains(&created.awb));
    let again = block_on(carriers::families::Documents::document(
        &dhl,
        &t,
        &booked,
        DocumentKind::CommercialInvoice,
    ))
    .unwrap();
    assert_eq!(again.content, invoice.content);

    // No proof of delivery before delivery; tracking moves one checkpoint per call.
    let pod = block_on(carriers::families::Documents::document(
        &dhl,
        &t,
        &booked,
        DocumentKind::ProofOfDelivery,
    ));
    assert_eq!(rejected(pod.unwrap_err()).2, 404);
    let mut last = 0;
    let mut update = None;
    for _ in 0..12 {
        let u = block_on(dhl.track(&t, &booked)).unwrap();
        assert!(u.events.len() > last, "tracking moves forward");
        last = u.events.len();
        let done = u.events.last().unwrap().status == Status::Delivered;
        update = Some(u);
        if done {
            break;
        }
    }
    let update = update.unwrap();
    let codes: Vec<&str> = update
        .events
        .iter()
        .map(|e| e.carrier_code.as_str())
        .collect();
    assert_eq!(
        codes,
        ["PU", "PL", "DF", "AF", "DF", "CR", "AR", "WC", "OK"]
    );
    assert!(
        update
            .events
            .iter()
            .all(|e| e.sub_status != SubStatus::Unmapped)
    );
    assert!(
        update
            .events
            .windows(2)
            .all(|w| w[0].event_time <= w[1].event_time)
    );
    let pod = block_on(carriers::families::Documents::document(
        &dhl,
        &t,
        &booked,
        DocumentKind::ProofOfDelivery,
    ))
    .unwrap();
    assert!(pdf_text(&pod.content).contains(&created.awb));
}

#[test]
fn a_lost_answer_is_found_by_reference_and_never_booked_twice() {
    let dhl = adapter();
    let sim = sim();
    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(Box::new(|op, _| match op {
        Operation::CreateShipment => Fault::LoseAnswer(CarrierError::Timeout { timeout_ms: 300 }),
        _ => Fault::Pass,
    }));
    let req = export("10001", 1, LabelFormat::Pdf);
    // shipgate's own ids are 36 characters, one more than DHL's reference takes.
    let id = "shp_01a24bb3bf97774b9ecf9c01b5492e0c";
    let hex = "01a24bb3bf97774b9ecf9c01b5492e0c";
    assert_eq!(dhl_express::reference(id).unwrap(), hex);
    let other = "an-id-from-elsewhere-that-is-far-too-long-for-dhl";
    let hashed = dhl_express::reference(other).unwrap();
    assert_eq!(hashed.len(), 32);
    assert_eq!(hashed, dhl_express::reference(other).unwrap());
    assert_eq!(dhl_express::reference("sg_1").unwrap(), "sg_1");
    let lost = block_on(dhl.create_shipment(&t, id, &req)).unwrap_err();
    assert!(lost.may_have_happened());
    let found = block_on(dhl.lookup(&t, &shipment_ref(id, None)))
        .unwrap()
        .unwrap();
    assert_eq!(found.awb.len(), 10);
    assert_eq!(found.service, "P");
    assert!(
        found
            .carrier_refs
            .contains_key(dhl_express::BOOKED_MONTH_REF)
    );
    assert_eq!(sim.bookings(), 1);
    assert_eq!(
        block_on(dhl.lookup(&t, &shipment_ref("sg_never", None))).unwrap(),
        None
    );
    // The label of a booking found by reference comes from the image archive.
    let label = block_on(dhl.label(&t, &shipment_ref(id, None), LabelFormat::Pdf)).unwrap();
    assert!(pdf_text(&label.content).contains(&found.awb));
    // Tracking without a stored AWB goes by the reference too.
    let update = block_on(dhl.track(&t, &shipment_ref(id, None))).unwrap();
    assert_eq!(update.awb, found.awb);
    let lookup = dhl
        .lookup_request(id, chrono::Utc::now().date_naive())
        .unwrap();
    let query: Vec<(String, String)> = lookup.query.clone();
    assert!(query.contains(&("shipmentReference".into(), hex.into())));
    assert!(query.contains(&("shipmentReferenceType".into(), "CU".into())));
    assert!(query.iter().any(|(k, _)| k == "dateRangeFrom"));
}

#[test]
fn cancel_makes_no_call_and_says_why() {
    let dhl = adapter();
    let sim = sim();
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let outcome = block_on(dhl.cancel(&t, &shipment_ref("sg_1", Some("1234567890")))).unwrap();
    assert!(t.ops().is_empty(), "MyDHL has no cancel call");
    assert!(outcome.carrier_message.starts_with(CANCEL_MESSAGE));
    assert!(outcome.carrier_message.contains("nothing was sent to DHL"));
    assert!(outcome.carrier_message.contains("1234567890"));
}

#[test]
fn pickups_are_scheduled_and_cancelled_once() {
    let dhl = adapter();
    let sim = sim();
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let pickups = dhl.pickups().unwrap();
    let location = carriers::families::PickupLocation {
        name: "Main WH".into(),
        address: delhi(),
        working_hours: None,
    };
    let registered = block_on(pickups.register_location(&t, &location)).unwrap();
    assert!(
        registered.active && t.ops().is_empty(),
        "DHL keeps no locations"
    );
    let date = dhl_express::simulator::india_today().succ_opt().unwrap();
    let scheduled = block_on(pickups.schedule(&t, &pickup_at(delhi(), date))).unwrap();
    assert!(
        scheduled.pickup_id.starts_with("NEW"),
        "{}",
        scheduled.pickup_id
    );
    assert_eq!(scheduled.date, date);
    let cancelled = block_on(pickups.cancel(&t, &scheduled)).unwrap();
    assert!(cancelled.carrier_message.ends_with("cancelled"));
    let again = block_on(pickups.cancel(&t, &scheduled)).unwrap_err();
    assert_eq!(rejected(again).2, 404);
    let unknown = ScheduledPickup {
        pickup_id: "DEL000".into(),
        ..scheduled
    };
    assert_eq!(
        rejected(block_on(pickups.cancel(&t, &unknown)).unwrap_err()).2,
        404
    );
    let past = block_on(pickups.schedule(
        &t,
        &pickup_at(delhi(), NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()),
    ));
    assert_eq!(rejected(past.unwrap_err()).2, 400);
}

#[test]
fn a_pickup_is_moved_while_live_and_only_then() {
    let dhl = adapter();
    let sim = sim();
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let pickups = dhl.pickups().unwrap();
    assert!(pickups.reschedules());
    let today = dhl_express::simulator::india_today();
    let scheduled =
        block_on(pickups.schedule(&t, &pickup_at(delhi(), today.succ_opt().unwrap()))).unwrap();
    let later = today + chrono::Duration::days(3);
    let moved = block_on(pickups.reschedule(&t, &scheduled, &pickup_at(delhi(), later))).unwrap();
    assert_eq!(moved.pickup_id, scheduled.pickup_id);
    assert_eq!(moved.date, later);
    assert!(
        moved.carrier_message.contains("ready by 09:30"),
        "{}",
        moved.carrier_message
    );
    // DHL takes dates up to 10 days ahead, none past.
    for date in [
        today + chrono::Duration::days(12),
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
    ] {
        let refused = block_on(pickups.reschedule(&t, &moved, &pickup_at(delhi(), date)));
        assert_eq!(rejected(refused.unwrap_err()).2, 400, "{date}");
    }
    block_on(pickups.cancel(&t, &moved)).unwrap();
    let gone = block_on(pickups.reschedule(&t, &moved, &pickup_at(delhi(), later)));
    let (_, message, status) = rejected(gone.unwrap_err());
    assert_eq!((status, message.contains("No pickup found")), (404, true));
    let nameless = ScheduledPickup {
        pickup_id: " ".into(),
        ..moved
    };
    let ops = t.ops().len();
    assert!(matches!(
        block_on(pickups.reschedule(&t, &nameless, &pickup_at(delhi(), later))),
        Err(CarrierError::NotSent(_))
    ));
    assert_eq!(t.ops().len(), ops, "nothing sent without a number");
}

#[test]
fn addresses_and_accounts_are_checked_against_the_simulator() {
    let dhl = adapter();
    let sim = sim();
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let validator = dhl.address_validation().unwrap();
    let verdict = block_on(validator.validate(&t, &new_york("10001"))).unwrap();
    assert!(verdict.deliverable);
    assert!(verdict.carrier_message.contains("NEW YORK - US"));
    let mut nowhere = new_york("10001");
    nowhere.postal_code = PostalCode::parse("00000", "US").unwrap();
    assert!(
        !block_on(validator.validate(&t, &nowhere))
            .unwrap()
            .deliverable
    );
    assert_eq!(
        block_on(dhl.check_account(&t)).unwrap(),
        AccountCheck::Verified
    );
    let mut settings = (dhl_express::spec().sandbox_settings)();
    settings.insert("api_secret".into(), "wrong-secret".into());
    let wrong = DhlExpress::new(&settings).unwrap();
    let (code, message, status) = rejected(block_on(wrong.check_account(&t)).unwrap_err());
    assert_eq!(
        (code.as_str(), message.as_str(), status),
        ("unauthorized", "Invalid Credentials", 401)
    );
    settings.remove("account_number");
    assert!(
        DhlExpress::new(&settings)
            .unwrap_err()
            .contains("account_number")
    );
}

#[test]
fn the_sandboxes_detours_use_dhls_own_codes() {
    let dhl = adapter();
    let sim = sim();
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let trip = |zip: &str, id: &str| {
        let created =
            block_on(dhl.create_shipment(&t, id, &export(zip, 1, LabelFormat::Zpl))).unwrap();
        assert_eq!(
            created.labels[0].format,
            LabelFormat::Zpl,
            "booked in the encoding asked"
        );
        let shipment = shipment_ref(id, Some(&created.awb));
        let mut seen = Vec::new();
        for _ in 0..14 {
            let u = block_on(dhl.track(&t, &shipment)).unwrap();
            seen = u.events.iter().map(|e| e.sub_status).collect();
        }
        seen
    };
    let ndr = trip("10099", "sg_ndr");
    assert!(
        ndr.contains(&SubStatus::CustomerUnavailable) && ndr.last() == Some(&SubStatus::Delivered),
        "{ndr:?}"
    );
    let rto = trip("10098", "sg_rto");
    assert_eq!(rto.last(), Some(&SubStatus::RtoInitiated), "{rto:?}");
    let held = trip("10097", "sg_lost");
    assert_eq!(held.last(), Some(&SubStatus::Stuck), "{held:?}");
    let misrouted = trip("10096", "sg_mis");
    assert!(
        misrouted.contains(&SubStatus::Misrouted)
            && misrouted.last() == Some(&SubStatus::Delivered)
    );
}

#[test]
fn the_simulator_refuses_in_dhls_words() {
    let dhl = adapter();
    let sim = sim();
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let mut domestic = rate_request(new_york("10001"));
    domestic.to = delhi();
    domestic.from = {
        let mut mumbai = delhi();
        mumbai.postal_code = PostalCode::parse("400001", "IN").unwrap();
        mumbai
    };
    // The adapter never asks for a domestic lane; the simulator would say no product.
    let request = dhl.rate_request(&domestic).unwrap();
    let resp = block_on(carriers::Transport::send(&t, Operation::Rates, request)).unwrap();
    assert_eq!(resp.status, 404);
    assert!(dhl_express::parse_rate_response(&resp).unwrap().is_empty());
    let mut settings = (dhl_express::spec().sandbox_settings)();
    settings.insert("account_number".into(), "12".into());
    let bad_account = DhlExpress::new(&settings).unwrap();
    let (code, message, _) =
        rejected(block_on(bad_account.rates(&t, &rate_request(new_york("10001")))).unwrap_err());
    assert_eq!(code, "http_400");
    assert!(message.starts_with("The account number is not found or invalid"));
    let unknown = block_on(dhl.track(&t, &shipment_ref("sg_x", Some("1000000000")))).unwrap_err();
    assert_eq!(rejected(unknown).0, NOT_FOUND);
}

// ---------------------------------------------------------------------------------------
// returns: import shipments under the import account

/// The return of [`export`]'s parcel: the buyer in New York sends it back to Delhi, with
/// the forward customs turned around.
fn return_of_export(id: &str) -> ReturnRequest {
    let mut forward = export("10001", 1, LabelFormat::Pdf);
    forward.kind = ShipmentKind::Reverse;
    std::mem::swap(&mut forward.from, &mut forward.to);
    forward.customs = forward.customs.as_ref().map(returning_customs);
    ReturnRequest::of(id, &forward)
}

#[test]
fn a_return_is_an_import_billed_to_the_import_account_with_the_goods_declared_back() {
    let dhl = adapter();
    let ret = return_of_export("sg_ret_1");
    let customs = ret
        .customs
        .as_ref()
        .expect("a cross-border return keeps customs");
    // What changes direction: a return, DAP, duties on re-entry the seller's; the
    // goods, their origin and the invoice they were exported under stay.
    assert_eq!(
        (customs.contents, customs.incoterm, customs.duties_payer),
        (ExportReason::Return, Incoterm::Dap, DutiesPayer::Recipient)
    );
    assert_eq!(customs.items, self::customs(DutiesPayer::Sender).items);
    assert_eq!(customs.invoice_number.as_deref(), Some("INV-2026-001"));

    let body = dhl.return_body(&ret).unwrap();
    assert_eq!(
        body["accounts"],
        serde_json::json!([{ "typeCode": "shipper", "number": SANDBOX_IMPORT_ACCOUNT }]),
        "billed to the import account, never the export one"
    );
    let parties = &body["customerDetails"];
    assert_eq!(
        parties["shipperDetails"]["postalAddress"]["countryCode"],
        "US"
    );
    assert_eq!(
        parties["receiverDetails"]["postalAddress"]["countryCode"],
        "IN"
    );
    assert_eq!(
        parties["receiverDetails"]["contactInformation"]["fullName"],
        "Shipgate Exports"
    );
    let content = &body["content"];
    assert_eq!(content["incoterm"], "DAP");
    assert_eq!(content["isCustomsDeclarable"], true);
    assert_eq!(content["declaredValue"], 3000.0);
    assert_eq!(content["declaredValueCurrency"], "INR");
    let declaration = &content["exportDeclaration"];
    assert_eq!(declaration["exportReasonType"], "return");
    assert_eq!(declaration["exportReason"], "return");
    assert_eq!(declaration["invoice"]["number"], "INV-2026-001");
    let line = &declaration["lineItems"][0];
    assert_eq!(line["commodityCodes"][0]["value"], "62114290");
    assert_eq!(line["manufacturerCountry"], "IN", "made in India, still");
    assert_eq!(line["exportReasonType"], "return");
    assert!(
        body.get("valueAddedServices").is_none(),
        "no DD: the receiver pays duties"
    );
    assert_eq!(body["customerReferences"][0]["value"], "sg_ret_1");
    assert_eq!(body["outputImageProperties"]["encodingFormat"], "pdf");
    // The same shape as DHL's documented booking.
    if let Some(sample) = common::sample(SAMPLES, "mydhl_docs_example_create_shipment_request.json")
    {
        let sample: Value = serde_json::from_slice(&sample).unwrap();
        for key in ["accounts", "customerDetails", "content", "productCode"] {
            assert!(keys(&body).contains(key), "{key}");
        }
        assert!(
            keys(&sample["content"]["exportDeclaration"]["lineItems"][0])
                .is_superset(&keys(&declaration["lineItems"][0])),
            "every line field is one DHL documents"
        );
        assert_eq!(
            sample["accounts"][0]["typeCode"], body["accounts"][0]["typeCode"],
            "the account billed is DHL's `shipper` type"
        );
    }
}

#[test]
fn what_a_dhl_return_cannot_be_is_refused_before_sending() {
    // No import account configured: refused, naming the setting.
    let mut settings = (dhl_express::spec().sandbox_settings)();
    settings.remove("import_account_number");
    let no_import = DhlExpress::new(&settings).unwrap();
    let sim = sim();
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let err = block_on(no_import.create_return(&t, None, &return_of_export("sg_r"))).unwrap_err();
    match err {
        CarrierError::Unsupported(what) => {
            assert!(what.contains("import_account_number"), "{what}")
        }
        other => panic!("{other:?}"),
    }
    settings.insert("import_account_number".into(), "  ".into());
    let blank = DhlExpress::new(&settings).unwrap();
    assert!(matches!(
        blank.return_body(&return_of_export("sg_r")),
        Err(CarrierError::Unsupported(_))
    ));

    let dhl = adapter();
    // A return within one country is no DHL Express booking in shipgate.
    let mut domestic = return_of_export("sg_r");
    domestic.pickup = delhi();
    assert!(matches!(
        dhl.return_body(&domestic),
        Err(CarrierError::Unsupported(what)) if what.contains("one country")
    ));
    // Without the declaration of the goods there is nothing to import.
    let mut undeclared = return_of_export("sg_r");
    undeclared.customs = None;
    assert!(matches!(
        dhl.return_body(&undeclared),
        Err(CarrierError::Unsupported(what)) if what.contains("customs")
    ));
    // No doorstep check at DHL.
    assert!(!dhl.offers_qc());
    let mut qc = return_of_export("sg_r");
    qc.qc = Some(carriers::families::QcCheck {
        product_name: "Cotton kurta".into(),
        brand: None,
        image_url: None,
        color: None,
        size: None,
    });
    assert!(matches!(
        block_on(dhl.create_return(&t, None, &qc)),
        Err(CarrierError::Unsupported(_))
    ));
    let mut bad_service = return_of_export("sg_r");
    bad_service.service = Some("EXPRESS".into());
    assert!(block_on(dhl.create_return(&t, None, &bad_service)).is_err());
    assert_eq!(t.ops(), Vec::<Operation>::new(), "nothing was sent");
    assert_eq!(sim.bookings(), 0);
}

#[test]
fn a_return_books_labels_and_tracks_home_under_the_import_account() {
    let dhl = adapter();
    let sim = sim();
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    let created = block_on(dhl.create_return(&t, None, &return_of_export("sg_ret_2"))).unwrap();
    assert_eq!(created.awb.len(), 10);
    assert_eq!(created.service, "P");
    assert_eq!(
        created.carrier_refs[dhl_express::SHIPPER_ACCOUNT_REF],
        SANDBOX_IMPORT_ACCOUNT
    );
    assert_eq!(created.labels.len(), 1);
    assert_eq!(created.labels[0].format, LabelFormat::Pdf);
    assert!(pdf_text(&created.labels[0].content).contains(&created.awb));
    let invoice = pdf_text(&created.documents[0].content);
    assert!(
        invoice.contains(&format!(
            "billed to the receiver, account {SANDBOX_IMPORT_ACCOUNT}"
        )) && invoice.contains("declared as return")
            && invoice.contains("62114290"),
        "{invoice}"
    );
    assert_eq!(sim.bookings(), 1);

    // DHL files the return under the import account: its ZPL and invoice come from there.
    let booked = ShipmentRef {
        carrier_refs: created.carrier_refs.clone(),
        ..shipment_ref("sg_ret_2", Some(&created.awb))
    };
    let zpl = block_on(dhl.label(&t, &booked, LabelFormat::Zpl)).unwrap();
    assert!(
        String::from_utf8(zpl.content)
            .unwrap()
            .contains(&created.awb)
    );
    let unrecorded = ShipmentRef {
        carrier_refs: [(
            dhl_express::BOOKED_MONTH_REF.to_string(),
            created.carrier_refs[dhl_express::BOOKED_MONTH_REF].clone(),
        )]
        .into(),
        ..booked.clone()
    };
    assert_eq!(
        rejected(block_on(dhl.label(&t, &unrecorded, LabelFormat::Zpl)).unwrap_err()).2,
        404,
        "not under the export account"
    );
    let again = block_on(carriers::families::Documents::document(
        &dhl,
        &t,
        &booked,
        DocumentKind::CommercialInvoice,
    ))
    .unwrap();
    assert_eq!(again.content, created.documents[0].content);

    // Home to Delhi: picked up in New York, delivered, every checkpoint mapped.
    let mut update = None;
    for _ in 0..12 {
        let u = block_on(dhl.track(&t, &booked)).unwrap();
        let done = u.events.last().unwrap().status == Status::Delivered;
        update = Some(u);
        if done {
            break;
        }
    }
    let update = update.unwrap();
    assert_eq!(update.events.first().unwrap().carrier_code, "PU");
    assert_eq!(update.events.last().unwrap().status, Status::Delivered);
    assert!(
        update
            .events
            .last()
            .unwrap()
            .location
            .as_deref()
            .is_some_and(|l| l.contains("NEW DELHI")),
        "{:?}",
        update.events.last()
    );
    let pod = block_on(carriers::families::Documents::document(
        &dhl,
        &t,
        &booked,
        DocumentKind::ProofOfDelivery,
    ))
    .unwrap();
    assert!(pdf_text(&pod.content).contains(&created.awb));
}

#[test]
fn the_simulator_refuses_a_return_under_an_export_account_in_its_words() {
    let dhl = adapter();
    let sim = sim();
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    // The return's body, billed to the export account instead: DHL's 400.
    let mut body = dhl.return_body(&return_of_export("sg_ret_3")).unwrap();
    body["accounts"][0]["number"] = serde_json::json!(dhl_express::simulator::SANDBOX_ACCOUNT);
    let mut request = dhl.return_request(&return_of_export("sg_ret_3")).unwrap();
    request.body = Some(serde_json::to_vec(&body).unwrap());
    let resp = block_on(carriers::Transport::send(
        &t,
        Operation::CreateShipment,
        request,
    ))
    .unwrap();
    let (code, message, status) = rejected(dhl_express::refusal(&resp));
    assert_eq!((code.as_str(), status), ("http_400", 400), "{message}");
    assert!(message.contains("not an import account"), "{message}");
    assert_eq!(sim.bookings(), 0);
    // An ordinary export under the export account still books.
    block_on(dhl.create_shipment(&t, "sg_exp_ok", &export("10001", 1, LabelFormat::Pdf))).unwrap();
    assert_eq!(sim.bookings(), 1);
}

#[test]
fn a_lost_return_answer_is_found_under_the_import_account() {
    let dhl = adapter();
    let sim = sim();
    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(Box::new(|op, _| match op {
        Operation::CreateShipment => Fault::LoseAnswer(CarrierError::Timeout { timeout_ms: 300 }),
        _ => Fault::Pass,
    }));
    let id = "shp_0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e";
    let lost = block_on(dhl.create_return(&t, None, &return_of_export(id))).unwrap_err();
    assert!(lost.may_have_happened());
    let found = block_on(dhl.lookup(&t, &shipment_ref(id, None)))
        .unwrap()
        .expect("found under the import account");
    assert_eq!(
        found.carrier_refs[dhl_express::SHIPPER_ACCOUNT_REF],
        SANDBOX_IMPORT_ACCOUNT
    );
    assert_eq!(sim.bookings(), 1);
    let ops = t.ops();
    assert_eq!(
        ops.iter().filter(|o| **o == Operation::Lookup).count(),
        2,
        "the export account first, then the import account: {ops:?}"
    );
}
