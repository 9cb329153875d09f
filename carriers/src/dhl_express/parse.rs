//! Every MyDHL answer read into unified values, one pure function per answer.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::CarrierError;
use crate::families::{AddressClass, AddressVerdict, ScheduledPickup};
use crate::kit::adapter::{Result, refs};
use crate::kit::http::status_code;
use crate::kit::labels;
use crate::kit::lenient::{money, trimmed};
use crate::kit::time::UTC;
use crate::kit::tracking::or_unmapped;
use crate::mapping::Mapping;
use crate::schema::{
    Address, CancelOutcome, Charge, ChargeKind, CreatedShipment, Currency, Document, DocumentKind,
    LabelDocument, LabelFormat, Money, PostalCode, RateQuote, TrackingEvent, TrackingUpdate,
};
use crate::wire::HttpResponse;

use super::ID;
use super::wire::{
    DhlAddressResponse, DhlDocument, DhlDocumentsResponse, DhlEvent, DhlPickupCancelResponse,
    DhlPickupResponse, DhlPickupUpdateResponse, DhlPrice, DhlProblem, DhlProduct, DhlRateResponse,
    DhlShipmentResponse, DhlTrackedShipment, DhlTrackingResponse,
};

/// The mapping table of checkpoint codes.
pub const EVENT_CODES: &str = "event";
/// Carrier refs: the piece (license plate) numbers, comma-separated, one per package.
pub const PIECES_REF: &str = "piece_tracking_numbers";
/// The refusal code of a tracking number DHL does not know.
pub const NOT_FOUND: &str = "not_found";

/// MyDHL's refusal in its own words: its problem document's `detail` (else `title` or
/// `message`) with any `additionalDetails`, under the code of the HTTP status; a 5xx may
/// have happened.
pub fn refusal(resp: &HttpResponse) -> CarrierError {
    if let Err(e) = resp.fail_on_server_error() {
        return e;
    }
    let problem: DhlProblem = serde_json::from_slice(&resp.body).unwrap_or_default();
    let mut words: Vec<String> = [&problem.detail, &problem.title, &problem.message]
        .into_iter()
        .find_map(|t| t.get().map(str::to_string))
        .into_iter()
        .collect();
    words.extend(problem.additional_details.iter().filter_map(words_of));
    let message = if words.is_empty() {
        crate::kit::error_body::message(resp)
    } else {
        words.join("; ")
    };
    CarrierError::rejected(status_code(resp.status), message, resp.status)
}

/// The JSON of a 2xx answer, else [`refusal`].
fn json<T: serde::de::DeserializeOwned>(resp: &HttpResponse) -> Result<T> {
    if !resp.is_success() {
        return Err(refusal(resp));
    }
    resp.json()
}

fn currency(text: Option<&str>) -> Result<Currency> {
    let text =
        text.ok_or_else(|| CarrierError::bad_response("DHL gave an amount without a currency"))?;
    Currency::parse(text).ok_or_else(|| {
        CarrierError::bad_response(format!("DHL's currency {text:?} is no ISO 4217 code"))
    })
}

fn amount(value: &Value, currency: &Currency, what: &str) -> Result<Money> {
    money(value, currency.clone())
        .ok_or_else(|| CarrierError::bad_response(format!("DHL's {what} {value} is no amount")))
}

/// The price in the account's billing currency (`BILLC`), else the first one given.
fn billed(prices: &[DhlPrice]) -> Option<&DhlPrice> {
    prices
        .iter()
        .find(|p| p.currency_type.get() == Some("BILLC"))
        .or_else(|| prices.first())
}

/// `POST /rates`: one quote per product, priced in the billing currency, with DHL's
/// delivery estimate and transit days. DHL's 404 is its "no product for this lane":
/// not serviceable, an empty list.
pub fn parse_rate_response(resp: &HttpResponse) -> Result<Vec<RateQuote>> {
    if resp.status == 404 {
        return Ok(Vec::new());
    }
    let answer: DhlRateResponse = json(resp)?;
    answer.products.iter().map(quote).collect()
}

fn quote(product: &DhlProduct) -> Result<RateQuote> {
    let code = product
        .product_code
        .get()
        .ok_or_else(|| CarrierError::bad_response("a DHL product without productCode"))?;
    let price = billed(&product.total_price)
        .ok_or_else(|| CarrierError::bad_response(format!("DHL product {code} has no price")))?;
    let currency = currency(price.price_currency.get())?;
    let total = amount(&price.price, &currency, "total price")?;
    let name = product.product_name.get().unwrap_or(code);
    let mut quote = RateQuote::new(ID, code, name, total, charges(product, name, &currency)?);
    let estimate = product
        .delivery_capabilities
        .estimated_delivery_date_and_time
        .get();
    quote.estimated_delivery = estimate.and_then(|t| t.get(..10)?.parse::<NaiveDate>().ok());
    quote.transit_days = product
        .delivery_capabilities
        .total_transit_days
        .get()
        .and_then(|d| d.parse().ok());
    Ok(quote)
}

/// The breakdown in `currency`: DHL's detailed lines by name where it sends them (the
/// product's own price is the freight, `FF` the fuel surcharge, other services
/// surcharges, taxes on each line as tax), else its totals by type.
fn charges(product: &DhlProduct, name: &str, currency: &Currency) -> Result<Vec<Charge>> {
    let in_currency = |c: Option<&str>| c.is_none_or(|c| c == currency.as_str());
    let mut lines = Vec::new();
    if let Some(detailed) = product
        .detailed_price_breakdown
        .iter()
        .find(|b| in_currency(b.price_currency.get()))
    {
        for line in &detailed.breakdown {
            let label = line.name.get().unwrap_or("DHL charge");
            let kind = if line.service_code.get() == Some("FF") {
                ChargeKind::FuelSurcharge
            } else if label.eq_ignore_ascii_case(name) || line.service_code.get().is_none() {
                ChargeKind::Freight
            } else {
                ChargeKind::Other
            };
            lines.push(Charge::new(
                kind,
                label,
                amount(&line.price, currency, "charge")?,
            ));
            for tax in line
                .price_breakdown
                .iter()
                .filter(|t| t.price_type.get() == Some("TAX"))
            {
                let label = tax.type_code.get().unwrap_or("TAX");
                lines.push(Charge::new(
                    ChargeKind::Tax,
                    label,
                    amount(&tax.price, currency, "tax")?,
                ));
            }
        }
        return Ok(lines);
    }
    let Some(totals) = product
        .total_price_breakdown
        .iter()
        .find(|b| in_currency(b.price_currency.get()))
    else {
        return Ok(lines);
    };
    for line in &totals.price_breakdown {
        let code = line.type_code.get().unwrap_or_default();
        let kind = match code {
            "SPRQT" => ChargeKind::Freight,
            "FUEL" => ChargeKind::FuelSurcharge,
            "STTXA" => ChargeKind::Tax,
            _ => ChargeKind::Other,
        };
        let mut value = amount(&line.price, currency, "charge")?;
        // STDIS is a discount DHL lists as a positive amount.
        if code == "STDIS" {
            value.amount = -value.amount.abs();
        }
        lines.push(Charge::new(kind, code, value));
    }
    Ok(lines)
}

/// The format of a DHL document: `imageFormat` (labels, invoices), `encodingFormat` or
/// `format` (the ePOD).
fn format_of(doc: &DhlDocument) -> String {
    [&doc.image_format, &doc.encoding_format, &doc.format]
        .into_iter()
        .find_map(|t| t.get())
        .unwrap_or_default()
        .to_ascii_uppercase()
}

fn label_format(text: &str) -> Option<LabelFormat> {
    match text {
        "PDF" => Some(LabelFormat::Pdf),
        "ZPL" | "ZPL2" => Some(LabelFormat::Zpl),
        _ => None,
    }
}

/// The labels among `docs`, one file per format: each piece's label decoded (and
/// checked to be what it claims), then joined in piece order.
fn labels_of(docs: &[DhlDocument]) -> Result<Vec<LabelDocument>> {
    let mut pieces: Vec<(u32, LabelDocument)> = Vec::new();
    for doc in docs
        .iter()
        .filter(|d| d.type_code.get().is_none_or(|t| t == "label"))
    {
        let Some(format) = label_format(&format_of(doc)) else {
            continue;
        };
        let content = doc
            .content
            .get()
            .ok_or_else(|| CarrierError::bad_response("a DHL label without content"))?;
        let piece = doc
            .package_reference_number
            .get()
            .and_then(|n| n.parse().ok())
            .unwrap_or(u32::MAX);
        pieces.push((piece, labels::decode(format, content)?));
    }
    pieces.sort_by_key(|(piece, _)| *piece);
    let pieces: Vec<LabelDocument> = pieces.into_iter().map(|(_, l)| l).collect();
    let mut merged = Vec::new();
    for format in [LabelFormat::Pdf, LabelFormat::Zpl] {
        if pieces.iter().any(|p| p.format == format) {
            merged.push(labels::merge(format, &pieces)?);
        }
    }
    Ok(merged)
}

/// `POST /shipments`: the AWB, the labels (one per piece, joined per format), DHL's
/// commercial invoice for a dutiable shipment, the destination service area as the
/// routing code, the pieces' numbers and the charge where DHL states it.
pub fn parse_create_response(resp: &HttpResponse, service: &str) -> Result<CreatedShipment> {
    let answer: DhlShipmentResponse = json(resp)?;
    let awb = answer
        .shipment_tracking_number
        .get()
        .ok_or_else(|| CarrierError::bad_response("DHL's booking has no shipmentTrackingNumber"))?;
    let pieces: Vec<&str> = answer
        .packages
        .iter()
        .filter_map(|p| p.tracking_number.get())
        .collect();
    let pieces = pieces.join(",");
    let mut created = CreatedShipment::new(
        awb,
        service,
        refs([(PIECES_REF, Some(pieces.as_str()).filter(|p| !p.is_empty()))]),
    );
    created.labels = labels_of(&answer.documents)?;
    if created.labels.is_empty() {
        return Err(CarrierError::bad_response(format!(
            "DHL booked {awb} but sent no label"
        )));
    }
    for doc in &answer.documents {
        if doc.type_code.get() == Some("invoice")
            && let Some(content) = doc.content.get()
        {
            let invoice = labels::decode_pdf_document(DocumentKind::CommercialInvoice, content)?;
            created.documents.push(invoice);
        }
    }
    created.routing_code = answer.shipment_details.first().and_then(|d| {
        let area = &d.destination_service_area;
        area.service_area_code
            .get()
            .or(area.facility_code.get())
            .map(str::to_string)
    });
    if let Some(charge) = answer
        .shipment_charges
        .iter()
        .find(|c| c.currency_type.get() == Some("BILLC"))
        && let Ok(currency) = currency(charge.price_currency.get())
    {
        created.charged = money(&charge.price, currency);
    }
    Ok(created)
}

/// An event's time: its local date and time at the service area with DHL's `GMTOffset`
/// (`+05:30`, also written `GMT+05:30`); without an offset the time is read as UTC, the
/// only zone DHL's answer implies (see the module doc).
pub fn event_time(event: &DhlEvent) -> Option<DateTime<Utc>> {
    let date = event.date.get()?;
    let time = event.time.get().unwrap_or("00:00:00");
    let offset = event
        .gmt_offset
        .get()
        .map(|o| o.trim_start_matches("GMT").trim().to_string())
        .unwrap_or_default();
    UTC.parse(&format!("{date}T{time}{offset}"))
}

fn event(mapping: &Mapping, e: &DhlEvent) -> Result<TrackingEvent> {
    let code = e.type_code.get().unwrap_or_default();
    let time = event_time(e).ok_or_else(|| {
        CarrierError::bad_response(format!(
            "DHL event {code} has no readable time ({:?} {:?} {:?})",
            e.date.get(),
            e.time.get(),
            e.gmt_offset.get()
        ))
    })?;
    let unified = or_unmapped(ID, mapping.lookup(EVENT_CODES, code), code);
    let text = e.description.get().unwrap_or(code);
    let place = e
        .service_area
        .first()
        .and_then(|a| a.description.get().or(a.code.get()));
    Ok(TrackingEvent::new(unified, code, text, time)
        .with_location(place.map(str::to_string))
        .with_description(e.description.get().map(str::to_string)))
}

fn update(mapping: &Mapping, shipment: &DhlTrackedShipment) -> Result<TrackingUpdate> {
    let awb = shipment
        .shipment_tracking_number
        .get()
        .ok_or_else(|| CarrierError::bad_response("a tracked DHL shipment without its number"))?;
    let mut events = shipment
        .events
        .iter()
        .map(|e| event(mapping, e))
        .collect::<Result<Vec<_>>>()?;
    // DHL lists the newest first; the timeline is oldest first.
    events.sort_by_key(|e| e.event_time);
    Ok(TrackingUpdate {
        awb: awb.to_string(),
        events,
    })
}

/// Every shipment a tracking answer holds (a lookup by reference may find several).
pub fn parse_track_response_all(
    mapping: &Mapping,
    resp: &HttpResponse,
) -> Result<Vec<TrackingUpdate>> {
    if resp.status == 404 {
        return Err(CarrierError::rejected(
            NOT_FOUND,
            crate::kit::error_body::message(resp),
            404,
        ));
    }
    let answer: DhlTrackingResponse = json(resp)?;
    answer
        .shipments
        .iter()
        .map(|s| update(mapping, s))
        .collect()
}

/// `GET /shipments/{awb}/tracking`: the shipment's checkpoints, oldest first. DHL's 404
/// ("No shipments found") is [`NOT_FOUND`].
pub fn parse_track_response(mapping: &Mapping, resp: &HttpResponse) -> Result<TrackingUpdate> {
    parse_track_response_all(mapping, resp)?
        .into_iter()
        .next()
        .ok_or_else(|| CarrierError::rejected(NOT_FOUND, "DHL tracked no shipment", resp.status))
}

/// `GET /tracking?shipmentReference=`: the booking made under shipgate's reference, or
/// `None` on DHL's 404 (no shipment under it). Several under one reference would be a
/// double booking already made; the newest (DHL lists it first) is taken and the rest
/// logged for an operator.
pub fn parse_lookup_response(
    resp: &HttpResponse,
    reference: &str,
) -> Result<Option<CreatedShipment>> {
    if resp.status == 404 {
        return Ok(None);
    }
    let answer: DhlTrackingResponse = json(resp)?;
    let mut found = answer
        .shipments
        .iter()
        .filter_map(|s| Some((s.shipment_tracking_number.get()?, s.product_code.get())));
    let Some((awb, product)) = found.next() else {
        return Ok(None);
    };
    let others: Vec<&str> = found.map(|(awb, _)| awb).collect();
    if !others.is_empty() {
        tracing::warn!(
            carrier = ID,
            reference,
            awb,
            ?others,
            "several DHL shipments under one reference"
        );
    }
    let service = product.unwrap_or(super::requests::DEFAULT_PRODUCT);
    Ok(Some(CreatedShipment::new(awb, service, refs([]))))
}

/// `GET /shipments/{awb}/get-image` for a label: the label in `format`, its pieces joined.
pub fn parse_label_image_response(
    resp: &HttpResponse,
    format: LabelFormat,
) -> Result<LabelDocument> {
    let answer: DhlDocumentsResponse = json(resp)?;
    labels_of(&answer.documents)?
        .into_iter()
        .find(|l| l.format == format)
        .ok_or_else(|| CarrierError::bad_response(format!("DHL sent no {} label", format.as_str())))
}

/// A document answer (`get-image` for the invoice, `proof-of-delivery`): the PDF of
/// `kind` (DHL's `typeCode` `invoice` or `POD`, or the only document there is).
pub fn parse_document_response(resp: &HttpResponse, kind: DocumentKind) -> Result<Document> {
    let answer: DhlDocumentsResponse = json(resp)?;
    let wanted = match kind {
        DocumentKind::CommercialInvoice => "invoice",
        DocumentKind::ProofOfDelivery => "pod",
        _ => "",
    };
    let doc = answer
        .documents
        .iter()
        .find(|d| {
            d.type_code
                .get()
                .is_some_and(|t| t.eq_ignore_ascii_case(wanted))
        })
        .or_else(|| {
            answer
                .documents
                .iter()
                .find(|d| d.type_code.get().is_none())
        })
        .ok_or_else(|| CarrierError::bad_response(format!("DHL sent no {}", kind.as_str())))?;
    if format_of(doc) != "PDF" {
        return Err(CarrierError::bad_response(format!(
            "DHL's {} is {}, not a PDF",
            kind.as_str(),
            format_of(doc)
        )));
    }
    let content = doc.content.get().ok_or_else(|| {
        CarrierError::bad_response(format!("DHL's {} has no content", kind.as_str()))
    })?;
    labels::decode_pdf_document(kind, content)
}

/// `POST /pickups`: the dispatch confirmation number (the first, when DHL splits the
/// pickup), on the date DHL confirms (`nextPickupDate` where it moved it).
pub fn parse_pickup_response(resp: &HttpResponse, asked: NaiveDate) -> Result<ScheduledPickup> {
    let answer: DhlPickupResponse = json(resp)?;
    let numbers: Vec<&str> = answer
        .dispatch_confirmation_numbers
        .iter()
        .filter_map(|n| n.get())
        .collect();
    let first = numbers.first().ok_or_else(|| {
        CarrierError::bad_response("DHL scheduled a pickup without a dispatch confirmation number")
    })?;
    let date = answer
        .next_pickup_date
        .get()
        .and_then(|d| d.parse().ok())
        .unwrap_or(asked);
    let mut message = format!("DHL dispatch confirmation {}", numbers.join(", "));
    if let Some(ready) = answer.ready_by_time.get() {
        message.push_str(&format!("; ready by {ready}"));
    }
    Ok(ScheduledPickup {
        pickup_id: first.to_string(),
        date,
        carrier_message: message,
    })
}

/// A detail or warning: DHL's text, or the `message` of an object.
fn words_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => trimmed(Some(s)).map(str::to_string),
        other => trimmed(other.get("message").and_then(Value::as_str)).map(str::to_string),
    }
}

/// `PATCH /pickups/{dispatchConfirmationNumber}`: the number DHL now knows the pickup by
/// (the one asked about when it names none), on the date it confirms. DHL's warnings
/// (a moved date, a late ready time) go into the message: the shipper must see them.
pub fn parse_pickup_update_response(
    resp: &HttpResponse,
    number: &str,
    asked: NaiveDate,
) -> Result<ScheduledPickup> {
    let answer: DhlPickupUpdateResponse = json(resp)?;
    let confirmed = answer.dispatch_confirmation_number.get().unwrap_or(number);
    let date = match answer.next_pickup_date.get() {
        None => asked,
        Some(d) => d.parse().map_err(|_| {
            CarrierError::bad_response(format!("DHL confirmed the pickup for `{d}`, not a date"))
        })?,
    };
    let mut message = format!("DHL moved pickup {number}");
    if confirmed != number {
        message.push_str(&format!(", now dispatch confirmation {confirmed}"));
    }
    message.push_str(&format!(", to {date}"));
    if let Some(ready) = answer.ready_by_time.get() {
        message.push_str(&format!("; ready by {ready}"));
    }
    for text in answer.warnings.iter().filter_map(words_of) {
        message.push_str(&format!("; DHL warns: {text}"));
    }
    Ok(ScheduledPickup {
        pickup_id: confirmed.to_string(),
        date,
        carrier_message: message,
    })
}

/// `DELETE /pickups/{dispatchConfirmationNumber}`.
pub fn parse_pickup_cancel_response(resp: &HttpResponse) -> Result<CancelOutcome> {
    let answer: DhlPickupCancelResponse = json(resp)?;
    let number = answer
        .dispatch_confirmation_number
        .get()
        .unwrap_or("the pickup");
    let status = answer.status.get().unwrap_or("cancelled");
    Ok(CancelOutcome {
        carrier_message: format!("DHL pickup {number}: {status}"),
    })
}

/// `GET /address-validate`: DHL serves the place when it names a service area for it;
/// its city and postal code are the suggestion. DHL validates the place, not the street,
/// and says nothing of residential or business use. DHL's 404 means it serves no such
/// place.
pub fn parse_address_response(resp: &HttpResponse, given: &Address) -> Result<AddressVerdict> {
    if resp.status == 404 {
        return Ok(AddressVerdict {
            deliverable: false,
            suggestion: None,
            classification: AddressClass::Unknown,
            carrier_message: crate::kit::error_body::message(resp),
        });
    }
    let answer: DhlAddressResponse = json(resp)?;
    let warnings: Vec<String> = answer
        .warnings
        .iter()
        .map(|w| w.as_str().map_or_else(|| w.to_string(), str::to_string))
        .collect();
    let Some(found) = answer.address.first() else {
        return Ok(AddressVerdict {
            deliverable: false,
            suggestion: None,
            classification: AddressClass::Unknown,
            carrier_message: Some(warnings.join("; "))
                .filter(|w| !w.is_empty())
                .unwrap_or_else(|| "DHL knows no such place".into()),
        });
    };
    let mut suggestion = given.clone();
    // DHL writes cities in capitals: only another name is a correction.
    if let Some(city) = found.city_name.get()
        && !city.eq_ignore_ascii_case(suggestion.city.trim())
    {
        suggestion.city = city.to_string();
    }
    if let Some(postal) = found.postal_code.get()
        && let Ok(postal) = PostalCode::parse(postal, &suggestion.country)
    {
        suggestion.postal_code = postal;
    }
    let area = found
        .service_area
        .description
        .get()
        .or(found.service_area.code.get());
    let mut message = format!("DHL service area {}", area.unwrap_or("named"));
    if !warnings.is_empty() {
        message.push_str(&format!("; {}", warnings.join("; ")));
    }
    Ok(AddressVerdict {
        deliverable: true,
        suggestion: Some(suggestion).filter(|s| s != given),
        classification: AddressClass::Unknown,
        carrier_message: message,
    })
}
