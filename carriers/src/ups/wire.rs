//! UPS's answers as serde types: only the fields the adapter reads. Requests are built as
//! JSON in [`super::requests`] (UPS's request documents are deep and mostly constant).
//!
//! UPS's JSON wobbles in one way above all: an element that can repeat is an array when
//! it repeats and a bare object when it does not (`Alert`, `ItemizedCharges`,
//! `RatedPackage`, `PackageResults`, `TaxCharges` in the samples; the API reference says
//! so for "versions < v2"), so every such field is a [`Many`].

use serde::{Deserialize, Deserializer};

use crate::kit::lenient::Text;

/// A repeatable element: an array, one bare object, or nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Many<T>(pub Vec<T>);

impl<T> Default for Many<T> {
    fn default() -> Self {
        Many(Vec::new())
    }
}

impl<T> Many<T> {
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
    pub fn first(&self) -> Option<&T> {
        self.0.first()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Many<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape<T> {
            List(Vec<T>),
            One(T),
            Null(()),
        }
        Ok(match Shape::deserialize(d)? {
            Shape::List(items) => Many(items),
            Shape::One(item) => Many(vec![item]),
            Shape::Null(()) => Many(Vec::new()),
        })
    }
}

/// `{"Code": …, "Description": …}`, UPS's pair for every coded value.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Coded {
    pub code: Text,
    pub description: Text,
}

/// `{"CurrencyCode": "USD", "MonetaryValue": "12.30"}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Amount {
    pub currency_code: Text,
    pub monetary_value: Text,
}

/// One surcharge: its code in UPS's rating appendix (375 fuel, 270 residential…).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Itemized {
    pub code: Text,
    pub description: Text,
    pub currency_code: Text,
    pub monetary_value: Text,
    pub sub_type: Text,
}

/// A tax line; it names no currency (the shipment's).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Tax {
    #[serde(rename = "Type")]
    pub kind: Text,
    pub monetary_value: Text,
}

/// The error document of every UPS REST API: `{"response": {"errors": [{code, message}]}}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ErrorDocument {
    pub response: Option<ErrorList>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ErrorList {
    pub errors: Many<ErrorEntry>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ErrorEntry {
    pub code: Text,
    pub message: Text,
}

/// `Response` in every answer: `ResponseStatus` (`1` success) and `Alert`s.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ResponseHeader {
    pub response_status: Coded,
    pub alert: Many<Coded>,
}

// ---------------------------------------------------------------------------------------
// Rating (`/api/rating/{version}/Shop`)
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct UpsRateResponse {
    pub rate_response: Option<RateResponse>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct RateResponse {
    pub response: ResponseHeader,
    pub rated_shipment: Many<RatedShipment>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct RatedShipment {
    pub service: Coded,
    pub transportation_charges: Option<Amount>,
    pub base_service_charge: Option<Amount>,
    pub itemized_charges: Many<Itemized>,
    pub tax_charges: Many<Tax>,
    pub service_options_charges: Option<Amount>,
    pub total_charges: Option<Amount>,
    pub total_charges_with_taxes: Option<Amount>,
    pub negotiated_rate_charges: Option<Negotiated>,
    pub guaranteed_delivery: Option<Guaranteed>,
    pub time_in_transit: Option<TimeInTransit>,
}

/// The account's contracted rates, where it has them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Negotiated {
    pub base_service_charge: Option<Amount>,
    pub itemized_charges: Many<Itemized>,
    pub tax_charges: Many<Tax>,
    pub total_charge: Option<Amount>,
    pub total_charges_with_taxes: Option<Amount>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Guaranteed {
    pub business_days_in_transit: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct TimeInTransit {
    pub service_summary: Option<ServiceSummary>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ServiceSummary {
    pub service: Coded,
    pub estimated_arrival: Option<EstimatedArrival>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct EstimatedArrival {
    pub arrival: Option<DateTimeParts>,
    pub business_days_in_transit: Text,
    pub total_transit_days: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DateTimeParts {
    pub date: Text,
    pub time: Text,
}

// ---------------------------------------------------------------------------------------
// Shipping (`/api/shipments/{version}/ship`), label recovery, void
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct UpsShipmentResponse {
    pub shipment_response: Option<ShipmentResponse>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ShipmentResponse {
    pub response: ResponseHeader,
    pub shipment_results: Option<ShipmentResults>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ShipmentResults {
    pub shipment_charges: Option<ShipmentCharges>,
    pub negotiated_rate_charges: Option<Negotiated>,
    pub shipment_identification_number: Text,
    pub package_results: Many<PackageResult>,
    /// International forms (the commercial invoice) as one document.
    pub form: Option<Form>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ShipmentCharges {
    pub total_charges: Option<Amount>,
    pub total_charges_with_taxes: Option<Amount>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PackageResult {
    pub tracking_number: Text,
    pub shipping_label: Option<ShippingLabel>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ShippingLabel {
    pub image_format: Coded,
    pub graphic_image: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Form {
    pub code: Text,
    pub description: Text,
    pub image: Option<FormImage>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct FormImage {
    pub image_format: Coded,
    pub graphic_image: Text,
}

/// Label recovery (`/api/labels/{version}/recovery`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct UpsLabelRecoveryResponse {
    pub label_recovery_response: Option<LabelRecoveryResponse>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct LabelRecoveryResponse {
    pub response: ResponseHeader,
    pub label_results: Many<LabelResult>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct LabelResult {
    pub tracking_number: Text,
    pub label_image: Option<LabelImage>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct LabelImage {
    pub label_image_format: Coded,
    pub graphic_image: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct UpsVoidResponse {
    pub void_shipment_response: Option<VoidShipmentResponse>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct VoidShipmentResponse {
    pub response: ResponseHeader,
    pub summary_result: Option<SummaryResult>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct SummaryResult {
    pub status: Coded,
}

// ---------------------------------------------------------------------------------------
// Tracking (`/api/track/v1/details/{inquiryNumber}`, `/api/track/v1/reference/details`)
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UpsTrackResponse {
    pub track_response: Option<TrackResponse>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrackResponse {
    pub shipment: Many<TrackedShipment>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrackedShipment {
    pub inquiry_number: Text,
    pub package: Many<TrackedPackage>,
    pub warnings: Many<Warning>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Warning {
    pub code: Text,
    pub message: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrackedPackage {
    pub tracking_number: Text,
    pub activity: Many<Activity>,
    pub reference_number: Many<Reference>,
    pub service: Option<TrackService>,
    /// Who took the parcel, and the proof of delivery when asked (`returnPOD=true`).
    pub delivery_information: Option<DeliveryInformation>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DeliveryInformation {
    pub location: Text,
    pub received_by: Text,
    pub pod: Option<ProofOfDelivery>,
}

/// UPS's proof of delivery letter, base64 (an HTML page).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProofOfDelivery {
    pub content: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TrackService {
    pub code: Text,
    pub description: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Reference {
    pub number: Text,
    #[serde(rename = "type")]
    pub kind: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Activity {
    pub date: Text,
    pub time: Text,
    /// The same moment in GMT with the scan's offset (`-05:00`), where UPS gives it.
    pub gmt_date: Text,
    pub gmt_time: Text,
    pub gmt_offset: Text,
    pub location: Option<ActivityLocation>,
    pub status: Option<ActivityStatus>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActivityLocation {
    pub address: Option<TrackAddress>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrackAddress {
    pub city: Text,
    pub state_province: Text,
    pub postal_code: Text,
    pub country: Text,
    pub country_code: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActivityStatus {
    #[serde(rename = "type")]
    pub kind: Text,
    pub code: Text,
    pub description: Text,
}

/// A Track Alert push: one event of one package.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrackAlertPush {
    pub tracking_number: Text,
    pub local_activity_date: Text,
    pub local_activity_time: Text,
    pub gmt_activity_date: Text,
    pub gmt_activity_time: Text,
    pub activity_location: Option<TrackAddress>,
    pub activity_status: Option<ActivityStatus>,
    pub shipper_number: Text,
}

// ---------------------------------------------------------------------------------------
// Pickups (`/api/pickupcreation/{version}/pickup`, cancel) and address validation
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct UpsPickupResponse {
    pub pickup_creation_response: Option<PickupCreationResponse>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PickupCreationResponse {
    pub response: ResponseHeader,
    #[serde(rename = "PRN")]
    pub prn: Text,
    pub rate_result: Option<PickupRate>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PickupRate {
    pub currency_code: Text,
    pub grand_total_of_all_charge: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct UpsPickupCancelResponse {
    pub pickup_cancel_response: Option<PickupCancelResponse>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PickupCancelResponse {
    pub response: ResponseHeader,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct UpsXavResponse {
    #[serde(rename = "XAVResponse")]
    pub xav_response: Option<XavResponse>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct XavResponse {
    pub response: ResponseHeader,
    /// Present (empty) when UPS found the address as given.
    pub valid_address_indicator: Option<serde_json::Value>,
    pub ambiguous_address_indicator: Option<serde_json::Value>,
    pub no_candidates_indicator: Option<serde_json::Value>,
    pub address_classification: Option<Coded>,
    pub candidate: Many<Candidate>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Candidate {
    pub address_classification: Option<Coded>,
    pub address_key_format: Option<AddressKeyFormat>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct AddressKeyFormat {
    pub address_line: Many<String>,
    pub political_division2: Text,
    pub political_division1: Text,
    pub postcode_primary_low: Text,
    pub postcode_extended_low: Text,
    pub country_code: Text,
}

// ------------------------------------------------------------------ paperless documents

/// `UploadResponse`: the Forms History id(s) of the uploaded file(s).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct UploadAnswer {
    pub upload_response: UploadBody,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct UploadBody {
    pub response: ResponseHeader,
    #[serde(rename = "FormsHistoryDocumentID")]
    pub forms_history_document_id: FormsHistoryIds,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct FormsHistoryIds {
    /// One id, or a list (one per uploaded file).
    #[serde(rename = "DocumentID")]
    pub document_id: Many<Text>,
}

/// `PushToImageRepositoryResponse`: the status, and the forms group the documents
/// were filed in with the shipment.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PushAnswer {
    pub push_to_image_repository_response: PushBody,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PushBody {
    pub response: ResponseHeader,
    #[serde(rename = "FormsGroupID")]
    pub forms_group_id: Text,
}

/// A Track Alert subscription's answer: the packages subscribed and those refused.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrackAlertAnswer {
    pub valid_tracking_numbers: Vec<Text>,
    pub invalid_tracking_numbers: Vec<Text>,
}
