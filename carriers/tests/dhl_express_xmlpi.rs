//! Replays DHL Express's legacy XML-PI captures (`../shared/carrier-samples/dhl-express/
//! xmlpi_*.xml`) against the production MyDHL code.
//!
//! Why not an XML-PI adapter: DHL is retiring XML-PI (XML Services) for MyDHL, and issue
//! 18 asks for MyDHL with the legacy shapes "only where a sample proves a field's
//! meaning". A second production API would be code no account uses. What a capture
//! proves is checked here instead: each one is read with serde (quick-xml, as Delhivery's
//! XML is) into the fields it carries, each field is put where MyDHL carries the same
//! meaning (the correspondence below, one function per answer), and the production
//! parsers, mapping, time conversion and error classification must give the unified
//! values the capture states: its checkpoint codes land in the taxonomy through
//! `mappings/dhl_express.toml`, its local times and `GMT` offsets convert to the UTC it
//! states, its condition codes are refusals with DHL's words, its prices and currencies
//! are the quote's, its booking's AWB, label and charge are the shipment's. Requests are
//! checked the other way: the adapter's MyDHL request for the same shipment, rate or
//! pickup carries the capture's values in MyDHL's units and clocks.

mod common;

use base64::Engine;
use carriers::CarrierError;
use carriers::dhl_express::wire::DhlEvent;
use carriers::dhl_express::{self, DhlExpress, NOT_FOUND, PIECES_REF};
use carriers::families::PickupRequest;
use carriers::mapping::Mapping;
use carriers::schema::{
    Address, ChargeKind, Currency, Customs, CustomsItem, DutiesPayer, ExportReason, Incoterm,
    LabelFormat, Money, Parcel, Payment, Phone, PostalCode, RateRequest, ShipmentKind,
    ShipmentRequest,
};
use carriers::taxonomy::{Status, SubStatus};
use carriers::wire::HttpResponse;
use chrono::{NaiveDate, NaiveTime};
use common::utc;
use serde::Deserialize;
use serde_json::{Value, json};

const SAMPLES: &str = "dhl-express";

/// A capture, read as XML into `T`; `None` when the shared samples are absent.
fn capture<T: serde::de::DeserializeOwned>(file: &str) -> Option<T> {
    let bytes = common::sample(SAMPLES, file)?;
    let text = String::from_utf8(bytes).expect("UTF-8");
    Some(quick_xml::de::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}")))
}

fn mapping() -> &'static Mapping {
    dhl_express::mapping().expect("mappings/dhl_express.toml parses")
}

fn adapter() -> DhlExpress {
    DhlExpress::new(&(dhl_express::spec().sandbox_settings)()).expect("sandbox settings build")
}

fn answer(status: u16, body: &Value) -> HttpResponse {
    HttpResponse::new(status, serde_json::to_vec(body).unwrap())
}

/// XML-PI's text with its line breaks and indentation folded, as DHL means it.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// XML-PI's shapes: only the fields the captures are replayed for.

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Condition {
    #[serde(rename = "ConditionCode")]
    code: String,
    #[serde(rename = "ConditionData")]
    data: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Status_ {
    #[serde(rename = "ActionStatus")]
    action: String,
    #[serde(rename = "Condition")]
    conditions: Vec<Condition>,
}

/// `ErrorResponse`, `ShipmentValidateErrorResponse`, `ShipmentTrackingErrorResponse`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorResponse {
    #[serde(rename = "Response")]
    response: ErrorBody,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorBody {
    #[serde(rename = "Status")]
    status: Status_,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TrackingResponse {
    #[serde(rename = "AWBInfo")]
    awbs: Vec<AwbInfo>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AwbInfo {
    #[serde(rename = "AWBNumber")]
    awb: String,
    #[serde(rename = "Status")]
    status: Status_,
    #[serde(rename = "ShipmentInfo")]
    info: ShipmentInfo,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShipmentInfo {
    #[serde(rename = "GlobalProductCode")]
    product: String,
    #[serde(rename = "EstDlvyDate")]
    estimated: String,
    #[serde(rename = "EstDlvyDateUTC")]
    estimated_utc: String,
    #[serde(rename = "ShipmentEvent")]
    events: Vec<ShipmentEvent>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShipmentEvent {
    #[serde(rename = "Date")]
    date: String,
    #[serde(rename = "Time")]
    time: String,
    #[serde(rename = "ServiceEvent")]
    service_event: ServiceEvent,
    #[serde(rename = "ServiceArea")]
    area: ServiceArea,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ServiceEvent {
    #[serde(rename = "EventCode")]
    code: String,
    #[serde(rename = "Description")]
    description: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ServiceArea {
    #[serde(rename = "ServiceAreaCode")]
    code: String,
    #[serde(rename = "Description")]
    description: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DctResponse {
    #[serde(rename = "GetQuoteResponse")]
    quote: GetQuoteResponse,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GetQuoteResponse {
    #[serde(rename = "BkgDetails")]
    booking: BkgDetails,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BkgDetails {
    #[serde(rename = "QtdShp")]
    products: Vec<QtdShp>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QtdShp {
    #[serde(rename = "GlobalProductCode")]
    code: String,
    #[serde(rename = "ProductShortName")]
    name: String,
    #[serde(rename = "CurrencyCode")]
    currency: String,
    #[serde(rename = "WeightCharge")]
    weight_charge: String,
    #[serde(rename = "ShippingCharge")]
    shipping_charge: String,
    #[serde(rename = "TotalTransitDays")]
    transit_days: String,
    #[serde(rename = "QtdShpExChrg")]
    extra_charges: Vec<QtdShpExChrg>,
    #[serde(rename = "DeliveryDate")]
    delivery: DeliveryDate,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QtdShpExChrg {
    #[serde(rename = "SpecialServiceType")]
    code: String,
    #[serde(rename = "GlobalServiceName")]
    name: String,
    #[serde(rename = "CurrencyCode")]
    currency: String,
    #[serde(rename = "ChargeValue")]
    value: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeliveryDate {
    #[serde(rename = "DlvyDateTime")]
    at: String,
    #[serde(rename = "DeliveryDateTimeOffset")]
    offset: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShipmentResponse {
    #[serde(rename = "AirwayBillNumber")]
    awb: String,
    #[serde(rename = "GlobalProductCode")]
    product: String,
    #[serde(rename = "DestinationServiceArea")]
    destination: ServiceArea,
    #[serde(rename = "QtdSInAdCur")]
    charges: Vec<QtdSInAdCur>,
    #[serde(rename = "LabelImage")]
    label: LabelImage,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QtdSInAdCur {
    #[serde(rename = "CurrencyCode")]
    currency: String,
    #[serde(rename = "CurrencyRoleTypeCode")]
    role: String,
    #[serde(rename = "ShippingCharge")]
    shipping_charge: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LabelImage {
    #[serde(rename = "OutputFormat")]
    format: String,
    #[serde(rename = "OutputImage")]
    image: String,
    #[serde(rename = "MultiLabels")]
    multi: MultiLabels,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MultiLabels {
    #[serde(rename = "MultiLabel")]
    labels: Vec<MultiLabel>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MultiLabel {
    #[serde(rename = "DocName")]
    name: String,
    #[serde(rename = "DocFormat")]
    format: String,
    #[serde(rename = "DocImageVal")]
    image: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PickupResponse {
    #[serde(rename = "Note")]
    note: Note,
    #[serde(rename = "ConfirmationNumber")]
    number: String,
    #[serde(rename = "ReadyByTime")]
    ready_by: String,
    #[serde(rename = "NextPickupDate")]
    next_date: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Note {
    #[serde(rename = "ActionNote")]
    action: String,
    #[serde(rename = "Condition")]
    conditions: Vec<Condition>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PickupRequestXml {
    #[serde(rename = "Requestor")]
    requestor: Requestor,
    #[serde(rename = "Place")]
    place: Place,
    #[serde(rename = "Pickup")]
    pickup: PickupXml,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Requestor {
    #[serde(rename = "AccountNumber")]
    account: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Place {
    #[serde(rename = "Address1")]
    line1: String,
    #[serde(rename = "City")]
    city: String,
    #[serde(rename = "StateCode")]
    state: String,
    #[serde(rename = "CountryCode")]
    country: String,
    #[serde(rename = "PostalCode")]
    postal_code: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PickupXml {
    #[serde(rename = "PickupDate")]
    date: String,
    #[serde(rename = "ReadyByTime")]
    ready_by: String,
    #[serde(rename = "CloseTime")]
    close: String,
    #[serde(rename = "Pieces")]
    pieces: u32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DctRequest {
    #[serde(rename = "GetQuote")]
    quote: GetQuote,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GetQuote {
    #[serde(rename = "From")]
    from: Country,
    #[serde(rename = "To")]
    to: Country,
    #[serde(rename = "BkgDetails")]
    booking: BkgRequest,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Country {
    #[serde(rename = "CountryCode")]
    country: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct BkgRequest {
    #[serde(rename = "DimensionUnit")]
    dimension_unit: String,
    #[serde(rename = "WeightUnit")]
    weight_unit: String,
    #[serde(rename = "Pieces")]
    pieces: RequestPieces,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RequestPieces {
    #[serde(rename = "Piece")]
    pieces: Vec<RequestPiece>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RequestPiece {
    #[serde(rename = "Height")]
    height: f64,
    #[serde(rename = "Depth")]
    depth: f64,
    #[serde(rename = "Width")]
    width: f64,
    #[serde(rename = "Weight")]
    weight: f64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShipmentRequestXml {
    #[serde(rename = "Dutiable")]
    dutiable: Dutiable,
    #[serde(rename = "ExportDeclaration")]
    declaration: ExportDeclaration,
    #[serde(rename = "ShipmentDetails")]
    details: ShipmentDetails,
    #[serde(rename = "Shipper")]
    shipper: Country,
    #[serde(rename = "Consignee")]
    consignee: Country,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Dutiable {
    #[serde(rename = "DeclaredValue")]
    value: f64,
    #[serde(rename = "DeclaredCurrency")]
    currency: String,
    #[serde(rename = "TermsOfTrade")]
    incoterm: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ExportDeclaration {
    #[serde(rename = "InvoiceNumber")]
    invoice_number: String,
    #[serde(rename = "ExportLineItem")]
    lines: Vec<ExportLineItem>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ExportLineItem {
    #[serde(rename = "Quantity")]
    quantity: u32,
    #[serde(rename = "Description")]
    description: String,
    #[serde(rename = "Value")]
    value: f64,
    #[serde(rename = "CommodityCode")]
    commodity_code: String,
    #[serde(rename = "ManufactureCountryCode")]
    origin: String,
    #[serde(rename = "Weight")]
    weight: LineWeight,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LineWeight {
    #[serde(rename = "Weight")]
    weight: f64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShipmentDetails {
    #[serde(rename = "Pieces")]
    pieces: RequestPieces,
    #[serde(rename = "GlobalProductCode")]
    product: String,
    #[serde(rename = "CurrencyCode")]
    currency: String,
}

// ---------------------------------------------------------------------------------------
// The correspondence: each XML-PI answer put where MyDHL carries the same meaning.

/// `AWBInfo` → MyDHL's tracked shipment: `AWBNumber` is `shipmentTrackingNumber`,
/// `ShipmentEvent` a checkpoint (`EventCode` the same two-letter `typeCode`, `Date` and
/// `Time` the local `date` and `time`; XML-PI gives no offset, as karrio's MyDHL capture
/// gives none), `ServiceArea` the checkpoint's `serviceArea`.
fn tracked(info: &AwbInfo) -> Value {
    let events: Vec<Value> = info
        .info
        .events
        .iter()
        .map(|e| {
            json!({
                "date": e.date, "time": e.time, "typeCode": e.service_event.code,
                "description": words(&e.service_event.description),
                "serviceArea": [{"code": e.area.code, "description": words(&e.area.description)}],
            })
        })
        .collect();
    json!({"shipmentTrackingNumber": info.awb, "productCode": info.info.product, "events": events})
}

/// An XML-PI condition as the MyDHL problem document of the same refusal: XML-PI answers
/// HTTP 200 with a condition code, MyDHL the status of its class (a request DHL cannot
/// parse or validate is its 400, a shipment it does not find its 404, a business rule it
/// refuses its 422), with DHL's words in `detail`.
fn problem(condition: &Condition) -> HttpResponse {
    let status = match condition.code.as_str() {
        "111" => 400,
        "103" => 404,
        code if code.starts_with("PLT") => 422,
        other => panic!("no MyDHL class known for XML-PI condition {other}"),
    };
    answer(
        status,
        &json!({"status": status.to_string(), "title": "Error", "detail": words(&condition.data)}),
    )
}

/// `QtdShp` → MyDHL's product: `GlobalProductCode` is `productCode`, `ProductShortName`
/// `productName`, `ShippingCharge` the `BILLC` total in `CurrencyCode`, `WeightCharge`
/// the product's own line and each `QtdShpExChrg` a detailed line by name with its
/// `serviceCode`, `DlvyDateTime` with its offset the estimated delivery,
/// `TotalTransitDays` the transit days.
fn product(q: &QtdShp) -> Value {
    let number = |t: &str| t.trim().parse::<f64>().expect("a number");
    let mut lines = vec![json!({"name": q.name, "price": number(&q.weight_charge)})];
    for extra in &q.extra_charges {
        assert_eq!(extra.currency, q.currency, "one currency per quote");
        lines.push(
            json!({"name": extra.name, "serviceCode": extra.code, "price": number(&extra.value)}),
        );
    }
    let (day, time) = q.delivery.at.split_once(' ').expect("date and time");
    json!({
        "productName": q.name,
        "productCode": q.code,
        "totalPrice": [{"currencyType": "BILLC", "priceCurrency": q.currency, "price": number(&q.shipping_charge)}],
        "detailedPriceBreakdown": [{"currencyType": "BILLC", "priceCurrency": q.currency, "breakdown": lines}],
        "deliveryCapabilities": {
            "estimatedDeliveryDateAndTime": format!("{day}T{time}"),
            "totalTransitDays": q.transit_days,
        },
    })
}

// ---------------------------------------------------------------------------------------
// tracking

#[test]
fn the_xmlpi_tracking_captures_read_through_the_mydhl_mapping_and_clock() {
    let Some(delivered) = capture::<TrackingResponse>("xmlpi_track_response.xml") else {
        return;
    };
    let shipments: Vec<Value> = delivered.awbs.iter().map(tracked).collect();
    assert_eq!(shipments.len(), 3);
    let resp = answer(200, &json!({"shipments": shipments}));
    let updates = dhl_express::parse_track_response_all(mapping(), &resp).unwrap();
    let awbs: Vec<&str> = updates.iter().map(|u| u.awb.as_str()).collect();
    assert_eq!(awbs, ["3180831640", "7740842550", "1815115363"]);
    // Every checkpoint's code lands where the MyDHL code of that name does, none
    // unmapped, and its local time is the instant the production clock reads.
    for (update, info) in updates.iter().zip(&delivered.awbs) {
        assert_eq!(update.events.len(), info.info.events.len());
        for e in &update.events {
            let row = mapping().lookup("event", &e.carrier_code).unwrap();
            assert_eq!(e.sub_status, row.sub_status, "{}", e.carrier_code);
            assert_ne!(e.sub_status, SubStatus::Unmapped, "{}", e.carrier_code);
        }
    }
    let barcelona = &updates[0];
    let first = &barcelona.events[0];
    assert_eq!(
        (
            first.carrier_code.as_str(),
            first.sub_status,
            first.event_time
        ),
        ("PU", SubStatus::PickedUp, utc("2009-08-28T13:26:00Z"))
    );
    assert_eq!(first.location.as_deref(), Some("Barcelona - Spain"));
    let last = barcelona.events.last().unwrap();
    assert_eq!(
        (last.carrier_code.as_str(), last.status, last.event_time),
        ("OK", Status::Delivered, utc("2009-08-31T10:09:00Z"))
    );
    // Oldest first, and the way there as the taxonomy names it.
    let subs: Vec<SubStatus> = barcelona.events.iter().map(|e| e.sub_status).collect();
    assert!(
        subs.contains(&SubStatus::ArrivedAtFacility) && subs.contains(&SubStatus::DepartedFacility)
    );
    assert_eq!(
        &subs[subs.len() - 3..],
        [
            SubStatus::ReachedDestinationHub,
            SubStatus::OutForDelivery,
            SubStatus::Delivered
        ]
    );
    assert!(
        barcelona
            .events
            .windows(2)
            .all(|w| w[0].event_time <= w[1].event_time)
    );
    // Descriptions are DHL's, folded onto one line.
    assert!(
        barcelona
            .events
            .iter()
            .any(|e| e.description.as_deref()
                == Some("Arrived at DHL facility in Barcelona - Spain"))
    );

    let in_transit = capture::<TrackingResponse>("xmlpi_track_response_in_transit.xml").unwrap();
    let info = &in_transit.awbs[0];
    assert_eq!(info.status.action, "success");
    let resp = answer(200, &json!({"shipments": [tracked(info)]}));
    let update = dhl_express::parse_track_response(mapping(), &resp).unwrap();
    assert_eq!(update.awb, "9053283201");
    assert_eq!(update.events.len(), 1);
    assert_eq!(update.events[0].sub_status, SubStatus::PickedUp);
    assert_eq!(update.events[0].status, Status::InTransit);
    // The capture states a local time with DHL's `GMT` offset and the same instant in
    // UTC: the production clock (MyDHL's `GMTOffset` on a checkpoint) must agree.
    let (day, rest) = info.info.estimated.split_once(' ').unwrap();
    let (time, offset) = rest.split_once(' ').unwrap();
    let local = DhlEvent {
        date: carriers::kit::lenient::Text(Some(day.to_string())),
        time: carriers::kit::lenient::Text(Some(time.to_string())),
        gmt_offset: carriers::kit::lenient::Text(Some(offset.to_string())),
        ..DhlEvent::default()
    };
    assert_eq!(offset, "GMT-04:00");
    assert_eq!(
        dhl_express::event_time(&local),
        Some(utc(&format!(
            "{}Z",
            info.info.estimated_utc.replace(' ', "T")
        ))),
        "{} is {} UTC",
        info.info.estimated,
        info.info.estimated_utc
    );
}

#[test]
fn xmlpi_conditions_are_refusals_in_dhls_words() {
    // An unknown AWB: MyDHL's 404 is the adapter's NOT_FOUND, no booking.
    if let Some(missing) = capture::<TrackingResponse>("xmlpi_track_response_not_found.xml") {
        let status = &missing.awbs[0].status;
        assert_eq!(status.action, "No Shipments Found");
        let err = dhl_express::parse_track_response(mapping(), &problem(&status.conditions[0]))
            .unwrap_err();
        match err {
            CarrierError::Rejected {
                code,
                message,
                http_status,
            } => {
                assert_eq!((code.as_str(), http_status), (NOT_FOUND, 404));
                assert!(
                    message.contains("No Shipments Found for AWBNumber 123456789"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
    }
    // A request DHL cannot parse, a refused paperless booking, a bad rate request: each a
    // certain refusal (never retried, never "may have happened") with DHL's words.
    type Reader = fn(&HttpResponse) -> Result<(), CarrierError>;
    let cases: [(&str, &str, Reader); 3] = [
        ("xmlpi_auth_error_response.xml", "111", |r| {
            dhl_express::parse_track_response(mapping(), r).map(drop)
        }),
        ("xmlpi_create_shipment_error_response.xml", "PLT006", |r| {
            dhl_express::parse_create_response(r, "P").map(drop)
        }),
        ("xmlpi_rate_error_response.xml", "111", |r| {
            dhl_express::parse_rate_response(r).map(drop)
        }),
    ];
    for (file, code, read) in cases {
        let Some(error) = capture::<ErrorResponse>(file) else {
            continue;
        };
        let condition = &error.response.status.conditions[0];
        assert_eq!(condition.code, code, "{file}");
        let err = read(&problem(condition)).unwrap_err();
        assert!(!err.may_have_happened(), "{file}: {err:?}");
        match err {
            CarrierError::Rejected { message, .. } => {
                assert_eq!(message, words(&condition.data), "{file}");
            }
            other => panic!("{file}: {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// rates

#[test]
fn the_xmlpi_quote_reads_as_the_mydhl_quote() {
    let Some(dct) = capture::<DctResponse>("xmlpi_rate_response.xml") else {
        return;
    };
    let products: Vec<Value> = dct.quote.booking.products.iter().map(product).collect();
    let quotes =
        dhl_express::parse_rate_response(&answer(200, &json!({"products": products}))).unwrap();
    assert_eq!(quotes.len(), 2);
    let cad = Currency::parse("CAD").unwrap();
    let worldwide = &quotes[0];
    assert_eq!(
        (worldwide.service.as_str(), worldwide.service_name.as_str()),
        ("D", "EXPRESS WORLDWIDE")
    );
    // DHL's floats (208.02000000000001) are cents in the quote's currency.
    assert_eq!(
        worldwide.total,
        Money::from_major_str("208.02", cad.clone()).unwrap()
    );
    assert_eq!(worldwide.transit_days, Some(5));
    assert_eq!(
        worldwide.estimated_delivery,
        NaiveDate::from_ymd_opt(2018, 6, 26)
    );
    let fuel: Vec<_> = worldwide
        .breakdown
        .iter()
        .filter(|c| c.kind == ChargeKind::FuelSurcharge)
        .collect();
    assert_eq!(fuel.len(), 1, "{:?}", worldwide.breakdown);
    assert_eq!(
        fuel[0].amount,
        Money::from_major_str("12.70", cad.clone()).unwrap()
    );
    let freight = worldwide
        .breakdown
        .iter()
        .find(|c| c.kind == ChargeKind::Freight)
        .unwrap();
    assert_eq!(
        freight.amount,
        Money::from_major_str("195.32", cad.clone()).unwrap()
    );
    let easy = &quotes[1];
    assert_eq!(
        (easy.service.as_str(), easy.service_name.as_str()),
        ("7", "EXPRESS EASY")
    );
    assert_eq!(easy.total, Money::from_major_str("213.47", cad).unwrap());
    assert!(
        easy.breakdown
            .iter()
            .all(|c| c.kind != ChargeKind::FuelSurcharge),
        "no fuel line in the capture"
    );
}

#[test]
fn the_xmlpi_rate_request_is_what_the_adapter_asks_in_mydhls_units() {
    let Some(dct) = capture::<DctRequest>("xmlpi_rate_request.xml") else {
        return;
    };
    let booking = &dct.quote.booking;
    assert_eq!(
        (
            booking.weight_unit.as_str(),
            booking.dimension_unit.as_str()
        ),
        ("LB", "IN")
    );
    let piece = &booking.pieces.pieces[0];
    let grams = (piece.weight * 453.592_37).round() as u32;
    let mm = |inches: f64| Some((inches * 25.4).round() as u32);
    let from = Address {
        name: "Shipper".into(),
        phone: Phone::parse("+1 514 555 0100", "CA").unwrap(),
        email: None,
        line1: "1 Rue".into(),
        line2: None,
        landmark: None,
        city: "Montreal".into(),
        state: Some("QC".into()),
        postal_code: PostalCode::parse("H3N1S4", &dct.quote.from.country).unwrap(),
        country: dct.quote.from.country.clone(),
    };
    let to = Address {
        city: "Paris".into(),
        state: None,
        postal_code: PostalCode::parse("75001", "FR").unwrap(),
        country: "FR".into(),
        phone: Phone::parse("+33 1 55 00 00 00", "FR").unwrap(),
        ..from.clone()
    };
    let request = RateRequest {
        from,
        to,
        parcels: vec![Parcel {
            weight_g: grams,
            length_mm: mm(piece.depth),
            width_mm: mm(piece.width),
            height_mm: mm(piece.height),
            declared_value: None,
            description: None,
        }],
        payment: Payment::Prepaid,
        carriers: None,
        selection: Default::default(),
        customs: None,
    };
    let built = adapter().rate_request(&request).unwrap();
    let body: Value = serde_json::from_slice(built.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body["customerDetails"]["shipperDetails"]["countryCode"],
        "CA"
    );
    assert_eq!(body["unitOfMeasurement"], "metric");
    let package = &body["packages"][0];
    // 4 lb is 1.814 kg (DHL's three decimals); 10 × 3 × 3 in is 26 × 8 × 8 cm, whole
    // centimetres rounded up so DHL never measures less than the parcel.
    assert_eq!(package["weight"], 1.814);
    assert_eq!(
        package["dimensions"],
        json!({"length": 26, "width": 8, "height": 8})
    );
}

// ---------------------------------------------------------------------------------------
// booking

#[test]
fn the_xmlpi_booking_reads_as_the_mydhl_booking() {
    let Some(booked) = capture::<ShipmentResponse>("xmlpi_create_shipment_response.xml") else {
        return;
    };
    // `AirwayBillNumber` is `shipmentTrackingNumber`, `LabelImage` the piece label in its
    // `OutputFormat`, the `CustomInvoiceImage` DHL's invoice, `DestinationServiceArea`
    // the routing, the `BILLC` charge what the account is billed.
    let billed = booked.charges.iter().find(|c| c.role == "BILLC").unwrap();
    let mut documents = vec![
        json!({"typeCode": "label", "imageFormat": booked.label.format, "content": booked.label.image.trim()}),
    ];
    for doc in &booked.label.multi.labels {
        if doc.name == "CustomInvoiceImage" {
            documents.push(json!({"typeCode": "invoice", "imageFormat": doc.format, "content": doc.image.trim()}));
        }
    }
    let mydhl = json!({
        "shipmentTrackingNumber": booked.awb,
        "documents": documents,
        "shipmentDetails": [{"destinationServiceArea": {"serviceAreaCode": booked.destination.code}}],
        "shipmentCharges": [{"currencyType": billed.role, "priceCurrency": billed.currency,
                              "price": billed.shipping_charge.trim().parse::<f64>().unwrap()}],
    });
    let created =
        dhl_express::parse_create_response(&answer(201, &mydhl), &booked.product).unwrap();
    assert_eq!(created.awb, "0057714403", "the leading zero is DHL's");
    assert_eq!(created.service, "P");
    assert_eq!(created.routing_code.as_deref(), Some("BRU"));
    assert_eq!(
        created.charged,
        Some(Money::from_major_str("151.14", Currency::parse("USD").unwrap()).unwrap()),
        "the BILLC charge, not the GBP of the header"
    );
    assert!(
        !created.carrier_refs.contains_key(PIECES_REF),
        "no piece number in the capture"
    );
    assert_eq!(created.labels.len(), 1);
    assert_eq!(created.labels[0].format, LabelFormat::Pdf);
    assert!(created.labels[0].content.starts_with(b"%PDF"));
    let raw = base64::engine::general_purpose::STANDARD
        .decode(booked.label.image.trim())
        .unwrap();
    assert_eq!(
        created.labels[0].content, raw,
        "DHL's own label, not redrawn"
    );
    assert_eq!(created.documents.len(), 1, "the commercial invoice");
    assert!(created.documents[0].content.starts_with(b"%PDF"));
}

#[test]
fn the_xmlpi_booking_request_is_what_the_adapter_declares() {
    let Some(sample) = capture::<ShipmentRequestXml>("xmlpi_create_shipment_request.xml") else {
        return;
    };
    let eur = Currency::parse(&sample.dutiable.currency).unwrap();
    let line = &sample.declaration.lines[0];
    let piece = &sample.details.pieces.pieces[0];
    let person = |country: &str, city: &str, postal: &str, phone: &str| Address {
        name: "Person".into(),
        phone: Phone::parse(phone, country).unwrap(),
        email: None,
        line1: "1 Street".into(),
        line2: None,
        landmark: None,
        city: city.into(),
        state: None,
        postal_code: PostalCode::parse(postal, country).unwrap(),
        country: country.into(),
    };
    let request = ShipmentRequest {
        items: Vec::new(),
        order_ref: "ORD-XMLPI".into(),
        carrier: "dhl_express".into(),
        service: Some(sample.details.product.clone()),
        from: person(
            &sample.shipper.country,
            "Praha",
            "11000",
            "+420 222 000 000",
        ),
        to: person(
            &sample.consignee.country,
            "Istanbul",
            "34020",
            "+90 212 000 0000",
        ),
        parcels: vec![Parcel {
            weight_g: (piece.weight * 1000.0).round() as u32,
            length_mm: Some((piece.depth * 10.0) as u32),
            width_mm: Some((piece.width * 10.0) as u32),
            height_mm: Some((piece.height * 10.0) as u32),
            declared_value: None,
            description: Some(line.description.clone()),
        }],
        payment: Payment::Prepaid,
        label_format: LabelFormat::Pdf,
        kind: ShipmentKind::Forward,
        selection: Default::default(),
        customs: Some(Customs {
            contents: ExportReason::Sale,
            incoterm: Incoterm::Ddp,
            duties_payer: DutiesPayer::Sender,
            invoice_number: Some(sample.declaration.invoice_number.clone()),
            items: vec![CustomsItem {
                description: line.description.clone(),
                hs_code: "85171300".into(),
                origin_country: line.origin.clone(),
                quantity: line.quantity,
                unit_value: Money::from_major_str(&format!("{:.2}", line.value), eur.clone())
                    .unwrap(),
                weight_g: (line.weight.weight * 1000.0).round() as u32,
            }],
        }),
        returning: None,
    };
    assert_eq!(sample.dutiable.incoterm, "DDP");
    assert_eq!(sample.details.currency, "EUR");
    let body = adapter().create_body("sg_xmlpi", &request).unwrap();
    let content = &body["content"];
    // Dutiable/DeclaredValue + DeclaredCurrency, TermsOfTrade, the export line's value,
    // quantity, weight and origin, the piece's weight and centimetres, the product.
    assert_eq!(content["declaredValue"], sample.dutiable.value);
    assert_eq!(content["declaredValueCurrency"], "EUR");
    assert_eq!(content["incoterm"], "DDP");
    assert_eq!(content["isCustomsDeclarable"], true);
    let mydhl_line = &content["exportDeclaration"]["lineItems"][0];
    assert_eq!(mydhl_line["price"], line.value);
    assert_eq!(mydhl_line["quantity"]["value"], line.quantity);
    assert_eq!(mydhl_line["manufacturerCountry"], "CZ");
    assert_eq!(mydhl_line["weight"]["netValue"], line.weight.weight);
    assert_eq!(
        content["exportDeclaration"]["invoice"]["number"],
        sample.declaration.invoice_number
    );
    assert_eq!(content["packages"][0]["weight"], piece.weight);
    assert_eq!(
        content["packages"][0]["dimensions"],
        json!({"length": 30, "width": 22, "height": 5})
    );
    assert_eq!(body["productCode"], "8");
    // DDP: the shipper pays duties, MyDHL's `DD` service (XML-PI's DutyPaymentType S).
    assert!(
        body["valueAddedServices"]
            .as_array()
            .is_some_and(|s| s.iter().any(|v| v["serviceCode"] == "DD")),
        "{body}"
    );
}

// ---------------------------------------------------------------------------------------
// pickups and tracking requests

#[test]
fn the_xmlpi_pickup_answers_read_as_the_mydhl_ones() {
    if let Some(booked) = capture::<PickupResponse>("xmlpi_pickup_response.xml") {
        // `ConfirmationNumber` is the dispatch confirmation number, `NextPickupDate` the
        // date DHL moved it to, `ReadyByTime` its ready time, a condition a warning.
        assert_eq!(booked.note.action, "Success");
        let warnings: Vec<String> = booked
            .note
            .conditions
            .iter()
            .map(|c| words(&c.data))
            .collect();
        let mydhl = json!({
            "dispatchConfirmationNumbers": [booked.number],
            "nextPickupDate": booked.next_date,
            "readyByTime": booked.ready_by.get(..5).unwrap(),
            "warnings": warnings,
        });
        let asked = NaiveDate::from_ymd_opt(2013, 10, 19).unwrap();
        let pickup = dhl_express::parse_pickup_response(&answer(200, &mydhl), asked).unwrap();
        assert_eq!(pickup.pickup_id, "3674");
        assert_eq!(pickup.date, NaiveDate::from_ymd_opt(2013, 10, 9).unwrap());
        assert!(
            pickup.carrier_message.contains("ready by 10:30"),
            "{}",
            pickup.carrier_message
        );
    }
    if let Some(cancelled) = capture::<PickupResponse>("xmlpi_pickup_cancel_response.xml") {
        let mydhl = json!({"dispatchConfirmationNumber": cancelled.number, "status": cancelled.note.action});
        let outcome = dhl_express::parse_pickup_cancel_response(&answer(200, &mydhl)).unwrap();
        assert_eq!(outcome.carrier_message, "DHL pickup 100129: Success");
    }
}

#[test]
fn the_xmlpi_pickup_request_is_on_the_pickup_places_clock() {
    let Some(sample) = capture::<PickupRequestXml>("xmlpi_pickup_request.xml") else {
        return;
    };
    let place = &sample.place;
    let address = Address {
        name: "Test Person".into(),
        phone: Phone::parse("4801313131", &place.country).unwrap(),
        email: None,
        line1: place.line1.clone(),
        line2: None,
        landmark: None,
        city: place.city.clone(),
        state: Some(place.state.clone()),
        postal_code: PostalCode::parse(&place.postal_code, &place.country).unwrap(),
        country: place.country.clone(),
    };
    let time = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").unwrap();
    let request = PickupRequest {
        location: "Montreal".into(),
        address,
        date: sample.pickup.date.parse().unwrap(),
        window: Some((time(&sample.pickup.ready_by), time(&sample.pickup.close))),
        shipments: Vec::new(),
        packages: sample.pickup.pieces,
    };
    let built = adapter().pickup_request(&request).unwrap();
    let body: Value = serde_json::from_slice(built.body.as_ref().unwrap()).unwrap();
    // XML-PI's `ReadyByTime` has no offset: it is Montreal's wall clock, which in
    // October is Eastern daylight time. MyDHL wants the offset written out.
    assert_eq!(
        body["plannedPickupDateAndTime"],
        "2013-10-19T10:20:00 GMT-04:00"
    );
    assert_eq!(body["closeTime"], "09:20");
    assert_eq!(
        body["customerDetails"]["shipperDetails"]["postalAddress"]["postalCode"],
        "H8Z 2Z3"
    );
    assert_eq!(
        body["customerDetails"]["shipperDetails"]["postalAddress"]["countryCode"],
        "CA"
    );
    assert_eq!(
        body["shipmentDetails"][0]["packages"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        sample.requestor.account.len(),
        9,
        "an account number as MyDHL's `accounts`"
    );
    assert_eq!(body["accounts"][0]["typeCode"], "shipper");
}

#[test]
fn the_xmlpi_tracking_request_asks_what_the_adapter_asks() {
    let Some(xml) = common::sample(SAMPLES, "xmlpi_track_request.xml") else {
        return;
    };
    #[derive(Default, Deserialize)]
    #[serde(default)]
    struct Known {
        #[serde(rename = "AWBNumber")]
        awb: String,
        #[serde(rename = "LevelOfDetails")]
        level: String,
    }
    let known: Known = quick_xml::de::from_str(&String::from_utf8(xml).unwrap()).unwrap();
    assert_eq!(known.level, "ALL_CHECK_POINTS");
    let built = adapter().track_request(&known.awb);
    assert!(built.path.contains(&known.awb), "{}", built.path);
    // XML-PI's ALL_CHECK_POINTS is MyDHL's `trackingView=all-checkpoints`.
    let query: Vec<(String, String)> = built.query.clone();
    assert!(
        query
            .iter()
            .any(|(k, v)| k == "trackingView" && v == "all-checkpoints"),
        "{query:?}"
    );
}
