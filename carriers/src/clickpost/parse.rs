//! One pure function per ClickPost answer. ClickPost answers HTTP 200 for most outcomes,
//! refusals included, and puts its own code in `meta.status`: 200 success, 323 "already
//! placed" (the order exists: its AWB comes back), 102 "processing" (an asynchronous
//! courier has not answered yet), 319 the courier refused, 600 "already cancelled",
//! 301 bad credentials, and the 3xx service errors of its error table. So every reader
//! goes by `meta.status` first and by the HTTP status only for what is not ClickPost's
//! JSON.

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;

use crate::CarrierError;
use crate::families::{NdrOutcome, ScheduledPickup};
use crate::kit::adapter::{Result, refs};
use crate::kit::http::{RATE_LIMITED, UNAUTHORIZED, status_code};
use crate::kit::lenient::Loose;
use crate::kit::time::IST;
use crate::kit::tracking::or_unmapped;
use crate::mapping::Mapping;
use crate::schema::{
    CancelOutcome, Charge, ChargeKind, CreatedShipment, Currency, Lane, PushedUpdate, RateQuote,
    Serviceability, TrackingEvent, TrackingUpdate,
};
use crate::taxonomy::{Status, Unified};
use crate::wire::HttpResponse;

use super::ID;
use super::requests::CourierAccount;
use super::wire::*;

/// Mapping kinds (`mappings/clickpost.toml`).
pub const KIND_STATUS: &str = "status";
pub const KIND_NDR: &str = "ndr";
pub const KIND_BUCKET: &str = "bucket";
pub const KIND_EVENT: &str = "notification_event";

/// ClickPost's `meta.status` codes the adapter acts on.
pub const META_OK: u32 = 200;
pub const META_PROCESSING: u32 = 102;
pub const META_COURIER_FAILED: u32 = 319;
pub const META_ALREADY_PLACED: u32 = 323;
pub const META_ALREADY_CANCELLED: u32 = 600;
pub const META_CANCEL_QUEUED: u32 = 202;
pub const META_AUTH_FAILED: u32 = 301;
/// "waybill does not exist".
pub const META_NO_WAYBILL: u32 = 330;

/// The JSON body of any answer that is ClickPost's (2xx, or a 4xx carrying `meta`); a
/// 5xx may have happened, an unreadable body is a bad response.
fn body<T: DeserializeOwned>(resp: &HttpResponse) -> Result<T> {
    resp.fail_on_server_error()?;
    match resp.json::<T>() {
        Ok(body) => Ok(body),
        Err(_) if !resp.is_success() => Err(crate::kit::http::refusal(resp, None, None)),
        Err(e) => Err(e),
    }
}

fn meta_code(meta: &ClickPostMeta) -> Option<u32> {
    meta.status.known()?.parse().ok()
}

/// A refusal in ClickPost's words under a stable code: its bad-credentials code reads
/// as `unauthorized`, 429 as `rate_limited`, the rest as `clickpost_<meta.status>`.
pub fn refused(resp: &HttpResponse, meta: &ClickPostMeta) -> CarrierError {
    let message = meta
        .message
        .get()
        .map(str::to_string)
        .unwrap_or_else(|| crate::kit::error_body::message(resp));
    let code = match meta_code(meta) {
        Some(META_AUTH_FAILED | 401 | 403) => UNAUTHORIZED.to_string(),
        Some(429) => RATE_LIMITED.to_string(),
        Some(code) => format!("clickpost_{code}"),
        None => status_code(resp.status),
    };
    CarrierError::rejected(code, message, resp.status)
}

/// Whether an answer is a success: HTTP 2xx with `meta.status` 200 (or no code but
/// `success: true`).
fn succeeded(resp: &HttpResponse, meta: &ClickPostMeta) -> bool {
    resp.is_success()
        && match meta_code(meta) {
            Some(code) => code == META_OK,
            None => meta.success.is_set(),
        }
}

// --- Rates and serviceability ---------------------------------------------------------

/// The courier accounts of a serviceability answer. "Pincode not serviceable" comes as a
/// refusal-shaped meta with no accounts: an empty list, not an error.
fn accounts(resp: &HttpResponse) -> Result<Vec<ClickPostAccount>> {
    let answer: ClickPostServiceabilityResponse = body(resp)?;
    let listed = match &answer.result {
        serde_json::Value::Array(items) => items.clone(),
        _ => Vec::new(),
    };
    if !succeeded(resp, &answer.meta) {
        let not_served = answer
            .meta
            .message
            .get()
            .is_some_and(|m| m.to_ascii_lowercase().contains("not serviceable"));
        if not_served && resp.is_success() {
            return Ok(Vec::new());
        }
        return Err(refused(resp, &answer.meta));
    }
    listed
        .into_iter()
        .map(|item| {
            serde_json::from_value(item)
                .map_err(|e| CarrierError::bad_response(format!("a ClickPost account entry: {e}")))
        })
        .collect()
}

fn courier_account(a: &ClickPostAccount) -> Result<CourierAccount> {
    let cp_id = a
        .cp_id
        .known()
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| CarrierError::bad_response("a ClickPost account without a numeric cp_id"))?;
    let account_code = a
        .account_code
        .get()
        .ok_or_else(|| CarrierError::bad_response("a ClickPost account without account_code"))?;
    Ok(CourierAccount {
        cp_id,
        account_code: account_code.to_string(),
    })
}

/// Serviceability v1 with the parcel: one quote per courier account priced for the
/// payment mode (an account with no rate card uploaded, `null`, is left out), its
/// service the account as `<cp_id>:<account_code>`, named by the account (ClickPost
/// names accounts after their courier: "Delhivery Express"). ClickPost gives one figure,
/// so the breakdown is one freight line; `comitted_sla` is the transit in days.
pub fn parse_rate_response(resp: &HttpResponse, cod: bool) -> Result<Vec<RateQuote>> {
    let mode = if cod { "COD" } else { "PREPAID" };
    let mut quotes = Vec::new();
    for a in accounts(resp)? {
        let served = if cod {
            a.serviceable.cod
        } else {
            a.serviceable.prepaid
        };
        let charge = a
            .shipping_charge
            .get(mode)
            .and_then(|c| c.money(Currency::inr()));
        let (true, Some(total)) = (served.is_set(), charge) else {
            continue;
        };
        if total.amount <= 0 {
            return Err(CarrierError::bad_response(format!(
                "ClickPost priced account {:?} at {}",
                a.account_code.get(),
                total.amount
            )));
        }
        let account = courier_account(&a)?;
        let line = Charge::new(
            ChargeKind::Freight,
            format!("shipping_charge.{mode}"),
            total.clone(),
        );
        quotes.push(RateQuote {
            transit_days: a
                .comitted_sla
                .number()
                .filter(|d| *d >= 0.0 && *d < 366.0)
                .map(|d| d as u32),
            ..RateQuote::new(
                ID,
                account.code(),
                account.account_code.clone(),
                total,
                [line],
            )
        });
    }
    Ok(quotes)
}

/// Serviceability v2 for a lane: serviceable when one account delivers for the payment
/// mode and picks up at the pickup pincode (`PICKUP`, where ClickPost states it), with
/// the accounts that do, in ClickPost's order.
pub fn parse_serviceability_response(
    resp: &HttpResponse,
    lane: &Lane,
) -> Result<(Serviceability, Vec<CourierAccount>)> {
    let mut fit = Vec::new();
    for a in accounts(resp)? {
        let pays = if lane.cod {
            a.serviceable.cod
        } else {
            a.serviceable.prepaid
        };
        let picks_up = a.serviceable.pickup.0 != Some(false);
        if pays.is_set() && picks_up {
            fit.push(courier_account(&a)?);
        }
    }
    let verdict = match fit.is_empty() {
        false => Serviceability::Serviceable,
        true => Serviceability::not(format!(
            "no ClickPost courier account picks up at {} and delivers {} parcels to {}",
            lane.pickup_pincode,
            lane.payment_label(),
            lane.delivery_pincode
        )),
    };
    Ok((verdict, fit))
}

// --- Create, lookup, label -------------------------------------------------------------

/// An order ClickPost placed with the courier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub awb: String,
    pub label_url: Option<String>,
    pub sort_code: Option<String>,
    pub security_key: Option<String>,
    pub order_id: Option<String>,
    pub tracking_id: Option<String>,
    pub reference: Option<String>,
    pub courier_partner_id: Option<String>,
    pub courier_name: Option<String>,
    /// Whether ClickPost answered 323: the order was placed by an earlier call.
    pub already_placed: bool,
}

impl Booking {
    /// The booking as shipgate keeps it, booked with `account`.
    pub fn created(&self, account: Option<&CourierAccount>) -> CreatedShipment {
        let cp_id = account
            .map(|a| a.cp_id.to_string())
            .or_else(|| self.courier_partner_id.clone());
        let account_code = account.map(|a| a.account_code.as_str());
        let carrier_refs = refs([
            ("cp_id", cp_id.as_deref()),
            ("account_code", account_code),
            ("courier_name", self.courier_name.as_deref()),
            ("order_id", self.order_id.as_deref()),
            ("tracking_id", self.tracking_id.as_deref()),
            ("security_key", self.security_key.as_deref()),
            ("label_url", self.label_url.as_deref()),
        ]);
        let service = account.map(CourierAccount::code).unwrap_or_default();
        CreatedShipment::new(self.awb.clone(), service, carrier_refs)
            .with_routing_code(self.sort_code.clone())
    }
}

/// What a create (or a lookup) says about the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placed {
    Booked(Booking),
    /// 102: ClickPost queued the order for an asynchronous courier; the same reference
    /// asked again says what became of it.
    Processing {
        order_id: Option<String>,
    },
}

fn booking(answer: &ClickPostCreateResponse, already_placed: bool) -> Result<Booking> {
    let result = answer.result.clone().unwrap_or_default();
    let awb = result.waybill.get().ok_or_else(|| {
        CarrierError::bad_response("ClickPost placed the order but named no waybill")
    })?;
    let owned = |t: &crate::kit::lenient::Text| t.get().map(str::to_string);
    let sort_code = owned(&result.sort_code).or_else(|| {
        // Blue Dart's routing pair is its sort code.
        match (
            result.destination_area.get(),
            result.destination_location.get(),
        ) {
            (Some(area), Some(loc)) => Some(format!("{area}/{loc}")),
            (Some(area), None) => Some(area.to_string()),
            _ => None,
        }
    });
    Ok(Booking {
        awb: awb.to_string(),
        label_url: owned(&result.label),
        sort_code,
        security_key: owned(&result.security_key),
        order_id: answer.order_id.known().map(str::to_string),
        tracking_id: answer.tracking_id.known().map(str::to_string),
        reference: owned(&result.reference_number).or_else(|| owned(&answer.reference_number)),
        courier_partner_id: result.courier_partner_id.known().map(str::to_string),
        courier_name: owned(&result.courier_name),
        already_placed,
    })
}

/// Create v3's answer: 200 placed; 323 placed by an earlier call (the same booking, never
/// a second one); 102 processing; anything else ClickPost's refusal (319: the courier
/// refused, its reason in the message).
pub fn parse_create_response(resp: &HttpResponse) -> Result<Placed> {
    let answer: ClickPostCreateResponse = body(resp)?;
    match meta_code(&answer.meta) {
        Some(META_OK) if resp.is_success() => Ok(Placed::Booked(booking(&answer, false)?)),
        Some(META_ALREADY_PLACED) if resp.is_success() => {
            Ok(Placed::Booked(booking(&answer, true)?))
        }
        Some(META_PROCESSING) if resp.is_success() => Ok(Placed::Processing {
            order_id: answer.order_id.known().map(str::to_string),
        }),
        None if resp.is_success() => Err(CarrierError::bad_response(
            "ClickPost's create answer has no meta.status",
        )),
        _ => Err(refused(resp, &answer.meta)),
    }
}

/// The lookup by reference: the order found (placed or still processing), or `None` when
/// ClickPost has none under the reference or its courier refused it (319: nothing was
/// booked, booking again is safe). Any other refusal says nothing about the booking.
pub fn parse_lookup_response(resp: &HttpResponse) -> Result<Option<Placed>> {
    let answer: ClickPostCreateResponse = body(resp)?;
    let code = meta_code(&answer.meta);
    let message = answer
        .meta
        .message
        .get()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let none_found = matches!(code, Some(404 | META_NO_WAYBILL))
        || (code == Some(400)
            && (message.contains("not found") || message.contains("does not exist")));
    if none_found || code == Some(META_COURIER_FAILED) {
        return Ok(None);
    }
    parse_create_response(resp).map(Some)
}

/// The label PDF downloaded from ClickPost's link.
pub fn parse_label_download(resp: &HttpResponse) -> Result<Vec<u8>> {
    if !resp.is_success() {
        return Err(crate::kit::http::refusal(resp, None, None));
    }
    if !resp.body.starts_with(b"%PDF-") {
        return Err(CarrierError::bad_response(format!(
            "label link did not return a PDF; body starts with {:?}",
            resp.snippet()
        )));
    }
    Ok(resp.body.clone())
}

// --- Cancel, NDR, pickups, AWB register -------------------------------------------------

/// 200 and 600 (already cancelled) are cancelled; 202 is accepted by a courier that
/// cancels asynchronously (ClickPost: "HTTP status as 202 as well"); the rest is refused
/// (350: the courier refused).
pub fn parse_cancel_response(resp: &HttpResponse) -> Result<CancelOutcome> {
    let answer: ClickPostCreateResponse = body(resp)?;
    let message = answer.meta.message.get().unwrap_or("cancelled").to_string();
    match meta_code(&answer.meta) {
        Some(META_OK | META_ALREADY_CANCELLED | META_CANCEL_QUEUED) if resp.is_success() => {
            Ok(CancelOutcome {
                carrier_message: message,
            })
        }
        _ => Err(refused(resp, &answer.meta)),
    }
}

/// The NDR API's answer: 200 with the courier's reference (`result.cp_response`).
pub fn parse_ndr_response(resp: &HttpResponse) -> Result<NdrOutcome> {
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Answer {
        meta: ClickPostMeta,
        result: Option<NdrResult>,
    }
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct NdrResult {
        cp_response: crate::kit::lenient::Text,
    }
    let answer: Answer = body(resp)?;
    if !succeeded(resp, &answer.meta) {
        return Err(refused(resp, &answer.meta));
    }
    Ok(NdrOutcome {
        accepted: true,
        carrier_message: answer.meta.message.get().unwrap_or("Success").to_string(),
        carrier_ref: answer
            .result
            .and_then(|r| r.cp_response.get().map(str::to_string)),
    })
}

/// The Pickup Request API's answer: the courier's confirmation number (the pickup id).
pub fn parse_pickup_response(resp: &HttpResponse, date: NaiveDate) -> Result<ScheduledPickup> {
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Answer {
        meta: ClickPostMeta,
        result: Option<ClickPostPickupResult>,
    }
    let answer: Answer = body(resp)?;
    if !succeeded(resp, &answer.meta) {
        return Err(refused(resp, &answer.meta));
    }
    let result = answer.result.unwrap_or_default();
    let id = result.confirmation_number.get().ok_or_else(|| {
        CarrierError::bad_response("ClickPost scheduled a pickup without a confirmation_number")
    })?;
    let mut message = answer.meta.message.get().unwrap_or("SUCCESS").to_string();
    if let Some(location) = result.location.get() {
        message = format!("{message} (courier location {location})");
    }
    Ok(ScheduledPickup {
        pickup_id: id.to_string(),
        date,
        carrier_message: message,
    })
}

/// AWB register (v2 names the tracking id, v3 the security key); 303 "waybill already
/// registered" is the registration made before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwbRegistered {
    pub tracking_id: Option<String>,
    pub security_key: Option<String>,
    pub already: bool,
}

pub fn parse_awb_register_response(resp: &HttpResponse) -> Result<AwbRegistered> {
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Answer {
        meta: ClickPostMeta,
        result: Option<ClickPostAwbRegisterResult>,
    }
    let answer: Answer = body(resp)?;
    let already = meta_code(&answer.meta) == Some(303) && resp.is_success();
    if !succeeded(resp, &answer.meta) && !already {
        return Err(refused(resp, &answer.meta));
    }
    let result = answer.result.unwrap_or_default();
    Ok(AwbRegistered {
        tracking_id: result.tracking_id.known().map(str::to_string),
        security_key: result.security_key.get().map(str::to_string),
        already,
    })
}

/// The webhook register answer (`{"message", "webhook_key", "success", "status_code"}`,
/// no `meta`): the key ClickPost will send in the `webhook_key` header of every push,
/// which the operator stores as the account's webhook token.
pub fn parse_webhook_register_response(resp: &HttpResponse) -> Result<String> {
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Answer {
        message: crate::kit::lenient::Text,
        webhook_key: crate::kit::lenient::Text,
        success: crate::kit::lenient::Flag,
        status_code: Loose,
    }
    let answer: Answer = body(resp)?;
    let code = answer
        .status_code
        .known()
        .and_then(|c| c.parse::<u32>().ok());
    if !resp.is_success() || !answer.success.is_set() || code.is_some_and(|c| c != META_OK) {
        let meta = ClickPostMeta {
            status: answer.status_code.clone(),
            success: answer.success,
            message: answer.message.clone(),
        };
        return Err(refused(resp, &meta));
    }
    answer.webhook_key.get().map(str::to_string).ok_or_else(|| {
        CarrierError::bad_response("ClickPost registered the webhook without a webhook_key")
    })
}

// --- Tracking and pushes ----------------------------------------------------------------

/// The unified status of a scan: its `clickpost_status_code`; a failed delivery refined
/// by the NDR code where there is one; for a code no row maps, its bucket; then `event`
/// (a selected-events push's `notification_event_id`). Never a guess: nothing maps,
/// `unknown/unmapped`.
fn unified(
    mapping: &Mapping,
    scan: &ClickPostScan,
    ndr: Option<&str>,
    event: Option<&str>,
) -> Unified {
    let code = scan.clickpost_status_code.known();
    let found = code
        .and_then(|c| mapping.lookup(KIND_STATUS, c))
        .or_else(|| {
            let bucket = scan.clickpost_status_bucket.known()?;
            mapping.lookup(KIND_BUCKET, bucket)
        })
        .or_else(|| event.and_then(|e| mapping.lookup(KIND_EVENT, e)));
    let found = match (found, ndr) {
        (Some(u), Some(ndr)) if u.status == Status::DeliveryFailed => {
            mapping.lookup(KIND_NDR, ndr).or(Some(u))
        }
        (found, _) => found,
    };
    or_unmapped(ID, found, code.unwrap_or_default())
}

/// A scan's time: ISO with `Z` in pushes, zone-less IST wall time (`2018-03-16 18:56:00`)
/// in tracking and older pushes (the docs: "date/time in IST format").
fn time(scan: &ClickPostScan) -> Option<DateTime<Utc>> {
    IST.parse(scan.timestamp.get()?)
}

/// One scan as an event; `ndr` is the NDR code and description that apply to it.
fn event(
    mapping: &Mapping,
    scan: &ClickPostScan,
    ndr: Option<(&str, Option<&str>)>,
    notification: Option<&str>,
) -> Result<TrackingEvent> {
    let at = time(scan).ok_or_else(|| {
        CarrierError::bad_response(format!(
            "a ClickPost scan without a readable timestamp: {:?}",
            scan.timestamp.get()
        ))
    })?;
    let u = unified(mapping, scan, ndr.map(|(code, _)| code), notification);
    let code = scan
        .clickpost_status_code
        .known()
        .map(str::to_string)
        .or_else(|| notification.map(|e| format!("event:{e}")))
        .unwrap_or_default();
    let text = scan
        .status
        .get()
        .or(scan.clickpost_status_description.get())
        .unwrap_or_default();
    let mut e = TrackingEvent::new(u, code, text, at)
        .with_location(scan.location.get().map(str::to_string))
        .with_description(scan.remark.get().map(str::to_string));
    if u.status == Status::DeliveryFailed
        && let Some((code, description)) = ndr
    {
        // The raw NDR reason, as ClickPost states it.
        e.ndr_reason = Some(match description {
            Some(d) => format!("{code}: {d}"),
            None => code.to_string(),
        });
    }
    Ok(e)
}

/// `GET /api/v2/track-order/`: the record for `awb` (ClickPost keys records by waybill),
/// oldest scan first. A record marked `valid: false` is a waybill ClickPost does not
/// track: a refusal, not an empty history.
pub fn parse_track_response(
    mapping: &Mapping,
    awb: &str,
    resp: &HttpResponse,
) -> Result<TrackingUpdate> {
    let answer: ClickPostTrackResponse = body(resp)?;
    if !succeeded(resp, &answer.meta) {
        return Err(refused(resp, &answer.meta));
    }
    let (key, record) = answer
        .result
        .iter()
        .find(|(k, _)| k.trim() == awb.trim())
        .or_else(|| answer.result.iter().next())
        .ok_or_else(|| CarrierError::bad_response("ClickPost's tracking answer holds no record"))?;
    if record.valid.0 == Some(false) {
        return Err(CarrierError::rejected(
            "clickpost_invalid_waybill",
            format!("ClickPost does not track waybill {key}"),
            resp.status,
        ));
    }
    let ndr_code = record.additional.ndr.ndr_bucket_code.known();
    let ndr_text = record.additional.ndr.ndr_description.get();
    let mut scans: Vec<&ClickPostScan> = record.scans.iter().collect();
    if scans.is_empty() && record.latest_status.clickpost_status_code.known().is_some() {
        scans.push(&record.latest_status);
    }
    let mut events = scans
        .into_iter()
        .map(|s| event(mapping, s, None, None))
        .collect::<Result<Vec<_>>>()?;
    events.sort_by_key(|e| e.event_time);
    // The NDR reason ClickPost states belongs to the latest failed attempt.
    if let Some(code) = ndr_code
        && let Some(last) = events
            .iter_mut()
            .rev()
            .find(|e| e.status == Status::DeliveryFailed)
        && let Some(u) = mapping.lookup(KIND_NDR, code)
    {
        last.sub_status = u.sub_status;
        last.action_required = u.sub_status.action_required();
        last.terminal = u.sub_status.is_terminal();
        last.ndr_reason = Some(match ndr_text {
            Some(d) => format!("{code}: {d}"),
            None => code.to_string(),
        });
    }
    Ok(TrackingUpdate {
        awb: key.trim().to_string(),
        events,
    })
}

/// Removes commas that close nothing (`,}` and `,]` outside strings): ClickPost's
/// published webhook samples carry them, and a push is not lost for a comma.
fn without_trailing_commas(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let (mut in_string, mut escaped) = (false, false);
    for (i, &b) in body.iter().enumerate() {
        if in_string {
            in_string = b != b'"' || escaped;
            escaped = b == b'\\' && !escaped;
            out.push(b);
            continue;
        }
        if b == b'"' {
            in_string = true;
            out.push(b);
            continue;
        }
        if b == b',' {
            let next = body[i + 1..].iter().find(|c| !c.is_ascii_whitespace());
            if matches!(next, Some(b'}' | b']')) {
                continue;
            }
        }
        out.push(b);
    }
    out
}

/// One push as an update. A push without a waybill names no shipment shipgate booked
/// (ClickPost's Returns platform announces a return request before any courier has an
/// AWB for it, naming only the forward shipment): an error, since nothing in it can be
/// applied to a shipment.
fn push_update(mapping: &Mapping, push: ClickPostPush) -> Result<PushedUpdate> {
    let Some(awb) = push.waybill.get() else {
        let forward = push.additional.forward_awb.get().unwrap_or("none");
        let status = push.scan.clickpost_status_code.known().unwrap_or("none");
        return Err(CarrierError::bad_response(format!(
            "a ClickPost push without a waybill (status {status}, forward AWB {forward}): it \
             names no booked shipment"
        )));
    };
    let add = &push.additional;
    let ndr = add
        .ndr_status_code
        .known()
        .map(|code| (code, add.ndr_status_description.get()));
    let notification = add.notification_event_id.known();
    let mut scan = push.scan.clone();
    if scan.clickpost_status_code.known().is_none() && scan.timestamp.get().is_none() {
        // An older push shape carrying the scan only in `latest_status`.
        scan = add.latest_status.clone();
    }
    let event = event(mapping, &scan, ndr, notification)?;
    let reference = add
        .latest_status
        .reference_number
        .get()
        .or(scan.reference_number.get())
        .map(str::to_string);
    Ok(PushedUpdate {
        awb: awb.to_string(),
        reference,
        events: vec![event],
    })
}

/// A webhook body: one push (ClickPost posts one per scan), or a batch; commas that
/// close nothing are forgiven (see [`without_trailing_commas`]).
pub fn parse_pushes(mapping: &Mapping, body: &[u8]) -> Result<Vec<PushedUpdate>> {
    let read = |push: ClickPostPush| push_update(mapping, push);
    match crate::kit::tracking::read_pushes(ID, body, read) {
        Err(CarrierError::BadResponse(m)) if m.starts_with("unreadable") => {
            crate::kit::tracking::read_pushes(ID, &without_trailing_commas(body), read)
        }
        other => other,
    }
}

/// One push, as the replay tests and the fuzzer read it.
pub fn parse_webhook(mapping: &Mapping, body: &[u8]) -> Result<TrackingUpdate> {
    let mut pushes = parse_pushes(mapping, body)?;
    if pushes.len() != 1 {
        return Err(CarrierError::bad_response(format!(
            "expected one ClickPost push, got {}",
            pushes.len()
        )));
    }
    let p = pushes.swap_remove(0);
    Ok(TrackingUpdate {
        awb: p.awb,
        events: p.events,
    })
}
