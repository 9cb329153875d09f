//! Shiprocket's wire format as serde types: the request bodies shipgate sends and the
//! replies it reads.
//!
//! Shiprocket is a PHP (Laravel) service and its JSON shows it: the same field is a number
//! in one reply and a string in the next (`shipment_id`, pincodes, amounts, `sr-status`),
//! an empty object may arrive as `[]`, errors come back inside HTTP 200 as often as with
//! a 4xx, and every timestamp is India time without a zone. The types are therefore
//! lenient where Shiprocket is loose ([`Loose`], [`Value`]) and strict only where a wrong
//! guess would book or bill the wrong thing.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

pub use crate::kit::lenient::Loose;
use crate::kit::lenient::php_object;
use crate::kit::units;
use crate::schema::{Currency, Money};

/// Every Shiprocket timestamp is India time written without a zone.
pub use crate::kit::time::IST;

/// The currency of every Shiprocket amount: its accounts are Indian and bill in rupees.
pub fn currency() -> Currency {
    Currency::inr()
}

/// Serialises an amount as the decimal rupee number Shiprocket's order form takes.
pub(super) fn rupees<S: Serializer>(paise: &i64, s: S) -> Result<S::Ok, S::Error> {
    if paise % 100 == 0 {
        s.serialize_i64(paise / 100)
    } else {
        s.serialize_f64(*paise as f64 / 100.0)
    }
}

/// Serialises grams as the decimal kilograms Shiprocket's weight fields take.
pub(super) fn kilograms<S: Serializer>(grams: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(units::kg(*grams))
}

/// The error shapes Shiprocket uses: `{message, errors: {field: [..]}, status_code}` with a
/// 4xx, `{status: 404, message}` inside HTTP 200, and `message` sometimes an object of
/// field errors itself. Flattened into every reply that can carry one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShiprocketErrorBody {
    pub message: Option<Value>,
    pub errors: Option<Value>,
    pub status_code: Loose,
    pub status: Loose,
    pub error: Option<Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShiprocketLoginRequest<'a> {
    pub email: &'a str,
    pub password: &'a str,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketLoginResponse {
    pub token: Option<String>,
}

/// The query of `GET /v1/external/courier/serviceability/` (rates and lane checks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiprocketServiceabilityRequest {
    pub pickup_postcode: String,
    pub delivery_postcode: String,
    /// Total dead weight; sent as kilograms.
    pub weight_g: u32,
    pub cod: bool,
    /// Length, breadth, height in cm, only when the single parcel has them: Shiprocket
    /// then prices volumetric weight too.
    pub dimensions_cm: Option<(u32, u32, u32)>,
    pub declared_value: Option<Money>,
}

/// Read in one pass: a real answer lists ~70 fields for each of a dozen couriers, so
/// it is never buffered whole (no `flatten`) nor built as a `Value`. The error fields are
/// read from the body again only when the answer is not a list of couriers.
#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketServiceabilityResponse {
    pub status: Option<Loose>,
    pub currency: Option<String>,
    /// An object with `available_courier_companies`; `[]` (PHP's empty object) is `None`.
    #[serde(default, deserialize_with = "php_object")]
    pub data: Option<ShiprocketServiceabilityData>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShiprocketServiceabilityData {
    pub available_courier_companies: Vec<ShiprocketCourierCompany>,
}

/// One courier Shiprocket offers for the lane (the sample carries ~70 fields; these are
/// the ones a quote needs).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShiprocketCourierCompany {
    pub courier_company_id: Loose,
    pub courier_name: Option<String>,
    /// What Shiprocket will charge for this courier (freight plus COD charges).
    pub rate: Loose,
    pub freight_charge: Loose,
    pub cod_charges: Loose,
    /// `Jul 01, 2024`.
    pub etd: Option<String>,
    pub estimated_delivery_days: Loose,
    pub blocked: Loose,
    /// `1` when the courier collects cash on delivery on this lane.
    pub cod: Loose,
}

/// `POST /v1/external/orders/create/adhoc` (step 1 of 3).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ShiprocketOrderRequest {
    pub order_id: String,
    pub order_date: String,
    pub pickup_location: String,
    pub comment: String,
    pub billing_customer_name: String,
    pub billing_last_name: String,
    pub billing_address: String,
    pub billing_address_2: String,
    pub billing_city: String,
    pub billing_pincode: String,
    pub billing_state: String,
    pub billing_country: String,
    pub billing_email: String,
    pub billing_phone: String,
    pub shipping_is_billing: bool,
    pub order_items: Vec<ShiprocketOrderItem>,
    /// `Prepaid` or `COD`.
    pub payment_method: String,
    #[serde(serialize_with = "rupees")]
    pub shipping_charges: i64,
    #[serde(serialize_with = "rupees")]
    pub giftwrap_charges: i64,
    #[serde(serialize_with = "rupees")]
    pub transaction_charges: i64,
    #[serde(serialize_with = "rupees")]
    pub total_discount: i64,
    /// For COD this is what the courier collects.
    #[serde(serialize_with = "rupees")]
    pub sub_total: i64,
    /// Centimetres.
    pub length: u32,
    pub breadth: u32,
    pub height: u32,
    /// Kilograms on the wire.
    #[serde(serialize_with = "kilograms")]
    pub weight: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ShiprocketOrderItem {
    pub name: String,
    pub sku: String,
    pub units: u32,
    #[serde(serialize_with = "rupees")]
    pub selling_price: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketOrderResponse {
    #[serde(default)]
    pub order_id: Loose,
    #[serde(default)]
    pub shipment_id: Loose,
    /// Order status text (`NEW`); its id is `error.status_code`, flattened below. Read
    /// here so that the error body's `status` is never the order's.
    pub status: Option<Value>,
    #[serde(default)]
    pub awb_code: Loose,
    #[serde(default)]
    pub courier_company_id: Loose,
    pub courier_name: Option<String>,
    #[serde(flatten)]
    pub error: ShiprocketErrorBody,
}

/// `GET /v1/external/orders?search=…` ("Get all Orders"): `data` is a list of orders,
/// each with its shipments as a list (the docs' example; the single-order
/// `orders/show/{id}` has them as one object, which is read too). None found: `data: []`.
#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketOrdersResponse {
    pub data: Option<Value>,
    #[serde(flatten)]
    pub error: ShiprocketErrorBody,
}

/// One listed order, reduced to what finding a booking needs (the docs' example carries
/// some thirty fields more: customer, products, activities…).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShiprocketListedOrder {
    /// Shiprocket's order id.
    pub id: Loose,
    /// The `order_id` sent at create: shipgate's shipment id.
    pub channel_order_id: Loose,
    /// Order status id (`[codes.order_status]`: 1 NEW, 5 CANCELED…).
    pub status_code: Loose,
    pub shipments: Option<Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShiprocketListedShipment {
    pub id: Loose,
    /// `""` (or null) until an AWB is assigned.
    pub awb: Loose,
    /// The courier's name (`""` before assignment); the list carries no courier id.
    pub courier: Option<String>,
}

/// `POST /v1/external/courier/assign/awb` (step 2 of 3).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ShiprocketAssignAwbRequest {
    pub shipment_id: String,
    /// Absent: Shiprocket picks the courier by the account's priority rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub courier_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketAssignAwbResponse {
    pub awb_assign_status: Option<Loose>,
    pub response: Option<ShiprocketAssignEnvelope>,
    #[serde(flatten)]
    pub error: ShiprocketErrorBody,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketAssignEnvelope {
    /// An object on success; Shiprocket has been seen to put a bare message here too.
    pub data: Option<Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShiprocketAssignData {
    pub awb_code: Loose,
    pub courier_company_id: Loose,
    pub courier_name: Option<String>,
    pub routing_code: Option<String>,
    pub awb_assign_error: Option<String>,
}

/// `POST /v1/external/courier/generate/label` (step 3 of 3).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ShiprocketLabelRequest {
    /// Always an array, even for one shipment (a bare id is refused with 422).
    pub shipment_id: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketLabelResponse {
    pub label_created: Option<Loose>,
    pub label_url: Option<String>,
    pub response: Option<String>,
    #[serde(flatten)]
    pub error: ShiprocketErrorBody,
}

/// `POST /v1/external/orders/cancel/shipment/awbs`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ShiprocketCancelAwbsRequest {
    pub awbs: Vec<String>,
}

/// `POST /v1/external/orders/cancel`: cancels orders by Shiprocket order id, for an order
/// that never got an AWB.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ShiprocketCancelOrdersRequest {
    pub ids: Vec<String>,
}

/// The `tracking_data` of `GET /v1/external/courier/track/awb/{awb}` and
/// `/track/shipment/{id}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShiprocketTrackingData {
    pub track_status: Loose,
    /// A tracking status id (`[codes.sr_status]`).
    pub shipment_status: Loose,
    pub shipment_track: Option<Vec<ShiprocketShipmentTrack>>,
    pub shipment_track_activities: Option<Vec<ShiprocketTrackActivity>>,
    /// "Aahh! There is no activities found in our DB…" when nothing was scanned yet.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShiprocketShipmentTrack {
    pub awb_code: Loose,
    pub courier_company_id: Loose,
    pub current_status: Option<String>,
}

/// One scan. `status` is the courier's own code (Delhivery NSL codes for Delhivery…),
/// `sr-status` Shiprocket's tracking status id or "NA" when Shiprocket did not classify
/// the scan.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShiprocketTrackActivity {
    pub date: Option<String>,
    pub status: Loose,
    pub activity: Option<String>,
    pub location: Option<String>,
    #[serde(rename = "sr-status")]
    pub sr_status: Loose,
    #[serde(rename = "sr-status-label")]
    pub sr_status_label: Option<String>,
}

/// A tracking push to the webhook URL configured in the Shiprocket panel.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShiprocketWebhook {
    pub awb: Loose,
    pub current_status: Option<String>,
    /// An order status id (`[codes.order_status]`).
    pub current_status_id: Loose,
    pub shipment_status: Option<String>,
    /// A tracking status id (`[codes.sr_status]`).
    pub shipment_status_id: Loose,
    /// `23 05 2023 11:43:52` (day month year, IST).
    pub current_timestamp: Option<String>,
    pub scans: Vec<ShiprocketTrackActivity>,
    /// The channel order id: shipgate's shipment id, sent at booking.
    pub order_id: Loose,
    /// The courier's product ("Delhivery Surface"), whose own codes the scans carry.
    pub courier_name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_reads_numbers_and_strings_alike() {
        let v: Vec<Loose> = serde_json::from_str(r#"["42", 42, 123.9, null, "NA"]"#).unwrap();
        assert_eq!(v[0], v[1]);
        assert_eq!(v[2].money(currency()).unwrap().amount, 12390);
        assert_eq!(v[3].known(), None);
        assert_eq!(v[4].known(), None);
    }
}

// NDR instruction: POST /v1/external/ndr/{awb}/action, answered 202
// `{"status": "Data Updated Sucessfully"}` (sic, the docs' sample).

/// The docs' fields: `action` (`re-attempt`, `return`; `fake-attempt` is not sent),
/// `comments` (required), and for a re-attempt `phone`, `address1`, `address2` and
/// `deferred_date` (`YYYY-MM-DD`, stored as the preferred delivery date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiprocketNdrActionRequest {
    pub action: String,
    pub comments: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deferred_date: Option<String>,
}

/// The answer: `status` says it in words.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShiprocketNdrActionResponse {
    pub status: Loose,
    pub message: Option<Value>,
}
