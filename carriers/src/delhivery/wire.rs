//! Delhivery's wire format, as serde types, and the conversions between it and the
//! unified schema.
//!
//! Shapes follow real captures (`../shared/carrier-samples/delhivery`), not only the
//! published docs, because the two disagree: create is a form body whose `data` field is
//! a JSON document; errors arrive inside HTTP 200 (`success:false`, `Success:false`);
//! cancel answers in XML; timestamps carry no zone and are IST; the same field is a
//! number in one response and a string in the next (`pin`, `ReferenceNo`); and some keys
//! are misspelt by Delhivery itself (`RecievedBy`, `DestRecieveDate`). Readers here are
//! therefore lenient about JSON types and strict about meaning: a field that cannot be
//! understood becomes [`WireError::Malformed`], never a panic and never a guess.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::CarrierError;
use crate::kit::{lenient, units};
use crate::schema::{
    CancelOutcome, Charge, ChargeKind, CreatedShipment, Currency, Money, Payment, RateQuote,
    RateRequest, ShipmentRequest,
};

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

/// Why a Delhivery answer could not become a unified value. The HTTP layer (`mod.rs`)
/// turns it into a [`CarrierError`], adding the status code the wire types never see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// Delhivery understood the request and said no (its words, our stable code).
    Refused { code: String, message: String },
    /// The answer does not follow Delhivery's format.
    Malformed(String),
}

impl WireError {
    pub fn refused(code: impl Into<String>, message: impl Into<String>) -> Self {
        WireError::Refused {
            code: code.into(),
            message: message.into(),
        }
    }

    pub fn into_carrier_error(self, http_status: u16) -> CarrierError {
        match self {
            WireError::Refused { code, message } => {
                CarrierError::rejected(code, message, http_status)
            }
            WireError::Malformed(detail) => CarrierError::BadResponse(detail),
        }
    }
}

/// Delhivery writes timestamps in India Standard Time, without a zone.
pub use crate::kit::time::IST;

/// The currency of every Delhivery amount: Delhivery B2C bills Indian accounts in rupees.
pub fn currency() -> Currency {
    Currency::inr()
}

/// Writes a UTC instant the way Delhivery does: IST wall time, no zone, milliseconds with
/// trailing zeros dropped (`…:25.57`, and no fraction at all on a whole second).
pub fn format_ist(time: DateTime<Utc>) -> String {
    let text = IST.format(time, "%Y-%m-%dT%H:%M:%S%.3f");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Rupees as Delhivery writes them (`123.9`, `"760.95"`), exactly.
fn money_from_json(value: &Value) -> Option<Money> {
    lenient::money(value, currency())
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// Delhivery's create endpoint chokes on `& % # ; \` in values ("Unterminated string…",
/// error-remarks.csv) even when they are properly form-encoded, so free text is cleaned
/// before it is sent rather than rejected after a round trip.
pub fn clean_text(text: &str) -> String {
    let replaced = text.replace('&', " and ");
    let mapped: String = replaced
        .chars()
        .map(|c| {
            if matches!(c, '%' | '#' | ';' | '\\') || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------

/// The two Delhivery B2C products shipgate offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Surface,
    Express,
}

impl Service {
    pub const ALL: [Service; 2] = [Service::Surface, Service::Express];

    /// shipgate's service code, as quoted and as accepted back on booking.
    pub fn code(self) -> &'static str {
        match self {
            Service::Surface => "surface",
            Service::Express => "express",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Service::Surface => "Delhivery Surface",
            Service::Express => "Delhivery Express",
        }
    }

    /// `shipping_mode` on create.
    pub fn shipping_mode(self) -> &'static str {
        match self {
            Service::Surface => "Surface",
            Service::Express => "Express",
        }
    }

    /// `md` (billing mode) on the charges API.
    pub fn billing_mode(self) -> &'static str {
        match self {
            Service::Surface => "S",
            Service::Express => "E",
        }
    }

    /// Reads a requested service; none means Surface, Delhivery's default product. Any
    /// other service is one Delhivery never offers: a permanent refusal
    /// ([`CarrierError::Unsupported`]), not a call to try again.
    pub fn from_code(code: Option<&str>) -> Result<Service, CarrierError> {
        match code.map(|c| c.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("surface") => Ok(Service::Surface),
            Some("express") => Ok(Service::Express),
            Some(other) => {
                tracing::debug!(service = other, "not a Delhivery service");
                Err(CarrierError::Unsupported(
                    "a service other than `surface` or `express`",
                ))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Create: POST /api/cmu/create.json, form body `format=json&data=<json>`
// ---------------------------------------------------------------------------------------

/// The JSON document carried in the `data` field of the create form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelhiveryCreateRequest {
    pub shipments: Vec<DelhiveryShipment>,
    pub pickup_location: DelhiveryPickupLocation,
}

/// The registered warehouse the parcel is picked up from. Only `name` is the join key:
/// Delhivery looks the rest up from its own warehouse record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelhiveryPickupLocation {
    pub name: String,
}

/// One package. Amounts are decimal rupee strings (exact, and accepted by Delhivery as
/// in the 2017 capture); weight is grams, the unit of the docs' MPS sample and of the
/// charges API's `cgm`; dimensions are centimetres.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelhiveryShipment {
    pub name: String,
    pub add: String,
    pub pin: String,
    pub city: String,
    pub state: String,
    pub country: String,
    pub phone: String,
    /// The client reference: shipgate's shipment id, so a booking whose answer was lost
    /// can be found again with `ref_ids=`.
    pub order: String,
    /// `Prepaid` or `COD`.
    pub payment_mode: String,
    pub products_desc: String,
    pub cod_amount: String,
    pub total_amount: String,
    pub quantity: u32,
    pub weight: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shipment_length: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shipment_width: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shipment_height: Option<f64>,
    /// `Surface` or `Express`.
    pub shipping_mode: String,
    /// Empty: Delhivery allocates the waybill.
    pub waybill: String,
    pub return_name: String,
    pub return_add: String,
    pub return_city: String,
    pub return_state: String,
    pub return_pin: String,
    pub return_phone: String,
    pub return_country: String,
}

/// What a create request is built from.
pub struct CreateInput<'a> {
    pub shipment_id: &'a str,
    pub request: &'a ShipmentRequest,
    pub pickup_location: &'a str,
}

/// Longest `order` Delhivery accepts ("oid does not pass the validator", error-remarks.csv).
const MAX_ORDER_LEN: usize = 50;

fn country_name(code: &str) -> &str {
    if code.eq_ignore_ascii_case("IN") {
        "India"
    } else {
        code
    }
}

impl TryFrom<CreateInput<'_>> for DelhiveryCreateRequest {
    type Error = CarrierError;

    fn try_from(input: CreateInput<'_>) -> Result<Self, CarrierError> {
        let req = input.request;
        // What Delhivery can never book is refused for good (422 carrier_unsupported at
        // the API, and the next carrier for `carrier: auto`), not as a call to retry.
        // Delhivery B2C ships within India only.
        if req.to.country != "IN" || req.from.country != "IN" {
            return Err(CarrierError::Unsupported("international shipping"));
        }
        let order = input.shipment_id;
        if order.is_empty()
            || order.len() > MAX_ORDER_LEN
            || !order
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_/.:".contains(c))
        {
            tracing::warn!(
                shipment_id = order,
                "shipment id cannot be Delhivery's order reference"
            );
            return Err(CarrierError::Unsupported(
                "an order reference (the shipment id) other than 1 to 50 letters, digits \
                 and - _ / . :",
            ));
        }
        let service = Service::from_code(req.service.as_deref())?;
        let (payment_mode, cod_amount) = match &req.payment {
            Payment::Prepaid => ("Prepaid", "0".to_string()),
            Payment::Cod { cod_amount } => ("COD", cod_amount.to_major_string()),
        };
        let total_amount = req
            .declared_value()
            .or_else(|| req.payment.cod_amount().cloned())
            .map(|m| m.to_major_string())
            .unwrap_or_else(|| "0".to_string());
        let parcel = req.parcels.first();
        let (to, from) = (&req.to, &req.from);
        let shipment = DelhiveryShipment {
            name: clean_text(&to.name),
            add: clean_text(&to.street()),
            pin: to.postal_code.as_str().to_string(),
            city: clean_text(&to.city),
            state: clean_text(to.state.as_deref().unwrap_or_default()),
            country: country_name(&to.country).to_string(),
            phone: to.phone.national().to_string(),
            order: order.to_string(),
            payment_mode: payment_mode.to_string(),
            products_desc: clean_text(&req.description()),
            cod_amount,
            total_amount,
            quantity: 1,
            weight: req.total_weight_g(),
            shipment_length: parcel.and_then(|p| p.length_mm).map(units::cm),
            shipment_width: parcel.and_then(|p| p.width_mm).map(units::cm),
            shipment_height: parcel.and_then(|p| p.height_mm).map(units::cm),
            shipping_mode: service.shipping_mode().to_string(),
            waybill: String::new(),
            // RTOs go back to the shipper the OMS named, not only to the warehouse's
            // registered return address.
            return_name: clean_text(&from.name),
            return_add: clean_text(&from.street()),
            return_city: clean_text(&from.city),
            return_state: clean_text(from.state.as_deref().unwrap_or_default()),
            return_pin: from.postal_code.as_str().to_string(),
            return_phone: from.phone.national().to_string(),
            return_country: country_name(&from.country).to_string(),
        };
        Ok(DelhiveryCreateRequest {
            shipments: vec![shipment],
            pickup_location: DelhiveryPickupLocation {
                name: input.pickup_location.to_string(),
            },
        })
    }
}

impl DelhiveryCreateRequest {
    /// The form fields, in the order of the real capture: `format=json&data=<json>`.
    pub fn form_fields(&self) -> Result<Vec<(&'static str, String)>, CarrierError> {
        let data = serde_json::to_string(self)
            .map_err(|e| CarrierError::NotSent(format!("could not encode shipment: {e}")))?;
        Ok(vec![("format", "json".to_string()), ("data", data)])
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DelhiveryCreateResponse {
    #[serde(default, deserialize_with = "lenient::flag")]
    pub success: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub upload_wbn: Option<String>,
    #[serde(default)]
    pub packages: Vec<DelhiveryPackage>,
    /// Account-level remark on failure ("ClientWarehouse matching query does not exist.").
    #[serde(default, deserialize_with = "lenient::string")]
    pub rmk: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DelhiveryPackage {
    #[serde(default, deserialize_with = "lenient::string")]
    pub waybill: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub refnum: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub client: Option<String>,
    /// `Success` or `Fail`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub sort_code: Option<String>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub serviceable: Option<bool>,
    #[serde(default)]
    pub remarks: Value,
}

impl DelhiveryPackage {
    /// Non-empty remarks joined: a list of strings in every capture, but a bare string
    /// costs nothing to accept.
    pub fn remarks_text(&self) -> Option<String> {
        let parts: Vec<&str> = match &self.remarks {
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            Value::String(s) => vec![s.as_str()],
            _ => Vec::new(),
        };
        let parts: Vec<&str> = parts
            .into_iter()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    fn booked_waybill(&self) -> Option<&str> {
        let ok = self
            .status
            .as_deref()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("success"));
        ok.then(|| non_empty(self.waybill.as_deref())).flatten()
    }
}

/// Stable codes for create refusals. Delhivery has no error codes, only remarks
/// (error-remarks.csv); these let the gateway act on a few of them — above all
/// `duplicate_order_id`, which means an earlier attempt with this shipment id may have
/// booked an AWB and must be reconciled with a lookup, not re-booked.
pub fn classify_create_remark(remark: &str) -> &'static str {
    let r = remark.to_ascii_lowercase();
    const RULES: [(&str, &str); 21] = [
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
    if r.contains("no attribute 'end_date'") {
        // A production token used on staging or the other way round.
        return "environment_mismatch";
    }
    RULES
        .iter()
        .find(|(needle, _)| r.contains(needle))
        .map(|(_, code)| *code)
        .unwrap_or("create_failed")
}

/// A create answer and the service that was asked for (the answer does not repeat it).
impl TryFrom<(DelhiveryCreateResponse, Service)> for CreatedShipment {
    type Error = WireError;

    fn try_from(
        (response, service): (DelhiveryCreateResponse, Service),
    ) -> Result<Self, WireError> {
        // A package with a waybill and status Success was booked, whatever the top-level
        // flag says: losing an allocated AWB is worse than trusting the package line.
        if let Some(package) = response
            .packages
            .iter()
            .find(|p| p.booked_waybill().is_some())
        {
            let awb = package.booked_waybill().unwrap_or_default().to_string();
            let mut carrier_refs = BTreeMap::new();
            if let Some(upload) = non_empty(response.upload_wbn.as_deref()) {
                carrier_refs.insert("upload_wbn".to_string(), upload.to_string());
            }
            if let Some(refnum) = non_empty(package.refnum.as_deref()) {
                carrier_refs.insert("order".to_string(), refnum.to_string());
            }
            if let Some(client) = non_empty(package.client.as_deref()) {
                carrier_refs.insert("client".to_string(), client.to_string());
            }
            return Ok(CreatedShipment {
                awb,
                service: service.code().to_string(),
                carrier_refs,
                routing_code: non_empty(package.sort_code.as_deref()).map(str::to_string),
                // The gateway renders Delhivery labels itself from the sort code.
                labels: Vec::new(),
                charged: None,
            });
        }
        if response.success == Some(true) {
            return Err(WireError::Malformed(
                "Delhivery reported success but returned no waybill".into(),
            ));
        }
        let message = response
            .packages
            .iter()
            .find_map(DelhiveryPackage::remarks_text)
            .or_else(|| non_empty(response.rmk.as_deref()).map(str::to_string))
            .or_else(|| non_empty(response.error.as_deref()).map(str::to_string));
        match message {
            Some(message) => Err(WireError::refused(
                classify_create_remark(&message),
                message,
            )),
            None => Err(WireError::Malformed(
                "create answer has neither a waybill nor a remark".into(),
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Track: GET /api/v1/packages/json/?waybill=…|ref_ids=…&verbose=1, and the push webhook
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DelhiveryTrackResponse {
    #[serde(rename = "ShipmentData", default)]
    pub shipment_data: Option<Vec<DelhiveryShipmentData>>,
    #[serde(rename = "Success", default, deserialize_with = "lenient::flag")]
    pub success: Option<bool>,
    #[serde(rename = "Error", default, deserialize_with = "lenient::string")]
    pub error: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub rmk: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DelhiveryShipmentData {
    #[serde(rename = "Shipment")]
    pub shipment: DelhiveryTrackedShipment,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DelhiveryTrackedShipment {
    #[serde(rename = "AWB", default, deserialize_with = "lenient::string")]
    pub awb: Option<String>,
    #[serde(rename = "ReferenceNo", default, deserialize_with = "lenient::string")]
    pub reference_no: Option<String>,
    /// The client account that booked it: the create answer's `client`
    /// (`c00000-EXAMPLECLIENT-do` in both 2026 captures).
    #[serde(rename = "SenderName", default, deserialize_with = "lenient::string")]
    pub sender_name: Option<String>,
    #[serde(rename = "Status", default)]
    pub status: Option<DelhiveryStatus>,
    /// Absent at `verbose=0`; the full history at `verbose=1` and `2`.
    #[serde(rename = "Scans", default)]
    pub scans: Option<Vec<DelhiveryScan>>,
}

/// `Shipment.Status`: the latest scan (also the whole payload of a push webhook).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DelhiveryStatus {
    #[serde(rename = "Status", default, deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(rename = "StatusType", default, deserialize_with = "lenient::string")]
    pub status_type: Option<String>,
    #[serde(rename = "StatusCode", default, deserialize_with = "lenient::string")]
    pub status_code: Option<String>,
    #[serde(
        rename = "StatusDateTime",
        default,
        deserialize_with = "lenient::string"
    )]
    pub status_date_time: Option<String>,
    #[serde(
        rename = "StatusLocation",
        default,
        deserialize_with = "lenient::string"
    )]
    pub status_location: Option<String>,
    #[serde(rename = "Instructions", default, deserialize_with = "lenient::string")]
    pub instructions: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DelhiveryScan {
    #[serde(rename = "ScanDetail")]
    pub scan_detail: DelhiveryScanDetail,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DelhiveryScanDetail {
    #[serde(rename = "Scan", default, deserialize_with = "lenient::string")]
    pub scan: Option<String>,
    #[serde(rename = "ScanType", default, deserialize_with = "lenient::string")]
    pub scan_type: Option<String>,
    #[serde(rename = "StatusCode", default, deserialize_with = "lenient::string")]
    pub status_code: Option<String>,
    #[serde(rename = "ScanDateTime", default, deserialize_with = "lenient::string")]
    pub scan_date_time: Option<String>,
    #[serde(
        rename = "StatusDateTime",
        default,
        deserialize_with = "lenient::string"
    )]
    pub status_date_time: Option<String>,
    #[serde(
        rename = "ScannedLocation",
        default,
        deserialize_with = "lenient::string"
    )]
    pub scanned_location: Option<String>,
    #[serde(rename = "Instructions", default, deserialize_with = "lenient::string")]
    pub instructions: Option<String>,
}

/// A scan pull or push, reduced to what tracking needs, whichever shape it came in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawScan {
    pub status_type: String,
    pub status: String,
    pub nsl_code: String,
    pub time: String,
    pub location: Option<String>,
    pub instructions: Option<String>,
}

fn text(value: &Option<String>) -> String {
    value
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_string()
}

fn opt_text(value: &Option<String>) -> Option<String> {
    non_empty(value.as_deref()).map(str::to_string)
}

impl From<&DelhiveryScanDetail> for RawScan {
    fn from(d: &DelhiveryScanDetail) -> Self {
        RawScan {
            status_type: text(&d.scan_type),
            status: text(&d.scan),
            nsl_code: text(&d.status_code),
            // StatusDateTime is when the status took effect; ScanDateTime when it was
            // scanned. They are equal in every capture; the status time is the one meant.
            time: opt_text(&d.status_date_time)
                .or_else(|| opt_text(&d.scan_date_time))
                .unwrap_or_default(),
            location: opt_text(&d.scanned_location),
            instructions: opt_text(&d.instructions),
        }
    }
}

impl From<&DelhiveryStatus> for RawScan {
    fn from(s: &DelhiveryStatus) -> Self {
        RawScan {
            status_type: text(&s.status_type),
            status: text(&s.status),
            nsl_code: text(&s.status_code),
            time: text(&s.status_date_time),
            location: opt_text(&s.status_location),
            instructions: opt_text(&s.instructions),
        }
    }
}

impl DelhiveryTrackedShipment {
    /// The scan history oldest first. `Scans` is the history; `Status` repeats the
    /// latest scan, and is the only scan at `verbose=0`, so it is added only when the
    /// history does not already end with it.
    pub fn raw_scans(&self) -> Vec<RawScan> {
        let mut scans: Vec<RawScan> = self
            .scans
            .iter()
            .flatten()
            .map(|s| RawScan::from(&s.scan_detail))
            .collect();
        if let Some(status) = &self.status {
            let latest = RawScan::from(status);
            let known = scans.iter().any(|s| {
                s.time == latest.time && s.nsl_code == latest.nsl_code && s.status == latest.status
            });
            let blank = latest.status_type.is_empty() && latest.status.is_empty();
            if !known && !blank {
                scans.push(latest);
            }
        }
        scans
    }
}

impl DelhiveryTrackedShipment {
    /// Whether this shipment was booked under `reference` (the `order` sent at create).
    /// Compared trimmed and without regard to case; a shipment that does not repeat its
    /// reference cannot be told apart and counts as a match.
    pub fn has_reference(&self, reference: &str) -> bool {
        non_empty(self.reference_no.as_deref())
            .is_none_or(|own| own.eq_ignore_ascii_case(reference.trim()))
    }
}

/// A shipment found by its client reference, described as its create answer would have
/// described it: same AWB and the same `order` / `client` refs (the 2026 captures show
/// `refnum` = `ReferenceNo` and `client` = `SenderName`). Tracking does not repeat the
/// shipping mode, so the service is Delhivery's default, Surface; and it carries no
/// `sort_code` and no destination pincode to ask the pincode API for one, so the routing
/// code stays empty ([`super::Delhivery::routing_code`] recovers it from the pincode).
impl TryFrom<&DelhiveryTrackedShipment> for CreatedShipment {
    type Error = WireError;

    fn try_from(shipment: &DelhiveryTrackedShipment) -> Result<Self, WireError> {
        let awb = non_empty(shipment.awb.as_deref())
            .ok_or_else(|| WireError::Malformed("tracked shipment has no AWB".into()))?;
        let mut carrier_refs = BTreeMap::new();
        if let Some(reference) = non_empty(shipment.reference_no.as_deref()) {
            carrier_refs.insert("order".to_string(), reference.to_string());
        }
        if let Some(client) = non_empty(shipment.sender_name.as_deref()) {
            carrier_refs.insert("client".to_string(), client.to_string());
        }
        Ok(CreatedShipment {
            awb: awb.to_string(),
            service: Service::Surface.code().to_string(),
            carrier_refs,
            routing_code: None,
            labels: Vec::new(),
            charged: None,
        })
    }
}

/// Codes for tracking refusals. Delhivery answers an unknown waybill with HTTP 200 and
/// `Success:false`; the gateway needs to tell "no such shipment" from other failures.
pub const TRACK_NOT_FOUND: &str = "not_found";
pub const TRACK_ERROR: &str = "track_error";

impl DelhiveryTrackResponse {
    /// The shipments in the answer, or Delhivery's in-body refusal.
    pub fn into_shipments(self) -> Result<Vec<DelhiveryTrackedShipment>, WireError> {
        match self.shipment_data {
            Some(data) if !data.is_empty() => Ok(data.into_iter().map(|d| d.shipment).collect()),
            _ => {
                let message = non_empty(self.error.as_deref())
                    .or_else(|| non_empty(self.rmk.as_deref()))
                    .map(str::to_string);
                match message {
                    Some(message) => {
                        let code = if message.to_ascii_lowercase().contains("does not exist") {
                            TRACK_NOT_FOUND
                        } else {
                            TRACK_ERROR
                        };
                        Err(WireError::refused(code, message))
                    }
                    // `ShipmentData: []` with no error text: nothing known for the query.
                    None if self.shipment_data.is_some() => Err(WireError::refused(
                        TRACK_NOT_FOUND,
                        "Delhivery returned no shipment for the query",
                    )),
                    None => Err(WireError::Malformed(
                        "tracking answer has neither ShipmentData nor an error".into(),
                    )),
                }
            }
        }
    }
}

/// A scan push (`POST /v1/carriers/delhivery/webhooks`): one `Shipment` with the new
/// `Status`, the NSL code beside it as `NSLCode`.
#[derive(Debug, Clone, Deserialize)]
pub struct DelhiveryWebhook {
    #[serde(rename = "Shipment")]
    pub shipment: DelhiveryWebhookShipment,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DelhiveryWebhookShipment {
    #[serde(rename = "AWB", default, deserialize_with = "lenient::string")]
    pub awb: Option<String>,
    #[serde(rename = "ReferenceNo", default, deserialize_with = "lenient::string")]
    pub reference_no: Option<String>,
    #[serde(rename = "NSLCode", default, deserialize_with = "lenient::string")]
    pub nsl_code: Option<String>,
    #[serde(rename = "Sortcode", default, deserialize_with = "lenient::string")]
    pub sort_code: Option<String>,
    #[serde(rename = "Status", default)]
    pub status: Option<DelhiveryStatus>,
}

impl DelhiveryWebhookShipment {
    pub fn raw_scan(&self) -> Option<RawScan> {
        let status = self.status.as_ref()?;
        let mut scan = RawScan::from(status);
        if scan.nsl_code.is_empty() {
            scan.nsl_code = text(&self.nsl_code);
        }
        Some(scan)
    }
}

// ---------------------------------------------------------------------------------------
// Cancel: POST /api/p/edit, JSON in, XML out
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelhiveryCancelRequest {
    pub waybill: String,
    /// The string `"true"`, as in the 2026 production capture.
    pub cancellation: String,
}

impl DelhiveryCancelRequest {
    pub fn new(waybill: &str) -> Self {
        DelhiveryCancelRequest {
            waybill: waybill.to_string(),
            cancellation: "true".to_string(),
        }
    }
}

/// `<root><status>True</status><waybill>…</waybill><order_id>…</order_id><remark>…</remark></root>`
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct DelhiveryCancelResponse {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub waybill: Option<String>,
    #[serde(default)]
    pub order_id: Option<String>,
    #[serde(default)]
    pub remark: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

pub const CANCEL_REFUSED: &str = "cancel_refused";

impl DelhiveryCancelResponse {
    pub fn from_xml(text: &str) -> Result<Self, WireError> {
        quick_xml::de::from_str(text).map_err(|e| {
            let start: String = text.trim().chars().take(80).collect();
            WireError::Malformed(format!(
                "expected Delhivery's XML cancel reply ({e}); got {start:?}"
            ))
        })
    }
}

/// A repeated cancel gets the same `True` answer (2026 capture), so success means
/// "Delhivery holds the shipment as cancelled", not "this call cancelled it".
impl TryFrom<DelhiveryCancelResponse> for CancelOutcome {
    type Error = WireError;

    fn try_from(reply: DelhiveryCancelResponse) -> Result<Self, WireError> {
        let remark = non_empty(reply.remark.as_deref())
            .or_else(|| non_empty(reply.error.as_deref()))
            .map(str::to_string);
        match non_empty(reply.status.as_deref())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("true") => Ok(CancelOutcome {
                carrier_message: remark.unwrap_or_else(|| "Shipment has been cancelled.".into()),
            }),
            Some("false") => Err(WireError::refused(
                CANCEL_REFUSED,
                remark.unwrap_or_else(|| "Delhivery refused the cancellation".into()),
            )),
            _ => Err(WireError::Malformed(
                "cancel reply has no True/False <status>".into(),
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Pincode serviceability: GET /c/api/pin-codes/json/?filter_codes=PIN[,PIN]
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DelhiveryPincodeResponse {
    #[serde(default)]
    pub delivery_codes: Vec<DelhiveryDeliveryCode>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DelhiveryDeliveryCode {
    pub postal_code: DelhiveryPostalCode,
}

/// One serviceable pincode; flags are `"Y"`/`"N"`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DelhiveryPostalCode {
    #[serde(default, deserialize_with = "lenient::string")]
    pub pin: Option<String>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub pre_paid: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub cod: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub pickup: Option<bool>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_oda: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub sort_code: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub district: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub state_code: Option<String>,
}

impl DelhiveryPincodeResponse {
    /// The entry for a pincode; none means Delhivery does not serve it at all (it lists
    /// only serviceable pincodes, so an unknown one simply is not in the answer).
    pub fn find(&self, pin: &str) -> Option<&DelhiveryPostalCode> {
        self.delivery_codes
            .iter()
            .map(|c| &c.postal_code)
            .find(|p| p.pin.as_deref().map(str::trim) == Some(pin.trim()))
    }
}

impl DelhiveryPostalCode {
    /// Whether a parcel paid this way can be delivered here.
    pub fn delivers(&self, payment: &Payment) -> bool {
        match payment {
            Payment::Prepaid => self.pre_paid == Some(true),
            Payment::Cod { .. } => self.cod == Some(true),
        }
    }

    pub fn picks_up(&self) -> bool {
        self.pickup == Some(true)
    }
}

// ---------------------------------------------------------------------------------------
// Charges: GET /api/kinko/v1/invoice/charges/.json
// ---------------------------------------------------------------------------------------

/// Query of the charges API. `cgm` is the chargeable weight in grams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelhiveryChargesRequest {
    pub md: &'static str,
    pub ss: &'static str,
    pub o_pin: String,
    pub d_pin: String,
    pub cgm: u64,
    pub pt: &'static str,
    pub cod: String,
}

/// Volumetric divisor (cm³ per kg) used to compute the chargeable weight sent as `cgm`.
const VOLUMETRIC_DIVISOR_CM3_PER_KG: u64 = 5000;

/// Dead weight or volumetric weight, whichever is larger, per parcel. With the divisor in
/// cm³/kg, volumetric grams are simply mm³ / divisor.
pub fn chargeable_weight_g(req: &RateRequest) -> u64 {
    req.parcels
        .iter()
        .map(|p| {
            let volumetric = p.volume_mm3().unwrap_or(0) / VOLUMETRIC_DIVISOR_CM3_PER_KG;
            u64::from(p.weight_g).max(volumetric)
        })
        .sum()
}

impl TryFrom<(&RateRequest, Service)> for DelhiveryChargesRequest {
    type Error = CarrierError;

    fn try_from((req, service): (&RateRequest, Service)) -> Result<Self, CarrierError> {
        let (pt, cod) = match &req.payment {
            Payment::Prepaid => ("Pre-paid", "0".to_string()),
            Payment::Cod { cod_amount } => ("COD", cod_amount.to_major_string()),
        };
        Ok(DelhiveryChargesRequest {
            md: service.billing_mode(),
            // Price of a delivered parcel (the alternatives price an RTO or a DTO).
            ss: "Delivered",
            o_pin: req.from.postal_code.as_str().to_string(),
            d_pin: req.to.postal_code.as_str().to_string(),
            cgm: chargeable_weight_g(req),
            pt,
            cod,
        })
    }
}

impl DelhiveryChargesRequest {
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("md", self.md.to_string()),
            ("ss", self.ss.to_string()),
            ("d_pin", self.d_pin.clone()),
            ("o_pin", self.o_pin.clone()),
            ("cgm", self.cgm.to_string()),
            ("pt", self.pt.to_string()),
            ("cod", self.cod.clone()),
        ]
    }
}

/// One priced option: `total_amount` (gross plus taxes), `gross_amount`, one
/// `charge_<X>` field per component, and `tax_data` with the GST split.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DelhiveryCharges {
    #[serde(default)]
    pub total_amount: Value,
    #[serde(default)]
    pub gross_amount: Value,
    #[serde(default)]
    pub tax_data: Option<BTreeMap<String, Value>>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub zone: Option<String>,
    #[serde(default)]
    pub charged_weight: Value,
    /// Every other field; the `charge_*` ones are the breakdown.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

fn charge_kind(field: &str) -> ChargeKind {
    match field {
        // DL: the delivery (freight) charge for the weight slab and zone.
        "charge_DL" => ChargeKind::Freight,
        "charge_COD" | "charge_CCOD" => ChargeKind::Cod,
        "charge_FSC" => ChargeKind::FuelSurcharge,
        _ => ChargeKind::Other,
    }
}

fn kind_rank(kind: ChargeKind) -> u8 {
    match kind {
        ChargeKind::Freight => 0,
        ChargeKind::FuelSurcharge => 1,
        ChargeKind::Cod => 2,
        ChargeKind::Other => 3,
        ChargeKind::Tax => 4,
    }
}

impl TryFrom<(DelhiveryCharges, Service)> for RateQuote {
    type Error = WireError;

    fn try_from((charges, service): (DelhiveryCharges, Service)) -> Result<Self, WireError> {
        let total = money_from_json(&charges.total_amount).ok_or_else(|| {
            WireError::Malformed(format!(
                "charges answer has no readable total_amount ({})",
                charges.total_amount
            ))
        })?;
        let mut breakdown = Vec::new();
        for (field, value) in &charges.other {
            if !field.starts_with("charge_") {
                continue;
            }
            let Some(amount) = money_from_json(value) else {
                continue;
            };
            if amount.amount != 0 {
                breakdown.push(Charge {
                    kind: charge_kind(field),
                    label: field.clone(),
                    amount,
                });
            }
        }
        for (tax, value) in charges.tax_data.iter().flatten() {
            if let Some(amount) = money_from_json(value).filter(|m| m.amount != 0) {
                breakdown.push(Charge {
                    kind: ChargeKind::Tax,
                    label: tax.clone(),
                    amount,
                });
            }
        }
        breakdown.sort_by_key(|c| kind_rank(c.kind));
        // Saturating: each line is capped, but an answer may carry any number of lines.
        let lines = breakdown
            .iter()
            .fold(0i64, |sum, c| sum.saturating_add(c.amount.amount));
        if lines != total.amount {
            // Delhivery rounds each line on its own; the total is what it bills.
            tracing::debug!(
                total = total.amount,
                lines,
                "delhivery charge lines do not add up to total_amount"
            );
        }
        Ok(RateQuote {
            carrier: "delhivery".to_string(),
            carrier_account: "delhivery".to_string(),
            service: service.code().to_string(),
            service_name: service.name().to_string(),
            total,
            breakdown,
            estimated_delivery: None,
            transit_days: None,
        })
    }
}

/// The charges API answers a list of priced options, or `{"error": "NSZ"}` (non
/// serviceable zone, staging 2017 capture) in HTTP 200.
pub enum DelhiveryChargesResponse {
    Priced(Vec<DelhiveryCharges>),
    Error(String),
}

/// `NSZ`: Delhivery does not serve the lane; not a failure, just no quote.
pub const CHARGES_NOT_SERVICEABLE: &str = "NSZ";

/// The code of a charges refusal whose `error` is blank: a refusal always names a code.
pub const CHARGES_ERROR: &str = "charges_error";

impl DelhiveryChargesResponse {
    pub fn from_value(value: Value) -> Result<Self, WireError> {
        match value {
            Value::Array(_) => serde_json::from_value(value)
                .map(DelhiveryChargesResponse::Priced)
                .map_err(|e| WireError::Malformed(format!("unreadable charges item: {e}"))),
            Value::Object(ref map) => {
                if let Some(error) = map.get("error").and_then(Value::as_str) {
                    return Ok(DelhiveryChargesResponse::Error(error.trim().to_string()));
                }
                // A single object is accepted as a one-item list.
                serde_json::from_value(value)
                    .map(|one| DelhiveryChargesResponse::Priced(vec![one]))
                    .map_err(|e| WireError::Malformed(format!("unreadable charges answer: {e}")))
            }
            other => Err(WireError::Malformed(format!(
                "expected a list of charges, got {other}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ist_formatting_matches_delhivery() {
        let t = Utc.with_ymd_and_hms(2024, 9, 21, 9, 6, 53).unwrap();
        assert_eq!(format_ist(t), "2024-09-21T14:36:53");
        let t = t + chrono::Duration::milliseconds(570);
        assert_eq!(format_ist(t), "2024-09-21T14:36:53.57");
        assert_eq!(IST.parse(&format_ist(t)), Some(t));
    }

    #[test]
    fn text_is_cleaned_of_characters_delhivery_rejects() {
        assert_eq!(clean_text("A&B; #12 \\ 50%"), "A and B 12 50");
        assert_eq!(clean_text("  line\none "), "line one");
    }

    #[test]
    fn money_reads_numbers_and_strings() {
        assert_eq!(
            money_from_json(&serde_json::json!(123.9)).unwrap().amount,
            12390
        );
        assert_eq!(
            money_from_json(&serde_json::json!("760.95"))
                .unwrap()
                .amount,
            76095
        );
        assert_eq!(
            money_from_json(&serde_json::json!(45)).unwrap().amount,
            4500
        );
        assert!(money_from_json(&serde_json::json!(null)).is_none());
    }
}
