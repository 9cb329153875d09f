//! Every DTDC answer read into unified values: pure functions, so tests, the fuzzer and
//! the gateway replay recorded payloads through them.
//!
//! DTDC refuses in three ways. Shipsy answers a wrong key or a request it cannot read
//! with an HTTP error and `{"error": {"message", "reason", "statusCode"}}`, and a
//! consignment it will not take with HTTP 200 and `success: false` beside it. The
//! tracking API answers HTTP 200 with `statusCode: 206`, `status: FAILED` and the words in
//! `errorDetails` (a number it does not know, or not this account's), and HTTP 401 for a
//! token it does not take. The tracking login answers its token as bare text. A refusal
//! becomes [`CarrierError::Rejected`] under a stable code chosen here.

use base64::Engine;

use crate::CarrierError;
use crate::kit::adapter::Result;
use crate::kit::http;
use crate::kit::lenient::Text;
use crate::kit::session::Token;
use crate::kit::time::IST;
use crate::kit::tracking::{oldest_first, or_unmapped, read_push, read_pushes};
use crate::mapping::Mapping;
use crate::schema::{
    CancelOutcome, LabelDocument, LabelFormat, PushedUpdate, TrackingEvent, TrackingUpdate,
};
use crate::taxonomy::{Status, Unified};
use crate::wire::HttpResponse;

use super::ID;
use super::wire::{
    CancelAnswer, PincodeAnswer, Push, PushStatus, ShipsyError, ShipsyErrorBody, SoftdataAnswer,
    TrackAnswer, TrackScan,
};

// The stable codes every carrier shares; the words they stand for are in `REFUSALS`.
pub use crate::kit::http::{NOT_ALLOWED, NOT_FOUND, NOT_SERVICEABLE};

/// The number is DTDC's but not this account's (tracking's 206 "Not Authorized to view
/// the information").
pub const NOT_AUTHORIZED: &str = "not_authorized";
/// A consignment already uploaded under this number or reference.
pub const ALREADY_EXISTS: &str = "already_exists";

/// Stable codes for DTDC's refusal words or reasons, first match wins (lower-case).
const REFUSALS: [(&str, &str); 11] = [
    ("not authorized to view", NOT_AUTHORIZED),
    ("no data found", NOT_FOUND),
    ("invalid consignment", NOT_FOUND),
    ("not found", NOT_FOUND),
    ("already exist", ALREADY_EXISTS),
    ("duplicate", ALREADY_EXISTS),
    ("not serviceable", NOT_SERVICEABLE),
    ("non serviceable", NOT_SERVICEABLE),
    ("wrong api key", http::UNAUTHORIZED),
    ("api key should be present", http::UNAUTHORIZED),
    ("cannot be cancel", NOT_ALLOWED),
];

/// The stable code of a refusal in DTDC's words (or Shipsy's `reason`), else
/// `dtdc_<reason>` in lower case, else `dtdc_refused`.
pub fn refusal_code(words: &str, reason: Option<&str>) -> String {
    let both = format!("{} {}", words, reason.unwrap_or_default()).replace('_', " ");
    if let Some(code) = http::code_for_words(&REFUSALS, &both) {
        return code.to_string();
    }
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) => format!("dtdc_{}", reason.to_ascii_lowercase().replace(' ', "_")),
        None => "dtdc_refused".into(),
    }
}

/// Shipsy's error object as a refusal at `status`.
fn shipsy_refusal(error: &ShipsyError, status: u16, what: &str) -> CarrierError {
    let words = error
        .message
        .get()
        .map_or_else(|| format!("DTDC refused the {what}"), str::to_string);
    let reason = error.reason.get().or(error.code.get());
    let code = match status {
        401 | 403 => http::UNAUTHORIZED.to_string(),
        _ => refusal_code(&words, reason),
    };
    CarrierError::rejected(code, words, status)
}

/// A Shipsy answer's status: a 5xx may have happened; another non-2xx is a refusal in
/// Shipsy's words where its error object is there; a 2xx carrying an error object is a
/// refusal too.
fn shipsy_check(resp: &HttpResponse, what: &str) -> Result<()> {
    resp.fail_on_server_error()?;
    let error = serde_json::from_slice::<ShipsyErrorBody>(&resp.body)
        .ok()
        .and_then(|b| b.error);
    match (resp.is_success(), error) {
        (_, Some(error)) => Err(shipsy_refusal(&error, resp.status, what)),
        (true, None) => Ok(()),
        (false, None) => Err(http::refusal(resp, None, None)),
    }
}

/// The tracking login's answer: the token as bare text (or, on some deployments, JSON
/// `{"token": …}` or a JSON string); words instead of a token are a refusal.
pub fn parse_login(resp: &HttpResponse) -> Result<Token> {
    resp.fail_on_server_error()?;
    let text = resp.text();
    let text = text.trim();
    let token = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(o)) => o
            .get("token")
            .and_then(|t| t.as_str())
            .unwrap_or_default()
            .to_string(),
        Ok(_) => String::new(),
        Err(_) => text.to_string(),
    };
    let token = token.trim();
    // A token is one word; DTDC's refusals ("Not Authorized", "Invalid credentials") are
    // words with spaces.
    let looks_like_token = !token.is_empty()
        && token.len() <= 4096
        && !token.chars().any(|c| c.is_whitespace() || c == '<');
    if !resp.is_success() || !looks_like_token {
        let words = match text {
            "" => "DTDC's tracking login issued no token".to_string(),
            t => t.chars().take(200).collect(),
        };
        return Err(CarrierError::rejected(
            http::UNAUTHORIZED,
            words,
            resp.status,
        ));
    }
    Ok(Token {
        value: token.to_string(),
        expires_in: None,
    })
}

/// What a softdata answer says was booked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booked {
    pub awb: String,
    pub reference: Option<String>,
}

/// The softdata answer for the one consignment sent: its AWB, or DTDC's refusal.
pub fn parse_softdata(resp: &HttpResponse) -> Result<Booked> {
    shipsy_check(resp, "consignment")?;
    let answer: SoftdataAnswer = resp.json()?;
    let Some(first) = answer.data.into_iter().next() else {
        return Err(CarrierError::bad_response(
            "DTDC answered a consignment upload without a result",
        ));
    };
    let refused = first.success.flag() == Some(false);
    match first.reference_number.get() {
        Some(awb) if !refused => Ok(Booked {
            awb: awb.to_string(),
            reference: first.customer_reference_number.get().map(str::to_string),
        }),
        _ => {
            let words = first
                .message
                .get()
                .unwrap_or("DTDC did not take the consignment")
                .to_string();
            let code = refusal_code(&words, first.reason.get());
            Err(CarrierError::rejected(code, words, resp.status))
        }
    }
}

/// The label stream for `awb`: PDF bytes as sent, or base64 inside JSON (`label` or
/// `data`) on deployments that wrap it; never redrawn.
pub fn parse_label(resp: &HttpResponse, awb: &str) -> Result<LabelDocument> {
    if resp.body.starts_with(b"%PDF") && resp.is_success() {
        return Ok(LabelDocument {
            format: LabelFormat::Pdf,
            content: resp.body.clone(),
        });
    }
    shipsy_check(resp, "label")?;
    let value: serde_json::Value = resp.json()?;
    let wrapped = ["label", "data"]
        .into_iter()
        .find_map(|k| value.get(k).and_then(|v| v.as_str()));
    let Some(encoded) = wrapped else {
        return Err(CarrierError::bad_response(format!(
            "DTDC answered the label of {awb} without a PDF"
        )));
    };
    let encoded = encoded
        .trim()
        .trim_start_matches("data:application/pdf;base64,");
    let content = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|e| CarrierError::bad_response(format!("DTDC's label of {awb}: {e}")))?;
    if !content.starts_with(b"%PDF") {
        return Err(CarrierError::bad_response(format!(
            "DTDC's label of {awb} is not a PDF"
        )));
    }
    Ok(LabelDocument {
        format: LabelFormat::Pdf,
        content,
    })
}

/// The cancellation answer: done, or refused for the consignment in DTDC's words.
pub fn parse_cancel(resp: &HttpResponse) -> Result<CancelOutcome> {
    shipsy_check(resp, "cancellation")?;
    let answer: CancelAnswer = resp.json()?;
    if let Some(failure) = answer.failures.first() {
        let words = failure
            .message
            .get()
            .unwrap_or("DTDC did not cancel the consignment")
            .to_string();
        let code = refusal_code(&words, failure.reason.get());
        return Err(CarrierError::rejected(code, words, resp.status));
    }
    match answer.success.flag() {
        Some(true) => Ok(CancelOutcome {
            carrier_message: format!("Cancelled ({})", answer.status.get().unwrap_or("OK")),
        }),
        _ => Err(CarrierError::bad_response(
            "DTDC answered a cancellation without saying it was done",
        )),
    }
}

/// What the pincode lookup says of a lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// DTDC delivers B2C parcels on the lane.
    pub served: bool,
    /// …and collects cash there.
    pub cod: bool,
    /// DTDC's words when it does not serve the lane.
    pub message: Option<String>,
}

/// `PincodeApiCall`: `MESSAGE` other than `SUCCESS` is not served (its words kept);
/// otherwise the first service's B2C flags (or the lane's `SERVFLAG`).
pub fn parse_pincodes(resp: &HttpResponse) -> Result<Lookup> {
    let answer: PincodeAnswer = http::json(resp)?;
    let Some(zip) = answer.zipcode.first() else {
        return Err(CarrierError::bad_response(
            "DTDC's pincode lookup answered without ZIPCODE_RESP",
        ));
    };
    let message = zip.message.get().unwrap_or_default();
    if !message.eq_ignore_ascii_case("success") {
        let words = match message {
            "" => "DTDC does not serve the lane".to_string(),
            m => m.to_string(),
        };
        return Ok(Lookup {
            served: false,
            cod: false,
            message: Some(words),
        });
    }
    let yes = |t: &Text| {
        t.get()
            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "y" | "yes"))
    };
    let flags = answer.services.first();
    let served = flags.is_some_and(|f| yes(&f.b2c_serviceable)) || yes(&zip.serv_flag);
    let cod = served && flags.is_some_and(|f| yes(&f.b2c_cod_serviceable));
    Ok(Lookup {
        served,
        cod,
        message: None,
    })
}

/// Wall-time shapes DTDC writes (IST, no zone): `DDMMYYYY` with `HHMM`, the header's
/// `HH:MM:SS`.
const WALL_TIMES: &[&str] = &[
    "%d%m%Y %H%M",
    "%d%m%Y %H:%M:%S",
    "%d%m%Y %H:%M",
    "%d%m%Y %H%M%S",
];

/// A scan's time: its date and time, IST.
fn scan_time(date: &Text, time: &Text) -> Option<chrono::DateTime<chrono::Utc>> {
    let text = format!("{} {}", date.get()?, time.get().unwrap_or("0000"));
    IST.parse_with(&text, WALL_TIMES)
}

/// The reason code of a failed attempt's remarks (`PNA|RECEIVER NOT AVAILABLE-(CIR)`).
fn reason_code(remarks: &str) -> &str {
    remarks.split('|').next().unwrap_or_default().trim()
}

/// A scan's unified status: a failed attempt by its reason code where that is mapped,
/// otherwise by its code; `None` when neither maps.
pub fn resolve(mapping: &Mapping, code: &str, remarks: &str) -> Option<Unified> {
    let by_code = mapping.lookup("status", code);
    if by_code
        .as_ref()
        .is_some_and(|u| u.status == Status::DeliveryFailed)
        && let Some(reason) = mapping.lookup("ndr_reason", reason_code(remarks))
    {
        return Some(reason);
    }
    by_code
}

/// One scan as an event; `None` without a code or a readable time (logged).
fn event(
    mapping: &Mapping,
    code: &Text,
    words: &Text,
    (date, time): (&Text, &Text),
    place: Option<String>,
    remarks: &Text,
) -> Option<TrackingEvent> {
    let code = code.get()?;
    let Some(at) = scan_time(date, time) else {
        tracing::warn!(carrier = ID, code, date = ?date.get(), "scan without a readable time; skipped");
        return None;
    };
    let remarks = remarks.or_empty();
    let unified = or_unmapped(ID, resolve(mapping, code, &remarks), code);
    let mut event = TrackingEvent::new(unified, code, words.or_empty(), at)
        .with_location(place)
        .with_description(Some(remarks.clone()));
    if event.status == Status::DeliveryFailed && !remarks.trim().is_empty() {
        // DTDC's own reason, kept beside the sub-status it was read into.
        event.ndr_reason = Some(remarks);
    }
    Some(event)
}

fn pulled(mapping: &Mapping, scan: &TrackScan) -> Option<TrackingEvent> {
    event(
        mapping,
        &scan.code,
        &scan.action,
        (&scan.date, &scan.time),
        scan.origin.get().map(str::to_string),
        &scan.remarks,
    )
}

fn pushed_event(mapping: &Mapping, status: &PushStatus) -> Option<TrackingEvent> {
    event(
        mapping,
        &status.code,
        &status.words,
        (&status.date, &status.time),
        status.origin.get().map(str::to_string),
        &status.remarks,
    )
}

/// Events oldest first (a stable sort: DTDC's minutes often tie, and it lists scans in
/// the order they happened), failed attempts numbered.
fn ordered(events: Vec<TrackingEvent>) -> Vec<TrackingEvent> {
    oldest_first(events)
}

/// The words of a tracking refusal (`errorDetails`' `strError`, else `status`).
fn track_refusal(answer: &TrackAnswer, resp: &HttpResponse) -> CarrierError {
    let details = answer.error_details.as_deref().unwrap_or_default();
    let named = |name: &str| {
        details
            .iter()
            .find(|d| d.name.get().is_some_and(|n| n.eq_ignore_ascii_case(name)))
            .and_then(|d| d.value.get())
    };
    let words = named("strError")
        .or(named("error"))
        .or(answer.status.get())
        .unwrap_or("DTDC's tracking refused the request")
        .to_string();
    CarrierError::rejected(refusal_code(&words, None), words, resp.status)
}

/// `getTrackDetails` for `number`: every scan, or the refusal inside HTTP 200
/// ([`NOT_FOUND`], [`NOT_AUTHORIZED`]). The AWB is the header's `strShipmentNo` (a
/// lookup by reference learns it here).
pub fn parse_track(mapping: &Mapping, resp: &HttpResponse, number: &str) -> Result<TrackingUpdate> {
    let answer: TrackAnswer = http::json(resp)?;
    let flag = answer.status_flag.flag();
    let code_ok = matches!(answer.status_code.number(), None | Some(200.0));
    let failed = answer
        .status
        .get()
        .is_some_and(|s| s.eq_ignore_ascii_case("failed"));
    if flag == Some(false) || !code_ok || failed {
        return Err(track_refusal(&answer, resp));
    }
    let Some(header) = answer.header else {
        return Err(CarrierError::bad_response(
            "DTDC's tracking answered without trackHeader",
        ));
    };
    let awb = header
        .shipment_no
        .get()
        .or(Some(number.trim()).filter(|n| !n.is_empty()))
        .ok_or_else(|| CarrierError::bad_response("DTDC tracked no consignment"))?
        .to_string();
    let scans = answer.details.unwrap_or_default();
    let events = scans.iter().filter_map(|s| pulled(mapping, s)).collect();
    Ok(TrackingUpdate {
        awb,
        events: ordered(events),
    })
}

/// The customer reference a tracking answer names (`strRefNo`), if any.
pub fn tracked_reference(resp: &HttpResponse) -> Option<String> {
    let answer: TrackAnswer = resp.json().ok()?;
    answer.header?.ref_no.get().map(str::to_string)
}

/// The product a tracking answer names (`strCNProduct`, `B2C PRIORITY`), if any.
pub fn tracked_product(resp: &HttpResponse) -> Option<String> {
    let answer: TrackAnswer = resp.json().ok()?;
    answer.header?.product.get().map(str::to_string)
}

fn read(mapping: &Mapping, push: Push) -> Result<PushedUpdate> {
    let awb = push
        .shipment
        .shipment_no
        .get()
        .ok_or_else(|| CarrierError::bad_response("a DTDC push without strShipmentNo"))?
        .to_string();
    let statuses = push.status.into_vec();
    let events = statuses
        .iter()
        .filter_map(|s| pushed_event(mapping, s))
        .collect();
    Ok(PushedUpdate {
        awb,
        reference: push.shipment.ref_no.get().map(str::to_string),
        events: ordered(events),
    })
}

/// A push body: one consignment's push, or a batch of them.
pub fn parse_pushes(mapping: &Mapping, body: &[u8]) -> Result<Vec<PushedUpdate>> {
    read_pushes(ID, body, |push: Push| read(mapping, push))
}

/// One push, as the replay tests and the fuzzer read it.
pub fn parse_push(mapping: &Mapping, body: &[u8]) -> Result<TrackingUpdate> {
    read_push(ID, body, |push: Push| read(mapping, push))
}
