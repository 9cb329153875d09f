//! MyDHL API answers, only the fields the adapter reads, in `#[serde(default)]` structs
//! with the kit's lenient types where DHL's types wobble (the samples send
//! `shipmentTrackingNumber` as a number in one answer and a string in another, and
//! `postalCode` as a number).

use serde::Deserialize;
use serde_json::Value;

use crate::kit::lenient::Text;

/// The problem document every MyDHL refusal answers (RFC 7807 style): `status`, `title`,
/// `detail`, sometimes `message` and `additionalDetails`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DhlProblem {
    pub status: Text,
    pub title: Text,
    pub detail: Text,
    pub message: Text,
    #[serde(rename = "additionalDetails")]
    pub additional_details: Vec<Value>,
}

// ---------------------------------------------------------------------------------------
// Rates: POST /rates
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DhlRateResponse {
    pub products: Vec<DhlProduct>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlProduct {
    pub product_name: Text,
    pub product_code: Text,
    pub total_price: Vec<DhlPrice>,
    pub total_price_breakdown: Vec<DhlPriceBreakdown>,
    pub detailed_price_breakdown: Vec<DhlDetailedBreakdown>,
    pub delivery_capabilities: DhlDeliveryCapabilities,
}

/// One total in one currency: `BILLC` (the account's billing currency), `PULCL` (the
/// pickup country's), `BASEC` (DHL's base currency).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlPrice {
    pub currency_type: Text,
    pub price_currency: Text,
    pub price: Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlPriceBreakdown {
    pub currency_type: Text,
    pub price_currency: Text,
    pub price_breakdown: Vec<DhlPriceLine>,
}

/// A total line: `SPRQT` (the net price of the product), `STSCH` (surcharges), `STDIS`
/// (discount), `STTXA` (tax), `FUEL` in DHL's own documentation example.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlPriceLine {
    pub type_code: Text,
    pub price: Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlDetailedBreakdown {
    pub currency_type: Text,
    pub price_currency: Text,
    pub breakdown: Vec<DhlDetailedLine>,
}

/// One charge by name: the product itself (`EXPRESS WORLDWIDE`), `FUEL SURCHARGE`
/// (`serviceCode` `FF`), other surcharges; a tax on it inside `priceBreakdown`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlDetailedLine {
    pub name: Text,
    pub service_code: Text,
    pub price: Value,
    pub price_breakdown: Vec<DhlTaxLine>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlTaxLine {
    pub price_type: Text,
    pub type_code: Text,
    pub price: Value,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlDeliveryCapabilities {
    pub estimated_delivery_date_and_time: Text,
    pub total_transit_days: Text,
}

// ---------------------------------------------------------------------------------------
// Shipments: POST /shipments
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlShipmentResponse {
    pub shipment_tracking_number: Text,
    pub packages: Vec<DhlPackage>,
    pub documents: Vec<DhlDocument>,
    pub shipment_details: Vec<DhlShipmentDetails>,
    pub shipment_charges: Vec<DhlShipmentCharge>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlPackage {
    pub reference_number: Text,
    pub tracking_number: Text,
}

/// A base64 document: `typeCode` `label` (one per piece, `packageReferenceNumber`),
/// `invoice`, `waybillDoc`, `receipt`; `imageFormat` `PDF` or `ZPL`. The proof of
/// delivery names its format `format` (karrio's capture) or `encodingFormat`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlDocument {
    pub image_format: Text,
    pub format: Text,
    pub encoding_format: Text,
    pub content: Text,
    pub type_code: Text,
    pub package_reference_number: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlShipmentDetails {
    pub dhl_routing_code: Text,
    pub destination_service_area: DhlServiceAreaCodes,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlServiceAreaCodes {
    pub service_area_code: Text,
    pub facility_code: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlShipmentCharge {
    pub currency_type: Text,
    pub price_currency: Text,
    pub price: Value,
}

/// `GET /shipments/{awb}/get-image` and `GET /shipments/{awb}/proof-of-delivery`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DhlDocumentsResponse {
    pub documents: Vec<DhlDocument>,
}

// ---------------------------------------------------------------------------------------
// Tracking: GET /shipments/{awb}/tracking, GET /tracking
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DhlTrackingResponse {
    pub shipments: Vec<DhlTrackedShipment>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlTrackedShipment {
    pub shipment_tracking_number: Text,
    pub status: Text,
    pub product_code: Text,
    pub events: Vec<DhlEvent>,
}

/// One checkpoint: a local `date` and `time` at the service area, DHL's offset from GMT
/// for it where given (`GMTOffset`, `+05:30`), the two-letter `typeCode`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DhlEvent {
    pub date: Text,
    pub time: Text,
    #[serde(rename = "GMTOffset")]
    pub gmt_offset: Text,
    #[serde(rename = "typeCode")]
    pub type_code: Text,
    pub description: Text,
    #[serde(rename = "serviceArea")]
    pub service_area: Vec<DhlServiceArea>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DhlServiceArea {
    pub code: Text,
    pub description: Text,
}

// ---------------------------------------------------------------------------------------
// Pickups: POST /pickups, PATCH and DELETE /pickups/{dispatchConfirmationNumber}
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlPickupResponse {
    pub dispatch_confirmation_numbers: Vec<Text>,
    pub next_pickup_date: Text,
    pub ready_by_time: Text,
    pub warnings: Vec<Value>,
}

/// `PATCH /pickups/{dispatchConfirmationNumber}`: one number (DHL's, possibly a new one),
/// where `POST` answers a list.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlPickupUpdateResponse {
    pub dispatch_confirmation_number: Text,
    pub next_pickup_date: Text,
    pub ready_by_time: Text,
    pub warnings: Vec<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlPickupCancelResponse {
    pub dispatch_confirmation_number: Text,
    pub status: Text,
}

// ---------------------------------------------------------------------------------------
// Address validation: GET /address-validate
// ---------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DhlAddressResponse {
    pub warnings: Vec<Value>,
    pub address: Vec<DhlValidAddress>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DhlValidAddress {
    pub postal_code: Text,
    pub city_name: Text,
    pub country_code: Text,
    pub county_name: Text,
    pub service_area: DhlAreaOfAddress,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DhlAreaOfAddress {
    pub code: Text,
    pub description: Text,
}
