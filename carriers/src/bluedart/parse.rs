//! Blue Dart's answers read into unified values: one pure function per answer.
//!
//! Blue Dart refuses in three ways, all read here: the API gateway's `error-response`
//! list with an HTTP 4xx (a request it could not take), `IsError: true` with a `Status`
//! list inside HTTP 200 (a waybill or cancellation refused, a pincode not served, a wrong
//! licence key), and an `<Error>` element in the XML tracking answer (HTTP 200 too).

use base64::Engine;
use chrono::{DateTime, Utc};

use super::requests::Service;
use super::wire::{
    CancelAnswer, ErrorAnswer, LoginAnswer, PincodeAnswer, PincodeResult, PushBody, PushShipment,
    ScanDetail, StatusLine, TrackAnswer, TrackedShipment, WaybillAnswer, XmlScan,
};
use crate::CarrierError;
use crate::kit::adapter::{Result, refs};
use crate::kit::http::{UNAUTHORIZED, refusal};
use crate::kit::session::Token;
use crate::kit::time::IST;
use crate::kit::tracking::or_unmapped;
use crate::mapping::Mapping;
use crate::schema::{
    CancelOutcome, CreatedShipment, LabelDocument, LabelFormat, Lane, PushedUpdate, Serviceability,
    ShipmentKind, TrackingEvent, TrackingUpdate,
};
use crate::taxonomy::{Status, SubStatus, Unified};
use crate::wire::HttpResponse;

use super::ID;

/// The wall-time shapes of Blue Dart's scan dates and times: `29-Jul-2017 14:08` in the
/// XML tracking answer, `23-05-2019 1448` in pushes (both IST, no zone).
pub const SCAN_TIMES: &[&str] = &[
    "%d-%m-%Y %H%M",
    "%d-%b-%Y %H:%M",
    "%d-%m-%Y %H:%M",
    "%d-%b-%Y %H%M",
    "%d-%m-%Y %H:%M:%S",
];

/// The carrier code of the pickup milestone read from `PickUpDate`/`PickUpTime`: Blue
/// Dart states the pickup as shipment fields, not as a scan.
pub const PICKUP_CODE: &str = "PICKUP";

/// A scan time: `date` and `time` as Blue Dart writes them, in IST.
pub fn scan_time(date: &str, time: &str) -> Option<DateTime<Utc>> {
    let (date, time) = (date.trim(), time.trim());
    if date.is_empty() {
        return None;
    }
    let time = if time.is_empty() { "0000" } else { time };
    IST.parse_with(&format!("{date} {time}"), SCAN_TIMES)
}

/// The first status line's code and words, for a refusal.
fn first_status(lines: &[StatusLine]) -> (Option<String>, Option<String>) {
    let line = lines.iter().find(|l| l.status_information.get().is_some());
    let line = line.or(lines.first());
    let code = line.and_then(|l| l.status_code.get().map(str::to_string));
    let words = line.and_then(|l| l.status_information.get().map(str::to_string));
    (code, words)
}

/// The error a non-2xx answer stands for, in Blue Dart's words where its gateway gave
/// them (`error-response`).
pub fn refused(resp: &HttpResponse) -> CarrierError {
    let listed = serde_json::from_slice::<ErrorAnswer>(&resp.body).ok();
    let lines = listed.map(|e| e.error_response.into_iter().flat_map(|e| e.status));
    let lines: Vec<StatusLine> = lines.into_iter().flatten().collect();
    let (code, words) = first_status(&lines);
    let code = match resp.status {
        401 | 403 => Some(UNAUTHORIZED.to_string()),
        _ => code.map(|c| snake(&c)),
    };
    refusal(resp, code, words)
}

/// A Blue Dart status code (`InvalidConsigneePincode`, `InvalidAWB`, `AWBNoMissing`) as a
/// stable snake-case code (`invalid_consignee_pincode`, `invalid_awb`, `awb_no_missing`).
pub fn snake(code: &str) -> String {
    let chars: Vec<char> = code.trim().chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 && !out.ends_with('_') {
            let before = chars[i - 1];
            let after = chars.get(i + 1).copied().unwrap_or(' ');
            let starts_word = before.is_ascii_lowercase()
                || before.is_ascii_digit()
                || (before.is_ascii_uppercase() && after.is_ascii_lowercase());
            if starts_word {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    let out = out.trim_matches('_').to_string();
    if out.is_empty() {
        "refused".into()
    } else {
        out
    }
}

/// The JSON of a 2xx answer, else Blue Dart's refusal.
fn answer<T: serde::de::DeserializeOwned>(resp: &HttpResponse) -> Result<T> {
    if !resp.is_success() {
        return Err(refused(resp));
    }
    resp.json()
}

// --- Login --------------------------------------------------------------------------------

/// The JWT, living until its `exp` claim says (read without checking the signature, which
/// is the gateway's to check): Blue Dart's login answer states no lifetime of its own.
pub fn parse_login(resp: &HttpResponse) -> Result<Token> {
    let login: LoginAnswer = answer(resp)?;
    let Some(jwt) = login.jwt_token.get() else {
        return Err(CarrierError::bad_response(
            "Blue Dart login answered no JWTToken",
        ));
    };
    Ok(Token {
        value: jwt.to_string(),
        expires_in: jwt_life(jwt, Utc::now()),
    })
}

/// The longest a JWT is trusted to live, whatever its `exp` says (a year 9999 claim must
/// not overflow the session's clock).
pub const MAX_TOKEN_LIFE: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// How long a JWT lives from `now`, by its `exp` claim, at most [`MAX_TOKEN_LIFE`];
/// `None` when it has none (or is not a JWT), and never negative.
pub fn jwt_life(jwt: &str, now: DateTime<Utc>) -> Option<std::time::Duration> {
    let payload = jwt.split('.').nth(1)?;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let bytes = engine.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?.as_i64()?;
    let left = exp.checked_sub(now.timestamp())?;
    let left = u64::try_from(left)
        .ok()
        .map(std::time::Duration::from_secs)?;
    Some(left.min(MAX_TOKEN_LIFE))
}

// --- Location finder ----------------------------------------------------------------------

/// A pincode's services; `None` when Blue Dart does not serve it (`IsError` with any
/// other reason than the account's credentials, which is a refusal).
pub fn parse_pincode(resp: &HttpResponse) -> Result<Option<PincodeResult>> {
    let found: PincodeAnswer = answer(resp)?;
    let Some(result) = found.result else {
        return Err(CarrierError::bad_response(
            "Blue Dart answered no GetServicesforPincodeResult",
        ));
    };
    if !result.is_error.is_set() {
        return Ok(Some(result));
    }
    let words = result.error_message.or_empty();
    let lower = words.to_ascii_lowercase();
    if ["licence", "license", "loginid", "login id"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return Err(CarrierError::rejected(UNAUTHORIZED, words, resp.status));
    }
    Ok(None)
}

fn yes(flag: &crate::kit::lenient::Text) -> bool {
    matches!(flag.get(), Some(f) if f.eq_ignore_ascii_case("yes") || f.eq_ignore_ascii_case("y"))
}

impl PincodeResult {
    /// Delivers to this pincode for the payment mode, by air or by ground.
    pub fn delivers(&self, cod: bool) -> bool {
        match cod {
            true => yes(&self.cod_air_inbound) || yes(&self.cod_ground_inbound),
            false => yes(&self.prepaid_air_inbound) || yes(&self.prepaid_ground_inbound),
        }
    }

    /// Picks up from this pincode for the payment mode, by air or by ground.
    pub fn picks_up(&self, cod: bool) -> bool {
        match cod {
            true => yes(&self.cod_air_outbound) || yes(&self.cod_ground_outbound),
            false => yes(&self.prepaid_air_outbound) || yes(&self.prepaid_ground_outbound),
        }
    }

    /// An extended delivery location (Blue Dart's ODA): beyond the service centre's area,
    /// served with added days.
    pub fn is_oda(&self) -> bool {
        self.edl_distance.number().is_some_and(|km| km > 0.0)
    }
}

/// Whether Blue Dart serves `lane`, from the finder's answers for both of its ends.
pub fn lane_serviceability(
    pickup: Option<&PincodeResult>,
    delivery: Option<&PincodeResult>,
    lane: &Lane,
) -> Serviceability {
    let payment = lane.payment_label();
    let Some(delivery) = delivery else {
        return Serviceability::not(format!(
            "Blue Dart does not serve pincode {}",
            lane.delivery_pincode
        ));
    };
    let Some(pickup) = pickup else {
        return Serviceability::not(format!(
            "Blue Dart does not serve pincode {}",
            lane.pickup_pincode
        ));
    };
    if !delivery.delivers(lane.cod) {
        return Serviceability::not(format!(
            "Blue Dart does not deliver {payment} parcels to {}",
            lane.delivery_pincode
        ));
    }
    // A COD parcel must be able to leave its origin as COD; a return is collected
    // prepaid whatever the forward parcel was.
    let cod_pickup = lane.cod && lane.kind == ShipmentKind::Forward;
    if !pickup.picks_up(cod_pickup) {
        return Serviceability::not(format!(
            "Blue Dart does not pick up from {}",
            lane.pickup_pincode
        ));
    }
    Serviceability::Serviceable
}

// --- Waybills ---------------------------------------------------------------------------

/// The waybill booked: its AWB, Blue Dart's label PDF (kept as sent), the destination
/// area and location as the routing code, the pickup token and reference as refs.
pub fn parse_create(resp: &HttpResponse, service: Service) -> Result<CreatedShipment> {
    let found: WaybillAnswer = answer(resp)?;
    let Some(result) = found.result else {
        return Err(CarrierError::bad_response(
            "Blue Dart answered no GenerateWayBillResult",
        ));
    };
    if result.is_error.is_set() {
        let (code, words) = first_status(&result.status);
        return Err(CarrierError::rejected(
            code.map_or_else(|| "waybill_refused".into(), |c| snake(&c)),
            words.unwrap_or_else(|| "Blue Dart refused the waybill".into()),
            resp.status,
        ));
    }
    let Some(awb) = result.awb_no.get() else {
        return Err(CarrierError::bad_response(
            "Blue Dart booked no AWBNo without saying why",
        ));
    };
    let routing = match (
        result.destination_area.get(),
        result.destination_location.get(),
    ) {
        (Some(area), Some(location)) => Some(format!("{area}/{location}")),
        (Some(area), None) => Some(area.to_string()),
        _ => None,
    };
    let mut created = CreatedShipment::new(
        awb,
        service.code(),
        refs([
            ("token_number", result.token_number.get()),
            ("credit_reference", result.credit_reference.get()),
        ]),
    )
    .with_routing_code(routing);
    match result.awb_print_content.as_ref().map(label_pdf) {
        Some(Ok(label)) => created.labels.push(label),
        // The waybill is booked all the same: shipgate draws the label instead of
        // failing a booking Blue Dart holds.
        Some(Err(e)) => tracing::warn!(awb, error = %e, "Blue Dart's label was unreadable"),
        None => {}
    }
    Ok(created)
}

/// `AWBPrintContent` as a PDF: base64 text, or bytes as a JSON array of numbers.
pub fn label_pdf(content: &serde_json::Value) -> Result<LabelDocument> {
    let bytes: Vec<u8> = match content {
        serde_json::Value::String(text) => {
            let engine = base64::engine::general_purpose::STANDARD;
            engine
                .decode(text.trim())
                .map_err(|e| CarrierError::bad_response(format!("label is not base64: {e}")))?
        }
        serde_json::Value::Array(items) => items
            .iter()
            .map(|n| n.as_u64().and_then(|n| u8::try_from(n).ok()))
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(|| CarrierError::bad_response("label bytes out of range"))?,
        _ => {
            return Err(CarrierError::bad_response(
                "label is neither text nor bytes",
            ));
        }
    };
    if !bytes.starts_with(b"%PDF") {
        return Err(CarrierError::bad_response("label is not a PDF"));
    }
    Ok(LabelDocument {
        format: LabelFormat::Pdf,
        content: bytes,
    })
}

pub fn parse_cancel(resp: &HttpResponse) -> Result<CancelOutcome> {
    let found: CancelAnswer = answer(resp)?;
    let Some(result) = found.result else {
        return Err(CarrierError::bad_response(
            "Blue Dart answered no CancelWaybillResult",
        ));
    };
    let (code, words) = first_status(&result.status);
    if result.is_error.is_set() {
        return Err(CarrierError::rejected(
            code.map_or_else(|| "cancel_refused".into(), |c| snake(&c)),
            words.unwrap_or_else(|| "Blue Dart refused the cancellation".into()),
            resp.status,
        ));
    }
    Ok(CancelOutcome {
        carrier_message: words.unwrap_or_else(|| "Waybill cancelled".into()),
    })
}

// --- Status codes -------------------------------------------------------------------------

/// A scan's unified status (see `mappings/bluedart.toml`): the code within its group
/// (the return groups read with the forward group's table), else the closing scan types;
/// a scan on the way back to the shipper is moved onto the RTO leg. A reverse pickup's
/// scans (`ShipmentMode` `R`) are its own journey, never an RTO.
pub fn resolve(
    m: &Mapping,
    scan_type: &str,
    group: &str,
    code: &str,
    reverse: bool,
) -> Option<Unified> {
    let (scan_type, group, code) = (scan_type.trim(), group.trim(), code.trim());
    let (table_group, return_group) = match group.to_ascii_uppercase().as_str() {
        "RT" => ("T", true),
        "RS" => ("S", true),
        _ => (group, false),
    };
    let by_code = match (table_group.is_empty(), code.is_empty()) {
        (false, false) => m.lookup("scan", &format!("{table_group}/{code}")),
        _ => None,
    };
    let found = by_code.or_else(|| m.lookup("scan_type", scan_type))?;
    let returning = !reverse && (return_group || scan_type.eq_ignore_ascii_case("RT"));
    Some(if returning {
        on_return_leg(found)
    } else {
        found
    })
}

/// A forward meaning moved onto the way back; exceptions keep theirs.
fn on_return_leg(found: Unified) -> Unified {
    let sub_status = match found.status {
        Status::Delivered => SubStatus::RtoDelivered,
        Status::OutForDelivery => SubStatus::RtoOutForDelivery,
        Status::DeliveryFailed => SubStatus::RtoDeliveryFailed,
        Status::PreTransit | Status::InTransit | Status::AvailableForPickup => {
            SubStatus::RtoInTransit
        }
        _ => return found,
    };
    Unified {
        status: sub_status.status(),
        sub_status,
    }
}

/// Blue Dart's scan text without its padding and the trailing ` |` its push documents
/// show (`SHIPMENT DELIVERED      |`).
pub fn scan_text(text: &str) -> String {
    text.trim().trim_end_matches('|').trim().to_string()
}

/// One scan as an event, `group/code` as the carrier code.
#[allow(clippy::too_many_arguments)]
fn scan_event(
    m: &Mapping,
    scan_type: &str,
    group: &str,
    code: &str,
    text: &str,
    when: Option<DateTime<Utc>>,
    location: Option<&str>,
    reverse: bool,
) -> Option<TrackingEvent> {
    let when = when?;
    let carrier_code = format!("{}/{}", group.trim(), code.trim());
    let found = resolve(m, scan_type, group, code, reverse);
    let unified = or_unmapped(ID, found, &carrier_code);
    let event = TrackingEvent::new(unified, carrier_code, scan_text(text), when)
        .with_location(location.map(str::to_string));
    Some(event)
}

/// The pickup milestone, from the shipment's `PickUpDate`/`PickUpTime`.
fn pickup_event(m: &Mapping, date: Option<&str>, time: Option<&str>) -> Option<TrackingEvent> {
    let when = scan_time(date?, time.unwrap_or_default())?;
    let unified = or_unmapped(ID, m.lookup("milestone", PICKUP_CODE), PICKUP_CODE);
    Some(TrackingEvent::new(
        unified,
        PICKUP_CODE,
        "SHIPMENT PICKED UP",
        when,
    ))
}

/// Events in time order, failed attempts numbered.
fn ordered(events: Vec<TrackingEvent>) -> Vec<TrackingEvent> {
    crate::kit::tracking::oldest_first(events)
}

// --- Tracking -----------------------------------------------------------------------------

/// The XML answer's shipments; Blue Dart's `<Error>` (HTTP 200) as a refusal.
fn track_answer(resp: &HttpResponse) -> Result<TrackAnswer> {
    if !resp.is_success() {
        return Err(refused(resp));
    }
    let found: TrackAnswer = resp.xml()?;
    if let Some(error) = found
        .error
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        let code = match error.to_ascii_lowercase() {
            e if e.contains("licen") || e.contains("login") => UNAUTHORIZED.to_string(),
            _ => "tracking_refused".to_string(),
        };
        return Err(CarrierError::rejected(code, error, resp.status));
    }
    Ok(found)
}

/// Whether an answer's shipment is one Blue Dart knows: an unknown number comes back as a
/// shipment with status type `NF` and no scans.
fn is_known(shipment: &TrackedShipment) -> bool {
    let number = shipment
        .waybill_no
        .as_deref()
        .map(str::trim)
        .unwrap_or_default();
    let nf = shipment.status_type.as_deref().map(str::trim) == Some("NF");
    !number.is_empty() && !nf
}

fn events_of(m: &Mapping, shipment: &TrackedShipment) -> Vec<TrackingEvent> {
    let reverse = shipment.shipment_mode.as_deref().map(str::trim) == Some("R");
    let scans = shipment.scans.as_ref().map(|s| s.details.as_slice());
    let read = |s: &XmlScan| {
        let f = |v: &Option<String>| v.as_deref().unwrap_or_default().to_string();
        let when = scan_time(&f(&s.scan_date), &f(&s.scan_time));
        let location = s.scanned_location.as_deref();
        scan_event(
            m,
            &f(&s.scan_type),
            &f(&s.scan_group_type),
            &f(&s.scan_code),
            &f(&s.scan),
            when,
            location,
            reverse,
        )
    };
    // The pickup first, so that it stays before the origin inscan of the same minute.
    let pickup = pickup_event(
        m,
        shipment.pickup_date.as_deref(),
        shipment.pickup_time.as_deref(),
    );
    let mut events: Vec<TrackingEvent> = pickup.into_iter().collect();
    // Blue Dart lists scans newest first, to the minute: oldest first before the (stable)
    // sort, so scans of the same minute keep their order.
    events.extend(scans.unwrap_or_default().iter().rev().filter_map(read));
    ordered(events)
}

/// One waybill's scans; an unknown waybill is Blue Dart's "no information" refusal.
pub fn parse_track(m: &Mapping, resp: &HttpResponse, awb: &str) -> Result<TrackingUpdate> {
    let found = track_answer(resp)?;
    let wanted = |s: &&TrackedShipment| {
        s.waybill_no.as_deref().map(str::trim) == Some(awb.trim()) || found.shipments.len() == 1
    };
    let shipment = found.shipments.iter().find(wanted).filter(|s| is_known(s));
    let Some(shipment) = shipment else {
        return Err(CarrierError::rejected(
            "awb_not_found",
            format!("Blue Dart has no information on waybill {awb}"),
            resp.status,
        ));
    };
    Ok(TrackingUpdate {
        awb: shipment
            .waybill_no
            .clone()
            .unwrap_or_default()
            .trim()
            .to_string(),
        events: events_of(m, shipment),
    })
}

/// The booking made under `reference`: `None` when Blue Dart knows no waybill by it (so
/// booking again is safe).
pub fn parse_lookup(resp: &HttpResponse, reference: &str) -> Result<Option<CreatedShipment>> {
    let found = track_answer(resp)?;
    let mine = |s: &&TrackedShipment| {
        let by_ref = s.ref_no.as_deref().map(str::trim);
        is_known(s) && (by_ref == Some(reference.trim()) || by_ref.is_none())
    };
    let Some(shipment) = found.shipments.iter().find(mine) else {
        return Ok(None);
    };
    let awb = shipment.waybill_no.as_deref().unwrap_or_default().trim();
    let service = shipment
        .prodcode
        .as_deref()
        .and_then(Service::of_product)
        .unwrap_or(Service::APEX);
    let routing = shipment.destination_area.as_deref().map(str::trim);
    let routing = routing.filter(|r| !r.is_empty()).map(str::to_string);
    Ok(Some(
        CreatedShipment::new(
            awb,
            service.code(),
            refs([("credit_reference", Some(reference))]),
        )
        .with_routing_code(routing),
    ))
}

// --- Pushes -------------------------------------------------------------------------------

/// One pushed shipment's events: Lite's inline scan, or Plus/Advance's scan list, the
/// pickup milestone and a failed doorstep QC.
fn push_events(m: &Mapping, shipment: &PushShipment) -> Vec<TrackingEvent> {
    let reverse = shipment.shipment_mode.get() == Some("R");
    let read = |s: &ScanDetail| {
        let when = scan_time(&s.scan_date.or_empty(), &s.scan_time.or_empty());
        let location = s.scanned_location.get().or(s.scanned_location_code.get());
        scan_event(
            m,
            &s.scan_type.or_empty(),
            &s.scan_group_type.or_empty(),
            &s.scan_code.or_empty(),
            &s.scan.or_empty(),
            when,
            location,
            reverse,
        )
        .map(|e| e.with_description(s.comments.0.clone()))
    };
    // The pickup first, so that it stays before the origin inscan of the same minute.
    let pickup = pickup_event(m, shipment.pickup_date.get(), shipment.pickup_time.get());
    let mut events: Vec<TrackingEvent> = pickup.into_iter().collect();
    match &shipment.scans {
        Some(scans) => events.extend(scans.details.iter().filter_map(read)),
        None => events.extend(read(&shipment.inline)),
    }
    let qc = shipment.scans.as_ref().and_then(|s| s.qc_failed.as_ref());
    if let Some(qc) = qc.filter(|q| q.kind.get() == Some("F")) {
        let last = events.iter().map(|e| e.event_time).max();
        if let Some(when) = last {
            let unified = or_unmapped(ID, m.lookup("qc", "F"), "QC/F");
            let reasons = qc_reasons(&qc.reason.or_empty());
            let event = TrackingEvent::new(unified, "QC/F", "QC FAILED", when)
                .with_description(Some(reasons));
            events.push(event);
        }
    }
    ordered(events)
}

/// The QC Master's words for a comma-separated list of reason codes; an unknown code is
/// kept as its number.
pub fn qc_reasons(codes: &str) -> String {
    let word = |code: &str| match code.trim() {
        "101" => "Number of items not matching".to_string(),
        "102" => "Item used/ damaged or in bad condition".to_string(),
        "103" => "Accessories/ parts not available".to_string(),
        "104" => "Brandbox/ Invoice not available".to_string(),
        "105" => "Not the same product".to_string(),
        other => format!("QC reason {other}"),
    };
    let listed = codes.split(',').filter(|c| !c.trim().is_empty());
    listed.map(word).collect::<Vec<_>>().join("; ")
}

/// A status push in any of Blue Dart's three products: one update per pushed shipment
/// with a waybill. A body that is not JSON (as two of Blue Dart's own published samples
/// are: smart quotes, `{base 64}` placeholders, trailing commas) is refused whole:
/// repairing it would be guessing what Blue Dart meant.
pub fn parse_pushes(m: &Mapping, body: &[u8]) -> Result<Vec<PushedUpdate>> {
    let push: PushBody = serde_json::from_slice(body).map_err(|e| {
        CarrierError::bad_response(format!("unreadable Blue Dart push (not JSON): {e}"))
    })?;
    let Some(entries) = push.statustracking else {
        return Err(CarrierError::bad_response(
            "a Blue Dart push without statustracking",
        ));
    };
    let updates: Vec<PushedUpdate> = entries
        .iter()
        .filter_map(|entry| entry.shipment.as_ref())
        .filter_map(|s| {
            let awb = s.waybill_no.get()?;
            Some(PushedUpdate {
                awb: awb.to_string(),
                reference: s.ref_no.0.clone(),
                events: push_events(m, s),
            })
        })
        .collect();
    if updates.is_empty() {
        return Err(CarrierError::bad_response(
            "a Blue Dart push naming no waybill",
        ));
    }
    Ok(updates)
}
