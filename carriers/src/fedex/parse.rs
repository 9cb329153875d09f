//! One pure function per FedEx answer, `HttpResponse` → unified values.
//!
//! FedEx answers errors with an HTTP 4xx/5xx and `{"errors": [{code, message}]}`; the
//! Track API also answers 200 with an `error` inside a track result for a number it does
//! not know. Scan times carry the offset of the scan's place; where FedEx drops it, the
//! time is read in the zone of the scan's US state ([`us_zone`]), else UTC.

use chrono::{DateTime, NaiveDate, Utc};

use crate::CarrierError;
use crate::families::{AddressClass, AddressVerdict, UploadedDocument};
use crate::kit::http::{UNAUTHORIZED, refusal};
use crate::kit::labels;
use crate::kit::lenient::{Loose, Text};
use crate::kit::time::{UTC, Zone};
use crate::kit::tracking::or_unmapped;
use crate::mapping::Mapping;
use crate::schema::{
    Address, CancelOutcome, Charge, ChargeKind, CreatedShipment, Currency, Document, DocumentKind,
    LabelFormat, Money, PostalCode, PushedUpdate, RateQuote, TrackingEvent, TrackingUpdate,
};
use crate::taxonomy::{Status, SubStatus, Unified};
use crate::wire::HttpResponse;

use super::ID;
use super::wire::{
    AddressResponse, CancelResponse, DocumentResponse, EtdUploadResponse, FedexErrors,
    PickupResponse, RateReplyDetail, RateResponse, RatedShipmentDetail, ScanEvent, ShipDocument,
    ShipResponse, TrackResponse, TrackResult,
};

/// The carrier's refusal of a non-2xx answer, in its words (the first error's code and
/// every message). A 401/403 keeps the gateway's `unauthorized`, whatever FedEx calls it.
pub fn fedex_refusal(resp: &HttpResponse) -> CarrierError {
    let errors: FedexErrors = serde_json::from_slice(&resp.body).unwrap_or_default();
    let code = errors.errors.iter().find_map(|e| e.code.0.clone());
    let messages: Vec<String> = (errors.errors.iter())
        .filter_map(|e| e.message.0.clone())
        .collect();
    let message = (!messages.is_empty()).then(|| messages.join("; "));
    let code = match resp.status {
        401 | 403 => Some(UNAUTHORIZED.to_string()),
        _ => code,
    };
    refusal(resp, code, message)
}

/// The JSON of a 2xx answer, or the refusal it stands for.
fn body<T: serde::de::DeserializeOwned>(resp: &HttpResponse) -> Result<T, CarrierError> {
    if !resp.is_success() {
        return Err(fedex_refusal(resp));
    }
    resp.json()
}

fn currency(text: &Text) -> Option<Currency> {
    text.get().and_then(Currency::parse)
}

fn money(value: &Loose, currency: &Currency) -> Option<Money> {
    value.money(currency.clone())
}

/// `FOUR_DAYS` → 4 (FedEx spells transit times out, up to `TWENTY_DAYS`).
pub fn transit_days(text: &str) -> Option<u32> {
    const WORDS: [&str; 20] = [
        "ONE",
        "TWO",
        "THREE",
        "FOUR",
        "FIVE",
        "SIX",
        "SEVEN",
        "EIGHT",
        "NINE",
        "TEN",
        "ELEVEN",
        "TWELVE",
        "THIRTEEN",
        "FOURTEEN",
        "FIFTEEN",
        "SIXTEEN",
        "SEVENTEEN",
        "EIGHTEEN",
        "NINETEEN",
        "TWENTY",
    ];
    let word = text
        .trim()
        .strip_suffix("_DAYS")
        .or(text.trim().strip_suffix("_DAY"))?;
    let n = WORDS.iter().position(|w| w.eq_ignore_ascii_case(word))?;
    u32::try_from(n + 1).ok()
}

/// The date part of `2024-07-25T23:59:00` or `2024-07-25`.
fn date_of(text: Option<&str>) -> Option<NaiveDate> {
    let text = text?.trim();
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// The rated detail a quote is read from: the account's own rate when FedEx gives one,
/// else its list rate, else the first priced one.
fn chosen(detail: &RateReplyDetail) -> Option<&RatedShipmentDetail> {
    let details = &detail.rated_shipment_details;
    let priced = |d: &&RatedShipmentDetail| d.total_net_charge.number().is_some();
    let of = |kind: &str| (details.iter().filter(priced)).find(|d| d.rate_type.get() == Some(kind));
    of("ACCOUNT")
        .or_else(|| of("LIST"))
        .or_else(|| details.iter().find(priced))
}

/// One quote per service: the net charge as the total, the base charge (less discounts)
/// as freight, each surcharge (fuel apart) and tax as its own line.
fn quote(detail: &RateReplyDetail) -> Result<Option<RateQuote>, CarrierError> {
    let Some(service) = detail.service_type.get() else {
        return Ok(None);
    };
    let Some(rated) = chosen(detail) else {
        return Ok(None);
    };
    let rate = &rated.shipment_rate_detail;
    let currency = currency(&rated.currency)
        .or_else(|| currency(&rate.currency))
        .ok_or_else(|| CarrierError::bad_response(format!("{service}: a rate without currency")))?;
    let total = money(&rated.total_net_charge, &currency)
        .filter(|m| m.amount > 0)
        .ok_or_else(|| CarrierError::bad_response(format!("{service}: no usable net charge")))?;
    let mut lines = Vec::new();
    if let Some(base) = money(&rated.total_base_charge, &currency) {
        let discount = money(&rated.total_discounts, &currency).map_or(0, |d| d.amount);
        let freight = Money {
            amount: base.amount.saturating_sub(discount),
            currency: currency.clone(),
        };
        lines.push(Charge::new(ChargeKind::Freight, "Base charge", freight));
    }
    for s in &rate.sur_charges {
        let Some(amount) = money(&s.amount, &currency) else {
            continue;
        };
        let kind = match s.kind.get() {
            Some("FUEL") => ChargeKind::FuelSurcharge,
            Some("COD") => ChargeKind::Cod,
            _ => ChargeKind::Other,
        };
        let label = s.description.get().or(s.kind.get()).unwrap_or("Surcharge");
        lines.push(Charge::new(kind, label, amount));
    }
    for t in &rate.taxes {
        if let Some(amount) = money(&t.amount, &currency) {
            let label = t.description.get().or(t.kind.get()).unwrap_or("Tax");
            lines.push(Charge::new(ChargeKind::Tax, label, amount));
        }
    }
    let name = detail.service_name.get().unwrap_or(service);
    let mut quote = RateQuote::new(ID, service, name, total, lines);
    let ops = &detail.operational_detail;
    quote.estimated_delivery = date_of(detail.commit.date_detail.day_format.get())
        .or_else(|| date_of(ops.delivery_date.get()));
    quote.transit_days = (ops.transit_time.get())
        .or(detail.commit.transit_days.minimum_transit_time.get())
        .and_then(transit_days);
    Ok(Some(quote))
}

/// `/rate/v1/rates/quotes`: one quote per service FedEx priced. A lane FedEx does not
/// serve is its refusal (400, `SERVICE.UNAVAILABLE.ERROR` and the like).
pub fn parse_rate_response(resp: &HttpResponse) -> Result<Vec<RateQuote>, CarrierError> {
    let answer: RateResponse = body(resp)?;
    let mut quotes = Vec::new();
    for detail in &answer.output.rate_reply_details {
        quotes.extend(quote(detail)?);
    }
    Ok(quotes)
}

/// A document's format, where FedEx names one shipgate keeps.
fn label_format(doc: &ShipDocument) -> Option<LabelFormat> {
    match doc.doc_type.get()?.to_ascii_uppercase().as_str() {
        "PDF" => Some(LabelFormat::Pdf),
        "ZPLII" | "ZPL" => Some(LabelFormat::Zpl),
        _ => None,
    }
}

fn is_label(doc: &ShipDocument) -> bool {
    doc.content_type
        .get()
        .is_none_or(|c| c.eq_ignore_ascii_case("LABEL"))
}

/// `/ship/v1/shipments`: the master tracking number as the AWB, one label per piece
/// (joined into one file per format), the commercial invoice for an international
/// booking, and what FedEx charged.
pub fn parse_create_response(resp: &HttpResponse) -> Result<CreatedShipment, CarrierError> {
    let answer: ShipResponse = body(resp)?;
    let shipment = (answer.output.transaction_shipments.first())
        .ok_or_else(|| CarrierError::bad_response("a ship answer without a shipment"))?;
    let pieces = &shipment.piece_responses;
    let awb = (shipment.master_tracking_number.get())
        .or(shipment
            .completed_shipment_detail
            .master_tracking_id
            .tracking_number
            .get())
        .or_else(|| pieces.iter().find_map(|p| p.master_tracking_number.get()))
        .or_else(|| pieces.iter().find_map(|p| p.tracking_number.get()))
        .ok_or_else(|| CarrierError::bad_response("a ship answer without a tracking number"))?;
    let service = shipment.service_type.get().unwrap_or_default();
    let mut refs = std::collections::BTreeMap::new();
    let piece_numbers: Vec<&str> = pieces
        .iter()
        .filter_map(|p| p.tracking_number.get())
        .collect();
    if piece_numbers.len() > 1 {
        refs.insert(
            "piece_tracking_numbers".to_string(),
            piece_numbers.join(","),
        );
    }
    let mut created = CreatedShipment::new(awb, service, refs);
    // One label per piece, in piece order; a shipment-level label where FedEx puts it
    // there instead (one-piece examples carry it in both places: the pieces win).
    let piece_labels: Vec<&ShipDocument> = (pieces.iter())
        .flat_map(|p| p.package_documents.iter())
        .filter(|d| is_label(d) && d.encoded_label.get().is_some())
        .collect();
    let shipment_labels: Vec<&ShipDocument> = (shipment.shipment_documents.iter())
        .filter(|d| is_label(d) && d.encoded_label.get().is_some())
        .collect();
    let labels = if piece_labels.is_empty() {
        shipment_labels
    } else {
        piece_labels
    };
    for format in [LabelFormat::Pdf, LabelFormat::Zpl] {
        let decoded: Vec<_> = (labels.iter())
            .filter(|d| label_format(d) == Some(format))
            .filter_map(|d| d.encoded_label.get())
            .map(|b64| labels::decode(format, b64))
            .collect::<Result<_, _>>()?;
        if !decoded.is_empty() {
            created.labels.push(labels::merge(format, &decoded)?);
        }
    }
    for doc in &shipment.shipment_documents {
        let invoice =
            (doc.content_type.get()).is_some_and(|c| c.eq_ignore_ascii_case("COMMERCIAL_INVOICE"));
        if let (true, Some(b64)) = (invoice, doc.encoded_label.get()) {
            created.documents.push(labels::decode_pdf_document(
                DocumentKind::CommercialInvoice,
                b64,
            )?);
        }
    }
    let ops = &shipment.completed_shipment_detail.operational_detail;
    let routing = [ops.ursa_prefix_code.get(), ops.ursa_suffix_code.get()];
    let routing: Vec<&str> = routing.into_iter().flatten().collect();
    created.routing_code = (!routing.is_empty()).then(|| routing.join(" "));
    let rating = &shipment.completed_shipment_detail.shipment_rating;
    created.charged = rating
        .shipment_rate_details
        .first()
        .and_then(|r| money(&r.total_net_charge, &currency(&r.currency)?).filter(|m| m.amount > 0));
    Ok(created)
}

/// `PUT /ship/v1/shipments/cancel`: `cancelledShipment: true`, or FedEx's refusal (a
/// shipment already tendered cannot be cancelled).
pub fn parse_cancel_response(resp: &HttpResponse) -> Result<CancelOutcome, CarrierError> {
    let answer: CancelResponse = body(resp)?;
    let output = &answer.output;
    let words = output.success_message.get().or(output.message.get());
    if output.cancelled_shipment.0 != Some(true) {
        let message = words.unwrap_or("FedEx did not cancel the shipment");
        return Err(CarrierError::rejected(
            "not_cancelled",
            message,
            resp.status,
        ));
    }
    Ok(CancelOutcome {
        carrier_message: words.unwrap_or("cancelled").to_string(),
    })
}

/// The zone of a US state (or a Canadian province FedEx scans in), for the rare scan
/// without an offset. States split between zones take their most populous one.
pub fn us_zone(state: &str) -> Option<Zone> {
    use chrono_tz::America;
    let tz = match state.to_ascii_uppercase().as_str() {
        "CT" | "DE" | "DC" | "FL" | "GA" | "IN" | "ME" | "MD" | "MA" | "MI" | "NH" | "NJ"
        | "NY" | "NC" | "OH" | "PA" | "RI" | "SC" | "VT" | "VA" | "WV" | "KY" | "ON" | "QC"
        | "PQ" => America::New_York,
        "AL" | "AR" | "IL" | "IA" | "KS" | "LA" | "MN" | "MS" | "MO" | "NE" | "ND" | "OK"
        | "SD" | "TN" | "TX" | "WI" | "MB" => America::Chicago,
        "CO" | "ID" | "MT" | "NM" | "UT" | "WY" | "AB" => America::Denver,
        "AZ" => America::Phoenix,
        "CA" | "NV" | "OR" | "WA" | "BC" => America::Los_Angeles,
        "AK" => America::Anchorage,
        "HI" => chrono_tz::Pacific::Honolulu,
        "PR" => America::Puerto_Rico,
        _ => return None,
    };
    Some(Zone::Named(tz))
}

/// A scan's time: its offset when it has one, else the wall time in the scan state's
/// zone (a US or Canadian state), else UTC.
pub fn scan_time(text: &str, state: Option<&str>, country: Option<&str>) -> Option<DateTime<Utc>> {
    let zone = match country {
        Some("US" | "CA" | "PR") | None => state.and_then(us_zone),
        Some("IN") => Some(crate::kit::time::IST),
        _ => None,
    };
    zone.unwrap_or(UTC).parse(text)
}

/// Exception scans, whose exception code says more than the event type.
const EXCEPTION_EVENTS: [&str; 6] = ["DE", "SE", "DY", "DD", "PY", "CD"];

/// A scan's unified status (see `mappings/fedex.toml`): the exception code of an
/// exception scan, else the event type, else FedEx's derived status code.
pub fn resolve(m: &Mapping, event_type: &str, exception: &str, derived: &str) -> Option<Unified> {
    let exceptional = EXCEPTION_EVENTS
        .iter()
        .any(|e| e.eq_ignore_ascii_case(event_type.trim()));
    let by_exception = (exceptional && !exception.trim().is_empty())
        .then(|| m.lookup("exception", exception))
        .flatten();
    let non_empty = |code: &str| !code.trim().is_empty();
    by_exception
        .or_else(|| {
            non_empty(event_type)
                .then(|| m.lookup("event", event_type))
                .flatten()
        })
        .or_else(|| {
            non_empty(derived)
                .then(|| m.lookup("derived", derived))
                .flatten()
        })
}

fn event(m: &Mapping, scan: &ScanEvent) -> Option<TrackingEvent> {
    let loc = &scan.scan_location;
    let time = scan_time(
        scan.date.get()?,
        loc.state_or_province_code.get(),
        loc.country_code.get(),
    )?;
    let code = (scan.event_type.get()).or(scan.derived_status_code.get())?;
    let exception = scan.exception_code.or_empty();
    let derived = scan.derived_status_code.or_empty();
    let unified = or_unmapped(ID, resolve(m, code, &exception, &derived), code);
    let carrier_code = match exception.is_empty() {
        true => code.to_string(),
        false => format!("{code}/{exception}"),
    };
    let status = scan.event_description.or_empty();
    let place = [
        loc.city.get(),
        loc.state_or_province_code.get(),
        loc.country_code.get(),
    ];
    let place: Vec<&str> = place.into_iter().flatten().collect();
    Some(
        TrackingEvent::new(unified, carrier_code, status, time)
            .with_location(Some(place.join(", ")))
            .with_description(scan.exception_description.0.clone()),
    )
}

/// The events of one track result, oldest first (FedEx lists them newest first). FedEx
/// keeps the tracking number of a parcel going back to the shipper and scans it with the
/// same codes as on the way out, so once a return scan (RS, RT) shows, what follows is
/// the way back: "Delivered" is then delivered to the shipper.
fn events(m: &Mapping, result: &TrackResult) -> Vec<TrackingEvent> {
    let mut events: Vec<TrackingEvent> = result
        .scan_events
        .iter()
        .filter_map(|s| event(m, s))
        .collect();
    events.sort_by_key(|e| e.event_time);
    let mut returning = false;
    for e in &mut events {
        if returning {
            let back = match e.status {
                Status::InTransit => Some(SubStatus::RtoInTransit),
                Status::OutForDelivery => Some(SubStatus::RtoOutForDelivery),
                Status::Delivered => Some(SubStatus::RtoDelivered),
                Status::DeliveryFailed => Some(SubStatus::RtoDeliveryFailed),
                _ => None,
            };
            if let Some(sub) = back {
                let moved = TrackingEvent::new(
                    Unified::new(sub),
                    e.carrier_code.clone(),
                    e.carrier_status.clone(),
                    e.event_time,
                );
                *e = TrackingEvent {
                    location: e.location.take(),
                    description: e.description.take(),
                    ..moved
                };
            }
        }
        returning |= e.status == Status::Rto;
    }
    events
}

/// The customer reference FedEx shows for a package (shipgate's shipment id).
fn reference(result: &TrackResult) -> Option<String> {
    let ids = &result.additional_tracking_info.package_identifiers;
    ids.iter()
        .filter(|p| {
            p.kind
                .get()
                .is_some_and(|k| k.eq_ignore_ascii_case("CUSTOMER_REFERENCE"))
        })
        .flat_map(|p| p.values.iter())
        .find_map(|v| v.0.clone())
}

fn track_results(resp: &HttpResponse) -> Result<Vec<TrackResult>, CarrierError> {
    let answer: TrackResponse = body(resp)?;
    Ok(answer
        .output
        .complete_track_results
        .into_iter()
        .flat_map(|c| c.track_results)
        .collect())
}

/// Whether a track result is FedEx's "not found" for its number or reference.
fn not_found(result: &TrackResult) -> bool {
    result
        .error
        .as_ref()
        .is_some_and(|e| e.code.get().is_some_and(|c| c.contains("NOTFOUND")))
}

/// `/track/v1/trackingnumbers`: every shipment in the answer (a tracking number FedEx
/// reused shows as several), each with its events. A number FedEx does not know is its
/// refusal `not_found`.
pub fn parse_track_response_all(
    m: &Mapping,
    resp: &HttpResponse,
) -> Result<Vec<TrackingUpdate>, CarrierError> {
    let mut updates = Vec::new();
    let mut refused = None;
    for result in track_results(resp)? {
        let awb = result
            .tracking_number_info
            .tracking_number
            .get()
            .map(str::to_string);
        // FedEx's documented example carries an `error` beside a full result: only a
        // result without scans is the error it names.
        if let Some(error) = result
            .error
            .as_ref()
            .filter(|_| result.scan_events.is_empty())
        {
            // An error without a code (the fuzzer found one) still names one: the status's.
            let code = if not_found(&result) {
                Some("not_found".to_string())
            } else {
                (error.code.get())
                    .filter(|c| !c.trim().is_empty())
                    .map(str::to_string)
            };
            let message = error
                .message
                .get()
                .unwrap_or("FedEx could not track the number");
            refused.get_or_insert(refusal(resp, code, Some(message.to_string())));
            continue;
        }
        let Some(awb) = awb else { continue };
        updates.push(TrackingUpdate {
            awb,
            events: events(m, &result),
        });
    }
    match (updates.is_empty(), refused) {
        (true, Some(err)) => Err(err),
        (true, None) => Err(CarrierError::bad_response(
            "a track answer without a shipment",
        )),
        _ => Ok(updates),
    }
}

/// The shipment tracked as `awb`: when FedEx reused the number, the result whose latest
/// scan is newest (the live shipment, not the one delivered years ago).
pub fn parse_track_response(
    m: &Mapping,
    resp: &HttpResponse,
    awb: &str,
) -> Result<TrackingUpdate, CarrierError> {
    let all = parse_track_response_all(m, resp)?;
    let mut same: Vec<TrackingUpdate> = all.iter().filter(|u| u.awb == awb).cloned().collect();
    if same.is_empty() {
        same = all;
    }
    let newest = |u: &TrackingUpdate| u.events.iter().map(|e| e.event_time).max();
    same.into_iter()
        .max_by_key(newest)
        .ok_or_else(|| CarrierError::bad_response("a track answer without a shipment"))
}

/// `/track/v1/referencenumbers` by shipgate's shipment id: the booking found (its
/// tracking number), or `None` when FedEx knows no shipment under that reference.
pub fn parse_lookup_response(
    resp: &HttpResponse,
    reference_sent: &str,
) -> Result<Option<CreatedShipment>, CarrierError> {
    if resp.status == 404 {
        let errors: FedexErrors = serde_json::from_slice(&resp.body).unwrap_or_default();
        let none = errors
            .errors
            .iter()
            .any(|e| e.code.get().is_some_and(|c| c.contains("NOTFOUND")));
        return match none {
            true => Ok(None),
            false => Err(fedex_refusal(resp)),
        };
    }
    let results = track_results(resp)?;
    let found = results.iter().find(|r| {
        (r.error.is_none() || !r.scan_events.is_empty())
            && r.tracking_number_info.tracking_number.get().is_some()
            && reference(r).is_none_or(|found| found == reference_sent)
    });
    if let Some(result) = found {
        let awb = result.tracking_number_info.tracking_number.or_empty();
        let service = result.service_detail.kind.or_empty();
        return Ok(Some(CreatedShipment::new(awb, service, Default::default())));
    }
    if results.iter().all(not_found) {
        return Ok(None);
    }
    Err(CarrierError::bad_response(
        "a reference answer without a usable shipment",
    ))
}

/// `/pickup/v1/pickups`: the pickup's id, its confirmation code kept with FedEx's
/// location code as `<location>|<code>` (the cancel needs both), and FedEx's words.
pub fn parse_pickup_response(resp: &HttpResponse) -> Result<(String, String), CarrierError> {
    let answer: PickupResponse = body(resp)?;
    let output = &answer.output;
    let code = (output.pickup_confirmation_code.get())
        .ok_or_else(|| CarrierError::bad_response("a pickup answer without a confirmation code"))?;
    let pickup_id = match output.location.get() {
        Some(location) => format!("{location}|{code}"),
        None => code.to_string(),
    };
    let message = output
        .message
        .get()
        .unwrap_or("pickup scheduled")
        .to_string();
    Ok((pickup_id, message))
}

/// `/pickup/v1/pickups/cancel`.
pub fn parse_pickup_cancel_response(resp: &HttpResponse) -> Result<CancelOutcome, CarrierError> {
    let answer: PickupResponse = body(resp)?;
    let output = &answer.output;
    let message = (output.cancel_confirmation_message.get())
        .or(output.message.get())
        .ok_or_else(|| {
            CarrierError::bad_response("a pickup cancel answer without its confirmation")
        })?;
    Ok(CancelOutcome {
        carrier_message: message.to_string(),
    })
}

/// `/address/v1/addresses/resolve`: FedEx's standardised form of the address, whether it
/// resolved (its `Resolved` attribute, or `DPV` for a US address), and the class.
pub fn parse_address_response(
    resp: &HttpResponse,
    sent: &Address,
) -> Result<AddressVerdict, CarrierError> {
    let answer: AddressResponse = body(resp)?;
    let resolved = (answer.output.resolved_addresses.first())
        .ok_or_else(|| CarrierError::bad_response("an address answer without an address"))?;
    let attribute = |key: &str| resolved.attributes.get(key).and_then(Loose::flag);
    let deliverable = attribute("Resolved").or(attribute("DPV")).unwrap_or(false);
    let classification = match resolved
        .classification
        .get()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("RESIDENTIAL") => AddressClass::Residential,
        Some("BUSINESS") => AddressClass::Commercial,
        Some("MIXED") => AddressClass::Mixed,
        _ => AddressClass::Unknown,
    };
    let lines: Vec<String> = resolved
        .street_lines_token
        .iter()
        .filter_map(|l| l.0.clone())
        .collect();
    let country = resolved
        .country_code
        .get()
        .unwrap_or(&sent.country)
        .to_string();
    let postal = (resolved.postal_code.get()).and_then(|p| PostalCode::parse(p, &country).ok());
    let suggestion = match (deliverable, lines.first(), postal) {
        (true, Some(line1), Some(postal_code)) => Some(Address {
            line1: line1.clone(),
            line2: lines.get(1).cloned().or_else(|| sent.line2.clone()),
            city: resolved.city.get().unwrap_or(&sent.city).to_string(),
            state: resolved
                .state_or_province_code
                .0
                .clone()
                .or_else(|| sent.state.clone()),
            postal_code,
            country,
            ..sent.clone()
        }),
        _ => None,
    };
    let messages: Vec<String> = (resolved.customer_messages.iter())
        .filter_map(|m| m.message.0.clone().or_else(|| m.code.0.clone()))
        .collect();
    let carrier_message = match (messages.is_empty(), deliverable) {
        (false, _) => messages.join("; "),
        (true, true) => "resolved".to_string(),
        (true, false) => "FedEx could not resolve the address".to_string(),
    };
    Ok(AddressVerdict {
        deliverable,
        suggestion,
        classification,
        carrier_message,
    })
}

/// A tracking webhook push: FedEx's tracking webhook posts the Track API's result shape
/// (a full track answer, or one track result), so both are read here.
pub fn parse_pushes(m: &Mapping, body: &[u8]) -> Result<Vec<PushedUpdate>, CarrierError> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| CarrierError::bad_response(format!("a FedEx push that is not JSON: {e}")))?;
    let results: Vec<TrackResult> = if value.get("output").is_some() {
        let answer: TrackResponse = serde_json::from_value(value)
            .map_err(|e| CarrierError::bad_response(format!("a FedEx push: {e}")))?;
        answer
            .output
            .complete_track_results
            .into_iter()
            .flat_map(|c| c.track_results)
            .collect()
    } else {
        let one: TrackResult = serde_json::from_value(value)
            .map_err(|e| CarrierError::bad_response(format!("a FedEx push: {e}")))?;
        vec![one]
    };
    let updates: Vec<PushedUpdate> = results
        .iter()
        .filter_map(|r| {
            let awb = r.tracking_number_info.tracking_number.get()?.to_string();
            Some(PushedUpdate {
                awb,
                reference: reference(r),
                events: events(m, r),
            })
        })
        .collect();
    if updates.is_empty() {
        return Err(CarrierError::bad_response(
            "a FedEx push without a tracking number",
        ));
    }
    Ok(updates)
}

/// `/track/v1/trackingdocuments`: the signature proof of delivery, a PDF; none yet (the
/// package not delivered, or no signature) is FedEx's alert, returned as its refusal.
pub fn parse_proof_of_delivery_response(resp: &HttpResponse) -> Result<Document, CarrierError> {
    let answer: DocumentResponse = body(resp)?;
    let output = &answer.output;
    let Some(b64) = output.document.iter().find_map(|d| d.get()) else {
        let alert = output.alerts.first();
        let code = alert
            .and_then(|a| a.code.0.clone())
            .unwrap_or_else(|| "not_available".into());
        let message = (alert.and_then(|a| a.message.0.clone()))
            .unwrap_or_else(|| "FedEx has no proof of delivery for this shipment".into());
        return Err(CarrierError::rejected(code, message, resp.status));
    };
    labels::decode_pdf_document(DocumentKind::ProofOfDelivery, b64)
}

/// `/documents/v1/etds/upload`: the id FedEx filed the document under (`output.meta.docId`);
/// a 2xx without one is a bad answer, never an upload taken for done.
pub fn parse_etd_upload_response(resp: &HttpResponse) -> Result<UploadedDocument, CarrierError> {
    let answer: EtdUploadResponse = body(resp)?;
    let id = answer
        .output
        .meta
        .doc_id
        .0
        .filter(|id| !id.trim().is_empty());
    let id = id.ok_or_else(|| CarrierError::bad_response("FedEx named no document id"))?;
    Ok(UploadedDocument {
        carrier_document_id: id.trim().to_string(),
    })
}
