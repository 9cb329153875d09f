//! Every Delhivery answer read into unified values: pure functions, so tests, the fuzzer
//! and the gateway can replay recorded payloads through them.
//!
//! Delhivery has no error codes, only sentences, and puts errors inside HTTP 200 (create
//! `success:false` with remarks, tracking `Success:false` with `Error`): those become
//! [`CarrierError::Rejected`] with a stable code chosen here.

use serde_json::Value;

use crate::CarrierError;
use crate::families::NdrOutcome;
use crate::kit::adapter::{Result, refs};
use crate::kit::http::{self, WireError};
use crate::kit::lenient::{self, trimmed};
use crate::kit::tracking::{or_unmapped, read_push, read_pushes};
use crate::mapping::Mapping;
use crate::schema::{
    CancelOutcome, Charge, ChargeKind, CreatedShipment, Lane, Money, PushedUpdate, RateQuote,
    Serviceability, TrackingEvent, TrackingUpdate,
};
use crate::taxonomy::{Status, Unified};
use crate::wire::HttpResponse;

use super::ID;
use super::wire::{
    DelhiveryCancelResponse, DelhiveryCharges, DelhiveryCreateResponse, DelhiveryNdrResult,
    DelhiveryPackage, DelhiveryPincodeResponse, DelhiveryScan, DelhiveryTrackResponse,
    DelhiveryTrackedShipment, DelhiveryWebhook, IST, Service, currency,
};

/// Codes for tracking refusals. Delhivery answers an unknown waybill with HTTP 200 and
/// `Success:false`; the gateway needs to tell "no such shipment" from other failures.
pub const TRACK_NOT_FOUND: &str = "not_found";
pub const TRACK_ERROR: &str = "track_error";
pub const CANCEL_REFUSED: &str = "cancel_refused";
/// Delhivery did not take an NDR instruction (its words in the message).
pub const NDR_REFUSED: &str = "ndr_refused";
/// `NSZ`: Delhivery does not serve the lane; not a failure, just no quote.
pub const CHARGES_NOT_SERVICEABLE: &str = "NSZ";
/// The code of a charges refusal whose `error` is blank: a refusal always names a code.
pub const CHARGES_ERROR: &str = "charges_error";

/// Stable codes for create remarks (error-remarks.csv), first match wins. Above all
/// `duplicate_order_id`: an earlier attempt with this shipment id may have booked an AWB
/// and must be reconciled with a lookup, not re-booked.
const CREATE_REMARKS: [(&str, &str); 22] = [
    // A production token used on staging or the other way round.
    ("no attribute 'end_date'", "environment_mismatch"),
    ("insufficient balance", "insufficient_balance"),
    ("duplicate order id", "duplicate_order_id"),
    ("duplicate waybill", "duplicate_waybill"),
    ("unable to consume waybill", "waybill_unavailable"),
    ("non serviceable pincode", "non_serviceable_pincode"),
    ("non-serviceable pincode", "non_serviceable_pincode"),
    (
        "clientwarehouse matching query does not exist",
        "unknown_pickup_location",
    ),
    ("client-warehouse is not active", "pickup_location_inactive"),
    ("incorrect phone number", "invalid_phone"),
    (
        "not serviceable for this account",
        "payment_mode_not_enabled",
    ),
    ("pickup capacity has exceeded", "pickup_capacity_exceeded"),
    ("suspicious order/consignee", "consignee_blocked"),
    ("historical delivery outcomes", "consignee_blocked"),
    ("failure rate of the seller", "seller_blocked"),
    ("shipment list contains no data", "invalid_client"),
    ("client is not active", "client_inactive"),
    (
        "authentication credentials were not provided",
        "unauthorized",
    ),
    ("format key missing", "malformed_request"),
    ("unterminated string", "malformed_request"),
    ("object has no attribute 'get'", "malformed_request"),
    ("oid does not pass the validator", "invalid_order_id"),
];

/// The stable code of a create remark; `create_failed` for any other.
pub fn classify_create_remark(remark: &str) -> &'static str {
    let r = remark.to_ascii_lowercase();
    CREATE_REMARKS
        .iter()
        .find(|(needle, _)| r.contains(needle))
        .map_or("create_failed", |(_, code)| code)
}

/// Finds the unified status of one scan.
///
/// Order: the NSL code, then `"<StatusType>/<Status>"`, then the StatusType alone; `None`
/// when nothing maps (kept as `unknown/unmapped`, never guessed).
///
/// NSL codes are shared between legs (`DLYLH-109 Vehicle Breakdown` arrives on the
/// forward and the return leg; `RD-AC1` is "RTO/DTO Delivered"), while the pair names
/// the leg. So when the pair says returning (`rto`) or handed over (`delivered`) and the
/// NSL row names another status, the pair wins; an exception (lost, damaged) keeps the
/// NSL meaning. With no known pair, StatusType `RT` alone still settles that the parcel
/// is on its way back (`DL` alone does not: it ends both legs).
pub fn resolve(
    mapping: &Mapping,
    status_type: &str,
    status: &str,
    nsl_code: &str,
) -> Option<Unified> {
    let (status_type, status, nsl_code) = (status_type.trim(), status.trim(), nsl_code.trim());
    let look = |kind, code: &str| (!code.is_empty()).then(|| mapping.lookup(kind, code))?;
    let by_code = look("nsl", nsl_code);
    let by_pair = (!status_type.is_empty() && !status.is_empty())
        .then(|| mapping.lookup("status", &format!("{status_type}/{status}")))
        .flatten();
    let by_type = look("status_type", status_type);
    let leg = by_pair.or(by_type.filter(|u| u.status == Status::Rto));
    if let (Some(code), Some(leg)) = (by_code, leg)
        && matches!(leg.status, Status::Rto | Status::Delivered)
        && code.status != leg.status
        && code.status != Status::Exception
    {
        return Some(leg);
    }
    by_code.or(by_pair).or(by_type)
}

/// The scan history oldest first. `Scans` is the history; `Status` repeats the latest
/// scan, and is the only scan at `verbose=0`, so it is added only when the history does
/// not already end with it.
fn scans(shipment: &DelhiveryTrackedShipment) -> Vec<&DelhiveryScan> {
    let mut scans: Vec<&DelhiveryScan> = shipment
        .scans
        .iter()
        .flatten()
        .map(|s| &s.scan_detail)
        .collect();
    if let Some(latest) = &shipment.status {
        let known = scans.iter().any(|s| {
            time(s) == time(latest)
                && s.status_code == latest.status_code
                && s.status == latest.status
        });
        let blank = latest.status_type.0.is_none() && latest.status.0.is_none();
        if !known && !blank {
            scans.push(latest);
        }
    }
    scans
}

fn time(scan: &DelhiveryScan) -> Option<&str> {
    scan.status_date_time.get().or(scan.scan_date_time.get())
}

/// One scan as a unified event; an unparseable time makes the whole answer unreadable.
fn event(mapping: &Mapping, awb: &str, scan: &DelhiveryScan) -> Result<TrackingEvent, WireError> {
    let (status_type, status) = (scan.status_type.or_empty(), scan.status.or_empty());
    let nsl_code = scan.status_code.or_empty();
    let time = IST.parse(time(scan).unwrap_or_default()).ok_or_else(|| {
        WireError::malformed(format!(
            "scan {nsl_code:?} on {awb} has an unreadable time {:?}",
            time(scan).unwrap_or_default()
        ))
    })?;
    let found = resolve(mapping, &status_type, &status, &nsl_code);
    let unified = or_unmapped(ID, found, &format!("{status_type}/{status}/{nsl_code}"));
    // The NSL code is the most specific raw code; scans without one keep the StatusType.
    let code = if nsl_code.is_empty() {
        status_type
    } else {
        nsl_code
    };
    Ok(TrackingEvent::new(unified, code, status, time)
        .with_location(scan.status_location.0.clone())
        .with_description(scan.instructions.0.clone()))
}

fn tracking_update(
    mapping: &Mapping,
    shipment: &DelhiveryTrackedShipment,
) -> Result<TrackingUpdate, WireError> {
    let awb = shipment
        .awb
        .get()
        .ok_or_else(|| WireError::malformed("tracked shipment has no AWB"))?;
    let mut events = scans(shipment)
        .into_iter()
        .map(|scan| event(mapping, awb, scan))
        .collect::<Result<Vec<_>, _>>()?;
    // Delhivery lists scans oldest first; a stable sort keeps that order for equal times.
    events.sort_by_key(|e| e.event_time);
    Ok(TrackingUpdate {
        awb: awb.to_string(),
        events,
    })
}

/// Reads a create answer (`/api/cmu/create.json`) for the service asked for (the answer
/// does not repeat it). Delhivery labels are rendered by the gateway from the sort code.
pub fn parse_create_response(resp: &HttpResponse, service: Service) -> Result<CreatedShipment> {
    let answer: DelhiveryCreateResponse = http::json(resp)?;
    created(answer, service).map_err(|e| e.at(resp.status))
}

fn booked_waybill(package: &DelhiveryPackage) -> Option<&str> {
    let ok = package
        .status
        .get()
        .is_some_and(|s| s.eq_ignore_ascii_case("success"));
    ok.then(|| package.waybill.get()).flatten()
}

/// Non-empty remarks joined.
fn remarks_text(package: &DelhiveryPackage) -> Option<String> {
    let parts: Vec<&str> = match &package.remarks {
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        Value::String(s) => vec![s.as_str()],
        _ => Vec::new(),
    };
    let parts: Vec<&str> = parts.into_iter().filter_map(|p| trimmed(Some(p))).collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn created(
    answer: DelhiveryCreateResponse,
    service: Service,
) -> Result<CreatedShipment, WireError> {
    // A package with a waybill and status Success was booked, whatever the top-level
    // flag says: losing an allocated AWB is worse than trusting the package line.
    if let Some((package, awb)) = answer
        .packages
        .iter()
        .find_map(|p| Some((p, booked_waybill(p)?)))
    {
        let carrier_refs = refs([
            ("upload_wbn", answer.upload_wbn.get()),
            ("order", package.refnum.get()),
            ("client", package.client.get()),
        ]);
        return Ok(CreatedShipment::new(awb, service.code(), carrier_refs)
            .with_routing_code(package.sort_code.0.clone()));
    }
    if answer.success.is_set() {
        return Err(WireError::malformed(
            "Delhivery reported success but returned no waybill",
        ));
    }
    let message = answer
        .packages
        .iter()
        .find_map(remarks_text)
        .or_else(|| answer.rmk.0.clone())
        .or_else(|| answer.error.0.clone())
        .ok_or_else(|| WireError::malformed("create answer has neither a waybill nor a remark"))?;
    Err(WireError::refused(
        classify_create_remark(&message),
        message,
    ))
}

/// The shipments in a tracking answer, or Delhivery's in-body refusal.
fn shipments(answer: DelhiveryTrackResponse) -> Result<Vec<DelhiveryTrackedShipment>, WireError> {
    match answer.shipment_data {
        Some(data) if !data.is_empty() => Ok(data.into_iter().map(|d| d.shipment).collect()),
        data => match answer.error.get().or(answer.rmk.get()) {
            Some(message) => {
                let code = if message.to_ascii_lowercase().contains("does not exist") {
                    TRACK_NOT_FOUND
                } else {
                    TRACK_ERROR
                };
                Err(WireError::refused(code, message))
            }
            // `ShipmentData: []` with no error text: nothing known for the query.
            None if data.is_some() => Err(WireError::refused(
                TRACK_NOT_FOUND,
                "Delhivery returned no shipment for the query",
            )),
            None => Err(WireError::malformed(
                "tracking answer has neither ShipmentData nor an error",
            )),
        },
    }
}

/// Reads a tracking answer; with several shipments (a `ref_ids` lookup that matched
/// more than one booking) the first is returned and the rest logged.
pub fn parse_track_response(mapping: &Mapping, resp: &HttpResponse) -> Result<TrackingUpdate> {
    let mut updates = parse_track_response_all(mapping, resp)?;
    if updates.len() > 1 {
        tracing::warn!(
            carrier = ID,
            awbs = ?updates.iter().map(|u| u.awb.as_str()).collect::<Vec<_>>(),
            "Delhivery returned several shipments for one query; using the first"
        );
    }
    Ok(updates.swap_remove(0))
}

/// Every shipment in a tracking answer (never empty on success).
pub fn parse_track_response_all(
    mapping: &Mapping,
    resp: &HttpResponse,
) -> Result<Vec<TrackingUpdate>> {
    shipments(http::json(resp)?)
        .and_then(|all| all.iter().map(|s| tracking_update(mapping, s)).collect())
        .map_err(|e| e.at(resp.status))
}

/// Reads a `ref_ids=` lookup answer: the booking made under `reference`, or `None` when
/// Delhivery has no data for it (its "Data does not exists …" error inside HTTP 200, or an
/// empty `ShipmentData`). Every other refusal stays an error, since it says nothing about
/// whether the booking exists. A booking cancelled since is still the booking.
///
/// The booking is described as its create answer would have: same AWB, `order` and
/// `client` refs (`refnum` = `ReferenceNo`, `client` = `SenderName` in the 2026
/// captures). Tracking repeats neither the shipping mode nor a `sort_code`, so the service
/// is Surface and the routing code empty ([`super::Delhivery::routing_code`] recovers it).
pub fn parse_lookup_response(
    resp: &HttpResponse,
    reference: &str,
) -> Result<Option<CreatedShipment>> {
    let shipments = match shipments(http::json(resp)?) {
        Ok(shipments) => shipments,
        Err(WireError::Refused { code, .. }) if code == TRACK_NOT_FOUND => return Ok(None),
        Err(e) => return Err(e.at(resp.status)),
    };
    // A shipment that does not repeat its reference cannot be told apart: it matches.
    let mut ours = shipments.iter().filter(|s| {
        s.reference_no
            .get()
            .is_none_or(|own| own.eq_ignore_ascii_case(reference.trim()))
    });
    let Some(found) = ours.next() else {
        // Not "no booking": Delhivery matched the reference to something, just not in a
        // way shipgate can confirm, and guessing "none" would invite a second booking.
        return Err(CarrierError::bad_response(format!(
            "Delhivery answered ref_ids={reference} with other references only: {:?}",
            shipments
                .iter()
                .map(|s| s.reference_no.or_empty())
                .collect::<Vec<_>>()
        )));
    };
    let others: Vec<&str> = ours.filter_map(|s| s.awb.get()).collect();
    if !others.is_empty() {
        // Delhivery refuses a reused `order`, so this should not happen; the first one is
        // the one a cancel or a track by reference would act on as well.
        tracing::warn!(carrier = ID, reference, awb = ?found.awb.get(), ?others, "several Delhivery bookings under one reference; using the first");
    }
    let awb = found
        .awb
        .get()
        .ok_or_else(|| CarrierError::bad_response("tracked shipment has no AWB"))?;
    let carrier_refs = refs([
        ("order", found.reference_no.get()),
        ("client", found.sender_name.get()),
    ]);
    Ok(Some(CreatedShipment::new(
        awb,
        Service::Surface.code(),
        carrier_refs,
    )))
}

/// Reads one scan push (the body of `POST /v1/carriers/delhivery/webhooks`): the one new
/// event; the gateway merges it by event time.
pub fn parse_webhook(mapping: &Mapping, body: &[u8]) -> Result<TrackingUpdate> {
    read_push(ID, body, |push| pushed_update(mapping, push))
}

/// Reads a push body as the gateway receives it: one `{"Shipment": …}` object, as
/// documented, or an array of them (Delhivery batches scans for some accounts).
pub fn parse_pushes(mapping: &Mapping, body: &[u8]) -> Result<Vec<PushedUpdate>> {
    read_pushes(ID, body, |push| pushed_update(mapping, push))
}

fn pushed_update(mapping: &Mapping, push: DelhiveryWebhook) -> Result<PushedUpdate> {
    let shipment = push.shipment;
    let awb = shipment
        .awb
        .get()
        .ok_or_else(|| CarrierError::bad_response("Delhivery push without an AWB"))?;
    let status = shipment
        .status
        .as_ref()
        .ok_or_else(|| CarrierError::bad_response("Delhivery push without a Status"))?;
    // The NSL code stands beside the Status in a push when the Status has none.
    let mut scan = status.clone();
    if scan.status_code.0.is_none() {
        scan.status_code = shipment.nsl_code.clone();
    }
    let event = event(mapping, awb, &scan).map_err(|e| e.at(200))?;
    Ok(PushedUpdate {
        awb: awb.to_string(),
        reference: shipment.reference_no.0.clone(),
        events: vec![event],
    })
}

/// Reads a cancel answer (XML, even though the request is JSON). A repeated cancel gets
/// the same `True` answer (2026 capture), so success means "Delhivery holds the shipment
/// as cancelled", not "this call cancelled it".
pub fn parse_cancel_response(resp: &HttpResponse) -> Result<CancelOutcome> {
    http::check(resp)?;
    let reply: DelhiveryCancelResponse = resp.xml()?;
    let remark = trimmed(reply.remark.as_deref())
        .or(trimmed(reply.error.as_deref()))
        .map(str::to_string);
    let status = trimmed(reply.status.as_deref()).map(str::to_ascii_lowercase);
    match status.as_deref() {
        Some("true") => Ok(CancelOutcome {
            carrier_message: remark.unwrap_or_else(|| "Shipment has been cancelled.".into()),
        }),
        Some("false") => Err(CarrierError::rejected(
            CANCEL_REFUSED,
            remark.unwrap_or_else(|| "Delhivery refused the cancellation".into()),
            resp.status,
        )),
        _ => Err(CarrierError::bad_response(
            "cancel reply has no True/False <status>",
        )),
    }
}

/// Reads the answer to an NDR instruction (`/api/p/update`): the upload id (`UPL…`)
/// whose status says what became of it. Delhivery documents only that the answer always
/// carries one, not under which key, so it is the first string starting `UPL` anywhere
/// in the answer. An answer without one is a refusal in whatever words it has (an
/// `error`, `remark` or `message`), or unreadable.
pub fn parse_ndr_response(resp: &HttpResponse) -> Result<String> {
    http::check(resp)?;
    let answer: Value = resp.json()?;
    if let Some(id) = upload_id(&answer) {
        return Ok(id.to_string());
    }
    match said(&answer) {
        Some(words) => Err(CarrierError::rejected(NDR_REFUSED, words, resp.status)),
        None => Err(CarrierError::bad_response("NDR answer has no UPL id")),
    }
}

/// The first string value starting `UPL`, depth first.
fn upload_id(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s.trim()).filter(|s| s.starts_with("UPL") && s.len() > 3),
        Value::Array(items) => items.iter().find_map(upload_id),
        Value::Object(fields) => fields.values().find_map(upload_id),
        _ => None,
    }
}

/// The words of an answer that says why: its `error`, `remark`, `rmk` or `message`.
fn said(value: &Value) -> Option<String> {
    ["error", "remark", "rmk", "message", "detail"]
        .iter()
        .filter_map(|key| value.get(key))
        .find_map(|v| match v {
            Value::String(s) => trimmed(Some(s)).map(str::to_string),
            Value::Array(_) | Value::Object(_) => Some(v.to_string()),
            _ => None,
        })
}

/// Reads an NDR upload's status (`/api/cmu/get_bulk_upl/<id>`) for `waybill`: its line
/// (any object in the answer naming the waybill) says `Success` or `Fail` with a
/// remark. A status with no line for the waybill yet means the upload is still being
/// processed: taken, not refused. The shape is not published (see [`super::wire`]); the
/// sandbox answers `{"request_id", "status", "data": [{"waybill", "status", "remark"}]}`.
pub fn parse_ndr_status_response(
    resp: &HttpResponse,
    waybill: &str,
    upload: &str,
) -> Result<NdrOutcome> {
    http::check(resp)?;
    let answer: Value = resp.json()?;
    let outcome = |message: String| NdrOutcome {
        accepted: true,
        carrier_message: message,
        carrier_ref: Some(upload.to_string()),
    };
    let Some(line) = line_for(&answer, waybill.trim()) else {
        let words = said(&answer).unwrap_or_else(|| "NDR request queued".into());
        return Ok(outcome(words));
    };
    let line: DelhiveryNdrResult = serde_json::from_value(line.clone())
        .map_err(|e| CarrierError::bad_response(format!("NDR status line: {e}")))?;
    let remark = trimmed(line.remark.as_deref()).or(trimmed(line.error.as_deref()));
    let status = line.status.known().map(str::to_ascii_lowercase);
    match status.as_deref() {
        Some("success" | "1" | "true" | "completed") => {
            Ok(outcome(remark.unwrap_or("NDR instruction applied").into()))
        }
        Some("fail" | "failed" | "failure" | "0" | "false" | "error") => {
            let words = remark.unwrap_or("Delhivery refused the NDR instruction");
            Err(CarrierError::rejected(NDR_REFUSED, words, resp.status))
        }
        _ => Ok(outcome(remark.unwrap_or("NDR request queued").into())),
    }
}

/// The first object, depth first, whose `waybill` is `waybill`.
fn line_for<'v>(value: &'v Value, waybill: &str) -> Option<&'v Value> {
    match value {
        Value::Object(fields) => {
            let named = fields.get("waybill").map(|w| match w {
                Value::String(s) => s.trim() == waybill,
                Value::Number(n) => n.to_string() == waybill,
                _ => false,
            });
            if named == Some(true) {
                return Some(value);
            }
            fields.values().find_map(|v| line_for(v, waybill))
        }
        Value::Array(items) => items.iter().find_map(|v| line_for(v, waybill)),
        _ => None,
    }
}

/// Reads a pincode serviceability answer.
pub fn parse_serviceability_response(resp: &HttpResponse) -> Result<DelhiveryPincodeResponse> {
    http::json(resp)
}

/// Whether Delhivery serves `lane`, from its pincode answer. Delhivery lists only the PIN
/// codes it serves, with `Y`/`N` flags: delivery by payment mode (`pre_paid`, `cod`) and
/// `pickup`. A reverse pickup is a pickup at the customer's PIN code, so it reads the same
/// `pickup` flag there (the captures show no separate reverse flag; `repl` is not read).
pub fn lane_serviceability(pins: &DelhiveryPincodeResponse, lane: &Lane) -> Serviceability {
    let (pickup, delivery) = (lane.pickup_pincode.as_str(), lane.delivery_pincode.as_str());
    let Some(to) = pins.find(delivery) else {
        return Serviceability::not(format!("Delhivery does not serve PIN {delivery}"));
    };
    if !(if lane.cod { to.cod } else { to.pre_paid }).is_set() {
        return Serviceability::not(format!(
            "Delhivery does not deliver {} parcels to PIN {delivery}",
            lane.payment_label()
        ));
    }
    match pins.find(pickup) {
        Some(from) if from.pickup.is_set() => Serviceability::Serviceable,
        Some(_) => Serviceability::not(format!("Delhivery does not pick up at PIN {pickup}")),
        None => Serviceability::not(format!("Delhivery does not serve PIN {pickup}")),
    }
}

/// Reads a charges answer: `None` when Delhivery does not serve the lane (`NSZ`, or no
/// priced option), a quote otherwise.
pub fn parse_rate_response(resp: &HttpResponse, service: Service) -> Result<Option<RateQuote>> {
    let value: Value = http::json(resp)?;
    let error = value
        .get("error")
        .and_then(Value::as_str)
        .map(|e| e.trim().to_string());
    let refused = |code: &str, message| Err(CarrierError::rejected(code, message, resp.status));
    let first = match (error.as_deref(), value) {
        (Some(code), _) if code.eq_ignore_ascii_case(CHARGES_NOT_SERVICEABLE) => return Ok(None),
        // A blank `error` (found by fuzzing) would be a refusal without a code.
        (Some(""), _) => {
            let message = "Delhivery could not price the shipment and gave no reason";
            return refused(CHARGES_ERROR, message.into());
        }
        (Some(code), _) => {
            return refused(
                code,
                format!("Delhivery could not price the shipment: {code}"),
            );
        }
        // A single object is accepted as a one-item list; the first item is the price.
        (None, Value::Object(one)) => Value::Object(one),
        (None, Value::Array(list)) => match list.into_iter().next() {
            Some(first) => first,
            None => return Ok(None),
        },
        (None, other) => {
            let detail = format!("expected a list of charges, got {other}");
            return Err(CarrierError::bad_response(detail));
        }
    };
    let first = match first {
        Value::Object(fields) => DelhiveryCharges::from_object(fields),
        other => Err(format!("expected a charges object, got {other}")),
    }
    .map_err(|e| CarrierError::bad_response(format!("unreadable charges answer: {e}")))?;
    let quote = quote(first, service).map_err(|e| e.at(resp.status))?;
    // A zero price is how an unpriced lane looks, not a free shipment.
    Ok((quote.total.amount > 0).then_some(quote))
}

/// The kind of a `charge_<X>` field (`DL`: the delivery, i.e. freight, charge for the
/// weight slab and zone).
fn charge_kind(field: &str) -> ChargeKind {
    match field {
        "charge_DL" => ChargeKind::Freight,
        "charge_COD" | "charge_CCOD" => ChargeKind::Cod,
        "charge_FSC" => ChargeKind::FuelSurcharge,
        _ => ChargeKind::Other,
    }
}

/// Rupees as Delhivery writes them (`123.9`, `"760.95"`), exactly.
fn rupees(value: &Value) -> Option<Money> {
    lenient::money(value, currency())
}

fn quote(charges: DelhiveryCharges, service: Service) -> Result<RateQuote, WireError> {
    let total = rupees(&charges.total_amount).ok_or_else(|| {
        WireError::malformed(format!(
            "charges answer has no readable total_amount ({})",
            charges.total_amount
        ))
    })?;
    let lines = charges
        .other
        .iter()
        .filter(|(f, _)| f.starts_with("charge_"))
        .map(|(field, value)| (charge_kind(field), field, value));
    let taxes = charges.tax_data.iter().flatten();
    let taxes = taxes.map(|(tax, value)| (ChargeKind::Tax, tax, value));
    let breakdown = lines
        .chain(taxes)
        .filter_map(|(kind, label, value)| Some(Charge::new(kind, label, rupees(value)?)));
    Ok(RateQuote::new(
        ID,
        service.code(),
        service.name(),
        total,
        breakdown,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_numbers_and_strings() {
        assert_eq!(rupees(&serde_json::json!(123.9)).unwrap().amount, 12390);
        assert_eq!(rupees(&serde_json::json!("760.95")).unwrap().amount, 76095);
        assert_eq!(rupees(&serde_json::json!(45)).unwrap().amount, 4500);
        assert!(rupees(&serde_json::json!(null)).is_none());
    }
}
