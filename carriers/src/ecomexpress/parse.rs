//! Every Ecom Express answer read into unified values: pure functions, so tests, the
//! fuzzer and the gateway replay recorded payloads through them.
//!
//! Ecom answers its JSON calls with HTTP 200 whether or not it did what was asked: the
//! AWB fetch says `"success": "yes"`/`"no"`, the manifest, cancellation and NDR calls
//! answer one object per AWB with `success` or `status` true/false and the `reason` or
//! `error` in words. Tracking answers XML (`<ecomexpress-objects>`, one `<object>` per
//! AWB, each value a `<field name="…">`), with zone-less IST times. A refusal becomes
//! [`CarrierError::Rejected`] under a stable code chosen here from its words
//! ([`refusal_code`]).

use serde::Deserialize;

use crate::CarrierError;
use crate::families::NdrOutcome;
use crate::kit::adapter::Result;
use crate::kit::http;
use crate::kit::lenient::{Loose, Text};
use crate::kit::time::IST;
use crate::kit::tracking::{oldest_first, or_unmapped, read_push, read_pushes};
use crate::mapping::Mapping;
use crate::schema::{
    CancelOutcome, LabelDocument, LabelFormat, PushedUpdate, TrackingEvent, TrackingUpdate,
};
use crate::taxonomy::{Status, Unified};
use crate::wire::HttpResponse;

use super::ID;

// The stable codes every carrier shares; the words they stand for are in `REFUSALS`.
pub use crate::kit::http::{NOT_ALLOWED, NOT_FOUND, NOT_SERVICEABLE};

/// A manifest for an AWB Ecom already holds a manifest for: booked before.
pub const AWB_IN_USE: &str = "awb_in_use";
/// An AWB Ecom never issued to this account, or of another series (a COD number on a
/// prepaid manifest).
pub const INVALID_AWB: &str = "invalid_awb";

/// Stable codes for Ecom's refusal words, first match wins (lower-case).
const REFUSALS: [(&str, &str); 9] = [
    ("airwaybill_in_use", AWB_IN_USE),
    ("incorrect_awb", INVALID_AWB),
    ("invalid awb", INVALID_AWB),
    ("invalid_awb", INVALID_AWB),
    ("serviceable", NOT_SERVICEABLE),
    ("unauthori", http::UNAUTHORIZED),
    ("invalid user", http::UNAUTHORIZED),
    ("not in ndr", NOT_ALLOWED),
    ("cannot be cancelled", NOT_ALLOWED),
];

/// The stable code of a refusal in Ecom's words, else `ecomexpress_refused`.
pub fn refusal_code(words: &str) -> String {
    http::code_for_words(&REFUSALS, words)
        .unwrap_or("ecomexpress_refused")
        .to_string()
}

fn refused(resp: &HttpResponse, words: String) -> CarrierError {
    CarrierError::rejected(refusal_code(&words), words, resp.status)
}

/// Ecom's yes/no: `true`, `"yes"`, `"True"`, `1`.
fn yes(flag: &Loose) -> bool {
    flag.flag().unwrap_or(false)
        || flag
            .known()
            .is_some_and(|v| v.eq_ignore_ascii_case("yes") || v.eq_ignore_ascii_case("y"))
}

/// An error list or a single message, as words.
fn words_of(reason: &Text, errors: &serde_json::Value) -> Option<String> {
    let listed: Vec<String> = match errors {
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            })
            .filter(|s| !s.trim().is_empty())
            .collect(),
        serde_json::Value::String(s) if !s.trim().is_empty() => vec![s.clone()],
        serde_json::Value::Object(map) => map
            .values()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    reason
        .get()
        .map(str::to_string)
        .or_else(|| (!listed.is_empty()).then(|| listed.join("; ")))
}

// ---------------------------------------------------------------------------------------
// AWB series
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AwbAnswer {
    success: Loose,
    awb: Vec<Loose>,
    reason: Text,
    error: serde_json::Value,
}

/// `fetch_awb`: the numbers of a new series, blanks skipped.
pub fn parse_fetch_awb(resp: &HttpResponse) -> Result<Vec<String>> {
    let answer: AwbAnswer = http::json(resp)?;
    if !yes(&answer.success) {
        let words = words_of(&answer.reason, &answer.error)
            .unwrap_or_else(|| "Ecom Express issued no AWB series".into());
        return Err(refused(resp, words));
    }
    let series: Vec<String> = answer
        .awb
        .iter()
        .filter_map(Loose::known)
        .map(str::to_string)
        .collect();
    if series.is_empty() {
        return Err(CarrierError::bad_response(
            "Ecom Express answered an empty AWB series",
        ));
    }
    Ok(series)
}

// ---------------------------------------------------------------------------------------
// Manifests
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ManifestLine {
    awb: Loose,
    order_number: Text,
    success: Loose,
    reason: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ManifestAnswer {
    shipments: Vec<ManifestLine>,
}

/// The forward manifest's answer for `awb` (the number the manifest named): booked, or
/// refused with its stable code ([`AWB_IN_USE`] for a number Ecom already holds, which
/// the adapter reads as an earlier booking of the same shipment).
pub fn parse_manifest(resp: &HttpResponse, awb: &str) -> Result<()> {
    let answer: ManifestAnswer = http::json(resp)?;
    let awb = awb.trim();
    let line = answer
        .shipments
        .iter()
        .find(|l| l.awb.known() == Some(awb))
        .or_else(|| {
            answer
                .shipments
                .first()
                .filter(|_| answer.shipments.len() == 1)
        })
        .ok_or_else(|| {
            CarrierError::bad_response(format!("Ecom Express answered no line for AWB {awb}"))
        })?;
    if !yes(&line.success) {
        let words = line
            .reason
            .get()
            .unwrap_or("Ecom Express did not take the manifest")
            .to_string();
        return Err(refused(resp, words));
    }
    match line.awb.known() {
        Some(booked) if booked != awb => Err(CarrierError::bad_response(format!(
            "Ecom Express confirmed AWB {booked} for a manifest under {awb}"
        ))),
        _ => Ok(()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReverseLine {
    success: Loose,
    airwaybill_number: Loose,
    order_id: Text,
    error_list: serde_json::Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReverseObjects {
    #[serde(rename = "AIRWAYBILL")]
    airwaybill: ReverseLine,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReverseResponse {
    #[serde(rename = "AIRWAYBILL-OBJECTS")]
    objects: ReverseObjects,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReverseAnswer {
    #[serde(rename = "RESPONSE-OBJECTS")]
    response: ReverseResponse,
}

/// The reverse-pickup manifest's answer (`manifest_awb_rev_v2`) for `awb`.
pub fn parse_reverse(resp: &HttpResponse, awb: &str) -> Result<()> {
    let answer: ReverseAnswer = http::json(resp)?;
    let line = &answer.response.objects.airwaybill;
    if !yes(&line.success) {
        let words = words_of(&Text(None), &line.error_list)
            .unwrap_or_else(|| "Ecom Express did not take the reverse pickup".into());
        return Err(refused(resp, words));
    }
    match line.airwaybill_number.known() {
        Some(booked) if booked != awb.trim() => Err(CarrierError::bad_response(format!(
            "Ecom Express confirmed AWB {booked} for a reverse pickup under {awb}"
        ))),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------

/// The label service's answer: the PDF itself, or a refusal (JSON inside HTTP 200, or an
/// error status). Never redrawn, only checked to be a PDF.
pub fn parse_label(resp: &HttpResponse) -> Result<LabelDocument> {
    http::check(resp)?;
    if resp.body.starts_with(b"%PDF-") {
        return Ok(LabelDocument {
            format: LabelFormat::Pdf,
            content: resp.body.clone(),
        });
    }
    let refusal: AwbAnswer = resp.json().map_err(|_| {
        CarrierError::bad_response(format!(
            "Ecom Express' label is not a PDF: {:?}",
            resp.snippet()
        ))
    })?;
    let words = words_of(&refusal.reason, &refusal.error)
        .unwrap_or_else(|| "Ecom Express returned no label".into());
    Err(refused(resp, words))
}

// ---------------------------------------------------------------------------------------
// Pincodes
// ---------------------------------------------------------------------------------------

/// One pincode as Ecom's pincode API lists it.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Pincode {
    pub pincode: Loose,
    pub city: Text,
    pub state: Text,
    pub dccode: Text,
    pub active: Loose,
    pub cod: Loose,
    pub prepaid: Loose,
    pub reverse: Loose,
}

impl Pincode {
    pub fn active(&self) -> bool {
        yes(&self.active)
    }
    pub fn cod(&self) -> bool {
        self.active() && yes(&self.cod)
    }
    pub fn prepaid(&self) -> bool {
        self.active() && yes(&self.prepaid)
    }
    pub fn reverse(&self) -> bool {
        self.active() && yes(&self.reverse)
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum PincodeAnswer {
    List(Vec<Pincode>),
    Refusal {
        #[serde(default)]
        success: Loose,
        #[serde(default)]
        reason: Text,
        #[serde(default)]
        error: serde_json::Value,
    },
}

/// The pincode API's entry for `pincode`, `None` when it is not listed (not served). An
/// entry may be listed inactive: the adapter reads its flags through [`Pincode`].
pub fn parse_pincode(resp: &HttpResponse, pincode: &str) -> Result<Option<Pincode>> {
    match http::json::<PincodeAnswer>(resp)? {
        PincodeAnswer::List(list) => Ok(list
            .into_iter()
            .find(|p| p.pincode.known() == Some(pincode.trim()))),
        PincodeAnswer::Refusal {
            success,
            reason,
            error,
        } => {
            let words = words_of(&reason, &error).unwrap_or_else(|| {
                format!("Ecom Express answered the pincode query with success {success:?}")
            });
            Err(refused(resp, words))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Tracking (XML)
// ---------------------------------------------------------------------------------------

/// `<ecomexpress-objects>`: one `<object model="awb">` per AWB asked about.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Objects {
    #[serde(rename = "object")]
    objects: Vec<XmlObject>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct XmlObject {
    #[serde(rename = "@model")]
    model: String,
    #[serde(rename = "field")]
    fields: Vec<XmlField>,
}

/// `<field type="…" name="…">value</field>`, or a related list (`scans`) of objects.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct XmlField {
    #[serde(rename = "@name")]
    name: String,
    #[serde(rename = "$text")]
    text: Option<String>,
    #[serde(rename = "object")]
    objects: Vec<XmlObject>,
}

impl XmlObject {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| f.text.as_deref())
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }

    fn related(&self, name: &str) -> &[XmlObject] {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map_or(&[], |f| f.objects.as_slice())
    }
}

/// Wall-time shapes Ecom writes (IST, no zone): scans `02 May, 2022, 10:48`, pushes
/// `2022-05-02 10:48:46`, and the older `dd-Mon-yyyy` dates.
const WALL_TIMES: &[&str] = &[
    "%d %b, %Y, %H:%M",
    "%d %b, %Y, %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d-%b-%Y %H:%M",
];

/// A scan's unified status: on a returning parcel through `[codes.rts]` first, then by
/// its code; `None` when neither maps.
pub fn resolve(mapping: &Mapping, code: &str, returning: bool) -> Option<Unified> {
    returning
        .then(|| mapping.lookup("rts", code))
        .flatten()
        .or_else(|| mapping.lookup("status", code))
}

/// A scan as read, before it becomes an event.
struct RawScan<'a> {
    code: &'a str,
    words: String,
    time: &'a str,
    location: Option<String>,
    returning: bool,
}

fn event(mapping: &Mapping, scan: RawScan<'_>) -> Option<TrackingEvent> {
    let code = scan.code.trim();
    if code.is_empty() {
        return None;
    }
    let Some(time) = IST.parse_with(scan.time.trim(), WALL_TIMES) else {
        tracing::warn!(
            carrier = ID,
            code,
            time = scan.time,
            "scan without a readable time; skipped"
        );
        return None;
    };
    let unified = or_unmapped(ID, resolve(mapping, code, scan.returning), code);
    let mut event =
        TrackingEvent::new(unified, code, scan.words.clone(), time).with_location(scan.location);
    if event.status == Status::DeliveryFailed && !scan.words.trim().is_empty() {
        // Ecom's own reason, kept beside the sub-status it was read into.
        event.ndr_reason = Some(scan.words);
    }
    Some(event)
}

/// Events oldest first, failed attempts numbered.
fn ordered(events: Vec<TrackingEvent>) -> Vec<TrackingEvent> {
    oldest_first(events)
}

/// Whether an AWB object or a push says the parcel is returning to the seller.
fn returning(rts: Option<&str>, ref_awb: Option<&str>) -> bool {
    let flagged = rts.is_some_and(|v| {
        let v = v.trim();
        v == "1" || v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("yes")
    });
    flagged || ref_awb.is_some_and(|r| !r.trim().is_empty())
}

/// The reason's words: `reason_code` without its leading number ("999 - Delivered"
/// becomes "Delivered"), else the scan's `status`.
fn words(reason_code: Option<&str>, code: &str, status: Option<&str>) -> String {
    let reason = reason_code.map(|r| {
        let r = r.trim();
        r.strip_prefix(code)
            .map(|rest| rest.trim_start_matches([' ', '-']).trim())
            .unwrap_or(r)
            .to_string()
    });
    reason
        .filter(|r| !r.is_empty())
        .or_else(|| status.map(str::to_string))
        .unwrap_or_default()
}

/// `track_me/api/mawbd` for `awb`: every scan, or [`NOT_FOUND`] when the answer lists no
/// object for it.
pub fn parse_track(mapping: &Mapping, resp: &HttpResponse, awb: &str) -> Result<TrackingUpdate> {
    resp.fail_on_server_error()?;
    if !resp.is_success() {
        return Err(http::refusal(resp, None, Some(resp.snippet())));
    }
    let objects: Objects = resp.xml()?;
    let wanted = awb.trim();
    let Some(object) = objects
        .objects
        .iter()
        .find(|o| o.model.eq_ignore_ascii_case("awb") && o.field("awb_number") == Some(wanted))
    else {
        return Err(CarrierError::rejected(
            NOT_FOUND,
            format!("Ecom Express lists no shipment under AWB {wanted}"),
            resp.status,
        ));
    };
    // The answer's own `rts_shipment`/`ref_awb` says the parcel is returning now, not
    // since when: its scans are read oldest first, and from the first scan that starts
    // the return (RTS, 777) on, the forward codes mean the way back.
    let mut back = false;
    let mut scans: Vec<(chrono::DateTime<chrono::Utc>, RawScan<'_>)> = object
        .related("scans")
        .iter()
        // Ecom lists newest first: reversed, a stable sort keeps scans of the same
        // minute in the order they happened.
        .rev()
        .filter_map(|scan| {
            let code = scan.field("reason_code_number")?;
            let time = scan.field("updated_on")?;
            let location = [scan.field("location_city"), scan.field("location")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            let raw = RawScan {
                code,
                words: words(scan.field("reason_code"), code, scan.field("status")),
                time,
                location: Some(location),
                returning: false,
            };
            // Unreadable times sort first and are skipped (logged) by `event`.
            let at = IST.parse_with(time.trim(), WALL_TIMES).unwrap_or_default();
            Some((at, raw))
        })
        .collect();
    scans.sort_by_key(|(at, _)| *at);
    let mut events = Vec::new();
    for (_, mut raw) in scans {
        raw.returning = back;
        if let Some(e) = event(mapping, raw) {
            back |= e.status == Status::Rto;
            events.push(e);
        }
    }
    Ok(TrackingUpdate {
        awb: wanted.to_string(),
        events: ordered(events),
    })
}

// ---------------------------------------------------------------------------------------
// Cancellation and NDR
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UpdateLine {
    awb: Loose,
    success: Loose,
    status: Loose,
    reason: Text,
    error: serde_json::Value,
}

fn line_for<'a>(lines: &'a [UpdateLine], awb: &str, what: &str) -> Result<&'a UpdateLine> {
    lines
        .iter()
        .find(|l| l.awb.known() == Some(awb.trim()))
        .or_else(|| lines.first().filter(|_| lines.len() == 1))
        .ok_or_else(|| {
            CarrierError::bad_response(format!("Ecom Express answered no {what} line for {awb}"))
        })
}

/// `cancel_awb` for `awb`: cancelled, or refused in Ecom's words.
pub fn parse_cancel(resp: &HttpResponse, awb: &str) -> Result<CancelOutcome> {
    let lines: Vec<UpdateLine> = http::json(resp)?;
    let line = line_for(&lines, awb, "cancellation")?;
    if !yes(&line.success) {
        let words = words_of(&line.reason, &line.error)
            .unwrap_or_else(|| "Ecom Express did not cancel the AWB".into());
        return Err(refused(resp, words));
    }
    Ok(CancelOutcome {
        carrier_message: line.reason.get().unwrap_or("AWB cancelled").to_string(),
    })
}

/// `ndr_resolutions` for `awb`: taken (synchronously), or refused.
pub fn parse_ndr(resp: &HttpResponse, awb: &str) -> Result<NdrOutcome> {
    let lines: Vec<UpdateLine> = http::json(resp)?;
    let line = line_for(&lines, awb, "NDR")?;
    if !(yes(&line.status) || yes(&line.success)) {
        let words = words_of(&line.reason, &line.error)
            .unwrap_or_else(|| "Ecom Express did not take the instruction".into());
        return Err(refused(resp, words));
    }
    Ok(NdrOutcome {
        accepted: true,
        carrier_message: format!("Ecom Express took the instruction for {}", awb.trim()),
        carrier_ref: None,
    })
}

// ---------------------------------------------------------------------------------------
// Pushes
// ---------------------------------------------------------------------------------------

/// One status push: a scan with the AWB and the order number.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Push {
    pub awb: Loose,
    pub datetime: Text,
    pub status: Text,
    pub reason_code: Text,
    pub reason_code_number: Loose,
    pub location: Text,
    pub city: Text,
    pub order_number: Text,
    pub ref_awb: Text,
    pub rts_shipment: Loose,
}

fn pushed(mapping: &Mapping, push: Push) -> Result<PushedUpdate> {
    let awb = push
        .awb
        .known()
        .ok_or_else(|| CarrierError::bad_response("an Ecom Express push without an awb"))?
        .to_string();
    let code = push.reason_code_number.known().ok_or_else(|| {
        CarrierError::bad_response("an Ecom Express push without a reason_code_number")
    })?;
    let time = push
        .datetime
        .get()
        .ok_or_else(|| CarrierError::bad_response("an Ecom Express push without a datetime"))?;
    let location = [push.city.get(), push.location.get()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let scan = RawScan {
        code,
        words: words(push.reason_code.get(), code, push.status.get()),
        time,
        location: Some(location),
        returning: returning(push.rts_shipment.known(), push.ref_awb.get()),
    };
    let events = event(mapping, scan).ok_or_else(|| {
        CarrierError::bad_response(format!(
            "an Ecom Express push with an unreadable datetime {time:?}"
        ))
    })?;
    Ok(PushedUpdate {
        awb,
        reference: push.order_number.get().map(str::to_string),
        events: ordered(vec![events]),
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
