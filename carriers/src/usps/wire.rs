//! USPS APIs v3 wire types: only the fields the adapter sends or reads. Answers are read
//! leniently (`#[serde(default)]`, numbers or strings through [`Loose`]), since USPS's
//! own examples write the same field as a number in one API and a string in another.

use serde::{Deserialize, Serialize};

use crate::kit::lenient::{Loose, Text};

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

/// An address as the Labels, Pickup and SCAN Form APIs take it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UspsAddress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firm: Option<String>,
    pub street_address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_address: Option<String>,
    pub city: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(rename = "ZIPCode")]
    pub zip_code: String,
    #[serde(rename = "ZIPPlus4", skip_serializing_if = "Option::is_none")]
    pub zip_plus4: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Labels only: whether USPS may print a label for an address it cannot match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignore_bad_address: Option<bool>,
}

/// `POST /shipments/v3/options/search`: every mail class eligible for the package.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsOptionsRequest {
    #[serde(rename = "originZIPCode")]
    pub origin_zip: String,
    /// Domestic: the destination ZIP Code.
    #[serde(rename = "destinationZIPCode", skip_serializing_if = "Option::is_none")]
    pub destination_zip: Option<String>,
    /// International: the destination country (ISO alpha-2) and its postal code, as
    /// USPS's international options answer echoes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_country_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foreign_postal_code: Option<String>,
    pub destination_entry_facility_type: &'static str,
    pub package_description: UspsPackage,
    pub pricing_options: Vec<UspsPricingOption>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsPackage {
    /// Pounds.
    pub weight: f64,
    /// Inches.
    pub length: f64,
    pub width: f64,
    pub height: f64,
    pub mailing_date: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsPricingOption {
    pub price_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_account: Option<UspsPaymentAccount>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsPaymentAccount {
    pub account_type: String,
    pub account_number: String,
}

/// `POST /labels/v3/label`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsLabelRequest {
    pub image_info: UspsImageInfo,
    pub to_address: UspsAddress,
    pub from_address: UspsAddress,
    pub package_description: UspsLabelPackage,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsImageInfo {
    pub image_type: &'static str,
    pub label_type: &'static str,
    pub receipt_option: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsLabelPackage {
    pub mail_class: String,
    pub rate_indicator: &'static str,
    pub weight_u_o_m: &'static str,
    pub weight: f64,
    pub dimensions_u_o_m: &'static str,
    pub length: f64,
    pub width: f64,
    pub height: f64,
    pub processing_category: &'static str,
    pub mailing_date: String,
    pub destination_entry_facility_type: &'static str,
    pub customer_reference: Vec<UspsCustomerReference>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsCustomerReference {
    pub reference_number: String,
    pub print_reference_number: bool,
}

/// `POST /international-labels/v3/international-label`: one parcel abroad with its
/// customs declaration (PS Form 2976 / 2976-A, printed with the label).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsIntlLabelRequest {
    pub image_info: UspsImageInfo,
    pub to_address: UspsForeignAddress,
    pub from_address: UspsAddress,
    pub sender_address: UspsAddress,
    pub package_description: UspsLabelPackage,
    pub customs_form: UspsCustomsForm,
}

/// An address abroad as the International Labels API takes it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsForeignAddress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    pub street_address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_address: Option<String>,
    pub city: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    pub postal_code: String,
    /// The country's name, as USPS prints it.
    pub country: String,
    #[serde(rename = "countryISOAlpha2Code")]
    pub country_iso_alpha2_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UspsCustomsForm {
    #[serde(rename = "contentComments", skip_serializing_if = "Option::is_none")]
    pub content_comments: Option<String>,
    /// The AES Internal Transaction Number, or the exemption (`NOEEI 30.37(a)`).
    #[serde(rename = "AESITN")]
    pub aes_itn: String,
    #[serde(rename = "invoiceNumber", skip_serializing_if = "Option::is_none")]
    pub invoice_number: Option<String>,
    #[serde(rename = "customsContentType")]
    pub customs_content_type: &'static str,
    pub contents: Vec<UspsCustomsItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UspsCustomsItem {
    #[serde(rename = "itemDescription")]
    pub item_description: String,
    #[serde(rename = "itemQuantity")]
    pub item_quantity: u32,
    /// USD per unit.
    #[serde(rename = "itemValue")]
    pub item_value: f64,
    #[serde(rename = "itemTotalValue")]
    pub item_total_value: f64,
    #[serde(rename = "weightUOM")]
    pub weight_uom: &'static str,
    /// Pounds per unit.
    #[serde(rename = "itemWeight")]
    pub item_weight: f64,
    #[serde(rename = "itemTotalWeight")]
    pub item_total_weight: f64,
    #[serde(rename = "HSTariffNumber")]
    pub hs_tariff_number: String,
    #[serde(rename = "countryofOrigin")]
    pub country_of_origin: String,
}

/// `POST /payments/v3/payment-authorization`: who pays and who owns the labels.
#[derive(Debug, Clone, Serialize)]
pub struct UspsPaymentAuthorizationRequest {
    pub roles: Vec<UspsRole>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsRole {
    pub role_name: &'static str,
    #[serde(rename = "CRID")]
    pub crid: String,
    #[serde(rename = "MID")]
    pub mid: String,
    #[serde(rename = "manifestMID", skip_serializing_if = "Option::is_none")]
    pub manifest_mid: Option<String>,
    pub account_type: String,
    pub account_number: String,
}

/// `POST /pickup/v3/carrier-pickup`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsPickupRequest {
    pub pickup_date: String,
    pub pickup_address: UspsPickupAddress,
    pub packages: Vec<UspsPickupPackage>,
    /// Pounds, all parcels together.
    pub estimated_weight: f64,
    pub pickup_location: UspsPickupLocation,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsPickupAddress {
    pub first_name: String,
    pub last_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firm: Option<String>,
    pub address: UspsAddress,
    pub contact: Vec<UspsContact>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UspsContact {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsPickupPackage {
    pub package_type: &'static str,
    pub package_count: u32,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsPickupLocation {
    pub package_location: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub special_instructions: Option<String>,
}

/// `POST /scan-forms/v3/scan-form`, the PS Form 5630 flavour (labels already printed).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsScanFormRequest {
    pub form: &'static str,
    pub image_type: &'static str,
    pub label_type: &'static str,
    pub mailing_date: String,
    pub overwrite_mailing_date: bool,
    #[serde(rename = "entryFacilityZIPCode")]
    pub entry_facility_zip: String,
    pub destination_entry_facility_type: &'static str,
    pub shipment: UspsScanShipment,
    pub from_address: UspsAddress,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UspsScanShipment {
    pub tracking_numbers: Vec<String>,
}

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

/// USPS's error document (every v3 API): `{"apiVersion", "error": {"code", "message",
/// "errors": [{"status", "code", "title", "detail", "source"}]}}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UspsErrorResponse {
    pub error: Option<UspsError>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UspsError {
    pub code: Option<Loose>,
    pub message: Text,
    pub errors: Vec<UspsErrorItem>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UspsErrorItem {
    pub code: Option<Loose>,
    pub title: Text,
    pub detail: Text,
}

/// The shipping options answer: per pricing option, per mail class, its rate options.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsOptionsResponse {
    pub pricing_options: Vec<UspsPricingAnswer>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsPricingAnswer {
    pub shipping_options: Vec<UspsShippingOption>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsShippingOption {
    pub mail_class: Text,
    pub rate_options: Vec<UspsRateOption>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsRateOption {
    pub commitment: Option<UspsCommitment>,
    pub total_price: Option<Loose>,
    pub total_base_price: Option<Loose>,
    pub rates: Vec<UspsRate>,
    pub extra_services: Vec<UspsFee>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsCommitment {
    pub name: Text,
    pub schedule_delivery_date: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsRate {
    pub description: Text,
    pub price: Option<Loose>,
    pub zone: Option<Loose>,
    pub fees: Vec<UspsFee>,
    pub product_name: Text,
    pub rate_indicator: Text,
    pub processing_category: Text,
    #[serde(rename = "SKU")]
    pub sku: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UspsFee {
    pub name: Text,
    pub price: Option<Loose>,
}

/// The label metadata (the `labelMetadata` part of the multipart answer, or the field of
/// the JSON answer).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsLabelMetadata {
    pub tracking_number: Text,
    /// An international label's number (`LZ123456789US`).
    pub international_tracking_number: Text,
    pub routing_information: Text,
    pub postage: Option<Loose>,
    pub zone: Option<Loose>,
    pub commitment: Option<UspsCommitment>,
    pub extra_services: Vec<UspsFee>,
    pub fees: Vec<UspsFee>,
    #[serde(rename = "SKU")]
    pub sku: Text,
}

/// The JSON flavour of the label answer (`Accept: application/vnd.usps.labels+json`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsLabelJson {
    pub label_metadata: Option<UspsLabelMetadata>,
    pub label_image: Text,
    /// A return label's (its own call, or one booked with an outbound label).
    pub return_label_metadata: Option<UspsLabelMetadata>,
    pub return_label_image: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsPaymentAuthorizationResponse {
    pub payment_authorization_token: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsCancelResponse {
    pub tracking_number: Text,
    pub status: Text,
}

/// `GET /tracking/v3/tracking/{trackingNumber}?expand=DETAIL`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsTrackResponse {
    pub tracking_number: Text,
    #[serde(rename = "destinationState")]
    pub destination_state: Text,
    pub status: Text,
    pub status_category: Text,
    pub tracking_events: Vec<UspsTrackingEvent>,
    /// Per-item errors when several numbers are tracked at once.
    pub error: Option<UspsError>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsTrackingEvent {
    pub event_type: Text,
    /// Local wall time at the scan, without an offset.
    pub event_timestamp: Text,
    /// The same instant in UTC (`…Z`), where USPS gives it.
    #[serde(rename = "GMTTimestamp")]
    pub gmt_timestamp: Text,
    /// The local offset at the scan (`-05:00`), where USPS gives it.
    #[serde(rename = "GMTOffset")]
    pub gmt_offset: Text,
    pub event_city: Text,
    pub event_state: Text,
    #[serde(rename = "eventZIP")]
    pub event_zip: Text,
    pub event_country: Text,
    pub event_code: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsPickupResponse {
    pub confirmation_number: Text,
    pub pickup_date: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UspsScanFormResponse {
    #[serde(rename = "SCANFormMetadata")]
    pub metadata: Option<UspsScanFormMetadata>,
    #[serde(rename = "SCANFormImage")]
    pub image: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsScanFormMetadata {
    pub manifest_number: Text,
    pub tracking_numbers: Vec<String>,
}

/// `GET /addresses/v3/address`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsAddressResponse {
    pub firm: Text,
    pub address: Option<UspsStandardAddress>,
    pub additional_info: Option<UspsAddressInfo>,
    pub corrections: Vec<UspsNote>,
    pub matches: Vec<UspsNote>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UspsStandardAddress {
    pub street_address: Text,
    pub secondary_address: Text,
    pub city: Text,
    pub state: Text,
    #[serde(rename = "ZIPCode")]
    pub zip_code: Text,
    #[serde(rename = "ZIPPlus4")]
    pub zip_plus4: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UspsAddressInfo {
    /// Delivery Point Validation: `Y` confirmed, `D` the secondary (unit) is missing,
    /// `S` the secondary given is not confirmed, `N` not deliverable.
    #[serde(rename = "DPVConfirmation")]
    pub dpv_confirmation: Text,
    /// `Y` a business address, `N` residential.
    pub business: Text,
    pub vacant: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UspsNote {
    pub code: Text,
    pub text: Text,
}
