//! One pure function per UPS answer: `HttpResponse` → unified values.

use base64::Engine;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::CarrierError;
use crate::families::{AddressClass, AddressVerdict, ScheduledPickup, UploadedDocument};
use crate::kit::adapter::{Result, refs};
use crate::kit::label_image;
use crate::kit::labels;
use crate::kit::time::Zone;
use crate::kit::tracking::or_unmapped;
use crate::mapping::Mapping;
use crate::schema::{
    Address, CancelOutcome, Charge, ChargeKind, CreatedShipment, Currency, Document, DocumentKind,
    LabelDocument, LabelFormat, Money, PostalCode, PushedUpdate, RateQuote, TrackingEvent,
    TrackingUpdate,
};
use crate::taxonomy::Unified;
use crate::wire::HttpResponse;

use super::wire::*;
use super::{ID, service_name};

/// The mapping table of activity pairs (`<type>/<code>`).
pub const KIND_ACTIVITY: &str = "activity";
/// The mapping table of status types alone.
pub const KIND_TYPE: &str = "type";

/// UPS's "no tracking information" warning: the number exists in no scan yet.
pub const NOT_FOUND_WARNING: &str = "TW0001";

/// The error a non-2xx UPS answer stands for: UPS's own code and words from its error
/// document (`{"response": {"errors": [{"code", "message"}]}}`); a 401 keeps the kit's
/// `unauthorized` code (so the gateway knows the credentials were refused) with UPS's
/// words, a 5xx may have happened.
pub fn refusal(resp: &HttpResponse) -> CarrierError {
    let doc: ErrorDocument = serde_json::from_slice(&resp.body).unwrap_or_default();
    let first = doc.response.and_then(|r| r.errors.0.into_iter().next());
    let code = first.as_ref().and_then(|e| e.code.get().map(String::from));
    let message = first
        .as_ref()
        .and_then(|e| e.message.get().map(String::from));
    let code = match resp.status {
        401 | 403 | 429 => None,
        _ => code,
    };
    crate::kit::http::refusal(resp, code, message)
}

fn ok(resp: &HttpResponse) -> Result<()> {
    match resp.is_success() {
        true => Ok(()),
        false => Err(refusal(resp)),
    }
}

fn currency(text: &crate::kit::lenient::Text) -> Option<Currency> {
    text.get().and_then(Currency::parse)
}

fn amount(a: &Amount) -> Option<Money> {
    Money::from_major_str(a.monetary_value.get()?, currency(&a.currency_code)?)
}

/// A surcharge's kind and name by its code in UPS's rating appendix.
pub fn surcharge(code: &str) -> (ChargeKind, &'static str) {
    match code {
        "375" => (ChargeKind::FuelSurcharge, "Fuel surcharge"),
        "110" | "500" | "543" => (ChargeKind::Cod, "C.O.D."),
        "100" | "401" => (ChargeKind::Other, "Additional handling"),
        "120" | "121" => (ChargeKind::Other, "Delivery confirmation"),
        "190" => (ChargeKind::Other, "Extended area"),
        "270" => (ChargeKind::Other, "Residential address"),
        "300" => (ChargeKind::Other, "Saturday delivery"),
        "376" => (ChargeKind::Other, "Delivery area"),
        "377" | "440" => (ChargeKind::Other, "Large package"),
        "400" => (ChargeKind::Other, "Declared value"),
        "430" | "431" | "432" => (ChargeKind::Other, "Peak season"),
        "434" => (ChargeKind::Other, "Surge fee"),
        _ => (ChargeKind::Other, "Surcharge"),
    }
}

fn itemized_lines(items: &Many<Itemized>, fallback: &Currency) -> Vec<Charge> {
    items
        .iter()
        .filter_map(|item| {
            let cur = currency(&item.currency_code).unwrap_or_else(|| fallback.clone());
            let money = Money::from_major_str(item.monetary_value.get()?, cur)?;
            let code = item.code.or_empty();
            let (kind, name) = surcharge(&code);
            let label = match item.sub_type.get().or(item.description.get()) {
                Some(detail) => format!("{name} ({code}: {detail})"),
                None => format!("{name} ({code})"),
            };
            Some(Charge::new(kind, label, money))
        })
        .collect()
}

fn tax_lines(taxes: &Many<Tax>, cur: &Currency) -> Vec<Charge> {
    taxes
        .iter()
        .filter_map(|t| {
            let money = Money::from_major_str(t.monetary_value.get()?, cur.clone())?;
            Some(Charge::new(
                ChargeKind::Tax,
                t.kind.get().unwrap_or("Tax"),
                money,
            ))
        })
        .collect()
}

/// The quotes of a Shop answer, one per rated service. The account's negotiated rates are
/// quoted where UPS gives them (what the account is billed), the published rates
/// otherwise; taxes included where UPS computed them. A rated service without a readable
/// total is left out (UPS sends such entries; see `rate_response_missing_amount`).
pub fn parse_rate_response(resp: &HttpResponse) -> Result<Vec<RateQuote>> {
    ok(resp)?;
    let answer: UpsRateResponse = resp.json()?;
    let rated = answer
        .rate_response
        .ok_or_else(|| CarrierError::bad_response("UPS rating answer without RateResponse"))?;
    let mut quotes = Vec::new();
    for shipment in rated.rated_shipment.iter() {
        let Some(code) = shipment.service.code.get() else {
            continue;
        };
        match quote(shipment, code) {
            Some(q) => quotes.push(q),
            None => tracing::warn!(
                carrier = ID,
                service = code,
                "UPS rated a service without a readable total; left out"
            ),
        }
    }
    Ok(quotes)
}

fn quote(s: &RatedShipment, code: &str) -> Option<RateQuote> {
    let negotiated = s.negotiated_rate_charges.as_ref().and_then(|n| {
        let total = n
            .total_charges_with_taxes
            .as_ref()
            .or(n.total_charge.as_ref())?;
        Some((n, amount(total)?))
    });
    let (total, lines) = match negotiated {
        Some((n, total)) => {
            let cur = total.currency.clone();
            let mut lines = Vec::new();
            if let Some(base) = n.base_service_charge.as_ref().and_then(amount) {
                lines.push(Charge::new(
                    ChargeKind::Freight,
                    "Base service charge",
                    base,
                ));
            }
            lines.extend(itemized_lines(&n.itemized_charges, &cur));
            if n.total_charges_with_taxes.is_some() {
                lines.extend(tax_lines(&n.tax_charges, &cur));
            }
            (total, lines)
        }
        None => {
            let with_taxes = s.total_charges_with_taxes.as_ref().and_then(amount);
            let total = with_taxes
                .clone()
                .or_else(|| s.total_charges.as_ref().and_then(amount))?;
            let cur = total.currency.clone();
            let mut lines = Vec::new();
            let base = s.base_service_charge.as_ref().and_then(amount);
            let base = base.or_else(|| s.transportation_charges.as_ref().and_then(amount));
            if let Some(base) = base {
                lines.push(Charge::new(
                    ChargeKind::Freight,
                    "Base service charge",
                    base,
                ));
            }
            if s.base_service_charge.is_some() {
                lines.extend(itemized_lines(&s.itemized_charges, &cur));
            }
            if let Some(options) = s.service_options_charges.as_ref().and_then(amount) {
                lines.push(Charge::new(ChargeKind::Other, "Service options", options));
            }
            if with_taxes.is_some() {
                lines.extend(tax_lines(&s.tax_charges, &cur));
            }
            (total, lines)
        }
    };
    if total.amount <= 0 {
        return None;
    }
    let summary = s
        .time_in_transit
        .as_ref()
        .and_then(|t| t.service_summary.as_ref());
    let name = summary
        .and_then(|sum| sum.service.description.get())
        .map(String::from)
        .unwrap_or_else(|| service_name(code).to_string());
    let mut q = RateQuote::new(ID, code, name, total, lines);
    let arrival = summary.and_then(|sum| sum.estimated_arrival.as_ref());
    q.estimated_delivery = arrival
        .and_then(|a| a.arrival.as_ref())
        .and_then(|a| NaiveDate::parse_from_str(a.date.get()?, "%Y%m%d").ok());
    q.transit_days = arrival
        .and_then(|a| a.business_days_in_transit.get())
        .or_else(|| {
            s.guaranteed_delivery
                .as_ref()?
                .business_days_in_transit
                .get()
        })
        .and_then(|d| d.parse().ok());
    Some(q)
}

/// The label of one package as the adapter keeps it: a GIF wrapped in a PDF titled with
/// the package's tracking number, ZPL as UPS sends it. Another format (PNG, EPL, SPL:
/// never asked for) is an error.
pub fn label_document(format_code: &str, base64: &str, tracking: &str) -> Result<LabelDocument> {
    match format_code.trim().to_ascii_uppercase().as_str() {
        "GIF" => {
            let compact: String = base64.split_ascii_whitespace().collect();
            let gif = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .map_err(|e| {
                    CarrierError::bad_response(format!("UPS's GIF label is not base64: {e}"))
                })?;
            let title = format!("UPS label {tracking}");
            Ok(LabelDocument {
                format: LabelFormat::Pdf,
                content: label_image::gif_to_pdf(&gif, &title)?,
            })
        }
        "ZPL" => labels::decode(LabelFormat::Zpl, base64),
        other => Err(CarrierError::bad_response(format!(
            "UPS sent a {other} label, which shipgate does not ask for"
        ))),
    }
}

/// A booking (shipments and returns alike): the shipment identification number as the
/// AWB, each package's tracking number and label (one file per format, pieces in order),
/// the commercial invoice where UPS printed one, the charge. A label that cannot be read
/// does not undo the booking: it is left out with `label_error` in the refs, and
/// [`super::Ups::label`] recovers it.
pub fn parse_create_response(resp: &HttpResponse, service: &str) -> Result<CreatedShipment> {
    ok(resp)?;
    let answer: UpsShipmentResponse = resp.json()?;
    let results = answer
        .shipment_response
        .and_then(|r| r.shipment_results)
        .ok_or_else(|| CarrierError::bad_response("UPS shipping answer without ShipmentResults"))?;
    let packages: Vec<&PackageResult> = results.package_results.iter().collect();
    let awb = results
        .shipment_identification_number
        .get()
        .or_else(|| packages.first()?.tracking_number.get())
        .ok_or_else(|| CarrierError::bad_response("UPS shipping answer without a shipment number"))?
        .to_string();
    let trackings: Vec<String> = packages
        .iter()
        .filter_map(|p| p.tracking_number.get().map(String::from))
        .collect();
    let mut carrier_refs = refs([("shipment_identification_number", Some(awb.as_str()))]);
    carrier_refs.insert("tracking_numbers".into(), trackings.join(","));
    let mut pieces = Vec::new();
    let mut label_error = None;
    for p in &packages {
        let tracking = p.tracking_number.or_empty();
        let read = p
            .shipping_label
            .as_ref()
            .and_then(|l| Some((l.image_format.code.get()?, l.graphic_image.get()?)))
            .ok_or_else(|| CarrierError::bad_response(format!("no label for package {tracking}")))
            .and_then(|(format, image)| label_document(format, image, &tracking));
        match read {
            Ok(label) => pieces.push(label),
            Err(e) => {
                label_error.get_or_insert(e.to_string());
            }
        }
    }
    let mut labels_out = Vec::new();
    if label_error.is_none() {
        for format in [LabelFormat::Pdf, LabelFormat::Zpl] {
            if pieces.iter().any(|p| p.format == format) {
                labels_out.push(labels::merge(format, &pieces)?);
            }
        }
    }
    if let Some(e) = label_error {
        tracing::warn!(carrier = ID, awb = %awb, error = %e, "UPS booked the shipment but its label could not be read");
        carrier_refs.insert("label_error".into(), e);
    }
    let mut documents = Vec::new();
    if let Some(image) = results.form.as_ref().and_then(|f| f.image.as_ref())
        && let Some(b64) = image.graphic_image.get()
    {
        match image
            .image_format
            .code
            .get()
            .map(str::to_ascii_uppercase)
            .as_deref()
        {
            Some("PDF") | None => documents.push(labels::decode_pdf_document(
                DocumentKind::CommercialInvoice,
                b64,
            )?),
            Some(other) => tracing::warn!(
                carrier = ID,
                format = other,
                "UPS international forms in a format shipgate does not keep"
            ),
        }
    }
    let negotiated = results.negotiated_rate_charges.as_ref().and_then(|n| {
        n.total_charges_with_taxes
            .as_ref()
            .or(n.total_charge.as_ref())
            .and_then(amount)
    });
    let published = results.shipment_charges.as_ref().and_then(|c| {
        c.total_charges_with_taxes
            .as_ref()
            .or(c.total_charges.as_ref())
            .and_then(amount)
    });
    Ok(CreatedShipment {
        labels: labels_out,
        documents,
        charged: negotiated.or(published),
        ..CreatedShipment::new(awb, service, carrier_refs)
    })
}

/// Label recovery: the package's label in the format asked for.
pub fn parse_label_response(resp: &HttpResponse, tracking: &str) -> Result<LabelDocument> {
    ok(resp)?;
    let answer: UpsLabelRecoveryResponse = resp.json()?;
    let result = answer
        .label_recovery_response
        .and_then(|r| r.label_results.0.into_iter().next())
        .ok_or_else(|| {
            CarrierError::bad_response("UPS label recovery answer without LabelResults")
        })?;
    let image = result.label_image.ok_or_else(|| {
        CarrierError::bad_response("UPS label recovery answer without LabelImage")
    })?;
    let format = image.label_image_format.code.or_empty();
    let b64 = image
        .graphic_image
        .get()
        .ok_or_else(|| CarrierError::bad_response("UPS label recovery answer without an image"))?;
    let tracking = result.tracking_number.get().unwrap_or(tracking).to_string();
    label_document(&format, b64, &tracking)
}

/// Void: UPS's summary status `1` is done; anything else is its refusal.
pub fn parse_void_response(resp: &HttpResponse) -> Result<CancelOutcome> {
    ok(resp)?;
    let answer: UpsVoidResponse = resp.json()?;
    let void = answer.void_shipment_response.ok_or_else(|| {
        CarrierError::bad_response("UPS void answer without VoidShipmentResponse")
    })?;
    let status = void.summary_result.map(|s| s.status).unwrap_or_default();
    match status.code.get() {
        Some("1") => Ok(CancelOutcome {
            carrier_message: format!(
                "UPS voided the shipment: {}",
                status.description.get().unwrap_or("Success")
            ),
        }),
        _ => Err(CarrierError::rejected(
            "void_refused",
            format!(
                "UPS did not void the shipment: {}",
                status.description.get().unwrap_or("no status")
            ),
            resp.status,
        )),
    }
}

/// A scan's unified status: the `<type>/<code>` pair, else the type alone (see
/// `mappings/ups.toml`); `None` when neither is mapped.
pub fn resolve(mapping: &Mapping, kind: &str, code: &str) -> Option<Unified> {
    let (kind, code) = (kind.trim(), code.trim());
    if kind.is_empty() && code.is_empty() {
        return None;
    }
    mapping
        .lookup(KIND_ACTIVITY, &format!("{kind}/{code}"))
        .or_else(|| mapping.lookup(KIND_TYPE, kind))
}

/// The zone a scan's local time is in, by where it happened: the US by state and Canada
/// by province (each one's main zone), a few single-zone countries, UTC's wall clock
/// otherwise (logged).
pub fn zone_of(country: &str, state: &str) -> Option<Zone> {
    use chrono_tz::America;
    use chrono_tz::Tz;
    let tz: Tz = match (country, state) {
        (
            "US",
            "CT" | "DE" | "DC" | "FL" | "GA" | "IN" | "KY" | "ME" | "MD" | "MA" | "MI" | "NH"
            | "NJ" | "NY" | "NC" | "OH" | "PA" | "RI" | "SC" | "VT" | "VA" | "WV",
        ) => America::New_York,
        (
            "US",
            "AL" | "AR" | "IL" | "IA" | "KS" | "LA" | "MN" | "MS" | "MO" | "NE" | "ND" | "OK"
            | "SD" | "TN" | "TX" | "WI",
        ) => America::Chicago,
        ("US", "AZ") => America::Phoenix,
        ("US", "CO" | "ID" | "MT" | "NM" | "UT" | "WY") => America::Denver,
        ("US", "CA" | "NV" | "OR" | "WA") => America::Los_Angeles,
        ("US", "AK") => America::Anchorage,
        ("US", "HI") => chrono_tz::Pacific::Honolulu,
        ("PR", _) => America::Puerto_Rico,
        ("CA", "NL") => America::St_Johns,
        ("CA", "NS" | "NB" | "PE") => America::Halifax,
        ("CA", "ON" | "QC") => America::Toronto,
        ("CA", "MB") => America::Winnipeg,
        // Saskatchewan keeps Central Standard Time all year.
        ("CA", "SK") => America::Regina,
        ("CA", "AB") => America::Edmonton,
        ("CA", "BC") => America::Vancouver,
        ("CA", "YT") => America::Whitehorse,
        ("CA", "NT") => America::Yellowknife,
        ("CA", "NU") => America::Iqaluit,
        ("IN", _) => return Some(crate::kit::time::IST),
        ("GB", _) => chrono_tz::Europe::London,
        ("DE", _) => chrono_tz::Europe::Berlin,
        ("FR", _) => chrono_tz::Europe::Paris,
        ("NL", _) => chrono_tz::Europe::Amsterdam,
        ("AE", _) => chrono_tz::Asia::Dubai,
        ("SG", _) => chrono_tz::Asia::Singapore,
        ("CN" | "HK", _) => chrono_tz::Asia::Shanghai,
        _ => return None,
    };
    Some(Zone::Named(tz))
}

fn date_time(date: &str, time: &str) -> Option<NaiveDateTime> {
    let date = NaiveDate::parse_from_str(date.trim(), "%Y%m%d").ok()?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H%M%S").ok()?;
    Some(date.and_time(time))
}

/// A scan's time in UTC: UPS's GMT date and time where given; else the local time with
/// its GMT offset (`-05:00`); else the local time in the zone of the scan's place.
pub fn activity_time(a: &Activity) -> Option<DateTime<Utc>> {
    if let Some(gmt) = date_time(&a.gmt_date.or_empty(), &a.gmt_time.or_empty()) {
        return Some(gmt.and_utc());
    }
    let local = date_time(&a.date.or_empty(), &a.time.or_empty())?;
    if let Some(offset) = a.gmt_offset.get() {
        let text = format!("{}{}", local.format("%Y-%m-%dT%H:%M:%S"), offset.trim());
        if let Ok(t) = DateTime::parse_from_rfc3339(&text) {
            return Some(t.with_timezone(&Utc));
        }
    }
    let address = a.location.as_ref().and_then(|l| l.address.as_ref());
    local_in(local, address)
}

fn local_in(local: NaiveDateTime, address: Option<&TrackAddress>) -> Option<DateTime<Utc>> {
    let country = address
        .and_then(|a| a.country_code.get().or(a.country.get()))
        .unwrap_or_default();
    let state = address
        .and_then(|a| a.state_province.get())
        .unwrap_or_default();
    match zone_of(&country.to_ascii_uppercase(), &state.to_ascii_uppercase()) {
        Some(zone) => zone.local(local),
        None => {
            tracing::debug!(
                carrier = ID,
                country,
                "no zone known for a UPS scan's place; read as UTC"
            );
            Some(local.and_utc())
        }
    }
}

fn place(a: Option<&TrackAddress>) -> Option<String> {
    let a = a?;
    let parts: Vec<&str> = [
        a.city.get(),
        a.state_province.get(),
        a.country_code.get().or(a.country.get()),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn event(
    mapping: &Mapping,
    status: &ActivityStatus,
    time: DateTime<Utc>,
    location: Option<String>,
) -> TrackingEvent {
    let (kind, code) = (status.kind.or_empty(), status.code.or_empty());
    let pair = format!("{kind}/{code}");
    let unified = or_unmapped(ID, resolve(mapping, &kind, &code), &pair);
    let description = status.description.or_empty();
    TrackingEvent::new(unified, pair, description.clone(), time)
        .with_location(location)
        .with_description(Some(description))
}

/// Every tracked package of a Track answer with its events, oldest first. UPS's
/// "Tracking Information Not Found" warning is a package with no scans yet.
pub fn parse_track_response_all(
    mapping: &Mapping,
    resp: &HttpResponse,
) -> Result<Vec<TrackingUpdate>> {
    let mut all = track_updates(mapping, resp)?;
    // A package that UPS names no number for (and whose shipment has no inquiry number)
    // identifies no shipment on its own.
    all.retain(|u| !u.awb.is_empty());
    Ok(all)
}

/// Every package of a tracking answer; a package without any number has an empty `awb`
/// (the asked number claims it in [`parse_track_response`]).
fn track_updates(mapping: &Mapping, resp: &HttpResponse) -> Result<Vec<TrackingUpdate>> {
    ok(resp)?;
    let answer: UpsTrackResponse = resp.json()?;
    let track = answer
        .track_response
        .ok_or_else(|| CarrierError::bad_response("UPS tracking answer without trackResponse"))?;
    let mut updates = Vec::new();
    for shipment in track.shipment.iter() {
        if shipment.package.0.is_empty() {
            if let Some(w) = shipment.warnings.first()
                && w.code.get() != Some(NOT_FOUND_WARNING)
            {
                return Err(CarrierError::rejected(
                    w.code.or_empty(),
                    w.message
                        .get()
                        .unwrap_or("UPS tracking warning")
                        .to_string(),
                    resp.status,
                ));
            }
            if let Some(inquiry) = shipment.inquiry_number.get() {
                updates.push(TrackingUpdate {
                    awb: inquiry.to_string(),
                    events: Vec::new(),
                });
            }
            continue;
        }
        for package in shipment.package.iter() {
            let awb = package
                .tracking_number
                .get()
                .or(shipment.inquiry_number.get())
                .unwrap_or_default()
                .to_string();
            let mut events: Vec<TrackingEvent> = package
                .activity
                .iter()
                .filter_map(|a| {
                    let status = a.status.as_ref()?;
                    let time = activity_time(a)?;
                    let address = a.location.as_ref().and_then(|l| l.address.as_ref());
                    Some(event(mapping, status, time, place(address)))
                })
                .collect();
            events.sort_by_key(|e| e.event_time);
            updates.push(TrackingUpdate { awb, events });
        }
    }
    Ok(updates)
}

/// The tracking of `awb`: the package of that number (or the answer's first).
pub fn parse_track_response(
    mapping: &Mapping,
    resp: &HttpResponse,
    awb: &str,
) -> Result<TrackingUpdate> {
    let mut all = track_updates(mapping, resp)?;
    let at = all.iter().position(|u| u.awb == awb).unwrap_or(0);
    if all.is_empty() {
        return Ok(TrackingUpdate {
            awb: awb.to_string(),
            events: Vec::new(),
        });
    }
    let mut update = all.swap_remove(at);
    if update.awb.is_empty() {
        update.awb = awb.to_string();
    }
    Ok(update)
}

/// Tracking by reference: the shipment sent under `reference`, `None` when UPS knows no
/// package by it (its "not found" warning, or a 404 of the same).
pub fn parse_lookup_response(
    resp: &HttpResponse,
    reference: &str,
) -> Result<Option<CreatedShipment>> {
    if resp.status == 404 {
        let doc: ErrorDocument = serde_json::from_slice(&resp.body).unwrap_or_default();
        let code = doc.response.and_then(|r| {
            r.errors
                .first()
                .and_then(|e| e.code.get().map(String::from))
        });
        if code.as_deref() == Some(NOT_FOUND_WARNING) || code.as_deref() == Some("TV1002") {
            return Ok(None);
        }
    }
    ok(resp)?;
    let answer: UpsTrackResponse = resp.json()?;
    let track = answer
        .track_response
        .ok_or_else(|| CarrierError::bad_response("UPS tracking answer without trackResponse"))?;
    for shipment in track.shipment.iter() {
        for package in shipment.package.iter() {
            let carries = package.reference_number.0.is_empty()
                || package
                    .reference_number
                    .iter()
                    .any(|r| r.number.get() == Some(reference));
            if let (true, Some(tracking)) = (carries, package.tracking_number.get()) {
                let service = package
                    .service
                    .as_ref()
                    .map(|s| s.code.or_empty())
                    .unwrap_or_default();
                let refs = refs([
                    ("shipment_identification_number", Some(tracking)),
                    ("reference", Some(reference)),
                ]);
                return Ok(Some(CreatedShipment::new(tracking, service, refs)));
            }
        }
        if let Some(w) = shipment.warnings.first()
            && w.code.get() != Some(NOT_FOUND_WARNING)
        {
            return Err(CarrierError::rejected(
                w.code.or_empty(),
                w.message.or_empty(),
                resp.status,
            ));
        }
    }
    Ok(None)
}

/// Track Alert pushes: one event per push (or a batch), its status resolved like a
/// tracking scan's; the time is UPS's GMT time where given, the local time in the
/// scan's zone otherwise.
pub fn parse_pushes(mapping: &Mapping, body: &[u8]) -> Result<Vec<PushedUpdate>> {
    crate::kit::tracking::read_pushes(ID, body, |push: TrackAlertPush| read_push(mapping, push))
}

fn read_push(mapping: &Mapping, push: TrackAlertPush) -> Result<PushedUpdate> {
    let awb = push
        .tracking_number
        .get()
        .ok_or_else(|| CarrierError::bad_response("UPS push without trackingNumber"))?
        .to_string();
    let mut events = Vec::new();
    if let Some(status) = &push.activity_status {
        let gmt = date_time(
            &push.gmt_activity_date.or_empty(),
            &push.gmt_activity_time.or_empty(),
        )
        .map(|t| t.and_utc());
        let local = || {
            let local = date_time(
                &push.local_activity_date.or_empty(),
                &push.local_activity_time.or_empty(),
            )?;
            local_in(local, push.activity_location.as_ref())
        };
        if let Some(time) = gmt.or_else(local) {
            events.push(event(
                mapping,
                status,
                time,
                place(push.activity_location.as_ref()),
            ));
        }
    }
    Ok(PushedUpdate {
        awb,
        reference: None,
        events,
    })
}

/// A pickup created: UPS's PRN.
pub fn parse_pickup_response(resp: &HttpResponse, date: NaiveDate) -> Result<ScheduledPickup> {
    ok(resp)?;
    let answer: UpsPickupResponse = resp.json()?;
    let created = answer.pickup_creation_response.ok_or_else(|| {
        CarrierError::bad_response("UPS pickup answer without PickupCreationResponse")
    })?;
    let prn = created
        .prn
        .get()
        .ok_or_else(|| CarrierError::bad_response("UPS pickup answer without a PRN"))?;
    let charge = created.rate_result.as_ref().and_then(|r| {
        Some(format!(
            " ({} {})",
            r.grand_total_of_all_charge.get()?,
            r.currency_code.get().unwrap_or("")
        ))
    });
    Ok(ScheduledPickup {
        pickup_id: prn.to_string(),
        date,
        carrier_message: format!(
            "UPS pickup {prn} scheduled{}",
            charge.unwrap_or_default().trim_end()
        ),
    })
}

/// A pickup cancelled: UPS's response status `1`.
pub fn parse_pickup_cancel_response(resp: &HttpResponse) -> Result<CancelOutcome> {
    ok(resp)?;
    let answer: UpsPickupCancelResponse = resp.json()?;
    let status = answer
        .pickup_cancel_response
        .map(|r| r.response.response_status)
        .ok_or_else(|| {
            CarrierError::bad_response("UPS pickup cancel answer without PickupCancelResponse")
        })?;
    match status.code.get() {
        Some("1") => Ok(CancelOutcome {
            carrier_message: "UPS cancelled the pickup".into(),
        }),
        _ => Err(CarrierError::rejected(
            "pickup_cancel_refused",
            status.description.or_empty(),
            resp.status,
        )),
    }
}

fn class_of(coded: Option<&Coded>) -> AddressClass {
    match coded.and_then(|c| c.code.get()) {
        Some("1") => AddressClass::Commercial,
        Some("2") => AddressClass::Residential,
        _ => AddressClass::Unknown,
    }
}

/// Street-level validation: deliverable when UPS found the address (its valid-address
/// indicator); UPS's first candidate as the suggestion (ZIP+4 included); the
/// classification UPS gives (1 commercial, 2 residential, 0 unknown).
pub fn parse_address_response(resp: &HttpResponse, asked: &Address) -> Result<AddressVerdict> {
    ok(resp)?;
    let answer: UpsXavResponse = resp.json()?;
    let xav = answer
        .xav_response
        .ok_or_else(|| CarrierError::bad_response("UPS address answer without XAVResponse"))?;
    let candidate = xav.candidate.first();
    let classification = match class_of(xav.address_classification.as_ref()) {
        AddressClass::Unknown => {
            class_of(candidate.and_then(|c| c.address_classification.as_ref()))
        }
        known => known,
    };
    let deliverable = xav.valid_address_indicator.is_some();
    let suggestion = candidate
        .and_then(|c| c.address_key_format.as_ref())
        .and_then(|k| {
            let mut lines = k.address_line.iter().cloned();
            let line1 = lines.next()?;
            let zip = match (k.postcode_primary_low.get(), k.postcode_extended_low.get()) {
                (Some(p), Some(e)) => format!("{p}-{e}"),
                (Some(p), None) => p.to_string(),
                _ => asked.postal_code.as_str().to_string(),
            };
            let country = k.country_code.get().unwrap_or(&asked.country).to_string();
            Some(Address {
                line1,
                line2: lines.next(),
                landmark: None,
                city: k
                    .political_division2
                    .get()
                    .map(String::from)
                    .unwrap_or_else(|| asked.city.clone()),
                state: k
                    .political_division1
                    .get()
                    .map(String::from)
                    .or_else(|| asked.state.clone()),
                postal_code: PostalCode::parse(&zip, &country)
                    .unwrap_or_else(|_| asked.postal_code.clone()),
                country,
                ..asked.clone()
            })
        });
    let carrier_message = if deliverable {
        "UPS found the address"
    } else if xav.ambiguous_address_indicator.is_some() {
        "UPS found several addresses that could be meant"
    } else {
        "UPS found no such address"
    };
    Ok(AddressVerdict {
        deliverable,
        suggestion,
        classification,
        carrier_message: carrier_message.into(),
    })
}

/// One Track Alert push as one update (the single-push reader the replay tests and the
/// fuzzer check beside [`parse_pushes`]).
pub fn parse_webhook(mapping: &Mapping, body: &[u8]) -> Result<TrackingUpdate> {
    crate::kit::tracking::read_push(ID, body, |push: TrackAlertPush| read_push(mapping, push))
}

/// A status `1` answer, or UPS's refusal in its alert's words.
fn succeeded(header: &ResponseHeader, resp: &HttpResponse, what: &str) -> Result<()> {
    if header.response_status.code.get() == Some("1") {
        return Ok(());
    }
    let alert = header.alert.first();
    let code = alert.and_then(|a| a.code.get()).unwrap_or("failure");
    let words = alert.and_then(|a| a.description.get());
    Err(CarrierError::rejected(
        code,
        words
            .unwrap_or(&format!("UPS did not take the {what}"))
            .to_string(),
        resp.status,
    ))
}

/// `/paperlessdocuments/v2/upload`: the Forms History id of the uploaded file (UPS
/// answers one id, or a list of one).
pub fn parse_paperless_upload_response(resp: &HttpResponse) -> Result<UploadedDocument> {
    ok(resp)?;
    let answer: UploadAnswer = resp.json()?;
    let body = answer.upload_response;
    succeeded(&body.response, resp, "document")?;
    let id = (body.forms_history_document_id.document_id.iter())
        .find_map(|id| id.get().map(str::trim).filter(|id| !id.is_empty()));
    let id =
        id.ok_or_else(|| CarrierError::bad_response("UPS named no Forms History document id"))?;
    Ok(UploadedDocument {
        carrier_document_id: id.to_string(),
    })
}

/// `/paperlessdocuments/v2/image`: whether UPS filed the documents with the shipment;
/// its forms group id when it names one.
pub fn parse_paperless_push_response(resp: &HttpResponse) -> Result<Option<String>> {
    ok(resp)?;
    let answer: PushAnswer = resp.json()?;
    let body = answer.push_to_image_repository_response;
    succeeded(&body.response, resp, "push to the image repository")?;
    Ok(body.forms_group_id.get().map(String::from))
}

/// `/track/v1/details/{number}?returnPOD=true`: UPS's proof of delivery letter of the
/// package (`deliveryInformation.pod.content`, base64; an HTML page, or a PDF where UPS
/// sends one). None yet (not delivered) is UPS's refusal `not_available`; a number UPS
/// does not know is its warning's.
pub fn parse_proof_of_delivery_response(resp: &HttpResponse, number: &str) -> Result<Document> {
    ok(resp)?;
    let answer: UpsTrackResponse = resp.json()?;
    let shipments = answer
        .track_response
        .map(|t| t.shipment)
        .unwrap_or_default();
    let packages: Vec<&TrackedPackage> = shipments.iter().flat_map(|s| s.package.iter()).collect();
    let package = (packages.iter())
        .find(|p| p.tracking_number.get() == Some(number))
        .or_else(|| packages.first());
    let Some(package) = package else {
        let warning = shipments.iter().flat_map(|s| s.warnings.iter()).next();
        return Err(CarrierError::rejected(
            warning.and_then(|w| w.code.get()).unwrap_or("not_found"),
            warning
                .and_then(|w| w.message.get())
                .unwrap_or("UPS has no package under this number"),
            404,
        ));
    };
    let pod = (package.delivery_information.as_ref())
        .and_then(|d| d.pod.as_ref())
        .and_then(|p| p.content.get())
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let Some(pod) = pod else {
        return Err(CarrierError::rejected(
            "not_available",
            "UPS has no proof of delivery for this package (not delivered yet)",
            409,
        ));
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(pod)
        .map_err(|e| {
            CarrierError::bad_response(format!("UPS proof of delivery is not base64: {e}"))
        })?;
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let content_type = if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if head.contains("<html") || head.contains("<!doctype html") {
        "text/html"
    } else {
        return Err(CarrierError::bad_response(
            "UPS proof of delivery is neither HTML nor PDF",
        ));
    };
    Ok(Document {
        kind: DocumentKind::ProofOfDelivery,
        content_type: content_type.into(),
        content: bytes,
    })
}

/// A Track Alert subscription: the numbers UPS subscribed and those it refused. A 2xx
/// naming neither is a bad answer (nothing says the subscription was made).
pub fn parse_track_alert_response(resp: &HttpResponse) -> Result<(Vec<String>, Vec<String>)> {
    ok(resp)?;
    let answer: TrackAlertAnswer = resp.json()?;
    let list = |l: &[crate::kit::lenient::Text]| -> Vec<String> {
        l.iter()
            .filter_map(|n| {
                n.get()
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(String::from)
            })
            .collect()
    };
    let (valid, invalid) = (
        list(&answer.valid_tracking_numbers),
        list(&answer.invalid_tracking_numbers),
    );
    if valid.is_empty() && invalid.is_empty() {
        return Err(CarrierError::bad_response(
            "UPS Track Alert named no tracking number",
        ));
    }
    Ok((valid, invalid))
}
