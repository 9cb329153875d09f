//! FedEx REST API answers, only the fields the adapter reads. Every struct is
//! `#[serde(default)]` and numbers are [`Loose`], since FedEx's own examples send amounts
//! both as numbers and as strings (`"amount": "string"` in the ship answer's surcharges).

use serde::Deserialize;

use crate::kit::lenient::{Flag, Loose, Text};

/// The error shape every FedEx API shares: `{"transactionId", "errors": [{code, message}]}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FedexErrors {
    pub transaction_id: Text,
    pub errors: Vec<FedexError>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FedexError {
    pub code: Text,
    pub message: Text,
}

// ------------------------------------------------------------------------------ rates

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RateResponse {
    pub output: RateOutput,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RateOutput {
    pub rate_reply_details: Vec<RateReplyDetail>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RateReplyDetail {
    pub service_type: Text,
    pub service_name: Text,
    pub commit: Commit,
    pub operational_detail: OperationalDetail,
    pub rated_shipment_details: Vec<RatedShipmentDetail>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Commit {
    pub date_detail: DateDetail,
    pub transit_days: TransitDays,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DateDetail {
    /// `2024-07-25T23:59:00`: the committed delivery date and time, local.
    pub day_format: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TransitDays {
    /// `FOUR_DAYS`.
    pub minimum_transit_time: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OperationalDetail {
    pub delivery_date: Text,
    pub transit_time: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RatedShipmentDetail {
    /// `ACCOUNT` (the account's negotiated rate), `LIST`, `PREFERRED_CURRENCY`…
    pub rate_type: Text,
    pub total_base_charge: Loose,
    pub total_discounts: Loose,
    pub total_net_charge: Loose,
    pub currency: Text,
    pub shipment_rate_detail: ShipmentRateDetail,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ShipmentRateDetail {
    pub currency: Text,
    /// Spelt `surCharges` in the rate answer.
    #[serde(alias = "surcharges")]
    pub sur_charges: Vec<Surcharge>,
    pub taxes: Vec<Surcharge>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Surcharge {
    #[serde(rename = "type", alias = "surchargeType")]
    pub kind: Text,
    pub description: Text,
    pub amount: Loose,
}

// ------------------------------------------------------------------------------- ship

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShipResponse {
    pub output: ShipOutput,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ShipOutput {
    pub transaction_shipments: Vec<TransactionShipment>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TransactionShipment {
    pub master_tracking_number: Text,
    pub service_type: Text,
    pub shipment_documents: Vec<ShipDocument>,
    pub piece_responses: Vec<PieceResponse>,
    pub completed_shipment_detail: CompletedShipmentDetail,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PieceResponse {
    pub tracking_number: Text,
    pub master_tracking_number: Text,
    pub net_charge_amount: Loose,
    pub package_documents: Vec<ShipDocument>,
}

/// A label or a shipping document, base64 in `encodedLabel` (with `labelResponseOptions:
/// LABEL`) or a link in `url` (with `URL_ONLY`).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ShipDocument {
    /// `LABEL`, `COMMERCIAL_INVOICE`, `MERGED_LABEL_DOCUMENTS`…
    pub content_type: Text,
    /// `PDF`, `ZPLII`, `PNG`…
    pub doc_type: Text,
    pub encoded_label: Text,
    pub url: Text,
    pub tracking_number: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CompletedShipmentDetail {
    pub master_tracking_id: TrackingId,
    pub operational_detail: CompletedOperationalDetail,
    pub shipment_rating: ShipmentRating,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrackingId {
    pub tracking_number: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CompletedOperationalDetail {
    /// The FedEx routing code printed on the label (`XH` `Ga` in the docs' example).
    pub ursa_prefix_code: Text,
    pub ursa_suffix_code: Text,
    pub airport_id: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ShipmentRating {
    pub shipment_rate_details: Vec<RatedCharge>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RatedCharge {
    pub total_net_charge: Loose,
    pub currency: Text,
}

// ----------------------------------------------------------------------------- cancel

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CancelResponse {
    pub output: CancelOutput,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CancelOutput {
    pub cancelled_shipment: Flag,
    pub success_message: Text,
    pub message: Text,
}

// ------------------------------------------------------------------------------ track

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrackResponse {
    pub output: TrackOutput,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrackOutput {
    pub complete_track_results: Vec<CompleteTrackResult>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CompleteTrackResult {
    pub tracking_number: Text,
    pub track_results: Vec<TrackResult>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrackResult {
    pub tracking_number_info: TrackingNumberInfo,
    pub error: Option<FedexError>,
    pub latest_status_detail: StatusDetail,
    pub scan_events: Vec<ScanEvent>,
    pub additional_tracking_info: AdditionalTrackingInfo,
    pub date_and_times: Vec<DateAndTime>,
    pub service_detail: ServiceDetail,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrackingNumberInfo {
    pub tracking_number: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct StatusDetail {
    pub code: Text,
    pub derived_code: Text,
    pub description: Text,
    pub scan_location: Location,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ScanEvent {
    /// ISO 8601 with the offset of the scan's place (`2024-04-26T07:50:00-07:00`); FedEx
    /// has been seen to drop the offset (`2024-08-15T00:00:00`).
    pub date: Text,
    pub event_type: Text,
    pub event_description: Text,
    pub exception_code: Text,
    pub exception_description: Text,
    pub derived_status_code: Text,
    pub derived_status: Text,
    pub scan_location: Location,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Location {
    pub city: Text,
    pub state_or_province_code: Text,
    pub postal_code: Text,
    pub country_code: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AdditionalTrackingInfo {
    pub package_identifiers: Vec<PackageIdentifier>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PackageIdentifier {
    /// `CUSTOMER_REFERENCE`, `SHIPPER_REFERENCE`, `INVOICE`…
    #[serde(rename = "type")]
    pub kind: Text,
    pub values: Vec<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DateAndTime {
    /// `ESTIMATED_DELIVERY`, `ACTUAL_DELIVERY`, `SHIP`…
    #[serde(rename = "type")]
    pub kind: Text,
    pub date_time: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ServiceDetail {
    #[serde(rename = "type")]
    pub kind: Text,
}

// ----------------------------------------------------------------------------- pickup

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PickupResponse {
    pub output: PickupOutput,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PickupOutput {
    pub pickup_confirmation_code: Text,
    pub message: Text,
    pub location: Text,
    pub cancel_confirmation_message: Text,
}

// ---------------------------------------------------------------------------- address

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AddressResponse {
    pub output: AddressOutput,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AddressOutput {
    pub resolved_addresses: Vec<ResolvedAddress>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ResolvedAddress {
    pub street_lines_token: Vec<Text>,
    pub city: Text,
    pub state_or_province_code: Text,
    pub postal_code: Text,
    pub country_code: Text,
    /// `BUSINESS`, `RESIDENTIAL`, `MIXED`, `UNKNOWN`.
    pub classification: Text,
    /// `"Resolved": "true"`, `"DPV": "true"`… (strings or booleans).
    pub attributes: std::collections::BTreeMap<String, Loose>,
    pub customer_messages: Vec<CustomerMessage>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CustomerMessage {
    pub code: Text,
    pub message: Text,
}

// -------------------------------------------------------------------------- documents

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DocumentResponse {
    pub output: DocumentOutput,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DocumentOutput {
    pub document_type: Text,
    pub document_format: Text,
    /// Base64 documents, one per page or package.
    pub document: Vec<Text>,
    pub alerts: Vec<FedexError>,
}

// ------------------------------------------------------------------ trade documents

/// The Trade Documents Upload API's answer: the id FedEx keeps the document under.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EtdUploadResponse {
    pub output: EtdUploadOutput,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EtdUploadOutput {
    pub meta: EtdMeta,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EtdMeta {
    /// FedEx's short code of the type (`CI`, `CO`…).
    pub document_type: Text,
    pub doc_id: Text,
    pub folder_id: Vec<Text>,
}
