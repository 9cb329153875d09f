//! ClickPost's serde types: only the fields the adapter reads or sends. Every answer is
//! an envelope `{"meta": {"status", "success", "message"}, "result": …}` whose
//! `meta.status` is ClickPost's own code (200, 323, 102, 319, 600…), usually inside
//! HTTP 200; numbers arrive as numbers or strings, so the lenient kit types read them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::kit::lenient::{Flag, Loose, Text};

/// `meta`: ClickPost's own status code and words.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostMeta {
    pub status: Loose,
    pub success: Flag,
    pub message: Text,
}

/// Create v3 answers, and the `GET create-order/?reference_number=` lookup, which
/// answers as create does.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostCreateResponse {
    pub meta: ClickPostMeta,
    pub result: Option<ClickPostCreateResult>,
    pub order_id: Loose,
    pub tracking_id: Loose,
    /// The 319 answer names the reference beside `result`, not inside it.
    pub reference_number: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostCreateResult {
    pub waybill: Text,
    pub label: Text,
    pub sort_code: Text,
    pub security_key: Text,
    pub reference_number: Text,
    /// Newer answers name the courier (docs.clickpost.ai); older ones do not.
    pub courier_partner_id: Loose,
    pub courier_name: Text,
    /// Blue Dart's routing (`DestinationArea`/`DestinationLocation`), printed on its label.
    #[serde(rename = "DestinationArea")]
    pub destination_area: Text,
    #[serde(rename = "DestinationLocation")]
    pub destination_location: Text,
}

/// The serviceability APIs (v1 with `shipping_charge`, v2 with `PICKUP`): one entry per
/// courier account serving the lane.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostServiceabilityResponse {
    pub meta: ClickPostMeta,
    /// A list on success; anything else (null, an object) reads as no account.
    pub result: Value,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostAccount {
    pub cp_id: Loose,
    pub account_code: Text,
    pub service_type: Text,
    pub serviceable: ClickPostServiceable,
    pub comitted_sla: Loose,
    /// `{"PREPAID": 52.0, "COD": 87.5}`, nulls or `{}` when the account has no card.
    pub shipping_charge: BTreeMap<String, Loose>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostServiceable {
    #[serde(rename = "PREPAID")]
    pub prepaid: Flag,
    #[serde(rename = "COD")]
    pub cod: Flag,
    #[serde(rename = "PICKUP")]
    pub pickup: Flag,
    #[serde(rename = "EXCHANGE")]
    pub exchange: Flag,
}

/// `GET /api/v2/track-order/`: records keyed by waybill.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostTrackResponse {
    pub meta: ClickPostMeta,
    pub result: BTreeMap<String, ClickPostTrackRecord>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostTrackRecord {
    pub valid: Flag,
    pub latest_status: ClickPostScan,
    pub scans: Vec<ClickPostScan>,
    pub additional: ClickPostTrackAdditional,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostTrackAdditional {
    /// The latest NDR: `ndr_bucket_code` is the `ndr_status_code` table's code.
    pub ndr: ClickPostNdr,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostNdr {
    pub ndr_bucket_code: Loose,
    pub ndr_description: Text,
}

/// A scan, in tracking answers, `latest_status` and pushes alike.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostScan {
    pub clickpost_status_code: Loose,
    pub clickpost_status_description: Text,
    pub clickpost_status_bucket: Loose,
    /// The courier's own status text.
    pub status: Text,
    pub remark: Text,
    pub location: Text,
    pub timestamp: Text,
    /// Repeated in `latest_status` of newer pushes: the order's reference number.
    pub reference_number: Text,
}

/// A webhook push (all-events or selected-events): the scan at the top level, the rest
/// in `additional`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostPush {
    pub waybill: Text,
    pub cp_id: Loose,
    #[serde(flatten)]
    pub scan: ClickPostScan,
    pub additional: ClickPostPushAdditional,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostPushAdditional {
    pub latest_status: ClickPostScan,
    pub ndr_status_code: Loose,
    pub ndr_status_description: Text,
    pub notification_event_id: Loose,
    pub is_rvp: Flag,
    pub order_id: Text,
    pub forward_awb: Text,
}

// --- Requests ------------------------------------------------------------------------

/// Create order v3 (`POST /api/v3/create-order/`).
#[derive(Debug, Clone, Serialize)]
pub struct ClickPostCreateRequest {
    pub pickup_info: ClickPostPickupInfo,
    pub drop_info: ClickPostDropInfo,
    pub shipment_details: ClickPostShipmentDetails,
    pub additional: ClickPostCreateAdditional,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClickPostPickupInfo {
    pub pickup_name: String,
    pub pickup_phone: String,
    pub email: String,
    pub pickup_address: String,
    pub pickup_city: String,
    pub pickup_state: String,
    pub pickup_pincode: String,
    pub pickup_country: String,
    /// ISO time the parcel is ready (`2017-05-20T12:00:00Z` in the docs).
    pub pickup_time: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClickPostDropInfo {
    pub drop_name: String,
    pub drop_phone: String,
    pub drop_email: String,
    pub drop_address: String,
    pub drop_city: String,
    pub drop_state: String,
    pub drop_pincode: String,
    pub drop_country: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClickPostShipmentDetails {
    /// `PREPAID` or `COD`.
    pub order_type: String,
    pub invoice_value: f64,
    pub invoice_number: String,
    pub invoice_date: String,
    /// The order's reference at ClickPost: shipgate's shipment id (what `323` and the
    /// lookup go by).
    pub reference_number: String,
    /// Centimetres.
    pub length: u32,
    pub breadth: u32,
    pub height: u32,
    /// Grams.
    pub weight: u32,
    pub items: Vec<ClickPostItem>,
    pub cod_value: f64,
    pub courier_partner: u32,
    pub account_code: String,
    /// `FORWARD`, or `RVP` for a reverse pickup.
    pub delivery_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rvp_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClickPostItem {
    pub sku: String,
    pub description: String,
    pub quantity: u32,
    pub price: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClickPostCreateAdditional {
    /// Ask for the courier's label link with the AWB.
    pub label: bool,
    /// Synchronous unless the courier itself is asynchronous (then ClickPost answers 102).
    #[serde(rename = "async")]
    pub is_async: bool,
    pub delivery_type: String,
    /// The Slate sample names the account here; docs.clickpost.ai in
    /// `shipment_details`: sent in both.
    pub account_code: String,
    pub return_info: ClickPostReturnInfo,
    pub order_date: String,
}

/// Where an undelivered parcel goes back to.
#[derive(Debug, Clone, Serialize)]
pub struct ClickPostReturnInfo {
    pub name: String,
    pub phone: String,
    pub address: String,
    pub city: String,
    pub state: String,
    pub pincode: String,
    pub country: String,
}

/// One lane asked of the serviceability APIs (a list of these is the body).
#[derive(Debug, Clone, Serialize)]
pub struct ClickPostServiceabilityRequest {
    pub pickup_pincode: String,
    pub drop_pincode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional: Option<ClickPostServiceabilityOptional>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
}

/// v1's optional fields, which make ClickPost price the lane.
#[derive(Debug, Clone, Serialize)]
pub struct ClickPostServiceabilityOptional {
    /// Kilograms (docs.clickpost.ai: "weight of the shipment in kilograms").
    pub weight: f64,
    pub length: u32,
    pub breadth: u32,
    pub height: u32,
    pub invoice_value: f64,
    pub order_type: String,
    pub service_type: String,
}

/// NDR Action Update v2: `REATTEMPT` (with the new details) or `INITIATE_RTO`.
#[derive(Debug, Clone, Serialize)]
pub struct ClickPostNdrRequest {
    pub action: String,
    pub waybill: String,
    pub cp_id: u32,
    pub account_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drop_pincode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_date: Option<String>,
}

/// Pickup Request API (`POST /api/v1/create-pickup/`).
#[derive(Debug, Clone, Serialize)]
pub struct ClickPostPickupRequest {
    pub pickup_date: String,
    pub courier_partner: u32,
    pub items: String,
    pub pickup_pincode: String,
    pub pickup_email: String,
    pub pickup_phone: String,
    pub pickup_name: String,
    pub pickup_city: String,
    pub pickup_state: String,
    pub pickup_address: String,
}

/// The pickup answer's `result`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostPickupResult {
    pub location: Text,
    pub confirmation_number: Text,
}

/// AWB register v2 (`POST /api/v2/tracking/awb-register/`), for an AWB booked outside
/// ClickPost: the key goes in the body, not the query.
#[derive(Debug, Clone, Serialize)]
pub struct ClickPostAwbRegisterRequest {
    pub waybill: String,
    pub cp_id: u32,
    pub key: String,
    pub account_code: String,
    pub shipment_info: ClickPostAwbShipmentInfo,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClickPostAwbShipmentInfo {
    pub reference_number: String,
    pub order_type: String,
    pub drop_pincode: String,
    pub pickup_pincode: String,
    pub delivery_type: String,
}

/// The AWB register answer's `result`: v2 names the tracking id, v3 the security key.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ClickPostAwbRegisterResult {
    pub tracking_id: Loose,
    pub security_key: Text,
}
