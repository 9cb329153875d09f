//! Every Shiprocket answer read into unified values: pure functions, so tests, the fuzzer
//! and the gateway can replay recorded payloads through them.
//!
//! Errors hide inside HTTP 200 (`label_created: 0`, `{"status": 404, …}`, `{}` for an
//! unknown AWB) as often as they come as a 4xx with `message` / `errors` / `status_code`.
//! All of them become [`CarrierError::Rejected`] with Shiprocket's code; a 5xx is
//! [`CarrierError::Upstream`] whatever its body says.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::CarrierError;
use crate::families::NdrOutcome;
use crate::kit::adapter::Result;
use crate::kit::lenient::{Loose, text, trimmed};
use crate::kit::tracking::{or_unmapped, read_push, read_pushes};
use crate::kit::{error_body, http};
use crate::mapping::Mapping;
use crate::schema::{
    CancelOutcome, Charge, ChargeKind, Currency, Lane, Money, PushedUpdate, RateQuote,
    Serviceability, TrackingEvent, TrackingUpdate,
};
use crate::taxonomy::Unified;
use crate::wire::HttpResponse;

use super::ID;
use super::couriers::Courier;
use super::wire::{
    IST, ShiprocketAssignAwbResponse, ShiprocketAssignData, ShiprocketCourierCompany,
    ShiprocketErrorBody, ShiprocketLabelResponse, ShiprocketListedOrder, ShiprocketListedShipment,
    ShiprocketLoginResponse, ShiprocketNdrActionResponse, ShiprocketOrderResponse,
    ShiprocketOrdersResponse, ShiprocketServiceabilityData, ShiprocketServiceabilityResponse,
    ShiprocketTrackActivity, ShiprocketTrackingData, ShiprocketWebhook,
};

/// Mapping tables, one per kind of Shiprocket code (see the TOML's header): three
/// overlapping status-id tables, each payload field read against its own.
pub const KIND_ORDER_STATUS: &str = "order_status";
pub const KIND_SHIPMENT_STATUS: &str = "shipment_status";
pub const KIND_SR_STATUS: &str = "sr_status";
pub const KIND_SR_STATUS_LABEL: &str = "sr_status_label";

/// A Shiprocket order as step 1 left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedOrder {
    /// Shiprocket's own order id (`sr_order_id` in webhooks).
    pub order_id: String,
    pub shipment_id: String,
    /// Shiprocket order status id (`[codes.order_status]`), e.g. 1 = NEW.
    pub status_code: Option<String>,
    /// Set when the order already carries an AWB (an order created earlier for the same
    /// channel order id): assigning again would only be refused.
    pub awb: Option<AssignedAwb>,
}

/// The AWB step 2 allocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignedAwb {
    pub awb: String,
    pub courier_company_id: Option<String>,
    pub courier_name: Option<String>,
    pub routing_code: Option<String>,
}

/// Where Shiprocket put the label PDF (an S3 link, fetched without credentials).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelLink(pub String);

fn owned(text: Option<&str>) -> Option<String> {
    text.map(str::to_string)
}

/// Shiprocket's own code for a refusal: `status_code`, else a numeric `status`.
fn code(error: &ShiprocketErrorBody) -> Option<String> {
    let numeric = error
        .status
        .known()
        .filter(|s| s.bytes().all(|b| b.is_ascii_digit()));
    owned(error.status_code.known().or(numeric))
}

/// One readable sentence: the message followed by every field error.
fn describe(error: &ShiprocketErrorBody) -> Option<String> {
    let document = serde_json::json!({
        "message": error.message,
        "error": error.error,
        "errors": error.errors,
    });
    error_body::from_json(&document).message
}

/// A refusal worded inside HTTP 200, under Shiprocket's code or `fallback`.
fn refused(error: &ShiprocketErrorBody, fallback: &str, message: String) -> CarrierError {
    let code = code(error).unwrap_or_else(|| fallback.into());
    CarrierError::rejected(code, message, 200)
}

/// The error a non-2xx reply stands for (see [`http::refusal`]), under Shiprocket's code,
/// else the HTTP status as the code.
pub fn refusal(resp: &HttpResponse) -> CarrierError {
    let body: ShiprocketErrorBody = serde_json::from_slice(&resp.body).unwrap_or_default();
    let code = code(&body).unwrap_or_else(|| resp.status.to_string());
    http::refusal(resp, Some(code), describe(&body))
}

fn ok_json<T: DeserializeOwned>(resp: &HttpResponse) -> Result<T> {
    if !resp.is_success() {
        return Err(refusal(resp));
    }
    resp.json()
}

pub fn parse_login_response(resp: &HttpResponse) -> Result<String> {
    let body: ShiprocketLoginResponse = ok_json(resp)
        .map_err(|e| http::reworded(e, |m| format!("Shiprocket login failed: {m}")))?;
    owned(trimmed(body.token.as_deref()))
        .ok_or_else(|| CarrierError::bad_response("login answered without a token"))
}

/// The couriers offered for the lane, blocked ones left out; none when nothing serves it.
fn couriers(resp: &HttpResponse) -> Result<(Currency, Vec<ShiprocketCourierCompany>)> {
    let answer: ShiprocketServiceabilityResponse = ok_json(resp)?;
    let error = || serde_json::from_slice::<ShiprocketErrorBody>(&resp.body).unwrap_or_default();
    // Errors inside HTTP 200: `{"status": 404, "message": "Order does not exist!"}`.
    if let Some(status) = answer.status.as_ref().and_then(Loose::known)
        && status != "200"
    {
        let message = describe(&error())
            .unwrap_or_else(|| format!("serviceability answered status {status}"));
        return Err(CarrierError::rejected(status, message, 200));
    }
    let data = match answer.data {
        Some(data) => data,
        None => {
            let error = error();
            match describe(&error) {
                Some(message) => return Err(refused(&error, "serviceability_error", message)),
                // `data: []` is how PHP encodes an empty object: nothing serves the lane.
                None => ShiprocketServiceabilityData::default(),
            }
        }
    };
    let currency = answer.currency.as_deref().and_then(Currency::parse);
    let couriers = data.available_courier_companies.into_iter();
    Ok((
        currency.unwrap_or_else(Currency::inr),
        couriers.filter(|c| !c.blocked.is_set()).collect(),
    ))
}

pub fn parse_rate_response(resp: &HttpResponse) -> Result<Vec<RateQuote>> {
    let (currency, couriers) = couriers(resp)?;
    couriers.into_iter().map(|c| quote(c, &currency)).collect()
}

/// Reads a serviceability answer as a lane check: serviceable when one courier is offered
/// (one collecting cash, for COD).
pub fn parse_serviceability_response(resp: &HttpResponse, lane: &Lane) -> Result<Serviceability> {
    let (_, couriers) = couriers(resp)?;
    Ok(if couriers.iter().any(|c| !lane.cod || c.cod.is_set()) {
        Serviceability::Serviceable
    } else {
        Serviceability::not(format!(
            "no Shiprocket courier picks up at {} and delivers {} parcels to {}",
            lane.pickup_pincode,
            lane.payment_label(),
            lane.delivery_pincode
        ))
    })
}

/// A courier as a quote whose service is the `courier_company_id`. The breakdown adds up
/// to the `rate` Shiprocket quoted: whatever it holds beyond freight and COD is shown.
fn quote(c: ShiprocketCourierCompany, currency: &Currency) -> Result<RateQuote> {
    let id = c
        .courier_company_id
        .known()
        .ok_or_else(|| CarrierError::bad_response("a courier company without courier_company_id"))?
        .to_string();
    let freight = c.freight_charge.money(currency.clone());
    let cod = c.cod_charges.money(currency.clone());
    let total = match c.rate.money(currency.clone()) {
        Some(rate) => rate,
        None if freight.is_none() => {
            return Err(CarrierError::bad_response(format!(
                "courier {id} has neither rate nor freight_charge"
            )));
        }
        None => Money::checked_sum(freight.iter().chain(cod.iter()))
            .ok()
            .flatten()
            .ok_or_else(|| {
                CarrierError::bad_response(format!(
                    "courier {id}: freight_charge and cod_charges add up to more than {} minor \
                     units",
                    Money::MAX_AMOUNT
                ))
            })?,
    };
    let lines: Vec<Charge> = [
        freight.map(|f| Charge::new(ChargeKind::Freight, "freight_charge", f)),
        cod.map(|c| Charge::new(ChargeKind::Cod, "cod_charges", c)),
    ]
    .into_iter()
    .flatten()
    .collect();
    // Each figure is within the cap, so this cannot overflow; the difference can still be
    // beyond the cap (a rate far below freight and COD), which no line may be.
    let rest = total.amount - lines.iter().map(|c| c.amount.amount).sum::<i64>();
    if rest.unsigned_abs() > Money::MAX_AMOUNT.unsigned_abs() {
        return Err(CarrierError::bad_response(format!(
            "courier {id}: rate {} is {rest} minor units off freight_charge and cod_charges",
            total.amount
        )));
    }
    let rest = Money {
        amount: rest,
        currency: currency.clone(),
    };
    let other = Charge::new(ChargeKind::Other, "other charges in rate", rest);
    let name = text(&c.courier_name).unwrap_or(&id).to_string();
    Ok(RateQuote {
        estimated_delivery: text(&c.etd)
            .and_then(|d| NaiveDate::parse_from_str(d, "%b %d, %Y").ok()),
        transit_days: c
            .estimated_delivery_days
            .known()
            .and_then(|d| d.parse().ok()),
        ..RateQuote::new(ID, id, name, total, lines.into_iter().chain([other]))
    })
}

pub fn parse_create_order_response(resp: &HttpResponse) -> Result<CreatedOrder> {
    let order: ShiprocketOrderResponse = ok_json(resp)?;
    match (order.order_id.known(), order.shipment_id.known()) {
        (Some(order_id), Some(shipment_id)) => Ok(CreatedOrder {
            order_id: order_id.to_string(),
            shipment_id: shipment_id.to_string(),
            status_code: owned(order.error.status_code.known()),
            awb: order.awb_code.known().map(|awb| AssignedAwb {
                awb: awb.to_string(),
                courier_company_id: owned(order.courier_company_id.known()),
                courier_name: owned(text(&order.courier_name)),
                routing_code: None,
            }),
        }),
        // An order without ids is either a refusal worded inside HTTP 200, or a reply
        // shipgate cannot read; the latter may hide an order that was created.
        _ => Err(match describe(&order.error) {
            Some(message) => refused(&order.error, "order_not_created", message),
            None => {
                CarrierError::bad_response("create order answered without order_id and shipment_id")
            }
        }),
    }
}

/// A listed order as step 1 would have described it, with the AWB when one is assigned.
/// Without its shipment id the order can be neither continued nor tracked: an unreadable
/// answer, not a missing booking.
fn listed(order: ShiprocketListedOrder) -> Result<CreatedOrder> {
    let order_id = order
        .id
        .known()
        .ok_or_else(|| CarrierError::bad_response("a listed order without id"))?
        .to_string();
    let first = match order.shipments {
        Some(Value::Array(items)) => items.into_iter().next(),
        Some(v @ Value::Object(_)) => Some(v),
        _ => None,
    };
    let shipment = first
        .map(ShiprocketListedShipment::deserialize)
        .transpose()
        .map_err(|e| CarrierError::bad_response(format!("listed order shipment: {e}")))?
        .unwrap_or_default();
    let shipment_id = shipment.id.known().ok_or_else(|| {
        CarrierError::bad_response(format!("Shiprocket order {order_id} lists no shipment"))
    })?;
    Ok(CreatedOrder {
        shipment_id: shipment_id.to_string(),
        status_code: owned(order.status_code.known()),
        awb: shipment.awb.known().map(|awb| AssignedAwb {
            awb: awb.to_string(),
            courier_company_id: None,
            courier_name: owned(text(&shipment.courier)),
            routing_code: None,
        }),
        order_id,
    })
}

/// The order carrying exactly `channel_order_id`, `None` when the search lists none.
///
/// Shiprocket's `search` also matches AWBs and (it is a search) longer ids containing
/// the one asked for, so the match is checked here. Should several orders carry the
/// id (other channels), the one with an AWB wins: that is the booking.
pub fn parse_lookup_response(
    resp: &HttpResponse,
    channel_order_id: &str,
) -> Result<Option<CreatedOrder>> {
    let answer: ShiprocketOrdersResponse = ok_json(resp)?;
    let wanted = channel_order_id.trim();
    let items = match answer.data {
        Some(Value::Array(items)) => items,
        Some(v @ Value::Object(_)) => vec![v],
        // No list: an error worded inside HTTP 200, or an answer shipgate cannot read.
        // Neither says "no such order", so neither may become `None`.
        _ => {
            return Err(match describe(&answer.error) {
                Some(message) => refused(&answer.error, "orders_search_failed", message),
                None => CarrierError::bad_response("orders search answered without data"),
            });
        }
    };
    let mut matches = Vec::new();
    for item in items {
        let order = ShiprocketListedOrder::deserialize(item)
            .map_err(|e| CarrierError::bad_response(format!("listed order: {e}")))?;
        if order.channel_order_id.known() == Some(wanted) {
            matches.push(listed(order)?);
        }
    }
    if matches.len() > 1 {
        tracing::warn!(
            channel_order_id = wanted,
            orders = ?matches.iter().map(|o| o.order_id.as_str()).collect::<Vec<_>>(),
            "several Shiprocket orders carry one channel order id"
        );
    }
    Ok(match matches.iter().position(|o| o.awb.is_some()) {
        Some(i) => Some(matches.swap_remove(i)),
        None => matches.into_iter().next(),
    })
}

pub fn parse_assign_awb_response(resp: &HttpResponse) -> Result<AssignedAwb> {
    let answer: ShiprocketAssignAwbResponse = ok_json(resp)?;
    let data_value = answer.response.and_then(|r| r.data);
    let data = match &data_value {
        Some(v @ Value::Object(_)) => ShiprocketAssignData::deserialize(v.clone())
            .map_err(|e| CarrierError::bad_response(format!("assign AWB data: {e}")))?,
        _ => ShiprocketAssignData::default(),
    };
    let assigned = answer.awb_assign_status.as_ref().map(Loose::is_set);
    if let (Some(true) | None, Some(awb)) = (assigned, data.awb_code.known()) {
        return Ok(AssignedAwb {
            awb: awb.to_string(),
            courier_company_id: owned(data.courier_company_id.known()),
            courier_name: owned(text(&data.courier_name)),
            routing_code: owned(text(&data.routing_code)),
        });
    }
    let bare = data_value
        .as_ref()
        .and_then(Value::as_str)
        .map(str::to_string);
    let message = owned(text(&data.awb_assign_error))
        .or(bare)
        .or_else(|| describe(&answer.error));
    match (assigned, message) {
        (Some(false), m) | (_, m @ Some(_)) => Err(refused(
            &answer.error,
            "awb_assign_failed",
            m.unwrap_or_else(|| "Shiprocket did not assign an AWB".into()),
        )),
        _ => Err(CarrierError::bad_response(
            "assign AWB answered without awb_code",
        )),
    }
}

pub fn parse_label_response(resp: &HttpResponse) -> Result<LabelLink> {
    let answer: ShiprocketLabelResponse = ok_json(resp)?;
    let url = text(&answer.label_url);
    let created = answer.label_created.as_ref().map(Loose::is_set);
    match (created, url) {
        (Some(true) | None, Some(url))
            if url.starts_with("http://") || url.starts_with("https://") =>
        {
            Ok(LabelLink(url.to_string()))
        }
        _ => {
            let message = owned(text(&answer.response))
                .or_else(|| describe(&answer.error))
                .unwrap_or_else(|| "Shiprocket did not create the label".into());
            Err(refused(&answer.error, "label_not_created", message))
        }
    }
}

/// The downloaded label: it must be a PDF, not an S3 error page that happened to be 200.
pub fn parse_label_download(resp: &HttpResponse) -> Result<Vec<u8>> {
    if !resp.is_success() {
        return Err(refusal(resp));
    }
    if !resp.body.starts_with(b"%PDF-") {
        return Err(CarrierError::bad_response(format!(
            "label link did not return a PDF; body starts with {:?}",
            resp.snippet()
        )));
    }
    Ok(resp.body.clone())
}

/// Cancel answers 200 with `{"message": …}` or, as documented, 204 — with or without a
/// body. A `status_code` of 400 or more inside a 2xx is still a refusal.
/// Shiprocket's cancel is asynchronous ("cancellation is in progress"): success means
/// accepted, and tracking later shows CANCELED (or RTO for a parcel already picked up).
pub fn parse_cancel_response(resp: &HttpResponse) -> Result<CancelOutcome> {
    if !resp.is_success() {
        return Err(refusal(resp));
    }
    // An empty body is the documented 204; any other body must be Shiprocket's JSON, or
    // the cancellation's fate is unknown (a proxy page is not a confirmation).
    let body: ShiprocketErrorBody = if resp.body.trim_ascii().is_empty() {
        ShiprocketErrorBody::default()
    } else {
        resp.json()?
    };
    let message = describe(&body);
    if let Some(code) = code(&body)
        && code.parse::<u16>().is_ok_and(|c| c >= 400)
    {
        return Err(CarrierError::rejected(
            code,
            message.unwrap_or_default(),
            resp.status,
        ));
    }
    Ok(CancelOutcome {
        carrier_message: message
            .unwrap_or_else(|| format!("cancellation accepted (HTTP {})", resp.status)),
    })
}

/// Reads the answer to an NDR instruction: 202 `{"status": "Data Updated Sucessfully"}`
/// in the docs. Any 2xx is taken, in Shiprocket's words where it gives some; anything
/// else is its refusal (`message`, `status_code`), as every other call's. Shiprocket
/// gives no request id.
pub fn parse_ndr_action_response(resp: &HttpResponse) -> Result<NdrOutcome> {
    if !resp.is_success() {
        return Err(refusal(resp));
    }
    let answer: ShiprocketNdrActionResponse = if resp.body.trim_ascii().is_empty() {
        ShiprocketNdrActionResponse::default()
    } else {
        resp.json()?
    };
    let message = answer.message.as_ref().and_then(Value::as_str);
    let message = trimmed(message).map(str::to_string);
    let words = answer.status.known().map(str::to_string).or(message);
    Ok(NdrOutcome {
        accepted: true,
        carrier_message: words
            .unwrap_or_else(|| format!("NDR action taken (HTTP {})", resp.status)),
        carrier_ref: None,
    })
}

/// Picks the tracking object out of the shapes Shiprocket uses: `{tracking_data}` (by AWB
/// or shipment), `[{tracking_data}]` (by order), `{"<awb>": {tracking_data}}` (several
/// AWBs). `Ok(None)` means Shiprocket knows no such shipment (`{}`, `[]`).
fn tracking_data(resp: &HttpResponse, awb: Option<&str>) -> Result<Option<ShiprocketTrackingData>> {
    let value = match ok_json(resp)? {
        Value::Array(items) => match items.into_iter().next() {
            Some(first) => first,
            None => return Ok(None),
        },
        other => other,
    };
    let Value::Object(mut map) = value else {
        return Err(CarrierError::bad_response(format!(
            "tracking answered neither an object nor an array: {:?}",
            resp.snippet()
        )));
    };
    let entry = match map.remove("tracking_data") {
        Some(data) => data,
        None => match awb.and_then(|a| map.remove(a)) {
            Some(Value::Object(mut inner)) => inner.remove("tracking_data").unwrap_or(Value::Null),
            _ => {
                let error: ShiprocketErrorBody =
                    serde_json::from_value(Value::Object(map)).unwrap_or_default();
                return match describe(&error) {
                    Some(message) => Err(CarrierError::rejected(
                        code(&error).unwrap_or_else(|| "track_error".into()),
                        message,
                        resp.status,
                    )),
                    None => Ok(None),
                };
            }
        },
    };
    if entry.is_null() {
        return Ok(None);
    }
    ShiprocketTrackingData::deserialize(entry)
        .map(Some)
        .map_err(|e| CarrierError::bad_response(format!("tracking_data: {e}")))
}

/// The AWB (and courier id) that tracking by shipment id names: how an AWB assigned by
/// an attempt whose answer was lost is recovered. Best effort: any failure is `None`.
pub fn parse_tracked_awb(resp: &HttpResponse) -> Option<AssignedAwb> {
    let data = tracking_data(resp, None).ok()??;
    let track = data.shipment_track?.into_iter().next()?;
    Some(AssignedAwb {
        awb: track.awb_code.known()?.to_string(),
        courier_company_id: owned(track.courier_company_id.known()),
        courier_name: None,
        routing_code: None,
    })
}

/// Tracking for one AWB (`awb` may be empty when tracking by shipment id).
pub fn parse_track_response(
    mapping: &Mapping,
    awb: &str,
    resp: &HttpResponse,
) -> Result<TrackingUpdate> {
    let requested = (!awb.is_empty()).then_some(awb);
    let Some(data) = tracking_data(resp, requested)? else {
        return Err(CarrierError::rejected(
            "awb_not_found",
            format!("Shiprocket has no shipment with AWB {awb}"),
            resp.status,
        ));
    };
    let track = data.shipment_track.as_ref().and_then(|t| t.first());
    let awb = track
        .and_then(|t| t.awb_code.known())
        .unwrap_or(awb)
        .to_string();
    if !data.track_status.is_set() {
        // "There is no activities found in our DB": booked, not scanned yet.
        tracing::debug!(%awb, message = data.error.as_deref().unwrap_or(""), "no Shiprocket scans yet");
    }
    let label = track.and_then(|t| text(&t.current_status));
    let current = current_status(mapping, data.shipment_status.known(), None, label);
    let courier = Courier::named(None, track.and_then(|t| t.courier_company_id.known()));
    let activities = data.shipment_track_activities.unwrap_or_default();
    Ok(TrackingUpdate {
        awb,
        events: scans_to_events(mapping, &activities, current, courier),
    })
}

/// Reads one tracking push (`POST /v1/carriers/shiprocket/webhooks`).
pub fn parse_webhook(mapping: &Mapping, body: &[u8]) -> Result<TrackingUpdate> {
    read_push(ID, body, |push| pushed_update(mapping, push))
}

/// Reads a push body as the gateway receives it: one object as documented, or an array
/// of them.
pub fn parse_pushes(mapping: &Mapping, body: &[u8]) -> Result<Vec<PushedUpdate>> {
    read_pushes(ID, body, |push| pushed_update(mapping, push))
}

fn pushed_update(mapping: &Mapping, push: ShiprocketWebhook) -> Result<PushedUpdate> {
    let awb = push
        .awb
        .known()
        .ok_or_else(|| CarrierError::bad_response("webhook without awb"))?
        .to_string();
    let label = push
        .shipment_status
        .as_deref()
        .or(push.current_status.as_deref());
    let current = current_status(
        mapping,
        push.shipment_status_id.known(),
        push.current_status_id.known(),
        label,
    );
    let courier = Courier::named(text(&push.courier_name), None);
    let mut events = scans_to_events(mapping, &push.scans, current.clone(), courier);
    let time = push.current_timestamp.as_deref().and_then(|t| IST.parse(t));
    if events.is_empty()
        && let (Some((code, text, unified)), Some(time)) = (current, time)
    {
        events.push(TrackingEvent::new(unified, code, text, time));
    }
    Ok(PushedUpdate {
        awb,
        reference: owned(push.order_id.known()),
        events,
    })
}

/// A status as (raw code, text, unified).
type Classified = (String, String, Unified);

/// The shipment-level status of a payload: tracking status id first, then the order
/// status id, then the status text.
fn current_status(
    mapping: &Mapping,
    sr_status: Option<&str>,
    order_status: Option<&str>,
    label: Option<&str>,
) -> Option<Classified> {
    let (kind, code) = match (sr_status, order_status, label) {
        (Some(code), _, _) => (KIND_SR_STATUS, code),
        (None, Some(code), _) => (KIND_ORDER_STATUS, code),
        (None, None, label) => (KIND_SR_STATUS_LABEL, label?),
    };
    let unified = or_unmapped(ID, mapping.lookup(kind, code), code);
    Some((code.into(), label.unwrap_or_default().into(), unified))
}

/// The status one scan itself states, or `None` when Shiprocket left it unclassified
/// (`sr-status` "NA" and no label: bagging, weighing, a pickup note…).
fn activity_status(mapping: &Mapping, scan: &ShiprocketTrackActivity) -> Option<Classified> {
    let label = text(&scan.sr_status_label);
    if let Some(code) = scan.sr_status.known() {
        let found = mapping.lookup(KIND_SR_STATUS, code);
        let found = found.or_else(|| mapping.lookup(KIND_SR_STATUS_LABEL, label?));
        let text = label.or(text(&scan.activity)).unwrap_or(code);
        return Some((code.into(), text.into(), or_unmapped(ID, found, code)));
    }
    let label = label?;
    let unified = or_unmapped(ID, mapping.lookup(KIND_SR_STATUS_LABEL, label), label);
    Some((label.into(), label.into(), unified))
}

/// Scans to events, oldest first, in UTC.
///
/// A scan Shiprocket did not classify is read by the courier's own code where the
/// courier's table has it ([`Courier::status`]); otherwise it keeps the status the
/// shipment had — that of the previous scan — rather than being guessed from its words.
/// The newest such scan takes the payload's shipment-level status instead, since that
/// *is* the state after it. Only an unclassified scan with none of these is
/// `unknown/unmapped`.
fn scans_to_events(
    mapping: &Mapping,
    scans: &[ShiprocketTrackActivity],
    current: Option<Classified>,
    courier: Option<Courier>,
) -> Vec<TrackingEvent> {
    let mut timed: Vec<(DateTime<Utc>, &ShiprocketTrackActivity)> = scans
        .iter()
        .filter_map(|scan| {
            let date = text(&scan.date);
            let time = date.and_then(|t| IST.parse(t));
            if time.is_none() {
                tracing::warn!(
                    date = date.unwrap_or(""),
                    "Shiprocket scan without a readable date skipped"
                );
            }
            Some((time?, scan))
        })
        .collect();
    // Tracking lists newest first, webhooks oldest first; equal times keep their order.
    if timed.first().map(|f| f.0) > timed.last().map(|l| l.0) {
        timed.reverse();
    }
    timed.sort_by_key(|(time, _)| *time);

    let last = timed.len().saturating_sub(1);
    let mut previous: Option<Unified> = None;
    let mut events = Vec::with_capacity(timed.len());
    for (i, (time, scan)) in timed.into_iter().enumerate() {
        let activity = text(&scan.activity);
        let (code, status_text, unified) = activity_status(mapping, scan).unwrap_or_else(|| {
            let code = scan.status.known().unwrap_or("NA").to_string();
            let by_courier = courier.and_then(|c| c.status(mapping, &code, previous));
            let inherited = match (by_courier, &current, previous) {
                (Some(found), _, _) => found,
                (None, Some((_, _, now)), _) if i == last => *now,
                (None, _, Some(before)) => before,
                _ => {
                    tracing::debug!(code, "unclassified Shiprocket scan with nothing to inherit");
                    Unified::UNMAPPED
                }
            };
            (
                code.clone(),
                activity.map_or(code, str::to_string),
                inherited,
            )
        });
        previous = Some(unified);
        events.push(
            TrackingEvent::new(unified, code, status_text, time)
                .with_location(owned(text(&scan.location)))
                .with_description(owned(activity)),
        );
    }
    events
}
