//! Every XpressBees answer read into unified values: pure functions, so tests, the fuzzer
//! and the gateway replay recorded payloads through them.
//!
//! XpressBees answers almost everything with HTTP 200 and says whether it worked in
//! `ReturnCode` (100 is success) and `ReturnMessage` (its words); the login says it in
//! `code` (200) and `message`. A refusal becomes [`CarrierError::Rejected`] under a
//! stable code chosen here from its words ([`refusal_code`]), with the HTTP status the
//! answer came with.

use crate::CarrierError;
use crate::families::NdrOutcome;
use crate::kit::adapter::Result;
use crate::kit::http;
use crate::kit::lenient::{Loose, Text};
use crate::kit::session::Token;
use crate::kit::time::IST;
use crate::kit::tracking::{oldest_first, or_unmapped, read_push, read_pushes};
use crate::mapping::Mapping;
use crate::schema::{CancelOutcome, PushedUpdate, TrackingEvent, TrackingUpdate};
use crate::taxonomy::{Status, Unified};
use crate::wire::HttpResponse;

use super::ID;
use super::wire::{
    AwbAnswer, LoginAnswer, ManifestAnswer, PincodeAnswer, PincodeDetail, Push, RETURN_OK, Scan,
    TrackAnswer, UpdateAnswer,
};

// The stable codes every carrier shares; the words they stand for are in `REFUSALS`.
pub use crate::kit::http::{NOT_ALLOWED, NOT_FOUND, NOT_SERVICEABLE};

/// A manifest for an AWB XpressBees already holds: booked before, under this AWB.
pub const AWB_EXISTS: &str = "awb_already_exists";
/// An AWB from another series (COD for prepaid, forward for reverse) or not this
/// account's.
pub const INVALID_AWB: &str = "invalid_awb_prefix";
pub const DUPLICATE_ORDER: &str = "duplicate_order_no";

/// Stable codes for XpressBees' refusal words, first match wins (lower-case).
const REFUSALS: [(&str, &str); 12] = [
    ("already exist", AWB_EXISTS),
    ("invalid awb prefix", INVALID_AWB),
    ("awb not found in series", INVALID_AWB),
    ("order no already", DUPLICATE_ORDER),
    ("not serviceable", NOT_SERVICEABLE),
    ("non serviceable", NOT_SERVICEABLE),
    ("details not found", NOT_FOUND),
    ("no data found", NOT_FOUND),
    ("invalid xbkey", http::UNAUTHORIZED),
    ("invalid xbaccesskey", http::UNAUTHORIZED),
    ("invalid credentials", http::UNAUTHORIZED),
    ("cannot be", NOT_ALLOWED),
];

/// The stable code of a refusal in XpressBees' words, else `xpressbees_<ReturnCode>`.
pub fn refusal_code(message: &str, return_code: &str) -> String {
    http::code_for_words(&REFUSALS, message)
        .map(str::to_string)
        .unwrap_or_else(|| match return_code.trim() {
            "" => "xpressbees_refused".to_string(),
            code => format!("xpressbees_{code}"),
        })
}

/// Whether an answer's `ReturnCode` says it was carried out.
fn carried_out(code: &Loose) -> bool {
    code.number() == Some(RETURN_OK as f64)
}

/// The refusal inside an answer whose `ReturnCode` is not 100.
fn refused(resp: &HttpResponse, code: &Loose, message: &Text, what: &str) -> CarrierError {
    let words = message.get().map(str::to_string).unwrap_or_else(|| {
        format!(
            "XpressBees did not carry out the {what} (ReturnCode {:?})",
            code.0
        )
    });
    CarrierError::rejected(refusal_code(&words, &code.0), words, resp.status)
}

/// `Ok` when an answer's `ReturnCode` says the `what` was carried out, else its refusal.
fn carried_out_or_refused(
    resp: &HttpResponse,
    code: &Loose,
    message: &Text,
    what: &str,
) -> Result<()> {
    match carried_out(code) {
        true => Ok(()),
        false => Err(refused(resp, code, message, what)),
    }
}

/// An answer's JSON, after the HTTP status: a 5xx may have happened; any other non-2xx
/// is a refusal in whatever words the body has.
fn body<T: serde::de::DeserializeOwned>(resp: &HttpResponse) -> Result<T> {
    http::json(resp)
}

/// The login answer: the token, or XpressBees' refusal (inside HTTP 200 too).
pub fn parse_login(resp: &HttpResponse) -> Result<Token> {
    let answer: LoginAnswer = body(resp)?;
    let code_ok = matches!(answer.code.number(), None | Some(200.0));
    match answer.token.get() {
        Some(token) if code_ok => Ok(Token {
            value: token.to_string(),
            expires_in: None,
        }),
        _ => {
            let words = answer
                .message
                .get()
                .unwrap_or("XpressBees issued no token")
                .to_string();
            Err(CarrierError::rejected(
                http::UNAUTHORIZED,
                words,
                resp.status,
            ))
        }
    }
}

/// `AWBNumberSeriesGeneration`: the batch id.
pub fn parse_awb_batch(resp: &HttpResponse) -> Result<String> {
    let answer: AwbAnswer = body(resp)?;
    carried_out_or_refused(
        resp,
        &answer.return_code,
        &answer.return_message,
        "AWB series request",
    )?;
    answer.batch_id.get().map(str::to_string).ok_or_else(|| {
        CarrierError::bad_response("XpressBees answered an AWB batch without its BatchID")
    })
}

/// `GetAWBNumberGeneratedSeries`: the numbers, blanks skipped.
pub fn parse_awb_series(resp: &HttpResponse) -> Result<Vec<String>> {
    let answer: AwbAnswer = body(resp)?;
    carried_out_or_refused(
        resp,
        &answer.return_code,
        &answer.return_message,
        "AWB series fetch",
    )?;
    let series: Vec<String> = answer
        .series
        .iter()
        .filter_map(Loose::known)
        .map(str::to_string)
        .collect();
    if series.is_empty() {
        return Err(CarrierError::bad_response(
            "XpressBees answered an empty AWB series",
        ));
    }
    Ok(series)
}

/// What a manifest answer says was booked: the AWB and XpressBees' token number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifested {
    pub awb: String,
    pub token_number: Option<String>,
}

/// A forward or reverse manifest's answer for `awb` (the number the manifest named): a
/// refusal with its stable code ([`AWB_EXISTS`] for a number XpressBees already holds,
/// which the adapter reads as an earlier booking of the same shipment).
pub fn parse_manifest(resp: &HttpResponse, awb: &str) -> Result<Manifested> {
    let answer: ManifestAnswer = body(resp)?;
    carried_out_or_refused(
        resp,
        &answer.return_code,
        &answer.return_message,
        "manifest",
    )?;
    let booked = answer.awb.get().unwrap_or(awb).to_string();
    if booked != awb.trim() {
        // XpressBees books under the number the manifest names; another one back means
        // the answer is not for this manifest.
        return Err(CarrierError::bad_response(format!(
            "XpressBees confirmed AWB {booked} for a manifest under {awb}"
        )));
    }
    Ok(Manifested {
        awb: booked,
        token_number: answer.token_number.get().map(str::to_string),
    })
}

/// The pincode master's entry for `pincode` (the answer may list one or every pincode
/// of the flow and service asked), `None` when it is not listed: not served.
pub fn parse_pincodes(resp: &HttpResponse, pincode: &str) -> Result<Option<PincodeDetail>> {
    let answer: PincodeAnswer = body(resp)?;
    if !carried_out(&answer.return_code) {
        // "No data found" for a pincode it does not serve is an answer, not a failure.
        let words = answer.return_message.get().unwrap_or_default();
        if refusal_code(words, &answer.return_code.0) == NOT_FOUND {
            return Ok(None);
        }
        return Err(refused(
            resp,
            &answer.return_code,
            &answer.return_message,
            "pincode query",
        ));
    }
    let wanted = pincode.trim();
    Ok(answer
        .pincodes
        .into_iter()
        .find(|p| p.pincode.known() == Some(wanted)))
}

/// Wall-time shapes XpressBees writes (IST, no zone): `14-01-2021 19:09:23`, older
/// answers without seconds, and ISO dates.
const WALL_TIMES: &[&str] = &[
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
];

/// A scan's unified status: a failed attempt by its reason where the reason is mapped,
/// otherwise by its code; `None` when neither maps.
pub fn resolve(mapping: &Mapping, code: &str, description: &str) -> Option<Unified> {
    let by_code = mapping.lookup("status", code);
    if by_code
        .as_ref()
        .is_some_and(|u| u.status == Status::DeliveryFailed)
        && let Some(reason) = mapping.lookup("ndr_reason", description)
    {
        return Some(reason);
    }
    by_code
}

/// One scan as an event; `None` without a code or a readable time (logged).
fn event(mapping: &Mapping, scan: &Scan) -> Option<TrackingEvent> {
    let code = scan.status.get()?;
    let Some(time) = scan.time.get().and_then(|t| IST.parse_with(t, WALL_TIMES)) else {
        tracing::warn!(carrier = ID, code, time = ?scan.time.get(), "scan without a readable time; skipped");
        return None;
    };
    let words = scan.description.or_empty();
    let unified = or_unmapped(ID, resolve(mapping, code, &words), code);
    let place = [scan.hub.get(), scan.city.get(), scan.state.get()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let mut event = TrackingEvent::new(unified, code, words.clone(), time)
        .with_location(Some(place))
        .with_description(scan.process.get().map(str::to_string));
    if event.status == Status::DeliveryFailed && !words.trim().is_empty() {
        // The carrier's own reason, kept beside the sub-status it was read into.
        event.ndr_reason = Some(words);
    }
    Some(event)
}

/// Scans as events, oldest first (XpressBees lists newest first), failed attempts
/// numbered.
fn events(mapping: &Mapping, scans: &[Scan]) -> Vec<TrackingEvent> {
    oldest_first(scans.iter().filter_map(|s| event(mapping, s)).collect())
}

/// `GetShipmentAuditLog` for `awb`: every scan, or [`NOT_FOUND`] (HTTP 200) for an AWB
/// XpressBees holds no manifest for.
pub fn parse_track(mapping: &Mapping, resp: &HttpResponse, awb: &str) -> Result<TrackingUpdate> {
    let answer: TrackAnswer = body(resp)?;
    carried_out_or_refused(
        resp,
        &answer.return_code,
        &answer.return_message,
        "tracking",
    )?;
    let awb = answer.awb.get().unwrap_or(awb.trim()).to_string();
    if awb.is_empty() {
        return Err(CarrierError::bad_response("XpressBees tracked no AWB"));
    }
    Ok(TrackingUpdate {
        awb,
        events: events(mapping, &answer.scans),
    })
}

/// `forwardcancellation`: carried out, or refused in XpressBees' words.
pub fn parse_cancel(resp: &HttpResponse) -> Result<CancelOutcome> {
    let answer: UpdateAnswer = body(resp)?;
    carried_out_or_refused(
        resp,
        &answer.return_code,
        &answer.return_message,
        "cancellation",
    )?;
    Ok(CancelOutcome {
        carrier_message: answer
            .return_message
            .get()
            .unwrap_or("Shipment Updated Successfully")
            .to_string(),
    })
}

/// `UpdateNDRDeferredDeliveryDate` for `awb`: taken (synchronously), or refused.
pub fn parse_ndr(resp: &HttpResponse, awb: &str) -> Result<NdrOutcome> {
    let answer: UpdateAnswer = body(resp)?;
    carried_out_or_refused(
        resp,
        &answer.return_code,
        &answer.return_message,
        "NDR instruction",
    )?;
    Ok(NdrOutcome {
        accepted: true,
        carrier_message: answer.return_message.get().map_or_else(
            || format!("XpressBees took the instruction for {awb}"),
            str::to_string,
        ),
        carrier_ref: None,
    })
}

fn pushed(mapping: &Mapping, push: Push) -> Result<PushedUpdate> {
    let awb = push
        .awb
        .get()
        .ok_or_else(|| CarrierError::bad_response("an XpressBees push without an AWBNumber"))?
        .to_string();
    Ok(PushedUpdate {
        awb,
        reference: push.order_no.get().map(str::to_string),
        events: events(mapping, std::slice::from_ref(&push.scan)),
    })
}

/// A status push body: one scan, or a batch of them.
pub fn parse_pushes(mapping: &Mapping, body: &[u8]) -> Result<Vec<PushedUpdate>> {
    read_pushes(ID, body, |push: Push| pushed(mapping, push))
}

/// One status push, as the replay tests and the fuzzer read it.
pub fn parse_push(mapping: &Mapping, body: &[u8]) -> Result<TrackingUpdate> {
    read_push(ID, body, |push: Push| pushed(mapping, push))
}
