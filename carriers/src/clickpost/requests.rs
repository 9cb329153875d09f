//! One function per ClickPost call, building its [`HttpRequest`]. Every call carries the
//! account's `username` and `key` in the query string (ClickPost's only authentication),
//! both marked secret so the executor masks them wherever it logs a URL.

use chrono::{DateTime, NaiveDate, Utc};

use crate::CarrierError;
use crate::families::{NdrAction, PickupRequest, ReturnReason, ReturnRequest};
use crate::kit::adapter::{Result, domestic_piece};
use crate::kit::lenient::trimmed;
use crate::kit::time::IST;
use crate::kit::units;
use crate::schema::{Address, Lane, Money, Payment, RateRequest, ShipmentKind, ShipmentRequest};
use crate::wire::HttpRequest;

use super::wire::*;

pub const PATH_CREATE: &str = "/api/v3/create-order/";
/// v1 prices the lane (`shipping_charge`) when given the parcel: the rates call.
pub const PATH_SERVICEABILITY_V1: &str = "/api/v1/serviceability_api/";
/// v2 says whether the pickup pincode is served (`PICKUP`): the lane check.
pub const PATH_SERVICEABILITY_V2: &str = "/api/v2/serviceability_api/";
pub const PATH_TRACK: &str = "/api/v2/track-order/";
pub const PATH_CANCEL: &str = "/api/v1/cancel-order/";
pub const PATH_NDR: &str = "/api/v1/ndr_user_feedback/";
pub const PATH_PICKUP: &str = "/api/v1/create-pickup/";
pub const PATH_AWB_REGISTER: &str = "/api/v2/tracking/awb-register/";

/// Sides sent when the parcel has none (ClickPost requires them).
const DEFAULT_SIDE_CM: u32 = 10;

/// The account's credentials, as every request carries them.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    pub username: &'a str,
    pub key: &'a str,
}

impl Credentials<'_> {
    /// `request` with `username` and `key` in its query, both secret.
    pub fn sign(&self, request: HttpRequest) -> HttpRequest {
        request
            .secret_query("username", self.username)
            .secret_query("key", self.key)
    }
}

/// A ClickPost "service": one courier account on the ClickPost account, named by the
/// courier's `cp_id` and the account's `account_code`. As a service code it is written
/// `<cp_id>:<account_code>` (`4:Delhivery Express`), which is how quotes name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourierAccount {
    pub cp_id: u32,
    pub account_code: String,
}

impl CourierAccount {
    pub fn code(&self) -> String {
        format!("{}:{}", self.cp_id, self.account_code)
    }

    /// A service code read back; anything else is refused for good (no retry makes it
    /// one).
    pub fn parse(service: &str) -> Result<CourierAccount> {
        let refused = || {
            tracing::debug!(service, "not a ClickPost service code");
            CarrierError::Unsupported(
                "a service that is not a ClickPost courier account `<cp_id>:<account_code>` \
                 (take one from a rate quote)",
            )
        };
        let (cp_id, account) = service.trim().split_once(':').ok_or_else(refused)?;
        let cp_id = cp_id.trim().parse::<u32>().map_err(|_| refused())?;
        let account_code = trimmed(Some(account)).ok_or_else(refused)?.to_string();
        Ok(CourierAccount {
            cp_id,
            account_code,
        })
    }

    /// The account a shipment was booked with, from its carrier refs.
    pub fn of_refs(refs: &std::collections::BTreeMap<String, String>) -> Option<CourierAccount> {
        let cp_id = refs.get("cp_id")?.trim().parse().ok()?;
        let account_code = trimmed(refs.get("account_code").map(String::as_str))?.to_string();
        Some(CourierAccount {
            cp_id,
            account_code,
        })
    }
}

fn order_type(payment: &Payment) -> &'static str {
    match payment {
        Payment::Cod { .. } => "COD",
        Payment::Prepaid => "PREPAID",
    }
}

fn rupees(money: Option<&Money>) -> f64 {
    money.map_or(0.0, Money::to_major_f64)
}

fn sides(l: Option<u32>, w: Option<u32>, h: Option<u32>) -> (u32, u32, u32) {
    let side = |mm: Option<u32>| mm.map_or(DEFAULT_SIDE_CM, |mm| units::whole_cm(mm).max(1));
    (side(l), side(w), side(h))
}

/// Rates: serviceability v1 with the parcel, which makes ClickPost price each courier
/// account that has a rate card uploaded.
pub fn rate_request(c: Credentials<'_>, req: &RateRequest) -> Result<HttpRequest> {
    if req.from.country != "IN" || req.to.country != "IN" {
        return Err(CarrierError::Unsupported("international shipping"));
    }
    let first = req.parcels.first();
    let (length, breadth, height) = sides(
        first.and_then(|p| p.length_mm),
        first.and_then(|p| p.width_mm),
        first.and_then(|p| p.height_mm),
    );
    let declared = Money::checked_sum(req.parcels.iter().filter_map(|p| p.declared_value.as_ref()))
        .ok()
        .flatten();
    let value = match &req.payment {
        Payment::Cod { cod_amount } => Some(cod_amount.clone()),
        Payment::Prepaid => declared,
    };
    let lane = ClickPostServiceabilityRequest {
        pickup_pincode: req.from.postal_code.as_str().to_string(),
        drop_pincode: req.to.postal_code.as_str().to_string(),
        optional: Some(ClickPostServiceabilityOptional {
            weight: units::kg(req.total_weight_g()),
            length,
            breadth,
            height,
            invoice_value: rupees(value.as_ref()),
            order_type: order_type(&req.payment).into(),
            service_type: "FORWARD".into(),
        }),
        service_type: None,
    };
    c.sign(HttpRequest::post(PATH_SERVICEABILITY_V1))
        .json(&[lane])
}

/// The lane check: serviceability v2 for the pair (reverse pickups as `RVP`).
pub fn serviceability_request(c: Credentials<'_>, lane: &Lane) -> Result<HttpRequest> {
    let service_type = match lane.kind {
        ShipmentKind::Forward => "FORWARD",
        ShipmentKind::Reverse => "RVP",
    };
    let body = ClickPostServiceabilityRequest {
        pickup_pincode: lane.pickup_pincode.clone(),
        drop_pincode: lane.delivery_pincode.clone(),
        optional: None,
        service_type: Some(service_type.into()),
    };
    c.sign(HttpRequest::post(PATH_SERVICEABILITY_V2))
        .json(&[body])
}

/// A lane of a booking, for picking a courier account when the request names none.
pub fn lane_of(req: &ShipmentRequest) -> Lane {
    Lane {
        pickup_pincode: req.from.postal_code.as_str().to_string(),
        delivery_pincode: req.to.postal_code.as_str().to_string(),
        cod: matches!(req.payment, Payment::Cod { .. }),
        kind: req.kind,
    }
}

/// Everything create v3 needs besides the unified request.
#[derive(Debug, Clone)]
pub struct OrderDraft<'a> {
    /// shipgate's shipment id: ClickPost's `reference_number`, by which a second create
    /// is answered `323` and a lost one is found.
    pub shipment_id: &'a str,
    pub request: &'a ShipmentRequest,
    pub account: &'a CourierAccount,
    pub now: DateTime<Utc>,
}

fn pickup_info(from: &Address, now: DateTime<Utc>) -> ClickPostPickupInfo {
    ClickPostPickupInfo {
        pickup_name: from.name.clone(),
        pickup_phone: from.phone.national().to_string(),
        email: from.email.clone().unwrap_or_default(),
        pickup_address: from.street(),
        pickup_city: from.city.clone(),
        pickup_state: from.state.clone().unwrap_or_default(),
        pickup_pincode: from.postal_code.as_str().to_string(),
        pickup_country: from.country.clone(),
        pickup_time: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    }
}

fn drop_info(to: &Address) -> ClickPostDropInfo {
    ClickPostDropInfo {
        drop_name: to.name.clone(),
        drop_phone: to.phone.national().to_string(),
        drop_email: to.email.clone().unwrap_or_default(),
        drop_address: to.street(),
        drop_city: to.city.clone(),
        drop_state: to.state.clone().unwrap_or_default(),
        drop_pincode: to.postal_code.as_str().to_string(),
        drop_country: to.country.clone(),
    }
}

fn return_info(a: &Address) -> ClickPostReturnInfo {
    ClickPostReturnInfo {
        name: a.name.clone(),
        phone: a.phone.national().to_string(),
        address: a.street(),
        city: a.city.clone(),
        state: a.state.clone().unwrap_or_default(),
        pincode: a.postal_code.as_str().to_string(),
        country: a.country.clone(),
    }
}

/// ClickPost's RVP reasons are free text; shipgate's reason in words.
fn rvp_reason(reason: ReturnReason) -> &'static str {
    match reason {
        ReturnReason::Damaged => "Product damaged",
        ReturnReason::Defective => "Product defective",
        ReturnReason::WrongItem => "Wrong item delivered",
        ReturnReason::MissingParts => "Parts missing",
        ReturnReason::NotAsDescribed => "Not as described",
        ReturnReason::SizeIssue => "Size issue",
        ReturnReason::QualityIssue => "Quality issue",
        ReturnReason::ChangedMind => "No longer needed",
        ReturnReason::ArrivedLate => "Arrived late",
        ReturnReason::Other => "Other",
    }
}

/// Create order v3. A forward parcel goes from `from` to `to` and back to `from` if
/// undelivered; a reverse pickup (`RVP`) is collected at the buyer (`from`) and delivered
/// to the warehouse (`to`), as ClickPost's docs place them (pickup_info is the buyer).
pub fn create_request(c: Credentials<'_>, d: OrderDraft<'_>) -> Result<HttpRequest> {
    let r = d.request;
    let parcel = domestic_piece(r, "IN")?;
    let (length, breadth, height) = sides(parcel.length_mm, parcel.width_mm, parcel.height_mm);
    let reverse = r.kind == ShipmentKind::Reverse;
    if reverse && matches!(r.payment, Payment::Cod { .. }) {
        return Err(CarrierError::Unsupported(
            "cash on delivery on a reverse pickup",
        ));
    }
    let declared = r.declared_value();
    let (cod_value, invoice) = match &r.payment {
        Payment::Cod { cod_amount } => (cod_amount.to_major_f64(), Some(cod_amount.clone())),
        Payment::Prepaid => (0.0, declared),
    };
    let invoice_value = rupees(invoice.as_ref());
    let description = r.description();
    let description = match description.is_empty() {
        true => format!("Order {}", r.order_ref),
        false => description,
    };
    let today = IST.wall(d.now).date().format("%Y-%m-%d").to_string();
    let delivery_type = if reverse { "RVP" } else { "FORWARD" };
    let body = ClickPostCreateRequest {
        pickup_info: pickup_info(&r.from, d.now),
        drop_info: drop_info(&r.to),
        shipment_details: ClickPostShipmentDetails {
            order_type: order_type(&r.payment).into(),
            invoice_value,
            invoice_number: r.order_ref.clone(),
            invoice_date: today.clone(),
            reference_number: d.shipment_id.to_string(),
            length,
            breadth,
            height,
            weight: parcel.weight_g,
            items: vec![ClickPostItem {
                sku: r.order_ref.clone(),
                description,
                quantity: 1,
                price: invoice_value,
            }],
            cod_value,
            courier_partner: d.account.cp_id,
            account_code: d.account.account_code.clone(),
            delivery_type: delivery_type.into(),
            rvp_reason: r
                .returning
                .as_ref()
                .map(|ret| rvp_reason(ret.reason).to_string())
                .or_else(|| reverse.then(|| rvp_reason(ReturnReason::Other).to_string())),
        },
        additional: ClickPostCreateAdditional {
            label: true,
            is_async: false,
            delivery_type: delivery_type.into(),
            account_code: d.account.account_code.clone(),
            // A forward parcel goes back to the sender; a return has nowhere else to go
            // than the warehouse it is headed for.
            return_info: return_info(if reverse { &r.to } else { &r.from }),
            order_date: today,
        },
    };
    c.sign(HttpRequest::post(PATH_CREATE)).json(&body)
}

/// A return booked through the Returns family, as the reverse shipment it is.
pub fn return_as_shipment(req: &ReturnRequest, order_ref: &str) -> ShipmentRequest {
    ShipmentRequest {
        items: Vec::new(),
        order_ref: order_ref.to_string(),
        carrier: super::ID.to_string(),
        service: req.service.clone(),
        from: req.pickup.clone(),
        to: req.deliver_to.clone(),
        parcels: req.parcels.clone(),
        payment: Payment::Prepaid,
        label_format: crate::schema::LabelFormat::Pdf,
        kind: ShipmentKind::Reverse,
        selection: Default::default(),
        customs: None,
        returning: Some(crate::families::ReturnDetails {
            forward_shipment_id: None,
            reason: req.reason,
            comment: None,
            qc: None,
        }),
    }
}

/// `GET create-order/?reference_number=`: the order placed under shipgate's id, answered
/// as create answers (ClickPost's "Fetch AWB Number for manifested order").
pub fn lookup_request(c: Credentials<'_>, reference: &str) -> HttpRequest {
    c.sign(HttpRequest::get(PATH_CREATE))
        .query("reference_number", reference)
}

/// The label link is a public S3 URL: fetched without the credentials, which must never
/// travel to another host.
pub fn label_download_request(url: &str) -> HttpRequest {
    HttpRequest::get(url).header("accept", "application/pdf")
}

pub fn track_request(c: Credentials<'_>, awb: &str, cp_id: u32) -> HttpRequest {
    c.sign(HttpRequest::get(PATH_TRACK))
        .query("waybill", awb)
        .query("cp_id", cp_id.to_string())
}

/// Cancels `awb` of courier `cp_id`; `account_code` where known (a booking found by a
/// lookup in another process knows only the courier: ClickPost then answers in its words).
pub fn cancel_request(
    c: Credentials<'_>,
    awb: &str,
    cp_id: u32,
    account_code: Option<&str>,
) -> HttpRequest {
    let request = c
        .sign(HttpRequest::get(PATH_CANCEL))
        .query("waybill", awb)
        .query("cp_id", cp_id.to_string());
    match account_code {
        Some(code) => request.query("account_code", code),
        None => request,
    }
}

/// NDR Action Update (the Slate docs' `ndr_user_feedback`): the courier's own acts,
/// `RE-ATTEMPT`, `DEFER_DLV` with a date, `EDIT_DETAILS` with a new phone or address.
/// It has no return instruction (see the module docs).
pub fn ndr_request(
    c: Credentials<'_>,
    awb: &str,
    cp_id: u32,
    action: &NdrAction,
) -> Result<HttpRequest> {
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let item = match action {
        NdrAction::Reattempt { date: None } => {
            serde_json::json!({"waybill": awb, "act": "RE-ATTEMPT"})
        }
        NdrAction::Reattempt { date: Some(date) } | NdrAction::Reschedule { date } => {
            serde_json::json!({"waybill": awb, "act": "DEFER_DLV", "action_data": {"deferred_date": day(*date)}})
        }
        NdrAction::ChangePhone { phone } => serde_json::json!({
            "waybill": awb, "act": "EDIT_DETAILS", "action_data": {"phone": phone.national()},
        }),
        NdrAction::ChangeAddress { address } => serde_json::json!({
            "waybill": awb, "act": "EDIT_DETAILS",
            "action_data": {"name": address.name, "add": address.street(), "phone": address.phone.national()},
        }),
        NdrAction::ReturnToOrigin => {
            return Err(CarrierError::Unsupported(
                "a return to origin through ClickPost's NDR API",
            ));
        }
    };
    c.sign(HttpRequest::post(PATH_NDR))
        .query("cp_id", cp_id.to_string())
        .json(&[item])
}

/// Pickup Request API: the courier `cp_id` collects at the location's address.
pub fn pickup_request(
    c: Credentials<'_>,
    request: &PickupRequest,
    cp_id: u32,
) -> Result<HttpRequest> {
    let a = &request.address;
    let ready = request.window.map_or_else(
        || chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default(),
        |w| w.0,
    );
    let local = request.date.and_time(ready);
    let when = IST
        .local(local)
        .ok_or_else(|| CarrierError::NotSent("pickup time does not exist in IST".into()))?;
    let body = ClickPostPickupRequest {
        pickup_date: when.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        courier_partner: cp_id,
        items: format!("{} parcel(s)", request.packages.max(1)),
        pickup_pincode: a.postal_code.as_str().to_string(),
        pickup_email: a.email.clone().unwrap_or_default(),
        pickup_phone: a.phone.national().to_string(),
        pickup_name: a.name.clone(),
        pickup_city: a.city.clone(),
        pickup_state: a.state.clone().unwrap_or_default(),
        pickup_address: a.street(),
    };
    c.sign(HttpRequest::post(PATH_PICKUP)).json(&body)
}

/// AWB register v2, for an AWB booked outside ClickPost: the key travels in the body
/// (marked secret too), the username not at all.
pub fn awb_register_request(
    key: &str,
    awb: &str,
    account: &CourierAccount,
    reference: &str,
    lane: &Lane,
) -> Result<HttpRequest> {
    let body = ClickPostAwbRegisterRequest {
        waybill: awb.to_string(),
        cp_id: account.cp_id,
        key: key.to_string(),
        account_code: account.account_code.clone(),
        shipment_info: ClickPostAwbShipmentInfo {
            reference_number: reference.to_string(),
            order_type: if lane.cod { "COD" } else { "PREPAID" }.into(),
            drop_pincode: lane.delivery_pincode.clone(),
            pickup_pincode: lane.pickup_pincode.clone(),
            delivery_type: match lane.kind {
                ShipmentKind::Forward => "FORWARD",
                ShipmentKind::Reverse => "RVP",
            }
            .into(),
        },
    };
    HttpRequest::post(PATH_AWB_REGISTER).secret(key).json(&body)
}
