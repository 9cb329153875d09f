//! Reading USPS APIs v3 answers. Pure functions: an answer in, unified values out.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::CarrierError;
use crate::families::{AddressClass, AddressVerdict, Manifest, ScheduledPickup};
use crate::kit::adapter::Result;
use crate::kit::http::refusal;
use crate::kit::labels;
use crate::kit::time::Zone;
use crate::kit::tracking::or_unmapped;
use crate::mapping::Mapping;
use crate::schema::{
    Address, CancelOutcome, Charge, ChargeKind, CreatedShipment, Currency, LabelDocument,
    LabelFormat, Money, PostalCode, RateQuote, TrackingEvent, TrackingUpdate,
};
use crate::taxonomy::{Status, SubStatus, Unified};

use super::ID;
use super::wire::*;

/// The table of `mappings/usps.toml` event codes are read against.
pub const EVENT_CODES: &str = "event";

fn usd() -> Currency {
    Currency::parse("USD").expect("USD is an ISO 4217 currency")
}

fn money(value: &Option<crate::kit::lenient::Loose>) -> Option<Money> {
    value.as_ref()?.money(usd())
}

/// USPS's error document read into the carrier's code and words; a 5xx stays a failure
/// that may have happened.
pub fn usps_error(resp: &crate::wire::HttpResponse) -> CarrierError {
    let body: UspsErrorResponse = serde_json::from_slice(&resp.body).unwrap_or_default();
    let Some(error) = body.error else {
        return refusal(resp, None, None);
    };
    let details: Vec<String> = error
        .errors
        .iter()
        .filter_map(|e| e.detail.get().or(e.title.get()).map(str::to_string))
        .collect();
    let mut message = error.message.or_empty();
    for detail in details {
        if !message.contains(&detail) {
            message = match message.is_empty() {
                true => detail,
                false => format!("{message}: {detail}"),
            };
        }
    }
    let code = error
        .errors
        .iter()
        .find_map(|e| e.code.as_ref().and_then(|c| c.known()).map(str::to_string))
        .filter(|c| !c.chars().all(|ch| ch.is_ascii_digit()));
    let message = Some(message).filter(|m| !m.is_empty());
    refusal(resp, code, message)
}

/// The OK body of an answer, or USPS's error.
fn ok_json<T: serde::de::DeserializeOwned>(resp: &crate::wire::HttpResponse) -> Result<T> {
    if !resp.is_success() {
        return Err(usps_error(resp));
    }
    resp.json()
}

// ---------------------------------------------------------------------------------------
// Rates
// ---------------------------------------------------------------------------------------

/// The name USPS markets a mail class under.
pub fn service_name(mail_class: &str) -> String {
    let known = match mail_class {
        "USPS_GROUND_ADVANTAGE" => "USPS Ground Advantage",
        "PRIORITY_MAIL" => "Priority Mail",
        "PRIORITY_MAIL_EXPRESS" => "Priority Mail Express",
        "PARCEL_SELECT" => "Parcel Select",
        "PARCEL_SELECT_LIGHTWEIGHT" => "Parcel Select Lightweight",
        "MEDIA_MAIL" => "Media Mail",
        "LIBRARY_MAIL" => "Library Mail",
        "BOUND_PRINTED_MATTER" => "Bound Printed Matter",
        "USPS_CONNECT_LOCAL" => "USPS Connect Local",
        "USPS_CONNECT_REGIONAL" => "USPS Connect Regional",
        "PRIORITY_MAIL_INTERNATIONAL" => "Priority Mail International",
        "PRIORITY_MAIL_EXPRESS_INTERNATIONAL" => "Priority Mail Express International",
        "FIRST-CLASS_PACKAGE_INTERNATIONAL_SERVICE" => "First-Class Package International Service",
        "GLOBAL_EXPRESS_GUARANTEED" => "Global Express Guaranteed",
        other => return other.replace('_', " "),
    };
    known.to_string()
}

/// Whether a rate option prices USPS's own flat-rate packaging (an envelope or box the
/// shipper must use), which a parcel of given weight and size is not booked in.
fn is_flat_rate(option: &UspsRateOption) -> bool {
    option.rates.iter().any(|r| {
        let says = |t: &crate::kit::lenient::Text| {
            t.get()
                .is_some_and(|t| t.to_ascii_lowercase().contains("flat rate"))
        };
        says(&r.description) || says(&r.product_name)
    })
}

/// Days from a commitment's name (`"2 Days"`, `"1-Day"`), where it says.
fn commitment_days(name: &str) -> Option<u32> {
    let digits: String = name
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|d| (1..=60).contains(d))
}

/// Quotes from the shipping options answer: per mail class its cheapest single-piece
/// option that is not flat-rate packaging, the base prices as freight and the fees as
/// other charges, with USPS's delivery commitment. Empty when USPS offers nothing.
pub fn parse_options_response(resp: &crate::wire::HttpResponse) -> Result<Vec<RateQuote>> {
    let answer: UspsOptionsResponse = ok_json(resp)?;
    let mut quotes: Vec<RateQuote> = Vec::new();
    let options = answer
        .pricing_options
        .iter()
        .flat_map(|p| p.shipping_options.iter());
    for option in options {
        let Some(mail_class) = option.mail_class.get() else {
            continue;
        };
        if quotes.iter().any(|q| q.service == mail_class) {
            continue;
        }
        let priced = option
            .rate_options
            .iter()
            .filter(|o| !is_flat_rate(o))
            .filter_map(|o| Some((money(&o.total_price)?, o)));
        let single = |o: &&UspsRateOption| {
            o.rates
                .iter()
                .all(|r| matches!(r.rate_indicator.get(), None | Some("SP")))
        };
        let mut priced: Vec<(Money, &UspsRateOption)> = priced.collect();
        priced.sort_by_key(|(m, o)| (!single(o), m.amount));
        let Some((total, chosen)) = priced.into_iter().next() else {
            continue;
        };
        if total.amount <= 0 {
            continue;
        }
        let mut lines = Vec::new();
        for rate in &chosen.rates {
            let label = rate.description.get().unwrap_or("Postage").to_string();
            if let Some(price) = money(&rate.price) {
                lines.push(Charge::new(ChargeKind::Freight, label, price));
            }
            for fee in &rate.fees {
                if let Some(price) = money(&fee.price) {
                    let label = fee.name.get().unwrap_or("Fee").to_string();
                    lines.push(Charge::new(ChargeKind::Other, label, price));
                }
            }
        }
        let mut quote = RateQuote::new(ID, mail_class, service_name(mail_class), total, lines);
        if let Some(c) = &chosen.commitment {
            quote.transit_days = c.name.get().and_then(commitment_days);
            quote.estimated_delivery = c
                .schedule_delivery_date
                .get()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        }
        quotes.push(quote);
    }
    Ok(quotes)
}

// ---------------------------------------------------------------------------------------
// Payment authorization, labels, cancel
// ---------------------------------------------------------------------------------------

/// The payment authorization token.
pub fn parse_payment_response(resp: &crate::wire::HttpResponse) -> Result<String> {
    let answer: UspsPaymentAuthorizationResponse = ok_json(resp)?;
    answer
        .payment_authorization_token
        .get()
        .map(str::to_string)
        .ok_or_else(|| CarrierError::bad_response("payment authorization without a token"))
}

/// One part of a multipart answer: its name and its content.
struct Part<'a> {
    name: String,
    content: &'a str,
}

/// The parts of a `multipart/form-data` answer. The boundary is the `Content-Type`
/// header's, else the body's first `--` line (USPS's sample answers start with it).
fn multipart_parts<'a>(body: &'a str, content_type: Option<&str>) -> Option<Vec<Part<'a>>> {
    let from_header = content_type.and_then(|ct| {
        ct.split(';').find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            (k.eq_ignore_ascii_case("boundary")).then(|| v.trim_matches('"').to_string())
        })
    });
    let boundary = match from_header {
        Some(b) => b,
        None => {
            let first = body.trim_start().lines().next()?.trim();
            first.strip_prefix("--")?.to_string()
        }
    };
    if boundary.is_empty() {
        return None;
    }
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for chunk in body.split(delimiter.as_str()).skip(1) {
        if chunk.starts_with("--") {
            break;
        }
        let chunk = chunk.trim_start_matches(['\r', '\n']);
        let (headers, content) = match chunk.find("\r\n\r\n") {
            Some(i) => (&chunk[..i], &chunk[i + 4..]),
            None => match chunk.find("\n\n") {
                Some(i) => (&chunk[..i], &chunk[i + 2..]),
                None => continue,
            },
        };
        let name = headers
            .lines()
            .filter(|l| {
                l.to_ascii_lowercase()
                    .trim_start()
                    .starts_with("content-disposition")
            })
            .find_map(|l| {
                l.split(';').find_map(|p| {
                    let (k, v) = p.trim().split_once('=')?;
                    (k.trim() == "name").then(|| v.trim().trim_matches('"').to_string())
                })
            })
            .unwrap_or_default();
        parts.push(Part {
            name,
            content: content.trim(),
        });
    }
    Some(parts)
}

/// The label metadata and the base64 label image of a label answer: multipart (USPS's
/// default) or JSON (`application/vnd.usps.labels+json`).
pub fn parse_label_parts(
    resp: &crate::wire::HttpResponse,
) -> Result<(UspsLabelMetadata, Option<String>)> {
    if !resp.is_success() {
        return Err(usps_error(resp));
    }
    let text = resp.text();
    if text.trim_start().starts_with('{') {
        let answer: UspsLabelJson = resp.json()?;
        let (metadata, image) = match answer.label_metadata {
            Some(metadata) => (metadata, answer.label_image),
            None => (
                answer.return_label_metadata.ok_or_else(|| {
                    CarrierError::bad_response("label answer without labelMetadata")
                })?,
                answer.return_label_image,
            ),
        };
        return Ok((metadata, image.get().map(str::to_string)));
    }
    let parts = multipart_parts(&text, resp.header("content-type"))
        .ok_or_else(|| CarrierError::bad_response("label answer neither JSON nor multipart"))?;
    // A return label's parts are named `returnLabelMetadata` and `returnLabelImage`.
    let metadata = parts
        .iter()
        .find(|p| p.name == "labelMetadata" || p.name == "returnLabelMetadata")
        .ok_or_else(|| CarrierError::bad_response("label answer without its labelMetadata part"))?;
    let metadata: UspsLabelMetadata = serde_json::from_str(metadata.content)
        .map_err(|e| CarrierError::bad_response(format!("labelMetadata: {e}")))?;
    let image = parts
        .iter()
        .find(|p| p.name == "labelImage" || p.name == "returnLabelImage")
        .map(|p| p.content.to_string())
        .filter(|c| !c.is_empty());
    Ok((metadata, image))
}

/// A booked label: its tracking number, the label USPS drew (decoded and checked to be
/// the format asked), the postage charged and the routing (IMpb ZIP routing) code.
pub fn parse_label_response(
    resp: &crate::wire::HttpResponse,
    format: LabelFormat,
    mail_class: &str,
    refs: std::collections::BTreeMap<String, String>,
) -> Result<CreatedShipment> {
    let (metadata, image) = parse_label_parts(resp)?;
    // An international label names its number `internationalTrackingNumber`.
    let awb = metadata
        .tracking_number
        .get()
        .or(metadata.international_tracking_number.get())
        .ok_or_else(|| CarrierError::bad_response("label answer without a trackingNumber"))?;
    let image = image.ok_or_else(|| {
        CarrierError::bad_response(format!("label {awb} answered without its labelImage"))
    })?;
    let label = labels::decode(format, &image)?;
    let mut created = CreatedShipment::new(awb, mail_class, refs)
        .with_routing_code(metadata.routing_information.get().map(str::to_string));
    created.labels = vec![label];
    created.charged = label_charge(&metadata);
    Ok(created)
}

/// The postage and the fees and extra services the label was charged, in USD.
pub fn label_charge(metadata: &UspsLabelMetadata) -> Option<Money> {
    let postage = money(&metadata.postage)?;
    let extras = metadata.fees.iter().chain(&metadata.extra_services);
    extras
        .filter_map(|f| money(&f.price))
        .try_fold(postage, |sum, m| sum.checked_add(&m))
}

/// A label re-fetched: the image alone.
pub fn parse_reprint_response(
    resp: &crate::wire::HttpResponse,
    format: LabelFormat,
) -> Result<LabelDocument> {
    let (metadata, image) = parse_label_parts(resp)?;
    let image = image.ok_or_else(|| {
        CarrierError::bad_response(format!(
            "label {} answered without its labelImage",
            metadata.tracking_number.or_empty()
        ))
    })?;
    labels::decode(format, &image)
}

/// The label cancel (refund request): `CANCELED` is done; any other status is USPS's no.
pub fn parse_cancel_response(resp: &crate::wire::HttpResponse) -> Result<CancelOutcome> {
    let answer: UspsCancelResponse = ok_json(resp)?;
    let status = answer
        .status
        .get()
        .ok_or_else(|| CarrierError::bad_response("label cancel answer without a status"))?;
    if !status.eq_ignore_ascii_case("CANCELED") && !status.eq_ignore_ascii_case("CANCELLED") {
        return Err(CarrierError::rejected(
            "cancel_refused",
            format!(
                "USPS answered the cancellation of {} with status {status}",
                answer.tracking_number.or_empty()
            ),
            resp.status,
        ));
    }
    Ok(CancelOutcome {
        carrier_message: format!(
            "label {} {status}",
            answer.tracking_number.get().unwrap_or("")
        ),
    })
}

// ---------------------------------------------------------------------------------------
// Tracking
// ---------------------------------------------------------------------------------------

/// The time zone a US state keeps (the zone of most of its area where it spans two).
pub fn state_zone(state: &str) -> Option<chrono_tz::Tz> {
    use chrono_tz::America::*;
    use chrono_tz::Pacific::{Guam, Honolulu};
    let tz = match state.trim().to_ascii_uppercase().as_str() {
        "CT" | "DE" | "DC" | "FL" | "GA" | "IN" | "KY" | "ME" | "MD" | "MA" | "MI" | "NH"
        | "NJ" | "NY" | "NC" | "OH" | "PA" | "RI" | "SC" | "VT" | "VA" | "WV" => New_York,
        "AL" | "AR" | "IL" | "IA" | "KS" | "LA" | "MN" | "MS" | "MO" | "NE" | "ND" | "OK"
        | "SD" | "TN" | "TX" | "WI" => Chicago,
        "CO" | "ID" | "MT" | "NM" | "UT" | "WY" => Denver,
        // Arizona keeps standard time all year (the Navajo Nation aside).
        "AZ" => Phoenix,
        "CA" | "NV" | "OR" | "WA" => Los_Angeles,
        "AK" => Anchorage,
        "HI" => Honolulu,
        "PR" | "VI" => Puerto_Rico,
        "GU" | "MP" => Guam,
        _ => return None,
    };
    Some(tz)
}

/// A scan's time in UTC. USPS writes the local wall time (`eventTimestamp`, no offset)
/// and, on most scans, the instant in UTC (`GMTTimestamp`) and the local offset
/// (`GMTOffset`). The rule: `GMTTimestamp` wins; else the wall time at `GMTOffset`; else
/// the wall time in the zone of the scan's state, else of the destination's state
/// (daylight saving as that zone keeps it); else nothing (never a guess).
pub fn event_time(
    event: &UspsTrackingEvent,
    destination_state: Option<&str>,
) -> Option<DateTime<Utc>> {
    let utc = crate::kit::time::UTC;
    // A GMT timestamp is UTC with or without its `Z`.
    if let Some(t) = event.gmt_timestamp.get().and_then(|t| utc.parse(t)) {
        return Some(t);
    }
    let wall = event.event_timestamp.get()?;
    if let Some(offset) = event.gmt_offset.get()
        && let Some(t) = utc.parse(&format!("{wall}{offset}"))
    {
        return Some(t);
    }
    let state = event.event_state.get().or(destination_state)?;
    Zone::Named(state_zone(state)?).parse(wall)
}

/// The unified status of a scan, its leg considered: once the item is on its way back to
/// the sender, in-transit, out-for-delivery and delivered scans are the return's.
pub fn resolve(mapping: &Mapping, code: &str, returning: bool) -> Option<Unified> {
    let found = mapping.lookup(EVENT_CODES, code)?;
    if !returning {
        return Some(found);
    }
    Some(match found.status {
        Status::InTransit => Unified::new(SubStatus::RtoInTransit),
        Status::OutForDelivery => Unified::new(SubStatus::RtoOutForDelivery),
        Status::Delivered => Unified::new(SubStatus::RtoDelivered),
        Status::DeliveryFailed => Unified::new(SubStatus::RtoDeliveryFailed),
        _ => found,
    })
}

/// The scans of one tracking answer, oldest first.
pub fn events_of(mapping: &Mapping, answer: &UspsTrackResponse) -> Result<Vec<TrackingEvent>> {
    let destination = answer.destination_state.get();
    let mut timed = Vec::new();
    for e in &answer.tracking_events {
        let code = e.event_code.or_empty();
        let Some(time) = event_time(e, destination) else {
            return Err(CarrierError::bad_response(format!(
                "USPS scan {code:?} without a readable time: {:?}",
                e.event_timestamp.get()
            )));
        };
        timed.push((time, e));
    }
    // USPS lists the newest first; the leg is read oldest first.
    timed.sort_by_key(|(t, _)| *t);
    let mut returning = false;
    let mut events = Vec::new();
    for (time, e) in timed {
        let code = e.event_code.or_empty();
        let unified = or_unmapped(ID, resolve(mapping, &code, returning), &code);
        if unified.status == Status::Rto {
            returning = true;
        }
        let place = [e.event_city.get(), e.event_state.get(), e.event_zip.get()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let text = e.event_type.or_empty();
        events.push(
            TrackingEvent::new(unified, code, text.clone(), time)
                .with_location(Some(place))
                .with_description(Some(text)),
        );
    }
    Ok(events)
}

/// A tracking answer: one item (`{…}`), or a list of them (USPS's documentation example);
/// the item for `awb`, or the only one.
pub fn parse_track_response(
    mapping: &Mapping,
    resp: &crate::wire::HttpResponse,
    awb: &str,
) -> Result<TrackingUpdate> {
    if !resp.is_success() {
        return Err(usps_error(resp));
    }
    let value: Value = resp.json()?;
    let items: Vec<UspsTrackResponse> = match value {
        Value::Array(items) => items
            .into_iter()
            .map(serde_json::from_value)
            .collect::<Result<_, _>>()
            .map_err(|e| CarrierError::bad_response(format!("tracking item: {e}")))?,
        Value::Object(_) => vec![
            serde_json::from_value(value)
                .map_err(|e| CarrierError::bad_response(format!("tracking answer: {e}")))?,
        ],
        _ => {
            return Err(CarrierError::bad_response(
                "tracking answer is not JSON object",
            ));
        }
    };
    let chosen = match items.len() {
        1 => items.into_iter().next(),
        _ => items
            .into_iter()
            .find(|i| i.tracking_number.get() == Some(awb)),
    };
    let item = chosen.ok_or_else(|| {
        CarrierError::bad_response(format!("tracking answer without tracking number {awb}"))
    })?;
    if let Some(error) = &item.error
        && item.tracking_events.is_empty()
    {
        return Err(CarrierError::rejected(
            "not_found",
            error
                .message
                .get()
                .unwrap_or("USPS knows no such tracking number")
                .to_string(),
            resp.status,
        ));
    }
    let events = events_of(mapping, &item)?;
    let awb = item.tracking_number.get().unwrap_or(awb).trim().to_string();
    Ok(TrackingUpdate { awb, events })
}

// ---------------------------------------------------------------------------------------
// Pickups, SCAN forms, addresses
// ---------------------------------------------------------------------------------------

/// A scheduled carrier pickup: its confirmation number and the date USPS confirmed (the
/// date `asked` where the answer leaves it out).
pub fn parse_pickup_response(
    resp: &crate::wire::HttpResponse,
    asked: Option<NaiveDate>,
) -> Result<ScheduledPickup> {
    let answer: UspsPickupResponse = ok_json(resp)?;
    let pickup_id = answer
        .confirmation_number
        .get()
        .ok_or_else(|| CarrierError::bad_response("pickup answer without a confirmationNumber"))?
        .to_string();
    let date = match answer.pickup_date.get() {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|e| CarrierError::bad_response(format!("pickupDate {d:?}: {e}")))?,
        None => {
            asked.ok_or_else(|| CarrierError::bad_response("pickup answer without a pickupDate"))?
        }
    };
    Ok(ScheduledPickup {
        carrier_message: format!("USPS carrier pickup {pickup_id} on {date}"),
        pickup_id,
        date,
    })
}

/// A carrier pickup cancelled: any 2xx (USPS answers with no body).
pub fn parse_cancel_pickup_response(resp: &crate::wire::HttpResponse) -> Result<CancelOutcome> {
    if !resp.is_success() {
        return Err(usps_error(resp));
    }
    Ok(CancelOutcome {
        carrier_message: "USPS carrier pickup cancelled".into(),
    })
}

/// A SCAN form: its manifest number and the tracking numbers it covers. The form itself
/// (PS Form 5630, a PDF the driver scans) is checked to be one.
pub fn parse_scan_form_response(resp: &crate::wire::HttpResponse) -> Result<Manifest> {
    let answer: UspsScanFormResponse = ok_json(resp)?;
    let metadata = answer
        .metadata
        .ok_or_else(|| CarrierError::bad_response("SCAN form answer without SCANFormMetadata"))?;
    let manifest_id = metadata
        .manifest_number
        .get()
        .ok_or_else(|| CarrierError::bad_response("SCAN form without a manifestNumber"))?
        .to_string();
    if let Some(image) = answer.image.get() {
        labels::decode_pdf_document(crate::schema::DocumentKind::Manifest, image)?;
    }
    Ok(Manifest {
        manifest_id,
        awbs: metadata.tracking_numbers,
        document_url: None,
    })
}

/// USPS's opinion of an address: its standardised form (ZIP+4 included), deliverable when
/// Delivery Point Validation confirms it (`Y`), residential or business as USPS says.
/// USPS's 400/404 "address not found" is a verdict (not deliverable), not an error.
pub fn parse_address_response(
    resp: &crate::wire::HttpResponse,
    asked: &Address,
) -> Result<AddressVerdict> {
    if matches!(resp.status, 400 | 404) {
        let err = usps_error(resp);
        if let CarrierError::Rejected { message, .. } = err {
            return Ok(AddressVerdict {
                deliverable: false,
                suggestion: None,
                classification: AddressClass::Unknown,
                carrier_message: message,
            });
        }
        return Err(err);
    }
    let answer: UspsAddressResponse = ok_json(resp)?;
    let standard = answer
        .address
        .ok_or_else(|| CarrierError::bad_response("address answer without an address"))?;
    let info = answer.additional_info.unwrap_or_default();
    let dpv = info.dpv_confirmation.get().unwrap_or("");
    let classification = match info.business.get() {
        Some("Y") => AddressClass::Commercial,
        Some("N") => AddressClass::Residential,
        _ => AddressClass::Unknown,
    };
    let zip = match (standard.zip_code.get(), standard.zip_plus4.get()) {
        (Some(zip), Some(plus4)) => Some(format!("{zip}-{plus4}")),
        (Some(zip), None) => Some(zip.to_string()),
        _ => None,
    };
    let suggestion = match (standard.street_address.get(), standard.city.get(), zip) {
        (Some(street), Some(city), Some(zip)) => Some(Address {
            line1: street.to_string(),
            line2: standard.secondary_address.get().map(str::to_string),
            landmark: None,
            city: city.to_string(),
            state: standard
                .state
                .get()
                .map(str::to_string)
                .or(asked.state.clone()),
            postal_code: PostalCode::parse(&zip, "US").map_err(|e| {
                CarrierError::bad_response(format!("standardised ZIP {zip:?}: {e}"))
            })?,
            ..asked.clone()
        }),
        _ => None,
    };
    let mut notes: Vec<String> = answer
        .corrections
        .iter()
        .chain(&answer.matches)
        .filter_map(|n| n.text.get().map(str::to_string))
        .collect();
    notes.extend(answer.warnings.iter().cloned());
    let dpv_words = match dpv {
        "Y" => "USPS confirms the delivery point",
        "D" => "USPS confirms the building but the unit (apartment, suite) is missing",
        "S" => "USPS confirms the building but not the unit given",
        "N" => "USPS cannot confirm a delivery point at this address",
        _ => "USPS did not say whether it can deliver here",
    };
    if info.vacant.get() == Some("Y") {
        notes.push("USPS marks the address vacant".into());
    }
    notes.insert(0, dpv_words.to_string());
    Ok(AddressVerdict {
        deliverable: dpv == "Y",
        suggestion,
        classification,
        carrier_message: notes.join("; "),
    })
}
